// What a compose config needs to be deployed as a Docker Swarm stack without dropped requests.
// One rule set for both users: ssh-deploy's `strategy: swarm` (packages/deploy/src/swarm.ts
// refuses the errors before anything changes and logs the warnings) and render-env's policy
// with `target: swarm` (the warnings and errors become policy findings).

/** What swarm reads from the interpolated compose config (JSON from `docker compose config --format json`). */
export interface SwarmConfigJson {
  name?: string;
  services?: Record<string, SwarmServiceJson | null>;
  networks?: Record<
    string,
    { name?: string; external?: boolean | { name?: string }; driver?: string } | null
  >;
  [key: string]: unknown;
}

export interface SwarmServiceJson {
  image?: string;
  build?: unknown;
  healthcheck?: { test?: string[] | string; disable?: boolean; [key: string]: unknown } | null;
  deploy?: {
    replicas?: number;
    mode?: string;
    update_config?: { order?: string; failure_action?: string } | null;
    [key: string]: unknown;
  } | null;
  volumes?: Array<string | { type?: string; source?: string; target?: string; [key: string]: unknown }>;
  networks?: Record<string, unknown> | string[];
  environment?: Record<string, string | null> | string[];
  command?: string[] | string | null;
  entrypoint?: string[] | string | null;
  user?: string;
  working_dir?: string;
  [key: string]: unknown;
}

/** Which rule a finding of checkSwarmStack breaks. */
export type SwarmProblemKind =
  'build-without-image' | 'relative-bind-mount' | 'no-healthcheck' | 'update-order' | 'update-failure-action';

/** One finding of checkSwarmStack. */
export interface SwarmProblem {
  service: string;
  kind: SwarmProblemKind;
  message: string;
}

export interface SwarmStackCheck {
  /** The stack cannot be deployed as it is (swarmDeploy refuses it before anything changes). */
  errors: SwarmProblem[];
  /** It can, but an update could drop requests or not roll back by itself (render-env's policy shows these). */
  warnings: SwarmProblem[];
}

function isHealthchecked(svc: SwarmServiceJson): boolean {
  const hc = svc.healthcheck;
  if (!hc || hc.disable) return false;
  const test = hc.test;
  if (Array.isArray(test)) return test.length > 0 && test[0] !== 'NONE';
  return typeof test === 'string' && test !== '';
}

function bindSources(svc: SwarmServiceJson): string[] {
  const out: string[] = [];
  for (const v of svc.volumes ?? []) {
    if (typeof v === 'string') {
      const source = v.split(':')[0] ?? '';
      if (v.includes(':') && (source.startsWith('.') || source.startsWith('~'))) out.push(source);
      continue;
    }
    if (v.type === 'bind' && v.source !== undefined) out.push(v.source);
  }
  return out;
}

/**
 * What would go wrong deploying this (interpolated) compose config as a swarm stack, before
 * anything changes. Errors: a `build:` without `image:` (swarm builds nothing; every node pulls),
 * a relative bind mount (a stack deploy does not resolve it against the project dir as compose does).
 * Warnings: no healthcheck in the compose file (a start-first update cannot tell when a new task
 * is ready unless the image has one), `update_config.order` not `start-first` (swarm stops the old
 * task first: requests drop), `failure_action` not `rollback` (a failed update pauses, half-done).
 */
export function checkSwarmStack(config: SwarmConfigJson): SwarmStackCheck {
  const result: SwarmStackCheck = { errors: [], warnings: [] };
  for (const [name, raw] of Object.entries(config.services ?? {})) {
    const svc = raw ?? {};
    if (svc.build !== undefined && !svc.image) {
      result.errors.push({
        service: name,
        kind: 'build-without-image',
        message: `service '${name}' has build: but no image: a stack deploy builds nothing and every node must pull the image (build and push it, then name it in image:)`,
      });
    }
    for (const source of bindSources(svc)) {
      if (!source.startsWith('/')) {
        result.errors.push({
          service: name,
          kind: 'relative-bind-mount',
          message: `service '${name}' bind-mounts the relative path '${source}': a stack deploy does not resolve it against the project dir as compose does (render the config with docker compose config, use an absolute path, a volume, or a swarm config/secret)`,
        });
      }
    }
    if (svc.deploy?.mode === 'replicated-job' || svc.deploy?.mode === 'global-job') continue;
    if (!isHealthchecked(svc)) {
      result.warnings.push({
        service: name,
        kind: 'no-healthcheck',
        message: `service '${name}' has no healthcheck in the compose file: swarm counts a new task ready as soon as it starts, unless its image has one`,
      });
    }
    const update = svc.deploy?.update_config ?? {};
    if (update.order !== 'start-first') {
      result.warnings.push({
        service: name,
        kind: 'update-order',
        message: `service '${name}' does not set deploy.update_config.order: start-first: swarm stops an old task before its replacement runs (requests can fail during the update)`,
      });
    }
    if (update.failure_action !== 'rollback') {
      result.warnings.push({
        service: name,
        kind: 'update-failure-action',
        message: `service '${name}' does not set deploy.update_config.failure_action: rollback: a failed update ${update.failure_action === 'continue' ? 'continues' : 'pauses half-done'} instead of going back to the previous version`,
      });
    }
  }
  return result;
}
