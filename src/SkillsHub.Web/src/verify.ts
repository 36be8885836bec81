import './style.css';
import './cert-style.css';
import { applyStatic, currentLang } from './i18n';
import { t, type Key } from './verify-strings';
import { call, type CertificateView } from './cert-api';
import { el, withLanguageRuns } from './kernel/dom';
import { ProblemError } from './kernel/http';
import { errorText, waitText } from './kernel/problems';
import { dateText } from './kernel/dates';

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
  // Chinese on an English page is marked as Chinese (WCAG 3.1.2; found by an outside tester): the title, names, occupation, level.
  const title = el('h2', 'cert-title');
  title.append(...withLanguageRuns(c.title));
  // A certificate that no longer proves its level says so first, above its title, in words (found by an outside tester:
  // a revoked one looked like any other, "Revoked" a small chip near the bottom of a phone's screen). The title, which
  // takes the focus, is described by it.
  const warning = t.maybe(`banner.${c.status}`);
  if (warning) {
    const banner = el('p', `status-banner ${c.status}`, warning);
    banner.id = `status-${c.number}`;
    title.setAttribute('aria-describedby', banner.id);
    article.append(banner);
  }
  article.append(title);
  if (!zh) article.append(el('p', 'cert-subtitle', t('cert.subtitle')));
  const dl = el('dl');
  const add = (key: Key, value: string | HTMLElement) => {
    dl.append(el('dt', undefined, t(key)));
    const dd = el('dd');
    dd.append(...(typeof value === 'string' ? withLanguageRuns(value) : [value]));
    dd.dataset.field = key;
    dl.append(dd);
  };
  add('cert.holder', c.holderName);
  add('cert.id', c.idNumberMasked);
  // The occupation's code stays on one line ("6-18-01-02" broke at a hyphen on a phone; found by an outside tester).
  const occupation = el('span');
  occupation.append(...withLanguageRuns(zh ? `${c.occupationZh}（` : `${c.occupationEn} · ${c.occupationZh} (`), el('span', 'nowrap', c.occupation), zh ? '）' : ')');
  add('cert.occupation', occupation);
  // An empty value (the registry writes "--", as printed on the certificate) is said in words (docs/pages.md, "Languages").
  add('cert.workType', stated(c.workType) ?? el('span', 'not-stated', t('cert.notStated')));
  add('cert.level', zh ? c.levelZh : `${c.levelEn} · ${c.levelZh}`);
  add('cert.number', el('span', 'mono', c.number));
  add('cert.agency', c.agencyName);
  add('cert.issued', dateText(c.issuedOn));
  // A revoked certificate is valid until nothing: "No expiry" beside "Revoked" read as a contradiction.
  if (c.status !== 'revoked') add('cert.validUntil', c.validUntil ? dateText(c.validUntil) : t('cert.noExpiry'));
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
  // A file to save, as the PDF and the credential are, not a page of JSON (found by an outside tester).
  link(`/api/issuers/${encodeURIComponent(c.agencyKey)}`, 'cert.issuer', `${c.agencyKey}.issuer.json`);
  add('cert.downloads', links);
  article.classList.add(`status-${c.status}`);
  article.append(dl);
  return article;
}

function render(): void {
  status.textContent = statusText();
  results.replaceChildren(...shown.map(card));
  // Found certificates come first, above the forms, in the page's order as on screen: drawn there by CSS alone, a keyboard
  // or screen reader met them after every field of both forms (found by an outside tester). Without any, the results
  // go back below the forms. Under the page's heading, not above it (found by an outside tester: a certificate's h2 came
  // before the page's h1).
  const main = results.parentElement!;
  const hero = main.querySelector('.hero')!;
  if (shown.length > 0 && hero.nextElementSibling !== results) hero.after(results);
  else if (shown.length === 0 && main.lastElementChild !== results) main.append(results);
}

/**
 * A refused search says what to enter, in the page's language: the server names the field (docs/pages.md, "Errors"), and
 * the generic Chinese text said only 请求内容有误（证件号码） (found by an outside tester).
 */
function holderFault(e: ProblemError): string | undefined {
  const fields = Object.keys(e.problem.errors ?? {});
  if (typeof e.problem.field === 'string') fields.push(e.problem.field);
  return fields.includes('idNumber') ? t('verify.idNumberFault') : fields.includes('name') ? t('verify.nameFault') : undefined;
}

/** Set by a lookup that found certificates: the first one's title takes the focus once it is shown. */
let focusFirst = false;

/** The status line goes with the form that was used, so an error shows next to it (docs/pages.md, "Errors"). */
async function lookup(form: HTMLElement, run: () => Promise<CertificateView[]>, notFound: Key = 'verify.notFound'): Promise<void> {
  form.append(status);
  status.classList.remove('error');
  statusText = () => t('verify.searching');
  shown = [];
  render();
  try {
    shown = await run();
    const count = shown.length;
    statusText = () => t('verify.found', { count });
    focusFirst = count > 0;
  } catch (e) {
    status.classList.add('error');
    statusText = () => e instanceof ProblemError && e.status === 404 ? t(notFound)
      : e instanceof ProblemError && e.status === 429 ? t('verify.limited', { wait: waitText(Number(e.problem.retryAfter ?? 60)) })
      : e instanceof ProblemError && e.status === 400 && form.id === 'by-holder' ? holderFault(e) ?? errorText(e)
      : errorText(e);
  }
  render();
  if (focusFirst) {
    // The first certificate's title takes the focus, so the keyboard and a screen reader go on from what was found.
    focusFirst = false;
    const title = results.querySelector<HTMLElement>('.cert-title');
    title?.setAttribute('tabindex', '-1');
    title?.focus();
  }
}

const numberInput = document.getElementById('number') as HTMLInputElement;
const proofName = document.getElementById('proof-name') as HTMLInputElement;
const proofLast4 = document.getElementById('proof-last4') as HTMLInputElement;

/** The certificate number's shape (docs/certification.md): Y/S, 12 digits, 2-digit year, level 5..1, 6-digit serial not 000000. */
const wellFormed = (number: string) => /^[YS]\d{14}[1-5](?!000000)\d{6}$/.test(number);

/** A message beside the number's form, with nothing shown (no request: the server would answer nothing either). */
const numberForm = document.getElementById('by-number')!;
function sayAtNumber(text: () => string, error: boolean): void {
  numberForm.append(status);
  shown = [];
  status.classList.toggle('error', error);
  statusText = text;
  render();
}

/**
 * A number as typed or pasted, read as the server reads one: full-width characters as plain ones, without spaces, upper
 * case (found by an outside tester: a number copied in groups of four was "not a certificate number").
 */
const plainNumber = (text: string) => text.normalize('NFKC').replace(/\s+/g, '').toUpperCase();

/** Says at once that a text is not a certificate number; false when it is one. */
function malformed(number: string): boolean {
  // The field is marked and described by the message while it holds no number (WCAG 3.3.1; found by an outside tester).
  if (wellFormed(number)) {
    numberInput.removeAttribute('aria-invalid');
    numberInput.removeAttribute('aria-describedby');
    return false;
  }
  numberInput.setAttribute('aria-invalid', 'true');
  numberInput.setAttribute('aria-describedby', 'status');
  sayAtNumber(() => t('verify.malformed', { text: number.length > 40 ? `${number.slice(0, 40)}…` : number }), true);
  return true;
}

/**
 * A number alone shows nothing (docs/security.md, "What is public"): it goes with the holder's name or the ID's last 4
 * characters, or with the access token of the certificate's QR code.
 */
numberForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const number = plainNumber(numberInput.value);
  const name = proofName.value.trim();
  const idLast4 = proofLast4.value.trim();
  // The QR code's number again, with no other proof: its access token is asked again (found by an outside tester: after
  // a first lookup lost to the network, the page asked for the holder's name instead).
  if (!name && !idLast4 && accessToken && number === fromPath) {
    void lookupByToken();
    return;
  }
  history.replaceState(null, '', `/verify/${encodeURIComponent(number)}`);
  if (malformed(number)) return;
  if (!name && !idLast4) {
    sayAtNumber(() => t('verify.proofMissing'), true);
    proofName.focus();
    return;
  }
  void lookup(numberForm, async () => [await call<CertificateView>('POST', `/api/certificates/${encodeURIComponent(number)}/disclose`, { name: name || null, idLast4: idLast4 || null })]);
});
const holderForm = document.getElementById('by-holder')!;
holderForm.addEventListener('submit', (event) => {
  event.preventDefault();
  const name = (document.getElementById('holder-name') as HTMLInputElement).value.trim();
  const idNumber = (document.getElementById('holder-id') as HTMLInputElement).value.trim();
  void lookup(holderForm, () => call<CertificateView[]>('POST', '/api/certificates/search', { name, idNumber }));
});

applyStatic(t, render);
const fromPath = plainNumber(decodeURIComponent(location.pathname.replace(/^\/verify\/?/, '')));
// The QR code's link carries the certificate's access token (?t=): the full record opens at once. Without it the
// number waits for the holder's name or ID ending.
const accessToken = new URLSearchParams(location.search).get('t');
/** The QR code's lookup: the number with its access token. */
function lookupByToken(): Promise<void> {
  // A code the registry does not take (a link cut short, mistyped) is said as such, and the other proof asked for
  // (found by an outside tester: it read as a forgery verdict).
  return lookup(numberForm, async () => [await call<CertificateView>('GET', `/api/certificates/${encodeURIComponent(fromPath)}?t=${encodeURIComponent(accessToken!)}`)],
    'verify.badLink').then(() => { if (shown.length === 0) proofName.focus(); });
}
if (fromPath) {
  numberInput.value = fromPath;
  if (!malformed(fromPath)) {
    if (accessToken) {
      void lookupByToken();
    } else {
      sayAtNumber(() => t('verify.proofPrompt'), false);
      proofName.focus();
    }
  }
}
