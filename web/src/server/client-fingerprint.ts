import type { ClientFingerprint } from '@app/common';
import { headers } from 'next/headers';
import { clientAddress } from './client-address';

/**
 * Where the current request comes from (the client's address as the web
 * server decided it, and the user agent), for the fraud signals. Hashed
 * before it is stored.
 */
export async function requestFingerprint(): Promise<ClientFingerprint> {
  const h = await headers();
  return { ip: clientAddress(h), userAgent: h.get('user-agent') };
}
