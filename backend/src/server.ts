import { createServer, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  CLOSE_CODES,
  clientMessageSchema,
  displayName,
  ERROR_MESSAGES,
  fail,
  consumeWsToken,
  verifyWsToken,
  type ReferralEvent,
  type ServerMessage,
} from '@app/common';
import { databaseReadiness, type Db } from '@app/common/db';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { BackendEnv } from './env';
import type { Logger } from './log';
import { errorBody, runAction } from './websockets/websocket-action';

export const WS_PATH = '/ws';

interface Client {
  ws: WebSocket;
  userId: string | null;
  /** An init is being checked (its token is being used up). */
  initialising: boolean;
  alive: boolean;
  inFlight: number;
  tokens: number;
  refilledAt: number;
  violations: number;
  initTimer: NodeJS.Timeout | null;
}

export interface Backend {
  listen(port: number, host?: string): Promise<number>;
  /** Pushes a referral change to the open connections of the users concerned. */
  publish(event: ReferralEvent): void;
  /** SIGTERM: stop accepting, finish in-flight actions, close every connection with 1001. */
  drain(): Promise<void>;
  connectionCount(): number;
}

function send(ws: WebSocket, message: ServerMessage) {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

function refuseUpgrade(socket: Duplex, status: number, reason: string) {
  socket.write(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** The id of a message that failed the schema, when it has a usable one. */
function looseId(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = (value as { id: unknown }).id;
  return typeof id === 'string' && id.length > 0 && id.length <= 100 ? id : null;
}

export function createBackend(options: { db: Db; env: BackendEnv; log: Logger }): Backend {
  const { db, env, log } = options;
  const clients = new Set<Client>();
  const byUser = new Map<string, Set<Client>>();
  let draining = false;

  const http = createServer(async (req, res) => {
    // Liveness: the process answers; never the database (docs/operations.md, "Health checks").
    if (req.method === 'GET' && req.url === '/livez') {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: 'live' }));
      return;
    }
    // Readiness: not draining, the database answers, its migrations and functions are this build's.
    if (req.method === 'GET' && req.url === '/readyz') {
      const readiness = await databaseReadiness(db.$client);
      const problems = [...(draining ? ['draining: shutting down'] : []), ...readiness.problems];
      res.writeHead(problems.length === 0 ? 200 : 503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ status: problems.length === 0 ? 'ready' : 'not_ready', problems, migrations: readiness.migrations }));
      return;
    }
    if (req.method === 'GET' && req.url === '/healthz') {
      try {
        await db.$client`select 1`;
        res.writeHead(draining ? 503 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: !draining, database: 'up', draining, connections: clients.size }));
      } catch {
        res.writeHead(503, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, database: 'down' }));
      }
      return;
    }
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { code: 'invalid_input', message: 'Not found.' } }));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: env.maxPayloadBytes, perMessageDeflate: false });

  http.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const path = (req.url ?? '').split('?')[0];
    if (path !== WS_PATH) return refuseUpgrade(socket, 404, 'Not Found');
    if (draining) return refuseUpgrade(socket, 503, 'Service Unavailable');
    // Cross-site websocket hijacking: a browser always sends Origin; only the app's may connect.
    const origin = req.headers.origin;
    if (origin !== undefined && !env.allowedOrigins.includes(origin)) {
      log('warn', 'upgrade refused: foreign origin', { origin });
      return refuseUpgrade(socket, 403, 'Forbidden');
    }
    wss.handleUpgrade(req, socket, head, (ws) => onConnection(ws));
  });

  function register(client: Client, userId: string) {
    client.userId = userId;
    let set = byUser.get(userId);
    if (!set) byUser.set(userId, (set = new Set()));
    set.add(client);
  }

  function forget(client: Client) {
    clients.delete(client);
    if (client.initTimer) clearTimeout(client.initTimer);
    if (client.userId) {
      const set = byUser.get(client.userId);
      set?.delete(client);
      if (set?.size === 0) byUser.delete(client.userId);
    }
  }

  /** Token bucket per connection: true when this message may be served. */
  function allow(client: Client): boolean {
    const now = Date.now();
    client.tokens = Math.min(
      env.rateLimit.burst,
      client.tokens + ((now - client.refilledAt) / 1000) * env.rateLimit.perSecond,
    );
    client.refilledAt = now;
    if (client.tokens < 1) return false;
    client.tokens -= 1;
    return true;
  }

  function onConnection(ws: WebSocket) {
    const client: Client = {
      ws,
      userId: null,
      initialising: false,
      alive: true,
      inFlight: 0,
      tokens: env.rateLimit.burst,
      refilledAt: Date.now(),
      violations: 0,
      initTimer: null,
    };
    clients.add(client);
    client.initTimer = setTimeout(() => ws.close(CLOSE_CODES.unauthenticated, 'init timeout'), env.initTimeoutMs);
    ws.on('pong', () => (client.alive = true));
    ws.on('message', (data, isBinary) => void onMessage(client, data, isBinary));
    ws.on('close', () => forget(client));
    // ws closes the connection itself (1009) when a message is over maxPayload.
    ws.on('error', (error) => log('warn', 'connection error', { error: error.message }));
  }

  async function onMessage(client: Client, data: RawData, isBinary: boolean) {
    const { ws } = client;
    // Once the connection is closing (drain, flood), messages still in flight from the client are not
    // served: their answer could no longer be sent, so the client must be able to take "no answer before
    // the close" as "not done".
    if (ws.readyState !== ws.OPEN) return;
    if (!allow(client)) {
      client.violations++;
      if (client.violations > env.rateLimit.maxViolations) {
        log('warn', 'connection closed for flooding', { userId: client.userId });
        ws.close(CLOSE_CODES.flood, 'rate limit');
        return;
      }
      const retryAfterSeconds = Math.max(1, Math.ceil(1 / env.rateLimit.perSecond));
      send(ws, { type: 'error', id: null, error: errorBody(fail('rate_limited', { retryAfterSeconds })) });
      return;
    }

    let raw: unknown;
    try {
      if (isBinary) throw new Error('binary');
      raw = JSON.parse(data.toString());
    } catch {
      send(ws, { type: 'error', id: null, error: errorBody(fail('invalid_input', { message: 'Messages must be JSON text.' })) });
      return;
    }
    const parsed = clientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = issue ? ` ${issue.path.join('.') || 'message'}: ${issue.message}` : '';
      send(ws, {
        type: 'error',
        id: looseId(raw),
        error: errorBody(fail('invalid_input', { message: `${ERROR_MESSAGES.invalid_input}${detail}` })),
      });
      return;
    }
    const message = parsed.data;

    if (message.type === 'init') {
      if (client.userId || client.initialising) {
        send(ws, { type: 'error', id: null, error: errorBody(fail('invalid_input', { message: 'Already initialised.' })) });
        return;
      }
      const claims = verifyWsToken(message.token, env.secret);
      if (!claims) {
        ws.close(CLOSE_CODES.unauthenticated, 'bad or expired token');
        return;
      }
      // One token, one connection, across every backend process (docs/websocket-protocol.md).
      let fresh: boolean;
      client.initialising = true;
      try {
        fresh = await consumeWsToken(db.$client, claims);
      } catch (error) {
        client.initialising = false;
        log('error', 'could not check the websocket token', { error: String(error) });
        send(ws, { type: 'error', id: null, error: errorBody(fail('internal')) });
        ws.close(CLOSE_CODES.unauthenticated, 'try again');
        return;
      }
      client.initialising = false;
      if (!fresh) {
        ws.close(CLOSE_CODES.unauthenticated, 'token already used');
        return;
      }
      if (ws.readyState !== ws.OPEN) return;
      if (client.initTimer) clearTimeout(client.initTimer);
      client.initTimer = null;
      register(client, claims.sub);
      send(ws, { type: 'ready' });
      return;
    }

    if (!client.userId) {
      send(ws, { type: 'error', id: message.id, error: errorBody(fail('unauthenticated', { message: 'Send init with a token first.' })) });
      return;
    }
    client.inFlight++;
    try {
      const answer = await runAction(message.id, { db, userId: client.userId, appUrl: env.appUrl, action: message.action }, log);
      send(ws, answer);
    } finally {
      client.inFlight--;
    }
  }

  // Heartbeat: a connection that did not answer the last ping is dead.
  const heartbeat = setInterval(() => {
    for (const client of clients) {
      if (!client.alive) {
        client.ws.terminate();
        forget(client);
        continue;
      }
      client.alive = false;
      client.ws.ping();
    }
  }, env.heartbeatIntervalMs);
  heartbeat.unref();

  return {
    listen(port, host = env.host) {
      return new Promise((resolve, reject) => {
        http.once('error', reject);
        http.listen(port, host, () => {
          const address = http.address();
          resolve(typeof address === 'object' && address ? address.port : port);
        });
      });
    },

    publish(event) {
      const { referral } = event;
      // Completion, approval and revocation move quotas (a revoke takes them back); a redemption
      // still pending does not. Held and rejected are sent too, so both members' pages show the status.
      if (referral.status !== 'pending') {
        for (const { userId, quota } of event.quotas) {
          for (const client of byUser.get(userId) ?? []) send(client.ws, { type: 'quota-updated', quota });
        }
      }
      const update: ServerMessage = {
        type: 'referral-updated',
        referral: {
          name: displayName(referral.referredName),
          status: referral.status,
          createdAt: referral.createdAt,
          completedAt: referral.completedAt,
        },
      };
      for (const client of byUser.get(referral.referrerId) ?? []) send(client.ws, update);
    },

    async drain() {
      // Stop accepting: new upgrades get 503 and /healthz says 503, so a load
      // balancer stops sending traffic. (http.close() now would also cut the
      // upgraded sockets, which Node counts as idle HTTP connections.)
      draining = true;
      clearInterval(heartbeat);
      const deadline = Date.now() + env.drainTimeoutMs;
      while ([...clients].some((c) => c.inFlight > 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
      }
      for (const client of clients) client.ws.close(CLOSE_CODES.shutdown, 'server shutting down');
      while (clients.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      for (const client of clients) client.ws.terminate();
      const closed = new Promise<void>((resolve) => http.close(() => resolve()));
      http.closeAllConnections();
      await closed;
    },

    connectionCount: () => clients.size,
  };
}
