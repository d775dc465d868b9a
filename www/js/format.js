// www/js/format.js — the site's one rule for writing numbers, used by every
// page script (through i18n-core.js, behind i18n.js, events-i18n.js and the
// console's admin/js/i18n.js, and directly by embed.js and the charts): Intl.NumberFormat
// in the page's language with useGrouping 'always', so that every number from
// four digits up is grouped in threes in all four languages — "1.234" (es,
// pt), "1,234" (en), "1 234" (fr, U+202F). Without it Spanish writes "1000"
// (CLDR's minimumGroupingDigits of 2) where Portuguese writes "1.000".
// widget.js, which must stand alone, carries a copy of the same rule; the
// daemon's SVG badge writes counts the same way (num_format in src/util.c).
//
//   import { formatNumber } from '/js/format.js';
//   formatNumber('es', 1234)                         // "1.234"
//   formatNumber('fr', 0.125, { style: 'percent' })  // "13 %"

/** The options every number starts from; a caller's options win. */
export const NUMBER_OPTIONS = Object.freeze({ useGrouping: 'always' });

const formatters = new Map(); // "lang options-json" -> Intl.NumberFormat

/** The Intl.NumberFormat of the rule for `lang` (and extra `options`). */
export function numberFormat(lang, options) {
  const key = `${lang} ${options ? JSON.stringify(options) : ''}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(lang, { ...NUMBER_OPTIONS, ...options });
    formatters.set(key, f);
  }
  return f;
}

/** `n` written the way `lang` writes numbers, by the site's rule. */
export function formatNumber(lang, n, options) {
  return numberFormat(lang, options).format(n);
}
