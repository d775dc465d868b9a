// tests/browser/lib/origin.mjs — a second web origin for the embedding tests:
// a tiny nginx (its own config, `daemon off`, one process) serving static
// pages from a temp dir on another free port, so that a page there is
// cross-origin to the icommit stack, as an organiser's site would be.
//
//   const site = await startOrigin();
//   await site.write('index.html', '<!doctype html>...');
//   page.goto(site.base + '/index.html');
//   site.requests()  -> the access log lines
//   await site.stop();                 // kills nginx, removes the dir
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../e2e/lib/stack.mjs';

const live = new Set(); // nginx children still running, killed if the test process exits
process.on('exit', () => {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      // gone
    }
  }
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

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

/**
 * The nginx.conf of the second origin: one server on 127.0.0.1:port with
 * `root` as its document root, everything it writes under `dir`, pages never
 * cached (each test rewrites them), no CSP of its own (like many real sites).
 * master_process off: a single process, so stopping it is one kill.
 */
export function originConfig({ dir, root, port }) {
  const user = process.getuid && process.getuid() === 0 ? 'user root root;\n' : '';
  return `${user}daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 128; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    charset utf-8;
    access_log ${dir}/access.log;
    client_body_temp_path ${dir}/tmp/client_body;
    proxy_temp_path ${dir}/tmp/proxy;
    fastcgi_temp_path ${dir}/tmp/fastcgi;
    uwsgi_temp_path ${dir}/tmp/uwsgi;
    scgi_temp_path ${dir}/tmp/scgi;
    server {
        listen 127.0.0.1:${port};
        server_name localhost;
        root ${root};
        add_header Cache-Control "no-store" always;
        location / { try_files $uri $uri/ =404; }
    }
}
`;
}

/**
 * Starts the second origin. Resolves to { base, port, dir, root,
 * write(name, text), requests() -> [access log lines], stop() }.
 */
export async function startOrigin() {
  const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'icommit-origin-'));
  const root = path.join(dir, 'www');
  for (const sub of ['www', 'tmp/client_body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) {
    await fsp.mkdir(path.join(dir, sub), { recursive: true });
  }
  // The host pages are read by nginx running as root or as www-data.
  await fsp.chmod(dir, 0o755);
  await fsp.chmod(root, 0o755);

  let child = null;
  let port = null;
  for (let attempt = 0; ; attempt++) {
    port = await freePort();
    const conf = path.join(dir, 'nginx.conf');
    await fsp.writeFile(conf, originConfig({ dir, root, port }));
    const out = fs.openSync(path.join(dir, 'nginx.out'), 'a');
    child = spawn('nginx', ['-e', path.join(dir, 'error.log'), '-p', dir, '-c', conf],
      { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    live.add(child);
    const exited = new Promise((resolve) => child.once('exit', () => {
      live.delete(child);
      resolve();
    }));
    child.exited = exited;
    let up = false;
    for (const until = Date.now() + 10000; Date.now() < until;) {
      if (child.exitCode !== null || child.signalCode !== null) break;
      if (await canConnect(port)) {
        up = true;
        break;
      }
      await sleep(50);
    }
    if (up) break;
    child.kill('SIGKILL');
    await exited;
    const log = fs.existsSync(path.join(dir, 'error.log')) ? fs.readFileSync(path.join(dir, 'error.log'), 'utf8') : '';
    if (attempt >= 2 || !/in use/i.test(log)) {
      await fsp.rm(dir, { recursive: true, force: true });
      throw new Error(`the second origin's nginx did not start:\n${log}`);
    }
  }

  let stopped = null;
  return {
    dir,
    root,
    port,
    base: `http://127.0.0.1:${port}`,
    /** Writes www/name (a page of the organiser's site). */
    write: (name, text) => fsp.writeFile(path.join(root, name), text),
    /** The access log, one line per request. */
    requests() {
      const f = path.join(dir, 'access.log');
      return fs.existsSync(f) ? fs.readFileSync(f, 'utf8').split('\n').filter(Boolean) : [];
    },
    stop() {
      stopped ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const t = setTimeout(() => child.kill('SIGKILL'), 5000);
          await child.exited;
          clearTimeout(t);
        }
        await fsp.rm(dir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}
