import { api, skillPath, jurySkill } from './api';
import { importCard, type Kind } from './imports';
import { formErrors } from './form-errors';
import { remember } from './picker';
import { h } from './dom';
import { t } from './strings';
import { submitting } from '../kernel/dom';
import { type Ctx, section, field, errorLine } from './context';
import { visibilityCard, followVisibility } from './visibility';
import { rosters } from './rosters';

/**
 * The new competition's form as the organiser left it (open, the values typed, the last refusal), kept across the page's
 * redraws: a language switch draws it again in the new language (an outside tester: the switch closed the form and its
 * error was gone).
 */
const draft: { open: boolean; values: Record<string, string>; error?: unknown } = { open: false, values: {} };

function createCompetition(ctx: Ctx): HTMLElement {
  const inputs = {
    // No maxlength: a longer code pasted is refused as typed, not cut and created under a code nobody typed (an outside tester).
    code: h('input', { name: 'code', required: true, placeholder: 'NSC2026' }),
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
        // The form closes with its panel: the focus goes to the panel's summary, before the import cards (found by an
        // outside tester: it fell to the page, and the next Tab started again from the top).
        ctx.rerender('#create-panel > summary');
      } catch (err) {
        draft.error = err;
        message.replaceChildren(formErrors(err, labels(), form));
      }
    });
  };
  // Drawn again with its refusal, the fields it names marked but the focus left where it is.
  if (draft.error !== undefined) message.replaceChildren(formErrors(draft.error, labels(), form, false));
  const panel = h('details', { class: 'cpanel', id: 'create-panel' }, h('summary', {}, h('h2', {}, t('create.title'))), form);
  panel.open = draft.open;
  panel.addEventListener('toggle', () => { draft.open = panel.open; });
  return panel;
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
