// A fresh, migrated database for this run (DATABASE_URL's server or an embedded one).
export { default } from '@app/common/testing/vitest-global-setup';
