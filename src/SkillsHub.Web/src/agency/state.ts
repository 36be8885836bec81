// The agency page's shapes and shared state: what was last loaded, which session and promotion are open.
export interface ScopeEntry { occupation: string; nameZh: string; nameEn: string; levels: number[] }
export interface Agency { key: string; type: string; name: string; status: string; scope: ScopeEntry[] }
export interface Session {
  id: number; occupation: string; occupationZh: string; occupationEn: string; workType: string | null; level: number; examOn: string; reviewOn: string | null;
  candidates: number; withResults: number; decided: number; passed: number; failed: number; ineligible: number; certificates: number;
}
export interface Promotion {
  id: number; competition: string; competitionName: string | null; skill: number; skillName: string | null; skillNameZh: string | null;
  competitorId: string; name: string; memberCode: string; occupation: string; occupationZh: string; occupationEn: string;
  level: number; reason: string; decidedAt: string;
  certificateNumber: string | null; certificateLevel: number | null; holderName: string | null; idNumberMasked: string | null; issuedOn: string | null; certificateStatus: string | null;
  withdrawnAt: string | null; withdrawnReason: string | null;
  /** The certificate's access token: its link opens the full record, as its QR code does. */
  accessToken?: string | null;
}
export interface PromotionList { members: string[]; items: Promotion[] }
export interface Decision { evaluationId: number; name: string; idNumberMasked: string; theory: number | null; practical: number | null; review: number | null; outcome: string | null; reasons: string[]; certificateNumber: string | null; certificateStatus: string | null;
  /** The certificate's access token: its link opens the full record, as its QR code does. */
  accessToken?: string | null }

export const state = {
  agency: null as Agency | null,
  sessions: [] as Session[],
  selected: null as number | null,
  decisions: [] as Decision[],
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
