import { expect, test } from '@playwright/test';
import { closeDb, createDb } from '@app/common/db';
import { MISSING_DATABASE_URL_MESSAGE } from '@app/common/config/database-settings';
import { BACKEND_DIR, startProcess, startWeb } from '@app/common/testing/processes';

/** Starts the production build with `env`, without waiting for it to answer. */
async function startServer(env: Record<string, string | undefined>) {
  const server = await startWeb(env, { wait: false });
  return { base: server.base, exited: server.exited, stop: () => server.stop(), output: server.output };
}

test('the production server refuses to start without AUTH_SECRET, and says why', async () => {
  const server = await startServer({ AUTH_SECRET: undefined, NEXTAUTH_SECRET: undefined });
  const code = await Promise.race([server.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000))]);
  if (code === 'running') await server.stop();
  expect(code).not.toBe('running');
  expect(code).not.toBe(0);
  expect(server.output()).toContain('AUTH_SECRET is required in production');
});

test('in production, neither server starts without DATABASE_URL (no embedded database of its own), and both say why', async () => {
  const secret = 'production-test-secret-0123456789';
  const web = await startServer({ AUTH_SECRET: secret, DATABASE_URL: undefined, EMBEDDED_DATABASE_IN_PRODUCTION: undefined });
  const backend = startProcess(process.execPath, ['dist/index.js'], {
    cwd: BACKEND_DIR,
    env: { ...process.env, NODE_ENV: 'production', AUTH_SECRET: secret, DATABASE_URL: '', BACKEND_PORT: '65431', EMBEDDED_DATABASE_IN_PRODUCTION: '' },
  });
  for (const server of [web, backend]) {
    const code = await Promise.race([server.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000))]);
    if (code === 'running') await server.stop();
    expect(code, server.output()).not.toBe('running');
    expect(code).not.toBe(0);
    expect(server.output()).toContain(MISSING_DATABASE_URL_MESSAGE);
  }
});

test('dev-login is off in production unless AUTH_DEV_LOGIN=true', async () => {
  const common = { AUTH_SECRET: 'production-test-secret-0123456789', DATABASE_URL: process.env.DATABASE_URL };
  for (const [flag, expected] of [[undefined, false], ['true', true]] as const) {
    const server = await startServer({ ...common, AUTH_DEV_LOGIN: flag });
    try {
      let providers: Record<string, unknown> | null = null;
      for (let i = 0; i < 80 && !providers; i++) {
        try {
          providers = (await (await fetch(`${server.base}/api/auth/providers`)).json()) as Record<string, unknown>;
        } catch {
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      expect(providers, server.output()).not.toBeNull();
      expect('dev-login' in providers!).toBe(expected);
      const callback = await fetch(`${server.base}/api/auth/callback/dev-login`, { method: 'POST', redirect: 'manual' });
      if (!expected) expect(callback.headers.get('set-cookie') ?? '').not.toContain('session-token');
    } finally {
      await server.stop();
    }
  }
});

test('health: live needs no database; ready is 503 while the database is unreachable or behind this build, 200 when all is well (web and backend)', async ({ baseURL }) => {
  // A web server whose database is not there (a closed port): alive, not ready.
  const lonely = await startWeb({ AUTH_SECRET: 'production-test-secret-0123456789', DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' }, { wait: false });
  try {
    await expect
      .poll(async () => (await fetch(`${lonely.base}/api/health/live`).catch(() => null))?.status, { timeout: 30_000 })
      .toBe(200);
    const notReady = await fetch(`${lonely.base}/api/health/ready`);
    expect(notReady.status).toBe(503);
    expect(await notReady.json()).toMatchObject({ status: 'not_ready', problems: ['database: unreachable'] });
  } finally {
    await lonely.stop();
  }

  // The suite's servers: ready; then one database function changed behind their back (as a newer build would): not ready.
  const backend = `http://127.0.0.1:${process.env.E2E_BACKEND_PORT}`;
  for (const url of [`${baseURL}/api/health/ready`, `${backend}/readyz`]) {
    const ready = await fetch(url);
    const body = (await ready.json()) as { status: string; problems: string[]; migrations: { applied: number; expected: number } };
    expect(ready.status, JSON.stringify(body)).toBe(200);
    expect(body.status).toBe('ready');
    expect(body.migrations.applied).toBe(body.migrations.expected);
  }
  expect((await fetch(`${backend}/livez`)).status).toBe(200);
  const db = createDb(process.env.DATABASE_URL!, { max: 1 });
  const sql = db.$client;
  const [before] = await sql<{ sha256: string }[]>`select sha256 from schema_function where name = 'referral_json'`;
  try {
    await sql`update schema_function set sha256 = 'another-build' where name = 'referral_json'`;
    for (const url of [`${baseURL}/api/health/ready`, `${backend}/readyz`]) {
      const stale = await fetch(url);
      expect(stale.status).toBe(503);
      expect(((await stale.json()) as { problems: string[] }).problems.join()).toContain('referral_json');
    }
  } finally {
    await sql`update schema_function set sha256 = ${before!.sha256} where name = 'referral_json'`;
    await closeDb(db);
  }
  expect((await fetch(`${baseURL}/api/health/ready`)).status).toBe(200);
});
