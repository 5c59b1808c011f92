import { formatDuration } from '@deploy-actions/action-kit';
import { quoteShellArg } from '@deploy-actions/ssh';
import type { Bundle } from './bundle.js';
import { composeInvocation, type ComposeInvocation } from './compose.js';
import { releasePaths } from './host-scripts.js';
import { swarmPlan } from './swarm-host.js';
import type { HostState } from './state.js';
import type { DeploySettings } from './types.js';

/** The named steps of a rollout; the run executes exactly the plan's list, in order. */
export type StepName =
  | 'lock'
  | 'pre-deploy'
  | 'restore-images'
  | 'ship'
  | 'activate'
  | 'config'
  | 'check-rolling'
  | 'build'
  | 'pull'
  | 'services-first'
  | 'migrate'
  | 'up'
  | 'script'
  | 'record-images'
  | 'health'
  | 'mark-current'
  | 'post-deploy'
  | 'unlock'
  // strategy: swarm (swarm-host.ts)
  | 'check-manager'
  | 'render'
  | 'stack-deploy'
  | 'converge';

/**
 * How a failure at a step is undone:
 * - `none`: nothing on the host changed (what a hook itself did is the hook's business);
 * - `files`: the previous release's files are copied back and what this release wrote goes;
 * - `deps`: before the app changed (build, pull, services-first, migrate): the previous
 *   release's image tags and files, and its services-first containers (`up -d <services-first>`);
 *   the app containers are not touched;
 * - `app`: the previous release is restored and started: its images re-tagged, its files,
 *   `up -d --remove-orphans` (no pull, no build, no migrator: the schema stays);
 * - `keep`: the release is live and current; the step fails and says so.
 */
export type Undo = 'none' | 'files' | 'deps' | 'app' | 'keep';

export interface Step {
  name: StepName;
  /** What runs, with the exact command line where there is one. */
  does: string;
  /** What it changes on the host. */
  changes: string;
  undo: Undo;
  /** How the undo goes when UNDO_TEXT does not say it (strategy: swarm). */
  undoText?: string;
  /** Compose steps: the argv (services for `up` may be completed at run time). */
  argv?: string[];
}

export interface PlanContext {
  settings: DeploySettings;
  state: HostState;
  bundle?: Bundle;
  /** The release this run makes current. */
  target: string;
  /** The release current before (what a failure restores). */
  previous?: string;
}

/** Compose v1 reads one --env-file: several are merged into the release's compose.env. */
export function needsMergedEnv(settings: DeploySettings, state: HostState): boolean {
  return settings.strategy === 'compose' && state.compose === 'v1' && settings.envFiles.length > 1;
}

export function mergedEnvPath(settings: DeploySettings, release: string): string {
  return `${releasePaths(settings.remoteDir).releases}/${release}/compose.env`;
}

export function composeFor(settings: DeploySettings, state: HostState, release: string): ComposeInvocation {
  return composeInvocation({
    flavour: state.compose ?? 'v2',
    ...(settings.projectName ? { projectName: settings.projectName } : {}),
    files: settings.composeFiles,
    envFiles: needsMergedEnv(settings, state) ? [mergedEnvPath(settings, release)] : settings.envFiles,
  });
}

/**
 * `up` must not start the migrator as a long-running service: when the user
 * names no services and there is a migrate-service, the services come from
 * `config --services` (which also validates the config) without it.
 */
export function needsServiceList(settings: DeploySettings): boolean {
  return settings.services.length === 0 && settings.migrateService !== undefined;
}

/** The services `up` names: the user's, or compose's list without the migrator, or none (= all). */
export function upServices(settings: DeploySettings, fromConfig: readonly string[] | undefined): string[] {
  if (settings.services.length) return [...settings.services];
  if (!settings.migrateService || !fromConfig) return [];
  return fromConfig.filter((s) => s !== settings.migrateService);
}

export const UNDO_TEXT: Record<Undo, (previous: string | undefined) => string> = {
  none: () => 'nothing to undo',
  files: (p) =>
    p
      ? `copy release ${p}'s files back; remove what this release wrote (unchanged files only)`
      : 'first deploy: nothing to restore; the files stay, the release is marked failed, not current',
  deps: (p) =>
    p
      ? `restore ${p}: re-tag its recorded images, copy its files back, \`up -d\` its services-first (the app was not touched; no migrator; the schema stays)`
      : 'first deploy: nothing to restore; what started keeps running, the release is marked failed, not current',
  app: (p) =>
    p
      ? `roll back to ${p}: re-tag its recorded images, copy its files back, \`up -d --remove-orphans\` (no pull, build or migrator; the schema stays)`
      : 'first deploy: nothing to restore; what started keeps running, the release is marked failed, not current',
  keep: () => 'the release stays live and current; the step fails saying so',
};

/** The rollout as a list of named steps: `dry-run` prints it, the run executes it. */
export function planRollout(ctx: PlanContext): Step[] {
  const { settings: s, state, bundle, target } = ctx;
  const rel = releasePaths(s.remoteDir).releases;
  const steps: Step[] = [];
  const add = (name: StepName, does: string, changes: string, undo: Undo, argv?: string[]): void => {
    steps.push({ name, does, changes, undo, ...(argv ? { argv } : {}) });
  };
  const rollback = Boolean(s.rollback);
  add(
    'lock',
    `take the host lock ${rel}/.lock (wait up to ${formatDuration(s.lockTimeoutMs)})`,
    'creates the lock directory',
    'none',
  );
  // strategy: swarm asks the manager first, before anything (a hook included) changes.
  const swarm =
    s.strategy === 'swarm' ? swarmPlan(s, composeFor(s, state, target), target, ctx.previous) : undefined;
  if (swarm) steps.push(swarm.check);
  if (s.preDeploy)
    add('pre-deploy', 'run pre-deploy', "whatever the hook does (the host's files are as before)", 'none');
  const c = s.strategy === 'compose' ? composeFor(s, state, target) : undefined;
  if (rollback && !swarm) {
    add(
      'restore-images',
      `check that every image release ${target} ran with is still on the host, then re-tag them`,
      'image tags (nothing when one is missing)',
      'none',
    );
  }
  if (rollback) {
    add(
      'activate',
      `copy release ${target}'s files into ${s.remoteDir} (current: ${state.current ?? 'none'})`,
      'files in remote-dir',
      'files',
    );
  } else {
    add(
      'ship',
      `upload ${bundle ? `${bundle.files.length} file(s) (${bundle.totalBytes} bytes)` : 'the bundle'} as one archive to ${rel}/${target}, then copy it into ${s.remoteDir}, keeping ${s.preserve.join(', ') || 'nothing'} as the host has them` +
        (needsMergedEnv(s, state)
          ? `; merge env-files ${s.envFiles.join(', ')} into ${mergedEnvPath(s, target)} (compose v1 reads one)`
          : ''),
      'files in remote-dir (only those a release wrote are ever removed)',
      'files',
    );
  }
  if (c) {
    if (s.rolling && !rollback) {
      // Before any container changes: which services roll, and can each run twice? Reading the
      // whole config also validates it and names every service, so no other config call is needed.
      const argv = c.flavour === 'v2' ? c.argv('config', '--format', 'json') : c.argv('config');
      add(
        'check-rolling',
        `${line(argv)}, then check that ${s.rolling.services.length ? s.rolling.services.join(', ') : 'every service with a healthcheck'} can run twice (healthcheck, no host port, no container_name)`,
        'nothing',
        'files',
        argv,
      );
    } else if (needsServiceList(s)) {
      const argv = c.argv('config', '--services');
      add('config', line(argv), 'nothing', 'files', argv);
    } else if (c.flavour === 'v1') {
      const argv = c.argv('config', '-q');
      add('config', line(argv), 'nothing', 'files', argv);
    }
    if (!rollback) {
      if (s.build) {
        const argv = c.argv('build', ...s.services);
        add('build', line(argv), 'image tags', 'deps', argv);
      }
      if (s.pull) {
        const names = s.services.length
          ? [...new Set([...s.servicesFirst, ...(s.migrateService ? [s.migrateService] : []), ...s.services])]
          : [];
        // -q: no progress lines (a failure still prints its error, which the step's error carries).
        const argv = c.argv('pull', '-q', ...(s.build ? ['--ignore-pull-failures'] : []), ...names);
        add('pull', line(argv), 'image tags', 'deps', argv);
      }
      if (s.servicesFirst.length) {
        // `up -d`, then our own poll of the containers' health: on Compose v2.26 `up --wait`
        // took 0.5 s longer for a database that was already healthy (bench/ssh-deploy.bench.mjs).
        const argv = c.argv('up', '-d', ...s.servicesFirst);
        add(
          'services-first',
          `${line(argv)}, then wait until healthy (up to ${formatDuration(s.healthTimeoutMs)})`,
          'services-first containers',
          'deps',
          argv,
        );
      }
      if (s.migrateService) {
        const argv = c.argv('run', '--rm', '-T', s.migrateService);
        add('migrate', line(argv), 'the database schema (never undone: expand/contract)', 'deps', argv);
      }
    }
    const argv = c.argv(
      'up',
      '-d',
      '--remove-orphans',
      ...(rollback && s.build ? ['--no-build'] : []),
      ...s.services,
    );
    if (s.rolling && !rollback)
      add(
        'up',
        `roll the checked services together (start the new containers of them all next to the old, wait until healthy and in the service's DNS name for ${formatDuration(s.rolling.drainMs)}, stop the old with SIGTERM (they finish the requests in flight within stop_grace_period) and remove them, scale back); a failure there removes the new containers and leaves the old serving. Then ${line(c.argv('up', '-d', '--remove-orphans'))} <the other services${s.migrateService ? `, without ${s.migrateService}` : ''}>. A later failure (health gate) rolls the previous release's containers back in the same way`,
        'app containers',
        'app',
      );
    else
      add(
        'up',
        `${line(argv)}${needsServiceList(s) ? ` <services from config, without ${s.migrateService}>` : ''}`,
        'app containers',
        'app',
        argv,
      );
    if (!rollback)
      add(
        'record-images',
        `record the image each container runs in ${rel}/${target}/images`,
        'the release record',
        'app',
      );
  } else if (swarm) {
    steps.push(...swarm.rollout);
  } else {
    add('script', 'run script', 'whatever the script does', 'app');
  }
  const gates = [
    ...(s.healthUrl ? [`wait for ${s.healthUrl}`] : []),
    ...(s.healthCmd ? ['wait for health-cmd to pass (each run bounded too)'] : []),
  ];
  if (gates.length)
    add('health', `${gates.join(', then ')} (up to ${formatDuration(s.healthTimeoutMs)})`, 'nothing', 'app');
  add(
    'mark-current',
    `mark ${target} current, keep the last ${s.keepReleases} releases`,
    `${rel}/current, history, old releases`,
    'app',
  );
  if (s.postDeploy) add('post-deploy', 'run post-deploy', 'whatever the hook does', 'keep');
  add('unlock', 'release the host lock', 'removes the lock directory', 'none');
  if (swarm) for (const st of steps) if (st.undo === 'app') st.undoText ??= swarm.undoApp;
  return steps;
}

function line(argv: readonly string[]): string {
  return argv.map(quoteShellArg).join(' ');
}

/** One line per step for dry-run and the log: what runs, and how a failure there is undone. */
export function describePlan(steps: readonly Step[], previous: string | undefined): string[] {
  return steps.map(
    (st) =>
      `${st.name}: ${st.does}${st.undo === 'none' ? '' : ` — on failure: ${st.undoText ?? UNDO_TEXT[st.undo](previous)}`}`,
  );
}
