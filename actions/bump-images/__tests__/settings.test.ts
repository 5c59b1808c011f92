import { InputReader } from '@deploy-actions/action-kit';
import { readSettings } from '../src/settings.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

function read(inputs: Record<string, string>) {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const reader = new InputReader({ env });
  const settings = readSettings(reader);
  return { settings, problems: reader.errors.map((p) => `${p.input}: ${p.message}`) };
}

const base = { token: 't', repository: 'acme/shop-deploy', environment: 'production' };

describe('bump-images readSettings', () => {
  it('derives the env file, the branch and the title from the environment', () => {
    const { settings, problems } = read({ ...base, images: `APP_IMAGE=ghcr.io/acme/app@${DIGEST}` });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      file: 'env/production.env',
      branch: 'deploy-actions/bump-production',
      title: 'Deploy production: APP_IMAGE',
    });
    expect(settings.base).toBeUndefined();
  });

  it('makes a branch-safe name of any environment name', () => {
    expect(read({ ...base, environment: 'EU prod (new)', images: `A=r@${DIGEST}` }).settings.branch).toBe(
      'deploy-actions/bump-EU-prod-new',
    );
  });

  it('refuses tags, malformed lines and duplicate keys, all at once', () => {
    const { problems } = read({
      ...base,
      images: [
        'APP_IMAGE=ghcr.io/acme/app:latest',
        'not an image line',
        `B=r@${DIGEST}`,
        `B=r@${DIGEST}`,
      ].join('\n'),
    });
    expect(problems).toEqual([
      'images: APP_IMAGE=ghcr.io/acme/app:latest is not pinned by digest (@sha256:<64 hex>); bump to the digest that was verified.',
      "images: 'not an image line' is not KEY=registry/repo@sha256:... (one image a line).",
      'images: B is given twice.',
    ]);
  });

  it('refuses a file outside the repository and a repository that is not owner/name', () => {
    const { problems } = read({
      ...base,
      repository: 'shop-deploy',
      file: '../secrets.env',
      images: `A=r@${DIGEST}`,
    });
    expect(problems).toEqual([
      "repository: 'shop-deploy' is not owner/name.",
      "file: '../secrets.env' is not a file path inside the repository (relative, no '..').",
    ]);
  });
});
