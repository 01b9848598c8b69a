import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import type { TestProject } from 'vitest/node';
import { ephemeralDataDir, migrate, startEmbeddedPostgres, type EmbeddedDatabase } from '../src/db/index';
import { freePort } from './ports';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

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

  // A fresh database per run: migrations are applied from scratch, and no
  // leftover rows of another run are seen. Falls back to the given database
  // when the role may not create one.
  const database = `referrals_test_${randomBytes(5).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  let url = serverUrl;
  let created = false;
  try {
    await admin.unsafe(`create database "${database}"`);
    url = withDatabase(serverUrl, database);
    created = true;
  } catch (error) {
    console.warn(`[tests] could not create a database (${String(error)}); using the given one`);
  }
  await migrate(url);
  project.provide('databaseUrl', url);

  return async () => {
    if (created) await admin.unsafe(`drop database if exists "${database}" with (force)`);
    await admin.end({ timeout: 5 });
    await embedded?.stop();
  };
}
