import { openApiDocument } from '@app/common/api';
import type { Metadata } from 'next';
import { env } from '@/env';

export const metadata: Metadata = { title: 'Server API reference' };

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

interface Operation {
  operationId: string;
  summary: string;
  description: string;
  'x-scope': string;
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}

/** A schema as people read it: `$ref`s named, the rest as JSON. */
function Schema({ schema }: { schema: unknown }) {
  const ref = (schema as { $ref?: string } | undefined)?.$ref;
  if (ref) {
    const name = ref.split('/').at(-1)!;
    return <a href={`#schema-${name}`} className="code">{name}</a>;
  }
  return <pre className="code">{JSON.stringify(schema, null, 2)}</pre>;
}

/**
 * The server API's reference (docs/integration.md, "The OpenAPI document and
 * a typed client"): every operation of the generated OpenAPI document, its
 * scope, parameters, body and answers, and the shared schemas. The document
 * itself is /api/v1/openapi.json.
 */
export default function ApiReferencePage() {
  const document = JSON.parse(JSON.stringify(openApiDocument({ serverUrl: env().appUrl }))) as {
    info: { title: string; version: string; description: string };
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: Record<string, unknown> };
  };
  const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({ path, method, operation })),
  );
  return (
    <>
      <h1>{document.info.title}</h1>
      <p className="muted">
        Version {document.info.version}. Base URL <span className="code">{env().appUrl}/api/v1</span>. The machine-readable document:{' '}
        <a href="/api/v1/openapi.json">/api/v1/openapi.json</a> (OpenAPI 3.1).
      </p>
      <p>{document.info.description}</p>
      <nav aria-label="Operations" className="card">
        <ul>
          {operations.map(({ path, method, operation }) => (
            <li key={operation.operationId}>
              <a href={`#${operation.operationId}`}>
                <span className="code">{`${method.toUpperCase()} ${path}`}</span>
              </a>{' '}
              {operation.summary}
            </li>
          ))}
        </ul>
      </nav>
      {operations.map(({ path, method, operation }) => (
        <section key={operation.operationId} id={operation.operationId} className="card" aria-labelledby={`${operation.operationId}-heading`}>
          <h2 id={`${operation.operationId}-heading`}>
            <span className="code">{`${method.toUpperCase()} /api/v1${path}`}</span>
          </h2>
          <p>
            <strong>{operation.summary}.</strong> {operation.description}
          </p>
          <p className="muted">Scope: {operation['x-scope']}</p>
          {operation.parameters && operation.parameters.length > 0 && (
            <table className="stack">
              <thead>
                <tr>
                  <th scope="col">Parameter</th>
                  <th scope="col">In</th>
                  <th scope="col">What</th>
                </tr>
              </thead>
              <tbody>
                {operation.parameters.map((p) => (
                  <tr key={`${p.in}-${p.name}`}>
                    <td data-label="Parameter" className="code">{p.name}{p.required ? '' : ' (optional)'}</td>
                    <td data-label="In">{p.in}</td>
                    <td data-label="What">{p.description ?? ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {operation.requestBody && (
            <>
              <h3>Body</h3>
              <Schema schema={operation.requestBody.content['application/json']?.schema} />
            </>
          )}
          <h3>Answers</h3>
          <table className="stack">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">What</th>
                <th scope="col">Body</th>
              </tr>
            </thead>
            <tbody>
              {Object.entries(operation.responses).map(([status, response]) => (
                <tr key={status}>
                  <td data-label="Status">{status}</td>
                  <td data-label="What">{response.description}</td>
                  <td data-label="Body">
                    {status === '200' ? <Schema schema={response.content?.['application/json']?.schema} /> : 'the error body'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
      <h2>Schemas</h2>
      {Object.entries(document.components.schemas).map(([name, schema]) => (
        <section key={name} id={`schema-${name}`} className="card" aria-labelledby={`schema-${name}-heading`}>
          <h3 id={`schema-${name}-heading`}>{name}</h3>
          <pre className="code">{JSON.stringify(schema, null, 2)}</pre>
        </section>
      ))}
    </>
  );
}
