// `pnpm bench` (web part): the JavaScript each page makes a browser load, as
// the sum of the gzip sizes of its <script src> files, beside the same figure
// for an empty page of the same app (/bench-floor) from the same build.
// Starts the production web server (`pnpm build` first; `pnpm bench` does) on a
// throwaway database, measures, stops.
import { gzipSync } from 'node:zlib';
import { closeDb, createDb } from '@app/common/db';
import { createUser } from '@app/common/testing';
import { setUpTestDatabase } from '@app/common/testing/database';
import { startWeb } from '@app/common/testing/processes';
import { encode } from 'next-auth/jwt';

const SECRET = 'page-weight-bench-secret-0123456789';
const TARGETS_KB: Record<string, number> = { landing: 10, referrals: 40 };

const database = await setUpTestDatabase('page-weight');
const db = createDb(database.url, { max: 2 });
const member = await createUser(db, { name: 'Bench Member', onboardedAt: new Date() });
await closeDb(db);
const cookie = `next-auth.session-token=${await encode({ token: { sub: member.id, name: member.name }, secret: SECRET })}`;

const server = await startWeb({ DATABASE_URL: database.url, AUTH_SECRET: SECRET, ENABLE_BENCH_FLOOR_PAGE: '1' });
const base = server.base;

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
  await server.stop();
  await database.teardown();
}
