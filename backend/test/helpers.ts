import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWsToken, type ServerMessage } from '@app/common';
import { freePort } from '@app/common/testing/database';
import { afterAll, inject } from 'vitest';
import WebSocket from 'ws';

export const SECRET = 'backend-tests-secret-0123456789';
export const APP_ORIGIN = 'http://localhost:3000';
const backendDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export { useTestDb } from '@app/common/testing/use-test-db';

const started: RunningBackend[] = [];
// Every backend a test file started is stopped when the file ends, and if the
// test process dies, killed with it: no server outlives its tests.
afterAll(async () => {
  await Promise.all(started.map((b) => b.stop()));
});
process.on('exit', () => {
  for (const b of started) if (b.process.exitCode === null) b.process.kill('SIGKILL');
});

export interface RunningBackend {
  port: number;
  url: string;
  process: ChildProcess;
  logs: () => string;
  stop: (signal?: NodeJS.Signals) => Promise<number | null>;
}

/** Starts a real backend process (tsx src/index.ts) on a free port and the test database. */
export async function startBackend(env: Record<string, string> = {}): Promise<RunningBackend> {
  const port = await freePort();
  // One process (no tsx wrapper in between), so signals reach the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/index.ts'], {
    cwd: backendDir,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: inject('databaseUrl'),
      AUTH_SECRET: SECRET,
      APP_URL: APP_ORIGIN,
      BACKEND_PORT: String(port),
      BACKEND_HOST: '127.0.0.1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stdout!.on('data', (c: Buffer) => (logs += String(c)));
  child.stderr!.on('data', (c: Buffer) => (logs += String(c)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const deadline = Date.now() + 30_000;
  while (!logs.includes('listening for referral events') || !logs.includes('backend listening')) {
    if (child.exitCode !== null) throw new Error(`backend exited early:\n${logs}`);
    if (Date.now() > deadline) throw new Error(`backend did not start:\n${logs}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const running: RunningBackend = {
    port,
    url: `ws://127.0.0.1:${port}/ws`,
    process: child,
    logs: () => logs,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill(signal);
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        exited.finally(() => clearTimeout(killer));
      }
      return exited;
    },
  };
  started.push(running);
  return running;
}

export function tokenFor(userId: string, options: { now?: Date; secret?: string } = {}): string {
  return createWsToken({ userId, secret: options.secret ?? SECRET, now: options.now }).token;
}

/** A websocket client that records what it receives and when it closes. */
export class TestClient {
  readonly ws: WebSocket;
  readonly messages: ServerMessage[] = [];
  closed: { code: number; reason: string } | null = null;
  private waiters: (() => void)[] = [];

  constructor(url: string, options: WebSocket.ClientOptions = { origin: APP_ORIGIN }) {
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as ServerMessage);
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

  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.ws.readyState === WebSocket.OPEN) return resolve();
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
      this.ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(message: unknown) {
    this.ws.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Waits for the first received message matching `predicate`. */
  async next<T extends ServerMessage>(predicate: (m: ServerMessage) => boolean, timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.messages.find(predicate);
      if (found) return found as T;
      if (this.closed) throw new Error(`closed (${this.closed.code}) before the message arrived`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async whenClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('still open');
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.closed;
  }

  /** Opens, sends init, waits for ready. */
  static async signedIn(url: string, userId: string): Promise<TestClient> {
    const client = new TestClient(url);
    await client.opened();
    client.send({ type: 'init', token: tokenFor(userId) });
    await client.next((m) => m.type === 'ready');
    return client;
  }

  close() {
    this.ws.close();
  }
}
