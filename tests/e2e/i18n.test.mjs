// tests/e2e/i18n.test.mjs — the translation files: www/i18n/{es,pt,en,fr}.json
// parse, are flat objects of non-empty strings without duplicate keys, share
// exactly the same keys and {placeholders}, cover every API error code and
// field reason, and define every key that a www/**/*.html page uses in
// data-i18n / data-i18n-attr. No server needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const www = join(root, 'www');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];

// API.md's error codes and field reasons: each needs a message.
const ERROR_CODES = [
  'bad_json', 'bad_request', 'unauthorized', 'forbidden', 'not_found',
  'method_not_allowed', 'campaign_closed', 'event_closed', 'event_full',
  'payload_too_large', 'unsupported_media_type', 'invalid', 'rate_limited',
  'unavailable',
];
const FIELD_REASONS = [
  'required', 'too_long', 'too_short', 'invalid_email', 'invalid_choice',
  'invalid_country', 'out_of_range', 'invalid_utf8', 'must_be_true', 'wrong_type',
];

async function readDictionary(lang) {
  const text = await readFile(join(www, 'i18n', `${lang}.json`), 'utf8');
  const dict = JSON.parse(text); // throws with a position on bad JSON
  // JSON.parse keeps the last of duplicate keys silently: count them in the text.
  const keysInText = [...text.matchAll(/"((?:[^"\\]|\\.)*)"\s*:/g)].map((m) => JSON.parse(`"${m[1]}"`));
  const seen = new Set();
  const dupes = keysInText.filter((k) => (seen.has(k) ? true : (seen.add(k), false)));
  return { dict, dupes };
}

async function htmlFiles(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...await htmlFiles(p));
    else if (entry.name.endsWith('.html')) out.push(p);
  }
  return out;
}

/** Keys used by data-i18n="k" and data-i18n-attr="attr:k;attr2:k2" in one HTML text. */
function usedKeys(html) {
  const keys = [];
  for (const m of html.matchAll(/\sdata-i18n\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    keys.push((m[1] ?? m[2]).trim());
  }
  for (const m of html.matchAll(/\sdata-i18n-attr\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    for (const pair of (m[1] ?? m[2]).split(';')) {
      const colon = pair.indexOf(':');
      if (colon > 0) keys.push(pair.slice(colon + 1).trim());
    }
  }
  return keys;
}

const placeholders = (s) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('every translation file is a flat JSON object of non-empty strings without duplicate keys', async () => {
  for (const lang of LANGUAGES) {
    const { dict, dupes } = await readDictionary(lang);
    assert.equal(typeof dict, 'object', `${lang}.json: not an object`);
    assert.ok(dict && !Array.isArray(dict), `${lang}.json: not an object`);
    assert.deepEqual(dupes, [], `${lang}.json: duplicate keys`);
    for (const [key, value] of Object.entries(dict)) {
      assert.equal(typeof value, 'string', `${lang}.json: ${key} is not a string`);
      assert.notEqual(value.trim(), '', `${lang}.json: ${key} is empty`);
    }
  }
});

test('the four translation files have exactly the same keys and placeholders', async () => {
  const dicts = {};
  for (const lang of LANGUAGES) dicts[lang] = (await readDictionary(lang)).dict;
  const reference = Object.keys(dicts.es).sort();
  for (const lang of LANGUAGES.slice(1)) {
    const keys = Object.keys(dicts[lang]).sort();
    const missing = reference.filter((k) => !(k in dicts[lang]));
    const extra = keys.filter((k) => !(k in dicts.es));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${lang}.json vs es.json`);
    for (const key of reference) {
      assert.deepEqual(placeholders(dicts[lang][key]), placeholders(dicts.es[key]),
        `${lang}.json: ${key} has other {placeholders} than es.json`);
    }
  }
});

test('every API error code and field reason has a message', async () => {
  const { dict } = await readDictionary('es');
  const wanted = [
    ...ERROR_CODES.map((c) => `error.${c}`),
    ...FIELD_REASONS.map((r) => `reason.${r}`),
    'error.network', 'error.unknown',
  ];
  assert.deepEqual(wanted.filter((k) => !(k in dict)), []);
});

// Pages with their own bundle: the staff console (www/admin/i18n/), the
// event pages (www/i18n/events.LANG.json), the newsletter and privacy
// pages (www/i18n/privacy.LANG.json) besides the site's dictionary, the
// map, the timeline and their embeds (www/i18n/numbers.LANG.json); and
// the public page frame's words (www/i18n/frame.LANG.json), which every
// framed page loads whichever of the two loaders it uses.
const BUNDLES = [
  { dir: 'admin/i18n', prefix: '' },
  { dir: 'i18n', prefix: 'events.' },
  { dir: 'i18n', prefix: 'privacy.' },
  { dir: 'i18n', prefix: 'contact.' },
  { dir: 'i18n', prefix: 'about.' },
  { dir: 'i18n', prefix: 'pledge.' },
  { dir: 'i18n', prefix: 'frame.' },
  { dir: 'i18n', prefix: 'numbers.' },
];
const FRAME = BUNDLES.find((b) => b.prefix === 'frame.');
const STAFF = BUNDLES.find((b) => b.dir === 'admin/i18n');

async function readBundle({ dir, prefix }, lang) {
  return JSON.parse(await readFile(join(www, dir, `${prefix}${lang}.json`), 'utf8'));
}

test('every extra bundle has the same keys in all four languages, none empty', async () => {
  for (const b of BUNDLES) {
    const dicts = await Promise.all(LANGUAGES.map((l) => readBundle(b, l)));
    const keys = Object.keys(dicts[0]).sort();
    for (const [i, d] of dicts.entries()) {
      assert.deepEqual(Object.keys(d).sort(), keys, `${b.dir}/${b.prefix}${LANGUAGES[i]}.json keys differ`);
      for (const [k, v] of Object.entries(d)) assert.ok(typeof v === 'string' && v.trim(), `${b.dir}/${b.prefix}${LANGUAGES[i]}.json: ${k} is empty`);
    }
  }
});

test('every data-i18n and data-i18n-attr key used in www/ pages exists', async () => {
  const { dict } = await readDictionary('es');
  const extra = Object.assign({}, ...await Promise.all(BUNDLES.map((b) => readBundle(b, 'es'))));
  const files = await htmlFiles(www);
  assert.ok(files.length > 0, 'no HTML files in www/');
  const missing = [];
  for (const file of files) {
    const keys = usedKeys(await readFile(file, 'utf8'));
    for (const key of keys) {
      if (!(key in dict) && !(key in extra)) missing.push(`${relative(root, file)}: ${key || '(empty key)'}`);
    }
  }
  assert.deepEqual(missing, []);
});

// The frame's partials are in every page, whatever that page's own bundle:
// their words must be in the bundle that comes with them, in every language
// (www/_frame/head.html names frame; the console's partials use the
// console's dictionary, which every staff page loads).
test('every key the page frame uses is in the frame\'s own bundle, in all four languages', async () => {
  const partials = {
    'head.html': FRAME, 'header.html': FRAME, 'footer.html': FRAME,
    // The shared-link tags: their words are written in, per language, by
    // scripts/gen-social (tests/e2e/social.test.mjs checks them).
    'social.html': FRAME, 'social-pages.html': FRAME,
    'staff-head.html': STAFF, 'staff-header.html': STAFF, 'staff-status.html': STAFF,
  };
  const onDisk = (await readdir(join(www, '_frame'))).filter((f) => f.endsWith('.html') && f !== 'languages.html').sort();
  assert.deepEqual(onDisk, Object.keys(partials).sort(), 'every partial is listed here with its bundle');
  const missing = [];
  for (const [file, bundle] of Object.entries(partials)) {
    const keys = usedKeys(await readFile(join(www, '_frame', file), 'utf8'));
    for (const lang of LANGUAGES) {
      const dict = await readBundle(bundle, lang);
      for (const key of keys) if (!(key in dict)) missing.push(`_frame/${file}: ${key} (${lang})`);
    }
  }
  assert.deepEqual(missing, []);
  const head = await readFile(join(www, '_frame', 'head.html'), 'utf8');
  assert.match(head, /<meta name="i18n-bundles" content="frame">/, 'the frame\'s head names its bundle');
});
