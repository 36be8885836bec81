// The Setup page's import cards: a file's first rows shown before sending, its upload with progress, and a refused
// import's rows as a table in the page's language (also used by Admin).
import { currentLang } from '../i18n';
import { skillPath, upload, ProblemError, type ImportResponse } from './api';
import { parseCsv } from './csv';
import * as Kernel from '../kernel/problems';
import { h, table } from './dom';
import { filePicker, takeBackFocus, withCode } from '../kernel/dom';
import { t } from './strings';
import { type Ctx, field, messageOf, errorLine, scrollBox } from './context';

export type Kind = 'skills' | 'competitors' | 'experts' | 'scheme' | 'groups';

const previewRows = 5;

function isJson(name: string, text: string): boolean {
  if (/\.json$/i.test(name)) return true;
  if (/\.csv$/i.test(name)) return false;
  return /^\s*[[{]/.test(text);
}

/** First rows of the file, parsed here before anything is sent. */
function preview(kind: Kind, name: string, text: string): HTMLElement {
  if (isJson(name, text)) {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      return h('p', { class: 'cerror' }, t('import.unreadable', { format: 'JSON', reason: messageOf(e) }));
    }
    let items: Record<string, unknown>[] = [];
    if (kind === 'scheme' && data && typeof data === 'object' && !Array.isArray(data)) {
      const scheme = data as { criteria?: { id: string; subCriteria?: { id: string; aspects?: Record<string, unknown>[] }[] }[] };
      for (const c of scheme.criteria ?? [])
        for (const s of c.subCriteria ?? [])
          for (const a of s.aspects ?? []) items.push({ criterion: c.id, subCriterion: s.id, id: a.id, type: a.type, markingDay: a.markingDay, maxMark: a.maxMark, description: a.description });
    } else if (Array.isArray(data)) {
      items = data as Record<string, unknown>[];
    } else {
      items = [data as Record<string, unknown>];
    }
    const shown = items.slice(0, previewRows);
    const keys = [...new Set(shown.flatMap((x) => (x && typeof x === 'object' ? Object.keys(x) : [])))];
    const cell = (v: unknown) => (v === undefined || v === null ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
    return h('div', { class: 'cpreview' },
      h('p', { class: 'cmuted' }, t('import.previewJson', { shown: shown.length, total: items.length })),
      scrollBox(table(keys, shown.map((x) => keys.map((k) => cell(x?.[k])))), t('import.previewJson', { shown: shown.length, total: items.length })));
  }
  const rows = parseCsv(text);
  if (rows.length === 0) return h('p', { class: 'cerror' }, t('import.unreadable', { format: 'CSV', reason: 'empty' }));
  const [head, ...body] = rows;
  const shown = body.slice(0, previewRows);
  return h('div', { class: 'cpreview' },
    h('p', { class: 'cmuted' }, t('import.preview', { shown: shown.length, total: body.length })),
    scrollBox(table(head, shown), t('import.preview', { shown: shown.length, total: body.length })));
}

interface RowProblem extends Kernel.RowProblem { row: number | null; id: string | null; field: string }

/**
 * A refused import as a table of its rows, in the page's language: the server's `rows` (each with a stable
 * code and arguments, docs/pages.md "Languages"); failing those, its `errors` ("row N: field" -> messages),
 * which are English, so a Chinese page then shows the translated refusal instead.
 */
export function errorTable(e: unknown): HTMLElement {
  if (!(e instanceof ProblemError)) return errorLine(e);
  const problem = e.problem;
  const rows: { row: number | null; field: string; message: string }[] = [];
  if (Array.isArray(problem.rows)) {
    for (const r of problem.rows as RowProblem[]) rows.push({ row: r.row, field: r.id ? `${r.id} ${Kernel.fieldName(r.field)}` : Kernel.fieldName(r.field), message: Kernel.rowMessage(r) });
  } else if (problem.errors && currentLang() !== 'zh') {
    for (const [key, messages] of Object.entries(problem.errors)) {
      const m = /^row (\d+):\s*(.*)$/.exec(key);
      for (const message of messages) rows.push({ row: m ? Number(m[1]) : null, field: m ? m[2] : key, message });
    }
  } else {
    return errorLine(e);
  }
  rows.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
  const tbl = table([t('import.errRow'), t('import.errField'), t('import.errMessage')], rows.map((r) => [r.row === null ? '—' : String(r.row), r.field, r.message]), 'ctable cerrors');
  return h('div', { class: 'crefused', role: 'alert' },
    h('p', { class: 'cerror' }, t('import.refused', { title: Kernel.problemTitle(problem) })),
    scrollBox(tbl, t('import.refused', { title: Kernel.problemTitle(problem) })));
}

/**
 * What an import card shows, kept across the page's redraws: the file chosen and the last answer (imported, or refused
 * with its rows). A language switch draws the page again, and it is all drawn again from here in the new language (an
 * outside tester: the switch emptied the card, its refused rows and its preview gone). Per card and skill.
 */
interface CardState {
  file: { name: string; text: string; source: File } | null;
  outcome?: { answer: ImportResponse } | { error: unknown } | { changed: true };
}
const kept = new Map<string, CardState>();

/** "Imported 3 rows (changes saved)." in the page's language: the card's line and the toast's. */
// A scheme's count is its aspects, not the file's rows (found by an outside tester: "Imported 3 rows" for a 14-row file).
const okText = (kind: Kind, answer: ImportResponse) => t(kind === 'scheme' ? 'import.okScheme' : 'import.ok', { count: answer.count, changed: t(answer.changed ? 'import.changed' : 'import.unchanged') });

export function importCard(ctx: Ctx, kind: Kind, onDone: () => void): HTMLElement {
  const state = kept.get(`${kind}:${ctx.code}:${kind === 'skills' ? '' : ctx.skill}`) ?? { file: null };
  kept.set(`${kind}:${ctx.code}:${kind === 'skills' ? '' : ctx.skill}`, state);
  const scopeReady = kind === 'skills' ? !!ctx.code : !!(ctx.code && ctx.skill);
  const input = h('input', { type: 'file', accept: '.csv,.json,text/csv,application/json', 'data-kind': kind, disabled: !scopeReady });
  const previewBox = h('div', {});
  const judges = kind === 'scheme' ? h('select', { name: 'judges' }, h('option', { value: '3' }, '3'), h('option', { value: '5' }, '5')) : null;
  const send = h('button', { class: 'primary', type: 'button', disabled: true }, t('import.upload'));
  const progress = h('progress', { max: 1, value: 0, hidden: true });
  const progressText = h('span', { class: 'cmuted' });
  const result = h('div', { class: 'cresult' });
  const showOutcome = () => {
    const outcome = state.outcome;
    if (!outcome) return result.replaceChildren();
    if ('error' in outcome) return result.replaceChildren(errorTable(outcome.error));
    if ('changed' in outcome) return result.replaceChildren(h('p', { class: 'cerror', role: 'alert' }, t('import.fileChanged')));
    const { answer } = outcome;
    const ok = okText(kind, answer);
    // What else the import changed (a scheme that took targets out of the marking groups) is said beside it.
    result.replaceChildren(h('p', { class: 'cok', role: 'status' }, ok),
      ...(answer.notes ?? []).map((note) => h('p', { class: 'cwarn', role: 'status', 'data-note': note.code }, Kernel.rowMessage(note))));
  };
  if (state.file && scopeReady) {
    previewBox.replaceChildren(preview(kind, state.file.name, state.file.text));
    send.disabled = false;
  }
  showOutcome();

  input.onchange = async () => {
    state.outcome = undefined;
    result.replaceChildren();
    const f = input.files?.[0];
    if (!f) return;
    // The text (read leniently) is for the preview; what is sent is the file's own bytes.
    state.file = { name: f.name, text: await f.text(), source: f };
    // The field is emptied once the file is read (the picker still names it), so that choosing the same file again,
    // fixed on disk after a refusal, is a change and is read afresh (found by an outside tester: the old preview stayed).
    input.value = '';
    writePicker();
    previewBox.replaceChildren(preview(kind, state.file.name, state.file.text));
    send.disabled = false;
  };
  send.onclick = async () => {
    const file = state.file;
    if (!file || !ctx.code) return;
    send.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    result.replaceChildren();
    const json = isJson(file.name, file.text);
    let bytes: Blob;
    try {
      // Read when sent: a file changed on disk since it was chosen cannot be read, and the card says so (found by an outside
      // tester: the browser refused to send it and the card said "Cannot reach the server").
      bytes = new Blob([await file.source.arrayBuffer()]);
    } catch {
      progress.hidden = true;
      state.outcome = { changed: true };
      showOutcome();
      send.disabled = false;
      return;
    }
    const url = kind === 'skills' ? `/api/competitions/${encodeURIComponent(ctx.code)}/skills`
      : `${skillPath(ctx.code, ctx.skill!)}/${kind === 'groups' ? 'marking-groups' : kind}${judges ? `?judges=${judges.value}` : ''}`;
    try {
      const answer = await upload<ImportResponse>(url, bytes, json ? 'application/json' : 'text/csv', (f) => {
        progress.value = f;
        progressText.textContent = t('import.sending', { percent: Math.round(f * 100) });
      });
      progressText.textContent = '';
      state.outcome = { answer };
      showOutcome();
      ctx.toast(`${t(`import.${kind}`)}: ${okText(kind, answer)}`);
      // New skills change the skill picker; everything else only the lists below. The focus stays on Upload (found by an
      // outside tester: it fell to the page, and the next Tab started again from the top).
      if (kind === 'skills') ctx.rerender('[data-import=skills] button.primary');
      else onDone();
    } catch (e) {
      progressText.textContent = '';
      // A full bar beside a refusal read as a finished upload (found by an outside tester).
      progress.hidden = true;
      state.outcome = { error: e };
      showOutcome();
    } finally {
      send.disabled = false;
      takeBackFocus(send);
    }
  };
  const picker = h('label', { class: 'cfile' }, h('span', {}, t('import.choose')), input);
  // The file chosen before a redraw is named, though the new input holds none (a browser cannot give it one back).
  const writePicker = filePicker(input, () => ({ choose: t('file.choose'), none: state.file && scopeReady ? state.file.name : t('file.none') }));
  const scope = kind === 'skills' ? t('import.scope.competition', { code: ctx.code ? [ctx.code, ctx.competitionName].filter(Boolean).join(' · ') : '—' }) : t('import.scope.skill', { skill: ctx.skill ? String(ctx.skill).padStart(2, '0') : '—' });
  // Which import each card's file field and Upload are for: they read the same on all five (found by an outside tester).
  const titleId = `import-title-${kind}`;
  input.setAttribute('aria-describedby', titleId);
  send.setAttribute('aria-describedby', titleId);
  return h('article', { class: 'ccard', 'data-import': kind },
    h('h3', { id: titleId }, t(`import.${kind}`), ' ', h('span', { class: 'cmuted' }, scope)),
    h('p', { class: 'cmuted chint' }, ...withCode(t(`import.columns.${kind}`))),
    picker,
    judges ? field(t('import.judges'), judges) : null,
    previewBox,
    h('div', { class: 'crow' }, send, progress, progressText),
    result);
}
