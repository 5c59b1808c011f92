import { performance } from 'node:perf_hooks';
import { streamAddedLines, type FileEvent, type SecondHalf } from './git.js';
import {
  committedEnvFinding,
  isCommittedEnvName,
  isDockerfileName,
  notFullyScannedFinding,
} from './hygiene.js';
import type { KeywordHits } from './keyword-index.js';
import type { SecretScanner } from './scanner.js';
import { isKeyBodyLine } from './key-body.js';
import { isPkcs12Name } from './pkcs12.js';
import { profileOf } from './tree.js';
import type { Finding, SkippedFile } from './types.js';

/**
 * Commits of a history scan: the whole range in one `git log -p` (`commits` unset), or
 * a slice of it listed by hash, the unit handed to a worker thread.
 */
export interface HistoryTask {
  kind: 'history';
  cwd: string;
  /**
   * The repository's git directory, where `git log -p` runs as in a bare repository: the
   * working tree's `.gitattributes` are then not opened for every path of every commit.
   */
  gitDir?: string;
  revisions: string[];
  commits?: string[];
  /** `git log -p` processes reading the range at once, from both ends (see streamAddedLines). */
  readers?: number;
}

/** Added lines that look like a private key's body, in a commit that did not add the BEGIN line. */
export interface KeyBody {
  commit: string;
  file: string;
  lines: Set<number>;
}

export interface HistoryResult {
  raw: Finding[];
  skipped: SkippedFile[];
  /** Files git showed as binary (or whose added lines hold a NUL): read from the blob afterwards. */
  binaries: FileEvent[];
  keyBodies: KeyBody[];
  touchedDocker: string[];
  commits: number;
  /** Bytes of `git log -p` output read. */
  logBytes: number;
  /** Bytes of added lines scanned. */
  bytes: number;
  files: number;
  /** True when the scan's budget ran out before the last commit. */
  stopped: boolean;
}

export function emptyHistoryResult(): HistoryResult {
  return {
    raw: [],
    skipped: [],
    binaries: [],
    keyBodies: [],
    touchedDocker: [],
    commits: 0,
    logBytes: 0,
    bytes: 0,
    files: 0,
    stopped: false,
  };
}

/** Scans one fragment of a commit (added lines) into `out`. */
export function scanCommitFragment(
  scanner: SecretScanner,
  out: HistoryResult,
  file: string,
  commit: string,
  data: Uint8Array,
  lineNumbers: ArrayLike<number>,
  longestLine?: number,
  hits?: KeywordHits,
): void {
  out.bytes += data.length;
  const profile = profileOf(file, data, longestLine);
  const result = scanner.scan({ file, data, commit, lineNumbers, profile, hits });
  out.raw.push(...result.findings);
  if (result.truncated) {
    out.skipped.push({
      file: `${commit.slice(0, 7)}:${file}`,
      reason: `partly scanned: ${result.truncated}`,
    });
    out.raw.push(notFullyScannedFinding(file, result.truncatedAt ?? 1, result.truncated, commit));
  }
}

const KEY_BEGIN = Buffer.from('-----BEGIN ');

/** Reads the task's commits with `git log -p` and scans every file's added lines. */
export async function scanCommits(
  scanner: SecretScanner,
  task: HistoryTask,
  deadline: number,
): Promise<HistoryResult> {
  const out = emptyHistoryResult();
  const touched = new Set<string>();
  // When two gits read the range from both ends, the second one's commits come oldest
  // first: each is scanned as it comes, into a result of its own, and they are put after
  // the first git's, newest first, at the end: the order of one git.
  const laterParts: HistoryResult[] = [];
  const laterTouched = new Set<string>();
  let laterHandlers: ReturnType<typeof handlers> | undefined;
  const first = handlers(scanner, out, touched);
  const stats = await streamAddedLines(
    task.gitDir ?? task.cwd,
    task.revisions,
    first.onFile,
    first.onEvent,
    () => performance.now() > deadline,
    task.commits,
    task.readers,
    {
      onCommit: () => {
        const part = emptyHistoryResult();
        laterParts.push(part);
        laterHandlers = handlers(scanner, part, laterTouched);
      },
      onFile: (added) => laterHandlers!.onFile(added),
      onEvent: (event) => laterHandlers!.onEvent(event),
    },
    scanner.keywordIndex,
  );
  out.commits = stats.commits;
  out.logBytes = stats.bytes;
  out.stopped = stats.stopped;
  out.touchedDocker = [...touched];
  if (stats.second) {
    const later = emptyHistoryResult();
    for (let i = laterParts.length - 1; i >= 0; i--) mergeHistoryResult(later, laterParts[i]!);
    later.commits = stats.second.commits;
    later.logBytes = stats.second.bytes;
    later.touchedDocker = [...laterTouched];
    mergeHistoryResult(out, later);
  }
  return out;
}

/** The callbacks that scan a file's added lines (and note its binary or renamed files) into `out`. */
function handlers(
  scanner: SecretScanner,
  out: HistoryResult,
  touched: Set<string>,
): Omit<SecondHalf, 'onCommit'> {
  let lastFile = '';
  return {
    onFile: (added) => {
      // A file's added lines come in one piece, or several pieces in a row (see FLUSH_BYTES).
      const key = `${added.commit}:${added.file}`;
      if (key !== lastFile) {
        lastFile = key;
        out.files++;
        if (added.newFile && isCommittedEnvName(added.file))
          out.raw.push(committedEnvFinding(added.file, added.commit));
      }
      if (isDockerfileName(added.file) || added.file.endsWith('.dockerignore')) touched.add(added.file);
      if (scanner.isPathAllowed(added.file)) return;
      // A `.p12` / `.pfx` is judged from its blob (a PKCS#12 key bundle is a finding of its own).
      if (added.data.indexOf(0) !== -1 || isPkcs12Name(added.file)) {
        const last = out.binaries[out.binaries.length - 1];
        if (last?.commit !== added.commit || last.file !== added.file)
          out.binaries.push({ kind: 'binary', commit: added.commit, file: added.file });
        return;
      }
      // The reader already picked the lines that look like a key's body, as it copied them.
      if (added.keyBodyLines.length > 0 && added.data.indexOf(KEY_BEGIN) === -1) {
        const lines = new Set<number>();
        for (const i of added.keyBodyLines) lines.add(added.lineNumbers[i]!);
        addKeyBody(out.keyBodies, added.commit, added.file, lines);
      }
      scanCommitFragment(
        scanner,
        out,
        added.file,
        added.commit,
        added.data,
        added.lineNumbers,
        added.longestLine,
        added.hits,
      );
    },
    onEvent: (event) => {
      if (event.kind === 'renamed') {
        if (isCommittedEnvName(event.file)) out.raw.push(committedEnvFinding(event.file, event.commit));
      } else if (!scanner.isPathAllowed(event.file)) out.binaries.push(event);
    },
  };
}

/** Appends `part` (the next slice of the same range) to `into`. */
export function mergeHistoryResult(into: HistoryResult, part: HistoryResult): void {
  into.raw.push(...part.raw);
  into.skipped.push(...part.skipped);
  into.binaries.push(...part.binaries);
  for (const body of part.keyBodies) addKeyBody(into.keyBodies, body.commit, body.file, body.lines);
  for (const file of part.touchedDocker)
    if (!into.touchedDocker.includes(file)) into.touchedDocker.push(file);
  into.commits += part.commits;
  into.logBytes += part.logBytes;
  into.bytes += part.bytes;
  into.files += part.files;
  into.stopped ||= part.stopped;
}

/**
 * Remembers added lines that look like a key's body (isKeyBodyLine) when the BEGIN line
 * was not among them.
 */
export function noteKeyBody(
  commit: string,
  file: string,
  data: Uint8Array,
  numbers: ArrayLike<number>,
  out: KeyBody[],
): void {
  const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
  if (buf.indexOf(KEY_BEGIN) !== -1) return;
  let body: Set<number> | undefined;
  for (let start = 0, i = 0; start <= buf.length; i++) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    if (isKeyBodyLine(buf, start, end)) (body ??= new Set()).add(numbers[i]!);
    start = end + 1;
  }
  if (body) addKeyBody(out, commit, file, body);
}

function addKeyBody(out: KeyBody[], commit: string, file: string, lines: Set<number>): void {
  const known = out.find((c) => c.commit === commit && c.file === file);
  if (known) for (const n of lines) known.lines.add(n);
  else out.push({ commit, file, lines: new Set(lines) });
}
