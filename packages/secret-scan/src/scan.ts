import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '@deploy-actions/action-kit';
import { AcceptedFindings } from './accepted.js';
import { skipReasonForContent, skipReasonForName } from './file-filter.js';
import { defaultRuleSet, loadGitleaksConfig } from './gitleaks-config.js';
import { git, runGit, streamAddedLines } from './git.js';
import { committedEnvFinding, dockerContextFinding, isCommittedEnvName, isDockerfileName } from './hygiene.js';
import { ensureRangeReadable, resolveTarget, type ScanMode } from './range.js';
import { builtinRules } from './rules/builtin.js';
import { SecretScanner, type ScanLimits } from './scanner.js';
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
}

const IGNORE_FILES = ['.gitleaksignore', '.secretscanignore'];

/** Loads the rules: the given config, else `<path>/.gitleaks.toml`, else the built-in pack. */
export function loadRules(path: string, configFile?: string): { ruleSet: RuleSet; configFile?: string } {
  const file = configFile ?? (existsSync(join(path, '.gitleaks.toml')) ? join(path, '.gitleaks.toml') : undefined);
  return file ? { ruleSet: loadGitleaksConfig(file), configFile: file } : { ruleSet: defaultRuleSet() };
}

export async function runSecretScan(options: SecretScanOptions, log: Logger): Promise<SecretScanResult> {
  const started = performance.now();
  const { ruleSet, configFile } = loadRules(options.path, options.configFile);
  const accepted = new AcceptedFindings();
  for (const name of IGNORE_FILES) {
    const file = join(options.path, name);
    if (existsSync(file)) accepted.addIgnoreFile(readFileSync(file, 'utf8'));
  }
  if (options.baselineFile) accepted.addBaseline(options.baselineFile);
  const scanner = new SecretScanner(ruleSet, options.limits, new Set(builtinRules().map((r) => r.id)));
  const maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
  const target = resolveTarget(options);
  const raw: Finding[] = [];
  const skipped: SkippedFile[] = [];
  const stats = { files: 0, bytes: 0, commits: 0, durationMs: 0 };
  let description: string;

  if (target.kind === 'nothing') {
    description = target.reason;
  } else if (target.kind === 'tree') {
    description = `the files in ${options.displayPath ?? options.path} (${target.reason})`;
    const { files, tracked } = await listTreeFiles(options.path);
    const reader = new FileReader();
    const excluded = new Set((options.excludeFiles ?? []).map((f) => resolve(f)));
    await log.group(`Scanning ${files.length} files with ${scanner.ruleCount} rules`, async () => {
      for (const file of files) {
        const abs = join(options.path, file);
        if (scanner.isPathAllowed(file) || (excluded.size > 0 && excluded.has(resolve(abs)))) continue;
        let size: number;
        try {
          const st = lstatSync(abs);
          if (!st.isFile()) continue;
          size = st.size;
        } catch {
          continue;
        }
        if (isCommittedEnvName(file) && (tracked === undefined || tracked.has(file))) raw.push(committedEnvFinding(file));
        const byName = skipReasonForName(file, size, maxFileBytes);
        if (byName) {
          skipped.push({ file, reason: byName });
          continue;
        }
        const data = reader.read(abs, size);
        const byContent = skipReasonForContent(file, data);
        if (byContent) {
          skipped.push({ file, reason: byContent });
          continue;
        }
        stats.files++;
        stats.bytes += data.length;
        const result = scanner.scan({ file, data });
        raw.push(...result.findings);
        if (result.truncated) skipped.push({ file, reason: `partly scanned: ${result.truncated}` });
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
    });
  } else {
    await ensureRangeReadable(options.path, target, log);
    description = target.description;
    const touchedDocker = new Set<string>();
    await log.group(`Scanning ${target.description} with ${scanner.ruleCount} rules`, async () => {
      const seenFiles = new Set<string>();
      const logStats = await streamAddedLines(options.path, target.revisions, (added) => {
        if (!seenFiles.has(`${added.commit}:${added.file}`)) {
          seenFiles.add(`${added.commit}:${added.file}`);
          stats.files++;
          if (added.newFile && isCommittedEnvName(added.file)) raw.push(committedEnvFinding(added.file, added.commit));
        }
        if (isDockerfileName(added.file) || added.file.endsWith('.dockerignore')) touchedDocker.add(added.file);
        if (scanner.isPathAllowed(added.file)) return;
        const reason = skipReasonForName(added.file, 0, Infinity);
        if (reason) return;
        const data = Buffer.from(added.lines.join('\n'), 'utf8');
        stats.bytes += data.length;
        const result = scanner.scan({ file: added.file, data, commit: added.commit, lineNumbers: added.lineNumbers });
        raw.push(...result.findings);
        if (result.truncated) skipped.push({ file: `${added.commit.slice(0, 7)}:${added.file}`, reason: `partly scanned: ${result.truncated}` });
      });
      stats.commits = logStats.commits;
      log.info(`Read ${stats.commits} commits (${formatBytes(logStats.bytes)} of patches).`);
    });
    if (touchedDocker.size > 0) raw.push(...(await dockerFindingsAt(options.path, target.head, touchedDocker)));
  }

  const findings: Finding[] = [];
  let acceptedCount = 0;
  for (const f of raw) {
    if (accepted.has(f)) acceptedCount++;
    else findings.push(f);
  }
  stats.durationMs = Math.round(performance.now() - started);
  return { mode: options.mode, target: description, findings, accepted: acceptedCount, skipped, stats, ruleSet, configFile };
}

async function listTreeFiles(root: string): Promise<{ files: string[]; tracked?: Set<string> }> {
  const inside = await runGit(root, ['rev-parse', '--show-prefix']);
  if (inside.code === 0 && existsSync(root)) {
    const all = await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', '.']);
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
      if (!contents.has(p) && cache.has(p)) contents.set(p, (await runGit(cwd, ['show', `${head}:${p}`])).stdout);
    }
    const finding = dockerContextFinding(file, read, head);
    if (finding) findings.push(finding);
  }
  return findings;
}

/** Reads files into one reused buffer: a tree scan would otherwise allocate (and collect) its whole size. */
class FileReader {
  private buffer = Buffer.allocUnsafe(1024 * 1024);

  read(path: string, size: number): Buffer {
    if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    const fd = openSync(path, 'r');
    try {
      let total = 0;
      for (let n = -1; n !== 0 && total < size; total += n) n = readSync(fd, this.buffer, total, size - total, total);
      return this.buffer.subarray(0, total);
    } finally {
      closeSync(fd);
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
