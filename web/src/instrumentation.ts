// Runs once when the server starts: a bad environment stops it here, with a clear message.
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { env } = await import('./env');
  env();
}
