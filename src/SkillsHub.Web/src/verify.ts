import './style.css';
import './cert-style.css';
import { applyStatic, bilingual, currentLang, translator } from './i18n';
import { call, type CertificateView } from './cert-api';
import { el } from './kernel/dom';
import { ProblemError } from './kernel/http';
import { errorText } from './kernel/problems';

// One table, each text in both languages (i18n.ts, bilingual).
const texts = {
  'verify.pageTitle': ['Verify a certificate · SkillsHub', '证书查询 · SkillsHub'],
  'verify.title': ['Verify a vocational skill certificate', '职业技能等级证书查询'],
  'verify.lead': ['Check a 职业技能等级证书 by its 22-character number, or find a holder\u2019s certificates by name and full ID number. ID numbers are always shown masked.', '输入22位证书编号查询，或输入姓名和完整证件号码查询持证人的证书。证件号码始终脱敏显示。'],
  'verify.byNumber': ['By certificate number', '按证书编号查询'],
  'verify.number': ['Certificate number (22 characters)', '证书编号（22位）'],
  'verify.check': ['Verify', '查询'],
  'verify.byHolder': ['By name and ID number', '按姓名和证件号码查询'],
  'verify.name': ['Holder\u2019s name', '姓名'],
  'verify.idNumber': ['Full ID number', '完整证件号码'],
  'verify.search': ['Find certificates', '查询证书'],
  'verify.searching': ['Checking…', '正在查询…'],
  'verify.notFound': ['No certificate matches. Check the number, or the name and full ID number.', '未查到证书。请核对证书编号，或姓名与完整证件号码。'],
  'verify.malformed': ['“{text}” is not a certificate number. A number has 22 characters: Y or S, 12 digits for the agency and site, 2 for the year, the level digit (5 to 1) and a 6-digit serial, e.g. Y000123000001195000001.', '“{text}”不是证书编号。证书编号共22位：Y 或 S，12位机构与站点代码，2位年份，1位等级（5至1），6位流水号，例如 Y000123000001195000001。'],
  'verify.limited': ['Too many lookups from this address. Try again in {seconds} s.', '查询过于频繁，请在 {seconds} 秒后重试。'],
  'verify.found': ['{count} certificates found.', '查到 {count} 本证书。'],
  'verify.found.one': ['1 certificate found.', '查到 1 本证书。'],
  'verify.footer': ['Free public verification (人社鉴发〔2019〕2号). SkillsHub never lists certificates: you need the number or the full ID number.', '免费公开查询（人社鉴发〔2019〕2号）。本系统不提供证书列表：须凭证书编号或完整证件号码查询。'],
  'cert.subtitle': ['Vocational Skill Level Certificate', '职业技能等级证书'],
  'cert.holder': ['Holder', '姓名'],
  'cert.id': ['ID number', '证件号码'],
  'cert.occupation': ['Occupation', '职业'],
  'cert.workType': ['Type of work', '工种'],
  'cert.level': ['Level', '等级'],
  'cert.number': ['Certificate number', '证书编号'],
  'cert.agency': ['Evaluation agency', '评价机构'],
  'cert.issued': ['Issue date', '发证日期'],
  'cert.status': ['Status', '状态'],
  'cert.validUntil': ['Valid until', '有效期至'],
  'cert.noExpiry': ['No expiry', '长期有效'],
  'cert.notStated': ['Not stated', '未注明'],
  'cert.reason': ['Reason', '原因'],
  'cert.downloads': ['Downloads', '下载'],
  'cert.pdf': ['Certificate (PDF)', '证书（PDF）'],
  'cert.credential': ['Digital certificate for other systems', '供其他系统核验的数字证书'],
  'cert.issuer': ['Agency\u2019s signature keys', '评价机构签名公钥'],
  'status.valid': ['Valid', '有效'],
  'status.revoked': ['Revoked', '已撤销'],
  'status.suspended': ['Suspended', '已暂停'],
  'status.expired': ['Expired', '已过期'],
  'disclose.lead': ['The holder\u2019s name is masked. To see the full record and download the certificate, enter the holder\u2019s name or the last 4 characters of the ID number (or open the link from the certificate\u2019s QR code).', '持证人姓名已脱敏。如需查看完整信息并下载证书，请输入持证人姓名或证件号码后4位（或打开证书二维码中的链接）。'],
  'disclose.name': ['Holder\u2019s name', '持证人姓名'],
  'disclose.last4': ['Last 4 of ID', '证件号码后4位'],
  'disclose.submit': ['Show full record', '查看完整信息'],
  'disclose.wrong': ['That does not match the holder of this certificate.', '与本证书持证人不符。'],
} as const;

const t = translator(bilingual(texts));

type Key = Parameters<typeof t>[0];

/** A date (yyyy-mm-dd) as the landing page writes one, in the page's language: "1 Jun 2025", "2025年6月1日". */
const dateText = (iso: string) => {
  const date = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(currentLang() === 'zh' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(date);
};

/** A value the certificate states, or undefined for an empty one: blank, or the registry's "--". */
const stated = (value: string | null | undefined) => (value && value.trim() && value.trim() !== '--' ? value : undefined);

const status = document.getElementById('status')!;
const results = document.getElementById('results')!;
let shown: CertificateView[] = [];
let statusText: () => string = () => '';

function card(c: CertificateView): HTMLElement {
  const zh = currentLang() === 'zh';
  const article = el('article', 'certificate');
  article.dataset.number = c.number;
  article.append(el('h2', 'cert-title', c.title));
  if (!zh) article.append(el('p', 'cert-subtitle', t('cert.subtitle')));
  const dl = el('dl');
  const add = (key: Key, value: string | HTMLElement) => {
    dl.append(el('dt', undefined, t(key)));
    const dd = el('dd');
    dd.append(value);
    dd.dataset.field = key;
    dl.append(dd);
  };
  add('cert.holder', c.holderName);
  add('cert.id', c.idNumberMasked);
  add('cert.occupation', zh ? `${c.occupationZh}（${c.occupation}）` : `${c.occupationEn} · ${c.occupationZh} (${c.occupation})`);
  // An empty value (the registry writes "--", as printed on the certificate) is said in words (docs/pages.md, "Languages").
  add('cert.workType', stated(c.workType) ?? el('span', 'not-stated', t('cert.notStated')));
  add('cert.level', zh ? c.levelZh : `${c.levelEn} · ${c.levelZh}`);
  add('cert.number', el('span', 'mono', c.number));
  add('cert.agency', c.agencyName);
  add('cert.issued', dateText(c.issuedOn));
  add('cert.validUntil', c.validUntil ? dateText(c.validUntil) : t('cert.noExpiry'));
  // The status in the page's language, like every other word on it (docs/pages.md, "Languages").
  const badge = el('span', `badge ${c.status}`, t.maybe(`status.${c.status}`) ?? c.status);
  badge.dataset.status = c.status;
  add('cert.status', badge);
  if (c.statusReason && c.status !== 'valid') add('cert.reason', el('span', 'status-reason', c.statusReason));
  const links = el('span', 'cert-links');
  const link = (href: string, key: Key, download?: string) => {
    const a = el('a', undefined, t(key));
    a.href = href;
    if (download) a.download = download;
    links.append(a, ' ');
  };
  // The PDF and the credential show the full name: only with the certificate's access token (docs/security.md).
  if (c.accessToken) {
    const q = `?t=${encodeURIComponent(c.accessToken)}`;
    link(`/api/certificates/${encodeURIComponent(c.number)}/pdf${q}`, 'cert.pdf', `${c.number}.pdf`);
    link(`/api/credentials/${encodeURIComponent(c.number)}${q}`, 'cert.credential', `${c.number}.vc.jwt`);
  }
  link(`/api/issuers/${encodeURIComponent(c.agencyKey)}`, 'cert.issuer');
  add('cert.downloads', links);
  article.classList.add(`status-${c.status}`);
  article.append(dl);
  if (c.disclosed === false) article.append(discloseForm(c.number));
  return article;
}

function discloseForm(number: string): HTMLElement {
  const form = el('form', 'disclose');
  form.append(el('p', 'disclose-lead', t('disclose.lead')));
  const input = (name: string, key: Key) => {
    const label = el('label', undefined, t(key));
    const box = el('input');
    box.name = name;
    box.autocomplete = 'off';
    label.append(' ', box);
    form.append(label, ' ');
    return box;
  };
  const name = input('name', 'disclose.name');
  const last4 = input('idLast4', 'disclose.last4');
  last4.maxLength = 4;
  last4.size = 6;
  const submit = el('button', 'primary', t('disclose.submit'));
  submit.type = 'submit';
  const error = el('p', 'disclose-error');
  form.append(submit, error);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    error.textContent = '';
    call<CertificateView>('POST', `/api/certificates/${encodeURIComponent(number)}/disclose`, { name: name.value.trim() || null, idLast4: last4.value.trim() || null })
      .then((full) => {
        shown = shown.map((c) => (c.number === number ? full : c));
        render();
      })
      .catch((e) => {
        error.textContent = e instanceof ProblemError && e.status === 404 ? t('disclose.wrong') : errorText(e);
      });
  });
  return form;
}

function render(): void {
  status.textContent = statusText();
  results.replaceChildren(...shown.map(card));
}

/** The status line goes with the form that was used, so an error shows next to it (docs/pages.md, "Errors"). */
async function lookup(form: HTMLElement, run: () => Promise<CertificateView[]>): Promise<void> {
  form.append(status);
  status.classList.remove('error');
  statusText = () => t('verify.searching');
  shown = [];
  render();
  try {
    shown = await run();
    const count = shown.length;
    statusText = () => t(count === 1 ? 'verify.found.one' : 'verify.found', { count });
  } catch (e) {
    status.classList.add('error');
    statusText = () => e instanceof ProblemError && e.status === 404 ? t('verify.notFound')
      : e instanceof ProblemError && e.status === 429 ? t('verify.limited', { seconds: String(e.problem.retryAfter ?? 60) })
      : errorText(e);
  }
  render();
}

const numberInput = document.getElementById('number') as HTMLInputElement;

/** The certificate number's shape (docs/certification.md): Y/S, 12 digits, 2-digit year, level 5..1, 6-digit serial not 000000. */
const wellFormed = (number: string) => /^[YS]\d{14}[1-5](?!000000)\d{6}$/.test(number);

/** Looks a number up, or says at once that it is not one (no request: a malformed number can match nothing). */
const numberForm = document.getElementById('by-number')!;
function byNumber(number: string, query = ''): void {
  if (!wellFormed(number)) {
    numberForm.append(status);
    shown = [];
    status.classList.add('error');
    statusText = () => t('verify.malformed', { text: number.length > 40 ? `${number.slice(0, 40)}…` : number });
    render();
    return;
  }
  void lookup(numberForm, async () => [await call<CertificateView>('GET', `/api/certificates/${encodeURIComponent(number)}${query}`)]);
}
numberForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const number = numberInput.value.trim().toUpperCase();
  history.replaceState(null, '', `/verify/${encodeURIComponent(number)}`);
  byNumber(number);
});
const holderForm = document.getElementById('by-holder')!;
holderForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = (document.getElementById('holder-name') as HTMLInputElement).value.trim();
  const idNumber = (document.getElementById('holder-id') as HTMLInputElement).value.trim();
  void lookup(holderForm, () => call<CertificateView[]>('POST', '/api/certificates/search', { name, idNumber }));
});

applyStatic(t, render);
const fromPath = decodeURIComponent(location.pathname.replace(/^\/verify\/?/, ''));
// The QR code's link carries the certificate's access token (?t=): the full record opens at once.
const accessToken = new URLSearchParams(location.search).get('t');
if (fromPath) {
  numberInput.value = fromPath;
  byNumber(fromPath.trim().toUpperCase(), accessToken ? `?t=${encodeURIComponent(accessToken)}` : '');
}
