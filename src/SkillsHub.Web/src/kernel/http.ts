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

/** A cookie session sends the antiforgery token on every change (docs/security.md); the server puts it in a readable cookie. */
export function antiforgeryHeader(method: string): Record<string, string> {
  if (/^(GET|HEAD|OPTIONS)$/i.test(method)) return {};
  const match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?skillshub\.xsrf=([^;]*)/);
  return match ? { 'X-XSRF-TOKEN': decodeURIComponent(match[1]) } : {};
}

/** The problem of a failed answer (a body that is not JSON becomes the detail; a missing one gets a code from the status). */
export async function problemOf(response: Response): Promise<ProblemError> {
  return new ProblemError(response.status, parseProblem(response.status, await response.text().catch(() => '')));
}

export function parseProblem(status: number, text: string): Problem {
  let problem: Problem = {};
  try {
    problem = text ? (JSON.parse(text) as Problem) : {};
  } catch {
    problem = { detail: text.slice(0, 200) };
  }
  problem.code ??= `http-${status}`;
  return problem;
}

export interface RequestOptions {
  body?: unknown;
  headers?: Record<string, string>;
  /** A device token (judge tablets, a paired console) instead of the cookie session. */
  bearer?: string | null;
  cache?: RequestCache;
  signal?: AbortSignal;
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
  const response = await fetch(url, { method, headers, body, credentials: 'same-origin', cache: options.cache ?? 'no-cache', signal: options.signal });
  if (!response.ok) {
    const error = await problemOf(response);
    if (response.status === 429) error.problem.retryAfter = Number(response.headers.get('Retry-After') ?? '60');
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
    xhr.onerror = () => reject(new ProblemError(0, { code: 'network', title: 'Network error', detail: 'The server could not be reached.' }));
    xhr.send(body);
  });
}

/** Revalidates every time (ETag -> 304): a live page re-reads after a push and must not get a cached copy. */
export const getJson = <T>(url: string) => request<T>('GET', url);
