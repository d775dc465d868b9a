// www/admin/js/i18n.js — the staff console's translator: /admin/i18n/{lang}.json,
// remembered as icommit.admin.lang, announced as i18n:change, the address left
// alone; plus formatDateTime() and countryName(). Logic: /js/i18n-core.js.

// The console keeps its own dictionaries and its own remembered choice: staff
// reading the public site in another language (to check a translation, say)
// keep their console's. Markup: see createTranslator() in js/i18n-core.js.

import {
  LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage, createTranslator,
} from '../../js/i18n-core.js';

export { LANGUAGES, DEFAULT_LANGUAGE, normalizeLanguage };

export const CHANGE_EVENT = 'i18n:change';

const admin = createTranslator({
  storageKey: 'icommit.admin.lang',
  changeEvent: CHANGE_EVENT,
  urls: (lang) => [`/admin/i18n/${lang}.json`],
  keepAddress: false, // the console's pages own their addresses (history.pushState)
});

export const {
  language, has, t, plural, formatNumber, applyTranslations, setLanguage, onLanguageChange, init,
} = admin;

/** A date and time (RFC 3339 string or Date) in the current language, local zone. */
export function formatDateTime(value) {
  if (value === null || value === undefined || value === '') return '';
  const d = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return new Intl.DateTimeFormat(language(), { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

/** The name of an ISO 3166-1 country code in the current language. */
export function countryName(code) {
  try {
    return new Intl.DisplayNames([language()], { type: 'region' }).of(code) || code;
  } catch {
    return code;
  }
}
