// Certification API calls shared by /agency and /verify. Errors are ProblemError with the RFC 7807 body.
import { ProblemError, type Problem } from './api';
import { antiforgeryHeader } from './antiforgery';

export interface CertificateView {
  number: string; title: string; holderName: string; idType: string; idNumberMasked: string;
  occupation: string; occupationZh: string; occupationEn: string; workType: string;
  level: number; levelZh: string; levelEn: string; agencyKey: string; agencyName: string; issuedOn: string;
  /** valid, revoked (final), suspended (reversible) or expired (past validUntil). */
  status: string; statusReason?: string | null; validUntil?: string | null;
  /** False when looked up by number alone: the holder's name is masked (docs/security.md). */
  disclosed?: boolean;
  /** The certificate's access token (from its QR code or a proven lookup): opens the PDF and the credential. */
  accessToken?: string | null;
}

export async function call<T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const init: RequestInit = { method, headers: { Accept: 'application/json', ...antiforgeryHeader(method), ...headers }, credentials: 'same-origin' };
  if (body instanceof Blob || typeof body === 'string') {
    init.body = body;
  } else if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, init);
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    if (response.status === 429) problem.detail ??= `Retry after ${response.headers.get('Retry-After') ?? '?'} s`;
    throw new ProblemError(response.status, problem);
  }
  return response.status === 204 || response.status === 201 && response.headers.get('Content-Length') === '0'
    ? (undefined as T)
    : ((await response.json()) as T);
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

export function problemText(e: unknown): string {
  if (e instanceof ProblemError) {
    const fields = e.problem.errors ? Object.values(e.problem.errors).flat().join(' ') : '';
    return [e.problem.title, e.problem.detail ?? fields].filter(Boolean).join(': ');
  }
  return e instanceof Error ? e.message : String(e);
}
