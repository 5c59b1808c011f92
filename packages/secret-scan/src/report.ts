import { PKCS12_RULE } from './pkcs12.js';
import { isStrongSecret, runSecretId } from './redact.js';
import type { Finding, Rule, SkippedFile } from './types.js';

const TOOL_NAME = 'secret-scan-gate';
const TOOL_VERSION = '0.1.0';
const INFO_URI =
  'https://github.com/deploy-actions/deploy-actions/blob/main/docs/actions/secret-scan-gate.md';

export interface ReportContext {
  /** Prefix for SARIF uris: the scanned path relative to the repository root (`svc/`), or ''. */
  uriPrefix?: string;
  mode: string;
  target: string;
  findings: readonly Finding[];
  accepted: number;
  skipped: readonly SkippedFile[];
  stats: { files: number; bytes: number; commits: number; durationMs: number };
  rules: readonly Pick<Rule, 'id' | 'description'>[];
  /** Present when `verify: true` ran: what the live checks found. */
  verification?: { checked: number; live: number; refused: number; unknown: number };
}

/** The JSON report: everything about each finding except the secret itself. */
export function jsonReport(ctx: ReportContext): object {
  return {
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    mode: ctx.mode,
    target: ctx.target,
    stats: ctx.stats,
    accepted: ctx.accepted,
    ...(ctx.verification ? { verification: ctx.verification } : {}),
    findings: ctx.findings.map((f) => ({
      ruleId: f.ruleId,
      description: f.description,
      file: f.file,
      line: f.line,
      column: f.column,
      ...(f.commit ? { commit: f.commit } : {}),
      redacted: f.redacted,
      // For a long random token a prefix, its entropy and 64 bits of its hash reveal nothing
      // usable, and match a baseline. A short or low-entropy value gets none of them: its
      // fingerprint names its place instead, and `secretId` (a keyed hash with a key that
      // lives only for this run) only tells which findings are the same value.
      ...(f.secret && isStrongSecret(f.secret) ? { entropy: f.entropy } : {}),
      ...(f.secret ? { secretId: runSecretId(f.secret) } : {}),
      fingerprint: f.fingerprint,
      // true: the provider accepted it (live); false: refused; "unknown": no verdict.
      ...(f.verified !== undefined ? { verified: f.verified } : {}),
    })),
    skipped: ctx.skipped,
  };
}

const HYGIENE_RULES: Pick<Rule, 'id' | 'description'>[] = [
  { id: 'committed-dotenv', description: 'A .env file is committed' },
  { id: 'docker-context-includes-env', description: 'A Docker build context lets .env in' },
  { id: 'not-fully-scanned', description: 'Part of the input was not scanned' },
  {
    id: 'scan-config-changed',
    description: 'A change to the files that decide what the secret scan ignores',
  },
];

/** SARIF 2.1.0 for GitHub code scanning: one result per finding, uri relative to the scanned path. */
export function sarifReport(ctx: ReportContext): object {
  const used = [...new Set(ctx.findings.map((f) => f.ruleId))];
  const known = new Map([...ctx.rules, ...HYGIENE_RULES, PKCS12_RULE].map((r) => [r.id, r]));
  const rules = used.map((id) => {
    const rule = known.get(id);
    const description = rule?.description ?? id;
    const hygiene = HYGIENE_RULES.some((r) => r.id === id);
    return {
      id,
      name: id.replace(/(^|-)(\w)/g, (_m, _d: string, c: string) => c.toUpperCase()),
      shortDescription: { text: description },
      fullDescription: {
        text: hygiene ? description : `${description}: a credential committed to the repository.`,
      },
      help: {
        text: hygiene
          ? 'Keep .env files out of git and out of Docker build contexts.'
          : 'Revoke the credential at its provider, then remove it from the code and load it from a secret store. Rewriting history does not un-leak it.',
      },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', hygiene ? 'deploy-hygiene' : 'secret'],
        precision: 'high',
        'security-severity': hygiene ? '6.5' : '9.0',
      },
    };
  });
  const index = new Map(used.map((id, i) => [id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: TOOL_NAME, semanticVersion: TOOL_VERSION, informationUri: INFO_URI, rules } },
        results: ctx.findings.map((f) => ({
          ruleId: f.ruleId,
          ruleIndex: index.get(f.ruleId),
          level: 'error',
          message: { text: f.redacted ? `${f.description}: ${f.redacted}` : f.description },
          locations: [
            {
              physicalLocation: {
                artifactLocation: {
                  uri: encodeUri(joinUri(ctx.uriPrefix ?? '', f.file)),
                  uriBaseId: '%SRCROOT%',
                },
                region: { startLine: Math.max(1, f.line), startColumn: Math.max(1, f.column) },
              },
            },
          ],
          partialFingerprints: { 'secretScan/v1': f.fingerprint },
          ...(f.commit || f.verified !== undefined
            ? {
                properties: {
                  ...(f.commit ? { commit: f.commit } : {}),
                  ...(f.verified !== undefined ? { verified: f.verified } : {}),
                },
              }
            : {}),
        })),
      },
    ],
  };
}

function joinUri(prefix: string, file: string): string {
  if (!prefix || prefix === '.') return file;
  if (file === '.') return prefix.replace(/\/+$/, '');
  return `${prefix.replace(/\/+$/, '')}/${file}`;
}

function encodeUri(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}
