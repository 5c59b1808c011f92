import { builtinRules, SecretScanner, type Rule } from '@deploy-actions/secret-scan';
import { ruleExamples } from './rule-examples.js';
import { alnum, b64, j } from './token-samples.js';

function scanWith(rule: Rule, text: string, file = 'example.txt'): string[] {
  const scanner = new SecretScanner(
    { rules: [rule], allowlists: [], source: 'test' },
    {},
    new Set([rule.id]),
  );
  return scanner.scan({ file, data: Buffer.from(`${text}\n`) }).findings.map((f) => f.secret);
}

const rules = builtinRules();
const examples = ruleExamples();

describe('the built-in rule pack', () => {
  it('holds at least 120 rules with unique ids', () => {
    expect(rules.length).toBeGreaterThanOrEqual(120);
    expect(new Set(rules.map((r) => r.id)).size).toBe(rules.length);
  });

  it('has an example for every rule and no example for a rule it lacks', () => {
    expect(Object.keys(examples).sort()).toEqual(rules.map((r) => r.id).sort());
  });

  it('gives every rule with a regex at least one keyword, so the prefilter can skip lines', () => {
    expect(rules.filter((r) => r.regex && r.keywords.length === 0).map((r) => r.id)).toEqual([]);
  });
});

describe.each(rules.map((rule) => ({ id: rule.id, rule })))('rule $id', ({ id, rule }) => {
  const example = examples[id];

  it('reports its example token', () => {
    expect(scanWith(rule, example!.yes, example!.file)).toHaveLength(1);
  });

  it('stays quiet on the near miss', () => {
    let near = example!.no;
    if (near === undefined) {
      const [secret] = scanWith(rule, example!.yes, example!.file);
      near = example!.yes.replace(secret!, secret!.slice(0, 6));
    }
    expect(scanWith(rule, near, example!.file)).toEqual([]);
  });
});

// Credentials assigned in config files, one true example and near misses per shape (issue 16).
const configRule = rules.find((r) => r.id === 'generic-config-credential')!;
const pw = (): string => `${alnum(6)}#${alnum(3)}@${alnum(2)}!%`;
const configCases: [string, string, string][] = [
  // [file, a line that holds a credential, a near miss]
  ['deploy/app.env', `DB_PASS=${pw()}`, 'DB_PASS=changeme'],
  ['deploy/app.env', `RABBITMQ_DEFAULT_PASS="${pw()}"`, 'RABBITMQ_DEFAULT_PASS="${RABBITMQ_PASS}"'],
  ['.env.production', `export SMTP_PWD='${pw()}'`, "export SMTP_PWD=''"],
  ['.env', `APP_SECRET=${alnum(24)}`, 'APP_SECRET=<app-secret>'],
  ['.env', `SESSION_TOKEN=${alnum(28)}`, 'SESSION_TOKEN=xxxxxxxxxxxxxxxxxxxx'],
  ['.env', `ENCRYPTION_KEY=${alnum(32)}`, 'CACHE_KEY=user_session_cache'],
  ['.env', `APP_KEY=base64:${b64(43)}=`, 'SORT_KEY=created_at'],
  ['config/app.ini', `admin_pass = ${pw()}`, 'admin_pass = vault:secret/data/app#admin'],
  ['config/db.ini', `password = ${pw()} ; set by ops`, 'password = '],
  [
    'src/main/resources/application.properties',
    `spring.datasource.password=${pw()}`,
    'spring.datasource.password=${DB_PASSWORD}',
  ],
  ['conf/app.properties', `mail.smtp.pass=${pw()}`, 'mail.smtp.pass=op://infra/smtp/password'],
  ['values.yaml', `  rabbitmq_pass: ${pw()}`, '  rabbitmq_pass: "{{ .Values.rabbit.pass }}"'],
  [
    'compose.yml',
    `      POSTGRES_PASSWORD: "${pw()}"`,
    '      POSTGRES_PASSWORD_FILE: /run/secrets/pg_password',
  ],
  ['k8s/deploy.yaml', `  apiToken: ${alnum(30)}`, '  key: app.kubernetes.io/name'],
  [
    'config.toml',
    `api_secret = "${pw()}${alnum(4)}"`,
    'api_secret = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:prod-AbCdEf"',
  ],
  ['pyproject.toml', `signing_key = "${alnum(20)}#${alnum(4)}"`, 'signing_key_id = "release-2024"'],
  // Publishable keys are made to be public (Stripe pk_, PostHog phc_, Mapbox pk.): not a credential under any name.
  [
    'deploy/values.yaml',
    `PAYMENTS_SIGNING_KEY=${alnum(32)}`,
    `STRIPE_PUBLISHABLE_KEY=${j('pk', '_live_')}${alnum(99)}`,
  ],
  ['.env', `ANALYTICS_API_KEY=${alnum(40)}`, `POSTHOG_KEY=${j('ph', 'c_')}${alnum(43)}`],
  // A Kubernetes Secret's data: key named like a credential (GITLEAKS-PARITY.md, kubernetes-secret-yaml).
  [
    'k8s/secret.yaml',
    `  password: ${Buffer.from(pw()).toString('base64')}`,
    '  password_file: /etc/app/password',
  ],
];

describe('curl-auth-user', () => {
  const curlRule = rules.find((r) => r.id === 'curl-auth-user')!;
  it.each([
    'credentials in `curl -u user:pass` are reported',
    'curl -u admin:password https://localhost:8080/',
    'curl --user "$USER:$TOKEN" https://api.example.com',
  ])('stays quiet on documentation and variables: %s', (line) => {
    expect(scanWith(curlRule, line)).toEqual([]);
  });
});

describe('generic-config-credential', () => {
  it.each(configCases)('reports the credential in %s: %s', (file, yes) => {
    expect(scanWith(configRule, yes, file)).toHaveLength(1);
  });

  it.each(configCases)('stays quiet on the near miss in %s (%#)', (file, _yes, no) => {
    expect(scanWith(configRule, no, file)).toEqual([]);
  });

  it('runs only on config files, where NAME=value is configuration', () => {
    expect(scanWith(configRule, `DB_PASS=${pw()}`, 'src/app.ts')).toEqual([]);
  });
});
