// www/js/pledge-card.js — one public pledge as a card, for the wall
// (js/wall.js) and for a pledge's own page (pledge.html, js/pledge-page.js):
// name, organisation, place (country name from Intl.DisplayNames), actor
// type, category, the commitment, quantity and unit (Intl.NumberFormat),
// target year and date (Intl.DateTimeFormat), all set with textContent;
// and, when asked, the pledge's permalink (/pledge.html?id=N&lang=xx) with a
// button that shares it (the system's share sheet where there is one, else
// the clipboard). What the button did is announced in one polite live
// region of the page.

import * as i18n from './i18n.js';
import { countryName } from './countries.js';

const UNITS = new Set(['vehicles', 'buses', 'chargers', 'mw', 'usd', 'tco2e', 'people']);
const SHARE_STATUS_ID = 'pledge-share-status';

export const str = (v) => (typeof v === 'string' && v.trim() !== '' ? v : null);

/** The address of pledge `id`'s own page, absolute, in the page's language. */
export function permalink(id) {
  const url = new URL('/pledge.html', location.origin);
  url.searchParams.set('id', String(id));
  url.searchParams.set('lang', i18n.language());
  return url.href;
}

/** "1.200 buses", "US$ 5.000.000", "10 MW" in the page's language. */
function formatQuantity(quantity, unit) {
  if (!Number.isSafeInteger(quantity) || !UNITS.has(unit)) return null;
  if (unit === 'usd') {
    return i18n.formatNumber(quantity, { style: 'currency', currency: 'USD', maximumFractionDigits: 0 });
  }
  return i18n.plural(`wall.qty.${unit}`, quantity);
}

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** The page's one live region for what a share button did (made on first use, in <main>). */
function shareStatus() {
  let box = document.getElementById(SHARE_STATUS_ID);
  if (!box) {
    box = el('p', 'visually-hidden');
    box.id = SHARE_STATUS_ID;
    box.setAttribute('role', 'status');
    (document.querySelector('main') || document.body).append(box);
  }
  return box;
}

/** Makes sure the live region exists before anything is said in it. */
export function prepareShareStatus() {
  shareStatus();
}

/**
 * Shares `url` (title `title`): the share sheet when the browser has one,
 * else the clipboard. Resolves to 'shared', 'copied', 'cancelled' or
 * 'failed', and says so in the live region (and in `note`, if given).
 */
export async function shareLink(url, title, note) {
  let result = 'failed';
  try {
    if (typeof navigator.share === 'function') {
      await navigator.share({ title, url });
      result = 'shared';
    } else if (navigator.clipboard && typeof navigator.clipboard.writeText === 'function') {
      await navigator.clipboard.writeText(url);
      result = 'copied';
    }
  } catch (err) {
    result = err && err.name === 'AbortError' ? 'cancelled' : 'failed';
  }
  if (result === 'cancelled') return result;
  const text = i18n.t(`permalink.result.${result}`, { name: title });
  shareStatus().textContent = text;
  if (note) {
    note.textContent = i18n.t(`permalink.result.${result}_short`);
    note.hidden = false;
  }
  return result;
}

/** Whether this browser can share or copy a link at all (else only the link is offered). */
export function canShare() {
  return typeof navigator.share === 'function'
    || Boolean(navigator.clipboard && typeof navigator.clipboard.writeText === 'function');
}

/**
 * One <article> for a PUBLIC_PLEDGE. options: heading, the tag of the
 * name's heading ('h3' on the wall, 'h2' on the pledge's page); share, true
 * to add the permalink and its share button (pledges with an id only).
 */
export function pledgeCard(p, { heading = 'h3', share = false } = {}) {
  const lang = i18n.language();
  const article = el('article', 'pledge-card');
  article.tabIndex = -1;
  const hasId = Number.isSafeInteger(p.id) && p.id > 0;
  const nameId = `wall-pledge-${hasId ? p.id : Math.random().toString(36).slice(2)}`;
  article.setAttribute('aria-labelledby', nameId);

  const head = el('header', 'pledge-card__head');
  const name = el(heading, 'pledge-card__name', str(p.name) || '—');
  name.id = nameId;
  head.append(name);
  if (str(p.organisation)) head.append(el('p', 'pledge-card__org', p.organisation));
  const country = str(p.country) ? countryName(p.country, lang) : null;
  const place = [str(p.city), country].filter(Boolean).join(', ');
  if (place) head.append(el('p', 'pledge-card__place', place));
  article.append(head);

  const tags = [];
  if (str(p.actor_type) && i18n.has(`actor.${p.actor_type}`)) tags.push(i18n.t(`actor.${p.actor_type}`));
  if (str(p.category) && i18n.has(`category.${p.category}`)) tags.push(i18n.t(`category.${p.category}`));
  if (tags.length) {
    const ul = el('ul', 'pledge-card__tags');
    ul.setAttribute('role', 'list');
    for (const t of tags) ul.append(el('li', 'tag', t));
    article.append(ul);
  }

  article.append(el('p', 'pledge-card__text', str(p.commitment) || ''));

  const facts = [];
  const amount = formatQuantity(p.quantity, p.unit);
  if (amount) facts.push([i18n.t('wall.card.amount'), amount]);
  if (Number.isSafeInteger(p.target_year)) facts.push([i18n.t('wall.card.target_year'), String(p.target_year)]);
  if (facts.length) {
    const dl = el('dl', 'pledge-card__facts');
    for (const [dt, dd] of facts) {
      const row = el('div', 'pledge-card__fact');
      row.append(el('dt', null, dt), el('dd', null, dd));
      dl.append(row);
    }
    article.append(dl);
  }

  const date = str(p.created_at) ? i18n.formatDate(p.created_at, { dateStyle: 'long' }) : '';
  if (date) {
    const footer = el('p', 'pledge-card__date');
    const time = el('time', null, i18n.t('wall.card.date', { date }));
    time.setAttribute('datetime', p.created_at);
    footer.append(time);
    article.append(footer);
  }

  if (share && hasId) article.append(shareRow(p, nameId));
  return article;
}

/** The permalink and its share button; both name the pledge through aria-describedby. */
function shareRow(p, nameId) {
  const row = el('p', 'pledge-card__share');
  const url = permalink(p.id);
  const link = el('a', 'pledge-card__link', i18n.t('permalink.link'));
  link.setAttribute('href', url);
  link.setAttribute('aria-describedby', nameId);
  row.append(link);
  if (canShare()) {
    const button = el('button', 'button button--small button--secondary pledge-card__copy',
      i18n.t(typeof navigator.share === 'function' ? 'permalink.share' : 'permalink.copy'));
    button.type = 'button';
    button.setAttribute('aria-describedby', nameId);
    const note = el('span', 'pledge-card__copied');
    note.hidden = true;
    button.addEventListener('click', () => shareLink(url, str(p.name) || '', note));
    row.append(button, note);
  }
  return row;
}
