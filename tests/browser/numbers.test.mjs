// tests/browser/numbers.test.mjs — the campaign's figures as people meet
// them, in Chromium against the real stack (nginx + icommitd, e-mail
// verification on) and an organiser's site on another origin
// (lib/origin.mjs): the counter's words say what it counts (no "public":
// it counts private and unmoderated pledges too) on the landing page, the
// confirm page and the widget in four languages; the widget's language
// (data-lang, else the host page's <html lang>, else Spanish); share.html
// carrying a language into the badge and the iframes; one rule for numbers
// (js/format.js, widget.js's copy of it and the daemon's badge agree, "1.000"
// in Spanish too); a visible fill for any count > 0 on the landing page and
// in the widget; the map of pledges by country and the count over time on
// the landing page and as embeds. axe on every page, no console errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { get, postJson } from '../e2e/lib/http.mjs';
import { freshJson, sqlite } from '../e2e/lib/pledge-helpers.mjs';
import { confirmationToken } from '../e2e/lib/staff.mjs';
import { launchBrowser, checkA11y, assertNoConsoleErrors } from './lib/browser.mjs';
import { startOrigin } from './lib/origin.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TIMEOUT = 90_000;
const LANGS = ['es', 'pt', 'en', 'fr'];
const DAY = 86400;

/** widget.js's words for the count (w1/wN + m), which the site's label must match. */
const WIDGET = {
  es: ['compromiso', 'compromisos', 'por la movilidad eléctrica'],
  pt: ['compromisso', 'compromissos', 'pela mobilidade elétrica'],
  en: ['pledge', 'pledges', 'for electric mobility'],
  fr: ['engagement', 'engagements', 'pour la mobilité électrique'],
};
/** Counted pledges by country: the region, a small island state, and Spain (not on the map). */
const COUNTRIES = { PE: 4, CL: 3, MX: 2, BR: 1, AR: 1, HT: 1, LC: 1, ES: 1 };

let stack;
let site;
let context;
let seq = 0;
const dict = {};
const words = {}; // lang -> www/i18n/numbers.{lang}.json

/** A pledge submitted and confirmed by its author; resolves to the confirmation's token. */
async function pledge(country, { confirm = true } = {}) {
  const n = ++seq;
  const email = `numeros${n}@example.org`;
  const r = await postJson(stack.base, '/api/v1/campaigns/icommit/pledges', {
    name: `Persona ${n}`, email, actor_type: 'individual', country, consent: true,
    commitment: `Compromiso número ${n}: me moveré en transporte eléctrico.`,
  });
  assert.equal(r.status, 202, r.text);
  const token = confirmationToken(stack, email);
  if (confirm) assert.equal((await postJson(stack.base, '/api/v1/confirm', { token })).status, 200);
  return token;
}

const fill = (text, vars) => text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
/** The site's number rule, as js/format.js writes it. */
const fmt = (lang, n, options) => new Intl.NumberFormat(lang, { useGrouping: 'always', ...options }).format(n);

function hostPage(body, lang) {
  return `<!doctype html>
<html${lang === null ? '' : ` lang="${lang}"`}>
<head><meta charset="utf-8"><title>Electric Mobility Forum</title><link rel="icon" href="data:,"></head>
<body><main><h1>Electric Mobility Forum</h1>
${body}
</main></body>
</html>
`;
}

before(async () => {
  stack = await startStack({ config: { verify_email: 'yes', moderation: 'no' } });
  site = await startOrigin();
  context = await launchBrowser();
  for (const lang of LANGS) {
    dict[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `${lang}.json`), 'utf8'));
    words[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `numbers.${lang}.json`), 'utf8'));
  }
  for (const [country, n] of Object.entries(COUNTRIES)) {
    for (let i = 0; i < n; i++) await pledge(country);
  }
  // Spread over three days (as if confirmed earlier), then let recount
  // rebuild the day tally and the daemon re-read the campaign.
  sqlite(stack.dbPath, `UPDATE pledges SET confirmed_at = confirmed_at - (id % 3) * 2 * ${DAY};`);
  assert.equal((await stack.ctl('recount')).code, 0);
  await stack.restartDaemon();
});

after(async () => {
  await context?.close();
  await site?.stop();
  await stack?.stop();
});

test('the counter says what it counts, not "public", on the landing page, the confirm page and in the widget', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    for (const lang of LANGS) {
      const [one, other, m] = WIDGET[lang];
      for (const key of ['counter.label.one', 'counter.label.other']) {
        assert.doesNotMatch(dict[lang][key], /publi|públi/i, `${lang} ${key}`);
      }
      assert.equal(dict[lang]['counter.label.one'], `${one} ${m}`, `${lang}: the site and the widget say it alike`);
      assert.equal(dict[lang]['counter.label.other'], `${other} ${m}`);

      await page.goto(`${stack.base}/?lang=${lang}`);
      await page.waitForSelector('#counter-figures', { state: 'visible' });
      assert.equal(await page.textContent('#counter-label'), `${other} ${m}`, lang);

      // A real confirmation, in the browser: the thanks show the new count.
      const token = await pledge('UY', { confirm: false });
      await page.goto(`${stack.base}/confirm.html?token=${token}&lang=${lang}`);
      await page.click('#confirm-button');
      await page.waitForSelector('#confirm-count-box', { state: 'visible' });
      assert.equal(await page.textContent('#confirm-count-label'), `${other} ${m}`, `${lang}: confirm page`);
      await checkA11y(page, `confirm page ${lang}`);
    }
    assertNoConsoleErrors(page, 'counter words');

    // The widget, on another site.
    await site.write('words.html', hostPage(LANGS.map((l) => `<script src="${stack.base}/widget.js" data-lang="${l}"></script>`).join('\n'), 'en'));
    await page.goto(`${site.base}/words.html`);
    await page.waitForFunction(() => [...document.querySelectorAll('icommit-counter')].every((h) => /\d/.test(h.shadowRoot.querySelector('.n').textContent)));
    const labels = await page.evaluate(() => [...document.querySelectorAll('icommit-counter')].map((h) => h.shadowRoot.querySelector('.t').textContent));
    assert.deepEqual(labels, LANGS.map((l) => `${WIDGET[l][1]} ${WIDGET[l][2]}`));
    assertNoConsoleErrors(page, 'widget words');
  } finally {
    await page.close();
  }
});

test('the widget speaks data-lang, else the host page\'s <html lang>, else Spanish — not the visitor\'s browser language', { timeout: TIMEOUT }, async () => {
  const ctx = await launchBrowser({ locale: 'fr-FR' }); // navigator.languages: fr-FR
  try {
    const page = await ctx.newPage();
    const cases = [
      ['en', {}, 'en'], ['pt-BR', {}, 'pt'], ['es-419', {}, 'es'], [null, {}, 'es'], ['de', {}, 'es'],
      ['en', { lang: 'pt' }, 'pt'],
    ];
    for (const [pageLang, data, want] of cases) {
      const attrs = Object.entries(data).map(([k, v]) => ` data-${k}="${v}"`).join('');
      await site.write('lang.html', hostPage(`<script src="${stack.base}/widget.js" data-campaign="icommit"${attrs}></script>`, pageLang));
      await page.goto(`${site.base}/lang.html`);
      await page.waitForFunction(() => /\d/.test(document.querySelector('icommit-counter')?.shadowRoot.querySelector('.n').textContent ?? ''));
      const got = await page.evaluate(() => {
        const h = document.querySelector('icommit-counter');
        return { lang: h.lang, words: h.shadowRoot.querySelector('.t').textContent };
      });
      assert.deepEqual(got, { lang: want, words: `${WIDGET[want][1]} ${WIDGET[want][2]}` }, `page lang ${pageLang}, ${JSON.stringify(data)}`);
    }
    assertNoConsoleErrors(page, 'widget languages');
  } finally {
    await ctx.close();
  }
});

test('share.html: the badge, the iframe, the map and the timeline carry the page\'s (or the chosen) language', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/share.html?lang=en`);
    await page.waitForFunction(() => document.querySelector('#snippet-badge').value.includes('counter.svg'));
    const b = stack.base;
    // "The page's language": the script follows the host page; what cannot see it gets English.
    assert.equal(await page.inputValue('#snippet-script'), `<script src="${b}/widget.js" data-campaign="icommit" async></script>`);
    assert.equal(await page.inputValue('#snippet-badge'),
      `<a href="${b}/?lang=en&amp;campaign=icommit#pledge"><img src="${b}/api/v1/campaigns/icommit/counter.svg?lang=en" alt="I COMMIT: pledges for electric mobility" height="20"></a>`);
    assert.equal(await page.inputValue('#snippet-iframe'),
      `<iframe src="${b}/embed.html?campaign=icommit&amp;lang=en" title="I COMMIT pledge counter" width="360" height="265" style="border:0;max-width:100%" loading="lazy"></iframe>`);
    assert.equal(await page.inputValue('#snippet-map'),
      `<iframe src="${b}/embed.html?campaign=icommit&amp;lang=en&amp;view=map" title="Map of I COMMIT pledges" width="560" height="860" style="border:0;max-width:100%" loading="lazy"></iframe>`);
    assert.equal(await page.inputValue('#snippet-timeline'),
      `<iframe src="${b}/embed.html?campaign=icommit&amp;lang=en&amp;view=timeline" title="I COMMIT pledges over time" width="560" height="480" style="border:0;max-width:100%" loading="lazy"></iframe>`);
    // The previews: an English badge, English frames.
    assert.equal(await page.getAttribute('#snippet-badge-preview img', 'src'), `${b}/api/v1/campaigns/icommit/counter.svg?lang=en`);
    await page.waitForFunction(() => document.querySelector('#snippet-badge-preview img').naturalWidth > 0);
    for (const [id, title] of [['snippet-map-preview', 'I COMMIT — pledges on the map'], ['snippet-timeline-preview', 'I COMMIT — pledges over time']]) {
      const frame = page.frameLocator(`#${id} iframe`);
      await frame.locator('.viz').waitFor();
      assert.equal(await frame.locator('html').getAttribute('lang'), 'en');
      assert.equal(await frame.locator('#embed-title').textContent(), title);
    }
    assert.equal(await page.getAttribute('#share-lang', 'aria-describedby'), 'share-lang-hint');
    assert.equal(await page.textContent('#share-lang-hint'), words.en['share.language_hint']);
    await checkA11y(page, 'share.html?lang=en');

    // A chosen language goes everywhere, the script included.
    await page.selectOption('#share-lang', 'fr');
    assert.match(await page.inputValue('#snippet-script'), / data-lang="fr" /);
    for (const id of ['snippet-badge', 'snippet-iframe', 'snippet-map', 'snippet-timeline']) {
      assert.match(await page.inputValue(`#${id}`), /lang=fr/, id);
    }
    assert.match(await page.inputValue('#snippet-map'), /title="Carte des engagements I COMMIT"/);
    assertNoConsoleErrors(page, 'share.html');
  } finally {
    await page.close();
  }
});

test('one rule for numbers: "1.000" in Spanish as "1.000" in Portuguese; widget.js\'s copy writes as js/format.js', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    const { goal } = (await get(stack.base, '/api/v1/campaigns/icommit')).json;
    assert.equal(goal, 1000, 'the default campaign\'s goal');
    const thousand = { es: '1.000', pt: '1.000', en: '1,000', fr: '1\u202f000' };
    for (const lang of LANGS) {
      await page.goto(`${stack.base}/?lang=${lang}`);
      await page.waitForSelector('#counter-goal', { state: 'visible' });
      assert.equal(await page.textContent('#counter-goal-text'), fill(dict[lang]['counter.goal'], { goal: thousand[lang] }), lang);
      // The page's own module writes the same.
      assert.equal(await page.evaluate(async (l) => (await import('/js/format.js')).formatNumber(l, 1000), lang), thousand[lang]);
    }
    assertNoConsoleErrors(page, 'goal text');

    // widget.js carries its own copy of the rule: it must write what
    // js/format.js writes, for every language and size of number.
    const numbers = [0, 7, 999, 1000, 1234, 12345, 123456, 1234567, 9007199254740991];
    await site.write('rule.html', hostPage(LANGS.map((l) => `<script src="${stack.base}/widget.js" data-lang="${l}" data-interval="1"></script>`).join('\n'), 'en'));
    let current = { count: 0, goal: 1 };
    await page.route(`${stack.base}/api/v1/campaigns/icommit/counter`, (route) => route.fulfill({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      headers: { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' },
      body: JSON.stringify({ campaign: 'icommit', updated_at: '2026-11-28T12:00:00Z', ...current }),
    }));
    await page.goto(`${site.base}/rule.html`);
    const formatPage = await context.newPage();
    await formatPage.goto(`${stack.base}/share.html`);
    for (const n of numbers) {
      current = { count: n, goal: Number.isSafeInteger(n + 1000) ? n + 1000 : n };
      const want = await formatPage.evaluate(async ([langs, c, g]) => {
        const { formatNumber } = await import('/js/format.js');
        return langs.map((l) => [formatNumber(l, c), formatNumber(l, g)]);
      }, [LANGS, current.count, current.goal]);
      await page.waitForFunction((w) => [...document.querySelectorAll('icommit-counter')].every((h, i) => {
        const r = h.shadowRoot;
        return r.querySelector('.n').textContent === w[i][0] && r.querySelector('.gl span').textContent.endsWith(w[i][1]);
      }), want, { timeout: 10000 }).catch(async () => {
        const got = await page.evaluate(() => [...document.querySelectorAll('icommit-counter')].map((h) => [h.shadowRoot.querySelector('.n').textContent, h.shadowRoot.querySelector('.gl span').textContent]));
        assert.fail(`${n}: widget ${JSON.stringify(got)}, js/format.js ${JSON.stringify(want)}`);
      });
    }
    await formatPage.close();
    assertNoConsoleErrors(page, 'widget rule');
  } finally {
    await page.close();
  }
});

/** How many columns of the middle row of a screenshot are not the track's colour. */
async function filledColumns(png, track) {
  const page = await context.newPage();
  try {
    return await page.evaluate(async ([b64, rgb]) => {
      const img = new Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = img.width;
      canvas.height = img.height;
      const g = canvas.getContext('2d');
      g.drawImage(img, 0, 0);
      const row = g.getImageData(0, Math.floor(img.height / 2), img.width, 1).data;
      let n = 0;
      for (let x = 0; x < img.width; x++) {
        const d = Math.abs(row[4 * x] - rgb[0]) + Math.abs(row[4 * x + 1] - rgb[1]) + Math.abs(row[4 * x + 2] - rgb[2]);
        if (d > 90) n++;
      }
      return n;
    }, [png.toString('base64'), track]);
  } finally {
    await page.close();
  }
}

test('any count above 0 fills at least a dot of the bar, on the landing page as in the widget', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    const campaign = (await get(stack.base, '/api/v1/campaigns/icommit')).json;
    let shown = { ...campaign, count: 1, goal: 1000 };
    await page.route('**/api/v1/campaigns/icommit', (route) => route.fulfill({
      status: 200, contentType: 'application/json; charset=utf-8', body: JSON.stringify(shown),
    }));
    await page.goto(`${stack.base}/?lang=es`);
    await page.waitForSelector('#counter-goal', { state: 'visible' });
    const pct = `${fmt('es', 0.001, { style: 'percent', maximumFractionDigits: 1 })} de la meta`;
    assert.equal(await page.textContent('#counter-percent'), pct);
    const bar = page.locator('#counter-progress');
    const height = (await bar.boundingBox()).height;
    const one = await filledColumns(await bar.screenshot(), [0xdb, 0xe4, 0xf0]);
    assert.ok(one >= height - 2, `1 of 1.000 fills ${one} px of the landing page's bar, less than a dot (${height} px)`);
    shown = { ...campaign, count: 0, goal: 1000 };
    await page.reload();
    await page.waitForSelector('#counter-goal', { state: 'visible' });
    assert.equal(await filledColumns(await bar.screenshot(), [0xdb, 0xe4, 0xf0]), 0, '0 fills nothing');
    await checkA11y(page, 'landing counter');
    assertNoConsoleErrors(page, 'landing bar');

    // The widget agrees: a dot as wide as its bar is high, and the same percentage.
    await page.route(`${stack.base}/api/v1/campaigns/icommit/counter`, (route) => route.fulfill({
      status: 200,
      contentType: 'application/json; charset=utf-8',
      headers: { 'Access-Control-Allow-Origin': '*' },
      body: JSON.stringify({ campaign: 'icommit', count: 1, goal: 1000, updated_at: '2026-11-28T12:00:00Z' }),
    }));
    await site.write('dot.html', hostPage(`<script src="${stack.base}/widget.js" data-lang="es"></script>`, 'es'));
    await page.goto(`${site.base}/dot.html`);
    await page.waitForFunction(() => document.querySelector('icommit-counter')?.shadowRoot.querySelector('.n').textContent === '1');
    const w = await page.evaluate(() => {
      const r = document.querySelector('icommit-counter').shadowRoot;
      return {
        fill: r.querySelector('.f').getBoundingClientRect().width,
        height: r.querySelector('.bar').getBoundingClientRect().height,
        pct: r.querySelector('.gl span:last-child').textContent,
      };
    });
    assert.ok(w.fill >= w.height - 0.5, `widget: ${JSON.stringify(w)}`);
    assert.equal(w.pct, pct);
  } finally {
    await page.close();
  }
});

/** The map figure as the page shows it. */
function readMap(page, sel) {
  return page.evaluate((s) => {
    const fig = document.querySelector(s);
    const svg = fig.querySelector('svg');
    return {
      role: svg.getAttribute('role'),
      names: svg.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id)?.textContent),
      focusable: [...svg.querySelectorAll('[tabindex="0"]')].map((g) => ({
        code: g.dataset.code, name: g.getAttribute('aria-label'), role: g.getAttribute('role'),
        tone: Number(/map__tone(\d)/.exec(g.getAttribute('class'))[1]), dot: Boolean(g.querySelector('circle')),
      })),
      shapes: svg.querySelectorAll('.map__country').length,
      legend: [...fig.querySelectorAll('.map__legend-item')].map((li) => li.textContent),
      outside: fig.querySelector('.map__outside')?.textContent ?? null,
      table: [...fig.querySelectorAll('table tbody tr')].map((tr) => [tr.querySelector('th').textContent, tr.querySelector('td').textContent]),
    };
  }, sel);
}

test('the landing page maps the pledges by country: coloured, named, reachable by keyboard, with a table', { timeout: TIMEOUT }, async () => {
  const stats = await freshJson(stack, '/api/v1/campaigns/icommit/stats');
  const page = await context.newPage();
  try {
    for (const lang of ['es', 'en']) {
      await page.goto(`${stack.base}/?lang=${lang}`);
      await page.waitForSelector('#numbers-map svg');
      const map = await readMap(page, '#numbers-map');
      const names = new Intl.DisplayNames([lang], { type: 'region' });
      const w = words[lang];
      const label = (code, n) => fill(w[`map.country.${new Intl.PluralRules(lang).select(n)}`] ?? w['map.country.other'], { country: names.of(code), count: fmt(lang, n) });
      const onMap = Object.keys(stats.by_country).filter((c) => c !== 'ES');
      const collator = new Intl.Collator(lang);
      assert.equal(map.role, 'group');
      assert.deepEqual(map.names, [w['map.title'], fill(w['map.desc'], { top: names.of('PE'), value: fmt(lang, 4) })]);
      assert.ok(map.shapes >= 33, `${map.shapes} shapes`);
      // Every country with pledges on the map, and only those, is focusable, named, in alphabetical order.
      assert.deepEqual(map.focusable.map((c) => c.code), onMap.sort((a, b) => collator.compare(names.of(a), names.of(b))));
      for (const c of map.focusable) {
        assert.equal(c.name, label(c.code, stats.by_country[c.code]), c.code);
        assert.equal(c.role, 'img');
      }
      // Darker for more: tones follow the counts.
      const tone = Object.fromEntries(map.focusable.map((c) => [c.code, c.tone]));
      assert.ok(tone.PE > tone.CL && tone.CL > tone.MX && tone.MX > tone.BR && tone.BR === tone.HT, JSON.stringify(tone));
      // Saint Lucia is too small to see at this scale: it has a dot; Chile does not need one.
      assert.equal(map.focusable.find((c) => c.code === 'LC').dot, true);
      assert.equal(map.focusable.find((c) => c.code === 'CL').dot, false);
      assert.deepEqual(map.legend, [w['map.none'], '1', '2', '3', '4']);
      assert.equal(map.outside, fill(w['map.outside'], { list: `${names.of('ES')} (1)` }));
      const rows = Object.entries(stats.by_country).map(([c, n]) => [names.of(c), n])
        .sort((a, b) => b[1] - a[1] || collator.compare(a[0], b[0])).map(([name, n]) => [name, fmt(lang, n)]);
      assert.deepEqual(map.table, rows);
    }

    // From the keyboard: Tab reaches the countries; focus shows the words beside the map.
    await page.locator('#numbers-map-desc').click();
    let reached = null;
    for (let i = 0; i < 40 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement.closest('#numbers-map .map__country')?.dataset.code ?? null);
    }
    assert.equal(reached, 'AR', 'Tab did not reach the first country (Argentina)');
    assert.equal(await page.textContent('#numbers-map .map__info'), await page.evaluate(() => document.activeElement.getAttribute('aria-label')));
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.dataset.code), 'BR');
    // And on hover.
    await page.locator('#numbers-map [data-code="PE"]').hover();
    assert.equal(await page.textContent('#numbers-map .map__info'), 'Peru: 4 pledges');

    await page.locator('#numbers-map details summary').click();
    await checkA11y(page, 'landing page with the map');
    assertNoConsoleErrors(page, 'map');
  } finally {
    await page.close();
  }
});

test('the landing page draws the count over time, with its table', { timeout: TIMEOUT }, async () => {
  const timeline = await freshJson(stack, '/api/v1/campaigns/icommit/stats/timeline');
  assert.equal(timeline.days.length, 3, JSON.stringify(timeline.days));
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/?lang=pt`);
    await page.waitForSelector('#numbers-timeline svg');
    const got = await page.evaluate(() => {
      const fig = document.getElementById('numbers-timeline');
      const svg = fig.querySelector('svg');
      return {
        role: svg.getAttribute('role'),
        names: svg.getAttribute('aria-labelledby').split(' ').map((id) => document.getElementById(id)?.textContent),
        points: svg.querySelectorAll('.timeline__point').length,
        line: Boolean(svg.querySelector('.timeline__line')),
        head: [...fig.querySelectorAll('thead th')].map((th) => th.textContent),
        table: [...fig.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent)),
      };
    });
    const w = words.pt;
    const day = (d) => new Intl.DateTimeFormat('pt', { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
    const today = new Date().toISOString().slice(0, 10);
    const { days } = timeline;
    assert.equal(got.role, 'img');
    assert.equal(got.line, true);
    assert.equal(got.points, days.length);
    assert.deepEqual(got.names, [w['timeline.title'], fill(w['timeline.desc'], {
      first: fmt('pt', days[0].total), from: day(days[0].date), last: fmt('pt', days[2].total), to: day(today),
    })]);
    assert.deepEqual(got.head, [w['timeline.col.date'], w['timeline.col.added'], w['timeline.col.total']]);
    assert.deepEqual(got.table, days.map((d) => [day(d.date), fmt('pt', d.added), fmt('pt', d.total)]));
    assert.equal(days[2].total, timeline.count);
    await page.locator('#numbers-timeline details summary').click();
    await checkA11y(page, 'landing page with the timeline');
    assertNoConsoleErrors(page, 'timeline');
  } finally {
    await page.close();
  }
});

test('the map and the timeline as iframes on another site, from share.html\'s snippets', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/share.html?lang=pt`);
    await page.waitForFunction(() => document.querySelector('#snippet-map').value.includes('view=map'));
    const map = await page.inputValue('#snippet-map');
    const timeline = await page.inputValue('#snippet-timeline');
    await site.write('views.html', hostPage(`<section>${map}</section><section>${timeline}</section>`, 'en'));
    await page.goto(`${site.base}/views.html`);
    const frames = {};
    for (let i = 0; i < 100 && Object.keys(frames).length < 2; i++) {
      for (const f of page.frames()) {
        const m = /view=(map|timeline)/.exec(f.url());
        if (m) frames[m[1]] = f;
      }
      if (Object.keys(frames).length < 2) await page.waitForTimeout(100);
    }
    assert.deepEqual(Object.keys(frames).sort(), ['map', 'timeline']);
    await frames.map.waitForSelector('#embed-map [tabindex="0"][data-code="CL"]');
    assert.equal(await frames.map.getAttribute('#embed-map [data-code="CL"]', 'aria-label'),
      fill(words.pt['map.country.other'], { country: 'Chile', count: 3 }));
    assert.equal(await frames.map.textContent('#embed-map h2'), words.pt['map.title']);
    await frames.timeline.waitForSelector('#embed-timeline svg .timeline__line');
    // The pledge link opens a new tab from inside the frame.
    assert.equal(await frames.map.getAttribute('.embed__link', 'target'), '_blank');
    assert.equal(await frames.map.getAttribute('.embed__link', 'href'), `${stack.base}/?lang=pt&campaign=icommit#pledge`);
    assertNoConsoleErrors(page, 'views on another site');

    // The embed pages on their own: axe-clean, in every language.
    for (const lang of LANGS) {
      for (const view of ['map', 'timeline']) {
        await page.goto(`${stack.base}/embed.html?campaign=icommit&lang=${lang}&view=${view}`);
        await page.waitForSelector(`#embed-${view} svg`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.equal(await page.title(), words[lang][`embed.${view}_title`]);
        await checkA11y(page, `embed ${view} ${lang}`);
      }
    }
    assertNoConsoleErrors(page, 'embed views');
  } finally {
    await page.close();
  }
});

test('the badge writes its count as Intl.NumberFormat does in the browser, in each language', { timeout: TIMEOUT }, async () => {
  // 1,234 counted pledges: those above, the rest added behind the daemon's
  // back and recounted.
  const now = Number(sqlite(stack.dbPath, "SELECT count FROM campaign_counters k JOIN campaigns c ON c.id = k.campaign_id WHERE c.slug = 'icommit';"));
  const t = Math.floor(Date.now() / 1000) - DAY;
  sqlite(stack.dbPath, `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${1234 - now})
    INSERT INTO pledges (campaign_id, status, confirmed_at, name, email, email_key, actor_type, country, commitment, consent_at, created_at)
    SELECT (SELECT id FROM campaigns WHERE slug = 'icommit'), 'confirmed', ${t}, 'Muchos', 'muchos' || i || '@example.org',
      'muchos' || i || '@example.org', 'individual', 'CO', 'Un compromiso más para la cifra.', ${t}, ${t} FROM k;`);
  assert.equal((await stack.ctl('recount')).code, 0);
  await stack.restartDaemon();
  const page = await context.newPage();
  try {
    await page.goto(`${stack.base}/share.html`);
    const got = await page.evaluate(async (langs) => {
      const { formatNumber } = await import('/js/format.js');
      const out = [];
      for (const lang of langs) {
        // A query of its own: nothing nginx's micro-cache kept from before.
        const r = await fetch(`/api/v1/campaigns/icommit/counter.svg?lang=${lang}&_=${Date.now()}`, { cache: 'no-store' });
        const doc = new DOMParser().parseFromString(await r.text(), 'image/svg+xml');
        out.push({
          lang,
          badge: doc.querySelector('text').textContent,
          intl: new Intl.NumberFormat(lang, { useGrouping: 'always' }).format(1234),
          page: formatNumber(lang, 1234),
        });
      }
      return out;
    }, LANGS);
    for (const g of got) {
      assert.equal(g.badge, g.intl, g.lang);
      assert.equal(g.badge, g.page, g.lang);
    }
    assert.deepEqual(got.map((g) => g.badge), ['1.234', '1.234', '1,234', '1\u202f234']);
    assertNoConsoleErrors(page, 'badge');
  } finally {
    await page.close();
  }
});
