// The OpenAPI 3.1 document of the server API (docs/integration.md, "The API"),
// generated from the operations and their zod schemas (./operations.ts): the
// web app serves it at /api/v1/openapi.json.
import { z } from 'zod';
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiPathsObject } from 'zod-openapi';
import { HTTP_STATUS_BY_ERROR_CODE, type ErrorCode } from '../errors';
import { API_OPERATIONS, operationErrors, type ApiOperation } from './operations';
import { errorBodySchema } from './schemas';

export const API_VERSION = '1.0.0';

const idempotencyKeyHeader = z
  .string()
  .max(255)
  .optional()
  .meta({ description: 'Any string up to 255 characters: a retry with the same key gets the first answer and changes nothing twice (kept 24 hours).' });

/** The error responses of an operation, one per status, each listing the codes it may carry. */
function errorResponses(op: ApiOperation) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of operationErrors(op)) {
    const status = HTTP_STATUS_BY_ERROR_CODE[code];
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return Object.fromEntries(
    [...byStatus].map(([status, codes]) => [
      String(status),
      {
        description: codes.map((c) => `\`${c}\``).join(', '),
        ...(status === 429 ? { headers: z.object({ 'retry-after': z.string().meta({ description: 'Whole seconds to wait.' }) }) } : {}),
        content: { 'application/json': { schema: errorBodySchema(codes) } },
      },
    ]),
  );
}

function toOperation(name: string, op: ApiOperation): ZodOpenApiOperationObject {
  return {
    operationId: name,
    summary: op.summary,
    description: op.description,
    security: [{ apiKey: [] }],
    'x-scope': op.scope,
    requestParams: {
      ...(op.params ? { path: op.params } : {}),
      ...(op.query ? { query: op.query } : {}),
      ...(op.method === 'post' ? { header: z.object({ 'idempotency-key': idempotencyKeyHeader }) } : {}),
    },
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
    responses: {
      '200': { description: 'OK', content: { 'application/json': { schema: op.response } } },
      ...errorResponses(op),
    },
  };
}

/** The document; built once per process. */
let document: ReturnType<typeof createDocument> | undefined;

export function openApiDocument(options: { serverUrl?: string } = {}) {
  document ??= buildDocument();
  return options.serverUrl ? { ...document, servers: [{ url: `${options.serverUrl}/api/v1` }] } : document;
}

function buildDocument() {
  const paths: ZodOpenApiPathsObject = {};
  for (const [name, op] of Object.entries(API_OPERATIONS) as [string, ApiOperation][]) {
    paths[op.path] = { ...paths[op.path], [op.method]: toOperation(name, op) };
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Referrals server API',
      version: API_VERSION,
      description:
        "The server API for your product's backend: members keyed by your own user id, redemptions, conversions, quota history and the program's referrals. Authenticate with `Authorization: Bearer rsk_…` (an API key from the operator page). Guide: docs/integration.md.",
    },
    servers: [{ url: '/api/v1' }],
    components: { securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key (`rsk_…`) made on /admin/api-keys.' } } },
    paths,
  });
}
