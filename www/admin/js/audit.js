// www/admin/js/audit.js — the audit log page: GET /api/v1/admin/audit
// (newest first, 50 a page, "load more" through `next`), one table row per
// entry; the user name, target and detail are shown as text.

import * as i18n from './i18n.js';
import { api } from './api.js';
import { $, announce, errorText, startPage } from './shell.js';

const state = { items: [], next: null };

function cell(text, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  td.textContent = text ?? '';
  return td;
}

function actionText(action) {
  const key = `audit.actions.${action}`;
  return i18n.has(key) ? i18n.t(key) : action;
}

function row(a) {
  const tr = document.createElement('tr');
  const when = document.createElement('td');
  const time = document.createElement('time');
  time.dateTime = a.at;
  time.textContent = i18n.formatDateTime(a.at);
  when.append(time);
  tr.append(when, cell(a.username), cell(actionText(a.action)), cell(a.target), cell(a.detail, 'cell--detail'));
  return tr;
}

function render() {
  $('audit-rows').replaceChildren(...state.items.map(row));
  $('audit-table').hidden = state.items.length === 0;
  $('audit-state').textContent = state.items.length === 0 ? i18n.t('audit.empty') : '';
  $('load-more').hidden = !state.next;
}

async function load(before) {
  const q = new URLSearchParams({ limit: '50' });
  if (before) q.set('before', before);
  return api('GET', `/api/v1/admin/audit?${q}`);
}

async function loadMore() {
  const button = $('load-more');
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const data = await load(state.next);
    const first = state.items.length;
    state.items.push(...data.items);
    state.next = data.next;
    render();
    announce(i18n.plural('audit.loaded_more', data.items.length));
    const tr = $('audit-rows').children[first];
    if (tr) {
      tr.firstElementChild.setAttribute('tabindex', '-1');
      tr.firstElementChild.focus();
    }
  } catch (err) {
    announce(errorText(err), { error: true });
  } finally {
    button.removeAttribute('aria-disabled');
    if (!state.next && document.activeElement === button) $('page-title').focus();
  }
}

async function main() {
  await startPage();
  $('load-more').addEventListener('click', loadMore);
  i18n.onLanguageChange(render);
  $('audit-state').textContent = i18n.t('audit.loading');
  try {
    const data = await load(null);
    state.items = data.items;
    state.next = data.next;
    render();
  } catch (err) {
    $('audit-state').textContent = '';
    announce(errorText(err), { error: true });
  }
}

main();
