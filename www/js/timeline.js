// www/js/timeline.js — the count over time as an accessible line chart, for
// the landing page's numbers (js/numbers.js) and the timeline embed
// (embed.html?view=timeline, js/embed.js), from
// GET /api/v1/campaigns/{slug}/stats/timeline: { days: [{ date, added,
// total }] }, the counted pledges by the UTC day of their confirmation.
//
// A <figure>: title, a one-sentence description (from how many to how many,
// between which days), the SVG (role="img", named by them) and the same
// numbers in a <table> inside a <details>. The SVG's width follows its box
// without a resize handler: the line is drawn in a nested SVG stretched to
// the plot (preserveAspectRatio="none", strokes that do not scale), and the
// labels, grid lines and points are placed in percentages of the width, so
// text keeps its size on a phone and on a wide screen.
//
//   import { timelineFigure } from '/js/timeline.js';
//   box.append(timelineFigure({ id: 'numbers-timeline', days, text }));
//
// `text` as for js/lac-map.js (its words: the timeline.* keys of
// /i18n/numbers.{lang}.json).

import { html, svg } from './charts.js';

const DAY_MS = 86400000;
/** Heights in CSS pixels: the plot, and the room above it and below it. */
const BOX = Object.freeze({ top: 20, plot: 180, bottom: 28 });
/** The line's own coordinates (stretched to the plot). */
const UNITS = 1000;
/** Points are drawn for each day only up to this many days. */
const MAX_POINTS = 60;

/** Days of the API that make sense: a date, and whole numbers. */
export function cleanDays(days) {
  return (Array.isArray(days) ? days : []).filter((d) => d && /^\d{4}-\d{2}-\d{2}$/.test(d.date)
    && Number.isSafeInteger(d.added) && Number.isSafeInteger(d.total) && d.total >= 0)
    .map((d) => ({ ...d, time: Date.parse(`${d.date}T00:00:00Z`) }))
    .filter((d) => Number.isFinite(d.time))
    .sort((a, b) => a.time - b.time);
}

/** A round top for the y axis and its step: 1, 2 or 5 × 10^k, about 4 steps. */
export function niceScale(max) {
  if (max <= 0) return { top: 1, step: 1 };
  const raw = max / 4;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw));
  return { top: Math.ceil(max / step) * step, step };
}

/**
 * The chart's SVG for clean days (at least one): the total as a step line
 * from 0 the day before the first, to `end` (a time, e.g. today).
 */
function lineSvg(days, end, { formatNumber, formatDate, labelledBy }) {
  const start = days[0].time - DAY_MS;
  const last = Math.max(end, days[days.length - 1].time);
  const { top, step } = niceScale(Math.max(...days.map((d) => d.total)));
  const fx = (t) => ((t - start) / (last - start)) * UNITS;
  const fy = (v) => UNITS - (v / top) * UNITS;
  const px = (t) => `${((fx(t) / UNITS) * 100).toFixed(3)}%`;
  const py = (v) => BOX.top + (fy(v) / UNITS) * BOX.plot;

  const root = svg('svg', {
    class: 'timeline__svg', width: '100%', height: BOX.top + BOX.plot + BOX.bottom, role: 'img', focusable: 'false',
  });
  if (labelledBy) root.setAttribute('aria-labelledby', labelledBy);
  const labels = []; // drawn last, over the line
  for (let v = 0; v <= top; v += step) {
    root.append(svg('line', { class: 'timeline__grid', x1: 0, x2: '100%', y1: py(v), y2: py(v) }));
    const label = svg('text', { class: 'timeline__ylabel', x: 0, y: py(v) - 4 });
    label.textContent = formatNumber(v);
    labels.push(label);
  }
  // The line in its own stretched coordinates: a step up on each day.
  let d = `M0 ${fy(0)}`;
  for (const day of days) d += `H${fx(day.time).toFixed(2)}V${fy(day.total).toFixed(2)}`;
  d += `H${UNITS}`;
  const plot = svg('svg', {
    x: 0, y: BOX.top, width: '100%', height: BOX.plot, viewBox: `0 0 ${UNITS} ${UNITS}`, preserveAspectRatio: 'none',
  });
  plot.append(svg('path', { class: 'timeline__area', d: `${d}V${UNITS}H0Z` }));
  plot.append(svg('path', { class: 'timeline__line', d }));
  root.append(plot);
  const shown = days.length <= MAX_POINTS ? days : [days[days.length - 1]];
  for (const day of shown) root.append(svg('circle', { class: 'timeline__point', cx: px(day.time), cy: py(day.total), r: 4 }));

  root.append(...labels);
  // Dates under the plot: the first day, the last, and one between (which
  // css/numbers.css hides when the chart is narrow).
  const ticks = [[days[0].time, 'start']];
  if (last - days[0].time >= 4 * DAY_MS) ticks.push([days[0].time + Math.round((last - days[0].time) / 2 / DAY_MS) * DAY_MS, 'middle']);
  if (last > days[0].time) ticks.push([last, 'end']);
  for (const [t, anchor] of ticks) {
    const label = svg('text', {
      class: `timeline__xlabel timeline__xlabel--${anchor}`,
      x: anchor === 'start' ? 0 : anchor === 'end' ? '100%' : px(t),
      y: BOX.top + BOX.plot + 20,
      'text-anchor': anchor,
    });
    label.textContent = formatDate(t);
    root.append(label);
  }
  return root;
}

/**
 * The figure. options: id, days (the API's), text (see the top), today (a
 * time; default now: the line runs on to it, flat since the last change),
 * heading (the title's element, default h3).
 */
export function timelineFigure({ id, days, text, today = Date.now(), heading: level = 'h3' }) {
  const lang = text.language();
  const clean = cleanDays(days);
  const dateFormat = new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeZone: 'UTC' });
  const formatDate = (t) => dateFormat.format(new Date(t));
  const formatNumber = (n) => text.formatNumber(n);

  const figure = html('figure', 'viz viz--timeline');
  figure.id = id;
  const heading = html(level, 'chart__title', text.t('timeline.title'));
  heading.id = `${id}-title`;
  figure.append(heading);
  if (clean.length === 0) {
    figure.append(html('p', 'chart__empty', text.t('timeline.empty')));
    return figure;
  }
  const first = clean[0];
  const lastDay = clean[clean.length - 1];
  const end = Math.max(lastDay.time, Math.floor(today / DAY_MS) * DAY_MS);
  const desc = html('p', 'chart__desc', text.t('timeline.desc', {
    first: formatNumber(first.total), from: formatDate(first.time),
    last: formatNumber(lastDay.total), to: formatDate(end),
  }));
  desc.id = `${id}-desc`;
  figure.append(desc, lineSvg(clean, end, { formatNumber, formatDate, labelledBy: `${heading.id} ${desc.id}` }));

  const details = html('details', 'chart__data');
  details.append(html('summary', '', text.t('timeline.table')));
  const table = html('table', 'chart__table timeline__table');
  table.append(html('caption', '', text.t('timeline.title')));
  const head = html('tr');
  ['timeline.col.date', 'timeline.col.added', 'timeline.col.total'].forEach((key) => {
    const th = html('th', '', text.t(key));
    th.scope = 'col';
    head.append(th);
  });
  const thead = html('thead');
  thead.append(head);
  const tbody = html('tbody');
  for (const day of clean) {
    const tr = html('tr');
    const th = html('th', '', formatDate(day.time));
    th.scope = 'row';
    tr.append(th, html('td', '', formatNumber(day.added)), html('td', '', formatNumber(day.total)));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  details.append(table);
  figure.append(details);
  return figure;
}
