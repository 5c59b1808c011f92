import { backoffDelay } from '../src/backoff.js';

const timing = { intervalMs: 1000, maxIntervalMs: 10_000, graceRounds: 0 };
const middle = (): number => 0.5;

describe('backoffDelay', () => {
  it('waits the interval after a round that passed', () => {
    expect(backoffDelay(0, timing, middle)).toBe(1000);
  });

  it('grows by a fifth each consecutive failing round', () => {
    expect([1, 2, 3].map((f) => backoffDelay(f, timing, middle))).toEqual([1200, 1440, 1728]);
  });

  it('holds the interval through the grace rounds, then grows', () => {
    const graced = { ...timing, graceRounds: 10 };
    expect([1, 10, 11, 12].map((f) => backoffDelay(f, graced, middle))).toEqual([1000, 1000, 1200, 1440]);
  });

  it('never waits longer than max-interval, jitter included', () => {
    expect(backoffDelay(50, timing, () => 0.999)).toBe(10_000);
  });

  it('spreads the wait by at most 20% either way', () => {
    expect(backoffDelay(0, timing, () => 0)).toBe(800);
    expect(backoffDelay(0, timing, () => 0.9999)).toBe(1200);
  });

  it('treats a max-interval below the interval as the interval', () => {
    expect(backoffDelay(4, { intervalMs: 5000, maxIntervalMs: 1000 }, middle)).toBe(5000);
  });
});
