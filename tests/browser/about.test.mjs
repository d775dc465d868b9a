// tests/browser/about.test.mjs — the About page (www/about.html) in
// Chromium against the real stack. Configured as scripts/run configures it
// (organiser, its site, a contact address, deploy/partners.example.json):
// in each language the programme's description (the Forum of Ministers,
// UNEA-4, the COP25 dialogues, the events, the campaign and its aim,
// ALAMOS, the partner institutions) from i18n/about.{lang}.json, the
// organiser linked to its site, the address as a mailto: link, every
// partner's logo loaded with its name and link; axe-clean, no console or
// CSP error. Unconfigured: no organiser, no address, no logos, and the page
// still reads; without JavaScript likewise; on a phone nothing overflows.

import { test, before, after, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startStack } from '../e2e/lib/stack.mjs';
import { launchBrowser, checkA11y, assertNoConsoleErrors } from './lib/browser.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const LANGUAGES = ['es', 'pt', 'en', 'fr'];
const TIMEOUT = 90_000;
const PARTNERS_FILE = join(root, 'deploy', 'partners.example.json');
const ORGANISER = {
  organiser_name: 'Programa Regional de Movilidad Eléctrica (demostración)',
  organiser_url: 'https://programa-movilidad.example.org',
  contact_email: 'contacto@programa-movilidad.example.org',
  partners_file: PARTNERS_FILE,
};
/** Each section's heading and the keys of its text, in page order. */
const SECTIONS = [
  ['#programme-title', 'about.programme.title', ['about.programme.lead']],
  ['#forum h3', 'about.forum.title', ['about.forum.text']],
  ['#unea h3', 'about.unea.title', ['about.unea.text']],
  ['#dialogues h3', 'about.dialogues.title', ['about.dialogues.text']],
  ['#meetings h3', 'about.events.title', ['about.events.text']],
  ['#campaign-title', 'about.campaign.title', ['about.campaign.text', 'about.campaign.aim']],
  ['#alamos-title', 'about.alamos.title', ['about.alamos.text']],
  ['#partners-title', 'about.partners.title', ['about.partners.text']],
];

const dict = {}; // lang -> www/i18n/about.{lang}.json
let partners;

before(async () => {
  for (const lang of LANGUAGES) {
    dict[lang] = JSON.parse(await readFile(join(root, 'www', 'i18n', `about.${lang}.json`), 'utf8'));
  }
  partners = JSON.parse(await readFile(PARTNERS_FILE, 'utf8'));
});

/** Opens /about.html in `lang` and waits for its words and the site's answer. */
async function openAbout(ctx, base, lang) {
  const page = await ctx.newPage();
  const site = page.waitForResponse((r) => r.url().endsWith('/api/v1/site'));
  await page.goto(`${base}/about.html?lang=${lang}`);
  await site;
  await page.waitForFunction(([l, t]) => document.documentElement.lang === l
    && document.getElementById('about-title').textContent === t, [lang, dict[lang]['about.title']]);
  return page;
}

const textOf = (page, sel) => page.locator(sel).first().textContent();

describe('configured as scripts/run does', () => {
  let stack;
  let context;
  before(async () => {
    stack = await startStack({ config: ORGANISER });
    context = await launchBrowser();
  });
  after(async () => {
    await context?.close();
    await stack?.stop();
  });

  for (const lang of LANGUAGES) {
    test(`/about.html?lang=${lang}: the programme, the organiser, the contact and the partners, accessible`, { timeout: TIMEOUT }, async () => {
      const d = dict[lang];
      const page = await openAbout(context, stack.base, lang);
      try {
        assert.equal(await page.title(), d['about.page.title']);
        assert.equal(await page.getAttribute('meta[name="description"]', 'content'), d['about.page.description']);
        assert.equal(await textOf(page, '.about-hero__lead'), d['about.lead']);
        const main = await page.locator('main').textContent();
        for (const [sel, titleKey, textKeys] of SECTIONS) {
          assert.equal(await textOf(page, sel), d[titleKey], `${lang}: ${titleKey}`);
          for (const k of textKeys) assert.ok(main.includes(d[k]), `${lang}: ${k} is on the page`);
        }
        // The programme's own names are all there, in this language's words.
        for (const name of ['UNEA-4', 'COP25', 'PreCOP25', 'ALAMOS']) assert.ok(main.includes(name), `${lang}: ${name}`);
        assert.equal(await page.getAttribute('#campaign a.button', 'href'), '/#pledge');

        // Who runs it: from the configuration.
        assert.equal(await textOf(page, '#contact-title'), d['about.who.title']);
        assert.equal(await page.locator('#organiser').isVisible(), true);
        assert.equal(await textOf(page, '#organiser-link'), ORGANISER.organiser_name);
        assert.equal(await page.getAttribute('#organiser-link', 'href'), ORGANISER.organiser_url);
        assert.equal(await textOf(page, '#contact-email-link'), ORGANISER.contact_email);
        assert.equal(await page.getAttribute('#contact-email-link', 'href'), `mailto:${ORGANISER.contact_email}`);
        assert.equal(await page.getAttribute('#contact a[href="/contact.html"]', 'data-i18n'), 'about.contact.form_link');

        // The partners, in the file's order, each logo loaded.
        assert.equal(await textOf(page, '#partners-list-title'), d['about.partners.list']);
        // Logos load lazily: bring them into view, wait until each is done.
        await page.locator('#partners-list').scrollIntoViewIfNeeded();
        await page.waitForFunction(() => [...document.querySelectorAll('#partners-list img')]
          .every((img) => img.complete));
        const shown = await page.$$eval('#partners-list li', (lis) => lis.map((li) => {
          const a = li.querySelector('a');
          const img = li.querySelector('img');
          return {
            name: li.querySelector('.about-partner__name').textContent,
            url: a ? a.getAttribute('href') : null,
            logo: img ? img.getAttribute('src') : null,
            loaded: img ? img.complete && img.naturalWidth > 0 : null,
          };
        }));
        assert.deepEqual(shown, partners.map((p) => ({ name: p.name, url: p.url, logo: p.logo, loaded: true })));

        await checkA11y(page, `/about.html?lang=${lang}`);
        assertNoConsoleErrors(page, `/about.html?lang=${lang}`);
      } finally {
        await page.close();
      }
    });
  }

  test('the section title follows a language switch', { timeout: TIMEOUT }, async () => {
    const page = await openAbout(context, stack.base, 'es');
    try {
      await page.selectOption('#lang-select', 'fr');
      await page.waitForFunction((t) => document.getElementById('about-title').textContent === t, dict.fr['about.title']);
      assert.equal(await textOf(page, '#contact-title'), dict.fr['about.who.title']);
      assert.equal(await textOf(page, '#organiser-link'), ORGANISER.organiser_name);
      assertNoConsoleErrors(page, 'language switch');
    } finally {
      await page.close();
    }
  });

  test('on a phone nothing overflows and the logos fit', { timeout: TIMEOUT }, async () => {
    const ctx = await launchBrowser({ viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    try {
      const page = await openAbout(ctx, stack.base, 'pt');
      await page.waitForFunction(() => document.querySelectorAll('#partners-list img').length > 0);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      assert.ok(overflow <= 0, `the page is ${overflow}px wider than the screen`);
      await checkA11y(page, 'about on a phone');
      assertNoConsoleErrors(page, 'about on a phone');
    } finally {
      await ctx.close();
    }
  });
});

describe('without configuration', () => {
  let stack;
  let context;
  before(async () => {
    stack = await startStack();
    context = await launchBrowser();
  });
  after(async () => {
    await context?.close();
    await stack?.stop();
  });

  for (const lang of LANGUAGES) {
    test(`/about.html?lang=${lang} names nobody and still reads well`, { timeout: TIMEOUT }, async () => {
      const d = dict[lang];
      const page = await openAbout(context, stack.base, lang);
      try {
        for (const [sel, titleKey] of SECTIONS) assert.equal(await textOf(page, sel), d[titleKey], titleKey);
        assert.equal(await textOf(page, '#contact-title'), d['about.contact.title']);
        assert.equal(await page.locator('#organiser').isVisible(), false);
        assert.equal(await page.locator('#contact-email').isVisible(), false);
        assert.equal(await page.locator('#partners-box').isVisible(), false);
        assert.equal(await page.locator('#contact a[href="/contact.html"]').isVisible(), true);
        await checkA11y(page, `unconfigured /about.html?lang=${lang}`);
        assertNoConsoleErrors(page, `unconfigured /about.html?lang=${lang}`);
      } finally {
        await page.close();
      }
    });
  }

  test('without JavaScript the page has its Spanish text and hides what only the API fills', { timeout: TIMEOUT }, async () => {
    const noJs = await launchBrowser({ javaScriptEnabled: false });
    try {
      const page = await noJs.newPage();
      await page.goto(`${stack.base}/about.html`);
      assert.equal(await textOf(page, '#about-title'), dict.es['about.title']);
      for (const [sel, titleKey, textKeys] of SECTIONS) {
        assert.equal(await textOf(page, sel), dict.es[titleKey], `fallback ${titleKey}`);
        const main = await page.locator('main').textContent();
        for (const k of textKeys) assert.ok(main.includes(dict.es[k]), `fallback text of ${k}`);
      }
      assert.equal(await page.locator('#organiser').isVisible(), false);
      assert.equal(await page.locator('#partners-box').isVisible(), false);
      // (axe needs JavaScript; the unconfigured page above is this state.)
    } finally {
      await noJs.close();
    }
  });
});
