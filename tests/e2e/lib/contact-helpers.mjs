// tests/e2e/lib/contact-helpers.mjs: what comments.test.mjs and
// consultants.test.mjs share: form posts, field-reason checks, and the
// checks every staff CSV export must pass (API.md "CSV exports").
import assert from 'node:assert/strict';
import { request } from './http.mjs';
import { startStack } from './stack.mjs';
import { addUser, parseCsv, signIn } from './staff.mjs';

export const FORM_TYPE = 'application/x-www-form-urlencoded';

/** A stack (startStack(opts)) with staff user "ines" signed in: { stack, staff }. */
export async function stackWithStaff(opts) {
  const stack = await startStack(opts);
  await addUser(stack, 'ines');
  return { stack, staff: await signIn(stack, 'ines') };
}

/** POSTs fields (an object; arrays repeat the key) or a raw string as a form. */
export function postForm(stack, path, fields, headers = {}) {
  let body = fields;
  if (typeof fields !== 'string') {
    const p = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) {
      for (const one of [].concat(v)) if (one !== undefined) p.append(k, String(one));
    }
    body = p.toString();
  }
  return request(stack.base, 'POST', path, { headers: { 'Content-Type': FORM_TYPE, ...headers }, body });
}

/** Asserts a 422 invalid whose `fields` are exactly `reasons`. */
export function assertReasons(res, reasons, what = '') {
  assert.equal(res.status, 422, `${what}: ${res.status} ${res.text}`);
  assert.equal(res.json.error.code, 'invalid', what);
  assert.deepEqual(res.json.error.fields, reasons, what);
}

/**
 * Fetches a staff CSV export (path under /api/v1/admin/export/) and checks
 * API.md's byte rules: type, dated attachment name, BOM, CRLF line ends,
 * header row; then the same without BOM and with semicolons. Returns the
 * parsed rows (header first) of the plain export.
 */
export async function checkCsvExport(staff, name, header, query = '') {
  const path = `/export/${name}.csv${query ? `?${query}` : ''}`;
  const join = query ? '&' : '?';
  const res = await staff.get(path);
  assert.equal(res.status, 200, `${path}: ${res.status} ${res.text}`);
  assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  const today = new Date().toISOString().slice(0, 10);
  assert.equal(res.headers['content-disposition'], `attachment; filename="icommit-${name}-${today}.csv"`);
  assert.equal(res.headers['cache-control'], 'no-store');
  const text = res.body.subarray(3).toString('utf8');
  assert.ok(text.endsWith('\r\n'), 'rows end with CRLF');
  assert.ok(text.startsWith(`${header.join(',')}\r\n`), 'the header row ends with CRLF');
  const rows = parseCsv(res.body);
  assert.deepEqual(rows[0], header);

  const plain = await staff.get(`${path}${join}bom=0&sep=semicolon`);
  assert.equal(plain.status, 200);
  assert.notEqual(plain.body[0], 0xef, '?bom=0 leaves the BOM out');
  assert.deepEqual(parseCsv(plain.body, { sep: ';', bom: false }), rows);
  return rows;
}

/** The staff API refuses path without a session (401) and a change without CSRF (403). */
export async function checkStaffGuards(stack, staff, getPath, postPath, body) {
  const anon = await request(stack.base, 'GET', `/api/v1/admin${getPath}`);
  assert.equal(anon.status, 401, `GET ${getPath} without a session`);
  assert.equal(anon.json.error.code, 'unauthorized');
  if (postPath) {
    const noCsrf = await staff.post(postPath, body, { 'X-CSRF-Token': undefined });
    assert.equal(noCsrf.status, 403, `POST ${postPath} without CSRF`);
    assert.equal(noCsrf.json.error.code, 'forbidden');
    const anonPost = await request(stack.base, 'POST', `/api/v1/admin${postPath}`, {
      headers: { 'Content-Type': 'application/json; charset=utf-8' }, body: JSON.stringify(body),
    });
    assert.equal(anonPost.status, 401, `POST ${postPath} without a session`);
  }
}
