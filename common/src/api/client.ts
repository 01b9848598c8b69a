// A typed client of the server API (docs/integration.md, "A typed client"):
// openapi-fetch over the types generated from the OpenAPI document. What the
// tests and the example host use.
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { paths } from './client-types';

export type { paths, components, operations } from './client-types';
export type ApiClient = Client<paths>;

/** A client for the app at `appUrl` (e.g. https://referrals.example.com) with an API key (`rsk_…`). */
export function createApiClient(options: { appUrl: string; apiKey: string } & Omit<ClientOptions, 'baseUrl'>): ApiClient {
  const { appUrl, apiKey, headers, ...rest } = options;
  return createClient<paths>({
    ...rest,
    baseUrl: `${appUrl.replace(/\/$/, '')}/api/v1`,
    headers: { authorization: `Bearer ${apiKey}`, ...(headers as Record<string, string> | undefined) },
  });
}
