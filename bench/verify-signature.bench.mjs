// verify-signature against the path users run today, on the lab registry (127.0.0.1:5000):
//
// 1. The bundled action, cold: a fresh `node dist/verify-signature/index.js` per run, as the
//    runner starts it, verifying a cosign-signed image (key-based, legacy `.sig`): resolve the
//    tag, fetch the signature, check it, write outputs and the summary.
// 2. The same verification in-process (warm), to show what is process start-up and what is work.
// 3. `node -e ''`: the floor any JavaScript action pays.
// 4. What users run instead: sigstore/cosign-installer downloads the cosign binary on every job,
//    then `cosign verify`. There is no network here, so the download is estimated from its size
//    at stated bandwidths; `cosign verify` itself is not measured (no cosign binary offline).
//    Size: cosign's GitHub release asset `cosign-linux-amd64` for v2.x is about 100 MB (figure
//    from the release asset listings as remembered, not re-checked offline: override with
//    BENCH_COSIGN_MB). cosign-installer, when asked for a release other than its bootstrap
//    version, first downloads the bootstrap cosign to verify the requested one: two downloads.
//
// Needs `npm run build -- verify-signature` and the lab (`npm run lab:up`). Env: BENCH_SAMPLES.
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { actionNode, prepareStep, repoRoot as root } from '../test/harness/runner.mjs';
import { labOrSkip, median, ms, printTable } from './stats.mjs';

const lab = labOrSkip();
const registry = await import(join(root, 'packages/registry/lib/index.js'));
const signature = await import(join(root, 'packages/signature/lib/index.js'));
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 10);
const COSIGN_MB = Number(process.env.BENCH_COSIGN_MB ?? 100);

// --- a signed image, made the way `cosign sign --key` makes it ------------------------------
const client = new registry.RegistryClient();
const image = `${lab.registry}/verify-signature-bench/${randomBytes(4).toString('hex')}/app:v1`;
const ref = registry.parseReference(image);
const config = await client.pushBlob(
  ref,
  Buffer.from(
    JSON.stringify({ os: 'linux', architecture: 'amd64', rootfs: { type: 'layers', diff_ids: [] } }),
  ),
);
const layer = await client.pushBlob(ref, randomBytes(1024));
const manifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: registry.MEDIA_TYPES.dockerManifest,
    config: { mediaType: 'application/vnd.docker.container.image.v1+json', ...config },
    layers: [
      {
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.size,
        digest: layer.digest,
      },
    ],
  }),
);
const digest = await client.pushManifest(ref, 'v1', manifest, registry.MEDIA_TYPES.dockerManifest);
const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const publicPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const payload = signature.simpleSigningPayload(`${ref.registry}/${ref.repository}`, digest);
const payloadBlob = await client.pushBlob(ref, payload);
const sigConfig = await client.pushBlob(
  ref,
  Buffer.from(
    JSON.stringify({
      architecture: '',
      os: '',
      rootfs: { type: 'layers', diff_ids: [payloadBlob.digest] },
      config: {},
    }),
  ),
);
const sigManifest = Buffer.from(
  JSON.stringify({
    schemaVersion: 2,
    mediaType: registry.MEDIA_TYPES.ociManifest,
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      size: sigConfig.size,
      digest: sigConfig.digest,
    },
    layers: [
      {
        mediaType: signature.SIMPLE_SIGNING_MEDIA_TYPE,
        size: payloadBlob.size,
        digest: payloadBlob.digest,
        annotations: {
          [signature.ANNOTATIONS.signature]: sign('sha256', payload, keys.privateKey).toString('base64'),
        },
      },
    ],
  }),
);
await client.pushManifest(
  ref,
  signature.legacyTag(digest, 'sig'),
  sigManifest,
  registry.MEDIA_TYPES.ociManifest,
);

// --- 1. the bundled action, cold -------------------------------------------------------------
function runAction() {
  const step = prepareStep('verify-signature', { inputs: { image, key: publicPem } });
  const started = performance.now();
  const result = spawnSync(step.argv[0], step.argv.slice(1), {
    cwd: step.cwd,
    env: step.env,
    encoding: 'utf8',
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0 || step.collect().outputs.digest !== digest) {
    throw new Error(`the action did not verify the bench image:\n${result.stdout}\n${result.stderr}`);
  }
  return elapsed;
}
runAction(); // warm the file cache once, as a runner's disk would be
const cold = Array.from({ length: SAMPLES }, runAction);

// --- 2. in-process, warm ---------------------------------------------------------------------
const key = signature.loadPublicKey(publicPem);
const trustedRoot = signature.publicGoodTrustedRoot();
const inProcess = [];
for (let i = 0; i < SAMPLES * 2; i++) {
  const started = performance.now();
  const result = await signature.verifyImage({
    reference: ref,
    policy: { kind: 'key', key },
    trustedRoot,
    attestations: [],
    client: new registry.RegistryClient(),
  });
  inProcess.push(performance.now() - started);
  if (result.digest !== digest) throw new Error('in-process verification returned another digest');
}

// --- 2b. keyless, in-process: a legacy keyless signature (certificate + Rekor SET) from a mock
// Fulcio/Rekor (@sigstore/mock), checked by sigstore-js against the mock's trusted root.
const mock = await import('@sigstore/mock');
const caKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const ca = await mock.initializeCA(caKeys);
const logKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const tlog = await mock.initializeTLog('https://rekor.mock.test', logKeys);
const identity = 'https://github.com/org/app/.github/workflows/release.yml@refs/heads/main';
const issuer = 'https://token.actions.githubusercontent.com';
const ephemeral = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const certDer = await ca.issueCertificate({
  publicKey: ephemeral.publicKey.export({ type: 'spki', format: 'der' }),
  subjectAltName: identity,
  extensions: [{ oid: '1.3.6.1.4.1.57264.1.8', value: issuer }],
});
const { X509Certificate, createHash } = await import('node:crypto');
const certPem = new X509Certificate(certDer).toString();
const keylessSig = sign('sha256', payload, ephemeral.privateKey).toString('base64');
const entry = Object.values(
  await tlog.log({
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
      signature: { content: keylessSig, publicKey: { content: Buffer.from(certPem).toString('base64') } },
    },
  }),
)[0];
const mockRoot = signature.parseTrustedRoot({
  mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
  tlogs: [
    {
      baseUrl: 'https://rekor.mock.test',
      hashAlgorithm: 'SHA2_256',
      publicKey: {
        rawBytes: tlog.publicKey.toString('base64'),
        keyDetails: 'PKIX_ECDSA_P256_SHA_256',
        validFor: { start: '2000-01-01T00:00:00Z' },
      },
      logId: { keyId: createHash('sha256').update(tlog.publicKey).digest('base64') },
    },
  ],
  certificateAuthorities: [
    {
      subject: { organization: 'mock', commonName: 'mock' },
      uri: 'https://fulcio.mock.test',
      certChain: { certificates: [{ rawBytes: ca.rootCertificate.toString('base64') }] },
      validFor: { start: '2000-01-01T00:00:00Z' },
    },
  ],
  ctlogs: [],
  timestampAuthorities: [],
});
const annotations = {
  [signature.ANNOTATIONS.signature]: keylessSig,
  [signature.ANNOTATIONS.certificate]: certPem,
  [signature.ANNOTATIONS.rekorBundle]: JSON.stringify({
    SignedEntryTimestamp: entry.verification.signedEntryTimestamp,
    Payload: {
      body: entry.body,
      integratedTime: entry.integratedTime,
      logIndex: entry.logIndex,
      logID: entry.logID,
    },
  }),
};
const keylessPolicy = { kind: 'keyless', identity: { identity, issuer }, trustedRoot: mockRoot };
const keyless = [];
for (let i = 0; i < SAMPLES * 2; i++) {
  const started = performance.now();
  const outcome = signature.verifyLegacySignature({ payload }, annotations, keylessPolicy, mockRoot);
  keyless.push(performance.now() - started);
  if (!outcome.ok) throw new Error(`keyless bench signature did not verify: ${outcome.reason}`);
}

// --- 3. node start-up floor -------------------------------------------------------------------
const nodeFloor = Array.from({ length: SAMPLES }, () => {
  const started = performance.now();
  spawnSync(actionNode().path, ['-e', '']);
  return performance.now() - started;
});

console.log(`image: ${image} (${digest})   samples: ${SAMPLES}   bundle on node ${actionNode().version}`);
printTable(
  ['what', 'median', 'min', 'max'],
  [
    [
      'verify-signature bundle, cold process (resolve + .sig + verify + outputs)',
      ms(median(cold)),
      ms(Math.min(...cold)),
      ms(Math.max(...cold)),
    ],
    [
      'verifyImage() in-process, warm',
      ms(median(inProcess)),
      ms(Math.min(...inProcess)),
      ms(Math.max(...inProcess)),
    ],
    [
      'keyless signature check in-process (chain, SET, identity; no registry)',
      ms(median(keyless)),
      ms(Math.min(...keyless)),
      ms(Math.max(...keyless)),
    ],
    [
      "node -e '' (start-up floor)",
      ms(median(nodeFloor)),
      ms(Math.min(...nodeFloor)),
      ms(Math.max(...nodeFloor)),
    ],
  ],
);

console.log(
  `\nThe path users run today: cosign-installer downloads ~${COSIGN_MB} MB (cosign-linux-amd64 v2.x), then cosign verify.`,
);
const rows = [50, 200, 1000].map((mbit) => {
  const seconds = (COSIGN_MB * 8) / mbit;
  return [
    `${mbit} Mbit/s`,
    `${seconds.toFixed(1)} s`,
    `${(seconds * 2).toFixed(1)} s`,
    `${((seconds * 1000) / median(cold)).toFixed(0)}x`,
  ];
});
printTable(
  ['bandwidth (estimate)', 'one download', 'with bootstrap cosign', 'download alone vs our cold run'],
  rows,
);
console.log(
  'cosign verify runtime: not measured (no cosign binary offline); keyless verify also fetches the TUF root over the network.',
);
