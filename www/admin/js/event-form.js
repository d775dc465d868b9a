// www/admin/js/event-form.js — the form that creates or edits an event
// (admin/events.html, #event-form): titles and descriptions in the four
// languages, the venue's time zone and the times as its clocks show them
// (sent as *_local: the server converts them with the tz database, see
// api.md), place, online link, capacity and waitlist (with a note when the
// new capacity is below the seats already taken), and the agenda items and
// speakers, each a small fieldset that can be added, moved and removed.
// Errors of the API (422) are shown beside their fields, whose names are
// the API's ("agenda.2.title.es").

import * as i18n from './i18n.js';
import { api, ApiError } from './api.js';
import { $, announce, el, errorText } from './shell.js';
import { clearErrors, fieldError, once } from './forms.js';

const LANGS = ['es', 'pt', 'en', 'fr'];
const LANG_NAMES = { es: 'Español', pt: 'Português', en: 'English', fr: 'Français' };
const SLUG_RE = /^[a-z0-9-]{1,64}$/;

const form = () => $('event-form');

const state = {
  /** The event being edited (staff form of the API), or null to create one. */
  event: null,
  /** Called with the saved event after a successful save. */
  onSaved: null,
  seq: 0,
};

// --------------------------------------------------------------- helpers ----

const trimmed = (input) => input.value.trim();
const orNull = (v) => (v === '' ? null : v);

/** Whether the browser knows time zone `tz`. */
function zoneKnown(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz !== '';
  } catch {
    return false;
  }
}

/** A labelled input (or textarea) in a .field; key is its name's last part. */
function inputField(id, key, label, { type = 'text', lang, required = false, maxlength, textarea = false, hint } = {}) {
  const field = el('div', { class: 'field' });
  const l = el('label', { class: 'field__label', for: id, lang }, label);
  const input = textarea
    ? el('textarea', { id, class: 'field__input field__textarea', rows: '3', lang, maxlength })
    : el('input', { id, class: 'field__input', type, lang, maxlength });
  input.dataset.key = key;
  if (required) input.required = true;
  field.append(l, input);
  if (hint) {
    const h = el('p', { id: `${id}-hint`, class: 'field__hint' }, hint);
    input.setAttribute('aria-describedby', h.id);
    field.append(h);
  }
  return field;
}

/** A fieldset with an input per language: keys `${key}.${lang}`. */
function langsFieldset(idBase, key, legend, opts) {
  const fs = el('fieldset', { class: 'fieldset fieldset--langs' });
  fs.append(el('legend', {}, legend));
  for (const lang of LANGS) {
    fs.append(inputField(`${idBase}-${lang}`, `${key}.${lang}`, LANG_NAMES[lang], { lang, ...opts }));
  }
  return fs;
}

let uid = 0;

/** The move up / move down / remove buttons of an item. */
function itemButtons() {
  const p = el('p', { class: 'item__actions' });
  for (const action of ['up', 'down', 'remove']) {
    const b = el('button', { type: 'button', class: `button button--quiet item__${action}` });
    b.dataset.action = action;
    p.append(b);
  }
  return p;
}

// ------------------------------------------------------ agenda, speakers ----

function agendaItem(item = {}) {
  const id = `ag-${++uid}`;
  const li = el('li', { class: 'item' });
  const fs = el('fieldset', { class: 'fieldset item__box' });
  fs.append(el('legend', { class: 'item__legend' }));
  const row = el('div', { class: 'field-row' });
  row.append(
    inputField(`${id}-start`, 'starts_at_local', i18n.t('events.item_starts'), { type: 'datetime-local', required: true }),
    inputField(`${id}-end`, 'ends_at_local', i18n.t('events.item_ends'), { type: 'datetime-local' }),
  );
  fs.append(row,
    langsFieldset(`${id}-title`, 'title', i18n.t('events.item_title'), { required: true, maxlength: '200' }),
    langsFieldset(`${id}-description`, 'description', i18n.t('events.item_description'), { textarea: true, maxlength: '2000' }),
    itemButtons());
  li.append(fs);
  setValue(li, 'starts_at_local', item.starts_at_local);
  setValue(li, 'ends_at_local', item.ends_at_local);
  for (const lang of LANGS) {
    setValue(li, `title.${lang}`, item.title?.[lang]);
    setValue(li, `description.${lang}`, item.description?.[lang]);
  }
  return li;
}

function speakerItem(sp = {}) {
  const id = `sp-${++uid}`;
  const li = el('li', { class: 'item' });
  const fs = el('fieldset', { class: 'fieldset item__box' });
  fs.append(el('legend', { class: 'item__legend' }));
  const row = el('div', { class: 'field-row' });
  row.append(
    inputField(`${id}-name`, 'name', i18n.t('events.speaker_name'), { required: true, maxlength: '120' }),
    inputField(`${id}-organisation`, 'organisation', i18n.t('events.speaker_organisation'), { maxlength: '160' }),
  );
  fs.append(row,
    langsFieldset(`${id}-role`, 'role', i18n.t('events.speaker_role'), { maxlength: '200' }),
    inputField(`${id}-photo`, 'photo', i18n.t('events.speaker_photo'), { maxlength: '200', hint: i18n.t('events.speaker_photo_hint') }),
    itemButtons());
  li.append(fs);
  setValue(li, 'name', sp.name);
  setValue(li, 'organisation', sp.organisation);
  setValue(li, 'photo', sp.photo);
  for (const lang of LANGS) setValue(li, `role.${lang}`, sp.role?.[lang]);
  return li;
}

function setValue(li, key, value) {
  const input = li.querySelector(`[data-key="${key}"]`);
  if (input) input.value = typeof value === 'string' ? value : '';
}

function valueOf(li, key) {
  return trimmed(li.querySelector(`[data-key="${key}"]`));
}

/** Numbers the items of list (0-based in names, 1-based in words). */
function renumber(list, prefix, legendKey) {
  const items = [...list.children];
  items.forEach((li, i) => {
    const n = i18n.formatNumber(i + 1);
    for (const input of li.querySelectorAll('[data-key]')) input.name = `${prefix}.${i}.${input.dataset.key}`;
    li.querySelector('.item__legend').textContent = i18n.t(legendKey, { n });
    for (const b of li.querySelectorAll('.item__actions button')) {
      b.textContent = i18n.t(`events.item_${b.dataset.action}`);
      b.setAttribute('aria-label', i18n.t(`events.item_${b.dataset.action}_label`, { what: i18n.t(legendKey, { n }) }));
    }
    li.querySelector('.item__up').hidden = i === 0;
    li.querySelector('.item__down').hidden = i === items.length - 1;
  });
}

function renumberAll() {
  renumber($('agenda-items'), 'agenda', 'events.agenda_item');
  renumber($('speaker-items'), 'speakers', 'events.speaker_item');
}

/** Move up, move down or remove the item of the button clicked. */
function itemAction(ev) {
  const b = ev.target.closest('.item__actions button');
  if (!b) return;
  const li = b.closest('li.item');
  const list = li.parentElement;
  const legend = li.querySelector('.item__legend').textContent;
  if (b.dataset.action === 'remove') {
    const next = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    renumberAll();
    announce(i18n.t('events.item_removed', { what: legend }));
    (next?.querySelector('input') || $(list.id === 'agenda-items' ? 'agenda-add' : 'speaker-add')).focus();
    return;
  }
  if (b.dataset.action === 'up' && li.previousElementSibling) list.insertBefore(li, li.previousElementSibling);
  if (b.dataset.action === 'down' && li.nextElementSibling) list.insertBefore(li.nextElementSibling, li);
  renumberAll();
  const moved = li.querySelector('.item__legend').textContent;
  announce(i18n.t('events.item_moved', { what: legend, now: moved }));
  const same = li.querySelector(`.item__${b.dataset.action}`);
  (same && !same.hidden ? same : li.querySelector('.item__actions button:not([hidden])')).focus();
}

function addItem(list, li) {
  list.append(li);
  renumberAll();
  li.querySelector('input').focus();
}

// ---------------------------------------------------------------- notes ----

function zoneNote() {
  const tz = trimmed($('ev-timezone'));
  let text = '';
  if (tz !== '' && zoneKnown(tz)) text = i18n.t('events.zone_note', { zone: tz });
  else if (tz !== '') text = i18n.t('events.zone_unknown', { zone: tz });
  if ($('zone-note').textContent !== text) $('zone-note').textContent = text;
}

/** What a capacity or waitlist change does to the people already there. */
function capacityNote() {
  const ev = state.event;
  let text = '';
  const v = trimmed($('ev-capacity'));
  if (ev && /^\d+$/.test(v) && Number(v) < ev.registered) {
    text = i18n.t('events.capacity_below', { registered: i18n.formatNumber(ev.registered), capacity: i18n.formatNumber(Number(v)) });
  } else if (ev && !$('ev-waitlist').checked && ev.waitlisted > 0) {
    text = i18n.plural('events.waitlist_off', ev.waitlisted);
  }
  if ($('capacity-note').textContent !== text) $('capacity-note').textContent = text;
}

// ------------------------------------------------------------ open, fill ----

function fill(ev) {
  const f = form();
  clearErrors(f);
  f.reset();
  const creating = !ev;
  $('slug-field').hidden = !creating;
  $('ev-slug').disabled = !creating;
  $('slug-fixed').hidden = creating;
  if (!creating) $('slug-fixed').textContent = i18n.t('events.slug_fixed', { slug: ev.slug });
  for (const lang of LANGS) {
    $(`ev-title-${lang}`).value = ev?.title?.[lang] || '';
    $(`ev-description-${lang}`).value = ev?.description?.[lang] || '';
  }
  $('ev-timezone').value = ev ? ev.timezone : (Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
  $('ev-starts').value = ev?.starts_at_local || '';
  $('ev-ends').value = ev?.ends_at_local || '';
  $('ev-closes').value = ev?.registration_closes_at_local || '';
  $('ev-location').value = ev?.location || '';
  $('ev-online').value = ev?.online_url || '';
  $('ev-capacity').value = ev && Number.isSafeInteger(ev.capacity) ? String(ev.capacity) : '';
  $('ev-waitlist').checked = ev ? ev.waitlist !== false : true;
  $('agenda-items').replaceChildren(...(ev?.agenda || []).map(agendaItem));
  $('speaker-items').replaceChildren(...(ev?.speakers || []).map(speakerItem));
  renumberAll();
  zoneNote();
  capacityNote();
}

/** Shows the form to create an event. */
export function openCreate() {
  state.event = null;
  state.seq++;
  fill(null);
}

/** Shows the form filled with ev (the staff form: GET /api/v1/admin/events/{slug}). */
export function openEdit(ev) {
  state.event = ev;
  state.seq++;
  fill(ev);
}

/** The event being edited, or null. */
export function editing() {
  return state.event;
}

// ------------------------------------------------------------ the body ----

function body() {
  const b = { title: {}, description: {} };
  if (!state.event) b.slug = trimmed($('ev-slug'));
  for (const lang of LANGS) {
    b.title[lang] = trimmed($(`ev-title-${lang}`));
    b.description[lang] = trimmed($(`ev-description-${lang}`));
  }
  b.timezone = trimmed($('ev-timezone'));
  b.starts_at_local = $('ev-starts').value;
  b.ends_at_local = $('ev-ends').value;
  b.registration_closes_at_local = orNull($('ev-closes').value);
  b.location = orNull(trimmed($('ev-location')));
  b.online_url = orNull(trimmed($('ev-online')));
  const cap = trimmed($('ev-capacity'));
  b.capacity = cap === '' ? null : (/^\d+$/.test(cap) ? Number(cap) : cap);
  b.waitlist = $('ev-waitlist').checked;
  b.agenda = [...$('agenda-items').children].map((li) => ({
    starts_at_local: valueOf(li, 'starts_at_local'),
    ends_at_local: orNull(valueOf(li, 'ends_at_local')),
    title: Object.fromEntries(LANGS.map((l) => [l, valueOf(li, `title.${l}`)])),
    description: Object.fromEntries(LANGS.map((l) => [l, valueOf(li, `description.${l}`)])),
  }));
  b.speakers = [...$('speaker-items').children].map((li) => ({
    name: valueOf(li, 'name'),
    organisation: orNull(valueOf(li, 'organisation')),
    role: Object.fromEntries(LANGS.map((l) => [l, valueOf(li, `role.${l}`)])),
    photo: orNull(valueOf(li, 'photo')),
  }));
  return b;
}

/** The checks made before asking the server: { name: reason }. */
function localErrors(b) {
  const errors = {};
  if (!state.event && !SLUG_RE.test(b.slug)) errors.slug = b.slug === '' ? 'required' : 'invalid_choice';
  for (const lang of LANGS) if (b.title[lang] === '') errors[`title.${lang}`] = 'required';
  if (!zoneKnown(b.timezone)) errors.timezone = b.timezone === '' ? 'required' : 'invalid_choice';
  if (b.starts_at_local === '') errors.starts_at_local = 'required';
  if (b.ends_at_local === '') errors.ends_at_local = 'required';
  if (typeof b.capacity === 'string') errors.capacity = 'wrong_type';
  b.agenda.forEach((it, i) => {
    if (it.starts_at_local === '') errors[`agenda.${i}.starts_at_local`] = 'required';
    for (const lang of LANGS) if (it.title[lang] === '') errors[`agenda.${i}.title.${lang}`] = 'required';
  });
  b.speakers.forEach((sp, i) => {
    if (sp.name === '') errors[`speakers.${i}.name`] = 'required';
  });
  return errors;
}

/** The input of an API field name: itself, its _local twin, its Spanish text. */
function inputFor(field) {
  const f = form();
  for (const name of [field, `${field}_local`, `${field}.es`]) {
    const input = f.querySelector(`[name="${CSS.escape(name)}"]`);
    if (input) return input;
  }
  return null;
}

/** Words for reason on field (the API's name): the most specific there is. */
function reasonText(field, reason) {
  const parts = field.split('.').filter((p) => !/^\d+$/.test(p) && !LANGS.includes(p));
  const base = parts.length > 1 ? `${parts[0]}_${parts[parts.length - 1]}` : parts[0];
  for (const key of [`events.reason.${base}.${reason}`, `events.reason.${parts[parts.length - 1]}.${reason}`, `events.reason.${reason}`, `reason.${reason}`]) {
    if (i18n.has(key)) return i18n.t(key);
  }
  return reason;
}

/** Shows { field: reason } beside the fields; announces them; focuses the first. */
function showErrors(fields) {
  const f = form();
  clearErrors(f);
  let first = null;
  const loose = [];
  for (const [field, reason] of Object.entries(fields)) {
    const input = inputFor(field);
    const text = reasonText(field, reason);
    if (!input) {
      loose.push(text);
      continue;
    }
    fieldError(input, text);
    first ??= input;
  }
  const n = Object.keys(fields).length;
  announce([i18n.plural('form.errors', n), ...loose].join(' '), { error: true });
  first?.focus();
}

async function save(ev) {
  ev.preventDefault();
  const b = body();
  const local = localErrors(b);
  if (Object.keys(local).length > 0) {
    showErrors(local);
    return;
  }
  const editingSlug = state.event?.slug;
  const seq = state.seq;
  await once('event-save', $('event-save'), async () => {
    try {
      const saved = editingSlug
        ? await api('PUT', `/api/v1/admin/events/${encodeURIComponent(editingSlug)}`, b)
        : await api('POST', '/api/v1/admin/events', b);
      if (seq !== state.seq) return;
      clearErrors(form());
      state.onSaved?.(saved, !editingSlug);
    } catch (err) {
      if (seq !== state.seq) return;
      if (err instanceof ApiError && err.status === 422 && err.fields) showErrors(err.fields);
      else announce(errorText(err), { error: true });
    }
  });
}

// --------------------------------------------------------------- start ----

function fillZones() {
  let zones = [];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = [];
  }
  const list = $('tz-list');
  list.replaceChildren(...['UTC', ...zones.filter((z) => z !== 'UTC')].map((z) => el('option', { value: z })));
}

/** Binds the form; onSaved(event, created) runs after each save. */
export function initForm({ onSaved }) {
  state.onSaved = onSaved;
  fillZones();
  form().addEventListener('submit', save);
  $('agenda-add').addEventListener('click', () => addItem($('agenda-items'), agendaItem()));
  $('speaker-add').addEventListener('click', () => addItem($('speaker-items'), speakerItem()));
  $('agenda-items').addEventListener('click', itemAction);
  $('speaker-items').addEventListener('click', itemAction);
  $('ev-timezone').addEventListener('input', zoneNote);
  $('ev-capacity').addEventListener('input', capacityNote);
  $('ev-waitlist').addEventListener('change', capacityNote);
  i18n.onLanguageChange(() => {
    for (const li of form().querySelectorAll('li.item')) {
      const agenda = li.parentElement.id === 'agenda-items';
      const labels = agenda
        ? { starts_at_local: 'events.item_starts', ends_at_local: 'events.item_ends' }
        : { name: 'events.speaker_name', organisation: 'events.speaker_organisation', photo: 'events.speaker_photo' };
      for (const [key, word] of Object.entries(labels)) {
        const input = li.querySelector(`[data-key="${key}"]`);
        li.querySelector(`label[for="${input.id}"]`).textContent = i18n.t(word);
      }
      const legends = li.querySelectorAll('.fieldset--langs > legend');
      const words = agenda ? ['events.item_title', 'events.item_description'] : ['events.speaker_role'];
      legends.forEach((lg, i) => { lg.textContent = i18n.t(words[i]); });
      const hint = li.querySelector('[data-key="photo"] + .field__hint, .field__hint[id$="-photo-hint"]');
      if (hint) hint.textContent = i18n.t('events.speaker_photo_hint');
    }
    renumberAll();
    zoneNote();
    capacityNote();
  });
}
