// www/admin/js/exports.js — the exports page: keeps the download link
// (/api/v1/admin/export/pledges.csv?campaign=&status=&from=&to=&sep=&bom=)
// in step with the form, the subscribers' link and the registrations' link
// of the event chosen (GET /api/v1/admin/events lists every event; ?event=
// SLUG preselects one) with the form's separator and byte-order-mark
// choice. The links stay plain links, so the browser
// downloads the file itself (Content-Disposition: attachment); a click
// first checks the session, so that an expired one leads to the login form
// rather than to a JSON error.

import * as i18n from './i18n.js';
import { api, campaigns as listCampaigns, whoAmI } from './api.js';
import { $, announce, errorText, startPage } from './shell.js';

const ENDPOINT = '/api/v1/admin/export/pledges.csv';
const SUBSCRIBERS = '/api/v1/admin/export/subscribers.csv';
const REGISTRATIONS = '/api/v1/admin/export/registrations.csv';

/** The file-format part of the form (separator, BOM) added to q. */
function addFormat(q) {
  if (document.querySelector('input[name="sep"]:checked')?.value === 'semicolon') q.set('sep', 'semicolon');
  if (!$('export-bom').checked) q.set('bom', '0');
  return q;
}

/** endpoint with the query q, if it has any. */
function withQuery(endpoint, q) {
  const s = q.toString();
  return s ? `${endpoint}?${s}` : endpoint;
}

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD (UTC). */
function nextDay(date) {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function exportUrl() {
  const q = new URLSearchParams();
  const campaign = $('export-campaign').value;
  const status = $('export-status').value;
  const from = $('export-from').value;
  const to = $('export-to').value;
  if (campaign) q.set('campaign', campaign);
  if (status) q.set('status', status);
  // Dates are whole UTC days; `to` is exclusive in the API, so the chosen
  // last day is included by asking for the day after.
  if (from) q.set('from', `${from}T00:00:00Z`);
  if (to) q.set('to', `${nextDay(to)}T00:00:00Z`);
  return withQuery(ENDPOINT, addFormat(q));
}

function update() {
  const url = exportUrl();
  $('export-link').setAttribute('href', url);
  $('export-url').textContent = url;
  $('subscribers-link').setAttribute('href', withQuery(SUBSCRIBERS, addFormat(new URLSearchParams())));
  const event = $('export-event').value;
  if (event) $('registrations-link').setAttribute('href', withQuery(REGISTRATIONS, addFormat(new URLSearchParams({ event }))));
}

/** Every event, soonest upcoming first (the API's order), as options. */
function fillEvents(list) {
  const select = $('export-event');
  const keep = select.value || new URLSearchParams(location.search).get('event');
  const lang = i18n.language();
  select.replaceChildren(...list.map((ev) => {
    const o = document.createElement('option');
    o.value = ev.slug;
    const title = ev.title && (ev.title[lang] || ev.title.es);
    let date = '';
    try {
      date = new Intl.DateTimeFormat(lang, { timeZone: ev.timezone, dateStyle: 'medium' }).format(new Date(ev.starts_at));
    } catch {
      date = ev.starts_at.slice(0, 10);
    }
    o.textContent = `${title || ev.slug} — ${date} (${ev.slug})`;
    return o;
  }));
  if (list.some((ev) => ev.slug === keep)) select.value = keep;
  $('registrations-choice').hidden = list.length === 0;
  $('registrations-none').hidden = list.length > 0;
  update();
}

function fillCampaigns(list) {
  const select = $('export-campaign');
  const keep = select.value;
  const all = select.querySelector('option[value=""]');
  select.replaceChildren(all, ...list.map((c) => {
    const o = document.createElement('option');
    o.value = c.slug;
    const title = c.title && (c.title[i18n.language()] || c.title.es);
    o.textContent = title ? `${title} (${c.slug})` : c.slug;
    return o;
  }));
  select.value = keep;
}

/** Before following an export link: is the session still there? */
async function checkSession(ev) {
  const link = ev.target.closest('a[href^="/api/v1/admin/export/"]');
  if (!link || ev.defaultPrevented || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey || ev.altKey) return;
  ev.preventDefault();
  try {
    const who = await whoAmI();
    if (!who) {
      await api('GET', '/api/v1/admin/me'); // signs the page out (401)
      return;
    }
    announce(i18n.t('exports.started'));
    location.assign(link.getAttribute('href'));
  } catch (err) {
    announce(errorText(err), { error: true });
  }
}

async function main() {
  await startPage();
  const form = $('export-form');
  form.addEventListener('input', update);
  form.addEventListener('change', update);
  form.addEventListener('submit', (ev) => ev.preventDefault());
  $('app').addEventListener('click', checkSession);
  $('export-event').addEventListener('change', update);
  let list = [];
  let events = [];
  i18n.onLanguageChange(() => {
    fillCampaigns(list);
    fillEvents(events);
  });
  update();
  try {
    list = await listCampaigns();
    fillCampaigns(list);
    const data = await api('GET', '/api/v1/admin/events');
    events = Array.isArray(data.items) ? data.items : [];
    fillEvents(events);
  } catch (err) {
    announce(errorText(err), { error: true });
  }
}

main();
