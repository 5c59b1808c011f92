import type { InputReader } from '@deploy-actions/action-kit';
import { parseRepository, type FinalState, type RepositoryRef } from '@deploy-actions/github';

export interface RecordDeploymentSettings {
  token: string;
  repository: RepositoryRef;
  step: 'start' | 'finish';
  environment: string;
  /** start: the ref deployed. */
  ref: string;
  /** start: a rollback deploy (task deploy:rollback); finish: the failed deploy was rolled back. */
  rollback: boolean;
  deploymentId?: number;
  status?: FinalState;
  environmentUrl?: string;
  description?: string;
  restoredRelease?: string;
  payload?: Record<string, unknown>;
  transient: boolean;
  /** Unset: GitHub decides. */
  production?: boolean;
}

const STEPS = ['start', 'finish'] as const;
const STATES = ['success', 'failure', 'error'] as const;
const PRODUCTION = ['auto', 'true', 'false'] as const;
/** GitHub's own limit for an environment name. */
const ENVIRONMENT = /^[^\r\n]{1,255}$/;

/**
 * Reads every input, recording each problem on the reader; the caller's `inputs.finish()`
 * reports them all at once, before any request is made. The token is masked at once.
 */
export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv): RecordDeploymentSettings {
  const token = inputs.secret('token', { required: true }) ?? '';
  const repositoryText = inputs.string('repository') ?? env['GITHUB_REPOSITORY'] ?? '';
  const repository = parseRepository(repositoryText);
  if (!repository) {
    inputs.problem(
      'repository',
      repositoryText === ''
        ? 'is required outside GitHub Actions (GITHUB_REPOSITORY is not set): owner/name.'
        : `'${repositoryText}' is not owner/name.`,
    );
  }
  const step = inputs.enum('step', STEPS, { required: true }) ?? 'start';
  const environment = inputs.string('environment', { required: true });
  inputs.check(
    environment === '' || ENVIRONMENT.test(environment),
    'environment',
    'must be one line of at most 255 characters.',
  );
  const ref = inputs.string('ref') ?? env['GITHUB_SHA'] ?? '';
  const rollback = inputs.boolean('rollback', { default: false });
  const transient = inputs.boolean('transient-environment', { default: false });
  const production = inputs.enum('production-environment', PRODUCTION, { default: 'auto' });
  const description = inputs.string('description');
  const environmentUrl = readUrl(inputs);
  const restoredRelease = inputs.string('restored-release');
  const payload = readPayload(inputs);

  const settings: RecordDeploymentSettings = {
    token,
    repository: repository ?? { owner: '', repo: '' },
    step,
    environment,
    ref,
    rollback,
    transient,
    ...(production === 'auto' ? {} : { production: production === 'true' }),
    ...(description ? { description } : {}),
    ...(environmentUrl ? { environmentUrl } : {}),
    ...(restoredRelease ? { restoredRelease } : {}),
    ...(payload ? { payload } : {}),
  };

  if (step === 'start') {
    inputs.check(
      ref !== '',
      'ref',
      'is required with step: start outside GitHub Actions (GITHUB_SHA is not set).',
    );
    inputs.check(
      !inputs.has('deployment-id'),
      'deployment-id',
      'is set by step: start (an output), not read; remove it.',
    );
    inputs.check(!inputs.has('status'), 'status', 'applies to step: finish; step: start sets in_progress.');
    return settings;
  }
  const id = inputs.integer('deployment-id', { required: true, min: 1 });
  if (id !== undefined) settings.deploymentId = id;
  const status = inputs.enum('status', STATES, { required: true });
  if (status !== undefined) settings.status = status;
  inputs.check(
    !rollback || status !== 'success',
    'rollback',
    'records that a failed deploy was rolled back: use it with status failure or error.',
  );
  inputs.check(
    !inputs.has('payload'),
    'payload',
    'is recorded by step: start; step: finish cannot change it.',
  );
  return settings;
}

function readUrl(inputs: InputReader): string | undefined {
  const text = inputs.string('environment-url');
  if (text === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(text);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    inputs.problem('environment-url', `'${text}' is not an http(s) URL.`);
    return undefined;
  }
  if (url.username !== '' || url.password !== '') {
    // Shown to everyone who can read the repository: never a credential.
    inputs.problem('environment-url', 'must not carry a user name or password.');
    return undefined;
  }
  return text;
}

function readPayload(inputs: InputReader): Record<string, unknown> | undefined {
  const value = inputs.json('payload');
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    inputs.problem('payload', 'must be a JSON object, e.g. {"release": "20260101-120000-abc1234"}.');
    return undefined;
  }
  return value as Record<string, unknown>;
}
