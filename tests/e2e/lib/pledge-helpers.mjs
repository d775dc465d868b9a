// tests/e2e/lib/pledge-helpers.mjs: helpers of the pledge suite — queries
// on the database (db.mjs: sqlite3 or psql), extra campaigns as fixtures,
// pledge bodies, confirmation tokens taken from mails, polling through
// nginx's micro-cache, the text of an SVG read by a real XML parser, and
// stopping/restarting a stack's SMTP sink.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { query } from './db.mjs';
import { get } from './http.mjs';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** The pledge collection of a campaign. */
export const pledgesPath = (slug = 'icommit') => `/api/v1/campaigns/${slug}/pledges`;

/** Runs sql on a stack's database (db.mjs query); returns trimmed output, throws on error. */
export function sqlite(db, sql, { json = false } = {}) {
  return query(db, sql, { json, timeoutMs: 10000 });
}

/** An SQL string literal. */
export const q = (s) => `'${String(s).replaceAll("'", "''")}'`;

/**
 * Adds a campaign straight into the database (a test fixture: there is no
 * public way to create one). opensAt/closesAt are seconds since the epoch.
 */
export function addCampaign(dbPath, slug, { goal = null, opensAt = null, closesAt = null, paused = 0 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const lit = (v) => (v === null ? 'NULL' : String(v));
  sqlite(dbPath, `INSERT INTO campaigns (slug, title_es, title_en, title_pt, title_fr,
      goal, opens_at, closes_at, paused, created_at, updated_at)
    VALUES (${q(slug)}, ${q(`Campaña ${slug}`)}, ${q(`Campaign ${slug}`)}, ${q(`Campanha ${slug}`)},
      ${q(`Campagne ${slug}`)}, ${lit(goal)}, ${lit(opensAt)}, ${lit(closesAt)}, ${paused}, ${now}, ${now});`);
}

/** Rows of the pledges table as objects (columns: `cols`), by SQL condition. */
export function pledgeRows(dbPath, where, cols = ['id', 'status', 'name', 'email', 'email_key']) {
  const out = sqlite(dbPath, `SELECT ${cols.join(', ')} FROM pledges WHERE ${where} ORDER BY id;`, { json: true });
  return out ? JSON.parse(out) : [];
}

/**
 * A complete, valid pledge for person `tag`: a distinctive name and address
 * (so that the log check can look for them), overridden by extra.
 */
export function pledgeBody(tag, extra = {}) {
  return {
    name: `Xiomara Quellón ${tag}`,
    email: `${tag}@pledge-test.example.org`,
    actor_type: 'individual',
    country: 'CL',
    commitment: 'Me comprometo a usar solo transporte público eléctrico.',
    consent: true,
    ...extra,
  };
}

/** Asserts the API's JSON error envelope with this status and code. */
export function assertJsonError(res, status, code, what = '') {
  const label = `${what} -> ${res.status} ${String(res.text ?? '').slice(0, 300)}`;
  assert.equal(res.status, status, label);
  assert.equal(res.headers['content-type'], JSON_TYPE, `content-type: ${label}`);
  assert.ok(res.json && typeof res.json.error === 'object' && res.json.error !== null, `no error envelope: ${label}`);
  assert.equal(res.json.error.code, code, label);
  assert.equal(typeof res.json.error.message, 'string', label);
  assert.ok(res.json.error.message.length > 0, label);
}

/**
 * Calls fn() every intervalMs until pred(value) holds; returns that value.
 * On timeout fails with `what` and the last value.
 */
export async function poll(fn, pred, { timeoutMs = 10000, intervalMs = 200, what = 'condition' } = {}) {
  const until = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (pred(last)) return last;
    if (Date.now() > until) {
      const shown = last && typeof last === 'object' && 'status' in last && 'text' in last
        ? `${last.status} ${last.text.slice(0, 300)}` : JSON.stringify(last)?.slice(0, 300);
      assert.fail(`${what}: not within ${timeoutMs} ms (last: ${shown})`);
    }
    await sleep(intervalMs);
  }
}

/**
 * A micro-cached endpoint's current JSON: waits out the cache's second,
 * then skips answers nginx serves stale while it refreshes its copy.
 */
export async function freshJson(stack, apiPath) {
  await sleep(1100);
  for (let i = 0; ; i++) {
    const r = await get(stack.base, apiPath);
    assert.equal(r.status, 200, `${apiPath}: ${r.status} ${r.text}`);
    if (!/STALE|UPDATING/.test(r.headers['x-micro-cache'] || '') || i >= 20) return r.json;
    await sleep(200);
  }
}

/** The envelope recipients of a sink mail (X-RcptTo), lower-cased. */
export function recipients(mail) {
  return String(mail.headers['x-rcptto'] ?? mail.to ?? '')
    .split(',').map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase());
}

/** The mails the sink holds for address. */
export function mailsTo(stack, address) {
  const a = address.toLowerCase();
  return stack.mails().filter((m) => recipients(m).includes(a));
}

/** Waits for the n-th mail to address (n = 1: the first); returns it. */
export async function waitMailTo(stack, address, { n = 1, timeoutMs = 15000 } = {}) {
  const all = await poll(async () => mailsTo(stack, address), (list) => list.length >= n,
    { timeoutMs, intervalMs: 100, what: `mail #${n} to ${address}` });
  return all[n - 1];
}

/** The confirmation link and its token in a mail's text, or null. */
export function confirmLink(text) {
  const m = /(\S+\/confirm\.html\?token=([A-Za-z0-9_-]+))/.exec(text ?? '');
  return m ? { url: m[1], token: m[2] } : null;
}

/** The raw (undecoded) value of the first header `name` of a raw message. */
export function rawHeader(raw, name) {
  const head = raw.split(/\r?\n\r?\n/)[0];
  const re = new RegExp(`^${name}:([^\\r\\n]*(?:\\r?\\n[ \\t][^\\r\\n]*)*)`, 'im');
  const m = re.exec(head);
  return m ? m[1].replace(/\r?\n/g, '').trim() : null;
}

/**
 * Parses an SVG with Python's XML parser (so it must be well-formed) and
 * returns { title, texts }: the text of <title> and of each <text>.
 */
export function svgText(svg) {
  const script = `
import json, sys, xml.dom.minidom as m
doc = m.parseString(sys.stdin.buffer.read())
def text(n):
    return ''.join(c.data if c.nodeType == c.TEXT_NODE else text(c) for c in n.childNodes)
print(json.dumps({'root': doc.documentElement.tagName,
  'title': [text(t) for t in doc.getElementsByTagName('title')],
  'texts': [text(t) for t in doc.getElementsByTagName('text')]}))
`;
  const r = spawnSync('/usr/bin/python3', ['-c', script], { input: svg, encoding: 'utf8' });
  assert.equal(r.status, 0, `the SVG is not well-formed XML: ${r.stderr}\n${svg}`);
  return JSON.parse(r.stdout);
}

/** icommitctl mail-queue, parsed: { rows: [{id, kind, queued, attempts, next, recipient, subject, error}], waiting }. */
export async function mailQueue(stack) {
  const r = await stack.ctl('mail-queue');
  assert.equal(r.code, 0, `icommitctl mail-queue: ${r.stderr}`);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'id\tkind\tqueued\tattempts\tnext attempt\trecipient\tsubject\tlast error');
  const rows = lines.slice(1, -1).map((l) => {
    const cells = l.split('\t');
    assert.equal(cells.length, 8, `a mail-queue row has 8 cells: ${JSON.stringify(l)}`);
    const [id, kind, queued, attempts, next, recipient, subject, error] = cells;
    return { id: Number(id), kind, queued, attempts: Number(attempts), next, recipient, subject, error };
  });
  const m = /^(\d+) mails? waiting$/.exec(lines[lines.length - 1]);
  assert.ok(m, `mail-queue's last line: ${lines[lines.length - 1]}`);
  return { rows, waiting: Number(m[1]), stdout: r.stdout };
}

// ---------------------------------------------------------------------------
// The SMTP sink. stack.mjs starts it but offers no way to stop and restart
// it alone, so these find it in /proc (a child of this process running
// aiosmtpd on the stack's port) and start a replacement on the same port and
// maildir.

function cmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0').filter(Boolean);
  } catch {
    return null;
  }
}

function parentPid(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

/** Pids of this process's aiosmtpd children listening on stack.smtpPort. */
export function smtpPids(stack) {
  const listen = `127.0.0.1:${stack.smtpPort}`;
  return fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((pid) => {
    const argv = cmdline(pid);
    return argv && argv.includes('aiosmtpd') && argv.includes(listen) && parentPid(pid) === process.pid;
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** SIGKILLs the stack's SMTP sink and waits until its port refuses. */
export async function killSmtp(stack) {
  const pids = smtpPids(stack);
  assert.ok(pids.length > 0, `no aiosmtpd on port ${stack.smtpPort} found`);
  for (const pid of pids) process.kill(pid, 'SIGKILL');
  await poll(() => canConnect(stack.smtpPort), (up) => up === false, { what: 'SMTP port closed' });
}

const restarted = new Set();
let exitHooked = false;

/**
 * Starts a new SMTP sink on the stack's port and maildir; resolves, once it
 * accepts connections, to { stop() } (also killed when this process exits).
 */
export async function startSmtp(stack) {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', () => {
      for (const c of restarted) {
        try {
          c.kill('SIGKILL');
        } catch {
          // gone
        }
      }
    });
  }
  const fd = fs.openSync(path.join(stack.dir, 'smtp2.log'), 'a');
  let child;
  try {
    child = spawn('/usr/bin/python3',
      ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${stack.smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', stack.mailDir],
      { stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd);
  }
  restarted.add(child);
  const exited = new Promise((resolve) => child.once('exit', () => {
    restarted.delete(child);
    resolve();
  }));
  await poll(() => canConnect(stack.smtpPort), (up) => up === true, { timeoutMs: 20000, what: 'new SMTP sink listening' });
  return {
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
    },
  };
}
