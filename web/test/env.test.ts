import { describe, expect, it } from 'vitest';
import { DEVELOPMENT_AUTH_SECRET, loadEnv } from '@/env';

describe('the web environment', () => {
  it('stops a production server without AUTH_SECRET with a clear message', () => {
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/AUTH_SECRET is required in production/);
  });

  it('accepts NEXTAUTH_SECRET too, and refuses a short secret', () => {
    expect(loadEnv({ NODE_ENV: 'production', NEXTAUTH_SECRET: 'x'.repeat(32) }).authSecret).toBe('x'.repeat(32));
    expect(() => loadEnv({ NODE_ENV: 'production', AUTH_SECRET: 'short' })).toThrow(/at least 16/);
  });

  it('uses the development secret outside production', () => {
    expect(loadEnv({ NODE_ENV: 'development' }).authSecret).toBe(DEVELOPMENT_AUTH_SECRET);
  });

  it('has dev-login on in development and test, off in production unless AUTH_DEV_LOGIN=true, and off when false', () => {
    const secret = { AUTH_SECRET: 'y'.repeat(32) };
    expect(loadEnv({ NODE_ENV: 'development' }).devLogin).toBe(true);
    expect(loadEnv({ NODE_ENV: 'test' }).devLogin).toBe(true);
    expect(loadEnv({ NODE_ENV: 'production', ...secret }).devLogin).toBe(false);
    expect(loadEnv({ NODE_ENV: 'production', ...secret, AUTH_DEV_LOGIN: 'true' }).devLogin).toBe(true);
    expect(loadEnv({ NODE_ENV: 'development', AUTH_DEV_LOGIN: 'false' }).devLogin).toBe(false);
    // Empty is unset, as for every variable: production default (off), no crash.
    expect(loadEnv({ NODE_ENV: 'production', ...secret, AUTH_DEV_LOGIN: '' }).devLogin).toBe(false);
  });

  it('turns providers on only when all their variables are set, and warns about half-set ones', () => {
    const e = loadEnv({ NODE_ENV: 'production', AUTH_SECRET: 'z'.repeat(32), GITHUB_ID: 'id', OIDC_ISSUER: 'https://id.example.com' });
    expect(e.github).toBeNull();
    expect(e.oidc).toBeNull();
    expect(e.warnings.join('\n')).toMatch(/GitHub sign-in is off: GITHUB_SECRET not set/);
    expect(e.warnings.join('\n')).toMatch(/no sign-in provider/);
  });

  it('derives the app origin from APP_URL and refuses a non-URL', () => {
    expect(loadEnv({ APP_URL: 'https://app.example.com/some/path' }).appUrl).toBe('https://app.example.com');
    expect(() => loadEnv({ APP_URL: 'not a url' })).toThrow(/APP_URL must be a URL/);
  });
});
