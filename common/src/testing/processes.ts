// Real server processes for tests and benchmarks: the production builds of web
// (`node dist/server.js`) and backend (`node dist/index.js`), or any command, started on
// free ports, waited for, and stopped (SIGTERM, then SIGKILL). Every process
// started here is killed if the calling process exits first.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './database';

export const WORKSPACE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const WEB_DIR = path.join(WORKSPACE_ROOT, 'web');
export const BACKEND_DIR = path.join(WORKSPACE_ROOT, 'backend');

export interface ServerProcess {
  child: ChildProcess;
  /** Everything the process printed so far. */
  output: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Sends `signal` (SIGTERM), SIGKILL after `graceMs`; resolves with the exit code. */
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<number | null>;
}

const running = new Set<ChildProcess>();
/** Leaders of the process groups started with `group: true`, killed as a whole when this process exits. */
const groups = new Set<number>();
process.on('exit', () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of groups) signalGroup(pid, 'SIGKILL');
});

/** Sends `signal` to every process of the group `pid` leads; false when none is left. */
function signalGroup(pid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    return process.kill(-pid, signal);
  } catch {
    return false;
  }
}

/** Environment overrides; `undefined` removes a variable inherited from this process. */
export type EnvOverrides = Record<string, string | undefined>;

export interface StartProcessOptions {
  cwd: string;
  env: EnvOverrides;
  /**
   * Runs the command in a process group of its own and signals the whole
   * group, as Ctrl-C in a terminal does: for wrappers (pnpm, sh) that do not
   * pass a signal on to what they started. `exited` then resolves once no
   * process of the group is left.
   */
  group?: boolean;
}

export function startProcess(command: string, args: string[], options: StartProcessOptions): ServerProcess {
  const env = Object.fromEntries(Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined)) as NodeJS.ProcessEnv;
  const group = options.group === true;
  const child = spawn(command, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: group });
  running.add(child);
  if (group && child.pid) groups.add(child.pid);
  let output = '';
  const keep = (c: Buffer) => {
    output += String(c);
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const leaderExited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const exited = group
    ? leaderExited.then(async (code) => {
        while (child.pid && signalGroup(child.pid, 0)) await new Promise((r) => setTimeout(r, 100));
        if (child.pid) groups.delete(child.pid);
        return code;
      })
    : leaderExited;
  const send = (s: NodeJS.Signals) => (group && child.pid ? signalGroup(child.pid, s) : child.kill(s));
  const stop = async (signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000) => {
    send(signal);
    const killer = setTimeout(() => send('SIGKILL'), graceMs);
    void exited.finally(() => clearTimeout(killer));
    return exited;
  };
  return { child, output: () => output, exited, stop };
}

/** Polls `url` until it answers below 500; throws if the process exits or `seconds` pass. */
export async function waitForHttp(url: string, server: ServerProcess, seconds = 60): Promise<void> {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (server.child.exitCode !== null) throw new Error(`${url}: the server exited with ${server.child.exitCode}\n${server.output().slice(-3000)}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
      if (response.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${seconds} s\n${server.output().slice(-3000)}`);
}

export interface RunningServer extends ServerProcess {
  port: number;
  /** http://localhost:<port> (web) or http://127.0.0.1:<port> (backend). */
  base: string;
}

function requireBuild(file: string, command: string): void {
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`${command}\` first`);
}

/**
 * The production web server (web/dist/server.js around the `next build`
 * output); needs `pnpm --filter @app/web build` first. Waits until it answers.
 */
export async function startWeb(env: EnvOverrides, options: { port?: number; wait?: boolean } = {}): Promise<RunningServer> {
  // NEXT_DIST_DIR (next.config.ts) picks another build folder; the server reads the same variable.
  requireBuild(path.join(WEB_DIR, process.env.NEXT_DIST_DIR || '.next', 'BUILD_ID'), 'pnpm --filter @app/web build');
  requireBuild(path.join(WEB_DIR, 'dist', 'server.js'), 'pnpm --filter @app/web build');
  const port = options.port ?? (await freePort());
  const base = `http://localhost:${port}`;
  // node itself (no wrapper), so signals reach the server.
  const server = startProcess(process.execPath, ['--enable-source-maps', 'dist/server.js'], {
    cwd: WEB_DIR,
    env: {
      ...process.env,
      NODE_ENV: 'production' as string,
      NEXT_TELEMETRY_DISABLED: '1',
      APP_URL: base,
      NEXTAUTH_URL: base,
      PORT: String(port),
      WEB_HOST: '127.0.0.1',
      ...env,
    },
  });
  if (options.wait !== false) await waitForHttp(`${base}/api/auth/providers`, server);
  return { ...server, port, base };
}

/** The compiled backend (`node dist/index.js`); needs `pnpm --filter @app/backend build`. Waits for /healthz. */
export async function startBackend(env: EnvOverrides, options: { port?: number } = {}): Promise<RunningServer> {
  requireBuild(path.join(BACKEND_DIR, 'dist', 'index.js'), 'pnpm --filter @app/backend build');
  const port = options.port ?? (await freePort());
  // node itself (no wrapper), so signals reach the server.
  const server = startProcess(process.execPath, ['--enable-source-maps', 'dist/index.js'], {
    cwd: BACKEND_DIR,
    env: { ...process.env, NODE_ENV: 'production' as string, BACKEND_PORT: String(port), BACKEND_HOST: '127.0.0.1', ...env },
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/healthz`, server);
  return { ...server, port, base };
}
