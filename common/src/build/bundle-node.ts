// How the servers are compiled for production: one ES module per entry, with
// the workspace's TypeScript (@app/common) bundled in and every npm package
// left as a plain import from node_modules (backend/scripts/build.ts,
// web/scripts/build-server.ts).
import { build, type Plugin } from 'esbuild';

// Bundle relative imports and @app/* (TypeScript source); keep npm packages external.
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@app/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
    );
  },
};

export async function bundleNodeEntry(options: { entry: string; outfile: string }): Promise<void> {
  await build({
    entryPoints: [options.entry],
    outfile: options.outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    plugins: [externalPackages],
    logLevel: 'warning',
  });
}
