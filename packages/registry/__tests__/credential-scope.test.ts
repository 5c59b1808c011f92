import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseReference, RegistryClient, MEDIA_TYPES } from '@deploy-actions/registry';
import { FakeRegistry } from '../../../test/fixtures/verify-signature/fake-registry.js';

// Issue 18 item 8: credentials go to the registry they are for and to its own token
// server, never to a realm another host names, nor to another registry.

const USER = 'ci-bot';
const PASSWORD = 'ghs_token-for-ghcr-only';

/** A token server on 127.0.0.2 that hands a token to anyone and records what it was sent. */
async function strangerTokenServer(): Promise<{
  origin: string;
  seen: (string | undefined)[];
  close: () => Promise<void>;
}> {
  const seen: (string | undefined)[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    res
      .writeHead(200, { 'Content-Type': 'application/json' })
      .end(JSON.stringify({ token: 'stranger-token' }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.2', resolve));
  return {
    origin: `http://127.0.0.2:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function pushImage(client: RegistryClient, image: string): Promise<string> {
  const ref = parseReference(image);
  const config = await client.pushBlob(ref, Buffer.from('{}'));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MEDIA_TYPES.ociManifest,
      config: { ...config, mediaType: 'application/vnd.oci.image.config.v1+json' },
      layers: [],
    }),
  );
  return client.pushManifest(ref, ref.tag ?? 'latest', manifest, MEDIA_TYPES.ociManifest);
}

const basic = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;

describe('where RegistryClient sends credentials', () => {
  it('never sends them to a token realm on another host than the registry', async () => {
    const stranger = await strangerTokenServer();
    const registry = new FakeRegistry({
      auth: 'bearer',
      username: USER,
      password: PASSWORD,
      realm: `${stranger.origin}/token`,
    });
    await registry.start();
    try {
      const client = new RegistryClient({
        credentials: { username: USER, password: PASSWORD },
        credentialsRegistry: registry.host,
      });
      await expect(client.resolve(parseReference(`${registry.host}/org/app:v1`))).rejects.toThrow();
      expect(stranger.seen.length).toBeGreaterThan(0);
      expect(stranger.seen).not.toContain(basic);
      expect(stranger.seen.every((auth) => auth === undefined)).toBe(true);
    } finally {
      await registry.stop();
      await stranger.close();
    }
  });

  it('sends them to a realm on another host only when that realm is listed', async () => {
    const stranger = await strangerTokenServer();
    const registry = new FakeRegistry({
      auth: 'bearer',
      username: USER,
      password: PASSWORD,
      realm: `${stranger.origin}/token`,
    });
    await registry.start();
    try {
      const client = new RegistryClient({
        credentials: { username: USER, password: PASSWORD },
        credentialsRegistry: registry.host,
        tokenRealms: [stranger.origin],
      });
      await expect(client.resolve(parseReference(`${registry.host}/org/app:v1`))).rejects.toThrow();
      expect(stranger.seen).toContain(basic);
    } finally {
      await registry.stop();
      await stranger.close();
    }
  });

  it('sends them to the token server on the registry host itself', async () => {
    const registry = new FakeRegistry({ auth: 'bearer', username: USER, password: PASSWORD });
    await registry.start();
    try {
      const client = new RegistryClient({
        credentials: { username: USER, password: PASSWORD },
        credentialsRegistry: registry.host,
      });
      const digest = await pushImage(client, `${registry.host}/org/app:v1`);
      await expect(client.resolve(parseReference(`${registry.host}/org/app:v1`))).resolves.toMatchObject({
        digest,
      });
      expect(registry.requests.some((r) => r.path.startsWith('/token') && r.authorization === basic)).toBe(
        true,
      );
    } finally {
      await registry.stop();
    }
  });

  it('never sends them to another registry than the one they are for', async () => {
    const ours = new FakeRegistry({ auth: 'basic', username: USER, password: PASSWORD });
    const other = new FakeRegistry({ auth: 'basic', username: USER, password: PASSWORD });
    await ours.start();
    await other.start();
    try {
      const client = new RegistryClient({
        credentials: { username: USER, password: PASSWORD },
        credentialsRegistry: ours.host,
      });
      await expect(client.resolve(parseReference(`${other.host}/org/app:v1`))).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect(other.requests.map((r) => r.authorization)).not.toContain(basic);
    } finally {
      await ours.stop();
      await other.stop();
    }
  });

  it('binds credentials given without a registry to the first registry it talks to', async () => {
    const ours = new FakeRegistry({ auth: 'basic', username: USER, password: PASSWORD });
    const other = new FakeRegistry({ auth: 'basic', username: USER, password: PASSWORD });
    await ours.start();
    await other.start();
    try {
      const client = new RegistryClient({ credentials: { username: USER, password: PASSWORD } });
      await pushImage(client, `${ours.host}/org/app:v1`);
      await expect(client.resolve(parseReference(`${other.host}/org/app:v1`))).rejects.toMatchObject({
        code: 'unauthorized',
      });
      expect(other.requests.map((r) => r.authorization)).not.toContain(basic);
    } finally {
      await ours.stop();
      await other.stop();
    }
  });
});
