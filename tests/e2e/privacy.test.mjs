// tests/e2e/privacy.test.mjs: the personal-data rights end to end (API.md
// "Personal data (self-service)"): asking for a link gives one reply whether
// the address is known or not; the mailed link exports every record held
// about the address; erasure removes the person everywhere — checked in the
// raw bytes of the database and WAL files — while the campaign's counts stay;
// icommitctl erase does the same; icommitctl vacuum (--full) after it
// (SQLite: the file rebuilt; PostgreSQL: each table vacuumed, then
// rewritten with no byte of the person left in its files); retention
// anonymises after a campaign ends; consent records are kept for pledges
// and registrations.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startStack } from './lib/stack.mjs';
import { integrityCheck, isPostgresBackend } from './lib/db.mjs';
import { postJson } from './lib/http.mjs';
import { sqlite, poll, mailsTo, waitMailTo, confirmLink, pledgesPath, addCampaign } from './lib/pledge-helpers.mjs';
import { addUser, signIn, freshAddress, fresh } from './lib/staff.mjs';

let stack;
let staff;
let seq = 0;
const DAY = 86400e3;
const iso = (ms) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

/** A person with words that appear nowhere else, to look for in raw bytes. */
function person(tag) {
  seq++;
  const mark = `${tag}${process.pid}x${seq}`;
  return {
    email: `priv-${mark}@example.org`,
    name: `Zelda Quux ${mark}`,
    organisation: `Orgzyx ${mark}`,
    commitment: `Unique commitment words ${mark} for our fleet.`,
    city: `Villaqz ${mark}`,
  };
}

async function confirmedPledge(p, extra = {}, slug = 'icommit') {
  const client = freshAddress();
  const r = await postJson(stack.base, pledgesPath(slug), {
    name: p.name, email: p.email, organisation: p.organisation, city: p.city,
    actor_type: 'private_sector', country: 'CL', commitment: p.commitment, category: 'fleet',
    quantity: 25, unit: 'buses', public: true, consent: true, language: 'es', ...extra,
  }, { headers: { 'X-Forwarded-For': client, Referer: 'https://icommit.example/index.html?x=1' } });
  assert.equal(r.status, 202, r.text);
  const mail = await waitMailTo(stack, extra.email ?? p.email);
  const c = await postJson(stack.base, '/api/v1/confirm', { token: confirmLink(mail.text).token });
  assert.equal(c.status, 200, c.text);
  return client;
}

async function register(p, slug) {
  const r = await postJson(stack.base, `/api/v1/events/${slug}/registrations`, {
    name: p.name, email: p.email, organisation: p.organisation, role: 'Director', country: 'MX',
    consent: true, language: 'en',
  }, { headers: { 'X-Forwarded-For': freshAddress() } });
  assert.equal(r.status, 201, r.text);
}

/** A comment and a consultant profile (confirmed) from person p. */
async function commentAndConsultant(p) {
  const c = await postJson(stack.base, '/api/v1/comments', {
    name: p.name, email: p.email, topic: 'partnership', message: `A comment from ${p.name} about buses.`,
    consent: true, language: 'es',
  });
  assert.equal(c.status, 202, c.text);
  const k = await postJson(stack.base, '/api/v1/consultants', {
    name: p.name, email: p.email, country: 'PE', organisation: p.organisation, expertise: ['charging'],
    languages: ['es'], bio: `${p.commitment} Twenty years of charging networks in the Andes region.`, consent: true,
  });
  assert.equal(k.status, 202, k.text);
  const mail = await poll(async () => mailsTo(stack, p.email).filter((m) => /confirm\.html\?token=.*kind=consultant/.test(m.text ?? '')),
    (l) => l.length > 0, { what: 'consultant confirmation' });
  const c2 = await postJson(stack.base, '/api/v1/confirm', { token: confirmLink(mail[0].text).token });
  assert.equal(c2.status, 200, c2.text);
  assert.equal(c2.json.kind, 'consultant');
}

async function subscribe(p) {
  const r = await postJson(stack.base, '/api/v1/newsletter', { email: p.email, name: p.name, consent: true, language: 'pt' });
  assert.equal(r.status, 202);
  const mail = await poll(async () => mailsTo(stack, p.email).filter((m) => confirmLink(m.text)
    && /newsletter|boletim|boletín|lettre/i.test(m.subject)), (l) => l.length > 0, { what: 'newsletter confirmation' });
  const c = await postJson(stack.base, '/api/v1/confirm', { token: confirmLink(mail[0].text).token });
  assert.equal(c.status, 200);
}

/** Asks for the privacy link and returns its token (from the mail). */
async function privacyToken(email, language = 'es') {
  const before = mailsTo(stack, email).length;
  const r = await postJson(stack.base, '/api/v1/privacy/request', { email, language });
  assert.equal(r.status, 202);
  const mail = await waitMailTo(stack, email, { n: before + 1 });
  const m = /\/privacy\.html\?token=([A-Za-z0-9_-]{43})/.exec(mail.text);
  assert.ok(m, `a privacy link in: ${mail.text}`);
  return { token: m[1], mail };
}

const counts = async () => {
  const c = await fresh(stack, '/api/v1/campaigns/icommit/counter');
  const s = await fresh(stack, '/api/v1/campaigns/icommit/stats');
  return { count: c.json.count, stats: s.json };
};

/** The database and WAL files as bytes (what a disk image would show). */
function rawFiles() {
  return [stack.dbPath, `${stack.dbPath}-wal`].filter((f) => fs.existsSync(f)).map((f) => fs.readFileSync(f));
}

function traces(p) {
  const words = [p.email, p.name, p.organisation, p.commitment, p.city];
  const found = [];
  for (const buf of rawFiles()) {
    for (const w of words) if (buf.includes(Buffer.from(w, 'utf8'))) found.push(w);
  }
  return found;
}

before(async () => {
  stack = await startStack({ smtp: true, config: { moderation: 'no' } });
  await addUser(stack, 'dpo');
  staff = await signIn(stack, 'dpo');
  const start = Date.now() + 5 * DAY;
  const ev = await staff.post('/events', {
    slug: 'privacy-ev',
    title: { es: 'Evento', en: 'Event', pt: 'Evento', fr: 'Événement' },
    starts_at: iso(start), ends_at: iso(start + 3600e3), timezone: 'America/Lima', capacity: 50,
  });
  assert.equal(ev.status, 201, ev.text);
});

after(async () => {
  await stack?.stop();
});

describe('asking for one\'s data', () => {
  it('an address known only from a comment gets the link too', async () => {
    const p = person('commentonly');
    const c = await postJson(stack.base, '/api/v1/comments', {
      name: p.name, email: p.email, topic: 'press', message: 'Press enquiry about the campaign launch.', consent: true,
    });
    assert.equal(c.status, 202, c.text);
    const { token } = await privacyToken(p.email);
    const x = (await postJson(stack.base, '/api/v1/privacy/export', { token })).json;
    assert.equal(x.comments.length, 1);
    assert.deepEqual(x.pledges, []);
  });

  it('a comment and a consultant profile sent from a +tag form of the mailbox are the same person', async () => {
    const p = person('tagged');
    const tagged = { ...p, email: p.email.replace('@', '+press@') };
    await confirmedPledge(p);
    await commentAndConsultant(tagged);
    const { token } = await privacyToken(p.email);
    const x = (await postJson(stack.base, '/api/v1/privacy/export', { token })).json;
    assert.equal(x.pledges.length, 1);
    assert.equal(x.comments.length, 1);
    assert.equal(x.comments[0].email, tagged.email);
    assert.ok(x.consultants.length >= 1);
    assert.ok(x.consultants.every((k) => k.email === tagged.email));
    assert.ok(x.mails.some((m) => m.recipient === tagged.email), 'the consultant mail is the person\'s too');

    const { token: eraseToken } = await privacyToken(p.email);
    const r = await postJson(stack.base, '/api/v1/privacy/erase', { token: eraseToken });
    assert.equal(r.status, 200, r.text);
    const rows = sqlite(stack.dbPath, `SELECT (SELECT count(*) FROM comments WHERE email = '${tagged.email}') + `
      + `(SELECT count(*) FROM consultants WHERE email = '${tagged.email}') + `
      + `(SELECT count(*) FROM consultant_requests WHERE email = '${tagged.email}')`);
    assert.equal(Number(rows), 0);
    await poll(async () => traces(tagged), (t) => t.length === 0, { timeoutMs: 15000, what: `no trace of ${tagged.email}` });
  });

  it('a known and an unknown address get identical replies; only the known one gets mail', async () => {
    const known = person('known');
    await confirmedPledge(known);
    const unknown = `nobody-${process.pid}@example.org`;
    const a = await postJson(stack.base, '/api/v1/privacy/request', { email: known.email, language: 'en' });
    const b = await postJson(stack.base, '/api/v1/privacy/request', { email: unknown, language: 'en' });
    assert.equal(a.status, 202);
    assert.deepEqual(a.json, { status: 'sent_if_known' });
    assert.equal(b.status, a.status);
    assert.equal(b.text, a.text);
    assert.deepEqual(Object.keys(b.headers).sort(), Object.keys(a.headers).sort());
    const mail = await waitMailTo(stack, known.email, { n: 2 });
    assert.match(mail.subject, /personal data/i);
    assert.match(mail.text, /\/privacy\.html\?token=[A-Za-z0-9_-]{43}/);
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(mailsTo(stack, unknown).length, 0);
    const bad = await postJson(stack.base, '/api/v1/privacy/request', { email: 'nope' });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.fields.email, 'invalid_email');
  });

  it('the link exports every record: pledges, registrations, subscriptions, consents, mails', async () => {
    const p = person('export');
    const client = await confirmedPledge(p);
    await register(p, 'privacy-ev');
    await subscribe(p);
    await commentAndConsultant(p);
    const { token } = await privacyToken(p.email);
    const r = await postJson(stack.base, '/api/v1/privacy/export', { token });
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers['content-disposition'], /attachment/);
    assert.equal(r.headers['cache-control'], 'no-store');
    const x = r.json;
    assert.equal(x.email, p.email);
    assert.equal(x.pledges.length, 1);
    assert.equal(x.pledges[0].name, p.name);
    assert.equal(x.pledges[0].commitment, p.commitment);
    assert.equal(x.pledges[0].organisation, p.organisation);
    assert.equal(x.pledges[0].campaign, 'icommit');
    assert.equal(x.pledges[0].public, true);
    assert.match(x.pledges[0].created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(x.registrations.length, 1);
    assert.equal(x.registrations[0].event, 'privacy-ev');
    assert.equal(x.registrations[0].role, 'Director');
    assert.equal(x.subscriptions.length, 1);
    assert.equal(x.subscriptions[0].status, 'subscribed');
    const subjects = x.consents.map((c) => c.subject).sort();
    assert.deepEqual(subjects, ['newsletter', 'pledge', 'registration']);
    const pc = x.consents.find((c) => c.subject === 'pledge');
    assert.equal(pc.client_ip, client);
    assert.equal(pc.source, '/index.html');
    assert.match(pc.notice_version, /^\d{4}-\d\d-\d\d$/);
    const kinds = x.mails.map((m) => m.kind);
    for (const k of ['pledge_confirm', 'event_registered', 'newsletter_confirm', 'privacy_link']) {
      assert.ok(kinds.includes(k), `mail ${k} listed (${kinds})`);
    }
    for (const m of x.mails) assert.equal(m.recipient, p.email);
    assert.equal(x.comments.length, 1);
    assert.match(x.comments[0].message, /about buses/);
    // The roster's profile (and the request it came from).
    assert.ok(x.consultants.length >= 1);
    assert.ok(x.consultants.every((k) => k.name === p.name && k.email === p.email));
  });

  it('an unknown or expired token is 404', async () => {
    const r = await postJson(stack.base, '/api/v1/privacy/export', { token: 'A'.repeat(43) });
    assert.equal(r.status, 404);
    assert.equal(r.json.error.code, 'not_found');
    const p = person('expired');
    await confirmedPledge(p);
    const { token } = await privacyToken(p.email);
    sqlite(stack.dbPath, "UPDATE tokens SET expires_at = 1 WHERE kind = 'privacy'");
    const late = await postJson(stack.base, '/api/v1/privacy/export', { token });
    assert.equal(late.status, 404);
    const lateErase = await postJson(stack.base, '/api/v1/privacy/erase', { token });
    assert.equal(lateErase.status, 404);
    const garbage = await postJson(stack.base, '/api/v1/privacy/erase', { token: '../../etc' });
    assert.equal(garbage.status, 404);
    assert.equal((await postJson(stack.base, '/api/v1/privacy/export', {})).status, 422);
  });
});

describe('erasure', () => {
  it('removes every trace of the person from the database file while counts stay', async () => {
    const p = person('erase');
    await confirmedPledge(p);
    // A second pledge under a +tag form of the same mailbox, in another campaign.
    addCampaign(stack.dbPath, 'second');
    await confirmedPledge(p, { email: p.email.replace('@', '+two@') }, 'second');
    await register(p, 'privacy-ev');
    await subscribe(p);
    await commentAndConsultant(p);
    const { token } = await privacyToken(p.email, 'fr');
    const before = await counts();
    const wall = (await fresh(stack, `${pledgesPath()}?limit=100`)).json.items;
    assert.ok(wall.some((x) => x.name === p.name), 'on the wall before');
    // The raw bytes are SQLite's (secure_delete zeroes what is deleted); on
    // PostgreSQL a deleted row stays in the files until VACUUM, see
    // docs/privacy.md.
    const rawBytes = !isPostgresBackend;
    if (rawBytes) assert.ok(traces(p).length > 0, 'the raw files held the person before');

    const r = await postJson(stack.base, '/api/v1/privacy/erase', { token, language: 'fr' });
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, { status: 'erased' });
    const done = await poll(async () => mailsTo(stack, p.email).filter((m) => /effacées/.test(m.subject)),
      (l) => l.length === 1, { what: 'erasure confirmation mail' });
    assert.match(done[0].text, /anonymement/);

    const after = await counts();
    assert.deepEqual(after, before, 'counter and stats unchanged');
    const wallAfter = (await fresh(stack, `${pledgesPath()}?limit=100`)).json.items;
    assert.ok(!wallAfter.some((x) => x.name === p.name), 'gone from the wall');
    assert.equal((await fresh(stack, '/api/v1/campaigns/second/counter')).json.count, 1);
    // Once the confirmation has gone out, no byte of the person remains in
    // the database file or its WAL.
    if (rawBytes) await poll(async () => traces(p), (t) => t.length === 0, { timeoutMs: 15000, what: `no trace of ${p.email}` });
    const left = sqlite(stack.dbPath, `SELECT count(*) FROM pledges WHERE erased_at IS NOT NULL AND name = '' AND email = ''`);
    assert.ok(Number(left) >= 2);
    assert.equal(integrityCheck(stack.dbPath), 'ok');
    // The link is spent.
    assert.equal((await postJson(stack.base, '/api/v1/privacy/export', { token })).status, 404);
    // Asking again now finds nothing: same reply, no mail.
    const n = mailsTo(stack, p.email).length;
    const again = await postJson(stack.base, '/api/v1/privacy/request', { email: p.email });
    assert.equal(again.status, 202);
    await new Promise((res) => setTimeout(res, 800));
    assert.equal(mailsTo(stack, p.email).length, n);
  });

  it('icommitctl erase EMAIL does the same for a request by letter', async () => {
    const p = person('letter');
    await confirmedPledge(p);
    await register(p, 'privacy-ev');
    const before = await counts();
    const r = await stack.ctl('erase', p.email.toUpperCase());
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /erased: pledges anonymised: 1/);
    assert.match(r.stdout, /erased: registrations anonymised: 1/);
    assert.deepEqual(await counts(), before);
    assert.deepEqual(traces(p), []);
    const bad = await stack.ctl('erase', 'not-an-address');
    assert.equal(bad.code, 1);
    assert.equal((await stack.ctl('erase')).code, 2);
    const audit = await staff.get('/audit');
    assert.ok(audit.json.items.some((a) => a.action === 'erase' && a.username === '(icommitctl)'));
    assert.ok(!JSON.stringify(audit.json).includes(p.email), 'the audit log names nobody');
  });

  it('icommitctl vacuum and vacuum --full after an erasure exit 0 and say what they did, which was done', async () => {
    const p = person('vacuum');
    const kept = person('kept');
    await confirmedPledge(p);
    await register(p, 'privacy-ev');
    await confirmedPledge(kept);
    const erased = await stack.ctl('erase', p.email);
    assert.equal(erased.code, 0, erased.stderr);
    const vacuum = async (...args) => {
      const r = await stack.ctl('vacuum', ...args);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      return r.stdout;
    };

    if (!isPostgresBackend) {
      // VACUUM rebuilds the file (with or without --full): pages freed by
      // a dropped table are given back.
      const freePages = () => Number(sqlite(stack.dbPath, 'PRAGMA freelist_count;'));
      const makeFree = () => sqlite(stack.dbPath, `CREATE TABLE vacuum_scratch AS WITH RECURSIVE k(i) AS
        (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 64) SELECT randomblob(4000) AS b FROM k;
        DROP TABLE vacuum_scratch;`);
      makeFree();
      assert.ok(freePages() > 0, 'free pages before');
      assert.equal(await vacuum(), `vacuumed ${stack.dbPath}\n`);
      assert.equal(freePages(), 0);
      makeFree();
      assert.equal(await vacuum('--full'), `vacuumed ${stack.dbPath} (full)\n`);
      assert.equal(freePages(), 0);
    } else {
      // The tables that hold personal data (docs/privacy.md), as the
      // superuser, who may read their files.
      const su = stack.dbPath.replace(/([?&]user=)[^&]*/, `$1${process.env.ICOMMIT_PG_SUPERUSER || 'postgres'}`);
      const tables = ['pledges', 'registrations', 'subscribers', 'consents', 'outbox', 'tokens', 'privacy_requests',
        'comments', 'consultants', 'consultant_requests'].map(q).join(', ');
      const perTable = (expr) => JSON.parse(sqlite(su, `SELECT relname, ${expr} AS v FROM pg_stat_user_tables
        WHERE relname IN (${tables}) ORDER BY relname`, { json: true }));
      const vacuums = () => perTable('vacuum_count');
      const files = () => perTable('pg_relation_filenode(relid)');
      // Every file of those tables: heap, TOAST, indexes; which hold a word.
      const holding = (words) => sqlite(su, `CHECKPOINT;
        WITH t AS (SELECT relid AS oid FROM pg_stat_user_tables WHERE relname IN (${tables})),
          r AS (SELECT oid FROM t UNION SELECT reltoastrelid FROM pg_class WHERE oid IN (SELECT oid FROM t) AND reltoastrelid <> 0),
          a AS (SELECT oid FROM r UNION SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM r))
        SELECT coalesce(string_agg(DISTINCT c.relname, ' '), '') FROM a JOIN pg_class c ON c.oid = a.oid,
          (VALUES ${words.map((w) => `(${q(w)})`).join(', ')}) AS w(word)
        WHERE pg_relation_size(a.oid) > 0
          AND position(convert_to(w.word, 'UTF8') IN pg_read_binary_file(pg_relation_filepath(a.oid))) > 0;`);
      const words = [p.email, p.name, p.organisation, p.commitment, p.city];

      const once = vacuums();
      assert.equal(await vacuum(), 'vacuumed the PostgreSQL database\n');
      const twice = vacuums();
      assert.equal(twice.length, 10, 'the ten tables');
      twice.forEach((t, i) => assert.ok(Number(t.v) > Number(once[i].v), `${t.relname} vacuumed`));
      // A plain VACUUM frees the dead versions but may leave their bytes;
      // FULL writes each table and index anew, without them.
      const old = files();
      assert.equal(await vacuum('--full'), 'vacuumed the PostgreSQL database (full)\n');
      files().forEach((t, i) => assert.notEqual(t.v, old[i].v, `${t.relname} rewritten`));
      assert.equal(holding(words), '', 'files that hold a word of the erased person');
      assert.equal(holding([kept.name, kept.commitment]), 'pledges', 'the check finds what is there');
    }
    assert.equal(integrityCheck(stack.dbPath), 'ok');
    assert.equal((await fresh(stack, '/api/v1/campaigns/icommit/counter')).status, 200, 'the daemon still answers');
  });
});

describe('retention and consent', () => {
  it('records consent for pledges and registrations with the notice version', async () => {
    const p = person('consent');
    await confirmedPledge(p);
    await register(p, 'privacy-ev');
    const rows = JSON.parse(sqlite(stack.dbPath, `SELECT k.subject, k.notice_version, k.language FROM consents k
      WHERE (k.subject = 'pledge' AND k.ref_id = (SELECT id FROM pledges WHERE email = ${q(p.email)}))
         OR (k.subject = 'registration' AND k.ref_id = (SELECT id FROM registrations WHERE email = ${q(p.email)}))
      ORDER BY k.subject`, { json: true }));
    assert.deepEqual(rows.map((x) => [x.subject, x.language]), [['pledge', 'es'], ['registration', 'en']]);
  });

  it('icommitctl purge anonymises pledges retention_days after their campaign ended, once', async () => {
    const p = person('retain');
    await confirmedPledge(p);
    const before = await counts();
    // Retention is off (0): purge keeps every pledge, even of an ended campaign.
    const now = Math.floor(Date.now() / 1000);
    const id = sqlite(stack.dbPath, `SELECT id FROM pledges WHERE email = ${q(p.email)}`);
    const keep = await stack.ctl('purge');
    assert.equal(keep.code, 0);
    assert.equal(sqlite(stack.dbPath, `SELECT name FROM pledges WHERE id = ${id}`), p.name);
    // With retention_days = 30 and the campaign closed 31 days ago, it goes.
    fs.appendFileSync(stack.configPath, 'retention_days = 30\n');
    sqlite(stack.dbPath, `UPDATE campaigns SET closes_at = ${now - 31 * 86400} WHERE slug = 'icommit'`);
    try {
      const r = await stack.ctl('purge');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /pledges anonymised: \d+/);
      assert.match(r.stdout, /consent records anonymised: \d+/);
      assert.equal(sqlite(stack.dbPath, `SELECT name || '|' || email || '|' || CASE WHEN erased_at IS NOT NULL THEN 1 ELSE 0 END FROM pledges WHERE id = ${id}`), '||1');
      assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM consents WHERE subject = 'pledge' AND ref_id = ${id} AND client_ip IS NOT NULL`), '0');
      const again = await stack.ctl('purge');
      assert.doesNotMatch(again.stdout, /anonymised/);
      assert.deepEqual(await counts(), before);
    } finally {
      sqlite(stack.dbPath, "UPDATE campaigns SET closes_at = NULL WHERE slug = 'icommit'");
    }
  });

  it('icommitctl purge deletes pledges left unconfirmed for 30 days (and their consent records), once', async () => {
    const stale = person('stale');
    const fresh = person('fresh');
    const old = person('oldconfirmed');
    for (const p of [stale, fresh]) {
      const r = await postJson(stack.base, pledgesPath('icommit'), {
        name: p.name, email: p.email, actor_type: 'individual', country: 'CL', commitment: p.commitment,
        category: 'fleet', public: true, consent: true, language: 'es',
      }, { headers: { 'X-Forwarded-For': freshAddress() } });
      assert.equal(r.status, 202, r.text);
    }
    await confirmedPledge(old);
    const before = await counts();
    const month = Math.floor(Date.now() / 1000) - 31 * 86400;
    sqlite(stack.dbPath, `UPDATE pledges SET created_at = ${month} WHERE email IN (${q(stale.email)}, ${q(old.email)})`);
    const idOf = (p) => sqlite(stack.dbPath, `SELECT id FROM pledges WHERE email = ${q(p.email)}`);
    const staleId = idOf(stale);
    const r = await stack.ctl('purge');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /pledges deleted \(unconfirmed\): 1\b/);
    assert.equal(idOf(stale), '', 'the month-old unconfirmed pledge is gone');
    assert.notEqual(idOf(fresh), '', 'a fresh unconfirmed pledge stays');
    assert.notEqual(idOf(old), '', 'a confirmed pledge stays, however old');
    assert.equal(sqlite(stack.dbPath, `SELECT count(*) FROM consents WHERE subject = 'pledge' AND ref_id = ${staleId}`), '0');
    assert.deepEqual(await counts(), before, 'the counts did not move: it was never counted');
    const again = await stack.ctl('purge');
    assert.equal(again.code, 0);
    assert.doesNotMatch(again.stdout, /pledges deleted/);
  });

  it('the daemon logged no address or name', () => {
    const log = stack.daemonLog();
    assert.doesNotMatch(log, /@example\.org/);
    assert.doesNotMatch(log, /Zelda Quux/);
  });
});
