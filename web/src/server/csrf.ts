/**
 * The CSRF rule of docs/security.md ("5. Cross-site request forgery"), in one place for the API wrapper
 * (server/route.ts), the proxy (cross-origin posts to pages, i.e. server
 * actions) and the operator's actions: a request whose `Origin` is present and
 * not the app's is cross-origin; without an `Origin`, a browser's
 * `Sec-Fetch-Site: cross-site` gives it away. Requests with neither (curl,
 * server to server) are not. No database import: the proxy uses it too.
 */
export function isCrossOrigin(headers: Headers, appOrigin: string): boolean {
  const origin = headers.get('origin');
  if (origin !== null) return origin !== appOrigin;
  return headers.get('sec-fetch-site') === 'cross-site';
}
