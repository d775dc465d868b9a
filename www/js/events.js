// www/js/events.js — the events page (events.html). Lists the upcoming events
// from GET /api/v1/events (or one event, GET /api/v1/events/{slug}, with
// ?event=SLUG) in the visitor's language: dates and times in the event's
// time zone and in the visitor's (Intl.DateTimeFormat with timeZone), place,
// online link, seats left and the status in words, and an "add to calendar"
// link to the event's .ics. One registration form (#reg) moves under the
// event chosen and posts JSON to POST /api/v1/events/{slug}/registrations:
// 201/200 registered or waitlisted (with the position), 422 field errors
// beside the fields and in a summary, 409 event_full / event_closed, 429,
// 503, network trouble. Without this script taking over, the form posts
// itself (urlencoded, `return`) and the server's 303 brings the visitor back
// with ?ok=1[&status=waitlisted] or ?error=CODE, shown here on load.
// All data goes into the page with textContent and setAttribute.

import * as i18n from './events-i18n.js';
import { loadCountries, fillCountrySelect } from './countries.js';
import { visitorZone, usableZone, zoneLabel, rangeText as rangeIn } from './event-time.js';
import { renderEventPage } from './event-page.js';

const $ = (id) => document.getElementById(id);
const REFRESH_MS = 60_000;

/** The form's fields, the server's rules (API.md), in the form's order. */
const FIELDS = ['name', 'email', 'organisation', 'role', 'country', 'consent'];
const MAX = { name: 120, email: 254, organisation: 160, role: 120 };
const LABEL_KEYS = {
  name: 'reg.name.label',
  email: 'reg.email.label',
  organisation: 'reg.organisation.label',
  role: 'reg.role.label',
  country: 'reg.country.label',
  consent: 'reg.consent.short',
  language: 'lang.label',
  website: 'reg.honeypot',
};

const params = new URLSearchParams(location.search);
const SLUG_RE = /^[a-z0-9-]{1,64}$/;

const state = {
  /** 'loading' | 'ready' | 'failed' | 'missing' (the ?event= is unknown). */
  phase: 'loading',
  /** The events as the API last gave them. */
  events: [],
  /** ?event=SLUG: only that event is shown. */
  only: SLUG_RE.test(params.get('event') || '') ? params.get('event') : null,
  /** The event whose form is open, or null. */
  selected: null,
  /** field -> reason (API.md's field reasons). */
  errors: new Map(),
  submitted: false,
  sending: false,
  /** { kind: 'registered'|'waitlisted', repeat, position, email, fallback } or null. */
  outcome: null,
  /** { key, vars } above the form, or null. */
  alert: null,
  countries: null,
};

/** slug -> the card's elements (kept across renders so focus stays put). */
const cards = new Map();

// ---------------------------------------------------------------------------
// Dates, times and zones.

/** The event's start–end in zone tz, in the current language. */
const rangeText = (ev, tz, withZone = true) => rangeIn(ev, tz, i18n.language(), { withZone });

// ---------------------------------------------------------------------------
// Events as the API gives them.

function canRegister(ev) {
  return ev.status === 'open' || (ev.status === 'full' && ev.waitlist === true);
}

/** The key of the status in words. */
function statusKey(ev) {
  if (ev.status === 'full') return ev.waitlist ? 'status.full_waitlist' : 'status.full';
  if (ev.status === 'open' || ev.status === 'closed') return `status.${ev.status}`;
  return 'status.unknown';
}

function isEvent(x) {
  return x && typeof x === 'object' && typeof x.slug === 'string' && SLUG_RE.test(x.slug)
    && typeof x.starts_at === 'string';
}

function eventOf(slug) {
  return state.events.find((e) => e.slug === slug) || null;
}

const icsHref = (slug) => `/api/v1/events/${slug}.ics?lang=${i18n.language()}`;

/** http(s) URLs only: anything else is shown as text, never as a link. */
function safeUrl(u) {
  if (typeof u !== 'string' || u === '') return null;
  try {
    const url = new URL(u);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------
// Loading.

async function fetchJson(path) {
  const r = await fetch(path, { headers: { Accept: 'application/json' } });
  let body = null;
  try {
    body = await r.json();
  } catch {
    body = null;
  }
  return { status: r.status, body };
}

/** Loads the list (or the one event); renders; resolves true on success. */
async function load({ quiet = false } = {}) {
  if (!quiet) {
    state.phase = state.events.length ? state.phase : 'loading';
    renderStatus();
  }
  try {
    if (state.only) {
      const { status, body } = await fetchJson(`/api/v1/events/${state.only}`);
      if (status === 404) {
        state.phase = 'missing';
        state.events = [];
      } else if (status === 200 && isEvent(body)) {
        state.phase = 'ready';
        state.events = [body];
      } else {
        throw new Error(`HTTP ${status}`);
      }
    } else {
      const { status, body } = await fetchJson('/api/v1/events');
      if (status !== 200 || !body || !Array.isArray(body.items)) throw new Error(`HTTP ${status}`);
      state.phase = 'ready';
      state.events = body.items.filter(isEvent);
    }
  } catch {
    if (!quiet || state.events.length === 0) state.phase = 'failed';
    renderAll();
    return false;
  }
  if (state.selected && !eventOf(state.selected)) state.selected = null;
  renderAll();
  return true;
}

/** Refreshes one event (after a registration) without touching the rest. */
async function refreshEvent(slug) {
  try {
    const { status, body } = await fetchJson(`/api/v1/events/${slug}`);
    if (status !== 200 || !isEvent(body)) return;
    const i = state.events.findIndex((e) => e.slug === slug);
    if (i >= 0) state.events[i] = body;
    renderAll();
  } catch {
    /* the card keeps what it showed */
  }
}

// ---------------------------------------------------------------------------
// Rendering the cards.

function el(tag, cls, attrs = {}) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

/** A <div><dt/><dd/></div> row of the facts list. */
function factRow(dl) {
  const row = el('div', 'ev-card__fact');
  const dt = el('dt');
  const dd = el('dd');
  row.append(dt, dd);
  dl.append(row);
  return { row, dt, dd };
}

function createCard(slug) {
  const li = el('li', 'ev-card', { id: `event-${slug}` });
  const article = el('article', 'ev-card__body', { 'aria-labelledby': `event-${slug}-title` });
  const head = el('div', 'ev-card__head');
  const title = el('h2', 'ev-card__title', { id: `event-${slug}-title` });
  const status = el('p', 'ev-status-badge');
  head.append(title, status);
  const facts = el('dl', 'ev-card__facts');
  const c = {
    li,
    title,
    titleLink: el('a', 'ev-card__title-link'),
    status,
    when: factRow(facts),
    local: factRow(facts),
    place: factRow(facts),
    online: factRow(facts),
    seats: factRow(facts),
    desc: el('p', 'ev-card__desc'),
    actions: el('p', 'ev-card__actions'),
    register: el('button', 'button', { type: 'button', 'aria-controls': 'reg', 'aria-expanded': 'false' }),
    ics: el('a', 'button button--secondary ev-card__ics', { 'aria-describedby': `event-${slug}-title`, download: `${slug}.ics` }),
    slot: el('div', 'ev-card__form'),
  };
  c.placeText = el('span', 'ev-card__place');
  c.map = el('a', 'ev-card__map', { 'aria-describedby': `event-${slug}-title` });
  c.place.dd.append(c.placeText, ' ', c.map);
  c.register.addEventListener('click', () => toggleForm(slug));
  c.actions.append(c.register, c.ics);
  article.append(head, facts, c.desc, c.actions, c.slot);
  li.append(article);
  return c;
}

function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/** A <time> in dd with `text`, or plain text. */
function setTime(dd, iso, text) {
  let t = dd.firstElementChild;
  if (!t || t.tagName !== 'TIME') {
    t = el('time');
    dd.replaceChildren(t);
  }
  t.setAttribute('datetime', iso);
  setText(t, text);
}

/** The address of an event's own page. */
const pageHref = (slug) => `/events.html?event=${slug}`;

/** An OpenStreetMap search for a place's text: a plain link, nothing loaded here. */
const mapHref = (place) => `https://www.openstreetmap.org/search?query=${encodeURIComponent(place)}`;

function renderCard(c, ev) {
  const lang = i18n.language();
  // On the event's own page the page's h1 is its title: the card's heading
  // names what the card holds; in the list the title links to the page.
  const titleId = state.only ? 'events-title' : `event-${ev.slug}-title`;
  if (state.only) {
    setText(c.title, i18n.t('events.page.facts'));
  } else {
    if (c.titleLink.parentNode !== c.title) c.title.replaceChildren(c.titleLink);
    c.titleLink.setAttribute('href', pageHref(ev.slug));
    setText(c.titleLink, i18n.localized(ev.title) || ev.slug);
  }
  c.status.dataset.status = ev.status === 'full' && ev.waitlist ? 'waitlist' : ev.status;
  setText(c.status, i18n.t(statusKey(ev)));

  // When: in the event's zone, and in the visitor's when the clock differs.
  const zone = usableZone(typeof ev.timezone === 'string' ? ev.timezone : 'UTC');
  const sameClock = rangeText(ev, zone, false) === rangeText(ev, visitorZone, false);
  setText(c.when.dt, sameClock
    ? i18n.t('events.when.both', { zone: zoneLabel(zone) })
    : i18n.t('events.when.event', { zone: zoneLabel(zone) }));
  setTime(c.when.dd, ev.starts_at, rangeText(ev, zone));
  c.local.row.hidden = sameClock;
  if (!sameClock) {
    setText(c.local.dt, i18n.t('events.when.yours', { zone: zoneLabel(visitorZone) }));
    setTime(c.local.dd, ev.starts_at, rangeText(ev, visitorZone));
  }

  const place = typeof ev.location === 'string' ? ev.location.trim() : '';
  c.place.row.hidden = place === '';
  setText(c.place.dt, i18n.t('events.where'));
  setText(c.placeText, place);
  c.map.setAttribute('href', mapHref(place));
  c.map.setAttribute('aria-describedby', titleId);
  setText(c.map, i18n.t('events.map'));

  const online = safeUrl(ev.online_url);
  c.online.row.hidden = !online;
  setText(c.online.dt, i18n.t('events.online'));
  if (online) {
    let a = c.online.dd.firstElementChild;
    if (!a || a.tagName !== 'A') {
      a = el('a', 'ev-card__link', { rel: 'noopener' });
      c.online.dd.replaceChildren(a);
    }
    a.setAttribute('href', online);
    setText(a, online);
  }

  // Seats: only for events with a capacity that still take registrations.
  const hasSeats = Number.isSafeInteger(ev.capacity) && ev.status !== 'closed';
  c.seats.row.hidden = !hasSeats;
  setText(c.seats.dt, i18n.t('events.seats'));
  if (hasSeats) {
    let text;
    if (ev.status === 'full') text = i18n.t(ev.waitlist ? 'events.seats.full_waitlist' : 'events.seats.full');
    else text = i18n.plural('events.seats.left', ev.seats_left ?? 0, { capacity: i18n.formatNumber(ev.capacity) });
    setText(c.seats.dd, text);
  }

  const desc = i18n.localized(ev.description);
  c.desc.hidden = desc === '';
  setText(c.desc, desc);

  c.register.hidden = !canRegister(ev);
  setText(c.register, i18n.t(ev.status === 'full' ? 'events.join_waitlist' : 'events.register'));
  c.register.setAttribute('aria-expanded', String(state.selected === ev.slug));
  c.register.setAttribute('aria-describedby', titleId);
  c.ics.setAttribute('aria-describedby', titleId);
  c.ics.setAttribute('href', icsHref(ev.slug));
  setText(c.ics, i18n.t('events.add_to_calendar'));
  c.li.lang = lang;
}

function renderStatus() {
  const status = $('ev-status');
  let text = '';
  switch (state.phase) {
    case 'loading':
      text = i18n.t('events.loading');
      break;
    case 'failed':
      text = i18n.t('events.failed');
      break;
    case 'missing':
      text = i18n.t('events.missing');
      break;
    default:
      text = state.events.length === 0
        ? i18n.t('events.none')
        : state.only ? '' : i18n.plural('events.count', state.events.length);
  }
  setText(status, text);
  status.parentElement.classList.toggle('is-shown', text !== '');
  $('ev-retry').hidden = state.phase !== 'failed';
  $('ev-all').hidden = !state.only;
}

function renderList() {
  const list = $('ev-list');
  const seen = new Set();
  const order = [];
  for (const ev of state.events) {
    let c = cards.get(ev.slug);
    if (!c) {
      c = createCard(ev.slug);
      cards.set(ev.slug, c);
    }
    renderCard(c, ev);
    seen.add(ev.slug);
    order.push(c.li);
  }
  for (const [slug, c] of cards) {
    if (!seen.has(slug)) {
      c.li.remove();
      cards.delete(slug);
    }
  }
  // Re-order only when needed (moving a node would drop focus inside it).
  const current = [...list.children];
  if (current.length !== order.length || current.some((n, i) => n !== order[i])) list.replaceChildren(...order);
  list.hidden = order.length === 0;
}

// ---------------------------------------------------------------------------
// The form.

const form = $('reg-form');
const reg = $('reg');

function toggleForm(slug) {
  if (state.selected === slug && !reg.hidden) {
    state.selected = null;
    renderAll();
    cards.get(slug)?.register.focus();
    return;
  }
  openForm(slug);
  $('reg-title').focus();
}

function openForm(slug) {
  if (state.selected !== slug) {
    state.outcome = null;
    state.alert = null;
    state.errors.clear();
    state.submitted = false;
  }
  state.selected = slug;
  renderAll();
}

function value(name) {
  const f = form.elements.namedItem(name);
  if (!f) return '';
  if (f.type === 'checkbox') return f.checked;
  return f.value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** The checks the browser can make before asking the server. */
function checkField(name) {
  const v = value(name);
  switch (name) {
    case 'name':
      if (v === '') return 'required';
      break;
    case 'email':
      if (v === '') return 'required';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) return 'invalid_email';
      break;
    case 'consent':
      if (v !== true) return 'must_be_true';
      break;
    default:
      break;
  }
  if (MAX[name] && [...v].length > MAX[name]) return 'too_long';
  return null;
}

function checkAll() {
  const errors = new Map();
  for (const name of FIELDS) {
    const reason = checkField(name);
    if (reason) errors.set(name, reason);
  }
  return errors;
}

function message(name, reason) {
  if (name === 'consent' && (reason === 'must_be_true' || reason === 'required')) return i18n.t('reg.consent.required');
  if (reason === 'too_long' && MAX[name]) return i18n.t('reason.too_long', { max: i18n.formatNumber(MAX[name]) });
  const key = `reason.${reason}`;
  return i18n.has(key) ? i18n.t(key) : i18n.t('reason.other');
}

function controlOf(name) {
  const c = $(`reg-${name}`);
  return c && c.type !== 'hidden' && name !== 'website' ? c : null;
}

function renderErrors() {
  for (const name of FIELDS) {
    const reason = state.errors.get(name);
    const box = $(`reg-${name}-error`);
    const control = controlOf(name);
    setText(box, reason ? message(name, reason) : '');
    if (reason) control.setAttribute('aria-invalid', 'true');
    else control.removeAttribute('aria-invalid');
    form.querySelector(`[data-field="${name}"]`).classList.toggle('field--invalid', Boolean(reason));
  }
  const summary = $('reg-summary');
  const errors = [...state.errors.entries()];
  if (!state.submitted || errors.length === 0) {
    summary.hidden = true;
    return;
  }
  setText($('reg-summary-title'), i18n.plural('reg.summary', errors.length));
  $('reg-summary-list').replaceChildren(...errors.map(([name, reason]) => {
    const li = el('li');
    const label = LABEL_KEYS[name] ? i18n.t(LABEL_KEYS[name]) : name;
    const text = `${label}: ${message(name, reason)}`;
    const control = controlOf(name);
    if (control) {
      const a = el('a', '', { href: `#${control.id}` });
      a.textContent = text;
      a.addEventListener('click', (e) => {
        e.preventDefault();
        control.focus();
      });
      li.append(a);
    } else {
      li.textContent = text;
    }
    return li;
  }));
  summary.hidden = false;
}

function renderOutcome(ev) {
  const o = state.outcome;
  const done = $('reg-done');
  done.hidden = !o;
  if (!o) return;
  const waitlisted = o.kind === 'waitlisted';
  const kind = `${o.repeat ? 'already_' : ''}${o.kind}`;
  setText($('reg-done-title'), i18n.t(`reg.done.${kind}.title`));
  let text;
  const pos = Number.isSafeInteger(o.position) ? i18n.formatNumber(o.position) : null;
  if (o.fallback) text = i18n.t(`reg.done.${o.kind}.text_nojs`);
  else if (waitlisted && pos) text = i18n.t(`reg.done.${kind}.text`, { position: pos, email: o.email });
  else if (waitlisted) text = i18n.t('reg.done.waitlisted.text_nojs');
  else text = i18n.t(`reg.done.${kind}.text`, { email: o.email });
  setText($('reg-done-text'), text);
  const ics = $('reg-done-ics');
  ics.hidden = waitlisted || !ev;
  if (ev) {
    ics.setAttribute('href', icsHref(ev.slug));
    ics.setAttribute('download', `${ev.slug}.ics`);
  }
  done.dataset.kind = o.kind;
}

function renderForm() {
  const ev = state.selected ? eventOf(state.selected) : null;
  if (!ev) {
    reg.hidden = true;
    return;
  }
  const c = cards.get(ev.slug);
  if (c && reg.parentElement !== c.slot) c.slot.append(reg);
  reg.hidden = false;

  const lang = i18n.language();
  const waitlist = ev.status === 'full';
  setText($('reg-title'), i18n.t(waitlist ? 'reg.title_waitlist' : 'reg.title', { event: i18n.localized(ev.title) }));
  setText($('reg-lead'), i18n.t(waitlist ? 'reg.lead_waitlist' : 'reg.lead'));
  $('reg-lead').hidden = Boolean(state.outcome) || !canRegister(ev);
  form.setAttribute('action', `/api/v1/events/${ev.slug}/registrations`);
  $('reg-language').value = lang;
  $('reg-return').value = `/events.html?event=${ev.slug}&lang=${lang}`;
  form.hidden = Boolean(state.outcome) || !canRegister(ev);

  const alert = $('reg-alert');
  const alertText = state.alert ? i18n.t(state.alert.key, state.alert.vars) : '';
  setText(alert, alertText);
  alert.classList.toggle('is-shown', alertText !== '');

  const submit = $('reg-submit');
  if (state.sending) {
    submit.setAttribute('aria-disabled', 'true');
    setText(submit, i18n.t('reg.sending'));
    setText($('reg-status'), i18n.t('reg.sending_status'));
  } else {
    submit.removeAttribute('aria-disabled');
    setText(submit, i18n.t(waitlist ? 'reg.submit_waitlist' : 'reg.submit'));
    setText($('reg-status'), '');
  }
  renderErrors();
  renderOutcome(ev);
}

function renderCountries() {
  if (!state.countries) return;
  fillCountrySelect($('reg-country'), state.countries, i18n.language(), {
    empty: i18n.t('reg.country.choose'),
    lac: i18n.t('reg.country.lac'),
    other: i18n.t('reg.country.other'),
  });
}

/** On the event's own page: its title as the page's, its agenda and speakers. */
function renderPage() {
  if (!state.only) return;
  const ev = eventOf(state.only);
  const title = ev ? i18n.localized(ev.title) || ev.slug : '';
  if (ev) {
    setText($('events-title'), title);
    document.title = i18n.t('events.page.title_one', { title });
  }
  $('ev-lead').hidden = Boolean(ev);
  renderEventPage(ev);
}

function renderAll() {
  renderStatus();
  renderList();
  renderPage();
  renderForm();
}

// ---------------------------------------------------------------------------
// Submitting.

function focusLater(node) {
  if (node && !node.hidden) requestAnimationFrame(() => node.focus());
}

async function submit(event) {
  event.preventDefault();
  if (state.sending) return;
  const ev = eventOf(state.selected);
  if (!ev) return;
  state.submitted = true;
  state.alert = null;
  state.errors = checkAll();
  if (state.errors.size > 0) {
    renderForm();
    focusLater($('reg-summary'));
    return;
  }
  const body = {
    name: value('name'),
    email: value('email'),
    consent: true,
    language: i18n.language(),
    website: form.elements.namedItem('website').value,
  };
  for (const name of ['organisation', 'role', 'country']) {
    if (value(name) !== '') body[name] = value(name);
  }
  state.sending = true;
  renderForm();
  let status = 0;
  let reply = null;
  try {
    const r = await fetch(`/api/v1/events/${ev.slug}/registrations`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json; charset=utf-8', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
    status = r.status;
    try {
      reply = await r.json();
    } catch {
      reply = null;
    }
  } catch {
    status = 0;
  }
  state.sending = false;
  const code = reply && reply.error && typeof reply.error.code === 'string' ? reply.error.code : null;

  if ((status === 201 || status === 200) && reply && (reply.status === 'registered' || reply.status === 'waitlisted')) {
    state.outcome = {
      kind: reply.status,
      repeat: status === 200,
      position: reply.position,
      email: body.email,
      fallback: false,
    };
    state.submitted = false;
    state.errors.clear();
    renderForm();
    focusLater($('reg-done-title'));
    refreshEvent(ev.slug);
    return;
  }
  if (status === 422 && reply && reply.error && reply.error.fields && typeof reply.error.fields === 'object') {
    state.errors = new Map(Object.entries(reply.error.fields).filter(([, r]) => typeof r === 'string'));
    renderForm();
    focusLater($('reg-summary'));
    return;
  }
  state.alert = { key: alertKey(status, code) };
  renderForm();
  if (status === 409 || status === 404) {
    await refreshEvent(ev.slug);
    if (form.hidden) focusLater($('reg-title'));
  }
}

function alertKey(status, code) {
  if (status === 0) return 'error.network';
  if (code && i18n.has(`error.${code}`)) return `error.${code}`;
  if (status === 429) return 'error.rate_limited';
  if (status >= 500) return 'error.unavailable';
  return 'error.generic';
}

// ---------------------------------------------------------------------------
// ?ok=1 / ?error=CODE from the form's own POST (no script at submit time).

function takeFallback() {
  const ok = params.get('ok');
  const error = params.get('error');
  if (ok === null && error === null) return;
  const url = new URL(location.href);
  for (const k of ['ok', 'status', 'error']) url.searchParams.delete(k);
  history.replaceState(history.state, '', url);
  if (!state.only || !eventOf(state.only)) return;
  openForm(state.only);
  if (ok === '1') {
    state.outcome = {
      kind: params.get('status') === 'waitlisted' ? 'waitlisted' : 'registered',
      repeat: false,
      fallback: true,
    };
    renderAll();
    focusLater($('reg-done-title'));
  } else {
    const code = /^[a-z_]{1,40}$/.test(error) ? error : 'generic';
    state.alert = { key: i18n.has(`error.${code}`) ? `error.${code}` : 'error.generic' };
    renderAll();
    focusLater($('reg-title'));
  }
}

// ---------------------------------------------------------------------------

form.addEventListener('submit', submit);
// Errors are checked again on the next submit only: clearing them as a field
// loses focus would move the button under the pointer between mousedown and
// mouseup, and the click would be lost.
$('reg-again').addEventListener('click', () => {
  state.outcome = null;
  state.alert = null;
  form.reset();
  renderAll();
  focusLater($('reg-name'));
});
$('ev-retry').addEventListener('click', () => load());

i18n.onChange(() => {
  renderCountries();
  renderAll();
});

setInterval(() => {
  if (document.visibilityState === 'visible' && state.phase === 'ready' && !state.sending) load({ quiet: true });
}, REFRESH_MS);

(async () => {
  await i18n.init();
  renderAll();
  loadCountries().then((data) => {
    state.countries = data;
    renderCountries();
  }).catch(() => {
    /* the country stays optional: the select keeps its one empty option */
  });
  await load();
  if (state.only && eventOf(state.only)) {
    if (params.has('ok') || params.has('error')) takeFallback();
    else if (canRegister(eventOf(state.only))) openForm(state.only);
  }
})();
