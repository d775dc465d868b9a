// tests/e2e/badinput.test.mjs: a table of malformed requests sent through
// nginx to every public endpoint — broken JSON, wrong types, deep nesting,
// huge numbers, bad UTF-8, NUL and control characters, oversized bodies, bad
// percent-encoding, absurd queries, unknown methods, wrong Content-Types,
// lying lengths, odd paths. Each must get a 4xx JSON error envelope (or the
// correct 2xx/3xx when the request is in fact valid), never a 5xx, never a
// hang; afterwards health answers 200 from the same icommitd process.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { request, rawRequest, get } from './lib/http.mjs';
import { JSON_TYPE, PLEDGES, pledgeBody, assertErrorEnvelope, rawExchange } from './lib/fault-helpers.mjs';

const CONFIRM = '/api/v1/confirm';
const GETS = {
  health: '/api/v1/health',
  campaigns: '/api/v1/campaigns',
  campaign: '/api/v1/campaigns/icommit',
  wall: '/api/v1/campaigns/icommit/pledges',
  counter: '/api/v1/campaigns/icommit/counter',
  'counter.svg': '/api/v1/campaigns/icommit/counter.svg',
  stats: '/api/v1/campaigns/icommit/stats',
  'qr.svg': '/api/v1/campaigns/icommit/qr.svg',
};
const POSTS = {
  pledge: PLEDGES,
  confirm: CONFIRM,
  newsletter: '/api/v1/newsletter',
  unsubscribe: '/api/v1/newsletter/unsubscribe',
  'privacy request': '/api/v1/privacy/request',
  'privacy export': '/api/v1/privacy/export',
  'privacy erase': '/api/v1/privacy/erase',
  comment: '/api/v1/comments',
  consultant: '/api/v1/consultants',
};
const FORM = 'application/x-www-form-urlencoded';
const TIMEOUT_MS = 10000;

let unique = 0;
/** A valid pledge with a fresh address, as an object. */
const validPledge = (extra = {}) => pledgeBody(unique++, { tag: 'bad', ...extra });
/** A valid pledge's JSON text with `raw` spliced in as the last member. */
const pledgeWith = (raw) => JSON.stringify(validPledge()).replace(/}$/, `,${raw}}`);
const latin1 = (s) => Buffer.from(s, 'latin1');

/** n distinct short JSON keys: a..9, aa..99, aaa... */
function shortKeys(n) {
  const chars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  const keys = [];
  for (let len = 1; keys.length < n; len++) {
    const idx = new Array(len).fill(0);
    for (;;) {
      keys.push(idx.map((i) => chars[i]).join(''));
      if (keys.length === n) return keys;
      let k = len - 1;
      while (k >= 0 && ++idx[k] === chars.length) idx[k--] = 0;
      if (k < 0) break;
    }
  }
  return keys;
}
const manyFields = (n) => `{${shortKeys(n).map((k) => `"${k}":0`).join(',')}}`;

// ---------------------------------------------------------------------------
// The table. Each row: { name, send(stack) -> response, expect }.
// expect: { status: [allowed...], code?: error code, location?: RegExp }.
const rows = [];
const E = (status, code) => ({ status: [].concat(status), code });

function row(name, expect, send) {
  rows.push({ name, expect, send });
}
function httpRow(name, method, path, { headers, body } = {}, expect) {
  if (method === 'HEAD') expect = { ...expect, head: true };
  row(name, expect, (s) => request(s.base, method, path, { headers, body, timeoutMs: TIMEOUT_MS }));
}
function jsonRow(name, path, body, expect, headers = {}) {
  httpRow(name, 'POST', path, { headers: { 'Content-Type': JSON_TYPE, ...headers }, body }, expect);
}
function formRow(name, path, body, expect) {
  httpRow(name, 'POST', path, { headers: { 'Content-Type': FORM }, body }, expect);
}
function rawRow(name, bytes, expect) {
  row(name, expect, (s) => rawRequest(s.port, bytes, { timeoutMs: TIMEOUT_MS }));
}
const H = 'Host: localhost\r\nConnection: close\r\n';

// ---- every GET endpoint ----------------------------------------------------
for (const [ep, path] of Object.entries(GETS)) {
  for (const q of ['%zz', 'a=%', 'x=%G1', 'a=%2', '%', 'x=%%41', 'x=%u0041']) {
    httpRow(`${ep}: bad percent-encoding ?${q}`, 'GET', `${path}?${q}`, {}, E(400, 'bad_request'));
  }
  httpRow(`${ep}: an 8 KiB query string`, 'GET', `${path}?q=${'a'.repeat(8192)}`, {}, E([400, 414]));
  httpRow(`${ep}: 1,000 query parameters`, 'GET', `${path}?${Array.from({ length: 1000 }, (_, i) => `${i.toString(36)}=1`).join('&')}`, {}, E([200, 400]));
  httpRow(`${ep}: repeated query keys`, 'GET', `${path}?a=1&a=2&a=3&lang=es&lang=en`, {}, E(200));
  httpRow(`${ep}: NUL in the query (%00)`, 'GET', `${path}?%00=%00&x=a%00b`, {}, E([200, 400]));
  for (const [what, enc] of [['overlong C0 AF', '%C0%AF'], ['surrogate ED A0 80', '%ED%A0%80'], ['FF', '%FF'], ['truncated E2 82', '%E2%82']]) {
    httpRow(`${ep}: invalid UTF-8 in the query (${what})`, 'GET', `${path}?x=${enc}&${enc}=1`, {}, E([200, 400]));
  }
  httpRow(`${ep}: raw invalid UTF-8 bytes in the query`, 'GET', `${path}?x=\xc0\xaf\xff`, {}, E([200, 400]));
  httpRow(`${ep}: only separators in the query`, 'GET', `${path}?&&&=&==&`, {}, E([200, 400]));
  for (const m of ['BREW', 'PROPFIND', 'PUT', 'DELETE', 'PATCH']) {
    httpRow(`${ep}: method ${m}`, m, path, {}, E(405, 'method_not_allowed'));
  }
  rawRow(`${ep}: lower-case method "get"`, `get ${path} HTTP/1.1\r\n${H}\r\n`, E(400));
  if (ep !== 'wall') httpRow(`${ep}: POST of JSON`, 'POST', path, { headers: { 'Content-Type': JSON_TYPE }, body: '{"a":1}' }, E(405, 'method_not_allowed'));
  httpRow(`${ep}: a GET with a broken JSON body (ignored)`, 'GET', path, { headers: { 'Content-Type': JSON_TYPE }, body: '{"a":' }, E(200));
  rawRow(`${ep}: HTTP/1.0`, `GET ${path} HTTP/1.0\r\n\r\n`, E(200));
  httpRow(`${ep}: a trailing slash`, 'GET', `${path}/`, {}, E(404, 'not_found'));
  httpRow(`${ep}: upper-case route`, 'GET', path.replace(/^\/api\/v1\/(.*)$/, (m, rest) => `/api/v1/${rest.toUpperCase()}`), {}, E(404, 'not_found'));
  httpRow(`${ep}: NUL as %00 at the end of the path`, 'GET', `${path}%00`, {}, E([400, 404]));
  httpRow(`${ep}: a doubled slash`, 'GET', path.replace('/v1/', '/v1//'), {}, E([200, 404]));
  httpRow(`${ep}: a dot-dot segment`, 'GET', path.replace('/v1/', '/v1/x/../'), {}, E([200, 404]));
  httpRow(`${ep}: encoded dot-dot segments`, 'GET', path.replace('/v1/', '/v1/%2e%2e/v1/'), {}, E([200, 400, 404]));
  httpRow(`${ep}: a path parameter (;x)`, 'GET', `${path};jsessionid=1`, {}, E(404, 'not_found'));
}

// ---- endpoint-specific queries ---------------------------------------------
for (const q of ['limit=1e400', 'limit=-0', 'limit=0.5', 'limit=0', 'limit=101', 'limit=99999999999999999999999',
  'limit=', 'limit=%00', 'limit=5%20', 'limit=5abc', 'before=garbage', 'before=%00', `before=${'A'.repeat(3000)}`,
  'before=-1', 'country=%00', 'country=%FF%FE', 'country=XX', 'country=CLL', 'actor_type=%C0%AF',
  'actor_type=INDIVIDUAL', 'category=x', 'category=%00fleet']) {
  httpRow(`wall: ?${q.slice(0, 40)}`, 'GET', `${GETS.wall}?${q}`, {}, E(400, 'bad_request'));
}
for (const q of ['country=cl', 'country=CL&country=ZZ', 'limit=100&limit=0', 'actor_type=', 'unknown=1']) {
  httpRow(`wall: valid ?${q}`, 'GET', `${GETS.wall}?${q}`, {}, E(200));
}
// Leading blanks before a number: accepting " 5" is harmless, so either answer.
httpRow('wall: ?limit=+5 (a leading space)', 'GET', `${GETS.wall}?limit=+5`, {}, E([200, 400]));
for (const q of ['lang=%FF', 'lang=', 'lang=xx', 'lang=%00', 'lang=ES', 'lang=e%00s', `lang=${'e'.repeat(5000)}`]) {
  httpRow(`counter.svg: ?${q.slice(0, 30)}`, 'GET', `${GETS['counter.svg']}?${q}`, {}, E(400, 'bad_request'));
}
httpRow('counter: a garbage If-None-Match', 'GET', GETS.counter, { headers: { 'If-None-Match': `"${'x'.repeat(4000)}", *garbage, W/"` } }, E([200, 304]));
httpRow('counter: If-None-Match with NUL-like escapes', 'GET', GETS.counter, { headers: { 'If-None-Match': '"j-\\0-1"' } }, E(200));
httpRow('campaign: a slug of 65 characters', 'GET', `/api/v1/campaigns/${'a'.repeat(65)}`, {}, E(404, 'not_found'));
httpRow('campaign: an encoded slug (%69commit)', 'GET', '/api/v1/campaigns/%69commit', {}, E([200, 404]));
httpRow('campaign: an encoded slash in the slug', 'GET', '/api/v1/campaigns/icommit%2Fpledges', {}, E(404, 'not_found'));
httpRow('campaign: a UTF-8 slug', 'GET', '/api/v1/campaigns/%C3%B1', {}, E(404, 'not_found'));
httpRow('campaign: a very long path (6 KB)', 'GET', `/api/v1/campaigns/${'a'.repeat(6000)}`, {}, E([404, 414]));
httpRow('a path longer than nginx takes (20 KB)', 'GET', `/api/v1/${'b'.repeat(20000)}`, {}, E([400, 414]));
httpRow('/api/v1/../v1/health (dot segments)', 'GET', '/api/v1/../v1/health', {}, E([200, 404]));
httpRow('//api/v1/health (leading double slash)', 'GET', '//api/v1/health', {}, E([200, 404]));
httpRow('/api/v1/%2e%2e/v1/health', 'GET', '/api/v1/%2e%2e/v1/health', {}, E([200, 400, 404]));
httpRow('/api/v1/health%00 (NUL)', 'GET', '/api/v1/health%00', {}, E([400, 404]));
httpRow('/api/v1/%00/health (NUL segment)', 'GET', '/api/v1/%00/health', {}, E([400, 404]));
rawRow('a backslash in an API path', `GET /api/v1/campaigns\\icommit HTTP/1.1\r\n${H}\r\n`, E([400, 404]));
rawRow('an absolute-form request target', `GET http://localhost/api/v1/health HTTP/1.1\r\n${H}\r\n`, E([200, 400, 404]));
rawRow('a request line with HTTP/1.9', `GET /api/v1/health HTTP/1.9\r\n${H}\r\n`, E([200, 400]));

// ---- the POST endpoints ------------------------------------------------------
const brokenJson = [
  ['an empty body', ''],
  ['only whitespace', ' \r\n\t '],
  ['a lone brace', '{'],
  ['a truncated member', '{"name":'],
  ['a truncated string', '{"name":"Ana'],
  ['a trailing comma', '{"name":"Ana",}'],
  ['single quotes', "{'name':'Ana'}"],
  ['an unquoted key', '{name:"Ana"}'],
  ['trailing garbage', '{"name":"Ana"}xyz'],
  ['two objects', '{"a":1}{"b":2}'],
  ['a comment', '{"a":1 /* c */}'],
  ['NaN', '{"quantity":NaN}'],
  ['Infinity', '{"quantity":Infinity}'],
  ['a hex number', '{"quantity":0x10}'],
  ['a leading zero', '{"quantity":012}'],
  ['a lone minus', '{"quantity":-}'],
  ['a byte order mark', '\ufeff{}'],
  ['a bad escape', '{"name":"\\x41"}'],
  ['a truncated \\u escape', '{"name":"\\u00"}'],
  ['a lone surrogate escape', '{"name":"\\ud800"}'],
  ['a reversed surrogate pair', '{"name":"\\udc00\\ud800"}'],
  ['a raw 0x01 in a string', '{"name":"a\u0001b"}'],
  ['a raw tab in a string', '{"name":"a\tb"}'],
  ['a raw newline in a string', '{"name":"a\nb"}'],
  ['a raw NUL outside strings', '{"a":1}\u0000'],
  ['a raw NUL in a string', '{"name":"a\u0000b"}'],
  ['duplicate keys', '{"name":"Ana","name":"Eva"}'],
  ['duplicate keys in a nested object', '{"x":{"a":1,"a":2}}'],
  ['numbers too large (1e400)', '{"quantity":1e400}'],
  ['numbers too small (-1e400)', '{"quantity":-1e400}'],
  ['30,000-deep arrays (within 64 KiB)', '['.repeat(30000) + ']'.repeat(30000)],
  ['13,000-deep objects (within 64 KiB)', '{"":'.repeat(13000) + '1' + '}'.repeat(13000)],
  ['deep nesting inside a field', `{"name":${'['.repeat(20000)}${']'.repeat(20000)}}`],
];
const wrongTop = [['an array', '[]'], ['an array of objects', '[{"token":"x"}]'], ['a string', '"token"'],
  ['a number', '42'], ['null', 'null'], ['true', 'true']];
const badUtf8 = [['overlong C0 AF', '\xc0\xaf'], ['surrogate ED A0 80', '\xed\xa0\x80'], ['FF', '\xff'],
  ['truncated E2 82', '\xe2\x82'], ['overlong E0 80 80', '\xe0\x80\x80'], ['above U+10FFFF (F4 90 80 80)', '\xf4\x90\x80\x80']];

for (const [ep, path] of Object.entries(POSTS)) {
  for (const [what, body] of brokenJson) jsonRow(`${ep}: ${what}`, path, body, E(400, 'bad_json'));
  // Valid JSON whose integer does not fit 64 bits: a field error, not bad_json.
  jsonRow(`${ep}: an integer too large (99999999999999999999999)`, path,
    '{"quantity":99999999999999999999999}', E(422, 'invalid'));
  for (const [what, body] of wrongTop) jsonRow(`${ep}: top-level ${what}`, path, body, E(400, 'bad_json'));
  for (const [what, bytes] of badUtf8) {
    jsonRow(`${ep}: invalid UTF-8 (${what}) in a JSON string`, path, latin1(`{"name":"a${bytes}b","token":"a${bytes}"}`), E(400, 'bad_json'));
    jsonRow(`${ep}: invalid UTF-8 (${what}) in a JSON key`, path, latin1(`{"k${bytes}":1}`), E(400, 'bad_json'));
  }
  // Bodies over the limit: the daemon answers up to nginx's 128k, nginx above.
  jsonRow(`${ep}: arrays nested 100,000 deep (unclosed, 100 KB)`, path, '['.repeat(100000), E(413, 'payload_too_large'));
  jsonRow(`${ep}: arrays nested 100,000 deep (200 KB)`, path, '['.repeat(100000) + ']'.repeat(100000), E(413, 'payload_too_large'));
  jsonRow(`${ep}: objects nested 100,000 deep (600 KB)`, path, '{"a":'.repeat(100000) + '1' + '}'.repeat(100000), E(413, 'payload_too_large'));
  jsonRow(`${ep}: a 10,000-field object (over 64 KiB)`, path, manyFields(10000), E(413, 'payload_too_large'));
  jsonRow(`${ep}: 64 KiB + 1 byte (the daemon's 413)`, path, Buffer.alloc(64 * 1024 + 1, 0x20), E(413, 'payload_too_large'));
  jsonRow(`${ep}: 200 KiB (nginx's 413)`, path, Buffer.alloc(200 * 1024, 0x20), E(413, 'payload_too_large'));
  jsonRow(`${ep}: 8,000 fields in 60 KB`, path, manyFields(8000), E(422, 'invalid'));
  jsonRow(`${ep}: exactly 64 KiB (accepted, then invalid)`, path, '{}' + ' '.repeat(64 * 1024 - 2), E(422, 'invalid'));
  jsonRow(`${ep}: an empty object`, path, '{}', E(422, 'invalid'));
  // Content types.
  const goodBody = ep === 'pledge' ? () => JSON.stringify(validPledge())
    : ep === 'newsletter' ? () => '{"email":"ana@example.org","consent":true}'
      : ep === 'privacy request' ? () => '{"email":"ana@example.org"}' : () => '{"token":"x"}';
  row(`${ep}: no Content-Type`, E(415, 'unsupported_media_type'), (s) => request(s.base, 'POST', path, { body: goodBody(), timeoutMs: TIMEOUT_MS }));
  for (const ct of ['text/plain', 'application/json; charset=latin1', 'application/json; charset=utf-16',
    'multipart/form-data; boundary=x', 'application/jsonx', 'application/x-json', 'json', '']) {
    row(`${ep}: Content-Type "${ct}"`, E(415, 'unsupported_media_type'), (s) => request(s.base, 'POST', path, {
      headers: { 'Content-Type': ct }, body: goodBody(), timeoutMs: TIMEOUT_MS,
    }));
  }
  // GET on the pledge path is the public wall; on the others it is refused.
  for (const m of ['BREW', 'PROPFIND', 'PUT', 'DELETE', 'PATCH', ...(ep !== 'pledge' ? ['GET', 'HEAD'] : [])]) {
    httpRow(`${ep}: method ${m}`, m, path, {}, E(405, 'method_not_allowed'));
  }
  rawRow(`${ep}: a control character in the Content-Type`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\x01\r\nContent-Length: 2\r\n\r\n{}`, E([400, 415]));
  rawRow(`${ep}: lower-case method "post"`, `post ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`, E(400));
  rawRow(`${ep}: a Content-Length shorter than the body`,
    `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 5\r\n\r\n{"token":"x","name":"y"}`, E(400, 'bad_json'));
  rawRow(`${ep}: a Content-Length that is not a number`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: abc\r\n\r\n{}`, E(400));
  rawRow(`${ep}: a Content-Length of 2^64`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 18446744073709551616\r\n\r\n{}`, E([400, 413]));
  rawRow(`${ep}: two different Content-Lengths`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{} `, E(400));
  rawRow(`${ep}: Transfer-Encoding chunked and Content-Length`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\nContent-Length: 2\r\n\r\n2\r\n{}\r\n0\r\n\r\n`, E(400));
  rawRow(`${ep}: a broken chunked body`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n`, E(400));
  rawRow(`${ep}: a chunked body (valid framing, empty object)`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n1\r\n}\r\n0\r\n\r\n`, E(422, 'invalid'));
  rawRow(`${ep}: an unknown Transfer-Encoding (gzip)`, `POST ${path} HTTP/1.1\r\n${H}Content-Type: application/json\r\nTransfer-Encoding: gzip\r\n\r\n{}`, E([400, 411, 415]));
  rawRow(`${ep}: HTTP/1.0 with a body`, `POST ${path} HTTP/1.0\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`, E(422, 'invalid'));
  rawRow(`${ep}: HTTP/1.0 without Content-Length`, `POST ${path} HTTP/1.0\r\nContent-Type: application/json\r\n\r\n`, E([400, 411]));
}

// Pledge fields: numbers, types, text.
const pledgeFieldRows = [
  ['quantity 1.5 (fractional)', pledgeWith('"quantity":1.5,"unit":"buses"'), E(422, 'invalid')],
  ['quantity -0.0 (negative zero, real)', pledgeWith('"quantity":-0.0,"unit":"buses"'), E(422, 'invalid')],
  ['quantity -0 (negative zero, integer: valid 0)', pledgeWith('"quantity":-0,"unit":"buses"'), E([201, 202])],
  ['quantity 1e3 (exponent form is a real)', pledgeWith('"quantity":1e3,"unit":"buses"'), E(422, 'invalid')],
  ['quantity 1e-400 (underflow)', pledgeWith('"quantity":1e-400,"unit":"buses"'), E([400, 422])],
  ['quantity 9223372036854775807', pledgeWith('"quantity":9223372036854775807,"unit":"usd"'), E(422, 'invalid')],
  ['quantity -9223372036854775808', pledgeWith('"quantity":-9223372036854775808,"unit":"usd"'), E(422, 'invalid')],
  ['quantity 10^12 + 1', pledgeWith('"quantity":1000000000001,"unit":"usd"'), E(422, 'invalid')],
  ['quantity as a string', pledgeWith('"quantity":"5","unit":"buses"'), E(422, 'invalid')],
  ['quantity without unit', pledgeWith('"quantity":5'), E(422, 'invalid')],
  ['target_year 2030.0 (fractional form)', pledgeWith('"target_year":2030.0'), E(422, 'invalid')],
  ['target_year -0', pledgeWith('"target_year":-0'), E(422, 'invalid')],
  ['target_year 99999999999999999999', pledgeWith('"target_year":99999999999999999999'), E([400, 422])],
  ['target_year true', pledgeWith('"target_year":true'), E(422, 'invalid')],
  ['consent "true" (a string)', JSON.stringify(validPledge({ consent: 'true' })), E(422, 'invalid')],
  ['consent 1', JSON.stringify(validPledge({ consent: 1 })), E(422, 'invalid')],
  ['consent false', JSON.stringify(validPledge({ consent: false })), E(422, 'invalid')],
  ['public 1', JSON.stringify(validPledge({ public: 1 })), E(422, 'invalid')],
  ['name as an array', JSON.stringify(validPledge({ name: ['Ana'] })), E(422, 'invalid')],
  ['name as an object', JSON.stringify(validPledge({ name: { first: 'Ana' } })), E(422, 'invalid')],
  ['name as a number', JSON.stringify(validPledge({ name: 7 })), E(422, 'invalid')],
  ['email as an object', JSON.stringify(validPledge({ email: { a: 1 } })), E(422, 'invalid')],
  ['email with two @', JSON.stringify(validPledge({ email: 'a@b@example.org' })), E(422, 'invalid')],
  ['email of 300 characters', JSON.stringify(validPledge({ email: `${'a'.repeat(60)}@${'b'.repeat(230)}.org` })), E(422, 'invalid')],
  ['name with \\u0000 (NUL)', JSON.stringify(validPledge({ name: 'Ana\u0000Eva' })), E(422, 'invalid')],
  ['name with \\u0001 (control)', JSON.stringify(validPledge({ name: 'Ana\u0001' })), E(422, 'invalid')],
  ['name with \\u007f (DEL)', JSON.stringify(validPledge({ name: 'Ana\u007f' })), E(422, 'invalid')],
  ['name with \\u0085 (C1 control)', JSON.stringify(validPledge({ name: 'Ana\u0085' })), E(422, 'invalid')],
  ['name with a newline', JSON.stringify(validPledge({ name: 'Ana\nEva' })), E(422, 'invalid')],
  ['email with \\u0000', JSON.stringify(validPledge({ email: 'ana\u0000@example.org' })), E(422, 'invalid')],
  ['commitment of 2,001 code points', JSON.stringify(validPledge({ commitment: 'é'.repeat(2001) })), E(422, 'invalid')],
  ['country "cl\\u0000"', JSON.stringify(validPledge({ country: 'c\u0000' })), E(422, 'invalid')],
  ['actor_type with NUL suffix', JSON.stringify(validPledge({ actor_type: 'individual\u0000x' })), E(422, 'invalid')],
  ['language "xx"', JSON.stringify(validPledge({ language: 'xx' })), E(422, 'invalid')],
  ['unknown fields are ignored', JSON.stringify(validPledge({ zzz: 1, nested: { a: [1, { b: null }] }, '': 'empty key' })), E([201, 202])],
  ['an emoji and accents are fine', JSON.stringify(validPledge({ name: 'José 🚌 Ñandú' })), E([201, 202])],
];
for (const [what, body, expect] of pledgeFieldRows) jsonRow(`pledge: ${what}`, PLEDGES, body, expect);
jsonRow('pledge: unknown campaign', '/api/v1/campaigns/no-such-campaign/pledges', JSON.stringify(validPledge()), E(404, 'not_found'));
jsonRow('pledge: a campaign slug with upper case', '/api/v1/campaigns/ICOMMIT/pledges', JSON.stringify(validPledge()), E(404, 'not_found'));

// Confirm: the token field.
for (const [what, body, expect] of [
  ['token missing', '{}', E(422, 'invalid')],
  ['token as a number', '{"token":12345}', E(422, 'invalid')],
  ['token as an array', '{"token":["abc"]}', E(422, 'invalid')],
  ['token null', '{"token":null}', E(422, 'invalid')],
  ['token empty', '{"token":""}', E(422, 'invalid')],
  ['token with NUL', '{"token":"abc\\u0000def"}', E([404, 422])],
  ['token of 10,000 characters', JSON.stringify({ token: 'A'.repeat(10000) }), E([404, 422])],
  ['token of 43 characters, unknown', JSON.stringify({ token: 'A'.repeat(43) }), E(404, 'not_found')],
  ['token with non-base64url characters', JSON.stringify({ token: `${'A'.repeat(42)}/` }), E([404, 422])],
  ['token with percent-encoding', JSON.stringify({ token: '%41%41%41' }), E([404, 422])],
  ['token with SQL', JSON.stringify({ token: "' OR 1=1 --" }), E([404, 422])],
]) jsonRow(`confirm: ${what}`, CONFIRM, body, expect);
formRow('confirm: a form body (only JSON is taken)', CONFIRM, 'token=abc', E(415, 'unsupported_media_type'));

// Browser form posts to the pledge endpoint: errors come back as a 303 to
// the page with ?error=CODE.
const formError = (code) => ({ status: [303], location: new RegExp(`^/\\?error=${code}$`) });
for (const [what, body, code] of [
  ['bad percent-encoding (%zz)', 'name=%zz', 'bad_request'],
  ['bad percent-encoding (lone %)', 'name=Ana&email=%', 'bad_request'],
  ['bad percent-encoding (%G0 in a key)', 'na%G0me=Ana', 'bad_request'],
  ['raw invalid UTF-8 (C0 AF)', latin1('name=\xc0\xaf&email=ana%40example.org'), 'invalid'],
  ['raw invalid UTF-8 (ED A0 80)', latin1('name=\xed\xa0\x80'), 'invalid'],
  ['raw invalid UTF-8 (FF)', latin1('name=\xff'), 'invalid'],
  ['encoded invalid UTF-8 (%C0%AF)', 'name=%C0%AF&email=ana%40example.org', 'invalid'],
  ['encoded surrogate (%ED%A0%80)', 'name=%ED%A0%80', 'invalid'],
  ['encoded NUL in a value', 'name=Ana%00Eva', 'invalid'],
  ['encoded control character', 'name=Ana%01', 'invalid'],
  ['10,000 fields', 'a&'.repeat(10000), 'bad_request'],
  ['an empty body', '', 'invalid'],
  ['quantity 1.5', new URLSearchParams({ ...validPledge(), consent: 'on', quantity: '1.5', unit: 'buses' }).toString(), 'invalid'],
  ['quantity 99999999999999999999999', new URLSearchParams({ ...validPledge(), consent: 'on', quantity: '99999999999999999999999', unit: 'buses' }).toString(), 'invalid'],
  ['consent "maybe"', new URLSearchParams({ ...validPledge(), consent: 'maybe' }).toString(), 'invalid'],
]) row(`pledge form: ${what}`, formError(code), (s) => request(s.base, 'POST', PLEDGES, { headers: { 'Content-Type': FORM }, body, timeoutMs: TIMEOUT_MS }));
row('pledge form: 64 KiB + 1 byte', E([303, 413]), (s) => request(s.base, 'POST', PLEDGES, {
  headers: { 'Content-Type': FORM }, body: `name=${'a'.repeat(64 * 1024 - 4)}`, timeoutMs: TIMEOUT_MS,
}));
row('pledge form: repeated keys (name twice)', formError('invalid'), (s) => request(s.base, 'POST', PLEDGES, {
  headers: { 'Content-Type': FORM },
  body: `${new URLSearchParams({ ...validPledge(), consent: 'on' })}&name=Eva`,
  timeoutMs: TIMEOUT_MS,
}));
row('pledge form: a valid form post', { status: [303], location: /^\/\?ok=1$/ }, (s) => request(s.base, 'POST', PLEDGES, {
  headers: { 'Content-Type': FORM }, body: new URLSearchParams({ ...validPledge(), consent: 'on' }).toString(), timeoutMs: TIMEOUT_MS,
}));
for (const ret of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'javascript:alert(1)', '/ok\r\nSet-Cookie: a=b']) {
  row(`pledge form: return=${JSON.stringify(ret)} stays on this site`, { status: [303], location: /^\/(?![/\\])[^\r\n]*$/ }, (s) => request(s.base, 'POST', PLEDGES, {
    headers: { 'Content-Type': FORM },
    body: new URLSearchParams({ ...validPledge(), consent: 'on', return: ret }).toString(),
    timeoutMs: TIMEOUT_MS,
  }));
}

// The comment and consultant forms (issue 9): the same 303s, and list
// fields that arrive as repeated keys, as one value, or as junk.
for (const [ep, path] of [['comment', '/api/v1/comments'], ['consultant', '/api/v1/consultants']]) {
  for (const [what, body, code] of [
    ['bad percent-encoding (%zz)', 'name=%zz', 'bad_request'],
    ['10,000 fields', 'a&'.repeat(10000), 'bad_request'],
    ['raw invalid UTF-8 (FF)', latin1('message=\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff&topic=general'), 'invalid'],
    ['encoded NUL in the message', 'message=Hola%00mundo+de+todos&topic=general&bio=x', 'invalid'],
    ['expertise repeated 120 times', `${'expertise=grid&'.repeat(120)}topic=x`, 'invalid'],
    ['expertise with NUL', 'expertise=gr%00id&topic=x', 'invalid'],
    ['an empty body', '', 'invalid'],
  ]) row(`${ep} form: ${what}`, formError(code), (s) => request(s.base, 'POST', path, { headers: { 'Content-Type': FORM }, body, timeoutMs: TIMEOUT_MS }));
  jsonRow(`${ep}: a list of 5,000 choices`, path, JSON.stringify({ expertise: new Array(5000).fill('grid'), languages: new Array(3000).fill({}) }), E(422, 'invalid'));
  jsonRow(`${ep}: nested lists`, path, JSON.stringify({ expertise: [['grid']], languages: [[[]]] }), E(422, 'invalid'));
}

// Protocol-level oddities nginx must answer as JSON too.
rawRow('a request line with HTTP/2.0 on the HTTP/1 port', `GET /api/v1/health HTTP/2.0\r\n${H}\r\n`, E([400]));
rawRow('a request line with HTTP/3.0', `GET /api/v1/health HTTP/3.0\r\n${H}\r\n`, E([400]));
rawRow('the HTTP/2 connection preface', 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', E(400));
rawRow('HTTP/1.1 without Host', 'GET /api/v1/health HTTP/1.1\r\nConnection: close\r\n\r\n', E(400));
rawRow('two Host headers', 'GET /api/v1/health HTTP/1.1\r\nHost: a\r\nHost: b\r\nConnection: close\r\n\r\n', E(400));
rawRow('a NUL byte in a header value', `GET /api/v1/health HTTP/1.1\r\n${H}X-A: a\u0000b\r\n\r\n`, E([200, 400]));
rawRow('an X-Forwarded-For of garbage', `GET /api/v1/health HTTP/1.1\r\n${H}X-Forwarded-For: \xff\xfe, %00, ${'9'.repeat(500)}\r\n\r\n`, E(200));
rawRow('a huge header', `GET /api/v1/health HTTP/1.1\r\n${H}X-Big: ${'x'.repeat(40000)}\r\n\r\n`, E([400, 431, 494]));
row('Expect: 100-continue then the body', E(422, 'invalid'), async (s) => {
  const x = await rawExchange(s.port, `POST ${CONFIRM} HTTP/1.1\r\n${H}Content-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}`, { expect: 2, timeoutMs: TIMEOUT_MS });
  const final = x.responses.filter((r) => r.status >= 200).pop();
  return final ?? { status: null, headers: {}, text: x.raw.toString('latin1') };
});

// ---------------------------------------------------------------------------
function checkRow(res, expect, name) {
  assert.ok(res && res.status !== null && res.status !== undefined, `${name}: no HTTP answer${res?.timedOut ? ' (timed out)' : ''}: ${res?.raw ? res.raw.toString('latin1').slice(0, 120) : ''}`);
  assert.ok(!res.timedOut, `${name}: the answer did not complete within ${TIMEOUT_MS} ms`);
  const brief = `${res.status} ${res.headers['content-type'] ?? ''} ${String(res.text ?? '').slice(0, 160)}`;
  assert.ok(res.status < 500, `${name}: a 5xx: ${brief}`);
  assert.ok(expect.status.includes(res.status), `${name}: expected ${expect.status.join(' or ')}, got ${brief}`);
  if (res.status >= 400 && expect.head) assert.equal(res.headers['content-type'], JSON_TYPE, `${name}: ${brief}`);
  else if (res.status >= 400) assertErrorEnvelope(res, { code: expect.code, what: name });
  if (res.status === 303) {
    const loc = res.headers.location ?? '';
    assert.ok(loc.startsWith('/'), `${name}: Location ${JSON.stringify(loc)}`);
    if (expect.location) assert.match(loc, expect.location, `${name}: Location`);
  }
  if (res.status === 200 && res.headers['content-type']?.startsWith('application/json')) {
    assert.ok(res.json !== undefined, `${name}: a 200 that is not JSON: ${brief}`);
  }
}

describe('malformed requests to every public endpoint', () => {
  let s;
  let pid;
  before(async () => {
    s = await startStack();
    pid = s.daemonPid;
  });
  after(async () => {
    await s?.stop();
  });

  for (const r of rows) {
    it(r.name, async () => {
      const res = await r.send(s);
      checkRow(res, r.expect, r.name);
    });
  }

  it('a Content-Length longer than the body, then the client half-closes: no hang', async () => {
    const t0 = Date.now();
    const x = await rawExchange(s.port, `POST ${PLEDGES} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"name":"Ana"}`, { halfClose: true, timeoutMs: TIMEOUT_MS });
    assert.ok(!x.timedOut, `no close within ${TIMEOUT_MS} ms`);
    assert.ok(Date.now() - t0 < TIMEOUT_MS);
    for (const r of x.responses) assert.ok(r.status >= 400 && r.status < 500, `answered ${r.status} ${r.text}`);
  });

  it('a Content-Length longer than the body, connection held open: others are still served', async () => {
    const held = rawExchange(s.port, `POST ${PLEDGES} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{"name":"Ana"}`, { timeoutMs: 3000 });
    const results = await Promise.all(Array.from({ length: 8 }, () => get(s.base, '/api/v1/health', { timeoutMs: 2500 })));
    assert.deepEqual(results.map((r) => r.status), new Array(8).fill(200));
    const x = await held;
    for (const r of x.responses) assert.ok(r.status >= 400 && r.status < 500, `answered ${r.status} ${r.text}`);
  });

  it('pipelined requests are answered in order', async () => {
    const body = '{"token":"x"}';
    const x = await rawExchange(s.port,
      'GET /api/v1/health HTTP/1.1\r\nHost: localhost\r\n\r\n'
      + 'GET /api/v1/campaigns/icommit/nope HTTP/1.1\r\nHost: localhost\r\n\r\n'
      + `POST ${CONFIRM} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`
      + `POST ${CONFIRM} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1\r\n\r\n{`
      + 'GET /api/v1/campaigns/icommit/counter HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n',
    { expect: 5, timeoutMs: TIMEOUT_MS });
    assert.deepEqual(x.responses.map((r) => r.status), [200, 404, 404, 400, 200], x.raw.toString('latin1').slice(0, 400));
    for (const r of x.responses.filter((r) => r.status >= 400)) {
      assert.equal(r.headers['content-type'], JSON_TYPE);
      assert.equal(typeof r.json?.error?.code, 'string');
    }
  });

  it('afterwards health answers 200 from the same icommitd process', async () => {
    const res = await get(s.base, '/api/v1/health');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.status, 'ok');
    assert.ok(pid, 'icommitd had a pid at the start');
    assert.equal(s.daemonPid, pid, 'icommitd was restarted or died');
    const log = s.daemonLog();
    assert.ok(!/\bfatal\b|AddressSanitizer|runtime error/.test(log), `the daemon log reports trouble:\n${log.split('\n').filter((l) => /fatal|Sanitizer|runtime error/.test(l)).slice(0, 10).join('\n')}`);
  });
});
