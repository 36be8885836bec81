// The console talks only to the existing HTTP API. Accounts use the session cookie; a Chief Expert's
// paired console sends its device token (kept in localStorage) as a bearer token.
import type { Schemas } from '../api-types';
import { networkError, problemOf, request, requestHeaders, requestWithProgress } from '../kernel/http';

import { ProblemError } from '../kernel/http';
export { ProblemError, type Problem } from '../kernel/http';

const tokenKey = 'skillshub.console.token';

export function token(): string | null {
  return localStorage.getItem(tokenKey);
}

export function setToken(value: string | null): void {
  if (value) localStorage.setItem(tokenKey, value);
  else localStorage.removeItem(tokenKey);
}

export const api = <T>(method: string, url: string, body?: unknown) => request<T>(method, url, { body, bearer: token() });

export const get = <T>(url: string) => api<T>('GET', url);

/**
 * PUTs a file as its bytes, reporting upload progress (kernel/http.ts): never decoded and encoded again here, so a file
 * that is not UTF-8 reaches the server as it is and is refused naming its line (found by an outside tester: the page's
 * lenient decoding turned a Latin-1 "René" into "Ren\uFFFD", which was stored).
 */
export const upload = <T>(url: string, file: Blob, contentType: string, onProgress: (fraction: number) => void) =>
  requestWithProgress<T>('PUT', url, file, onProgress, { headers: { 'Content-Type': `${contentType}; charset=utf-8` }, bearer: token() });

/** Fetches a protected file (cookie or bearer) and hands it to the browser as a download. */
export async function download(url: string, filename: string): Promise<void> {
  const response = await fetch(url, { headers: requestHeaders('GET', { headers: { Accept: '*/*' }, bearer: token() }), credentials: 'same-origin' }).catch(() => { throw networkError(); });
  if (!response.ok) throw await problemOf(response);
  saveBlob(await response.blob(), filename);
}

export function saveBlob(blob: Blob, filename: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10000);
}

// JSON shapes of the API, generated from its OpenAPI document (src/api-types.ts): a changed C# record that breaks
// the console fails `tsc`.
export type Me = Schemas['Me'];
export type CompetitionSummary = Schemas['CompetitionSummary'];
export type SkillInfo = Schemas['SkillInfo'];
export type CompetitionDetails = Schemas['CompetitionDetails'];
export type PersonName = Schemas['PersonName'];
export type Competitor = Schemas['CompetitorInfo'];
export type Expert = Schemas['ExpertInfo'];
export type LockInfo = Schemas['LockInfo'];
export type Visibility = Schemas['Visibility'];
export type EventSummary = Schemas['EventSummary'];
export type SkillDetails = Schemas['SetupApiSkill'];
export type PairingCode = Schemas['PairingCodeView'];
export type CodeState = Schemas['CodeState'];
export type Device = Schemas['DeviceView'];
export type Redeemed = Schemas['RedeemResponse'];
export type JudgeScore = Schemas['JudgeScore'];
export type AspectSheet = Schemas['AspectSheet'];
export type ContestantSheet = Schemas['ContestantSheet'];
export type AuditRow = Schemas['AuditRow'];
export type MemberStanding = Schemas['MemberStanding'];
export type MemberReport = Schemas['MemberReport'];
export type Account = Schemas['AccountView'];
export type SessionInfo = Schemas['SessionView'];
export type ActiveDevice = Schemas['ActiveDevice'];
export type SecurityEvent = Schemas['Entry'];
export type OneTimePassword = Schemas['OneTimePassword'];
export type ImportResponse = Schemas['ImportResponse'];

// A marking scheme as the scheme file has it (the document the console uploads and reads back).
export interface SchemeAspect {
  id: string; type: string; description: string; markingDay?: string; maxMark: number;
  bands?: { within: number; award: number; description?: string }[] | null;
}
export interface Scheme { title?: string; criteria: { id: string; name: string; subCriteria: { id: string; name: string; aspects: SchemeAspect[] }[] }[] }

export const skillPath = (code: string, number: number) => `/api/competitions/${encodeURIComponent(code)}/skills/${number}`;

/**
 * A skill with its event (roster counts, locks, visibility), which the server gives only to the skill's jury: anyone
 * else is answered 403, as the skill's other jury-only parts answer them.
 */
export async function jurySkill(path: string): Promise<SkillDetails & { event: EventSummary }> {
  const skill = await get<SkillDetails>(path);
  if (!skill.event) throw new ProblemError(403, { status: 403, code: 'forbidden' });
  return { ...skill, event: skill.event };
}
