// A websocket client written on a bare TCP socket (RFC 6455, text frames
// only), for what a library client cannot do on purpose: keep talking after
// the server has started closing, before answering its close frame.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { createWsToken } from '@app/common';
import { AUTH_SECRET } from './servers';

const OPCODE_TEXT = 0x1;
const OPCODE_CLOSE = 0x8;

export interface Frame {
  opcode: number;
  payload: Buffer;
}

export class RawSocketClient {
  readonly frames: Frame[] = [];
  ended = false;
  private buffer: Buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.parse();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => this.wake());
  }

  /** Opens `ws://host:port/path`, sends init with a token for `userId`, waits for `ready`. */
  static async signedIn(url: string, origin: string, userId: string): Promise<RawSocketClient> {
    const { hostname, port, pathname } = new URL(url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('error', reject);
    });
    socket.write(
      `GET ${pathname} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\nOrigin: ${origin}\r\n\r\n`,
    );
    const head = await new Promise<Buffer>((resolve, reject) => {
      let received: Buffer = Buffer.alloc(0);
      const onData = (chunk: Buffer) => {
        received = Buffer.concat([received, chunk]);
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onData);
        const status = received.subarray(0, end).toString('latin1').split('\r\n')[0] ?? '';
        if (!status.includes(' 101 ')) return reject(new Error(`upgrade refused: ${status}`));
        resolve(received.subarray(end + 4));
      };
      socket.on('data', onData);
      socket.once('error', reject);
    });
    const client = new RawSocketClient(socket);
    client.buffer = head;
    client.parse();
    client.sendJson({ type: 'init', token: createWsToken({ userId, secret: AUTH_SECRET }).token });
    await client.nextFrame((f) => f.opcode === OPCODE_TEXT && JSON.parse(String(f.payload)).type === 'ready');
    return client;
  }

  private wake() {
    for (const waiter of this.waiters.splice(0)) waiter();
  }

  private parse() {
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return;
      this.frames.push({ opcode, payload: this.buffer.subarray(offset, offset + length) });
      this.buffer = this.buffer.subarray(offset + length);
      this.wake();
    }
  }

  private sendFrame(opcode: number, payload: Buffer) {
    const mask = randomBytes(4);
    const header =
      payload.length < 126
        ? Buffer.from([0x80 | opcode, 0x80 | payload.length])
        : Buffer.from([0x80 | opcode, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
    const masked = Buffer.from(payload.map((byte, i) => byte ^ mask[i % 4]!));
    this.socket.write(Buffer.concat([header, mask, masked]));
  }

  sendJson(message: unknown) {
    this.sendFrame(OPCODE_TEXT, Buffer.from(JSON.stringify(message)));
  }

  /** Answers the server's close (echoing its code), which lets it finish closing. */
  sendClose(code: number) {
    const payload = Buffer.alloc(2);
    payload.writeUInt16BE(code);
    this.sendFrame(OPCODE_CLOSE, payload);
  }

  /** The JSON messages received. */
  messages(): { type: string; id?: string | null }[] {
    return this.frames.filter((f) => f.opcode === OPCODE_TEXT).map((f) => JSON.parse(String(f.payload)) as { type: string });
  }

  /** The code of the server's close frame, once it came. */
  closeCode(): number | null {
    const frame = this.frames.find((f) => f.opcode === OPCODE_CLOSE);
    return frame && frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : null;
  }

  async nextFrame(predicate: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(predicate);
      if (found) return found;
      const left = deadline - Date.now();
      if (this.ended || left <= 0) throw new Error(`raw socket: no matching frame (${this.ended ? 'closed' : 'timeout'})`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the server's close frame. */
  closeFrame(timeoutMs = 10_000): Promise<Frame> {
    return this.nextFrame((f) => f.opcode === OPCODE_CLOSE, timeoutMs);
  }

  destroy() {
    this.socket.destroy();
  }
}
