#!/usr/bin/env node
// A webhook receiver for the referral system: plain Node.js (>= 18), no dependencies.
//
//   WEBHOOK_SECRET='the same value as the backend' PORT=8787 node docs/examples/webhook-receiver.mjs
//   # then, for the backend: WEBHOOK_URLS=http://127.0.0.1:8787/webhooks
//
// It checks each request's signature and timestamp, skips an event id it has
// already seen (deliveries are at least once), prints one JSON line per event
// on stdout, and answers 204. See docs/webhooks.md.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

/**
 * Verifies one delivery and returns the event, or throws an Error saying why not.
 * `headers`: the request's headers (lower-case names, as node:http gives them).
 * `body`: the raw body, exactly as received (a string or Buffer); never re-serialised JSON.
 * `toleranceSeconds`: requests signed longer ago (or ahead) are refused, so a
 * captured request cannot be replayed later.
 */
export function verifyWebhook({ secret, headers, body, toleranceSeconds = 300, now = Date.now() }) {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string') {
    throw new Error('missing webhook-id, webhook-timestamp or webhook-signature');
  }
  // 1. The timestamp: unix seconds, close to now.
  if (!/^\d+$/.test(timestamp)) throw new Error('bad webhook-timestamp');
  if (Math.abs(Math.floor(now / 1000) - Number(timestamp)) > toleranceSeconds) throw new Error('timestamp outside the tolerance');
  // 2. The expected signature: base64 HMAC-SHA256 of "<id>.<timestamp>.<body>", keyed with
  //    WEBHOOK_SECRET's bytes ("whsec_<base64>": the decoded bytes; anything else: its UTF-8 bytes).
  const key = secret.startsWith('whsec_') ? Buffer.from(secret.slice(6), 'base64') : Buffer.from(secret, 'utf8');
  const raw = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  const expected = Buffer.from(createHmac('sha256', key).update(`${id}.${timestamp}.${raw}`).digest('base64'));
  // 3. The header holds one or more "v1,<signature>", space-separated (several while a secret is rotated).
  const valid = signatures.split(' ').some((entry) => {
    const [version, signature] = entry.split(',', 2);
    if (version !== 'v1' || !signature) return false;
    const given = Buffer.from(signature);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!valid) throw new Error('no valid signature');
  // 4. Only now is the body trusted. Its id is the webhook-id.
  const event = JSON.parse(raw);
  if (event.id !== id) throw new Error('body id differs from webhook-id');
  return event;
}

/** An HTTP server (call `listen` on it) for webhooks: `onEvent` gets each verified event once. */
export function createReceiver({ secret, onEvent = (event) => console.log(JSON.stringify(event)) }) {
  // Event ids already handled. A real receiver keeps them in its database
  // (a unique key), in the same transaction as what it does with the event.
  const seen = new Set();
  return createServer((req, res) => {
    if (req.method !== 'POST') {
      res.writeHead(405).end();
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > 1024 * 1024) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      let event;
      try {
        event = verifyWebhook({ secret, headers: req.headers, body: Buffer.concat(chunks) });
      } catch (error) {
        console.error(JSON.stringify({ refused: error.message }));
        res.writeHead(401, { 'content-type': 'text/plain' }).end('invalid signature\n');
        return;
      }
      if (!seen.has(event.id)) {
        seen.add(event.id);
        onEvent(event);
      }
      // 2xx tells the backend it arrived, also for a duplicate; anything else makes it retry.
      res.writeHead(204).end();
    });
  });
}

// Run as a program (not imported): listen and print.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const secret = process.env.WEBHOOK_SECRET;
  if (!secret) {
    console.error('Set WEBHOOK_SECRET to the backend\'s WEBHOOK_SECRET.');
    process.exit(1);
  }
  const port = Number(process.env.PORT ?? 8787);
  const server = createReceiver({ secret });
  server.listen(port, process.env.HOST ?? '127.0.0.1', () => {
    console.error(`webhook receiver listening on http://${process.env.HOST ?? '127.0.0.1'}:${server.address().port}/webhooks`);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('SIGINT', () => server.close(() => process.exit(0)));
}
