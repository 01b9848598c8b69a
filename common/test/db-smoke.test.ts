import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUOTA } from '../src/constants';
import { referrals } from '../src/db/schema';
import { isReferralCode } from '../src/referrals/parse-referral-input';
import { createUser } from '../src/testing/factories';
import { useTestDb } from './helpers';

const db = useTestDb();

describe('database smoke test', () => {
  it('has the migrated tables', async () => {
    const rows = await db.execute<{ table_name: string }>(sql`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`);
    expect(rows.map((r) => r.table_name)).toEqual([
      'account',
      'account_deletion',
      'api_idempotency',
      'api_key',
      'disposable_email_domain',
      'erased_identity',
      'program_overview',
      'quota_grant',
      'referral',
      'referral_decision',
      'referral_landing_day',
      'referral_landing_total',
      'referral_landing_view',
      'referral_program',
      'schema_function',
      'session',
      'user',
      'user_address_history',
      'verification_token',
      'webhook_event',
      'ws_token_use',
    ]);
  });

  it('gives every new user the default quota and a ref-+UUID code from the SQL default', async () => {
    const user = await createUser(db);
    expect(user.quota).toBe(DEFAULT_QUOTA);
    expect(isReferralCode(user.referralCode)).toBe(true);
    const [raw] = await db.execute<{ referral_code: string }>(
      sql`insert into "user" (id, email) values (gen_random_uuid()::text, gen_random_uuid()::text) returning referral_code`,
    );
    expect(isReferralCode(raw!.referral_code)).toBe(true);
  });

  it('refuses a self-referral and a second referral of one user at the database level', async () => {
    const [a, b, c] = await Promise.all([createUser(db), createUser(db), createUser(db)]);
    await expect(db.insert(referrals).values({ referrerId: a.id, referredId: a.id, programVersion: 1 })).rejects.toMatchObject({
      cause: { code: '23514' },
    });
    await db.insert(referrals).values({ referrerId: a.id, referredId: b.id, programVersion: 1 });
    await expect(db.insert(referrals).values({ referrerId: c.id, referredId: b.id, programVersion: 1 })).rejects.toMatchObject({
      cause: { code: '23505' },
    });
  });

  it('refuses a completed referral without completed_at', async () => {
    const [a, b] = await Promise.all([createUser(db), createUser(db)]);
    await expect(
      db.insert(referrals).values({ referrerId: a.id, referredId: b.id, status: 'completed', programVersion: 1 }),
    ).rejects.toMatchObject({ cause: { code: '23514' } });
  });
});
