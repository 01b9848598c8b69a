// `pnpm dev`: the whole stack for local work; `pnpm start` (argument `start`):
// the same with the production builds (`pnpm build` first).
//  1. The database: DATABASE_URL, or the embedded PostgreSQL (data in
//     .data/postgres, reused on the next start), migrated.
//  2. The servers (web, and backend once it exists), each given DATABASE_URL,
//     so every process shares the one database.
// Ctrl-C stops the servers, then the embedded PostgreSQL, cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { migrate, resolveDatabase } from '../src/db/index';

/** How long each server gets to drain and exit after Ctrl-C before it is killed. */
const STOP_TIMEOUT_MS = 15_000;

const root = path.resolve(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), '../..');
const mode = process.argv[2] === 'start' ? 'start' : 'dev';
const log = (line: string) => console.log(`[${mode}] ${line}`);

const { url, embedded } = await resolveDatabase(log);
await migrate(url);
log('database ready, migrations applied');

// DEV_SERVERS picks which servers to run (comma-separated; empty for the database alone).
const wanted = (process.env.DEV_SERVERS ?? 'web,backend').split(',').map((s) => s.trim());
const servers = [{ name: 'web', dir: 'web' }, { name: 'backend', dir: 'backend' }].filter(
  (s) => wanted.includes(s.name) && existsSync(path.join(root, s.dir, 'package.json')),
);
const children: ChildProcess[] = servers.map(({ name, dir }) => {
  // The package's own script (package.json, one home), run the way pnpm runs it: its node_modules/.bin
  // first on the PATH. Not through pnpm, which reports a clean stop by signal as "Command failed".
  const packageDir = path.join(root, dir);
  const script = (JSON.parse(readFileSync(path.join(packageDir, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts[mode];
  if (!script) throw new Error(`${dir}/package.json has no "${mode}" script`);
  const child = spawn('sh', ['-c', script], {
    cwd: packageDir,
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      ...process.env,
      PATH: `${path.join(packageDir, 'node_modules', '.bin')}${path.delimiter}${process.env.PATH ?? ''}`,
      // The backend treats an unset NODE_ENV as production (AUTH_SECRET required).
      NODE_ENV: process.env.NODE_ENV ?? (mode === 'dev' ? 'development' : 'production'),
      DATABASE_URL: url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    // Its own process group (the shell, tsx and the server), stopped as a whole below.
    detached: true,
  });
  // Each line once prefixed with the server's name (the servers' own lines may already start with it).
  const prefix = (chunk: Buffer) =>
    String(chunk)
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => (line.startsWith(`[${name}] `) ? line : `[${name}] ${line}`))
      .join('\n');
  child.stdout?.on('data', (chunk: Buffer) => console.log(prefix(chunk)));
  child.stderr?.on('data', (chunk: Buffer) => console.error(prefix(chunk)));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    log(`${name} exited (${signal ?? code})`);
    void stop(`${name} exited`);
  });
  return child;
});
if (servers.some((s) => s.name === 'web')) {
  const web = `http://localhost:${process.env.PORT || 3000}`;
  log(mode === 'dev' ? `open ${web} and sign in with any e-mail (dev-login)` : `web on ${web} (production build)`);
}

/** Signals a server's whole process group: the shell does not pass signals on to the server it runs. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
/**
 * Stops a server: SIGTERM to its process group, then waits until nothing of
 * the group is left (the shell may end before the server has drained);
 * whatever is still there after STOP_TIMEOUT_MS is killed.
 */
async function stopGroup(child: ChildProcess): Promise<void> {
  const alive = () => {
    try {
      return child.pid !== undefined && process.kill(-child.pid, 0);
    } catch {
      return false;
    }
  };
  signalGroup(child, 'SIGTERM');
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  while (alive() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive()) {
    log(`a server did not stop within ${STOP_TIMEOUT_MS} ms: killing it`);
    signalGroup(child, 'SIGKILL');
  }
}

// Whatever ends this process, its servers end with it.
process.on('exit', () => {
  for (const child of children) signalGroup(child, 'SIGKILL');
});

let stopping = false;
async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  await Promise.all(children.map((child) => stopGroup(child)));
  if (embedded?.owned) {
    log('stopping the embedded PostgreSQL');
    await embedded.stop();
  }
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// Keep running (and the database up) until a signal arrives.
setInterval(() => {}, 1 << 30);
