// tests/e2e/admin.test.mjs — the staff API through real nginx and the real
// daemon: sessions (401 without one, 403 without the CSRF header, login
// failures that look and time alike, throttling per user name and per
// address, logout, expiry, disabled users), moderation (the wall, the
// count and the stats follow; bulk; unconfirmed pledges refused), campaign
// control (pause, edits, creation), the audit log, and the CSV export
// (parsed by Python's csv module; BOM, separators, filters, file name, the
// CLI writing the same bytes, and 1,000,000 rows in flat memory).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startStack } from './lib/stack.mjs';
import { bytesContain, hexOf, query, tokenKeyHex } from './lib/db.mjs';
import { get, postJson, request } from './lib/http.mjs';
import {
  ADMIN, JSON_TYPE, PASSWORD, addUser, assertError, confirmedPledge, fresh, freshAddress,
  loginRequest, parseCsv, publicCount, session, sessionCookieOf, signIn, sqlText, sqlite,
  submitPledge, pledgeBody, unconfirmedPledge, wallIds,
} from './lib/staff.mjs';

const TITLES = { es: 'Campaña de prueba', en: 'Test campaign', pt: 'Campanha de teste', fr: 'Campagne de test' };

/** Every route under /api/v1/admin/ that needs a session, with a plausible body. */
const STAFF_ROUTES = [
  ['GET', '/me'],
  ['POST', '/logout', {}],
  ['GET', '/pledges'],
  ['GET', '/pledges?status=confirmed&campaign=icommit&limit=5'],
  ['POST', '/pledges/1/moderation', { decision: 'approve' }],
  ['POST', '/pledges/moderation', { ids: [1, 2], decision: 'reject' }],
  ['POST', '/campaigns', { slug: 'forbidden-campaign', title: TITLES }],
  ['PUT', '/campaigns/icommit', { paused: true }],
  ['GET', '/audit'],
  ['GET', '/export/pledges.csv'],
  ['GET', '/export/pledges.csv?status=approved&sep=semicolon&bom=0'],
  ['POST', '/events', { slug: 'forbidden-event' }],
  ['PUT', '/events/some-event', { capacity: 10 }],
  ['GET', '/events/some-event/registrations?q=ana'],
  ['POST', '/registrations/1/checkin', {}],
  ['GET', '/export/registrations.csv?event=some-event'],
];
const CHANGING_ROUTES = STAFF_ROUTES.filter(([m]) => m !== 'GET');

const API_COLUMNS = ['id', 'created_at', 'confirmed_at', 'status', 'name', 'email',
  'organisation', 'actor_type', 'country', 'city', 'category', 'quantity', 'unit',
  'target_year', 'language', 'public', 'commitment'];

const iso = (t) => new Date(t * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const today = () => new Date().toISOString().slice(0, 10);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function rawSend(stack, method, p, { cookie, csrf, body } = {}) {
  const headers = {};
  if (cookie) headers.Cookie = cookie;
  if (csrf !== undefined) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) headers['Content-Type'] = JSON_TYPE;
  return request(stack.base, method, `${ADMIN}${p}`, { headers, body: body === undefined ? undefined : JSON.stringify(body) });
}

// ===========================================================================
describe('staff API', () => {
  let stack;
  let admin; // a signed-in session used by most tests

  before(async () => {
    stack = await startStack({ config: { session_hours: 1 } });
    await addUser(stack, 'alice');
    admin = await signIn(stack, 'alice');
  });

  after(async () => {
    await stack?.stop();
  });

  // ------------------------------------------------------------ sessions --

  test('every admin route answers 401 unauthorized without a valid session', async () => {
    for (const [method, p, body] of STAFF_ROUTES) {
      for (const cookie of [undefined, 'icommit_session=', 'icommit_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'icommit_session=not a token; other=1', 'other_cookie=x']) {
        const r = await rawSend(stack, method, p, { cookie, body, csrf: admin.csrf });
        assertError(r, 401, 'unauthorized', `${method} ${p} with cookie ${cookie ?? '(none)'}`);
        assert.equal(r.headers['cache-control'], 'no-store', `${method} ${p}: Cache-Control`);
      }
    }
    // The campaign the PUT above names is untouched.
    const c = await get(stack.base, '/api/v1/campaigns/icommit');
    assert.equal(c.json.status, 'open');
  });

  test('every non-GET admin route answers 403 forbidden without, or with a wrong, X-CSRF-Token', async () => {
    await addUser(stack, 'bob');
    const other = await signIn(stack, 'bob');
    assert.notEqual(other.csrf, admin.csrf, 'two sessions share a CSRF token');
    const flipped = (admin.csrf[0] === 'A' ? 'B' : 'A') + admin.csrf.slice(1);
    const wrong = [undefined, '', 'x', flipped, other.csrf, admin.csrf.slice(0, -1), `${admin.csrf}A`,
      admin.cookie.split('=')[1]];
    const auditBefore = sqlite(stack.dbPath, 'SELECT count(*) FROM audit;');
    for (const [method, p, body] of CHANGING_ROUTES) {
      for (const csrf of wrong) {
        const r = await rawSend(stack, method, p, { cookie: admin.cookie, csrf, body });
        assertError(r, 403, 'forbidden', `${method} ${p} with X-CSRF-Token ${JSON.stringify(csrf)}`);
      }
    }
    // Nothing happened: no audit entry, the campaign is not paused, the
    // session was not ended by the refused logouts.
    assert.equal(sqlite(stack.dbPath, 'SELECT count(*) FROM audit;'), auditBefore);
    assert.equal((await get(stack.base, '/api/v1/campaigns/icommit')).json.status, 'open');
    assert.equal((await admin.get('/me')).status, 200);
    // The right token is accepted (the check is not simply "always 403").
    const ok = await admin.put('/campaigns/icommit', {});
    assert.equal(ok.status, 200, ok.text);
    assert.equal((await other.post('/logout')).status, 200);
  });

  test('login sets an HttpOnly SameSite=Strict session cookie scoped to /api/v1/admin and returns the CSRF token', async () => {
    await addUser(stack, 'dana');
    const r = await loginRequest(stack, 'dana', PASSWORD);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], JSON_TYPE);
    assert.equal(r.headers['cache-control'], 'no-store');
    assert.equal(r.json.username, 'dana');
    assert.match(r.json.csrf, /^[A-Za-z0-9_-]{43}$/);
    const set = [].concat(r.headers['set-cookie']);
    assert.equal(set.length, 1, `Set-Cookie: ${set}`);
    const attrs = set[0].split(';').map((s) => s.trim());
    assert.match(attrs[0], /^icommit_session=[A-Za-z0-9_-]{43}$/);
    assert.ok(attrs.includes('HttpOnly'), set[0]);
    assert.ok(attrs.includes('SameSite=Strict'), set[0]);
    assert.ok(attrs.includes('Path=/api/v1/admin'), set[0]);
    assert.ok(attrs.includes('Max-Age=3600'), `session_hours = 1: ${set[0]}`);
    assert.ok(!attrs.includes('Secure'), `no Secure over http: ${set[0]}`);
    // /me gives the same token back (how the console restores it).
    const me = await session(stack, 'dana', attrs[0], r.json.csrf).get('/me');
    assert.equal(me.status, 200);
    assert.deepEqual(me.json, { username: 'dana', csrf: r.json.csrf });
    // Only the token's key is stored (its time and part of its SHA-256),
    // never the token.
    const token = attrs[0].split('=')[1];
    const stored = sqlite(stack.dbPath, `SELECT ${hexOf('hash')} FROM sessions;`).split('\n');
    assert.ok(stored.includes(tokenKeyHex(token).toUpperCase()), 'the session is stored by its key');
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM sessions WHERE ${bytesContain('hash', token)};`), '0');
  });

  test('login failures are indistinguishable: unknown user and wrong password get the same status, body and time', async () => {
    await addUser(stack, 'timing-user');
    // The first unknown-user login builds the dummy hash: warm it up.
    await loginRequest(stack, 'warm-up-nobody', 'whatever password');
    const unknown = [];
    const wrongPassword = [];
    let bodies = new Set();
    let headerSets = new Set();
    for (let i = 0; i < 4; i++) {
      for (const [list, user] of [[unknown, `nobody-${i}`], [wrongPassword, 'timing-user']]) {
        const t0 = process.hrtime.bigint();
        const r = await loginRequest(stack, user, `wrong password ${i}`);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        list.push(ms);
        assertError(r, 401, 'unauthorized', `login as ${user}`);
        assert.equal(sessionCookieOf(r), null, 'a failed login sets no cookie');
        bodies.add(r.text);
        headerSets.add(Object.keys(r.headers).filter((h) => h !== 'date').sort().join(','));
      }
    }
    assert.equal(bodies.size, 1, `different bodies: ${[...bodies].join(' | ')}`);
    assert.equal(headerSets.size, 1, `different headers: ${[...headerSets].join(' | ')}`);
    const u = median(unknown);
    const w = median(wrongPassword);
    console.log(`# login failure times (ms): unknown user ${unknown.map((x) => x.toFixed(1)).join(', ')} (median ${u.toFixed(1)}); `
      + `wrong password ${wrongPassword.map((x) => x.toFixed(1)).join(', ')} (median ${w.toFixed(1)})`);
    assert.ok(u < 5 * w && w < 5 * u, `login failure times differ too much: unknown ${u.toFixed(1)} ms, wrong password ${w.toFixed(1)} ms`);
  });

  test('icommitctl refuses a password shorter than 12 characters (exit 1)', async () => {
    for (const pw of ['', 'short', 'eleven char']) {
      const r = await stack.ctl('user', 'add', 'shorty', { input: `${pw}\n` });
      assert.equal(r.code, 1, `user add with ${pw.length} characters: exit ${r.code} ${r.stdout} ${r.stderr}`);
      assert.match(r.stderr, /at least 12 characters/);
    }
    const list = await stack.ctl('user', 'list');
    assert.equal(list.code, 0, list.stderr);
    assert.ok(!/^shorty\t/m.test(list.stdout), `shorty was created: ${list.stdout}`);
    assert.equal((await stack.ctl('user', 'add', 'shorty', { input: 'twelve chars\n' })).code, 0);
    const passwd = await stack.ctl('user', 'passwd', 'shorty', { input: 'too short\n' });
    assert.equal(passwd.code, 1, `user passwd with 9 characters: exit ${passwd.code}`);
    assert.equal((await loginRequest(stack, 'shorty', 'twelve chars')).status, 200, 'the old password still works');
    // Usage errors exit 2.
    assert.equal((await stack.ctl('user', 'add')).code, 2);
  });

  test('throttling: the 6th login attempt for one user name within a minute gets 429 with Retry-After', async () => {
    await addUser(stack, 'throttled');
    // At once, so that the limit's slow refill (one attempt every 12 s)
    // cannot give one back in between, however slow the build.
    const first = await Promise.all([1, 2, 3, 4, 5].map((i) => loginRequest(stack, 'throttled', `wrong guess ${i}`)));
    for (const [i, r] of first.entries()) assertError(r, 401, 'unauthorized', `attempt ${i + 1}`);
    // The 6th, from yet another address and with the right password.
    const r = await loginRequest(stack, 'throttled', PASSWORD);
    assertError(r, 429, 'rate_limited', 'attempt 6');
    assert.match(r.headers['retry-after'] ?? '', /^[1-9]\d*$/, `Retry-After: ${r.headers['retry-after']}`);
    assert.ok(Number(r.headers['retry-after']) <= 60);
    assert.equal(sessionCookieOf(r), null);
    // Other user names are not affected.
    await addUser(stack, 'not-throttled');
    assert.equal((await loginRequest(stack, 'not-throttled', PASSWORD)).status, 200);
  });

  test('throttling: the 11th login attempt from one address within a minute gets 429 with Retry-After', async () => {
    await addUser(stack, 'erin');
    const address = freshAddress();
    const first = await Promise.all(Array.from({ length: 10 }, (_, i) =>
      loginRequest(stack, `spray-${i + 1}`, 'some password', { address })));
    for (const [i, r] of first.entries()) assertError(r, 401, 'unauthorized', `attempt ${i + 1} from ${address}`);
    const r = await loginRequest(stack, 'erin', PASSWORD, { address });
    assertError(r, 429, 'rate_limited', `attempt 11 from ${address}`);
    assert.match(r.headers['retry-after'] ?? '', /^[1-9]\d*$/, `Retry-After: ${r.headers['retry-after']}`);
    // Another address is not affected.
    assert.equal((await loginRequest(stack, 'erin', PASSWORD)).status, 200);
  });

  // Issue 7 asks for throttling "after repeated failures"; the daemon
  // counts every attempt, successful ones included, so a sixth good login
  // of one account within a minute (a door team sharing it, several
  // devices) is refused. Marked todo until the daemon counts failures only.
  test('successful logins do not use up the allowance of failed ones', {
  }, async () => {
    await addUser(stack, 'busy-door');
    for (let i = 1; i <= 7; i++) {
      const r = await loginRequest(stack, 'busy-door', PASSWORD);
      assert.equal(r.status, 200, `successful login ${i} of busy-door (each from a new address): ${r.status} ${r.text}`);
    }
    const address = freshAddress();
    for (let i = 1; i <= 12; i++) {
      await addUser(stack, `office-${i}`);
      const r = await loginRequest(stack, `office-${i}`, PASSWORD, { address });
      assert.equal(r.status, 200, `successful login ${i} from one address: ${r.status} ${r.text}`);
    }
  });

  test('logout ends the session', async () => {
    await addUser(stack, 'frank');
    const s = await signIn(stack, 'frank');
    assert.equal((await s.get('/me')).status, 200);
    const out = await s.post('/logout');
    assert.equal(out.status, 200, out.text);
    const cleared = [].concat(out.headers['set-cookie'] ?? []).find((c) => c.startsWith('icommit_session='));
    assert.ok(cleared, 'logout clears the cookie');
    assert.match(cleared, /^icommit_session=;/);
    assert.match(cleared, /Max-Age=0/);
    for (const [method, p, body] of [['GET', '/me'], ['GET', '/pledges'], ['POST', '/logout', {}]]) {
      const r = await s.send(method, p, body);
      assertError(r, 401, 'unauthorized', `${method} ${p} after logout`);
    }
    assert.equal((await admin.get('/me')).status, 200, 'other sessions live on');
  });

  test('a session expires after session_hours', async () => {
    await addUser(stack, 'expiring');
    const s = await signIn(stack, 'expiring');
    const keep = admin;
    assert.equal((await s.get('/me')).status, 200);
    const expires = Number(sqlite(stack.dbPath,
      "SELECT s.expires_at - s.created_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'expiring';"));
    assert.equal(expires, 3600, 'session_hours = 1');
    sqlite(stack.dbPath, `UPDATE sessions SET expires_at = ${Math.floor(Date.now() / 1000) - 1} `
      + "WHERE user_id = (SELECT id FROM users WHERE username = 'expiring');");
    assertError(await s.get('/me'), 401, 'unauthorized', 'GET /me after expiry');
    assertError(await s.post('/pledges/1/moderation', { decision: 'approve' }), 401, 'unauthorized', 'POST after expiry');
    assert.equal((await keep.get('/me')).status, 200, 'other users keep their sessions');
  });

  test('a disabled user cannot log in and loses their sessions; enabling restores the login', async () => {
    await addUser(stack, 'carol');
    const s = await signIn(stack, 'carol');
    assert.equal((await s.get('/me')).status, 200);
    const dis = await stack.ctl('user', 'disable', 'carol');
    assert.equal(dis.code, 0, dis.stderr);
    assert.match((await stack.ctl('user', 'list')).stdout, /^carol\tdisabled\t/m);
    assertError(await s.get('/me'), 401, 'unauthorized', 'the old session');
    const refused = await loginRequest(stack, 'carol', PASSWORD);
    const unknown = await loginRequest(stack, 'nobody-at-all', PASSWORD);
    assertError(refused, 401, 'unauthorized', 'login of a disabled user');
    assert.equal(refused.text, unknown.text, 'a disabled user looks like an unknown one');
    assert.equal((await stack.ctl('user', 'enable', 'carol')).code, 0);
    assert.equal((await loginRequest(stack, 'carol', PASSWORD)).status, 200);
    assert.equal((await stack.ctl('user', 'disable', 'nobody-at-all')).code, 1);
  });

  // ---------------------------------------------------------- moderation --

  test('approving puts a pledge on the wall; rejecting a counted pledge takes it off the count and the stats', async () => {
    const p = await confirmedPledge(stack, { country: 'UY', actor_type: 'finance', category: 'charging', quantity: 40, unit: 'chargers' });
    const stats = async () => (await fresh(stack, '/api/v1/campaigns/icommit/stats')).json;
    const count0 = await publicCount(stack);
    const stats0 = await stats();
    assert.ok(!(await wallIds(stack)).includes(p.id), 'confirmed but not approved: not on the wall yet');

    let r = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'approve' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { id: p.id, status: 'approved' });
    const wall = await get(stack.base, '/api/v1/campaigns/icommit/pledges?limit=100');
    const shown = wall.json.items.find((x) => x.id === p.id);
    assert.ok(shown, 'approved: on the wall');
    assert.equal(shown.name, p.body.name);
    assert.equal(shown.email, undefined, 'never the e-mail on the wall');
    assert.equal(await publicCount(stack), count0, 'approving a confirmed pledge does not change the count');

    r = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'reject' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { id: p.id, status: 'rejected' });
    assert.ok(!(await wallIds(stack)).includes(p.id), 'rejected: off the wall');
    assert.equal(await publicCount(stack), count0 - 1, 'rejected: counter -1');
    assert.equal((await get(stack.base, '/api/v1/campaigns/icommit')).json.count, count0 - 1);
    const s1 = await stats();
    assert.equal(s1.count, stats0.count - 1);
    assert.equal(s1.by_country.UY ?? 0, (stats0.by_country.UY ?? 0) - 1);
    assert.equal(s1.by_actor_type.finance ?? 0, (stats0.by_actor_type.finance ?? 0) - 1);
    assert.equal(s1.by_category.charging ?? 0, (stats0.by_category.charging ?? 0) - 1);
    assert.equal(s1.totals.chargers ?? 0, (stats0.totals.chargers ?? 0) - 40);

    // Rejecting twice changes nothing; approving again counts it again.
    r = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'reject' });
    assert.equal(r.status, 200);
    assert.equal(await publicCount(stack), count0 - 1, 'a second rejection is not counted twice');
    r = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'approve' });
    assert.deepEqual(r.json, { id: p.id, status: 'approved' });
    assert.equal(await publicCount(stack), count0);
    assert.deepEqual(await stats(), stats0);
    assert.ok((await wallIds(stack)).includes(p.id));

    // A private pledge, approved, counts but stays off the wall.
    const hidden = await confirmedPledge(stack, { public: false });
    assert.equal((await admin.post(`/pledges/${hidden.id}/moderation`, { decision: 'approve' })).status, 200);
    assert.ok(!(await wallIds(stack)).includes(hidden.id));
  });

  test('approving a pledge its author never confirmed is refused with 409 not_confirmed', async () => {
    const p = await unconfirmedPledge(stack);
    const count0 = await publicCount(stack);
    const r = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'approve' });
    assertError(r, 409, 'not_confirmed', 'approve an unconfirmed pledge');
    const listed = await admin.get('/pledges?status=pending_confirmation&limit=100');
    assert.ok(listed.json.items.some((x) => x.id === p.id), 'still pending');
    assert.ok(!(await wallIds(stack)).includes(p.id));
    assert.equal(await publicCount(stack), count0);
    // Rejecting it is allowed and does not touch the count.
    const rej = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'reject' });
    assert.equal(rej.status, 200, rej.text);
    assert.equal(await publicCount(stack), count0);
    // Unknown pledges and bad decisions.
    assertError(await admin.post('/pledges/999999999/moderation', { decision: 'approve' }), 404, 'not_found', 'unknown id');
    const bad = await admin.post(`/pledges/${p.id}/moderation`, { decision: 'maybe' });
    assertError(bad, 422, 'invalid', 'decision maybe');
    assert.equal(bad.json.error.fields.decision, 'invalid_choice');
    assertError(await admin.post(`/pledges/${p.id}/moderation`, {}), 422, 'invalid', 'no decision');
  });

  test('bulk moderation answers per id and moves the count', async () => {
    const a = await confirmedPledge(stack);
    const b = await confirmedPledge(stack);
    const pending = await unconfirmedPledge(stack);
    const count0 = await publicCount(stack);
    let r = await admin.post('/pledges/moderation', { ids: [a.id, b.id, pending.id, 987654321], decision: 'approve' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.results, [
      { id: a.id, status: 'approved' },
      { id: b.id, status: 'approved' },
      { id: pending.id, status: 'pending_confirmation', error: 'not_confirmed' },
      { id: 987654321, error: 'not_found' },
    ]);
    const wall = await wallIds(stack);
    assert.ok(wall.includes(a.id) && wall.includes(b.id) && !wall.includes(pending.id));
    assert.equal(await publicCount(stack), count0);

    r = await admin.post('/pledges/moderation', { ids: [a.id, b.id], decision: 'reject' });
    assert.deepEqual(r.json.results, [{ id: a.id, status: 'rejected' }, { id: b.id, status: 'rejected' }]);
    assert.equal(await publicCount(stack), count0 - 2);
    const after2 = await wallIds(stack);
    assert.ok(!after2.includes(a.id) && !after2.includes(b.id));

    for (const [body, field, reason] of [
      [{ ids: [], decision: 'approve' }, 'ids', null],
      [{ ids: 'all', decision: 'approve' }, 'ids', 'wrong_type'],
      [{ ids: [a.id, 'x'], decision: 'approve' }, 'ids', 'wrong_type'],
      [{ ids: [0], decision: 'approve' }, 'ids', 'wrong_type'],
      [{ ids: [a.id] }, 'decision', 'required'],
      [{ ids: [a.id], decision: 'yes' }, 'decision', 'invalid_choice'],
      [{ decision: 'approve' }, 'ids', 'required'],
    ]) {
      const bad = await admin.post('/pledges/moderation', body);
      assertError(bad, 422, 'invalid', JSON.stringify(body));
      assert.ok(bad.json.error.fields[field], `${JSON.stringify(body)}: fields ${JSON.stringify(bad.json.error.fields)}`);
      if (reason) assert.equal(bad.json.error.fields[field], reason, JSON.stringify(body));
    }
    const tooMany = await admin.post('/pledges/moderation', { ids: Array.from({ length: 501 }, (_, i) => i + 1), decision: 'reject' });
    assertError(tooMany, 422, 'invalid', '501 ids');
    assert.equal(await publicCount(stack), count0 - 2, 'refused bulk requests change nothing');
  });

  test('the staff listing has every field, filters by status and campaign, and pages newest first', async () => {
    const p = await confirmedPledge(stack, { organisation: 'Org listing', city: 'Quito', category: 'policy', quantity: 3, unit: 'buses', target_year: 2031, language: 'fr' });
    let r = await admin.get('/pledges?status=confirmed&limit=100');
    assert.equal(r.status, 200, r.text);
    const item = r.json.items.find((x) => x.id === p.id);
    assert.ok(item);
    for (const k of ['id', 'status', 'created_at', 'confirmed_at', 'name', 'email', 'organisation', 'actor_type',
      'country', 'city', 'commitment', 'category', 'quantity', 'unit', 'target_year', 'public', 'language']) {
      assert.ok(k in item, `field ${k} missing`);
    }
    assert.equal(item.email, p.body.email);
    assert.equal(item.status, 'confirmed');
    assert.equal(item.language, 'fr');
    assert.equal(item.quantity, 3);
    assert.ok(r.json.items.every((x) => x.status === 'confirmed'));

    // Pages of 2, newest first, without overlap, down to the end.
    const seen = [];
    let cursor = null;
    for (let i = 0; i < 200; i++) {
      r = await admin.get(`/pledges?limit=2${cursor ? `&before=${cursor}` : ''}`);
      assert.equal(r.status, 200, r.text);
      seen.push(...r.json.items.map((x) => x.id));
      cursor = r.json.next;
      if (!cursor) break;
    }
    assert.deepEqual(seen, [...seen].sort((x, y) => y - x), 'newest first');
    assert.equal(new Set(seen).size, seen.length, 'no pledge twice');
    assert.equal(seen.length, Number(sqlite(stack.dbPath, 'SELECT count(*) FROM pledges;')));

    assert.equal((await admin.get('/pledges?campaign=icommit&limit=1')).status, 200);
    assertError(await admin.get('/pledges?campaign=no-such-campaign'), 404, 'not_found', 'unknown campaign');
    for (const q of ['status=bogus', 'limit=0', 'limit=101', 'limit=x', 'before=!!!']) {
      assertError(await admin.get(`/pledges?${q}`), 400, 'bad_request', q);
    }
  });

  // ----------------------------------------------------------- campaigns --

  test('pausing a campaign through PUT refuses pledges with 409 campaign_closed; unpausing opens it again', async () => {
    const before0 = (await get(stack.base, '/api/v1/campaigns/icommit')).json;
    let r = await admin.put('/campaigns/icommit', { paused: true });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'paused');
    assert.deepEqual(r.json.title, before0.title, 'a partial PUT keeps the titles');
    assert.equal(r.json.goal, before0.goal);
    const pub = await get(stack.base, '/api/v1/campaigns/icommit');
    assert.equal(pub.json.status, 'paused');
    assert.equal((await get(stack.base, '/api/v1/campaigns')).json.items.find((c) => c.slug === 'icommit').status, 'paused');

    const refused = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', pledgeBody());
    assertError(refused, 409, 'campaign_closed', 'pledge to a paused campaign');
    const form = await request(stack.base, 'POST', '/api/v1/campaigns/icommit/pledges', {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ ...pledgeBody(), consent: 'on', public: 'on', return: '/?lang=en#pledge' }).toString(),
    });
    assert.equal(form.status, 303, form.text);
    assert.match(form.headers.location, /error=campaign_closed/);

    r = await admin.put('/campaigns/icommit', { paused: false });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.status, 'open');
    assert.equal((await get(stack.base, '/api/v1/campaigns/icommit')).json.status, 'open');
    const ok = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', pledgeBody());
    assert.equal(ok.status, 202, ok.text);
  });

  test('campaign creation: slug rules, required titles, and a taken slug gets 422', async () => {
    let r = await admin.post('/campaigns', {
      slug: 'new-campaign-2027', title: TITLES, description: { es: 'Descripción', en: 'Description' }, goal: 250,
    });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.slug, 'new-campaign-2027');
    assert.deepEqual(r.json.title, TITLES);
    assert.equal(r.json.description.es, 'Descripción');
    assert.equal(r.json.goal, 250);
    assert.equal(r.json.count, 0);
    assert.equal(r.json.status, 'open');
    const pub = await get(stack.base, '/api/v1/campaigns/new-campaign-2027');
    assert.equal(pub.status, 200);
    assert.deepEqual(pub.json.title, TITLES);
    assert.equal((await fresh(stack, '/api/v1/campaigns/new-campaign-2027/counter')).json.count, 0);
    assert.equal((await submitPledge(stack, pledgeBody(), 'new-campaign-2027')).status, 202);

    const longest = 'a'.repeat(64);
    assert.equal((await admin.post('/campaigns', { slug: longest, title: TITLES })).status, 201);
    assert.equal((await admin.post('/campaigns', { slug: '0-9-x', title: TITLES })).status, 201);

    for (const slug of ['Upper', 'has space', 'under_score', 'ñandú', 'dot.ted', 'slash/ed', '', 'a'.repeat(65), 7]) {
      const bad = await admin.post('/campaigns', { slug, title: TITLES });
      assertError(bad, 422, 'invalid', `slug ${JSON.stringify(slug)}`);
      assert.ok(bad.json.error.fields.slug, `slug ${JSON.stringify(slug)}: ${bad.text}`);
    }
    assertError(await admin.post('/campaigns', { title: TITLES }), 422, 'invalid', 'no slug');
    for (const slug of ['icommit', 'new-campaign-2027']) {
      const taken = await admin.post('/campaigns', { slug, title: TITLES });
      assertError(taken, 422, 'invalid', `taken slug ${slug}`);
      assert.deepEqual(taken.json.error.fields, { slug: 'taken' });
    }
    const noTitle = await admin.post('/campaigns', { slug: 'without-title' });
    assertError(noTitle, 422, 'invalid', 'no title');
    assert.ok(noTitle.json.error.fields.title);
    const partial = await admin.post('/campaigns', { slug: 'partial-title', title: { es: 'Solo español' } });
    assertError(partial, 422, 'invalid', 'a title in one language');
    assert.equal((await get(stack.base, '/api/v1/campaigns/partial-title')).status, 404);
  });

  test('PUT edits titles, descriptions, goal, opening and closing times, and nothing it does not name', async () => {
    assert.equal((await admin.post('/campaigns', { slug: 'edit-me', title: TITLES, goal: 10 })).status, 201);
    let r = await admin.put('/campaigns/edit-me', { title: { en: 'Edited title' }, description: { fr: 'Nouvelle description' } });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json.title, { ...TITLES, en: 'Edited title' });
    assert.equal(r.json.description.fr, 'Nouvelle description');
    assert.equal(r.json.goal, 10);

    r = await admin.put('/campaigns/edit-me', { goal: 5000 });
    assert.equal(r.json.goal, 5000);
    assert.equal(r.json.title.en, 'Edited title');
    r = await admin.put('/campaigns/edit-me', { goal: null });
    assert.equal(r.json.goal, null);

    const hour = 3600;
    const now = Math.floor(Date.now() / 1000);
    r = await admin.put('/campaigns/edit-me', { opens_at: iso(now + 24 * hour), closes_at: iso(now + 48 * hour) });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.opens_at, iso(now + 24 * hour));
    assert.equal(r.json.status, 'upcoming');
    assertError(await postJson(stack.base, '/api/v1/campaigns/edit-me/pledges', pledgeBody()), 409, 'campaign_closed', 'upcoming');
    r = await admin.put('/campaigns/edit-me', { opens_at: iso(now - 48 * hour), closes_at: iso(now - 24 * hour) });
    assert.equal(r.json.status, 'closed');
    assertError(await postJson(stack.base, '/api/v1/campaigns/edit-me/pledges', pledgeBody()), 409, 'campaign_closed', 'closed');
    r = await admin.put('/campaigns/edit-me', { opens_at: null, closes_at: null });
    assert.equal(r.json.status, 'open');
    assert.equal(r.json.opens_at, null);
    assert.equal(r.json.closes_at, null);

    for (const [body, field] of [
      [{ opens_at: iso(now + 2 * hour), closes_at: iso(now + hour) }, 'closes_at'],
      [{ opens_at: 'tomorrow' }, 'opens_at'],
      [{ goal: -1 }, 'goal'],
      [{ goal: 'many' }, 'goal'],
      [{ goal: 1.5 }, 'goal'],
      [{ paused: 'yes' }, 'paused'],
      [{ title: 'Just a string' }, 'title'],
      [{ title: { es: 'x'.repeat(201) } }, 'title.es'],
    ]) {
      const bad = await admin.put('/campaigns/edit-me', body);
      assertError(bad, 422, 'invalid', JSON.stringify(body));
      assert.ok(bad.json.error.fields[field], `${JSON.stringify(body)}: ${bad.text}`);
    }
    assert.equal((await get(stack.base, '/api/v1/campaigns/edit-me')).json.status, 'open', 'refused edits change nothing');
    assertError(await admin.put('/campaigns/no-such-campaign', { paused: true }), 404, 'not_found', 'unknown slug');
  });

  test('PUT refuses an empty title, as POST does', {
  }, async () => {
    assert.equal((await admin.post('/campaigns', { slug: 'title-kept', title: TITLES })).status, 201);
    for (const title of ['', '   ']) {
      const r = await admin.put('/campaigns/title-kept', { title: { es: title } });
      assertError(r, 422, 'invalid', `title.es ${JSON.stringify(title)}`);
      assert.equal(r.json.error.fields['title.es'], 'required');
    }
    assert.equal((await get(stack.base, '/api/v1/campaigns/title-kept')).json.title.es, TITLES.es);
  });

  // --------------------------------------------------------------- audit --

  test('the audit log records login, logout, approve, reject, campaign edits and exports with the user name', async () => {
    await addUser(stack, 'auditor');
    const s = await signIn(stack, 'auditor');
    const a = await confirmedPledge(stack);
    const b = await confirmedPledge(stack);
    assert.equal((await s.post(`/pledges/${a.id}/moderation`, { decision: 'approve' })).status, 200);
    assert.equal((await s.post(`/pledges/${b.id}/moderation`, { decision: 'reject' })).status, 200);
    assert.equal((await s.post('/pledges/moderation', { ids: [a.id], decision: 'reject' })).status, 200);
    assert.equal((await s.put('/campaigns/icommit', { goal: 1000 })).status, 200);
    assert.equal((await s.post('/campaigns', { slug: 'audited-campaign', title: TITLES })).status, 201);
    assert.equal((await s.get('/export/pledges.csv?status=approved&sep=semicolon')).status, 200);
    assert.equal((await s.post('/logout')).status, 200);

    const r = await admin.get('/audit?limit=100');
    assert.equal(r.status, 200, r.text);
    const mine = r.json.items.filter((e) => e.username === 'auditor');
    const find = (action, target) => mine.find((e) => e.action === action && (target === undefined || e.target === target));
    assert.ok(find('login'), `no login entry: ${JSON.stringify(mine)}`);
    assert.ok(find('approve', String(a.id)), `no approve entry: ${JSON.stringify(mine)}`);
    assert.ok(find('reject', String(b.id)), 'no reject entry');
    assert.ok(find('reject', 'bulk'), 'no bulk reject entry');
    assert.ok(find('campaign_edit', 'icommit'), 'no campaign_edit entry');
    assert.ok(find('campaign_create', 'audited-campaign'), 'no campaign_create entry');
    const exp = find('export', 'pledges');
    assert.ok(exp, 'no export entry');
    assert.match(exp.detail ?? '', /status=approved/);
    assert.ok(find('logout'), 'no logout entry');
    for (const e of mine) {
      assert.match(e.at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.ok(Date.now() - Date.parse(e.at) < 10 * 60 * 1000, `recent: ${e.at}`);
    }
    // In order: the newest first, the login before everything else it did.
    const ids = r.json.items.map((e) => e.id);
    assert.deepEqual(ids, [...ids].sort((x, y) => y - x));
    assert.ok(find('logout').id > find('export').id && find('export').id > find('login').id);
    // Paging.
    const p1 = await admin.get('/audit?limit=2');
    assert.equal(p1.json.items.length, 2);
    assert.ok(p1.json.next);
    const p2 = await admin.get(`/audit?limit=2&before=${p1.json.next}`);
    assert.ok(p2.json.items.every((e) => e.id < p1.json.items[1].id));
    assertError(await admin.get('/audit?limit=0'), 400, 'bad_request', 'limit=0');
  });

  test('the audit log records only decisions that happened, and names the pledges of a bulk decision', {
  }, async () => {
    const pending = await unconfirmedPledge(stack);
    const a = await confirmedPledge(stack);
    const b = await confirmedPledge(stack);
    const last = () => Number(sqlite(stack.dbPath, 'SELECT coalesce(max(id), 0) FROM audit;'));
    let mark = last();
    assert.equal((await admin.post(`/pledges/${pending.id}/moderation`, { decision: 'approve' })).status, 409);
    assert.equal((await admin.post('/pledges/999999998/moderation', { decision: 'reject' })).status, 404);
    assert.equal(last(), mark, `refused decisions were audited: ${sqlite(stack.dbPath, `SELECT * FROM audit WHERE id > ${mark};`)}`);
    mark = last();
    assert.equal((await admin.post('/pledges/moderation', { ids: [a.id, b.id], decision: 'approve' })).status, 200);
    const entries = sqlite(stack.dbPath, `SELECT coalesce(target, '') || ' ' || coalesce(detail, '') FROM audit WHERE id > ${mark};`);
    for (const id of [a.id, b.id]) {
      assert.match(entries, new RegExp(`\\b${id}\\b`), `the bulk approval's audit entries do not name pledge ${id}: ${entries}`);
    }
  });

  // ------------------------------------------------------------- exports --

  describe('CSV export of pledges', () => {
    // Text that spreadsheets and CSV readers get wrong, for every text column.
    const TRICKY = [
      'Comma, inside',
      'Quote "inside" and ""doubled""',
      '"Starts with a quote',
      'Line one\nline two',
      'CRLF one\r\nline two',
      'lone CR\rinside',
      'Acentos: áéíóú ñ ç ã õ ü — “comillas” «angulares» l’été',
      'Emoji 🚌⚡🔌 and a ZWJ sequence 👩🏽‍🔧',
      '=SUM(1+1)',
      '=HYPERLINK("http://evil.example","click")',
      '+1 555 0100',
      '-2+3',
      '@SUM(A1)',
      '\tTab first',
      '\rCR first',
      '\nLF first',
      'semi;colon',
      'trailing space ',
      '  leading spaces',
      "' already an apostrophe",
      'ends with a comma,',
      '',
    ];
    const FORMULA = /^[=+\-@\t\r\n]/;
    const cell = (v) => (v === null || v === undefined ? '' : FORMULA.test(v) ? `'${v}` : v);
    const rows = new Map(); // id -> the expected CSV row (array of 17 strings)
    let csvCampaignId;
    let datesCampaignId;
    let dates; // created_at of the csv-dates rows, by label

    before(async () => {
      for (const slug of ['csv-test', 'csv-dates']) {
        const r = await admin.post('/campaigns', { slug, title: TITLES });
        assert.equal(r.status, 201, r.text);
      }
      csvCampaignId = Number(sqlite(stack.dbPath, "SELECT id FROM campaigns WHERE slug = 'csv-test';"));
      datesCampaignId = Number(sqlite(stack.dbPath, "SELECT id FROM campaigns WHERE slug = 'csv-dates';"));

      // Straight into the database, so that any text at all is there
      // (the API trims and refuses control characters; the export must be
      // safe whatever the table holds).
      const base = Date.UTC(2025, 5, 15, 12) / 1000;
      const n = TRICKY.length;
      const inserts = [];
      for (let i = 0; i < n; i++) {
        const p = {
          status: ['confirmed', 'approved', 'rejected', 'pending_confirmation'][i % 4],
          created_at: base + i,
          confirmed_at: i % 4 === 3 ? null : base + i + 60,
          name: TRICKY[i],
          email: i % 3 === 0 ? `${['=', '+', '-', '@'][i % 4]}csv-${i}@example.org` : `csv-${i}@example.org`,
          organisation: TRICKY[(i + 1) % n] === '' ? null : TRICKY[(i + 1) % n],
          actor_type: 'civil_society',
          country: 'BR',
          city: TRICKY[(i + 2) % n],
          commitment: TRICKY[(i + 3) % n],
          category: i % 2 ? 'awareness' : null,
          quantity: i % 2 ? i * 1000 : null,
          unit: i % 2 ? 'people' : null,
          target_year: i % 2 ? 2030 + i : null,
          public: i % 2,
          language: ['es', 'en', 'pt', 'fr'][i % 4],
        };
        inserts.push(`INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, email_key, organisation,
            actor_type, country, city, commitment, category, quantity, unit, target_year, public, language,
            consent_at, created_at)
          VALUES (${csvCampaignId}, '${p.status}', ${p.confirmed_at ?? 'NULL'}, ${sqlText(p.name)}, ${sqlText(p.email)},
            ${sqlText(`csv-${i}@example.org`)}, ${sqlText(p.organisation)}, '${p.actor_type}', '${p.country}',
            ${sqlText(p.city)}, ${sqlText(p.commitment)}, ${sqlText(p.category)}, ${p.quantity ?? 'NULL'},
            ${sqlText(p.unit)}, ${p.target_year ?? 'NULL'}, ${p.public}, '${p.language}', ${p.created_at}, ${p.created_at})
          RETURNING id;`);
        p.sqlIndex = i;
        inserts.push(p);
      }
      for (let i = 0; i < inserts.length; i += 2) {
        const id = Number(sqlite(stack.dbPath, inserts[i]));
        const p = inserts[i + 1];
        rows.set(id, [String(id), iso(p.created_at), p.confirmed_at ? iso(p.confirmed_at) : '', p.status,
          cell(p.name), cell(p.email), cell(p.organisation), p.actor_type, p.country, cell(p.city),
          p.category ?? '', p.quantity === null ? '' : String(p.quantity), p.unit ?? '',
          p.target_year === null ? '' : String(p.target_year), p.language, p.public ? 'true' : 'false',
          cell(p.commitment)]);
      }

      // And one through the API, as the public sends it.
      const body = pledgeBody({
        name: 'Ana "Nani" Pérez, 🚌', organisation: '=1+1 Transportes, S.A.', city: '@São Paulo',
        commitment: '-Electrificar 1.200 buses;\n"todos" antes de 2030, con cargadores ⚡\r\nfin.',
        actor_type: 'government', country: 'MX', category: 'fleet', quantity: 1200, unit: 'buses',
        target_year: 2030, public: true, language: 'pt',
      });
      const res = await submitPledge(stack, body, 'csv-test');
      assert.equal(res.status, 202);
      const [stored] = JSON.parse(sqlite(stack.dbPath,
        `SELECT id, created_at, commitment FROM pledges WHERE email = ${sqlText(body.email)};`, { json: true }));
      rows.set(stored.id, [String(stored.id), iso(stored.created_at), '', 'pending_confirmation', body.name,
        body.email, `'${body.organisation}`, 'government', 'MX', `'${body.city}`, 'fleet', '1200', 'buses', '2030',
        'pt', 'true', `'${stored.commitment}`]);
      assert.ok(stored.commitment.startsWith('-Electrificar'), `stored as sent: ${JSON.stringify(stored.commitment)}`);

      // Rows at known times for the from/to filters.
      dates = {
        jan: Date.UTC(2025, 0, 15) / 1000,
        mar: Date.UTC(2025, 2, 1) / 1000,   // exactly 2025-03-01T00:00:00Z
        jun: Date.UTC(2025, 5, 15) / 1000,  // exactly 2025-06-15T00:00:00Z
        dec: Date.UTC(2025, 11, 31, 23, 59, 59) / 1000,
      };
      const statuses = { jan: 'approved', mar: 'confirmed', jun: 'rejected', dec: 'pending_confirmation' };
      for (const [label, t] of Object.entries(dates)) {
        sqlite(stack.dbPath, `INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, email_key, actor_type,
            country, commitment, consent_at, created_at)
          VALUES (${datesCampaignId}, '${statuses[label]}', ${statuses[label] === 'pending_confirmation' ? 'NULL' : t},
            'Fecha ${label}', 'date-${label}@example.org', 'date-${label}@example.org', 'individual', 'AR',
            'Compromiso con fecha ${label}', ${t}, ${t});`);
      }
    });

    /** GET the export with `query` as alice; asserts 200 and CSV headers. */
    async function exportCsv(query = '') {
      const r = await admin.get(`/export/pledges.csv${query ? `?${query}` : ''}`);
      assert.equal(r.status, 200, `export ?${query}: ${r.status} ${r.text.slice(0, 300)}`);
      assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.equal(r.headers['x-content-type-options'], 'nosniff');
      return r;
    }

    /** Asserts every record ends with CRLF: no bare CR or LF outside quotes. */
    function assertCrlf(text) {
      let quoted = false;
      let records = 0;
      for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (c === '"') quoted = !quoted;
        else if (!quoted && c === '\r') {
          assert.equal(text[i + 1], '\n', `a CR outside quotes without LF at ${i}: ${JSON.stringify(text.slice(i - 40, i + 10))}`);
          records++;
          i++;
        } else if (!quoted && c === '\n') {
          assert.fail(`a bare LF outside quotes at ${i}: ${JSON.stringify(text.slice(i - 40, i + 10))}`);
        }
      }
      assert.ok(!quoted, 'unbalanced quotes');
      assert.ok(text.endsWith('\r\n'), 'the last record ends with CRLF');
      return records;
    }

    test('every text column round-trips through Python\'s csv module, formula-looking cells get a leading apostrophe', async () => {
      const r = await exportCsv('campaign=csv-test');
      const parsed = parseCsv(r.body);
      assert.deepEqual(parsed[0], API_COLUMNS, 'header row and column order');
      const records = assertCrlf(r.body.subarray(3).toString('utf8'));
      assert.equal(records, parsed.length, 'one CRLF per record');
      assert.equal(parsed.length - 1, rows.size, 'one row per pledge of the campaign');
      const ids = parsed.slice(1).map((row) => Number(row[0]));
      assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'rows in id order');
      for (const row of parsed.slice(1)) {
        assert.equal(row.length, API_COLUMNS.length, `row ${row[0]} has ${row.length} cells`);
        const want = rows.get(Number(row[0]));
        assert.ok(want, `unexpected row ${row[0]}`);
        for (let c = 0; c < API_COLUMNS.length; c++) {
          assert.equal(row[c], want[c], `row ${row[0]}, column ${API_COLUMNS[c]}: ${JSON.stringify(row[c])} != ${JSON.stringify(want[c])}`);
        }
      }
      // Every tricky value went through every text column.
      const textCols = ['name', 'organisation', 'city', 'commitment'].map((c) => API_COLUMNS.indexOf(c));
      for (const c of textCols) {
        const values = new Set(parsed.slice(1).map((row) => row[c]));
        for (const v of TRICKY) {
          if (c === API_COLUMNS.indexOf('organisation') && v === '') continue;
          assert.ok(values.has(cell(v)), `column ${API_COLUMNS[c]} never held ${JSON.stringify(v)}`);
        }
      }
    });

    test('a UTF-8 byte-order mark by default, none with bom=0', async () => {
      const withBom = await exportCsv('campaign=csv-dates');
      assert.deepEqual([...withBom.body.subarray(0, 5)], [0xef, 0xbb, 0xbf, 0x69, 0x64], 'BOM then "id"');
      const without = await exportCsv('campaign=csv-dates&bom=0');
      assert.equal(without.body.subarray(0, 3).toString('latin1'), 'id,');
      assert.ok(without.body.equals(withBom.body.subarray(3)), 'the same bytes after the BOM');
      assert.deepEqual(parseCsv(without.body, { bom: false }), parseCsv(withBom.body));
      assert.ok((await exportCsv('campaign=csv-dates&bom=1')).body.equals(withBom.body));
    });

    test('sep=semicolon writes the same cells separated by semicolons', async () => {
      const comma = parseCsv((await exportCsv('campaign=csv-test')).body);
      const r = await exportCsv('campaign=csv-test&sep=semicolon');
      const text = r.body.subarray(3).toString('utf8');
      assert.ok(text.startsWith(`${API_COLUMNS.join(';')}\r\n`), `header: ${JSON.stringify(text.slice(0, 200))}`);
      assertCrlf(text);
      const semi = parseCsv(r.body, { sep: ';' });
      assert.deepEqual(semi, comma);
      // A cell with a semicolon is quoted; parsing it with commas would split it.
      assert.match(text, /"semi;colon"/);
      assert.ok((await exportCsv('campaign=csv-test&sep=comma')).body.equals((await exportCsv('campaign=csv-test')).body));
    });

    test('filters: campaign, status, from (inclusive) and to (exclusive)', async () => {
      const idsOf = async (query) => parseCsv((await exportCsv(query)).body).slice(1).map((row) => row[4]);
      assert.deepEqual(await idsOf('campaign=csv-dates'), ['Fecha jan', 'Fecha mar', 'Fecha jun', 'Fecha dec']);
      assert.deepEqual(await idsOf('campaign=csv-dates&status=approved'), ['Fecha jan']);
      assert.deepEqual(await idsOf('campaign=csv-dates&status=pending_confirmation'), ['Fecha dec']);
      assert.deepEqual(await idsOf('campaign=csv-dates&from=2025-03-01T00:00:00Z'), ['Fecha mar', 'Fecha jun', 'Fecha dec']);
      assert.deepEqual(await idsOf('campaign=csv-dates&to=2025-06-15T00:00:00Z'), ['Fecha jan', 'Fecha mar']);
      assert.deepEqual(await idsOf('campaign=csv-dates&from=2025-03-01&to=2025-12-31'), ['Fecha mar', 'Fecha jun']);
      assert.deepEqual(await idsOf('campaign=csv-dates&from=2025-02-01T00:00:00Z&to=2026-01-01T00:00:00Z&status=rejected'), ['Fecha jun']);
      assert.deepEqual(await idsOf('campaign=csv-dates&from=2030-01-01'), []);
      // Without a campaign: every campaign, these rows included.
      const all = parseCsv((await exportCsv('')).body);
      assert.equal(all.length - 1, Number(sqlite(stack.dbPath, 'SELECT count(*) FROM pledges;')));
      const approved = parseCsv((await exportCsv('status=approved')).body).slice(1);
      assert.ok(approved.length > 0 && approved.every((row) => row[3] === 'approved'));
      // Bad filters.
      assertError(await admin.get('/export/pledges.csv?campaign=no-such-campaign'), 404, 'not_found', 'unknown campaign');
      for (const q of ['status=maybe', 'from=yesterday', 'to=2025-13-01', 'sep=tab', 'bom=2', 'from=2025-02-30']) {
        assertError(await admin.get(`/export/pledges.csv?${q}`), 400, 'bad_request', q);
      }
    });

    test('the file name carries today\'s date', async () => {
      const before1 = today();
      const r = await exportCsv('campaign=csv-dates');
      const after1 = today();
      const cd = r.headers['content-disposition'];
      assert.ok([before1, after1].some((d) => cd === `attachment; filename="icommit-pledges-${d}.csv"`), `Content-Disposition: ${cd}`);
    });

    test('icommitctl export writes byte for byte what the HTTP export sends', async () => {
      const cases = [
        ['', []],
        ['campaign=csv-test', ['--campaign', 'csv-test']],
        ['campaign=csv-test&sep=semicolon&bom=0', ['--campaign', 'csv-test', '--sep', 'semicolon', '--no-bom']],
        ['campaign=csv-dates&status=approved', ['--campaign', 'csv-dates', '--status', 'approved']],
        ['campaign=csv-dates&from=2025-03-01T00:00:00Z&to=2025-12-31T00:00:00Z',
          ['--campaign', 'csv-dates', '--from', '2025-03-01T00:00:00Z', '--to', '2025-12-31T00:00:00Z']],
        ['status=rejected&sep=semicolon', ['--status', 'rejected', '--sep', 'semicolon']],
      ];
      let n = 0;
      for (const [query, args] of cases) {
        const httpBody = (await exportCsv(query)).body;
        const file = path.join(stack.dir, `cli-export-${n++}.csv`);
        const r = await stack.ctl('export', 'pledges', ...args, '-o', file);
        assert.equal(r.code, 0, `icommitctl export pledges ${args.join(' ')}: ${r.stderr}`);
        const cliBody = fs.readFileSync(file);
        assert.ok(cliBody.equals(httpBody),
          `icommitctl export pledges ${args.join(' ')} differs from ?${query} (${cliBody.length} vs ${httpBody.length} bytes)`);
        assert.match(r.stderr, /\d+ pledges written to /);
      }
      // To standard output too (the same UTF-8 text).
      const out = await stack.ctl('export', 'pledges', '--campaign', 'csv-test');
      assert.equal(out.code, 0, out.stderr);
      assert.equal(out.stdout, (await exportCsv('campaign=csv-test')).text);
      // It will not overwrite a file, and refuses unknown campaigns.
      const again = await stack.ctl('export', 'pledges', '-o', path.join(stack.dir, 'cli-export-0.csv'));
      assert.equal(again.code, 1);
      assert.equal((await stack.ctl('export', 'pledges', '--campaign', 'no-such-campaign')).code, 1);
      assert.equal((await stack.ctl('export', 'pledges', '--sep', 'tab')).code, 2);
    });
  });
});

// ===========================================================================
// Under ASan/UBSan the daemon is several times slower and its resident
// memory is mostly the sanitizer's own (shadow memory, quarantine): there
// the export runs on 100,000 rows and the memory figure is only reported.
const SANITIZED = /asan|sanitize/i.test(process.env.ICOMMIT_BUILD ?? '') || process.env.ICOMMIT_SANITIZE === '1';

describe('CSV export of 1,000,000 pledges', () => {
  const ROWS = SANITIZED ? 100_000 : 1_000_000;
  let stack;

  before(async () => {
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  function rssKiB(pid) {
    try {
      const m = /^VmRSS:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'latin1'));
      return m ? Number(m[1]) : null;
    } catch {
      return null;
    }
  }

  test('streams through HTTP with the daemon\'s resident memory flat (peak < 64 MiB)', { timeout: 180_000 }, async () => {
    const t0 = Date.now();
    // PostgreSQL builds its five indexes of pledges row by row: about 20 s
    // on the reference machine, past the usual 20 s of a query.
    query(stack.dbPath, `
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS})
      INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, email_key, organisation, actor_type,
        country, city, commitment, category, quantity, unit, target_year, public, language, consent_at, created_at)
      SELECT (SELECT id FROM campaigns WHERE slug = 'icommit'),
        CASE i % 4 WHEN 0 THEN 'pending_confirmation' WHEN 1 THEN 'confirmed' WHEN 2 THEN 'approved' ELSE 'rejected' END,
        CASE i % 4 WHEN 0 THEN NULL ELSE 1767225600 + i END,
        'Persona de prueba ' || i, 'p' || i || '@example.org', 'p' || i || '@example.org',
        'Organización ' || (i % 1000), 'individual', 'CL', 'Santiago',
        'Me comprometo a electrificar la flota número ' || i || ', con cargadores y buses eléctricos, antes de 2030.',
        'fleet', i % 500, 'buses', 2030, i % 2, 'es', 1767225600 + i, 1767225600 + i
      FROM n;`, { timeoutMs: 120_000 });
    const insertMs = Date.now() - t0;
    await addUser(stack, 'exporter');
    const s = await signIn(stack, 'exporter');
    const pid = stack.daemonPid;
    assert.ok(pid, 'the daemon runs');
    const baseline = rssKiB(pid);

    const file = path.join(stack.dir, 'million.csv');
    const samples = [];
    const timer = setInterval(() => {
      const v = rssKiB(pid);
      if (v !== null) samples.push(v);
    }, 100);
    const t1 = Date.now();
    let bytes = 0;
    let status;
    try {
      await new Promise((resolve, reject) => {
        const url = new URL(stack.base);
        const req = http.get({
          host: url.hostname, port: url.port, path: `${ADMIN}/export/pledges.csv`, agent: false,
          headers: { Cookie: s.cookie },
        }, (res) => {
          status = res.statusCode;
          const out = fs.createWriteStream(file);
          res.on('data', (c) => {
            bytes += c.length;
          });
          res.pipe(out);
          out.on('finish', resolve);
          res.on('error', reject);
          out.on('error', reject);
        });
        req.on('error', reject);
        req.setTimeout(120_000, () => req.destroy(new Error('export timed out')));
      });
    } finally {
      clearInterval(timer);
    }
    const exportMs = Date.now() - t1;
    const afterRss = rssKiB(pid);
    assert.equal(status, 200);

    // Count the rows with a real CSV parser, streaming.
    const count = spawnSync('/usr/bin/python3', ['-c', `
import csv, sys
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    r = csv.reader(f, strict=True)
    header = next(r)
    n = 0
    last = None
    for row in r:
        n += 1
        last = row
print(len(header), n, last[0], len(last))
`, file], { encoding: 'utf8' });
    assert.equal(count.status, 0, count.stderr);
    const [cols, rows, lastId, lastCols] = count.stdout.trim().split(' ').map(Number);
    fs.rmSync(file, { force: true });

    const peak = Math.max(baseline, ...samples);
    const mib = (k) => (k / 1024).toFixed(1);
    console.log(`# ${ROWS.toLocaleString('en')}-row export${SANITIZED ? ' (sanitizer build)' : ''}: ${(bytes / 1048576).toFixed(1)} MiB in ${(exportMs / 1000).toFixed(2)} s `
      + `(${Math.round(ROWS / (exportMs / 1000)).toLocaleString('en')} rows/s through nginx); insert ${(insertMs / 1000).toFixed(1)} s; `
      + `icommitd VmRSS before ${mib(baseline)} MiB, peak ${mib(peak)} MiB over ${samples.length} samples, after ${mib(afterRss)} MiB`);
    assert.equal(cols, 17);
    assert.equal(rows, ROWS, 'every pledge exported once');
    assert.equal(lastId, ROWS);
    assert.equal(lastCols, 17);
    assert.ok(samples.length >= 3, `too few RSS samples (${samples.length})`);
    if (!SANITIZED) assert.ok(peak < 64 * 1024, `icommitd peaked at ${mib(peak)} MiB VmRSS during the export (limit 64 MiB, target < 32 MiB)`);

    // A reader that goes away mid-export: the daemon stops and keeps serving.
    const t2 = Date.now();
    await new Promise((resolve, reject) => {
      const url = new URL(stack.base);
      const req = http.get({
        host: url.hostname, port: url.port, path: `${ADMIN}/export/pledges.csv?sep=semicolon`, agent: false,
        headers: { Cookie: s.cookie },
      }, (res) => {
        let got = 0;
        res.on('data', (c) => {
          got += c.length;
          if (got > 1 << 20) {
            req.destroy();
            resolve();
          }
        });
        res.on('end', resolve);
      });
      req.on('error', (err) => (err.code === 'ECONNRESET' ? resolve() : reject(err)));
    });
    for (let i = 0; i < 8; i++) {
      const h = await get(stack.base, '/api/v1/health');
      assert.equal(h.status, 200, `health after an abandoned export: ${h.status}`);
    }
    assert.equal((await s.get('/me')).status, 200);
    console.log(`# abandoned export: the daemon answered again after ${Date.now() - t2} ms; VmRSS ${mib(rssKiB(pid))} MiB`);
  });
});
