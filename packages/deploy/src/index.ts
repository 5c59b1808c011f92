export type { DeploySettings, HostResult, HostStatus, HeldLock, ReleaseOrigin, Strategy } from './types.js';
export { collectBundle, bundleArchive, COMPOSE_FILE_NAMES, type Bundle } from './bundle.js';
export { composeInvocation, type ComposeFlavour, type ComposeInvocation } from './compose.js';
export { acquireHostLock, releaseHostLock, type LockOwner } from './lock.js';
export {
  deployHost,
  failureResult,
  inspectHost,
  planSteps,
  resolveRollbackTarget,
  stopLeftoverWork,
  type HostState,
} from './rollout.js';
export { DeployFailure, HealthGateError } from './errors.js';
export { planRollout, describePlan, type Step, type StepName, type Undo } from './steps.js';
export { normalisePreservePattern, preserveRules, type PreserveRules } from './preserve.js';
export { deployToHosts, settingsForHost, type DeployAllOptions } from './hosts.js';
export { releasePaths } from './host-scripts.js';
export { RemoteCommandError, lastLines } from './remote-error.js';
export { checkHealthUrl, checkHealthCommand, type HealthOutcome } from './health.js';
export {
  checkBuildContexts,
  findExposedContexts,
  dockerignoreExcludes,
  type ExposedContext,
} from './build-context.js';
export { withHookEnv, formatShellExports, decodeEnvFiles } from './hook-env.js';
export {
  checkRollable,
  rollingUpdate,
  rollingSteps,
  parseGoDuration,
  RollingUpdateError,
  type ComposeConfigJson,
  type ComposeServiceJson,
  type RolledService,
  type RollingExec,
  type RollingOptions,
  type RollingSelection,
  type RollingService,
  type RollingStep,
  type RollingStepName,
} from './rolling.js';
export {
  checkSwarmStack,
  stackFileFromConfig,
  swarmDeploy,
  swarmRollback,
  swarmSteps,
  SwarmDeployError,
  type SwarmConfigJson,
  type SwarmServiceJson,
  type SwarmDeployOptions,
  type SwarmDeployResult,
  type SwarmExec,
  type SwarmMigrationResult,
  type SwarmProblem,
  type SwarmRollbackOptions,
  type SwarmServiceResult,
  type SwarmStackCheck,
  type SwarmStep,
  type SwarmStepName,
} from './swarm.js';
export {
  computePlan,
  PLAN_UNKNOWN_VALUE,
  planHosts,
  planHeadline,
  readBundleSide,
  type BundleSide,
  type HostPlan,
  type PlanAllOptions,
  type ServicePlan,
} from './plan.js';
export { checkHosts, computeDrift, type CheckAllOptions, type DriftItem, type HostDrift } from './drift.js';
export { parseReading, readHost, type HostReading } from './reading.js';
export { envEntries, newRunKey, compareEnv, type EnvChanges, type RunKey } from './env-keys.js';
export {
  listReleases,
  parseReleases,
  readLockStatus,
  breakHostLock,
  type HostReleases,
  type LockStatus,
  type ReleaseInfo,
} from './inventory.js';
