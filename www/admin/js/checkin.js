// www/admin/js/checkin.js — the door (admin/checkin.html). Signs staff in
// with POST /api/v1/admin/login when GET /api/v1/admin/me says there is no
// session; lists the events (GET /api/v1/events, or ?event=SLUG); searches
// the door list as one types (debounced GET
// /api/v1/admin/events/{slug}/registrations?q=); checks a person in or undoes
// it (POST /api/v1/admin/registrations/{id}/checkin [{"undo": true}], with
// the X-CSRF-Token header) and shows the checked-in / registered counts,
// refreshed after every change and every REFRESH_MS (other doors check
// people in too). Data goes in with textContent only.

import * as i18n from '/js/events-i18n.js';
import { countryName } from '/js/countries.js';

const $ = (id) => document.getElementById(id);
const SEARCH_DELAY_MS = 250;
const REFRESH_MS = 20_000;
const SLUG_RE = /^[a-z0-9-]{1,64}$/;

const state = {
  /** 'start' | 'login' | 'door' */
  view: 'start',
  csrf: null,
  events: [],
  slug: null,
  /** The door list as last loaded, and for which query. */
  items: [],
  query: '',
  loadingList: false,
  /** Totals over the whole event: { registered, checkedIn } or null. */
  counts: null,
  /** The event object from the last door list. */
  event: null,
  /** Registration ids with a request in flight. */
  busy: new Set(),
  feedback: null, // { key, vars }
  notice: null, // { key, vars }
  loginError: null, // { key, vars }
};

// ---------------------------------------------------------------------------
// HTTP.

/** fetch + JSON; resolves { status, body } (status 0: no answer). */
async function api(method, path, body, { signal } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json; charset=utf-8';
  if (method !== 'GET' && state.csrf) headers['X-CSRF-Token'] = state.csrf;
  let r;
  try {
    r = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: 'same-origin',
      signal,
    });
  } catch (err) {
    if (err && err.name === 'AbortError') throw err;
    return { status: 0, body: null };
  }
  let json = null;
  try {
    json = await r.json();
  } catch {
    json = null;
  }
  return { status: r.status, body: json };
}

/** A staff request; on 403 (stale CSRF token) fetches a fresh one and tries once more. */
async function staff(method, path, body, opts) {
  let res = await api(method, path, body, opts);
  if (res.status === 403 && method !== 'GET') {
    const me = await api('GET', '/api/v1/admin/me');
    if (me.status === 200 && me.body && typeof me.body.csrf === 'string') {
      state.csrf = me.body.csrf;
      res = await api(method, path, body, opts);
    }
  }
  if (res.status === 401) signedOut();
  return res;
}

function problemKey(status) {
  if (status === 0) return 'error.network';
  if (status === 429) return 'error.rate_limited';
  if (status >= 500) return 'error.unavailable';
  return 'error.generic';
}

// ---------------------------------------------------------------------------
// Rendering.

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

function msg(m) {
  return m ? i18n.t(m.key, m.vars) : '';
}

function timeOf(iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  let tz = state.event && typeof state.event.timezone === 'string' ? state.event.timezone : 'UTC';
  try {
    return new Intl.DateTimeFormat(i18n.language(), { hour: 'numeric', minute: '2-digit', timeZone: tz }).format(d);
  } catch {
    tz = 'UTC';
    return new Intl.DateTimeFormat(i18n.language(), { hour: 'numeric', minute: '2-digit', timeZone: tz }).format(d);
  }
}

function renderEvents() {
  const select = $('ci-event');
  const first = document.createElement('option');
  first.value = '';
  first.textContent = i18n.t('checkin.event.choose');
  const opts = state.events.map((ev) => {
    const o = document.createElement('option');
    o.value = ev.slug;
    const when = (() => {
      try {
        return new Intl.DateTimeFormat(i18n.language(), { dateStyle: 'medium', timeZone: ev.timezone || 'UTC' }).format(new Date(ev.starts_at));
      } catch {
        return '';
      }
    })();
    const title = i18n.localized(ev.title) || ev.slug;
    o.textContent = when ? `${title} · ${when}` : title;
    return o;
  });
  select.replaceChildren(first, ...opts);
  select.value = state.slug || '';
}

function renderCounts() {
  const c = state.counts;
  setText($('ci-count-in'), c ? i18n.formatNumber(c.checkedIn) : '–');
  setText($('ci-count-of'), c ? i18n.plural('checkin.count.of', c.registered) : '');
}

function personRow(item) {
  const li = document.createElement('li');
  li.className = 'ci-person';
  li.dataset.id = String(item.id);
  const who = document.createElement('div');
  who.className = 'ci-person__who';
  const name = document.createElement('p');
  name.className = 'ci-person__name';
  name.id = `ci-person-${item.id}`;
  const meta = document.createElement('p');
  meta.className = 'ci-person__meta';
  const st = document.createElement('p');
  st.className = 'ci-person__state';
  who.append(name, meta, st);
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'ci-big ci-person__button';
  button.addEventListener('click', () => toggle(Number(li.dataset.id)));
  li.append(who, button);
  return li;
}

function renderPerson(li, item) {
  const [who, button] = li.children;
  const [name, meta, st] = who.children;
  setText(name, item.name);
  const parts = [];
  if (item.organisation) parts.push(item.organisation);
  if (item.role) parts.push(item.role);
  if (item.country) parts.push(countryName(item.country, i18n.language(), item.country));
  setText(meta, parts.join(' · '));
  meta.hidden = parts.length === 0;
  const inside = Boolean(item.checked_in_at);
  const seated = item.status === 'registered';
  li.dataset.state = !seated ? 'waitlisted' : inside ? 'in' : 'out';
  if (!seated) {
    setText(st, Number.isSafeInteger(item.waitlist_position)
      ? i18n.t('checkin.state.waitlisted_pos', { position: i18n.formatNumber(item.waitlist_position) })
      : i18n.t('checkin.state.waitlisted'));
  } else {
    setText(st, inside ? i18n.t('checkin.state.in', { time: timeOf(item.checked_in_at) }) : i18n.t('checkin.state.out'));
  }
  button.hidden = !seated;
  // The visible word, and a name that says who ("Check in: Ana Souza").
  const action = i18n.t(inside ? 'checkin.undo' : 'checkin.checkin');
  setText(button, action);
  button.setAttribute('aria-label', `${action}: ${item.name}`);
  button.classList.toggle('ci-big--undo', inside);
  if (state.busy.has(item.id)) button.setAttribute('aria-disabled', 'true');
  else button.removeAttribute('aria-disabled');
}

function renderList() {
  const list = $('ci-list');
  const byId = new Map([...list.children].map((li) => [li.dataset.id, li]));
  const rows = state.items.map((item) => {
    const li = byId.get(String(item.id)) || personRow(item);
    renderPerson(li, item);
    return li;
  });
  const current = [...list.children];
  if (current.length !== rows.length || current.some((n, i) => n !== rows[i])) list.replaceChildren(...rows);
  let results = '';
  if (state.loadingList && state.items.length === 0) results = i18n.t('checkin.searching');
  else if (state.items.length === 0) results = state.query ? i18n.t('checkin.none_found', { q: state.query }) : i18n.t('checkin.none');
  else results = i18n.plural(state.query ? 'checkin.found' : 'checkin.listed', state.items.length, { q: state.query });
  setText($('ci-results'), results);
}

function render() {
  $('ci-loading').hidden = state.view !== 'start';
  $('ci-login').hidden = state.view !== 'login';
  $('ci-door').hidden = state.view !== 'door';
  $('ci-logout').hidden = state.view !== 'door';
  const notice = msg(state.notice);
  setText($('ci-notice'), notice);
  $('ci-notice').classList.toggle('is-shown', notice !== '');
  setText($('ci-login-error'), msg(state.loginError));
  $('ci-login-error').classList.toggle('is-shown', Boolean(state.loginError));
  if (state.view !== 'door') return;
  $('ci-board').hidden = !state.slug;
  setText($('ci-feedback'), msg(state.feedback));
  renderCounts();
  renderList();
}

// ---------------------------------------------------------------------------
// Session.

/** The session is gone (401): back to the sign-in form, saying why. */
function signedOut() {
  if (state.view === 'login') return;
  state.loginError = state.view === 'door' ? { key: 'checkin.login.expired' } : null;
  state.view = 'login';
  state.csrf = null;
  render();
}

async function start() {
  const me = await api('GET', '/api/v1/admin/me');
  if (me.status === 200 && me.body && typeof me.body.csrf === 'string') {
    state.csrf = me.body.csrf;
    await openDoor();
    return;
  }
  if (me.status === 401) {
    state.view = 'login';
    state.loginError = null;
    render();
    return;
  }
  state.view = 'login';
  state.notice = { key: problemKey(me.status) };
  render();
}

async function login(e) {
  e.preventDefault();
  const username = $('ci-username').value.trim();
  const password = $('ci-password').value;
  if (!username || !password) {
    state.loginError = { key: 'checkin.login.missing' };
    render();
    (username ? $('ci-password') : $('ci-username')).focus();
    return;
  }
  const button = $('ci-login-submit');
  button.setAttribute('aria-disabled', 'true');
  const res = await api('POST', '/api/v1/admin/login', { username, password });
  button.removeAttribute('aria-disabled');
  if (res.status === 200 && res.body && typeof res.body.csrf === 'string') {
    state.csrf = res.body.csrf;
    state.loginError = null;
    state.notice = null;
    $('ci-password').value = '';
    await openDoor();
    $('ci-event').focus();
    return;
  }
  if (res.status === 401) state.loginError = { key: 'checkin.login.wrong' };
  else if (res.status === 422) state.loginError = { key: 'checkin.login.missing' };
  else state.loginError = { key: problemKey(res.status) };
  render();
  $('ci-password').focus();
}

async function logout() {
  await staff('POST', '/api/v1/admin/logout', {});
  state.csrf = null;
  state.view = 'login';
  state.loginError = null;
  state.feedback = null;
  render();
  $('ci-login-title').focus();
}

// ---------------------------------------------------------------------------
// Events and the door list.

async function openDoor() {
  state.view = 'door';
  const wanted = new URLSearchParams(location.search).get('event');
  const res = await api('GET', '/api/v1/events');
  state.events = res.status === 200 && res.body && Array.isArray(res.body.items)
    ? res.body.items.filter((ev) => ev && typeof ev.slug === 'string' && SLUG_RE.test(ev.slug))
    : [];
  if (res.status !== 200) state.notice = { key: problemKey(res.status) };
  if (wanted && SLUG_RE.test(wanted) && !state.events.some((ev) => ev.slug === wanted)) {
    const one = await api('GET', `/api/v1/events/${wanted}`);
    if (one.status === 200 && one.body && one.body.slug === wanted) state.events.unshift(one.body);
  }
  if (wanted && state.events.some((ev) => ev.slug === wanted)) state.slug = wanted;
  else if (!state.slug && state.events.length === 1) state.slug = state.events[0].slug;
  renderEvents();
  render();
  if (state.slug) await loadList();
}

let listSeq = 0;
let listAbort = null;

/** Loads the door list for state.slug and state.query. */
async function loadList() {
  if (!state.slug) return;
  const seq = ++listSeq;
  if (listAbort) listAbort.abort();
  listAbort = new AbortController();
  const q = state.query;
  state.loadingList = true;
  renderList();
  const path = `/api/v1/admin/events/${state.slug}/registrations${q ? `?q=${encodeURIComponent(q)}` : ''}`;
  let res;
  try {
    res = await staff('GET', path, undefined, { signal: listAbort.signal });
  } catch {
    return; // overtaken by a newer search
  }
  if (seq !== listSeq) return;
  state.loadingList = false;
  if (res.status === 200 && res.body && Array.isArray(res.body.items)) {
    state.items = res.body.items;
    state.event = res.body.event || state.event;
    state.notice = null;
    // Without a search the answer covers the whole event: its totals.
    if (!q) state.counts = { registered: res.body.registered, checkedIn: res.body.checked_in };
    else if (!state.counts) refreshCounts();
  } else if (res.status !== 401) {
    state.notice = { key: res.status === 404 ? 'checkin.event_gone' : problemKey(res.status) };
  }
  render();
}

/** The event's totals (checked in / registered) from the whole door list. */
async function refreshCounts() {
  if (!state.slug) return;
  const slug = state.slug;
  const res = await staff('GET', `/api/v1/admin/events/${slug}/registrations`);
  if (slug !== state.slug || res.status !== 200 || !res.body) return;
  state.counts = { registered: res.body.registered, checkedIn: res.body.checked_in };
  renderCounts();
}

/** Checks person `id` in, or undoes it when they are already in. */
async function toggle(id) {
  const item = state.items.find((x) => x.id === id);
  if (!item || state.busy.has(id)) return;
  const undo = Boolean(item.checked_in_at);
  state.busy.add(id);
  render();
  const res = await staff('POST', `/api/v1/admin/registrations/${id}/checkin`, undo ? { undo: true } : {});
  state.busy.delete(id);
  if (res.status === 200 && res.body && res.body.id === id) {
    Object.assign(item, res.body);
    if (state.counts) state.counts.checkedIn += undo ? -1 : 1;
    state.feedback = {
      key: undo ? 'checkin.feedback.undone' : 'checkin.feedback.in',
      vars: { name: item.name, count: state.counts ? i18n.formatNumber(state.counts.checkedIn) : '?', total: state.counts ? i18n.formatNumber(state.counts.registered) : '?' },
    };
    render();
    await refreshCounts();
    return;
  }
  if (res.status === 401) return;
  state.feedback = {
    key: res.status === 404 ? 'checkin.feedback.gone' : problemKey(res.status),
    vars: { name: item.name },
  };
  render();
  if (res.status === 404) loadList();
}

// ---------------------------------------------------------------------------

let searchTimer = 0;
$('ci-q').addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    const q = $('ci-q').value.trim();
    if (q === state.query) return;
    state.query = q;
    loadList();
  }, SEARCH_DELAY_MS);
});
$('ci-q').addEventListener('keydown', (e) => {
  if (e.key === 'Enter') e.preventDefault();
});
$('ci-event').addEventListener('change', () => {
  const slug = $('ci-event').value;
  state.slug = SLUG_RE.test(slug) ? slug : null;
  state.items = [];
  state.counts = null;
  state.event = null;
  state.feedback = null;
  const url = new URL(location.href);
  if (state.slug) url.searchParams.set('event', state.slug);
  else url.searchParams.delete('event');
  history.replaceState(history.state, '', url);
  render();
  loadList();
});
$('ci-login-form').addEventListener('submit', login);
$('ci-logout').addEventListener('click', logout);
i18n.onChange(() => {
  if (state.view === 'door') renderEvents();
  render();
});

setInterval(() => {
  if (state.view === 'door' && state.slug && document.visibilityState === 'visible' && state.busy.size === 0) {
    if (state.query) refreshCounts();
    loadList();
  }
}, REFRESH_MS);

i18n.init().then(() => {
  render();
  start();
});
