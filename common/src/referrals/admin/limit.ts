/** How many rows (or days) a read takes: `value` as a whole number from 1 to `max`. */
export function clampCount(value: number, max: number): number {
  return Math.max(1, Math.min(max, Math.trunc(value)));
}
