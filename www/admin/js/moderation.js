// www/admin/js/moderation.js — the console's first page: the login form,
// then the moderation queue (GET /api/v1/admin/pledges, newest first,
// filtered by campaign and status, "load more" through the `next` cursor),
// approve/reject one pledge (POST .../pledges/{id}/moderation) or a
// selection (POST .../pledges/moderation), and the keyboard: j/k move
// between pledges, a approves, r rejects, x selects. Everything a pledge's
// author wrote goes into the page through textContent only.

import * as i18n from './i18n.js';
import {
  api, ApiError, campaigns as listCampaigns, login, nextPath, onUnauthorized,
} from './api.js';
import {
  $, announce, clearAnnouncements, errorText, showSignedIn, showSignedOut, startPage,
} from './shell.js';

const PAGE_SIZE = 20;

const state = {
  items: [],          // admin pledges shown, in order
  next: null,         // cursor of the next page, or null
  current: -1,        // index of the pledge j/k/a/r/x act on
  selected: new Set(), // ids
  busy: new Set(),    // ids with a decision in flight
  loadSeq: 0,
  campaigns: [],
};

// ---------------------------------------------------------------- login ----

function showLogin(noteKey) {
  showSignedOut();
  $('login').hidden = false;
  const note = $('login-note');
  if (noteKey) {
    note.setAttribute('data-i18n', noteKey);
    note.textContent = i18n.t(noteKey);
    note.hidden = false;
  } else {
    note.hidden = true;
  }
  $('login-username').focus();
}

function loginError(text) {
  const box = $('login-error');
  box.textContent = text;
  box.hidden = !text;
  for (const id of ['login-username', 'login-password']) {
    if (text) $(id).setAttribute('aria-invalid', 'true');
    else $(id).removeAttribute('aria-invalid');
  }
  if (text) announce(text, { error: true });
}

async function submitLogin(ev) {
  ev.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  if (!username || !password) {
    loginError(i18n.t('login.missing'));
    $(username ? 'login-password' : 'login-username').focus();
    return;
  }
  const button = $('login-submit');
  button.disabled = true;
  loginError('');
  try {
    const who = await login(username, password);
    $('login-password').value = '';
    const next = nextPath();
    if (next && next !== '/admin/' && !next.startsWith('/admin/?') && !next.startsWith('/admin/index.html')) {
      location.assign(next);
      return;
    }
    $('login').hidden = true;
    showSignedIn(who);
    await startQueue();
    $('queue-title').focus();
    announce(i18n.t('login.welcome', { name: who.username }));
  } catch (err) {
    let text;
    if (err instanceof ApiError && err.status === 401) text = i18n.t('login.failed');
    else text = errorText(err);
    loginError(text);
    $('login-password').select();
    $('login-password').focus();
  } finally {
    button.disabled = false;
  }
}

// --------------------------------------------------------------- render ----

const make = (tag, cls, text) => {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
};

function label(prefix, value) {
  const key = `${prefix}.${value}`;
  return i18n.has(key) ? i18n.t(key) : String(value);
}

/** The list of facts about a pledge shown under its text. */
function metaRows(p) {
  const rows = [
    ['pledge.email', p.email],
    ['pledge.actor_type', p.actor_type && label('actor', p.actor_type)],
    ['pledge.country', p.country && `${i18n.countryName(p.country)} (${p.country})`],
    ['pledge.city', p.city],
    ['pledge.category', p.category && label('category', p.category)],
    ['pledge.quantity', p.quantity !== null && p.quantity !== undefined
      ? `${i18n.formatNumber(p.quantity)} ${p.unit ? label('unit', p.unit) : ''}`.trim() : null],
    ['pledge.target_year', p.target_year],
    ['pledge.public', i18n.t(p.public ? 'common.yes' : 'common.no')],
    ['pledge.language', p.language && label('language', p.language)],
    ['pledge.created_at', i18n.formatDateTime(p.created_at)],
    ['pledge.confirmed_at', p.confirmed_at ? i18n.formatDateTime(p.confirmed_at) : i18n.t('common.not_yet')],
  ];
  return rows.filter(([, v]) => v !== null && v !== undefined && v !== '');
}

function fillItem(li, p) {
  const titleId = `pledge-${p.id}-title`;
  li.dataset.id = String(p.id);
  li.setAttribute('aria-labelledby', titleId);
  const title = li.querySelector('.pledge__title');
  title.id = titleId;
  const who = p.organisation ? `${p.name} — ${p.organisation}` : p.name;
  title.textContent = i18n.t('pledge.title', { id: p.id, name: who });

  const status = li.querySelector('.pledge__status');
  status.textContent = label('status', p.status);
  status.setAttribute('data-status', p.status);

  const check = li.querySelector('.pledge__select');
  check.checked = state.selected.has(p.id);
  check.id = `pledge-${p.id}-select`;
  li.querySelector('.pledge__select-label').textContent = i18n.t('pledge.select', { id: p.id });

  const text = li.querySelector('.pledge__commitment');
  text.textContent = p.commitment;
  text.id = `pledge-${p.id}-text`;

  const dl = li.querySelector('.pledge__meta');
  dl.replaceChildren();
  for (const [key, value] of metaRows(p)) {
    const row = make('div', 'pledge__fact');
    row.append(make('dt', null, i18n.t(key)), make('dd', null, String(value)));
    dl.append(row);
  }

  for (const b of li.querySelectorAll('button[data-decision]')) {
    const approve = b.dataset.decision === 'approve';
    b.textContent = i18n.t(approve ? 'action.approve' : 'action.reject');
    b.setAttribute('aria-describedby', titleId);
    b.disabled = (approve && p.status === 'approved')
      || (!approve && p.status === 'rejected')
      || (approve && p.status === 'pending_confirmation');
  }
  li.classList.toggle('is-current', state.items[state.current] === p);
  li.classList.toggle('is-selected', state.selected.has(p.id));
}

function itemElement(id) {
  return $('queue').querySelector(`li[data-id="${Number(id)}"]`);
}

function newItem(p) {
  const li = $('pledge-template').content.firstElementChild.cloneNode(true);
  fillItem(li, p);
  return li;
}

function renderBulk() {
  const n = state.selected.size;
  $('bulk-count').textContent = i18n.plural('bulk.count', n);
  $('bulk-approve').disabled = n === 0;
  $('bulk-reject').disabled = n === 0;
  $('select-none').disabled = n === 0;
  $('select-all').disabled = state.items.length === 0;
}

function renderState(kind) {
  const el = $('queue-state');
  if (kind === 'loading') el.textContent = i18n.t('moderation.loading');
  else if (state.items.length === 0) {
    el.textContent = i18n.t($('filter-status').value === 'confirmed' ? 'moderation.empty_queue' : 'moderation.empty');
  } else el.textContent = '';
  $('load-more').hidden = !state.next;
}

function renderAll() {
  const list = $('queue');
  list.replaceChildren(...state.items.map(newItem));
  renderBulk();
  renderState();
}

// ------------------------------------------------------------- loading ----

function query(before) {
  const q = new URLSearchParams();
  const campaign = $('filter-campaign').value;
  const status = $('filter-status').value;
  if (campaign) q.set('campaign', campaign);
  if (status) q.set('status', status);
  q.set('limit', String(PAGE_SIZE));
  if (before) q.set('before', before);
  return `/api/v1/admin/pledges?${q}`;
}

/** Loads the first page for the current filters (replacing the list). */
async function reload({ announceCount = false } = {}) {
  const seq = ++state.loadSeq;
  state.items = [];
  state.next = null;
  state.current = -1;
  state.selected.clear();
  $('queue').replaceChildren();
  renderBulk();
  renderState('loading');
  try {
    const data = await api('GET', query(null));
    if (seq !== state.loadSeq) return;
    state.items = data.items;
    state.next = data.next;
    renderAll();
    if (announceCount) announce(i18n.plural('moderation.shown', state.items.length));
  } catch (err) {
    if (seq !== state.loadSeq) return;
    renderState();
    announce(errorText(err), { error: true });
  }
}

async function loadMore() {
  if (!state.next) return;
  const seq = state.loadSeq;
  const button = $('load-more');
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const data = await api('GET', query(state.next));
    if (seq !== state.loadSeq) return;
    const first = state.items.length;
    const known = new Set(state.items.map((p) => p.id));
    const fresh = data.items.filter((p) => !known.has(p.id));
    state.items.push(...fresh);
    state.next = data.next;
    $('queue').append(...fresh.map(newItem));
    renderBulk();
    renderState();
    if (fresh.length > 0) setCurrent(first, { focus: true });
    else button.focus();
    announce(i18n.plural('moderation.loaded_more', fresh.length));
  } catch (err) {
    announce(errorText(err), { error: true });
  } finally {
    button.removeAttribute('aria-disabled');
    if (!state.next && document.activeElement === button) $('queue-title').focus();
  }
}

// ------------------------------------------------------------ decisions ----

function setCurrent(index, { focus = false } = {}) {
  if (state.items.length === 0) {
    state.current = -1;
    return;
  }
  const i = Math.max(0, Math.min(index, state.items.length - 1));
  const prev = state.items[state.current];
  if (prev) itemElement(prev.id)?.classList.remove('is-current');
  state.current = i;
  const li = itemElement(state.items[i].id);
  if (!li) return;
  li.classList.add('is-current');
  if (focus) {
    li.focus();
    li.scrollIntoView({ block: 'nearest' });
  }
}

/** Does a pledge in status `status` still belong in the list as filtered? */
function matchesFilter(status) {
  const want = $('filter-status').value;
  return !want || want === status;
}

function toggleSelected(p, on = !state.selected.has(p.id)) {
  if (on) state.selected.add(p.id);
  else state.selected.delete(p.id);
  const li = itemElement(p.id);
  if (li) {
    li.querySelector('.pledge__select').checked = on;
    li.classList.toggle('is-selected', on);
  }
  renderBulk();
}

/**
 * Applies server results [{id, status} | {id, error}] to the list: updates
 * or removes each item, keeps focus on a sensible pledge, and returns
 * counts { done, failed: [{id, error}] }.
 */
function applyResults(results, focusWasInList) {
  const currentId = state.items[state.current]?.id;
  const failed = [];
  let done = 0;
  for (const r of results) {
    state.busy.delete(r.id);
    const p = state.items.find((x) => x.id === r.id);
    if (r.error) {
      failed.push(r);
      if (p) {
        const li = itemElement(p.id);
        if (li) fillItem(li, p);
      }
      continue;
    }
    done++;
    if (!p) continue;
    p.status = r.status;
    state.selected.delete(p.id);
    const li = itemElement(p.id);
    if (!matchesFilter(p.status)) {
      const index = state.items.indexOf(p);
      state.items.splice(index, 1);
      li?.remove();
      if (index < state.current || (index === state.current && state.current >= state.items.length)) {
        state.current--;
      }
    } else if (li) fillItem(li, p);
  }
  // The pledge acted on is gone: the one now at its place becomes current.
  if (state.items.length === 0) {
    state.current = -1;
    if (focusWasInList) $('queue-title').focus();
  } else if (!state.items.some((x) => x.id === currentId)) {
    setCurrent(Math.max(state.current, 0), { focus: focusWasInList });
  } else {
    const keep = focusWasInList && !$('queue').contains(document.activeElement);
    setCurrent(state.items.findIndex((x) => x.id === currentId), { focus: keep });
  }
  renderBulk();
  renderState();
  return { done, failed };
}

function failureText(r) {
  const key = `moderation.failed.${r.error}`;
  return i18n.has(key) ? i18n.t(key, { id: r.id }) : i18n.t('moderation.failed.other', { id: r.id });
}

/** Approves or rejects one pledge. */
async function decideOne(p, decision) {
  if (state.busy.has(p.id)) return;
  state.busy.add(p.id);
  const focusWasInList = $('queue').contains(document.activeElement);
  try {
    const r = await api('POST', `/api/v1/admin/pledges/${p.id}/moderation`, { decision });
    applyResults([{ id: p.id, status: r.status }], focusWasInList);
    announce(i18n.t(`moderation.done.${decision}`, { id: p.id }));
  } catch (err) {
    state.busy.delete(p.id);
    if (err instanceof ApiError && err.status === 401) return;
    let error = 'other';
    if (err instanceof ApiError && err.code === 'not_confirmed') error = 'not_confirmed';
    else if (err instanceof ApiError && err.status === 404) error = 'not_found';
    applyResults([{ id: p.id, error }], focusWasInList);
    announce(error === 'other' ? errorText(err) : failureText({ id: p.id, error }), { error: true });
  }
}

/** Approves or rejects every selected pledge in one request. */
async function decideSelected(decision) {
  const ids = state.items.filter((p) => state.selected.has(p.id) && !state.busy.has(p.id)).map((p) => p.id);
  if (ids.length === 0) return;
  for (const id of ids) state.busy.add(id);
  const focusWasInList = $('queue').contains(document.activeElement);
  try {
    const data = await api('POST', '/api/v1/admin/pledges/moderation', { ids, decision });
    const { done, failed } = applyResults(data.results, focusWasInList);
    const parts = [i18n.plural(`bulk.done.${decision}`, done)];
    for (const f of failed) parts.push(failureText(f));
    announce(parts.join(' '), { error: failed.length > 0 });
  } catch (err) {
    announce(errorText(err), { error: true });
  } finally {
    for (const id of ids) state.busy.delete(id);
    renderBulk();
    // The bulk button that was pressed may be disabled now (nothing left
    // selected): keep the keyboard user in the list.
    if (document.activeElement === document.body || document.activeElement === null) {
      if (state.items.length > 0) setCurrent(Math.max(state.current, 0), { focus: true });
      else $('queue-title').focus();
    }
  }
}

// ------------------------------------------------------------- keyboard ----

const TEXT_INPUT = /^(text|search|password|email|number|url|tel|date|datetime-local|time|month|week)$/;

function typing(target) {
  if (!(target instanceof Element)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && TEXT_INPUT.test(target.type || 'text');
}

function onKey(ev) {
  if ($('app').hidden || ev.ctrlKey || ev.metaKey || ev.altKey || typing(ev.target)) return;
  const key = ev.key.toLowerCase();
  if (!['j', 'k', 'a', 'r', 'x'].includes(key) || state.items.length === 0) return;
  ev.preventDefault();
  // A key pressed inside a pledge acts on that pledge.
  const inside = ev.target instanceof Element ? ev.target.closest('li.pledge') : null;
  if (inside) {
    const i = state.items.findIndex((p) => String(p.id) === inside.dataset.id);
    if (i >= 0 && i !== state.current) setCurrent(i);
  }
  if (key === 'j') setCurrent(state.current < 0 ? 0 : state.current + 1, { focus: true });
  else if (key === 'k') setCurrent(state.current < 0 ? 0 : state.current - 1, { focus: true });
  else {
    if (state.current < 0) setCurrent(0, { focus: true });
    const p = state.items[state.current];
    if (!p) return;
    if (key === 'x') {
      toggleSelected(p);
      announce(i18n.t(state.selected.has(p.id) ? 'pledge.selected' : 'pledge.unselected', { id: p.id }));
    } else {
      const decision = key === 'a' ? 'approve' : 'reject';
      if (decision === 'approve' && p.status === 'approved') return;
      if (decision === 'reject' && p.status === 'rejected') return;
      decideOne(p, decision);
    }
  }
}

// ---------------------------------------------------------------- start ----

function fillCampaigns() {
  const select = $('filter-campaign');
  const keep = select.value;
  const all = select.querySelector('option[value=""]');
  const options = state.campaigns.map((c) => {
    const o = document.createElement('option');
    o.value = c.slug;
    const title = c.title && (c.title[i18n.language()] || c.title.es);
    o.textContent = title ? `${title} (${c.slug})` : c.slug;
    return o;
  });
  select.replaceChildren(all, ...options);
  select.value = keep;
}

let queueStarted = false;

async function startQueue() {
  if (!queueStarted) {
    queueStarted = true;
    $('filter-campaign').addEventListener('change', () => reload({ announceCount: true }));
    $('filter-status').addEventListener('change', () => reload({ announceCount: true }));
    $('filters').addEventListener('submit', (ev) => {
      ev.preventDefault();
      reload({ announceCount: true });
    });
    $('load-more').addEventListener('click', loadMore);
    $('select-all').addEventListener('click', () => {
      for (const p of state.items) toggleSelected(p, true);
      announce(i18n.plural('bulk.count', state.selected.size));
    });
    $('select-none').addEventListener('click', () => {
      for (const p of state.items) toggleSelected(p, false);
      announce(i18n.plural('bulk.count', 0));
    });
    $('bulk-approve').addEventListener('click', () => decideSelected('approve'));
    $('bulk-reject').addEventListener('click', () => decideSelected('reject'));
    const list = $('queue');
    list.addEventListener('click', (ev) => {
      const li = ev.target.closest('li.pledge');
      if (!li) return;
      const i = state.items.findIndex((p) => String(p.id) === li.dataset.id);
      if (i < 0) return;
      setCurrent(i);
      const button = ev.target.closest('button[data-decision]');
      if (button) decideOne(state.items[i], button.dataset.decision);
    });
    list.addEventListener('change', (ev) => {
      if (!ev.target.classList.contains('pledge__select')) return;
      const li = ev.target.closest('li.pledge');
      const p = state.items.find((x) => String(x.id) === li.dataset.id);
      if (p) toggleSelected(p, ev.target.checked);
    });
    list.addEventListener('focusin', (ev) => {
      const li = ev.target.closest('li.pledge');
      if (!li) return;
      const i = state.items.findIndex((p) => String(p.id) === li.dataset.id);
      if (i >= 0 && i !== state.current) setCurrent(i);
    });
    document.addEventListener('keydown', onKey);
    i18n.onLanguageChange(() => {
      fillCampaigns();
      for (const p of state.items) {
        const li = itemElement(p.id);
        if (li) fillItem(li, p);
      }
      renderBulk();
      renderState();
    });
    try {
      state.campaigns = await listCampaigns();
      fillCampaigns();
    } catch (err) {
      announce(errorText(err), { error: true });
    }
  }
  await reload();
}

async function main() {
  $('login-form').addEventListener('submit', submitLogin);
  // A 401 anywhere on this page brings the login form back.
  onUnauthorized(() => {
    clearAnnouncements();
    state.loadSeq++;
    showLogin('login.expired');
  });
  const who = await startPage({ loginPage: true });
  if (!who) {
    const params = new URLSearchParams(location.search);
    showLogin(params.has('signed_out') ? 'login.signed_out' : params.has('next') ? 'login.needed' : null);
    return;
  }
  await startQueue();
}

main();
