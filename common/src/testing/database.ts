import { ephemeralDataDir, startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { migrate } from '../db/migrate';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../db/throwaway';
import { createServer } from 'node:net';

/** A TCP port that was free on 127.0.0.1 a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/**
 * The database of one test run: DATABASE_URL's server, or a throwaway
 * embedded PostgreSQL when it is unset; in either, a fresh database migrated
 * from scratch (or the given database itself when the role may not create
 * one). `teardown` drops and stops what was made.
 */
export async function setUpTestDatabase(label: string): Promise<{ url: string; teardown: () => Promise<void> }> {
  let embedded: EmbeddedDatabase | null = null;
  let serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    console.log(`[${label}] PostgreSQL from DATABASE_URL (${new URL(serverUrl).host})`);
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: ephemeralDataDir(), port: await freePort(), ephemeral: true });
    serverUrl = embedded.url;
    console.log(`[${label}] embedded PostgreSQL (${new URL(serverUrl).host})`);
  }
  let database: ThrowawayDatabase | null = null;
  try {
    database = await createThrowawayDatabase(serverUrl, 'referrals_test');
  } catch (error) {
    console.warn(`[${label}] could not create a database (${String(error)}); using the given one`);
  }
  const url = database?.url ?? serverUrl;
  await migrate(url);
  return {
    url,
    teardown: async () => {
      await database?.drop();
      await embedded?.stop();
    },
  };
}
