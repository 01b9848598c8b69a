// The program's settings reach every process at once (docs/referral-rules.md,
// "The program's settings"): two backend processes answer with the version
// saved by a third process (this test, as the web app would), on their next
// action, with no restart. On a database of its own: it changes the program.
import { DEFAULT_PROGRAM, updateProgram, type ProgramSettings, type ServerMessage } from '@app/common';
import { createUser } from '@app/common/testing';
import { useOwnTestDb } from '@app/common/testing/use-test-db';
import { beforeAll, describe, expect, it } from 'vitest';
import { startBackend, TestClient, type RunningBackend } from './helpers';

const own = useOwnTestDb(4);
let backends: RunningBackend[] = [];
beforeAll(async () => {
  backends = await Promise.all([startBackend({ DATABASE_URL: own.url() }), startBackend({ DATABASE_URL: own.url() })]);
});

let nextId = 0;
async function act(client: TestClient, action: Record<string, unknown>): Promise<ServerMessage> {
  const id = `p${++nextId}`;
  client.send({ id, type: 'action', action });
  return client.next((m) => 'id' in m && m.id === id);
}

async function save(change: Partial<ProgramSettings>) {
  const result = await updateProgram({
    db: own.db(),
    settings: { ...(structuredClone(DEFAULT_PROGRAM) as ProgramSettings), ...change },
    actor: { id: null, email: 'operator@example.test' },
    reason: 'test',
  });
  if (!result.ok) throw new Error(result.message);
}

describe('a program change in every backend process', () => {
  it('the next validate on either process shows the new rewards; the cap and the regenerations apply on both', async () => {
    const db = own.db();
    const referrer = await createUser(db, { name: 'Ada' });
    const [friend, other, member] = await Promise.all([createUser(db), createUser(db), createUser(db)]);
    const clients = await Promise.all(backends.map((b) => TestClient.signedIn(b.url, member.id)));
    for (const client of clients) {
      expect(await act(client, { type: 'referral-code/validate', code: referrer.referralCode })).toMatchObject({
        type: 'ack',
        result: { rewards: { referrer: DEFAULT_PROGRAM.rewardReferrer, referred: DEFAULT_PROGRAM.rewardReferred } },
      });
    }

    await save({ rewardReferrer: 900, rewardReferred: 400, maxReferralsPerReferrer: 1, regenerationsPerDay: 1 });
    for (const client of clients) {
      expect(await act(client, { type: 'referral-code/validate', code: referrer.referralCode })).toMatchObject({
        type: 'ack',
        result: { rewards: { referrer: 900, referred: 400 } },
      });
    }

    // The cap of 1: the friend's redemption on one process uses it up for the other.
    const friendClient = await TestClient.signedIn(backends[0]!.url, friend.id);
    const otherClient = await TestClient.signedIn(backends[1]!.url, other.id);
    expect(await act(friendClient, { type: 'referral/redeem', code: referrer.referralCode })).toMatchObject({ type: 'ack' });
    expect(await act(otherClient, { type: 'referral/redeem', code: referrer.referralCode })).toMatchObject({
      type: 'error',
      error: { code: 'code_exhausted' },
    });

    // One regeneration a day, counted once for both processes.
    expect(await act(clients[0]!, { type: 'referral-code/generate' })).toMatchObject({ type: 'ack', result: { regenerationsLeftToday: 0 } });
    expect(await act(clients[1]!, { type: 'referral-code/generate' })).toMatchObject({ type: 'error', error: { code: 'rate_limited' } });
    for (const client of [...clients, friendClient, otherClient]) client.close();
  });
});
