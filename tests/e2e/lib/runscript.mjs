// tests/e2e/lib/runscript.mjs: scripts/run itself, as a new user starts it,
// for the tests of what it shows (demo content, the staff login, the mail
// sink and /dev/mail/): on a free port, with its state in a temp dir
// (ICOMMIT_STATE), stopped with SIGTERM as Ctrl-C would, leaving no process
// behind even when a test fails.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { childPids, freePort, repoRoot } from './stack.mjs';

const runScript = path.join(repoRoot, 'scripts/run');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// pid and every descendant, deepest last.
function tree(pid) {
  const all = [pid];
  for (let i = 0; i < all.length; i++) all.push(...childPids(all[i]));
  return all;
}

function killAll(pids) {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

const live = new Set();
process.on('exit', () => {
  for (const child of live) killAll(tree(child.pid));
});

/**
 * Starts scripts/run. opts: state (a dir to keep state in; default a new
 * temp dir), env (more environment). Resolves once it printed "icommit is
 * running" to { base, port, state, output(), printed: { site, staff, user,
 * password, mail, demo }, stop() }; stop() sends SIGTERM (Ctrl-C) and
 * resolves to { code, signal, leftover } where leftover lists the pids of
 * its tree still alive a moment after it exited (there should be none).
 */
export async function startRun({ state, env = {}, timeoutMs = 240000 } = {}) {
  const dir = state ?? await fsp.mkdtemp(path.join(os.tmpdir(), 'icommit-run-'));
  const port = await freePort();
  let out = '';
  const child = spawn(runScript, [], {
    cwd: repoRoot,
    env: { ...process.env, ICOMMIT_PORT: String(port), ICOMMIT_STATE: dir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    live.delete(child);
    resolve({ code, signal });
  }));
  let done = false;
  exited.then(() => { done = true; });

  const until = Date.now() + timeoutMs;
  while (!/icommit is running: .*\n(.*\n){4}/.test(out)) {
    if (done || Date.now() > until) {
      killAll(tree(child.pid));
      throw new Error(`scripts/run did not start (${done ? 'it exited' : 'timeout'}):\n${out.slice(-3000)}`);
    }
    await sleep(100);
  }
  const line = (re) => (re.exec(out) ?? [])[1] ?? null;
  const printed = {
    site: line(/^icommit is running: (\S+)/m),
    staff: line(/^ {2}staff login: +(\S+)/m),
    user: line(/^ {2}staff login: .* user (\S+)/m),
    password: line(/^ {2}staff login: .* password (\S+)/m),
    mail: line(/^ {2}mail: +(\S+)/m),
    demo: line(/^ {2}demo content: (.*)/m),
  };
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    state: dir,
    printed,
    output: () => out,
    async stop() {
      if (done) return { ...(await exited), leftover: [] };
      const pids = tree(child.pid);
      child.kill('SIGTERM');
      const res = await Promise.race([exited, sleep(30000).then(() => null)]);
      await sleep(300);
      const leftover = pids.filter((pid) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch {
          return false;
        }
      });
      killAll(leftover);
      if (!res) {
        killAll(tree(child.pid));
        return { code: null, signal: 'timeout', leftover };
      }
      return { ...res, leftover };
    },
  };
}
