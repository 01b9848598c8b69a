// The websocket backend: ws://<host>:BACKEND_PORT/ws (DESIGN.md §7).
import { getDb, shutdownDb } from '@app/common/db';
import { loadBackendEnv } from './env';
import { listenForReferralEvents } from './live-updates';
import { jsonLogger as log } from './log';
import { createBackend } from './server';

let env;
try {
  env = loadBackendEnv();
} catch (error) {
  log('error', error instanceof Error ? error.message : String(error));
  process.exit(1);
}

const db = await getDb();
const backend = createBackend({ db, env, log });
const port = await backend.listen(env.port);
const listener = await listenForReferralEvents(db.$client, (event) => backend.publish(event), log);
log('info', 'backend listening', { port, path: '/ws', allowedOrigins: env.allowedOrigins });

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log('info', 'draining', { signal, connections: backend.connectionCount() });
  await backend.drain();
  await listener.unlisten().catch(() => {});
  await shutdownDb();
  log('info', 'stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
