// A websocket client of the backend (docs/websocket-protocol.md) for tests: it records every
// message the server sends (checked against the protocol's schema) and how
// the connection ended, and waits for a message or the close.
import WebSocket from 'ws';
import { serverMessageSchema, type ServerMessage } from '../protocol/messages';

export class RecordingSocket {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  /** Messages that failed the protocol's schema (should stay empty). */
  readonly malformed: string[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  constructor(url: string, options: WebSocket.ClientOptions) {
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => {
      let parsed;
      try {
        parsed = serverMessageSchema.safeParse(JSON.parse(String(data)));
      } catch {
        parsed = null;
      }
      if (parsed?.success) this.messages.push(parsed.data);
      else this.malformed.push(String(data));
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
    this.ws.on('error', () => this.wake());
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  /** Resolves once open; rejects with the status when the upgrade is refused. */
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  /** Sends a string as it is, anything else as JSON. */
  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits for the first message matching `predicate` (received before or after the call). */
  async next<T extends ServerMessage>(predicate: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found as T;
      if (this.closed) throw new Error(`closed (${this.closed.code}) before the message arrived`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages).slice(0, 500)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** How the connection closed, or null if it is still open after `timeoutMs`. */
  async closedWithin(timeoutMs = 10_000): Promise<{ code: number; reason: string } | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }
}
