// www/admin/js/forms.js — what the console's forms share: one run at a time
// of an action (its button marked aria-disabled meanwhile, so that focus
// stays on it), and field errors: a message under the input, linked by
// aria-describedby, with aria-invalid on the input.

const busy = new Set();

/**
 * Runs fn once at a time per name. The button (if any) is marked
 * aria-disabled rather than disabled while it runs, so that keyboard focus
 * stays on it. Resolves false when the name was already running.
 */
export async function once(name, button, fn) {
  if (busy.has(name)) return false;
  busy.add(name);
  button?.setAttribute('aria-disabled', 'true');
  try {
    await fn();
  } finally {
    busy.delete(name);
    button?.removeAttribute('aria-disabled');
  }
  return true;
}

/** Whether the action `name` is running. */
export function isBusy(name) {
  return busy.has(name);
}

/** Removes every field error of root (messages and aria-invalid). */
export function clearErrors(root) {
  for (const el of root.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
  for (const el of root.querySelectorAll('.field__error')) {
    const input = document.getElementById(el.id.replace(/-error$/, ''));
    if (input) {
      const rest = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== el.id);
      if (rest.length) input.setAttribute('aria-describedby', rest.join(' '));
      else input.removeAttribute('aria-describedby');
    }
    el.remove();
  }
}

/** Shows `text` as the error of input (which needs an id). */
export function fieldError(input, text) {
  input.setAttribute('aria-invalid', 'true');
  const id = `${input.id}-error`;
  let el = document.getElementById(id);
  if (!el) {
    el = document.createElement('p');
    el.id = id;
    el.className = 'field__error';
    input.insertAdjacentElement('afterend', el);
    const ids = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    input.setAttribute('aria-describedby', [id, ...ids].join(' '));
  }
  el.textContent = text;
}
