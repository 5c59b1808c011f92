import {
  errorMessage,
  escapeMarkdown,
  formatDuration,
  UserError,
  type ActionContext,
  type ActionDefinition,
  type SummaryBuilder,
} from '@deploy-actions/action-kit';
import {
  checkBuildContexts,
  collectBundle,
  deployToHosts,
  type Bundle,
  releaseHostLock,
  stopLeftoverWork,
  type HeldLock,
  type HostResult,
} from '@deploy-actions/deploy';
import {
  connectSsh,
  describeTarget,
  localConnection,
  readSshConnectionInputs,
  type SshConnection,
  type SshTarget,
} from '@deploy-actions/ssh';
import { runCheck, runPlan } from './plan-mode.js';
import { readSettings, type ActionSettings } from './settings.js';

const LOCKS_STATE = 'held-locks';
const LOCAL_HOST = 'localhost';

export function connectorFor(
  settings: ActionSettings,
  log: ActionContext['log'],
): { hosts: string[]; connect: (host: string) => Promise<SshConnection> } {
  if (settings.transport === 'local') return { hosts: [LOCAL_HOST], connect: async () => localConnection() };
  const byLabel = new Map<string, SshTarget>(settings.targets.map((t) => [describeTarget(t), t]));
  return {
    hosts: [...byLabel.keys()],
    connect: (host) => connectSsh(byLabel.get(host)!, settings.ssh!, log),
  };
}

function writeSummary(
  summary: SummaryBuilder,
  settings: ActionSettings,
  results: readonly HostResult[],
): void {
  const d = settings.deploy;
  summary.heading(
    d.dryRun
      ? 'ssh-deploy (dry run: nothing changed)'
      : d.rollback
        ? `ssh-deploy: rollback to ${d.rollback}`
        : 'ssh-deploy',
  );
  summary.paragraph(
    `Release \`${d.origin.id}\` of \`${d.origin.commit.slice(0, 12) || 'local'}\` to \`${d.remoteDir}\`${d.projectName ? ` (project \`${d.projectName}\`)` : ''}, ` +
      `${results.length} host(s), ${settings.parallel} at a time.`,
  );
  summary.table(
    ['host', 'status', 'release', 'previous', 'running now', 'duration', 'error'],
    results.map((r) => [
      r.host,
      r.status,
      r.release ?? '',
      r.previousRelease ?? '',
      r.running ?? '',
      formatDuration(r.durationMs),
      (r.error ?? '').split('\n')[0]!,
    ]),
  );
  const plan = results.find((r) => r.plan)?.plan;
  if (plan) summary.heading('Plan', 3).list(plan);
  const detailed = results.filter((r) => r.error && r.error.includes('\n'));
  for (const r of detailed)
    summary.details(
      `${r.host}: ${r.errorCode ?? 'error'}`,
      '```\n' + r.error!.replace(/```/g, "'''") + '\n```',
    );
}

async function prepareBundle(d: ActionSettings['deploy']): Promise<Bundle | undefined> {
  if (d.rollback) return undefined;
  const bundle = await collectBundle(d.sourceDir, d.files);
  if (d.strategy !== 'script' && d.composeFiles.length === 0 && !bundle.composeFile) {
    throw new UserError(
      'no-compose-file',
      `source-dir '${d.sourceDir}' has no compose.yaml / docker-compose.yml; ship one or name the host's files with compose-files.`,
    );
  }
  // Before anything connects: no build may see remote-dir/.releases.
  if (d.strategy === 'compose') checkBuildContexts(bundle, d.composeFiles);
  return bundle;
}

async function deploy(
  ctx: ActionContext,
  settings: ActionSettings,
  bundle: Bundle | undefined,
): Promise<void> {
  const { log, summary, setOutput, saveState } = ctx;
  const d = settings.deploy;
  const { hosts, connect } = connectorFor(settings, log);

  const held = new Map<string, HeldLock>();
  const saveLocks = (): void => saveState(LOCKS_STATE, JSON.stringify([...held.values()]));
  const locks = {
    taken: (lock: HeldLock) => {
      held.set(lock.host, lock);
      saveLocks();
    },
    released: (lock: HeldLock) => {
      held.delete(lock.host);
      saveLocks();
    },
  };

  // A rollback ships nothing: its release is the one it goes back to, not the run's new id.
  const what = d.rollback
    ? `${d.dryRun ? 'Planning a rollback' : 'Rolling back'} to ${d.rollback === 'previous' ? 'the previous release' : `release ${d.rollback}`} on`
    : `${d.dryRun ? 'Planning' : 'Deploying'} release ${d.origin.id} to`;
  log.info(`${what} ${hosts.join(', ')} (${settings.parallel} at a time)`);
  const results = await deployToHosts({
    hosts,
    connect,
    settings: d,
    ...(bundle ? { bundle } : {}),
    parallel: settings.parallel,
    failFast: settings.failFast,
    log,
    locks,
    cancel: ctx.cancelled,
  });
  writeSummary(summary, settings, results);

  const first = results.find((r) => r.release) ?? results[0]!;
  if (first.release) setOutput('release-id', first.release);
  const previous = results.find((r) => r.previousRelease)?.previousRelease;
  setOutput('previous-release-id', previous ?? '');
  setOutput(
    'rolled-back',
    results.some((r) => r.rolledBack),
  );
  setOutput('hosts', JSON.stringify(results.map(({ plan: _plan, ...rest }) => rest)));

  // The host that failed comes first (its code is the step's error-code), then hosts fleet-rollback took back.
  const failed = results
    .filter((r) => r.status === 'failed' || r.status === 'rolled-back' || r.status === 'cancelled')
    .sort(
      (a, b) => Number(a.errorCode === 'fleet-rolled-back') - Number(b.errorCode === 'fleet-rolled-back'),
    );
  if (failed.length > 0) {
    const others = failed
      .slice(1)
      .map((r) => `\n- ${r.host}: ${(r.error ?? r.status).split('\n')[0]}`)
      .join('');
    const head = failed.length === 1 ? '' : `${failed.length} of ${results.length} hosts failed. `;
    throw new UserError(
      failed[0]!.errorCode ?? 'deploy-failed',
      `${head}${failed[0]!.error ?? 'failed'}${others ? `\nAlso:${others}` : ''}`,
    );
  }
  if (ctx.cancelled.aborted && results.some((r) => r.status === 'skipped'))
    throw new UserError(
      'cancelled',
      `The run was cancelled; not deployed: ${results
        .filter((r) => r.status === 'skipped')
        .map((r) => r.host)
        .join(', ')}.`,
    );
}

export const action: ActionDefinition = {
  name: 'ssh-deploy',
  // A cancel stops each host where it is and records it (session.ts); the lock is released before exit.
  cancellable: true,

  async main(ctx: ActionContext) {
    let settings: ActionSettings;
    let bundle: Bundle | undefined;
    try {
      settings = readSettings(ctx.inputs, ctx.env);
      ctx.inputs.finish();
      // `mode: check` compares the hosts with their records: no bundle.
      if (settings.mode !== 'check') bundle = await prepareBundle(settings.deploy);
    } catch (error) {
      // Nothing was deployed; the summary still says why, as every step's summary does.
      ctx.summary.heading('ssh-deploy: nothing deployed').paragraph(escapeMarkdown(errorMessage(error)));
      throw error;
    }
    if (settings.mode === 'plan') return runPlan(ctx, settings, bundle!, connectorFor(settings, ctx.log));
    if (settings.mode === 'check') return runCheck(ctx, settings, connectorFor(settings, ctx.log));
    await deploy(ctx, settings, bundle);
  },
  /** Releases host locks a cancelled or killed main step left behind (only ours: the token must match). */
  async post({ inputs, log, getState }: ActionContext) {
    const raw = getState(LOCKS_STATE);
    const locks = raw ? (JSON.parse(raw) as HeldLock[]) : [];
    if (locks.length === 0) return;
    const transport = inputs.enum('transport', ['ssh', 'local'] as const, { default: 'ssh' });
    const connection = transport === 'ssh' ? readSshConnectionInputs(inputs, { required: true }) : undefined;
    inputs.finish();
    for (const lock of locks) {
      let conn: SshConnection | undefined;
      try {
        if (connection) {
          const target = connection.targets.find((t) => describeTarget(t) === lock.host);
          if (!target) continue;
          conn = await connectSsh(target, connection.settings, log);
        } else {
          conn = localConnection();
        }
        const stopped = await stopLeftoverWork(conn, lock);
        if (stopped) log.info(`${lock.host}: ${stopped} (the migration that run left running)`);
        const released = await releaseHostLock(conn, lock);
        log.info(
          released
            ? `${lock.host}: released the host lock ${lock.lockDir} left by the main step`
            : `${lock.host}: the host lock is no longer ours; left alone`,
        );
      } catch (error) {
        log.warning(
          `${lock.host}: could not release the host lock ${lock.lockDir}: ${(error as Error).message}. Remove it on the host if no deploy is running.`,
        );
      } finally {
        await conn?.close();
      }
    }
  },
};
