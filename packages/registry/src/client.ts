import { createHash } from 'node:crypto';
import { errorMessage, silentLogger, type Logger } from '@deploy-actions/action-kit';
import { basicAuthorization, parseAuthenticate, type Credentials } from './auth.js';
import { apiHost, isDigest, isLoopbackRegistry, type ImageReference } from './reference.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
} as const;

/** What `docker pull` accepts: a multi-arch index/list or a single-platform manifest. */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.ociManifest,
  MEDIA_TYPES.dockerList,
  MEDIA_TYPES.dockerManifest,
];

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
}

export interface Manifest {
  schemaVersion?: number;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: Manifest;
}

export interface RegistryClientOptions {
  credentials?: Credentials;
  /**
   * The registry the credentials are for (`ghcr.io`, `127.0.0.1:5001`, as in image references).
   * They are sent to it and to a token server on the same host, never elsewhere. Default: the
   * first registry this client talks to.
   */
  credentialsRegistry?: string;
  /**
   * Token servers on other hosts that may also receive the credentials, as origins
   * (`https://auth.example.com`): for registries whose token service lives elsewhere.
   * Docker Hub's (`https://auth.docker.io`) is known and need not be listed.
   */
  tokenRealms?: readonly string[];
  /** Plain HTTP to registries beyond loopback (loopback and localhost always use HTTP). */
  allowInsecure?: boolean;
  logger?: Logger;
  /** Manifests larger than this are refused (default 4 MiB, as containerd does). */
  maxManifestBytes?: number;
  /** Blobs larger than this are refused (default 32 MiB: signatures and attestations, not layers). */
  maxBlobBytes?: number;
  /** Per-request timeout (default 30 s). */
  timeoutMs?: number;
}

/** A registry said no, or said something we cannot accept; the message says which. */
/** What went wrong talking to a registry (signature maps each to a failure reason). */
export type RegistryErrorCode =
  'not-found' | 'unauthorized' | 'denied' | 'too-large' | 'digest-mismatch' | 'bad-response' | 'unreachable';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

// Registries whose own token service is on another host, known to be theirs.
const KNOWN_TOKEN_REALMS: Readonly<Record<string, readonly string[]>> = {
  'docker.io': ['https://auth.docker.io'],
};

const DEFAULT_MAX_MANIFEST = 4 * 1024 * 1024;
const DEFAULT_MAX_BLOB = 32 * 1024 * 1024;

/**
 * A small OCI distribution client: read manifests and blobs by digest (every body
 * is size-capped and digest-checked), list referrers, and push (for signing in
 * tests and benchmarks). Tokens are cached per scope for the client's lifetime.
 */
export class RegistryClient {
  private readonly tokens = new Map<string, string>();
  private readonly log: Logger;
  private readonly maxManifestBytes: number;
  private readonly maxBlobBytes: number;
  private readonly timeoutMs: number;
  private credentialsRegistry: string | undefined;
  /** Registries whose token server got no credentials (another host), with why. */
  private readonly withheld = new Map<string, string>();

  constructor(private readonly options: RegistryClientOptions = {}) {
    this.credentialsRegistry = options.credentialsRegistry;
    this.log = options.logger ?? silentLogger;
    this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST;
    this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  /** `https://host` or, for loopback or when allowed, `http://host`. */
  baseUrl(registry: string): string {
    const scheme = isLoopbackRegistry(registry) || this.options.allowInsecure ? 'http' : 'https';
    return `${scheme}://${apiHost(registry)}`;
  }

  /** The manifest a tag or digest points to; its digest is computed from the bytes, never trusted. */
  async getManifest(
    ref: ImageReference,
    reference: string,
    accept: readonly string[] = MANIFEST_ACCEPT,
  ): Promise<FetchedManifest> {
    const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`;
    const response = await this.request(ref, url, { headers: { Accept: accept.join(', ') } });
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError(
        'not-found',
        `${ref.registry}/${ref.repository}:${reference} was not found (HTTP 404)`,
        404,
      );
    }
    await this.expectOk(response, `the manifest ${ref.registry}/${ref.repository}@${reference}`);
    const bytes = await readCapped(response, this.maxManifestBytes, `the manifest ${reference}`);
    const digest = sha256(bytes);
    if (isDigest(reference) && digest !== reference) {
      throw new RegistryError(
        'digest-mismatch',
        `${ref.registry}/${ref.repository}: asked for manifest ${reference} but the bytes served hash to ${digest}`,
      );
    }
    const announced = response.headers.get('docker-content-digest');
    if (!isDigest(reference) && announced && announced !== digest) {
      throw new RegistryError(
        'digest-mismatch',
        `${ref.registry}/${ref.repository}:${reference}: the registry announced ${announced} but the bytes served hash to ${digest}`,
      );
    }
    let manifest: Manifest;
    try {
      manifest = JSON.parse(bytes.toString('utf8')) as Manifest;
    } catch {
      throw new RegistryError(
        'bad-response',
        `the manifest ${ref.registry}/${ref.repository}@${reference} is not JSON`,
      );
    }
    const mediaType = manifest.mediaType ?? response.headers.get('content-type')?.split(';')[0] ?? '';
    return { digest, mediaType, bytes, manifest };
  }

  /** Resolves the reference's tag (or checks its digest) and returns the manifest it names. */
  async resolve(ref: ImageReference): Promise<FetchedManifest> {
    return this.getManifest(ref, ref.digest ?? ref.tag ?? 'latest');
  }

  /** A blob, refused when larger than the cap or when its bytes do not hash to its digest. */
  async getBlob(ref: ImageReference, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Buffer> {
    if (!isDigest(descriptor.digest))
      throw new RegistryError('bad-response', `'${descriptor.digest}' is not a sha256 digest`);
    if (descriptor.size > this.maxBlobBytes) {
      throw new RegistryError(
        'too-large',
        `the blob ${descriptor.digest} is ${descriptor.size} bytes; the limit is ${this.maxBlobBytes}`,
      );
    }
    const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/blobs/${descriptor.digest}`;
    const response = await this.request(ref, url, {});
    if (response.status === 404) {
      await response.body?.cancel();
      throw new RegistryError(
        'not-found',
        `the blob ${descriptor.digest} is not in ${ref.registry}/${ref.repository}`,
        404,
      );
    }
    await this.expectOk(response, `the blob ${descriptor.digest}`);
    const bytes = await readCapped(
      response,
      Math.min(this.maxBlobBytes, descriptor.size),
      `the blob ${descriptor.digest}`,
    );
    const digest = sha256(bytes);
    if (digest !== descriptor.digest) {
      throw new RegistryError(
        'digest-mismatch',
        `the blob ${descriptor.digest} in ${ref.registry}/${ref.repository} hashes to ${digest}: it was altered`,
      );
    }
    return bytes;
  }

  /**
   * Manifests that name `digest` as their subject: the referrers API, or, where the
   * registry has none (404), the `sha256-<hex>` tag index of the OCI fallback scheme.
   */
  async listReferrers(ref: ImageReference, digest: string, artifactType?: string): Promise<Descriptor[]> {
    const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
    const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/referrers/${digest}${query}`;
    const response = await this.request(ref, url, { headers: { Accept: MEDIA_TYPES.ociIndex } });
    let index: Manifest | undefined;
    if (response.ok && (response.headers.get('content-type') ?? '').includes(MEDIA_TYPES.ociIndex)) {
      const bytes = await readCapped(response, this.maxManifestBytes, `the referrers of ${digest}`);
      index = parseJson(bytes, `the referrers list of ${digest}`);
      // The API may page its answer (a Link header, rel="next"); follow it on the same registry, a few pages at most.
      let next = nextPage(response.headers.get('link'), url);
      for (let page = 1; next && page < MAX_REFERRER_PAGES; page++) {
        const more = await this.request(ref, next, { headers: { Accept: MEDIA_TYPES.ociIndex } });
        await this.expectOk(more, `the referrers of ${digest} (page ${page + 1})`);
        const moreIndex = parseJson(
          await readCapped(more, this.maxManifestBytes, `the referrers of ${digest}`),
          `the referrers list of ${digest}`,
        );
        index = { ...index, manifests: [...(index.manifests ?? []), ...(moreIndex.manifests ?? [])] };
        next = nextPage(more.headers.get('link'), next);
      }
    } else {
      // Registries without the API answer 404 (distribution 2.8, GHCR), 400, 405 or even 200
      // with an HTML page; all mean "look for the fallback tag". Refusals and outages do not.
      if (!response.ok && (response.status >= 500 || response.status === 403 || response.status === 429)) {
        await this.expectOk(response, `the referrers of ${digest}`);
      }
      await response.body?.cancel();
      try {
        index = (await this.getManifest(ref, digest.replace(':', '-'), [MEDIA_TYPES.ociIndex])).manifest;
      } catch (error) {
        if (error instanceof RegistryError && error.code === 'not-found') return [];
        throw error;
      }
    }
    const found = index?.manifests ?? [];
    return artifactType ? found.filter((d) => d.artifactType === artifactType) : found;
  }

  /** Uploads a blob (monolithic POST then PUT) unless the registry has it. */
  async pushBlob(ref: ImageReference, bytes: Buffer): Promise<Descriptor & { mediaType: string }> {
    const digest = sha256(bytes);
    const base = this.baseUrl(ref.registry);
    const head = await this.request(
      ref,
      `${base}/v2/${ref.repository}/blobs/${digest}`,
      { method: 'HEAD' },
      'push',
    );
    if (head.status !== 200) {
      const start = await this.request(
        ref,
        `${base}/v2/${ref.repository}/blobs/uploads/`,
        { method: 'POST' },
        'push',
      );
      await this.expectOk(start, `starting an upload to ${ref.repository}`);
      await start.body?.cancel();
      const location = new URL(start.headers.get('location') ?? '', base);
      location.searchParams.set('digest', digest);
      const put = await this.request(
        ref,
        location.toString(),
        {
          method: 'PUT',
          body: bytes,
          headers: { 'Content-Type': 'application/octet-stream' },
        },
        'push',
      );
      await this.expectOk(put, `uploading ${digest}`);
      await put.body?.cancel();
    }
    return { mediaType: 'application/octet-stream', digest, size: bytes.length };
  }

  /** Stores a manifest under a tag or its digest; returns its digest. */
  async pushManifest(
    ref: ImageReference,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`;
    const response = await this.request(
      ref,
      url,
      { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } },
      'push',
    );
    await this.expectOk(response, `storing the manifest ${reference}`);
    await response.body?.cancel();
    return sha256(bytes);
  }

  /** The credentials, when they are for this registry. */
  private credentialsFor(registry: string): Credentials | undefined {
    if (!this.options.credentials) return undefined;
    this.credentialsRegistry ??= registry;
    return this.credentialsRegistry === registry ? this.options.credentials : undefined;
  }

  /** A token server may have the credentials when it is on the registry's host, or listed. */
  private realmMayHaveCredentials(registry: string, realm: URL): boolean {
    const hosts = [registry, apiHost(registry)].map((host) => new URL(`http://${host}`).hostname);
    if (hosts.includes(realm.hostname)) return true;
    const listed = [...(KNOWN_TOKEN_REALMS[registry] ?? []), ...(this.options.tokenRealms ?? [])];
    return listed.some((origin) => {
      try {
        return new URL(origin).origin === realm.origin;
      } catch {
        return false;
      }
    });
  }

  private async request(
    ref: ImageReference,
    url: string,
    init: RequestInit,
    action: 'pull' | 'push' = 'pull',
  ): Promise<Response> {
    const credentials = this.credentialsFor(ref.registry);
    const scope = `repository:${ref.repository}:${action === 'push' ? 'pull,push' : 'pull'}`;
    const key = `${ref.registry}|${scope}`;
    const send = (authorization?: string): Promise<Response> => {
      const headers = new Headers(init.headers);
      if (authorization) headers.set('Authorization', authorization);
      return this.fetch(url, { ...init, headers });
    };
    const cached = this.tokens.get(key);
    let response = await send(cached);
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const challenges = parseAuthenticate(response.headers.get('www-authenticate') ?? '');
    const bearer = challenges.find((c) => c.scheme === 'bearer');
    const basic = challenges.find((c) => c.scheme === 'basic');
    let authorization: string | undefined;
    if (bearer?.params['realm']) {
      authorization = `Bearer ${await this.fetchToken(bearer.params, scope, ref.registry)}`;
    } else if (basic && credentials) {
      authorization = basicAuthorization(credentials);
    } else {
      const why = credentials
        ? ''
        : this.options.credentials
          ? `; the credentials given are for ${this.credentialsRegistry} and are not sent to another registry`
          : '; set registry-username and registry-password';
      throw new RegistryError(
        'unauthorized',
        `${ref.registry} requires authentication for ${ref.repository}${why}`,
        401,
      );
    }
    this.tokens.set(key, authorization);
    response = await send(authorization);
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      const withheld = this.withheld.get(ref.registry);
      const what = withheld ? 'anonymous token' : credentials ? 'given credentials' : 'anonymous token';
      throw new RegistryError(
        response.status === 401 ? 'unauthorized' : 'denied',
        `${ref.registry} refused the ${what} for ${ref.repository} (HTTP ${response.status})${withheld ?? ''}`,
        response.status,
      );
    }
    return response;
  }

  private async fetchToken(params: Record<string, string>, scope: string, registry: string): Promise<string> {
    const realm = new URL(params['realm']!);
    // Credentials go only where the registry points and only over TLS (or to loopback).
    if (realm.protocol !== 'https:' && !isLoopbackRegistry(realm.host) && !this.options.allowInsecure) {
      throw new RegistryError(
        'bad-response',
        `${registry} sent a token realm over plain HTTP (${realm.origin}); refusing to send credentials there`,
      );
    }
    if (params['service']) realm.searchParams.set('service', params['service']);
    realm.searchParams.set(
      'scope',
      params['scope'] && !scope.endsWith('pull,push') ? params['scope'] : scope,
    );
    const headers: Record<string, string> = {};
    let credentials = this.credentialsFor(registry);
    let withheld = '';
    if (credentials && !this.realmMayHaveCredentials(registry, realm)) {
      // A registry could name any host as its realm and collect the credentials there.
      withheld = `; the credentials were not sent to its token service ${realm.origin} because it is not on ${registry}'s host (list it in registry-token-realms if it is ${registry}'s own token service)`;
      this.withheld.set(registry, withheld);
      this.log.warning(
        `${registry} names a token service on another host (${realm.origin}); asking it for an anonymous token, without the credentials.`,
      );
      credentials = undefined;
    }
    if (credentials) headers['Authorization'] = basicAuthorization(credentials);
    const response = await this.fetch(realm.toString(), { headers });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new RegistryError(
        'unauthorized',
        `the token service of ${registry} (${realm.origin}) refused ${credentials ? 'the given credentials' : 'an anonymous token'} (HTTP ${response.status})${withheld}`,
        response.status,
      );
    }
    await this.expectOk(response, `a token from ${realm.origin}`);
    const body = parseJson(
      await readCapped(response, 1024 * 1024, 'the token response'),
      'the token response',
    ) as { token?: string; access_token?: string };
    const token = body.token ?? body.access_token;
    if (!token)
      throw new RegistryError('bad-response', `the token service of ${registry} answered without a token`);
    this.log.mask(token);
    return token;
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? errorMessage(error);
      throw new RegistryError('unreachable', `could not reach ${new URL(url).origin} (${detail})`);
    }
  }

  private async expectOk(response: Response, what: string): Promise<void> {
    if (response.ok) return;
    const text = (await response.text().catch(() => '')).slice(0, 300).replace(/\s+/g, ' ');
    throw new RegistryError(
      response.status === 403 ? 'denied' : 'bad-response',
      `the registry answered HTTP ${response.status} for ${what}${text ? `: ${text}` : ''}`,
      response.status,
    );
  }
}

const MAX_REFERRER_PAGES = 10;

/** The `rel="next"` target of a Link header, resolved against `current`; only on the same origin. */
function nextPage(link: string | null, current: string): string | undefined {
  const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '');
  if (!match) return undefined;
  const next = new URL(match[1]!, current);
  return next.origin === new URL(current).origin ? next.toString() : undefined;
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

function parseJson(bytes: Buffer, what: string): Manifest {
  try {
    return JSON.parse(bytes.toString('utf8')) as Manifest;
  } catch {
    throw new RegistryError('bad-response', `${what} is not JSON`);
  }
}

/** Reads a body, stopping as soon as it grows past `limit` so a hostile server cannot fill memory. */
async function readCapped(response: Response, limit: number, what: string): Promise<Buffer> {
  const length = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(length) && length > limit) {
    await response.body?.cancel();
    throw new RegistryError('too-large', `${what} is ${length} bytes; the limit is ${limit}`);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel();
      throw new RegistryError('too-large', `${what} is larger than the limit of ${limit} bytes`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}
