// Runs the Playwright suite against the production build (`next start`), on a
// throwaway database (DATABASE_URL's server, or an embedded PostgreSQL), then
// stops everything. Usage: pnpm --filter @app/web e2e [playwright args]
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, setUpTestDatabase } from '@app/common/testing/database';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name: string) => path.join(webDir, 'node_modules', '.bin', name);

async function waitForServer(url: string, server: ChildProcess, seconds: number) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the web server exited with ${server.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the web server did not answer at ${url} within ${seconds} s`);
}

// Playwright's own Chromium, unless the system's is named (CI: Debian's chromium).
if (!process.env.CHROMIUM_PATH) {
  const install = spawnSync(bin('playwright'), ['install', 'chromium'], { cwd: webDir, stdio: 'inherit' });
  if (install.status !== 0) {
    console.error('Could not install Chromium for Playwright; set CHROMIUM_PATH to a Chromium binary instead.');
    process.exit(1);
  }
}

const database = await setUpTestDatabase('e2e');
const port = await freePort();
const backendPort = await freePort();
const baseUrl = `http://localhost:${port}`;
const secret = process.env.AUTH_SECRET ?? 'e2e-secret-0123456789abcdef';

// The websocket backend, for the live updates of the member page.
const backend = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
  cwd: path.resolve(webDir, '../backend'),
  env: {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: database.url,
    AUTH_SECRET: secret,
    APP_URL: baseUrl,
    BACKEND_PORT: String(backendPort),
    BACKEND_HOST: '127.0.0.1',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let backendLog = '';
backend.stdout?.on('data', (c: Buffer) => (backendLog += String(c)));
backend.stderr?.on('data', (c: Buffer) => (backendLog += String(c)));
const serverEnv: NodeJS.ProcessEnv = {
  ...process.env,
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  DATABASE_URL: database.url,
  APP_URL: baseUrl,
  NEXTAUTH_URL: baseUrl,
  AUTH_SECRET: secret,
  AUTH_DEV_LOGIN: 'true',
  NEXT_PUBLIC_BACKEND_WS_URL: `ws://localhost:${backendPort}/ws`,
  PORT: String(port),
};
const server = spawn(bin('next'), ['start', '--port', String(port)], { cwd: webDir, env: serverEnv, stdio: ['ignore', 'pipe', 'pipe'] });
let serverLog = '';
server.stdout?.on('data', (c: Buffer) => (serverLog += String(c)));
server.stderr?.on('data', (c: Buffer) => (serverLog += String(c)));

let code = 1;
try {
  await waitForServer(`${baseUrl}/api/auth/providers`, server, 60);
  await waitForServer(`http://127.0.0.1:${backendPort}/healthz`, backend, 60);
  const runner = spawn(bin('playwright'), ['test', ...process.argv.slice(2)], {
    cwd: webDir,
    env: { ...process.env, E2E_BASE_URL: baseUrl, E2E_BACKEND_PORT: String(backendPort), DATABASE_URL: database.url },
    stdio: 'inherit',
  });
  code = await new Promise<number>((resolve) => runner.on('exit', (c) => resolve(c ?? 1)));
} catch (error) {
  console.error(String(error));
} finally {
  if (code !== 0) console.error(`--- web server log ---\n${serverLog.slice(-5000)}\n--- backend log ---\n${backendLog.slice(-3000)}`);
  for (const child of [server, backend]) {
    if (child.exitCode === null) child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
  await database.teardown();
}
process.exit(code);
