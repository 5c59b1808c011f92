export {
  gitHubClient,
  gitHubError,
  parseRepository,
  runUrl,
  type GitHubClient,
  type RepositoryRef,
} from './client.js';
export {
  startDeployment,
  finishDeployment,
  recordRollback,
  truncateDescription,
  DESCRIPTION_LIMIT,
  PREVIOUS_SCAN,
  ROLLBACK_TASK,
  type StartDeployment,
  type FinishDeployment,
  type RecordRollback,
  type DeploymentRecord,
  type FinalState,
} from './deployments.js';
export {
  bumpImages,
  bumpBody,
  branchSlug,
  BODY_LIMIT,
  type BumpImages,
  type BumpResult,
  type KeyChange,
  type FileEdit,
} from './bump.js';
