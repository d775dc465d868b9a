// tests/browser/newsletter.test.mjs — the newsletter in Chromium against the
// real stack (nginx + icommitd + SMTP sink): signing up through
// newsletter.html (labels, the newsletter's language following the page's,
// errors listed and announced, "check your inbox"), the same form without
// JavaScript (the form posts itself; the server's 303 lands on the page's
// no-script note) and with ?ok=1 / ?error=CODE; confirming through the mailed
// link on confirm.html (newsletter wording); staff writing, previewing and
// sending an issue from admin/newsletters.html (confirm step, progress) and
// it arriving in the subscriber's language with its unsubscribe headers;
// unsubscribing through unsubscribe.html (nothing happens on load). axe on
// every page and state, in more than one language; no console errors beyond
// the browser's notes about the 4xx answers a step expects.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { waitMailTo, confirmLink, sqlite, q, poll, mailsTo } from '../e2e/lib/pledge-helpers.mjs';
import { addUser, PASSWORD } from '../e2e/lib/staff.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, clearConsoleErrors, assertOnlyStatusErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT = 90_000;
const LANGS = ['es', 'en', 'pt', 'fr'];

const LUCIA = { name: 'Lucía Pérez', email: 'lucia.perez@browser-test.example.org' };
const NOJS = 'sin.javascript@browser-test.example.org';
const ISSUE = {
  subject: { es: 'Novedades de I COMMIT: buses eléctricos', en: 'I COMMIT news: electric buses' },
  body: {
    es: 'Hola:\n\nEste mes, 40 ciudades se sumaron.\n\nEl equipo de I COMMIT',
    en: 'Hello,\n\nThis month 40 cities joined.\n\nThe I COMMIT team',
  },
};

let stack;
let context;
/** lang -> the site's dictionary merged with the privacy bundle, as the pages see it. */
const dict = {};
const admin = {};

before(async () => {
  stack = await startStack({ smtp: true });
  for (const lang of LANGS) {
    const site = JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8'));
    const own = JSON.parse(await readFile(join(root, 'www', 'i18n', `privacy.${lang}.json`), 'utf8'));
    dict[lang] = { ...site, ...own };
    admin[lang] = JSON.parse(await readFile(join(root, 'www', 'admin', 'i18n', `${lang}.json`), 'utf8'));
  }
  await addUser(stack, 'nora');
  context = await launchBrowser({ locale: 'es-ES' });
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const text = async (page, sel) => (await page.locator(sel).textContent()).trim();
const fill = (s, vars) => s.replace(/\{(\w+)\}/g, (w, k) => (k in vars ? String(vars[k]) : w));
const subscriber = (email) => JSON.parse(sqlite(stack.dbPath,
  `SELECT status, language, name FROM subscribers WHERE email = ${q(email)}`, { json: true }) || '[]')[0];


test('signs up through newsletter.html: language follows the page, errors announced, check your inbox', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/newsletter.html?lang=es`);
    await page.waitForFunction((t) => document.title === t, dict.es['nl.page.title']);
    assert.equal(await text(page, '#nl-title'), dict.es['nl.title']);
    assert.equal(await text(page, 'label[for="nl-email"]'), `${dict.es['nl.email.label']} ${dict.es['common.required']}`);
    assert.equal(await text(page, 'label[for="nl-name"]'), dict.es['nl.name.label']);
    assert.equal(await page.locator('label[for="nl-consent"] a').getAttribute('href'), '/privacy-notice.html');
    assert.equal(await page.inputValue('#nl-language'), 'es');
    await checkA11y(page, 'newsletter form (es)');

    // The newsletter's language follows the page's, until the visitor picks one.
    await page.selectOption('#lang-select', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await page.inputValue('#nl-language'), 'en');
    assert.equal(await text(page, '#nl-submit'), dict.en['nl.submit']);
    assert.equal(await page.inputValue('#nl-return'), '/newsletter.html?lang=en#nl-sent');
    await checkA11y(page, 'newsletter form (en)');

    // Nothing filled in: both problems listed, the summary takes the focus.
    await page.click('#nl-submit');
    await page.waitForSelector('#nl-summary:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'nl-summary');
    assert.equal(await text(page, '#nl-summary-title'), fill(dict.en['nl.summary.title.other'], { count: 2 }));
    assert.equal(await text(page, '#nl-email-error'), dict.en['reason.required']);
    assert.equal(await text(page, '#nl-consent-error'), dict.en['nl.consent.required']);
    assert.equal(await page.getAttribute('#nl-email', 'aria-invalid'), 'true');
    await checkA11y(page, 'newsletter errors (en)');
    await page.click('#nl-summary-list a[data-field="email"]');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'nl-email');

    // Back to Spanish, a chosen newsletter language stays.
    await page.selectOption('#lang-select', 'es');
    await page.waitForFunction(() => document.documentElement.lang === 'es');
    await page.selectOption('#nl-language', 'pt');
    await page.selectOption('#lang-select', 'fr');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    assert.equal(await page.inputValue('#nl-language'), 'pt');
    await page.selectOption('#lang-select', 'es');
    await page.waitForFunction(() => document.documentElement.lang === 'es');

    await page.fill('#nl-email', LUCIA.email);
    await page.fill('#nl-name', LUCIA.name);
    await page.check('#nl-consent');
    await page.click('#nl-submit');
    await page.waitForSelector('#nl-done:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'nl-done-title');
    assert.equal(await text(page, '#nl-done-title'), dict.es['nl.done.title']);
    assert.equal(await text(page, '#nl-done-text'), fill(dict.es['nl.done.text'], { email: LUCIA.email }));
    assert.equal(await page.locator('#nl-form').isVisible(), false);
    await checkA11y(page, 'newsletter done (es)');
    assert.deepEqual(subscriber(LUCIA.email), { status: 'pending_confirmation', language: 'pt', name: LUCIA.name });

    // The same address again: the same answer, still one subscription.
    await page.click('#nl-again');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'nl-email');
    await page.fill('#nl-email', LUCIA.email);
    await page.check('#nl-consent');
    await page.click('#nl-submit');
    await page.waitForSelector('#nl-done:not([hidden])');
    assert.equal(await text(page, '#nl-done-title'), dict.es['nl.done.title']);
    assert.equal(Number(sqlite(stack.dbPath, `SELECT count(*) FROM subscribers WHERE email = ${q(LUCIA.email)}`)), 1);
    assertNoConsoleErrors(page, 'newsletter sign-up');
  } finally {
    await page.close();
  }
});

test('confirms the subscription through the mailed link on confirm.html', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    const mail = await waitMailTo(stack, LUCIA.email);
    const link = confirmLink(mail.text);
    assert.ok(link, `a confirmation link in: ${mail.text}`);
    await page.goto(`${stack.base}/confirm.html?token=${link.token}&lang=pt`);
    await page.waitForSelector('#confirm-button');
    await page.waitForFunction(() => document.documentElement.lang === 'pt');
    await page.waitForTimeout(300);
    assert.equal(subscriber(LUCIA.email).status, 'pending_confirmation', 'opening the page changes nothing');
    await page.click('#confirm-button');
    await page.waitForFunction((t) => document.getElementById('confirm-title').textContent === t, dict.pt['confirm.newsletter.done.title']);
    assert.equal(await text(page, '#confirm-lead'), dict.pt['confirm.newsletter.done.text']);
    assert.equal(await page.locator('#share').isVisible(), false, 'no pledge share links');
    await checkA11y(page, 'newsletter confirmed (pt)');
    assert.equal(subscriber(LUCIA.email).status, 'subscribed');
    assertNoConsoleErrors(page, 'confirm');
  } finally {
    await page.close();
  }
});

test('without JavaScript the form posts itself and the page says what happens next', { timeout: TIMEOUT }, async () => {
  const nojs = await launchBrowser({ locale: 'es-ES', javaScriptEnabled: false });
  try {
    const page = await nojs.newPage();
    await page.goto(`${stack.base}/newsletter.html`);
    assert.equal(await page.locator('#nl-sent').isVisible(), false);
    await page.fill('#nl-email', NOJS);
    await page.check('#nl-consent');
    await Promise.all([page.waitForURL(/ok=1/), page.click('#nl-submit')]);
    assert.match(page.url(), /\/newsletter\.html\?ok=1#nl-sent$/);
    assert.equal(await page.locator('#nl-sent').isVisible(), true);
    assert.equal(await text(page, '#nl-sent h2'), dict.es['nl.nojs_done.title']);
    // (axe needs JavaScript: the no-script state is checked with it below.)
    assertNoConsoleErrors(page, 'no-script');
    const row = subscriber(NOJS);
    assert.equal(row.status, 'pending_confirmation');
    assert.equal(row.language, 'es');
    await waitMailTo(stack, NOJS);
  } finally {
    await nojs.close();
  }
});

test('with the script, ?ok=1 and ?error=CODE from the fallback are shown and leave the address', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    // HTMLFormElement.submit() skips the submit handler: a plain form POST.
    await page.goto(`${stack.base}/newsletter.html?lang=fr`);
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    await page.fill('#nl-email', 'formulaire@browser-test.example.org');
    await page.check('#nl-consent');
    await Promise.all([
      page.waitForURL(/ok=1/),
      page.evaluate(() => document.getElementById('nl-form').submit()),
    ]);
    await page.waitForSelector('#nl-done:not([hidden])');
    assert.equal(await text(page, '#nl-done-text'), dict.fr['nl.done.text_noemail']);
    assert.equal(new URL(page.url()).search, '?lang=fr', 'the outcome leaves the address');
    assert.equal(new URL(page.url()).hash, '');
    assert.equal(subscriber('formulaire@browser-test.example.org').language, 'fr');
    await checkA11y(page, 'fallback ok (fr)');

    await page.goto(`${stack.base}/newsletter.html?lang=fr&error=rate_limited`);
    await page.waitForFunction((t) => document.getElementById('nl-alert').textContent === t, dict.fr['error.rate_limited']);
    assert.equal(await page.locator('#nl-form').isVisible(), true);
    await checkA11y(page, 'fallback error (fr)');
    assertNoConsoleErrors(page, 'fallback');
  } finally {
    await page.close();
  }
});

test('staff write, preview and send an issue from admin/newsletters.html; it arrives; unsubscribe.html ends it', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/admin/?lang=en`);
    await page.waitForSelector('#login:not([hidden])');
    await page.fill('#login-username', 'nora');
    await page.fill('#login-password', PASSWORD);
    await page.click('#login-submit');
    await page.waitForSelector('#nav:not([hidden])');
    assert.equal(await page.textContent('nav a[href="/admin/newsletters.html"]'), admin.en['nav.newsletters']);
    await page.click('nav a[href="/admin/newsletters.html"]');
    await page.waitForSelector('#app:not([hidden])');
    await page.waitForFunction((t) => document.getElementById('issues-state').textContent === t, admin.en['newsletters.empty']);
    assert.equal(await page.getAttribute('nav a[href="/admin/newsletters.html"]', 'aria-current'), 'page');
    assert.equal(await page.title(), admin.en['newsletters.page_title']);
    await checkA11y(page, 'newsletters, empty (en)');
    clearConsoleErrors(page); // the login page's GET /me answered 401 before signing in

    // Spanish is required.
    await page.fill('#compose-subject-en', ISSUE.subject.en);
    await page.click('#compose-save');
    await page.waitForFunction(() => document.getElementById('compose-subject-es-error').textContent !== '');
    assert.equal(await text(page, '#compose-subject-es-error'), admin.en['newsletters.required']);
    assert.equal(await text(page, '#compose-body-en-error'), admin.en['newsletters.pair']);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'compose-subject-es');
    await checkA11y(page, 'compose errors (en)');

    await page.fill('#compose-subject-es', ISSUE.subject.es);
    await page.fill('#compose-body-es', ISSUE.body.es);
    await page.fill('#compose-body-en', ISSUE.body.en);
    await page.click('#compose-preview');
    await page.waitForSelector('#preview:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'preview-title');
    const mails = page.locator('#preview-items .nl-mail');
    assert.equal(await mails.count(), 4);
    assert.equal(await mails.nth(0).locator('.nl-mail__body').textContent(), ISSUE.body.es);
    assert.equal(await mails.nth(2).locator('.nl-mail__subject').textContent(), ISSUE.subject.en);
    // Portuguese has no text: the Spanish version, said so.
    assert.ok((await mails.nth(1).textContent()).includes(admin.en['newsletters.preview_fallback']));
    assert.equal(await mails.nth(1).locator('.nl-mail__subject').textContent(), ISSUE.subject.es);
    await checkA11y(page, 'preview (en)');

    await page.click('#compose-save');
    await page.waitForFunction((t) => document.getElementById('announce').textContent === t, admin.en['newsletters.saved']);
    const row = page.locator('#issues-rows tr').first();
    await row.waitFor();
    assert.equal(await row.locator('td').nth(1).textContent(), ISSUE.subject.en);
    assert.equal(await row.locator('.badge').textContent(), admin.en['newsletters.status.draft']);
    assert.equal(await page.inputValue('#compose-subject-es'), '', 'the form is empty again');

    // The list in Portuguese, for the second language's axe run.
    await page.selectOption('#lang-select', 'pt');
    await page.waitForFunction(() => document.documentElement.lang === 'pt');
    assert.equal(await row.locator('.badge').textContent(), admin.pt['newsletters.status.draft']);
    assert.equal(await row.locator('td').nth(1).textContent(), ISSUE.subject.es, 'no Portuguese subject: the Spanish one');
    await checkA11y(page, 'newsletters list (pt)');
    await page.selectOption('#lang-select', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');

    // Send: nothing happens before the confirm step's own button.
    await row.locator('button[data-send]').click();
    await page.waitForSelector('#send-confirm:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'send-confirm-title');
    assert.equal(await text(page, '#send-confirm-text'), fill(admin.en['newsletters.confirm_text'], { subject: ISSUE.subject.en }));
    await checkA11y(page, 'send confirm (en)');
    await page.click('#send-no');
    assert.equal(await page.locator('#send-confirm').isVisible(), false);
    assert.equal(sqlite(stack.dbPath, 'SELECT status FROM newsletters'), 'draft');
    await row.locator('button[data-send]').click();
    await page.click('#send-yes');
    await page.waitForFunction((t) => document.getElementById('announce').textContent === t,
      fill(admin.en['newsletters.send_started'], { subject: ISSUE.subject.en }));
    await page.waitForFunction((t) => document.querySelector('#issues-rows tr .badge').textContent === t,
      admin.en['newsletters.status.sent'], { timeout: 30_000 });
    assert.equal(await row.locator('td').nth(3).locator('span').textContent(), fill(admin.en['newsletters.progress.sent.one'], { count: 1 }));
    await checkA11y(page, 'sent (en)');
    assertNoConsoleErrors(page, 'admin newsletter');

    // Lucía (confirmed, Portuguese: the Spanish version) gets it, with the one-click headers.
    const [issue] = await poll(async () => mailsTo(stack, LUCIA.email).filter((x) => x.subject === ISSUE.subject.es),
      (l) => l.length === 1, { timeoutMs: 30_000, what: 'the issue to Lucía' });
    assert.ok(issue.text.includes('40 ciudades'), issue.text);
    assert.match(issue.headers['list-unsubscribe'] || '', /unsubscribe/);
    assert.equal(issue.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
    const m = /\/unsubscribe\.html\?token=([A-Za-z0-9_-]+)/.exec(issue.text);
    assert.ok(m, `an unsubscribe link in: ${issue.text}`);

    // unsubscribe.html: nothing on load, the button does it.
    await page.goto(`${stack.base}/unsubscribe.html?token=${m[1]}&lang=pt`);
    await page.waitForSelector('#unsub-button:not([hidden])');
    assert.equal(await text(page, '#unsub-title'), dict.pt['unsub.title']);
    assert.equal(await text(page, '#unsub-button'), dict.pt['unsub.button']);
    await checkA11y(page, 'unsubscribe (pt)');
    await page.waitForTimeout(300);
    assert.equal(subscriber(LUCIA.email).status, 'subscribed', 'opening the page changes nothing');
    await page.click('#unsub-button');
    await page.waitForFunction((t) => document.getElementById('unsub-result').textContent === t, dict.pt['unsub.done']);
    assert.equal(await page.getAttribute('#unsub-result', 'role'), 'status');
    assert.equal(await text(page, '#unsub-title'), dict.pt['unsub.title_done']);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'unsub-title');
    assert.equal(await page.locator('#unsub-button').isVisible(), false);
    assert.equal(await page.getAttribute('#unsub-again a', 'href'), '/newsletter.html');
    await checkA11y(page, 'unsubscribed (pt)');
    assert.equal(subscriber(LUCIA.email).status, 'unsubscribed');
    assertNoConsoleErrors(page, 'unsubscribe');

    // An unknown token; a link without one (in English).
    await page.goto(`${stack.base}/unsubscribe.html?token=${'x'.repeat(43)}&lang=en`);
    await page.click('#unsub-button');
    await page.waitForFunction((t) => document.getElementById('unsub-result').textContent === t, dict.en['unsub.unknown']);
    await checkA11y(page, 'unknown unsubscribe token (en)');
    assertOnlyStatusErrors(page, [404], 'unknown token');
    await page.goto(`${stack.base}/unsubscribe.html?lang=en`);
    await page.waitForFunction((t) => document.getElementById('unsub-result').textContent === t, dict.en['unsub.missing']);
    assert.equal(await page.locator('#unsub-button').isVisible(), false);
    assertNoConsoleErrors(page, 'no token');
  } finally {
    await page.close();
  }
});
