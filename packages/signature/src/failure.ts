import { UserError } from '@deploy-actions/action-kit';
import type { RegistryErrorCode } from '@deploy-actions/registry';

/**
 * Why verification failed, as typed values, and the one table that turns them into the
 * public `error-code` output. Messages can be reworded freely; codes change only here.
 */

/** Why one signature or attestation did not count. */
export type Rejection =
  /** The payload, bundle or annotations could not be read. */
  | 'malformed'
  /** The cryptography failed: another key, altered bytes, an untrusted CA, no valid log entry. */
  | 'bad-signature'
  /** Keyless where a key was required, or the reverse. */
  | 'wrong-kind'
  /** The certificate names another identity (SAN). */
  | 'wrong-identity'
  /** The certificate names another OIDC issuer. */
  | 'wrong-issuer'
  /** The certificate's GitHub source repository is not the required one (or absent). */
  | 'wrong-source-repository'
  /** The certificate's GitHub source ref is not the required one (or absent). */
  | 'wrong-source-ref'
  /** The certificate's GitHub source commit is not the required one (or absent). */
  | 'wrong-source-digest'
  /** Validly signed, but the signed payload is about another digest (a copied signature). */
  | 'other-image'
  /** Validly signed for this digest, but the signed repository is another one (or none). */
  | 'wrong-docker-reference';

/** Why an image did not verify. */
export type FailureReason =
  | 'no-signature'
  | 'wrong-signer'
  | 'wrong-source'
  | 'wrong-docker-reference'
  | 'invalid-signature'
  | 'attestation-missing'
  | 'image-not-found'
  | 'registry-tampered'
  | 'registry-unauthorized'
  | 'registry-denied'
  | 'registry-too-large'
  | 'registry-bad-response'
  | 'registry-unreachable'
  | 'github-unauthorized'
  | 'github-unreachable'
  | 'cosign-install-failed'
  | 'cosign-checksum-mismatch'
  | 'cosign-failed';

/** The public `error-code` of each reason. Existing values are public API: never change one. */
export const ERROR_CODES: Readonly<Record<FailureReason, string>> = {
  'no-signature': 'no-signature',
  'wrong-signer': 'wrong-signer',
  'wrong-source': 'wrong-source',
  'wrong-docker-reference': 'wrong-docker-reference',
  'invalid-signature': 'invalid-signature',
  'attestation-missing': 'attestation-missing',
  'image-not-found': 'image-not-found',
  'registry-tampered': 'registry-tampered',
  'registry-unauthorized': 'registry-unauthorized',
  'registry-denied': 'registry-denied',
  'registry-too-large': 'registry-too-large',
  'registry-bad-response': 'registry-bad-response',
  'registry-unreachable': 'registry-unreachable',
  'github-unauthorized': 'github-unauthorized',
  'github-unreachable': 'github-unreachable',
  'cosign-install-failed': 'cosign-install-failed',
  'cosign-checksum-mismatch': 'cosign-checksum-mismatch',
  'cosign-failed': 'cosign-failed',
};

/** A UserError carrying a typed reason; its `code` (the `error-code` output) comes from ERROR_CODES. */
export class ReasonedError extends UserError {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(ERROR_CODES[reason], message);
  }
}

/** What a rejected signature says about the image, when no signature passed. */
const REJECTION_FAILURE: Readonly<Record<Rejection, FailureReason>> = {
  malformed: 'invalid-signature',
  'bad-signature': 'invalid-signature',
  'other-image': 'invalid-signature',
  'wrong-kind': 'wrong-signer',
  'wrong-identity': 'wrong-signer',
  'wrong-issuer': 'wrong-signer',
  'wrong-source-repository': 'wrong-source',
  'wrong-source-ref': 'wrong-source',
  'wrong-source-digest': 'wrong-source',
  'wrong-docker-reference': 'wrong-docker-reference',
};

// When several signatures fail differently, report the one that came closest to passing:
// right signer and source but another repository, then the right signer from another source,
// then another signer, then signatures that do not verify at all.
const CLOSENESS: readonly FailureReason[] = [
  'wrong-docker-reference',
  'wrong-source',
  'wrong-signer',
  'invalid-signature',
];

/** The image-level reason for a set of rejected signatures (none of which passed). */
export function failureFor(rejections: readonly Rejection[]): FailureReason {
  const reasons = new Set(rejections.map((r) => REJECTION_FAILURE[r]));
  return CLOSENESS.find((reason) => reasons.has(reason)) ?? 'invalid-signature';
}

/** The `RegistryError` codes of @deploy-actions/registry, as failure reasons. */
export function registryFailureReason(code: RegistryErrorCode): FailureReason {
  switch (code) {
    case 'not-found':
      return 'image-not-found';
    case 'digest-mismatch':
      return 'registry-tampered';
    default:
      return `registry-${code}`;
  }
}
