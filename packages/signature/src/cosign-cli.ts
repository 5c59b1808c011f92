import { isLoopbackRegistry, parseReference, type ImageReference } from '@deploy-actions/registry';
import { ReasonedError } from './failure.js';
import type { GitHubSource } from './identity.js';
import type { RequiredPredicate } from './predicate-types.js';
import type { TrustPolicy } from './bundle-verify.js';
import { parseSimpleSigning } from './simple-signing.js';
import { COSIGN_SIGN_PREDICATE } from './verify-image.js';

// What verify-signature's `engine: cosign` passes to the cosign CLI and reads back from it:
// the same policy the native engine applies, as cosign's flags. Running the binary (and
// installing it) stays in the action.

/** One `cosign verify` of a pinned digest. */
export interface CosignRun {
  reference: ImageReference;
  digest: string;
  policy: TrustPolicy;
  attestations: readonly RequiredPredicate[];
  trustedRootPath?: string;
  credentials?: { username: string; password: string };
  allowInsecure: boolean;
  /** Require a verified payload's docker-reference to be the image's repository. */
  requireDockerReference?: boolean;
  /** The installed cosign's version: from 2.2.1, `verify` also reads OCI 1.1 referrer signatures. */
  cosignVersion?: string;
}

/** cosign 2.2.1 added `--experimental-oci11` (OCI 1.1 referrers first, then the `.sig` tag); v3 keeps it. */
export function readsOci11Referrers(version: string | undefined): boolean {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
  if (!m) return false;
  const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return major > 2 || (major === 2 && (minor > 2 || (minor === 2 && patch >= 1)));
}

/**
 * The policy flags shared by `cosign verify` and `verify-attestation`. `keyFile` holds the
 * key policy's PEM. The identity pattern is anchored here because cosign does not anchor it.
 */
export function cosignPolicyArgs(run: CosignRun, keyFile: string | undefined): string[] {
  const args: string[] = [];
  if (run.policy.kind === 'key') {
    // The native engine checks key signatures without a log; keep the two engines equal.
    args.push('--key', keyFile ?? '', '--insecure-ignore-tlog=true');
  } else {
    const {
      identity,
      identityRegexp,
      issuer,
      githubWorkflowRepository,
      githubWorkflowRef,
      githubWorkflowSha,
    } = run.policy.identity;
    if (identity !== undefined) args.push('--certificate-identity', identity);
    if (identityRegexp !== undefined) args.push('--certificate-identity-regexp', `^(?:${identityRegexp})$`);
    if (issuer !== undefined) args.push('--certificate-oidc-issuer', issuer);
    // cosign compares these with the legacy extensions (.1.5, .1.6, .1.3) only.
    if (githubWorkflowRepository !== undefined)
      args.push('--certificate-github-workflow-repository', githubWorkflowRepository);
    if (githubWorkflowRef !== undefined) args.push('--certificate-github-workflow-ref', githubWorkflowRef);
    if (githubWorkflowSha !== undefined) args.push('--certificate-github-workflow-sha', githubWorkflowSha);
    if (run.trustedRootPath) args.push('--trusted-root', run.trustedRootPath);
  }
  if (isLoopbackRegistry(run.reference.registry) || run.allowInsecure) args.push('--allow-http-registry');
  return args;
}

/** The `--type` values to try for a required predicate, in order (any one verifying is enough). */
export function cosignAttestationTypes(required: RequiredPredicate): string[] {
  // cosign's `slsaprovenance` means v0.2 only; ours accepts v0.2 or v1.
  return required.name === 'slsaprovenance'
    ? ['slsaprovenance', 'slsaprovenance1']
    : [required.accepts.length === 1 ? required.accepts[0]! : required.name];
}

/** What `cosign verify` said, in the shape the action reports. */
export interface CosignResult {
  signer: string;
  /** Keyless: the certificate's legacy GitHub extensions, as cosign prints them. */
  github?: GitHubSource;
  verifiedAttestations: string[];
}

/**
 * cosign does not compare the signed docker-reference with the image (and for cosign v3
 * bundles it prints the name it was given, not a signed one), so with require-docker-reference
 * a verified legacy payload must name this repository.
 */
export function checkDockerReference(stdout: string, run: CosignRun): void {
  const repository = `${run.reference.registry}/${run.reference.repository}`;
  const named: string[] = [];
  for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
    let documents: unknown[];
    try {
      const parsed = JSON.parse(line) as unknown;
      documents = Array.isArray(parsed) ? parsed : [parsed];
    } catch {
      continue;
    }
    for (const document of documents) {
      const payload = parseSimpleSigning(Buffer.from(JSON.stringify(document)));
      let reference: unknown;
      if (typeof payload !== 'string') {
        reference = payload.critical.identity?.['docker-reference'];
      } else if (
        (document as { critical?: { type?: string } } | null)?.critical?.type === COSIGN_SIGN_PREDICATE
      ) {
        // cosign v3: the printed docker-reference is the name it was given; only the signed
        // subject annotation (`cosign sign -a docker-reference=<repo>`) counts.
        reference = (document as { optional?: Record<string, unknown> | null }).optional?.[
          'docker-reference'
        ];
      }
      if (typeof reference !== 'string') continue;
      if (sameRepository(reference, run.reference)) return;
      named.push(reference);
    }
  }
  throw new ReasonedError(
    'wrong-docker-reference',
    `cosign verified a signature over ${run.digest}, but none of the signed payloads names ${repository}${named.length > 0 ? ` (they name ${named.join(', ')})` : ''}: a signature made for another repository, or a cosign v3 signature, which names only the digest unless signed with -a docker-reference=<repository>.`,
  );
}

/** cosign prints the legacy extensions (.1.5, .1.6, .1.3) in each payload's `optional`. */
export function githubFromCosign(stdout: string): GitHubSource | undefined {
  try {
    const first = (JSON.parse(stdout) as { optional?: Record<string, unknown> | null }[])[0]?.optional ?? {};
    const text = (key: string) =>
      typeof first[key] === 'string' && first[key] !== '' ? (first[key] as string) : undefined;
    const source: GitHubSource = {};
    const repository = text('githubWorkflowRepository');
    const ref = text('githubWorkflowRef');
    const sha = text('githubWorkflowSha');
    if (repository !== undefined) source.repository = repository;
    if (ref !== undefined) source.legacyRef = ref;
    if (sha !== undefined) source.legacyDigest = sha;
    return Object.keys(source).length > 0 ? source : undefined;
  } catch {
    return undefined;
  }
}

function sameRepository(text: string, reference: ImageReference): boolean {
  try {
    const signed = parseReference(text);
    return signed.registry === reference.registry && signed.repository === reference.repository;
  } catch {
    return false;
  }
}

export function signerFromCosign(stdout: string, run: CosignRun): string {
  if (run.policy.kind === 'key') return `key ${run.policy.key.fingerprint} (${run.policy.key.algorithm})`;
  try {
    const first = (JSON.parse(stdout) as { optional?: { Subject?: string; Issuer?: string } }[])[0];
    if (first?.optional?.Subject)
      return `${first.optional.Subject} (issuer ${first.optional.Issuer ?? 'unknown'})`;
  } catch {
    // Older cosign prints one JSON document per line; fall through to the policy.
  }
  return `${run.policy.identity.identity ?? run.policy.identity.identityRegexp ?? '?'} (issuer ${run.policy.identity.issuer ?? '?'})`;
}
