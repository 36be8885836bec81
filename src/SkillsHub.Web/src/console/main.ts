import '../style.css';
import './console.css';
import { applyStatic, currentLang } from '../i18n';
import { api, get, setToken, token, ProblemError, type Me, type Redeemed, type CompetitionSummary, type CompetitionDetails } from './api';
import { h } from './dom';
import { t } from './strings';
import { type Ctx, isAdmin, isChief, isOrganiser, field, messageOf } from './context';
import { setupPage } from './setup';
import { markingPage } from './marking';
import { resultsPage } from './results';
import { adminPage } from './admin';
import { judgingPage } from './judging';
import { tokensPage } from './tokens';
import { competitionToOpen, skillToOpen } from './choice';

type Page = 'setup' | 'marking' | 'judging' | 'results' | 'admin' | 'tokens';

const app = document.getElementById('app')!;
const nav = document.getElementById('nav')!;
const who = document.getElementById('who')!;
const signout = document.getElementById('signout') as HTMLButtonElement;
const toastBox = document.getElementById('toast')!;
const selectionKey = 'skillshub.console.selection';

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
const neededRole: Record<Page, Parameters<typeof t>[0]> = { setup: 'role.Organiser', marking: 'role.ChiefExpert', judging: 'role.ChiefExpert', results: 'role.Organiser', admin: 'role.Admin', tokens: 'role.Organiser' };

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

function selection(): { code: string | null; skill: number | null } {
  if (me && isChief(me) && !isOrganiser(me)) return { code: me.competitionCode, skill: me.skillNumber };
  try {
    const saved = JSON.parse(localStorage.getItem(selectionKey) ?? '{}') as { code?: string; skill?: number };
    return { code: saved.code ?? null, skill: saved.skill ?? null };
  } catch {
    return { code: null, skill: null };
  }
}

function remember(code: string | null, skill: number | null): void {
  localStorage.setItem(selectionKey, JSON.stringify({ code, skill }));
}

export function select(code: string | null, skill: number | null): void {
  remember(code, skill);
  void route();
}

function renderNav(current: string): void {
  nav.replaceChildren();
  // Each section's tab title names it, in the page's language (docs/pages.md, "Languages").
  const section = !me || current === 'login' ? t('login.title') : t.maybe(`nav.${current}`);
  document.title = section ? `${section} · ${t('app.title')}` : t('app.title');
  signout.hidden = !me;
  // Shortened with an ellipsis where the header is tight (console.css): the whole text is its tooltip.
  who.textContent = me ? `${me.displayName} · ${me.roles.map((r) => (t.maybe(`role.${r}`) ?? r)).join(', ')}${me.competitionCode ? ` · ${me.competitionCode}/${String(me.skillNumber).padStart(2, '0')}` : ''}` : '';
  who.title = who.textContent;
  if (!me) return;
  for (const page of ['setup', 'marking', 'judging', 'results', 'admin', 'tokens'] as Page[]) {
    if (!allowed[page](me)) continue;
    const a = h('a', { href: `/console/${page}`, class: current === page ? 'active' : '', 'data-page': page }, t(`nav.${page}`));
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

function loginView(): HTMLElement {
  const user = h('input', { name: 'username', autocomplete: 'username', required: true });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const accountError = h('p', { class: 'cerror', role: 'alert', hidden: true });
  // After an admin reset the password, the one-time password is exchanged for the user's own (docs/security.md).
  const newPassword = h('input', { name: 'newPassword', type: 'password', autocomplete: 'new-password', minlength: 10 });
  const changeStep = h('div', { id: 'password-change', hidden: true }, h('p', { class: 'cmuted' }, t('login.changeLead')), field(t('login.newPassword'), newPassword));
  const submit = h('button', { class: 'primary', type: 'submit' }, t('login.submit'));
  const accountForm = h('form', { id: 'login-form', class: 'cform' },
    field(t('login.user'), user), field(t('login.password'), password), changeStep, accountError, submit);
  accountForm.onsubmit = async (e) => {
    e.preventDefault();
    accountError.hidden = true;
    try {
      setToken(null);
      if (changeStep.hidden) await api('POST', '/api/auth/login', { userName: user.value, password: password.value });
      else await api('POST', '/api/auth/password', { userName: user.value, password: password.value, newPassword: newPassword.value });
      const back = new URLSearchParams(location.search).get('ReturnUrl');
      navigate(back && back.startsWith('/console') && !back.startsWith('/console/login') ? back : '/console');
    } catch (err) {
      if (err instanceof ProblemError && (err.problem as { passwordChangeRequired?: boolean }).passwordChangeRequired) {
        changeStep.hidden = false;
        newPassword.required = true;
        submit.textContent = t('login.change');
        newPassword.focus();
        return;
      }
      accountError.textContent = messageOf(err);
      accountError.hidden = false;
    }
  };
  const code = h('input', { name: 'code', autocomplete: 'off', autocapitalize: 'characters', placeholder: 'ABCDE-FGHJK', required: true });
  const device = h('input', { name: 'device', value: t('login.deviceDefault') });
  const pairError = h('p', { class: 'cerror', role: 'alert', hidden: true });
  const pairForm = h('form', { id: 'pair-form', class: 'cform' },
    field(t('login.code'), code), field(t('login.device'), device), pairError,
    h('button', { class: 'primary', type: 'submit' }, t('login.pair')));
  pairForm.onsubmit = async (e) => {
    e.preventDefault();
    pairError.hidden = true;
    try {
      setToken(null);
      const paired = await api<Redeemed>('POST', '/api/pairing/redeem', { code: code.value.trim(), deviceName: device.value.trim() });
      setToken(paired.token);
      navigate('/console');
    } catch (err) {
      pairError.textContent = messageOf(err);
      pairError.hidden = false;
    }
  };
  return h('div', { class: 'clogin' },
    h('h1', {}, t('login.title')),
    h('p', { class: 'clead' }, t('login.lead')),
    h('div', { class: 'cgrid2' },
      h('section', { class: 'cpanel' }, h('h2', {}, t('login.account')), accountForm),
      h('section', { class: 'cpanel' }, h('h2', {}, t('login.chief')), pairForm)));
}

function deniedView(m: Me, page: Page | null): HTMLElement {
  const role = m.roles.map((r) => (t.maybe(`role.${r}`) ?? r)).join(', ') || '—';
  return h('div', { class: 'cdenied', id: 'denied' },
    h('h1', {}, t('denied.title')),
    h('p', {}, t('denied.text', { who: m.displayName, role, needed: t(page ? neededRole[page] : 'role.Organiser') })),
    m.roles.includes('Expert') ? h('p', {}, t('denied.expert'), ' ', h('a', { href: '/judge' }, t('denied.openJudge'))) : null);
}

/** Competition and skill pickers for organisers (a Chief Expert's console is bound to one skill). */
async function picker(ctx: Ctx, withSkill: boolean): Promise<HTMLElement> {
  const competitions = await get<CompetitionSummary[]>('/api/competitions');
  const bar = h('div', { class: 'cpicker' });
  if (competitions.length === 0) {
    bar.append(h('p', { class: 'cmuted' }, t('picker.none')));
    return bar;
  }
  // The last choice, else a competition with something in it (choice.ts); kept, so every section opens on the same one.
  const kept = ctx.code && competitions.some((c) => c.code === ctx.code) ? ctx.code : null;
  const opened = kept ? null : await competitionToOpen(competitions);
  const code = kept ?? opened!.code;
  const preferred = opened?.skill ?? null;
  const cs = h('select', { id: 'pick-competition' },
    competitions.map((c) => h('option', { value: c.code, selected: c.code === code }, `${c.code} · ${currentLang() === 'zh' && c.nameZh ? c.nameZh : c.name}`)));
  cs.onchange = () => select(cs.value, null);
  bar.append(field(t('picker.competition'), cs));
  ctx.code = code;
  if (withSkill) {
    const details = await get<CompetitionDetails>(`/api/competitions/${encodeURIComponent(code)}`);
    if (details.skills.length === 0) {
      ctx.skill = null;
      bar.append(h('p', { class: 'cmuted' }, t('picker.noSkills')));
    } else {
      const known = (n: number | null) => n !== null && details.skills.some((s) => s.number === n);
      const wanted = known(ctx.skill) ? ctx.skill : known(preferred) ? preferred : await skillToOpen(code);
      const skill = known(wanted) ? wanted! : details.skills[0].number;
      ctx.skill = skill;
      const ss = h('select', { id: 'pick-skill' },
        details.skills.map((s) => h('option', { value: s.number, selected: s.number === skill }, `${String(s.number).padStart(2, '0')} · ${currentLang() === 'zh' && s.nameZh ? s.nameZh : s.name}`)));
      ss.onchange = () => select(code, Number(ss.value));
      bar.append(field(t('picker.skill'), ss));
    }
  } else if (opened) {
    ctx.skill = preferred;
  }
  if (code !== selection().code || ctx.skill !== selection().skill) remember(code, ctx.skill);
  return bar;
}

let routing = 0;

async function route(): Promise<void> {
  const ticket = ++routing;
  for (const dispose of disposers) dispose();
  disposers = [];
  const page = pageOf(location.pathname);
  app.replaceChildren(h('p', { class: 'cmuted' }, t('loading')));
  try {
    me = await whoAmI();
  } catch (e) {
    app.replaceChildren(h('p', { class: 'cerror' }, messageOf(e)));
    return;
  }
  if (ticket !== routing) return;
  renderNav(page);
  document.body.dataset.page = page;
  if (!me || page === 'login') {
    if (me && page === 'login') return navigate('/console');
    document.body.dataset.page = 'login';
    app.replaceChildren(loginView());
    return;
  }
  const target: Page | null = page === 'home' ? homeOf(me) : page;
  if (!target || !allowed[target](me)) {
    app.replaceChildren(deniedView(me, target));
    return;
  }
  if (page === 'home') {
    history.replaceState(null, '', `/console/${target}`);
    renderNav(target);
  }
  document.body.dataset.page = target;
  const sel = selection();
  const ctx: Ctx = {
    me, code: sel.code, skill: sel.skill, toast,
    rerender: () => void route(),
    onLeave: (d) => disposers.push(d),
  };
  try {
    const content = h('div', { class: 'cpage' });
    if (isOrganiser(me) && target !== 'admin' && target !== 'tokens') content.append(await picker(ctx, target !== 'results'));
    const body = target === 'setup' ? await setupPage(ctx)
      : target === 'marking' ? await markingPage(ctx)
      : target === 'judging' ? await judgingPage(ctx)
      : target === 'results' ? await resultsPage(ctx)
      : target === 'tokens' ? await tokensPage(ctx)
      : await adminPage(ctx);
    content.append(body);
    if (ticket === routing) app.replaceChildren(content);
  } catch (e) {
    if (ticket === routing) app.replaceChildren(h('p', { class: 'cerror', role: 'alert' }, messageOf(e)));
  }
}

signout.onclick = async () => {
  if (token()) setToken(null);
  else await api('POST', '/api/auth/logout').catch(() => undefined);
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
applyStatic(t, () => void route());
void route();
