// Screen: an issued certificate's status (docs/credentials.md, "Revocation and suspension"). From the session's
// decisions the officer suspends a certificate, lifts a suspension or revokes it (final), always with a reason the
// verify page shows; the server decides what is allowed and the table shows the status it answers.
import { el, submitting } from '../kernel/dom';
import { exchange, ProblemError } from '../kernel/http';
import { errorText } from '../kernel/problems';
import { t } from './strings';
import { byId, clearRefused, markRefused, setStatus, state, verifyHref, type Decision } from './state';

export type StatusAction = 'suspend' | 'reinstate' | 'revoke';

/** The open form: which certificate, which change. */
let changing: { number: string; action: StatusAction } | null = null;

/** What a certificate in this status can still become. */
const actionsFor = (status: string | null): StatusAction[] =>
  status === 'valid' ? ['suspend', 'revoke'] : status === 'suspended' ? ['reinstate', 'revoke'] : [];

/** The decisions table's certificate cell: the number (to its verify page), its status unless valid, and what may change. */
export function certificateCell(d: Decision): Node {
  if (!d.certificateNumber) return document.createTextNode('');
  const cell = el('div', 'cert-cell');
  cell.dataset.certificate = d.certificateNumber;
  cell.append(Object.assign(el('a', 'mono', d.certificateNumber), { href: verifyHref(d.certificateNumber, d.accessToken) }));
  if (d.certificateStatus && d.certificateStatus !== 'valid') {
    cell.append(' ', el('span', `badge ${d.certificateStatus}`, t.maybe(`certificate.${d.certificateStatus}`) ?? d.certificateStatus));
  }
  const actions = actionsFor(d.certificateStatus);
  if (actions.length > 0) {
    const row = el('div', 'actions');
    for (const action of actions) {
      const button = el('button', action === 'revoke' ? 'secondary danger' : 'secondary', t(`certificate.${action}`));
      button.type = 'button';
      button.dataset.action = action;
      button.onclick = () => open(d.certificateNumber!, action);
      row.append(button);
    }
    cell.append(row);
  }
  return cell;
}

/** Shows the form for the open change, or hides it (after a render: the language may have changed). */
export function renderStatusForm(): void {
  const form = byId<HTMLFormElement>('status-form');
  const decision = changing && state.decisions.find((d) => d.certificateNumber === changing!.number);
  if (!changing || !decision || !actionsFor(decision.certificateStatus).includes(changing.action)) {
    changing = null;
    form.hidden = true;
    return;
  }
  form.hidden = false;
  form.dataset.action = changing.action;
  byId('status-form-title').textContent = t(`certificate.${changing.action}.title`, { number: changing.number, name: decision.name });
  byId('status-hint').textContent = t(`certificate.${changing.action}.hint`);
  byId('status-submit').textContent = t(`certificate.${changing.action}`);
}

function open(number: string, action: StatusAction): void {
  changing = { number, action };
  byId<HTMLInputElement>('status-reason').value = '';
  fault = undefined;
  showFault();
  clearRefused(byId('status-reason'));
  renderStatusForm();
  byId('status-form').scrollIntoView({ block: 'nearest' });
  byId<HTMLInputElement>('status-reason').focus();
}

/** The status form's last refusal, said again in the page's language after a switch. */
let fault: unknown;
const showFault = () => { byId('status-error').textContent = fault === undefined ? '' : errorText(fault); };
export const redrawStatusFault = showFault;

async function change(reload: () => Promise<void>): Promise<void> {
  if (!changing) return;
  const { number, action } = changing;
  const reason = byId<HTMLInputElement>('status-reason');
  fault = undefined;
  showFault();
  try {
    const { body } = await exchange<{ number: string; status: string }>('POST', `/api/agency/certificates/${encodeURIComponent(number)}/${action}`, { body: { reason: reason.value.trim() } });
    setStatus(() => t('certificate.changed', { number: body.number, status: t.maybe(`certificate.${body.status}`) ?? body.status }));
    changing = null;
    await reload();
    // The keyboard goes on from the certificate's row: its next action (Reinstate after a suspension), else its number
    // (an outside tester: from the top of the page; then from the session's heading, with the whole list to Tab through).
    const cell = document.querySelector<HTMLElement>(`[data-certificate="${CSS.escape(number)}"]`);
    (cell?.querySelector<HTMLElement>('button[data-action]') ?? cell?.querySelector<HTMLElement>('a') ?? byId('session-title')).focus();
  } catch (e) {
    if (e instanceof ProblemError && e.status === 409) {
      // Changed elsewhere since the table was read (already suspended or revoked): the table is read again, so the row shows
      // the status and offers only what it allows, and the page's status line says why nothing changed (found by an outside
      // tester: the row went on offering suspend and revoke until a reload).
      changing = null;
      fault = undefined;
      showFault();
      await reload();
      setStatus(() => errorText(e), true);
      return;
    }
    // 422 names the reason (a blank or over-long one).
    markRefused(e, { reason: 'status-reason' }, 'status-error');
    fault = e;
    showFault();
  }
}

export function wireStatusForm(reload: () => Promise<void>): void {
  byId('status-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(event.currentTarget as HTMLFormElement, () => change(reload));
  });
  byId('status-reason').addEventListener('input', (e) => clearRefused(e.target as HTMLElement));
  const cancel = () => {
    const number = changing?.number;
    changing = null;
    renderStatusForm();
    // Back to the row the form was opened from, as the console's cell panel returns to its cell.
    if (number) document.querySelector<HTMLElement>(`[data-certificate="${CSS.escape(number)}"] button[data-action]`)?.focus();
  };
  byId('status-cancel').addEventListener('click', cancel);
  // Escape closes it, as it closes the console's cell panel (found by an outside tester: only Cancel did).
  byId('status-form').addEventListener('keydown', (event) => {
    if (event.key === 'Escape') { event.preventDefault(); cancel(); }
  });
}
