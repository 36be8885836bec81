import { api, get, upload, skillPath, type Competitor, type Expert, jurySkill } from './api';
import { toCsv } from './csv';
import { formErrors, importCard, type Kind } from './imports';
import { remember } from './picker';
import { h, table, type Child } from './dom';
import { t } from './strings';
import { submitting } from '../kernel/dom';
import { personName } from '../kernel/names';
import { type Ctx, section, field, messageOf, errorLine, emptyNote, scrollBox } from './context';
import { visibilityCard, followVisibility } from './visibility';

/**
 * The new competition's form as the organiser left it (open, the values typed, the last refusal), kept across the page's
 * redraws: a language switch draws it again in the new language (an outside tester: the switch closed the form and its
 * error was gone).
 */
const draft: { open: boolean; values: Record<string, string>; error?: unknown } = { open: false, values: {} };

function createCompetition(ctx: Ctx): HTMLElement {
  const inputs = {
    code: h('input', { name: 'code', required: true, placeholder: 'NSC2026', maxlength: 16 }),
    name: h('input', { name: 'name', required: true }),
    nameZh: h('input', { name: 'nameZh' }),
    city: h('input', { name: 'city', required: true }),
    country: h('input', { name: 'country', required: true }),
    // The Chinese pages show these (a country left blank takes the WorldSkills member's Chinese name of that country).
    cityZh: h('input', { name: 'cityZh' }),
    countryZh: h('input', { name: 'countryZh' }),
    startsOn: h('input', { name: 'startsOn', type: 'date' }),
    endsOn: h('input', { name: 'endsOn', type: 'date' }),
  };
  const message = h('div', {});
  for (const [name, input] of Object.entries(inputs)) {
    input.value = draft.values[name] ?? '';
    input.addEventListener('input', () => { draft.values[name] = input.value; });
  }
  const labels = () => ({
    code: t('create.code'), name: t('create.name'), nameZh: t('create.nameZh'), city: t('create.city'), country: t('create.country'),
    cityZh: t('create.cityZh'), countryZh: t('create.countryZh'), startsOn: t('create.starts'), endsOn: t('create.ends'),
  });
  const form = h('form', { class: 'cform cinline', id: 'create-competition' },
    field(t('create.code'), inputs.code), field(t('create.name'), inputs.name), field(t('create.nameZh'), inputs.nameZh),
    field(t('create.city'), inputs.city), field(t('create.country'), inputs.country),
    field(t('create.cityZh'), inputs.cityZh), field(t('create.countryZh'), inputs.countryZh),
    field(t('create.starts'), inputs.startsOn), field(t('create.ends'), inputs.endsOn),
    h('button', { class: 'primary', type: 'submit' }, t('create.submit')), message);
  form.onsubmit = (e) => {
    e.preventDefault();
    void submitting(form, async () => {
      try {
        const body = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.value.trim() || null]));
        const created = await api<{ code: string }>('POST', '/api/competitions', body);
        ctx.toast(t('create.done', { code: created.code }));
        remember(created.code, null);
        draft.open = false;
        draft.values = {};
        draft.error = undefined;
        ctx.rerender();
      } catch (err) {
        draft.error = err;
        message.replaceChildren(formErrors(err, labels(), form));
      }
    });
  };
  // Drawn again with its refusal, the fields it names marked but the focus left where it is.
  if (draft.error !== undefined) message.replaceChildren(formErrors(draft.error, labels(), form, false));
  const panel = h('details', { class: 'cpanel' }, h('summary', {}, h('h2', {}, t('create.title'))), form);
  panel.open = draft.open;
  panel.addEventListener('toggle', () => { draft.open = panel.open; });
  return panel;
}

async function rosters(ctx: Ctx): Promise<HTMLElement> {
  const path = skillPath(ctx.code!, ctx.skill!);
  const [competitors, experts] = await Promise.all([get<Competitor[]>(`${path}/competitors`), get<Expert[]>(`${path}/experts`)]);
  const reimport = async (kind: 'competitors' | 'experts', csv: string, id: string) => {
    try {
      await upload(`${path}/${kind}`, new Blob([csv]), 'text/csv', () => undefined);
      ctx.toast(t('roster.saved', { id }));
      ctx.rerender();
    } catch (e) {
      ctx.toast(messageOf(e), true);
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
        void reimport('competitors', toCsv([['id', 'member', 'first_name', 'last_name'], ...rows]), c.id);
      };
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: restore }, t('roster.cancel'));
      actions.replaceChildren(h('div', { class: 'cedit' }, field(t('roster.member'), member), field(t('roster.peopleHint'), people), h('div', { class: 'crow' }, save, cancel)));
    };
    return [h('span', { class: 'cid' }, c.id), c.memberCode, c.name, c.people.map((p) => personName(p.firstName, p.lastName)).join('; '), actions];
  };
  const roleCsv: Record<string, string> = { Expert: 'Expert', DeputyChiefExpert: 'Deputy Chief Expert', ChiefExpert: 'Chief Expert' };
  const expertRow = (x: Expert): Child[] => {
    const { edit, actions, restore } = rowActions('experts', x.id);
    edit.onclick = () => {
      const member = h('input', { value: x.memberCode, size: 4, name: 'member' });
      const name = h('input', { value: x.name, name: 'name' });
      const role = h('select', { name: 'role' }, Object.entries(roleCsv).map(([k, v]) => h('option', { value: v, selected: k === x.role }, (t.maybe(`role.${k}`) ?? k))));
      const save = h('button', { class: 'primary small', type: 'button' }, t('roster.save'));
      save.onclick = () => void reimport('experts', toCsv([['id', 'member', 'name', 'role'], [x.id, member.value.trim(), name.value.trim(), role.value]]), x.id);
      const cancel = h('button', { class: 'secondary small', type: 'button', onclick: restore }, t('roster.cancel'));
      actions.replaceChildren(h('div', { class: 'cedit' }, field(t('roster.member'), member), field(t('roster.name'), name), field(t('roster.role'), role), h('div', { class: 'crow' }, save, cancel)));
    };
    return [h('span', { class: 'cid' }, x.id), x.memberCode, x.name, roleCsv[x.role] ? (t.maybe(`role.${x.role}`) ?? x.role) : x.role, actions];
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
  let visibility: ReturnType<typeof visibilityCard> | null = null;
  async function reloadSkillParts(): Promise<void> {
    if (!ctx.code || !ctx.skill) return;
    const mine = ++generation;
    skillParts.setAttribute('aria-busy', 'true');
    try {
      const skill = await jurySkill(skillPath(ctx.code, ctx.skill));
      const card = visibilityCard(ctx, skill.event.visibility);
      const parts = [card.element, await rosters(ctx)];
      if (mine === generation) {
        skillParts.replaceChildren(...parts);
        visibility = card;
      }
    } catch (e) {
      if (mine === generation) skillParts.replaceChildren(errorLine(e));
    } finally {
      if (mine === generation) skillParts.removeAttribute('aria-busy');
    }
  }
  await reloadSkillParts();
  if (ctx.code && ctx.skill) {
    const path = skillPath(ctx.code, ctx.skill);
    followVisibility(ctx, async () => {
      const card = visibility;
      if (card) card.follow((await jurySkill(path)).event.visibility);
    });
  }
  return page;
}
