/** A DSSE envelope as cosign and in-toto write it (JSON, base64 payload). */
export interface DsseEnvelope {
  payloadType: string;
  payload: string;
  signatures: { keyid?: string; sig: string }[];
}

export interface InTotoStatement {
  _type: string;
  subject: { name?: string; digest: Record<string, string> }[];
  predicateType: string;
  predicate?: unknown;
}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';

/** The DSSE pre-authentication encoding: what the signature is really over. */
export function preAuthEncoding(payloadType: string, payload: Buffer): Buffer {
  const type = Buffer.from(payloadType, 'utf8');
  return Buffer.concat([
    Buffer.from(`DSSEv1 ${type.length} `),
    type,
    Buffer.from(` ${payload.length} `),
    payload,
  ]);
}

export function parseEnvelope(bytes: Buffer): DsseEnvelope | string {
  let parsed: DsseEnvelope;
  try {
    parsed = JSON.parse(bytes.toString('utf8')) as DsseEnvelope;
  } catch {
    return 'the attestation is not a JSON DSSE envelope';
  }
  if (
    typeof parsed?.payloadType !== 'string' ||
    typeof parsed.payload !== 'string' ||
    !Array.isArray(parsed.signatures)
  ) {
    return 'the attestation is not a DSSE envelope (payloadType, payload, signatures)';
  }
  return parsed;
}

export function parseStatement(payload: Buffer): InTotoStatement | string {
  let parsed: InTotoStatement;
  try {
    parsed = JSON.parse(payload.toString('utf8')) as InTotoStatement;
  } catch {
    return 'the attestation payload is not JSON';
  }
  if (typeof parsed?.predicateType !== 'string' || !Array.isArray(parsed.subject)) {
    return 'the attestation payload is not an in-toto statement';
  }
  return parsed;
}

/** True when the statement names the digest (`sha256:<hex>`) among its subjects. */
export function statementNamesDigest(statement: InTotoStatement, digest: string): boolean {
  const hex = digest.replace(/^sha256:/, '');
  return statement.subject.some((s) => s.digest?.['sha256'] === hex);
}
