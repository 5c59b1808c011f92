import { errorMessage, isUserError, type Logger } from '@deploy-actions/action-kit';
import type { SshConnection } from '@deploy-actions/ssh';
import type { Bundle } from './bundle.js';
import { acquireHostLock, releaseHostLock } from './lock.js';
import { DeployFailure } from './errors.js';
import { HostSession } from './session.js';
import {
  checkCurrentRecord,
  chooseCompose,
  inspectHost,
  parseState,
  resolveRollbackTarget,
} from './state.js';
import { describePlan, planRollout } from './steps.js';
import type { DeploySettings, HeldLock, HostResult } from './types.js';
import { STOP_ONEOFF_SCRIPT } from './host-scripts.js';

export { DeployFailure, HealthGateError } from './errors.js';
export { inspectHost, parseState, resolveRollbackTarget, type HostState } from './state.js';

export interface HostDeployment {
  label: string;
  conn: SshConnection;
  settings: DeploySettings;
  /** The bundle to ship; absent for a rollback. */
  bundle?: Bundle;
  log: Logger;
  /** Told about every lock taken and released, so the post step can release one a cancelled run left. */
  locks: { taken(lock: HeldLock): void; released(lock: HeldLock): void };
  /** Aborted when the step's `timeout` runs out or the run is cancelled: the session undoes what it can. */
  signal?: AbortSignal;
}

/** The steps a deploy would take, one line each (dry-run, the summary's plan). */
export function planSteps(
  settings: DeploySettings,
  state: ReturnType<typeof parseState>,
  bundle: Bundle | undefined,
  releaseId: string,
): string[] {
  return describePlan(
    planRollout({
      settings,
      state,
      ...(bundle ? { bundle } : {}),
      target: releaseId,
      ...(state.current ? { previous: state.current } : {}),
    }),
    state.current,
  );
}

/** Runs the rollout on one host. Throws a UserError (DeployFailure / HealthGateError after changes) on failure. */
export async function deployHost(d: HostDeployment): Promise<HostResult> {
  const started = Date.now();
  const { conn, settings, label, log } = d;
  const say = (message: string): void => log.info(`[${label}] ${message}`);
  const releaseId = settings.origin.id;
  if (settings.dryRun) {
    const state = chooseCompose(settings, await inspectHost(conn, settings.remoteDir), label);
    const target = settings.rollback ? resolveRollbackTarget(state, settings.rollback, label) : releaseId;
    const plan = planSteps(settings, state, d.bundle, target);
    say(
      `dry-run: would deploy release ${target} (current: ${state.current ?? 'none'}) with compose ${state.compose ?? '-'}:`,
    );
    for (const step of plan) say(`  - ${step}`);
    return {
      host: label,
      status: 'planned',
      release: target,
      ...(state.current ? { previousRelease: state.current, running: state.current } : {}),
      rolledBack: false,
      durationMs: Date.now() - started,
      plan,
    };
  }

  // The host's state is read in the same exec that takes the lock, so no other deploy can change it after.
  // The upload right after the lock runs in the lock's exec (chain.ts) when nothing comes between.
  const chained =
    d.bundle !== undefined && !settings.rollback && !settings.preDeploy && settings.strategy !== 'swarm';
  const { lock, hostState, chain } = await acquireHostLock(
    conn,
    label,
    settings.remoteDir,
    settings.origin,
    {
      timeoutMs: settings.lockTimeoutMs,
      holdForMs: settings.timeoutMs,
      ...(d.signal ? { signal: d.signal } : {}),
      chained,
    },
    log,
  );
  if (settings.projectName && settings.migrateService)
    Object.assign(lock, { project: settings.projectName, oneOffService: settings.migrateService });
  d.locks.taken(lock);
  let session: HostSession | undefined;
  try {
    const state = chooseCompose(settings, parseState(hostState), label);
    checkCurrentRecord(settings, state, label);
    session = new HostSession(d, state, lock, chain);
    const result = await session.run();
    return { ...result, durationMs: Date.now() - started };
  } finally {
    // Unless the session took it on: the lock's exec waits at its gate; it ends without going on.
    await chain?.stop();
    if (session?.lockReleased) {
      d.locks.released(lock);
      say('lock released');
    } else {
      try {
        await releaseHostLock(conn, lock);
        d.locks.released(lock);
        say('lock released');
      } catch (error) {
        log.warning(
          `${label}: could not release the host lock ${lock.lockDir}: ${(error as Error).message}. The post step will try again.`,
        );
      }
    }
  }
}

/** A failure as a row of the summary and the `hosts` output. */
export function failureResult(host: string, started: number, error: unknown): HostResult {
  const failure = error instanceof DeployFailure ? error : undefined;
  const rolledBack = failure?.rolledBack ?? false;
  return {
    host,
    status: rolledBack ? 'rolled-back' : failure?.code === 'cancelled' ? 'cancelled' : 'failed',
    rolledBack,
    durationMs: Date.now() - started,
    error: errorMessage(error),
    errorCode: isUserError(error) ? error.code : 'internal',
    ...(failure?.previousRelease ? { previousRelease: failure.previousRelease } : {}),
    ...(failure?.running && failure.running !== 'unknown' ? { release: failure.running } : {}),
    ...(failure?.running ? { running: failure.running } : {}),
  };
}

/**
 * For the post step, before it releases a lock a cancelled or timed-out run left:
 * stops that run's migrate-service container if it is still running. Returns what it says.
 */
export async function stopLeftoverWork(conn: SshConnection, lock: HeldLock): Promise<string> {
  if (!lock.project || !lock.oneOffService) return '';
  const result = await conn.exec([
    'sh',
    '-c',
    STOP_ONEOFF_SCRIPT,
    'sh',
    lock.lockDir,
    lock.token,
    lock.project,
    lock.oneOffService,
  ]);
  return result.stdout.trim();
}
