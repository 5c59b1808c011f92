import { readFileSync } from 'node:fs';
import { errorMessage, UserError, type Logger } from '@deploy-actions/action-kit';
import { git, runGit } from './git.js';

export type ScanMode = 'auto' | 'diff' | 'history' | 'tree';

const ZERO_SHA = /^0+$/;

/** What to scan, decided from the mode, the inputs and the event. */
export type ScanTarget =
  | { kind: 'tree'; reason: string }
  | { kind: 'nothing'; reason: string }
  | {
      kind: 'commits';
      /** git log arguments selecting the commits. */
      revisions: string[];
      base?: string;
      head: string;
      description: string;
      /** Commits the event says the range holds (a PR's `commits`); fewer read is an error. */
      expectedCommits?: number;
      /** A new branch: every commit its default branch (or `base_ref`) lacks. */
      newBranch?: string;
      /** The branch a new branch is compared with, when the event names it. */
      compareBranch?: string;
      /** A pull request: config and ignore files come from the base commit, not from the PR. */
      pullRequest?: boolean;
    };

export interface RangeRequest {
  mode: ScanMode;
  base?: string;
  head?: string;
  eventName?: string;
  eventPath?: string;
}

interface EventPayload {
  pull_request?: { base?: { sha?: string }; head?: { sha?: string }; commits?: number; number?: number };
  before?: string;
  after?: string;
  ref?: string;
  created?: boolean;
  deleted?: boolean;
  base_ref?: string | null;
  repository?: { default_branch?: string };
  merge_group?: { base_sha?: string; head_sha?: string };
}

function readEventPayload(eventPath: string | undefined): EventPayload {
  if (!eventPath) return {};
  try {
    return JSON.parse(readFileSync(eventPath, 'utf8')) as EventPayload;
  } catch (error) {
    throw new UserError(
      'event-unreadable',
      `Could not read the event payload at ${eventPath} (GITHUB_EVENT_PATH): ${errorMessage(error)}`,
    );
  }
}

/** The base and head the event names, if any: for validating `diff` up front. */
export function eventRange(request: RangeRequest): { base?: string; head?: string } {
  const event = readEventPayload(request.eventPath);
  if (event.pull_request) return { base: event.pull_request.base?.sha, head: event.pull_request.head?.sha };
  if (event.after !== undefined)
    return {
      base: event.before && !ZERO_SHA.test(event.before) ? event.before : undefined,
      head: event.after,
    };
  return {};
}

/**
 * Decides the commits (or the tree) to scan. `auto` follows the event: on a pull
 * request every commit from its base to its head (however many: the payload's
 * commit list is never used, it stops at a few); on a push the pushed range, or
 * for a new branch the commits no other remote branch has.
 */
export function resolveTarget(request: RangeRequest): ScanTarget {
  const { mode } = request;
  if (mode === 'tree') return { kind: 'tree', reason: 'mode: tree' };
  if (mode === 'history') {
    const head = request.head ?? 'HEAD';
    return { kind: 'commits', revisions: [head], head, description: `every commit reachable from ${head}` };
  }
  const event = readEventPayload(request.eventPath);
  const name = request.eventName ?? '';
  if (request.base || (mode === 'diff' && request.head)) {
    const head = request.head ?? 'HEAD';
    if (!request.base)
      throw new UserError(
        'invalid-input',
        "Input 'base': diff mode needs a base commit (or run on a pull_request or push event).",
      );
    return {
      kind: 'commits',
      revisions: [`${request.base}..${head}`],
      base: request.base,
      head,
      description: `${request.base}..${head}`,
    };
  }
  if (event.pull_request && /^pull_request/.test(name || 'pull_request')) {
    const base = event.pull_request.base?.sha;
    const head = request.head ?? event.pull_request.head?.sha;
    if (!base || !head)
      throw new UserError(
        'event-unreadable',
        'The pull_request payload has no base.sha or head.sha; set the base and head inputs.',
      );
    return {
      kind: 'commits',
      revisions: [`${base}..${head}`],
      base,
      head,
      description: `pull request${event.pull_request.number ? ` #${event.pull_request.number}` : ''} ${short(base)}..${short(head)}`,
      expectedCommits: event.pull_request.commits,
      pullRequest: true,
    };
  }
  if (event.merge_group?.base_sha && event.merge_group.head_sha) {
    const { base_sha: base, head_sha: head } = event.merge_group;
    return {
      kind: 'commits',
      revisions: [`${base}..${head}`],
      base,
      head,
      description: `merge queue ${short(base)}..${short(head)}`,
    };
  }
  if (event.after !== undefined && (name === 'push' || name === '')) {
    if (event.deleted || ZERO_SHA.test(event.after))
      return { kind: 'nothing', reason: 'the push deleted a branch: no content to scan' };
    const head = request.head ?? event.after;
    if (event.before && !ZERO_SHA.test(event.before)) {
      return {
        kind: 'commits',
        revisions: [`${event.before}..${head}`],
        base: event.before,
        head,
        description: `push ${short(event.before)}..${short(head)}`,
      };
    }
    const branch = (event.ref ?? '').replace(/^refs\/heads\//, '');
    const compare =
      (event.base_ref ?? '').replace(/^refs\/heads\//, '') || event.repository?.default_branch || undefined;
    return {
      kind: 'commits',
      revisions: [head],
      head,
      description: `new branch ${branch || head}`,
      newBranch: branch,
      compareBranch: compare,
    };
  }
  if (mode === 'diff')
    throw new UserError(
      'invalid-input',
      `Input 'base': diff mode needs a base commit; the ${name || 'current'} event names none.`,
    );
  return { kind: 'tree', reason: `the ${name || 'current'} event has no commit range` };
}

/** The remote's default branch (its HEAD), from the remote-tracking ref or by asking the remote. */
async function remoteDefaultBranch(cwd: string, remote: string): Promise<string | undefined> {
  const local = await runGit(cwd, ['symbolic-ref', '--short', `refs/remotes/${remote}/HEAD`]);
  if (local.code === 0 && local.stdout.trim()) return local.stdout.trim().slice(remote.length + 1);
  const asked = await runGit(cwd, ['ls-remote', '--symref', remote, 'HEAD']);
  const m = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(asked.stdout);
  return m?.[1];
}

function short(sha: string): string {
  return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha;
}

async function hasCommit(cwd: string, rev: string): Promise<boolean> {
  return (await runGit(cwd, ['cat-file', '-e', `${rev}^{commit}`])).code === 0;
}

/** The shallow file's boundary commits (none when the clone is not shallow). */
function shallowBoundaries(cwd: string, shallowFile: string): Set<string> {
  try {
    return new Set(
      readFileSync(shallowFile.startsWith('/') ? shallowFile : `${cwd}/${shallowFile}`, 'utf8')
        .split('\n')
        .filter(Boolean),
    );
  } catch {
    return new Set();
  }
}

/** Commits of the range whose parents a shallow clone cut off: the range cannot be read whole. */
async function cutCommits(cwd: string, shallowFile: string, revisions: readonly string[]): Promise<number> {
  const boundaries = shallowBoundaries(cwd, shallowFile);
  if (boundaries.size === 0) return 0;
  const listed = await runGit(cwd, ['rev-list', ...revisions]);
  if (listed.code !== 0) return 1;
  return listed.stdout.split('\n').filter((sha) => boundaries.has(sha)).length;
}

async function fetchQuietly(cwd: string, args: string[], log: Logger): Promise<boolean> {
  const result = await runGit(cwd, ['fetch', '--no-tags', '--quiet', ...args]);
  if (result.code !== 0) log.debug(`git fetch ${args.join(' ')} failed: ${result.stderr.trim()}`);
  return result.code === 0;
}

/**
 * Makes sure every commit of the range is in the clone: fetches base and head
 * when missing, deepens a shallow clone step by step (then unshallows) until no
 * commit of the range has cut-off parents, and fails rather than scan less.
 * Resolves to the repository's git directory (absolute), where `git log -p` can run
 * without a working tree (see streamAddedLines), or to `cwd` where git refuses that.
 */
export async function ensureRangeReadable(
  cwd: string,
  target: Extract<ScanTarget, { kind: 'commits' }>,
  log: Logger,
): Promise<string> {
  // One git for what the checks need (a git is a few ms to start, and the scan's own
  // `git log -p` waits for these); whether base and head are there is asked meanwhile.
  const [inside, ...present] = await Promise.all([
    runGit(cwd, [
      'rev-parse',
      '--is-inside-work-tree',
      '--is-shallow-repository',
      '--git-path',
      'shallow',
      '--absolute-git-dir',
    ]),
    ...[target.base, target.head].map((rev) => (rev ? hasCommit(cwd, rev) : Promise.resolve(true))),
  ]);
  const [, shallowAtStart, shallowFile = 'shallow', gitDir = ''] = inside.stdout.split('\n');
  if (inside.code !== 0) {
    throw new UserError(
      'not-a-repository',
      `${cwd} is not a git repository, so commits cannot be scanned. Check out the repository first, or use mode: tree.`,
    );
  }
  // Entered as a bare repository, git checks the git directory's own path against
  // safe.directory (a container job's checkout lists the working tree's) and honours
  // safe.bareRepository=explicit: the git directory is used only where git accepts it.
  const bareAccepted = gitDir
    ? runGit(gitDir, ['-c', 'core.bare=true', 'rev-parse', '--git-dir']).then((r) => r.code === 0)
    : Promise.resolve(false);
  let remoteName: string | undefined;
  const remoteOf = async (): Promise<string> =>
    (remoteName ??= (await runGit(cwd, ['remote'])).stdout.split('\n')[0]?.trim() || 'origin');
  // A fetch of base or head (--depth) can make the clone shallow: then ask git again.
  let fetched = false;
  const isShallow = async (): Promise<boolean> =>
    fetched
      ? (await git(cwd, ['rev-parse', '--is-shallow-repository'])).trim() === 'true'
      : shallowAtStart === 'true';
  for (const [i, rev] of [target.base, target.head].entries()) {
    if (!rev || present[i]) continue;
    const remote = await remoteOf();
    fetched = true;
    log.info(`Fetching ${rev}, which the checkout does not have.`);
    await fetchQuietly(cwd, ['--depth=50', remote, rev], log);
    if (!(await hasCommit(cwd, rev))) {
      throw new UserError(
        'range-unreadable',
        `Commit ${rev} is not in the clone and could not be fetched from '${remote}'. Use actions/checkout with fetch-depth: 0, or set base/head to commits that exist.`,
      );
    }
  }
  if (target.newBranch !== undefined) {
    // Which commits are new depends on every other branch: that needs full history.
    const remote = await remoteOf();
    if (await isShallow()) {
      log.info(
        'New branch on a shallow clone: fetching full history to find the commits no other branch has.',
      );
      await fetchQuietly(cwd, ['--unshallow', remote], log);
    }
    await fetchQuietly(cwd, [remote, `+refs/heads/*:refs/remotes/${remote}/*`], log);
    // What the push adds is what the default branch (or the event's base_ref) lacks. Other
    // branches are no reference: their commits may never have been scanned (a failed run,
    // two branches pushed at once), and excluding them would scan nothing.
    const compare = target.compareBranch ?? (await remoteDefaultBranch(cwd, remote));
    if (
      compare &&
      compare !== target.newBranch &&
      (await hasCommit(cwd, `refs/remotes/${remote}/${compare}`))
    ) {
      target.revisions = [target.head, '--not', `refs/remotes/${remote}/${compare}`];
      target.description = `new branch ${target.newBranch || target.head}: the commits ${compare} does not have`;
    } else {
      target.revisions = [target.head];
      target.description = `new branch ${target.newBranch || target.head}: every commit (no default branch to compare with)`;
    }
  } else if (target.kind === 'commits' && target.base === undefined && (await isShallow())) {
    log.info('Scanning history on a shallow clone: fetching the full history first.');
    await fetchQuietly(cwd, ['--unshallow', await remoteOf()], log);
  }
  for (let depth = 50; (await cutCommits(cwd, shallowFile, target.revisions)) > 0; depth *= 4) {
    const remote = await remoteOf();
    if (depth > 3200) {
      log.info('Still missing commits after deepening: fetching the full history.');
      await fetchQuietly(cwd, ['--unshallow', remote], log);
      break;
    }
    log.info(`The shallow clone cuts the range short: deepening by ${depth} commits.`);
    await fetchQuietly(cwd, [`--deepen=${depth}`, remote, target.head], log);
  }
  const cut = await cutCommits(cwd, shallowFile, target.revisions);
  if (cut > 0) {
    throw new UserError(
      'range-unreadable',
      `The clone is shallow and ${cut} commit(s) of ${target.description} have missing parents even after fetching more history. Use actions/checkout with fetch-depth: 0.`,
    );
  }
  if (target.expectedCommits !== undefined) {
    const count = Number((await git(cwd, ['rev-list', '--count', ...target.revisions])).trim());
    if (count < target.expectedCommits) {
      throw new UserError(
        'range-unreadable',
        `The pull request has ${target.expectedCommits} commits but only ${count} could be read from ${target.description}. Use actions/checkout with fetch-depth: 0.`,
      );
    }
  }
  return (await bareAccepted) ? gitDir : cwd;
}
