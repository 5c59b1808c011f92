import type { Logger } from '@deploy-actions/action-kit';
import { connectSsh, describeTarget, type SshConnectionSettings, type SshTarget } from '@deploy-actions/ssh';
import type { Dialer } from './types.js';

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
