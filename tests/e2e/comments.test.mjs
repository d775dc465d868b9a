// tests/e2e/comments.test.mjs — comments from the contact page through real
// nginx + icommitd + the SMTP sink (issue 9, API.md "Comments and
// consultants"): 202 received and the note mailed to mail_from; every
// validation reason; consent only with an address; the honeypot; the
// browser-form fallback; the public-POST rate limit; comment_notify = no;
// staff's listing (newest first, topic and status filters, pages), the
// handled mark with its audit entry; the CSV export (API.md's byte rules,
// formula injection, the same bytes from icommitctl); 401 and 403.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { postJson } from './lib/http.mjs';
import { sqlite, freshAddress } from './lib/staff.mjs';
import { poll, waitMailTo, q } from './lib/pledge-helpers.mjs';
import { postForm, assertReasons, checkCsvExport, checkStaffGuards, stackWithStaff } from './lib/contact-helpers.mjs';

const PATH = '/api/v1/comments';
const HEADER = ['id', 'created_at', 'topic', 'language', 'name', 'email', 'message', 'handled_at', 'handled_by'];
let stack;
let staff;
let seq = 0;

function comment(extra = {}) {
  seq++;
  return {
    name: `Ana Pérez ${seq}`,
    email: `Comment-${seq}@Example.org`,
    topic: 'general',
    message: `Quisiera saber cómo sumarse a la campaña, número ${seq}.`,
    language: 'es',
    consent: true,
    ...extra,
  };
}

const send = (body, headers = {}) => postJson(stack.base, PATH, body, { headers });
const rows = (where) => JSON.parse(sqlite(stack.dbPath, `SELECT * FROM comments WHERE ${where} ORDER BY id`, { json: true }) || '[]');

before(async () => {
  ({ stack, staff } = await stackWithStaff({ smtp: true }));
});

after(async () => {
  await stack?.stop();
});

test('a comment is received (202), stored with the address lower-cased, and staff are mailed a note', async () => {
  const body = comment({ topic: 'partnership', message: 'Nuestra ciudad quiere\nsumarse con 40 buses eléctricos.' });
  const res = await send(body);
  assert.equal(res.status, 202, res.text);
  assert.deepEqual(res.json, { status: 'received' });
  const [row] = rows(`name = ${q(body.name)}`);
  assert.equal(row.email, body.email.toLowerCase());
  assert.equal(row.topic, 'partnership');
  assert.equal(row.message, body.message);
  assert.ok(row.consent_at > 0);
  assert.equal(row.handled_at, null);
  const mail = await waitMailTo(stack, 'icommit@localhost');
  assert.match(mail.subject, /partnership/);
  assert.ok(mail.text.includes('40 buses eléctricos'), mail.text);
  assert.ok(mail.text.includes(body.email.toLowerCase()), 'staff can answer');
  assert.ok(mail.text.includes(`${stack.base}/admin/comments.html`));
});

test('a comment without name or address needs no consent', async () => {
  const res = await send({ topic: 'press', message: 'Una pregunta anónima sobre la campaña.' });
  assert.equal(res.status, 202, res.text);
  const [row] = rows(`message = 'Una pregunta anónima sobre la campaña.'`);
  assert.equal(row.email, null);
  assert.equal(row.name, null);
  assert.equal(row.consent_at, null);
  assert.equal(row.language, 'es');
});

test('every bad field is reported at once with its reason', async () => {
  assertReasons(await send({}), { topic: 'required', message: 'required' }, 'empty');
  assertReasons(await send({
    name: 'x'.repeat(121), email: 'not-an-address', topic: 'gossip', message: 'short', language: 'de',
  }), {
    name: 'too_long', email: 'invalid_email', consent: 'required', topic: 'invalid_choice',
    message: 'too_short', language: 'invalid_choice',
  }, 'many');
  assertReasons(await send(comment({ consent: false })), { consent: 'must_be_true' }, 'consent false');
  assertReasons(await send(comment({ message: 'é'.repeat(5001) })), { message: 'too_long' }, 'long message');
  assertReasons(await send(comment({ message: 'Hola\u0000mundo, qué tal' })), { message: 'invalid_utf8' }, 'NUL');
  assertReasons(await send(comment({ name: 5, consent: 'yes' })), { name: 'wrong_type', consent: 'wrong_type' }, 'types');
  // Exactly the limits are fine; code points, not bytes, are counted.
  assert.equal((await send(comment({ message: 'ñ'.repeat(5000), name: 'ü'.repeat(120) }))).status, 202);
  assert.equal((await send(comment({ message: '  0123456789  ' }))).status, 202);
});

test('the honeypot looks like success and stores nothing', async () => {
  const before = rows('1 = 1').length;
  const res = await send(comment({ website: 'http://spam.example' }));
  assert.equal(res.status, 202);
  assert.deepEqual(res.json, { status: 'received' });
  assert.equal(rows('1 = 1').length, before);
});

test('a browser form post is answered 303 to its page with ok=1, or error=invalid', async () => {
  const body = comment({ consent: 'on', topic: 'events', return: '/contact.html?lang=pt' });
  const res = await postForm(stack, PATH, body);
  assert.equal(res.status, 303, res.text);
  assert.equal(res.headers.location, '/contact.html?lang=pt&ok=1');
  assert.equal(rows(`name = ${q(body.name)}`).length, 1);
  // An empty e-mail box in the form is no address: no consent needed.
  const anon = await postForm(stack, PATH, { name: '', email: '', topic: 'other', message: 'Sin correo desde el formulario.', return: '/contact.html' });
  assert.equal(anon.headers.location, '/contact.html?ok=1');
  const bad = await postForm(stack, PATH, { ...comment(), consent: undefined, return: '/contact.html' });
  assert.equal(bad.status, 303);
  assert.equal(bad.headers.location, '/contact.html?error=invalid');
});

test('staff list comments newest first, filter by topic and status, and page with cursors', async () => {
  for (const topic of ['pledges', 'pledges', 'pledges']) assert.equal((await send(comment({ topic }))).status, 202);
  const all = await staff.get('/comments');
  assert.equal(all.status, 200, all.text);
  const ids = all.json.items.map((c) => c.id);
  assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
  const one = all.json.items[0];
  for (const k of ['id', 'topic', 'name', 'email', 'message', 'language', 'created_at', 'consent_at', 'handled', 'handled_at', 'handled_by']) {
    assert.ok(k in one, `field ${k}`);
  }
  const byTopic = await staff.get('/comments?topic=pledges&limit=2');
  assert.equal(byTopic.json.items.length, 2);
  assert.ok(byTopic.json.items.every((c) => c.topic === 'pledges'));
  assert.ok(byTopic.json.next);
  const page2 = await staff.get(`/comments?topic=pledges&limit=2&before=${byTopic.json.next}`);
  assert.equal(page2.json.items.length, 1);
  assert.equal(page2.json.next, null);
  assert.ok(page2.json.items[0].id < byTopic.json.items[1].id);
  for (const bad of ['topic=gossip', 'status=done', 'limit=0', 'before=nope']) {
    const r = await staff.get(`/comments?${bad}`);
    assert.equal(r.status, 400, bad);
    assert.equal(r.json.error.code, 'bad_request');
  }
});

test('staff mark a comment handled and back, with an audit entry each time', async () => {
  await send(comment({ topic: 'other', message: 'Este comentario será atendido.' }));
  const id = rows(`message = 'Este comentario será atendido.'`)[0].id;
  const res = await staff.post(`/comments/${id}/handled`, { handled: true });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.id, id);
  assert.equal(res.json.handled, true);
  assert.equal(res.json.handled_by, 'ines');
  assert.match(res.json.handled_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const handled = await staff.get('/comments?status=handled');
  assert.ok(handled.json.items.some((c) => c.id === id && c.handled === true));
  const fresh = await staff.get('/comments?status=new&limit=100');
  assert.ok(!fresh.json.items.some((c) => c.id === id));
  const undo = await staff.post(`/comments/${id}/handled`, { handled: false });
  assert.equal(undo.json.handled, false);
  assert.equal(undo.json.handled_at, null);
  assert.equal(rows(`id = ${id}`)[0].handled_at, null);
  const audit = await staff.get('/audit?limit=10');
  const actions = audit.json.items.filter((a) => a.target === String(id)).map((a) => a.action);
  assert.deepEqual(actions, ['comment_unhandled', 'comment_handled']);
  assertReasons(await staff.post(`/comments/${id}/handled`, {}), { handled: 'required' });
  assertReasons(await staff.post(`/comments/${id}/handled`, { handled: 'maybe' }), { handled: 'wrong_type' });
  const missing = await staff.post('/comments/999999/handled', { handled: true });
  assert.equal(missing.status, 404);
});

test('the staff API needs a session (401) and CSRF on changes (403)', async () => {
  await checkStaffGuards(stack, staff, '/comments', '/comments/1/handled', { handled: true });
  await checkStaffGuards(stack, staff, '/export/comments.csv');
});

test('the comments CSV follows API.md: BOM, CRLF, quoting, formula injection, semicolons; icommitctl writes the same', async () => {
  const tricky = comment({ name: '=HYPERLINK("http://x")', message: '+cmd|calc, "quoted"\nsecond line ; é' });
  await send(tricky);
  const csvRows = await checkCsvExport(staff, 'comments', HEADER);
  const row = csvRows.find((r) => r[5] === tricky.email.toLowerCase());
  assert.ok(row, 'the tricky comment is exported');
  assert.equal(row[4], `'${tricky.name}`);
  assert.equal(row[6], `'${tricky.message}`);
  assert.equal(row[2], 'general');
  assert.match(row[1], /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  const ids = csvRows.slice(1).map((r) => Number(r[0]));
  assert.deepEqual(ids, [...ids].sort((a, b) => a - b), 'oldest first');
  const filtered = await checkCsvExport(staff, 'comments', HEADER, 'topic=press');
  assert.ok(filtered.slice(1).every((r) => r[2] === 'press') && filtered.length > 1);

  const http = await staff.get('/export/comments.csv?topic=pledges');
  const ctl = await stack.ctl('export', 'comments', '--topic', 'pledges');
  assert.equal(ctl.code, 0, ctl.stderr);
  assert.equal(ctl.stdout, http.body.toString('utf8'));
  const audit = await staff.get('/audit?limit=5');
  assert.ok(audit.json.items.some((a) => a.action === 'export' && a.target === 'comments'));
});

test('the public-POST rate limit applies, and comment_notify = no sends no note', async () => {
  const s = await startStack({ config: { rate_limit: 2, comment_notify: 'no' } });
  try {
    const addr = freshAddress();
    const post = () => postJson(s.base, PATH, comment(), { headers: { 'X-Forwarded-For': addr } });
    assert.equal((await post()).status, 202);
    assert.equal((await post()).status, 202);
    const limited = await post();
    assert.equal(limited.status, 429);
    assert.equal(limited.json.error.code, 'rate_limited');
    assert.ok(Number(limited.headers['retry-after']) >= 1);
    assert.equal(Number(sqlite(s.dbPath, 'SELECT count(*) FROM comments')), 2);
    assert.equal(Number(sqlite(s.dbPath, `SELECT count(*) FROM outbox WHERE kind = 'comment_notify'`)), 0);
  } finally {
    await s.stop();
  }
  // With the default (yes), each comment queues one note.
  await poll(async () => Number(sqlite(stack.dbPath, `SELECT count(*) FROM outbox WHERE kind = 'comment_notify'`)),
    (n) => n === rows('1 = 1').length, { what: 'one note per stored comment' });
});
