// HTTP for the tablet. Three outcomes matter: the server answered (ok or a problem to show), the
// pairing is gone (401: sign out), or the network/server is not there right now (retry later).
import { ProblemError, request } from '../kernel/http';
import type { ApiProblem } from './types';

/** The tablet's pairing was revoked or expired. */
export class RevokedError extends Error {
  constructor(readonly detail: string) {
    super(detail);
  }
}

/** No answer, or one that says "try again" (5xx, 408, 429): the request may be repeated later. */
export class TransientError extends Error {}

/** A definite refusal with a problem body (4xx other than 401/408/429). */
export class RefusedError extends Error {
  constructor(readonly status: number, readonly problem: ApiProblem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

const timeoutMs = 15000;

/** One request through the kernel (kernel/http.ts), classified for the outbox; gives up after 15 s. */
export async function call<T>(method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await request<T>(method, url, { body, headers, bearer: token, cache: 'no-store', signal: controller.signal });
  } catch (e) {
    if (!(e instanceof ProblemError)) throw new TransientError(e instanceof Error ? e.message : String(e));
    const problem = e.problem as ApiProblem;
    const text = problem.detail ?? problem.title ?? `HTTP ${e.status}`;
    if (e.status === 401 && token) throw new RevokedError(problem.detail ?? problem.title ?? 'Unauthorized');
    // Status 0: no answer at all (offline, refused connection; the kernel's network problem).
    if (e.status === 0 || e.status >= 500 || e.status === 408 || e.status === 429) throw new TransientError(text);
    throw new RefusedError(e.status, problem);
  } finally {
    clearTimeout(timer);
  }
}
