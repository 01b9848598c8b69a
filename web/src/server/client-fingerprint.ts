import type { ClientFingerprint } from '@app/common';
import { headers } from 'next/headers';
import { clientKey } from './rate-limit';

/**
 * Where the current request comes from (address as the rate limiter sees it,
 * and the user agent), for the fraud signals. Hashed before it is stored.
 */
export async function requestFingerprint(): Promise<ClientFingerprint> {
  const h = await headers();
  const ip = clientKey(h);
  return { ip: ip === 'unknown' ? null : ip, userAgent: h.get('user-agent') };
}
