// tests/e2e/frame.test.mjs — the page frame (www/_frame/) as nginx serves it
// with SSI: every www/*.html and www/admin/*.html comes out whole (no SSI
// directive or SSI error left in it, the frame's header and footer exactly
// once), the partials cannot be fetched on their own, an unknown page is the
// branded 404 page with status 404 while /api/ keeps the daemon's JSON, and
// the caching choices of docs/deploy.md (pages without validators, so a
// changed frame is never hidden behind a 304; assets keep theirs).

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { startStack } from './lib/stack.mjs';
import { get, headerValues } from './lib/http.mjs';

const JSON_TYPE = 'application/json; charset=utf-8';
/** What nginx writes in place of an SSI command it could not carry out. */
const SSI_ERROR = '[an error occurred while processing the directive]';
/** Pages that are deliberately not framed: the counter for other sites' iframes. */
const UNFRAMED = new Set(['/embed.html']);
/** Staff pages whose top bar is not the console's (the door team's phone page). */
const OWN_HEADER = new Set(['/admin/checkin.html']);

/** The URL paths of the .html files directly in www/DIR. */
function pagesIn(wwwRoot, dir) {
  return fs.readdirSync(path.join(wwwRoot, dir))
    .filter((f) => f.endsWith('.html'))
    .sort()
    .map((f) => `/${dir ? `${dir}/` : ''}${f}`);
}

const count = (text, needle) => text.split(needle).length - 1;

/** The href of every link marked aria-current="page" in an HTML text. */
const markedLinks = (html) => [...html.matchAll(/<a [^>]*href="([^"]+)"[^>]*aria-current="page"/g)].map((m) => m[1]);

/** Asserts a served HTML page is whole: no SSI command or SSI error left. */
function assertNoSsiLeft(res, what) {
  assert.ok(!res.text.includes('<!--#'), `${what}: an SSI command reached the browser`);
  assert.ok(!res.text.includes(SSI_ERROR), `${what}: an SSI command failed`);
}

describe('the page frame through nginx (SSI)', () => {
  let s;
  let publicPages;
  let staffPages;
  before(async () => {
    s = await startStack();
    publicPages = pagesIn(s.wwwRoot, '');
    staffPages = pagesIn(s.wwwRoot, 'admin');
  });
  after(async () => {
    await s?.stop();
  });

  it('every public page is served whole, with the one header and footer of the frame', async () => {
    assert.ok(publicPages.length >= 13, `public pages: ${publicPages}`);
    const partial = (name) => fs.readFileSync(path.join(s.wwwRoot, '_frame', name), 'utf8');
    for (const p of publicPages) {
      const res = await get(s.base, p);
      assert.equal(res.status, 200, `${p}: ${res.status}`);
      assert.match(res.headers['content-type'], /^text\/html; charset=utf-8$/, p);
      assertNoSsiLeft(res, p);
      if (UNFRAMED.has(p)) {
        assert.equal(count(res.text, '<header'), 0, `${p} has no site header`);
        continue;
      }
      assert.equal(count(res.text, '<header class="site-header'), 1, `${p}: the frame's header once`);
      assert.equal(count(res.text, '<nav id="site-nav"'), 1, `${p}: the site's navigation once`);
      assert.equal(count(res.text, '<footer class="site-footer'), 1, `${p}: the frame's footer once`);
      assert.equal(count(res.text, 'class="skip-link"'), 1, `${p}: one skip link`);
      assert.equal(count(res.text, '<meta charset="utf-8">'), 1, `${p}: the frame's head once`);
      assert.ok(res.text.includes('<meta name="i18n-bundles" content="frame">'), `${p}: the frame's words`);
      // The partials' own lines arrive as they are in the files (no copy
      // of the header in the page that could drift).
      for (const [file, line] of [
        ['header.html', '<span class="menu-button__label" data-i18n="frame.menu">Menú</span>'],
        ['footer.html', '<p class="site-footer__small" data-i18n="frame.footer.promise">Nunca publicamos tu dirección de correo electrónico.</p>'],
      ]) {
        assert.ok(partial(file).includes(line), `_frame/${file} has ${line}`);
        assert.ok(res.text.includes(line), `${p}: ${line}`);
      }
    }
  });

  it('every staff page is served whole, with the one console bar and its live regions', async () => {
    assert.ok(staffPages.length >= 8, `staff pages: ${staffPages}`);
    for (const p of staffPages) {
      const res = await get(s.base, p);
      assert.equal(res.status, 200, `${p}: ${res.status}`);
      assertNoSsiLeft(res, p);
      assert.equal(count(res.text, '<option value="fr" lang="fr">Français</option>'), 1, `${p}: the language menu`);
      if (OWN_HEADER.has(p)) continue;
      assert.equal(count(res.text, '<header class="bar">'), 1, `${p}: the console bar once`);
      assert.equal(count(res.text, '<nav id="nav"'), 1, `${p}: the console's navigation once`);
      assert.equal(count(res.text, 'id="announce"'), 1, `${p}: the announce region once`);
      assert.equal(markedLinks(res.text).length, 1, `${p}: one entry marked as the current page`);
    }
  });

  it('the current page is marked in the navigation by the SSI variable the page sets', async () => {
    const marked = async (p) => markedLinks((await get(s.base, p)).text);
    assert.deepEqual(await marked('/events.html'), ['/events.html']);
    assert.deepEqual(await marked('/about.html'), ['/about.html']);
    assert.deepEqual(await marked('/newsletter.html'), ['/newsletter.html', '/newsletter.html'], 'header and footer');
    assert.deepEqual(await marked('/contact.html'), ['/contact.html'], 'in the footer');
    assert.deepEqual(await marked('/'), [], 'the landing page is the brand link, no entry');
    assert.deepEqual(await marked('/admin/exports.html'), ['/admin/exports.html']);
    assert.deepEqual(await marked('/admin/events.html'), ['/admin/events.html'], 'the console\'s own events page, not the public one');
    assert.deepEqual(await marked('/admin/'), ['/admin/']);
  });

  it('the partials cannot be fetched on their own', async () => {
    for (const f of fs.readdirSync(path.join(s.wwwRoot, '_frame'))) {
      for (const p of [`/_frame/${f}`, `/_frame/${f}?x=1`, `/%5Fframe/${f}`]) {
        const res = await get(s.base, p);
        assert.equal(res.status, 404, `${p}: ${res.status}`);
        assertNoSsiLeft(res, p);
        assert.ok(res.text.includes('data-i18n="notfound.title"'), `${p}: the 404 page, not the partial`);
      }
    }
    for (const p of ['/_frame', '/_frame/']) {
      assert.equal((await get(s.base, p)).status, 404, p);
    }
  });

  it('an unknown page is the branded 404 page, with status 404, the frame and the site headers', async () => {
    for (const p of ['/no-such-page.html', '/no/such/path?lang=pt', '/events', '/admin/no-such.html', '/.git/config']) {
      const res = await get(s.base, p);
      assert.equal(res.status, 404, `${p}: ${res.status}`);
      assert.match(res.headers['content-type'], /^text\/html; charset=utf-8$/, p);
      assertNoSsiLeft(res, p);
      assert.ok(res.text.includes('<h1 id="notfound-title"'), `${p}: the 404 page`);
      assert.equal(count(res.text, '<header class="site-header'), 1, `${p}: with the frame`);
      assert.equal(count(res.text, '<footer class="site-footer'), 1, `${p}: with the frame`);
      assert.deepEqual(headerValues(res, 'X-Content-Type-Options'), ['nosniff'], p);
      assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'; script-src 'self'/, p);
      // Served at the unknown address itself: nothing relative to resolve.
      for (const m of res.text.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
        assert.match(m[1], /^(\/|#)/, `${p}: ${m[1]} is not absolute`);
      }
    }
  });

  it('unknown API paths keep the daemon\'s JSON 404, and POSTs to unknown pages are not 5xx', async () => {
    for (const p of ['/api/v1/no-such-thing', '/api/nothing']) {
      const res = await get(s.base, p);
      assert.equal(res.status, 404, p);
      assert.equal(res.headers['content-type'], JSON_TYPE, p);
      assert.equal(res.json?.error?.code, 'not_found', p);
    }
    const counter = await get(s.base, '/api/v1/campaigns/icommit/counter');
    assert.equal(counter.status, 200);
    assert.equal(counter.headers['content-type'], JSON_TYPE);
    assert.ok(!counter.text.includes('<'), 'the counter is not touched by SSI');
  });

  it('pages carry no validators (a changed frame is never hidden behind a 304); assets keep theirs', async () => {
    for (const p of ['/', '/events.html', '/admin/']) {
      const res = await get(s.base, p);
      assert.equal(res.headers.etag, undefined, `${p}: ETag`);
      assert.equal(res.headers['last-modified'], undefined, `${p}: Last-Modified`);
      assert.equal(res.headers['cache-control'], 'no-cache', `${p}: Cache-Control`);
      const again = await get(s.base, p, { headers: { 'If-Modified-Since': 'Fri, 01 Jan 2100 00:00:00 GMT' } });
      assert.equal(again.status, 200, `${p}: a conditional request still gets the whole page`);
      assert.equal(again.text, res.text, p);
    }
    const css = await get(s.base, '/css/site.css');
    assert.ok(css.headers.etag, 'the stylesheet has an ETag');
    const cached = await get(s.base, '/css/site.css', { headers: { 'If-None-Match': css.headers.etag } });
    assert.equal(cached.status, 304, 'and is revalidated with it');
    const frameWords = await get(s.base, '/i18n/frame.es.json');
    assert.equal(frameWords.status, 200);
    assert.equal(frameWords.json['frame.nav.events'], 'Eventos');
  });
});
