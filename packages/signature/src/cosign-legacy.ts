import { X509Certificate } from 'node:crypto';
import { sha256 } from '@deploy-actions/registry';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { verifyBundle, type BundleOutcome, type TrustPolicy } from './bundle-verify.js';
import { preAuthEncoding, type DsseEnvelope } from './dsse.js';
import { verifySignature } from './public-key.js';
import { errorMessage } from '@deploy-actions/action-kit';

/** The layer annotations cosign writes on each signature in a `.sig` or `.att` image. */
export const ANNOTATIONS = {
  signature: 'dev.cosignproject.cosign/signature',
  certificate: 'dev.sigstore.cosign/certificate',
  chain: 'dev.sigstore.cosign/chain',
  rekorBundle: 'dev.sigstore.cosign/bundle',
} as const;

export const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';

/** `sha256-<hex>.sig` / `.att`: where cosign's legacy scheme stores what it attached to a digest. */
export function legacyTag(digest: string, suffix: 'sig' | 'att'): string {
  return `${digest.replace(':', '-')}.${suffix}`;
}

interface RekorSet {
  SignedEntryTimestamp: string;
  Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
}

/**
 * Checks one legacy signature over `signed` (the payload bytes for `.sig`, the DSSE
 * envelope for `.att`). With a key, the signature alone is checked (as
 * `cosign verify --key --insecure-ignore-tlog` does; a key needs no log). Keyless
 * signatures carry a certificate and a Rekor SET: they are turned into a sigstore
 * bundle so sigstore-js checks chain, SCT, SET and identity as for any bundle.
 */
export function verifyLegacySignature(
  signed: { payload: Buffer } | { envelope: DsseEnvelope },
  annotations: Record<string, string>,
  policy: TrustPolicy,
  root: TrustedRoot,
): BundleOutcome {
  const signatureText =
    'payload' in signed ? annotations[ANNOTATIONS.signature] : signed.envelope.signatures[0]?.sig;
  if (!signatureText)
    return { ok: false, rejection: 'malformed', reason: 'the signature annotation is missing' };
  const signature = Buffer.from(signatureText, 'base64');
  const certificate = annotations[ANNOTATIONS.certificate];

  if (policy.kind === 'key') {
    const data =
      'payload' in signed
        ? signed.payload
        : preAuthEncoding(signed.envelope.payloadType, Buffer.from(signed.envelope.payload, 'base64'));
    if (verifySignature(policy.key, data, signature))
      return { ok: true, signer: { fingerprint: policy.key.fingerprint } };
    return certificate
      ? {
          ok: false,
          rejection: 'wrong-kind',
          reason: 'signed keylessly (a certificate), not by the given key',
        }
      : {
          ok: false,
          rejection: 'bad-signature',
          reason:
            'the signature does not verify with the given key (another key made it, or the signed bytes were altered)',
        };
  }

  if (!certificate)
    return {
      ok: false,
      rejection: 'wrong-kind',
      reason: 'signed with a key, but a keyless identity was required',
    };
  const rekorText = annotations[ANNOTATIONS.rekorBundle];
  if (!rekorText)
    return {
      ok: false,
      rejection: 'bad-signature',
      reason: 'the keyless signature has no Rekor entry (dev.sigstore.cosign/bundle); it cannot be checked',
    };
  let bundleJson: unknown;
  try {
    bundleJson = legacyToBundle(signed, signatureText, certificate, JSON.parse(rekorText) as RekorSet);
  } catch (error) {
    return {
      ok: false,
      rejection: 'malformed',
      reason: `the keyless signature's certificate or Rekor entry is malformed (${errorMessage(error)})`,
    };
  }
  return verifyBundle(bundleJson, 'payload' in signed ? signed.payload : undefined, policy, root);
}

function legacyToBundle(
  signed: { payload: Buffer } | { envelope: DsseEnvelope },
  signature: string,
  certificatePem: string,
  rekor: RekorSet,
): unknown {
  const leaf = new X509Certificate(certificatePem);
  const body = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8')) as {
    kind: string;
    apiVersion: string;
  };
  const content =
    'payload' in signed
      ? {
          messageSignature: {
            messageDigest: {
              algorithm: 'SHA2_256',
              digest: Buffer.from(sha256(signed.payload).slice(7), 'hex').toString('base64'),
            },
            signature,
          },
        }
      : {
          dsseEnvelope: {
            payload: signed.envelope.payload,
            payloadType: signed.envelope.payloadType,
            signatures: [{ sig: signature, keyid: '' }],
          },
        };
  return {
    mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
    verificationMaterial: {
      x509CertificateChain: { certificates: [{ rawBytes: leaf.raw.toString('base64') }] },
      tlogEntries: [
        {
          logIndex: String(rekor.Payload.logIndex),
          logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
          kindVersion: { kind: body.kind, version: body.apiVersion },
          integratedTime: String(rekor.Payload.integratedTime),
          inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
          canonicalizedBody: rekor.Payload.body,
        },
      ],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    ...content,
  };
}
