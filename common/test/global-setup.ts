// A fresh, migrated database for this run (DATABASE_URL's server or an embedded one).
export { default } from '../src/testing/vitest-global-setup';
