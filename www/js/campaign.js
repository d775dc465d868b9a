// www/js/campaign.js — the default campaign as the landing page's modules
// share it: landing.js loads it (GET /api/v1/campaigns/icommit) and publishes
// it here; the pledge form reads its status and reports new counts; the
// counter refreshes from GET .../counter. Subscribers get the current value
// at once (if there is one) and every later one, whatever order the page's
// modules ran in.

export const SLUG = 'icommit';
export const CAMPAIGN_URL = `/api/v1/campaigns/${SLUG}`;
export const COUNTER_URL = `${CAMPAIGN_URL}/counter`;
export const PLEDGES_URL = `${CAMPAIGN_URL}/pledges`;

let current = null;
const listeners = new Set();

/** The last campaign object published, or null. */
export function get() {
  return current;
}

/** Publishes a campaign object (the API's CAMPAIGN) to every subscriber. */
export function publish(campaign) {
  current = campaign;
  for (const fn of [...listeners]) fn(campaign);
}

/**
 * Calls fn(campaign) now if a campaign is known, and after every publish().
 * Returns an unsubscribe function.
 */
export function subscribe(fn) {
  listeners.add(fn);
  if (current) fn(current);
  return () => listeners.delete(fn);
}

const isCount = (n) => Number.isSafeInteger(n) && n >= 0;

/** A new count (from a pledge or confirmation reply): publishes it if it changed. */
export function setCount(count) {
  if (!current || !isCount(count) || current.count === count) return;
  publish({ ...current, count });
}

/**
 * Refreshes count and goal from the counter endpoint (cheap: cached, ETag).
 * Resolves true when it got an answer; failures are quiet (the page keeps
 * what it shows).
 */
export async function refreshCounter() {
  if (!current) return false;
  try {
    const r = await fetch(COUNTER_URL, { headers: { Accept: 'application/json' } });
    if (!r.ok) return false;
    const body = await r.json();
    if (!body || !isCount(body.count)) return false;
    const goal = body.goal === null || isCount(body.goal) ? body.goal : current.goal;
    if (body.count !== current.count || goal !== current.goal) publish({ ...current, count: body.count, goal });
    return true;
  } catch {
    return false;
  }
}
