import { getOctokit } from '@actions/github';
import { UserError, errorMessage } from '@deploy-actions/action-kit';

/** The REST client every call here goes through. */
export type GitHubClient = ReturnType<typeof getOctokit>;

/** `owner/name`, as GITHUB_REPOSITORY spells it. */
export interface RepositoryRef {
  owner: string;
  repo: string;
}

const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/;

/** `owner/name` → its parts; undefined when it is not that shape. */
export function parseRepository(text: string): RepositoryRef | undefined {
  const match = REPOSITORY.exec(text.trim());
  return match ? { owner: match[1]!, repo: match[2]! } : undefined;
}

/**
 * A client for the REST API at GITHUB_API_URL (the runner sets it: api.github.com, or
 * a GitHub Enterprise Server's `/api/v3`); @actions/github reads it, and nothing else
 * chooses where requests go. No retries: a failed call is reported as it happened.
 */
export function gitHubClient(token: string): GitHubClient {
  return getOctokit(token, { request: { retries: 0 } });
}

/**
 * A failed REST call as a UserError naming what was being done and what the job is
 * missing. The API's own message is kept (it says which field was wrong); the token
 * never is: octokit redacts it from the request it keeps, and only status and message
 * are read here.
 */
export function gitHubError(error: unknown, doing: string, permission: string): UserError {
  const status = (error as { status?: unknown }).status;
  const apiMessage = (error as { response?: { data?: { message?: unknown } } }).response?.data?.message;
  const said = typeof apiMessage === 'string' && apiMessage !== '' ? `: ${apiMessage}` : '';
  if (typeof status !== 'number') {
    return new UserError(
      'github-unreachable',
      `Could not reach the GitHub API to ${doing}: ${errorMessage(error)}`,
    );
  }
  if (status === 401) {
    return new UserError(
      'github-unauthorized',
      `GitHub refused the token to ${doing} (HTTP 401${said}). The token is invalid or expired: pass a valid one in 'token'.`,
    );
  }
  if (status === 403 || status === 404) {
    return new UserError(
      status === 403 ? 'github-forbidden' : 'github-not-found',
      `GitHub answered HTTP ${status} to ${doing}${said}. The token needs ${permission} on that repository ` +
        "(the job's own token: grant it in the job's `permissions:`; it never reaches another repository, which needs a GitHub App or fine-grained token).",
    );
  }
  return new UserError('github-rejected', `GitHub rejected the request to ${doing} (HTTP ${status}${said}).`);
}

/** Runs one REST call, turning its failure into {@link gitHubError}. */
export async function call<T>(doing: string, permission: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw gitHubError(error, doing, permission);
  }
}

/** The run's page, for log_url and PR bodies: GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID. */
export function runUrl(env: NodeJS.ProcessEnv): string | undefined {
  const server = env['GITHUB_SERVER_URL'] || 'https://github.com';
  const repository = env['GITHUB_REPOSITORY'];
  const runId = env['GITHUB_RUN_ID'];
  if (!repository || !runId) return undefined;
  const attempt = env['GITHUB_RUN_ATTEMPT'];
  return `${server}/${repository}/actions/runs/${runId}${attempt && attempt !== '1' ? `/attempts/${attempt}` : ''}`;
}
