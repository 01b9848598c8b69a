// Runs a Playwright project against the production builds: web
// (`node dist/server.js`) and the compiled backend, on a throwaway database (DATABASE_URL's server, or
// an embedded PostgreSQL), with a real OpenID Connect provider (oidc-provider,
// e2e/oidc-provider.ts) as the app's generic OIDC sign-in. Stops everything after.
// Usage: tsx e2e/run.ts --project=e2e|security [more playwright args]
// Needs `pnpm build` (web and backend) first; `pnpm test:e2e` does both.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, setUpTestDatabase } from '@app/common/testing/database';
import { startBackend, startWeb, type RunningServer } from '@app/common/testing/processes';
import { OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, startOidcProvider } from './oidc-provider';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(webDir, 'node_modules', '.bin', name);

// Playwright's own Chromium, unless the system's is named (CI: Debian's chromium).
if (!process.env.CHROMIUM_PATH) {
  const install = spawnSync(bin('playwright'), ['install', 'chromium'], { cwd: webDir, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('Could not install Chromium for Playwright; set CHROMIUM_PATH to a Chromium binary instead.');
    process.exit(1);
  }
}

const database = await setUpTestDatabase('e2e');
const secret = process.env.AUTH_SECRET ?? 'e2e-secret-0123456789abcdef';
const port = await freePort();
const baseUrl = `http://localhost:${port}`;
const provider = await startOidcProvider(await freePort(), [`${baseUrl}/api/auth/callback/oidc`]);
const servers: RunningServer[] = [];

let code = 1;
try {
  // The websocket backend, for the live updates of the member page.
  const backend = await startBackend({ DATABASE_URL: database.url, AUTH_SECRET: secret, APP_URL: baseUrl });
  servers.push(backend);
  const web = await startWeb(
    {
      DATABASE_URL: database.url,
      AUTH_SECRET: secret,
      AUTH_DEV_LOGIN: 'true',
      // The browsers of the suite play the edge proxy: each person's X-Forwarded-For (e2e/helpers.ts,
      // visitorContext) is their address, as one trusted proxy in front would write it. What a
      // client reaching the server directly gets is proven in security/client-address.spec.ts.
      TRUST_PROXY: '1',
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET,
      OIDC_NAME: 'Mock ID',
      // The operator of e2e/admin.spec.ts (signs in with dev-login), and the one whose address
      // security/oidc-identity.spec.ts tries to take over through the OIDC provider.
      ADMIN_EMAILS: 'operator@example.test,victim-operator@example.test',
      NEXT_PUBLIC_BACKEND_WS_URL: `ws://localhost:${backend.port}/ws`,
    },
    { port },
  );
  servers.push(web);
  const runner = spawn(bin('playwright'), ['test', ...process.argv.slice(2)], {
    cwd: webDir,
    env: {
      ...process.env,
      E2E_BASE_URL: baseUrl,
      E2E_BACKEND_PORT: String(backend.port),
      E2E_AUTH_SECRET: secret,
      E2E_OIDC_ISSUER: provider.issuer,
      DATABASE_URL: database.url,
    },
    stdio: 'inherit',
  });
  code = await new Promise<number>((resolve) => runner.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
  console.error(String(error));
} finally {
  if (code !== 0) for (const s of servers) console.error(`--- ${s.base} log ---\n${s.output().slice(-5000)}`);
  await Promise.all(servers.map((s) => s.stop()));
  await provider.stop();
  await database.teardown();
}
process.exit(code);
