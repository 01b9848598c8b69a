// A websocket client of the backend (docs/websocket-protocol.md) that records every message
// and how the connection ended.
import { createWsToken, type Action, type ServerMessage } from '@app/common';
import { RecordingSocket } from '@app/common/testing/recording-socket';
import WebSocket from 'ws';
import { AUTH_SECRET } from './servers';

export class SocketClient extends RecordingSocket {
  constructor(url: string, origin: string) {
    super(url, { origin });
  }

  /** Opens a connection, sends init with a token for `userId`, and waits for `ready`. */
  static async signedIn(url: string, origin: string, userId: string): Promise<SocketClient> {
    const client = new SocketClient(url, origin);
    await client.opened();
    client.send({ type: 'init', token: createWsToken({ userId, secret: AUTH_SECRET }).token });
    await client.next((m) => m.type === 'ready');
    return client;
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

  /** Resolves when the connection has closed, or with null after `timeoutMs`. */
  whenClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string } | null> {
    return this.closedWithin(timeoutMs);
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
