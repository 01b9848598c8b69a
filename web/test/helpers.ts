import { encode } from 'next-auth/jwt';
import { NextRequest } from 'next/server';

export const APP_URL = 'http://localhost:3000';

export { useTestDb } from '@app/common/testing/use-test-db';

/** A real next-auth session cookie: the JWT next-auth itself would set, signed with AUTH_SECRET. */
export async function sessionCookie(user: { id: string; name?: string | null; email?: string | null }): Promise<string> {
  const token = await encode({
    token: { sub: user.id, name: user.name ?? null, email: user.email ?? null },
    secret: process.env.AUTH_SECRET!,
  });
  return `next-auth.session-token=${token}`;
}

export interface RequestOptions {
  method?: string;
  user?: { id: string; name?: string | null; email?: string | null };
  cookie?: string;
  origin?: string | null;
  headers?: Record<string, string>;
  body?: unknown;
  rawBody?: string;
}

/** A request as a browser on the app's origin would send it. */
export async function request(path: string, options: RequestOptions = {}): Promise<NextRequest> {
  const method = options.method ?? 'GET';
  const headers = new Headers(options.headers);
  if (options.user) headers.set('cookie', await sessionCookie(options.user));
  if (options.cookie) headers.set('cookie', options.cookie);
  const origin = options.origin === undefined ? APP_URL : options.origin;
  if (origin !== null && method !== 'GET') headers.set('origin', origin);
  let body: string | undefined;
  if (options.rawBody !== undefined) body = options.rawBody;
  else if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers.set('content-type', 'application/json');
  return new NextRequest(new URL(path, APP_URL), { method, headers, body });
}

export async function json(response: Response): Promise<{ status: number; body: Record<string, unknown> }> {
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
