// The agency page's shapes and shared state: what was last loaded, which session and promotion are open.
// JSON shapes generated from the API's OpenAPI document (src/api-types.ts).
import type { Schemas } from '../api-types';
import { ProblemError } from '../kernel/http';
import { namedFields } from '../kernel/problems';

export type ScopeEntry = Schemas['ScopeEntry'];
export type Agency = Schemas['AgencyView'];
export type Session = Schemas['ExamSessionView'];
export type Promotion = Schemas['PromotionView'];
export type PromotionList = Schemas['PromotionList'];
export type Decision = Schemas['DecisionView'];

export const state = {
  agency: null as Agency | null,
  sessions: [] as Session[],
  selected: null as number | null,
  decisions: [] as Decision[],
  /** Whether the open session's last page of decisions has been read. */
  decisionsDone: true,
  promotions: { members: [], items: [] } as PromotionList,
  issuing: null as number | null,
};

const status = () => document.getElementById('status')!;

/** The page's status line; `render` keeps it in the page's language when the language changes. */
let statusText: () => string = () => '';
export function setStatus(text: string | (() => string), error = false): void {
  statusText = typeof text === 'string' ? () => text : text;
  status().textContent = statusText();
  status().classList.toggle('error', error);
}
export const refreshStatus = () => (status().textContent = statusText());

export const byId = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;

/** A certificate's public page, opened with its access token as the QR code opens it (a number alone shows nothing). */
export const verifyHref = (number: string, token?: string | null) =>
  `/verify/${encodeURIComponent(number)}${token ? `?t=${encodeURIComponent(token)}` : ''}`;

/**
 * Marks the inputs a refusal names (its `errors` keys or its `field`; `inputs` maps the API's field names to input ids):
 * `aria-invalid="true"` on those, none on the others, and the first of them takes the focus, so a keyboard or screen
 * reader user lands on what to correct (found by an outside tester: the focus stayed on the submit button, and the
 * attribute was written empty, which assistive technology reads as "not invalid").
 */
export function markRefused(e: unknown, inputs: Record<string, string>, said: string): void {
  const named = new Set(e instanceof ProblemError ? namedFields(e.problem) : []);
  const refused = Object.entries(inputs).filter(([field]) => named.has(field)).map(([, id]) => id);
  for (const id of Object.values(inputs)) {
    if (refused.includes(id)) {
      byId(id).setAttribute('aria-invalid', 'true');
      // Described by the line that says why (`said`), as the console's fields are, so a screen reader on the field says
      // more than "invalid entry" (found by an outside tester).
      byId(id).setAttribute('aria-describedby', said);
    } else clearRefused(byId(id));
  }
  if (refused.length > 0) byId(refused[0]).focus();
}

/** An input no longer refused: typed in, or accepted. */
export function clearRefused(input: HTMLElement): void {
  input.removeAttribute('aria-invalid');
  input.removeAttribute('aria-describedby');
}
