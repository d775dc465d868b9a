// tests/e2e/run.test.mjs — scripts/run as a new user meets it (issue 16,
// item 13), started for real on a free port with its state in a temp dir:
// it prints the site, the staff login (which works) and where the mail is;
// the demo content is loaded; its local mail sink catches the confirmation
// mail, which /dev/mail/ lists (time, recipient, subject) and shows with
// its link, which confirms the pledge; /dev/mail exists on this stack only
// (the deploy template and a deploy-rendered site have none); a second run
// on the same state prints the same password and loads nothing twice; Ctrl-C
// (SIGTERM) leaves no process behind. With ICOMMIT_BACKEND=postgres the same
// of its PostgreSQL setup: a throwaway cluster in the state dir and two
// nodes behind nginx's upstream, each serving, all stopped by Ctrl-C.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startRun } from './lib/runscript.mjs';
import { startStack, repoRoot, icommitctlBin } from './lib/stack.mjs';
import { get, postJson, request } from './lib/http.mjs';
import { parseMail } from './lib/mail.mjs';
import { poll, sqlite } from './lib/pledge-helpers.mjs';
import { backend, isPostgresBackend } from './lib/db.mjs';

const START = { timeout: 300000 };
const REVIEWER = 'reviewer@run-test.example.net';

let run;

// The first node's configuration (the only one on SQLite).
const CONF = isPostgresBackend ? 'node-1.conf' : 'icommit.conf';
const SOCKETS = isPostgresBackend ? ['node-1.sock', 'node-2.sock'] : ['icommitd.sock'];

before(async () => {
  // The state dir, open to the postgres user that runs the cluster in it.
  const state = fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-run-'));
  fs.chmodSync(state, 0o755);
  run = await startRun({ state, env: { ICOMMIT_BACKEND: backend } });
}, START);

after(async () => {
  if (run) await run.stop();
  if (run?.state) fs.rmSync(run.state, { recursive: true, force: true });
});

const ctl = (...args) => spawnSync(icommitctlBin, ['-c', path.join(run.state, CONF), ...args], { encoding: 'utf8' });
/** The database: the SQLite file, or the URI every node's config names. */
const db = () => (isPostgresBackend
  ? /^database = (.*)$/m.exec(fs.readFileSync(path.join(run.state, CONF), 'utf8'))[1]
  : path.join(run.state, 'icommit.db'));

test('scripts/run prints the site, a staff login that works, where the mail is, and the demo', async () => {
  const p = run.printed;
  assert.equal(p.site, `http://localhost:${run.port}/`, run.output());
  assert.equal(p.staff, `http://localhost:${run.port}/admin/`);
  assert.equal(p.user, 'demo');
  assert.match(p.password, /^[a-z]+(-[a-z]+){3}-\d{2}$/);
  assert.equal(p.mail, `http://localhost:${run.port}/dev/mail/`);
  assert.match(p.demo, new RegExp(`^loaded \\(".*icommitctl -c .*/${CONF.replace('.', '\\.')} demo remove" takes it out\\)$`));
  // The password is kept for the next run, readable by its owner only.
  const file = path.join(run.state, 'demo-password');
  assert.equal(fs.readFileSync(file, 'utf8').trim(), p.password);
  assert.equal(fs.statSync(file).mode & 0o077, 0);

  const ok = await postJson(run.base, '/api/v1/admin/login', { username: p.user, password: p.password });
  assert.equal(ok.status, 200, ok.text);
  assert.ok(ok.json.csrf);
  const bad = await postJson(run.base, '/api/v1/admin/login', { username: p.user, password: `${p.password}x` });
  assert.equal(bad.status, 401);
});

test('PostgreSQL: a cluster in the state dir and two nodes behind one upstream, each serving', { skip: isPostgresBackend ? false : 'ICOMMIT_BACKEND=postgres only' }, async () => {
  assert.match(run.output(), /PostgreSQL: postgresql:\/\/\/icommit\?host=.*, 2 nodes: /);
  assert.ok(fs.existsSync(path.join(run.state, 'pg', 'data', 'postmaster.pid')), 'the cluster runs in the state dir');
  const conf1 = fs.readFileSync(path.join(run.state, 'node-1.conf'), 'utf8');
  const conf2 = fs.readFileSync(path.join(run.state, 'node-2.conf'), 'utf8');
  assert.equal(/^database = (.*)$/m.exec(conf2)[1], db(), 'both nodes on one database');
  assert.match(conf1, /^listen = unix:.*node-1\.sock$/m);
  assert.match(conf2, /^listen = unix:.*node-2\.sock$/m);
  const site = fs.readFileSync(path.join(run.state, 'nginx', 'site.conf'), 'utf8');
  const servers = [...site.matchAll(/^\s*server unix:([^\s;]+)/gm)].map((m) => path.basename(m[1]));
  assert.deepEqual(servers, SOCKETS);
  // Both nodes came up on it (each logs where it listens), and the site
  // answers through the upstream.
  for (const sock of SOCKETS) {
    assert.match(run.output(), new RegExp(`icommitd \\S+ ready: .* listening on unix:\\S*/${sock.replace('.', '\\.')}`), sock);
  }
  for (let i = 0; i < 8; i++) assert.equal((await get(run.base, '/api/v1/campaigns/icommit')).status, 200);
});

test('the demo content is loaded: counted pledges, the goal, two upcoming events', async () => {
  const c = await get(run.base, '/api/v1/campaigns/icommit');
  assert.equal(c.json.count, 37);
  assert.equal(c.json.goal, 250);
  const wall = await get(run.base, '/api/v1/campaigns/icommit/pledges?limit=100');
  assert.equal(wall.json.items.length, 33);
  const ev = await get(run.base, '/api/v1/events');
  assert.equal(ev.json.items.length, 2);
  assert.ok(ev.json.items.every((e) => Date.parse(e.starts_at) > Date.now()));
});

test('/dev/mail/ lists the confirmation mail, shows it with its link, and the link confirms the pledge', async () => {
  const redirect = await request(run.base, 'GET', '/dev/mail');
  assert.equal(redirect.status, 301);
  assert.match(redirect.headers.location, /\/dev\/mail\/$/);
  const empty = await get(run.base, '/dev/mail/');
  assert.equal(empty.status, 200);
  assert.match(empty.headers['content-type'], /^text\/html/);
  assert.match(empty.headers['content-security-policy'], /default-src 'self'/);
  assert.match(empty.text, /No mail yet/);

  const res = await postJson(run.base, '/api/v1/campaigns/icommit/pledges', {
    name: 'Revisora Demo', email: REVIEWER, actor_type: 'academia', country: 'PE',
    commitment: 'Revisaré el sitio de la campaña y confirmaré mi compromiso.', consent: true, public: true,
  });
  assert.equal(res.status, 202, res.text);

  // The sink keeps it as an .eml file in the state dir...
  const mailDir = path.join(run.state, 'mail');
  const eml = await poll(() => fs.readdirSync(mailDir).filter((n) => /^\d+\.eml$/.test(n)),
    (names) => names.length === 1, { timeoutMs: 20000, what: 'the mail in the sink' });
  const mail = parseMail(fs.readFileSync(path.join(mailDir, eml[0])));
  assert.equal(mail.to.replace(/[<>]/g, ''), REVIEWER);
  // ...and /dev/mail/ lists it: time, recipient, subject (a link to it).
  const list = await get(run.base, '/dev/mail/');
  const row = /<tr><td><time datetime="([^"]+)">[^<]+<\/time><\/td><td>([^<]+)<\/td><td><a href="(\d+\.html)">([^<]+)<\/a><\/td><\/tr>/.exec(list.text);
  assert.ok(row, list.text);
  assert.ok(Math.abs(Date.parse(row[1]) - Date.now()) < 10 * 60e3, `a recent time: ${row[1]}`);
  assert.equal(row[2], REVIEWER);
  assert.equal(row[4], mail.subject.replaceAll('&', '&amp;'));
  // The mail's page: its text with the confirmation link clickable.
  const one = await get(run.base, `/dev/mail/${row[3]}`);
  assert.equal(one.status, 200);
  const link = new RegExp(`<a href="(http://localhost:${run.port}/confirm\\.html\\?token=([A-Za-z0-9_-]+))">`).exec(one.text);
  assert.ok(link, one.text);
  // The whole message, as plain text.
  const raw = await get(run.base, `/dev/mail/${eml[0]}`);
  assert.equal(raw.status, 200);
  assert.match(raw.headers['content-type'], /^text\/plain/);
  assert.match(raw.text, /^Subject: /m);

  const c = await postJson(run.base, '/api/v1/confirm', { token: link[2] });
  assert.equal(c.status, 200, c.text);
  assert.equal(c.json.count, 38);
  // Delivered, so nothing waits; no address in what scripts/run printed
  // (the daemon's log) or in the sink's log.
  const mq = ctl('mail-queue');
  assert.equal(mq.status, 0, mq.stderr);
  assert.match(mq.stdout, /^0 mails waiting$/m);
  assert.ok(!run.output().includes(REVIEWER), 'no address in the output of scripts/run');
  assert.ok(!fs.readFileSync(path.join(run.state, 'mail-sink.log'), 'utf8').includes(REVIEWER), 'no address in the sink log');
});

test('/dev/mail is a location of the run stack only: not in the deploy template, nor a deployed site', async () => {
  const template = fs.readFileSync(path.join(repoRoot, 'deploy/nginx/icommit.conf.in'), 'utf8');
  assert.ok(!template.includes('/dev/mail'), 'the template has no /dev/mail');
  // The site file a deployment renders (docs/deploy.md's command).
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-site-')), 'icommit');
  const env = { ...process.env };
  delete env.ICOMMIT_NGINX_INCLUDE;
  const r = spawnSync('bash', [path.join(repoRoot, 'scripts/lib/nginx-conf.sh'), 'site', out, '80',
    'pledge.example.org', '/srv/icommit/www', '/run/icommit/icommitd.sock', '/var/cache/nginx/icommit'],
  { encoding: 'utf8', env });
  assert.equal(r.status, 0, r.stderr);
  const site = fs.readFileSync(out, 'utf8');
  fs.rmSync(path.dirname(out), { recursive: true, force: true });
  assert.ok(!site.includes('/dev/mail') && !site.includes('@RUN_INCLUDE@'), 'the deployed site has no /dev/mail');
  assert.deepEqual(site.match(/^\s*include\s.*$/gm).map((l) => l.trim()), ['include fastcgi_params;']);
  // The run stack's site includes its own locations, which hold /dev/mail.
  const runSite = fs.readFileSync(path.join(run.state, 'nginx', 'site.conf'), 'utf8');
  assert.ok(runSite.includes(`include ${path.join(run.state, 'nginx-dev.conf')};`));
  assert.match(fs.readFileSync(path.join(run.state, 'nginx-dev.conf'), 'utf8'), /location \^~ \/dev\/mail\//);
  // A stack rendered as a deployment answers 404 there.
  const stack = await startStack();
  try {
    for (const p of ['/dev/mail', '/dev/mail/', '/dev/mail/index.html']) {
      const res = await get(stack.base, p);
      assert.equal(res.status, 404, `${p} on a deployed site: ${res.status}`);
    }
  } finally {
    await stack.stop();
  }
});

test('Ctrl-C stops everything; a second run keeps the password and loads nothing twice', START, async () => {
  const password = run.printed.password;
  const state = run.state;
  let res = await run.stop();
  assert.equal(res.code, 143, `scripts/run exits as on Ctrl-C: ${JSON.stringify(res)}`);
  assert.deepEqual(res.leftover, [], 'no process of scripts/run is left');
  for (const sock of SOCKETS) assert.ok(!fs.existsSync(path.join(state, sock)), `the daemon removed ${sock}`);
  if (isPostgresBackend) {
    assert.ok(!fs.existsSync(path.join(state, 'pg', 'data', 'postmaster.pid')), 'PostgreSQL stopped');
  }

  run = await startRun({ state, env: { ICOMMIT_BACKEND: backend } });
  assert.equal(run.printed.password, password);
  const ok = await postJson(run.base, '/api/v1/admin/login', { username: 'demo', password });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(sqlite(db(), 'SELECT count(*) FROM pledges WHERE demo = 1;'), '40');
  assert.equal(sqlite(db(), 'SELECT count(*) FROM events;'), '2');
  assert.equal(sqlite(db(), "SELECT count(*) FROM users WHERE username = 'demo';"), '1');
  const c = await get(run.base, '/api/v1/campaigns/icommit');
  assert.equal(c.json.count, 38, 'the demo and the reviewer, once each');
  res = await run.stop();
  assert.deepEqual(res.leftover, []);
});
