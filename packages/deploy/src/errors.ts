import { UserError } from '@deploy-actions/action-kit';

/**
 * A deploy failed on a host. Says whether the previous release was restored
 * (`rolledBack`) and what runs there now (`running`: a release id, `unknown`
 * when a restore failed too, undefined when nothing was ever deployed).
 */
export class DeployFailure extends UserError {
  constructor(
    code: string,
    message: string,
    readonly rolledBack: boolean,
    readonly running: string | undefined,
    readonly previousRelease: string | undefined,
  ) {
    super(code, message);
  }
}

/** The health gate failed; `rolledBack` says whether the previous release was restored. */
export class HealthGateError extends DeployFailure {
  constructor(
    message: string,
    rolledBack: boolean,
    previousRelease: string | undefined,
    running?: string,
    /** `timeout` when the step's timeout (or a cancel) ended the gate. */
    code = 'health-gate-failed',
  ) {
    super(code, message, rolledBack, running ?? previousRelease, previousRelease);
  }
}
