// A mark's audit row and a sheet's measurement in the console's language. The server writes them in a plain English form
// ("achieved", "score 2", "deductions 2/1", "accepted", "refused:OutOfRange"); a Chinese page shows them in Chinese (found
// by an outside tester: the cell's measurement and audit trail were English on the Chinese console).
import { currentLang } from '../i18n';
import { bandHolding } from '../kernel/bands';
import { problemTitle } from '../kernel/problems';

const zhValue: [RegExp, (m: RegExpExecArray) => string][] = [
  [/^achieved$/, () => '达标'],
  [/^not achieved$/, () => '未达标'],
  [/^no value$/, () => '无值'],
  [/^score (\S+)$/, (m) => `评分 ${m[1]}`],
  [/^deviation (\S+)$/, (m) => `偏差 ${m[1]}`],
  [/^deductions ?(.*)$/, (m) => `扣分 ${m[1]}`.trimEnd()],
];

/** A measurement aspect's tolerance bands, as its scheme gives them. */
export type Bands = readonly { within: number; description?: string }[];

/**
 * A deviation on an aspect with tolerance bands, in words: the smallest band that holds it ("within ±0.2"), or "outside all
 * bands". The judge app records a band pick as the band's limit and "outside all bands" as the widest limit plus 1, so the
 * figure itself was never measured (found by an outside tester: the cell read "deviation 1.2"); docs/scoring.md,
 * "Marking", band picks.
 */
function bandWords(deviation: number, bands: Bands): string {
  const band = bandHolding(bands, deviation);
  const zh = currentLang() === 'zh';
  if (!band) return zh ? '超出所有公差带' : 'outside all bands';
  return band.description || (zh ? `±${band.within} 以内` : `within ±${band.within}`);
}

function oneValue(text: string, bands: Bands | undefined): string {
  const deviation = /^deviation (\S+)$/.exec(text);
  if (deviation && bands?.length && !Number.isNaN(Number(deviation[1]))) return bandWords(Number(deviation[1]), bands);
  if (currentLang() !== 'zh') return text;
  for (const [pattern, zh] of zhValue) {
    const m = pattern.exec(text);
    if (m) return zh(m);
  }
  return text;
}

/**
 * A value as the server writes it: one ("score 2"), or a batch's, mark by mark ("A1.1 achieved; A1.2 score 9"). `aspect` is
 * the aspect a single value belongs to; `bandsOf` gives an aspect's tolerance bands, if it has any.
 */
export function valueText(text: string, aspect?: string, bandsOf?: (aspect: string) => Bands | undefined): string {
  const parts = text.split('; ');
  return parts.map((part) => {
    const whole = oneValue(part, aspect !== undefined && parts.length === 1 ? bandsOf?.(aspect) : undefined);
    if (whole !== part) return whole;
    const space = part.indexOf(' ');
    return space > 0 ? `${part.slice(0, space)} ${oneValue(part.slice(space + 1), bandsOf?.(part.slice(0, space)))}` : part;
  }).join(currentLang() === 'zh' ? '；' : '; ');
}

/** "OutOfRange" → the refusal's own text (marks.out-of-range), as the judge app shows it. */
const kindText = (kind: string) => problemTitle({ code: `marks.${kind.replace(/(?<=[a-z])(?=[A-Z])/g, '-').toLowerCase()}` }) || kind;

/** An audit row's outcome in words, in either language (found by an outside tester: English pages showed "refused:SpreadViolation"). */
export function outcomeText(outcome: string): string {
  const zh = currentLang() === 'zh';
  if (outcome === 'accepted') return zh ? '已接受' : 'Accepted';
  if (outcome === 'superseded') return zh ? '已被更新的评分取代' : 'Superseded by a newer mark';
  if (outcome.startsWith('refused:')) return `${zh ? '已拒绝：' : 'Refused: '}${outcome.slice('refused:'.length).split(',').map(kindText).join(zh ? '；' : '; ')}`;
  return outcome;
}

export const actionText = (action: string) => (action === 'mark' ? (currentLang() === 'zh' ? '评分' : 'Mark') : action);

const zhReasons: Record<string, string> = {
  'Created before the stored entry it would replace (this judge\u2019s score, or the aspect\u2019s measurement by any expert); nothing changed.':
    '早于其将替换的已存记录（本裁判的评分，或任一专家对该评分项的测量）；未作更改。',
};

/**
 * The server's fixed reasons in Chinese. A refused row's reason is a line per refused mark ("A1.2: Judge 'E-FR' gave…"):
 * in Chinese each line names its aspect and the refusal's text when the batch was refused for one kind of reason, or its
 * aspects alone when for several (the outcome names the kinds; the value column says what was sent).
 */
export function reasonText(reason: string, outcome: string): string {
  if (currentLang() !== 'zh') return reason;
  if (outcome.startsWith('refused:')) {
    const kinds = outcome.slice('refused:'.length).split(',');
    const aspects = reason.split('\n').map((line) => /^([^\s:]+): /.exec(line)?.[1]).filter((a): a is string => !!a);
    if (kinds.length === 1) return aspects.length > 0 ? aspects.map((a) => `${a}：${kindText(kinds[0])}`).join('\n') : kindText(kinds[0]);
    return aspects.join('、');
  }
  return zhReasons[reason.replace(/'/g, '\u2019')] ?? reason;
}
