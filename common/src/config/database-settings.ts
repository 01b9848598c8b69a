// Which database a server uses (docs/operations.md, "The database"): in
// production, the PostgreSQL of DATABASE_URL that every web and backend
// process shares. A production server never starts an embedded PostgreSQL of
// its own without being told to: each machine would then keep its own data
// and enforce the cap on it alone.

/** The setting that lets a production server use the embedded PostgreSQL: everything on one machine. */
export const EMBEDDED_IN_PRODUCTION_SETTING = 'EMBEDDED_DATABASE_IN_PRODUCTION';

export const MISSING_DATABASE_URL_MESSAGE =
  'DATABASE_URL is required in production: every web and backend process must share one PostgreSQL ' +
  '(without it each would start an embedded database of its own and enforce the cap on its own data). ' +
  `Set DATABASE_URL, or ${EMBEDDED_IN_PRODUCTION_SETTING}=true to run everything on this one machine.`;

/**
 * Why this process may not use the embedded PostgreSQL, or null when it may
 * (DATABASE_URL is set, it is not production, or the single-machine setting
 * says so). An unset NODE_ENV counts as production, as the backend reads it.
 */
export function databaseSettingProblem(env: Record<string, string | undefined> = process.env): string | null {
  if (env.DATABASE_URL?.trim()) return null;
  if ((env.NODE_ENV?.trim() || 'production') !== 'production') return null;
  if (env[EMBEDDED_IN_PRODUCTION_SETTING]?.trim() === 'true') return null;
  return MISSING_DATABASE_URL_MESSAGE;
}
