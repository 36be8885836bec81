// HTTP for the tablet. Three outcomes matter: the server answered (ok or a problem to show), the
// pairing is gone (401: sign out), or the network/server is not there right now (retry later).
import { ProblemError, request } from '../kernel/http';
import { problemMessage } from '../kernel/problems';
import type { ApiProblem } from './types';
import { observeServerDate } from './clock';

/** The tablet's pairing was revoked or expired. */
export class RevokedError extends Error {
  constructor() {
    super('Unauthorized');
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
    return await request<T>(method, url, { body, headers, bearer: token, cache: 'no-store', signal: controller.signal,
      answered: response => observeServerDate(response.headers.get('Date')) });
  } catch (e) {
    // No answer within the time (aborted) is a network failure too. Every text here is the page's language: the kernel's
    // network problem has a code the problem texts translate, as the server's problems do (found by an outside tester:
    // an offline tablet's outbox said "HTTP 0", a Chinese one the server's English).
    if (!(e instanceof ProblemError)) throw new TransientError(problemMessage({ code: 'network' }, 0));
    const problem = e.problem as ApiProblem;
    const text = problemMessage(problem, e.status);
    // The server's words for a refused token are for programs ("bearer token", "public answer"): the judge reads the
    // app's own, which say what happened and what to do (found by an outside tester).
    if (e.status === 401 && token) throw new RevokedError();
    // Status 0: no answer at all (offline, refused connection; the kernel's network problem).
    if (e.status === 0 || e.status >= 500 || e.status === 408 || e.status === 429) throw new TransientError(text);
    throw new RefusedError(e.status, problem);
  } finally {
    clearTimeout(timer);
  }
}
