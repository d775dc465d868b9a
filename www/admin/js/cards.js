// www/admin/js/cards.js — what the comments and consultants pages share: a
// list of cards from a staff listing (GET with filters, newest first, 50 a
// page, "load more" through `next`), and a card's list of facts. Data goes
// in with textContent only.

import * as i18n from './i18n.js';
import { api } from './api.js';
import { $, announce, errorText } from './shell.js';

/** An element with a class and text. */
export function make(tag, cls, text) {
  const el = document.createElement(tag);
  if (cls) el.className = cls;
  if (text !== undefined && text !== null) el.textContent = text;
  return el;
}

/** Appends a fact (a label and a value: text or a node) to dl; skips empty values. */
export function fact(dl, labelKey, value) {
  if (value === null || value === undefined || value === '') return;
  const row = make('div', 'pledge__fact');
  row.append(make('dt', '', i18n.t(labelKey)));
  const dd = make('dd');
  if (value instanceof Node) dd.append(value);
  else dd.textContent = value;
  row.append(dd);
  dl.append(row);
}

/** A <time> showing an RFC 3339 value in the staff member's language. */
export function timeNode(iso) {
  const t = make('time', '', i18n.formatDateTime(iso));
  t.dateTime = iso;
  return t;
}

/**
 * A paged list of cards. ids: { list, state, more, title } (element ids);
 * path(): the listing's path with its filters (no limit/before);
 * card(item): a new <li>; keys: { loading, empty, loaded } (loaded is a
 * plural key). Returns { reload(), render(), items }.
 */
export function cardList({ ids, path, card, keys }) {
  const state = { items: [], next: null, loading: false };

  function render() {
    $(ids.list).replaceChildren(...state.items.map(card));
    $(ids.state).textContent = state.loading ? i18n.t(keys.loading)
      : state.items.length === 0 ? i18n.t(keys.empty) : '';
    $(ids.more).hidden = !state.next;
  }

  async function fetchPage(before) {
    const p = path();
    const q = new URLSearchParams({ limit: '50' });
    if (before) q.set('before', before);
    return api('GET', `${p}${p.includes('?') ? '&' : '?'}${q}`);
  }

  async function reload() {
    state.loading = true;
    state.items = [];
    state.next = null;
    render();
    try {
      const data = await fetchPage(null);
      state.items = data.items;
      state.next = data.next;
    } catch (err) {
      announce(errorText(err), { error: true });
    }
    state.loading = false;
    render();
  }

  async function more() {
    const button = $(ids.more);
    if (button.getAttribute('aria-disabled') === 'true') return;
    button.setAttribute('aria-disabled', 'true');
    try {
      const data = await fetchPage(state.next);
      const first = state.items.length;
      state.items.push(...data.items);
      state.next = data.next;
      render();
      announce(i18n.plural(keys.loaded, data.items.length));
      const li = $(ids.list).children[first];
      if (li) {
        li.setAttribute('tabindex', '-1');
        li.focus();
      }
    } catch (err) {
      announce(errorText(err), { error: true });
    } finally {
      button.removeAttribute('aria-disabled');
      if (!state.next && document.activeElement === button) $(ids.title).focus();
    }
  }

  $(ids.more).addEventListener('click', more);
  return { reload, render, state };
}

/** Keeps an export link's href in step with a form's filters. */
export function exportHref(base, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `${base}?${s}` : base;
}
