// tests/e2e/pledges.test.mjs: pledges end to end through real nginx and the
// real daemon. With e-mail verification (and a real SMTP sink): the
// confirmation mail and its token, repeats, the daily mail quota, the
// honeypot, the browser-form fallback, body errors, stats, the moderated
// wall, mail surviving an SMTP outage. Without verification: replies and
// repeats, every validation reason, closed campaigns, 300 concurrent
// submissions, the counter (JSON and SVG) and its caching, the public wall
// and its pagination. Each stack ends by checking that its daemon logged no
// personal data. One test per behaviour; see API.md "Campaigns and pledges".
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { startStack } from './lib/stack.mjs';
import { bytesLiteral, sha256Hex, tokenKeyHex } from './lib/db.mjs';
import { request, get, postJson, headerValues } from './lib/http.mjs';
import {
  JSON_TYPE, sleep, pledgesPath, sqlite, q, addCampaign, pledgeRows, pledgeBody,
  assertJsonError, poll, mailsTo, waitMailTo, confirmLink, rawHeader, svgText,
  mailQueue, killSmtp, startSmtp,
} from './lib/pledge-helpers.mjs';

const FORM_TYPE = 'application/x-www-form-urlencoded';
const COUNTER_CACHE = 'public, max-age=5, stale-while-revalidate=30';
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
const TOKEN = /^[A-Za-z0-9_-]{43}$/; // 32 random bytes, base64url
const LANGS = ['es', 'en', 'pt', 'fr'];
const SUBJECT_WORD = { es: /compromiso/i, en: /pledge/i, pt: /compromisso/i, fr: /engagement/i };
const BADGE_WORDS = {
  es: ['compromiso', 'compromisos'],
  en: ['pledge', 'pledges'],
  pt: ['compromisso', 'compromissos'],
  fr: ['engagement', 'engagements'],
};
const PUBLIC_PLEDGE_KEYS = ['id', 'name', 'organisation', 'actor_type', 'country', 'city', 'commitment',
  'category', 'quantity', 'unit', 'target_year', 'created_at'].sort();

// ---------------------------------------------------------------------------
// Small helpers shared by both stacks.

/** A suite's memory of the names and addresses it sent, for the log check. */
function personalData() {
  const used = { names: new Set(), emails: new Set() };
  used.remember = (body) => {
    if (body && typeof body === 'object' && !Buffer.isBuffer(body)) {
      if (typeof body.name === 'string' && body.name.trim().length >= 6) used.names.add(body.name.trim());
      if (typeof body.email === 'string' && body.email.includes('@')) used.emails.add(body.email.trim());
    }
  };
  return used;
}

/** Every key of a JSON value, at any depth. */
function allKeys(value, out = []) {
  if (Array.isArray(value)) value.forEach((v) => allKeys(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      allKeys(v, out);
    }
  }
  return out;
}

/** An object without its zero-valued entries. */
const nonZero = (o) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== 0));

function counterOf(s, slug = 'icommit', headers = {}) {
  return get(s.base, `/api/v1/campaigns/${slug}/counter`, { headers });
}

/** Waits (through nginx's micro-cache) until the counter shows n; returns the response. */
function waitCounter(s, slug, n) {
  return poll(() => counterOf(s, slug), (r) => r.status === 200 && r.json?.count === n,
    { what: `counter of ${slug} = ${n}` });
}

/** The campaign's count as the (uncached) campaign resource tells it. */
async function campaignCount(s, slug = 'icommit') {
  const r = await get(s.base, `/api/v1/campaigns/${slug}`);
  assert.equal(r.status, 200, r.text);
  return r.json.count;
}

function confirm(s, token) {
  return postJson(s.base, '/api/v1/confirm', { token });
}

function postForm(s, fields, slug = 'icommit') {
  return request(s.base, 'POST', pledgesPath(slug), {
    headers: { 'Content-Type': FORM_TYPE },
    body: typeof fields === 'string' ? fields : new URLSearchParams(fields).toString(),
  });
}


/** Asserts the daemon's log mentions none of the names and addresses used. */
function assertLogClean(s, used) {
  const log = s.daemonLog();
  const lower = log.toLowerCase();
  assert.ok(used.emails.size > 0 && used.names.size > 0, 'the suite recorded what it sent');
  for (const email of used.emails) {
    assert.ok(!lower.includes(email.toLowerCase()), `the daemon log contains the address ${email}`);
    const local = email.split('@')[0].toLowerCase();
    if (local.length >= 8) assert.ok(!lower.includes(`${local}@`), `the daemon log contains ${local}@`);
  }
  for (const name of used.names) assert.ok(!log.includes(name), `the daemon log contains the name ${name}`);
}

// ===========================================================================
describe('pledges with e-mail verification (verify_email = yes, moderation = yes, SMTP sink)', () => {
  let s;
  let sink2 = null; // the SMTP sink started again by the outage test
  const used = personalData();
  const tokensSeen = new Set();

  const submit = (body, slug = 'icommit', opts = {}) => {
    used.remember(body);
    return postJson(s.base, pledgesPath(slug), body, opts);
  };

  /** Submits, expects 202, takes the token from the confirmation mail. */
  async function submitForToken(body, slug = 'icommit') {
    const res = await submit(body, slug);
    assert.equal(res.status, 202, res.text);
    const mail = await waitMailTo(s, body.email);
    const link = confirmLink(mail.text);
    assert.ok(link, `no confirmation link in:\n${mail.text}`);
    tokensSeen.add(link.token);
    return link.token;
  }

  /** Submits and confirms through the mailed token; returns the pledge id. */
  async function pledgeConfirmed(body, slug) {
    const token = await submitForToken(body, slug);
    const res = await confirm(s, token);
    assert.equal(res.status, 200, res.text);
    return pledgeRows(s.dbPath, `email = ${q(body.email.toLowerCase())}`)[0].id;
  }

  before(async () => {
    s = await startStack({ smtp: true });
  });
  after(async () => {
    await sink2?.stop();
    await s?.stop();
  });

  it('a submission answers 202 pending_confirmation and stores a pending, uncounted pledge', async () => {
    const before = await campaignCount(s);
    const body = pledgeBody('pending-one');
    const res = await submit(body);
    assert.equal(res.status, 202, res.text);
    assert.equal(res.headers['content-type'], JSON_TYPE);
    assert.deepEqual(headerValues(res, 'Cache-Control'), ['no-store']);
    assert.deepEqual(headerValues(res, 'X-Content-Type-Options'), ['nosniff']);
    assert.deepEqual(res.json, { status: 'pending_confirmation' });
    const rows = pledgeRows(s.dbPath, `email = ${q(body.email)}`);
    assert.equal(rows.length, 1);
    assert.equal(rows[0].status, 'pending_confirmation');
    assert.equal(await campaignCount(s), before, 'a pending pledge is not counted');
  });

  it('the confirmation mail has a UTF-8 (RFC 2047) subject, text and HTML parts and a /confirm.html link on base_url', async () => {
    const body = pledgeBody('mail-shape', { language: 'es' });
    assert.equal((await submit(body)).status, 202);
    const mail = await waitMailTo(s, body.email);

    const rawSubject = rawHeader(mail.raw, 'Subject');
    assert.ok(rawSubject, 'a Subject header');
    assert.match(rawSubject, /^[\x20-\x7e]+$/, `the raw subject is ASCII: ${rawSubject}`);
    assert.match(rawSubject, /=\?utf-8\?[bq]\?/i, `the raw subject uses RFC 2047 UTF-8 words: ${rawSubject}`);
    assert.match(mail.subject, /[^\x00-\x7f]/, `the decoded subject has its accents: ${mail.subject}`);
    assert.match(mail.subject, SUBJECT_WORD.es, mail.subject);
    assert.match(mail.to, new RegExp(body.email.replace(/[.]/g, '\\.')), `To: ${mail.to}`);

    assert.match(mail.contentType, /^multipart\/alternative$/);
    assert.equal(typeof mail.text, 'string', 'a text/plain part');
    assert.equal(typeof mail.html, 'string', 'a text/html part');

    const link = confirmLink(mail.text);
    assert.ok(link, `a confirmation link in the text:\n${mail.text}`);
    tokensSeen.add(link.token);
    assert.match(link.token, TOKEN);
    assert.equal(link.url, `${s.base}/confirm.html?token=${link.token}`);
    assert.ok(mail.html.includes(`href="${link.url}"`), `the HTML part links to ${link.url}:\n${mail.html}`);
    assert.ok(mail.text.includes(body.name), 'the text greets the person by name');
    assert.ok(!/\/api\/v1\/confirm/.test(mail.text + mail.html), 'the mail never links to the state-changing API');
  });

  it('the confirmation mail goes to the address as given, lower-cased, +tag kept', async () => {
    const body = pledgeBody('x', { email: 'Mixed.Case+Tag@Pledge-Test.Example.org' });
    assert.equal((await submit(body)).status, 202);
    const mail = await waitMailTo(s, 'mixed.case+tag@pledge-test.example.org');
    assert.match(mail.to, /mixed\.case\+tag@pledge-test\.example\.org/);
    assert.deepEqual(pledgeRows(s.dbPath, `email_key = 'mixed.case@pledge-test.example.org'`, ['email']),
      [{ email: 'mixed.case+tag@pledge-test.example.org' }]);
  });

  it('the HTML part of the mail escapes what the person typed', async () => {
    const body = pledgeBody('mail-escape', { name: 'Ana <b>Negrita</b> & "Cía"' });
    assert.equal((await submit(body)).status, 202);
    const mail = await waitMailTo(s, body.email);
    assert.ok(mail.text.includes(body.name), 'the text part has the name as typed');
    assert.ok(!mail.html.includes('<b>Negrita'), `no markup from the name in the HTML:\n${mail.html}`);
    assert.ok(mail.html.includes('Ana &lt;b&gt;Negrita&lt;/b&gt; &amp;'), `the name escaped in the HTML:\n${mail.html}`);
  });

  it('the confirmation mail is in the pledge\'s language (es, en, pt, fr; es by default) and names the campaign in it', async () => {
    const campaign = (await get(s.base, '/api/v1/campaigns/icommit')).json;
    for (const lang of [...LANGS, null]) {
      const body = pledgeBody(`mail-lang-${lang ?? 'default'}`, lang ? { language: lang } : {});
      assert.equal((await submit(body)).status, 202);
      const mail = await waitMailTo(s, body.email);
      const want = lang ?? 'es';
      assert.match(mail.subject, SUBJECT_WORD[want], `${lang}: ${mail.subject}`);
      assert.match(rawHeader(mail.raw, 'Subject'), /^[\x20-\x7e]+$/, `${lang}: raw subject is ASCII`);
      assert.ok(mail.text.includes(campaign.title[want]),
        `${lang}: the text names the campaign as "${campaign.title[want]}":\n${mail.text}`);
      for (const other of LANGS.filter((l) => l !== want)) {
        assert.ok(!mail.text.includes(campaign.title[other]), `${lang}: no ${other} title in the text`);
      }
    }
  });

  it('POST /api/v1/confirm with the mailed token confirms: 200 {kind, status, campaign, count} and the counter goes up', async () => {
    const before = await campaignCount(s);
    await waitCounter(s, 'icommit', before);
    const body = pledgeBody('confirm-once');
    const token = await submitForToken(body);
    const res = await confirm(s, token);
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.json, { kind: 'pledge', status: 'confirmed', campaign: 'icommit', count: before + 1 });
    assert.equal(pledgeRows(s.dbPath, `email = ${q(body.email)}`)[0].status, 'confirmed');
    await waitCounter(s, 'icommit', before + 1);
  });

  it('confirming twice is idempotent: 200 again and the count unchanged', async () => {
    const token = await submitForToken(pledgeBody('confirm-twice'));
    const first = await confirm(s, token);
    assert.equal(first.status, 200, first.text);
    const second = await confirm(s, token);
    assert.equal(second.status, 200, second.text);
    assert.deepEqual(second.json, first.json);
    assert.equal(await campaignCount(s), first.json.count);
  });

  it('an unknown token is a 404', async () => {
    const res = await confirm(s, crypto.randomBytes(32).toString('base64url'));
    assertJsonError(res, 404, 'not_found');
  });

  it('a malformed token is a 404', async () => {
    for (const token of ['abc', '!'.repeat(43), 'A'.repeat(44), 'A'.repeat(42), `${'A'.repeat(42)}=`]) {
      assertJsonError(await confirm(s, token), 404, 'not_found', JSON.stringify(token));
    }
  });

  it('an expired token is a 404 and confirms nothing', async () => {
    const body = pledgeBody('confirm-expired');
    const token = await submitForToken(body);
    const before = await campaignCount(s);
    const hash = bytesLiteral(tokenKeyHex(token));
    assert.equal(sqlite(s.dbPath, `SELECT expires_at - created_at FROM tokens WHERE hash = ${hash};`), String(7 * 86400),
      'only the key of the token is stored, valid for 7 days');
    sqlite(s.dbPath, `UPDATE tokens SET expires_at = 0 WHERE hash = ${hash};`);
    assertJsonError(await confirm(s, token), 404, 'not_found');
    assert.equal(pledgeRows(s.dbPath, `email = ${q(body.email)}`)[0].status, 'pending_confirmation');
    assert.equal(await campaignCount(s), before);
  });

  it('a token is stored under a key that begins with the time it was made, and holds no more of it', async () => {
    const before = Date.now();
    const token = await submitForToken(pledgeBody('confirm-key'));
    const made = Buffer.from(token.slice(0, 8), 'base64url').readUIntBE(0, 6);
    assert.ok(made >= before - 2000 && made <= Date.now() + 2000, `the token's first six bytes are the time it was made: ${made}`);
    assert.equal(sqlite(s.dbPath, `SELECT count(*) FROM tokens WHERE hash = ${bytesLiteral(tokenKeyHex(token))};`), '1',
      'stored under its key');
    assert.equal(sqlite(s.dbPath, `SELECT count(*) FROM tokens WHERE hash = ${bytesLiteral(sha256Hex(token))};`), '0',
      'not under its whole SHA-256');
    const later = await submitForToken(pledgeBody('confirm-key-later'));
    assert.ok(Buffer.from(tokenKeyHex(later), 'hex').compare(Buffer.from(tokenKeyHex(token), 'hex')) > 0,
      'a token made later sorts after it');
  });

  it('a link mailed before tokens had a time in front (stored under its plain SHA-256) still confirms', async () => {
    const body = pledgeBody('confirm-legacy');
    const token = await submitForToken(body);
    sqlite(s.dbPath, `UPDATE tokens SET hash = ${bytesLiteral(sha256Hex(token))} WHERE hash = ${bytesLiteral(tokenKeyHex(token))};`);
    const res = await confirm(s, token);
    assert.equal(res.status, 200, res.text);
    assert.equal(pledgeRows(s.dbPath, `email = ${q(body.email)}`)[0].status, 'confirmed');
  });

  it('a repeat of a pending pledge answers the same 202, stores no second pledge and mails a fresh confirmation link', async () => {
    const body = pledgeBody('repeat-pending');
    const first = await submitForToken(body);
    const again = await submit({ ...body, name: `${body.name} bis`, email: body.email.toUpperCase() });
    assert.equal(again.status, 202, again.text);
    assert.deepEqual(again.json, { status: 'pending_confirmation' });
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`).length, 1, 'one pledge only');

    const mail = await waitMailTo(s, body.email, { n: 2 });
    const link = confirmLink(mail.text);
    assert.ok(link, `the "already pledged" mail of a pending pledge carries a confirm link:\n${mail.text}`);
    tokensSeen.add(link.token);
    assert.notEqual(link.token, first, 'a fresh token');
    const res = await confirm(s, link.token);
    assert.equal(res.status, 200, res.text);
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`)[0].status, 'confirmed');
  });

  it('a repeat of a confirmed pledge answers the same 202 and mails "already pledged" without a link', async () => {
    const body = pledgeBody('repeat-confirmed');
    assert.equal((await confirm(s, await submitForToken(body))).status, 200);
    const before = await campaignCount(s);
    const again = await submit(body);
    assert.equal(again.status, 202, again.text);
    assert.deepEqual(again.json, { status: 'pending_confirmation' });
    const mail = await waitMailTo(s, body.email, { n: 2 });
    const firstMail = mailsTo(s, body.email)[0];
    assert.notEqual(mail.subject, firstMail.subject, 'not a second confirmation request');
    assert.equal(confirmLink(mail.text), null, `no confirm link:\n${mail.text}`);
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`).length, 1);
    assert.equal(await campaignCount(s), before);
  });

  it('no address gets more than 5 mails a day (a pledge and 6 repeats: 5 mails)', async () => {
    const body = pledgeBody('quota');
    for (let i = 0; i < 7; i++) {
      const res = await submit(body);
      assert.equal(res.status, 202, `submission ${i + 1}: ${res.text}`);
    }
    await waitMailTo(s, body.email, { n: 5 });
    await poll(() => mailQueue(s), (mq) => mq.waiting === 0, { what: 'mail queue empty' });
    await sleep(1000);
    assert.equal(mailsTo(s, body.email).length, 5);
  });

  it('the daily quota holds across a restart (it is counted from the outbox, not kept in memory)', async () => {
    const body = pledgeBody('quota-restart');
    for (let i = 0; i < 3; i++) assert.equal((await submit(body)).status, 202);
    await waitMailTo(s, body.email, { n: 3 });
    await s.restartDaemon();
    for (let i = 0; i < 4; i++) {
      const res = await submit(body);
      assert.equal(res.status, 202, `submission ${i + 4}: ${res.text}`);
    }
    await waitMailTo(s, body.email, { n: 5 });
    await poll(() => mailQueue(s), (mq) => mq.waiting === 0, { what: 'mail queue empty' });
    await sleep(1000);
    assert.equal(mailsTo(s, body.email).length, 5);
  });

  it('+tag variants of an address share its daily quota of 5 mails', async () => {
    const first = pledgeBody('quota-tag');
    const variants = [first.email, ...Array.from({ length: 6 }, (_, i) => first.email.replace('@', `+v${i}@`))];
    for (const email of variants) {
      const res = await submit({ ...first, email });
      assert.equal(res.status, 202, `${email}: ${res.text}`);
    }
    const allMails = () => variants.flatMap((v) => mailsTo(s, v));
    await poll(async () => allMails().length, (n) => n >= 5, { what: '5 mails to the variants' });
    await poll(() => mailQueue(s), (mq) => mq.waiting === 0, { what: 'mail queue empty' });
    await sleep(1000);
    assert.equal(allMails().length, 5);
  });

  it('a filled honeypot looks like success (202) but stores nothing and mails nothing', async () => {
    const trap = pledgeBody('honeypot-yes', { website: 'http://spam.example/' });
    const before = await campaignCount(s);
    const res = await submit(trap);
    assert.equal(res.status, 202, res.text);
    assert.deepEqual(res.json, { status: 'pending_confirmation' });
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(trap.email)}`).length, 0);
    // A later real pledge's mail arriving shows the sender has caught up.
    const marker = pledgeBody('honeypot-marker');
    assert.equal((await submit(marker)).status, 202);
    await waitMailTo(s, marker.email);
    await poll(() => mailQueue(s), (mq) => mq.waiting === 0, { what: 'mail queue empty' });
    assert.equal(mailsTo(s, trap.email).length, 0);
    assert.equal(await campaignCount(s), before);
  });

  // ---- the browser-form fallback -----------------------------------------

  it('a browser form post (consent=on) is stored and answered 303 to its return page with ok=1', async () => {
    const body = pledgeBody('form-ok');
    used.remember(body);
    const res = await postForm(s, {
      ...body, consent: 'on', language: 'pt', public: 'on', quantity: '12', unit: 'buses', target_year: '2030',
      return: '/?lang=pt#pledge',
    });
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, '/?lang=pt&ok=1#pledge');
    const rows = pledgeRows(s.dbPath, `email = ${q(body.email)}`,
      ['status', 'language', 'public', 'quantity', 'unit', 'target_year']);
    assert.deepEqual(rows, [{
      status: 'pending_confirmation', language: 'pt', public: 1, quantity: 12, unit: 'buses', target_year: 2030,
    }]);
    const mail = await waitMailTo(s, body.email);
    assert.match(mail.subject, SUBJECT_WORD.pt);
  });

  it('a browser form post with a bad field is answered 303 with error=invalid and stores nothing', async () => {
    const cases = {
      'bad email': { ...pledgeBody('form-bad'), email: 'not-an-address', consent: 'on' },
      'no consent': { ...pledgeBody('form-bad-consent'), consent: undefined },
    };
    for (const [what, body] of Object.entries(cases)) {
      used.remember(body);
      const fields = Object.fromEntries(Object.entries({ ...body, return: '/?lang=pt#pledge' })
        .filter(([, v]) => v !== undefined));
      const res = await postForm(s, fields);
      assert.equal(res.status, 303, `${what}: ${res.text}`);
      assert.equal(res.headers.location, '/?lang=pt&error=invalid#pledge', what);
    }
    // Invalid UTF-8 (a lone 0xFF byte) in a form field.
    const res = await postForm(s, `name=Ana%FFMaria&email=form-bad-utf8%40pledge-test.example.org&actor_type=individual`
      + '&country=CL&commitment=Usar+bus+el%C3%A9ctrico+siempre&consent=on&return=%2F%3Flang%3Dpt%23pledge');
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, '/?lang=pt&error=invalid#pledge');
    assert.equal(pledgeRows(s.dbPath, `email LIKE 'form-bad%'`).length, 0);
  });

  it('a browser form post to a closed campaign is answered 303 with error=campaign_closed', async () => {
    addCampaign(s.dbPath, 'form-closed', { paused: 1 });
    const body = pledgeBody('form-closed');
    used.remember(body);
    const res = await postForm(s, { ...body, consent: 'on', return: '/?lang=es#pledge' }, 'form-closed');
    assert.equal(res.status, 303, res.text);
    assert.equal(res.headers.location, '/?lang=es&error=campaign_closed#pledge');
    assert.equal(pledgeRows(s.dbPath, `email = ${q(body.email)}`).length, 0);
  });

  it('a form return that leaves the site is ignored (the redirect stays on this site)', async () => {
    let i = 0;
    for (const ret of ['//evil.example/', 'https://evil.example/', '/\\evil.example/', 'javascript:alert(1)']) {
      const body = pledgeBody(`form-return-${i++}`);
      used.remember(body);
      const res = await postForm(s, { ...body, consent: 'on', return: ret });
      assert.equal(res.status, 303, `${ret}: ${res.text}`);
      const loc = res.headers.location;
      assert.ok(loc.startsWith('/?'), `${ret}: Location ${loc}`);
      assert.ok(!loc.startsWith('//') && !/evil|javascript/i.test(loc), `${ret}: Location ${loc}`);
    }
  });

  // ---- body errors -----------------------------------------------------------

  it('a text/plain (or multipart, or untyped) body is a 415 unsupported_media_type', async () => {
    const body = JSON.stringify(pledgeBody('text-plain'));
    for (const type of ['text/plain; charset=utf-8', 'text/plain', 'multipart/form-data; boundary=x', null]) {
      const res = await request(s.base, 'POST', pledgesPath(), { headers: type ? { 'Content-Type': type } : {}, body });
      assertJsonError(res, 415, 'unsupported_media_type', String(type));
    }
    assert.equal(pledgeRows(s.dbPath, `email LIKE 'text-plain@%'`).length, 0);
  });

  it('broken JSON, a JSON array or duplicate keys are a 400 bad_json', async () => {
    const good = JSON.stringify(pledgeBody('bad-json'));
    for (const raw of ['{"name": "Ana"', '', 'null', '"text"', '[]', `[${good}]`,
      good.replace(/}$/, ', "name": "Otra persona"}')]) {
      assertJsonError(await submit(raw), 400, 'bad_json', raw.slice(0, 60));
    }
  });

  it('a body over 64 KiB is a 413 payload_too_large from the daemon', async () => {
    const body = JSON.stringify({ ...pledgeBody('too-large'), pad: 'x'.repeat(65 * 1024) });
    const res = await submit(body);
    assertJsonError(res, 413, 'payload_too_large');
    assert.equal(pledgeRows(s.dbPath, `email LIKE 'too-large@%'`).length, 0);
  });

  it('a body of exactly 64 KiB is accepted', async () => {
    const base = JSON.stringify({ ...pledgeBody('exactly-64k'), pad: '' });
    const body = base.replace('"pad":""', `"pad":"${'x'.repeat(65536 - Buffer.byteLength(base))}"`);
    assert.equal(Buffer.byteLength(body), 65536);
    used.remember(pledgeBody('exactly-64k'));
    const res = await submit(body);
    assert.equal(res.status, 202, res.text);
  });

  // ---- stats -----------------------------------------------------------------

  describe('stats', () => {
    const slug = 'stats';
    before(async () => {
      addCampaign(s.dbPath, slug);
      const p = (tag, extra) => pledgeBody(`stats-${tag}`, extra);
      await pledgeConfirmed(p('s1', { country: 'CL', actor_type: 'government', category: 'fleet', quantity: 100, unit: 'buses' }), slug);
      await pledgeConfirmed(p('s2', { country: 'CL', actor_type: 'individual', category: 'charging', quantity: 20, unit: 'chargers' }), slug);
      const s3 = await pledgeConfirmed(p('s3', { country: 'MX', actor_type: 'finance', category: 'fleet', quantity: 1000000, unit: 'usd' }), slug);
      await pledgeConfirmed(p('s4', { country: 'MX', actor_type: 'private_sector', quantity: 50, unit: 'buses' }), slug);
      // Pending: never confirmed.
      await submitForToken(p('s5', { country: 'BR', actor_type: 'academia', category: 'policy', quantity: 7, unit: 'buses' }), slug);
      // Confirmed, then rejected by staff.
      const s6 = await pledgeConfirmed(p('s6', { country: 'AR', actor_type: 'government', category: 'fleet', quantity: 999, unit: 'buses' }), slug);
      const approve = await s.ctl('pledge', 'approve', s3);
      assert.equal(approve.code, 0, approve.stderr);
      const reject = await s.ctl('pledge', 'reject', s6);
      assert.equal(reject.code, 0, reject.stderr);
    });

    it('stats count only counted pledges, by country, actor type, category and quantity per unit', async () => {
      const res = await poll(() => get(s.base, `/api/v1/campaigns/${slug}/stats`),
        (r) => r.status === 200 && r.json?.count === 4, { what: 'stats count = 4' });
      assert.equal(res.headers['content-type'], JSON_TYPE);
      // A dimension value whose pledges were all rejected may stay as 0.
      assert.deepEqual({
        count: res.json.count,
        by_country: nonZero(res.json.by_country),
        by_actor_type: nonZero(res.json.by_actor_type),
        by_category: nonZero(res.json.by_category),
        totals: nonZero(res.json.totals),
      }, {
        count: 4,
        by_country: { CL: 2, MX: 2 },
        by_actor_type: { government: 1, individual: 1, finance: 1, private_sector: 1 },
        by_category: { fleet: 2, charging: 1 },
        totals: { buses: 150, chargers: 20, usd: 1000000 },
      });
    });

    it('the stats count equals the counter', async () => {
      const counter = await waitCounter(s, slug, 4);
      const stats = await get(s.base, `/api/v1/campaigns/${slug}/stats`);
      assert.equal(stats.json.count, counter.json.count);
    });
  });

  // ---- the wall under moderation ----------------------------------------------

  describe('wall with moderation = yes', () => {
    const slug = 'wall-mod';
    const bodies = {};
    const ids = {};
    before(async () => {
      addCampaign(s.dbPath, slug);
      const p = (tag, extra) => (bodies[tag] = pledgeBody(`wallmod-${tag}`, { public: true, ...extra }));
      ids.approved = await pledgeConfirmed(p('approved', { organisation: 'Buses del Sur', city: 'Valparaíso' }), slug);
      ids.unapproved = await pledgeConfirmed(p('unapproved'), slug);
      ids.private = await pledgeConfirmed(p('private', { public: false }), slug);
      await submitForToken(p('pending'), slug);
      ids.pending = pledgeRows(s.dbPath, `email = ${q(bodies.pending.email)}`)[0].id;
      ids.rejected = await pledgeConfirmed(p('rejected'), slug);
      ids.newest = await pledgeConfirmed(p('newest', { country: 'MX' }), slug);
      for (const k of ['approved', 'private', 'rejected', 'newest']) {
        const r = await s.ctl('pledge', 'approve', ids[k]);
        assert.equal(r.code, 0, `approve ${k}: ${r.stderr}`);
      }
      const r = await s.ctl('pledge', 'reject', ids.rejected);
      assert.equal(r.code, 0, r.stderr);
    });

    it('a pending pledge cannot be approved', async () => {
      const r = await s.ctl('pledge', 'approve', ids.pending);
      assert.equal(r.code, 1, r.stdout);
      assert.match(r.stderr, /confirm/);
    });

    it('the wall shows only confirmed, public, approved pledges, newest first', async () => {
      const res = await get(s.base, `/api/v1/campaigns/${slug}/pledges`);
      assert.equal(res.status, 200, res.text);
      assert.equal(res.headers['content-type'], JSON_TYPE);
      assert.deepEqual(res.json.items.map((x) => x.id), [ids.newest, ids.approved]);
      assert.equal(res.json.next, null);
      const item = res.json.items[1];
      assert.deepEqual(Object.keys(item).sort(), PUBLIC_PLEDGE_KEYS);
      assert.equal(item.name, bodies.approved.name);
      assert.equal(item.organisation, 'Buses del Sur');
      assert.equal(item.city, 'Valparaíso');
    });

    it('the wall never shows an e-mail address', async () => {
      const res = await get(s.base, `/api/v1/campaigns/${slug}/pledges`);
      assert.ok(!allKeys(res.json).includes('email'), 'no email key');
      assert.ok(!res.text.includes('@'), `no address in ${res.text.slice(0, 300)}`);
    });
  });

  // ---- SMTP down, then back --------------------------------------------------

  it('mail queued while SMTP is down is listed by mail-queue and delivered, every one, once SMTP is back', async () => {
    await poll(() => mailQueue(s), (mq) => mq.waiting === 0, { timeoutMs: 20000, what: 'mail queue empty' });
    await killSmtp(s);
    const bodies = Array.from({ length: 10 }, (_, i) => pledgeBody(`outage-${i}`));
    for (const b of bodies) {
      const res = await submit(b);
      assert.equal(res.status, 202, `while SMTP is down: ${res.text}`);
    }
    const mq = await mailQueue(s);
    assert.equal(mq.waiting, 10, mq.stdout);
    assert.deepEqual(mq.rows.map((r) => r.kind), Array(10).fill('pledge_confirm'), mq.stdout);
    // The operator sees each recipient and the subject the mail will have
    // (queued as variables: rendered the way the mailer will render it).
    assert.deepEqual(mq.rows.map((r) => r.recipient).sort(), bodies.map((b) => b.email.toLowerCase()).sort(), mq.stdout);
    const subjectOf = new Map(mq.rows.map((r) => [r.recipient, r.subject]));
    for (const r of mq.rows) assert.ok(r.subject.length > 5, `a subject in ${JSON.stringify(r)}`);
    // The daemon has tried, failed and retried after its back-off before the
    // sink returns.
    await poll(() => mailQueue(s), (m) => m.rows.some((r) => r.attempts >= 2 && r.error),
      { timeoutMs: 30000, what: 'a retried delivery' });

    sink2 = await startSmtp(s);
    for (const b of bodies) {
      const mail = await waitMailTo(s, b.email, { timeoutMs: 60000 });
      assert.equal(mail.subject, subjectOf.get(b.email.toLowerCase()), `${b.email}: the subject mail-queue showed`);
      const link = confirmLink(mail.text);
      assert.ok(link, `${b.email}: a confirmation link`);
      tokensSeen.add(link.token);
    }
    await poll(() => mailQueue(s), (m) => m.waiting === 0, { timeoutMs: 20000, what: 'mail queue drained' });
    for (const b of bodies) assert.equal(mailsTo(s, b.email).length, 1, `${b.email}: delivered once`);
  });

  // ---- last: the log ---------------------------------------------------------

  it('the daemon log holds none of the names or addresses used', () => {
    assertLogClean(s, used);
  });

  it('the daemon log holds no confirmation token', () => {
    const log = s.daemonLog();
    assert.ok(tokensSeen.size > 10);
    for (const t of tokensSeen) assert.ok(!log.includes(t), 'a token in the daemon log');
  });
});

// ===========================================================================
describe('pledges without e-mail verification (verify_email = no, moderation = no)', () => {
  let s;
  const used = personalData();
  let seq = 0;
  const uniq = (tag) => `${tag}-${++seq}`;

  const submit = (body, slug = 'icommit', opts = {}) => {
    used.remember(body);
    return postJson(s.base, pledgesPath(slug), body, opts);
  };

  /** Expects a 422 invalid naming exactly these fields and reasons. */
  async function expectInvalid(body, fields, what) {
    const res = await submit(body);
    assertJsonError(res, 422, 'invalid', what);
    assert.deepEqual(res.json.error.fields, fields, what);
  }

  /** Expects a 201 and returns the stored row. */
  async function expectStored(body, what, cols = ['name', 'email', 'country', 'commitment']) {
    const res = await submit(body);
    assert.equal(res.status, 201, `${what}: ${res.text}`);
    return pledgeRows(s.dbPath, `id = ${res.json.id}`, cols)[0];
  }

  before(async () => {
    s = await startStack({ config: { verify_email: false, moderation: false } });
  });
  after(async () => {
    await s?.stop();
  });

  it('a submission answers 201 {id, status: confirmed, count} and is counted at once', async () => {
    const before = await campaignCount(s);
    const body = pledgeBody('direct-one');
    const res = await submit(body);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.headers['content-type'], JSON_TYPE);
    assert.deepEqual(headerValues(res, 'Cache-Control'), ['no-store']);
    assert.deepEqual(Object.keys(res.json).sort(), ['count', 'id', 'status']);
    assert.ok(Number.isInteger(res.json.id) && res.json.id > 0, `id ${res.json.id}`);
    assert.equal(res.json.status, 'confirmed');
    assert.equal(res.json.count, before + 1);
    assert.equal(await campaignCount(s), before + 1);
    assert.equal(pledgeRows(s.dbPath, `id = ${res.json.id}`)[0].status, 'confirmed');
  });

  it('a repeat answers 200 {status: duplicate, count} with the count unchanged', async () => {
    const body = pledgeBody('direct-repeat');
    const first = await submit(body);
    assert.equal(first.status, 201, first.text);
    const again = await submit({ ...body, commitment: 'Otra vez el mismo compromiso eléctrico.' });
    assert.equal(again.status, 200, again.text);
    assert.deepEqual(again.json, { status: 'duplicate', count: first.json.count });
    assert.equal(await campaignCount(s), first.json.count);
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`).length, 1);
  });

  it('repeats are found case-insensitively and without a +tag; the stored address is the given one, lower-cased', async () => {
    const first = await submit(pledgeBody('x', { email: 'Ana.Norm+x@Example.org', name: 'Ana Normalizada Uno' }));
    assert.equal(first.status, 201, first.text);
    for (const email of ['ana.norm@example.org', 'ANA.NORM@EXAMPLE.ORG', 'ana.norm+other@example.org', 'Ana.Norm+X@example.ORG']) {
      const res = await submit(pledgeBody('x', { email, name: 'Ana Normalizada Dos' }));
      assert.equal(res.status, 200, `${email}: ${res.text}`);
      assert.deepEqual(res.json, { status: 'duplicate', count: first.json.count }, email);
    }
    const rows = pledgeRows(s.dbPath, `email_key = 'ana.norm@example.org'`, ['id', 'email', 'name']);
    assert.deepEqual(rows, [{ id: first.json.id, email: 'ana.norm+x@example.org', name: 'Ana Normalizada Uno' }]);
  });

  it('a filled honeypot looks like success (201 confirmed) but stores and counts nothing', async () => {
    const before = await campaignCount(s);
    const trap = pledgeBody('honeypot-no', { website: 'buy-now' });
    const res = await submit(trap);
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.status, 'confirmed');
    assert.deepEqual(Object.keys(res.json).sort(), ['count', 'id', 'status']);
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(trap.email)}`).length, 0);
    assert.equal(await campaignCount(s), before);
  });

  it('a filled honeypot\'s 201 carries an id like a real one (a positive integer, not 0)', async () => {
    const res = await submit(pledgeBody('honeypot-id', { website: 'buy-now' }));
    assert.equal(res.status, 201, res.text);
    assert.ok(Number.isInteger(res.json.id) && res.json.id > 0, `a bot can tell the trap by its id: ${res.text}`);
    assert.ok(Number.isInteger(res.json.count) && res.json.count > 0, `count: ${res.text}`);
  });

  // ---- validation, reason by reason ------------------------------------------

  it('each missing required field is reported as required', async () => {
    for (const field of ['name', 'email', 'actor_type', 'country', 'commitment', 'consent']) {
      const body = pledgeBody(uniq('req'));
      delete body[field];
      await expectInvalid(body, { [field]: 'required' }, `without ${field}`);
      await expectInvalid({ ...pledgeBody(uniq('req')), [field]: null }, { [field]: 'required' }, `${field}: null`);
    }
    for (const field of ['name', 'commitment', 'country', 'email']) {
      await expectInvalid({ ...pledgeBody(uniq('req')), [field]: '   ' }, { [field]: 'required' }, `${field}: blanks`);
    }
  });

  it('too long is counted in code points: 120 emoji are a valid name, 121 too long; likewise each length limit', async () => {
    const row = await expectStored(pledgeBody(uniq('len'), { name: '😀'.repeat(120) }), '120 emoji');
    assert.equal(row.name, '😀'.repeat(120));
    await expectInvalid(pledgeBody(uniq('len'), { name: '😀'.repeat(121) }), { name: 'too_long' }, '121 emoji');
    const limits = { organisation: 160, city: 120, commitment: 2000 };
    for (const [field, max] of Object.entries(limits)) {
      await expectStored(pledgeBody(uniq('len'), { [field]: 'é'.repeat(max) }), `${field} of ${max}`);
      await expectInvalid(pledgeBody(uniq('len'), { [field]: 'é'.repeat(max + 1) }), { [field]: 'too_long' }, `${field} of ${max + 1}`);
    }
    const local = 'a'.repeat(64);
    const domain = `${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.example.org`; // 255 with local@
    await expectInvalid(pledgeBody(uniq('len'), { email: `${local}@${domain}` }), { email: 'too_long' }, 'email of 259');
  });

  it('a commitment under 10 code points is too_short', async () => {
    await expectInvalid(pledgeBody(uniq('short'), { commitment: 'ñ'.repeat(9) }), { commitment: 'too_short' }, '9 ñ');
    await expectInvalid(pledgeBody(uniq('short'), { commitment: '   123456789   ' }), { commitment: 'too_short' }, '9 after trim');
    await expectStored(pledgeBody(uniq('short'), { commitment: 'ñ'.repeat(10) }), '10 ñ');
  });

  it('an address that is not valid is invalid_email', async () => {
    for (const email of ['ana', 'ana.example.org', '@example.org', 'ana@', 'ana@example', 'ana@@example.org',
      'ana@b@example.org', 'ana maria@example.org', 'ana@exa mple.org']) {
      await expectInvalid(pledgeBody(uniq('mail'), { email }), { email: 'invalid_email' }, email);
    }
  });

  it('a value outside a closed list is invalid_choice (actor_type, category, unit, language)', async () => {
    const cases = [
      [{ actor_type: 'alien' }, 'actor_type'],
      [{ actor_type: 'Government' }, 'actor_type'],
      [{ category: 'cars' }, 'category'],
      [{ quantity: 5, unit: 'kg' }, 'unit'],
      [{ language: 'de' }, 'language'],
    ];
    for (const [extra, field] of cases) {
      await expectInvalid(pledgeBody(uniq('choice'), extra), { [field]: 'invalid_choice' }, JSON.stringify(extra));
    }
  });

  it('a country that is not an assigned ISO 3166-1 alpha-2 code is invalid_country; lower case is accepted and stored upper-cased', async () => {
    for (const country of ['ZZ', 'CHL', 'C', '12']) {
      await expectInvalid(pledgeBody(uniq('country'), { country }), { country: 'invalid_country' }, country);
    }
    const row = await expectStored(pledgeBody(uniq('country'), { country: 'cl' }), 'cl');
    assert.equal(row.country, 'CL');
  });

  it('a quantity or target year outside its range is out_of_range; the bounds are accepted', async () => {
    const bad = [
      [{ quantity: 1000000000001, unit: 'usd' }, 'quantity'],
      [{ quantity: -1, unit: 'buses' }, 'quantity'],
      [{ target_year: 2018 }, 'target_year'],
      [{ target_year: 2101 }, 'target_year'],
    ];
    for (const [extra, field] of bad) {
      await expectInvalid(pledgeBody(uniq('range'), extra), { [field]: 'out_of_range' }, JSON.stringify(extra));
    }
    for (const extra of [{ quantity: 0, unit: 'buses' }, { quantity: 1000000000000, unit: 'usd' },
      { target_year: 2019 }, { target_year: 2100 }]) {
      await expectStored(pledgeBody(uniq('range'), extra), JSON.stringify(extra));
    }
  });

  it('an integer too large for 64 bits is out_of_range, not bad_json (the body is valid JSON)', async () => {
    for (const [field, literal, extra] of [['quantity', '100000000000000000000', { unit: 'usd' }],
      ['quantity', '-100000000000000000000', { unit: 'usd' }], ['target_year', '99999999999999999999', {}]]) {
      const raw = JSON.stringify(pledgeBody(uniq('huge'), extra)).replace(/}$/, `,"${field}":${literal}}`);
      const res = await submit(raw);
      assertJsonError(res, 422, 'invalid', `${field} ${literal}`);
      assert.deepEqual(res.json.error.fields, { [field]: 'out_of_range' });
    }
  });

  it('a value of the wrong JSON type is wrong_type (quantity "5" or 1.0, public "yes", name 5, consent "true")', async () => {
    const cases = [
      [{ quantity: '5', unit: 'buses' }, 'quantity'],
      [{ target_year: '2030' }, 'target_year'],
      [{ public: 'yes' }, 'public'],
      [{ name: 5 }, 'name'],
      [{ consent: 'true' }, 'consent'],
      [{ commitment: ['Usar buses eléctricos'] }, 'commitment'],
    ];
    for (const [extra, field] of cases) {
      await expectInvalid(pledgeBody(uniq('type'), extra), { [field]: 'wrong_type' }, JSON.stringify(extra));
    }
    // 1.0 is a real, not an integer; JSON.stringify would write it as 1.
    const raw = JSON.stringify(pledgeBody(uniq('type'), { unit: 'buses' })).replace(/}$/, ',"quantity":1.0}');
    const res = await submit(raw);
    assertJsonError(res, 422, 'invalid', 'quantity 1.0');
    assert.deepEqual(res.json.error.fields, { quantity: 'wrong_type' });
  });

  it('consent false is must_be_true', async () => {
    await expectInvalid(pledgeBody(uniq('consent'), { consent: false }), { consent: 'must_be_true' }, 'consent false');
  });

  it('a NUL or a control character in text is invalid_utf8; newline and tab in the commitment are fine', async () => {
    await expectInvalid(pledgeBody(uniq('ctl'), { name: 'Ana\u0000Maria Nul' }), { name: 'invalid_utf8' }, 'NUL in name');
    await expectInvalid(pledgeBody(uniq('ctl'), { commitment: 'Usar buses \u0007 eléctricos' }), { commitment: 'invalid_utf8' }, 'BEL');
    await expectInvalid(pledgeBody(uniq('ctl'), { city: 'Lima\u001b[31m' }), { city: 'invalid_utf8' }, 'ESC in city');
    await expectInvalid(pledgeBody(uniq('ctl'), { organisation: 'Org\u0085C1' }), { organisation: 'invalid_utf8' }, 'C1 control');
    const text = 'Primera línea.\nSegunda\tlínea.';
    const row = await expectStored(pledgeBody(uniq('ctl'), { commitment: text }), 'newline and tab');
    assert.equal(row.commitment, text);
  });

  it('a quantity without a unit reports the unit as required', async () => {
    await expectInvalid(pledgeBody(uniq('unit'), { quantity: 5 }), { unit: 'required' }, 'quantity alone');
  });

  it('every bad field is reported at once in one 422', async () => {
    await expectInvalid({
      name: '', email: 'nope', actor_type: 'alien', country: 'ZZ', commitment: 'short',
      category: 'cars', quantity: -5, unit: 'kg', target_year: 1999, public: 'yes', consent: false, language: 'de',
      city: 'x'.repeat(121), organisation: 'o'.repeat(161),
    }, {
      name: 'required', email: 'invalid_email', actor_type: 'invalid_choice', country: 'invalid_country',
      commitment: 'too_short', category: 'invalid_choice', quantity: 'out_of_range', unit: 'invalid_choice',
      target_year: 'out_of_range', public: 'wrong_type', consent: 'must_be_true', language: 'invalid_choice',
      city: 'too_long', organisation: 'too_long',
    }, 'everything wrong');
    await expectInvalid({}, {
      name: 'required', email: 'required', actor_type: 'required', country: 'required',
      commitment: 'required', consent: 'required',
    }, 'empty object');
  });

  it('strings are trimmed before they are stored ("  Ana  " is stored as "Ana")', async () => {
    const row = await expectStored({
      ...pledgeBody(uniq('trim')),
      name: '  Ana  ', email: '  Trimmed.Person@Example.org\t', country: ' cl ',
      commitment: '\n  Usar la bicicleta eléctrica a diario.  \n',
    }, 'padded');
    used.emails.add('trimmed.person@example.org');
    assert.deepEqual(row, {
      name: 'Ana', email: 'trimmed.person@example.org', country: 'CL',
      commitment: 'Usar la bicicleta eléctrica a diario.',
    });
  });

  it('unknown fields are ignored', async () => {
    await expectStored(pledgeBody(uniq('unknown'), { favourite_colour: 'green', nested: { a: [1, 2] } }), 'extra fields');
  });

  // ---- closed and unknown campaigns -------------------------------------------

  it('a paused campaign answers 409 campaign_closed and stores nothing; unpaused it accepts', async () => {
    addCampaign(s.dbPath, 'paused-c');
    sqlite(s.dbPath, "UPDATE campaigns SET paused = 1 WHERE slug = 'paused-c';");
    const body = pledgeBody('closed-paused');
    assertJsonError(await submit(body, 'paused-c'), 409, 'campaign_closed');
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`).length, 0);
    sqlite(s.dbPath, "UPDATE campaigns SET paused = 0 WHERE slug = 'paused-c';");
    // A change made outside the daemon (here by SQL, as icommitctl would)
    // reaches its campaign cache within CAMPCACHE_TTL_MS (1 s).
    const res = await poll(() => submit(body, 'paused-c'), (r) => r.status !== 409,
      { timeoutMs: 3000, intervalMs: 100, what: 'the unpaused campaign to accept' });
    assert.equal(res.status, 201);
  });

  it('a campaign whose closes_at has passed answers 409 campaign_closed', async () => {
    addCampaign(s.dbPath, 'ended-c', { closesAt: Math.floor(Date.now() / 1000) - 3600 });
    const body = pledgeBody('closed-ended');
    assertJsonError(await submit(body, 'ended-c'), 409, 'campaign_closed');
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`).length, 0);
  });

  it('a campaign whose opens_at is still ahead answers 409 campaign_closed', async () => {
    addCampaign(s.dbPath, 'later-c', { opensAt: Math.floor(Date.now() / 1000) + 86400 });
    const body = pledgeBody('closed-later');
    assertJsonError(await submit(body, 'later-c'), 409, 'campaign_closed');
    assert.equal(pledgeRows(s.dbPath, `email_key = ${q(body.email)}`).length, 0);
  });

  it('a pledge to an unknown campaign is a 404', async () => {
    assertJsonError(await submit(pledgeBody('no-campaign'), 'no-such-campaign'), 404, 'not_found');
  });

  // ---- 300 at once ---------------------------------------------------------------

  it('300 concurrent submissions are all stored once and counted exactly, without drift', async () => {
    addCampaign(s.dbPath, 'rush');
    const bodies = Array.from({ length: 300 }, (_, i) => pledgeBody(`rush-${i}`, { country: ['CL', 'MX', 'BR'][i % 3] }));
    const results = await Promise.all(bodies.map((b) => submit(b, 'rush', { timeoutMs: 60000 })));
    const statuses = {};
    for (const r of results) statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    assert.deepEqual(statuses, { 201: 300 }, `statuses: ${JSON.stringify(statuses)}`);
    const ids = results.map((r) => r.json.id);
    assert.equal(new Set(ids).size, 300, 'ids are unique');
    assert.ok(results.every((r) => r.json.count >= 1 && r.json.count <= 300), 'counts within 1..300');
    await waitCounter(s, 'rush', 300);
    assert.equal(Number(sqlite(s.dbPath,
      "SELECT count(*) FROM pledges p JOIN campaigns c ON c.id = p.campaign_id WHERE c.slug = 'rush';")), 300);
    const recount = await s.ctl('recount');
    assert.equal(recount.code, 0, recount.stderr);
    assert.match(recount.stdout, /no drift/);
    assert.doesNotMatch(recount.stdout, /fixed/);
  });

  // ---- the counter -----------------------------------------------------------------

  it('the counter answers {campaign, count, goal, updated_at}', async () => {
    addCampaign(s.dbPath, 'goal-c', { goal: 1000 });
    const res = await counterOf(s, 'goal-c');
    assert.equal(res.status, 200, res.text);
    assert.equal(res.headers['content-type'], JSON_TYPE);
    assert.deepEqual(Object.keys(res.json).sort(), ['campaign', 'count', 'goal', 'updated_at']);
    assert.equal(res.json.campaign, 'goal-c');
    assert.equal(res.json.count, 0);
    assert.equal(res.json.goal, 1000);
    assert.match(res.json.updated_at, RFC3339);
    const main = await waitCounter(s, 'icommit', await campaignCount(s));
    assert.ok(main.json.goal === null || Number.isInteger(main.json.goal), `goal ${main.json.goal}`);
  });

  it('the counter is cacheable by anyone for 5 s with a strong ETag and open CORS', async () => {
    const res = await counterOf(s);
    assert.equal(res.status, 200);
    assert.deepEqual(headerValues(res, 'Cache-Control'), [COUNTER_CACHE]);
    assert.deepEqual(headerValues(res, 'Access-Control-Allow-Origin'), ['*']);
    const etags = headerValues(res, 'ETag');
    assert.equal(etags.length, 1, 'one ETag');
    assert.match(etags[0], /^"[^"]+"$/, `a strong ETag: ${etags[0]}`);
  });

  it('If-None-Match with the current ETag is a 304 with no body', async () => {
    const first = await counterOf(s);
    const res = await counterOf(s, 'icommit', { 'If-None-Match': first.headers.etag });
    assert.equal(res.status, 304, res.text);
    assert.equal(res.body.length, 0);
  });

  it('a new confirmed pledge changes the counter and its ETag', async () => {
    const before = await waitCounter(s, 'icommit', await campaignCount(s));
    const res = await submit(pledgeBody('etag-change'));
    assert.equal(res.status, 201, res.text);
    const after = await waitCounter(s, 'icommit', before.json.count + 1);
    assert.notEqual(after.headers.etag, before.headers.etag);
    const stale = await counterOf(s, 'icommit', { 'If-None-Match': before.headers.etag });
    assert.equal(stale.status, 200, 'the old ETag no longer matches');
    assert.equal(stale.json.count, before.json.count + 1);
  });

  it('a campaign read just before a pledge shows the new count just after it (its cache follows the daemon\'s own commits)', async () => {
    const before = await campaignCount(s);
    const res = await submit(pledgeBody('cache-follows'));
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.count, before + 1);
    assert.equal(await campaignCount(s), before + 1, 'no stale count after the 201');
  });

  it('the counter of an unknown campaign is a 404', async () => {
    assertJsonError(await counterOf(s, 'no-such-campaign'), 404, 'not_found');
  });

  // ---- the SVG badge ----------------------------------------------------------------

  it('counter.svg is well-formed SVG with the count and the word in each language, singular for 1', async () => {
    addCampaign(s.dbPath, 'badge');
    const badge = (lang) => get(s.base, `/api/v1/campaigns/badge/counter.svg${lang ? `?lang=${lang}` : ''}`);
    const expectBadge = async (lang, n, word) => {
      const res = await poll(() => badge(lang), (r) => r.status === 200 && svgText(r.text).texts[0] === String(n),
        { what: `badge ${lang} shows ${n}` });
      assert.match(res.headers['content-type'], /^image\/svg\+xml\b/);
      const svg = svgText(res.text);
      assert.equal(svg.root, 'svg');
      assert.deepEqual(svg.texts, [String(n), word], `${lang}: ${res.text}`);
      assert.deepEqual(svg.title, [`${n} ${word}`], `${lang}: the accessible title`);
    };
    assert.equal((await submit(pledgeBody('badge-1'), 'badge')).status, 201);
    for (const lang of LANGS) await expectBadge(lang, 1, BADGE_WORDS[lang][0]);
    await expectBadge(null, 1, BADGE_WORDS.es[0]);
    for (const i of [2, 3]) assert.equal((await submit(pledgeBody(`badge-${i}`), 'badge')).status, 201);
    for (const lang of LANGS) await expectBadge(lang, 3, BADGE_WORDS[lang][1]);
  });

  it('counter.svg has the counter\'s caching headers and answers If-None-Match with 304', async () => {
    const res = await get(s.base, '/api/v1/campaigns/icommit/counter.svg?lang=en');
    assert.equal(res.status, 200);
    assert.deepEqual(headerValues(res, 'Cache-Control'), [COUNTER_CACHE]);
    assert.deepEqual(headerValues(res, 'Access-Control-Allow-Origin'), ['*']);
    assert.match(res.headers.etag ?? '', /^"[^"]+"$/);
    const again = await get(s.base, '/api/v1/campaigns/icommit/counter.svg?lang=en',
      { headers: { 'If-None-Match': res.headers.etag } });
    assert.equal(again.status, 304);
    assert.equal(again.body.length, 0);
  });

  it('counter.svg with an unknown language is a 400 bad_request', async () => {
    for (const lang of ['de', '', 'ES', 'es-CL']) {
      assertJsonError(await get(s.base, `/api/v1/campaigns/icommit/counter.svg?lang=${lang}`), 400, 'bad_request', lang);
    }
  });

  // ---- the public wall without moderation ---------------------------------------

  describe('wall with moderation = no', () => {
    const slug = 'wall';
    const wall = (query = '') => get(s.base, `/api/v1/campaigns/${slug}/pledges${query}`);
    const countries = ['CL', 'MX', 'BR', 'AR'];
    const actors = ['government', 'private_sector', 'individual'];
    const categories = ['fleet', 'charging', null];
    const shown = []; // { id, body } of public pledges, oldest first
    const hidden = [];

    before(async () => {
      addCampaign(s.dbPath, slug);
      for (let i = 0; i < 26; i++) {
        const body = pledgeBody(`wall-${i}`, {
          public: i % 9 !== 4, // 4, 13, 22 are private (13 by default, below)
          country: countries[i % 4],
          actor_type: actors[i % 3],
          ...(categories[Math.floor(i / 3) % 3] ? { category: categories[Math.floor(i / 3) % 3] } : {}),
          organisation: `Organización ${i}`,
          city: 'Bogotá',
          quantity: i * 10,
          unit: 'buses',
          target_year: 2030,
        });
        if (i === 13) delete body.public; // public defaults to false
        const res = await submit(body, slug);
        assert.equal(res.status, 201, res.text);
        (body.public ? shown : hidden).push({ id: res.json.id, body });
      }
    });

    const newestFirst = (list) => list.map((x) => x.id).sort((a, b) => b - a);

    it('the wall shows confirmed public pledges (no approval needed), newest first, with every public field', async () => {
      const res = await wall('?limit=100');
      assert.equal(res.status, 200, res.text);
      assert.deepEqual(headerValues(res, 'Cache-Control'), ['no-store']);
      assert.deepEqual(res.json.items.map((x) => x.id), newestFirst(shown));
      assert.equal(res.json.next, null);
      const item = res.json.items.find((x) => x.id === shown[1].id);
      const b = shown[1].body;
      assert.deepEqual(Object.keys(item).sort(), PUBLIC_PLEDGE_KEYS);
      assert.deepEqual({ ...item, created_at: undefined }, {
        id: shown[1].id, name: b.name, organisation: b.organisation, actor_type: b.actor_type, country: b.country,
        city: b.city, commitment: b.commitment, category: b.category ?? null, quantity: b.quantity, unit: b.unit,
        target_year: b.target_year, created_at: undefined,
      });
      assert.match(item.created_at, RFC3339);
    });

    it('the wall never shows an e-mail address', async () => {
      const res = await wall('?limit=100');
      assert.ok(!allKeys(res.json).includes('email'), 'no email key');
      assert.ok(!res.text.includes('@'), 'no address in the wall');
      for (const { body } of [...shown, ...hidden]) assert.ok(!res.text.includes(body.email));
    });

    it('the wall filters by country, actor_type and category', async () => {
      const cases = {
        '?country=MX': (b) => b.country === 'MX',
        '?actor_type=government': (b) => b.actor_type === 'government',
        '?category=fleet': (b) => b.category === 'fleet',
        '?country=CL&actor_type=private_sector': (b) => b.country === 'CL' && b.actor_type === 'private_sector',
        '?country=AR&category=charging': (b) => b.country === 'AR' && b.category === 'charging',
      };
      for (const [query, pred] of Object.entries(cases)) {
        const res = await wall(`${query}&limit=100`);
        assert.equal(res.status, 200, `${query}: ${res.text}`);
        const want = newestFirst(shown.filter((x) => pred(x.body)));
        assert.ok(want.length > 0, `${query} matches something`);
        assert.deepEqual(res.json.items.map((x) => x.id), want, query);
      }
    });

    it('the wall pages 20 by default and walking next through before= gives every pledge once, without gaps', async () => {
      const first = await wall();
      assert.equal(first.json.items.length, 20);
      assert.equal(typeof first.json.next, 'string');

      const seen = [];
      let next = null;
      let pages = 0;
      do {
        const res = await wall(`?limit=7${next ? `&before=${encodeURIComponent(next)}` : ''}`);
        assert.equal(res.status, 200, res.text);
        assert.ok(res.json.items.length > 0 && res.json.items.length <= 7, `page ${pages}: ${res.json.items.length} items`);
        seen.push(...res.json.items.map((x) => x.id));
        next = res.json.next;
        assert.ok(++pages <= 10, 'too many pages');
      } while (next !== null);
      assert.equal(pages, Math.ceil(shown.length / 7));
      assert.deepEqual(seen, newestFirst(shown));
    });

    it('a bad cursor, limit or filter is a 400 bad_request', async () => {
      for (const query of ['?before=not-a-cursor!', '?before=AAAA', '?limit=0', '?limit=101', '?limit=-1', '?limit=ten',
        '?country=ZZ', '?country=CHL']) {
        assertJsonError(await wall(query), 400, 'bad_request', query);
      }
    });
  });

  it('the wall of an unknown campaign is a 404', async () => {
    assertJsonError(await get(s.base, '/api/v1/campaigns/no-such-campaign/pledges'), 404, 'not_found');
  });

  // ---- last: the log ---------------------------------------------------------

  it('the daemon log holds none of the names or addresses used', () => {
    assertLogClean(s, used);
  });
});
