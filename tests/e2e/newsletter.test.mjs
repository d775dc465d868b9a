// tests/e2e/newsletter.test.mjs: the newsletter end to end through real nginx,
// the real daemon and a real SMTP sink (API.md "Newsletter"): double opt-in
// with identical replies for repeats, consent records, the browser-form
// fallback, staff writing and sending an issue (per language, paced through
// the outbox, resumable after kill -9 without sending anyone twice), the
// RFC 8058 one-click unsubscribe without cookies, the subscribers CSV, and
// the purge of stale sign-ups.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, repoRoot } from './lib/stack.mjs';
import { request, postJson } from './lib/http.mjs';
import { sqlite, poll, mailsTo, waitMailTo, confirmLink, killSmtp, startSmtp, recipients } from './lib/pledge-helpers.mjs';
import { addUser, signIn, parseCsv, freshAddress } from './lib/staff.mjs';

const NEWSLETTER = '/api/v1/newsletter';
const FORM_TYPE = 'application/x-www-form-urlencoded';
// Links in mail use base_url; an https one shows what production sends.
const BASE_URL = 'https://icommit.example';

let stack;
let staff;
let sink2; // the SMTP sink started again after the outage test
let seq = 0;

const address = (tag) => `nl-${tag}-${process.pid}-${++seq}@example.org`;

function subscribe(body, headers = {}) {
  return postJson(stack.base, NEWSLETTER, { consent: true, language: 'es', ...body }, {
    headers: { 'X-Forwarded-For': freshAddress(), ...headers },
  });
}

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
const subscriberRow = (email) => JSON.parse(sqlite(stack.dbPath,
  `SELECT * FROM subscribers WHERE email = ${q(email.toLowerCase())}`, { json: true }) || '[]');

/** The token of a mailed link to path (?token=...), or null. */
function tokenIn(text, page) {
  const m = new RegExp(`${page.replace('.', '\\.')}\\?token=([A-Za-z0-9_-]{43})`).exec(text ?? '');
  return m ? m[1] : null;
}

/** Subscribes, confirms through the mailed link; returns the address. */
async function confirmedSubscriber(tag, language = 'es', name = undefined) {
  const email = address(tag);
  const r = await subscribe({ email, language, ...(name ? { name } : {}) });
  assert.equal(r.status, 202, r.text);
  const mail = await waitMailTo(stack, email);
  const link = confirmLink(mail.text);
  assert.ok(link, `no confirmation link in ${mail.text}`);
  const c = await postJson(stack.base, '/api/v1/confirm', { token: link.token });
  assert.equal(c.status, 200, c.text);
  assert.deepEqual(c.json, { kind: 'newsletter', status: 'subscribed' });
  return email;
}

async function createIssue(subject, body) {
  const r = await staff.post('/newsletters', { subject, body });
  assert.equal(r.status, 201, r.text);
  return r.json.id;
}

/** The issue mails (subject matches) the sink holds for email. */
const issuesTo = (email, subject) => mailsTo(stack, email).filter((m) => m.subject === subject);

before(async () => {
  stack = await startStack({ smtp: true, config: { base_url: BASE_URL } });
  await addUser(stack, 'editor');
  staff = await signIn(stack, 'editor');
});

after(async () => {
  await sink2?.stop();
  await stack?.stop();
});

describe('subscribing (double opt-in)', () => {
  it('a repeat gets the identical reply and creates no second subscription', async () => {
    const email = address('twice');
    const first = await subscribe({ email, name: 'Ana Twice' });
    const second = await subscribe({ email: email.toUpperCase(), name: 'Ana Twice' });
    assert.equal(first.status, 202);
    assert.deepEqual(first.json, { status: 'pending_confirmation' });
    assert.equal(second.status, first.status);
    assert.equal(second.text, first.text);
    assert.equal(subscriberRow(email).length, 1);
    assert.equal(subscriberRow(email)[0].status, 'pending_confirmation');
    // A +tag variant is the same mailbox: still one subscription.
    const tagged = email.replace('@', '+news@');
    const third = await subscribe({ email: tagged });
    assert.equal(third.text, first.text);
    const all = sqlite(stack.dbPath, `SELECT count(*) FROM subscribers WHERE email_key = ${q(email)}`);
    assert.equal(all, '1');
  });

  it('mails a confirmation link to confirm.html; confirming twice is idempotent', async () => {
    const email = address('confirm');
    await subscribe({ email, language: 'fr' });
    const mail = await waitMailTo(stack, email);
    assert.match(mail.subject, /lettre/i);
    const link = confirmLink(mail.text);
    assert.ok(link.url.startsWith(`${BASE_URL}/confirm.html?token=`), link.url);
    // The page picks the newsletter's wording before the button is pressed.
    assert.match(mail.text, /confirm\.html\?token=[A-Za-z0-9_-]{43}&kind=newsletter/);
    assert.deepEqual(subscriberRow(email)[0].status, 'pending_confirmation');
    for (let i = 0; i < 2; i++) {
      const c = await postJson(stack.base, '/api/v1/confirm', { token: link.token });
      assert.equal(c.status, 200);
      assert.deepEqual(c.json, { kind: 'newsletter', status: 'subscribed' });
    }
    const row = subscriberRow(email)[0];
    assert.equal(row.status, 'subscribed');
    assert.ok(row.confirmed_at > 0);
  });

  it('an address already subscribed gets the same reply, no second row, and an "already" mail', async () => {
    const email = await confirmedSubscriber('already', 'en');
    const before = mailsTo(stack, email).length;
    const r = await subscribe({ email, language: 'en' });
    assert.equal(r.status, 202);
    assert.deepEqual(r.json, { status: 'pending_confirmation' });
    const mail = await waitMailTo(stack, email, { n: before + 1 });
    assert.match(mail.subject, /already/i);
    assert.equal(confirmLink(mail.text), null);
    assert.equal(subscriberRow(email)[0].status, 'subscribed');
  });

  it('keeps a consent record: time, client address, notice version, language, page', async () => {
    const email = address('consent');
    const client = freshAddress();
    const r = await subscribe({ email, language: 'pt', source: '/newsletter.html' }, { 'X-Forwarded-For': client });
    assert.equal(r.status, 202);
    const id = subscriberRow(email)[0].id;
    const [c] = JSON.parse(sqlite(stack.dbPath,
      `SELECT * FROM consents WHERE subject = 'newsletter' AND ref_id = ${id}`, { json: true }));
    assert.equal(c.client_ip, client);
    assert.equal(c.language, 'pt');
    assert.equal(c.source, '/newsletter.html');
    assert.ok(Math.abs(c.given_at - Date.now() / 1000) < 60);
    // The version is the one the privacy notice page declares.
    const page = fs.readFileSync(path.join(repoRoot, 'www/privacy-notice.html'), 'utf8');
    const m = /<meta name="icommit-privacy-version" content="([^"]+)">/.exec(page);
    assert.ok(m, 'privacy-notice.html declares its version');
    assert.equal(c.notice_version, m[1]);
  });

  it('reports every bad field at once, and stores nothing', async () => {
    const r = await postJson(stack.base, NEWSLETTER, { email: 'not-an-address', consent: false, language: 'de', name: 'x'.repeat(121) });
    assert.equal(r.status, 422);
    assert.equal(r.json.error.code, 'invalid');
    assert.deepEqual(r.json.error.fields, {
      email: 'invalid_email', consent: 'must_be_true', language: 'invalid_choice', name: 'too_long',
    });
    const missing = await postJson(stack.base, NEWSLETTER, {});
    assert.deepEqual(missing.json.error.fields, { email: 'required', consent: 'required' });
  });

  it('a filled honeypot looks like success and stores nothing', async () => {
    const email = address('bot');
    const r = await subscribe({ email, website: 'http://spam.example' });
    assert.equal(r.status, 202);
    assert.deepEqual(r.json, { status: 'pending_confirmation' });
    assert.equal(subscriberRow(email).length, 0);
  });

  it('a browser form without JavaScript gets 303 back to its page', async () => {
    const email = address('form');
    const body = new URLSearchParams({ email, consent: 'on', language: 'es', return: '/newsletter.html' }).toString();
    const r = await request(stack.base, 'POST', NEWSLETTER, { headers: { 'Content-Type': FORM_TYPE }, body });
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/newsletter.html?ok=1');
    assert.equal(subscriberRow(email).length, 1);
    const bad = new URLSearchParams({ email, return: '/newsletter.html' }).toString();
    const r2 = await request(stack.base, 'POST', NEWSLETTER, { headers: { 'Content-Type': FORM_TYPE }, body: bad });
    assert.equal(r2.status, 303);
    assert.equal(r2.headers.location, '/newsletter.html?error=invalid');
  });
});

describe('sending an issue and unsubscribing', () => {
  it('staff must give the Spanish subject and body; the list shows drafts', async () => {
    const bad = await staff.post('/newsletters', { subject: { en: 'Only English' }, body: { es: '' } });
    assert.equal(bad.status, 422);
    assert.equal(bad.json.error.fields['subject.es'], 'required');
    assert.ok(bad.json.error.fields['body.es']);
    const id = await createIssue({ es: 'Borrador' }, { es: 'Texto del borrador.' });
    const list = await staff.get('/newsletters');
    assert.equal(list.status, 200);
    const item = list.json.items.find((n) => n.id === id);
    assert.equal(item.status, 'draft');
    assert.equal(item.subject.es, 'Borrador');
    assert.equal(item.subject.en, null);
    const anon = await request(stack.base, 'GET', '/api/v1/admin/newsletters');
    assert.equal(anon.status, 401);
    const noCsrf = await staff.post(`/newsletters/${id}/send`, {}, { 'X-CSRF-Token': undefined });
    assert.equal(noCsrf.status, 403);
  });

  it('each confirmed subscriber gets the issue in their language with both List-Unsubscribe headers; one click unsubscribes', async () => {
    const es = await confirmedSubscriber('send-es', 'es');
    const en = await confirmedSubscriber('send-en', 'en');
    const fr = await confirmedSubscriber('send-fr', 'fr'); // the issue has no French: Spanish
    const pending = address('send-pending');
    await subscribe({ email: pending });
    await waitMailTo(stack, pending);

    const subject = { es: `Boletín ${seq}`, en: `Newsletter ${seq}` };
    const id = await createIssue(subject, { es: 'Hola a todos.\n\nNoticias de la campaña.', en: 'Hello all.\n\nCampaign news.' });
    const sent = await staff.post(`/newsletters/${id}/send`);
    assert.equal(sent.status, 202, sent.text);
    assert.deepEqual(sent.json, { status: 'sending' });
    const again = await staff.post(`/newsletters/${id}/send`);
    assert.equal(again.status, 409);

    const mEs = await poll(async () => issuesTo(es, subject.es), (l) => l.length === 1, { what: 'issue to es' });
    const mEn = await poll(async () => issuesTo(en, subject.en), (l) => l.length === 1, { what: 'issue to en' });
    const mFr = await poll(async () => issuesTo(fr, subject.es), (l) => l.length === 1, { what: 'issue to fr (in Spanish)' });
    assert.match(mEn[0].text, /Campaign news/);
    assert.match(mFr[0].text, /Noticias de la campaña/);
    for (const m of [mEs[0], mEn[0], mFr[0]]) {
      const lu = m.headers['list-unsubscribe'];
      assert.match(lu, /^<https:\/\/icommit\.example\/api\/v1\/newsletter\/unsubscribe\?token=[A-Za-z0-9_-]{43}>$/, lu);
      assert.equal(m.headers['list-unsubscribe-post'], 'List-Unsubscribe=One-Click');
      assert.ok(tokenIn(m.text, 'unsubscribe.html'), 'a human unsubscribe link in the text');
    }
    await poll(async () => (await staff.get('/newsletters')).json.items.find((n) => n.id === id),
      (n) => n.status === 'sent', { what: 'issue marked sent' });
    assert.equal(issuesTo(pending, subject.es).length, 0, 'unconfirmed addresses get nothing');

    // RFC 8058: a form POST of List-Unsubscribe=One-Click to the header's URL,
    // no cookie, no CSRF token: done in that request, no redirect.
    const url = new URL(mEs[0].headers['list-unsubscribe'].slice(1, -1));
    const click = await request(stack.base, 'POST', url.pathname + url.search, {
      headers: { 'Content-Type': FORM_TYPE }, body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(click.status, 200, click.text);
    assert.deepEqual(click.json, { status: 'unsubscribed' });
    assert.equal(click.headers.location, undefined);
    assert.equal(click.headers['set-cookie'], undefined);
    const row = subscriberRow(es)[0];
    assert.equal(row.status, 'unsubscribed');
    const withdrawn = sqlite(stack.dbPath, `SELECT count(*) FROM consents WHERE subject = 'newsletter' AND ref_id = ${row.id} AND withdrawn_at IS NOT NULL`);
    assert.equal(withdrawn, '1');
    // Idempotent.
    const twice = await request(stack.base, 'POST', url.pathname + url.search, {
      headers: { 'Content-Type': FORM_TYPE }, body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(twice.status, 200);

    // The next issue reaches the others and not the unsubscribed address.
    const next = { es: `Segundo ${seq}` };
    const id2 = await createIssue(next, { es: 'Más noticias.' });
    assert.equal((await staff.post(`/newsletters/${id2}/send`)).status, 202);
    await poll(async () => issuesTo(en, next.es), (l) => l.length === 1, { what: 'second issue to en' });
    await poll(async () => (await staff.get('/newsletters')).json.items.find((n) => n.id === id2),
      (n) => n.status === 'sent', { what: 'second issue sent' });
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(issuesTo(es, next.es).length, 0, 'no mail after unsubscribing');
  });

  it('unsubscribe takes a JSON token too; an unknown token is 404', async () => {
    const email = await confirmedSubscriber('json-unsub', 'pt');
    const subject = { es: `Para JSON ${seq}` };
    const id = await createIssue(subject, { es: 'Texto.' });
    await staff.post(`/newsletters/${id}/send`);
    const [m] = await poll(async () => issuesTo(email, subject.es), (l) => l.length === 1, { what: 'issue' });
    const token = tokenIn(m.text, 'unsubscribe.html');
    const r = await postJson(stack.base, '/api/v1/newsletter/unsubscribe', { token });
    assert.equal(r.status, 200);
    assert.deepEqual(r.json, { status: 'unsubscribed' });
    assert.equal(subscriberRow(email)[0].status, 'unsubscribed');
    const unknown = await postJson(stack.base, '/api/v1/newsletter/unsubscribe', { token: 'A'.repeat(43) });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.json.error.code, 'not_found');
    const q404 = await request(stack.base, 'POST', `/api/v1/newsletter/unsubscribe?token=${'B'.repeat(43)}`, {
      headers: { 'Content-Type': FORM_TYPE }, body: 'List-Unsubscribe=One-Click',
    });
    assert.equal(q404.status, 404);
    const none = await postJson(stack.base, '/api/v1/newsletter/unsubscribe', {});
    assert.equal(none.status, 422);
    // A confirmation token is not an unsubscribe token.
    const other = address('kind');
    await subscribe({ email: other });
    const link = confirmLink((await waitMailTo(stack, other)).text);
    const wrong = await postJson(stack.base, '/api/v1/newsletter/unsubscribe', { token: link.token });
    assert.equal(wrong.status, 404);
  });

  it('a send interrupted by kill -9 resumes and nobody gets the issue twice', async () => {
    // 50 confirmed subscribers, straight into the database.
    const now = Math.floor(Date.now() / 1000);
    const values = [];
    for (let i = 0; i < 50; i++) {
      const e = `bulk-${process.pid}-${i}@example.org`;
      values.push(`(${q(e)}, ${q(e)}, 'es', 'subscribed', ${now}, ${now})`);
    }
    sqlite(stack.dbPath, `INSERT INTO subscribers (email, email_key, language, status, created_at, confirmed_at) VALUES ${values.join(',')}`);
    const total = Number(sqlite(stack.dbPath, "SELECT count(*) FROM subscribers WHERE status = 'subscribed'"));
    // With the mail server down, queued mail waits in the outbox, so what is
    // counted below is what was queued, once, across the crash.
    await killSmtp(stack);
    const subject = { es: `Reanudable ${seq}` };
    const file = path.join(stack.dir, 'issue.json');
    fs.writeFileSync(file, JSON.stringify({ subject, body: { es: 'Un boletín largo.' } }));
    const ctl = await stack.ctl('newsletter', 'send', file);
    assert.equal(ctl.code, 0, ctl.stderr);
    assert.match(ctl.stdout, new RegExp(`sending to ${total} subscribers`));
    const id = Number(/newsletter (\d+)/.exec(ctl.stdout)[1]);
    const queued = () => Number(sqlite(stack.dbPath, `SELECT queued FROM newsletters WHERE id = ${id}`));
    await poll(async () => queued(), (n) => n > 0, { what: 'first batch queued' });
    assert.ok(queued() < total, `paced: not all ${total} queued at once (${queued()})`);
    await stack.killDaemon('SIGKILL');
    await stack.startDaemon();
    sink2 = await startSmtp(stack);
    await poll(async () => sqlite(stack.dbPath, `SELECT status FROM newsletters WHERE id = ${id}`),
      (s) => s === 'sent', { timeoutMs: 60000, what: 'issue sent after restart' });
    await poll(async () => stack.mails().filter((m) => m.subject === subject.es).length, (n) => n >= total,
      { timeoutMs: 60000, what: `${total} deliveries` });
    const byRcpt = new Map();
    for (const m of stack.mails().filter((x) => x.subject === subject.es)) {
      for (const r of recipients(m)) byRcpt.set(r, (byRcpt.get(r) ?? 0) + 1);
    }
    assert.equal(byRcpt.size, total, 'every subscriber got it');
    for (const [r, n] of byRcpt) assert.equal(n, 1, `${r} got it ${n} times`);
    assert.equal(queued(), total);
  });

  it('icommitctl newsletter send refuses a file without the Spanish texts', async () => {
    const file = path.join(stack.dir, 'bad-issue.json');
    fs.writeFileSync(file, JSON.stringify({ subject: { en: 'x' }, body: { en: 'y' } }));
    const r = await stack.ctl('newsletter', 'send', file);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /subject\.es/);
    const r2 = await stack.ctl('newsletter', 'send', path.join(stack.dir, 'missing.json'));
    assert.equal(r2.code, 1);
    const r3 = await stack.ctl('newsletter', 'bogus');
    assert.equal(r3.code, 2);
  });
});

describe('subscribers export and purge', () => {
  it('subscribers.csv has the API columns, a BOM, neutralised formulas and the consent version', async () => {
    const email = await confirmedSubscriber('csv', 'en', '=HYPERLINK("x")');
    const r = await staff.get('/export/subscribers.csv');
    assert.equal(r.status, 200);
    assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(r.headers['content-disposition'], /^attachment; filename="icommit-subscribers-\d{4}-\d\d-\d\d\.csv"$/);
    const rows = parseCsv(r.body);
    assert.deepEqual(rows[0], ['id', 'subscribed_at', 'confirmed_at', 'status', 'email', 'name', 'language', 'consent_version']);
    const row = rows.find((x) => x[4] === email);
    assert.ok(row, 'the subscriber is in the export');
    assert.equal(row[3], 'subscribed');
    assert.equal(row[5], `'=HYPERLINK("x")`);
    assert.equal(row[6], 'en');
    assert.match(row[7], /^\d{4}-\d\d-\d\d$/);
    const semi = await staff.get('/export/subscribers.csv?sep=semicolon&bom=0');
    assert.equal(semi.body[0], 'i'.charCodeAt(0));
    const cli = await stack.ctl('export', 'subscribers');
    assert.equal(cli.code, 0, cli.stderr);
    assert.ok(cli.stdout.includes(email));
    assert.equal((await request(stack.base, 'GET', '/api/v1/admin/export/subscribers.csv')).status, 401);
  });

  it('icommitctl purge deletes sign-ups left unconfirmed for 30 days, once', async () => {
    const stale = address('stale');
    const fresh = address('fresh');
    await subscribe({ email: stale });
    await subscribe({ email: fresh });
    const old = Math.floor(Date.now() / 1000) - 31 * 86400;
    sqlite(stack.dbPath, `UPDATE subscribers SET created_at = ${old} WHERE email = ${q(stale)}`);
    const r = await stack.ctl('purge');
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /purged: subscriptions deleted: 1\b/);
    assert.equal(subscriberRow(stale).length, 0);
    assert.equal(subscriberRow(fresh).length, 1);
    const again = await stack.ctl('purge');
    assert.equal(again.code, 0);
    assert.doesNotMatch(again.stdout, /subscriptions deleted/);
  });

  it('the daemon logged no address', () => {
    const log = stack.daemonLog();
    assert.doesNotMatch(log, /@example\.org/);
  });
});
