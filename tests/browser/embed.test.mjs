// tests/browser/embed.test.mjs — the embeddable counter in Chromium against
// the real stack (nginx + icommitd, pledges counted at once), seen from an
// organiser's site on a *different origin* (a second nginx, lib/origin.mjs):
// widget.js (two widgets in two languages, live updates, no CORS preflight,
// no leaked globals, size, hidden-tab pause, the plain-link fallback and its
// recovery), embed.html in an iframe and in big-screen mode (count-up, goal
// bar, scrolling pledges, a QR code decoded with zbarimg), share.html (its
// snippets, pasted into the other site, work; copy buttons), and the
// landing page's "numbers in pictures" (charts and tables equal /stats).
// axe on every page, no console errors. ICOMMIT_SCREENSHOT=1 also writes
// docs/img/{widget,big-screen,share}.png for docs/embedding.md.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startStack } from '../e2e/lib/stack.mjs';
import { get, postJson } from '../e2e/lib/http.mjs';
import { freshJson as freshJsonOf } from '../e2e/lib/pledge-helpers.mjs';
import {
  launchBrowser, checkA11y, assertNoConsoleErrors, consoleErrors, clearConsoleErrors,
} from './lib/browser.mjs';
import { startOrigin } from './lib/origin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT = 90_000;
const SCREENSHOTS = process.env.ICOMMIT_SCREENSHOT === '1';
const IMG_DIR = join(root, 'docs', 'img');
const run = promisify(execFile);

/** What the widget says in each language (its own strings, in widget.js). */
const WORDS = {
  es: { one: 'compromiso', other: 'compromisos', of: 'de', now: 'Ahora hay', cta: 'Suma tu compromiso' },
  pt: { one: 'compromisso', other: 'compromissos', of: 'de', now: 'Agora são', cta: 'Assuma seu compromisso' },
  en: { one: 'pledge', other: 'pledges', of: 'of', now: 'Now', cta: 'Make your pledge' },
  fr: { one: 'engagement', other: 'engagements', of: 'sur', now: 'Désormais', cta: 'Je m’engage' },
};

/** Pledges posted before the tests: varied countries, actors, categories and units. */
const PLEDGES = [
  ['CL', 'government', 'public_transport', 1200, 'buses', 'Electrificaremos 1.200 buses del transporte público de Santiago antes de 2030.'],
  ['CL', 'private_sector', 'charging', 300, 'chargers', 'Instalaremos 300 cargadores rápidos públicos en las principales autopistas del país.'],
  ['MX', 'finance', 'finance', 2500000, 'usd', 'Financiaremos 2,5 millones de dólares en taxis eléctricos para la Ciudad de México.'],
  ['BR', 'civil_society', 'awareness', 40, 'people', 'Vamos formar 40 pessoas como embaixadoras da mobilidade elétrica em São Paulo.'],
  ['CO', 'government', 'policy', null, null, 'Aprobaremos una ordenanza de cero emisiones para la flota municipal de Bogotá.'],
  ['PE', 'academia', 'other', 5, 'mw', 'Our university will install 5 MW of solar carports to charge the campus shuttle fleet.'],
  ['HT', 'individual', null, null, null, 'Je remplacerai ma moto à essence par une moto électrique cette année.'],
  ['CL', 'individual', 'fleet', 1, 'vehicles', 'Mi familia cambiará su auto por uno eléctrico y usaremos más el metro.'],
  ['EC', 'government', 'public_transport', 60, 'buses', 'Quito incorporará 60 trolebuses nuevos al corredor central hasta 2028.'],
  ['JM', 'private_sector', 'charging', 25, 'chargers', 'We will put 25 chargers in our hotels across Jamaica for guests and staff.'],
];

let stack;
let site; // the organiser's site: another origin
let context;
let pledgeSeq = 0;
// The count as of the last pledge posted here (from its 201 reply). The
// counter endpoint is micro-cached by nginx and may answer a second-old (or,
// right after a quiet spell, stale-while-revalidate) value: tests compare the
// widgets with this, not with a counter read.
let lastCount = 0;
const dict = {}; // www/i18n/{lang}.json

before(async () => {
  stack = await startStack({ config: { verify_email: 'no', moderation: 'no' } });
  site = await startOrigin();
  context = await launchBrowser();
  for (const lang of ['es', 'en', 'pt', 'fr']) {
    dict[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8'));
  }
  for (const [country, actor, category, quantity, unit, commitment] of PLEDGES) {
    await pledge({ country, actor_type: actor, category, quantity, unit, commitment });
  }
  if (SCREENSHOTS) await mkdir(IMG_DIR, { recursive: true });
});

after(async () => {
  await context?.close();
  await site?.stop();
  await stack?.stop();
});

/** Posts a public pledge (counted at once in this stack); resolves to the new count. */
async function pledge(fields = {}, s = stack) {
  const n = ++pledgeSeq;
  const body = {
    name: `Persona ${n}`,
    email: `persona${n}@example.org`,
    actor_type: 'individual',
    country: 'CL',
    commitment: `Compromiso número ${n}: me moveré en transporte eléctrico.`,
    public: true,
    consent: true,
    ...fields,
  };
  for (const k of Object.keys(body)) if (body[k] === null) delete body[k];
  const r = await postJson(s.base, '/api/v1/campaigns/icommit/pledges', body);
  assert.equal(r.status, 201, `pledge: ${r.status} ${r.text}`);
  if (s === stack) lastCount = r.json.count;
  return r.json.count;
}

/** A micro-cached endpoint's current answer (see pledge-helpers.mjs). */
const freshJson = (path) => freshJsonOf(stack, path);

async function apiJson(path, s = stack) {
  const r = await get(s.base, path);
  assert.equal(r.status, 200, `${path}: ${r.status} ${r.text}`);
  return r.json;
}

/** A number as the site writes it (js/format.js's rule: four digits grouped too). */
const fmt = (lang, n, options) => new Intl.NumberFormat(lang, { useGrouping: 'always', ...options }).format(n);

/** The widget's accessible name for the count: "1.234 compromisos de 10.000". */
function countName(lang, count, goal) {
  const w = WORDS[lang];
  const words = `${fmt(lang, count)} ${new Intl.PluralRules(lang).select(count) === 'one' ? w.one : w.other}`;
  return goal ? `${words} ${w.of} ${fmt(lang, goal)}` : words;
}

/** An organiser's page: its own (hostile) CSS, then `body` as HTML. */
function hostPage(body, { lang = 'en', title = 'Electric Mobility Forum 2026' } = {}) {
  return `<!doctype html>
<html lang="${lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${title}</title>
  <link rel="icon" href="data:,">
  <style>
    body { margin: 0; font: 18px/1.5 Georgia, serif; color: #3b2f2f; background: #faf6ee; }
    header { background: #2e4a3f; color: #fff; padding: 24px 40px; }
    header h1 { margin: 0; font-size: 28px; }
    main { display: flex; flex-wrap: wrap; gap: 32px; padding: 32px 40px; align-items: flex-start; }
    section { flex: 1 1 300px; }
    p, a, span, div { letter-spacing: 0.02em; }
    a { color: #8b0000; text-decoration: underline wavy; }
    div { border: 0 solid; }
  </style>
</head>
<body>
  <header><h1>${title}</h1></header>
  <main>
${body}
  </main>
</body>
</html>
`;
}

/** What each widget on the page shows (through its open shadow root). */
function widgetStates(page) {
  return page.evaluate(() => [...document.querySelectorAll('icommit-counter')].map((host) => {
    const r = host.shadowRoot;
    const card = r.querySelector('.w');
    const fallback = r.querySelector('.fb');
    const bar = r.querySelector('[role=progressbar]');
    return {
      lang: host.lang,
      after: host.previousElementSibling ? host.previousElementSibling.tagName : null,
      card: !card.hidden,
      fallback: !fallback.hidden,
      number: r.querySelector('.n').textContent,
      label: r.querySelector('.t').textContent,
      name: r.querySelector('[role=img]').getAttribute('aria-label'),
      live: r.querySelector('[role=status]').textContent,
      goal: !r.querySelector('.g').hidden,
      valuenow: bar.getAttribute('aria-valuenow'),
      valuemax: bar.getAttribute('aria-valuemax'),
      dark: card.classList.contains('dark'),
      size: ['small', 'large'].find((s) => card.classList.contains(s)) || 'medium',
      cta: r.querySelector('a.a').firstChild.textContent,
      href: r.querySelector('a.a').href,
      target: r.querySelector('a.a').target,
      fallbackText: fallback.querySelector('a').firstChild.textContent,
      fallbackHref: fallback.querySelector('a').href,
    };
  }));
}

/** Waits until fn(states) is true; fails with the last states seen. */
async function waitForWidgets(page, fn, what, timeoutMs = 15000) {
  const until = Date.now() + timeoutMs;
  let states = [];
  for (;;) {
    states = await widgetStates(page);
    if (fn(states)) return states;
    if (Date.now() > until) assert.fail(`${what}: widgets are ${JSON.stringify(states, null, 1)}`);
    await page.waitForTimeout(100);
  }
}

/** The stack's nginx access log, one entry per line. */
async function accessLog(s = stack) {
  try {
    return (await readFile(join(s.dir, 'nginx', 'access.log'), 'utf8')).split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

function widgetTag(base, data, { async = false } = {}) {
  const attrs = Object.entries(data).map(([k, v]) => ` data-${k}="${v}"`).join('');
  return `<script src="${base}/widget.js"${attrs}${async ? ' async' : ''}></script>`;
}

test('widget.js is small and leaks no global variables', { timeout: TIMEOUT }, async () => {
  const { size } = await stat(join(root, 'www', 'widget.js'));
  assert.ok(size < 9.5 * 1024, `widget.js is ${size} bytes, over 9.5 KB`);

  await site.write('globals.html', hostPage('<section id="slot"><h2>Counters</h2></section>'));
  const page = await context.newPage();
  try {
    const requests = [];
    page.on('request', (req) => requests.push(`${req.method()} ${req.url()}`));
    await page.goto(`${site.base}/globals.html`);
    const before = await page.evaluate(() => Object.keys(window).sort());
    // Two widgets inserted by script, as a tag manager would.
    await page.evaluate((base) => {
      for (const lang of ['es', 'pt']) {
        const s = document.createElement('script');
        s.src = `${base}/widget.js`;
        s.dataset.campaign = 'icommit';
        s.dataset.lang = lang;
        document.getElementById('slot').append(s);
      }
    }, stack.base);
    await waitForWidgets(page, (w) => w.length === 2 && w.every((x) => x.card && /\d/.test(x.number)), 'two widgets');
    const afterKeys = await page.evaluate(() => Object.keys(window).sort());
    assert.deepEqual(afterKeys, before, 'window gained properties');
    // No dependencies: the page, widget.js and the counter, nothing else.
    const fromStack = requests.filter((r) => r.includes(stack.base));
    assert.ok(fromStack.every((r) => /\/widget\.js$|\/api\/v1\/campaigns\/icommit\/counter$/.test(r)), fromStack.join('\n'));
    assertNoConsoleErrors(page, 'globals');
  } finally {
    await page.close();
  }
});

test('two widgets on another origin show the count in es and pt, update after a pledge, and never preflight', { timeout: TIMEOUT }, async () => {
  const count = lastCount;
  const { goal } = await apiJson('/api/v1/campaigns/icommit');
  assert.ok(goal > 0, 'the default campaign has a goal');
  const logStart = (await accessLog()).length;
  await site.write('two.html', hostPage(`
    <section>
      <h2>Join the campaign</h2>
      <p>Latin America and the Caribbean are pledging for electric mobility. Here is the live count:</p>
      ${widgetTag(stack.base, { campaign: 'icommit', lang: 'es', interval: 1 })}
    </section>
    <section>
      <h2>Em português</h2>
      <p>O mesmo contador, ao vivo, em outro idioma e com o tema escuro:</p>
      ${widgetTag(stack.base, { campaign: 'icommit', lang: 'pt', theme: 'dark', interval: 1 }, { async: true })}
    </section>`));
  const page = await context.newPage();
  try {
    await page.goto(`${site.base}/two.html`);
    let states = await waitForWidgets(page, (w) => w.length === 2 && w.every((x) => x.card && x.number === fmt(x.lang, count)),
      `both widgets show ${count}`);
    const [es, pt] = states;
    assert.equal(es.lang, 'es');
    assert.equal(pt.lang, 'pt');
    for (const w of states) {
      assert.equal(w.after, 'SCRIPT', 'rendered right after its script tag');
      assert.equal(w.name, countName(w.lang, count, goal));
      assert.equal(w.goal, true);
      assert.equal(w.valuenow, String(Math.min(count, goal)));
      assert.equal(w.valuemax, String(goal));
      assert.equal(w.cta, WORDS[w.lang].cta);
      assert.equal(w.href, `${stack.base}/?lang=${w.lang}&campaign=icommit#pledge`);
      assert.equal(w.target, '', 'a script widget opens the pledge page in the same tab');
      assert.equal(w.live, '', 'nothing announced before a change');
    }
    assert.equal(pt.dark, true);
    assert.equal(es.dark, false);
    // The host page's CSS does not reach inside: the number keeps the widget's font.
    const font = await page.evaluate(() => getComputedStyle(document.querySelector('icommit-counter').shadowRoot.querySelector('.n')).fontFamily);
    assert.doesNotMatch(font, /Georgia/);

    await checkA11y(page, 'host page with two widgets');
    if (SCREENSHOTS) await page.screenshot({ path: join(IMG_DIR, 'widget.png'), clip: { x: 0, y: 0, width: 1280, height: 560 } });

    // A pledge arrives: both widgets show it on their next refresh.
    const next = await pledge({ country: 'UY', actor_type: 'government', category: 'public_transport', commitment: 'Montevideo sumará 50 ómnibus eléctricos a su flota urbana.' });
    assert.equal(next, count + 1);
    states = await waitForWidgets(page, (w) => w.every((x) => x.number === fmt(x.lang, next)), `both widgets show ${next}`);
    for (const w of states) {
      assert.equal(w.name, countName(w.lang, next, goal));
      assert.equal(w.live, `${WORDS[w.lang].now} ${countName(w.lang, next)}`, 'the change is announced politely');
    }

    // Let a few more refreshes happen, then read nginx's log of this test.
    await page.waitForTimeout(2500);
    const log = (await accessLog()).slice(logStart);
    const counterLines = log.filter((l) => l.includes('/api/v1/campaigns/icommit/counter '));
    assert.deepEqual(log.filter((l) => /"OPTIONS /.test(l)), [], 'a CORS preflight reached the server');
    assert.ok(counterLines.length >= 4, `only ${counterLines.length} counter requests`);
    assert.ok(counterLines.some((l) => /" 304 /.test(l)),
      `no 304: the browser did not revalidate with If-None-Match:\n${counterLines.join('\n')}`);
    assertNoConsoleErrors(page, 'two widgets');
  } finally {
    await page.close();
  }
});

test('counts are formatted for each language; page language, goal, theme and size options', { timeout: TIMEOUT }, async () => {
  const big = { campaign: 'icommit', count: 1234567, goal: 2000000, updated_at: '2026-11-28T12:00:00Z' };
  await site.write('formats.html', hostPage(`
    <section>
      ${widgetTag(stack.base, { campaign: 'icommit', lang: 'es' })}
      ${widgetTag(stack.base, { campaign: 'icommit', lang: 'en', size: 'small' }, { async: true })}
      ${widgetTag(stack.base, { campaign: 'icommit', lang: 'pt-BR', size: 'large' })}
      ${widgetTag(stack.base, { campaign: 'icommit' }, { async: true })}
      ${widgetTag(stack.base, { campaign: 'icommit', lang: 'xx', goal: 'hide' })}
    </section>`, { lang: 'fr-CA' }));
  const page = await context.newPage();
  try {
    await page.route(`${stack.base}/api/v1/campaigns/icommit/counter`, (route) => route.fulfill({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: JSON.stringify(big),
    }));
    await page.goto(`${site.base}/formats.html`);
    const states = await waitForWidgets(page, (w) => w.length === 5 && w.every((x) => x.card && x.number !== '…'), 'five widgets');
    // es, en, pt (from pt-BR), fr (from <html lang="fr-CA">), fr again (xx is unknown).
    assert.deepEqual(states.map((w) => w.lang), ['es', 'en', 'pt', 'fr', 'fr']);
    for (const w of states) {
      const n = fmt(w.lang, big.count);
      assert.notEqual(n, '1234567', `${w.lang}: not grouped`);
      assert.equal(w.number, n);
      assert.equal(w.name, countName(w.lang, big.count, w.goal ? big.goal : 0));
    }
    assert.equal(states[0].number, '1.234.567');
    assert.equal(states[1].number, '1,234,567');
    assert.deepEqual(states.map((w) => w.size), ['medium', 'small', 'large', 'medium', 'medium']);
    assert.deepEqual(states.map((w) => w.goal), [true, true, true, true, false]);
    assert.equal(states[4].name, countName('fr', big.count));
    assertNoConsoleErrors(page, 'formats');
  } finally {
    await page.close();
  }
});

test('a host page with a strict Content-Security-Policy only needs script-src and connect-src', { timeout: TIMEOUT }, async () => {
  await site.write('csp.html', `<!doctype html>
<html lang="es">
<head>
  <meta charset="utf-8">
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${stack.base}; connect-src ${stack.base}; img-src data:">
  <title>Strict</title>
  <link rel="icon" href="data:,">
</head>
<body><main>${widgetTag(stack.base, { campaign: 'icommit', lang: 'es' })}</main></body>
</html>`);
  const page = await context.newPage();
  try {
    await page.goto(`${site.base}/csp.html`);
    await waitForWidgets(page, (w) => w.length === 1 && w[0].number === fmt('es', lastCount), 'the widget under a strict CSP');
    // Styled (its constructed stylesheet is not an inline style), and nothing refused.
    const styled = await page.evaluate(() => {
      const n = document.querySelector('icommit-counter').shadowRoot.querySelector('.n');
      return parseFloat(getComputedStyle(n).fontSize) > 30 && getComputedStyle(n).fontWeight === '800';
    });
    assert.ok(styled, 'the widget is unstyled under style-src none');
    assertNoConsoleErrors(page, 'strict CSP');
  } finally {
    await page.close();
  }
});

test('a hidden tab stops refreshing and catches up when shown again', { timeout: TIMEOUT }, async () => {
  await site.write('hidden.html', hostPage(`<section>${widgetTag(stack.base, { campaign: 'icommit', lang: 'es', interval: 1 })}</section>`));
  const page = await context.newPage();
  try {
    const counterRequests = [];
    page.on('request', (req) => {
      if (req.url().endsWith('/api/v1/campaigns/icommit/counter')) counterRequests.push(Date.now());
    });
    await page.goto(`${site.base}/hidden.html`);
    await waitForWidgets(page, (w) => w.length === 1 && w[0].card && /\d/.test(w[0].number), 'the widget');
    const setHidden = (hidden) => page.evaluate((h) => {
      Object.defineProperty(document, 'hidden', { configurable: true, get: () => h });
      Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (h ? 'hidden' : 'visible') });
      document.dispatchEvent(new Event('visibilitychange'));
    }, hidden);
    await setHidden(true);
    await page.waitForTimeout(300); // a request already on its way may finish
    const hiddenAt = counterRequests.length;
    await page.waitForTimeout(3500);
    assert.equal(counterRequests.length, hiddenAt, 'the widget polled while the tab was hidden');
    await setHidden(false);
    await page.waitForTimeout(2000);
    assert.ok(counterRequests.length > hiddenAt, 'the widget did not resume when the tab was shown');
    assertNoConsoleErrors(page, 'hidden tab');
  } finally {
    await page.close();
  }
});

test('when the API is unreachable the widget is a plain link, and it recovers', { timeout: TIMEOUT }, async () => {
  // A stack of its own: its counter was never fetched, so nginx has no copy to
  // serve stale when the daemon is down.
  const down = await startStack({ config: { verify_email: 'no', moderation: 'no' } });
  const page = await context.newPage();
  try {
    await down.killDaemon('SIGTERM');
    await site.write('down.html', hostPage(`<section>
      ${widgetTag(down.base, { campaign: 'icommit', lang: 'es', interval: 1 })}
      ${widgetTag(down.base, { campaign: 'icommit', lang: 'fr', theme: 'dark', interval: 1 }, { async: true })}
    </section>`));
    await page.goto(`${site.base}/down.html`);
    let states = await waitForWidgets(page, (w) => w.length === 2 && w.every((x) => x.fallback), 'the fallback link');
    for (const w of states) {
      assert.equal(w.card, false);
      assert.equal(w.fallbackHref, `${down.base}/?lang=${w.lang}&campaign=icommit#pledge`);
      assert.match(w.fallbackText, /^I COMMIT/);
      assert.ok(w.fallbackText.includes(WORDS[w.lang].cta), w.fallbackText);
    }
    await checkA11y(page, 'fallback');
    // The browser logs the failed requests (nginx's 503 carries no CORS header).
    const unexpected = consoleErrors(page).filter((e) => !/CORS|503|ERR_FAILED|Service Unavailable/i.test(e.text));
    assert.deepEqual(unexpected, []);
    clearConsoleErrors(page);

    await down.startDaemon();
    const { count } = await apiJson('/api/v1/campaigns/icommit/counter', down);
    states = await waitForWidgets(page, (w) => w.every((x) => x.card && !x.fallback && x.number === fmt(x.lang, count)),
      'recovery after the API came back', 30000);
    assert.equal(states[0].name, countName('es', count, 1000));
  } finally {
    await page.close();
    await down.stop();
  }
});

test('embed.html in an iframe on another origin is the same counter', { timeout: TIMEOUT }, async () => {
  const count = lastCount;
  await site.write('iframe.html', hostPage(`<section>
      <iframe src="${stack.base}/embed.html?campaign=icommit&amp;lang=en&amp;theme=dark&amp;size=large" title="I COMMIT pledge counter" width="450" height="325" style="border:0;max-width:100%"></iframe>
    </section>`));
  const page = await context.newPage();
  try {
    const res = await get(stack.base, '/embed.html');
    assert.match(res.headers['content-security-policy'], /frame-ancestors \*/);
    assert.equal(res.headers['x-frame-options'], undefined);
    await page.goto(`${site.base}/iframe.html`);
    await page.frameLocator('iframe').locator('icommit-counter .n').waitFor();
    const f = page.frames().find((x) => x.url().startsWith(`${stack.base}/embed.html`));
    await f.waitForFunction((n) => document.querySelector('icommit-counter')?.shadowRoot.querySelector('.n').textContent === n,
      fmt('en', count));
    const inside = await f.evaluate(() => {
      const r = document.querySelector('icommit-counter').shadowRoot;
      return {
        lang: document.documentElement.lang,
        title: document.title,
        dark: r.querySelector('.w').classList.contains('dark'),
        large: r.querySelector('.w').classList.contains('large'),
        target: r.querySelector('a.a').target,
        linkText: r.querySelector('a.a').textContent,
        // Fits its frame: nothing to scroll.
        fits: document.documentElement.scrollHeight <= innerHeight && document.documentElement.scrollWidth <= innerWidth,
      };
    });
    assert.deepEqual(inside, {
      lang: 'en', title: 'I COMMIT — pledge counter', dark: true, large: true, target: '_blank',
      linkText: 'Make your pledge (opens in a new tab)', fits: true,
    });
    assertNoConsoleErrors(page, 'iframe host');

    // The embed page on its own: axe-clean, every size fits the snippet's frame.
    const alone = await context.newPage();
    try {
      // share.js's IFRAME_SIZES: with the goal bar, and without.
      for (const [size, width, height, goal] of [['small', 300, 220, 'show'], ['medium', 360, 265, 'show'], ['large', 450, 325, 'show'],
        ['small', 300, 180, 'hide'], ['medium', 360, 215, 'hide'], ['large', 450, 265, 'hide']]) {
        await alone.setViewportSize({ width, height });
        await alone.goto(`${stack.base}/embed.html?campaign=icommit&lang=pt&size=${size}&goal=${goal}`);
        await alone.waitForFunction(() => /\d/.test(document.querySelector('icommit-counter')?.shadowRoot.querySelector('.n').textContent || ''));
        const fits = await alone.evaluate(() => document.documentElement.scrollHeight <= innerHeight
          && document.documentElement.scrollWidth <= innerWidth);
        assert.ok(fits, `${size} (goal ${goal}) does not fit ${width}×${height}`);
      }
      await checkA11y(alone, 'embed.html');
      assertNoConsoleErrors(alone, 'embed.html');
    } finally {
      await alone.close();
    }
  } finally {
    await page.close();
  }
});

/** Decodes the QR code in a PNG with zbarimg (Debian's zbar-tools). */
async function decodeQr(png) {
  try {
    const { stdout } = await run('zbarimg', ['-q', '--raw', png]);
    return stdout.trim();
  } catch (err) {
    if (err.code === 'ENOENT') throw new Error('zbarimg is missing: apt-get install zbar-tools (scripts/deps does)');
    throw new Error(`zbarimg could not read ${png}: ${err.stderr || err.message}`);
  }
}

test('big-screen mode: a number counting up, the goal bar, pledges scrolling by and a QR code of the pledge page', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ viewport: { width: 1280, height: 720 } });
  const tmp = await mkdtemp(join(tmpdir(), 'icommit-qr-'));
  try {
    const page = await ctx.newPage();
    // Every value the big number shows, from the first one on.
    await page.addInitScript(() => {
      const seen = [];
      Object.defineProperty(window, 'seenNumbers', { value: seen });
      document.addEventListener('DOMContentLoaded', () => {
        const n = document.getElementById('screen-number');
        new MutationObserver(() => seen.push(n.textContent)).observe(n, { childList: true, characterData: true, subtree: true });
      });
    });
    const count = lastCount;
    const { goal } = await apiJson('/api/v1/campaigns/icommit');
    const wall = await apiJson('/api/v1/campaigns/icommit/pledges?limit=10');
    await page.goto(`${stack.base}/embed.html?campaign=icommit&lang=es&display=screen&interval=1`);
    await page.waitForFunction((n) => document.getElementById('screen-number').textContent === n, fmt('es', count));

    // It counted up: several increasing values, never below zero, ending
    // on the count.
    const shown = await page.evaluate(() => window.seenNumbers);
    assert.ok(!shown.some((t) => /[-\u2212]/.test(t)), `a negative number shown: ${shown.join(', ')}`);
    const seen = shown.map((t) => Number(t.replace(/\D/g, '')));
    assert.ok(new Set(seen).size >= 3, `no count-up: ${seen.join(', ')}`);
    assert.deepEqual(seen, [...seen].sort((a, b) => a - b), `not increasing: ${seen.join(', ')}`);
    assert.equal(seen.at(-1), count);

    assert.equal(await page.getAttribute('#screen-count', 'aria-label'), countName('es', count, goal));
    assert.equal(await page.getAttribute('#screen-bar', 'aria-valuenow'), String(count));
    assert.equal(await page.getAttribute('#screen-bar', 'aria-valuemax'), String(goal));
    assert.ok((await page.locator('#screen-fill').boundingBox()).width > 0, 'the goal bar is empty');
    assert.equal(await page.textContent('#screen-goal-text'), `Meta: ${fmt('es', goal)}`);
    assert.equal(await page.title(), 'I COMMIT — pantalla de compromisos');
    const campaign = await apiJson('/api/v1/campaigns/icommit');
    assert.equal(await page.textContent('#screen-title'), campaign.title.es);

    // The latest public pledges (limit 10), newest first, scrolling.
    const items = await page.locator('#screen-pledges > li .pledge__text').allTextContents();
    assert.deepEqual(items, wall.items.map((p) => p.commitment));
    assert.equal(items.length, 10);
    const scrolling = await page.evaluate(() => {
      const track = document.getElementById('screen-track');
      return {
        cls: track.classList.contains('is-scrolling'),
        animations: track.getAnimations().filter((a) => a.playState === 'running').length,
        copyHidden: track.querySelector('.screen__pledges--copy')?.getAttribute('aria-hidden'),
      };
    });
    assert.deepEqual(scrolling, { cls: true, animations: 1, copyHidden: 'true' });
    const y1 = (await page.locator('#screen-pledges').boundingBox()).y;
    await page.waitForTimeout(600);
    const y2 = (await page.locator('#screen-pledges').boundingBox()).y;
    assert.ok(y2 < y1, `the pledges do not move (${y1} -> ${y2})`);

    // The QR code: the daemon's, decoded, is the pledge page of base_url.
    const pledgeUrl = `${stack.base}/?campaign=icommit#pledge`;
    assert.equal(await page.getAttribute('#screen-qr', 'src'), '/api/v1/campaigns/icommit/qr.svg');
    await page.waitForFunction(() => document.getElementById('screen-qr').naturalWidth > 0);
    assert.equal(await page.textContent('#screen-url'), pledgeUrl.replace('http://', ''));
    assert.match(await page.getAttribute('#screen-qr', 'alt'), /QR/);
    const png = join(tmp, 'qr.png');
    await page.locator('#screen-qr').screenshot({ path: png });
    assert.equal(await decodeQr(png), pledgeUrl);

    await checkA11y(page, 'big screen');
    if (SCREENSHOTS) {
      // As on a projector: the full-screen button has hidden itself.
      await page.evaluate(() => document.getElementById('screen').classList.add('is-idle'));
      await page.screenshot({ path: join(IMG_DIR, 'big-screen.png') });
    }

    // A new pledge: the number climbs to it and it is announced.
    const next = await pledge({ country: 'AR', actor_type: 'private_sector', category: 'fleet', quantity: 20, unit: 'vehicles', commitment: 'Nuestra empresa de reparto electrificará 20 furgonetas en Buenos Aires.' });
    await page.waitForFunction((n) => document.getElementById('screen-number').textContent === n, fmt('es', next), { timeout: 15000 });
    assert.equal(await page.textContent('#screen-live'), `Ahora hay ${countName('es', next)}`);
    await page.waitForFunction(() => document.querySelector('#screen-pledges .pledge__text').textContent.startsWith('Nuestra empresa de reparto'),
      null, { timeout: 15000 });
    assertNoConsoleErrors(page, 'big screen');

    // With reduced motion: the number is shown at once, nothing scrolls.
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.reload();
    await page.waitForFunction((n) => document.getElementById('screen-number').textContent === n, fmt('es', next));
    await page.waitForFunction(() => document.querySelectorAll('#screen-pledges > li').length === 10);
    const still = await page.evaluate(() => ({
      seen: [...new Set(window.seenNumbers)],
      scrolling: document.getElementById('screen-track').classList.contains('is-scrolling'),
      animations: document.getElementById('screen-track').getAnimations().length,
    }));
    assert.deepEqual(still.seen.filter((t) => t !== '0'), [fmt('es', next)], 'counted up despite reduced motion');
    assert.equal(still.scrolling, false);
    assert.equal(still.animations, 0);
    assertNoConsoleErrors(page, 'big screen, reduced motion');
  } finally {
    await ctx.close();
    await rm(tmp, { recursive: true, force: true });
  }
});

test('share.html builds snippets that work when pasted into another site, and copies them', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ permissions: ['clipboard-read', 'clipboard-write'], viewport: { width: 1280, height: 900 } });
  try {
    const page = await ctx.newPage();
    await page.goto(`${stack.base}/share.html?lang=es`);
    await page.waitForFunction(() => document.querySelector('#share-stage icommit-counter')
      ?.shadowRoot.querySelector('.n').textContent.match(/\d/));
    const campaign = await apiJson('/api/v1/campaigns/icommit');
    assert.match(await page.locator('#share-campaign option[value=icommit]').textContent(), new RegExp(campaign.title.es));
    assert.equal(await page.inputValue('#snippet-script'),
      `<script src="${stack.base}/widget.js" data-campaign="icommit" async></script>`);
    await checkA11y(page, 'share.html');

    // Portuguese, dark, large.
    await page.selectOption('#share-lang', 'pt');
    await page.check('input[name=theme][value=dark]');
    await page.check('input[name=size][value=large]');
    const script = await page.inputValue('#snippet-script');
    const iframe = await page.inputValue('#snippet-iframe');
    const badge = await page.inputValue('#snippet-badge');
    assert.equal(script, `<script src="${stack.base}/widget.js" data-campaign="icommit" data-lang="pt" data-theme="dark" data-size="large" async></script>`);
    assert.equal(iframe, `<iframe src="${stack.base}/embed.html?campaign=icommit&amp;lang=pt&amp;theme=dark&amp;size=large" title="Contador de compromissos do I COMMIT" width="450" height="325" style="border:0;max-width:100%" loading="lazy"></iframe>`);
    assert.equal(badge, `<a href="${stack.base}/?lang=pt&amp;campaign=icommit#pledge"><img src="${stack.base}/api/v1/campaigns/icommit/counter.svg?lang=pt" alt="I COMMIT: compromissos pela mobilidade elétrica" height="20"></a>`);
    assert.equal(await page.getAttribute('#snippet-screen-link', 'href'), '/embed.html?campaign=icommit&lang=pt&display=screen');

    // The live preview is the real widget with these options.
    await page.waitForFunction(() => {
      const r = document.querySelector('#share-stage icommit-counter')?.shadowRoot;
      return r && r.host.lang === 'pt' && r.querySelector('.w.dark.large') && /\d/.test(r.querySelector('.n').textContent);
    });
    assert.equal(await page.locator('#share-stage icommit-counter').count(), 1, 'old previews are removed');

    // Copy buttons: the Clipboard API, and a message.
    await page.click('button[data-copy=snippet-script]');
    await page.waitForFunction(() => document.querySelector('button[data-copy=snippet-script]').parentElement.querySelector('[role=status]').textContent !== '');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), script);
    assert.equal(await page.locator('button[data-copy=snippet-script] + [role=status]').textContent(), dict.es['share.copied']);
    // Without the Clipboard API the text is selected for Ctrl+C.
    await page.evaluate(() => Object.defineProperty(navigator, 'clipboard', { configurable: true, value: undefined }));
    await page.click('button[data-copy=snippet-badge]');
    const selection = await page.evaluate(() => {
      const area = document.getElementById('snippet-badge');
      return { focused: document.activeElement === area, start: area.selectionStart, end: area.selectionEnd, length: area.value.length };
    });
    assert.deepEqual(selection, { focused: true, start: 0, end: selection.length, length: selection.length });
    assert.equal(await page.locator('button[data-copy=snippet-badge] + [role=status]').textContent(), dict.es['share.copy_manual']);

    await checkA11y(page, 'share.html after choosing');
    if (SCREENSHOTS) {
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(IMG_DIR, 'share.png') });
    }
    assertNoConsoleErrors(page, 'share.html');

    // Pasted into the organiser's site, all three work.
    const count = lastCount;
    await site.write('pasted.html', hostPage(`<section>${script}</section><section>${iframe}</section><section>${badge}</section>`, { lang: 'en' }));
    const host = await ctx.newPage();
    await host.goto(`${site.base}/pasted.html`);
    const states = await waitForWidgets(host, (w) => w.length === 1 && w[0].number === fmt('pt', count), 'the pasted widget');
    assert.equal(states[0].lang, 'pt');
    assert.equal(states[0].dark, true);
    assert.equal(states[0].size, 'large');
    // The iframe may still be on its way (a loaded machine): wait for it.
    let frame;
    for (let i = 0; i < 100 && !frame; i++) {
      frame = host.frames().find((x) => x.url().startsWith(`${stack.base}/embed.html`));
      if (!frame) await host.waitForTimeout(100);
    }
    assert.ok(frame, 'the pasted iframe loaded embed.html');
    await frame.waitForFunction((n) => document.querySelector('icommit-counter')?.shadowRoot.querySelector('.n').textContent === n, fmt('pt', count));
    await host.waitForFunction(() => document.querySelector('img[src*="counter.svg"]').naturalWidth > 0);
    assertNoConsoleErrors(host, 'pasted snippets');
  } finally {
    await ctx.close();
  }
});

test('the landing page draws /stats as charts whose tables hold the same numbers', { timeout: TIMEOUT }, async () => {
  const stats = await freshJson('/api/v1/campaigns/icommit/stats');
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/?lang=es`);
    await page.waitForSelector('#chart-country svg');
    const es = dict.es;

    // Each chart: an SVG named by its title and description, a table with every row.
    const charts = await page.evaluate(() => [...document.querySelectorAll('#numbers .chart')].map((fig) => {
      const svg = fig.querySelector('svg');
      const names = (svg.getAttribute('aria-labelledby') || '').split(' ').map((id) => document.getElementById(id)?.textContent);
      return {
        id: fig.id,
        role: svg.getAttribute('role'),
        names,
        title: fig.querySelector('.chart__title').textContent,
        bars: [...svg.querySelectorAll('.chart__row')].map((g) => [g.querySelector('.chart__label').textContent, g.querySelector('.chart__value').textContent]),
        widths: [...svg.querySelectorAll('.chart__bar')].map((r) => parseFloat(r.getAttribute('width'))),
        table: [...fig.querySelectorAll('table tbody tr')].map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]),
        inDetails: Boolean(fig.querySelector('details table')),
      };
    }));
    assert.deepEqual(charts.map((c) => c.id), ['chart-country', 'chart-actor', 'chart-category']);

    const names = new Intl.DisplayNames(['es'], { type: 'region' });
    const expect = {
      'chart-country': Object.entries(stats.by_country).map(([k, v]) => [names.of(k), v]),
      'chart-actor': Object.entries(stats.by_actor_type).map(([k, v]) => [es[`actor.${k}`], v]),
      'chart-category': Object.entries(stats.by_category).map(([k, v]) => [es[`category.${k}`], v]),
    };
    const collator = new Intl.Collator('es');
    for (const c of charts) {
      const rows = expect[c.id].sort((a, b) => b[1] - a[1] || collator.compare(a[0], b[0]))
        .map(([label, v]) => [label, fmt('es', v)]);
      assert.equal(c.role, 'img');
      assert.equal(c.names[0], c.title);
      assert.ok(c.names[1] && c.names[1].length > 0, `${c.id}: no description`);
      assert.ok(c.inDetails, `${c.id}: the table is not in a <details>`);
      assert.deepEqual(c.table, rows, `${c.id}: table`);
      assert.deepEqual(c.bars, rows.slice(0, 12), `${c.id}: bars`);
      assert.deepEqual(c.widths, [...c.widths].sort((a, b) => b - a), `${c.id}: bars not sorted`);
      assert.equal(c.widths[0], 100);
    }
    // The totals per unit, in words, in the language.
    const unitText = (lang, unit) => dict[lang][`numbers.total.${unit}.other`].replace('{count}', fmt(lang, stats.totals[unit]));
    const totals = await page.textContent('#numbers-totals');
    assert.ok(totals.startsWith(dict.es['numbers.totals'].split('{list}')[0]), totals);
    for (const unit of ['buses', 'chargers', 'mw', 'people', 'vehicles']) {
      assert.ok(totals.includes(unitText('es', unit)), `${unit}: ${totals}`);
    }
    assert.ok(totals.includes(fmt('es', stats.totals.usd, { style: 'currency', currency: 'USD', notation: 'compact', maximumFractionDigits: 1 })), totals);
    assert.equal(await page.locator('#numbers-totals strong').count(), Object.keys(stats.totals).length);

    // English: names and numbers follow the language switch.
    await page.selectOption('#lang-select', 'en');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    const en = await page.locator('#chart-country table tbody tr th').allTextContents();
    assert.ok(en.includes('Chile') && en.includes('Mexico') && en.includes('Brazil'), en.join(', '));
    assert.ok((await page.textContent('#numbers-totals')).includes(unitText('en', 'buses')));

    await page.locator('#chart-country details summary').click();
    await checkA11y(page, 'landing page with charts');
    assertNoConsoleErrors(page, 'landing charts');
  } finally {
    await page.close();
  }
});

test('on a phone a long country name is shortened in the chart, whole in the table, and nothing overflows', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
  try {
    const page = await ctx.newPage();
    await page.route('**/api/v1/campaigns/icommit/stats', (route) => route.fulfill({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({
        count: 120, by_country: { VC: 70, CL: 50 }, by_actor_type: { government: 120 },
        by_category: { policy: 120 }, totals: { usd: 1234567, buses: 1200 },
      }),
    }));
    await page.goto(`${stack.base}/?lang=fr`);
    await page.waitForSelector('#chart-country svg');
    const full = new Intl.DisplayNames(['fr'], { type: 'region' }).of('VC');
    const shown = await page.locator('#chart-country .chart__label').first().textContent();
    assert.ok(shown.endsWith('…') && full.startsWith(shown.slice(0, -1)), `${shown} / ${full}`);
    assert.equal(await page.locator('#chart-country tbody th').first().textContent(), full);
    const { scrollWidth, innerWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
    }));
    assert.ok(scrollWidth <= innerWidth, `${scrollWidth} > ${innerWidth}`);
    // On a wide window the whole name fits again.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.waitForFunction((name) => document.querySelector('#chart-country .chart__label').textContent === name, full);
    assertNoConsoleErrors(page, 'charts on a phone');
  } finally {
    await ctx.close();
  }
});

test('the landing page shows an invitation, not empty charts, before the first pledge', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.route('**/api/v1/campaigns/icommit/stats', (route) => route.fulfill({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      body: JSON.stringify({ count: 0, by_country: {}, by_actor_type: {}, by_category: {}, totals: {} }),
    }));
    await page.goto(`${stack.base}/?lang=pt`);
    await page.waitForSelector('#numbers-empty', { state: 'visible' });
    assert.equal(await page.locator('#numbers .chart').count(), 0);
    assert.equal(await page.locator('#numbers-totals').isVisible(), false);
    await checkA11y(page, 'landing page, no pledges yet');
    assertNoConsoleErrors(page, 'empty numbers');
  } finally {
    await page.close();
  }
});
