import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '@deploy-actions/registry';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab } from '../lab/lab.js';
import { makeKey, pushTestImage } from '../fixtures/verify-signature/cosign-signer.js';

// A stand-in for the cosign binary: records its arguments and the docker config it was
// given, then answers as `cosign verify --output json` does (or fails when told to).
const FAKE_COSIGN = `#!/bin/sh
printf '%s\\n' "$@" > "$FAKE_COSIGN_LOG"
cat "$DOCKER_CONFIG/config.json" > "$FAKE_COSIGN_LOG.config" 2>/dev/null
if [ -n "$FAKE_COSIGN_FAIL" ]; then echo "Error: no matching signatures: $FAKE_COSIGN_FAIL" >&2; exit 1; fi
for last; do :; done
digest="\${last##*@}"
identity=""
if [ -n "$FAKE_COSIGN_V3" ]; then
  echo "[{\\"critical\\":{\\"identity\\":{\\"docker-reference\\":\\"\${last%@*}\\"},\\"image\\":{\\"docker-manifest-digest\\":\\"$digest\\"},\\"type\\":\\"https://sigstore.dev/cosign/sign/v1\\"},\\"optional\\":{$FAKE_COSIGN_V3}}]"
  exit 0
fi
if [ -n "$FAKE_COSIGN_REF" ]; then identity="\\"identity\\":{\\"docker-reference\\":\\"$FAKE_COSIGN_REF\\"},"; fi
echo "[{\\"critical\\":{$identity\\"image\\":{\\"docker-manifest-digest\\":\\"$digest\\"},\\"type\\":\\"cosign container image signature\\"},\\"optional\\":{\\"Issuer\\":\\"https://token.actions.githubusercontent.com\\",\\"Subject\\":\\"https://github.com/org/app/.github/workflows/release.yml@refs/heads/main\\",\\"githubWorkflowRepository\\":\\"org/app\\",\\"githubWorkflowRef\\":\\"refs/heads/main\\",\\"githubWorkflowSha\\":\\"0123456789abcdef0123456789abcdef01234567\\"}}]"
`;
const VERSION = 'v2.4.1';
const ASSET = `cosign-linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}`;
const WORKFLOW = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';

function errors(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

describeWithLab(
  'verify-signature with engine: cosign (a local server standing in for the release)',
  (lab) => {
    const client = new RegistryClient();
    let server: Server;
    let baseUrl = '';
    let binaryDownloads = 0;
    let checksumDownloads = 0;
    const checksum = createHash('sha256').update(FAKE_COSIGN).digest('hex');

    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === `/${VERSION}/${ASSET}`) {
          binaryDownloads++;
          return void res.writeHead(200, { 'Content-Type': 'application/octet-stream' }).end(FAKE_COSIGN);
        }
        if (req.url === `/${VERSION}/cosign_checksums.txt`) {
          checksumDownloads++;
          return void res
            .writeHead(200)
            .end(`${'0'.repeat(64)}  cosign-darwin-amd64\n${checksum}  ${ASSET}\n`);
        }
        res.writeHead(404).end();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((done) => server.close(() => done())));

    async function runWithCosign(
      inputs: Record<string, string>,
      toolCache = mkdtempSync(join(tmpdir(), 'toolcache-')),
      extraEnv: Record<string, string> = {},
    ): Promise<{ run: ActionRun; log: string }> {
      const log = join(mkdtempSync(join(tmpdir(), 'fake-cosign-')), 'args');
      const run = await runAction('verify-signature', {
        // The stand-in binary is not the real v2.4.1, so its hash is pinned like a mirror's build would be.
        inputs: {
          engine: 'cosign',
          'cosign-base-url': baseUrl,
          'cosign-version': VERSION,
          'cosign-sha256': checksum,
          ...inputs,
        },
        env: { RUNNER_TOOL_CACHE: toolCache, FAKE_COSIGN_LOG: log, ...extraEnv },
        timeoutMs: 60_000,
      });
      return { run, log };
    }

    const freshImage = (): string =>
      `${lab.registry}/verify-signature-test/${randomBytes(5).toString('hex')}/app:v1`;

    it('installs cosign after checking its checksum and runs cosign verify on the pinned digest with an anchored pattern', async () => {
      const image = freshImage();
      const digest = await pushTestImage(client, image);
      const { run, log } = await runWithCosign({
        image,
        'certificate-identity-regexp': 'https://github.com/org/app/.*',
        'certificate-oidc-issuer': ISSUER,
      });
      expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
      const args = readFileSync(log, 'utf8').trim().split('\n');
      expect(args.slice(0, 3)).toEqual(['verify', '--output', 'json']);
      expect(args).toContain('^(?:https://github.com/org/app/.*)$');
      expect(args).toContain('--allow-http-registry');
      expect(args.at(-1)).toBe(`${image.replace(/:v1$/, '')}@${digest}`);
      expect(run.outputs['digest']).toBe(digest);
      expect(run.outputs['signer']).toBe(`${WORKFLOW} (issuer ${ISSUER})`);
      expect(run.summary).toContain('verified by cosign v2.4.1');
    });

    it('uses the cached cosign on a later run instead of downloading it again', async () => {
      const image = freshImage();
      await pushTestImage(client, image);
      const toolCache = mkdtempSync(join(tmpdir(), 'toolcache-'));
      const before = binaryDownloads;
      await runWithCosign(
        { image, 'certificate-identity': WORKFLOW, 'certificate-oidc-issuer': ISSUER },
        toolCache,
      );
      const { run } = await runWithCosign(
        { image, 'certificate-identity': WORKFLOW, 'certificate-oidc-issuer': ISSUER },
        toolCache,
      );
      expect(run.exitCode).toBe(0);
      expect(binaryDownloads - before).toBe(1);
    });

    it('refuses a binary whose checksum does not match the pinned one, without running it', async () => {
      const image = freshImage();
      await pushTestImage(client, image);
      const { run, log } = await runWithCosign({
        image,
        'certificate-identity': WORKFLOW,
        'certificate-oidc-issuer': ISSUER,
        'cosign-sha256': 'f'.repeat(64),
      });
      expect(run.outputs['error-code']).toBe('cosign-checksum-mismatch');
      expect(existsSync(log)).toBe(false);
    });

    it('re-hashes a cached cosign on every run and refuses one whose bytes changed, without running it', async () => {
      const image = freshImage();
      await pushTestImage(client, image);
      const toolCache = mkdtempSync(join(tmpdir(), 'toolcache-'));
      const first = await runWithCosign(
        { image, 'certificate-identity': WORKFLOW, 'certificate-oidc-issuer': ISSUER },
        toolCache,
      );
      expect(first.run.exitCode).toBe(0);
      const cached = join(toolCache, 'cosign', VERSION.slice(1), process.arch, 'cosign');
      expect(existsSync(cached)).toBe(true);
      // Someone with write access to the runner's tool cache swaps the binary.
      writeFileSync(
        cached,
        FAKE_COSIGN.replace('#!/bin/sh\n', '#!/bin/sh\ntouch "$FAKE_COSIGN_LOG.tampered"\n'),
      );
      const { run, log } = await runWithCosign(
        { image, 'certificate-identity': WORKFLOW, 'certificate-oidc-issuer': ISSUER },
        toolCache,
      );
      expect(run.outputs['error-code']).toBe('cosign-checksum-mismatch');
      expect(existsSync(`${log}.tampered`)).toBe(false);
      expect(existsSync(log)).toBe(false);
      expect(run.outputs['digest']).toBeUndefined();
    });

    it('refuses a binary whose hash is not the one shipped for the version, whatever the checksum file says', async () => {
      const image = freshImage();
      await pushTestImage(client, image);
      const before = checksumDownloads;
      // No cosign-sha256: the shipped hash of the real cosign v2.4.1 is what the download must match.
      const { run, log } = await runWithCosign({
        image,
        'certificate-identity': WORKFLOW,
        'certificate-oidc-issuer': ISSUER,
        'cosign-sha256': '',
      });
      expect(run.outputs['error-code']).toBe('cosign-checksum-mismatch');
      expect(errors(run)[0]).toContain('8b24b946dd5809c6bd93de08033bcf6bc0ed7d336b7785787c080f574b89249b');
      expect(existsSync(log)).toBe(false);
      expect(checksumDownloads - before).toBe(0);
    });

    it('refuses a cosign version whose hash is not shipped unless cosign-sha256 pins it, before downloading', async () => {
      const before = binaryDownloads;
      const { run } = await runWithCosign({
        image: freshImage(),
        'certificate-identity': WORKFLOW,
        'certificate-oidc-issuer': ISSUER,
        'cosign-version': 'v9.9.9',
        'cosign-sha256': '',
      });
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(errors(run)[0]).toMatch(/cosign-version.*no known sha256.*cosign-sha256/s);
      expect(binaryDownloads - before).toBe(0);
    });

    it('refuses a plain-http cosign-base-url beyond loopback before anything is downloaded', async () => {
      const { run } = await runWithCosign({
        image: freshImage(),
        'certificate-identity': WORKFLOW,
        'certificate-oidc-issuer': ISSUER,
        'cosign-base-url': 'http://mirror.example.com/cosign',
      });
      expect(run.outputs['error-code']).toBe('invalid-input');
      expect(errors(run)[0]).toContain('cosign-base-url');
    });

    it('hands the source claims to cosign and outputs what cosign says the certificate holds', async () => {
      const image = freshImage();
      await pushTestImage(client, image);
      const sha = '0123456789abcdef0123456789abcdef01234567';
      const { run, log } = await runWithCosign({
        image,
        'certificate-identity': WORKFLOW,
        'certificate-oidc-issuer': ISSUER,
        'certificate-github-workflow-repository': 'org/app',
        'certificate-github-workflow-ref': 'refs/heads/main',
        'certificate-github-workflow-sha': sha,
      });
      expect(errors(run)).toEqual([]);
      const args = readFileSync(log, 'utf8').trim().split('\n');
      expect(args.join(' ')).toContain(
        `--certificate-github-workflow-repository org/app --certificate-github-workflow-ref refs/heads/main --certificate-github-workflow-sha ${sha}`,
      );
      expect(run.outputs['source-repository']).toBe('org/app');
      expect(run.outputs['source-ref']).toBe('refs/heads/main');
      expect(run.outputs['source-digest']).toBe(sha);
    });

    it('with require-docker-reference, refuses what cosign verified when the payload names another repository', async () => {
      const image = freshImage();
      const digest = await pushTestImage(client, image);
      const other = `${lab.registry}/verify-signature-test/migrator`;
      const refused = await runWithCosign(
        { image, key: makeKey().publicPem, 'require-docker-reference': 'true' },
        undefined,
        { FAKE_COSIGN_REF: other },
      );
      expect(refused.run.outputs['error-code']).toBe('wrong-docker-reference');
      expect(errors(refused.run)[0]).toContain(`they name ${other}`);
      expect(refused.run.outputs['digest']).toBeUndefined();
      const passed = await runWithCosign(
        { image, key: makeKey().publicPem, 'require-docker-reference': 'true' },
        undefined,
        { FAKE_COSIGN_REF: image.replace(/:v1$/, '') },
      );
      expect(passed.run.outputs['digest']).toBe(digest);
    });

    it('with require-docker-reference, does not take the name cosign prints for a v3 signature, only its signed annotation', async () => {
      const image = freshImage();
      const digest = await pushTestImage(client, image);
      const repository = image.replace(/:v1$/, '');
      const unnamed = await runWithCosign(
        { image, key: makeKey().publicPem, 'require-docker-reference': 'true' },
        undefined,
        { FAKE_COSIGN_V3: '"note":"none"' },
      );
      expect(unnamed.run.outputs['error-code']).toBe('wrong-docker-reference');
      const annotated = await runWithCosign(
        { image, key: makeKey().publicPem, 'require-docker-reference': 'true' },
        undefined,
        { FAKE_COSIGN_V3: `"docker-reference":"${repository}"` },
      );
      expect(annotated.run.outputs['digest']).toBe(digest);
    });

    it('fails with the last lines of cosign error output when cosign rejects the image', async () => {
      const image = freshImage();
      await pushTestImage(client, image);
      const { run } = await runWithCosign({ image, key: makeKey().publicPem }, undefined, {
        FAKE_COSIGN_FAIL: 'signed by another key',
      });
      expect(run.outputs['error-code']).toBe('invalid-signature');
      expect(run.annotations.find((a) => a.level === 'error')!.message).toContain(
        'no matching signatures: signed by another key',
      );
      expect(run.outputs['digest']).toBeUndefined();
    });

    it('passes registry credentials to cosign in a private docker config and never shows them', async () => {
      const { address, username, password } = lab.authRegistry;
      const image = `${address}/verify-signature-test/${randomBytes(5).toString('hex')}/app:v1`;
      await pushTestImage(new RegistryClient({ credentials: { username, password } }), image);
      const { run, log } = await runWithCosign({
        image,
        key: makeKey().publicPem,
        'registry-username': username,
        'registry-password': password,
      });
      expect(run.exitCode).toBe(0);
      const config = JSON.parse(readFileSync(`${log}.config`, 'utf8')) as {
        auths: Record<string, { auth: string }>;
      };
      rmSync(`${log}.config`);
      expect(Buffer.from(config.auths[address]!.auth, 'base64').toString()).toBe(`${username}:${password}`);
      expect(readdirSync(run.dirs.runnerTemp).filter((name) => name.startsWith('cosign-'))).toEqual([]);
      expect(readFileSync(log, 'utf8')).toContain('--insecure-ignore-tlog=true');
      expect(visibleText(run)).not.toContain(password);
    });
  },
);
