// www/admin/js/campaigns.js — campaign settings: pick a campaign (GET
// /api/v1/campaigns), edit its titles and descriptions per language, goal
// and opening/closing times (PUT /api/v1/admin/campaigns/{slug}), pause or
// resume it with a switch (PUT {paused}), and create a campaign (POST
// /api/v1/admin/campaigns). Times are entered in the browser's time zone
// and sent as RFC 3339 UTC.

import * as i18n from './i18n.js';
import { api, ApiError, campaigns as listCampaigns } from './api.js';
import { $, announce, errorText, startPage } from './shell.js';
import { clearErrors, fieldError, isBusy, once } from './forms.js';

const LANGS = ['es', 'en', 'pt', 'fr'];

const state = { campaigns: [], slug: null };

const current = () => state.campaigns.find((c) => c.slug === state.slug) || null;

// ----------------------------------------------------------- time zones ----

const pad = (n) => String(n).padStart(2, '0');

/** An RFC 3339 time as a datetime-local value in the browser's zone. */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (browser's zone) as RFC 3339 UTC, or null. */
function fromLocalInput(value) {
  if (!value) return null;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return undefined;
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function timesHint() {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  $('times-hint').textContent = i18n.t('campaigns.times_hint', { zone });
}

// --------------------------------------------------------- field errors ----

function reasonText(field, reason) {
  const specific = `reason.${field.split('.')[0]}.${reason}`;
  if (i18n.has(specific)) return i18n.t(specific);
  return i18n.has(`reason.${reason}`) ? i18n.t(`reason.${reason}`) : reason;
}

/**
 * Shows the errors { field: reason } on the form whose inputs are named
 * like the fields (name="title.es"); focuses the first one and announces.
 */
function showErrors(form, fields) {
  clearErrors(form);
  let first = null;
  for (const [field, reason] of Object.entries(fields)) {
    const input = form.querySelector(`[name="${CSS.escape(field)}"]`);
    if (!input) continue;
    fieldError(input, reasonText(field, reason));
    first ??= input;
  }
  const n = Object.keys(fields).length;
  announce(i18n.plural('form.errors', n), { error: true });
  if (first) first.focus();
}

function integerOrNull(input) {
  const v = input.value.trim();
  if (v === '') return null;
  if (!/^\d+$/.test(v)) return undefined;
  return Number(v);
}

// --------------------------------------------------------------- render ----

function statusText(status) {
  return i18n.has(`campaign_status.${status}`) ? i18n.t(`campaign_status.${status}`) : status;
}

function titleOf(c) {
  return (c.title && (c.title[i18n.language()] || c.title.es)) || c.slug;
}

function fillSelect() {
  const select = $('campaign-select');
  select.replaceChildren(...state.campaigns.map((c) => {
    const o = document.createElement('option');
    o.value = c.slug;
    o.textContent = `${titleOf(c)} (${c.slug})`;
    return o;
  }));
  if (state.slug) select.value = state.slug;
}

function renderStatus() {
  const c = current();
  const badge = $('campaign-status');
  badge.textContent = c ? statusText(c.status) : '';
  badge.setAttribute('data-status', c ? c.status : '');
  const sw = $('pause-switch');
  sw.checked = Boolean(c && c.status === 'paused');
  sw.disabled = !c;
}

function fillForm() {
  const c = current();
  const form = $('edit-form');
  clearErrors(form);
  for (const l of LANGS) {
    $(`edit-title-${l}`).value = (c && c.title && c.title[l]) || '';
    $(`edit-description-${l}`).value = (c && c.description && c.description[l]) || '';
  }
  $('edit-goal').value = c && c.goal !== null && c.goal !== undefined ? String(c.goal) : '';
  $('edit-opens_at').value = toLocalInput(c && c.opens_at);
  $('edit-closes_at').value = toLocalInput(c && c.closes_at);
  for (const el of form.elements) el.disabled = !c;
  renderStatus();
}

function replaceCampaign(c) {
  const i = state.campaigns.findIndex((x) => x.slug === c.slug);
  if (i >= 0) state.campaigns[i] = c;
  else state.campaigns.push(c);
  state.campaigns.sort((a, b) => a.slug.localeCompare(b.slug));
}

// -------------------------------------------------------------- actions ----

async function setPaused(paused) {
  const c = current();
  if (!c) return;
  const sw = $('pause-switch');
  if (isBusy('pause')) {
    sw.checked = !paused; // one change at a time
    return;
  }
  await once('pause', null, async () => {
    try {
      const updated = await api('PUT', `/api/v1/admin/campaigns/${encodeURIComponent(c.slug)}`, { paused });
      replaceCampaign(updated);
      renderStatus();
      announce(i18n.t(paused ? 'campaigns.paused_done' : 'campaigns.resumed_done', {
        title: titleOf(updated), status: statusText(updated.status),
      }));
    } catch (err) {
      renderStatus();
      announce(errorText(err), { error: true });
    }
  });
}

async function save(ev) {
  ev.preventDefault();
  const c = current();
  if (!c) return;
  const form = $('edit-form');
  const local = {};
  const body = { title: {}, description: {} };
  for (const l of LANGS) {
    body.title[l] = $(`edit-title-${l}`).value.trim();
    if (!body.title[l]) local[`title.${l}`] = 'required';
    body.description[l] = $(`edit-description-${l}`).value.trim();
  }
  body.goal = integerOrNull($('edit-goal'));
  if (body.goal === undefined) local.goal = 'wrong_type';
  body.opens_at = fromLocalInput($('edit-opens_at').value);
  body.closes_at = fromLocalInput($('edit-closes_at').value);
  if (body.opens_at === undefined) local.opens_at = 'out_of_range';
  if (body.closes_at === undefined) local.closes_at = 'out_of_range';
  if (Object.keys(local).length > 0) {
    showErrors(form, local);
    return;
  }
  await once('save', $('edit-save'), async () => {
    try {
      const updated = await api('PUT', `/api/v1/admin/campaigns/${encodeURIComponent(c.slug)}`, body);
      replaceCampaign(updated);
      fillSelect();
      fillForm();
      announce(i18n.t('campaigns.saved', { title: titleOf(updated) }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.fields) showErrors(form, err.fields);
      else announce(errorText(err), { error: true });
    }
  });
}

async function create(ev) {
  ev.preventDefault();
  const form = $('create-form');
  const local = {};
  const slug = $('create-slug').value.trim();
  if (!slug) local.slug = 'required';
  else if (!/^[a-z0-9-]{1,64}$/.test(slug)) local.slug = 'invalid_choice';
  const body = { slug, title: {} };
  for (const l of LANGS) {
    body.title[l] = $(`create-title-${l}`).value.trim();
    if (!body.title[l]) local[`title.${l}`] = 'required';
  }
  const goal = integerOrNull($('create-goal'));
  if (goal === undefined) local.goal = 'wrong_type';
  else if (goal !== null) body.goal = goal;
  if (Object.keys(local).length > 0) {
    showErrors(form, local);
    return;
  }
  await once('create', $('create-submit'), async () => {
    try {
      const created = await api('POST', '/api/v1/admin/campaigns', body);
      clearErrors(form);
      form.reset();
      replaceCampaign(created);
      state.slug = created.slug;
      fillSelect();
      fillForm();
      announce(i18n.t('campaigns.created', { title: titleOf(created), slug: created.slug }));
      $('campaign-select').focus();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422 && err.fields) showErrors(form, err.fields);
      else announce(errorText(err), { error: true });
    }
  });
}

// ---------------------------------------------------------------- start ----

async function main() {
  await startPage();
  timesHint();
  $('campaign-select').addEventListener('change', () => {
    state.slug = $('campaign-select').value;
    fillForm();
  });
  $('pause-switch').addEventListener('change', () => setPaused($('pause-switch').checked));
  $('edit-form').addEventListener('submit', save);
  $('create-form').addEventListener('submit', create);
  i18n.onLanguageChange(() => {
    timesHint();
    fillSelect();
    renderStatus();
  });
  try {
    state.campaigns = await listCampaigns();
    const wanted = new URLSearchParams(location.search).get('campaign');
    state.slug = state.campaigns.some((c) => c.slug === wanted) ? wanted
      : state.campaigns[0] ? state.campaigns[0].slug : null;
    fillSelect();
    fillForm();
  } catch (err) {
    announce(errorText(err), { error: true });
  }
}

main();
