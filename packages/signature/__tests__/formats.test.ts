import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MEDIA_TYPES, parseReference, RegistryClient } from '@deploy-actions/registry';
import {
  loadPublicKey,
  parseTrustedRoot,
  requiredPredicate,
  verifyImage,
  type TrustPolicy,
} from '@deploy-actions/signature';
import {
  attachBundle,
  attestOci11,
  cosignSignStatement,
  makeKey,
  pushTestImage,
  signOci11,
  type TestKey,
} from '../../../test/fixtures/verify-signature/cosign-signer.js';
import { FakeRegistry } from '../../../test/fixtures/verify-signature/fake-registry.js';
import {
  createMockSigstore,
  type MockSigstore,
} from '../../../test/fixtures/verify-signature/mock-sigstore.js';

// The formats cosign writes today, in the exact layouts of cosign's source, on a registry with
// the OCI 1.1 referrers API and on one without (distribution 2.8, GHCR: the sha256-<hex> tag).
// test/e2e/verify-signature-real-cosign.test.ts checks the same verdicts against real cosign.

const WORKFLOW = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';

let sigstore: MockSigstore;
let withApi: FakeRegistry;
let withoutApi: FakeRegistry;
const client = new RegistryClient();
const key = makeKey('ecdsa');

beforeAll(async () => {
  sigstore = await createMockSigstore();
  withApi = new FakeRegistry({ referrersApi: true });
  withoutApi = new FakeRegistry();
  await withApi.start();
  await withoutApi.start();
});
afterAll(async () => {
  await withApi.stop();
  await withoutApi.stop();
});

let counter = 0;
async function freshImage(registry: FakeRegistry): Promise<{ image: string; digest: string }> {
  const image = `${registry.host}/org/formats${counter++}:v1`;
  return { image, digest: await pushTestImage(client, image) };
}

function byKey(k: TestKey = key): TrustPolicy {
  return { kind: 'key', key: loadPublicKey(k.publicPem) };
}

function keyless(identity = WORKFLOW): TrustPolicy {
  return {
    kind: 'keyless',
    identity: { identity, issuer: GITHUB },
    trustedRoot: parseTrustedRoot(sigstore.trustedRoot),
  };
}

function run(image: string, policy: TrustPolicy, attestations: string[] = []) {
  return verifyImage({
    reference: parseReference(image),
    policy,
    trustedRoot: parseTrustedRoot(sigstore.trustedRoot),
    attestations: attestations.map((a) => requiredPredicate(a)!),
    client,
  });
}

describe.each([
  ['with the referrers API', () => withApi],
  ['without the referrers API (sha256-<hex> tag)', () => withoutApi],
])(
  'cosign 2.x OCI 1.1 referrer signatures (sign --registry-referrers-mode=oci-1-1), %s',
  (_name, registry) => {
    it('passes an image whose only signature is a referrer by the given key', async () => {
      const { image, digest } = await freshImage(registry());
      await signOci11(client, image, digest, key);
      const result = await run(image, byKey());
      expect(result.evidence.filter((e) => e.ok).map((e) => e.source)).toEqual(['cosign OCI 1.1 referrer']);
    });

    it('fails a referrer signature made by another key as invalid-signature', async () => {
      const { image, digest } = await freshImage(registry());
      await signOci11(client, image, digest, makeKey());
      await expect(run(image, byKey())).rejects.toMatchObject({
        code: 'invalid-signature',
        message: expect.stringContaining('does not verify with the given key'),
      });
    });

    it('fails a referrer whose signed payload was altered', async () => {
      const { image, digest } = await freshImage(registry());
      await signOci11(client, image, digest, key, { tamper: true });
      await expect(run(image, byKey())).rejects.toMatchObject({ code: 'invalid-signature' });
    });

    it('counts a DSSE attestation referrer (cosign WriteAttestationsReferrer) by the key, and not one by another key', async () => {
      const { image, digest } = await freshImage(registry());
      await signOci11(client, image, digest, key);
      await attestOci11(client, image, digest, makeKey(), 'https://spdx.dev/Document', {});
      await expect(run(image, byKey(), ['spdxjson'])).rejects.toMatchObject({ code: 'attestation-missing' });
      await attestOci11(client, image, digest, key, 'https://spdx.dev/Document', {});
      expect((await run(image, byKey(), ['spdxjson'])).verifiedAttestations).toEqual(['spdxjson']);
    });

    it('fails a referrer signature copied from another image', async () => {
      const { image, digest } = await freshImage(registry());
      const { digest: other } = await freshImage(registry());
      await signOci11(client, image, digest, key, { claimedDigest: other });
      await expect(run(image, byKey())).rejects.toMatchObject({
        code: 'invalid-signature',
        message: expect.stringContaining(`for another image (${other})`),
      });
    });
  },
);

describe.each([
  ['with the referrers API', () => withApi],
  ['without the referrers API, the tag index written as cosign writes it', () => withoutApi],
])('cosign v3 sigstore bundles (v0.3, OCI 1.1 referrer), %s', (_name, registry) => {
  it('passes a key-signed cosign v3 signature bundle with no log entry (--tlog-upload=false)', async () => {
    const { image, digest } = await freshImage(registry());
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), key),
    );
    const result = await run(image, byKey());
    expect(result.evidence.filter((e) => e.ok).map((e) => [e.source, e.kind])).toEqual([
      ['sigstore bundle', 'signature'],
    ]);
  });

  it('passes a keyless cosign v3 signature bundle and reports the workflow as the signer', async () => {
    const { image, digest } = await freshImage(registry());
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), { identity: WORKFLOW, issuer: GITHUB }),
    );
    const result = await run(image, keyless());
    expect(result.signer).toBe(`${WORKFLOW} (issuer ${GITHUB})`);
  });

  it('fails a keyless bundle from another workflow as wrong-signer', async () => {
    const { image, digest } = await freshImage(registry());
    const other = WORKFLOW.replace('release.yml', 'other.yml');
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), { identity: other, issuer: GITHUB }),
    );
    await expect(run(image, keyless())).rejects.toMatchObject({
      code: 'wrong-signer',
      message: expect.stringContaining(`signed, but by ${other}`),
    });
  });

  it('fails a bundle signed by another key as invalid-signature', async () => {
    const { image, digest } = await freshImage(registry());
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), makeKey()),
    );
    await expect(run(image, byKey())).rejects.toMatchObject({
      code: 'invalid-signature',
      message: expect.stringContaining('sigstore bundle does not verify'),
    });
  });

  it('fails a keyless bundle when a key is required, as wrong-signer', async () => {
    const { image, digest } = await freshImage(registry());
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), { identity: WORKFLOW, issuer: GITHUB }),
    );
    await expect(run(image, byKey())).rejects.toMatchObject({
      code: 'wrong-signer',
      message: expect.stringContaining('a key was required'),
    });
  });

  it('fails a signature bundle whose statement names another digest', async () => {
    const { image, digest } = await freshImage(registry());
    const { digest: other } = await freshImage(registry());
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(other), key),
    );
    await expect(run(image, byKey())).rejects.toMatchObject({
      code: 'invalid-signature',
      message: expect.stringContaining(`the attestation is about ${other}`),
    });
  });

  it('counts a key-signed provenance bundle (cosign v3 attest) towards slsaprovenance', async () => {
    const { image, digest } = await freshImage(registry());
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), key),
    );
    const provenance = { ...cosignSignStatement(digest), predicateType: 'https://slsa.dev/provenance/v1' };
    await attachBundle(client, image, digest, await sigstore.sigstoreJsBundle(provenance, key));
    const result = await run(image, byKey(), ['slsaprovenance']);
    expect(result.verifiedAttestations).toEqual(['slsaprovenance']);
  });
});

describe('referrer discovery', () => {
  it('ignores a referrer listed in the fallback tag whose subject is another image', async () => {
    const { image, digest } = await freshImage(withoutApi);
    const { image: otherImage, digest: other } = await freshImage(withoutApi);
    // A valid signature of the other image, listed under this image's fallback tag.
    await signOci11(client, otherImage, other, key);
    const otherIndex = await client.getManifest(parseReference(otherImage), other.replace(':', '-'));
    const referrer = await client.getManifest(
      parseReference(otherImage),
      otherIndex.manifest.manifests![0]!.digest,
    );
    await client.pushManifest(parseReference(image), referrer.digest, referrer.bytes, referrer.mediaType);
    await client.pushManifest(
      parseReference(image),
      digest.replace(':', '-'),
      otherIndex.bytes,
      otherIndex.mediaType,
    );
    await expect(run(image, byKey())).rejects.toMatchObject({ code: 'no-signature' });
  });

  it('also finds a bundle whose fallback index entry carries the artifactType the OCI spec names', async () => {
    const { image, digest } = await freshImage(withoutApi);
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.sigstoreJsBundle(cosignSignStatement(digest), key),
      { indexArtifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json' },
    );
    expect((await run(image, byKey())).digest).toBe(digest);
  });
});

describe('real cosign 2.5 output, recorded (test/fixtures/verify-signature/cosign-2.5-referrers)', () => {
  const dir = fileURLToPath(
    new URL('../../../test/fixtures/verify-signature/cosign-2.5-referrers/', import.meta.url),
  );
  const recordedKey = readFileSync(join(dir, 'cosign.pub'), 'utf8');

  /** Serves the recorded bytes from a registry without the referrers API, as the lab's distribution 2.8 did. */
  async function recordedImage(): Promise<string> {
    const image = `${withoutApi.host}/lab/recorded${counter++}:v1`;
    const ref = parseReference(image);
    for (const name of readdirSync(dir).filter((n) => n.startsWith('blob-')))
      await client.pushBlob(ref, readFileSync(join(dir, name)));
    for (const name of readdirSync(dir).filter((n) => n.startsWith('referrer-'))) {
      await client.pushManifest(
        ref,
        `sha256:${name.slice('referrer-'.length)}`,
        readFileSync(join(dir, name)),
        MEDIA_TYPES.ociManifest,
      );
    }
    const digest = await client.pushManifest(
      ref,
      'v1',
      readFileSync(join(dir, 'image-manifest')),
      MEDIA_TYPES.dockerManifest,
    );
    await client.pushManifest(
      ref,
      digest.replace(':', '-'),
      readFileSync(join(dir, 'fallback-index')),
      MEDIA_TYPES.ociIndex,
    );
    return image;
  }

  it('passes the referrer signature and counts the bundle attestation, as cosign does', async () => {
    const result = await run(await recordedImage(), { kind: 'key', key: loadPublicKey(recordedKey) }, [
      'slsaprovenance',
    ]);
    expect(result.digest).toBe('sha256:da646ea82b6b83717319c5e4e435cb2bd3f57c71779097feae6a41df9f52a6c6');
    expect(result.evidence.map((e) => [e.source, e.kind, e.ok])).toEqual([
      ['sigstore bundle', 'attestation', true],
      ['cosign OCI 1.1 referrer', 'signature', true],
    ]);
    expect(result.verifiedAttestations).toEqual(['slsaprovenance']);
  });

  it('refuses the same referrers under another key', async () => {
    await expect(run(await recordedImage(), byKey(), ['slsaprovenance'])).rejects.toMatchObject({
      code: 'invalid-signature',
    });
  });
});
