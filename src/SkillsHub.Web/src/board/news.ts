// What changed on a board, said to a screen reader (docs/pages.md, "Accessibility"): the table shows each move with an arrow and
// words in its rank cell, which a reader finds only by walking the table again (found by an outside tester). A polite live
// region says the largest moves up, or a skill's new leader, in one short sentence, at most one every few seconds: a burst
// of marks becomes one message about where things stand, not a queue of stale ones.
import { currentLang } from '../i18n';
import { t } from './strings';
import { skillName, type Results, type Standings } from './view';
import type { CompetitionDetails } from '../api';

/** The shortest time between two messages; a change within it is said (as the latest state) when it ends. */
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
  const was = new Map(before.leaders.map((l) => [l.skillNumber, l.competitorId]));
  const changed = next.leaders.filter((l) => l.competitorId !== null && l.name !== null && was.has(l.skillNumber) && was.get(l.skillNumber) !== l.competitorId);
  if (changed.length === 0) return null;
  return sentence(changed.slice(0, byName).map((l) => t('news.leader', { skill: skillName(competition, l.skillNumber), name: l.name ?? '' })), changed.length, 'news.leaders.more');
}

/** The changes said by name (the first two of `total`), then how many more: one message, however many changed. */
function sentence(named: string[], total: number, more: 'news.more' | 'news.leaders.more'): string {
  return [...named, ...(total > named.length ? [t(more, { n: total - named.length })] : [])].join(currentLang() === 'zh' ? '' : ' ');
}

/** The results just read, after saying which skills have a new leader when the medal table and leaders are shown. */
export function withLeadersNews(before: Results | null, next: Results, competition: CompetitionDetails | null, shown: boolean): Results {
  if (before && shown) announce(leadersNews(before, next, competition));
  return next;
}

let lastAt = -Infinity;
let waiting: string | null = null;
let timer: number | undefined;

/** Puts `text` in the board's live region now, or when the gap since the last message has passed (the latest text wins). */
export function announce(text: string | null): void {
  if (text === null) return;
  const region = document.getElementById('board-news');
  if (!region) return;
  const wait = lastAt + newsGapMs - Date.now();
  if (wait > 0) {
    waiting = text;
    timer ??= window.setTimeout(() => {
      timer = undefined;
      const latest = waiting;
      waiting = null;
      announce(latest);
    }, wait);
    return;
  }
  lastAt = Date.now();
  region.textContent = text;
}

/** Forgets a message not yet said (the board turned to another skill or the medal table). */
export function hush(): void {
  waiting = null;
}
