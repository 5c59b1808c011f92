import { checkImages, parseImageReference, type ComposeModel } from '../src/index.js';

const d = (c: string): string => `sha256:${c.repeat(64)}`;
const refs = (...texts: string[]) => texts.map((t) => parseImageReference(t)!);
const model = (images: Record<string, string | undefined>): ComposeModel => ({
  services: Object.fromEntries(
    Object.entries(images).map(([s, image]) => [s, image === undefined ? { build: '.' } : { image }]),
  ),
});

describe('parseImageReference', () => {
  it('normalises Docker Hub names the way docker does', () => {
    expect(parseImageReference(`postgres@${d('a')}`)).toMatchObject({
      name: 'docker.io/library/postgres',
      digest: d('a'),
    });
    expect(parseImageReference('index.docker.io/acme/app:1')).toMatchObject({
      name: 'docker.io/acme/app',
      tag: '1',
    });
    expect(parseImageReference('127.0.0.1:5000/lab/app:2')).toMatchObject({
      name: '127.0.0.1:5000/lab/app',
      tag: '2',
    });
    expect(parseImageReference('localhost/app')).toMatchObject({ name: 'localhost/app' });
  });

  it('refuses what docker refuses', () => {
    expect(parseImageReference('Acme/App')).toBeUndefined();
    expect(parseImageReference('app:')).toBeUndefined();
  });
});

describe('checkImages', () => {
  const verified = refs(`ghcr.io/acme/app@${d('a')}`);

  it('accepts a verified digest, also written with a tag or in another Docker Hub spelling', () => {
    expect(checkImages(model({ a: `ghcr.io/acme/app:1.2@${d('a')}` }), { verified, allow: [] })).toEqual([]);
    const hub = refs(`postgres@${d('b')}`);
    expect(
      checkImages(model({ db: `docker.io/library/postgres@${d('b')}` }), { verified: hub, allow: [] }),
    ).toEqual([]);
  });

  it('refuses another digest of a verified repository and says so', () => {
    const [problem] = checkImages(model({ a: `ghcr.io/acme/app@${d('c')}` }), { verified, allow: [] });
    expect(problem!.problem).toContain('that repository was verified at another digest');
  });

  it('lets a bare repository allow any digest of it, never a tag or latest', () => {
    const allow = refs('redis');
    expect(checkImages(model({ r: `redis@${d('e')}` }), { verified, allow })).toEqual([]);
    expect(checkImages(model({ r: 'redis:7' }), { verified, allow })).toHaveLength(1);
    expect(checkImages(model({ r: 'redis' }), { verified, allow })).toHaveLength(1);
  });

  it('lets an exact tag entry allow exactly that tag', () => {
    const allow = refs('caddy:2.8');
    expect(checkImages(model({ p: 'caddy:2.8' }), { verified, allow })).toEqual([]);
    expect(checkImages(model({ p: 'caddy:2.9' }), { verified, allow })).toHaveLength(1);
  });

  it('refuses a service that is only built', () => {
    expect(checkImages(model({ w: undefined }), { verified, allow: [] })[0]!.problem).toContain(
      'built on the host',
    );
  });
});
