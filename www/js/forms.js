// www/js/forms.js — what the small public forms (newsletter.html, privacy.html)
// and one-button pages (unsubscribe.html) share: posting JSON to the API
// (postJson), the message for a failed reply (alertKey), an e-mail check
// close to the server's, the ?ok=1 / ?error=CODE a form fallback comes back
// with (takeReturnParams), and field errors with an error summary
// (FieldErrors). Text is looked up through js/i18n.js.

import * as i18n from './i18n.js';

/**
 * POSTs `body` as JSON to `url`. Resolves to { status, data, code }:
 * status 0 when the server could not be reached, data the parsed reply
 * (or null), code the API's error.code (or null). Never rejects.
 */
export async function postJson(url, body) {
  let res;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    });
  } catch {
    return { status: 0, data: null, code: null };
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  const code = data && data.error && typeof data.error.code === 'string' ? data.error.code : null;
  return { status: res.status, data, code };
}

/** The dictionary key of the message for a failed reply. */
export function alertKey({ status, code }) {
  if (status === 0) return 'error.network';
  if (status === 429) return 'error.rate_limited';
  if (status === 503) return 'error.unavailable';
  return code && i18n.has(`error.${code}`) ? `error.${code}` : 'error.unknown';
}

/** One '@', a non-empty local part, a domain with a dot, no spaces (API.md). */
export function isEmail(s) {
  return /^[^\s@]+@[^\s@.][^\s@]*\.[^\s@]+$/.test(s) && !/\.\./.test(s.split('@')[1] || '');
}

/** Unicode code points in `s` (the API counts lengths so). */
export const codePoints = (s) => [...s].length;

/**
 * Reads ?ok=1 / ?error=CODE (the server's 303 after a form post without
 * the script) and removes them, and the #fragment the form asked to come
 * back to, from the address, so that a reload does not show them again.
 * Returns { ok: true }, { error: 'code' } or null.
 */
export function takeReturnParams() {
  const url = new URL(location.href);
  const ok = url.searchParams.get('ok');
  const error = url.searchParams.get('error');
  if (ok === null && error === null) return null;
  url.searchParams.delete('ok');
  url.searchParams.delete('error');
  url.hash = '';
  history.replaceState(history.state, '', url);
  if (ok === '1') return { ok: true };
  return { error: /^[a-z_]{1,40}$/.test(error || '') ? error : 'unknown' };
}

/** Shows `text` in an alert element (role=alert); '' hides it. */
export function showAlert(el, text) {
  if (el.textContent !== text) el.textContent = text;
  el.classList.toggle('is-shown', text !== '');
}

/**
 * Field errors of one form and its error summary. Markup, for prefix "nl"
 * and a field "email": the control #nl-email inside [data-field="email"],
 * its message #nl-email-error (aria-live), and the summary #nl-summary
 * (tabindex=-1) with #nl-summary-title and #nl-summary-list.
 *   fields:   the field names, in the form's order
 *   label:    name -> its label text
 *   message:  (name, reason) -> the message text
 *   title:    count -> the summary's title
 */
export class FieldErrors {
  constructor(form, { prefix, fields, label, message, title }) {
    this.form = form;
    this.prefix = prefix;
    this.fields = fields;
    this.label = label;
    this.message = message;
    this.title = title;
    /** name -> reason */
    this.errors = new Map();
    /** Whether the summary shows (after a submit, while there are errors). */
    this.submitted = false;
    this.el = (suffix) => document.getElementById(`${prefix}-${suffix}`);
    this.el('summary-list').addEventListener('click', (ev) => {
      const a = ev.target.closest('a[data-field]');
      if (!a) return;
      ev.preventDefault();
      this.focus(a.dataset.field);
    });
  }

  /** Replaces the errors with `map` (name -> reason), or an object of them. */
  set(map) {
    this.errors = new Map(map instanceof Map ? map : Object.entries(map || {}));
    this.render();
  }

  clear() {
    this.submitted = false;
    this.set(null);
  }

  get size() {
    return this.errors.size;
  }

  /** The control of field `name` that can take focus, or null. */
  control(name) {
    const el = this.el(name);
    return el && el.type !== 'hidden' && !el.closest('.form__hp') ? el : null;
  }

  render() {
    for (const name of this.fields) {
      const reason = this.errors.get(name);
      const text = reason ? this.message(name, reason) : '';
      const box = this.el(`${name}-error`);
      if (box && box.textContent !== text) box.textContent = text;
      const control = this.control(name);
      if (control) {
        if (reason) control.setAttribute('aria-invalid', 'true');
        else control.removeAttribute('aria-invalid');
      }
      const wrapper = this.form.querySelector(`[data-field="${name}"]`);
      if (wrapper) wrapper.classList.toggle('field--invalid', Boolean(reason));
    }
    const box = this.el('summary');
    if (!this.submitted || this.errors.size === 0) {
      box.hidden = true;
      return;
    }
    this.el('summary-title').textContent = this.title(this.errors.size);
    const items = [...this.errors].map(([name, reason]) => {
      const li = document.createElement('li');
      const text = `${this.label(name)}: ${this.message(name, reason)}`;
      const control = this.control(name);
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
    this.el('summary-list').replaceChildren(...items);
    box.hidden = false;
  }

  /** Moves the keyboard to field `name` (or the summary if it has no control). */
  focus(name) {
    const control = this.control(name);
    if (control) control.focus();
    else this.el('summary').focus();
  }

  /** After a failed submit: the summary takes the focus, so it is read out. */
  focusSummary() {
    const box = this.el('summary');
    if (!box.hidden) box.focus();
  }
}
