import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { errorMessage, UserError } from '@deploy-actions/action-kit';
import { defaultRuleSet, loadGitleaksConfig } from './gitleaks-config.js';
import { scanCommits, type HistoryResult, type HistoryTask } from './history.js';
import { builtinRules } from './rules/builtin.js';
import { SecretScanner, type ScanLimits } from './scanner.js';
import { scanTreeFiles, type TreeResult, type TreeTask } from './tree.js';

/**
 * Worker threads for the scan: files of a tree, or slices of a history (each worker
 * runs its own `git log -p` on its commits). A worker builds the same scanner as the
 * main thread from the same config text, and runs tasks in the same code as the
 * single-threaded path, so the findings are the same; the main thread puts the
 * results back in task order.
 *
 * The scan's time budget holds through termination: workers stop by themselves at the
 * deadline (as the single-threaded scan does), and any still running a moment later
 * (a regex that never returns) are terminated; their tasks count as not scanned.
 */

export type ScanTask = TreeTask | HistoryTask;
export type TaskResult<T extends ScanTask> = T extends TreeTask ? TreeResult : HistoryResult;

/** What a worker needs to build the scanner: the config as read by the main thread. */
export interface ScannerSetup {
  /** The config file loaded (absolute), with the text of every file read for it (`[extend] path`). */
  config?: { file: string; texts: [string, string][] };
  limits: Partial<Omit<ScanLimits, 'deadline'>>;
  /** The deadline as a wall-clock time (`performance.timeOrigin` differs between threads). */
  deadlineEpoch: number;
}

const MARK = 'deploy-actions/secret-scan worker';
/** How long past the deadline a worker may take to stop by itself before it is terminated. */
const GRACE_MS = 500;

let configuredEntry: URL | undefined;

/**
 * The script a worker thread runs. A bundle (one file) names itself: its entry point
 * starts the worker when `isScanWorker()` is true. Otherwise the compiled package's
 * scan-worker.js (from the TypeScript sources, as in the unit tests: the one in lib/).
 */
export function setScanWorkerEntry(url: URL): void {
  configuredEntry = url;
}

export function scanWorkerEntry(): URL | undefined {
  if (configuredEntry) return configuredEntry;
  // Names built at run time, so a bundler does not take them for assets to copy.
  for (const name of ['scan-worker', '../lib/scan-worker']) {
    const url = new URL(`${name}.js`, import.meta.url);
    if (url.protocol === 'file:' && existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

/** Threads to use when the caller does not say: the cores, at most 4, and 1 without a worker script. */
export function defaultThreads(): number {
  return scanWorkerEntry() ? Math.min(4, availableParallelism()) : 1;
}

export function isScanWorker(): boolean {
  return !isMainThread && (workerData as { mark?: string } | null)?.mark === MARK;
}

export function buildScanner(setup: ScannerSetup, deadline: number): SecretScanner {
  let ruleSet = defaultRuleSet();
  if (setup.config) {
    const texts = new Map(setup.config.texts);
    ruleSet = loadGitleaksConfig(setup.config.file, new Set(), (p) => {
      const text = texts.get(p);
      if (text === undefined) throw new Error('not read by the main thread');
      return text;
    });
  }
  return new SecretScanner(ruleSet, { ...setup.limits, deadline }, new Set(builtinRules().map((r) => r.id)));
}

export function runTask(
  scanner: SecretScanner,
  task: ScanTask,
  deadline: number,
): Promise<TreeResult | HistoryResult> {
  return task.kind === 'tree'
    ? Promise.resolve(scanTreeFiles(scanner, task, deadline))
    : scanCommits(scanner, task, deadline);
}

/** The worker side: builds the scanner once, then runs the tasks it is sent, one at a time. */
export function startScanWorker(): void {
  const { setup } = workerData as { setup: ScannerSetup };
  const deadline = setup.deadlineEpoch - performance.timeOrigin;
  const scanner = buildScanner(setup, deadline);
  const port = parentPort!;
  port.on('message', (message: { id: number; task: ScanTask }) => {
    runTask(scanner, message.task, deadline).then(
      (result) => port.postMessage({ id: message.id, result }),
      (error: unknown) =>
        port.postMessage({
          id: message.id,
          error: { code: error instanceof UserError ? error.code : undefined, message: errorMessage(error) },
        }),
    );
  });
}

/**
 * Runs the tasks on `threads` workers, each taking the next task when done with one.
 * Results come back in task order; a task not run or not finished by the deadline
 * (plus a short grace) is `undefined`.
 */
export function runTasksInWorkers<T extends ScanTask>(
  entry: URL,
  tasks: readonly T[],
  threads: number,
  setup: ScannerSetup,
  deadline: number,
): Promise<(TaskResult<T> | undefined)[]> {
  const results: (TaskResult<T> | undefined)[] = new Array<TaskResult<T> | undefined>(tasks.length);
  return new Promise((resolve, reject) => {
    const workers: Worker[] = [];
    let next = 0;
    let running = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      if (timer) clearTimeout(timer);
      for (const w of workers) void w.terminate();
      if (error) reject(error);
      else resolve(results);
    };
    const feed = (worker: Worker): void => {
      if (next < tasks.length && performance.now() <= deadline) {
        const id = next++;
        running++;
        worker.postMessage({ id, task: tasks[id] });
      } else if (running === 0) finish();
    };
    if (Number.isFinite(deadline)) {
      timer = setTimeout(() => finish(), Math.max(0, deadline - performance.now()) + GRACE_MS);
    }
    const count = Math.max(1, Math.min(threads, tasks.length));
    // Nothing to start once past the deadline (or with nothing to do).
    if (tasks.length === 0 || performance.now() > deadline) {
      finish();
      return;
    }
    for (let i = 0; i < count && !settled; i++) {
      const worker = new Worker(entry, { workerData: { mark: MARK, setup }, stdout: false, stderr: false });
      workers.push(worker);
      worker.on(
        'message',
        (message: { id: number; result?: TaskResult<T>; error?: { code?: string; message: string } }) => {
          running--;
          if (message.error) {
            const { code, message: text } = message.error;
            finish(code ? new UserError(code, text) : new Error(`a scan worker failed: ${text}`));
            return;
          }
          results[message.id] = message.result;
          feed(worker);
        },
      );
      worker.on('error', (error) => finish(new Error(`a scan worker failed: ${errorMessage(error)}`)));
      worker.on('exit', (code) => {
        if (!settled) finish(new Error(`a scan worker exited with code ${code} before the scan ended`));
      });
      feed(worker);
    }
  });
}
