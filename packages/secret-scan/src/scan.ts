import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@deploy-actions/action-kit';
import { AcceptedFindings } from './accepted.js';
import { classifyContent } from './content.js';
import { pkcs12Finding } from './pkcs12.js';
import { skipReasonForSize } from './file-filter.js';
import { defaultRuleSet, loadGitleaksConfig } from './gitleaks-config.js';
import { git, readBlob, runGit } from './git.js';
import {
  emptyHistoryResult,
  mergeHistoryResult,
  noteKeyBody,
  scanCommitFragment,
  scanCommits,
  type HistoryTask,
} from './history.js';
import {
  configChangedFinding,
  dockerContextFinding,
  isDockerfileName,
  notFullyScannedFinding,
  UNACCEPTABLE_RULES,
} from './hygiene.js';
import { ensureRangeReadable, resolveTarget, type ScanMode } from './range.js';
import { builtinRules } from './rules/builtin.js';
import { defaultThreads, runTasksInWorkers, scanWorkerEntry, type ScannerSetup } from './pool.js';
import { SecretScanner, type ScanLimits } from './scanner.js';
import { scanTreeFiles, type TreeTask } from './tree.js';
import type { Finding, RuleSet, SkippedFile } from './types.js';

export interface SecretScanOptions {
  /** Directory (or repository) to scan; finding paths are relative to it. */
  path: string;
  mode: ScanMode;
  base?: string;
  head?: string;
  eventName?: string;
  eventPath?: string;
  /** A gitleaks-compatible config; `<path>/.gitleaks.toml` is used when this is unset and that file exists. */
  configFile?: string;
  baselineFile?: string;
  limits?: Partial<ScanLimits>;
  maxFileBytes?: number;
  /** How `path` is named in messages (the input as the user wrote it). */
  displayPath?: string;
  /** Absolute paths never scanned: the action's own reports and baseline, which describe findings. */
  excludeFiles?: readonly string[];
  /** The whole scan's time budget; what is left unscanned when it runs out is a finding. */
  timeBudgetMs?: number;
  /**
   * Threads that scan (worker threads: files of a tree, slices of a history); 1 scans in
   * this thread. Default: the cores, at most 4, and small scans stay in this thread (a
   * worker costs more to start than it saves); set, it is used whatever the size.
   */
  threads?: number;
  /**
   * `git log -p` processes that read a history scanned in this thread: with 2, one reads
   * the range newest first while the other reads it oldest first, and each stops where
   * it meets the other (the findings come back in one git's order). Default: the cores,
   * at most 2.
   */
  gitReaders?: number;
}

export interface SecretScanResult {
  mode: ScanMode;
  /** What was scanned, in words: "pull request #4 1a2b3c4..5d6e7f8", "the working tree". */
  target: string;
  findings: Finding[];
  /** Findings left out because the baseline or an ignore file accepts them. */
  accepted: number;
  skipped: SkippedFile[];
  stats: { files: number; bytes: number; commits: number; durationMs: number };
  ruleSet: RuleSet;
  configFile?: string;
  /** Where config and ignore files came from when not the working tree (` from the base commit abc1234`). */
  settingsFrom?: string;
}

const IGNORE_FILES = ['.gitleaksignore', '.secretscanignore'];

/** Below these, worker threads cost more to start than they save. */
const PARALLEL_MIN_FILES = 256;
const PARALLEL_MIN_COMMITS = 64;
/**
 * A history scan is already two processes, `git log -p` and the scanning thread: on two
 * cores, workers (each with its own git) only add start-up and JIT work (bench: 20-60%
 * slower on this 2-core machine). From four cores on they share out git's work too.
 */
const HISTORY_MIN_CORES = 4;
/** Files per task of a tree scan, commits per task of a history scan (the unit a worker takes). */
const TREE_TASK_FILES = 64;
const HISTORY_TASK_MIN = 16;
const HISTORY_TASK_MAX = 400;

/** Reads files the scan's own settings come from: the working tree, or a commit (a pull request's base). */
type SettingsReader = { exists: (abs: string) => boolean; read: (abs: string) => string };

const workingTree: SettingsReader = {
  exists: (abs) => existsSync(abs),
  read: (abs) => readFileSync(abs, 'utf8'),
};

/** Loads the rules: the given config, else `<path>/.gitleaks.toml`, else the built-in pack. */
function loadRules(
  path: string,
  configFile?: string,
  reader: SettingsReader = workingTree,
): { ruleSet: RuleSet; configFile?: string } {
  const file =
    configFile ?? (reader.exists(join(path, '.gitleaks.toml')) ? join(path, '.gitleaks.toml') : undefined);
  return file
    ? { ruleSet: loadGitleaksConfig(file, new Set(), reader.read), configFile: file }
    : { ruleSet: defaultRuleSet() };
}

/**
 * The files a commit holds (`abs` is mapped to its path in the repository). Only
 * the files asked for are read, one `git cat-file` each: a config, its ignore
 * files and whatever `[extend] path` names.
 */
async function commitReader(cwd: string, commit: string): Promise<SettingsReader> {
  const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
  const listing = await git(cwd, ['ls-tree', '-r', '-z', '--name-only', commit]);
  const names = new Set(listing.split('\0').filter(Boolean));
  const rel = (abs: string): string => relative(top, resolve(abs)).split(sep).join('/');
  const cache = new Map<string, string>();
  return {
    exists: (abs) => names.has(rel(abs)),
    read: (abs) => {
      const name = rel(abs);
      if (!names.has(name)) throw new Error(`not in commit ${commit.slice(0, 7)}`);
      let text = cache.get(name);
      if (text === undefined) {
        text = execFileSync('git', ['cat-file', 'blob', `${commit}:${name}`], {
          cwd,
          encoding: 'utf8',
          maxBuffer: 64 * 1024 * 1024,
        });
        cache.set(name, text);
      }
      return text;
    },
  };
}

/** Paths (relative to the scan path) of the settings files that differ between two commits. */
async function changedSettingsFiles(
  cwd: string,
  base: string,
  head: string,
  files: string[],
): Promise<string[]> {
  const out = await runGit(cwd, ['diff', '--name-only', '--relative', '-z', base, head, '--', ...files]);
  return out.code === 0 ? out.stdout.split('\0').filter(Boolean) : [];
}

export async function runSecretScan(options: SecretScanOptions, log: Logger): Promise<SecretScanResult> {
  const started = performance.now();
  const deadline = started + (options.timeBudgetMs ?? Infinity);
  const target = resolveTarget(options);
  const raw: Finding[] = [];
  // In a pull request, the rules and ignore files are the base commit's: the PR's own
  // .gitleaks.toml or .gitleaksignore must not decide what its scan lets through.
  let reader = workingTree;
  let settingsFrom = '';
  let gitDir: string | undefined;
  if (target.kind === 'commits' && target.pullRequest && target.base) {
    gitDir = await ensureRangeReadable(options.path, target, log);
    reader = await commitReader(options.path, target.base);
    settingsFrom = ` from the base commit ${target.base.slice(0, 7)}`;
    const settingsFiles = ['.gitleaks.toml', ...IGNORE_FILES];
    const config = options.configFile ? relative(options.path, options.configFile) : '';
    if (config && !config.startsWith('..') && !isAbsolute(config)) settingsFiles.push(config);
    for (const file of await changedSettingsFiles(options.path, target.base, target.head, settingsFiles)) {
      raw.push(configChangedFinding(file, target.head));
    }
  }
  const configFile = options.configFile;
  // An explicit config outside the repository (or not in the base commit) is read as it is.
  const useTree = configFile !== undefined && !reader.exists(configFile);
  // Worker threads build their scanner from the same text the config was read from here.
  const configTexts = new Map<string, string>();
  const recorded = (from: SettingsReader): SettingsReader => ({
    exists: from.exists,
    read: (abs) => {
      const text = from.read(abs);
      configTexts.set(abs, text);
      return text;
    },
  });
  const { ruleSet, configFile: usedConfig } = useTree
    ? loadRules(options.path, configFile, recorded(workingTree))
    : loadRules(options.path, configFile, recorded(reader));
  const accepted = new AcceptedFindings();
  for (const name of IGNORE_FILES) {
    const file = join(options.path, name);
    if (reader.exists(file)) accepted.addIgnoreFile(reader.read(file));
  }
  if (options.baselineFile) accepted.addBaseline(options.baselineFile);
  const scanner = new SecretScanner(
    ruleSet,
    { ...options.limits, deadline },
    new Set(builtinRules().map((r) => r.id)),
  );
  const workerEntry = scanWorkerEntry();
  const threads = workerEntry ? Math.max(1, options.threads ?? defaultThreads()) : 1;
  const setup: ScannerSetup = {
    config: usedConfig ? { file: resolve(usedConfig), texts: [...configTexts] } : undefined,
    limits: { ...options.limits },
    deadlineEpoch: performance.timeOrigin + deadline,
  };
  const maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
  const skipped: SkippedFile[] = [];
  const stats = { files: 0, bytes: 0, commits: 0, durationMs: 0 };
  let description: string;
  const outOfTime = (): boolean => performance.now() > deadline;
  const budget = options.timeBudgetMs ?? 0;
  const budgetText = `the scan's time budget of ${budget < 1000 ? `${budget} ms` : `${Math.round(budget / 1000)} s`} ran out`;
  const truncatedFinding = (file: string, line: number, why: string, commit?: string): void => {
    raw.push(notFullyScannedFinding(file, line, why, commit));
  };

  if (target.kind === 'nothing') {
    description = target.reason;
  } else if (target.kind === 'tree') {
    description = `the files in ${options.displayPath ?? options.path} (${target.reason})`;
    const { files, tracked } = await listTreeFiles(options.path);
    const excluded = (options.excludeFiles ?? []).map((f) => resolve(f));
    const parallel =
      threads > 1 &&
      files.length > 0 &&
      (options.threads !== undefined || files.length >= PARALLEL_MIN_FILES);
    const per = parallel ? TREE_TASK_FILES : files.length;
    const tasks: TreeTask[] = [];
    for (let i = 0; i < files.length; i += per) {
      const slice = files.slice(i, i + per);
      tasks.push({
        kind: 'tree',
        root: options.path,
        files: slice,
        envTracked: slice.map((f) => tracked === undefined || tracked.has(f)),
        excluded,
        maxFileBytes,
      });
    }
    const threadsText = parallel ? ` on ${threads} threads` : '';
    await log.group(
      `Scanning ${files.length} files with ${scanner.ruleCount} rules${threadsText}`,
      async () => {
        const results = parallel
          ? await runTasksInWorkers(workerEntry!, tasks, threads, setup, deadline)
          : tasks.map((task) => scanTreeFiles(scanner, task, deadline));
        // Back in the order of the files, as one thread would have found them.
        let firstLeft: string | undefined;
        let left = 0;
        tasks.forEach((task, t) => {
          const result = results[t];
          if (result) {
            raw.push(...result.raw);
            skipped.push(...result.skipped);
            stats.files += result.files;
            stats.bytes += result.bytes;
          }
          const done = result?.done ?? 0;
          if (done < task.files.length) {
            firstLeft ??= task.files[done];
            left += task.files.length - done;
          }
        });
        if (firstLeft !== undefined) {
          truncatedFinding(
            firstLeft,
            1,
            `${budgetText} with ${left} file(s) not scanned, from ${firstLeft} on`,
          );
          skipped.push({ file: firstLeft, reason: `not scanned: ${budgetText} (${left} file(s) left)` });
        }
        const read = (p: string): string | undefined => {
          try {
            return readFileSync(join(options.path, p), 'utf8');
          } catch {
            return undefined;
          }
        };
        for (const file of files) {
          if (!isDockerfileName(file)) continue;
          const finding = dockerContextFinding(file, read);
          if (finding) raw.push(finding);
        }
        log.info(`Scanned ${stats.files} files (${formatBytes(stats.bytes)}); skipped ${skipped.length}.`);
      },
    );
  } else {
    if (!target.pullRequest) gitDir = await ensureRangeReadable(options.path, target, log);
    description = target.description;
    const scanFragment = (
      file: string,
      commit: string,
      data: Uint8Array,
      lineNumbers: ArrayLike<number>,
    ): void => {
      const part = emptyHistoryResult();
      scanCommitFragment(scanner, part, file, commit, data, lineNumbers);
      stats.bytes += part.bytes;
      raw.push(...part.raw);
      skipped.push(...part.skipped);
    };
    const touchedDocker = new Set<string>();
    let tasks: HistoryTask[] = [
      {
        kind: 'history',
        cwd: options.path,
        gitDir,
        revisions: target.revisions,
        readers: options.gitReaders ?? Math.min(2, availableParallelism()),
      },
    ];
    if (threads > 1 && (options.threads !== undefined || availableParallelism() >= HISTORY_MIN_CORES)) {
      // Slices of the range, each read by its own `git log -p` in a worker: git's own
      // diffing is then shared between the cores too.
      const commits = (await git(options.path, ['rev-list', ...target.revisions, '--']))
        .split('\n')
        .filter(Boolean);
      if (commits.length > 0 && (options.threads !== undefined || commits.length >= PARALLEL_MIN_COMMITS)) {
        const per = Math.min(
          HISTORY_TASK_MAX,
          Math.max(HISTORY_TASK_MIN, Math.ceil(commits.length / (threads * 8))),
        );
        tasks = [];
        for (let i = 0; i < commits.length; i += per)
          tasks.push({
            kind: 'history',
            cwd: options.path,
            gitDir,
            revisions: target.revisions,
            commits: commits.slice(i, i + per),
          });
      }
    }
    const parallel = tasks.length > 1 || tasks[0]!.commits !== undefined;
    const threadsText = parallel ? ` on ${threads} threads` : '';
    await log.group(
      `Scanning ${target.description} with ${scanner.ruleCount} rules${threadsText}`,
      async () => {
        const history = emptyHistoryResult();
        const parts = parallel
          ? await runTasksInWorkers(workerEntry!, tasks, threads, setup, deadline)
          : [await scanCommits(scanner, tasks[0]!, deadline)];
        // Back in the order of the commits, as one thread would have found them.
        for (const part of parts) {
          if (part) mergeHistoryResult(history, part);
          else history.stopped = true;
        }
        raw.push(...history.raw);
        skipped.push(...history.skipped);
        stats.bytes += history.bytes;
        stats.files += history.files;
        const { binaries, keyBodies } = history;
        for (const file of history.touchedDocker) touchedDocker.add(file);
        stats.commits = history.commits;
        if (history.stopped) {
          truncatedFinding('.', 1, `${budgetText} after ${stats.commits} commit(s) of ${target.description}`);
          skipped.push({ file: '(remaining commits)', reason: `not scanned: ${budgetText}` });
        }
        // Files git showed as binary (a NUL byte, or a `-diff` / `binary` attribute): our own
        // reading decides. UTF-16 and text with stray NULs are scanned; only binary is skipped.
        for (const event of binaries) {
          if (outOfTime()) {
            truncatedFinding(event.file, 1, `${budgetText} before this file was read`, event.commit);
            break;
          }
          const where = `${event.commit.slice(0, 7)}:${event.file}`;
          const blob = await readBlob(options.path, `${event.commit}:${event.file}`);
          if (!blob) continue;
          const keyBundle = pkcs12Finding(event.file, blob, event.commit);
          if (keyBundle) {
            raw.push(keyBundle);
            continue;
          }
          if (blob.length > maxFileBytes) {
            skipped.push({ file: where, reason: skipReasonForSize(blob.length, maxFileBytes)! });
            continue;
          }
          const content = classifyContent(blob);
          if (content.kind === 'binary') {
            skipped.push({ file: where, reason: content.reason });
            continue;
          }
          const parent = await readBlob(options.path, `${event.commit}^:${event.file}`);
          const old = parent ? classifyContent(parent) : undefined;
          const { lines, lineNumbers } = addedLinesOf(
            old?.kind === 'text' ? old.data : new Uint8Array(0),
            content.data,
          );
          if (lines.length === 0) continue;
          const data = Buffer.from(lines.join('\n'), 'utf8');
          noteKeyBody(event.commit, event.file, data, lineNumbers, keyBodies);
          scanFragment(event.file, event.commit, data, lineNumbers);
        }
        // A commit that changes only the body of a private key adds no BEGIN line: read the
        // file at that commit and scan the key blocks that hold the added lines.
        for (const candidate of keyBodies.slice(0, 500)) {
          const blob = await readBlob(options.path, `${candidate.commit}:${candidate.file}`);
          if (!blob) continue;
          const content = classifyContent(blob);
          if (content.kind !== 'text') continue;
          for (const block of privateKeyBlocks(Buffer.from(content.data).toString('utf8'))) {
            if (![...candidate.lines].some((n) => n > block.firstLine && n < block.lastLine)) continue;
            const numbers = Array.from(
              { length: block.lastLine - block.firstLine + 1 },
              (_, k) => block.firstLine + k,
            );
            scanFragment(candidate.file, candidate.commit, Buffer.from(block.text, 'utf8'), numbers);
          }
        }
        log.info(`Read ${stats.commits} commits (${formatBytes(history.logBytes)} of patches).`);
      },
    );
    if (touchedDocker.size > 0)
      raw.push(...(await dockerFindingsAt(options.path, target.head, touchedDocker)));
  }

  const findings: Finding[] = [];
  let acceptedCount = 0;
  const seen = new Set<string>();
  for (const f of raw) {
    // A key carried over a flush boundary, or a block re-read from the blob, is found twice.
    const key = `${f.commit ?? ''}\0${f.file}\0${f.line}\0${f.ruleId}\0${f.secretHash}`;
    if (seen.has(key)) continue;
    seen.add(key);
    // A partial scan or a change to the scan's own settings is never accepted by a baseline.
    if (!UNACCEPTABLE_RULES.has(f.ruleId) && accepted.has(f)) acceptedCount++;
    else findings.push(f);
  }
  stats.durationMs = Math.round(performance.now() - started);
  return {
    mode: options.mode,
    target: description,
    findings,
    accepted: acceptedCount,
    skipped,
    stats,
    ruleSet,
    configFile: usedConfig,
    settingsFrom,
  };
}

/** Private key blocks with their first and last line numbers (1-based). */
function privateKeyBlocks(text: string): { text: string; firstLine: number; lastLine: number }[] {
  const blocks: { text: string; firstLine: number; lastLine: number }[] = [];
  const re =
    /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]{0,65536}?-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const firstLine = countLines(text, m.index) + 1;
    blocks.push({ text: m[0], firstLine, lastLine: firstLine + countLines(m[0], m[0].length) });
  }
  return blocks;
}

function countLines(text: string, until: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < until; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Lines of `next` not in `prev` (as a multiset), with their line numbers: the added lines when git gave no text diff. */
function addedLinesOf(prev: Uint8Array, next: Uint8Array): { lines: string[]; lineNumbers: number[] } {
  const count = new Map<string, number>();
  for (const line of Buffer.from(prev).toString('utf8').split('\n'))
    count.set(line, (count.get(line) ?? 0) + 1);
  const lines: string[] = [];
  const lineNumbers: number[] = [];
  Buffer.from(next)
    .toString('utf8')
    .split('\n')
    .forEach((line, i) => {
      const left = count.get(line) ?? 0;
      if (left > 0) count.set(line, left - 1);
      else {
        lines.push(line.replace(/\0/g, ' '));
        lineNumbers.push(i + 1);
      }
    });
  return { lines, lineNumbers };
}

async function listTreeFiles(root: string): Promise<{ files: string[]; tracked?: Set<string> }> {
  const inside = await runGit(root, ['rev-parse', '--show-prefix']);
  if (inside.code === 0 && existsSync(root)) {
    const all = await git(root, [
      'ls-files',
      '-z',
      '--cached',
      '--others',
      '--exclude-standard',
      '--full-name',
      '--',
      '.',
    ]);
    const trackedOut = await git(root, ['ls-files', '-z', '--cached', '--', '.']);
    const prefix = inside.stdout.trim();
    const strip = (p: string): string => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
    const files = [...new Set(all.split('\0').filter(Boolean).map(strip))];
    return { files, tracked: new Set(trackedOut.split('\0').filter(Boolean)) };
  }
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === '.git') continue;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile()) files.push(relative(root, abs).split(sep).join('/'));
    }
  };
  walk(root);
  return { files };
}

async function dockerFindingsAt(cwd: string, head: string, touched: Set<string>): Promise<Finding[]> {
  const listing = await git(cwd, ['ls-tree', '-r', '--name-only', '-z', head]);
  const all = listing.split('\0').filter(Boolean);
  const dirs = new Set([...touched].map((p) => p.slice(0, p.lastIndexOf('/') + 1)));
  const cache = new Map<string, string | undefined>();
  const contents = new Map<string, string | undefined>();
  for (const p of all) cache.set(p, undefined);
  const read = (p: string): string | undefined => contents.get(p);
  const findings: Finding[] = [];
  for (const file of all) {
    if (!isDockerfileName(file) || !dirs.has(file.slice(0, file.lastIndexOf('/') + 1))) continue;
    const dir = file.slice(0, file.lastIndexOf('/') + 1);
    for (const p of [file, `${file}.dockerignore`, `${dir}.dockerignore`]) {
      if (!contents.has(p) && cache.has(p))
        contents.set(p, (await runGit(cwd, ['show', `${head}:${p}`])).stdout);
    }
    const finding = dockerContextFinding(file, read, head);
    if (finding) findings.push(finding);
  }
  return findings;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
