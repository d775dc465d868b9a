// www/admin/js/events.js — the events page of the console (events.html):
// three views chosen by the address, kept in the history so that Back
// works: every event (GET /api/v1/admin/events: title, the dates in the
// venue's time zone, status, seats and waitlist, links to edit it and to
// its registrations); the form to create (?new=1) or edit (?edit=SLUG,
// filled from GET /api/v1/admin/events/{slug}) an event, in
// js/event-form.js; and the registrations of one event (?registrations=SLUG:
// GET /api/v1/admin/events/{slug}/registrations?q=, searched as one types)
// with links to the door page and the CSV on the exports page. Data goes
// into the page with textContent and setAttribute only.

import * as i18n from './i18n.js';
import { api, ApiError } from './api.js';
import { $, announce, clearAnnouncements, el, errorText, startPage } from './shell.js';
import { editing, initForm, openCreate, openEdit } from './event-form.js';

const PAGE = '/admin/events.html';
const SEARCH_DELAY_MS = 250;
const SLUG_RE = /^[a-z0-9-]{1,64}$/;

const state = {
  /** 'list' | 'edit' | 'registrations' */
  view: null,
  events: [],
  /** The registrations view: its event (from the door list) and items. */
  reg: { slug: null, event: null, items: [], checkedIn: 0, registered: 0, q: '' },
  seq: 0,
  searchTimer: null,
};

const titleOf = (ev) => (ev.title && (ev.title[i18n.language()] || ev.title.es)) || ev.slug;
const ended = (ev) => Date.parse(ev.ends_at) < Date.now();

/** The event's start–end in its own zone (its clocks), in the console's language. */
function whenText(ev) {
  try {
    const f = new Intl.DateTimeFormat(i18n.language(), {
      timeZone: ev.timezone, dateStyle: 'medium', timeStyle: 'short',
    });
    const start = new Date(ev.starts_at);
    const end = new Date(ev.ends_at);
    return `${typeof f.formatRange === 'function' ? f.formatRange(start, end) : `${f.format(start)} – ${f.format(end)}`} (${ev.timezone})`;
  } catch {
    return `${ev.starts_at_local || ev.starts_at} (${ev.timezone})`;
  }
}

function statusOf(ev) {
  if (ended(ev)) return 'ended';
  if (ev.status === 'full') return ev.waitlist ? 'full_waitlist' : 'full';
  return ev.status;
}

/** "118 of 120 · 5 waiting", or "12 (no limit)". */
function seatsText(ev) {
  const n = i18n.formatNumber;
  let text = Number.isSafeInteger(ev.capacity)
    ? i18n.t('events.seats_of', { registered: n(ev.registered), capacity: n(ev.capacity) })
    : i18n.t('events.seats_nolimit', { registered: n(ev.registered) });
  if (ev.waitlisted > 0) text += ` · ${i18n.plural('events.waiting', ev.waitlisted)}`;
  return text;
}

// ------------------------------------------------------------------ views ----

function urlOf(view, slug) {
  if (view === 'new') return `${PAGE}?new=1`;
  if (view === 'edit') return `${PAGE}?edit=${encodeURIComponent(slug)}`;
  if (view === 'registrations') return `${PAGE}?registrations=${encodeURIComponent(slug)}`;
  return PAGE;
}

function show(view) {
  state.view = view;
  $('list-view').hidden = view !== 'list';
  $('edit-view').hidden = view !== 'edit';
  $('reg-view').hidden = view !== 'registrations';
}

function setTitle(key, vars) {
  document.title = i18n.t('events.page_title_of', { what: i18n.t(key, vars) });
}

/** Shows the view the address names; focus moves to its heading when asked. */
async function route({ focus = false } = {}) {
  const q = new URLSearchParams(location.search);
  const seq = ++state.seq;
  clearTimeout(state.searchTimer);
  const edit = q.get('edit');
  const regs = q.get('registrations');
  let heading;
  if (q.get('new') === '1') {
    show('edit');
    openCreate();
    $('event-form').hidden = false;
    $('edit-state').textContent = '';
    $('edit-title').textContent = i18n.t('events.create_title');
    setTitle('events.create_title');
    heading = $('edit-title');
  } else if (edit && SLUG_RE.test(edit)) {
    show('edit');
    $('edit-title').textContent = i18n.t('events.loading_one');
    $('event-form').hidden = true;
    try {
      const ev = await api('GET', `/api/v1/admin/events/${edit}`);
      if (seq !== state.seq) return;
      openEdit(ev);
      $('event-form').hidden = false;
      $('edit-title').textContent = i18n.t('events.edit_title', { title: titleOf(ev) });
      $('edit-state').textContent = '';
      setTitle('events.edit_title', { title: titleOf(ev) });
    } catch (err) {
      if (seq !== state.seq) return;
      $('edit-title').textContent = i18n.t('events.edit_missing');
      $('edit-state').textContent = err instanceof ApiError && err.status === 404 ? i18n.t('events.gone') : errorText(err);
    }
    heading = $('edit-title');
  } else if (regs && SLUG_RE.test(regs)) {
    show('registrations');
    state.reg = { slug: regs, event: null, items: [], checkedIn: 0, registered: 0, q: '' };
    $('reg-q').value = '';
    $('reg-title').textContent = i18n.t('events.loading_one');
    renderRegLinks();
    await loadRegistrations(seq);
    heading = $('reg-title');
  } else {
    show('list');
    setTitle('events.list_title');
    await loadList(seq);
    heading = $('list-title');
  }
  if (focus && seq === state.seq) heading.focus();
}

/** Goes to view (pushing the address) and shows it. */
function go(url) {
  if (url !== location.pathname + location.search) history.pushState(null, '', url);
  clearAnnouncements();
  return route({ focus: true });
}

// ------------------------------------------------------------------- list ----

async function loadList(seq) {
  $('list-state').textContent = i18n.t('events.loading');
  try {
    const data = await api('GET', '/api/v1/admin/events');
    if (seq !== state.seq) return;
    state.events = Array.isArray(data.items) ? data.items : [];
    renderList();
  } catch (err) {
    if (seq !== state.seq) return;
    $('list-state').textContent = '';
    announce(errorText(err), { error: true });
  }
}

function actionLink(text, label, href) {
  return el('a', { href, 'aria-label': label, class: 'row-action' }, text);
}

function renderList() {
  const rows = state.events.map((ev) => {
    const tr = el('tr');
    tr.dataset.slug = ev.slug;
    const title = titleOf(ev);
    const name = el('td');
    name.append(el('span', { class: 'ev-title' }, title), el('span', { class: 'ev-slug' }, ev.slug));
    const status = statusOf(ev);
    const badge = el('span', { class: 'badge' }, i18n.t(`events.status.${status}`));
    badge.dataset.status = status === 'open' ? 'open' : status === 'closed' || status === 'ended' ? 'closed' : 'upcoming';
    const statusCell = el('td');
    statusCell.append(badge);
    const actions = el('td');
    const links = el('div', { class: 'row-actions' });
    links.append(
      actionLink(i18n.t('events.edit'), i18n.t('events.edit_label', { title }), urlOf('edit', ev.slug)),
      actionLink(i18n.t('events.registrations'), i18n.t('events.registrations_label', { title }), urlOf('registrations', ev.slug)),
    );
    actions.append(links);
    tr.append(name, el('td', {}, whenText(ev)), statusCell, el('td', {}, seatsText(ev)), actions);
    return tr;
  });
  $('events-rows').replaceChildren(...rows);
  $('events-table').hidden = rows.length === 0;
  $('list-state').textContent = rows.length === 0 ? i18n.t('events.none') : i18n.plural('events.count', rows.length);
}

// ---------------------------------------------------------- registrations ----

function renderRegLinks() {
  const slug = state.reg.slug;
  $('reg-door').setAttribute('href', `/admin/checkin.html?event=${encodeURIComponent(slug)}`);
  $('reg-export').setAttribute('href', `/admin/exports.html?event=${encodeURIComponent(slug)}`);
  $('reg-edit').setAttribute('href', urlOf('edit', slug));
  $('reg-public').setAttribute('href', `/events.html?event=${encodeURIComponent(slug)}`);
}

async function loadRegistrations(seq) {
  const r = state.reg;
  const q = r.q;
  $('reg-state').textContent = i18n.t('events.reg_loading');
  try {
    const path = `/api/v1/admin/events/${r.slug}/registrations${q ? `?q=${encodeURIComponent(q)}` : ''}`;
    const data = await api('GET', path);
    if (seq !== state.seq || q !== state.reg.q) return;
    r.event = data.event;
    r.items = Array.isArray(data.items) ? data.items : [];
    r.registered = data.registered;
    r.checkedIn = data.checked_in;
    renderRegistrations();
  } catch (err) {
    if (seq !== state.seq) return;
    $('reg-state').textContent = '';
    if (err instanceof ApiError && err.status === 404) $('reg-title').textContent = i18n.t('events.gone');
    else announce(errorText(err), { error: true });
  }
}

function renderRegistrations() {
  const r = state.reg;
  const ev = r.event;
  if (!ev) return;
  const title = titleOf(ev);
  $('reg-title').textContent = i18n.t('events.reg_title', { title });
  setTitle('events.reg_title', { title });
  const n = i18n.formatNumber;
  const parts = [Number.isSafeInteger(ev.capacity)
    ? i18n.t('events.seats_of', { registered: n(ev.registered), capacity: n(ev.capacity) })
    : i18n.t('events.seats_nolimit', { registered: n(ev.registered) })];
  parts.push(i18n.plural('events.checked_in_count', r.checkedIn));
  $('reg-totals').textContent = `${whenText(ev)} · ${parts.join(' · ')}`;
  const rows = r.items.map((g) => {
    const tr = el('tr');
    const status = g.status === 'waitlisted' ? 'waitlisted' : 'registered';
    tr.append(
      el('td', {}, g.name),
      el('td', {}, g.organisation || ''),
      el('td', {}, i18n.t(`events.reg.status.${status}`)),
      el('td', {}, Number.isSafeInteger(g.waitlist_position) ? n(g.waitlist_position) : ''),
      el('td', {}, g.checked_in_at ? i18n.formatDateTime(g.checked_in_at) : (status === 'registered' ? i18n.t('common.not_yet') : '')),
    );
    return tr;
  });
  $('reg-rows').replaceChildren(...rows);
  $('reg-table').hidden = rows.length === 0;
  let text;
  if (rows.length === 0) text = r.q ? i18n.t('events.reg_none_found', { q: r.q }) : i18n.t('events.reg_none');
  else text = r.q ? i18n.plural('events.reg_found', rows.length, { q: r.q }) : i18n.plural('events.reg_listed', rows.length);
  $('reg-state').textContent = text;
}

function search() {
  clearTimeout(state.searchTimer);
  state.searchTimer = setTimeout(() => {
    const q = $('reg-q').value.trim();
    if (q === state.reg.q) return;
    state.reg.q = q;
    loadRegistrations(state.seq);
  }, SEARCH_DELAY_MS);
}

// ------------------------------------------------------------------ start ----

/** Links to another view of this page change the view without a reload. */
function followLinks(ev) {
  const a = ev.target.closest('a[href]');
  if (!a || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
  const url = new URL(a.href, location.href);
  if (url.origin !== location.origin || url.pathname !== PAGE) return;
  ev.preventDefault();
  go(url.pathname + url.search);
}

async function main() {
  await startPage();
  initForm({
    onSaved: async (saved, created) => {
      await go(PAGE);
      announce(i18n.t(created ? 'events.created' : 'events.saved', { title: titleOf(saved) }));
    },
  });
  $('app').addEventListener('click', followLinks);
  $('reg-search').addEventListener('submit', (ev) => ev.preventDefault());
  $('reg-q').addEventListener('input', search);
  window.addEventListener('popstate', () => route({ focus: true }));
  i18n.onLanguageChange(() => {
    if (state.view === 'list') {
      setTitle('events.list_title');
      renderList();
    } else if (state.view === 'registrations') {
      renderRegistrations();
    } else if (state.view === 'edit') {
      const ev = editing();
      const key = ev ? 'events.edit_title' : 'events.create_title';
      $('edit-title').textContent = i18n.t(key, ev ? { title: titleOf(ev) } : undefined);
      setTitle(key, ev ? { title: titleOf(ev) } : undefined);
    }
  });
  await route();
}

main();
