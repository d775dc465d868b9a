// www/js/confirm.js — confirm.html: takes `token` from the address and, only
// when the visitor presses the button (never on load: mail scanners follow
// links), POSTs {"token"} to /api/v1/confirm. 200 → thanks: for a pledge
// the campaign's new count and share links to the landing page (plain links:
// X, LinkedIn, WhatsApp, e-mail, and a copy button); for "newsletter" and
// "consultant" their own thanks. 404 (or no token) → "unknown or expired
// link" with a way home. 429, 503 and network trouble leave the button to
// try again. An optional ?kind=newsletter|consultant only picks the wording
// shown before the click.

import * as i18n from './i18n.js';

const $ = (id) => document.getElementById(id);
const CONFIRM_URL = '/api/v1/confirm';
const KINDS = ['pledge', 'newsletter', 'consultant'];

const params = new URLSearchParams(location.search);
const token = (params.get('token') || '').trim();

const state = {
  /** 'ready' | 'sending' | 'done' | 'invalid' */
  phase: token && token.length <= 256 ? 'ready' : 'invalid',
  /** The kind the wording is for: from the reply once there is one. */
  kind: KINDS.includes(params.get('kind')) ? params.get('kind') : 'pledge',
  count: null,
  /** { key } of an error shown above the button, or null. */
  alert: null,
  /** '' | 'copied' | 'failed' */
  copy: '',
};

/** The landing page, the link people are invited to follow. */
const shareUrl = () => `${location.origin}/`;

function setText(id, text) {
  const el = $(id);
  if (el.textContent !== text) el.textContent = text;
}

function renderShare() {
  const url = shareUrl();
  const text = i18n.t('confirm.share.text');
  $('share-x').href = `https://twitter.com/intent/tweet?${new URLSearchParams({ text, url })}`;
  $('share-linkedin').href = `https://www.linkedin.com/sharing/share-offsite/?${new URLSearchParams({ url })}`;
  $('share-whatsapp').href = `https://wa.me/?${new URLSearchParams({ text: `${text} ${url}` })}`;
  // mailto: wants %20, not "+", for spaces: encodeURIComponent, not URLSearchParams.
  $('share-email').href = `mailto:?subject=${encodeURIComponent(i18n.t('confirm.share.subject'))}`
    + `&body=${encodeURIComponent(`${text}\n\n${url}`)}`;
  $('share-url').value = url;
  setText('share-copied', state.copy === 'copied' ? i18n.t('confirm.share.copied')
    : state.copy === 'failed' ? i18n.t('confirm.share.copy_failed') : '');
}

function render() {
  if (!i18n.isLoaded()) return;
  const { phase, kind } = state;
  $('confirm-card').dataset.state = phase;
  let title;
  let lead;
  let note = '';
  if (phase === 'invalid') {
    title = i18n.t('confirm.invalid.title');
    lead = i18n.t('confirm.invalid.text');
  } else if (phase === 'done') {
    title = i18n.t(`confirm.${kind}.done.title`);
    lead = i18n.t(`confirm.${kind}.done.text`);
    if (kind === 'pledge') note = i18n.t('confirm.pledge.done.wall');
  } else {
    title = i18n.t(`confirm.${kind}.title`);
    lead = i18n.t(`confirm.${kind}.lead`);
  }
  setText('confirm-title', title);
  setText('confirm-lead', lead);
  document.title = `${title} — I COMMIT`;

  const waiting = phase === 'ready' || phase === 'sending';
  const button = $('confirm-button');
  $('confirm-actions').hidden = !waiting;
  setText('confirm-button', i18n.t(phase === 'sending' ? 'confirm.confirming' : `confirm.${kind}.button`));
  if (phase === 'sending') button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
  setText('confirm-status', phase === 'sending' ? i18n.t('confirm.confirming') : '');

  const alert = $('confirm-alert');
  setText('confirm-alert', waiting && state.alert ? i18n.t(state.alert.key) : '');
  alert.classList.toggle('is-shown', alert.textContent !== '');

  const pledgeDone = phase === 'done' && kind === 'pledge';
  const showCount = pledgeDone && Number.isSafeInteger(state.count) && state.count >= 0;
  $('confirm-count-box').hidden = !showCount;
  if (showCount) {
    setText('confirm-count', i18n.formatNumber(state.count));
    setText('confirm-count-label', i18n.plural('counter.label', state.count));
  }
  setText('confirm-note', note);
  $('confirm-note').hidden = note === '';
  $('share').hidden = !pledgeDone;
  if (pledgeDone) renderShare();
  $('confirm-home').hidden = waiting;
}

/** Moves focus to the heading that now says what happened. */
function focusTitle() {
  $('confirm-title').focus();
}

async function confirm() {
  if (state.phase !== 'ready') return;
  state.phase = 'sending';
  state.alert = null;
  render();
  let res = null;
  let data = null;
  try {
    res = await fetch(CONFIRM_URL, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify({ token }),
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

  const code = data && data.error && typeof data.error.code === 'string' ? data.error.code : null;
  if (res && res.ok) {
    state.phase = 'done';
    state.kind = data && KINDS.includes(data.kind) ? data.kind : 'pledge';
    state.count = data && Number.isSafeInteger(data.count) ? data.count : null;
    render();
    focusTitle();
    return;
  }
  if (res && (res.status === 404 || res.status === 422 || code === 'not_found')) {
    // Unknown, expired, or not a token at all.
    state.phase = 'invalid';
    render();
    focusTitle();
    return;
  }
  state.phase = 'ready';
  if (!res) state.alert = { key: 'error.network' };
  else if (res.status === 429 || code === 'rate_limited') state.alert = { key: 'error.rate_limited' };
  else if (res.status === 503 || code === 'unavailable') state.alert = { key: 'error.unavailable' };
  else state.alert = { key: code && i18n.has(`error.${code}`) ? `error.${code}` : 'error.unknown' };
  render();
}

async function copyLink() {
  const url = shareUrl();
  try {
    if (!navigator.clipboard) throw new Error('no clipboard');
    await navigator.clipboard.writeText(url);
    state.copy = 'copied';
  } catch {
    // Leave it to the visitor: the link is selected in its field.
    const input = $('share-url');
    input.focus();
    input.select();
    state.copy = 'failed';
  }
  render();
}

async function main() {
  // No token: nothing to press, even before the text is translated.
  if (state.phase === 'invalid') $('confirm-actions').hidden = true;
  $('confirm-button').addEventListener('click', confirm);
  $('share-copy').addEventListener('click', copyLink);
  i18n.onLanguageChange(render);
  await i18n.init();
}

main();
