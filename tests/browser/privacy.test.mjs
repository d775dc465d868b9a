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
  launchBrowser, checkA11y, assertNoConsoleErrors, assertOnlyStatusErrors,
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

test('privacy.html: the link for a known address, the export as a file, erasure behind a second button', { timeout: TIMEOUT }, async () => {
  // A pledge to find.
  const body = pledgeBody('privacy-page', { name: 'Rosa Quispe Mamani', language: 'es' });
  const r = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', body);
  assert.equal(r.status, 202, r.text);
  const confirm = confirmLink((await waitMailTo(stack, body.email)).text);
  assert.equal((await postJson(stack.base, '/api/v1/confirm', { token: confirm.token })).status, 200);

  const page = await context.newPage();
  try {
    // Asking: a bad address is announced; an unknown and a known one get the same page.
    await page.goto(`${stack.base}/privacy.html?lang=en`);
    await page.waitForSelector('#pv-form:not([hidden])');
    await checkA11y(page, 'privacy request (en)');
    await page.fill('#pv-email', 'not-an-address');
    await page.click('#pv-submit');
    await page.waitForFunction(() => document.getElementById('pv-email-error').textContent !== '');
    assert.equal(await page.getAttribute('#pv-email', 'aria-invalid'), 'true');
    await checkA11y(page, 'privacy request errors (en)');
    await page.fill('#pv-email', 'nobody-at-all@browser-test.example.org');
    await page.click('#pv-submit');
    await page.waitForSelector('#pv-sent:not([hidden])');
    const unknownText = await text(page, '#pv-sent-text');
    await page.goto(`${stack.base}/privacy.html?lang=en`);
    await page.waitForSelector('#pv-form:not([hidden])');
    await page.fill('#pv-email', body.email);
    await page.click('#pv-submit');
    await page.waitForSelector('#pv-sent:not([hidden])');
    assert.equal((await text(page, '#pv-sent-text')).replace(body.email, 'X'),
      unknownText.replace('nobody-at-all@browser-test.example.org', 'X'), 'the same answer for known and unknown');
    await checkA11y(page, 'privacy request sent (en)');

    // The mailed link opens the page with the two actions.
    const mail = await waitMailTo(stack, body.email, { n: 2 });
    const m = /(\/privacy\.html\?token=[A-Za-z0-9_-]{43})/.exec(mail.text);
    assert.ok(m, mail.text);
    await page.goto(`${stack.base}${m[1]}&lang=es`);
    await page.waitForSelector('#pv-actions:not([hidden])');
    await checkA11y(page, 'privacy actions (es)');
    await page.click('#pv-export');
    await page.waitForSelector('#pv-save:not([hidden])');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#pv-save')]);
    const saved = JSON.parse(await readFile(await download.path(), 'utf8'));
    assert.equal(saved.pledges[0].name, 'Rosa Quispe Mamani');
    assert.equal(saved.email, body.email);
    assert.ok(await page.locator('#pv-counts dt').count() >= 1, 'a count per kind of record');
    await checkA11y(page, 'privacy export ready (es)');

    // Erasure: the first button only asks.
    await page.click('#pv-erase');
    await page.waitForSelector('#pv-confirm:not([hidden])');
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM pledges WHERE email = ${q(body.email)}`), '1');
    await checkA11y(page, 'privacy erase confirm (es)');
    await page.click('#pv-erase-no');
    assert.equal(await page.locator('#pv-confirm').isVisible(), false);
    await page.click('#pv-erase');
    await page.click('#pv-erase-yes');
    await page.waitForSelector('#pv-erased:not([hidden])');
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM pledges WHERE email = ${q(body.email)}`), '0');
    await checkA11y(page, 'privacy erased (es)');

    // The link is spent.
    await page.goto(`${stack.base}${m[1]}&lang=fr`);
    await page.waitForSelector('#pv-actions:not([hidden])');
    await page.click('#pv-export');
    await page.waitForSelector('#pv-expired:not([hidden])');
    await checkA11y(page, 'privacy link expired (fr)');
    assertOnlyStatusErrors(page, [404, 422], 'privacy page');
  } finally {
    await page.close();
  }
});
