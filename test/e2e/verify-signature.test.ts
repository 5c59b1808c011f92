import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseReference, RegistryClient } from '@deploy-actions/registry';
import { loadPublicKey, simpleSigningPayload } from '@deploy-actions/signature';
import { createMockSigstore } from '../fixtures/verify-signature/mock-sigstore.js';
import { runAction, visibleText, type ActionRun } from '../harness/run-action.js';
import { describeWithLab } from '../lab/lab.js';
import {
  attachSignatureLayer,
  attestLegacy,
  makeKey,
  pushTestImage,
  pushTestIndex,
  signLegacy,
} from '../fixtures/verify-signature/cosign-signer.js';

const SLSA_V1 = 'https://slsa.dev/provenance/v1';
const SPDX = 'https://spdx.dev/Document';

function verify(inputs: Record<string, string>, workspace?: string): Promise<ActionRun> {
  return runAction('verify-signature', { inputs, timeoutMs: 60_000, ...(workspace ? { workspace } : {}) });
}

function errors(run: ActionRun): string[] {
  return run.annotations.filter((a) => a.level === 'error').map((a) => a.message);
}

describeWithLab('verify-signature against the lab registry', (lab) => {
  const client = new RegistryClient();
  /** A repository no other test (or engineer) touches. */
  const freshImage = (): string =>
    `${lab.registry}/verify-signature-test/${randomBytes(5).toString('hex')}/app:v1`;
  const key = makeKey('ecdsa');

  it('passes an image signed in cosign legacy format with an ECDSA P-256 key, and pins it', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    const run = await verify({ image, key: key.publicPem });
    expect(errors(run)).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['digest']).toBe(digest);
    expect(run.outputs['image-ref']).toBe(`${image.replace(/:v1$/, '')}@${digest}`);
    expect(run.outputs['signer']).toBe(`key ${loadPublicKey(key.publicPem).fingerprint} (ecdsa-p256)`);
    expect(run.summary).toContain(
      `Why it passed: a signature over exactly this digest verified, signed by ${run.outputs['signer']}`,
    );
    expect(run.summary).toContain(digest);
  });

  it('passes an image signed with an Ed25519 key', async () => {
    const ed = makeKey('ed25519');
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, ed);
    const run = await verify({ image, key: ed.publicPem });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['signer']).toContain('(ed25519)');
  });

  it('passes an image signed with an RSA key given as a file in the workspace', async () => {
    const rsa = makeKey('rsa');
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, rsa);
    const workspace = mkdtempSync(join(tmpdir(), 'verify-ws-'));
    writeFileSync(join(workspace, 'cosign.pub'), rsa.publicPem);
    const run = await verify({ image, key: 'cosign.pub' }, workspace);
    expect(run.exitCode).toBe(0);
    expect(run.outputs['signer']).toContain('(rsa-2048)');
  });

  it('passes when one of several signatures is by the given key', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, makeKey());
    await signLegacy(client, image, digest, key);
    const run = await verify({ image, key: key.publicPem });
    expect(run.exitCode).toBe(0);
    expect(run.summary).toContain('does not verify with the given key');
  });

  it('fails when the image is signed by another key, and says a signature was found', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, makeKey());
    const run = await verify({ image, key: key.publicPem });
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('invalid-signature');
    expect(errors(run)).toHaveLength(1);
    expect(errors(run)[0]).toContain('does not verify with the given key');
    expect(run.outputs['image-ref']).toBeUndefined();
    expect(run.outputs['digest']).toBeUndefined();
  });

  it('fails an unsigned image with no-signature and names the tag it looked for', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    const run = await verify({ image, key: key.publicPem });
    expect(run.outputs['error-code']).toBe('no-signature');
    expect(errors(run)[0]).toContain(`${digest.replace(':', '-')}.sig`);
    expect(run.summary).toContain('not verified');
  });

  it('fails an image carrying a valid signature copied from another image', async () => {
    const original = freshImage();
    const originalDigest = await pushTestImage(client, original);
    const payload = await signLegacy(client, original, originalDigest, key);
    const copy = freshImage();
    const copyDigest = await pushTestImage(client, copy);
    const stored = await client.getManifest(
      parseReference(original),
      `${originalDigest.replace(':', '-')}.sig`,
    );
    await attachSignatureLayer(client, copy, copyDigest, payload, stored.manifest.layers![0]!.annotations!);
    const run = await verify({ image: copy, key: key.publicPem });
    expect(run.outputs['error-code']).toBe('invalid-signature');
    expect(errors(run)[0]).toContain(`for another image (${originalDigest})`);
  });

  it('fails when the signed payload was altered after signing', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key, { tamper: true });
    const run = await verify({ image, key: key.publicPem });
    expect(run.outputs['error-code']).toBe('invalid-signature');
  });

  it('verifies a multi-arch index by its own digest and says so', async () => {
    const image = freshImage();
    const digest = await pushTestIndex(client, image);
    await signLegacy(client, image, digest, key);
    const run = await verify({ image, key: key.publicPem });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['digest']).toBe(digest);
    expect(run.summary).toContain('multi-arch index (2 platforms: linux/amd64, linux/arm64/v8)');
  });

  it('accepts an image given by digest and checks that digest', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    const run = await verify({ image: `${image.replace(/:v1$/, '')}@${digest}`, key: key.publicPem });
    expect(run.exitCode).toBe(0);
    expect(run.outputs['digest']).toBe(digest);
  });

  it('passes when a required provenance attestation is present and signed by the key', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    await attestLegacy(client, image, digest, key, SLSA_V1, { buildDefinition: { buildType: 'test' } });
    const run = await verify({ image, key: key.publicPem, attestations: 'slsaprovenance' });
    expect(errors(run)).toEqual([]);
    expect(run.outputs['verified-attestations']).toBe('slsaprovenance');
  });

  it('fails when a required attestation type is missing and lists what was found', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    await attestLegacy(client, image, digest, key, SLSA_V1, {});
    const run = await verify({ image, key: key.publicPem, attestations: 'spdxjson' });
    expect(run.outputs['error-code']).toBe('attestation-missing');
    expect(errors(run)[0]).toContain(`found ${SLSA_V1} (valid)`);
  });

  it('fails an attestation whose subject is another image', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    await attestLegacy(client, image, digest, key, SPDX, {}, { subjectDigest: `sha256:${'e'.repeat(64)}` });
    const run = await verify({ image, key: key.publicPem, attestations: 'spdxjson' });
    expect(run.outputs['error-code']).toBe('attestation-missing');
    expect(errors(run)[0]).toContain('the attestation is about sha256:eeee');
  });

  it('fails an attestation signed by another key', async () => {
    const image = freshImage();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    await attestLegacy(client, image, digest, makeKey(), SLSA_V1, {});
    const run = await verify({ image, key: key.publicPem, attestations: SLSA_V1 });
    expect(run.outputs['error-code']).toBe('attestation-missing');
  });

  describe('keyless, with a trusted root from the test (a mock Fulcio and Rekor)', () => {
    const workflow = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
    const issuer = 'https://token.actions.githubusercontent.com';

    async function keylessSigned(): Promise<{ image: string; digest: string; workspace: string }> {
      const sigstore = await createMockSigstore();
      const image = freshImage();
      const digest = await pushTestImage(client, image);
      const ref = parseReference(image);
      const payload = simpleSigningPayload(`${ref.registry}/${ref.repository}`, digest);
      await attachSignatureLayer(
        client,
        image,
        digest,
        payload,
        (await sigstore.signLegacy(payload, workflow, issuer)).annotations,
      );
      const workspace = mkdtempSync(join(tmpdir(), 'verify-ws-'));
      writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
      return { image, digest, workspace };
    }

    it('passes with the exact workflow identity and issuer, and reports them as the signer', async () => {
      const { image, digest, workspace } = await keylessSigned();
      const run = await verify(
        {
          image,
          'certificate-identity': workflow,
          'certificate-oidc-issuer': issuer,
          'trusted-root': 'trusted_root.json',
        },
        workspace,
      );
      expect(errors(run)).toEqual([]);
      expect(run.outputs['digest']).toBe(digest);
      expect(run.outputs['signer']).toBe(`${workflow} (issuer ${issuer})`);
    });

    it('fails a pattern that matches only a prefix of the identity, and says who signed', async () => {
      const { image, workspace } = await keylessSigned();
      const run = await verify(
        {
          image,
          'certificate-identity-regexp': 'https://github.com/org/app',
          'certificate-oidc-issuer': issuer,
          'trusted-root': 'trusted_root.json',
        },
        workspace,
      );
      expect(run.outputs['error-code']).toBe('wrong-signer');
      expect(errors(run)[0]).toContain(`signed, but by ${workflow}`);
      expect(run.summary).toContain('What was found instead');
    });

    describe('with GitHub artifact attestations (a local server standing in for api.github.com)', () => {
      const token = `ghs_${randomBytes(12).toString('hex')}`;
      let api: Server;
      let apiUrl = '';
      const served = new Map<string, unknown[]>();
      const seenAuth: string[] = [];

      beforeAll(async () => {
        api = createServer((req, res) => {
          seenAuth.push(req.headers.authorization ?? '');
          // Octokit percent-encodes the ':' of the digest, as GitHub accepts.
          const m = /^\/repos\/org\/app\/attestations\/(sha256:[a-f0-9]{64})/.exec(
            decodeURIComponent(req.url ?? ''),
          );
          const bundles = m ? served.get(m[1]!) : undefined;
          if (!bundles)
            return void res
              .writeHead(404, { 'Content-Type': 'application/json' })
              .end('{"message":"Not Found"}');
          res
            .writeHead(200, { 'Content-Type': 'application/json' })
            .end(JSON.stringify({ attestations: bundles.map((bundle) => ({ bundle, repository_id: 1 })) }));
        });
        await new Promise<void>((done) => api.listen(0, '127.0.0.1', done));
        apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
      });
      afterAll(() => new Promise<void>((done) => api.close(() => done())));

      async function provenanceFromGitHub(): Promise<{ image: string; workspace: string }> {
        const sigstore = await createMockSigstore();
        const image = freshImage();
        const digest = await pushTestImage(client, image);
        const ref = parseReference(image);
        const payload = simpleSigningPayload(`${ref.registry}/${ref.repository}`, digest);
        await attachSignatureLayer(
          client,
          image,
          digest,
          payload,
          (await sigstore.signLegacy(payload, workflow, issuer)).annotations,
        );
        const statement = {
          _type: 'https://in-toto.io/Statement/v1',
          subject: [{ name: image, digest: { sha256: digest.slice(7) } }],
          predicateType: 'https://slsa.dev/provenance/v1',
          predicate: {},
        };
        served.set(digest, [await sigstore.dsseBundle(statement, workflow, issuer)]);
        const workspace = mkdtempSync(join(tmpdir(), 'verify-ws-'));
        writeFileSync(join(workspace, 'trusted_root.json'), JSON.stringify(sigstore.trustedRoot));
        return { image, workspace };
      }

      it('counts provenance from the GitHub attestations API towards slsaprovenance, and hides the token', async () => {
        const { image, workspace } = await provenanceFromGitHub();
        const run = await runAction('verify-signature', {
          inputs: {
            image,
            'certificate-identity': workflow,
            'certificate-oidc-issuer': issuer,
            'trusted-root': 'trusted_root.json',
            attestations: 'slsaprovenance',
            'github-repository': 'org/app',
            'github-token': token,
          },
          env: { GITHUB_API_URL: apiUrl },
          workspace,
          timeoutMs: 60_000,
        });
        expect(errors(run)).toEqual([]);
        expect(run.outputs['verified-attestations']).toBe('slsaprovenance');
        expect(run.summary).toContain('GitHub attestation');
        expect(seenAuth.at(-1)).toBe(`token ${token}`);
        expect(visibleText(run)).not.toContain(token);
      });

      it('fails the provenance requirement when GitHub has no attestation for the digest', async () => {
        const { image, workspace } = await keylessSigned();
        const run = await runAction('verify-signature', {
          inputs: {
            image,
            'certificate-identity': workflow,
            'certificate-oidc-issuer': issuer,
            'trusted-root': 'trusted_root.json',
            attestations: 'slsaprovenance',
            'github-repository': 'org/app',
            'github-token': token,
          },
          env: { GITHUB_API_URL: apiUrl },
          workspace,
          timeoutMs: 60_000,
        });
        expect(run.outputs['error-code']).toBe('attestation-missing');
        expect(errors(run)[0]).toContain('no attestations at all');
      });
    });

    it('fails against the shipped public-good root, which does not trust the mock CA', async () => {
      const { image, workspace } = await keylessSigned();
      const run = await verify(
        { image, 'certificate-identity': workflow, 'certificate-oidc-issuer': issuer },
        workspace,
      );
      expect(run.outputs['error-code']).toBe('invalid-signature');
    });
  });

  describe('on the registry behind basic auth', () => {
    const { address, username, password } = lab.authRegistry;
    const authClient = new RegistryClient({ credentials: { username, password } });
    const authImage = (): string =>
      `${address}/verify-signature-test/${randomBytes(5).toString('hex')}/app:v1`;

    it('verifies with registry-username and registry-password, and never shows the password', async () => {
      const image = authImage();
      const digest = await pushTestImage(authClient, image);
      await signLegacy(authClient, image, digest, key);
      const run = await verify({
        image,
        key: key.publicPem,
        'registry-username': username,
        'registry-password': password,
      });
      expect(errors(run)).toEqual([]);
      expect(run.outputs['digest']).toBe(digest);
      expect(run.masked).toContain(password);
      expect(visibleText(run)).not.toContain(password);
    });

    it('says which inputs to set when no credentials are given', async () => {
      const run = await verify({ image: lab.authRegistry.image, key: key.publicPem });
      expect(run.outputs['error-code']).toBe('registry-unauthorized');
      expect(errors(run)[0]).toContain('set registry-username and registry-password');
    });

    it('reports refused credentials without echoing them', async () => {
      const wrong = `not-${password}`;
      const run = await verify({
        image: lab.authRegistry.image,
        key: key.publicPem,
        'registry-username': username,
        'registry-password': wrong,
      });
      expect(run.outputs['error-code']).toBe('registry-unauthorized');
      expect(visibleText(run)).not.toContain(wrong);
    });
  });
});

describe('verify-signature inputs', () => {
  it('reports every bad input in one annotation before contacting any registry', async () => {
    const run = await verify({
      image: 'https://127.0.0.1:9/x',
      key: makeKey().publicPem,
      'certificate-identity': 'https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main',
      attestations: 'slsaprovenance\nsbom-please',
      'registry-password': 'only-a-password',
    });
    expect(run.outputs['error-code']).toBe('invalid-input');
    const [message] = errors(run);
    expect(errors(run)).toHaveLength(1);
    for (const name of ['image', 'key', 'attestations', 'registry-username'])
      expect(message).toContain(`'${name}'`);
    expect(visibleText(run)).not.toContain('only-a-password');
    expect(run.summary).toContain('inputs rejected');
  });

  it('requires an issuer for keyless verification', async () => {
    const run = await verify({
      image: '127.0.0.1:9/x:v1',
      'certificate-identity-regexp': 'https://github.com/org/.*',
    });
    expect(errors(run)[0]).toContain("'certificate-oidc-issuer'");
  });

  it('rejects a private key passed as the key', async () => {
    const { privateKey } = makeKey();
    const run = await verify({
      image: '127.0.0.1:9/x:v1',
      key: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    });
    expect(errors(run)[0]).toContain('is a private key');
  });
});
