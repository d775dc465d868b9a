// tests/browser/pledge.test.mjs — the pledge form (#pledge), the public wall
// (#wall) and confirm.html in Chromium against the real stack (nginx +
// icommitd + an SMTP sink, e-mail verification and moderation on): in
// Spanish with accented text, a bad e-mail shown and announced beside its
// field, the "check your e-mail" answer, the confirmation mail's link, the
// button on confirm.html (nothing happens on load), the count, the pledge
// on the wall once approved with `icommitctl pledge approve`; the same form
// without JavaScript (303 back to /?...ok=1#pledge); every answer of the
// API (201, 200, 409, 422, 429, 503, network) shown in place; the wall's
// filters and "load more"; the whole form from the keyboard; Portuguese
// labels; axe on every state; no console or CSP errors.
// ICOMMIT_SCREENSHOT=1 also writes docs/img/pledge-form.png and docs/img/wall.png.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { query } from '../e2e/lib/db.mjs';
import { request } from '../e2e/lib/http.mjs';
import { parseCsv } from '../e2e/lib/staff.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, clearConsoleErrors, consoleErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 90_000;
const PLEDGES = '/api/v1/campaigns/icommit/pledges';

const JOSE = {
  name: 'José Ñúñez',
  badEmail: 'jose.nunez@ejemplo',
  email: 'jose.nunez@ejemplo.org',
  organisation: 'Buses Eléctricos del Pacífico',
  actor_type: 'private_sector',
  country: 'CL',
  city: 'Valparaíso',
  commitment: 'Movilidad eléctrica en Valparaíso: electrificaremos 120 buses de nuestra flota '
    + 'antes de 2030 y abriremos 40 puntos de carga públicos en los cerros.',
  category: 'public_transport',
  quantity: '120',
  unit: 'buses',
  target_year: '2030',
};

let stack;
let context;
const dict = {}; // lang -> www/i18n/{lang}.json
const shared = {}; // what one test leaves for the next (token, pledge id)

before(async () => {
  stack = await startStack({ smtp: true, config: { verify_email: 'yes', moderation: 'yes' } });
  context = await launchBrowser();
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.base });
  for (const lang of LANGUAGES) {
    // The landing page's dictionary: the site's words and its own bundle's (i18n.js merges them so).
    dict[lang] = {
      ...JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8')),
      ...JSON.parse(await readFile(join(root, 'www', 'i18n', `pledge.${lang}.json`), 'utf8')),
    };
  }
});

after(async () => {
  await context?.close();
  await stack?.stop();
});

// ---------------------------------------------------------------------------
// Helpers.

/** The plural form of `key` for `n` in `lang`, as i18n.js picks it, with {count}. */
function plural(lang, key, n, vars = {}) {
  const cat = new Intl.PluralRules(lang).select(n);
  const text = dict[lang][`${key}.${cat}`] ?? dict[lang][`${key}.other`];
  return fill(text, { count: new Intl.NumberFormat(lang, { useGrouping: 'always' }).format(n), ...vars });
}

function fill(text, vars) {
  return text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
}

const textOf = (page, selector) => page.locator(selector).textContent();
const activeId = (page) => page.evaluate(() => document.activeElement && document.activeElement.id);

/** Opens the landing page in `lang` and waits until the form is translated and ready. */
async function openForm(lang = 'es', ctx = context, path = `/?lang=${lang}#pledge`) {
  const page = await ctx.newPage();
  await page.goto(stack.base + path);
  await page.waitForFunction(
    ([l, title]) => document.documentElement.lang === l
      && document.getElementById('pledge-title').textContent === title
      && document.getElementById('pledge-form').noValidate === true,
    [lang, dict[lang]['pledge.title']],
  );
  // The country list is rebuilt from /data/countries.json in the page's language.
  await page.waitForFunction(() => document.querySelectorAll('#pledge-country optgroup').length === 2
    && !document.querySelector('#pledge-country optgroup[data-i18n-attr]'));
  return page;
}

/**
 * Unfolds the form's "add details" (the optional fields) the way a person
 * does, by its summary; leaves it open if it is.
 */
async function openDetails(page) {
  if (!await page.locator('#pledge-more').evaluate((d) => d.open)) await page.click('#pledge-more > summary');
  assert.equal(await page.locator('#pledge-organisation').isVisible(), true, 'the optional fields show');
}

/** Fills the form with `p` (JOSE's shape) through the DOM, "add details" included. */
async function fillForm(page, p, { email = p.email } = {}) {
  await page.fill('#pledge-name', p.name);
  await page.fill('#pledge-email', email);
  await page.selectOption('#pledge-actor_type', p.actor_type);
  await page.selectOption('#pledge-country', p.country);
  await page.fill('#pledge-commitment', p.commitment);
  await openDetails(page);
  await page.fill('#pledge-organisation', p.organisation ?? '');
  await page.fill('#pledge-city', p.city ?? '');
  if (p.category) await page.selectOption('#pledge-category', p.category);
  if (p.quantity) await page.fill('#pledge-quantity', p.quantity);
  if (p.unit) await page.selectOption('#pledge-unit', p.unit);
  if (p.target_year) await page.fill('#pledge-target_year', p.target_year);
  if (p.public) await page.check('#pledge-public');
  await page.check('#pledge-consent');
}

/**
 * Asserts that field `name` shows `message` the way assistive technology
 * gets it: aria-invalid on the control, and the message in an element the
 * control's aria-describedby names that is a live region (or role alert/status).
 */
async function assertFieldError(page, name, message) {
  const info = await page.evaluate((n) => {
    const control = document.getElementById(`pledge-${n}`);
    const ids = (control.getAttribute('aria-describedby') || '').split(/\s+/);
    const box = document.getElementById(`pledge-${n}-error`);
    const visible = box.offsetParent !== null && box.getBoundingClientRect().height > 0;
    return {
      invalid: control.getAttribute('aria-invalid'),
      describedBy: ids.includes(box.id),
      live: box.getAttribute('aria-live') || box.getAttribute('role') || '',
      text: box.textContent,
      visible,
    };
  }, name);
  assert.equal(info.invalid, 'true', `${name}: aria-invalid`);
  assert.ok(info.describedBy, `${name}: the error is in aria-describedby`);
  assert.match(info.live, /polite|assertive|alert|status/, `${name}: the error is announced`);
  assert.equal(info.text, message, `${name}: the message`);
  assert.ok(info.visible, `${name}: the message is visible`);
}

async function assertNoFieldError(page, name) {
  const invalid = await page.locator(`#pledge-${name}`).getAttribute('aria-invalid');
  assert.equal(invalid, null, `${name} should not be invalid`);
  assert.equal(await textOf(page, `#pledge-${name}-error`), '', `${name} should have no message`);
}

const sqlite = (sql) => query(stack.dbPath, sql, { timeoutMs: 10000 });
const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** The confirmation token from the newest mail to `to`. */
async function confirmationToken(to) {
  const mail = await stack.waitForMail((m) => m.to.includes(to), 15_000);
  const text = `${mail.text ?? ''}\n${mail.html ?? ''}\n${mail.body ?? ''}`;
  const m = /\/confirm\.html\?token=([A-Za-z0-9_-]+)/.exec(text);
  assert.ok(m, `no confirmation link in the mail to ${to}:\n${text}`);
  return { token: m[1], mail };
}

/** Serves `json` with `status` for the pledge POST (other requests go through). */
async function routePledgePost(page, status, json, headers = {}) {
  await page.route(`**${PLEDGES}`, (route) => (route.request().method() === 'POST'
    ? route.fulfill({ status, contentType: 'application/json; charset=utf-8', headers, body: JSON.stringify(json) })
    : route.continue()));
}

// ---------------------------------------------------------------------------
// The Spanish journey, one step a test (each builds on the one before).

test('es: a bad e-mail is shown and announced beside its field, then the pledge goes out and says "check your e-mail"', { timeout: TIMEOUT }, async () => {
  const page = await openForm('es');
  try {
    await fillForm(page, { ...JOSE, public: true }, { email: JOSE.badEmail });
    let posts = 0;
    page.on('request', (req) => {
      if (req.method() === 'POST' && req.url().endsWith(PLEDGES)) posts++;
    });
    await page.click('#pledge-submit');

    await assertFieldError(page, 'email', dict.es['reason.invalid_email']);
    assert.equal(await activeId(page), 'pledge-email', 'focus moves to the bad field');
    for (const name of ['name', 'organisation', 'actor_type', 'country', 'city', 'commitment', 'quantity', 'unit', 'target_year', 'consent']) {
      await assertNoFieldError(page, name);
    }
    // The summary at the top names it, as a link to the field.
    assert.equal(await page.locator('#pledge-summary').isVisible(), true);
    assert.equal(await textOf(page, '#pledge-summary-title'), plural('es', 'pledge.summary.title', 1));
    assert.equal(await textOf(page, '#pledge-summary-list'), `${dict.es['pledge.email.label']}: ${dict.es['reason.invalid_email']}`);
    assert.equal(posts, 0, 'nothing is sent while a field is bad');

    await checkA11y(page, 'pledge form with an error shown');
    if (process.env.ICOMMIT_SCREENSHOT === '1') {
      await mkdir(join(root, 'docs', 'img'), { recursive: true });
      await page.locator('#pledge').screenshot({ path: join(root, 'docs', 'img', 'pledge-form.png') });
    }

    // Fixing it clears the error as one types.
    await page.fill('#pledge-email', JOSE.email);
    await assertNoFieldError(page, 'email');
    assert.equal(await page.locator('#pledge-summary').isVisible(), false);

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(PLEDGES) && r.request().method() === 'POST'),
      page.click('#pledge-submit'),
    ]);
    assert.equal(response.status(), 202);
    const sent = JSON.parse(response.request().postData());
    assert.deepEqual(sent, {
      name: JOSE.name, email: JOSE.email, organisation: JOSE.organisation, actor_type: JOSE.actor_type,
      country: JOSE.country, city: JOSE.city, commitment: JOSE.commitment, category: JOSE.category,
      target_year: 2030, quantity: 120, unit: 'buses', public: true, consent: true,
      language: 'es', website: '',
    });

    await page.waitForSelector('#pledge-done', { state: 'visible' });
    assert.equal(await textOf(page, '#pledge-done-title'), dict.es['pledge.done.pending.title']);
    assert.equal(await textOf(page, '#pledge-done-text'), fill(dict.es['pledge.done.pending.text'], { email: JOSE.email }));
    assert.equal(await activeId(page), 'pledge-done-title', 'focus moves to the answer');
    assert.equal(await page.locator('#pledge-form').isVisible(), false);
    await checkA11y(page, 'pledge sent');
    assertNoConsoleErrors(page, 'es journey: the form');
  } finally {
    await page.close();
  }
});

test('es: the confirmation mail links to confirm.html, which confirms only on the button and shows the count', { timeout: TIMEOUT }, async () => {
  const { token, mail } = await confirmationToken(JOSE.email);
  shared.token = token;
  shared.id = Number(sqlite(`SELECT id FROM pledges WHERE email = ${sqlString(JOSE.email)};`));
  assert.ok(shared.id > 0, 'the pledge is stored');
  const stored = sqlite(`SELECT name || '|' || organisation || '|' || city || '|' || commitment FROM pledges WHERE id = ${shared.id};`);
  assert.equal(stored, `${JOSE.name}|${JOSE.organisation}|${JOSE.city}|${JOSE.commitment}`, 'accents arrive intact');
  const link = /(https?:\/\/[^\s"<>]+\/confirm\.html\?token=[A-Za-z0-9_-]+)/.exec(`${mail.text ?? ''} ${mail.body ?? ''} ${mail.html ?? ''}`);
  assert.ok(link && link[1].startsWith(stack.base), `the link points at the site: ${link && link[1]}`);

  const page = await context.newPage();
  try {
    const confirms = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/v1/confirm')) confirms.push(req.method());
    });
    await page.goto(link[1]);
    await page.waitForFunction((t) => document.getElementById('confirm-title').textContent === t
      && document.documentElement.lang === 'es', dict.es['confirm.pledge.title']);
    assert.equal(await textOf(page, '#confirm-lead'), dict.es['confirm.pledge.lead']);
    await page.waitForTimeout(500);
    assert.deepEqual(confirms, [], 'opening the link confirms nothing');
    const before = await request(stack.base, 'GET', '/api/v1/campaigns/icommit');
    assert.equal(before.json.count, 0);
    await checkA11y(page, 'confirm.html before confirming');

    // From the keyboard.
    await page.focus('#confirm-button');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#confirm-count-box', { state: 'visible' });
    assert.deepEqual(confirms, ['POST']);
    assert.equal(await textOf(page, '#confirm-title'), dict.es['confirm.pledge.done.title']);
    assert.equal(await textOf(page, '#confirm-count'), '1');
    assert.equal(await textOf(page, '#confirm-count-label'), dict.es['counter.label.one']);
    assert.equal(await activeId(page), 'confirm-title');
    assert.equal(await page.title(), `${dict.es['confirm.pledge.done.title']} — I COMMIT`);

    // Share links: plain links to the landing page, no third-party script.
    const landing = `${stack.base}/`;
    const hrefs = await page.evaluate(() => Object.fromEntries(['x', 'linkedin', 'whatsapp', 'email']
      .map((k) => [k, document.getElementById(`share-${k}`).href])));
    const x = new URL(hrefs.x);
    assert.equal(x.origin + x.pathname, 'https://twitter.com/intent/tweet');
    assert.equal(x.searchParams.get('url'), landing);
    assert.equal(x.searchParams.get('text'), dict.es['confirm.share.text']);
    assert.equal(new URL(hrefs.linkedin).searchParams.get('url'), landing);
    assert.ok(hrefs.linkedin.startsWith('https://www.linkedin.com/sharing/share-offsite/?'));
    const wa = new URL(hrefs.whatsapp);
    assert.equal(wa.origin, 'https://wa.me');
    assert.equal(wa.searchParams.get('text'), `${dict.es['confirm.share.text']} ${landing}`);
    assert.ok(hrefs.email.startsWith('mailto:?subject='));
    assert.equal(decodeURIComponent(/body=([^&]*)/.exec(hrefs.email)[1]), `${dict.es['confirm.share.text']}\n\n${landing}`);
    // Only the site's own scripts: the page frame's (the phone menu) and the page's.
    const scripts = await page.evaluate(() => [...document.scripts].map((s) => s.src));
    assert.deepEqual(scripts, [`${stack.base}/js/frame.js`, `${stack.base}/js/confirm.js`]);

    await page.click('#share-copy');
    await page.waitForFunction(() => document.getElementById('share-copied').textContent !== '');
    assert.equal(await textOf(page, '#share-copied'), dict.es['confirm.share.copied']);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), landing);
    assert.equal(await page.locator('#share-copied').getAttribute('role'), 'status');

    await checkA11y(page, 'confirm.html after confirming');
    const after = await request(stack.base, 'GET', '/api/v1/campaigns/icommit');
    assert.equal(after.json.count, 1);

    // Confirming twice is harmless: the same thanks.
    await page.reload();
    await page.waitForSelector('#confirm-button', { state: 'visible' });
    await page.click('#confirm-button');
    await page.waitForSelector('#confirm-count-box', { state: 'visible' });
    assert.equal(await textOf(page, '#confirm-count'), '1');
    assertNoConsoleErrors(page, 'confirm.html');
  } finally {
    await page.close();
  }
});

test('es: once approved with icommitctl the pledge is on the wall, with its details in the page language', { timeout: TIMEOUT }, async () => {
  assert.ok(shared.id, 'needs the pledge of the tests before');
  const page = await context.newPage();
  try {
    // Confirmed but not approved yet: the wall is empty.
    await page.goto(`${stack.base}/?lang=es#wall`);
    await page.waitForFunction((t) => document.getElementById('wall-status').textContent === t, dict.es['wall.empty']);
    assert.equal(await page.locator('#wall-empty a[href="#pledge"]').isVisible(), true);
    assert.equal(await page.locator('#wall-status').getAttribute('role'), 'status');
    await page.close();

    const r = await stack.ctl('pledge', 'approve', shared.id);
    assert.equal(r.code, 0, `icommitctl pledge approve ${shared.id}: ${r.stderr}`);

    const page2 = await context.newPage();
    try {
      await page2.goto(`${stack.base}/?lang=es#wall`);
      await page2.waitForSelector('.pledge-card');
      assert.equal(await textOf(page2, '#wall-status'), plural('es', 'wall.shown', 1));
      const card = page2.locator('.pledge-card').first();
      assert.equal(await card.locator('.pledge-card__name').textContent(), JOSE.name);
      assert.equal(await card.locator('.pledge-card__org').textContent(), JOSE.organisation);
      assert.equal(await card.locator('.pledge-card__place').textContent(), 'Valparaíso, Chile');
      assert.deepEqual(await card.locator('.tag').allTextContents(), [dict.es['actor.private_sector'], dict.es['category.public_transport']]);
      assert.equal(await card.locator('.pledge-card__text').textContent(), JOSE.commitment);
      assert.deepEqual(await card.locator('dd').allTextContents(), ['120 buses', '2030']);
      const created = await card.locator('time').getAttribute('datetime');
      const date = await page2.evaluate((d) => new Intl.DateTimeFormat('es', { dateStyle: 'long' }).format(new Date(d)), created);
      assert.equal(await card.locator('time').textContent(), fill(dict.es['wall.card.date'], { date }));
      // The counter at the top agrees.
      await page2.waitForFunction(() => document.getElementById('counter-number').textContent === '1');

      // Filters: another country empties it, back to all shows it again.
      await page2.selectOption('#wall-country', 'AR');
      await page2.waitForFunction((t) => document.getElementById('wall-status').textContent === t, dict.es['wall.empty_filtered']);
      assert.equal(await page2.locator('.pledge-card').count(), 0);
      await page2.selectOption('#wall-country', '');
      await page2.waitForSelector('.pledge-card');
      await page2.selectOption('#wall-actor_type', 'private_sector');
      await page2.selectOption('#wall-category', 'public_transport');
      await page2.selectOption('#wall-country', 'CL');
      await page2.waitForFunction(() => document.querySelectorAll('.pledge-card').length === 1
        && !/…/.test(document.getElementById('wall-status').textContent));

      // In English the same card speaks English.
      await page2.selectOption('#lang-select', 'en');
      await page2.waitForFunction((t) => document.getElementById('wall-title').textContent === t, dict.en['wall.title']);
      assert.equal(await card.locator('.pledge-card__place').textContent(), 'Valparaíso, Chile');
      assert.deepEqual(await card.locator('.tag').allTextContents(), [dict.en['actor.private_sector'], dict.en['category.public_transport']]);
      assert.deepEqual(await card.locator('dd').allTextContents(), ['120 buses', '2030']);
      await checkA11y(page2, 'wall with a pledge');
      if (process.env.ICOMMIT_SCREENSHOT === '1') {
        await page2.selectOption('#lang-select', 'es');
        await page2.selectOption('#wall-country', '');
        await page2.waitForSelector('.pledge-card');
        await page2.locator('#wall').screenshot({ path: join(root, 'docs', 'img', 'wall.png') });
      }
      assertNoConsoleErrors(page2, 'wall');
    } finally {
      await page2.close();
    }
  } finally {
    if (!page.isClosed()) await page.close();
  }
});

test('es: an unknown or expired token says so, with a way home', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/confirm.html?lang=es&token=${'A'.repeat(43)}`);
    await page.waitForFunction((t) => document.getElementById('confirm-button').textContent === t, dict.es['confirm.pledge.button']);
    await page.click('#confirm-button');
    await page.waitForFunction((t) => document.getElementById('confirm-title').textContent === t, dict.es['confirm.invalid.title']);
    assert.equal(await textOf(page, '#confirm-lead'), dict.es['confirm.invalid.text']);
    assert.equal(await page.locator('#confirm-button').isVisible(), false);
    assert.equal(await page.locator('#confirm-home a').getAttribute('href'), '/');
    assert.equal(await activeId(page), 'confirm-title');
    await checkA11y(page, 'confirm.html, unknown token');
    // The browser logs the 404 itself; nothing else may show up.
    const unexpected = consoleErrors(page).filter((e) => !/status of 404/.test(e.text));
    assert.deepEqual(unexpected, []);

    // Without a token at all there is nothing to press.
    const p2 = await context.newPage();
    await p2.goto(`${stack.base}/confirm.html?lang=fr`);
    await p2.waitForFunction((t) => document.getElementById('confirm-title').textContent === t, dict.fr['confirm.invalid.title']);
    assert.equal(await p2.locator('#confirm-button').isVisible(), false);
    assertNoConsoleErrors(p2, 'confirm.html without a token');
    await p2.close();
  } finally {
    await page.close();
  }
});

test('confirm.html has the wording of a newsletter or consultant confirmation', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const [kind, extra] of [['newsletter', { kind: 'newsletter', status: 'subscribed' }], ['consultant', { kind: 'consultant', status: 'confirmed' }]]) {
      await page.unrouteAll();
      await page.route('**/api/v1/confirm', (route) => route.fulfill({
        status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(extra),
      }));
      await page.goto(`${stack.base}/confirm.html?lang=pt&token=abc&kind=${kind}`);
      await page.waitForFunction((t) => document.getElementById('confirm-title').textContent === t, dict.pt[`confirm.${kind}.title`]);
      assert.equal(await textOf(page, '#confirm-button'), dict.pt[`confirm.${kind}.button`]);
      await page.click('#confirm-button');
      await page.waitForFunction((t) => document.getElementById('confirm-title').textContent === t, dict.pt[`confirm.${kind}.done.title`]);
      assert.equal(await textOf(page, '#confirm-lead'), dict.pt[`confirm.${kind}.done.text`]);
      assert.equal(await page.locator('#share').isVisible(), false, 'share links are for pledges');
      assert.equal(await page.locator('#confirm-count-box').isVisible(), false);
      await checkA11y(page, `confirm.html, ${kind}`);
    }
    // A 503 leaves the button to try again, with the reason.
    await page.unrouteAll();
    await page.route('**/api/v1/confirm', (route) => route.fulfill({
      status: 503, contentType: 'application/json; charset=utf-8', headers: { 'Retry-After': '1' },
      body: JSON.stringify({ error: { code: 'unavailable', message: 'busy' } }),
    }));
    await page.goto(`${stack.base}/confirm.html?lang=en&token=abc`);
    await page.waitForFunction((t) => document.getElementById('confirm-button').textContent === t, dict.en['confirm.pledge.button']);
    await page.click('#confirm-button');
    await page.waitForFunction((t) => document.getElementById('confirm-alert').textContent === t, dict.en['error.unavailable']);
    assert.equal(await page.locator('#confirm-alert').getAttribute('role'), 'alert');
    assert.equal(await page.locator('#confirm-button').isVisible(), true);
    await checkA11y(page, 'confirm.html, 503');
    clearConsoleErrors(page);
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------
// Without JavaScript.

test('without JavaScript the form posts itself and lands back on /?lang=es&ok=1#pledge, where the page shows success', { timeout: TIMEOUT }, async () => {
  const noJs = await launchBrowser({ javaScriptEnabled: false });
  const person = {
    name: 'Ana Conceição Núñez', email: 'ana.conceicao@ejemplo.org', actor_type: 'government',
    country: 'BR', commitment: 'Ônibus elétricos em São Paulo: 500 até 2028, com recarga noturna.',
  };
  let landed;
  try {
    const page = await noJs.newPage();
    await page.goto(`${stack.base}/?lang=es`);
    assert.equal(await page.locator('#pledge-form').isVisible(), true);
    assert.equal(await page.locator('#pledge-return').inputValue(), '/?lang=es#pledge');
    // The country list is in the page itself (Spanish, the region first).
    assert.equal(await page.locator('#pledge-country optgroup').first().getAttribute('label'), 'América Latina y el Caribe');
    assert.equal(await page.locator('#pledge-country option[value="BR"]').textContent(), 'Brasil');
    await page.fill('#pledge-name', person.name);
    await page.fill('#pledge-email', person.email);
    await page.selectOption('#pledge-actor_type', person.actor_type);
    await page.selectOption('#pledge-country', person.country);
    await page.fill('#pledge-commitment', person.commitment);
    // The optional fields are folded; <details> opens without JavaScript.
    assert.equal(await page.locator('#pledge-quantity').isVisible(), false);
    await page.click('#pledge-more > summary');
    await page.fill('#pledge-quantity', '500');
    await page.selectOption('#pledge-unit', 'buses');
    await page.check('#pledge-public');
    await page.check('#pledge-consent');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(PLEDGES)),
      page.click('#pledge-submit'),
    ]);
    assert.equal(response.status(), 303);
    assert.match(response.request().headers()['content-type'], /^application\/x-www-form-urlencoded/);
    await page.waitForURL(/ok=1#pledge$/);
    landed = new URL(page.url());
    assert.equal(landed.pathname, '/');
    assert.equal(landed.searchParams.get('lang'), 'es');
    assert.equal(landed.searchParams.get('ok'), '1');
    assert.equal(landed.hash, '#pledge');
    await page.close();
  } finally {
    await noJs.close();
  }
  const { token } = await confirmationToken(person.email);
  assert.ok(token);
  assert.equal(sqlite(`SELECT name || '|' || commitment || '|' || quantity || unit FROM pledges WHERE email = ${sqlString(person.email)};`),
    `${person.name}|${person.commitment}|500buses`);

  // The page the visitor lands on, with JavaScript, says it went through.
  const page = await context.newPage();
  try {
    await page.goto(landed.href);
    await page.waitForFunction((t) => document.getElementById('pledge-done-title').textContent === t, dict.es['pledge.done.pending.title']);
    assert.equal(await page.locator('#pledge-done').isVisible(), true);
    assert.equal(await textOf(page, '#pledge-done-text'), dict.es['pledge.done.pending.text_noemail']);
    assert.equal(await page.locator('#pledge-form').isVisible(), false);
    assert.equal(await activeId(page), 'pledge-done-title');
    const now = new URL(page.url());
    assert.equal(now.searchParams.has('ok'), false, '?ok=1 is dropped so a reload does not repeat it');
    assert.equal(now.hash, '#pledge');
    await checkA11y(page, 'landing after ?ok=1');

    // "Make another pledge" brings the form back, focus on its first field.
    await page.focus('#pledge-again');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#pledge-form', { state: 'visible' });
    assert.equal(await activeId(page), 'pledge-name');
    assertNoConsoleErrors(page, 'after ?ok=1');
  } finally {
    await page.close();
  }
});

test('?error=CODE from a form post shows its message; ?error=campaign_closed closes the form', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/?lang=fr&error=rate_limited#pledge`);
    await page.waitForFunction((t) => document.getElementById('pledge-alert').textContent === t, dict.fr['error.rate_limited']);
    assert.equal(await page.locator('#pledge-alert').getAttribute('role'), 'alert');
    assert.equal(await page.locator('#pledge-form').isVisible(), true);
    assert.equal(new URL(page.url()).searchParams.has('error'), false);

    await page.goto(`${stack.base}/?lang=es&error=invalid#pledge`);
    await page.waitForFunction((t) => document.getElementById('pledge-alert').textContent === t, dict.es['pledge.error.invalid_form']);

    await page.goto(`${stack.base}/?lang=en&error=campaign_closed#pledge`);
    await page.waitForSelector('#pledge-closed', { state: 'visible' });
    assert.equal(await textOf(page, '#pledge-closed-title'), dict.en['pledge.closed.title']);
    assert.equal(await page.locator('#pledge-form').isVisible(), false);

    await page.goto(`${stack.base}/?lang=en&error=%3Cscript%3E#pledge`);
    await page.waitForFunction((t) => document.getElementById('pledge-alert').textContent === t, dict.en['error.unknown']);
    await checkA11y(page, 'landing after ?error=');
    assertNoConsoleErrors(page, '?error=');
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------
// Every answer of the API, in place.

test('201 confirmed moves the counter; 200 duplicate says so', { timeout: TIMEOUT }, async () => {
  const page = await openForm('en');
  try {
    await page.waitForSelector('#counter-figures', { state: 'visible' });
    await routePledgePost(page, 201, { id: 77, status: 'confirmed', count: 42 });
    await fillForm(page, { ...JOSE, public: true });
    await page.click('#pledge-submit');
    await page.waitForSelector('#pledge-done', { state: 'visible' });
    assert.equal(await textOf(page, '#pledge-done-title'), dict.en['pledge.done.confirmed.title']);
    assert.equal(await textOf(page, '#pledge-done-text'), plural('en', 'pledge.done.confirmed.count', 42));
    assert.equal(await textOf(page, '#pledge-done-note'), dict.en['pledge.done.wall_note']);
    await page.waitForFunction(() => document.getElementById('counter-number').textContent === '42');
    assert.equal(await page.locator('#counter-progress').getAttribute('value'), '42');
    assert.equal(await page.locator('#counter-progress').evaluate((el) => el.tagName), 'PROGRESS');

    await page.unrouteAll();
    await routePledgePost(page, 200, { status: 'duplicate', count: 43 });
    await page.click('#pledge-again');
    await fillForm(page, JOSE);
    await page.click('#pledge-submit');
    await page.waitForFunction((t) => document.getElementById('pledge-done-title').textContent === t, dict.en['pledge.done.duplicate.title']);
    assert.equal(await textOf(page, '#pledge-done-text'), dict.en['pledge.done.duplicate.text']);
    await page.waitForFunction(() => document.getElementById('counter-number').textContent === '43');
    assertNoConsoleErrors(page, '201/200');
  } finally {
    await page.close();
  }
});

test('422 from the server puts each reason beside its field and focuses the first', { timeout: TIMEOUT }, async () => {
  const page = await openForm('es');
  try {
    await routePledgePost(page, 422, {
      error: { code: 'invalid', message: 'Some fields are not valid.', fields: { commitment: 'too_long', country: 'invalid_country', language: 'invalid_choice' } },
    });
    await fillForm(page, JOSE);
    await page.click('#pledge-submit');
    await page.waitForFunction(() => document.getElementById('pledge-country').getAttribute('aria-invalid') === 'true');
    await assertFieldError(page, 'country', dict.es['reason.invalid_country']);
    await assertFieldError(page, 'commitment', fill(dict.es['pledge.too_long_max'], { max: '2.000' }));
    assert.equal(await activeId(page), 'pledge-country', 'the first bad field in the form is focused');
    assert.equal(await textOf(page, '#pledge-summary-title'), plural('es', 'pledge.summary.title', 3));
    const items = await page.locator('#pledge-summary-list li').allTextContents();
    assert.ok(items.includes(`${dict.es['lang.label']}: ${dict.es['reason.invalid_choice']}`), items.join(' / '));
    // A summary link takes the keyboard to its field.
    await page.locator('#pledge-summary-list a[data-field="commitment"]').focus();
    await page.keyboard.press('Enter');
    assert.equal(await activeId(page), 'pledge-commitment');
    await checkA11y(page, 'server-side field errors');
    // The browser logs the 422 itself.
    clearConsoleErrors(page);
  } finally {
    await page.close();
  }
});

test('409, 429, 503 and a network failure are explained in the page language', { timeout: TIMEOUT }, async () => {
  const page = await openForm('pt');
  try {
    await fillForm(page, JOSE);
    const cases = [
      [429, { error: { code: 'rate_limited', message: 'x' } }, { 'Retry-After': '30' }, 'error.rate_limited'],
      [503, { error: { code: 'unavailable', message: 'x' } }, { 'Retry-After': '1' }, 'error.unavailable'],
      [413, { error: { code: 'payload_too_large', message: 'x' } }, {}, 'error.payload_too_large'],
      [500, { error: { code: 'internal', message: 'x' } }, {}, 'error.unknown'],
    ];
    for (const [status, body, headers, key] of cases) {
      await page.unrouteAll();
      await routePledgePost(page, status, body, headers);
      await page.click('#pledge-submit');
      await page.waitForFunction((t) => document.getElementById('pledge-alert').textContent === t, dict.pt[key]);
      assert.equal(await page.locator('#pledge-form').isVisible(), true, `${status}: the form stays`);
      assert.equal(await page.locator('#pledge-name').inputValue(), JOSE.name, `${status}: nothing typed is lost`);
      assert.equal(await textOf(page, '#pledge-submit'), dict.pt['pledge.submit'], `${status}: the button is back`);
    }
    await page.unrouteAll();
    await page.route(`**${PLEDGES}`, (route) => (route.request().method() === 'POST' ? route.abort('failed') : route.continue()));
    await page.click('#pledge-submit');
    await page.waitForFunction((t) => document.getElementById('pledge-alert').textContent === t, dict.pt['error.network']);
    await checkA11y(page, 'network error');

    await page.unrouteAll();
    await routePledgePost(page, 409, { error: { code: 'campaign_closed', message: 'x' } });
    await page.click('#pledge-submit');
    await page.waitForSelector('#pledge-closed', { state: 'visible' });
    assert.equal(await textOf(page, '#pledge-closed-text'), dict.pt['error.campaign_closed']);
    assert.equal(await activeId(page), 'pledge-closed-title');
    assert.equal(await page.locator('#pledge-form').isVisible(), false);
    await checkA11y(page, 'campaign closed');
    clearConsoleErrors(page); // the browser's own notes about the statuses
  } finally {
    await page.close();
  }
});

test('a campaign that is not open shows that instead of the form', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    const real = await request(stack.base, 'GET', '/api/v1/campaigns/icommit');
    const upcoming = { ...real.json, status: 'upcoming', opens_at: '2027-03-01T12:00:00Z' };
    await page.route('**/api/v1/campaigns/icommit', (route) => route.fulfill({
      status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(upcoming),
    }));
    await page.goto(`${stack.base}/?lang=es#pledge`);
    await page.waitForSelector('#pledge-closed', { state: 'visible' });
    const date = await page.evaluate(() => new Intl.DateTimeFormat('es', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date('2027-03-01T12:00:00Z')));
    assert.equal(await textOf(page, '#pledge-closed-text'), `${dict.es['error.campaign_closed']} ${fill(dict.es['status.opens_on'], { date })}`);
    assert.equal(await page.locator('#pledge-form').isVisible(), false);
    await checkA11y(page, 'campaign upcoming');
    assertNoConsoleErrors(page, 'campaign upcoming');
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------
// Checks that mirror the server.

test('the client checks mirror the server: code points, trimming, e-mail shape, quantity needs a unit', { timeout: TIMEOUT }, async () => {
  const page = await openForm('es');
  try {
    // The counter counts code points like the server: 5 buses (astral) + 5 letters = 10.
    await page.fill('#pledge-commitment', '🚌🚌🚌🚌🚌abcde');
    assert.equal(await textOf(page, '#pledge-commitment-count'), fill(dict.es['pledge.commitment.count'], { count: '10', max: '2.000' }));
    await page.fill('#pledge-commitment', '  \n corto \n ');
    assert.equal(await textOf(page, '#pledge-commitment-count'), fill(dict.es['pledge.commitment.count'], { count: '5', max: '2.000' }));
    await page.fill('#pledge-commitment', 'á'.repeat(2003));
    assert.equal(await textOf(page, '#pledge-commitment-count'), plural('es', 'pledge.too_long', 3, { max: '2.000' }));

    await page.fill('#pledge-name', 'x'.repeat(121));
    await page.fill('#pledge-email', 'a@b.c');
    await openDetails(page);
    await page.fill('#pledge-quantity', '1,5');
    await page.fill('#pledge-target_year', '2101');
    await page.click('#pledge-submit');
    await assertFieldError(page, 'name', plural('es', 'pledge.too_long', 1, { max: '120' }));
    await assertFieldError(page, 'email', dict.es['reason.invalid_email']);
    await assertFieldError(page, 'commitment', plural('es', 'pledge.too_long', 3, { max: '2.000' }));
    await assertFieldError(page, 'quantity', dict.es['pledge.quantity.invalid']);
    await assertFieldError(page, 'unit', dict.es['pledge.unit.required']);
    await assertFieldError(page, 'target_year', fill(dict.es['pledge.target_year.invalid'], { min: '2019', max: '2100' }));
    await assertFieldError(page, 'actor_type', dict.es['reason.invalid_choice']);
    await assertFieldError(page, 'country', dict.es['reason.invalid_country']);
    await assertFieldError(page, 'consent', dict.es['pledge.consent.required']);
    assert.equal(await activeId(page), 'pledge-name');

    // Grouped thousands are read as a whole number; a unit clears the unit error.
    await page.fill('#pledge-quantity', '1.000.000');
    await page.selectOption('#pledge-unit', 'usd');
    await assertNoFieldError(page, 'quantity');
    await assertNoFieldError(page, 'unit');

    // What the server accepts, the client accepts (and the other way round).
    const verdicts = await page.evaluate(async () => {
      const m = await import('/js/pledge-form.js');
      const cases = ['a@b.co', 'josé@ejemplo.org', 'a.b+tag@sub.example.org', 'x@xn--bcher-kva.ch',
        'a@b', 'a@@b.co', '.a@b.co', 'a..b@b.co', 'a b@b.co', 'a@-b.co', 'a@b-.co', 'a@b.c', 'a@b..co',
        `${'a'.repeat(65)}@b.co`, 'a@b.co\u00a0'];
      return cases.map((c) => [c, m.emailValid(c)]);
    });
    assert.deepEqual(verdicts, [
      ['a@b.co', true], ['josé@ejemplo.org', true], ['a.b+tag@sub.example.org', true], ['x@xn--bcher-kva.ch', true],
      ['a@b', false], ['a@@b.co', false], ['.a@b.co', false], ['a..b@b.co', false], ['a b@b.co', false],
      ['a@-b.co', false], ['a@b-.co', false], ['a@b.c', false], ['a@b..co', false],
      [`${'a'.repeat(65)}@b.co`, false], ['a@b.co\u00a0', false],
    ]);
    for (const [email, ok] of verdicts) {
      const r = await request(stack.base, 'POST', PLEDGES, {
        headers: { 'Content-Type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ ...JOSE, email, consent: true, quantity: 120, target_year: 2030, language: 'es' }),
      });
      assert.equal(r.status, ok ? 202 : 422, `${JSON.stringify(email)}: server ${r.status} ${r.text}, client ${ok}`);
    }
    assertNoConsoleErrors(page, 'client checks');
  } finally {
    await page.close();
  }
});

// ---------------------------------------------------------------------------
// Keyboard, Portuguese, the wall's pages.

// ---------------------------------------------------------------------------
// "Add details": the optional fields, folded.

/** The exported row (icommitctl export pledges) of the pledge sent from `email`, by column name. */
async function exportedPledge(email) {
  const out = await stack.ctl('export', 'pledges', '--no-bom');
  assert.equal(out.code, 0, out.stderr);
  const [head, ...rows] = parseCsv(out.stdout, { bom: false });
  const row = rows.find((r) => r[head.indexOf('email')] === email);
  assert.ok(row, `no exported pledge from ${email}`);
  return Object.fromEntries(head.map((h, i) => [h, row[i]]));
}

test('the optional fields are folded under "add details" at first, and the form still sends every field of the API, with and without JavaScript', { timeout: TIMEOUT }, async () => {
  const everything = (tag) => ({
    name: `Dolores Çaçapava ${tag}`, email: `dolores.${tag}@ejemplo.org`, organisation: 'Cooperativa de Transporte Ñuble',
    actor_type: 'civil_society', country: 'AR', city: 'San Carlos de Bariloche', category: 'charging',
    commitment: 'Instalaremos 30 puntos de carga públicos en la terminal y en los barrios del sur.',
    quantity: '30', unit: 'chargers', target_year: '2029', public: true,
  });
  const expected = (p, language) => ({
    name: p.name, email: p.email, organisation: p.organisation, actor_type: p.actor_type, country: p.country,
    city: p.city, category: p.category, quantity: p.quantity, unit: p.unit, target_year: p.target_year,
    language, public: 'true', commitment: p.commitment,
  });
  const pick = (row) => Object.fromEntries(Object.keys(expected(everything('x'), 'es')).map((k) => [k, row[k]]));

  // With JavaScript, in Portuguese: folded at first, every field sent as JSON.
  const page = await openForm('pt');
  const withJs = everything('js');
  try {
    assert.equal(await page.locator('#pledge-more').evaluate((d) => d.open), false, 'folded at first');
    for (const name of ['organisation', 'city', 'category', 'target_year', 'quantity', 'unit', 'public']) {
      assert.equal(await page.locator(`#pledge-${name}`).isVisible(), false, `${name} is folded`);
    }
    assert.equal(await textOf(page, '#pledge-more .form__more-title'), dict.pt['pledge.more.summary']);
    await checkA11y(page, 'form with "add details" folded');
    await fillForm(page, withJs);
    await checkA11y(page, 'form with "add details" open');
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(PLEDGES) && r.request().method() === 'POST'),
      page.click('#pledge-submit'),
    ]);
    assert.equal(response.status(), 202);
    assertNoConsoleErrors(page, 'every field, with JavaScript');
  } finally {
    await page.close();
  }
  assert.deepEqual(pick(await exportedPledge(withJs.email)), expected(withJs, 'pt'));

  // Without JavaScript: the same fields, posted by the browser itself.
  const noJs = await launchBrowser({ javaScriptEnabled: false });
  const plain = everything('nojs');
  try {
    const p2 = await noJs.newPage();
    await p2.goto(`${stack.base}/?lang=es`);
    assert.equal(await p2.locator('#pledge-organisation').isVisible(), false, 'folded without JavaScript too');
    await fillForm(p2, plain);
    // Folded again before sending: what is in it still goes.
    await p2.click('#pledge-more > summary');
    assert.equal(await p2.locator('#pledge-organisation').isVisible(), false);
    const [response] = await Promise.all([
      p2.waitForResponse((r) => r.url().endsWith(PLEDGES)),
      p2.click('#pledge-submit'),
    ]);
    assert.equal(response.status(), 303);
  } finally {
    await noJs.close();
  }
  assert.deepEqual(pick(await exportedPledge(plain.email)), expected(plain, 'es'));
});

test('an error in a folded field unfolds "add details", is announced beside its field and gets the focus', { timeout: TIMEOUT }, async () => {
  const page = await openForm('es');
  try {
    await page.fill('#pledge-name', JOSE.name);
    await page.fill('#pledge-email', JOSE.email);
    await page.selectOption('#pledge-actor_type', JOSE.actor_type);
    await page.selectOption('#pledge-country', JOSE.country);
    await page.fill('#pledge-commitment', JOSE.commitment);
    await page.check('#pledge-consent');
    // A target year typed, then the details folded again.
    await page.click('#pledge-more > summary');
    await page.fill('#pledge-target_year', '1999');
    await page.click('#pledge-more > summary');
    assert.equal(await page.locator('#pledge-target_year').isVisible(), false);

    await page.click('#pledge-submit');
    assert.equal(await page.locator('#pledge-more').evaluate((d) => d.open), true, 'unfolded by the error');
    await assertFieldError(page, 'target_year', fill(dict.es['pledge.target_year.invalid'], { min: '2019', max: '2100' }));
    assert.equal(await activeId(page), 'pledge-target_year');
    assert.equal(await textOf(page, '#pledge-summary-list'),
      `${dict.es['pledge.target_year.label']}: ${fill(dict.es['pledge.target_year.invalid'], { min: '2019', max: '2100' })}`);
    await checkA11y(page, 'an error under "add details"');

    // Folded again, a link of the summary unfolds it and takes the keyboard there.
    await page.click('#pledge-more > summary');
    await page.locator('#pledge-summary-list a[data-field="target_year"]').focus();
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#pledge-more').evaluate((d) => d.open), true);
    assert.equal(await activeId(page), 'pledge-target_year');

    // The server's verdict on a folded field does the same.
    await page.fill('#pledge-target_year', '');
    await page.click('#pledge-more > summary');
    await routePledgePost(page, 422, {
      error: { code: 'invalid', message: 'Some fields are not valid.', fields: { organisation: 'invalid_utf8' } },
    });
    await page.click('#pledge-submit');
    await page.waitForFunction(() => document.getElementById('pledge-organisation').getAttribute('aria-invalid') === 'true');
    assert.equal(await page.locator('#pledge-more').evaluate((d) => d.open), true);
    await assertFieldError(page, 'organisation', dict.es['reason.invalid_utf8']);
    assert.equal(await activeId(page), 'pledge-organisation');
    clearConsoleErrors(page); // the browser's own note about the 422
  } finally {
    await page.close();
  }
});

test('the whole form works from the keyboard alone', { timeout: TIMEOUT }, async () => {
  const page = await openForm('es');
  const email = 'teclado@ejemplo.org';
  try {
    await page.focus('#pledge-name');
    const type = (text) => page.keyboard.type(text);
    const tab = () => page.keyboard.press('Tab');
    const expectFocus = async (id) => assert.equal(await activeId(page), id);

    await type('Teclado Ñandú'); await tab();
    await expectFocus('pledge-email'); await type(email); await tab();
    await expectFocus('pledge-actor_type'); await type('Gob'); await tab();
    await expectFocus('pledge-country'); await type('Uruguay'); await tab();
    await expectFocus('pledge-commitment'); await type('Compraremos 10 buses eléctricos para la línea 121.'); await tab();
    // "Add details": its summary is the next stop; Enter unfolds the optional fields.
    assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
    assert.equal(await page.locator('#pledge-more').evaluate((d) => d.open), false);
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('#pledge-more').evaluate((d) => d.open), true);
    await tab();
    await expectFocus('pledge-organisation'); await tab();
    await expectFocus('pledge-city'); await type('Montevideo'); await tab();
    await expectFocus('pledge-category'); await type('Flo'); await tab();
    await expectFocus('pledge-target_year'); await type('2027'); await tab();
    await expectFocus('pledge-quantity'); await type('10'); await tab();
    await expectFocus('pledge-unit'); await type('bu'); await tab();
    await expectFocus('pledge-public'); await page.keyboard.press('Space'); await tab();
    await expectFocus('pledge-consent'); await page.keyboard.press('Space'); await tab();
    // The privacy notice link, then (the honeypot is skipped) the button.
    assert.equal(await page.evaluate(() => document.activeElement.getAttribute('href')), '/privacy-notice.html');
    await tab();
    await expectFocus('pledge-submit');
    assert.equal(await page.locator('#pledge-actor_type').inputValue(), 'government');
    assert.equal(await page.locator('#pledge-country').inputValue(), 'UY');
    assert.equal(await page.locator('#pledge-category').inputValue(), 'fleet');
    assert.equal(await page.locator('#pledge-unit').inputValue(), 'buses');

    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(PLEDGES) && r.request().method() === 'POST'),
      page.keyboard.press('Enter'),
    ]);
    assert.equal(response.status(), 202);
    await page.waitForSelector('#pledge-done', { state: 'visible' });
    await expectFocus('pledge-done-title');
    assert.equal(JSON.parse(response.request().postData()).public, true);
    await confirmationToken(email);
    assertNoConsoleErrors(page, 'keyboard');
  } finally {
    await page.close();
  }
});

test('pt: the form speaks Portuguese, country names and order included', { timeout: TIMEOUT }, async () => {
  const page = await openForm('pt');
  try {
    const labelOf = (id) => page.evaluate((i) => document.getElementById(i).labels[0].textContent.replace(/\s+/g, ' ').trim(), id);
    const req = dict.pt['common.required'];
    assert.equal(await labelOf('pledge-name'), `${dict.pt['pledge.name.label']} ${req}`);
    assert.equal(await labelOf('pledge-email'), `${dict.pt['pledge.email.label']} ${req}`);
    assert.equal(await labelOf('pledge-organisation'), dict.pt['pledge.organisation.label']);
    assert.equal(await labelOf('pledge-actor_type'), `${dict.pt['pledge.actor_type.label']} ${req}`);
    assert.equal(await labelOf('pledge-country'), `${dict.pt['pledge.country.label']} ${req}`);
    assert.equal(await labelOf('pledge-commitment'), `${dict.pt['pledge.commitment.label']} ${req}`);
    assert.equal(await labelOf('pledge-public'), dict.pt['pledge.public.label']);
    assert.match(await labelOf('pledge-consent'), new RegExp(`^${dict.pt['pledge.consent.before']} ${dict.pt['pledge.consent.link']}`));
    assert.equal(await labelOf('pledge-website'), dict.pt['pledge.honeypot']);
    assert.equal(await textOf(page, '#pledge-submit'), dict.pt['pledge.submit']);
    assert.equal(await textOf(page, '#pledge-actor_type option[value="finance"]'), dict.pt['actor.finance']);
    assert.equal(await textOf(page, '#pledge-unit option[value="buses"]'), dict.pt['unit.buses']);
    assert.equal(await page.locator('#pledge-language').inputValue(), 'pt');
    assert.equal(await page.locator('#pledge-return').inputValue(), '/?lang=pt#pledge');

    // Countries: the region first, names in Portuguese, sorted for Portuguese.
    const groups = await page.evaluate(() => [...document.querySelectorAll('#pledge-country optgroup')]
      .map((g) => ({ label: g.label, options: [...g.children].map((o) => [o.value, o.textContent]) })));
    assert.deepEqual(groups.map((g) => g.label), [dict.pt['country.group_lac'], dict.pt['country.group_other']]);
    assert.equal(groups[0].options.length, 33);
    assert.equal(groups[0].options.length + groups[1].options.length, 249);
    const names = await page.evaluate(() => {
      const dn = new Intl.DisplayNames(['pt'], { type: 'region' });
      return { BR: dn.of('BR'), KN: dn.of('KN'), DE: dn.of('DE') };
    });
    assert.deepEqual(groups[0].options.find(([c]) => c === 'BR'), ['BR', names.BR]);
    assert.ok(groups[0].options.some(([c, n]) => c === 'KN' && n === names.KN));
    assert.ok(groups[1].options.some(([c, n]) => c === 'DE' && n === names.DE));
    const sorted = await page.evaluate((list) => [...list].sort(new Intl.Collator('pt').compare), groups[0].options.map(([, n]) => n));
    assert.deepEqual(groups[0].options.map(([, n]) => n), sorted);

    // Errors come in Portuguese too, and the choice survives a language switch.
    await page.selectOption('#pledge-country', 'BR');
    await page.click('#pledge-submit');
    await assertFieldError(page, 'name', dict.pt['reason.required']);
    await page.selectOption('#lang-select', 'fr');
    await page.waitForFunction((t) => document.getElementById('pledge-name-error').textContent === t, dict.fr['reason.required']);
    assert.equal(await page.locator('#pledge-country').inputValue(), 'BR');
    assert.equal(await page.locator('#pledge-return').inputValue(), '/?lang=fr#pledge');
    await checkA11y(page, 'pt/fr form with errors');
    assertNoConsoleErrors(page, 'pt');
  } finally {
    await page.close();
  }
});

test('the wall loads 12 at a time, "load more" asks for the next page and moves focus to it', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  const asked = [];
  const item = (id) => ({
    id, name: `Persona ${id}`, organisation: id % 2 ? null : 'Cooperativa Ñuble', actor_type: 'civil_society',
    country: 'MX', city: id % 3 ? null : 'Ciudad de México', commitment: `Compromiso número ${id}.\nSegunda línea.`,
    category: id % 2 ? null : 'charging', quantity: id === 20 ? 5000000 : null, unit: id === 20 ? 'usd' : null,
    target_year: id === 20 ? 2035 : null, created_at: '2026-11-20T15:00:00Z',
  });
  try {
    await page.route(`**${PLEDGES}?*`, (route) => {
      const url = new URL(route.request().url());
      asked.push(Object.fromEntries(url.searchParams));
      const before = url.searchParams.get('before');
      const ids = before === 'CURSOR-9' ? [8, 7, 6] : [20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9];
      return route.fulfill({
        status: 200, contentType: 'application/json; charset=utf-8',
        body: JSON.stringify({ items: ids.map(item), next: before ? null : 'CURSOR-9' }),
      });
    });
    await page.goto(`${stack.base}/?lang=es#wall`);
    await page.waitForFunction(() => document.querySelectorAll('.pledge-card').length === 12);
    assert.deepEqual(asked[0], { limit: '12' });
    assert.equal(await textOf(page, '#wall-status'), plural('es', 'wall.shown', 12));
    const first = page.locator('.pledge-card').first();
    const usd = await page.evaluate(() => new Intl.NumberFormat('es', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(5000000));
    assert.deepEqual(await first.locator('dd').allTextContents(), [usd, '2035']);
    assert.equal(await first.locator('.pledge-card__text').textContent(), 'Compromiso número 20.\nSegunda línea.');
    assert.equal(await first.locator('.pledge-card__place').textContent(), 'México');

    await page.focus('#wall-more');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelectorAll('.pledge-card').length === 15);
    assert.equal(asked[1].before, 'CURSOR-9');
    assert.equal(asked[1].limit, '12');
    assert.equal(await page.evaluate(() => document.activeElement.querySelector('.pledge-card__name').textContent), 'Persona 8');
    assert.equal(await page.locator('#wall-more').isVisible(), false, 'no more pages');
    assert.equal(await textOf(page, '#wall-status'), plural('es', 'wall.shown', 15));

    // A filter starts over from the first page, with the filter in the query.
    await page.selectOption('#wall-category', 'charging');
    await page.waitForFunction(() => document.querySelectorAll('.pledge-card').length === 12);
    assert.deepEqual(asked.at(-1), { limit: '12', category: 'charging' });
    await checkA11y(page, 'wall with 12 cards');
    assertNoConsoleErrors(page, 'wall pages');

    // An API failure says so and offers a retry.
    await page.unrouteAll();
    await page.route(`**${PLEDGES}?*`, (route) => route.fulfill({
      status: 503, contentType: 'application/json; charset=utf-8', body: '{"error":{"code":"unavailable","message":"x"}}',
    }));
    await page.selectOption('#wall-category', '');
    await page.waitForFunction((t) => document.getElementById('wall-status').textContent === t, dict.es['wall.error']);
    assert.equal(await page.locator('#wall-retry').isVisible(), true);
    clearConsoleErrors(page);
  } finally {
    await page.close();
  }
});

test('on a phone-size screen the form and the wall do not overflow', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    const page = await openForm('fr', ctx);
    await page.click('#pledge-submit');
    await page.waitForSelector('#pledge-summary', { state: 'visible' });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
    assertNoConsoleErrors(page, 'phone');
  } finally {
    await ctx.close();
  }
});
