import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RegistryClient } from '@deploy-actions/registry';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, labTools } from '../lab/lab.js';
import {
  attachBundle,
  cosignSignStatement,
  makeKey,
  pushTestImage,
} from '../fixtures/verify-signature/cosign-signer.js';
import { FakeRegistry } from '../fixtures/verify-signature/fake-registry.js';
import { createMockSigstore } from '../fixtures/verify-signature/mock-sigstore.js';
import {
  copyLabImage,
  RealCosign,
  removeRepository,
  tamperLegacy,
  tamperReferrers,
} from '../fixtures/verify-signature/real-cosign.js';

// Real cosign (the lab's 2.5) signs and attests copies of the lab's images, and our verdict
// must equal `cosign verify` / `cosign verify-attestation` on the same images, good and bad.
// Each case runs cosign once to judge; the whole file stays near 40 cosign runs.

const SLSA_V1 = {
  buildDefinition: { buildType: 'https://example.com/build/v1', externalParameters: {} },
  runDetails: { builder: { id: 'https://example.com/builder' } },
};
const SPDX = {
  spdxVersion: 'SPDX-2.3',
  dataLicense: 'CC0-1.0',
  SPDXID: 'SPDXRef-DOCUMENT',
  name: 'app',
  documentNamespace: 'https://example.com/spdx/app',
  creationInfo: { created: '2026-01-01T00:00:00Z', creators: ['Tool: test'] },
  packages: [],
};
const CYCLONEDX = { bomFormat: 'CycloneDX', specVersion: '1.5', version: 1, components: [] };

/** Changes the signed content and nothing else (cosign's payloads end with `"optional":null}`). */
function alterSimpleSigning(bytes: Buffer): Buffer {
  return Buffer.from(bytes.toString('utf8').replace('"optional":null', '"optional":{"tampered":"yes"}'));
}

/** Changes the statement inside a DSSE envelope or a bundle's envelope, keeping the signature. */
function alterStatement(bytes: Buffer): Buffer {
  const json = JSON.parse(bytes.toString('utf8')) as { payload?: string; dsseEnvelope?: { payload: string } };
  const envelope = json.dsseEnvelope ?? (json as { payload: string });
  const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString('utf8')) as Record<
    string,
    unknown
  >;
  envelope.payload = Buffer.from(JSON.stringify({ ...statement, predicate: { tampered: true } })).toString(
    'base64',
  );
  return Buffer.from(JSON.stringify(json));
}

describeWithLab('verify-signature agrees with real cosign 2.5 on images it signed', (lab) => {
  const client = new RegistryClient();
  const cosign = RealCosign.create();
  let keyA: Awaited<ReturnType<RealCosign['generateKeyPair']>>;
  let keyB: Awaited<ReturnType<RealCosign['generateKeyPair']>>;

  /** A copy of the lab's busybox in a repository of its own: `registry/lab/sigfmt-<hex>@sha256:...`. */
  const created: string[] = [];
  const freshCopy = (): Promise<string> => {
    const repository = `lab/sigfmt-${randomBytes(5).toString('hex')}`;
    created.push(repository);
    return copyLabImage(client, lab.images['busybox']!, `${lab.registry}/${repository}:v1`);
  };
  const digestOf = (pinned: string): string => pinned.slice(pinned.indexOf('@') + 1);

  async function ours(image: string, publicPem: string, attestations?: string): Promise<ActionRun> {
    return runAction('verify-signature', {
      inputs: { image, key: publicPem, ...(attestations ? { attestations } : {}) },
      timeoutMs: 60_000,
    });
  }

  beforeAll(async () => {
    keyA = await cosign.generateKeyPair('a');
    keyB = await cosign.generateKeyPair('b');
  });
  afterAll(async () => {
    for (const repository of created) await removeRepository(client, lab.registry, repository);
    cosign.cleanup();
    // Printed so the CI log shows the bound is kept.
    process.stdout.write(`real cosign runs in verify-signature-real-cosign: ${cosign.runs}\n`);
  });

  describe('cosign v2 legacy signatures (sha256-<hex>.sig)', () => {
    it.each([
      ['signed by the key', 'a', undefined, true],
      ['signed by another key', 'b', undefined, false],
      ['not signed', undefined, 'no-signature', false],
      ['signed, then its payload altered', 'a-tampered', 'invalid-signature', false],
    ] as const)('%s: our verdict equals cosign verify', async (_name, signer, code, expected) => {
      const image = await freshCopy();
      if (signer) await cosign.sign(image, signer === 'b' ? keyB.key : keyA.key);
      if (signer === 'a-tampered')
        await tamperLegacy(client, image, digestOf(image), 'sig', alterSimpleSigning);
      const cosignSays = await cosign.verify(image, keyA.pub);
      const run = await ours(image, keyA.publicPem);
      expect(cosignSays).toBe(expected);
      expect(run.exitCode === 0).toBe(cosignSays);
      expect(run.outputs['error-code']).toBe(expected ? undefined : (code ?? 'invalid-signature'));
      if (expected) expect(run.outputs['digest']).toBe(digestOf(image));
    });
  });

  describe('cosign v2 legacy attestations (sha256-<hex>.att)', () => {
    it('accepts slsaprovenance1, spdxjson and cyclonedx attestations exactly when cosign verify-attestation does', async () => {
      const image = await freshCopy();
      await cosign.sign(image, keyA.key);
      await cosign.attest(image, keyA.key, 'slsaprovenance1', SLSA_V1);
      await cosign.attest(image, keyA.key, 'spdxjson', SPDX);
      await cosign.attest(image, keyA.key, 'cyclonedx', CYCLONEDX);
      for (const type of ['slsaprovenance1', 'spdxjson', 'cyclonedx'])
        expect(await cosign.verifyAttestation(image, keyA.pub, type)).toBe(true);
      const run = await ours(image, keyA.publicPem, 'slsaprovenance\nspdxjson\ncyclonedx');
      expect(run.outputs['error-code']).toBeUndefined();
      expect(run.outputs['verified-attestations']).toBe('slsaprovenance\nspdxjson\ncyclonedx');
    });

    it('refuses an attestation by another key and an altered one, as cosign verify-attestation does', async () => {
      const image = await freshCopy();
      await cosign.sign(image, keyA.key);
      await cosign.attest(image, keyB.key, 'slsaprovenance1', SLSA_V1);
      const other = await freshCopy();
      await cosign.sign(other, keyA.key);
      await cosign.attest(other, keyA.key, 'spdxjson', SPDX);
      await tamperLegacy(client, other, digestOf(other), 'att', alterStatement);
      expect(await cosign.verifyAttestation(image, keyA.pub, 'slsaprovenance1')).toBe(false);
      expect(await cosign.verifyAttestation(other, keyA.pub, 'spdxjson')).toBe(false);
      expect((await ours(image, keyA.publicPem, 'slsaprovenance')).outputs['error-code']).toBe(
        'attestation-missing',
      );
      expect((await ours(other, keyA.publicPem, 'spdxjson')).outputs['error-code']).toBe(
        'attestation-missing',
      );
    });
  });

  describe('OCI 1.1 referrer signatures (cosign sign --registry-referrers-mode=oci-1-1, found through the sha256-<hex> tag index)', () => {
    it.each([
      ['signed by the key', 'a', true],
      ['signed by another key', 'b', false],
      ['signed, then its payload altered', 'a-tampered', false],
    ] as const)(
      '%s: our verdict equals cosign verify --experimental-oci11',
      async (_name, signer, expected) => {
        const image = await freshCopy();
        await cosign.sign(image, signer === 'b' ? keyB.key : keyA.key, { referrers: true });
        if (signer === 'a-tampered')
          await tamperReferrers(client, image, digestOf(image), alterSimpleSigning);
        const cosignSays = await cosign.verify(image, keyA.pub, { oci11: true });
        const run = await ours(image, keyA.publicPem);
        expect(cosignSays).toBe(expected);
        expect(run.exitCode === 0).toBe(cosignSays);
        expect(run.outputs['error-code']).toBe(expected ? undefined : 'invalid-signature');
        if (expected) expect(run.summary).toContain('cosign OCI 1.1 referrer');
      },
    );
  });

  describe('engine: cosign, running this same cosign 2.5 (served by a local stand-in for the release)', () => {
    let server: Server;
    let baseUrl = '';
    const binary = readFileSync(labTools.cosign);
    const checksum = createHash('sha256').update(binary).digest('hex');
    const toolCache = mkdtempSync(join(tmpdir(), 'toolcache-'));

    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url === `/v2.5.0/cosign-linux-${process.arch === 'arm64' ? 'arm64' : 'amd64'}`)
          return void res.writeHead(200).end(binary);
        res.writeHead(404).end();
      });
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((done) => server.close(() => done()));
      rmSync(toolCache, { recursive: true, force: true });
    });

    it.each([
      ['signed by the key', 'a', true],
      ['signed by another key', 'b', false],
    ] as const)(
      'an OCI 1.1 referrer signature %s: engine cosign agrees with the native engine',
      async (_name, signer, expected) => {
        const image = await freshCopy();
        await cosign.sign(image, signer === 'b' ? keyB.key : keyA.key, { referrers: true });
        const inputs = { image, key: keyA.publicPem };
        const native = await runAction('verify-signature', { inputs, timeoutMs: 60_000 });
        const engine = await runAction('verify-signature', {
          inputs: {
            ...inputs,
            engine: 'cosign',
            'cosign-version': 'v2.5.0',
            'cosign-base-url': baseUrl,
            'cosign-sha256': checksum,
          },
          env: { RUNNER_TOOL_CACHE: toolCache },
          timeoutMs: 120_000,
        });
        expect(native.exitCode === 0).toBe(expected);
        expect(engine.exitCode === 0).toBe(expected);
        if (expected) expect(engine.outputs['digest']).toBe(digestOf(image));
      },
    );
  });

  describe('on a registry with the OCI 1.1 referrers API (a local one: the lab registry has none)', () => {
    const registry = new FakeRegistry({ referrersApi: true });
    beforeAll(() => registry.start());
    afterAll(() => registry.stop());

    it.each([
      ['by the key', 'a', true],
      ['by another key', 'b', false],
    ] as const)(
      'cosign signs (oci-1-1) and attests (bundle) %s through the API: our verdicts equal cosign verify and verify-attestation',
      async (_name, signer, expected) => {
        const tagged = `${registry.host}/lab/sigfmt-${randomBytes(5).toString('hex')}:v1`;
        const image = `${tagged.replace(/:v1$/, '')}@${await pushTestImage(client, tagged)}`;
        const key = signer === 'b' ? keyB.key : keyA.key;
        await cosign.sign(image, key, { referrers: true });
        await cosign.attest(image, key, 'slsaprovenance1', SLSA_V1, { bundle: true });
        // cosign saw the API (OCI-Subject) and wrote no fallback tag: only the API can find them.
        expect([...registry.tags.keys()].filter((t) => t.includes(':sha256-'))).toEqual([]);
        const cosignSigned = await cosign.verify(image, keyA.pub, { oci11: true });
        const cosignAttested = await cosign.verifyAttestation(image, keyA.pub, 'slsaprovenance1', {
          bundle: true,
        });
        const run = await ours(image, keyA.publicPem, 'slsaprovenance');
        expect([cosignSigned, cosignAttested]).toEqual([expected, expected]);
        expect(run.exitCode === 0).toBe(expected);
        expect(run.outputs['error-code']).toBe(expected ? undefined : 'invalid-signature');
      },
    );
  });

  describe('sigstore bundle v0.3 referrers (cosign v3 layout)', () => {
    it.each([
      ['attested by the key', 'a', true],
      ['attested by another key', 'b', false],
      ['attested, then the statement altered', 'a-tampered', false],
    ] as const)(
      'cosign attest --new-bundle-format, %s: our verdict equals cosign verify-attestation --new-bundle-format',
      async (_name, signer, expected) => {
        const image = await freshCopy();
        await cosign.sign(image, keyA.key);
        await cosign.attest(image, signer === 'b' ? keyB.key : keyA.key, 'slsaprovenance1', SLSA_V1, {
          bundle: true,
        });
        if (signer === 'a-tampered') await tamperReferrers(client, image, digestOf(image), alterStatement);
        const cosignSays = await cosign.verifyAttestation(image, keyA.pub, 'slsaprovenance1', {
          bundle: true,
        });
        const run = await ours(image, keyA.publicPem, 'slsaprovenance');
        expect(cosignSays).toBe(expected);
        expect(run.exitCode === 0).toBe(cosignSays);
        expect(run.outputs['error-code']).toBe(expected ? undefined : 'attestation-missing');
      },
    );

    it.each([
      ['by the key', true],
      ['by another key', false],
    ] as const)(
      'a cosign v3 signature bundle made with sigstore-js %s: our verdict equals cosign on its https://sigstore.dev/cosign/sign/v1 statement',
      async (_name, expected) => {
        // cosign 2.5 cannot sign images into bundles (only v3 can); this is v3's layout and
        // statement, signed by @sigstore/sign. cosign v3's verify checks these bundles with
        // the same code as verify-attestation --new-bundle-format, which 2.5 has.
        const sigstore = await createMockSigstore();
        const key = makeKey('ecdsa');
        const image = await freshCopy();
        const signer = expected ? key : makeKey('ecdsa');
        await attachBundle(
          client,
          image,
          digestOf(image),
          await sigstore.sigstoreJsBundle(cosignSignStatement(digestOf(image)), signer),
        );
        const pub = `${cosign.dir}/v3-${randomBytes(4).toString('hex')}.pub`;
        writeFileSync(pub, key.publicPem);
        const cosignSays = await cosign.verifyAttestation(image, pub, 'https://sigstore.dev/cosign/sign/v1', {
          bundle: true,
        });
        const run = await ours(image, key.publicPem);
        expect(cosignSays ? 'accepted' : `refused: ${cosign.lastError}`).toEqual(
          expected ? 'accepted' : expect.stringMatching(/^refused/),
        );
        expect(run.exitCode === 0).toBe(cosignSays);
        expect(run.outputs['error-code']).toBe(expected ? undefined : 'invalid-signature');
      },
    );
  });
});
