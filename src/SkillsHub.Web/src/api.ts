// Shapes of the public competition API, generated from its OpenAPI document (src/api-types.ts); requests go through kernel/http.
import type { Schemas } from './api-types';

export type CompetitionSummary = Schemas['CompetitionSummary'];
export type SkillInfo = Schemas['SkillInfo'];
export type CompetitionDetails = Schemas['CompetitionDetails'];

export { getJson, ProblemError, type Problem } from './kernel/http';
