import type { InputReader, Logger } from '@deploy-actions/action-kit';
import { readSshConnectionInputs, type SshConnectionSettings, type SshTarget } from '@deploy-actions/ssh';

export interface ViaSsh {
  target: SshTarget;
  settings: SshConnectionSettings;
}

/**
 * With `via-ssh`, reads the connection inputs exactly as ssh-deploy does (same names, same
 * host-key rules), for one host. Problems are recorded on the reader.
 */
export function readViaSsh(inputs: InputReader, log: Logger): ViaSsh | undefined {
  if (!inputs.boolean('via-ssh', { default: false })) {
    if (inputs.has('host')) {
      log.warning("'host' is set but 'via-ssh' is not: probing from the runner. Set via-ssh: true to probe from the host.");
    }
    return undefined;
  }
  const read = readSshConnectionInputs(inputs, { required: true });
  if (read && read.targets.length > 1) {
    inputs.problem('host', `lists ${read.targets.length} hosts; via-ssh probes from one. Use one step (or a matrix job) per host.`);
    return undefined;
  }
  return read?.targets[0] ? { target: read.targets[0], settings: read.settings } : undefined;
}
