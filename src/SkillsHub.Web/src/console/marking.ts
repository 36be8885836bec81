import { currentLang } from '../i18n';
import { drawUnlessPressed } from '../kernel/press';
import { api, get, skillPath, ProblemError, type AuditRow, type Competitor, type ContestantSheet, type LockInfo, type Scheme, type SchemeAspect, jurySkill } from './api';
import { h, table, fmtTime } from './dom';
import { pairingPanel } from './pairing';
import { followProgress } from './live';
import { t } from './strings';
import { actionText, outcomeText, reasonText, valueText, type Bands } from './audit-text';
import { type Ctx, section, messageOf, errorLine, emptyNote, scrollBox, reasonGiven } from './context';

interface Column { id: string; name: string; aspects: SchemeAspect[] }
type CellState = 'complete' | 'incomplete' | 'spread' | 'empty';

function columnsOf(scheme: Scheme | null, sheets: Map<string, ContestantSheet>): Column[] {
  if (scheme) return scheme.criteria.map((c) => ({ id: c.id, name: c.name, aspects: c.subCriteria.flatMap((s) => s.aspects) }));
  // Without a scheme (none imported yet, or one this role may not read): criteria come from the sheets' totals.
  const ids = new Set<string>();
  for (const s of sheets.values()) Object.keys(s.criterionTotals).forEach((k) => ids.add(k));
  return [...ids].sort().map((id) => ({ id, name: id, aspects: [] }));
}

function cellOf(column: Column, sheet: ContestantSheet | undefined): { state: CellState; done: number; total: number } {
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

async function cellDetails(ctx: Ctx, path: string, competitor: Competitor, column: Column, sheet: ContestantSheet | undefined, close: () => void): Promise<HTMLElement> {
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
      ? scrollBox(table([t('cell.at'), t('cell.aspect'), t('cell.actor'), t('cell.action'), t('cell.outcome'), t('cell.value'), t('cell.reason')],
          audits.map((r) => [fmtTime(r.at, lang), (r.aspectIds ?? []).join(', '), `${r.actor}${r.device ? ` · ${r.device.slice(0, 8)}` : ''}`, actionText(r.action),
            outcomeText(r.outcome), auditValue(r, bandsOf), reasonText(r.reason ?? '', r.outcome)])), t('cell.audit'))
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

function locksPanel(ctx: Ctx, path: string, scheme: Scheme | null, locks: LockInfo[]): HTMLElement {
  const lang = currentLang();
  const targets: { target: string; label: string }[] = [];
  for (const c of scheme?.criteria ?? []) targets.push({ target: c.id, label: t('lock.criterion', { id: `${c.id} ${c.name}` }) });
  const days = [...new Set((scheme?.criteria ?? []).flatMap((c) => c.subCriteria.flatMap((s) => s.aspects.map((a) => a.markingDay)).filter((d): d is string => !!d)))].sort();
  for (const d of days) targets.push({ target: d, label: t('lock.day', { day: d }) });
  for (const l of locks) if (!targets.some((x) => x.target === l.target)) targets.push({ target: l.target, label: l.target });
  const rows = targets.map(({ target, label }) => {
    const lock = locks.find((l) => l.target === target);
    const actions = h('span', { class: 'crow' });
    if (lock) {
      const reason = h('input', { name: 'reason', required: true, placeholder: t('lock.reason'), 'aria-label': t('lock.reason'), 'data-unlock-reason': target });
      const unlock = h('button', { class: 'secondary small', type: 'button', 'data-unlock': target }, t('lock.unlock'));
      unlock.onclick = async () => {
        if (!reasonGiven(reason, t('lock.needReason'))) return;
        try {
          await api('POST', `${path}/locks/${encodeURIComponent(target)}/unlock`, { reason: reason.value });
          ctx.toast(t('lock.undone', { target }));
          ctx.rerender(`[data-lock="${CSS.escape(target)}"]`);
        } catch (e) {
          ctx.toast(messageOf(e, { reason: t('lock.reason') }), true);
        }
      };
      // Enter in the reason sends it, as a form's field does (found by an outside tester: it did nothing).
      reason.onkeydown = (e) => { if (e.key === 'Enter') { e.preventDefault(); unlock.click(); } };
      actions.append(reason, unlock);
    } else {
      const button = h('button', { class: 'primary small', type: 'button', 'data-lock': target }, t('lock.lock'));
      button.onclick = async () => {
        if (!confirm(t('lock.confirm', { target }))) return;
        try {
          await api('POST', `${path}/locks`, { target });
          ctx.toast(t('lock.done', { target }));
          ctx.rerender(`[data-unlock-reason="${CSS.escape(target)}"]`);
        } catch (e) {
          ctx.toast(messageOf(e), true);
        }
      };
      actions.append(button);
    }
    return [h('span', { 'data-target': target, 'data-locked': String(!!lock) }, lock ? '🔒 ' : '', label),
      // Each column has its header on screen, and an unlocked row says so (an outside tester: a bare "—" under no header).
      lock ? t('lock.by', { who: lock.lockedBy, at: fmtTime(lock.lockedAt, lang) }) : t('lock.open'), actions];
  });
  return section(t('lock.title'), rows.length ? scrollBox(table([t('lock.col.target'), t('lock.col.state'), t('lock.col.actions')], rows, 'ctable clocks'), t('lock.title')) : emptyNote(ctx, t('lock.none'), true));
}

/**
 * Shows the progress grid, keeping every row that has not changed: pushes redraw the grid while the Chief Expert may be
 * pressing a cell, and a cell replaced between the press and the release loses the click. A changed row (or a new
 * grid) under a press is drawn right after the release (kernel/press.ts; docs/pages.md, "Drawing under a finger").
 */
function showGrid(slot: HTMLElement, next: HTMLTableElement): void {
  const shown = slot.firstElementChild;
  const rows = [...next.tBodies[0].rows];
  if (!(shown instanceof HTMLTableElement) || !shown.tHead?.isEqualNode(next.tHead) || shown.tBodies[0].rows.length !== rows.length) {
    drawUnlessPressed(slot, 'progress-grid', () => slot.replaceChildren(next));
    return;
  }
  [...shown.tBodies[0].rows].forEach((row, i) => {
    if (!row.isEqualNode(rows[i])) {
      drawUnlessPressed(row, `progress-row-${i}`, () => {
        // A cell with the focus keeps it in the row drawn in its place (found by an outside tester: it fell to the page).
        const focused = row.contains(document.activeElement) ? (document.activeElement as HTMLElement).closest('td')?.dataset.criterion : undefined;
        row.replaceWith(rows[i]);
        if (focused !== undefined) rows[i].querySelector<HTMLElement>(`td[data-criterion="${CSS.escape(focused)}"] button`)?.focus({ preventScroll: true });
      });
    }
  });
}

export async function markingPage(ctx: Ctx): Promise<HTMLElement> {
  if (!ctx.code || !ctx.skill) return h('p', { class: 'cmuted' }, t('import.needSkill'));
  const path = skillPath(ctx.code, ctx.skill);
  const [skill, competitors, schemeOrNull] = await Promise.all([
    jurySkill(path),
    get<Competitor[]>(`${path}/competitors`),
    get<Scheme>(`${path}/scheme`).catch((e) => (e instanceof ProblemError && (e.status === 404 || e.status === 403) ? e.status : Promise.reject(e))),
  ]);
  const scheme = typeof schemeOrNull === 'number' ? null : schemeOrNull;
  // No competitors: nothing to mark, so a note instead of an empty grid; no scheme: a note above the competitors' rows.
  const emptyGrid = competitors.length === 0 ? emptyNote(ctx, t(schemeOrNull === 404 ? 'progress.noCompetitorsNorScheme' : 'progress.noCompetitors'), true) : null;
  const schemeNote = emptyGrid ? null : schemeOrNull === 403 ? h('p', { class: 'cmuted' }, t('progress.schemeHidden')) : schemeOrNull === 404 ? emptyNote(ctx, t('progress.noScheme'), true) : null;
  const sheets = new Map<string, ContestantSheet>();
  await Promise.all(competitors.map(async (c) => sheets.set(c.id, await get<ContestantSheet>(`${path}/competitors/${encodeURIComponent(c.id)}/sheet`))));

  const live = h('span', { class: 'clive', id: 'live', 'data-state': 'connecting' }, t('progress.connecting'));
  const updated = h('span', { class: 'cmuted', id: 'updated' });
  const grid = h('div', {});
  const details = h('div', { id: 'details-slot' });
  // The open cell stays open when the section is drawn again (a language switch; found by an outside tester).
  const shown = ctx.keep('marking-open', () => ({ cell: null as { competitor: string; column: string } | null }));
  const locked = new Set(skill.event.locks.map((l) => l.target));
  const cellButton = (competitor: string, column: string) =>
    grid.querySelector<HTMLButtonElement>(`tr[data-competitor="${CSS.escape(competitor)}"] td[data-criterion="${CSS.escape(column)}"] button`);
  const close = () => {
    const was = shown.cell;
    shown.cell = null;
    details.replaceChildren();
    // Focus goes back to the cell that opened the panel, not to the page's start (found by an outside tester).
    if (was) cellButton(was.competitor, was.column)?.focus();
  };

  /**
   * Shows a cell's panel. Opened by a person, it comes into view and takes the focus (so Escape and Tab reach it at once);
   * drawn again by a push, it moves nothing: the page keeps its scroll, and the focus stays where it was in the panel
   * (found by an outside tester: each mark scrolled the page back to the panel and dropped the focus).
   */
  const openCell = async (c: Competitor, col: Column, by: 'person' | 'push' | 'redraw') => {
    shown.cell = { competitor: c.id, column: col.id };
    try {
      const panel = await cellDetails(ctx, path, c, col, sheets.get(c.id), close);
      const focused = document.activeElement instanceof HTMLElement && details.contains(document.activeElement) ? document.activeElement.id : '';
      // A push redraws an open cell while its close button may be pressed.
      drawUnlessPressed(details, 'cell-details', () => {
        details.replaceChildren(panel);
        if (focused) panel.querySelector<HTMLElement>(`#${CSS.escape(focused)}`)?.focus({ preventScroll: true });
      });
      if (by === 'person') {
        details.scrollIntoView({ behavior: 'smooth', block: 'nearest' });
        panel.querySelector<HTMLElement>('#cell-close')?.focus({ preventScroll: true });
      }
    } catch (e) {
      details.replaceChildren(errorLine(e));
    }
  };

  const drawGrid = () => {
    const columns = columnsOf(scheme, sheets);
    const head = h('tr', {}, h('th', { scope: 'col' }, t('progress.competitor')),
      columns.map((col) => h('th', { scope: 'col', 'data-criterion': col.id, class: locked.has(col.id) ? 'locked' : '' },
        locked.has(col.id) ? '🔒 ' : '', h('span', {}, col.id), h('span', { class: 'cmuted small' }, ` ${col.name === col.id ? '' : col.name}`))));
    const body = competitors.map((c) => h('tr', { 'data-competitor': c.id },
      h('th', { scope: 'row' }, h('span', { class: 'ccomp' }, c.id), h('span', { class: 'cmuted small' }, ` ${c.memberCode} · ${c.name}`)),
      columns.map((col) => {
        const cell = cellOf(col, sheets.get(c.id));
        const button = h('button', { type: 'button', class: `cgridcell ${cell.state}`, 'data-state': cell.state, 'data-done': cell.done, 'data-total': cell.total, title: t(`progress.legend.${cell.state}`) },
          `${cell.done}/${cell.total}`);
        button.onclick = () => void openCell(c, col, 'person');
        return h('td', { 'data-criterion': col.id }, button);
      })));
    showGrid(grid, h('table', { class: 'ctable cprogress', id: 'progress-grid' }, h('thead', {}, head), h('tbody', {}, body)) as HTMLTableElement);
    updated.textContent = t('progress.updated', { at: new Date().toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB') });
  };
  drawGrid();
  // Escape closes the panel from the grid too, where the focus is after a click that did not move it.
  grid.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && shown.cell) {
      e.preventDefault();
      close();
    }
  });
  if (shown.cell) {
    const again = shown.cell;
    const c = competitors.find((x) => x.id === again.competitor);
    const col = columnsOf(scheme, sheets).find((x) => x.id === again.column);
    if (c && col) await openCell(c, col, 'redraw');
    else shown.cell = null;
  }

  // Live: the hub names the competitors whose sheets changed; refetch just those.
  const setLive = (state: 'live' | 'connecting' | 'offline') => {
    live.dataset.state = state;
    live.textContent = t(state === 'live' ? 'progress.live' : state === 'connecting' ? 'progress.connecting' : 'progress.offline');
  };
  let pending = Promise.resolve();
  const connection = followProgress(ctx, skill.competitionCode, skill.number, {
    live: (on) => setLive(on ? 'live' : 'offline'),
    again: () => { pending = pending.then(catchUp).catch((e) => ctx.toast(messageOf(e), true)); },
  });
  connection.on('sheetsChanged', (message: { competition: string; skill: number; competitorIds: string[] }) => {
    pending = pending.then(async () => {
      const ids = message.competitorIds.filter((id) => competitors.some((c) => c.id === id));
      await Promise.all(ids.map(async (id) => sheets.set(id, await get<ContestantSheet>(`${path}/competitors/${encodeURIComponent(id)}/sheet`))));
      drawGrid();
      const open = shown.cell;
      if (open && ids.includes(open.competitor)) {
        const c = competitors.find((x) => x.id === open.competitor)!;
        const col = columnsOf(scheme, sheets).find((x) => x.id === open.column);
        if (col) await openCell(c, col, 'push');
      }
    }).catch((e) => ctx.toast(messageOf(e), true));
  });
  // A lock or an unlock (here, in another console, by the scheduler) comes as rulesChanged: the locks and the grid's
  // padlocks are read again, keeping a reason being typed (found by an outside tester: they changed only on a reload).
  const locksSlot = h('div', {}, locksPanel(ctx, path, scheme, skill.event.locks));
  let drawnLocks = JSON.stringify(skill.event.locks);
  const readLocks = async () => {
    // A roster or a scheme that changed draws the section again, keeping what was typed (found by an outside tester: the
    // grid kept a removed competitor and missed a new one while the tablets followed).
    const [fresh, roster, schemeNow] = await Promise.all([jurySkill(path), get<Competitor[]>(`${path}/competitors`),
      scheme ? get<Scheme>(`${path}/scheme`).catch(() => null) : Promise.resolve(null)]);
    if (roster.map((c) => c.id).join() !== competitors.map((c) => c.id).join() || JSON.stringify(schemeNow) !== JSON.stringify(scheme)) {
      ctx.redraw();
      return;
    }
    const locksNow = JSON.stringify(fresh.event.locks);
    if (locksNow === drawnLocks) {
      drawGrid();
      return;
    }
    drawnLocks = locksNow;
    locked.clear();
    for (const l of fresh.event.locks) locked.add(l.target);
    const inputs = () => [...locksSlot.querySelectorAll<HTMLInputElement>('input[data-unlock-reason]')];
    const typed = new Map(inputs().map((i) => [i.dataset.unlockReason!, i.value]));
    const focused = document.activeElement instanceof HTMLInputElement && locksSlot.contains(document.activeElement) ? document.activeElement.dataset.unlockReason : undefined;
    locksSlot.replaceChildren(locksPanel(ctx, path, scheme, fresh.event.locks));
    for (const i of inputs()) {
      i.value = typed.get(i.dataset.unlockReason!) ?? '';
      if (i.dataset.unlockReason === focused) i.focus();
    }
    drawGrid();
  };
  connection.on('rulesChanged', () => {
    pending = pending.then(readLocks).catch((e) => ctx.toast(messageOf(e), true));
  });
  // Changes made while the feed was not followed were not sent: every sheet and the rules are read again once it is,
  // after a reconnection and after the first connection alike (the page was read before it subscribed).
  const catchUp = async () => {
    await Promise.all(competitors.map(async (c) => sheets.set(c.id, await get<ContestantSheet>(`${path}/competitors/${encodeURIComponent(c.id)}/sheet`))));
    await readLocks();
  };

  const legend = h('div', { class: 'clegend' }, (['complete', 'incomplete', 'spread', 'empty'] as CellState[]).map((s) => h('span', {}, h('i', { class: `cswatch ${s}` }), t(`progress.legend.${s}`))));
  return h('div', { class: 'cmarking' },
    h('h1', {}, `${skill.competitionCode} · ${String(skill.number).padStart(2, '0')} ${currentLang() === 'zh' && skill.nameZh ? skill.nameZh : skill.name}`),
    h('section', { class: 'cpanel' },
      h('div', { class: 'crow cspread' }, h('h2', {}, t('progress.title')), h('span', { class: 'crow' }, live, updated)),
      emptyGrid ?? [schemeNote, legend, scrollBox(grid, t('progress.title'))]),
    details,
    locksSlot,
    await pairingPanel(ctx, path));
}
