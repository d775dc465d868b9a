// www/js/cancel.js — the cancel page (cancel.html?token=...). Nothing happens
// on load: the button POSTs {token} to /api/v1/registrations/cancel, then the
// page says "cancelled" (200, also for a second press), "unknown or expired
// link" (404, or a token the server refuses as malformed), or asks to try
// again (429, 503, network). Text from i18n/events.{lang}.json.

import * as i18n from './events-i18n.js';

const $ = (id) => document.getElementById(id);
const token = new URLSearchParams(location.search).get('token') || '';

/** 'ready' | 'sending' | 'cancelled' | 'unknown' | 'missing' | 'retry' | 'busy' | 'network' */
let phase = /^[A-Za-z0-9_-]{16,128}$/.test(token) ? 'ready' : token === '' ? 'missing' : 'unknown';

const RESULT_KEYS = {
  cancelled: 'cancel.done',
  unknown: 'cancel.unknown',
  missing: 'cancel.missing',
  retry: 'error.rate_limited',
  busy: 'error.unavailable',
  network: 'error.network',
  sending: 'cancel.sending',
};

function render() {
  const button = $('cancel-button');
  const canPress = phase === 'ready' || phase === 'retry' || phase === 'busy' || phase === 'network' || phase === 'sending';
  button.hidden = !canPress;
  if (phase === 'sending') button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
  button.textContent = i18n.t(phase === 'sending' ? 'cancel.sending_button' : 'cancel.button');
  $('cancel-lead').hidden = !canPress;
  $('cancel-title').textContent = i18n.t(phase === 'cancelled' ? 'cancel.title_done' : 'cancel.title');
  const result = $('cancel-result');
  const key = RESULT_KEYS[phase];
  const text = key ? i18n.t(key) : '';
  if (result.textContent !== text) result.textContent = text;
  result.classList.toggle('is-shown', text !== '' && phase !== 'sending');
  result.dataset.kind = phase === 'cancelled' ? 'ok' : 'error';
  $('cancel-events').setAttribute('href', `/events.html?lang=${i18n.language()}`);
}

async function cancel() {
  if (phase === 'sending') return;
  phase = 'sending';
  render();
  let status = 0;
  try {
    const r = await fetch('/api/v1/registrations/cancel', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify({ token }),
    });
    status = r.status;
  } catch {
    status = 0;
  }
  if (status === 200) phase = 'cancelled';
  else if (status === 404 || status === 422 || status === 400) phase = 'unknown';
  else if (status === 429) phase = 'retry';
  else if (status === 0) phase = 'network';
  else phase = 'busy';
  render();
  if (phase === 'cancelled' || phase === 'unknown') $('cancel-title').focus();
}

$('cancel-button').addEventListener('click', cancel);
i18n.onChange(render);
i18n.init().then(render);
