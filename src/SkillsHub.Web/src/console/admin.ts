import { api, get, type Account } from './api';
import { h, table } from './dom';
import { t } from './strings';
import { type Ctx, section, field } from './context';
import { errorTable } from './setup';

const accountRoles = ['Admin', 'Organiser', 'AgencyOfficer'];

export async function adminPage(ctx: Ctx): Promise<HTMLElement> {
  const accounts = await get<Account[]>('/api/accounts');
  const user = h('input', { name: 'userName', required: true, minlength: 3 });
  const display = h('input', { name: 'displayName' });
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const agency = h('input', { name: 'agencyCode' });
  const roles = accountRoles.map((r) => h('input', { type: 'checkbox', name: 'roles', value: r }));
  const message = h('div', {});
  const form = h('form', { class: 'cform cinline', id: 'create-account' },
    field(t('admin.user'), user), field(t('admin.display'), display), field(t('admin.password'), password),
    h('fieldset', { class: 'croles' }, h('legend', {}, t('admin.roles')), roles.map((box) => h('label', {}, box, ' ', t(`role.${box.value}`)))),
    field(t('admin.agency'), agency),
    h('button', { class: 'primary', type: 'submit' }, t('admin.create')), message);
  form.onsubmit = async (e) => {
    e.preventDefault();
    try {
      await api('POST', '/api/accounts', {
        userName: user.value.trim(), displayName: display.value.trim() || null, password: password.value,
        roles: roles.filter((r) => r.checked).map((r) => r.value), agencyCode: agency.value.trim() || null,
      });
      ctx.toast(t('admin.created', { user: user.value.trim() }));
      ctx.rerender();
    } catch (err) {
      message.replaceChildren(errorTable(err));
    }
  };
  const rows = accounts.map((a) => [a.userName, a.displayName, a.roles.map((r) => t(`role.${r}`)).join(', '), a.agencyCode ?? '', t(a.disabled ? 'yes' : 'no')]);
  const link = (href: string, key: string) => h('li', {}, h('a', { href, target: '_blank', rel: 'noopener' }, t(key)), h('span', { class: 'cmuted' }, ` ${href}`));
  return h('div', {},
    section(t('admin.accounts'), h('div', { class: 'cscroll' }, table([t('admin.user'), t('admin.display'), t('admin.roles'), t('admin.agency'), t('admin.disabled')], rows)), form),
    section(t('admin.tools'), h('ul', { class: 'clinks' }, link('/jobs', 'admin.jobs'), link('/health/ready', 'admin.health'), link('/openapi/v1.json', 'admin.openapi'), link('/api-docs', 'admin.apidocs')),
      h('p', { class: 'cmuted' }, t('admin.orleans'))));
}
