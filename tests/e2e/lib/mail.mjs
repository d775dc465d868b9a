// tests/e2e/lib/mail.mjs: a small e-mail parser for the messages the SMTP sink
// (aiosmtpd's Mailbox handler) stores as maildir files. Enough for our own
// mails: unfolded headers, RFC 2047 encoded words, quoted-printable and
// base64 bodies, nested multipart. Not a general MIME library.

/**
 * Parses one raw message (Buffer or latin1 string).
 * Returns { headers, headerList, subject, from, to, contentType, body, text,
 * html, parts, attachments, raw }:
 * - headers: lower-case name -> decoded value (the last one wins; use
 *   headerList for repeated headers), headerList: [[name, value], ...];
 * - body: the decoded text of this entity (for multipart: of the first
 *   text/plain part), text/html: the first text/plain and text/html parts;
 * - parts: every leaf entity { headers, contentType, filename, body,
 *   bytes } in order, attachments: the leaves with a filename or
 *   Content-Disposition attachment.
 */
export function parseMail(raw) {
  const buf = Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'latin1');
  const entity = parseEntity(buf);
  const leaves = [];
  collectLeaves(entity, leaves);
  const firstOf = (type) => leaves.find((p) => p.contentType === type && !p.isAttachment);
  const text = firstOf('text/plain');
  const html = firstOf('text/html');
  return {
    headers: entity.headers,
    headerList: entity.headerList,
    subject: entity.headers.subject ?? '',
    from: entity.headers.from ?? '',
    to: entity.headers.to ?? '',
    contentType: entity.contentType,
    body: text ? text.body : entity.parts ? '' : entity.body,
    text: text?.body,
    html: html?.body,
    parts: leaves,
    attachments: leaves.filter((p) => p.isAttachment),
    raw: buf.toString('utf8'),
  };
}

/** Decodes RFC 2047 encoded words (=?charset?B|Q?...?=) in a header value. */
export function decodeHeaderWords(value) {
  // Whitespace between two encoded words is not part of the text.
  const joined = value.replace(/(=\?[^?]+\?[bBqQ]\?[^?]*\?=)\s+(?==\?)/g, '$1');
  return joined.replace(/=\?([^?]+)\?([bBqQ])\?([^?]*)\?=/g, (_, charset, enc, data) => {
    const bytes = enc.toUpperCase() === 'B'
      ? Buffer.from(data, 'base64')
      : decodeQuotedPrintable(data.replace(/_/g, ' '), false);
    return decodeCharset(bytes, charset);
  });
}

/** Decodes quoted-printable text to bytes; soft line breaks when body=true. */
export function decodeQuotedPrintable(text, body = true) {
  let s = text;
  if (body) s = s.replace(/=\r?\n/g, '');
  const out = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
      out.push(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      const code = s.charCodeAt(i);
      out.push(code & 0xff);
    }
  }
  return Buffer.from(out);
}

function decodeCharset(bytes, charset) {
  const name = (charset || 'utf-8').toLowerCase().split('*')[0];
  try {
    return new TextDecoder(name).decode(bytes);
  } catch {
    return bytes.toString('utf8');
  }
}

// Splits headers from body and parses both; recurses into multipart bodies.
function parseEntity(buf) {
  let sep = buf.indexOf('\r\n\r\n');
  let sepLen = 4;
  const lf = buf.indexOf('\n\n');
  if (lf >= 0 && (sep < 0 || lf < sep)) {
    sep = lf;
    sepLen = 2;
  }
  const headText = (sep < 0 ? buf : buf.subarray(0, sep)).toString('latin1');
  const bodyBuf = sep < 0 ? Buffer.alloc(0) : buf.subarray(sep + sepLen);

  const headerList = [];
  for (const line of headText.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && headerList.length) {
      headerList[headerList.length - 1][1] += ' ' + line.trim();
    } else {
      const i = line.indexOf(':');
      if (i > 0) headerList.push([line.slice(0, i).trim(), line.slice(i + 1).trim()]);
    }
  }
  for (const h of headerList) {
    // Header bytes are UTF-8 when not encoded (SMTPUTF8), else ASCII.
    h[1] = decodeHeaderWords(Buffer.from(h[1], 'latin1').toString('utf8'));
  }
  const headers = {};
  for (const [n, v] of headerList) headers[n.toLowerCase()] = v;

  const ct = parseParams(headers['content-type'] ?? 'text/plain; charset=us-ascii');
  const disposition = parseParams(headers['content-disposition'] ?? '');
  const cte = (headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  const entity = {
    headers,
    headerList,
    contentType: ct.value.toLowerCase(),
    filename: disposition.params.filename ?? ct.params.name,
    isAttachment: disposition.value.toLowerCase() === 'attachment' || disposition.params.filename !== undefined,
  };

  if (entity.contentType.startsWith('multipart/') && ct.params.boundary) {
    entity.parts = splitMultipart(bodyBuf, ct.params.boundary).map(parseEntity);
    return entity;
  }
  let bytes = bodyBuf;
  if (cte === 'base64') bytes = Buffer.from(bodyBuf.toString('latin1').replace(/\s+/g, ''), 'base64');
  else if (cte === 'quoted-printable') bytes = decodeQuotedPrintable(bodyBuf.toString('latin1'));
  entity.bytes = bytes;
  entity.body = decodeCharset(bytes, ct.params.charset ?? 'utf-8');
  return entity;
}

function collectLeaves(entity, out) {
  if (entity.parts) for (const p of entity.parts) collectLeaves(p, out);
  else out.push(entity);
}

// Parses 'type/sub; a=b; c="d e"' into { value, params }.
function parseParams(header) {
  const parts = header.split(';');
  const params = {};
  for (const p of parts.slice(1)) {
    const i = p.indexOf('=');
    if (i < 0) continue;
    const key = p.slice(0, i).trim().toLowerCase();
    let val = p.slice(i + 1).trim();
    if (val.startsWith('"') && val.endsWith('"')) val = val.slice(1, -1).replace(/\\(.)/g, '$1');
    params[key] = val;
  }
  return { value: parts[0].trim(), params };
}

// Returns the raw parts between --boundary lines (preamble and epilogue
// dropped).
function splitMultipart(buf, boundary) {
  const text = buf.toString('latin1');
  const delim = '--' + boundary;
  const out = [];
  let pos = text.indexOf(delim);
  while (pos >= 0) {
    let start = pos + delim.length;
    if (text.startsWith('--', start)) break;
    start = text.indexOf('\n', start);
    if (start < 0) break;
    start += 1;
    const next = text.indexOf('\n' + delim, start);
    if (next < 0) break;
    let stop = next;
    if (text[stop - 1] === '\r') stop -= 1;
    out.push(Buffer.from(text.slice(start, stop), 'latin1'));
    pos = next + 1;
  }
  return out;
}
