// The judge app's state and the helpers that read it (no rendering, no network).
import { currentLang } from '../i18n';
import { el } from '../kernel/dom';
import { recordedValue, sameMark } from './values';
import { problemMessage } from '../kernel/problems';
import { belongsTo } from './outbox';
import * as store from './store';
import type { MarkRecord, Session } from './store';
import { type Aspect, type Assignment, type Competitor, type Criterion, type MarkValue, type OwnSheet, type Scheme, type SubCriterion } from './types';
import { personName } from '../kernel/names';

/** The tablet's state: the pairing, its assignment and scheme, the marks on the tablet, the sheets last seen. */
export const st = {
  session: undefined as Session | undefined,
  assignment: undefined as Assignment | undefined,
  scheme: { criteria: [] } as Scheme,
  marks: [] as MarkRecord[],
  sheets: new Map<string, OwnSheet>(),
  assignmentNote: '',
  /** The pairing form's message; `focused` once a refusal has put the focus back on the code field. */
  pairMessage: null as { text: () => string; error: boolean; focused?: boolean } | null,
  pairBusy: false,
  outboxState: { sending: false, retryAt: null, lastError: null } as { sending: boolean; retryAt: number | null; lastError: string | null },
  /** Deduction counts being edited, per competitor|aspect, until saved as one mark. */
  drafts: new Map<string, number[]>(),
  /** A code from the QR link, shown in the pairing form while it is tried. */
  pendingCode: '',
  /** The tablet's name as typed in the pairing form, before it is sent. */
  pendingDeviceName: null as string | null,
};

// ---------------------------------------------------------------- helpers


export function button(text: string, className: string, onClick: () => void, disabled = false): HTMLButtonElement {
  const b = el('button', className, text);
  b.type = 'button';
  b.disabled = disabled;
  b.onclick = onClick;
  return b;
}

/** A padlock drawn inline (tablets may lack an emoji font). */
export function withLockIcon(node: HTMLElement): HTMLElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('aria-hidden', 'true');
  svg.classList.add('jlockicon');
  svg.innerHTML = '<rect x="2.5" y="7" width="11" height="8" rx="1.5" fill="currentColor"/><path d="M5 7V5a3 3 0 0 1 6 0v2" fill="none" stroke="currentColor" stroke-width="1.8"/>';
  node.prepend(svg);
  return node;
}

/** A refused mark in the expert's language: Chinese by the problem's code, English as the server said it. */
export function refusalText(r: store.Refusal, short = false): string {
  if (currentLang() === 'zh' && r.code) return problemMessage({ code: r.code, title: r.title, detail: r.detail });
  return short ? r.title ?? r.detail : r.detail;
}

export const fmt = (n: number | null | undefined) => (n ?? 0).toFixed(2);

export function replaceMark(mark: MarkRecord): void {
  const i = st.marks.findIndex(m => m.key === mark.key);
  if (i >= 0) st.marks[i] = mark;
  else st.marks.push(mark);
}

export function mine(mark: MarkRecord): boolean {
  return !!st.session && belongsTo(mark, st.session);
}

/** A mark the server answered "superseded": a newer entry from elsewhere was already on file, so it changed nothing. */
export const notApplied = (mark: MarkRecord) => mark.state === 'superseded' && mark.sentAt !== undefined;

/** A mark's answer a judge is told of (the screen reader too): sent, refused, or not applied. */
export const isNews = (mark: MarkRecord) => mark.state === 'sent' || mark.state === 'refused' || notApplied(mark);

/** The expert's last entered mark for an aspect among those <counts> takes, whatever the clock said. */
export function lastEntered(competitorId: string, aspectId: string, counts: (mark: MarkRecord) => boolean): MarkRecord | undefined {
  let last: MarkRecord | undefined;
  for (const m of st.marks) {
    if (m.competitorId === competitorId && m.aspectId === aspectId && counts(m) && mine(m) && (!last || store.byEntry(m, last) > 0)) last = m;
  }
  return last;
}

/**
 * The expert's last entry for an aspect when the server did not apply it (a newer entry from elsewhere was on file), for
 * the card to say so: otherwise the card only showed the group's value, and the judge was not told their entry was dropped
 * (found by an outside tester).
 */
export function droppedMark(competitorId: string, aspectId: string): MarkRecord | undefined {
  const last = lastEntered(competitorId, aspectId, () => true);
  return last && notApplied(last) ? last : undefined;
}

/**
 * The expert's latest mark for an aspect (the one that states their intent), if any: the last entered, whatever the clock
 * said. A withheld mark is the value the server was last seen to hold, and the card shows that value as the server's.
 */
export const latestMark = (competitorId: string, aspectId: string) => lastEntered(competitorId, aspectId, m => m.state !== 'superseded' && m.state !== 'withheld');

// What this page learnt when, in its own order (not the clock's): a sheet read against the answer to a mark. A sheet asked
// for after this tablet's mark was answered holds every entry up to then, so a value there that differs from the mark is a
// newer entry from elsewhere (docs/pages.md, "The judge app's marks and the server's").
let learnt = 0;
const answeredAt = new Map<string, number>();

/** Notes that this page has just learnt a mark's answer (from the server, or from another tab of the tablet). */
export function noteAnswered(key: string): void {
  answeredAt.set(key, ++learnt);
}

/** When a sheet read began: in this page's order, and by the tablet's clock (stored with the sheet, for a reload). */
export interface SheetAsk { order: number; at: number }

/** The read each competitor's sheet on screen came from. */
const sheetAsked = new Map<string, SheetAsk>();

/** Marks the start of a sheet read; applySheet takes its answer. */
export const askingSheet = (): SheetAsk => ({ order: ++learnt, at: Date.now() });

/** Keeps a sheet read that began at <asked>, unless a read that began later has already been kept. */
export function applySheet(sheet: OwnSheet, asked: SheetAsk): boolean {
  if ((sheetAsked.get(sheet.competitorId)?.order ?? 0) > asked.order) return false;
  sheetAsked.set(sheet.competitorId, asked);
  st.sheets.set(sheet.competitorId, sheet);
  return true;
}

/** When the sheet on screen was asked for, by the tablet's clock (0: never read here). */
export const sheetAskedTime = (competitorId: string) => sheetAsked.get(competitorId)?.at ?? 0;

/**
 * After a (re)load, before any sheet is read again: the stored sheets and answered marks are taken in the order their
 * times say, a mark's answer (sentAt) against a sheet's read (askedAt), so a sheet read after a mark's answer still
 * outranks it when the page cannot read the sheet again (offline, or the read fails). Found by an outside tester: after
 * such a reload the card went back to the tablet's own older mark, and a tap on it sent nothing.
 */
export function restoreOrder(sheets: (OwnSheet & { fetchedAt?: number })[]): void {
  const events = [
    ...st.marks.filter(m => m.state !== 'pending' && m.sentAt !== undefined).map(m => ({ at: m.sentAt!, take: () => noteAnswered(m.key) })),
    ...sheets.map(sheet => ({ at: sheet.fetchedAt ?? 0, take: () => applySheet(sheet, { order: ++learnt, at: sheet.fetchedAt ?? 0 }) })),
  ].sort((a, b) => a.at - b.at);
  for (const event of events) event.take();
}

/** When this page withheld a mark (store.withholdUntried), in its own order; one withheld before the page loaded is older than every read. */
const withheldAt = new Map<string, number>();

export function noteWithheld(key: string): void {
  withheldAt.set(key, ++learnt);
}

/**
 * The withheld marks a sheet read settles: each of this expert's for the sheet's competitor withheld before the read
 * began, to be sent when the sheet holds another value than the mark (a colleague's measurement, or this expert's score
 * from another tablet, the tablet had not seen: the server orders the two by when each was made), dropped when it holds
 * the same (docs/pages.md, "The judge app's marks and the server's").
 */
export function withheldToSettle(sheet: OwnSheet, asked: SheetAsk): { mark: MarkRecord; send: boolean }[] {
  return st.marks
    .filter(m => m.state === 'withheld' && m.competitorId === sheet.competitorId && mine(m) && (withheldAt.get(m.key) ?? 0) < asked.order)
    .map(mark => {
      const aspect = findAspect(mark.aspectId);
      const held = aspect ? heldValue(aspect, sheet.aspects.find(a => a.aspectId === mark.aspectId)) : null;
      return { mark, send: !(aspect && held && sameMark(aspect, held, mark.value)) };
    });
}

/**
 * What the server holds as this tablet last learnt it: the sheet read's value (<read>), unless one of this expert's marks was
 * answered after that read: applied, its value is what the server holds; not applied, a newer entry the tablet has not read
 * is (null). Found in a run: the read after the judge's applied mark was cut short, the read before it was kept, and a change
 * tapped back to the judge's own value on file was sent as a change instead of withheld.
 */
function lastLearnt(competitorId: string, aspect: Aspect, read: MarkValue | null): MarkValue | null {
  let last: MarkRecord | undefined;
  let at = sheetAsked.get(competitorId)?.order ?? 0;
  for (const m of st.marks) {
    const answered = answeredAt.get(m.key) ?? 0;
    if (answered > at && m.competitorId === competitorId && m.aspectId === aspect.id && mine(m) && (m.state === 'sent' || notApplied(m))) {
      last = m;
      at = answered;
    }
  }
  if (!last) return read;
  return last.state === 'sent' ? last.value : null;
}

/** What the server holds for the expert: their own score for a judgement, the group's value for a measurement. */
function heldValue(aspect: Aspect, server: OwnSheet['aspects'][number] | undefined): MarkValue | null {
  if (aspect.type === 'J') return server?.ownScore == null ? null : { score: server.ownScore };
  return recordedValue(server?.measurement);
}

/**
 * An aspect as the card shows it. <latest> is this tablet's own last mark; <held> what the server holds as the tablet last
 * learnt it (the expert's own score for a judgement, the group's value for a measurement: lastLearnt); <overridden> when a
 * sheet read after that mark was accepted holds something else: a colleague's measurement, or this expert's score from
 * another tablet, entered later. Then the server's value is the answer on file (found by an outside tester: the tablet
 * kept showing its own earlier mark, and a tap on it sent nothing).
 */
export function aspectView(competitorId: string, aspect: Aspect, server: OwnSheet['aspects'][number] | undefined) {
  const latest = latestMark(competitorId, aspect.id);
  const ownScore = server?.ownScore ?? null;
  const read = heldValue(aspect, server);
  const held = lastLearnt(competitorId, aspect, read);
  const overridden = latest?.state === 'sent' && (sheetAsked.get(competitorId)?.order ?? 0) > (answeredAt.get(latest.key) ?? 0)
    && !(read && sameMark(aspect, read, latest.value));
  const refused = latest?.state === 'refused';
  // The answer on file: this tablet's own mark, unless the server refused it or holds a newer entry; else the server's value.
  const onFile = latest && !refused && !overridden ? latest.value : held;
  return { latest: overridden ? undefined : latest, held, ownScore, overridden, refused, onFile };
}

export const unsent = () => st.marks.filter(m => m.state === 'pending' || m.state === 'refused');
// Paired, only this pairing's marks are waiting to go; another expert's stay kept for them (an outside tester: they counted).
export const waiting = () => st.marks.filter(m => m.state === 'pending' && (!st.session || mine(m)));
export const kept = () => (st.session ? st.marks.filter(m => m.state === 'pending' && !mine(m)) : []);
/** Refused marks nothing has replaced: the latest of this tablet's marks for their aspect. */
export const unanswered = () => st.marks.filter(m => m.state === 'refused' && !m.acknowledged && latestMark(m.competitorId, m.aspectId) === m);

/**
 * The lock over an aspect: its criterion's, or its marking day's, the two things a lock can name (docs/scoring.md,
 * "Locks"). Not a sub-criterion or aspect id: a day "C1" beside a sub-criterion "C1" locked that sub-criterion's cards
 * here while the server took their marks (found by an outside tester).
 */
export function lockFor(criterion: Criterion, aspect: Aspect) {
  return st.assignment?.locks.find(l => l.target === criterion.id || (!!aspect.markingDay && l.target === aspect.markingDay));
}

export function myAspects(criterion: Criterion): { sub: SubCriterion; aspect: Aspect }[] {
  const allowed = new Set(st.assignment?.aspectIds ?? []);
  return criterion.subCriteria.flatMap(sub => sub.aspects.filter(a => allowed.has(a.id)).map(aspect => ({ sub, aspect })));
}

export function competitorName(c: Competitor): string {
  return c.name || c.people.map(p => personName(p.firstName, p.lastName)).join(', ');
}

export function findAspect(aspectId: string): Aspect | undefined {
  for (const c of st.scheme.criteria) for (const s of c.subCriteria) for (const a of s.aspects) if (a.id === aspectId) return a;
  return undefined;
}
