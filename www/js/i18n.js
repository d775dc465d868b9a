// www/js/i18n.js — the front end's translations: picks the visitor's language
// (?lang=, then localStorage, then navigator.languages, then es), loads
// /i18n/{lang}.json, fills [data-i18n] / [data-i18n-attr] elements, keeps
// <html lang> and the language switcher in step, and exposes t()/plural()
// and formatNumber() (js/format.js's rule in the current language).
//
// Usage on a page (ES module):
//   import { init, t, onLanguageChange } from '/js/i18n.js';
//   onLanguageChange(() => render());   // fired after every language change
//   await init();                       // detects, loads, applies, binds switchers
//
// A page with strings of its own names its bundles in the head:
//   <meta name="i18n-bundles" content="privacy">
// and /i18n/privacy.{lang}.json is merged over the site's dictionary. Every
// such <meta> counts: the page frame's head (www/_frame/head.html) brings
// one for the frame's words, /i18n/frame.{lang}.json.
//
// Markup: <h2 data-i18n="how.title">…</h2> sets textContent;
// <input data-i18n-attr="placeholder:form.name;aria-label:form.name_label"> sets
// attributes. A <select data-language-switcher> becomes a language switcher.

import { formatNumber as formatIn } from './format.js';

export const LANGUAGES = Object.freeze(['es', 'pt', 'en', 'fr']);
export const DEFAULT_LANGUAGE = 'es';
/** Event dispatched on `document` after a language change; detail: { lang }. */
export const CHANGE_EVENT = 'i18n:change';

const STORAGE_KEY = 'icommit.lang';

let current = DEFAULT_LANGUAGE;
let dict = Object.create(null);
let loaded = false;
let switchSeq = 0;
const dictionaries = new Map(); // lang -> Promise<object>

/** Returns one of LANGUAGES for a BCP 47 tag like "pt-BR", or null. */
export function normalizeLanguage(tag) {
  if (typeof tag !== 'string' || tag === '') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(primary) ? primary : null;
}

function readStored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled (privacy mode, sandboxed iframe)
  }
}

function writeStored(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembering is acceptable */
  }
}

function queryLanguage() {
  return normalizeLanguage(new URLSearchParams(location.search).get('lang'));
}

/**
 * The language this visit should start in: ?lang=, then the remembered
 * choice, then the browser's preferred languages, then Spanish.
 */
export function detectLanguage() {
  const fromQuery = queryLanguage();
  if (fromQuery) return fromQuery;
  const stored = normalizeLanguage(readStored());
  if (stored) return stored;
  const preferred = navigator.languages && navigator.languages.length
    ? navigator.languages
    : [navigator.language];
  for (const tag of preferred) {
    const lang = normalizeLanguage(tag);
    if (lang) return lang;
  }
  return DEFAULT_LANGUAGE;
}

/** GETs a JSON file; rejects on a non-2xx answer. */
export function fetchJson(url) {
  return fetch(url, { headers: { Accept: 'application/json' } }).then((r) => {
    if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
    return r.json();
  });
}

/**
 * The page's extra bundles, in document order, from every
 * <meta name="i18n-bundles" content="a b"> (the frame's and the page's own).
 */
export function pageBundles() {
  const names = [];
  for (const meta of document.querySelectorAll('meta[name="i18n-bundles"]')) {
    for (const b of meta.content.split(/[\s,]+/)) {
      if (/^[a-z0-9-]+$/.test(b) && !names.includes(b)) names.push(b);
    }
  }
  return names;
}

/**
 * Fetches /i18n/{lang}.json and the page's bundles /i18n/{bundle}.{lang}.json
 * once, merged (a bundle's keys win); the promise is cached, failures are not.
 */
function loadDictionary(lang) {
  let p = dictionaries.get(lang);
  if (!p) {
    const urls = [`/i18n/${lang}.json`, ...pageBundles().map((b) => `/i18n/${b}.${lang}.json`)];
    p = Promise.all(urls.map(fetchJson)).then((parts) => Object.assign({}, ...parts));
    dictionaries.set(lang, p);
    p.catch(() => dictionaries.delete(lang));
  }
  return p;
}

/** The current language code (one of LANGUAGES). */
export function language() {
  return current;
}

/** True once a dictionary has been loaded (before that t() returns keys). */
export function isLoaded() {
  return loaded;
}

/** Whether the current dictionary has `key`. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

/**
 * Translates `key` in the current language and replaces each `{name}` by
 * String(vars.name). A missing key returns the key itself; a placeholder with
 * no matching var is left as it is.
 */
export function t(key, vars) {
  const text = has(key) ? dict[key] : key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole);
}

/**
 * Plural-aware t(): looks up `${key}.${category}` where category comes from
 * Intl.PluralRules for the current language (one, other, many, ...), falling
 * back to `${key}.other`. `{count}` is the number formatted for the language.
 */
export function plural(key, count, vars) {
  const category = new Intl.PluralRules(current).select(count);
  const k = has(`${key}.${category}`) ? `${key}.${category}` : `${key}.other`;
  return t(k, { count: formatNumber(count), ...vars });
}

/** `n` in the current language, by the site's one rule (js/format.js). */
export function formatNumber(n, options) {
  return formatIn(current, n, options);
}

/** Intl.DateTimeFormat in the current language; `value` is a Date or RFC 3339 string. */
export function formatDate(value, options = { dateStyle: 'long' }) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(current, options).format(d);
}

function applyAttrs(el) {
  for (const pair of el.getAttribute('data-i18n-attr').split(';')) {
    const colon = pair.indexOf(':');
    if (colon < 1) continue;
    const attr = pair.slice(0, colon).trim();
    const key = pair.slice(colon + 1).trim();
    if (attr && has(key)) el.setAttribute(attr, dict[key]);
  }
}

/**
 * Fills every [data-i18n] (textContent) and [data-i18n-attr] element under
 * `root` (a Document or Element, itself included) from the current
 * dictionary. Keys the dictionary lacks leave the element untouched.
 */
export function applyTranslations(root = document) {
  const self = root.nodeType === Node.ELEMENT_NODE ? [root] : [];
  for (const el of [...self, ...root.querySelectorAll('[data-i18n]')]) {
    if (!el.hasAttribute('data-i18n')) continue;
    const key = el.getAttribute('data-i18n');
    if (has(key)) el.textContent = dict[key];
  }
  for (const el of [...self, ...root.querySelectorAll('[data-i18n-attr]')]) {
    if (el.hasAttribute('data-i18n-attr')) applyAttrs(el);
  }
}

/** Keeps ?lang= in the address in step when the page was opened with one. */
function updateAddress(lang) {
  const url = new URL(location.href);
  if (!url.searchParams.has('lang') || url.searchParams.get('lang') === lang) return;
  url.searchParams.set('lang', lang);
  history.replaceState(history.state, '', url);
}

/**
 * Switches to `lang` (unsupported values mean the default language): loads
 * its dictionary, applies it, sets <html lang>, remembers the choice unless
 * { remember: false }, and dispatches CHANGE_EVENT on document.
 * Resolves true when applied, false when the dictionary could not be loaded
 * (the page then keeps its current text) or a later call overtook this one.
 */
export async function setLanguage(lang, { remember = true } = {}) {
  const target = normalizeLanguage(lang) || DEFAULT_LANGUAGE;
  const seq = ++switchSeq;
  let next;
  try {
    next = await loadDictionary(target);
  } catch {
    return false;
  }
  if (seq !== switchSeq) return false; // the visitor already picked another one
  current = target;
  dict = Object.assign(Object.create(null), next);
  loaded = true;
  document.documentElement.lang = target;
  applyTranslations(document);
  if (remember) writeStored(target);
  updateAddress(target);
  for (const sel of document.querySelectorAll('select[data-language-switcher]')) {
    sel.value = target;
  }
  document.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { lang: target } }));
  return true;
}

/** Calls `fn(lang)` after every language change; returns an unsubscribe function. */
export function onLanguageChange(fn) {
  const listener = (ev) => fn(ev.detail.lang);
  document.addEventListener(CHANGE_EVENT, listener);
  return () => document.removeEventListener(CHANGE_EVENT, listener);
}

/** Makes a <select> of LANGUAGES switch the page's language when changed. */
export function bindLanguageSwitcher(select) {
  select.value = current;
  select.addEventListener('change', () => {
    setLanguage(select.value);
  });
}

/**
 * Starts translations for a page: detects the language, loads and applies it
 * (falling back to Spanish if that dictionary cannot be loaded), and binds
 * every select[data-language-switcher]. A language coming from ?lang= is
 * remembered too, so following links on the site keeps it.
 */
export async function init() {
  for (const sel of document.querySelectorAll('select[data-language-switcher]')) {
    bindLanguageSwitcher(sel);
  }
  const lang = detectLanguage();
  const ok = await setLanguage(lang);
  if (!ok && lang !== DEFAULT_LANGUAGE) await setLanguage(DEFAULT_LANGUAGE, { remember: false });
  return current;
}
