// What changed on a board, said to a screen reader (docs/pages.md, "Accessibility"): the table shows each move with an arrow and
// words in its rank cell, which a reader finds only by walking the table again (found by an outside tester). A polite live
// region says the largest moves up, or a skill's new leader, in one short sentence, at most one every few seconds: a burst
// of marks becomes one message about where things stand, not a queue of stale ones.
import { currentLang } from '../i18n';
import { t } from './strings';
import { skillName, type Results, type Standings } from './view';
import type { CompetitionDetails } from '../api';

/** The shortest time between two messages; the changes within it are said together (as the latest state) when it ends. */
export const newsGapMs = 5000;
const byName = 2;

/** The moves up from `before` to `next`, best place first: at most two by name, then how many more. */
export function movesNews(before: Standings, next: Standings): string | null {
  if (!next.decided) return null;
  const places = new Map(before.rows.map((r) => [r.competitorId, r.place]));
  const up = next.rows.filter((r) => (places.get(r.competitorId) ?? r.place) > r.place).sort((a, b) => a.place - b.place);
  if (up.length === 0) return null;
  return sentence(up.slice(0, byName).map((r) => t('news.up', { name: r.name, n: places.get(r.competitorId)! - r.place, place: r.place })), up.length, 'news.more');
}

/** Each skill whose leader is someone else than before (a first leader too), by name. */
export function leadersNews(before: Results, next: Results, competition: CompetitionDetails | null): string | null {
  // A skill has as many leaders as share its first place: one is new when they were not among the skill's leaders before
  // (found by an outside tester: with two tied, the board said "New leader" at every load, comparing one with the other).
  const was = new Map<number, Set<string | null>>();
  for (const l of before.leaders) was.set(l.skillNumber, (was.get(l.skillNumber) ?? new Set()).add(l.competitorId));
  const changed = next.leaders.filter((l) => l.competitorId !== null && l.name !== null && was.has(l.skillNumber) && !was.get(l.skillNumber)!.has(l.competitorId));
  if (changed.length === 0) return null;
  return sentence(changed.slice(0, byName).map((l) => t('news.leader', { skill: skillName(competition, l.skillNumber), name: l.name ?? '' })), changed.length, 'news.leaders.more');
}

/** The changes said by name (the first two of `total`), then how many more: one message, however many changed. */
function sentence(named: string[], total: number, more: 'news.more' | 'news.leaders.more'): string {
  return [...named, ...(total > named.length ? [t(more, { n: total - named.length })] : [])].join(currentLang() === 'zh' ? '' : ' ');
}

/** The results just read, after saying which skills have a new leader when the medal table and leaders are shown. */
export function withLeadersNews(before: Results | null, next: Results, competition: CompetitionDetails | null, shown: boolean): Results {
  if (before && shown) announceChange(before, next, (b, n) => leadersNews(b, n, competition));
  return next;
}

let lastAt = -Infinity;
let timer: number | undefined;
/**
 * The change waiting for the end of a window: what was on the board when the window's first change came (what the last
 * message left said), the latest state, and how to say the difference. Said as a whole when the window ends, so a
 * competitor moved up by an earlier update of the window is said too, not only the movers of its last update (found by an
 * outside tester: 51st to 18th, never said); one moved up and back down within it is not.
 */
let waiting: { base: unknown; latest: unknown; say: (before: never, next: never) => string | null } | null = null;

/** Says the change from `before` to `next` now, or, within 5 s of the last message, with the window's other changes when it ends. */
export function announceChange<T>(before: T, next: T, say: (before: T, next: T) => string | null): void {
  const wait = lastAt + newsGapMs - Date.now();
  if (wait <= 0) return announce(say(before, next));
  if (waiting) waiting.latest = next;
  else waiting = { base: before, latest: next, say: say as (before: never, next: never) => string | null };
  timer ??= window.setTimeout(() => {
    timer = undefined;
    const change = waiting;
    waiting = null;
    if (change) announceChange(change.base as never, change.latest as never, change.say);
  }, wait);
}

/** Puts `text` in the board's live region now (the caller keeps to the gap: announceChange). */
function announce(text: string | null): void {
  const region = document.getElementById('board-news');
  if (text === null || !region) return;
  lastAt = Date.now();
  region.textContent = text;
}

/** Forgets a change not yet said (the board turned to another skill or the medal table: board.ts calls it at each turn). */
export function hush(): void {
  waiting = null;
}
