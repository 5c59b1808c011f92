import { setTimeout as sleep } from 'node:timers/promises';
import { parse as parseYaml } from 'yaml';
import {
  errorMessage,
  formatDuration,
  isUserError,
  UserError,
  type Logger,
} from '@deploy-actions/action-kit';
import { quoteShellArg, type ExecResult, type SshConnection } from '@deploy-actions/ssh';
import { bundleArchive } from './bundle.js';
import { ChainPartNotRun, ExecChain, type ChainPart } from './chain.js';
import type { ComposeInvocation } from './compose.js';
import { checkHealthCommand, checkHealthUrl, type HealthOutcome } from './health.js';
import {
  ACTIVATE_SCRIPT,
  CONTAINER_STATE_SCRIPT,
  FINISH_SCRIPT,
  HEALTH_LOOK_SCRIPT,
  MARK_STATUS_SCRIPT,
  MERGE_ENV_SCRIPT,
  RECORD_IMAGES_SCRIPT,
  RETAG_SCRIPT,
  SHIP_RELEASE_SCRIPT,
  releasePaths,
} from './host-scripts.js';
import { DEFAULT_PRESERVE, preserveRules, type PreserveRules } from './preserve.js';
import { withHookEnv } from './hook-env.js';
import { RemoteCommandError } from './remote-error.js';
import {
  checkRollable,
  rollingUpdate,
  RollingUpdateError,
  type ComposeConfigJson,
  type RolledService,
  type RollingSelection,
} from './rolling.js';
import { DeployFailure, HealthGateError } from './errors.js';
import { isSwarmStep, SwarmHost } from './swarm-host.js';
import type { HostDeployment } from './rollout.js';
import type { HostState } from './state.js';
import { resolveRollbackTarget } from './state.js';
import {
  composeFor,
  describePlan,
  mergedEnvPath,
  needsMergedEnv,
  needsServiceList,
  planRollout,
  upServices,
  type Step,
  type StepName,
} from './steps.js';
import type { HeldLock, HostResult } from './types.js';

type ExecOptions = {
  display?: string;
  stdin?: NodeJS.ReadableStream | string;
  env?: Record<string, string>;
  cwd?: string;
  quiet?: boolean;
};

/** The line between the two parts of a paired exec (PAIR_SCRIPT). */
export const PAIR_MARK = '@@deploy-actions-next-step';

/**
 * Two adjacent steps in one exec (every exec costs a session on the host, ~0.05-0.1 s): a
 * compose argv (run in remote-dir) and a host script, in either order; the second runs only
 * when the first succeeded, after a marker line, so each part's exit and output stay its own.
 * The script runs as its own `sh -c` with its own arguments, exactly as when it runs alone.
 * Args: dir, order (argv-first | script-first), script, n, the argv's n words, the script's args.
 */
export const PAIR_SCRIPT = `
D=$1; ORDER=$2; S=$3; N=$4; shift 4
run_head() {
  rh_n=$1; shift; rh_c=0
  for rh_a do shift; rh_c=$((rh_c + 1)); if [ "$rh_c" -le "$rh_n" ]; then set -- "$@" "$rh_a"; fi; done
  "$@"
}
run_argv() { (cd "$D" && run_head "$N" "$@"); }
run_script() { (shift "$N"; sh -c "$S" sh "$@"); }
if [ "$ORDER" = argv-first ]; then run_argv "$@" || exit $?; echo ${PAIR_MARK}; run_script "$@"
else run_script "$@" || exit $?; echo ${PAIR_MARK}; run_argv "$@"; fi
`;

/** The result of a paired exec, split: `second` is absent when the first part failed. */
interface PairResult {
  first: ExecResult;
  second?: ExecResult;
}

function splitPair(result: ExecResult): PairResult {
  const lines = result.stdout.split('\n');
  const at = lines.indexOf(PAIR_MARK);
  if (at < 0) return { first: result };
  return {
    first: { code: 0, stdout: lines.slice(0, at).join('\n'), stderr: result.stderr },
    second: { code: result.code, stdout: lines.slice(at + 1).join('\n'), stderr: result.stderr },
  };
}

/** One deploy on one host while holding its lock: executes the plan's steps in order. */
export class HostSession {
  private readonly rel: string;
  private readonly label: string;
  private readonly conn: SshConnection;
  private readonly settings: HostDeployment['settings'];
  private readonly log: Logger;
  /** Set when the final step released the lock together with marking the release current. */
  lockReleased = false;
  /** Releases whose merged env file (compose v1) is already fresh in this deploy. */
  private readonly mergedEnv = new Set<string>();
  /** Services `config --services` listed, per release. */
  private readonly configServices = new Map<string, string[]>();
  /** `strategy: rolling`: what check-rolling found (the services to roll, every service). */
  private rollingPlan?: { selection: RollingSelection; all: string[] };
  /** `strategy: rolling`: what the roll did, per service. */
  rolled: RolledService[] = [];
  /** `strategy: swarm`: the swarm steps against the manager (swarm-host.ts). */
  private swarmHost?: SwarmHost;
  /** The plan being run (a step may run together with the next one in one exec). */
  private steps: Step[] = [];
  /** Steps whose command already ran in the exec of the step before: their result. */
  private readonly ranEarly = new Map<Step['name'], ExecResult>();
  /** services-first's `up -d` and its first health look, when they ran in the pull's exec. */
  private servicesFirstEarly?: PairResult;
  /**
   * The steps from pull to mark-current in one exec (ExecChain): each step's parts, by index,
   * and the step that started it (the others wait at a gate until their step runs).
   */
  private chain?: { exec: ExecChain; steps: Map<StepName, number[]>; first: StepName };

  constructor(
    private readonly d: HostDeployment,
    private readonly state: HostState,
    private readonly lock: HeldLock,
    /** The lock's exec, waiting at its gate: the upload runs in it (acquireHostLock `chained`). */
    private lockChain?: ExecChain,
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
    options: ExecOptions = {},
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

  /** Whether the step's command already ran in the exec of the step before. */
  private ranAlready(name: Step['name']): boolean {
    return this.ranEarly.has(name) || (name === 'services-first' && this.servicesFirstEarly !== undefined);
  }

  /**
   * Whether a failure at `step` comes after this release may have started containers of its
   * own: from services-first or migrate on, whichever comes first (services-first's `up -d` may
   * have started some before it failed; `run --rm` of the migrator starts what it depends on).
   * build and pull only change image tags: before those steps nothing of the release runs.
   */
  private startedContainers(step: Step): boolean {
    const first = this.steps.findIndex((st) => st.name === 'services-first' || st.name === 'migrate');
    return first >= 0 && this.steps.findIndex((st) => st.name === step.name) >= first;
  }

  /** The step after `name` in the plan being run. */
  private next(name: Step['name']): Step | undefined {
    const at = this.steps.findIndex((st) => st.name === name);
    return at < 0 ? undefined : this.steps[at + 1];
  }

  /**
   * Runs a compose argv (in remote-dir) and a host script in one exec (PAIR_SCRIPT). The argv's
   * output is logged as it comes (unless quiet); the script's is not.
   */
  private async pair(
    order: 'argv-first' | 'script-first',
    argv: readonly string[],
    script: string,
    args: readonly string[],
    options: { stdin?: NodeJS.ReadableStream | string; logArgv?: boolean } = {},
  ): Promise<PairResult> {
    let inArgv = order === 'argv-first';
    const result = await this.conn.exec(
      [
        'sh',
        '-c',
        PAIR_SCRIPT,
        'sh',
        this.settings.remoteDir,
        order,
        script,
        String(argv.length),
        ...argv,
        ...args,
      ],
      {
        ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
        onOutput: (text: string) => {
          if (text === PAIR_MARK) inArgv = !inArgv;
          else if (inArgv && options.logArgv) this.log.info(`[${this.label}]   ${text}`);
        },
      },
    );
    return splitPair(result);
  }

  /**
   * A compose step whose command may already have run in the exec of the step before
   * (`ranEarly`): its result is taken as if it ran now; else it runs now.
   */
  private async execOrEarly(
    name: Step['name'],
    code: string,
    step: string,
    argv: readonly string[],
    options: { quiet?: boolean } = {},
  ): Promise<ExecResult> {
    const early = this.ranEarly.get(name);
    if (!early) return this.exec(code, step, argv, { cwd: this.settings.remoteDir, ...options });
    this.ranEarly.delete(name);
    const display = argv.map(quoteShellArg).join(' ');
    if (!options.quiet) {
      this.say(`$ ${display}`);
      for (const l of `${early.stdout}`.split('\n')) if (l) this.log.info(`[${this.label}]   ${l}`);
    }
    if (early.code !== 0) throw new RemoteCommandError(code, this.label, step, display, early);
    return early;
  }

  /** A forward compose deploy with a project name runs its steps from pull on in one chained exec. */
  private chainable(): boolean {
    const s = this.settings;
    return s.strategy === 'compose' && !s.rollback && !s.rolling && Boolean(s.projectName);
  }

  /**
   * health-url, when the gate may take a first look from the host (HEALTH_LOOK_SCRIPT): plain
   * http with no credentials or query (the URL is then in a host process's argv, which other
   * users can read, so nothing that may be a secret goes there).
   */
  private healthLookUrl(): string | undefined {
    const url = this.settings.healthUrl;
    if (!url) return undefined;
    try {
      const u = new URL(url);
      return u.protocol === 'http:' && !u.username && !u.password && !u.search ? url : undefined;
    } catch {
      return undefined;
    }
  }

  /** What a chained step runs on the host (none for the health gate, which runs from here). */
  private async chainParts(step: Step, target: string): Promise<ChainPart[]> {
    const s = this.settings;
    switch (step.name) {
      case 'pull':
      case 'migrate':
        return [{ kind: 'argv', argv: await this.argv(step, target) }];
      case 'services-first':
        return [
          { kind: 'argv', argv: await this.argv(step, target) },
          { kind: 'script', script: CONTAINER_STATE_SCRIPT, args: [s.projectName!, ...s.servicesFirst] },
        ];
      case 'up':
        return [{ kind: 'argv', argv: await this.upArgv(step, target) }];
      case 'record-images':
        return [
          {
            kind: 'script',
            script: RECORD_IMAGES_SCRIPT,
            args: [`${this.rel}/${target}/images`, s.projectName!],
          },
        ];
      case 'mark-current':
        return [{ kind: 'script', script: FINISH_SCRIPT, args: this.finishArgs(target) }];
      case 'health': {
        const url = this.healthLookUrl();
        if (!url) return [];
        const seconds = Math.max(1, Math.min(2, Math.floor(s.healthTimeoutMs / 1000)));
        return [{ kind: 'script', script: HEALTH_LOOK_SCRIPT, args: [url, String(seconds)] }];
      }
      default:
        return [];
    }
  }

  /**
   * Runs a step's commands in the chained exec: the first chainable step starts it with every
   * later step's parts behind a gate; a later step opens its gate. `announce` is logged before
   * its output. Returns the parts' results up to the first that failed, or undefined when the
   * step is not chained.
   */
  private async chainStep(step: Step, target: string, announce?: string): Promise<ExecResult[] | undefined> {
    if (!this.chain && this.chainable()) {
      const at = this.steps.indexOf(step);
      const parts: ChainPart[] = [];
      const steps = new Map<StepName, number[]>();
      const logged = new Set<number>();
      let index = 0;
      for (const st of this.steps.slice(at)) {
        if (!CHAINED.has(st.name)) break;
        const own = await this.chainParts(st, target);
        if (own.length === 0) continue;
        if (parts.length) parts.push({ kind: 'gate' });
        steps.set(
          st.name,
          own.map((part) => {
            if (part.kind === 'argv') logged.add(index);
            return index++;
          }),
        );
        parts.push(...own);
      }
      if (steps.size > 1) {
        if (announce) this.say(announce);
        // A compose command's last stderr line may come after its end mark (chain.ts): still logged.
        const exec = new ExecChain(this.conn, this.settings.remoteDir, parts, (i, line, stream) => {
          if (logged.has(i) || (stream === 'stderr' && logged.has(i - 1)))
            this.log.info(`[${this.label}]   ${line}`);
        });
        this.chain = { exec, steps, first: step.name };
        return this.chainResults(step.name);
      }
    }
    const chain = this.chain;
    if (!chain?.steps.has(step.name)) return undefined;
    if (announce) this.say(announce);
    if (step.name !== chain.first) chain.exec.go();
    return this.chainResults(step.name);
  }

  private async chainResults(name: StepName): Promise<ExecResult[]> {
    const results: ExecResult[] = [];
    for (const i of this.chain!.steps.get(name)!) {
      const result = await this.chain!.exec.result(i).catch((error: unknown) => {
        if (error instanceof ChainPartNotRun) return undefined;
        throw error;
      });
      if (!result) break;
      results.push(result);
      if (result.code !== 0) break;
    }
    return results;
  }

  /** Ends the chained exec (nothing more runs in it) before anything else is done on the host. */
  private async endChain(): Promise<void> {
    const chain = this.chain;
    const lockChain = this.lockChain;
    this.chain = undefined;
    this.lockChain = undefined;
    await lockChain?.stop();
    await chain?.exec.stop();
  }

  private finishArgs(target: string): string[] {
    const s = this.settings;
    return [
      s.remoteDir,
      target,
      String(s.keepReleases),
      s.rollback ? 'active (rollback)' : 'active',
      // With a post-deploy hook the lock is kept until the hook is done.
      s.postDeploy ? '' : this.lock.lockDir,
      this.lock.token,
    ];
  }

  async run(): Promise<Omit<HostResult, 'durationMs'>> {
    try {
      return await this.runSteps();
    } finally {
      await this.endChain();
    }
  }

  private async runSteps(): Promise<Omit<HostResult, 'durationMs'>> {
    const previous = this.state.current;
    const s = this.settings;
    const target = s.rollback ? resolveRollbackTarget(this.state, s.rollback, this.label) : s.origin.id;
    if (s.rollback) this.say(`rolling back to release ${target} (current: ${previous ?? 'none'})`);
    const steps = planRollout({
      settings: s,
      state: this.state,
      ...(this.d.bundle ? { bundle: this.d.bundle } : {}),
      target,
      ...(previous ? { previous } : {}),
    });
    this.steps = steps;
    this.log.debug(`[${this.label}] plan:\n${describePlan(steps, previous).join('\n')}`);
    const env = this.hookEnv(target, previous);
    // What a failure must undo so far: the undo of the last step that ran (or started).
    let undone: Step['undo'] = 'none';
    for (const step of steps) {
      // A step whose command already ran in the exec before (ranEarly) takes its result even
      // when the deploy was stopped meanwhile: what it changed is then undone like any other.
      const ran = this.ranAlready(step.name);
      if (
        this.cancelled() &&
        !ran &&
        step.undo !== 'keep' &&
        step.name !== 'unlock' &&
        step.name !== 'mark-current'
      )
        // Cancelled: stop now, change nothing more, record where (a verified release is still made current).
        throw await this.stopCancelled(`before ${step.name}`, undone, target, previous);
      if (this.d.signal?.aborted && !ran && step.undo !== 'keep' && step.name !== 'unlock') {
        // Stopped between steps: undo what the steps so far changed; this one never ran.
        const stopped = new UserError(
          'timeout',
          `${this.label}: the deploy ran over timeout (${formatDuration(s.timeoutMs)}) or was cancelled before ${step.name}.`,
        );
        throw await this.undo(step, undone, stopped, target, previous);
      }
      try {
        const outcome = await this.execute(step, target, previous, env);
        if (outcome === 'unhealthy') {
          await this.failHealth(target, previous);
        }
        if (step.undo !== 'keep') undone = step.undo;
      } catch (error) {
        if (error instanceof DeployFailure) throw error;
        // A ship that failed before its copy began changed nothing; a roll that undid itself
        // left the app's old containers serving, as a failure before the app changed does.
        const undo =
          step.name === 'ship' && !(error instanceof ShipCopyStarted)
            ? 'none'
            : error instanceof RollingUpdateError && error.undone
              ? 'deps'
              : step.undo;
        const cause = error instanceof ShipCopyStarted ? error.original : error;
        if (this.cancelled() && step.undo !== 'keep')
          throw await this.stopCancelled(
            `during ${step.name}`,
            undo === 'none' ? undone : undo,
            target,
            previous,
          );
        throw await this.undo(step, undo, cause, target, previous);
      }
    }
    this.say(`release ${target} is live${previous ? ` (was ${previous})` : ''}`);
    return {
      host: this.label,
      status: 'deployed',
      release: target,
      ...(previous ? { previousRelease: previous } : {}),
      rolledBack: false,
      running: target,
    };
  }

  /** Executes one step; `unhealthy` when the health gate did not pass. */
  private async execute(
    step: Step,
    target: string,
    previous: string | undefined,
    env: Record<string, string>,
  ): Promise<'ok' | 'unhealthy'> {
    const s = this.settings;
    const cwd = s.remoteDir;
    if (s.strategy === 'swarm' && isSwarmStep(step.name)) {
      await this.swarm().run(step.name, target);
      return 'ok';
    }
    switch (step.name) {
      case 'lock':
      case 'unlock':
        return 'ok'; // taken and released around the session (deployHost)
      case 'pre-deploy':
        // Before anything ships, so a hook's backup sees the host exactly as the previous release left it.
        await this.exec('pre-deploy-failed', 'pre-deploy', await this.withEnvFiles(s.preDeploy ?? ''), {
          cwd,
          env,
          display: 'pre-deploy hook',
        });
        return 'ok';
      case 'restore-images':
        await this.restoreImages(target);
        return 'ok';
      case 'ship':
        await this.ship(target, previous);
        return 'ok';
      case 'activate':
        await this.activate(target, previous, 'forward');
        return 'ok';
      case 'config': {
        const result = await this.execOrEarly(
          'config',
          'compose-config-invalid',
          'validate the compose config',
          await this.argv(step, target),
          needsServiceList(s) ? { quiet: true } : {},
        );
        if (needsServiceList(s))
          this.configServices.set(
            target,
            result.stdout
              .split('\n')
              .map((l) => l.trim())
              .filter(Boolean),
          );
        return 'ok';
      }
      case 'build':
        await this.exec('build-failed', 'build', await this.argv(step, target), { cwd });
        return 'ok';
      case 'pull': {
        const argv = await this.argv(step, target);
        const chained = await this.chainStep(step, target, `$ ${argv.map(quoteShellArg).join(' ')}`);
        if (chained) {
          if (chained[0]?.code !== 0)
            throw new RemoteCommandError(
              'pull-failed',
              this.label,
              'pull',
              argv.map(quoteShellArg).join(' '),
              chained[0] ?? notRun(),
            );
          return 'ok';
        }
        const sf = this.next('pull');
        if (sf?.name === 'services-first' && s.projectName) {
          // `pull`, then services-first's `up -d` and its first health look: one exec, nested
          // pairs (PAIR_SCRIPT as the second part of PAIR_SCRIPT), each part's result its own.
          const sfArgv = await this.argv(sf, target);
          const display = argv.map(quoteShellArg).join(' ');
          this.say(`$ ${display}`);
          const ran = await this.pair('argv-first', argv, PAIR_SCRIPT, [
            s.remoteDir,
            'argv-first',
            CONTAINER_STATE_SCRIPT,
            String(sfArgv.length),
            ...sfArgv,
            s.projectName,
            ...s.servicesFirst,
          ]);
          for (const l of ran.first.stdout.split('\n')) if (l) this.log.info(`[${this.label}]   ${l}`);
          if (!ran.second)
            throw new RemoteCommandError('pull-failed', this.label, 'pull', display, ran.first);
          this.servicesFirstEarly = splitPair(ran.second);
          return 'ok';
        }
        await this.exec('pull-failed', 'pull', argv, { cwd });
        return 'ok';
      }
      case 'services-first': {
        const c = await this.compose(target);
        const argv = await this.argv(step, target);
        const chained = await this.chainStep(step, target, `$ ${argv.map(quoteShellArg).join(' ')}`);
        if (chained) {
          if (chained[0]?.code !== 0)
            throw new RemoteCommandError(
              'services-first-failed',
              this.label,
              'start services-first',
              argv.map(quoteShellArg).join(' '),
              chained[0] ?? notRun(),
            );
          const look = chained[1]?.code === 0 ? chained[1].stdout.trim() : '';
          await this.waitHealthy(c, s.servicesFirst, look || undefined);
          return 'ok';
        }
        if (!s.projectName) {
          await this.exec('services-first-failed', 'start services-first', argv, { cwd });
          await this.waitHealthy(c, s.servicesFirst);
          return 'ok';
        }
        // `up -d` and the first look at their health in one exec (or in the pull's, before).
        this.say(`$ ${argv.map(quoteShellArg).join(' ')}`);
        const early = this.servicesFirstEarly;
        this.servicesFirstEarly = undefined;
        if (early)
          for (const l of early.first.stdout.split('\n')) if (l) this.log.info(`[${this.label}]   ${l}`);
        const ran =
          early ??
          (await this.pair('argv-first', argv, CONTAINER_STATE_SCRIPT, [s.projectName, ...s.servicesFirst], {
            logArgv: true,
          }));
        if (!ran.second)
          throw new RemoteCommandError(
            'services-first-failed',
            this.label,
            'start services-first',
            argv.map(quoteShellArg).join(' '),
            ran.first,
          );
        await this.waitHealthy(
          c,
          s.servicesFirst,
          ran.second.code === 0 ? ran.second.stdout.trim() : undefined,
        );
        return 'ok';
      }
      case 'migrate': {
        const argv = await this.argv(step, target);
        const display = argv.map(quoteShellArg).join(' ');
        const chained = await this.chainStep(step, target, `$ ${display}`);
        if (!chained) {
          await this.exec('migration-failed', `migration (${s.migrateService})`, argv, { cwd });
          return 'ok';
        }
        if (chained[0]?.code !== 0)
          throw new RemoteCommandError(
            'migration-failed',
            this.label,
            `migration (${s.migrateService})`,
            display,
            chained[0] ?? notRun(),
          );
        return 'ok';
      }
      case 'check-rolling':
        await this.checkRolling(step, target);
        return 'ok';
      case 'check-manager':
      case 'render':
      case 'stack-deploy':
      case 'converge':
        throw new Error(`step ${step.name} is a strategy swarm step`);
      case 'up':
        if (this.rollingPlan) {
          await this.rollingUp(target);
          return 'ok';
        }
        if (this.chainable()) {
          const argv = await this.upArgv(step, target);
          const display = argv.map(quoteShellArg).join(' ');
          const chained = await this.chainStep(step, target, `$ ${display}`);
          if (chained) {
            if (chained[0]?.code !== 0)
              throw new RemoteCommandError(
                'up-failed',
                this.label,
                'start the services',
                display,
                chained[0] ?? notRun(),
              );
            return 'ok';
          }
        }
        if (this.next('up')?.name === 'record-images' && s.projectName) {
          // `up` and recording what each container runs, in one exec.
          const argv = await this.upArgv(step, target);
          const display = argv.map(quoteShellArg).join(' ');
          this.say(`$ ${display}`);
          const ran = await this.pair(
            'argv-first',
            argv,
            RECORD_IMAGES_SCRIPT,
            [`${this.rel}/${target}/images`, s.projectName],
            { logArgv: true },
          );
          if (!ran.second)
            throw new RemoteCommandError('up-failed', this.label, 'start the services', display, ran.first);
          this.ranEarly.set('record-images', ran.second);
          return 'ok';
        }
        await this.exec('up-failed', 'start the services', await this.upArgv(step, target), { cwd });
        return 'ok';
      case 'script':
        await this.exec('script-failed', 'script', await this.withEnvFiles(s.script ?? ''), {
          cwd,
          env: this.hookEnv(target, previous),
          display: 'deploy script',
        });
        return 'ok';
      case 'record-images': {
        const chained = await this.chainStep(step, target);
        if (chained) {
          if (chained[0]?.code !== 0)
            throw new RemoteCommandError(
              'up-failed',
              this.label,
              'record images',
              'record images',
              chained[0] ?? notRun(),
            );
          return 'ok';
        }
        const early = this.ranEarly.get('record-images');
        if (!early) {
          await this.recordImages(target);
          return 'ok';
        }
        this.ranEarly.delete('record-images');
        if (early.code !== 0)
          throw new RemoteCommandError('up-failed', this.label, 'record images', 'record images', early);
        return 'ok';
      }
      case 'health': {
        const outcome = await this.healthGate(env, () => this.chainStep(step, target));
        if (outcome.healthy) return 'ok';
        this.lastHealth = outcome;
        return 'unhealthy';
      }
      case 'mark-current': {
        const chained = await this.chainStep(step, target);
        if (chained && chained[0]?.code !== 0)
          throw new RemoteCommandError(
            'mark-current-failed',
            this.label,
            'mark the release current',
            'mark the release current',
            chained[0] ?? notRun(),
          );
        const finished =
          chained?.[0] ??
          (await this.script(
            'mark-current-failed',
            'mark the release current',
            FINISH_SCRIPT,
            this.finishArgs(target),
          ));
        this.lockReleased = finished.stdout.includes('released');
        return 'ok';
      }
      case 'post-deploy':
        await this.exec('post-deploy-failed', 'post-deploy', await this.withEnvFiles(s.postDeploy ?? ''), {
          cwd,
          env,
          display: 'post-deploy hook',
        });
        return 'ok';
    }
  }

  private lastHealth: HealthOutcome | undefined;

  /** The job was cancelled (SIGINT/SIGTERM from the runner), not timed out. */
  private cancelled(): boolean {
    return this.d.signal?.aborted === true && this.d.signal.reason === 'cancel';
  }

  /**
   * A cancel stops the deploy where it is: no restore is started (the runner kills the process
   * seconds after its signal, and a restore cut half-way leaves less known than none), the
   * release's record says `unknown` and where it stopped, and the lock is released by deployHost.
   */
  private async stopCancelled(
    where: string,
    undone: Step['undo'],
    target: string,
    previous: string | undefined,
  ): Promise<DeployFailure> {
    await this.endChain();
    const { current } = releasePaths(this.settings.remoteDir);
    const was = previous ? `${current} still names ${previous}` : `nothing is current`;
    if (undone === 'none')
      return new DeployFailure(
        'cancelled',
        `${this.label}: the run was cancelled ${where}; nothing on the host had changed.`,
        false,
        previous,
        previous,
      );
    const appChanged = undone === 'app';
    const state = appChanged
      ? `release ${target} was started and not verified healthy; it keeps running, not current (${was})`
      : `release ${target}'s files${undone === 'deps' ? ', image tags and services-first' : ''} are in place; the app's containers were not changed (${was})`;
    await this.markStatus(target, `unknown: cancelled ${where}; ${state}`);
    return new DeployFailure(
      'cancelled',
      `${this.label}: the run was cancelled ${where}: ${state}. Nothing was rolled back; release ${target} is recorded as unknown. ` +
        (previous ? `Deploy again, or go back with rollback: ${previous}.` : 'Deploy again to finish.'),
      false,
      appChanged ? target : previous,
      previous,
    );
  }

  private async failHealth(target: string, previous: string | undefined): Promise<never> {
    await this.endChain();
    if (this.cancelled()) throw await this.stopCancelled('during the health gate', 'app', target, previous);
    const stopped = this.d.signal?.aborted === true;
    const code = stopped ? 'timeout' : 'health-gate-failed';
    const why = stopped
      ? `the deploy ran over timeout (${formatDuration(this.settings.timeoutMs)}) or was cancelled during the health gate of release ${target}`
      : `release ${target} did not become healthy`;
    const detail = this.lastHealth?.detail ?? 'not healthy';
    await this.markStatus(target, stopped ? 'failed: timeout during the health gate' : 'failed: health gate');
    if (!previous || previous === target) {
      throw new HealthGateError(
        `${this.label}: ${why}, and there is no previous release to roll back to.\n${detail}`,
        false,
        undefined,
        target,
        code,
      );
    }
    this.say(
      `${stopped ? 'stopped during the health gate' : 'health gate failed'}; rolling back to ${previous}`,
    );
    const restoreError = await this.restore(previous, target, 'app');
    if (restoreError) {
      throw new HealthGateError(
        `${this.label}: ${why}, and rolling back to ${previous} failed too: ${restoreError}\n` +
          `What runs on the host is unknown; check it, then deploy or roll back.\n${detail}`,
        false,
        previous,
        'unknown',
        code,
      );
    }
    const after = stopped
      ? { healthy: true, detail: '' }
      : await this.healthGate(this.hookEnv(previous, target));
    throw new HealthGateError(
      `${this.label}: ${why}, so the host was rolled back to ${previous}` +
        `${after.healthy ? '' : ' (which is not healthy either)'}.\n${detail}`,
      true,
      previous,
      undefined,
      code,
    );
  }

  /** Undoes a failed step as its plan entry says and returns the error to throw. */
  private async undo(
    step: Step,
    undo: Step['undo'],
    cause: unknown,
    target: string,
    previous: string | undefined,
  ): Promise<Error> {
    await this.endChain();
    const code = isUserError(cause) ? cause.code : 'internal';
    const message = errorMessage(cause);
    if (undo === 'keep') {
      return new DeployFailure(
        code,
        `${message}\nRelease ${target} is live and current (the ${step.name} step failed after it was marked current; nothing was rolled back).`,
        false,
        target,
        previous,
      );
    }
    if (undo === 'none') return new DeployFailure(code, message, false, previous, previous);
    await this.markStatus(target, `failed: ${message.split('\n')[0]}`);
    if (!previous || previous === target) {
      return new DeployFailure(
        code,
        `${message}\nThere is no previous release to restore: release ${target} stays on the host, marked failed, not current.`,
        false,
        undo === 'app' || (undo === 'deps' && this.startedContainers(step)) ? target : undefined,
        undefined,
      );
    }
    this.say(`restoring release ${previous} after the failure`);
    const restoreError = await this.restore(previous, target, undo);
    if (restoreError) {
      return new DeployFailure(
        code,
        `${message}\nRestoring release ${previous} failed too: ${restoreError}\n` +
          `What runs on the host is unknown; check it, then deploy or roll back. ${this.rel}/current still names ${previous}.`,
        false,
        'unknown',
        previous,
      );
    }
    return new DeployFailure(
      code,
      undo === 'deps'
        ? `${message}\nThe app was not changed: release ${previous}'s files, image tags and services-first are back.`
        : `${message}\nRelease ${previous} was restored.`,
      undo === 'app',
      previous,
      previous,
    );
  }

  /**
   * Puts `release` back after `failed`: its images (for `app`), its files (what
   * `failed` wrote and the host did not change goes), and starts it with
   * `up -d --remove-orphans` — never a pull, a build or the migrator. Returns
   * the error text when something failed, so it is reported, not swallowed.
   */
  private async restore(
    release: string,
    failed: string,
    kind: 'files' | 'deps' | 'app',
  ): Promise<string | undefined> {
    const s = this.settings;
    try {
      if (kind !== 'files' && s.strategy === 'compose') await this.restoreImages(release);
      await this.activate(release, failed, 'restore');
      if (kind === 'files') return undefined;
      if (kind === 'deps') {
        // The app was not touched: only the services-first containers go back (to the restored tags).
        if (s.strategy === 'compose' && s.servicesFirst.length) {
          const c = await this.compose(release);
          await this.exec(
            'rollback-failed',
            `restart release ${release}'s services-first`,
            c.argv('up', '-d', ...(s.build ? ['--no-build'] : []), ...s.servicesFirst),
            { cwd: s.remoteDir },
          );
        }
        return undefined;
      }
      if (s.strategy === 'swarm') {
        await this.swarm().restore(release);
        return undefined;
      }
      if (s.strategy === 'script') {
        await this.exec('rollback-failed', 'script', await this.withEnvFiles(s.script ?? ''), {
          cwd: s.remoteDir,
          env: this.hookEnv(release, failed),
          display: 'deploy script',
        });
        return undefined;
      }
      const c = await this.compose(release);
      // What this run rolled goes back by rolling too: a recreate would drop requests.
      if (this.rolled.length && this.rollingPlan) {
        await this.rollBack(c, release);
        return undefined;
      }
      let services = [...s.services];
      if (needsServiceList(s)) {
        const listed = await this.exec('rollback-failed', 'list services', c.argv('config', '--services'), {
          cwd: s.remoteDir,
          quiet: true,
        });
        services = upServices(
          s,
          listed.stdout
            .split('\n')
            .map((l) => l.trim())
            .filter(Boolean),
        );
      }
      await this.exec(
        'rollback-failed',
        `start release ${release}`,
        c.argv('up', '-d', '--remove-orphans', ...(s.build ? ['--no-build'] : []), ...services),
        { cwd: s.remoteDir },
      );
      return undefined;
    } catch (error) {
      const text = errorMessage(error);
      this.log.error(`[${this.label}] restoring release ${release} failed: ${text}`);
      return text;
    }
  }

  /**
   * `strategy: rolling`, after the roll: `release` (the previous one, its files and image tags
   * already back) replaces the rolled services the way they were rolled in (rolling.ts: its
   * containers start beside the failed release's, healthy, then the others drain and go); then
   * `up -d --remove-orphans` for the services not rolled. A service the previous release cannot
   * run twice (or does not have) is started by that `up` instead.
   */
  private async rollBack(c: ComposeInvocation, release: string): Promise<void> {
    const s = this.settings;
    const plan = this.rollingPlan!;
    const read = await this.exec(
      'rollback-failed',
      `read release ${release}'s compose config`,
      c.flavour === 'v2' ? c.argv('config', '--format', 'json') : c.argv('config'),
      { cwd: s.remoteDir, quiet: true },
    );
    const config = parseYaml(read.stdout) as ComposeConfigJson;
    const wanted = this.rolled.map((r) => r.service).filter((name) => config.services?.[name] !== undefined);
    let selection: RollingSelection | undefined;
    try {
      selection = wanted.length ? checkRollable(config, wanted) : undefined;
    } catch (error) {
      this.say(`restoring release ${release} by a recreate: ${errorMessage(error)}`);
    }
    const project = s.projectName ?? selection?.project ?? plan.selection.project;
    const rolled = new Set<string>();
    if (selection && project) {
      this.say(`restoring release ${release}: rolling ${selection.services.map((r) => r.name).join(', ')}`);
      await rollingUpdate((argv, options) => this.conn.exec(argv, options), {
        compose: c,
        project,
        cwd: s.remoteDir,
        services: selection.services,
        healthTimeoutMs: s.healthTimeoutMs,
        drainMs: s.rolling?.drainMs ?? 1000,
        host: this.label,
        log: this.log,
      });
      for (const r of selection.services) rolled.add(r.name);
    }
    const others = Object.keys(config.services ?? {}).filter(
      (name) =>
        !rolled.has(name) &&
        name !== s.migrateService &&
        (s.services.length === 0 || s.services.includes(name)),
    );
    // With nothing else to start, `--no-recreate` on the rolled services only removes the
    // failed release's orphans.
    await this.exec(
      'rollback-failed',
      `start release ${release}'s other services`,
      c.argv(
        'up',
        '-d',
        '--remove-orphans',
        ...(s.build ? ['--no-build'] : []),
        ...(others.length ? others : ['--no-recreate', ...rolled]),
      ),
      { cwd: s.remoteDir },
    );
  }

  /** Re-tags the images `release` ran with; fails naming every one that is gone, before re-tagging any. */
  private async restoreImages(release: string): Promise<void> {
    const result = await this.conn.exec(['sh', '-c', RETAG_SCRIPT, 'sh', `${this.rel}/${release}/images`]);
    if (result.code === 0) return;
    if (result.code === 21) {
      const missing = result.stdout
        .split('\n')
        .filter((l) => l.startsWith('missing '))
        .map((l) => l.slice('missing '.length));
      throw new UserError(
        'rollback-image-missing',
        `${this.label}: release ${release} ran with image(s) no longer on the host: ${missing.join(', ')}. ` +
          'Nothing was re-tagged. Pull or load them (same image id), or deploy a new release instead.',
      );
    }
    throw new RemoteCommandError(
      'rollback-failed',
      this.label,
      `restore the images of release ${release}`,
      'retag',
      result,
    );
  }

  /** Uploads the bundle as one archive, records the release and copies it into remote-dir, in one exec. */
  private async ship(id: string, previous: string | undefined): Promise<void> {
    const bundle = this.d.bundle;
    if (!bundle) throw new Error('no bundle to upload');
    const s = this.settings;
    const started = Date.now();
    const rules = preserveRules(s.preserve);
    const record = {
      ...s.origin,
      createdAt: new Date().toISOString(),
      files: bundle.files.length,
      bytes: bundle.totalBytes,
      envFiles: s.envFiles,
      projectName: s.projectName ?? null,
      strategy: s.strategy,
      preserve: rules.patterns,
    };
    const preserved = bundle.files.filter((f) => rules.matches(f));
    const keep = this.keepList(rules);
    const merged = needsMergedEnv(s, this.state) ? mergedEnvPath(s, id) : '';
    const display = `upload ${bundle.files.length} file(s) to ${this.rel}/${id} and copy them into ${s.remoteDir}`;
    this.say(`$ ${display}`);
    const args = [
      s.remoteDir,
      id,
      previous ?? '',
      JSON.stringify(record),
      merged,
      preserved.join('\n'),
      keep.join('\n'),
      ...s.envFiles,
    ];
    // The compose config read that follows (config / check-rolling) runs in the same exec.
    const next = this.next('ship');
    const then = next && (next.name === 'config' || next.name === 'check-rolling') ? next.argv : undefined;
    const stdin = await bundleArchive(bundle);
    let result: ExecResult;
    const lockChain = this.lockChain;
    this.lockChain = undefined;
    if (lockChain) {
      // In the lock's exec, past its gate: the upload reads the rest of its stdin; the config read follows.
      const [shipAt, thenAt] = lockChain.then(
        [
          { kind: 'script-stdin', script: SHIP_RELEASE_SCRIPT, args },
          ...(then ? [{ kind: 'argv' as const, argv: then }] : []),
        ],
        stdin,
      );
      const notRunYet = (error: unknown): undefined => {
        if (error instanceof ChainPartNotRun) return undefined;
        throw error;
      };
      result = (await lockChain.result(shipAt!).catch(notRunYet)) ?? notRun();
      if (thenAt !== undefined && result.code === 0) {
        const second = await lockChain.result(thenAt).catch(notRunYet);
        if (second) this.ranEarly.set(next!.name, second);
      }
    } else if (then) {
      const ran = await this.pair('script-first', then, SHIP_RELEASE_SCRIPT, args, { stdin });
      result = ran.first;
      if (ran.second) this.ranEarly.set(next!.name, ran.second);
    } else {
      result = await this.conn.exec(['sh', '-c', SHIP_RELEASE_SCRIPT, 'sh', ...args], { stdin });
    }
    const lines = result.stdout.split('\n').filter(Boolean);
    for (const l of lines) if (l !== 'activating') this.say(`  ${l}`);
    if (result.code !== 0) {
      const error = new RemoteCommandError('upload-failed', this.label, 'upload', display, result);
      // After `activating`, remote-dir may have changed: the failure must restore the previous files.
      throw lines.includes('activating') ? new ShipCopyStarted(error) : error;
    }
    if (merged) this.mergedEnv.add(id);
    this.say(
      `shipped ${bundle.files.length} file(s), ${bundle.totalBytes} bytes, in ${formatDuration(Date.now() - started)}`,
    );
  }

  /**
   * What the current release wrote that stays on a forward deploy: what `preserve` (as the user
   * writes it now) covers. A release recorded before `written.sha256` lists every bundle file,
   * skipped ones included, so for it the default preserve paths are kept too.
   */
  private keepList(rules: PreserveRules): string[] {
    const legacy = this.state.ownedLegacy ? preserveRules(DEFAULT_PRESERVE) : undefined;
    return this.state.owned.filter((f) => rules.matches(f) || legacy?.matches(f) === true);
  }

  private async activate(
    id: string,
    previous: string | undefined,
    mode: 'forward' | 'restore',
  ): Promise<void> {
    const rules = preserveRules(this.settings.preserve);
    const keep = mode === 'forward' ? this.keepList(rules) : [];
    const result = await this.script(
      'activate-failed',
      `copy release ${id} into ${this.settings.remoteDir}`,
      ACTIVATE_SCRIPT,
      [this.settings.remoteDir, id, previous ?? '', mode, keep.join('\n'), rules.patterns.join('\n')],
    );
    for (const l of result.stdout.split('\n')) if (l) this.say(`  ${l}`);
  }

  private async markStatus(id: string, text: string): Promise<void> {
    const result = await this.conn
      .exec(['sh', '-c', MARK_STATUS_SCRIPT, 'sh', this.settings.remoteDir, id, text])
      .catch((error: unknown) => ({ code: -1, stdout: '', stderr: errorMessage(error) }));
    if (result.code !== 0)
      this.log.warning(
        `${this.label}: could not record the status of release ${id}: ${result.stderr.trim()}`,
      );
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

  /** The compose invocation for a release; for compose v1 with several env files, merges them first. */
  private async compose(release: string): Promise<ComposeInvocation> {
    const s = this.settings;
    if (needsMergedEnv(s, this.state) && !this.mergedEnv.has(release)) {
      await this.script('env-files-failed', 'merge env-files for docker-compose v1', MERGE_ENV_SCRIPT, [
        s.remoteDir,
        mergedEnvPath(s, release),
        ...s.envFiles,
      ]);
      this.mergedEnv.add(release);
    }
    return composeFor(s, this.state, release);
  }

  private async argv(step: Step, release: string): Promise<string[]> {
    await this.compose(release);
    return step.argv ?? [];
  }

  private swarm(): SwarmHost {
    this.swarmHost ??= new SwarmHost(
      this.conn,
      this.settings,
      composeFor(this.settings, this.state, this.settings.origin.id),
      this.label,
      this.log,
      this.d.signal,
    );
    return this.swarmHost;
  }

  /** `strategy: rolling`: reads the release's config and checks the services to roll, before any container changes. */
  private async checkRolling(step: Step, release: string): Promise<void> {
    const s = this.settings;
    const result = await this.execOrEarly(
      'check-rolling',
      'compose-config-invalid',
      'read the compose config',
      await this.argv(step, release),
      { quiet: true },
    );
    const config = parseYaml(result.stdout) as ComposeConfigJson;
    const wanted = s.rolling?.services ?? [];
    const selection = checkRollable(config, wanted);
    for (const skipped of selection.skipped) this.say(`not rolled: ${skipped.service} (${skipped.reason})`);
    if (selection.services.length === 0)
      throw new UserError(
        'not-rollable',
        `${this.label}: strategy rolling found no service to roll (${selection.skipped.map((k) => `${k.service}: ${k.reason}`).join('; ') || 'no services'}). Nothing was changed.`,
      );
    this.rollingPlan = { selection, all: Object.keys(config.services ?? {}) };
    this.say(`rolling: ${selection.services.map((r) => `${r.name} ×${r.replicas}`).join(', ')}`);
  }

  /** `strategy: rolling`: the checked services without downtime, then `up -d` for the others. */
  private async rollingUp(release: string): Promise<void> {
    const s = this.settings;
    const plan = this.rollingPlan!;
    const c = await this.compose(release);
    const project = s.projectName ?? plan.selection.project;
    if (!project)
      throw new UserError(
        'not-rollable',
        `${this.label}: strategy rolling needs the compose project name: set project-name.`,
      );
    this.rolled = await rollingUpdate((argv, options) => this.conn.exec(argv, options), {
      compose: c,
      project,
      cwd: s.remoteDir,
      services: plan.selection.services,
      healthTimeoutMs: s.healthTimeoutMs,
      drainMs: s.rolling?.drainMs ?? 1000,
      host: this.label,
      log: this.log,
    });
    const rolled = new Set(plan.selection.services.map((r) => r.name));
    const others = plan.all.filter(
      (name) =>
        !rolled.has(name) &&
        name !== s.migrateService &&
        (s.services.length === 0 || s.services.includes(name)),
    );
    if (others.length)
      await this.exec(
        'up-failed',
        'start the services not rolled',
        c.argv('up', '-d', '--remove-orphans', ...others),
        {
          cwd: s.remoteDir,
        },
      );
  }

  /** `up`'s argv, with the services from `config --services` (without the migrator) when needed. */
  private async upArgv(step: Step, release: string): Promise<string[]> {
    const argv = await this.argv(step, release);
    if (!needsServiceList(this.settings)) return argv;
    return [...argv, ...upServices(this.settings, this.configServices.get(release))];
  }

  private async recordImages(release: string): Promise<void> {
    const c = await this.compose(release);
    const project = this.settings.projectName;
    await this.script('up-failed', 'record images', RECORD_IMAGES_SCRIPT, [
      `${this.rel}/${release}/images`,
      project ?? '',
      ...(project ? [] : await this.composeIds(c, [], 'up-failed')),
    ]);
  }

  /** Container ids through compose itself, for when the project name is compose's own choice. */
  private async composeIds(
    c: ComposeInvocation,
    services: readonly string[],
    code: string,
  ): Promise<string[]> {
    if (c.flavour === 'v2') {
      const result = await this.exec(code, 'list containers', c.argv('ps', '--format', 'json', ...services), {
        cwd: this.settings.remoteDir,
        quiet: true,
      });
      return parseComposePs(result.stdout);
    }
    const result = await this.exec(code, 'list containers', c.argv('ps', '-q', ...services), {
      cwd: this.settings.remoteDir,
      quiet: true,
    });
    return result.stdout.split(/\s+/).filter(Boolean);
  }

  /** services-first on compose v1: running, and healthy when they have a healthcheck. */
  private async waitHealthy(
    c: ComposeInvocation,
    services: readonly string[],
    first?: string,
  ): Promise<void> {
    const deadline = Date.now() + this.settings.healthTimeoutMs;
    let states = '';
    let known = first;
    for (;;) {
      const project = this.settings.projectName;
      const args = project
        ? [project, ...services]
        : ['', ...(await this.composeIds(c, services, 'services-first-failed'))];
      states =
        known ??
        (
          await this.script('services-first-failed', 'inspect services-first', CONTAINER_STATE_SCRIPT, args)
        ).stdout.trim();
      known = undefined;
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
      if (Date.now() > deadline || this.d.signal?.aborted) break;
      await sleep(500);
    }
    throw new UserError(
      'services-first-unhealthy',
      `${this.label}: services-first (${services.join(', ')}) did not become healthy within health-timeout: ${states.replace(/\n/g, '; ') || 'no containers'}.`,
    );
  }

  /** The gate's outcome, or unhealthy at once when the deploy is stopped (timeout, cancel). */
  private unlessStopped(check: Promise<HealthOutcome>): Promise<HealthOutcome> {
    const signal = this.d.signal;
    if (!signal) return check;
    if (signal.aborted) return Promise.resolve({ healthy: false, detail: 'stopped: timeout or cancel' });
    return Promise.race([
      check,
      new Promise<HealthOutcome>((resolve) =>
        signal.addEventListener(
          'abort',
          () => resolve({ healthy: false, detail: 'stopped: timeout or cancel' }),
          {
            once: true,
          },
        ),
      ),
    ]);
  }

  /** `look`: the first look from the host (in the chained exec), when there is one. */
  private async healthGate(
    env: Record<string, string>,
    look?: () => Promise<ExecResult[] | undefined>,
  ): Promise<HealthOutcome> {
    const s = this.settings;
    const outcomes: HealthOutcome[] = [];
    if (s.healthUrl) {
      this.say(`health gate: waiting for ${s.healthUrl}`);
      const first = look ? await look() : undefined;
      const status = /^status=(2\d\d)$/m.exec(first?.[0]?.code === 0 ? first[0].stdout : '')?.[1];
      outcomes.push(
        status
          ? { healthy: true, detail: `${s.healthUrl} ready at the first look from the host (HTTP ${status})` }
          : await this.unlessStopped(
              checkHealthUrl(this.conn, s.healthUrl, s.healthTimeoutMs, this.log, this.d.signal),
            ),
      );
    }
    if (s.healthCmd && outcomes.every((o) => o.healthy)) {
      this.say('health gate: running health-cmd');
      outcomes.push(
        await this.unlessStopped(
          checkHealthCommand(
            this.conn,
            await this.withEnvFiles(s.healthCmd),
            {
              cwd: s.remoteDir,
              env,
              timeoutMs: s.healthTimeoutMs,
              ...(this.d.signal ? { signal: this.d.signal } : {}),
            },
            this.log,
          ),
        ),
      );
    }
    const failed = outcomes.find((o) => !o.healthy);
    if (failed) return failed;
    if (outcomes.length) this.say(`health gate passed: ${outcomes.map((o) => o.detail).join('; ')}`);
    return { healthy: true, detail: outcomes.map((o) => o.detail).join('; ') || 'no health gate configured' };
  }
}

/** The steps that can run in one chained exec, in plan order (health runs from the runner, between). */
const CHAINED = new Set<StepName>([
  'pull',
  'services-first',
  'migrate',
  'up',
  'record-images',
  'health',
  'mark-current',
]);

/** A chained part that never ran because the exec ended before it (no output of its own). */
function notRun(): ExecResult {
  return { code: 128, stdout: '', stderr: 'the command did not run: the exec ended before it' };
}

/** The ship step failed after its copy into remote-dir began: the files must be restored. */
class ShipCopyStarted extends Error {
  constructor(readonly original: unknown) {
    super(errorMessage(original));
  }
}

/** Container ids from `docker compose ps --format json` (one object a line, or an array in older v2). */
export function parseComposePs(stdout: string): string[] {
  const text = stdout.trim();
  if (!text) return [];
  const rows: unknown[] = text.startsWith('[')
    ? (JSON.parse(text) as unknown[])
    : text
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown);
  return rows
    .map((r) => (r as { ID?: string }).ID)
    .filter((id): id is string => typeof id === 'string' && id !== '');
}
