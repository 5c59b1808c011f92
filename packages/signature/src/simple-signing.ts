/** The payload cosign signs for an image: "simple signing", as containers/image defines it. */
export interface SimpleSigningPayload {
  critical: {
    identity?: { 'docker-reference'?: string };
    image: { 'docker-manifest-digest': string };
    type: string;
  };
  optional?: Record<string, unknown> | null;
}

export const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
const SIMPLE_SIGNING_TYPE = 'cosign container image signature';

/** Reads a payload; returns an explanation instead when it is not a cosign image signature. */
export function parseSimpleSigning(bytes: Buffer): SimpleSigningPayload | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return 'the signed payload is not JSON';
  }
  const critical = (parsed as SimpleSigningPayload | null)?.critical;
  if (typeof critical !== 'object' || critical === null) return 'the signed payload has no critical section';
  if (critical.type !== SIMPLE_SIGNING_TYPE)
    return `the signed payload is of type '${String(critical.type)}', not a cosign image signature`;
  if (typeof critical.image?.['docker-manifest-digest'] !== 'string')
    return 'the signed payload names no image digest';
  return parsed as SimpleSigningPayload;
}

/**
 * The payload exactly as cosign writes it (same key order, `optional: null`), so a
 * signer built on it produces what cosign produces; check-interop compares it with
 * real cosign output byte for byte.
 */
export function simpleSigningPayload(dockerReference: string, digest: string): Buffer {
  return Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': dockerReference },
        image: { 'docker-manifest-digest': digest },
        type: SIMPLE_SIGNING_TYPE,
      },
      optional: null,
    }),
  );
}
