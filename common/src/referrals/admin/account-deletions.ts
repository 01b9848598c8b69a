import { desc, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { accountDeletions } from '../../db/schema';
import { clampCount } from './limit';

/** One deleted account, as the audit keeps it: when, by whom, why. Nothing of the person is left. */
export interface AccountDeletionEntry {
  id: number;
  createdAt: Date;
  requestedBy: 'member' | 'operator';
  /** The operator, as recorded at the time (null when the member deleted their own account). */
  actorEmail: string | null;
  reason: string | null;
}

/** Account deletions, newest first. */
export async function getRecentAccountDeletions(options: { db: Db; limit?: number }): Promise<AccountDeletionEntry[]> {
  const limit = clampCount(options.limit ?? 20, 500);
  const a = accountDeletions;
  return options.db
    .select({
      id: a.id,
      createdAt: a.createdAt,
      // A text column; its check constraint (account_deletion_requested_by) holds it to these two.
      requestedBy: sql<AccountDeletionEntry['requestedBy']>`${a.requestedBy}`,
      actorEmail: a.actorEmail,
      reason: a.reason,
    })
    .from(a)
    .orderBy(desc(a.createdAt), desc(a.id))
    .limit(limit);
}
