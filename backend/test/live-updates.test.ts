import { DEFAULT_PROGRAM, DEFAULT_QUOTA, completeOnboarding, redeemReferralCode } from '@app/common';
import { createUser } from '@app/common/testing';
import { describe, expect, it } from 'vitest';
import { startBackend, TestClient, useTestDb } from './helpers';

// The test process plays `web`: it changes referrals through the domain, a third process.
const db = useTestDb(5);
const [first, second] = await Promise.all([startBackend(), startBackend()]);

describe('live updates across processes', () => {
  it('a redemption made by another process reaches the user\'s sockets on both backend processes', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { name: 'Grace', onboardedAt: new Date() });
    const onFirst = await TestClient.signedIn(first.url, referrer.id);
    const onSecond = await TestClient.signedIn(second.url, referrer.id);
    const friendSocket = await TestClient.signedIn(second.url, friend.id);

    const result = await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
    expect(result).toMatchObject({ ok: true, status: 'completed' });

    for (const socket of [onFirst, onSecond]) {
      expect(await socket.next((m) => m.type === 'quota-updated')).toEqual({
        type: 'quota-updated',
        quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer,
      });
      expect(await socket.next((m) => m.type === 'referral-updated')).toEqual({
        type: 'referral-updated',
        referral: { name: 'Grace', status: 'completed', createdAt: expect.any(String), completedAt: expect.any(String) },
      });
    }
    expect(await friendSocket.next((m) => m.type === 'quota-updated')).toEqual({
      type: 'quota-updated',
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferred,
    });
    // Nothing about the friend but the name reaches the referrer.
    const seen = JSON.stringify([...onFirst.messages, ...onSecond.messages]);
    expect(seen).not.toContain(friend.id);
    expect(seen).not.toContain(friend.email!);
    for (const s of [onFirst, onSecond, friendSocket]) s.close();
  });

  it('a pending referral is announced to the referrer, and its completion later brings both quotas', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { name: 'Alan' });
    const referrerSocket = await TestClient.signedIn(first.url, referrer.id);
    await redeemReferralCode({ db, userId: friend.id, input: referrer.referralCode });
    expect(await referrerSocket.next((m) => m.type === 'referral-updated')).toMatchObject({
      referral: { name: 'Alan', status: 'pending', completedAt: null },
    });
    expect(referrerSocket.messages.some((m) => m.type === 'quota-updated')).toBe(false);
    await completeOnboarding({ db, userId: friend.id });
    expect(await referrerSocket.next((m) => m.type === 'quota-updated')).toEqual({
      type: 'quota-updated',
      quota: DEFAULT_QUOTA + DEFAULT_PROGRAM.rewardReferrer,
    });
    referrerSocket.close();
  });

  it('a rolled-back redemption sends nothing', async () => {
    const referrer = await createUser(db);
    const friend = await createUser(db, { onboardedAt: new Date() });
    const sockets = [
      await TestClient.signedIn(first.url, referrer.id),
      await TestClient.signedIn(second.url, referrer.id),
      await TestClient.signedIn(first.url, friend.id),
    ];
    await expect(
      db.$client.begin(async (tx) => {
        const [row] = await tx`select * from referral_redeem(${friend.id}, ${referrer.referralCode})`;
        expect(row).toMatchObject({ result_code: 'ok', result_status: 'completed' });
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // A committed change for someone else, made after the rollback, proves the listeners are live.
    const witness = await createUser(db);
    const witnessSocket = await TestClient.signedIn(first.url, witness.id);
    const witnessFriend = await createUser(db, { onboardedAt: new Date() });
    await redeemReferralCode({ db, userId: witnessFriend.id, input: witness.referralCode });
    await witnessSocket.next((m) => m.type === 'quota-updated');
    for (const socket of sockets) expect(socket.messages.filter((m) => m.type !== 'ready')).toEqual([]);
    for (const socket of [...sockets, witnessSocket]) socket.close();
  });
});

describe('SIGTERM', () => {
  it('stops accepting, finishes the action in flight, closes with 1001 and exits 0', async () => {
    const backend = await startBackend();
    const referrer = await createUser(db);
    const friend = await createUser(db);
    const client = await TestClient.signedIn(backend.url, friend.id);

    // Hold the referrer's row so the redemption is still running when SIGTERM arrives.
    const holder = await db.$client.reserve();
    await holder`begin`;
    await holder`select id from "user" where id = ${referrer.id} for update`;
    client.send({ id: 'slow', type: 'action', action: { type: 'referral/redeem', code: referrer.referralCode } });
    await new Promise((r) => setTimeout(r, 300));

    const exit = backend.stop('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const late = new TestClient(backend.url);
    await expect(late.opened()).rejects.toThrow();
    expect(client.closed, backend.logs()).toBeNull();

    await holder`commit`;
    holder.release();
    expect(await client.next((m) => 'id' in m && m.id === 'slow')).toMatchObject({ type: 'ack', result: { status: 'pending' } });
    expect((await client.whenClosed()).code).toBe(1001);
    expect(await exit).toBe(0);
  });
});
