// www/js/landing.js — the landing page: fetches the default campaign from
// GET /api/v1/campaigns/icommit and shows its title, description, status,
// pledge count and goal in the visitor's language; re-renders when the
// language changes. While loading, or if the API cannot be reached, the
// page's own translated text stays and a calm notice offers a retry.
// The campaign is shared through js/campaign.js: the pledge form reads its
// status and reports new counts, and the counter refreshes itself from
// GET .../counter every COUNTER_REFRESH_MS while the page is visible.

import * as i18n from './i18n.js';
import * as shared from './campaign.js';

const CAMPAIGN_URL = shared.CAMPAIGN_URL;
const COUNTER_REFRESH_MS = 30_000;

/** state.phase: 'loading' | 'ready' | 'failed'; state.campaign: the API object. */
const state = { phase: 'loading', campaign: null };

const $ = (id) => document.getElementById(id);

/** Text from an API {es, en, pt, fr} object in the current language, else Spanish, else null. */
function localized(texts) {
  if (!texts || typeof texts !== 'object') return null;
  for (const lang of [i18n.language(), i18n.DEFAULT_LANGUAGE]) {
    const v = texts[lang];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return null;
}

function isCount(n) {
  return Number.isSafeInteger(n) && n >= 0;
}

function setText(id, text) {
  const el = $(id);
  if (el.textContent !== text) el.textContent = text;
}

function renderCampaignText(c) {
  setText('campaign-title', localized(c && c.title) || i18n.t('campaign.title'));
  setText('campaign-description', localized(c && c.description) || i18n.t('campaign.description'));
}

/** Status badge and the open/close date line; hidden when unknown. */
function renderStatus(c) {
  const box = $('campaign-state');
  const status = c && typeof c.status === 'string' ? c.status : null;
  if (!status || !i18n.has(`status.${status}`)) {
    box.hidden = true;
    return;
  }
  const badge = $('campaign-status');
  badge.textContent = i18n.t(`status.${status}`);
  badge.setAttribute('data-status', status);

  // Dates are shown as the calendar day in UTC, the zone the API uses.
  const dateOpts = { dateStyle: 'long', timeZone: 'UTC' };
  let when = '';
  if (status === 'upcoming' && c.opens_at) {
    const d = i18n.formatDate(c.opens_at, dateOpts);
    if (d) when = i18n.t('status.opens_on', { date: d });
  } else if (status === 'open' && c.closes_at) {
    const d = i18n.formatDate(c.closes_at, dateOpts);
    if (d) when = i18n.t('status.closes_on', { date: d });
  }
  const dates = $('campaign-dates');
  dates.textContent = when;
  dates.hidden = when === '';
  box.hidden = false;
}

/**
 * The calm "figures unavailable" notice. Its text lives in a role=status
 * element that is always in the page (empty when all is well), so screen
 * readers announce it when it appears.
 */
function renderNotice(show) {
  $('api-notice').classList.toggle('is-shown', show);
  setText('api-notice-text', show ? i18n.t('counter.unavailable') : '');
  $('api-retry').hidden = !show;
}

function renderCounter(c) {
  const counter = $('counter');
  const loading = $('counter-loading');
  const figures = $('counter-figures');
  counter.hidden = false;

  if (state.phase === 'loading') {
    counter.setAttribute('aria-busy', 'true');
    loading.hidden = false;
    figures.hidden = true;
    renderNotice(false);
    return;
  }
  counter.removeAttribute('aria-busy');
  loading.hidden = true;

  if (state.phase === 'failed' || !isCount(c.count)) {
    figures.hidden = true;
    renderNotice(true);
    return;
  }
  renderNotice(false);
  figures.hidden = false;

  setText('counter-number', i18n.formatNumber(c.count));
  setText('counter-label', i18n.plural('counter.label', c.count));

  const goalBox = $('counter-goal');
  if (isCount(c.goal) && c.goal > 0) {
    const progress = $('counter-progress');
    progress.max = c.goal;
    progress.value = Math.min(c.count, c.goal);
    // Any count > 0 fills at least a dot (CSS), as the widget's bar does.
    progress.classList.toggle('counter__bar--started', c.count > 0);
    const ratio = c.count / c.goal;
    const percent = i18n.formatNumber(ratio, {
      style: 'percent',
      maximumFractionDigits: ratio > 0 && ratio < 0.1 ? 1 : 0,
    });
    const progressText = i18n.t('counter.progress', { percent });
    progress.setAttribute('aria-valuetext', progressText);
    setText('counter-goal-text', i18n.t('counter.goal', { goal: i18n.formatNumber(c.goal) }));
    setText('counter-percent', progressText);
    goalBox.hidden = false;
  } else {
    goalBox.hidden = true;
  }
}

function render() {
  // Until a dictionary is loaded the page's own (Spanish) text stays as is.
  if (!i18n.isLoaded()) return;
  const c = state.phase === 'ready' ? state.campaign : null;
  renderCampaignText(c);
  renderStatus(c);
  renderCounter(c);
}

/**
 * Loads the campaign; a failure of any kind leaves the page's fallback text.
 * `quiet` keeps the current view (e.g. the notice with its focused retry
 * button) on screen until the answer arrives.
 */
async function loadCampaign({ quiet = false } = {}) {
  if (!quiet) {
    state.phase = 'loading';
    render();
  }
  try {
    const r = await fetch(CAMPAIGN_URL, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = await r.json();
    if (!body || typeof body !== 'object') throw new Error('not an object');
    state.campaign = body;
    state.phase = 'ready';
    shared.publish(body);
  } catch {
    state.campaign = null;
    state.phase = 'failed';
  }
  render();
}

async function main() {
  const retry = $('api-retry');
  let retrying = false;
  retry.addEventListener('click', async () => {
    if (retrying) return;
    // aria-disabled, not disabled: a disabled button would drop the focus.
    retrying = true;
    retry.setAttribute('aria-disabled', 'true');
    await loadCampaign({ quiet: true });
    retrying = false;
    retry.removeAttribute('aria-disabled');
    // The notice (and the focused button) disappear on success: move focus
    // to the figures that replaced them rather than losing it.
    if (state.phase === 'ready') $('counter-figures').focus();
  });
  i18n.onLanguageChange(render);
  // A newer count from elsewhere (a pledge, the periodic refresh).
  shared.subscribe((c) => {
    if (c === state.campaign) return;
    state.campaign = c;
    state.phase = 'ready';
    render();
  });
  const refresh = () => {
    if (state.phase === 'ready' && !document.hidden) shared.refreshCounter();
  };
  setInterval(refresh, COUNTER_REFRESH_MS);
  document.addEventListener('visibilitychange', refresh);
  const campaign = loadCampaign(); // in parallel with the dictionary
  await i18n.init();
  await campaign;
}

main();
