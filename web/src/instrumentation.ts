// Runs once when the Next.js server starts. The app runs only behind its own
// server (web/server.ts), which checks the environment and decides the
// client's address; `next start` or `next dev` alone stop here.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { requireOwnServer } = await import('./server/own-server');
  requireOwnServer();
}
