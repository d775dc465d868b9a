// tests/e2e/consultants.test.mjs — the consultant roster through real nginx +
// icommitd + the SMTP sink (issue 9, API.md "Comments and consultants"):
// registration answers 202 pending_confirmation and mails a link in the
// person's language; nothing enters the roster before POST /api/v1/confirm
// ({"kind": "consultant"}); a repeat answers the same 202 (no enumeration),
// keeps one row and changes the profile only once its own link is
// confirmed; every validation reason; the honeypot; the browser-form
// fallback with repeated checkbox keys; staff search by expertise, country
// and FTS5 text ("gestión" finds "gestion" and back; operators and quotes
// in the input are only words); the CSV export; 401 and 403.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { postJson } from './lib/http.mjs';
import { sqlite } from './lib/staff.mjs';
import { hexOf } from './lib/db.mjs';
import { waitMailTo, confirmLink, q } from './lib/pledge-helpers.mjs';
import { postForm, assertReasons, checkCsvExport, checkStaffGuards, stackWithStaff } from './lib/contact-helpers.mjs';

const PATH = '/api/v1/consultants';
const HEADER = ['id', 'created_at', 'confirmed_at', 'name', 'email', 'country', 'organisation', 'expertise',
  'languages', 'profile_url', 'bio'];
const BIO = 'Diez años asesorando a ministerios y ciudades en electromovilidad, buses eléctricos y recarga.';
let stack;
let staff;
let seq = 0;

function consultant(extra = {}) {
  seq++;
  return {
    name: `Lucía Fernández ${seq}`,
    email: `consultant-${seq}@example.org`,
    country: 'cl',
    organisation: 'Movilidad Sur',
    expertise: ['charging', 'ev_policy'],
    languages: ['es', 'en'],
    profile_url: 'https://example.org/lucia',
    bio: BIO,
    consent: true,
    ...extra,
  };
}

const send = (body) => postJson(stack.base, PATH, body);
const confirm = (token) => postJson(stack.base, '/api/v1/confirm', { token });
const table = (name, where = '1 = 1') =>
  JSON.parse(sqlite(stack.dbPath, `SELECT * FROM ${name} WHERE ${where} ORDER BY id`, { json: true }) || '[]');

/** Registers body, waits for its n-th mail, confirms its link; returns the mail. */
async function registerConfirmed(body, n = 1) {
  const res = await send(body);
  assert.equal(res.status, 202, res.text);
  const mail = await waitMailTo(stack, body.email, { n });
  const ok = await confirm(confirmLink(mail.text).token);
  assert.equal(ok.status, 200, ok.text);
  return mail;
}

async function search(query) {
  const res = await staff.get(`/consultants?${query}`);
  assert.equal(res.status, 200, `${query}: ${res.status} ${res.text}`);
  return res.json.items.map((c) => c.name);
}

before(async () => {
  ({ stack, staff } = await stackWithStaff({ smtp: true }));
});

after(async () => {
  await stack?.stop();
});

test('double opt-in: 202, a link mailed in the chosen language, the roster only after POST /api/v1/confirm', async () => {
  const body = consultant({ language: 'pt', email: 'Lucia.Double@Example.org' });
  const res = await send(body);
  assert.equal(res.status, 202, res.text);
  assert.deepEqual(res.json, { status: 'pending_confirmation' });
  assert.equal(table('consultants').filter((c) => c.email === 'lucia.double@example.org').length, 0);
  const mail = await waitMailTo(stack, body.email);
  assert.match(mail.subject, /Confirme o seu cadastro/);
  const link = confirmLink(mail.text);
  assert.ok(link && link.url.startsWith(`${stack.base}/confirm.html?token=`), mail.text);
  const tokens = sqlite(stack.dbPath, `SELECT kind, length(hash), expires_at - created_at FROM tokens WHERE kind = 'consultant'`);
  assert.match(tokens, /^consultant\|32\|604800$/m, 'only the SHA-256 is stored, valid 7 days');
  assert.ok(!sqlite(stack.dbPath, `SELECT ${hexOf('hash')} FROM tokens`).includes(link.token));

  const list = await staff.get('/consultants');
  assert.ok(!list.json.items.some((c) => c.email === 'lucia.double@example.org'), 'not listed before confirmation');

  const ok = await confirm(link.token);
  assert.equal(ok.status, 200, ok.text);
  assert.deepEqual(ok.json, { kind: 'consultant', status: 'confirmed' });
  const again = await confirm(link.token);
  assert.deepEqual([again.status, again.json], [200, { kind: 'consultant', status: 'confirmed' }], 'idempotent');

  const [row] = table('consultants', `email = 'lucia.double@example.org'`);
  assert.equal(row.country, 'CL');
  assert.equal(row.expertise, '["ev_policy","charging"]');
  const after = await staff.get('/consultants?country=CL');
  const c = after.json.items.find((x) => x.email === 'lucia.double@example.org');
  assert.ok(c, 'listed once confirmed');
  assert.deepEqual(c.expertise, ['ev_policy', 'charging']);
  assert.deepEqual(c.languages, ['es', 'en']);
  assert.equal(c.status, 'confirmed');
  assert.equal(c.language, 'pt');
  for (const k of ['id', 'name', 'organisation', 'profile_url', 'bio', 'created_at', 'confirmed_at', 'updated_at']) assert.ok(k in c, k);
});

test('a repeat gets the same 202, keeps one row, and updates the profile only once confirmed', async () => {
  const first = consultant();
  await registerConfirmed(first);
  const repeat = { ...first, name: 'Lucía F. Actualizada', bio: `${BIO} Ahora también redes eléctricas y almacenamiento.`, expertise: ['grid'] };
  const res = await send(repeat);
  assert.equal(res.status, 202);
  assert.deepEqual(res.json, { status: 'pending_confirmation' }, 'the same answer as a new address');
  let rows = table('consultants', `email = ${q(first.email)}`);
  assert.equal(rows.length, 1);
  assert.equal(rows[0].name, first.name, 'unchanged before confirmation');
  assert.deepEqual(await search('q=almacenamiento'), []);

  const mail = await waitMailTo(stack, first.email, { n: 2 });
  const ok = await confirm(confirmLink(mail.text).token);
  assert.deepEqual(ok.json, { kind: 'consultant', status: 'confirmed' });
  rows = table('consultants', `email = ${q(first.email)}`);
  assert.equal(rows.length, 1, 'no second row');
  assert.equal(rows[0].name, 'Lucía F. Actualizada');
  assert.equal(rows[0].expertise, '["grid"]');
  assert.deepEqual(await search('q=almacenamiento'), ['Lucía F. Actualizada'], 'the search index follows the update');
  assert.deepEqual(await search(`q=${encodeURIComponent(first.name)}`), [], 'the old name is gone from the index');
  assert.equal(table('consultant_requests', `email = ${q(first.email)}`).length, 1, 'one request per address');
});

test('a later repeat makes the earlier, unconfirmed link useless', async () => {
  const body = consultant();
  await send(body);
  const m1 = await waitMailTo(stack, body.email);
  await send({ ...body, name: 'Second version' });
  const m2 = await waitMailTo(stack, body.email, { n: 2 });
  const stale = await confirm(confirmLink(m1.text).token);
  assert.equal(stale.status, 404);
  assert.equal((await confirm(confirmLink(m2.text).token)).status, 200);
  assert.equal(table('consultants', `email = ${q(body.email)}`)[0].name, 'Second version');
});

test('a link whose request is gone (erased, purged) never confirms a later registration', async () => {
  const a = consultant();
  await send(a);
  const mail = await waitMailTo(stack, a.email);
  // What an erasure or the purge does to the newest request row.
  sqlite(stack.dbPath, `DELETE FROM consultant_requests WHERE email = ${q(a.email)}`);
  const b = consultant();
  await send(b);
  await waitMailTo(stack, b.email);
  const res = await confirm(confirmLink(mail.text).token);
  assert.equal(res.status, 404, res.text);
  assert.equal(table('consultants', `email IN (${q(a.email)}, ${q(b.email)})`).length, 0);
});

test('every bad field is reported at once with its reason', async () => {
  assertReasons(await send({}), {
    name: 'required', email: 'required', expertise: 'required', bio: 'required', consent: 'required',
  }, 'empty');
  assertReasons(await send({
    name: 'n'.repeat(121), email: 'nope@', country: 'XX', organisation: 'o'.repeat(161), expertise: ['cooking'],
    languages: ['de'], profile_url: 'http://example.org', bio: 'Too short.', consent: false, language: 'it',
  }), {
    name: 'too_long', email: 'invalid_email', country: 'invalid_country', organisation: 'too_long',
    expertise: 'invalid_choice', languages: 'invalid_choice', profile_url: 'invalid_choice', bio: 'too_short',
    consent: 'must_be_true', language: 'invalid_choice',
  }, 'many');
  const nine = ['ev_policy', 'charging', 'public_transport', 'finance', 'grid', 'urban_planning', 'data', 'communication', 'other'];
  assertReasons(await send(consultant({ expertise: nine })), { expertise: 'too_long' }, 'nine');
  assertReasons(await send(consultant({ expertise: 'grid', languages: [1] })), { expertise: 'wrong_type', languages: 'wrong_type' }, 'types');
  assertReasons(await send(consultant({ expertise: [] })), { expertise: 'required' }, 'empty list');
  assertReasons(await send(consultant({ bio: 'b'.repeat(3001) })), { bio: 'too_long' }, 'long bio');
  assertReasons(await send(consultant({ bio: `${BIO}\u0007` })), { bio: 'invalid_utf8' }, 'control');
  assertReasons(await send(consultant({ profile_url: 'https://' })), { profile_url: 'invalid_choice' }, 'bare https');
  // Eight of nine, duplicates dropped, and no languages at all are fine.
  const ok = consultant({ expertise: [...nine.slice(0, 8), 'grid'], languages: undefined, profile_url: undefined });
  assert.equal((await send(ok)).status, 202);
  const [req] = table('consultant_requests', `email = ${q(ok.email)}`);
  assert.equal(JSON.parse(req.expertise).length, 8);
  assert.equal(req.languages, '[]');
});

test('the honeypot looks like success and stores nothing', async () => {
  const body = consultant({ website: 'filled' });
  const res = await send(body);
  assert.deepEqual([res.status, res.json], [202, { status: 'pending_confirmation' }]);
  assert.equal(table('consultant_requests', `email = ${q(body.email)}`).length, 0);
});

test('a browser form post with repeated checkbox keys is answered 303 with ok=1, or error=invalid', async () => {
  const body = consultant({ consent: 'on', return: '/consultants.html?lang=fr', language: 'fr' });
  const res = await postForm(stack, PATH, body);
  assert.equal(res.status, 303, res.text);
  assert.equal(res.headers.location, '/consultants.html?lang=fr&ok=1');
  const [req] = table('consultant_requests', `email = ${q(body.email)}`);
  assert.equal(req.expertise, '["ev_policy","charging"]');
  assert.equal(req.languages, '["es","en"]');
  const mail = await waitMailTo(stack, body.email);
  assert.match(mail.subject, /Confirmez votre inscription/);
  const one = consultant({ consent: 'on', expertise: 'grid', languages: 'pt', return: '/consultants.html' });
  assert.equal((await postForm(stack, PATH, one)).headers.location, '/consultants.html?ok=1');
  assert.equal(table('consultant_requests', `email = ${q(one.email)}`)[0].expertise, '["grid"]');
  const bad = await postForm(stack, PATH, { ...consultant(), expertise: undefined, consent: 'on', return: '/consultants.html' });
  assert.equal(bad.headers.location, '/consultants.html?error=invalid');
});

test('staff search by expertise, country and accent-blind free text; operators in the input are only words', async () => {
  await registerConfirmed(consultant({
    name: 'Mariana Gestión', country: 'MX', organisation: 'Instituto de Energía', expertise: ['grid', 'finance'],
    bio: `${BIO} Experta en gestion de la demanda eléctrica.`,
  }));
  await registerConfirmed(consultant({
    name: 'Paulo Santos', country: 'BR', organisation: 'Cidades "Limpas" AND Co', expertise: ['urban_planning'],
    bio: `${BIO} Planejamento urbano e gestão de frotas públicas.`,
  }));
  assert.deepEqual(await search('q=gesti%C3%B3n&limit=100'), ['Mariana Gestión'], '"gestión" finds "gestion" (and the name)');
  assert.deepEqual(await search('q=gestion+demanda'), ['Mariana Gestión'], 'words are ANDed');
  assert.deepEqual(await search('q=GESTAO'), ['Paulo Santos'], '"gestao" finds "gestão"');
  assert.deepEqual(await search('q=energ'), ['Mariana Gestión'], 'prefixes match');
  assert.deepEqual(await search('q=limpas'), ['Paulo Santos'], 'organisation is searched');
  assert.deepEqual(await search('expertise=grid&country=mx'), ['Mariana Gestión']);
  assert.deepEqual(await search('expertise=urban_planning'), ['Paulo Santos']);
  assert.deepEqual(await search('country=BR&q=gestion'), []);
  for (const nasty of ['"', 'AND', 'OR NEAR(', '"limpas" AND', '*', 'NOT paulo', '^santos', 'paulo:', '(((', 'a"b', "'; DROP TABLE consultants; --"]) {
    const res = await staff.get(`/consultants?q=${encodeURIComponent(nasty)}`);
    assert.equal(res.status, 200, `q=${nasty}: ${res.status} ${res.text}`);
  }
  assert.deepEqual(await search(`q=${encodeURIComponent('"limpas" AND')}`), ['Paulo Santos'], 'AND is a word (in the organisation)');
  for (const bad of ['expertise=cooking', 'country=XX', 'country=chile', `q=${'x'.repeat(201)}`, 'q=%FF', 'limit=101']) {
    const res = await staff.get(`/consultants?${bad}`);
    assert.equal(res.status, 400, bad);
  }
  const page = await staff.get('/consultants?limit=1');
  assert.equal(page.json.items.length, 1);
  const next = await staff.get(`/consultants?limit=1&before=${page.json.next}`);
  assert.ok(next.json.items[0].id < page.json.items[0].id);
});

test('the staff API needs a session (401) and CSRF (403)', async () => {
  await checkStaffGuards(stack, staff, '/consultants');
  await checkStaffGuards(stack, staff, '/export/consultants.csv');
});

test('the consultants CSV follows API.md and filters like the listing; icommitctl writes the same', async () => {
  await registerConfirmed(consultant({ name: '@Renata Cells', organisation: '-Org; "quoted"', expertise: ['data', 'communication'] }));
  const rows = await checkCsvExport(staff, 'consultants', HEADER);
  const row = rows.find((r) => r[3] === "'@Renata Cells");
  assert.ok(row, 'formula-like names are neutralised');
  assert.equal(row[6], `'-Org; "quoted"`);
  assert.equal(row[7], 'data communication');
  assert.equal(row[8], 'es en');
  assert.equal(row[5], 'CL');
  const grid = await checkCsvExport(staff, 'consultants', HEADER, 'expertise=grid');
  assert.ok(grid.length > 1 && grid.slice(1).every((r) => r[7].split(' ').includes('grid')));
  const http = await staff.get('/export/consultants.csv?expertise=grid&bom=0');
  const ctl = await stack.ctl('export', 'consultants', '--expertise', 'grid', '--no-bom');
  assert.equal(ctl.code, 0, ctl.stderr);
  assert.equal(ctl.stdout, http.body.toString('utf8'));
});
