// tests/browser/consultants.test.mjs — consultants.html, confirm.html for a
// consultant and the console's consultants page in Chromium against the
// real stack with the SMTP sink: registering in Portuguese (checkbox groups
// for expertise and languages, the country list in Portuguese, browser
// checks listed in a focused summary, a server-only error beside its
// field), the mailed link confirmed through confirm.html's button, each
// language of the page, and staff finding the person by an accent-blind
// search. axe on every page, language and state.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from '../e2e/lib/stack.mjs';
import { sqlite, q, waitMailTo, confirmLink } from '../e2e/lib/pledge-helpers.mjs';
import { launchBrowser, checkA11y, assertNoConsoleErrors } from './lib/browser.mjs';
import { staffInBrowser, assertOnlyStatusErrors, loadDictionaries } from './lib/contact.mjs';

const TIMEOUT = 90_000;
const BIO = 'Quinze anos em gestão de frotas de ônibus elétricos e planejamento de recarga no Brasil e no Chile.';
const EMAIL = 'joana.lima@browser-test.example.org';
let stack;
let context;
let dict;
let admin;
let site;

before(async () => {
  stack = await startStack({ smtp: true });
  ({ contact: dict, admin, site } = await loadDictionaries());
  context = await launchBrowser({ locale: 'pt-BR' });
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const text = async (page, sel) => (await page.locator(sel).textContent()).trim();

test('consultants.html in Portuguese: checkbox groups, errors listed and announced, registration and confirmation', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/consultants.html?lang=pt`);
    await page.waitForFunction(() => document.getElementById('consultants-language').value === 'pt');
    assert.equal(await page.title(), dict.pt['consultants.page.title']);
    assert.equal(await text(page, '#consultants-expertise legend'), `${dict.pt['consultants.expertise.label']} ${dict.pt['common.required']}`);
    assert.equal(await text(page, 'label[for="consultants-expertise-grid"]'), dict.pt['expertise.grid']);
    assert.equal(await text(page, 'label[for="consultants-languages-fr"]'), dict.pt['language.fr']);
    assert.equal(await page.locator('label[for="consultants-consent"] a').getAttribute('href'), '/privacy-notice.html');
    await page.waitForFunction(() => document.querySelectorAll('#consultants-country option').length > 200);
    assert.equal(await page.locator('#consultants-country option[value="BR"]').textContent(), 'Brasil');
    await checkA11y(page, 'consultant form (pt)');

    // Nothing filled in: five fields, listed and focused; the expertise group is marked.
    await page.click('#consultants-submit');
    await page.waitForSelector('#consultants-summary:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'consultants-summary');
    assert.equal(await text(page, '#consultants-summary-title'), 'Há 5 campos a corrigir');
    assert.equal(await text(page, '#consultants-expertise-error'), dict.pt['consultants.expertise.required']);
    assert.equal(await page.getAttribute('#consultants-expertise', 'aria-invalid'), 'true');
    assert.equal(await text(page, '#consultants-consent-error'), dict.pt['consultants.consent.must_be_true']);
    await checkA11y(page, 'consultant form with errors');
    // The expertise link in the summary focuses the first checkbox.
    await page.locator('#consultants-summary-list a', { hasText: dict.pt['consultants.expertise.label'] }).click();
    assert.equal(await page.evaluate(() => document.activeElement.id), 'consultants-expertise-ev_policy');

    // Nine areas are too many (checked in the browser).
    for (const box of await page.locator('#consultants-expertise input').all()) await box.check();
    await page.fill('#consultants-name', 'Joana Lima');
    await page.fill('#consultants-email', EMAIL);
    await page.fill('#consultants-bio', BIO);
    await page.check('#consultants-consent');
    await page.click('#consultants-submit');
    await page.waitForFunction(() => document.getElementById('consultants-expertise-error').textContent !== '');
    assert.equal(await text(page, '#consultants-expertise-error'), dict.pt['consultants.expertise.too_long']);
    for (const box of await page.locator('#consultants-expertise input').all()) await box.uncheck();

    // A profile link that is not https is refused.
    await page.check('#consultants-expertise-public_transport');
    await page.check('#consultants-expertise-charging');
    await page.check('#consultants-languages-pt');
    await page.check('#consultants-languages-es');
    await page.selectOption('#consultants-country', 'BR');
    await page.fill('#consultants-organisation', 'Mobilidade Limpa');
    await page.fill('#consultants-profile_url', 'https://');
    await page.click('#consultants-submit');
    await page.waitForFunction(() => document.getElementById('consultants-profile_url-error').textContent !== '');
    assert.equal(await text(page, '#consultants-profile_url-error'), dict.pt['reason.invalid_url']);
    await page.fill('#consultants-profile_url', 'https://example.org/joana');
    await page.click('#consultants-submit');
    await page.waitForSelector('#consultants-done:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'consultants-done-title');
    assert.equal(await text(page, '#consultants-done-text'), dict.pt['consultants.done.text']);
    await checkA11y(page, 'consultant registered');
    const [req] = JSON.parse(sqlite(stack.dbPath, `SELECT * FROM consultant_requests WHERE email = ${q(EMAIL)}`, { json: true }));
    assert.equal(req.expertise, '["charging","public_transport"]');
    assert.equal(req.languages, '["es","pt"]');
    assert.equal(req.country, 'BR');
    assert.equal(req.language, 'pt');
    assertNoConsoleErrors(page, 'consultant form');

    // The mail's link: confirm.html in the consultant's wording; one press confirms.
    const mail = await waitMailTo(stack, EMAIL);
    assert.ok(confirmLink(mail.text), mail.text);
    const url = /(http\S+\/confirm\.html\?\S+)/.exec(mail.text)[1];
    assert.match(url, /&kind=consultant$/, 'the link names its kind, for the wording before the click');
    await page.goto(url);
    await page.waitForFunction((t) => document.getElementById('confirm-button').textContent === t, site.pt['confirm.consultant.button']);
    await checkA11y(page, 'confirm consultant (pt)');
    await page.click('#confirm-button');
    await page.waitForFunction((t) => document.getElementById('confirm-title').textContent === t, site.pt['confirm.consultant.done.title']);
    assert.equal(Number(sqlite(stack.dbPath, `SELECT count(*) FROM consultants WHERE email = ${q(EMAIL)}`)), 1);
    await checkA11y(page, 'consultant confirmed');
    assertNoConsoleErrors(page, 'confirm');
  } finally {
    await page.close();
  }
});

test('consultants.html in Spanish, English and French is translated and accessible; a server 422 goes beside its field', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const lang of ['es', 'en', 'fr']) {
      await page.goto(`${stack.base}/consultants.html?lang=${lang}`);
      await page.waitForFunction((l) => document.documentElement.lang === l && document.getElementById('consultants-language').value === l, lang);
      assert.equal(await page.title(), dict[lang]['consultants.page.title']);
      assert.equal(await text(page, '#consultants-submit'), dict[lang]['consultants.submit']);
      assert.equal(await text(page, 'label[for="consultants-expertise-ev_policy"]'), dict[lang]['expertise.ev_policy']);
      await checkA11y(page, `consultants (${lang})`);
    }
    // An address the browser lets through and the server refuses.
    await page.fill('#consultants-name', 'Claire Martin');
    await page.fill('#consultants-email', 'claire@-exemple.org');
    await page.check('#consultants-expertise-grid');
    await page.fill('#consultants-bio', 'Ingénieure réseaux, vingt ans dans la planification de la recharge publique.');
    await page.check('#consultants-consent');
    await page.click('#consultants-submit');
    await page.waitForFunction(() => document.getElementById('consultants-email-error').textContent !== '');
    assert.equal(await text(page, '#consultants-email-error'), dict.fr['reason.invalid_email']);
    assert.equal(await page.getAttribute('#consultants-email', 'aria-invalid'), 'true');
    await checkA11y(page, 'consultants server error (fr)');
    assertOnlyStatusErrors(page, [422], 'server 422');
  } finally {
    await page.close();
  }
});

test('staff find the consultant in admin/consultants.html with an accent-blind search', { timeout: TIMEOUT }, async () => {
  await staffInBrowser(stack, context, 'ines');
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/admin/consultants.html?lang=pt`);
    await page.waitForSelector('#consultants li');
    assert.equal(await page.title(), admin.pt['consultants.page_title']);
    await checkA11y(page, 'admin consultants (pt)');
    await page.fill('#search-q', 'gestao frotas');
    await page.selectOption('#search-expertise', 'charging');
    await page.fill('#search-country', 'br');
    await page.click('#search-form button[type="submit"]');
    await page.waitForFunction(() => document.getElementById('announce').textContent !== '');
    assert.equal(await page.locator('#consultants li').count(), 1);
    assert.equal(await text(page, '#consultants li .pledge__title'), 'Joana Lima');
    const facts = await page.locator('#consultants li .pledge__fact').allInnerTexts();
    assert.ok(facts.some((f) => f.includes(admin.pt['consultants.areas.charging'])), facts.join(' | '));
    assert.ok(facts.some((f) => f.includes('Brasil')), facts.join(' | '));
    assert.match(await page.getAttribute('#export-link', 'href'), /consultants\.csv\?expertise=charging&country=BR&q=gestao\+frotas$/);
    await page.fill('#search-q', 'nadie-coincide');
    await page.click('#search-form button[type="submit"]');
    await page.waitForFunction((t) => document.getElementById('consultants-state').textContent === t, admin.pt['consultants.empty']);
    await page.fill('#search-country', 'b1');
    await page.click('#search-form button[type="submit"]');
    assert.equal(await text(page, '#search-country-error'), admin.pt['consultants.country_invalid']);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'search-country');
    await checkA11y(page, 'admin consultants with an error');
    for (const lang of ['es', 'en', 'fr']) {
      await page.selectOption('#lang-select', lang);
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
      await checkA11y(page, `admin consultants (${lang})`);
    }
    assertNoConsoleErrors(page, 'admin consultants');
  } finally {
    await page.close();
  }
});
