// `lock status|release` and `releases`: read (or break) what each host holds under
// remote-dir/.releases, through the deploy package, with ssh-deploy's connection inputs.
import { InputReader, isUserError, UserError } from '@deploy-actions/action-kit';
import { breakHostLock, listReleases, readLockStatus, type LockStatus } from '@deploy-actions/deploy';
import {
  connectSsh,
  describeTarget,
  localConnection,
  readSshConnectionInputs,
  type SshConnection,
} from '@deploy-actions/ssh';
import { checkRemoteDir } from '../../ssh-deploy/lib/remote-dir.js';
import type { ParsedArgs } from './args.js';
import type { CliResult } from './run.js';
import type { CommandSpec } from './specs.js';
import type { TerminalLogger } from './terminal.js';

/** lock status|release and releases: per host, read (or break) what is under remote-dir/.releases. */
export async function hostCommand(
  command: CommandSpec,
  parsed: ParsedArgs,
  inputEnv: Record<string, string>,
  log: TerminalLogger,
  result: CliResult,
): Promise<void> {
  const inputs = new InputReader({ env: inputEnv, mask: (s) => log.mask(s) });
  const transport = inputs.enum('transport', ['ssh', 'local'] as const, { default: 'ssh' });
  const connection = transport === 'ssh' ? readSshConnectionInputs(inputs, { required: true }) : undefined;
  const remoteDirInput = inputs.string('remote-dir', { required: true });
  let remoteDir = remoteDirInput;
  if (remoteDirInput !== '') {
    const checked = checkRemoteDir(remoteDirInput);
    if ('problem' in checked) inputs.problem('remote-dir', checked.problem);
    else remoteDir = checked.dir;
  }
  inputs.finish();
  const targets = connection ? connection.targets : [undefined];
  const failures: UserError[] = [];
  for (const target of targets) {
    const host = target ? describeTarget(target) : 'localhost';
    const dir = remoteDir.replaceAll(
      '{host}',
      (target?.host ?? 'localhost').replace(/[^A-Za-z0-9._-]/g, '-'),
    );
    let conn: SshConnection | undefined;
    try {
      conn = target ? await connectSsh(target, connection!.settings, log) : localConnection();
      if (command.name === 'releases') {
        (result.releases ??= []).push({ host, remoteDir: dir, ...(await listReleases(conn, dir)) });
      } else {
        const status = await readLockStatus(conn, dir);
        const entry: { host: string; released?: boolean } & LockStatus = { host, ...status };
        if (parsed.positionals[0] === 'release' && status.held) {
          if (!status.stale && !parsed.global.force) {
            throw new UserError(
              'lock-held',
              `${host}: the host lock ${status.lockDir} is held by ${status.holder}, and that deploy's time is not up. ` +
                'If you are sure that deploy is no longer running, run `lock release --force`.',
            );
          }
          entry.released = await breakHostLock(conn, status);
          if (!entry.released)
            throw new UserError(
              'lock-changed',
              `${host}: the host lock ${status.lockDir} changed while it was being released (another deploy took it?); left alone.`,
            );
          log.info(`${host}: released the host lock ${status.lockDir} (held by ${status.holder})`);
        }
        (result.locks ??= []).push(entry);
      }
    } catch (error) {
      if (!isUserError(error)) throw error;
      log.error(error.message);
      failures.push(error);
    } finally {
      await conn?.close();
    }
  }
  if (failures.length > 0) {
    const [first, ...others] = failures;
    throw new UserError(
      first!.code,
      others.length
        ? `${failures.length} of ${targets.length} hosts failed. ${first!.message}`
        : first!.message,
    );
  }
}
