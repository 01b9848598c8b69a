/**
 * Stops a Next.js server that was not started by web/server.ts (`next start`
 * or `next dev` alone): without it, every client would choose the address the
 * rate limits and fraud signals see. web/server.ts sets the variable.
 */
export function requireOwnServer(): void {
  if (process.env.REFERRALS_WEB_SERVER === '1') return;
  console.error('[web] start the web app with its own server: `pnpm start` (node dist/server.js) or `pnpm dev`, not `next start` or `next dev`');
  process.exit(1);
}
