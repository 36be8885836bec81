// Certification API calls shared by /agency and /verify. Errors are ProblemError with the RFC 7807 body.
import type { Schemas } from './api-types';
import { request } from './kernel/http';

/** A certificate as the registry shows it, generated from the API's OpenAPI document (src/api-types.ts). */
export type CertificateView = Schemas['CertificateView'];

/** A certification call (cookie session with antiforgery, or anonymous); errors are ProblemError. */
export const call = <T>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  request<T>(method, url, { body, headers });
