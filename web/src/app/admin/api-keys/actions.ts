'use server';

import { createApiKey, revokeApiKey, type ApiKey } from '@app/common';
import { redirect } from 'next/navigation';
import { revalidatePath } from 'next/cache';
import { CROSS_ORIGIN_FORM_MESSAGE, isSameOriginRequest, requireAdmin } from '@/server/admin';
import { db } from '@/server/db';

const PAGE = '/admin/api-keys';

/** What the form shows: the key just made (once, never again), or why nothing was made. */
export interface ApiKeyFormState {
  created: { key: string; apiKey: ApiKey } | null;
  error: string | null;
}

/**
 * Makes an API key (docs/integration.md, "API keys"): same-origin check,
 * operator check (404 for anyone else), then createApiKey, which validates
 * the name and scopes. The key goes back to this one response only: it is
 * never in a URL, a log or the database.
 */
export async function createKey(_previous: ApiKeyFormState, formData: FormData): Promise<ApiKeyFormState> {
  if (!(await isSameOriginRequest())) return { created: null, error: CROSS_ORIGIN_FORM_MESSAGE };
  const admin = await requireAdmin();
  const result = await createApiKey({
    db: await db(),
    input: {
      name: formData.get('name') ?? '',
      scopes: formData.getAll('scopes'),
      rateLimitPerMinute: formData.get('rateLimitPerMinute') || undefined,
    },
    actor: { id: admin.id, email: admin.email },
  });
  revalidatePath(PAGE);
  if (!result.ok) return { created: null, error: result.message };
  return { created: { key: result.key, apiKey: result.apiKey }, error: null };
}

/** Revokes a key at once: the next request with it gets 401. */
export async function revokeKey(formData: FormData): Promise<void> {
  if (!(await isSameOriginRequest())) redirect(`${PAGE}?error=forbidden`);
  const admin = await requireAdmin();
  const id = formData.get('id');
  const result = await revokeApiKey({ db: await db(), id: typeof id === 'string' ? id : '', actor: { email: admin.email } });
  revalidatePath(PAGE);
  redirect(result.ok ? `${PAGE}?notice=revoked` : `${PAGE}?error=${result.code}`);
}
