import { parseReference, RegistryClient } from '@deploy-actions/registry';
import {
  parseTrustedRoot,
  simpleSigningPayload,
  verifyImage,
  type IdentityPolicy,
  type TrustPolicy,
} from '@deploy-actions/signature';
import {
  attachBundle,
  attachSignatureLayer,
  makeKey,
  pushTestImage,
  signLegacy,
} from '../../../test/fixtures/verify-signature/cosign-signer.js';
import { FakeRegistry } from '../../../test/fixtures/verify-signature/fake-registry.js';
import {
  createMockSigstore,
  type GitHubClaims,
  type MockSigstore,
} from '../../../test/fixtures/verify-signature/mock-sigstore.js';

// Issue 18, items 1 and 2: who signed (the repository behind a shared reusable workflow) and
// for which repository (not only which digest).

/** The reusable release workflow every caller shares: Fulcio's SAN names it, not the caller. */
const SHARED = 'https://github.com/acme/deploy-actions/.github/workflows/release.yml@refs/tags/v1';
const GITHUB = 'https://token.actions.githubusercontent.com';
const SHA = 'a'.repeat(40);
const OURS: GitHubClaims = {
  repository: 'acme/app',
  ref: 'refs/heads/main',
  sha: SHA,
  buildConfig: '.github/workflows/ci.yml@refs/heads/main',
};

let sigstore: MockSigstore;
let registry: FakeRegistry;
const client = new RegistryClient();

beforeAll(async () => {
  sigstore = await createMockSigstore();
  registry = new FakeRegistry({ referrersApi: true });
  await registry.start();
});
afterAll(() => registry.stop());

let counter = 0;
const fresh = (name = 'app'): string => `${registry.host}/acme/${name}${counter++}:v1`;

/** `cosign sign` keyless (legacy `.sig`), from a run described by `claims`. */
async function signedImage(
  claims: GitHubClaims | undefined,
  image = fresh(),
): Promise<{ image: string; digest: string }> {
  const digest = await pushTestImage(client, image);
  const ref = parseReference(image);
  const payload = simpleSigningPayload(`${ref.registry}/${ref.repository}`, digest);
  const { annotations } = await sigstore.signLegacy(payload, SHARED, GITHUB, claims);
  await attachSignatureLayer(client, image, digest, payload, annotations);
  return { image, digest };
}

function keyless(extra: Partial<IdentityPolicy> = {}): TrustPolicy {
  return {
    kind: 'keyless',
    identity: { identity: SHARED, issuer: GITHUB, ...extra },
    trustedRoot: parseTrustedRoot(sigstore.trustedRoot),
  };
}

function run(image: string, policy: TrustPolicy, requireDockerReference = false) {
  return verifyImage({
    reference: parseReference(image),
    policy,
    trustedRoot: parseTrustedRoot(sigstore.trustedRoot),
    attestations: [],
    client,
    requireDockerReference,
  });
}

const REQUIRED = {
  githubWorkflowRepository: 'acme/app',
  githubWorkflowRef: 'refs/heads/main',
  githubWorkflowSha: SHA,
};

describe('the GitHub source of a keyless signature (certificate extensions)', () => {
  it('refuses a signature made by another repository calling the same reusable release.yml', async () => {
    const { image } = await signedImage({
      repository: 'mallory/fork',
      ref: 'refs/heads/main',
      sha: 'b'.repeat(40),
    });
    await expect(run(image, keyless(REQUIRED))).rejects.toMatchObject({
      code: 'wrong-source',
      message: expect.stringContaining('from the repository mallory/fork'),
    });
  });

  it('passes the expected repository, ref and commit, and reports what the certificate says', async () => {
    const { image, digest } = await signedImage(OURS);
    const result = await run(image, keyless(REQUIRED));
    expect(result.digest).toBe(digest);
    expect(result.github).toMatchObject({
      repositoryUri: 'https://github.com/acme/app',
      repository: 'acme/app',
      ref: 'refs/heads/main',
      digest: SHA,
      buildConfigUri: 'https://github.com/acme/app/.github/workflows/ci.yml@refs/heads/main',
    });
  });

  it('refuses a signature from another branch of the expected repository', async () => {
    const { image } = await signedImage({ ...OURS, ref: 'refs/heads/feature' });
    await expect(run(image, keyless(REQUIRED))).rejects.toMatchObject({
      code: 'wrong-source',
      message: expect.stringContaining('for the source ref refs/heads/feature, not refs/heads/main'),
    });
  });

  it('refuses a signature from another commit than the one being deployed', async () => {
    const { image } = await signedImage({ ...OURS, sha: 'c'.repeat(40) });
    await expect(run(image, keyless({ githubWorkflowSha: SHA }))).rejects.toMatchObject({
      code: 'wrong-source',
      message: expect.stringContaining(`not ${SHA}`),
    });
  });

  it('compares the repository in full, so acme/app-evil is not acme/app', async () => {
    const { image } = await signedImage({ ...OURS, repository: 'acme/app-evil' });
    await expect(run(image, keyless({ githubWorkflowRepository: 'acme/app' }))).rejects.toMatchObject({
      code: 'wrong-source',
    });
  });

  it('reads the legacy extensions (.1.5, .1.6, .1.3) of certificates that have only those', async () => {
    const { image } = await signedImage({ ...OURS, legacy: 'only-legacy' });
    const result = await run(image, keyless(REQUIRED));
    expect(result.github).toEqual({
      repository: 'acme/app',
      legacyRef: 'refs/heads/main',
      legacyDigest: SHA,
    });
    const forged = await signedImage({ ...OURS, repository: 'mallory/fork', legacy: 'only-legacy' });
    await expect(run(forged.image, keyless(REQUIRED))).rejects.toMatchObject({ code: 'wrong-source' });
  });

  it('reads the current extensions alone (.1.12, .1.14, .1.13)', async () => {
    const { image } = await signedImage({ ...OURS, legacy: 'only-new' });
    await expect(run(image, keyless(REQUIRED))).resolves.toMatchObject({
      github: { repositoryUri: 'https://github.com/acme/app' },
    });
  });

  it('accepts the repository as a full URI, for GitHub Enterprise hosts', async () => {
    const { image } = await signedImage(OURS);
    await expect(
      run(image, keyless({ githubWorkflowRepository: 'https://github.com/acme/app' })),
    ).resolves.toMatchObject({ digest: expect.any(String) });
    await expect(
      run(image, keyless({ githubWorkflowRepository: 'https://ghe.example.com/acme/app' })),
    ).rejects.toMatchObject({ code: 'wrong-source' });
  });

  it('refuses a certificate that says nothing about its source when a repository is required', async () => {
    const { image } = await signedImage(undefined);
    await expect(run(image, keyless({ githubWorkflowRepository: 'acme/app' }))).rejects.toMatchObject({
      code: 'wrong-source',
      message: expect.stringContaining('names no source repository'),
    });
  });

  it('applies the same check to a sigstore bundle (cosign v3) signature', async () => {
    const image = fresh();
    const digest = await pushTestImage(client, image);
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: digest.slice(7) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    };
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.dsseBundle(statement, SHARED, GITHUB, { ...OURS, repository: 'mallory/fork' }),
    );
    await expect(run(image, keyless(REQUIRED))).rejects.toMatchObject({ code: 'wrong-source' });
  });

  it('still says wrong-signer when the workflow itself is another one', async () => {
    const { image } = await signedImage(OURS);
    const policy = keyless({
      ...REQUIRED,
      identity: 'https://github.com/acme/app/.github/workflows/release.yml@refs/heads/main',
    });
    await expect(run(image, policy)).rejects.toMatchObject({ code: 'wrong-signer' });
  });
});

describe('the repository a signature was made for (docker-reference)', () => {
  /** The migrator's image and signature, copied under `acme/app:sha-new` (same digest, same bytes). */
  async function copiedMigrator(signer: 'key' | 'keyless') {
    const key = makeKey();
    const migrator = fresh('migrator');
    const digest = await pushTestImage(client, migrator);
    const migratorRef = parseReference(migrator);
    const manifest = await client.getManifest(migratorRef, digest);
    const app = `${registry.host}/acme/app${counter++}:sha-new`;
    const appRef = parseReference(app);
    for (const layer of [manifest.manifest.config!, ...manifest.manifest.layers!])
      await client.pushBlob(appRef, await client.getBlob(migratorRef, layer));
    await client.pushManifest(appRef, 'sha-new', manifest.bytes, manifest.mediaType);
    let payload: Buffer;
    let annotations: Record<string, string>;
    if (signer === 'key') {
      payload = await signLegacy(client, migrator, digest, key);
      annotations = (await client.getManifest(migratorRef, `${digest.replace(':', '-')}.sig`)).manifest
        .layers![0]!.annotations!;
    } else {
      payload = simpleSigningPayload(`${migratorRef.registry}/${migratorRef.repository}`, digest);
      annotations = (await sigstore.signLegacy(payload, SHARED, GITHUB, OURS)).annotations;
    }
    await attachSignatureLayer(client, app, digest, payload, annotations);
    const policy: TrustPolicy =
      signer === 'key'
        ? { kind: 'key', key: (await import('@deploy-actions/signature')).loadPublicKey(key.publicPem) }
        : keyless(REQUIRED);
    return { app, migrator, digest, policy };
  }

  it('refuses the migrator signed by key and copied under acme/app:sha-new', async () => {
    const { app, migrator, policy } = await copiedMigrator('key');
    await expect(run(app, policy, true)).rejects.toMatchObject({
      code: 'wrong-docker-reference',
      message: expect.stringContaining(`was made for ${migrator.replace(/:v1$/, '')}`),
    });
  });

  it('refuses the migrator signed keylessly by the same repository and commit, copied under acme/app', async () => {
    const { app, policy } = await copiedMigrator('keyless');
    await expect(run(app, policy, true)).rejects.toMatchObject({ code: 'wrong-docker-reference' });
  });

  it('accepts the copy when docker-reference is not required, as cosign does', async () => {
    const { app, digest, policy } = await copiedMigrator('key');
    await expect(run(app, policy, false)).resolves.toMatchObject({ digest });
  });

  it('passes an image whose signature names its own repository', async () => {
    const key = makeKey();
    const image = fresh();
    const digest = await pushTestImage(client, image);
    await signLegacy(client, image, digest, key);
    const { loadPublicKey } = await import('@deploy-actions/signature');
    await expect(run(image, { kind: 'key', key: loadPublicKey(key.publicPem) }, true)).resolves.toMatchObject(
      { digest },
    );
  });

  it('refuses a cosign v3 bundle signature, which names only the digest, when the repository is required', async () => {
    const image = fresh();
    const digest = await pushTestImage(client, image);
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: digest.slice(7) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    };
    await attachBundle(client, image, digest, await sigstore.dsseBundle(statement, SHARED, GITHUB, OURS));
    await expect(run(image, keyless(REQUIRED), true)).rejects.toMatchObject({
      code: 'wrong-docker-reference',
      message: expect.stringContaining('names no repository'),
    });
    await expect(run(image, keyless(REQUIRED), false)).resolves.toMatchObject({ digest });
  });

  it('passes a cosign v3 signature made with -a docker-reference=<repository>, and refuses one naming another', async () => {
    const image = fresh();
    const ref = parseReference(image);
    const digest = await pushTestImage(client, image);
    const statement = (repository: string) => ({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ digest: { sha256: digest.slice(7) }, annotations: { 'docker-reference': repository } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    });
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.dsseBundle(statement(`${ref.registry}/acme/migrator`), SHARED, GITHUB, OURS),
    );
    await expect(run(image, keyless(REQUIRED), true)).rejects.toMatchObject({
      code: 'wrong-docker-reference',
      message: expect.stringContaining('was made for'),
    });
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.dsseBundle(statement(`${ref.registry}/${ref.repository}`), SHARED, GITHUB, OURS),
    );
    await expect(run(image, keyless(REQUIRED), true)).resolves.toMatchObject({ digest });
  });

  it('passes a signed statement whose subject names the repository', async () => {
    const image = fresh();
    const ref = parseReference(image);
    const digest = await pushTestImage(client, image);
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: `${ref.registry}/${ref.repository}`, digest: { sha256: digest.slice(7) } }],
      predicateType: 'https://sigstore.dev/cosign/sign/v1',
      predicate: {},
    };
    await attachBundle(client, image, digest, await sigstore.dsseBundle(statement, SHARED, GITHUB, OURS));
    await expect(run(image, keyless(REQUIRED), true)).resolves.toMatchObject({ digest });
  });
});
