export type { Allowlist, Finding, Rule, RuleSet, SkippedFile } from './types.js';
export { KeywordIndex, KeywordHits } from './keyword-index.js';
export { shannonEntropy } from './entropy.js';
export { isPlaceholder } from './placeholders.js';
export { builtinRules } from './rules/builtin.js';
export { PKCS12_RULE, isPkcs12Name, looksLikePkcs12, pkcs12Finding } from './pkcs12.js';
export { SecretScanner, type ScanLimits, type Fragment } from './scanner.js';
export { translateGoRegex, RegexTranslationError } from './go-regex.js';
export { loadGitleaksConfig, defaultRuleSet } from './gitleaks-config.js';
export { AcceptedFindings } from './accepted.js';
export { redact, fingerprintOf, sha256Hex } from './redact.js';
export { isCommittedEnvName, dockerignoreExcludesEnv, dockerContextFinding } from './hygiene.js';
export { resolveTarget, eventRange, type ScanMode, type ScanTarget } from './range.js';
export { streamAddedLines } from './git.js';
export { jsonReport, sarifReport, type ReportContext } from './report.js';
export { runSecretScan, formatBytes, type SecretScanOptions, type SecretScanResult } from './scan.js';
export {
  verifyFindings,
  verifyRequestFor,
  testBaseUrlFrom,
  sourceReader,
  signV4,
  VERIFIABLE_RULES,
  VERIFY_TEST_BASE_URL_VARIABLE,
  type Verified,
  type VerifyOptions,
  type VerifyRequest,
  type VerifySummary,
} from './verify.js';
export { isScanWorker, setScanWorkerEntry, startScanWorker } from './pool.js';
