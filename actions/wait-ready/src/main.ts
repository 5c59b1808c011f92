import {
  UserError,
  formatDuration,
  secretRedactor,
  type ActionContext,
  type ActionDefinition,
} from '@deploy-actions/action-kit';
import { describeNotReady, displayUrl, waitUntilReadyVia } from '@deploy-actions/probe';
import { describeTarget } from '@deploy-actions/ssh';
import { statusLines, writeSummary } from './report.js';
import { readWaitReadySettings } from './settings.js';
import { readViaSsh } from './via-ssh.js';

export const action: ActionDefinition = {
  name: 'wait-ready',
  untouched: 'Nothing was probed.',
  async main({ inputs, log, summary, setOutput, env }: ActionContext) {
    const settings = readWaitReadySettings(inputs, log, env['GITHUB_WORKSPACE'] ?? process.cwd());
    const viaSsh = readViaSsh(inputs, log);
    inputs.finish();
    if (settings.insecureTls) {
      log.warning(
        'insecure-tls is set: TLS certificates are NOT verified, so anything on the path can answer for the service. ' +
          'Pass the private CA with ca-cert instead.',
      );
    }

    const started = performance.now();
    const controller = new AbortController();
    // The runner sends SIGINT/SIGTERM when the job is cancelled; stop probing and report what was seen.
    const cancel = (): void => controller.abort();
    process.once('SIGINT', cancel);
    process.once('SIGTERM', cancel);

    const from = viaSsh
      ? `${viaSsh.targets.map((t) => `${viaSsh.settings.username}@${describeTarget(t)}`).join(', ')} through SSH`
      : 'the runner';
    let connected = false;
    try {
      const result = await waitUntilReadyVia(
        viaSsh,
        settings.probes,
        {
          timeoutMs: settings.timeoutMs,
          intervalMs: settings.intervalMs,
          maxIntervalMs: settings.maxIntervalMs,
          successThreshold: settings.successThreshold,
          initialDelayMs: settings.initialDelayMs,
          signal: controller.signal,
          redact: secretRedactor(settings.secrets),
        },
        log,
        {
          connected: (labels) => {
            connected = true;
            if (viaSsh) log.info(`Connected to ${labels.join(', ')}; probing from there.`);
          },
        },
      );
      const elapsedMs = Math.round(performance.now() - started);
      setOutput('ready', result.ready);
      setOutput('attempts', result.attempts);
      setOutput('elapsed-ms', elapsedMs);
      setOutput('status', statusLines(result));
      writeSummary(summary, { ...result, elapsedMs }, { timeoutMs: settings.timeoutMs, from });
      if (!result.ready) {
        throw new UserError(
          result.gaveUp === 'aborted' ? 'cancelled' : 'not-ready',
          describeNotReady({ ...result, elapsedMs }, settings.timeoutMs),
        );
      }
      log.info(
        `Ready after ${formatDuration(elapsedMs)}: ${settings.probes.map((p) => displayUrl(p.url)).join(', ')}.`,
      );
    } catch (error) {
      if (!connected) {
        // Workflows that continue on error still read the outputs.
        setOutput('ready', false);
        setOutput('attempts', 0);
        setOutput('elapsed-ms', Math.round(performance.now() - started));
        summary
          .heading('wait-ready: not ready')
          .paragraph(`Could not open the SSH connection to probe from ${from}; nothing was probed.`);
      }
      throw error;
    } finally {
      process.off('SIGINT', cancel);
      process.off('SIGTERM', cancel);
    }
  },
};
