import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = path.dirname(fileURLToPath(import.meta.url));

// The fault suite (`pnpm --filter @app/web faults`): each file starts its own
// embedded PostgreSQL and the production servers (needs `pnpm build`; the web
// build is read from NEXT_DIST_DIR, default .next), breaks something, and
// checks what survived. One file at a time: they stop and start processes.
export default defineConfig({
  resolve: { alias: { '@': path.join(here, 'src') } },
  test: {
    include: ['faults/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
