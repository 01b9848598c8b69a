import { notFound } from 'next/navigation';

/**
 * An empty page of this app, for `pnpm bench` only: the JavaScript it makes a
 * browser load is the framework's floor that the other pages are measured
 * against. Not found unless the server runs with ENABLE_BENCH_FLOOR_PAGE=1.
 */
export default function BenchFloorPage() {
  if (process.env.ENABLE_BENCH_FLOOR_PAGE !== '1') notFound();
  return null;
}
