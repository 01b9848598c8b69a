import { NextResponse } from 'next/server';

/** GET /api/health/live: the process answers (docs/operations.md, "Health checks"). Never touches the database. */
export function GET() {
  return NextResponse.json({ status: 'live' }, { headers: { 'cache-control': 'no-store' } });
}
