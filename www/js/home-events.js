// www/js/home-events.js — the landing page's upcoming events (#events):
// the next few from GET /api/v1/events, each with its title linking to the
// event's own page (/events.html?event=SLUG), its date and time in the
// event's time zone, its place and its status in words; a link to every
// event. Its words come from the event pages' bundle
// (/i18n/events.{lang}.json, keys home.events.* and status.*), fetched here
// in the language js/i18n.js chose for the page, so that the site's big
// dictionary stays as it is. Data goes in with textContent and setAttribute.

import * as i18n from './i18n.js';
import { usableZone, rangeText } from './event-time.js';

const SHOWN = 3;
const $ = (id) => document.getElementById(id);

const state = { phase: 'loading', events: [], words: null, lang: null };
const bundles = new Map(); // lang -> Promise<object>

function words(lang) {
  let p = bundles.get(lang);
  if (!p) {
    p = i18n.fetchJson(`/i18n/events.${lang}.json`);
    bundles.set(lang, p);
    p.catch(() => bundles.delete(lang));
  }
  return p;
}

function t(key) {
  return state.words && typeof state.words[key] === 'string' ? state.words[key] : null;
}

/** Text from an API {es, en, pt, fr}: the page's language, else Spanish. */
function localized(texts, lang) {
  for (const l of [lang, 'es', ...i18n.LANGUAGES]) {
    const v = texts && texts[l];
    if (typeof v === 'string' && v.trim() !== '') return [v, l];
  }
  return ['', lang];
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function item(ev, lang) {
  const li = el('li', 'home-event');
  const h = el('h3', 'home-event__title');
  const a = el('a');
  const [title, titleLang] = localized(ev.title, lang);
  a.textContent = title || ev.slug;
  if (titleLang !== lang) a.lang = titleLang;
  a.setAttribute('href', `/events.html?event=${ev.slug}`);
  h.append(a);
  const when = el('p', 'home-event__when');
  const time = el('time', '', rangeText(ev, usableZone(ev.timezone || 'UTC'), lang));
  time.setAttribute('datetime', ev.starts_at);
  when.append(time);
  li.append(h, when);
  if (typeof ev.location === 'string' && ev.location.trim() !== '') li.append(el('p', 'home-event__place', ev.location));
  const status = ev.status === 'full' && ev.waitlist ? 'status.full_waitlist' : `status.${ev.status}`;
  if (t(status)) li.append(el('p', 'home-event__status', t(status)));
  return li;
}

function render() {
  if (!state.words) return;
  for (const node of document.querySelectorAll('#events [data-ev-i18n]')) {
    const text = t(node.dataset.evI18n);
    if (text && node.textContent !== text) node.textContent = text;
  }
  const status = $('home-events-status');
  const list = $('home-events-list');
  const key = { loading: 'home.events.loading', failed: 'home.events.failed' }[state.phase]
    ?? (state.events.length === 0 ? 'home.events.none' : null);
  status.textContent = key ? t(key) : '';
  status.hidden = !key;
  list.replaceChildren(...state.events.slice(0, SHOWN).map((ev) => item(ev, state.lang)));
  list.hidden = state.events.length === 0;
}

async function setLanguage(lang) {
  try {
    const w = await words(lang);
    if (lang !== i18n.language()) return; // another change overtook this one
    state.words = w;
    state.lang = lang;
    render();
  } catch {
    /* the Spanish in the page stays */
  }
}

async function load() {
  try {
    const r = await fetch('/api/v1/events', { headers: { Accept: 'application/json' } });
    const body = r.ok ? await r.json() : null;
    if (!body || !Array.isArray(body.items)) throw new Error(`HTTP ${r.status}`);
    state.events = body.items.filter((ev) => ev && typeof ev.slug === 'string' && /^[a-z0-9-]{1,64}$/.test(ev.slug)
      && typeof ev.starts_at === 'string');
    state.phase = 'ready';
  } catch {
    state.phase = 'failed';
  }
  render();
}

i18n.onLanguageChange(setLanguage);
if (i18n.isLoaded()) setLanguage(i18n.language());
load();
