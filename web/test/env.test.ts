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

  it('uses the public development secret only outside production and for a loopback APP_URL, and says so', () => {
    for (const APP_URL of [undefined, 'http://localhost:3000', 'http://127.0.0.1:4100', 'http://app.localhost', 'http://[::1]:3000']) {
      for (const NODE_ENV of ['development', 'test'] as const) {
        const e = loadEnv({ NODE_ENV, APP_URL });
        expect(e.authSecret, `${NODE_ENV} ${APP_URL}`).toBe(DEVELOPMENT_AUTH_SECRET);
        expect(e.warnings.join('\n')).toMatch(/public development secret/);
      }
    }
  });

  it('refuses to start without AUTH_SECRET for an APP_URL that is not loopback, whatever NODE_ENV says', () => {
    const github = { GITHUB_ID: 'id', GITHUB_SECRET: 'secret' };
    for (const NODE_ENV of ['development', 'test', 'production'] as const) {
      for (const APP_URL of ['https://app.example.com', 'http://192.168.1.20:3000', 'http://localhost.example.com']) {
        expect(() => loadEnv({ NODE_ENV, APP_URL, ...github }), `${NODE_ENV} ${APP_URL}`).toThrow(/AUTH_SECRET is required/);
      }
    }
  });

  it('has dev-login on only with AUTH_DEV_LOGIN=true, or in development on a loopback APP_URL', () => {
    const secret = { AUTH_SECRET: 'y'.repeat(32) };
    expect(loadEnv({ NODE_ENV: 'development' }).devLogin).toBe(true);
    expect(loadEnv({ NODE_ENV: 'development', APP_URL: 'http://127.0.0.1:3000' }).devLogin).toBe(true);
    // Never by accident: NODE_ENV=test, or development on a public address.
    expect(loadEnv({ NODE_ENV: 'test' }).devLogin).toBe(false);
    expect(loadEnv({ NODE_ENV: 'development', APP_URL: 'https://app.example.com', ...secret }).devLogin).toBe(false);
    expect(loadEnv({ NODE_ENV: 'test', APP_URL: 'https://app.example.com', ...secret }).devLogin).toBe(false);
    expect(loadEnv({ NODE_ENV: 'production', ...secret }).devLogin).toBe(false);
    // By name it is on anywhere, with a warning.
    const asked = loadEnv({ NODE_ENV: 'production', ...secret, AUTH_DEV_LOGIN: 'true' });
    expect(asked.devLogin).toBe(true);
    expect(asked.warnings.join('\n')).toMatch(/anyone can sign in as any e-mail address/);
    expect(loadEnv({ NODE_ENV: 'test', AUTH_DEV_LOGIN: 'true' }).devLogin).toBe(true);
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
    expect(loadEnv({ APP_URL: 'https://app.example.com/some/path', AUTH_SECRET: 'z'.repeat(32) }).appUrl).toBe('https://app.example.com');
    expect(() => loadEnv({ APP_URL: 'not a url' })).toThrow(/APP_URL must be a URL/);
  });

  it('takes only origins as the portal\'s framers and an http(s) URL as the external sign-up page', () => {
    const base = { AUTH_SECRET: 'z'.repeat(32) };
    expect(loadEnv(base).embedAllowedOrigins).toEqual([]);
    expect(loadEnv({ ...base, EMBED_ALLOWED_ORIGINS: ' https://app.example.com, http://127.0.0.1:4100/ ' }).embedAllowedOrigins).toEqual([
      'https://app.example.com',
      'http://127.0.0.1:4100',
    ]);
    for (const bad of ['*', 'app.example.com', 'https://app.example.com/path', "https://a.com 'unsafe-inline'", 'javascript:alert(1)']) {
      expect(() => loadEnv({ ...base, EMBED_ALLOWED_ORIGINS: bad }), bad).toThrow(/EMBED_ALLOWED_ORIGINS/);
    }
    expect(loadEnv({ ...base, EXTERNAL_SIGNUP_URL: 'https://app.example.com/signup' }).externalSignupUrl).toBe('https://app.example.com/signup');
    expect(() => loadEnv({ ...base, EXTERNAL_SIGNUP_URL: 'javascript:alert(1)' })).toThrow(/EXTERNAL_SIGNUP_URL/);
  });
});
