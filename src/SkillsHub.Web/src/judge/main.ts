// The judge tablet app: pair with a one-time code, mark competitors offline-first, and deliver every
// mark exactly once through the outbox. Screens: screens.ts (pairing, competitors), outbox-screen.ts (the outbox, unsent marks), sheet.ts.
import '../style.css';
import './judge.css';
import { applyStatic } from '../i18n';
import { t } from './strings';
import * as store from './store';
import { parseScheme } from './types';
import { announce, announceAgain, outbox, refreshSheet } from './marks';
import { render, renderChrome } from './screens';
import { defaultDeviceName, loadAssignment, pair, sendPendingSignOuts, signOut } from './session';
import { isNews, noteAnswered, restoreOrder, st } from './state';
import { leaveOutbox } from './outbox-route';

// ---------------------------------------------------------------- start

async function registerServiceWorker(): Promise<void> {
  if (!('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('/judge-sw.js', { scope: '/judge' });
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>(resolve => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    document.body.dataset.offlineReady = 'true';
  } catch (e) {
    console.warn('Service worker not available', e);
  }
}

async function start(): Promise<void> {
  applyStatic(t, () => {
    announceAgain();
    render();
  });
  // A criterion's header sticks right under the top bar, whose height changes with the width and the language (found by
  // an outside tester: on a phone the header stuck under the bar, on a tablet with a gap above it).
  const bar = document.querySelector<HTMLElement>('.jbar')!;
  new ResizeObserver(() => document.documentElement.style.setProperty('--jbar-h', `${bar.offsetHeight}px`)).observe(bar);
  window.addEventListener('online', () => {
    void sendPendingSignOuts();
    renderChrome();
    if (st.session) void loadAssignment();
  });
  window.addEventListener('offline', renderChrome);
  // Escape leaves the outbox for the screen under it, as its back button does (found by an outside tester).
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && location.hash === '#/outbox') leaveOutbox(); });
  window.addEventListener('hashchange', () => {
    render();
    const route = location.hash;
    if (route.startsWith('#/c/')) void refreshSheet(decodeURIComponent(route.slice(4)));
    window.scrollTo(0, 0);
  });
  void registerServiceWorker();
  // Another tab of this tablet entered or sent a mark: the marks are read again, so the counts and cards follow it (found
  // by an outside tester: each tab counted its own until reloaded). A mark answered there is news here from now on.
  store.onMarksChanged(async () => {
    const before = new Map(st.marks.map(m => [m.key, m.state]));
    st.marks = await store.allMarks();
    for (const m of st.marks) {
      if (m.state === 'pending' || before.get(m.key) === m.state) continue;
      noteAnswered(m.key);
      // Another tab of the tablet delivered it: this one says so too, as it would for its own (docs/pages.md).
      if (isNews(m)) announce(m);
    }
    render();
  });

  void sendPendingSignOuts();
  st.session = await store.getSession();
  st.marks = await store.allMarks();
  const code = new URLSearchParams(location.search).get('code');
  // A QR code opened /judge?code=…: pair with it once, then drop it from the address. A tablet already paired asks first,
  // and its pairing is then signed out on the server too (found by an outside tester: any link with a code, a garbage one
  // included, unpaired a judge's tablet at once and left its token working).
  if (code) history.replaceState(null, '', location.pathname + location.hash);
  const s = st.session;
  if (code && (!s || confirm(t('pair.replaceConfirm', { expert: s.expertName, competition: s.competitionCode, skill: s.skillNumber })))) {
    if (s) await signOut(() => '', true);
    st.pendingCode = code;
    render();
    await pair(code, localStorage.getItem('skillshub.judge.deviceName') ?? defaultDeviceName());
    return;
  }
  if (st.session) {
    st.assignment = await store.getAssignment();
    st.scheme = parseScheme(st.assignment?.schemeJson ?? null);
    const cached = [];
    for (const c of st.assignment?.competitors ?? []) {
      const sheet = await store.getSheet(c.id);
      if (sheet) cached.push(sheet);
    }
    restoreOrder(cached);
    render();
    await loadAssignment();
    const route = location.hash;
    if (st.session && route.startsWith('#/c/')) void refreshSheet(decodeURIComponent(route.slice(4)));
    outbox.kick();
  } else {
    render();
  }
}

void start();
