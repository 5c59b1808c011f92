import type { InputReader } from '@deploy-actions/action-kit';
import { isValidEnvKey } from '@deploy-actions/compose-env';
import { branchSlug, parseRepository, type RepositoryRef } from '@deploy-actions/github';

export interface BumpImagesSettings {
  token: string;
  repository: RepositoryRef;
  environment: string;
  file: string;
  images: Map<string, string>;
  base?: string;
  branch: string;
  title: string;
  signature?: string;
  plan?: string;
}

const DIGEST = /@sha256:[0-9a-f]{64}$/;
const BRANCH = /^(?!\/|.*\/\/|.*\.\.|.*\/$|.*\.lock$)[A-Za-z0-9._/-]+$/;

/**
 * Reads every input, recording each problem on the reader; the caller's `inputs.finish()`
 * reports them all at once, before any request is made. The token is masked at once.
 */
export function readSettings(inputs: InputReader): BumpImagesSettings {
  const token = inputs.secret('token', { required: true }) ?? '';
  const repositoryText = inputs.string('repository', { required: true });
  const repository = parseRepository(repositoryText);
  if (repositoryText !== '' && !repository)
    inputs.problem('repository', `'${repositoryText}' is not owner/name.`);
  const environment = inputs.string('environment', { required: true });
  inputs.check(!/[\r\n]/.test(environment), 'environment', 'must be one line.');

  const file = inputs.string('file') ?? `env/${environment}.env`;
  inputs.check(
    !file.startsWith('/') && !file.split('/').includes('..') && !/[\r\n\\]/.test(file) && !file.endsWith('/'),
    'file',
    `'${file}' is not a file path inside the repository (relative, no '..').`,
  );

  const requireDigest = inputs.boolean('require-digest', { default: true });
  const images = new Map<string, string>();
  for (const line of inputs.multiline('images', { required: true })) {
    const eq = line.indexOf('=');
    const key = eq > 0 ? line.slice(0, eq).trim() : '';
    const ref = eq > 0 ? line.slice(eq + 1).trim() : '';
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key) || !isValidEnvKey(key) || ref === '' || /\s/.test(ref)) {
      inputs.problem('images', `'${line}' is not KEY=registry/repo@sha256:... (one image a line).`);
      continue;
    }
    if (requireDigest && !DIGEST.test(ref)) {
      inputs.problem(
        'images',
        `${key}=${ref} is not pinned by digest (@sha256:<64 hex>); bump to the digest that was verified.`,
      );
      continue;
    }
    if (images.has(key)) {
      inputs.problem('images', `${key} is given twice.`);
      continue;
    }
    images.set(key, ref);
  }

  const base = inputs.string('base');
  const branch = inputs.string('branch') ?? `deploy-actions/bump-${branchSlug(environment)}`;
  inputs.check(BRANCH.test(branch), 'branch', `'${branch}' is not a valid branch name.`);
  inputs.check(base === undefined || BRANCH.test(base), 'base', `'${base}' is not a valid branch name.`);
  const title = inputs.string('title') ?? `Deploy ${environment}: ${[...images.keys()].join(', ')}`;
  const signature = inputs.string('signature');
  const plan = inputs.string('plan');
  return {
    token,
    repository: repository ?? { owner: '', repo: '' },
    environment,
    file,
    images,
    branch,
    title,
    ...(base ? { base } : {}),
    ...(signature ? { signature } : {}),
    ...(plan ? { plan } : {}),
  };
}
