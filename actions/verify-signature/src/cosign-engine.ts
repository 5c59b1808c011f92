import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { UserError, type Logger } from '@deploy-actions/action-kit';
import { basicAuthorization, isLoopbackRegistry, pinnedReference, type ImageReference } from '@deploy-actions/registry';
import type { RequiredPredicate, TrustPolicy } from '@deploy-actions/signature';

export interface CosignInstall {
  version: string;
  baseUrl: string;
  /** Pinned sha256 of the binary; otherwise the release's cosign_checksums.txt is used. */
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

function asset(): string {
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  return `cosign-${process.platform === 'darwin' ? 'darwin' : 'linux'}-${arch}`;
}

/**
 * Installs cosign the way cosign-installer would, but checked: the binary's sha256 must
 * match the pinned value or the release's checksum file, and it is kept in the runner's
 * tool cache so later jobs on the same runner skip the download.
 */
export async function installCosign(install: CosignInstall, log: Logger): Promise<string> {
  const version = install.version.replace(/^v/, '');
  const cached = toolCache.find('cosign', version);
  if (cached) {
    log.info(`cosign ${version} from the tool cache (${cached})`);
    return join(cached, 'cosign');
  }
  const base = `${install.baseUrl.replace(/\/+$/, '')}/v${version}`;
  const name = asset();
  let expected = install.sha256?.toLowerCase();
  if (!expected) {
    const sums = await download(`${base}/cosign_checksums.txt`);
    expected = readFileSync(sums, 'utf8')
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .find((parts) => parts[1] === name)?.[0]
      ?.toLowerCase();
    if (!expected) throw new UserError('cosign-install-failed', `${base}/cosign_checksums.txt does not list ${name}; pin it with cosign-sha256.`);
  }
  const file = await download(`${base}/${name}`);
  const actual = createHash('sha256').update(readFileSync(file)).digest('hex');
  if (actual !== expected) {
    rmSync(file, { force: true });
    throw new UserError('cosign-checksum-mismatch', `${base}/${name} has sha256 ${actual}, expected ${expected}; it was not run.`);
  }
  chmodSync(file, 0o755);
  const dir = await toolCache.cacheFile(file, 'cosign', 'cosign', version);
  log.info(`cosign ${version} installed from ${base} (sha256 ${actual})`);
  return join(dir, 'cosign');
}

async function download(url: string): Promise<string> {
  try {
    return await toolCache.downloadTool(url);
  } catch (error) {
    throw new UserError('cosign-install-failed', `Could not download ${url}: ${(error as Error).message}`);
  }
}

/** What `cosign verify` said, in the shape the action reports. */
export interface CosignResult {
  signer: string;
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
      if (run.trustedRootPath) policyArgs.push('--trusted-root', run.trustedRootPath);
    }
    if (isLoopbackRegistry(run.reference.registry) || run.allowInsecure) policyArgs.push('--allow-http-registry');
    const image = pinnedReference(run.reference, run.digest);

    const oci11 = readsOci11Referrers(run.cosignVersion) ? ['--experimental-oci11'] : [];
    const verified = await runCosign(cosign, ['verify', '--output', 'json', ...oci11, ...policyArgs, image], env, log);
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
        throw new UserError('attestation-missing', `${image} is signed by ${signer}, but cosign found no valid ${required.name} attestation: ${(last as Error).message}`);
      }
      verifiedAttestations.push(required.name);
    }
    return { signer, verifiedAttestations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
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
    child.on('error', (error) => reject(new UserError('cosign-failed', `could not run ${cosign}: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      reject(new UserError('invalid-signature', `cosign ${args[0]} exited with ${code} for ${args.at(-1)}:\n${tail}`));
    });
  });
}

