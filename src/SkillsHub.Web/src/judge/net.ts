// HTTP for the tablet. Three outcomes matter: the server answered (ok or a problem to show), the
// pairing is gone (401: sign out), or the network/server is not there right now (retry later).
import { parseProblem } from '../kernel/http';
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

export async function call<T>(method: string, url: string, token: string | null, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      headers: {
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (e) {
    throw new TransientError(e instanceof Error ? e.message : String(e));
  } finally {
    clearTimeout(timer);
  }
  if (response.ok) {
    return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
  }
  const problem = parseProblem(response.status, await response.text().catch(() => '')) as ApiProblem;
  if (response.status === 401 && token) {
    throw new RevokedError(problem.detail ?? problem.title ?? 'Unauthorized');
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    throw new TransientError(problem.detail ?? problem.title ?? `HTTP ${response.status}`);
  }
  throw new RefusedError(response.status, problem);
}
