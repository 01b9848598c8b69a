// `pnpm db:migrate`: applies the committed migrations to DATABASE_URL, or to
// the embedded PostgreSQL when it is unset.
import { migrate, resolveDatabase } from '../src/db/index';

const { url, embedded } = await resolveDatabase((line) => console.log(line));
try {
  await migrate(url);
  console.log('migrations applied');
} finally {
  await embedded?.stop();
}
