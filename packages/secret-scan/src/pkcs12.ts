import { createHash } from 'node:crypto';
import { fingerprintOf } from './redact.js';
import type { Finding } from './types.js';

/**
 * Committed PKCS#12 files (`.p12`, `.pfx`): a certificate bundled with its private key.
 * Binary, so no text rule can see them; they are recognised by name and by the start of
 * their DER encoding, so a text file that happens to end in `.p12` is not reported.
 */
export const PKCS12_RULE = {
  id: 'pkcs12-file',
  description: 'PKCS#12 file (.p12 / .pfx): a private key bundled with its certificate',
} as const;

export function isPkcs12Name(path: string): boolean {
  return /\.(?:p12|pfx)$/i.test(path);
}

// OID 1.2.840.113549.1.7 (PKCS#7 content types), the authSafe's type: data (1) or signedData (2).
const PKCS7_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];

/** Index just past a DER/BER length at `i`, or -1 when it is not one. */
function skipLength(data: Uint8Array, i: number): number {
  const first = data[i];
  if (first === undefined) return -1;
  if (first < 0x80) return i + 1;
  if (first === 0x80) return i + 1; // BER indefinite length (older tools write PFX this way)
  const n = first & 0x7f;
  return n >= 1 && n <= 4 ? i + 1 + n : -1;
}

/**
 * True when `data` starts as a PFX does (RFC 7292): SEQUENCE { INTEGER 3, SEQUENCE {
 * OBJECT IDENTIFIER pkcs7-data | pkcs7-signedData, … } … }.
 */
export function looksLikePkcs12(data: Uint8Array): boolean {
  if (data.length < 24 || data[0] !== 0x30) return false;
  let i = skipLength(data, 1);
  if (i < 0 || data[i] !== 0x02 || data[i + 1] !== 0x01 || data[i + 2] !== 0x03) return false;
  i += 3;
  if (data[i] !== 0x30) return false;
  i = skipLength(data, i + 1);
  if (i < 0) return false;
  for (let k = 0; k < PKCS7_OID.length; k++) if (data[i + k] !== PKCS7_OID[k]) return false;
  const type = data[i + PKCS7_OID.length];
  return type === 0x01 || type === 0x02;
}

/** The finding for a committed PKCS#12 file, or undefined when the name or the bytes say it is not one. */
export function pkcs12Finding(file: string, data: Uint8Array, commit?: string): Finding | undefined {
  if (!isPkcs12Name(file) || !looksLikePkcs12(data)) return undefined;
  // The file is the secret: its hash identifies it (a baseline entry stops matching when it changes).
  const secretHash = createHash('sha256').update(data).digest('hex');
  return {
    ruleId: PKCS12_RULE.id,
    description: `${PKCS12_RULE.description}. Revoke the certificate, remove the file and keep it in a secret store.`,
    file,
    line: 1,
    column: 1,
    commit,
    secret: '',
    secretHash,
    redacted: '',
    fingerprint: fingerprintOf(PKCS12_RULE.id, file, secretHash),
    entropy: 0,
  };
}
