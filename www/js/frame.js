// www/js/frame.js — the behaviour of the shared page frame (www/_frame/):
// the phone menu. Without this script the header's navigation is a list that
// wraps, so every link stays reachable. With it, on narrow screens (site.css,
// .site-header--menu), the list folds behind the menu button, a disclosure:
// aria-expanded says whether it is open, aria-controls names the <nav>.
// Escape closes it and gives focus back to the button; following a link
// closes it too (a link to a section of the same page leaves it open
// otherwise). Loaded by the frame's head on every public page.

const header = document.querySelector('.site-header');
const button = header ? header.querySelector('[data-menu-button]') : null;
const nav = button ? document.getElementById(button.getAttribute('aria-controls')) : null;

if (header && button && nav) {
  const isOpen = () => button.getAttribute('aria-expanded') === 'true';
  const setOpen = (open) => {
    button.setAttribute('aria-expanded', String(open));
    nav.classList.toggle('site-nav--open', open);
  };

  setOpen(false);
  header.classList.add('site-header--menu');

  button.addEventListener('click', () => setOpen(!isOpen()));
  header.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Escape' || !isOpen()) return;
    setOpen(false);
    button.focus();
  });
  nav.addEventListener('click', (ev) => {
    if (ev.target instanceof Element && ev.target.closest('a')) setOpen(false);
  });
}
