// The embedded member portal's pages (docs/integration.md, "The embedded portal").

/** /embed (where the host's iframe starts) and /embed/portal: framed by the allowed origins, without the site's header. */
export function isEmbedPath(pathname: string): boolean {
  return pathname === '/embed' || pathname.startsWith('/embed/');
}

/** Set by the proxy (src/proxy.ts) on the requests of those pages, for the layout. */
export const EMBED_REQUEST_HEADER = 'x-referrals-embed';
