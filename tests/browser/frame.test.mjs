// tests/browser/frame.test.mjs — the page frame (www/_frame/, put together
// by nginx's SSI) in Chromium against the real stack: every public page
// shows the same header navigation and footer and marks its own entry with
// aria-current; the frame's words in all four languages whichever loader
// the page uses; every header and footer link leads to a page that exists;
// on a phone the menu button opens and closes the navigation, from the
// keyboard too, with visible focus; without JavaScript the links are a
// visible list; an unknown address is the branded 404 page with status 404
// in each language; every staff page shows the one console navigation with
// its own entry marked. axe on every page and state, no console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { get } from '../e2e/lib/http.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, assertOnlyStatusErrors,
} from './lib/browser.mjs';
import { staffInBrowser } from './lib/contact.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const www = join(root, 'www');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 120_000;
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

/** The header's navigation, in order: [href, key of its words]. */
const NAV = [
  ['/#pledge', 'frame.nav.pledge'],
  ['/#wall', 'frame.nav.commitments'],
  ['/events.html', 'frame.nav.events'],
  ['/newsletter.html', 'frame.nav.newsletter'],
  ['/about.html', 'frame.nav.about'],
];
/** The footer's links, in order. */
const FOOTER = [
  ['/newsletter.html', 'frame.footer.newsletter'],
  ['/privacy-notice.html', 'frame.footer.notice'],
  ['/privacy.html', 'frame.footer.my_data'],
  ['/contact.html', 'frame.footer.contact'],
  ['/consultants.html', 'frame.footer.consultants'],
];
/** The links each page marks as itself: [in the header, in the footer]. */
const CURRENT = {
  '/events.html': [['/events.html'], []],
  '/newsletter.html': [['/newsletter.html'], ['/newsletter.html']],
  '/about.html': [['/about.html'], []],
  '/privacy-notice.html': [[], ['/privacy-notice.html']],
  '/privacy.html': [[], ['/privacy.html']],
  '/contact.html': [[], ['/contact.html']],
  '/consultants.html': [[], ['/consultants.html']],
};
/** The console's pages and the navigation entry each marks as itself. */
const STAFF = {
  '/admin/': '/admin/',
  '/admin/campaigns.html': '/admin/campaigns.html',
  '/admin/events.html': '/admin/events.html',
  '/admin/exports.html': '/admin/exports.html',
  '/admin/newsletters.html': '/admin/newsletters.html',
  '/admin/comments.html': '/admin/comments.html',
  '/admin/consultants.html': '/admin/consultants.html',
  '/admin/audit.html': '/admin/audit.html',
};

let stack;
let context;
let publicPages; // every framed www/*.html, as URL paths
const frame = {}; // lang -> www/i18n/frame.{lang}.json
const site = {}; // lang -> www/i18n/{lang}.json
const admin = {}; // lang -> www/admin/i18n/{lang}.json

before(async () => {
  stack = await startStack();
  context = await launchBrowser();
  for (const lang of LANGUAGES) {
    const read = async (...p) => JSON.parse(await readFile(join(www, ...p), 'utf8'));
    frame[lang] = await read('i18n', `frame.${lang}.json`);
    site[lang] = await read('i18n', `${lang}.json`);
    admin[lang] = await read('admin', 'i18n', `${lang}.json`);
  }
  publicPages = (await readdir(www))
    .filter((f) => f.endsWith('.html') && f !== 'embed.html' && f !== '404.html')
    .sort()
    .map((f) => `/${f}`);
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

/** Opens `path` (with ?lang=) in `page` and waits until the frame is in `lang`. */
async function openIn(page, path, lang) {
  const res = await page.goto(`${stack.base}${path}${path.includes('?') ? '&' : '?'}lang=${lang}`);
  await page.waitForFunction(([l, text]) => document.documentElement.lang === l
    && document.querySelector('#site-nav a[href="/about.html"]')?.textContent === text,
  [lang, frame[lang]['frame.nav.about']]);
  return res;
}

/** [href, text] of the links under `selector`, and the hrefs marked aria-current="page". */
async function linksOf(page, selector) {
  return page.$$eval(`${selector} a`, (as) => ({
    links: as.map((a) => [a.getAttribute('href'), a.textContent.trim()]),
    current: as.filter((a) => a.getAttribute('aria-current') === 'page').map((a) => a.getAttribute('href')),
  }));
}

/** The header and footer as markup, without the marks of the current page. */
const frameMarkup = (page) => page.evaluate(() => ['header.site-header', 'footer.site-footer']
  .map((sel) => {
    const el = document.querySelector(sel).cloneNode(true);
    for (const a of el.querySelectorAll('[aria-current]')) a.removeAttribute('aria-current');
    return el.outerHTML;
  }));

const words = (lang, list) => list.map(([href, key]) => [href, frame[lang][key]]);

test('every public page shows the one header navigation and footer and marks its own entry, accessible', { timeout: 5 * TIMEOUT }, async () => {
  assert.ok(publicPages.length >= 12, `pages: ${publicPages}`);
  const page = await context.newPage();
  try {
    let reference = null;
    for (const path of publicPages) {
      const res = await openIn(page, path, 'en');
      assert.equal(res.status(), 200, path);
      assert.equal(await page.locator('header.site-header').count(), 1, `${path}: one site header`);
      assert.equal(await page.locator('footer.site-footer').count(), 1, `${path}: one site footer`);
      const nav = await linksOf(page, '#site-nav');
      const footer = await linksOf(page, 'footer.site-footer');
      assert.deepEqual(nav.links, words('en', NAV), `${path}: the header's navigation`);
      assert.deepEqual(footer.links, words('en', FOOTER), `${path}: the footer's links`);
      const [navCurrent, footerCurrent] = CURRENT[path] ?? [[], []];
      assert.deepEqual(nav.current, navCurrent, `${path}: current entry in the header`);
      assert.deepEqual(footer.current, footerCurrent, `${path}: current entry in the footer`);
      const markup = await frameMarkup(page);
      reference ??= { path, markup };
      assert.deepEqual(markup, reference.markup, `${path}: the same header and footer as ${reference.path}`);
      await checkA11y(page, `${path} (en)`);
      assertNoConsoleErrors(page, path);
    }
  } finally {
    await page.close();
  }
});

test("the frame's words in all four languages, whichever loader and bundle the page uses", { timeout: 2 * TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    // about.html: js/i18n.js; events.html: js/events-i18n.js; contact.html:
    // js/events-i18n.js with the contact bundle.
    for (const path of ['/about.html', '/events.html', '/contact.html']) {
      for (const lang of LANGUAGES) {
        await openIn(page, path, lang);
        const f = frame[lang];
        const what = `${path} (${lang})`;
        assert.deepEqual((await linksOf(page, '#site-nav')).links, words(lang, NAV), what);
        assert.deepEqual((await linksOf(page, 'footer.site-footer')).links, words(lang, FOOTER), what);
        assert.equal(await page.textContent('.skip-link'), f['frame.skip'], what);
        assert.equal(await page.getAttribute('header .brand', 'aria-label'), f['frame.home'], what);
        assert.equal(await page.textContent('label[for="lang-select"]'), f['frame.lang'], what);
        assert.equal(await page.textContent('[data-menu-button] .menu-button__label'), f['frame.menu'], what);
        assert.equal(await page.getAttribute('#site-nav', 'aria-label'), f['frame.nav.label'], what);
        assert.equal(await page.textContent('footer [data-i18n="frame.footer.tagline"]'), f['frame.footer.tagline'], what);
        assert.equal(await page.locator('#lang-select').inputValue(), lang, what);
      }
      assertNoConsoleErrors(page, path);
    }
  } finally {
    await page.close();
  }
});

test('every link of the header and footer leads to a page that exists', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await openIn(page, '/about.html', 'es');
    const hrefs = await page.$$eval('header a[href], footer a[href]', (as) => as.map((a) => a.getAttribute('href')));
    assert.ok(hrefs.length >= NAV.length + FOOTER.length, `links: ${hrefs}`);
    const sections = [];
    for (const href of new Set(hrefs)) {
      const url = new URL(href, stack.base);
      const res = await get(stack.base, url.pathname);
      assert.equal(res.status, 200, `${href}: ${res.status}`);
      if (url.hash) sections.push(url.hash);
    }
    assert.deepEqual(sections.sort(), ['#pledge', '#wall']);
    await openIn(page, '/', 'es');
    for (const id of sections) {
      assert.equal(await page.locator(`main ${id}`).count(), 1, `the landing page has ${id}`);
    }
    assertNoConsoleErrors(page, 'links');
  } finally {
    await page.close();
  }
});

test('on a phone the menu button opens and closes the navigation, from the keyboard, with visible focus', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser(PHONE);
  try {
    const page = await ctx.newPage();
    await openIn(page, '/events.html', 'pt');
    const button = page.locator('[data-menu-button]');
    const nav = page.locator('#site-nav');
    assert.ok(await button.isVisible(), 'the menu button shows on a phone');
    assert.equal(await button.getAttribute('aria-controls'), 'site-nav');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.ok(await nav.isHidden(), 'the navigation is folded');
    await checkA11y(page, 'phone, menu closed');

    // Tab from the top: skip link, brand, language menu, menu button.
    let tabs = 0;
    while (!(await button.evaluate((el) => el === document.activeElement))) {
      assert.ok(++tabs <= 4, 'the menu button is among the first four Tab stops');
      await page.keyboard.press('Tab');
    }
    const outline = () => page.evaluate(() => {
      const st = getComputedStyle(document.activeElement);
      return st.outlineStyle !== 'none' && parseFloat(st.outlineWidth) >= 2;
    });
    assert.ok(await outline(), 'the focused menu button shows a focus outline');

    await page.keyboard.press('Enter');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    assert.ok(await nav.isVisible(), 'Enter opens the navigation');
    // Every entry is reached with Tab, in order, with a visible outline.
    for (const [href] of NAV) {
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), href);
      assert.ok(await page.locator(`#site-nav a[href="${href}"]`).isVisible(), `${href} is visible`);
      assert.ok(await outline(), `${href} shows a focus outline`);
    }
    assert.equal(await nav.locator('a[aria-current="page"]').getAttribute('href'), '/events.html');
    await checkA11y(page, 'phone, menu open');

    // Escape closes it and gives focus back to the button; Space opens it again.
    await page.keyboard.press('Escape');
    assert.equal(await button.getAttribute('aria-expanded'), 'false');
    assert.ok(await nav.isHidden(), 'Escape folds the navigation');
    assert.ok(await button.evaluate((el) => el === document.activeElement), 'focus is back on the button');
    await page.keyboard.press('Space');
    assert.equal(await button.getAttribute('aria-expanded'), 'true');
    await button.click();
    assert.ok(await nav.isHidden(), 'a second press folds it');

    // On the landing page (the language remembered, so the address is just
    // "/"), following "Commitments" to its section stays on the page and
    // folds the menu.
    await page.goto(`${stack.base}/`);
    await page.waitForFunction((t) => document.querySelector('#site-nav a[href="/#wall"]').textContent === t, frame.pt['frame.nav.commitments']);
    await page.evaluate(() => { window.sameDocument = true; });
    await page.locator('[data-menu-button]').click();
    await page.locator('#site-nav a[href="/#wall"]').click();
    await page.waitForFunction(() => location.hash === '#wall');
    assert.equal(await page.evaluate(() => window.sameDocument), true, 'no new page was loaded');
    assert.ok(await page.locator('#site-nav').isHidden(), 'the menu folds after a link is followed');
    assert.equal(await page.getAttribute('[data-menu-button]', 'aria-expanded'), 'false');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `nothing overflows horizontally (${overflow}px)`);
    assertNoConsoleErrors(page, 'phone menu');
  } finally {
    await ctx.close();
  }
});

test('without JavaScript every entry is a visible link and there is no menu button', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ ...PHONE, javaScriptEnabled: false });
  try {
    const page = await ctx.newPage();
    await page.goto(`${stack.base}/newsletter.html`);
    assert.ok(await page.locator('[data-menu-button]').isHidden(), 'no menu button without its script');
    for (const [href, key] of NAV) {
      const link = page.locator(`#site-nav a[href="${href}"]`);
      assert.ok(await link.isVisible(), `${href} is visible`);
      assert.equal((await link.textContent()).trim(), frame.es[key], 'the Spanish fallback');
    }
    assert.equal(await page.getAttribute('#site-nav a[href="/newsletter.html"]', 'aria-current'), 'page');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `nothing overflows horizontally (${overflow}px)`);
  } finally {
    await ctx.close();
  }
  // axe needs JavaScript (its timers never fire without it): the same
  // header state, with the page's other scripts but not the menu's.
  const scripted = await launchBrowser(PHONE);
  try {
    const page = await scripted.newPage();
    await page.route('**/js/frame.js', (route) => route.fulfill({ contentType: 'text/javascript', body: '' }));
    await openIn(page, '/newsletter.html', 'fr');
    assert.ok(await page.locator('[data-menu-button]').isHidden());
    assert.ok(await page.locator('#site-nav a[href="/about.html"]').isVisible());
    await checkA11y(page, 'the navigation without its script');
    assertNoConsoleErrors(page, 'without the menu script');
  } finally {
    await scripted.close();
  }
});

test('an unknown address shows the 404 page with status 404 in each language, accessible', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const [i, lang] of LANGUAGES.entries()) {
      const path = ['/no-such-page.html', '/pledges/2024/list', '/events/climate-week', '/admin/nothing.html'][i];
      const res = await openIn(page, path, lang);
      assert.equal(res.status(), 404, `${path}: ${res.status()}`);
      assert.equal(new URL(page.url()).pathname, path, 'shown at the address asked for, not redirected');
      assert.equal(await page.title(), site[lang]['notfound.page.title']);
      assert.equal(await page.textContent('h1'), site[lang]['notfound.title']);
      assert.equal(await page.getAttribute('main a.button', 'href'), '/');
      assert.deepEqual((await linksOf(page, '#site-nav')).links, words(lang, NAV), `${path}: with the frame`);
      await checkA11y(page, `404 (${lang})`);
      assertOnlyStatusErrors(page, [404], `404 (${lang})`); // Chromium reports the page's own 404
    }
  } finally {
    await page.close();
  }
});

test('every staff page shows the one console navigation with its own entry marked', { timeout: 2 * TIMEOUT }, async () => {
  const ctx = await launchBrowser({ locale: 'fr-FR' });
  try {
    await staffInBrowser(stack, ctx, 'frame-staff');
    const page = await ctx.newPage();
    let reference = null;
    for (const [path, own] of Object.entries(STAFF)) {
      await page.goto(`${stack.base}${path}`);
      await page.waitForSelector('#nav:not([hidden])');
      await page.waitForFunction((t) => document.querySelector('#nav a[href="/admin/audit.html"]').textContent === t, admin.fr['nav.audit']);
      const nav = await linksOf(page, '#nav');
      reference ??= nav.links;
      assert.deepEqual(nav.links, reference, `${path}: the same navigation as /admin/`);
      assert.equal(nav.links.length, 9, `${path}: every console page is linked`);
      assert.deepEqual(nav.current, [own], `${path}: its own entry is marked`);
      await checkA11y(page, path);
      assertNoConsoleErrors(page, path);
    }
    // The entries lead to pages that exist.
    for (const [href] of reference) {
      assert.equal((await get(stack.base, href)).status, 200, href);
    }
  } finally {
    await ctx.close();
  }
});
