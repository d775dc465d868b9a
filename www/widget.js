/* widget.js: the I COMMIT live counter for other sites. <script src="HOST/widget.js"
 * data-campaign="icommit" async> shows count, goal bar and pledge link in a shadow
 * root after its tag, refreshed from HOST's API. Also data-lang (else the page's
 * <html lang>, else es), -theme (light|dark), -goal (show|hide), -size (small|large),
 * -interval (s). Numbers by the site's rule (js/format.js). See docs/embedding.md. */
(() => {
  'use strict';
  const script = document.currentScript; // set only now, synchronously
  if (!script || !script.isConnected) return; // removed before it ran

  // w1/wN: the count in words; m: what it counts; of: its accessible name.
  const T = {
    es: { w1: 'compromiso', wN: 'compromisos', m: 'por la movilidad eléctrica', of: '{n} de {g}',
      goal: 'Meta: {g}', bar: 'Avance hacia la meta', pct: '{p} de la meta', cta: 'Suma tu compromiso',
      now: 'Ahora hay {n}', tab: '(se abre en una pestaña nueva)' },
    en: { w1: 'pledge', wN: 'pledges', m: 'for electric mobility', of: '{n} of {g}',
      goal: 'Goal: {g}', bar: 'Progress towards the goal', pct: '{p} of the goal', cta: 'Make your pledge',
      now: 'Now {n}', tab: '(opens in a new tab)' },
    pt: { w1: 'compromisso', wN: 'compromissos', m: 'pela mobilidade elétrica', of: '{n} de {g}',
      goal: 'Meta: {g}', bar: 'Progresso rumo à meta', pct: '{p} da meta', cta: 'Assuma seu compromisso',
      now: 'Agora são {n}', tab: '(abre em uma nova aba)' },
    fr: { w1: 'engagement', wN: 'engagements', m: 'pour la mobilité électrique', of: '{n} sur {g}',
      goal: 'Objectif : {g}', bar: 'Progression vers l’objectif', pct: '{p} de l’objectif', cta: 'Je m’engage',
      now: 'Désormais {n}', tab: '(s’ouvre dans un nouvel onglet)' },
  };

  const data = script.dataset;
  const pick = (tag) => {
    const l = String(tag || '').toLowerCase().split(/[-_]/)[0];
    return T[l] ? l : null;
  };
  const lang = pick(data.lang) || pick(document.documentElement.lang) || 'es';
  const s = T[lang];
  const fill = (k, v) => s[k].replace(/\{(\w)\}/g, (m, x) => v[x]);
  // The site's rule (js/format.js)
  const nf = (o) => new Intl.NumberFormat(lang, { useGrouping: 'always', ...o });
  const plural = new Intl.PluralRules(lang);

  const slug = /^[a-z0-9-]{1,64}$/.test(data.campaign || '') ? data.campaign : 'icommit';
  const api = new URL(script.src || location.href, location.href).origin;
  const page = new URL(`/?lang=${lang}&campaign=${slug}#pledge`, api).href;
  const interval = (Number(data.interval) >= 1 ? Number(data.interval) : 30) * 1000;

  const el = (tag, cls = '', kids = [], attrs = {}) => {
    const e = document.createElement(tag);
    e.className = cls;
    e.append(...kids);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  };
  const link = (cls, text) => {
    const a = el('a', cls, [text], { href: page });
    if (window.top !== window.self) { // in an <iframe>: open a new tab
      a.target = '_blank';
      a.append(' ', el('span', 'sr', [s.tab]));
    }
    return a;
  };

  const CSS = `:host{all:initial;display:block}[hidden]{display:none!important}
.w,.fb{--fg:#14233a;--bg:#fff;--line:#dbe4f0;--hi:#0b57d0;--n:#0b57d0;--b:#0a7a55;--mute:#475569;--on:#fff;--ring:#0b57d0;--bar:#1a5fe0,#10a37a;font:16px/1.4 system-ui,"Segoe UI",Roboto,sans-serif}
.dark{--fg:#fff;--bg:#0a2342;--line:#2c4a78;--hi:#7ee2b8;--n:#fff;--b:#7ee2b8;--mute:#c9d6ea;--on:#0a2342;--ring:#ffd166;--bar:#7ee2b8,#c6f6e0}
.w{box-sizing:border-box;max-width:21em;padding:1em 1.15em;border:1px solid var(--line);border-radius:.9em;background:var(--bg);color:var(--fg);box-shadow:0 4px 16px #0a234218}
.small{font-size:13px}.large{font-size:20px}
.b{margin:0 0 .3em;font-size:.75em;font-weight:800;letter-spacing:.08em;color:var(--b)}
.c{margin:0}
.n{display:block;font-size:2.6em;font-weight:800;line-height:1.05;color:var(--n);font-variant-numeric:tabular-nums}
.t{display:block;margin-top:.15em;font-weight:600}
.g{margin-top:.8em}
.bar{height:.6em;border-radius:1em;background:var(--line);overflow:hidden}
.f{height:100%;width:0;border-radius:1em;background:linear-gradient(90deg,var(--bar));transition:width .6s}
.gl{display:flex;flex-wrap:wrap;justify-content:space-between;gap:0 .8em;margin:.35em 0 0;font-size:.85em;color:var(--mute)}
.a{display:inline-block;margin-top:.9em;padding:.45em 1em;border-radius:2em;background:var(--hi);color:var(--on);font-weight:700;text-decoration:none}
.fb{box-sizing:border-box;max-width:21em;margin:0;padding:.6em .9em;border:1px solid var(--line);border-radius:.6em;background:var(--bg)}.fb a{color:var(--hi);font-weight:700}
a:focus-visible{outline:3px solid var(--ring);outline-offset:3px}
.sr{position:absolute;width:1px;height:1px;margin:-1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap}
@media (prefers-reduced-motion:reduce){.f{transition:none}}`;

  // After the script tag (atop <body> if it is in <head>). A custom-element
  // name, never defined: it takes a shadow root, the host's div/p rules miss it.
  const host = el('icommit-counter');
  host.lang = lang;
  const place = () => {
    if (document.body.contains(script)) script.after(host);
    else document.body.prepend(host);
  };
  if (document.body) place();
  else document.addEventListener('DOMContentLoaded', place, { once: true });

  const root = host.attachShadow({ mode: 'open' });
  // A constructed sheet passes a strict style-src CSP; a <style> does not.
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(el('style', '', [CSS]));
  }

  const theme = data.theme === 'dark' ? ' dark' : '';
  const num = el('span', 'n', ['…']);
  const label = el('span', 't');
  // role=img: read as one phrase, "1.234 compromisos de 10.000".
  const count = el('p', 'c', [num, label], { role: 'img', 'aria-label': 'I COMMIT' });
  const barFill = el('div', 'f');
  const bar = el('div', 'bar', [barFill], { role: 'progressbar', 'aria-label': s.bar, 'aria-valuemin': 0 });
  const goalText = el('span');
  const pctText = el('span');
  const goalBox = el('div', 'g', [bar, el('p', 'gl', [goalText, pctText])]);
  const live = el('p', 'sr', [], { role: 'status' }); // polite; filled only when the count changes
  const card = el('div', `w${theme}${/^(small|large)$/.test(data.size) ? ` ${data.size}` : ''}`,
    [el('p', 'b', ['I COMMIT']), count, goalBox, link('a', s.cta), live], { 'aria-busy': true });
  const fallback = el('p', `fb${theme}`, [link('', `I COMMIT — ${s.cta} ${s.m}`)]);
  goalBox.hidden = fallback.hidden = true;
  root.append(card, fallback);

  let shown = null; // { count, goal } on screen
  const render = (c) => {
    const goal = data.goal !== 'hide' && Number.isSafeInteger(c.goal) && c.goal > 0 ? c.goal : 0;
    if (shown && shown.count === c.count && shown.goal === goal) return;
    const n = nf().format(c.count);
    const one = plural.select(c.count) === 'one';
    const words = `${n} ${one ? s.w1 : s.wN}`;
    num.textContent = n;
    label.textContent = `${one ? s.w1 : s.wN} ${s.m}`;
    count.setAttribute('aria-label', goal ? fill('of', { n: words, g: nf().format(goal) }) : words);
    goalBox.hidden = !goal;
    if (goal) {
      const ratio = c.count / goal;
      const p = fill('pct', { p: nf({ style: 'percent', maximumFractionDigits: ratio > 0 && ratio < 0.1 ? 1 : 0 }).format(ratio) });
      // > 0: a dot at least
      barFill.style.width = `max(${ratio > 0 ? .6 : 0}em, ${Math.min(ratio, 1) * 100}%)`;
      bar.setAttribute('aria-valuemax', goal);
      bar.setAttribute('aria-valuenow', Math.min(c.count, goal));
      bar.setAttribute('aria-valuetext', p);
      goalText.textContent = fill('goal', { g: nf().format(goal) });
      pctText.textContent = p;
    }
    if (shown && shown.count !== c.count) live.textContent = fill('now', { n: words });
    shown = { count: c.count, goal };
    card.removeAttribute('aria-busy');
    card.hidden = false;
    fallback.hidden = true;
  };

  let timer = 0;
  let errors = 0; // failures in a row: the delay doubles, up to 5 minutes
  let last = 0; // when the last refresh started
  let busy = false;
  const delay = () => Math.min(interval * 2 ** errors, 300000);

  // cache: 'no-cache': the browser revalidates its copy with If-None-Match (304
  // if unchanged); setting that header by hand would cost a CORS preflight.
  const refresh = async () => {
    timer = 0;
    if (!host.isConnected && document.body) return document.removeEventListener('visibilitychange', onVisibility);
    busy = true;
    last = Date.now();
    try {
      const r = await fetch(`${api}/api/v1/campaigns/${slug}/counter`, { cache: 'no-cache', signal: AbortSignal.timeout?.(1e4) });
      if (r.status !== 304) {
        const c = r.ok && await r.json();
        if (!c || !Number.isSafeInteger(c.count) || c.count < 0) throw new Error(r.status);
        render(c);
      }
      errors = 0;
    } catch {
      errors++;
      if (!shown) { // no number yet: the plain link
        card.hidden = true;
        fallback.hidden = false;
      }
    }
    busy = false;
    schedule(delay());
  };

  // Next refresh in ms ±10 % (many screens spread out); none while hidden.
  const schedule = (ms) => {
    clearTimeout(timer);
    timer = document.hidden ? 0 : setTimeout(refresh, ms * (0.9 + Math.random() / 5));
  };
  const onVisibility = () => {
    if (document.hidden) schedule(0);
    else if (!timer && !busy) schedule(last + delay() - Date.now());
  };
  document.addEventListener('visibilitychange', onVisibility);
  refresh();
})();
