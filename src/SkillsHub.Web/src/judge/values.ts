// How the judge app words and compares mark values: the server's plain form read back, a value in the expert's language,
// two values alike for an aspect (a banded measurement by its band).
import { bandHolding } from '../kernel/bands';
import { t } from './strings';
import type { Aspect, MarkValue } from './types';

/** Whether two values mark the aspect alike: the same band for a banded measurement, else the same value. */
export function sameMark(aspect: Aspect, a: MarkValue, b: MarkValue): boolean {
  if ('deviation' in a && 'deviation' in b && aspect.bands?.length) return bandHolding(aspect.bands, a.deviation) === bandHolding(aspect.bands, b.deviation);
  return sameValue(a, b);
}

export function describeValue(aspect: Pick<Aspect, 'bands'> | undefined, value: MarkValue): string {
  if ('achieved' in value) return value.achieved ? t('aspect.achieved') : t('aspect.notAchieved');
  if ('score' in value) return String(value.score);
  if ('deviation' in value) {
    // Without the scheme (a tablet reloaded after its pairing ended) the bands are unknown: the deviation as entered,
    // never "outside all bands" for a mark that is within one (found by an outside tester).
    if (!aspect?.bands?.length) return t('aspect.deviation', { deviation: value.deviation });
    const band = bandHolding(aspect.bands, value.deviation);
    return band ? bandText(band) : t('aspect.outOfBands');
  }
  return t('aspect.deductions', { list: value.deductions.join(' / ') });
}

/** A band's label: its own description when the scheme gives one (it already says "within ±x mm"). */
export function bandText(band: { within: number; description?: string }): string {
  return band.description ? band.description : t('aspect.within', { within: band.within });
}

/**
 * The server's value of an aspect ("achieved", "deviation 0.021", "deductions 1/2", "score 2": the
 * contestant sheet's plain form) in the expert's language.
 */
export function describeServerValue(aspect: Aspect | undefined, text: string): string {
  const value = recordedValue(text);
  if (value) return describeValue(aspect, value);
  const [kind, ...rest] = text.split(' ');
  if (kind === 'score') return t('aspect.score', { score: rest.join(' ') });
  return text;
}

/**
 * The group's recorded value of a measurement as a mark value (the contestant sheet's plain form: "achieved", "not
 * achieved", "deviation 0.021", "deductions 1/2"), or null for a form it does not know. {@link describeServerValue} words
 * it, and the controls start from it (found by an outside tester: the deduction counters started at 0 beside "Entered in
 * your group: Deductions 1", and one tap on Save overwrote it).
 */
export function recordedValue(text: string | null | undefined): MarkValue | null {
  if (!text) return null;
  if (text === 'achieved') return { achieved: true };
  if (text === 'not achieved') return { achieved: false };
  const [kind, arg = ''] = text.split(' ');
  if (kind === 'deviation' && arg !== '' && !Number.isNaN(Number(arg))) return { deviation: Number(arg) };
  if (kind === 'deductions' && /^\d+(\/\d+)*$/.test(arg)) return { deductions: arg.split('/').map(Number) };
  return null;
}

export function sameValue(a: MarkValue, b: MarkValue): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

