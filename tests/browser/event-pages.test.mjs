// tests/browser/event-pages.test.mjs — an event from the staff console to
// the visitor and back, in Chromium against the real stack (nginx +
// icommitd + SMTP sink): staff sign in, find the console's events page in
// its navigation, see every event (past, full, upcoming), create one with
// its agenda and speakers in four languages and its times as the venue's
// clocks show them (a time outside the event refused by the server and
// shown beside its field); a visitor in Paris reading French finds it on
// the home page, opens its own page (title, agenda and speakers in French,
// times in São Paulo's clock and in theirs, the map link), registers and
// downloads the calendar file; staff then lower the capacity below the
// seats taken (the page says what that means), read the registrations and
// search them, check someone in at the door page, and export the
// registrations' CSV from the exports page. axe on every page and state;
// no console errors beyond Chromium's notes about the 4xx a step provokes.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { get, postJson } from '../e2e/lib/http.mjs';
import { addUser, PASSWORD, sqlite } from '../e2e/lib/staff.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, assertOnlyStatusErrors,
} from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 120_000;
const STAFF = 'eventos';
const SLUG = 'movilidad-sao-paulo';
const ZONE = 'America/Sao_Paulo'; // UTC-3 all year

let stack;
let staffContext; // Spanish console, in Madrid
let staffPage;
let visitor; // French, in Paris
const admin = {};
const pub = {};

const t = (dict, key, vars = {}) => {
  assert.ok(key in dict, `no words for ${key}`);
  return dict[key].replace(/\{(\w+)\}/g, (w, k) => (k in vars ? String(vars[k]) : w));
};

// The event: eight days from now, 09:30–17:00 on São Paulo's clocks.
const day = new Date(Date.now() + 8 * 86400e3).toISOString().slice(0, 10);
const nextDay = new Date(Date.parse(`${day}T12:00:00Z`) + 86400e3).toISOString().slice(0, 10);
const utc = (hhmm) => new Date(`${day}T${hhmm}:00-03:00`).toISOString().replace('.000Z', 'Z');
const EVENT = {
  title: {
    es: 'Buses eléctricos para América Latina',
    pt: 'Ônibus elétricos para a América Latina',
    en: 'Electric buses for Latin America',
    fr: 'Des bus électriques pour l’Amérique latine',
  },
  description: {
    es: 'Ministerios y ciudades comparten lo aprendido.',
    pt: 'Ministérios e cidades compartilham o que aprenderam.',
    en: 'Ministries and cities share what they learnt.',
    fr: 'Ministères et villes partagent leur expérience.',
  },
  location: 'Centro de Convenções Frei Caneca, São Paulo',
};
const AGENDA = [
  { start: '09:30', end: '10:00', title: { es: 'Apertura', pt: 'Abertura', en: 'Opening', fr: 'Ouverture' } },
  { start: '10:00', end: '11:30', title: { es: 'Panel de ciudades', pt: 'Painel das cidades', en: 'Cities panel', fr: 'Table ronde des villes' } },
];
const SPEAKERS = [
  { name: 'Marina Costa', organisation: 'SPTrans', photo: '/img/speakers/placeholder.svg',
    role: { es: 'Directora de operaciones', pt: 'Diretora de operações', en: 'Head of operations', fr: 'Directrice des opérations' } },
  { name: 'Julien Moreau', organisation: '', photo: '',
    role: { es: 'Asesor', pt: 'Assessor', en: 'Adviser', fr: 'Conseiller' } },
];

before(async () => {
  stack = await startStack({ smtp: true });
  for (const lang of LANGUAGES) {
    admin[lang] = JSON.parse(await readFile(join(root, 'www', 'admin', 'i18n', `${lang}.json`), 'utf8'));
    pub[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `events.${lang}.json`), 'utf8'));
  }
  await addUser(stack, STAFF);
  // Two events already there: one that has ended, one full.
  const base = (starts, hours) => ({
    title: { es: 'Diálogo ministerial', pt: 'Diálogo ministerial', en: 'Ministerial dialogue', fr: 'Dialogue ministériel' },
    starts_at: new Date(starts).toISOString().replace('.000Z', 'Z'),
    ends_at: new Date(starts + hours * 3600e3).toISOString().replace('.000Z', 'Z'),
    timezone: 'America/Santiago',
  });
  for (const [slug, body] of [['dialogo-pasado', base(Date.now() - 30 * 86400e3, 2)],
    ['dialogo-lleno', { ...base(Date.now() + 20 * 86400e3, 2), capacity: 1, waitlist: false }]]) {
    const r = await stack.ctl('event', 'add', slug, { input: JSON.stringify(body) });
    assert.equal(r.code, 0, r.stderr);
  }
  const full = await postJson(stack.base, '/api/v1/events/dialogo-lleno/registrations', { name: 'Primera', email: 'primera@browser-test.example.org', consent: true });
  assert.equal(full.status, 201, full.text);
  staffContext = await launchBrowser({ locale: 'es-ES', timezoneId: 'Europe/Madrid', acceptDownloads: true });
  staffPage = await staffContext.newPage();
  visitor = await launchBrowser({ locale: 'fr-FR', timezoneId: 'Europe/Paris', acceptDownloads: true });
});

after(async () => {
  await staffContext?.close();
  await visitor?.close();
  await stack?.stop();
});

const text = async (page, sel) => (await page.locator(sel).first().textContent()).trim();
const rows = (sql) => {
  const out = sqlite(stack.dbPath, sql, { json: true });
  return out ? JSON.parse(out) : [];
};
const announced = (page, want) => page.waitForFunction((w) => document.getElementById('announce').textContent === w, want);

test('staff reach the events page from the console and see every event', { timeout: TIMEOUT }, async () => {
  const page = staffPage;
  await page.goto(`${stack.base}/admin/`);
  await page.waitForSelector('#login:not([hidden])');
  await page.fill('#login-username', STAFF);
  await page.fill('#login-password', PASSWORD);
  await page.click('#login-submit');
  await page.waitForSelector('#nav:not([hidden])');
  assertOnlyStatusErrors(page, [401], 'signing in');

  const navLink = page.locator('#nav a[data-nav="events"]');
  assert.equal(await navLink.getAttribute('href'), '/admin/events.html', 'the console\'s own page, not the public one');
  await navLink.click();
  await page.waitForSelector('#events-table:not([hidden])');
  assert.equal(await page.getAttribute('#nav a[data-nav="events"]', 'aria-current'), 'page');
  assert.equal(await page.title(), t(admin.es, 'events.page_title_of', { what: admin.es['events.list_title'] }));
  const list = await page.$$eval('#events-rows tr', (trs) => trs.map((tr) => [tr.dataset.slug, ...[...tr.cells].map((c) => c.textContent.trim())]));
  assert.deepEqual(list.map((r) => r[0]), ['dialogo-lleno', 'dialogo-pasado'], 'upcoming first, then ended');
  assert.equal(list[0][3], admin.es['events.status.full']);
  assert.equal(list[0][4], t(admin.es, 'events.seats_of', { registered: 1, capacity: 1 }));
  assert.match(list[0][2], /\(America\/Santiago\)$/, 'the date in the place\'s zone, named');
  assert.equal(list[1][3], admin.es['events.status.ended']);
  assert.equal(await page.getAttribute('#events-rows tr[data-slug="dialogo-lleno"] a >> nth=0', 'aria-label'),
    t(admin.es, 'events.edit_label', { title: 'Diálogo ministerial' }));
  await checkA11y(page, 'events list');
  assertNoConsoleErrors(page, 'events list');
});

test('staff create an event with its agenda and speakers in four languages, times on the venue\'s clocks', { timeout: TIMEOUT }, async () => {
  const page = staffPage;
  await page.click('#new-event');
  await page.waitForSelector('#edit-view:not([hidden])');
  assert.ok(page.url().endsWith('/admin/events.html?new=1'));
  assert.equal(await page.evaluate(() => document.activeElement.id), 'edit-title');
  assert.equal(await text(page, '#edit-title'), admin.es['events.create_title']);
  assert.equal(await page.inputValue('#ev-timezone'), 'Europe/Madrid', 'the browser\'s zone to start with');
  await checkA11y(page, 'empty event form');

  // Nothing filled in: the page's own checks, beside the fields.
  await page.fill('#ev-timezone', '');
  await page.click('#event-save');
  await page.waitForSelector('#ev-slug-error');
  assert.equal(await page.getAttribute('#ev-title-es', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ev-slug');
  await checkA11y(page, 'event form with errors');

  await page.fill('#ev-slug', SLUG);
  for (const lang of LANGUAGES) {
    await page.fill(`#ev-title-${lang}`, EVENT.title[lang]);
    await page.fill(`#ev-description-${lang}`, EVENT.description[lang]);
  }
  await page.fill('#ev-timezone', ZONE);
  await page.waitForFunction((w) => document.getElementById('zone-note').textContent === w, t(admin.es, 'events.zone_note', { zone: ZONE }));
  await page.fill('#ev-starts', `${day}T09:30`);
  await page.fill('#ev-ends', `${day}T17:00`);
  await page.fill('#ev-location', EVENT.location);
  await page.fill('#ev-capacity', '3');
  for (const [i, item] of AGENDA.entries()) {
    await page.click('#agenda-add');
    const li = page.locator('#agenda-items > li').nth(i);
    assert.equal(await page.evaluate(() => document.activeElement.name), `agenda.${i}.starts_at_local`, 'focus in the new item');
    // The first item a day late: outside the event, refused by the server.
    await li.locator('[data-key="starts_at_local"]').fill(`${i === 0 ? nextDay : day}T${item.start}`);
    await li.locator('[data-key="ends_at_local"]').fill(`${day}T${item.end}`);
    for (const lang of LANGUAGES) await li.locator(`[data-key="title.${lang}"]`).fill(item.title[lang]);
  }
  await page.locator('#agenda-items > li').first().locator('[data-key="description.es"]').fill('Palabras de bienvenida.\nY una foto de grupo.');
  for (const [i, sp] of SPEAKERS.entries()) {
    await page.click('#speaker-add');
    const li = page.locator('#speaker-items > li').nth(i);
    await li.locator('[data-key="name"]').fill(sp.name);
    await li.locator('[data-key="organisation"]').fill(sp.organisation);
    await li.locator('[data-key="photo"]').fill(sp.photo);
    for (const lang of LANGUAGES) await li.locator(`[data-key="role.${lang}"]`).fill(sp.role[lang]);
  }
  // Order: the speakers the other way round, with the buttons.
  await page.click(`#speaker-items > li:nth-child(2) .item__up`);
  assert.equal(await page.inputValue('#speaker-items > li:first-child [data-key="name"]'), SPEAKERS[1].name);
  await page.click(`#speaker-items > li:nth-child(1) .item__down`);
  assert.equal(await page.inputValue('#speaker-items > li:first-child [data-key="name"]'), SPEAKERS[0].name);
  assert.equal(await text(page, '#speaker-items > li:first-child legend'), t(admin.es, 'events.speaker_item', { n: 1 }));
  await checkA11y(page, 'event form with agenda and speakers');

  await page.click('#event-save');
  const bad = page.locator('#agenda-items > li').first().locator('[data-key="starts_at_local"]');
  await page.waitForFunction(() => document.querySelector('#agenda-items [name="agenda.0.starts_at_local"]').getAttribute('aria-invalid') === 'true');
  const errorId = (await bad.getAttribute('aria-describedby')).split(' ')[0];
  assert.equal(await text(page, `#${errorId}`), admin.es['events.reason.agenda_starts_at_local.out_of_range']);
  assert.equal(await page.evaluate(() => document.activeElement.name), 'agenda.0.starts_at_local');
  assert.equal(rows(`SELECT count(*) AS n FROM events WHERE slug = '${SLUG}'`)[0].n, 0, 'nothing created');
  await checkA11y(page, 'event form with the server\'s error');
  assertOnlyStatusErrors(page, [422], 'the refused agenda item');

  await bad.fill(`${day}T${AGENDA[0].start}`);
  await page.click('#event-save');
  await page.waitForSelector('#list-view:not([hidden])');
  await announced(page, t(admin.es, 'events.created', { title: EVENT.title.es }));
  assert.ok(page.url().endsWith('/admin/events.html'));
  assert.deepEqual(await page.$$eval('#events-rows tr', (trs) => trs.map((tr) => tr.dataset.slug)), [SLUG, 'dialogo-lleno', 'dialogo-pasado']);

  const ev = (await get(stack.base, `/api/v1/events/${SLUG}`)).json;
  assert.equal(ev.starts_at, utc('09:30'), '09:30 in São Paulo');
  assert.equal(ev.ends_at, utc('17:00'));
  assert.equal(ev.timezone, ZONE);
  assert.equal(ev.capacity, 3);
  assert.deepEqual(ev.title, EVENT.title);
  assert.deepEqual(ev.agenda.map((a) => [a.starts_at, a.ends_at, a.title]), AGENDA.map((a) => [utc(a.start), utc(a.end), a.title]));
  assert.equal(ev.agenda[0].description.es, 'Palabras de bienvenida.\nY una foto de grupo.');
  assert.deepEqual(ev.speakers, SPEAKERS.map((s) => ({ ...s, organisation: s.organisation || null, photo: s.photo || null })));
  await checkA11y(page, 'events list after creating');
  assertNoConsoleErrors(page, 'creating an event');
});

test('a visitor finds the event on the home page, reads its page in French in both time zones, registers, gets the calendar file', { timeout: TIMEOUT }, async () => {
  const page = await visitor.newPage();
  try {
    await page.goto(`${stack.base}/`);
    const link = page.locator('#home-events-list a', { hasText: EVENT.title.fr });
    await link.waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'fr');
    assert.equal(await text(page, '#events-title'), pub.fr['home.events.title']);
    const cards = await page.$$eval('#home-events-list > li', (lis) => lis.map((li) => li.querySelector('a').textContent));
    assert.deepEqual(cards, [EVENT.title.fr, 'Dialogue ministériel'], 'upcoming events, soonest first');
    assert.match(await text(page, '#home-events-list > li:first-child time'), /9:30|09:30/);
    assert.equal(await page.getAttribute('#home-events-list > li:first-child time', 'datetime'), utc('09:30'));
    await checkA11y(page, 'home page with events');

    await link.click();
    await page.waitForURL(`${stack.base}/events.html?event=${SLUG}`);
    await page.waitForSelector('#ev-agenda:not([hidden])');
    assert.equal(await text(page, 'h1'), EVENT.title.fr);
    assert.equal(await page.title(), t(pub.fr, 'events.page.title_one', { title: EVENT.title.fr }));
    assert.equal(await text(page, `#event-${SLUG}-title`), pub.fr['events.page.facts']);
    // Agenda: French titles, São Paulo's clock, and Paris's.
    const paris = (hhmm) => new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(new Date(utc(hhmm)));
    const items = await page.$$eval('#ev-agenda-list > li', (lis) => lis.map((li) => ({
      title: li.querySelector('h3').textContent, time: li.querySelector('time').textContent, yours: li.querySelector('.ev-agenda__yours')?.textContent ?? '',
    })));
    assert.deepEqual(items.map((i) => i.title), AGENDA.map((a) => a.title.fr));
    assert.match(items[0].time, /09:30.*10:00/);
    assert.ok(items[0].yours.includes(paris('09:30')) && items[0].yours.includes('Paris'), items[0].yours);
    assert.equal(await text(page, '#ev-agenda-list > li:first-child .ev-agenda__desc'), 'Palabras de bienvenida.\nY una foto de grupo.');
    assert.equal(await page.getAttribute('#ev-agenda-list > li:first-child .ev-agenda__desc', 'lang'), 'es', 'the Spanish fallback is marked');
    // Speakers: names, French roles, the site's own photo.
    const speakers = await page.$$eval('#ev-speakers-list > li', (lis) => lis.map((li) => ({
      name: li.querySelector('h3').textContent, role: li.querySelector('.ev-speaker__role')?.textContent, photo: li.querySelector('img')?.getAttribute('src') ?? null,
    })));
    assert.deepEqual(speakers, [
      { name: SPEAKERS[0].name, role: SPEAKERS[0].role.fr, photo: SPEAKERS[0].photo },
      { name: SPEAKERS[1].name, role: SPEAKERS[1].role.fr, photo: null },
    ]);
    assert.ok(await page.evaluate(() => document.querySelector('.ev-speaker__photo').naturalWidth > 0), 'the photo loads');
    // The venue with its map, a plain link; times in both zones.
    const map = page.locator('.ev-card__map');
    assert.equal(await map.getAttribute('href'), `https://www.openstreetmap.org/search?query=${encodeURIComponent(EVENT.location)}`);
    assert.equal(await map.getAttribute('target'), null, 'opened as a normal link');
    assert.equal(await map.textContent(), pub.fr['events.map']);
    const facts = await page.locator('.ev-card__fact:visible').allInnerTexts();
    assert.ok(facts.some((f) => f.startsWith(t(pub.fr, 'events.when.event', { zone: 'Sao Paulo' })) && /9:30|09:30/.test(f)), facts.join(' | '));
    assert.ok(facts.some((f) => f.startsWith(t(pub.fr, 'events.when.yours', { zone: 'Paris' })) && f.includes(paris('09:30'))), facts.join(' | '));
    await checkA11y(page, 'event page (fr)');

    // Register: the form is open on the event's page.
    await page.waitForSelector('#reg-form:not([hidden])');
    await page.fill('#reg-name', 'Claire Dubois');
    await page.fill('#reg-email', 'claire.dubois@browser-test.example.org');
    await page.fill('#reg-organisation', 'Ville de Lyon');
    await page.check('#reg-consent');
    await page.click('#reg-submit');
    await page.waitForSelector('#reg-done:not([hidden])');
    assert.equal(await text(page, '#reg-done-title'), pub.fr['reg.done.registered.title']);
    await checkA11y(page, 'registered on the event page');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#reg-done-ics')]);
    assert.equal(download.suggestedFilename(), `${SLUG}.ics`);
    const ics = await readFile(await download.path(), 'utf8');
    assert.ok(ics.includes(`DTSTART:${utc('09:30').replace(/[-:]/g, '')}`), ics);
    assert.match(ics.replace(/\r\n /g, ''), new RegExp(`SUMMARY:${EVENT.title.fr.replace(/’/g, '.')}`));
    assert.equal(rows(`SELECT status, language FROM registrations WHERE email = 'claire.dubois@browser-test.example.org'`)[0].language, 'fr');

    // The same page in Portuguese.
    await page.selectOption('#lang-select', 'pt');
    await page.waitForFunction((w) => document.querySelector('h1').textContent === w, EVENT.title.pt);
    assert.deepEqual(await page.$$eval('#ev-agenda-list h3', (hs) => hs.map((h) => h.textContent)), AGENDA.map((a) => a.title.pt));
    assert.equal(await text(page, '#ev-speakers-title'), pub.pt['events.speakers.title']);
    await checkA11y(page, 'event page (pt)');
    assertNoConsoleErrors(page, 'event page');
  } finally {
    await page.close();
  }
});

test('staff lower the capacity below the seats taken, read and search the registrations, check someone in, export the CSV', { timeout: TIMEOUT }, async () => {
  const page = staffPage;
  const other = await postJson(stack.base, `/api/v1/events/${SLUG}/registrations`, { name: 'Ana Souza', email: 'ana.souza@browser-test.example.org', organisation: 'Prefeitura', consent: true, language: 'pt' });
  assert.equal(other.status, 201, other.text);
  await page.click(`#events-rows tr[data-slug="${SLUG}"] a >> nth=0`);
  await page.waitForSelector('#event-form:not([hidden])');
  await page.waitForFunction((w) => document.getElementById('edit-title').textContent === w, t(admin.es, 'events.edit_title', { title: EVENT.title.es }));
  // The form says it back on the venue's clocks.
  assert.equal(await page.inputValue('#ev-starts'), `${day}T09:30`);
  assert.equal(await page.inputValue('#ev-ends'), `${day}T17:00`);
  assert.equal(await page.inputValue('#ev-timezone'), ZONE);
  assert.equal(await page.inputValue('#agenda-items > li:nth-child(2) [data-key="starts_at_local"]'), `${day}T10:00`);
  assert.equal(await page.inputValue('#speaker-items > li:nth-child(1) [data-key="role.fr"]'), SPEAKERS[0].role.fr);
  assert.equal(await page.isVisible('#ev-slug'), false, 'the slug cannot change');
  await page.fill('#ev-capacity', '1');
  await page.waitForFunction((w) => document.getElementById('capacity-note').textContent === w,
    t(admin.es, 'events.capacity_below', { registered: 2, capacity: 1 }));
  await checkA11y(page, 'editing with the capacity note');
  await page.click('#event-save');
  await announced(page, t(admin.es, 'events.saved', { title: EVENT.title.es }));
  const row = page.locator(`#events-rows tr[data-slug="${SLUG}"] td`);
  assert.equal(await row.nth(3).textContent(), t(admin.es, 'events.seats_of', { registered: 2, capacity: 1 }));
  assert.equal(await row.nth(2).textContent(), admin.es['events.status.full_waitlist']);
  const ev = (await get(stack.base, `/api/v1/events/${SLUG}`)).json;
  assert.deepEqual([ev.capacity, ev.registered, ev.status], [1, 2, 'full'], 'nobody lost a seat');
  assert.equal(ev.agenda.length, 2, 'the agenda is kept');

  // The registrations, searched.
  await page.click(`#events-rows tr[data-slug="${SLUG}"] a >> nth=1`);
  await page.waitForSelector('#reg-table:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'reg-title');
  const regRows = () => page.$$eval('#reg-rows tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
  assert.deepEqual((await regRows()).map((r) => r.slice(0, 3)), [
    ['Ana Souza', 'Prefeitura', admin.es['events.reg.status.registered']],
    ['Claire Dubois', 'Ville de Lyon', admin.es['events.reg.status.registered']],
  ]);
  assert.equal(await page.getAttribute('#reg-door', 'href'), `/admin/checkin.html?event=${SLUG}`);
  await checkA11y(page, 'registrations');
  await page.fill('#reg-q', 'clai');
  await page.waitForFunction(() => document.querySelectorAll('#reg-rows tr').length === 1);
  assert.equal(await text(page, '#reg-state'), t(admin.es, 'events.reg_found.one', { count: 1, q: 'clai' }));
  await checkA11y(page, 'registrations searched');

  // Check Claire in at the door page (the same session).
  await page.click('#reg-door');
  await page.waitForSelector('#ci-board:not([hidden])');
  assert.equal(await page.inputValue('#ci-event'), SLUG);
  await page.fill('#ci-q', 'Claire');
  await page.waitForFunction(() => document.querySelectorAll('.ci-person').length === 1);
  await page.click('.ci-person button');
  await page.waitForFunction(() => document.getElementById('ci-count-in').textContent === '1');
  assert.ok(rows(`SELECT checked_in_at FROM registrations WHERE email = 'claire.dubois@browser-test.example.org'`)[0].checked_in_at > 0);
  await checkA11y(page, 'door');
  // Back: the registrations show who is in.
  await page.goBack();
  await page.waitForSelector('#reg-table:not([hidden])');
  await page.waitForFunction(() => document.querySelectorAll('#reg-rows tr').length === 2);
  const after = await regRows();
  assert.notEqual(after[1][4], admin.es['common.not_yet'], 'Claire is in');
  assert.equal(after[0][4], admin.es['common.not_yet']);

  // The CSV of this event, from the exports page.
  await page.click('#reg-export');
  await page.waitForSelector('#registrations-choice:not([hidden])');
  assert.equal(await page.inputValue('#export-event'), SLUG, 'the event chosen by the link');
  await page.check('#sep-semicolon');
  assert.equal(await page.getAttribute('#registrations-link', 'href'), `/api/v1/admin/export/registrations.csv?event=${SLUG}&sep=semicolon`);
  await checkA11y(page, 'exports with the registrations');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#registrations-link')]);
  assert.equal(download.suggestedFilename(), `icommit-registrations-${new Date().toISOString().slice(0, 10)}.csv`);
  const csv = (await readFile(await download.path(), 'utf8')).replace(/^\uFEFF/, '');
  const lines = csv.trimEnd().split('\r\n').map((l) => l.split(';'));
  assert.deepEqual(lines[0], ['id', 'registered_at', 'status', 'waitlist_position', 'name', 'email', 'organisation', 'country', 'role', 'language', 'checked_in_at']);
  assert.deepEqual(lines.slice(1).map((l) => [l[4], l[2], l[9], l[10] !== '']), [
    ['Claire Dubois', 'registered', 'fr', true],
    ['Ana Souza', 'registered', 'pt', false],
  ]);
  // Another event in the list gives its own link.
  await page.selectOption('#export-event', 'dialogo-lleno');
  assert.equal(await page.getAttribute('#registrations-link', 'href'), '/api/v1/admin/export/registrations.csv?event=dialogo-lleno&sep=semicolon');
  assertNoConsoleErrors(page, 'registrations and exports');
});
