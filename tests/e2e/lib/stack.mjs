// tests/e2e/lib/stack.mjs: starts a throw-away icommit stack for a test file —
// a temp dir with config and database, icommitd, nginx from the deploy
// templates on a free port, optionally an SMTP sink — and tears it down
// again, leaving no process behind even when a test fails. The database is
// a SQLite file in the temp dir, or with ICOMMIT_BACKEND=postgres a fresh
// database on the cluster of ICOMMIT_PG_HOST/ICOMMIT_PG_PORT, dropped at
// the end (see db.mjs).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { backend, createDatabase, dropDatabase, isPostgresBackend } from './db.mjs';
import { request } from './http.mjs';
import { parseMail } from './mail.mjs';

export const repoRoot = path.resolve(fileURLToPath(new URL('../../../', import.meta.url)));
export const buildDir = path.resolve(repoRoot, process.env.ICOMMIT_BUILD || 'build');
export const icommitdBin = path.join(buildDir, 'icommitd');
export const icommitctlBin = path.join(buildDir, 'icommitctl');
const renderScript = path.join(repoRoot, 'scripts/lib/nginx-conf.sh');
const wwwRoot = path.join(repoRoot, 'www');

// Sanitizer builds are several times slower to start and stop.
const SLOW = /asan|sanitize/i.test(buildDir) || process.env.ICOMMIT_SANITIZE === '1';
const START_TIMEOUT_MS = SLOW ? 60000 : 20000;
const STOP_TIMEOUT_MS = SLOW ? 30000 : 10000;

// ---------------------------------------------------------------------------
// Everything started here, so that an exiting test process can kill it.
const live = new Set(); // { child, kind, killTree }
const tempDirs = new Set();
const databases = new Set(); // PostgreSQL databases of live stacks
let databaseSeq = 0;
let exitHooked = false;

function hookExit() {
  if (exitHooked) return;
  exitHooked = true;
  const cleanup = () => {
    for (const entry of live) killNow(entry);
    live.clear();
    if (!process.env.ICOMMIT_KEEP_STATE) {
      for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
      for (const name of databases) {
        try {
          dropDatabase(name);
        } catch {
          // the cluster is gone too
        }
      }
    }
    tempDirs.clear();
    databases.clear();
  };
  process.on('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.once(sig, () => {
      cleanup();
      process.exit(128 + os.constants.signals[sig]);
    });
  }
}

/** Pids of the children of `pid` (nginx workers of a master), from /proc. */
export function childPids(pid) {
  const out = [];
  let entries = [];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${e}/stat`, 'latin1');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === pid) out.push(Number(e));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

// SIGKILL a process we started (and, for nginx, its workers), synchronously.
function killNow(entry) {
  const { child, killTree } = entry;
  if (!isRunning(child)) return;
  const pids = killTree ? childPids(child.pid) : [];
  for (const pid of [child.pid, ...pids]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

function isRunning(child) {
  return child.exitCode === null && child.signalCode === null;
}

function spawnLogged(kind, file, args, logFile, { env, killTree = false } = {}) {
  hookExit();
  const fd = fs.openSync(logFile, 'a');
  let child;
  try {
    child = spawn(file, args, { stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
  } finally {
    fs.closeSync(fd);
  }
  const entry = { child, kind, killTree };
  live.add(entry);
  child.exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      live.delete(entry);
      resolve({ code, signal });
    });
    child.once('error', (err) => {
      live.delete(entry);
      resolve({ code: null, signal: null, error: err });
    });
  });
  return child;
}

// Resolves to the exit of `child` or to null after ms.
function waitExit(child, ms) {
  let timer;
  return Promise.race([
    child.exited,
    new Promise((resolve) => {
      timer = setTimeout(() => resolve(null), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

// Sends signal, waits; SIGKILLs (with the workers of a tree) on timeout.
// Resolves to { code, signal, timedOut }.
async function stopChild(child, signal, ms, killTree = false) {
  if (!isRunning(child)) return { ...(await child.exited), timedOut: false };
  const workers = killTree ? childPids(child.pid) : [];
  try {
    child.kill(signal);
  } catch {
    // exited meanwhile
  }
  const res = await waitExit(child, ms);
  if (res) return { ...res, timedOut: false };
  for (const pid of [child.pid, ...workers, ...(killTree ? childPids(child.pid) : [])]) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  return { ...(await child.exited), timedOut: true };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
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

function tail(file, lines = 30) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function run(file, args, { input, env, timeoutMs = 60000, cwd } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? '');
  });
}

function configText(keys) {
  return Object.entries(keys)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${k} = ${v === true ? 'yes' : v === false ? 'no' : v}`)
    .join('\n') + '\n';
}

/**
 * Starts a stack. opts:
 *   config: { key: value } added to / overriding the daemon config
 *           (null removes a key; true/false become yes/no);
 *   smtp: true to start an SMTP sink (aiosmtpd, maildir) and set smtp_url;
 *   postRate, postBurst: nginx's limit for public POSTs per client; the
 *           default here, 1000r/s and 1000, keeps it out of the way of tests
 *           that post a lot (production: 10r/s, 20); the daemon's own
 *           per-minute limit is config.rate_limit, 100000 here so that a
 *           test posting hundreds of pledges from 127.0.0.1 is not refused;
 *           the rate-limit tests set it (production default: 20);
 *   keep: keep the temp dir after stop() (also env ICOMMIT_KEEP_STATE=1);
 *   extraSockets: more icommitd sockets for nginx's upstream beside this
 *           stack's daemon (several nodes: lib/nodes.mjs starts them).
 * Resolves, once GET /api/v1/health answers 200 through nginx, to
 *   { base, port, dir, configPath, socketPath, wwwRoot,
 *     backend ('sqlite' or 'postgres'), dbPath (the config's database: the
 *     SQLite file, or the postgresql:// URI; db.mjs's query takes either),
 *     ctl(...args[, {input, env}]) -> Promise<{code, stdout, stderr}>,
 *     daemonLog() -> string, nginxLog() -> string,
 *     restartDaemon() -> Promise<{code, signal}> (how the old one exited),
 *     killDaemon(signal = 'SIGKILL') -> Promise<{code, signal}>,
 *     startDaemon() -> Promise<void>,
 *     mails() -> [parsed mail], waitForMail(pred, timeoutMs) -> Promise<mail>,
 *     stop() -> Promise<void> }.
 * Mails are parseMail() objects (mail.mjs): { subject, from, to, headers,
 * headerList, body, text, html, parts, attachments, raw, file }; the sink adds
 * X-MailFrom and X-RcptTo with the SMTP envelope.
 * stop() SIGTERMs everything, removes the dir, and throws if icommitd did not
 * exit cleanly (status 0) on SIGTERM or died during the test without being
 * killed through killDaemon() — which is how sanitizer reports fail a test.
 */
export async function startStack(opts = {}) {
  for (const bin of [icommitdBin, icommitctlBin]) {
    if (!fs.existsSync(bin)) throw new Error(`${bin} is missing: run scripts/build (ICOMMIT_BUILD=${process.env.ICOMMIT_BUILD ?? 'build'})`);
  }
  hookExit();
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'icommit-e2e-'));
  tempDirs.add(dir);
  const configPath = path.join(dir, 'icommit.conf');
  let dbPath = path.join(dir, 'icommit.db');
  // A PostgreSQL database of its own, named so that a leftover says whose.
  const pgName = isPostgresBackend
    ? `icommit_e2e_${process.pid}_${++databaseSeq}_${Math.random().toString(36).slice(2, 8)}`
    : null;
  const socketPath = path.join(dir, 'icommitd.sock');
  const nginxDir = path.join(dir, 'nginx');
  const daemonLogPath = path.join(dir, 'icommitd.log');
  const nginxLogPath = path.join(dir, 'nginx.stderr.log');
  const mailDir = path.join(dir, 'maildir');

  let nginx = null;
  let daemon = null;
  let daemonStoppedByUs = false; // a daemon that died on its own is a failure
  let smtp = null;
  let smtpPort = null;
  let port = null;
  let stopped = null;

  const stack = {
    dir,
    configPath,
    backend,
    get dbPath() {
      return dbPath;
    },
    socketPath,
    wwwRoot,
    mailDir,
    get base() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    get smtpPort() {
      return smtpPort;
    },
    get daemonPid() {
      return daemon && isRunning(daemon) ? daemon.pid : null;
    },
  };

  try {
    if (pgName) {
      dbPath = createDatabase(pgName);
      databases.add(pgName);
    }

    // SMTP sink first: its address goes into the daemon config.
    if (opts.smtp) {
      // A complete maildir: aiosmtpd only creates tmp/new/cur when the
      // directory itself does not exist yet.
      for (const sub of ['tmp', 'new', 'cur']) fs.mkdirSync(path.join(mailDir, sub), { recursive: true });
      for (let attempt = 0; ; attempt++) {
        smtpPort = await freePort();
        smtp = spawnLogged('smtp', '/usr/bin/python3',
          ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${smtpPort}`, '-c', 'aiosmtpd.handlers.Mailbox', mailDir],
          path.join(dir, 'smtp.log'));
        const up = await waitFor(async () => (isRunning(smtp) ? canConnect(smtpPort) : 'dead'), START_TIMEOUT_MS);
        if (up === true) break;
        await stopChild(smtp, 'SIGKILL', 2000);
        if (attempt >= 2) throw new Error(`SMTP sink did not start:\n${tail(path.join(dir, 'smtp.log'))}`);
      }
    }

    // nginx next, on a free port; a port grabbed meanwhile is retried.
    for (let attempt = 0; ; attempt++) {
      port = await freePort();
      const sockets = [socketPath, ...(opts.extraSockets ?? [])].join(',');
      const r = await run('bash', [renderScript, 'render', nginxDir, `127.0.0.1:${port}`, wwwRoot, sockets], {
        env: {
          ICOMMIT_NGINX_POST_RATE: opts.postRate ?? '1000r/s',
          ICOMMIT_NGINX_POST_BURST: String(opts.postBurst ?? 1000),
          ICOMMIT_SERVER_NAME: 'localhost',
        },
      });
      if (r.code !== 0) throw new Error(`rendering the nginx config failed:\n${r.stderr}`);
      nginx = spawnLogged('nginx', 'nginx',
        ['-e', path.join(nginxDir, 'nginx-error.log'), '-p', nginxDir, '-c', path.join(nginxDir, 'nginx.conf')],
        nginxLogPath, { killTree: true });
      const up = await waitFor(async () => (isRunning(nginx) ? canConnect(port) : 'dead'), START_TIMEOUT_MS);
      if (up === true) break;
      await stopChild(nginx, 'SIGKILL', 2000, true);
      const why = tail(path.join(nginxDir, 'nginx-error.log')) + tail(nginxLogPath);
      if (attempt >= 2 || !/in use/i.test(why)) throw new Error(`nginx did not start:\n${why}`);
    }

    const keys = {
      database: dbPath,
      listen: `unix:${socketPath}`,
      socket_mode: '0666',
      threads: 4,
      base_url: stack.base,
      verify_email: 'yes',
      moderation: 'yes',
      mail_from: 'icommit@localhost',
      rate_limit: 100000,
      trusted_proxies: '127.0.0.1',
      ...(opts.smtp ? { smtp_url: `smtp://127.0.0.1:${smtpPort}` } : {}),
      ...(opts.config ?? {}),
    };
    fs.writeFileSync(configPath, configText(keys));

    const init = await runCtl('init');
    if (init.code !== 0) throw new Error(`icommitctl init failed (${init.code}):\n${init.stderr}`);

    await startDaemon();
  } catch (err) {
    await stopAll().catch(() => {});
    throw err;
  }

  function runCtl(...args) {
    let options = {};
    if (args.length && typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null) {
      options = args.pop();
    }
    return run(icommitctlBin, ['-c', configPath, ...args.map(String)], options);
  }

  // Polls fn every 50 ms until it returns true or 'dead', or ms pass
  // (then resolves 'timeout').
  async function waitFor(fn, ms) {
    const until = Date.now() + ms;
    for (;;) {
      const r = await fn();
      if (r === true || r === 'dead') return r;
      if (Date.now() > until) return 'timeout';
      await sleep(50);
    }
  }

  async function healthStatus() {
    try {
      const r = await request(stack.base, 'GET', '/api/v1/health', { timeoutMs: 5000 });
      return r.status;
    } catch {
      return null;
    }
  }

  async function startDaemon() {
    if (daemon && isRunning(daemon)) throw new Error('icommitd is already running');
    daemon = spawnLogged('icommitd', icommitdBin, ['-c', configPath], daemonLogPath);
    daemonStoppedByUs = false;
    const d = daemon;
    const up = await waitFor(async () => (isRunning(d) ? (await healthStatus()) === 200 : 'dead'), START_TIMEOUT_MS);
    if (up === true) return;
    if (up === 'timeout') await stopChild(d, 'SIGKILL', 2000);
    const ex = await d.exited;
    throw new Error(`icommitd did not become healthy (${up}; exit ${JSON.stringify(ex)}):\n${tail(daemonLogPath)}`);
  }

  async function stopDaemon(signal) {
    if (!daemon) return { code: null, signal: null };
    daemonStoppedByUs = true;
    const res = await stopChild(daemon, signal, STOP_TIMEOUT_MS);
    if (res.timedOut) throw new Error(`icommitd did not stop within ${STOP_TIMEOUT_MS} ms of ${signal}:\n${tail(daemonLogPath)}`);
    return { code: res.code, signal: res.signal };
  }

  // Stops everything; returns a description of an unclean daemon exit or null.
  async function stopAll() {
    let problem = null;
    if (daemon && isRunning(daemon)) {
      const res = await stopChild(daemon, 'SIGTERM', STOP_TIMEOUT_MS);
      if (res.timedOut) problem = `icommitd ignored SIGTERM for ${STOP_TIMEOUT_MS} ms`;
      else if (res.code !== 0) problem = `icommitd exited with ${res.code ?? res.signal} on SIGTERM`;
    } else if (daemon && !daemonStoppedByUs) {
      const ex = await daemon.exited;
      problem = `icommitd died during the test (exit ${ex.code ?? ex.signal})`;
    }
    if (nginx) await stopChild(nginx, 'SIGTERM', STOP_TIMEOUT_MS, true);
    if (smtp) await stopChild(smtp, 'SIGTERM', STOP_TIMEOUT_MS);
    if (problem) problem += `:\n${tail(daemonLogPath, 60)}`;
    if (opts.keep || process.env.ICOMMIT_KEEP_STATE) {
      process.stderr.write(`# icommit stack kept in ${dir}${pgName ? ` (database ${dbPath})` : ''}\n`);
    } else {
      await fsp.rm(dir, { recursive: true, force: true });
      if (databases.has(pgName)) {
        try {
          dropDatabase(pgName);
        } catch (err) {
          problem = `${problem ? `${problem}\n` : ''}dropping ${pgName}: ${err.message}`;
        }
      }
    }
    tempDirs.delete(dir);
    databases.delete(pgName);
    return problem;
  }

  function readMails() {
    const found = [];
    for (const sub of ['new', 'cur']) {
      let names = [];
      try {
        names = fs.readdirSync(path.join(mailDir, sub));
      } catch {
        continue;
      }
      for (const name of names) {
        const file = path.join(mailDir, sub, name);
        const st = fs.statSync(file);
        found.push({ file, name, mtime: st.mtimeMs });
      }
    }
    found.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name));
    return found.map(({ file }) => ({ file, ...parseMail(fs.readFileSync(file)) }));
  }

  Object.assign(stack, {
    ctl: runCtl,
    daemonLog: () => (fs.existsSync(daemonLogPath) ? fs.readFileSync(daemonLogPath, 'utf8') : ''),
    nginxLog: () => ['nginx-error.log', 'access.log']
      .map((f) => path.join(nginxDir, f))
      .filter((f) => fs.existsSync(f))
      .map((f) => fs.readFileSync(f, 'utf8'))
      .join('') + (fs.existsSync(nginxLogPath) ? fs.readFileSync(nginxLogPath, 'utf8') : ''),
    startDaemon,
    async restartDaemon() {
      const res = daemon && isRunning(daemon) ? await stopDaemon('SIGTERM') : { code: null, signal: null };
      await startDaemon();
      return res;
    },
    async killDaemon(signal = 'SIGKILL') {
      if (!daemon || !isRunning(daemon)) throw new Error('icommitd is not running');
      return stopDaemon(signal);
    },
    mails() {
      if (!opts.smtp) throw new Error('startStack({ smtp: true }) is needed for mails()');
      return readMails();
    },
    async waitForMail(predicate = () => true, timeoutMs = 10000) {
      if (!opts.smtp) throw new Error('startStack({ smtp: true }) is needed for waitForMail()');
      const until = Date.now() + timeoutMs;
      for (;;) {
        const all = readMails();
        const hit = all.find(predicate);
        if (hit) return hit;
        if (Date.now() > until) {
          throw new Error(`no matching mail within ${timeoutMs} ms (${all.length} mails: ${all.map((m) => JSON.stringify(m.subject)).join(', ')})`);
        }
        await sleep(100);
      }
    },
    stop() {
      if (!stopped) {
        stopped = stopAll().then((problem) => {
          if (problem) throw new Error(problem);
        });
      }
      return stopped;
    },
  });
  return stack;
}
