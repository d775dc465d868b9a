// tests/e2e/site.test.mjs: what the campaign publishes about itself and
// one pledge of the wall, through real nginx and the real daemon.
// GET /api/v1/site: nothing configured (no organiser, no contact, no
// partners), everything configured (organiser_name, organiser_url,
// contact_email and a partners file), its caching, and a daemon that refuses
// to start on a bad partners file. GET /api/v1/campaigns/{slug}/pledges/{id}:
// answers exactly for the pledges the wall shows (public, counted and, with
// moderation, approved) and 404 for every other, as JSON, never with an
// e-mail.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startStack, icommitdBin } from './lib/stack.mjs';
import { get, request, postJson } from './lib/http.mjs';
import {
  JSON_TYPE, pledgesPath, sqlite, addCampaign, pledgeBody, assertJsonError, waitMailTo, confirmLink,
} from './lib/pledge-helpers.mjs';

const SITE = '/api/v1/site';
const PUBLIC_PLEDGE_KEYS = ['id', 'name', 'organisation', 'actor_type', 'country', 'city', 'commitment',
  'category', 'quantity', 'unit', 'target_year', 'created_at'].sort();

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'icommit-site-'));
}

describe('GET /api/v1/site without configuration', () => {
  let s;
  before(async () => {
    s = await startStack();
  });
  after(async () => {
    await s?.stop();
  });

  it('publishes no organiser, no contact and no partners', async () => {
    const r = await get(s.base, SITE);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], JSON_TYPE);
    assert.deepEqual(r.json, { organiser: null, contact: null, partners: [] });
  });

  it('is cacheable by browsers and proxies, and HEAD answers without a body', async () => {
    const r = await get(s.base, SITE);
    assert.equal(r.headers['cache-control'], 'public, max-age=300');
    const h = await request(s.base, 'HEAD', SITE);
    assert.equal(h.status, 200);
    assert.equal(h.text, '');
  });

  it('refuses other methods with 405 and an Allow header', async () => {
    const r = await postJson(s.base, SITE, {});
    assertJsonError(r, 405, 'method_not_allowed');
    assert.equal(r.headers.allow, 'GET, HEAD');
  });
});

describe('GET /api/v1/site with an organiser, a contact and partners', () => {
  let s;
  let dir;
  const partners = [
    { name: 'Ministerio de Ambiente (ejemplo)', url: 'https://ambiente.example.org/', logo: '/img/partners/environment.svg' },
    { name: 'Asociación Regional de Movilidad', url: 'https://movilidad.example.org' },
    { name: 'Agência de Energia', logo: '/img/partners/energy.svg' },
  ];
  before(async () => {
    dir = tempDir();
    const file = path.join(dir, 'partners.json');
    fs.writeFileSync(file, JSON.stringify(partners, null, 2));
    s = await startStack({
      config: {
        organiser_name: 'Programa Regional de Movilidad Eléctrica',
        organiser_url: 'https://programa.example.org/',
        contact_email: 'contacto@programa.example.org',
        partners_file: file,
      },
    });
  });
  after(async () => {
    await s?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('publishes exactly what the configuration says, partners in the file\'s order', async () => {
    const r = await get(s.base, SITE);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, {
      organiser: { name: 'Programa Regional de Movilidad Eléctrica', url: 'https://programa.example.org' },
      contact: { email: 'contacto@programa.example.org' },
      partners: partners.map((p) => ({ name: p.name, url: p.url ?? null, logo: p.logo ?? null })),
    });
  });
});

describe('icommitd and a bad partners file', () => {
  it('refuses to start, naming the file and the partner', () => {
    const dir = tempDir();
    try {
      const file = path.join(dir, 'partners.json');
      fs.writeFileSync(file, JSON.stringify([
        { name: 'Bien', logo: '/img/partners/a.svg' },
        { name: 'Logo de otro sitio', logo: 'https://cdn.example.org/logo.png' },
      ]));
      const conf = path.join(dir, 'icommit.conf');
      fs.writeFileSync(conf, `database = ${path.join(dir, 'x.db')}\nlisten = unix:${path.join(dir, 's.sock')}\n`
        + `partners_file = ${file}\n`);
      const r = spawnSync(icommitdBin, ['-c', conf], { encoding: 'utf8', timeout: 20000 });
      assert.equal(r.status, 1, `exit ${r.status}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: partner 2: logo`));
      assert.ok(!fs.existsSync(path.join(dir, 'x.db')), 'nothing was started');

      fs.writeFileSync(conf, `database = ${path.join(dir, 'x.db')}\norganiser_url = https://a.example.org\n`);
      const r2 = spawnSync(icommitdBin, ['-c', conf], { encoding: 'utf8', timeout: 20000 });
      assert.equal(r2.status, 1);
      assert.match(r2.stderr, /organiser_url is set without organiser_name/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** GET one pledge of the wall. */
const onePledge = (s, id, slug = 'icommit') => get(s.base, `${pledgesPath(slug)}/${id}`);

/** Every id the wall lists (all pages). */
async function wallIds(s, slug = 'icommit') {
  const ids = [];
  let before = null;
  for (;;) {
    const r = await get(s.base, `${pledgesPath(slug)}?limit=100${before ? `&before=${before}` : ''}`);
    assert.equal(r.status, 200, r.text);
    ids.push(...r.json.items.map((p) => p.id));
    if (!r.json.next) return ids;
    before = r.json.next;
  }
}

/** Posts a pledge; returns its id (from the database: 202 tells none). */
async function addPledge(s, tag, extra = {}) {
  const body = pledgeBody(tag, extra);
  const r = await postJson(s.base, pledgesPath(extra.slug), body);
  assert.ok(r.status === 201 || r.status === 202, `${tag}: ${r.status} ${r.text}`);
  return Number(sqlite(s.dbPath, `SELECT id FROM pledges WHERE email = '${body.email}';`));
}

describe('GET /api/v1/campaigns/{slug}/pledges/{id} with moderation', () => {
  let s;
  const ids = {};
  before(async () => {
    s = await startStack({ config: { verify_email: 'no', moderation: 'yes' } });
    addCampaign(s.dbPath, 'otra');
    ids.approved = await addPledge(s, 'approved', {
      public: true, organisation: 'Cooperativa Ñuble', city: 'Chillán', category: 'fleet',
      quantity: 12, unit: 'buses', target_year: 2028,
    });
    ids.private = await addPledge(s, 'private', { public: false });
    ids.waiting = await addPledge(s, 'waiting', { public: true });
    ids.rejected = await addPledge(s, 'rejected', { public: true });
    ids.privateApproved = await addPledge(s, 'private-approved', { public: false });
    ids.other = await addPledge(s, 'other-campaign', { public: true, slug: 'otra' });
    for (const id of [ids.approved, ids.privateApproved, ids.other]) {
      const r = await s.ctl('pledge', 'approve', id);
      assert.equal(r.code, 0, r.stderr);
    }
    const r = await s.ctl('pledge', 'reject', ids.rejected);
    assert.equal(r.code, 0, r.stderr);
  });
  after(async () => {
    await s?.stop();
  });

  it('answers an approved public pledge as the wall shows it, without the e-mail', async () => {
    const r = await onePledge(s, ids.approved);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.headers['content-type'], JSON_TYPE);
    assert.deepEqual(Object.keys(r.json).sort(), PUBLIC_PLEDGE_KEYS);
    const wall = await get(s.base, `${pledgesPath()}?limit=100`);
    assert.deepEqual(r.json, wall.json.items.find((p) => p.id === ids.approved));
    assert.equal(r.json.organisation, 'Cooperativa Ñuble');
    assert.equal(r.json.quantity, 12);
    assert.ok(!r.text.includes('@'), 'no e-mail address in the answer');
  });

  it('answers 404 for a pledge the wall does not show: private, not yet approved, rejected, another campaign\'s', async () => {
    for (const [what, id] of [['private', ids.private], ['waiting', ids.waiting], ['rejected', ids.rejected],
      ['private and approved', ids.privateApproved], ['other campaign', ids.other]]) {
      assertJsonError(await onePledge(s, id), 404, 'not_found', what);
    }
    // The other campaign's pledge is found under its own campaign.
    assert.equal((await onePledge(s, ids.other, 'otra')).status, 200);
  });

  it('answers 404 for unknown ids and campaigns, and for what is not an id', async () => {
    for (const p of ['0', '999999', '999999999999999999', '9999999999999999999', 'abc', '-1', '1.0']) {
      assertJsonError(await onePledge(s, p), 404, 'not_found', p);
    }
    assertJsonError(await onePledge(s, ids.approved, 'no-such-campaign'), 404, 'not_found');
  });

  it('agrees with the wall on every pledge', async () => {
    const listed = new Set(await wallIds(s));
    const all = sqlite(s.dbPath, 'SELECT id FROM pledges ORDER BY id;').split('\n').map(Number);
    assert.ok(all.length >= 6);
    for (const id of all) {
      const r = await onePledge(s, id);
      assert.equal(r.status, listed.has(id) ? 200 : 404, `pledge ${id}: ${r.status}, on the wall: ${listed.has(id)}`);
    }
  });
});

describe('GET /api/v1/campaigns/{slug}/pledges/{id} with e-mail verification and without moderation', () => {
  let s;
  before(async () => {
    s = await startStack({ smtp: true, config: { verify_email: 'yes', moderation: 'no' } });
  });
  after(async () => {
    await s?.stop();
  });

  it('answers 404 until the pledge is confirmed, then 200 (no approval needed)', async () => {
    const id = await addPledge(s, 'confirm-me', { public: true });
    assertJsonError(await onePledge(s, id), 404, 'not_found', 'pending');
    const mail = await waitMailTo(s, 'confirm-me@pledge-test.example.org');
    const { token } = confirmLink(mail.text);
    const c = await postJson(s.base, '/api/v1/confirm', { token });
    assert.equal(c.status, 200, c.text);
    const r = await onePledge(s, id);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.id, id);
    assert.deepEqual(await wallIds(s), [id]);
  });
});
