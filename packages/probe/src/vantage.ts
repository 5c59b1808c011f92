import { formatDuration, type Logger } from '@deploy-actions/action-kit';
import { connectSsh, describeTarget, type SshConnectionSettings, type SshTarget } from '@deploy-actions/ssh';
import { waitUntilReadyFrom } from './merge.js';
import type { Dialer, ProbeSpec, ReadinessResult, WaitOptions } from './types.js';

/** Probe from these deploy hosts (through SSH) instead of the runner. */
export interface ViaSsh {
  targets: SshTarget[];
  settings: SshConnectionSettings;
}

/** Where probes start from: the runner, or one deploy host through SSH. */
export interface Vantage {
  /** `host:port` for a deploy host; undefined for the runner. */
  label?: string;
  dial?: Dialer;
  close(): Promise<void>;
}

/**
 * Opens one SSH connection per host, all at once, within `timeoutMs`. When any fails, the
 * others are closed and the first failure is thrown (an SSH UserError that says why).
 */
export async function openVantages(
  viaSsh: ViaSsh | undefined,
  timeoutMs: number,
  log: Logger,
): Promise<Vantage[]> {
  if (!viaSsh) return [{ close: async () => undefined }];
  const settings = {
    ...viaSsh.settings,
    connectTimeoutMs: Math.min(viaSsh.settings.connectTimeoutMs, timeoutMs),
  };
  const opened = await Promise.allSettled(viaSsh.targets.map((target) => connectSsh(target, settings, log)));
  const failed = opened.find((o): o is PromiseRejectedResult => o.status === 'rejected');
  const connections = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
  if (failed) {
    await Promise.all(connections.map((c) => c.close()));
    throw failed.reason;
  }
  return connections.map((connection) => ({
    label: describeTarget(connection.target),
    dial: (host, port) => connection.forwardOut(host, port),
    close: () => connection.close(),
  }));
}

export interface WaitViaHooks {
  /** Called once every SSH connection is open (labels `host:port`; none when probing from the runner). */
  connected?(labels: string[]): void;
}

/**
 * wait-ready's whole job: opens the vantages (the runner, or one SSH connection per host within
 * `options.timeoutMs`), waits from all of them at once in one log group, and closes them. The
 * timeout counts the time spent connecting. When a connection fails, its SSH error is thrown
 * before `connected` is called and nothing is probed.
 */
export async function waitUntilReadyVia(
  viaSsh: ViaSsh | undefined,
  probes: ProbeSpec[],
  options: Omit<WaitOptions, 'dial'>,
  log: Logger,
  hooks: WaitViaHooks = {},
): Promise<ReadinessResult> {
  const started = performance.now();
  const vantages = await openVantages(viaSsh, options.timeoutMs, log);
  try {
    hooks.connected?.(vantages.flatMap((v) => (v.label !== undefined ? [v.label] : [])));
    const count = probes.length;
    const title = `Waiting for ${count} URL${count === 1 ? '' : 's'}${vantages.length > 1 ? ` from ${vantages.length} hosts` : ''} (timeout ${formatDuration(options.timeoutMs)})`;
    const timeoutMs = Math.max(1, options.timeoutMs - (performance.now() - started));
    return await log.group(title, () => waitUntilReadyFrom(vantages, probes, { ...options, timeoutMs }, log));
  } finally {
    await Promise.all(vantages.map((v) => v.close()));
  }
}
