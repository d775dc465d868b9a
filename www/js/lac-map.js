// www/js/lac-map.js — the pledges by country on a map of Latin America and
// the Caribbean, for the landing page's numbers (js/numbers.js) and the map
// embed (embed.html?view=map, js/embed.js). The shapes are
// /data/lac-map.json (Natural Earth, public domain: see
// /data/LICENSE-map.txt; written once by scripts/gen-map).
//
// The map is a <figure>: title, a one-sentence description, the SVG (a group
// named by them) in which each country with pledges is coloured on a
// sequential scale and is keyboard-focusable, named "Chile: 5 compromisos"
// (country names from Intl.DisplayNames, in the page's language), the same
// words shown beside the map on hover and focus; a legend of the scale; the
// countries with pledges that the map cannot show (outside the region, or
// not drawn); and every number in a <table> inside a <details>.
// Countries too small to see or point at get a dot as well.
//
//   import { loadMap, mapFigure } from '/js/lac-map.js';
//   const geometry = await loadMap();
//   box.append(mapFigure({ id: 'numbers-map', geometry, counts: stats.by_country, text }));
//
// `text` speaks the page's language: { language(), t(key, vars),
// plural(key, n, vars), formatNumber(n) } (js/i18n.js is one); its words are
// the map.* keys of /i18n/numbers.{lang}.json.

import { dataTable, html, svg } from './charts.js';

/** Classes of the scale: at most this many, each at least one pledge wide. */
const CLASSES = 5;
/** Marker radius, in the map's units (it is about 1000 wide). */
const DOT = 10;

let loading = null;

/** /data/lac-map.json, fetched once; rejects on failure (and tries again next time). */
export function loadMap() {
  loading ??= fetch('/data/lac-map.json', { headers: { Accept: 'application/json' } })
    .then((r) => {
      if (!r.ok) throw new Error(`lac-map.json: HTTP ${r.status}`);
      return r.json();
    })
    .catch((err) => {
      loading = null;
      throw err;
    });
  return loading;
}

/**
 * The scale for counts up to `max`: { classes, classOf(count), range(i) }.
 * Class i of k holds the counts from range(i).lo to range(i).hi; classes
 * are equal slices of 1..max, so with few pledges each count has its own.
 * `tone(i)` is the colour step (1..5) a class is drawn in, spread over the
 * palette when there are fewer than five classes.
 */
export function scale(max) {
  const k = Math.max(0, Math.min(CLASSES, max));
  return {
    classes: k,
    classOf: (c) => (c > 0 && k > 0 ? Math.min(k, Math.ceil((c * k) / max)) : 0),
    range: (i) => ({ lo: Math.floor(((i - 1) * max) / k) + 1, hi: Math.floor((i * max) / k) }),
    tone: (i) => (i === 0 ? 0 : k === 1 ? CLASSES : Math.round(1 + ((i - 1) * (CLASSES - 1)) / (k - 1))),
  };
}

/** code -> the country's name in `lang` (Intl.DisplayNames), else the code. */
export function regionNamer(lang) {
  let names = null;
  try {
    names = new Intl.DisplayNames([lang], { type: 'region' });
  } catch {
    names = null;
  }
  return (code) => {
    try {
      return (names && names.of(code)) || code;
    } catch {
      return code;
    }
  };
}

/** The legend: "no pledges" and each class's range, as swatches with text. */
function legend(sc, text) {
  const box = html('div', 'map__legend');
  const title = html('p', 'map__legend-title', text.t('map.legend'));
  const list = html('ul', 'map__legend-list');
  list.setAttribute('role', 'list');
  const item = (tone, label) => {
    const li = html('li', 'map__legend-item');
    const swatch = html('span', `map__swatch map__tone${tone}`);
    swatch.setAttribute('aria-hidden', 'true');
    li.append(swatch, html('span', '', label));
    return li;
  };
  list.append(item(0, text.t('map.none')));
  for (let i = 1; i <= sc.classes; i++) {
    const { lo, hi } = sc.range(i);
    const label = lo === hi ? text.formatNumber(lo) : `${text.formatNumber(lo)}–${text.formatNumber(hi)}`;
    list.append(item(sc.tone(i), label));
  }
  box.append(title, list);
  return box;
}

/**
 * The figure for `counts` ({ "CL": 5, … }, counted pledges by country).
 * options: id, geometry (loadMap()'s), counts, text (see the top), heading
 * (the title's element, default h3).
 */
export function mapFigure({ id, geometry, counts, text, heading: level = 'h3' }) {
  const lang = text.language();
  const name = regionNamer(lang);
  const collator = new Intl.Collator(lang);
  const rows = Object.entries(counts || {})
    .filter(([code, n]) => /^[A-Z]{2}$/.test(code) && Number.isSafeInteger(n) && n > 0)
    .map(([code, value]) => ({ code, value, label: name(code) }))
    .sort((a, b) => b.value - a.value || collator.compare(a.label, b.label));
  const count = new Map(rows.map((r) => [r.code, r.value]));
  const shapes = Array.isArray(geometry && geometry.countries) ? geometry.countries : [];
  const drawn = new Set(shapes.map((c) => c.code));
  const max = Math.max(0, ...shapes.map((c) => count.get(c.code) || 0));
  const sc = scale(max);
  const words = (code) => text.plural('map.country', count.get(code) || 0, { country: name(code) });

  const figure = html('figure', 'viz viz--map');
  figure.id = id;
  const heading = html(level, 'chart__title', text.t('map.title'));
  heading.id = `${id}-title`;
  const onMap = rows.filter((r) => drawn.has(r.code));
  const desc = html('p', 'chart__desc', onMap.length > 0
    ? text.t('map.desc', { top: onMap[0].label, value: text.formatNumber(onMap[0].value) })
    : text.t('map.desc_empty'));
  desc.id = `${id}-desc`;
  figure.append(heading, desc);

  const root = svg('svg', {
    class: 'map__svg',
    viewBox: `0 0 ${geometry.width} ${geometry.height}`,
    role: 'group',
    'aria-labelledby': `${heading.id} ${desc.id}`,
  });
  // Countries without pledges: the background, not in the accessibility tree.
  const land = svg('g', { class: 'map__land', 'aria-hidden': 'true' });
  const pledged = [];
  for (const c of shapes) {
    const n = count.get(c.code) || 0;
    const g = svg('g', { class: `map__country map__tone${sc.tone(sc.classOf(n))}`, 'data-code': c.code });
    g.append(svg('path', { d: c.d }));
    if (n > 0) {
      if (c.small) g.append(svg('circle', { class: 'map__dot', cx: c.x, cy: c.y, r: DOT }));
      g.setAttribute('tabindex', '0');
      g.setAttribute('role', 'img');
      g.setAttribute('aria-label', words(c.code));
      pledged.push({ g, label: name(c.code) });
    } else {
      land.append(g);
    }
  }
  // Drawn (and reached with Tab) after the background, in alphabetical order.
  pledged.sort((a, b) => collator.compare(a.label, b.label));
  root.append(land, ...pledged.map((p) => p.g));

  // What is pointed at or focused, in words beside the map (screen readers
  // hear each country's own name, so this is for the eyes only).
  const info = html('p', 'map__info');
  info.setAttribute('aria-hidden', 'true');
  const show = (ev) => {
    const g = ev.target.closest && ev.target.closest('.map__country');
    info.textContent = g ? words(g.dataset.code) : '';
    for (const other of root.querySelectorAll('.is-pointed')) other.classList.remove('is-pointed');
    if (g) g.classList.add('is-pointed');
  };
  root.addEventListener('pointerover', show);
  root.addEventListener('focusin', show);
  root.addEventListener('pointerleave', () => { if (!root.contains(document.activeElement)) show({ target: root }); });
  root.addEventListener('focusout', (ev) => { if (!root.contains(ev.relatedTarget)) show({ target: root }); });

  const stage = html('div', 'map__stage');
  stage.append(root, info);
  figure.append(stage, legend(sc, text));

  const off = rows.filter((r) => !drawn.has(r.code));
  if (off.length > 0) {
    const list = new Intl.ListFormat(lang, { style: 'long', type: 'conjunction' })
      .format(off.map((r) => `${r.label} (${text.formatNumber(r.value)})`));
    figure.append(html('p', 'map__outside', text.t('map.outside', { list })));
  }
  if (rows.length > 0) {
    const details = html('details', 'chart__data');
    details.append(html('summary', '', text.t('map.table')));
    details.append(dataTable(rows, {
      caption: text.t('map.title'),
      labelHeader: text.t('map.col.country'),
      valueHeader: text.t('map.col.pledges'),
      format: (n) => text.formatNumber(n),
    }));
    figure.append(details);
  }
  return figure;
}
