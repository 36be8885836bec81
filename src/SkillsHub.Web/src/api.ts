// Typed calls to the SkillsHub HTTP API. Errors surface as ProblemError carrying the RFC 7807 body.
import type { Schemas } from './api-types';

// Generated from the API's OpenAPI document (src/api-types.ts).
export type CompetitionSummary = Schemas['CompetitionSummary'];
export type SkillInfo = Schemas['SkillInfo'];
export type CompetitionDetails = Schemas['CompetitionDetails'];

export interface Problem {
  title?: string;
  detail?: string;
  status?: number;
  errors?: Record<string, string[]>;
}

export class ProblemError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

export async function getJson<T>(url: string): Promise<T> {
  // Revalidate every time (ETag -> 304): a live page re-reads after a push and must not get a cached copy.
  const response = await fetch(url, { headers: { Accept: 'application/json' }, cache: 'no-cache' });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as Problem;
    throw new ProblemError(response.status, problem);
  }
  return (await response.json()) as T;
}
