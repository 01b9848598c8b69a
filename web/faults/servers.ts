// The production servers under test (web/dist/server.js around the web build and the
// compiled backend), wired as web/e2e/run.ts wires them, on the fault test's
// own cluster.
import { closeDb, createDb, type Db } from '@app/common/db';
import { freePort } from '@app/common/testing/database';
import { startBackend, startWeb, type RunningServer } from '@app/common/testing/processes';
import { afterAll, beforeAll } from 'vitest';
import { startCluster, type Cluster } from './cluster';

/** Signs sessions (web) and websocket tokens (backend); both servers share it. */
export const AUTH_SECRET = 'faults-suite-secret-0123456789abcdef';

export interface Servers {
  web: RunningServer | null;
  backend: RunningServer | null;
  /** The web app's origin (also the origin the backend accepts). */
  appUrl: string;
  /** ws://127.0.0.1:<port>/ws of the backend. */
  wsUrl: string | null;
  /** SIGTERM (SIGKILL after a grace) to whatever still runs. */
  stop(): Promise<void>;
  /** The last lines each server printed, for a failure's report. */
  logs(): string;
}

export async function startServers(databaseUrl: string, which: { web: boolean; backend: boolean }): Promise<Servers> {
  const webPort = await freePort();
  const appUrl = `http://localhost:${webPort}`;
  const common = { DATABASE_URL: databaseUrl, AUTH_SECRET, APP_URL: appUrl };
  const backend = which.backend ? await startBackend(common) : null;
  const wsUrl = backend ? `ws://127.0.0.1:${backend.port}/ws` : null;
  let web: RunningServer | null = null;
  try {
    web = which.web
      ? await startWeb(
          // No backend in this test: the pages' live updates point at a closed port.
          { ...common, NEXT_PUBLIC_BACKEND_WS_URL: wsUrl ?? 'ws://127.0.0.1:9/ws' },
          { port: webPort },
        )
      : null;
  } catch (error) {
    await backend?.stop();
    throw error;
  }
  const all = [web, backend].filter((s): s is RunningServer => s !== null);
  return {
    web,
    backend,
    appUrl,
    wsUrl,
    stop: async () => {
      await Promise.all(all.map((s) => s.stop('SIGTERM', 10_000)));
    },
    logs: () => all.map((s) => `--- ${s.base} ---\n${s.output().slice(-4000)}`).join('\n'),
  };
}

/** True while the process runs: it neither exited nor was killed. */
export function isRunning(server: RunningServer): boolean {
  return server.child.exitCode === null && server.child.signalCode === null;
}

/** What one fault-test file runs against. */
export interface FaultStack {
  /** Its own PostgreSQL cluster, which the test may stop and start. */
  cluster: Cluster;
  servers: Servers;
  /** A pool on the cluster for the test itself. */
  db: Db;
}

/**
 * The stack of one fault-test file, started before its tests and stopped
 * after them (servers, pool, cluster and its data folder). The fields are set
 * once the first test runs.
 */
export function useFaultStack(which: { web: boolean; backend: boolean }, poolSize = 10): FaultStack {
  const stack = {} as FaultStack;
  beforeAll(async () => {
    stack.cluster = await startCluster();
    stack.db = createDb(stack.cluster.url, { max: poolSize });
    stack.servers = await startServers(stack.cluster.url, which);
  });
  afterAll(async () => {
    await stack.servers?.stop();
    if (stack.db) await closeDb(stack.db);
    await stack.cluster?.destroy();
  });
  return stack;
}
