'use server';

import { OPERATOR_REASON_MAX_LENGTH, decideReferral, deleteAccount, findUserIdByEmail, type ReferralDecision } from '@app/common';
import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { db } from '@/server/db';
import { isSameOriginRequest, requireAdmin } from '@/server/admin';

const PAGE = '/admin/referrals';

const decisionForm = z.object({
  referralId: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(1).max(OPERATOR_REASON_MAX_LENGTH),
});

/**
 * One operator decision from the page's forms (works without JavaScript):
 * same-origin check, operator check (404 for anyone else, as the page), then
 * the domain's decideReferral, which audits it. The page shows the outcome
 * from a closed set of notices (`?notice=` / `?error=`), never from text in the URL.
 */
async function decide(action: ReferralDecision, formData: FormData): Promise<never> {
  if (!(await isSameOriginRequest())) redirect(`${PAGE}?error=forbidden`);
  const admin = await requireAdmin();
  const form = decisionForm.safeParse({ referralId: formData.get('referralId') ?? '', reason: formData.get('reason') ?? '' });
  if (!form.success) {
    const reasonProblem = form.error.issues.some((i) => i.path[0] === 'reason');
    redirect(`${PAGE}?error=${reasonProblem ? 'reason' : 'invalid_input'}`);
  }
  const result = await decideReferral({
    db: await db(),
    referralId: form.data.referralId,
    action,
    actor: { id: admin.id, email: admin.email },
    reason: form.data.reason,
  });
  revalidatePath(PAGE);
  if (!result.ok) {
    // Already decided (conflict) and no such referral (not_found) are told apart.
    const key =
      result.code === 'conflict'
        ? `${action}-refused`
        : result.code === 'not_found'
          ? 'referral-not-found'
          : result.code === 'forbidden'
            ? 'own-referral'
            : result.code === 'invalid_input'
              ? 'reason'
              : result.code;
    redirect(`${PAGE}?error=${key}`);
  }
  redirect(`${PAGE}?notice=${action}`);
}

/** Held → completed: both rewards granted (exactly once). */
export async function approveReferral(formData: FormData): Promise<void> {
  await decide('approve', formData);
}

/** Pending or held → rejected: no rewards; the place under the cap is freed. */
export async function rejectReferral(formData: FormData): Promise<void> {
  await decide('reject', formData);
}

/** Completed → rejected: both rewards taken back (clawback rows in the ledger). */
export async function revokeReferral(formData: FormData): Promise<void> {
  await decide('revoke', formData);
}

const deletionForm = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  reason: z.string().trim().min(1).max(OPERATOR_REASON_MAX_LENGTH),
});

/**
 * Deletes a member's account on their request (docs/reviewing-referrals.md,
 * "Deleting an account"): by e-mail address, with a reason for the audit.
 * Same checks as the decisions; an operator cannot delete their own account here.
 */
export async function deleteMemberAccount(formData: FormData): Promise<void> {
  if (!(await isSameOriginRequest())) redirect(`${PAGE}?error=forbidden`);
  const admin = await requireAdmin();
  const form = deletionForm.safeParse({ email: formData.get('email') ?? '', reason: formData.get('reason') ?? '' });
  if (!form.success) redirect(`${PAGE}?error=${form.error.issues.some((i) => i.path[0] === 'reason') ? 'reason' : 'delete-not-found'}#delete-heading`);
  const database = await db();
  const userId = await findUserIdByEmail({ db: database, email: form.data.email });
  if (!userId) redirect(`${PAGE}?error=delete-not-found#delete-heading`);
  if (userId === admin.id) redirect(`${PAGE}?error=delete-self#delete-heading`);
  const result = await deleteAccount({
    db: database,
    userId,
    requestedBy: 'operator',
    actor: { id: admin.id, email: admin.email },
    reason: form.data.reason,
  });
  revalidatePath(PAGE);
  if (!result.ok) redirect(`${PAGE}?error=delete-not-found#delete-heading`);
  redirect(`${PAGE}?notice=deleted`);
}
