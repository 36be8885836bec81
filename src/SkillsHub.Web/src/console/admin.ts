import { api, get, type Account, type ActiveDevice, type OneTimePassword, type SecurityEvent, type SessionInfo } from './api';
import { fmtTime, h, table } from './dom';
import { roleList, serverReason, t } from './strings';
import { currentLang } from '../i18n';
import { type Ctx, section, field, messageOf, scrollBox } from './context';
import { submitting } from '../kernel/dom';
import { formErrors } from './form-errors';

const accountRoles = ['Admin', 'Organiser', 'AgencyOfficer'];

/** How many entries of the account log the server sends at a time (GET /api/security-audit). */
const AuditPage = 200;
/**
 * How many entries the log shows: a page drawn again (another language, after an action) reads as many as were shown, so
 * the older entries loaded stay (docs/pages.md: a redrawn page keeps the data it shows; found by an outside tester).
 */
let auditShown = AuditPage;

// Accounts, their sessions and the paired tablets (docs/security.md); every action is audited by the server.
export async function adminPage(ctx: Ctx): Promise<HTMLElement> {
  const [accounts, sessions, devices, audit] = await Promise.all([
    get<Account[]>('/api/accounts'), get<SessionInfo[]>('/api/sessions'), get<ActiveDevice[]>('/api/devices'), get<SecurityEvent[]>(`/api/security-audit?limit=${auditShown}`),
  ]);
  const lang = currentLang();
  const user = h('input', { name: 'userName', required: true, minlength: 3 });
  const display = h('input', { name: 'displayName' });
  const password = h('input', { name: 'password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password' });
  const agency = h('input', { name: 'agencyCode' });
  const roles = accountRoles.map((r) => h('input', { type: 'checkbox', name: 'roles', value: r }));
  // Checked by default: the admin chose the password, so the new user replaces it at the first sign-in (docs/security.md).
  const mustChange = h('input', { type: 'checkbox', name: 'mustChangePassword', checked: true });
  const message = h('div', {});
  // A reset's one-time password and the new account form's refusal, drawn again while this section is (Ctx.keep).
  const kept = ctx.keep('admin', () => ({ oneTime: null as OneTimePassword | null, error: undefined as unknown, values: {} as Record<string, string> }));
  const oneTime = h('div', { id: 'one-time-password', role: 'status' });
  const showOneTime = () => {
    if (kept.oneTime) oneTime.replaceChildren(h('p', {}, t('admin.oneTime', { user: kept.oneTime.userName }), ' ', h('code', { class: 'one-time' }, kept.oneTime.password)));
  };
  showOneTime();
  for (const input of [user, display, agency]) {
    input.value = kept.values[input.name] ?? '';
    input.addEventListener('input', () => { kept.values[input.name] = input.value; });
  }
  const form = h('form', { class: 'cform cinline', id: 'create-account' },
    field(t('admin.user'), user), field(t('admin.display'), display), field(t('admin.password'), password),
    h('fieldset', { class: 'croles' }, h('legend', {}, t('admin.roles')), roles.map((box) => h('label', {}, box, ' ', (t.maybe(`role.${box.value}`) ?? box.value)))),
    field(t('admin.agency'), agency),
    h('label', { class: 'ccheck' }, mustChange, ' ', t('admin.mustChangeFirst')),
    h('button', { class: 'primary', type: 'submit' }, t('admin.create')), message);
  const labels = () => ({ userName: t('admin.user'), displayName: t('admin.display'), password: t('admin.password'), roles: t('admin.roles'), agencyCode: t('admin.agency') });
  if (kept.error !== undefined) message.replaceChildren(formErrors(kept.error, labels(), form, false));
  form.onsubmit = (e) => {
    e.preventDefault();
    void submitting(form, async () => {
      try {
        await api('POST', '/api/accounts', {
          userName: user.value.trim(), displayName: display.value.trim() || null, password: password.value,
          roles: roles.filter((r) => r.checked).map((r) => r.value), agencyCode: agency.value.trim() || null,
          mustChangePassword: mustChange.checked,
        });
        ctx.toast(t('admin.created', { user: user.value.trim() }));
        kept.error = undefined;
        kept.values = {};
        ctx.rerender();
      } catch (err) {
        kept.error = err;
        message.replaceChildren(formErrors(err, labels(), form));
      }
    });
  };
  const act = (label: string, name: string, run: () => Promise<void>) => {
    const button = h('button', { type: 'button', 'data-action': name }, label);
    button.onclick = async () => {
      button.disabled = true;
      try {
        await run();
      } catch (err) {
        ctx.toast(messageOf(err), true);
        button.disabled = false;
      }
    };
    return button;
  };
  const self = ctx.me.name;
  const rows = accounts.map((a) => {
    const tr = [
      a.userName, a.displayName, roleList(a.roles), a.agencyCode ?? '',
      t(a.disabled ? 'yes' : 'no') + (a.mustChangePassword ? ` · ${t('admin.mustChange')}` : ''),
      String(a.activeSessions), fmtTime(a.lastSeenAt, lang),
      h('span', { class: 'cactions', 'data-user': a.userName },
        a.userName === self ? null : a.disabled
          ? act(t('admin.enable'), 'enable', async () => {
            await api('POST', `/api/accounts/${a.id}/enable`);
            ctx.toast(t('admin.enabledOk', { user: a.userName }));
            ctx.rerender();
          })
          : act(t('admin.disable'), 'disable', async () => {
            await api('POST', `/api/accounts/${a.id}/disable`, { reason: null });
            ctx.toast(t('admin.disabledOk', { user: a.userName }));
            ctx.rerender();
          }),
        ' ',
        a.userName === self ? null : act(t('admin.reset'), 'reset', async () => {
          kept.oneTime = await api<OneTimePassword>('POST', `/api/accounts/${a.id}/reset-password`);
          showOneTime();
        })),
    ];
    return tr;
  });
  const sessionRows = sessions.map((s) => [s.userName, fmtTime(s.createdAt, lang), fmtTime(s.lastSeenAt, lang),
    // The client's own words, isolated from the line's direction and wrapped anywhere (found by an outside tester: 200 letters ran off the cell).
    h('bdi', { class: 'cclient' }, s.client ?? ''), s.address ?? '',
    h('span', { 'data-session': s.id }, act(t('admin.end'), 'end-session', async () => {
      await api('POST', `/api/sessions/${s.id}/end`);
      ctx.toast(t('admin.ended', { user: s.userName }));
      ctx.rerender();
    }))]);
  // An id (WSC2024/7/E-DK, a tablet's name) and an action's name keep to one line: the table scrolls in its card instead.
  const oneLine = (text: string) => h('span', { class: 'cid' }, text);
  const deviceRows = devices.map((d) => [`${d.competitionCode}/${String(d.skillNumber).padStart(2, '0')}`, d.expertId, oneLine(d.deviceName), fmtTime(d.pairedAt, lang),
    h('span', { 'data-device': d.id }, act(t('admin.revoke'), 'revoke-device', async () => {
      await api('POST', `/api/devices/${d.id}/revoke`, { reason: t('admin.revokeReason') });
      ctx.toast(t('admin.revoked', { expert: d.expertId }));
      ctx.rerender();
    }))]);
  const auditHead = [t('cell.at'), t('cell.actor'), t('cell.action'), t('admin.target'), t('admin.detail')];
  const auditRow = (e: SecurityEvent) => [fmtTime(e.at, lang), e.actor, oneLine(t.maybe(`audit.${e.action}`) ?? e.action), oneLine(e.target), auditDetail(e)];
  const auditTable = table(auditHead, audit.map(auditRow));
  // The log pages back from the newest (the server sends 200 at a time): every entry stays reachable.
  let oldest = audit.at(-1)?.id;
  auditShown = Math.max(AuditPage, audit.length);
  const older = h('button', { class: 'secondary small', type: 'button', id: 'audit-older', hidden: audit.length < auditShown }, t('admin.older'));
  older.onclick = async () => {
    older.disabled = true;
    try {
      const page = await get<SecurityEvent[]>(`/api/security-audit?before=${oldest}`);
      auditTable.tBodies[0].append(...table(auditHead, page.map(auditRow)).tBodies[0].rows);
      oldest = page.at(-1)?.id ?? oldest;
      older.hidden = page.length < AuditPage;
      // At most the 1000 the server gives a page (AccountsApi.SecurityAuditMaxPage, docs/security.md "Bad input").
      auditShown = Math.min(1000, auditShown + page.length);
    } catch (e) {
      ctx.toast(messageOf(e), true);
    } finally {
      older.disabled = false;
    }
  };
  const link = (href: string, key: Parameters<typeof t>[0]) => h('li', {}, h('a', { href, target: '_blank', rel: 'noopener' }, t(key)), h('span', { class: 'cmuted' }, ` ${href}`));
  return h('div', {},
    section(t('admin.accounts'), scrollBox(table(
      [t('admin.user'), t('admin.display'), t('admin.roles'), t('admin.agency'), t('admin.disabled'), t('admin.sessions'), t('admin.lastSeen'), t('admin.actions')], rows), t('admin.accounts'), 'accounts'),
    oneTime, form),
    section(t('admin.sessions'), sessionRows.length === 0 ? h('p', { class: 'cmuted' }, t('admin.noSessions'))
      : scrollBox(table([t('admin.user'), t('admin.started'), t('admin.lastSeen'), t('admin.client'), t('admin.address'), t('admin.actions')], sessionRows), t('admin.sessions'), 'sessions')),
    section(t('admin.tablets'), deviceRows.length === 0 ? h('p', { class: 'cmuted' }, t('admin.noTablets'))
      : scrollBox(table([t('admin.skill'), t('admin.expert'), t('admin.device'), t('admin.paired'), t('admin.actions')], deviceRows), t('admin.tablets'), 'tablets')),
    section(t('admin.audit'), audit.length === 0 ? h('p', { class: 'cmuted' }, t('admin.noAudit'))
      : h('div', {}, scrollBox(auditTable, t('admin.audit'), 'security-audit'), older)),
    section(t('admin.tools'), h('ul', { class: 'clinks' }, link('/jobs', 'admin.jobs'), link('/health/ready', 'admin.health'), link('/openapi/v1.json', 'admin.openapi'), link('/api-docs', 'admin.apidocs')),
      h('p', { class: 'cmuted' }, t('admin.orleans'))));
}

/**
 * The account log's detail in the page's language: the server writes it in English from a few fixed forms (ids, names and
 * reasons inside them stay as written). Found by an outside tester: the Chinese log showed English sentences.
 */
function auditDetail(e: SecurityEvent): string {
  const d = e.detail ?? '';
  if (currentLang() !== 'zh' || !d) return d;
  let m: RegExpExecArray | null;
  // Counts are worded "1 code" / "2 codes" since 2026-12-07, "code(s)" in entries written before.
  // The tablet's name in double quotes, escaped (Security/DeviceStore.cs, Quoted); older rows have it in single quotes.
  if (e.action === 'device.pair' && (m = /^(\S+): device (\S+) (?:"((?:[^"\\]|\\.)*)"|'(.*)') redeemed a code issued by (.+)$/.exec(d))) {
    return `${m[1]}：设备 ${m[2]}“${m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4]}”使用了 ${m[5]} 签发的配对码`;
  }
  if (e.action === 'device.revoke' && (m = /^device (\S+): (.*)$/.exec(d))) return `设备 ${m[1]}：${serverReason(m[2])}`;
  if (e.action === 'pairing.revoke' && (m = /^(\S+): (\d+) unused pairing codes?(?:\(s\))?: (.*)$/.exec(d))) return `${m[1]}：作废 ${m[2]} 个未使用的配对码：${serverReason(m[3])}`;
  if (e.action === 'session.end' && (m = /^session (\S+)$/.exec(d))) return `会话 ${m[1]}`;
  if (e.action === 'password.reset' && (m = /^(\d+) API tokens?(?:\(s\))? revoked$/.exec(d))) return `已撤销 ${m[1]} 个 API 令牌`;
  if ((e.action === 'account.create' || e.action === 'account.roles') && (m = /^([A-Za-z,]*)(?: agency (\S+))?(; one-time password)?$/.exec(d))) {
    return [roleList(m[1] ? m[1].split(',') : []), m[2] ? `评价机构 ${m[2]}` : '', m[3] ? '一次性密码' : ''].filter(Boolean).join('；');
  }
  return d;
}
