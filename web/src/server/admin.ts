import { headers } from 'next/headers';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { env } from '@/env';
import { isCrossOrigin } from '@/server/csrf';

import { currentProfile } from '@/server/profile';

/** An operator: a signed-in user whose e-mail is in ADMIN_EMAILS. */
export interface Admin {
  id: string;
  email: string;
  name: string | null;
}

/**
 * Whether `email` is one of `adminEmails` (already lower case, see
 * parseAdminEmails): exact address, case-insensitive, surrounding spaces
 * ignored. No Gmail-style folding: `ops+x@example.com` is not `ops@example.com`.
 */
export function isAdminEmail(email: string | null | undefined, adminEmails: readonly string[]): boolean {
  const normalized = email?.trim().toLowerCase();
  return !!normalized && adminEmails.includes(normalized);
}

/**
 * The operator of this request, or null. The session only says who the user
 * is; whether they are an operator is decided here, from the e-mail address
 * stored in the database now (not one copied into the session token at
 * sign-in), against ADMIN_EMAILS, and only when the sign-in provider verified
 * that address (`emailVerified`): an address anyone can claim opens nothing.
 * The one place that makes this decision (docs/reviewing-referrals.md).
 */
export const currentAdmin = cache(async (): Promise<Admin | null> => {
  const adminEmails = env().adminEmails;
  if (adminEmails.length === 0) return null;
  const profile = await currentProfile();
  if (!profile?.email || !profile.emailVerified || !isAdminEmail(profile.email, adminEmails)) return null;
  return { id: profile.id, email: profile.email.trim().toLowerCase(), name: profile.name };
});

/**
 * The operator, or a 404 for everyone else (signed out included): the admin
 * pages and their actions do not tell anyone else that they exist.
 */
export async function requireAdmin(): Promise<Admin> {
  const admin = await currentAdmin();
  if (!admin) notFound();
  return admin;
}

/**
 * The CSRF rule of the API (docs/security.md, "5. Cross-site request forgery") for server actions: a request whose
 * `Origin` is present and not the app's, or which says it is cross-site, is
 * refused. (Next.js also compares Origin with Host before any action runs.)
 */
export async function isSameOriginRequest(): Promise<boolean> {
  return !isCrossOrigin(await headers(), env().appUrl);
}

/** What an operator form answers when isSameOriginRequest refuses it. */
export const CROSS_ORIGIN_FORM_MESSAGE = 'This form must be sent from the operator page itself.';
