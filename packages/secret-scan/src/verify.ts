import { execFile } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '@deploy-actions/action-kit';
import type { Finding } from './types.js';

/**
 * Live validity checks (`verify: true`): one read-only call per distinct credential to
 * the documented endpoint of the provider that issued it, and nowhere else.
 *
 * `true`: the provider accepted the credential. `false`: it refused it (revoked, expired,
 * never valid). `'unknown'`: no answer that says either (network error, timeout, 5xx,
 * rate limit, a redirect, the time budget ran out, or a companion value was missing).
 */
export type Verified = true | false | 'unknown';

/**
 * TEST ONLY. Sends every check to `<url>/<provider>/…` instead of the provider, so tests
 * can run against local stand-ins. Refused unless it points at 127.0.0.1, ::1 or localhost:
 * a secret is never sent to any other host.
 */
export const VERIFY_TEST_BASE_URL_VARIABLE = 'DEPLOY_ACTIONS_TEST_VERIFY_BASE_URL';

export interface VerifyRequest {
  method: 'GET' | 'POST';
  url: string;
  headers: Record<string, string>;
  body?: string;
}

interface Provider {
  /** Also the path segment under the test base URL. */
  name: string;
  origin: string;
  rules: readonly string[];
  /** A value the call needs besides the secret, looked up next to it in the same file (Twilio's Account SID, AWS' key ID). */
  companion?: RegExp;
  request(secret: string, base: string, companion: string | undefined, now: Date): VerifyRequest | undefined;
  /** The provider's own reading of an answer; the default is 2xx true, 401/403 false, anything else unknown. */
  classify?(status: number, body: string): Verified;
}

const bearer = (secret: string): Record<string, string> => ({ authorization: `Bearer ${secret}` });
const USER_AGENT = { 'user-agent': 'deploy-actions-secret-scan-gate' };

function defaultClassify(status: number): Verified {
  if (status >= 200 && status < 300) return true;
  if (status === 401 || status === 403) return false;
  return 'unknown';
}

/** Slack answers 200 for every token; its body says whether the token is good. */
const SLACK_REFUSED = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'org_login_required',
  'ekm_access_denied',
]);

export const PROVIDERS: readonly Provider[] = [
  {
    name: 'github',
    origin: 'https://api.github.com',
    rules: [
      'github-pat',
      'github-fine-grained-pat',
      'github-oauth-token',
      'github-user-to-server-token',
      'github-app-installation-token',
    ],
    // Installation tokens act as an app, which has no /user: they read their own installation's repositories.
    request: (secret, base) => ({
      method: 'GET',
      url: secret.startsWith('ghs_') ? `${base}/installation/repositories?per_page=1` : `${base}/user`,
      headers: {
        ...bearer(secret),
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        ...USER_AGENT,
      },
    }),
    // 403 from GitHub is a rate limit or an SSO / IP policy in front of a token it recognised: not a verdict.
    classify: (status) => (status === 403 ? 'unknown' : defaultClassify(status)),
  },
  {
    name: 'gitlab',
    origin: 'https://gitlab.com',
    rules: ['gitlab-pat'],
    request: (secret, base) => ({
      method: 'GET',
      url: `${base}/api/v4/user`,
      headers: { 'private-token': secret, ...USER_AGENT },
    }),
    // 403 is `insufficient_scope`: a valid token without read_user.
    classify: (status) => (status === 403 ? true : defaultClassify(status)),
  },
  {
    name: 'slack',
    origin: 'https://slack.com',
    rules: ['slack-bot-token', 'slack-user-token', 'slack-legacy-bot-token'],
    request: (secret, base) => ({
      method: 'POST',
      url: `${base}/api/auth.test`,
      headers: { ...bearer(secret), 'content-type': 'application/x-www-form-urlencoded', ...USER_AGENT },
      body: '',
    }),
    classify: (status, body) => {
      if (status !== 200) return status === 401 ? false : 'unknown';
      try {
        const answer = JSON.parse(body) as { ok?: unknown; error?: unknown };
        if (answer.ok === true) return true;
        return typeof answer.error === 'string' && SLACK_REFUSED.has(answer.error) ? false : 'unknown';
      } catch {
        return 'unknown';
      }
    },
  },
  {
    name: 'stripe',
    origin: 'https://api.stripe.com',
    rules: ['stripe-secret-key', 'stripe-restricted-key'],
    request: (secret, base) => ({
      method: 'GET',
      url: `${base}/v1/balance`,
      headers: { ...bearer(secret), ...USER_AGENT },
    }),
    // 403: a restricted key that is live but may not read the balance.
    classify: (status) => (status === 403 ? true : defaultClassify(status)),
  },
  {
    name: 'npm',
    origin: 'https://registry.npmjs.org',
    rules: ['npm-access-token'],
    request: (secret, base) => ({
      method: 'GET',
      url: `${base}/-/whoami`,
      headers: { ...bearer(secret), ...USER_AGENT },
    }),
  },
  {
    name: 'openai',
    origin: 'https://api.openai.com',
    rules: ['openai-api-key', 'openai-project-key'],
    request: (secret, base) => ({
      method: 'GET',
      url: `${base}/v1/models`,
      headers: { ...bearer(secret), ...USER_AGENT },
    }),
  },
  {
    name: 'anthropic',
    origin: 'https://api.anthropic.com',
    rules: ['anthropic-api-key'],
    request: (secret, base) => ({
      method: 'GET',
      url: `${base}/v1/models`,
      headers: { 'x-api-key': secret, 'anthropic-version': '2023-06-01', ...USER_AGENT },
    }),
  },
  {
    name: 'sendgrid',
    origin: 'https://api.sendgrid.com',
    rules: ['sendgrid-api-key'],
    request: (secret, base) => ({
      method: 'GET',
      url: `${base}/v3/scopes`,
      headers: { ...bearer(secret), ...USER_AGENT },
    }),
  },
  {
    name: 'twilio',
    origin: 'https://api.twilio.com',
    rules: ['twilio-auth-token'],
    companion: /\bAC[0-9a-f]{32}\b/g,
    request: (secret, base, accountSid) =>
      accountSid === undefined
        ? undefined
        : {
            method: 'GET',
            url: `${base}/2010-04-01/Accounts/${accountSid}.json`,
            headers: {
              authorization: `Basic ${Buffer.from(`${accountSid}:${secret}`).toString('base64')}`,
              ...USER_AGENT,
            },
          },
  },
  {
    name: 'aws',
    origin: 'https://sts.amazonaws.com',
    rules: ['aws-secret-access-key'],
    // Long-term keys only: temporary (ASIA) keys need their session token as well.
    companion: /\bAKIA[A-Z2-7]{16}\b/g,
    request: (secret, base, keyId, now) => {
      if (keyId === undefined) return undefined;
      const url = new URL(`${base}/`);
      const body = 'Action=GetCallerIdentity&Version=2011-06-15';
      const headers = signV4(
        {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
          body,
        },
        { keyId, secret },
        { region: 'us-east-1', service: 'sts' },
        now,
      );
      return { method: 'POST', url: url.toString(), headers: { ...headers, ...USER_AGENT }, body };
    },
  },
];

/** The rule ids `verify: true` can check. */
export const VERIFIABLE_RULES: ReadonlySet<string> = new Set(PROVIDERS.flatMap((p) => p.rules));

const providerOf = new Map(PROVIDERS.flatMap((p) => p.rules.map((r) => [r, p] as const)));

/** The request one finding's check would send (exported for the tests of each provider's request shape). */
export function verifyRequestFor(
  ruleId: string,
  secret: string,
  options: { testBaseUrl?: string; companion?: string; now?: Date } = {},
): VerifyRequest | undefined {
  const provider = providerOf.get(ruleId);
  if (!provider) return undefined;
  const base = options.testBaseUrl
    ? `${options.testBaseUrl.replace(/\/+$/, '')}/${provider.name}`
    : provider.origin;
  return provider.request(secret, base, options.companion, options.now ?? new Date());
}

/** Reads the test-only base URL and refuses anything but a loopback address. */
export function testBaseUrlFrom(env: NodeJS.ProcessEnv): string | undefined {
  const value = env[VERIFY_TEST_BASE_URL_VARIABLE];
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const loopback =
    url !== undefined &&
    /^https?:$/.test(url.protocol) &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
  if (!loopback || url === undefined || url.username !== '' || url.password !== '')
    throw new UserError(
      'verify-base-url-refused',
      `${VERIFY_TEST_BASE_URL_VARIABLE} is a test-only variable and must point at http://127.0.0.1, http://[::1] or http://localhost; it is set to something else, so no secret was sent anywhere. Unset it.`,
    );
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export interface VerifyOptions {
  /** The whole check's time limit; calls still open then are aborted and count as unknown. */
  budgetMs: number;
  concurrency?: number;
  /** From testBaseUrlFrom(); undefined sends each call to its provider. */
  testBaseUrl?: string;
  /** The text of the file (at the finding's commit) a finding is in, for companion values. */
  readSource?: (finding: Finding) => Promise<string | undefined>;
  now?: () => Date;
}

export interface VerifySummary {
  /** Findings of a supported kind. */
  checked: number;
  live: number;
  refused: number;
  unknown: number;
  /** Distinct calls made. */
  calls: number;
  /** Why some answers are unknown: `timeout`, `network error`, `HTTP 503`, `no Account SID next to it`, … (never a secret). */
  unknownReasons: string[];
  budgetExhausted: boolean;
}

/**
 * Checks every finding of a supported kind and sets its `verified`. Identical credentials
 * are checked once. Never throws for a provider's answer or a network failure.
 */
export async function verifyFindings(findings: Finding[], options: VerifyOptions): Promise<VerifySummary> {
  const controller = new AbortController();
  let budgetExhausted = false;
  const timer = setTimeout(() => {
    budgetExhausted = true;
    controller.abort();
  }, options.budgetMs);
  const reasons = new Set<string>();
  const calls = new Map<string, Promise<Verified>>();
  const queue: (() => Promise<void>)[] = [];
  const results = new Map<Finding, { verdict: Promise<Verified>; companion?: string }>();

  try {
    for (const finding of findings) {
      const provider = providerOf.get(finding.ruleId);
      if (!provider || !finding.secret) continue;
      let companion: string | undefined;
      if (provider.companion) {
        const text = options.readSource
          ? await options.readSource(finding).catch(() => undefined)
          : undefined;
        companion = text === undefined ? undefined : nearest(text, provider.companion, finding.line);
      }
      const request = verifyRequestFor(finding.ruleId, finding.secret, {
        testBaseUrl: options.testBaseUrl,
        companion,
        now: options.now?.() ?? new Date(),
      });
      if (!request) {
        reasons.add(
          `${provider.name}: no ${provider.name === 'aws' ? 'access key ID (AKIA…)' : 'Account SID (AC…)'} next to it`,
        );
        results.set(finding, { verdict: Promise.resolve('unknown') });
        continue;
      }
      const key = `${provider.name}\u0000${finding.secret}\u0000${companion ?? ''}`;
      let verdict = calls.get(key);
      if (!verdict) {
        let settle!: (v: Verified) => void;
        verdict = new Promise<Verified>((r) => (settle = r));
        calls.set(key, verdict);
        queue.push(async () => settle(await call(provider, request, controller.signal, reasons)));
      }
      results.set(finding, { verdict, companion });
    }
    const workers = Array.from(
      { length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) },
      async () => {
        for (let job = queue.shift(); job; job = queue.shift()) await job();
      },
    );
    await Promise.all(workers);
  } finally {
    clearTimeout(timer);
  }

  const summary: VerifySummary = {
    checked: 0,
    live: 0,
    refused: 0,
    unknown: 0,
    calls: calls.size,
    unknownReasons: [],
    budgetExhausted,
  };
  const awsKeyIds = new Map<string, Verified>();
  for (const [finding, { verdict, companion }] of results) {
    finding.verified = await verdict;
    if (finding.ruleId === 'aws-secret-access-key' && companion) awsKeyIds.set(companion, finding.verified);
  }
  // The key ID half of a checked AWS pair shares its verdict.
  for (const finding of findings)
    if (finding.ruleId === 'aws-access-key-id' && awsKeyIds.has(finding.secret))
      finding.verified = awsKeyIds.get(finding.secret)!;
  for (const finding of findings) {
    if (finding.verified === undefined) continue;
    summary.checked++;
    if (finding.verified === true) summary.live++;
    else if (finding.verified === false) summary.refused++;
    else summary.unknown++;
  }
  if (budgetExhausted) reasons.add('time budget ran out');
  summary.unknownReasons = [...reasons].sort();
  return summary;
}

async function call(
  provider: Provider,
  request: VerifyRequest,
  signal: AbortSignal,
  reasons: Set<string>,
): Promise<Verified> {
  if (signal.aborted) return 'unknown';
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      // A redirect could carry the credential to another host: never followed.
      redirect: 'manual',
      signal,
    });
    const body =
      provider.classify && response.status === 200
        ? await readLimited(response)
        : (await response.body?.cancel(), '');
    const verdict = (provider.classify ?? defaultClassify)(response.status, body);
    if (verdict === 'unknown') reasons.add(`${provider.name}: HTTP ${response.status}`);
    return verdict;
  } catch {
    reasons.add(`${provider.name}: ${signal.aborted ? 'timeout' : 'network error'}`);
    return 'unknown';
  }
}

async function readLimited(response: Response): Promise<string> {
  const text = await response.text();
  return text.slice(0, 64 * 1024);
}

/** The match of `pattern` on the line closest to `line` (1-based). */
function nearest(text: string, pattern: RegExp, line: number): string | undefined {
  let best: { value: string; distance: number } | undefined;
  text.split('\n').forEach((content, i) => {
    for (const m of content.matchAll(new RegExp(pattern.source, 'g'))) {
      const distance = Math.abs(i + 1 - line);
      if (!best || distance < best.distance) best = { value: m[0], distance };
    }
  });
  return best?.value;
}

/** Reads a finding's file (relative to `root`, the scanned path) from the tree, or at its commit with `git show` (no shell). */
export function sourceReader(root: string): (finding: Finding) => Promise<string | undefined> {
  return async (finding) => {
    if (!finding.commit)
      return readFile(join(root, finding.file), 'utf8').then(
        (t) => t,
        () => undefined,
      );
    return new Promise((resolve) => {
      execFile(
        'git',
        ['show', `${finding.commit}:./${finding.file}`],
        { cwd: root, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout) => resolve(error ? undefined : stdout),
      );
    });
  };
}

// ---- AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html)

const sha256 = (data: string): string => createHash('sha256').update(data, 'utf8').digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer =>
  createHmac('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The headers of a SigV4-signed request: the given ones, `x-amz-date` and `authorization` (`host` is signed, and sent by fetch itself). */
export function signV4(
  request: { method: string; url: URL; headers: Record<string, string>; body: string },
  credentials: { keyId: string; secret: string },
  scope: { region: string; service: string },
  now: Date,
): Record<string, string> {
  const amzDate = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['host'] = request.url.host;
  headers['x-amz-date'] = amzDate;
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n]!.trim().replace(/\s+/g, ' ')}\n`).join('');
  const query = [...request.url.searchParams]
    .map(([k, v]) => [rfc3986(k), rfc3986(v)] as const)
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
  const canonicalRequest = [
    request.method,
    request.url.pathname || '/',
    query,
    canonicalHeaders,
    names.join(';'),
    sha256(request.body),
  ].join('\n');
  const credentialScope = `${day}/${scope.region}/${scope.service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, credentialScope, sha256(canonicalRequest)].join('\n');
  const key = hmac(
    hmac(hmac(hmac(`AWS4${credentials.secret}`, day), scope.region), scope.service),
    'aws4_request',
  );
  const signature = createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
  const { host: _host, ...sent } = headers;
  return {
    ...sent,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.keyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
  };
}
