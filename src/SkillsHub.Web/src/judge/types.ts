import type { Problem } from '../kernel/http';
// JSON shapes of the marking API (camelCase, as the server writes them).
import type { Schemas } from '../api-types';
export type ExpertInfo = Schemas['ExpertInfo'];
export type MarkingGroup = Schemas['MarkingGroup'];
export type PersonName = Schemas['PersonName'];
export type Competitor = Schemas['CompetitorInfo'];
export type LockInfo = Schemas['LockInfo'];
/** What a paired tablet may mark: its expert, groups, aspects, competitors and locks, and the scheme (as JSON text). */
export type Assignment = Schemas['JudgeAssignment'];

export interface Band { within: number; award: number; description?: string }
export interface Deduction { amount: number; description?: string }

export interface Aspect {
  id: string;
  type: 'M' | 'J';
  description: string;
  /** What is measured or judged against ("120.00 mm ±0.05"), when the scheme gives it. */
  requirement?: string;
  /** How it is measured or judged ("Measured by caliper"), when the scheme says. */
  extraDescription?: string;
  markingDay?: string;
  maxMark: number;
  descriptors?: string[];
  bands?: Band[];
  deductions?: Deduction[];
}

export interface SubCriterion { id: string; name: string; aspects: Aspect[] }
export interface Criterion { id: string; name: string; subCriteria: SubCriterion[] }
export interface Scheme { title?: string; criteria: Criterion[] }

export type OwnAspect = Schemas['OwnAspect'];

/** criterionTotals: each criterion's exact total, rounded once for display (never a sum of rounded aspect marks). */
export type OwnSheet = Schemas['OwnSheet'];

/** Exactly one of the four, as the marks endpoint expects it. */
export type MarkValue = { achieved: boolean } | { deviation: number } | { deductions: number[] } | { score: number };

/** The pairing answer (a device token bound to one expert), generated from the API's OpenAPI document. */
export type Redeemed = Schemas['RedeemResponse'];

/** The marks endpoint's answer (outcome "accepted" or "superseded"), generated from the API's OpenAPI document. */
export type MarksAnswer = Schemas['MarksResponse'];

export interface ApiProblem extends Problem {
  aspectId?: string;
  scores?: number[];
  refusals?: { aspectId?: string; kind: string; message: string; scores?: number[] }[];
}

export function parseScheme(json: string | null): Scheme {
  if (!json) return { criteria: [] };
  try {
    const scheme = JSON.parse(json) as Scheme;
    return { ...scheme, criteria: scheme.criteria ?? [] };
  } catch {
    return { criteria: [] };
  }
}
