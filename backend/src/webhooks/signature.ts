import { createHmac } from 'node:crypto';

// Signatures follow the Standard Webhooks scheme (https://www.standardwebhooks.com):
//   webhook-id: <event id>   webhook-timestamp: <unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">
// so receivers can use its libraries or the ten lines of docs/examples/webhook-receiver.mjs.

const STANDARD_PREFIX = 'whsec_';
const MIN_KEY_BYTES = 16;

/**
 * The HMAC key of WEBHOOK_SECRET: `whsec_<base64>` (the Standard Webhooks
 * format, what its libraries expect) is the base64-decoded bytes; any other
 * value is its UTF-8 bytes. Throws when the key is too short to be a secret.
 */
export function signingKey(secret: string): Buffer {
  if (secret.startsWith(STANDARD_PREFIX)) {
    const encoded = secret.slice(STANDARD_PREFIX.length);
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) throw new Error('whsec_ must be followed by base64');
    const key = Buffer.from(encoded, 'base64');
    if (key.length < MIN_KEY_BYTES) throw new Error(`whsec_ must carry at least ${MIN_KEY_BYTES} bytes`);
    return key;
  }
  if (secret.length < MIN_KEY_BYTES) throw new Error(`must be at least ${MIN_KEY_BYTES} characters`);
  return Buffer.from(secret, 'utf8');
}

export type SignedHeaders = {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
};

/** The three signature headers of one request. Each attempt is signed anew, with its own timestamp. */
export function signWebhook(options: { key: Buffer; id: string; body: string; timestamp?: number }): SignedHeaders {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', options.key).update(`${options.id}.${timestamp}.${options.body}`).digest('base64');
  return { 'webhook-id': options.id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
