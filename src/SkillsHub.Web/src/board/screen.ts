// Big screen (docs/pages.md, "Big screen"): nothing scrolls; long tables page through the rows that fit.
import { t } from './strings';
import { el } from '../kernel/dom';

/** Shows rows [from, to) of a table's body and hides the others. */
function showRows(rows: HTMLTableRowElement[], from: number, to: number): void {
  rows.forEach((row, i) => { row.hidden = i < from || i >= to; });
}

/**
 * Where each page of a table starts: page after page, as many rows as fit below what is already on the screen, measured on
 * the rendered rows themselves (their heights differ: a wrapped name, a badge), so a page of taller rows holds fewer and
 * none is cut off or scrolls. At least one row a page.
 */
function pageStarts(rows: HTMLTableRowElement[], overflows: () => boolean): number[] {
  const starts: number[] = [];
  for (let from = 0; from < rows.length;) {
    starts.push(from);
    showRows(rows, from, rows.length);
    if (!overflows()) break;
    let fits = from + 1;
    let over = rows.length;
    while (over - fits > 1) {
      const middle = Math.floor((fits + over) / 2);
      showRows(rows, from, middle);
      if (overflows()) over = middle;
      else fits = middle;
    }
    from = fits;
  }
  return starts;
}

/** Fixes a table's column widths at those of its full layout (every body row shown), before any row is hidden. */
function pinColumns(table: HTMLTableElement): void {
  const rows = [...table.tBodies[0].rows];
  showRows(rows, 0, rows.length);
  const first = table.tHead?.rows[0] ?? rows[0];
  const widths = [...first.cells].map((cell) => cell.getBoundingClientRect().width);
  // Exactly these widths: a maximum the cell's style sets (the leaders' names, max-width 0, board.css) would clamp them.
  [...first.cells].forEach((cell, i) => {
    cell.style.width = `${widths[i]}px`;
    cell.style.maxWidth = 'none';
  });
  table.style.tableLayout = 'fixed';
}

/** The hall screen's pages of its standings tables: the page shown and how many there are (fitTables). */
export class ScreenPages {
  page = 0;
  pages = 1;

  constructor(private readonly main: HTMLElement, private readonly on: boolean) {}

  /** Measures what fits and shows the page wanted (nothing off the big screen). */
  fit(): void {
    if (this.on) ({ pages: this.pages, page: this.page } = fitTables(this.main, this.page));
  }

  /** Turns to the next rows: true if there were more, false when back at the first page. */
  turn(): boolean {
    this.page = this.page + 1 < this.pages ? this.page + 1 : 0;
    return this.page > 0;
  }
}

/** Pages the standings tables in `main` so nothing scrolls; shows page `wanted` (wrapping) and returns the page count and the page shown. */
export function fitTables(main: HTMLElement, wanted: number): { pages: number; page: number } {
  const tables = [...main.querySelectorAll<HTMLTableElement>('table.standings')].filter((table) => table.tBodies[0]?.rows.length);
  const overflows = () => document.documentElement.scrollHeight > window.innerHeight;
  // Each table's columns keep the widths they take with every row shown: a page without a medal badge or a long name
  // laid its columns out again, and every column jumped sideways as the screen turned a page (found by an outside tester).
  for (const table of tables) pinColumns(table);
  const captions = tables.map((table) => {
    const caption = table.createCaption();
    caption.className = 'pagenote';
    return caption;
  });
  // A caption takes room only on a table that pages. Measured first as if none paged; a table that then pages takes its
  // caption, and the tables are measured again with that room, until no other table starts to page (a caption once taken is
  // kept, so at most one pass a table). Measured first as if every table paged, a table that fitted only without its caption
  // paged (found by an outside tester: seven rows shown as six and one on a 1080-line screen).
  let paged = tables.map(() => false);
  let fitted: { rows: HTMLTableRowElement[]; starts: number[]; caption: HTMLTableCaptionElement }[] = [];
  tables.forEach((table) => showRows([...table.tBodies[0].rows], 0, 1));
  // Stacked (a portrait screen), the table measured first would take all the room and leave the next a row a page (found
  // by an outside tester: the leaders a row at a time under a long medal table): a table below keeps half its rows.
  const stacked = tables.length > 1 && tables.every((table, i) => i === 0 || table.getBoundingClientRect().top >= tables[i - 1].getBoundingClientRect().bottom - 1);
  for (let pass = 0; pass <= tables.length; pass++) {
    tables.forEach((table, i) => {
      const count = table.tBodies[0].rows.length;
      captions[i].textContent = paged[i] ? t('page', { from: 1, to: count, count }) : '';
      // Each table shows at least a row a page, so the tables measured before it leave it that much room.
      showRows([...table.tBodies[0].rows], 0, stacked && i > 0 ? Math.ceil(count / 2) : 1);
    });
    // One table at a time, each given the room the ones before it left (showing their first page).
    fitted = tables.map((table, i) => {
      const rows = [...table.tBodies[0].rows];
      const starts = pageStarts(rows, overflows);
      showRows(rows, 0, starts[1] ?? rows.length);
      return { rows, starts, caption: captions[i] };
    });
    const pages = fitted.map((f, i) => paged[i] || f.starts.length > 1);
    if (pages.every((p, i) => p === paged[i])) break;
    paged = pages;
  }
  // A window too small for a row of each table below the board's heading (a phone, below about 800 × 600) is not paged a row
  // at a time: every row is shown and the page scrolls as a board does (found by an outside tester: at 640 × 360 the
  // medal table and the leaders showed a row each and still ran past the screen's foot). docs/pages.md, "Big screen".
  tables.forEach((table) => showRows([...table.tBodies[0].rows], 0, 1));
  if (overflows()) {
    for (const [i, table] of tables.entries()) {
      showRows([...table.tBodies[0].rows], 0, table.tBodies[0].rows.length);
      captions[i].textContent = '';
    }
    document.body.dataset.paging = 'off';
    return { pages: 1, page: 0 };
  }
  delete document.body.dataset.paging;
  const screenPages = Math.max(1, ...fitted.map((f) => f.starts.length));
  const screenPage = wanted % screenPages;
  for (const { rows, starts, caption } of fitted) {
    const page = screenPage % starts.length;
    const from = starts[page];
    const to = starts[page + 1] ?? rows.length;
    showRows(rows, from, to);
    caption.textContent = starts.length === 1 ? '' : t(to - from === 1 ? 'page.one' : 'page', { from: from + 1, to, count: rows.length });
  }
  return { pages: screenPages, page: screenPage };
}

/** Full screen needs a gesture: a visible button after `anchor`, hidden while full screen. */
export function addFullscreenButton(anchor: HTMLElement): void {
  if (!document.documentElement.requestFullscreen) return;
  const button = el('button', 'lang fullscreen', t('fullscreen'));
  button.id = 'fullscreen';
  button.type = 'button';
  button.addEventListener('click', () => void document.documentElement.requestFullscreen().catch(() => undefined));
  document.addEventListener('fullscreenchange', () => { button.hidden = document.fullscreenElement !== null; });
  anchor.after(button);
}
