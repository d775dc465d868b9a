// tests/tools/screenshots.mjs: the README's pictures (docs/img/), taken
// from what a new user sees: scripts/run with its demo content, on a free
// port and a temporary state dir, photographed in Chromium (the tests'
// launcher and flags), then stopped. Run through scripts/screenshots.
//
//   home-{es,pt}-desktop.png, home-{es,pt}-phone.png  the landing page
//   event.png          the first upcoming event's own page
//   map.png            the map of pledges by country (landing page)
//   staff-events.png   the staff console's events page, signed in as the
//                      demo account scripts/run prints
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchBrowser } from '../browser/lib/browser.mjs';
import { startRun } from '../e2e/lib/runscript.mjs';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'img');
const desktop = { width: 1280, height: 900 };
const phone = { width: 390, height: 844 };

// The pages poll (the counter), so 'networkidle' may never come: the load,
// the fonts, then a moment for the API's answers to be drawn.
async function settle(page) {
  await page.waitForLoadState('load');
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(1500);
}

async function shot(context, url, file, { viewport = desktop, fullPage = false, element = null } = {}) {
  const page = await context.newPage();
  await page.setViewportSize(viewport);
  await page.goto(url);
  await settle(page);
  const path = join(out, file);
  if (element) {
    const el = page.locator(element).first();
    await el.waitFor({ state: 'visible' });
    await el.scrollIntoViewIfNeeded();
    await settle(page);
    await el.screenshot({ path });
  } else {
    await page.screenshot({ path, fullPage });
  }
  await page.close();
  console.log(`docs/img/${file}`);
}

await mkdir(out, { recursive: true });
const run = await startRun();
let context;
try {
  context = await launchBrowser();
  for (const lang of ['es', 'pt']) {
    await shot(context, `${run.base}/?lang=${lang}`, `home-${lang}-desktop.png`);
    await shot(context, `${run.base}/?lang=${lang}`, `home-${lang}-phone.png`, { viewport: phone });
  }
  console.log('map');
  await shot(context, `${run.base}/?lang=es`, 'map.png', { element: '#numbers figure' });

  const events = await (await fetch(`${run.base}/api/v1/events`)).json();
  const first = (events.events ?? events.items ?? events)[0];
  if (!first?.slug) throw new Error(`no demo event in ${JSON.stringify(events).slice(0, 200)}`);
  await shot(context, `${run.base}/events.html?event=${first.slug}&lang=es`, 'event.png', { fullPage: true });

  const page = await context.newPage();
  await page.setViewportSize(desktop);
  await page.goto(`${run.base}/admin/`);
  await page.fill('#login-username', run.printed.user);
  await page.fill('#login-password', run.printed.password);
  await page.click('#login-submit');
  await page.waitForURL(/\/admin\//);
  await page.waitForSelector('#app:not([hidden])');
  await page.goto(`${run.base}/admin/events.html`);
  await settle(page);
  await page.screenshot({ path: join(out, 'staff-events.png') });
  console.log('docs/img/staff-events.png');
  await page.close();
} finally {
  await context?.close();
  await run.stop();
}
