// Big screen (docs/pages.md, "Big screen"): nothing scrolls; long tables page through the rows that fit.
import { t } from './strings';
import { el } from '../kernel/dom';

function showPage(rows: HTMLTableRowElement[], perPage: number, page: number): void {
  rows.forEach((row, i) => { row.hidden = Math.floor(i / perPage) !== page; });
}

/** Pages the standings tables in `main` so nothing scrolls; shows page `wanted` (wrapping) and returns the page count and the page shown. */
export function fitTables(main: HTMLElement, wanted: number): { pages: number; page: number } {
  const tables = [...main.querySelectorAll<HTMLTableElement>('table.standings')].filter((table) => table.tBodies[0]?.rows.length);
  const overflows = () => document.documentElement.scrollHeight > window.innerHeight;
  const fitted: { rows: HTMLTableRowElement[]; perPage: number; caption: HTMLTableCaptionElement }[] = [];
  for (const table of tables) {
    const caption = table.createCaption();
    caption.className = 'pagenote';
    caption.textContent = t('page', { from: 1, to: table.tBodies[0].rows.length, count: table.tBodies[0].rows.length });
    showPage([...table.tBodies[0].rows], 1, -1);
  }
  // One table at a time, each given the room the ones before it left.
  for (const table of tables) {
    const rows = [...table.tBodies[0].rows];
    // The most rows that fit, measured on the rendered rows (their heights differ: a wrapped name, a badge): a binary
    // search over the first page, so what is left below it is less than a row.
    let perPage = rows.length;
    showPage(rows, perPage, 0);
    if (overflows()) {
      let fits = 1;
      let over = rows.length;
      while (over - fits > 1) {
        const middle = Math.floor((fits + over) / 2);
        showPage(rows, middle, 0);
        if (overflows()) over = middle;
        else fits = middle;
      }
      perPage = fits;
      showPage(rows, perPage, 0);
    }
    fitted.push({ rows, perPage, caption: table.caption! });
  }
  const screenPages = Math.max(1, ...fitted.map((f) => Math.ceil(f.rows.length / f.perPage)));
  const screenPage = wanted % screenPages;
  for (const { rows, perPage, caption } of fitted) {
    const pages = Math.ceil(rows.length / perPage);
    const page = screenPage % pages;
    showPage(rows, perPage, page);
    caption.textContent = pages > 1 ? t('page', { from: page * perPage + 1, to: Math.min(rows.length, (page + 1) * perPage), count: rows.length }) : '';
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
