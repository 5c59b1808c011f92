import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';

export interface PublicKey {
  key: KeyObject;
  /** `ecdsa-p256`, `ed25519`, `rsa-<bits>`. */
  algorithm: string;
  /** `SHA256:<base64>` of the DER SubjectPublicKeyInfo, like `ssh-keygen -lf` prints for host keys. */
  fingerprint: string;
}

/** Parses a PEM public key; throws an Error naming what is wrong (never quoting the text). */
export function loadPublicKey(pem: string): PublicKey {
  if (!/-----BEGIN (?:PUBLIC KEY|RSA PUBLIC KEY|EC PUBLIC KEY)-----/.test(pem)) {
    if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
      throw new Error('is a private key; pass the public key (cosign.pub), never the private one');
    }
    throw new Error('is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
  }
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('is not a readable PEM public key');
  }
  const details = key.asymmetricKeyDetails ?? {};
  let algorithm: string;
  if (key.asymmetricKeyType === 'ec') {
    if (details.namedCurve !== 'prime256v1') {
      throw new Error(`is an ECDSA key on curve ${details.namedCurve ?? 'unknown'}; cosign keys use P-256`);
    }
    algorithm = 'ecdsa-p256';
  } else if (key.asymmetricKeyType === 'ed25519') {
    algorithm = 'ed25519';
  } else if (key.asymmetricKeyType === 'rsa') {
    if ((details.modulusLength ?? 0) < 2048) throw new Error('is an RSA key shorter than 2048 bits');
    algorithm = `rsa-${details.modulusLength}`;
  } else {
    throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key; use ECDSA P-256, Ed25519 or RSA`);
  }
  const der = key.export({ type: 'spki', format: 'der' });
  return {
    key,
    algorithm,
    fingerprint: `SHA256:${createHash('sha256').update(der).digest('base64').replace(/=+$/, '')}`,
  };
}

/**
 * Checks a signature the way cosign makes them: ECDSA and RSA (PKCS#1 v1.5) over
 * the SHA-256 of the data, Ed25519 over the data itself.
 */
export function verifySignature(publicKey: PublicKey, data: Buffer, signature: Buffer): boolean {
  try {
    const hash = publicKey.algorithm === 'ed25519' ? null : 'sha256';
    return verify(hash, data, publicKey.key, signature);
  } catch {
    return false;
  }
}
