// The agency officer's page: sign in, file sessions, upload candidates and results, rate, issue, bundle,
// change an issued certificate's status, and certify competition promotions. Screens: sessions.ts, certificates.ts,
// jobs.ts, promotions.ts.
import '../style.css';
import '../cert-style.css';
import { applyStatic } from '../i18n';
import { call } from '../cert-api';
import { isTransient, ProblemError } from '../kernel/http';
import { errorText } from '../kernel/problems';
import { filePicker, submitting } from '../kernel/dom';
import { t } from './strings';
import { byId, refreshStatus, setStatus, state, type Agency, type Decision, type PromotionList, type Session } from './state';
import { fillLevels, renderSessions } from './sessions';
import { renderPromotions, wirePromotions } from './promotions';
import { bundle, redrawProgress, run, upload } from './jobs';
import { wireStatusForm } from './certificates';

const signOutButton = byId<HTMLButtonElement>('signout');

function render(): void {
  if (!state.agency) return;
  renderSessions((id) => void select(id));
  renderPromotions();
}

async function load(): Promise<void> {
  state.agency = await call<Agency>('GET', '/api/agency');
  state.sessions = await call<Session[]>('GET', '/api/agency/sessions');
  if (state.selected !== null) state.decisions = await call<Decision[]>('GET', `/api/agency/sessions/${state.selected}/decisions?limit=500`);
  state.promotions = await call<PromotionList>('GET', '/api/agency/promotions?limit=500');
  byId('signin').hidden = true;
  byId('workspace').hidden = false;
  signOutButton.hidden = false;
  render();
}

async function select(id: number): Promise<void> {
  state.selected = id;
  // The open session's reads can take a moment on a slow network: the page says it is working (style.css, aria-busy).
  const workspace = byId('workspace');
  workspace.setAttribute('aria-busy', 'true');
  try {
    await load();
  } finally {
    workspace.removeAttribute('aria-busy');
  }
}

byId('occupation').addEventListener('change', fillLevels);
byId('new-session').addEventListener('submit', (event) => {
  event.preventDefault();
  const value = (id: string) => byId<HTMLInputElement>(id).value;
  void submitting(event.currentTarget as HTMLFormElement, async () => {
    try {
      const created = await call<Session>('POST', '/api/agency/sessions', {
        occupation: value('occupation'), level: Number(value('level')), workType: value('work-type'),
        examOn: value('exam-on'), reviewOn: value('review-on') || null,
      });
      setStatus('');
      await select(created.id);
    } catch (e) {
      setStatus(() => errorText(e), true);
    }
  });
});
byId('candidates-file').addEventListener('change', (e) => void upload('candidates', e.target as HTMLInputElement, load));
byId('results-file').addEventListener('change', (e) => void upload('results', e.target as HTMLInputElement, load));
const filePickers = ['candidates-file', 'results-file'].map((id) => filePicker(byId<HTMLInputElement>(id), () => ({ choose: t('file.choose'), none: t('file.none') })));
byId('rate').addEventListener('click', () => void run('rate', load));
byId('issue').addEventListener('click', () => void run('issue', load));
byId('bundle').addEventListener('click', () => void bundle());
wirePromotions(load);
wireStatusForm(load);
byId('signin').addEventListener('submit', async (event) => {
  event.preventDefault();
  try {
    await call('POST', '/api/auth/login', { userName: byId<HTMLInputElement>('user').value, password: byId<HTMLInputElement>('password').value });
    setStatus('');
    await start();
  } catch (e) {
    // The server's own title already says "Sign-in failed": say it once, in the page's language.
    setStatus(() => (e instanceof ProblemError && e.status === 401 ? t('signin.wrong') : t('signin.failed', { reason: errorText(e) })), true);
  }
});
signOutButton.addEventListener('click', async () => {
  await call('POST', '/api/auth/logout').catch(() => undefined);
  location.reload();
});

async function start(): Promise<void> {
  // Until the first reads answer (or ask for a sign-in), the page says it is loading instead of staying blank.
  setStatus(() => t('agency.loading'));
  try {
    await load();
    setStatus('');
  } catch (e) {
    if (e instanceof ProblemError && (e.status === 401 || e.status === 403)) {
      byId('signin').hidden = false;
      byId('workspace').hidden = true;
      setStatus(e.status === 403 ? () => t('signin.notOfficer') : '', e.status === 403);
      return;
    }
    // Not signed out, only out of reach (the network, the server starting): tried again by itself (found by an outside
    // tester: after a failed first load the page stayed on the error for good).
    const transient = isTransient(e);
    setStatus(() => (transient ? t('agency.retrying', { reason: errorText(e) }) : errorText(e)), true);
    window.clearTimeout(retry);
    if (transient) retry = window.setTimeout(() => void start(), 5000);
  }
}
let retry = 0;
window.addEventListener('online', () => { if (!state.agency) void start(); });

applyStatic(t, () => {
  filePickers.forEach((write) => write());
  render();
  redrawProgress();
  refreshStatus();
});
void start();
