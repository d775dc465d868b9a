// www/js/about.js — the About page (about.html): its words through
// js/i18n.js (bundle "about"), and what the operator published about who
// runs the campaign, from GET /api/v1/site: the organiser (named, linked to
// its site when it has one), a contact address (a mailto: link) and the
// partners (logo and name, linked to their site). What is not configured
// stays hidden, so the page reads the same as without JavaScript; a failed
// request is quiet for the same reason. Everything goes in with
// textContent and setAttribute.

import * as i18n from './i18n.js';

const SITE_URL = '/api/v1/site';
const $ = (id) => document.getElementById(id);

/** GET /api/v1/site's answer, or null until (or unless) it arrives. */
let site = null;

const str = (v) => (typeof v === 'string' && v.trim() !== '' ? v : null);
/** An http(s) address to link to (the server checks them too). */
const webUrl = (v) => (str(v) && /^https?:\/\/[^/\s]/.test(v) ? v : null);
/** A logo on this site: an absolute path, never another origin. */
const localPath = (v) => (str(v) && /^\/[^/\\]/.test(v) ? v : null);

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined && text !== null) e.textContent = text;
  return e;
}

/** One partner: its logo (decorative: the name is beside it) and its name. */
function partnerItem(p) {
  const li = el('li', 'about-partners__item');
  const url = webUrl(p.url);
  const box = el(url ? 'a' : 'div', 'about-partner');
  if (url) box.setAttribute('href', url);
  const logo = localPath(p.logo);
  if (logo) {
    const img = el('img', 'about-partner__logo');
    img.setAttribute('src', logo);
    img.setAttribute('alt', '');
    img.setAttribute('loading', 'lazy');
    box.append(img);
  }
  box.append(el('span', 'about-partner__name', p.name));
  li.append(box);
  return li;
}

function renderPartners() {
  const partners = site && Array.isArray(site.partners)
    ? site.partners.filter((p) => p && str(p.name)) : [];
  $('partners-list').replaceChildren(...partners.map(partnerItem));
  $('partners-box').hidden = partners.length === 0;
}

function renderContact() {
  const org = site && site.organiser && str(site.organiser.name) ? site.organiser : null;
  const email = site && site.contact && str(site.contact.email) ? site.contact.email : null;

  // "Who runs the campaign" once there is someone to name, else "Contact".
  const title = $('contact-title');
  const key = org ? 'about.who.title' : 'about.contact.title';
  title.setAttribute('data-i18n', key);
  title.textContent = i18n.t(key);

  $('organiser').hidden = !org;
  const link = $('organiser-link');
  const name = $('organiser-name');
  const url = org ? webUrl(org.url) : null;
  link.hidden = !url;
  name.hidden = !org || Boolean(url);
  if (url) {
    link.setAttribute('href', url);
    link.textContent = org.name;
  } else if (org) {
    name.textContent = org.name;
  }

  $('contact-email').hidden = !email;
  if (email) {
    const a = $('contact-email-link');
    a.setAttribute('href', `mailto:${email}`);
    a.textContent = email;
  }
}

function render() {
  if (!i18n.isLoaded()) return;
  renderContact();
  renderPartners();
}

async function loadSite() {
  try {
    const r = await fetch(SITE_URL, { headers: { Accept: 'application/json' } });
    if (!r.ok) return;
    const body = await r.json();
    if (body && typeof body === 'object') site = body;
  } catch {
    // Nothing published is shown, as without JavaScript.
  }
  render();
}

i18n.onLanguageChange(render);
i18n.init();
loadSite();
