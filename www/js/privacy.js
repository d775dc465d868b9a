// www/js/privacy.js — privacy.html. Without ?token=: the request form
// (POST /api/v1/privacy/request {email, language}, always 202) and the
// "if we hold data about this address, we have sent a link" panel. With
// ?token= (nothing happens on load: mail scanners follow links): "Download
// my data" POSTs /api/v1/privacy/export and offers the reply as a JSON file
// (a Blob behind an <a download>) with a count per kind of record; "Erase
// my data" opens a confirm step whose own button POSTs /api/v1/privacy/erase.
// 404 (unknown or expired link) replaces the actions with a way to ask
// again; 429, 503 and network trouble are announced beside the button.

import * as i18n from './i18n.js';
import {
  postJson, alertKey, isEmail, codePoints, showAlert, FieldErrors,
} from './forms.js';

const $ = (id) => document.getElementById(id);
const token = (new URLSearchParams(location.search).get('token') || '').trim();

/** The kinds of record an export holds, in the order they are listed. */
const KINDS = ['pledges', 'registrations', 'subscriptions', 'consents', 'mails', 'comments', 'consultants'];

const state = {
  /** 'request' | 'sent' | 'token' | 'erased' | 'expired' */
  phase: token === '' ? 'request' : /^[A-Za-z0-9_-]{16,256}$/.test(token) ? 'token' : 'expired',
  /** The address a link was asked for (shown in the "sent" panel). */
  email: '',
  languagePicked: false,
  /** What is being sent: null | 'request' | 'export' | 'erase' */
  busy: null,
  /** Failed replies per place: { request, export, erase } -> { status, code } */
  alerts: {},
  /** The export: { url (blob:), name, counts: [[kind, n]] } or null. */
  exported: null,
  confirming: false,
};

const form = $('pv-form');
const errors = new FieldErrors(form, {
  prefix: 'pv',
  fields: ['email', 'language'],
  label: (name) => i18n.t(`privacy.request.${name}.label`),
  message: (name, reason) => i18n.t(i18n.has(`reason.${reason}`) ? `reason.${reason}` : 'reason.wrong_type'),
  title: (n) => i18n.plural('privacy.summary.title', n),
});

function setBusy(button, busy, idleKey, busyKey) {
  if (busy) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
  button.textContent = i18n.t(busy ? busyKey : idleKey);
}

function alertText(where) {
  const a = state.alerts[where];
  return a ? i18n.t(alertKey(a)) : '';
}

function renderRequest() {
  const { phase } = state;
  $('pv-request').hidden = phase !== 'request' && phase !== 'sent';
  form.hidden = phase !== 'request';
  $('pv-sent').hidden = phase !== 'sent';
  if (phase === 'sent') $('pv-sent-text').textContent = i18n.t('privacy.request.done.text', { email: state.email });
  if (!state.languagePicked) $('pv-language').value = i18n.language();
  errors.render();
  showAlert($('pv-alert'), alertText('request'));
  const sending = state.busy === 'request';
  setBusy($('pv-submit'), sending, 'privacy.request.submit', 'common.sending');
  $('pv-status').textContent = sending ? i18n.t('privacy.request.sending') : '';
}

function renderCounts(counts) {
  const items = [];
  for (const [kind, n] of counts) {
    const dt = document.createElement('dt');
    dt.textContent = i18n.t(`privacy.kind.${kind}`);
    const dd = document.createElement('dd');
    dd.textContent = i18n.formatNumber(n);
    items.push(dt, dd);
  }
  $('pv-counts').replaceChildren(...items);
}

function renderToken() {
  const { phase } = state;
  $('pv-token').hidden = phase === 'request' || phase === 'sent';
  $('pv-token-lead').hidden = phase !== 'token';
  $('pv-actions').hidden = phase !== 'token';
  $('pv-erased').hidden = phase !== 'erased';
  $('pv-expired').hidden = phase !== 'expired';
  if (phase !== 'token') return;

  const exporting = state.busy === 'export';
  setBusy($('pv-export'), exporting, 'privacy.export.button', 'privacy.export.working');
  showAlert($('pv-export-alert'), alertText('export'));
  const ex = state.exported;
  $('pv-export-status').textContent = exporting ? i18n.t('privacy.export.working')
    : ex ? i18n.t('privacy.export.ready') : '';
  $('pv-export-result').hidden = !ex;
  if (ex) {
    const save = $('pv-save');
    save.setAttribute('href', ex.url);
    save.setAttribute('download', ex.name);
    renderCounts(ex.counts);
  }

  const erasing = state.busy === 'erase';
  $('pv-erase').hidden = state.confirming || erasing;
  $('pv-erase').setAttribute('aria-expanded', String(state.confirming));
  $('pv-confirm').hidden = !state.confirming;
  setBusy($('pv-erase-yes'), erasing, 'privacy.erase.confirm.yes', 'privacy.erase.working');
  showAlert($('pv-erase-alert'), alertText('erase'));
  $('pv-erase-status').textContent = erasing ? i18n.t('privacy.erase.working') : '';
}

function render() {
  if (!i18n.isLoaded()) return;
  renderRequest();
  renderToken();
}

/** Shows the "unknown or expired link" panel and moves the keyboard to it. */
function expire() {
  state.phase = 'expired';
  state.busy = null;
  render();
  $('pv-expired-title').focus();
}

async function request(ev) {
  ev.preventDefault();
  if (state.busy) return;
  const email = $('pv-email').value.trim();
  const found = new Map();
  if (email === '') found.set('email', 'required');
  else if (codePoints(email) > 254) found.set('email', 'too_long');
  else if (!isEmail(email)) found.set('email', 'invalid_email');
  state.alerts.request = null;
  errors.submitted = true;
  errors.set(found);
  render();
  if (found.size > 0) {
    errors.focusSummary();
    return;
  }
  state.busy = 'request';
  render();
  const reply = await postJson('/api/v1/privacy/request', { email, language: $('pv-language').value });
  state.busy = null;
  if (reply.status >= 200 && reply.status < 300) {
    state.phase = 'sent';
    state.email = email;
    errors.clear();
    render();
    $('pv-sent-title').focus();
    return;
  }
  const fields = reply.data && reply.data.error && reply.data.error.fields;
  if (reply.status === 422 && fields && typeof fields === 'object' && Object.keys(fields).length > 0) {
    errors.set(fields);
    errors.focusSummary();
  } else {
    state.alerts.request = reply;
  }
  render();
}

/** "2026-11-28" in UTC, for the file's name. */
const today = () => new Date().toISOString().slice(0, 10);

async function exportData() {
  if (state.busy) return;
  state.busy = 'export';
  state.alerts.export = null;
  render();
  const reply = await postJson('/api/v1/privacy/export', { token });
  state.busy = null;
  if (reply.status === 404 || reply.status === 422 || reply.status === 400) {
    expire();
    return;
  }
  if (reply.status !== 200 || !reply.data || typeof reply.data !== 'object') {
    state.alerts.export = reply;
    render();
    return;
  }
  if (state.exported) URL.revokeObjectURL(state.exported.url);
  const blob = new Blob([`${JSON.stringify(reply.data, null, 2)}\n`], { type: 'application/json' });
  state.exported = {
    url: URL.createObjectURL(blob),
    name: `icommit-data-${today()}.json`,
    counts: KINDS.filter((k) => Array.isArray(reply.data[k])).map((k) => [k, reply.data[k].length]),
  };
  render();
  $('pv-save').focus();
}

function askErase() {
  state.confirming = true;
  state.alerts.erase = null;
  render();
  $('pv-confirm-title').focus();
}

function keep() {
  state.confirming = false;
  render();
  $('pv-erase').focus();
}

async function erase() {
  if (state.busy) return;
  state.busy = 'erase';
  state.alerts.erase = null;
  render();
  const reply = await postJson('/api/v1/privacy/erase', { token });
  state.busy = null;
  if (reply.status === 200) {
    state.phase = 'erased';
    render();
    $('pv-erased-title').focus();
    return;
  }
  if (reply.status === 404 || reply.status === 422 || reply.status === 400) {
    expire();
    return;
  }
  state.alerts.erase = reply;
  render();
}

function again() {
  form.reset();
  state.phase = 'request';
  state.languagePicked = false;
  errors.clear();
  render();
  $('pv-email').focus();
}

function main() {
  form.addEventListener('submit', request);
  form.addEventListener('change', (ev) => {
    if (ev.target.id === 'pv-language') state.languagePicked = true;
  });
  $('pv-again').addEventListener('click', again);
  $('pv-export').addEventListener('click', exportData);
  $('pv-erase').addEventListener('click', askErase);
  $('pv-erase-no').addEventListener('click', keep);
  $('pv-erase-yes').addEventListener('click', erase);
  i18n.onLanguageChange(render);
  i18n.init();
}

main();
