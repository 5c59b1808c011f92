import { parseReference, RegistryClient } from '@deploy-actions/registry';
import {
  parseTrustedRoot,
  publicGoodTrustedRoot,
  requiredPredicate,
  simpleSigningPayload,
  verifyImage,
  type TrustPolicy,
  type IdentityPolicy,
} from '@deploy-actions/signature';
import {
  attachBundle,
  attachSignatureLayer,
  makeKey,
  pushTestImage,
} from '../../../test/fixtures/verify-signature/cosign-signer.js';
import { FakeRegistry } from '../../../test/fixtures/verify-signature/fake-registry.js';
import {
  createMockSigstore,
  type MockSigstore,
} from '../../../test/fixtures/verify-signature/mock-sigstore.js';

const WORKFLOW = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
const GITHUB = 'https://token.actions.githubusercontent.com';

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
async function signedImage(identity = WORKFLOW, issuer = GITHUB): Promise<{ image: string; digest: string }> {
  const image = `${registry.host}/org/app${counter++}:v1`;
  const digest = await pushTestImage(client, image);
  const ref = parseReference(image);
  const payload = simpleSigningPayload(`${ref.registry}/${ref.repository}`, digest);
  const { annotations } = await sigstore.signLegacy(payload, identity, issuer);
  await attachSignatureLayer(client, image, digest, payload, annotations);
  return { image, digest };
}

function keyless(identity: IdentityPolicy, root = parseTrustedRoot(sigstore.trustedRoot)): TrustPolicy {
  return { kind: 'keyless', identity, trustedRoot: root };
}

function run(image: string, policy: TrustPolicy, attestations: string[] = []) {
  return verifyImage({
    reference: parseReference(image),
    policy,
    trustedRoot: policy.kind === 'keyless' ? policy.trustedRoot : parseTrustedRoot(sigstore.trustedRoot),
    attestations: attestations.map((a) => requiredPredicate(a)!),
    client,
  });
}

describe('keyless verification of cosign legacy signatures', () => {
  it('passes a signature whose certificate names the exact workflow and issuer', async () => {
    const { image, digest } = await signedImage();
    const result = await run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }));
    expect(result.digest).toBe(digest);
    expect(result.signer).toBe(`${WORKFLOW} (issuer ${GITHUB})`);
  });

  it('says who signed when the identity is another workflow', async () => {
    const other = 'https://github.com/other/repo/.github/workflows/x.yml@refs/heads/main';
    const { image } = await signedImage(other);
    await expect(run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }))).rejects.toThrow(
      `signed, but by ${other}`,
    );
  });

  it('anchors the identity pattern so a prefix does not match', async () => {
    const { image } = await signedImage(
      'https://github.com/org/app-evil/.github/workflows/release.yml@refs/heads/main',
    );
    await expect(
      run(image, keyless({ identityRegexp: 'https://github.com/org/app', issuer: GITHUB })),
    ).rejects.toMatchObject({ code: 'wrong-signer' });
  });

  it('passes an identity pattern that matches the whole identity', async () => {
    const { image } = await signedImage();
    const result = await run(
      image,
      keyless({
        identityRegexp: 'https://github\\.com/org/app/\\.github/workflows/.+@refs/heads/main',
        issuer: GITHUB,
      }),
    );
    expect(result.signer).toContain(WORKFLOW);
  });

  it('rejects the right identity from another OIDC issuer', async () => {
    const { image } = await signedImage(WORKFLOW, 'https://evil.example/oidc');
    await expect(run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }))).rejects.toThrow(
      'its OIDC issuer is https://evil.example/oidc',
    );
  });

  it('rejects a certificate from a CA the trusted root does not hold', async () => {
    const { image } = await signedImage();
    await expect(
      run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }, publicGoodTrustedRoot())),
    ).rejects.toMatchObject({ code: 'invalid-signature' });
  });

  it('says a keyless signature is not a key signature when a key is required', async () => {
    const { image } = await signedImage();
    const key = makeKey();
    const { loadPublicKey } = await import('@deploy-actions/signature');
    await expect(run(image, { kind: 'key', key: loadPublicKey(key.publicPem) })).rejects.toThrow(
      'signed keylessly (a certificate), not by the given key',
    );
  });
});

describe('sigstore bundles attached as referrers', () => {
  const statement = (digest: string, predicateType: string) => ({
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'app', digest: { sha256: digest.slice(7) } }],
    predicateType,
    predicate: {},
  });

  it('passes an image signed only by a cosign v3 bundle', async () => {
    const image = `${registry.host}/org/bundle${counter++}:v1`;
    const digest = await pushTestImage(client, image);
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.dsseBundle(statement(digest, 'https://sigstore.dev/cosign/sign/v1'), WORKFLOW, GITHUB),
    );
    const result = await run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }));
    expect(result.evidence.filter((e) => e.ok).map((e) => e.source)).toEqual(['sigstore bundle']);
  });

  it('counts a provenance bundle from actions/attest as the slsaprovenance attestation', async () => {
    const { image, digest } = await signedImage();
    await attachBundle(
      client,
      image,
      digest,
      await sigstore.dsseBundle(statement(digest, 'https://slsa.dev/provenance/v1'), WORKFLOW, GITHUB),
    );
    const result = await run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }), ['slsaprovenance']);
    expect(result.verifiedAttestations).toEqual(['slsaprovenance']);
  });

  it('does not count a provenance bundle about another digest', async () => {
    const { image } = await signedImage();
    const { digest: otherDigest } = await signedImage();
    await attachBundle(
      client,
      image,
      (await client.resolve(parseReference(image))).digest,
      await sigstore.dsseBundle(statement(otherDigest, 'https://slsa.dev/provenance/v1'), WORKFLOW, GITHUB),
    );
    await expect(
      run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }), ['slsaprovenance']),
    ).rejects.toThrow(`the attestation is about ${otherDigest}`);
  });

  it('finds bundles through the sha256-<hex> tag on a registry without the referrers API', async () => {
    const plain = new FakeRegistry();
    await plain.start();
    try {
      const image = `${plain.host}/org/app:v1`;
      const digest = await pushTestImage(client, image);
      await attachBundle(
        client,
        image,
        digest,
        await sigstore.dsseBundle(statement(digest, 'https://sigstore.dev/cosign/sign/v1'), WORKFLOW, GITHUB),
      );
      const result = await run(image, keyless({ identity: WORKFLOW, issuer: GITHUB }));
      expect(result.digest).toBe(digest);
      expect(plain.requests.some((r) => r.path.endsWith(`/manifests/${digest.replace(':', '-')}`))).toBe(
        true,
      );
    } finally {
      await plain.stop();
    }
  });
});
