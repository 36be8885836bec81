// The one HTTP module of the pages: fetch with JSON, the antiforgery header for cookie sessions, and
// RFC 7807 problem details surfaced as ProblemError. Problems carry a stable `code` the pages
// translate (problems.ts; docs/pages.md, "Languages").

/** An RFC 7807 answer as SkillsHub sends it: `code` always, `errors` per field for invalid input. */
export interface Problem {
  code?: string;
  title?: string;
  detail?: string;
  status?: number;
  field?: string;
  kind?: string;
  errors?: Record<string, string[]>;
  [extension: string]: unknown;
}

export class ProblemError extends Error {
  constructor(readonly status: number, readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${status}`);
  }
}

const pageCookie = () => document.cookie.match(/(?:^|;\s*)(?:__Host-)?skillshub\.xsrf=([^;]*)/);

/** A cookie session sends the antiforgery token on every change (docs/security.md); the server puts it in a readable cookie. */
export function antiforgeryHeader(method: string): Record<string, string> {
  if (/^(GET|HEAD|OPTIONS)$/i.test(method)) return {};
  const match = pageCookie();
  return match ? { 'X-XSRF-TOKEN': decodeURIComponent(match[1]) } : {};
}

/**
 * Whether this browser may be signed in with a cookie session: the readable antiforgery cookie is set at sign-in and
 * cleared at sign-out. Without it a page shows its sign-in form at once, without asking the server who is signed in,
 * whose 401 the browser logs as a console error on every signed-out visit (found by an outside tester on /agency).
 */
export const hasSessionCookie = (): boolean => pageCookie() !== null;

/**
 * The problem of a failed answer. A body that is not problem JSON (a proxy's HTML error page during a restart) is never
 * shown: the problem gets a code from the status, a gateway's 502/503/504 the one for a server not answering (found by an
 * outside tester: nginx's "<html><head><title>502 Bad Gateway" printed as it was, in both languages).
 */
export async function problemOf(response: Response): Promise<ProblemError> {
  return new ProblemError(response.status, parseProblem(response.status, await response.text().catch(() => '')));
}

export function parseProblem(status: number, text: string): Problem {
  let problem: Problem = {};
  try {
    // Only a JSON object is a problem; anything else is said in the page's words below, never printed.
    const parsed: unknown = text ? JSON.parse(text) : {};
    if ((parsed as object | null)?.constructor === Object) problem = parsed as Problem;
  } catch { /* not JSON */ }
  problem.code ??= status > 501 && status < 505 && !problem.title && !problem.detail ? 'server-unreachable' : `http-${status}`;
  return problem;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** A device token (judge tablets, a paired console) instead of the cookie session. */
  bearer?: string | null;
  cache?: RequestCache;
  signal?: AbortSignal;
  /** Called with every answer, refusals included, before its body is read (the judge app takes the server's time). */
  answered?: (response: Response) => void;
}

/** Sends one request; answers the parsed JSON (or text), undefined for an empty answer, or throws ProblemError. */
export async function request<T>(method: string, url: string, options: RequestOptions = {}): Promise<T> {
  return (await exchange<T>(method, url, options)).body;
}

/** Like request, with the answer's status (e.g. 201 created or 200 already there). */
export async function exchange<T>(method: string, url: string, options: RequestOptions = {}): Promise<{ status: number; body: T }> {
  const headers = requestHeaders(method, options);
  let body: BodyInit | undefined;
  if (options.body instanceof Blob || typeof options.body === 'string') {
    body = options.body;
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] ??= 'application/json';
  }
  let response: Response;
  try {
    response = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: options.cache ?? 'no-cache', signal: options.signal ?? timeoutSignal(method) });
  } catch (e) {
    // The browser's own text ("Failed to fetch") is English whatever the page: a network failure is a problem with a code.
    if (options.signal?.aborted) throw e;
    throw networkError();
  }
  options.answered?.(response);
  if (!response.ok) {
    const error = await problemOf(response);
    const retryAfter = response.headers.get('Retry-After');
    if (response.status === 429 || (response.status === 503 && retryAfter)) error.problem.retryAfter = Number(retryAfter ?? '60') || 60;
    throw error;
  }
  if (response.status === 204 || response.headers.get('Content-Length') === '0') return { status: response.status, body: undefined as T };
  const type = response.headers.get('Content-Type') ?? '';
  return { status: response.status, body: (type.includes('json') ? await response.json() : await response.text()) as T };
}

/** A request's headers: JSON accepted (unless given), and the bearer token or, for a cookie session, the antiforgery header. */
export function requestHeaders(method: string, options: Pick<RequestOptions, 'headers' | 'bearer'> = {}): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
  if (options.bearer) headers.Authorization = `Bearer ${options.bearer}`;
  else Object.assign(headers, antiforgeryHeader(method));
  return headers;
}

/**
 * Like request, for a body whose upload the page shows as progress (0..1): XMLHttpRequest is the only
 * browser API that reports bytes sent. Same headers and the same ProblemError on a refusal.
 */
export function requestWithProgress<T>(method: string, url: string, body: string | Blob, onProgress: (fraction: number) => void, options: Pick<RequestOptions, 'headers' | 'bearer'> = {}): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, url);
    for (const [k, v] of Object.entries(requestHeaders(method, options))) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      onProgress(1);
      if (xhr.status < 200 || xhr.status >= 300) reject(new ProblemError(xhr.status, parseProblem(xhr.status, xhr.responseText)));
      else resolve((xhr.responseText && (xhr.getResponseHeader('Content-Type') ?? '').includes('json') ? JSON.parse(xhr.responseText) : undefined) as T);
    };
    xhr.onerror = () => reject(networkError());
    xhr.send(body);
  });
}

/** No answer at all (offline, refused, timed out): status 0 and code `network`, which the pages translate (problems.ts). */
export const networkError = () => new ProblemError(0, { code: 'network' });

/** A read that hangs (a half-open connection on the hall's Wi-Fi) counts as a network failure after this long. */
const readTimeoutMs = 20000;
const timeoutSignal = (method: string) => (/^GET$/i.test(method) && typeof AbortSignal.timeout === 'function' ? AbortSignal.timeout(readTimeoutMs) : undefined);

/**
 * A failure that may pass: no answer, a 408 (the request's body stopped arriving), a proxy's 502/504, or 503 (a database
 * outage, a full node). Anything else is an answer.
 */
export const isTransient = (e: unknown) => e instanceof ProblemError && [0, 408, 502, 503, 504].includes(e.status);

/**
 * Whether SkillsHub itself answered, with an error (a 500, a database outage's 503), rather than no answer at all or a
 * proxy's answer for it (502, 504): a page then says the server cannot answer, not "check the connection" (an outside
 * tester: a 500 told spectators to check their own network).
 */
export const serverAnswered = (e: unknown) => e instanceof ProblemError && ![0, 502, 504].includes(e.status);

/**
 * Reads until an answer comes: a transient failure ({@link isTransient}) is tried again after the server's
 * Retry-After or a growing delay (1 s doubling to 30 s, spread so many phones do not return at once),
 * calling onWait each time so the page can say it is retrying. Any other failure is thrown.
 */
export async function untilAnswered<T>(read: () => Promise<T>, onWait: (e: ProblemError, seconds: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await read();
    } catch (e) {
      if (!isTransient(e)) throw e;
      const error = e as ProblemError;
      const given = typeof error.problem.retryAfter === 'number' ? error.problem.retryAfter : 0;
      const seconds = Math.max(given, Math.min(30, 2 ** attempt) * (0.75 + Math.random() / 2));
      onWait(error, Math.ceil(seconds));
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    }
  }
}

/** Revalidates every time (ETag -> 304): a live page re-reads after a push and must not get a cached copy. */
export const getJson = <T>(url: string) => request<T>('GET', url);
