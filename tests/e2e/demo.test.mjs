// tests/e2e/demo.test.mjs — the demo content (issue 16, item 13) through real
// nginx + icommitd: `icommitctl demo load` fills the campaign with pledges
// across countries, actor types, categories and units (dates spread over
// weeks, most on the wall, counters and tallies in step as `recount` sees
// them), gives it a goal, adds two upcoming events in four languages with
// registrations; loading twice adds nothing; `icommitctl demo remove` takes
// out exactly that (and what a reviewer hung on it: registrations to a demo
// event, their tokens, consents and mails) and leaves every real row as it
// was, the goal too unless staff changed it; an event of a demo name that
// is real is left alone. Also `icommitctl mail-queue` with a registration
// mail (queued as its variables, the .ics text among them): recipient and
// subject.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startStack } from './lib/stack.mjs';
import { get, postJson } from './lib/http.mjs';
import { confirmedPledge, sqlite, sqlText } from './lib/staff.mjs';
import { mailQueue, poll } from './lib/pledge-helpers.mjs';
import { hexOf, isPostgresBackend } from './lib/db.mjs';

const DAY = 86400;
const LANGS = ['es', 'en', 'pt', 'fr'];
const DEMO_EVENTS = ['semana-clima-ciudades-transporte', 'precop-electromovilidad-ndc'];
const REAL_EVENT = 'real-ministerial-dialogue';

let stack;
let real; // the real data, made before the first load
let beforeLoad; // a snapshot of the database before the first load

const rows = (sql) => JSON.parse(sqlite(stack.dbPath, sql, { json: true }) || '[]');
const scalar = (sql) => Number(sqlite(stack.dbPath, sql));
const ctl = (...args) => stack.ctl(...args);

/** Everything a removal must leave as it was, as comparable JSON. */
function snapshot() {
  return {
    pledges: rows('SELECT * FROM pledges ORDER BY id'),
    events: rows('SELECT * FROM events ORDER BY id'),
    registrations: rows('SELECT * FROM registrations ORDER BY id'),
    consents: rows('SELECT * FROM consents ORDER BY id'),
    tokens: rows(`SELECT ${hexOf('hash')} AS hash, kind, ref_id, created_at, expires_at FROM tokens ORDER BY 1`),
    outbox: rows('SELECT id, kind, recipient, sent_at FROM outbox ORDER BY id'),
    tallies: rows('SELECT * FROM pledge_tallies WHERE value != 0 ORDER BY 1, 2, 3'),
    counters: rows('SELECT campaign_id, count FROM campaign_counters ORDER BY 1'),
    campaigns: rows('SELECT id, slug, goal FROM campaigns ORDER BY id'),
  };
}

/** A registration body for person `tag`. */
const person = (tag, extra = {}) => ({
  name: `Persona ${tag}`,
  email: `${tag}@demo-test.example.net`,
  country: 'CL',
  language: 'es',
  consent: true,
  ...extra,
});

async function register(slug, body) {
  const r = await postJson(stack.base, `/api/v1/events/${slug}/registrations`, body);
  assert.equal(r.status, 201, `register ${body.email} for ${slug}: ${r.status} ${r.text}`);
  return r.json;
}

async function recountClean() {
  const r = await ctl('recount');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^no drift: counters, tallies and seat counts match the pledges and registrations$/m, r.stdout);
}

/** The campaign as the API shows it (campcache keeps it a second at most). */
const campaignNow = (pred, what) => poll(async () => (await get(stack.base, '/api/v1/campaigns/icommit')).json,
  pred, { timeoutMs: 10000, what });

before(async () => {
  // No SMTP: mails stay in the outbox, where a removal must find them.
  stack = await startStack();
  // Real data first: a confirmed pledge, an unconfirmed one (its token and
  // mail wait), a real event with a real registration.
  const p1 = await confirmedPledge(stack, { country: 'AR', actor_type: 'government', category: 'policy', quantity: 7, unit: 'buses' });
  const p2 = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', {
    name: 'Persona Real Dos', email: 'real-two@demo-test.example.net', actor_type: 'individual',
    country: 'CL', commitment: 'Usaré el metro eléctrico para ir al trabajo.', consent: true,
  });
  assert.equal(p2.status, 202, p2.text);
  const start = Math.floor(Date.now() / 1000) + 10 * DAY;
  const ev = await ctl('event', 'add', REAL_EVENT, {
    input: JSON.stringify({
      title: { es: 'Diálogo ministerial', en: 'Ministerial dialogue', pt: 'Diálogo ministerial', fr: 'Dialogue ministériel' },
      starts_at: new Date(start * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      ends_at: new Date((start + 7200) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      timezone: 'America/Lima', capacity: 30, waitlist: true,
    }),
  });
  assert.equal(ev.code, 0, ev.stderr);
  await register(REAL_EVENT, person('both'));
  real = { p1 };
  await recountClean();
  beforeLoad = snapshot();
});

after(async () => {
  await stack?.stop();
});

test('demo load adds pledges, events and a goal, marked as demo, and the site shows them', async () => {
  const r = await ctl('demo', 'load');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'demo content loaded: 40 pledges (37 counted), 2 events with 91 registrations, campaign goal 250');

  const demo = rows('SELECT * FROM pledges WHERE demo = 1');
  assert.equal(demo.length, 40);
  const now = Math.floor(Date.now() / 1000);
  // Spread out, in the past: created over more than four weeks, on many days.
  const created = demo.map((p) => p.created_at);
  assert.ok(Math.min(...created) < now - 35 * DAY, 'the oldest is over five weeks old');
  assert.ok(Math.max(...created) <= now && Math.max(...created) > now - 2 * DAY, 'the newest is recent');
  assert.ok(new Set(created.map((t) => Math.floor(t / DAY))).size >= 25, 'on at least 25 different days');
  for (const p of demo) {
    assert.match(p.email, /@example\.(org|com)$/, `a reserved address: ${p.email}`);
    assert.ok(p.status === 'pending_confirmation' ? p.confirmed_at === null : p.confirmed_at >= p.created_at, `confirmed after created: ${p.name}`);
    assert.ok(p.commitment.length >= 10 && p.name.length > 0);
  }
  // Varied: countries, actor types, categories, units, languages, statuses.
  assert.ok(new Set(demo.map((p) => p.country)).size >= 18, 'many countries');
  assert.deepEqual([...new Set(demo.map((p) => p.actor_type))].sort(),
    ['academia', 'civil_society', 'finance', 'government', 'individual', 'other', 'private_sector']);
  assert.ok(new Set(demo.map((p) => p.category).filter(Boolean)).size === 7, 'every category');
  assert.ok(new Set(demo.map((p) => p.unit).filter(Boolean)).size === 7, 'every unit');
  assert.deepEqual([...new Set(demo.map((p) => p.language))].sort(), ['en', 'es', 'fr', 'pt']);
  const byStatus = {};
  for (const p of demo) byStatus[p.status] = (byStatus[p.status] ?? 0) + 1;
  assert.deepEqual(byStatus, { approved: 35, confirmed: 2, pending_confirmation: 2, rejected: 1 });
  // Each has the consent record a submission leaves.
  assert.equal(scalar("SELECT count(*) FROM consents WHERE subject = 'pledge' AND source = 'demo' AND ref_id IN (SELECT id FROM pledges WHERE demo = 1)"), 40);
  // Nothing real was marked.
  assert.equal(scalar('SELECT count(*) FROM pledges WHERE demo = 0'), beforeLoad.pledges.length);

  // The counter and the campaign: the real counted pledge plus 37, goal 250.
  const c = await campaignNow((j) => j.count === 1 + 37, 'the campaign counts the demo pledges');
  assert.equal(c.goal, 250);
  // The wall (moderation on): the 33 approved public ones.
  const wall = await get(stack.base, '/api/v1/campaigns/icommit/pledges?limit=100');
  assert.equal(wall.status, 200);
  assert.equal(wall.json.items.length, 33);
  assert.ok(!wall.text.includes('@'), 'no address on the wall');
  // Stats agree with the count; the units add up.
  const stats = await get(stack.base, '/api/v1/campaigns/icommit/stats?fresh=1');
  assert.equal(Object.values(stats.json.by_country).reduce((a, b) => a + b, 0), 38);
  assert.equal(stats.json.totals.buses, 7 + 705);
  await recountClean();

  // Two upcoming events in four languages, in their zones, with seats taken.
  const list = await get(stack.base, '/api/v1/events');
  assert.equal(list.status, 200);
  const bySlug = Object.fromEntries(list.json.items.map((e) => [e.slug, e]));
  const zones = { 'semana-clima-ciudades-transporte': 'America/Bogota', 'precop-electromovilidad-ndc': 'America/Santiago' };
  const seats = { 'semana-clima-ciudades-transporte': [120, 34], 'precop-electromovilidad-ndc': [60, 57] };
  for (const slug of DEMO_EVENTS) {
    const e = bySlug[slug];
    assert.ok(e, `${slug} is listed`);
    for (const l of LANGS) {
      assert.ok(e.title[l]?.length > 10, `${slug} title in ${l}`);
      assert.ok(e.description[l]?.length > 50, `${slug} description in ${l}`);
    }
    assert.equal(e.timezone, zones[slug]);
    assert.ok(Date.parse(e.starts_at) > Date.now() + 14 * DAY * 1000, `${slug} is weeks ahead`);
    assert.ok([2, 3, 4].includes(new Date(e.starts_at).getUTCDay()), `${slug} is on a Tuesday to Thursday`);
    assert.equal(e.status, 'open');
    assert.equal(e.waitlist, true);
    assert.deepEqual([e.capacity, e.registered, e.seats_left], [seats[slug][0], seats[slug][1], seats[slug][0] - seats[slug][1]]);
  }
  assert.equal(scalar("SELECT count(*) FROM registrations WHERE email NOT LIKE '%@example.com'"), 1, 'only the real registration is elsewhere');
});

test('loading again adds nothing', async () => {
  const before1 = snapshot();
  const r = await ctl('demo', 'load');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), 'demo content already loaded: nothing added');
  assert.deepEqual(snapshot(), before1);
  await recountClean();
});

test('a reviewer registers for a demo event: mail-queue shows the recipient and the subject', async () => {
  await register('semana-clima-ciudades-transporte', person('reviewer', { language: 'pt' }));
  await register('precop-electromovilidad-ndc', person('both', { language: 'fr' }));
  const mq = await mailQueue(stack);
  const mine = mq.rows.filter((m) => m.recipient.endsWith('@demo-test.example.net') && m.kind === 'event_registered');
  assert.deepEqual(mine.map((m) => m.recipient).sort(), ['both@demo-test.example.net', 'both@demo-test.example.net', 'reviewer@demo-test.example.net']);
  // Queued as its variables with the .ics text beside them, as it is (no
  // 3 KB message in the registration's transaction, no JSON escaping of
  // the calendar); the subject read back is the recipient's language with
  // the event's title in it.
  const reviewer = mine.find((m) => m.recipient === 'reviewer@demo-test.example.net');
  const [row] = rows("SELECT CASE WHEN message IS NULL THEN 1 ELSE 0 END AS bare, vars, ics FROM outbox WHERE recipient = 'reviewer@demo-test.example.net' AND kind = 'event_registered'");
  assert.equal(row.bare, 1, 'no whole message stored');
  assert.equal(JSON.parse(row.vars).lang, 'pt');
  assert.equal(JSON.parse(row.vars).ics, undefined, 'the .ics is not among the variables');
  assert.match(row.ics, /^BEGIN:VCALENDAR\r\n[^]*\r\nEND:VCALENDAR\r\n$/);
  const title = rows("SELECT title_pt FROM events WHERE slug = 'semana-clima-ciudades-transporte'")[0].title_pt;
  assert.ok(reviewer.subject.includes(title), `subject ${JSON.stringify(reviewer.subject)} names ${title}`);
  assert.ok(!/=\?UTF-8\?/i.test(reviewer.subject), 'decoded');
  const pending = mq.rows.find((m) => m.recipient === 'real-two@demo-test.example.net');
  assert.equal(pending.kind, 'pledge_confirm');
  assert.ok(pending.subject.length > 5, 'the subject of a mail queued as variables');
  assert.match(mq.stdout, /^\d+ mails? waiting$/m);
  // The daemon logs none of it.
  assert.ok(!stack.daemonLog().includes('demo-test.example.net'), 'no address in the daemon log');
});

test('demo remove takes out exactly the demo content and what hangs off it', async () => {
  const maxOutbox = Math.max(0, ...beforeLoad.outbox.map((m) => m.id));
  const r = await ctl('demo', 'remove');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout.trim(), /^demo content removed: 40 pledges, 2 events, 93 registrations, 2 tokens, 133 consent records, 1 mails; campaign goal restored$/);
  const after1 = snapshot();
  // The reviewer's mail about the demo event is gone; the person who is
  // also registered for a real event keeps theirs (they look alike).
  const newMails = after1.outbox.filter((m) => m.id > maxOutbox);
  assert.deepEqual(newMails.map((m) => m.recipient), ['both@demo-test.example.net'], JSON.stringify(newMails));
  after1.outbox = after1.outbox.filter((m) => m.id <= maxOutbox);
  assert.deepEqual(after1, beforeLoad);
  assert.equal(scalar("SELECT count(*) FROM tokens WHERE kind = 'registration' AND ref_id NOT IN (SELECT id FROM registrations)"), 0, 'no token left without its registration');
  await recountClean();
  const c = await campaignNow((j) => j.count === 1, 'the count is the real one again');
  assert.equal(c.goal, 1000);
  const list = await get(stack.base, '/api/v1/events');
  assert.deepEqual(list.json.items.map((e) => e.slug), [REAL_EVENT]);
  const wall = await get(stack.base, '/api/v1/campaigns/icommit/pledges?limit=100');
  assert.deepEqual(wall.json.items, []);
  assert.equal(rows(`SELECT id FROM pledges WHERE id = ${real.p1.id}`).length, 1);
  const actions = isPostgresBackend ? "string_agg(action, ',' ORDER BY id)" : 'group_concat(action)';
  assert.match(sqlite(stack.dbPath, `SELECT ${actions} FROM audit WHERE username = '(icommitctl)'`), /demo_load,demo_remove/);
});

test('a goal staff changed after the load is kept; a real event with a demo name is left alone', async () => {
  assert.equal((await ctl('demo', 'load')).code, 0);
  sqlite(stack.dbPath, "UPDATE campaigns SET goal = 400 WHERE slug = 'icommit';");
  let r = await ctl('demo', 'remove');
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stdout, /goal restored/);
  assert.equal(scalar("SELECT goal FROM campaigns WHERE slug = 'icommit'"), 400);
  assert.equal(scalar('SELECT count(*) FROM demo_campaigns'), 0);

  // A real event that happens to have a demo event's name.
  const start = Math.floor(Date.now() / 1000) + 20 * DAY;
  const ev = await ctl('event', 'add', DEMO_EVENTS[1], {
    input: JSON.stringify({
      title: { es: 'Evento real', en: 'Real event', pt: 'Evento real', fr: 'Événement réel' },
      starts_at: new Date(start * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
      ends_at: new Date((start + 3600) * 1000).toISOString().replace(/\.\d+Z$/, 'Z'),
    }),
  });
  assert.equal(ev.code, 0, ev.stderr);
  r = await ctl('demo', 'load');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, new RegExp(`an event ${DEMO_EVENTS[1]} that is not demo content exists: left as it is`));
  assert.match(r.stdout, /40 pledges \(37 counted\), 1 events with 34 registrations, campaign goal 250/);
  assert.equal(scalar(`SELECT demo FROM events WHERE slug = ${sqlText(DEMO_EVENTS[1])}`), 0);
  r = await ctl('demo', 'remove');
  assert.equal(r.code, 0, r.stderr);
  assert.equal(scalar(`SELECT count(*) FROM events WHERE slug = ${sqlText(DEMO_EVENTS[1])}`), 1, 'the real one stays');
  assert.equal(scalar('SELECT count(*) FROM pledges WHERE demo = 1') + scalar('SELECT count(*) FROM events WHERE demo = 1'), 0);
  await recountClean();
});

test('demo takes load or remove, nothing else', async () => {
  for (const args of [['demo'], ['demo', 'unload'], ['demo', 'load', 'extra']]) {
    const r = await ctl(...args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.code}`);
    assert.match(r.stderr, /usage: icommitctl/);
  }
});
