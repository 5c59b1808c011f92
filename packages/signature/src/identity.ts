import type { Rejection } from './failure.js';

/** Who must have signed, for keyless verification. */
export interface IdentityPolicy {
  /** Exact SAN (`https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main`). */
  identity?: string;
  /** A pattern the SAN must match in full. */
  identityRegexp?: string;
  /** Exact OIDC issuer. */
  issuer?: string;
  /**
   * The repository whose workflow run signed (`owner/name`, or the full
   * `https://<host>/owner/name` URI): the certificate's source repository.
   */
  githubWorkflowRepository?: string;
  /** The source ref the run was for (`refs/heads/main`). */
  githubWorkflowRef?: string;
  /** The source commit the run was for (40 hex). */
  githubWorkflowSha?: string;
}

/**
 * What Fulcio wrote about the GitHub Actions run that signed
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md), read from a
 * certificate that sigstore-js has already verified.
 */
export interface GitHubSource {
  /** `https://github.com/owner/name` (1.3.6.1.4.1.57264.1.12). */
  repositoryUri?: string;
  /** `owner/name` (legacy 1.3.6.1.4.1.57264.1.5). */
  repository?: string;
  /** `refs/heads/main` (1.3.6.1.4.1.57264.1.14, legacy .1.6). */
  ref?: string;
  legacyRef?: string;
  /** The commit (1.3.6.1.4.1.57264.1.13, legacy .1.3). */
  digest?: string;
  legacyDigest?: string;
  /** The caller's workflow file and ref: what ran, when the signer is a reusable workflow (.1.18). */
  buildConfigUri?: string;
}

export interface SignerIdentity {
  subjectAlternativeName?: string;
  issuer?: string;
  github?: GitHubSource;
}

const GITHUB_OIDS = {
  workflowSha: '1.3.6.1.4.1.57264.1.3',
  workflowRepository: '1.3.6.1.4.1.57264.1.5',
  workflowRef: '1.3.6.1.4.1.57264.1.6',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
} as const;

// Fulcio's first extensions (.1.1 to .1.6) hold the raw string; later ones (.1.8 on) a DER UTF8String.
const LEGACY_OIDS: ReadonlySet<string> = new Set([
  GITHUB_OIDS.workflowSha,
  GITHUB_OIDS.workflowRepository,
  GITHUB_OIDS.workflowRef,
]);

/**
 * Reads the GitHub extensions from the OID/value pairs sigstore-js returns for a verified
 * certificate (`Signer.identity.oids`). Undefined when the certificate has none.
 */
export function githubSource(
  oids: readonly { oid?: { id: readonly number[] }; value: Uint8Array }[] | undefined,
): GitHubSource | undefined {
  const values = new Map<string, string>();
  for (const { oid, value } of oids ?? []) {
    if (!oid) continue;
    const id = oid.id.join('.');
    if (!(Object.values(GITHUB_OIDS) as string[]).includes(id)) continue;
    const text = LEGACY_OIDS.has(id)
      ? Buffer.from(value).toString('utf8')
      : derUtf8String(Buffer.from(value));
    if (text !== undefined) values.set(id, text);
  }
  if (values.size === 0) return undefined;
  const pick = (oid: string) => values.get(oid);
  const source: GitHubSource = {};
  const set = <K extends keyof GitHubSource>(key: K, value: string | undefined) => {
    if (value !== undefined) source[key] = value;
  };
  set('repositoryUri', pick(GITHUB_OIDS.sourceRepositoryUri));
  set('repository', pick(GITHUB_OIDS.workflowRepository));
  set('ref', pick(GITHUB_OIDS.sourceRepositoryRef));
  set('legacyRef', pick(GITHUB_OIDS.workflowRef));
  set('digest', pick(GITHUB_OIDS.sourceRepositoryDigest));
  set('legacyDigest', pick(GITHUB_OIDS.workflowSha));
  set('buildConfigUri', pick(GITHUB_OIDS.buildConfigUri));
  return source;
}

/** A DER UTF8String (tag 0x0c) or, leniently, IA5String/PrintableString; undefined otherwise. */
function derUtf8String(bytes: Buffer): string | undefined {
  if (bytes.length < 2 || ![0x0c, 0x16, 0x13].includes(bytes[0]!)) return undefined;
  let length = bytes[1]!;
  let offset = 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 3 || bytes.length < 2 + count) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = (length << 8) | bytes[2 + i]!;
    offset = 2 + count;
  }
  if (offset + length !== bytes.length) return undefined;
  return bytes.subarray(offset).toString('utf8');
}

/** `owner/name` of the source repository, from .1.12 (any host) or legacy .1.5. */
export function sourceRepositoryName(source: GitHubSource | undefined): string | undefined {
  if (source?.repositoryUri) {
    const match = /^https:\/\/[^/]+\/([^/]+\/[^/]+)$/.exec(source.repositoryUri);
    return match ? match[1] : source.repositoryUri;
  }
  return source?.repository;
}

/** The expected source repository as the URI .1.12 holds: `owner/name` means github.com. */
function expectedRepositoryUri(repository: string): string {
  return /^https:\/\//.test(repository) ? repository.replace(/\/+$/, '') : `https://github.com/${repository}`;
}

/**
 * Anchors the pattern so that `https://github.com/org/` cannot match
 * `https://github.com/org/../evil`: the mistake most cosign users make.
 */
export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

/** Why a signer does not satisfy the policy, as a typed reason and a message. */
export interface IdentityProblem {
  rejection: Rejection;
  message: string;
}

/** Returns why the identity does not satisfy the policy, or undefined when it does. */
export function identityProblem(policy: IdentityPolicy, signer: SignerIdentity): IdentityProblem | undefined {
  const san = signer.subjectAlternativeName ?? '(no identity)';
  if (policy.identity !== undefined && signer.subjectAlternativeName !== policy.identity) {
    return {
      rejection: 'wrong-identity',
      message: `signed, but by ${san} (issuer ${signer.issuer ?? 'unknown'}), not ${policy.identity}`,
    };
  }
  if (
    policy.identityRegexp !== undefined &&
    !anchoredPattern(policy.identityRegexp).test(signer.subjectAlternativeName ?? '')
  ) {
    return {
      rejection: 'wrong-identity',
      message: `signed, but by ${san} (issuer ${signer.issuer ?? 'unknown'}), which does not match ^(?:${policy.identityRegexp})$`,
    };
  }
  if (policy.issuer !== undefined && signer.issuer !== policy.issuer) {
    return {
      rejection: 'wrong-issuer',
      message: `signed by ${san}, but its OIDC issuer is ${signer.issuer ?? 'unknown'}, not ${policy.issuer}`,
    };
  }
  return sourceProblem(policy, signer);
}

/**
 * The certificate's GitHub source claims against the policy. Every extension the certificate
 * carries for a required claim must equal it (the current one and its legacy twin), and at
 * least one must be present: a certificate that says nothing about its source proves nothing.
 */
function sourceProblem(policy: IdentityPolicy, signer: SignerIdentity): IdentityProblem | undefined {
  const source = signer.github ?? {};
  const by = `signed by ${signer.subjectAlternativeName ?? '(no identity)'}`;
  if (policy.githubWorkflowRepository !== undefined) {
    const wanted = policy.githubWorkflowRepository;
    const wantedUri = expectedRepositoryUri(wanted);
    const wantedName = /^https:\/\//.test(wanted) ? /^https:\/\/[^/]+\/(.+)$/.exec(wantedUri)?.[1] : wanted;
    const checks: boolean[] = [];
    if (source.repositoryUri !== undefined) checks.push(source.repositoryUri === wantedUri);
    if (source.repository !== undefined) checks.push(source.repository === wantedName);
    if (checks.length === 0) {
      return {
        rejection: 'wrong-source-repository',
        message: `${by}, but its certificate names no source repository (1.3.6.1.4.1.57264.1.12 or .1.5), so it cannot be from ${wanted}`,
      };
    }
    if (checks.includes(false)) {
      return {
        rejection: 'wrong-source-repository',
        message: `${by}, but from the repository ${sourceRepositoryName(source) ?? '?'}${source.buildConfigUri ? ` (workflow ${source.buildConfigUri})` : ''}, not ${wanted}`,
      };
    }
  }
  const claim = (
    rejection: Rejection,
    wanted: string | undefined,
    what: string,
    oids: string,
    values: (string | undefined)[],
  ): IdentityProblem | undefined => {
    if (wanted === undefined) return undefined;
    const present = values.filter((v): v is string => v !== undefined);
    if (present.length === 0)
      return {
        rejection,
        message: `${by}, but its certificate names no source ${what} (${oids}), so it cannot be for ${wanted}`,
      };
    const other = present.find((v) => v !== wanted);
    if (other !== undefined)
      return { rejection, message: `${by}, but for the source ${what} ${other}, not ${wanted}` };
    return undefined;
  };
  return (
    claim('wrong-source-ref', policy.githubWorkflowRef, 'ref', '1.3.6.1.4.1.57264.1.14 or .1.6', [
      source.ref,
      source.legacyRef,
    ]) ??
    claim(
      'wrong-source-digest',
      policy.githubWorkflowSha?.toLowerCase(),
      'commit',
      '1.3.6.1.4.1.57264.1.13 or .1.3',
      [source.digest?.toLowerCase(), source.legacyDigest?.toLowerCase()],
    )
  );
}

/** Returns why the identity does not satisfy the policy, or undefined when it does. */
export function identityMismatch(policy: IdentityPolicy, signer: SignerIdentity): string | undefined {
  return identityProblem(policy, signer)?.message;
}

export function describeIdentity(signer: SignerIdentity): string {
  return `${signer.subjectAlternativeName ?? '(no identity)'} (issuer ${signer.issuer ?? 'unknown'})`;
}
