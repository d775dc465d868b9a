// www/js/i18n.js — the public site's translator: the site's dictionary
// /i18n/{lang}.json under the page's bundles, remembered as icommit.lang,
// announced as i18n:change; plus formatDate(). The logic is js/i18n-core.js.

// Usage on a page (ES module):
//   import { init, t, onLanguageChange } from '/js/i18n.js';
//   onLanguageChange(() => render());   // fired after every language change
//   await init();                       // detects, loads, applies, binds switchers
//
// A page with strings of its own names its bundles in the head:
//   <meta name="i18n-bundles" content="privacy">
// and /i18n/privacy.{lang}.json is merged over the site's dictionary. Every
// such <meta> counts: the page frame's head (www/_frame/head.html) brings
// one for the frame's words, /i18n/frame.{lang}.json. Markup: see
// createTranslator() in js/i18n-core.js.

import {
  LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage, fetchJson, pageBundles, createTranslator,
} from './i18n-core.js';

export { LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage, fetchJson, pageBundles };

/** Event dispatched on `document` after a language change; detail: { lang }. */
export const CHANGE_EVENT = 'i18n:change';

const site = createTranslator({
  storageKey: 'icommit.lang',
  changeEvent: CHANGE_EVENT,
  // The site's dictionary, then the page's bundles (a bundle's keys win).
  urls: (lang) => [`/i18n/${lang}.json`, ...pageBundles().map((b) => `/i18n/${b}.${lang}.json`)],
});

export const {
  detectLanguage, language, isLoaded, has, t, plural, formatNumber,
  applyTranslations, setLanguage, onLanguageChange, bindLanguageSwitcher, init,
} = site;

/** Intl.DateTimeFormat in the current language; `value` is a Date or RFC 3339 string. */
export function formatDate(value, options = { dateStyle: 'long' }) {
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(language(), options).format(d);
}
