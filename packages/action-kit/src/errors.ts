/**
 * Two kinds of failure, kept apart as codeql-action does: a UserError is the
 * user's to fix (bad input, unreachable host, failed rollout) and is reported
 * as one clear message with no stack; anything else is our bug.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  /** A stable, machine-readable code, written to the `error-code` output. */
  readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

export interface InputProblem {
  input: string;
  message: string;
}

/** Every bad input of one run, reported together. */
export class InputError extends UserError {
  override readonly name = 'InputError';
  readonly problems: readonly InputProblem[];

  constructor(problems: readonly InputProblem[]) {
    super('invalid-input', formatInputProblems(problems));
    this.problems = problems;
  }
}

function formatInputProblems(problems: readonly InputProblem[]): string {
  if (problems.length === 1) {
    const [p] = problems;
    return `Input '${p!.input}': ${p!.message}`;
  }
  const lines = problems.map((p) => `  - '${p.input}': ${p.message}`);
  return `${problems.length} inputs are invalid:\n${lines.join('\n')}`;
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
