import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, Verifier, type SignedEntity } from '@sigstore/verify';
import type { Rejection } from './failure.js';
import { githubSource, identityProblem, type IdentityPolicy, type SignerIdentity } from './identity.js';
import type { PublicKey } from './public-key.js';
import { HASHEDREKORD_V2, hashedRekordDsseProblem, signedDigest } from './rekor2-dsse.js';
import { trustMaterial } from './trust.js';
import { errorMessage } from '@deploy-actions/action-kit';

export type TrustPolicy =
  { kind: 'key'; key: PublicKey } | { kind: 'keyless'; identity: IdentityPolicy; trustedRoot: TrustedRoot };

export type BundleOutcome =
  | { ok: true; signer: SignerIdentity | { fingerprint: string } }
  | { ok: false; rejection: Rejection; reason: string; signer?: SignerIdentity };

/**
 * Verifies a sigstore bundle (JSON) with sigstore-js: signature, certificate chain
 * to the root's CA, SCTs, transparency-log inclusion and timestamps; then the
 * identity policy. `artifact` is the signed bytes for message signatures.
 */
export function verifyBundle(
  json: unknown,
  artifact: Buffer | undefined,
  policy: TrustPolicy,
  root: TrustedRoot,
): BundleOutcome {
  let bundle: Bundle;
  try {
    bundle = bundleFromJSON(json);
  } catch (error) {
    return {
      ok: false,
      rejection: 'malformed',
      reason: `the sigstore bundle is malformed (${errorMessage(error)})`,
    };
  }
  const key = policy.kind === 'key' ? policy.key : undefined;
  let signer;
  try {
    const entity = toSignedEntity(bundle as unknown as Parameters<typeof toSignedEntity>[0], artifact);
    if (policy.kind === 'key' && entity.key.$case !== 'public-key') {
      return {
        ok: false,
        rejection: 'wrong-kind',
        reason: 'signed keylessly (a certificate), but a key was required',
      };
    }
    if (policy.kind === 'keyless' && entity.key.$case !== 'certificate') {
      return {
        ok: false,
        rejection: 'wrong-kind',
        reason: 'signed with a key, but a keyless identity was required',
      };
    }
    const logged = rekorV2Dsse(bundle, entity, key);
    if (typeof logged === 'string') {
      return {
        ok: false,
        rejection: 'bad-signature',
        reason: `the sigstore bundle does not verify: ${logged}`,
      };
    }
    // A private sigstore deployment may run without a CT log; a root that lists none
    // cannot vouch for SCTs, so none are required then. The public-good root lists CT logs.
    // With a key, the key is the trust: no log entry or timestamp is required, as
    // `cosign verify --key --insecure-ignore-tlog` (and our legacy path) does; cosign signs
    // with `--tlog-upload=false` into bundles that carry neither. Entries present are still checked.
    const options = {
      ...(root.ctlogs.length === 0 ? { ctlogThreshold: 0 } : {}),
      ...(policy.kind === 'key' ? { tlogThreshold: 0, timestampThreshold: 0 } : {}),
    };
    signer = new Verifier(trustMaterial(root, key), options).verify(logged ?? entity);
  } catch (error) {
    return {
      ok: false,
      rejection: 'bad-signature',
      reason: `the sigstore bundle does not verify: ${errorMessage(error)}`,
    };
  }
  if (policy.kind === 'key') return { ok: true, signer: { fingerprint: policy.key.fingerprint } };
  const identity: SignerIdentity = {
    ...(signer.identity?.subjectAlternativeName !== undefined
      ? { subjectAlternativeName: signer.identity.subjectAlternativeName }
      : {}),
    ...(signer.identity?.extensions?.issuer !== undefined
      ? { issuer: signer.identity.extensions.issuer }
      : {}),
  };
  // The certificate was verified above, so its GitHub extensions are Fulcio's word.
  const github = githubSource(signer.identity?.oids);
  if (github) identity.github = github;
  const problem = identityProblem(policy.identity, identity);
  if (problem) return { ok: false, rejection: problem.rejection, reason: problem.message, signer: identity };
  return { ok: true, signer: identity };
}

/**
 * A DSSE envelope logged to Rekor v2 as hashedrekord 0.0.2 (see rekor2-dsse.ts): checks each
 * entry's body against the envelope, its certificate or key, and returns the entity with the
 * digest comparison @sigstore/verify then makes (while it checks inclusion, checkpoint and
 * signature) being against SHA-256(PAE) instead of SHA-256(payload). Undefined for any other
 * bundle; a string says why the entries do not match.
 */
function rekorV2Dsse(
  bundle: Bundle,
  entity: SignedEntity,
  key: PublicKey | undefined,
): SignedEntity | string | undefined {
  if (bundle.content.$case !== 'dsseEnvelope') return undefined;
  const entries = bundle.verificationMaterial.tlogEntries;
  const isV2 = (kv: { kind: string; version: string } | undefined): boolean =>
    kv?.kind === HASHEDREKORD_V2.kind && kv.version === HASHEDREKORD_V2.version;
  const v2 = entries.filter((entry) => isV2(entry.kindVersion));
  if (v2.length === 0) return undefined;
  if (v2.length !== entries.length) {
    return 'the DSSE envelope is logged both as hashedrekord 0.0.2 and as another kind; only one kind per bundle is supported';
  }
  const envelope = bundle.content.dsseEnvelope;
  const material = bundle.verificationMaterial.content;
  let verifier: { kind: 'certificate' | 'public-key'; der: Buffer } | undefined;
  if (material.$case === 'certificate')
    verifier = { kind: 'certificate', der: material.certificate.rawBytes };
  else if (material.$case === 'x509CertificateChain') {
    const leaf = material.x509CertificateChain.certificates[0];
    if (leaf) verifier = { kind: 'certificate', der: leaf.rawBytes };
  } else if (key) verifier = { kind: 'public-key', der: key.key.export({ type: 'spki', format: 'der' }) };
  if (!verifier) return 'the bundle names no certificate or key that its log entry could be checked against';
  const logged = {
    payloadType: envelope.payloadType,
    payload: envelope.payload,
    signature: envelope.signatures[0]?.sig ?? Buffer.alloc(0),
    verifier,
  };
  for (const entry of v2) {
    const problem = hashedRekordDsseProblem(entry.canonicalizedBody, logged);
    if (problem) return problem;
  }
  const digest = signedDigest(logged);
  const content = entity.signature;
  return {
    ...entity,
    signature: {
      get signature() {
        return content.signature;
      },
      compareSignature: (signature: Buffer) => content.compareSignature(signature),
      compareDigest: (candidate: Buffer) => candidate.length === digest.length && candidate.equals(digest),
      verifySignature: (k) => content.verifySignature(k),
    },
  };
}
