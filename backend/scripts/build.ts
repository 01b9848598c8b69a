// Compiles the backend for production: one ES module, dist/index.js (see
// common/src/build/bundle-node.ts). The SQL migrations and the database
// functions' definitions travel beside it.
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleNodeEntry } from '@app/common/build';
import { FUNCTIONS_FOLDER, MIGRATIONS_FOLDER } from '@app/common/db';

const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(backendDir, 'dist');

rmSync(outDir, { recursive: true, force: true });
await bundleNodeEntry({ entry: path.join(backendDir, 'src/index.ts'), outfile: path.join(outDir, 'index.js') });
cpSync(MIGRATIONS_FOLDER, path.join(outDir, 'migrations'), { recursive: true });
cpSync(FUNCTIONS_FOLDER, path.join(outDir, 'functions'), { recursive: true });
console.log(`backend built: ${path.relative(process.cwd(), path.join(outDir, 'index.js'))}`);
