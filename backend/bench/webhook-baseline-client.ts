// The baseline of the webhook bench: one process POSTing signed webhook
// requests to the receiver as fast as it answers, with as many requests in
// flight as the backend's WEBHOOK_BATCH_SIZE, through the same HTTP client
// (fetch) and signing code. No database: what HTTP alone costs on this machine.
// Env: URL, SECRET, BODY, SECONDS, CONCURRENCY. Prints "posted <count> <seconds>".
import { performance } from 'node:perf_hooks';
import { signingKey, signWebhook } from '../src/webhooks/signature';

const url = process.env.URL!;
const key = signingKey(process.env.SECRET!);
const template = process.env.BODY!;
const seconds = Number(process.env.SECONDS ?? 10);
const concurrency = Number(process.env.CONCURRENCY ?? 50);

let posted = 0;
let failed = 0;
const started = performance.now();
const deadline = started + seconds * 1000;
await Promise.all(
  Array.from({ length: concurrency }, async (_, worker) => {
    for (let i = 0; performance.now() < deadline; i++) {
      const id = `baseline-${worker}-${i}`;
      const body = template.replace('__ID__', id);
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'referrals-webhooks/1', ...signWebhook({ key, id, body }) },
        body,
        redirect: 'manual',
      });
      await response.arrayBuffer();
      if (response.ok) posted++;
      else failed++;
    }
  }),
);
console.log(`posted ${posted} ${((performance.now() - started) / 1000).toFixed(3)} failed ${failed}`);
