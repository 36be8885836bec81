// The tablet's durable memory (IndexedDB through idb): the pairing, the cached assignment and sheets,
// and every mark the expert entered with its idempotency key and delivery state. Nothing here is ever
// deleted by a sign-out: unsent marks outlive a revoked pairing and can be exported.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Assignment, Band, MarkValue, OwnSheet, Redeemed } from './types';

/** The pairing as the tablet keeps it: the server's answer and when it was made. */
export interface Session extends Redeemed {
  pairedAt: string;
}

/**
 * pending = on the tablet, waiting to be sent; sent = the server accepted it; refused = the server said no (never resent);
 * superseded = replaced before it was sent, or not applied by the server; withheld = a change taken back to the value the
 * tablet last saw on the server: sent only if a sheet read after it shows the server holds another value (state.ts,
 * withheldToSettle).
 */
export type MarkState = 'pending' | 'sent' | 'refused' | 'superseded' | 'withheld';

export interface Refusal {
  status: number;
  kind?: string;
  /** The problem's code (docs/pages.md, "Languages"): the text shown in Chinese. */
  code?: string;
  title?: string;
  detail: string;
  scores?: number[];
}

export interface ServerAspect {
  aspectId: string;
  mark: number | null;
  scoresReceived: number;
  scoresRequired: number;
  complete: boolean;
}

export interface MarkRecord {
  key: string; // the Idempotency-Key, generated on the tablet when the mark is entered
  competitionCode: string;
  skillNumber: number;
  expertId: string;
  deviceId: string;
  competitorId: string;
  aspectId: string;
  value: MarkValue;
  /**
   * The aspect's tolerance bands when the mark was entered (a banded measurement), so the outbox words it as the expert
   * chose it also where the scheme is no longer loaded (an outside tester: "Outside all bands" read "Deviation 1.1").
   */
  bands?: Band[];
  createdAt: number;
  /**
   * Time the tablet's clock ran on while the page was hidden before the mark was entered, not known then to be a sleep or
   * the clock being set (judge/clock.ts): the outbox settles <createdAt> by it before sending.
   */
  unsettled?: number;
  /** The tablet's own clock when such a mark was entered: with the server's time it settles the stamp, after a reload too. */
  tabletClock?: number;
  /**
   * Entered before its page had an answer of the server (the page opened offline): the page and the tablet's clock at the
   * tap, so the stamp is settled by the first answer before the mark is sent (clock.ts, `stampBeforeAnswer`).
   */
  beforeAnswer?: { page: string; tabletClock: number };
  /** This tablet's own counter, assigned when the mark is entered: with createdAt it orders an expert's marks on the server. */
  sequence?: number;
  state: MarkState;
  /** Set just before the mark is first sent: from then on it may be on the server, and is never withdrawn unsent. */
  tried?: boolean;
  attempts: number;
  lastError?: string;
  sentAt?: number;
  refusal?: Refusal; acknowledged?: boolean; // a refusal the judge dismissed in the outbox (outbox-screen.ts): off the bar's count
  answer?: ServerAspect;
  replayed?: boolean;
}

interface JudgeDb extends DBSchema {
  kv: { key: string; value: unknown };
  sheets: { key: string; value: OwnSheet & { fetchedAt: number } };
  marks: { key: string; value: MarkRecord; indexes: { byCompetitor: string; byCreated: number } };
}

let dbPromise: Promise<IDBPDatabase<JudgeDb>> | null = null;

function db(): Promise<IDBPDatabase<JudgeDb>> {
  dbPromise ??= openDB<JudgeDb>('skillshub-judge', 1, {
    upgrade(database) {
      database.createObjectStore('kv');
      database.createObjectStore('sheets', { keyPath: 'competitorId' });
      const marks = database.createObjectStore('marks', { keyPath: 'key' });
      marks.createIndex('byCompetitor', 'competitorId');
      marks.createIndex('byCreated', 'createdAt');
    },
  });
  return dbPromise;
}

/**
 * Asks the browser to keep the tablet's storage: an origin's storage is otherwise "best-effort", which a browser may drop
 * whole under storage pressure, unsent marks with it (found by an outside tester). Asked at pairing, a person's action. A
 * browser that declines (or asks its user, as some do) leaves it best-effort; the marks are sent as soon as the network
 * allows either way.
 */
export function keepStorage(): void {
  void navigator.storage?.persist?.().catch(() => false);
}

export async function getSession(): Promise<Session | undefined> {
  return (await (await db()).get('kv', 'session')) as Session | undefined;
}

export async function saveSession(session: Session): Promise<void> {
  await (await db()).put('kv', session, 'session');
}

/** Signs the tablet out: forgets the token and the assignment, keeps every mark. */
export async function clearSession(): Promise<void> {
  const database = await db();
  const tx = database.transaction(['kv', 'sheets'], 'readwrite');
  await tx.objectStore('kv').delete('session');
  await tx.objectStore('kv').delete('assignment');
  await tx.objectStore('sheets').clear();
  await tx.done;
}

export async function getAssignment(): Promise<Assignment | undefined> {
  return (await (await db()).get('kv', 'assignment')) as Assignment | undefined;
}

export async function saveAssignment(assignment: Assignment): Promise<void> {
  await (await db()).put('kv', assignment, 'assignment');
}

/** A stored sheet, with when its read was asked for by the tablet's clock (fetchedAt; state.ts, restoreOrder). */
export async function getSheet(competitorId: string): Promise<(OwnSheet & { fetchedAt?: number }) | undefined> {
  return (await db()).get('sheets', competitorId);
}

export async function saveSheet(sheet: OwnSheet, askedAt: number): Promise<void> {
  await (await db()).put('sheets', { ...sheet, fetchedAt: askedAt });
}

/**
 * The order the expert entered the tablet's marks in: this tablet's own sequence, not the clock, which may be set back
 * between two entries (found by an outside tester: after a clock correction the later entry was taken as the older, and a
 * refusal it replaced still counted). Marks stored before the sequence existed fall back on their time.
 */
export function byEntry(a: MarkRecord, b: MarkRecord): number {
  return a.sequence !== undefined && b.sequence !== undefined ? a.sequence - b.sequence : a.createdAt - b.createdAt;
}

/**
 * The tabs of this tablet share one store: each change to the marks is told to the others, which read them again (found
 * by an outside tester: with two tabs open, each counted only its own entries until reloaded).
 */
const channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel('skillshub-judge-marks') : null;

export function onMarksChanged(listener: () => void): void {
  channel?.addEventListener('message', listener);
}

function marksChanged(): void {
  channel?.postMessage('marks');
}

export async function putMark(mark: MarkRecord): Promise<void> {
  await (await db()).put('marks', mark);
  marksChanged();
}

/** All marks, in the order they were entered. */
export async function allMarks(): Promise<MarkRecord[]> {
  return (await (await db()).getAllFromIndex('marks', 'byCreated')).sort(byEntry);
}

/** Of a competitor's marks, this expert's for one aspect in one of <states>. */
const ownOf = (marks: MarkRecord[], aspectId: string, expertId: string, ...states: MarkState[]) =>
  marks.filter(m => m.aspectId === aspectId && m.expertId === expertId && states.includes(m.state));

/** The tablet's next entry number (MarkRecord.sequence), in the transaction that stores the entry. */
async function nextSequence(kv: { get(key: string): Promise<unknown>; put(value: unknown, key: string): Promise<unknown> }): Promise<number> {
  const sequence = ((await kv.get('deviceSequence')) as number | undefined ?? 0) + 1;
  await kv.put(sequence, 'deviceSequence');
  return sequence;
}

/**
 * Records a newly entered mark in one transaction; an older mark for the same aspect that has not
 * left the tablet yet is superseded (the newer value is the expert's intent), unless it is in flight.
 */
export async function recordMark(mark: MarkRecord, inFlightKey: string | null): Promise<void> {
  const database = await db();
  const tx = database.transaction(['marks', 'kv'], 'readwrite');
  const marks = tx.objectStore('marks');
  const sequence = await nextSequence(tx.objectStore('kv'));
  for (const previous of ownOf(await marks.index('byCompetitor').getAll(mark.competitorId), mark.aspectId, mark.expertId, 'pending', 'withheld')) {
    if (previous.key !== inFlightKey) await marks.put({ ...previous, state: 'superseded' });
  }
  await marks.put({ ...mark, sequence });
  await tx.done;
  marksChanged();
}

/**
 * The mark as tried, just before it is first sent, unless it is no longer pending (withdrawn or superseded meanwhile, in
 * this tab or another): then undefined, and it is not sent. One transaction, ordered with withdrawUntried's.
 */
export async function markTried(key: string): Promise<MarkRecord | undefined> {
  const tx = (await db()).transaction('marks', 'readwrite');
  const mark = await tx.store.get(key);
  const tried = mark?.state === 'pending' ? { ...mark, tried: true } : undefined;
  if (tried && !mark?.tried) await tx.store.put(tried);
  await tx.done;
  return tried;
}

/**
 * Withdraws this expert's pending marks of <mark>'s aspect when none has been tried, so none can be on the server: they are
 * superseded, never sent, <mark> (the value tapped back) is kept withheld, and true is answered. Otherwise nothing changes.
 * Withheld, not dropped: the tablet's copy of the server's value may be old, and a sheet read later decides whether the
 * tap changes something after all (state.ts, withheldToSettle; found by an outside tester: a colleague's entry made before
 * the tap, not yet seen by the tablet, won, and the judge was not told).
 */
export async function withholdUntried(mark: MarkRecord): Promise<boolean> {
  const tx = (await db()).transaction(['marks', 'kv'], 'readwrite');
  const marks = tx.objectStore('marks');
  const own = ownOf(await marks.index('byCompetitor').getAll(mark.competitorId), mark.aspectId, mark.expertId, 'pending', 'withheld');
  const pending = own.filter(m => m.state === 'pending');
  const untried = pending.length > 0 && pending.every(m => !m.tried);
  if (untried) {
    for (const m of own) await marks.put({ ...m, state: 'superseded' });
    await marks.put({ ...mark, state: 'withheld', sequence: await nextSequence(tx.objectStore('kv')) });
  }
  await tx.done;
  if (untried) marksChanged();
  return untried;
}

/** <key>'s mark moved from <from> to <to> (withheld settled; queued withheld), unless no longer in <from> or, pending, ever tried. */
export async function moveMark(key: string, from: MarkState, to: MarkState): Promise<MarkRecord | undefined> {
  const tx = (await db()).transaction('marks', 'readwrite');
  const mark = await tx.store.get(key);
  const moved = mark?.state === from && !(from === 'pending' && mark.tried) ? { ...mark, state: to } : undefined;
  if (moved) await tx.store.put(moved);
  await tx.done;
  if (moved) marksChanged();
  return moved;
}
