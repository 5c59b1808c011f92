import * as runner from './runner-commands.js';
import { errorMessage, InputError, isUserError } from './errors.js';
import { InputReader } from './inputs.js';
import { maskSecret, runnerLogger, type Logger } from './logger.js';
import { SummaryBuilder } from './summary.js';

/** What an action's main or post step gets from the runner. */
export interface ActionContext {
  inputs: InputReader;
  log: Logger;
  /** Written to $GITHUB_STEP_SUMMARY when the step ends, whether it passed or failed. */
  summary: SummaryBuilder;
  setOutput(name: string, value: string | number | boolean): void;
  /** Saved for the post step (STATE_<name> there). */
  saveState(name: string, value: string): void;
  getState(name: string): string;
  /** Sets an environment variable for this and later steps ($GITHUB_ENV). */
  exportVariable(name: string, value: string): void;
  env: NodeJS.ProcessEnv;
  /**
   * Aborted when the job is cancelled (the runner sends SIGINT, then SIGTERM, to the step's
   * process) — only for an action that sets `cancellable`; for others a signal ends the process.
   */
  cancelled: AbortSignal;
}

export interface ActionDefinition {
  /** The action's name, used in messages. */
  name: string;
  main(ctx: ActionContext): Promise<void>;
  /**
   * What bad inputs leave untouched, for the standard "invalid input" summary
   * (e.g. 'Nothing was probed.'); default 'Nothing was changed.'.
   */
  untouched?: string;
  /**
   * The main step finishes a cancel itself: SIGINT and SIGTERM abort `ctx.cancelled` instead of
   * ending the process, so the action can record where it stopped and write its outputs and
   * summary. The runner sends SIGKILL about 10 s after its SIGINT (2.5 s after its SIGTERM):
   * what runs after a cancel must be short.
   */
  cancellable?: boolean;
  /** Clean-up; runs as the `post:` step. Its failures become warnings, never a failed job. */
  post?(ctx: ActionContext): Promise<void>;
}

const POST_MARKER = 'isPost';

function createContext(cancelled: AbortSignal): ActionContext {
  return {
    cancelled,
    inputs: new InputReader({ mask: maskSecret }),
    log: runnerLogger,
    summary: new SummaryBuilder(),
    setOutput: (name, value) => runner.setOutput(name, String(value)),
    exportVariable: (name, value) => runner.exportVariable(name, value),
    saveState: (name, value) => runner.saveState(name, value),
    getState: (name) => runner.getState(name),
    env: process.env,
  };
}

/**
 * The one entry point of every bundle. action.yml points `main:` and `post:` at
 * the same file (as actions/checkout does); the state saved by main tells them apart.
 */
export async function runAction(action: ActionDefinition): Promise<void> {
  const cancel = new AbortController();
  const ctx = createContext(cancel.signal);
  const isPost = runner.getState(POST_MARKER) === 'true';
  if (isPost) {
    await runPost(action, ctx);
    return;
  }
  runner.saveState(POST_MARKER, 'true');
  const onSignal = (signal: NodeJS.Signals): void => {
    if (cancel.signal.aborted) return;
    runner.info(`${action.name}: ${signal}: the run was cancelled; stopping and recording where it stopped.`);
    cancel.abort(signal);
  };
  const signals: NodeJS.Signals[] = action.cancellable ? ['SIGINT', 'SIGTERM'] : [];
  for (const signal of signals) process.on(signal, onSignal);
  try {
    await action.main(ctx);
  } catch (error) {
    if (error instanceof InputError) writeInvalidInputSummary(action, error, ctx);
    reportFailure(action.name, error, ctx);
  } finally {
    writeSummary(ctx);
    for (const signal of signals) process.off(signal, onSignal);
  }
}

async function runPost(action: ActionDefinition, ctx: ActionContext): Promise<void> {
  if (!action.post) return;
  try {
    await action.post(ctx);
  } catch (error) {
    runner.annotate('warning', `${action.name} clean-up did not complete: ${errorMessage(error)}`);
  }
}

/**
 * The one summary every action writes for rejected inputs, unless the action already wrote
 * its own. The message names inputs, never a secret value (the reader masks those).
 */
function writeInvalidInputSummary(action: ActionDefinition, error: InputError, ctx: ActionContext): void {
  if (ctx.summary.toMarkdown() !== '') return;
  ctx.summary
    .heading(`${action.name}: invalid input`)
    .paragraph(
      `${action.untouched ?? 'Nothing was changed.'} Every input is checked before anything runs; fix the inputs rejected below.`,
    )
    .code(error.message);
}

function reportFailure(name: string, error: unknown, ctx: ActionContext): void {
  if (isUserError(error)) {
    ctx.setOutput('error-code', error.code);
    runner.setFailed(error.message);
    return;
  }
  ctx.setOutput('error-code', 'internal');
  if (error instanceof Error && error.stack) runner.info(error.stack);
  runner.setFailed(
    `${name} hit an internal error: ${errorMessage(error)}. This is a bug in deploy-actions; ` +
      'please report it with this log.',
  );
}

function writeSummary(ctx: ActionContext): void {
  const markdown = ctx.summary.toMarkdown();
  if (markdown === '') return;
  try {
    ctx.summary.write(ctx.env);
  } catch (error) {
    runner.annotate('warning', `Could not write the job summary: ${errorMessage(error)}`);
  }
}
