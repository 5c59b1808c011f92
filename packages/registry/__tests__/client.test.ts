import { parseReference, RegistryClient, RegistryError, sha256, MEDIA_TYPES } from '@deploy-actions/registry';
import {
  FakeRegistry,
  type FakeRegistryOptions,
} from '../../../test/fixtures/verify-signature/fake-registry.js';

const USER = 'ci-bot';
const PASSWORD = 'pa55-word-for-tests';

async function withRegistry(
  options: FakeRegistryOptions,
  fn: (registry: FakeRegistry) => Promise<void>,
): Promise<void> {
  const registry = new FakeRegistry({ username: USER, password: PASSWORD, ...options });
  await registry.start();
  try {
    await fn(registry);
  } finally {
    await registry.stop();
  }
}

/** Pushes a one-layer image and returns its manifest digest. */
async function pushImage(client: RegistryClient, image: string, content = 'layer'): Promise<string> {
  const ref = parseReference(image);
  const config = await client.pushBlob(ref, Buffer.from('{}'));
  const layer = await client.pushBlob(ref, Buffer.from(content));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { ...config, mediaType: 'application/vnd.oci.image.config.v1+json' },
      layers: [{ ...layer, mediaType: 'application/vnd.oci.image.layer.v1.tar' }],
    }),
  );
  return client.pushManifest(ref, ref.tag ?? 'latest', manifest, MEDIA_TYPES.ociManifest);
}

describe('RegistryClient', () => {
  it('resolves a tag to the digest of the manifest bytes it serves', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient();
      const digest = await pushImage(client, `${registry.host}/lab/app:v1`);
      const resolved = await client.resolve(parseReference(`${registry.host}/lab/app:v1`));
      expect(resolved.digest).toBe(digest);
      expect(resolved.mediaType).toBe(MEDIA_TYPES.ociManifest);
    }));

  it('asks for OCI and Docker indexes and manifests when resolving', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient();
      await pushImage(client, `${registry.host}/lab/app:v1`);
      const seen: string[] = [];
      const original = globalThis.fetch;
      globalThis.fetch = (input, init) => {
        seen.push(new Headers(init?.headers).get('accept') ?? '');
        return original(input, init);
      };
      try {
        await client.resolve(parseReference(`${registry.host}/lab/app:v1`));
      } finally {
        globalThis.fetch = original;
      }
      for (const type of [
        MEDIA_TYPES.ociIndex,
        MEDIA_TYPES.ociManifest,
        MEDIA_TYPES.dockerList,
        MEDIA_TYPES.dockerManifest,
      ]) {
        expect(seen[0]).toContain(type);
      }
    }));

  it('refuses a manifest whose bytes do not hash to the digest asked for', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient();
      const digest = await pushImage(client, `${registry.host}/lab/app:v1`);
      registry.tamperManifest('lab/app', 'v1', Buffer.from('{"schemaVersion":2,"layers":[]}'));
      await expect(client.getManifest(parseReference(`${registry.host}/lab/app`), digest)).rejects.toThrow(
        /hash to sha256:/,
      );
    }));

  it('refuses a blob whose bytes do not hash to its digest', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient();
      const ref = parseReference(`${registry.host}/lab/app`);
      const blob = await client.pushBlob(ref, Buffer.from('the real bytes'));
      registry.blobs.set(`lab/app@${blob.digest}`, Buffer.from('the fake bytes'));
      await expect(client.getBlob(ref, blob)).rejects.toMatchObject({ code: 'digest-mismatch' });
    }));

  it('refuses a blob larger than the cap before downloading it', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient({ maxBlobBytes: 1024 });
      const ref = parseReference(`${registry.host}/lab/app`);
      const blob = await client.pushBlob(ref, Buffer.alloc(4096, 1));
      await expect(client.getBlob(ref, blob)).rejects.toMatchObject({ code: 'too-large' });
    }));

  it('stops reading a manifest that grows past the cap', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient({ maxManifestBytes: 100 });
      await pushImage(new RegistryClient(), `${registry.host}/lab/app:v1`);
      await expect(client.resolve(parseReference(`${registry.host}/lab/app:v1`))).rejects.toMatchObject({
        code: 'too-large',
      });
    }));

  it('gets an anonymous bearer token from the realm the registry names', () =>
    withRegistry({ auth: 'bearer', anonymousPull: true }, async (registry) => {
      await pushImage(
        new RegistryClient({ credentials: { username: USER, password: PASSWORD } }),
        `${registry.host}/org/app:v1`,
      );
      const resolved = await new RegistryClient().resolve(parseReference(`${registry.host}/org/app:v1`));
      expect(resolved.digest).toMatch(/^sha256:/);
      const tokenRequest = registry.requests.filter((r) => r.path.startsWith('/token')).at(-1)!;
      expect(tokenRequest.authorization).toBeUndefined();
      expect(tokenRequest.path).toContain('scope=repository%3Aorg%2Fapp%3Apull');
    }));

  it('sends the username and password to the token service, never to the registry', () =>
    withRegistry({ auth: 'bearer' }, async (registry) => {
      const client = new RegistryClient({ credentials: { username: USER, password: PASSWORD } });
      await pushImage(client, `${registry.host}/org/app:v1`);
      await client.resolve(parseReference(`${registry.host}/org/app:v1`));
      const basic = registry.requests.filter((r) => r.authorization?.startsWith('Basic '));
      expect(basic.length).toBeGreaterThan(0);
      expect(basic.every((r) => r.path.startsWith('/token'))).toBe(true);
    }));

  it('reports refused credentials as unauthorized without echoing them', () =>
    withRegistry({ auth: 'bearer' }, async (registry) => {
      const client = new RegistryClient({ credentials: { username: USER, password: 'wrong-password-123' } });
      const error = (await client
        .resolve(parseReference(`${registry.host}/org/app:v1`))
        .catch((e: unknown) => e)) as RegistryError;
      expect(error.code).toBe('unauthorized');
      expect(error.message).not.toContain('wrong-password-123');
    }));

  it('refuses to send credentials to a token realm over plain HTTP beyond loopback', () =>
    withRegistry({ auth: 'bearer', realm: 'http://auth.example.test/token' }, async (registry) => {
      const client = new RegistryClient({ credentials: { username: USER, password: PASSWORD } });
      await expect(client.resolve(parseReference(`${registry.host}/org/app:v1`))).rejects.toThrow(
        /refusing to send credentials there/,
      );
      expect(registry.requests.every((r) => r.authorization === undefined)).toBe(true);
    }));

  it('answers a basic challenge with the credentials', () =>
    withRegistry({ auth: 'basic' }, async (registry) => {
      const client = new RegistryClient({ credentials: { username: USER, password: PASSWORD } });
      const digest = await pushImage(client, `${registry.host}/org/app:v1`);
      expect((await client.resolve(parseReference(`${registry.host}/org/app:v1`))).digest).toBe(digest);
    }));

  it('says credentials are needed when a basic registry is asked anonymously', () =>
    withRegistry({ auth: 'basic' }, async (registry) => {
      await expect(
        new RegistryClient().resolve(parseReference(`${registry.host}/org/app:v1`)),
      ).rejects.toThrow(/set registry-username and registry-password/);
    }));

  it('lists referrers through the referrers API when the registry has it', () =>
    withRegistry({ referrersApi: true }, async (registry) => {
      const client = new RegistryClient();
      const ref = parseReference(`${registry.host}/lab/app:v1`);
      const subject = await pushImage(client, `${registry.host}/lab/app:v1`);
      const empty = await client.pushBlob(ref, Buffer.from('{}'));
      const referrer = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociManifest,
          artifactType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
          config: { ...empty, mediaType: MEDIA_TYPES.ociEmpty },
          layers: [],
          subject: { mediaType: MEDIA_TYPES.ociManifest, digest: subject, size: 1 },
        }),
      );
      const digest = await client.pushManifest(ref, sha256(referrer), referrer, MEDIA_TYPES.ociManifest);
      const found = await client.listReferrers(ref, subject, 'application/vnd.dev.sigstore.bundle.v0.3+json');
      expect(found.map((d) => d.digest)).toEqual([digest]);
      expect(registry.requests.some((r) => r.path.includes('/manifests/sha256-'))).toBe(false);
    }));

  it('falls back to the sha256-<hex> tag when the registry has no referrers API', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient();
      const ref = parseReference(`${registry.host}/lab/app:v1`);
      const subject = await pushImage(client, `${registry.host}/lab/app:v1`);
      const index = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: MEDIA_TYPES.ociIndex,
          manifests: [
            {
              mediaType: MEDIA_TYPES.ociManifest,
              digest: `sha256:${'c'.repeat(64)}`,
              size: 10,
              artifactType: 'application/x-test',
            },
          ],
        }),
      );
      await client.pushManifest(ref, subject.replace(':', '-'), index, MEDIA_TYPES.ociIndex);
      expect((await client.listReferrers(ref, subject)).map((d) => d.artifactType)).toEqual([
        'application/x-test',
      ]);
    }));

  it('follows the referrers API through its pages (Link: rel="next")', () =>
    withRegistry({ referrersApi: true, referrersPageSize: 2 }, async (registry) => {
      const client = new RegistryClient();
      const ref = parseReference(`${registry.host}/lab/app:v1`);
      const subject = await pushImage(client, `${registry.host}/lab/app:v1`);
      const pushed = [];
      for (let i = 0; i < 5; i++) {
        const referrer = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.ociManifest,
            config: { mediaType: MEDIA_TYPES.ociEmpty, digest: sha256('{}'), size: 2 },
            layers: [],
            annotations: { n: String(i) },
            subject: { mediaType: MEDIA_TYPES.ociManifest, digest: subject, size: 1 },
          }),
        );
        pushed.push(await client.pushManifest(ref, sha256(referrer), referrer, MEDIA_TYPES.ociManifest));
      }
      expect((await client.listReferrers(ref, subject)).map((d) => d.digest).sort()).toEqual(pushed.sort());
      expect(registry.requests.filter((r) => r.path.includes('/referrers/')).length).toBe(3);
    }));

  it.each([400, 405, 406])(
    'falls back to the sha256-<hex> tag when the referrers endpoint answers %i',
    (status) =>
      withRegistry({ referrersStatus: status }, async (registry) => {
        const client = new RegistryClient();
        const ref = parseReference(`${registry.host}/lab/app:v1`);
        const subject = await pushImage(client, `${registry.host}/lab/app:v1`);
        const index = Buffer.from(
          JSON.stringify({
            schemaVersion: 2,
            mediaType: MEDIA_TYPES.ociIndex,
            manifests: [{ mediaType: MEDIA_TYPES.ociManifest, digest: `sha256:${'d'.repeat(64)}`, size: 10 }],
          }),
        );
        await client.pushManifest(ref, subject.replace(':', '-'), index, MEDIA_TYPES.ociIndex);
        expect((await client.listReferrers(ref, subject)).map((d) => d.digest)).toEqual([
          `sha256:${'d'.repeat(64)}`,
        ]);
      }),
  );

  it('fails, rather than falling back, when the referrers endpoint has a server error', () =>
    withRegistry({ referrersStatus: 503 }, async (registry) => {
      const client = new RegistryClient();
      const ref = parseReference(`${registry.host}/lab/app:v1`);
      const subject = await pushImage(client, `${registry.host}/lab/app:v1`);
      await expect(client.listReferrers(ref, subject)).rejects.toThrow(/HTTP 503 for the referrers of/);
    }));

  it('finds no referrers when there is neither an API nor a fallback tag', () =>
    withRegistry({}, async (registry) => {
      const client = new RegistryClient();
      const subject = await pushImage(client, `${registry.host}/lab/app:v1`);
      expect(await client.listReferrers(parseReference(`${registry.host}/lab/app`), subject)).toEqual([]);
    }));

  it('names the registry when it cannot be reached', async () => {
    const client = new RegistryClient({ timeoutMs: 5000 });
    await expect(client.resolve(parseReference('127.0.0.1:9/lab/app:v1'))).rejects.toThrow(
      /could not reach http:\/\/127\.0\.0\.1:9/,
    );
  });
});
