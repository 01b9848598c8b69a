import { spawn } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { ephemeralDataDir, startEmbeddedPostgres } from '../src/db/embedded';
import { freePort } from './ports';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function query<T extends object>(url: string, text: string): Promise<T[]> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    return (await sql.unsafe(text)) as unknown as T[];
  } finally {
    await sql.end({ timeout: 2 });
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    await query(url, 'select 1');
    return true;
  } catch {
    return false;
  }
}

describe('embedded PostgreSQL', () => {
  it('keeps its data between starts, and a second process joins the running server', async () => {
    const dataDir = ephemeralDataDir();
    dirs.push(dataDir);
    const port = await freePort();

    const first = await startEmbeddedPostgres({ dataDir, port });
    expect(first.owned).toBe(true);
    await query(first.url, 'create table kept (v text); insert into kept values ($$still here$$)');

    const joined = await startEmbeddedPostgres({ dataDir, port });
    expect(joined.owned).toBe(false);
    expect(joined.url).toBe(first.url);
    await joined.stop(); // a no-op: it does not own the server
    expect(await answers(first.url)).toBe(true);

    await first.stop();
    expect(await answers(first.url)).toBe(false);

    const again = await startEmbeddedPostgres({ dataDir, port });
    try {
      expect(again.owned).toBe(true);
      expect(await query<{ v: string }>(again.url, 'select v from kept')).toEqual([{ v: 'still here' }]);
    } finally {
      await again.stop();
    }
  });

  it('`pnpm dev` starts it, applies the migrations, and stops it cleanly on Ctrl-C (SIGINT)', async () => {
    const dataDir = ephemeralDataDir();
    dirs.push(dataDir);
    const port = await freePort();
    const env: NodeJS.ProcessEnv = { ...process.env, EMBEDDED_DATABASE_DIR: dataDir, EMBEDDED_DATABASE_PORT: String(port), DEV_SERVERS: '' };
    delete env.DATABASE_URL;
    const tsx = path.join(packageDir, 'node_modules/.bin/tsx');
    const child = spawn(tsx, ['scripts/dev.ts'], { cwd: packageDir, env });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

    const deadline = Date.now() + 45_000;
    while (!output.includes('[dev] database ready') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(output).toContain('[dev] database ready');
    const url = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    const tables = await query<{ table_name: string }>(
      url,
      `select table_name from information_schema.tables where table_schema = 'public' and table_name in ('user', 'referral')`,
    );
    expect(tables.map((t) => t.table_name).sort()).toEqual(['referral', 'user']);

    child.kill('SIGINT');
    await exited;
    expect(await answers(url)).toBe(false);
    expect(output).not.toMatch(/error/i);
  });
});
