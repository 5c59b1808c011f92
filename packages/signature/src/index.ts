export { loadPublicKey, verifySignature, type PublicKey } from './public-key.js';
export {
  parseSimpleSigning,
  simpleSigningPayload,
  SIMPLE_SIGNING_MEDIA_TYPE,
  type SimpleSigningPayload,
} from './simple-signing.js';
export {
  preAuthEncoding,
  parseEnvelope,
  parseStatement,
  statementNamesDigest,
  IN_TOTO_PAYLOAD_TYPE,
  type DsseEnvelope,
  type InTotoStatement,
} from './dsse.js';
export {
  requiredPredicate,
  predicateMatches,
  PREDICATE_ALIASES,
  type RequiredPredicate,
} from './predicate-types.js';
export {
  anchoredPattern,
  identityMismatch,
  identityProblem,
  describeIdentity,
  githubSource,
  sourceRepositoryName,
  type IdentityPolicy,
  type IdentityProblem,
  type SignerIdentity,
  type GitHubSource,
} from './identity.js';
export {
  ERROR_CODES,
  ReasonedError,
  failureFor,
  registryFailureReason,
  type FailureReason,
  type Rejection,
} from './failure.js';
export { parseTrustedRoot, publicGoodTrustedRoot, trustMaterial } from './trust.js';
export { PUBLIC_GOOD_TRUSTED_ROOT_SOURCE } from './public-good-trusted-root.js';
export { verifyBundle, type TrustPolicy, type BundleOutcome } from './bundle-verify.js';
export { verifyLegacySignature, legacyTag, ANNOTATIONS, DSSE_MEDIA_TYPE } from './cosign-legacy.js';
export {
  verifyImage,
  VerificationFailure,
  COSIGN_SIGN_PREDICATE,
  COSIGN_SIG_ARTIFACT_TYPE,
  type Evidence,
  type EvidenceSource,
  type ImageVerification,
  type VerifyImageOptions,
} from './verify-image.js';
export {
  checkDockerReference,
  cosignAttestationTypes,
  cosignPolicyArgs,
  githubFromCosign,
  readsOci11Referrers,
  signerFromCosign,
  type CosignResult,
  type CosignRun,
} from './cosign-cli.js';
