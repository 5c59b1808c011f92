import {
  isLoopbackRegistry,
  parseReference,
  pinnedReference,
  RegistryClient,
} from '@deploy-actions/registry';

describe('parseReference', () => {
  it('expands a bare Docker Hub name to docker.io/library with the latest tag', () => {
    expect(parseReference('nginx')).toEqual({
      registry: 'docker.io',
      repository: 'library/nginx',
      tag: 'latest',
    });
  });

  it('keeps a Docker Hub organisation path without adding library', () => {
    expect(parseReference('bitnami/redis:7.2')).toEqual({
      registry: 'docker.io',
      repository: 'bitnami/redis',
      tag: '7.2',
    });
  });

  it('reads a registry port as part of the registry, not as a tag', () => {
    expect(parseReference('127.0.0.1:5000/lab/app')).toEqual({
      registry: '127.0.0.1:5000',
      repository: 'lab/app',
      tag: 'latest',
    });
  });

  it('reads a tag and a digest together', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(parseReference(`ghcr.io/org/app:v1@${digest}`)).toEqual({
      registry: 'ghcr.io',
      repository: 'org/app',
      tag: 'v1',
      digest,
    });
  });

  it('treats localhost as a registry', () => {
    expect(parseReference('localhost/app:v2').registry).toBe('localhost');
  });

  it('rejects a digest that is not sha256 with 64 hex digits', () => {
    expect(() => parseReference('ghcr.io/org/app@sha256:abc')).toThrow(/not a sha256 digest/);
  });

  it('rejects upper-case repository names as Docker does', () => {
    expect(() => parseReference('ghcr.io/Org/App:v1')).toThrow(/not a valid repository name/);
  });

  it('rejects a URL scheme with a hint', () => {
    expect(() => parseReference('https://ghcr.io/org/app')).toThrow(/URL scheme/);
  });

  it('pins a reference by digest without its tag', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(pinnedReference(parseReference('ghcr.io/org/app:v1'), digest)).toBe(`ghcr.io/org/app@${digest}`);
  });
});

describe('plain HTTP', () => {
  it('is used for every 127.0.0.0/8 address and localhost', () => {
    expect(['127.0.0.1:5000', '127.9.8.7', 'localhost:5000', '[::1]:5000'].every(isLoopbackRegistry)).toBe(
      true,
    );
  });

  it('is not used for a private address unless allowed', () => {
    expect(new RegistryClient().baseUrl('10.0.0.5:5000')).toBe('https://10.0.0.5:5000');
    expect(new RegistryClient({ allowInsecure: true }).baseUrl('10.0.0.5:5000')).toBe('http://10.0.0.5:5000');
  });

  it('is not fooled by a host name that starts with 127', () => {
    expect(isLoopbackRegistry('127.0.0.1.evil.example:5000')).toBe(false);
  });

  it('talks to registry-1.docker.io for Docker Hub over HTTPS', () => {
    expect(new RegistryClient().baseUrl('docker.io')).toBe('https://registry-1.docker.io');
  });
});
