// www/admin/js/comments.js — the comments page: comments from the contact
// page (GET /api/v1/admin/comments, newest first), filtered by topic and
// status, each with a button that marks it handled or back
// (POST /api/v1/admin/comments/{id}/handled); the CSV export with the same
// filters.

import * as i18n from './i18n.js';
import { api } from './api.js';
import { $, announce, errorText, startPage } from './shell.js';
import { make, fact, timeNode, cardList, exportHref } from './cards.js';

const EXPORT = '/api/v1/admin/export/comments.csv';

function filters() {
  return { topic: $('filter-topic').value, status: $('filter-status').value };
}

function topicText(topic) {
  const key = `comments.topics.${topic}`;
  return i18n.has(key) ? i18n.t(key) : topic;
}

async function toggle(c, button) {
  if (button.getAttribute('aria-disabled') === 'true') return;
  button.setAttribute('aria-disabled', 'true');
  try {
    const r = await api('POST', `/api/v1/admin/comments/${Number(c.id)}/handled`, { handled: !c.handled });
    Object.assign(c, { handled: r.handled, handled_at: r.handled_at, handled_by: r.handled_by });
    list.render();
    announce(i18n.t(r.handled ? 'comments.marked_handled' : 'comments.marked_new', { id: c.id }));
    const again = $(`comment-${Number(c.id)}-toggle`);
    if (again) again.focus();
  } catch (err) {
    button.removeAttribute('aria-disabled');
    announce(errorText(err), { error: true });
  }
}

function card(c) {
  const li = make('li', 'pledge');
  li.dataset.id = String(c.id);
  const head = make('div', 'pledge__head');
  const title = make('h2', 'pledge__title', c.name || i18n.t('comments.anonymous'));
  title.id = `comment-${Number(c.id)}-title`;
  const badge = make('span', 'badge', i18n.t(c.handled ? 'comments.status.handled' : 'comments.status.new'));
  badge.dataset.status = c.handled ? 'approved' : 'confirmed';
  head.append(title, badge);
  li.setAttribute('aria-labelledby', title.id);
  const text = make('p', 'pledge__commitment', c.message);
  const dl = make('dl', 'pledge__meta');
  fact(dl, 'comments.topic', topicText(c.topic));
  fact(dl, 'comments.received', timeNode(c.created_at));
  if (c.email) {
    const a = make('a', '', c.email);
    a.href = `mailto:${c.email}`;
    fact(dl, 'comments.email', a);
  }
  fact(dl, 'comments.language', c.language);
  if (c.handled) fact(dl, 'comments.handled_by', `${c.handled_by ?? ''} · ${i18n.formatDateTime(c.handled_at)}`);
  const actions = make('p', 'pledge__actions');
  const button = make('button', c.handled ? 'button button--secondary' : 'button', i18n.t(c.handled ? 'comments.mark_new' : 'comments.mark_handled'));
  button.type = 'button';
  button.id = `comment-${Number(c.id)}-toggle`;
  button.setAttribute('aria-describedby', title.id);
  button.addEventListener('click', () => toggle(c, button));
  actions.append(button);
  li.append(head, text, dl, actions);
  return li;
}

const list = cardList({
  ids: { list: 'comments', state: 'comments-state', more: 'load-more', title: 'page-title' },
  path: () => exportHref('/api/v1/admin/comments', filters()),
  card,
  keys: { loading: 'comments.loading', empty: 'comments.empty', loaded: 'comments.loaded_more' },
});

function renderExport() {
  $('export-link').href = exportHref(EXPORT, { ...filters(), sep: $('export-semicolon').checked ? 'semicolon' : '' });
}

async function main() {
  await startPage();
  for (const id of ['filter-topic', 'filter-status']) {
    $(id).addEventListener('change', () => {
      renderExport();
      list.reload();
    });
  }
  $('export-semicolon').addEventListener('change', renderExport);
  i18n.onLanguageChange(list.render);
  renderExport();
  await list.reload();
}

main().catch((err) => announce(errorText(err), { error: true }));
