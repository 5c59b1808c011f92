import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as toolCache from '@actions/tool-cache';
import { errorMessage, type Logger } from '@deploy-actions/action-kit';
import { basicAuthorization, pinnedReference } from '@deploy-actions/registry';
import {
  checkDockerReference,
  cosignAttestationTypes,
  cosignPolicyArgs,
  githubFromCosign,
  ReasonedError,
  readsOci11Referrers,
  signerFromCosign,
  type CosignResult,
  type CosignRun,
} from '@deploy-actions/signature';
import { cosignAsset, knownCosignSha256 } from './cosign-hashes.js';

export interface CosignInstall {
  version: string;
  baseUrl: string;
  /** Pinned sha256 of the binary; otherwise the hash shipped for the version (cosign-hashes.ts). */
  sha256?: string;
}

/** The sha256 the binary must have: the pinned one, else the one shipped for the version. */
function expectedCosignSha256(install: CosignInstall): string | undefined {
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
    throw new ReasonedError(
      'cosign-install-failed',
      `no sha256 is known for ${name} ${install.version}; pin it with cosign-sha256.`,
    );
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
    throw new ReasonedError(
      'cosign-checksum-mismatch',
      `${base}/${name} has sha256 ${actual}, expected ${expected}; it was not run.`,
    );
  }
  chmodSync(file, 0o755);
  const dir = await toolCache.cacheFile(file, 'cosign', 'cosign', version);
  rmSync(file, { force: true });
  // Hash what will run (the cached copy), not only what was downloaded.
  const binary = join(dir, 'cosign');
  const installed = sha256File(binary);
  if (installed !== expected) {
    throw new ReasonedError(
      'cosign-checksum-mismatch',
      `the cosign copied to the tool cache (${binary}) has sha256 ${installed}, expected ${expected}; it was not run.`,
    );
  }
  log.info(`cosign ${version} installed from ${base} (sha256 ${actual})`);
  return binary;
}

async function download(url: string): Promise<string> {
  try {
    return await toolCache.downloadTool(url);
  } catch (error) {
    throw new ReasonedError('cosign-install-failed', `Could not download ${url}: ${errorMessage(error)}`);
  }
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
      writeFileSync(
        join(dir, 'config.json'),
        JSON.stringify({ auths: { [run.reference.registry]: { auth } } }),
        { mode: 0o600 },
      );
    }
    let keyFile: string | undefined;
    if (run.policy.kind === 'key') {
      keyFile = join(dir, 'cosign.pub');
      writeFileSync(keyFile, run.policy.key.key.export({ type: 'spki', format: 'pem' }).toString());
    }
    const policyArgs = cosignPolicyArgs(run, keyFile);
    const image = pinnedReference(run.reference, run.digest);

    const oci11 = readsOci11Referrers(run.cosignVersion) ? ['--experimental-oci11'] : [];
    const verified = await runCosign(
      cosign,
      ['verify', '--output', 'json', ...oci11, ...policyArgs, image],
      env,
      log,
    );
    if (run.requireDockerReference) checkDockerReference(verified, run);
    const signer = signerFromCosign(verified, run);
    const verifiedAttestations: string[] = [];
    for (const required of run.attestations) {
      const types = cosignAttestationTypes(required);
      let last: unknown;
      for (const type of types) {
        try {
          await runCosign(
            cosign,
            ['verify-attestation', '--output', 'json', '--type', type, ...policyArgs, image],
            env,
            log,
          );
          last = undefined;
          break;
        } catch (error) {
          last = error;
        }
      }
      if (last) {
        throw new ReasonedError(
          'attestation-missing',
          `${image} is signed by ${signer}, but cosign found no valid ${required.name} attestation: ${errorMessage(last)}`,
        );
      }
      verifiedAttestations.push(required.name);
    }
    const github = githubFromCosign(verified);
    return { signer, ...(github ? { github } : {}), verifiedAttestations };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runCosign(cosign: string, args: string[], env: NodeJS.ProcessEnv, log: Logger): Promise<string> {
  log.info(`cosign ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(cosign, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (error) =>
      reject(new ReasonedError('cosign-failed', `could not run ${cosign}: ${error.message}`)),
    );
    child.on('close', (code) => {
      if (code === 0) return resolve(stdout);
      const tail = stderr.trim().split('\n').slice(-5).join('\n');
      reject(
        new ReasonedError(
          'invalid-signature',
          `cosign ${args[0]} exited with ${code} for ${args.at(-1)}:\n${tail}`,
        ),
      );
    });
  });
}
