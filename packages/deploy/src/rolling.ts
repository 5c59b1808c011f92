// Zero-downtime replacement of compose services on one host (`strategy: rolling`):
// the new containers start beside the old ones, and the old ones leave only once
// every new one is healthy. The order is docker-rollout's and kamal-proxy's. Several services
// roll together, each step once for all of them (S... = every rolled service):
//
//   scale-up      `up -d --no-deps --no-recreate --scale S=old+N ... S...` (the old containers are kept)
//   wait-healthy  every new container's Docker healthcheck says `healthy` (bounded; one inspect a poll)
//   drain         until the new containers have been in their service's DNS name for `drainMs`
//                 (the proxy's DNS refresh), counted from when they joined it: usually over
//                 already, as the healthcheck took longer. Nothing changes on the host.
//   stop-old      `docker stop -t <stop_grace_period>`: SIGTERM, the app closes its listener
//                 (the proxy retries new connections on the new containers) and finishes the
//                 requests in flight; KILL at the grace's end (one stop per distinct grace, at
//                 once). The old containers stay on their networks until they exit: taking them
//                 off first would cut the requests in flight (their answers have no way back).
//                 Docker's DNS drops them as they exit.
//   remove-old    `docker rm`
//   scale-down    `up -d --no-deps --no-recreate --scale S=N ... S...` for the services where more
//                 than the new containers are left (compose's view matches again)
//
// A failure up to and including stop-old is undone for every service of the roll: all the new
// containers are removed and the old ones started again (if the stop got that far), so they
// serve as before. From remove-old on, the new containers are healthy and serving; a failure
// there is reported and left as it is (an old container that is gone cannot come back).
import { setTimeout as sleep } from 'node:timers/promises';
import { UserError, formatDuration, silentLogger, type Logger } from '@deploy-actions/action-kit';
import { quoteCommand, type ExecResult } from '@deploy-actions/ssh';
import type { ComposeInvocation } from './compose.js';
import { lastLines } from './remote-error.js';

/** The line between `docker stop`'s output and `docker rm`'s in STOP_THEN_REMOVE_SCRIPT. */
export const STOP_THEN_REMOVE_MARK = '@@deploy-actions-remove-old';

/**
 * stop-old and remove-old in one exec (one session fewer): `docker rm` runs only after every
 * `docker stop` succeeded, after a marker line, so each keeps its own exit and output.
 * Args: the graces and how many containers each stops (`"<seconds>:<count> ..."`, digits only,
 * one pair per distinct stop_grace_period), then the container ids in that order. The stops of
 * different graces run at once (a roll of several services waits for the longest, not the sum).
 */
export const STOP_THEN_REMOVE_SCRIPT = `
set -f
spec=$1; shift
pids=; off=0
for gc in $spec; do
  g=\${gc%:*}; c=\${gc#*:}
  (
    k=0
    for a do
      k=$((k + 1)); shift
      if [ "$k" -gt "$off" ] && [ "$k" -le $((off + c)) ]; then set -- "$@" "$a"; fi
    done
    exec docker stop -t "$g" "$@"
  ) &
  pids="$pids $!"; off=$((off + c))
done
rc=0
for p in $pids; do wait "$p" || rc=$?; done
[ "$rc" -eq 0 ] || exit "$rc"
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
  /**
   * From `checkRollable(...)`, rolled together: one compose call starts the new containers of
   * them all, and a failure of any one undoes them all.
   */
  services: readonly RollingService[];
  /** How long the new containers (of every service) may take to become healthy (default 2 min). */
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

/**
 * A rolling update failed; `undone` says whether the host was put back as it was (every service
 * of the roll: they are rolled together, and a failure undoes them all).
 */
export class RollingUpdateError extends UserError {
  /** The services the failure is about (`service` is the first); all of the roll when it is not one's. */
  readonly services: readonly string[];

  constructor(
    code: string,
    message: string,
    readonly service: string,
    readonly step: RollingStepName | 'check',
    readonly undone: boolean,
    /** Services fully rolled before this roll (they run the new release); none when they roll together. */
    readonly completed: readonly RolledService[],
    options?: { cause?: unknown; services?: readonly string[] },
  ) {
    super(code, message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.services = options?.services?.length ? options.services : [service];
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

/**
 * The steps of a rolling update of one service, or of several rolled together, with their
 * command lines, for dry-run and the log.
 */
export function rollingSteps(
  compose: ComposeInvocation,
  service: RollingService | readonly RollingService[],
  options: { drainMs?: number; healthTimeoutMs?: number; isolateUntilHealthy?: boolean } = {},
): RollingStep[] {
  const services: readonly RollingService[] = Array.isArray(service) ? service : [service as RollingService];
  const isolate = options.isolateUntilHealthy === true;
  const names = services.map((s) => s.name);
  const quoted = names.map((n) => `'${n}'`).join(', ');
  const up = (scale: (s: RollingService) => string, noStart = false): string =>
    quoteCommand(
      compose.argv(
        'up',
        '-d',
        '--no-deps',
        '--no-recreate',
        ...(noStart ? ['--no-start'] : []),
        ...services.flatMap((s) => ['--scale', `${s.name}=${scale(s)}`]),
        ...names,
      ),
    );
  const graces = [...new Set(services.map((s) => s.stopGraceSeconds))];
  const stop =
    graces.length === 1
      ? `docker stop -t ${graces[0]} <old containers>`
      : services.map((s) => `docker stop -t ${s.stopGraceSeconds} <old ${s.name}>`).join(' & ');
  const undoAll = `remove the new containers${services.length > 1 ? ' of every service' : ''}; the old ones keep (or go back to) serving`;
  const steps: RollingStep[] = [
    {
      name: 'scale-up',
      does: isolate
        ? `${up((s) => `<old>+${s.replicas}`, true)}; reconnect the new container(s) without the alias ${names.length > 1 ? 'of their service' : quoted}; docker start them`
        : up((s) => `<old>+${s.replicas}`),
      changes: `starts ${services.map((s) => `${s.replicas} new container(s) of ${s.name}`).join(', ')} beside the old ones${isolate ? ', out of the DNS name' : ''}`,
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
            does: `docker network disconnect + connect each new container with the alias ${names.length > 1 ? 'of its service' : quoted}`,
            changes: 'the new containers join the DNS name the proxy follows',
            undo: undoAll,
          },
        ]
      : []),
    {
      name: 'drain',
      does: `wait until the new container(s) have been in the name ${names.length > 1 ? 'of their service' : quoted} for ${formatDuration(options.drainMs ?? DEFAULT_DRAIN_MS)} (the proxy's DNS refresh; counted from when they joined it)`,
      changes: 'nothing: the proxy has seen the new containers before the old ones stop',
      undo: undoAll,
    },
    {
      name: 'stop-old',
      does: stop,
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
      does: `${up((s) => String(s.replicas))} (only the services where more than their new container(s) are left)`,
      changes: `nothing when only the new container(s) run (compose's own count agrees again)`,
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
  /** The service it is a new container of (the alias it is kept out of until admitted). */
  service: string;
  network: string;
  aliases: string[];
}

const short = (id: string): string => id.slice(0, 12);

/** A failure that is about some services of the roll (not all of them). */
class ServicesError extends Error {
  constructor(
    message: string,
    readonly services: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** New containers that are unhealthy, exited or still starting at the deadline. */
class HealthError extends ServicesError {}

/**
 * Replaces the services' containers with the release's, all of them together, without a moment
 * where none serves: one compose call starts the new containers of every service beside the old
 * ones, one wait until all are healthy, one drain, one stop and removal of all the old ones.
 * Returns what it did per service. Throws a RollingUpdateError naming the service(s) and the
 * step; for failures up to stop-old every service is as it was before (`undone`).
 */
export async function rollingUpdate(exec: RollingExec, options: RollingOptions): Promise<RolledService[]> {
  if (options.services.length === 0) return [];
  return new Roll(exec, options).run();
}

/** One service in the roll. */
interface Part {
  svc: RollingService;
  old: string[];
  newIds: string[];
}

class Roll {
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
  private readonly parts: Part[];
  /** Undo actions of the steps done so far, last first. */
  private readonly undos: Array<{ what: string; run: () => Promise<void> }> = [];

  constructor(
    private readonly exec: RollingExec,
    private readonly o: RollingOptions,
  ) {
    this.log = o.log ?? silentLogger;
    this.host = o.host ?? 'host';
    this.parts = o.services.map((svc) => ({ svc, old: [], newIds: [] }));
  }

  private get names(): string[] {
    return this.parts.map((p) => p.svc.name);
  }

  private say(part: Part, message: string): void {
    this.log.info(`[${this.host}] rolling ${part.svc.name}: ${message}`);
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

  /** `up -d --no-deps --no-recreate [--no-start] --scale S=n ... S ...`: one compose call for them all. */
  private up(scales: ReadonlyArray<[string, number]>, noStart = false): string[] {
    return this.o.compose.argv(
      'up',
      '-d',
      '--no-deps',
      '--no-recreate',
      ...(noStart ? ['--no-start'] : []),
      ...scales.flatMap(([name, n]) => ['--scale', `${name}=${n}`]),
      ...scales.map(([name]) => name),
    );
  }

  /** The containers of the rolled services (one `docker ps` for them all), by service. */
  private async listContainers(): Promise<Map<string, string[]>> {
    const result = await this.sh(
      [
        'docker',
        'ps',
        '-a',
        '--no-trunc',
        '--filter',
        `label=com.docker.compose.project=${this.o.project}`,
        '--filter',
        'label=com.docker.compose.oneoff=False',
        '--format',
        '{{.ID}} {{.Label "com.docker.compose.service"}}',
      ],
      'list the containers',
    );
    const by = new Map<string, string[]>(this.names.map((n) => [n, []]));
    for (const line of result.stdout.split('\n')) {
      const [id, service] = line.trim().split(/\s+/);
      if (id && service) by.get(service)?.push(id);
    }
    return by;
  }

  private async inspect(ids: readonly string[]): Promise<ContainerInspect[]> {
    if (ids.length === 0) return [];
    const result = await this.sh(['docker', 'inspect', ...ids], 'inspect the containers');
    return JSON.parse(result.stdout) as ContainerInspect[];
  }

  async run(): Promise<RolledService[]> {
    const started = Date.now();
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
    const allOld = (): string[] => this.parts.flatMap((p) => p.old);
    const allNew = (): string[] => this.parts.flatMap((p) => p.newIds);
    try {
      await this.checkImageHealthchecks();
      const before = await this.listContainers();
      for (const p of this.parts) {
        p.old = before.get(p.svc.name) ?? [];
        this.say(
          p,
          `old container(s): ${p.old.map(short).join(', ') || 'none'}; starting ${p.svc.replicas} new beside them` +
            (this.parts.length > 1
              ? ` (rolled together with ${this.names.filter((n) => n !== p.svc.name).join(', ')})`
              : ''),
        );
      }

      // scale-up: registered before it runs, so containers a half-done `up` created are removed too.
      this.undos.push({ what: 'remove the new containers', run: () => this.removeNew() });
      const isolate = this.o.isolateUntilHealthy === true;
      let admitTo: Attachment[] = [];
      /** When the new containers joined their services' DNS names (the proxy can pick them from then). */
      let inName = 0;
      await timed('scale-up', async () => {
        await this.sh(
          this.up(
            this.parts.map((p) => [p.svc.name, p.old.length + p.svc.replicas]),
            isolate,
          ),
          isolate ? 'create the new containers' : 'start the new containers',
        );
        const now = await this.listContainers();
        const wrong: string[] = [];
        for (const p of this.parts) {
          p.newIds = (now.get(p.svc.name) ?? []).filter((id) => !p.old.includes(id));
          if (p.newIds.length !== p.svc.replicas)
            wrong.push(
              `expected ${p.svc.replicas} new container(s) of ${p.svc.name}, found ${p.newIds.length} (${p.newIds.map(short).join(', ') || 'none'})`,
            );
        }
        if (wrong.length)
          throw new ServicesError(
            wrong.join('; '),
            this.parts.filter((p) => p.newIds.length !== p.svc.replicas).map((p) => p.svc.name),
          );
        if (isolate) {
          // Attached as created, minus the service's name: out of the proxy's view until admitted.
          admitTo = await this.attachments();
          for (const a of admitTo) {
            await this.sh(
              ['docker', 'network', 'disconnect', a.network, a.container],
              'isolate a new container',
            );
            await this.connect(
              { ...a, aliases: a.aliases.filter((al) => al !== a.service) },
              'isolate a new container',
            );
          }
          await this.sh(['docker', 'start', ...allNew()], 'start the new containers');
        } else {
          inName = Date.now(); // started with the service's alias (isolated: at admit)
        }
      });

      await timed('wait-healthy', async () => {
        await this.waitHealthy();
        for (const p of this.parts) {
          try {
            await this.o.verify?.(p.svc.name, p.newIds);
          } catch (error) {
            throw new ServicesError(error instanceof Error ? error.message : String(error), [p.svc.name], {
              cause: error,
            });
          }
        }
      });
      for (const p of this.parts) this.say(p, `new container(s) healthy: ${p.newIds.map(short).join(', ')}`);
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

      const stopping = this.parts.filter((p) => p.old.length);
      if (stopping.length) {
        await timed('drain', async () => {
          // The old containers keep their networks: they leave Docker's DNS as they exit (stop-old).
          const left = inName + (this.o.drainMs ?? DEFAULT_DRAIN_MS) - Date.now();
          if (left > 0) await sleep(left);
        });
        await timed('stop-old', async () => {
          this.undos.push({ what: 'start the old containers again', run: () => this.startOld() });
          // One `docker stop -t <grace>` per distinct stop_grace_period, at once; `docker rm`
          // (remove-old) runs in the same exec, only after every stop succeeded.
          const graces = new Map<number, string[]>();
          for (const p of stopping)
            graces.set(p.svc.stopGraceSeconds, [...(graces.get(p.svc.stopGraceSeconds) ?? []), ...p.old]);
          const ordered = [...graces.values()].flat();
          const stops = [...graces].map(([g, ids]) => ['docker', 'stop', '-t', String(g), ...ids]);
          for (const stop of stops) this.log.info(`[${this.host}] $ ${quoteCommand(stop)}`);
          this.log.info(`[${this.host}] $ ${quoteCommand(['docker', 'rm', ...ordered])}`);
          const both = await this.exec(
            [
              'sh',
              '-c',
              STOP_THEN_REMOVE_SCRIPT,
              'sh',
              [...graces].map(([g, ids]) => `${g}:${ids.length}`).join(' '),
              ...ordered,
            ],
            { cwd: this.o.cwd },
          );
          const lines = both.stdout.split('\n');
          const mark = lines.indexOf(STOP_THEN_REMOVE_MARK);
          if (mark < 0) {
            const stop =
              stops.length === 1 ? stops[0]! : ['sh', '-c', stops.map((s) => quoteCommand(s)).join(' & ')];
            this.checked(stop, 'stop the old containers', { ...both, code: both.code || 1 });
          }
          removed = { code: both.code, stdout: lines.slice(mark + 1).join('\n'), stderr: both.stderr };
        });
      }
      this.undos.length = 0; // the point of no return: from here the new containers stay
      if (stopping.length) {
        await timed('remove-old', async () => {
          this.checked(['docker', 'rm', ...allOld()], 'remove the old containers', removed!);
        });
      }
      await timed('scale-down', async () => {
        // Compose keeps no count of its own: with exactly the N new containers left, `up --scale`
        // would change nothing, so it runs only for a service where something else is there
        // (~0.5 s a compose call; one call for them all).
        const left = await this.listContainers();
        const off = this.parts.filter((p) => {
          const ids = left.get(p.svc.name) ?? [];
          return !(ids.length === p.svc.replicas && ids.every((id) => p.newIds.includes(id)));
        });
        if (off.length === 0) return;
        await this.sh(this.up(off.map((p) => [p.svc.name, p.svc.replicas])), 'scale back');
      });
      this.durations.total = Date.now() - started;
      for (const p of this.parts)
        this.say(
          p,
          `done in ${formatDuration(this.durations.total)}: ${p.old.map(short).join(', ') || 'none'} -> ${p.newIds.map(short).join(', ')}`,
        );
      return this.parts.map((p) => ({
        service: p.svc.name,
        replicas: p.svc.replicas,
        oldContainers: p.old,
        newContainers: p.newIds,
        durations: { ...this.durations },
      }));
    } catch (error) {
      throw await this.fail(at.step, error);
    }
  }

  /** A service whose healthcheck is not in the compose file must get one from its image. */
  private async checkImageHealthchecks(): Promise<void> {
    const none: string[] = [];
    for (const { svc } of this.parts) {
      if (svc.composeHealthcheck || !svc.image) continue;
      const result = await this.exec(
        [
          'docker',
          'image',
          'inspect',
          '-f',
          '{{if .Config.Healthcheck}}{{json .Config.Healthcheck.Test}}{{end}}',
          svc.image,
        ],
        { cwd: this.o.cwd },
      );
      if (result.code !== 0) continue; // not on the host yet: each new container's health is checked instead
      const test = result.stdout.trim();
      if (test === '' || test.startsWith('["NONE"')) none.push(svc.name);
    }
    if (none.length) {
      const images = (name: string): string => this.parts.find((p) => p.svc.name === name)!.svc.image!;
      throw Object.assign(
        new UserError(
          'not-rollable',
          `${none.map((n) => `service '${n}' has no healthcheck, neither in the compose file nor in its image ${images(n)}`).join('; ')}: ` +
            'rolling needs one to know when a new container may take traffic. Add a healthcheck. Nothing was changed.',
        ),
        { rollingServices: none },
      );
    }
  }

  /** Which service a new container belongs to. */
  private serviceOf(id: string): string {
    return this.parts.find((p) => p.newIds.includes(id))?.svc.name ?? '?';
  }

  private async attachments(): Promise<Attachment[]> {
    const out: Attachment[] = [];
    for (const c of await this.inspect(this.parts.flatMap((p) => p.newIds))) {
      for (const [network, cfg] of Object.entries(c.NetworkSettings?.Networks ?? {})) {
        // Docker adds the short id by itself on connect.
        const aliases = (cfg?.Aliases ?? []).filter((a) => a !== short(c.Id));
        out.push({ container: c.Id, service: this.serviceOf(c.Id), network, aliases });
      }
    }
    return out;
  }

  /** Until every new container of every service is healthy: one `docker inspect` of them all a poll. */
  private async waitHealthy(): Promise<void> {
    const timeout = this.o.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    const deadline = Date.now() + timeout;
    const poll = this.o.pollIntervalMs ?? 200;
    const several = this.parts.length > 1;
    for (;;) {
      const states = await this.inspect(this.parts.flatMap((p) => p.newIds));
      const bad: Array<[string, string]> = [];
      const noHealth: Array<[string, string]> = [];
      let waiting = 0;
      for (const c of states) {
        const service = this.serviceOf(c.Id);
        const status = c.State?.Status ?? 'unknown';
        const health = c.State?.Health?.Status;
        const lastCheck = c.State?.Health?.Log?.at(-1);
        const evidence = lastCheck
          ? `; last check exited ${lastCheck.ExitCode ?? '?'}${lastCheck.Output?.trim() ? `: ${lastLines(lastCheck.Output.trim(), 3)}` : ''}`
          : '';
        const of = several ? ` of ${service}` : '';
        if (status === 'exited' || status === 'dead') {
          bad.push([
            service,
            `new container ${short(c.Id)}${of} ${status} (exit code ${c.State?.ExitCode ?? '?'})`,
          ]);
        } else if (health === undefined) {
          noHealth.push([service, short(c.Id)]);
        } else if (health === 'unhealthy') {
          bad.push([service, `new container ${short(c.Id)}${of} is unhealthy${evidence}`]);
        } else if (health !== 'healthy' || status !== 'running') {
          waiting++;
          if (Date.now() > deadline) {
            bad.push([
              service,
              `new container ${short(c.Id)}${of} is still ${health} (${status}) after ${formatDuration(timeout)}${evidence}`,
            ]);
          }
        }
      }
      if (noHealth.length) {
        const services = [...new Set(noHealth.map(([s]) => s))];
        throw Object.assign(
          new UserError(
            'not-rollable',
            `${services
              .map(
                (s) =>
                  `service '${s}' has no healthcheck (new container ${noHealth
                    .filter(([n]) => n === s)
                    .map(([, id]) => id)
                    .join(', ')} reports none)`,
              )
              .join('; ')}: ` +
              'rolling needs one to know when a new container may take traffic. Add a healthcheck to the service or its image.',
          ),
          { rollingServices: services },
        );
      }
      if (bad.length)
        throw new HealthError(bad.map(([, why]) => why).join('; '), [...new Set(bad.map(([s]) => s))]);
      if (waiting === 0) return;
      await sleep(poll);
    }
  }

  /** Removes every container of the rolled services that was not there before (one `docker rm -f`). */
  private async removeNew(): Promise<void> {
    const now = await this.listContainers();
    const extra = this.parts.flatMap((p) => (now.get(p.svc.name) ?? []).filter((id) => !p.old.includes(id)));
    if (extra.length) await this.sh(['docker', 'rm', '-f', ...extra], 'remove the new containers');
  }

  private async connect(a: Attachment, what: string): Promise<void> {
    const aliases = a.aliases.flatMap((al) => ['--alias', al]);
    await this.sh(['docker', 'network', 'connect', ...aliases, a.network, a.container], what);
  }

  private async startOld(): Promise<void> {
    const states = await this.inspect(this.parts.flatMap((p) => p.old));
    const stopped = states.filter((c) => c.State?.Status !== 'running').map((c) => c.Id);
    if (stopped.length) await this.sh(['docker', 'start', ...stopped], 'start the old containers again');
  }

  /** Undoes what the steps changed (last first, for every service of the roll) and builds the error. */
  private async fail(step: RollingStepName | 'check', error: unknown): Promise<RollingUpdateError> {
    const named =
      error instanceof ServicesError
        ? error.services
        : ((error as { rollingServices?: string[] }).rollingServices ?? this.names);
    const failed = named.length ? [...named] : this.names;
    const cause = (error as Error).message;
    const several = this.parts.length > 1;
    const together = several
      ? ` The ${this.parts.length} services of this roll (${this.names.join(', ')}) roll together`
      : '';
    if (error instanceof UserError && error.code === 'not-rollable' && this.undos.length === 0) {
      return new RollingUpdateError('not-rollable', `${this.host}: ${cause}`, failed[0]!, step, true, [], {
        cause: error,
        services: failed,
      });
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
    const ids = (pick: (p: Part) => string[]): string =>
      several
        ? this.parts.map((p) => `${pick(p).map(short).join(', ') || '(none)'} (${p.svc.name})`).join(', ')
        : pick(this.parts[0]!).map(short).join(', ');
    let outcome: string;
    if (!undoable) {
      outcome =
        step === 'check'
          ? ' Nothing was changed.'
          : ` The new container(s) ${ids((p) => p.newIds)} are healthy and serving; the old ones were stopped${step === 'scale-down' ? ' and removed' : ''}: check \`docker ps -a\` for leftovers of ${ids((p) => p.old)}.`;
    } else if (undoProblems.length === 0) {
      outcome = ` The new containers were removed; the old one(s) ${ids((p) => p.old) || '(none)'} serve as before.${together ? `${together}: none of them changed.` : ''}`;
    } else {
      outcome = ` Undoing it failed too: ${undoProblems.join('; ')}.`;
    }
    const who =
      failed.length === 1 ? `service '${failed[0]}'` : `services ${failed.map((n) => `'${n}'`).join(', ')}`;
    return new RollingUpdateError(
      code,
      `${this.host}: rolling update of ${who} failed at step ${step}: ${cause}.${outcome}`,
      failed[0]!,
      step,
      undoable && undoProblems.length === 0,
      [],
      { cause: error, services: failed },
    );
  }
}
