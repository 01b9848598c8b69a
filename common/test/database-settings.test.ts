import { describe, expect, it } from 'vitest';
import { databaseSettingProblem, MISSING_DATABASE_URL_MESSAGE } from '../src/config/database-settings';

describe('which database a server may use', () => {
  it('in production, only DATABASE_URL, unless the single-machine setting says otherwise', () => {
    expect(databaseSettingProblem({ NODE_ENV: 'production' })).toBe(MISSING_DATABASE_URL_MESSAGE);
    expect(databaseSettingProblem({ NODE_ENV: 'production', DATABASE_URL: '  ' })).toBe(MISSING_DATABASE_URL_MESSAGE);
    // An unset NODE_ENV is production (the backend's reading).
    expect(databaseSettingProblem({})).toBe(MISSING_DATABASE_URL_MESSAGE);
    expect(databaseSettingProblem({ NODE_ENV: 'production', EMBEDDED_DATABASE_IN_PRODUCTION: 'yes' })).toBe(MISSING_DATABASE_URL_MESSAGE);
    expect(databaseSettingProblem({ NODE_ENV: 'production', DATABASE_URL: 'postgres://db/app' })).toBeNull();
    expect(databaseSettingProblem({ NODE_ENV: 'production', EMBEDDED_DATABASE_IN_PRODUCTION: 'true' })).toBeNull();
  });

  it('outside production, the embedded PostgreSQL when DATABASE_URL is unset', () => {
    expect(databaseSettingProblem({ NODE_ENV: 'development' })).toBeNull();
    expect(databaseSettingProblem({ NODE_ENV: 'test' })).toBeNull();
  });
});
