// Screen: competition promotions in the agency's scope, and issuing a certificate for one.
import type { CertificateView } from '../cert-api';
import { chinaDayText } from '../kernel/dates';
import { el, submitting } from '../kernel/dom';
import { exchange } from '../kernel/http';
import { errorText } from '../kernel/problems';
import { currentLang } from '../i18n';
import { levelName, occupationName, promotionReason, t } from './strings';
import { byId, clearRefused, markRefused, setStatus, state, verifyHref } from './state';
import { table } from './sessions';


const idTypes = ['resident', 'passport', 'hk-macao', 'taiwan', 'foreign-pr', 'other'];
const inputs = ['promotion-id-type', 'promotion-id-number', 'promotion-name'];

export function renderPromotions(): void {
  const { promotions, issuing } = state;
  byId('promotions-note').textContent = t('promotions.note', { members: promotions.members.join(', ') });
  const target = byId<HTMLTableElement>('promotions');
  if (promotions.items.length === 0) {
    target.replaceChildren(el('caption', 'meta', t('promotions.empty')));
  } else {
    table(target, ['col.competition', 'col.competitor', 'col.occupation', 'col.level', 'col.reason', 'col.action'],
      promotions.items.map((p) => {
        const skillName = (currentLang() === 'zh' ? p.skillNameZh ?? p.skillName : p.skillName) ?? '';
        let action: Node;
        if (p.certificateNumber) {
          const issued = el('div', 'issued');
          action = issued;
          issued.append(Object.assign(el('a', 'mono', p.certificateNumber), { href: verifyHref(p.certificateNumber, p.accessToken) }),
            el('div', 'meta', `${p.holderName ?? ''} · ${p.idNumberMasked ?? ''}${p.certificateLevel && p.certificateLevel !== p.level ? ` · ${levelName(p.certificateLevel)}` : ''}`));
          // The results no longer justify it: the certificate stays valid until the officer revokes it (docs/certification.md);
          // once revoked (or suspended), the page says so instead of asking for it.
          if (p.withdrawnAt) {
            const outcome = p.certificateStatus === 'revoked' || p.certificateStatus === 'suspended' ? p.certificateStatus : 'valid';
            issued.append(el('div', 'meta withdrawn', t(`promotion.withdrawn.${outcome}`, { date: chinaDayText(p.withdrawnAt) })));
          }
        } else {
          const button = el('button', p.id === issuing ? 'primary' : 'secondary', t('promotion.issue'));
          button.type = 'button';
          button.dataset.promotion = String(p.id);
          button.onclick = () => openIssue(p.id);
          action = button;
        }
        const competitor = el('div');
        const meta = el('div', 'meta', `${p.memberCode} · `);
        meta.append(el('span', 'nowrap', p.competitorId));
        competitor.append(el('div', undefined, p.name), meta);
        const occupation = el('span');
        occupation.append(el('span', 'nowrap', p.occupation), ` ${occupationName(p)}`);
        return [`${p.competition} · ${String(p.skill).padStart(2, '0')} ${skillName}`, competitor, occupation,
          levelName(p.level), promotionReason(p.reason), action];
      }));
    target.tBodies[0]?.querySelectorAll('tr').forEach((tr, i) => {
      tr.dataset.promotion = String(promotions.items[i]!.id);
      tr.classList.toggle('selected', promotions.items[i]!.id === issuing);
    });
  }
  const form = byId<HTMLFormElement>('promotion-form');
  const promotion = promotions.items.find((p) => p.id === issuing && !p.certificateNumber);
  form.hidden = !promotion;
  const idType = byId<HTMLSelectElement>('promotion-id-type');
  const chosen = idType.value || 'resident';
  idType.replaceChildren(...idTypes.map((v) => new Option(t.maybe(`idType.${v}`) ?? v, v)));
  idType.value = chosen;
  if (promotion) {
    byId('promotion-form-title').textContent = t('promotion.formTitle',
      { name: promotion.name, competition: promotion.competition, skill: promotion.skill, level: levelName(promotion.level) });
    byId<HTMLInputElement>('promotion-name').placeholder = promotion.name;
  }
}

/** The issuing form's last refusal, kept to be said again in the page's language after a switch (an outside tester). */
let fault: unknown;
const showFault = () => { byId('promotion-error').textContent = fault === undefined ? '' : errorText(fault); };
export const redrawPromotionFault = showFault;

function openIssue(id: number): void {
  state.issuing = id;
  byId<HTMLInputElement>('promotion-id-number').value = '';
  byId<HTMLInputElement>('promotion-name').value = '';
  fault = undefined;
  showFault();
  renderPromotions();
  byId('promotion-form').scrollIntoView({ block: 'nearest' });
  byId<HTMLInputElement>('promotion-id-number').focus();
}

async function issuePromotion(reload: () => Promise<void>): Promise<void> {
  if (state.issuing === null) return;
  const value = (id: string) => byId<HTMLInputElement>(id).value.trim();
  fault = undefined;
  showFault();
  try {
    const { status, body: certificate } = await exchange<CertificateView>('POST', `/api/agency/promotions/${state.issuing}/certificate`,
      { body: { idType: value('promotion-id-type'), idNumber: value('promotion-id-number'), name: value('promotion-name') || null } });
    setStatus(() => status === 201
      ? t('promotion.issued', { number: certificate.number, name: certificate.holderName, id: certificate.idNumberMasked })
      : t('promotion.existing', { number: certificate.number }));
    state.issuing = null;
    await reload();
  } catch (e) {
    // Problem details name the field at fault (errors.{field} or the field extension): mark that input.
    markRefused(e, { idType: 'promotion-id-type', name: 'promotion-name', idNumber: 'promotion-id-number' }, 'promotion-error');
    fault = e;
    showFault();
  }
}

export function wirePromotions(reload: () => Promise<void>): void {
  byId('promotion-form').addEventListener('submit', (event) => {
    event.preventDefault();
    void submitting(event.currentTarget as HTMLFormElement, () => issuePromotion(reload));
  });
  for (const id of inputs) byId(id).addEventListener('input', (e) => clearRefused(e.target as HTMLElement));
  byId('promotion-cancel').addEventListener('click', () => {
    state.issuing = null;
    renderPromotions();
  });
}
