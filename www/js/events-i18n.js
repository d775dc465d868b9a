// www/js/events-i18n.js — the event pages' translator (events, cancel, contact,
// consultants, admin/checkin): their own bundle without the site's dictionary,
// announced as events-i18n:change; plus localized(). Logic: js/i18n-core.js.

// The page's bundle is /i18n/events.{lang}.json, or /i18n/NAME.{lang}.json
// for a page whose <html> says data-i18n-bundle="NAME" (contact.html,
// consultants.html); under it the bundles the page names in
// <meta name="i18n-bundles"> (the page frame's words, /i18n/frame.{lang}.json).
// The language is chosen as js/i18n.js chooses it and remembered under the
// same key (icommit.lang), so the whole site keeps one language.
//
//   import * as i18n from '/js/events-i18n.js';
//   i18n.onChange(render);    // after every language change
//   await i18n.init();        // detect, load, apply, bind switchers

import {
  LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage, pageBundles, createTranslator,
} from './i18n-core.js';

export { LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage };

/** The page's bundle: <html data-i18n-bundle="NAME"> (contact pages), else events. */
const BUNDLE = /^[a-z-]+$/.test(document.documentElement.dataset.i18nBundle || '')
  ? document.documentElement.dataset.i18nBundle : 'events';

const events = createTranslator({
  storageKey: 'icommit.lang', // js/i18n.js's key: one language for the whole site
  changeEvent: 'events-i18n:change',
  // The bundles named in the head, then the page's own (which wins).
  urls: (lang) => [...pageBundles().filter((b) => b !== BUNDLE), BUNDLE]
    .map((name) => `/i18n/${name}.${lang}.json`),
});

export const {
  language, has, t, formatNumber, plural, setLanguage, init,
  applyTranslations: apply, onLanguageChange: onChange,
} = events;

/** Text from an API {es, en, pt, fr} object: this language, else Spanish, else ''. */
export function localized(texts) {
  if (!texts || typeof texts !== 'object') return '';
  for (const lang of [language(), DEFAULT_LANGUAGE, ...LANGUAGES]) {
    const v = texts[lang];
    if (typeof v === 'string' && v.trim() !== '') return v;
  }
  return '';
}
