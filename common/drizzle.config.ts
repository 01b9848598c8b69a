import { defineConfig } from 'drizzle-kit';

// Only `drizzle-kit generate` uses this file: it diffs the schema against the
// committed migrations and needs no database. Migrations are applied by
// `pnpm db:migrate` (src/db/migrate.ts), never by `push`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/db/schema.ts',
  out: './src/db/migrations',
});
