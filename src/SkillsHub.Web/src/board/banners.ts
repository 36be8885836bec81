// The boards' banners above a table (docs/pages.md, "Big screen"): a skill's state (published, frozen, hidden, not ranked,
// provisional), and on the competition's board whether its standings are provisional and who leads the Albert Vidal Award.
import { currentLang } from '../i18n';
import { el, withLanguageRuns } from '../kernel/dom';
import { t } from './strings';
import type { Results, Standings } from './view';

/** Winners of the Albert Vidal Award named on the hall screen; the others are counted. */
const screenNames = 3;

const provisional = () => el('div', 'banner provisional', t('banner.provisional'));

export function banner(s: Standings): HTMLElement | null {
  // Published and decided: results. A published skill whose marks were corrected down to no total above 0 has none
  // (docs/scoring.md, "Visibility"), and says what it is, not "published" (found by an outside tester).
  if (s.published && s.decided) return el('div', 'banner published', t('banner.published'));
  if (s.mode === 'Frozen' && !s.published) {
    const time = new Date(s.asOf).toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { hour: '2-digit', minute: '2-digit' });
    return el('div', 'banner frozen', t('banner.frozen', { time }));
  }
  if (s.mode === 'Hidden' && !s.published) return el('div', 'banner hidden', t('banner.hidden'));
  // Before anyone scores, everyone stands at 700 in place 1, placeholders rather than results (docs/scoring.md,
  // "Results"): said so, and the table shows no place or scaled score (found by an outside tester: a skill without a mark
  // read as a five-way tie for first, while its leaders card said "no standings yet").
  if (!s.decided && s.rows.length > 0) return el('div', 'banner hidden', t('banner.unranked'));
  // Live and not published: places and medals may still change (found by a usability tester: gold and silver badges with
  // judges' scores still missing, and nothing said so).
  if (s.rows.length > 0) return provisional();
  return null;
}

/**
 * The competition's banners: "provisional" while a skill with standings that spectators see is not published (its medals
 * count in the table), and the Albert Vidal Award's leaders. The hall screen names the first few and counts the others: with
 * sixteen tied, every name made the banner eleven lines and left the medal table no room (found by an outside tester).
 */
export function resultsBanners(results: Results, screen: boolean): HTMLElement[] {
  const banners: HTMLElement[] = [];
  if (results.leaders.some((l) => l.competitorId !== null && !l.published && l.mode !== 'Hidden')) banners.push(provisional());
  const winners = results.albertVidal;
  if (winners.length > 0) {
    const named = screen ? winners.slice(0, screenNames) : winners;
    // Listed the Chinese way on a Chinese page (full-width brackets, 、 between names; found by an outside tester).
    const zh = currentLang() === 'zh';
    let names = named.map((w) => zh ? `${w.name}（${w.memberCode}，${w.scaled}）` : `${w.name} (${w.memberCode},\u00a0${w.scaled})`).join(zh ? '、' : ', ');
    if (named.length < winners.length) names = t('albert.more', { names, n: winners.length - named.length });
    const albert = el('div', 'banner published award');
    albert.append(...withLanguageRuns(t('albert', { names })));
    banners.push(albert);
  }
  return banners;
}
