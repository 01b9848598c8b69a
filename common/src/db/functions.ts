// The database functions: each has one live definition, in its own file
// `functions/<name>.sql` (`CREATE OR REPLACE FUNCTION <name>`), re-applied by
// migrate() after the migrations. Versioned migrations hold only tables,
// types, indexes and data; `git log functions/<name>.sql` is a function's
// history. docs/architecture.md ("The database functions") and
// docs/operations.md ("Migrations") describe how they are applied.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type postgres from 'postgres';

export const FUNCTIONS_FOLDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'functions');

/**
 * Every function, in the order they are created: a SQL-language function is
 * checked against what it calls when it is created, so what it calls comes
 * first. (PL/pgSQL bodies are resolved when they run.)
 */
export const DATABASE_FUNCTIONS = [
  'referral_program_current',
  'referral_program_update',
  'normalize_email',
  'is_disposable_email',
  'erased_email_hash',
  'is_erased_email',
  'referral_places_used',
  'referral_places_left',
  'referral_code_regenerations_left',
  'referral_code_regenerate',
  'referral_lock_people',
  'quota_grant_apply',
  'referral_json',
  'referral_event',
  'webhook_enqueue',
  'referral_score',
  'referral_complete',
  'referral_finish',
  'referral_redeem',
  'referral_complete_onboarding',
  'referral_decide',
  'account_delete',
] as const;

export type DatabaseFunction = (typeof DATABASE_FUNCTIONS)[number];

export interface FunctionDefinition {
  name: DatabaseFunction;
  sql: string;
  /** SHA-256 of the file, hex: what `schema_function` records once it is applied. */
  sha256: string;
}

/** The definitions this build carries, in creation order. */
export function functionDefinitions(folder: string = FUNCTIONS_FOLDER): FunctionDefinition[] {
  return DATABASE_FUNCTIONS.map((name) => {
    const sql = readFileSync(path.join(folder, `${name}.sql`), 'utf8');
    return { name, sql, sha256: createHash('sha256').update(sql).digest('hex') };
  });
}

/**
 * Applies every definition whose file changed since it was last applied
 * (`schema_function` keeps each one's hash), in one transaction: a process
 * sees all of a release's functions or none of them. Unchanged ones are not
 * touched, so a start with nothing new costs one read. The caller holds the
 * migration lock.
 */
export async function applyFunctions(client: postgres.Sql, folder: string = FUNCTIONS_FOLDER): Promise<DatabaseFunction[]> {
  const definitions = functionDefinitions(folder);
  const applied = await client<{ name: string; sha256: string }[]>`select name, sha256 from schema_function`;
  const current = new Map(applied.map((row) => [row.name, row.sha256]));
  const due = definitions.filter((d) => current.get(d.name) !== d.sha256);
  if (due.length === 0) return [];
  await client.begin(async (tx) => {
    for (const definition of due) {
      await tx.unsafe(definition.sql);
      await tx`
        insert into schema_function (name, sha256) values (${definition.name}, ${definition.sha256})
        on conflict (name) do update set sha256 = excluded.sha256, applied_at = now()`;
    }
  });
  return due.map((d) => d.name);
}

/**
 * How many definitions each function in the database has (extensions' own
 * functions left out), by name: after migrate(), exactly DATABASE_FUNCTIONS,
 * one each, with no overload or wrapper left from an older signature.
 */
export async function countFunctionDefinitions(client: postgres.Sql): Promise<{ name: string; definitions: number }[]> {
  return client<{ name: string; definitions: number }[]>`
    select p.proname as name, count(*)::int as definitions from pg_proc p join pg_namespace n on n.oid = p.pronamespace
    where n.nspname = 'public' and not exists (select 1 from pg_depend d where d.objid = p.oid and d.deptype = 'e')
    group by p.proname order by 1`;
}
