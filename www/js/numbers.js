// www/js/numbers.js — "Numbers in pictures" on the landing page (#numbers):
// GET /api/v1/campaigns/icommit/stats drawn as a map of Latin America and the
// Caribbean coloured by country (js/lac-map.js) and bar charts (by country,
// by actor type, by category; js/charts.js), GET .../stats/timeline as a
// line chart of the count over time (js/timeline.js), and the totals per
// unit as a sentence ("Committed so far: 1,200 buses, 300 chargers and 5
// MW."), in the page's language: country names from Intl.DisplayNames,
// numbers by the site's rule (js/format.js), lists from Intl.ListFormat.
// The map's and the timeline's words are in /i18n/numbers.{lang}.json.
// Re-renders on a language change; an empty campaign gets an invitation
// instead of empty charts.

import * as i18n from './i18n.js';
import { barChart, fitLabels } from './charts.js';
import { loadMap, mapFigure, regionNamer } from './lac-map.js';
import { timelineFigure } from './timeline.js';

const STATS_URL = '/api/v1/campaigns/icommit/stats';
const TIMELINE_URL = '/api/v1/campaigns/icommit/stats/timeline';
/** The order units are listed in (API.md's list). */
const UNITS = ['vehicles', 'buses', 'chargers', 'mw', 'usd', 'tco2e', 'people'];
const COUNTRY_LIMIT = 12;

/**
 * state.phase: 'loading' | 'ready' | 'failed' (of the stats); the timeline's
 * days and the map's shapes are null until loaded (false if they failed).
 */
const state = { phase: 'loading', stats: null, days: null, geometry: null };

const $ = (id) => document.getElementById(id);

function isCount(n) {
  return Number.isSafeInteger(n) && n >= 0;
}

/** [{ key, value }] of a {key: count} object, counts > 0 only. */
function entries(obj) {
  if (!obj || typeof obj !== 'object') return [];
  return Object.entries(obj)
    .filter(([, v]) => isCount(v) && v > 0)
    .map(([key, value]) => ({ key, value }));
}

/** Sorted by value, largest first, then by label in the page's language. */
function sortRows(rows) {
  const collator = new Intl.Collator(i18n.language());
  return rows.sort((a, b) => b.value - a.value || collator.compare(a.label, b.label));
}

/** A translated label for `prefix.key`, else the key itself. */
function label(prefix, key) {
  return i18n.has(`${prefix}.${key}`) ? i18n.t(`${prefix}.${key}`) : key;
}

/** "1.200 buses" — one unit's total, the number formatted for the language. */
export function totalText(unit, value) {
  const count = unit === 'usd'
    ? i18n.formatNumber(value, {
      style: 'currency', currency: 'USD', maximumFractionDigits: 0,
      ...(value >= 1e6 ? { notation: 'compact', maximumFractionDigits: 1 } : {}),
    })
    : i18n.formatNumber(value);
  const key = `numbers.total.${unit}`;
  if (!i18n.has(`${key}.other`)) return `${count} ${label('unit', unit)}`;
  return i18n.plural(key, value, { count });
}

/**
 * The totals sentence as DOM: the template's text around {list}, and each
 * unit's total in <strong>, joined the way the language joins a list.
 */
function totalsSentence(totals) {
  const items = UNITS
    .filter((u) => isCount(totals[u]) && totals[u] > 0)
    .map((u) => totalText(u, totals[u]));
  const p = $('numbers-totals');
  if (items.length === 0) {
    p.hidden = true;
    p.replaceChildren();
    return;
  }
  const parts = new Intl.ListFormat(i18n.language(), { style: 'long', type: 'conjunction' }).formatToParts(items);
  const [before, after = ''] = i18n.t('numbers.totals').split('{list}');
  const nodes = [before];
  for (const part of parts) {
    if (part.type === 'element') {
      const strong = document.createElement('strong');
      strong.textContent = part.value;
      nodes.push(strong);
    } else {
      nodes.push(part.value);
    }
  }
  nodes.push(after);
  p.replaceChildren(...nodes.filter((n) => n !== ''));
  p.hidden = false;
}

/** A one-sentence summary of a chart: how many entries, which leads. */
function describe(rows, key) {
  if (rows.length === 0) return '';
  return i18n.t(key, {
    n: i18n.formatNumber(rows.length),
    top: rows[0].label,
    value: i18n.formatNumber(rows[0].value),
  });
}

function chart(id, variant, titleKey, labelHeaderKey, descKey, rows, extra = {}) {
  return barChart({
    id,
    variant,
    title: i18n.t(titleKey),
    description: describe(rows, descKey),
    rows,
    format: (n) => i18n.formatNumber(n),
    labelHeader: i18n.t(labelHeaderKey),
    valueHeader: i18n.t('numbers.pledges'),
    tableSummary: i18n.t('numbers.table'),
    empty: i18n.t('numbers.chart_empty'),
    ...extra,
  });
}

function renderCharts(stats) {
  const countryName = regionNamer(i18n.language());
  const countries = sortRows(entries(stats.by_country).map((r) => ({ ...r, label: countryName(r.key) })));
  const actors = sortRows(entries(stats.by_actor_type).map((r) => ({ ...r, label: label('actor', r.key) })));
  const categories = sortRows(entries(stats.by_category).map((r) => ({ ...r, label: label('category', r.key) })));
  $('numbers-charts').replaceChildren(
    chart('chart-country', 'country', 'numbers.by_country', 'numbers.country', 'numbers.chart_desc', countries, {
      limit: COUNTRY_LIMIT,
      otherLabel: (n) => i18n.plural('numbers.other_countries', n),
    }),
    chart('chart-actor', 'actor', 'numbers.by_actor', 'numbers.actor', 'numbers.chart_desc', actors),
    chart('chart-category', 'category', 'numbers.by_category', 'numbers.category', 'numbers.chart_desc', categories),
  );
  fitAll();
}

/** The map and the timeline, in their own box before the bar charts. */
function vizBox() {
  let box = $('numbers-viz');
  if (!box) {
    box = document.createElement('div');
    box.id = 'numbers-viz';
    box.className = 'numbers__viz';
    $('numbers-charts').before(box);
  }
  return box;
}

function renderViz(stats) {
  const figures = [];
  if (state.geometry) {
    figures.push(mapFigure({ id: 'numbers-map', geometry: state.geometry, counts: stats.by_country, text: i18n }));
  } else if (state.geometry === false) {
    figures.push(Object.assign(document.createElement('p'), { className: 'numbers__status', textContent: i18n.t('map.unavailable') }));
  }
  if (Array.isArray(state.days)) {
    figures.push(timelineFigure({ id: 'numbers-timeline', days: state.days, text: i18n }));
  } else if (state.days === false) {
    figures.push(Object.assign(document.createElement('p'), { className: 'numbers__status', textContent: i18n.t('timeline.unavailable') }));
  }
  vizBox().replaceChildren(...figures);
}

/** Long labels shortened to the charts' current width (see fitLabels). */
function fitAll() {
  for (const svg of $('numbers-charts').querySelectorAll('svg.chart__svg')) fitLabels(svg);
}

function render() {
  if (!i18n.isLoaded()) return; // the page's Spanish fallback stays until then
  const status = $('numbers-status');
  const charts = $('numbers-charts');
  const box = $('numbers-body');
  if (state.phase === 'loading') {
    box.setAttribute('aria-busy', 'true');
    status.textContent = i18n.t('numbers.loading');
    return;
  }
  box.removeAttribute('aria-busy');
  const stats = state.stats;
  if (state.phase === 'failed' || !stats || !isCount(stats.count)) {
    status.textContent = i18n.t('numbers.unavailable');
    charts.replaceChildren();
    vizBox().replaceChildren();
    $('numbers-totals').hidden = true;
    $('numbers-empty').hidden = true;
    return;
  }
  status.textContent = '';
  const empty = stats.count === 0;
  $('numbers-empty').hidden = !empty;
  if (empty) {
    charts.replaceChildren();
    vizBox().replaceChildren();
    $('numbers-totals').hidden = true;
    return;
  }
  totalsSentence(stats.totals && typeof stats.totals === 'object' ? stats.totals : {});
  renderViz(stats);
  renderCharts(stats);
}

/** The timeline and the map's shapes; each failure only hides its figure. */
async function loadViz() {
  const days = fetch(TIMELINE_URL, { headers: { Accept: 'application/json' } })
    .then((r) => (r.ok ? r.json() : Promise.reject(new Error(`HTTP ${r.status}`))))
    .then((body) => (Array.isArray(body && body.days) ? body.days : Promise.reject(new Error('no days'))))
    .catch(() => false);
  const geometry = loadMap().catch(() => false);
  [state.days, state.geometry] = await Promise.all([days, geometry]);
}

async function load() {
  const viz = loadViz();
  try {
    const r = await fetch(STATS_URL, { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = await r.json();
    if (!body || typeof body !== 'object') throw new Error('not an object');
    state.stats = body;
    state.phase = 'ready';
  } catch {
    state.stats = null;
    state.phase = 'failed';
  }
  await viz;
  render();
}

/** Loads the stats again (e.g. after a pledge was counted). */
export function refresh() {
  return load();
}

if ($('numbers')) {
  i18n.onLanguageChange(render);
  let lastWidth = 0;
  new ResizeObserver(([entry]) => {
    const width = Math.round(entry.contentRect.width);
    if (width !== lastWidth) {
      lastWidth = width;
      fitAll();
    }
  }).observe($('numbers-charts'));
  render();
  load();
}
