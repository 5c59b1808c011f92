import type { SecretScanner } from './scanner.js';

/**
 * A labelled corpus for measuring precision and recall. Secrets follow the
 * providers' published formats with random bodies; decoys are what real code is
 * full of (ids, hashes, digests, base64 data, placeholders, references to secret
 * stores, publishable keys, documentation examples). The decoys are written
 * from what appears in repositories, not from the rules, so the numbers say how
 * the scanner does on text it was not tuned to. Tokens are assembled at run time,
 * so this file itself holds none.
 */
export interface CorpusItem {
  kind: string;
  secret: boolean;
  file: string;
  /** 0-based first and last line of the item in its file. */
  startLine: number;
  endLine: number;
}

export interface LabelledCorpus {
  files: { path: string; text: string }[];
  items: CorpusItem[];
}

export interface CorpusScore {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  precision: number;
  recall: number;
  missedKinds: Record<string, number>;
  falseAlarmKinds: Record<string, number>;
}

type Random = () => number;

function mulberry32(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const ALNUM = LOWER + UPPER + DIGITS;
const HEXS = '0123456789abcdef';
const B64 = `${ALNUM}+/`;
const B64URL = `${ALNUM}-_`;
const BASE32 = `${UPPER}234567`;

class Gen {
  constructor(readonly rnd: Random) {}
  int(min: number, max: number): number {
    return min + Math.floor(this.rnd() * (max - min + 1));
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)]!;
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.rnd() * alphabet.length)];
    return s;
  }
  uuid(): string {
    const h = (n: number): string => this.chars(HEXS, n);
    return `${h(8)}-${h(4)}-4${h(3)}-${this.pick(['8', '9', 'a', 'b'])}${h(3)}-${h(12)}`;
  }
  password(): string {
    // What people generate with password managers: mixed classes, 14–24 characters.
    return this.chars(`${ALNUM}!#%^*_+-=.~`, this.int(14, 24));
  }
}

const j = (...parts: string[]): string => parts.join('');

/** Lines that belong to one kind of file (config assignments): [kind, line(s), file they are written into]. */
type Entry = [string, (g: Gen) => string[], string?];

/** Real-format secrets, each a function of the generator: [kind, line(s)]. */
const SECRETS: Entry[] = [
  ['aws-key-id', (g) => [`aws_access_key_id = ${j('AK', 'IA', g.chars(BASE32, 16))}`]],
  ['aws-secret', (g) => [`aws_secret_access_key = ${g.chars(B64, 40)}`]],
  ['github-classic', (g) => [`GITHUB_TOKEN=${j('gh', 'p_', g.chars(ALNUM, 36))}`]],
  ['github-fine-grained', (g) => [`  token: ${j('github', '_pat_', g.chars(ALNUM, 22), '_', g.chars(ALNUM, 59))}`]],
  ['github-app', (g) => [`const installationToken = "${j('gh', 's_', g.chars(ALNUM, 36))}";`]],
  ['gitlab', (g) => [`GITLAB_TOKEN: "${j('gl', 'pat-', g.chars(B64URL, 20))}"`]],
  ['slack-bot', (g) => [`SLACK_BOT_TOKEN=${j('xo', 'xb-', g.chars(DIGITS, 11), '-', g.chars(DIGITS, 13), '-', g.chars(ALNUM, 24))}`]],
  ['slack-webhook', (g) => [`webhook_url: ${j('https://hooks.', 'slack.com/services/T', g.chars(UPPER + DIGITS, 10), '/B', g.chars(UPPER + DIGITS, 10), '/', g.chars(ALNUM, 24))}`]],
  ['stripe-live', (g) => [`stripe.api_key = "${j('sk', '_live_', g.chars(ALNUM, g.int(24, 99)))}"`]],
  ['stripe-restricted', (g) => [`STRIPE_KEY=${j('rk', '_live_', g.chars(ALNUM, 99))}`]],
  ['twilio-key', (g) => [`client = Client("${j('S', 'K', g.chars(HEXS, 32))}", secret)`]],
  ['sendgrid', (g) => [`SENDGRID_API_KEY='${j('S', 'G.', g.chars(B64URL, 22), '.', g.chars(B64URL, 43))}'`]],
  ['mailgun', (g) => [`mailgun_key: ${j('ke', 'y-', g.chars(HEXS, 32))}`]],
  ['npm', (g) => [`//registry.npmjs.org/:_authToken=${j('np', 'm_', g.chars(ALNUM, 36))}`]],
  ['pypi', (g) => [`password = ${j('py', 'pi-AgEIcHlwaS5vcmc', g.chars(B64URL, 120))}`]],
  ['dockerhub', (g) => [`echo ${j('dc', 'kr_pat_', g.chars(B64URL, 27))} | docker login -u ci --password-stdin`]],
  ['nuget', (g) => [`dotnet nuget push pkg.nupkg --api-key ${j('oy', '2', g.chars(LOWER + DIGITS, 43))}`]],
  ['telegram', (g) => [`BOT_TOKEN = "${g.chars(DIGITS.slice(1), 1)}${g.chars(DIGITS, 9)}:${j('A', 'A', g.chars(B64URL, 33))}"`]],
  ['openai', (g) => [`OPENAI_API_KEY=${j('sk', '-proj-', g.chars(B64URL, 74), 'T3Blbk', 'FJ', g.chars(B64URL, 74))}`]],
  ['anthropic', (g) => [`client = Anthropic(api_key="${j('sk', '-ant-api03-', g.chars(B64URL, 93), 'AA')}")`]],
  ['huggingface', (g) => [`HF_TOKEN: ${j('h', 'f_', g.chars(LOWER + UPPER, 34))}`]],
  ['cloudflare', (g) => [`CLOUDFLARE_API_TOKEN=${g.chars(B64URL, 40)}`]],
  ['azure-storage', (g) => [`"ConnectionString": "DefaultEndpointsProtocol=https;AccountName=prod${g.chars(LOWER, 6)};${j('Account', 'Key=', g.chars(B64, 86), '==')};EndpointSuffix=core.windows.net"`]],
  ['gcp', (g) => [`const firebaseConfig = { apiKey: "${j('AI', 'za', g.chars(B64URL, 35))}" };`]],
  ['digitalocean', (g) => [`DIGITALOCEAN_TOKEN=${j('do', 'p_v1_', g.chars(HEXS, 64))}`]],
  ['shopify', (g) => [`SHOPIFY_ACCESS_TOKEN: ${j('sh', 'pat_', g.chars(HEXS, 32))}`]],
  ['databricks', (g) => [`token = ${j('da', 'pi', g.chars(HEXS, 32))}`]],
  ['vault', (g) => [`export VAULT_TOKEN=${j('hv', 's.', g.chars(B64URL, 91))}`]],
  ['newrelic', (g) => [`newrelic_api_key = "${j('NR', 'AK-', g.chars(UPPER + DIGITS, 27))}"`]],
  ['sentry', (g) => [`SENTRY_AUTH_TOKEN=${j('sn', 'tryu_', g.chars(HEXS, 64))}`]],
  ['postman', (g) => [`x-api-key: ${j('PM', 'AK-', g.chars(HEXS, 24), '-', g.chars(HEXS, 34))}`]],
  ['linear', (g) => [`LINEAR_API_KEY=${j('lin', '_api_', g.chars(ALNUM, 40))}`]],
  ['groq', (g) => [`GROQ_API_KEY = "${j('gs', 'k_', g.chars(ALNUM, 52))}"`]],
  ['private-key', (g) => {
    const body = Array.from({ length: g.int(8, 25) }, () => g.chars(B64, 64));
    return [j('-----BEGIN ', 'RSA PRIVATE', ' KEY-----'), ...body, j('-----END ', 'RSA PRIVATE', ' KEY-----')];
  }],
  ['openssh-key', (g) => {
    const body = Array.from({ length: g.int(5, 12) }, () => g.chars(B64, 70));
    return [j('-----BEGIN ', 'OPENSSH PRIVATE', ' KEY-----'), ...body, j('-----END ', 'OPENSSH PRIVATE', ' KEY-----')];
  }],
  ['jwt', (g) => {
    const enc = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
    const token = `${enc({ alg: 'HS256', typ: 'JWT' })}.${enc({ sub: g.uuid(), iat: g.int(1.6e9, 1.8e9) })}.${g.chars(B64URL, 43)}`;
    return [`Authorization: Bearer ${token}`];
  }],
  ['postgres-url', (g) => [`DATABASE_URL=postgres://app_${g.chars(LOWER, 4)}:${g.password().replace(/[#%]/g, 'q')}@db.internal:5432/app`]],
  ['mongodb-url', (g) => [`MONGO_URI="mongodb+srv://admin:${g.chars(ALNUM, 16)}@cluster0.${g.chars(LOWER, 5)}.mongodb.net/prod"`]],
  ['redis-url', (g) => [`  url: redis://default:${g.chars(ALNUM, 24)}@cache:6379/0`]],
  ['generic-password', (g) => [`DB_PASSWORD=${g.password()}`]],
  ['generic-yaml-secret', (g) => [`  client_secret: "${g.chars(ALNUM, 32)}"`]],
  ['generic-api-key', (g) => [`api_key = '${g.chars(HEXS, 32)}'`]],
  ['generic-json-token', (g) => [`  "authToken": "${g.chars(B64URL, 40)}",`]],
  ['atlassian', (g) => [`JIRA_API_TOKEN=${j('ATA', 'TT3xFfGF0', g.chars(B64URL, 180), '=', g.chars(HEXS, 8))}`]],
  ['age', (g) => [j('AGE-SECRET', '-KEY-1', g.chars('QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L', 58))]],
  // Credentials assigned in config files: the names people use, values with punctuation.
  ['config-env-pass', (g) => [`${g.pick(['DB', 'RABBITMQ', 'SMTP', 'REDIS', 'LDAP_BIND'])}_PASS=${g.password()}`], 'deploy/app.env'],
  ['config-env-pwd-quoted', (g) => [`MAIL_PWD="${g.password()}"`], '.env.production'],
  ['config-env-secret', (g) => [`APP_SECRET=${g.chars(ALNUM, g.int(20, 40))}`], 'deploy/app.env'],
  ['config-env-key', (g) => [`ENCRYPTION_KEY=${g.chars(ALNUM, 32)}`], '.env.production'],
  ['config-env-token', (g) => [`export WEBHOOK_TOKEN='${g.chars(ALNUM, 30)}'`], 'deploy/app.env'],
  ['config-ini-pass', (g) => [`admin_pass = ${g.password()}`], 'config/app.ini'],
  ['config-properties-password', (g) => [`spring.datasource.password=${g.password()}`], 'conf/application.properties'],
  ['config-properties-pass', (g) => [`mail.smtp.pass=${g.password()}`], 'conf/application.properties'],
  ['config-yaml-pass', (g) => [`  rabbitmq_pass: "${g.password()}"`], 'deploy/values.yaml'],
  ['config-yaml-compose-password', (g) => [`      MYSQL_ROOT_PASSWORD: ${g.password()}`], 'compose.yml'],
  ['config-toml-secret', (g) => [`api_secret = "${g.password()}"`], 'config/app.toml'],
];

/** Look-alikes from everyday repositories. None is a secret. */
const DECOYS: Entry[] = [
  ['uuid-id', (g) => [`  "id": "${g.uuid()}",`]],
  ['uuid-request', (g) => [`request_id = "${g.uuid()}"`]],
  ['git-sha', (g) => [`commit: ${g.chars(HEXS, 40)}`]],
  ['sha256sum', (g) => [`${g.chars(HEXS, 64)}  release-${g.int(1, 9)}.${g.int(0, 20)}.tar.gz`]],
  ['image-digest', (g) => [`image: registry.example.com/app@sha256:${g.chars(HEXS, 64)}`]],
  ['integrity', (g) => [`      "integrity": "sha512-${g.chars(B64, 86)}==",`]],
  ['etag', (g) => [`ETag: "${g.chars(HEXS, 32)}"`]],
  ['base64-image', (g) => [`background: url(data:image/png;base64,${g.chars(B64, 300)});`]],
  ['base64-blob', (g) => [`  payload: ${g.chars(B64, 120)}==`]],
  ['cache-key', (g) => [`key: deps-\${{ runner.os }}-${g.chars(HEXS, 40)}`]],
  ['placeholder-changeme', () => [`DB_PASSWORD=changeme`]],
  ['placeholder-angle', (g) => [`API_KEY=<your-${g.pick(['api', 'stripe', 'openai'])}-key>`]],
  ['placeholder-env-ref', (g) => [`password: \${${g.pick(['DB_PASSWORD', 'POSTGRES_PASSWORD', 'REDIS_PASS'])}}`]],
  ['placeholder-actions-secret', (g) => [`          token: \${{ secrets.${g.pick(['NPM_TOKEN', 'DEPLOY_KEY', 'GITHUB_TOKEN'])} }}`]],
  ['placeholder-xxxx', (g) => [`AWS_SECRET_ACCESS_KEY=${'x'.repeat(g.int(20, 40))}`]],
  ['placeholder-stars', () => [`password = "********"`]],
  ['placeholder-your', () => [`api_key = "YOUR_API_KEY_HERE"`]],
  ['docs-example-aws', () => [`aws_access_key_id = ${j('AKIAIOSFODNN7', 'EXAMPLE')}`]],
  ['docs-example-aws-secret', () => [`aws_secret_access_key = ${j('wJalrXUtnFEMI/K7MDENG/', 'bPxRfiCYEXAMPLEKEY')}`]],
  ['prefix-only-placeholder', (g) => [`GITHUB_TOKEN=${j('gh', 'p_')}${'X'.repeat(36 + g.int(0, 0))}`]],
  ['env-lookup-python', (g) => [`password = os.environ["${g.pick(['DB_PASSWORD', 'SECRET_KEY'])}"]`]],
  ['env-lookup-node', () => [`const token = process.env.NPM_TOKEN;`]],
  ['config-lookup', () => [`api_key = settings.get("api_key")`]],
  ['function-call', () => [`secret = load_secret_from_vault(path)`]],
  ['identifier', () => [`password_hash = bcrypt.hashpw(password.encode(), bcrypt.gensalt())`]],
  ['dom', () => [`const passwordField = document.getElementById('password');`]],
  ['type-annotation', () => [`  token: string;`]],
  ['prose', () => [`# The access token expires after one hour; request a new one with the refresh token.`]],
  ['public-key-pem', (g) => [`-----BEGIN PUBLIC KEY-----`, g.chars(B64, 64), g.chars(B64, 64), `-----END PUBLIC KEY-----`]],
  ['ssh-public-key', (g) => [`ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${g.chars(B64, 43)} deploy@ci`]],
  ['stripe-publishable', (g) => [`STRIPE_PUBLISHABLE_KEY=${j('pk', '_live_', g.chars(ALNUM, 99))}`]],
  ['url-no-password', (g) => [`DATABASE_URL=postgres://app@db.internal:5432/${g.chars(LOWER, 6)}`]],
  ['url-password-ref', () => [`DATABASE_URL=postgres://app:\${DB_PASSWORD}@db:5432/app`]],
  ['version', (g) => [`version = "${g.int(0, 9)}.${g.int(0, 30)}.${g.int(0, 99)}"`]],
  ['ip', (g) => [`BIND_IP=10.${g.int(0, 255)}.${g.int(0, 255)}.${g.int(1, 254)}`]],
  ['hex-color-list', (g) => [`colors = ["#${g.chars(HEXS, 6)}", "#${g.chars(HEXS, 6)}"]`]],
  ['trace-id', (g) => [`trace_id=${g.chars(HEXS, 32)} span_id=${g.chars(HEXS, 16)}`]],
  ['nonce', (g) => [`<script nonce="${g.chars(B64, 24)}">`]],
  ['go-sum', (g) => [`github.com/${g.chars(LOWER, 6)}/${g.chars(LOWER, 5)} v1.${g.int(0, 9)}.0 h1:${g.chars(B64, 43)}=`]],
  ['test-password-short', () => [`password = "test"`]],
  ['random-word-secret', (g) => [`secret_name = "${g.pick(['prod-db', 'api-gateway', 'payments'])}-credentials"`]],
  ['k8s-secret-ref', () => [`            secretKeyRef: { name: app-secrets, key: DATABASE_PASSWORD }`]],
  ['slack-channel-id', (g) => [`channel: C${g.chars(UPPER + DIGITS, 10)}`]],
  ['bcrypt-hash', (g) => [`  password_hash: "$2b$12$${g.chars(`${ALNUM}./`, 53)}"`]],
  ['sops-encrypted', (g) => [`    password: ENC[AES256_GCM,data:${g.chars(B64, 24)},iv:${g.chars(B64, 43)}=,tag:${g.chars(B64, 22)}==,type:str]`]],
  ['sealed-secret', (g) => [`    DB_PASSWORD: AgB${g.chars(B64, 300)}==`]],
  ['ansible-vault', () => [`db_password: !vault |`, `          $ANSIBLE_VAULT;1.1;AES256`]],
  ['erb-env', () => [`  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>`]],
  ['terraform-var', () => [`  password = var.db_password`]],
  ['terraform-resource', () => [`  password = random_password.db.result`]],
  ['helm-value', () => [`  token: {{ .Values.auth.token | quote }}`]],
  ['csrf-template', () => [`<input name="csrf_token" value="{{ csrf_token() }}">`]],
  ['token-type', () => [`  "token_type": "Bearer",`]],
  ['account-sid', (g) => [`account_sid = "AC${g.chars(HEXS, 32)}"`]],
  // Near misses of the config shapes: placeholders, references, empty values, identifiers.
  ['config-env-changeme', (g) => [`${g.pick(['DB', 'RABBITMQ', 'SMTP'])}_PASS=${g.pick(['changeme', 'change_me', 'CHANGEME'])}`], 'deploy/app.env'],
  ['config-env-ref', (g) => [`DB_PASS=\${${g.pick(['DB_PASS', 'POSTGRES_PASSWORD'])}}`], 'deploy/app.env'],
  ['config-env-angle', () => [`APP_SECRET=<app-secret>`], '.env.production'],
  ['config-env-xxx', (g) => [`WEBHOOK_TOKEN=${'x'.repeat(g.int(8, 30))}`], 'deploy/app.env'],
  ['config-env-empty', (g) => [`${g.pick(['DB_PASS', 'APP_SECRET', 'API_TOKEN'])}=`], '.env.production'],
  ['config-env-file-ref', () => [`DB_PASSWORD_FILE=/run/secrets/db_password`], 'deploy/app.env'],
  ['config-env-vault', (g) => [`API_KEY=vault:secret/data/${g.chars(LOWER, 6)}#api_key`], 'deploy/app.env'],
  ['config-env-op', (g) => [`DB_PASS=op://${g.pick(['infra', 'prod'])}/db/password`], 'deploy/app.env'],
  ['config-env-identifier-key', (g) => [`${g.pick(['SORT', 'CACHE', 'PARTITION'])}_KEY=${g.pick(['created_at', 'user_session', 'tenant_id'])}`], '.env.production'],
  ['config-ini-empty', () => [`password =`], 'config/app.ini'],
  ['config-properties-ref', () => [`spring.datasource.password=\${DB_PASSWORD}`], 'conf/application.properties'],
  ['config-yaml-template', () => [`  rabbitmq_pass: "{{ .Values.rabbitmq.pass }}"`], 'deploy/values.yaml'],
  ['config-yaml-label-key', () => [`  - key: app.kubernetes.io/name`], 'deploy/values.yaml'],
  ['config-yaml-sops', (g) => [`  db_password: ENC[AES256_GCM,data:${g.chars(B64, 16)},type:str]`], 'deploy/values.yaml'],
  ['config-toml-arn', (g) => [`api_secret = "arn:aws:secretsmanager:eu-west-1:${g.chars(DIGITS, 12)}:secret:prod-${g.chars(ALNUM, 6)}"`], 'config/app.toml'],
];

const FILLER = [
  'import os',
  'def handler(event, context):',
  '    return {"statusCode": 200}',
  'services:',
  '  app:',
  '    restart: unless-stopped',
  'const express = require("express");',
  'app.listen(3000);',
  '// TODO: retry on failure',
  'for (const item of items) total += item.price;',
  '',
  'LOG_LEVEL=info',
  'RUN apt-get update && apt-get install -y curl',
];

const FILES = ['config/settings.py', 'deploy/values.yaml', 'src/client.ts', 'scripts/setup.sh', 'app/config.json', 'infra/main.tf'];

/** Builds the corpus for a seed: `secrets` real-format items and `decoys` look-alikes, shuffled into files. */
export function generateLabelledCorpus(seed: number, counts: { secrets: number; decoys: number } = { secrets: 1500, decoys: 3000 }): LabelledCorpus {
  const g = new Gen(mulberry32(seed));
  const entries: { kind: string; secret: boolean; lines: string[]; file?: string }[] = [];
  for (let i = 0; i < counts.secrets; i++) {
    const [kind, make, file] = SECRETS[i % SECRETS.length]!;
    entries.push({ kind, secret: true, lines: make(g), file });
  }
  for (let i = 0; i < counts.decoys; i++) {
    const [kind, make, file] = DECOYS[i % DECOYS.length]!;
    entries.push({ kind, secret: false, lines: make(g), file });
  }
  for (let i = entries.length - 1; i > 0; i--) {
    const k = Math.floor(g.rnd() * (i + 1));
    [entries[i], entries[k]] = [entries[k]!, entries[i]!];
  }
  const files: { path: string; text: string }[] = [];
  const items: CorpusItem[] = [];
  const perFile = 40;
  // Config-file lines go into files of their own kind; everything else is spread over source files.
  const groups = new Map<string, typeof entries>();
  for (const entry of entries) {
    const key = entry.file ?? '';
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  const batches: { path: string; entries: typeof entries }[] = [];
  let n = 0;
  for (const [hint, group] of groups) {
    for (let f = 0; f * perFile < group.length; f++, n++) {
      batches.push({ path: `corpus/${n}/${hint || FILES[n % FILES.length]}`, entries: group.slice(f * perFile, (f + 1) * perFile) });
    }
  }
  for (const { path, entries: batch } of batches) {
    const lines: string[] = [];
    for (const entry of batch) {
      for (let n = g.int(0, 3); n > 0; n--) lines.push(g.pick(FILLER));
      items.push({ kind: entry.kind, secret: entry.secret, file: path, startLine: lines.length, endLine: lines.length + entry.lines.length - 1 });
      lines.push(...entry.lines);
    }
    files.push({ path, text: `${lines.join('\n')}\n` });
  }
  return { files, items };
}

/** Scores a scanner on a corpus: an item counts as found when any finding lands on one of its lines. */
export function evaluateCorpus(corpus: LabelledCorpus, scanner: SecretScanner): CorpusScore {
  const hitLines = new Map<string, Set<number>>();
  for (const file of corpus.files) {
    const { findings } = scanner.scan({ file: file.path, data: Buffer.from(file.text) });
    hitLines.set(file.path, new Set(findings.map((f) => f.line - 1)));
  }
  return scoreCorpusHits(corpus, hitLines);
}

/**
 * Scores any tool's findings on a corpus, given as file path → 0-based lines with a
 * finding (so another scanner's report can be scored the same way).
 */
export function scoreCorpusHits(corpus: LabelledCorpus, found: ReadonlyMap<string, ReadonlySet<number>>): CorpusScore {
  const hitLines = new Map<string, ReadonlySet<number>>(corpus.files.map((f) => [f.path, found.get(f.path) ?? new Set<number>()]));
  const score: CorpusScore = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0, precision: 0, recall: 0, missedKinds: {}, falseAlarmKinds: {} };
  for (const item of corpus.items) {
    const hits = hitLines.get(item.file)!;
    let hit = false;
    for (let l = item.startLine; l <= item.endLine && !hit; l++) hit = hits.has(l);
    if (item.secret && hit) score.truePositives++;
    else if (item.secret) {
      score.falseNegatives++;
      score.missedKinds[item.kind] = (score.missedKinds[item.kind] ?? 0) + 1;
    } else if (hit) {
      score.falsePositives++;
      score.falseAlarmKinds[item.kind] = (score.falseAlarmKinds[item.kind] ?? 0) + 1;
    } else score.trueNegatives++;
  }
  // A finding on a filler line is a false alarm too.
  for (const file of corpus.files) {
    const covered = new Set<number>();
    for (const item of corpus.items) if (item.file === file.path) for (let l = item.startLine; l <= item.endLine; l++) covered.add(l);
    for (const line of hitLines.get(file.path)!) {
      if (covered.has(line)) continue;
      score.falsePositives++;
      score.falseAlarmKinds['filler'] = (score.falseAlarmKinds['filler'] ?? 0) + 1;
    }
  }
  score.precision = score.truePositives / Math.max(1, score.truePositives + score.falsePositives);
  score.recall = score.truePositives / Math.max(1, score.truePositives + score.falseNegatives);
  return score;
}
