// tests/e2e/lib/http.mjs: the HTTP client of the end-to-end tests. request()
// is node:http without fetch's rules (any method, raw paths, raw bytes, every
// header as sent); rawRequest() writes arbitrary bytes to a socket, for
// requests no client library would produce.
import http from 'node:http';
import net from 'node:net';

/**
 * Sends one HTTP request on a fresh connection.
 * base: 'http://127.0.0.1:PORT'; path: sent as is (may carry a query, must
 * not contain spaces or control characters: use rawRequest for those);
 * headers: an object; body: string, Buffer or undefined.
 * Resolves to { status, headers, rawHeaders, body, text, json }: headers as
 * node gives them (lower-case names, repeated ones joined), rawHeaders as
 * [[name, value], ...] in wire order, body a Buffer, text its UTF-8 text,
 * json the parsed body or undefined when it is not JSON.
 * A response that arrives before the request body is fully written (nginx's
 * 413) is still returned; only a failure with no response rejects.
 */
export function request(base, method, path, { headers = {}, body, timeoutMs = 15000 } = {}) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method,
      path,
      headers: { Connection: 'close', ...headers },
      agent: false,
      timeout: timeoutMs,
    }, (res) => {
      answered = true;
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => resolve(makeResponse(res.statusCode, res.headers, pairs(res.rawHeaders), Buffer.concat(chunks))));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** GET base+path; a shorthand for request(base, 'GET', path, opts). */
export function get(base, path, opts = {}) {
  return request(base, 'GET', path, opts);
}

/**
 * POSTs value as JSON (value may also be a string or Buffer sent verbatim)
 * with Content-Type application/json; charset=utf-8 unless headers say
 * otherwise.
 */
export function postJson(base, path, value, { headers = {}, ...opts } = {}) {
  const body = typeof value === 'string' || Buffer.isBuffer(value) ? value : JSON.stringify(value);
  return request(base, 'POST', path, {
    ...opts,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body,
  });
}

/**
 * Writes bytes (Buffer or string, sent as latin1 so every byte is possible)
 * to 127.0.0.1:port and reads one response. It stops at the end of the
 * response (Content-Length, chunked end, or the connection closing) or after
 * timeoutMs. Resolves to { status, headers, rawHeaders, body, text, json,
 * raw, timedOut }; status is null when nothing parsable came back.
 */
export function rawRequest(port, bytes, { timeoutMs = 5000, host = '127.0.0.1' } = {}) {
  const data = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes, 'latin1');
  const isHead = data.subarray(0, 5).toString('latin1') === 'HEAD ';
  return new Promise((resolve, reject) => {
    const chunks = [];
    let done = false;
    const sock = net.connect({ host, port });
    const finish = (timedOut) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      const raw = Buffer.concat(chunks);
      const parsed = parseResponse(raw, isHead);
      resolve({ ...(parsed ?? makeResponse(null, {}, [], Buffer.alloc(0))), raw, timedOut });
    };
    const timer = setTimeout(() => finish(true), timeoutMs);
    sock.on('connect', () => sock.write(data));
    sock.on('data', (c) => {
      chunks.push(c);
      const parsed = parseResponse(Buffer.concat(chunks), isHead);
      if (parsed?.complete) finish(false);
    });
    sock.on('end', () => finish(false));
    sock.on('close', () => finish(false));
    sock.on('error', (err) => {
      // A reset after the answer came is the server closing on us: keep it.
      if (chunks.length > 0) finish(false);
      else if (!done) {
        done = true;
        clearTimeout(timer);
        reject(err);
      }
    });
  });
}

/** Every value of header `name` (case-insensitive) in a response, in order. */
export function headerValues(res, name) {
  const lower = name.toLowerCase();
  return res.rawHeaders.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

function pairs(flat) {
  const out = [];
  for (let i = 0; i + 1 < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

function makeResponse(status, headers, rawHeaders, body) {
  const text = body.toString('utf8');
  let json;
  try {
    json = text.length ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status, headers, rawHeaders, body, text, json };
}

// Parses an HTTP/1.x response from raw bytes; returns null when the head is
// not complete yet, else a response object with `complete` telling whether
// the whole body is there.
function parseResponse(raw, isHead) {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/\d\.\d (\d{3})/.exec(lines[0]);
  if (!m) return null;
  const rawHeaders = [];
  const headers = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim();
    const value = line.slice(i + 1).trim();
    rawHeaders.push([name, value]);
    const key = name.toLowerCase();
    headers[key] = key in headers ? `${headers[key]}, ${value}` : value;
  }
  const status = Number(m[1]);
  let rest = raw.subarray(end + 4);
  let complete = false;
  let body = rest;
  if (isHead || status === 204 || status === 304 || (status >= 100 && status < 200)) {
    body = Buffer.alloc(0);
    complete = true;
  } else if (/chunked/i.test(headers['transfer-encoding'] ?? '')) {
    const decoded = [];
    let off = 0;
    for (;;) {
      const nl = rest.indexOf('\r\n', off);
      if (nl < 0) break;
      const size = parseInt(rest.subarray(off, nl).toString('latin1'), 16);
      if (Number.isNaN(size)) break;
      if (size === 0) {
        complete = true;
        break;
      }
      if (nl + 2 + size > rest.length) break;
      decoded.push(rest.subarray(nl + 2, nl + 2 + size));
      off = nl + 2 + size + 2;
    }
    body = Buffer.concat(decoded);
  } else if (headers['content-length'] !== undefined) {
    const len = Number(headers['content-length']);
    complete = rest.length >= len;
    body = rest.subarray(0, len);
  }
  return { ...makeResponse(status, headers, rawHeaders, body), complete };
}
