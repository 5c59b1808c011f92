import { silentLogger, type Logger } from '@deploy-actions/action-kit';
import {
  MEDIA_TYPES,
  RegistryError,
  parseReference,
  pinnedReference,
  repositoryName,
  type Descriptor,
  type FetchedManifest,
  type ImageReference,
  type RegistryClient,
} from '@deploy-actions/registry';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import { verifyBundle, type BundleOutcome, type TrustPolicy } from './bundle-verify.js';
import { DSSE_MEDIA_TYPE, legacyTag, verifyLegacySignature } from './cosign-legacy.js';
import { parseEnvelope, parseStatement, statementNamesDigest, type InTotoStatement } from './dsse.js';
import {
  failureFor,
  ReasonedError,
  registryFailureReason,
  type FailureReason,
  type Rejection,
} from './failure.js';
import { describeIdentity, type GitHubSource, type SignerIdentity } from './identity.js';
import { predicateMatches, type RequiredPredicate } from './predicate-types.js';
import { parseSimpleSigning, SIMPLE_SIGNING_MEDIA_TYPE } from './simple-signing.js';

/** Where a piece of evidence came from. */
export type EvidenceSource =
  'cosign .sig' | 'cosign .att' | 'cosign OCI 1.1 referrer' | 'sigstore bundle' | 'GitHub attestation';

/** One signature or attestation that was looked at, and what came of it. */
export interface Evidence {
  source: EvidenceSource;
  kind: 'signature' | 'attestation';
  /** The predicate type, for attestations. */
  predicateType?: string;
  ok: boolean;
  /** Why it passed (the signer) or why it did not. */
  detail: string;
  /** Why it did not count, as a typed value (unset when ok). */
  rejection?: Rejection;
  signer?: string;
  /** What a keyless certificate says about the GitHub run that signed. */
  github?: GitHubSource;
}

export interface VerifyImageOptions {
  reference: ImageReference;
  policy: TrustPolicy;
  /** Trust for sigstore bundles and keyless signatures (also used for key-based bundles' logs). */
  trustedRoot: TrustedRoot;
  attestations: readonly RequiredPredicate[];
  client: RegistryClient;
  log?: Logger;
  /** Extra sources (GitHub artifact attestations): called with the digest, returns bundles as JSON. */
  extraBundles?: (digest: string) => Promise<{ source: EvidenceSource; bundle: unknown }[]>;
  /**
   * Require a signature to name this repository (`critical.identity.docker-reference`, or the
   * subject name of a signed statement), not only this digest: a signature made for another
   * repository and copied here along with the manifest then does not pass.
   */
  requireDockerReference?: boolean;
}

export interface ImageVerification {
  digest: string;
  /** `registry/repo@sha256:...`. */
  imageRef: string;
  mediaType: string;
  /** Platforms listed when the digest is a multi-arch index. */
  platforms?: string[];
  signer: string;
  /** Keyless: what the accepted signature's certificate says about the GitHub run that signed. */
  github?: GitHubSource;
  /** The required predicate types that were verified (as the user named them). */
  verifiedAttestations: string[];
  evidence: Evidence[];
}

/** Verification failed for a reason the user can act on; carries what was found. */
export class VerificationFailure extends ReasonedError {
  constructor(
    reason: FailureReason,
    message: string,
    readonly evidence: Evidence[],
    readonly digest?: string,
  ) {
    super(reason, message);
  }
}

// A registry could attach thousands of signatures to make a check slow; real images carry a few.
const MAX_ATTACHED = 64;

const BUNDLE_ARTIFACT_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
/** What cosign v3's `sign` puts in its bundle's in-toto statement (cosign's types.CosignSignPredicateType). */
export const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
/** The config media type of cosign 2.x's `sign --registry-referrers-mode=oci-1-1` manifest. */
export const COSIGN_SIG_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';

/**
 * Resolves the image to a digest, then proves that digest is signed under the
 * policy and carries every required attestation. Looks in all the places cosign
 * and sigstore tools put them: the legacy `.sig`/`.att` tags and sigstore bundles
 * attached as referrers. Throws a VerificationFailure saying what was found instead.
 */
export async function verifyImage(options: VerifyImageOptions): Promise<ImageVerification> {
  const log = options.log ?? silentLogger;
  const { reference, client } = options;
  const image = await registryCall(() => client.resolve(reference), `resolving ${repositoryName(reference)}`);
  const digest = image.digest;
  log.info(
    `${repositoryName(reference)}${reference.tag ? `:${reference.tag}` : ''} is ${digest} (${image.mediaType || 'unknown media type'})`,
  );

  const evidence: Evidence[] = [];
  evidence.push(...(await legacyEvidence(options, digest, log, 'sig')));
  evidence.push(...(await legacyEvidence(options, digest, log, 'att')));
  evidence.push(...(await referrerEvidence(options, image, log)));
  if (options.extraBundles) {
    for (const { source, bundle } of await options.extraBundles(digest)) {
      evidence.push(judgeBundle(source, bundle, image, options));
    }
  }

  const signatures = evidence.filter((e) => e.kind === 'signature');
  const good = signatures.find((e) => e.ok);
  if (!good) {
    if (signatures.length === 0) {
      throw new VerificationFailure(
        'no-signature',
        `${pinnedReference(reference, digest)} is not signed: there is no cosign signature (${legacyTag(digest, 'sig')}), and no signature or sigstore bundle attached to it as an OCI 1.1 referrer (referrers API or ${digest.replace(':', '-')} tag).`,
        evidence,
        digest,
      );
    }
    const reasons = signatures.map((e) => `${e.source}: ${e.detail}`).join('; ');
    throw new VerificationFailure(
      failureFor(signatures.map((e) => e.rejection ?? 'bad-signature')),
      `${pinnedReference(reference, digest)} has ${signatures.length} signature(s), none valid for the policy: ${reasons}`,
      evidence,
      digest,
    );
  }

  const verifiedAttestations: string[] = [];
  const missing: string[] = [];
  for (const required of options.attestations) {
    const match = evidence.find(
      (e) =>
        e.kind === 'attestation' && e.ok && e.predicateType && predicateMatches(required, e.predicateType),
    );
    if (match) verifiedAttestations.push(required.name);
    else missing.push(required.name);
  }
  if (missing.length > 0) {
    const found = evidence.filter((e) => e.kind === 'attestation');
    const foundText =
      found.length === 0
        ? 'no attestations at all'
        : found.map((e) => `${e.predicateType ?? 'unknown type'} (${e.ok ? 'valid' : e.detail})`).join('; ');
    throw new VerificationFailure(
      'attestation-missing',
      `${pinnedReference(reference, digest)} is signed by ${good.signer}, but lacks a valid attestation of type ${missing.join(', ')}; found ${foundText}.`,
      evidence,
      digest,
    );
  }

  const platforms = image.manifest.manifests
    ?.map(
      (m) =>
        (m as Descriptor & { platform?: { os?: string; architecture?: string; variant?: string } }).platform,
    )
    .filter(
      (p): p is { os?: string; architecture?: string; variant?: string } =>
        p !== undefined && p.os !== 'unknown',
    )
    .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
  return {
    digest,
    imageRef: pinnedReference(reference, digest),
    mediaType: image.mediaType,
    ...(platforms !== undefined ? { platforms } : {}),
    signer: good.signer ?? good.detail,
    ...(good.github ? { github: good.github } : {}),
    verifiedAttestations,
    evidence,
  };
}

/**
 * What cosign's legacy tag for `digest` holds: `.sig` (simple signing layers) or `.att` (DSSE
 * attestation layers), as evidence.
 */
async function legacyEvidence(
  options: VerifyImageOptions,
  digest: string,
  log: Logger,
  kind: 'sig' | 'att',
): Promise<Evidence[]> {
  const attached = await legacyAttachment(options, digest, kind);
  if (!attached) return [];
  const tag = legacyTag(digest, kind);
  const layers = capped(attached.manifest.layers ?? [], tag, log);
  const evidence =
    kind === 'sig'
      ? await simpleSigningEvidence(options, digest, layers, 'cosign .sig')
      : await dsseEvidence(options, digest, layers, 'cosign .att');
  log.info(`${tag}: ${evidence.length} ${kind === 'sig' ? 'signature' : 'attestation'}(s)`);
  return evidence;
}

/** Cosign "simple signing" layers (a `.sig` image, or a cosign 2.x OCI 1.1 referrer): one signature each. */
async function simpleSigningEvidence(
  options: VerifyImageOptions,
  digest: string,
  layers: Descriptor[],
  source: EvidenceSource,
): Promise<Evidence[]> {
  const evidence: Evidence[] = [];
  for (const layer of layers) {
    if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE) continue;
    const payload = await registryCall(
      () => options.client.getBlob(options.reference, layer),
      'fetching a cosign signature payload',
    );
    const outcome = verifyLegacySignature(
      { payload },
      layer.annotations ?? {},
      options.policy,
      options.trustedRoot,
    );
    evidence.push(
      withDigestClaim(
        source,
        outcome,
        () => {
          const parsed = parseSimpleSigning(payload);
          if (typeof parsed === 'string') return { rejection: 'malformed', message: parsed };
          const claimed = parsed.critical.image['docker-manifest-digest'];
          if (claimed !== digest)
            return {
              rejection: 'other-image',
              message: `the signature is for another image (${claimed}), not ${digest}: copied from elsewhere`,
            };
          return options.requireDockerReference
            ? repositoryProblem(options.reference, parsed.critical.identity?.['docker-reference'])
            : undefined;
        },
        options,
      ),
    );
  }
  return evidence;
}

/** Cosign DSSE attestation layers (an `.att` image, or a cosign OCI 1.1 attestation referrer). */
async function dsseEvidence(
  options: VerifyImageOptions,
  digest: string,
  layers: Descriptor[],
  source: EvidenceSource,
): Promise<Evidence[]> {
  const evidence: Evidence[] = [];
  for (const layer of layers) {
    if (layer.mediaType !== DSSE_MEDIA_TYPE) continue;
    const bytes = await registryCall(
      () => options.client.getBlob(options.reference, layer),
      'fetching a cosign attestation',
    );
    const envelope = parseEnvelope(bytes);
    if (typeof envelope === 'string') {
      evidence.push({ source, kind: 'attestation', ok: false, detail: envelope, rejection: 'malformed' });
      continue;
    }
    const statement = parseStatement(Buffer.from(envelope.payload, 'base64'));
    const predicateType =
      typeof statement === 'string' ? layer.annotations?.['predicateType'] : statement.predicateType;
    const outcome = verifyLegacySignature(
      { envelope },
      layer.annotations ?? {},
      options.policy,
      options.trustedRoot,
    );
    evidence.push({
      ...withDigestClaim(source, outcome, () => statementProblem(statement, digest), options),
      kind: 'attestation',
      ...(predicateType !== undefined ? { predicateType } : {}),
    });
  }
  return evidence;
}

async function legacyAttachment(
  options: VerifyImageOptions,
  digest: string,
  suffix: 'sig' | 'att',
): Promise<FetchedManifest | undefined> {
  try {
    return await options.client.getManifest(options.reference, legacyTag(digest, suffix), [
      MEDIA_TYPES.ociManifest,
      MEDIA_TYPES.dockerManifest,
    ]);
  } catch (error) {
    if (error instanceof RegistryError && error.code === 'not-found') return undefined;
    throw registryFailure(error, `fetching ${legacyTag(digest, suffix)}`);
  }
}

/**
 * Everything attached to the digest as an OCI 1.1 referrer (a manifest whose `subject` is
 * the image), found through the referrers API or the `sha256-<hex>` fallback tag index:
 * sigstore bundles (cosign v3's `sign` and `attest`, `attest --new-bundle-format`,
 * `actions/attest` with push-to-registry) and cosign 2.x's `--registry-referrers-mode=oci-1-1`
 * signatures (simple-signing layers) and attestations (DSSE layers).
 *
 * Each referrer manifest is read and judged by its own layers, as cosign does: the
 * artifactType in a fallback index is not reliable (go-containerregistry, which cosign
 * uses, writes the config media type there: `application/vnd.oci.empty.v1+json` for
 * every bundle cosign attaches), and anything else (SBOMs, other signers) is skipped.
 */
async function referrerEvidence(
  options: VerifyImageOptions,
  image: FetchedManifest,
  log: Logger,
): Promise<Evidence[]> {
  const referrers = await registryCall(
    () => options.client.listReferrers(options.reference, image.digest),
    'listing referrers',
  );
  const manifests = referrers.filter(
    (d) => d.mediaType === MEDIA_TYPES.ociManifest || d.mediaType === MEDIA_TYPES.dockerManifest,
  );
  const evidence: Evidence[] = [];
  let bundles = 0;
  let cosignReferrers = 0;
  for (const descriptor of capped(manifests, `the referrers of ${image.digest}`, log)) {
    let referrer: FetchedManifest;
    try {
      referrer = await options.client.getManifest(options.reference, descriptor.digest, [
        MEDIA_TYPES.ociManifest,
        MEDIA_TYPES.dockerManifest,
      ]);
    } catch (error) {
      // A fallback tag may list a manifest since deleted; cosign skips it too.
      if (error instanceof RegistryError && error.code === 'not-found') {
        log.info(`referrer ${descriptor.digest} is listed but not in the repository; skipped`);
        continue;
      }
      throw registryFailure(error, 'fetching a referrer manifest');
    }
    // A fallback tag is an ordinary, writable tag: it may list manifests about other images.
    if (referrer.manifest.subject?.digest !== image.digest) {
      log.info(
        `referrer ${descriptor.digest} is about ${referrer.manifest.subject?.digest ?? 'no subject'}, not ${image.digest}; skipped`,
      );
      continue;
    }
    const layers = referrer.manifest.layers ?? [];
    const bundleLayer = layers.find((l) => l.mediaType.startsWith(BUNDLE_ARTIFACT_TYPE_PREFIX));
    if (bundleLayer) {
      bundles++;
      const bytes = await registryCall(
        () => options.client.getBlob(options.reference, bundleLayer),
        'fetching a sigstore bundle',
      );
      let json: unknown;
      try {
        json = JSON.parse(bytes.toString('utf8'));
      } catch {
        evidence.push({
          source: 'sigstore bundle',
          kind: 'signature',
          ok: false,
          detail: `the bundle ${bundleLayer.digest} is not JSON`,
          rejection: 'malformed',
        });
        continue;
      }
      evidence.push(judgeBundle('sigstore bundle', json, image, options));
      continue;
    }
    const cosignLayers = capped(layers, `the referrer ${descriptor.digest}`, log);
    const found = [
      ...(await simpleSigningEvidence(options, image.digest, cosignLayers, 'cosign OCI 1.1 referrer')),
      ...(await dsseEvidence(options, image.digest, cosignLayers, 'cosign OCI 1.1 referrer')),
    ];
    if (found.length > 0) cosignReferrers++;
    else
      log.info(
        `referrer ${descriptor.digest} (${referrer.manifest.artifactType ?? referrer.manifest.config?.mediaType ?? 'no artifact type'}) holds no signature; skipped`,
      );
    evidence.push(...found);
  }
  log.info(
    `referrers of ${image.digest}: ${referrers.length}, of which ${bundles} sigstore bundle(s) and ${cosignReferrers} cosign signature/attestation manifest(s)`,
  );
  return evidence;
}

/** Verifies a sigstore bundle about the image: a DSSE in-toto statement naming it, or a signature over its manifest. */
function judgeBundle(
  source: EvidenceSource,
  json: unknown,
  image: FetchedManifest,
  options: VerifyImageOptions,
): Evidence {
  const dsse = (json as { dsseEnvelope?: { payload?: string } } | null)?.dsseEnvelope;
  if (dsse?.payload) {
    const statement = parseStatement(Buffer.from(dsse.payload, 'base64'));
    const predicateType = typeof statement === 'string' ? undefined : statement.predicateType;
    const kind = predicateType === COSIGN_SIGN_PREDICATE ? 'signature' : 'attestation';
    const outcome = verifyBundle(json, undefined, options.policy, options.trustedRoot);
    const claim = () =>
      statementProblem(statement, image.digest) ??
      (kind === 'signature' && options.requireDockerReference && typeof statement !== 'string'
        ? statementRepositoryProblem(options.reference, statement, image.digest)
        : undefined);
    return {
      ...withDigestClaim(source, outcome, claim, options),
      kind,
      ...(predicateType !== undefined ? { predicateType } : {}),
    };
  }
  // A message signature is over the image manifest itself, so the manifest bytes are the artifact.
  const outcome = verifyBundle(json, image.bytes, options.policy, options.trustedRoot);
  return withDigestClaim(
    source,
    outcome,
    () => (options.requireDockerReference ? repositoryProblem(options.reference, undefined) : undefined),
    options,
  );
}

/** Why a signed claim does not count, as a typed reason and a message. */
interface ClaimProblem {
  rejection: Rejection;
  message: string;
}

function statementProblem(statement: InTotoStatement | string, digest: string): ClaimProblem | undefined {
  if (typeof statement === 'string') return { rejection: 'malformed', message: statement };
  if (!statementNamesDigest(statement, digest)) {
    const named = statement.subject
      .map((s) => (s.digest?.['sha256'] ? `sha256:${s.digest['sha256']}` : '?'))
      .join(', ');
    return {
      rejection: 'other-image',
      message: `the attestation is about ${named || 'nothing'}, not ${digest}`,
    };
  }
  return undefined;
}

/**
 * The repository a signed statement names for the digest: the subject's `name`, or its
 * `docker-reference` annotation (what `cosign sign -a docker-reference=<repo>` signs into a
 * cosign v3 statement, whose subject otherwise names only the digest).
 */
function statementRepositoryProblem(
  reference: ImageReference,
  statement: InTotoStatement,
  digest: string,
): ClaimProblem | undefined {
  const names: string[] = [];
  for (const subject of statement.subject as (InTotoStatement['subject'][number] & {
    annotations?: Record<string, unknown>;
  })[]) {
    if (subject.digest?.['sha256'] !== digest.slice(7)) continue;
    if (typeof subject.name === 'string' && subject.name !== '') names.push(subject.name);
    const annotated = subject.annotations?.['docker-reference'];
    if (typeof annotated === 'string' && annotated !== '') names.push(annotated);
  }
  if (names.length === 0) return repositoryProblem(reference, undefined);
  const problems = names.map((name) => repositoryProblem(reference, name));
  return problems.includes(undefined) ? undefined : problems[0];
}

/**
 * The signed repository (`registry/repository`, a tag or digest allowed and ignored) must be
 * the one verified; Docker Hub's spellings (`docker.io`, `index.docker.io`) are one registry.
 */
function repositoryProblem(reference: ImageReference, claimed: string | undefined): ClaimProblem | undefined {
  const verified = repositoryName(reference);
  if (claimed === undefined) {
    return {
      rejection: 'wrong-docker-reference',
      message: `the signature names no repository, only the digest, so it does not prove it was made for ${verified}`,
    };
  }
  let signed: ImageReference | undefined;
  try {
    signed = parseReference(claimed);
  } catch {
    signed = undefined;
  }
  if (signed && signed.registry === reference.registry && signed.repository === reference.repository)
    return undefined;
  return {
    rejection: 'wrong-docker-reference',
    message: `the signature was made for ${claimed}, not ${verified}: a signed image copied into this repository`,
  };
}

function withDigestClaim(
  source: EvidenceSource,
  outcome: BundleOutcome,
  claimProblem: () => ClaimProblem | undefined,
  options: VerifyImageOptions,
): Evidence {
  if (!outcome.ok) {
    return {
      source,
      kind: 'signature',
      ok: false,
      detail: outcome.reason,
      rejection: outcome.rejection,
      ...(outcome.signer ? { signer: describeIdentity(outcome.signer) } : {}),
    };
  }
  const signer = describeSigner(outcome.signer, options.policy);
  const github = 'fingerprint' in outcome.signer ? undefined : outcome.signer.github;
  const problem = claimProblem();
  if (problem)
    return {
      source,
      kind: 'signature',
      ok: false,
      detail: `validly signed by ${signer}, but ${problem.message}`,
      rejection: problem.rejection,
      signer,
    };
  return {
    source,
    kind: 'signature',
    ok: true,
    detail: `signed by ${signer}`,
    signer,
    ...(github ? { github } : {}),
  };
}

function describeSigner(signer: SignerIdentity | { fingerprint: string }, policy: TrustPolicy): string {
  if ('fingerprint' in signer)
    return `key ${signer.fingerprint}${policy.kind === 'key' ? ` (${policy.key.algorithm})` : ''}`;
  return describeIdentity(signer);
}

function capped<T>(items: T[], where: string, log: Logger): T[] {
  if (items.length <= MAX_ATTACHED) return items;
  log.warning(`${where} holds ${items.length} entries; only the first ${MAX_ATTACHED} are checked.`);
  return items.slice(0, MAX_ATTACHED);
}

async function registryCall<T>(fn: () => Promise<T>, what: string): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw registryFailure(error, what);
  }
}

function registryFailure(error: unknown, what: string): unknown {
  if (error instanceof RegistryError)
    return new ReasonedError(
      registryFailureReason(error.code),
      `Registry error while ${what}: ${error.message}`,
    );
  return error;
}
