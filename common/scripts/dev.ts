// `pnpm dev`: the whole stack for local work; `pnpm start` (argument `start`):
// the same with the production builds (`pnpm build` first).
//  1. The database: DATABASE_URL, or the embedded PostgreSQL (data in
//     .data/postgres, reused on the next start), migrated.
//  2. The servers (web, and backend once it exists), each given DATABASE_URL,
//     so every process shares the one database.
// Ctrl-C stops the servers, then the embedded PostgreSQL, cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { migrate, resolveDatabase } from '../src/db/index';

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
  const child = spawn('pnpm', ['--dir', dir, mode], {
    cwd: root,
    env: {
      NEXT_TELEMETRY_DISABLED: '1',
      ...process.env,
      // The backend treats an unset NODE_ENV as production (AUTH_SECRET required).
      NODE_ENV: process.env.NODE_ENV ?? (mode === 'dev' ? 'development' : 'production'),
      DATABASE_URL: url,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
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
    log(`${name} exited (${signal ?? code})`);
    if (!stopping) void stop(`${name} exited`);
  });
  return child;
});
if (servers.some((s) => s.name === 'web')) {
  const web = `http://localhost:${process.env.PORT || 3000}`;
  log(mode === 'dev' ? `open ${web} and sign in with any e-mail (dev-login)` : `web on ${web} (production build)`);
}

let stopping = false;
async function stop(reason: string) {
  if (stopping) return;
  stopping = true;
  log(`${reason}: stopping`);
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    ),
  );
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
