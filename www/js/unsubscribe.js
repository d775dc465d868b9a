// www/js/unsubscribe.js — unsubscribe.html?token=...: nothing happens on
// load; the button POSTs {"token"} (also in the query, as API.md has it) to
// /api/v1/newsletter/unsubscribe, then the page says "unsubscribed" (200,
// also for a second press), "unknown link" (404, or a token the server
// refuses as malformed), or asks to try again (429, 503, network).

import * as i18n from './i18n.js';
import { postJson, alertKey, showAlert } from './forms.js';

const $ = (id) => document.getElementById(id);
const token = (new URLSearchParams(location.search).get('token') || '').trim();

/** 'ready' | 'sending' | 'done' | 'unknown' | 'missing' | 'failed' */
let phase = token === '' ? 'missing' : /^[A-Za-z0-9_-]{16,256}$/.test(token) ? 'ready' : 'unknown';
/** The failed reply of the last press, for its message. */
let failure = null;

function render() {
  if (!i18n.isLoaded()) return;
  const button = $('unsub-button');
  const canPress = phase === 'ready' || phase === 'sending' || phase === 'failed';
  button.hidden = !canPress;
  if (phase === 'sending') button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
  button.textContent = i18n.t(phase === 'sending' ? 'unsub.sending_button' : 'unsub.button');
  $('unsub-lead').hidden = !canPress;
  $('unsub-title').textContent = i18n.t(phase === 'done' ? 'unsub.title_done' : 'unsub.title');
  $('unsub-again').hidden = phase !== 'done';
  const texts = {
    sending: i18n.t('unsub.sending'),
    done: i18n.t('unsub.done'),
    unknown: i18n.t('unsub.unknown'),
    missing: i18n.t('unsub.missing'),
    failed: failure ? i18n.t(alertKey(failure)) : '',
  };
  const result = $('unsub-result');
  showAlert(result, texts[phase] || '');
  if (phase === 'sending') result.classList.remove('is-shown');
  result.dataset.kind = phase === 'done' ? 'ok' : 'error';
}

async function unsubscribe() {
  if (phase === 'sending') return;
  phase = 'sending';
  render();
  const reply = await postJson(`/api/v1/newsletter/unsubscribe?token=${encodeURIComponent(token)}`, { token });
  failure = null;
  if (reply.status === 200) phase = 'done';
  else if (reply.status === 404 || reply.status === 422 || reply.status === 400) phase = 'unknown';
  else {
    phase = 'failed';
    failure = reply;
  }
  render();
  if (phase === 'done' || phase === 'unknown') $('unsub-title').focus();
}

$('unsub-button').addEventListener('click', unsubscribe);
i18n.onLanguageChange(render);
i18n.init();
