// Small helpers shared by the benchmarks.
import { readLab } from '../test/harness/chain.mjs';

/** The lab (.lab/lab.json, test/harness/chain.mjs's readLab); without it, says so and ends the bench (exit 0). */
export function labOrSkip() {
  const lab = readLab();
  if (!lab) {
    console.log('skipped: the lab is not up (npm run lab:up)');
    process.exit(0);
  }
  return lab;
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function ms(value) {
  return `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

/** Prints rows as an aligned text table. */
export function printTable(header, rows) {
  const all = [header, ...rows].map((r) => r.map(String));
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  for (const [n, row] of all.entries()) {
    console.log(row.map((c, i) => c.padEnd(widths[i])).join('  '));
    if (n === 0) console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  }
}
