import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseReference, RegistryClient } from '@deploy-actions/registry';
import { simpleSigningPayload } from '@deploy-actions/signature';
import {
  attachSignatureLayer,
  makeKey,
  pushTestImage,
  signLegacy,
} from '../fixtures/verify-signature/cosign-signer.js';
import { FakeRegistry } from '../fixtures/verify-signature/fake-registry.js';
import {
  createMockSigstore,
  type GitHubClaims,
  type MockSigstore,
} from '../fixtures/verify-signature/mock-sigstore.js';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, labTools } from '../lab/lab.js';

// Issue 18 items 1, 2 and 8, through the bundled action: who signed (the repository behind
// a shared reusable release.yml), for which repository, and where the registry password goes.

const SHARED = 'https://github.com/acme/deploy-actions/.github/workflows/release.yml@refs/tags/v1';
const ISSUER = 'https://token.actions.githubusercontent.com';
const SHA = '0123456789abcdef0123456789abcdef01234567';
const OURS: GitHubClaims = {
  repository: 'acme/app',
  ref: 'refs/heads/main',
  sha: SHA,
  buildConfig: '.github/workflows/ci.yml@refs/heads/main',
};

function verify(inputs: Record<string, string>, workspace?: string): Promise<ActionRun> {
  return runAction('verify-signature', { inputs, timeoutMs: 60_000, ...(workspace ? { workspace } : {}) });
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

describeWithLab('verify-signature: chain of custody (issue 18)', (lab) => {
  const client = new RegistryClient();
  const fresh = (name = 'app'): string =>
    `${lab.registry}/verify-signature-test/${randomBytes(5).toString('hex')}/${name}:v1`;

  describe('keyless: the repository behind a shared reusable release workflow', () => {
    let sigstore: MockSigstore;
    let workspace: string;
    beforeAll(async () => {
      sigstore = await createMockSigstore();
      workspace = mkdtempSync(join(tmpdir(), 'verify-ws-'));
      writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
    });

    async function signedBy(claims: GitHubClaims): Promise<{ image: string; digest: string }> {
      const image = fresh();
      const digest = await pushTestImage(client, image);
      const ref = parseReference(image);
      const payload = simpleSigningPayload(`${ref.registry}/${ref.repository}`, digest);
      await attachSignatureLayer(
        client,
        image,
        digest,
        payload,
        (await sigstore.signLegacy(payload, SHARED, ISSUER, claims)).annotations,
      );
      return { image, digest };
    }

    const policy = {
      'certificate-identity': SHARED,
      'certificate-oidc-issuer': ISSUER,
      'certificate-github-workflow-repository': 'acme/app',
      'certificate-github-workflow-ref': 'refs/heads/main',
      'certificate-github-workflow-sha': SHA,
      'trusted-root': 'trusted_root.json',
    };

    it('refuses an image signed by another repository that calls the same release.yml', async () => {
      const { image } = await signedBy({
        repository: 'mallory/app',
        ref: 'refs/heads/main',
        sha: 'f'.repeat(40),
      });
      const run = await verify({ image, ...policy }, workspace);
      expect(run.outputs['error-code']).toBe('wrong-source');
      expect(errors(run)[0]).toContain('from the repository mallory/app');
      expect(run.outputs['digest']).toBeUndefined();
      expect(run.outputs['image-ref']).toBeUndefined();
    });

    it('passes our repository, ref and commit, and outputs what the certificate says', async () => {
      const { image, digest } = await signedBy(OURS);
      const run = await verify({ image, ...policy }, workspace);
      expect(errors(run)).toEqual([]);
      expect(run.outputs['digest']).toBe(digest);
      expect(run.outputs['source-repository']).toBe('acme/app');
      expect(run.outputs['source-ref']).toBe('refs/heads/main');
      expect(run.outputs['source-digest']).toBe(SHA);
      expect(run.summary).toContain('Signed in a run of acme/app at refs/heads/main');
      expect(run.summary).toContain('https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main');
    });

    it('agrees with real cosign on the same two signatures (cosign reads the legacy extensions)', async () => {
      const theirs = await signedBy({
        repository: 'mallory/app',
        ref: 'refs/heads/main',
        sha: 'f'.repeat(40),
      });
      const ours = await signedBy(OURS);
      // cosign 2.5 reads legacy signatures' roots from these files, not from --trusted-root.
      const root = sigstore.trustedRoot as {
        tlogs: { publicKey: { rawBytes: string } }[];
        certificateAuthorities: { certChain: { certificates: { rawBytes: string }[] } }[];
      };
      const pem = (label: string, base64: string) =>
        `-----BEGIN ${label}-----\n${base64.match(/.{1,64}/g)!.join('\n')}\n-----END ${label}-----\n`;
      writeFileSync(join(workspace, 'rekor.pub'), pem('PUBLIC KEY', root.tlogs[0]!.publicKey.rawBytes));
      writeFileSync(
        join(workspace, 'fulcio.pem'),
        pem('CERTIFICATE', root.certificateAuthorities[0]!.certChain.certificates[0]!.rawBytes),
      );
      const cosign = (image: string, digest: string) =>
        promisify(execFile)(
          labTools.cosign,
          [
            'verify',
            '--insecure-ignore-sct',
            '--certificate-identity',
            SHARED,
            '--certificate-oidc-issuer',
            ISSUER,
            '--certificate-github-workflow-repository',
            'acme/app',
            '--allow-http-registry',
            '--output',
            'json',
            `${image.replace(/:v1$/, '')}@${digest}`,
          ],
          {
            env: {
              ...process.env,
              DOCKER_CONFIG: workspace,
              TUF_ROOT: workspace,
              SIGSTORE_REKOR_PUBLIC_KEY: join(workspace, 'rekor.pub'),
              SIGSTORE_ROOT_FILE: join(workspace, 'fulcio.pem'),
            },
          },
        ).then(
          () => 'accepted',
          (error: { stderr?: string }) => `rejected: ${error.stderr ?? ''}`,
        );
      expect(await cosign(ours.image, ours.digest)).toBe('accepted');
      expect(await cosign(theirs.image, theirs.digest)).toMatch(
        /^rejected: .*expected GitHub Workflow Repository/s,
      );
      expect((await verify({ image: ours.image, ...policy }, workspace)).outputs['digest']).toBe(ours.digest);
      expect((await verify({ image: theirs.image, ...policy }, workspace)).outputs['error-code']).toBe(
        'wrong-source',
      );
    });

    it('refuses a signature made from another commit than the sha-<commit> being deployed', async () => {
      const { image } = await signedBy({ ...OURS, sha: 'e'.repeat(40) });
      const run = await verify({ image, ...policy }, workspace);
      expect(run.outputs['error-code']).toBe('wrong-source');
      expect(errors(run)[0]).toContain(`for the source commit ${'e'.repeat(40)}, not ${SHA}`);
    });
  });

  describe('the repository a signature was made for', () => {
    const key = makeKey();

    /** The migrator's image and its signature, copied under <app>:sha-new (same digest). */
    async function copiedMigrator(): Promise<{ app: string; migrator: string; digest: string }> {
      const base = `${lab.registry}/verify-signature-test/${randomBytes(5).toString('hex')}`;
      const migrator = `${base}/migrator:v1`;
      const app = `${base}/app:sha-new`;
      const digest = await pushTestImage(client, migrator);
      const migratorRef = parseReference(migrator);
      const appRef = parseReference(app);
      const manifest = await client.getManifest(migratorRef, digest);
      for (const layer of [manifest.manifest.config!, ...manifest.manifest.layers!])
        await client.pushBlob(appRef, await client.getBlob(migratorRef, layer));
      await client.pushManifest(appRef, 'sha-new', manifest.bytes, manifest.mediaType);
      const payload = await signLegacy(client, migrator, digest, key);
      const annotations = (await client.getManifest(migratorRef, `${digest.replace(':', '-')}.sig`)).manifest
        .layers![0]!.annotations!;
      await attachSignatureLayer(client, app, digest, payload, annotations);
      return { app, migrator, digest };
    }

    it('refuses the migrator copied under acme/app:sha-new with require-docker-reference', async () => {
      const { app, migrator } = await copiedMigrator();
      const run = await verify({ image: app, key: key.publicPem, 'require-docker-reference': 'true' });
      expect(run.outputs['error-code']).toBe('wrong-docker-reference');
      expect(errors(run)[0]).toContain(`was made for ${migrator.replace(/:v1$/, '')}`);
      expect(run.outputs['digest']).toBeUndefined();
    });

    it('accepts the copy without it, as real cosign does (cosign checks the digest, not the repository)', async () => {
      const { app, digest } = await copiedMigrator();
      const run = await verify({ image: app, key: key.publicPem });
      expect(run.outputs['digest']).toBe(digest);
      const dir = mkdtempSync(join(tmpdir(), 'cosign-oracle-'));
      writeFileSync(join(dir, 'cosign.pub'), key.publicPem);
      const pinned = `${app.replace(/:sha-new$/, '')}@${digest}`;
      const cosign = await promisify(execFile)(
        labTools.cosign,
        [
          'verify',
          '--key',
          join(dir, 'cosign.pub'),
          '--insecure-ignore-tlog=true',
          '--allow-http-registry',
          '--output',
          'json',
          pinned,
        ],
        {
          env: { ...process.env, DOCKER_CONFIG: dir },
        },
      );
      expect(cosign.stdout).toContain(`"docker-reference":"${app.replace(/\/app:sha-new$/, '/migrator')}"`);
    });

    it('passes an image whose signature names its own repository', async () => {
      const image = fresh();
      const digest = await pushTestImage(client, image);
      await signLegacy(client, image, digest, key);
      const run = await verify({ image, key: key.publicPem, 'require-docker-reference': 'true' });
      expect(errors(run)).toEqual([]);
      expect(run.outputs['digest']).toBe(digest);
    });
  });

  describe('where the registry password goes', () => {
    it('never sends it to a token server on another host that the registry names', async () => {
      const seen: (string | undefined)[] = [];
      const stranger = createServer((req, res) => {
        seen.push(req.headers.authorization);
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"token":"stranger"}');
      });
      await new Promise<void>((resolve) => stranger.listen(0, '127.0.0.2', resolve));
      const realm = `http://127.0.0.2:${(stranger.address() as AddressInfo).port}/token`;
      const password = `ghs_${randomBytes(12).toString('hex')}`;
      const registry = new FakeRegistry({ auth: 'bearer', username: 'ci', password, realm });
      await registry.start();
      try {
        const run = await verify({
          image: `${registry.host}/acme/app:v1`,
          key: makeKey().publicPem,
          'registry-username': 'ci',
          'registry-password': password,
        });
        expect(run.outputs['error-code']).toBe('registry-unauthorized');
        expect(seen.length).toBeGreaterThan(0);
        expect(seen.every((authorization) => authorization === undefined)).toBe(true);
        expect(errors(run)[0]).toContain(`were not sent to its token service ${new URL(realm).origin}`);
        expect(visibleText(run)).not.toContain(password);
      } finally {
        await registry.stop();
        await new Promise<void>((resolve) => stranger.close(() => resolve()));
      }
    });
  });
});

describe('verify-signature chain-of-custody inputs', () => {
  it('refuses source claims with a key, and malformed ones, before contacting anything', async () => {
    const run = await verify({
      image: '127.0.0.1:9/x:v1',
      key: makeKey().publicPem,
      'certificate-github-workflow-repository': 'acme/app',
      'certificate-github-workflow-ref': 'main',
      'certificate-github-workflow-sha': 'abc',
      'registry-token-realms': 'http://auth.example.com',
    });
    expect(run.outputs['error-code']).toBe('invalid-input');
    const [message] = errors(run);
    for (const name of [
      'certificate-github-workflow-repository',
      'certificate-github-workflow-ref',
      'certificate-github-workflow-sha',
      'registry-token-realms',
    ])
      expect(message).toContain(`'${name}'`);
  });
});
