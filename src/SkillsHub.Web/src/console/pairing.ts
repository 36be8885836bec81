import QRCode from 'qrcode';
import { currentLang } from '../i18n';
import { api, get, type CodeState, type Device, type Expert, type PairingCode } from './api';
import { h, table, fmtTime } from './dom';
import { serverReason, t } from './strings';
import { type Ctx, section, field, messageOf, emptyNote, scrollBox, isOrganiser, reasonGiven } from './context';

/** The marking floor's tablet pairing: codes with their QR links, followed until used, and the paired tablets (console/marking.ts). */
export async function pairingPanel(ctx: Ctx, path: string): Promise<HTMLElement> {
  const [experts, devices] = await Promise.all([get<Expert[]>(`${path}/experts`), get<Device[]>(`${path}/devices`)]);
  const names = new Map(experts.map((x) => [x.id, x.name]));
  // Whoever redeems a code marks as its expert, so a Chief Expert's console pairs a tablet for the Chief Expert alone; the
  // other experts' codes come from an organiser (docs/security.md; the server refuses the rest).
  const ownOnly = !isOrganiser(ctx.me) && ctx.me.expertId !== null;
  const pairable = ownOnly ? experts.filter((x) => x.id === ctx.me.expertId) : experts;
  const expert = h('select', { id: 'pair-expert' }, pairable.map((x) => h('option', { value: x.id }, `${x.id} · ${x.name}`)));
  const issue = h('button', { class: 'primary', type: 'button', id: 'pair-issue' }, t('pair.issue'));
  const codes = h('div', { class: 'ccodes', id: 'pair-codes' });
  // The codes shown and still waiting: the server says which one a tablet used (found by an outside tester: the page
  // guessed from the expert, and with two codes for one expert marked the wrong one used).
  const waiting = new Map<string, HTMLElement>();
  let shown = devices;
  // The codes issued here and what became of them, drawn again while this section is (a language switch too: an outside
  // tester's code card vanished though the code stayed valid).
  const issued = ctx.keep('pairing-codes', () => ({ codes: [] as PairingCode[], ends: new Map<string, CodeState>() }));
  const showCode = async (code: PairingCode) => {
    // The link comes from the server (PublicBaseUrl): the console may be open on an internal address.
    const url = code.pairUrl;
    const end = issued.ends.get(code.code);
    // Said by what it is for, not as a spelled-out address (found by an outside tester).
    const img = end ? null : h('img', { class: 'cqr', alt: t('pair.qrAlt', { expert: code.expertId }), width: 176, height: 176, 'data-url': url });
    if (img) img.src = await QRCode.toDataURL(url, { margin: 1, width: 352, errorCorrectionLevel: 'M' });
    const card = h('article', { class: 'ccode', 'data-expert': code.expertId, 'data-code': code.code, 'data-state': end?.state ?? 'waiting' },
      img,
      h('div', {},
        h('p', { class: 'cmuted' }, `${code.expertId} · ${names.get(code.expertId) ?? ''}`),
        h('p', { class: 'ccodetext' }, code.code),
        h('p', { class: 'cmuted cvalid' }, end ? endText(end) : t('pair.expires', { at: fmtTime(code.expiresAt, currentLang()) })),
        h('p', { class: 'cmuted small' }, t('pair.scan', { url: url.split('?')[0] }))));
    codes.prepend(card);
    if (!end) waiting.set(code.code, card);
  };
  const endText = (s: CodeState) => (s.state === 'used' ? t('pair.used', { device: s.deviceName ?? '' }) : t('pair.expired'));
  void (async () => {
    for (const code of issued.codes) await showCode(code);
    if (waiting.size > 0) void follow();
  })();
  issue.onclick = async () => {
    try {
      const code = await api<PairingCode>('POST', `${path}/pairing-codes`, { expertId: expert.value });
      issued.codes.push(code);
      await showCode(code);
      // Said as well as shown: the focus stays on the button (found by an outside tester: nothing told a screen reader).
      ctx.toast(t('pair.issued', { code: code.code, expert: code.expertId }));
      void follow();
    } catch (e) {
      ctx.toast(messageOf(e), true);
    }
  };
  const list = h('div', { id: 'pair-devices' }, deviceList(ctx, path, devices, names, experts.length > 0));
  let following = false;
  async function follow(): Promise<void> {
    if (following) return;
    following = true;
    while (waiting.size > 0 && codes.isConnected) {
      await new Promise((resolve) => setTimeout(resolve, 3000));
      if (!codes.isConnected) break;
      const states = await api<CodeState[]>('POST', `${path}/pairing-codes/status`, { codes: [...waiting.keys()] }).catch(() => null);
      if (!states) continue;
      let paired = false;
      for (const s of states) {
        const card = waiting.get(s.code);
        if (!card || s.state === 'waiting') continue;
        issued.ends.set(s.code, s);
        card.dataset.state = s.state;
        card.querySelector('.cvalid')!.textContent = endText(s);
        card.querySelector('.cqr')?.remove();
        waiting.delete(s.code);
        paired ||= s.state === 'used';
      }
      const now = paired ? await get<Device[]>(`${path}/devices`).catch(() => null) : null;
      // Redrawn only when a tablet came or went: a revocation being typed into the list is not wiped.
      if (now && now.map((d) => `${d.id}:${d.revokedAt}`).join() !== shown.map((d) => `${d.id}:${d.revokedAt}`).join()) {
        shown = now;
        list.replaceChildren(deviceList(ctx, path, now, names, experts.length > 0));
      }
    }
    following = false;
  }
  // Nothing to pair without experts, and no list without a tablet: each says so (docs/pages.md, "Console").
  return section(t('pair.title'),
    experts.length ? h('div', { class: 'crow cwrap' }, field(t('pair.expert'), expert), issue) : emptyNote(ctx, t('pair.noExperts'), true),
    ownOnly ? h('p', { class: 'cmuted', id: 'pair-own-only' }, t('pair.ownOnly')) : null,
    codes,
    h('h3', {}, t('pair.devices')),
    list);
}

function deviceList(ctx: Ctx, path: string, devices: Device[], names: Map<string, string>, anyExperts: boolean): HTMLElement {
  const deviceRows = devices.map((d) => {
    const status = d.revokedAt ? t('pair.revoked', { at: fmtTime(d.revokedAt, currentLang()), reason: serverReason(d.revokeReason ?? '') }) : t('pair.active');
    const actions = h('span', {});
    if (!d.revokedAt) {
      const revoke = h('button', { class: 'secondary small', type: 'button', 'data-revoke': d.id }, t('pair.revoke'));
      // A revocation being written stays open when the section is drawn again (a language switch; found by an outside tester).
      const opened = ctx.keep('revoking', () => new Set<string>());
      const open = () => {
        opened.add(d.id);
        const reason = h('input', { name: 'reason', placeholder: t('pair.reason'), 'aria-label': t('pair.reason'), required: true, 'data-revoke-reason': d.id });
        const go = h('button', { class: 'primary small', type: 'button', 'data-revoke-confirm': d.id }, t('pair.revokeConfirm'));
        go.onclick = async () => {
          if (!reasonGiven(reason, t('pair.needReason'))) return;
          try {
            await api('POST', `${path}/devices/${d.id}/revoke`, { reason: reason.value });
            opened.delete(d.id);
            ctx.toast(t('pair.revokedOk'));
            ctx.rerender('#pair-issue');
          } catch (e) {
            ctx.toast(messageOf(e, { reason: t('pair.reason') }), true);
          }
        };
        reason.onkeydown = (e) => { if (e.key === 'Enter') { e.preventDefault(); go.click(); } };
        actions.replaceChildren(h('span', { class: 'crow' }, reason, go));
        return reason;
      };
      revoke.onclick = () => open().focus();
      actions.append(revoke);
      if (opened.has(d.id)) open();
    }
    return [h('span', { class: 'cid' }, d.deviceName), `${d.expertId} · ${names.get(d.expertId) ?? ''}`, fmtTime(d.pairedAt, currentLang()), status, actions];
  });
  return deviceRows.length ? scrollBox(table([t('pair.device'), t('pair.expert'), t('pair.paired'), t('pair.status'), t('admin.actions')], deviceRows), t('pair.devices'))
    : emptyNote(ctx, t(anyExperts ? 'pair.noDevices' : 'pair.noDevicesYet'));
}
