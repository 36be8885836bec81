// The competition and skill the console works on: kept in the browser, so every section opens on the same one, and
// the pickers that change it (organisers; a Chief Expert's console is bound to one skill).
import { currentLang } from '../i18n';
import { get, type Me, type CompetitionSummary, type CompetitionDetails } from './api';
import { h } from './dom';
import { t } from './strings';
import { type Ctx, isChief, isOrganiser, field } from './context';
import { competitionToOpen, skillToOpen } from './choice';

const selectionKey = 'skillshub.console.selection';
/** Above this many competitions the picker offers a filter. */
const FilterFrom = 8;

export function selection(me: Me | null): { code: string | null; skill: number | null } {
  if (me && isChief(me) && !isOrganiser(me)) return { code: me.competitionCode, skill: me.skillNumber };
  try {
    const saved = JSON.parse(localStorage.getItem(selectionKey) ?? '{}') as { code?: string; skill?: number };
    return { code: saved.code ?? null, skill: saved.skill ?? null };
  } catch {
    return { code: null, skill: null };
  }
}

export function remember(code: string | null, skill: number | null): void {
  localStorage.setItem(selectionKey, JSON.stringify({ code, skill }));
}

/**
 * Runs <choose> when a list's choice is made: with the pointer or in the open list at once; with keys on the closed list,
 * which move its value at each press, on Enter or when the list is left (found by an outside tester: each arrow press
 * opened another competition, and a press too many landed on someone else's with its import cards open).
 */
function onChosen(list: HTMLSelectElement, choose: () => void): void {
  let chosen = list.value;
  let keyed = false;
  const take = () => {
    keyed = false;
    if (list.value === chosen) return;
    chosen = list.value;
    choose();
  };
  list.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') take();
    else if (!e.altKey && (/^(Arrow|Page|Home$|End$)/.test(e.key) || (e.key.length === 1 && e.key !== ' '))) keyed = true;
  });
  list.addEventListener('change', () => { if (!keyed) take(); });
  list.addEventListener('blur', () => { if (keyed) take(); });
}

/** Competition and skill pickers for organisers (a Chief Expert's console is bound to one skill). */
export async function picker(ctx: Ctx, withSkill: boolean, select: (code: string, skill: number | null) => void): Promise<HTMLElement> {
  const competitions = await get<CompetitionSummary[]>('/api/competitions');
  const bar = h('div', { class: 'cpicker' });
  if (competitions.length === 0) {
    bar.append(h('p', { class: 'cmuted' }, t('picker.none')));
    return bar;
  }
  // The last choice, else a competition with something in it (choice.ts); kept, so every section opens on the same one.
  const kept = ctx.code && competitions.some((c) => c.code === ctx.code) ? ctx.code : null;
  const opened = kept ? null : await competitionToOpen(competitions);
  const code = kept ?? opened!.code;
  const preferred = opened?.skill ?? null;
  const cs = h('select', { id: 'pick-competition' },
    competitions.map((c) => h('option', { value: c.code, selected: c.code === code }, `${c.code} · ${currentLang() === 'zh' && c.nameZh ? c.nameZh : c.name}`)));
  onChosen(cs, () => select(cs.value, null));
  // Many competitions: a filter by code or name narrows the list (found by an outside tester: 200 in one plain list,
  // and the work went to the wrong one). The chosen one always stays listed.
  if (competitions.length > FilterFrom) {
    const find = h('input', { type: 'search', id: 'find-competition', autocomplete: 'off' });
    find.oninput = () => {
      const words = find.value.trim().toLowerCase();
      for (const option of cs.options) option.hidden = !!words && option.value !== cs.value && !option.text.toLowerCase().includes(words);
    };
    bar.append(field(t('picker.find'), find));
  }
  bar.append(field(t('picker.competition'), cs));
  ctx.code = code;
  const current = competitions.find((c) => c.code === code);
  ctx.competitionName = current ? (currentLang() === 'zh' && current.nameZh ? current.nameZh : current.name) : undefined;
  let skills: number[] | null = null;
  if (withSkill) {
    const details = await get<CompetitionDetails>(`/api/competitions/${encodeURIComponent(code)}`);
    skills = details.skills.map((s) => s.number);
    if (details.skills.length === 0) {
      ctx.skill = null;
      bar.append(h('p', { class: 'cmuted' }, t('picker.noSkills')));
    } else {
      const known = (n: number | null) => n !== null && details.skills.some((s) => s.number === n);
      const wanted = known(ctx.skill) ? ctx.skill : known(preferred) ? preferred : await skillToOpen(code);
      const skill = known(wanted) ? wanted! : details.skills[0].number;
      ctx.skill = skill;
      const ss = h('select', { id: 'pick-skill' },
        details.skills.map((s) => h('option', { value: s.number, selected: s.number === skill }, `${String(s.number).padStart(2, '0')} · ${currentLang() === 'zh' && s.nameZh ? s.nameZh : s.name}`)));
      onChosen(ss, () => select(code, Number(ss.value)));
      bar.append(field(t('picker.skill'), ss));
    }
  } else if (opened) {
    ctx.skill = preferred;
  }
  // Written only when the browser keeps no usable choice: one kept there, perhaps made in another tab since this page
  // opened, is never overwritten by the one this section opened on (found while fixing a test that raced the picker).
  const stored = selection(ctx.me);
  const usable = stored.code !== null && competitions.some((c) => c.code === stored.code)
    && (stored.code !== code || skills === null || (stored.skill !== null && skills.includes(stored.skill)));
  if (!usable) remember(code, ctx.skill);
  return bar;
}
