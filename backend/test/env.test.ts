import { describe, expect, it } from 'vitest';
import { loadBackendEnv } from '../src/env';

const secret = { AUTH_SECRET: 'backend-env-secret-0123456789' };

describe('backend environment', () => {
  it('treats an unset NODE_ENV as production: no AUTH_SECRET, no start', () => {
    expect(() => loadBackendEnv({})).toThrow(/AUTH_SECRET: required in production/);
    expect(() => loadBackendEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET/);
    expect(loadBackendEnv({ ...secret }).secret).toBe(secret.AUTH_SECRET);
  });

  it('uses the public development secret only when NODE_ENV says development or test', () => {
    expect(() => loadBackendEnv({ NODE_ENV: 'development' })).not.toThrow();
    expect(() => loadBackendEnv({ NODE_ENV: 'test' })).not.toThrow();
  });

  it('reads the app origin from APP_URL, or NEXTAUTH_URL like the web app', () => {
    expect(loadBackendEnv({ ...secret, APP_URL: 'https://app.example.com/x' }).allowedOrigins).toEqual(['https://app.example.com']);
    expect(loadBackendEnv({ ...secret, NEXTAUTH_URL: 'https://auth.example.com' }).appUrl).toBe('https://auth.example.com');
    expect(() => loadBackendEnv({ ...secret, WS_ALLOWED_ORIGINS: 'not a url' })).toThrow(/WS_ALLOWED_ORIGINS/);
  });
});
