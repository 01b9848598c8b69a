// The websocket backend: ws://<host>:BACKEND_PORT/ws (docs/websocket-protocol.md).
import { databaseSettingProblem } from '@app/common/config/database-settings';
import { getDb, shutdownDb } from '@app/common/db';
import { loadBackendEnv, type BackendEnv } from './env';
import { listenForReferralEvents } from './live-updates';
import { jsonLogger as log } from './log';
import { createBackend } from './server';
import { countPendingEvents, startWebhookDelivery } from './webhooks';

let env: BackendEnv;
try {
  env = loadBackendEnv();
} catch (error) {
  log('error', error instanceof Error ? error.message : String(error));
  process.exit(1);
}

if (env.usesDevelopmentSecret) {
  log('warn', 'AUTH_SECRET is not set: websocket tokens are checked with the public development secret (fine on this machine only)');
}

// In production, one shared PostgreSQL (DATABASE_URL), never an embedded one of this process's own unless asked.
const databaseProblem = databaseSettingProblem();
if (databaseProblem) {
  log('error', databaseProblem);
  process.exit(1);
}
const db = await getDb();
const backend = createBackend({ db, env, log });
const port = await backend.listen(env.port);
// Webhooks (docs/webhooks.md): without WEBHOOK_URLS nothing is sent and the
// outbox rows stay pending, to be delivered once endpoints are configured.
const webhooks = env.webhooks ? startWebhookDelivery({ sql: db.$client, settings: env.webhooks, log }) : null;
if (env.webhooks) {
  log('info', 'webhooks: delivering', {
    endpoints: env.webhooks.endpoints.map((e) => e.label),
    pollIntervalMs: env.webhooks.pollIntervalMs,
    maxAttempts: env.webhooks.maxAttempts,
  });
} else {
  log('info', 'webhooks: off (WEBHOOK_URLS is not set); outbox events stay pending', {
    pending: await countPendingEvents(db.$client).catch(() => null),
  });
}
const listener = await listenForReferralEvents(
  db.$client,
  (event) => {
    backend.publish(event);
    // The change that was announced wrote its outbox rows: look for them now.
    webhooks?.wake();
  },
  log,
);
log('info', 'backend listening', { port, path: '/ws', allowedOrigins: env.allowedOrigins });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log('info', 'draining', { signal, connections: backend.connectionCount() });
  // In-flight webhook requests get the same grace as websocket actions; what
  // is still unanswered then is aborted and its lease released for another process.
  await Promise.all([backend.drain(), webhooks?.stop(env.drainTimeoutMs)]);
  await listener.unlisten().catch(() => {});
  await shutdownDb();
  log('info', 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
