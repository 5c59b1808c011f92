import { existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { InputReader } from '@deploy-actions/action-kit';
import { eventRange, type ScanMode } from '@deploy-actions/secret-scan';

const MODES = ['auto', 'diff', 'history', 'tree'] as const;
const FAIL_ON = ['any', 'none', 'verified'] as const;

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
  /** Live validity checks of supported findings (`verify`), within `verifyTimeoutMs`. */
  verify: boolean;
  verifyTimeoutMs: number;
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
  const verify = inputs.boolean('verify', { default: false });
  const verifyTimeoutMs = inputs.duration('verify-timeout', { default: '10s', min: 1 });
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
    verify,
    verifyTimeoutMs,
  };
  inputs.check(
    failOn !== 'verified' || verify,
    'fail-on',
    "'verified' fails only on secrets a live check found valid, so it needs verify: true. Set verify: true, or use fail-on: any.",
  );
  inputs.check(
    existsSync(path) && statSync(path).isDirectory(),
    'path',
    `'${inputs.raw('path') || '.'}' is not a directory. Point it at the checked-out repository.`,
  );
  if (settings.config)
    inputs.check(
      existsSync(settings.config),
      'config',
      `${settings.config} does not exist. Give the path of a .gitleaks.toml-style file, or leave it empty.`,
    );
  if (settings.baseline)
    inputs.check(
      existsSync(settings.baseline),
      'baseline',
      `${settings.baseline} does not exist. Pass the report-file of an earlier run.`,
    );
  if (mode === 'diff' && !base) {
    let fromEvent: string | undefined;
    try {
      fromEvent = eventRange(settings).base;
    } catch {
      fromEvent = undefined;
    }
    inputs.check(
      fromEvent !== undefined,
      'base',
      'diff mode needs a base commit: set base (and head), or run on a pull_request or push event.',
    );
  }
  return settings;
}
