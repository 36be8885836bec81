import { t } from './strings';
import type { Results } from './view';

/**
 * The hall screen's turns (docs/pages.md, "Big screen"): each skill with a leader, then the medal table, one every
 * `seconds`. Competitors tied first are each a leader of their skill, and the skill takes one turn (found by an outside
 * tester: four tied leaders gave one skill four turns in a row, and "1 / 7 skills" for 4).
 */
export class Rotation {
  /** The turn shown: a skill's place in `skills()`, or their count for the medal table; -1 before the first turn. */
  index = 0;
  private nextSwitch: number;

  constructor(private readonly seconds: number, private readonly results: () => Results | null) {
    this.nextSwitch = Date.now() + seconds * 1000;
  }

  skills(): number[] {
    return [...new Set((this.results()?.leaders ?? []).filter((l) => l.competitorId !== null).map((l) => l.skillNumber))];
  }

  /** The countdown line; while the medal table is shown it names the table, not a skill. */
  text(showingSkill: boolean): string {
    const seconds = Math.max(0, Math.round((this.nextSwitch - Date.now()) / 1000));
    return showingSkill ? t('rotation', { index: this.index + 1, count: this.skills().length, seconds }) : t('rotation.medals', { seconds });
  }

  /** Starts the countdown to the next turn again. */
  restart(): void {
    this.nextSwitch = Date.now() + this.seconds * 1000;
  }

  /** Moves to the next turn: the skill to show, or null for the medal table (all there is when no skill has a leader). */
  advance(): number | null {
    const skills = this.skills();
    this.index = (this.index + 1) % (skills.length + 1);
    return this.index === skills.length ? null : skills[this.index];
  }

  /** The medal table's turn, taken out of order (the skill shown has no leader any more). */
  toMedals(): void {
    this.index = this.skills().length;
  }
}
