import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { streamAddedLines, type AddedLines, type FileEvent } from '../src/git.js';
import { ensureRangeReadable } from '../src/range.js';
import type { Logger } from '@deploy-actions/action-kit';

// `git log -p` runs in the repository's git directory (ensureRangeReadable finds it), where
// git takes the repository as bare and reads no working tree's .gitattributes.

const quiet: Logger = {
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  group: (_title, fn) => fn(),
  mask: () => undefined,
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 't',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 't',
      GIT_COMMITTER_EMAIL: 't@example.com',
    },
  }).trim();
}

function commitFile(repo: string, file: string, text: string): void {
  mkdirSync(dirname(join(repo, file)), { recursive: true });
  writeFileSync(join(repo, file), text);
  git(repo, 'add', file);
  git(repo, 'commit', '-q', '-m', `add ${file}`);
}

function newRepo(): string {
  const repo = realpathSync(mkdtempSync(join(tmpdir(), 'secret-scan-gitdir-')));
  git(repo, 'init', '-q', '-b', 'main');
  // Every file under deep/ is "binary" to git when it reads the working tree's attributes.
  commitFile(repo, '.gitattributes', 'deep/** -diff\n');
  commitFile(repo, 'deep/er/notes.txt', 'line one\nline two\n');
  return repo;
}

async function read(cwd: string): Promise<{ files: string[]; binary: string[] }> {
  const files: string[] = [];
  const binary: string[] = [];
  await streamAddedLines(
    cwd,
    ['main'],
    (added: AddedLines) => files.push(`${added.file}: ${added.data.toString()}`),
    (event: FileEvent) => {
      if (event.kind === 'binary') binary.push(event.file);
    },
  );
  return { files: files.sort(), binary };
}

describe('git log -p from the git directory', () => {
  it('ensureRangeReadable resolves to the absolute git directory', async () => {
    const repo = newRepo();
    const dir = await ensureRangeReadable(
      repo,
      { kind: 'commits', revisions: ['main'], head: 'main', description: 'main' },
      quiet,
    );
    expect(dir).toBe(join(repo, '.git'));
  });

  it("is not steered by the working tree's .gitattributes: the lines come as text", async () => {
    const repo = newRepo();
    // From the working tree, git applies `-diff` and prints no lines (the contrast that
    // shows the attributes were really not read from the git directory).
    expect(await read(repo)).toEqual({
      files: ['.gitattributes: deep/** -diff'],
      binary: ['deep/er/notes.txt'],
    });
    expect(await read(join(repo, '.git'))).toEqual({
      files: ['.gitattributes: deep/** -diff', 'deep/er/notes.txt: line one\nline two'],
      binary: [],
    });
  });

  it('reads a linked worktree from its own git directory (its HEAD, not the main one)', async () => {
    const repo = newRepo();
    const linked = join(realpathSync(mkdtempSync(join(tmpdir(), 'secret-scan-linked-'))), 'wt');
    git(repo, 'worktree', 'add', '-q', '-b', 'side', linked);
    commitFile(linked, 'side.txt', 'only on side\n');
    const dir = await ensureRangeReadable(
      linked,
      { kind: 'commits', revisions: ['HEAD'], head: 'HEAD', description: 'HEAD' },
      quiet,
    );
    expect(dir).toBe(join(repo, '.git', 'worktrees', 'wt'));
    const files: string[] = [];
    await streamAddedLines(dir, ['HEAD'], (added) => files.push(added.file));
    expect(files.sort()).toEqual(['.gitattributes', 'deep/er/notes.txt', 'side.txt']);
  });

  it('reads a submodule from its git directory (core.worktree set there) without its attributes too', async () => {
    const sub = newRepo();
    const outer = realpathSync(mkdtempSync(join(tmpdir(), 'secret-scan-outer-')));
    git(outer, 'init', '-q', '-b', 'main');
    git(outer, '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub, 'vendor/sub');
    const inside = join(outer, 'vendor/sub');
    const dir = await ensureRangeReadable(
      inside,
      { kind: 'commits', revisions: ['main'], head: 'main', description: 'main' },
      quiet,
    );
    expect(dir).toBe(join(outer, '.git', 'modules', 'vendor', 'sub'));
    // core.worktree in its config does not bring the working tree's attributes back.
    expect(await read(dir)).toEqual({
      files: ['.gitattributes: deep/** -diff', 'deep/er/notes.txt: line one\nline two'],
      binary: [],
    });
  });
});
