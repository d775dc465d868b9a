// tests/e2e/pgrestart.test.mjs — PostgreSQL restarted in immediate mode (a
// crash: no checkpoint, recovery from the WAL) under a load of pledges
// through two nodes (issue 15, part 5; only with ICOMMIT_BACKEND=postgres),
// twice: stopped, left down half a second and started again, and with
// `pg_ctl restart -m immediate` itself (pg.sh restart), run while the load
// goes on. The file runs its own throwaway cluster (scripts/lib/pg.sh), so
// that the restarts disturb no other test file. Each time: every answer is
// a 2xx or a JSON 503, every acknowledged pledge is there exactly once
// after the restart, both nodes answer again without being restarted, and
// `icommitctl recount` finds no drift.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isPostgresBackend, query } from './lib/db.mjs';
import { request, postJson } from './lib/http.mjs';
import { assertAnswered, startNodes } from './lib/nodes.mjs';
import { pledgeBody, pledgesPath, sleep } from './lib/pledge-helpers.mjs';
import { repoRoot } from './lib/stack.mjs';

const skip = isPostgresBackend ? false : 'PostgreSQL only (ICOMMIT_BACKEND=postgres)';
const pgSh = path.join(repoRoot, 'scripts/lib/pg.sh');
const PORT = '55432'; // names the socket in the cluster's own directory only

let pgDir = null;
let cluster;
let stack;

function pg(...args) {
  const r = spawnSync('bash', [pgSh, ...args], { encoding: 'utf8', timeout: 120000 });
  if (r.status !== 0) throw new Error(`pg.sh ${args.join(' ')}: exit ${r.status ?? r.signal}\n${r.stderr}`);
  return r.stdout;
}

/** pg.sh in the background, so that the load goes on while it runs. */
function pgAsync(...args) {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [pgSh, ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120000 });
    let err = '';
    child.stderr.on('data', (c) => { err += c; });
    child.on('error', reject);
    child.on('close', (code, signal) => (code === 0 ? resolve()
      : reject(new Error(`pg.sh ${args.join(' ')}: exit ${code ?? signal}\n${err}`))));
  });
}

function stopCluster() {
  if (!pgDir) return;
  spawnSync('bash', [pgSh, 'stop', pgDir, 'immediate'], { timeout: 60000 });
  fs.rmSync(pgDir, { recursive: true, force: true });
  pgDir = null;
}

const rows = (sql) => {
  const out = query(stack.dbPath, sql, { json: true });
  return out ? JSON.parse(out) : [];
};


before(async () => {
  if (skip) return;
  pgDir = fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-pgr-'));
  process.on('exit', stopCluster);
  pg('start', pgDir, PORT);
  // This process's databases go to this cluster (db.mjs reads these).
  process.env.ICOMMIT_PG_HOST = path.join(pgDir, 'run');
  process.env.ICOMMIT_PG_PORT = PORT;
  cluster = await startNodes(2);
});

after(async () => {
  try {
    if (cluster) await cluster.stop();
  } finally {
    stopCluster();
  }
});

/**
 * Pledges (emails tag-N@...) from 8 clients through both nodes; once
 * `ackedBefore` are acknowledged, crash() takes the database away and back
 * (resolving when it is back) while they go on; then until both nodes have
 * acknowledged again and `ackedAfter` more are. crash(load) may read
 * load.answered(), the requests answered so far.
 * Asserts what the file's head says; resolves to a line of counts.
 */
async function crashUnderLoad(tag, crash, { ackedBefore, ackedAfter }) {
  stack = cluster.stack;
  const answers = []; // { key, res }
  let seq = 0;
  let stopping = false;
  const worker = async () => {
    while (!stopping) {
      const body = pledgeBody(`${tag}-${seq++}`);
      let res;
      try {
        res = await postJson(stack.base, pledgesPath(), body, { timeoutMs: 30000 });
      } catch (err) {
        res = { status: 0, text: String(err), headers: {} };
      }
      answers.push({ key: body.email.toLowerCase(), res });
      if (res.status === 503) await sleep(50);
    }
  };
  const load = Array.from({ length: 8 }, worker);

  // (Stopped however this ends, so that a failed test ends too.)
  let before;
  let restartedAt;
  try {
    // Some acknowledged before the crash.
    const warmUp = Date.now() + 60000;
    for (;;) {
      const ok = answers.filter((a) => a.res.status === 202).length;
      if (ok >= ackedBefore) break;
      assert.ok(Date.now() < warmUp, `before the restart: ${ok} acknowledged of ${answers.length} answered`);
      await sleep(50);
    }
    before = answers.length;
    await crash({ answered: () => answers.length });
    restartedAt = answers.length;
    // And after: both nodes answer 202 again without a restart of theirs.
    const marks = cluster.nodes.map((n) => n.log().length);
    const deadline = Date.now() + 60000;
    for (;;) {
      const served = cluster.nodes.filter((n, i) => n.log().slice(marks[i]).includes('POST /api/v1/campaigns/icommit/pledges 202'));
      const okAfter = answers.slice(restartedAt).filter((a) => a.res.status === 202).length;
      if (served.length === 2 && okAfter >= ackedAfter) break;
      assert.ok(Date.now() < deadline, `after the restart: ${okAfter} acknowledged, nodes ${served.map((n) => n.n)} answered`);
      await sleep(100);
    }
  } finally {
    stopping = true;
    await Promise.all(load);
  }
  assert.ok(before < restartedAt || answers.length > restartedAt, 'requests ran across the restart');

  for (const a of answers) assertAnswered(a.res, `pledge ${a.key}`);
  const outage = answers.filter((a) => a.res.status === 503).length;
  const stored = new Map(rows(`SELECT email_key, count(*) AS n FROM pledges
    WHERE email_key LIKE '${tag}-%@pledge-test.example.org' GROUP BY email_key`).map((x) => [x.email_key, Number(x.n)]));
  for (const [key, n] of stored) assert.equal(n, 1, `pledges of ${key}`);
  const acked = answers.filter((a) => a.res.status === 202);
  for (const a of acked) assert.equal(stored.get(a.key), 1, `acknowledged pledge of ${a.key} kept`);
  // What was not acknowledged may or may not have been committed.
  assert.ok(stored.size <= answers.length, `${stored.size} stored of ${answers.length} sent (${outage} answered 503)`);

  const recount = await stack.ctl('recount');
  assert.equal(recount.code, 0, recount.stderr);
  assert.match(recount.stdout, /no drift/);
  // Health through nginx (which may still leave a node out for 5 s).
  let health;
  for (let i = 0; i < 40; i++) {
    health = await request(stack.base, 'GET', '/api/v1/health');
    if (health.status === 200) break;
    assertAnswered(health, 'health');
    await sleep(250);
  }
  assert.equal(health.status, 200, health.text);
  return `${answers.length} sent, ${acked.length} acknowledged, ${outage} answered 503`;
}

test('pg_ctl stop -m immediate, half a second down, start, under load: every acknowledged pledge kept, once; both nodes come back on their own', { skip, timeout: 240000 }, async (t) => {
  t.diagnostic(await crashUnderLoad('pgr', async () => {
    pg('stop', pgDir, 'immediate');
    await sleep(500);
    pg('start', pgDir, PORT);
  }, { ackedBefore: 100, ackedAfter: 50 }));
});

test('pg_ctl restart -m immediate while the load goes on: every acknowledged pledge kept, once; both nodes come back on their own', { skip, timeout: 240000 }, async (t) => {
  let during = 0;
  const counts = await crashUnderLoad('pgx', async (load) => {
    const from = load.answered();
    await pgAsync('restart', pgDir, 'immediate');
    during = load.answered() - from;
  }, { ackedBefore: 50, ackedAfter: 30 });
  t.diagnostic(`${counts}; ${during} answered while pg_ctl restart ran`);
  assert.ok(during > 0, 'the load went on while pg_ctl restart ran');
});
