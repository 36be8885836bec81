// Screen: filed scope, the session list and the open session's decisions.
import { el, withLanguageRuns } from '../kernel/dom';
import { dateText } from '../kernel/dates';
import { decisionReason, joinList, levelName, occupationName, t, type Key } from './strings';
import { byId, state } from './state';
import { certificateCell, renderStatusForm } from './certificates';

export function table(target: HTMLTableElement, headers: Key[], rows: (string | Node)[][], empty?: Key): void {
  target.replaceChildren();
  if (rows.length === 0 && empty) {
    target.append(el('caption', 'meta', t(empty)));
    return;
  }
  const head = target.createTHead().insertRow();
  for (const h of headers) head.append(el('th', undefined, t(h)));
  const body = target.createTBody();
  for (const cells of rows) {
    const row = body.insertRow();
    cells.forEach((cell, i) => {
      // On a phone each row stacks as label: value (cert-style.css): the label repeats the column's header.
      const td = row.insertCell();
      td.dataset.label = t(headers[i]!);
      td.append(cell);
    });
  }
}

export function fillLevels(): void {
  const occupation = byId<HTMLSelectElement>('occupation').value;
  const level = byId<HTMLSelectElement>('level');
  const entry = state.agency?.scope.find((s) => s.occupation === occupation);
  level.replaceChildren(...(entry?.levels ?? []).filter((l) => l >= 1 && l <= 5).map((l) => new Option(levelName(l), String(l))));
}

export function renderSessions(select: (id: number) => void, more: () => void): void {
  const agency = state.agency!;
  // The type and a filing that is not active in words, not as the API's values ("(S)"; found by an outside tester).
  const details = t('agency.details', { name: agency.name, key: agency.key, type: t.maybe(`agency.type.${agency.type}`) ?? agency.type });
  const status = agency.status === 'active' ? undefined : t.maybe(`agency.status.${agency.status}`) ?? agency.status;
  byId('agency-name').replaceChildren(...withLanguageRuns(status ? `${details} · ${status}` : details));
  table(byId('scope'), ['scope.occupation', 'scope.levels'], agency.scope.map((s) => [`${s.occupation} ${occupationName(s)}`, joinList(s.levels.map(levelName))]));
  const occupation = byId<HTMLSelectElement>('occupation');
  const chosen = occupation.value;
  occupation.replaceChildren(...agency.scope.map((s) => new Option(`${s.occupation} ${occupationName(s)}`, s.occupation)));
  if (chosen) occupation.value = chosen;
  fillLevels();
  const sessionTable = byId<HTMLTableElement>('sessions');
  // The type of work typed when filing tells apart sessions of one occupation, level and date (found by an outside tester).
  table(sessionTable, ['col.id', 'col.occupation', 'col.workType', 'col.level', 'col.exam', 'col.candidates', 'col.results', 'col.passed', 'col.failed', 'col.ineligible', 'col.certificates'],
    state.sessions.map((s) => {
      const open = el('button', 'secondary', String(s.id));
      open.type = 'button';
      // Named for what it does, not only by the number it shows (found by an outside tester: "2, button").
      open.setAttribute('aria-label', t('session.open', { id: s.id }));
      open.onclick = () => select(s.id);
      return [open, `${s.occupation} ${occupationName(s)}`, s.workType || '—', levelName(s.level), dateText(s.examOn), String(s.candidates), String(s.withResults),
        String(s.passed), String(s.failed), String(s.ineligible), String(s.certificates)];
    }), 'sessions.empty');
  sessionTable.tBodies[0]?.querySelectorAll('tr').forEach((tr, i) => tr.classList.toggle('selected', state.sessions[i]?.id === state.selected));
  const session = state.sessions.find((s) => s.id === state.selected);
  byId('session-panel').hidden = !session;
  if (!session) return;
  byId('session-title').textContent = t('session.title', { id: session.id, occupation: `${session.occupation} ${occupationName(session)}`, level: levelName(session.level) });
  // The next step is the primary button: rating while results wait for a decision, issuing while passed candidates wait
  // for a certificate; with nothing waiting, neither stands out (found by an outside tester: "Issue certificates" stayed
  // primary with nothing left to issue).
  const rateNext = session.withResults > session.decided;
  byId('rate').className = rateNext ? 'primary' : 'secondary';
  byId('issue').className = !rateNext && session.passed > session.certificates ? 'primary' : 'secondary';
  table(byId('decisions'), ['col.name', 'col.idNumber', 'col.theory', 'col.practical', 'col.review', 'col.outcome', 'col.reasons', 'col.certificate'],
    state.decisions.map((d) => {
      return [d.name, d.idNumberMasked, d.theory?.toString() ?? '—', d.practical?.toString() ?? '—', d.review?.toString() ?? '—',
        d.outcome ? el('span', `badge ${d.outcome}`, t.maybe(`outcome.${d.outcome}`) ?? d.outcome) : '—', joinList(d.reasons.map(decisionReason)), certificateCell(d)];
    }), 'decisions.empty');
  // A long session is read a page at a time, and says how much of it is shown.
  const shown = byId('decisions-more');
  shown.replaceChildren();
  if (!state.decisionsDone) {
    const button = el('button', 'secondary', t('decisions.more'));
    button.type = 'button';
    button.onclick = () => {
      button.disabled = true;
      more();
    };
    shown.append(el('span', 'meta', t('decisions.shown', { shown: state.decisions.length, total: session.candidates })), ' ', button);
  }
  renderStatusForm();
}
