// Marks: entering one (durable first), the outbox that delivers them, and the sheets refreshed after.
import { el } from '../kernel/dom';
import { t } from './strings';
import { call, RevokedError } from './net';
import { Outbox } from './outbox';
import * as store from './store';
import type { MarkRecord } from './store';
import { type Aspect, type MarkValue, type MarksAnswer, type OwnSheet } from './types';
import { render, renderChrome } from './screens';
import { stateBadge } from './outbox-screen';
import { loadAssignment, signOut } from './session';
import { answered, pageId, serverNow, unresolvedDrift } from './clock';
import { applySheet, askingSheet, aspectView, findAspect, isNews, lastEntered, mine, noteAnswered, noteWithheld, replaceMark, sheetAskedTime, st, unsent, withheldToSettle, type SheetAsk } from './state';
import { sameMark } from './values';

export const outbox = new Outbox({
  changed(mark, answer) {
    replaceMark(mark);
    noteAnswered(mark.key);
    // What happened to a mark is said to a screen reader too: sent, or refused and why (found by an outside tester: only the
    // badges changed, silently).
    // Not applied (a newer entry from elsewhere was on file) is said too: the card changes to the group's value, and the judge
    // must hear that their entry was dropped (found by an outside tester: only the closed outbox said "Replaced").
    if (isNews(mark)) announce(mark);
    if (answer) mergeAnswer(mark.competitorId, answer, mark);
    // A superseded mark met a newer entry on the server: the sheet says which.
    if (mark.state === 'sent' || mark.state === 'superseded') scheduleSheetRefresh(mark.competitorId);
    // A lock the tablet did not know about yet: fetch the assignment so the form turns read-only.
    if (mark.refusal?.kind === 'Locked' || mark.refusal?.kind === 'DayLocked') void loadAssignment();
    if (mark.refusal?.kind === 'SpreadViolation') scheduleSheetRefresh(mark.competitorId);
    render();
  },
  // A queued mark equal to what the server was last learnt to hold (the answer to a mark that was on its way) would change
  // nothing: it is withheld, as a take-back is (enterMark), and the sheet read that follows settles it (found by an outside
  // tester: a score tapped 1, 2, 1 on a slow network, the first 1 on its way, sent the second too: "score 1 -> score 1").
  // One that answers a refusal is sent, as enterMark sends it, so the refusal is settled on the card.
  async holdsBack(mark) {
    const aspect = findAspect(mark.aspectId);
    const view = aspect && mine(mark) ? viewNow(mark.competitorId, aspect) : undefined;
    if (!aspect || !view?.held || !sameMark(aspect, view.held, mark.value) || answeredBefore(mark)?.state === 'refused') return false;
    const withheld = await store.moveMark(mark.key, 'pending', 'withheld');
    if (!withheld) return false;
    noteWithheld(mark.key);
    replaceMark(withheld);
    render();
    scheduleSheetRefresh(mark.competitorId);
    return true;
  },
  revoked() {
    void signOut(() => t('pair.revoked'));
  },
  status(state) {
    st.outboxState = state;
    renderChrome();
  },
});

/** This expert's last mark for <mark>'s aspect entered before it that the server answered (applied or refused). */
const answeredBefore = (mark: MarkRecord) =>
  lastEntered(mark.competitorId, mark.aspectId, m => (m.state === 'sent' || m.state === 'refused') && store.byEntry(m, mark) < 0);

/** An aspect as its card shows it now, from the sheet on screen (state.ts, aspectView). */
const viewNow = (competitorId: string, aspect: Aspect) =>
  aspectView(competitorId, aspect, st.sheets.get(competitorId)?.aspects.find(a => a.aspectId === aspect.id));

let announced: MarkRecord | undefined;

export function announce(mark: MarkRecord): void {
  announced = mark;
  document.getElementById('announce')!.textContent = `${mark.competitorId} ${mark.aspectId}: ${stateBadge(mark).textContent}`;
}

/** The last announcement again, in the language just chosen (found by an outside tester: it stayed in the other one). */
export function announceAgain(): void {
  if (announced) announce(announced);
}

// ---------------------------------------------------------------- marks

/** A v4 UUID; crypto.randomUUID where the page is a secure context, the same from getRandomValues elsewhere. */
export function newKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map(x => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export async function enterMark(competitorId: string, aspect: Aspect, value: MarkValue): Promise<void> {
  if (!st.session) return;
  // The answer on file again is no change, whoever entered it: this tablet, or another (the group's measurement, this
  // expert's score from another tablet); a value the server does not hold is (also the tablet's own earlier one, after a
  // newer entry from elsewhere replaced it there). Found by an outside tester: tapping the group's value sent a mark, and
  // the server recorded a change that changed nothing.
  const view = viewNow(competitorId, aspect);
  if (!view.refused && view.onFile && sameMark(aspect, view.onFile, value)) return;
  const mark: MarkRecord = {
    key: newKey(),
    competitionCode: st.session.competitionCode,
    skillNumber: st.session.skillNumber,
    expertId: st.session.expertId,
    deviceId: st.session.deviceId,
    competitorId,
    aspectId: aspect.id,
    value,
    ...(aspect.bands?.length ? { bands: aspect.bands } : {}),
    // The server's time as the tablet knows it, not the tablet's own clock (clock.ts).
    createdAt: serverNow(),
    ...(unresolvedDrift() ? { unsettled: unresolvedDrift(), tabletClock: Date.now() } : {}),
    ...(answered() ? {} : { beforeAnswer: { page: pageId, tabletClock: Date.now() } }),
    state: 'pending',
    attempts: 0,
  };
  // Back to the value the server holds while this tablet's change of it waits unsent and untried: the change is withdrawn
  // and nothing is sent, so the server records no change that changed nothing (found by an outside tester: an offline tap
  // away and back sent the value on file, and the audit said "not achieved -> not achieved"). The tap is kept withheld: the
  // next sheet read settles it, and sends it if the server holds another value by then (another outside tester: a
  // colleague's entry the tablet had not seen yet won over the judge's later tap, silently).
  if (view.held && sameMark(aspect, view.held, value) && await store.withholdUntried(mark)) {
    noteWithheld(mark.key);
    st.marks = await store.allMarks();
    render();
    scheduleSheetRefresh(competitorId);
    return;
  }
  // Durable first: the mark is on the tablet before anything else happens.
  await store.recordMark(mark, outbox.inFlight);
  st.marks = await store.allMarks();
  render();
  outbox.kick();
}

export function mergeAnswer(competitorId: string, answer: MarksAnswer, mark: MarkRecord): void {
  const sheet: OwnSheet = st.sheets.get(competitorId) ?? { competitorId, aspects: [], version: 0, criterionTotals: {} };
  for (const a of answer.aspects) {
    let own = sheet.aspects.find(x => x.aspectId === a.aspectId);
    if (!own) {
      own = { aspectId: a.aspectId, complete: false, spreadViolation: false, scoresReceived: 0, ownScore: null, measurement: null, mark: null, ownMeasurement: false };
      sheet.aspects.push(own);
    }
    own.complete = a.complete;
    own.scoresReceived = a.scoresReceived;
    own.mark = a.complete ? a.mark : null;
    if (a.aspectId === mark.aspectId && 'score' in mark.value && mark.state === 'sent') {
      own.ownScore = mark.value.score;
      own.spreadViolation = false;
    } else if (a.aspectId === mark.aspectId && mark.state === 'sent') own.ownMeasurement = true;
  }
  st.sheets.set(competitorId, sheet);
  // Still the read it came from, with one answer merged in: stored as of that read.
  void store.saveSheet(sheet, sheetAskedTime(competitorId));
}

export const sheetTimers = new Map<string, ReturnType<typeof setTimeout>>();

export function scheduleSheetRefresh(competitorId: string): void {
  clearTimeout(sheetTimers.get(competitorId));
  sheetTimers.set(competitorId, setTimeout(() => void refreshSheet(competitorId), 400));
}

/** Every competitor's sheet, so the list shows own and group progress before any sheet is opened. */
export async function refreshAllSheets(): Promise<void> {
  if (!st.session || !st.assignment) return;
  for (const c of st.assignment.competitors) {
    try {
      const asked = askingSheet();
      const sheet = await call<OwnSheet>('GET', `/api/me/sheet/${encodeURIComponent(c.id)}`, st.session.token);
      if (applySheet(sheet, asked)) {
        await store.saveSheet(sheet, asked.at);
        await settleWithheld(sheet, asked);
      }
    } catch (e) {
      if (e instanceof RevokedError) { void signOut(() => t('pair.revoked')); return; }
      break; // offline or refused: the cached st.sheets stay
    }
  }
  render();
}

export async function refreshSheet(competitorId: string): Promise<void> {
  if (!st.session) return;
  try {
    const asked = askingSheet();
    const sheet = await call<OwnSheet>('GET', `/api/me/sheet/${encodeURIComponent(competitorId)}`, st.session.token);
    if (!applySheet(sheet, asked)) return;
    await store.saveSheet(sheet, asked.at);
    await settleWithheld(sheet, asked);
    render();
  } catch (e) {
    if (e instanceof RevokedError) void signOut(() => t('pair.revoked'));
  }
}

/** The withheld marks a sheet read settles (state.ts, withheldToSettle): sent when the server holds another value, else dropped. */
async function settleWithheld(sheet: OwnSheet, asked: SheetAsk): Promise<void> {
  let send = false;
  for (const { mark, send: toSend } of withheldToSettle(sheet, asked)) {
    const settled = await store.moveMark(mark.key, 'withheld', toSend ? 'pending' : 'superseded');
    if (settled) replaceMark(settled);
    send ||= !!settled && toSend;
  }
  if (send) outbox.kick();
}

export function exportUnsent(): void {
  const list = unsent();
  const payload = {
    exportedAt: new Date().toISOString(),
    note: 'SkillsHub judge tablet: marks not accepted by the server. Each keeps its Idempotency-Key, so importing one twice counts once.',
    marks: list.map(m => ({
      idempotencyKey: m.key, competitionCode: m.competitionCode, skillNumber: m.skillNumber, expertId: m.expertId, deviceId: m.deviceId,
      competitorId: m.competitorId, aspectId: m.aspectId, ...m.value, enteredAt: new Date(m.createdAt).toISOString(), state: m.state,
      refusal: m.refusal?.detail,
    })),
  };
  const blob = new Blob([JSON.stringify(payload, null, 2)], { type: 'application/json' });
  const a = el('a');
  a.href = URL.createObjectURL(blob);
  a.download = `skillshub-unsent-marks-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(a.href);
    a.remove();
  }, 1000);
}
