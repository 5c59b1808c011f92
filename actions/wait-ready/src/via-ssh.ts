import type { InputReader, Logger } from '@deploy-actions/action-kit';
import type { ViaSsh } from '@deploy-actions/probe';
import { readSshConnectionInputs } from '@deploy-actions/ssh';

/**
 * With `via-ssh`, reads the connection inputs exactly as ssh-deploy does (same names, same
 * host-key rules, several hosts allowed). Problems are recorded on the reader.
 */
export function readViaSsh(inputs: InputReader, log: Logger): ViaSsh | undefined {
  if (!inputs.boolean('via-ssh', { default: false })) {
    if (inputs.has('host')) {
      log.warning(
        "'host' is set but 'via-ssh' is not: probing from the runner. Set via-ssh: true to probe from the host.",
      );
    }
    return undefined;
  }
  const read = readSshConnectionInputs(inputs, { required: true });
  return read && read.targets.length > 0 ? { targets: read.targets, settings: read.settings } : undefined;
}
