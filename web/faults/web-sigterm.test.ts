import { DEFAULT_PROGRAM, DEFAULT_QUOTA } from '@app/common';
import { createUser, createUsers } from '@app/common/testing';
import { describe, expect, it, onTestFailed } from 'vitest';
import { lockUsers, sleep, untilLockWaiters } from './database';
import { describeOutcome, redeemed, redeemOverHttp, typedError, untilAccepted, type HttpOutcome } from './http';
import { checkInvariants, referralsByReferred } from './invariants';
import { useFaultStack } from './servers';

/** Longest a request may take: the drain must not leave one hanging. */
const BOUND_MS = 15_000;

const stack = useFaultStack({ web: true, backend: false });

describe('web SIGTERM under HTTP load', () => {
  it('finishes the redemptions in flight, refuses new ones, exits, and leaves nothing half done', async () => {
    const { servers, db } = stack;
    onTestFailed(() => console.error(servers.logs()));
    const web = servers.web!;
    const referrers = await createUsers(db, 16, { onboardedAt: new Date() });
    // 70 friends finished onboarding (their redemption completes at once), 30 did not (it stays pending).
    const friends = [...(await createUsers(db, 70, { onboardedAt: new Date() })), ...(await createUsers(db, 30))];
    const latecomers = await createUsers(db, 5, { onboardedAt: new Date() });
    const lateReferrer = await createUser(db, { onboardedAt: new Date() });
    const referrerOf = (i: number) => referrers[i % referrers.length]!;

    // Redemptions of half the codes wait on these locks: the requests are in flight at SIGTERM.
    const locks = await lockUsers(db, referrers.slice(0, 8).map((r) => r.id));
    const requests: Promise<HttpOutcome>[] = friends.map((friend, i) =>
      redeemOverHttp(web.base, friend, referrerOf(i).referralCode, BOUND_MS),
    );
    // The blocked ones fill web's pool (10 connections); every other request waits behind them.
    await untilLockWaiters(db, 10);
    await sleep(300);
    // Every request has reached the server (none still in the kernel's accept queue, which closing
    // the listener resets: on a busy machine the event loop may not have accepted them all yet).
    await untilAccepted(Number(new URL(web.base).port));

    const sigtermAt = Date.now();
    web.child.kill('SIGTERM');
    // New requests after SIGTERM: refused at the door, or answered; never half done.
    await sleep(100);
    const late = await Promise.all(latecomers.map((u) => redeemOverHttp(web.base, u, lateReferrer.referralCode, 5_000)));
    await sleep(200);
    await locks.release();

    const outcomes = await Promise.all(requests);
    const exitCode = await Promise.race([web.exited, sleep(20_000).then(() => 'still running')]);
    console.log(
      `[faults] web exited ${String(exitCode)} ${Date.now() - sigtermAt} ms after SIGTERM; ` +
        `${outcomes.filter((o) => o.endedAt > sigtermAt).length} of ${outcomes.length} requests answered after it; ` +
        `late: ${late.map((o) => (o.kind === 'response' ? o.status : 'refused')).join(', ')}`,
    );

    // Every request in flight at SIGTERM was answered: a 200 or a typed error of docs/http-api.md ("Errors"), none cut off.
    expect(outcomes.filter((o) => o.endedAt > sigtermAt).length, 'requests answered after SIGTERM').toBeGreaterThan(0);
    const unclean = outcomes.filter((o) => !redeemed(o) && !typedError(o));
    expect(unclean.map(describeOutcome)).toEqual([]);

    // The process drains and exits by itself, cleanly (web/server.ts).
    expect(exitCode).toBe(0);

    // Every 200 has its referral, whole; every refusal left nothing.
    const rows = await referralsByReferred(db.$client);
    outcomes.forEach((outcome, i) => {
      const friend = friends[i]!;
      const row = rows.get(friend.id);
      const ok = redeemed(outcome);
      if (ok) {
        // Onboarded friends finish at once: completed, or held for review when many friends of one
        // referrer arrive within minutes (the velocity signal). Only a completed one is rewarded.
        expect(friend.onboardedAt ? ['completed', 'held'] : ['pending']).toContain(ok.status);
        expect(ok.quota).toBe(ok.status === 'completed' ? DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred : DEFAULT_QUOTA);
        expect(row).toMatchObject({ referrer_id: referrerOf(i).id, status: ok.status });
      } else {
        expect(typedError(outcome)?.code, describeOutcome(outcome)).toBe('code_exhausted');
        expect(row).toBeUndefined();
      }
    });
    // 16 referrers, 5 referrals each at most: 80 of the 100 succeed.
    expect(outcomes.filter((o) => redeemed(o)).length).toBe(80);

    // A late request was refused at the door (nothing done) or answered cleanly (and then done whole).
    late.forEach((outcome, i) => {
      const row = rows.get(latecomers[i]!.id);
      if (outcome.kind === 'transport') {
        expect(outcome.timeout, describeOutcome(outcome)).toBe(false);
        expect(row).toBeUndefined();
      } else if (redeemed(outcome)) {
        expect(row).toMatchObject({ status: redeemed(outcome)!.status });
      } else {
        expect(typedError(outcome), describeOutcome(outcome)).not.toBeNull();
      }
    });

    const report = await checkInvariants(db.$client);
    expect(report.violations).toEqual([]);
  });
});
