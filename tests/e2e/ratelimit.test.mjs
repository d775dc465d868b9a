// tests/e2e/ratelimit.test.mjs: the daemon's per-client rate limit on public
// POSTs (config rate_limit per minute): 429 rate_limited with Retry-After,
// per address (IPv6 per /64), other clients unaffected, and the form
// fallback's redirect. Clients are told apart by X-Forwarded-For, which the
// daemon believes because nginx reaches it from a trusted proxy (127.0.0.1).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { request, postJson } from './lib/http.mjs';

const LIMIT = 5;
const PATH = '/api/v1/campaigns/icommit/pledges';

function pledge(i) {
  return {
    name: `Rate ${i}`, email: `rate${i}@example.org`, actor_type: 'individual',
    country: 'CL', commitment: 'Usar el transporte público eléctrico', consent: true,
  };
}

describe('rate limit', () => {
  let s;
  let n = 0;
  before(async () => { s = await startStack({ config: { rate_limit: LIMIT, verify_email: 'no' } }); });
  after(async () => { await s?.stop(); });

  const post = (ip) => postJson(s.base, PATH, pledge(n++), { headers: { 'X-Forwarded-For': ip } });

  it('allows rate_limit POSTs a minute from one client, then answers 429 with Retry-After', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await post('198.51.100.7');
      assert.equal(res.status, 201, res.text);
    }
    const res = await post('198.51.100.7');
    assert.equal(res.status, 429, res.text);
    assert.equal(res.json.error.code, 'rate_limited');
    const retry = Number(res.headers['retry-after']);
    assert.ok(Number.isInteger(retry) && retry >= 1 && retry <= 60, `Retry-After ${res.headers['retry-after']}`);
  });

  it('does not count one client against another', async () => {
    for (let i = 0; i < LIMIT; i++) await post('198.51.100.8');
    assert.equal((await post('198.51.100.8')).status, 429);
    assert.equal((await post('198.51.100.9')).status, 201);
  });

  it('limits an IPv6 client per /64, not per address', async () => {
    for (let i = 0; i < LIMIT; i++) {
      const res = await post(`2001:db8:1:2::${i + 1}`);
      assert.equal(res.status, 201, res.text);
    }
    assert.equal((await post('2001:db8:1:2:ffff::1')).status, 429);
    assert.equal((await post('2001:db8:1:3::1')).status, 201);
  });

  it('refuses before storing: a refused pledge is not counted', async () => {
    const before = (await request(s.base, 'GET', '/api/v1/campaigns/icommit')).json.count;
    for (let i = 0; i < 3; i++) assert.equal((await post('198.51.100.7')).status, 429);
    const after = (await request(s.base, 'GET', '/api/v1/campaigns/icommit')).json.count;
    assert.equal(after, before);
  });

  it('sends a browser form back with error=rate_limited', async () => {
    const body = new URLSearchParams({ ...pledge(n++), consent: 'on', return: '/?lang=fr#pledge' }).toString();
    const res = await request(s.base, 'POST', PATH, {
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': '198.51.100.7' },
      body,
    });
    assert.equal(res.status, 303);
    assert.equal(res.headers.location, '/?lang=fr&error=rate_limited#pledge');
  });

  it('does not limit reads', async () => {
    for (let i = 0; i < 30; i++) {
      const res = await request(s.base, 'GET', '/api/v1/campaigns/icommit/counter', {
        headers: { 'X-Forwarded-For': '198.51.100.7' },
      });
      assert.equal(res.status, 200);
    }
  });
});
