import { createHash } from 'node:crypto';

/** At most four leading characters, fewer for short secrets, so nothing useful is revealed. */
export function redact(secret: string): string {
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…(${secret.length} chars)`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/**
 * A finding's identity across runs: rule + path + hash of the secret. It does not
 * change when lines move or commits are rebased, so baselines and code scanning
 * alerts stay attached to the same secret.
 */
export function fingerprintOf(ruleId: string, file: string, secretHash: string): string {
  return `${file}:${ruleId}:${secretHash.slice(0, 16)}`;
}
