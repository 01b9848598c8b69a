// `pnpm dev`: the database part of the dev stack. With DATABASE_URL unset it
// starts the embedded PostgreSQL (data in .data/postgres, reused on the next
// start), applies the migrations, and keeps it running until Ctrl-C, when it
// stops it cleanly. Processes started later without DATABASE_URL join it.
import { migrate, resolveDatabase } from '../src/db/index';

const log = (line: string) => console.log(`[db] ${line}`);
const { url, embedded } = await resolveDatabase(log);
await migrate(url);
log('migrations applied');
log(`ready: ${url.replace(/:[^:@/]*@/, ':***@')}`);

if (!embedded?.owned) {
  log(embedded ? 'another process runs the embedded database; nothing more to do' : 'using DATABASE_URL');
  process.exit(0);
}

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping the embedded PostgreSQL`);
  await embedded?.stop();
  log('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
// Keep the process (and so the database) alive until a signal arrives.
setInterval(() => {}, 1 << 30);
