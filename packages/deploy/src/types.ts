import type { SshConnection } from '@deploy-actions/ssh';

/** `swarm`: `docker stack deploy` of the interpolated compose file on a swarm manager (swarm-host.ts). */
export type Strategy = 'compose' | 'script' | 'swarm';

/** Who and what a release is; recorded on the host with the release. */
export interface ReleaseOrigin {
  /** Sortable and unique per run: `20240131T120102Z-abc1234`. */
  id: string;
  commit: string;
  actor: string;
  repository: string;
  /** `<run id>/<attempt>`: identifies the workflow run holding the lock. */
  run: string;
  runUrl?: string;
}

/** Everything one deploy needs, validated; built by the action from its inputs. */
export interface DeploySettings {
  remoteDir: string;
  sourceDir: string;
  /** Globs relative to sourceDir; empty = everything but .git. */
  files: string[];
  /** Relative paths (a trailing `/` marks a directory) never overwritten or deleted on the host. */
  preserve: string[];
  keepReleases: number;
  strategy: Strategy;
  /** Empty = the bundle's compose file plus the host's docker-compose.override.yml when present. */
  composeFiles: string[];
  envFiles: string[];
  projectName?: string;
  servicesFirst: string[];
  migrateService?: string;
  services: string[];
  pull: boolean;
  build: boolean;
  preDeploy?: string;
  postDeploy?: string;
  script?: string;
  healthUrl?: string;
  healthCmd?: string;
  healthTimeoutMs: number;
  /** `previous` or a release id: re-activate it instead of shipping a new bundle. */
  rollback?: string;
  lockTimeoutMs: number;
  dryRun: boolean;
  /** Limit for one host's whole deploy. */
  timeoutMs: number;
  /** Which compose CLI to use: `auto` (v2 when the host has it), or forced. */
  composeVersion?: 'auto' | 'v2' | 'v1';
  /** Many hosts: when one fails, roll back the hosts this run already deployed. */
  fleetRollback?: boolean;
  /**
   * `strategy: rolling`: the compose rollout, with these services replaced without downtime
   * (new containers next to the old, healthy, old drained and stopped: rolling.ts); empty
   * `services` = every service with a healthcheck that can run twice.
   */
  rolling?: { services: string[]; drainMs: number };
  origin: ReleaseOrigin;
}

/** `cancelled`: the job was cancelled after this host's deploy changed something; `running` says what runs. */
export type HostStatus = 'deployed' | 'rolled-back' | 'failed' | 'skipped' | 'planned' | 'cancelled';

/** One host's outcome: a row of the summary table and an element of the `hosts` output. */
export interface HostResult {
  host: string;
  status: HostStatus;
  release?: string;
  previousRelease?: string;
  rolledBack: boolean;
  durationMs: number;
  /** The phase that failed and why. */
  error?: string;
  errorCode?: string;
  /** Dry-run: the steps that would run. */
  plan?: string[];
  /** The release running on the host afterwards (`unknown` when a restore failed; absent when none). */
  running?: string;
}

/** Opens the connection to one host; `transport: local` returns a local one. */
export type Connector = (host: string) => Promise<SshConnection>;

/** Locks taken, so the post step can release one a cancelled run left behind. */
export interface HeldLock {
  host: string;
  lockDir: string;
  token: string;
  /** Compose project and migrate-service: one-off containers a cancelled run left are stopped before its lock is released. */
  project?: string;
  oneOffService?: string;
}
