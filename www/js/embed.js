// www/js/embed.js — embed.html: the counter for an <iframe>, with
// ?view=map the pledges by country on a map, with ?view=timeline the count
// over time, or with ?display=screen the big screen for projecting at events.
//
// Query: campaign (slug, default icommit), lang (es|en|pt|fr, default the
// browser's), theme (light|dark), goal (show|hide), size (small|medium|large),
// interval (seconds between refreshes, >= 1, default 30), view=map|timeline,
// display=screen. Numbers by the site's rule (js/format.js).
//
// The map and timeline views draw js/lac-map.js's and js/timeline.js's
// figures (as the landing page does) from GET .../stats and .../stats/timeline,
// refreshed like the counter, with words from /i18n/numbers.{lang}.json and a
// link to the pledge form.
//
// iframe mode inserts /widget.js with the same options as data-attributes, so
// the framed counter is exactly the script widget. Screen mode draws a huge
// number that counts up to each new value (requestAnimationFrame, or at once
// under prefers-reduced-motion), the goal bar, the latest public pledges from
// the wall endpoint scrolling by, and the daemon's QR code of the pledge page.
// Its strings are here, in the four languages, like widget.js's.

import { formatNumber, numberFormat as numberFormatOf } from './format.js';
import { loadMap, mapFigure } from './lac-map.js';
import { timelineFigure } from './timeline.js';

const LANGS = ['es', 'en', 'pt', 'fr'];

const STRINGS = {
  es: {
    title: 'I COMMIT — contador de compromisos', screenTitle: 'I COMMIT — pantalla de compromisos',
    w1: 'compromiso', wN: 'compromisos', m: 'por la movilidad eléctrica', of: '{n} de {g}',
    goal: 'Meta: {g}', bar: 'Avance hacia la meta', pct: '{p} de la meta', now: 'Ahora hay {n}',
    scan: 'Escanea y suma tu compromiso', qr: 'Código QR de la página para sumar tu compromiso: {url}',
    latest: 'Últimos compromisos', empty: 'Los compromisos públicos aparecerán aquí.', fullscreen: 'Pantalla completa',
  },
  en: {
    title: 'I COMMIT — pledge counter', screenTitle: 'I COMMIT — pledge screen',
    w1: 'pledge', wN: 'pledges', m: 'for electric mobility', of: '{n} of {g}',
    goal: 'Goal: {g}', bar: 'Progress towards the goal', pct: '{p} of the goal', now: 'Now {n}',
    scan: 'Scan to make your pledge', qr: 'QR code of the page to make your pledge: {url}',
    latest: 'Latest pledges', empty: 'Public pledges will appear here.', fullscreen: 'Full screen',
  },
  pt: {
    title: 'I COMMIT — contador de compromissos', screenTitle: 'I COMMIT — tela de compromissos',
    w1: 'compromisso', wN: 'compromissos', m: 'pela mobilidade elétrica', of: '{n} de {g}',
    goal: 'Meta: {g}', bar: 'Progresso rumo à meta', pct: '{p} da meta', now: 'Agora são {n}',
    scan: 'Escaneie e assuma seu compromisso', qr: 'Código QR da página para assumir seu compromisso: {url}',
    latest: 'Últimos compromissos', empty: 'Os compromissos públicos aparecerão aqui.', fullscreen: 'Tela cheia',
  },
  fr: {
    title: 'I COMMIT — compteur d’engagements', screenTitle: 'I COMMIT — écran des engagements',
    w1: 'engagement', wN: 'engagements', m: 'pour la mobilité électrique', of: '{n} sur {g}',
    goal: 'Objectif : {g}', bar: 'Progression vers l’objectif', pct: '{p} de l’objectif', now: 'Désormais {n}',
    scan: 'Scannez pour vous engager', qr: 'Code QR de la page pour vous engager : {url}',
    latest: 'Derniers engagements', empty: 'Les engagements publics apparaîtront ici.', fullscreen: 'Plein écran',
  },
};

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);

/** One of LANGS for a BCP 47 tag like "pt-BR", or null. */
function pickLanguage(tag) {
  const l = String(tag || '').toLowerCase().split(/[-_]/)[0];
  return LANGS.includes(l) ? l : null;
}

const lang = pickLanguage(params.get('lang'))
  || (navigator.languages || []).map(pickLanguage).find(Boolean) || 'es';
const slug = /^[a-z0-9-]{1,64}$/.test(params.get('campaign') || '') ? params.get('campaign') : 'icommit';
const intervalMs = (Number(params.get('interval')) >= 1 ? Number(params.get('interval')) : 30) * 1000;
const S = STRINGS[lang];
const fill = (key, vars) => S[key].replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
const numberFormat = numberFormatOf(lang);

document.documentElement.lang = lang;

/** iframe mode: the script widget, configured from the query. */
function startWidget() {
  document.title = S.title;
  $('embed-title').textContent = S.title;
  document.body.classList.add('embed--widget');
  const script = document.createElement('script');
  script.src = '/widget.js';
  script.dataset.campaign = slug;
  script.dataset.lang = lang;
  for (const [name, allowed] of [['theme', ['light', 'dark']], ['goal', ['show', 'hide']], ['size', ['small', 'medium', 'large']]]) {
    const v = params.get(name);
    if (allowed.includes(v)) script.dataset[name] = v;
  }
  if (params.has('interval')) script.dataset.interval = String(intervalMs / 1000);
  $('embed').append(script);
}

// ---------------------------------------------------------------------------
// Big screen

const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');

/**
 * Calls `load` now and then every intervalMs (doubling after each failure, up
 * to 5 minutes); skips while the page is hidden and catches up when shown.
 */
function poll(load) {
  let errors = 0;
  let timer = 0;
  const run = async () => {
    clearTimeout(timer);
    timer = 0;
    if (document.hidden) return;
    try {
      await load();
      errors = 0;
    } catch {
      errors++;
    }
    timer = setTimeout(run, Math.min(intervalMs * 2 ** errors, 300000));
  };
  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && !timer) run();
  });
  run();
}

/** GET an API path as JSON; `cache: 'no-cache'` revalidates with the stored ETag. */
async function getJson(path) {
  const r = await fetch(path, { cache: 'no-cache', headers: { Accept: 'application/json' } });
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r.json();
}

/** The big number: counts from what is shown to `value`. */
const counter = {
  shown: 0, // the number on screen now
  target: null, // the last value from the API
  frame: 0,
  draw(n) {
    $('screen-number').textContent = numberFormat.format(n);
  },
  animateTo(value) {
    cancelAnimationFrame(this.frame);
    const from = this.shown;
    if (reducedMotion.matches || document.hidden || from === value) {
      this.shown = value;
      this.draw(value);
      return;
    }
    // Long enough to see, short enough to finish between two refreshes.
    const duration = Math.min(2500, intervalMs * 0.8, 600 + 60 * Math.abs(value - from));
    const start = performance.now();
    const step = (now) => {
      // A frame's time can precede `start` (it is when the frame began):
      // never before the beginning, or the first value drawn is below
      // `from` (a "-1" on a new screen).
      const t = Math.min(1, Math.max(0, (now - start) / duration));
      const eased = 1 - (1 - t) ** 3;
      this.shown = Math.round(from + (value - from) * eased);
      this.draw(this.shown);
      if (t < 1) this.frame = requestAnimationFrame(step);
    };
    this.frame = requestAnimationFrame(step);
  },
};

function renderCounter(c) {
  if (!c || !Number.isSafeInteger(c.count) || c.count < 0) throw new Error('bad counter');
  const previous = counter.target;
  const showGoal = params.get('goal') !== 'hide' && Number.isSafeInteger(c.goal) && c.goal > 0;
  const one = new Intl.PluralRules(lang).select(c.count) === 'one';
  const words = `${numberFormat.format(c.count)} ${one ? S.w1 : S.wN}`;
  $('screen-label').textContent = `${one ? S.w1 : S.wN} ${S.m}`;
  $('screen-count').setAttribute('aria-label',
    showGoal ? fill('of', { n: words, g: numberFormat.format(c.goal) }) : words);
  $('screen-goal').hidden = !showGoal;
  if (showGoal) {
    const ratio = c.count / c.goal;
    const percent = fill('pct', {
      p: formatNumber(lang, ratio, { style: 'percent', maximumFractionDigits: ratio > 0 && ratio < 0.1 ? 1 : 0 }),
    });
    const bar = $('screen-bar');
    bar.setAttribute('aria-valuemax', String(c.goal));
    bar.setAttribute('aria-valuenow', String(Math.min(c.count, c.goal)));
    bar.setAttribute('aria-valuetext', percent);
    $('screen-fill').style.width = `max(${ratio > 0 ? 0.5 : 0}em, ${Math.min(ratio, 1) * 100}%)`;
    $('screen-goal-text').textContent = fill('goal', { g: numberFormat.format(c.goal) });
    $('screen-percent').textContent = percent;
  }
  if (previous !== null && previous !== c.count) $('screen-live').textContent = fill('now', { n: words });
  counter.target = c.count;
  counter.animateTo(c.count);
}

const regionNames = (() => {
  try {
    return new Intl.DisplayNames([lang], { type: 'region' });
  } catch {
    return null;
  }
})();

function countryName(code) {
  try {
    return (regionNames && regionNames.of(code)) || code;
  } catch {
    return code;
  }
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text) e.textContent = text;
  return e;
}

/** One pledge as a card: the commitment, then who and where. */
function pledgeItem(p) {
  const li = el('li', 'pledge');
  li.append(el('p', 'pledge__text', p.commitment || ''));
  const who = [p.name, p.organisation, [p.city, p.country && countryName(p.country)].filter(Boolean).join(', ')]
    .filter((x) => typeof x === 'string' && x.trim() !== '');
  li.append(el('p', 'pledge__who', who.join(' · ')));
  return li;
}

let wallKey = '';

/** The latest public pledges; they scroll when they do not fit. */
function renderWall(body) {
  const items = Array.isArray(body && body.items) ? body.items : [];
  const key = items.map((p) => p.id).join(',');
  if (key === wallKey) return;
  wallKey = key;
  const list = $('screen-pledges');
  const track = $('screen-track');
  list.replaceChildren(...items.map(pledgeItem));
  for (const copy of track.querySelectorAll('.screen__pledges--copy')) copy.remove();
  track.classList.remove('is-scrolling');
  $('screen-wall-empty').hidden = items.length > 0;
  updateScrolling();
}

/**
 * Starts the scrolling when the list is taller than its box: a second,
 * hidden copy of the list follows the first, and the track moves up by one
 * list's height per cycle, so the loop is seamless.
 */
function updateScrolling() {
  const track = $('screen-track');
  const list = $('screen-pledges');
  const viewport = $('screen-viewport');
  const copy = track.querySelector('.screen__pledges--copy');
  const overflows = list.offsetHeight > viewport.clientHeight;
  if (!overflows || reducedMotion.matches) {
    copy?.remove();
    track.classList.remove('is-scrolling');
    return;
  }
  if (!copy) {
    const clone = list.cloneNode(true);
    clone.removeAttribute('id');
    clone.classList.add('screen__pledges--copy');
    clone.setAttribute('aria-hidden', 'true');
    track.append(clone);
  }
  // About 3.5 em a second, whatever the screen.
  const em = parseFloat(getComputedStyle(list).fontSize) || 16;
  track.style.setProperty('--scroll-duration', `${Math.max(8, list.offsetHeight / (em * 3.5))}s`);
  track.classList.add('is-scrolling');
}

/** Hides the pointer and the full-screen button after 3 s without movement. */
function idleCursor(screen) {
  let timer = 0;
  const wake = () => {
    screen.classList.remove('is-idle');
    clearTimeout(timer);
    timer = setTimeout(() => screen.classList.add('is-idle'), 3000);
  };
  for (const type of ['pointermove', 'keydown', 'focusin']) document.addEventListener(type, wake);
  wake();
}

function startScreen() {
  const screen = $('screen');
  document.title = S.screenTitle;
  $('embed-title').textContent = S.screenTitle;
  document.body.classList.add('embed--screen');
  if (params.get('theme') === 'light') document.body.classList.add('embed--light');
  screen.hidden = false;

  $('screen-title').textContent = '';
  $('screen-bar').setAttribute('aria-label', S.bar);
  $('screen-wall-title').textContent = S.latest;
  $('screen-wall-empty').textContent = S.empty;
  $('screen-scan').textContent = S.scan;
  const pledgeUrl = new URL(`/?campaign=${slug}#pledge`, location.origin);
  const shortUrl = pledgeUrl.href.replace(/^https?:\/\//, '');
  $('screen-url').textContent = shortUrl;
  const qr = $('screen-qr');
  qr.alt = fill('qr', { url: shortUrl });
  qr.src = `/api/v1/campaigns/${slug}/qr.svg`;

  const fs = $('screen-fullscreen');
  if (document.fullscreenEnabled) {
    fs.textContent = S.fullscreen;
    fs.hidden = false;
    fs.addEventListener('click', () => document.documentElement.requestFullscreen().catch(() => {}));
    document.addEventListener('fullscreenchange', () => {
      fs.hidden = Boolean(document.fullscreenElement);
    });
  }
  idleCursor(screen);

  getJson(`/api/v1/campaigns/${slug}`).then((c) => {
    const title = c && c.title && (c.title[lang] || c.title.es);
    if (typeof title === 'string') $('screen-title').textContent = title;
  }).catch(() => {});

  const base = `/api/v1/campaigns/${slug}`;
  poll(async () => renderCounter(await getJson(`${base}/counter`)));
  poll(async () => renderWall(await getJson(`${base}/pledges?limit=10`)));
  addEventListener('resize', updateScrolling);
  reducedMotion.addEventListener('change', () => {
    updateScrolling();
    counter.animateTo(counter.target ?? 0);
  });
}

// ---------------------------------------------------------------------------
// The map and the timeline

/** The words of /i18n/numbers.{lang}.json as the figures want them (see js/lac-map.js). */
async function numbersText() {
  const dict = await getJson(`/i18n/numbers.${lang}.json`);
  const t = (key, vars = {}) => String(dict[key] ?? key).replace(/\{(\w+)\}/g, (m, k) => (k in vars ? vars[k] : m));
  return {
    language: () => lang,
    t,
    formatNumber: (n) => formatNumber(lang, n),
    plural(key, n, vars) {
      const k = `${key}.${new Intl.PluralRules(lang).select(n)}`;
      return t(k in dict ? k : `${key}.other`, { count: formatNumber(lang, n), ...vars });
    },
  };
}

/** A line with a link to the pledge form (a new tab when framed). */
function pledgeLine(text, newTab) {
  const a = el('a', 'embed__link', text);
  a.href = new URL(`/?lang=${lang}&campaign=${slug}#pledge`, location.origin).href;
  if (window.top !== window.self) {
    a.target = '_blank';
    if (newTab) a.append(' ', el('span', 'visually-hidden', newTab));
  }
  const p = el('p', 'embed__cta');
  p.append(a);
  return p;
}

async function startView(view) {
  document.body.classList.add('embed--view');
  const box = el('div', 'embed__view');
  $('embed').append(box);
  const text = await numbersText().catch(() => null);
  if (!text) { // without its words the view cannot speak: the plain link
    box.append(pledgeLine('I COMMIT'));
    return;
  }
  const title = text.t(`embed.${view}_title`);
  document.title = title;
  $('embed-title').textContent = title;
  const figure = el('div', 'embed__figure');
  box.append(figure, pledgeLine(text.t('embed.cta'), text.t('embed.new_tab')));

  const base = `/api/v1/campaigns/${slug}`;
  let shown = null; // the data on screen, as JSON
  const show = (key, make) => {
    if (key !== shown) figure.replaceChildren(make());
    shown = key;
  };
  poll(async () => {
    try {
      if (view === 'map') {
        const [stats, geometry] = await Promise.all([getJson(`${base}/stats`), loadMap()]);
        show(JSON.stringify(stats.by_country), () => mapFigure({
          id: 'embed-map', geometry, counts: stats.by_country, text, heading: 'h2',
        }));
      } else {
        const body = await getJson(`${base}/stats/timeline`);
        show(JSON.stringify(body.days), () => timelineFigure({ id: 'embed-timeline', days: body.days, text, heading: 'h2' }));
      }
    } catch (err) {
      if (shown === null) figure.replaceChildren(el('p', 'embed__unavailable', text.t(`${view}.unavailable`)));
      throw err;
    }
  });
}

const view = params.get('view');
if (params.get('display') === 'screen') startScreen();
else if (view === 'map' || view === 'timeline') startView(view);
else startWidget();
