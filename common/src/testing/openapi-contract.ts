// The contract test's checker (docs/integration.md, "The API"): every answer
// the suites get from /api/v1 is checked against the OpenAPI document, by
// status and schema (ajv, JSON Schema 2020-12 as OpenAPI 3.1 uses). An
// undocumented status or a body that drifts from its schema is a violation.
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { openApiDocument } from '../api/openapi';

type Document = ReturnType<typeof openApiDocument>;

// ajv-formats is CommonJS: its function is the default export's default under some loaders.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;

export interface ContractChecker {
  /** The problems of one answer (empty when it matches): `path` is the concrete path under /api/v1. */
  check(method: string, path: string, status: number, body: unknown): string[];
}

export function createContractChecker(document: Document = openApiDocument()): ContractChecker {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  const plain = JSON.parse(JSON.stringify(document)) as {
    paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
    components: object;
  };
  const templates = Object.keys(plain.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+')}$`),
  }));
  const compiled = new Map<string, ValidateFunction>();

  return {
    check(method, path, status, body) {
      const found = templates.find((t) => t.pattern.test(path));
      if (!found) return [`${method} ${path}: no such path in the document`];
      const operation = plain.paths[found.template]![method.toLowerCase()];
      if (!operation) return [`${method} ${found.template}: no such operation in the document`];
      const response = operation.responses[String(status)];
      if (!response) return [`${method} ${found.template}: status ${status} is not documented`];
      const schema = response.content?.['application/json']?.schema;
      if (!schema) return [];
      const key = `${method} ${found.template} ${status}`;
      let validate = compiled.get(key);
      if (!validate) {
        validate = ajv.compile({ ...schema, components: plain.components });
        compiled.set(key, validate);
      }
      if (validate(body)) return [];
      return (validate.errors ?? []).map((e) => `${key}: ${e.instancePath || 'body'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
    },
  };
}
