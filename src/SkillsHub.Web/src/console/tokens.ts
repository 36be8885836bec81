import type { Schemas } from '../api-types';
import { api, get } from './api';
import { fmtTime, h, table } from './dom';
import { t } from './strings';
import { currentLang } from '../i18n';
import { submitting } from '../kernel/dom';
import { type Ctx, section, field, messageOf, scrollBox } from './context';

type TokenView = Schemas['TokenView'];
type CreatedToken = Schemas['CreatedToken'];

// Personal API tokens for scripts (docs/security.md): created here, shown once, listed with last use, revocable.
export async function tokensPage(ctx: Ctx): Promise<HTMLElement> {
  const tokens = await get<TokenView[]>('/api/me/tokens');
  const lang = currentLang();
  // The token just created: shown while this section is drawn again (a language switch too), forgotten once it is left.
  const created = ctx.keep('new-token', () => ({ token: null as CreatedToken | null }));
  const name = h('input', { name: 'tokenName', required: true, maxlength: 100 });
  const shown = h('div', { id: 'new-token', role: 'status' },
    created.token ? h('p', {}, t('tokens.created'), ' ', h('code', { class: 'one-time' }, created.token.token)) : null);
  // How long the token lasts: 90 days unless chosen otherwise (docs/security.md, "Cross-site request forgery"); the API's default is until revoked.
  const life = h('select', { name: 'tokenLife' },
    ...[['30', t('tokens.days', { n: 30 })], ['90', t('tokens.days', { n: 90 })], ['365', t('tokens.year')], ['', t('tokens.never')]]
      .map(([days, label]) => h('option', { value: days, selected: days === '90' }, label)));
  const form = h('form', { class: 'cform cinline', id: 'create-token' }, field(t('tokens.name'), name), field(t('tokens.life'), life), h('button', { class: 'primary', type: 'submit' }, t('tokens.create')));
  form.onsubmit = (e) => {
    e.preventDefault();
    void submitting(form, async () => {
      try {
        const expiresAt = life.value ? new Date(Date.now() + Number(life.value) * 86_400_000).toISOString() : undefined;
        created.token = await api<CreatedToken>('POST', '/api/me/tokens', { name: name.value.trim(), expiresAt });
        ctx.rerender();
      } catch (err) {
        // The field named as the form labels it (the token's name, not a person's 姓名).
        ctx.toast(messageOf(err, { name: t('tokens.name') }), true);
      }
    });
  };
  const expired = (x: TokenView) => x.expiresAt !== null && x.expiresAt !== undefined && new Date(x.expiresAt).getTime() <= Date.now();
  const rows = tokens.map((x) => [x.name, fmtTime(x.createdAt, lang), fmtTime(x.lastUsedAt, lang), x.expiresAt ? fmtTime(x.expiresAt, lang) : t('tokens.never'),
    t(x.revokedAt ? 'tokens.revokedState' : expired(x) ? 'tokens.expiredState' : 'tokens.active'),
    x.revokedAt || expired(x) ? '' : (() => {
      const b = h('button', { type: 'button', 'data-action': 'revoke-token' }, t('tokens.revoke'));
      b.onclick = async () => {
        try {
          await api('POST', `/api/me/tokens/${x.id}/revoke`);
          ctx.toast(t('tokens.revoked', { name: x.name }));
          ctx.rerender();
        } catch (err) {
          ctx.toast(messageOf(err), true);
        }
      };
      return b;
    })()]);
  return h('div', {},
    section(t('tokens.title'), h('p', { class: 'cmuted' }, t('tokens.lead')), shown, form,
      rows.length === 0 ? h('p', { class: 'cmuted' }, t('tokens.none'))
        : scrollBox(table([t('tokens.name'), t('tokens.createdAt'), t('tokens.lastUsed'), t('tokens.expires'), t('tokens.state'), t('admin.actions')], rows), t('tokens.title'), 'tokens')));
}
