import {
  builtinRules,
  defaultRuleSet,
  KeywordHits,
  KeywordIndex,
  SecretScanner,
  translateGoRegex,
  loadGitleaksConfig,
  AcceptedFindings,
  dockerignoreExcludesEnv,
  isCommittedEnvName,
  redact,
} from '@deploy-actions/secret-scan';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { alnum, j } from './token-samples.js';

const builtinIds = new Set(builtinRules().map((r) => r.id));
const scanner = new SecretScanner(defaultRuleSet(), {}, builtinIds);
const scan = (text: string, file = 'app/config.txt') =>
  scanner.scan({ file, data: Buffer.from(text) }).findings;
const ghToken = () => j('gh', 'p_', alnum(36));

describe('KeywordIndex', () => {
  it('reports every keyword occurrence with its line, ignoring ASCII case', () => {
    const hits = new KeywordHits();
    new KeywordIndex(['he', 'she', 'hers']).scan(Buffer.from('x\nuSHErs\nhe'), hits);
    const seen = Array.from({ length: hits.count }, (_, i) => [
      hits.keyword[i],
      hits.line[i],
      hits.lineStart[i],
    ]);
    expect(seen).toEqual([
      [1, 1, 2],
      [0, 1, 2],
      [2, 1, 2],
      [0, 2, 9],
    ]);
  });
});

describe('SecretScanner', () => {
  it('reports the line and column of a token', () => {
    const [f] = scan(`a\nb\n  token: ${ghToken()}\n`);
    expect(f).toMatchObject({ ruleId: 'github-pat', line: 3, column: 10 });
  });

  it('skips a line marked gitleaks:allow or secret-scan:allow', () => {
    expect(scan(`t = ${ghToken()} # gitleaks:allow\nu = ${ghToken()} // secret-scan:allow\n`)).toEqual([]);
  });

  it('reports a specific rule instead of the generic one for the same secret', () => {
    expect(scan(`api_token = "${ghToken()}"`).map((f) => f.ruleId)).toEqual(['github-pat']);
  });

  it('does not take code assigned to a secret-like name for a secret', () => {
    const code = [
      'const token = tokenOrFileId;',
      'exports.RSAPrivateKey = RSAPrivateKey;',
      'type OpeningParenToken = OpeningParenToken$1;',
      'const password = result.groups?.password;',
      'const hasToken = !!node.exclamationToken;',
      'withCredentials: kEnumerableProperty',
      ' * const apiToken = "abc123xyz456";',
    ];
    expect(scan(code.join('\n'))).toEqual([]);
  });

  it('still reports a random value assigned to a secret-like name', () => {
    expect(scan(`const apiToken = "${alnum(24)}";`).map((f) => f.ruleId)).toEqual(['generic-secret']);
  });

  it('finds a token on a very long line by looking around its keyword', () => {
    const [f] = scan(`${'a=1;'.repeat(50_000)}x="${ghToken()}";${'b=2;'.repeat(50_000)}`);
    expect(f?.ruleId).toBe('github-pat');
  });

  it('maps findings in added diff lines to their real line numbers', () => {
    const f = scanner.scan({
      file: 'a.env',
      data: Buffer.from(`x\nT=${ghToken()}`),
      commit: 'abc',
      lineNumbers: [10, 42],
    }).findings[0];
    expect(f).toMatchObject({ line: 42, commit: 'abc' });
  });

  it('stops a file that runs over its time budget and says so', () => {
    const slow = new SecretScanner(defaultRuleSet(), { fileTimeBudgetMs: 0 }, builtinIds);
    const text = Array.from({ length: 200 }, () => `password = "${alnum(20)}"`).join('\n');
    expect(slow.scan({ file: 'x', data: Buffer.from(text) }).truncated).toMatch(/time budget/);
  });

  it('keeps no more than four characters of a long random secret when redacting, and none of a short one', () => {
    const token = ghToken();
    expect(redact(token)).toBe(`${token.slice(0, 4)}…(40 chars)`);
    expect(redact('abcdefg')).toBe('…(short or low-entropy value, not shown)');
  });
});

describe('translateGoRegex', () => {
  it('turns a leading (?i) into the i flag', () => {
    expect(translateGoRegex('(?i)secret').test('SECRET')).toBe(true);
  });

  it('makes only the part after a mid-pattern (?i) case-insensitive', () => {
    const r = translateGoRegex('Key(?i)abc');
    expect(r.test('KeyABC')).toBe(true);
    expect(r.test('keyabc')).toBe(false);
  });

  it('translates (?P<name>, \\z and POSIX classes', () => {
    const r = translateGoRegex('(?P<tok>[[:digit:]]+)\\z');
    expect(r.exec('ab 123')?.groups?.['tok']).toBe('123');
    expect(r.test('123 x')).toBe(false);
  });

  it('refuses possessive quantifiers and atomic groups', () => {
    expect(() => translateGoRegex('a++')).toThrow(/possessive/);
    expect(() => translateGoRegex('(?>ab)')).toThrow(/atomic/);
  });
});

describe('loadGitleaksConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gitleaks-config-'));
  const write = (name: string, text: string): string => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };

  it('adds custom rules to the defaults with [extend] useDefault', () => {
    const set = loadGitleaksConfig(
      write(
        'a.toml',
        `[extend]\nuseDefault = true\n[[rules]]\nid = "acme"\nregex = '''acme_[a-z0-9]{16}'''\nkeywords = ["acme_"]\n`,
      ),
    );
    expect(set.rules.some((r) => r.id === 'acme')).toBe(true);
    expect(set.rules.length).toBe(builtinRules().length + 1);
  });

  it('uses only the file rules without [extend]', () => {
    const set = loadGitleaksConfig(
      write('b.toml', `[[rules]]\nid = "acme"\nregex = '''(?i)acme_[a-z0-9]{16}'''\n`),
    );
    expect(set.rules.map((r) => r.id)).toEqual(['acme']);
  });

  it('applies global allowlist stopwords and rule allowlist regexes', () => {
    const file = write(
      'c.toml',
      `[extend]\nuseDefault = true\n[allowlist]\nstopwords = ["fixture"]\n[[rules]]\nid = "acme"\nregex = '''acme_[a-z]+'''\nkeywords = ["acme_"]\n[[rules.allowlists]]\nregexes = ['''^acme_test''']\n`,
    );
    const s = new SecretScanner(loadGitleaksConfig(file));
    const found = s
      .scan({ file: 'x', data: Buffer.from('acme_prod\nacme_testing\nacme_fixtureabc\n') })
      .findings.map((f) => f.secret);
    expect(found).toEqual(['acme_prod']);
  });

  it('runs a rule without keywords on every line, long lines in windows', () => {
    const file = write('e.toml', `[[rules]]\nid = "internal"\nregex = '''INT-[0-9]{8}'''\n`);
    const s = new SecretScanner(loadGitleaksConfig(file));
    const text = `a\nb INT-12345678\n${'x'.repeat(20_000)} INT-87654321 ${'y'.repeat(20_000)}\n`;
    const found = s.scan({ file: 'x', data: Buffer.from(text) }).findings.map((f) => [f.line, f.column]);
    expect(found).toEqual([
      [2, 3],
      [3, 20_002],
    ]);
  });

  it('names the rule whose regex cannot be translated', () => {
    const file = write('d.toml', `[[rules]]\nid = "bad-one"\nregex = '''a++'''\n`);
    expect(() => loadGitleaksConfig(file)).toThrow(/rule 'bad-one': regex: possessive/);
  });
});

describe('accepted findings', () => {
  it('matches both our fingerprints and gitleaks commit:file:rule:line entries', () => {
    const [f] = scanner.scan({
      file: 'a.txt',
      data: Buffer.from(ghToken()),
      commit: 'deadbeefcafe',
    }).findings;
    const ours = new AcceptedFindings();
    ours.addIgnoreFile(`# accepted\n${f!.fingerprint}\n`);
    const theirs = new AcceptedFindings();
    theirs.addIgnoreFile('deadbeefcafe:a.txt:github-pat:1\n');
    const other = new AcceptedFindings();
    other.addIgnoreFile('deadbeefcafe:a.txt:github-pat:2\n');
    expect([ours.has(f!), theirs.has(f!), other.has(f!)]).toEqual([true, true, false]);
  });
});

describe('deploy hygiene', () => {
  it('treats .env and .env.production as committed secrets files, not .env.example', () => {
    expect(
      ['.env', 'app/.env.production', '.env.example', '.env.sample', '.env.template'].map(isCommittedEnvName),
    ).toEqual([true, true, false, false, false]);
  });

  it('reads .dockerignore the way Docker does, later lines winning', () => {
    expect(dockerignoreExcludesEnv('node_modules\n.env\n')).toBe(true);
    expect(dockerignoreExcludesEnv('*.env\n')).toBe(true);
    expect(dockerignoreExcludesEnv('**/.env*\n')).toBe(true);
    expect(dockerignoreExcludesEnv('.env\n!.env\n')).toBe(false);
    expect(dockerignoreExcludesEnv('node_modules\n')).toBe(false);
  });
});
