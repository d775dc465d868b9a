// tests/e2e/conns.test.mjs — the FastCGI connections nginx keeps open to
// icommitd between requests (deploy/nginx/icommit.conf.in: fastcgi_keep_conn
// on and an upstream keepalive; src/conns.c): sequential API requests reuse
// the daemon's connections instead of one each; a burst of reads and
// pledges at once is all answered; a request whose body is never read
// closes its connection and the next is answered; connections that send
// nothing hold no worker; when nginx reloads, the
// daemon closes its ends of the old workers' connections; after the daemon
// restarts, the next requests (a pledge too) are answered at once.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startStack } from './lib/stack.mjs';
import { get, postJson } from './lib/http.mjs';
import { pledgeBody } from './lib/pledge-helpers.mjs';

// Not the counter: nginx's micro-cache answers most of those itself.
const HEALTH = '/api/v1/health';
const WALL = '/api/v1/campaigns/icommit/pledges?limit=5';
const PLEDGES = '/api/v1/campaigns/icommit/pledges';

/** Inodes of the unix sockets connected through socketPath (accepted ones:
 * state 03, the listening socket's path), from /proc/net/unix. */
function connectedInodes(socketPath) {
  const out = new Set();
  for (const line of fs.readFileSync('/proc/net/unix', 'utf8').split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[5] === '03' && f[7] === socketPath) out.add(f[6]);
  }
  return out;
}

/** The FastCGI connections icommitd (pid) holds open: its descriptors that
 * are sockets connected through socketPath. */
function daemonConns(pid, socketPath) {
  const connected = connectedInodes(socketPath);
  const out = new Set();
  for (const fd of fs.readdirSync(`/proc/${pid}/fd`)) {
    let target;
    try {
      target = fs.readlinkSync(`/proc/${pid}/fd/${fd}`);
    } catch {
      continue; // closed meanwhile
    }
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m && connected.has(m[1])) out.add(m[1]);
  }
  return out;
}

async function waitUntil(pred, ms, what) {
  const end = Date.now() + ms;
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() > end) assert.fail(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('FastCGI connections kept between requests', () => {
  let stack;

  before(async () => {
    stack = await startStack({ postRate: '10000r/s', postBurst: 10000 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('sequential requests reuse the connections nginx keeps (no new one each time)', async () => {
    const seen = new Set();
    const sets = [];
    for (let i = 0; i < 30; i++) {
      const res = await get(stack.base, HEALTH);
      assert.equal(res.status, 200);
      const now = daemonConns(stack.daemonPid, stack.socketPath);
      sets.push(now);
      for (const ino of now) seen.add(ino);
    }
    // Between requests the connection stays open on the daemon's side...
    assert.ok(sets.every((s) => s.size >= 1), `a connection kept after every request: ${sets.map((s) => s.size)}`);
    // ... and the same ones serve the next requests: one per nginx worker
    // (two), not thirty.
    assert.ok(seen.size <= 2, `30 requests used ${seen.size} connections`);
  });

  it('a burst of reads and pledges at once is all answered, on a handful of connections', async () => {
    const reqs = [];
    for (let i = 0; i < 150; i++) {
      reqs.push(i % 3 === 0
        ? postJson(stack.base, PLEDGES, pledgeBody(`conns-${i}`))
        : get(stack.base, i % 3 === 1 ? HEALTH : WALL));
    }
    const res = await Promise.all(reqs);
    const bad = res.filter((r) => !(r.status === 200 || r.status === 202));
    assert.equal(bad.length, 0, `statuses: ${bad.map((r) => r.status)}`);
    const kept = daemonConns(stack.daemonPid, stack.socketPath);
    assert.ok(kept.size >= 1 && kept.size <= 150, `connections kept after the burst: ${kept.size}`);
  });

  it('a body the daemon refuses unread closes that connection, and the next request is answered', async () => {
    const big = JSON.stringify({ ...pledgeBody('conns-big'), commitment: 'x'.repeat(100 * 1024) });
    for (let i = 0; i < 3; i++) {
      const res = await postJson(stack.base, PLEDGES, big);
      assert.equal(res.status, 413, res.text);
      const next = await get(stack.base, HEALTH);
      assert.equal(next.status, 200);
    }
  });

  it('connections to the socket that send nothing hold no worker', async () => {
    // More than the daemon's threads: each would hold a worker if the
    // daemon read a new connection before its request came.
    const idle = await Promise.all(Array.from({ length: 16 }, () => new Promise((resolve, reject) => {
      const c = net.connect(stack.socketPath, () => resolve(c));
      c.on('error', reject);
    })));
    try {
      for (let i = 0; i < 5; i++) {
        const res = await get(stack.base, HEALTH, { timeoutMs: 10000 });
        assert.equal(res.status, 200);
      }
      const res = await postJson(stack.base, PLEDGES, pledgeBody('conns-idle'), { timeoutMs: 10000 });
      assert.equal(res.status, 202, res.text);
    } finally {
      for (const c of idle) c.destroy();
    }
  });

  it('when nginx reloads, the daemon closes its ends of the old workers\' connections', async () => {
    await get(stack.base, HEALTH);
    const before = daemonConns(stack.daemonPid, stack.socketPath);
    assert.ok(before.size >= 1);
    const nginxPid = Number(fs.readFileSync(path.join(stack.dir, 'nginx', 'nginx.pid'), 'utf8'));
    process.kill(nginxPid, 'SIGHUP');
    // The old workers finish and close their idle upstream connections;
    // the daemon reads their end and closes its side.
    await waitUntil(() => [...before].every((ino) => !daemonConns(stack.daemonPid, stack.socketPath).has(ino)),
      10000, 'the old connections closed on the daemon\'s side');
    const res = await get(stack.base, HEALTH);
    assert.equal(res.status, 200);
    const after = daemonConns(stack.daemonPid, stack.socketPath);
    assert.ok(after.size >= 1, 'the new workers\' connection is kept');
  });

  it('after the daemon restarts, the next requests are answered at once, a pledge too', async () => {
    await get(stack.base, HEALTH);
    const r = await stack.restartDaemon();
    assert.equal(r.code, 0, 'icommitd stopped cleanly');
    const res = await postJson(stack.base, PLEDGES, pledgeBody('conns-after-restart'));
    assert.equal(res.status, 202, res.text);
    for (let i = 0; i < 5; i++) assert.equal((await get(stack.base, HEALTH)).status, 200);
  });
});
