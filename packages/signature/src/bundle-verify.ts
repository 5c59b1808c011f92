import { bundleFromJSON, type Bundle } from '@sigstore/bundle';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, Verifier } from '@sigstore/verify';
import type { Rejection } from './failure.js';
import { githubSource, identityProblem, type IdentityPolicy, type SignerIdentity } from './identity.js';
import type { PublicKey } from './public-key.js';
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
    // A private sigstore deployment may run without a CT log; a root that lists none
    // cannot vouch for SCTs, so none are required then. The public-good root lists CT logs.
    // With a key, the key is the trust: no log entry or timestamp is required, as
    // `cosign verify --key --insecure-ignore-tlog` (and our legacy path) does; cosign signs
    // with `--tlog-upload=false` into bundles that carry neither. Entries present are still checked.
    const options = {
      ...(root.ctlogs.length === 0 ? { ctlogThreshold: 0 } : {}),
      ...(policy.kind === 'key' ? { tlogThreshold: 0, timestampThreshold: 0 } : {}),
    };
    signer = new Verifier(trustMaterial(root, key), options).verify(entity);
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
