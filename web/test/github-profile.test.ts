// GitHub sign-in keeps only a verified primary address (docs/auth.md): the
// profile is read from GitHub's REST API, played here by a real HTTP server
// on loopback that answers as api.github.com does.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubProfile, githubVerifiedPrimaryEmail } from '@/app/api/auth/[...nextauth]/auth-options';

let server: Server;
let api = '';
let emails: unknown = [];
const seenAuth: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    seenAuth.push(request.headers.authorization ?? '');
    response.setHeader('content-type', 'application/json');
    if (request.url === '/user') return response.end(JSON.stringify({ id: 42, login: 'octo', name: 'Octo Cat', email: 'public@example.test' }));
    if (request.url === '/user/emails') return response.end(JSON.stringify(emails));
    response.statusCode = 404;
    response.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('GitHub sign-in', () => {
  it('keeps the primary address only when GitHub says it is verified; never the public profile address', async () => {
    emails = [
      { email: 'secondary@example.test', primary: false, verified: true },
      { email: 'primary@example.test', primary: true, verified: true },
    ];
    expect(await githubProfile('token-1', api)).toMatchObject({ id: 42, login: 'octo', email: 'primary@example.test' });
    expect(seenAuth.at(-1)).toBe('Bearer token-1');

    emails = [
      { email: 'victim-operator@example.test', primary: true, verified: false },
      { email: 'mine@example.test', primary: false, verified: true },
    ];
    expect((await githubProfile('token-2', api)).email).toBeNull();
  });

  it('reads nothing from an answer it does not expect', () => {
    for (const answer of [null, {}, 'x', [{ email: 'a@example.test', primary: true, verified: 'true' }], [{ primary: true, verified: true }]]) {
      expect(githubVerifiedPrimaryEmail(answer), JSON.stringify(answer)).toBeNull();
    }
  });
});
