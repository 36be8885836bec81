import type { Problem } from '../kernel/http';
// JSON shapes of the marking API (camelCase, as the server writes them).
import type { Schemas } from '../api-types';
export interface ExpertInfo { id: string; memberCode: string; name: string; role: string | number }
export interface MarkingGroup { id: string; name: string; targets: string[]; expertIds: string[] }
export interface PersonName { firstName: string; lastName: string }
export interface Competitor { id: string; memberCode: string; name: string; people: PersonName[] }
export interface LockInfo { target: string; lockedBy: string; lockedAt: string }

export interface Assignment {
  expert: ExpertInfo;
  competitionCode: string;
  skillNumber: number;
  groups: MarkingGroup[];
  aspectIds: string[];
  competitors: Competitor[];
  locks: LockInfo[];
  schemeJson: string | null;
  judges: number;
}

export interface Band { within: number; award: number; description?: string }
export interface Deduction { amount: number; description?: string }

export interface Aspect {
  id: string;
  type: 'M' | 'J';
  description: string;
  markingDay?: string;
  maxMark: number;
  descriptors?: string[];
  bands?: Band[];
  deductions?: Deduction[];
}

export interface SubCriterion { id: string; name: string; aspects: Aspect[] }
export interface Criterion { id: string; name: string; subCriteria: SubCriterion[] }
export interface Scheme { title?: string; criteria: Criterion[] }

export interface OwnAspect {
  aspectId: string;
  complete: boolean;
  spreadViolation: boolean;
  scoresReceived: number;
  ownScore: number | null;
  measurement: string | null;
  mark: number | null;
}

/** criterionTotals: each criterion's exact total, rounded once for display (never a sum of rounded aspect marks). */
export interface OwnSheet { competitorId: string; aspects: OwnAspect[]; version: number; criterionTotals: Record<string, number> }

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
