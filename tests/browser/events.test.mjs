// tests/browser/events.test.mjs — the event pages in Chromium against the
// real stack (nginx + icommitd + SMTP sink): registering for an event in
// Portuguese through events.html (labels, times in the event's zone and the
// visitor's, field errors from the server shown and announced, success and
// waitlist messages), the no-JavaScript form fallback (?ok=1 / ?error=CODE),
// cancelling through cancel.html with the token from the mail (nothing
// happens on load), and checking people in through admin/checkin.html on a
// phone-size touch screen. axe on every page and state; no console errors
// beyond the browser's own notes about the 4xx answers a step expects.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { postJson } from '../e2e/lib/http.mjs';
import { sqlite, q } from '../e2e/lib/pledge-helpers.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, assertOnlyStatusErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT = 90_000;
const STAFF = { username: 'porta', password: 'senha da porta 2026' };

let stack;
let context; // desktop, Portuguese, visitor in Lisbon
const dict = {};

// The event starts at 13:00 UTC six days from now: 10:00 in São Paulo
// (UTC-3 all year), 13:00 in Lisbon in winter (UTC+0); ends at 15:30 UTC.
const day = new Date();
const START = Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate() + 6, 13, 0, 0);
const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

const EVENT = {
  title: {
    es: 'Semana del Clima: ciudades y transporte',
    en: 'Climate Week: cities and transport',
    pt: 'Semana do Clima: cidades e transporte',
    fr: 'Semaine du climat : villes et transports',
  },
  description: {
    es: 'Sesión de alto nivel sobre buses eléctricos.',
    en: 'High-level session on electric buses.',
    pt: 'Sessão de alto nível sobre ônibus elétricos.',
    fr: 'Session de haut niveau sur les bus électriques.',
  },
  starts_at: iso(START),
  ends_at: iso(START + 2.5 * 3600e3),
  timezone: 'America/Sao_Paulo',
  location: 'Centro de Convenções, São Paulo',
  online_url: 'https://example.org/ao-vivo',
  capacity: 1,
  waitlist: true,
};

const ANA = { name: 'Ana Souza', email: 'ana.souza@browser-test.example.org' };
const BRUNO = { name: 'Bruno Lima', email: 'bruno.lima@browser-test.example.org' };
const CARLA = { name: 'Carla Dias', email: 'carla.dias@browser-test.example.org' };

before(async () => {
  stack = await startStack({ smtp: true });
  for (const lang of ['es', 'en', 'pt', 'fr']) {
    dict[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `events.${lang}.json`), 'utf8'));
  }
  const add = async (slug, body) => {
    const r = await stack.ctl('event', 'add', slug, { input: JSON.stringify(body) });
    assert.equal(r.code, 0, `event add ${slug}: ${r.stderr}`);
  };
  await add('semana-clima', EVENT);
  await add('sem-espera', { ...EVENT, title: { ...EVENT.title, pt: 'Diálogo ministerial' }, waitlist: false, starts_at: iso(START + 86400e3), ends_at: iso(START + 86400e3 + 3600e3) });
  await add('encerrado', { ...EVENT, title: { ...EVENT.title, pt: 'PreCOP: evento paralelo' }, registration_closes_at: iso(Date.now() - 60e3), starts_at: iso(START + 2 * 86400e3), ends_at: iso(START + 2 * 86400e3 + 3600e3) });
  const full = await postJson(stack.base, '/api/v1/events/sem-espera/registrations', {
    name: 'Primeira Pessoa', email: 'primeira@browser-test.example.org', consent: true,
  });
  assert.equal(full.status, 201, full.text);
  const u = await stack.ctl('user', 'add', STAFF.username, { input: `${STAFF.password}\n` });
  assert.equal(u.code, 0, u.stderr);
  context = await launchBrowser({ locale: 'pt-BR', timezoneId: 'Europe/Lisbon' });
});

after(async () => {
  await context?.close();
  await stack?.stop();
});


const text = async (page, sel) => (await page.locator(sel).textContent()).trim();
const registrationOf = (email) => JSON.parse(sqlite(stack.dbPath,
  `SELECT status, language, country, organisation, role, checked_in_at FROM registrations WHERE email = ${q(email)}`, { json: true }))[0];

test('events.html lists events in Portuguese with the event\'s time and the visitor\'s, and is accessible', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/events.html?lang=pt`);
    await page.waitForSelector('#event-semana-clima');
    assert.equal(await page.getAttribute('html', 'lang'), 'pt');
    assert.equal(await page.title(), dict.pt['events.page.title']);
    assert.equal(await text(page, '#events-title'), dict.pt['events.title']);
    assert.equal(await text(page, '#ev-status'), '3 próximos eventos');
    const card = page.locator('#event-semana-clima');
    assert.equal(await text(page, '#event-semana-clima-title'), EVENT.title.pt);
    assert.equal(await card.locator('.ev-status-badge').textContent(), dict.pt['status.open']);
    const facts = await card.locator('.ev-card__fact:visible').allInnerTexts();
    const row = (label) => facts.find((f) => f.startsWith(label)) ?? '';
    const eventRow = row('Horário do evento (Sao Paulo)');
    const localRow = row('No seu horário (Lisbon)');
    assert.match(eventRow, /10:00/, eventRow);
    assert.match(eventRow, /12:30/, eventRow);
    assert.match(localRow, /13:00/, localRow);
    assert.match(localRow, /15:30/, localRow);
    assert.ok(row('Local').includes(EVENT.location));
    assert.ok(row('On-line').includes(EVENT.online_url));
    assert.ok(row('Vagas').includes('Resta 1 vaga de 1'), row('Vagas'));
    assert.equal(await card.locator('time').first().getAttribute('datetime'), EVENT.starts_at);
    assert.equal(await card.locator('.ev-card__ics').getAttribute('href'), '/api/v1/events/semana-clima.ics?lang=pt');
    assert.equal(await card.locator('.ev-card__ics').textContent(), dict.pt['events.add_to_calendar']);
    // The other two: full without waitlist, closed; no register button on either.
    const full = page.locator('#event-sem-espera');
    assert.equal(await full.locator('.ev-status-badge').textContent(), dict.pt['status.full']);
    assert.equal(await full.locator('button').isVisible(), false);
    const closed = page.locator('#event-encerrado');
    assert.equal(await closed.locator('.ev-status-badge').textContent(), dict.pt['status.closed']);
    assert.equal(await closed.locator('button').isVisible(), false);
    await checkA11y(page, 'events list (pt)');

    // The .ics link works from the page.
    const ics = await page.request.get(`${stack.base}/api/v1/events/semana-clima.ics?lang=pt`);
    assert.equal(ics.status(), 200);
    assert.ok((await ics.text()).includes(`SUMMARY:${EVENT.title.pt}`));

    // Switching language re-renders the cards.
    await page.selectOption('#lang-select', 'fr');
    await page.waitForFunction(() => document.documentElement.lang === 'fr');
    assert.equal(await text(page, '#event-semana-clima-title'), EVENT.title.fr);
    assert.equal(await card.locator('.ev-status-badge').textContent(), dict.fr['status.open']);
    await page.selectOption('#lang-select', 'pt');
    await page.waitForFunction(() => document.documentElement.lang === 'pt');
    assertNoConsoleErrors(page, 'events list');
  } finally {
    await page.close();
  }
});

test('registers for an event in Portuguese through events.html: labels, server field errors announced, success, waitlist', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/events.html?lang=pt`);
    await page.waitForSelector('#event-semana-clima');
    const open = page.locator('#event-semana-clima .ev-card__actions button');
    assert.equal(await open.textContent(), dict.pt['events.register']);
    await open.click();
    await page.waitForSelector('#reg:not([hidden])');
    assert.equal(await open.getAttribute('aria-expanded'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-title');
    // The form sits in the card, in Portuguese.
    assert.equal(await page.locator('#event-semana-clima #reg-form').count(), 1);
    assert.equal(await text(page, 'label[for="reg-name"]'), `${dict.pt['reg.name.label']} ${dict.pt['common.required']}`);
    assert.equal(await text(page, 'label[for="reg-email"]'), `${dict.pt['reg.email.label']} ${dict.pt['common.required']}`);
    assert.equal(await text(page, 'label[for="reg-organisation"]'), dict.pt['reg.organisation.label']);
    assert.equal(await text(page, 'label[for="reg-role"]'), dict.pt['reg.role.label']);
    assert.equal(await text(page, 'label[for="reg-country"]'), dict.pt['reg.country.label']);
    assert.match(await text(page, 'label[for="reg-consent"]'), /^Li e aceito o aviso de privacidade/);
    assert.equal(await page.locator('label[for="reg-consent"] a').getAttribute('href'), '/privacy-notice.html');
    assert.equal(await text(page, '#reg-submit'), dict.pt['reg.submit']);
    assert.equal(await page.inputValue('#reg-language'), 'pt');
    assert.equal(await page.inputValue('#reg-return'), '/events.html?event=semana-clima&lang=pt');
    assert.equal(await page.getAttribute('#reg-form', 'action'), '/api/v1/events/semana-clima/registrations');
    await page.waitForFunction(() => document.querySelectorAll('#reg-country option').length > 200);
    assert.equal(await page.locator('#reg-country option[value="BR"]').textContent(), 'Brasil');
    await checkA11y(page, 'form open (pt)');

    // Nothing filled in: the browser's own checks, listed and focused.
    await page.click('#reg-submit');
    await page.waitForSelector('#reg-summary:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-summary');
    assert.equal(await text(page, '#reg-summary-title'), 'Há 3 dados para corrigir');
    assert.equal(await text(page, '#reg-name-error'), dict.pt['reason.required']);
    assert.equal(await text(page, '#reg-consent-error'), dict.pt['reg.consent.required']);
    assert.equal(await page.getAttribute('#reg-name', 'aria-invalid'), 'true');
    await checkA11y(page, 'client errors');

    // An address only the server refuses: its 422 reason beside the field.
    await page.fill('#reg-name', ANA.name);
    await page.fill('#reg-email', 'ana@-invalido.org');
    await page.check('#reg-consent');
    await page.click('#reg-submit');
    await page.waitForFunction(() => document.getElementById('reg-email-error').textContent !== ''
      && document.getElementById('reg-name-error').textContent === '');
    assert.equal(await text(page, '#reg-email-error'), dict.pt['reason.invalid_email']);
    assert.equal(await page.getAttribute('#reg-email', 'aria-invalid'), 'true');
    assert.match(await page.getAttribute('#reg-email', 'aria-describedby'), /reg-email-error/);
    assert.equal(await page.getAttribute('#reg-email-error', 'aria-live'), 'polite');
    assert.equal(await page.getAttribute('#reg-name', 'aria-invalid'), null);
    assert.equal(await text(page, '#reg-summary-title'), 'Há 1 dado para corrigir');
    assert.equal(await text(page, '#reg-summary-list'), `${dict.pt['reg.email.label']}: ${dict.pt['reason.invalid_email']}`);
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-summary');
    assertOnlyStatusErrors(page, [422], 'the 422');
    // The summary link takes the keyboard to the field.
    await page.click('#reg-summary-list a');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-email');

    // Corrected: registered.
    await page.fill('#reg-email', ANA.email);
    await page.fill('#reg-organisation', 'Prefeitura de São Paulo');
    await page.fill('#reg-role', 'Secretária de Mobilidade');
    await page.selectOption('#reg-country', 'BR');
    await page.click('#reg-submit');
    await page.waitForSelector('#reg-done:not([hidden])');
    assert.equal(await text(page, '#reg-done-title'), dict.pt['reg.done.registered.title']);
    assert.equal(await text(page, '#reg-done-text'), dict.pt['reg.done.registered.text'].replace('{email}', ANA.email));
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-done-title');
    assert.equal(await page.getAttribute('#reg-done-ics', 'href'), '/api/v1/events/semana-clima.ics?lang=pt');
    assert.equal(await page.locator('#reg-form').isVisible(), false);
    // The seat count follows: full, waitlist open.
    await page.waitForFunction((t) => document.querySelector('#event-semana-clima .ev-status-badge').textContent === t, dict.pt['status.full_waitlist']);
    assert.equal(await page.locator('#event-semana-clima .ev-card__actions button').first().textContent(), dict.pt['events.join_waitlist']);
    await checkA11y(page, 'registered');
    const ana = registrationOf(ANA.email);
    assert.deepEqual(ana, { status: 'registered', language: 'pt', country: 'BR', organisation: 'Prefeitura de São Paulo', role: 'Secretária de Mobilidade', checked_in_at: null });
    const mail = await stack.waitForMail((m) => m.to.includes(ANA.email));
    assert.equal(mail.subject, `Inscrição confirmada: ${EVENT.title.pt}`);
    assert.equal(mail.attachments.length, 1);

    // Someone else: the event is full, so the waitlist, with the position.
    await page.click('#reg-again');
    await page.waitForSelector('#reg-form:not([hidden])');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-name');
    assert.equal(await text(page, '#reg-title'), dict.pt['reg.title_waitlist']);
    assert.equal(await text(page, '#reg-lead'), dict.pt['reg.lead_waitlist']);
    assert.equal(await text(page, '#reg-submit'), dict.pt['reg.submit_waitlist']);
    await page.fill('#reg-name', BRUNO.name);
    await page.fill('#reg-email', BRUNO.email);
    await page.check('#reg-consent');
    await page.click('#reg-submit');
    await page.waitForSelector('#reg-done:not([hidden])');
    assert.equal(await text(page, '#reg-done-title'), dict.pt['reg.done.waitlisted.title']);
    assert.equal(await text(page, '#reg-done-text'),
      dict.pt['reg.done.waitlisted.text'].replace('{position}', '1').replace('{email}', BRUNO.email));
    assert.equal(await page.locator('#reg-done-ics').isVisible(), false, 'no calendar file for the waitlist');
    await checkA11y(page, 'waitlisted');
    assert.equal(registrationOf(BRUNO.email).status, 'waitlisted');

    // The same address again: "already".
    await page.click('#reg-again');
    await page.fill('#reg-name', BRUNO.name);
    await page.fill('#reg-email', BRUNO.email.toUpperCase());
    await page.check('#reg-consent');
    await page.click('#reg-submit');
    await page.waitForFunction((t) => document.getElementById('reg-done-title').textContent === t, dict.pt['reg.done.already_waitlisted.title']);
    assertNoConsoleErrors(page, 'registration');
  } finally {
    await page.close();
  }
});

test('without the script taking over, the form posts itself and the page shows ?ok=1 / ?error=CODE', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/events.html?event=semana-clima&lang=pt`);
    await page.waitForSelector('#reg-form:not([hidden])');
    assert.equal(await page.locator('#ev-all').isVisible(), true, '"all events" link in single-event mode');
    assert.equal(await page.locator('.ev-card').count(), 1);
    await page.fill('#reg-name', CARLA.name);
    await page.fill('#reg-email', CARLA.email);
    await page.check('#reg-consent');
    // HTMLFormElement.submit() skips the submit handler: a plain form POST.
    // The page takes ?ok=1 out of the address once it has read it, so the
    // address the form's 303 led to is read off the navigation itself.
    const [landed] = await Promise.all([
      page.waitForRequest((r) => r.isNavigationRequest() && /ok=1/.test(r.url())),
      page.evaluate(() => document.getElementById('reg-form').submit()),
    ]);
    assert.match(landed.url(), /\/events\.html\?event=semana-clima&lang=pt&ok=1&status=waitlisted$/);
    await page.waitForSelector('#reg-done:not([hidden])');
    assert.equal(await text(page, '#reg-done-title'), dict.pt['reg.done.waitlisted.title']);
    assert.equal(await text(page, '#reg-done-text'), dict.pt['reg.done.waitlisted.text_nojs']);
    assert.equal(new URL(page.url()).search, '?event=semana-clima&lang=pt', 'the outcome leaves the address');
    await checkA11y(page, 'fallback ok');
    const carla = registrationOf(CARLA.email);
    assert.equal(carla.status, 'waitlisted');
    assert.equal(carla.language, 'pt');
    assertNoConsoleErrors(page, 'fallback ok');

    await page.goto(`${stack.base}/events.html?event=sem-espera&lang=pt&error=event_full`);
    await page.waitForFunction(() => document.getElementById('reg-alert').textContent !== '');
    assert.equal(await text(page, '#reg-alert'), dict.pt['error.event_full']);
    assert.equal(await page.locator('#reg-form').isVisible(), false);
    await checkA11y(page, 'fallback error');

    await page.goto(`${stack.base}/events.html?event=encerrado&lang=pt`);
    await page.waitForSelector('#event-encerrado');
    assert.equal(await page.locator('#reg').isVisible(), false, 'no form for a closed event');
    assert.equal(await page.locator('#event-encerrado .ev-status-badge').textContent(), dict.pt['status.closed']);

    await page.goto(`${stack.base}/events.html?event=nao-existe&lang=pt`);
    await page.waitForFunction((t) => document.getElementById('ev-status').textContent === t, dict.pt['events.missing']);
    await checkA11y(page, 'unknown event');
    assertOnlyStatusErrors(page, [404], 'unknown event');
  } finally {
    await page.close();
  }
});

test('cancels through cancel.html with the token from the mail; the first on the waitlist is promoted', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    const mail = await stack.waitForMail((m) => m.to.includes(ANA.email));
    const token = /\/cancel\.html\?token=([A-Za-z0-9_-]+)/.exec(mail.text)[1];
    // The page keeps the language chosen on events.html (remembered).
    await page.goto(`${stack.base}/cancel.html?token=${token}`);
    await page.waitForSelector('#cancel-button:not([hidden])');
    assert.equal(await page.getAttribute('html', 'lang'), 'pt');
    assert.equal(await text(page, '#cancel-title'), dict.pt['cancel.title']);
    assert.equal(await text(page, '#cancel-button'), dict.pt['cancel.button']);
    await checkA11y(page, 'cancel page');
    // Opening the page changed nothing.
    await page.waitForTimeout(500);
    assert.equal(registrationOf(ANA.email).status, 'registered');

    await page.click('#cancel-button');
    await page.waitForFunction((t) => document.getElementById('cancel-result').textContent === t, dict.pt['cancel.done']);
    assert.equal(await page.getAttribute('#cancel-result', 'role'), 'status');
    assert.equal(await text(page, '#cancel-title'), dict.pt['cancel.title_done']);
    assert.equal(await page.locator('#cancel-button').isVisible(), false);
    await checkA11y(page, 'cancelled');
    assert.equal(registrationOf(ANA.email).status, 'cancelled');
    assert.equal(registrationOf(BRUNO.email).status, 'registered', 'Bruno, first on the waitlist, has the seat');
    const promoted = await stack.waitForMail((m) => m.to.includes(BRUNO.email) && /^Um lugar é seu/.test(m.subject));
    assert.equal(promoted.attachments.length, 1);
    assertNoConsoleErrors(page, 'cancel');

    // An unknown token; a link without one.
    await page.goto(`${stack.base}/cancel.html?token=${'x'.repeat(43)}`);
    await page.click('#cancel-button');
    await page.waitForFunction((t) => document.getElementById('cancel-result').textContent === t, dict.pt['cancel.unknown']);
    await checkA11y(page, 'unknown token');
    assertOnlyStatusErrors(page, [404], 'unknown token');
    await page.goto(`${stack.base}/cancel.html`);
    await page.waitForFunction((t) => document.getElementById('cancel-result').textContent === t, dict.pt['cancel.missing']);
    assert.equal(await page.locator('#cancel-button').isVisible(), false);
    assertNoConsoleErrors(page, 'no token');
  } finally {
    await page.close();
  }
});

test('checks in at the door through admin/checkin.html on a phone', { timeout: TIMEOUT }, async () => {
  const phone = await launchBrowser({
    locale: 'pt-BR', timezoneId: 'America/Sao_Paulo', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true,
  });
  try {
    const page = await phone.newPage();
    await page.goto(`${stack.base}/admin/checkin.html?event=semana-clima`);
    await page.waitForSelector('#ci-login:not([hidden])');
    assert.equal(await page.getAttribute('html', 'lang'), 'pt');
    assert.equal(await text(page, 'label[for="ci-username"]'), dict.pt['checkin.login.username']);
    assert.equal(await text(page, 'label[for="ci-password"]'), dict.pt['checkin.login.password']);
    await checkA11y(page, 'door sign-in');
    assertOnlyStatusErrors(page, [401], 'no session yet');

    await page.fill('#ci-username', STAFF.username);
    await page.fill('#ci-password', 'wrong password');
    await page.tap('#ci-login-submit');
    await page.waitForFunction((t) => document.getElementById('ci-login-error').textContent === t, dict.pt['checkin.login.wrong']);
    await checkA11y(page, 'door sign-in refused');
    assertOnlyStatusErrors(page, [401], 'wrong password');

    await page.fill('#ci-password', STAFF.password);
    await page.tap('#ci-login-submit');
    await page.waitForSelector('#ci-board:not([hidden])');
    assert.equal(await page.inputValue('#ci-event'), 'semana-clima');
    await page.waitForFunction(() => document.querySelectorAll('.ci-person').length === 2);
    assert.equal(await text(page, '#ci-count-in'), '0');
    assert.equal(await text(page, '#ci-count-of'), 'de 1 pessoa inscrita já entrou');

    await page.fill('#ci-q', 'bru');
    await page.waitForFunction(() => document.querySelectorAll('.ci-person').length === 1);
    const row = page.locator('.ci-person');
    assert.equal(await row.locator('.ci-person__name').textContent(), BRUNO.name);
    const button = row.locator('button');
    const label = button;
    assert.equal(await label.textContent(), dict.pt['checkin.checkin']);
    // Its accessible name says who: "Registrar entrada: Bruno Lima".
    assert.equal(await page.getByRole('button', { name: `${dict.pt['checkin.checkin']}: ${BRUNO.name}`, exact: true }).count(), 1);
    const box = await button.boundingBox();
    assert.ok(box.height >= 44 && box.width >= 44, `tap target ${box.width}x${box.height}`);
    await checkA11y(page, 'door list');

    await button.tap();
    await page.waitForFunction(() => document.getElementById('ci-count-in').textContent === '1');
    assert.equal(await label.textContent(), dict.pt['checkin.undo']);
    assert.match(await row.locator('.ci-person__state').textContent(), /^Entrou às \d{1,2}:\d\d$/);
    assert.equal(await text(page, '#ci-feedback'), `${BRUNO.name} entrou. Já são 1 de 1.`);
    assert.equal(await page.getAttribute('#ci-feedback', 'role'), 'status');
    assert.ok(registrationOf(BRUNO.email).checked_in_at > 0);
    await checkA11y(page, 'checked in');

    await button.tap();
    await page.waitForFunction(() => document.getElementById('ci-count-in').textContent === '0');
    assert.equal(registrationOf(BRUNO.email).checked_in_at, null);
    assert.equal(await label.textContent(), dict.pt['checkin.checkin']);

    // Waitlisted people show their place and cannot be checked in.
    await page.fill('#ci-q', 'carla');
    await page.waitForFunction(() => document.querySelector('.ci-person__name')?.textContent === 'Carla Dias');
    assert.equal(await page.locator('.ci-person__state').textContent(), 'Na lista de espera (posição 1)');
    assert.equal(await page.locator('.ci-person button').isVisible(), false);
    await page.fill('#ci-q', 'ninguém');
    await page.waitForFunction((t) => document.getElementById('ci-results').textContent === t, 'Ninguém corresponde a «ninguém».');

    // Fits the phone: nothing wider than the screen.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll');
    // Four languages.
    await page.selectOption('#lang-select', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal(await text(page, 'label[for="ci-q"]'), dict.en['checkin.search']);
    assert.equal(await text(page, '#ci-count-of'), 'of 1 registered person checked in');
    await checkA11y(page, 'door in English');
    assertNoConsoleErrors(page, 'door');

    // Signing out brings back the sign-in form.
    await page.tap('#ci-logout');
    await page.waitForSelector('#ci-login:not([hidden])');
    assertNoConsoleErrors(page, 'sign out');
  } finally {
    await phone.close();
  }
});
