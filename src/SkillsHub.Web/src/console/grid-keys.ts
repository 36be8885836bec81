// The marking floor's progress grid is one Tab stop: the arrow keys move between its cells, as the WAI-ARIA grid pattern's
// roving tabindex does, so the cards after it (locks, pairing) are one Tab away (docs/pages.md, "Accessibility"; found by an
// outside tester: a skill of 60 competitors made 60 Tab stops before the Locks card).

/** The cell that is the grid's Tab stop, by competitor and column; kept across the grid's redraws. */
export interface GridStop { competitor: string; column: string }

/** The stop if its competitor and column are still drawn, otherwise the first cell (none when the grid is empty). */
export function settledStop(stop: GridStop | null, competitors: string[], columns: string[]): GridStop | null {
  if (stop && competitors.includes(stop.competitor) && columns.includes(stop.column)) return stop;
  return competitors.length > 0 && columns.length > 0 ? { competitor: competitors[0]!, column: columns[0]! } : null;
}

/** A cell's button in the drawn grid, by its row and column (0-based, the row's header cell not counted). */
function cellAt(table: HTMLTableElement, row: number, column: number): HTMLButtonElement | null {
  return table.tBodies[0]?.rows[row]?.cells[column + 1]?.querySelector('button') ?? null;
}

/** Makes the focused cell the stop: it alone of the grid's cells is in the Tab order. */
function makeStop(table: HTMLTableElement, button: HTMLButtonElement): GridStop | null {
  const td = button.closest('td');
  const tr = td?.closest('tr');
  if (!td?.dataset.criterion || !tr?.dataset.competitor) return null;
  table.querySelectorAll<HTMLButtonElement>('tbody button[tabindex="0"]').forEach((b) => b.setAttribute('tabindex', '-1'));
  button.setAttribute('tabindex', '0');
  return { competitor: tr.dataset.competitor, column: td.dataset.criterion };
}

/**
 * Follows the focus and the keys in `slot` (where the grid's table is drawn): a focused cell becomes the stop
 * (`onStop`); Left/Right, Up/Down, Home/End (in the row) and Ctrl+Home/End (the first and last cells) move the focus.
 */
export function followGridKeys(slot: HTMLElement, onStop: (stop: GridStop) => void): void {
  const table = () => slot.querySelector<HTMLTableElement>('table');
  slot.addEventListener('focusin', (e) => {
    const grid = table();
    if (grid && e.target instanceof HTMLButtonElement && grid.tBodies[0]?.contains(e.target)) {
      const stop = makeStop(grid, e.target);
      if (stop) onStop(stop);
    }
  });
  slot.addEventListener('keydown', (e) => {
    const grid = table();
    const td = e.target instanceof HTMLButtonElement ? e.target.closest('td') : null;
    const tr = td?.parentElement;
    if (!grid || !td || !(tr instanceof HTMLTableRowElement) || e.altKey || e.metaKey) return;
    const rows = grid.tBodies[0]!.rows.length, columns = tr.cells.length - 1;
    const [row, column] = [tr.sectionRowIndex, td.cellIndex - 1];
    const to: Record<string, [number, number]> = {
      ArrowLeft: [row, column - 1], ArrowRight: [row, column + 1], ArrowUp: [row - 1, column], ArrowDown: [row + 1, column],
      Home: e.ctrlKey ? [0, 0] : [row, 0], End: e.ctrlKey ? [rows - 1, columns - 1] : [row, columns - 1],
    };
    const target = to[e.key];
    if (!target) return;
    e.preventDefault();
    const next = cellAt(grid, Math.max(0, Math.min(rows - 1, target[0])), Math.max(0, Math.min(columns - 1, target[1])));
    next?.focus();
    next?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  });
}
