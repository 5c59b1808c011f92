import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration, UserError, type Logger } from '@deploy-actions/action-kit';
import type { ExecResult, SshConnection } from '@deploy-actions/ssh';
import { ChainPartNotRun, ExecChain } from './chain.js';
import { DeployFailure } from './errors.js';
import { LOCK_SCRIPT, releasePaths, UNLOCK_SCRIPT } from './host-scripts.js';
import type { HeldLock, ReleaseOrigin } from './types.js';

export interface LockOwner {
  token: string;
  run: string;
  repository: string;
  actor: string;
  commit: string;
  release: string;
  runner: string;
  startedAt: string;
  /** When the holder's own timeout runs out; a lock older than this is stale. */
  expiresAt: string;
  runUrl?: string;
}

/** An owner-less lock younger than this may be one a deploy of an older version is taking right now. */
const OWNERLESS_GRACE_MS = 60_000;

/** Reads LOCK_SCRIPT's answer for a held lock: the owner record, and `lock-age=<seconds>` on stderr. */
export function describeOwner(raw: string, stderr = '', now = Date.now()): { text: string; stale: boolean } {
  const ageLine = /^lock-age=(-?\d+)$/m.exec(stderr);
  const ageMs = ageLine ? Math.max(0, Number(ageLine[1])) * 1000 : undefined;
  let owner: Partial<LockOwner> = {};
  try {
    owner = JSON.parse(raw) as Partial<LockOwner>;
  } catch {
    // A lock whose owner file is half-written or missing still blocks; say what little we know.
  }
  if (!owner.run) {
    const age = ageMs !== undefined ? `, taken ${formatDuration(ageMs)} ago` : '';
    return {
      text: `an unknown owner (the lock has no owner record${age}: a deploy stopped while taking it, or an older ssh-deploy)`,
      stale: ageMs !== undefined && ageMs >= OWNERLESS_GRACE_MS,
    };
  }
  const since = owner.startedAt ? ` since ${owner.startedAt}` : '';
  const age = owner.startedAt ? ` (${formatDuration(now - Date.parse(owner.startedAt))} ago)` : '';
  const stale = owner.expiresAt !== undefined && Date.parse(owner.expiresAt) < now;
  return {
    text: `run ${owner.run}${owner.runUrl ? ` (${owner.runUrl})` : ''} of ${owner.repository ?? '?'} by ${owner.actor ?? '?'}, release ${owner.release ?? '?'}, on runner ${owner.runner ?? '?'}${since}${age}`,
    stale,
  };
}

/**
 * Takes the host lock under remote-dir (an atomic mkdir, owner recorded in it),
 * waiting up to `timeoutMs` for another deploy to finish. Returns the lock and
 * the host's state read right after taking it (INSPECT_SCRIPT's lines).
 * With `chained`, the lock is taken in a chained exec (chain.ts) that then waits at a gate,
 * so the step after it (the upload) runs in the same exec: `chain`, which the caller must
 * continue or stop.
 */
export async function acquireHostLock(
  conn: SshConnection,
  label: string,
  remoteDir: string,
  origin: ReleaseOrigin,
  options: { timeoutMs: number; holdForMs: number; signal?: AbortSignal; chained?: boolean },
  log: Logger,
): Promise<{ lock: HeldLock; hostState: string; chain?: ExecChain }> {
  const token = randomBytes(12).toString('hex');
  const now = Date.now();
  const owner: LockOwner = {
    token,
    run: origin.run,
    repository: origin.repository,
    actor: origin.actor,
    commit: origin.commit,
    release: origin.id,
    runner: hostname(),
    startedAt: new Date(now).toISOString(),
    expiresAt: new Date(now + options.timeoutMs + options.holdForMs).toISOString(),
    ...(origin.runUrl ? { runUrl: origin.runUrl } : {}),
  };
  const lockDir = releasePaths(remoteDir).lock;
  const deadline = now + options.timeoutMs;
  let delay = 500;
  let announced = false;
  let holder: { text: string } | undefined;
  for (;;) {
    // A cancel (or the step's timeout) ends the wait at once: nothing on the host changed yet.
    // (A lock that is free is still taken: the session then stops with the host's state known.)
    if (holder && options.signal?.aborted) throw lockWaitStopped(label, lockDir, options.signal, holder.text);
    const args = [remoteDir, JSON.stringify(owner), token];
    let chain: ExecChain | undefined;
    let result: ExecResult;
    if (options.chained) {
      chain = new ExecChain(
        conn,
        remoteDir,
        [{ kind: 'script', script: LOCK_SCRIPT, args }, { kind: 'gate' }],
        () => undefined,
      );
      result = await chain.result(0).catch(async (error: unknown) => {
        if (!(error instanceof ChainPartNotRun)) throw error;
        const done = await chain!.done;
        throw done instanceof Error ? done : new Error(`the lock exec ended (exit ${done.code})`);
      });
    } else result = await conn.exec(['sh', '-c', LOCK_SCRIPT, 'sh', ...args]);
    if (result.code === 0) {
      log.info(`[${label}] lock taken: ${lockDir}`);
      return { lock: { host: label, lockDir, token }, hostState: result.stdout, ...(chain ? { chain } : {}) };
    }
    if (result.code !== 10) {
      throw new UserError(
        'lock-failed',
        `${label}: could not create the lock under remote-dir '${remoteDir}' (exit ${result.code}): ${result.stderr.trim() || result.stdout.trim()}. Check that the user may write there.`,
      );
    }
    const seen = describeOwner(result.stdout, result.stderr);
    holder = seen;
    if (Date.now() + delay > deadline) {
      throw new UserError(
        seen.stale ? 'lock-stale' : 'lock-timeout',
        seen.stale
          ? `${label}: the host lock ${lockDir} is stale: it was taken by ${seen.text}, and that deploy's time is up. ` +
              `If that run is no longer running, remove the lock on the host (rm -r '${lockDir}') and deploy again.`
          : `${label}: another deploy holds the host lock ${lockDir}: ${seen.text}. Waited lock-timeout (${formatDuration(options.timeoutMs)}); ` +
              'raise lock-timeout or use a workflow concurrency group so deploys queue.',
      );
    }
    if (!announced) {
      log.info(`[${label}] waiting for the host lock, held by ${seen.text}${seen.stale ? ' (stale?)' : ''}`);
      announced = true;
    }
    await sleep(delay, undefined, options.signal ? { signal: options.signal } : {}).catch(() => undefined);
    delay = Math.min(delay * 2, 5000);
  }
}

/** The lock wait was ended by a cancel or the step's timeout: nothing on the host changed. */
export class LockWaitStopped extends DeployFailure {}

/** The lock wait was ended by a cancel (reason `cancel`) or the step's timeout. */
function lockWaitStopped(label: string, lockDir: string, signal: AbortSignal, holder: string): DeployFailure {
  const cancelled = signal.reason === 'cancel';
  return new LockWaitStopped(
    cancelled ? 'cancelled' : 'timeout',
    `${label}: the run was ${cancelled ? 'cancelled' : 'stopped by its timeout'} while waiting for the host lock ${lockDir}` +
      ` (held by ${holder}); nothing on the host had changed.`,
    false,
    undefined,
    undefined,
  );
}

/** Removes the lock if it is still ours; never touches another run's lock. */
export async function releaseHostLock(conn: SshConnection, lock: HeldLock): Promise<boolean> {
  const result = await conn.exec(['sh', '-c', UNLOCK_SCRIPT, 'sh', lock.lockDir, lock.token]);
  return result.stdout.includes('released');
}
