// Docker Swarm rollouts (`strategy: swarm`): `docker stack deploy` of the release's fully
// interpolated compose file on a manager node, and a wait until swarm has converged.
//
//   check-manager  `docker info`: the node is an active swarm manager
//   render         `docker compose ... config --format json` (or a pre-rendered file), checked by
//                  checkSwarmStack, made into a stack file (swarm's v3 schema) in the release dir
//   migrate        (optional) a `replicated-job` service with the migrator's image on the stack's
//                  network; its task must complete (exit 0), then the job service is removed
//   deploy         `docker stack deploy --with-registry-auth --prune -c <file> <stack>`
//   converge       every service's update completed and its running tasks = replicas; a swarm
//                  rollback (`failure_action: rollback`) or a paused update fails with swarm's reason
//
// Swarm itself undoes a failed update when the service says `failure_action: rollback`: the
// service goes back to its previous spec with the same start-first order, so the old tasks kept
// serving. A stack-wide rollback redeploys the previous release's stack file (swarmRollback).
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { parse as parseYaml } from 'yaml';
import { UserError, formatDuration, silentLogger, type Logger } from '@deploy-actions/action-kit';
import { quoteCommand, type ExecResult } from '@deploy-actions/ssh';
import type { ComposeInvocation } from './compose.js';
import { lastLines } from './remote-error.js';
import { checkSwarmStack, type SwarmConfigJson, type SwarmServiceJson } from '@deploy-actions/compose-env';

/**
 * Runs one command on the manager. `SshConnection.exec` fits (`(argv, o) => conn.exec(argv, o)`):
 * every word of argv is POSIX-quoted, so no value is ever read as shell.
 */
export type SwarmExec = (
  argv: readonly string[],
  options: { cwd?: string; stdin?: string },
) => Promise<ExecResult>;

export {
  checkSwarmStack,
  type SwarmConfigJson,
  type SwarmServiceJson,
  type SwarmProblem,
  type SwarmStackCheck,
} from '@deploy-actions/compose-env';

/** The named steps of a swarm deploy (rolling.ts's `{name, does, changes, undo}` shape). */
export type SwarmStepName = 'check-manager' | 'render' | 'migrate' | 'deploy' | 'converge';

export interface SwarmStep {
  name: SwarmStepName;
  does: string;
  changes: string;
  undo: string;
}

/** One service of the stack once the deploy converged (or failed). */
export interface SwarmServiceResult {
  /** The compose service name (`app`). */
  service: string;
  /** Swarm's service name (`<stack>_app`). */
  swarmService: string;
  /** The image the service runs now, as swarm pinned it (`repo:tag@sha256:...`). */
  image: string;
  /** Desired replicas (undefined for global services). */
  replicas?: number;
  /** Tasks running. */
  running: number;
  /** swarm's UpdateStatus.State after this deploy (`completed`, `rollback_completed`, ...), or `unchanged`/`created`. */
  updateState: string;
  updateMessage?: string;
  /** From the deploy command's end to this service's convergence. */
  durationMs: number;
}

export interface SwarmMigrationResult {
  service: string;
  jobService: string;
  image: string;
  durationMs: number;
  /** The job's last output lines. */
  output: string;
}

export interface SwarmDeployResult {
  stack: string;
  /** The stack file deployed (on the manager): what swarmRollback redeploys later. */
  stackFile: string;
  migration?: SwarmMigrationResult;
  services: SwarmServiceResult[];
  /** Warnings of checkSwarmStack and what the stack file left out. */
  warnings: string[];
  durations: Record<SwarmStepName, number> & { total: number };
}

export interface SwarmDeployOptions {
  /** The stack name (`docker stack deploy ... <stack>`): services are `<stack>_<service>`. */
  stack: string;
  /** Where compose runs and the stack file is written (the release dir on the manager). */
  cwd: string;
  /**
   * How to get the interpolated config: `compose` runs `config --format json` with the release's
   * -f and --env-file on the manager; `renderedFile` is a config already rendered (render-env's
   * `compose-config`, JSON or YAML) at that path on the manager.
   */
  source: { compose: ComposeInvocation } | { renderedFile: string };
  /** The stack file's name in `cwd` (default `stack.swarm.json`). */
  stackFileName?: string;
  /** A service of the compose file (it may be in a profile) run once as a job before the stack changes. */
  migrateService?: string;
  /** How long the migration job may take (default 10 min). */
  migrateTimeoutMs?: number;
  /** How long the stack may take to converge (default 10 min). */
  timeoutMs?: number;
  /** How often state is polled (default 1 s). */
  pollIntervalMs?: number;
  /** Aborted (ssh-deploy's `timeout`, a cancel): the migration and convergence waits stop with `timeout`. */
  signal?: AbortSignal;
  host?: string;
  log?: Logger;
}

export interface SwarmRollbackOptions {
  stack: string;
  /** The previous release's stack file on the manager (SwarmDeployResult.stackFile of that release). */
  stackFile: string;
  cwd: string;
  timeoutMs?: number;
  pollIntervalMs?: number;
  host?: string;
  log?: Logger;
}

/** A swarm deploy failed at `step`; `service` names the service when one is to blame. */
export class SwarmDeployError extends UserError {
  constructor(
    code: string,
    message: string,
    readonly step: SwarmStepName,
    readonly service?: string,
    /** Per-service state when the convergence failed or timed out. */
    readonly services: readonly SwarmServiceResult[] = [],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_STACK_FILE = 'stack.swarm.json';

/** Service keys of swarm's stack schema (compose file format 3.9); others are left out with a warning. */
const STACK_SERVICE_KEYS = new Set([
  'cap_add',
  'cap_drop',
  'cgroup_parent',
  'command',
  'configs',
  'container_name',
  'credential_spec',
  'deploy',
  'devices',
  'dns',
  'dns_search',
  'domainname',
  'entrypoint',
  'env_file',
  'environment',
  'expose',
  'external_links',
  'extra_hosts',
  'healthcheck',
  'hostname',
  'image',
  'init',
  'ipc',
  'isolation',
  'labels',
  'links',
  'logging',
  'mac_address',
  'network_mode',
  'networks',
  'pid',
  'ports',
  'privileged',
  'read_only',
  'restart',
  'security_opt',
  'shm_size',
  'secrets',
  'sysctls',
  'stdin_open',
  'stop_grace_period',
  'stop_signal',
  'tmpfs',
  'tty',
  'ulimits',
  'user',
  'userns_mode',
  'volumes',
  'working_dir',
]);
/** Keys swarm ignores anyway: left out without a warning. */
const QUIETLY_DROPPED = new Set(['build', 'depends_on', 'profiles', 'pull_policy', 'restart']);
const STACK_TOP_KEYS = new Set(['version', 'services', 'networks', 'volumes', 'secrets', 'configs']);

function stripNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripNulls);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== null) out[k] = stripNulls(v);
    return out;
  }
  return value;
}

/**
 * The stack file swarm's schema accepts, from compose's interpolated config: compose-spec-only
 * keys left out (`name`, `pull_policy`, `depends_on`, ...), nulls removed, published ports as
 * numbers, long-syntax bind options swarm does not know removed. `dropped` says what was left out.
 */
export function stackFileFromConfig(config: SwarmConfigJson): { content: string; dropped: string[] } {
  const dropped: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(config)) {
    if (STACK_TOP_KEYS.has(key) || key.startsWith('x-')) out[key] = value;
    else if (key !== 'name') dropped.push(key);
  }
  const services: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(config.services ?? {})) {
    const svc: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(raw ?? {})) {
      if (STACK_SERVICE_KEYS.has(key) || key.startsWith('x-')) svc[key] = value;
      else if (!QUIETLY_DROPPED.has(key)) dropped.push(`services.${name}.${key}`);
    }
    if (svc.networks && !Array.isArray(svc.networks)) {
      const nets: Record<string, unknown> = {};
      for (const [net, cfg] of Object.entries(svc.networks as Record<string, unknown>)) nets[net] = cfg ?? {};
      svc.networks = nets;
    }
    if (Array.isArray(svc.ports)) {
      svc.ports = (svc.ports as unknown[]).map((p) => {
        if (!p || typeof p !== 'object') return p;
        const port = { ...(p as Record<string, unknown>) };
        if (typeof port.published === 'string' && /^\d+$/.test(port.published))
          port.published = Number(port.published);
        if (port.host_ip !== undefined) {
          dropped.push(
            `services.${name}.ports.host_ip (${String(port.host_ip)}: swarm publishes on every address)`,
          );
          delete port.host_ip;
        }
        delete port.app_protocol;
        delete port.name;
        return port;
      });
    }
    if (Array.isArray(svc.volumes)) {
      svc.volumes = (svc.volumes as unknown[]).map((v) => {
        if (!v || typeof v !== 'object') return v;
        const vol = { ...(v as Record<string, unknown>) };
        if (vol.bind && typeof vol.bind === 'object') {
          const { create_host_path: _c, selinux: _s, ...bind } = vol.bind as Record<string, unknown>;
          if (Object.keys(bind).length) vol.bind = bind;
          else delete vol.bind;
        }
        return vol;
      });
    }
    if (svc.healthcheck && typeof svc.healthcheck === 'object') {
      const { start_interval: _si, ...hc } = svc.healthcheck as Record<string, unknown>;
      svc.healthcheck = hc;
    }
    services[name] = svc;
  }
  out.services = services;
  if (!out.version) out.version = '3.9';
  return { content: `${JSON.stringify(stripNulls(out), null, 2)}\n`, dropped };
}

/** The steps of a swarm deploy with their command lines, for dry-run and the log. */
export function swarmSteps(
  options: Pick<SwarmDeployOptions, 'stack' | 'source' | 'migrateService' | 'stackFileName'>,
): SwarmStep[] {
  const file = options.stackFileName ?? DEFAULT_STACK_FILE;
  const steps: SwarmStep[] = [
    {
      name: 'check-manager',
      does: "docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'",
      changes: 'nothing',
      undo: 'nothing to undo',
    },
    {
      name: 'render',
      does:
        'compose' in options.source
          ? `${quoteCommand(options.source.compose.argv('config', '--format', 'json'))}; checkSwarmStack; write ${file}`
          : `read ${options.source.renderedFile}; checkSwarmStack; write ${file}`,
      changes: `writes ${file} (mode 0600) in the release dir`,
      undo: 'nothing to undo: the stack is unchanged',
    },
  ];
  if (options.migrateService) {
    steps.push({
      name: 'migrate',
      does: `docker service create --mode replicated-job --restart-condition none --name ${options.stack}_migrate-<id> --network <stack networks> <${options.migrateService}'s image>; wait for its task to complete; docker service rm`,
      changes: `runs ${options.migrateService} once against the stack's network (whatever the migration changes)`,
      undo: 'the job service is removed; the stack is unchanged (a failed migration stops the deploy)',
    });
  }
  steps.push(
    {
      name: 'deploy',
      does: `docker stack deploy --with-registry-auth --prune -c ${file} ${options.stack}`,
      changes:
        'swarm starts updating every changed service (start-first where the stack says so); services no longer in the file are removed',
      undo: "swarm's own: a service with failure_action: rollback goes back to its previous spec; the stack-wide rollback is swarmRollback",
    },
    {
      name: 'converge',
      does: "docker service inspect (UpdateStatus, replicas) and docker stack ps until every service's update completed and its tasks run",
      changes: 'nothing',
      undo: "a rolled-back or paused update fails the deploy with swarm's reason",
    },
  );
  return steps;
}

interface ServiceInspect {
  ID: string;
  Version?: { Index?: number };
  Spec?: {
    Name?: string;
    Labels?: Record<string, string>;
    Mode?: {
      Replicated?: { Replicas?: number };
      Global?: object;
      ReplicatedJob?: object;
      GlobalJob?: object;
    };
    TaskTemplate?: { ContainerSpec?: { Image?: string } } & Record<string, unknown>;
  };
  UpdateStatus?: { State?: string; StartedAt?: string; CompletedAt?: string; Message?: string } | null;
}

interface TaskLine {
  ID?: string;
  Name?: string;
  Image?: string;
  DesiredState?: string;
  CurrentState?: string;
  Error?: string;
}

const TERMINAL_FAILED = new Set(['rollback_completed', 'rollback_paused', 'paused']);

class SwarmRun {
  readonly log: Logger;
  readonly host: string;

  constructor(
    readonly exec: SwarmExec,
    private readonly cwd: string,
    o: { host?: string; log?: Logger },
  ) {
    this.log = o.log ?? silentLogger;
    this.host = o.host ?? 'host';
  }

  say(message: string): void {
    this.log.info(`[${this.host}] swarm: ${message}`);
  }

  /** Runs argv; a non-zero exit throws with the command and its last lines. Changes are logged. */
  async sh(
    argv: readonly string[],
    what: string,
    options: { stdin?: string; quiet?: boolean } = {},
  ): Promise<ExecResult> {
    if (!options.quiet) this.log.info(`[${this.host}] $ ${quoteCommand(argv)}`);
    const result = await this.exec(argv, {
      cwd: this.cwd,
      ...(options.stdin !== undefined ? { stdin: options.stdin } : {}),
    });
    if (result.code !== 0) {
      const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 10);
      throw new Error(
        `${what}: \`${quoteCommand(argv)}\` exited with ${result.code}${output ? `:\n${output}` : ''}`,
      );
    }
    return result;
  }

  async checkManager(): Promise<void> {
    const result = await this.exec(
      ['docker', 'info', '--format', '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}'],
      { cwd: this.cwd },
    );
    if (result.code !== 0) {
      throw new SwarmDeployError(
        'swarm-not-manager',
        `${this.host}: cannot ask Docker whether this node is a swarm manager: ${lastLines(`${result.stdout}\n${result.stderr}`.trim(), 5)}. Nothing was changed.`,
        'check-manager',
      );
    }
    const [state, control] = result.stdout.trim().split(/\s+/);
    if (state !== 'active' || control !== 'true') {
      const why =
        state !== 'active'
          ? `its swarm state is '${state ?? ''}' (run \`docker swarm init\` on it, or point host at a manager of your swarm)`
          : 'it is a worker, not a manager (point host at a manager node: `docker node ls` there lists them)';
      throw new SwarmDeployError(
        'swarm-not-manager',
        `${this.host}: strategy swarm needs a swarm manager node, but ${why}. Nothing was changed.`,
        'check-manager',
      );
    }
  }

  async writeFile(path: string, content: string): Promise<void> {
    await this.sh(['sh', '-c', 'umask 077 && cat > "$1"', 'sh', path], `write ${path}`, { stdin: content });
  }

  async stackServices(stack: string): Promise<ServiceInspect[]> {
    const ids = (
      await this.sh(
        ['docker', 'service', 'ls', '-q', '--filter', `label=com.docker.stack.namespace=${stack}`],
        "list the stack's services",
        { quiet: true },
      )
    ).stdout
      .split(/\s+/)
      .filter(Boolean);
    if (!ids.length) return [];
    const result = await this.sh(['docker', 'service', 'inspect', ...ids], "inspect the stack's services", {
      quiet: true,
    });
    return JSON.parse(result.stdout) as ServiceInspect[];
  }

  async tasks(stack: string): Promise<TaskLine[]> {
    const result = await this.exec(
      [
        'docker',
        'stack',
        'ps',
        '--no-trunc',
        '--filter',
        'desired-state=running',
        '--format',
        '{{json .}}',
        stack,
      ],
      { cwd: this.cwd },
    );
    if (result.code !== 0) return [];
    return result.stdout
      .split('\n')
      .filter((l) => l.trim().startsWith('{'))
      .map((l) => JSON.parse(l) as TaskLine);
  }

  /** What a failed task left: its state and error, and its container's last healthcheck (when on this node). */
  async taskEvidence(task: string): Promise<string> {
    const t = await this.exec(
      [
        'docker',
        'inspect',
        '--format',
        '{{.Status.State}}|{{.Status.Err}}|{{if .Status.ContainerStatus}}{{.Status.ContainerStatus.ContainerID}}{{end}}',
        task,
      ],
      { cwd: this.cwd },
    );
    if (t.code !== 0) return '';
    const [state = '', err = '', container = ''] = t.stdout.trim().split('|');
    const parts = [`task ${task.slice(0, 12)} ${state}${err ? ` (${err})` : ''}`];
    if (container) {
      const c = await this.exec(
        ['docker', 'inspect', '--format', '{{if .State.Health}}{{json .State.Health.Log}}{{end}}', container],
        {
          cwd: this.cwd,
        },
      );
      try {
        const log =
          c.code === 0 && c.stdout.trim()
            ? (JSON.parse(c.stdout) as Array<{ ExitCode?: number; Output?: string }>)
            : [];
        const last = [...log].reverse().find((l) => l.ExitCode !== 0);
        if (last)
          parts.push(
            `its healthcheck exited ${last.ExitCode ?? '?'}${last.Output?.trim() ? `: ${lastLines(last.Output.trim(), 2)}` : ''}`,
          );
      } catch {
        // no health log to show
      }
    }
    return parts.join(', ');
  }

  async deploy(stack: string, file: string): Promise<void> {
    await this.sh(
      ['docker', 'stack', 'deploy', '--with-registry-auth', '--prune', '-c', file, stack],
      'docker stack deploy',
    );
  }

  /** Waits until every service of the stack converged; throws SwarmDeployError(converge) otherwise. */
  async converge(
    stack: string,
    before: Map<string, ServiceInspect>,
    options: { timeoutMs?: number; pollIntervalMs?: number; signal?: AbortSignal },
  ): Promise<SwarmServiceResult[]> {
    const t0 = Date.now();
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const poll = options.pollIntervalMs ?? 1000;
    const doneAt = new Map<string, number>();
    /** Per service, swarm's message naming the task that failed (it is replaced by 'rollback completed'). */
    const failures = new Map<string, string>();
    for (;;) {
      const services = await this.stackServices(stack);
      const tasks = await this.tasks(stack);
      const results: SwarmServiceResult[] = [];
      const failed: SwarmServiceResult[] = [];
      let waiting = 0;
      for (const svc of services) {
        const swarmName = svc.Spec?.Name ?? svc.ID;
        const short = swarmName.startsWith(`${stack}_`) ? swarmName.slice(stack.length + 1) : swarmName;
        const mode = svc.Spec?.Mode ?? {};
        if (mode.ReplicatedJob || mode.GlobalJob) continue;
        const replicas = mode.Replicated ? (mode.Replicated.Replicas ?? 1) : undefined;
        const mine = tasks.filter((t) => t.Name?.startsWith(`${swarmName}.`) && t.DesiredState === 'Running');
        const running = mine.filter((t) => t.CurrentState?.startsWith('Running')).length;
        const pending = mine.length - running;
        const prev = before.get(svc.ID);
        const us = svc.UpdateStatus ?? undefined;
        const templateChanged =
          !prev || JSON.stringify(prev.Spec?.TaskTemplate) !== JSON.stringify(svc.Spec?.TaskTemplate);
        const newUpdate = us !== undefined && us.StartedAt !== prev?.UpdateStatus?.StartedAt;
        let state: string;
        if (!prev) state = 'created';
        else if (newUpdate) state = us.State ?? 'unknown';
        else state = templateChanged ? 'update-pending' : 'unchanged';
        const result: SwarmServiceResult = {
          service: short,
          swarmService: swarmName,
          image: svc.Spec?.TaskTemplate?.ContainerSpec?.Image ?? '',
          ...(replicas !== undefined ? { replicas } : {}),
          running,
          updateState: state,
          ...(newUpdate && us.Message ? { updateMessage: us.Message } : {}),
          durationMs: 0,
        };
        results.push(result);
        if (newUpdate && us.Message && /\btask \w+/.test(us.Message)) failures.set(swarmName, us.Message);
        if (newUpdate && TERMINAL_FAILED.has(state)) {
          failed.push(result);
          continue;
        }
        const settled =
          (state === 'completed' || state === 'created' || state === 'unchanged') &&
          pending === 0 &&
          (replicas === undefined ? running > 0 : running === replicas);
        if (settled) {
          if (!doneAt.has(swarmName)) doneAt.set(swarmName, Date.now() - t0);
        } else {
          doneAt.delete(swarmName);
          waiting++;
        }
        result.durationMs = doneAt.get(swarmName) ?? Date.now() - t0;
      }
      // Wait for a rollback that is still running to end before failing: the old tasks must serve again.
      const rollingBack = results.some((r) => r.updateState === 'rollback_started');
      if (failed.length && !rollingBack) {
        const f = failed[0]!;
        const reasons: string[] = [];
        for (const s of failed) {
          const first = failures.get(s.swarmService);
          const task = first ? /\btask (\w+)/.exec(first)?.[1] : undefined;
          const evidence = task ? await this.taskEvidence(task) : '';
          const detail = [s.updateMessage, first && first !== s.updateMessage ? first : undefined, evidence]
            .filter(Boolean)
            .join('; ');
          reasons.push(
            `service '${s.service}' (${s.swarmService}): update ${s.updateState}${detail ? `: ${detail}` : ''}`,
          );
        }
        const why = reasons.join('; ');
        const back = failed.every((s) => s.updateState === 'rollback_completed');
        throw new SwarmDeployError(
          f.updateState === 'paused' ? 'swarm-update-paused' : 'swarm-rolled-back',
          `${this.host}: stack ${stack} did not converge: ${why}.${back ? ' Swarm rolled the service(s) back to their previous version, which serves.' : ' The update is paused half-done: `docker service update --rollback <service>` or redeploy.'}`,
          'converge',
          f.service,
          results,
        );
      }
      if (waiting === 0 && results.length > 0) return results;
      if (Date.now() - t0 > timeoutMs) {
        const late = results.filter((r) => !doneAt.has(r.swarmService));
        throw new SwarmDeployError(
          'swarm-timeout',
          `${this.host}: stack ${stack} did not converge within ${formatDuration(timeoutMs)}: ${late
            .map((r) => `service '${r.service}' ${r.updateState}, ${r.running}/${r.replicas ?? '?'} running`)
            .join('; ')}`,
          'converge',
          late[0]?.service,
          results,
        );
      }
      if (options.signal?.aborted) {
        throw new SwarmDeployError(
          'timeout',
          `${this.host}: stopped (timeout or cancel) while stack ${stack} converged: ${results
            .map((r) => `service '${r.service}' ${r.updateState}, ${r.running}/${r.replicas ?? '?'} running`)
            .join('; ')}`,
          'converge',
          undefined,
          results,
        );
      }
      await sleep(poll);
    }
  }
}

function parseConfig(text: string, where: string): SwarmConfigJson {
  try {
    const parsed = parseYaml(text) as unknown;
    if (!parsed || typeof parsed !== 'object') throw new Error('not a mapping');
    return parsed as SwarmConfigJson;
  } catch (e) {
    throw new SwarmDeployError(
      'swarm-stack-invalid',
      `${where} is not a compose config: ${(e as Error).message}. Nothing was changed.`,
      'render',
    );
  }
}

/** Swarm's network name for a compose network of the stack. */
function swarmNetwork(config: SwarmConfigJson, stack: string, net: string): string {
  const cfg = config.networks?.[net];
  const ext = cfg?.external;
  if (ext && typeof ext === 'object' && ext.name) return ext.name;
  // compose's config names every network <project>_<net>: a stack names it <stack>_<net>.
  if (ext && cfg?.name) return cfg.name;
  return `${stack}_${net}`;
}

/**
 * A swarm deploy as separate steps, so ssh-deploy's session runs each as a named step of its plan
 * (check-manager, render, migrate, stack-deploy, converge). Every method throws a SwarmDeployError
 * naming its step; swarmDeploy runs them all in order.
 */
export class SwarmDeployment {
  private readonly run: SwarmRun;
  readonly durations = { 'check-manager': 0, render: 0, migrate: 0, deploy: 0, converge: 0, total: 0 };
  private config?: SwarmConfigJson;
  private before?: Map<string, ServiceInspect>;
  /** The stack file written by render (or given to deploy). */
  stackFile: string;
  warnings: string[] = [];

  constructor(
    exec: SwarmExec,
    private readonly options: SwarmDeployOptions,
  ) {
    this.run = new SwarmRun(exec, options.cwd, options);
    this.stackFile = `${options.cwd.replace(/\/+$/, '')}/${options.stackFileName ?? DEFAULT_STACK_FILE}`;
  }

  private async timed<T>(s: SwarmStepName, fn: () => Promise<T>): Promise<T> {
    const t = Date.now();
    const { run, options } = this;
    try {
      return await fn();
    } catch (e) {
      if (e instanceof SwarmDeployError) throw e;
      const code = s === 'migrate' ? 'swarm-migration-failed' : `swarm-${s}-failed`;
      const outcome =
        s === 'deploy'
          ? ' Services the command reached before it failed may be updating: run the deploy again, or roll back.'
          : s === 'converge'
            ? ''
            : ' The stack was not changed.';
      throw new SwarmDeployError(
        code,
        `${run.host}: swarm deploy of stack ${options.stack} failed at step ${s}: ${(e as Error).message}${outcome}`,
        s,
        s === 'migrate' ? options.migrateService : undefined,
        [],
        { cause: e },
      );
    } finally {
      this.durations[s] = Date.now() - t;
    }
  }

  say(message: string): void {
    this.run.say(message);
  }

  /** The node is an active swarm manager and the stack name is valid. Changes nothing. */
  async checkManager(): Promise<void> {
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(this.options.stack)) {
      throw new SwarmDeployError(
        'swarm-stack-invalid',
        `stack name '${this.options.stack}' is not a valid stack name (letters, digits, _ . -). Nothing was changed.`,
        'check-manager',
      );
    }
    await this.timed('check-manager', () => this.run.checkManager());
  }

  /** Reads the interpolated config, checks it (checkSwarmStack) and writes the stack file (0600). */
  async render(): Promise<{ stackFile: string; warnings: string[] }> {
    const { run, options } = this;
    const file = this.stackFile;
    const { config, warnings } = await this.timed('render', async () => {
      let text: string;
      let where: string;
      if ('compose' in options.source) {
        text = (
          await run.sh(
            options.source.compose.argv('config', '--format', 'json'),
            'render the compose config',
            {
              quiet: true,
            },
          )
        ).stdout;
        where = 'docker compose config';
      } else {
        text = (
          await run.sh(['cat', options.source.renderedFile], `read ${options.source.renderedFile}`, {
            quiet: true,
          })
        ).stdout;
        where = options.source.renderedFile;
      }
      const cfg = parseConfig(text, where);
      const check = checkSwarmStack(cfg);
      if (check.errors.length) {
        throw new SwarmDeployError(
          'swarm-stack-invalid',
          `${run.host}: stack ${options.stack} cannot be deployed to swarm: ${check.errors.map((e) => e.message).join('; ')}. Nothing was changed.`,
          'render',
          check.errors[0]!.service,
        );
      }
      // The migrator runs once (migrate step), never as a service of the stack.
      const deployed: SwarmConfigJson = { ...cfg, services: { ...cfg.services } };
      if (options.migrateService) delete deployed.services![options.migrateService];
      const stackFile = stackFileFromConfig(deployed);
      const notes = [
        ...check.warnings.map((w) => w.message),
        ...stackFile.dropped.map((d) => `left out of the stack file (swarm does not support it): ${d}`),
      ];
      for (const n of notes) run.log.warning(`[${run.host}] swarm: ${n}`);
      await run.writeFile(file, stackFile.content);
      return { config: cfg, warnings: notes };
    });
    this.config = config;
    this.warnings = warnings;
    return { stackFile: file, warnings };
  }

  /** Runs migrate-service once as a job on the stack's network (after render). */
  async migrate(): Promise<SwarmMigrationResult | undefined> {
    const { run, options } = this;
    const name = options.migrateService;
    if (!name) return undefined;
    const config = this.config;
    if (!config) throw new Error('swarm migrate before render');
    return this.timed('migrate', async () => {
      let svcCfg = config.services?.[name];
      if (svcCfg === undefined && 'compose' in options.source) {
        // A migrator in a profile is not in the default config: naming it enables it.
        const text = (
          await run.sh(
            options.source.compose.argv('config', '--format', 'json', name),
            "render the migrator's config",
            { quiet: true },
          )
        ).stdout;
        svcCfg = parseConfig(text, 'docker compose config').services?.[name];
      }
      if (!svcCfg?.image) {
        throw new SwarmDeployError(
          'swarm-migration-failed',
          `${run.host}: migrate service '${name}' ${svcCfg ? 'has no image' : 'is not a service of the compose file'}. Nothing was changed.`,
          'migrate',
          name,
        );
      }
      return runMigration(run, options, config, name, svcCfg, svcCfg.image);
    });
  }

  /** `docker stack deploy` of the stack file (render's, or `file`: a recorded one for a rollback). */
  async deploy(file = this.stackFile): Promise<void> {
    this.stackFile = file;
    this.before = new Map((await this.run.stackServices(this.options.stack)).map((s) => [s.ID, s]));
    await this.timed('deploy', () => this.run.deploy(this.options.stack, file));
    this.run.say(`deployed ${file}; waiting for every service to converge`);
  }

  /** Waits until every service converged; a rolled-back, paused or late update throws. */
  async converge(): Promise<SwarmServiceResult[]> {
    const before = this.before ?? new Map<string, ServiceInspect>();
    return this.timed('converge', () => this.run.converge(this.options.stack, before, this.options));
  }

  /** The stack-wide rollback: redeploys `stackFile` (a previous release's) and waits for convergence. */
  async redeploy(stackFile: string): Promise<SwarmServiceResult[]> {
    const exists = await this.run.exec(['test', '-f', stackFile], { cwd: this.options.cwd });
    if (exists.code !== 0) {
      throw new SwarmDeployError(
        'swarm-rollback-failed',
        `${this.run.host}: the previous stack file ${stackFile} is not on the manager: nothing to roll back to.`,
        'deploy',
      );
    }
    await this.deploy(stackFile);
    const services = await this.converge();
    this.run.say(`stack ${this.options.stack} is back on ${stackFile}`);
    return services;
  }
}

/**
 * Deploys a release as a swarm stack on a manager and waits until it converged. Throws a
 * SwarmDeployError naming the step (and the service for a failed update) otherwise.
 */
export async function swarmDeploy(exec: SwarmExec, options: SwarmDeployOptions): Promise<SwarmDeployResult> {
  const started = Date.now();
  const d = new SwarmDeployment(exec, options);
  await d.checkManager();
  const { stackFile, warnings } = await d.render();
  const migration = await d.migrate();
  await d.deploy();
  const services = await d.converge();
  d.durations.total = Date.now() - started;
  d.say(
    `converged in ${formatDuration(d.durations.total)}: ${services.map((s) => `${s.service} ${s.updateState} ${s.running}/${s.replicas ?? s.running}`).join(', ')}`,
  );
  return {
    stack: options.stack,
    stackFile,
    ...(migration ? { migration } : {}),
    services,
    warnings,
    durations: d.durations,
  };
}

async function runMigration(
  run: SwarmRun,
  options: SwarmDeployOptions,
  config: SwarmConfigJson,
  name: string,
  svc: SwarmServiceJson,
  image: string,
): Promise<SwarmMigrationResult> {
  const t0 = Date.now();
  const job = `${options.stack}_migrate-${randomBytes(4).toString('hex')}`;
  const argv = [
    'docker',
    'service',
    'create',
    '--detach',
    '--quiet',
    '--with-registry-auth',
    '--mode',
    'replicated-job',
    '--restart-condition',
    'none',
    '--name',
    job,
    '--label',
    `deploy-actions.migrate=${options.stack}`,
  ];
  const nets = Array.isArray(svc.networks) ? svc.networks : Object.keys(svc.networks ?? { default: null });
  for (const net of nets) {
    const netName = swarmNetwork(config, options.stack, net);
    argv.push('--network', netName);
    // First deploy: the stack's network does not exist yet. Create it as stack deploy would
    // (overlay, the stack's namespace label), so the stack adopts it.
    const known = await run.exec(['docker', 'network', 'inspect', '--format', '{{.Scope}}', netName], {
      cwd: options.cwd,
    });
    if (known.code !== 0) {
      const cfg = config.networks?.[net];
      if (cfg?.external) throw new Error(`the external network ${netName} does not exist`);
      await run.sh(
        [
          'docker',
          'network',
          'create',
          '--driver',
          cfg?.driver ?? 'overlay',
          '--label',
          `com.docker.stack.namespace=${options.stack}`,
          netName,
        ],
        `create the stack's network ${netName} for the migration`,
      );
    }
  }
  // Environment goes through a 0600 file, never the command line (values can be secrets).
  const env = Array.isArray(svc.environment)
    ? svc.environment
    : Object.entries(svc.environment ?? {}).map(([k, v]) => (v === null ? k : `${k}=${v}`));
  // Next to the stack file (with ssh-deploy: the release dir, under the 0700 .releases).
  const stackFile = `${options.cwd.replace(/\/+$/, '')}/${options.stackFileName ?? DEFAULT_STACK_FILE}`;
  const envFile = `${stackFile.slice(0, stackFile.lastIndexOf('/'))}/.${job}.env`;
  if (env.length) {
    const bad = env.find((e) => /[\n\r]/.test(e));
    if (bad) {
      throw new SwarmDeployError(
        'swarm-migration-failed',
        `${run.host}: migrate service '${name}': the value of ${bad.split('=')[0]} has a line break, which a job's env file cannot carry. Nothing was changed.`,
        'migrate',
        name,
      );
    }
    await run.writeFile(envFile, `${env.join('\n')}\n`);
    argv.push('--env-file', envFile);
  }
  if (svc.user) argv.push('--user', svc.user);
  if (svc.working_dir) argv.push('--workdir', svc.working_dir);
  for (const v of svc.volumes ?? []) {
    if (typeof v === 'object' && v.target && (v.type === 'volume' || v.type === 'bind') && v.source) {
      const src = v.type === 'volume' ? `${options.stack}_${v.source}` : v.source;
      argv.push(
        '--mount',
        `type=${v.type},source=${src},target=${v.target}${v.read_only ? ',readonly' : ''}`,
      );
    }
  }
  const entrypoint = svc.entrypoint;
  const command = svc.command;
  const words = (w: string[] | string | null | undefined): string[] =>
    w === null || w === undefined ? [] : Array.isArray(w) ? w : ['sh', '-c', w];
  if (entrypoint !== null && entrypoint !== undefined) {
    const e = words(entrypoint);
    argv.push('--entrypoint', e[0]!);
    argv.push(image, ...e.slice(1), ...words(command));
  } else {
    argv.push(image, ...words(command));
  }
  run.say(`migration: running ${name} (${image}) once as ${job}`);
  const deadline = Date.now() + (options.migrateTimeoutMs ?? DEFAULT_TIMEOUT_MS);
  try {
    await run.sh(argv, `create the migration job ${job}`);
    for (;;) {
      const ps = await run.exec(['docker', 'service', 'ps', '--no-trunc', '-q', job], { cwd: options.cwd });
      const ids = ps.stdout.split(/\s+/).filter(Boolean);
      if (ids.length) {
        const inspected = await run.exec(
          [
            'docker',
            'inspect',
            '--format',
            '{{.Status.State}}|{{if .Status.ContainerStatus}}{{.Status.ContainerStatus.ExitCode}}{{end}}|{{.Status.Err}}',
            ...ids,
          ],
          { cwd: options.cwd },
        );
        const states = inspected.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => l.split('|'));
        const done = states.find(([s]) => s === 'complete');
        const bad = states.find(([s]) => s === 'failed' || s === 'rejected' || s === 'orphaned');
        if (done || bad) {
          const logs = await run.exec(['docker', 'service', 'logs', '--raw', job], { cwd: options.cwd });
          const output = lastLines(`${logs.stdout}\n${logs.stderr}`.trim(), 10);
          if (bad) {
            throw new SwarmDeployError(
              'swarm-migration-failed',
              `${run.host}: migration (${name}) failed: task ${bad[0]}${bad[1] ? ` with exit code ${bad[1]}` : ''}${bad[2] ? ` (${bad[2]})` : ''}${output ? `:\n${output}` : ''}\nThe stack was not changed.`,
              'migrate',
              name,
            );
          }
          return { service: name, jobService: job, image, durationMs: Date.now() - t0, output };
        }
      }
      if (Date.now() > deadline || options.signal?.aborted) {
        throw new SwarmDeployError(
          options.signal?.aborted ? 'timeout' : 'swarm-migration-failed',
          `${run.host}: migration (${name}) did not finish within ${formatDuration(options.migrateTimeoutMs ?? DEFAULT_TIMEOUT_MS)}; the job was removed and the stack was not changed.`,
          'migrate',
          name,
        );
      }
      await sleep(options.pollIntervalMs ?? 1000);
    }
  } finally {
    await run.exec(['docker', 'service', 'rm', job], { cwd: options.cwd }).catch(() => undefined);
    if (env.length) await run.exec(['rm', '-f', envFile], { cwd: options.cwd }).catch(() => undefined);
  }
}

/**
 * The stack-wide rollback: redeploys a previous release's stack file (as swarmDeploy wrote it)
 * and waits for convergence. Every service goes back to what that file says, not only the failed one.
 */
export async function swarmRollback(
  exec: SwarmExec,
  options: SwarmRollbackOptions,
): Promise<SwarmDeployResult> {
  const run = new SwarmRun(exec, options.cwd, options);
  const started = Date.now();
  const durations = { 'check-manager': 0, render: 0, migrate: 0, deploy: 0, converge: 0, total: 0 };
  let t = Date.now();
  await run.checkManager();
  durations['check-manager'] = Date.now() - t;
  const exists = await exec(['test', '-f', options.stackFile], { cwd: options.cwd });
  if (exists.code !== 0) {
    throw new SwarmDeployError(
      'swarm-rollback-failed',
      `${run.host}: the previous stack file ${options.stackFile} is not on the manager: nothing to roll back to. Nothing was changed.`,
      'deploy',
    );
  }
  const before = new Map((await run.stackServices(options.stack)).map((s) => [s.ID, s]));
  t = Date.now();
  try {
    await run.deploy(options.stack, options.stackFile);
  } catch (e) {
    throw new SwarmDeployError(
      'swarm-deploy-failed',
      `${run.host}: rollback of stack ${options.stack}: ${(e as Error).message}`,
      'deploy',
      undefined,
      [],
      { cause: e },
    );
  }
  durations.deploy = Date.now() - t;
  t = Date.now();
  const services = await run.converge(options.stack, before, options);
  durations.converge = Date.now() - t;
  durations.total = Date.now() - started;
  run.say(`rolled stack ${options.stack} back to ${options.stackFile} in ${formatDuration(durations.total)}`);
  return { stack: options.stack, stackFile: options.stackFile, services, warnings: [], durations };
}
