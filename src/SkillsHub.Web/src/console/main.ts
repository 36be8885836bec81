import '../style.css';
import './console.css';
import { applyStatic } from '../i18n';
import { api, get, setToken, token, ProblemError, type Me } from './api';
import { hasSessionCookie, isTransient } from '../kernel/http';
import { h } from './dom';
import { roleChoice, roleList, t } from './strings';
import { type Ctx, isAdmin, isChief, isOrganiser, messageOf } from './context';
import { setupPage } from './setup';
import { markingPage } from './marking';
import { resultsPage } from './results';
import { adminPage } from './admin';
import { judgingPage } from './judging';
import { tokensPage } from './tokens';
import { loginView, deniedView } from './login';
import { picker, remember, selection } from './picker';
import { holdPlace, keepPlaceUntilDrawn, restore, snapshot } from './carry';

type Page = 'setup' | 'marking' | 'judging' | 'results' | 'admin' | 'tokens';

const app = document.getElementById('app')!;
keepPlaceUntilDrawn(app);
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;
const signout = document.getElementById('signout') as HTMLButtonElement;
const toastBox = document.getElementById('toast')!;

let me: Me | null = null;
let disposers: (() => void)[] = [];
let toastTimer = 0;

function toast(message: string, error = false): void {
  toastBox.textContent = message;
  toastBox.className = error ? 'ctoast error' : 'ctoast';
  toastBox.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (toastBox.hidden = true), error ? 9000 : 4000);
}

function pageOf(path: string): Page | 'login' | 'home' {
  const part = path.replace(/^\/console\/?/, '').split('/')[0];
  return (['setup', 'marking', 'judging', 'results', 'admin', 'tokens', 'login'] as const).find((p) => p === part) ?? 'home';
}

const allowed: Record<Page, (m: Me) => boolean> = {
  setup: isOrganiser,
  marking: (m) => isOrganiser(m) || isChief(m),
  judging: (m) => isOrganiser(m) || isChief(m),
  results: isOrganiser,
  admin: isAdmin,
  // Personal API tokens belong to accounts (organisers, admins), not to a paired console.
  tokens: (m) => isOrganiser(m) && !m.expertId,
};
/** Who may use each page, as `allowed` says (found by an outside tester: the marking floor said "Chief Expert only" to an expert, leaving out organisers and admins). */
const neededRoles: Record<Page, string[]> = {
  setup: ['Organiser', 'Admin'], marking: ['ChiefExpert', 'Organiser', 'Admin'], judging: ['ChiefExpert', 'Organiser', 'Admin'],
  results: ['Organiser', 'Admin'], admin: ['Admin'], tokens: ['Organiser', 'Admin'],
};

export function navigate(path: string): void {
  history.pushState(null, '', path);
  void route();
}

function homeOf(m: Me): Page | null {
  if (isOrganiser(m)) return 'setup';
  if (isChief(m)) return 'marking';
  return null;
}

async function whoAmI(): Promise<Me | null> {
  // Neither a tablet's token nor a cookie session: signed out for certain, without a read the server must refuse.
  if (!token() && !hasSessionCookie()) return null;
  try {
    return await get<Me>('/api/auth/me');
  } catch (e) {
    if (e instanceof ProblemError && e.status === 401 && token()) {
      // A revoked or stale device token: forget it and fall back to the cookie.
      setToken(null);
      return whoAmI();
    }
    if (e instanceof ProblemError && e.status === 401) return null;
    throw e;
  }
}



export function select(code: string | null, skill: number | null): void {
  remember(code, skill);
  // The focus stays on the picker that was changed (found by an outside tester: with the keyboard it fell to the page).
  void route({ values: false });
}

function renderNav(current: string): void {
  nav.replaceChildren();
  // Each section's tab title names it, in the page's language (docs/pages.md, "Languages").
  const section = !me || current === 'login' ? t('login.title') : t.maybe(`nav.${current}`);
  document.title = section ? `${section} · ${t('app.title')}` : t('app.title');
  signout.hidden = !me;
  // Shortened with an ellipsis where the header is tight (console.css): the whole text is its tooltip.
  who.textContent = me ? `${me.displayName} · ${roleList(me.roles.includes('ChiefExpert') ? me.roles.filter((r) => r !== 'Expert') : me.roles)}${me.competitionCode ? ` · ${me.competitionCode}/${String(me.skillNumber).padStart(2, '0')}` : ''}` : '';
  who.title = who.textContent;
  if (!me) return;
  for (const page of ['setup', 'marking', 'judging', 'results', 'admin', 'tokens'] as Page[]) {
    if (!allowed[page](me)) continue;
    // The open section is said, not only underlined (found by an outside tester: no aria-current).
    const a = h('a', { href: `/console/${page}`, class: current === page ? 'active' : '', 'aria-current': current === page ? 'page' : null, 'data-page': page }, t(`nav.${page}`));
    a.onclick = (e) => {
      e.preventDefault();
      navigate(`/console/${page}`);
    };
    nav.appendChild(a);
  }
  // On a phone the links scroll sideways: the current section is brought into the row, not left past its edge
  // (docs/pages.md, "Phones"; found by an outside reviewer opening /console/tokens directly).
  const active = nav.querySelector<HTMLElement>('a.active');
  if (active && nav.scrollWidth > nav.clientWidth) {
    const row = nav.getBoundingClientRect(), link = active.getBoundingClientRect();
    nav.scrollLeft += link.left - row.left - (row.width - link.width) / 2;
  }
}

let routing = 0;
/** What the drawing under way carries over (console/carry.ts), and whether the text typed is part of it. */
let carried: ReturnType<typeof snapshot> | null = null;
let carryValues = false;
/** What the section drawn last keeps across its redraws (Ctx.keep), and which section that was. */
const kept = new Map<string, object>();
let keptFor = '';

/**
 * Draws the section the address names. Drawn again (`again`), the focus is carried over (console/carry.ts), and with
 * `values` what was typed too; `focus` names where the focus goes when its element is gone.
 */
async function route(again?: { values: boolean; focus?: string }): Promise<void> {
  const ticket = ++routing;
  // A drawing that starts while another is still loading takes over what that one carried (two changes pushed at once
  // draw twice: the second found only "Loading…" to take from).
  const loading = app.querySelector(':scope > [data-loading]') !== null;
  const before = loading && carried ? carried : snapshot(app);
  carried = before;
  if (loading && again && carryValues) again = { ...again, values: true };
  carryValues = again?.values ?? false;
  for (const dispose of disposers) dispose();
  disposers = [];
  const page = pageOf(location.pathname);
  if (again && !loading) holdPlace(app);
  app.replaceChildren(h('p', { class: 'cmuted', 'data-loading': '' }, t('loading')));
  try {
    me = await whoAmI();
  } catch (e) {
    if (ticket === routing) app.replaceChildren(...failure(e, ticket));
    return;
  }
  if (ticket !== routing) return;
  renderNav(page);
  document.body.dataset.page = page;
  if (!me || page === 'login') {
    if (me && page === 'login') return navigate('/console');
    document.body.dataset.page = 'login';
    const view = loginView(navigate);
    app.replaceChildren(view);
    // The sign-in forms keep what was typed through a language switch too (found by an outside tester).
    if (again) restore(view, before, again.values, again.focus);
    return;
  }
  const target: Page | null = page === 'home' ? homeOf(me) : page;
  if (!target || !allowed[target](me)) {
    app.replaceChildren(deniedView(me, roleChoice(target ? neededRoles[target] : ['ChiefExpert', 'Organiser', 'Admin'])));
    return;
  }
  if (page === 'home') {
    history.replaceState(null, '', `/console/${target}`);
    renderNav(target);
  }
  document.body.dataset.page = target;
  const sel = selection(me);
  // Tokens and Admin are the account's and the platform's, not a competition's: a choice of competition made meanwhile
  // (the Setup page remembers its default one when it loads) does not make them another section.
  const section = target === 'tokens' || target === 'admin' ? `${target}|${me.name}` : `${target}|${sel.code}|${sel.skill}|${me.name}`;
  const same = section === keptFor;
  if (!same) {
    kept.clear();
    keptFor = section;
  }
  const ctx: Ctx = {
    me, code: sel.code, skill: sel.skill, toast,
    rerender: (focus?: string) => void route({ values: false, focus }),
    redraw: () => void route({ values: true }),
    onLeave: (d) => disposers.push(d),
    keep: <T extends object>(key: string, make: () => T): T => {
      if (!kept.has(key)) kept.set(key, make());
      return kept.get(key) as T;
    },
  };
  try {
    const content = h('div', { class: 'cpage' });
    if (isOrganiser(me) && target !== 'admin' && target !== 'tokens') content.append(await picker(ctx, target !== 'results', select));
    const body = target === 'setup' ? await setupPage(ctx)
      : target === 'marking' ? await markingPage(ctx)
      : target === 'judging' ? await judgingPage(ctx)
      : target === 'results' ? await resultsPage(ctx)
      : target === 'tokens' ? await tokensPage(ctx)
      : await adminPage(ctx);
    content.append(body);
    // Every section is named by a first-level heading, for those who move by headings (found by an outside tester: setup,
    // results, admin and tokens started at their cards' second-level ones).
    if (!content.querySelector('h1')) content.prepend(h('h1', { class: 'visually-hidden' }, t(`nav.${target}`)));
    if (ticket === routing) {
      app.replaceChildren(content);
      // Another competition or skill is another section: only the focus is carried over to it (a picker keeps it).
      if (again) restore(content, before, same && again.values, again.focus);
    }
  } catch (e) {
    if (ticket === routing) app.replaceChildren(...failure(e, ticket));
  }
}

/**
 * A page that could not load says why, offers to try again, and tries again by itself after a few seconds while nothing
 * else was asked for (found by an outside tester: after a failed first load the console stayed on the error for good).
 */
function failure(e: unknown, ticket: number): HTMLElement[] {
  const retry = h('button', { class: 'secondary', type: 'button', onclick: () => void route() }, t('load.retry'));
  // Only what may pass by itself (kernel/http.ts): no answer, a proxy's 502/504, a 503. Any other answer would be the same again.
  if (!isTransient(e)) return [h('p', { class: 'cerror', role: 'alert' }, messageOf(e)), retry];
  window.setTimeout(() => { if (ticket === routing) void route(); }, 5000);
  return [h('p', { class: 'cerror', role: 'alert' }, messageOf(e)), h('p', { class: 'cmuted' }, t('load.retrying')), retry];
}

signout.onclick = async () => {
  // Ends the credential on the server whichever it is: the session, or a paired console's device token (revoked).
  await api('POST', '/api/auth/logout').catch(() => undefined);
  if (token()) setToken(null);
  navigate('/console/login');
};
window.addEventListener('popstate', () => void route());
// Links within the console (an empty card's "Go to Setup") change the section without reloading the page.
app.addEventListener('click', (e) => {
  const link = (e.target as Element).closest<HTMLAnchorElement>('a[data-route]');
  if (!link || e.ctrlKey || e.metaKey || e.shiftKey) return;
  e.preventDefault();
  navigate(link.pathname);
});
// A language switch draws the section again with what was typed and where the focus was.
applyStatic(t, () => void route({ values: true }));
void route();
