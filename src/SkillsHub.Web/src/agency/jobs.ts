// Screen: uploads (candidates, results) and jobs (rating, issuing, the ZIP bundle), each followed as a
// progress line. Each line keeps its last answer, so switching language redraws it in the new language.
import type { Schemas } from '../api-types';
import { call } from '../cert-api';
import { ProblemError } from '../kernel/http';
import { el } from '../kernel/dom';
import { currentLang } from '../i18n';
import { errorText, fieldName, jobMessage, rowMessage } from '../kernel/problems';
import { decisionReason, t } from './strings';
import { byId, setStatus, state, type Session } from './state';

type ImportView = Schemas['ImportView'];
type RunView = Schemas['RunView'];
type BundleView = Schemas['BundleView'];

/** Each line belongs to the session it was started for, and shows only while that session is open. */
const lines = new Map<string, { node: HTMLElement; draw: (node: HTMLElement) => void; session: number | null }>();

/** Redraws every progress line (after a language switch). */
export const redrawProgress = () => lines.forEach((line) => line.draw(line.node));

/**
 * Shows the open session's lines only (an outside tester: another session's rejected file, runs and ZIP link stayed under
 * the session just opened, and the link downloaded the other session's certificates).
 */
export const showSessionLines = (session: number | null) => lines.forEach((line) => { line.node.hidden = line.session !== session; });

function show(key: string, session: number | null, draw: (node: HTMLElement) => void): void {
  let line = lines.get(key);
  if (!line) {
    const node = el('div', 'progress-line');
    node.dataset.key = key;
    node.dataset.session = String(session);
    node.hidden = session !== state.selected;
    byId('progress').prepend(node);
    line = { node, draw, session };
    lines.set(key, line);
  }
  line.draw = draw;
  draw(line.node);
}

// A job's state word, then what it did: read as "Done: candidates.csv: 3 rows stored", not "done candidates.csv" (an outside
// tester read the lower-case word glued to the sentence).
const badge = (status: string) => {
  const b = el('span', `badge ${status}`, t.maybe(`status.${status}`) ?? status);
  b.append(el('span', 'visually-hidden', currentLang() === 'zh' ? '：' : ':'));
  return b;
};

function bar(value: number, max: number): HTMLProgressElement {
  const progress = el('progress');
  progress.max = Math.max(max, 1);
  progress.value = value;
  return progress;
}

/**
 * What a finished line says, for the page's status line (a polite live region): its words, without the list of errors
 * and the report link below them. Found by an outside tester: the page said nothing when an upload, a rating or an issue
 * ended; only the jobs list, which is not announced, showed it.
 */
const lineText = (key: string) => (): string => {
  const label = lines.get(key)?.node.firstElementChild?.cloneNode(true) as HTMLElement | undefined;
  label?.querySelectorAll('ul, a').forEach((x) => x.remove());
  return label?.textContent?.replace(/\s+/g, ' ').trim() ?? '';
};

async function follow<T extends { status: string }>(url: string, key: string, session: number, draw: (item: T, node: HTMLElement) => void): Promise<T> {
  for (;;) {
    const item = await call<T>('GET', url);
    show(key, session, (node) => draw(item, node));
    if (!['queued', 'running'].includes(item.status)) return item;
    await new Promise((r) => setTimeout(r, 500));
  }
}

function drawImport(i: ImportView, node: HTMLElement): void {
  const label = el('div');
  const done = i.status === 'succeeded' ? t('import.stored', { file: i.fileName, count: i.storedRows })
    : i.status === 'rejected' ? t('import.rejected', { file: i.fileName, count: i.errorCount })
    : t('import.done', { file: i.fileName, message: jobMessage(i.code, i.message) });
  // Every line read: what remains is checking the rows across the file and against the register, then storing them.
  const storing = i.status === 'running' && i.totalRows > 0 && i.processed >= i.totalRows;
  // Before the file's lines are counted there is no "0 / 0 rows" to show: the line says what the import is doing.
  const counting = i.totalRows === 0 && (i.status === 'queued' || i.status === 'running');
  label.append(badge(i.status), ' ', storing ? t('import.storing', { file: i.fileName, total: i.totalRows })
    : counting ? t(i.status === 'queued' ? 'import.waiting' : 'import.reading', { file: i.fileName })
    : i.status === 'running' || i.status === 'queued' ? t('import.progress', { file: i.fileName, processed: i.processed, total: i.totalRows }) : done);
  if (i.errorCount > 0) {
    const list = el('ul', 'errors');
    for (const e of i.firstErrors) list.append(el('li', undefined, t('import.line', { line: e.line, field: fieldName(e.field), message: rowMessage(e) })));
    const report = el('a', undefined, t('import.report'));
    report.href = `/api/agency/imports/${i.id}/errors.csv`;
    label.append(list, report);
  }
  node.replaceChildren(label, bar(i.processed, i.totalRows));
}

export async function upload(kind: 'candidates' | 'results', input: HTMLInputElement, reload: () => Promise<void>): Promise<void> {
  const file = input.files?.[0];
  const session = state.selected;
  if (!file || session === null) return;
  try {
    const accepted = await call<{ id: string; location: string }>('POST', `/api/agency/sessions/${session}/${kind}`, file,
      { 'Content-Type': 'text/csv', 'X-File-Name': encodeURIComponent(file.name) });
    const done = await follow<ImportView>(accepted.location, accepted.id, session, drawImport);
    setStatus(lineText(accepted.id), done.status !== 'succeeded');
  } catch (e) {
    setStatus(() => errorText(e), true);
  }
  clearFile(input);
  await reload();
}

/** Empties a file field and says so beside it (an outside tester: the picker kept naming the file already sent). */
export function clearFile(input: HTMLInputElement): void {
  input.value = '';
  // The picker's label follows the change event; with no file the upload handler does nothing.
  input.dispatchEvent(new Event('change'));
}

export async function run(kind: 'rate' | 'issue', reload: () => Promise<void>): Promise<void> {
  const session = state.selected;
  if (session === null) return;
  // A decision, once made, stays (docs/certification.md, "Jobs"): the officer confirms a rating first (found by an outside
  // tester: one press rated a whole session from a candidates file that lacked the years in the occupation).
  // Counted from the session as the server has it now: the list may not yet show a results file just stored. With nothing
  // to decide nothing is asked, and the server says so.
  if (kind === 'rate') {
    const fresh = await call<Session>('GET', `/api/agency/sessions/${session}`).catch(() => state.sessions.find((s) => s.id === session));
    const count = fresh ? fresh.withResults - fresh.decided : 0;
    // What the rating would decide, said before it is confirmed: how many would be found ineligible, and the commonest why
    // (found by an outside tester: a candidates file without the years in the occupation had all of them ineligible for good).
    let preview: Schemas['RatingPreviewView'] | undefined;
    try {
      if (count > 0) preview = await call<Schemas['RatingPreviewView']>('GET', `/api/agency/sessions/${session}/rating-preview`);
    } catch (e) {
      // A rating that cannot start yet (its exam or review still to come) is said at once, with nothing to confirm; any
      // other trouble leaves the confirmation without its warning, and the run answers for itself.
      if (e instanceof ProblemError && e.status === 409) return setStatus(() => errorText(e), true);
    }
    const ineligible = preview?.outcomes['ineligible'] ?? 0;
    const why = preview?.ineligibleReasons[0];
    const warning = ineligible > 0 && why ? `\n\n${t('rate.ineligible', { count: ineligible, total: preview!.toDecide, reason: decisionReason(why.reason) })}` : '';
    // The count asked about is what the run would decide: a candidate still missing a result the level needs is not rated,
    // and is said apart (found by an outside tester: "4 candidates to decide" beside "1 of 3 ineligible").
    const toDecide = preview?.toDecide ?? count;
    const awaiting = preview?.outcomes['awaiting-results'] ?? 0;
    const apart = awaiting > 0 ? ` ${t('rate.awaiting', { count: awaiting })}` : '';
    if (toDecide > 0 && !confirm(t('rate.confirm', { id: session, count: toDecide }) + apart + warning)) return;
  }
  try {
    const started = await call<RunView>('POST', `/api/agency/sessions/${session}/${kind}`);
    const done = await follow<RunView>(`/api/agency/runs/${started.id}`, started.id, session, (r, node) => {
      const label = el('div');
      const kind = t.maybe(`run.kind.${r.kind}`) ?? r.kind;
      // Before the candidates are counted there is no "0 / 0" to show: the line says what the run is doing (an outside tester).
      const starting = r.total === 0 && (r.status === 'queued' || r.status === 'running');
      label.append(badge(r.status), ' ', starting ? t(r.status === 'queued' ? 'run.waiting' : 'run.starting', { kind }) : t('run.progress', { kind, processed: r.processed, total: r.total }),
        r.status === 'failed' && (r.message || r.code) ? ` — ${jobMessage(r.code, r.message)}` : '',
        // Candidates missing a result the level needs are not rated yet (docs/certification.md, "Jobs"): say how many.
        r.summary?.['awaiting-results'] ? ` — ${t('run.awaiting', { count: r.summary['awaiting-results'] })}` : '');
      node.replaceChildren(label, bar(r.processed, r.total));
    });
    setStatus(lineText(started.id), done.status !== 'succeeded');
  } catch (e) {
    setStatus(() => errorText(e), true);
  }
  await reload();
}

/** Starts the bundle job for the session and shows its progress until the ZIP can be downloaded. */
export async function bundle(): Promise<void> {
  const session = state.selected;
  if (session === null) return;
  try {
    const started = await call<BundleView>('POST', `/api/agency/sessions/${session}/bundle`);
    const done = await follow<BundleView>(`/api/agency/bundles/${started.id}`, started.id, session, (b, node) => {
      const label = el('div', 'bundle-progress');
      label.append(badge(b.status), ' ');
      if (b.download) {
        const a = el('a', undefined, t('bundle.download'));
        a.href = b.download;
        a.id = 'bundle-download';
        label.append(t('bundle.ready', { size: (b.sizeBytes / 1048576).toFixed(1) }), ' ', a);
      } else {
        const starting = b.total === 0 && (b.status === 'queued' || b.status === 'running');
        label.append(starting ? t(b.status === 'queued' ? 'bundle.waiting' : 'bundle.starting') : t('bundle.progress', { processed: b.processed, total: b.total }),
          b.message || b.code ? ` — ${jobMessage(b.code, b.message)}` : '');
      }
      node.replaceChildren(label, bar(b.processed, b.total));
    });
    setStatus(done.status === 'succeeded' ? lineText(started.id) : () => jobMessage(done.code, done.message) || (t.maybe(`status.${done.status}`) ?? done.status), done.status !== 'succeeded');
  } catch (e) {
    setStatus(() => errorText(e), true);
  }
}
