import type { ClientFingerprint } from '@app/common';
import { isLoopbackAddress } from '@app/common/net';
import { isLoopbackUrl } from '@app/common/config/auth-settings';
import { headers } from 'next/headers';
import { env } from '@/env';
import { clientAddress } from './client-address';

/**
 * Where the current request comes from (the client's address as the web
 * server decided it, and the user agent), for the fraud signals. Hashed
 * before it is stored.
 *
 * The one exception is development on this machine (NODE_ENV=development,
 * APP_URL on loopback): every browser there comes from 127.0.0.1, so two
 * windows of the README's demo would always share an address and be held.
 * There, a loopback address stands for "this account's own device"
 * (`userId`), so only the real signals (e-mail, browser, velocity) count.
 * Production never does this: a loopback client there is a proxy that is not
 * in TRUST_PROXY, and sharing its address is the warning it deserves.
 */
export async function requestFingerprint(userId: string | null = null): Promise<ClientFingerprint> {
  const h = await headers();
  const ip = clientAddress(h);
  const e = env();
  const developmentNetwork = e.nodeEnv === 'development' && isLoopbackUrl(e.appUrl) && isLoopbackAddress(ip);
  return { ip: developmentNetwork ? (userId ? `development-device:${userId}` : null) : ip, userAgent: h.get('user-agent') };
}
