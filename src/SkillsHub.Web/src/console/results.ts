import { download, get, saveBlob, type MemberReport } from './api';
import { toSafeCsv } from './csv';
import { h, table } from './dom';
import { t } from './strings';
import { currentLang } from '../i18n';
import { type Ctx, section, messageOf, errorLine, emptyNote, scrollBox } from './context';

const kinds = ['alphabetical', 'total-medal-points', 'average-medal-points', 'total-scaled', 'average-scaled'] as const;

function reportRows(report: MemberReport, all: boolean): { head: string[]; rows: (string | number)[][] } {
  const head = [t('report.rank'), t('report.member'), t('report.name'), t('report.skills'), t('report.gold'), t('report.silver'), t('report.bronze'),
    t('report.medallions'), t('report.points'), t('report.avgPoints'), t('report.totalScaled'), t('report.avgScaled')];
  const rows = report.rows.filter((r) => all || r.standing.skillsEntered > 0).map(({ rank, standing: s }) => [rank ?? '', s.memberCode, currentLang() === 'zh' && s.nameZh ? s.nameZh : s.name, s.skillsEntered, s.gold, s.silver, s.bronze, s.medallions,
    s.medalPoints, s.averageMedalPoints.toFixed(2), s.totalScaled, s.averageScaled.toFixed(2)]);
  return { head, rows };
}

export async function resultsPage(ctx: Ctx): Promise<HTMLElement> {
  if (!ctx.code) return h('p', { class: 'cmuted' }, t('picker.none'));
  const code = ctx.code;
  const csv = h('button', { class: 'primary', type: 'button', id: 'results-csv' }, t('results.csv'));
  csv.onclick = () => download(`/api/competitions/${encodeURIComponent(code)}/results.csv`, `${code}-results.csv`).catch((e) => ctx.toast(messageOf(e), true));
  const tabs = h('div', { class: 'ctabs', role: 'tablist' });
  const body = h('div', { id: 'report', role: 'tabpanel' });
  // Reports list every member; by default only those who entered a skill in this competition.
  const showAll = h('input', { type: 'checkbox', id: 'report-all' });
  // The report shown stays shown when the section is drawn again (a language switch; found by an outside tester).
  const kept = ctx.keep('report', () => ({ kind: 'total-medal-points' as (typeof kinds)[number] }));
  let current = kept.kind;
  showAll.onchange = () => void show(current);
  const show = async (kind: (typeof kinds)[number]) => {
    current = kept.kind = kind;
    // Tabs as the pattern has them: the chosen one is the one Tab stop, the arrows move between them (found by an outside
    // tester: five Tab stops and arrows that did nothing), and the panel is named by it.
    for (const b of tabs.querySelectorAll('button')) {
      b.setAttribute('aria-selected', String(b.dataset.kind === kind));
      b.tabIndex = b.dataset.kind === kind ? 0 : -1;
    }
    body.setAttribute('aria-labelledby', `tab-${kind}`);
    try {
      const report = await get<MemberReport>(`/api/competitions/${encodeURIComponent(code)}/reports/${kind}`);
      const { head, rows } = reportRows(report, showAll.checked);
      const save = h('button', { class: 'secondary', type: 'button', id: 'report-csv' }, t('report.download'));
      save.onclick = () => saveBlob(new Blob(['\uFEFF' + toSafeCsv([head, ...rows])], { type: 'text/csv;charset=utf-8' }), `${code}-${kind}.csv`);
      body.replaceChildren(h('div', { class: 'crow cspread' }, h('h3', {}, t(`report.${kind}`)), h('span', { class: 'crow' }, h('label', { class: 'cshowall' }, showAll, t('report.all')), save)),
        rows.length ? scrollBox(table(head, rows, 'ctable creport'), t(`report.${kind}`)) : emptyNote(ctx, t('report.empty')));
      body.dataset.kind = kind;
    } catch (e) {
      body.replaceChildren(errorLine(e));
    }
  };
  for (const kind of kinds) {
    const b = h('button', { type: 'button', role: 'tab', class: 'ctab', 'data-kind': kind, id: `tab-${kind}`, 'aria-controls': 'report' }, t(`report.${kind}`));
    b.onclick = () => void show(kind);
    tabs.append(b);
  }
  tabs.onkeydown = (e) => {
    const at = kinds.indexOf(current);
    const next = e.key === 'ArrowRight' ? (at + 1) % kinds.length : e.key === 'ArrowLeft' ? (at + kinds.length - 1) % kinds.length
      : e.key === 'Home' ? 0 : e.key === 'End' ? kinds.length - 1 : null;
    if (next === null) return;
    e.preventDefault();
    tabs.querySelector<HTMLElement>(`#tab-${kinds[next]}`)?.focus();
    void show(kinds[next]!);
  };
  await show(current);
  return h('div', {}, section(t('results.title'), csv), section(t('results.reports'), tabs, body));
}
