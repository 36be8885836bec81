// Certification API calls shared by /agency and /verify. Errors are ProblemError with the RFC 7807 body.
import { request } from './kernel/http';

export interface CertificateView {
  number: string; title: string; holderName: string; idType: string; idNumberMasked: string;
  occupation: string; occupationZh: string; occupationEn: string; workType: string;
  level: number; levelZh: string; levelEn: string; agencyKey: string; agencyName: string; issuedOn: string;
  /** valid, revoked (final), suspended (reversible) or expired (past validUntil). */
  status: string; statusReason?: string | null; validUntil?: string | null;
  /** The certificate's access token (from its QR code or a proven lookup): opens the PDF and the credential. */
  accessToken?: string | null;
}

/** A certification call (cookie session with antiforgery, or anonymous); errors are ProblemError. */
export const call = <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  request<T>(method, url, { body, headers });
