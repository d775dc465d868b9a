// www/admin/js/shell.js — what every console page shares: translations, the
// session check on load (GET /api/v1/admin/me, which also restores the CSRF
// token), the header (who is signed in, navigation, sign out), and the
// page's live regions for results (#announce, role=status) and errors
// (#alert, role=alert).

import * as i18n from './i18n.js';
import { ApiError, LOGIN_PAGE, logout, whoAmI } from './api.js';

export const $ = (id) => document.getElementById(id);

/** A new element with attributes (null and undefined ones left out) and text. */
export function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== null) node.setAttribute(k, v);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

let announceSeq = 0;

/**
 * Shows `text` in the page's result line and has screen readers read it
 * (the region is emptied first so that a repeated message is read again).
 * { error: true } uses the alert region instead and clears the status.
 */
export function announce(text, { error = false } = {}) {
  if (!text) return;
  const status = $('announce');
  const alert = $('alert');
  const target = error ? alert : status;
  const other = error ? status : alert;
  if (other) other.textContent = '';
  if (!target) return;
  const seq = ++announceSeq;
  target.textContent = '';
  target.hidden = false;
  setTimeout(() => {
    if (seq === announceSeq) target.textContent = text;
  }, 50);
}

/** Clears both live regions. */
export function clearAnnouncements() {
  announceSeq++;
  for (const id of ['announce', 'alert']) {
    const el = $(id);
    if (el) el.textContent = '';
  }
}

/**
 * A message for an ApiError (or anything thrown) in the current language;
 * empty for a 401, after which the page is already on its way to the login
 * form (announce() ignores empty text).
 */
export function errorText(err) {
  if (err instanceof ApiError) {
    if (err.status === 401) return ''; // the page is signing out (api.js)
    if (err.status === 0) return i18n.t('error.network');
    if (err.status === 429) {
      return i18n.t('error.rate_limited', { seconds: err.retryAfter || '60' });
    }
    const key = `error.${err.code}`;
    if (i18n.has(key)) return i18n.t(key);
    return i18n.t('error.generic', { status: err.status });
  }
  return i18n.t('error.generic', { status: '?' });
}

/** Shows the signed-in chrome: user name, navigation, sign-out button, the page. */
export function showSignedIn(who) {
  const name = $('whoami');
  name.textContent = i18n.t('nav.signed_in_as', { name: who.username });
  name.hidden = false;
  $('nav').hidden = false;
  $('logout').hidden = false;
  $('session-status').hidden = true;
  $('app').hidden = false;
}

/** Hides everything that needs a session. */
export function showSignedOut() {
  $('whoami').hidden = true;
  $('nav').hidden = true;
  $('logout').hidden = true;
  $('session-status').hidden = true;
  $('app').hidden = true;
}

/**
 * Starts a console page: translations, the sign-out button, then the
 * session check. Resolves to { username, csrf } when signed in. When not,
 * a page other than the login page sends the browser to the login form (and
 * never resolves); the login page ({ loginPage: true }) gets null.
 */
export async function startPage({ loginPage = false } = {}) {
  await i18n.init();
  $('logout').addEventListener('click', async () => {
    $('logout').disabled = true;
    try {
      await logout();
      location.assign(`${LOGIN_PAGE}?signed_out=1`);
    } catch (err) {
      $('logout').disabled = false;
      announce(errorText(err), { error: true });
    }
  });
  let who;
  for (;;) {
    try {
      who = await whoAmI();
      break;
    } catch (err) {
      const status = $('session-status');
      status.textContent = errorText(err);
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
  if (who) {
    showSignedIn(who);
    return who;
  }
  if (loginPage) {
    showSignedOut();
    return null;
  }
  const next = location.pathname + location.search + location.hash;
  location.assign(`${LOGIN_PAGE}?next=${encodeURIComponent(next)}`);
  return new Promise(() => {});
}
