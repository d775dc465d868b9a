// www/js/charts.js — small accessible charts drawn as inline SVG with
// document.createElementNS (no library, no innerHTML). Each chart is a
// <figure> holding a title, a short description, the SVG (role="img",
// named by the title and description) and the same numbers as a real
// <table> inside a <details>, for screen readers, keyboard users and anyone
// who wants the exact figures.
//
//   import { barChart } from '/js/charts.js';
//   section.append(barChart({
//     id: 'chart-country', title: 'Pledges by country', description: '…',
//     rows: [{ label: 'Chile', value: 5 }, …],   // drawn in this order
//     format: (n) => nf.format(n),
//     labelHeader: 'Country', valueHeader: 'Pledges', tableSummary: 'Show the data',
//     limit: 12, otherLabel: (n) => `${n} other countries`,
//   }));

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Row geometry in CSS pixels: the label line, then the bar under it. */
const ROW = Object.freeze({ height: 46, labelBaseline: 17, barY: 25, barHeight: 12 });

/** An SVG element with attributes (the maps and charts of the site share these two). */
export function svg(tag, attrs = {}) {
  const e = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** An HTML element with a class and text. */
export function html(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/**
 * The rows a chart draws: the first `limit` of `rows`, and when there are
 * more, one last row adding up the rest, labelled otherLabel(howMany).
 * Returns [{ label, value, other? }]. `rows` is not modified.
 */
export function chartRows(rows, limit, otherLabel) {
  if (!limit || rows.length <= limit) return rows.slice();
  const shown = rows.slice(0, limit - 1);
  const rest = rows.slice(limit - 1);
  const sum = rest.reduce((acc, r) => acc + r.value, 0);
  return [...shown, { label: otherLabel ? otherLabel(rest.length) : '…', value: sum, other: true }];
}

/**
 * A horizontal bar chart as an inline SVG whose width follows its box: the
 * bars' lengths are percentages of the widest, so text keeps its size on a
 * phone and on a wide screen alike.
 * Returns the <svg> element; `labelledBy` is the space-separated ids that
 * name it (role="img").
 */
export function barSvg(rows, { format = String, labelledBy, maxValue } = {}) {
  const max = maxValue || Math.max(1, ...rows.map((r) => r.value));
  const height = rows.length * ROW.height;
  const root = svg('svg', {
    class: 'chart__svg',
    width: '100%',
    height,
    role: 'img',
    focusable: 'false',
  });
  if (labelledBy) root.setAttribute('aria-labelledby', labelledBy);
  rows.forEach((row, i) => {
    const y = i * ROW.height;
    const g = svg('g', { class: row.other ? 'chart__row chart__row--other' : 'chart__row' });
    const label = svg('text', { class: 'chart__label', x: 0, y: y + ROW.labelBaseline });
    label.textContent = row.label;
    const value = svg('text', { class: 'chart__value', x: '100%', y: y + ROW.labelBaseline, 'text-anchor': 'end' });
    value.textContent = format(row.value);
    const track = svg('rect', {
      class: 'chart__track', x: 0, y: y + ROW.barY, width: '100%', height: ROW.barHeight, rx: ROW.barHeight / 2,
    });
    // A bar for any non-zero value is at least as long as it is high.
    const pct = row.value > 0 ? Math.max((row.value / max) * 100, 1.5) : 0;
    const bar = svg('rect', {
      class: 'chart__bar', x: 0, y: y + ROW.barY, width: `${pct.toFixed(2)}%`, height: ROW.barHeight, rx: ROW.barHeight / 2,
    });
    g.append(label, value, track, bar);
    root.append(g);
  });
  return root;
}

/**
 * Shortens, with "…", the labels of a barSvg() that would run into their
 * value at the SVG's current width (a long country name on a phone); the
 * full text stays in the table. Call once the SVG is in the page, and again
 * when its width changes. Returns how many labels were shortened.
 */
export function fitLabels(root) {
  const width = root.getBoundingClientRect().width;
  if (!width) return 0; // not laid out (hidden): nothing to measure
  let shortened = 0;
  for (const row of root.querySelectorAll('.chart__row')) {
    const label = row.querySelector('.chart__label');
    const full = label.dataset.full ?? (label.dataset.full = label.textContent);
    label.textContent = full;
    const room = width - row.querySelector('.chart__value').getComputedTextLength() - 12;
    if (label.getComputedTextLength() <= room) continue;
    let lo = 0;
    let hi = full.length;
    while (lo < hi) { // the longest prefix that fits with its "…"
      const mid = (lo + hi + 1) >> 1;
      label.textContent = `${full.slice(0, mid).trimEnd()}…`;
      if (label.getComputedTextLength() <= room) lo = mid;
      else hi = mid - 1;
    }
    label.textContent = `${full.slice(0, lo).trimEnd()}…`;
    shortened++;
  }
  return shortened;
}

/** The same data as a table: caption, a header row, one row per entry. */
export function dataTable(rows, { caption, labelHeader, valueHeader, format = String }) {
  const table = html('table', 'chart__table');
  table.append(html('caption', '', caption));
  const thead = html('thead');
  const head = html('tr');
  for (const text of [labelHeader, valueHeader]) {
    const th = html('th', '', text);
    th.scope = 'col';
    head.append(th);
  }
  thead.append(head);
  const tbody = html('tbody');
  for (const r of rows) {
    const tr = html('tr');
    const th = html('th', '', r.label);
    th.scope = 'row';
    tr.append(th, html('td', '', format(r.value)));
    tbody.append(tr);
  }
  table.append(thead, tbody);
  return table;
}

/**
 * A complete chart: <figure class="chart" id=…> with an <h3> title, a
 * description, the SVG (the first `limit` rows plus "others") and a
 * <details> with every row in a table. With no rows it shows `empty` instead.
 * options: id, title, description, rows [{label, value}], format, labelHeader,
 * valueHeader, tableSummary, limit, otherLabel(n), empty, variant (a class
 * suffix for the colour: chart--{variant}).
 */
export function barChart(options) {
  const {
    id, title, description, rows, format = String, labelHeader, valueHeader,
    tableSummary, limit, otherLabel, empty, variant,
  } = options;
  const figure = html('figure', variant ? `chart chart--${variant}` : 'chart');
  figure.id = id;
  const heading = html('h3', 'chart__title', title);
  heading.id = `${id}-title`;
  figure.append(heading);
  if (rows.length === 0) {
    figure.append(html('p', 'chart__empty', empty || ''));
    return figure;
  }
  const desc = html('p', 'chart__desc', description);
  desc.id = `${id}-desc`;
  figure.append(desc, barSvg(chartRows(rows, limit, otherLabel), {
    format, labelledBy: `${heading.id} ${desc.id}`,
  }));
  const details = html('details', 'chart__data');
  details.append(html('summary', '', tableSummary));
  details.append(dataTable(rows, { caption: title, labelHeader, valueHeader, format }));
  figure.append(details);
  return figure;
}
