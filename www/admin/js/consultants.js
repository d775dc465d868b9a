// www/admin/js/consultants.js — the consultant roster page: confirmed
// consultants (GET /api/v1/admin/consultants, newest first) searched by
// expertise, country and free text (accents do not matter), as cards; the
// CSV export with the same filters.

import * as i18n from './i18n.js';
import { $, announce, errorText, startPage } from './shell.js';
import { make, fact, timeNode, cardList, exportHref } from './cards.js';

const EXPORT = '/api/v1/admin/export/consultants.csv';
const applied = { q: '', expertise: '', country: '' };

const label = (prefix, code) => (i18n.has(`${prefix}.${code}`) ? i18n.t(`${prefix}.${code}`) : code);

function card(c) {
  const li = make('li', 'pledge');
  const head = make('div', 'pledge__head');
  const title = make('h2', 'pledge__title', c.name);
  title.id = `consultant-${Number(c.id)}-title`;
  head.append(title);
  li.setAttribute('aria-labelledby', title.id);
  const bio = make('p', 'pledge__commitment', c.bio);
  const dl = make('dl', 'pledge__meta');
  fact(dl, 'consultants.organisation', c.organisation);
  fact(dl, 'consultants.country', c.country ? i18n.countryName(c.country) : '');
  fact(dl, 'consultants.expertise', c.expertise.map((e) => label('consultants.areas', e)).join(', '));
  fact(dl, 'consultants.languages', c.languages.map((l) => label('consultants.langs', l)).join(', '));
  const mail = make('a', '', c.email);
  mail.href = `mailto:${c.email}`;
  fact(dl, 'consultants.email', mail);
  if (c.profile_url && /^https:\/\//.test(c.profile_url)) {
    const a = make('a', '', c.profile_url);
    a.href = c.profile_url;
    a.rel = 'noopener noreferrer';
    fact(dl, 'consultants.profile', a);
  }
  fact(dl, 'consultants.confirmed', timeNode(c.confirmed_at));
  li.append(head, bio, dl);
  return li;
}

const list = cardList({
  ids: { list: 'consultants', state: 'consultants-state', more: 'load-more', title: 'page-title' },
  path: () => exportHref('/api/v1/admin/consultants', applied),
  card,
  keys: { loading: 'consultants.loading', empty: 'consultants.empty', loaded: 'consultants.loaded_more' },
});

function renderExport() {
  $('export-link').href = exportHref(EXPORT, {
    expertise: applied.expertise, country: applied.country, q: applied.q,
    sep: $('export-semicolon').checked ? 'semicolon' : '',
  });
}

async function search(event) {
  event.preventDefault();
  const country = $('search-country').value.trim().toUpperCase();
  if (country !== '' && !/^[A-Z]{2}$/.test(country)) {
    $('search-country-error').textContent = i18n.t('consultants.country_invalid');
    $('search-country').setAttribute('aria-invalid', 'true');
    $('search-country').focus();
    return;
  }
  $('search-country-error').textContent = '';
  $('search-country').removeAttribute('aria-invalid');
  Object.assign(applied, { q: $('search-q').value.trim(), expertise: $('search-expertise').value, country });
  renderExport();
  await list.reload();
  announce(i18n.plural('consultants.found', list.state.items.length));
}

async function main() {
  await startPage();
  $('search-form').addEventListener('submit', search);
  $('export-semicolon').addEventListener('change', renderExport);
  i18n.onLanguageChange(list.render);
  renderExport();
  await list.reload();
}

main().catch((err) => announce(errorText(err), { error: true }));
