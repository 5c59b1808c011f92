/**
 * Deploy policy: the go-live checklist's runtime rules, checked on the
 * resolved compose model. Each finding names the service, the rule and the fix.
 */
import type { ComposeModel, ComposeService } from './compose.js';
import { checkSwarmStack, type SwarmConfigJson, type SwarmProblemKind } from './swarm-check.js';

export type PolicyRule =
  | 'internal-port-published'
  | 'port-on-all-interfaces'
  | 'no-restart-policy'
  | 'no-healthcheck'
  | 'no-new-privileges-missing'
  | 'cap-drop-missing'
  | 'no-resource-limits'
  | 'no-log-rotation'
  | 'build-in-deploy-only-stack'
  | 'data-volume-not-host-path'
  // target: swarm (checkSwarmStack's findings)
  | 'swarm-build-without-image'
  | 'swarm-update-order'
  | 'swarm-update-failure-action';

export interface PolicyFinding {
  service: string;
  rule: PolicyRule;
  message: string;
  fix: string;
}

export interface PolicyOptions {
  /** The rendered env; a BIND_IP-style or DATA_DIR-style key switches rules on. */
  env?: ReadonlyMap<string, string>;
  /** The stack only runs published images: `build:` is a finding. */
  deployOnly?: boolean;
  /** Data must live in host paths (under this folder when given). */
  dataRoot?: string;
  /**
   * Where the stack runs: `swarm` (`docker stack deploy`) adds checkSwarmStack's rules (start-first,
   * rollback on failure, no build-only service) and drops the restart-policy rule (swarm restarts
   * a failed task by default).
   */
  target?: 'compose' | 'swarm';
}

/** checkSwarmStack's kinds as policy rules, with the fix; the others are covered elsewhere (see below). */
const SWARM_RULES: Partial<Record<SwarmProblemKind, { rule: PolicyRule; fix: string }>> = {
  'build-without-image': {
    rule: 'swarm-build-without-image',
    fix: 'Build and push the image in CI, then name it in `image:` (every node pulls it).',
  },
  'update-order': {
    rule: 'swarm-update-order',
    fix: 'Add `deploy: {update_config: {order: start-first}}` (and a healthcheck), so a new task runs and is healthy before the old one stops.',
  },
  'update-failure-action': {
    rule: 'swarm-update-failure-action',
    fix: 'Add `deploy: {update_config: {failure_action: rollback}}` (and `rollback_config: {order: start-first}`).',
  },
  // 'no-healthcheck' is the rule of the same name above; 'relative-bind-mount' is not a finding
  // here: `docker compose config` (ssh-deploy renders the stack file with it) makes the path absolute.
};

// Databases, caches, queues and search engines: reached over the compose network, never published.
const INTERNAL_IMAGE =
  /^(postgres|postgis|timescaledb|mysql|mariadb|percona|redis|valkey|keydb|dragonfly|rabbitmq|mongo|memcached|elasticsearch|opensearch|kafka|zookeeper|nats|etcd|influxdb|clickhouse|cassandra|couchdb|minio)/;
// One-off services (`run --rm`) are not expected to stay up, restart or answer health checks.
const ONE_OFF_NAME =
  /(^|[-_])(migrate|migrator|migrations?|seed|seeder|init|setup|bootstrap|job|task|oneoff|one-off)([-_]|$)/i;
const BIND_VARIABLE = /(^|_)BIND_(IP|ADDR|ADDRESS|HOST)$/;
const DATA_VARIABLE = /(^|_)DATA_(DIR|ROOT|PATH)$/;
const ROTATED_DRIVERS = new Set([
  'local',
  'journald',
  'syslog',
  'gelf',
  'fluentd',
  'awslogs',
  'splunk',
  'gcplogs',
  'etwlogs',
  'logentries',
  'loki',
  'none',
]);

/** The name part of an image reference: `docker.io/bitnami/postgresql:16` → `postgresql`. */
function imageName(image: string): string {
  const path = image.split('@')[0]!;
  const last = path.slice(path.lastIndexOf('/') + 1);
  return last.split(':')[0]!.toLowerCase();
}

function isInternalService(service: ComposeService): boolean {
  const image = service['image'];
  return typeof image === 'string' && INTERNAL_IMAGE.test(imageName(image));
}

function isOneOffService(name: string, service: ComposeService): boolean {
  if (service['restart'] === 'no' || service['restart'] === false) return true;
  const image = typeof service['image'] === 'string' ? imageName(service['image']) : '';
  return ONE_OFF_NAME.test(name) || ONE_OFF_NAME.test(image);
}

export interface PublishedPort {
  hostIp: string;
  published: string;
  target: string;
  /** As written, for messages. */
  text: string;
}

/** Reads the short (`[ip:][published:]target[/proto]`) and long port syntaxes. */
export function parsePorts(ports: unknown): PublishedPort[] {
  if (!Array.isArray(ports)) return [];
  return ports.flatMap((p): PublishedPort[] => {
    if (typeof p === 'number') return [{ hostIp: '', published: '', target: String(p), text: String(p) }];
    if (typeof p === 'string') return [parseShortPort(p)];
    if (p !== null && typeof p === 'object') {
      const long = p as Record<string, unknown>;
      const hostIp = typeof long['host_ip'] === 'string' ? long['host_ip'] : '';
      const published = long['published'] === undefined ? '' : String(long['published']);
      const target = String(long['target'] ?? '');
      return [{ hostIp, published, target, text: `${hostIp ? `${hostIp}:` : ''}${published}:${target}` }];
    }
    return [];
  });
}

function parseShortPort(text: string): PublishedPort {
  const spec = text.split('/')[0]!;
  let hostIp = '';
  let rest = spec;
  const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(spec);
  if (bracketed) {
    hostIp = bracketed[1]!;
    rest = bracketed[2]!;
  } else {
    const parts = spec.split(':');
    if (parts.length >= 3) {
      hostIp = parts.slice(0, -2).join(':');
      rest = parts.slice(-2).join(':');
    }
  }
  const [published, target] = rest.includes(':') ? rest.split(':') : ['', rest];
  return { hostIp, published: published!, target: target!, text };
}

function isAllInterfaces(ip: string): boolean {
  return ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}

function isLoopback(ip: string): boolean {
  return /^127\./.test(ip) || ip === '::1' || ip === 'localhost';
}

/** All findings, ordered by service then rule. */
export function checkPolicy(model: ComposeModel, options: PolicyOptions = {}): PolicyFinding[] {
  const env = options.env ?? new Map<string, string>();
  const bindVariable = [...env.keys()].find((k) => BIND_VARIABLE.test(k));
  const dataVariable = [...env.keys()].find((k) => DATA_VARIABLE.test(k));
  const dataRoot = options.dataRoot ?? (dataVariable ? env.get(dataVariable) : undefined);
  const dataHint = options.dataRoot ?? (dataVariable ? `\${${dataVariable}}` : undefined);
  const findings: PolicyFinding[] = [];

  for (const [name, service] of Object.entries(model.services ?? {})) {
    const svc = (service ?? {}) as ComposeService;
    const add = (rule: PolicyRule, message: string, fix: string): void => {
      findings.push({ service: name, rule, message, fix });
    };
    const oneOff = isOneOffService(name, svc);
    const ports = parsePorts(svc['ports']);

    if (isInternalService(svc)) {
      const exposed = ports.filter((p) => !isLoopback(p.hostIp));
      if (exposed.length > 0) {
        add(
          'internal-port-published',
          `${imageName(String(svc['image']))} publishes ${exposed.map((p) => p.text).join(', ')} on the host.`,
          'Remove `ports:`; the app reaches it by service name over the compose network. For a tunnel, bind to 127.0.0.1.',
        );
      }
    }
    if (bindVariable) {
      const open = ports.filter(
        (p) => isAllInterfaces(p.hostIp) && !(isInternalService(svc) && !isLoopback(p.hostIp)),
      );
      if (open.length > 0) {
        add(
          'port-on-all-interfaces',
          `${open.map((p) => p.text).join(', ')} listens on all interfaces although ${bindVariable} is set.`,
          `Bind it: "\${${bindVariable}}:${open[0]!.published || open[0]!.target}:${open[0]!.target}".`,
        );
      }
    }
    if (
      options.target !== 'swarm' &&
      !oneOff &&
      svc['restart'] === undefined &&
      !hasPath(svc, ['deploy', 'restart_policy'])
    ) {
      add(
        'no-restart-policy',
        'has no restart policy: it stays down after a crash or a reboot.',
        'Add `restart: unless-stopped`.',
      );
    }
    if (!oneOff && !hasHealthcheck(svc)) {
      add(
        'no-healthcheck',
        'has no healthcheck here (one in the image cannot be seen from the compose file), so nothing waits for it to be ready.',
        'Add `healthcheck:` with a test, interval and retries, and `depends_on: {condition: service_healthy}` where others need it.',
      );
    }
    const securityOpt = Array.isArray(svc['security_opt']) ? svc['security_opt'].map(String) : [];
    if (!securityOpt.some((o) => /^no-new-privileges(?:[:=]true)?$/.test(o))) {
      add(
        'no-new-privileges-missing',
        'can gain privileges through setuid binaries.',
        'Add `security_opt: ["no-new-privileges:true"]`.',
      );
    }
    const capDrop = Array.isArray(svc['cap_drop']) ? svc['cap_drop'].map((c) => String(c).toUpperCase()) : [];
    if (!capDrop.includes('ALL')) {
      add(
        'cap-drop-missing',
        capDrop.length === 0 ? 'keeps the default Linux capabilities.' : `drops only ${capDrop.join(', ')}.`,
        'Add `cap_drop: [ALL]` and `cap_add:` back only what it needs (e.g. NET_BIND_SERVICE).',
      );
    }
    const memory =
      svc['mem_limit'] !== undefined || hasPath(svc, ['deploy', 'resources', 'limits', 'memory']);
    const cpus = svc['cpus'] !== undefined || hasPath(svc, ['deploy', 'resources', 'limits', 'cpus']);
    if (!memory || !cpus) {
      const missing = [!memory && 'memory', !cpus && 'CPU'].filter(Boolean).join(' and ');
      add(
        'no-resource-limits',
        `has no ${missing} limit: one runaway container can starve the host.`,
        'Add `deploy: {resources: {limits: {memory: 512M, cpus: "1.0"}}}` (or `mem_limit:` / `cpus:`).',
      );
    }
    const logging = (svc['logging'] ?? {}) as Record<string, unknown>;
    const driver = typeof logging['driver'] === 'string' ? logging['driver'] : 'json-file';
    const logOptions = (logging['options'] ?? {}) as Record<string, unknown>;
    if (!ROTATED_DRIVERS.has(driver) && logOptions['max-size'] === undefined) {
      add(
        'no-log-rotation',
        `logs with ${driver} without max-size: the log grows until the disk is full.`,
        'Add `logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}` (or use the `local` driver).',
      );
    }
    if (options.deployOnly && svc['build'] !== undefined) {
      add(
        'build-in-deploy-only-stack',
        'has `build:` in a stack that deploys published images only.',
        'Remove `build:` and reference the published image by digest.',
      );
    }
    if (dataHint !== undefined) {
      for (const volume of dataVolumes(svc['volumes'])) {
        add(
          'data-volume-not-host-path',
          `keeps ${volume.target} in ${volume.source ? `the named volume '${volume.source}'` : 'an anonymous volume'}, not in a host path.`,
          `Mount a host path: "${dataHint}/${name}:${volume.target}"${dataRoot ? ` (under ${dataRoot})` : ''}.`,
        );
      }
    }
    if (options.target === 'swarm') {
      // checkSwarmStack is what ssh-deploy's strategy: swarm checks before it deploys: one rule set.
      const check = checkSwarmStack({ services: { [name]: svc } } as SwarmConfigJson);
      for (const problem of [...check.errors, ...check.warnings]) {
        const mapped = SWARM_RULES[problem.kind];
        if (!mapped || (oneOff && problem.kind !== 'build-without-image')) continue;
        add(mapped.rule, `${problem.message.replace(/^service '[^']*' /, '')}.`, mapped.fix);
      }
    }
  }
  return findings;
}

function hasPath(value: unknown, path: readonly string[]): boolean {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return false;
    current = (current as Record<string, unknown>)[key];
  }
  return current !== undefined && current !== null;
}

function hasHealthcheck(service: ComposeService): boolean {
  const hc = service['healthcheck'];
  if (hc === null || typeof hc !== 'object') return false;
  const h = hc as Record<string, unknown>;
  if (h['disable'] === true) return false;
  const test = h['test'];
  return !(Array.isArray(test) && test[0] === 'NONE');
}

/** Named and anonymous volumes of a service (bind mounts and tmpfs are not data volumes here). */
function dataVolumes(volumes: unknown): { source: string | undefined; target: string }[] {
  if (!Array.isArray(volumes)) return [];
  return volumes.flatMap((v): { source: string | undefined; target: string }[] => {
    if (typeof v === 'string') {
      const parts = v.split(':');
      if (parts.length === 1) return [{ source: undefined, target: parts[0]! }];
      const source = parts[0]!;
      if (/^([/.~]|\$)/.test(source)) return [];
      return [{ source, target: parts[1]! }];
    }
    if (v !== null && typeof v === 'object') {
      const long = v as Record<string, unknown>;
      if (long['type'] !== 'volume') return [];
      const source = typeof long['source'] === 'string' && long['source'] !== '' ? long['source'] : undefined;
      return [{ source, target: String(long['target'] ?? '') }];
    }
    return [];
  });
}
