// Whether this web process is shutting down (docs/operations.md, "Graceful
// shutdown and deploys"). web/server.ts marks it first thing on SIGTERM, so
// readiness says 503 and the load balancer stops sending traffic while the
// requests in flight finish. A flag on globalThis: the server and the Next.js
// route bundles are separate modules in one process.
const state = globalThis as typeof globalThis & { __referralsWebDraining?: boolean };

export function markDraining(): void {
  state.__referralsWebDraining = true;
}

export function isDraining(): boolean {
  return state.__referralsWebDraining === true;
}
