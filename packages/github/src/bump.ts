import type { Logger } from '@deploy-actions/action-kit';
import { call, type GitHubClient, type RepositoryRef } from './client.js';

/** The API refuses a pull request body longer than this. */
export const BODY_LIMIT = 65_536;

export interface BumpImages {
  /** The deploy repository. */
  repository: RepositoryRef;
  environment: string;
  /** The env file in the deploy repository, e.g. `env/production.env`. */
  file: string;
  /**
   * Rewrites the file's text as read from the base branch (undefined: the base has no
   * such file): the minimal edit of the image keys (bump-images passes compose-env's
   * `setDotenvValues`). Throws a UserError for a file it cannot edit.
   */
  edit: (text: string | undefined) => FileEdit;
  /** The branch the pull request goes into; default: the repository's default branch. */
  base?: string;
  /** The pull request's branch: one per environment, reset onto the base on every bump. */
  branch: string;
  title: string;
  /** The pull request's description, given what the edit changed (see {@link bumpBody}). */
  body: (changes: readonly KeyChange[]) => string;
  commitMessage: string;
}

export interface KeyChange {
  key: string;
  from: string | undefined;
  to: string;
}

/** What the edit of the file did. */
export interface FileEdit {
  text: string;
  changes: KeyChange[];
  /** Keys that already held the new value. */
  unchanged: string[];
}

export interface BumpResult {
  outcome: 'created' | 'updated' | 'unchanged';
  base: string;
  changes: KeyChange[];
  /** Keys that already held the new value. */
  unchanged: string[];
  pullRequest?: { number: number; url: string };
  commit?: string;
}

const CONTENTS = 'contents: write and pull-requests: write';

/**
 * Opens, or updates, the one pull request that moves `images` in the deploy repository's
 * env file. The file is read from the base branch and rewritten by `setDotenvValues`:
 * only those keys' values change, nothing else in the file does. The change is one commit
 * on top of the base's head, made through the git data API (tree, commit) and then pointed
 * at by the branch in a single ref update, so the branch never passes through a state
 * without the change; an existing branch is reset (force) onto it, so the pull request
 * always shows exactly this bump against the current base. An open pull request from the
 * branch gets the new title and body; otherwise one is created.
 */
export async function bumpImages(
  client: GitHubClient,
  options: BumpImages,
  log: Logger,
): Promise<BumpResult> {
  const { owner, repo } = options.repository;
  const where = `${owner}/${repo}`;
  const base =
    options.base ??
    (await call(`read ${where}`, CONTENTS, () => client.rest.repos.get({ owner, repo }))).data.default_branch;
  const baseRef = await call(`read branch ${base} of ${where}`, CONTENTS, () =>
    client.rest.git.getRef({ owner, repo, ref: `heads/${base}` }),
  );
  const baseSha = baseRef.data.object.sha;

  const edit = options.edit(await readFile(client, options, baseSha));
  const changes = edit.changes;
  if (changes.length === 0) {
    log.info(
      `${options.file} on ${base} already pins ${edit.unchanged.join(', ')} as given: no pull request needed.`,
    );
    return { outcome: 'unchanged', base, changes, unchanged: edit.unchanged };
  }

  const baseCommit = await call(`read commit ${baseSha} of ${where}`, CONTENTS, () =>
    client.rest.git.getCommit({ owner, repo, commit_sha: baseSha }),
  );
  const tree = await call(`write the new ${options.file} to ${where}`, CONTENTS, () =>
    client.rest.git.createTree({
      owner,
      repo,
      base_tree: baseCommit.data.tree.sha,
      tree: [{ path: options.file, mode: '100644', type: 'blob', content: edit.text }],
    }),
  );
  const commit = await call(`commit to ${where}`, CONTENTS, () =>
    client.rest.git.createCommit({
      owner,
      repo,
      message: options.commitMessage,
      tree: tree.data.sha,
      parents: [baseSha],
    }),
  );
  const commitSha = commit.data.sha;
  const existing = await branchHead(client, options.repository, options.branch);
  if (existing === undefined) {
    await call(`create branch ${options.branch} in ${where}`, CONTENTS, () =>
      client.rest.git.createRef({ owner, repo, ref: `refs/heads/${options.branch}`, sha: commitSha }),
    );
  } else {
    await call(`move branch ${options.branch} of ${where}`, CONTENTS, () =>
      client.rest.git.updateRef({ owner, repo, ref: `heads/${options.branch}`, sha: commitSha, force: true }),
    );
  }

  const body = truncateBody(options.body(changes));
  const open = await call(`list the pull requests of ${where}`, CONTENTS, () =>
    client.rest.pulls.list({
      owner,
      repo,
      state: 'open',
      head: `${owner}:${options.branch}`,
      base,
      per_page: 1,
    }),
  );
  const found = open.data[0];
  let pullRequest: { number: number; url: string };
  let outcome: BumpResult['outcome'];
  if (found) {
    const updated = await call(`update pull request #${found.number} of ${where}`, CONTENTS, () =>
      client.rest.pulls.update({ owner, repo, pull_number: found.number, title: options.title, body }),
    );
    pullRequest = { number: updated.data.number, url: updated.data.html_url };
    outcome = 'updated';
  } else {
    const created = await call(`open a pull request in ${where}`, CONTENTS, () =>
      client.rest.pulls.create({ owner, repo, head: options.branch, base, title: options.title, body }),
    );
    pullRequest = { number: created.data.number, url: created.data.html_url };
    outcome = 'created';
  }
  log.info(
    `${outcome === 'created' ? 'Opened' : 'Updated'} ${where}#${pullRequest.number}: ${changes.map((c) => c.key).join(', ')} in ${options.file}.`,
  );
  return { outcome, base, changes, unchanged: edit.unchanged, pullRequest, commit: commitSha };
}

/** The file's text at `sha`; undefined when there is no such file there. */
async function readFile(client: GitHubClient, options: BumpImages, sha: string): Promise<string | undefined> {
  const { owner, repo } = options.repository;
  let data: unknown;
  try {
    data = (await client.rest.repos.getContent({ owner, repo, path: options.file, ref: sha })).data;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    return call(`read ${options.file} of ${owner}/${repo}`, CONTENTS, () => Promise.reject(error));
  }
  const file = data as { type?: string; encoding?: string; content?: string };
  if (
    Array.isArray(data) ||
    file.type !== 'file' ||
    file.encoding !== 'base64' ||
    typeof file.content !== 'string'
  ) {
    return undefined;
  }
  return Buffer.from(file.content, 'base64').toString('utf8');
}

async function branchHead(
  client: GitHubClient,
  repository: RepositoryRef,
  branch: string,
): Promise<string | undefined> {
  try {
    return (await client.rest.git.getRef({ ...repository, ref: `heads/${branch}` })).data.object.sha;
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    return call(`read branch ${branch}`, CONTENTS, () => Promise.reject(error));
  }
}

function truncateBody(body: string): string {
  if (body.length <= BODY_LIMIT) return body;
  const note =
    '\n\n…(cut: the pull request body is limited to 65536 characters; the full text is in the run summary)';
  return body.slice(0, BODY_LIMIT - note.length) + note;
}

/** A branch-safe form of an environment name. */
export function branchSlug(environment: string): string {
  return environment.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '') || 'env';
}

export interface BumpBody {
  environment: string;
  repositoryFile: string;
  changes: readonly KeyChange[];
  /** Verified signature details (Markdown or text), as verify-signature reported them. */
  signature?: string;
  /** The deploy plan (Markdown, or JSON shown as a code block). */
  plan?: string;
  source?: string;
  runUrl?: string;
}

/** The pull request's description: what moves, the verified signature, the plan. */
export function bumpBody(options: BumpBody): string {
  const lines = [
    `Moves the images of **${options.environment}** in \`${options.repositoryFile}\`. Merging this pull request deploys them.`,
    '',
    '| key | from | to |',
    '| --- | --- | --- |',
    ...options.changes.map((c) => `| \`${c.key}\` | ${c.from ? `\`${c.from}\`` : '(unset)'} | \`${c.to}\` |`),
    '',
    'Only these keys change; every other line of the file is as it was.',
  ];
  const block = (title: string, text: string | undefined): void => {
    if (!text || text.trim() === '') return;
    const trimmed = text.trim();
    const json = /^[[{]/.test(trimmed);
    lines.push('', `### ${title}`, '', json ? `\`\`\`json\n${trimmed}\n\`\`\`` : trimmed);
  };
  block('Verified signature', options.signature);
  block('Plan', options.plan);
  const from = [options.source && `from ${options.source}`, options.runUrl && `run ${options.runUrl}`].filter(
    Boolean,
  );
  if (from.length > 0) lines.push('', `<sub>Opened by deploy-actions bump-images, ${from.join(', ')}.</sub>`);
  return `${lines.join('\n')}\n`;
}
