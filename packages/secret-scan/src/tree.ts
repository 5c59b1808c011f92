import { closeSync, lstatSync, openSync, readSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { classifyContent } from './content.js';
import {
  looksMinified,
  MINIFIED_LINE,
  profileForName,
  skipReasonForSize,
  type Profile,
} from './file-filter.js';
import { committedEnvFinding, isCommittedEnvName, notFullyScannedFinding } from './hygiene.js';
import { isPkcs12Name, pkcs12Finding } from './pkcs12.js';
import type { SecretScanner } from './scanner.js';
import type { Finding, SkippedFile } from './types.js';

/** A run of files of a tree scan: the unit handed to a worker thread (or scanned in-process). */
export interface TreeTask {
  kind: 'tree';
  root: string;
  files: string[];
  /** Per file: true when a committed-`.env` finding applies (git tracks it, or no git). */
  envTracked: boolean[];
  /** Absolute paths never scanned (the action's own reports and baseline). */
  excluded: string[];
  maxFileBytes: number;
}

export interface TreeResult {
  raw: Finding[];
  skipped: SkippedFile[];
  files: number;
  bytes: number;
  /** How many of the task's files were looked at before the scan's budget ran out. */
  done: number;
}

/** Reads files into one reused buffer: a tree scan would otherwise allocate (and collect) its whole size. */
export class FileReader {
  private buffer = Buffer.allocUnsafe(1024 * 1024);

  read(path: string, size: number): Buffer {
    if (size > this.buffer.length) this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
    const fd = openSync(path, 'r');
    try {
      let total = 0;
      for (let n = -1; n !== 0 && total < size; total += n)
        n = readSync(fd, this.buffer, total, size - total, total);
      return this.buffer.subarray(0, total);
    } finally {
      closeSync(fd);
    }
  }
}

const sharedReader = new FileReader();

/**
 * Scans the task's files in order. Stops before the first file it meets after `deadline`
 * (`performance.now()` of this thread) and says how far it got.
 */
export function scanTreeFiles(scanner: SecretScanner, task: TreeTask, deadline: number): TreeResult {
  const out: TreeResult = { raw: [], skipped: [], files: 0, bytes: 0, done: 0 };
  const excluded = new Set(task.excluded);
  const { files } = task;
  for (let i = 0; i < files.length; i++, out.done = i) {
    if (performance.now() > deadline) break;
    const file = files[i]!;
    const abs = join(task.root, file);
    if (scanner.isPathAllowed(file) || (excluded.size > 0 && excluded.has(resolve(abs)))) continue;
    let size: number;
    try {
      const st = lstatSync(abs);
      if (!st.isFile()) continue;
      size = st.size;
    } catch {
      continue;
    }
    if (task.envTracked[i] && isCommittedEnvName(file)) out.raw.push(committedEnvFinding(file));
    const bySize = skipReasonForSize(size, task.maxFileBytes);
    if (bySize) {
      out.skipped.push({ file, reason: bySize });
      continue;
    }
    if (isPkcs12Name(file)) {
      // A key bundle is a finding by itself; its bytes are not text to scan.
      const finding = pkcs12Finding(file, sharedReader.read(abs, size));
      if (finding) {
        out.raw.push(finding);
        out.files++;
        continue;
      }
    }
    // A large file is judged by its first 8000 bytes before it is read whole, so images
    // and archives cost one small read.
    const head = size > 65536 ? classifyContent(sharedReader.read(abs, 8000)) : undefined;
    const content = head?.kind === 'binary' ? head : classifyContent(sharedReader.read(abs, size));
    if (content.kind === 'binary') {
      out.skipped.push({ file, reason: content.reason });
      continue;
    }
    const data = content.data;
    out.files++;
    out.bytes += data.length;
    const result = scanner.scan({ file, data, profile: profileOf(file, data) });
    out.raw.push(...result.findings);
    if (result.truncated) {
      out.skipped.push({ file, reason: `partly scanned: ${result.truncated}` });
      out.raw.push(notFullyScannedFinding(file, result.truncatedAt ?? 1, result.truncated));
    }
  }
  return out;
}

/**
 * Generated text (lock files, bundles, source maps) gets the exact-format rules only.
 * `longestLine`, when the caller knows it: with no line over MINIFIED_LINE bytes the text
 * cannot look minified, and the pass over its lines is skipped.
 */
export function profileOf(file: string, data: Uint8Array, longestLine?: number): Profile {
  const byName = profileForName(file);
  if (byName === 'exact') return 'exact';
  if (longestLine !== undefined && longestLine <= MINIFIED_LINE) return 'all';
  return looksMinified(file, data) ? 'exact' : 'all';
}
