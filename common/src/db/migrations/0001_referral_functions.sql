-- This migration defined the first release's database functions. Each
-- function now has one live definition in common/src/db/functions/<name>.sql,
-- applied by migrate() (docs/operations.md, "Migrations and database
-- functions"); migration 0007 drops whatever an older database still has, so
-- the copy that stood here was removed. Drizzle's migrator applies a
-- migration by its timestamp, never again, so databases that ran the full
-- text are not affected. It stays in the journal, doing nothing.
SELECT 1;
