import { currentLang } from '../i18n';
import { get, type AuditRow, type Competitor, type ContestantSheet, type Scheme, type SchemeAspect } from './api';
import { h, table, fmtTime } from './dom';
import { t } from './strings';
import { actionText, outcomeText, reasonText, valueText, type Bands } from './audit-text';
import { type Ctx, scrollBox } from './context';

// The marking page's progress grid: its columns (the scheme's criteria), each cell's state, and a cell's details with
// its audit rows (docs/pages.md, "Console").

export interface Column { id: string; name: string; aspects: SchemeAspect[] }
export type CellState = 'complete' | 'incomplete' | 'spread' | 'empty';

export function columnsOf(scheme: Scheme | null, sheets: Map<string, ContestantSheet>): Column[] {
  if (scheme) return scheme.criteria.map((c) => ({ id: c.id, name: c.name, aspects: c.subCriteria.flatMap((s) => s.aspects) }));
  // Without a scheme (none imported yet, or one this role may not read): criteria come from the sheets' totals.
  const ids = new Set<string>();
  for (const s of sheets.values()) Object.keys(s.criterionTotals).forEach((k) => ids.add(k));
  return [...ids].sort().map((id) => ({ id, name: id, aspects: [] }));
}

export function cellOf(column: Column, sheet: ContestantSheet | undefined): { state: CellState; done: number; total: number } {
  const marked = (sheet?.aspects ?? []).filter((a) => column.aspects.length ? column.aspects.some((x) => x.id === a.aspectId) : a.aspectId.startsWith(column.id));
  const total = column.aspects.length || marked.length;
  const done = marked.filter((a) => a.complete).length;
  const state: CellState = marked.some((a) => a.spreadViolation) ? 'spread' : marked.length === 0 ? 'empty' : done === total && total > 0 ? 'complete' : 'incomplete';
  return { state, done, total };
}

/** An audit row's value, or its old and new values, in words; a row about one aspect reads that aspect's bands. */
function auditValue(r: AuditRow, bandsOf: (id: string) => Bands | undefined): string {
  const aspect = r.aspectIds?.length === 1 ? r.aspectIds[0] : undefined;
  const text = (value: string) => valueText(value, aspect, bandsOf);
  return r.oldValue ? `${text(r.oldValue)} → ${text(r.newValue ?? '')}` : text(r.newValue ?? '');
}

export async function cellDetails(ctx: Ctx, path: string, competitor: Competitor, column: Column, sheet: ContestantSheet | undefined, close: () => void): Promise<HTMLElement> {
  const aspectIds = column.aspects.length ? column.aspects.map((a) => a.id) : (sheet?.aspects ?? []).filter((a) => a.aspectId.startsWith(column.id)).map((a) => a.aspectId);
  // A row about several aspects (a refused batch) comes back under each of them: shown once.
  const audits = [...new Map((await Promise.all(aspectIds.map((id) =>
    get<AuditRow[]>(`${path}/audit?competitor=${encodeURIComponent(competitor.id)}&aspect=${encodeURIComponent(id)}`)))).flat().map((r) => [r.id, r])).values()];
  audits.sort((a, b) => a.at.localeCompare(b.at) || a.id - b.id);
  const lang = currentLang();
  const bandsOf = (id: string) => column.aspects.find((a) => a.id === id)?.bands ?? undefined;
  const rows = aspectIds.map((id) => {
    const scheme = column.aspects.find((a) => a.id === id);
    const a = sheet?.aspects.find((x) => x.aspectId === id);
    const state = !a ? t('progress.legend.empty') : a.spreadViolation ? t('progress.legend.spread') : a.complete ? t('progress.legend.complete') : t('progress.legend.incomplete');
    return [
      h('span', {}, h('strong', {}, id), scheme ? h('span', { class: 'cmuted' }, ` ${scheme.description}`) : null),
      // M or J in words, in the page's language (found by an outside tester: the letters on the Chinese page).
      scheme?.type ? t(scheme.type === 'J' ? 'cell.typeJ' : 'cell.typeM') : '',
      a && a.scores.length ? h('span', { class: 'cscores' }, a.scores.map((s) => h('span', { class: 'cscore', 'data-expert': s.expertId }, `${s.expertId}: ${s.score}`))) : '—',
      a?.measurement ? `${valueText(a.measurement, id, bandsOf)}${a.lastExpertId ? ` (${a.lastExpertId})` : ''}` : '—',
      a?.mark !== null && a?.mark !== undefined ? a.mark.toFixed(2) : '—',
      h('span', { class: `cstate ${!a ? 'empty' : a.spreadViolation ? 'spread' : a.complete ? 'complete' : 'incomplete'}` }, state),
    ];
  });
  const closeButton = h('button', { class: 'secondary', type: 'button', id: 'cell-close' }, t('cell.close'));
  closeButton.onclick = close;
  const panel = h('section', { class: 'cpanel ccell', id: 'cell-details', 'data-competitor': competitor.id, 'data-criterion': column.id },
    h('div', { class: 'crow cspread' }, h('h2', {}, t('cell.title', { competitor: `${competitor.id} ${competitor.name}`, criterion: `${column.id} ${column.name}` })), closeButton),
    scrollBox(table([t('cell.aspect'), t('cell.type'), t('cell.scores'), t('cell.measurement'), t('cell.mark'), t('cell.state')], rows), `${competitor.id} · ${column.id}`),
    h('h3', {}, t('cell.audit')),
    audits.length
      // The batch's Idempotency-Key tells a resend (no new row) from a second batch (a row with another key; found by an
      // outside tester: the trail did not show it). Whole, broken anywhere: two keys may differ only at their end.
      ? scrollBox(table([t('cell.at'), t('cell.aspect'), t('cell.actor'), t('cell.action'), t('cell.outcome'), t('cell.value'), t('cell.reason'), t('cell.key')],
          audits.map((r) => [fmtTime(r.at, lang), (r.aspectIds ?? []).join(', '), `${r.actor}${r.device ? ` · ${r.device.slice(0, 8)}` : ''}`, actionText(r.action),
            outcomeText(r.outcome), auditValue(r, bandsOf), reasonText(r.reason ?? '', r.outcome),
            r.key ? h('code', { class: 'ckey' }, r.key) : ''])), t('cell.audit'))
      : h('p', { class: 'cmuted' }, t('cell.noAudit')));
  // Escape closes it as the button does (found by an outside tester).
  panel.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    }
  });
  void ctx;
  return panel;
}
