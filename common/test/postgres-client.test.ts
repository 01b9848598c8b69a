import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('the database client when the server dies mid-statement', () => {
  it('rejects the transaction with a catchable error and keeps the process alive (porsager/postgres#1208)', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'fixtures/kill-mid-transaction.ts'), inject('databaseUrl')], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).not.toContain('TypeError');
    expect(run.status, output).toBe(0);
    expect(output).toContain('survived');
    for (const round of [0, 1, 2]) {
      expect(output).toMatch(new RegExp(`round ${round}: rejected: (CONNECTION_CLOSED|57P01)`));
      expect(output).toContain(`round ${round}: pool answers 1`);
    }
  });
});
