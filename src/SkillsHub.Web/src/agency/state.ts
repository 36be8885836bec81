// The agency page's shapes and shared state: what was last loaded, which session and promotion are open.
// JSON shapes generated from the API's OpenAPI document (src/api-types.ts).
import type { Schemas } from '../api-types';

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
