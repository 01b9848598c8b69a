// The web app's HTTP server: Next.js (production build, or `--dev`) behind a
// plain Node server that does what `next start` cannot (docs/operations.md,
// "The web server"):
// - it decides the client's address once, from the TCP peer or the proxies
//   TRUST_PROXY names, and hands it to the app in a header a client cannot
//   set (src/server/client-address.ts), so rate limits and fraud signals
//   never take an address the client chose;
// - it checks the environment before anything listens (a bad one exits 1);
// - on SIGTERM or SIGINT it stops accepting, lets the requests in flight
//   finish (WEB_DRAIN_TIMEOUT_MS at most), and exits 0.
//
// `pnpm --filter @app/web build` compiles it to dist/server.js (`pnpm start`);
// `pnpm dev` runs it with tsx and `--dev`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type Socket } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseSettingProblem } from '@app/common/config/database-settings';
import { ERROR_MESSAGES } from '@app/common/errors';
import next from 'next';
import { loadEnv, type Env } from './src/env';
import { markDraining } from './src/server/draining';
import { compileTrust, stampClientAddress } from './src/server/trust-proxy';

/** How long in-flight requests may take to finish after SIGTERM. */
const DRAIN_TIMEOUT_MS = Number(process.env.WEB_DRAIN_TIMEOUT_MS) || 10_000;

// web/, whether this runs as web/server.ts (tsx) or as the compiled web/dist/server.js.
const here = path.dirname(fileURLToPath(import.meta.url));
const webDir = path.basename(here) === 'dist' ? path.dirname(here) : here;
const dev = process.argv.includes('--dev');

function fail(message: string): never {
  console.error(`[web] ${message}`);
  process.exit(1);
}

// As `next start` and `next dev` do: the production build runs as production unless told otherwise.
(process.env as Record<string, string | undefined>).NODE_ENV ??= dev ? 'development' : 'production';

let env: Env;
try {
  env = loadEnv();
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}
for (const warning of env.warnings) console.warn(`[web] warning: ${warning}`);
// In production, one shared PostgreSQL (DATABASE_URL), never an embedded one of this process's own unless asked.
const databaseProblem = databaseSettingProblem();
if (databaseProblem) fail(databaseProblem);
// src/instrumentation.ts refuses to run the app without this server in front.
process.env.REFERRALS_WEB_SERVER = '1';

const trust = compileTrust(env.trustProxy);
const app = next({ dev, dir: webDir, hostname: env.host, port: env.port, ...(dev ? { turbopack: true } : {}) });
await app.prepare();
const handle = app.getRequestHandler();
const upgrade = app.getUpgradeHandler();

let draining = false;
const inFlight = new Set<ServerResponse>();
/** Open connections, each with whether a request is being answered on it and how many were. */
const connections = new Map<Socket, { busy: boolean; served: number }>();

function decodablePath(url: string): boolean {
  try {
    decodeURIComponent(url.split('?')[0]!);
    return true;
  } catch {
    return false;
  }
}

const server = createServer((request: IncomingMessage, response: ServerResponse) => {
  stampClientAddress(request, trust);
  inFlight.add(response);
  const connection = connections.get(request.socket);
  if (connection) connection.busy = true;
  response.on('close', () => {
    inFlight.delete(response);
    if (connection) {
      connection.busy = false;
      connection.served++;
    }
    if (draining && inFlight.size === 0) finishWhenQuiet();
  });
  // While draining, every answer closes its connection, so keep-alive clients reconnect elsewhere.
  if (draining) response.setHeader('connection', 'close');
  // Next.js answers an API path that is not valid percent-encoded UTF-8 (`/api/v1/members/%ED%A0%80`)
  // with an empty 500: it is the client's mistake, so it gets the API's 400 (docs/http-api.md, "Errors").
  if (request.url?.startsWith('/api/') && !decodablePath(request.url)) {
    response.writeHead(400, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify({ error: { code: 'invalid_input', message: `${ERROR_MESSAGES.invalid_input} The path is not valid UTF-8.` } }));
    return;
  }
  handle(request, response).catch((error: unknown) => {
    console.error(JSON.stringify({ level: 'error', msg: 'request failed', error: String(error) }));
    if (!response.headersSent) {
      response.writeHead(500, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side. Please try again.' } }));
    }
  });
});
server.on('connection', (socket: Socket) => {
  connections.set(socket, { busy: false, served: 0 });
  socket.on('close', () => connections.delete(socket));
});
// Next's own upgrades (the development server's hot reload); the app has no websocket of its own.
server.on('upgrade', (request: IncomingMessage, socket, head: Buffer) => {
  stampClientAddress(request, trust);
  upgrade(request, socket, head).catch(() => socket.destroy());
});

server.listen(env.port, env.host, () => {
  const shown = env.host === '0.0.0.0' || env.host === '::' ? 'localhost' : env.host;
  console.log(`[web] ${dev ? 'development' : 'production'} server on http://${shown}:${env.port} (listening on ${env.host})`);
});

/** After the last answer, how long the drain waits for requests still unread on open connections. */
const DRAIN_QUIET_MS = 250;

/** Longest Next.js gets to close after the drain, before the process exits anyway. */
const CLOSE_TIMEOUT_MS = 3_000;

let finished = false;
function finish() {
  if (finished) return;
  finished = true;
  const exit = () => process.exit(0);
  // The development server's watchers do not always let close() settle: exit regardless.
  setTimeout(exit, CLOSE_TIMEOUT_MS).unref();
  app.close().then(exit, exit);
}

let quietTimer: NodeJS.Timeout | null = null;
function finishWhenQuiet() {
  if (quietTimer) clearTimeout(quietTimer);
  quietTimer = setTimeout(() => {
    if (inFlight.size === 0) finish();
  }, DRAIN_QUIET_MS);
}

function drain(signal: string) {
  if (draining) return;
  draining = true;
  // First: readiness says 503 (src/server/draining.ts), so a load balancer stops sending traffic here.
  markDraining();
  console.log(`[web] ${signal}: draining ${inFlight.size} request(s)`);
  // Stop accepting connections, but not the way http.Server#close does: it also drops every
  // connection without a request being answered, including new ones whose first request is
  // still unread in the socket, which would cut those clients off. Here only keep-alive
  // connections that are idle after an answer are closed (a client's next request then goes
  // elsewhere); the others are served, each answer with `Connection: close`, until none has
  // been busy for DRAIN_QUIET_MS.
  net.Server.prototype.close.call(server);
  for (const [socket, connection] of connections) if (!connection.busy && connection.served > 0) socket.destroy();
  finishWhenQuiet();
  setTimeout(() => {
    console.error(`[web] ${inFlight.size} request(s) still running after ${DRAIN_TIMEOUT_MS} ms; exiting`);
    finish();
  }, DRAIN_TIMEOUT_MS).unref();
}
process.on('SIGTERM', () => drain('SIGTERM'));
process.on('SIGINT', () => drain('SIGINT'));
