import { parseAuthenticate } from '@deploy-actions/registry';

describe('parseAuthenticate', () => {
  it('reads a bearer challenge whose quoted scope contains commas', () => {
    const [challenge] = parseAuthenticate(
      'Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull,push"',
    );
    expect(challenge).toEqual({
      scheme: 'bearer',
      params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:org/app:pull,push' },
    });
  });

  it('reads a basic challenge', () => {
    expect(parseAuthenticate('Basic realm="Registry Realm"')).toEqual([
      { scheme: 'basic', params: { realm: 'Registry Realm' } },
    ]);
  });
});
