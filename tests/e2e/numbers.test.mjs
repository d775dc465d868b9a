// tests/e2e/numbers.test.mjs — the campaign's figures over time and in each
// language, through the real nginx and icommitd: GET .../stats/timeline (the
// counted pledges by the UTC day of their confirmation, kept as a tally with
// the counter: pending pledges are not in it until confirmed, a rejection
// takes one off its day, `icommitctl recount` rebuilds it and finds no drift
// in what the daemon kept, migration 009 fills it for older databases),
// its caching (as /stats: micro-cached, readable from other sites), and the
// SVG badge's count grouped like the pages' Intl.NumberFormat in es, en, pt
// and fr ("1.234" in Spanish too).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { get, postJson } from './lib/http.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sqlite, svgText, q } from './lib/pledge-helpers.mjs';
import {
  addUser, signIn, confirmedPledge, unconfirmedPledge, confirmationToken, fresh,
} from './lib/staff.mjs';

const TIMELINE = '/api/v1/campaigns/icommit/stats/timeline';
const DAY = 86400;

let stack;
let staff;

before(async () => {
  stack = await startStack({ smtp: false, config: { verify_email: 'yes', moderation: 'yes' } });
  await addUser(stack, 'numbers');
  staff = await signIn(stack, 'numbers');
});

after(async () => {
  await stack?.stop();
});

/** The UTC day of a time in seconds, as the API writes it. */
const dayOf = (t) => new Date(t * 1000).toISOString().slice(0, 10);
const today = () => dayOf(Math.floor(Date.now() / 1000));

/**
 * Turns the database into one as migration 008 left it (a later migration
 * cannot be undone in place): a new file from sql/sqlite/001..008 into which
 * every column those tables share with the current one is copied, without
 * the 'day' tally that 009 adds.
 */
function rewindTo8(dbPath) {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../sql/sqlite');
  const files = fs.readdirSync(dir).filter((f) => /^00[1-8]_.*\.sql$/.test(f)).sort();
  const old = `${dbPath}.v8`;
  fs.rmSync(old, { force: true });
  let script = 'CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL);\n';
  for (const f of files) {
    script += fs.readFileSync(path.join(dir, f), 'utf8') + '\n';
    script += `INSERT INTO schema_migrations VALUES (${parseInt(f, 10)}, '${f.replace(/\.sql$/, '')}', 0);\n`;
  }
  sqlite(old, `${script} PRAGMA user_version = 8;`);
  const objects = sqlite(old, "SELECT name, sql LIKE 'CREATE VIRTUAL%' FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name <> 'schema_migrations';")
    .split('\n').filter(Boolean).map((l) => l.split('|'));
  const virtual = objects.filter(([, v]) => v === '1').map(([n]) => n);
  const tables = objects.filter(([n, v]) => v === '0' && !virtual.some((vt) => n.startsWith(`${vt}_`))).map(([n]) => n);
  let copy = `ATTACH ${q(dbPath)} AS live;\n`;
  for (const t of tables) {
    const cols = (db) => sqlite(db, `SELECT name FROM pragma_table_info(${q(t)});`).split('\n').filter(Boolean);
    const here = cols(old);
    const there = new Set(cols(dbPath));
    const shared = here.filter((c) => there.has(c)).map((c) => `"${c}"`).join(', ');
    if (shared) copy += `DELETE FROM main."${t}"; INSERT INTO main."${t}" (${shared}) SELECT ${shared} FROM live."${t}";\n`;
  }
  copy += "DELETE FROM main.pledge_tallies WHERE dimension = 'day';\n";
  sqlite(old, copy);
  for (const ext of ['', '-wal', '-shm']) fs.rmSync(dbPath + ext, { force: true });
  fs.renameSync(old, dbPath);
}

async function timeline() {
  const r = await fresh(stack, TIMELINE);
  assert.equal(r.status, 200, `${r.status} ${r.text}`);
  return r.json;
}

/** What `icommitctl recount` says (and fixes). */
async function recount() {
  const r = await stack.ctl('recount');
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim();
}

/**
 * Adds counted pledges straight into the database, as an older version or
 * an import would have left them: n pledges confirmed on day `daysAgo`.
 */
function insertCounted(n, daysAgo, tag) {
  const t = Math.floor(Date.now() / 1000) - daysAgo * DAY;
  sqlite(stack.dbPath, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
    INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, email_key, actor_type, country,
      commitment, consent_at, created_at)
    SELECT (SELECT id FROM campaigns WHERE slug = 'icommit'), 'confirmed', ${t}, 'Old', '${tag}' || i || '@old.example.org',
      '${tag}' || i || '@old.example.org', 'individual', 'MX', 'Un compromiso de antes.', ${t - 3600}, ${t - 3600} FROM k;`);
  return dayOf(t);
}

test('the timeline of a campaign without pledges is empty, with the caching of /stats', async () => {
  const r = await get(stack.base, TIMELINE);
  assert.equal(r.status, 200, r.text);
  assert.match(r.headers['content-type'], /^application\/json/);
  assert.deepEqual(r.json, { campaign: 'icommit', count: 0, days: [] });
  assert.equal(r.headers['cache-control'], 'public, max-age=5, stale-while-revalidate=30');
  assert.equal(r.headers['access-control-allow-origin'], '*');
  // nginx's micro-cache keeps it, as it keeps /stats.
  const again = await get(stack.base, TIMELINE);
  assert.match(again.headers['x-micro-cache'] || '', /HIT|STALE|UPDATING/, `not micro-cached: ${again.headers['x-micro-cache']}`);
  const stats = await get(stack.base, '/api/v1/campaigns/icommit/stats');
  assert.equal(stats.headers['cache-control'], r.headers['cache-control']);

  const unknown = await get(stack.base, '/api/v1/campaigns/no-such-campaign/stats/timeline');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, 'not_found');
  const post = await postJson(stack.base, TIMELINE, {});
  assert.equal(post.status, 405);
  assert.equal(post.json.error.code, 'method_not_allowed');
});

test('a pledge is in the timeline from its confirmation; a rejection takes it off its day', async () => {
  const pending = await unconfirmedPledge(stack);
  const a = await confirmedPledge(stack);
  const b = await confirmedPledge(stack);
  let t = await timeline();
  assert.deepEqual(t.days, [{ date: today(), added: 2, total: 2 }], 'the unconfirmed pledge is not counted');
  assert.equal(t.count, 2);
  assert.equal((await fresh(stack, '/api/v1/campaigns/icommit/counter')).json.count, t.count);

  // Confirmed now: counted today (the day of confirmed_at, not created_at).
  const created = Math.floor(Date.now() / 1000) - 3 * DAY;
  sqlite(stack.dbPath, `UPDATE pledges SET created_at = ${created} WHERE id = ${pending.id};`);
  const token = confirmationToken(stack, pending.body.email);
  assert.equal((await postJson(stack.base, '/api/v1/confirm', { token })).status, 200);
  t = await timeline();
  assert.deepEqual(t.days, [{ date: today(), added: 3, total: 3 }]);

  const r = await staff.post(`/pledges/${a.id}/moderation`, { decision: 'reject' });
  assert.equal(r.status, 200, r.text);
  t = await timeline();
  assert.deepEqual(t.days, [{ date: today(), added: 2, total: 2 }]);
  // Approved after all: back on the day it was first confirmed.
  assert.equal((await staff.post(`/pledges/${a.id}/moderation`, { decision: 'approve' })).status, 200);
  assert.equal((await staff.post(`/pledges/${b.id}/moderation`, { decision: 'approve' })).status, 200);
  t = await timeline();
  assert.deepEqual(t.days, [{ date: today(), added: 3, total: 3 }]);
  assert.equal(await recount(), 'no drift: counters, tallies and seat counts match the pledges and registrations',
    'the daemon keeps the day tally exactly as a recount would build it');
});

test('older pledges: the timeline reads the tally (no scan), recount and migration 009 rebuild it', async () => {
  const before = await timeline();
  const d10 = insertCounted(4, 10, 'ten');
  const d3 = insertCounted(5, 3, 'three');
  // Rows written behind the daemon's back are not in the tally it reads.
  assert.deepEqual((await timeline()).days, before.days, 'the timeline scanned the pledges');

  assert.match(await recount(), /tally rows differed \(fixed\)/);
  const expected = [
    { date: d10, added: 4, total: 4 },
    { date: d3, added: 5, total: 9 },
    ...before.days.map((d) => ({ ...d, total: d.total + 9 })),
  ];
  let t = await timeline();
  assert.deepEqual(t.days, expected);
  assert.equal(t.count, before.count + 9);
  await stack.restartDaemon(); // the campaign cache learns the recounted count
  assert.equal((await fresh(stack, '/api/v1/campaigns/icommit/counter')).json.count, t.count);

  // A database from before migration 009: no day tally at all. The daemon
  // migrates it at start, and the timeline is whole again.
  // (SQLite's files only: sql/pg's migrations are checked by pg_schema.)
  if (stack.backend !== 'sqlite') return;
  await stack.killDaemon('SIGTERM');
  rewindTo8(stack.dbPath);
  await stack.startDaemon();
  assert.equal(sqlite(stack.dbPath, 'SELECT count(*) FROM schema_migrations WHERE version = 9;'), '1');
  t = await timeline();
  assert.deepEqual(t.days, expected);
  assert.equal(await recount(), 'no drift: counters, tallies and seat counts match the pledges and registrations');
});

test('the badge groups the count like the pages do, in each language', async () => {
  const now = (await timeline()).count;
  insertCounted(1234 - now, 1, 'many');
  await recount();
  await stack.restartDaemon();
  const expected = {
    es: '1.234 compromisos', en: '1,234 pledges', pt: '1.234 compromissos', fr: '1\u202f234 engagements',
  };
  for (const [lang, words] of Object.entries(expected)) {
    const r = await fresh(stack, `/api/v1/campaigns/icommit/counter.svg?lang=${lang}`);
    assert.equal(r.status, 200);
    const { texts, title } = svgText(r.text);
    assert.deepEqual(texts, words.split(' '), lang);
    assert.deepEqual(title, [words], lang);
    // Intl.NumberFormat with the pages' rule (www/js/format.js) says the same.
    assert.equal(words.split(' ')[0], new Intl.NumberFormat(lang, { useGrouping: 'always' }).format(1234), lang);
    assert.ok(r.text.includes(`aria-label="${words}"`), r.text);
  }
});
