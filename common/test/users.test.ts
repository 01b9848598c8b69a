import { describe, expect, it } from 'vitest';
import { findOrCreateUserByEmail, getUserProfile, updateUserName } from '../src/users/users';
import { useTestDb } from './helpers';

const db = useTestDb(20);

describe('users', () => {
  it('creates a user on first dev sign-in and finds the same one afterwards, whatever the case', async () => {
    const email = `Mixed.Case-${crypto.randomUUID()}@Example.test`;
    const first = await findOrCreateUserByEmail({ db, email, name: 'Ada' });
    const again = await findOrCreateUserByEmail({ db, email: email.toUpperCase() });
    expect(again.id).toBe(first.id);
    expect(first).toMatchObject({ name: 'Ada', email: email.toLowerCase(), onboardedAt: null });
  });

  it('ends with one user when the same e-mail signs in 10 times at once', async () => {
    const email = `race-${crypto.randomUUID()}@example.test`;
    const results = await Promise.all(Array.from({ length: 10 }, () => findOrCreateUserByEmail({ db, email })));
    expect(new Set(results.map((u) => u.id)).size).toBe(1);
  });

  it('reads and renames a profile; an unknown id has none', async () => {
    const user = await findOrCreateUserByEmail({ db, email: `p-${crypto.randomUUID()}@example.test` });
    await updateUserName({ db, userId: user.id, name: 'Grace' });
    expect(await getUserProfile({ db, userId: user.id })).toMatchObject({ name: 'Grace', createdAt: expect.any(Date) });
    expect(await getUserProfile({ db, userId: 'nobody' })).toBeNull();
    expect(await getUserProfile({ db, userId: '' })).toBeNull();
  });
});
