import {
  errorMessage,
  formatDuration,
  isUserError,
  UserError,
  type Logger,
} from '@deploy-actions/action-kit';
import type { SshConnection } from '@deploy-actions/ssh';
import type { Bundle } from './bundle.js';
import { deployHost, HealthGateError } from './rollout.js';
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
}

function failure(host: string, started: number, error: unknown): HostResult {
  const rolledBack = error instanceof HealthGateError && error.rolledBack;
  return {
    host,
    status: rolledBack ? 'rolled-back' : 'failed',
    rolledBack,
    durationMs: Date.now() - started,
    error: errorMessage(error),
    errorCode: isUserError(error) ? error.code : 'internal',
    ...(error instanceof HealthGateError && error.previousRelease ? { release: error.previousRelease } : {}),
  };
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
async function deployOne(host: string, o: DeployAllOptions): Promise<HostResult> {
  const started = Date.now();
  let conn: SshConnection | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    const work = (async () => {
      conn = await o.connect(host);
      return deployHost({
        label: host,
        conn,
        settings: settingsForHost(o.settings, host),
        ...(o.bundle ? { bundle: o.bundle } : {}),
        log: o.log,
        locks: o.locks,
      });
    })();
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(
          new UserError(
            'timeout',
            `${host}: the deploy ran over timeout (${formatDuration(o.settings.timeoutMs)}) and was stopped. ` +
              'The host lock it held is released by the post step.',
          ),
        );
        // Closing the connection stops whatever was running there; the post step releases the lock.
        void conn?.close();
      }, o.settings.timeoutMs);
    });
    return await Promise.race([work, timeout]);
  } catch (error) {
    return failure(host, started, error);
  } finally {
    if (timer) clearTimeout(timer);
    await conn?.close();
  }
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
      if (stop) {
        results[index] = {
          host,
          status: 'skipped',
          rolledBack: false,
          durationMs: 0,
          error: 'not started: an earlier host failed (fail-fast)',
        };
        continue;
      }
      const result = await deployOne(host, o);
      results[index] = result;
      if (result.status === 'failed' || result.status === 'rolled-back') {
        o.log.info(`[${host}] ${result.status}: ${(result.error ?? '').split('\n')[0]}`);
        if (o.failFast) stop = true;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(o.parallel, o.hosts.length)) }, worker));
  return results;
}
