import { REFERRAL_EVENTS_CHANNEL, referralEventBatchSchema, type ReferralEvent } from '@app/common';
import type postgres from 'postgres';
import type { Logger } from './log';

/**
 * LISTENs on the referral channel on one dedicated connection (postgres.js
 * keeps it, and listens again after a reconnect, e.g. a database restart) and
 * hands each committed change to `onEvent`. Changes made by any process, web
 * or backend, arrive here: the domain sends NOTIFY once the change has
 * committed (batched per few ms), so only committed changes are announced.
 */
export async function listenForReferralEvents(
  sql: postgres.Sql,
  onEvent: (event: ReferralEvent) => void,
  log: Logger,
): Promise<{ unlisten: () => Promise<void> }> {
  const subscription = await sql.listen(
    REFERRAL_EVENTS_CHANNEL,
    (payload) => {
      // One NOTIFY carries a JSON array of the changes announced together.
      let events: ReferralEvent[];
      try {
        events = referralEventBatchSchema.parse(JSON.parse(payload));
      } catch (error) {
        log('error', 'unreadable referral event', { error: String(error) });
        return;
      }
      for (const event of events) onEvent(event);
    },
    () => log('info', 'listening for referral events', { channel: REFERRAL_EVENTS_CHANNEL }),
  );
  return { unlisten: () => subscription.unlisten() };
}
