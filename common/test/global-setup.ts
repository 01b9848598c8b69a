import type { TestProject } from 'vitest/node';
import {
  createThrowawayDatabase,
  ephemeralDataDir,
  migrate,
  startEmbeddedPostgres,
  type EmbeddedDatabase,
  type ThrowawayDatabase,
} from '../src/db/index';
import { freePort } from './ports';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/**
 * Uses DATABASE_URL, or starts a throwaway embedded PostgreSQL when it is
 * unset. Either way the run gets a fresh database, migrated from scratch and
 * dropped afterwards (or the given database itself when the role may not
 * create one).
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedDatabase | null = null;
  let serverUrl = process.env.DATABASE_URL?.trim();
  if (serverUrl) {
    console.log(`[tests] PostgreSQL from DATABASE_URL (${new URL(serverUrl).host})`);
  } else {
    embedded = await startEmbeddedPostgres({ dataDir: ephemeralDataDir(), port: await freePort(), ephemeral: true });
    serverUrl = embedded.url;
    console.log(`[tests] embedded PostgreSQL (${new URL(serverUrl).host})`);
  }

  let database: ThrowawayDatabase | null = null;
  try {
    database = await createThrowawayDatabase(serverUrl, 'referrals_test');
  } catch (error) {
    console.warn(`[tests] could not create a database (${String(error)}); using the given one`);
  }
  const url = database?.url ?? serverUrl;
  await migrate(url);
  project.provide('databaseUrl', url);

  return async () => {
    await database?.drop();
    await embedded?.stop();
  };
}
