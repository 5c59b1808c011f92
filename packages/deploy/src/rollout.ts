import { setTimeout as sleep } from 'node:timers/promises';
import { formatDuration, UserError, type Logger } from '@deploy-actions/action-kit';
import { quoteShellArg, type ExecResult, type SshConnection } from '@deploy-actions/ssh';
import { bundleArchive, type Bundle } from './bundle.js';
import { composeInvocation, type ComposeFlavour, type ComposeInvocation } from './compose.js';
import { checkHealthCommand, checkHealthUrl, type HealthOutcome } from './health.js';
import {
  ACTIVATE_SCRIPT,
  CONTAINER_STATE_SCRIPT,
  FINISH_SCRIPT,
  INSPECT_SCRIPT,
  MARK_STATUS_SCRIPT,
  MERGE_ENV_SCRIPT,
  RECORD_IMAGES_SCRIPT,
  SHIP_RELEASE_SCRIPT,
  releasePaths,
  RETAG_SCRIPT,
} from './host-scripts.js';
import { withHookEnv } from './hook-env.js';
import { acquireHostLock, releaseHostLock } from './lock.js';
import { RemoteCommandError } from './remote-error.js';
import type { DeploySettings, HeldLock, HostResult } from './types.js';

/** What the host looks like before a deploy. */
export interface HostState {
  compose?: ComposeFlavour;
  current?: string;
  exists: boolean;
  hasOverride: boolean;
  /** Releases made current, oldest first. */
  history: string[];
  /** Releases kept on the host. */
  releases: string[];
}

export interface HostDeployment {
  label: string;
  conn: SshConnection;
  settings: DeploySettings;
  /** The bundle to ship; absent for a rollback. */
  bundle?: Bundle;
  log: Logger;
  /** Told about every lock taken and released, so the post step can release one a cancelled run left. */
  locks: { taken(lock: HeldLock): void; released(lock: HeldLock): void };
}

/** The health gate failed; `rolledBack` says whether the previous release was restored. */
export class HealthGateError extends UserError {
  constructor(
    message: string,
    readonly rolledBack: boolean,
    readonly previousRelease: string | undefined,
  ) {
    super('health-gate-failed', message);
  }
}

/** A failure that happened after the app was touched, so the host must go back to the previous release. */
class AppChangedError extends Error {
  constructor(readonly original: unknown) {
    super((original as Error).message);
  }
}

export function parseState(stdout: string): HostState {
  const state: HostState = { exists: false, hasOverride: false, history: [], releases: [] };
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1).trim();
    if (key === 'compose' && (value === 'v1' || value === 'v2')) state.compose = value;
    else if (key === 'current' && value !== '') state.current = value;
    else if (key === 'override') state.hasOverride = true;
    else if (key === 'exists') state.exists = true;
    else if (key === 'history' && value !== '') state.history.push(value);
    else if (key === 'release') state.releases.push(value);
  }
  return state;
}

export async function inspectHost(conn: SshConnection, remoteDir: string): Promise<HostState> {
  const result = await conn.exec(['sh', '-c', INSPECT_SCRIPT, 'sh', remoteDir]);
  return parseState(result.stdout);
}

/** The release `rollback` names: `previous` is the one current before the current one. */
export function resolveRollbackTarget(state: HostState, wanted: string, label: string): string {
  if (wanted === 'previous') {
    const previous = [...state.history]
      .reverse()
      .find((id) => id !== state.current && state.releases.includes(id));
    if (!previous) {
      throw new UserError(
        'no-previous-release',
        `${label}: there is no previous release to roll back to (current: ${state.current ?? 'none'}).`,
      );
    }
    return previous;
  }
  if (!state.releases.includes(wanted)) {
    throw new UserError(
      'release-not-found',
      `${label}: release '${wanted}' is not on the host. Kept releases: ${state.releases.join(', ') || 'none'}.`,
    );
  }
  return wanted;
}

/** The steps a deploy would take, for dry-run and the log. */
export function planSteps(
  settings: DeploySettings,
  state: HostState,
  bundle: Bundle | undefined,
  releaseId: string,
): string[] {
  const steps: string[] = [];
  const rel = releasePaths(settings.remoteDir).releases;
  steps.push(`take the host lock ${rel}/.lock (wait up to ${formatDuration(settings.lockTimeoutMs)})`);
  if (settings.rollback) {
    steps.push(
      `re-activate release ${settings.rollback === 'previous' ? 'previous' : settings.rollback} (current: ${state.current ?? 'none'})`,
    );
  } else if (bundle) {
    steps.push(
      `upload ${bundle.files.length} file(s) (${bundle.totalBytes} bytes) as one archive to ${rel}/${releaseId}`,
    );
  }
  if (settings.preDeploy) steps.push('run pre-deploy');
  steps.push(
    `copy the release into ${settings.remoteDir}, keeping ${settings.preserve.join(', ') || 'nothing'} as the host has them`,
  );
  if (settings.strategy === 'script') {
    steps.push('run script');
  } else {
    const v1Merged = state.compose === 'v1' && settings.envFiles.length > 1;
    const c = composeInvocation({
      flavour: state.compose ?? 'v2',
      ...(settings.projectName ? { projectName: settings.projectName } : {}),
      files: settings.composeFiles,
      envFiles: v1Merged ? [`${rel}/${releaseId}/compose.env`] : settings.envFiles,
    });
    const line = (...args: string[]): string =>
      c
        .argv(...args)
        .map(quoteShellArg)
        .join(' ');
    if (v1Merged)
      steps.push(
        `merge env-files ${settings.envFiles.join(', ')} into ${rel}/${releaseId}/compose.env (compose v1 reads one)`,
      );
    steps.push(line('config', '-q'));
    if (settings.build) steps.push(line('build', ...settings.services));
    if (settings.pull && !settings.rollback) steps.push(line('pull'));
    if (settings.servicesFirst.length)
      steps.push(`${line('up', '-d', ...settings.servicesFirst)}, then wait until healthy`);
    if (settings.migrateService) steps.push(line('run', '--rm', '-T', settings.migrateService));
    steps.push(line('up', '-d', ...settings.services));
  }
  if (settings.healthUrl)
    steps.push(
      `wait for ${settings.healthUrl} (up to ${formatDuration(settings.healthTimeoutMs)}); roll back if it never passes`,
    );
  if (settings.healthCmd)
    steps.push(
      `wait for health-cmd to pass (up to ${formatDuration(settings.healthTimeoutMs)}); roll back if it never does`,
    );
  if (settings.postDeploy) steps.push('run post-deploy');
  steps.push(`mark the release current, keep the last ${settings.keepReleases}`);
  steps.push('release the host lock');
  return steps;
}

/** Runs the rollout on one host. Throws a UserError (HealthGateError when the gate failed) on failure. */
export async function deployHost(d: HostDeployment): Promise<HostResult> {
  const started = Date.now();
  const { conn, settings, label, log } = d;
  const say = (message: string): void => log.info(`[${label}] ${message}`);
  const releaseId = settings.origin.id;
  if (settings.dryRun) {
    const state = await inspectHost(conn, settings.remoteDir);
    checkCompose(settings, state, label);
    const target = settings.rollback ? resolveRollbackTarget(state, settings.rollback, label) : releaseId;
    const plan = planSteps(settings, state, d.bundle, target);
    say(`dry-run: would deploy release ${target} (current: ${state.current ?? 'none'}):`);
    for (const step of plan) say(`  - ${step}`);
    return {
      host: label,
      status: 'planned',
      release: target,
      ...(state.current ? { previousRelease: state.current } : {}),
      rolledBack: false,
      durationMs: Date.now() - started,
      plan,
    };
  }

  // The host's state is read in the same exec that takes the lock, so no other deploy can change it after.
  const { lock, hostState } = await acquireHostLock(
    conn,
    label,
    settings.remoteDir,
    settings.origin,
    { timeoutMs: settings.lockTimeoutMs, holdForMs: settings.timeoutMs },
    log,
  );
  d.locks.taken(lock);
  let session: HostSession | undefined;
  try {
    const state = parseState(hostState);
    checkCompose(settings, state, label);
    session = new HostSession(d, state, lock);
    const result = await session.run();
    return { ...result, durationMs: Date.now() - started };
  } finally {
    if (session?.lockReleased) {
      d.locks.released(lock);
      say('lock released');
    } else {
      try {
        await releaseHostLock(conn, lock);
        d.locks.released(lock);
        say('lock released');
      } catch (error) {
        log.warning(
          `${label}: could not release the host lock ${lock.lockDir}: ${(error as Error).message}. The post step will try again.`,
        );
      }
    }
  }
}

function checkCompose(settings: DeploySettings, state: HostState, label: string): void {
  if (settings.strategy === 'compose' && !state.compose) {
    throw new UserError(
      'compose-missing',
      `${label}: neither \`docker compose\` nor \`docker-compose\` works for this user on the host.`,
    );
  }
}

/** One deploy on one host while holding its lock. */
class HostSession {
  private readonly rel: string;
  private readonly label: string;
  private readonly conn: SshConnection;
  private readonly settings: DeploySettings;
  private readonly log: Logger;
  /** Set when the final step released the lock together with marking the release current. */
  lockReleased = false;
  /** Releases whose merged env file (compose v1) is already fresh in this deploy. */
  private readonly mergedEnv = new Set<string>();

  constructor(
    private readonly d: HostDeployment,
    private readonly state: HostState,
    private readonly lock: HeldLock,
  ) {
    this.rel = releasePaths(d.settings.remoteDir).releases;
    this.label = d.label;
    this.conn = d.conn;
    this.settings = d.settings;
    this.log = d.log;
  }

  private say(message: string): void {
    this.log.info(`[${this.label}] ${message}`);
  }

  /** Runs a command; a non-zero exit becomes a RemoteCommandError with host, step, command and output. */
  private async exec(
    code: string,
    step: string,
    command: readonly string[] | string,
    options: {
      display?: string;
      stdin?: NodeJS.ReadableStream | string;
      env?: Record<string, string>;
      cwd?: string;
      quiet?: boolean;
    } = {},
  ): Promise<ExecResult> {
    const display =
      options.display ?? (typeof command === 'string' ? step : command.map(quoteShellArg).join(' '));
    if (!options.quiet) this.say(`$ ${display}`);
    const result = await this.conn.exec(command, {
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
      ...(options.env ? { env: options.env } : {}),
      ...(options.cwd !== undefined ? { cwd: options.cwd } : {}),
      ...(options.quiet ? {} : { onOutput: (line: string) => this.log.info(`[${this.label}]   ${line}`) }),
    });
    if (result.code !== 0) throw new RemoteCommandError(code, this.label, step, display, result);
    return result;
  }

  private script(
    code: string,
    step: string,
    script: string,
    args: readonly string[],
    options: { stdin?: NodeJS.ReadableStream | string; quiet?: boolean } = {},
  ): Promise<ExecResult> {
    return this.exec(code, step, ['sh', '-c', script, 'sh', ...args], {
      display: step,
      quiet: options.quiet ?? true,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    });
  }

  async run(): Promise<Omit<HostResult, 'durationMs'>> {
    const previous = this.state.current;
    const s = this.settings;
    let target: string;
    if (s.rollback) {
      target = resolveRollbackTarget(this.state, s.rollback, this.label);
      this.say(`rolling back to release ${target} (current: ${previous ?? 'none'})`);
    } else {
      target = s.origin.id;
    }
    const env = this.hookEnv(target, previous);
    // Before anything ships, so a hook's backup sees the host exactly as the previous release left it.
    if (s.preDeploy)
      await this.exec('pre-deploy-failed', 'pre-deploy', await this.withEnvFiles(s.preDeploy), {
        cwd: s.remoteDir,
        env,
        display: 'pre-deploy hook',
      });
    if (s.rollback) await this.activate(target, previous);
    else await this.ship(target, previous);
    try {
      await this.rollout(target, { pull: s.pull && !s.rollback, restoreImages: Boolean(s.rollback) });
    } catch (error) {
      const appChanged = error instanceof AppChangedError;
      const cause = appChanged ? error.original : error;
      await this.markStatus(target, `failed: ${(cause as Error).message.split('\n')[0]}`);
      if (previous && previous !== target) {
        this.say(`restoring release ${previous} after the failure`);
        await this.activate(previous, target);
        if (appChanged)
          await this.rollout(previous, { pull: false, restoreImages: true }).catch(() => undefined);
      }
      throw cause;
    }

    const health = await this.healthGate(env);
    if (!health.healthy) {
      await this.markStatus(target, 'failed: health gate');
      if (previous && previous !== target) {
        this.say(`health gate failed; rolling back to ${previous}`);
        await this.activate(previous, target);
        await this.rollout(previous, { pull: false, restoreImages: true });
        const after = await this.healthGate(this.hookEnv(previous, target));
        throw new HealthGateError(
          `${this.label}: release ${target} did not become healthy, so the host was rolled back to ${previous}` +
            `${after.healthy ? '' : ' (which is not healthy either)'}.\n${health.detail}`,
          true,
          previous,
        );
      }
      throw new HealthGateError(
        `${this.label}: release ${target} did not become healthy and there is no previous release to roll back to.\n${health.detail}`,
        false,
        undefined,
      );
    }
    if (s.postDeploy)
      await this.exec('post-deploy-failed', 'post-deploy', await this.withEnvFiles(s.postDeploy), {
        cwd: s.remoteDir,
        env,
        display: 'post-deploy hook',
      });
    const finished = await this.script('mark-current-failed', 'mark the release current', FINISH_SCRIPT, [
      s.remoteDir,
      target,
      String(s.keepReleases),
      s.rollback ? 'active (rollback)' : 'active',
      this.lock.lockDir,
      this.lock.token,
    ]);
    this.lockReleased = finished.stdout.includes('released');
    this.say(`release ${target} is live${previous ? ` (was ${previous})` : ''}`);
    return {
      host: this.label,
      status: 'deployed',
      release: target,
      ...(previous ? { previousRelease: previous } : {}),
      rolledBack: false,
    };
  }

  /** Uploads the bundle as one archive, records the release and copies it into remote-dir, in one exec. */
  private async ship(id: string, previous: string | undefined): Promise<void> {
    const bundle = this.d.bundle;
    if (!bundle) throw new Error('no bundle to upload');
    const s = this.settings;
    const started = Date.now();
    const record = {
      ...s.origin,
      createdAt: new Date().toISOString(),
      files: bundle.files.length,
      bytes: bundle.totalBytes,
      envFiles: s.envFiles,
      projectName: s.projectName ?? null,
      strategy: s.strategy,
    };
    const merged = this.needsMergedEnv() ? this.mergedEnvPath(id) : '';
    await this.script(
      'upload-failed',
      `upload ${bundle.files.length} file(s) to ${this.rel}/${id} and copy them into ${s.remoteDir}`,
      SHIP_RELEASE_SCRIPT,
      [s.remoteDir, id, previous ?? '', s.preserve.join('\n'), JSON.stringify(record), merged, ...s.envFiles],
      { stdin: await bundleArchive(bundle), quiet: false },
    );
    if (merged) this.mergedEnv.add(id);
    this.say(
      `shipped ${bundle.files.length} file(s), ${bundle.totalBytes} bytes, in ${formatDuration(Date.now() - started)}`,
    );
  }

  private needsMergedEnv(): boolean {
    return (
      this.settings.strategy === 'compose' && this.state.compose === 'v1' && this.settings.envFiles.length > 1
    );
  }

  private mergedEnvPath(release: string): string {
    return `${this.rel}/${release}/compose.env`;
  }

  private async activate(id: string, previous: string | undefined): Promise<void> {
    await this.script(
      'activate-failed',
      `copy release ${id} into ${this.settings.remoteDir}`,
      ACTIVATE_SCRIPT,
      [this.settings.remoteDir, id, previous ?? '', this.settings.preserve.join('\n')],
      { quiet: false },
    );
  }

  private async markStatus(id: string, text: string): Promise<void> {
    await this.conn
      .exec(['sh', '-c', MARK_STATUS_SCRIPT, 'sh', this.settings.remoteDir, id, text])
      .catch(() => undefined);
  }

  private hookEnv(release: string, previous: string | undefined): Record<string, string> {
    const s = this.settings;
    return {
      DEPLOY_RELEASE_ID: release,
      DEPLOY_PREVIOUS_RELEASE_ID: previous ?? '',
      DEPLOY_REMOTE_DIR: s.remoteDir,
      DEPLOY_RELEASE_DIR: `${this.rel}/${release}`,
      DEPLOY_HOST: this.label,
      DEPLOY_COMMIT: s.origin.commit,
      ...(s.projectName ? { COMPOSE_PROJECT_NAME: s.projectName } : {}),
    };
  }

  /**
   * Hooks and scripts see the env files' variables exported, with the exact values compose
   * reads (never by sourcing a compose-format file: see hook-env.ts).
   */
  private withEnvFiles(command: string): Promise<string> {
    return withHookEnv(
      this.conn,
      {
        label: this.label,
        remoteDir: this.settings.remoteDir,
        envFiles: this.settings.envFiles,
        target: `${this.lock.lockDir}/hook.env`,
        note: (message) => this.say(message),
      },
      command,
    );
  }

  private async compose(release: string): Promise<ComposeInvocation> {
    const s = this.settings;
    let envFiles = s.envFiles;
    if (this.needsMergedEnv()) {
      // compose v1 reads one --env-file; merged in order, later files win as they would in v2.
      const merged = this.mergedEnvPath(release);
      if (!this.mergedEnv.has(release)) {
        await this.script('env-files-failed', 'merge env-files for docker-compose v1', MERGE_ENV_SCRIPT, [
          s.remoteDir,
          merged,
          ...s.envFiles,
        ]);
        this.mergedEnv.add(release);
      }
      envFiles = [merged];
    }
    return composeInvocation({
      flavour: this.state.compose ?? 'v2',
      ...(s.projectName ? { projectName: s.projectName } : {}),
      files: s.composeFiles,
      envFiles,
    });
  }

  private async rollout(release: string, options: { pull: boolean; restoreImages: boolean }): Promise<void> {
    const s = this.settings;
    const cwd = s.remoteDir;
    if (s.strategy === 'script') {
      await this.exec('script-failed', 'script', await this.withEnvFiles(s.script ?? ''), {
        cwd,
        env: this.hookEnv(release, this.state.current),
        display: 'deploy script',
      }).catch((error: unknown) => {
        throw new AppChangedError(error);
      });
      return;
    }
    const c = await this.compose(release);
    const run = (code: string, step: string, ...args: string[]): Promise<ExecResult> =>
      this.exec(code, step, c.argv(...args), { cwd });
    await run('compose-config-invalid', 'validate the compose config', 'config', '-q');
    if (options.restoreImages) {
      await this.script('rollback-failed', `restore the images of release ${release}`, RETAG_SCRIPT, [
        `${this.rel}/${release}/images`,
      ]);
    }
    if (s.build) await run('build-failed', 'build', 'build', ...s.services);
    if (options.pull) {
      const services = s.services.length
        ? [...new Set([...s.servicesFirst, ...(s.migrateService ? [s.migrateService] : []), ...s.services])]
        : [];
      await run('pull-failed', 'pull', 'pull', ...(s.build ? ['--ignore-pull-failures'] : []), ...services);
    }
    if (s.servicesFirst.length) {
      await run('services-first-failed', 'start services-first', 'up', '-d', ...s.servicesFirst);
      await this.waitHealthy(c, s.servicesFirst);
    }
    if (s.migrateService)
      await run('migration-failed', `migration (${s.migrateService})`, 'run', '--rm', '-T', s.migrateService);
    try {
      await run('up-failed', 'start the services', 'up', '-d', ...s.services);
      const project = this.settings.projectName;
      await this.script('up-failed', 'record images', RECORD_IMAGES_SCRIPT, [
        `${this.rel}/${release}/images`,
        project ?? '',
        ...(project ? [] : await this.composeIds(c, [], 'up-failed')),
      ]);
    } catch (error) {
      throw new AppChangedError(error);
    }
  }

  /** Container ids through compose itself, for when the project name is compose's own choice. */
  private async composeIds(
    c: ComposeInvocation,
    services: readonly string[],
    code: string,
  ): Promise<string[]> {
    const result = await this.exec(code, 'list containers', c.argv('ps', '-q', ...services), {
      cwd: this.settings.remoteDir,
      quiet: true,
    });
    return result.stdout.split(/\s+/).filter(Boolean);
  }

  /** services-first: running, and healthy when they have a healthcheck. */
  private async waitHealthy(c: ComposeInvocation, services: readonly string[]): Promise<void> {
    const deadline = Date.now() + this.settings.healthTimeoutMs;
    let states = '';
    for (;;) {
      const project = this.settings.projectName;
      const args = project
        ? [project, ...services]
        : ['', ...(await this.composeIds(c, services, 'services-first-failed'))];
      states = (
        await this.script('services-first-failed', 'inspect services-first', CONTAINER_STATE_SCRIPT, args)
      ).stdout.trim();
      const statuses = states
        .split('\n')
        .filter(Boolean)
        .map((l) => l.split(' ')[1]);
      if (
        statuses.length >= services.length &&
        statuses.every((st) => st === 'healthy' || st === 'running')
      ) {
        this.say(`services-first healthy: ${services.join(', ')}`);
        return;
      }
      if (statuses.some((st) => st === 'unhealthy' || st === 'exited' || st === 'dead')) break;
      if (Date.now() > deadline) break;
      await sleep(1000);
    }
    throw new UserError(
      'services-first-unhealthy',
      `${this.label}: services-first (${services.join(', ')}) did not become healthy within health-timeout: ${states.replace(/\n/g, '; ') || 'no containers'}. The app was not changed.`,
    );
  }

  private async healthGate(env: Record<string, string>): Promise<HealthOutcome> {
    const s = this.settings;
    const outcomes: HealthOutcome[] = [];
    if (s.healthUrl) {
      this.say(`health gate: waiting for ${s.healthUrl}`);
      outcomes.push(await checkHealthUrl(this.conn, s.healthUrl, s.healthTimeoutMs, this.log));
    }
    if (s.healthCmd && outcomes.every((o) => o.healthy)) {
      this.say('health gate: running health-cmd');
      outcomes.push(
        await checkHealthCommand(
          this.conn,
          await this.withEnvFiles(s.healthCmd),
          { cwd: s.remoteDir, env, timeoutMs: s.healthTimeoutMs },
          this.log,
        ),
      );
    }
    const failed = outcomes.find((o) => !o.healthy);
    if (failed) return failed;
    if (outcomes.length) this.say(`health gate passed: ${outcomes.map((o) => o.detail).join('; ')}`);
    return { healthy: true, detail: outcomes.map((o) => o.detail).join('; ') || 'no health gate configured' };
  }
}
