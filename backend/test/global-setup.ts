import { setUpTestDatabase } from '@app/common/testing/database';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const { url, teardown } = await setUpTestDatabase('backend tests');
  project.provide('databaseUrl', url);
  return teardown;
}
