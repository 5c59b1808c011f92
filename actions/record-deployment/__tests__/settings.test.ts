import { InputReader } from '@deploy-actions/action-kit';
import { readSettings } from '../src/settings.js';

const ENV = { GITHUB_REPOSITORY: 'acme/shop', GITHUB_SHA: 'c0ffee0123456789abcdef0123456789abcdef01' };

function read(inputs: Record<string, string>, env: NodeJS.ProcessEnv = ENV) {
  const vars: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inputs)) vars[`INPUT_${name.toUpperCase()}`] = value;
  const masked: string[] = [];
  const reader = new InputReader({ env: vars, mask: (s) => masked.push(s) });
  const settings = readSettings(reader, env);
  return { settings, problems: reader.errors.map((p) => `${p.input}: ${p.message}`), masked };
}

describe('record-deployment readSettings', () => {
  it('takes the repository and ref of the run by default, and masks the token', () => {
    const { settings, problems, masked } = read({ token: 'ghs_x', step: 'start', environment: 'production' });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      repository: { owner: 'acme', repo: 'shop' },
      ref: ENV.GITHUB_SHA,
      rollback: false,
      transient: false,
    });
    expect(settings.production).toBeUndefined();
    expect(masked).toEqual(['ghs_x']);
  });

  it('requires a deployment id and a final status to finish, and rollback only after a failure', () => {
    expect(read({ token: 't', step: 'finish', environment: 'staging' }).problems).toEqual([
      'deployment-id: is required but was not set.',
      'status: is required; use one of success, failure, error.',
    ]);
    expect(
      read({
        token: 't',
        step: 'finish',
        environment: 'staging',
        'deployment-id': '7',
        status: 'success',
        rollback: 'true',
      }).problems,
    ).toEqual([
      'rollback: records that a failed deploy was rolled back: use it with status failure or error.',
    ]);
  });

  it('refuses an environment URL with credentials, or that is not http(s)', () => {
    const base = { token: 't', step: 'finish', environment: 'p', 'deployment-id': '7', status: 'success' };
    expect(read({ ...base, 'environment-url': 'https://user:pw@shop.example' }).problems).toEqual([
      'environment-url: must not carry a user name or password.',
    ]);
    expect(read({ ...base, 'environment-url': 'ftp://shop.example' }).problems[0]).toContain(
      'is not an http(s) URL',
    );
  });

  it('accepts only a JSON object as payload, and only at the start', () => {
    expect(read({ token: 't', step: 'start', environment: 'p', payload: '[1]' }).problems[0]).toContain(
      'must be a JSON object',
    );
    expect(
      read({ token: 't', step: 'start', environment: 'p', payload: '{"a":1}' }).settings.payload,
    ).toEqual({ a: 1 });
  });

  it('names the repository when neither the input nor GITHUB_REPOSITORY gives one', () => {
    expect(read({ token: 't', step: 'start', environment: 'p', ref: 'main' }, {}).problems).toEqual([
      'repository: is required outside GitHub Actions (GITHUB_REPOSITORY is not set): owner/name.',
    ]);
  });
});
