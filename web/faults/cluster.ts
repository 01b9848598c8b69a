// The PostgreSQL of a fault test: always its own embedded cluster (never
// DATABASE_URL's server, which others share and which this suite stops), in a
// fresh folder on a free port, that a test can stop and start again on the
// same port and data folder. `destroy` stops it and deletes the folder.
import { rm } from 'node:fs/promises';
import { ephemeralDataDir, migrate, startEmbeddedPostgres, type EmbeddedDatabase } from '@app/common/db';
import { freePort } from '@app/common/testing/database';

export interface Cluster {
  url: string;
  port: number;
  dataDir: string;
  /** Stops PostgreSQL (fast shutdown: open transactions are rolled back, sessions cut). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data folder. */
  start(): Promise<void>;
  /** Stops it if running and deletes its data folder. */
  destroy(): Promise<void>;
}

const log = (line: string) => console.log(`[faults:postgres] ${line}`);

export async function startCluster(): Promise<Cluster> {
  const dataDir = ephemeralDataDir();
  const port = await freePort();
  // Persistent (not `ephemeral`): the folder must survive a stop, for the restart; destroy() removes it.
  const boot = async () => {
    const server = await startEmbeddedPostgres({ dataDir, port, log });
    if (!server.owned) throw new Error(`port ${port} already served ${dataDir}: not our cluster`);
    return server;
  };
  let server: EmbeddedDatabase | null = null;
  try {
    server = await boot();
    await migrate(server.url);
  } catch (error) {
    await server?.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  const url = server.url;
  return {
    url,
    port,
    dataDir,
    async stop() {
      const running = server;
      server = null;
      await running?.stop();
    },
    async start() {
      if (server) throw new Error('the cluster is already running');
      server = await boot();
    },
    async destroy() {
      const running = server;
      server = null;
      try {
        await running?.stop();
      } finally {
        await rm(dataDir, { recursive: true, force: true });
      }
    },
  };
}
