import { currentLang } from '../i18n';
import { api, get, jurySkill, skillPath, type Competitor, type ContestantSheet, type Scheme, type Visibility } from './api';
import type { Body, Schemas } from '../api-types';
import { h, fmtTime } from './dom';
import { t } from './strings';
import { type Ctx, section, field, messageOf } from './context';
import { ProblemError } from './api';
import { markFields } from './form-errors';
import * as Kernel from '../kernel/problems';
import { restore, snapshot } from './carry';
import { followProgress } from './live';

// The setup page's visibility card: who sees a skill's standings, and publishing its results (docs/scoring.md, "Visibility").

/** A freeze time still to come, as the time field shows it; empty (freeze now) once it has passed or when there is none. */
function toLocalInput(iso: string | null): string {
  if (!iso || new Date(iso).getTime() <= Date.now()) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/**
 * The visibility card. `follow` draws it again with the visibility read anew (a change made in another console or through
 * the API, pushed as "visibilityChanged"; found by an outside tester: it showed only when the card was next drawn), in
 * place: a mode and a time chosen but not yet set stay, and so does the focus (console/carry.ts).
 */
export function visibilityCard(ctx: Ctx, first: Visibility): { element: HTMLElement; follow(v: Visibility): void } {
  const path = skillPath(ctx.code!, ctx.skill!);
  // What was chosen and typed but not yet set is kept across redraws (a language switch, an import's reload, a push).
  const typed = ctx.keep('visibility-form', () => ({ mode: null as string | null, at: null as string | null }));
  let timer = 0;
  ctx.onLeave(() => window.clearTimeout(timer));
  let drawn = '';
  const draw = (v: Visibility): HTMLElement => {
    drawn = JSON.stringify(v);
    window.clearTimeout(timer);
    const lang = currentLang();
    // A freeze set for later keeps the standings live until its time (docs/scoring.md, "Visibility"): the page says so
    // instead of "frozen" (found by an outside tester).
    const plannedAt = v.mode === 'Frozen' && v.frozenAt ? new Date(v.frozenAt).getTime() : 0;
    const planned = plannedAt > Date.now();
    // Once published, spectators see the live standings whatever the mode (docs/scoring.md, "Visibility"): the card says
    // so rather than a freeze or a hiding that no longer applies (found by an outside tester).
    const current = h('p', { id: 'visibility-now', 'data-mode': v.mode, 'data-planned': String(planned), 'data-published': String(v.published) },
      v.published ? t('vis.nowPublished', { at: fmtTime(v.publishedAt, lang), mode: t(`vis.${v.mode}`) }) : t('vis.current', {
        mode: t(planned ? 'vis.Live' : `vis.${v.mode}`),
        frozen: v.mode === 'Frozen' ? t(planned ? 'vis.freezesAt' : 'vis.frozenAt', { at: fmtTime(v.frozenAt, lang) }) : '',
        published: t('vis.notPublished'),
      }));
    // A freeze set for later takes effect while the card is open: it is drawn again then, so it never shows a time that
    // has passed as still to come, nor sends it again as a new freeze (found by an outside tester: Set visibility then
    // froze anew).
    if (planned) timer = window.setTimeout(() => redraw(v), Math.min(plannedAt - Date.now() + 500, 2_147_000_000));
    const chosen = typed.mode ?? v.mode;
    const mode = h('select', { id: 'visibility-mode' }, (['Live', 'Frozen', 'Hidden'] as const).map((m) => h('option', { value: m, selected: m === chosen }, t(`vis.${m}`))));
    const at = h('input', { id: 'visibility-at', type: 'datetime-local', value: typed.at ?? toLocalInput(v.frozenAt) });
    const atField = field(t('vis.at'), at);
    const syncAt = () => (atField.hidden = mode.value !== 'Frozen');
    mode.onchange = () => {
      typed.mode = mode.value;
      syncAt();
    };
    // A time typed makes the form as shown the person's choice: a change pushed meanwhile does not switch its mode.
    at.oninput = () => {
      typed.at = at.value;
      typed.mode = mode.value;
    };
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
        typed.mode = typed.at = null;
        ctx.toast(t('vis.saved', { mode: t(`vis.${saved.mode}`) }));
        ctx.rerender();
      } catch (e) {
        refuse(e);
      }
    };
    // A refused setting is said beside the form, its field marked and described by it and focused, in the page's words
    // (found by an outside tester: a toast named the API's "frozenAt" and a UTC time, and the field was not marked).
    const refusal = h('div', {});
    const refuse = (e: unknown) => {
      const named = e instanceof ProblemError ? Kernel.namedFields(e.problem) : [];
      const shown = h('p', { class: 'cerror', role: 'alert' }, t('error', { message: (e instanceof ProblemError ? Kernel.pageText(e.problem) : undefined)
        ?? messageOf(e, { frozenAt: t('vis.atName'), mode: t('vis.mode') }) }));
      markFields(row, named.includes('frozenAt') ? [at] : named.includes('mode') ? [mode] : [], shown, true);
      refusal.replaceChildren(shown);
    };
    const publish = h('button', { class: 'primary', type: 'button', id: 'publish' }, t('vis.publish'));
    publish.onclick = async () => {
      if (!confirm(await publishQuestion(path, ctx.skill!))) return;
      try {
        await api<Visibility>('POST', `${path}/publish`);
        ctx.toast(t('vis.publishedOk', { skill: String(ctx.skill!).padStart(2, '0') }));
        ctx.rerender();
      } catch (e) {
        ctx.toast(messageOf(e), true);
      }
    };
    const row = h('div', { class: 'crow cwrap' }, field(t('vis.mode'), mode), atField, save, publish);
    return section(t('vis.title'), current, row, refusal);
  };
  let element = draw(first);
  const redraw = (v: Visibility) => {
    const before = snapshot(element);
    const next = draw(v);
    element.replaceWith(next);
    element = next;
    // The focus only: what was chosen is in `typed`, and drawn from there.
    restore(next, before, false);
  };
  return {
    get element() { return element; },
    follow: (v) => { if (JSON.stringify(v) !== drawn) redraw(v); },
  };
}

/**
 * Follows the skill's progress feed for "visibilityChanged" while the section is open, and once subscribed (the card was
 * read before; after a reconnection changes may have been missed) reads the visibility again.
 */
export function followVisibility(ctx: Ctx, read: () => Promise<void>): void {
  if (!ctx.code || !ctx.skill) return;
  let pending = Promise.resolve();
  const again = () => { pending = pending.then(read).catch((e) => ctx.toast(messageOf(e), true)); };
  const connection = followProgress(ctx, ctx.code, ctx.skill, { live: () => undefined, again });
  connection.on('visibilityChanged', (message: { competition: string; skill: number }) => {
    if (message.competition.toUpperCase() === ctx.code?.toUpperCase() && message.skill === ctx.skill) again();
  });
}

/**
 * The question before publishing, naming the criteria still open to the tablets (neither locked nor on locked marking
 * days): marks stay correctable after publication (docs/scoring.md, "Visibility"), and the published results change with
 * them (found by an outside tester: "final" results changed under the spectators, and nothing had said so).
 */
async function publishQuestion(path: string, skill: number): Promise<string> {
  const [event, scheme, competitors] = await Promise.all([jurySkill(path).then((s) => s.event), get<Scheme>(`${path}/scheme`).catch(() => null),
    get<Competitor[]>(`${path}/competitors`).catch(() => [] as Competitor[])]);
  const locked = new Set(event.locks.map((l) => l.target));
  const open = (scheme?.criteria ?? []).filter((c) => !locked.has(c.id)
    && c.subCriteria.some((s) => s.aspects.some((a) => !a.markingDay || !locked.has(a.markingDay)))).length;
  // Competitors with marks missing, incomplete or outside the spread are named, as a lock's question names them (found by an
  // outside tester: two competitors with almost no marks were published as joint silver medallists without a word).
  const aspectIds = (scheme?.criteria ?? []).flatMap((c) => c.subCriteria.flatMap((s) => s.aspects.map((a) => a.id)));
  const sheets = await Promise.all(competitors.map((c) => get<ContestantSheet>(`${path}/competitors/${encodeURIComponent(c.id)}/sheet`).catch(() => null)));
  const missing = sheets.filter((sheet) => {
    const done = new Set(sheet?.aspects.filter((a) => a.complete && !a.spreadViolation).map((a) => a.aspectId));
    return aspectIds.some((id) => !done.has(id));
  }).length;
  // Named as the page names skills ("07"), and not "final": published results stay correctable (docs/pages.md; found by an
  // outside tester). Publishing is not undone, which the question says.
  const named = String(skill).padStart(2, '0');
  return [t('vis.confirmPublishAsk', { skill: named }),
    ...(missing > 0 ? [t('vis.confirmPublishMissing', { count: missing })] : []),
    ...(open > 0 ? [t('vis.confirmPublishUnlocked', { count: open })] : []),
    t('vis.confirmPublishFinal')].join(currentLang() === 'zh' ? '' : ' ');
}
