// The console talks only to the existing HTTP API. Accounts use the session cookie; a Chief Expert's
// paired console sends its device token (kept in localStorage) as a bearer token.
import { networkError, problemOf, request, requestHeaders, requestWithProgress } from '../kernel/http';

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

/** PUTs a file's text, reporting upload progress (kernel/http.ts). */
export const upload = <T>(url: string, text: string, contentType: string, onProgress: (fraction: number) => void) =>
  requestWithProgress<T>('PUT', url, text, onProgress, { headers: { 'Content-Type': `${contentType}; charset=utf-8` }, bearer: token() });

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

// JSON shapes (camelCase, enums as strings).
export interface Me {
  name: string;
  displayName: string;
  roles: string[];
  agency: string | null;
  competitionCode: string | null;
  skillNumber: number | null;
  expertId: string | null;
}
export interface CompetitionSummary { code: string; name: string; nameZh: string | null; city: string; country: string; startsOn: string | null; endsOn: string | null; skillCount: number }
export interface SkillInfo { number: number; name: string; nameZh: string | null; sector: string | null; teamSize: number | null; competitorMaxAge: number | null }
export interface CompetitionDetails { code: string; name: string; nameZh: string | null; skills: SkillInfo[] }
export interface PersonName { firstName: string; lastName: string }
export interface Competitor { id: string; memberCode: string; name: string; people: PersonName[] }
export interface Expert { id: string; memberCode: string; name: string; role: string }
export interface LockInfo { target: string; lockedBy: string; lockedAt: string }
export interface Visibility { mode: 'Live' | 'Frozen' | 'Hidden'; frozenAt: string | null; published: boolean; publishedAt: string | null }
export interface EventSummary { key: string; hasScheme: boolean; competitors: number; experts: number; groups: number; judges: number; allowCompatriots: boolean; visibility: Visibility; locks: LockInfo[] }
export interface SkillDetails extends SkillInfo { competitionCode: string; event: EventSummary }
export interface PairingCode { code: string; expertId: string; expiresAt: string; pairUrl: string }
export interface Device { id: string; expertId: string; deviceName: string; pairedAt: string; revokedAt: string | null; revokeReason: string | null }
export interface Redeemed { token: string; deviceId: string; competitionCode: string; skillNumber: number; expertId: string; expertName: string; role: string }
export interface JudgeScore { expertId: string; score: number }
export interface AspectSheet { aspectId: string; mark: number | null; scores: JudgeScore[]; measurement: string | null; lastExpertId: string | null; complete: boolean; spreadViolation: boolean }
export interface ContestantSheet { competitorId: string; rawTotal: number; criterionTotals: Record<string, number>; aspects: AspectSheet[]; version: number }
export interface AuditRow { id: number; at: string; competitorId: string | null; aspectId: string | null; actor: string; device: string | null; action: string; outcome: string; oldValue: string | null; newValue: string | null; reason: string | null }
export interface SchemeAspect { id: string; type: string; description: string; markingDay?: string; maxMark: number }
export interface Scheme { title?: string; criteria: { id: string; name: string; subCriteria: { id: string; name: string; aspects: SchemeAspect[] }[] }[] }
export interface MemberStanding { memberCode: string; name: string; nameZh?: string | null; skillsEntered: number; gold: number; silver: number; bronze: number; medallions: number; medalPoints: number; averageMedalPoints: number; totalScaled: number; averageScaled: number }
export interface MemberReport { kind: string; title: string; rows: { rank: number | null; standing: MemberStanding }[] }
export interface Account { id: string; userName: string; displayName: string; roles: string[]; agencyCode: string | null; disabled: boolean; mustChangePassword: boolean; activeSessions: number; lastSeenAt: string | null }
export interface SessionInfo { id: string; accountId: string; userName: string; createdAt: string; lastSeenAt: string; expiresAt: string; client: string | null; address: string | null }
export interface ActiveDevice { id: string; competitionCode: string; skillNumber: number; expertId: string; deviceName: string; pairedAt: string }
export interface SecurityEvent { id: number; at: string; actor: string; action: string; target: string; detail: string | null }
export interface OneTimePassword { userName: string; password: string }
export interface ImportResponse { changed: boolean; count: number }

export const skillPath = (code: string, number: number) => `/api/competitions/${encodeURIComponent(code)}/skills/${number}`;
