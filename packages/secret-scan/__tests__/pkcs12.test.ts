import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '@deploy-actions/action-kit';
import {
  looksLikePkcs12,
  runSecretScan,
  sarifReport,
  type SecretScanResult,
} from '@deploy-actions/secret-scan';

// Committed PKCS#12 bundles (gitleaks' pkcs12-file). The .p12 is made by openssl at test
// time, never committed: the repository's own secret gate would (rightly) report it.
const root = fileURLToPath(new URL('../../..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'secret-scan-pkcs12-'));
const quiet: Logger = {
  info() {},
  notice() {},
  warning() {},
  error() {},
  debug() {},
  mask() {},
  group: (_title, fn) => fn(),
};
let p12: Buffer;
/** A DER certificate: binary ASN.1 too, but no key bundle (the near miss in bytes). */
let derCert: Buffer;

beforeAll(() => {
  // Worker threads (threads: 2 below) run the compiled package.
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', 'packages/secret-scan'], {
    cwd: root,
    stdio: 'pipe',
  });
  const keys = join(work, 'keys');
  mkdirSync(keys);
  const openssl = (...args: string[]): void => {
    execFileSync('openssl', args, { cwd: keys, stdio: 'pipe' });
  };
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    'key.pem',
    '-out',
    'cert.pem',
    '-subj',
    '/CN=pkcs12-test',
    '-days',
    '1',
  );
  openssl(
    'pkcs12',
    '-export',
    '-inkey',
    'key.pem',
    '-in',
    'cert.pem',
    '-out',
    'bundle.p12',
    '-passout',
    'pass:test-only',
  );
  openssl('x509', '-in', 'cert.pem', '-outform', 'DER', '-out', 'cert.der');
  p12 = readFileSync(join(keys, 'bundle.p12'));
  derCert = readFileSync(join(keys, 'cert.der'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

function writeFiles(dir: string, files: Record<string, string | Buffer>): void {
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args],
    {
      cwd,
      encoding: 'utf8',
    },
  ).trim();
}

function commitAll(cwd: string, message: string): string {
  git(cwd, 'add', '-A');
  git(cwd, 'commit', '-q', '-m', message);
  return git(cwd, 'rev-parse', 'HEAD');
}

const pkcs12Files = (r: SecretScanResult): string[] =>
  r.findings
    .filter((f) => f.ruleId === 'pkcs12-file')
    .map((f) => f.file)
    .sort();

describe('recognising a PKCS#12 file by its bytes', () => {
  it('takes the start of a real PFX (made by openssl) for PKCS#12', () => {
    expect(looksLikePkcs12(p12)).toBe(true);
  });

  it('does not take a DER certificate, a PEM text or an empty file for PKCS#12', () => {
    expect(looksLikePkcs12(derCert)).toBe(false);
    expect(looksLikePkcs12(Buffer.from(`-----BEGIN CERTIFICATE-----\n${'A'.repeat(64)}\n`))).toBe(false);
    expect(looksLikePkcs12(Buffer.alloc(0))).toBe(false);
  });
});

describe('a committed .p12 / .pfx', () => {
  const files = (): Record<string, string | Buffer> => ({
    'certs/client.p12': p12,
    'certs/Server.PFX': p12,
    // Near misses: a text file named .p12, a DER certificate named .pfx, a PKCS#12 under another name.
    'docs/readme.p12': 'Notes about the client certificate; the bundle itself lives in the vault.\n',
    'certs/ca.pfx': derCert,
    'certs/bundle.bin': p12,
  });

  it('is a finding in tree mode, by name and content; the near misses are not', async () => {
    const dir = join(work, 'tree');
    writeFiles(dir, files());
    const result = await runSecretScan({ path: dir, mode: 'tree', threads: 1 }, quiet);
    expect(pkcs12Files(result)).toEqual(['certs/Server.PFX', 'certs/client.p12']);
    expect(result.skipped.map((s) => s.file).sort()).toEqual(['certs/bundle.bin', 'certs/ca.pfx']);
    expect(result.findings.filter((f) => f.ruleId !== 'pkcs12-file')).toEqual([]);
  });

  it('gives the same findings on worker threads', async () => {
    const dir = join(work, 'tree');
    const one = await runSecretScan({ path: dir, mode: 'tree', threads: 1 }, quiet);
    const many = await runSecretScan({ path: dir, mode: 'tree', threads: 2 }, quiet);
    expect(many.findings).toEqual(one.findings);
  });

  it('is named in the SARIF report as a secret, with its description', async () => {
    const result = await runSecretScan({ path: join(work, 'tree'), mode: 'tree', threads: 1 }, quiet);
    const sarif = sarifReport({ ...result, rules: result.ruleSet.rules }) as {
      runs: {
        tool: {
          driver: {
            rules: { id: string; shortDescription: { text: string }; properties: Record<string, unknown> }[];
          };
        };
      }[];
    };
    const rule = sarif.runs[0]!.tool.driver.rules.find((r) => r.id === 'pkcs12-file')!;
    expect(rule.shortDescription.text).toMatch(/PKCS#12/);
    expect(rule.properties['security-severity']).toBe('9.0');
  });

  it('is a finding in history mode, at the commit that added it', async () => {
    const repo = join(work, 'history');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    writeFiles(repo, { 'README.md': 'app\n' });
    commitAll(repo, 'start');
    writeFiles(repo, files());
    const added = commitAll(repo, 'add certificates');
    // A later commit that only deletes it does not report it again.
    rmSync(join(repo, 'certs/client.p12'));
    commitAll(repo, 'remove the client bundle');
    const result = await runSecretScan({ path: repo, mode: 'history', threads: 1 }, quiet);
    const found = result.findings.filter((f) => f.ruleId === 'pkcs12-file');
    expect(found.map((f) => [f.file, f.commit]).sort()).toEqual([
      ['certs/Server.PFX', added],
      ['certs/client.p12', added],
    ]);
    expect(result.findings.filter((f) => f.ruleId !== 'pkcs12-file')).toEqual([]);
  });

  it('is a finding in diff mode when the change adds one, even where .gitattributes hides its diff', async () => {
    const repo = join(work, 'diff');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    writeFiles(repo, { 'README.md': 'app\n', '.gitattributes': '*.p12 -diff\n' });
    const base = commitAll(repo, 'start');
    writeFiles(repo, { 'deploy/signing.p12': p12, 'deploy/notes.p12': 'rotate yearly\n' });
    const head = commitAll(repo, 'add the signing bundle');
    const result = await runSecretScan({ path: repo, mode: 'diff', base, head, threads: 1 }, quiet);
    expect(result.findings.map((f) => [f.ruleId, f.file, f.commit])).toEqual([
      ['pkcs12-file', 'deploy/signing.p12', head],
    ]);
  });
});
