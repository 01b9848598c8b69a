import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { headers } from 'next/headers';
import type { ReactNode } from 'react';
import { currentAdmin } from '@/server/admin';
import { EMBED_REQUEST_HEADER } from '@/server/embed';
import { currentUser } from '@/server/session';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Referrals', template: '%s · Referrals' },
  description: 'Invite friends, and both of you get more quota.',
};

// Every page depends on the visitor's session: render on each request, never at build time.
export const dynamic = 'force-dynamic';

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The embedded portal is a part of the host's page: no site header, no sign-in links (src/server/embed.ts).
  if ((await headers()).get(EMBED_REQUEST_HEADER) === '1') {
    return (
      <html lang="en">
        <body className="embedded">
          <main id="main">{children}</main>
        </body>
      </html>
    );
  }
  const [user, admin] = await Promise.all([currentUser(), currentAdmin()]);
  return (
    <html lang="en">
      <body>
        <a className="skip" href="#main">Skip to content</a>
        <header className="site">
          <Link className="brand" href="/">Referrals</Link>
          <nav aria-label="Main">
            {user ? (
              <>
                <Link href="/referrals">Your referrals</Link>
                {admin && <Link href="/admin/referrals">Operator</Link>}
                <a href="/api/auth/signout">Sign out</a>
              </>
            ) : (
              <a href="/api/auth/signin?callbackUrl=%2Freferrals">Sign in</a>
            )}
          </nav>
        </header>
        <main id="main">{children}</main>
      </body>
    </html>
  );
}
