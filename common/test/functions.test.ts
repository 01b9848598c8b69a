import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { applyFunctions, countFunctionDefinitions, DATABASE_FUNCTIONS, FUNCTIONS_FOLDER, functionDefinitions } from '../src/db/functions';
import { useTestDb } from './helpers';

const db = useTestDb(2);

describe('database functions: one live definition each, in its own file', () => {
  it('has one file per function, defining exactly that function', () => {
    const files = readdirSync(FUNCTIONS_FOLDER).filter((f) => f.endsWith('.sql')).map((f) => f.replace(/\.sql$/, ''));
    expect(files.sort()).toEqual([...DATABASE_FUNCTIONS].sort());
    for (const { name, sql } of functionDefinitions()) {
      const defined = [...sql.matchAll(/CREATE\s+OR\s+REPLACE\s+FUNCTION\s+([a-z_]+)\s*\(/gi)].map((m) => m[1]);
      expect(defined, `${name}.sql`).toEqual([name]);
    }
  });

  it('applies nothing again once migrate() has run (the recorded hashes match the files)', async () => {
    expect(await applyFunctions(db.$client)).toEqual([]);
    const rows = await db.$client<{ name: string; sha256: string }[]>`select name, sha256 from schema_function order by name`;
    expect([...rows]).toEqual(
      functionDefinitions()
        .map(({ name, sha256 }) => ({ name, sha256 }))
        .sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('every function in the database has a definition file, and exactly one definition: no overload, no wrapper', async () => {
    const rows = await countFunctionDefinitions(db.$client);
    expect([...rows]).toEqual([...DATABASE_FUNCTIONS].sort().map((name) => ({ name, definitions: 1 })));
  });
});
