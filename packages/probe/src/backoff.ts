/** How much each consecutive failing round stretches the wait. Gentler than doubling, so a
 * service that needs a while still gets noticed within roughly one interval of turning ready. */
export const BACKOFF_FACTOR = 1.5;
/** Jitter spreads the wait over ±20%, so several gates started together do not probe in lockstep. */
export const JITTER = 0.2;

/**
 * The wait before the next round: `interval × 1.5^failures`, jittered by ±20%, never above
 * `maxIntervalMs` (nor below zero). `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelay(
  failures: number,
  timing: { intervalMs: number; maxIntervalMs: number },
  random: () => number = Math.random,
): number {
  const ceiling = Math.max(timing.intervalMs, timing.maxIntervalMs);
  const base = Math.min(ceiling, timing.intervalMs * BACKOFF_FACTOR ** Math.max(0, failures));
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.max(0, Math.min(ceiling, Math.round(jittered)));
}
