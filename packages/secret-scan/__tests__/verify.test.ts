import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  signV4,
  sourceReader,
  testBaseUrlFrom,
  VERIFIABLE_RULES,
  verifyFindings,
  verifyRequestFor,
  VERIFY_TEST_BASE_URL_VARIABLE,
  type Finding,
} from '@deploy-actions/secret-scan';
import { startVerifyStandIn, type StandIn } from '../../../test/fixtures/secret-scan/verify-stand-in.js';
import { alnum, b64, b64url, digits, hex, j } from './token-samples.js';

// Synthetic credentials of each provider's shape, assembled at run time.
const tokens = {
  github: () => j('gh', 'p_', alnum(36)),
  githubApp: () => j('gh', 's_', alnum(36)),
  gitlab: () => j('gl', 'pat-', b64url(20)),
  slack: () => j('xo', 'xb-', digits(11), '-', digits(13), '-', alnum(24)),
  stripe: () => j('sk', '_live_', alnum(32)),
  npm: () => j('np', 'm_', alnum(36)),
  openai: () => j('sk', '-proj-', b64url(40), 'T3Blbk', 'FJ', b64url(40)),
  anthropic: () => j('sk', '-ant-api03-', b64url(93), 'AA'),
  sendgrid: () => j('S', 'G.', b64url(22), '.', b64url(43)),
  twilio: () => hex(32),
  awsSecret: () => b64(40),
};
const accountSid = (): string => j('A', 'C', hex(32));
const awsKeyId = (): string => j('AK', 'IA', 'QWERTYUIOPASDFGH');

function finding(ruleId: string, secret: string, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    description: ruleId,
    file: 'app.env',
    line: 2,
    column: 1,
    secret,
    secretHash: '',
    redacted: '',
    fingerprint: '',
    entropy: 4,
    ...extra,
  };
}

describe('the request each provider gets (method, documented endpoint, where the secret goes)', () => {
  const cases: [string, string, string, string, (h: Record<string, string>, secret: string) => boolean][] = [
    [
      'github-pat',
      tokens.github(),
      'GET',
      'https://api.github.com/user',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
    [
      'github-app-installation-token',
      tokens.githubApp(),
      'GET',
      'https://api.github.com/installation/repositories?per_page=1',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
    [
      'gitlab-pat',
      tokens.gitlab(),
      'GET',
      'https://gitlab.com/api/v4/user',
      (h, s) => h['private-token'] === s && !('authorization' in h),
    ],
    [
      'slack-bot-token',
      tokens.slack(),
      'POST',
      'https://slack.com/api/auth.test',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
    [
      'stripe-secret-key',
      tokens.stripe(),
      'GET',
      'https://api.stripe.com/v1/balance',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
    [
      'npm-access-token',
      tokens.npm(),
      'GET',
      'https://registry.npmjs.org/-/whoami',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
    [
      'openai-api-key',
      tokens.openai(),
      'GET',
      'https://api.openai.com/v1/models',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
    [
      'anthropic-api-key',
      tokens.anthropic(),
      'GET',
      'https://api.anthropic.com/v1/models',
      (h, s) => h['x-api-key'] === s && h['anthropic-version'] === '2023-06-01',
    ],
    [
      'sendgrid-api-key',
      tokens.sendgrid(),
      'GET',
      'https://api.sendgrid.com/v3/scopes',
      (h, s) => h['authorization'] === `Bearer ${s}`,
    ],
  ];

  it.each(cases)('%s: one read-only call to its own provider', (ruleId, secret, method, url, authOk) => {
    const request = verifyRequestFor(ruleId, secret)!;
    expect(request.method).toBe(method);
    expect(request.url).toBe(url);
    expect(authOk(request.headers, secret)).toBe(true);
    expect(request.url).not.toContain(secret);
  });

  it('twilio-auth-token: the account resource, with the Account SID and token as Basic credentials', () => {
    const sid = accountSid();
    const token = tokens.twilio();
    const request = verifyRequestFor('twilio-auth-token', token, { companion: sid })!;
    expect(request.method).toBe('GET');
    expect(request.url).toBe(`https://api.twilio.com/2010-04-01/Accounts/${sid}.json`);
    expect(request.headers['authorization']).toBe(
      `Basic ${Buffer.from(`${sid}:${token}`).toString('base64')}`,
    );
  });

  it('twilio-auth-token: no call without an Account SID', () => {
    expect(verifyRequestFor('twilio-auth-token', tokens.twilio())).toBeUndefined();
  });

  it('aws-secret-access-key: STS GetCallerIdentity, signed with SigV4 (the secret itself is never sent)', () => {
    const secret = tokens.awsSecret();
    const keyId = awsKeyId();
    const request = verifyRequestFor('aws-secret-access-key', secret, {
      companion: keyId,
      now: new Date('2026-11-29T12:00:00Z'),
    })!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('https://sts.amazonaws.com/');
    expect(request.body).toBe('Action=GetCallerIdentity&Version=2011-06-15');
    expect(request.headers['authorization']).toMatch(
      new RegExp(
        `^AWS4-HMAC-SHA256 Credential=${keyId}/20261129/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=[0-9a-f]{64}$`,
      ),
    );
    expect(JSON.stringify(request)).not.toContain(secret);
  });

  it('has no request for a kind it does not check', () => {
    expect(verifyRequestFor('generic-secret', 'x'.repeat(20))).toBeUndefined();
    expect(VERIFIABLE_RULES.has('generic-secret')).toBe(false);
  });
});

describe('SigV4 signing', () => {
  it("matches AWS' published get-vanilla test vector", () => {
    const headers = signV4(
      { method: 'GET', url: new URL('https://example.amazonaws.com/'), headers: {}, body: '' },
      // AWS' documented example credentials (not a real key).
      { keyId: 'AKIDEXAMPLE', secret: j('wJalrXUtnFEMI/K7MDENG+', 'bPxRfiCYEXAMPLEKEY') },
      { region: 'us-east-1', service: 'service' },
      new Date('2015-08-30T12:36:00Z'),
    );
    expect(headers['authorization']).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });
});

describe(`the test-only ${VERIFY_TEST_BASE_URL_VARIABLE}`, () => {
  it.each(['http://127.0.0.1:8080', 'http://localhost:9', 'http://[::1]:8080/base'])(
    'accepts loopback %s',
    (url) => {
      expect(testBaseUrlFrom({ [VERIFY_TEST_BASE_URL_VARIABLE]: url })).toBe(url.replace(/\/$/, ''));
    },
  );

  it.each([
    'https://api.github.com',
    'http://10.0.0.5',
    'http://127.0.0.1.attacker.example',
    'http://user:pw@127.0.0.1:80',
    'file:///tmp/x',
    'not a url',
  ])('refuses %s with its own error code', (url) => {
    expect(() => testBaseUrlFrom({ [VERIFY_TEST_BASE_URL_VARIABLE]: url })).toThrow(
      expect.objectContaining({ code: 'verify-base-url-refused' }),
    );
  });

  it('is off when unset', () => {
    expect(testBaseUrlFrom({})).toBeUndefined();
  });
});

describe('verifyFindings against a local stand-in', () => {
  let standIn: StandIn;
  beforeEach(async () => {
    standIn = await startVerifyStandIn();
  });
  afterEach(async () => {
    await standIn.close();
  });
  const options = (extra = {}) => ({ budgetMs: 10_000, testBaseUrl: standIn.url, ...extra });

  it('marks a live token true and a revoked one false, each after one call to its own provider', async () => {
    const live = tokens.github();
    const revoked = tokens.npm();
    standIn.live.add(live);
    const findings = [finding('github-pat', live), finding('npm-access-token', revoked)];
    const summary = await verifyFindings(findings, options());
    expect(findings.map((f) => f.verified)).toEqual([true, false]);
    expect(summary).toMatchObject({ checked: 2, live: 1, refused: 1, unknown: 0, calls: 2 });
    expect(standIn.requests.map((r) => [r.provider, r.method, r.path])).toEqual([
      ['github', 'GET', '/user'],
      ['npm', 'GET', '/-/whoami'],
    ]);
  });

  it('reads Slack’s verdict from the body (Slack answers 200 either way)', async () => {
    const live = tokens.slack();
    const revoked = tokens.slack();
    standIn.live.add(live);
    const findings = [finding('slack-bot-token', live), finding('slack-bot-token', revoked)];
    await verifyFindings(findings, options());
    expect(findings.map((f) => f.verified)).toEqual([true, false]);
  });

  it('sends Anthropic keys as x-api-key and GitLab tokens as PRIVATE-TOKEN, nothing in Authorization', async () => {
    const anthropic = tokens.anthropic();
    const gitlab = tokens.gitlab();
    standIn.live.add(anthropic).add(gitlab);
    const findings = [finding('anthropic-api-key', anthropic), finding('gitlab-pat', gitlab)];
    await verifyFindings(findings, options());
    expect(findings.map((f) => f.verified)).toEqual([true, true]);
    expect(standIn.requests.every((r) => r.headers['authorization'] === undefined)).toBe(true);
  });

  it('checks a repeated credential once', async () => {
    const token = tokens.stripe();
    const findings = [finding('stripe-secret-key', token), finding('stripe-secret-key', token, { line: 9 })];
    const summary = await verifyFindings(findings, options());
    expect(summary.calls).toBe(1);
    expect(standIn.requests).toHaveLength(1);
    expect(findings.map((f) => f.verified)).toEqual([false, false]);
  });

  it('pairs a Twilio auth token with the Account SID nearest to it in the same file', async () => {
    const sid = accountSid();
    const token = tokens.twilio();
    standIn.live.add(`${sid}:${token}`);
    const source = `TWILIO_ACCOUNT_SID=${sid}\nTWILIO_AUTH_TOKEN=${token}\n`;
    const findings = [finding('twilio-auth-token', token)];
    await verifyFindings(findings, options({ readSource: async () => source }));
    expect(findings[0]!.verified).toBe(true);
    expect(standIn.requests[0]!.path).toBe(`/2010-04-01/Accounts/${sid}.json`);
  });

  it('signs an AWS key pair so that the stand-in, recomputing SigV4 as AWS does, accepts it; the key ID finding shares the verdict', async () => {
    const keyId = awsKeyId();
    const secret = tokens.awsSecret();
    standIn.awsKeys.set(keyId, secret);
    standIn.live.add(secret);
    const source = `aws_access_key_id = ${keyId}\naws_secret_access_key = ${secret}\n`;
    const findings = [
      finding('aws-access-key-id', keyId, { line: 1 }),
      finding('aws-secret-access-key', secret),
    ];
    await verifyFindings(findings, options({ readSource: async () => source }));
    expect(findings.map((f) => f.verified)).toEqual([true, true]);
    expect(standIn.requests).toHaveLength(1);
    expect(standIn.requests[0]!.body).not.toContain(secret);
  });

  it('says unknown when a companion value is missing, and makes no call', async () => {
    const findings = [finding('twilio-auth-token', tokens.twilio())];
    const summary = await verifyFindings(findings, options({ readSource: async () => 'nothing here\n' }));
    expect(findings[0]!.verified).toBe('unknown');
    expect(standIn.requests).toHaveLength(0);
    expect(summary.unknownReasons.join()).toContain('Account SID');
  });

  it.each([500, 503, 429, 302])('says unknown on HTTP %i (a redirect is never followed)', async (status) => {
    standIn.failWith = status;
    const findings = [finding('openai-api-key', tokens.openai())];
    await verifyFindings(findings, options());
    expect(findings[0]!.verified).toBe('unknown');
  });

  it('says unknown for every finding when the provider cannot be reached', async () => {
    const url = standIn.url;
    await standIn.close();
    const findings = [finding('sendgrid-api-key', tokens.sendgrid())];
    const summary = await verifyFindings(findings, { budgetMs: 5_000, testBaseUrl: url });
    expect(findings[0]!.verified).toBe('unknown');
    expect(summary.unknownReasons).toEqual(['sendgrid: network error']);
    standIn = await startVerifyStandIn();
  });

  it('stops at the time budget: calls still open count as unknown', async () => {
    standIn.delayMs = 5_000;
    const token = tokens.github();
    standIn.live.add(token);
    const findings = [finding('github-pat', token)];
    const summary = await verifyFindings(findings, options({ budgetMs: 200 }));
    expect(findings[0]!.verified).toBe('unknown');
    expect(summary.budgetExhausted).toBe(true);
  });

  it('leaves findings of other kinds alone, with no call', async () => {
    const findings = [finding('generic-secret', alnum(30))];
    const summary = await verifyFindings(findings, options());
    expect(findings[0]!.verified).toBeUndefined();
    expect(summary.checked).toBe(0);
    expect(standIn.requests).toHaveLength(0);
  });
});

describe('sourceReader (where companion values are looked up)', () => {
  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    }).trim();

  it("reads the file as it was at the finding's commit, relative to the scanned subdirectory, and the tree without a commit", async () => {
    const repo = mkdtempSync(join(tmpdir(), 'scanrules-source-'));
    git(repo, 'init', '-q', '-b', 'main');
    mkdirSync(join(repo, 'svc'));
    writeFileSync(join(repo, 'svc/app.env'), 'SID=first\n');
    git(repo, 'add', '.');
    git(repo, 'commit', '-q', '-m', 'one');
    const first = git(repo, 'rev-parse', 'HEAD');
    writeFileSync(join(repo, 'svc/app.env'), 'SID=second\n');
    const read = sourceReader(join(repo, 'svc'));
    expect(await read(finding('twilio-auth-token', 'x', { file: 'app.env', commit: first }))).toBe(
      'SID=first\n',
    );
    expect(await read(finding('twilio-auth-token', 'x', { file: 'app.env' }))).toBe('SID=second\n');
    expect(
      await read(finding('twilio-auth-token', 'x', { file: 'missing.env', commit: first })),
    ).toBeUndefined();
    rmSync(repo, { recursive: true, force: true });
  });
});
