import { currentLang } from '../i18n';
import { api, type LockInfo, type Scheme } from './api';
import { h, table, fmtTime } from './dom';
import { t } from './strings';
import { type Ctx, section, messageOf, emptyNote, scrollBox, reasonGiven } from './context';

/**
 * The marking page's locks: each criterion and marking day of the scheme (and any other target locked), locked or
 * unlocked by the Chief Expert with a reason (docs/scoring.md, "Marking").
 */
export function locksPanel(ctx: Ctx, path: string, scheme: Scheme | null, locks: LockInfo[], unfinished: (aspectIds: string[]) => number,
  expertNames: ReadonlyMap<string, string>): HTMLElement {
  const lang = currentLang();
  const targets: { target: string; label: string }[] = [];
  const aspects = (scheme?.criteria ?? []).flatMap((c) => c.subCriteria.flatMap((s) => s.aspects.map((a) => ({ ...a, criterion: c.id }))));
  // The aspects a lock closes: a criterion's, or a marking day's.
  const closed = (target: string) => aspects.filter((a) => a.criterion === target || a.markingDay === target).map((a) => a.id);
  for (const c of scheme?.criteria ?? []) targets.push({ target: c.id, label: t('lock.criterion', { id: `${c.id} ${c.name}` }) });
  const days = [...new Set((scheme?.criteria ?? []).flatMap((c) => c.subCriteria.flatMap((s) => s.aspects.map((a) => a.markingDay)).filter((d): d is string => !!d)))].sort();
  for (const d of days) targets.push({ target: d, label: t('lock.day', { day: d }) });
  for (const l of locks) if (!targets.some((x) => x.target === l.target)) targets.push({ target: l.target, label: l.target });
  const rows = targets.map(({ target, label }) => {
    const lock = locks.find((l) => l.target === target);
    const actions = h('span', { class: 'crow' });
    if (lock) {
      const reason = h('input', { name: 'reason', required: true, placeholder: t('lock.reason'), 'aria-label': t('lock.reason'), 'data-unlock-reason': target });
      const unlock = h('button', { class: 'secondary small', type: 'button', 'data-unlock': target }, t('lock.unlock'));
      unlock.onclick = async () => {
        if (!reasonGiven(reason, t('lock.needReason'))) return;
        try {
          await api('POST', `${path}/locks/${encodeURIComponent(target)}/unlock`, { reason: reason.value });
          ctx.toast(t('lock.undone', { target }));
          ctx.rerender(`[data-lock="${CSS.escape(target)}"]`);
        } catch (e) {
          ctx.toast(messageOf(e, { reason: t('lock.reason') }), true);
        }
      };
      // Enter in the reason sends it, as a form's field does (found by an outside tester: it did nothing).
      reason.onkeydown = (e) => { if (e.key === 'Enter') { e.preventDefault(); unlock.click(); } };
      actions.append(reason, unlock);
    } else {
      const button = h('button', { class: 'primary small', type: 'button', 'data-lock': target }, t('lock.lock'));
      button.onclick = async () => {
        // Competitors with marks still missing or spread in what the lock closes are named in the question (found by an
        // outside tester: a criterion was locked "after sign-off" with a judgement waiting for its third judge).
        const open = unfinished(closed(target));
        if (!confirm(open > 0 ? t('lock.confirmOpen', { target, count: open }) : t('lock.confirm', { target }))) return;
        try {
          await api('POST', `${path}/locks`, { target });
          ctx.toast(t('lock.done', { target }));
          ctx.rerender(`[data-unlock-reason="${CSS.escape(target)}"]`);
        } catch (e) {
          ctx.toast(messageOf(e), true);
        }
      };
      actions.append(button);
    }
    return [h('span', { 'data-target': target, 'data-locked': String(!!lock) }, lock ? '🔒 ' : '', label),
      // Each column has its header on screen, and an unlocked row says so (an outside tester: a bare "—" under no header).
      lock ? t('lock.by', { who: lockedBy(lock.lockedBy, expertNames), at: fmtTime(lock.lockedAt, lang) }) : t('lock.open'), actions];
  });
  return section(t('lock.title'), rows.length ? scrollBox(table([t('lock.col.target'), t('lock.col.state'), t('lock.col.actions')], rows, 'ctable clocks'), t('lock.title')) : emptyNote(ctx, t('lock.none'), true));
}

/**
 * Who locked: an expert's name with their id when the lock came from a tablet (the server records the expert's id), else
 * the account's user name (found by an outside tester: "Locked by E-CN" named the Chief Expert by an id only).
 */
function lockedBy(actor: string, expertNames: ReadonlyMap<string, string>): string {
  const name = expertNames.get(actor);
  return name ? `${name} (${actor})` : actor;
}
