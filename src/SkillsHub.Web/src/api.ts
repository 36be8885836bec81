// Shapes of the public competition API; requests go through kernel/http.
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

export { getJson, ProblemError, type Problem } from './kernel/http';
