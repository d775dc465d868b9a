// www/js/share.js — share.html, for organisers: reads the options (campaign,
// language, theme, size, goal bar), writes the five snippets (widget.js
// <script>, embed.html <iframe>, the SVG badge, the map and the count over
// time as embed.html?view=map|timeline <iframe>s), shows each one live (the
// script widget really runs in the page) and copies them. The snippets point
// at this site's origin, which is where the API and widget.js live.
// Language: the script, left to "the page's language", follows the page it is
// pasted into (its <html lang>); an iframe or an image cannot see that page,
// so they always carry one: the chosen, else the one this page is read in.

import * as i18n from './i18n.js';

const $ = (id) => document.getElementById(id);
const ORIGIN = location.origin;
const DEFAULT_CAMPAIGN = 'icommit';

/** Width and height of the map's and the timeline's <iframe>s. */
const VIEW_SIZES = { map: { width: 560, height: 860 }, timeline: { width: 560, height: 480 } };

/** Width and height of the <iframe> per size, with and without the goal bar. */
const IFRAME_SIZES = {
  small: { width: 300, height: 220, noGoal: 180 },
  medium: { width: 360, height: 265, noGoal: 215 },
  large: { width: 450, height: 325, noGoal: 265 },
};

/**
 * Words that go into the snippets themselves, in the counter's language (the
 * host page's, not this page's): the iframe's title and the badge's alt text.
 */
const SNIPPET_TEXT = {
  es: {
    frame: 'Contador de compromisos de I COMMIT', badge: 'I COMMIT: compromisos por la movilidad eléctrica',
    map: 'Mapa de compromisos de I COMMIT', timeline: 'Compromisos de I COMMIT a lo largo del tiempo',
  },
  en: {
    frame: 'I COMMIT pledge counter', badge: 'I COMMIT: pledges for electric mobility',
    map: 'Map of I COMMIT pledges', timeline: 'I COMMIT pledges over time',
  },
  pt: {
    frame: 'Contador de compromissos do I COMMIT', badge: 'I COMMIT: compromissos pela mobilidade elétrica',
    map: 'Mapa de compromissos do I COMMIT', timeline: 'Compromissos do I COMMIT ao longo do tempo',
  },
  fr: {
    frame: 'Compteur d’engagements I COMMIT', badge: 'I COMMIT : engagements pour la mobilité électrique',
    map: 'Carte des engagements I COMMIT', timeline: 'Les engagements I COMMIT au fil du temps',
  },
};

let campaigns = []; // from GET /api/v1/campaigns
let campaignsFailed = false;

/** Escapes text for a double-quoted HTML attribute in a snippet. */
function attr(text) {
  return String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The form's current choices, each validated against what the embed accepts. */
function readOptions() {
  const form = $('share-form');
  const slug = form.elements.campaign.value;
  const lang = i18n.normalizeLanguage(form.elements.lang.value) || '';
  const theme = form.elements.theme.value === 'dark' ? 'dark' : 'light';
  const size = Object.hasOwn(IFRAME_SIZES, form.elements.size.value) ? form.elements.size.value : 'medium';
  return {
    slug: /^[a-z0-9-]{1,64}$/.test(slug) ? slug : DEFAULT_CAMPAIGN,
    lang, // '' = the host page's language
    theme,
    size,
    goal: form.elements.goal.checked,
  };
}

/** The widget's data-attributes for these options; defaults are left out. */
function widgetData(o) {
  const data = { campaign: o.slug };
  if (o.lang) data.lang = o.lang;
  if (o.theme !== 'light') data.theme = o.theme;
  if (o.size !== 'medium') data.size = o.size;
  if (!o.goal) data.goal = 'hide';
  return data;
}

/**
 * The language of what cannot see the page it is put on (an iframe, an
 * image): the chosen one, else the one this page is read in.
 */
function fixedLang(o) {
  return o.lang || i18n.language();
}

/** embed.html's address: the widget's options (language always), or a view. */
function embedUrl(o, view) {
  const data = view ? { campaign: o.slug, lang: fixedLang(o), view } : { ...widgetData(o), lang: fixedLang(o) };
  const q = new URLSearchParams({ campaign: data.campaign, lang: data.lang, ...data });
  return `${ORIGIN}/embed.html?${q}`;
}

function pledgeUrl(o) {
  return `${ORIGIN}/?lang=${fixedLang(o)}&campaign=${o.slug}#pledge`;
}

function badgeUrl(o) {
  return `${ORIGIN}/api/v1/campaigns/${o.slug}/counter.svg?lang=${fixedLang(o)}`;
}

function iframeSize(o) {
  const s = IFRAME_SIZES[o.size];
  return { width: s.width, height: o.goal ? s.height : s.noGoal };
}

function snippetText(o) {
  return SNIPPET_TEXT[fixedLang(o)] || SNIPPET_TEXT.es;
}

/** An <iframe> snippet. */
function iframeTag(src, title, { width, height }) {
  return `<iframe src="${attr(src)}" title="${attr(title)}" width="${width}" height="${height}" style="border:0;max-width:100%" loading="lazy"></iframe>`;
}

/** The five snippets as the organiser will paste them. */
export function buildSnippets(o) {
  const data = Object.entries(widgetData(o)).map(([k, v]) => ` data-${k}="${attr(v)}"`).join('');
  const words = snippetText(o);
  return {
    script: `<script src="${ORIGIN}/widget.js"${data} async></script>`,
    iframe: iframeTag(embedUrl(o), words.frame, iframeSize(o)),
    badge: `<a href="${attr(pledgeUrl(o))}"><img src="${attr(badgeUrl(o))}" alt="${attr(words.badge)}" height="20"></a>`,
    map: iframeTag(embedUrl(o, 'map'), words.map, VIEW_SIZES.map),
    timeline: iframeTag(embedUrl(o, 'timeline'), words.timeline, VIEW_SIZES.timeline),
  };
}

/** Runs the real widget in the preview box (the old one stops polling once removed). */
function renderWidgetPreview(o) {
  const script = document.createElement('script');
  script.src = '/widget.js';
  for (const [k, v] of Object.entries(widgetData(o))) script.dataset[k] = v;
  const stage = $('share-stage');
  stage.classList.toggle('share__stage--dark', o.theme === 'dark');
  stage.replaceChildren(script);
}

/** An <iframe> preview in box `id`, unless it already shows `src`. */
function renderFramePreview(id, src, title, { width, height }) {
  const box = $(id);
  const old = box.querySelector('iframe');
  if (old && old.src === src && old.title === title) return;
  const frame = document.createElement('iframe');
  frame.src = src;
  frame.title = title;
  frame.width = String(width);
  frame.height = String(height);
  frame.className = 'snippet__frame';
  box.replaceChildren(frame);
}

function renderBadgePreview(o) {
  const a = document.createElement('a');
  a.href = pledgeUrl(o);
  const img = document.createElement('img');
  img.src = badgeUrl(o);
  img.alt = snippetText(o).badge;
  img.height = 20;
  a.append(img);
  $('snippet-badge-preview').replaceChildren(a);
}

function render() {
  const o = readOptions();
  const snippets = buildSnippets(o);
  $('snippet-script').value = snippets.script;
  $('snippet-iframe').value = snippets.iframe;
  $('snippet-badge').value = snippets.badge;
  $('snippet-map').value = snippets.map;
  $('snippet-timeline').value = snippets.timeline;
  const screen = new URLSearchParams({ campaign: o.slug, ...(o.lang ? { lang: o.lang } : {}), display: 'screen' });
  $('snippet-screen-link').href = `/embed.html?${screen}`;
  for (const status of document.querySelectorAll('.snippet__status')) status.textContent = '';
  const note = campaignsFailed && i18n.isLoaded() ? i18n.t('share.campaigns_unavailable') : '';
  if ($('share-campaign-note').textContent !== note) $('share-campaign-note').textContent = note;
  renderWidgetPreview(o);
  const words = snippetText(o);
  renderFramePreview('snippet-iframe-preview', embedUrl(o), words.frame, iframeSize(o));
  renderBadgePreview(o);
  renderFramePreview('snippet-map-preview', embedUrl(o, 'map'), words.map, VIEW_SIZES.map);
  renderFramePreview('snippet-timeline-preview', embedUrl(o, 'timeline'), words.timeline, VIEW_SIZES.timeline);
}

/** Campaign names in the page's language, else Spanish, else the slug. */
function renderCampaignOptions() {
  if (campaigns.length === 0) return;
  const select = $('share-campaign');
  const chosen = select.value || DEFAULT_CAMPAIGN;
  const lang = i18n.language();
  select.replaceChildren(...campaigns.map((c) => {
    const title = (c.title && (c.title[lang] || c.title.es)) || c.slug;
    const option = document.createElement('option');
    option.value = c.slug;
    option.textContent = title === c.slug ? title : `${title} (${c.slug})`;
    return option;
  }));
  select.value = campaigns.some((c) => c.slug === chosen) ? chosen : campaigns[0].slug;
}

async function loadCampaigns() {
  try {
    const r = await fetch('/api/v1/campaigns', { headers: { Accept: 'application/json' } });
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const body = await r.json();
    campaigns = (Array.isArray(body.items) ? body.items : [])
      .filter((c) => c && typeof c.slug === 'string' && /^[a-z0-9-]{1,64}$/.test(c.slug));
    campaignsFailed = false;
  } catch {
    campaigns = []; // the default campaign stays selectable
    campaignsFailed = true;
  }
  renderCampaignOptions();
}

/**
 * Copies a snippet: the Clipboard API when the browser allows it, else the
 * text is selected so that Ctrl+C / Cmd+C copies it.
 */
async function copySnippet(button) {
  const area = $(button.dataset.copy);
  const status = button.parentElement.querySelector('.snippet__status');
  try {
    if (!navigator.clipboard || !window.isSecureContext) throw new Error('no clipboard');
    await navigator.clipboard.writeText(area.value);
    status.textContent = i18n.t('share.copied');
  } catch {
    area.focus();
    area.select();
    status.textContent = i18n.t('share.copy_manual');
  }
}

async function main() {
  const form = $('share-form');
  form.addEventListener('change', render);
  form.addEventListener('submit', (ev) => ev.preventDefault());
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.addEventListener('click', () => copySnippet(button));
  }
  i18n.onLanguageChange(() => {
    renderCampaignOptions();
    render();
  });
  const loading = loadCampaigns();
  await i18n.init();
  await loading;
  render();
}

main();
