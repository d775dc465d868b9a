// www/admin/js/api.js — the console's HTTP client for /api/v1/admin/. Keeps
// the CSRF token of the session in sessionStorage (the session cookie itself
// is HttpOnly and never seen here), sends it as X-CSRF-Token on every
// request that changes something, and turns a 401 anywhere into a trip to
// the login form. Errors come back as ApiError with the API's error code.

const CSRF_KEY = 'icommit.admin.csrf';
export const LOGIN_PAGE = '/admin/';

/** An error answer (or no answer) from the API. */
export class ApiError extends Error {
  constructor(status, code, message, { fields = null, retryAfter = null } = {}) {
    super(message || code);
    this.status = status;       // 0 when the server could not be reached
    this.code = code;           // the API's error.code, or 'network'
    this.fields = fields;       // field -> reason for 422 invalid
    this.retryAfter = retryAfter;
  }
}

export function csrfToken() {
  try {
    return sessionStorage.getItem(CSRF_KEY);
  } catch {
    return null;
  }
}

export function setCsrfToken(token) {
  try {
    if (token) sessionStorage.setItem(CSRF_KEY, token);
    else sessionStorage.removeItem(CSRF_KEY);
  } catch {
    /* without storage the token is fetched again from /me on every page */
  }
}

const unauthorizedHandlers = [];

/**
 * Registers what a 401 does on this page (the login page shows its form).
 * Without a handler, the browser goes to the login form, which brings the
 * user back here afterwards (?next=).
 */
export function onUnauthorized(fn) {
  unauthorizedHandlers.push(fn);
}

function signedOut() {
  setCsrfToken(null);
  if (unauthorizedHandlers.length > 0) {
    for (const fn of unauthorizedHandlers) fn();
    return;
  }
  const next = location.pathname + location.search + location.hash;
  location.assign(`${LOGIN_PAGE}?next=${encodeURIComponent(next)}`);
}

/** A same-origin console path from ?next=, or null. */
export function nextPath() {
  const next = new URLSearchParams(location.search).get('next');
  if (!next || !next.startsWith('/admin/') || next.startsWith('//')) return null;
  return next;
}

async function send(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-CSRF-Token'] = csrfToken() || '';
  if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  try {
    return await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, 'network', 'The server could not be reached.');
  }
}

async function parse(res) {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

function errorOf(res, data) {
  const e = data && data.error ? data.error : {};
  return new ApiError(res.status, e.code || `http_${res.status}`, e.message, {
    fields: e.fields || null,
    retryAfter: res.headers.get('Retry-After'),
  });
}

/**
 * Calls the API and resolves to the parsed JSON of a 2xx answer.
 * A 401 signs the page out (see onUnauthorized) and rejects; a 403 (a CSRF
 * token from an older session) refreshes the token from /me and retries
 * once. Other errors reject with an ApiError.
 */
export async function api(method, path, body) {
  let res = await send(method, path, body);
  if (res.status === 403 && method !== 'GET') {
    const me = await send('GET', '/api/v1/admin/me');
    const who = me.ok ? await parse(me) : null;
    if (who && who.csrf) {
      setCsrfToken(who.csrf);
      res = await send(method, path, body);
    }
  }
  const data = await parse(res);
  if (res.status === 401) {
    signedOut();
    throw errorOf(res, data);
  }
  if (!res.ok) throw errorOf(res, data);
  return data;
}

/**
 * Who is signed in: { username, csrf } (the token is kept), or null when
 * there is no valid session. Does not redirect.
 */
export async function whoAmI() {
  const res = await send('GET', '/api/v1/admin/me');
  if (res.status === 401) {
    setCsrfToken(null);
    return null;
  }
  const data = await parse(res);
  if (!res.ok) throw errorOf(res, data);
  setCsrfToken(data.csrf);
  return data;
}

/** Signs in; resolves to { username, csrf } or rejects with an ApiError. */
export async function login(username, password) {
  const res = await send('POST', '/api/v1/admin/login', { username, password });
  const data = await parse(res);
  if (!res.ok) throw errorOf(res, data);
  setCsrfToken(data.csrf);
  return data;
}

/** Signs out (ends the session on the server) and forgets the token. */
export async function logout() {
  try {
    await api('POST', '/api/v1/admin/logout');
  } catch (err) {
    if (err.status !== 401) throw err;
  } finally {
    setCsrfToken(null);
  }
}

/** The public list of campaigns (GET /api/v1/campaigns). */
export async function campaigns() {
  const data = await api('GET', '/api/v1/campaigns');
  return Array.isArray(data && data.items) ? data.items : [];
}
