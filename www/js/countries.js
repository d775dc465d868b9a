// www/js/countries.js — country codes and names for the pledge form and the
// wall: the code list comes from /data/countries.json (generated from
// Debian's iso-codes by scripts/gen-countries), the names from
// Intl.DisplayNames in the page's language, sorted with Intl.Collator; the
// campaign's region (Latin America and the Caribbean) comes first.

let loading = null;

/**
 * Loads /data/countries.json once; resolves to { lac: [code], codes: [{code,
 * name}] }. A failure is not cached (a later call tries again).
 */
export function loadCountries() {
  if (!loading) {
    loading = fetch('/data/countries.json', { headers: { Accept: 'application/json' } })
      .then((r) => {
        if (!r.ok) throw new Error(`countries.json: HTTP ${r.status}`);
        return r.json();
      })
      .then((d) => {
        if (!d || !Array.isArray(d.codes) || !Array.isArray(d.lac)) throw new Error('countries.json: bad shape');
        return {
          lac: d.lac.filter((c) => typeof c === 'string'),
          codes: d.codes.filter((c) => c && typeof c.code === 'string' && /^[A-Z]{2}$/.test(c.code)),
        };
      });
    loading.catch(() => {
      loading = null;
    });
  }
  return loading;
}

const displayNames = new Map(); // lang -> Intl.DisplayNames | null

/**
 * The name of country `code` in `lang` (Intl.DisplayNames), else
 * `fallback` (iso-codes' English name), else the code itself.
 */
export function countryName(code, lang, fallback) {
  if (!displayNames.has(lang)) {
    let dn = null;
    try {
      dn = new Intl.DisplayNames([lang], { type: 'region', fallback: 'none' });
    } catch {
      dn = null;
    }
    displayNames.set(lang, dn);
  }
  const dn = displayNames.get(lang);
  let name;
  try {
    name = dn ? dn.of(code) : undefined;
  } catch {
    name = undefined;
  }
  return name || fallback || code;
}

/**
 * The countries grouped for a select in `lang`:
 * { lac: [{code, name}], other: [{code, name}] }, each sorted by name.
 */
export function groupedCountries(data, lang) {
  const collator = new Intl.Collator(lang);
  const region = new Set(data.lac);
  const named = (list) => list
    .map((c) => ({ code: c.code, name: countryName(c.code, lang, c.name) }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return {
    lac: named(data.codes.filter((c) => region.has(c.code))),
    other: named(data.codes.filter((c) => !region.has(c.code))),
  };
}

/** True when `code` is one of the list's codes. */
export function isCountry(data, code) {
  return data.codes.some((c) => c.code === code);
}

/**
 * Rebuilds a <select>'s country options in `lang`, keeping its value:
 * first option `empty` (value ""), then two <optgroup>s labelled
 * labels.lac and labels.other.
 */
export function fillCountrySelect(select, data, lang, { empty, lac, other }) {
  const value = select.value;
  const groups = groupedCountries(data, lang);
  const first = document.createElement('option');
  first.value = '';
  first.textContent = empty;
  const group = (label, list) => {
    const g = document.createElement('optgroup');
    g.label = label;
    for (const c of list) {
      const o = document.createElement('option');
      o.value = c.code;
      o.textContent = c.name;
      g.append(o);
    }
    return g;
  };
  select.replaceChildren(first, group(lac, groups.lac), group(other, groups.other));
  select.value = value;
  if (select.value !== value) select.value = '';
}
