'use server';

import { verifyPortalSession } from '@app/common';
import { redirect } from 'next/navigation';
import { env } from '@/env';
import { redeemFromForm, regenerateFromForm } from '@/server/member-forms';

/**
 * The embedded portal's forms (docs/integration.md, "The embedded portal"):
 * the member is the one of the portal session the form carries (a hidden
 * field, never a cookie); a forged or expired one gets the "reload" page.
 */
function portalMember(formData: FormData): { userId: string; session: string } {
  const session = String(formData.get('session') ?? '');
  const userId = verifyPortalSession(session, env().authSecret);
  if (!userId) redirect('/embed/portal');
  return { userId, session };
}

function back(session: string, result: URLSearchParams): never {
  result.set('session', session);
  redirect(`/embed/portal?${result}`);
}

export async function portalRedeem(formData: FormData): Promise<void> {
  const { userId, session } = portalMember(formData);
  back(session, await redeemFromForm(userId, formData));
}

export async function portalRegenerate(formData: FormData): Promise<void> {
  const { userId, session } = portalMember(formData);
  back(session, await regenerateFromForm(userId));
}
