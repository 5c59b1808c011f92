import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, posix, relative } from 'node:path';
import {
  errorMessage,
  formatDuration,
  UserError,
  type ActionContext,
  type ActionDefinition,
} from '@deploy-actions/action-kit';
import {
  formatBytes,
  jsonReport,
  runSecretScan,
  sarifReport,
  sourceReader,
  testBaseUrlFrom,
  verifyFindings,
  type Finding,
  type ReportContext,
  type SecretScanResult,
  type VerifySummary,
} from '@deploy-actions/secret-scan';
import { readSettings, type SecretScanSettings } from './settings.js';

const SUMMARY_ROWS = 100;

export const action: ActionDefinition = {
  name: 'secret-scan-gate',
  untouched: 'Nothing was scanned.',
  async main({ inputs, log, summary, setOutput, env }: ActionContext) {
    const settings = readSettings(inputs, env);
    inputs.finish();
    // Refused before anything runs: a secret is only ever sent to its provider (or, in tests, to loopback).
    const testBaseUrl = settings.verify ? testBaseUrlFrom(env) : undefined;

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
        excludeFiles: [
          settings.sarifFile,
          settings.reportFile,
          ...(settings.baseline ? [settings.baseline] : []),
        ],
        timeBudgetMs: settings.timeBudgetMs,
      },
      log,
    );
    // Found secrets are registered as masks first, so no later line (ours or another step's) can print one.
    for (const f of result.findings) if (f.secret.length >= 6) log.mask(f.secret);

    let verification: VerifySummary | undefined;
    if (settings.verify) {
      verification = await verifyFindings(result.findings, {
        budgetMs: settings.verifyTimeoutMs,
        testBaseUrl,
        readSource: sourceReader(settings.path),
      });
      log.info(
        `Live checks: ${verification.checked} finding(s) of a supported kind, ${verification.live} live, ${verification.refused} refused, ${verification.unknown} unknown` +
          (verification.unknownReasons.length > 0 ? ` (${verification.unknownReasons.join('; ')})` : '') +
          '.',
      );
    }

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
      ...(verification
        ? {
            verification: {
              checked: verification.checked,
              live: verification.live,
              refused: verification.refused,
              unknown: verification.unknown,
            },
          }
        : {}),
    };
    writeJson(settings.sarifFile, sarifReport(context));
    writeJson(settings.reportFile, jsonReport(context));
    setOutput('findings', result.findings.length);
    setOutput('verified-live', verification?.live ?? 0);
    setOutput('sarif-file', settings.sarifFile);
    setOutput('report-file', settings.reportFile);

    const toRepoPath = (f: Finding): string =>
      posix.normalize(join(relative(workspace, settings.path), f.file).split('\\').join('/'));
    result.findings.slice(0, settings.maxAnnotations).forEach((f) => {
      const where = f.commit ? ` (commit ${f.commit.slice(0, 7)})` : '';
      log.error(`${f.description}${f.redacted ? `: ${f.redacted}` : ''}${where}${verdictNote(f)}`, {
        title: `secret-scan: ${f.ruleId}`,
        file: toRepoPath(f),
        startLine: Math.max(1, f.line),
      });
    });
    if (result.findings.length > settings.maxAnnotations) {
      log.info(
        `${result.findings.length - settings.maxAnnotations} more findings are not annotated; see the job summary and ${settings.reportFile}.`,
      );
    }
    writeSummary(summary, result, toRepoPath, settings, verification);

    if (settings.failOn === 'verified') {
      const live = result.findings.filter((f) => f.verified === true);
      const unread = result.findings.filter((f) => f.ruleId === 'not-fully-scanned');
      if (live.length > 0)
        throw new UserError(
          'live-secrets-found',
          `${live.length} finding(s) in ${result.target} are live: their provider accepted them just now. Revoke each one at its provider first, then remove it from the code.`,
        );
      if (unread.length > 0)
        throw new UserError(
          'secrets-found',
          `${unread.length} part(s) of ${result.target} were not fully scanned, so a live secret there could not be checked; see the summary.`,
        );
      return;
    }
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
    summary
      .heading('Secret scan: not completed')
      .paragraph(`Nothing was reported as clean. ${errorMessage(error)}`);
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
  verification?: VerifySummary,
): void {
  const { stats } = result;
  const scanned =
    stats.commits > 0
      ? `${stats.commits} commits, ${formatBytes(stats.bytes)} of added lines`
      : `${stats.files} files, ${formatBytes(stats.bytes)}`;
  summary.heading(
    result.findings.length === 0
      ? 'Secret scan: no secrets found'
      : `Secret scan: ${result.findings.length} finding(s)`,
  );
  summary.paragraph(
    `Scanned ${escapeName(result.target)}: ${scanned} in ${formatDuration(stats.durationMs)} with ${result.ruleSet.rules.length} rules (${result.configFile ? `config ${escapeName(relative(settings.path, result.configFile) || result.configFile)}` : 'built-in pack'}${result.settingsFrom ?? ''}).` +
      (result.accepted > 0
        ? ` ${result.accepted} accepted finding(s) left out (baseline / ignore file).`
        : ''),
  );
  if (verification) {
    summary.paragraph(
      `Live checks (verify): ${verification.checked} finding(s) of a supported kind — **${verification.live} live**, ${verification.refused} refused by their provider, ${verification.unknown} unknown` +
        (verification.unknownReasons.length > 0
          ? ` (${escapeName(verification.unknownReasons.join('; '))})`
          : '') +
        '.',
    );
  }
  if (result.findings.length > 0) {
    summary.table(
      ['Rule', 'Location', 'Commit', 'Secret (redacted)', ...(verification ? ['Live'] : [])],
      result.findings
        .slice(0, SUMMARY_ROWS)
        .map((f) => [
          f.ruleId,
          { raw: escapeName(`${toRepoPath(f)}:${f.line}`) },
          f.commit ? f.commit.slice(0, 7) : '',
          f.redacted || '-',
          ...(verification ? [verdictLabel(f)] : []),
        ]),
    );
    const partial = result.findings.filter((f) => f.ruleId === 'not-fully-scanned');
    if (partial.length > 0) {
      summary.paragraph(
        `**Not fully scanned** (not-fully-scanned): ${partial.map((f) => `${escapeName(toRepoPath(f))}${f.commit ? ` (${f.commit.slice(0, 7)})` : ''}`).join(', ')}. A secret in the unscanned part would not have been found.`,
      );
    }
    if (result.findings.length > SUMMARY_ROWS)
      summary.paragraph(`…and ${result.findings.length - SUMMARY_ROWS} more in the JSON report.`);
  }
  if (result.skipped.length > 0) {
    summary.details(
      `${result.skipped.length} file(s) not scanned or partly scanned`,
      result.skipped
        .slice(0, 50)
        .map((s) => `- ${escapeName(s.file)}: ${escapeName(s.reason)}`)
        .join('\n') +
        (result.skipped.length > 50 ? `\n- …and ${result.skipped.length - 50} more in the JSON report` : ''),
    );
  }
}

/** File names are data, not Markdown: every character Markdown could act on is escaped. */
function escapeName(text: string): string {
  return text
    .replace(/[\\`*_{}[\]()#|~]/g, (c) => `\\${c}`)
    .replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))
    .replace(/\r?\n/g, ' ');
}

/** The Live column: what the provider said, or that the kind is not checked. */
function verdictLabel(f: Finding): string {
  if (f.verified === true) return 'live';
  if (f.verified === false) return 'refused';
  if (f.verified === 'unknown') return 'unknown';
  return 'not checked';
}

function verdictNote(f: Finding): string {
  if (f.verified === true) return ' — verified live by its provider';
  if (f.verified === false) return ' — refused by its provider (revoked or invalid)';
  if (f.verified === 'unknown') return ' — live check gave no answer';
  return '';
}
