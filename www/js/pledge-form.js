// www/js/pledge-form.js — the pledge form of the landing page (#pledge).
// Checks every field the way the server does (API.md: lengths in code points
// after trimming, the e-mail shape, the lists of choices), shows each error
// beside its field (aria-invalid, aria-describedby, a polite live region)
// and a summary at the top (an error in a field folded under "add details"
// unfolds it), posts JSON to POST /api/v1/campaigns/icommit/pledges
// and shows what came of it: 202 "check your e-mail", 201 confirmed (the
// counter moves), 200 duplicate, 409 closed, 422 field errors from the
// server, 429, 503, network trouble. Without JavaScript the same form posts
// itself (urlencoded, `return` = this page) and the server answers 303 to
// /?lang=xx&ok=1#pledge or ?error=CODE; this module shows those on load.
// All text goes in with textContent; every string is in i18n/{lang}.json.

import * as i18n from './i18n.js';
import * as campaign from './campaign.js';
import { loadCountries, fillCountrySelect, isCountry } from './countries.js';

const $ = (id) => document.getElementById(id);

const ACTOR_TYPES = ['individual', 'private_sector', 'finance', 'government', 'civil_society', 'academia', 'other'];
const CATEGORIES = ['fleet', 'charging', 'public_transport', 'policy', 'finance', 'awareness', 'other'];
const UNITS = ['vehicles', 'buses', 'chargers', 'mw', 'usd', 'tco2e', 'people'];
const QUANTITY_MAX = 1_000_000_000_000;
const COMMITMENT_MAX = 2000;

/**
 * The server's rules (API.md, "Campaigns and pledges"), in the form's order.
 * kind: text | email | choice | country | int | bool | true.
 */
const RULES = {
  name: { kind: 'text', required: true, min: 1, max: 120 },
  email: { kind: 'email', required: true, max: 254 },
  organisation: { kind: 'text', max: 160 },
  actor_type: { kind: 'choice', required: true, choices: ACTOR_TYPES },
  country: { kind: 'country', required: true },
  city: { kind: 'text', max: 120 },
  commitment: { kind: 'text', required: true, min: 10, max: COMMITMENT_MAX, multiline: true },
  category: { kind: 'choice', choices: CATEGORIES },
  target_year: { kind: 'int', min: 2019, max: 2100, year: true },
  quantity: { kind: 'int', min: 0, max: QUANTITY_MAX },
  unit: { kind: 'choice', choices: UNITS, requiredWith: 'quantity' },
  public: { kind: 'bool' },
  consent: { kind: 'true' },
};
const FIELDS = Object.keys(RULES);

/** The label key of each field (also for fields the server may name). */
const LABEL_KEYS = {
  name: 'pledge.name.label',
  email: 'pledge.email.label',
  organisation: 'pledge.organisation.label',
  actor_type: 'pledge.actor_type.label',
  country: 'pledge.country.label',
  city: 'pledge.city.label',
  commitment: 'pledge.commitment.label',
  category: 'pledge.category.label',
  target_year: 'pledge.target_year.label',
  quantity: 'pledge.quantity.label',
  unit: 'pledge.unit.label',
  public: 'pledge.public.label',
  consent: 'pledge.consent.short',
  language: 'lang.label',
  website: 'pledge.honeypot',
};

const form = $('pledge-form');
const submitButton = $('pledge-submit');

const state = {
  /** field -> { reason, vars } shown beside the field. */
  errors: new Map(),
  /** After the first submit, choices are re-checked as they change. */
  submitted: false,
  sending: false,
  /** What a submission (or ?ok=1) came to: { kind, email?, count?, public? } or null. */
  outcome: null,
  /** A message above the form: { key } (pledge.*), { code } (error.CODE) or null. */
  alert: null,
  /** The campaign's status is not `open` (from the API). */
  closedByStatus: false,
  /** The server answered campaign_closed (409, or ?error=campaign_closed). */
  closedByServer: false,
  /** The campaign as last published (for its status and dates). */
  campaign: null,
  countries: null,
};

// ---------------------------------------------------------------------------
// Checks that mirror the server (src/validate.c).

/** Trims what the server trims: spaces, tabs, CR and LF, nothing else. */
export function trimText(s) {
  return s.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '');
}

/** Length in Unicode code points, as the server counts. */
export function codePoints(s) {
  return [...s].length;
}

/** Bytes of s in UTF-8. */
function utf8Length(s) {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0);
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

/**
 * True when s holds what the server refuses in free text (`invalid_utf8`):
 * a lone surrogate, NUL or another C0 control, DEL or a C1 control; tab is
 * fine, and newline (CR only before LF) when multiline.
 */
export function hasBadCharacters(s, multiline) {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x09) continue;
    if (multiline && c === 0x0a) continue;
    if (multiline && c === 0x0d && s.charCodeAt(i + 1) === 0x0a) continue;
    if (c < 0x20 || c === 0x7f || (c >= 0x80 && c <= 0x9f)) return true;
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return true;
      i++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return true;
    }
  }
  return false;
}

/**
 * The server's e-mail shape (email_valid in src/validate.c): at most 254
 * bytes, one "@", a local part of 1–64 bytes without spaces, specials or
 * dots at its ends or doubled, a domain of at least two dot-separated
 * labels (1–63 bytes of letters, digits, "-" or non-ASCII, no "-" at an
 * end) whose last label has at least two bytes; no U+0080–U+00A0.
 */
export function emailValid(s) {
  const bytes = utf8Length(s);
  if (bytes === 0 || bytes > 254 || /[\u0080-\u00a0]/.test(s)) return false;
  const parts = s.split('@');
  if (parts.length !== 2) return false;
  const [local, domain] = parts;
  const localBytes = utf8Length(local);
  if (localBytes === 0 || localBytes > 64 || local.startsWith('.') || local.endsWith('.') || local.includes('..')) {
    return false;
  }
  for (const ch of local) {
    const c = ch.codePointAt(0);
    if (c >= 0x80) continue;
    if (c <= 0x20 || c === 0x7f || '"(),:;<>@[\\]'.includes(ch)) return false;
  }
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  for (const label of labels) {
    const n = utf8Length(label);
    if (n === 0 || n > 63 || label.startsWith('-') || label.endsWith('-')) return false;
    for (const ch of label) {
      if (ch.codePointAt(0) < 0x80 && !/[A-Za-z0-9-]/.test(ch)) return false;
    }
  }
  return utf8Length(labels[labels.length - 1]) >= 2;
}

/**
 * Reads a whole number as people type it: digits, or digits grouped by
 * threes with one kind of separator ("1.000.000", "1,000", "1 000").
 * Returns the digits, or null when it is not a whole number (e.g. "1,5").
 */
export function integerDigits(text) {
  const s = text.replace(/[\u00a0\u202f]/g, ' ');
  if (/^\d+$/.test(s)) return s;
  const m = /^\d{1,3}([ .,'’])\d{3}(?:\1\d{3})*$/.exec(s);
  return m ? s.split(m[1]).join('') : null;
}

/** The value of field `name` as the form holds it (string or boolean). */
function rawValue(name) {
  const el = form.elements.namedItem(name);
  if (!el) return '';
  if (el.type === 'checkbox') return el.checked;
  return el.value;
}

/**
 * Checks one field. Returns { value } (the value to send; undefined for an
 * empty optional field) or { reason, vars } with one of API.md's reasons.
 */
function check(name) {
  const rule = RULES[name];
  const raw = rawValue(name);
  if (rule.kind === 'bool') return { value: raw === true };
  if (rule.kind === 'true') return raw === true ? { value: true } : { reason: 'must_be_true' };

  const s = trimText(String(raw));
  const required = rule.required
    || (rule.requiredWith && trimText(String(rawValue(rule.requiredWith))) !== '');
  if (s === '') return required ? { reason: 'required' } : { value: undefined };

  switch (rule.kind) {
    case 'text':
    case 'email': {
      if (hasBadCharacters(s, rule.multiline)) return { reason: 'invalid_utf8' };
      const n = codePoints(s);
      if (n > rule.max) return { reason: 'too_long', vars: { max: rule.max, count: n } };
      if (rule.min && n < rule.min) return { reason: 'too_short', vars: { min: rule.min, count: n } };
      if (rule.kind === 'email' && !emailValid(s)) return { reason: 'invalid_email' };
      return { value: s };
    }
    case 'choice':
      return rule.choices.includes(s) ? { value: s } : { reason: 'invalid_choice' };
    case 'country': {
      const code = s.toUpperCase();
      if (!/^[A-Z]{2}$/.test(code) || (state.countries && !isCountry(state.countries, code))) {
        return { reason: 'invalid_country' };
      }
      return { value: code };
    }
    case 'int': {
      const digits = rule.year ? (/^\d+$/.test(s) ? s : null) : integerDigits(s);
      if (digits === null) return { reason: 'wrong_type' };
      const trimmed = digits.replace(/^0+(?=\d)/, '');
      const n = trimmed.length > 15 ? Infinity : Number(trimmed);
      if (n < rule.min || n > rule.max) return { reason: 'out_of_range' };
      return { value: n };
    }
    default:
      return { value: s };
  }
}

/** Checks every field; returns a Map field -> { reason, vars } of the bad ones. */
function checkAll() {
  const errors = new Map();
  for (const name of FIELDS) {
    const r = check(name);
    if (r.reason) errors.set(name, { reason: r.reason, vars: r.vars });
  }
  return errors;
}

/** The JSON body of a valid form. */
function payload() {
  const body = {};
  for (const name of FIELDS) {
    const { value } = check(name);
    if (value !== undefined) body[name] = value;
  }
  if (body.quantity === undefined) delete body.unit; // a unit means nothing alone
  body.language = i18n.language();
  body.website = String(rawValue('website') ?? '');
  return body;
}

// ---------------------------------------------------------------------------
// Messages.

const fmt = (n) => i18n.formatNumber(n);

/** The message for `reason` on field `name`, more precise than reason.* where it helps. */
function message(name, { reason, vars = {} }) {
  const rule = RULES[name] || {};
  switch (reason) {
    case 'required':
      if (name === 'consent') return i18n.t('pledge.consent.required');
      if (name === 'unit') return i18n.t('pledge.unit.required');
      if (rule.kind === 'choice') return i18n.t('reason.invalid_choice');
      if (rule.kind === 'country') return i18n.t('reason.invalid_country');
      return i18n.t('reason.required');
    case 'must_be_true':
      return name === 'consent' ? i18n.t('pledge.consent.required') : i18n.t('reason.must_be_true');
    case 'too_long':
      if (rule.max) {
        const over = codePoints(trimText(String(rawValue(name)))) - rule.max;
        if (over > 0) return i18n.plural('pledge.too_long', over, { max: fmt(rule.max) });
        return i18n.t('pledge.too_long_max', { max: fmt(rule.max) });
      }
      break;
    case 'too_short':
      if (rule.min) return i18n.t('pledge.too_short', { min: fmt(rule.min) });
      break;
    case 'wrong_type':
    case 'out_of_range':
      if (name === 'target_year') return i18n.t('pledge.target_year.invalid', { min: String(rule.min), max: String(rule.max) });
      if (name === 'quantity') {
        return reason === 'wrong_type'
          ? i18n.t('pledge.quantity.invalid')
          : i18n.t('pledge.quantity.range', { max: fmt(rule.max) });
      }
      break;
    default:
      break;
  }
  const key = `reason.${reason}`;
  return i18n.has(key) ? i18n.t(key, vars) : i18n.t('reason.wrong_type');
}

function labelOf(name) {
  const key = LABEL_KEYS[name];
  return key ? i18n.t(key) : name;
}

/** The element to focus for field `name`, or null (hidden fields). */
function controlOf(name) {
  const el = $(`pledge-${name}`);
  return el && el.type !== 'hidden' && !el.closest('.form__hp') ? el : null;
}

// ---------------------------------------------------------------------------
// Rendering.

/**
 * Opens the "add details" disclosure when `el` is folded inside it, so
 * that its error is seen, announced (the live region is rendered before
 * its text changes) and its control can take focus.
 */
function unfold(el) {
  const details = el && el.closest('details');
  if (details && !details.open) details.open = true;
}

function renderFieldError(name) {
  const err = state.errors.get(name);
  const box = $(`pledge-${name}-error`);
  const control = controlOf(name);
  const text = err ? message(name, err) : '';
  if (err) unfold(box || control);
  if (box && box.textContent !== text) box.textContent = text;
  if (control) {
    if (err) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
  }
  const wrapper = form.querySelector(`[data-field="${name}"]`);
  if (wrapper) wrapper.classList.toggle('field--invalid', Boolean(err));
}

function renderErrors() {
  for (const name of FIELDS) renderFieldError(name);
}

/** The error summary: shown after a submit while there are errors. */
function renderSummary() {
  const box = $('pledge-summary');
  const errors = [...state.errors.entries()];
  if (!state.submitted || errors.length === 0) {
    box.hidden = true;
    return;
  }
  $('pledge-summary-title').textContent = i18n.plural('pledge.summary.title', errors.length);
  const items = errors.map(([name, err]) => {
    const li = document.createElement('li');
    const control = controlOf(name);
    const text = `${labelOf(name)}: ${message(name, err)}`;
    if (control) {
      const a = document.createElement('a');
      a.href = `#${control.id}`;
      a.dataset.field = name;
      a.textContent = text;
      li.append(a);
    } else {
      li.textContent = text;
    }
    return li;
  });
  // Keep the keyboard where it was if it was on a link of the old list.
  const active = document.activeElement;
  const focused = active && box.contains(active) && active.dataset ? active.dataset.field : null;
  $('pledge-summary-list').replaceChildren(...items);
  box.hidden = false;
  if (focused) {
    const again = box.querySelector(`a[data-field="${focused}"]`);
    (again || box).focus();
  }
}

function renderCount() {
  const value = trimText($('pledge-commitment').value);
  const n = codePoints(value);
  const el = $('pledge-commitment-count');
  const over = n - COMMITMENT_MAX;
  el.textContent = over > 0
    ? i18n.plural('pledge.too_long', over, { max: fmt(COMMITMENT_MAX) })
    : i18n.t('pledge.commitment.count', { count: fmt(n), max: fmt(COMMITMENT_MAX) });
  el.classList.toggle('is-over', over > 0);
}

let countTimer = 0;
/** After a pause in typing, near or over the limit, says how many are left. */
function announceCount() {
  clearTimeout(countTimer);
  countTimer = setTimeout(() => {
    const n = codePoints(trimText($('pledge-commitment').value));
    const left = COMMITMENT_MAX - n;
    const live = $('pledge-commitment-live');
    if (left < 0) live.textContent = i18n.plural('pledge.too_long', -left, { max: fmt(COMMITMENT_MAX) });
    else if (left <= 100) live.textContent = i18n.plural('pledge.commitment.left', left);
    else live.textContent = '';
  }, 1200);
}

function renderAlert() {
  const el = $('pledge-alert');
  const a = state.alert;
  const text = a ? i18n.t(a.key || errorKey(a.code)) : '';
  if (el.textContent !== text) el.textContent = text;
  el.classList.toggle('is-shown', text !== '');
}

function renderSending() {
  if (state.sending) {
    submitButton.setAttribute('aria-disabled', 'true');
    submitButton.textContent = i18n.t('common.sending');
    $('pledge-status').textContent = i18n.t('pledge.sending');
  } else {
    submitButton.removeAttribute('aria-disabled');
    submitButton.textContent = i18n.t('pledge.submit');
    $('pledge-status').textContent = '';
  }
}

/** The panel that replaces the form after a submission went through. */
function renderOutcome() {
  const o = state.outcome;
  const done = $('pledge-done');
  if (!o) {
    done.hidden = true;
    return;
  }
  const title = $('pledge-done-title');
  const text = $('pledge-done-text');
  const note = $('pledge-done-note');
  let noteText = '';
  done.dataset.kind = o.kind;
  switch (o.kind) {
    case 'pending':
      title.textContent = i18n.t('pledge.done.pending.title');
      text.textContent = o.email
        ? i18n.t('pledge.done.pending.text', { email: o.email })
        : i18n.t('pledge.done.pending.text_noemail');
      noteText = i18n.t('pledge.done.pending.note');
      break;
    case 'confirmed':
      title.textContent = i18n.t('pledge.done.confirmed.title');
      text.textContent = Number.isSafeInteger(o.count)
        ? i18n.plural('pledge.done.confirmed.count', o.count)
        : i18n.t('pledge.done.confirmed.text');
      if (o.public) noteText = i18n.t('pledge.done.wall_note');
      break;
    case 'duplicate':
      title.textContent = i18n.t('pledge.done.duplicate.title');
      text.textContent = i18n.t('pledge.done.duplicate.text');
      break;
    default:
      break;
  }
  note.textContent = noteText;
  note.hidden = noteText === '';
  done.hidden = false;
}

/** The "campaign closed" panel, with the opening date when there is one. */
function renderClosed() {
  const c = state.campaign;
  let text = i18n.t('error.campaign_closed');
  if (c && c.status === 'upcoming' && c.opens_at) {
    const d = i18n.formatDate(c.opens_at, { dateStyle: 'long', timeZone: 'UTC' });
    if (d) text = `${text} ${i18n.t('status.opens_on', { date: d })}`;
  }
  $('pledge-closed-text').textContent = text;
}

const isClosed = () => state.closedByStatus || state.closedByServer;

/** Which of form / outcome / closed is on screen. */
function renderView() {
  renderOutcome();
  const showClosed = !state.outcome && isClosed();
  $('pledge-closed').hidden = !showClosed;
  if (showClosed) renderClosed();
  form.hidden = Boolean(state.outcome) || isClosed();
}

/** Hidden fields and the country list that follow the page's language. */
function renderLanguage() {
  const lang = i18n.language();
  $('pledge-language').value = lang;
  $('pledge-return').value = `/?lang=${lang}#pledge`;
  if (state.countries) {
    fillCountrySelect($('pledge-country'), state.countries, lang, {
      empty: i18n.t('pledge.country.choose'),
      lac: i18n.t('country.group_lac'),
      other: i18n.t('country.group_other'),
    });
  }
}

function render() {
  if (!i18n.isLoaded()) return;
  renderLanguage();
  renderErrors();
  renderSummary();
  renderCount();
  renderAlert();
  renderSending();
  renderView();
}

// ---------------------------------------------------------------------------
// Behaviour.

/** Re-checks one field and updates its error, the summary and `unit`'s need. */
function recheck(name) {
  const r = check(name);
  if (r.reason) state.errors.set(name, { reason: r.reason, vars: r.vars });
  else state.errors.delete(name);
  renderFieldError(name);
  renderSummary();
}

function focusField(name) {
  const control = controlOf(name);
  if (!control) {
    $('pledge-summary').focus();
    return;
  }
  unfold(control);
  control.focus();
  control.scrollIntoView({ block: 'center', behavior: 'instant' });
}

function focusFirstError() {
  const first = FIELDS.find((n) => state.errors.has(n)) || [...state.errors.keys()][0];
  if (first) focusField(first);
}

function setUnitRequired() {
  const needed = trimText($('pledge-quantity').value) !== '';
  $('pledge-unit').required = needed;
}

/*
 * As the visitor edits: an error already shown is re-checked (it goes away
 * once fixed); a choice (select, checkbox) is re-checked after the first
 * submit. New errors in text fields wait for the submit: showing them when
 * a field is left would move the page under a click on the submit button.
 */
function onFieldChange(ev) {
  const name = ev.target.name;
  if (!RULES[name]) return;
  if (name === 'commitment') {
    renderCount();
    announceCount();
  }
  if (name === 'quantity') {
    setUnitRequired();
    if (state.errors.has('unit')) recheck('unit');
  }
  const choice = ev.target.tagName === 'SELECT' || ev.target.type === 'checkbox';
  if (state.errors.has(name) || (choice && ev.type === 'change' && state.submitted)) recheck(name);
}

/** Maps a failed reply to the message above the form. */
function errorKey(code) {
  return code && i18n.has(`error.${code}`) ? `error.${code}` : 'error.unknown';
}

async function submit() {
  const body = payload();
  state.sending = true;
  state.alert = null;
  renderAlert();
  renderSending();

  let res = null;
  let data = null;
  try {
    res = await fetch(campaign.PLEDGES_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
    try {
      data = await res.json();
    } catch {
      data = null;
    }
  } catch {
    res = null;
  }
  state.sending = false;
  renderSending();

  if (!res) {
    showAlert('error.network');
    return;
  }
  const code = data && data.error && typeof data.error.code === 'string' ? data.error.code : null;
  const count = data && Number.isSafeInteger(data.count) ? data.count : undefined;

  if (res.status === 202 || (res.ok && data && data.status === 'pending_confirmation')) {
    succeed({ kind: 'pending', email: body.email });
  } else if (res.status === 201 || (res.ok && data && data.status === 'confirmed')) {
    if (count !== undefined) campaign.setCount(count);
    succeed({ kind: 'confirmed', count, public: body.public });
  } else if (res.ok && data && data.status === 'duplicate') {
    if (count !== undefined) campaign.setCount(count);
    succeed({ kind: 'duplicate', count });
  } else if (res.ok) {
    succeed({ kind: 'pending', email: body.email });
  } else if (res.status === 409 || code === 'campaign_closed') {
    state.closedByServer = true;
    renderView();
    $('pledge-closed-title').focus();
  } else if (res.status === 422 && data && data.error && data.error.fields && typeof data.error.fields === 'object') {
    state.errors = new Map();
    for (const [name, reason] of Object.entries(data.error.fields)) {
      if (typeof reason === 'string') state.errors.set(name, { reason });
    }
    state.submitted = true;
    renderErrors();
    renderSummary();
    if (state.errors.size === 0) showAlert('error.invalid');
    else focusFirstError();
  } else if (res.status === 429 || code === 'rate_limited') {
    showAlert('error.rate_limited');
  } else if (res.status === 503 || code === 'unavailable') {
    showAlert('error.unavailable');
  } else {
    showAlert(errorKey(code));
  }
}

function showAlert(key) {
  state.alert = { key };
  renderAlert();
}

/** Shows the outcome panel instead of the form and moves focus to it. */
function succeed(outcome) {
  state.outcome = outcome;
  state.errors.clear();
  state.submitted = false;
  renderErrors();
  renderSummary();
  renderView();
  const title = $('pledge-done-title');
  title.focus();
  title.scrollIntoView({ block: 'center', behavior: 'instant' });
}

/** "Make another pledge": an empty form again, focus on its first field. */
function again() {
  form.reset();
  $('pledge-more').open = false;
  state.outcome = null;
  state.alert = null;
  state.errors.clear();
  state.submitted = false;
  render();
  setUnitRequired();
  if (isClosed()) $('pledge-closed-title').focus();
  else $('pledge-name').focus();
}

/**
 * ?ok=1 / ?error=CODE from the server's 303 after a form post without
 * JavaScript: remembered as the outcome or alert, then dropped from the
 * address so that a reload does not show them again.
 */
function readReturnParams() {
  const url = new URL(location.href);
  const ok = url.searchParams.get('ok');
  const error = url.searchParams.get('error');
  if (ok === null && error === null) return null;
  url.searchParams.delete('ok');
  url.searchParams.delete('error');
  history.replaceState(history.state, '', url);
  if (ok === '1') return { outcome: { kind: 'pending' } };
  if (error === 'campaign_closed') return { closed: true };
  if (error === 'invalid') return { alert: { key: 'pledge.error.invalid_form' } };
  // The message is looked up once the dictionary is there (errorKey).
  if (error) return { alert: /^[a-z_]{1,40}$/.test(error) ? { code: error } : { key: 'error.unknown' } };
  return null;
}

/** The campaign from landing.js: a status other than `open` closes the form. */
function onCampaign(c) {
  state.campaign = c;
  state.closedByStatus = Boolean(c && typeof c.status === 'string' && c.status !== 'open');
  if (i18n.isLoaded()) renderView();
}

function main() {
  // Our checks and messages replace the browser's bubbles.
  form.noValidate = true;

  const fromServer = readReturnParams();
  if (fromServer) {
    if (fromServer.outcome) state.outcome = fromServer.outcome;
    if (fromServer.closed) state.closedByServer = true;
    if (fromServer.alert) state.alert = fromServer.alert;
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    if (state.sending) return;
    state.submitted = true;
    state.alert = null;
    renderAlert();
    state.errors = checkAll();
    renderErrors();
    renderSummary();
    if (state.errors.size > 0) {
      focusFirstError();
      return;
    }
    submit();
  });
  form.addEventListener('input', onFieldChange);
  form.addEventListener('change', onFieldChange);
  $('pledge-summary-list').addEventListener('click', (ev) => {
    const a = ev.target.closest('a[data-field]');
    if (!a) return;
    ev.preventDefault();
    focusField(a.dataset.field);
  });
  $('pledge-again').addEventListener('click', again);

  i18n.onLanguageChange(render);
  campaign.subscribe(onCampaign);
  loadCountries().then((data) => {
    state.countries = data;
    if (i18n.isLoaded()) renderLanguage();
  }).catch(() => {
    // The page's own (Spanish) list stays; the server checks the code anyway.
  });

  if (i18n.isLoaded()) render();
  // After ?ok=1 / ?error=, bring the answer to the visitor's attention once
  // the text is in their language.
  if (fromServer) {
    const focusAnswer = () => {
      render();
      if (state.outcome) $('pledge-done-title').focus();
      else if (isClosed()) $('pledge-closed-title').focus();
      else $('pledge-alert').scrollIntoView({ block: 'center', behavior: 'instant' });
    };
    if (i18n.isLoaded()) focusAnswer();
    else {
      const off = i18n.onLanguageChange(() => {
        off();
        focusAnswer();
      });
    }
  }
}

main();
