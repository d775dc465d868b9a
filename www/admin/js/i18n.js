// www/admin/js/i18n.js — translations of the staff console. The public
// site's js/i18n.js always loads /i18n/{lang}.json; the console keeps its own
// dictionaries in /admin/i18n/{lang}.json, so this is the same small loader
// with that base path. It picks the language (?lang=, then the console's
// remembered choice, then navigator.languages, then es),
// fills [data-i18n] (textContent) and [data-i18n-attr] ("attr:key;...")
// elements, keeps <html lang> and every select[data-language-switcher] in
// step, and exposes t() and formatting helpers.

import { formatNumber as formatIn } from '../../js/format.js';

export const LANGUAGES = Object.freeze(['es', 'pt', 'en', 'fr']);
export const DEFAULT_LANGUAGE = 'es';
export const CHANGE_EVENT = 'i18n:change';

const BASE = '/admin/i18n/';
// The console remembers its own choice: staff reading the public site in
// another language (to check a translation, say) keep their console's.
const STORAGE_KEY = 'icommit.admin.lang';

let current = DEFAULT_LANGUAGE;
let dict = Object.create(null);
let switchSeq = 0;
const dictionaries = new Map(); // lang -> Promise<object>

/** One of LANGUAGES for a BCP 47 tag like "pt-BR", or null. */
export function normalizeLanguage(tag) {
  if (typeof tag !== 'string' || tag === '') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(primary) ? primary : null;
}

function stored() {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function remember(lang) {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* not remembering is acceptable */
  }
}

function detectLanguage() {
  const fromQuery = normalizeLanguage(new URLSearchParams(location.search).get('lang'));
  if (fromQuery) return fromQuery;
  const kept = normalizeLanguage(stored());
  if (kept) return kept;
  for (const tag of navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language]) {
    const lang = normalizeLanguage(tag);
    if (lang) return lang;
  }
  return DEFAULT_LANGUAGE;
}

function loadDictionary(lang) {
  let p = dictionaries.get(lang);
  if (!p) {
    p = fetch(`${BASE}${lang}.json`, { headers: { Accept: 'application/json' } }).then((r) => {
      if (!r.ok) throw new Error(`admin i18n ${lang}: HTTP ${r.status}`);
      return r.json();
    });
    dictionaries.set(lang, p);
    p.catch(() => dictionaries.delete(lang));
  }
  return p;
}

/** The current language code. */
export function language() {
  return current;
}

/** Whether the current dictionary has `key`. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

/** `key` in the current language with each {name} replaced by vars.name. */
export function t(key, vars) {
  const text = has(key) ? dict[key] : key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    (Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole));
}

/** t() of `${key}.one|other|...` chosen by Intl.PluralRules; {count} is formatted. */
export function plural(key, count, vars) {
  const category = new Intl.PluralRules(current).select(count);
  const k = has(`${key}.${category}`) ? `${key}.${category}` : `${key}.other`;
  return t(k, { count: formatNumber(count), ...vars });
}

/** `n` in the current language, by the site's one rule (/js/format.js). */
export function formatNumber(n) {
  return formatIn(current, n);
}

/** A date and time (RFC 3339 string or Date) in the current language, local zone. */
export function formatDateTime(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(current, { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The name of an ISO 3166-1 country code in the current language. */
export function countryName(code) {
  try {
    return new Intl.DisplayNames([current], { type: 'region' }).of(code) || code;
  } catch {
    return code;
  }
}

/** Fills [data-i18n] and [data-i18n-attr] under root from the dictionary. */
export function applyTranslations(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    const key = el.getAttribute('data-i18n');
    if (has(key)) el.textContent = dict[key];
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.getAttribute('data-i18n-attr').split(';')) {
      const colon = pair.indexOf(':');
      if (colon < 1) continue;
      const key = pair.slice(colon + 1).trim();
      if (has(key)) el.setAttribute(pair.slice(0, colon).trim(), dict[key]);
    }
  }
}

/**
 * Switches to `lang`: loads and applies its dictionary, sets <html lang>,
 * remembers the choice unless { remember: false } and dispatches
 * CHANGE_EVENT. Resolves false when the dictionary could not be loaded (the
 * page keeps its text).
 */
export async function setLanguage(lang, { remember: keep = true } = {}) {
  const target = normalizeLanguage(lang) || DEFAULT_LANGUAGE;
  const seq = ++switchSeq;
  let next;
  try {
    next = await loadDictionary(target);
  } catch {
    return false;
  }
  if (seq !== switchSeq) return false;
  current = target;
  dict = Object.assign(Object.create(null), next);
  document.documentElement.lang = target;
  applyTranslations(document);
  if (keep) remember(target);
  for (const sel of document.querySelectorAll('select[data-language-switcher]')) sel.value = target;
  document.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { lang: target } }));
  return true;
}

/** Calls fn(lang) after every language change. */
export function onLanguageChange(fn) {
  document.addEventListener(CHANGE_EVENT, (ev) => fn(ev.detail.lang));
}

/**
 * Detects and applies the language and binds the switchers; Spanish, not
 * remembered, when that language's dictionary cannot be loaded.
 */
export async function init() {
  for (const sel of document.querySelectorAll('select[data-language-switcher]')) {
    sel.addEventListener('change', () => setLanguage(sel.value));
  }
  const lang = detectLanguage();
  if (!(await setLanguage(lang)) && lang !== DEFAULT_LANGUAGE) {
    await setLanguage(DEFAULT_LANGUAGE, { remember: false }); // a failed load is no choice
  }
  return current;
}
