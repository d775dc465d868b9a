// www/js/i18n-core.js — what the three translation loaders (js/i18n.js,
// js/events-i18n.js, admin/js/i18n.js) share: picking, loading and applying a
// language (createTranslator), t()/plural(), switchers, change event, memory.

import { formatNumber as formatIn } from './format.js';

export const LANGUAGES = Object.freeze(['es', 'pt', 'en', 'fr']);
export const DEFAULT_LANGUAGE = 'es';

const own = (obj, key) => Object.prototype.hasOwnProperty.call(obj, key);

/** Returns one of LANGUAGES for a BCP 47 tag like "pt-BR", or null. */
export function normalizeLanguage(tag) {
  if (typeof tag !== 'string' || tag === '') return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return LANGUAGES.includes(primary) ? primary : null;
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

/** Sets each "attr:key" of el's data-i18n-attr whose key `dict` has. */
function applyAttrs(el, dict) {
  for (const pair of el.getAttribute('data-i18n-attr').split(';')) {
    const colon = pair.indexOf(':');
    if (colon < 1) continue;
    const attr = pair.slice(0, colon).trim();
    const key = pair.slice(colon + 1).trim();
    if (attr && own(dict, key)) el.setAttribute(attr, dict[key]);
  }
}

/**
 * A translator: its own language, dictionary and switchers. `urls(lang)`
 * lists the JSON files of a language's dictionary (merged in order, a later
 * file's keys win), fetched once per language (failures are not cached).
 * `storageKey` is the localStorage key of the remembered choice,
 * `changeEvent` the CustomEvent (detail: { lang }) dispatched on document
 * after every change; `keepAddress` keeps a ?lang= in the address in step.
 *
 *   const tr = createTranslator({ storageKey: 'icommit.lang',
 *     changeEvent: 'i18n:change', urls: (lang) => [`/i18n/${lang}.json`] });
 *   tr.onLanguageChange(render);  // after every language change
 *   await tr.init();              // detect, load, apply, bind switchers
 *
 * Markup: <h2 data-i18n="how.title">…</h2> gets its textContent;
 * <input data-i18n-attr="placeholder:form.name;aria-label:form.name_label">
 * attributes. A <select data-language-switcher> switches the language.
 */
export function createTranslator({ storageKey, changeEvent, urls, keepAddress = true }) {
  let current = DEFAULT_LANGUAGE;
  let dict = Object.create(null);
  let loaded = false;
  let switchSeq = 0;
  const dictionaries = new Map(); // lang -> Promise<object>

  function readStored() {
    try {
      return localStorage.getItem(storageKey);
    } catch {
      return null; // storage disabled (privacy mode, sandboxed iframe)
    }
  }

  function writeStored(lang) {
    try {
      localStorage.setItem(storageKey, lang);
    } catch {
      /* not remembering is acceptable */
    }
  }

  /**
   * The language this visit should start in: ?lang=, then the remembered
   * choice, then the browser's preferred languages, then Spanish.
   */
  function detectLanguage() {
    const fromQuery = normalizeLanguage(new URLSearchParams(location.search).get('lang'));
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

  function loadDictionary(lang) {
    let p = dictionaries.get(lang);
    if (!p) {
      p = Promise.all(urls(lang).map(fetchJson)).then((parts) => Object.assign({}, ...parts));
      dictionaries.set(lang, p);
      p.catch(() => dictionaries.delete(lang));
    }
    return p;
  }

  /** The current language code (one of LANGUAGES). */
  function language() {
    return current;
  }

  /** True once a dictionary has been loaded (before that t() returns keys). */
  function isLoaded() {
    return loaded;
  }

  /** Whether the current dictionary has `key`. */
  function has(key) {
    return own(dict, key);
  }

  /**
   * Translates `key` in the current language and replaces each `{name}` by
   * String(vars.name). A missing key returns the key itself; a placeholder with
   * no matching var is left as it is.
   */
  function t(key, vars) {
    const text = has(key) ? dict[key] : key;
    if (!vars) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (own(vars, name) ? String(vars[name]) : whole));
  }

  /** `n` in the current language, by the site's one rule (js/format.js). */
  function formatNumber(n, options) {
    return formatIn(current, n, options);
  }

  /**
   * Plural-aware t(): looks up `${key}.${category}` where category comes from
   * Intl.PluralRules for the current language (one, other, many, ...), falling
   * back to `${key}.other`. `{count}` is the number formatted for the language.
   */
  function plural(key, count, vars) {
    const category = new Intl.PluralRules(current).select(count);
    const k = has(`${key}.${category}`) ? `${key}.${category}` : `${key}.other`;
    return t(k, { count: formatNumber(count), ...vars });
  }

  /**
   * Fills every [data-i18n] (textContent) and [data-i18n-attr]
   * ("attr:key;...") element under `root` (a Document or Element, itself
   * included) from the current dictionary. Keys the dictionary lacks leave
   * the element untouched, and so does a text that is already right.
   */
  function applyTranslations(root = document) {
    const self = root.nodeType === Node.ELEMENT_NODE ? [root] : [];
    for (const el of [...self, ...root.querySelectorAll('[data-i18n]')]) {
      if (!el.hasAttribute('data-i18n')) continue;
      const key = el.getAttribute('data-i18n');
      if (has(key) && el.textContent !== dict[key]) el.textContent = dict[key];
    }
    for (const el of [...self, ...root.querySelectorAll('[data-i18n-attr]')]) {
      if (el.hasAttribute('data-i18n-attr')) applyAttrs(el, dict);
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
   * { remember: false }, keeps ?lang= in step (with keepAddress), sets every
   * select[data-language-switcher] and dispatches the change event.
   * Resolves true when applied, false when the dictionary could not be loaded
   * (the page then keeps its current text) or a later call overtook this one.
   */
  async function setLanguage(lang, { remember = true } = {}) {
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
    if (keepAddress) updateAddress(target);
    for (const sel of document.querySelectorAll('select[data-language-switcher]')) {
      sel.value = target;
    }
    document.dispatchEvent(new CustomEvent(changeEvent, { detail: { lang: target } }));
    return true;
  }

  /** Calls `fn(lang)` after every language change; returns an unsubscribe function. */
  function onLanguageChange(fn) {
    const listener = (ev) => fn(ev.detail.lang);
    document.addEventListener(changeEvent, listener);
    return () => document.removeEventListener(changeEvent, listener);
  }

  /** Makes a <select> of LANGUAGES switch the page's language when changed. */
  function bindLanguageSwitcher(select) {
    select.value = current;
    select.addEventListener('change', () => {
      setLanguage(select.value);
    });
  }

  /**
   * Starts translations for a page: binds every select[data-language-switcher],
   * detects the language, loads and applies it (falling back to Spanish, not
   * remembered, if that dictionary cannot be loaded). A language coming from
   * ?lang= is remembered too, so following links keeps it. Resolves to the
   * language in use.
   */
  async function init() {
    for (const sel of document.querySelectorAll('select[data-language-switcher]')) {
      bindLanguageSwitcher(sel);
    }
    const lang = detectLanguage();
    const ok = await setLanguage(lang);
    if (!ok && lang !== DEFAULT_LANGUAGE) await setLanguage(DEFAULT_LANGUAGE, { remember: false });
    return current;
  }

  return {
    detectLanguage, language, isLoaded, has, t, formatNumber, plural,
    applyTranslations, setLanguage, onLanguageChange, bindLanguageSwitcher, init,
  };
}
