// Runs once when the server starts: a bad environment stops it here, with a
// clear message and a non-zero exit, instead of a server that answers 500.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { env } = await import('./env');
  try {
    for (const warning of env().warnings) console.warn(`[web] warning: ${warning}`);
  } catch (error) {
    console.error(`[web] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
