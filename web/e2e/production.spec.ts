import { expect, test } from '@playwright/test';
import { startWeb } from '@app/common/testing/processes';

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
