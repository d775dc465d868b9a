// tests/browser/permalink.test.mjs — a shareable link to each pledge of the
// wall, in Chromium against the real stack (moderation on, verification
// off): every card on the wall links to /pledge.html?id=N&lang=xx and has
// a button that copies that link (announced in a live region); the link
// opens pledge.html, which shows that pledge as the wall does, its name in
// the page's title, in all four languages; a pledge that is not on the wall
// (not approved, private, unknown, a malformed id) says so; an API failure
// offers a retry; nothing overflows on a phone. axe on every state, no
// console or CSP errors beyond the browser's note about an expected 404.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { postJson } from '../e2e/lib/http.mjs';
import { sqlite } from '../e2e/lib/pledge-helpers.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, assertOnlyStatusErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 90_000;
const PLEDGES = '/api/v1/campaigns/icommit/pledges';

const ANA = {
  name: 'Ana Luísa Peña', email: 'ana.pena@ejemplo.org', organisation: 'Transportes Ñandú', actor_type: 'private_sector',
  country: 'UY', city: 'Montevideo', commitment: 'Electrificaremos los 40 taxis de nuestra cooperativa antes de 2027.',
  category: 'fleet', quantity: 40, unit: 'vehicles', target_year: 2027, public: true, consent: true,
};

let stack;
let context;
const dict = {}; // lang -> the site's words merged with i18n/pledge.{lang}.json, as the pages load them
const ids = {};

async function addPledge(body) {
  const r = await postJson(stack.base, PLEDGES, body);
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

before(async () => {
  stack = await startStack({ config: { verify_email: 'no', moderation: 'yes' } });
  context = await launchBrowser();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.base });
  for (const lang of LANGUAGES) {
    dict[lang] = {
      ...JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8')),
      ...JSON.parse(await readFile(join(root, 'www', 'i18n', `pledge.${lang}.json`), 'utf8')),
    };
  }
  ids.ana = await addPledge(ANA);
  ids.waiting = await addPledge({ ...ANA, name: 'Sin Aprobar', email: 'espera@ejemplo.org' });
  ids.private = await addPledge({ ...ANA, name: 'Privada', email: 'privada@ejemplo.org', public: false });
  for (const id of [ids.ana, ids.private]) {
    const r = await stack.ctl('pledge', 'approve', id);
    assert.equal(r.code, 0, r.stderr);
  }
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
const textOf = (page, sel) => page.locator(sel).first().textContent();

/** Opens pledge.html?id=…&lang=… and waits for its words. */
async function openPledge(page, query, lang) {
  await page.goto(`${stack.base}/pledge.html?${query}&lang=${lang}`);
  await page.waitForFunction(([l, t]) => document.documentElement.lang === l
    && document.getElementById('permalink-title').textContent === t, [lang, dict[lang]['permalink.title']]);
}

test('each card on the wall links to its pledge\'s own page and copies that link', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/?lang=es#wall`);
    await page.waitForSelector('.pledge-card');
    assert.equal(await page.locator('.pledge-card').count(), 1, 'only the approved public pledge');
    const card = page.locator('.pledge-card').first();
    const href = await card.locator('a.pledge-card__link').getAttribute('href');
    assert.equal(href, `${stack.base}/pledge.html?id=${ids.ana}&lang=es`);
    assert.equal(await card.locator('a.pledge-card__link').textContent(), dict.es['permalink.link']);
    // The link and the button say which pledge they are about.
    const nameId = await card.locator('.pledge-card__name').getAttribute('id');
    assert.equal(await card.locator('a.pledge-card__link').getAttribute('aria-describedby'), nameId);
    const button = card.locator('button.pledge-card__copy');
    assert.equal(await button.getAttribute('aria-describedby'), nameId);
    assert.equal(await button.textContent(), dict.es['permalink.copy']);
    await checkA11y(page, 'wall with permalinks');

    // From the keyboard: the button copies the link and says so.
    await button.focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.getElementById('pledge-share-status')?.textContent !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), href);
    assert.equal(await textOf(page, '#pledge-share-status'), fill(dict.es['permalink.result.copied'], { name: ANA.name }));
    assert.equal(await page.locator('#pledge-share-status').getAttribute('role'), 'status');
    assert.equal(await card.locator('.pledge-card__copied').textContent(), dict.es['permalink.result.copied_short']);

    // In another language the link carries it.
    await page.selectOption('#lang-select', 'fr');
    await page.waitForFunction((t) => document.querySelector('.pledge-card__link')?.textContent === t, dict.fr['permalink.link']);
    assert.equal(await page.locator('.pledge-card__link').getAttribute('href'), `${stack.base}/pledge.html?id=${ids.ana}&lang=fr`);
    await checkA11y(page, 'wall with permalinks (fr)');

    // Following it opens the pledge's page.
    await page.click('.pledge-card__link');
    await page.waitForSelector('#permalink-card .pledge-card');
    assert.equal(new URL(page.url()).searchParams.get('id'), String(ids.ana));
    assert.equal(await textOf(page, '#permalink-card .pledge-card__name'), ANA.name);
    assertNoConsoleErrors(page, 'wall permalinks');
  } finally {
    await page.close();
  }
});

for (const lang of LANGUAGES) {
  test(`pledge.html?lang=${lang} shows the pledge as the wall does, named in the title, accessible`, { timeout: TIMEOUT }, async () => {
    const page = await context.newPage();
    try {
      await openPledge(page, `id=${ids.ana}`, lang);
      await page.waitForSelector('#permalink-card .pledge-card');
      const d = dict[lang];
      assert.equal(await page.title(), fill(d['permalink.page.title_of'], { name: ANA.name }));
      const card = page.locator('#permalink-card .pledge-card');
      assert.equal(await card.locator('h2.pledge-card__name').textContent(), ANA.name);
      assert.equal(await card.locator('.pledge-card__org').textContent(), ANA.organisation);
      const place = await page.evaluate((l) => `Montevideo, ${new Intl.DisplayNames([l], { type: 'region' }).of('UY')}`, lang);
      assert.equal(await card.locator('.pledge-card__place').textContent(), place);
      assert.deepEqual(await card.locator('.tag').allTextContents(), [d['actor.private_sector'], d['category.fleet']]);
      assert.equal(await card.locator('.pledge-card__text').textContent(), ANA.commitment);
      assert.deepEqual(await card.locator('dd').allTextContents(), [fill(d['wall.qty.vehicles.other'], { count: '40' }), '2027']);
      assert.equal(await textOf(page, '#permalink-status'), '');
      assert.equal(await page.getAttribute('.permalink__actions a[href="/#pledge"]', 'data-i18n'), 'permalink.cta');
      assert.equal(await page.locator('a[href="/#wall"]').last().textContent(), d['permalink.wall']);

      // The page's own share button copies its address.
      assert.equal(await textOf(page, '#permalink-share-button'), d['permalink.copy_page']);
      await page.click('#permalink-share-button');
      await page.waitForFunction(() => document.getElementById('permalink-copied').textContent !== '');
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()),
        `${stack.base}/pledge.html?id=${ids.ana}&lang=${lang}`);
      assert.equal(await textOf(page, '#pledge-share-status'), fill(d['permalink.result.copied'], { name: ANA.name }));
      await checkA11y(page, `pledge.html (${lang})`);
      assertNoConsoleErrors(page, `pledge.html (${lang})`);
    } finally {
      await page.close();
    }
  });
}

test('a pledge that is not on the wall, or a bad id, says so and offers the wall', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const [what, query, asks] of [
      ['not approved', `id=${ids.waiting}`, true],
      ['private', `id=${ids.private}`, true],
      ['unknown', 'id=987654', true],
      ['malformed', 'id=12abc', false],
      ['missing', 'x=1', false],
    ]) {
      const asked = [];
      const onRequest = (req) => {
        if (req.url().includes(`${PLEDGES}/`)) asked.push(req.url());
      };
      page.on('request', onRequest);
      await openPledge(page, query, 'pt');
      await page.waitForFunction((t) => document.getElementById('permalink-status').textContent === t,
        dict.pt['permalink.status.missing']);
      page.off('request', onRequest);
      assert.equal(asked.length, asks ? 1 : 0, `${what}: ${asked}`);
      assert.equal(await page.locator('#permalink-card .pledge-card').count(), 0, what);
      assert.equal(await page.locator('#permalink-share').isVisible(), false, what);
      assert.equal(await page.title(), dict.pt['permalink.page.title'], what);
      assert.equal(await page.locator('a[href="/#wall"]').last().isVisible(), true, what);
      await checkA11y(page, `pledge.html, ${what}`);
      assertOnlyStatusErrors(page, [404], `pledge.html, ${what}`);
    }
    // The fixture: the first of them is confirmed and public, only not approved.
    assert.equal(sqlite(stack.dbPath, `SELECT status || public FROM pledges WHERE id = ${ids.waiting};`), 'confirmed1');
  } finally {
    await page.close();
  }
});

test('an API failure offers a retry, which shows the pledge once the API answers', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    let fail = true;
    await page.route(`**${PLEDGES}/*`, (route) => (fail
      ? route.fulfill({ status: 503, contentType: 'application/json; charset=utf-8', headers: { 'Retry-After': '1' },
        body: '{"error":{"code":"unavailable","message":"busy"}}' })
      : route.continue()));
    await openPledge(page, `id=${ids.ana}`, 'en');
    await page.waitForFunction((t) => document.getElementById('permalink-status').textContent === t, dict.en['permalink.status.failed']);
    assert.equal(await page.locator('#permalink-retry').isVisible(), true);
    await checkA11y(page, 'pledge.html, API failure');
    assertOnlyStatusErrors(page, [503], 'pledge.html, API failure');
    fail = false;
    await page.focus('#permalink-retry');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#permalink-card .pledge-card');
    assert.equal(await page.locator('#permalink-retry').isVisible(), false);
    assertNoConsoleErrors(page, 'after the retry');
  } finally {
    await page.close();
  }
});

test('on a phone the pledge\'s page does not overflow', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    const page = await ctx.newPage();
    await openPledge(page, `id=${ids.ana}`, 'fr');
    await page.waitForSelector('#permalink-card .pledge-card');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    await checkA11y(page, 'pledge.html on a phone');
    assertNoConsoleErrors(page, 'pledge.html on a phone');
  } finally {
    await ctx.close();
  }
});
