// www/js/newsletter.js — newsletter.html: checks the sign-up form (e-mail,
// optional name, language, consent), posts it as JSON to
// POST /api/v1/newsletter and shows "check your inbox to confirm" (202 for
// every address: the reply never tells whether one was already subscribed).
// Field reasons of a 422 go beside their fields and into the error summary;
// 429, 503 and network trouble above the form. The newsletter's language
// follows the page's until the visitor picks one. Shows what ?ok=1 /
// ?error=CODE say after the form posted itself without the script.

import * as i18n from './i18n.js';
import {
  postJson, alertKey, isEmail, codePoints, takeReturnParams, showAlert, FieldErrors,
} from './forms.js';

const $ = (id) => document.getElementById(id);
const ENDPOINT = '/api/v1/newsletter';
const form = $('nl-form');

const LABELS = {
  email: 'nl.email.label',
  name: 'nl.name.label',
  language: 'nl.language.label',
  consent: 'footer.notice',
};

const state = {
  /** null, or { email } once a sign-up went through ('' after ?ok=1). */
  done: null,
  /** The message above the form: { key } or a failed reply { status, code }; or null. */
  alert: null,
  sending: false,
  /** Whether the visitor chose the newsletter's language themselves. */
  languagePicked: false,
};

const errors = new FieldErrors(form, {
  prefix: 'nl',
  fields: Object.keys(LABELS),
  label: (name) => i18n.t(LABELS[name]),
  message: (name, reason) => {
    if (name === 'consent') return i18n.t('nl.consent.required');
    return i18n.t(i18n.has(`reason.${reason}`) ? `reason.${reason}` : 'reason.wrong_type');
  },
  title: (n) => i18n.plural('nl.summary.title', n),
});

/** The form's values as the API wants them. */
function payload() {
  const body = {
    email: $('nl-email').value.trim(),
    language: $('nl-language').value,
    consent: $('nl-consent').checked,
    website: $('nl-website').value,
    source: location.pathname,
  };
  const name = $('nl-name').value.trim();
  if (name !== '') body.name = name;
  return body;
}

/** The same rules as the server, so most mistakes are caught here. */
function check(body) {
  const found = new Map();
  if (body.email === '') found.set('email', 'required');
  else if (codePoints(body.email) > 254) found.set('email', 'too_long');
  else if (!isEmail(body.email)) found.set('email', 'invalid_email');
  if (body.name && codePoints(body.name) > 120) found.set('name', 'too_long');
  if (!body.consent) found.set('consent', 'must_be_true');
  return found;
}

function render() {
  if (!i18n.isLoaded()) return;
  const lang = i18n.language();
  if (!state.languagePicked) $('nl-language').value = lang;
  $('nl-return').value = `/newsletter.html?lang=${lang}#nl-sent`;
  errors.render();
  showAlert($('nl-alert'), state.alert ? i18n.t(state.alert.key || alertKey(state.alert)) : '');
  const button = $('nl-submit');
  if (state.sending) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
  button.textContent = i18n.t(state.sending ? 'common.sending' : 'nl.submit');
  $('nl-status').textContent = state.sending ? i18n.t('nl.sending') : '';
  const done = state.done;
  $('nl-done').hidden = !done;
  form.hidden = Boolean(done);
  if (done) {
    $('nl-done-text').textContent = done.email
      ? i18n.t('nl.done.text', { email: done.email })
      : i18n.t('nl.done.text_noemail');
  }
}

function succeed(email) {
  state.done = { email };
  errors.clear();
  render();
  $('nl-done-title').focus();
}

async function submit(ev) {
  ev.preventDefault();
  if (state.sending) return;
  const body = payload();
  state.alert = null;
  errors.submitted = true;
  errors.set(check(body));
  render();
  if (errors.size > 0) {
    errors.focusSummary();
    return;
  }
  state.sending = true;
  render();
  const reply = await postJson(ENDPOINT, body);
  state.sending = false;
  if (reply.status >= 200 && reply.status < 300) {
    succeed(body.email);
    return;
  }
  const fields = reply.data && reply.data.error && reply.data.error.fields;
  if (reply.status === 422 && fields && typeof fields === 'object' && Object.keys(fields).length > 0) {
    errors.set(fields);
    render();
    errors.focusSummary();
    return;
  }
  state.alert = reply;
  render();
}

function again() {
  form.reset();
  state.done = null;
  state.alert = null;
  state.languagePicked = false;
  errors.clear();
  render();
  $('nl-email').focus();
}

function main() {
  // Our checks and messages replace the browser's bubbles.
  form.noValidate = true;
  const back = takeReturnParams();
  if (back && back.ok) state.done = { email: '' };
  else if (back && back.error === 'invalid') state.alert = { key: 'nl.error.invalid_form' };
  else if (back) state.alert = { status: -1, code: back.error };

  form.addEventListener('submit', submit);
  form.addEventListener('change', (ev) => {
    if (ev.target.id === 'nl-language') state.languagePicked = true;
    // A shown error goes away once its field is fixed.
    const name = ev.target.name;
    if (errors.errors.has(name) && !check(payload()).has(name)) {
      errors.errors.delete(name);
      errors.render();
    }
  });
  $('nl-again').addEventListener('click', again);
  i18n.onLanguageChange(render);
  i18n.init().then(() => {
    if (back && state.done) $('nl-done-title').focus();
  });
}

main();
