// tests/browser/admin.test.mjs — the staff console (www/admin/) in Chromium
// against the real stack: signing in (a wrong password announced), the
// moderation queue with the keyboard (j/k, a approve, r reject, x select,
// bulk), the approved pledge on the public wall, pausing the campaign and
// the public form saying it is closed, campaign edits, the export link and
// its download, the audit log, a 401 leading back to the login form,
// signing out, four languages; axe on every console page and no console or
// CSP errors (the only ones expected are Chromium's reports of the 401 and
// 422 answers the tests provoke: the session check while signed out, a
// wrong password, refused forms).

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { get, postJson } from '../e2e/lib/http.mjs';
import { addUser, PASSWORD, pledgeBody, publicCount, sqlite, wallIds } from '../e2e/lib/staff.mjs';
import {
  assertNoConsoleErrors, checkA11y, clearConsoleErrors, consoleErrors, launchBrowser,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 90_000;

let stack;
let context;
let page; // one tab, signed in once (logins are throttled per user name)
const dict = {};
const pledges = []; // { id, body }, oldest first

before(async () => {
  // Without e-mail verification pledges are confirmed at once; moderation
  // stays on, so they wait for staff.
  stack = await startStack({ config: { verify_email: 'no' } });
  await addUser(stack, 'alice');
  for (const lang of LANGUAGES) {
    dict[lang] = JSON.parse(await readFile(join(root, 'www', 'admin', 'i18n', `${lang}.json`), 'utf8'));
  }
  const texts = [
    'Electrificaremos 40 buses de nuestra flota urbana antes de 2027.',
    'Instalaremos 25 cargadores públicos <img src=x onerror="document.title=\'pwned\'"> en Montevideo.',
    'Vamos eletrificar a frota de táxis da cidade até 2030.',
    'Nous équiperons nos dépôts de bornes de recharge.\nDeuxième ligne.',
    'Compromiso que será rechazado por el equipo.',
  ];
  for (const [i, commitment] of texts.entries()) {
    const body = pledgeBody({ name: `Persona navegador ${i}`, commitment, country: 'UY' });
    const r = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', body);
    assert.equal(r.status, 201, r.text);
    pledges.push({ id: r.json.id, body });
  }
  context = await launchBrowser({ locale: 'en-GB' });
  page = await context.newPage();
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

const t = (lang, key, vars = {}) => dict[lang][key].replace(/\{(\w+)\}/g, (w, k) => (k in vars ? String(vars[k]) : w));

/**
 * Fails on console errors other than the failed-status reports of
 * /api/v1/admin/ requests the test caused on purpose (Chromium logs every
 * 4xx answer to fetch() as a console error), then forgets them.
 */
function assertOnlyExpected(p, label, statuses = [401]) {
  const expected = new RegExp(`status of (${statuses.join('|')}) `);
  const other = consoleErrors(p).filter((e) => !(expected.test(e.text) && /\/api\/v1\/admin\//.test(e.location)));
  clearConsoleErrors(p);
  assert.deepEqual(other, [], `${label}: unexpected console errors`);
}

async function waitForQueue(p) {
  await p.waitForSelector('#app:not([hidden])');
  await p.waitForFunction(() => document.getElementById('queue-state').textContent === ''
    || document.querySelectorAll('#queue li.pledge').length > 0 || /\S/.test(document.getElementById('queue-state').textContent));
  await p.waitForFunction(() => !/…$/.test(document.getElementById('queue-state').textContent));
}

const queueIds = (p) => p.$$eval('#queue li.pledge', (lis) => lis.map((li) => Number(li.dataset.id)));
const focusedId = (p) => p.evaluate(() => Number(document.activeElement?.closest?.('li.pledge')?.dataset.id ?? NaN));

test('the login form is accessible, a wrong password is announced, signing in shows the queue', { timeout: TIMEOUT }, async () => {
  await page.goto(`${stack.base}/admin/`);
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.equal(await page.title(), dict.en['moderation.page_title']);
  assert.ok(await page.isHidden('#nav'), 'no navigation before signing in');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-username', 'focus starts in the form');
  await checkA11y(page, 'login form');
  assertOnlyExpected(page, 'login form'); // GET /me answers 401 before signing in

  await page.fill('#login-username', 'alice');
  await page.fill('#login-password', 'not the password');
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('#login-error:not([hidden])');
  assert.equal(await page.textContent('#login-error'), dict.en['login.failed']);
  await page.waitForFunction((text) => document.getElementById('alert').textContent === text, dict.en['login.failed']);
  assert.equal(await page.getAttribute('#login-password', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-password');
  await checkA11y(page, 'login form with an error');
  assertOnlyExpected(page, 'wrong password'); // the refused login is a 401

  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#queue li.pledge');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'queue-title', 'focus moves to the queue');
  assert.ok(await page.isVisible('#nav'));
  assert.equal(await page.textContent('#whoami'), t('en', 'nav.signed_in_as', { name: 'alice' }));
  assert.ok(await page.evaluate(() => sessionStorage.getItem('icommit.admin.csrf')?.length === 43), 'CSRF token kept in sessionStorage');
  const cookies = await context.cookies(stack.base + '/api/v1/admin/me');
  assert.ok(cookies.some((c) => c.name === 'icommit_session' && c.httpOnly && c.sameSite === 'Strict'));
  assert.deepEqual(await queueIds(page), pledges.map((p) => p.id).reverse(), 'newest first');

  // The authors' text is text: no element made from it, line breaks kept.
  const html = pledges[1];
  assert.equal(await page.textContent(`#pledge-${html.id}-text`), html.body.commitment);
  assert.equal(await page.$$eval('#queue img', (imgs) => imgs.length), 0);
  assert.equal(await page.title(), dict.en['moderation.page_title']);
  assert.equal(await page.textContent(`#pledge-${pledges[3].id}-text`), pledges[3].body.commitment);
  await checkA11y(page, 'moderation queue');
  assertNoConsoleErrors(page, 'moderation queue');
});

test('moderation with the keyboard: j/k move, a approves, r rejects, x selects; the wall and the count follow', { timeout: TIMEOUT }, async () => {
  const [p0, p1, p2, p3, p4] = pledges;
  const count0 = await publicCount(stack);
  await page.keyboard.press('j');
  assert.equal(await focusedId(page), p4.id, 'j focuses the newest pledge');
  await page.keyboard.press('j');
  assert.equal(await focusedId(page), p3.id);
  await page.keyboard.press('k');
  assert.equal(await focusedId(page), p4.id, 'k goes back');

  // r rejects the newest: it leaves the queue and the count.
  await page.keyboard.press('r');
  await page.waitForFunction((id) => !document.querySelector(`#queue li[data-id="${id}"]`), p4.id);
  await page.waitForFunction((text) => document.getElementById('announce').textContent === text,
    t('en', 'moderation.done.reject', { id: p4.id }));
  assert.equal(await focusedId(page), p3.id, 'focus moves to the next pledge');
  assert.equal(await publicCount(stack), count0 - 1, 'rejected: one less');

  // a approves the one in focus: it leaves the queue and is on the wall.
  await page.keyboard.press('a');
  await page.waitForFunction((id) => !document.querySelector(`#queue li[data-id="${id}"]`), p3.id);
  await page.waitForFunction((text) => document.getElementById('announce').textContent === text,
    t('en', 'moderation.done.approve', { id: p3.id }));
  assert.ok((await wallIds(stack)).includes(p3.id), 'approved: on the wall API');
  assert.equal(await focusedId(page), p2.id);

  // x selects this one and the next; bulk approve.
  await page.keyboard.press('x');
  await page.keyboard.press('j');
  await page.keyboard.press('x');
  assert.equal(await page.textContent('#bulk-count'), '2 selected');
  assert.ok(await page.isChecked(`#pledge-${p2.id}-select`));
  assert.ok(await page.isChecked(`#pledge-${p1.id}-select`));
  await page.click('#bulk-approve');
  await page.waitForFunction((ids) => ids.every((id) => !document.querySelector(`#queue li[data-id="${id}"]`)), [p2.id, p1.id]);
  await page.waitForFunction((text) => document.getElementById('announce').textContent === text,
    t('en', 'bulk.done.approve.other', { count: 2 }));
  assert.deepEqual(await queueIds(page), [p0.id]);
  const wall = await wallIds(stack);
  for (const p of [p1, p2, p3]) assert.ok(wall.includes(p.id), `pledge ${p.id} on the wall`);
  assert.ok(!wall.includes(p4.id) && !wall.includes(p0.id));
  assert.equal(await publicCount(stack), count0 - 1);

  // The public landing page shows the approved pledges on its wall.
  const landing = await context.newPage();
  await landing.goto(`${stack.base}/?lang=es#wall`);
  await landing.waitForFunction((text) => document.getElementById('wall-list')?.textContent.includes(text), p3.body.commitment, { timeout: 15_000 });
  const wallText = await landing.textContent('#wall-list');
  assert.ok(wallText.includes(p2.body.name) && wallText.includes(p1.body.name));
  assert.ok(!wallText.includes(p4.body.commitment), 'the rejected pledge is not on the wall');
  await landing.close();

  // The status filter shows the decided pledges; axe with every kind of item.
  await page.selectOption('#filter-status', '');
  await page.waitForFunction((n) => document.querySelectorAll('#queue li.pledge').length === n, 5);
  assert.equal(await page.getAttribute(`#pledge-${p4.id}-title + .pledge__status`, 'data-status'), 'rejected');
  await checkA11y(page, 'queue, all statuses');
  await page.selectOption('#filter-status', 'confirmed');
  await page.waitForFunction(() => document.querySelectorAll('#queue li.pledge').length === 1);
  assertNoConsoleErrors(page, 'keyboard moderation');
});

test('pausing the campaign in the console closes the public form; resuming opens it', { timeout: TIMEOUT }, async () => {
  await page.click('nav a[href="/admin/campaigns.html"]');
  await page.waitForSelector('#app:not([hidden])');
  await page.waitForFunction(() => document.getElementById('edit-title-en').value !== '');
  assert.equal(await page.getAttribute('nav a[href="/admin/campaigns.html"]', 'aria-current'), 'page');
  assert.equal(await page.getAttribute('#campaign-status', 'data-status'), 'open');
  assert.equal(await page.getAttribute('#pause-switch', 'role'), 'switch');
  await checkA11y(page, 'campaigns page');

  await page.focus('#pause-switch');
  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.getElementById('campaign-status').getAttribute('data-status') === 'paused');
  assert.ok(await page.isChecked('#pause-switch'));
  assert.equal(await page.getAttribute('html', 'lang'), 'en', 'the public site\'s language does not change the console\'s');
  await page.waitForFunction((text) => document.getElementById('announce').textContent === text,
    t('en', 'campaigns.paused_done', { title: 'I commit to electric mobility' }));
  assert.equal((await get(stack.base, '/api/v1/campaigns/icommit')).json.status, 'paused');

  const landing = await context.newPage();
  await landing.goto(`${stack.base}/?lang=es#pledge`);
  await landing.waitForSelector('#pledge-closed:not([hidden])', { timeout: 15_000 });
  assert.ok(await landing.isHidden('#pledge-form'), 'the form is replaced by the closed notice');
  const refused = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', pledgeBody());
  assert.equal(refused.status, 409);
  assert.equal(refused.json.error.code, 'campaign_closed');
  await landing.close();

  await page.keyboard.press('Space');
  await page.waitForFunction(() => document.getElementById('campaign-status').getAttribute('data-status') === 'open');
  await page.waitForFunction((text) => document.getElementById('announce').textContent === text,
    t('en', 'campaigns.resumed_done', { title: 'I commit to electric mobility', status: dict.en['campaign_status.open'] }));
  assert.equal((await get(stack.base, '/api/v1/campaigns/icommit')).json.status, 'open');

  // Edit a title and the goal; a closing time before the opening is refused.
  await page.fill('#edit-title-en', 'I commit to electric mobility — edited');
  await page.fill('#edit-goal', '2500');
  await page.click('#edit-save');
  await page.waitForFunction((text) => document.getElementById('announce').textContent === text,
    t('en', 'campaigns.saved', { title: 'I commit to electric mobility — edited' }));
  const c = (await get(stack.base, '/api/v1/campaigns/icommit')).json;
  assert.equal(c.title.en, 'I commit to electric mobility — edited');
  assert.equal(c.goal, 2500);
  await page.fill('#edit-opens_at', '2031-06-01T10:00');
  await page.fill('#edit-closes_at', '2031-05-01T10:00');
  await page.click('#edit-save');
  await page.waitForSelector('#edit-closes_at-error');
  assert.equal(await page.getAttribute('#edit-closes_at', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'edit-closes_at', 'focus on the field to fix');
  await checkA11y(page, 'campaigns page with a field error');
  await page.fill('#edit-opens_at', '');
  await page.fill('#edit-closes_at', '');
  await page.click('#edit-save');
  await page.waitForFunction(() => !document.getElementById('edit-closes_at-error'));

  // Create a campaign; its slug taken a second time is refused.
  await page.fill('#create-slug', 'browser-made');
  for (const [lang, title] of Object.entries({ es: 'Hecha en el navegador', pt: 'Feita no navegador', en: 'Made in the browser', fr: 'Faite dans le navigateur' })) {
    await page.fill(`#create-title-${lang}`, title);
  }
  await page.click('#create-submit');
  await page.waitForFunction(() => document.getElementById('campaign-select').value === 'browser-made');
  assert.equal((await get(stack.base, '/api/v1/campaigns/browser-made')).status, 200);
  await page.fill('#create-slug', 'browser-made');
  for (const lang of LANGUAGES) await page.fill(`#create-title-${lang}`, 'Otra');
  await page.click('#create-submit');
  await page.waitForSelector('#create-slug-error');
  assert.equal(await page.textContent('#create-slug-error'), dict.en['reason.slug.taken']);
  assertOnlyExpected(page, 'campaigns page', [422]); // the two refused forms
});

test('the exports page keeps a plain download link in step with its form', { timeout: TIMEOUT }, async () => {
  await page.click('nav a[href="/admin/exports.html"]');
  await page.waitForSelector('#app:not([hidden])');
  await page.waitForFunction(() => document.querySelectorAll('#export-campaign option').length > 1);
  await checkA11y(page, 'exports page');
  assert.equal(await page.getAttribute('#export-link', 'href'), '/api/v1/admin/export/pledges.csv');
  await page.selectOption('#export-campaign', 'icommit');
  await page.selectOption('#export-status', 'approved');
  await page.check('#sep-semicolon');
  await page.uncheck('#export-bom');
  await page.fill('#export-from', '2020-01-01');
  await page.fill('#export-to', '2099-12-31');
  const href = await page.getAttribute('#export-link', 'href');
  assert.equal(href, '/api/v1/admin/export/pledges.csv?campaign=icommit&status=approved'
    + '&from=2020-01-01T00%3A00%3A00Z&to=2100-01-01T00%3A00%3A00Z&sep=semicolon&bom=0');
  assert.equal(await page.getAttribute('#subscribers-link', 'href'),
    '/api/v1/admin/export/subscribers.csv?sep=semicolon&bom=0', 'the subscribers follow the format choice');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-link')]);
  const date = new Date().toISOString().slice(0, 10);
  assert.equal(download.suggestedFilename(), `icommit-pledges-${date}.csv`);
  const file = await download.path();
  const csv = await readFile(file, 'utf8');
  assert.ok(csv.startsWith('id;created_at;confirmed_at;status;'), `no BOM, semicolons: ${JSON.stringify(csv.slice(0, 60))}`);
  const lines = csv.trimEnd().split('\r\n');
  assert.equal(lines.length, 1 + 3, 'the header and the three approved pledges');
  assert.ok(lines.slice(1).every((l) => l.split(';')[3] === 'approved'));
  assert.ok(page.url().endsWith('/admin/exports.html'), 'the page stays where it is');
  assertNoConsoleErrors(page, 'exports page');
});

test('the audit log shows who did what', { timeout: TIMEOUT }, async () => {
  await page.click('nav a[href="/admin/audit.html"]');
  await page.waitForSelector('#audit-table:not([hidden])');
  await checkA11y(page, 'audit page');
  const rows = await page.$$eval('#audit-rows tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.ok(rows.length >= 8, `${rows.length} rows`);
  assert.ok(rows.every((r) => r[1] === 'alice'));
  const actions = new Set(rows.map((r) => r[2]));
  for (const a of ['login', 'approve', 'reject', 'campaign_edit', 'campaign_create', 'export']) {
    assert.ok(actions.has(dict.en[`audit.actions.${a}`]), `no "${a}" row: ${[...actions].join(', ')}`);
  }
  assert.ok(rows.some((r) => r[2] === dict.en['audit.actions.export'] && r[4].includes('sep=semicolon')));
  assertNoConsoleErrors(page, 'audit page');
});

test('the console in Spanish, Portuguese, English and French', { timeout: TIMEOUT }, async () => {
  for (const lang of LANGUAGES) {
    for (const [path, key] of [['/admin/', 'moderation.page_title'], ['/admin/campaigns.html', 'campaigns.page_title'],
      ['/admin/exports.html', 'exports.page_title'], ['/admin/audit.html', 'audit.page_title']]) {
      await page.goto(`${stack.base}${path}?lang=${lang}`);
      await page.waitForSelector('#app:not([hidden])');
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      assert.equal(await page.title(), dict[lang][key], `${path} in ${lang}`);
      assert.equal(await page.textContent('#logout'), dict[lang]['nav.logout']);
      if (path === '/admin/') await waitForQueue(page);
      await checkA11y(page, `${path} in ${lang}`);
    }
  }
  // The switcher changes the language in place and remembers it.
  await page.goto(`${stack.base}/admin/audit.html`);
  await page.waitForSelector('#audit-table:not([hidden])');
  await page.selectOption('#lang-select', 'pt');
  await page.waitForFunction(() => document.documentElement.lang === 'pt');
  assert.equal(await page.textContent('h1'), dict.pt['audit.title']);
  await page.goto(`${stack.base}/admin/exports.html`);
  await page.waitForSelector('#app:not([hidden])');
  assert.equal(await page.getAttribute('html', 'lang'), 'pt');
  await page.selectOption('#lang-select', 'en');
  await page.waitForFunction(() => document.documentElement.lang === 'en');
  assertNoConsoleErrors(page, 'languages');
});

test('a 401 anywhere leads to the login form, which leads back; signing out ends the session', { timeout: TIMEOUT }, async () => {
  // The session ends on the server (as when it expires).
  await page.goto(`${stack.base}/admin/campaigns.html`);
  await page.waitForSelector('#app:not([hidden])');
  sqlite(stack.dbPath, 'DELETE FROM sessions;');
  await page.fill('#edit-goal', '3000');
  await page.click('#edit-save');
  await page.waitForURL(/\/admin\/\?next=/);
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.textContent('#login-note'), dict.en['login.needed']);
  assert.equal(await page.evaluate(() => sessionStorage.getItem('icommit.admin.csrf')), null);
  assert.equal((await get(stack.base, '/api/v1/campaigns/icommit')).json.goal, 2500, 'nothing was saved');
  assertOnlyExpected(page, 'expired session on the campaigns page');

  // Signing in again returns to the page it came from.
  await page.fill('#login-username', 'alice');
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForURL(/\/admin\/campaigns\.html$/);
  await page.waitForSelector('#app:not([hidden])');
  assertNoConsoleErrors(page, 'signed in again');

  // On the queue, a 401 brings the login form back in place.
  await page.goto(`${stack.base}/admin/?lang=en`);
  await waitForQueue(page);
  sqlite(stack.dbPath, 'DELETE FROM sessions;');
  await page.keyboard.press('j');
  await page.keyboard.press('a');
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.textContent('#login-note'), dict.en['login.expired']);
  assert.ok(await page.isHidden('#app'));
  assertOnlyExpected(page, 'expired session on the queue');
  assert.ok(!(await wallIds(stack)).includes(pledges[0].id));

  await page.fill('#login-username', 'alice');
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#queue li.pledge');

  // Signing out.
  await page.click('#logout');
  await page.waitForURL(/signed_out=1/);
  await page.waitForSelector('#login:not([hidden])');
  assert.equal(await page.textContent('#login-note'), dict.en['login.signed_out']);
  assert.equal(Number(sqlite(stack.dbPath, 'SELECT count(*) FROM sessions;')), 0, 'the session is gone on the server');
  await checkA11y(page, 'signed out');
  assertOnlyExpected(page, 'signed out');
});
