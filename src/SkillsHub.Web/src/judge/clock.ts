// The time a tablet stamps its marks with: the server's, as the tablet last learnt it (docs/scoring.md, "Order": the judge app's
// createdAt). The server orders entries from different tablets by that stamp, so a tablet whose own clock was a few minutes
// slow lost every correction to an earlier entry from another tablet, with no word why (found by an outside tester); one
// whose clock was fast had its marks refused (ClockAhead).

const storageKey = 'skillshub.judge.clockOffset';

/** Within this the tablet's clock is taken as right: the Date header counts whole seconds, and the answer takes a while. */
const tolerance = 2000;

/** Server time minus the tablet's clock, as last measured (kept for a reload offline). */
let offset = Number(localStorage.getItem(storageKey)) || 0;

/** The server's time at one moment of this page's monotonic clock (performance.now), once an answer told it. */
let anchor: { server: number; monotonic: number } | null = null;

/**
 * The server's time now, in milliseconds since 1970. Once this page has an answer, it counts on from that answer with the
 * page's monotonic clock, so the tablet's clock being set (forwards or back) changes nothing; before that, the tablet's
 * clock with the offset last measured.
 */
export function serverNow(): number {
  return anchor ? anchor.server + (performance.now() - anchor.monotonic) : Date.now() + offset;
}

/** Takes the server's time from an answer's Date header (any answer: a refusal tells the time as well). */
export function observeServerDate(header: string | null): void {
  const stated = header ? Date.parse(header) : NaN;
  if (Number.isNaN(stated)) return;
  // The header is whole seconds: the server's clock was somewhere in that second when it answered.
  const server = stated + 500;
  const monotonic = performance.now();
  // A tablet close enough keeps its own clock, so well-set tablets stamp as they always did.
  const local = Date.now();
  const measured = Math.abs(server - local) <= tolerance ? local : server;
  // A later answer corrects the anchor only by more than the tolerance: the header's rounding moves it back and forth.
  if (!anchor || Math.abs(anchor.server + (monotonic - anchor.monotonic) - measured) > tolerance) anchor = { server: measured, monotonic };
  // Kept for a reload offline, and written again only when it moves by more than the header's rounding: outside the
  // tolerance the difference changes by milliseconds with every answer.
  const next = measured - local;
  if (next === 0 ? offset !== 0 : Math.abs(next - offset) > tolerance / 2) {
    offset = next;
    localStorage.setItem(storageKey, String(offset));
  }
}
