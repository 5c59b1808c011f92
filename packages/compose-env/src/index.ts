export {
  interpolate,
  substitute,
  goQuote,
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
  isDotenvError,
  DotenvSyntaxError,
  type ParseDotenvOptions,
  type DotenvInterpolationError,
} from './dotenv.js';
export { quoteDotenvValue, formatDotenv, formatJson, isValidEnvKey } from './format.js';
export {
  renderEnv,
  parseTemplate,
  MissingKeysError,
  EnvLayerError,
  type EnvSource,
  type RenderedValue,
  type TemplateKey,
  type NamedText,
  type RenderEnvInput,
  type RenderEnvResult,
} from './render.js';
export {
  loadComposeConfig,
  mergeCompose,
  formatComposeConfig,
  serviceImages,
  findUnpinnedImages,
  imageTag,
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
  imageName,
  isInternalService,
  isOneOffService,
  type PolicyFinding,
  type PolicyRule,
  type PolicyOptions,
  type PublishedPort,
} from './policy.js';
