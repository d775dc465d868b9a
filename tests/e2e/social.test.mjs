// tests/e2e/social.test.mjs — the Open Graph and Twitter card tags of a
// shared link (www/_frame/social.html, put into every public page by nginx's
// SSI; docs/deploy.md, "Shared links"): every public page, fetched through
// nginx in each language, carries exactly one of each tag, with the page's
// own title and description in that language (the words of its
// translations, and for Spanish, the page's first language, the served
// <title> itself), its absolute address in that language, the locale and its
// three alternates, and the picture of that language, a real 1200 × 630 PNG.
// A pledge's permalink keeps its id in og:url; ?lang= is read like the
// pages' own js/i18n.js reads it; the 404 page gets the site's card. The
// generated files (scripts/gen-social, scripts/gen-og-images) must be up to
// date, and their checks must notice a changed word or a changed picture.

import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, repoRoot } from './lib/stack.mjs';
import { get } from './lib/http.mjs';

const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const LOCALE = { es: 'es_LA', pt: 'pt_BR', en: 'en_US', fr: 'fr_FR' };
const WWW = path.join(repoRoot, 'www');
/** Tags every page has once, whatever the page. */
const ONE_OF_EACH = ['og:title', 'og:description', 'og:url', 'og:type', 'og:site_name', 'og:locale', 'og:image',
  'og:image:type', 'og:image:width', 'og:image:height', 'og:image:alt', 'twitter:card', 'twitter:image:alt'];

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&amp;/g, '&');

/** Every og:* and twitter:* <meta> of a page as [[name, content], ...], in order. */
function socialTags(html) {
  return [...html.matchAll(/<meta (?:property|name)="((?:og|twitter):[a-z_:]+)" content="([^"]*)">/g)]
    .map((m) => [m[1], unescape(m[2])]);
}

/** The one value of tag `name` (fails when it is not there exactly once). */
function one(tags, name, what) {
  const v = tags.filter(([n]) => n === name).map(([, c]) => c);
  assert.equal(v.length, 1, `${what}: ${name} ${v.length} times`);
  assert.notEqual(v[0].trim(), '', `${what}: ${name} is empty`);
  return v[0];
}

/** Every value of `key` in the translations of `lang` (the site's words and every bundle). */
function translations(key, lang) {
  const values = new Set();
  for (const f of fs.readdirSync(path.join(WWW, 'i18n'))) {
    if (f !== `${lang}.json` && !f.endsWith(`.${lang}.json`)) continue;
    const dict = JSON.parse(fs.readFileSync(path.join(WWW, 'i18n', f), 'utf8'));
    if (typeof dict[key] === 'string') values.add(dict[key]);
  }
  return values;
}

/** The public pages that take the frame, with the keys of their title and description. */
function publicPages() {
  return fs.readdirSync(WWW).filter((f) => f.endsWith('.html') && f !== '404.html').sort().flatMap((f) => {
    const html = fs.readFileSync(path.join(WWW, f), 'utf8');
    if (!html.includes('<!--#include virtual="/_frame/head.html" -->')) return [];
    const title = /<title data-i18n="([^"]+)">([^<]*)</.exec(html);
    const desc = /<meta name="description" data-i18n-attr="content:([^";]+)"/.exec(html);
    return [{
      file: f, path: f === 'index.html' ? '/' : `/${f}`, titleKey: title[1], spanishTitle: title[2],
      descKey: desc ? desc[1] : 'page.description',
    }];
  });
}

/** Width and height of a PNG, or null when the bytes are not one. */
function pngSize(buf) {
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (buf.length < 24 || !buf.subarray(0, 8).equals(sig) || buf.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/** Runs scripts/NAME --check (on another copy of the repository with `root`). */
function runCheck(name, root) {
  return spawnSync(process.execPath, [path.join(repoRoot, 'scripts', name), '--check'], {
    encoding: 'utf8', env: { ...process.env, ...(root ? { ICOMMIT_ROOT: root } : {}) },
  });
}

describe('generated files of the shared-link tags', () => {
  it('www/_frame/social-pages.html and the pictures are up to date', () => {
    for (const name of ['gen-social', 'gen-og-images']) {
      const r = runCheck(name);
      assert.equal(r.status, 0, `scripts/${name} --check: ${r.stderr}`);
    }
  });

  it('the checks notice a changed word and a changed picture', (t) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-social-'));
    t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
    fs.cpSync(WWW, path.join(tmp, 'www'), { recursive: true });
    fs.cpSync(path.join(repoRoot, 'scripts', 'og-card'), path.join(tmp, 'scripts', 'og-card'), { recursive: true });
    for (const name of ['gen-social', 'gen-og-images']) assert.equal(runCheck(name, tmp).status, 0, `${name} on the copy`);

    // A page title in Portuguese: the tags' words, not the pictures.
    const pt = path.join(tmp, 'www', 'i18n', 'about.pt.json');
    const about = JSON.parse(fs.readFileSync(pt, 'utf8'));
    about['about.page.title'] = 'Quem somos — I COMMIT';
    fs.writeFileSync(pt, JSON.stringify(about));
    let r = runCheck('gen-social', tmp);
    assert.equal(r.status, 1, 'gen-social --check after a changed title');
    assert.match(r.stderr, /out of date/);
    assert.equal(runCheck('gen-og-images', tmp).status, 0, 'the pictures do not show page titles');

    // The tagline in English: on the English picture (and in og:image:alt).
    const en = path.join(tmp, 'www', 'i18n', 'frame.en.json');
    const frame = JSON.parse(fs.readFileSync(en, 'utf8'));
    frame['frame.footer.tagline'] = 'Public pledges.';
    fs.writeFileSync(en, JSON.stringify(frame));
    r = runCheck('gen-og-images', tmp);
    assert.equal(r.status, 1, 'gen-og-images --check after a changed tagline');
    assert.match(r.stderr, /changed since the pictures were made/);
    fs.writeFileSync(en, JSON.stringify(JSON.parse(fs.readFileSync(path.join(WWW, 'i18n', 'frame.en.json'), 'utf8'))));
    assert.equal(runCheck('gen-og-images', tmp).status, 0, 'the tagline back');

    // A picture replaced, or gone.
    const png = path.join(tmp, 'www', 'img', 'og', 'icommit-fr.png');
    fs.writeFileSync(png, fs.readFileSync(png).subarray(0, 1000));
    r = runCheck('gen-og-images', tmp);
    assert.equal(r.status, 1, 'gen-og-images --check after a changed picture');
    assert.match(r.stderr, /icommit-fr\.png is not/);
    fs.rmSync(png);
    r = runCheck('gen-og-images', tmp);
    assert.equal(r.status, 1, 'gen-og-images --check with a picture missing');
    assert.match(r.stderr, /icommit-fr\.png is missing/);
  });
});

describe('Open Graph and Twitter card tags through nginx', () => {
  let s;
  let pages;
  before(async () => {
    s = await startStack();
    pages = publicPages();
  });
  after(async () => {
    await s?.stop();
  });

  /** Fetches `p` and checks what every page has; returns its tags. */
  async function fetchTags(p, lang, { status = 200, url } = {}) {
    const res = await get(s.base, p);
    assert.equal(res.status, status, `${p}: ${res.status}`);
    assert.ok(!res.text.includes('<!--#'), `${p}: an SSI command reached the browser`);
    const tags = socialTags(res.text);
    for (const name of ONE_OF_EACH) one(tags, name, p);
    // All in <head> (a preview reads nothing else).
    const head = res.text.slice(0, res.text.indexOf('</head>'));
    assert.deepEqual(socialTags(head), tags, `${p}: the tags are in the head`);
    assert.equal(one(tags, 'og:type', p), 'website');
    assert.equal(one(tags, 'og:site_name', p), 'I COMMIT');
    assert.equal(one(tags, 'og:locale', p), LOCALE[lang], `${p}: og:locale`);
    assert.deepEqual(tags.filter(([n]) => n === 'og:locale:alternate').map(([, c]) => c).sort(),
      LANGUAGES.filter((l) => l !== lang).map((l) => LOCALE[l]).sort(), `${p}: the other three locales`);
    assert.equal(one(tags, 'og:image', p), `${s.base}/img/og/icommit-${lang}.png`, `${p}: og:image`);
    assert.equal(one(tags, 'og:image:type', p), 'image/png');
    assert.equal(one(tags, 'og:image:width', p), '1200');
    assert.equal(one(tags, 'og:image:height', p), '630');
    assert.equal(one(tags, 'twitter:card', p), 'summary_large_image');
    const alt = one(tags, 'og:image:alt', p);
    assert.equal(one(tags, 'twitter:image:alt', p), alt);
    const tagline = JSON.parse(fs.readFileSync(path.join(WWW, 'i18n', `frame.${lang}.json`), 'utf8'))['frame.footer.tagline'];
    assert.ok(alt.includes(tagline), `${p}: the picture's text alternative in ${lang}: ${alt}`);
    if (url !== undefined) assert.equal(one(tags, 'og:url', p), `${s.base}${url}`, `${p}: og:url`);
    return tags;
  }

  it('every public page, in each language, has its own title and description', async () => {
    assert.ok(pages.length >= 13, `public pages: ${pages.map((p) => p.file)}`);
    for (const page of pages) {
      const seen = new Map();
      for (const lang of LANGUAGES) {
        const what = `${page.path} in ${lang}`;
        const p = lang === 'es' ? page.path : `${page.path}?lang=${lang}`;
        const tags = await fetchTags(p, lang, { url: `${page.path}?lang=${lang}` });
        const title = one(tags, 'og:title', what);
        const desc = one(tags, 'og:description', what);
        assert.ok(translations(page.titleKey, lang).has(title), `${what}: og:title "${title}" is not ${page.titleKey}`);
        assert.ok(translations(page.descKey, lang).has(desc), `${what}: og:description "${desc}" is not ${page.descKey}`);
        if (lang === 'es') assert.equal(title, page.spanishTitle, `${what}: og:title is the page's own <title>`);
        seen.set(lang, title + desc);
      }
      // Four languages, four texts (a tag stuck in one language fails here).
      assert.equal(new Set(seen.values()).size, 4, `${page.path}: the words differ by language`);
    }
  });

  it('the pictures are 1200 × 630 PNGs, one per language', async () => {
    const bodies = new Set();
    for (const lang of LANGUAGES) {
      const res = await get(s.base, `/img/og/icommit-${lang}.png`);
      assert.equal(res.status, 200, lang);
      assert.equal(res.headers['content-type'], 'image/png', lang);
      assert.deepEqual(pngSize(res.body), { width: 1200, height: 630 }, lang);
      assert.match(res.headers['cache-control'], /^public/, lang);
      bodies.add(res.body.toString('base64'));
    }
    assert.equal(bodies.size, 4, 'a different picture for each language');
  });

  it('a pledge\'s permalink keeps its id in og:url, and only its id', async () => {
    await fetchTags('/pledge.html?id=42&lang=pt', 'pt', { url: '/pledge.html?id=42&lang=pt' });
    await fetchTags('/pledge.html?lang=en&id=7&utm_source=x', 'en', { url: '/pledge.html?id=7&lang=en' });
    await fetchTags('/pledge.html?id=7', 'es', { url: '/pledge.html?id=7&lang=es' });
    // Not a pledge's id: the page's address alone.
    await fetchTags('/pledge.html?id=0&lang=fr', 'fr', { url: '/pledge.html?lang=fr' });
    await fetchTags('/pledge.html?id=%22%3E%3Cscript%3E&lang=fr', 'fr', { url: '/pledge.html?lang=fr' });
    await fetchTags('/pledge.html?xid=5', 'es', { url: '/pledge.html?lang=es' });
  });

  it('reads ?lang= as the pages do, and anything else is Spanish', async () => {
    await fetchTags('/about.html?lang=PT-br', 'pt', { url: '/about.html?lang=pt' });
    await fetchTags('/about.html?x=1&lang=en_GB', 'en', { url: '/about.html?lang=en' });
    await fetchTags('/events.html?lang=Fr', 'fr', { url: '/events.html?lang=fr' });
    await fetchTags('/events.html?lang=de', 'es', { url: '/events.html?lang=es' });
    await fetchTags('/events.html?lang=english', 'es', { url: '/events.html?lang=es' });
    await fetchTags('/events.html?slang=en', 'es', { url: '/events.html?lang=es' });
    await fetchTags('/index.html?lang=fr', 'fr', { url: '/?lang=fr' });
  });

  it('gives the 404 page the site\'s card, in the asked language', async () => {
    const tags = await fetchTags('/no-such-page.html?lang=en', 'en', { status: 404, url: '/?lang=en' });
    assert.ok(translations('page.title', 'en').has(one(tags, 'og:title', '404')), 'the landing page\'s title');
  });
});
