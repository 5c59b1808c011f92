// The jest side of the runner emulation: runner.mjs (plain JavaScript, shared with demo/ and
// bench/) is the implementation; runner.d.mts its types.
export {
  ACTION_NODE_MAJOR,
  LAB_NODE24,
  actionDefaults,
  actionNode,
  hasPost,
  parseFileCommand,
  parseWorkflowCommands,
  prepareStep,
  repoRoot,
  runAction,
  runPost,
  visibleText,
  type ActionNode,
  type ActionRun,
  type Annotation,
  type PreparedStep,
  type RunOptions,
} from './runner.mjs';
