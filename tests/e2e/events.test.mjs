// tests/e2e/events.test.mjs — events and registrations through real nginx +
// icommitd with the SMTP sink (issue 5, API.md "Events and registrations"):
// staff create and edit events (API and `icommitctl event add`); capacity
// holds when 60 registrations for 10 seats arrive at once (exactly 10
// registered, 50 waitlisted at positions 1..50); cancelling by the token from
// the mail promotes the first on the waitlist and mails them in their
// language with the .ics; event_full without a waitlist; event_closed after
// the deadline or the start; repeats; the .ics read back by Python's
// icalendar (escaping, CRLF, folding at 75 octets on UTF-8 boundaries), also
// as the mail's attachment; the door list, check-in and undo; the
// registrations CSV read back by Python's csv; validation reasons and the
// honeypot; the form fallback; the day-before reminder sent by the mailer's
// once-a-minute job; an event's agenda and speakers (four languages,
// replaced whole, validated item by item with reasons like
// "agenda.0.title.es", never a 5xx), times given as the venue's wall clock
// (`*_local`) across a change of clocks, the staff's list of every
// event and staff's form of one (GET /api/v1/admin/events[/{slug}]), and
// `icommitctl recount` correcting a seat count that drifted.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import net from 'node:net';
import { startStack } from './lib/stack.mjs';
import { request, get, postJson } from './lib/http.mjs';
import { sqlite, q } from './lib/pledge-helpers.mjs';
import { DAY, at, eventBody, iso } from './lib/event-helpers.mjs';

const PYTHON = '/usr/bin/python3';
const LANGS = ['es', 'en', 'pt', 'fr'];
const STAFF_USER = 'door-staff';
const STAFF_PASSWORD = 'a long staff passphrase 42';

let stack;
let staff; // { Cookie, 'X-CSRF-Token' }
let reminder; // the reminder scenario, set up first and checked last

// ---------------------------------------------------------------------------
// Helpers.

async function createEvent(slug, over = {}) {
  const r = await postJson(stack.base, '/api/v1/admin/events', eventBody(slug, over), { headers: staff });
  assert.equal(r.status, 201, `create ${slug}: ${r.status} ${r.text}`);
  return r.json;
}

/** A valid registration for person `tag`, overridden by extra. */
function person(tag, extra = {}) {
  return {
    name: `Persona ${tag}`,
    email: `${tag}@events-test.example.org`,
    organisation: 'Ministerio de Transporte',
    country: 'CL',
    role: 'Asesora',
    language: 'es',
    consent: true,
    ...extra,
  };
}

const register = (slug, body) => postJson(stack.base, `/api/v1/events/${slug}/registrations`, body);
const eventOf = async (slug) => {
  const r = await get(stack.base, `/api/v1/events/${slug}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

/** A urlencoded form POST, as a browser without JavaScript sends it. */
function formPost(path, fields) {
  return request(stack.base, 'POST', path, {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

/** Runs a Python snippet with /usr/bin/python3; stdin = input; returns parsed JSON stdout. */
function python(script, input, args = []) {
  const r = spawnSync(PYTHON, ['-c', script, ...args], { input, maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `python failed: ${r.stderr}`);
  return JSON.parse(r.stdout.toString('utf8'));
}

const ICS_READER = `
import sys, json
from icalendar import Calendar
cal = Calendar.from_ical(sys.stdin.buffer.read())
out = {k: (str(cal.get(k)) if cal.get(k) is not None else None) for k in ('version', 'prodid', 'method', 'calscale')}
out['events'] = []
for e in cal.walk('VEVENT'):
    d = {k: (str(e.get(k)) if e.get(k) is not None else None) for k in ('uid', 'summary', 'description', 'location', 'url')}
    for k in ('dtstart', 'dtend', 'dtstamp'):
        v = e.get(k)
        d[k] = e.decoded(k).isoformat() if v is not None else None
    out['events'].append(d)
print(json.dumps(out))
`;

const CSV_READER = `
import sys, csv, io, json
data = sys.stdin.buffer.read().decode('utf-8')
bom = data.startswith('\\ufeff')
if bom:
    data = data[1:]
rows = list(csv.reader(io.StringIO(data, newline=''), delimiter=sys.argv[1], strict=True))
print(json.dumps({'bom': bom, 'rows': rows}))
`;

/** The .ics as Python's icalendar reads it. */
const readIcs = (bytes) => python(ICS_READER, bytes);

/** "2026-12-01T15:09:33Z" as Python's isoformat() writes a UTC datetime. */
const pyUtc = (s) => s.replace(/Z$/, '+00:00');

/** The cancel token in a mail's text. */
function tokenOf(mail) {
  const m = /\/cancel\.html\?token=([A-Za-z0-9_-]+)/.exec(mail.text || mail.body);
  assert.ok(m, `no cancel link in mail "${mail.subject}":\n${mail.text}`);
  return m[1];
}

const mailsTo = (addr) => stack.mails().filter((m) => m.to.includes(addr));

/** Rows of an SQL query on the stack's database, as objects. */
function rows(sql) {
  const out = sqlite(stack.dbPath, sql, { json: true });
  return out ? JSON.parse(out) : [];
}

const eventId = (slug) => `(SELECT id FROM events WHERE slug = ${q(slug)})`;

/**
 * Opens one connection per request, waits until every one is connected,
 * then writes all the requests in one go, so that they are all in flight at
 * once; resolves to [{ status, json, text }] in the same order. HTTP/1.0
 * with Connection: close, so each answer ends with its connection.
 */
function burst(port, path, bodies) {
  return new Promise((resolve, reject) => {
    const n = bodies.length;
    const results = new Array(n);
    let connected = 0;
    let finished = 0;
    const socks = bodies.map((body, i) => {
      const payload = Buffer.from(JSON.stringify(body), 'utf8');
      const head = `POST ${path} HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n`
        + `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${payload.length}\r\n\r\n`;
      const s = net.connect({ host: '127.0.0.1', port });
      const chunks = [];
      s.setTimeout(60000, () => s.destroy(new Error(`request ${i}: no answer within 60 s`)));
      s.on('connect', () => {
        connected += 1;
        if (connected === n) for (const t of socks) t.write(Buffer.concat([Buffer.from(t.head), t.payload]));
      });
      s.on('data', (c) => chunks.push(c));
      s.on('error', reject);
      s.on('close', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const sep = raw.indexOf('\r\n\r\n');
        const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(raw)?.[1] ?? 0);
        const text = sep >= 0 ? raw.slice(sep + 4) : '';
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        results[i] = { status, json, text };
        finished += 1;
        if (finished === n) resolve(results);
      });
      s.head = head;
      s.payload = payload;
      return s;
    });
  });
}

// ---------------------------------------------------------------------------

before(async () => {
  stack = await startStack({ smtp: true });
  const u = await stack.ctl('user', 'add', STAFF_USER, { input: `${STAFF_PASSWORD}\n` });
  assert.equal(u.code, 0, `icommitctl user add: ${u.stderr}`);
  const r = await postJson(stack.base, '/api/v1/admin/login', { username: STAFF_USER, password: STAFF_PASSWORD });
  assert.equal(r.status, 200, r.text);
  const cookie = [].concat(r.headers['set-cookie'] ?? []).find((c) => c.startsWith('icommit_session='));
  assert.ok(cookie, 'no session cookie');
  staff = { Cookie: cookie.split(';')[0], 'X-CSRF-Token': r.json.csrf };

  // The reminder scenario starts now and is checked by the last test, so the
  // mailer's once-a-minute job runs while the other tests do. The event
  // starts in 3 days (no reminder due) while people register, then staff
  // move it to 2 hours from now: the next run of the job mails the seated.
  // Every other event here starts more than a day away or has started, so
  // this is the only one due.
  await createEvent('reminder-day', { capacity: 2 });
  const people = [
    person('rem-es', { language: 'es' }),
    person('rem-fr', { language: 'fr' }),
    person('rem-wait', { language: 'en' }),
  ];
  const statuses = [];
  for (const p of people) statuses.push((await register('reminder-day', p)).json?.status);
  assert.deepEqual(statuses, ['registered', 'registered', 'waitlisted']);
  const start = at(2 * 3600e3);
  const moved = await request(stack.base, 'PUT', '/api/v1/admin/events/reminder-day', {
    headers: { ...staff, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ starts_at: iso(start), ends_at: iso(start + 3600e3) }),
  });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.starts_at, iso(start));
  reminder = { movedAt: Date.now(), people };
});

after(async () => {
  await stack?.stop();
});

// ---------------------------------------------------------------------------
// Creating events.

test('staff create an event with the API; the public sees it with live seats', async () => {
  const body = eventBody('laccw-cities', { capacity: 120, online_url: 'https://example.org/live' });
  const r = await postJson(stack.base, '/api/v1/admin/events', body, { headers: staff });
  assert.equal(r.status, 201, r.text);
  const ev = r.json;
  for (const k of ['slug', 'title', 'description', 'starts_at', 'ends_at', 'timezone', 'location', 'online_url', 'capacity', 'waitlist']) {
    assert.deepEqual(ev[k], body[k], k);
  }
  assert.equal(ev.registered, 0);
  assert.equal(ev.seats_left, 120);
  assert.equal(ev.status, 'open');

  const one = await get(stack.base, '/api/v1/events/laccw-cities');
  assert.equal(one.status, 200);
  assert.deepEqual(one.json, ev);
  const list = await get(stack.base, '/api/v1/events');
  assert.equal(list.status, 200);
  assert.ok(list.json.items.some((e) => e.slug === 'laccw-cities'));

  // Same slug again: 422 slug taken. Bad fields: reasons.
  const again = await postJson(stack.base, '/api/v1/admin/events', body, { headers: staff });
  assert.equal(again.status, 422, again.text);
  assert.equal(again.json.error.fields.slug, 'taken');
  const bad = await postJson(stack.base, '/api/v1/admin/events', {
    slug: 'Bad Slug', starts_at: 'tomorrow', ends_at: iso(at(DAY)), capacity: -1, online_url: 'javascript:alert(1)',
  }, { headers: staff });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(Object.keys(bad.json.error.fields).sort(), ['capacity', 'online_url', 'slug', 'starts_at', 'title'].sort());
  const backwards = await postJson(stack.base, '/api/v1/admin/events',
    eventBody('backwards', { ends_at: iso(at(DAY)) }), { headers: staff });
  assert.equal(backwards.status, 422);
  assert.equal(backwards.json.error.fields.ends_at, 'out_of_range');

  // Staff only: no session 401, no CSRF header 403; nothing created.
  const anon = await postJson(stack.base, '/api/v1/admin/events', eventBody('anon-event'));
  assert.equal(anon.status, 401);
  const noCsrf = await postJson(stack.base, '/api/v1/admin/events', eventBody('anon-event'), { headers: { Cookie: staff.Cookie } });
  assert.equal(noCsrf.status, 403);
  assert.equal((await get(stack.base, '/api/v1/events/anon-event')).status, 404);
});

test('staff edit an event with PUT; unknown events are 404', async () => {
  await createEvent('edit-me', { capacity: 5 });
  const r = await request(stack.base, 'PUT', '/api/v1/admin/events/edit-me', {
    headers: { ...staff, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ capacity: 7, waitlist: false, location: 'Brasília', title: { es: 'Nuevo', en: 'New', pt: 'Novo', fr: 'Nouveau' } }),
  });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.capacity, 7);
  assert.equal(r.json.waitlist, false);
  assert.equal(r.json.location, 'Brasília');
  assert.equal(r.json.title.pt, 'Novo');
  assert.equal(r.json.timezone, 'America/Santiago', 'fields not sent are kept');
  const missing = await request(stack.base, 'PUT', '/api/v1/admin/events/no-such-event', {
    headers: { ...staff, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ capacity: 1 }),
  });
  assert.equal(missing.status, 404);
  assert.equal((await get(stack.base, '/api/v1/events/no-such-event')).status, 404);
});

test('icommitctl event add creates an event from EVENT JSON on standard input', async () => {
  const start = at(10 * DAY);
  const json = {
    title: { es: 'PreCOP: ambición de las NDC', en: 'PreCOP: NDC ambition', pt: 'PreCOP: ambição das NDC', fr: 'PréCOP : ambition des CDN' },
    description: { es: 'Evento paralelo.', en: 'Side event.', pt: 'Evento paralelo.', fr: 'Événement parallèle.' },
    starts_at: iso(start),
    ends_at: iso(start + 90 * 60e3),
    timezone: 'America/Belem',
    location: 'Belém, Pará',
    online_url: 'https://example.org/precop',
    capacity: 80,
    waitlist: false,
    registration_closes_at: iso(start - DAY),
  };
  const r = await stack.ctl('event', 'add', 'precop-side', { input: JSON.stringify(json) });
  assert.equal(r.code, 0, r.stderr);
  const ev = await eventOf('precop-side');
  for (const k of Object.keys(json)) assert.deepEqual(ev[k], json[k], k);
  assert.equal(ev.status, 'open');
  assert.equal(ev.seats_left, 80);

  const dup = await stack.ctl('event', 'add', 'precop-side', { input: JSON.stringify(json) });
  assert.equal(dup.code, 1);
  assert.match(dup.stderr, /exists/);
  const notJson = await stack.ctl('event', 'add', 'precop-2', { input: 'title: no' });
  assert.equal(notJson.code, 1);
  const invalid = await stack.ctl('event', 'add', 'precop-3', { input: JSON.stringify({ ...json, ends_at: 'soon' }) });
  assert.equal(invalid.code, 1);
  assert.match(invalid.stderr, /ends_at/);
  const badSlug = await stack.ctl('event', 'add', 'PreCOP', { input: JSON.stringify(json) });
  assert.equal(badSlug.code, 1);
  const usage = await stack.ctl('event', 'remove', 'precop-side');
  assert.equal(usage.code, 2);
});

test('upcoming events come first by start; past ones only with ?past=1', async () => {
  await createEvent('later-one', { starts_at: iso(at(20 * DAY)), ends_at: iso(at(20 * DAY + 3600e3)) });
  await createEvent('sooner-one', { starts_at: iso(at(2 * DAY)), ends_at: iso(at(2 * DAY + 3600e3)) });
  await createEvent('long-gone', { starts_at: iso(at(-10 * DAY)), ends_at: iso(at(-10 * DAY + 3600e3)) });
  const up = (await get(stack.base, '/api/v1/events')).json.items;
  const slugs = up.map((e) => e.slug);
  assert.ok(!slugs.includes('long-gone'));
  assert.ok(slugs.indexOf('sooner-one') < slugs.indexOf('later-one'));
  const starts = up.map((e) => Date.parse(e.starts_at));
  assert.deepEqual(starts, [...starts].sort((a, b) => a - b), 'ordered by start');
  const past = (await get(stack.base, '/api/v1/events?past=1')).json.items;
  assert.deepEqual(past.map((e) => e.slug), ['long-gone']);
  assert.equal(past[0].status, 'closed');
  // Nothing personal in the public answers.
  assert.doesNotMatch(JSON.stringify(up), /@events-test/);
});

// ---------------------------------------------------------------------------
// Capacity under concurrency, waitlist, cancellation and promotion.

const BURST = 60;
const SEATS = 10;
const burstPeople = [];

test('60 registrations in flight at once for 10 seats: exactly 10 registered, 50 waitlisted at positions 1..50', async () => {
  await createEvent('burst', { capacity: SEATS, title: { es: 'Ciudades y transporte', en: 'Cities and transport', pt: 'Cidades e transporte', fr: 'Villes et transports' } });
  for (let i = 0; i < BURST; i++) {
    burstPeople.push(person(`burst-${String(i).padStart(2, '0')}`, { language: LANGS[i % 4], name: `Participante ${i} Ñandú` }));
  }
  const answers = await burst(stack.port, '/api/v1/events/burst/registrations', burstPeople);
  for (const [i, a] of answers.entries()) {
    assert.equal(a.status, 201, `registration ${i}: ${a.status} ${a.text}`);
    burstPeople[i].answer = a.json;
  }
  const registered = answers.filter((a) => a.json.status === 'registered');
  const waitlisted = answers.filter((a) => a.json.status === 'waitlisted');
  assert.equal(registered.length, SEATS);
  assert.equal(waitlisted.length, BURST - SEATS);
  assert.ok(registered.every((a) => a.json.position === undefined));
  assert.deepEqual(waitlisted.map((a) => a.json.position).sort((a, b) => a - b),
    Array.from({ length: BURST - SEATS }, (_, i) => i + 1), 'positions 1..50, each once');

  const ev = await eventOf('burst');
  assert.equal(ev.registered, SEATS);
  assert.equal(ev.seats_left, 0);
  assert.equal(ev.status, 'full');

  // The database agrees, and the counter was never scanned into being.
  const counts = Object.fromEntries(rows(`SELECT status, count(*) AS n FROM registrations
    WHERE event_id = ${eventId('burst')} GROUP BY status`).map((r) => [r.status, r.n]));
  assert.deepEqual(counts, { registered: SEATS, waitlisted: BURST - SEATS });
  assert.equal(rows(`SELECT registered FROM events WHERE slug = 'burst'`)[0].registered, SEATS);
  const seqs = rows(`SELECT waitlist_seq FROM registrations WHERE event_id = ${eventId('burst')}
    AND status = 'waitlisted' ORDER BY waitlist_seq`).map((r) => r.waitlist_seq);
  assert.equal(new Set(seqs).size, BURST - SEATS, 'waitlist order has no ties');
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id = ${eventId('burst')}
    AND status = 'registered' AND waitlist_seq IS NOT NULL`)[0].n, 0);

  // Every one of them gets their mail: 10 "registered" with the .ics, 50 "waitlisted".
  await stack.waitForMail(() => stack.mails().filter((m) => m.to.includes('burst-')).length >= BURST, 60000);
  const mails = stack.mails().filter((m) => m.to.includes('burst-'));
  assert.equal(mails.length, BURST);
  for (const p of burstPeople) {
    const [m] = mails.filter((x) => x.to.includes(p.email));
    assert.ok(m, `mail to ${p.email}`);
    if (p.answer.status === 'registered') {
      assert.equal(m.attachments.length, 1, `.ics attached for ${p.email}`);
    } else {
      assert.equal(m.attachments.length, 0);
      assert.ok(m.text.includes(String(p.answer.position)), `position ${p.answer.position} in the mail to ${p.email}`);
    }
  }
});

const PROMOTED_SUBJECT = { es: /^¡Se liberó un lugar!/, en: /^A seat is yours/, pt: /^Um lugar é seu/, fr: /^Une place vous attend/ };
const CANCELLED_SUBJECT = { es: /^Inscripción cancelada/, en: /^Registration cancelled/, pt: /^Inscrição cancelada/, fr: /^Inscription annulée/ };

test('cancelling with the token from the mail frees the seat for the first on the waitlist, who is mailed in their language with the .ics', async () => {
  assert.equal(burstPeople.length, BURST, 'needs the burst test');
  const byPos = (n) => burstPeople.find((p) => p.answer.status === 'waitlisted' && p.answer.position === n);
  const seated = burstPeople.find((p) => p.answer.status === 'registered');
  const first = byPos(1);
  const second = byPos(2);
  const token = tokenOf(mailsTo(seated.email)[0]);

  const r = await postJson(stack.base, '/api/v1/registrations/cancel', { token });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, { status: 'cancelled' });

  const ev = await eventOf('burst');
  assert.equal(ev.registered, SEATS, 'the freed seat is taken by the first waitlisted');
  assert.equal(ev.seats_left, 0);
  const status = (email) => rows(`SELECT status FROM registrations WHERE email = ${q(email)}`)[0].status;
  assert.equal(status(seated.email), 'cancelled');
  assert.equal(status(first.email), 'registered');
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id = ${eventId('burst')} AND status = 'waitlisted'`)[0].n, BURST - SEATS - 1);

  // The promoted person's mail: their language, the .ics in their language, a cancel link.
  const promoted = await stack.waitForMail((m) => m.to.includes(first.email) && PROMOTED_SUBJECT[first.language].test(m.subject), 15000);
  assert.equal(promoted.attachments.length, 1);
  const [ics] = promoted.attachments;
  assert.equal(ics.contentType, 'text/calendar');
  const cal = readIcs(ics.bytes);
  assert.equal(cal.events[0].summary, (await eventOf('burst')).title[first.language]);
  tokenOf(promoted);
  const bye = await stack.waitForMail((m) => m.to.includes(seated.email) && CANCELLED_SUBJECT[seated.language].test(m.subject), 15000);
  assert.doesNotMatch(bye.text, /cancel\.html/, 'no cancel link in the cancellation notice');

  // The queue moved up: the second is now first.
  const again = await register('burst', second);
  assert.equal(again.status, 200, again.text);
  assert.deepEqual(again.json, { status: 'waitlisted', position: 1 });

  // Cancelling twice changes nothing; an unknown token is 404.
  const twice = await postJson(stack.base, '/api/v1/registrations/cancel', { token });
  assert.equal(twice.status, 200);
  assert.equal((await eventOf('burst')).registered, SEATS);
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id = ${eventId('burst')} AND status = 'registered'`)[0].n, SEATS);
  const unknown = await postJson(stack.base, '/api/v1/registrations/cancel', { token: crypto.randomBytes(32).toString('base64url') });
  assert.equal(unknown.status, 404);
  assert.equal(unknown.json.error.code, 'not_found');
  const missing = await postJson(stack.base, '/api/v1/registrations/cancel', {});
  assert.equal(missing.status, 422);
  assert.equal(missing.json.error.fields.token, 'required');
});

test('a waitlisted person who cancels leaves the seats alone and the others move up', async () => {
  const third = burstPeople.find((p) => p.answer.status === 'waitlisted' && p.answer.position === 3);
  const fourth = burstPeople.find((p) => p.answer.status === 'waitlisted' && p.answer.position === 4);
  const r = await postJson(stack.base, '/api/v1/registrations/cancel', { token: tokenOf(mailsTo(third.email)[0]) });
  assert.equal(r.status, 200, r.text);
  assert.equal((await eventOf('burst')).registered, SEATS);
  // Positions 1 and 2 went (one promoted, one cancelled): the fourth is now second.
  const again = await register('burst', fourth);
  assert.deepEqual(again.json, { status: 'waitlisted', position: 2 });
});

test('someone who cancelled can register again', async () => {
  await createEvent('come-back', { capacity: 1 });
  const p = person('come-back');
  assert.equal((await register('come-back', p)).json.status, 'registered');
  const mail = await stack.waitForMail((m) => m.to.includes(p.email));
  assert.equal((await postJson(stack.base, '/api/v1/registrations/cancel', { token: tokenOf(mail) })).status, 200);
  assert.equal((await eventOf('come-back')).registered, 0);
  const back = await register('come-back', p);
  assert.equal(back.status, 201, back.text);
  assert.deepEqual(back.json, { status: 'registered' });
  assert.equal((await eventOf('come-back')).registered, 1);
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE email = ${q(p.email)}`)[0].n, 1, 'the same row');
});

// ---------------------------------------------------------------------------
// Full, closed, repeats.

test('an event without waitlist answers 409 event_full once full', async () => {
  await createEvent('no-waitlist', { capacity: 1, waitlist: false });
  assert.deepEqual((await register('no-waitlist', person('nw-1'))).json, { status: 'registered' });
  const ev = await eventOf('no-waitlist');
  assert.equal(ev.status, 'full');
  assert.equal(ev.waitlist, false);
  const r = await register('no-waitlist', person('nw-2'));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'event_full');
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id = ${eventId('no-waitlist')}`)[0].n, 1);
  // The form fallback says the same with a redirect.
  const f = await formPost('/api/v1/events/no-waitlist/registrations', { ...person('nw-3'), consent: 'true', return: '/events.html?event=no-waitlist&lang=pt' });
  assert.equal(f.status, 303);
  assert.equal(f.headers.location, '/events.html?event=no-waitlist&lang=pt&error=event_full');
  // The one already in is still answered 200 (repeat), not 409.
  const repeat = await register('no-waitlist', person('nw-1'));
  assert.equal(repeat.status, 200);
  assert.deepEqual(repeat.json, { status: 'registered' });
});

test('registration closes at registration_closes_at and at the start: 409 event_closed', async () => {
  await createEvent('deadline-passed', { registration_closes_at: iso(at(-60e3)) });
  await createEvent('already-started', { starts_at: iso(at(-3600e3)), ends_at: iso(at(3600e3)) });
  for (const slug of ['deadline-passed', 'already-started']) {
    const ev = await eventOf(slug);
    assert.equal(ev.status, 'closed', slug);
    const r = await register(slug, person(`closed-${slug}`));
    assert.equal(r.status, 409, `${slug}: ${r.text}`);
    assert.equal(r.json.error.code, 'event_closed');
    const f = await formPost(`/api/v1/events/${slug}/registrations`, { ...person(`closed-f-${slug}`), consent: 'true', return: `/events.html?event=${slug}` });
    assert.equal(f.status, 303);
    assert.equal(f.headers.location, `/events.html?event=${slug}&error=event_closed`);
  }
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id IN (${eventId('deadline-passed')}, ${eventId('already-started')})`)[0].n, 0);
  // Moving the deadline into the future opens it again.
  const r = await request(stack.base, 'PUT', '/api/v1/admin/events/deadline-passed', {
    headers: { ...staff, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ registration_closes_at: iso(at(DAY)) }),
  });
  assert.equal(r.json.status, 'open', r.text);
  assert.equal((await register('deadline-passed', person('reopened'))).status, 201);
});

test('a repeat registration answers 200 with the existing status, on the normalised address', async () => {
  await createEvent('repeats', { capacity: 1 });
  const a = person('repeat-a');
  const b = person('repeat-b');
  assert.equal((await register('repeats', a)).status, 201);
  assert.deepEqual((await register('repeats', b)).json, { status: 'waitlisted', position: 1 });
  for (const email of [a.email, a.email.toUpperCase(), a.email.replace('@', '+again@'), `  ${a.email}  `]) {
    const r = await register('repeats', { ...a, email, name: 'Otro nombre' });
    assert.equal(r.status, 200, `${email}: ${r.text}`);
    assert.deepEqual(r.json, { status: 'registered' });
  }
  const rb = await register('repeats', b);
  assert.equal(rb.status, 200);
  assert.deepEqual(rb.json, { status: 'waitlisted', position: 1 });
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id = ${eventId('repeats')}`)[0].n, 2);
  assert.equal(rows(`SELECT name FROM registrations WHERE email = ${q(a.email)}`)[0].name, a.name, 'a repeat changes nothing');
  const ev = await eventOf('repeats');
  assert.equal(ev.registered, 1);
});

// ---------------------------------------------------------------------------
// Validation, honeypot, form fallback.

test('field validation answers 422 with the reason of each bad field', async () => {
  await createEvent('validation', { capacity: 100 });
  const cases = [
    [{}, { name: 'required', email: 'required', consent: 'required' }],
    [{ name: '   ', email: 'x@example.org', consent: true }, { name: 'required' }],
    [{ ...person('v1'), name: 'n'.repeat(121) }, { name: 'too_long' }],
    [{ ...person('v2'), name: 'ñ'.repeat(120) }, null],
    [{ ...person('v3'), email: 'no-at-sign.example.org' }, { email: 'invalid_email' }],
    [{ ...person('v4'), email: 'ana@localhost' }, { email: 'invalid_email' }],
    [{ ...person('v5'), organisation: 'o'.repeat(161) }, { organisation: 'too_long' }],
    [{ ...person('v6'), role: 'r'.repeat(121) }, { role: 'too_long' }],
    [{ ...person('v7'), country: 'XX' }, { country: 'invalid_country' }],
    [{ ...person('v8'), country: 'Chile' }, { country: 'invalid_country' }],
    [{ ...person('v9'), language: 'de' }, { language: 'invalid_choice' }],
    [{ ...person('v10'), consent: false }, { consent: 'must_be_true' }],
    [{ ...person('v11'), consent: 'yes' }, { consent: 'wrong_type' }],
    [{ ...person('v12'), name: 42 }, { name: 'wrong_type' }],
    [{ ...person('v13'), name: 'Ana\u0007' }, { name: 'invalid_utf8' }],
    [{ ...person('v14'), country: 'br' }, null],
  ];
  for (const [body, reasons] of cases) {
    const r = await register('validation', body);
    if (reasons === null) {
      assert.equal(r.status, 201, `${JSON.stringify(body).slice(0, 80)}: ${r.text}`);
      continue;
    }
    assert.equal(r.status, 422, `${JSON.stringify(body).slice(0, 80)}: ${r.status} ${r.text}`);
    assert.equal(r.json.error.code, 'invalid');
    assert.deepEqual(r.json.error.fields, reasons, JSON.stringify(body).slice(0, 80));
  }
  assert.equal(rows(`SELECT country FROM registrations WHERE email = ${q(person('v14').email)}`)[0].country, 'BR', 'upper-cased');
  // Not JSON, wrong type, unknown event.
  assert.equal((await postJson(stack.base, '/api/v1/events/validation/registrations', '{"name":')).status, 400);
  assert.equal((await request(stack.base, 'POST', '/api/v1/events/validation/registrations', { headers: { 'Content-Type': 'text/plain' }, body: 'x' })).status, 415);
  const nf = await register('no-such-event', person('v15'));
  assert.equal(nf.status, 404);
  assert.equal(nf.json.error.code, 'not_found');
});

test('a filled honeypot looks like success and stores and mails nothing', async () => {
  await createEvent('honeypot', { capacity: 3 });
  const bot = person('honeypot-bot', { website: 'http://spam.example' });
  const r = await register('honeypot', bot);
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { status: 'registered' });
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE email = ${q(bot.email)}`)[0].n, 0);
  assert.equal((await eventOf('honeypot')).registered, 0);
  const empty = await register('honeypot', person('honeypot-human', { website: '' }));
  assert.equal(empty.status, 201);
  assert.equal((await eventOf('honeypot')).registered, 1);
  await stack.waitForMail((m) => m.to.includes('honeypot-human'));
  assert.equal(mailsTo(bot.email).length, 0);
});

test('the form fallback: urlencoded POST with `return` answers 303 with ?ok=1, &status=waitlisted or ?error=CODE', async () => {
  await createEvent('form-fallback', { capacity: 1 });
  const path = '/api/v1/events/form-fallback/registrations';
  const ret = '/events.html?event=form-fallback&lang=fr';
  const one = await formPost(path, { ...person('form-1'), consent: 'true', return: ret });
  assert.equal(one.status, 303, one.text);
  assert.equal(one.headers.location, `${ret}&ok=1`);
  const two = await formPost(path, { ...person('form-2'), consent: 'true', return: ret });
  assert.equal(two.headers.location, `${ret}&ok=1&status=waitlisted`);
  const bad = await formPost(path, { name: 'Sin correo', consent: 'true', return: ret });
  assert.equal(bad.headers.location, `${ret}&error=invalid`);
  const unknown = await formPost('/api/v1/events/nope-nope/registrations', { ...person('form-3'), consent: 'true', return: ret });
  assert.equal(unknown.headers.location, `${ret}&error=not_found`);
  // Only same-site paths: anything else goes home.
  const away = await formPost(path, { ...person('form-4'), consent: 'true', return: 'https://evil.example/' });
  assert.equal(away.status, 303);
  assert.equal(away.headers.location, '/?ok=1&status=waitlisted');
  const stored = rows(`SELECT email, status, language FROM registrations WHERE event_id = ${eventId('form-fallback')} ORDER BY id`);
  assert.deepEqual(stored.map((r) => r.status), ['registered', 'waitlisted', 'waitlisted']);
});

// ---------------------------------------------------------------------------
// Calendar files.

const TRICKY = {
  title: {
    es: 'Movilidad eléctrica, ciudades; y “ambición” — año 2026',
    en: 'Electric mobility, cities; and "ambition" \\ 2026',
    pt: 'Mobilidade elétrica, cidades; ação — São Paulo',
    fr: 'Mobilité électrique, villes ; « ambition » — Caraïbes',
  },
  description: {
    es: `Primera línea, con coma; y punto y coma.\nSegunda línea: ñandú, pingüino, ¿qué?\n${'Ómnibus eléctricos ⚡🚌 en Bogotá, São Paulo y Montréal; '.repeat(6)}fin.`,
    en: `Line one, with a comma; and a semicolon.\nLine two — a backslash \\ too. ${'Électricité ⚡ '.repeat(12)}end.`,
    pt: `Linha um; vírgula, ponto e vírgula.\n${'Ônibus elétricos em Florianópolis e Niterói — ação climática; '.repeat(5)}fim.`,
    fr: `Première ligne, virgule ; point-virgule.\n${'Véhicules électriques à Pointe-à-Pitre, « zéro émission » ; '.repeat(5)}fin.`,
  },
  location: 'Teatro Municipal, Av. Paulista 1000; São Paulo, Brasil',
};

/** Checks the RFC 5545 layout of a .ics document (Buffer) and returns its lines. */
function checkIcsLayout(bytes) {
  const text = bytes.toString('utf8');
  assert.ok(text.endsWith('\r\n'), 'ends with CRLF');
  assert.doesNotMatch(text, /[^\r]\n/, 'every line ends with CRLF');
  assert.doesNotMatch(text, /\r(?!\n)/, 'no lone CR');
  // Physical lines: at most 75 octets, each valid UTF-8 on its own (no
  // character split by a fold).
  const physical = [];
  let start = 0;
  for (;;) {
    const i = bytes.indexOf('\r\n', start);
    if (i < 0) break;
    physical.push(bytes.subarray(start, i));
    start = i + 2;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  for (const line of physical) {
    assert.ok(line.length <= 75, `line of ${line.length} octets: ${line.toString('utf8')}`);
    decoder.decode(line); // throws on a split character
  }
  const folded = physical.filter((l) => l[0] === 0x20);
  // Unfolding gives the content lines.
  const lines = text.replace(/\r\n /g, '').split('\r\n').slice(0, -1);
  assert.equal(lines[0], 'BEGIN:VCALENDAR');
  assert.equal(lines.at(-1), 'END:VCALENDAR');
  for (const name of ['VERSION:2.0', 'BEGIN:VEVENT', 'END:VEVENT']) assert.ok(lines.includes(name), name);
  for (const prop of ['PRODID', 'UID', 'DTSTAMP', 'DTSTART', 'DTEND', 'SUMMARY']) {
    assert.equal(lines.filter((l) => l.startsWith(`${prop}:`)).length, 1, `one ${prop}`);
  }
  return { lines, folded };
}

test('the .ics parses with Python icalendar and round-trips accents, commas, semicolons, newlines and long multi-byte text', async () => {
  const ev = await createEvent('calendar', { ...TRICKY, timezone: 'America/Sao_Paulo', online_url: null });
  for (const lang of LANGS) {
    const r = await get(stack.base, `/api/v1/events/calendar.ics?lang=${lang}`);
    assert.equal(r.status, 200, r.text);
    assert.match(r.headers['content-type'], /^text\/calendar; charset=utf-8/);
    const { lines, folded } = checkIcsLayout(r.body);
    assert.ok(folded.length > 0, 'the long description is folded');
    // Escaped in the file ...
    const summary = lines.find((l) => l.startsWith('SUMMARY:'));
    assert.ok(summary.includes('\\,') && summary.includes('\\;'), summary);
    assert.ok(lines.find((l) => l.startsWith('DESCRIPTION:')).includes('\\n'));
    assert.ok(lines.includes(`DTSTART:${ev.starts_at.replace(/[-:]/g, '')}`));
    assert.ok(lines.includes(`DTEND:${ev.ends_at.replace(/[-:]/g, '')}`));
    // ... and read back exactly.
    const cal = readIcs(r.body);
    assert.equal(cal.version, '2.0');
    assert.equal(cal.events.length, 1);
    const e = cal.events[0];
    assert.equal(e.summary, TRICKY.title[lang], `summary (${lang})`);
    assert.equal(e.description, TRICKY.description[lang], `description (${lang})`);
    assert.equal(e.location, TRICKY.location);
    assert.equal(e.dtstart, pyUtc(ev.starts_at));
    assert.equal(e.dtend, pyUtc(ev.ends_at));
    assert.ok(e.dtstamp, 'DTSTAMP');
    assert.match(e.uid, /^event-calendar@/);
    assert.equal(e.url, `${stack.base}/events.html?event=calendar&lang=${lang}`);
  }
  // Default language Spanish; an online event's URL is its link; bad lang 400; unknown 404.
  const es = readIcs((await get(stack.base, '/api/v1/events/calendar.ics')).body).events[0];
  assert.equal(es.summary, TRICKY.title.es);
  await createEvent('calendar-online', { online_url: 'https://example.org/stream?a=1&b=2', location: null });
  const online = await get(stack.base, '/api/v1/events/calendar-online.ics');
  checkIcsLayout(online.body);
  const oe = readIcs(online.body).events[0];
  assert.equal(oe.url, 'https://example.org/stream?a=1&b=2');
  assert.equal(oe.location, 'https://example.org/stream?a=1&b=2');
  assert.equal((await get(stack.base, '/api/v1/events/calendar.ics?lang=de')).status, 400);
  assert.equal((await get(stack.base, '/api/v1/events/nope-nope.ics')).status, 404);
});

test('the registration mail carries the .ics in the registrant\'s language and a cancel link', async () => {
  const p = person('ics-mail', { language: 'pt' });
  const r = await register('calendar', p);
  assert.equal(r.status, 201, r.text);
  const mail = await stack.waitForMail((m) => m.to.includes(p.email));
  assert.match(mail.subject, /^Inscrição confirmada: /);
  assert.ok(mail.subject.includes(TRICKY.title.pt), mail.subject);
  assert.match(mail.text, new RegExp(`${stack.base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/cancel\\.html\\?token=[A-Za-z0-9_-]{43}`));
  assert.equal(mail.attachments.length, 1);
  const [att] = mail.attachments;
  assert.equal(att.contentType, 'text/calendar');
  assert.match(att.filename, /\.ics$/);
  checkIcsLayout(att.bytes);
  const fromMail = readIcs(att.bytes).events[0];
  const fromApi = readIcs((await get(stack.base, '/api/v1/events/calendar.ics?lang=pt')).body).events[0];
  delete fromMail.dtstamp;
  delete fromApi.dtstamp;
  assert.deepEqual(fromMail, fromApi);
  assert.equal(fromMail.description, TRICKY.description.pt);
  // The start in the text is the event's local time, as Intl computes it.
  const ev = (await get(stack.base, '/api/v1/events/calendar')).json;
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: ev.timezone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
  }).formatToParts(new Date(ev.starts_at)).map((x) => [x.type, x.value]));
  const local = `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
  assert.ok(mail.text.includes(local) && mail.text.includes(`(${ev.timezone})`),
    `local start "${local}" (${ev.timezone}) in: ${mail.text}`);
});

// ---------------------------------------------------------------------------
// The door.

test('the door list searches names (q=) and staff check people in and undo it', async () => {
  await createEvent('door', { capacity: 3 });
  const names = ['Émilie Côté', 'José Ñúñez', 'Joséphine Dupont', 'Ana 100% Real'];
  const ids = {};
  for (const [i, name] of names.entries()) {
    const r = await register('door', person(`door-${i}`, { name }));
    assert.equal(r.status, 201, r.text);
  }
  for (const row of rows(`SELECT id, name, status FROM registrations WHERE event_id = ${eventId('door')}`)) ids[row.name] = row;
  assert.equal(ids['Ana 100% Real'].status, 'waitlisted');

  const list = async (query) => {
    const r = await get(stack.base, `/api/v1/admin/events/door/registrations${query === undefined ? '' : `?q=${encodeURIComponent(query)}`}`, { headers: staff });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const all = await list();
  assert.equal(all.items.length, 4);
  assert.equal(all.registered, 3);
  assert.equal(all.checked_in, 0);
  assert.equal(all.event.slug, 'door');
  for (const it of all.items) {
    for (const k of ['id', 'status', 'name', 'email', 'checked_in_at', 'waitlist_position']) assert.ok(k in it, k);
  }
  assert.equal(all.items.find((x) => x.name === 'Ana 100% Real').waitlist_position, 1);
  const names1 = (await list('josé')).items.map((x) => x.name).sort();
  assert.deepEqual(names1, ['José Ñúñez', 'Joséphine Dupont']);
  assert.deepEqual((await list('DUPONT')).items.map((x) => x.name), ['Joséphine Dupont'], 'ASCII case does not matter');
  assert.deepEqual((await list('Côté')).items.map((x) => x.name), ['Émilie Côté']);
  assert.deepEqual((await list('100%')).items.map((x) => x.name), ['Ana 100% Real'], '% matches itself');
  assert.deepEqual((await list('%')).items.map((x) => x.name), ['Ana 100% Real']);
  assert.deepEqual((await list('_')).items, [], '_ matches itself');
  assert.deepEqual((await list('zzz')).items, []);

  // Check in, twice is fine, undo.
  const emilie = ids['Émilie Côté'].id;
  const checkin = (id, body = {}) => postJson(stack.base, `/api/v1/admin/registrations/${id}/checkin`, body, { headers: staff });
  const c1 = await checkin(emilie);
  assert.equal(c1.status, 200, c1.text);
  assert.equal(c1.json.id, emilie);
  assert.match(c1.json.checked_in_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal((await list()).checked_in, 1);
  assert.equal((await checkin(emilie)).status, 200);
  assert.equal((await list()).checked_in, 1);
  const jose = ids['José Ñúñez'].id;
  assert.equal((await checkin(jose)).status, 200);
  assert.equal((await list()).checked_in, 2);
  const undo = await checkin(emilie, { undo: true });
  assert.equal(undo.status, 200, undo.text);
  assert.equal(undo.json.checked_in_at, null);
  const after = await list();
  assert.equal(after.checked_in, 1);
  assert.equal(after.items.find((x) => x.id === emilie).checked_in_at, null);
  assert.ok(after.items.find((x) => x.id === jose).checked_in_at);
  assert.equal(rows(`SELECT checked_in_at FROM registrations WHERE id = ${emilie}`)[0].checked_in_at, null);

  // Only seated people check in; unknown ids 404; staff only, with CSRF.
  assert.equal((await checkin(ids['Ana 100% Real'].id)).status, 404);
  assert.equal((await checkin(999999)).status, 404);
  assert.equal((await checkin(emilie, { undo: 'yes' })).status, 422);
  assert.equal((await postJson(stack.base, `/api/v1/admin/registrations/${emilie}/checkin`, {}, { headers: { Cookie: staff.Cookie } })).status, 403);
  assert.equal((await postJson(stack.base, `/api/v1/admin/registrations/${emilie}/checkin`, {})).status, 401);
  assert.equal((await get(stack.base, '/api/v1/admin/events/door/registrations')).status, 401);
  assert.equal((await get(stack.base, '/api/v1/admin/events/nope-nope/registrations', { headers: staff })).status, 404);
  // A check-in is audited.
  assert.ok(rows(`SELECT count(*) AS n FROM audit WHERE action IN ('checkin', 'checkin_undo')`)[0].n >= 4);
});

// ---------------------------------------------------------------------------
// The registrations CSV.

const CSV_COLUMNS = ['id', 'registered_at', 'status', 'waitlist_position', 'name', 'email', 'organisation', 'country', 'role', 'language', 'checked_in_at'];

test('the registrations CSV has the issue\'s columns, RFC 4180 quoting, BOM, separators and no formulas', async () => {
  await createEvent('csv', { capacity: 2 });
  const people = [
    person('csv-0', { name: 'Zoë "la jefa" Müller', organisation: 'Ministerio, Transporte; y Obras', language: 'fr', country: 'MX' }),
    person('csv-1', { name: '=HYPERLINK("http://evil.example","clic")', organisation: '+1 555', role: '@admin', language: 'pt' }),
    person('csv-2', { name: 'Third Person', organisation: undefined, role: undefined, country: undefined, language: 'en' }),
    person('csv-3', { name: 'Fourth Person', language: 'es' }),
  ];
  for (const p of people) {
    for (const k of Object.keys(p)) if (p[k] === undefined) delete p[k];
    assert.equal((await register('csv', p)).status, 201);
  }
  const dbRows = rows(`SELECT id, status FROM registrations WHERE event_id = ${eventId('csv')} ORDER BY id`);
  const firstId = dbRows[0].id;
  assert.equal((await postJson(stack.base, `/api/v1/admin/registrations/${firstId}/checkin`, {}, { headers: staff })).status, 200);

  const r = await get(stack.base, '/api/v1/admin/export/registrations.csv?event=csv', { headers: staff });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.headers['content-type'], 'text/csv; charset=utf-8');
  assert.match(r.headers['content-disposition'], /^attachment; filename="icommit-registrations-\d{4}-\d\d-\d\d\.csv"$/);
  assert.equal(r.headers['cache-control'], 'no-store');
  assert.ok(r.body.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf])), 'UTF-8 BOM');
  assert.doesNotMatch(r.body.toString('utf8'), /[^\r]\n/, 'CRLF line ends');
  const parsed = python(CSV_READER, r.body, [',']);
  assert.equal(parsed.bom, true);
  const [header, ...data] = parsed.rows;
  assert.deepEqual(header, CSV_COLUMNS);
  assert.equal(data.length, 4);
  const rec = data.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]])));
  assert.deepEqual(rec.map((x) => Number(x.id)), dbRows.map((x) => x.id));
  assert.deepEqual(rec.map((x) => x.status), ['registered', 'registered', 'waitlisted', 'waitlisted']);
  assert.deepEqual(rec.map((x) => x.waitlist_position), ['', '', '1', '2']);
  assert.equal(rec[0].name, 'Zoë "la jefa" Müller');
  assert.equal(rec[0].organisation, 'Ministerio, Transporte; y Obras');
  assert.equal(rec[0].country, 'MX');
  assert.equal(rec[0].language, 'fr');
  assert.equal(rec[0].email, people[0].email);
  assert.match(rec[0].registered_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.match(rec[0].checked_in_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(rec[1].checked_in_at, '');
  // Formula injection neutralised.
  assert.equal(rec[1].name, `'${people[1].name}`);
  assert.equal(rec[1].organisation, "'+1 555");
  assert.equal(rec[1].role, "'@admin");
  assert.deepEqual([rec[2].organisation, rec[2].role, rec[2].country], ['', '', '']);

  // ?sep=semicolon&bom=0
  const semi = await get(stack.base, '/api/v1/admin/export/registrations.csv?event=csv&sep=semicolon&bom=0', { headers: staff });
  assert.equal(semi.status, 200);
  assert.equal(semi.body[0], 'i'.charCodeAt(0), 'no BOM');
  const p2 = python(CSV_READER, semi.body, [';']);
  assert.equal(p2.bom, false);
  assert.deepEqual(p2.rows, parsed.rows);

  // Staff only; the event is required and must exist.
  assert.equal((await get(stack.base, '/api/v1/admin/export/registrations.csv?event=csv')).status, 401);
  assert.equal((await get(stack.base, '/api/v1/admin/export/registrations.csv', { headers: staff })).status, 400);
  assert.equal((await get(stack.base, '/api/v1/admin/export/registrations.csv?event=nope-nope', { headers: staff })).status, 404);
});

// ---------------------------------------------------------------------------
// The reminder (set up in before(), so the mailer's job ran meanwhile).

const REMINDER_SUBJECT = { es: /^Recordatorio: /, en: /^Reminder: /, pt: /^Lembrete: /, fr: /^Rappel : / };

test('the day-before reminder reaches the seated, in their language, within the mailer\'s minute', { timeout: 120000 }, async () => {
  assert.ok(reminder, 'set up in before()');
  const ev = await eventOf('reminder-day');
  // The job runs once a minute (and the mailer naps up to 5 s): 75 s after the move at most.
  const left = Math.max(5000, reminder.movedAt + 75000 - Date.now());
  for (const p of reminder.people.slice(0, 2)) {
    const m = await stack.waitForMail((x) => x.to.includes(p.email) && REMINDER_SUBJECT[p.language].test(x.subject), left);
    assert.ok(m.subject.includes(ev.title[p.language]), m.subject);
    tokenOf(m);
  }
  // Not the waitlisted, and only once.
  await new Promise((r) => setTimeout(r, 1500));
  const waiting = reminder.people[2];
  assert.equal(mailsTo(waiting.email).filter((m) => REMINDER_SUBJECT[waiting.language].test(m.subject)).length, 0);
  for (const p of reminder.people.slice(0, 2)) {
    assert.equal(mailsTo(p.email).filter((m) => REMINDER_SUBJECT[p.language].test(m.subject)).length, 1);
  }
  assert.ok(rows(`SELECT reminder_sent_at FROM events WHERE slug = 'reminder-day'`)[0].reminder_sent_at > 0);
});

// ---------------------------------------------------------------------------
// Capacity changes and the door's totals.

test('raising the capacity gives the new seats to the waitlist first', async () => {
  await createEvent('more-seats', { capacity: 1 });
  const [a, b, c] = ['more-a', 'more-b', 'more-c'].map((t) => person(t));
  assert.equal((await register('more-seats', a)).json.status, 'registered');
  assert.deepEqual((await register('more-seats', b)).json, { status: 'waitlisted', position: 1 });
  const r = await request(stack.base, 'PUT', '/api/v1/admin/events/more-seats', {
    headers: { ...staff, 'Content-Type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ capacity: 2 }),
  });
  assert.equal(r.status, 200, r.text);
  // Expected: b, first in line, has the new seat (and is mailed); c waits.
  assert.equal(rows(`SELECT status FROM registrations WHERE email = ${q(b.email)}`)[0].status, 'registered');
  assert.deepEqual((await register('more-seats', c)).json, { status: 'waitlisted', position: 1 });
});

test('icommitctl recount sets a drifted seat count back to the seated registrations and says so; none when they agree', async () => {
  await createEvent('recount-seats', { capacity: 3 });
  const people = ['rc-a', 'rc-b', 'rc-c', 'rc-d'].map((t) => person(t));
  for (const p of people) assert.equal((await register('recount-seats', p)).status, 201);
  const clean = await stack.ctl('recount');
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(clean.stdout, 'no drift: counters, tallies and seat counts match the pledges and registrations\n');

  // Three seated, one waitlisted; the count says one: a fourth seat would
  // be given away.
  sqlite(stack.dbPath, `UPDATE events SET registered = 1 WHERE slug = 'recount-seats';`);
  const fixed = await stack.ctl('recount');
  assert.equal(fixed.code, 0, fixed.stderr);
  assert.equal(fixed.stdout, 'event recount-seats: seat count was 1, registrations say 3 (fixed)\n');
  assert.doesNotMatch(fixed.stdout, /@|Persona/, 'no personal data');
  assert.equal(rows("SELECT registered FROM events WHERE slug = 'recount-seats'")[0].registered, 3);
  // The daemon counts from the corrected number: the next one waits.
  assert.deepEqual((await register('recount-seats', person('rc-e'))).json, { status: 'waitlisted', position: 2 });
  assert.equal((await eventOf('recount-seats')).registered, 3);
  const again = await stack.ctl('recount');
  assert.equal(again.stdout, clean.stdout);
});

test('the door list\'s checked_in is the event\'s total, also with q=', async () => {
  await createEvent('door-count', { capacity: 5 });
  for (const name of ['Aurora Paz', 'Benito Paz', 'Celia Rojas']) {
    assert.equal((await register('door-count', person(`door-count-${name.split(' ')[0]}`, { name }))).status, 201);
  }
  const ids = rows(`SELECT id FROM registrations WHERE event_id = ${eventId('door-count')} ORDER BY id`).map((r) => r.id);
  for (const id of ids.slice(0, 2)) {
    assert.equal((await postJson(stack.base, `/api/v1/admin/registrations/${id}/checkin`, {}, { headers: staff })).status, 200);
  }
  const all = await get(stack.base, '/api/v1/admin/events/door-count/registrations', { headers: staff });
  assert.equal(all.json.checked_in, 2);
  const some = await get(stack.base, '/api/v1/admin/events/door-count/registrations?q=Rojas', { headers: staff });
  assert.equal(some.json.items.length, 1);
  assert.equal(some.json.checked_in, 2, 'the total of the event, like `registered`');
});

// ---------------------------------------------------------------------------
// Agenda, speakers, the venue's wall clock, the staff's list and form.

/** PUT /api/v1/admin/events/{slug} as staff. */
const putEvent = (slug, body) => request(stack.base, 'PUT', `/api/v1/admin/events/${slug}`, {
  headers: { ...staff, 'Content-Type': 'application/json; charset=utf-8' },
  body: JSON.stringify(body),
});
const staffGet = (path) => get(stack.base, path, { headers: staff });

const words = (tag) => ({ es: `${tag} (es)`, en: `${tag} (en)`, pt: `${tag} (pt)`, fr: `${tag} (fr)` });

/** Agenda item i of an event starting at `start` (ms): 30 minutes each. */
const agendaItem = (start, i, over = {}) => ({
  starts_at: iso(start + i * 30 * 60e3),
  ends_at: iso(start + (i + 1) * 30 * 60e3),
  title: words(`Punto ${i}`),
  description: { es: `Detalle ${i}\nsegunda línea`, en: `Detail ${i}` },
  ...over,
});

const SPEAKERS = [
  { name: 'Ana María Souza', role: { es: 'Ministra de Transporte', en: 'Minister of Transport', pt: 'Ministra dos Transportes', fr: 'Ministre des Transports' }, organisation: 'Gobierno de Chile', photo: '/img/speakers/ana-souza.jpg' },
  { name: 'Jean-Luc Ndiaye', role: { en: 'Director' }, organisation: null, photo: null },
];

test('an event\'s agenda and speakers in four languages: created with the event, public in order, replaced whole by PUT', async () => {
  const start = at(12 * DAY);
  const agenda = [0, 1, 2].map((i) => agendaItem(start, i));
  const created = await createEvent('with-agenda', { starts_at: iso(start), ends_at: iso(start + 3 * 3600e3), agenda, speakers: SPEAKERS });
  assert.equal(created.agenda.length, 3);
  const pub = await eventOf('with-agenda');
  assert.deepEqual(pub, created, 'the reply is the public event');
  assert.deepEqual(pub.agenda.map((a) => a.title.fr), ['Punto 0 (fr)', 'Punto 1 (fr)', 'Punto 2 (fr)']);
  assert.deepEqual(pub.agenda[0], {
    starts_at: agenda[0].starts_at, ends_at: agenda[0].ends_at, title: words('Punto 0'),
    description: { es: 'Detalle 0\nsegunda línea', en: 'Detail 0', pt: '', fr: '' },
  });
  assert.deepEqual(pub.speakers, [
    SPEAKERS[0],
    { name: 'Jean-Luc Ndiaye', role: { es: '', en: 'Director', pt: '', fr: '' }, organisation: null, photo: null },
  ]);
  // The list stays light: no agenda there.
  const listed = (await get(stack.base, '/api/v1/events')).json.items.find((e) => e.slug === 'with-agenda');
  assert.equal(listed.agenda, undefined);

  // PUT with speakers only: the agenda stays; the order given is kept.
  let r = await putEvent('with-agenda', { speakers: [SPEAKERS[1], SPEAKERS[0]] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.speakers.map((x) => x.name), ['Jean-Luc Ndiaye', 'Ana María Souza']);
  assert.equal(r.json.agenda.length, 3);
  // A shorter agenda replaces the longer one; [] and null clear.
  r = await putEvent('with-agenda', { agenda: [agenda[2], agenda[0]] });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.agenda.map((a) => a.title.es), ['Punto 2 (es)', 'Punto 0 (es)']);
  assert.deepEqual(rows(`SELECT position FROM event_agenda WHERE event_id = ${eventId('with-agenda')} ORDER BY position`), [{ position: 0 }, { position: 1 }]);
  r = await putEvent('with-agenda', { agenda: [], speakers: null });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.agenda, r.json.speakers], [[], []]);
  assert.equal(rows(`SELECT count(*) AS n FROM event_speakers WHERE event_id = ${eventId('with-agenda')}`)[0].n, 0);
  // An audit entry for each edit.
  assert.ok(rows(`SELECT count(*) AS n FROM audit WHERE action = 'event_edit' AND target = 'with-agenda'`)[0].n >= 3);
});

test('icommitctl event add takes the agenda and speakers too, in one transaction', async () => {
  const start = at(14 * DAY);
  const json = {
    ...eventBody('ctl-agenda', { starts_at: iso(start), ends_at: iso(start + 2 * 3600e3) }),
    agenda: [agendaItem(start, 0), agendaItem(start, 1, { ends_at: null })],
    speakers: [SPEAKERS[0]],
  };
  delete json.slug;
  const r = await stack.ctl('event', 'add', 'ctl-agenda', { input: JSON.stringify(json) });
  assert.equal(r.code, 0, r.stderr);
  const ev = await eventOf('ctl-agenda');
  assert.deepEqual(ev.agenda.map((a) => [a.title.pt, a.ends_at]), [['Punto 0 (pt)', json.agenda[0].ends_at], ['Punto 1 (pt)', null]]);
  assert.deepEqual(ev.speakers, [SPEAKERS[0]]);
  // A bad item: nothing at all is created.
  const bad = await stack.ctl('event', 'add', 'ctl-agenda-bad', { input: JSON.stringify({ ...json, speakers: [{ name: '' }] }) });
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /speakers\.0\.name/);
  assert.equal((await get(stack.base, '/api/v1/events/ctl-agenda-bad')).status, 404);
});

test('times as the venue\'s wall clock (*_local): the event\'s zone, a skipped time refused, a doubled one the first', async () => {
  // Europe/Paris next year: on the last Sunday of March 02:00 becomes
  // 03:00; on the last Sunday of October 03:00 becomes 02:00.
  const year = new Date().getUTCFullYear() + 1;
  const lastSunday = (month) => {
    const d = new Date(Date.UTC(year, month + 1, 0));
    d.setUTCDate(d.getUTCDate() - d.getUTCDay());
    return d.toISOString().slice(0, 10);
  };
  const march = lastSunday(2);
  const october = lastSunday(9);
  const body = {
    ...eventBody('paris-spring'), timezone: 'Europe/Paris',
    starts_at: undefined, ends_at: undefined,
    starts_at_local: `${march}T01:00`, ends_at_local: `${march}T05:00`,
    registration_closes_at_local: `${march}T00:00`,
    agenda: [{ starts_at_local: `${march}T03:30`, ends_at_local: `${march}T04:00`, title: words('Tarde') }],
  };
  let r = await postJson(stack.base, '/api/v1/admin/events', body, { headers: staff });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.starts_at, `${march}T00:00:00Z`, '01:00 CET');
  assert.equal(r.json.ends_at, `${march}T03:00:00Z`, '05:00 CEST');
  assert.equal(r.json.registration_closes_at, `${new Date(Date.parse(`${march}T00:00:00Z`) - 3600e3).toISOString().replace('.000Z', 'Z')}`);
  assert.equal(r.json.agenda[0].starts_at, `${march}T01:30:00Z`);
  // The staff's form says it back in the venue's clock.
  const form = await staffGet('/api/v1/admin/events/paris-spring');
  assert.equal(form.status, 200, form.text);
  assert.equal(form.json.starts_at_local, `${march}T01:00`);
  assert.equal(form.json.ends_at_local, `${march}T05:00`);
  assert.equal(form.json.registration_closes_at_local, `${march}T00:00`);
  assert.equal(form.json.agenda[0].starts_at_local, `${march}T03:30`);
  assert.equal(form.json.agenda[0].ends_at_local, `${march}T04:00`);
  assert.equal(form.json.waitlisted, 0);

  // 02:30 that night never shows on a Paris clock.
  r = await putEvent('paris-spring', { agenda: [{ starts_at_local: `${march}T02:30`, title: words('Nunca') }] });
  assert.equal(r.status, 422, r.text);
  assert.deepEqual(r.json.error.fields, { 'agenda.0.starts_at_local': 'out_of_range' });
  r = await putEvent('paris-spring', { starts_at_local: `${march}T02:30` });
  assert.deepEqual(r.json.error.fields, { starts_at_local: 'out_of_range' });

  // 02:30 on the October night shows twice: the first (CEST).
  r = await postJson(stack.base, '/api/v1/admin/events', {
    ...eventBody('paris-autumn'), timezone: 'Europe/Paris', starts_at: undefined, ends_at: undefined,
    starts_at_local: `${october}T02:30`, ends_at_local: `${october}T03:30`,
  }, { headers: staff });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.starts_at, `${october}T00:30:00Z`);
  assert.equal(r.json.ends_at, `${october}T02:30:00Z`, 'two hours, though the clocks show one');

  // A PUT in the venue's clock uses the stored zone, or the new one it sends.
  r = await putEvent('paris-autumn', { timezone: 'America/Sao_Paulo', starts_at_local: `${october}T10:00`, ends_at_local: `${october}T12:00` });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.starts_at, `${october}T13:00:00Z`);

  // Both forms of one time, a bad wall clock, an unknown zone: reasons.
  const cases = [
    [{ starts_at: iso(at(20 * DAY)), starts_at_local: '2030-01-01T10:00' }, { starts_at_local: 'invalid_choice' }],
    [{ starts_at_local: '2030-01-01T10:00Z' }, { starts_at_local: 'out_of_range' }],
    [{ starts_at_local: '2030-02-30T10:00' }, { starts_at_local: 'out_of_range' }],
    [{ starts_at_local: 1893492000 }, { starts_at_local: 'wrong_type' }],
    [{ starts_at_local: null }, { starts_at_local: 'required' }],
    [{ timezone: 'Mars/Olympus_Mons' }, { timezone: 'invalid_choice' }],
    [{ timezone: '../../etc/passwd' }, { timezone: 'invalid_choice' }],
    [{ ends_at_local: '2000-01-01T10:00' }, { ends_at_local: 'out_of_range' }],
  ];
  for (const [change, reasons] of cases) {
    r = await putEvent('paris-autumn', change);
    assert.equal(r.status, 422, `${JSON.stringify(change)}: ${r.status} ${r.text}`);
    assert.deepEqual(r.json.error.fields, reasons, JSON.stringify(change));
  }
  assert.equal((await eventOf('paris-autumn')).starts_at, `${october}T13:00:00Z`, 'nothing changed');
});

test('agenda and speaker fields are checked item by item: 422 with each reason, lengths at the limit pass, never a 5xx', async () => {
  const start = at(16 * DAY);
  const end = start + 4 * 3600e3;
  await createEvent('details-check', { starts_at: iso(start), ends_at: iso(end) });
  const item = (over) => agendaItem(start, 0, over);
  const speaker = (over) => ({ name: 'Ana', ...over });
  const cases = [
    [{ agenda: 'soon' }, { agenda: 'wrong_type' }],
    [{ agenda: {} }, { agenda: 'wrong_type' }],
    [{ speakers: 3 }, { speakers: 'wrong_type' }],
    [{ agenda: [42, null, []] }, { 'agenda.0': 'wrong_type', 'agenda.1': 'wrong_type', 'agenda.2': 'wrong_type' }],
    [{ agenda: Array.from({ length: 41 }, () => item()) }, { agenda: 'too_long' }],
    [{ speakers: Array.from({ length: 41 }, () => speaker()) }, { speakers: 'too_long' }],
    [{ agenda: [{}] }, { 'agenda.0.starts_at': 'required', 'agenda.0.title': 'required' }],
    [{ agenda: [item({ title: { es: 'Solo español' } })] }, { 'agenda.0.title.en': 'required', 'agenda.0.title.pt': 'required', 'agenda.0.title.fr': 'required' }],
    [{ agenda: [item(), item({ title: { ...words('x'), pt: 'p'.repeat(201) } })] }, { 'agenda.1.title.pt': 'too_long' }],
    [{ agenda: [item({ description: { fr: 'd'.repeat(2001) } })] }, { 'agenda.0.description.fr': 'too_long' }],
    [{ agenda: [item({ description: 'texto' })] }, { 'agenda.0.description': 'wrong_type' }],
    [{ agenda: [item({ title: { ...words('x'), es: 'Hola\u0007' } })] }, { 'agenda.0.title.es': 'invalid_utf8' }],
    [{ agenda: [item({ starts_at: 'mañana' })] }, { 'agenda.0.starts_at': 'out_of_range' }],
    [{ agenda: [item({ starts_at: iso(start - 60e3) })] }, { 'agenda.0.starts_at': 'out_of_range' }],
    [{ agenda: [item({ ends_at: iso(end + 60e3) })] }, { 'agenda.0.ends_at': 'out_of_range' }],
    [{ agenda: [item({ starts_at: iso(start + 3600e3), ends_at: iso(start + 1800e3) })] }, { 'agenda.0.ends_at': 'out_of_range' }],
    [{ speakers: [{}] }, { 'speakers.0.name': 'required' }],
    [{ speakers: [speaker({ name: 'n'.repeat(121) })] }, { 'speakers.0.name': 'too_long' }],
    [{ speakers: [speaker({ organisation: 'o'.repeat(161) })] }, { 'speakers.0.organisation': 'too_long' }],
    [{ speakers: [speaker({ role: { en: 'r'.repeat(201) } })] }, { 'speakers.0.role.en': 'too_long' }],
    [{ speakers: [speaker({ role: 'Minister' })] }, { 'speakers.0.role': 'wrong_type' }],
    [{ speakers: [speaker({ name: ['Ana'] })] }, { 'speakers.0.name': 'wrong_type' }],
    ...['https://example.org/a.jpg', 'img/a.jpg', '//evil.example/a.jpg', '/img/../secret.jpg', '/img/.hidden.png',
      '/api/v1/campaigns/icommit/counter.svg', '/img/a.gif', '/img/a b.jpg', "/img/a.jpg'onerror", 'javascript:alert(1)']
      .map((photo) => [{ speakers: [speaker({ photo })] }, { 'speakers.0.photo': 'invalid_choice' }]),
    [{ speakers: [speaker({ photo: `/img/${'p'.repeat(200)}.jpg` })] }, { 'speakers.0.photo': 'too_long' }],
  ];
  for (const [change, reasons] of cases) {
    const r = await putEvent('details-check', change);
    assert.equal(r.status, 422, `${JSON.stringify(change).slice(0, 120)}: ${r.status} ${r.text.slice(0, 300)}`);
    assert.equal(r.json.error.code, 'invalid');
    assert.deepEqual(r.json.error.fields, reasons, JSON.stringify(change).slice(0, 120));
  }
  assert.deepEqual((await eventOf('details-check')).agenda, [], 'nothing stored by a refused edit');

  // At the limits: 40 items and 40 speakers, every text at its longest.
  const long = (n, c) => c.repeat(n);
  const fullItem = (i) => ({
    starts_at: iso(start + i * 60e3), ends_at: iso(end),
    title: { es: long(200, 'á'), en: long(200, 'a'), pt: long(200, 'ã'), fr: long(200, 'é') },
    description: { es: long(2000, 'ñ'), en: long(2000, 'n'), pt: long(2000, 'ç'), fr: long(2000, 'è') },
  });
  // (One request stays under 64 KiB: the longest texts on a few items.)
  const agenda = Array.from({ length: 40 }, (_, i) => (i < 3 ? fullItem(i) : agendaItem(start, 0, { starts_at: iso(start + i * 60e3), ends_at: null })));
  const speakers = Array.from({ length: 40 }, (_, i) => ({
    name: i === 0 ? long(120, 'ü') : `Persona ${i}`,
    role: i === 0 ? { es: long(200, 'r'), en: 'x', pt: 'y', fr: 'z' } : { es: 'Rol' },
    organisation: i === 0 ? long(160, 'o') : null,
    photo: i === 0 ? `/img/speakers/${'a'.repeat(170)}.webp` : '/img/speakers/p.JPEG',
  }));
  const r = await putEvent('details-check', { agenda, speakers });
  assert.equal(r.status, 200, `${r.status} ${r.text.slice(0, 300)}`);
  assert.equal(r.json.agenda.length, 40);
  assert.equal(r.json.speakers.length, 40);
  assert.equal(r.json.agenda[0].description.pt, long(2000, 'ç'));
  assert.equal(r.json.speakers[0].name, long(120, 'ü'));

  // Junk of every shape: a 4xx, never a 5xx.
  const junk = [[[[[[[]]]]]], { agenda: [{ title: { es: { es: 1 } } }] }, { agenda: [{ starts_at_local: [] }] },
    { speakers: [{ role: { es: null, en: 5 } }] }, { agenda: [{ starts_at: 1e300 }] }, { speakers: [{ name: 'A', photo: '' }] }];
  for (const body of junk) {
    const j = await putEvent('details-check', { agenda: body.agenda ?? body, speakers: body.speakers });
    assert.ok(j.status >= 400 && j.status < 500, `${JSON.stringify(body)}: ${j.status} ${j.text}`);
  }
});

test('staff list every event (upcoming, full, closed, past) with GET /api/v1/admin/events; lowering the capacity seats nobody out', async () => {
  await createEvent('list-full', { capacity: 1, starts_at: iso(at(5 * DAY)), ends_at: iso(at(5 * DAY + 3600e3)) });
  assert.equal((await register('list-full', person('list-a'))).json.status, 'registered');
  assert.equal((await register('list-full', person('list-b'))).json.status, 'waitlisted');
  assert.equal((await register('list-full', person('list-c'))).json.status, 'waitlisted');
  await createEvent('list-closed', { registration_closes_at: iso(at(-60e3)), starts_at: iso(at(6 * DAY)), ends_at: iso(at(6 * DAY + 3600e3)) });
  await createEvent('list-past-old', { starts_at: iso(at(-40 * DAY)), ends_at: iso(at(-40 * DAY + 3600e3)) });
  await createEvent('list-past-new', { starts_at: iso(at(-4 * DAY)), ends_at: iso(at(-4 * DAY + 3600e3)) });

  const r = await staffGet('/api/v1/admin/events');
  assert.equal(r.status, 200, r.text);
  const items = r.json.items;
  assert.equal(items.length, rows('SELECT count(*) AS n FROM events')[0].n, 'every event');
  const slugs = items.map((e) => e.slug);
  // Not ended soonest first, then ended latest first.
  const ended = items.map((e) => Date.parse(e.ends_at) < Date.now());
  assert.deepEqual(ended, [...ended].sort((a, b) => a - b), 'the ended ones last');
  const firstEnded = ended.indexOf(true);
  const starts = items.map((e) => Date.parse(e.starts_at));
  const upcoming = starts.slice(0, firstEnded);
  assert.deepEqual(upcoming, [...upcoming].sort((a, b) => a - b));
  const past = starts.slice(firstEnded);
  assert.deepEqual(past, [...past].sort((a, b) => b - a));
  assert.ok(slugs.indexOf('list-past-new') < slugs.indexOf('list-past-old'));
  const full = items.find((e) => e.slug === 'list-full');
  assert.equal(full.status, 'full');
  assert.equal(full.registered, 1);
  assert.equal(full.waitlisted, 2);
  assert.equal(full.starts_at_local, new Intl.DateTimeFormat('sv', { timeZone: 'America/Santiago', dateStyle: 'short', timeStyle: 'short' }).format(new Date(full.starts_at)).replace(' ', 'T'));
  assert.equal(items.find((e) => e.slug === 'list-closed').status, 'closed');
  assert.equal(items.find((e) => e.slug === 'list-past-old').status, 'closed');
  // Staff only; the public list still shows the upcoming ones only.
  assert.equal((await get(stack.base, '/api/v1/admin/events')).status, 401);
  assert.equal((await get(stack.base, '/api/v1/admin/events/list-full')).status, 401);
  assert.equal((await staffGet('/api/v1/admin/events/no-such-event')).status, 404);
  assert.ok(!(await get(stack.base, '/api/v1/events')).json.items.some((e) => e.slug === 'list-past-new'));
  const post = await request(stack.base, 'DELETE', '/api/v1/admin/events', { headers: staff });
  assert.equal(post.status, 405);
  assert.match(post.headers.allow, /GET/);
  assert.match(post.headers.allow, /POST/);

  // Lowering the capacity below the seated: accepted, nobody loses a seat,
  // the event is full and the waitlist waits.
  await createEvent('list-shrink', { capacity: 3 });
  for (const t of ['shrink-a', 'shrink-b', 'shrink-c']) assert.equal((await register('list-shrink', person(t))).json.status, 'registered');
  const shrunk = await putEvent('list-shrink', { capacity: 1 });
  assert.equal(shrunk.status, 200, shrunk.text);
  assert.deepEqual([shrunk.json.capacity, shrunk.json.registered, shrunk.json.seats_left, shrunk.json.status], [1, 3, 0, 'full']);
  assert.equal(rows(`SELECT count(*) AS n FROM registrations WHERE event_id = ${eventId('list-shrink')} AND status = 'registered'`)[0].n, 3);
  assert.deepEqual((await register('list-shrink', person('shrink-d'))).json, { status: 'waitlisted', position: 1 });
  const negative = await putEvent('list-shrink', { capacity: -1 });
  assert.deepEqual(negative.json.error.fields, { capacity: 'out_of_range' });
});

// ---------------------------------------------------------------------------
// The event cache: the registration POST reads the event from memory
// (src/eventcache.c); a staff edit, committed by the daemon's writer, drops
// it, and the writer decides every registration on the event's row anyway.

test('an edit is what the very next registration reads: its mail, made on the worker, has the new title (the event cache hears the edit)', async () => {
  await createEvent('cache-edit');
  // A first registration puts the event in the cache.
  assert.equal((await register('cache-edit', person('cache-edit-1'))).status, 201);
  const title = words('Título nuevo');
  const r = await putEvent('cache-edit', { title });
  assert.equal(r.status, 200, r.text);
  const p = person('cache-edit-2');
  assert.equal((await register('cache-edit', p)).status, 201);
  const mail = await stack.waitForMail((m) => m.to.includes(p.email));
  assert.ok(mail.subject.includes(title.es), mail.subject);
  // Had the worker read the old event, the writer would have made the mail
  // again (and said so): right for the person, but the cache unheard.
  assert.doesNotMatch(stack.daemonLog(), /registration for event cache-edit: the event changed/);
});

test('capacity lowered, then registration closed, by staff: the very next registration is waitlisted, then refused', async () => {
  await createEvent('cache-close', { capacity: 5 });
  assert.equal((await register('cache-close', person('cache-close-1'))).status, 201);
  let r = await putEvent('cache-close', { capacity: 1 });
  assert.equal(r.status, 200, r.text);
  r = await register('cache-close', person('cache-close-2'));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json, { status: 'waitlisted', position: 1 });
  r = await putEvent('cache-close', { registration_closes_at: iso(at(-60e3)) });
  assert.equal(r.json.status, 'closed', r.text);
  r = await register('cache-close', person('cache-close-3'));
  assert.equal(r.status, 409, r.text);
  assert.equal(r.json.error.code, 'event_closed');
});
