// tests/e2e/pgrecount.test.mjs — `icommitctl recount` while a node's writer
// holds the rows it recounts (PostgreSQL only: there several nodes write at
// once, each statement READ COMMITTED; SQLite's one writer takes turns). A
// transaction of psql does what a writer does — holds an event's row (or a
// campaign's counter), adds a seat (a pledge) and the count — and commits
// two seconds later; recount starts meanwhile, on a count that had drifted.
// It must wait for that commit and count with it: the drift it reports and
// the count it leaves are those of the rows after the commit.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { isPostgresBackend, query, queryAsync } from './lib/db.mjs';
import { postJson } from './lib/http.mjs';
import { startStack } from './lib/stack.mjs';
import { eventBody } from './lib/event-helpers.mjs';
import { poll } from './lib/pledge-helpers.mjs';

const skip = isPostgresBackend ? false : 'PostgreSQL only (ICOMMIT_BACKEND=postgres): SQLite has one writer';
const HOLD = 2; // seconds the writer's transaction stays open

let stack;
const one = (sql) => query(stack.dbPath, sql);

before(async () => {
  if (skip) return;
  stack = await startStack();
});

after(async () => {
  await stack?.stop();
});

/**
 * Runs steps (SQL) in one transaction that then sleeps HOLD seconds before
 * it commits, and recount once that transaction holds its rows; resolves
 * to recount's output after both ended.
 */
async function recountDuring(steps) {
  const writer = queryAsync(stack.dbPath, `BEGIN; ${steps} SELECT pg_sleep(${HOLD}); COMMIT;`);
  await poll(async () => one(`SELECT count(*) FROM pg_stat_activity WHERE pid <> pg_backend_pid()
      AND state = 'active' AND query LIKE 'SELECT pg_sleep(%'`), (n) => n === '1',
  { timeoutMs: 10000, intervalMs: 20, what: 'the writer holding its rows' });
  const started = Date.now();
  const r = await stack.ctl('recount');
  await writer;
  assert.equal(r.code, 0, r.stderr);
  assert.ok(Date.now() - started >= (HOLD - 0.5) * 1000, `recount waited for the writer (${Date.now() - started} ms)`);
  return r.stdout;
}

test('recount waits for a registration holding its event and counts its seat', { skip }, async () => {
  const { slug, ...json } = eventBody('race', { capacity: 5 });
  const add = await stack.ctl('event', 'add', slug, { input: JSON.stringify(json) });
  assert.equal(add.code, 0, add.stderr);
  const r = await postJson(stack.base, '/api/v1/events/race/registrations', {
    name: 'Persona uno', email: 'uno@recount-test.example.org', country: 'CL', language: 'es', consent: true,
  });
  assert.equal(r.status, 201, r.text);
  one("UPDATE events SET registered = 4 WHERE slug = 'race'");

  const out = await recountDuring(`SELECT id FROM events WHERE slug = 'race' FOR UPDATE;
    INSERT INTO registrations (event_id, status, name, email, email_key, consent_at, created_at)
      SELECT id, 'registered', 'Persona dos', 'dos@recount-test.example.org', 'dos@recount-test.example.org', 0, 0
      FROM events WHERE slug = 'race';
    UPDATE events SET registered = registered + 1 WHERE slug = 'race';`);
  assert.equal(out, 'event race: seat count was 5, registrations say 2 (fixed)\n');
  assert.equal(one("SELECT registered FROM events WHERE slug = 'race'"), '2');
});

test('recount waits for a pledge holding its campaign\'s counter and counts it', { skip }, async () => {
  const campaign = "(SELECT id FROM campaigns WHERE slug = 'icommit')";
  const count = () => one(`SELECT count FROM campaign_counters WHERE campaign_id = ${campaign}`);
  assert.equal(count(), '0');
  one(`UPDATE campaign_counters SET count = 3 WHERE campaign_id = ${campaign}`);

  const out = await recountDuring(`UPDATE campaign_counters SET count = count + 1 WHERE campaign_id = ${campaign};
    INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, email_key, actor_type, country,
      commitment, consent_at, created_at)
    VALUES (${campaign}, 'confirmed', 0, 'Persona tres', 'tres@recount-test.example.org',
      'tres@recount-test.example.org', 'individual', 'MX', 'Un compromiso.', 0, 0);`);
  // (Its tallies, which this writer left out, are rebuilt too.)
  assert.match(out, /^campaign icommit: counter was 4, pledges say 1 \(fixed\)\n\d+ tally rows differed \(fixed\)\n$/);
  assert.equal(count(), '1');
  assert.match((await stack.ctl('recount')).stdout, /^no drift/);
});
