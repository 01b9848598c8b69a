'use client';

import type { ServerMessage } from '@app/common/protocol';
import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

const MAX_BACKOFF_MS = 30_000;

/**
 * Keeps the member page (and the embedded portal) live: connects to the
 * backend websocket (token and URL from /api/ws-token, or for the portal from
 * /api/embed/ws-token with its session), and when the backend pushes a quota or referral
 * change, re-renders the page from the server. Each time the connection is
 * (re)established it re-renders too: whatever changed while it was not
 * connected (before it first opened, or while the backend restarted) is
 * shown then, so "Live" never stands over stale numbers. Reconnects with
 * jittered exponential backoff; without the backend the page simply stays as it is.
 */
export function LiveUpdates({ portalSession }: { portalSession?: string | undefined } = {}) {
  const router = useRouter();
  const [state, setState] = useState<'connecting' | 'live' | 'offline'>('connecting');

  useEffect(() => {
    let socket: WebSocket | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    let stopped = false;

    const retry = () => {
      if (stopped) return;
      setState('offline');
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      timer = setTimeout(connect, delay);
    };

    async function connect() {
      try {
        // The embedded portal has no sign-in cookie: its session (docs/integration.md) asks for the token.
        const response = portalSession
          ? await fetch('/api/embed/ws-token', {
              method: 'POST',
              cache: 'no-store',
              headers: { 'content-type': 'application/json' },
              body: JSON.stringify({ session: portalSession }),
            })
          : await fetch('/api/ws-token', { cache: 'no-store' });
        if (!response.ok) throw new Error(`ws-token ${response.status}`);
        const { token, url } = (await response.json()) as { token: string; url: string };
        if (stopped) return;
        socket = new WebSocket(url);
        socket.onopen = () => socket?.send(JSON.stringify({ type: 'init', token }));
        socket.onmessage = (event) => {
          let message: ServerMessage;
          try {
            message = JSON.parse(String(event.data)) as ServerMessage;
          } catch {
            return;
          }
          if (message.type === 'ready') {
            attempt = 0;
            setState('live');
            router.refresh();
          } else if (message.type === 'quota-updated' || message.type === 'referral-updated') {
            router.refresh();
          }
        };
        socket.onclose = retry;
      } catch {
        retry();
      }
    }

    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close();
    };
  }, [router, portalSession]);

  return (
    <p className="muted" role="status" data-testid="live-status" data-state={state}>
      {state === 'live' && 'Live: new invites and bonuses appear here as they happen.'}
      {state === 'offline' && 'Live updates are paused; reload the page to see the latest.'}
    </p>
  );
}
