import { UserError } from '@deploy-actions/action-kit';
import type { ExecResult } from '@deploy-actions/ssh';

const TAIL_LINES = 20;

export function lastLines(text: string, count = TAIL_LINES): string {
  const lines = text.replace(/\s+$/, '').split(/\r?\n/);
  return lines.slice(-count).join('\n');
}

/**
 * A command on the host exited non-zero. Carries what a person needs to act:
 * the host, the step, the command, the exit code and the last lines it printed.
 */
export class RemoteCommandError extends UserError {
  readonly exitCode: number;
  constructor(code: string, host: string, step: string, command: string, result: ExecResult) {
    const output = lastLines(`${result.stdout}\n${result.stderr}`.trim());
    super(
      code,
      `${host}: ${step} failed: \`${command}\` exited with ${result.code}.` +
        (output ? `\nLast lines of output:\n${output}` : ''),
    );
    this.exitCode = result.code;
  }
}
