// www/js/event-time.js — dates and times of events for the public pages
// (events.html and the home page's events): the visitor's time zone, a
// zone the browser knows, a zone's short label, and a start–end range in a
// zone and a language (Intl.DateTimeFormat with timeZone, formatRange).

/** The visitor's time zone (IANA name), UTC when the browser will not say. */
export const visitorZone = (() => {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
})();

/** A time zone the browser knows: tz, else UTC. */
export function usableZone(tz) {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return 'UTC';
  }
}

/** "America/Argentina/Buenos_Aires" -> "Buenos Aires"; "UTC" stays. */
export function zoneLabel(tz) {
  const last = tz.split('/').pop();
  return last.replace(/_/g, ' ');
}

/** The whole date with the time, or the time alone (timeOnly). */
const DATE_TIME = {
  weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: 'numeric', minute: '2-digit',
};
const TIME = { hour: 'numeric', minute: '2-digit' };

/**
 * The range starts_at–ends_at (RFC 3339; ends_at may be null) in zone tz
 * and language lang; withZone adds the zone's short name; timeOnly leaves
 * out the date. '' when starts_at is not a time.
 */
export function rangeText({ starts_at: startsAt, ends_at: endsAt }, tz, lang, { withZone = true, timeOnly = false } = {}) {
  const opts = { timeZone: tz, ...(timeOnly ? TIME : DATE_TIME) };
  if (withZone) opts.timeZoneName = 'short';
  const f = new Intl.DateTimeFormat(lang, opts);
  const start = new Date(startsAt);
  const end = new Date(endsAt);
  if (Number.isNaN(start.getTime())) return '';
  if (!endsAt || Number.isNaN(end.getTime())) return f.format(start);
  return typeof f.formatRange === 'function' ? f.formatRange(start, end) : `${f.format(start)} – ${f.format(end)}`;
}
