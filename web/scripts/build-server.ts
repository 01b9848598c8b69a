// Compiles web/server.ts (the web app's HTTP server, around Next.js) for
// production: dist/server.js, started by `pnpm start` (see
// common/src/build/bundle-node.ts). `next build` builds the app itself.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleNodeEntry } from '@app/common/build';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(webDir, 'dist');

rmSync(outDir, { recursive: true, force: true });
await bundleNodeEntry({ entry: path.join(webDir, 'server.ts'), outfile: path.join(outDir, 'server.js') });
console.log(`web server built: ${path.relative(process.cwd(), path.join(outDir, 'server.js'))}`);
