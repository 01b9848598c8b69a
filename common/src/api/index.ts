// The server API's domain (docs/integration.md): members by externalId,
// retries by Idempotency-Key, the operations and their schemas, the OpenAPI document.
export * from './members';
export * from './idempotency';
export * from './operations';
export * from './schemas';
export * from './openapi';
