// The console's sign-in (an account, or a Chief Expert's pairing code) and the page shown to a role a section is not for.
import { api, setToken, ProblemError, type Me, type Redeemed } from './api';
import { h } from './dom';
import { roleList, t } from './strings';
import { field, messageOf } from './context';
import { markFields } from './form-errors';
import * as Kernel from '../kernel/problems';

/**
 * Where a sign-in goes on to: the page's ReturnUrl, else the section whose address the form was shown at (an outside
 * tester: a bookmark to /console/judging signed in to Setup), else the console's start. Only console addresses.
 */
function afterSignIn(): string {
  const here = location.pathname + location.search;
  const back = new URLSearchParams(location.search).get('ReturnUrl') ?? here;
  return back.startsWith('/console/') && !back.startsWith('/console/login') && !back.includes('ReturnUrl=') ? back : '/console';
}

export function loginView(navigate: (path: string) => void): HTMLElement {
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
      navigate(afterSignIn());
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
      // Refused credentials mark both fields and are their description; the server does not say which was wrong (found by an
      // outside tester: the fields were neither marked nor described).
      const refused = err instanceof ProblemError && (err.status === 401 || err.status === 400);
      markFields(accountForm, refused ? (changeStep.hidden ? [user, password] : [user, password, newPassword]) : [], accountError, false);
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
      // For the console: another expert's code is refused before it is used, so it still pairs that expert's tablet.
      const paired = await api<Redeemed>('POST', '/api/pairing/redeem', { code: code.value.trim(), deviceName: device.value.trim(), for: 'console' });
      setToken(paired.token);
      navigate(afterSignIn());
    } catch (err) {
      // The form's own words for its fields (found by an outside tester: "（代码）" after a text that names the code).
      pairError.textContent = messageOf(err, { code: t('login.code'), deviceName: t('login.device') });
      pairError.hidden = false;
      // The field at fault marked and described, as the sign-in's (found by an outside tester: only the sign-in's were).
      const refused = err instanceof ProblemError && err.status >= 400 && err.status < 500;
      const named = err instanceof ProblemError ? Kernel.namedFields(err.problem) : [];
      markFields(pairForm, refused ? (named.includes('deviceName') ? [device] : [code]) : [], pairError, false);
    }
  };
  return h('div', { class: 'clogin' },
    h('h1', {}, t('login.title')),
    h('p', { class: 'clead' }, t('login.lead')),
    h('div', { class: 'cgrid2' },
      h('section', { class: 'cpanel' }, h('h2', {}, t('login.account')), accountForm),
      h('section', { class: 'cpanel' }, h('h2', {}, t('login.chief')), pairForm)));
}

export function deniedView(m: Me, needed: string): HTMLElement {
  const role = roleList(m.roles) || '—';
  return h('div', { class: 'cdenied', id: 'denied' },
    h('h1', {}, t('denied.title')),
    h('p', {}, t('denied.text', { who: m.displayName, role, needed })),
    m.roles.includes('Expert') ? h('p', {}, t('denied.expert'), ' ', h('a', { href: '/judge' }, t('denied.openJudge'))) : null);
}
