// Zero-downtime replacement of compose services on one host (`strategy: rolling`):
// the new containers start beside the old ones, and the old ones leave only once
// every new one is healthy. The order is docker-rollout's and kamal-proxy's:
//
//   scale-up      `up -d --no-deps --no-recreate --scale S=old+N S` (the old containers are kept)
//   wait-healthy  every new container's Docker healthcheck says `healthy` (bounded)
//   drain         until the new containers have been in the service's DNS name for `drainMs`
//                 (the proxy's DNS refresh), counted from when they joined it: usually over
//                 already, as the healthcheck took longer. Nothing changes on the host.
//   stop-old      `docker stop -t <stop_grace_period>`: SIGTERM, the app closes its listener
//                 (the proxy retries new connections on the new containers) and finishes the
//                 requests in flight; KILL at the grace's end. The old containers stay on their
//                 networks until they exit: taking them off first would cut the requests in
//                 flight (their answers have no way back). Docker's DNS drops them as they exit.
//   remove-old    `docker rm`
//   scale-down    `up -d --no-deps --no-recreate --scale S=N S` (compose's view matches again)
//
// A failure up to and including stop-old is undone: the new containers are removed and
// the old ones started again (if the stop got that far), so they serve as before.
// From remove-old on, the new containers are healthy and serving; a failure there is
// reported and left as it is (an old container that is gone cannot come back).
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError, formatDuration, silentLogger, type Logger } from '@deploy-actions/action-kit';
import { quoteCommand, type ExecResult } from '@deploy-actions/ssh';
import type { ComposeInvocation } from './compose.js';
import { lastLines } from './remote-error.js';

/** The line between `docker stop`'s output and `docker rm`'s in STOP_THEN_REMOVE_SCRIPT. */
export const STOP_THEN_REMOVE_MARK = '@@deploy-actions-remove-old';

/**
 * stop-old and remove-old in one exec (one session fewer): `docker rm` runs only after
 * `docker stop` succeeded, after a marker line, so each keeps its own exit and output.
 * Args: the grace in seconds, then the container ids.
 */
export const STOP_THEN_REMOVE_SCRIPT = `
G=$1; shift
docker stop -t "$G" "$@" || exit $?
echo ${STOP_THEN_REMOVE_MARK}
docker rm "$@"
`;

/**
 * Runs one command on the host. `SshConnection.exec` fits (`(argv, o) => conn.exec(argv, o)`):
 * it POSIX-quotes every word of argv, so no value is ever read as shell.
 */
export type RollingExec = (argv: readonly string[], options: { cwd?: string }) => Promise<ExecResult>;

/** What rolling reads from `docker compose config --format json` (the release, interpolated). */
export interface ComposeConfigJson {
  name?: string;
  services?: Record<string, ComposeServiceJson | null>;
}

export interface ComposeServiceJson {
  image?: string;
  container_name?: string;
  ports?: Array<string | number | { published?: string | number | null; target?: number | string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean } | null;
  stop_grace_period?: string;
  network_mode?: string;
  networks?: Record<string, { ipv4_address?: string; ipv6_address?: string } | null> | string[];
  deploy?: { replicas?: number; mode?: string } | null;
  scale?: number;
}

/** A service rolling will replace, with what the rollout needs to know about it. */
export interface RollingService {
  name: string;
  /** N: the replicas the release wants (`deploy.replicas` or `scale`, else 1). */
  replicas: number;
  /** `stop_grace_period` in whole seconds, rounded up (compose's default: 10). */
  stopGraceSeconds: number;
  /** The image the release names, when it names one (checked for a healthcheck before anything changes). */
  image?: string;
  /** The healthcheck comes from the compose file; otherwise it must come from the image. */
  composeHealthcheck: boolean;
}

export interface RollingSelection {
  /** Compose's project name, from the config's `name` (v2); the label rolling finds containers by. */
  project?: string;
  services: RollingService[];
  /** Services left out of the default selection, and why (for the log). */
  skipped: Array<{ service: string; reason: string }>;
}

/** The named steps of one service's rolling update (deploy-core's `{name, changes, undo}` shape). */
export type RollingStepName =
  'scale-up' | 'wait-healthy' | 'admit' | 'drain' | 'stop-old' | 'remove-old' | 'scale-down';

export interface RollingStep {
  name: RollingStepName;
  /** What runs, with the exact command line where there is one. */
  does: string;
  /** What it changes on the host. */
  changes: string;
  /** How a failure at or after this step is undone (before remove-old), or why it is not. */
  undo: string;
}

export interface RolledService {
  service: string;
  replicas: number;
  /** Full container ids. */
  oldContainers: string[];
  newContainers: string[];
  /** Milliseconds per step, and in all. */
  durations: Record<RollingStepName, number> & { total: number };
}

export interface RollingOptions {
  /** From `composeInvocation(...)`: v1 or v2, with the release's -p, -f and --env-file. */
  compose: ComposeInvocation;
  /** Compose's project name (the `com.docker.compose.project` label). */
  project: string;
  /** Where compose runs (remote-dir). */
  cwd: string;
  /** From `checkRollable(...)`, rolled one after another. */
  services: readonly RollingService[];
  /** Per service: how long the new containers may take to become healthy (default 2 min). */
  healthTimeoutMs?: number;
  /**
   * How long the new containers are in the service's DNS name before the old ones get SIGTERM,
   * counted from when they joined it (the end of scale-up, or admit): the proxy's DNS refresh
   * (default 1 s). The wait is only what is left of it once they are healthy.
   */
  drainMs?: number;
  /**
   * Keep the new containers out of the service's DNS name until they are healthy: they are
   * created (`up --no-start`), attached without the service alias (reachable by container
   * name, and able to reach the other services), started, and given the alias only once
   * healthy (`admit`: disconnect + connect). For proxies that do not look at health (Caddy,
   * nginx); Traefik does by itself. Default false.
   */
  isolateUntilHealthy?: boolean;
  /** How often health is polled (default 200 ms: one `docker inspect`; Docker's own check runs at its interval). */
  pollIntervalMs?: number;
  /** The host, for messages. */
  host?: string;
  log?: Logger;
  /** An extra gate on the new containers once Docker calls them healthy (throw to fail: undone like any step). */
  verify?: (service: string, newContainers: readonly string[]) => Promise<void>;
}

/** A rolling update failed; `undone` says whether the host was put back as it was for that service. */
export class RollingUpdateError extends UserError {
  constructor(
    code: string,
    message: string,
    readonly service: string,
    readonly step: RollingStepName | 'check',
    readonly undone: boolean,
    /** Services fully rolled before this one (they run the new release). */
    readonly completed: readonly RolledService[],
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }
}

const DEFAULT_STOP_GRACE_S = 10;

/** A Go duration as compose prints it (`1m30s`, `500ms`, `10s`) in milliseconds; undefined when unreadable. */
export function parseGoDuration(text: string): number | undefined {
  const units: Record<string, number> = {
    h: 3_600_000,
    m: 60_000,
    s: 1000,
    ms: 1,
    us: 1e-3,
    µs: 1e-3,
    ns: 1e-6,
  };
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|us|µs|ns|h|m|s)/y;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(trimmed))) {
    total += Number(m[1]) * units[m[2]!]!;
    matched = re.lastIndex;
  }
  return matched === trimmed.length && matched > 0 ? total : undefined;
}

function publishedPort(port: NonNullable<ComposeServiceJson['ports']>[number]): string | undefined {
  if (typeof port === 'number') return undefined; // a container port only: the host picks one
  if (typeof port === 'string') {
    // short syntax: [ip:][host:]container[/proto]
    const spec = port.replace(/\/\w+$/, '');
    const parts = spec.startsWith('[') ? spec.replace(/^\[[^\]]*\]:/, '').split(':') : spec.split(':');
    if (parts.length < 2) return undefined;
    const host = parts.length === 3 ? parts[1] : parts[0];
    return host && host !== '0' ? host : undefined;
  }
  const published = port.published;
  if (published === undefined || published === null || published === '' || String(published) === '0')
    return undefined;
  return String(published);
}

/** Why a service cannot run twice side by side, or undefined when it can. */
function blocker(name: string, svc: ComposeServiceJson): string | undefined {
  if (svc.container_name) {
    return `it sets container_name '${svc.container_name}': two containers cannot have one name (remove container_name; compose names them <project>-${name}-<n>)`;
  }
  const fixed = (svc.ports ?? []).map(publishedPort).filter((p): p is string => p !== undefined);
  if (fixed.length) {
    return `it publishes host port ${fixed.join(', ')}: the new container cannot bind it while the old one holds it (serve it through a proxy on the project network instead of \`ports:\`)`;
  }
  const mode = svc.network_mode;
  if (mode && mode !== 'bridge' && !mode.startsWith('default')) {
    return `it uses network_mode '${mode}': the new container needs a network address of its own beside the old one, which this mode does not give (it shares a network namespace, or has none)`;
  }
  if (svc.networks && !Array.isArray(svc.networks)) {
    for (const [net, cfg] of Object.entries(svc.networks)) {
      const fixedIp = cfg?.ipv4_address ?? cfg?.ipv6_address;
      if (fixedIp)
        return `it has the fixed address ${fixedIp} on network '${net}': two containers cannot share it`;
    }
  }
  if (svc.deploy?.mode === 'global') return "it has deploy.mode 'global'";
  return undefined;
}

function hasComposeHealthcheck(svc: ComposeServiceJson): 'yes' | 'no' | 'disabled' {
  const hc = svc.healthcheck;
  if (!hc) return 'no';
  if (hc.disable) return 'disabled';
  const test = hc.test;
  if (Array.isArray(test) && test[0] === 'NONE') return 'disabled';
  return test === undefined || (Array.isArray(test) && test.length === 0) ? 'no' : 'yes';
}

/**
 * Chooses and checks the services to roll, before anything changes.
 * `services` empty or absent: every service with a healthcheck in the compose file and nothing
 * that stops it from running twice (others are listed in `skipped`). Named services must all be
 * rollable: one `not-rollable` UserError names every one that is not, and why.
 */
export function checkRollable(config: ComposeConfigJson, services: readonly string[] = []): RollingSelection {
  const all = config.services ?? {};
  const selection: RollingSelection = {
    ...(config.name ? { project: config.name } : {}),
    services: [],
    skipped: [],
  };
  const describe = (name: string, svc: ComposeServiceJson): RollingService => {
    const graceMs = svc.stop_grace_period ? parseGoDuration(svc.stop_grace_period) : undefined;
    return {
      name,
      replicas: Math.max(1, svc.deploy?.replicas ?? svc.scale ?? 1),
      stopGraceSeconds: graceMs === undefined ? DEFAULT_STOP_GRACE_S : Math.ceil(graceMs / 1000),
      ...(svc.image ? { image: svc.image } : {}),
      composeHealthcheck: hasComposeHealthcheck(svc) === 'yes',
    };
  };
  if (services.length === 0) {
    for (const [name, svc] of Object.entries(all)) {
      const s = svc ?? {};
      const why =
        blocker(name, s) ??
        (hasComposeHealthcheck(s) === 'yes' ? undefined : 'it has no healthcheck in the compose file');
      if (why) selection.skipped.push({ service: name, reason: why });
      else selection.services.push(describe(name, s));
    }
    return selection;
  }
  const problems: string[] = [];
  for (const name of new Set(services)) {
    const svc = all[name];
    if (svc === undefined) {
      problems.push(
        `'${name}' is not a service of this compose project (services: ${Object.keys(all).join(', ') || 'none'})`,
      );
      continue;
    }
    const s = svc ?? {};
    const why =
      blocker(name, s) ??
      (hasComposeHealthcheck(s) === 'disabled'
        ? 'its healthcheck is disabled: rolling needs one to know when a new container may take traffic'
        : undefined);
    if (why) problems.push(`service '${name}' cannot be rolled: ${why}`);
    else selection.services.push(describe(name, s));
  }
  if (problems.length) {
    throw new UserError('not-rollable', `strategy rolling: ${problems.join('; ')}. Nothing was changed.`);
  }
  return selection;
}

/** The steps of one service's rolling update, with their command lines, for dry-run and the log. */
export function rollingSteps(
  compose: ComposeInvocation,
  service: RollingService,
  options: { drainMs?: number; healthTimeoutMs?: number; isolateUntilHealthy?: boolean } = {},
): RollingStep[] {
  const n = service.replicas;
  const isolate = options.isolateUntilHealthy === true;
  const up = (scale: string, noStart = false): string =>
    quoteCommand(
      compose.argv(
        'up',
        '-d',
        '--no-deps',
        '--no-recreate',
        ...(noStart ? ['--no-start'] : []),
        '--scale',
        `${service.name}=${scale}`,
        service.name,
      ),
    );
  const undoAll = 'remove the new containers; the old ones keep (or go back to) serving';
  const steps: RollingStep[] = [
    {
      name: 'scale-up',
      does: isolate
        ? `${up(`<old>+${n}`, true)}; reconnect the new container(s) without the alias '${service.name}'; docker start them`
        : up(`<old>+${n}`),
      changes: `starts ${n} new container(s) of ${service.name} beside the old ones${isolate ? ', out of its DNS name' : ''}`,
      undo: undoAll,
    },
    {
      name: 'wait-healthy',
      does: `wait until every new container's healthcheck says healthy (up to ${formatDuration(options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS)})`,
      changes: 'nothing',
      undo: undoAll,
    },
    ...(isolate
      ? [
          {
            name: 'admit' as const,
            does: `docker network disconnect + connect each new container with the alias '${service.name}'`,
            changes: 'the new containers join the DNS name the proxy follows',
            undo: undoAll,
          },
        ]
      : []),
    {
      name: 'drain',
      does: `wait until the new container(s) have been in the name '${service.name}' for ${formatDuration(options.drainMs ?? DEFAULT_DRAIN_MS)} (the proxy's DNS refresh; counted from when they joined it)`,
      changes: 'nothing: the proxy has seen the new containers before the old ones stop',
      undo: undoAll,
    },
    {
      name: 'stop-old',
      does: `docker stop -t ${service.stopGraceSeconds} <old containers>`,
      changes:
        'the old containers get SIGTERM: they stop taking connections, finish the requests in flight and leave Docker DNS as they exit (KILL after stop_grace_period)',
      undo: `start the old containers again; ${undoAll}`,
    },
    {
      name: 'remove-old',
      does: 'docker rm <old containers>',
      changes: 'the old containers are gone',
      undo: 'none: the new containers are healthy and serving; the step fails naming what is left',
    },
    {
      name: 'scale-down',
      does: `${up(String(n))} (skipped when exactly the ${n} new container(s) are left)`,
      changes: `nothing when ${n} new container(s) run (compose's own count agrees again)`,
      undo: 'none: the new containers are healthy and serving; the step fails saying so',
    },
  ];
  return steps;
}

const DEFAULT_HEALTH_TIMEOUT_MS = 120_000;
/** One DNS refresh of a proxy set up as docs/zero-downtime.md says (Caddy `refresh 1s`, nginx `valid=1s`). */
const DEFAULT_DRAIN_MS = 1000;

interface ContainerInspect {
  Id: string;
  Name?: string;
  State?: {
    Status?: string;
    ExitCode?: number;
    Health?: { Status?: string; Log?: Array<{ ExitCode?: number; Output?: string }> };
  };
  NetworkSettings?: { Networks?: Record<string, { Aliases?: string[] | null } | null> };
}

/** One new container's networks and aliases, to isolate and admit it (isolateUntilHealthy). */
interface Attachment {
  container: string;
  network: string;
  aliases: string[];
}

const short = (id: string): string => id.slice(0, 12);

/**
 * Replaces each service's containers with the release's, one service after another, without a
 * moment where none serves. Returns what it did per service. Throws a RollingUpdateError naming
 * the service and the step; for failures up to stop-old the service is as it was before (`undone`).
 */
export async function rollingUpdate(exec: RollingExec, options: RollingOptions): Promise<RolledService[]> {
  const done: RolledService[] = [];
  for (const service of options.services) {
    done.push(await new ServiceRoll(exec, options, service, done).run());
  }
  return done;
}

class ServiceRoll {
  private readonly log: Logger;
  private readonly host: string;
  private readonly durations = {
    'scale-up': 0,
    'wait-healthy': 0,
    admit: 0,
    drain: 0,
    'stop-old': 0,
    'remove-old': 0,
    'scale-down': 0,
    total: 0,
  };
  private old: string[] = [];
  private newIds: string[] = [];
  /** Undo actions of the steps done so far, last first. */
  private readonly undos: Array<{ what: string; run: () => Promise<void> }> = [];

  constructor(
    private readonly exec: RollingExec,
    private readonly o: RollingOptions,
    private readonly svc: RollingService,
    private readonly completed: readonly RolledService[],
  ) {
    this.log = o.log ?? silentLogger;
    this.host = o.host ?? 'host';
  }

  private say(message: string): void {
    this.log.info(`[${this.host}] rolling ${this.svc.name}: ${message}`);
  }

  /** Runs argv; a non-zero exit throws with the command and its last lines. Changes are logged. */
  private async sh(argv: readonly string[], what: string): Promise<ExecResult> {
    const query = argv[0] === 'docker' && (argv[1] === 'ps' || argv[1] === 'inspect');
    if (!query) this.log.info(`[${this.host}] $ ${quoteCommand(argv)}`);
    return this.checked(argv, what, await this.exec(argv, { cwd: this.o.cwd }));
  }

  /** A non-zero exit of argv throws with the command and its last lines. */
  private checked(argv: readonly string[], what: string, result: ExecResult): ExecResult {
    if (result.code !== 0) {
      const output = lastLines(`${result.stdout}\n${result.stderr}`.trim(), 10);
      throw new Error(
        `${what}: \`${quoteCommand(argv)}\` exited with ${result.code}${output ? `:\n${output}` : ''}`,
      );
    }
    return result;
  }

  private compose(...args: string[]): string[] {
    return this.o.compose.argv(...args);
  }

  private async listContainers(): Promise<string[]> {
    const result = await this.sh(
      [
        'docker',
        'ps',
        '-a',
        '-q',
        '--no-trunc',
        '--filter',
        `label=com.docker.compose.project=${this.o.project}`,
        '--filter',
        `label=com.docker.compose.service=${this.svc.name}`,
        '--filter',
        'label=com.docker.compose.oneoff=False',
      ],
      'list the containers',
    );
    return result.stdout.split(/\s+/).filter(Boolean);
  }

  private async inspect(ids: readonly string[]): Promise<ContainerInspect[]> {
    if (ids.length === 0) return [];
    const result = await this.sh(['docker', 'inspect', ...ids], 'inspect the containers');
    return JSON.parse(result.stdout) as ContainerInspect[];
  }

  async run(): Promise<RolledService> {
    const started = Date.now();
    const name = this.svc.name;
    const at: { step: RollingStepName | 'check' } = { step: 'check' };
    let removed: ExecResult | undefined;
    const timed = async <T>(s: RollingStepName, fn: () => Promise<T>): Promise<T> => {
      at.step = s;
      const t0 = Date.now();
      try {
        return await fn();
      } finally {
        this.durations[s] = Date.now() - t0;
      }
    };
    try {
      await this.checkImageHealthcheck();
      this.old = await this.listContainers();
      const n = this.svc.replicas;
      this.say(
        `old container(s): ${this.old.map(short).join(', ') || 'none'}; starting ${n} new beside them`,
      );

      // scale-up: registered before it runs, so containers a half-done `up` created are removed too.
      this.undos.push({ what: 'remove the new containers', run: () => this.removeNew() });
      const isolate = this.o.isolateUntilHealthy === true;
      let admitTo: Attachment[] = [];
      /** When the new containers joined the service's DNS name (the proxy can pick them from then). */
      let inName = 0;
      await timed('scale-up', async () => {
        await this.sh(
          this.compose(
            'up',
            '-d',
            '--no-deps',
            '--no-recreate',
            ...(isolate ? ['--no-start'] : []),
            '--scale',
            `${name}=${this.old.length + n}`,
            name,
          ),
          isolate ? 'create the new containers' : 'start the new containers',
        );
        const now = await this.listContainers();
        this.newIds = now.filter((id) => !this.old.includes(id));
        if (this.newIds.length !== n) {
          throw new Error(
            `expected ${n} new container(s) of ${name}, found ${this.newIds.length} (${this.newIds.map(short).join(', ') || 'none'})`,
          );
        }
        if (isolate) {
          // Attached as created, minus the service's name: out of the proxy's view until admitted.
          admitTo = await this.attachments(this.newIds);
          for (const a of admitTo) {
            await this.sh(
              ['docker', 'network', 'disconnect', a.network, a.container],
              'isolate a new container',
            );
            await this.connect(
              { ...a, aliases: a.aliases.filter((al) => al !== name) },
              'isolate a new container',
            );
          }
          await this.sh(['docker', 'start', ...this.newIds], 'start the new containers');
        } else {
          inName = Date.now(); // started with the service's alias (isolated: at admit)
        }
      });

      await timed('wait-healthy', async () => {
        await this.waitHealthy();
        await this.o.verify?.(name, this.newIds);
      });
      this.say(`new container(s) healthy: ${this.newIds.map(short).join(', ')}`);
      if (isolate) {
        await timed('admit', async () => {
          for (const a of admitTo) {
            await this.sh(
              ['docker', 'network', 'disconnect', a.network, a.container],
              'admit a new container',
            );
            await this.connect(a, 'admit a new container');
          }
          inName = Date.now();
        });
      }

      if (this.old.length) {
        await timed('drain', async () => {
          // The old containers keep their networks: they leave Docker's DNS as they exit (stop-old).
          const left = inName + (this.o.drainMs ?? DEFAULT_DRAIN_MS) - Date.now();
          if (left > 0) await sleep(left);
        });
        await timed('stop-old', async () => {
          this.undos.push({ what: 'start the old containers again', run: () => this.startOld() });
          // `docker rm` (remove-old) runs in the same exec, only after the stop succeeded.
          const stop = ['docker', 'stop', '-t', String(this.svc.stopGraceSeconds), ...this.old];
          this.log.info(`[${this.host}] $ ${quoteCommand(stop)}`);
          this.log.info(`[${this.host}] $ ${quoteCommand(['docker', 'rm', ...this.old])}`);
          const both = await this.exec(
            ['sh', '-c', STOP_THEN_REMOVE_SCRIPT, 'sh', String(this.svc.stopGraceSeconds), ...this.old],
            { cwd: this.o.cwd },
          );
          const lines = both.stdout.split('\n');
          const at = lines.indexOf(STOP_THEN_REMOVE_MARK);
          if (at < 0) this.checked(stop, 'stop the old containers', { ...both, code: both.code || 1 });
          removed = { code: both.code, stdout: lines.slice(at + 1).join('\n'), stderr: both.stderr };
        });
      }
      this.undos.length = 0; // the point of no return: from here the new containers stay
      if (this.old.length) {
        await timed('remove-old', async () => {
          this.checked(['docker', 'rm', ...this.old], 'remove the old containers', removed!);
        });
      }
      await timed('scale-down', async () => {
        // Compose keeps no count of its own: with exactly the N new containers left, `up --scale`
        // would change nothing, so it runs only when something else is there (~0.5 s a compose call).
        const left = await this.listContainers();
        if (left.length === n && left.every((id) => this.newIds.includes(id))) return;
        await this.sh(
          this.compose('up', '-d', '--no-deps', '--no-recreate', '--scale', `${name}=${n}`, name),
          'scale back',
        );
      });
      this.durations.total = Date.now() - started;
      this.say(
        `done in ${formatDuration(this.durations.total)}: ${this.old.map(short).join(', ') || 'none'} -> ${this.newIds.map(short).join(', ')}`,
      );
      return {
        service: name,
        replicas: n,
        oldContainers: this.old,
        newContainers: this.newIds,
        durations: { ...this.durations },
      };
    } catch (error) {
      throw await this.fail(at.step, error);
    }
  }

  /** A service whose healthcheck is not in the compose file must get one from its image. */
  private async checkImageHealthcheck(): Promise<void> {
    if (this.svc.composeHealthcheck || !this.svc.image) return;
    const result = await this.exec(
      [
        'docker',
        'image',
        'inspect',
        '-f',
        '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}',
        this.svc.image,
      ],
      { cwd: this.o.cwd },
    );
    if (result.code !== 0) return; // not on the host yet: each new container's health is checked instead
    const test = result.stdout.trim();
    if (test === '' || test.startsWith('["NONE"')) {
      throw new UserError(
        'not-rollable',
        `service '${this.svc.name}' has no healthcheck, neither in the compose file nor in its image ${this.svc.image}: ` +
          'rolling needs one to know when a new container may take traffic. Add a healthcheck. Nothing was changed.',
      );
    }
  }

  private async attachments(ids: readonly string[]): Promise<Attachment[]> {
    const out: Attachment[] = [];
    for (const c of await this.inspect(ids)) {
      for (const [network, cfg] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        // Docker adds the short id by itself on connect.
        const aliases = (cfg?.Aliases ?? []).filter((a) => a !== short(c.Id));
        out.push({ container: c.Id, network, aliases });
      }
    }
    return out;
  }

  private async waitHealthy(): Promise<void> {
    const deadline = Date.now() + (this.o.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS);
    const poll = this.o.pollIntervalMs ?? 200;
    for (;;) {
      const states = await this.inspect(this.newIds);
      const bad: string[] = [];
      let waiting = 0;
      for (const c of states) {
        const status = c.State?.Status ?? 'unknown';
        const health = c.State?.Health?.Status;
        const lastCheck = c.State?.Health?.Log?.at(-1);
        const evidence = lastCheck
          ? `; last check exited ${lastCheck.ExitCode ?? '?'}${lastCheck.Output?.trim() ? `: ${lastLines(lastCheck.Output.trim(), 3)}` : ''}`
          : '';
        if (status === 'exited' || status === 'dead') {
          bad.push(`new container ${short(c.Id)} ${status} (exit code ${c.State?.ExitCode ?? '?'})`);
        } else if (health === undefined) {
          throw new UserError(
            'not-rollable',
            `service '${this.svc.name}' has no healthcheck (new container ${short(c.Id)} reports none): ` +
              'rolling needs one to know when a new container may take traffic. Add a healthcheck to the service or its image.',
          );
        } else if (health === 'unhealthy') {
          bad.push(`new container ${short(c.Id)} is unhealthy${evidence}`);
        } else if (health !== 'healthy' || status !== 'running') {
          waiting++;
          if (Date.now() > deadline) {
            bad.push(
              `new container ${short(c.Id)} is still ${health} (${status}) after ${formatDuration(this.o.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS)}${evidence}`,
            );
          }
        }
      }
      if (bad.length) throw new HealthError(bad.join('; '));
      if (waiting === 0) return;
      await sleep(poll);
    }
  }

  private async removeNew(): Promise<void> {
    const now = await this.listContainers();
    const extra = now.filter((id) => !this.old.includes(id));
    if (extra.length) await this.sh(['docker', 'rm', '-f', ...extra], 'remove the new containers');
  }

  private async connect(a: Attachment, what: string): Promise<void> {
    const aliases = a.aliases.flatMap((al) => ['--alias', al]);
    await this.sh(['docker', 'network', 'connect', ...aliases, a.network, a.container], what);
  }

  private async startOld(): Promise<void> {
    const states = await this.inspect(this.old);
    const stopped = states.filter((c) => c.State?.Status !== 'running').map((c) => c.Id);
    if (stopped.length) await this.sh(['docker', 'start', ...stopped], 'start the old containers again');
  }

  /** Undoes what this service's steps changed (last first) and builds the error. */
  private async fail(step: RollingStepName | 'check', error: unknown): Promise<RollingUpdateError> {
    const name = this.svc.name;
    const cause = (error as Error).message;
    if (error instanceof UserError && error.code === 'not-rollable' && this.undos.length === 0) {
      return new RollingUpdateError(
        'not-rollable',
        `${this.host}: ${cause}`,
        name,
        step,
        true,
        this.completed,
        { cause: error },
      );
    }
    const undoProblems: string[] = [];
    const undoable = this.undos.length > 0;
    for (const u of [...this.undos].reverse()) {
      try {
        await u.run();
      } catch (e) {
        undoProblems.push(`${u.what}: ${(e as Error).message}`);
      }
    }
    const code =
      error instanceof UserError && error.code === 'not-rollable'
        ? 'not-rollable'
        : error instanceof HealthError
          ? 'rolling-unhealthy'
          : `rolling-${step}-failed`;
    const before = this.completed.length
      ? ` Already rolled (running the new release): ${this.completed.map((c) => c.service).join(', ')}.`
      : '';
    let outcome: string;
    if (!undoable) {
      outcome =
        step === 'check'
          ? ' Nothing was changed.'
          : ` The new container(s) ${this.newIds.map(short).join(', ')} are healthy and serving; the old ones were stopped${step === 'scale-down' ? ' and removed' : ''}: check \`docker ps -a\` for leftovers of ${this.old.map(short).join(', ')}.`;
    } else if (undoProblems.length === 0) {
      outcome = ` The new containers were removed; the old one(s) ${this.old.map(short).join(', ') || '(none)'} serve as before.`;
    } else {
      outcome = ` Undoing it failed too: ${undoProblems.join('; ')}.`;
    }
    return new RollingUpdateError(
      code,
      `${this.host}: rolling update of service '${name}' failed at step ${step}: ${cause}.${outcome}${before}`,
      name,
      step,
      undoable && undoProblems.length === 0,
      this.completed,
      { cause: error },
    );
  }
}

class HealthError extends Error {}
