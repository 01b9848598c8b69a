import { databaseReadiness } from '@app/common/db';
import { NextResponse } from 'next/server';
import { db } from '@/server/db';
import { isDraining } from '@/server/draining';

/**
 * GET /api/health/ready (docs/operations.md, "Health checks"): 200 when this
 * process should get traffic: not shutting down, the database answers, and
 * its migrations and functions are this build's; else 503 with the problems.
 */
export async function GET() {
  const problems: string[] = [];
  if (isDraining()) problems.push('draining: shutting down');
  const readiness = await db().then(
    (database) => databaseReadiness(database.$client),
    () => ({ ready: false, problems: ['database: unreachable'], migrations: null }),
  );
  problems.push(...readiness.problems);
  const ready = problems.length === 0;
  return NextResponse.json(
    { status: ready ? 'ready' : 'not_ready', problems, migrations: readiness.migrations },
    { status: ready ? 200 : 503, headers: { 'cache-control': 'no-store' } },
  );
}
