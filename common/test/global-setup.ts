import type { TestProject } from 'vitest/node';
import { setUpTestDatabase } from '../src/testing/database';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

/** DATABASE_URL or a throwaway embedded PostgreSQL; a fresh migrated database either way. */
export default async function setup(project: TestProject) {
  const { url, teardown } = await setUpTestDatabase('tests');
  project.provide('databaseUrl', url);
  return teardown;
}
