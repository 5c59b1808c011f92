import { createHash, timingSafeEqual } from 'node:crypto';
import { preAuthEncoding } from './dsse.js';

/**
 * Rekor v2 logs a DSSE envelope as a `hashedrekord` 0.0.2 entry over the envelope's signed
 * bytes (rekor-v2-spec §6.1.4, "hashedrekord over DSSE"): the entry's digest is
 * SHA-256(PAE(payloadType, payload)), its signature the envelope's, its verifier the signing
 * certificate (or key). @sigstore/verify 3.x compares that digest with SHA-256(payload), so it
 * rejects every such bundle; its 4.x line, which compares the PAE digest, needs Node 22+.
 */

/** The parts of a bundle an entry must match. */
export interface LoggedEnvelope {
  payloadType: string;
  payload: Buffer;
  /** The envelope's (first and only) signature. */
  signature: Buffer;
  /** DER of what signed: the leaf certificate, or the public key's SubjectPublicKeyInfo. */
  verifier: { kind: 'certificate' | 'public-key'; der: Buffer };
}

export const HASHEDREKORD_V2 = { kind: 'hashedrekord', version: '0.0.2' } as const;

/** SHA-256 of the envelope's pre-authentication encoding: what a Rekor v2 entry records. */
export function signedDigest(envelope: Pick<LoggedEnvelope, 'payloadType' | 'payload'>): Buffer {
  return createHash('sha256').update(preAuthEncoding(envelope.payloadType, envelope.payload)).digest();
}

const same = (a: Buffer, b: Buffer): boolean => a.length === b.length && timingSafeEqual(a, b);

function bytes(value: unknown): Buffer | undefined {
  if (typeof value !== 'string') return undefined;
  // proto3 JSON bytes: standard or URL-safe base64.
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * Checks a hashedrekord 0.0.2 entry's canonicalized body against a DSSE envelope: the
 * logged digest is SHA-256 of the PAE, the logged signature is the envelope's, the logged
 * verifier is the bundle's certificate (or key). Returns what differs, or undefined.
 */
export function hashedRekordDsseProblem(
  canonicalizedBody: Buffer,
  envelope: LoggedEnvelope,
): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(canonicalizedBody.toString('utf8'));
  } catch {
    return 'the transparency log entry body is not JSON';
  }
  if (field(body, 'kind') !== HASHEDREKORD_V2.kind || field(body, 'apiVersion') !== HASHEDREKORD_V2.version) {
    return 'the transparency log entry body is not hashedrekord 0.0.2';
  }
  const spec = field(body, 'spec', 'hashedRekordV002');
  if (spec === undefined) return 'the hashedrekord 0.0.2 entry has no hashedRekordV002 spec';
  if (field(spec, 'data', 'algorithm') !== 'SHA2_256') {
    return 'the hashedrekord 0.0.2 entry does not record a SHA-256 digest';
  }
  const digest = bytes(field(spec, 'data', 'digest'));
  if (digest === undefined || !same(digest, signedDigest(envelope))) {
    return 'digest mismatch: the logged digest is not SHA-256 of the envelope (PAE of payloadType and payload)';
  }
  const signature = bytes(field(spec, 'signature', 'content'));
  if (signature === undefined || signature.length === 0 || !same(signature, envelope.signature)) {
    return "signature mismatch: the logged signature is not the envelope's";
  }
  const verifier = field(spec, 'signature', 'verifier');
  const logged =
    envelope.verifier.kind === 'certificate'
      ? bytes(field(verifier, 'x509Certificate', 'rawBytes'))
      : bytes(field(verifier, 'publicKey', 'rawBytes'));
  if (logged === undefined || !same(logged, envelope.verifier.der)) {
    return envelope.verifier.kind === 'certificate'
      ? "verifier mismatch: the logged certificate is not the bundle's"
      : 'verifier mismatch: the logged public key is not the verifying key';
  }
  return undefined;
}
