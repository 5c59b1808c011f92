export { UserError, InputError, isUserError, errorMessage, type InputProblem } from './errors.js';
export { parseDuration, formatDuration } from './duration.js';
export { parseMapping } from './mapping.js';
export { InputReader, type InputOptions, type InputReaderOptions } from './inputs.js';
export {
  type Logger,
  type AnnotationPlace,
  runnerLogger,
  RecordingLogger,
  silentLogger,
  maskSecret,
} from './logger.js';
export { SummaryBuilder, escapeMarkdown } from './summary.js';
export { secretRedactor } from './redact.js';
export { runAction, type ActionContext, type ActionDefinition } from './run.js';
export * as runner from './runner-commands.js';
