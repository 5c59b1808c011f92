/**
 * How much each failing round past the grace stretches the wait. Deliberately gentle: a
 * readiness gate's whole point is to notice quickly, and one request every few seconds costs a
 * service nothing. The benchmark showed ×1.5 from the first failure losing to a plain
 * `until curl; do sleep 2; done` loop on outages of a few seconds to a minute.
 */
const BACKOFF_FACTOR = 1.2;
/** Failing rounds probed at the base interval before the wait starts to grow (20s at the default 2s). */
const BACKOFF_GRACE_ROUNDS = 10;
/** Jitter spreads the wait over ±20%, so several gates started together do not probe in lockstep. */
const JITTER = 0.2;

export interface BackoffTiming {
  intervalMs: number;
  maxIntervalMs: number;
  /** Failing rounds before backoff starts; BACKOFF_GRACE_ROUNDS by default. */
  graceRounds?: number;
}

/**
 * The wait before the next round after `failures` consecutive failing rounds:
 * `interval × 1.2^(failures − grace)` (just `interval` within the grace), jittered by ±20%,
 * never above `maxIntervalMs`. `random` returns a number in [0, 1), like Math.random.
 */
export function backoffDelay(
  failures: number,
  timing: BackoffTiming,
  random: () => number = Math.random,
): number {
  const ceiling = Math.max(timing.intervalMs, timing.maxIntervalMs);
  const growth = Math.max(0, failures - (timing.graceRounds ?? BACKOFF_GRACE_ROUNDS));
  const base = Math.min(ceiling, timing.intervalMs * BACKOFF_FACTOR ** growth);
  const jittered = base * (1 - JITTER + 2 * JITTER * random());
  return Math.max(0, Math.min(ceiling, Math.round(jittered)));
}
