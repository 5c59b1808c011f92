export {
  interpolate,
  substitute,
  isInterpolationError,
  InvalidTemplateError,
  MissingRequiredError,
  type Lookup,
  type InterpolateOptions,
  type InterpolationError,
} from './interpolate.js';
export {
  parseDotenv,
  parseEnvFiles,
  setDotenvValues,
  isDotenvError,
  DotenvSyntaxError,
  type ParseDotenvOptions,
  type DotenvInterpolationError,
  type DotenvEdit,
} from './dotenv.js';
export { quoteDotenvValue, formatDotenv, formatJson, isValidEnvKey } from './format.js';
export {
  renderEnv,
  parseTemplate,
  shownValue,
  MissingKeysError,
  EnvLayerError,
  LayerRuleError,
  type EnvSource,
  type RenderedValue,
  type TemplateKey,
  type NamedText,
  type RenderEnvInput,
  type RenderEnvResult,
  type StaleRead,
} from './render.js';
export {
  loadComposeConfig,
  formatComposeConfig,
  findUnpinnedImages,
  ComposeFileError,
  type ComposeModel,
  type ComposeService,
  type ComposeConfig,
  type LoadComposeOptions,
  type FormatComposeOptions,
  type UnpinnedImage,
} from './compose.js';
export {
  checkPolicy,
  parsePorts,
  type PolicyFinding,
  type PolicyRule,
  type PolicyOptions,
  type PublishedPort,
} from './policy.js';
export {
  validateComposeFile,
  validateComposeProject,
  imageReferenceProblem,
  type ComposeProblem,
} from './validate.js';
export {
  parseImageReference,
  checkImages,
  type ImageReference,
  type ImageProblem,
  type ImageRules,
} from './images.js';
export {
  renderEnvFile,
  type RenderEnvFileOptions,
  type RenderEnvFileHooks,
  type RenderEnvCheck,
  type RenderedEnvFile,
} from './render-file.js';
export {
  checkSwarmStack,
  type SwarmConfigJson,
  type SwarmServiceJson,
  type SwarmProblem,
  type SwarmProblemKind,
  type SwarmStackCheck,
} from './swarm-check.js';
