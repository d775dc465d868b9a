// tests/e2e/multinode.test.mjs — two icommitd nodes on one PostgreSQL
// database behind one nginx upstream (issue 15, parts 2 and 5; only with
// ICOMMIT_BACKEND=postgres, scripts/test's PostgreSQL stage). A burst of
// distinct and repeated pledges and of registrations for more people than
// seats goes through both nodes while one is killed -9: no 5xx but 503 (nginx
// makes the killed node's unanswered requests a JSON 503), every
// acknowledged pledge and seat stored exactly once, seats within capacity
// and equal to the event's count, waitlist positions distinct, `icommitctl
// recount` without drift (the counter, the tallies and the event's seat
// count), and every mail delivered once after the node is back, except
// those the killed node had claimed (their lease, mail_lease, runs out and
// another node sends them: perhaps again); and each node had answered some
// of the burst before the kill (their access logs). Then: a pause made
// through one node is obeyed by both within the campaign cache's second; the
// staff login throttle counts failures across nodes; the scheduler runs on
// one leader only, and when the leader dies another takes over and sends
// the day-before reminders once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isPostgresBackend, query } from './lib/db.mjs';
import { request, postJson } from './lib/http.mjs';
import { assertAnswered, startNodes } from './lib/nodes.mjs';
import { pledgeBody, pledgesPath, poll, recipients, sleep } from './lib/pledge-helpers.mjs';
import { addUser, freshAddress, loginRequest, signIn } from './lib/staff.mjs';
import { eventBody, iso } from './lib/event-helpers.mjs';

const skip = isPostgresBackend ? false : 'PostgreSQL only (ICOMMIT_BACKEND=postgres): several nodes need a shared database';
const LEASE = 10; // mail_lease of the test's nodes, seconds

let cluster; // { stack, nodes, stop }
let stack;
let admin;

const rows = (sql) => {
  const out = query(stack.dbPath, sql, { json: true });
  return out ? JSON.parse(out) : [];
};
function person(tag, extra = {}) {
  return {
    name: `Persona ${tag}`,
    email: `${tag}@multinode-test.example.org`,
    organisation: 'Ministerio de Energía',
    country: 'CL',
    language: 'es',
    consent: true,
    ...extra,
  };
}

/** Runs the jobs (async functions) at most `width` at a time, in order of
 * start; onDone(count) after each. Resolves to their results. */
async function pool(jobs, width, onDone = () => {}) {
  const results = new Array(jobs.length);
  let next = 0;
  let done = 0;
  async function worker() {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
      done++;
      await onDone(done);
    }
  }
  await Promise.all(Array.from({ length: width }, worker));
  return results;
}

/** A request that never throws: a network error becomes status 0. */
async function attempt(fn) {
  try {
    return await fn();
  } catch (err) {
    return { status: 0, text: String(err), json: null, headers: {} };
  }
}


/** Which nodes log an access line for method path status since a mark. */
function nodesThatAnswered(marks, line) {
  return cluster.nodes.filter((n, i) => n.log().slice(marks[i]).includes(line)).map((n) => n.n);
}
const logMarks = () => cluster.nodes.map((n) => n.log().length);

/**
 * Sends send(i) for i = 0, 1, ... until both nodes have answered one (each
 * answer must be status); at most 60 requests. nginx's JSON 503 is let
 * through: a node that failed is left out for fail_timeout (5 s) by each
 * nginx worker, and a worker that has both left out answers 503 at once.
 */
async function bothAnswer(send, status, line) {
  const marks = logMarks();
  for (let i = 0; i < 60; i++) {
    const r = await send(i);
    if (r.status === 503) assertAnswered(r, line);
    else assert.equal(r.status, status, r.text);
    if (nodesThatAnswered(marks, line).length === 2) return;
    await sleep(250);
  }
  assert.fail(`only node(s) ${nodesThatAnswered(marks, line)} answered ${line}`);
}

/** fn() again while it gets nginx's JSON 503 (see bothAnswer); the answer. */
async function past503(fn) {
  for (let i = 0; ; i++) {
    const r = await fn();
    if (r.status !== 503 || i >= 40) return r;
    assertAnswered(r, 'a retried request');
    await sleep(250);
  }
}

/** The node whose session holds the scheduler's lock (by application_name). */
function leaderNode() {
  const who = rows(`SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
    WHERE l.locktype = 'advisory' AND l.classid = 1768124269 AND l.objid = 2 AND l.objsubid = 2 AND l.granted`);
  assert.equal(who.length, 1, `the leader lock's holders: ${JSON.stringify(who)}`);
  const m = /^icommit-node-(\d+)$/.exec(who[0].app ?? '');
  return cluster.nodes[m ? Number(m[1]) - 1 : 0];
}

before(async () => {
  if (skip) return;
  cluster = await startNodes(2, { smtp: true, config: { mail_lease: LEASE } });
  stack = cluster.stack;
  // nginx has seen node 2 missing while node 1 started: until both answer.
  await bothAnswer(() => request(stack.base, 'GET', '/api/v1/health'), 200, 'GET /api/v1/health 200');
  await addUser(stack, 'multinode-admin');
  admin = await signIn(stack, 'multinode-admin');
});

after(async () => {
  if (cluster) await cluster.stop();
});

test('a burst through two nodes, one killed -9 midway: nothing acknowledged lost or doubled, seats exact, each mail once', { skip, timeout: 240000 }, async () => {
  let r = await past503(() => admin.post('/events', eventBody('burst')));
  assert.equal(r.status, 201, r.text);

  // 120 people pledge, 40 of them twice at once (a +tag and upper case: the
  // same person); 40 people register for 10 seats, 10 of them twice.
  const jobs = [];
  for (let i = 0; i < 120; i++) {
    const body = pledgeBody(`mn-${i}`);
    jobs.push({ kind: 'pledge', key: body.email, body });
    if (i < 40) jobs.push({ kind: 'pledge', key: body.email, body: { ...body, email: `MN-${i}+again@pledge-test.example.org` } });
  }
  for (let i = 0; i < 40; i++) {
    const body = person(`reg-${i}`);
    jobs.push({ kind: 'reg', key: body.email, body });
    if (i < 10) jobs.push({ kind: 'reg', key: body.email, body });
  }
  // A fixed shuffle, so that repeats land near their first.
  for (let i = jobs.length - 1; i > 0; i--) {
    const j = (i * 7919) % (i + 1);
    [jobs[i], jobs[j]] = [jobs[j], jobs[i]];
  }

  let killed = null; // { pid, claimed: [recipient], served: [per node] }
  const marks = logMarks();
  const results = await pool(jobs.map((job) => () => attempt(() => (job.kind === 'pledge'
    ? postJson(stack.base, pledgesPath(), job.body)
    : postJson(stack.base, '/api/v1/events/burst/registrations', job.body)))), 12, async (done) => {
    if (done === 70 && !killed) {
      const pid = cluster.nodes[0].pid;
      await cluster.nodes[0].kill('SIGKILL');
      // The burst's writes each node answered (its access log) until then.
      const served = cluster.nodes.map((n, i) => n.log().slice(marks[i]).split('\n')
        .filter((l) => / POST \/api\/v1\/(campaigns\/icommit\/pledges|events\/burst\/registrations) 2\d\d /.test(l)).length);
      // What the dead node had claimed and not recorded: it may have gone
      // out already, and goes (again) once the lease has run out.
      killed = {
        pid,
        claimed: rows(`SELECT recipient FROM outbox WHERE sent_at IS NULL AND claimed_by LIKE '%:${pid}'`)
          .map((x) => x.recipient.toLowerCase()),
        served,
      };
    }
  });
  assert.ok(killed, 'node 1 was killed during the burst');
  // Both nodes took part before the kill (nginx spreads the burst).
  assert.ok(killed.served.every((n) => n >= 5), `burst requests each node answered 2xx before the kill: ${killed.served}`);

  const acked = { pledge: new Set(), reg: new Set() };
  const positions = [];
  results.forEach((res, i) => {
    const job = jobs[i];
    assertAnswered(res, `${job.kind} ${job.key}`);
    if (res.status >= 200 && res.status < 300) {
      acked[job.kind].add(job.key.toLowerCase());
      if (job.kind === 'reg' && res.status === 201 && res.json.status === 'waitlisted') positions.push(res.json.position);
    }
  });
  // Node 2 answered after the kill: most of the burst is acknowledged.
  assert.ok(acked.pledge.size >= 60, `acknowledged pledges: ${acked.pledge.size}`);
  assert.ok(acked.reg.size >= 15, `acknowledged registrations: ${acked.reg.size}`);

  // Every pledge stored once per person, every acknowledged one present.
  const pledged = new Map(rows(`SELECT email_key, count(*) AS n FROM pledges
    WHERE email_key LIKE 'mn-%@pledge-test.example.org' GROUP BY email_key`).map((x) => [x.email_key, Number(x.n)]));
  for (const [key, n] of pledged) assert.equal(n, 1, `pledges of ${key}`);
  for (const key of acked.pledge) assert.equal(pledged.get(key), 1, `acknowledged pledge of ${key} stored`);

  // Seats: at most capacity, the event's count, acknowledged ones once.
  const regs = rows(`SELECT r.email_key, r.status, r.waitlist_seq, e.registered, e.capacity FROM registrations r
    JOIN events e ON e.id = r.event_id WHERE e.slug = 'burst' ORDER BY r.id`);
  const byKey = new Map();
  for (const x of regs) byKey.set(x.email_key, (byKey.get(x.email_key) ?? 0) + 1);
  for (const [key, n] of byKey) assert.equal(n, 1, `registrations of ${key}`);
  for (const key of acked.reg) assert.equal(byKey.get(key), 1, `acknowledged registration of ${key} stored`);
  const seated = regs.filter((x) => x.status === 'registered').length;
  assert.equal(seated, Math.min(10, regs.length), 'seats filled first');
  assert.ok(seated <= Number(regs[0].capacity), `seated ${seated}`);
  assert.equal(Number(regs[0].registered), seated, 'the event counts its seats');
  const seqs = regs.filter((x) => x.status === 'waitlisted').map((x) => Number(x.waitlist_seq));
  assert.equal(new Set(seqs).size, seqs.length, `waitlist places distinct: ${seqs}`);
  assert.equal(new Set(positions).size, positions.length, `waitlist positions answered distinct: ${positions}`);

  const recount = await stack.ctl('recount');
  assert.equal(recount.code, 0, recount.stderr);
  assert.match(recount.stdout, /no drift/);

  // Node 1 again; both answer (nginx leaves a failed node out for 5 s).
  await cluster.nodes[0].start();
  await bothAnswer((i) => postJson(stack.base, pledgesPath(), pledgeBody(`mn-after-${i}`)), 202,
    'POST /api/v1/campaigns/icommit/pledges 202');

  // Every mail goes out; once, but for what the dead node had claimed.
  await poll(async () => rows('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')[0].n, (n) => Number(n) === 0,
    { timeoutMs: (LEASE + 50) * 1000, intervalMs: 500, what: 'every mail sent' });
  const queued = new Map();
  for (const x of rows('SELECT recipient FROM outbox')) {
    const a = x.recipient.toLowerCase();
    queued.set(a, (queued.get(a) ?? 0) + 1);
  }
  const delivered = new Map();
  for (const m of stack.mails()) for (const a of recipients(m)) delivered.set(a, (delivered.get(a) ?? 0) + 1);
  const claimed = new Map();
  for (const a of killed.claimed) claimed.set(a, (claimed.get(a) ?? 0) + 1);
  for (const [a, n] of queued) {
    const got = delivered.get(a) ?? 0;
    assert.ok(got >= n && got <= n + (claimed.get(a) ?? 0), `${a}: ${got} delivered of ${n} queued (${claimed.get(a) ?? 0} claimed by the killed node)`);
  }
  for (const a of delivered.keys()) assert.ok(queued.has(a), `a mail to ${a} that was never queued`);
});

test('a pause made through one node is obeyed by both within a second (the campaign cache)', { skip, timeout: 60000 }, async () => {
  // Both nodes read the campaign (open) into their cache.
  await bothAnswer((i) => postJson(stack.base, pledgesPath(), pledgeBody(`mn-pause-${i}`)), 202,
    'POST /api/v1/campaigns/icommit/pledges 202');
  let r = await past503(() => admin.put('/campaigns/icommit', { paused: true }));
  assert.equal(r.status, 200, r.text);
  await sleep(1100);
  await bothAnswer(async (i) => {
    const res = await postJson(stack.base, pledgesPath(), pledgeBody(`mn-paused-${i}`));
    if (res.status === 409) assert.equal(res.json.error.code, 'campaign_closed');
    return res;
  }, 409, 'POST /api/v1/campaigns/icommit/pledges 409');
  assert.equal(Number(rows("SELECT count(*) AS n FROM pledges WHERE email_key LIKE 'mn-paused-%'")[0].n), 0);
  r = await past503(() => admin.put('/campaigns/icommit', { paused: false }));
  assert.equal(r.status, 200, r.text);
});

test('the staff login throttle counts failures on every node together', { skip, timeout: 120000 }, async () => {
  await addUser(stack, 'throttled-staff');
  // One minute's window: start early in a minute so that it holds.
  const s = new Date().getSeconds();
  if (s > 40) await sleep((61 - s) * 1000);
  const marks = logMarks();
  // Five failures from five addresses: the name's allowance (5 a minute),
  // spread over both nodes, so that neither saw five.
  for (let i = 0; i < 5; i++) {
    const r = await past503(() => loginRequest(stack, 'throttled-staff', 'wrong password'));
    assert.equal(r.status, 401, r.text);
  }
  assert.deepEqual(nodesThatAnswered(marks, 'POST /api/v1/admin/login 401'), [1, 2]);
  // The right password from a new address, on each node: refused.
  await bothAnswer(async () => {
    const r = await loginRequest(stack, 'throttled-staff', 'correct horse battery', { address: freshAddress() });
    if (r.status === 429) {
      assert.equal(r.json.error.code, 'rate_limited');
      const retry = Number(r.headers['retry-after']);
      assert.ok(retry >= 1 && retry <= 60, `Retry-After ${r.headers['retry-after']}`);
    }
    return r;
  }, 429, 'POST /api/v1/admin/login 429');
  const most = rows('SELECT max(failures) AS most FROM login_attempts')[0].most;
  assert.equal(Number(most), 5, 'the name\'s five failures in one row');
});

test('one leader runs the timed jobs; when it dies another takes over and the reminders go once', { skip, timeout: 150000 }, async () => {
  const leaderLine = 'scheduler: this node now runs the timed jobs';
  const leader = leaderNode();
  const other = cluster.nodes.find((n) => n !== leader);

  // People registered for an event three days away (no reminder due).
  let r = await past503(() => admin.post('/events', eventBody('mn-reminder', { capacity: 5 })));
  assert.equal(r.status, 201, r.text);
  const people = [0, 1, 2].map((i) => person(`mn-remind-${i}`));
  for (const p of people) {
    r = await past503(() => postJson(stack.base, '/api/v1/events/mn-reminder/registrations', p));
    assert.equal(r.status, 201, r.text);
  }
  // Their confirmations delivered and recorded first: a mail the leader
  // had claimed when it dies may go twice (the lease's one exception),
  // which is the burst test's business, not this one's.
  await poll(async () => rows('SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL')[0].n,
    (n) => Number(n) === 0, { timeoutMs: 30000, what: 'the confirmations sent' });
  const marks = logMarks();
  await leader.kill('SIGKILL');
  // The other node takes the lock (its scheduler asks every second).
  await poll(async () => other.log().slice(marks[other.n - 1]), (log) => log.includes(leaderLine),
    { timeoutMs: 30000, what: `node ${other.n} becoming the leader` });
  assert.equal(leaderNode(), other);
  // The event moves to tomorrow: the new leader's minutely round reminds.
  const start = Date.now() + 20 * 3600e3;
  r = await past503(() => admin.put('/events/mn-reminder', eventBody('mn-reminder', { capacity: 5, starts_at: iso(start), ends_at: iso(start + 3600e3) })));
  assert.equal(r.status, 200, r.text);
  await leader.start();
  await poll(async () => rows("SELECT reminder_sent_at AS at FROM events WHERE slug = 'mn-reminder'")[0].at,
    (v) => v !== null && v !== '' && Number(v) > 0, { timeoutMs: 90000, what: 'the reminders queued' });
  for (const p of people) {
    const a = p.email.toLowerCase();
    await poll(async () => stack.mails().filter((m) => recipients(m).includes(a)).length, (n) => n >= 2,
      { timeoutMs: 30000, what: `the reminder to ${a}` });
  }
  await sleep(2000);
  for (const p of people) {
    const a = p.email.toLowerCase();
    const n = stack.mails().filter((m) => recipients(m).includes(a)).length;
    assert.equal(n, 2, `${a}: the confirmation and one reminder`);
  }
  // The node that came back did not take the lead from the living one.
  assert.equal(leaderNode(), other);
});
