import { DEFAULT_PROGRAM, DEFAULT_QUOTA, completeOnboarding } from '@app/common';
import { createUser, createUsers } from '@app/common/testing';
import { describe, expect, it, onTestFailed } from 'vitest';
import { lockUsers, sleep, untilLockWaiters } from './database';
import { describeOutcome, redeemed, redeemOverHttp, typedError, type HttpOutcome } from './http';
import { checkInvariants, referralsByReferred } from './invariants';
import { isRunning, useFaultStack } from './servers';
import { SocketClient } from './socket';

/** Longest any request or domain call may take, outage included: beyond it is a hang. */
const BOUND_MS = 10_000;
/** How soon after PostgreSQL is back a new redemption must succeed and be pushed live. */
const RECOVERY_MS = 2_000;
/** How long PostgreSQL stays down. */
const OUTAGE_MS = 1_500;

// The test process's own pool (it completes onboardings through the domain) must survive the restart too.
const stack = useFaultStack({ web: true, backend: true }, 20);

type User = Awaited<ReturnType<typeof createUser>>;

interface FriendRun {
  friend: User;
  /** The referrers whose codes this friend redeems, at the same time (a double submit when two). */
  referrers: User[];
  outcomes: HttpOutcome[];
  /** Redemptions sent again after the restart, for answers that left the client in doubt. */
  retries: HttpOutcome[];
  /** The last answer for each code: the first one, or the last retry. */
  finals: HttpOutcome[];
  completion: { ok: boolean; error?: string; ms: number } | null;
  completionRetries: number;
  /** Onboarding finished (or there was none to finish), after the retries. */
  completed: boolean;
}

/** A 200, or a typed answer that says why not (a 4xx): the client knows where it stands. */
function definitive(outcome: HttpOutcome): boolean {
  if (redeemed(outcome)) return true;
  const error = typedError(outcome);
  return error !== null && outcome.kind === 'response' && outcome.status < 500;
}

/** completeOnboarding from this process (as the /onboard action does), bounded; never throws. */
async function completeBounded(userId: string): Promise<{ ok: boolean; error?: string; ms: number }> {
  const startedAt = Date.now();
  const timeout = sleep(BOUND_MS).then(() => ({ ok: false, error: 'timeout' }));
  const call = completeOnboarding({ db: stack.db, userId }).then(
    (result) => (result.ok ? { ok: true } : { ok: false, error: result.code }),
    (error: unknown) => ({ ok: false, error: String(error) }),
  );
  const result = await Promise.race([call, timeout]);
  return { ...result, ms: Date.now() - startedAt };
}

describe('PostgreSQL restarts under load', () => {
  it('a restart during 200 redemptions and completions leaves every referral whole, and both servers recover by themselves', async () => {
    const { cluster, servers, db } = stack;
    onTestFailed(() => console.error(servers.logs()));
    const web = servers.web!;
    const backend = servers.backend!;
    const referrers = await createUsers(db, 30, { onboardedAt: new Date() });
    // Half the friends finished onboarding (a redemption completes at once), half did not (it stays pending until they do).
    const onboarded = await createUsers(db, 100, { onboardedAt: new Date() });
    const newcomers = await createUsers(db, 100);
    const friends = [...onboarded, ...newcomers];
    // For after the restart: a member with a live socket, and a friend who redeems their code.
    const watcher = await createUser(db, { onboardedAt: new Date() });
    const latecomer = await createUser(db, { onboardedAt: new Date() });
    const watcherSocket = await SocketClient.signedIn(servers.wsUrl!, servers.appUrl, watcher.id);

    // Redemptions of these three codes wait on their locks: in flight inside PostgreSQL when it stops.
    const locks = await lockUsers(db, referrers.slice(0, 3).map((r) => r.id));

    const startedAt = Date.now();
    const runs: Promise<FriendRun>[] = friends.map(async (friend, i) => {
      // Spread over 2.5 s: some before the stop, some during the outage, some after the restart.
      await sleep(Math.random() * 2_500);
      const mine = [referrers[i % 30]!, ...(i % 10 === 0 ? [referrers[(i + 7) % 30]!] : [])];
      const outcomes = await Promise.all(mine.map((r) => redeemOverHttp(web.base, friend, r.referralCode, BOUND_MS)));
      const completion = friend.onboardedAt ? null : await completeBounded(friend.id);
      return { friend, referrers: mine, outcomes, retries: [], finals: [], completion, completionRetries: 0, completed: false };
    });

    await untilLockWaiters(db, 3);
    await sleep(Math.max(0, startedAt + 1_000 - Date.now()));
    const stoppedAt = Date.now();
    await cluster.stop();
    // The backend is asked while PostgreSQL is away: it must answer, not hang or crash.
    watcherSocket.action('during-outage', { type: 'referral-code/validate', code: watcher.referralCode });
    await sleep(OUTAGE_MS);
    await cluster.start();
    const restartedAt = Date.now();
    console.log(`[faults] PostgreSQL down from +${stoppedAt - startedAt} ms to +${restartedAt - startedAt} ms`);

    // The servers answer again by themselves, soon: a new redemption over HTTP (web's pool) is
    // pushed live to the referrer's open socket (the backend's LISTEN connection, re-opened).
    await sleep(RECOVERY_MS);
    const fresh = await redeemOverHttp(web.base, latecomer, watcher.referralCode, BOUND_MS);
    const pushed = watcherSocket.next((m) => m.type === 'quota-updated', 5_000).catch((error: unknown) => error);
    expect(redeemed(fresh), describeOutcome(fresh)).toEqual({
      status: 'completed',
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred,
    });
    expect(fresh.endedAt - fresh.startedAt).toBeLessThan(5_000);
    expect(await pushed).toEqual({ type: 'quota-updated', quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer });
    console.log(
      `[faults] ${RECOVERY_MS} ms after the restart, a redemption took ${fresh.endedAt - fresh.startedAt} ms ` +
        `and was pushed ${Date.now() - fresh.endedAt} ms after its answer`,
    );

    const finished = await Promise.all(runs);
    await locks.release();

    // A client that got no definitive answer tries again; a redemption that did commit must not grant twice.
    await Promise.all(finished.map(async (run) => {
      for (const [k, outcome] of run.outcomes.entries()) {
        let last = outcome;
        for (let attempt = 0; attempt < 5 && !definitive(last); attempt++) {
          if (attempt > 0) await sleep(500);
          last = await redeemOverHttp(web.base, run.friend, run.referrers[k]!.referralCode, BOUND_MS);
          run.retries.push(last);
        }
        run.finals[k] = last;
      }
      run.completed = run.completion?.ok ?? true;
      for (let attempt = 0; attempt < 5 && !run.completed; attempt++) {
        if (attempt > 0) await sleep(500);
        run.completionRetries++;
        run.completed = (await completeBounded(run.friend.id)).ok;
      }
    }));
    const retriedAt = Date.now();

    // 1. Every request was answered, within the bound, with a 200 or a typed error of docs/http-api.md ("Errors").
    const all = finished.flatMap((r) => [...r.outcomes, ...r.retries]);
    const unclean = all.filter((o) => !redeemed(o) && !typedError(o));
    expect(unclean.map(describeOutcome), 'answers that are neither a redemption nor a typed error').toEqual([]);
    const slowest = Math.max(...all.map((o) => o.endedAt - o.startedAt));
    expect(slowest).toBeLessThan(BOUND_MS);
    // The restart really landed mid-flight: answers before it, failures because of it.
    const first = finished.flatMap((r) => r.outcomes);
    const failedByOutage = first.filter((o) => typedError(o)?.code === 'internal');
    expect(first.filter((o) => redeemed(o) && o.endedAt < stoppedAt).length).toBeGreaterThan(0);
    expect(failedByOutage.length, 'redemptions that failed during the outage').toBeGreaterThan(0);
    console.log(
      `[faults] ${first.length} redemptions: ${first.filter((o) => redeemed(o)).length} ok, ` +
        `${failedByOutage.length} internal during the outage, ${all.length - first.length} retried; ` +
        `slowest answer ${slowest} ms; completions failed by the outage: ` +
        `${finished.filter((r) => r.completion && !r.completion.ok).length}`,
    );

    // Redemptions that failed during the outage but had committed: the retry says already_referred (no second grant).
    const committedInDoubt = finished.filter((r) =>
      r.outcomes.some((o, k) => typedError(o)?.code === 'internal' && typedError(r.finals[k]!)?.code === 'already_referred'),
    ).length;
    console.log(
      `[faults] retries settled ${retriedAt - restartedAt} ms after the restart; ${committedInDoubt} friends' ` +
        'failed redemptions had committed, and their retry granted nothing more',
    );

    // 2. The retries settled every redemption and completion.
    const unsettled = finished.filter((run) => run.finals.some((o) => !definitive(o)));
    expect(unsettled.map((r) => r.finals.map(describeOutcome))).toEqual([]);
    expect(finished.filter((r) => !r.completed).map((r) => r.friend.id)).toEqual([]);
    // The completions run on this test process's own pool, not on a server. Once in CI, one of its
    // queries hung past the bound when the server died under it (postgres.js 3.4.9, see
    // docs/operations.md); its retry settled it. What the product owes is asserted above and below:
    // every completion settled, nothing half done. The servers' answers are bounded (`slowest`).
    const slowCompletion = Math.max(0, ...finished.map((r) => r.completion?.ms ?? 0));
    console.log(`[faults] slowest completion attempt on the test's own pool: ${slowCompletion} ms`);

    // 3. The database: every referral whole, none twice, no cap exceeded, quotas exact.
    const report = await checkInvariants(db.$client);
    expect(report.violations).toEqual([]);
    expect(report.quotaSum).toBe(
      DEFAULT_QUOTA * report.users + (DEFAULT_PROGRAM.rewardReferrer + DEFAULT_PROGRAM.rewardReferred) * report.completed,
    );
    expect(report.completed).toBeGreaterThan(0);
    const rows = await referralsByReferred(db.$client);
    for (const run of finished) {
      const row = rows.get(run.friend.id);
      if (run.finals.some((o) => redeemed(o))) {
        // A 200 means the referral exists, to one of the codes sent, finished (everyone finished
        // onboarding): completed, or held for review by the velocity signal (many friends at once).
        expect(row, `referral of ${run.friend.id}`).toBeDefined();
        expect(run.referrers.map((r) => r.id)).toContain(row!.referrer_id);
        expect(['completed', 'held']).toContain(row!.status);
      } else if (run.finals.every((o) => typedError(o)?.code === 'code_exhausted')) {
        expect(row, `${run.friend.id} was refused every code`).toBeUndefined();
      }
    }

    // 4. Neither server restarted; both answer again by themselves.
    expect(isRunning(web) && isRunning(backend)).toBe(true);
    const outageAnswer = await watcherSocket.next((m) => (m.type === 'ack' || m.type === 'error') && m.id === 'during-outage', BOUND_MS);
    expect(outageAnswer.type === 'ack' || (outageAnswer.type === 'error' && outageAnswer.error.code === 'internal')).toBe(true);
    const health = await fetch(`${backend.base}/healthz`);
    expect(health.status).toBe(200);

    expect(watcherSocket.malformed).toEqual([]);
    watcherSocket.close();
  });
});
