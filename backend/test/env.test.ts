import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_AUTH_SECRET } from '@app/common/constants';
import { loadBackendEnv } from '../src/env';

const secret = { AUTH_SECRET: 'backend-env-secret-0123456789' };

describe('backend environment', () => {
  it('treats an unset NODE_ENV as production: no AUTH_SECRET, no start', () => {
    expect(() => loadBackendEnv({})).toThrow(/AUTH_SECRET: AUTH_SECRET is required in production/);
    expect(() => loadBackendEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/);
    expect(loadBackendEnv({ ...secret }).secret).toBe(secret.AUTH_SECRET);
  });

  it('uses the public development secret only when NODE_ENV says development or test and APP_URL is loopback', () => {
    expect(loadBackendEnv({ NODE_ENV: 'development' })).toMatchObject({ secret: DEVELOPMENT_AUTH_SECRET, usesDevelopmentSecret: true });
    expect(loadBackendEnv({ NODE_ENV: 'test', APP_URL: 'http://127.0.0.1:3100' }).usesDevelopmentSecret).toBe(true);
    for (const NODE_ENV of ['development', 'test']) {
      expect(() => loadBackendEnv({ NODE_ENV, APP_URL: 'https://app.example.com' }), NODE_ENV).toThrow(/AUTH_SECRET is required: APP_URL/);
    }
    expect(loadBackendEnv({ NODE_ENV: 'development', APP_URL: 'https://app.example.com', ...secret }).usesDevelopmentSecret).toBe(false);
  });

  it('reads the app origin from APP_URL, or NEXTAUTH_URL like the web app', () => {
    expect(loadBackendEnv({ ...secret, APP_URL: 'https://app.example.com/x' }).allowedOrigins).toEqual(['https://app.example.com']);
    expect(loadBackendEnv({ ...secret, NEXTAUTH_URL: 'https://auth.example.com' }).appUrl).toBe('https://auth.example.com');
    expect(() => loadBackendEnv({ ...secret, WS_ALLOWED_ORIGINS: 'not a url' })).toThrow(/WS_ALLOWED_ORIGINS/);
  });
});
