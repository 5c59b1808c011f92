// A small cosign-compatible signer for the demo: signs an image digest with a
// P-256 key in cosign's legacy layout (a `sha256-<hex>.sig` manifest whose layer
// is the "simple signing" payload and whose annotation carries the signature),
// the layout `cosign sign --key` writes and `cosign verify --key` reads.
// Written here because the demo has no network to fetch cosign, and no signer
// was importable from the verify-signature tests when the demo was written.
// Speaks plain HTTP: only for registries on loopback, as the lab's.
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Creates (once) the demo's signing key pair as PEM files; returns their paths. */
export function ensureDemoKey(privatePath, publicPath) {
  if (!existsSync(privatePath) || !existsSync(publicPath)) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return { privatePath, publicPath };
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
 * Signs an image pinned by digest with a PEM private key and pushes the
 * signature next to it. Returns the signature's tag.
 */
export async function signImage(pinnedRef, privateKeyPem) {
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

// CLI: node demo/sign.mjs <private-key.pem> <registry/repo@sha256:...>...
if (import.meta.url === `file://${process.argv[1]}`) {
  const [keyPath, ...refs] = process.argv.slice(2);
  if (!keyPath || refs.length === 0) {
    console.error('usage: node demo/sign.mjs <private-key.pem> <registry/repo@sha256:...>...');
    process.exit(2);
  }
  const key = readFileSync(keyPath, 'utf8');
  for (const ref of refs) console.log(`signed ${ref} (${await signImage(ref, key)})`);
}
