import type { Logger } from '@deploy-actions/action-kit';
import { call, type GitHubClient, type RepositoryRef } from './client.js';

/** The API refuses a status description longer than this. */
export const DESCRIPTION_LIMIT = 140;
/** How many of an environment's newest deployments are looked at for the previous active one. */
export const PREVIOUS_SCAN = 20;
/** The `task` of a deployment that records a rollback (GitHub's default task is `deploy`). */
export const ROLLBACK_TASK = 'deploy:rollback';

const PERMISSION = 'deployments: write';

/** `text` cut to the API's 140 characters (code points), ending in `…` when cut. */
export function truncateDescription(text: string): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length <= DESCRIPTION_LIMIT
    ? chars.join('')
    : `${chars.slice(0, DESCRIPTION_LIMIT - 1).join('')}…`;
}

export interface StartDeployment {
  repository: RepositoryRef;
  environment: string;
  /** Branch, tag or commit SHA being deployed. */
  ref: string;
  /** `deploy`, or {@link ROLLBACK_TASK} when the deploy puts an earlier release back. */
  task: string;
  description?: string;
  payload?: Record<string, unknown>;
  transient: boolean;
  /** Unset: GitHub decides (true for an environment named `production`). */
  production?: boolean;
  /** The run's page, shown as the deployment's log. */
  logUrl?: string;
}

export interface DeploymentRecord {
  id: number;
  sha?: string;
  environment?: string;
}

/**
 * Creates the deployment and marks it `in_progress`. `auto_merge` is off (deploying
 * must never merge branches) and `required_contexts` is empty (the caller's workflow
 * decided to deploy; commit statuses are not checked again here).
 */
export async function startDeployment(
  client: GitHubClient,
  options: StartDeployment,
  log: Logger,
): Promise<DeploymentRecord> {
  const { owner, repo } = options.repository;
  const created = await call(
    `create a deployment of ${options.ref} to ${options.environment}`,
    PERMISSION,
    () =>
      client.rest.repos.createDeployment({
        owner,
        repo,
        ref: options.ref,
        environment: options.environment,
        task: options.task,
        auto_merge: false,
        required_contexts: [],
        transient_environment: options.transient,
        ...(options.production === undefined ? {} : { production_environment: options.production }),
        ...(options.description ? { description: truncateDescription(options.description) } : {}),
        ...(options.payload ? { payload: options.payload } : {}),
      }),
  );
  const data = created.data as { id?: unknown; sha?: unknown; message?: unknown };
  if (typeof data.id !== 'number') {
    throw new Error(`GitHub created no deployment (HTTP ${created.status}): ${String(data.message ?? '')}`);
  }
  await setStatus(client, options.repository, data.id, {
    state: 'in_progress',
    ...(options.logUrl ? { logUrl: options.logUrl } : {}),
    ...(options.description ? { description: options.description } : {}),
  });
  log.info(
    `Deployment ${data.id} of ${options.ref} to ${options.environment}${options.task === ROLLBACK_TASK ? ' (rollback)' : ''}: in_progress.`,
  );
  return {
    id: data.id,
    ...(typeof data.sha === 'string' ? { sha: data.sha } : {}),
    environment: options.environment,
  };
}

export type FinalState = 'success' | 'failure' | 'error';

interface StatusFields {
  state: FinalState | 'in_progress' | 'inactive';
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

async function setStatus(
  client: GitHubClient,
  repository: RepositoryRef,
  id: number,
  fields: StatusFields,
): Promise<void> {
  await call(`set deployment ${id} to ${fields.state}`, PERMISSION, () =>
    client.rest.repos.createDeploymentStatus({
      ...repository,
      deployment_id: id,
      state: fields.state,
      ...(fields.description ? { description: truncateDescription(fields.description) } : {}),
      ...(fields.environmentUrl ? { environment_url: fields.environmentUrl } : {}),
      ...(fields.logUrl ? { log_url: fields.logUrl } : {}),
      // GitHub retires earlier deployments itself only for non-production ones; the
      // explicit pass below covers production too.
      ...(fields.state === 'success' ? { auto_inactive: true } : {}),
    }),
  );
}

export interface FinishDeployment {
  repository: RepositoryRef;
  environment: string;
  deploymentId: number;
  state: FinalState;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

/**
 * Sets the final status. On `success`, every earlier deployment of the environment
 * whose latest status is still `success` is marked `inactive` (GitHub's `auto_inactive`
 * skips production environments), so the environment shows one active deployment.
 * Returns the ids marked inactive.
 */
export async function finishDeployment(
  client: GitHubClient,
  options: FinishDeployment,
  log: Logger,
): Promise<{ inactive: number[] }> {
  await setStatus(client, options.repository, options.deploymentId, {
    state: options.state,
    ...(options.description ? { description: options.description } : {}),
    ...(options.environmentUrl ? { environmentUrl: options.environmentUrl } : {}),
    ...(options.logUrl ? { logUrl: options.logUrl } : {}),
  });
  log.info(`Deployment ${options.deploymentId} to ${options.environment}: ${options.state}.`);
  if (options.state !== 'success') return { inactive: [] };
  return {
    inactive: await retirePrevious(
      client,
      options.repository,
      options.environment,
      options.deploymentId,
      log,
    ),
  };
}

interface ListedDeployment {
  id: number;
  sha: string;
  ref: string;
  task: string;
  transient_environment?: boolean;
  production_environment?: boolean;
}

/** The environment's newest deployments created before `before`, newest first. */
async function earlierDeployments(
  client: GitHubClient,
  repository: RepositoryRef,
  environment: string,
  before: number,
): Promise<ListedDeployment[]> {
  const listed = await call(`list the deployments of ${environment}`, PERMISSION, () =>
    client.rest.repos.listDeployments({ ...repository, environment, per_page: PREVIOUS_SCAN }),
  );
  return (listed.data as ListedDeployment[]).filter((d) => d.id < before).sort((a, b) => b.id - a.id);
}

async function latestStatus(
  client: GitHubClient,
  repository: RepositoryRef,
  id: number,
): Promise<{ state: string; environment_url?: string } | undefined> {
  const statuses = await call(`read the statuses of deployment ${id}`, PERMISSION, () =>
    client.rest.repos.listDeploymentStatuses({ ...repository, deployment_id: id, per_page: 1 }),
  );
  return (statuses.data as { state: string; environment_url?: string }[])[0];
}

async function retirePrevious(
  client: GitHubClient,
  repository: RepositoryRef,
  environment: string,
  current: number,
  log: Logger,
): Promise<number[]> {
  const retired: number[] = [];
  for (const deployment of await earlierDeployments(client, repository, environment, current)) {
    if ((await latestStatus(client, repository, deployment.id))?.state !== 'success') continue;
    await setStatus(client, repository, deployment.id, {
      state: 'inactive',
      description: `Superseded by deployment ${current}.`,
    });
    retired.push(deployment.id);
  }
  if (retired.length > 0) log.info(`Marked inactive: deployment ${retired.join(', ')} of ${environment}.`);
  return retired;
}

export interface RecordRollback {
  repository: RepositoryRef;
  environment: string;
  /** The deployment that failed and was rolled back. */
  failedDeploymentId: number;
  /** The release put back on the hosts, when known (ssh-deploy's previous-release-id). */
  release?: string;
  description?: string;
  environmentUrl?: string;
  logUrl?: string;
}

/**
 * Records a rollback as such: after a deployment failed and the previous release was
 * restored on the hosts, the environment runs the previous deployment's ref again. That
 * is recorded as a new deployment of that ref with task {@link ROLLBACK_TASK} (payload:
 * which deployment failed, which one it restores), set to `success`, so the environment's
 * history says "rolled back" and its active deployment is the ref really running.
 * Returns undefined, with a warning, when no earlier successful deployment is on record.
 */
export async function recordRollback(
  client: GitHubClient,
  options: RecordRollback,
  log: Logger,
): Promise<{ id: number; restores: number } | undefined> {
  let restored: ListedDeployment | undefined;
  let url: string | undefined;
  for (const deployment of await earlierDeployments(
    client,
    options.repository,
    options.environment,
    options.failedDeploymentId,
  )) {
    const status = await latestStatus(client, options.repository, deployment.id);
    if (status?.state === 'success') {
      restored = deployment;
      url = status.environment_url || undefined;
      break;
    }
  }
  if (!restored) {
    log.warning(
      `Deployment ${options.failedDeploymentId} was rolled back, but ${options.environment} has no earlier successful ` +
        `deployment on record (among its newest ${PREVIOUS_SCAN}), so no rollback deployment was recorded.`,
    );
    return undefined;
  }
  const description =
    options.description ??
    `Rollback: deployment ${options.failedDeploymentId} failed; ${options.release ? `release ${options.release}` : `deployment ${restored.id}`} restored.`;
  const created = await startDeployment(
    client,
    {
      repository: options.repository,
      environment: options.environment,
      ref: restored.sha,
      task: ROLLBACK_TASK,
      description,
      payload: {
        rollback_of: options.failedDeploymentId,
        restores: restored.id,
        ...(options.release ? { release: options.release } : {}),
      },
      transient: restored.transient_environment ?? false,
      ...(restored.production_environment === undefined
        ? {}
        : { production: restored.production_environment }),
      ...(options.logUrl ? { logUrl: options.logUrl } : {}),
    },
    log,
  );
  const environmentUrl = options.environmentUrl ?? url;
  await finishDeployment(
    client,
    {
      repository: options.repository,
      environment: options.environment,
      deploymentId: created.id,
      state: 'success',
      description,
      ...(environmentUrl ? { environmentUrl } : {}),
      ...(options.logUrl ? { logUrl: options.logUrl } : {}),
    },
    log,
  );
  return { id: created.id, restores: restored.id };
}
