// tests/e2e/faults.test.mjs: the daemon under faults. kill -9 in the middle
// of a burst of submissions (every acknowledged pledge survives, the database
// is sound, the counter matches), a full disk (503 unavailable with
// Retry-After, no corruption, recovery once space returns) and a read-only
// database (503 for writes, reads still served, writes again once writable).
// The disk tests mount a small tmpfs and so need root; they are skipped,
// saying so, otherwise. An SMTP outage: mail queued while the relay is down
// is delivered, once each, when it returns. On PostgreSQL: the daemon's
// connections ended under it (pg_terminate_backend, as a failover does):
// 503 unavailable or success, never another 5xx nor a crash, every
// acknowledged pledge stored, and the daemon connects again by itself.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, freePort } from './lib/stack.mjs';
import { isPostgresBackend, sqliteOnly, terminateConnections } from './lib/db.mjs';
import { parseMail } from './lib/mail.mjs';
import { get, postJson } from './lib/http.mjs';
import {
  PLEDGES, pledgeBody, clientAddr, burst, assertErrorEnvelope, integrityCheck, countedPledges,
  storedCounter, storedEmails, sqlite, isRoot, mountTmpfs, unmountTmpfs, remount, fillDisk, freeBytes,
} from './lib/fault-helpers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const NEEDS_ROOT = isRoot() ? false : 'needs root: mounts a tmpfs (run as root, as CI does)';
// The disk tests put the SQLite file on a small or read-only file system;
// on PostgreSQL the files are the server's.
const DATABASE_FILE = sqliteOnly('the database file on a tmpfs');
// nginx's own POST limit is lifted: these tests post thousands from 127.0.0.1.
const NO_NGINX_LIMIT = { postRate: '100000r/s', postBurst: 100000 };

/** Posts pledge i (address tag+i) from its own client address. */
function postPledge(s, i, tag, extra = {}) {
  return postJson(s.base, PLEDGES, pledgeBody(i, { tag, ...extra }), {
    headers: { 'X-Forwarded-For': clientAddr(i) },
    timeoutMs: 30000,
  });
}

/** A 503 unavailable from the API with a numeric Retry-After. */
function assertUnavailable(res, what) {
  assertErrorEnvelope(res, { status: 503, code: 'unavailable', what });
  assert.match(res.headers['retry-after'] ?? '', /^\d+$/, `${what}: Retry-After ${res.headers['retry-after']}`);
}

/** The counter agrees with the pledges: stored, recounted, and over the API. */
async function assertCounterConsistent(s, db) {
  const counted = countedPledges(db);
  assert.equal(storedCounter(db), counted, 'campaign_counters.count differs from the confirmed pledges');
  const r = await s.ctl('recount');
  assert.equal(r.code, 0, `icommitctl recount: ${r.stderr}`);
  assert.match(r.stdout, /no drift/, `icommitctl recount found drift:\n${r.stdout}`);
  const api = await get(s.base, '/api/v1/campaigns/icommit');
  assert.equal(api.status, 200, api.text);
  assert.equal(api.json.count, counted, 'the API count differs from the confirmed pledges');
}

describe('kill -9 during a burst of submissions', () => {
  const TOTAL = 2000;
  const IN_FLIGHT = 64;
  const KILL_AFTER_ACKS = 500;
  let s;
  const acked = new Map(); // email -> id
  const statuses = {};

  before(async () => {
    s = await startStack({ config: { verify_email: 'no' }, ...NO_NGINX_LIMIT });
  });
  after(async () => {
    await s?.stop();
  });

  it('every pledge acknowledged before SIGKILL is stored after the restart', async () => {
    let killing = null;
    const results = await burst(TOTAL, IN_FLIGHT, async (i) => {
      const res = await postPledge(s, i, 'kill');
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status >= 200 && res.status < 300) {
        assert.equal(res.status, 201, `pledge ${i}: ${res.status} ${res.text}`);
        acked.set(`kill${i}@example.org`, res.json.id);
        if (acked.size === KILL_AFTER_ACKS && !killing) killing = s.killDaemon('SIGKILL');
      } else {
        // Refused while the daemon is down: nginx's JSON 503, never anything else.
        assertUnavailable(res, `pledge ${i}`);
      }
      return res.status;
    });
    const failed = results.filter((r) => r.error);
    assert.equal(failed.length, 0, `requests without an answer: ${failed.slice(0, 3).map((r) => r.error.message).join('; ')}`);
    assert.ok(killing, `the daemon was never killed (statuses ${JSON.stringify(statuses)})`);
    const exit = await killing;
    assert.equal(exit.signal, 'SIGKILL', `icommitd exit: ${JSON.stringify(exit)}`);
    assert.ok(statuses[503] > 0, `no request was refused after the kill: ${JSON.stringify(statuses)}`);

    await s.startDaemon();
    const stored = storedEmails(s.dbPath);
    const missing = [...acked.keys()].filter((e) => !stored.has(e));
    assert.deepEqual(missing.slice(0, 20), [], `${missing.length} of ${acked.size} acknowledged pledges are missing after kill -9 (statuses ${JSON.stringify(statuses)})`);
    // And under the id each was acknowledged with.
    const rows = sqlite(s.dbPath, 'SELECT id, email FROM pledges;').split('\n');
    const emailById = new Map(rows.map((l) => l.split('|')).map(([id, e]) => [Number(id), e]));
    for (const [email, id] of acked) assert.equal(emailById.get(id), email, `pledge id ${id}`);
  });

  it('after the restart the database passes integrity_check', () => {
    assert.equal(integrityCheck(s.dbPath), 'ok');
  });

  it('after the restart the counter equals the confirmed pledges (recount: no drift)', async () => {
    await assertCounterConsistent(s, s.dbPath);
    assert.ok(countedPledges(s.dbPath) >= acked.size);
  });

  it('the restarted daemon takes pledges again', async () => {
    const results = await burst(50, 16, (i) => postPledge(s, TOTAL + i, 'kill'));
    assert.deepEqual([...new Set(results.map((r) => r.value?.status ?? r.error?.message))], [201]);
    await assertCounterConsistent(s, s.dbPath);
  });
});

describe('lost connections to PostgreSQL', { skip: isPostgresBackend ? false : 'PostgreSQL only: its connections ended by the server' }, () => {
  const ROUNDS = 4;
  const PER_ROUND = 60;
  let s;
  const acked = new Set();
  const statuses = {};

  before(async () => {
    s = await startStack({ config: { verify_email: 'no' }, ...NO_NGINX_LIMIT });
  });
  after(async () => {
    await s?.stop();
  });

  /** One request of a round: a pledge, the campaign or the wall. */
  async function request(i) {
    let res;
    if (i % 3 === 0) {
      res = await postPledge(s, i, 'lost');
      if (res.status === 201) acked.add(`lost${i}@example.org`);
    } else {
      res = await get(s.base, i % 3 === 1 ? '/api/v1/campaigns/icommit' : PLEDGES, { timeoutMs: 30000 });
    }
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
    if (res.status >= 300) assertUnavailable(res, `request ${i} (${res.status})`);
    return res.status;
  }

  it('ended connections: 503 unavailable or success, never another 5xx, and the daemon goes on', async () => {
    const pid = s.daemonPid;
    let ended = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const base = round * PER_ROUND;
      let answered = 0;
      // The connections end a third into the round, while other requests
      // of it are in the daemon, some in the middle of their statements.
      const results = await burst(PER_ROUND, 16, async (i) => {
        const status = await request(base + i);
        if (++answered === PER_ROUND / 3) ended += terminateConnections(s.dbPath);
        return status;
      });
      const failed = results.filter((r) => r.error);
      assert.deepEqual(failed.map((r) => r.error.message).slice(0, 3), [], 'requests that failed otherwise than with a 503');
    }
    assert.ok(ended > 0, 'no connection of the daemon was ended');
    assert.equal(s.daemonPid, pid, 'icommitd died or was restarted');
    assert.ok(acked.size > 0, `no pledge was acknowledged: ${JSON.stringify(statuses)}`);
  });

  it('the daemon connects again: every request succeeds once the database stays', async () => {
    // The first use of each ended connection makes it again; a few
    // requests may still meet one that is gone (503), none after.
    let i = ROUNDS * PER_ROUND;
    for (let tries = 0; tries < 40; tries++) {
      const results = await burst(12, 12, (k) => request(i + k));
      i += 12;
      if (results.every((r) => r.value >= 200 && r.value < 300)) break;
    }
    const results = await burst(30, 10, (k) => request(i + k));
    assert.deepEqual([...new Set(results.map((r) => r.value ?? r.error?.message))].sort(), [200, 201],
      `after the reconnection: ${JSON.stringify(statuses)}`);
  });

  it('every acknowledged pledge is stored, and the counter matches', async () => {
    const stored = storedEmails(s.dbPath);
    const missing = [...acked].filter((e) => !stored.has(e));
    assert.deepEqual(missing, [], `${missing.length} of ${acked.size} acknowledged pledges are missing`);
    await assertCounterConsistent(s, s.dbPath);
    assert.match(s.daemonLog(), /connection to the database|reconnected to the database/,
      'the daemon did not notice its connections ending');
  });
});

describe('disk full', { skip: NEEDS_ROOT || DATABASE_FILE }, () => {
  let dir;
  let db;
  let s;
  let filler;
  let n = 0;
  let pid;
  const acked = new Set();
  const post = async () => {
    const i = n++;
    // Long commitments make each commit need fresh pages.
    const res = await postPledge(s, i, 'full', { commitment: `${'Compromiso con buses eléctricos. '.repeat(45)}${i}` });
    if (res.status >= 200 && res.status < 300) acked.add(`full${i}@example.org`);
    return res;
  };

  before(async () => {
    dir = mountTmpfs('3m');
    db = path.join(dir, 'icommit.db');
    s = await startStack({ config: { verify_email: 'no', database: db }, ...NO_NGINX_LIMIT });
    pid = s.daemonPid;
  });
  after(async () => {
    try {
      await s?.stop();
    } finally {
      unmountTmpfs(dir);
    }
  });

  it('the database lives on the small file system and takes pledges', async () => {
    assert.ok(fs.existsSync(db), `${db} was not created`);
    for (let k = 0; k < 5; k++) {
      const res = await post();
      assert.equal(res.status, 201, res.text);
    }
  });

  it('with the disk full, pledges get 503 unavailable with Retry-After, never another 5xx', async () => {
    filler = fillDisk(dir);
    assert.ok(freeBytes(dir) < 8192, `still ${freeBytes(dir)} bytes free`);
    const statuses = {};
    const results = await burst(200, 16, async () => {
      const res = await post();
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      if (res.status !== 201) assertUnavailable(res, 'pledge on a full disk');
      return res.status;
    });
    const failed = results.filter((r) => r.error);
    assert.equal(failed.length, 0, `${failed.length} requests failed: ${failed[0]?.error?.message}`);
    assert.ok(statuses[503] > 0, `no 503 with the disk full: ${JSON.stringify(statuses)}`);
    assert.equal(s.daemonPid, pid, 'icommitd died or was restarted');
  });

  it('with the disk full, reads are still served', async () => {
    for (const p of ['/api/v1/health', '/api/v1/campaigns/icommit', '/api/v1/campaigns/icommit/pledges', '/api/v1/campaigns/icommit/stats']) {
      const res = await get(s.base, p);
      assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
    }
  });

  it('once space returns, pledges are taken again', async () => {
    fs.rmSync(filler);
    const first = await post();
    assert.equal(first.status, 201, `first pledge after space returned: ${first.status} ${first.text}`);
    const results = await burst(30, 8, () => post());
    assert.deepEqual([...new Set(results.map((r) => r.value?.status ?? r.error?.message))], [201]);
    assert.equal(s.daemonPid, pid, 'icommitd died or was restarted');
  });

  it('no corruption: integrity_check ok, every acknowledged pledge stored, counter consistent', async () => {
    assert.equal(integrityCheck(db), 'ok');
    const stored = storedEmails(db);
    const missing = [...acked].filter((e) => !stored.has(e));
    assert.deepEqual(missing, [], `${missing.length} acknowledged pledges are missing`);
    await assertCounterConsistent(s, db);
  });
});

describe('read-only database', { skip: NEEDS_ROOT || DATABASE_FILE }, () => {
  let dir;
  let db;
  let s;
  let startError = null;
  let n = 0;
  const post = (extra) => postPledge(s, n++, 'ro', extra);
  const running = () => assert.ok(s.daemonPid, `icommitd is not running${startError ? ` (it did not start on the read-only database: ${startError.message.split('\n').slice(0, 1)})` : ''}`);

  before(async () => {
    dir = mountTmpfs('8m');
    db = path.join(dir, 'icommit.db');
    s = await startStack({ config: { verify_email: 'no', database: db }, ...NO_NGINX_LIMIT });
    for (let k = 0; k < 3; k++) {
      const res = await post();
      assert.equal(res.status, 201, res.text);
    }
  });
  after(async () => {
    try {
      remount(dir, false);
    } catch {
      // already read-write
    }
    try {
      await s?.stop();
    } catch (err) {
      // A daemon that refused to start was already reported by its test.
      if (!startError) throw err;
    } finally {
      unmountTmpfs(dir);
    }
  });

  // A file system cannot be remounted read-only under a daemon that holds the
  // database open for writing (EBUSY), and as root file modes do not stop
  // writes: so the daemon is stopped, the tmpfs remounted ro, and it starts
  // again on a database it can only read.
  it('icommitd starts on a database whose file system is read-only', async () => {
    const exit = await s.killDaemon('SIGTERM');
    assert.equal(exit.code, 0, `exit on SIGTERM: ${JSON.stringify(exit)}`);
    remount(dir, true);
    try {
      await s.startDaemon();
    } catch (err) {
      startError = err;
      assert.fail(`icommitd does not start on a read-only database: ${err.message}`);
    }
  });

  it('on a read-only database reads are served: health, counter, campaign, wall', async () => {
    running();
    for (const p of ['/api/v1/health', '/api/v1/campaigns/icommit/counter', '/api/v1/campaigns/icommit', '/api/v1/campaigns/icommit/pledges']) {
      const res = await get(s.base, p);
      assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
    }
    assert.equal((await get(s.base, '/api/v1/campaigns/icommit')).json.count, 3);
  });

  it('on a read-only database a pledge gets 503 unavailable with Retry-After from the daemon', async () => {
    running();
    const pid = s.daemonPid;
    for (let k = 0; k < 3; k++) {
      const res = await post();
      assertUnavailable(res, 'pledge on a read-only database');
    }
    assert.equal(s.daemonPid, pid, 'icommitd died');
    assert.match(s.daemonLog(), /POST \S+ 503/, 'the 503 did not come from the daemon');
  });

  it('once the file system is writable again, pledges are taken again', async () => {
    running();
    remount(dir, false);
    let res;
    const until = Date.now() + 5000;
    do {
      res = await post();
      if (res.status === 201) break;
      await sleep(250);
    } while (Date.now() < until);
    assert.equal(res.status, 201, `pledges still refused 5 s after the remount: ${res.status} ${res.text}`);
    assert.equal(integrityCheck(db), 'ok');
  });
});

const HAVE_AIOSMTPD = spawnSync('/usr/bin/python3', ['-c', 'import aiosmtpd'], { stdio: 'ignore' }).status === 0;

describe('SMTP outage', { skip: HAVE_AIOSMTPD ? false : 'needs python3-aiosmtpd for /usr/bin/python3 (the SMTP sink)' }, () => {
  const COUNT = 12;
  let s;
  let smtpPort;
  let sink = null;
  let maildir;

  const mails = () => ['new', 'cur'].flatMap((sub) => {
    const d = path.join(maildir, sub);
    return fs.existsSync(d) ? fs.readdirSync(d).map((f) => parseMail(fs.readFileSync(path.join(d, f)))) : [];
  });

  before(async () => {
    // The relay's address is known from the start; nothing listens there yet.
    smtpPort = await freePort();
    maildir = fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-smtp-outage-'));
    for (const sub of ['tmp', 'new', 'cur']) fs.mkdirSync(path.join(maildir, sub));
    s = await startStack({ config: { verify_email: 'yes', smtp_url: `smtp://127.0.0.1:${smtpPort}` } });
  });
  after(async () => {
    if (sink && sink.exitCode === null && sink.signalCode === null) {
      sink.kill('SIGTERM');
      await new Promise((r) => sink.once('exit', r));
    }
    try {
      await s?.stop();
    } finally {
      fs.rmSync(maildir, { recursive: true, force: true });
    }
  });

  it('with the relay down, submissions are acknowledged and their mail waits in the outbox', async () => {
    for (let i = 0; i < COUNT; i++) {
      const res = await postPledge(s, i, 'smtp');
      assert.equal(res.status, 202, res.text);
    }
    const until = Date.now() + 5000;
    while (!/not delivered/.test(s.daemonLog()) && Date.now() < until) await sleep(100);
    assert.match(s.daemonLog(), /not delivered/, 'the sender never tried the relay');
    assert.equal(Number(sqlite(s.dbPath, 'SELECT count(*) FROM outbox WHERE sent_at IS NULL;')), COUNT);
  });

  it('once the relay is back, every queued mail is delivered exactly once', async () => {
    sink = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir], { stdio: 'ignore' });
    const until = Date.now() + 40000; // back-off: 2 s, 4 s, 8 s ...
    let got = [];
    while (Date.now() < until) {
      got = mails();
      if (got.length >= COUNT && Number(sqlite(s.dbPath, 'SELECT count(*) FROM outbox WHERE sent_at IS NULL;')) === 0) break;
      await sleep(250);
    }
    const to = got.map((m) => (m.headers['x-rcptto'] ?? m.to).replace(/[<>\s]/g, '').toLowerCase()).sort();
    const want = Array.from({ length: COUNT }, (_, i) => `smtp${i}@example.org`).sort();
    assert.deepEqual(to, want, `delivered ${got.length} of ${COUNT}`);
    for (const m of got) assert.match(m.text ?? '', /confirm\.html\?token=/, `not a confirmation: ${m.subject}`);
    await sleep(1500); // nothing more arrives: no second delivery
    assert.equal(mails().length, COUNT, 'a mail was delivered twice');
  });
});
