// tests/browser/i18n.test.mjs — the three translators built on
// www/js/i18n-core.js, in Chromium against the real stack: the site's
// (js/i18n.js, about.html), the event pages' (js/events-i18n.js, events.html
// and contact.html with its own bundle) and the console's (admin/js/i18n.js).
// Each keeps its own dictionaries, change event and remembered choice: a
// dictionary that fails to load leaves the page in Spanish without
// forgetting the visitor's choice; the site's and the event pages' loaders
// share one remembered language, the console keeps its own; ?lang= in the
// address follows a switch on the public pages, not in the console.
// axe on every page, no console errors but the failures a step provokes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { launchBrowser, checkA11y, assertOnlyStatusErrors } from './lib/browser.mjs';

const www = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'www');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 90_000;

/** Each page, its loader's storage key and event, and the file and key of its <title>. */
const PAGES = [
  { path: '/about.html', key: 'icommit.lang', event: 'i18n:change', dict: (l) => ['i18n', `about.${l}.json`], title: 'about.page.title' },
  { path: '/events.html', key: 'icommit.lang', event: 'events-i18n:change', dict: (l) => ['i18n', `events.${l}.json`], title: 'events.page.title' },
  { path: '/contact.html', key: 'icommit.lang', event: 'events-i18n:change', dict: (l) => ['i18n', `contact.${l}.json`], title: 'contact.page.title' },
  { path: '/admin/', key: 'icommit.admin.lang', event: 'i18n:change', dict: (l) => ['admin', 'i18n', `${l}.json`], title: 'moderation.page_title' },
];

let stack;
let context;
const titles = new Map(); // "path lang" -> the page's <title> in that language

before(async () => {
  stack = await startStack();
  context = await launchBrowser({ locale: 'es-ES' });
  // Every change event of either name, in order, as [name, detail.lang].
  await context.addInitScript(() => {
    window.i18nEvents = [];
    for (const name of ['i18n:change', 'events-i18n:change']) {
      document.addEventListener(name, (ev) => window.i18nEvents.push([name, ev.detail.lang]));
    }
  });
  for (const p of PAGES) {
    for (const lang of LANGUAGES) {
      const dict = JSON.parse(await readFile(join(www, ...p.dict(lang)), 'utf8'));
      assert.ok(dict[p.title], `${p.path}: ${p.title} in ${lang}`);
      titles.set(`${p.path} ${lang}`, dict[p.title]);
    }
  }
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const events = (page) => page.evaluate(() => window.i18nEvents);
const stored = (page, key) => page.evaluate((k) => localStorage.getItem(k), key);
const langOf = (url) => new URL(url).searchParams.get('lang');

/** Waits until the page's loader has announced `count` changes, the last to `lang`. */
async function waitForChange(page, lang, count) {
  await page.waitForFunction(([l, n]) => window.i18nEvents.length === n
    && window.i18nEvents[n - 1][1] === l && document.documentElement.lang === l, [lang, count]);
}

/** Opens `path` in `page` and waits for its first language. */
async function open(page, path, lang) {
  await page.goto(stack.base + path);
  await waitForChange(page, lang, 1);
}

/**
 * Opens `path`, waits until its loader has started (and remembered its
 * language: a later write would undo ours), then leaves only `entries` in
 * localStorage.
 */
async function presetStorage(page, path, entries) {
  await page.goto(stack.base + path);
  await page.waitForFunction(() => window.i18nEvents.length > 0);
  await page.evaluate((e) => {
    localStorage.clear();
    for (const [k, v] of e) localStorage.setItem(k, v);
  }, entries);
}

/** Picks `lang` in the page's switcher and waits for the change it announces. */
async function switchTo(page, lang) {
  const before = (await events(page)).length;
  await page.selectOption('#lang-select', lang);
  await waitForChange(page, lang, before + 1);
}

test('a dictionary that fails to load leaves each page in Spanish and the choice remembered', { timeout: 2 * TIMEOUT }, async () => {
  for (const p of PAGES) {
    const page = await context.newPage();
    try {
      await presetStorage(page, p.path, [[p.key, 'fr']]);
      const failing = `**/${p.dict('fr').join('/')}`;
      await page.route(failing, (route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{}' }));

      await open(page, p.path, 'es');
      assert.deepEqual(await events(page), [[p.event, 'es']], `${p.path}: only its own event, once`);
      assert.equal(await page.title(), titles.get(`${p.path} es`), p.path);
      assert.equal(await page.locator('#lang-select').inputValue(), 'es', p.path);
      assert.equal(await stored(page, p.key), 'fr', `${p.path}: the fallback is not remembered`);
      await checkA11y(page, `${p.path} after a failed load`);
      assertOnlyStatusErrors(page, [500, 401], `${p.path} after a failed load`);

      // Once the dictionary can be had, the switcher brings French.
      await page.unroute(failing);
      await switchTo(page, 'fr');
      assert.equal(await page.title(), titles.get(`${p.path} fr`), p.path);
      assert.equal(await stored(page, p.key), 'fr', p.path);
      assert.deepEqual((await events(page)).map(([name]) => name), [p.event, p.event], p.path);
      await checkA11y(page, `${p.path} in fr`);
      assertOnlyStatusErrors(page, [401], `${p.path} in fr`);
    } finally {
      await page.close();
    }
  }
});

test('the public loaders share one remembered language and keep ?lang= in step; the console keeps its own', { timeout: 2 * TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await presetStorage(page, '/about.html', []);

    // The site's loader: ?lang= wins and is remembered, a switch rewrites it.
    await open(page, '/about.html?lang=pt', 'pt');
    await switchTo(page, 'en');
    assert.equal(langOf(page.url()), 'en');
    assert.equal(await page.title(), titles.get('/about.html en'));
    assert.equal(await stored(page, 'icommit.lang'), 'en');
    assert.equal(await stored(page, 'icommit.admin.lang'), null);
    await checkA11y(page, '/about.html in en');

    // The event pages' loader starts in the site's choice; an address
    // without ?lang= stays without it.
    await open(page, '/events.html', 'en');
    assert.equal(await page.title(), titles.get('/events.html en'));
    await switchTo(page, 'fr');
    assert.equal(page.url(), `${stack.base}/events.html`);
    assert.equal(await stored(page, 'icommit.lang'), 'fr');
    await checkA11y(page, '/events.html in fr');

    await open(page, '/contact.html?lang=pt', 'pt');
    assert.equal(await page.title(), titles.get('/contact.html pt'));
    await switchTo(page, 'es');
    assert.equal(langOf(page.url()), 'es');
    await checkA11y(page, '/contact.html in es');

    // The console: its own choice, and its address left as it was.
    await open(page, '/admin/?lang=pt', 'pt');
    assert.equal(await page.title(), titles.get('/admin/ pt'));
    await switchTo(page, 'fr');
    assert.equal(langOf(page.url()), 'pt');
    assert.equal(await page.title(), titles.get('/admin/ fr'));
    assert.equal(await stored(page, 'icommit.admin.lang'), 'fr');
    assert.equal(await stored(page, 'icommit.lang'), 'es');
    await checkA11y(page, '/admin/ in fr');

    // Back on the site, the console's choice did not follow.
    await open(page, '/about.html', 'es');
    assert.equal(await page.title(), titles.get('/about.html es'));
    assertOnlyStatusErrors(page, [401], 'languages across the loaders');
  } finally {
    await page.close();
  }
});
