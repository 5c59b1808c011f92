import { formatDuration, UserError, type Logger } from '@deploy-actions/action-kit';
import type { SshConnection } from '@deploy-actions/ssh';
import type { Bundle } from './bundle.js';
import { DeployFailure } from './errors.js';
import { deployHost, failureResult } from './rollout.js';
import type { DeploySettings, HeldLock, HostResult } from './types.js';

export interface DeployAllOptions {
  hosts: string[];
  connect: (host: string) => Promise<SshConnection>;
  settings: DeploySettings;
  bundle?: Bundle;
  parallel: number;
  failFast: boolean;
  log: Logger;
  locks: { taken(lock: HeldLock): void; released(lock: HeldLock): void };
  /** Aborted when the job is cancelled: each host stops as the session says, hosts not started are skipped. */
  cancel?: AbortSignal;
}

/**
 * Fills `{host}` in remote-dir, project-name and health-url with this host's
 * name, so several stacks that share one machine (loopback aliases, a host
 * per BIND_IP) stay apart in one run.
 */
export function settingsForHost(settings: DeploySettings, host: string): DeploySettings {
  const name = host.replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
  const pathSafe = name.replace(/[^A-Za-z0-9._-]/g, '-');
  const projectSafe = name.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
  const urlHost = name.includes(':') ? `[${name}]` : name;
  return {
    ...settings,
    remoteDir: settings.remoteDir.replaceAll('{host}', pathSafe),
    ...(settings.projectName ? { projectName: settings.projectName.replaceAll('{host}', projectSafe) } : {}),
    ...(settings.healthUrl ? { healthUrl: settings.healthUrl.replaceAll('{host}', urlHost) } : {}),
  };
}

/** One host, start to end: connect, deploy, close; bounded by `timeout`. */
async function deployOne(host: string, o: DeployAllOptions, settings = o.settings): Promise<HostResult> {
  const started = Date.now();
  let conn: SshConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  let graceTimer: NodeJS.Timeout | undefined;
  const abort = new AbortController();
  // A cancel reaches the session as an abort with reason `cancel` (a timeout's reason is `timeout`).
  const onCancel = (): void => abort.abort('cancel');
  o.cancel?.addEventListener('abort', onCancel, { once: true });
  try {
    const work = (async () => {
      conn = await o.connect(host);
      return deployHost({
        label: host,
        conn,
        settings: settingsForHost(settings, host),
        ...(o.bundle && !settings.rollback ? { bundle: o.bundle } : {}),
        log: o.log,
        locks: o.locks,
        signal: abort.signal,
      });
    })();
    // At `timeout` the session is told to stop: it starts no new step and undoes what it changed
    // (a health gate in progress ends and rolls back). If it is still busy after a grace period,
    // the connection is closed, which stops whatever runs there; the post step releases the lock.
    const graceMs = settings.healthTimeoutMs + 120_000;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        o.log.warning(
          `${host}: the deploy ran over timeout (${formatDuration(settings.timeoutMs)}); stopping it and undoing what it changed (up to ${formatDuration(graceMs)}).`,
        );
        abort.abort('timeout');
        graceTimer = setTimeout(() => {
          reject(
            new UserError(
              'timeout',
              `${host}: the deploy ran over timeout (${formatDuration(settings.timeoutMs)}) and could not be undone within ${formatDuration(graceMs)}; the connection was closed. ` +
                'What runs on the host is unknown; the host lock it held is released by the post step.',
            ),
          );
          void conn?.close();
        }, graceMs);
      }, settings.timeoutMs);
    });
    const result = await Promise.race([work, timeout]);
    return result;
  } catch (error) {
    const result = failureResult(host, started, error);
    if (!result.running && isUnknownAfterTimeout(error)) result.running = 'unknown';
    return result;
  } finally {
    if (timer) clearTimeout(timer);
    if (graceTimer) clearTimeout(graceTimer);
    o.cancel?.removeEventListener('abort', onCancel);
    await conn?.close();
  }
}

/**
 * Only a timeout the session could not finish undoing within the grace period (the connection
 * was closed under it) leaves the host unknown. A DeployFailure says itself what runs: after a
 * timeout before anything changed (the lock wait, pre-deploy, the upload) that is the previous
 * release, or, on a first deploy, nothing of ours (`running` absent).
 */
function isUnknownAfterTimeout(error: unknown): boolean {
  return error instanceof UserError && error.code === 'timeout' && !(error instanceof DeployFailure);
}

/**
 * Deploys to every host, `parallel` at a time (1 = rolling). With `failFast`,
 * hosts not yet started are skipped after the first failure.
 */
export async function deployToHosts(o: DeployAllOptions): Promise<HostResult[]> {
  const results: HostResult[] = new Array(o.hosts.length);
  let next = 0;
  let stop = false;
  const worker = async (): Promise<void> => {
    while (next < o.hosts.length) {
      const index = next++;
      const host = o.hosts[index]!;
      if (stop || o.cancel?.aborted) {
        results[index] = {
          host,
          status: 'skipped',
          rolledBack: false,
          durationMs: 0,
          error: o.cancel?.aborted
            ? 'not started: the run was cancelled'
            : 'not started: an earlier host failed (fail-fast)',
        };
        continue;
      }
      const result = await deployOne(host, o);
      results[index] = result;
      if (result.status === 'failed' || result.status === 'rolled-back' || result.status === 'cancelled') {
        o.log.info(`[${host}] ${result.status}: ${(result.error ?? '').split('\n')[0]}`);
        if (o.failFast) stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel, o.hosts.length)) }, worker));
  // A cancel starts no fleet-rollback: it stops, and each host's result says where.
  if (o.settings.fleetRollback && !o.settings.dryRun && !o.settings.rollback && !o.cancel?.aborted)
    await rollBackFleet(o, results);
  return results;
}

/**
 * fleet-rollback: a host failed, so the hosts this run deployed go back to the
 * release they ran before (an explicit rollback to that id: recorded images, no
 * migrator), and the fleet is never left mixed. Each result says what runs.
 */
async function rollBackFleet(o: DeployAllOptions, results: HostResult[]): Promise<void> {
  const failed = results.filter((r) => r.status === 'failed' || r.status === 'rolled-back');
  if (failed.length === 0) return;
  for (const [index, r] of results.entries()) {
    if (r.status !== 'deployed') continue;
    if (!r.previousRelease) {
      o.log.warning(
        `${r.host}: fleet-rollback: no previous release to go back to; ${r.release ?? '?'} keeps running.`,
      );
      results[index] = { ...r, error: 'fleet-rollback: no previous release; this release keeps running' };
      continue;
    }
    o.log.info(
      `[${r.host}] fleet-rollback: ${failed.map((f) => f.host).join(', ')} failed; rolling back to ${r.previousRelease}`,
    );
    const back = await deployOne(r.host, o, { ...o.settings, rollback: r.previousRelease });
    results[index] =
      back.status === 'deployed'
        ? {
            ...r,
            status: 'rolled-back',
            rolledBack: true,
            release: r.previousRelease,
            running: r.previousRelease,
            durationMs: r.durationMs + back.durationMs,
            error: `fleet-rollback: rolled back to ${r.previousRelease} because ${failed[0]!.host} failed`,
            errorCode: 'fleet-rolled-back',
          }
        : {
            ...r,
            status: 'failed',
            running: back.running ?? 'unknown',
            durationMs: r.durationMs + back.durationMs,
            error: `fleet-rollback to ${r.previousRelease} failed: ${back.error ?? ''}`,
            errorCode: back.errorCode ?? 'rollback-failed',
          };
  }
}
