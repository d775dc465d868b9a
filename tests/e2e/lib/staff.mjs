// tests/e2e/lib/staff.mjs: helpers of the staff (admin) tests — staff
// accounts through icommitctl, logins from distinct client addresses (the
// daemon throttles logins per address and per user name, successes
// included), a signed-in session object that sends the cookie and the CSRF
// header, pledges confirmed through the token of their queued mail, the
// database (db.mjs: sqlite3 or psql), and CSV parsed by Python's csv module.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hexOf, query, sqlText } from './db.mjs';
import { get, postJson, request } from './http.mjs';
import { parseMail } from './mail.mjs';

export const PASSWORD = 'correct horse battery';
export const ADMIN = '/api/v1/admin';
export const JSON_TYPE = 'application/json; charset=utf-8';

let addressSeq = 0;

/**
 * A client address no other login in this process has used (10.x.y.z),
 * sent as X-Forwarded-For: nginx connects from 127.0.0.1, which the test
 * config trusts, so the daemon takes this as the client's address.
 */
export function freshAddress() {
  addressSeq++;
  return `10.${(process.pid >> 8) & 255}.${(addressSeq >> 8) & 255}.${addressSeq & 255}`;
}

/** Runs sql on a stack's database (db.mjs query); returns trimmed output, throws on error. */
export function sqlite(db, sql, { json = false } = {}) {
  return query(db, sql, { json, timeoutMs: 20000 });
}

export { sqlText };

/** Adds staff user `name` with `password` through icommitctl (stdin). */
export async function addUser(stack, name, password = PASSWORD) {
  const r = await stack.ctl('user', 'add', name, { input: `${password}\n` });
  assert.equal(r.code, 0, `icommitctl user add ${name}: ${r.code} ${r.stderr}`);
  return r;
}

/** The name=value of a Set-Cookie header for the session, or null. */
export function sessionCookieOf(res) {
  const all = [].concat(res.headers['set-cookie'] ?? []);
  const c = all.find((h) => h.startsWith('icommit_session='));
  return c ? c.split(';')[0] : null;
}

/** POST /api/v1/admin/login from `address` (a fresh one by default). */
export function loginRequest(stack, username, password, { address = freshAddress(), headers = {} } = {}) {
  return postJson(stack.base, `${ADMIN}/login`, { username, password }, {
    headers: { 'X-Forwarded-For': address, ...headers },
  });
}

/**
 * A signed-in staff session: { username, cookie, csrf, res,
 * get(path), post(path, body), put(path, body), send(method, path, body, headers) }.
 * Paths are relative to /api/v1/admin unless they start with /api/.
 * Requests carry the cookie and, unless headers say otherwise, X-CSRF-Token.
 */
export async function signIn(stack, username, password = PASSWORD) {
  const res = await loginRequest(stack, username, password);
  assert.equal(res.status, 200, `login as ${username}: ${res.status} ${res.text}`);
  const cookie = sessionCookieOf(res);
  assert.ok(cookie, `login as ${username}: no session cookie`);
  return session(stack, username, cookie, res.json.csrf, res);
}

/** A session object for a cookie and CSRF token (see signIn). */
export function session(stack, username, cookie, csrf, res = null) {
  const full = (p) => (p.startsWith('/api/') ? p : `${ADMIN}${p}`);
  const s = {
    username,
    cookie,
    csrf,
    res,
    send(method, p, body, headers = {}) {
      const h = { Cookie: cookie, ...(method === 'GET' || method === 'HEAD' ? {} : { 'X-CSRF-Token': csrf }), ...headers };
      for (const [k, v] of Object.entries(h)) if (v === undefined) delete h[k];
      if (body !== undefined) {
        return request(stack.base, method, full(p), {
          headers: { 'Content-Type': JSON_TYPE, ...h },
          body: typeof body === 'string' ? body : JSON.stringify(body),
        });
      }
      return request(stack.base, method, full(p), { headers: h });
    },
    get: (p, headers) => s.send('GET', p, undefined, headers),
    post: (p, body = {}, headers) => s.send('POST', p, body, headers),
    put: (p, body = {}, headers) => s.send('PUT', p, body, headers),
  };
  return s;
}

/** Asserts the API's JSON error envelope with this status and code. */
export function assertError(res, status, code, what = '') {
  const label = `${what} -> ${res.status} ${String(res.text ?? '').slice(0, 300)}`;
  assert.equal(res.status, status, label);
  assert.equal(res.headers['content-type'], JSON_TYPE, `content-type: ${label}`);
  assert.ok(res.json && res.json.error && typeof res.json.error === 'object', `no error envelope: ${label}`);
  assert.equal(res.json.error.code, code, label);
  assert.equal(typeof res.json.error.message, 'string', label);
}

let pledgeSeq = 0;

/** A valid pledge body for a new, unique address, overridden by extra. */
export function pledgeBody(extra = {}) {
  pledgeSeq++;
  return {
    name: `Persona ${pledgeSeq}`,
    email: `staff-test-${process.pid}-${pledgeSeq}@example.org`,
    actor_type: 'individual',
    country: 'CL',
    commitment: 'Me comprometo a moverme solo en transporte eléctrico.',
    consent: true,
    public: true,
    ...extra,
  };
}

/** Submits a pledge; resolves to the response (asserts a 2xx). */
export async function submitPledge(stack, body, slug = 'icommit') {
  const res = await postJson(stack.base, `/api/v1/campaigns/${slug}/pledges`, body);
  assert.ok(res.status >= 200 && res.status < 300, `pledge: ${res.status} ${res.text}`);
  return res;
}

/** The id of the pledge of `email` (as stored: lower-cased). */
export function pledgeId(stack, email) {
  const id = sqlite(stack.dbPath, `SELECT id FROM pledges WHERE email = ${sqlText(email.toLowerCase())};`);
  assert.ok(/^\d+$/.test(id), `no pledge for ${email}`);
  return Number(id);
}

/**
 * The text of the newest mail queued for `email`, read from the outbox
 * table (without smtp_url mail stays queued there): a template mail is
 * queued as its variables (JSON, rendered when sent), other mail whole.
 */
export function queuedMailText(dbPath, email) {
  const row = sqlite(dbPath, `SELECT coalesce(vars, ''), coalesce(${hexOf('message')}, '') FROM outbox WHERE lower(recipient) = lower(${sqlText(email)}) ORDER BY id DESC LIMIT 1;`);
  assert.ok(row, `no mail queued for ${email}`);
  const cut = row.lastIndexOf('|');
  const vars = row.slice(0, cut);
  const hex = row.slice(cut + 1);
  if (vars) return JSON.parse(vars).link ?? '';
  const mail = parseMail(Buffer.from(hex, 'hex'));
  return mail.text ?? mail.body ?? '';
}

/** The confirmation token mailed to `email` (see queuedMailText). */
export function confirmationToken(stack, email) {
  const text = queuedMailText(stack.dbPath, email);
  const m = /confirm\.html\?token=([A-Za-z0-9_-]+)/.exec(text);
  assert.ok(m, `no confirmation link in the mail to ${email}:\n${text}`);
  return m[1];
}

/**
 * Submits a pledge and confirms it with the token of its mail, as its
 * author would (verify_email = yes). Resolves to { id, body }.
 */
export async function confirmedPledge(stack, extra = {}, slug = 'icommit') {
  const body = pledgeBody(extra);
  const res = await submitPledge(stack, body, slug);
  if (res.status === 202) {
    const token = confirmationToken(stack, body.email);
    const c = await postJson(stack.base, '/api/v1/confirm', { token });
    assert.equal(c.status, 200, `confirm ${body.email}: ${c.status} ${c.text}`);
  }
  return { id: pledgeId(stack, body.email), body };
}

/** Submits a pledge and leaves it unconfirmed. Resolves to { id, body }. */
export async function unconfirmedPledge(stack, extra = {}, slug = 'icommit') {
  const body = pledgeBody(extra);
  const res = await submitPledge(stack, body, slug);
  assert.equal(res.status, 202, `pledge ${body.email} should wait for confirmation: ${res.status} ${res.text}`);
  return { id: pledgeId(stack, body.email), body };
}

/** GET without the micro-cache (a query no one else asked for). */
let bust = 0;
export function fresh(stack, path) {
  bust++;
  return get(stack.base, `${path}${path.includes('?') ? '&' : '?'}_=${process.pid}-${bust}-${Date.now()}`);
}

/** The public count of a campaign, not from nginx's micro-cache. */
export async function publicCount(stack, slug = 'icommit') {
  const r = await fresh(stack, `/api/v1/campaigns/${slug}/counter`);
  assert.equal(r.status, 200, `counter: ${r.status} ${r.text}`);
  return r.json.count;
}

/** The ids on a campaign's public wall (first page of 100). */
export async function wallIds(stack, slug = 'icommit') {
  const r = await get(stack.base, `/api/v1/campaigns/${slug}/pledges?limit=100`);
  assert.equal(r.status, 200, `wall: ${r.status} ${r.text}`);
  return r.json.items.map((p) => p.id);
}

const CSV_SCRIPT = `
import csv, io, json, sys
data = open(sys.argv[1], 'rb').read()
delim = sys.argv[2]
text = data.decode('utf-8')
rows = list(csv.reader(io.StringIO(text, newline=''), delimiter=delim, strict=True))
json.dump(rows, sys.stdout, ensure_ascii=False)
`;

/**
 * Parses CSV bytes with Python's csv module (strict), after removing a
 * leading BOM if bom is true (asserting it is there). Returns rows of strings.
 */
export function parseCsv(buf, { sep = ',', bom = true } = {}) {
  const b = Buffer.isBuffer(buf) ? buf : Buffer.from(buf);
  let body = b;
  if (bom) {
    assert.deepEqual([...b.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the export should start with a UTF-8 BOM');
    body = b.subarray(3);
  }
  const tmp = path.join(os.tmpdir(), `icommit-csv-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  fs.writeFileSync(tmp, body);
  let r;
  try {
    r = spawnSync('/usr/bin/python3', ['-c', CSV_SCRIPT, tmp, sep], { encoding: 'utf8', maxBuffer: 1 << 30 });
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  assert.equal(r.status, 0, `Python's csv module could not parse the export: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
