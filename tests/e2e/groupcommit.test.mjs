// tests/e2e/groupcommit.test.mjs: the asynchronous group commit. A request
// that waits for its commit no longer holds a worker thread (req_defer), so
// one transaction can hold more submissions than there are threads; every
// 2xx is still durable; and a SIGTERM in the middle of a burst answers every
// request the daemon had accepted (queued ones included) before it exits 0.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { postJson } from './lib/http.mjs';
import { PLEDGES, pledgeBody, clientAddr, sqlite, integrityCheck } from './lib/fault-helpers.mjs';

// nginx's own POST limit is lifted: these tests post bursts from 127.0.0.1.
const NO_NGINX_LIMIT = { postRate: '100000r/s', postBurst: 100000 };
const THREADS = 2;

/** Posts n pledges at once, each from its own address; the response promises. */
function postEach(s, n, tag) {
  return Array.from({ length: n }, (_, i) =>
    postJson(s.base, PLEDGES, pledgeBody(i, { tag }), {
      headers: { 'X-Forwarded-For': clientAddr(i + 1) },
      timeoutMs: 60000,
    }).catch((err) => ({ status: 0, text: String(err) })));
}
const postAll = (s, n, tag) => Promise.all(postEach(s, n, tag));

/** The e-mail addresses stored with tag. */
function storedEmails(db, tag) {
  return new Set(sqlite(db, `SELECT email FROM pledges WHERE email LIKE '${tag}%'`)
    .split('\n').filter(Boolean));
}

/** The writer's figures from the log lines it writes when it stops. */
function writerFigures(log) {
  return [...log.matchAll(/writer: (\d+) jobs in (\d+) transactions/g)]
    .map((m) => ({ jobs: Number(m[1]), transactions: Number(m[2]) }));
}

describe(`group commit with threads = ${THREADS}`, () => {
  let s;
  before(async () => {
    s = await startStack({ config: { threads: THREADS, verify_email: 'yes' }, ...NO_NGINX_LIMIT });
  });
  after(async () => {
    await s?.stop();
  });

  it('test_64_concurrent_pledges_on_2_threads_all_succeed_and_are_durable', async () => {
    const res = await postAll(s, 64, 'gc');
    const bad = res.filter((r) => r.status !== 202);
    assert.equal(bad.length, 0, `not 202: ${bad.slice(0, 3).map((r) => `${r.status} ${r.text}`).join(' | ')}`);
    for (const r of res) assert.deepEqual(r.json, { status: 'pending_confirmation' });
    // Durable: every acknowledged pledge is in the file, with its token and
    // its confirmation mail, once the daemon has gone (no cache can lie).
    const exit = await s.restartDaemon();
    assert.deepEqual(exit, { code: 0, signal: null }, `exit on SIGTERM: ${JSON.stringify(exit)}`);
    const emails = storedEmails(s.dbPath, 'gc');
    assert.equal(emails.size, 64);
    for (let i = 0; i < 64; i++) assert.ok(emails.has(`gc${i}@example.org`), `gc${i} missing`);
    assert.equal(sqlite(s.dbPath, "SELECT count(*) FROM tokens WHERE kind = 'pledge'"), '64');
    assert.equal(sqlite(s.dbPath, "SELECT count(*) FROM outbox WHERE recipient LIKE 'gc%'"), '64');
  });

  it('test_a_transaction_holds_more_pledges_than_there_are_threads', () => {
    // The writer logs its totals when it stops (the restart above).
    const figures = writerFigures(s.daemonLog());
    assert.ok(figures.length >= 1, `no writer figures in the log:\n${s.daemonLog().slice(-2000)}`);
    const { jobs, transactions } = figures[0];
    console.log(`# writer: ${jobs} jobs in ${transactions} transactions`);
    assert.ok(jobs >= 64, `writer jobs ${jobs}`);
    // With a worker thread blocked per waiting request, no transaction could
    // hold more than THREADS jobs, so the average could not exceed it.
    assert.ok(jobs / transactions > THREADS,
      `${jobs} jobs in ${transactions} transactions: no batch larger than ${THREADS} threads`);
  });

  it('test_sigterm_during_a_burst_answers_and_keeps_every_accepted_pledge', async () => {
    const pending = postEach(s, 128, 'term');
    // Once the first answer is back the others are in flight: stop the
    // daemon under them.
    await Promise.race(pending);
    const exit = await s.killDaemon('SIGTERM');
    assert.deepEqual(exit, { code: 0, signal: null }, `exit on SIGTERM: ${JSON.stringify(exit)}`);
    const res = await Promise.all(pending);
    // The daemon answers what it accepted (202); nginx answers the rest with
    // the API's JSON 503 once the socket is gone. Nothing hangs, nothing 500s.
    const statuses = {};
    for (const r of res) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    for (const st of Object.keys(statuses)) {
      assert.ok(st === '202' || st === '503', `unexpected statuses ${JSON.stringify(statuses)}`);
    }
    console.log(`# statuses after SIGTERM mid-burst: ${JSON.stringify(statuses)}`);
    const emails = storedEmails(s.dbPath, 'term');
    res.forEach((r, i) => {
      if (r.status === 202) assert.ok(emails.has(`term${i}@example.org`), `acknowledged term${i} is missing`);
    });
    assert.equal(integrityCheck(s.dbPath), 'ok');
    await s.startDaemon();
  });
});
