// www/js/event-page.js — the parts of an event's own page
// (events.html?event=SLUG) beyond its card: the agenda (each item's time in
// the event's zone, and in the visitor's when their clock differs; title
// and description in the page's language) and the speakers (photo from the
// site itself, name, role in the page's language, organisation), from the
// event as GET /api/v1/events/{slug} gives it. A text missing in the page's
// language is shown in Spanish, marked with lang="es". Data goes in with
// textContent and setAttribute only.

import * as i18n from './events-i18n.js';
import { visitorZone, usableZone, zoneLabel, rangeText } from './event-time.js';

const $ = (id) => document.getElementById(id);

/** What was last drawn (so a refresh that changes nothing redraws nothing). */
let drawn = '';

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** [text, its language] from an API {es, en, pt, fr}: the page's, else Spanish, else any. */
function pick(texts) {
  if (!texts || typeof texts !== 'object') return ['', i18n.language()];
  for (const lang of [i18n.language(), 'es', ...i18n.LANGUAGES]) {
    const v = texts[lang];
    if (typeof v === 'string' && v.trim() !== '') return [v, lang];
  }
  return ['', i18n.language()];
}

/** node with the text of texts in the page's language (lang set when another). */
function textIn(node, texts) {
  const [text, lang] = pick(texts);
  node.textContent = text;
  if (lang !== i18n.language()) node.lang = lang;
  return text;
}

/** A photo of the site itself: "/img/speakers/ana.jpg", never another origin. */
const sitePhoto = (p) => typeof p === 'string' && /^\/[A-Za-z0-9/_.-]+$/.test(p) && !p.startsWith('//') && !p.includes('/.');

/** The day of an instant in zone tz, to tell whether an item is on the event's first day. */
const dayIn = (iso, tz) => new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));

function agendaItem(item, ev, zone) {
  const li = el('li', 'ev-agenda__item');
  const lang = i18n.language();
  const timeOnly = dayIn(item.starts_at, zone) === dayIn(ev.starts_at, zone);
  const when = el('p', 'ev-agenda__time');
  const time = el('time', '', rangeText(item, zone, lang, { timeOnly }));
  time.setAttribute('datetime', item.starts_at);
  when.append(time);
  const same = rangeText(item, zone, lang, { withZone: false }) === rangeText(item, visitorZone, lang, { withZone: false });
  if (!same) {
    const yours = el('span', 'ev-agenda__yours', i18n.t('events.agenda.yours', {
      time: rangeText(item, visitorZone, lang, { timeOnly, withZone: false }), zone: zoneLabel(visitorZone),
    }));
    when.append(' ', yours);
  }
  const title = el('h3', 'ev-agenda__title');
  textIn(title, item.title);
  li.append(when, title);
  const desc = el('p', 'ev-agenda__desc');
  if (textIn(desc, item.description) !== '') li.append(desc);
  return li;
}

function speaker(sp) {
  const li = el('li', 'ev-speaker');
  if (sitePhoto(sp.photo)) {
    const img = el('img', 'ev-speaker__photo');
    // The name follows: the photo adds nothing a screen reader should repeat.
    img.setAttribute('alt', '');
    img.setAttribute('src', sp.photo);
    img.setAttribute('width', '96');
    img.setAttribute('height', '96');
    img.setAttribute('loading', 'lazy');
    img.setAttribute('decoding', 'async');
    li.append(img);
  }
  const body = el('div', 'ev-speaker__body');
  body.append(el('h3', 'ev-speaker__name', typeof sp.name === 'string' ? sp.name : ''));
  const role = el('p', 'ev-speaker__role');
  if (textIn(role, sp.role) !== '') body.append(role);
  if (typeof sp.organisation === 'string' && sp.organisation !== '') {
    body.append(el('p', 'ev-speaker__org', sp.organisation));
  }
  li.append(body);
  return li;
}

/**
 * Draws the agenda and speakers of ev (null: none, both hidden) in the
 * page's language; called after every render of the page.
 */
export function renderEventPage(ev) {
  const agenda = Array.isArray(ev?.agenda) ? ev.agenda.filter((a) => a && typeof a.starts_at === 'string') : [];
  const speakers = Array.isArray(ev?.speakers) ? ev.speakers.filter((s) => s && typeof s === 'object') : [];
  const key = JSON.stringify([i18n.language(), ev?.timezone, ev?.starts_at, agenda, speakers]);
  if (key === drawn) return;
  drawn = key;
  const zone = usableZone(typeof ev?.timezone === 'string' ? ev.timezone : 'UTC');
  $('ev-agenda-list').replaceChildren(...agenda.map((item) => agendaItem(item, ev, zone)));
  $('ev-agenda').hidden = agenda.length === 0;
  $('ev-speakers-list').replaceChildren(...speakers.map(speaker));
  $('ev-speakers').hidden = speakers.length === 0;
}
