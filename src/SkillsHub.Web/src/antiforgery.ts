// A cookie session must send the antiforgery token on every change (docs/security.md). The server
// puts it in a readable cookie at sign-in (and on /api/auth/me); the session cookie itself stays HttpOnly.
export function antiforgeryHeader(method: string): Record<string, string> {
  if (/^(GET|HEAD|OPTIONS)$/i.test(method)) return {};
  const match = document.cookie.match(/(?:^|;\s*)(?:__Host-)?skillshub\.xsrf=([^;]*)/);
  return match ? { 'X-XSRF-TOKEN': decodeURIComponent(match[1]) } : {};
}
