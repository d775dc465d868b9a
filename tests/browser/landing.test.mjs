// tests/browser/landing.test.mjs — the landing page (www/index.html) in
// Chromium against the real stack (nginx + icommitd): the campaign from the API
// in each language, counts formatted for the language, axe-clean, no console
// or CSP errors, keyboard language switching that persists, the visitor's
// browser language, a phone-size layout, and the calm fallback when the API
// is unavailable. ICOMMIT_SCREENSHOT=1 also writes docs/img/landing.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { request } from '../e2e/lib/http.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, consoleErrors, clearConsoleErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGUAGES = ['es', 'pt', 'en', 'fr']; // the switcher's order
const TIMEOUT = 60_000;

let stack;
let context;
let campaign; // GET /api/v1/campaigns/icommit as the API answers it
const dict = {}; // lang -> www/i18n/{lang}.json
const frame = {}; // lang -> www/i18n/frame.{lang}.json (the page frame's words)

before(async () => {
  stack = await startStack();
  context = await launchBrowser();
  const r = await request(stack.base, 'GET', '/api/v1/campaigns/icommit');
  assert.equal(r.status, 200, `GET /api/v1/campaigns/icommit: ${r.status} ${r.text}`);
  campaign = r.json;
  for (const lang of LANGUAGES) {
    dict[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8'));
    frame[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `frame.${lang}.json`), 'utf8'));
  }
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

/** What the page should show for an API {es, en, pt, fr} text in `lang`. */
function localized(texts, lang) {
  const v = texts && texts[lang];
  return typeof v === 'string' && v.trim() !== '' ? v : texts.es;
}

/** Opens `path` in a new page and waits until the campaign's figures are shown. */
async function openLanding(path, ctx = context) {
  const page = await ctx.newPage();
  await page.goto(stack.base + path);
  await page.waitForSelector('#counter-figures', { state: 'visible' });
  return page;
}

const textOf = (page, selector) => page.locator(selector).textContent();
const formatIn = (page, lang, n) =>
  page.evaluate(([l, v]) => new Intl.NumberFormat(l, { useGrouping: 'always' }).format(v), [lang, n]);

/** Waits until the page shows `lang` (its <html lang> and the campaign title). */
async function waitForLanguage(page, lang) {
  await page.waitForFunction(
    ([l, title]) => document.documentElement.lang === l
      && document.getElementById('campaign-title').textContent === title,
    [lang, localized(campaign.title, lang)],
  );
}

for (const lang of LANGUAGES) {
  test(`/?lang=${lang} shows the campaign in ${lang}, accessible and without console errors`, { timeout: TIMEOUT }, async () => {
    const page = await openLanding(`/?lang=${lang}`);
    try {
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.title(), dict[lang]['page.title']);
      assert.equal(await textOf(page, '#campaign-title'), localized(campaign.title, lang));
      assert.equal(await textOf(page, '#campaign-description'), localized(campaign.description, lang));
      assert.equal(await page.locator('#lang-select').inputValue(), lang);
      assert.equal(await textOf(page, 'h2#how-title'), dict[lang]['how.title']);

      assert.equal(await textOf(page, '#counter-number'), await formatIn(page, lang, campaign.count));
      if (Number.isInteger(campaign.goal) && campaign.goal > 0) {
        const goal = await formatIn(page, lang, campaign.goal);
        assert.equal(await textOf(page, '#counter-goal-text'), dict[lang]['counter.goal'].replace('{goal}', goal));
        assert.equal(await page.locator('#counter-progress').getAttribute('max'), String(campaign.goal));
      } else {
        assert.equal(await page.locator('#counter-goal').isVisible(), false);
      }
      if (campaign.status) {
        assert.equal(await textOf(page, '#campaign-status'), dict[lang][`status.${campaign.status}`]);
      }

      await checkA11y(page, `/?lang=${lang}`);
      assert.equal(await page.evaluate(() => localStorage.getItem('icommit.lang')), lang);

      if (lang === 'es' && process.env.ICOMMIT_SCREENSHOT === '1') {
        await mkdir(join(root, 'docs', 'img'), { recursive: true });
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.screenshot({ path: join(root, 'docs', 'img', 'landing.png') });
      }
      assertNoConsoleErrors(page, `/?lang=${lang}`);
    } finally {
      await page.close();
    }
  });
}

test('big counts are grouped the way each language writes numbers', { timeout: TIMEOUT }, async () => {
  // The fresh database has few pledges; serve the real answer with a large count.
  const big = { ...campaign, count: 1234567, goal: 2000000 };
  const page = await context.newPage();
  try {
    await page.route('**/api/v1/campaigns/icommit', (route) =>
      route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(big) }));
    for (const lang of LANGUAGES) {
      await page.goto(`${stack.base}/?lang=${lang}`);
      await page.waitForSelector('#counter-figures', { state: 'visible' });
      const count = await formatIn(page, lang, big.count);
      assert.notEqual(count, '1234567', `${lang}: ${count} is not grouped`);
      assert.equal(await textOf(page, '#counter-number'), count);
      assert.equal(await textOf(page, '#counter-label'), dict[lang]['counter.label.other']);
      assert.match(await textOf(page, '#counter-goal-text'),
        new RegExp(escapeRegExp(await formatIn(page, lang, big.goal))));
    }
    assertNoConsoleErrors(page, 'big counts');
  } finally {
    await page.close();
  }
});

test('the language switcher works from the keyboard and the choice persists', { timeout: TIMEOUT }, async () => {
  const page = await openLanding('/?lang=es');
  try {
    // The first Tab stop is the skip link, and it shows itself when focused.
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
    const box = await page.locator('.skip-link').boundingBox();
    assert.ok(box && box.y >= 0 && box.height > 0, 'skip link is visible when focused');

    // Tab on to the switcher.
    let tabs = 1;
    while (await page.evaluate(() => document.activeElement.id) !== 'lang-select') {
      assert.ok(++tabs <= 6, 'the language switcher is not among the first Tab stops');
      await page.keyboard.press('Tab');
    }
    const name = await page.locator('#lang-select').evaluate((el) => el.labels[0].textContent);
    assert.equal(name, frame.es['frame.lang']);

    // es -> pt with the arrow key (options in LANGUAGES order).
    await page.keyboard.press('ArrowDown');
    await waitForLanguage(page, 'pt');
    assert.equal(await textOf(page, '#why-title'), dict.pt['why.title']);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'lang-select', 'focus stays on the switcher');
    assert.equal(new URL(page.url()).searchParams.get('lang'), 'pt', '?lang= follows the choice');

    // Reload: still Portuguese.
    await page.reload();
    await page.waitForSelector('#counter-figures', { state: 'visible' });
    await waitForLanguage(page, 'pt');

    // Without ?lang= the remembered choice wins over the browser's language (es-ES).
    await page.goto(`${stack.base}/`);
    await page.waitForSelector('#counter-figures', { state: 'visible' });
    await waitForLanguage(page, 'pt');

    // And on to English from the keyboard again.
    await page.focus('#lang-select');
    await page.keyboard.press('ArrowDown');
    await waitForLanguage(page, 'en');
    assert.equal(await page.evaluate(() => localStorage.getItem('icommit.lang')), 'en');
    assert.equal(await textOf(page, '#counter-label'),
      dict.en[campaign.count === 1 ? 'counter.label.one' : 'counter.label.other']);
    await checkA11y(page, 'after switching to en');
    assertNoConsoleErrors(page, 'language switching');
  } finally {
    await page.close();
  }
});

test("a first visit follows the browser's languages, else Spanish", { timeout: TIMEOUT }, async () => {
  for (const [locale, expected] of [['pt-BR', 'pt'], ['fr-CA', 'fr'], ['de-DE', 'es']]) {
    const ctx = await launchBrowser({ locale });
    try {
      const page = await openLanding('/', ctx);
      await waitForLanguage(page, expected);
      assertNoConsoleErrors(page, `first visit with ${locale}`);
    } finally {
      await ctx.close();
    }
  }
});

test('on a phone-size screen nothing overflows horizontally', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({
    viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2,
  });
  try {
    const page = await ctx.newPage();
    for (const lang of LANGUAGES) {
      await page.goto(`${stack.base}/?lang=${lang}`);
      await page.waitForSelector('#counter-figures', { state: 'visible' });
      const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        wide: [...document.querySelectorAll('body *')]
          .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5)
          .map((el) => el.id || el.className || el.tagName)
          .slice(0, 10),
      }));
      assert.ok(scrollWidth <= innerWidth, `${lang}: page is ${scrollWidth}px wide on a ${innerWidth}px screen (${wide.join(', ')})`);
      assert.deepEqual(wide, [], `${lang}: elements past the right edge`);
    }
    await checkA11y(page, 'phone');
    assertNoConsoleErrors(page, 'phone');
  } finally {
    await ctx.close();
  }
});

test('on a phone the counter, its goal bar and the call to pledge are on the first screen, in every language', { timeout: TIMEOUT }, async () => {
  // A common phone (390 × 844 CSS pixels), before any scrolling.
  const ctx = await launchBrowser({
    viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3,
  });
  try {
    const page = await ctx.newPage();
    for (const lang of LANGUAGES) {
      await page.goto(`${stack.base}/?lang=${lang}`);
      await page.waitForSelector('#counter-figures', { state: 'visible' });
      await waitForLanguage(page, lang);
      const seen = await page.evaluate(() => {
        const box = (sel) => {
          const el = document.querySelector(sel);
          const r = el.getBoundingClientRect();
          return { top: Math.round(r.top), bottom: Math.round(r.bottom), shown: r.height > 0 };
        };
        return {
          scrollY: window.scrollY,
          height: window.innerHeight,
          number: box('#counter-number'),
          bar: box('#counter-progress'),
          cta: box('.hero__actions a[href="#pledge"]'),
        };
      });
      assert.equal(seen.scrollY, 0);
      for (const what of ['number', 'bar', 'cta']) {
        assert.ok(seen[what].shown && seen[what].top >= 0 && seen[what].bottom <= seen.height,
          `${lang}: ${what} at ${seen[what].top}–${seen[what].bottom}px, the screen is ${seen.height}px tall`);
      }
      assert.equal(await textOf(page, '.hero__actions a[href="#pledge"]'), dict[lang]['pledge.title']);
    }
    await checkA11y(page, 'phone, first screen');
    assertNoConsoleErrors(page, 'phone, first screen');
  } finally {
    await ctx.close();
  }
});

test('when the API is unavailable the page keeps its own text and says so calmly', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    let fail = true;
    await page.route('**/api/v1/campaigns/icommit', (route) => (fail
      ? route.fulfill({
        status: 503,
        contentType: 'application/json; charset=utf-8',
        headers: { 'Retry-After': '5' },
        body: JSON.stringify({ error: { code: 'unavailable', message: 'Storage is busy.' } }),
      })
      : route.continue()));
    await page.goto(`${stack.base}/?lang=en`);
    await page.waitForSelector('#api-retry', { state: 'visible' });
    assert.equal(await textOf(page, '#campaign-title'), dict.en['campaign.title']);
    assert.equal(await textOf(page, '#campaign-description'), dict.en['campaign.description']);
    assert.equal(await textOf(page, '#api-notice-text'), dict.en['counter.unavailable']);
    assert.equal(await page.locator('#api-notice-text').getAttribute('role'), 'status');
    assert.equal(await page.locator('#counter-figures').isVisible(), false);
    await checkA11y(page, 'API unavailable');
    // The only console error is the browser's own note about the 503.
    const unexpected = consoleErrors(page).filter((e) => !/status of 503/.test(e.text));
    assert.deepEqual(unexpected, []);
    clearConsoleErrors(page);

    // The API comes back: retry from the keyboard shows the figures and keeps focus in the card.
    fail = false;
    await page.focus('#api-retry');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#counter-figures', { state: 'visible' });
    assert.equal(await textOf(page, '#campaign-title'), localized(campaign.title, 'en'));
    assert.equal(await textOf(page, '#api-notice-text'), '');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'counter-figures');
    assertNoConsoleErrors(page, 'after retry');
  } finally {
    await page.close();
  }
});

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
