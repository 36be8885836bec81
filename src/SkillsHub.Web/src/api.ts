// Typed calls to the SkillsHub HTTP API. Errors surface as ProblemError carrying the RFC 7807 body.
export interface CompetitionSummary {
  code: string;
  name: string;
  nameZh: string | null;
  city: string;
  country: string;
  startsOn: string | null;
  endsOn: string | null;
  skillCount: number;
  cityZh?: string | null;
  countryZh?: string | null;
}

export interface SkillInfo {
  number: number;
  name: string;
  nameZh: string | null;
  sector: string | null;
  teamSize: number | null;
  competitorMaxAge: number | null;
}

export interface CompetitionDetails extends Omit<CompetitionSummary, 'skillCount'> {
  skills: SkillInfo[];
}

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
