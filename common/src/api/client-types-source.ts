// How src/api/client-types.ts is made (scripts/api-types.ts writes it; the
// test compares): openapi-typescript over the generated OpenAPI document.
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { openApiDocument } from './openapi';

export const API_CLIENT_TYPES_FILE = fileURLToPath(new URL('./client-types.ts', import.meta.url));

export async function apiClientTypes(): Promise<string> {
  const ast = await openapiTS(JSON.parse(JSON.stringify(openApiDocument())) as never);
  return [
    '// Generated from the OpenAPI document by `pnpm --filter @app/common api:types`: do not edit.',
    astToString(ast),
  ].join('\n');
}
