// `pnpm bench` (web part): the JavaScript each page makes a browser load, as
// the sum of the gzip sizes of its <script src> files, beside the same figure
// for an empty page of the same app (/bench-floor) from the same build.
// Builds web, starts `next start` on a throwaway database, measures, stops.
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { closeDb, createDb } from '@app/common/db';
import { createUser } from '@app/common/testing';
import { freePort, setUpTestDatabase } from '@app/common/testing/database';
import { encode } from 'next-auth/jwt';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const next = path.join(webDir, 'node_modules', '.bin', 'next');
const SECRET = 'page-weight-bench-secret-0123456789';
const TARGETS_KB: Record<string, number> = { landing: 10, referrals: 40 };

if (!process.argv.includes('--no-build')) {
  console.log('building web ...');
  const build = spawnSync(next, ['build'], { cwd: webDir, stdio: 'ignore', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error('next build failed');
}

const database = await setUpTestDatabase('page-weight');
const db = createDb(database.url, { max: 2 });
const member = await createUser(db, { name: 'Bench Member', onboardedAt: new Date() });
await closeDb(db);
const cookie = `next-auth.session-token=${await encode({ token: { sub: member.id, name: member.name }, secret: SECRET })}`;

const port = await freePort();
const base = `http://localhost:${port}`;
const server = spawn(next, ['start', '--port', String(port)], {
  cwd: webDir,
  stdio: 'ignore',
  env: {
    ...process.env,
    NODE_ENV: 'production',
    NEXT_TELEMETRY_DISABLED: '1',
    DATABASE_URL: database.url,
    APP_URL: base,
    AUTH_SECRET: SECRET,
    ENABLE_BENCH_FLOOR_PAGE: '1',
  },
});

async function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  for (let i = 0; i < 120; i++) {
    try {
      return await fetch(url, { headers, redirect: 'manual' });
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`no answer from ${url}`);
}

/** Sum of the gzip sizes of the scripts a page's HTML loads. */
async function scriptWeight(pagePath: string): Promise<{ files: number; gzipBytes: number }> {
  const response = await get(base + pagePath, { cookie });
  if (response.status !== 200) throw new Error(`${pagePath} answered ${response.status}`);
  const html = await response.text();
  const sources = [...new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)].map((m) => m[1]!))];
  let gzipBytes = 0;
  for (const src of sources) {
    const body = Buffer.from(await (await get(new URL(src, base).toString())).arrayBuffer());
    gzipBytes += gzipSync(body, { level: 9 }).length;
  }
  return { files: sources.length, gzipBytes };
}

try {
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  const floor = await scriptWeight('/bench-floor');
  const pages = {
    landing: await scriptWeight(`/referrals/${member.referralCode}`),
    referrals: await scriptWeight('/referrals'),
  };
  console.log('\npage JavaScript (sum of gzip sizes of <script src> files; same build)');
  console.log(`  empty page (floor)   ${kb(floor.gzipBytes).padStart(7)} KB gz  ${floor.files} files`);
  let over = false;
  for (const [name, weight] of Object.entries(pages)) {
    const extra = weight.gzipBytes - floor.gzipBytes;
    const target = TARGETS_KB[name]!;
    over ||= extra > target * 1024;
    console.log(
      `  ${(name === 'landing' ? '/referrals/[code]' : '/referrals').padEnd(20)} ${kb(weight.gzipBytes).padStart(7)} KB gz  ` +
        `${weight.files} files  +${kb(extra)} KB over the floor (target <= ${target} KB)`,
    );
  }
  if (over) console.log('  a page is over its target');
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => (server.exitCode !== null ? r(null) : server.once('exit', r)));
  await database.teardown();
}
