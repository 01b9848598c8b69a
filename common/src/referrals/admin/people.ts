import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';

/** A person as operators see them: display name as stored (maybe none) and e-mail. */
export interface AdminPerson {
  id: string;
  name: string | null;
  email: string | null;
  /** The account was deleted: nothing of the person is left but the id. */
  deleted: boolean;
}

/** The columns of an AdminPerson, from `user` or an alias of it (the referrer, the friend). */
export function personColumns<U extends Record<'id' | 'name' | 'email' | 'deletedAt', AnyPgColumn>>(
  user: U,
): Pick<U, 'id' | 'name' | 'email'> & { deleted: SQL<boolean> } {
  return { id: user.id, name: user.name, email: user.email, deleted: sql<boolean>`${user.deletedAt} is not null` };
}
