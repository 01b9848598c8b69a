import { openApiDocument } from '@app/common/api';
import { NextResponse } from 'next/server';
import { env } from '@/env';

/** GET /api/v1/openapi.json: the server API's OpenAPI 3.1 document, generated from its zod schemas. Public. */
export function GET() {
  return NextResponse.json(openApiDocument({ serverUrl: env().appUrl }), { headers: { 'cache-control': 'public, max-age=300' } });
}
