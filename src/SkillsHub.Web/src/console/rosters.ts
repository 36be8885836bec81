import { api, get, upload, skillPath, ProblemError, type Competitor, type Expert } from './api';
import * as Kernel from '../kernel/problems';
import { toCsv } from './csv';
import { h, table, type Child } from './dom';
import { t } from './strings';
import { personName } from '../kernel/names';
import { type Ctx, section, field, messageOf, errorLine, emptyNote, scrollBox } from './context';
import { markFields } from './form-errors';

// The setup page's competitors and experts: each listed, edited in its row (sent as a one-row file) or removed.

/** A row's edit form: its box, the line for a refusal, and its fields by the file's column each is sent as. */
interface EditForm { box: HTMLElement; refusal: HTMLElement; fields: Record<string, { input: HTMLElement; label: string }> }

/**
 * A row's edit refused (sent as a one-row file): each problem beside the form, its field named as the form labels it and
 * marked, the first one focused; never a file's "row 2: last_name" in a toast (found by an outside tester).
 */
function refuseEdit(form: EditForm, e: unknown): void {
  if (!(e instanceof ProblemError) || !Array.isArray(e.problem.rows)) {
    const line = errorLine(e);
    markFields(form.box, [], line, false);
    form.refusal.replaceChildren(line);
    return;
  }
  const rows = e.problem.rows as (Kernel.RowProblem & { field: string })[];
  const lines = rows.map((r) => h('li', {}, `${form.fields[r.field]?.label ?? Kernel.fieldName(r.field)}: ${Kernel.rowMessage(r)}`));
  const shown = h('div', { class: 'crefused', role: 'alert' }, h('p', { class: 'cerror' }, t('roster.notSaved')), h('ul', {}, ...lines));
  markFields(form.box, [...new Set(rows.flatMap((r) => form.fields[r.field]?.input ?? []))], shown, true);
  form.refusal.replaceChildren(shown);
}

export async function rosters(ctx: Ctx): Promise<HTMLElement> {
  const path = skillPath(ctx.code!, ctx.skill!);
  const [competitors, experts] = await Promise.all([get<Competitor[]>(`${path}/competitors`), get<Expert[]>(`${path}/experts`)]);
  const reimport = async (kind: 'competitors' | 'experts', csv: string, id: string, form: EditForm) => {
    try {
      await upload(`${path}/${kind}`, new Blob([csv]), 'text/csv', () => undefined);
      ctx.toast(t('roster.saved', { id }));
      ctx.rerender();
    } catch (e) {
      refuseEdit(form, e);
    }
  };
  const counts = { competitors: competitors.length, experts: experts.length };
  const headings: Record<'competitors' | 'experts', HTMLElement> = { competitors: document.body, experts: document.body };
  // Taking someone off asks first, with a word on what that does (docs/scoring.md): a competitor who does not compete, an
  // expert who leaves. Cancel (or Escape) puts the row's buttons back where they were, and a removal takes the row out,
  // without drawing the page again: the organiser stays where they were, the focus on the next row (found by an outside
  // tester: both went to the top).
  const removal = (kind: 'competitors' | 'experts', id: string, actions: HTMLElement, buttons: HTMLElement[]): HTMLElement => {
    const remove = h('button', { class: 'secondary small', type: 'button', 'data-remove': id }, t('roster.remove'));
    const restore = () => {
      actions.replaceChildren(...buttons);
      remove.focus();
    };
    remove.onclick = () => {
      const confirm = h('button', { class: 'cdanger small', type: 'button' }, t('roster.remove'));
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: restore }, t('roster.cancel'));
      confirm.onclick = async () => {
        try {
          await api('DELETE', `${path}/${kind}/${encodeURIComponent(id)}`);
          ctx.toast(t(kind === 'competitors' ? 'roster.removed' : 'roster.expertRemoved', { id }));
          const row = actions.closest('tr');
          const next = (row?.nextElementSibling ?? row?.previousElementSibling)?.querySelector<HTMLElement>('button[data-remove]');
          row?.remove();
          headings[kind].textContent = `${t(`roster.${kind}`)} (${--counts[kind]})`;
          // The last one gone: the list says what to do, as it does when drawn empty (found by an outside tester).
          if (counts[kind] === 0) {
            ctx.rerender();
            return;
          }
          (next ?? headings[kind]).focus();
        } catch (e) {
          ctx.toast(messageOf(e), true);
        }
      };
      const hint = t(kind === 'competitors' ? 'roster.removeHint' : 'roster.removeExpertHint', { id });
      const box = h('div', { class: 'cedit' }, h('p', { role: 'alert' }, hint), h('div', { class: 'crow' }, confirm, cancel));
      box.onkeydown = (e) => { if (e.key === 'Escape') restore(); };
      actions.replaceChildren(box);
      confirm.focus();
    };
    return remove;
  };
  /** A row's Edit and Remove buttons; `restore` puts them back after an edit, the focus on Edit. */
  const rowActions = (kind: 'competitors' | 'experts', id: string) => {
    const edit = h('button', { class: 'secondary small', type: 'button', 'data-edit': id }, t('roster.edit'));
    const actions = h('span', { class: 'crow' });
    const buttons: HTMLElement[] = [edit];
    buttons.push(removal(kind, id, actions, buttons));
    // Whose Edit and Remove: described by the row's id (found by an outside tester: every row's read the same).
    for (const b of buttons) b.setAttribute('aria-describedby', `roster-${kind}-${id}`);
    actions.append(...buttons);
    const restore = () => {
      actions.replaceChildren(...buttons);
      edit.focus();
    };
    return { edit, actions, restore };
  };
  const competitorRow = (c: Competitor): Child[] => {
    const { edit, actions, restore } = rowActions('competitors', c.id);
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
        void reimport('competitors', toCsv([['id', 'member', 'first_name', 'last_name'], ...rows]), c.id, form);
      };
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: restore }, t('roster.cancel'));
      const refusal = h('div', {});
      const box = h('div', { class: 'cedit' }, field(t('roster.member'), member), field(t('roster.peopleHint'), people), refusal, h('div', { class: 'crow' }, save, cancel));
      const peopleField = { input: people, label: t('roster.peopleHint') };
      const form: EditForm = { box, refusal, fields: { member: { input: member, label: t('roster.member') }, first_name: peopleField, last_name: peopleField } };
      actions.replaceChildren(box);
      // The form takes the focus (found by an outside tester: it stayed on the page, and a keyboard user had to Tab from the top).
      member.focus();
    };
    return [h('span', { class: 'cid', id: `roster-competitors-${c.id}` }, c.id), c.memberCode, c.name, c.people.map((p) => personName(p.firstName, p.lastName)).join('; '), actions];
  };
  const roleCsv: Record<string, string> = { Expert: 'Expert', DeputyChiefExpert: 'Deputy Chief Expert', ChiefExpert: 'Chief Expert' };
  const expertRow = (x: Expert): Child[] => {
    const { edit, actions, restore } = rowActions('experts', x.id);
    edit.onclick = () => {
      const member = h('input', { value: x.memberCode, size: 4, name: 'member' });
      const name = h('input', { value: x.name, name: 'name' });
      const role = h('select', { name: 'role' }, Object.entries(roleCsv).map(([k, v]) => h('option', { value: v, selected: k === x.role }, (t.maybe(`role.${k}`) ?? k))));
      const save = h('button', { class: 'primary small', type: 'button' }, t('roster.save'));
      save.onclick = () => void reimport('experts', toCsv([['id', 'member', 'name', 'role'], [x.id, member.value.trim(), name.value.trim(), role.value]]), x.id, form);
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: restore }, t('roster.cancel'));
      const refusal = h('div', {});
      const box = h('div', { class: 'cedit' }, field(t('roster.member'), member), field(t('roster.name'), name), field(t('roster.role'), role), refusal, h('div', { class: 'crow' }, save, cancel));
      const form: EditForm = { box, refusal, fields: { member: { input: member, label: t('roster.member') }, name: { input: name, label: t('roster.name') }, role: { input: role, label: t('roster.role') } } };
      actions.replaceChildren(box);
      member.focus();
    };
    return [h('span', { class: 'cid', id: `roster-experts-${x.id}` }, x.id), x.memberCode, x.name, roleCsv[x.role] ? (t.maybe(`role.${x.role}`) ?? x.role) : x.role, actions];
  };
  const competitorCard = section(`${t('roster.competitors')} (${competitors.length})`,
    competitors.length ? scrollBox(table([t('roster.id'), t('roster.member'), t('roster.name'), t('roster.people'), t('admin.actions')], competitors.map(competitorRow)), t('roster.competitors')) : emptyNote(ctx, t('roster.noCompetitors')));
  const expertCard = section(`${t('roster.experts')} (${experts.length})`,
    experts.length ? scrollBox(table([t('roster.id'), t('roster.member'), t('roster.name'), t('roster.role'), t('admin.actions')], experts.map(expertRow)), t('roster.experts')) : emptyNote(ctx, t('roster.noExperts')));
  for (const [kind, card] of [['competitors', competitorCard], ['experts', expertCard]] as const) {
    headings[kind] = card.querySelector('h2') ?? card;
    headings[kind].tabIndex = -1;
  }
  return h('div', { class: 'cgrid2' }, competitorCard, expertCard);
}
