// tests/e2e/lib/event-helpers.mjs — an event as the staff API takes it,
// and the times in the API's form, for the tests that create events
// (events.test.mjs, multinode.test.mjs).

export const DAY = 86400e3;

/** RFC 3339 UTC without fractions, as the API writes it. */
export const iso = (ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** Whole seconds from now (the API has second precision). */
export const at = (offsetMs) => Math.floor((Date.now() + offsetMs) / 1000) * 1000;

/** An EVENT body for the staff API; `over` replaces fields. */
export function eventBody(slug, over = {}) {
  const start = at(3 * DAY);
  return {
    slug,
    title: {
      es: `Diálogo ministerial ${slug}`,
      en: `Ministerial dialogue ${slug}`,
      pt: `Diálogo ministerial ${slug}`,
      fr: `Dialogue ministériel ${slug}`,
    },
    description: { es: 'Sesión de alto nivel.', en: 'High-level session.', pt: 'Sessão de alto nível.', fr: 'Session de haut niveau.' },
    starts_at: iso(start),
    ends_at: iso(start + 2 * 3600e3),
    timezone: 'America/Santiago',
    location: 'CEPAL, Santiago de Chile',
    capacity: 10,
    waitlist: true,
    ...over,
  };
}
