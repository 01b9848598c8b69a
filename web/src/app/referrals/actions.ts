'use server';

import { deleteAccount } from '@app/common';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { db } from '@/server/db';
import { signInHref } from '@/server/links';
import { DELETE_CONFIRMATION_WORD } from './messages';
import { redeemFromForm, regenerateFromForm } from '@/server/member-forms';
import { currentUser } from '@/server/session';

async function signedIn() {
  const user = await currentUser();
  if (!user) redirect(signInHref('/referrals'));
  return user;
}

/** The page's "get a new code" form (works without JavaScript too). */
export async function regenerateCode(): Promise<void> {
  const user = await signedIn();
  redirect(`/referrals?${await regenerateFromForm(user.id)}`);
}

/** The page's "enter a friend's code or paste a link" form. */
export async function redeemCode(formData: FormData): Promise<void> {
  const user = await signedIn();
  redirect(`/referrals?${await redeemFromForm(user.id, formData)}`);
}

/**
 * The page's "delete my account" form (docs/user-flows.md): the member types
 * the confirmation word; the account is deleted (deleteAccount: the person's
 * data erased, referrals and ledger kept) and they are signed out.
 */
export async function deleteMyAccount(formData: FormData): Promise<void> {
  const user = await signedIn();
  const typed = String(formData.get('confirm') ?? '').trim().toLowerCase();
  if (typed !== DELETE_CONFIRMATION_WORD) redirect('/referrals?error=delete-confirm#delete-heading');
  const result = await deleteAccount({ db: await db(), userId: user.id, requestedBy: 'member' });
  if (!result.ok && result.code !== 'unauthenticated') redirect(`/referrals?error=${result.code}`);
  // Signed out: sessions are JWTs in next-auth's cookies (split in chunks when long).
  const jar = await cookies();
  for (const { name } of jar.getAll()) {
    if (/^(__Secure-)?next-auth\.session-token(\.\d+)?$/.test(name)) jar.delete(name);
  }
  redirect('/?notice=account-deleted');
}
