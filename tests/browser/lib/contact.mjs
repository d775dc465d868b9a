// tests/browser/lib/contact.mjs: what the contact and consultant browser
// tests share: a staff session put into a browser context, and the check
// that a page logged no console error beyond the browser's own notes about
// HTTP statuses a step expects.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addUser, signIn } from '../../e2e/lib/staff.mjs';
export { assertOnlyStatusErrors } from './browser.mjs';

/** Adds staff user `name`, signs in through the API and gives `context` the session cookie. */
export async function staffInBrowser(stack, context, name) {
  await addUser(stack, name);
  const staff = await signIn(stack, name);
  const [cookie, value] = staff.cookie.split('=');
  await context.addCookies([{ name: cookie, value, domain: '127.0.0.1', path: '/api/v1/admin', httpOnly: true, sameSite: 'Strict' }]);
  return staff;
}


const www = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'www');

/**
 * The dictionaries by language: { contact, admin, site, frame } (the pages'
 * bundle, the console's, the site's, the page frame's).
 */
export async function loadDictionaries() {
  const out = { contact: {}, admin: {}, site: {}, frame: {} };
  for (const lang of ['es', 'en', 'pt', 'fr']) {
    const read = async (...p) => JSON.parse(await readFile(join(www, ...p), 'utf8'));
    out.contact[lang] = await read('i18n', `contact.${lang}.json`);
    out.admin[lang] = await read('admin', 'i18n', `${lang}.json`);
    out.site[lang] = await read('i18n', `${lang}.json`);
    out.frame[lang] = await read('i18n', `frame.${lang}.json`);
  }
  return out;
}
