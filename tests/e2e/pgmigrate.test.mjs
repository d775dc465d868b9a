// tests/e2e/pgmigrate.test.mjs — two icommitd nodes started at the same
// moment on an empty PostgreSQL database (only with
// ICOMMIT_BACKEND=postgres): each migrates at start, under the migrator's
// advisory lock (db_pg_migrate), so one applies sql/pg/ and the other
// waits and finds it done. Both come up and answer the health check (which
// reads schema_migrations) through nginx, and schema_migrations holds each
// migration of sql/pg/ exactly once.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createDatabase, dropDatabase, isPostgresBackend, query } from './lib/db.mjs';
import { request } from './lib/http.mjs';
import { assertAnswered, startNodes } from './lib/nodes.mjs';
import { sleep } from './lib/pledge-helpers.mjs';
import { repoRoot } from './lib/stack.mjs';

const skip = isPostgresBackend ? false : 'PostgreSQL only (ICOMMIT_BACKEND=postgres): several nodes need a shared database';
const emptyName = `icommit_e2e_empty_${process.pid}`;

let cluster;
let emptyDb = null;

before(async () => {
  if (skip) return;
  cluster = await startNodes(2);
});

after(async () => {
  try {
    if (cluster) await cluster.stop();
  } finally {
    if (emptyDb) dropDatabase(emptyName);
  }
});

test('two nodes started at once on an empty database both come up and serve; each migration is applied once', { skip, timeout: 120000 }, async () => {
  const { stack, nodes } = cluster;
  for (const node of nodes) await node.stop();
  // Every node's config (node N copies the stack's at its start) names a
  // new, empty database.
  emptyDb = createDatabase(emptyName);
  assert.equal(query(emptyDb, 'SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()'), '0');
  fs.writeFileSync(stack.configPath, fs.readFileSync(stack.configPath, 'utf8')
    .replace(/^database = .*$/m, `database = ${emptyDb}`));

  // Both spawned in the same turn of the event loop.
  const marks = nodes.map((n) => n.log().length);
  await Promise.all(nodes.map((n) => n.start()));

  // Each answers the health check (its own connection, the new schema).
  const line = 'GET /api/v1/health 200';
  const answered = () => nodes.filter((n, i) => n.log().slice(marks[i]).includes(line)).map((n) => n.n);
  for (let i = 0; i < 60 && answered().length < 2; i++) {
    const r = await request(stack.base, 'GET', '/api/v1/health');
    if (r.status !== 200) assertAnswered(r, 'health');
    await sleep(250);
  }
  assert.deepEqual(answered(), [1, 2], `the nodes that answered ${line}`);

  const expected = fs.readdirSync(path.join(repoRoot, 'sql/pg'))
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .map((f) => `${Number(f.slice(0, 3))}|${f.replace(/\.sql$/, '')}|1`);
  assert.ok(expected.length >= 13, `migrations in sql/pg: ${expected.length}`);
  const applied = query(emptyDb, 'SELECT version, name, count(*) OVER (PARTITION BY version) FROM schema_migrations ORDER BY version');
  assert.deepEqual(applied.split('\n'), expected);
  for (const node of nodes) assert.doesNotMatch(node.log().slice(marks[node.n - 1]), /migration|error/i, `node ${node.n}'s log`);
});
