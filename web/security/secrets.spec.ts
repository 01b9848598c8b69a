// Sign-in is never opened by accident (docs/security.md §9): whatever
// NODE_ENV says, a server on a public APP_URL without AUTH_SECRET does not
// start (the development secret is public), and dev-login is off unless asked
// for by name. The production builds of both servers, started here.
import { startBackend, startWeb, type RunningServer } from '@app/common/testing/processes';
import { expect, test } from '@playwright/test';

const PUBLIC_APP = 'https://app.example.com';
const github = { GITHUB_ID: 'github-client-id', GITHUB_SECRET: 'github-client-secret' };

/** The exit code of a server that should refuse to start, or 'running' after 20 s. */
async function exitOf(server: RunningServer): Promise<number | null | 'running'> {
  const code = await Promise.race([server.exited, new Promise<'running'>((r) => setTimeout(() => r('running'), 20_000))]);
  if (code === 'running') await server.stop();
  return code;
}

test('web refuses to start without AUTH_SECRET on a public APP_URL under NODE_ENV development or test, and says why', async () => {
  for (const NODE_ENV of ['development', 'test']) {
    const server = await startWeb(
      { NODE_ENV, APP_URL: PUBLIC_APP, NEXTAUTH_URL: PUBLIC_APP, AUTH_SECRET: undefined, NEXTAUTH_SECRET: undefined, AUTH_DEV_LOGIN: undefined, ...github },
      { wait: false },
    );
    const code = await exitOf(server);
    expect(code, `${NODE_ENV}: ${server.output()}`).toBe(1);
    expect(server.output()).toContain(`AUTH_SECRET is required: APP_URL (${PUBLIC_APP}) is not a loopback address`);
  }
});

test('the backend refuses the same', async () => {
  for (const NODE_ENV of ['development', 'test']) {
    let refused: unknown = null;
    try {
      const server = await startBackend({ NODE_ENV, APP_URL: PUBLIC_APP, AUTH_SECRET: undefined, NEXTAUTH_SECRET: undefined, DATABASE_URL: process.env.DATABASE_URL });
      await server.stop();
    } catch (error) {
      refused = error;
    }
    expect(String(refused), NODE_ENV).toContain('AUTH_SECRET is required: APP_URL');
  }
});

test('with a secret but no AUTH_DEV_LOGIN, NODE_ENV development or test on a public APP_URL offers no dev-login', async () => {
  for (const NODE_ENV of ['development', 'test']) {
    const server = await startWeb({
      NODE_ENV,
      APP_URL: PUBLIC_APP,
      NEXTAUTH_URL: PUBLIC_APP,
      AUTH_SECRET: 'secrets-spec-secret-0123456789abcdef',
      AUTH_DEV_LOGIN: undefined,
      DATABASE_URL: process.env.DATABASE_URL,
      ...github,
    });
    try {
      const providers = (await (await fetch(`${server.base}/api/auth/providers`)).json()) as Record<string, unknown>;
      expect(Object.keys(providers), NODE_ENV).toEqual(['github']);
      const callback = await fetch(`${server.base}/api/auth/callback/dev-login`, { method: 'POST', redirect: 'manual' });
      expect(callback.headers.get('set-cookie') ?? '', NODE_ENV).not.toContain('session-token');
    } finally {
      await server.stop();
    }
  }
});
