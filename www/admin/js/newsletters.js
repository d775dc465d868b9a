// www/admin/js/newsletters.js — the newsletter page: lists the issues
// (GET /api/v1/admin/newsletters) with status and sending progress (polled
// while one is sending), composes a new one (subject and plain-text body per
// language, Spanish required) with a preview, saves it as a draft (POST
// /api/v1/admin/newsletters) and sends a draft (POST .../{id}/send) only
// after the confirm step's own button. Subjects and bodies go into the page
// as text only.

import * as i18n from './i18n.js';
import { api, ApiError } from './api.js';
import { $, announce, errorText, startPage } from './shell.js';

const ENDPOINT = '/api/v1/admin/newsletters';
const LANGS = ['es', 'pt', 'en', 'fr'];
const NAMES = { es: 'Español', pt: 'Português', en: 'English', fr: 'Français' };
const MAX = { subject: 200, body: 20000 };
const POLL_MS = 1500;

const state = {
  items: null,
  /** The issue waiting for "yes, send now", or null. */
  confirming: null,
  busy: false,
  pollTimer: 0,
};

/** Subject or body text of an issue in the console's language, else Spanish. */
function textOf(texts) {
  if (!texts || typeof texts !== 'object') return '';
  return texts[i18n.language()] || texts.es || '';
}

function cell(content) {
  const td = document.createElement('td');
  if (content instanceof Node) td.append(content);
  else td.textContent = content ?? '';
  return td;
}

function progressCell(n) {
  const recipients = Number.isSafeInteger(n.recipients) ? n.recipients : 0;
  const queued = Number.isSafeInteger(n.queued) ? n.queued : 0;
  const td = document.createElement('td');
  const line = document.createElement('span');
  if (n.status === 'sent') line.textContent = i18n.plural('newsletters.progress.sent', recipients);
  else if (n.status === 'sending') {
    line.textContent = i18n.t('newsletters.progress.sending', {
      queued: i18n.formatNumber(queued), recipients: i18n.formatNumber(recipients),
    });
  } else line.textContent = i18n.t('newsletters.progress.draft');
  td.append(line);
  if (n.status !== 'draft') {
    const bar = document.createElement('progress');
    bar.className = 'nl-progress';
    bar.max = Math.max(recipients, 1);
    bar.value = n.status === 'sent' ? bar.max : Math.min(queued, bar.max);
    bar.setAttribute('aria-label', i18n.t('newsletters.progress_label', { subject: textOf(n.subject) }));
    td.append(bar);
  }
  return td;
}

function actionsCell(n) {
  const td = document.createElement('td');
  const box = document.createElement('div');
  box.className = 'nl-row-actions';
  const subject = textOf(n.subject);
  const view = document.createElement('button');
  view.type = 'button';
  view.className = 'button button--quiet';
  view.dataset.view = String(n.id);
  view.textContent = i18n.t('newsletters.preview_one');
  view.setAttribute('aria-label', i18n.t('newsletters.preview_one_label', { subject }));
  box.append(view);
  if (n.status === 'draft') {
    const send = document.createElement('button');
    send.type = 'button';
    send.className = 'button';
    send.dataset.send = String(n.id);
    send.textContent = i18n.t('newsletters.send');
    send.setAttribute('aria-label', i18n.t('newsletters.send_label', { subject }));
    box.append(send);
  }
  td.append(box);
  return td;
}

function row(n) {
  const tr = document.createElement('tr');
  tr.id = `issue-${n.id}`;
  const time = document.createElement('time');
  time.dateTime = n.created_at || '';
  time.textContent = i18n.formatDateTime(n.created_at);
  const badge = document.createElement('span');
  badge.className = 'badge';
  badge.dataset.status = n.status;
  const key = `newsletters.status.${n.status}`;
  badge.textContent = i18n.has(key) ? i18n.t(key) : n.status;
  tr.append(cell(time), cell(textOf(n.subject)), cell(badge), progressCell(n), actionsCell(n));
  return tr;
}

function renderList() {
  const items = state.items;
  if (items === null) return;
  $('issues-rows').replaceChildren(...items.map(row));
  $('issues-table').hidden = items.length === 0;
  $('issues-state').textContent = items.length === 0 ? i18n.t('newsletters.empty') : '';
  const c = state.confirming;
  $('send-confirm').hidden = !c;
  if (c) $('send-confirm-text').textContent = i18n.t('newsletters.confirm_text', { subject: textOf(c.subject) });
}

/** Loads the list; polls again while an issue is sending. */
async function load() {
  clearTimeout(state.pollTimer);
  try {
    const data = await api('GET', ENDPOINT);
    state.items = Array.isArray(data && data.items) ? data.items : [];
    renderList();
  } catch (err) {
    $('issues-state').textContent = '';
    announce(errorText(err), { error: true });
    return;
  }
  if (state.items.some((n) => n.status === 'sending')) state.pollTimer = setTimeout(load, POLL_MS);
}

// ---------------------------------------------------------------------------
// Composing.

const control = (part, lang) => $(`compose-${part}-${lang}`);

/** The form's texts: { subject: {lang: text}, body: {...} } with empty ones left out. */
function draft() {
  const out = { subject: {}, body: {} };
  for (const lang of LANGS) {
    for (const part of ['subject', 'body']) {
      const v = control(part, lang).value.trim();
      if (v !== '') out[part][lang] = v;
    }
  }
  return out;
}

/** part.lang -> message, by the rules the server applies too. */
function check(d) {
  const errors = new Map();
  for (const lang of LANGS) {
    for (const part of ['subject', 'body']) {
      const v = d[part][lang];
      const other = d[part === 'subject' ? 'body' : 'subject'][lang];
      if (v === undefined && lang === 'es') errors.set(`${part}.${lang}`, i18n.t('newsletters.required'));
      else if (v === undefined && other !== undefined) errors.set(`${part}.${lang}`, i18n.t('newsletters.pair'));
      else if (v !== undefined && [...v].length > MAX[part]) {
        errors.set(`${part}.${lang}`, i18n.t('newsletters.too_long', { max: i18n.formatNumber(MAX[part]) }));
      }
    }
  }
  return errors;
}

function showErrors(errors) {
  for (const lang of LANGS) {
    for (const part of ['subject', 'body']) {
      const text = errors.get(`${part}.${lang}`) || '';
      $(`compose-${part}-${lang}-error`).textContent = text;
      if (text) control(part, lang).setAttribute('aria-invalid', 'true');
      else control(part, lang).removeAttribute('aria-invalid');
    }
  }
  const first = [...errors.keys()][0];
  if (first) {
    const [part, lang] = first.split('.');
    control(part, lang).focus();
  }
}

/** The server's 422 fields ("subject" or "subject.es" -> reason) as messages. */
function serverErrors(fields) {
  const errors = new Map();
  for (const [name, reason] of Object.entries(fields || {})) {
    const [part, lang = 'es'] = name.split('.');
    if (!MAX[part] || !LANGS.includes(lang)) continue;
    const msg = reason === 'too_long' ? i18n.t('newsletters.too_long', { max: i18n.formatNumber(MAX[part]) })
      : reason === 'required' ? i18n.t('newsletters.required') : i18n.t('error.invalid');
    errors.set(`${part}.${lang}`, msg);
  }
  return errors;
}

/** Fills the preview with an issue's text in every language (the fallback noted). */
function showPreview(issue) {
  const items = LANGS.map((lang) => {
    const article = document.createElement('article');
    article.className = 'nl-mail';
    const head = document.createElement('p');
    head.className = 'nl-mail__lang';
    head.lang = lang;
    head.textContent = NAMES[lang];
    const own = issue.subject && issue.subject[lang];
    const subject = document.createElement('h4');
    subject.className = 'nl-mail__subject';
    const body = document.createElement('pre');
    body.className = 'nl-mail__body';
    const shown = own ? lang : 'es';
    subject.lang = shown;
    body.lang = shown;
    subject.textContent = (issue.subject && issue.subject[shown]) || '';
    body.textContent = (issue.body && issue.body[shown]) || '';
    article.append(head);
    if (!own) {
      const note = document.createElement('p');
      note.textContent = i18n.t('newsletters.preview_fallback');
      article.append(note);
    }
    article.append(subject, body);
    return article;
  });
  $('preview-items').replaceChildren(...items);
  $('preview').hidden = false;
  $('preview-title').focus();
}

function preview() {
  const d = draft();
  const errors = check(d);
  showErrors(errors);
  if (errors.size > 0) {
    announce(i18n.t('newsletters.invalid'), { error: true });
    return;
  }
  showPreview(d);
}

async function save(ev) {
  ev.preventDefault();
  if (state.busy) return;
  const d = draft();
  const errors = check(d);
  showErrors(errors);
  if (errors.size > 0) {
    announce(i18n.t('newsletters.invalid'), { error: true });
    return;
  }
  const button = $('compose-save');
  state.busy = true;
  button.setAttribute('aria-disabled', 'true');
  button.textContent = i18n.t('newsletters.saving');
  try {
    await api('POST', ENDPOINT, d);
    $('compose-form').reset();
    $('preview').hidden = true;
    announce(i18n.t('newsletters.saved'));
    await load();
  } catch (err) {
    if (err instanceof ApiError && err.status === 422 && err.fields) showErrors(serverErrors(err.fields));
    announce(errorText(err), { error: true });
  } finally {
    state.busy = false;
    button.removeAttribute('aria-disabled');
    button.textContent = i18n.t('newsletters.save');
  }
}

// ---------------------------------------------------------------------------
// Sending.

const issueOf = (id) => (state.items || []).find((n) => String(n.id) === id) || null;

function askSend(issue) {
  state.confirming = issue;
  renderList();
  $('send-confirm-title').focus();
}

function cancelSend() {
  const id = state.confirming && state.confirming.id;
  state.confirming = null;
  renderList();
  const back = document.querySelector(`button[data-send="${id}"]`);
  if (back) back.focus();
}

async function send() {
  const issue = state.confirming;
  if (!issue || state.busy) return;
  const button = $('send-yes');
  state.busy = true;
  button.setAttribute('aria-disabled', 'true');
  try {
    await api('POST', `${ENDPOINT}/${encodeURIComponent(issue.id)}/send`);
    state.confirming = null;
    announce(i18n.t('newsletters.send_started', { subject: textOf(issue.subject) }));
    await load();
    $('issues-title').setAttribute('tabindex', '-1');
    $('issues-title').focus();
  } catch (err) {
    announce(errorText(err), { error: true });
  } finally {
    state.busy = false;
    button.removeAttribute('aria-disabled');
  }
}

async function main() {
  await startPage();
  $('issues-state').textContent = i18n.t('newsletters.loading');
  $('issues-rows').addEventListener('click', (ev) => {
    const b = ev.target.closest('button');
    if (!b) return;
    const issue = issueOf(b.dataset.send || b.dataset.view);
    if (!issue) return;
    if (b.dataset.send) askSend(issue);
    else showPreview(issue);
  });
  $('send-yes').addEventListener('click', send);
  $('send-no').addEventListener('click', cancelSend);
  $('compose-form').addEventListener('submit', save);
  $('compose-preview').addEventListener('click', preview);
  $('preview-close').addEventListener('click', () => {
    $('preview').hidden = true;
    $('compose-preview').focus();
  });
  i18n.onLanguageChange(renderList);
  await load();
}

main();
