// tests/browser/contact.test.mjs — contact.html and the console's comments
// page in Chromium against the real stack: the comment form in Spanish
// (browser checks listed in a focused summary, consent asked only with an
// address, a server-only error shown beside its field, success), each of
// the four languages, the no-JavaScript form post and its ?ok=1 message;
// then staff filter the comment and mark it handled in admin/comments.html.
// axe on every page, language and state; no console errors beyond the
// browser's notes about the 4xx answers a step expects.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../e2e/lib/stack.mjs';
import { sqlite, q } from '../e2e/lib/pledge-helpers.mjs';
import { launchBrowser, checkA11y, assertNoConsoleErrors } from './lib/browser.mjs';
import { staffInBrowser, assertOnlyStatusErrors, loadDictionaries } from './lib/contact.mjs';

const TIMEOUT = 90_000;
let stack;
let context;
let dict;
let admin;
let frame;

before(async () => {
  stack = await startStack();
  ({ contact: dict, admin, frame } = await loadDictionaries());
  context = await launchBrowser({ locale: 'es-CL' });
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const text = async (page, sel) => (await page.locator(sel).textContent()).trim();
const commentOf = (where) => JSON.parse(sqlite(stack.dbPath, `SELECT * FROM comments WHERE ${where}`, { json: true }) || '[]');


test('contact.html in Spanish: errors listed and announced, consent only with an address, success', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/contact.html?lang=es`);
    await page.waitForFunction(() => document.getElementById('contact-language').value === 'es');
    assert.equal(await page.title(), dict.es['contact.page.title']);
    assert.equal(await page.locator('label[for="contact-consent"] a').getAttribute('href'), '/privacy-notice.html');
    assert.equal(await page.inputValue('#contact-return'), '/contact.html?lang=es');
    await checkA11y(page, 'contact form (es)');

    // Nothing filled in: topic and message, listed and focused.
    await page.click('#contact-submit');
    await page.waitForSelector('#contact-summary:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-summary');
    assert.equal(await text(page, '#contact-summary-title'), 'Hay 2 campos por corregir');
    assert.equal(await text(page, '#contact-topic-error'), dict.es['reason.required']);
    assert.equal(await text(page, '#contact-message-error'), dict.es['reason.required']);
    assert.equal(await page.getAttribute('#contact-message', 'aria-invalid'), 'true');
    assert.equal(await text(page, '#contact-consent-error'), '', 'no consent needed without an address');
    await checkA11y(page, 'contact form with errors');
    // A summary link takes focus to its field.
    await page.click('#contact-summary-list a >> nth=1');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-message');

    // An address makes consent necessary; the server refuses an address the browser let through.
    await page.selectOption('#contact-topic', 'partnership');
    await page.fill('#contact-message', 'Queremos sumar nuestra flota de buses a la campaña.');
    await page.fill('#contact-email', 'ana@-invalido.org');
    await page.click('#contact-submit');
    await page.waitForFunction(() => document.getElementById('contact-consent-error').textContent !== '');
    assert.equal(await text(page, '#contact-consent-error'), dict.es['contact.consent.must_be_true']);
    await page.check('#contact-consent');
    await page.click('#contact-submit');
    await page.waitForFunction(() => document.getElementById('contact-email-error').textContent !== ''
      && document.getElementById('contact-consent-error').textContent === '');
    assert.equal(await text(page, '#contact-email-error'), dict.es['reason.invalid_email']);
    assert.equal(await page.getAttribute('#contact-email', 'aria-invalid'), 'true');
    assertOnlyStatusErrors(page, [422], 'server-side 422');

    await page.fill('#contact-name', 'Ana Browser');
    await page.fill('#contact-email', 'Ana.Browser@example.org');
    await page.click('#contact-submit');
    await page.waitForSelector('#contact-done:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'contact-done-title');
    assert.equal(await text(page, '#contact-done-text'), dict.es['contact.done.text']);
    assert.equal(await page.locator('#contact-form').isHidden(), true);
    await checkA11y(page, 'contact sent');
    const [row] = commentOf(`name = 'Ana Browser'`);
    assert.equal(row.email, 'ana.browser@example.org');
    assert.equal(row.topic, 'partnership');
    assert.equal(row.language, 'es');
    await page.click('#contact-again');
    await page.waitForSelector('#contact-form:not([hidden])');
    assert.equal(await page.inputValue('#contact-message'), '');
    assertNoConsoleErrors(page, 'contact es');
  } finally {
    await page.close();
  }
});

test('contact.html in English, Portuguese and French is translated, sends its language, and is accessible', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const lang of ['en', 'pt', 'fr']) {
      await page.goto(`${stack.base}/contact.html?lang=${lang}`);
      await page.waitForFunction((l) => document.documentElement.lang === l && document.getElementById('contact-language').value === l, lang);
      assert.equal(await page.title(), dict[lang]['contact.page.title']);
      assert.equal(await text(page, '#contact-title'), dict[lang]['contact.title']);
      assert.equal(await text(page, '#contact-submit'), dict[lang]['contact.submit']);
      assert.equal(await text(page, 'footer a[href="/contact.html"]'), frame[lang]['frame.footer.contact']);
      await checkA11y(page, `contact (${lang})`);
      await page.selectOption('#contact-topic', 'press');
      await page.fill('#contact-message', `A press question in ${lang}, please.`);
      await page.click('#contact-submit');
      await page.waitForSelector('#contact-done:not([hidden])');
      assert.equal(commentOf(`message = ${q(`A press question in ${lang}, please.`)}`)[0].language, lang);
    }
    assertNoConsoleErrors(page, 'contact languages');
  } finally {
    await page.close();
  }
});

test('without JavaScript the form posts itself and comes back with ?ok=1, which the page then shows', { timeout: TIMEOUT }, async () => {
  const nojs = await launchBrowser({ javaScriptEnabled: false });
  try {
    const page = await nojs.newPage();
    await page.goto(`${stack.base}/contact.html`);
    await page.selectOption('#contact-topic', 'events');
    await page.fill('#contact-message', 'Sin JavaScript también funciona.');
    await Promise.all([page.waitForURL(/ok=1/), page.click('#contact-submit')]);
    assert.equal(new URL(page.url()).pathname, '/contact.html');
    assert.equal(commentOf(`message = 'Sin JavaScript también funciona.'`).length, 1);
  } finally {
    await nojs.close();
  }
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/contact.html?lang=pt&ok=1`);
    await page.waitForSelector('#contact-done:not([hidden])');
    assert.equal(await text(page, '#contact-done-text'), dict.pt['contact.done.text_nojs']);
    assert.equal(new URL(page.url()).searchParams.has('ok'), false, 'the flag is taken off the address');
    await checkA11y(page, 'contact ok=1 (pt)');
    await page.goto(`${stack.base}/contact.html?lang=fr&error=rate_limited`);
    await page.waitForFunction(() => document.getElementById('contact-alert').textContent !== '');
    assert.equal(await text(page, '#contact-alert'), dict.fr['error.rate_limited']);
    await checkA11y(page, 'contact error=rate_limited (fr)');
    assertNoConsoleErrors(page, 'contact fallback');
  } finally {
    await page.close();
  }
});

test('staff see the comment in admin/comments.html, filter by topic, and mark it handled', { timeout: TIMEOUT }, async () => {
  await staffInBrowser(stack, context, 'ines');
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/admin/comments.html?lang=en`);
    await page.waitForSelector('#comments li');
    assert.equal(await page.title(), admin.en['comments.page_title']);
    assert.equal(await page.getAttribute('a[data-nav="comments"]', 'aria-current'), 'page');
    await checkA11y(page, 'admin comments (en)');
    await page.selectOption('#filter-topic', 'partnership');
    await page.waitForFunction(() => document.querySelectorAll('#comments li').length === 1);
    const card = page.locator('#comments li').first();
    assert.equal(await card.locator('.pledge__title').textContent(), 'Ana Browser');
    assert.match(await page.getAttribute('#export-link', 'href'), /comments\.csv\?topic=partnership$/);
    await card.locator('button').click();
    await page.waitForFunction((t) => document.getElementById('announce').textContent.includes(t), 'handled');
    assert.equal(await page.evaluate(() => document.activeElement.textContent), admin.en['comments.mark_new']);
    assert.ok(commentOf(`name = 'Ana Browser'`)[0].handled_at > 0);
    await checkA11y(page, 'admin comments after handling');
    for (const lang of ['es', 'pt', 'fr']) {
      await page.selectOption('#lang-select', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      await checkA11y(page, `admin comments (${lang})`);
    }
    assertNoConsoleErrors(page, 'admin comments');
  } finally {
    await page.close();
  }
});
