// www/js/contact-form.js — the accessible form behind contact.html and
// consultants.html (js/contact.js, js/consultants.js give it their fields):
// checks in the browser what it can, posts JSON, and shows every bad field
// at once — a message under the field (aria-live), aria-invalid on the
// control, and a summary of links that takes focus — as the server's 422
// `fields` do; a 429, 503 or network failure goes to the alert above the
// form. The form is a real urlencoded form with a `return` field, so it
// works without script; the 303 back (?ok=1 or ?error=CODE) is shown here
// on load. Text comes from /i18n/contact.{lang}.json (js/events-i18n.js,
// bundle from <html data-i18n-bundle>).
//
//   setupForm({ id: 'contact', endpoint: '/api/v1/comments', page: '/contact.html',
//               fields: { name: { max: 120 }, email: { kind: 'email' }, ... },
//               consentNeeded: (values) => ..., countries: true });
//
// A field spec: { kind: 'text'|'email'|'url'|'select'|'check'|'list',
// required, min, max, maxItems }. Each field NAME has #ID-NAME (for a list,
// the fieldset #ID-NAME with checkboxes name=NAME), #ID-NAME-error, and a
// wrapper [data-field=NAME]; labels come from `${id}.${NAME}.label`.

import * as i18n from './events-i18n.js';
import { loadCountries, fillCountrySelect } from './countries.js';

const $ = (id) => document.getElementById(id);

function setText(node, text) {
  if (node && node.textContent !== text) node.textContent = text;
}

function focusLater(node) {
  if (node && !node.hidden) requestAnimationFrame(() => node.focus());
}

/** Trims like the server: spaces, tabs, CR and LF at both ends. */
const trim = (s) => s.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');

export function setupForm({ id, endpoint, page, fields, consentNeeded = () => true, countries = false }) {
  const form = $(`${id}-form`);
  const names = Object.keys(fields);
  const state = { errors: new Map(), submitted: false, sending: false, done: null, alert: null, countries: null };

  function value(name) {
    const spec = fields[name];
    if (spec.kind === 'list') {
      return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((c) => c.value);
    }
    const el = form.elements.namedItem(name);
    if (spec.kind === 'check') return el.checked;
    return trim(el.value);
  }

  function check(name, values) {
    const spec = fields[name];
    const v = values[name];
    if (name === 'consent') return consentNeeded(values) && v !== true ? 'must_be_true' : null;
    if (spec.kind === 'list') {
      if (v.length === 0) return spec.required ? 'required' : null;
      return spec.maxItems && v.length > spec.maxItems ? 'too_long' : null;
    }
    if (v === '') return spec.required ? 'required' : null;
    if (spec.kind === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return 'invalid_email';
    if (spec.kind === 'url' && !/^https:\/\/[^\s<>"]+$/.test(v)) return 'invalid_url';
    const n = [...v].length;
    if (spec.max && n > spec.max) return 'too_long';
    if (spec.min && n < spec.min) return 'too_short';
    return null;
  }

  function values() {
    return Object.fromEntries(names.map((n) => [n, value(n)]));
  }

  function message(name, reason) {
    const spec = fields[name];
    const specific = `${id}.${name}.${reason}`;
    if (i18n.has(specific)) return i18n.t(specific, { max: spec.maxItems ?? spec.max, min: spec.min });
    const vars = { max: i18n.formatNumber(spec.maxItems ?? spec.max ?? 0), min: i18n.formatNumber(spec.min ?? 0) };
    return i18n.has(`reason.${reason}`) ? i18n.t(`reason.${reason}`, vars) : i18n.t('reason.other');
  }

  /** What takes focus for a field: its input, or a list's first checkbox. */
  function controlOf(name) {
    if (fields[name].kind === 'list') return form.querySelector(`input[name="${name}"]`);
    return $(`${id}-${name}`);
  }

  function renderErrors() {
    for (const name of names) {
      const reason = state.errors.get(name);
      setText($(`${id}-${name}-error`), reason ? message(name, reason) : '');
      const target = fields[name].kind === 'list' ? $(`${id}-${name}`) : controlOf(name);
      if (reason) target.setAttribute('aria-invalid', 'true');
      else target.removeAttribute('aria-invalid');
      form.querySelector(`[data-field="${name}"]`).classList.toggle('field--invalid', Boolean(reason));
    }
    const summary = $(`${id}-summary`);
    const errors = [...state.errors.entries()].filter(([name]) => fields[name]);
    if (!state.submitted || errors.length === 0) {
      summary.hidden = true;
      return;
    }
    setText($(`${id}-summary-title`), i18n.plural('summary', errors.length));
    $(`${id}-summary-list`).replaceChildren(...errors.map(([name, reason]) => {
      const li = document.createElement('li');
      const a = document.createElement('a');
      const control = controlOf(name);
      a.href = `#${control.id}`;
      a.textContent = `${i18n.t(`${id}.${name}.label`)}: ${message(name, reason)}`;
      a.addEventListener('click', (e) => {
        e.preventDefault();
        control.focus();
      });
      li.append(a);
      return li;
    }));
    summary.hidden = false;
  }

  function render() {
    const lang = i18n.language();
    $(`${id}-language`).value = lang;
    $(`${id}-return`).value = `${page}?lang=${lang}`;
    const alertText = state.alert ? i18n.t(state.alert) : '';
    setText($(`${id}-alert`), alertText);
    $(`${id}-alert`).classList.toggle('is-shown', alertText !== '');
    const button = $(`${id}-submit`);
    if (state.sending) button.setAttribute('aria-disabled', 'true');
    else button.removeAttribute('aria-disabled');
    setText(button, i18n.t(state.sending ? 'common.sending' : `${id}.submit`));
    setText($(`${id}-status`), state.sending ? i18n.t('common.sending_status') : '');
    form.hidden = Boolean(state.done);
    $(`${id}-done`).hidden = !state.done;
    if (state.done) setText($(`${id}-done-text`), i18n.t(`${id}.done.${state.done}`));
    renderErrors();
  }

  function alertKey(status, code) {
    if (status === 0) return 'error.network';
    if (code && i18n.has(`error.${code}`)) return `error.${code}`;
    if (status === 429) return 'error.rate_limited';
    if (status >= 500) return 'error.unavailable';
    return 'error.generic';
  }

  async function submit(event) {
    event.preventDefault();
    if (state.sending) return;
    const v = values();
    state.submitted = true;
    state.alert = null;
    state.errors = new Map(names.map((n) => [n, check(n, v)]).filter(([, r]) => r));
    if (state.errors.size > 0) {
      render();
      focusLater($(`${id}-summary`));
      return;
    }
    const body = { language: i18n.language(), website: form.elements.namedItem('website').value };
    for (const name of names) {
      const x = v[name];
      if (x === '' || (Array.isArray(x) && x.length === 0) || x === false) continue;
      body[name] = x;
    }
    state.sending = true;
    render();
    let status = 0;
    let reply = null;
    try {
      const r = await fetch(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
        body: JSON.stringify(body),
      });
      status = r.status;
      reply = await r.json().catch(() => null);
    } catch {
      status = 0;
    }
    state.sending = false;
    if (status === 202) {
      state.done = 'text';
      state.submitted = false;
      state.errors.clear();
      render();
      focusLater($(`${id}-done-title`));
      return;
    }
    const err = reply && reply.error && typeof reply.error === 'object' ? reply.error : {};
    if (status === 422 && err.fields && typeof err.fields === 'object') {
      state.errors = new Map(Object.entries(err.fields).filter(([n, r]) => fields[n] && typeof r === 'string'));
      if (state.errors.size > 0) {
        render();
        focusLater($(`${id}-summary`));
        return;
      }
    }
    state.alert = alertKey(status, typeof err.code === 'string' ? err.code : null);
    render();
  }

  /** ?ok=1 / ?error=CODE from the form's own POST (no script at submit time). */
  function takeFallback() {
    const params = new URLSearchParams(location.search);
    const ok = params.get('ok');
    const error = params.get('error');
    if (ok === null && error === null) return null;
    const url = new URL(location.href);
    for (const k of ['ok', 'error']) url.searchParams.delete(k);
    history.replaceState(history.state, '', url);
    if (ok === '1') {
      state.done = 'text_nojs';
      return $(`${id}-done-title`);
    }
    const code = /^[a-z_]{1,40}$/.test(error || '') ? error : 'generic';
    state.alert = i18n.has(`error.${code}`) ? `error.${code}` : 'error.generic';
    return $(`${id}-title`);
  }

  function renderCountries() {
    if (!state.countries) return;
    fillCountrySelect($(`${id}-country`), state.countries, i18n.language(), {
      empty: i18n.t(`${id}.country.choose`),
      lac: i18n.t('country.lac'),
      other: i18n.t('country.other'),
    });
  }

  form.addEventListener('submit', submit);
  $(`${id}-again`).addEventListener('click', () => {
    state.done = null;
    state.alert = null;
    form.reset();
    render();
    focusLater($(`${id}-${names[0]}`));
  });
  i18n.onChange(() => {
    renderCountries();
    render();
  });

  (async () => {
    await i18n.init();
    const focus = takeFallback();
    render();
    if (focus) focusLater(focus);
    if (countries) {
      loadCountries().then((data) => {
        state.countries = data;
        renderCountries();
      }).catch(() => {
        /* the country stays optional: the select keeps its empty option */
      });
    }
  })();
}
