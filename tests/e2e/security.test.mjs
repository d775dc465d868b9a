// tests/e2e/security.test.mjs: security properties through real nginx and
// the real daemon — GET never changes state (a confirmation token in a GET
// confirms nothing), the public API never returns an e-mail address (a walk
// over every public endpoint), the headers nginx adds (strict CSP,
// frame-ancestors except for the embeddable files, Referrer-Policy, nosniff),
// HSTS in the deploy config, no cookies on the public API, and no personal
// data (e-mail, name, client address, token) in the daemon's log.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack, repoRoot } from './lib/stack.mjs';
import { request, get, postJson, headerValues } from './lib/http.mjs';
import { queuedMailText } from './lib/staff.mjs';
import { JSON_TYPE, PLEDGES, sqlite } from './lib/fault-helpers.mjs';

const CONFIRM = '/api/v1/confirm';
const STRICT_REFERRER = ['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'];
const EMBEDDABLE = new Set(['/embed.html', '/widget.js']);

// People whose data must never come back out. Distinctive strings, so a
// match anywhere is a leak.
const PEOPLE = [
  { name: 'Zoraida Quintanilla Vexmoor', email: 'zq.vexmoor.71k@hidden-mail.example', country: 'CL', actor_type: 'government', category: 'fleet', ip: '203.0.113.71' },
  { name: 'Oduya Brennick-Salt', email: 'oduya.brennick+wall@hidden-mail.example', country: 'MX', actor_type: 'finance', category: 'finance', ip: '203.0.113.72' },
  { name: 'Maëlys Tørnqvist', email: 'Maelys.Tornqvist.93x@Other-Hidden.example', country: 'BR', actor_type: 'civil_society', category: 'charging', ip: '2001:db8:77:1::9' },
  { name: 'Ixchel Paredes Umbry', email: 'ixchel.umbry.44q@hidden-mail.example', country: 'CO', actor_type: 'private_sector', category: 'public_transport', ip: '198.51.100.73' },
  // Not public: never on the wall, but counted and in the stats.
  { name: 'Hidalgo Private Wexfield', email: 'hidalgo.wexfield.12p@hidden-mail.example', country: 'PE', actor_type: 'individual', category: 'policy', ip: '198.51.100.74', public: false },
];

/** Every string whose appearance in a public answer or the log is a leak. */
function secretsOf(p) {
  const [local, domain] = p.email.split('@');
  const out = [p.email, local, local.split('+')[0], `@${domain}`];
  return out.flatMap((x) => [x, x.toLowerCase()]);
}
const ALL_EMAIL_SECRETS = [...new Set(PEOPLE.flatMap(secretsOf))];

function assertNoEmail(text, what) {
  const lower = String(text).toLowerCase();
  for (const secret of ALL_EMAIL_SECRETS) {
    assert.ok(!lower.includes(secret.toLowerCase()), `${what} contains ${JSON.stringify(secret)}: ${String(text).slice(0, 300)}`);
  }
  // Nor JSON-escaped or percent-encoded forms of the at sign next to a domain.
  assert.ok(!/hidden-mail|other-hidden/i.test(text), `${what} contains a pledger's mail domain`);
}

/** Keys anywhere in a JSON value that look like an e-mail field. */
function mailKeys(v, at = '$') {
  if (Array.isArray(v)) return v.flatMap((x, i) => mailKeys(x, `${at}[${i}]`));
  if (v && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) => [...(/mail/i.test(k) ? [`${at}.${k}`] : []), ...mailKeys(x, `${at}.${k}`)]);
  }
  return [];
}

/** The confirmation token mailed (queued in the outbox) to address. */
function tokenFor(dbPath, address) {
  const m = /[?&]token=([A-Za-z0-9_-]{20,})/.exec(queuedMailText(dbPath, address));
  assert.ok(m, `no token link in the mail to ${address}`);
  return m[1];
}

const pledgeStatus = (dbPath, address) => sqlite(dbPath, `SELECT status FROM pledges WHERE lower(email) = lower('${address}');`);
const pledgeRows = (dbPath) => Number(sqlite(dbPath, 'SELECT count(*) FROM pledges;'));

function pledgeOf(p) {
  return {
    name: p.name, email: p.email, actor_type: p.actor_type, country: p.country, category: p.category,
    city: 'Ciudad', organisation: 'Org', commitment: 'Electrificar la flota municipal de buses antes de 2030',
    quantity: 12, unit: 'buses', target_year: 2030, public: p.public !== false, consent: true, language: 'es',
  };
}

describe('security', () => {
  let s;
  const publicAnswers = []; // [what, response] of everything the public got back
  const tokens = new Map();

  before(async () => {
    s = await startStack({ config: { moderation: 'no', verify_email: 'yes' } });
    for (const p of PEOPLE) {
      const res = await postJson(s.base, PLEDGES, pledgeOf(p), { headers: { 'X-Forwarded-For': p.ip } });
      assert.equal(res.status, 202, `${p.email}: ${res.text}`);
      publicAnswers.push([`POST pledge (${p.email})`, res]);
      tokens.set(p.email, tokenFor(s.dbPath, p.email));
    }
  });
  after(async () => {
    await s?.stop();
  });

  describe('no state change on GET', () => {
    it('GET and HEAD on the POST-only confirm route are 405 with Allow: POST', async () => {
      for (const method of ['GET', 'HEAD']) {
        const res = await request(s.base, method, CONFIRM);
        assert.equal(res.status, 405, `${method}: ${res.text}`);
        assert.equal(res.headers['content-type'], JSON_TYPE);
        assert.deepEqual(res.headers.allow?.split(/\s*,\s*/), ['POST'], `${method} Allow: ${res.headers.allow}`);
      }
    });

    it('a confirmation token in a GET (API or page) confirms nothing', async () => {
      const p = PEOPLE[0];
      const token = tokens.get(p.email);
      const count = (await get(s.base, '/api/v1/campaigns/icommit')).json.count;
      for (const [method, url] of [
        ['GET', `${CONFIRM}?token=${token}`],
        ['HEAD', `${CONFIRM}?token=${token}`],
        ['OPTIONS', `${CONFIRM}?token=${token}`],
        ['GET', `/confirm.html?token=${token}`],
        ['GET', `/?token=${token}`],
        ['GET', `/api/v1/campaigns/icommit?token=${token}`],
        ['GET', `/api/v1/campaigns/icommit/pledges?token=${token}`],
        ['GET', `/api/v1/campaigns/icommit/counter?token=${token}`],
      ]) {
        const res = await request(s.base, method, url);
        assert.ok(res.status < 500, `${method} ${url}: ${res.status}`);
        assert.ok(!(res.status >= 200 && res.status < 300 && url.startsWith(CONFIRM)), `${method} ${url} succeeded: ${res.status}`);
      }
      assert.equal(pledgeStatus(s.dbPath, p.email), 'pending_confirmation', 'a GET confirmed the pledge');
      assert.equal((await get(s.base, '/api/v1/campaigns/icommit')).json.count, count, 'a GET changed the count');
    });

    it('a GET carrying a whole pledge in its query creates nothing', async () => {
      const rows = pledgeRows(s.dbPath);
      const q = new URLSearchParams({ ...pledgeOf(PEOPLE[1]), email: 'get.pledge.9z@hidden-mail.example', consent: 'true' });
      for (const method of ['GET', 'HEAD']) {
        const res = await request(s.base, method, `${PLEDGES}?${q}`);
        assert.ok([200, 400].includes(res.status), `${method}: ${res.status} ${res.text.slice(0, 200)}`);
      }
      assert.equal(pledgeRows(s.dbPath), rows, 'a GET stored a pledge');
    });

    it('the token confirms through POST (so it was valid all along)', async () => {
      for (const p of PEOPLE) {
        const res = await postJson(s.base, CONFIRM, { token: tokens.get(p.email) });
        assert.equal(res.status, 200, `${p.email}: ${res.text}`);
        assert.equal(res.json.status, 'confirmed');
        publicAnswers.push([`POST confirm (${p.email})`, res]);
      }
      assert.equal(pledgeStatus(s.dbPath, PEOPLE[0].email), 'confirmed');
    });
  });

  describe('the public API never returns an e-mail address', () => {
    it('every public GET endpoint, every wall filter and page', async () => {
      const paths = [
        '/api/v1/health', '/api/v1/campaigns', '/api/v1/campaigns/icommit',
        '/api/v1/campaigns/icommit/pledges', '/api/v1/campaigns/icommit/pledges?limit=100',
        '/api/v1/campaigns/icommit/counter', '/api/v1/campaigns/icommit/stats', '/api/v1/campaigns/icommit/qr.svg',
        ...['es', 'en', 'pt', 'fr'].map((l) => `/api/v1/campaigns/icommit/counter.svg?lang=${l}`),
      ];
      for (const p of PEOPLE) {
        paths.push(`/api/v1/campaigns/icommit/pledges?country=${p.country}`);
        paths.push(`/api/v1/campaigns/icommit/pledges?actor_type=${p.actor_type}`);
        paths.push(`/api/v1/campaigns/icommit/pledges?category=${p.category}`);
        paths.push(`/api/v1/campaigns/icommit/pledges?country=${p.country}&actor_type=${p.actor_type}&category=${p.category}&limit=1`);
      }
      for (const p of paths) {
        const res = await get(s.base, p);
        assert.equal(res.status, 200, `${p}: ${res.status} ${res.text.slice(0, 200)}`);
        publicAnswers.push([`GET ${p}`, res]);
      }
      // Page through the wall one pledge at a time.
      let next = null;
      let pages = 0;
      const seen = new Set();
      do {
        const res = await get(s.base, `/api/v1/campaigns/icommit/pledges?limit=1${next ? `&before=${encodeURIComponent(next)}` : ''}`);
        assert.equal(res.status, 200, res.text);
        publicAnswers.push([`GET wall page ${pages}`, res]);
        for (const item of res.json.items) seen.add(item.name);
        next = res.json.next;
        pages++;
      } while (next && pages < 20);
      // The wall does show the public pledges (the walk saw real data) ...
      for (const p of PEOPLE.filter((x) => x.public !== false)) assert.ok(seen.has(p.name), `${p.name} is not on the wall`);
      // ... and not the private one.
      assert.ok(!seen.has(PEOPLE.at(-1).name), 'a pledge with public=false is on the wall');
      const stats = await get(s.base, '/api/v1/campaigns/icommit/stats');
      assert.equal(stats.json.count, PEOPLE.length, `stats: ${stats.text}`);

      for (const [what, res] of publicAnswers) {
        assertNoEmail(res.text, what);
        assertNoEmail(JSON.stringify(res.rawHeaders), `${what} (headers)`);
        if (res.json !== undefined) assert.deepEqual(mailKeys(res.json), [], `${what}: e-mail-like keys`);
      }
    });

    it('replies to repeats, bad input and form posts do not echo the address', async () => {
      const p = PEOPLE[2];
      const answers = [];
      answers.push(['repeat', await postJson(s.base, PLEDGES, pledgeOf(p), { headers: { 'X-Forwarded-For': p.ip } })]);
      answers.push(['bad address', await postJson(s.base, PLEDGES, { ...pledgeOf(p), email: 'zq.vexmoor.71k@@hidden-mail.example' })]);
      answers.push(['bad field', await postJson(s.base, PLEDGES, { ...pledgeOf(p), country: 'ZZ' })]);
      answers.push(['form', await request(s.base, 'POST', PLEDGES, {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ ...pledgeOf(PEOPLE[3]), email: 'ixchel.umbry.44q@hidden-mail.example', consent: 'on', public: 'on', return: '/' }).toString(),
      })]);
      // The newsletter and the privacy endpoints, known address or not.
      for (const email of [p.email, 'quillon.abra.17x@hidden-mail.example']) {
        answers.push([`newsletter ${email}`, await postJson(s.base, '/api/v1/newsletter', { email, consent: true })]);
        answers.push([`newsletter bad ${email}`, await postJson(s.base, '/api/v1/newsletter', { email, consent: false })]);
        answers.push([`privacy request ${email}`, await postJson(s.base, '/api/v1/privacy/request', { email })]);
      }
      for (const ep of ['/api/v1/privacy/export', '/api/v1/privacy/erase', '/api/v1/newsletter/unsubscribe']) {
        answers.push([ep, await postJson(s.base, ep, { token: 'A'.repeat(43) })]);
      }
      for (const [what, res] of answers) {
        assert.ok(res.status < 500, `${what}: ${res.status}`);
        assertNoEmail(res.text, what);
        assertNoEmail(JSON.stringify(res.rawHeaders), `${what} (headers)`);
      }
    });
  });

  describe('comments and consultants do not echo addresses', () => {
    it('new, repeated, bad and form posts to /comments and /consultants answer without the address', async () => {
      const email = 'quillon.marrow.83z@hidden-mail.example';
      const comment = { name: 'Quillon', email, topic: 'general', message: 'Una consulta sobre la campaña.', consent: true };
      const consultant = {
        name: 'Quillon', email, expertise: ['grid'], languages: ['es'], consent: true,
        bio: 'Veinte años en redes eléctricas, recarga pública y planificación de flotas de buses.',
      };
      const answers = [];
      for (const [ep, body] of [['comments', comment], ['consultants', consultant]]) {
        const path = `/api/v1/${ep}`;
        answers.push([`${ep} new`, await postJson(s.base, path, body)]);
        answers.push([`${ep} repeat`, await postJson(s.base, path, body)]);
        answers.push([`${ep} bad field`, await postJson(s.base, path, { ...body, consent: false })]);
        answers.push([`${ep} form`, await request(s.base, 'POST', path, {
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ ...body, consent: 'on', return: '/contact.html' }).toString(),
        })]);
      }
      for (const [what, res] of answers) {
        assert.ok(res.status < 500, `${what}: ${res.status}`);
        assertNoEmail(res.text, what);
        assertNoEmail(JSON.stringify(res.rawHeaders), `${what} (headers)`);
      }
      assert.equal(answers[0][1].text, answers[1][1].text, 'a repeat comment answers alike');
      assert.equal(answers[4][1].text, answers[5][1].text, 'a repeat registration answers exactly like a new one');
    });
  });

  describe('headers through nginx', () => {
    const pages = [];
    const assets = [];
    before(() => {
      const walk = (dir) => {
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (e.name.startsWith('.')) continue;
          // The page frame's partials are only for SSI includes: nginx
          // answers them with the 404 page (tests/e2e/frame.test.mjs); they
          // are checked here as part of every page that includes them.
          if (e.isDirectory() && full === path.join(s.wwwRoot, '_frame')) continue;
          if (e.isDirectory()) walk(full);
          else {
            const url = `/${path.relative(s.wwwRoot, full).split(path.sep).join('/')}`;
            (url.endsWith('.html') ? pages : assets).push(url);
          }
        }
      };
      walk(s.wwwRoot);
      pages.push('/');
    });

    /** CSP directives as a map name -> [sources]. */
    function csp(res) {
      const values = headerValues(res, 'Content-Security-Policy');
      assert.equal(values.length, 1, `one CSP header: ${JSON.stringify(values)}`);
      return new Map(values[0].split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map(([k, ...v]) => [k.toLowerCase(), v]));
    }

    it('every page has a strict CSP: default-src \'self\', no unsafe script sources, no plugins', async () => {
      assert.ok(pages.length >= 2, `pages found: ${pages}`);
      for (const p of pages) {
        const res = await get(s.base, p);
        assert.equal(res.status, 200, `${p}: ${res.status}`);
        const d = csp(res);
        assert.deepEqual(d.get('default-src'), ["'self'"], `${p}: default-src ${d.get('default-src')}`);
        const script = d.get('script-src') ?? d.get('default-src');
        for (const bad of ["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", '*', 'data:', 'http:', 'https:']) {
          assert.ok(!script.includes(bad), `${p}: script-src allows ${bad}`);
        }
        assert.deepEqual(d.get('object-src'), ["'none'"], `${p}: object-src`);
        assert.ok(d.has('base-uri'), `${p}: no base-uri`);
        assert.ok(d.has('form-action'), `${p}: no form-action`);
      }
    });

    it("every page but embed.html forbids framing (frame-ancestors 'none'); embed.html and widget.js may be framed", async () => {
      for (const p of [...pages, '/widget.js']) {
        const res = await get(s.base, p);
        const fa = csp(res).get('frame-ancestors');
        if (EMBEDDABLE.has(p)) {
          assert.ok(fa === undefined || !fa.includes("'none'"), `${p}: frame-ancestors ${fa}`);
          assert.equal(res.headers['x-frame-options'], undefined, `${p}: X-Frame-Options`);
        } else {
          assert.deepEqual(fa, ["'none'"], `${p}: frame-ancestors ${fa}`);
          assert.equal(res.headers['x-frame-options'], 'DENY', `${p}: X-Frame-Options`);
        }
      }
    });

    it('everything carries nosniff once and a strict Referrer-Policy: pages, assets, API answers, errors', async () => {
      const requests = [
        ...pages.map((p) => ['GET', p]),
        ...assets.map((p) => ['GET', p]),
        ['GET', '/api/v1/health'], ['GET', '/api/v1/campaigns/icommit/counter'], ['GET', '/api/v1/campaigns/icommit/counter'],
        ['GET', '/api/v1/campaigns/icommit/counter.svg'], ['GET', '/api/v1/campaigns/icommit/qr.svg'],
        ['GET', '/api/v1/nope'], ['DELETE', '/api/v1/campaigns'], ['GET', '/no-such-page.html'], ['GET', '/.git/config'],
        ['POST', CONFIRM],
      ];
      for (const [method, p] of requests) {
        const res = await request(s.base, method, p);
        assert.ok(res.status < 500, `${method} ${p}: ${res.status}`);
        assert.deepEqual(headerValues(res, 'X-Content-Type-Options'), ['nosniff'], `${method} ${p} (${res.status})`);
        const rp = headerValues(res, 'Referrer-Policy');
        assert.equal(rp.length, 1, `${method} ${p}: Referrer-Policy ${JSON.stringify(rp)}`);
        assert.ok(STRICT_REFERRER.includes(rp[0]), `${method} ${p}: Referrer-Policy ${rp[0]}`);
        assert.ok(headerValues(res, 'Content-Security-Policy').length === 1, `${method} ${p}: CSP`);
        assert.match(res.headers.server ?? 'nginx', /^nginx$/, `${method} ${p}: Server reveals a version: ${res.headers.server}`);
      }
    });

    it('the public API sets no cookies and allows no credentialed cross-origin reads', async () => {
      const answers = [
        await get(s.base, '/api/v1/campaigns/icommit'),
        await get(s.base, '/api/v1/campaigns/icommit/counter', { headers: { Origin: 'https://evil.example' } }),
        await postJson(s.base, PLEDGES, { name: 'x' }, { headers: { Origin: 'https://evil.example' } }),
        await postJson(s.base, CONFIRM, { token: 'x' }, { headers: { Origin: 'https://evil.example' } }),
        await request(s.base, 'OPTIONS', PLEDGES, { headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' } }),
      ];
      for (const res of answers) {
        assert.equal(res.headers['set-cookie'], undefined, `Set-Cookie on a public answer: ${res.headers['set-cookie']}`);
        assert.equal(res.headers['access-control-allow-credentials'], undefined, 'Access-Control-Allow-Credentials');
        const acao = res.headers['access-control-allow-origin'];
        assert.ok(acao === undefined || acao === '*', `Access-Control-Allow-Origin reflects the origin: ${acao}`);
      }
      // Only the embeddable read-only answers are open to other origins.
      assert.equal(answers[2].headers['access-control-allow-origin'], undefined, 'the pledge POST is open cross-origin');
      assert.equal(answers[4].status, 405, `OPTIONS preflight: ${answers[4].status}`);
    });

    it('the deploy config carries HSTS (one year, subdomains), ready for TLS', () => {
      const text = fs.readFileSync(path.join(repoRoot, 'deploy/nginx/icommit.conf.in'), 'utf8');
      const m = /^\s*#?\s*add_header\s+Strict-Transport-Security\s+"([^"]+)"\s+always\s*;/m.exec(text);
      assert.ok(m, 'no Strict-Transport-Security add_header line in deploy/nginx/icommit.conf.in');
      const maxAge = /max-age=(\d+)/.exec(m[1]);
      assert.ok(maxAge && Number(maxAge[1]) >= 31536000, `HSTS max-age: ${m[1]}`);
      assert.match(m[1], /includeSubDomains/i, `HSTS: ${m[1]}`);
    });
  });

  describe('logs', () => {
    // Before the next test, which puts an address in a path on purpose: nginx
    // logs paths (not queries), so a client who types personal data into a
    // URL finds it there; the daemon withholds such paths.
    it("nginx's access log has no e-mail, token or full client address", () => {
      const access = path.join(s.dir, 'nginx', 'access.log');
      const log = fs.existsSync(access) ? fs.readFileSync(access, 'utf8') : '';
      assert.ok(log.length > 0, 'no access log');
      const lower = log.toLowerCase();
      for (const secret of [...ALL_EMAIL_SECRETS, ...tokens.values(), 'token=', '127.0.0.1']) {
        assert.ok(!lower.includes(secret.toLowerCase()), `the access log contains ${JSON.stringify(secret)}`);
      }
    });
    it("the daemon's log has no e-mail, name, client address or token of the requests made", async () => {
      // Personal data in places that are easy to log by mistake.
      const p = PEOPLE[0];
      await get(s.base, `/api/v1/campaigns/icommit/pledges?email=${encodeURIComponent(p.email)}&name=${encodeURIComponent(p.name)}`, { headers: { 'X-Forwarded-For': p.ip } });
      const echoed = await get(s.base, `/api/v1/campaigns/${encodeURIComponent(p.email)}`, { headers: { 'X-Forwarded-For': p.ip } });
      assert.equal(echoed.status, 404);
      assertNoEmail(echoed.text, 'a 404 with the address in the path');
      await request(s.base, 'POST', PLEDGES, {
        headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': p.ip },
        body: `{"name":"${p.name}","email":"${p.email}"`,
      });
      await postJson(s.base, PLEDGES, { ...pledgeOf(p), website: 'http://spam.example' }, { headers: { 'X-Forwarded-For': p.ip } });
      const log = s.daemonLog();
      assert.ok(log.length > 0, 'the daemon logged nothing');
      assert.match(log, /POST \S+ 20[0-2]/, 'the log has the access lines (the requests reached it)');
      const secrets = [...ALL_EMAIL_SECRETS, ...PEOPLE.flatMap((x) => [x.name, ...x.name.split(' ').filter((w) => w.length > 5), x.ip]), ...tokens.values()];
      const lower = log.toLowerCase();
      for (const secret of secrets) {
        assert.ok(!lower.includes(secret.toLowerCase()), `the daemon log contains ${JSON.stringify(secret)}:\n${log.split('\n').filter((l) => l.toLowerCase().includes(secret.toLowerCase())).slice(0, 3).join('\n')}`);
      }
    });

  });
});
