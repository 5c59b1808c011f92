import { createHash, createHmac, randomBytes } from 'node:crypto';
import { shannonEntropy } from './entropy.js';

/**
 * True for secrets long and random enough that a prefix and a hash reveal nothing
 * usable: at least 20 characters of at least 3.5 bits each (70+ bits to guess past
 * any prefix). A short or low-entropy password is not: with its first characters,
 * its length and an unsalted hash it could be brute-forced from a report.
 */
export function isStrongSecret(secret: string): boolean {
  if (secret.length < 20) return false;
  const entropy = shannonEntropy(secret);
  return /^[a-f0-9]+$/i.test(secret) ? secret.length >= 32 && entropy >= 3 : entropy >= 3.5;
}

/** At most four leading characters of a strong secret; nothing but the length class of a weak one. */
export function redact(secret: string): string {
  if (secret === '') return '';
  if (!isStrongSecret(secret)) return '…(short or low-entropy value, not shown)';
  const shown = Math.min(4, Math.floor(secret.length / 4));
  return `${secret.slice(0, shown)}…(${secret.length} chars)`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The key of this run only: report ids of the same secret match within one report and never across runs. */
const RUN_KEY = randomBytes(32);

/** A keyed hash of the secret (HMAC-SHA-256 with a per-run key), 64 bits: same secret, same id, in this run's report. */
export function runSecretId(secret: string): string {
  return createHmac('sha256', RUN_KEY).update(secret).digest('hex').slice(0, 16);
}

/**
 * A finding's identity across runs. For a strong secret: rule + path + 64 bits of
 * its hash, stable when lines move or commits are rebased. For a weak one the hash
 * would let a report be brute-forced, so its place stands in: rule + path + line
 * (gitleaks' own fingerprint form, which .gitleaksignore understands too).
 */
export function fingerprintOf(
  ruleId: string,
  file: string,
  secretHash: string,
  secret?: string,
  line?: number,
): string {
  if (secret !== undefined && line !== undefined && !isStrongSecret(secret))
    return `${file}:${ruleId}:${line}`;
  return `${file}:${ruleId}:${secretHash.slice(0, 16)}`;
}
