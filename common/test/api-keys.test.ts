// API keys on real PostgreSQL (docs/integration.md, "API keys"): shown once,
// stored only as a hash, recognisable, scoped, revoked at once.
import { describe, expect, it } from 'vitest';
import { API_KEY_PREFIX, authenticateApiKey, createApiKey, listApiKeys, revokeApiKey } from '../src/api/keys';
import { useTestDb } from './helpers';

const db = useTestDb(25);
const operator = { id: null, email: 'operator@example.test' };

async function newKey(scopes: string[] = ['read', 'write'], name = 'CRM sync') {
  const made = await createApiKey({ db, input: { name, scopes }, actor: operator });
  if (!made.ok) throw new Error(made.message);
  return made;
}

describe('API keys', () => {
  it('are shown once, with a recognisable prefix, and stored only as a hash', async () => {
    const { key, apiKey } = await newKey(['write', 'read'], '  Billing webhook  ');
    expect(key).toMatch(new RegExp(`^${API_KEY_PREFIX}[A-Za-z0-9_-]{32}$`));
    expect(apiKey).toMatchObject({ name: 'Billing webhook', start: key.slice(0, 12), scopes: ['read', 'write'], createdBy: operator.email });
    const [row] = await db.$client`select * from api_key where id = ${apiKey.id}`;
    expect(JSON.stringify(row)).not.toContain(key.slice(API_KEY_PREFIX.length));
    expect(row!.hash).toMatch(/^[0-9a-f]{64}$/);
    const listed = (await listApiKeys({ db })).find((k) => k.id === apiKey.id);
    expect(listed).toEqual({ ...apiKey, lastUsedAt: null });
    expect(JSON.stringify(listed)).not.toContain(row!.hash);
    // Two keys never share a value.
    expect((await newKey()).key).not.toBe(key);
  });

  it('refuse a name or scopes that are not right, and make nothing', async () => {
    const before = (await listApiKeys({ db })).length;
    for (const input of [
      { name: '', scopes: ['read'] },
      { name: 'x'.repeat(101), scopes: ['read'] },
      { name: 'nul\u0000', scopes: ['read'] },
      { name: 'No scopes', scopes: [] },
      { name: 'Admin', scopes: ['admin'] },
      { name: 'Text', scopes: 'read' },
      null,
    ]) {
      expect(await createApiKey({ db, input, actor: operator }), JSON.stringify(input)).toMatchObject({ ok: false, code: 'invalid_input' });
    }
    expect((await listApiKeys({ db })).length).toBe(before);
  });

  it('authenticate a Bearer key with the scope asked for, and record its use', async () => {
    const { key, apiKey } = await newKey(['read']);
    const authenticated = await authenticateApiKey({ db, authorization: `Bearer ${key}`, scope: 'read' });
    expect(authenticated).toMatchObject({ ok: true, apiKey: { id: apiKey.id, createdAt: apiKey.createdAt, scopes: ['read'] } });
    expect(authenticated.ok && authenticated.apiKey.createdAt).toBeInstanceOf(Date);
    expect(await authenticateApiKey({ db, authorization: `bearer  ${key} `, scope: 'read' })).toMatchObject({ ok: true });
    expect(await authenticateApiKey({ db, authorization: `Bearer ${key}`, scope: 'write' })).toMatchObject({ ok: false, code: 'forbidden' });
    const used = (await listApiKeys({ db })).find((k) => k.id === apiKey.id)!;
    expect(used.lastUsedAt).toBeInstanceOf(Date);
  });

  it('refuse a missing, malformed, unknown or altered key', async () => {
    const { key } = await newKey();
    for (const authorization of [
      undefined,
      '',
      key,
      `Basic ${key}`,
      `Bearer`,
      `Bearer ${key.slice(0, -1)}`,
      `Bearer ${key}x`,
      `Bearer ${key.replace(API_KEY_PREFIX, 'sk_')}`,
      `Bearer ${API_KEY_PREFIX}${'A'.repeat(32)}`,
      `Bearer ${key} ${key}`,
      `Bearer ${API_KEY_PREFIX}${'a'.repeat(5000)}`,
    ]) {
      expect(await authenticateApiKey({ db, authorization, scope: 'read' }), String(authorization).slice(0, 40)).toMatchObject({
        ok: false,
        code: 'unauthenticated',
      });
    }
  });

  it('stop working at once when revoked; a second revoke or an unknown key says so', async () => {
    const { key, apiKey } = await newKey();
    const results = await Promise.all(Array.from({ length: 20 }, () => authenticateApiKey({ db, authorization: `Bearer ${key}`, scope: 'write' })));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await revokeApiKey({ db, id: apiKey.id, actor: { email: 'ada@example.test' } })).toMatchObject({
      ok: true,
      apiKey: { revokedAt: expect.any(Date), revokedBy: 'ada@example.test' },
    });
    expect(await authenticateApiKey({ db, authorization: `Bearer ${key}`, scope: 'read' })).toMatchObject({ code: 'unauthenticated' });
    expect(await revokeApiKey({ db, id: apiKey.id, actor: operator })).toMatchObject({ ok: false, code: 'conflict' });
    expect(await revokeApiKey({ db, id: 'no-such-key', actor: operator })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await revokeApiKey({ db, id: 'nul\u0000', actor: operator })).toMatchObject({ ok: false, code: 'not_found' });
  });
});
