import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { errorMessage, type InputReader } from '@deploy-actions/action-kit';
import { isLoopbackRegistry, parseReference, type ImageReference } from '@deploy-actions/registry';
import {
  loadPublicKey,
  parseTrustedRoot,
  publicGoodTrustedRoot,
  requiredPredicate,
  PREDICATE_ALIASES,
  PUBLIC_GOOD_TRUSTED_ROOT_SOURCE,
  type RequiredPredicate,
  type TrustPolicy,
} from '@deploy-actions/signature';
import type { CosignInstall } from './cosign-engine.js';
import { cosignAsset, knownCosignSha256 } from './cosign-hashes.js';

// cosign-installer's default at the time of writing; override with cosign-version.
const DEFAULT_COSIGN_VERSION = 'v2.4.1';
const DEFAULT_COSIGN_BASE_URL = 'https://github.com/sigstore/cosign/releases/download';

/** Everything the action needs, validated. */
export interface Settings {
  reference: ImageReference;
  policy: TrustPolicy;
  /** How the trust was described to the user (key fingerprint, identity). */
  policyText: string;
  trustedRoot: ReturnType<typeof publicGoodTrustedRoot>;
  trustedRootSource: string;
  attestations: RequiredPredicate[];
  credentials?: { username: string; password: string };
  /** Token servers on other hosts than the registry that may receive the credentials. */
  tokenRealms: string[];
  allowInsecure: boolean;
  /** Require the signed docker-reference to be the image's repository. */
  requireDockerReference: boolean;
  /** `owner/repo` whose GitHub artifact attestations are checked too. */
  githubRepository?: string;
  githubToken?: string;
  /** `native` (in-process) or `cosign` (install and run the cosign binary). */
  engine: 'native' | 'cosign';
  cosign: CosignInstall;
  /** Absolute path of the trusted-root input, for cosign. */
  trustedRootPath?: string;
}

/** Reads and checks every input; all problems are reported together by `inputs.finish()`. */
export function readSettings(inputs: InputReader, workspace: string): Settings {
  const imageText = inputs.string('image', { required: true });
  let reference: ImageReference = { registry: '', repository: '' };
  if (imageText !== '') {
    try {
      reference = parseReference(imageText);
    } catch (error) {
      inputs.problem(
        'image',
        `${errorMessage(error)}. Use registry/repository:tag or registry/repository@sha256:<digest>.`,
      );
    }
  }

  const keyText = inputs.string('key');
  const identity = inputs.string('certificate-identity');
  const identityRegexp = inputs.string('certificate-identity-regexp');
  const issuer = inputs.string('certificate-oidc-issuer');
  const keyless = identity !== undefined || identityRegexp !== undefined || issuer !== undefined;
  const sourceRepository = inputs.string('certificate-github-workflow-repository');
  const sourceRef = inputs.string('certificate-github-workflow-ref');
  const sourceSha = inputs.string('certificate-github-workflow-sha');
  if (
    sourceRepository !== undefined &&
    !/^[\w.-]+\/[\w.-]+$|^https:\/\/[^/\s]+\/[\w.-]+\/[\w.-]+$/.test(sourceRepository)
  ) {
    inputs.problem(
      'certificate-github-workflow-repository',
      `'${sourceRepository}' is not owner/name (e.g. acme/app, the expression github.repository) or https://<host>/owner/name.`,
    );
  }
  if (sourceRef !== undefined && !/^refs\/(heads|tags|pull)\/\S+$/.test(sourceRef)) {
    inputs.problem(
      'certificate-github-workflow-ref',
      `'${sourceRef}' is not a full ref such as refs/heads/main or refs/tags/v1.2.0.`,
    );
  }
  if (sourceSha !== undefined && !/^[a-fA-F0-9]{40}$/.test(sourceSha)) {
    inputs.problem(
      'certificate-github-workflow-sha',
      `'${sourceSha}' is not a commit (40 hex digits), e.g. the expression github.sha.`,
    );
  }
  const sourcePolicy = {
    ...(sourceRepository !== undefined ? { githubWorkflowRepository: sourceRepository } : {}),
    ...(sourceRef !== undefined ? { githubWorkflowRef: sourceRef } : {}),
    ...(sourceSha !== undefined ? { githubWorkflowSha: sourceSha.toLowerCase() } : {}),
  };
  const sourceRequired = Object.keys(sourcePolicy).length > 0;

  let trustedRoot = publicGoodTrustedRoot();
  let trustedRootSource = `sigstore public-good (shipped: ${PUBLIC_GOOD_TRUSTED_ROOT_SOURCE})`;
  const rootPath = inputs.string('trusted-root');
  const trustedRootPath =
    rootPath === undefined ? undefined : isAbsolute(rootPath) ? rootPath : resolve(workspace, rootPath);
  if (rootPath !== undefined && trustedRootPath !== undefined) {
    const path = trustedRootPath;
    try {
      trustedRoot = parseTrustedRoot(JSON.parse(readFileSync(path, 'utf8')));
      trustedRootSource = rootPath;
    } catch (error) {
      const reason =
        (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : errorMessage(error);
      inputs.problem(
        'trusted-root',
        `'${rootPath}' ${reason}. Pass the path of a sigstore trusted_root.json.`,
      );
    }
  }

  let policy: TrustPolicy | undefined;
  let policyText = '';
  if (keyText !== undefined && sourceRequired) {
    const name =
      sourceRepository !== undefined
        ? 'certificate-github-workflow-repository'
        : sourceRef !== undefined
          ? 'certificate-github-workflow-ref'
          : 'certificate-github-workflow-sha';
    inputs.problem(
      name,
      'is a claim of a keyless certificate and cannot be checked with key; remove it, or verify keylessly.',
    );
  }
  if (keyText !== undefined && keyless) {
    inputs.problem(
      'key',
      'cannot be combined with certificate-identity / certificate-identity-regexp / certificate-oidc-issuer. Use a key or a keyless identity, not both.',
    );
  } else if (keyText !== undefined) {
    const pem = keyText.includes('-----BEGIN') ? keyText : readKeyFile(inputs, keyText, workspace);
    if (pem !== undefined) {
      try {
        const key = loadPublicKey(pem);
        policy = { kind: 'key', key };
        policyText = `key ${key.fingerprint} (${key.algorithm})`;
      } catch (error) {
        inputs.problem('key', `${errorMessage(error)}.`);
      }
    }
  } else if (keyless) {
    if (identity !== undefined && identityRegexp !== undefined) {
      inputs.problem(
        'certificate-identity-regexp',
        'cannot be combined with certificate-identity. Use the exact identity or a pattern, not both.',
      );
    }
    if (identity === undefined && identityRegexp === undefined) {
      inputs.problem(
        'certificate-identity',
        'is required for keyless verification (or certificate-identity-regexp), e.g. https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main.',
      );
    }
    if (identityRegexp !== undefined) {
      try {
        new RegExp(identityRegexp);
      } catch (error) {
        inputs.problem(
          'certificate-identity-regexp',
          `is not a valid regular expression (${errorMessage(error)}).`,
        );
      }
    }
    if (issuer === undefined) {
      inputs.problem(
        'certificate-oidc-issuer',
        'is required for keyless verification, e.g. https://token.actions.githubusercontent.com.',
      );
    }
    policy = {
      kind: 'keyless',
      trustedRoot,
      identity: {
        ...(identity !== undefined ? { identity } : {}),
        ...(identityRegexp !== undefined ? { identityRegexp } : {}),
        ...(issuer !== undefined ? { issuer } : {}),
        ...sourcePolicy,
      },
    };
    const claims = [
      sourceRepository !== undefined ? `repository ${sourceRepository}` : undefined,
      sourceRef !== undefined ? `ref ${sourceRef}` : undefined,
      sourceSha !== undefined ? `commit ${sourceSha.toLowerCase()}` : undefined,
    ].filter((c) => c !== undefined);
    policyText = `${identity ?? `identity matching ^(?:${identityRegexp})$`} issued by ${issuer ?? '?'}${claims.length > 0 ? `, run from ${claims.join(', ')}` : ''}`;
  } else {
    inputs.problem(
      'key',
      'or a keyless identity is required: set key (a PEM public key or its path), or certificate-identity (or certificate-identity-regexp) with certificate-oidc-issuer.',
    );
  }

  const attestations: RequiredPredicate[] = [];
  for (const name of inputs.multiline('attestations', { commas: true })) {
    const required = requiredPredicate(name);
    if (required) attestations.push(required);
    else
      inputs.problem(
        'attestations',
        `'${name}' is neither a known predicate type (${PREDICATE_ALIASES.join(', ')}) nor a URI.`,
      );
  }

  const username = inputs.string('registry-username');
  const password = inputs.secret('registry-password');
  if (username !== undefined && password === undefined)
    inputs.problem('registry-password', 'is required when registry-username is set.');
  if (password !== undefined && username === undefined)
    inputs.problem('registry-username', 'is required when registry-password is set.');
  const allowInsecure = inputs.boolean('allow-insecure-registry', { default: false });
  const tokenRealms: string[] = [];
  for (const realm of inputs.multiline('registry-token-realms', { commas: true })) {
    let url: URL | undefined;
    try {
      url = new URL(realm);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackRegistry(url.host)))) {
      inputs.problem(
        'registry-token-realms',
        `'${realm}' is not an https:// origin (plain http only on loopback), e.g. https://auth.example.com.`,
      );
    } else {
      tokenRealms.push(url.origin);
    }
  }
  const requireDockerReference = inputs.boolean('require-docker-reference', { default: false });

  const githubRepository = inputs.string('github-repository');
  const githubToken = inputs.secret('github-token');
  if (githubRepository !== undefined) {
    if (!/^[\w.-]+\/[\w.-]+$/.test(githubRepository))
      inputs.problem(
        'github-repository',
        `'${githubRepository}' is not owner/repo, e.g. \${{ github.repository }}.`,
      );
    if (githubToken === undefined)
      inputs.problem(
        'github-token',
        'is required to read GitHub attestations (the default, ${{ github.token }}, needs `attestations: read`).',
      );
  }

  const engine = inputs.enum('engine', ['native', 'cosign'] as const, { default: 'native' });
  const cosignVersion = inputs.string('cosign-version') ?? DEFAULT_COSIGN_VERSION;
  if (!/^v?\d+\.\d+\.\d+$/.test(cosignVersion))
    inputs.problem(
      'cosign-version',
      `'${cosignVersion}' is not a release version such as ${DEFAULT_COSIGN_VERSION}.`,
    );
  const cosignBaseUrl = inputs.string('cosign-base-url') ?? DEFAULT_COSIGN_BASE_URL;
  if (!/^https?:\/\/\S+$/.test(cosignBaseUrl)) {
    inputs.problem('cosign-base-url', `'${cosignBaseUrl}' is not an http(s) URL.`);
  } else if (cosignBaseUrl.startsWith('http:') && !isLoopbackRegistry(new URL(cosignBaseUrl).host)) {
    // Anyone on the path could swap the binary; only a mirror on this machine may skip TLS.
    inputs.problem(
      'cosign-base-url',
      `'${cosignBaseUrl}' is plain http beyond loopback; use https:// (plain http only for 127.0.0.0/8 or localhost).`,
    );
  }
  const cosignSha256 = inputs.string('cosign-sha256');
  if (cosignSha256 !== undefined && !/^[a-fA-F0-9]{64}$/.test(cosignSha256))
    inputs.problem('cosign-sha256', 'is not a sha256 (64 hex digits) of the cosign binary.');
  if (
    engine === 'cosign' &&
    cosignSha256 === undefined &&
    /^v?\d+\.\d+\.\d+$/.test(cosignVersion) &&
    knownCosignSha256(cosignVersion) === undefined
  ) {
    inputs.problem(
      'cosign-version',
      `'${cosignVersion}' has no known sha256 for ${cosignAsset()} in this release of verify-signature; pin the binary's hash with cosign-sha256 (from a source you trust), or use a listed version.`,
    );
  }
  if (engine === 'cosign' && githubRepository !== undefined) {
    inputs.problem(
      'github-repository',
      'is only supported with engine: native (cosign does not read GitHub artifact attestations).',
    );
  }

  inputs.finish();
  return {
    reference,
    policy: policy!,
    policyText,
    trustedRoot,
    trustedRootSource,
    attestations,
    ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
    tokenRealms,
    allowInsecure,
    requireDockerReference,
    ...(githubRepository !== undefined && githubToken !== undefined ? { githubRepository, githubToken } : {}),
    engine,
    cosign: {
      version: cosignVersion,
      baseUrl: cosignBaseUrl,
      ...(cosignSha256 !== undefined ? { sha256: cosignSha256 } : {}),
    },
    ...(trustedRootPath !== undefined ? { trustedRootPath } : {}),
  };
}

function readKeyFile(inputs: InputReader, path: string, workspace: string): string | undefined {
  const full = isAbsolute(path) ? path : resolve(workspace, path);
  if (!existsSync(full)) {
    inputs.problem(
      'key',
      `is neither a PEM public key nor an existing file ('${path}' was not found in the workspace).`,
    );
    return undefined;
  }
  return readFileSync(full, 'utf8');
}
