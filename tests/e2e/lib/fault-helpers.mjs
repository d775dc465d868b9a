// tests/e2e/lib/fault-helpers.mjs: helpers of the bad-input, fault and
// security suites — the API's error envelope checked in one place, pledge
// bodies, a bounded-concurrency burst, raw-socket requests (pipelined,
// half-closed), queries on the database (db.mjs), and tmpfs mounts for the disk-full and
// read-only tests.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { integrityCheck, query } from './db.mjs';

export const JSON_TYPE = 'application/json; charset=utf-8';
export const PLEDGES = '/api/v1/campaigns/icommit/pledges';

/** A complete, valid pledge; `i` makes the address unique. */
export function pledgeBody(i, { tag = 'p', ...extra } = {}) {
  return {
    name: `Persona ${tag} ${i}`,
    email: `${tag}${i}@example.org`,
    actor_type: 'individual',
    country: 'CL',
    commitment: 'Usar el transporte público eléctrico cada día',
    consent: true,
    ...extra,
  };
}

/** A distinct client address for request i (in 10.0.0.0/8). */
export function clientAddr(i) {
  return `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
}

/**
 * Asserts the API's JSON error envelope: a 4xx status (or exactly `status`),
 * the JSON content type, {"error": {"code": string, "message": string}}
 * (and `code` when given).
 */
export function assertErrorEnvelope(res, { status, code, what = '' } = {}) {
  const label = `${what} -> ${res.status} ${String(res.text ?? '').slice(0, 200)}`;
  assert.ok(res.status !== null && res.status !== undefined, `${what}: no HTTP answer`);
  if (status !== undefined) assert.equal(res.status, status, label);
  else assert.ok(res.status >= 400 && res.status < 500, `not a 4xx: ${label}`);
  assert.equal(res.headers['content-type'], JSON_TYPE, `content-type: ${label}`);
  assert.ok(res.json && typeof res.json.error === 'object' && res.json.error !== null, `no error envelope: ${label}`);
  assert.equal(typeof res.json.error.code, 'string', label);
  assert.equal(typeof res.json.error.message, 'string', label);
  assert.ok(res.json.error.message.length > 0, label);
  if (code !== undefined) assert.equal(res.json.error.code, code, label);
}

/**
 * Runs `count` tasks, at most `concurrency` at a time; task(i) returns a
 * promise. Resolves to the array of { i, value } or { i, error } in order.
 */
export async function burst(count, concurrency, task) {
  const out = new Array(count);
  let next = 0;
  async function lane() {
    for (;;) {
      const i = next++;
      if (i >= count) return;
      try {
        out[i] = { i, value: await task(i) };
      } catch (error) {
        out[i] = { i, error };
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return out;
}

/** Parses every complete HTTP/1.1 response in raw (for pipelining). */
export function parseResponses(raw) {
  const out = [];
  let off = 0;
  while (off < raw.length) {
    const end = raw.indexOf('\r\n\r\n', off);
    if (end < 0) break;
    const head = raw.subarray(off, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/\d\.\d (\d{3})/.exec(head[0]);
    if (!m) break;
    const headers = {};
    for (const line of head.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const len = Number(headers['content-length'] ?? 0);
    if (end + 4 + len > raw.length) break;
    const body = raw.subarray(end + 4, end + 4 + len);
    const text = body.toString('utf8');
    let json;
    try {
      json = text.length ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    out.push({ status: Number(m[1]), headers, body, text, json });
    off = end + 4 + len;
  }
  return out;
}

/**
 * Writes bytes to 127.0.0.1:port, optionally half-closes (halfClose: the
 * client says it will send nothing more), and collects what comes back until
 * the server closes, `expect` responses have arrived, or timeoutMs passes.
 * Resolves to { raw, responses, timedOut, closedByServer }.
 */
export function rawExchange(port, bytes, { halfClose = false, expect = Infinity, timeoutMs = 5000 } = {}) {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
  return new Promise((resolve) => {
    const chunks = [];
    let done = false;
    let closedByServer = false;
    const sock = net.connect({ host: '127.0.0.1', port });
    const finish = (timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks);
      resolve({ raw, responses: parseResponses(raw), timedOut, closedByServer });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    sock.on('connect', () => {
      if (halfClose) sock.end(data);
      else sock.write(data);
    });
    sock.on('data', (c) => {
      chunks.push(c);
      if (parseResponses(Buffer.concat(chunks)).length >= expect) finish(false);
    });
    sock.on('end', () => {
      closedByServer = true;
      finish(false);
    });
    sock.on('close', () => {
      closedByServer = true;
      finish(false);
    });
    sock.on('error', () => finish(false));
  });
}

/** Runs sql on a stack's database (db.mjs query); returns trimmed output, throws on error. */
export function sqlite(db, sql) {
  return query(db, sql, { timeoutMs: 10000 });
}

/** The database's integrity check ('ok' when sound; db.mjs). */
export { integrityCheck };

/** Pledges that count: confirmed at least once and not rejected. */
export function countedPledges(db, slug = 'icommit') {
  return Number(sqlite(db, `SELECT count(*) FROM pledges p JOIN campaigns c ON c.id = p.campaign_id
    WHERE c.slug = '${slug}' AND p.confirmed_at IS NOT NULL AND p.status <> 'rejected';`));
}

/** The stored counter of a campaign. */
export function storedCounter(db, slug = 'icommit') {
  return Number(sqlite(db, `SELECT k.count FROM campaign_counters k JOIN campaigns c ON c.id = k.campaign_id
    WHERE c.slug = '${slug}';`));
}

/** The set of pledge e-mails stored in db. */
export function storedEmails(db) {
  const out = sqlite(db, 'SELECT email FROM pledges;');
  return new Set(out ? out.split('\n') : []);
}

export const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;

function sh(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.trim()}`);
  return r.stdout;
}

/** A fresh directory with a tmpfs of `size` (e.g. '3m') mounted on it. */
export function mountTmpfs(size) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-tmpfs-'));
  sh('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir]);
  return dir;
}

/** Remounts the tmpfs on dir read-only (ro = true) or read-write. */
export function remount(dir, ro) {
  sh('mount', ['-o', `remount,${ro ? 'ro' : 'rw'}`, dir]);
}

/** Unmounts dir (lazily if busy) and removes it; never throws. */
export function unmountTmpfs(dir) {
  if (!dir) return;
  let r = spawnSync('umount', [dir], { encoding: 'utf8' });
  if (r.status !== 0) r = spawnSync('umount', ['-l', dir], { encoding: 'utf8' });
  try {
    fs.rmSync(dir, { recursive: true, force: true });
  } catch {
    // still busy: leave it
  }
}

/**
 * Fills the file system holding dir with one file until writes fail with
 * ENOSPC; returns its path. What is left is less than one 4 KiB block.
 */
export function fillDisk(dir) {
  const file = path.join(dir, 'filler');
  const fd = fs.openSync(file, 'w');
  try {
    for (const size of [1 << 20, 64 << 10, 4 << 10, 512, 1]) {
      const buf = Buffer.alloc(size, 0x55);
      for (;;) {
        try {
          fs.writeSync(fd, buf);
        } catch (e) {
          if (e.code === 'ENOSPC') break;
          throw e;
        }
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return file;
}

/** Bytes free on the file system holding dir. */
export function freeBytes(dir) {
  const st = fs.statfsSync(dir);
  return Number(st.bavail) * Number(st.bsize);
}
