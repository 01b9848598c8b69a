// Writes the server API's TypeScript types (src/api/client-types.ts) from its
// OpenAPI document, itself generated from the zod schemas (src/api/openapi.ts).
// Usage: pnpm --filter @app/common api:types (test/openapi.test.ts fails when
// the file is behind the schemas).
import { writeFile } from 'node:fs/promises';
import { apiClientTypes, API_CLIENT_TYPES_FILE } from '../src/api/client-types-source';

await writeFile(API_CLIENT_TYPES_FILE, await apiClientTypes());
console.log(`wrote ${API_CLIENT_TYPES_FILE}`);
