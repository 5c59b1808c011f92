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
  signal?: AbortSignal,
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
      // An app that is up a moment after `up -d` passes at the next probe, not a second later;
      // the probe backs off after 10 failing rounds (to 5 s), so a slow app is not hammered.
      intervalMs: 250,
      maxIntervalMs: 5000,
      successThreshold: 1,
      initialDelayMs: 0,
      dial: (host, port) => conn.forwardOut(host, port),
      ...(signal ? { signal } : {}),
    },
    log,
  );
  return result.ready
    ? { healthy: true, detail: `${url} ready after ${result.attempts} attempt(s)` }
    : { healthy: false, detail: describeNotReady(result, timeoutMs) };
}

/**
 * health-cmd: the user's shell on the host, retried until it exits 0 or the time
 * is up. Each run is bounded by what is left of health-timeout (`timeout` on the
 * host kills it; the runner stops waiting too), so a hanging command cannot hold
 * the deploy past the gate.
 */
export async function checkHealthCommand(
  conn: SshConnection,
  command: string,
  options: { cwd: string; env: Record<string, string>; timeoutMs: number; signal?: AbortSignal },
  log: Logger,
): Promise<HealthOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  let delay = 250;
  let attempts = 0;
  for (;;) {
    attempts++;
    const left = Math.max(1, Math.ceil((deadline - Date.now()) / 1000));
    const run = conn.exec(
      [
        'sh',
        '-c',
        'if command -v timeout >/dev/null 2>&1; then exec timeout -s KILL "$1" sh -c "$2"; else exec sh -c "$2"; fi',
        'sh',
        String(left),
        command,
      ],
      { cwd: options.cwd, env: options.env },
    );
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ code: 124, stdout: '', stderr: `health-cmd still running after health-timeout` }),
        left * 1000 + 5000,
      );
    });
    const result = await Promise.race([run, bound]).finally(() => clearTimeout(timer));
    if (result.code === 0) return { healthy: true, detail: `health-cmd passed after ${attempts} attempt(s)` };
    const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 5);
    if (Date.now() + delay > deadline || options.signal?.aborted) {
      const code =
        result.code === 137 || result.code === 124
          ? `${result.code} (stopped at health-timeout)`
          : `${result.code}`;
      return {
        healthy: false,
        detail: `health-cmd still exits ${code} after ${attempts} attempt(s)${output ? `; last output:\n${output}` : ''}`,
      };
    }
    log.debug(`health-cmd exited ${result.code}; trying again in ${delay}ms`);
    await sleep(delay);
    delay = Math.min(delay * 2, 5000);
  }
}
