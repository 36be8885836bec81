import { currentLang } from '../i18n';
import { api, get, upload, skillPath, ProblemError, type Competitor, type Expert, type ImportResponse, type SkillDetails, type Visibility } from './api';
import { parseCsv, toCsv } from './csv';
import * as Kernel from '../kernel/problems';
import type { Body, Schemas } from '../api-types';
import { h, table, fmtTime, type Child } from './dom';
import { t } from './strings';
import { type Ctx, section, field, messageOf, errorLine, emptyNote, scrollBox } from './context';

type Kind = 'skills' | 'competitors' | 'experts' | 'scheme' | 'groups';

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

function importCard(ctx: Ctx, kind: Kind, onDone: () => void): HTMLElement {
  const scopeReady = kind === 'skills' ? !!ctx.code : !!(ctx.code && ctx.skill);
  const input = h('input', { type: 'file', accept: '.csv,.json,text/csv,application/json', 'data-kind': kind, disabled: !scopeReady });
  const previewBox = h('div', {});
  const judges = kind === 'scheme' ? h('select', { name: 'judges' }, h('option', { value: '3' }, '3'), h('option', { value: '5' }, '5')) : null;
  const send = h('button', { class: 'primary', type: 'button', disabled: true }, t('import.upload'));
  const progress = h('progress', { max: 1, value: 0, hidden: true });
  const progressText = h('span', { class: 'cmuted' });
  const result = h('div', { class: 'cresult' });
  let file: { name: string; text: string } | null = null;

  input.onchange = async () => {
    result.replaceChildren();
    const f = input.files?.[0];
    if (!f) return;
    file = { name: f.name, text: await f.text() };
    previewBox.replaceChildren(preview(kind, file.name, file.text));
    send.disabled = false;
  };
  send.onclick = async () => {
    if (!file || !ctx.code) return;
    send.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    result.replaceChildren();
    const json = isJson(file.name, file.text);
    const url = kind === 'skills' ? `/api/competitions/${encodeURIComponent(ctx.code)}/skills`
      : `${skillPath(ctx.code, ctx.skill!)}/${kind === 'groups' ? 'marking-groups' : kind}${judges ? `?judges=${judges.value}` : ''}`;
    try {
      const answer = await upload<ImportResponse>(url, file.text, json ? 'application/json' : 'text/csv', (f) => {
        progress.value = f;
        progressText.textContent = t('import.sending', { percent: Math.round(f * 100) });
      });
      progressText.textContent = '';
      const ok = t('import.ok', { count: answer.count, changed: t(answer.changed ? 'import.changed' : 'import.unchanged') });
      result.replaceChildren(h('p', { class: 'cok', role: 'status' }, ok));
      ctx.toast(`${t(`import.${kind}`)}: ${ok}`);
      // New skills change the skill picker; everything else only the lists below.
      if (kind === 'skills') ctx.rerender();
      else onDone();
    } catch (e) {
      progressText.textContent = '';
      result.replaceChildren(errorTable(e));
    } finally {
      send.disabled = false;
    }
  };
  const scope = kind === 'skills' ? t('import.scope.competition', { code: ctx.code ?? '—' }) : t('import.scope.skill', { skill: ctx.skill ? String(ctx.skill).padStart(2, '0') : '—' });
  return h('article', { class: 'ccard', 'data-import': kind },
    h('h3', {}, t(`import.${kind}`), ' ', h('span', { class: 'cmuted' }, scope)),
    h('label', { class: 'cfile' }, h('span', {}, t('import.choose')), input),
    judges ? field(t('import.judges'), judges) : null,
    previewBox,
    h('div', { class: 'crow' }, send, progress, progressText),
    result);
}

function createCompetition(ctx: Ctx): HTMLElement {
  const inputs = {
    code: h('input', { name: 'code', required: true, placeholder: 'NSC2026', maxlength: 16 }),
    name: h('input', { name: 'name', required: true }),
    nameZh: h('input', { name: 'nameZh' }),
    city: h('input', { name: 'city', required: true }),
    country: h('input', { name: 'country', required: true }),
    startsOn: h('input', { name: 'startsOn', type: 'date' }),
    endsOn: h('input', { name: 'endsOn', type: 'date' }),
  };
  const message = h('div', {});
  const form = h('form', { class: 'cform cinline', id: 'create-competition' },
    field(t('create.code'), inputs.code), field(t('create.name'), inputs.name), field(t('create.nameZh'), inputs.nameZh),
    field(t('create.city'), inputs.city), field(t('create.country'), inputs.country),
    field(t('create.starts'), inputs.startsOn), field(t('create.ends'), inputs.endsOn),
    h('button', { class: 'primary', type: 'submit' }, t('create.submit')), message);
  form.onsubmit = async (e) => {
    e.preventDefault();
    try {
      const body = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value.trim() || null]));
      const created = await api<{ code: string }>('POST', '/api/competitions', body);
      ctx.toast(t('create.done', { code: created.code }));
      localStorage.setItem('skillshub.console.selection', JSON.stringify({ code: created.code, skill: null }));
      ctx.rerender();
    } catch (err) {
      message.replaceChildren(errorTable(err));
    }
  };
  return h('details', { class: 'cpanel' }, h('summary', {}, h('h2', {}, t('create.title'))), form);
}

async function rosters(ctx: Ctx): Promise<HTMLElement> {
  const path = skillPath(ctx.code!, ctx.skill!);
  const [competitors, experts] = await Promise.all([get<Competitor[]>(`${path}/competitors`), get<Expert[]>(`${path}/experts`)]);
  const reimport = async (kind: 'competitors' | 'experts', csv: string, id: string) => {
    try {
      await upload(`${path}/${kind}`, csv, 'text/csv', () => undefined);
      ctx.toast(t('roster.saved', { id }));
      ctx.rerender();
    } catch (e) {
      ctx.toast(messageOf(e), true);
    }
  };
  const competitorRow = (c: Competitor): Child[] => {
    const edit = h('button', { class: 'secondary small', type: 'button', 'data-edit': c.id }, t('roster.edit'));
    const actions = h('span', {}, edit);
    edit.onclick = () => {
      const member = h('input', { value: c.memberCode, size: 4, name: 'member' });
      const people = h('textarea', { rows: Math.max(1, c.people.length), name: 'people', title: t('roster.peopleHint') });
      people.value = c.people.map((p) => `${p.firstName}, ${p.lastName}`).join('\n');
      const save = h('button', { class: 'primary small', type: 'button' }, t('roster.save'));
      save.onclick = () => {
        const rows = people.value.split('\n').map((l) => l.trim()).filter(Boolean).map((l) => {
          const [first, ...last] = l.split(',');
          return [c.id, member.value.trim(), first.trim(), last.join(',').trim()];
        });
        void reimport('competitors', toCsv([['id', 'member', 'first_name', 'last_name'], ...rows]), c.id);
      };
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: () => ctx.rerender() }, t('roster.cancel'));
      actions.replaceChildren(h('div', { class: 'cedit' }, field(t('roster.member'), member), field(t('roster.peopleHint'), people), h('div', { class: 'crow' }, save, cancel)));
    };
    return [c.id, c.memberCode, c.name, c.people.map((p) => `${p.firstName} ${p.lastName}`).join('; '), actions];
  };
  const roleCsv: Record<string, string> = { Expert: 'Expert', DeputyChiefExpert: 'Deputy Chief Expert', ChiefExpert: 'Chief Expert' };
  const expertRow = (x: Expert): Child[] => {
    const edit = h('button', { class: 'secondary small', type: 'button', 'data-edit': x.id }, t('roster.edit'));
    const actions = h('span', {}, edit);
    edit.onclick = () => {
      const member = h('input', { value: x.memberCode, size: 4, name: 'member' });
      const name = h('input', { value: x.name, name: 'name' });
      const role = h('select', { name: 'role' }, Object.entries(roleCsv).map(([k, v]) => h('option', { value: v, selected: k === x.role }, (t.maybe(`role.${k}`) ?? k))));
      const save = h('button', { class: 'primary small', type: 'button' }, t('roster.save'));
      save.onclick = () => void reimport('experts', toCsv([['id', 'member', 'name', 'role'], [x.id, member.value.trim(), name.value.trim(), role.value]]), x.id);
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: () => ctx.rerender() }, t('roster.cancel'));
      actions.replaceChildren(h('div', { class: 'cedit' }, field(t('roster.member'), member), field(t('roster.name'), name), field(t('roster.role'), role), h('div', { class: 'crow' }, save, cancel)));
    };
    return [x.id, x.memberCode, x.name, roleCsv[x.role] ? (t.maybe(`role.${x.role}`) ?? x.role) : x.role, actions];
  };
  return h('div', { class: 'cgrid2' },
    section(`${t('roster.competitors')} (${competitors.length})`,
      competitors.length ? scrollBox(table([t('roster.id'), t('roster.member'), t('roster.name'), t('roster.people'), ''], competitors.map(competitorRow)), t('roster.competitors')) : emptyNote(ctx, t('roster.noCompetitors'))),
    section(`${t('roster.experts')} (${experts.length})`,
      experts.length ? scrollBox(table([t('roster.id'), t('roster.member'), t('roster.name'), t('roster.role'), ''], experts.map(expertRow)), t('roster.experts')) : emptyNote(ctx, t('roster.noExperts'))));
}

/** A freeze time still to come, as the time field shows it; empty (freeze now) once it has passed or when there is none. */
function toLocalInput(iso: string | null): string {
  if (!iso || new Date(iso).getTime() <= Date.now()) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

function visibilityPanel(ctx: Ctx, skill: SkillDetails): HTMLElement {
  const path = skillPath(ctx.code!, ctx.skill!);
  const v = skill.event.visibility;
  const lang = currentLang();
  const current = h('p', { id: 'visibility-now', 'data-mode': v.mode, 'data-published': String(v.published) },
    t('vis.current', {
      mode: t(`vis.${v.mode}`),
      frozen: v.mode === 'Frozen' ? t('vis.frozenAt', { at: fmtTime(v.frozenAt, lang) }) : '',
      published: v.published ? t('vis.published', { at: fmtTime(v.publishedAt, lang) }) : t('vis.notPublished'),
    }));
  const mode = h('select', { id: 'visibility-mode' }, (['Live', 'Frozen', 'Hidden'] as const).map((m) => h('option', { value: m, selected: m === v.mode }, t(`vis.${m}`))));
  const at = h('input', { id: 'visibility-at', type: 'datetime-local', value: toLocalInput(v.frozenAt) });
  const atField = field(t('vis.at'), at);
  const syncAt = () => (atField.hidden = mode.value !== 'Frozen');
  mode.onchange = syncAt;
  syncAt();
  const save = h('button', { class: 'primary', type: 'button', id: 'visibility-save' }, t('vis.save'));
  save.onclick = async () => {
    try {
      const body: Body<'/api/competitions/{code}/skills/{number}/visibility', 'put'> = {
        mode: mode.value as Schemas['VisibilityMode'],
        // Empty: now. The server refuses a time in the past (docs/scoring.md, "Visibility").
        frozenAt: mode.value === 'Frozen' && at.value ? new Date(at.value).toISOString() : null,
      };
      const saved = await api<Visibility>('PUT', `${path}/visibility`, body);
      ctx.toast(t('vis.saved', { mode: t(`vis.${saved.mode}`) }));
      ctx.rerender();
    } catch (e) {
      ctx.toast(messageOf(e), true);
    }
  };
  const publish = h('button', { class: 'primary', type: 'button', id: 'publish' }, t('vis.publish'));
  publish.onclick = async () => {
    if (!confirm(t('vis.confirmPublish', { skill: ctx.skill! }))) return;
    try {
      await api<Visibility>('POST', `${path}/publish`);
      ctx.toast(t('vis.publishedOk', { skill: ctx.skill! }));
      ctx.rerender();
    } catch (e) {
      ctx.toast(messageOf(e), true);
    }
  };
  return section(t('vis.title'), current, h('div', { class: 'crow cwrap' }, field(t('vis.mode'), mode), atField, save, publish));
}

export async function setupPage(ctx: Ctx): Promise<HTMLElement> {
  const page = h('div', { class: 'csetup' });
  page.append(createCompetition(ctx));
  const refresh = () => void reloadSkillParts();
  const kinds: Kind[] = ['skills', 'competitors', 'experts', 'scheme', 'groups'];
  page.append(section(t('import.title'), h('p', { class: 'cmuted' }, t('import.lead')),
    h('div', { class: 'cimports' }, kinds.map((k) => importCard(ctx, k, refresh)))));
  const skillParts = h('div', { class: 'cskillparts' });
  page.append(skillParts);
  // Every import reloads the lists; reloads can overlap, and only the newest one's answer is shown (an older one
  // finishing last would show older lists). aria-busy is set while one is in flight.
  let generation = 0;
  async function reloadSkillParts(): Promise<void> {
    if (!ctx.code || !ctx.skill) return;
    const mine = ++generation;
    skillParts.setAttribute('aria-busy', 'true');
    try {
      const skill = await get<SkillDetails>(skillPath(ctx.code, ctx.skill));
      const parts = [visibilityPanel(ctx, skill), await rosters(ctx)];
      if (mine === generation) skillParts.replaceChildren(...parts);
    } catch (e) {
      if (mine === generation) skillParts.replaceChildren(errorLine(e));
    } finally {
      if (mine === generation) skillParts.removeAttribute('aria-busy');
    }
  }
  await reloadSkillParts();
  return page;
}
