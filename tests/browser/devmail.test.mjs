// tests/browser/devmail.test.mjs — /dev/mail/ of scripts/run in Chromium
// (issue 16, item 13): scripts/run started for real (demo content, its
// local mail sink); a reviewer pledges, opens the printed mail address, finds
// the confirmation mail in the list (time, recipient, subject), opens it,
// follows its link to confirm.html and confirms: the pledge counts. axe on
// the empty list, the list and the mail; no console or CSP errors.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startRun } from '../e2e/lib/runscript.mjs';
import { get, postJson } from '../e2e/lib/http.mjs';
import { launchBrowser, checkA11y, assertNoConsoleErrors } from './lib/browser.mjs';

const TIMEOUT = 120_000;
const REVIEWER = 'revisora@devmail-test.example.net';

let run;
let context;

before(async () => {
  run = await startRun();
  context = await launchBrowser();
}, { timeout: 300_000 });

after(async () => {
  await context?.close();
  if (run) await run.stop();
  if (run?.state) fs.rmSync(run.state, { recursive: true, force: true });
});

test('a reviewer completes the double opt-in from /dev/mail/', { timeout: TIMEOUT }, async () => {
  const page = await context.newPage();
  try {
    // The address scripts/run printed.
    const mailUrl = run.printed.mail;
    assert.match(mailUrl, /^http:\/\/localhost:\d+\/dev\/mail\/$/);
    await page.goto(mailUrl);
    assert.equal(await page.textContent('h1'), 'Mail sent by the development stack');
    assert.match(await page.textContent('main'), /No mail yet/);
    await checkA11y(page, '/dev/mail/ without mail');

    const res = await postJson(run.base, '/api/v1/campaigns/icommit/pledges', {
      name: 'Revisora Ñandú', email: REVIEWER, actor_type: 'civil_society', country: 'BO',
      commitment: 'Probaré la campaña de punta a punta y la recomendaré en mi red.', consent: true, public: true,
    });
    assert.equal(res.status, 202, res.text);
    const before1 = await get(run.base, '/api/v1/campaigns/icommit');

    // Reload until the sink has it (mail goes out a moment after the 202).
    const deadline = Date.now() + 20000;
    for (;;) {
      await page.goto(mailUrl);
      if (await page.locator('tbody tr').count() > 0) break;
      assert.ok(Date.now() < deadline, 'the mail did not reach /dev/mail/');
      await page.waitForTimeout(300);
    }
    const cells = await page.locator('tbody tr').first().locator('td').allTextContents();
    assert.match(cells[0], /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/);
    assert.equal(cells[1], REVIEWER);
    assert.equal(cells[2], 'Confirma tu compromiso con la movilidad eléctrica');
    await checkA11y(page, '/dev/mail/ with a mail');

    await page.getByRole('link', { name: cells[2] }).click();
    await page.waitForURL(/\/dev\/mail\/\d+\.html$/);
    assert.equal(await page.textContent('h1'), cells[2]);
    assert.match(await page.textContent('pre'), /Revisora Ñandú/);
    await checkA11y(page, 'one mail on /dev/mail/');
    assertNoConsoleErrors(page, '/dev/mail/');

    // The link in the mail's text is a link: follow it and confirm.
    const link = page.locator('pre a[href*="/confirm.html?token="]');
    assert.equal(await link.count(), 1);
    await link.click();
    await page.waitForURL(/\/confirm\.html\?token=/);
    await page.click('#confirm-button');
    await page.waitForSelector('#confirm-count-box', { state: 'visible' });
    assert.equal(await page.textContent('#confirm-count'), String(before1.json.count + 1));
    assertNoConsoleErrors(page, 'confirm.html from /dev/mail/');
    const after1 = await get(run.base, '/api/v1/campaigns/icommit');
    assert.equal(after1.json.count, before1.json.count + 1);
  } finally {
    await page.close();
  }
});
