// The release → deploy chain, scripted once for the pipeline e2e test, the demo and the
// pipeline benchmark: what release.yml does (tag, push, sign with a cosign-compatible key) and
// what deploy.yml's deploy job does with the bundled actions (verify-signature per image →
// render-env → ssh-deploy → wait-ready, `rollback: previous` when wait-ready fails, then the
// post steps as the runner ends the job). Plain JavaScript (types in chain.d.mts), like runner.mjs.
import { execFileSync } from 'node:child_process';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasPost, repoRoot, runAction, runPost } from './runner.mjs';

// ---------------------------------------------------------------------------
// The lab (test/lab/lab.ts is the tests' typed reader, with the check that it is up)
// ---------------------------------------------------------------------------

/** .lab/lab.json as test/lab/up.sh wrote it, or undefined when there is none. */
export function readLab() {
  const path = join(repoRoot, '.lab', 'lab.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) : undefined;
}

/** ssh-deploy's connection inputs for the lab's deploy host. */
export function labConnection(lab) {
  return {
    host: `${lab.sshHost}:${lab.sshPort}`,
    username: lab.user,
    'private-key': readFileSync(lab.privateKeyPath, 'utf8'),
    'known-hosts': lab.knownHostsPath,
  };
}

/** A release of the stack from the lab's images: `app` (an app image), its migrator and database. */
export function labReleaseImages(lab, app) {
  return {
    APP_IMAGE: ['app', app],
    MIGRATOR_IMAGE: ['migrator', lab.images.migrator],
    DB_IMAGE: ['db', lab.images.db],
  };
}

/**
 * The deploy job's inputs for a compose stack copied to `stack/` in the workspace (its
 * `.env.example` and `docker-compose.yml`: db, a migrator job, app on `APP_PORT`), the layout of
 * the demo stack and of the pipeline test's: render-env writes `stack/deploy.env` with every image
 * pinned; ssh-deploy starts db first, runs the migrator, then the app, with a health gate on
 * /api/ready when `healthTimeout` is given; wait-ready checks /api/ready from the runner.
 */
export function stackJob({ lab, remoteDir, project, port, healthTimeout, policy }) {
  const healthUrl = `http://127.0.0.1:${port}/api/ready`;
  return {
    render: {
      template: 'stack/.env.example',
      output: 'stack/deploy.env',
      'compose-file': 'stack/docker-compose.yml',
      'require-digest': 'true',
      ...(policy ? { policy } : {}),
    },
    rollout: {
      ...labConnection(lab),
      'source-dir': 'stack',
      'remote-dir': remoteDir,
      'project-name': project,
      'env-files': 'deploy.env',
      'services-first': 'db',
      'migrate-service': 'migrator',
      services: 'db\napp',
      ...(healthTimeout ? { 'health-url': healthUrl, 'health-timeout': healthTimeout } : {}),
    },
    ready: { url: healthUrl, timeout: '20s', interval: '1s' },
  };
}

// ---------------------------------------------------------------------------
// release.yml: push and sign
// ---------------------------------------------------------------------------

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A fresh P-256 key pair as PEM, the kind `cosign generate-key-pair` makes. */
export function makeSigningKey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** Splits `host:port/repo/name@sha256:...` into its parts. */
function parsePinned(ref) {
  const m = /^([^/]+)\/(.+)@(sha256:[0-9a-f]{64})$/.exec(ref);
  if (!m) throw new Error(`'${ref}' is not registry/repo@sha256:<digest>`);
  return { registry: m[1], repository: m[2], digest: m[3] };
}

async function pushBlob(base, repository, bytes) {
  const digest = sha256(bytes);
  const start = await fetch(`${base}/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`blob upload to ${repository} refused: HTTP ${start.status}`);
  const location = new URL(start.headers.get('location'), base);
  location.searchParams.set('digest', digest);
  const put = await fetch(location, {
    method: 'PUT',
    body: bytes,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`blob ${digest} not stored: HTTP ${put.status}`);
  return { digest, size: bytes.length };
}

/**
 * Signs an image pinned by digest with a PEM private key and pushes the signature next to it in
 * cosign's legacy layout (`sha256-<hex>.sig`: a "simple signing" payload layer whose annotation
 * carries the signature), what `cosign sign --key` writes and verify-signature reads. Plain HTTP:
 * only for registries on loopback, as the lab's. Returns the signature's tag.
 */
async function signImage(pinnedRef, privateKeyPem) {
  const { registry, repository, digest } = parsePinned(pinnedRef);
  const base = `http://${registry}`;
  const payload = Buffer.from(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': `${registry}/${repository}` },
        image: { 'docker-manifest-digest': digest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
  );
  const signature = sign('sha256', payload, privateKeyPem).toString('base64');
  const config = Buffer.from(
    JSON.stringify({
      architecture: '',
      os: '',
      config: {},
      rootfs: { type: 'layers', diff_ids: [sha256(payload)] },
    }),
  );
  const layer = await pushBlob(base, repository, payload);
  const configBlob = await pushBlob(base, repository, config);
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...configBlob },
      layers: [
        {
          mediaType: 'application/vnd.dev.cosign.simplesigning.v1+json',
          ...layer,
          annotations: { 'dev.cosignproject.cosign/signature': signature },
        },
      ],
    }),
  );
  const tag = `${digest.replace(':', '-')}.sig`;
  const put = await fetch(`${base}/v2/${repository}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
  });
  if (put.status !== 201)
    throw new Error(`signature manifest for ${pinnedRef} not stored: HTTP ${put.status}`);
  return tag;
}

const MANIFEST_TYPES = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** The digest the registry serves for `registry/repository:tag`. */
async function registryDigest(image) {
  const m = /^([^/]+)\/(.+):([^:/]+)$/.exec(image);
  if (!m) throw new Error(`'${image}' is not registry/repo:tag`);
  const response = await fetch(`http://${m[1]}/v2/${m[2]}/manifests/${m[3]}`, {
    method: 'HEAD',
    headers: { accept: MANIFEST_TYPES },
  });
  const digest = response.headers.get('docker-content-digest');
  if (!response.ok || !digest)
    throw new Error(`the registry has no digest for ${image}: HTTP ${response.status}`);
  return digest;
}

/**
 * What release.yml does, with images already built: each `[name, source image]` is tagged
 * `<repo>/<name>:<tag>`, pushed, and its digest signed. Returns `{ VARIABLE: repo/name@sha256:... }`.
 */
export async function publishRelease({ docker = 'docker', repo, tag, images, privateKeyPem }) {
  const pinned = {};
  for (const [variable, [name, source]] of Object.entries(images)) {
    const target = `${repo}/${name}:${tag}`;
    execFileSync(docker, ['tag', source, target], { stdio: ['ignore', 'ignore', 'pipe'] });
    execFileSync(docker, ['push', '-q', target], { stdio: ['ignore', 'ignore', 'pipe'] });
    pinned[variable] = `${repo}/${name}@${await registryDigest(target)}`;
    await signImage(pinned[variable], privateKeyPem);
  }
  return pinned;
}

// ---------------------------------------------------------------------------
// deploy.yml's deploy job
// ---------------------------------------------------------------------------

const TIMEOUT_MS = {
  'verify-signature': 60_000,
  'render-env': 60_000,
  'ssh-deploy': 180_000,
  'wait-ready': 60_000,
};

/**
 * One deploy job in `workspace`: verify-signature for each image (with `verify` inputs), render-env
 * (the verified digests and `vars` as its `vars`, `secrets` as JSON, plus `render` inputs),
 * ssh-deploy (`rollout` inputs), wait-ready (`ready` inputs), and ssh-deploy `rollback: previous`
 * when wait-ready fails. The first failed step ends the job; then every step that has a `post:`
 * runs it with its inputs, last first, as the runner does. `onStep(label, run)` sees each run as
 * it ends.
 */
export async function deployJob({
  workspace,
  images,
  publicKey,
  verify = {},
  vars = {},
  secrets = {},
  render = {},
  rollout,
  ready,
  onStep = () => undefined,
}) {
  const result = { verify: [], pinned: {}, runs: [] };
  const ran = [];
  const step = async (label, name, inputs) => {
    const run = await runAction(name, { workspace, inputs, timeoutMs: TIMEOUT_MS[name] });
    ran.push({ name, inputs, run });
    result.runs.push(run);
    onStep(label, run);
    return run;
  };

  await (async () => {
    for (const [variable, image] of Object.entries(images)) {
      const run = await step(`verify-signature ${variable}`, 'verify-signature', {
        image,
        key: publicKey,
        ...verify,
      });
      result.verify.push(run);
      if (run.exitCode !== 0) return;
      result.pinned[variable] = run.outputs['image-ref'];
    }
    const lines = Object.entries({ ...result.pinned, ...vars }).map(([k, v]) => `${k}=${v}`);
    result.render = await step('render-env', 'render-env', {
      vars: lines.join('\n'),
      secrets: JSON.stringify(secrets),
      ...render,
    });
    if (result.render.exitCode !== 0) return;
    result.rollout = await step('ssh-deploy', 'ssh-deploy', rollout);
    if (result.rollout.exitCode !== 0) return;
    result.ready = await step('wait-ready', 'wait-ready', ready);
    // deploy.yml's "Roll back to the previous release" step.
    if (result.ready.exitCode !== 0)
      result.rollback = await step('ssh-deploy rollback', 'ssh-deploy', { ...rollout, rollback: 'previous' });
  })();

  for (const { name, inputs, run } of [...ran].reverse()) {
    if (!hasPost(name)) continue;
    const post = await runPost(name, run, { inputs, timeoutMs: 60_000 });
    result.runs.push(post);
    onStep(`post ${name}`, post);
  }
  return result;
}
