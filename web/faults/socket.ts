// A websocket client of the backend (DESIGN.md §7) that records every message
// and how the connection ended.
import { createWsToken, serverMessageSchema, type Action, type ServerMessage } from '@app/common';
import WebSocket from 'ws';
import { AUTH_SECRET } from './servers';

export class SocketClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  /** Messages that failed the protocol's schema (should stay empty). */
  readonly malformed: string[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  constructor(url: string, origin: string) {
    this.ws = new WebSocket(url, { origin });
    this.ws.on('message', (data) => {
      const parsed = serverMessageSchema.safeParse(JSON.parse(String(data)));
      if (parsed.success) this.messages.push(parsed.data);
      else this.malformed.push(String(data));
      this.wake();
    });
    this.ws.on('close', (code, reason) => {
      this.closed = { code, reason: String(reason) };
      this.wake();
    });
    this.ws.on('error', () => this.wake());
  }

  /** Opens a connection, sends init with a token for `userId`, and waits for `ready`. */
  static async signedIn(url: string, origin: string, userId: string): Promise<SocketClient> {
    const client = new SocketClient(url, origin);
    await client.opened();
    client.send({ type: 'init', token: createWsToken({ userId, secret: AUTH_SECRET }).token });
    await client.next((m) => m.type === 'ready');
    return client;
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(message: unknown) {
    this.ws.send(JSON.stringify(message));
  }

  action(id: string, action: Action) {
    this.send({ type: 'action', id, action });
  }

  /** The ack or error that answers action `id`, if it arrived. */
  answer(id: string): Extract<ServerMessage, { type: 'ack' | 'error' }> | undefined {
    return this.messages.find((m): m is Extract<ServerMessage, { type: 'ack' | 'error' }> =>
      (m.type === 'ack' || m.type === 'error') && m.id === id,
    );
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

  /** Resolves when the connection has closed, or with null after `timeoutMs`. */
  async whenClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string } | null> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    return this.closed;
  }

  /** Resolves at the close event itself (no polling). */
  closing(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  close() {
    if (this.ws.readyState === WebSocket.OPEN || this.ws.readyState === WebSocket.CONNECTING) this.ws.terminate();
  }
}
