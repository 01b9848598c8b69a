import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { REFERRAL_EVENTS_CHANNEL } from '../src/constants';
import { announceReferralChange, MAX_NOTIFY_PAYLOAD_BYTES } from '../src/referrals/announce';
import { useTestDb } from './helpers';

const db = useTestDb(4);

/** A change as the database functions describe it (referral_event), with real-sized ids and times. */
function event(name: string) {
  const [referrerId, referredId, at] = [randomUUID(), randomUUID(), new Date().toISOString()];
  return {
    referral: { referrerId, referredId, referredName: name, status: 'completed', createdAt: at, completedAt: at },
    quotas: [{ userId: referrerId, quota: 1500 }, { userId: referredId, quota: 1500 }],
  };
}

describe('announcing referral changes over NOTIFY', () => {
  it('batches by bytes, not characters: 14 changes with 100-character CJK names all arrive, none lost to "payload string too long"', async () => {
    const received: unknown[] = [];
    const payloadBytes: number[] = [];
    const subscription = await db.$client.listen(REFERRAL_EVENTS_CHANNEL, (payload) => {
      payloadBytes.push(Buffer.byteLength(payload, 'utf8'));
      received.push(...(JSON.parse(payload) as unknown[]));
    });
    try {
      const name = '漢'.repeat(100);
      const events = Array.from({ length: 14 }, () => event(name));
      // Together they are well over 8000 bytes but under 8000 UTF-16 units.
      expect(JSON.stringify(events).length).toBeLessThan(8000);
      expect(Buffer.byteLength(JSON.stringify(events))).toBeGreaterThan(8000);
      await Promise.all(events.map((e) => announceReferralChange(db.$client, e)));
      // Other tests' changes are announced on the same channel meanwhile: only these count.
      const ours = new Set(events.map((e) => e.referral.referredId));
      const mine = () => received.filter((e) => ours.has((e as ReturnType<typeof event>).referral.referredId));
      await expect.poll(() => mine().length, { timeout: 5000 }).toBe(14);
      expect(mine()).toEqual(events);
      expect(payloadBytes.length).toBeGreaterThan(1);
      for (const bytes of payloadBytes) expect(bytes).toBeLessThanOrEqual(MAX_NOTIFY_PAYLOAD_BYTES);
    } finally {
      await subscription.unlisten();
    }
  });
});
