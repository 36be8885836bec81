// The marks this tablet holds and where each one is: the panel of unsent marks, the outbox screen and the state badges.
import { currentLang } from '../i18n';
import { el } from '../kernel/dom';
import { t } from './strings';
import { byEntry, putMark, type MarkRecord } from './store';
import { render } from './screens';
import { exportUnsent, outbox } from './marks';
import { button, findAspect, kept, mine, notApplied, refusalText, st, unanswered, unsent, waiting } from './state';
import { describeValue } from './values';
import { leaveOutbox } from './outbox-route';

export function unsentPanel(list: MarkRecord[]): HTMLElement {
  const panel = el('section', 'junsent');
  panel.id = 'unsent';
  panel.appendChild(el('h2', undefined, t('unsent.title', { count: list.length })));
  panel.appendChild(el('p', 'jlead', t('unsent.lead')));
  panel.appendChild(markTable(list));
  panel.appendChild(button(t('export'), 'secondary big', exportUnsent));
  return panel;
}

export function stateBadge(mark: MarkRecord, inTable = false): HTMLElement {
  const sending = outbox.inFlight === mark.key;
  // A spread refusal's reason is spelled out in the aspect's spread warning; elsewhere the badge carries it.
  const reason = mark.refusal?.kind === 'SpreadViolation' && !inTable ? refusalText(mark.refusal, true) : mark.refusal ? refusalText(mark.refusal) : '';
  // Superseded by the server (a newer entry from elsewhere was on file) is said as such; superseded on the tablet (the expert's
  // own newer mark replaced it before it left) is "Replaced".
  // Another pairing's mark waits for its expert, not for this one (found by an outside tester: a colleague's marks read
  // "On tablet" among this expert's own).
  const other = mark.state === 'pending' && !!st.session && !mine(mark);
  const text = sending ? t('state.sending') : mark.state === 'refused' ? t('state.refused', { reason })
    : other ? t('state.kept', { expert: mark.expertId }) : notApplied(mark) ? t('state.notApplied') : t(`state.${mark.state}`);
  const badge = el('span', `jstate ${sending ? 'sending' : other ? 'kept' : mark.state}`, text);
  badge.dataset.state = mark.state;
  return badge;
}

export function markTable(list: MarkRecord[]): HTMLElement {
  const table = el('table', 'jmarks');
  // The columns are named, for a screen reader too (found by an outside tester: a table with no header row).
  const head = table.createTHead().insertRow();
  for (const key of ['outbox.time', 'outbox.competitor', 'outbox.aspect', 'outbox.value', 'outbox.state'] as const) {
    const th = document.createElement('th');
    th.scope = 'col';
    th.textContent = t(key);
    head.appendChild(th);
  }
  const body = table.createTBody();
  // Newest entry first, by the tablet's own order (its clock may have been set back between two entries).
  for (const m of [...list].sort((a, b) => byEntry(b, a))) {
    const row = body.insertRow();
    row.dataset.key = m.key;
    row.insertCell().textContent = new Date(m.createdAt).toLocaleTimeString(currentLang() === 'zh' ? 'zh-CN' : 'en-GB');
    row.insertCell().textContent = m.competitorId;
    row.insertCell().textContent = m.aspectId;
    // Described by the bands the mark was entered with, else by the scheme only when the mark is for the skill this tablet
    // is paired for now (an outside tester: a mark of another skill read "Outside all bands" by this one's bands).
    const ownSkill = st.session?.competitionCode === m.competitionCode && st.session?.skillNumber === m.skillNumber;
    row.insertCell().textContent = describeValue(m.bands ? { bands: m.bands } : ownSkill ? findAspect(m.aspectId) : undefined, m.value);
    const state = row.insertCell();
    state.appendChild(stateBadge(m, true));
    // A refusal nothing the judge does can clear (a judgement set already full, an aspect no longer theirs) would hold the
    // bar at "1 refused" for good: the judge dismisses it once read (found by an outside tester). The mark stays listed.
    if (m.state === 'refused' && !m.acknowledged && mine(m) && unanswered().includes(m)) {
      const b = button(t('outbox.dismiss'), 'secondary jdismiss', () => void dismiss(m));
      b.setAttribute('aria-label', t('outbox.dismissLabel', { competitor: m.competitorId, aspect: m.aspectId }));
      state.appendChild(b);
    }
  }
  return table;
}

async function dismiss(mark: MarkRecord): Promise<void> {
  mark.acknowledged = true;
  await putMark(mark);
  render();
}

export function outboxScreen(): HTMLElement {
  const section = el('section', 'joutbox');
  section.appendChild(button(t('back'), 'secondary jback', leaveOutbox));
  const list = st.marks.filter(m => mine(m) || m.state === 'pending' || m.state === 'refused');
  // Never "All sent" while a mark stands refused (an outside tester): the refused count says what needs the expert.
  const refused = unanswered().length;
  section.appendChild(el('h1', undefined, waiting().length > 0 ? t('outbox.count', { count: waiting().length }) : refused > 0 ? t('outbox.refused', { count: refused }) : t('outbox.allSent')));
  if (st.outboxState.lastError && waiting().length > 0) section.appendChild(el('p', 'jmsg', st.outboxState.lastError));
  const others = kept();
  if (others.length > 0) section.appendChild(el('p', 'jlead', t('outbox.kept', { count: others.length, experts: [...new Set(others.map(m => m.expertId))].join(', ') })));
  const actions = el('div', 'jactions');
  actions.appendChild(button(t('export'), 'secondary big', exportUnsent, unsent().length === 0));
  section.appendChild(actions);
  section.appendChild(markTable(list));
  return section;
}
