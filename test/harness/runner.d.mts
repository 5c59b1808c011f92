// Types of runner.mjs (the runner emulation the tests, the demo and the benchmarks share).

export declare const repoRoot: string;

/** The Node runtime the bundles run on, and the version it reports. */
export interface ActionNode {
  path: string;
  /** `process.version` of that binary, e.g. `v24.22.3`. */
  version: string;
  /** Where the choice came from. */
  source: 'ACTION_NODE' | 'lab' | 'this process';
}

/** The major version action.yml's `runs.using: node24` means. */
export declare const ACTION_NODE_MAJOR: 24;
/** Where test/lab/up.sh installs Node 24. */
export declare const LAB_NODE24: string;

export declare function actionNode(): ActionNode;

export declare function actionDefaults(
  name: string,
  env?: Record<string, string | undefined>,
): Record<string, string>;

/** True when action.yml declares a `post:` entry. */
export declare function hasPost(name: string): boolean;

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface ActionRun {
  /** The action (dist/<name>). */
  name: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  /** Variables the step exported through $GITHUB_ENV. */
  exportedEnv: Record<string, string>;
  /** State saved for the post step (what the runner passes as STATE_<name>). */
  state: Record<string, string>;
  summary: string;
  annotations: Annotation[];
  /** Values registered with ::add-mask:: (the runner would hide them). */
  masked: string[];
  /** The runner's files and folders for this step, for tests that look further. */
  dirs: { runnerTemp: string; workspace: string; files: string };
  durationMs: number;
  /** The Node version that ran the bundle (see actionNode()). */
  nodeVersion: string;
}

export interface RunOptions {
  /** Inputs by their action.yml names (hyphens kept), as `with:` gives them. */
  inputs?: Record<string, string | number | boolean>;
  /** Extra environment (e.g. GITHUB_EVENT_NAME). The parent's PATH and HOME are kept. */
  env?: Record<string, string>;
  /** Working directory and GITHUB_WORKSPACE; a fresh temp dir by default. */
  workspace?: string;
  /** RUNNER_TEMP; a fresh temp dir by default (reused by runPost()). */
  runnerTemp?: string;
  /** Kill the step after this long (the run rejects with what it printed). */
  timeoutMs?: number;
  /** Run the bundle as the post step with this saved state. */
  state?: Record<string, string>;
  /** stdin for the process; closed by default. */
  stdin?: string;
  /** false: do not apply action.yml's input defaults (the runner always does). */
  defaults?: boolean;
  /**
   * Cancel the step as the runner does: send `signal` (SIGINT first, then SIGTERM) to the
   * process once its stdout matches `when`; `exitCode` is then what the process exits with.
   */
  cancel?: { when: RegExp; signal: NodeJS.Signals };
}

/** One step set up as the runner would, not started yet (see runner.mjs). */
export interface PreparedStep {
  /** Node 24 and the bundle. */
  argv: [string, string];
  cwd: string;
  env: Record<string, string | undefined>;
  /** What the step wrote to the runner's files. */
  collect(): {
    outputs: Record<string, string>;
    exportedEnv: Record<string, string>;
    stateFile: Record<string, string>;
    summary: string;
    dirs: { runnerTemp: string; workspace: string; files: string };
  };
}

export declare function prepareStep(name: string, options?: RunOptions): PreparedStep;
export declare function runAction(name: string, options?: RunOptions): Promise<ActionRun>;
export declare function runPost(name: string, main: ActionRun, options?: RunOptions): Promise<ActionRun>;
export declare function parseFileCommand(text: string): Record<string, string>;
export declare function parseWorkflowCommands(stdout: string): {
  annotations: Annotation[];
  masked: string[];
  state: Record<string, string>;
};
export declare function visibleText(run: ActionRun): string;
