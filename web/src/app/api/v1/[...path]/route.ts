import { fail } from '@app/common';
import { errorResponse } from '@/server/route';

/** Any other path under /api/v1: the API's own 404 (docs/http-api.md, "Errors"), not the app's HTML page. */
function notFound() {
  return errorResponse(fail('not_found', { message: 'There is no such operation in this API. See /api/v1/openapi.json.' }));
}

export const GET = notFound;
export const PUT = notFound;
export const POST = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
