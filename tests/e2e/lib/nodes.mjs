// tests/e2e/lib/nodes.mjs: several icommitd nodes behind one nginx on one
// PostgreSQL database (ICOMMIT_BACKEND=postgres only). startNodes() starts a
// stack (stack.mjs) whose nginx upstream lists a socket per node; node 1 is
// the stack's own daemon, every other node a daemon of the same config but
// its own socket (node-N.conf in the stack's dir), started and stopped here.
// Each node: { n, socketPath, configPath, pid, log(), kill(signal),
// start(), stop() }; kill() and stop() resolve to how it exited. Node N > 1
// names its PostgreSQL sessions icommit-node-N (application_name), so that
// a test can tell whose session holds a lock.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { icommitdBin, startStack } from './stack.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone
    }
  }
});

/** Whether a unix socket accepts a connection now. */
function accepts(socketPath) {
  return new Promise((resolve) => {
    const s = net.connect({ path: socketPath });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Waits until socketPath accepts connections (or the process died). */
async function waitAccepting(socketPath, isAlive, ms = 20000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!isAlive()) throw new Error(`the daemon of ${socketPath} died while starting`);
    if (await accepts(socketPath)) return;
    await sleep(50);
  }
  throw new Error(`${socketPath} did not accept connections within ${ms} ms`);
}

function tail(file, lines = 40) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** A node other than the stack's own daemon. */
function extraNode(stack, n) {
  const socketPath = path.join(stack.dir, `node-${n}.sock`);
  const configPath = path.join(stack.dir, `node-${n}.conf`);
  const logPath = path.join(stack.dir, `node-${n}.log`);
  let child = null;
  let exited = null;
  const alive = () => child !== null && child.exitCode === null && child.signalCode === null;
  const node = {
    n,
    socketPath,
    configPath,
    get pid() {
      return alive() ? child.pid : null;
    },
    log: () => (fs.existsSync(logPath) ? fs.readFileSync(logPath, 'utf8') : ''),
    async start() {
      if (alive()) throw new Error(`node ${n} is already running`);
      // Its own socket, and its sessions named (pg_stat_activity's
      // application_name): icommit-node-N.
      const conf = fs.readFileSync(stack.configPath, 'utf8')
        .replace(/^listen = .*$/m, `listen = unix:${socketPath}`)
        .replace(/^database = (.*)$/m, (line, db) => `database = ${db}${db.includes('?') ? '&' : '?'}application_name=icommit-node-${n}`);
      fs.writeFileSync(configPath, conf);
      const fd = fs.openSync(logPath, 'a');
      try {
        child = spawn(icommitdBin, ['-c', configPath], { stdio: ['ignore', fd, fd] });
      } finally {
        fs.closeSync(fd);
      }
      live.add(child);
      const c = child;
      exited = new Promise((resolve) => c.once('exit', (code, signal) => {
        live.delete(c);
        resolve({ code, signal });
      }));
      try {
        await waitAccepting(socketPath, alive);
      } catch (err) {
        throw new Error(`${err.message}:\n${tail(logPath)}`);
      }
    },
    async kill(signal = 'SIGKILL') {
      if (!alive()) throw new Error(`node ${n} is not running`);
      child.kill(signal);
      return exited;
    },
    async stop() {
      if (!alive()) return exited;
      child.kill('SIGTERM');
      const res = await Promise.race([exited, sleep(15000).then(() => null)]);
      if (res) return res;
      child.kill('SIGKILL');
      throw new Error(`node ${n} ignored SIGTERM:\n${tail(logPath)}`);
    },
  };
  return node;
}

/** Node 1: the stack's own daemon, seen through the same interface. */
function stackNode(stack) {
  return {
    n: 1,
    socketPath: stack.socketPath,
    configPath: stack.configPath,
    get pid() {
      return stack.daemonPid;
    },
    log: () => stack.daemonLog(),
    async start() {
      await stack.startDaemon();
      await waitAccepting(stack.socketPath, () => stack.daemonPid !== null);
    },
    kill: (signal = 'SIGKILL') => stack.killDaemon(signal),
    stop: () => stack.killDaemon('SIGTERM'),
  };
}

/**
 * Starts a stack with `count` nodes (opts as startStack's). Resolves to
 * { stack, nodes, stop() }; stop() stops the other nodes (each must exit 0
 * on SIGTERM), then the stack.
 */
export async function startNodes(count = 2, opts = {}) {
  const sockets = [];
  // The other nodes' sockets live in the stack's dir, known only once it
  // exists: nginx is given their paths through a directory made first.
  const dir = fs.mkdtempSync(path.join(process.env.TMPDIR || '/tmp', 'icommit-nodes-'));
  for (let n = 2; n <= count; n++) sockets.push(path.join(dir, `node-${n}.sock`));
  const stack = await startStack({ ...opts, extraSockets: sockets });
  const nodes = [stackNode(stack)];
  for (let n = 2; n <= count; n++) {
    const node = extraNode({ ...stack, dir, configPath: stack.configPath }, n);
    await node.start();
    nodes.push(node);
  }
  return {
    stack,
    nodes,
    async stop() {
      const problems = [];
      for (const node of nodes.slice(1)) {
        try {
          const res = await node.stop();
          if (res && res.code !== 0 && res.signal !== 'SIGKILL') problems.push(`node ${node.n} exited ${res.code ?? res.signal}`);
        } catch (err) {
          problems.push(err.message);
        }
      }
      try {
        await stack.stop();
      } catch (err) {
        problems.push(err.message);
      }
      if (!process.env.ICOMMIT_KEEP_STATE) fs.rmSync(dir, { recursive: true, force: true });
      if (problems.length) throw new Error(problems.join('\n'));
    },
  };
}

/**
 * Asserts that a request through several nodes was answered: a 2xx, or
 * nginx's JSON 503 (a node killed or the database away; never another
 * 5xx, never a dropped connection).
 */
export function assertAnswered(res, what) {
  const label = `${what}: ${res.status} ${String(res.text ?? '').slice(0, 200)}`;
  if (res.status >= 200 && res.status < 300) return;
  assert.equal(res.status, 503, label);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8', label);
  assert.equal(typeof res.json?.error?.code, 'string', label);
}
