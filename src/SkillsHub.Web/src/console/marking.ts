import { currentLang } from '../i18n';
import { drawUnlessPressed } from '../kernel/press';
import { get, skillPath, ProblemError, type Competitor, type ContestantSheet, type Expert, type Scheme, jurySkill } from './api';
import { h } from './dom';
import { pairingPanel } from './pairing';
import { locksPanel } from './locks';
import { followProgress } from './live';
import { t } from './strings';
import { cellDetails, cellOf, columnsOf, type CellState, type Column } from './cells';
import { followGridKeys, settledStop, type GridStop } from './grid-keys';
import { type Ctx, messageOf, errorLine, emptyNote, scrollBox } from './context';

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
  const [skill, competitors, schemeOrNull, experts] = await Promise.all([
    jurySkill(path),
    get<Competitor[]>(`${path}/competitors`),
    get<Scheme>(`${path}/scheme`).catch((e) => (e instanceof ProblemError && (e.status === 404 || e.status === 403) ? e.status : Promise.reject(e))),
    // The experts' names, for who locked what (a lock from a tablet names its expert by id).
    get<Expert[]>(`${path}/experts`).catch(() => [] as Expert[]),
  ]);
  const expertNames = new Map(experts.map((x) => [x.id, x.name]));
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
  // The grid's one Tab stop too (console/grid-keys.ts).
  const shown = ctx.keep('marking-open', () => ({ cell: null as { competitor: string; column: string } | null, stop: null as GridStop | null }));
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
    const stop = shown.stop = settledStop(shown.stop, competitors.map((c) => c.id), columns.map((col) => col.id));
    const head = h('tr', {}, h('th', { scope: 'col' }, t('progress.competitor')),
      columns.map((col) => h('th', { scope: 'col', 'data-criterion': col.id, class: locked.has(col.id) ? 'locked' : '' },
        locked.has(col.id) ? '🔒 ' : '', h('span', {}, col.id), h('span', { class: 'cmuted small' }, ` ${col.name === col.id ? '' : col.name}`))));
    const body = competitors.map((c) => h('tr', { 'data-competitor': c.id },
      h('th', { scope: 'row' }, h('span', { class: 'ccomp' }, c.id), h('span', { class: 'cmuted small' }, ` ${c.memberCode} · ${c.name}`)),
      columns.map((col) => {
        const cell = cellOf(col, sheets.get(c.id));
        const button = h('button', { type: 'button', class: `cgridcell ${cell.state}`, 'data-state': cell.state, 'data-done': cell.done, 'data-total': cell.total, title: t(`progress.legend.${cell.state}`),
          tabindex: stop?.competitor === c.id && stop.column === col.id ? 0 : -1 },
          `${cell.done}/${cell.total}`);
        button.onclick = () => void openCell(c, col, 'person');
        return h('td', { 'data-criterion': col.id }, button);
      })));
    showGrid(grid, h('table', { class: 'ctable cprogress', id: 'progress-grid', 'aria-describedby': 'progress-keys' }, h('thead', {}, head), h('tbody', {}, body)) as HTMLTableElement);
    updated.textContent = t('progress.updated', { at: new Date().toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB') });
  };
  drawGrid();
  followGridKeys(grid, (stop) => { shown.stop = stop; });
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
  // How many competitors have one of these aspects unmarked, incomplete or spread (the lock's question names them).
  const unfinished = (aspectIds: string[]) => competitors.filter((c) => {
    const done = new Set(sheets.get(c.id)?.aspects.filter((a) => a.complete && !a.spreadViolation).map((a) => a.aspectId));
    return aspectIds.some((id) => !done.has(id));
  }).length;
  const locksSlot = h('div', {}, locksPanel(ctx, path, scheme, skill.event.locks, unfinished, expertNames));
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
    locksSlot.replaceChildren(locksPanel(ctx, path, scheme, fresh.event.locks, unfinished, expertNames));
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
      emptyGrid ?? [schemeNote, legend, scrollBox(grid, t('progress.title')), h('p', { class: 'cmuted small', id: 'progress-keys' }, t('progress.keys'))]),
    details,
    locksSlot,
    await pairingPanel(ctx, path));
}
