/** An image reference split the way Docker splits it. */
export interface ImageReference {
  /** The registry as the user knows it (`docker.io`, `ghcr.io`, `127.0.0.1:5000`). */
  registry: string;
  /** The repository path (`library/nginx`, `org/app`). */
  repository: string;
  tag?: string;
  /** `sha256:<64 hex>` when the reference pins a digest. */
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
// Repository path components as the distribution spec defines them.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

class ReferenceError extends Error {
  override readonly name = 'ReferenceError';
}

/**
 * Parses `registry/repo:tag`, `repo@sha256:...` and the Docker Hub short forms
 * (`nginx` → `docker.io/library/nginx:latest`), as `docker pull` does.
 * Throws a ReferenceError saying what is wrong.
 */
export function parseReference(text: string): ImageReference {
  const input = text.trim();
  if (input === '') throw new ReferenceError('the image reference is empty');
  if (/\s/.test(input)) throw new ReferenceError(`'${input}' contains white space`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    throw new ReferenceError(`'${input}' has a URL scheme; write it as registry/repository:tag`);
  }

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new ReferenceError(
        `'${digest}' is not a sha256 digest (expected sha256: and 64 lower-case hex digits)`,
      );
    }
  }

  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  // A colon after the last slash separates the tag; before it, it is a registry port.
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG.test(tag)) throw new ReferenceError(`'${tag}' is not a valid tag`);
  }

  const parts = rest.split('/');
  let registry = DOCKER_HUB;
  const first = parts[0] ?? '';
  // Docker's rule: the first component is a registry if it has a dot or a port, or is localhost.
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (registry === 'index.docker.io' || registry === 'registry-1.docker.io') registry = DOCKER_HUB;
  if (registry === DOCKER_HUB && parts.length === 1) parts.unshift('library');
  if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
    throw new ReferenceError(
      `'${rest}' is not a valid repository name (lower-case letters, digits, . _ - and /)`,
    );
  }
  if (!/^[a-zA-Z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/.test(registry)) {
    throw new ReferenceError(`'${registry}' is not a valid registry host`);
  }
  const repository = parts.join('/');
  if (tag === undefined && digest === undefined) tag = 'latest';
  return {
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** `registry/repository`, the name a pinned reference is built on. */
export function repositoryName(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}`;
}

/** `registry/repository@sha256:...`: what a deploy should pull. */
export function pinnedReference(ref: ImageReference, digest: string): string {
  return `${repositoryName(ref)}@${digest}`;
}

/** The host the registry API is served from (Docker Hub's API is not on docker.io). */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}

/** True for registries Docker itself talks plain HTTP to: loopback addresses and localhost. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registry.startsWith('[')
    ? registry.slice(1, registry.indexOf(']'))
    : registry.replace(/:\d+$/, '');
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}
