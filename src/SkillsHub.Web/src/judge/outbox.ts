// The outbox: sends marks that are still only on the tablet, oldest first, one mark per batch, each
// with the idempotency key it got when it was entered, so a resend after a lost answer counts once.
// Network trouble backs off (1s, 2s, 4s … 60s, jittered) and resumes at once when the browser is online.
import { call, RefusedError, RevokedError } from './net';
import { answered, settledStamp, stampBeforeAnswer, unresolvedDrift } from './clock';
import { allMarks, getSession, markTried, putMark, type MarkRecord, type Session } from './store';
import type { MarksAnswer } from './types';
import type { Body } from '../api-types';

export interface OutboxEvents {
  changed(mark: MarkRecord, answer?: MarksAnswer): void;
  /** True when a queued mark is held back rather than sent (withheld: it would change nothing as far as the page knows). */
  holdsBack(mark: MarkRecord): Promise<boolean>;
  revoked(): void;
  status(state: { sending: boolean; retryAt: number | null; lastError: string | null }): void;
}

export function belongsTo(mark: MarkRecord, session: Session): boolean {
  return mark.expertId === session.expertId && mark.competitionCode === session.competitionCode && mark.skillNumber === session.skillNumber;
}

export class Outbox {
  inFlight: string | null = null;
  private running = false;
  private again = false;
  private failures = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private retryAt: number | null = null;
  private lastError: string | null = null;

  constructor(private readonly events: OutboxEvents) {
    window.addEventListener('online', () => this.now());
  }

  /** Forget the backoff and try right away (network back, or the expert pressed "send now"). */
  now(): void {
    this.failures = 0;
    this.kick();
  }

  /**
   * Forgets the network trouble and any retry (the tablet signed out): the server did answer, with a 401, so the bar must
   * not go on saying there was no answer (found by an outside tester).
   */
  reset(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.retryAt = null;
    this.failures = 0;
    this.lastError = null;
    this.report();
  }

  kick(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
      this.retryAt = null;
    }
    if (this.running) {
      this.again = true;
      return;
    }
    // One sender per tablet even with several tabs open (the idempotency key would make a double
    // send harmless, but one queue keeps the order of an expert's corrections).
    if ('locks' in navigator) void navigator.locks.request('skillshub-judge-outbox', () => this.run());
    else void this.run();
  }

  private report(): void {
    this.events.status({ sending: this.inFlight !== null, retryAt: this.retryAt, lastError: this.lastError });
  }

  private async run(): Promise<void> {
    this.running = true;
    try {
      do {
        this.again = false;
        const session = await getSession();
        if (!session) return;
        const pending = (await allMarks()).filter(m => m.state === 'pending' && belongsTo(m, session));
        for (const queued of pending) {
          if (await this.events.holdsBack(queued)) continue;
          // Read again and marked as tried before it goes out, in one transaction with the check that it is still to be
          // sent: a mark withdrawn meanwhile (marks.ts, enterMark) is not sent, and one that may have reached the server
          // is never withdrawn.
          const mark = await markTried(queued.key);
          if (!mark) continue;
          const outcome = await this.send(mark, session);
          if (outcome === 'stop') return;
        }
      } while (this.again);
    } finally {
      this.running = false;
      this.inFlight = null;
      this.report();
    }
  }

  private async send(mark: MarkRecord, session: Session): Promise<'next' | 'stop'> {
    this.inFlight = mark.key;
    this.report();
    const url = `/api/competitions/${encodeURIComponent(mark.competitionCode)}/skills/${mark.skillNumber}/marks`;
    try {
      // A stamp not settled yet is settled by an answer of the server first (judge/clock.ts), asked for unless this page has
      // had one since (after a reload it has none), and kept before the mark is sent. No answer (offline): the mark waits as
      // any unsent one does. Two cases: a mark entered before its page had an answer, stamped from an offset an earlier page
      // measured, which a clock set since makes wrong; and one entered after the tablet's clock ran on past the page's
      // monotonic one, where the answer says whether the tablet slept or its clock was set.
      if (mark.beforeAnswer || mark.unsettled) {
        if ((mark.unsettled && unresolvedDrift()) || !answered()) await call('GET', '/api/auth/me', session.token);
        const { beforeAnswer, unsettled } = mark;
        let createdAt = beforeAnswer ? stampBeforeAnswer(mark.createdAt, beforeAnswer.page, beforeAnswer.tabletClock) : mark.createdAt;
        if (unsettled) createdAt = settledStamp(createdAt, unsettled, mark.tabletClock);
        mark = { ...mark, createdAt, beforeAnswer: undefined, unsettled: undefined, tabletClock: undefined };
        await putMark(mark);
      }
      const body: Body<'/api/competitions/{code}/skills/{number}/marks'> = {
        competitorId: mark.competitorId,
        marks: [{ aspectId: mark.aspectId, ...mark.value }],
        // The tablet's stamp: a late resend of an older mark never overwrites a newer one on the server.
        createdAt: new Date(mark.createdAt).toISOString(),
        deviceSequence: mark.sequence,
      };
      const answer = await call<MarksAnswer>('POST', url, session.token, body, { 'Idempotency-Key': mark.key });
      const aspect = answer.aspects.find(a => a.aspectId === mark.aspectId);
      const state = answer.outcome === 'superseded' ? 'superseded' : 'sent';
      const sent: MarkRecord = { ...mark, state, sentAt: Date.now(), attempts: mark.attempts + 1, answer: aspect, replayed: answer.replayed, lastError: undefined };
      await putMark(sent);
      this.failures = 0;
      this.lastError = null;
      this.inFlight = null;
      this.events.changed(sent, answer);
      return 'next';
    } catch (e) {
      if (e instanceof RevokedError) {
        this.lastError = null;
        this.failures = 0;
        this.events.revoked();
        return 'stop';
      }
      if (e instanceof RefusedError) {
        const p = e.problem;
        const refusal = {
          status: e.status,
          kind: p.kind,
          code: p.code,
          title: p.title,
          detail: p.detail ?? p.title ?? `HTTP ${e.status}`,
          scores: p.scores ?? p.refusals?.find(r => r.aspectId === mark.aspectId)?.scores,
        };
        const refused: MarkRecord = { ...mark, state: 'refused', attempts: mark.attempts + 1, refusal };
        await putMark(refused);
        this.inFlight = null;
        this.events.changed(refused);
        return 'next';
      }
      // Transient: keep the mark exactly as it is (same key) and come back later.
      this.failures++;
      this.lastError = e instanceof Error ? e.message : String(e);
      await putMark({ ...mark, attempts: mark.attempts + 1, lastError: this.lastError });
      const delay = Math.min(60000, 1000 * 2 ** (this.failures - 1)) * (0.75 + Math.random() * 0.25);
      this.retryAt = Date.now() + delay;
      this.timer = setTimeout(() => {
        this.timer = null;
        this.retryAt = null;
        this.kick();
      }, delay);
      return 'stop';
    } finally {
      this.inFlight = null;
    }
  }
}
