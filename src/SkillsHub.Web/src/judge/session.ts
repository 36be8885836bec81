// The pairing: redeeming a code, signing out, loading the expert's assignment.
import { problemMessage } from '../kernel/problems';
import { t } from './strings';
import { call, RefusedError, RevokedError, TransientError } from './net';
import * as store from './store';
import { parseScheme, type Assignment, type Redeemed } from './types';
import { outbox, refreshAllSheets } from './marks';
import { followSheets, stopFollowing } from './live';
import { render } from './screens';
import { st } from './state';
import { currentLang } from '../i18n';

// ---------------------------------------------------------------- session

/**
 * The name a tablet pairs under unless the judge types one: the word and a tag of four characters kept on the tablet, so
 * two tablets of one expert are told apart in the console's list before one is revoked (found by an outside tester: every
 * tablet was "Tablet").
 */
export function defaultDeviceName(): string {
  let tag = localStorage.getItem('skillshub.judge.deviceTag');
  if (!tag) {
    tag = [...crypto.getRandomValues(new Uint8Array(2))].map(b => b.toString(16).padStart(2, '0')).join('').toUpperCase();
    localStorage.setItem('skillshub.judge.deviceTag', tag);
  }
  return `${t('pair.defaultName')} ${tag}`;
}

export async function pair(code: string, deviceName: string): Promise<void> {
  st.pairBusy = true;
  st.pairMessage = { text: () => t('pair.pairing'), error: false };
  render();
  try {
    const redeemed = await call<Redeemed>('POST', '/api/pairing/redeem', null, { code: code.trim().toUpperCase(), deviceName: deviceName.trim() || defaultDeviceName() });
    await store.clearSession();
    st.session = { ...redeemed, deviceId: String(redeemed.deviceId), pairedAt: new Date().toISOString() };
    await store.saveSession(st.session);
    store.keepStorage();
    st.sheets.clear();
    st.assignment = undefined;
    st.pairMessage = null;
    st.pendingCode = '';
    location.hash = '';
    await loadAssignment();
    outbox.now();
  } catch (e) {
    // A refusal's text says what failed ("Pairing code not accepted: ..."), naming the field as the form does.
    const reason = () => e instanceof RefusedError ? problemMessage(e.problem, e.status, { code: t('pair.code'), deviceName: t('pair.deviceName') })
      : e instanceof TransientError ? t('pair.offline') : t('pair.failed', { reason: String(e) });
    st.pairMessage = { text: reason, error: true };
  } finally {
    st.pairBusy = false;
    render();
  }
}

/**
 * Forgets the pairing on this tablet. When the expert signs out (not when the server already refused the token), the
 * token is revoked on the server first, so it stops working there too; offline, it stays until the Chief Expert revokes
 * the tablet in the console (docs/security.md, "Sessions").
 */
/** <message> is read when drawn, so it follows a language switch (found by an outside tester: it stayed in the first). */
export async function signOut(message: () => string, endOnServer = false): Promise<void> {
  let pending = false;
  if (endOnServer && st.session) {
    const token = st.session.token;
    // Offline, the server is told once the tablet is back (found by an outside tester: a tablet signed out offline stayed
    // paired on the server, its token working).
    await call('POST', '/api/auth/logout', token).catch((e) => {
      if (e instanceof TransientError) {
        pending = true;
        rememberSignOut(token);
      }
    });
  }
  if (pending) message = () => t('pair.signedOutPending');
  await store.clearSession();
  stopFollowing();
  outbox.reset();
  st.session = undefined;
  st.assignment = undefined;
  st.sheets.clear();
  st.pairMessage = { text: message, error: true };
  st.marks = await store.allMarks();
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  render();
}

const pendingSignOutsKey = 'skillshub.judge.pendingSignOuts';

function pendingSignOuts(): string[] {
  try {
    const kept: unknown = JSON.parse(localStorage.getItem(pendingSignOutsKey) ?? '[]');
    return Array.isArray(kept) ? kept.filter((x): x is string => typeof x === 'string') : [];
  } catch {
    return [];
  }
}

function rememberSignOut(token: string): void {
  localStorage.setItem(pendingSignOutsKey, JSON.stringify([...new Set([...pendingSignOuts(), token])]));
}

/** Ends on the server the pairings signed out while offline; a token the server already refuses is done with too. */
export async function sendPendingSignOuts(): Promise<void> {
  const left: string[] = [];
  for (const token of pendingSignOuts()) {
    await call('POST', '/api/auth/logout', token).catch((e) => {
      if (e instanceof TransientError) left.push(token);
    });
  }
  if (left.length > 0) localStorage.setItem(pendingSignOutsKey, JSON.stringify(left));
  else localStorage.removeItem(pendingSignOutsKey);
}

/** A read again of the assignment while the tablet works from its saved copy (the server down, the network up). */
let copyRetry: ReturnType<typeof setTimeout> | undefined;
const CopyRetryMs = 10_000;

/** Signs out at once when the server refuses the pairing (401); any other answer, or none, leaves things as they are. */
async function checkPairing(): Promise<void> {
  const session = st.session;
  if (!session) return;
  try {
    await call('GET', '/api/auth/me', session.token);
  } catch (e) {
    if (e instanceof RevokedError && st.session === session) await signOut(() => t('pair.revoked'));
  }
}

export async function loadAssignment(): Promise<void> {
  clearTimeout(copyRetry);
  copyRetry = undefined;
  if (!st.session) return;
  try {
    st.assignment = await call<Assignment>('GET', '/api/me/assignment', st.session.token);
    // The scheme goes with its assignment at once: a render while the save below is awaited (a tap on a competitor,
    // say) must not show the new assignment's sheet with the old scheme's aspects, or none.
    st.scheme = parseScheme(st.assignment.schemeJson ?? null);
    await store.saveAssignment(st.assignment);
    st.assignmentNote = '';
    void refreshAllSheets();
    followSheets(() => void loadAssignment(), () => void checkPairing());
  } catch (e) {
    if (e instanceof RevokedError) {
      await signOut(() => t('pair.revoked'));
      return;
    }
    st.assignment ??= await store.getAssignment();
    st.scheme = parseScheme(st.assignment?.schemeJson ?? null);
    st.assignmentNote = st.assignment ? t('home.cached') : t('home.failed', { reason: e instanceof RefusedError ? problemMessage(e.problem, e.status) : e instanceof Error ? e.message : String(e) });
    // Tried again every 10 s while the copy is in use: a server back with the network never down fires no "online", and the
    // note stayed (found by an outside tester).
    if (st.assignment && !(e instanceof RefusedError)) copyRetry = setTimeout(() => void loadAssignment(), CopyRetryMs);
  }
  render();
}

/** The tablet's skill as its number and, once the assignment has it, its name in the page's language ("07 CNC Milling"). */
export function skillLabel(): string {
  const number = String(st.session?.skillNumber ?? st.assignment?.skillNumber ?? '').padStart(2, '0');
  const a = st.assignment;
  const name = a && (!st.session || (a.competitionCode === st.session.competitionCode && a.skillNumber === st.session.skillNumber))
    ? (currentLang() === 'zh' && a.skillNameZh ? a.skillNameZh : a.skillName) : null;
  return name ? `${number} ${name}` : number;
}
