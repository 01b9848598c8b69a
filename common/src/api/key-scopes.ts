/** What an API key may do (docs/integration.md, "API keys"): `read` the server API, or also `write` through it. */
export const API_KEY_SCOPES = ['read', 'write'] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
