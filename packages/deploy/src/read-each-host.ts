import type { SshConnection } from '@deploy-actions/ssh';
import { forEachHost } from './each-host.js';
import { settingsForHost } from './hosts.js';
import { readHost, type HostReading, type ReadRequest } from './reading.js';
import type { DeploySettings } from './types.js';

export interface ReadEachHostOptions {
  hosts: readonly string[];
  connect: (host: string) => Promise<SshConnection>;
  settings: DeploySettings;
  parallel: number;
}

/** What the read asks beyond the host's own settings (remote dir, project name, env files). */
export type ReadExtras = Omit<ReadRequest, 'remoteDir' | 'projectName' | 'envFiles'>;

/** One host, read: its settings, the open connection and what READ_SCRIPT found. */
export interface HostRead {
  host: string;
  settings: DeploySettings;
  conn: SshConnection;
  reading: HostReading;
}

/**
 * The loop `mode: plan` and `mode: check` share: for every host, `parallel` at a
 * time, its settings, one connection, one read (READ_SCRIPT), then `work`; the
 * connection is closed afterwards whatever happened. A failure to connect, to read
 * or in `work` becomes that host's result through `failed`; results in host order.
 */
export async function readEachHost<T>(
  o: ReadEachHostOptions,
  extras: ReadExtras,
  work: (read: HostRead) => Promise<T> | T,
  failed: (host: string, settings: DeploySettings, error: unknown) => T,
): Promise<T[]> {
  return forEachHost(o.hosts, o.parallel, async (host) => {
    const settings = settingsForHost(o.settings, host);
    let conn: SshConnection | undefined;
    try {
      conn = await o.connect(host);
      const reading = await readHost(conn, {
        remoteDir: settings.remoteDir,
        ...(settings.projectName ? { projectName: settings.projectName } : {}),
        envFiles: settings.envFiles,
        ...extras,
      });
      return await work({ host, settings, conn, reading });
    } catch (error) {
      return failed(host, settings, error);
    } finally {
      await conn?.close();
    }
  });
}
