// Runs once when the Next.js server starts. The app runs only behind its own
// server (web/server.ts), which checks the environment and decides the
// client's address: `next start` or `next dev` alone would let every client
// choose the address the rate limits and fraud signals see, so they stop here.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  if (process.env.REFERRALS_WEB_SERVER !== '1') {
    console.error('[web] start the web app with its own server: `pnpm start` (node dist/server.js) or `pnpm dev`, not `next start` or `next dev`');
    process.exit(1);
  }
}
