import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative, resolve } from 'node:path';
import { formatDuration, UserError, type ActionContext, type ActionDefinition, type InputReader } from '@deploy-actions/action-kit';
import {
  eventRange,
  formatBytes,
  jsonReport,
  runSecretScan,
  sarifReport,
  type Finding,
  type ReportContext,
  type ScanMode,
  type SecretScanResult,
} from '@deploy-actions/secret-scan';

const MODES = ['auto', 'diff', 'history', 'tree'] as const;
const FAIL_ON = ['any', 'none'] as const;
const SUMMARY_ROWS = 100;

export interface SecretScanSettings {
  path: string;
  mode: ScanMode;
  base?: string;
  head?: string;
  config?: string;
  baseline?: string;
  failOn: (typeof FAIL_ON)[number];
  sarifFile: string;
  reportFile: string;
  maxAnnotations: number;
  timeBudgetMs: number;
  eventName?: string;
  eventPath?: string;
}

/** Reads and checks every input; problems are collected and reported together by `finish()`. */
export function readSettings(inputs: InputReader, env: NodeJS.ProcessEnv): SecretScanSettings {
  const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(workspace, p));
  const path = at(inputs.string('path', { default: '.' })!);
  const mode = inputs.enum('mode', MODES, { default: 'auto' });
  const base = inputs.string('base');
  const head = inputs.string('head');
  const config = inputs.string('config');
  const baseline = inputs.string('baseline');
  const failOn = inputs.enum('fail-on', FAIL_ON, { default: 'any' });
  const sarifFile = at(inputs.string('sarif-file', { default: 'secret-scan.sarif' })!);
  const reportFile = at(inputs.string('report-file', { default: 'secret-scan-report.json' })!);
  const maxAnnotations = inputs.integer('max-annotations', { default: 50, min: 0, max: 1000 });
  const timeBudgetMs = inputs.duration('time-budget', { default: '20m', min: 1 });
  const settings: SecretScanSettings = {
    path,
    mode,
    base,
    head,
    config: config ? at(config) : undefined,
    baseline: baseline ? at(baseline) : undefined,
    failOn,
    sarifFile,
    reportFile,
    maxAnnotations,
    timeBudgetMs,
    eventName: env['GITHUB_EVENT_NAME'],
    eventPath: env['GITHUB_EVENT_PATH'],
  };
  inputs.check(existsSync(path) && statSync(path).isDirectory(), 'path', `'${inputs.raw('path') || '.'}' is not a directory. Point it at the checked-out repository.`);
  if (settings.config) inputs.check(existsSync(settings.config), 'config', `${settings.config} does not exist. Give the path of a .gitleaks.toml-style file, or leave it empty.`);
  if (settings.baseline) inputs.check(existsSync(settings.baseline), 'baseline', `${settings.baseline} does not exist. Pass the report-file of an earlier run.`);
  if (mode === 'diff' && !base) {
    let fromEvent: string | undefined;
    try {
      fromEvent = eventRange(settings).base;
    } catch {
      fromEvent = undefined;
    }
    inputs.check(fromEvent !== undefined, 'base', 'diff mode needs a base commit: set base (and head), or run on a pull_request or push event.');
  }
  return settings;
}

export const action: ActionDefinition = {
  name: 'secret-scan-gate',
  async main({ inputs, log, summary, setOutput, env }: ActionContext) {
    const settings = readSettings(inputs, env);
    inputs.finish();

    const result = await runSecretScanWithSummary(
      summary,
      {
        path: settings.path,
        displayPath: ['', '.', './'].includes(inputs.raw('path')) ? 'the workspace' : inputs.raw('path'),
        mode: settings.mode,
        base: settings.base,
        head: settings.head,
        eventName: settings.eventName,
        eventPath: settings.eventPath,
        configFile: settings.config,
        baselineFile: settings.baseline,
        excludeFiles: [settings.sarifFile, settings.reportFile, ...(settings.baseline ? [settings.baseline] : [])],
        timeBudgetMs: settings.timeBudgetMs,
      },
      log,
    );
    // Found secrets are registered as masks first, so no later line (ours or another step's) can print one.
    for (const f of result.findings) if (f.secret.length >= 6) log.mask(f.secret);

    const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
    const fromWorkspace = relative(workspace, settings.path).split('\\').join('/');
    const context: ReportContext = {
      // SARIF uris are relative to the repository root (the workspace), not to `path`.
      uriPrefix: fromWorkspace.startsWith('..') || isAbsolute(fromWorkspace) ? '' : fromWorkspace,
      mode: result.mode,
      target: result.target,
      findings: result.findings,
      accepted: result.accepted,
      skipped: result.skipped,
      stats: result.stats,
      rules: result.ruleSet.rules,
    };
    writeJson(settings.sarifFile, sarifReport(context));
    writeJson(settings.reportFile, jsonReport(context));
    setOutput('findings', result.findings.length);
    setOutput('sarif-file', settings.sarifFile);
    setOutput('report-file', settings.reportFile);

    const toRepoPath = (f: Finding): string => posix.normalize(join(relative(workspace, settings.path), f.file).split('\\').join('/'));
    result.findings.slice(0, settings.maxAnnotations).forEach((f) => {
      const where = f.commit ? ` (commit ${f.commit.slice(0, 7)})` : '';
      log.error(`${f.description}${f.redacted ? `: ${f.redacted}` : ''}${where}`, { title: `secret-scan: ${f.ruleId}`, file: toRepoPath(f), startLine: Math.max(1, f.line) });
    });
    if (result.findings.length > settings.maxAnnotations) {
      log.info(`${result.findings.length - settings.maxAnnotations} more findings are not annotated; see the job summary and ${settings.reportFile}.`);
    }
    writeSummary(summary, result, toRepoPath, settings);

    if (result.findings.length > 0 && settings.failOn === 'any') {
      throw new UserError(
        'secrets-found',
        `${result.findings.length} finding(s) in ${result.target}. Revoke each exposed credential, then remove it; accept a false alarm with a "secret-scan:allow" comment on the line, a .gitleaksignore fingerprint, or the baseline input.`,
      );
    }
  },
};

/** A failed scan still leaves a summary saying what could not be scanned and why. */
async function runSecretScanWithSummary(
  summary: ActionContext['summary'],
  ...args: Parameters<typeof runSecretScan>
): Promise<SecretScanResult> {
  try {
    return await runSecretScan(...args);
  } catch (error) {
    summary.heading('Secret scan: not completed').paragraph(
      `Nothing was reported as clean. ${error instanceof Error ? error.message : String(error)}`,
    );
    throw error;
  }
}

function writeJson(file: string, value: object): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

function writeSummary(
  summary: ActionContext['summary'],
  result: SecretScanResult,
  toRepoPath: (f: Finding) => string,
  settings: SecretScanSettings,
): void {
  const { stats } = result;
  const scanned = stats.commits > 0 ? `${stats.commits} commits, ${formatBytes(stats.bytes)} of added lines` : `${stats.files} files, ${formatBytes(stats.bytes)}`;
  summary.heading(result.findings.length === 0 ? 'Secret scan: no secrets found' : `Secret scan: ${result.findings.length} finding(s)`);
  summary.paragraph(
    `Scanned ${escapeName(result.target)}: ${scanned} in ${formatDuration(stats.durationMs)} with ${result.ruleSet.rules.length} rules (${result.configFile ? `config ${escapeName(relative(settings.path, result.configFile) || result.configFile)}` : 'built-in pack'}${result.settingsFrom ?? ''}).` +
      (result.accepted > 0 ? ` ${result.accepted} accepted finding(s) left out (baseline / ignore file).` : ''),
  );
  if (result.findings.length > 0) {
    summary.table(
      ['Rule', 'Location', 'Commit', 'Secret (redacted)'],
      result.findings
        .slice(0, SUMMARY_ROWS)
        .map((f) => [f.ruleId, { raw: escapeName(`${toRepoPath(f)}:${f.line}`) }, f.commit ? f.commit.slice(0, 7) : '', f.redacted || '-']),
    );
    const partial = result.findings.filter((f) => f.ruleId === 'not-fully-scanned');
    if (partial.length > 0) {
      summary.paragraph(
        `**Not fully scanned** (not-fully-scanned): ${partial.map((f) => `${escapeName(toRepoPath(f))}${f.commit ? ` (${f.commit.slice(0, 7)})` : ''}`).join(', ')}. A secret in the unscanned part would not have been found.`,
      );
    }
    if (result.findings.length > SUMMARY_ROWS) summary.paragraph(`…and ${result.findings.length - SUMMARY_ROWS} more in the JSON report.`);
  }
  if (result.skipped.length > 0) {
    summary.details(
      `${result.skipped.length} file(s) not scanned or partly scanned`,
      result.skipped
        .slice(0, 50)
        .map((s) => `- ${escapeName(s.file)}: ${escapeName(s.reason)}`)
        .join('\n') + (result.skipped.length > 50 ? `\n- …and ${result.skipped.length - 50} more in the JSON report` : ''),
    );
  }
}

/** File names are data, not Markdown: every character Markdown could act on is escaped. */
export function escapeName(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#|~]/g, (c) => `\\${c}`)
    .replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))
    .replace(/\r?\n/g, ' ');
}
