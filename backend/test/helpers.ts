import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createWsToken } from '@app/common';
import { freePort } from '@app/common/testing/database';
import { afterAll, inject } from 'vitest';
import { RecordingSocket } from '@app/common/testing/recording-socket';
import type WebSocket from 'ws';

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

/** A websocket client that records what it receives and when it closes (from the app's origin by default). */
export class TestClient extends RecordingSocket {
  constructor(url: string, options: WebSocket.ClientOptions = { origin: APP_ORIGIN }) {
    super(url, options);
  }

  async whenClosed(timeoutMs = 10_000): Promise<{ code: number; reason: string }> {
    const closed = await this.closedWithin(timeoutMs);
    if (!closed) throw new Error('still open');
    return closed;
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
