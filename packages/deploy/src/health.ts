import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@deploy-actions/action-kit';
import { describeNotReady, parseStatusMatcher, waitUntilReady } from '@deploy-actions/probe';
import type { SshConnection } from '@deploy-actions/ssh';
import { lastLines } from './remote-error.js';

export interface HealthOutcome {
  healthy: boolean;
  /** What the gate saw last, for the error and the summary. */
  detail: string;
}

/**
 * health-url: probed from the host's side, through the connection (direct-tcpip),
 * so endpoints bound to the host's loopback or BIND_IP are reachable.
 */
export async function checkHealthUrl(
  conn: SshConnection,
  url: string,
  timeoutMs: number,
  log: Logger,
): Promise<HealthOutcome> {
  const result = await waitUntilReady(
    [
      {
        url,
        method: 'GET',
        headers: {},
        expectStatus: parseStatusMatcher('200-299'),
        requestTimeoutMs: Math.min(10_000, timeoutMs),
        insecureTls: false,
      },
    ],
    {
      timeoutMs,
      intervalMs: 1000,
      maxIntervalMs: 5000,
      successThreshold: 1,
      initialDelayMs: 0,
      dial: (host, port) => conn.forwardOut(host, port),
    },
    log,
  );
  return result.ready
    ? { healthy: true, detail: `${url} ready after ${result.attempts} attempt(s)` }
    : { healthy: false, detail: describeNotReady(result, timeoutMs) };
}

/** health-cmd: the user's shell on the host, retried until it exits 0 or the time is up. */
export async function checkHealthCommand(
  conn: SshConnection,
  command: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs: number },
  log: Logger,
): Promise<HealthOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 1000;
  let attempts = 0;
  for (;;) {
    attempts++;
    const result = await conn.exec(command, { cwd: options.cwd, env: options.env });
    if (result.code === 0) return { healthy: true, detail: `health-cmd passed after ${attempts} attempt(s)` };
    const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 5);
    if (Date.now() + delay > deadline) {
      return {
        healthy: false,
        detail: `health-cmd still exits ${result.code} after ${attempts} attempt(s)${output ? `; last output:\n${output}` : ''}`,
      };
    }
    log.debug(`health-cmd exited ${result.code}; trying again in ${delay}ms`);
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}
