// www/js/pledge-page.js — pledge.html, one pledge of the wall: reads ?id=,
// fetches GET /api/v1/campaigns/icommit/pledges/{id} and shows it as the
// wall's card (js/pledge-card.js), its name in the page's title; a button
// shares or copies the page's address. A bad or unknown id, or a pledge no
// longer on the wall (404), says so without asking twice; other failures
// offer a retry. Re-renders in the new language when it changes.

import * as i18n from './i18n.js';
import * as campaign from './campaign.js';
import { pledgeCard, permalink, shareLink, canShare, prepareShareStatus, str } from './pledge-card.js';

const $ = (id) => document.getElementById(id);

const rawId = new URLSearchParams(location.search).get('id');
const id = rawId !== null && /^[1-9][0-9]{0,17}$/.test(rawId) ? rawId : null;

/** phase: 'loading' | 'ready' | 'missing' | 'failed'; pledge: the PUBLIC_PLEDGE. */
const state = { phase: id ? 'loading' : 'missing', pledge: null };

function render() {
  if (!i18n.isLoaded()) return;
  const { phase, pledge } = state;
  const status = $('permalink-status');
  const text = phase === 'ready' ? '' : i18n.t(`permalink.status.${phase}`);
  if (status.textContent !== text) status.textContent = text;
  status.dataset.kind = phase === 'missing' || phase === 'failed' ? 'empty' : '';
  $('permalink-error').hidden = phase !== 'failed';

  const box = $('permalink-card');
  if (phase === 'ready') {
    box.replaceChildren(pledgeCard(pledge, { heading: 'h2' }));
    document.title = i18n.t('permalink.page.title_of', { name: str(pledge.name) || '—' });
  } else {
    box.replaceChildren();
    document.title = i18n.t('permalink.page.title');
  }
  const share = $('permalink-share');
  share.hidden = !(phase === 'ready' && canShare());
  $('permalink-share-button').textContent = i18n.t(typeof navigator.share === 'function'
    ? 'permalink.share_page' : 'permalink.copy_page');
}

async function load() {
  if (!id) {
    render();
    return;
  }
  state.phase = 'loading';
  render();
  try {
    const r = await fetch(`${campaign.PLEDGES_URL}/${id}`, { headers: { Accept: 'application/json' } });
    if (r.status === 404) {
      state.phase = 'missing';
    } else if (!r.ok) {
      throw new Error(`HTTP ${r.status}`);
    } else {
      const body = await r.json();
      if (!body || typeof body !== 'object') throw new Error('no pledge');
      state.pledge = body;
      state.phase = 'ready';
    }
  } catch {
    state.phase = 'failed';
  }
  render();
}

function main() {
  prepareShareStatus();
  $('permalink-retry').addEventListener('click', load);
  $('permalink-share-button').addEventListener('click', () => {
    if (state.phase !== 'ready') return;
    shareLink(permalink(state.pledge.id), str(state.pledge.name) || '', $('permalink-copied'));
  });
  i18n.onLanguageChange(render);
  i18n.init();
  load();
}

main();
