// `strategy: swarm` inside ssh-deploy's session: the swarm steps of the plan (steps.ts) run here,
// against the manager the session is connected to, with the session's lock, release records
// and undo rules. The stack file of a release is its record: `.releases/<id>/stack.json`
// (mode 0600, the interpolated config as deployed), which a rollback or a restore redeploys.
import { formatDuration, type Logger } from '@deploy-actions/action-kit';
import { quoteCommand, type SshConnection } from '@deploy-actions/ssh';
import type { ComposeInvocation } from './compose.js';
import { releasePaths } from './host-scripts.js';
import type { Step } from './steps.js';
import { SwarmDeployment, SwarmDeployError, swarmSteps, type SwarmServiceResult } from './swarm.js';
import type { DeploySettings } from './types.js';

/** The steps of the plan a SwarmHost runs. */
export const SWARM_STEPS = [
  'check-manager',
  'render',
  'migrate',
  'stack-deploy',
  'converge',
  'record-images',
] as const;
export type SwarmHostStep = (typeof SWARM_STEPS)[number];

export function isSwarmStep(name: string): name is SwarmHostStep {
  return (SWARM_STEPS as readonly string[]).includes(name);
}

/** Where a release's stack file lives, relative to remote-dir (compose and stack deploy run there). */
export function stackFileOf(release: string): string {
  return `.releases/${release}/stack.json`;
}

/** The stack name: project-name (settings.ts requires it with strategy: swarm). */
export function stackName(settings: DeploySettings): string {
  return settings.projectName ?? '';
}

/**
 * The swarm steps of the plan: `check` goes first (after the lock, before any hook), `rollout`
 * replaces compose's steps. Forward: render, migrate, stack-deploy, converge, record-images; a
 * rollback: stack-deploy of the target's recorded stack file, converge. A failure at render or
 * migrate restores the files only (the stack did not change); later, the previous release's stack
 * file is redeployed (`app`).
 */
export function swarmPlan(
  s: DeploySettings,
  compose: ComposeInvocation,
  target: string,
  previous: string | undefined,
): { check: Step; rollout: Step[]; undoApp: string } {
  const stack = stackName(s);
  const file = `${s.remoteDir.replace(/\/+$/, '')}/${stackFileOf(target)}`;
  const texts = new Map(
    swarmSteps({
      stack,
      source: { compose },
      stackFileName: stackFileOf(target),
      ...(s.migrateService ? { migrateService: s.migrateService } : {}),
    }).map((st) => [st.name, st]),
  );
  const rollback = Boolean(s.rollback);
  const back =
    previous && previous !== target
      ? `copy release ${previous}'s files back, redeploy its stack file ${s.remoteDir.replace(/\/+$/, '')}/${stackFileOf(previous)} (stack-wide) and wait for convergence (no migrator: the schema stays)`
      : 'first deploy: nothing to restore; what swarm started keeps running, the release is marked failed, not current';
  const check: Step = {
    name: 'check-manager',
    does: `${texts.get('check-manager')!.does}: this node is an active swarm manager${rollback ? `; release ${target}'s stack file ${file} is there` : ''}`,
    changes: 'nothing',
    undo: 'none',
  };
  const rollout: Step[] = [];
  if (!rollback) {
    rollout.push({
      name: 'render',
      does: texts
        .get('render')!
        .does.replace(
          'checkSwarmStack',
          'check it for swarm (refuse build-only services and relative bind mounts)',
        ),
      changes: texts.get('render')!.changes,
      undo: 'files',
    });
    if (s.migrateService) {
      const m = texts.get('migrate')!;
      rollout.push({ name: 'migrate', does: m.does, changes: m.changes, undo: 'files' });
    }
  }
  rollout.push(
    {
      name: 'stack-deploy',
      does: quoteCommand(['docker', 'stack', 'deploy', '--with-registry-auth', '--prune', '-c', file, stack]),
      changes: texts.get('deploy')!.changes,
      undo: 'app',
      undoText: back,
    },
    {
      name: 'converge',
      does: `${texts.get('converge')!.does} (up to timeout, ${formatDuration(s.timeoutMs)}); a rolled-back or paused update fails with swarm's reason`,
      changes: 'nothing',
      undo: 'app',
      undoText: back,
    },
  );
  if (!rollback)
    rollout.push({
      name: 'record-images',
      does: `record the image swarm pinned for each service in ${releasePaths(s.remoteDir).releases}/${target}/images`,
      changes: 'the release record',
      undo: 'app',
      undoText: back,
    });
  return { check, rollout, undoApp: back };
}

export class SwarmHost {
  /** What converge saw last (the summary's services and the release's images). */
  services: SwarmServiceResult[] = [];
  private deployment?: SwarmDeployment;

  constructor(
    private readonly conn: SshConnection,
    private readonly settings: DeploySettings,
    /** Compose v2 with the deploy's -f and --env-file (the same for every release under swarm). */
    private readonly compose: ComposeInvocation,
    private readonly label: string,
    private readonly log: Logger,
    private readonly signal?: AbortSignal,
  ) {}

  private for(release: string, restoring = false): SwarmDeployment {
    const s = this.settings;
    this.deployment ??= new SwarmDeployment((argv, o) => this.conn.exec(argv, o), {
      stack: stackName(s),
      cwd: s.remoteDir,
      source: { compose: this.compose },
      stackFileName: stackFileOf(release),
      ...(s.migrateService ? { migrateService: s.migrateService } : {}),
      // Bounded by `timeout` (the signal): swarm itself fails an update that does not get healthy.
      migrateTimeoutMs: s.timeoutMs,
      // A restore also runs after the signal stopped the deploy: then it gets health-timeout + 1m
      // (within the grace period of health-timeout + 2m that hosts.ts gives an undo).
      timeoutMs: restoring && this.signal?.aborted ? s.healthTimeoutMs + 60_000 : s.timeoutMs,
      ...(this.signal && !restoring ? { signal: this.signal } : {}),
      host: this.label,
      log: this.log,
    });
    return this.deployment;
  }

  private absolute(release: string): string {
    return `${this.settings.remoteDir.replace(/\/+$/, '')}/${stackFileOf(release)}`;
  }

  /** Runs one swarm step of the plan for `release` (the release this run makes current). */
  async run(step: SwarmHostStep, release: string): Promise<void> {
    const d = this.for(release);
    switch (step) {
      case 'check-manager': {
        await d.checkManager();
        if (this.settings.rollback) await this.requireStackFile(release);
        return;
      }
      case 'render':
        await d.render();
        return;
      case 'migrate': {
        const m = await d.migrate();
        if (m) this.say(`migration ${m.service} done in ${m.durationMs} ms`);
        return;
      }
      case 'stack-deploy':
        await d.deploy(this.absolute(release));
        return;
      case 'converge':
        this.services = await d.converge();
        this.say(
          `converged: ${this.services.map((r) => `${r.service} ${r.updateState} ${r.running}/${r.replicas ?? r.running}`).join(', ')}`,
        );
        return;
      case 'record-images':
        await this.recordImages(release);
        return;
    }
  }

  /** The stack-wide restore: redeploys `release`'s recorded stack file and waits for convergence. */
  async restore(release: string): Promise<void> {
    this.say(`redeploying release ${release}'s stack file`);
    // A fresh deployment: the one of the failed release may be half-way through a step.
    this.deployment = undefined;
    const d = this.for(release, true);
    await d.checkManager();
    this.services = await d.redeploy(this.absolute(release));
  }

  private async requireStackFile(release: string): Promise<void> {
    const file = this.absolute(release);
    const r = await this.conn.exec(['test', '-f', file]);
    if (r.code !== 0)
      throw new SwarmDeployError(
        'swarm-rollback-failed',
        `${this.label}: release ${release} has no stack file (${file}): it was not deployed with strategy swarm. Nothing was changed.`,
        'check-manager',
      );
  }

  /** The images swarm pinned for each service (`repo:tag@sha256:...`), one a line, in the release record. */
  private async recordImages(release: string): Promise<void> {
    const file = `${releasePaths(this.settings.remoteDir).releases}/${release}/images`;
    const lines = [...new Set(this.services.map((r) => r.image).filter(Boolean))].sort();
    const r = await this.conn.exec(
      ['sh', '-c', 'umask 077 && cat > "$1.tmp" && mv -f "$1.tmp" "$1"', 'sh', file],
      {
        stdin: lines.map((l) => `${l}\n`).join(''),
      },
    );
    if (r.code !== 0)
      throw new SwarmDeployError(
        'swarm-record-failed',
        `${this.label}: could not record the images of release ${release} in ${file}: ${r.stderr.trim()}`,
        'converge',
      );
  }

  private say(message: string): void {
    this.log.info(`[${this.label}] swarm: ${message}`);
  }
}
