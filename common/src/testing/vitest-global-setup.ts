import type { TestProject } from 'vitest/node';
import { setUpTestDatabase } from './database';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The database of this test run (see setUpTestDatabase). */
    databaseUrl: string;
  }
}

/**
 * The vitest global setup of every package: DATABASE_URL or a throwaway
 * embedded PostgreSQL, a fresh migrated database either way, dropped at the end.
 */
export default async function setup(project: TestProject) {
  const { url, teardown } = await setUpTestDatabase(`${project.name || 'tests'}`);
  project.provide('databaseUrl', url);
  return teardown;
}
