// www/js/wall.js — the public wall of the landing page (#wall): pledges from
// GET /api/v1/campaigns/icommit/pledges (confirmed, public and approved),
// newest first, PAGE_SIZE at a time. Three filters (country, actor type,
// category) reload the list when changed; "load more" asks for the page
// before the API's `next` cursor and moves focus to the first new card. Each
// card (js/pledge-card.js) shows the pledge and links to its own page,
// /pledge.html?id=N, with a button to share or copy that link. How many
// pledges are shown (or why none) is announced politely.

import * as i18n from './i18n.js';
import * as campaign from './campaign.js';
import { loadCountries, fillCountrySelect } from './countries.js';
import { pledgeCard, prepareShareStatus } from './pledge-card.js';

const $ = (id) => document.getElementById(id);

const PAGE_SIZE = 12;
const FILTERS = ['country', 'actor_type', 'category'];

const state = {
  /** 'loading' | 'ready' | 'failed' */
  phase: 'loading',
  items: [],
  next: null,
  /** Bumped by every load; an answer to an older load is dropped. */
  seq: 0,
  /** True while "load more" is fetching (the list stays as it is). */
  appending: false,
  countries: null,
};

const list = $('wall-list');
const moreButton = $('wall-more');

function filters() {
  const out = {};
  for (const name of FILTERS) {
    const v = $(`wall-${name}`).value;
    if (v) out[name] = v;
  }
  return out;
}

/** One <li> card for a PUBLIC_PLEDGE, with its permalink and share button. */
function card(p) {
  const li = document.createElement('li');
  li.className = 'wall__item';
  li.append(pledgeCard(p, { heading: 'h3', share: true }));
  return li;
}

function renderStatus() {
  const status = $('wall-status');
  const filtered = Object.keys(filters()).length > 0;
  let text = '';
  let kind = '';
  if (state.phase === 'loading' && !state.appending) {
    text = i18n.t('wall.loading');
  } else if (state.phase === 'failed') {
    text = i18n.t('wall.error');
    kind = 'error';
  } else if (state.items.length === 0) {
    text = i18n.t(filtered ? 'wall.empty_filtered' : 'wall.empty');
    kind = 'empty';
  } else {
    text = i18n.plural('wall.shown', state.items.length);
  }
  if (status.textContent !== text) status.textContent = text;
  status.dataset.kind = kind;
  $('wall-empty').hidden = !(kind === 'empty' && !filtered);
  $('wall-error').hidden = kind !== 'error';
}

function renderList() {
  list.replaceChildren(...state.items.map(card));
  list.hidden = state.items.length === 0;
  moreButton.hidden = !(state.phase === 'ready' && state.next);
  if (state.appending) moreButton.setAttribute('aria-disabled', 'true');
  else moreButton.removeAttribute('aria-disabled');
}

function renderFilters() {
  if (!state.countries) return;
  fillCountrySelect($('wall-country'), state.countries, i18n.language(), {
    empty: i18n.t('wall.filter.country_all'),
    lac: i18n.t('country.group_lac'),
    other: i18n.t('country.group_other'),
  });
}

function render() {
  if (!i18n.isLoaded()) return;
  renderList();
  renderStatus();
}

/**
 * Loads the first page for the current filters (append: false) or the page
 * after the last one shown (append: true). Resolves to the number of new items.
 */
async function load({ append = false } = {}) {
  const seq = ++state.seq;
  const params = new URLSearchParams({ limit: String(PAGE_SIZE), ...filters() });
  if (append) {
    if (!state.next) return 0;
    params.set('before', state.next);
    state.appending = true;
  } else {
    state.phase = 'loading';
    state.appending = false;
  }
  render();
  let added = 0;
  try {
    const r = await fetch(`${campaign.PLEDGES_URL}?${params}`, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = await r.json();
    if (!body || !Array.isArray(body.items)) throw new Error('no items');
    if (seq !== state.seq) return 0;
    const items = body.items.filter((p) => p && typeof p === 'object');
    state.items = append ? [...state.items, ...items] : items;
    state.next = typeof body.next === 'string' && body.next !== '' ? body.next : null;
    state.phase = 'ready';
    added = items.length;
  } catch {
    if (seq !== state.seq) return 0;
    // A failed "load more" keeps what is shown; a failed first page says so.
    if (!append) {
      state.items = [];
      state.next = null;
    }
    state.phase = 'failed';
  }
  state.appending = false;
  render();
  return added;
}

async function loadMore() {
  if (state.appending) return;
  const before = state.items.length;
  const added = await load({ append: true });
  if (added > 0) {
    // The button may be gone (last page): go on reading at the first new card.
    const first = list.children[before] && list.children[before].querySelector('article');
    if (first) first.focus();
  }
}

function main() {
  $('wall-filters').hidden = false;
  prepareShareStatus();
  for (const name of FILTERS) {
    $(`wall-${name}`).addEventListener('change', () => load());
  }
  $('wall-filters').addEventListener('submit', (ev) => {
    ev.preventDefault();
    load();
  });
  moreButton.addEventListener('click', loadMore);
  $('wall-retry').addEventListener('click', () => {
    const append = state.items.length > 0 && Boolean(state.next);
    if (append) loadMore();
    else load();
  });

  i18n.onLanguageChange(() => {
    renderFilters();
    render();
  });
  loadCountries().then((data) => {
    state.countries = data;
    if (i18n.isLoaded()) renderFilters();
  }).catch(() => {
    // Without the list the filter offers "all countries" only.
  });
  load();
}

main();
