// tests/e2e/foundation.test.mjs: the foundation through real nginx and the
// real daemon — health, campaigns, the error envelope and headers, malformed
// requests, what the nginx site adds (CSP, 413/429/503 as JSON), and
// icommitctl's backup and exit codes. One test per behaviour.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, icommitctlBin } from './lib/stack.mjs';
import { sqliteOnly } from './lib/db.mjs';
import { request, get, rawRequest, headerValues } from './lib/http.mjs';

const JSON_TYPE = 'application/json; charset=utf-8';
const LANGS = ['es', 'en', 'pt', 'fr'];

/** Asserts the API's JSON error envelope with this status and code. */
function assertJsonError(res, status, code, what = '') {
  const label = `${what} -> ${res.status} ${res.text.slice(0, 200)}`;
  assert.equal(res.status, status, label);
  assert.equal(res.headers['content-type'], JSON_TYPE, label);
  assert.ok(res.json && typeof res.json.error === 'object', `no error envelope: ${label}`);
  assert.equal(res.json.error.code, code, label);
  assert.equal(typeof res.json.error.message, 'string', label);
  assert.ok(res.json.error.message.length > 0, label);
}

/** Exactly one X-Content-Type-Options: nosniff (not doubled by nginx). */
function assertNosniff(res, what) {
  assert.deepEqual(headerValues(res, 'X-Content-Type-Options'), ['nosniff'], `${what}: ${res.status}`);
}

/** A JSON API response: the right type, no-store, nosniff. */
function assertJsonHeaders(res, what) {
  assert.equal(res.headers['content-type'], JSON_TYPE, `${what}: content-type`);
  assert.deepEqual(headerValues(res, 'Cache-Control'), ['no-store'], `${what}: cache-control`);
  assertNosniff(res, what);
}

function assertNot5xx(res, what) {
  assert.ok(res.status !== null, `${what}: no HTTP answer (${res.raw?.length ?? 0} bytes)`);
  assert.ok(res.status < 500, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
}

function assertCampaign(c) {
  for (const key of ['slug', 'title', 'description', 'goal', 'count', 'opens_at', 'closes_at', 'status']) {
    assert.ok(key in c, `campaign lacks ${key}: ${JSON.stringify(c).slice(0, 300)}`);
  }
  for (const lang of LANGS) {
    assert.equal(typeof c.title[lang], 'string', `title.${lang}`);
    assert.ok(c.title[lang].trim().length > 0, `title.${lang} is empty`);
    assert.equal(typeof c.description[lang], 'string', `description.${lang}`);
  }
  assert.ok(['open', 'paused', 'upcoming', 'closed'].includes(c.status), `status ${c.status}`);
  assert.ok(Number.isInteger(c.count) && c.count >= 0, `count ${c.count}`);
  assert.ok(c.goal === null || Number.isInteger(c.goal), `goal ${c.goal}`);
}

describe('API foundation through nginx', () => {
  let stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  it('health answers 200 with status ok and a version', async () => {
    const res = await get(stack.base, '/api/v1/health');
    assert.equal(res.status, 200);
    assertJsonHeaders(res, 'health');
    assert.equal(res.json.status, 'ok');
    assert.equal(typeof res.json.version, 'string');
    assert.match(res.json.version, /^\d+\.\d+/);
  });

  it('HEAD on health answers 200 with headers and no body', async () => {
    const res = await request(stack.base, 'HEAD', '/api/v1/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    assertJsonHeaders(res, 'HEAD health');
  });

  it('campaign list contains the default campaign, open, titled in four languages', async () => {
    const res = await get(stack.base, '/api/v1/campaigns');
    assert.equal(res.status, 200);
    assertJsonHeaders(res, 'campaigns');
    assert.ok(Array.isArray(res.json.items), 'items is an array');
    const c = res.json.items.find((x) => x.slug === 'icommit');
    assert.ok(c, `no icommit in ${res.text.slice(0, 300)}`);
    assertCampaign(c);
    assert.equal(c.status, 'open');
  });

  it('campaign by slug answers the campaign', async () => {
    const res = await get(stack.base, '/api/v1/campaigns/icommit');
    assert.equal(res.status, 200);
    assertJsonHeaders(res, 'campaign');
    assertCampaign(res.json);
    assert.equal(res.json.slug, 'icommit');
    const list = await get(stack.base, '/api/v1/campaigns');
    assert.deepEqual(res.json, list.json.items.find((x) => x.slug === 'icommit'));
  });

  it('unknown campaign slug is a 404 not_found', async () => {
    const res = await get(stack.base, '/api/v1/campaigns/no-such-campaign');
    assertJsonError(res, 404, 'not_found');
    assertJsonHeaders(res, 'unknown slug');
  });

  it('unknown route is a 404 not_found', async () => {
    for (const p of ['/api/v1/nothing-here', '/api/v2/health', '/api/', '/api/v1/campaigns/icommit/nothing']) {
      const res = await get(stack.base, p);
      assertJsonError(res, 404, 'not_found', p);
      assertJsonHeaders(res, p);
    }
  });

  it('DELETE on the campaign list is a 405 with Allow naming GET', async () => {
    const res = await request(stack.base, 'DELETE', '/api/v1/campaigns');
    assertJsonError(res, 405, 'method_not_allowed');
    assert.ok(res.headers.allow, 'no Allow header');
    assert.ok(res.headers.allow.split(/\s*,\s*/).includes('GET'), `Allow: ${res.headers.allow}`);
    assert.ok(!res.headers.allow.split(/\s*,\s*/).includes('DELETE'), `Allow: ${res.headers.allow}`);
  });

  it('POST to a GET-only route is a 405 with Allow', async () => {
    for (const p of ['/api/v1/health', '/api/v1/campaigns/icommit']) {
      const res = await request(stack.base, 'POST', p, {
        headers: { 'Content-Type': JSON_TYPE },
        body: '{}',
      });
      assertJsonError(res, 405, 'method_not_allowed', p);
      assert.ok((res.headers.allow ?? '').includes('GET'), `${p} Allow: ${res.headers.allow}`);
    }
  });

  it('every API response has nosniff, no-store and the JSON content type', async () => {
    const cases = [
      ['GET', '/api/v1/health'],
      ['GET', '/api/v1/campaigns'],
      ['GET', '/api/v1/campaigns/icommit'],
      ['GET', '/api/v1/campaigns/nope'],
      ['GET', '/api/v1/nope'],
      ['DELETE', '/api/v1/campaigns'],
      ['PUT', '/api/v1/health'],
      ['GET', '/api/v1/campaigns?%zz'],
    ];
    for (const [method, p] of cases) {
      const res = await request(stack.base, method, p);
      assertJsonHeaders(res, `${method} ${p}`);
      assert.ok(res.json !== undefined, `${method} ${p}: body is not JSON: ${res.text.slice(0, 100)}`);
    }
  });

  it('bad percent-encoding in the query string is a 400 bad_request', async () => {
    for (const p of ['/api/v1/campaigns?%zz', '/api/v1/campaigns?a=%', '/api/v1/campaigns/icommit?x=%G1']) {
      const res = await get(stack.base, p);
      assertJsonError(res, 400, 'bad_request', p);
    }
  });

  it('malformed requests never get a 5xx and are answered in JSON', async () => {
    const longSegment = 'a'.repeat(6000);
    const cases = [
      // [what, request bytes]
      ['percent-encoded NUL in the path', 'GET /api/v1/campaigns/%00 HTTP/1.1'],
      ['percent-encoded NUL mid-route', 'GET /api/v1/camp%00aigns HTTP/1.1'],
      ['invalid UTF-8 in the path', Buffer.from('GET /api/v1/campaigns/\xff\xfe\xc0 HTTP/1.1', 'latin1')],
      ['overlong UTF-8 percent-encoded', 'GET /api/v1/campaigns/%c0%af HTTP/1.1'],
      ['a long path', `GET /api/v1/campaigns/${longSegment} HTTP/1.1`],
      ['a path longer than nginx accepts', `GET /api/v1/${'b'.repeat(20000)} HTTP/1.1`],
      ['encoded dot segments', 'GET /api/v1/campaigns/%2e%2e/%2e%2e/health HTTP/1.1'],
      ['encoded slash in a slug', 'GET /api/v1/campaigns/icommit%2F..%2Fx HTTP/1.1'],
      ['a query of only separators', 'GET /api/v1/campaigns?&&&===&&%26%3D HTTP/1.1'],
      ['a huge query', `GET /api/v1/campaigns?${'a=1&'.repeat(1500)} HTTP/1.1`],
      ['a query of stray percents', 'GET /api/v1/health?%%%%%%25%2 HTTP/1.1'],
      ['a query with NUL and invalid UTF-8', 'GET /api/v1/campaigns/icommit?lang=%00%ff%fe HTTP/1.1'],
      ['unknown method BREW', 'BREW /api/v1/health HTTP/1.1'],
      ['unknown method on an unknown route', 'PROPFIND /api/v1/nope HTTP/1.1'],
      ['TRACE', 'TRACE /api/v1/health HTTP/1.1'],
      ['lower-case method', 'get /api/v1/health HTTP/1.1'],
      ['garbage request line', 'HELLO'],
      ['NUL byte in a header', 'GET /api/v1/health HTTP/1.1\r\nX-Junk: a\0b'],
      ['a header too large', `GET /api/v1/health HTTP/1.1\r\nX-Big: ${'x'.repeat(40000)}`],
      ['a broken chunked body', 'POST /api/v1/health HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', true],
      ['a negative Content-Length', 'POST /api/v1/health HTTP/1.1\r\nContent-Length: -5', false],
    ];
    for (const [what, line, bodyIncluded] of cases) {
      const head = Buffer.isBuffer(line) ? line : Buffer.from(line, 'latin1');
      const bytes = bodyIncluded
        ? Buffer.concat([head.subarray(0, head.indexOf('\r\n\r\n')), Buffer.from('\r\nHost: localhost\r\nConnection: close\r\n\r\n'), head.subarray(head.indexOf('\r\n\r\n') + 4)])
        : Buffer.concat([head, Buffer.from('\r\nHost: localhost\r\nConnection: close\r\n\r\n')]);
      const res = await rawRequest(stack.port, bytes);
      assertNot5xx(res, what);
      assert.ok(res.status >= 200, `${what}: ${res.status}`);
      if (res.status >= 400) {
        assert.equal(res.headers['content-type'], JSON_TYPE, `${what}: ${res.status} ${res.text.slice(0, 120)}`);
        assert.equal(typeof res.json?.error?.code, 'string', `${what}: ${res.text.slice(0, 120)}`);
      }
      assertNosniff(res, what);
    }
    const health = await get(stack.base, '/api/v1/health');
    assert.equal(health.status, 200, 'health after the malformed requests');
  });

  it('the landing page is served with the strict CSP and no framing', async () => {
    const res = await get(stack.base, '/');
    assert.equal(res.status, 200);
    assert.match(res.headers['content-type'], /^text\/html/);
    const csp = res.headers['content-security-policy'] ?? '';
    for (const directive of [
      "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
      "connect-src 'self'", "base-uri 'none'", "form-action 'self'", "object-src 'none'",
      "frame-ancestors 'none'",
    ]) {
      assert.ok(csp.includes(directive), `CSP lacks ${directive}: ${csp}`);
    }
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), `CSP allows unsafe: ${csp}`);
    assert.equal(res.headers['x-frame-options'], 'DENY');
    assert.equal(res.headers['referrer-policy'], 'strict-origin-when-cross-origin');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assertNosniff(res, '/');
  });

  it('the embed page and the widget may be framed by other sites', async () => {
    for (const p of ['/embed.html', '/widget.js']) {
      const res = await get(stack.base, p);
      assert.equal(res.headers['x-frame-options'], undefined, `${p}: X-Frame-Options ${res.headers['x-frame-options']}`);
      const csp = res.headers['content-security-policy'] ?? '';
      assert.ok(csp.includes("default-src 'self'"), `${p}: CSP ${csp}`);
      assert.ok(!csp.includes("frame-ancestors 'none'"), `${p}: CSP ${csp}`);
    }
    const page = await get(stack.base, '/index.html');
    assert.equal(page.headers['x-frame-options'], 'DENY');
  });

  it('static assets are cached for a while, pages revalidated', async () => {
    const css = await get(stack.base, '/css/site.css');
    assert.equal(css.status, 200);
    assert.equal(css.headers['cache-control'], 'public, max-age=3600');
    assertNosniff(css, 'css');
    const page = await get(stack.base, '/index.html');
    assert.equal(page.headers['cache-control'], 'no-cache');
    const api = await get(stack.base, '/api/v1/health');
    assert.deepEqual(headerValues(api, 'Cache-Control'), ['no-store']);
  });

  it('a 1 MiB body to the API is refused by nginx as JSON payload_too_large', async () => {
    const res = await request(stack.base, 'POST', '/api/v1/health', {
      headers: { 'Content-Type': JSON_TYPE },
      body: Buffer.alloc(1024 * 1024, 0x20),
    });
    assertJsonError(res, 413, 'payload_too_large');
    assertJsonHeaders(res, '413');
  });

  it('GET requests are never rate limited', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, () => get(stack.base, '/api/v1/health')));
    assert.deepEqual([...new Set(results.map((r) => r.status))], [200]);
  });
});

describe('nginx in front of a daemon that is down or flooded', () => {
  let stack;
  before(async () => {
    // The production limit of the site (the test default is relaxed).
    stack = await startStack({ postRate: '10r/s', postBurst: 20 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('a flood of POSTs from one client gets JSON 429 rate_limited with Retry-After', async () => {
    const results = [];
    for (let i = 0; i < 40; i++) {
      results.push(await request(stack.base, 'POST', '/api/v1/health', {
        headers: { 'Content-Type': JSON_TYPE },
        body: '{}',
      }));
    }
    const limited = results.filter((r) => r.status === 429);
    assert.ok(limited.length > 0, `no 429 in ${results.map((r) => r.status).join(' ')}`);
    assert.ok(results.slice(0, 10).every((r) => r.status === 405), 'the first requests reach the daemon');
    for (const r of limited) {
      assertJsonError(r, 429, 'rate_limited');
      assertJsonHeaders(r, '429');
      assert.match(r.headers['retry-after'] ?? '', /^\d+$/, 'Retry-After');
    }
    const health = await get(stack.base, '/api/v1/health');
    assert.equal(health.status, 200, 'GETs still pass while POSTs are limited');
  });

  it('icommitd stops cleanly on SIGTERM and starts again', async () => {
    const exit = await stack.restartDaemon();
    assert.deepEqual(exit, { code: 0, signal: null }, `exit on SIGTERM: ${JSON.stringify(exit)}`);
    const res = await get(stack.base, '/api/v1/health');
    assert.equal(res.status, 200);
  });

  it('with the daemon killed the API answers JSON 503 unavailable with Retry-After', async () => {
    await stack.killDaemon('SIGKILL');
    for (const p of ['/api/v1/health', '/api/v1/campaigns/icommit']) {
      const res = await get(stack.base, p);
      assertJsonError(res, 503, 'unavailable', p);
      assertJsonHeaders(res, p);
      assert.match(res.headers['retry-after'] ?? '', /^\d+$/, `${p}: Retry-After`);
    }
    const page = await get(stack.base, '/');
    assert.equal(page.status, 200, 'static pages are still served');
  });

  it('icommitd starts again after being killed with SIGKILL', async () => {
    await stack.startDaemon();
    const res = await get(stack.base, '/api/v1/campaigns/icommit');
    assert.equal(res.status, 200);
    assert.equal(res.json.slug, 'icommit');
  });
});

describe('icommitctl', () => {
  let stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  // icommitctl backup copies the SQLite file (its online backup API); a
  // PostgreSQL database is backed up with pg_dump or pg_basebackup.
  const SQLITE_BACKUP = { skip: sqliteOnly('icommitctl backup of the SQLite file') };

  it('backup writes a database that passes integrity_check while the daemon runs', SQLITE_BACKUP, async () => {
    const file = path.join(stack.dir, 'backup.db');
    const r = await stack.ctl('backup', file);
    assert.equal(r.code, 0, `backup: ${r.stderr}`);
    assert.ok(fs.statSync(file).size > 0, 'backup is empty');
    const check = spawnSync('sqlite3', [file, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
    assert.equal(check.status, 0, check.stderr);
    assert.equal(check.stdout.trim(), 'ok');
    const tables = spawnSync('sqlite3', [file, "SELECT count(*) FROM sqlite_master WHERE type = 'table';"], { encoding: 'utf8' });
    assert.ok(Number(tables.stdout.trim()) > 0, `no tables in the backup: ${tables.stdout}`);
    const slugs = spawnSync('sqlite3', [file, 'SELECT slug FROM campaigns;'], { encoding: 'utf8' });
    assert.equal(slugs.status, 0, slugs.stderr);
    assert.ok(slugs.stdout.split('\n').includes('icommit'), `campaigns in the backup: ${slugs.stdout}`);
    const health = await get(stack.base, '/api/v1/health');
    assert.equal(health.status, 200);
  });

  it('backup refuses to overwrite an existing file', SQLITE_BACKUP, async () => {
    const file = path.join(stack.dir, 'exists.db');
    fs.writeFileSync(file, 'precious');
    const r = await stack.ctl('backup', file);
    assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}`);
    assert.equal(fs.readFileSync(file, 'utf8'), 'precious');
  });

  it('a config file with an unknown key fails with exit 1 and one line naming file and line', async () => {
    const conf = path.join(stack.dir, 'bad.conf');
    fs.writeFileSync(conf, `# a comment\ndatabase = ${stack.dbPath}\nno_such_key = 1\n`);
    const r = spawnSync(icommitctlBin, ['-c', conf, 'init'], { encoding: 'utf8' });
    assert.equal(r.status, 1, `exit ${r.status}: ${r.stderr}`);
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `stderr: ${r.stderr}`);
    assert.ok(lines[0].includes(conf), `does not name the file: ${lines[0]}`);
    assert.match(lines[0], /(:3\b|line 3\b)/, `does not name line 3: ${lines[0]}`);
  });

  it('bad usage exits 2', async () => {
    for (const args of [[], ['no-such-command'], ['backup']]) {
      const r = await stack.ctl(...args);
      assert.equal(r.code, 2, `icommitctl ${args.join(' ')}: exit ${r.code}: ${r.stderr}`);
      assert.ok(r.stderr.length > 0, 'says why on stderr');
    }
  });
});
