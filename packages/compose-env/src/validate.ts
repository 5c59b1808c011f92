/**
 * What Docker Compose refuses, found before anything is deployed: the Compose specification's
 * schema (as Compose 2.26.1 applies it), the type casts compose-go makes while interpolating,
 * the short syntaxes it parses (volumes, ports, sizes, durations, extra_hosts), references to
 * services, volumes, networks, secrets and configs that do not exist, and what the engine
 * refuses at `up` (image references, restart policies, relative mount targets and tmpfs paths,
 * unknown capabilities, malformed security_opt, a memory limit under 6 MB).
 * Messages follow Compose's wording and name the file, the service and the key.
 */
import { isIP } from 'node:net';
import { composeSpecSchema } from './compose-schema.js';

export interface ComposeProblem {
  /** The compose file, or undefined for problems of the merged project. */
  file?: string;
  /** The YAML path, e.g. `services.app.volumes.0`. */
  path: string;
  /** The service the problem is in, when it is in one. */
  service?: string;
  message: string;
}

type Json = unknown;
type Schema = Record<string, unknown>;

const definitions = composeSpecSchema['definitions'] as Record<string, Schema>;

function resolveRef(schema: Schema): Schema {
  let s = schema;
  while (typeof s['$ref'] === 'string') {
    const name = (s['$ref'] as string).replace('#/definitions/', '');
    s = definitions[name]!;
  }
  return s;
}

function typeOf(value: Json): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value === 'object' ? 'object' : typeof value;
}

function typeMatches(value: Json, type: string): boolean {
  const actual = typeOf(value);
  return actual === type || (type === 'number' && actual === 'integer');
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'a boolean',
  null: 'null',
  object: 'a mapping',
  array: 'a list',
};

function words(types: string[]): string {
  const w = [...new Set(types)].map((t) => TYPE_WORDS[t] ?? t);
  return w.length === 1 ? w[0]! : `${w.slice(0, -1).join(', ')} or ${w[w.length - 1]}`;
}

/** The types a schema accepts at its top (for the oneOf message). */
function acceptedTypes(schema: Schema): string[] {
  const s = resolveRef(schema);
  if (Array.isArray(s['oneOf'])) return (s['oneOf'] as Schema[]).flatMap(acceptedTypes);
  if (typeof s['type'] === 'string') return [s['type']];
  if (Array.isArray(s['type'])) return s['type'] as string[];
  return [];
}

function validateSchema(value: Json, schema: Schema, path: string[], out: string[][]): void {
  const s = resolveRef(schema);
  const at = path.join('.') || '(root)';
  const type = s['type'];
  if (type !== undefined) {
    const types = Array.isArray(type) ? (type as string[]) : [type as string];
    if (!types.some((t) => typeMatches(value, t))) {
      out.push([at, `must be ${words(types)}`]);
      return;
    }
  }
  if (Array.isArray(s['enum']) && !(s['enum'] as Json[]).includes(value)) {
    out.push([
      at,
      `must be one of the following: ${(s['enum'] as Json[]).map((v) => JSON.stringify(v)).join(', ')}`,
    ]);
    return;
  }
  if (typeof value === 'number') {
    if (typeof s['minimum'] === 'number' && value < s['minimum'])
      out.push([at, `must be greater than or equal to ${s['minimum']}`]);
    if (typeof s['maximum'] === 'number' && value > s['maximum'])
      out.push([at, `must be less than or equal to ${s['maximum']}`]);
  }
  if (Array.isArray(s['oneOf'])) {
    const branches = s['oneOf'] as Schema[];
    const results = branches.map((b) => {
      const errors: string[][] = [];
      validateSchema(value, b, path, errors);
      return errors;
    });
    if (!results.some((r) => r.length === 0)) {
      // Report the branch of the value's own type, as Compose does; else the types accepted.
      const sameType = branches.findIndex((b) => acceptedTypes(b).some((t) => typeMatches(value, t)));
      if (sameType >= 0) out.push(...results[sameType]!);
      else out.push([at, `must be ${words(branches.flatMap(acceptedTypes))}`]);
    }
    return;
  }
  if (typeOf(value) === 'object') {
    const object = value as Record<string, Json>;
    for (const key of (s['required'] as string[] | undefined) ?? []) {
      if (!(key in object)) out.push([at, `${key} is required`]);
    }
    const properties = (s['properties'] as Record<string, Schema> | undefined) ?? {};
    const patterns = Object.entries((s['patternProperties'] as Record<string, Schema> | undefined) ?? {}).map(
      ([p, sub]) => [new RegExp(p, 'u'), sub] as const,
    );
    for (const [key, child] of Object.entries(object)) {
      if (Object.hasOwn(properties, key)) {
        validateSchema(child, properties[key]!, [...path, key], out);
        continue;
      }
      const matching = patterns.filter(([re]) => re.test(key));
      if (matching.length > 0) {
        for (const [, sub] of matching) validateSchema(child, sub, [...path, key], out);
        continue;
      }
      const additional = s['additionalProperties'];
      if (additional === false) out.push([at, `additional property ${key} is not allowed`]);
      else if (additional !== undefined && additional !== true)
        validateSchema(child, additional as Schema, [...path, key], out);
    }
  }
  if (Array.isArray(value) && s['items'] !== undefined && !Array.isArray(s['items'])) {
    value.forEach((item, i) => validateSchema(item, s['items'] as Schema, [...path, String(i)], out));
  }
}

// compose-go casts these interpolated values while interpolating (interpolateTypeCastMapping).
type Cast = 'bool' | 'int' | 'float' | 'bytes' | 'duration';
const SERVICE_CASTS: [string, Cast][] = [
  ['cpu_count', 'int'],
  ['cpu_percent', 'float'],
  ['cpu_period', 'int'],
  ['cpu_quota', 'int'],
  ['cpu_rt_period', 'int'],
  ['cpu_rt_runtime', 'int'],
  ['cpus', 'float'],
  ['cpu_shares', 'int'],
  ['init', 'bool'],
  ['deploy.replicas', 'int'],
  ['deploy.update_config.parallelism', 'int'],
  ['deploy.update_config.max_failure_ratio', 'float'],
  ['deploy.rollback_config.parallelism', 'int'],
  ['deploy.rollback_config.max_failure_ratio', 'float'],
  ['deploy.restart_policy.max_attempts', 'int'],
  ['deploy.placement.max_replicas_per_node', 'int'],
  ['healthcheck.retries', 'int'],
  ['healthcheck.disable', 'bool'],
  ['oom_kill_disable', 'bool'],
  ['oom_score_adj', 'int'],
  ['pids_limit', 'int'],
  ['ports.*.target', 'int'],
  ['privileged', 'bool'],
  ['read_only', 'bool'],
  ['scale', 'int'],
  ['secrets.*.mode', 'int'],
  ['configs.*.mode', 'int'],
  ['shm_size', 'bytes'],
  ['stdin_open', 'bool'],
  ['stop_grace_period', 'duration'],
  ['tty', 'bool'],
  ['volumes.*.read_only', 'bool'],
  ['volumes.*.volume.nocopy', 'bool'],
  ['volumes.*.tmpfs.size', 'bytes'],
];
// Decoded into sizes and durations when the model is loaded ("decoding failed ...").
const SERVICE_DECODES: [string, Cast][] = [
  ['mem_limit', 'bytes'],
  ['mem_reservation', 'bytes'],
  ['memswap_limit', 'bytes'],
  ['healthcheck.interval', 'duration'],
  ['healthcheck.timeout', 'duration'],
  ['healthcheck.start_period', 'duration'],
  ['healthcheck.start_interval', 'duration'],
];
const TOP_CASTS = ['networks', 'volumes', 'secrets', 'configs'].flatMap((kind) =>
  ['external', ...(kind === 'networks' ? ['internal', 'attachable', 'enable_ipv6'] : [])].map(
    (k) => `${kind}.*.${k}`,
  ),
);

/** Values at a dotted path with `*` for any key or index. */
function at(value: Json, path: string[], prefix: string[] = []): [string[], Json][] {
  if (path.length === 0) return [[prefix, value]];
  if (value === null || typeof value !== 'object') return [];
  const [head, ...rest] = path;
  const entries: [string, Json][] = Array.isArray(value)
    ? value.map((v, i) => [String(i), v])
    : Object.entries(value as Record<string, Json>);
  return entries.filter(([k]) => head === '*' || k === head).flatMap(([k, v]) => at(v, rest, [...prefix, k]));
}

const GO_BOOL = new Map([
  ['y', true],
  ['yes', true],
  ['true', true],
  ['on', true],
  ['n', false],
  ['no', false],
  ['false', false],
  ['off', false],
]);

/** compose-go's size parser (units.RAMInBytes): `512m`, `1g`, `1.5GB`, bytes. */
function isSize(text: string): boolean {
  return /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.test(text);
}

/** Go's time.ParseDuration. */
function isDuration(text: string): boolean {
  if (text === '0') return true;
  return /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(text);
}

function castProblem(value: Json, cast: Cast): string | undefined {
  if (typeof value !== 'string') return undefined;
  switch (cast) {
    case 'bool':
      return GO_BOOL.has(value.toLowerCase()) ? undefined : `invalid boolean: ${value}`;
    case 'int':
      return /^[-+]?\d+$/.test(value)
        ? undefined
        : `strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`;
    case 'float':
      return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value)
        ? undefined
        : `strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`;
    case 'bytes':
      return isSize(value) ? undefined : `invalid size: '${value}'`;
    case 'duration':
      return isDuration(value) ? undefined : `time: invalid duration ${JSON.stringify(value)}`;
  }
}

/** docker's reference grammar (distribution/reference), which `up` applies when it pulls or creates. */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REFERENCE = new RegExp(
  `^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`,
);

/** Why docker would refuse an image reference, or undefined when it is valid. */
export function imageReferenceProblem(image: string): string | undefined {
  const match = REFERENCE.exec(image);
  if (match)
    return match[1]!.length > 255 ? 'repository name must not be more than 255 characters' : undefined;
  if (REFERENCE.test(image.toLowerCase()))
    return 'invalid reference format: repository name must be lowercase';
  return 'invalid reference format';
}

/** compose-go's short volume syntax parser (format.ParseVolume): the error, or source/target. */
function parseVolumeSpec(
  spec: string,
): { error: string } | { source: string; target: string; options: string } {
  if (spec.length === 0) return { error: 'invalid empty volume spec' };
  if (spec.length <= 2) return { source: '', target: spec, options: '' };
  let source = '';
  let target = '';
  let options = '';
  let buffer = '';
  const chars = [...spec, '\0'];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    // A Windows drive (`C:`) is part of the path.
    if (ch === ':' && buffer.length === 1 && /[a-zA-Z]/.test(buffer)) {
      buffer += ch;
      continue;
    }
    if (ch !== ':' && ch !== '\0') {
      buffer += ch;
      continue;
    }
    if (buffer.length === 0) return { error: `invalid spec: ${spec}: empty section between colons` };
    if (source === '' && ch === '\0' && target === '') target = buffer;
    else if (source === '') source = buffer;
    else if (target === '') target = buffer;
    else if (ch === ':') return { error: `invalid spec: ${spec}: too many colons` };
    else options = buffer;
    buffer = '';
  }
  return { source, target, options };
}

/** docker/go-connections' nat.ParsePortSpec, with its messages. */
function portSpecProblem(raw: string): string | undefined {
  const parts = raw.split(':');
  const n = parts.length;
  let containerPort = parts[n - 1]!;
  const hostPort = n >= 2 ? parts[n - 2]! : '';
  const ip = n === 3 ? parts[0]! : n > 3 ? parts.slice(0, n - 2).join(':') : '';
  const slash = containerPort.split('/');
  let proto = 'tcp';
  if (containerPort === '' || slash[0] === '') {
    containerPort = '';
    proto = '';
  } else if (slash.length > 1 && slash[1] !== '') {
    proto = slash[1]!;
    containerPort = slash[0]!;
  } else {
    containerPort = slash[0]!;
  }
  if (ip !== '') {
    const bracketed = /^\[(.*)\]$/.exec(ip);
    if (bracketed) {
      if (isIP(bracketed[1]!) !== 6) return `Invalid ip address: ${ip}`;
    } else if (ip.includes(':')) {
      return `Invalid ip address ${ip}: address ${ip}:: too many colons in address`;
    } else if (isIP(ip) === 0) {
      return `Invalid ip address: ${ip}`;
    }
  }
  if (containerPort === '') return `No port specified: ${raw}<empty>`;
  const container = portRange(containerPort);
  if (!container) return `Invalid containerPort: ${containerPort}`;
  if (hostPort !== '') {
    const host = portRange(hostPort);
    if (!host) return `Invalid hostPort: ${hostPort}`;
    if (host[1] - host[0] !== container[1] - container[0] && container[1] !== container[0]) {
      return `Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`;
    }
  }
  if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) return `Invalid proto: ${proto}`;
  return undefined;
}

function portRange(text: string): [number, number] | undefined {
  const parts = text.split('-');
  const parse = (p: string | undefined): number | undefined =>
    p !== undefined && /^\d+$/.test(p) && Number(p) <= 65535 ? Number(p) : undefined;
  const start = parse(parts[0]);
  const end = parts.length === 1 ? start : parse(parts[1]);
  if (start === undefined || end === undefined || end < start) return undefined;
  return [start, end];
}

const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;

/** The Linux capabilities the engine knows (`CAP_` optional, any case), and ALL. */
const CAPABILITIES = new Set(
  (
    'CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE ' +
    'NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN ' +
    'SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE ' +
    'MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE ALL'
  ).split(' '),
);

/** compose-go's units.RAMInBytes, for the engine's 6 MB minimum memory limit. */
function sizeInBytes(text: string | number): number | undefined {
  if (typeof text === 'number') return text;
  const match = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
  if (!match) return undefined;
  const unit = 'bkmgtp'.indexOf((match[2] ?? 'b').toLowerCase());
  return Math.floor(parseFloat(match[1]!) * 1024 ** unit);
}
const MIN_MEMORY = 6 * 1024 * 1024;

/**
 * Checks one interpolated compose file as Compose does before merging it: the schema, the
 * type casts and the short syntaxes. `raw` is the file before interpolation, to show what was
 * written when a variable made the value invalid.
 */
export function validateComposeFile(
  file: string,
  model: Record<string, Json>,
  raw?: Record<string, Json>,
): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  const add = (path: string[], message: string): void => {
    const service = path[0] === 'services' ? path[1] : undefined;
    const written = raw === undefined ? undefined : at(raw, path)[0]?.[1];
    const resolved = at(model, path)[0]?.[1];
    const hint =
      typeof written === 'string' && written.includes('$') && written !== resolved
        ? ` (written ${JSON.stringify(written)}: is a variable in it empty or unset?)`
        : '';
    problems.push({
      file,
      path: path.join('.'),
      ...(service !== undefined ? { service } : {}),
      message: message + hint,
    });
  };
  const schemaErrors: string[][] = [];
  validateSchema(model, composeSpecSchema, [], schemaErrors);
  for (const [path, message] of schemaErrors) add(path === '(root)' ? [] : path!.split('.'), message!);
  if (schemaErrors.length > 0) return problems;

  const services = (model['services'] ?? {}) as Record<string, Record<string, Json>>;
  for (const [name, service] of Object.entries(services)) {
    if (service === null || typeof service !== 'object') continue;
    const base = ['services', name];
    for (const [path, cast] of SERVICE_CASTS) {
      for (const [p, v] of at(service, path.split('.'), base)) {
        const problem = castProblem(v, cast);
        if (problem) add(p, `failed to cast to expected type: ${problem}`);
      }
    }
    for (const [path, cast] of SERVICE_DECODES) {
      for (const [p, v] of at(service, path.split('.'), base)) {
        const problem = castProblem(v, cast);
        if (problem) add(p, problem);
      }
    }
    if (typeof service['image'] === 'string' && service['image'] !== '') {
      const problem = imageReferenceProblem(service['image']);
      if (problem) add([...base, 'image'], `${JSON.stringify(service['image'])}: ${problem}`);
    }
    if (typeof service['restart'] === 'string' && !RESTART.test(service['restart'])) {
      add(
        [...base, 'restart'],
        `invalid restart policy ${JSON.stringify(service['restart'])}: use no, always, on-failure[:max-retries] or unless-stopped`,
      );
    }
    for (const key of ['cap_add', 'cap_drop']) {
      (Array.isArray(service[key]) ? (service[key] as Json[]) : []).forEach((cap, i) => {
        if (typeof cap === 'string' && !CAPABILITIES.has(cap.toUpperCase().replace(/^CAP_/, ''))) {
          add(
            [...base, key, String(i)],
            `unknown capability: "CAP_${cap.toUpperCase().replace(/^CAP_/, '')}"`,
          );
        }
      });
    }
    (Array.isArray(service['security_opt']) ? service['security_opt'] : []).forEach((opt, i) => {
      if (typeof opt === 'string' && opt !== 'no-new-privileges' && !/[=:]/.test(opt)) {
        add([...base, 'security_opt', String(i)], `Invalid security-opt: ${JSON.stringify(opt)}`);
      }
    });
    for (const key of ['mem_limit', 'memswap_limit']) {
      const bytes = service[key] === undefined ? undefined : sizeInBytes(service[key] as string | number);
      if (key === 'mem_limit' && bytes !== undefined && bytes > 0 && bytes < MIN_MEMORY) {
        add(
          [...base, key],
          `Minimum memory limit allowed is 6MB (the engine refuses ${JSON.stringify(service[key])})`,
        );
      }
    }
    (Array.isArray(service['tmpfs'])
      ? service['tmpfs']
      : typeof service['tmpfs'] === 'string'
        ? [service['tmpfs']]
        : []
    ).forEach((t, i) => {
      const path = typeof t === 'string' ? t.split(':')[0]! : '';
      if (typeof t === 'string' && !path.startsWith('/')) {
        add(
          [...base, 'tmpfs', ...(Array.isArray(service['tmpfs']) ? [String(i)] : [])],
          `invalid mount path: '${path}' mount path must be absolute`,
        );
      }
    });
    (Array.isArray(service['ports']) ? service['ports'] : []).forEach((port, i) => {
      if (typeof port !== 'string') return;
      const problem = portSpecProblem(port);
      if (problem) add([...base, 'ports', String(i)], problem);
    });
    (Array.isArray(service['volumes']) ? service['volumes'] : []).forEach((volume, i) => {
      const path = [...base, 'volumes', String(i)];
      let target: Json;
      if (typeof volume === 'string') {
        const parsed = parseVolumeSpec(volume);
        if ('error' in parsed) return add(path, parsed.error);
        target = parsed.target;
      } else if (volume !== null && typeof volume === 'object') {
        target = (volume as Record<string, Json>)['target'];
        if (target === undefined || target === '') return add(path, 'is missing a mount target');
      }
      if (typeof target === 'string' && !target.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(target)) {
        add(path, `the mount path ${JSON.stringify(target)} in the container must be absolute`);
      }
    });
    (Array.isArray(service['extra_hosts']) ? service['extra_hosts'] : []).forEach((host, i) => {
      if (typeof host === 'string' && !/[=:]/.test(host))
        add([...base, 'extra_hosts', String(i)], `invalid additional host, missing IP: ${host}`);
    });
  }
  for (const path of TOP_CASTS) {
    for (const [p, v] of at(model, path.split('.'))) {
      const problem = castProblem(v, 'bool');
      if (problem) add(p, `failed to cast to expected type: ${problem}`);
    }
  }
  return problems;
}

/** Checks the merged project as Compose does: every service runs something, every reference exists. */
export function validateComposeProject(model: Record<string, Json>): ComposeProblem[] {
  const problems: ComposeProblem[] = [];
  const services = (model['services'] ?? {}) as Record<string, Record<string, Json>>;
  const declared = (kind: string): Set<string> => new Set(Object.keys((model[kind] ?? {}) as object));
  const volumes = declared('volumes');
  const networks = new Set([...declared('networks'), 'default']);
  const secrets = declared('secrets');
  const configs = declared('configs');
  const add = (service: string, key: string, message: string): void => {
    problems.push({ path: `services.${service}.${key}`, service, message });
  };
  // `include:` brings in services, volumes and networks this loader does not read; `extends:`
  // brings in keys from another service. Only what cannot come from there is checked.
  const included = model['include'] !== undefined;
  for (const [name, service] of Object.entries(services)) {
    if (service === null || typeof service !== 'object') continue;
    if (included) continue;
    const image = service['image'];
    const extended = service['extends'] !== undefined;
    if (
      !extended &&
      (image === undefined || image === '' || image === null) &&
      service['build'] === undefined
    ) {
      add(
        name,
        'image',
        `service "${name}" has neither an image nor a build context specified (is the image variable empty?)`,
      );
    }
    const dependsOn = service['depends_on'];
    // Compose 2.26.1 refuses an undefined dependency even with `required: false`.
    const deps = Array.isArray(dependsOn) ? dependsOn.map(String) : Object.keys((dependsOn ?? {}) as object);
    for (const dep of deps) {
      if (!(dep in services))
        add(name, 'depends_on', `service "${name}" depends on undefined service "${dep}"`);
    }
    const mode = service['network_mode'];
    if (typeof mode === 'string' && mode.startsWith('service:') && !(mode.slice(8) in services)) {
      add(name, 'network_mode', `service "${name}" depends on undefined service "${mode.slice(8)}"`);
    }
    const serviceNetworks = Array.isArray(service['networks'])
      ? service['networks'].map(String)
      : Object.keys((service['networks'] ?? {}) as object);
    for (const n of serviceNetworks)
      if (!networks.has(n)) add(name, 'networks', `service "${name}" refers to undefined network ${n}`);
    for (const [kind, known] of [
      ['secrets', secrets],
      ['configs', configs],
    ] as const) {
      const list = Array.isArray(service[kind]) ? (service[kind] as Json[]) : [];
      for (const item of list) {
        const ref =
          typeof item === 'string' ? item : String((item as Record<string, Json>)?.['source'] ?? '');
        if (!known.has(ref))
          add(name, kind, `service "${name}" refers to undefined ${kind.slice(0, -1)} ${ref}`);
      }
    }
    (Array.isArray(service['volumes']) ? service['volumes'] : []).forEach((volume, i) => {
      let source: string | undefined;
      let type: string | undefined;
      if (typeof volume === 'string') {
        const parsed = parseVolumeSpec(volume);
        if ('error' in parsed || parsed.source === '') return;
        source = parsed.source;
        type = /^[./~]|^[a-zA-Z]:[\\/]/.test(source) ? 'bind' : 'volume';
      } else if (volume !== null && typeof volume === 'object') {
        const v = volume as Record<string, Json>;
        source = typeof v['source'] === 'string' ? v['source'] : undefined;
        type = typeof v['type'] === 'string' ? v['type'] : undefined;
      }
      if (type === 'volume' && source !== undefined && source !== '' && !volumes.has(source)) {
        add(name, `volumes.${i}`, `service "${name}" refers to undefined volume ${source}`);
      }
    });
  }
  return problems;
}
