import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import type { Logger } from '@deploy-actions/action-kit';
import { basicAuthorization, isLoopbackRegistry, parseReference, pinnedReference, type ImageReference } from '@deploy-actions/registry';
import { parseSimpleSigning, ReasonedError, type GitHubSource, type RequiredPredicate, type TrustPolicy } from '@deploy-actions/signature';
import { cosignAsset, knownCosignSha256 } from './cosign-hashes.js';

export interface CosignInstall {
  version: string;
  baseUrl: string;
  /** Pinned sha256 of the binary; otherwise the hash shipped for the version (cosign-hashes.ts). */
  sha256?: string;
}

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
  /** The certificate's GitHub source claims (cosign checks the legacy extensions .1.5/.1.6/.1.3). */
  githubWorkflowRepository?: string;
  githubWorkflowRef?: string;
  githubWorkflowSha?: string;
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

/** The sha256 the binary must have: the pinned one, else the one shipped for the version. */
export function expectedCosignSha256(install: CosignInstall): string | undefined {
  return install.sha256?.toLowerCase() ?? knownCosignSha256(install.version);
}

function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/**
 * Installs cosign the way cosign-installer would, but checked: the binary's sha256 must
 * match the pinned value or the hash shipped in this action for the version (never a
 * checksum file downloaded from the same place). It is kept in the runner's tool cache
 * so later jobs skip the download, and hashed again on every run before it is used: a
 * cached binary that changed is refused, never run.
 */
export async function installCosign(install: CosignInstall, log: Logger): Promise<string> {
  const version = install.version.replace(/^v/, '');
  const name = cosignAsset();
  const expected = expectedCosignSha256(install);
  if (!expected) {
    throw new ReasonedError('cosign-install-failed', `no sha256 is known for ${name} ${install.version}; pin it with cosign-sha256.`);
  }
  const cached = toolCache.find('cosign', version);
  if (cached) {
    const binary = join(cached, 'cosign');
    const actual = existsSync(binary) ? sha256File(binary) : 'missing';
    if (actual !== expected) {
      throw new ReasonedError(
        'cosign-checksum-mismatch',
        `the cached cosign ${version} (${binary}) has sha256 ${actual}, expected ${expected}: it changed after it was installed and was not run. Remove it from the tool cache, and find out who wrote it.`,
      );
    }
    log.info(`cosign ${version} from the tool cache (${cached}, sha256 ${actual})`);
    return binary;
  }
  const base = `${install.baseUrl.replace(/\/+$/, '')}/v${version}`;
  const file = await download(`${base}/${name}`);
  const actual = sha256File(file);
  if (actual !== expected) {
    rmSync(file, { force: true });
    throw new ReasonedError('cosign-checksum-mismatch', `${base}/${name} has sha256 ${actual}, expected ${expected}; it was not run.`);
  }
  chmodSync(file, 0o755);
  const dir = await toolCache.cacheFile(file, 'cosign', 'cosign', version);
  rmSync(file, { force: true });
  // Hash what will run (the cached copy), not only what was downloaded.
  const binary = join(dir, 'cosign');
  const installed = sha256File(binary);
  if (installed !== expected) {
    throw new ReasonedError('cosign-checksum-mismatch', `the cosign copied to the tool cache (${binary}) has sha256 ${installed}, expected ${expected}; it was not run.`);
  }
  log.info(`cosign ${version} installed from ${base} (sha256 ${actual})`);
  return binary;
}

async function download(url: string): Promise<string> {
  try {
    return await toolCache.downloadTool(url);
  } catch (error) {
    throw new ReasonedError('cosign-install-failed', `Could not download ${url}: ${(error as Error).message}`);
  }
}

/** What `cosign verify` said, in the shape the action reports. */
export interface CosignResult {
  signer: string;
  /** Keyless: the certificate's legacy GitHub extensions, as cosign prints them. */
  github?: GitHubSource;
  verifiedAttestations: string[];
}

/**
 * Runs `cosign verify` (and `verify-attestation` per required type) on the pinned
 * digest with the same policy the native engine applies: the identity pattern is
 * anchored here because cosign does not anchor it.
 */
export async function verifyWithCosign(cosign: string, run: CosignRun, log: Logger): Promise<CosignResult> {
  // 0700 dir: the docker config holds registry credentials and is removed in all cases.
  const dir = mkdtempSync(join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'cosign-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, DOCKER_CONFIG: dir };
    if (run.credentials) {
      const auth = basicAuthorization(run.credentials).slice('Basic '.length);
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [run.reference.registry]: { auth } } }), { mode: 0o600 });
    }
    const policyArgs: string[] = [];
    if (run.policy.kind === 'key') {
      const keyFile = join(dir, 'cosign.pub');
      writeFileSync(keyFile, run.policy.key.key.export({ type: 'spki', format: 'pem' }).toString());
      // The native engine checks key signatures without a log; keep the two engines equal.
      policyArgs.push('--key', keyFile, '--insecure-ignore-tlog=true');
    } else {
      const { identity, identityRegexp, issuer } = run.policy.identity;
      if (identity !== undefined) policyArgs.push('--certificate-identity', identity);
      if (identityRegexp !== undefined) policyArgs.push('--certificate-identity-regexp', `^(?:${identityRegexp})$`);
      if (issuer !== undefined) policyArgs.push('--certificate-oidc-issuer', issuer);
      // cosign compares these with the legacy extensions (.1.5, .1.6, .1.3) only.
      if (run.githubWorkflowRepository !== undefined) policyArgs.push('--certificate-github-workflow-repository', run.githubWorkflowRepository);
      if (run.githubWorkflowRef !== undefined) policyArgs.push('--certificate-github-workflow-ref', run.githubWorkflowRef);
      if (run.githubWorkflowSha !== undefined) policyArgs.push('--certificate-github-workflow-sha', run.githubWorkflowSha);
      if (run.trustedRootPath) policyArgs.push('--trusted-root', run.trustedRootPath);
    }
    if (isLoopbackRegistry(run.reference.registry) || run.allowInsecure) policyArgs.push('--allow-http-registry');
    const image = pinnedReference(run.reference, run.digest);

    const oci11 = readsOci11Referrers(run.cosignVersion) ? ['--experimental-oci11'] : [];
    const verified = await runCosign(cosign, ['verify', '--output', 'json', ...oci11, ...policyArgs, image], env, log);
    if (run.requireDockerReference) checkDockerReference(verified, run);
    const signer = signerFrom(verified, run);
    const verifiedAttestations: string[] = [];
    for (const required of run.attestations) {
      // cosign's `slsaprovenance` means v0.2 only; ours accepts v0.2 or v1.
      const types = required.name === 'slsaprovenance' ? ['slsaprovenance', 'slsaprovenance1'] : [required.accepts.length === 1 ? required.accepts[0]! : required.name];
      let last: unknown;
      for (const type of types) {
        try {
          await runCosign(cosign, ['verify-attestation', '--output', 'json', '--type', type, ...policyArgs, image], env, log);
          last = undefined;
          break;
        } catch (error) {
          last = error;
        }
      }
      if (last) {
        throw new ReasonedError('attestation-missing', `${image} is signed by ${signer}, but cosign found no valid ${required.name} attestation: ${(last as Error).message}`);
      }
      verifiedAttestations.push(required.name);
    }
    const github = githubFrom(verified);
    return { signer, ...(github ? { github } : {}), verifiedAttestations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';

/**
 * cosign does not compare the signed docker-reference with the image (and for cosign v3
 * bundles it prints the name it was given, not a signed one), so with require-docker-reference
 * a verified legacy payload must name this repository.
 */
function checkDockerReference(stdout: string, run: CosignRun): void {
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
      } else if ((document as { critical?: { type?: string } } | null)?.critical?.type === COSIGN_SIGN_PREDICATE) {
        // cosign v3: the printed docker-reference is the name it was given; only the signed
        // subject annotation (`cosign sign -a docker-reference=<repo>`) counts.
        reference = (document as { optional?: Record<string, unknown> | null }).optional?.['docker-reference'];
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
function githubFrom(stdout: string): GitHubSource | undefined {
  try {
    const first = (JSON.parse(stdout) as { optional?: Record<string, unknown> | null }[])[0]?.optional ?? {};
    const text = (key: string) => (typeof first[key] === 'string' && first[key] !== '' ? (first[key] as string) : undefined);
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

function signerFrom(stdout: string, run: CosignRun): string {
  if (run.policy.kind === 'key') return `key ${run.policy.key.fingerprint} (${run.policy.key.algorithm})`;
  try {
    const first = (JSON.parse(stdout) as { optional?: { Subject?: string; Issuer?: string } }[])[0];
    if (first?.optional?.Subject) return `${first.optional.Subject} (issuer ${first.optional.Issuer ?? 'unknown'})`;
  } catch {
    // Older cosign prints one JSON document per line; fall through to the policy.
  }
  return `${run.policy.identity.identity ?? run.policy.identity.identityRegexp ?? '?'} (issuer ${run.policy.identity.issuer ?? '?'})`;
}

function runCosign(cosign: string, args: string[], env: NodeJS.ProcessEnv, log: Logger): Promise<string> {
  log.info(`cosign ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(cosign, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) => reject(new ReasonedError('cosign-failed', `could not run ${cosign}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      reject(new ReasonedError('invalid-signature', `cosign ${args[0]} exited with ${code} for ${args.at(-1)}:\n${tail}`));
    });
  });
}

