// Compiles the backend for production: one ES module, dist/index.js, with the
// workspace's TypeScript (@app/common) bundled in and every npm package left as
// a plain import from node_modules. The SQL migrations and the database
// functions' definitions travel beside it.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { FUNCTIONS_FOLDER, MIGRATIONS_FOLDER } from '@app/common/db';

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(backendDir, 'dist');

// Bundle relative imports and @app/* (TypeScript source); keep npm packages external.
const externalPackages: Plugin = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@app/') || args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
    );
  },
};

rmSync(outDir, { recursive: true, force: true });
await build({
  entryPoints: [path.join(backendDir, 'src/index.ts')],
  outfile: path.join(outDir, 'index.js'),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: true,
  plugins: [externalPackages],
  logLevel: 'warning',
});
cpSync(MIGRATIONS_FOLDER, path.join(outDir, 'migrations'), { recursive: true });
cpSync(FUNCTIONS_FOLDER, path.join(outDir, 'functions'), { recursive: true });
console.log(`backend built: ${path.relative(process.cwd(), path.join(outDir, 'index.js'))}`);
