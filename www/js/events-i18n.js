// www/js/events-i18n.js — translations of the event pages (events.html,
// cancel.html, admin/checkin.html) from their own bundles,
// /i18n/events.{lang}.json (or /i18n/NAME.{lang}.json for a page whose
// <html> says data-i18n-bundle="NAME", as contact.html and
// consultants.html do), without the site's big dictionary, and under it the
// bundles the page names in <meta name="i18n-bundles"> (the page frame's
// words, /i18n/frame.{lang}.json). The language is chosen exactly as
// i18n.js chooses it (its detectLanguage(): ?lang=, the remembered choice,
// the browser's languages, Spanish) and a choice made here is remembered
// under the same key, so the whole site keeps one language.
//
//   import * as i18n from '/js/events-i18n.js';
//   i18n.onChange(render);    // after every language change
//   await i18n.init();        // detect, load, apply, bind switchers
//
// Markup: [data-i18n="key"] gets textContent, [data-i18n-attr="attr:key;..."]
// attributes; select[data-language-switcher] switches the language.

import {
  LANGUAGES, DEFAULT_LANGUAGE, detectLanguage, normalizeLanguage, pageBundles, fetchJson,
} from './i18n.js';
import { formatNumber as formatIn } from './format.js';

export { LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage };

/** Where js/i18n.js remembers the visitor's choice (kept in step with it). */
const STORAGE_KEY = 'icommit.lang';
const CHANGE_EVENT = 'events-i18n:change';

let current = DEFAULT_LANGUAGE;
let dict = Object.create(null);
let seq = 0;
const bundles = new Map(); // lang -> Promise<object>

/** The page's bundle: <html data-i18n-bundle="NAME"> (contact pages), else events. */
const BUNDLE = /^[a-z-]+$/.test(document.documentElement.dataset.i18nBundle || '')
  ? document.documentElement.dataset.i18nBundle : 'events';

/** The bundles named in the head, then the page's own (which wins). */
function load(lang) {
  let p = bundles.get(lang);
  if (!p) {
    const names = [...pageBundles().filter((b) => b !== BUNDLE), BUNDLE];
    p = Promise.all(names.map((name) => fetchJson(`/i18n/${name}.${lang}.json`)))
      .then((parts) => Object.assign({}, ...parts));
    bundles.set(lang, p);
    p.catch(() => bundles.delete(lang));
  }
  return p;
}

/** The current language (one of LANGUAGES). */
export function language() {
  return current;
}

/** Whether the current bundle has `key`. */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(dict, key);
}

/** `key` in the current language with each {name} replaced by vars.name. */
export function t(key, vars) {
  const text = has(key) ? dict[key] : key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    Object.prototype.hasOwnProperty.call(vars, name) ? String(vars[name]) : whole);
}

/** `n` in the current language, by the site's one rule (js/format.js). */
export function formatNumber(n) {
  return formatIn(current, n);
}

/**
 * `${key}.${plural category}` (Intl.PluralRules), falling back to
 * `${key}.other`; {count} is n formatted for the language.
 */
export function plural(key, n, vars) {
  const cat = new Intl.PluralRules(current).select(n);
  const k = has(`${key}.${cat}`) ? `${key}.${cat}` : `${key}.other`;
  return t(k, { count: formatNumber(n), ...vars });
}

/** Text from an API {es, en, pt, fr} object: this language, else Spanish, else ''. */
export function localized(texts) {
  if (!texts || typeof texts !== 'object') return '';
  for (const lang of [current, DEFAULT_LANGUAGE, ...LANGUAGES]) {
    const v = texts[lang];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return '';
}

/** Fills [data-i18n] and [data-i18n-attr] under root (itself included). */
export function apply(root = document) {
  const self = root.nodeType === Node.ELEMENT_NODE ? [root] : [];
  for (const el of [...self, ...root.querySelectorAll('[data-i18n]')]) {
    const key = el.getAttribute('data-i18n');
    if (key && has(key) && el.textContent !== dict[key]) el.textContent = dict[key];
  }
  for (const el of [...self, ...root.querySelectorAll('[data-i18n-attr]')]) {
    for (const pair of (el.getAttribute('data-i18n-attr') || '').split(';')) {
      const i = pair.indexOf(':');
      if (i < 1) continue;
      const key = pair.slice(i + 1).trim();
      if (has(key)) el.setAttribute(pair.slice(0, i).trim(), dict[key]);
    }
  }
}

/**
 * Switches to `lang`: loads its bundle, applies it, sets <html lang>, keeps
 * ?lang= in the address in step (when there is one), remembers the choice
 * and tells onChange() listeners. Resolves false if the bundle could not be
 * loaded or a later call overtook this one.
 */
export async function setLanguage(lang, { remember = true } = {}) {
  const target = normalizeLanguage(lang) || DEFAULT_LANGUAGE;
  const mine = ++seq;
  let next;
  try {
    next = await load(target);
  } catch {
    return false;
  }
  if (mine !== seq) return false;
  current = target;
  dict = Object.assign(Object.create(null), next);
  document.documentElement.lang = target;
  apply(document);
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, target);
    } catch {
      /* storage disabled: not remembering is fine */
    }
  }
  const url = new URL(location.href);
  if (url.searchParams.has('lang') && url.searchParams.get('lang') !== target) {
    url.searchParams.set('lang', target);
    history.replaceState(history.state, '', url);
  }
  for (const sel of document.querySelectorAll('select[data-language-switcher]')) sel.value = target;
  document.dispatchEvent(new CustomEvent(CHANGE_EVENT, { detail: { lang: target } }));
  return true;
}

/** Calls fn(lang) after every language change; returns an unsubscribe function. */
export function onChange(fn) {
  const listener = (ev) => fn(ev.detail.lang);
  document.addEventListener(CHANGE_EVENT, listener);
  return () => document.removeEventListener(CHANGE_EVENT, listener);
}

/** Detects the language, loads and applies it, binds the switchers. */
export async function init() {
  for (const sel of document.querySelectorAll('select[data-language-switcher]')) {
    sel.addEventListener('change', () => setLanguage(sel.value));
  }
  const lang = detectLanguage();
  const ok = await setLanguage(lang);
  if (!ok && lang !== DEFAULT_LANGUAGE) await setLanguage(DEFAULT_LANGUAGE, { remember: false });
  return current;
}
