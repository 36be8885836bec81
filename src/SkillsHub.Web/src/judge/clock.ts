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
  look();
  return anchor ? anchor.server + (performance.now() - anchor.monotonic) : Date.now() + offset;
}

/** The offset as measured, stored again only when it moves by more than the header's rounding (for a reload offline). */
function keepOffset(next: number): void {
  if (next === 0 ? offset === 0 : Math.abs(next - offset) <= tolerance / 2) return;
  offset = next;
  localStorage.setItem(storageKey, String(offset));
}

/**
 * The page's two clocks compared once a second, and again whenever a mark is stamped. Between two looks the monotonic
 * clock and the tablet's clock normally move alike. When the tablet's clock moved more (or less), one of them did not keep
 * time:
 * - **asleep**: the last beat of the timer came before it was due by the monotonic clock (the timer keeps a cadence of
 *   whole seconds of it, and fires no earlier): that clock stood still while time went on, as a sleeping device's does
 *   (Android and iPadOS stop it in sleep). The anchor moves on by the time lost, so a mark entered on waking is stamped
 *   when it was entered (found by an outside tester: a tablet that slept offline stamped its marks with the time it fell
 *   asleep, and a colleague's earlier entry replaced its later correction);
 * - **not known yet**: otherwise, the tablet's clock ran on more than the monotonic one. That is a sleep the timer has not
 *   beaten since (the screen went off, the page hidden or not, and a mark tapped on waking before the timer's next beat) or
 *   the clock being set forward (in the tablet's settings, or by its time sync): no clock of the page tells which (found by
 *   outside testers: taken for a sleep, a clock set 10 minutes forward stamped marks 10 minutes ahead, refused ClockAhead;
 *   taken for the clock being set, a mark tapped on waking was stamped the sleep's length early). Marks entered meanwhile
 *   carry the amount, and the next answer of the server decides (`observeServerDate`); the outbox asks for one before it
 *   sends such a mark (`settledStamp`). Before any answer there is no count to move on, and the offset follows the clock;
 * - **set back**: the tablet's clock ran on less than the monotonic one, which no sleep does: it was set back. The offset
 *   follows it, so a reload offline (which has only the tablet's clock and the offset) still counts the server's time.
 */
const beat = 1000;
let lastLook = { wall: Date.now(), monotonic: performance.now() };
/** When the timer's next beat is due on its cadence, by the monotonic clock. */
let due = lastLook.monotonic + beat;
let stalled = false;
/** Time the tablet's clock ran on that the monotonic clock did not, not known yet to be a sleep or the clock being set. */
let unresolved = 0;
/** What the answer that settled the last such time found: a sleep (true) or the tablet's clock being set. */
let sleptLast = false;

/** The time not known yet to be a sleep or a clock being set (0 when there is none), for a mark entered now to carry. */
export const unresolvedDrift = () => unresolved;

function look(): void {
  const now = { wall: Date.now(), monotonic: performance.now() };
  const passed = now.monotonic - lastLook.monotonic;
  const drift = now.wall - lastLook.wall - passed;
  if (Math.abs(drift) > 50) {
    if (drift > 0 && stalled) {
      if (anchor) anchor = { server: anchor.server + drift, monotonic: anchor.monotonic };
    } else if (drift > 0 && anchor) {
      unresolved += drift;
    } else {
      keepOffset(offset - drift);
    }
  }
  lastLook = now;
}

setInterval(() => {
  const monotonic = performance.now();
  // A repeating timer keeps its cadence: a beat held back by a long task is followed by one on time, less than a beat
  // after it (Chromium). So a beat is measured against the time it was due, not against the beat before: it fires no
  // earlier than that, by the monotonic clock, unless that clock stood still meanwhile (found in a test run: a beat after
  // a held-back one counted as a sleep, and a clock set forward within the next second stamped marks ten minutes ahead).
  stalled = monotonic < due - 50;
  due = stalled ? monotonic + beat : due + beat * (Math.max(0, Math.floor((monotonic - due) / beat)) + 1);
  look();
}, beat);

/** This page, among the pages the tablet loads: a mark entered before the page's first answer names it (`beforeAnswer`). */
export const pageId = Math.random().toString(36).slice(2);

/**
 * How far this page's count was off before its first answer (null until that answer): the offset it started from was
 * measured by an earlier page, and the tablet's clock may have been set since (after its battery died, say). Marks stamped
 * before the answer are moved by it when sent (`stampBeforeAnswer`).
 */
let loadError: number | null = null;

/** Takes the server's time from an answer's Date header (any answer: a refusal tells the time as well). */
export function observeServerDate(header: string | null): void {
  const stated = header ? Date.parse(header) : NaN;
  if (Number.isNaN(stated)) return;
  // The header is whole seconds: the server's clock was somewhere in that second when it answered.
  const server = stated + 500;
  const monotonic = performance.now();
  // A tablet close enough keeps its own clock, so well-set tablets stamp as they always did.
  const local = Date.now();
  if (loadError === null) {
    look();
    const error = server - (local + offset);
    loadError = Math.abs(error) > tolerance ? error : 0;
  }
  if (unresolved && anchor) {
    // Which count the server's time bears out: the monotonic one moved on by the hidden time (a sleep), or as it is (the
    // tablet's clock was set, and the offset follows).
    const counted = anchor.server + (monotonic - anchor.monotonic);
    sleptLast = Math.abs(server - (counted + unresolved)) < Math.abs(server - counted);
    if (sleptLast) anchor = { server: anchor.server + unresolved, monotonic: anchor.monotonic };
    else keepOffset(offset - unresolved);
    unresolved = 0;
  }
  const measured = Math.abs(server - local) <= tolerance ? local : server;
  // A later answer corrects the anchor only by more than the tolerance: the header's rounding moves it back and forth.
  if (!anchor || Math.abs(anchor.server + (monotonic - anchor.monotonic) - measured) > tolerance) anchor = { server: measured, monotonic };
  // Outside the tolerance the difference changes by milliseconds with every answer: kept only when it moves more.
  keepOffset(measured - local);
}

/** Whether this page has had an answer of the server since it loaded (its count of the server's time is its own). */
export const answered = () => anchor !== null;

/**
 * The stamp of a mark entered before its page had an answer of the server, once this page has one. Entered in this page:
 * moved by how far the page's count was off (`loadError`), which the page's later corrections do not include. Entered in
 * an earlier page (reloaded since): the tablet's clock at the tap, counted in the server's time as this page counts it,
 * right unless the clock was set again between the tap and now. Found by an outside tester: a tablet whose clock was set
 * three hours back while offline, the page then opened offline, stamped its marks three hours early, and the server took a
 * colleague's older entry as the newer one.
 */
export function stampBeforeAnswer(createdAt: number, page: string, tabletClock: number): number {
  if (page === pageId && loadError !== null) return createdAt + loadError;
  return tabletClock + (serverNow() - Date.now());
}

/**
 * A mark's stamp once the time it was entered after is settled: moved on by <drift> (carried by the mark) when that time
 * was a sleep, as it is when it was the tablet's clock being set. The tablet's clock when the mark was entered, counted in
 * the server's time as this page now counts it, says which: it is the tap's time either way, unless the clock was set
 * again since. So a mark is settled after a reload as well, when the page no longer holds the time it was entered after
 * (found by an outside tester: reloaded offline after waking, the mark was sent stamped when the tablet fell asleep). A
 * mark stored without that clock is settled by what the last answer found.
 */
export function settledStamp(createdAt: number, drift: number, tabletClock?: number): number {
  if (tabletClock === undefined) return sleptLast ? createdAt + drift : createdAt;
  const entered = tabletClock + (serverNow() - Date.now());
  return Math.abs(entered - (createdAt + drift)) < Math.abs(entered - createdAt) ? createdAt + drift : createdAt;
}
