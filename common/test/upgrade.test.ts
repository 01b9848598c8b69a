// Upgrading in place (docs/operations.md, "Upgrading"): a database built and
// used by the previous release (test/fixtures/release-2026-11-26.sql, made by
// commit 116890f through its own calls; test/fixtures/README.md says how and
// what it holds) is migrated by this release's migrate(). Its data and ledger
// stay intact, the reasons become codes, everything is version 1 of the
// program, every database function has one definition, and the rules work.
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '../src/constants';
import { closeDb, createDb, type Db } from '../src/db/client';
import { countFunctionDefinitions, DATABASE_FUNCTIONS } from '../src/db/functions';
import { migrate } from '../src/db/migrate';
import { createThrowawayDatabase, type ThrowawayDatabase } from '../src/db/throwaway';
import { completeOnboarding } from '../src/referrals/complete-onboarding';
import { decideReferral } from '../src/referrals/decide-referral';
import { findLedgerViolations } from '../src/referrals/ledger';
import { getProgram } from '../src/referrals/program';
import { redeemReferralCode } from '../src/referrals/redeem-referral-code';
import { createUser, getUser } from '../src/testing/factories';

const FIXTURE = new URL('./fixtures/release-2026-11-26.sql', import.meta.url);

let database: ThrowawayDatabase;
let db: Db;
/** What the previous release left, read before the upgrade. */
let before: {
  quotas: Record<string, number>;
  referrals: { referred_id: string; referrer_id: string; status: string; risk_score: number; signals: string[] }[];
  grants: number;
};

async function snapshot(sql: postgres.Sql) {
  const quotas = Object.fromEntries(
    (await sql<{ id: string; quota: number }[]>`select id, quota from "user" order by id`).map((u) => [u.id, u.quota]),
  );
  const referrals = await sql<{ referred_id: string; referrer_id: string; status: string; risk_score: number; signals: string[] }[]>`
    select referred_id, referrer_id, status::text as status, risk_score, signals from referral order by referred_id`;
  const [row] = await sql<{ grants: number }[]>`select count(*)::int as grants from quota_grant`;
  return { quotas, referrals: [...referrals], grants: row!.grants };
}

beforeAll(async () => {
  database = await createThrowawayDatabase(inject('databaseUrl'), 'referrals_upgrade_test');
  // The dump empties the search_path of the connection that restores it: that one is closed afterwards.
  const restore = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    await restore.unsafe(readFileSync(FIXTURE, 'utf8'));
  } finally {
    await restore.end({ timeout: 5 });
  }
  const sql = postgres(database.url, { max: 1, onnotice: () => {} });
  try {
    before = await snapshot(sql);
  } finally {
    await sql.end({ timeout: 5 });
  }
  await migrate(database.url);
  db = createDb(database.url, { max: 4 });
});

afterAll(async () => {
  if (db) await closeDb(db);
  await database?.drop();
});

describe('upgrading the previous release in place', () => {
  it('keeps every quota, referral and ledger row, and the invariant holds', async () => {
    expect(Object.keys(before.quotas)).toHaveLength(30);
    expect(before.referrals).toHaveLength(13);
    const after = await snapshot(db.$client);
    expect(after).toEqual(before);
    expect(Object.values(after.quotas).reduce((a, b) => a + b, 0)).toBe(36_000);
    expect(after.quotas.u01).toBe(3000);
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  });

  it('gives every referral and ledger row version 1, the defaults, and turns the reasons into codes', async () => {
    expect(await getProgram({ db })).toMatchObject({ version: 1, createdBy: null, ...DEFAULT_PROGRAM });
    const referrals = await db.$client<{ referred_id: string; status: string; program_version: number; scored: number | null; reason: string | null }[]>`
      select referred_id, status::text as status, program_version, scored_program_version as scored, status_reason as reason
      from referral order by referred_id`;
    expect(referrals.every((r) => r.program_version === 1)).toBe(true);
    expect(referrals.every((r) => r.scored === (r.status === 'pending' ? null : 1))).toBe(true);
    expect(Object.fromEntries(referrals.filter((r) => r.reason !== null).map((r) => [r.referred_id, r.reason]))).toEqual({
      u09: 'revoked_after_review',
      u12: 'rejected_after_review',
      u14: 'under_review',
      u15: 'under_review',
      u16: 'rejected_after_review',
    });
    expect(await db.$client`select distinct program_version from quota_grant`).toEqual([{ program_version: 1 }]);
  });

  it('leaves exactly one definition of each database function: the dead copies and the old signatures are gone', async () => {
    const rows = await countFunctionDefinitions(db.$client);
    expect([...rows]).toEqual([...DATABASE_FUNCTIONS].sort().map((name) => ({ name, definitions: 1 })));
  });

  it('goes on working: a new friend redeems and completes, a held referral is approved with the rewards of its version', async () => {
    const friend = await createUser(db);
    expect(await redeemReferralCode({ db, userId: friend.id, input: 'ref-00000000-0000-4000-8000-000000000017' })).toMatchObject({
      ok: true,
      status: 'pending',
    });
    expect(await completeOnboarding({ db, userId: friend.id })).toMatchObject({ ok: true, referral: { status: 'completed' } });
    expect((await getUser(db, 'u17')).quota).toBe(before.quotas.u17! + DEFAULT_PROGRAM.rewardReferrer);
    // u01 is at the cap, as before.
    const late = await createUser(db);
    expect(await redeemReferralCode({ db, userId: late.id, input: 'ref-00000000-0000-4000-8000-000000000001' })).toMatchObject({
      code: 'code_exhausted',
    });
    expect(await decideReferral({ db, referralId: 'u14', action: 'approve', actor: { id: 'u30', email: 'u30@example.test' }, reason: 'checked' })).toMatchObject({
      ok: true,
      status: 'completed',
    });
    expect((await getUser(db, 'u14')).quota).toBe(DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred);
    expect(await findLedgerViolations(db.$client)).toEqual([]);
  });

  it('running migrate() again changes nothing', async () => {
    const now = await snapshot(db.$client);
    await migrate(database.url);
    expect(await snapshot(db.$client)).toEqual(now);
  });
});
