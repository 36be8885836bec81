// The agency officer's page: sign in, file sessions, upload candidates and results, rate, issue, bundle,
// change an issued certificate's status, and certify competition promotions. Screens: sessions.ts, certificates.ts,
// jobs.ts, promotions.ts.
import '../style.css';
import '../cert-style.css';
import { applyStatic } from '../i18n';
import { call } from '../cert-api';
import { hasSessionCookie, isTransient, ProblemError } from '../kernel/http';
import { errorText } from '../kernel/problems';
import { filePicker, submitting, withCode } from '../kernel/dom';
import { t } from './strings';
import { byId, clearRefused, markRefused, refreshStatus, setStatus, state, type Agency, type Decision, type PromotionList, type Session } from './state';
import { fillLevels, renderSessions } from './sessions';
import { redrawPromotionFault, renderPromotions, wirePromotions } from './promotions';
import { bundle, clearFile, redrawProgress, run, showSessionLines, upload } from './jobs';
import { redrawStatusFault, wireStatusForm } from './certificates';

const signOutButton = byId<HTMLButtonElement>('signout');

/** Decisions are read a page at a time: a session may hold tens of thousands of candidates. */
const decisionsPage = 500;

function render(): void {
  if (!state.agency) return;
  renderSessions((id) => void select(id), () => void moreDecisions());
  renderPromotions();
}

/**
 * The next page of the open session's decisions, after the last one shown (an outside tester: only the first 500 of
 * 30,000 were shown, without a word, so a later candidate's certificate could not be reached from the page).
 */
async function moreDecisions(): Promise<void> {
  const session = state.selected;
  if (session === null) return;
  try {
    await readMoreDecisions(session);
    render();
  } catch (e) {
    setStatus(() => errorText(e), true);
  }
}

async function readMoreDecisions(session: number): Promise<void> {
  const last = state.decisions.at(-1);
  if (!last) return;
  const next = await call<Decision[]>('GET', `/api/agency/sessions/${session}/decisions?limit=${decisionsPage}&after=${last.evaluationId}`);
  if (state.selected !== session) return;
  state.decisions = [...state.decisions, ...next];
  state.decisionsDone = next.length < decisionsPage;
}

async function load(): Promise<void> {
  state.agency = await call<Agency>('GET', '/api/agency');
  state.sessions = await call<Session[]>('GET', '/api/agency/sessions');
  // A session named by the address that is not (or no longer) this agency's is simply not opened.
  if (state.selected !== null && !state.sessions.some((s) => s.id === state.selected)) remember(null);
  if (state.selected !== null) {
    // A reload keeps as many decisions as were shown (a status change reloads the page's data).
    const pages = Math.max(1, Math.ceil(state.decisions.length / decisionsPage));
    state.decisions = await call<Decision[]>('GET', `/api/agency/sessions/${state.selected}/decisions?limit=${decisionsPage}`);
    state.decisionsDone = state.decisions.length < decisionsPage;
    for (let page = 1; page < pages && !state.decisionsDone; page++) await readMoreDecisions(state.selected);
  }
  state.promotions = await call<PromotionList>('GET', '/api/agency/promotions?limit=500');
  byId('signin').hidden = true;
  byId('workspace').hidden = false;
  signOutButton.hidden = false;
  render();
}

async function select(id: number): Promise<void> {
  if (state.selected !== id) {
    // Another session: its own lines, empty file fields and no word left from the one before.
    state.decisions = [];
    showSessionLines(id);
    ['candidates-file', 'results-file'].forEach((f) => clearFile(byId<HTMLInputElement>(f)));
    setStatus('');
  }
  remember(id);
  // The open session's reads can take a moment on a slow network: the page says it is working (style.css, aria-busy).
  const workspace = byId('workspace');
  workspace.setAttribute('aria-busy', 'true');
  try {
    await load();
  } finally {
    workspace.removeAttribute('aria-busy');
  }
  // The keyboard goes on in the session just opened, from its heading (an outside tester: it fell to the page, and the
  // next Tab went to the next session's button).
  byId('session-title').focus();
}

byId('occupation').addEventListener('change', fillLevels);
// The status line's refusal of this form, until the form is sent again: a send the browser stops (a required field
// emptied) takes it away, as it no longer speaks of the form as it is (found by an outside tester: it spoke of a review
// date beside the browser's bubble on the emptied exam date).
let sessionRefused = false;
byId('new-session').addEventListener('invalid', () => {
  if (sessionRefused) setStatus('');
  sessionRefused = false;
}, true);
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
      sessionRefused = false;
      await select(created.id);
    } catch (e) {
      sessionRefused = true;
      // The fields at fault named as the form labels them, not by the API's names ("examOn"; found by an outside tester).
      setStatus(() => errorText(e, {
        occupation: t('session.occupation'), level: t('session.level'), workType: t('session.workType'), examOn: t('session.examOn'), reviewOn: t('session.reviewOnField'),
      }), true);
      markRefused(e, sessionInputs, 'status');
    }
  });
});
const sessionInputs = { occupation: 'occupation', level: 'level', workType: 'work-type', examOn: 'exam-on', reviewOn: 'review-on' };
for (const id of Object.values(sessionInputs)) byId(id).addEventListener('input', (e) => clearRefused(e.target as HTMLElement));
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
    for (const id of ['user', 'password']) clearRefused(byId(id));
    setStatus('');
    await start();
  } catch (e) {
    // The server's own title already says "Sign-in failed": say it once, in the page's language.
    setStatus(() => (e instanceof ProblemError && e.status === 401 ? t('signin.wrong') : t('signin.failed', { reason: errorText(e) })), true);
    // Wrong credentials mark both fields, described by the line that says so (found by an outside tester).
    if (e instanceof ProblemError && e.status === 401) {
      for (const id of ['user', 'password']) {
        byId(id).setAttribute('aria-invalid', 'true');
        byId(id).setAttribute('aria-describedby', 'status');
      }
    }
  }
});
signOutButton.addEventListener('click', async () => {
  await call('POST', '/api/auth/logout').catch(() => undefined);
  location.reload();
});

/**
 * The open session is part of the page's address (`?session=`), so a reload, a bookmark or a link sent to a colleague
 * opens it again (an outside tester: a reload went back to the list).
 */
function remember(id: number | null): void {
  state.selected = id;
  const url = new URL(location.href);
  if (id === null) url.searchParams.delete('session');
  else url.searchParams.set('session', String(id));
  history.replaceState(history.state, '', url);
}

const named = Number(new URLSearchParams(location.search).get('session'));
if (Number.isSafeInteger(named) && named > 0) state.selected = named;

/** The sign-in form instead of the workspace; signed in as someone who is not an agency officer, it says so. */
function askToSignIn(notOfficer: boolean): void {
  byId('signin').hidden = false;
  byId('workspace').hidden = true;
  setStatus(notOfficer ? () => t('signin.notOfficer') : '', notOfficer);
}

async function start(): Promise<void> {
  // Signed out for certain: the sign-in form at once, without a read the server must refuse.
  if (!hasSessionCookie()) {
    askToSignIn(false);
    return;
  }
  // Until the first reads answer (or ask for a sign-in), the page says it is loading instead of staying blank.
  setStatus(() => t('agency.loading'));
  try {
    await load();
    setStatus('');
  } catch (e) {
    if (e instanceof ProblemError && (e.status === 401 || e.status === 403)) {
      askToSignIn(e.status === 403);
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

// The files' columns, as code: typed as they are whatever the page's language.
const writeColumns = () => byId('upload-columns').replaceChildren(...withCode(t('upload.columns')));
writeColumns();
applyStatic(t, () => {
  writeColumns();
  filePickers.forEach((write) => write());
  render();
  redrawProgress();
  redrawPromotionFault();
  redrawStatusFault();
  refreshStatus();
});
void start();
