// tests/browser/lib/browser.mjs — shared machinery for the browser tests:
// launchBrowser() (the system Chromium through playwright-core, fresh profile),
// checkA11y() (axe-core, fails on any violation) and console/CSP error
// collection (assertNoConsoleErrors()). Never runs `playwright install`.

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const testsDir = join(here, '..', '..');
export const AXE_PATH = join(testsDir, 'node_modules', 'axe-core', 'axe.min.js');
export const CHROMIUM_PATH = process.env.ICOMMIT_CHROMIUM || '/usr/bin/chromium';

/** The team contract's Chromium flags, exactly. */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]);

/**
 * Launches Chromium with a fresh profile in a temporary --user-data-dir and
 * returns its playwright BrowserContext. `options` go to
 * chromium.launchPersistentContext (e.g. { locale: 'fr-FR', viewport }).
 * The returned context's close() also removes the profile directory.
 * Every page of the context gets console/CSP error collection (see
 * consoleErrors()).
 */
export async function launchBrowser(options = {}) {
  const userDataDir = await mkdtemp(join(tmpdir(), 'icommit-chromium-'));
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      // headless: false so playwright adds no headless flag of its own;
      // the contract's --headless in args is what makes it headless.
      headless: false,
      args: [...CHROMIUM_ARGS],
      viewport: { width: 1280, height: 900 },
      locale: 'es-ES',
      ...options,
    });
  } catch (err) {
    await rm(userDataDir, { recursive: true, force: true });
    throw err;
  }
  for (const page of context.pages()) watchConsole(page);
  context.on('page', watchConsole);

  const closeContext = context.close.bind(context);
  let closed = null;
  context.close = (...args) => {
    closed ??= closeContext(...args).finally(() =>
      rm(userDataDir, { recursive: true, force: true }));
    return closed;
  };
  return context;
}

const collected = new WeakMap(); // page -> [{ type, text, location }]

/**
 * Starts collecting a page's console errors, uncaught exceptions and CSP
 * violations (Chromium reports "Refused to ..." CSP violations as console
 * errors, as it does failed resource loads). Idempotent; launchBrowser()
 * already calls it for every page.
 */
export function watchConsole(page) {
  if (collected.has(page)) return collected.get(page);
  const list = [];
  collected.set(page, list);
  page.on('console', (msg) => {
    if (msg.type() === 'error') {
      const loc = msg.location();
      list.push({ type: 'console', text: msg.text(), location: loc && loc.url ? `${loc.url}:${loc.lineNumber}` : '' });
    }
  });
  page.on('pageerror', (err) => {
    list.push({ type: 'pageerror', text: String(err && err.stack ? err.stack : err), location: '' });
  });
  page.on('requestfailed', (req) => {
    // Aborted loads of a page being left are not errors of the page.
    const failure = req.failure();
    if (failure && /ERR_ABORTED/.test(failure.errorText)) return;
    list.push({ type: 'requestfailed', text: `${req.method()} ${req.url()}: ${failure ? failure.errorText : '?'}`, location: '' });
  });
  return list;
}

/** The errors collected so far on `page` (a live array). */
export function consoleErrors(page) {
  return watchConsole(page);
}

/** Forgets the errors collected so far on `page` (e.g. after an expected one). */
export function clearConsoleErrors(page) {
  watchConsole(page).length = 0;
}

/**
 * Throws if `page` logged any console error, uncaught exception, failed
 * request or CSP violation since it was opened (or last cleared).
 * `label` names the check in the message.
 */
export function assertNoConsoleErrors(page, label = page.url()) {
  const errors = watchConsole(page);
  if (errors.length === 0) return;
  const lines = errors.map((e) => `  [${e.type}] ${e.text}${e.location ? ` (${e.location})` : ''}`);
  throw new Error(`${label}: ${errors.length} console error(s):\n${lines.join('\n')}`);
}

/**
 * Like assertNoConsoleErrors, but lets through Chromium's console reports
 * of failed requests with one of `statuses` (it logs every 4xx answer to
 * fetch() as an error: a test that provokes a 404 or 422 on purpose sees
 * one), then forgets what was collected.
 */
export function assertOnlyStatusErrors(page, statuses, label) {
  const re = new RegExp(`status of (${statuses.join('|')})`);
  const unexpected = consoleErrors(page).filter((e) => !(e.type === 'console' && re.test(e.text)));
  assert.deepEqual(unexpected, [], label);
  clearConsoleErrors(page);
}

let axeSource = null;

/**
 * Runs axe-core on the page's current state and throws, listing every
 * violation (rule id, impact, help, targets), if there is any.
 * `options` are axe.run options (default: every rule axe enables by default,
 * WCAG 2.x A/AA and best practices). Resolves to the axe results otherwise.
 *
 * How axe gets in: page.addScriptTag({ path }) inserts an *inline* <script>
 * with the file's content, which our CSP (script-src 'self' through
 * default-src) refuses — axe would be missing and the refusal would show up
 * as a console error. bypassCSP: true would work but switches the CSP off for
 * the whole context, hiding the very violations these tests look for. So the
 * source is evaluated with page.evaluate(): DevTools-protocol evaluation is
 * not subject to the page's CSP, and the page's own policy stays in force.
 */
export async function checkA11y(page, label = page.url(), options = {}) {
  axeSource ??= await readFile(AXE_PATH, 'utf8');
  const present = await page.evaluate(() => typeof window.axe === 'object');
  if (!present) await page.evaluate(axeSource);
  const results = await page.evaluate(
    (opts) => window.axe.run(document, { resultTypes: ['violations'], ...opts }),
    options,
  );
  if (results.violations.length > 0) {
    const lines = [];
    for (const v of results.violations) {
      lines.push(`  ${v.id} (${v.impact}): ${v.help}`);
      for (const node of v.nodes) {
        lines.push(`    at ${JSON.stringify(node.target)}${node.failureSummary ? ` — ${node.failureSummary.replace(/\s+/g, ' ')}` : ''}`);
      }
    }
    throw new Error(`${label}: ${results.violations.length} accessibility violation(s):\n${lines.join('\n')}`);
  }
  return results;
}
