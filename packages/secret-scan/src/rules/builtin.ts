import type { Rule } from '../types.js';
import { isFillerInExactFormat, isPlaceholder, looksLikeCode } from '../placeholders.js';
import { shannonEntropy } from '../entropy.js';

/**
 * The built-in rule pack. Each pattern is written from the token's published
 * format (prefix, alphabet, length); where a format has no prefix, the rule
 * needs the provider's name next to the value (a "contextual" rule).
 */

/** `[aA][bB]…`: case-insensitive letters inside an otherwise case-sensitive pattern. */
export function caseless(text: string): string {
  return text.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}

// What may follow a token: the end of the token's alphabet.
const END = '(?![A-Za-z0-9_\\-])';
// `name = value`, `name: value`, `"name": "value"`, `name => value`, `--name value`.
const ASSIGN = `[\\w.\\-]{0,30}?["'\\x60]?\\s{0,5}(?:=|:=|:|=>|\\?=|,|\\s)\\s{0,5}(?:[Bb]earer\\s+)?["'\\x60]?`;

interface Spec {
  description: string;
  regex: string;
  keywords: string[];
  entropy?: number;
  secretGroup?: number;
  multiline?: boolean;
  wordStart?: boolean;
  generic?: boolean;
  validate?: (secret: string, line: string) => boolean;
  flags?: string;
}

function rule(id: string, spec: Spec): Rule {
  const { regex, flags, ...rest } = spec;
  return {
    id,
    ...rest,
    regex: new RegExp(regex, flags ?? ''),
    keywords: spec.keywords.map((k) => k.toLowerCase()),
    allowlists: [],
    tags: ['secret'],
  };
}

/** A token recognised by its own prefix. */
function prefixed(
  id: string,
  description: string,
  body: string,
  keywords: string[],
  extra: Partial<Spec> = {},
): Rule {
  // The "no token character before" check is done by the scanner (wordStart), not a
  // lookbehind: a pattern that starts with its literal prefix lets V8 skip ahead to it.
  return rule(id, { description, regex: `(${body})${END}`, keywords, wordStart: true, ...extra });
}

/** A token without a prefix: only reported when assigned to a name mentioning the provider. */
function contextual(
  id: string,
  description: string,
  names: string[],
  value: string,
  extra: Partial<Spec> = {},
): Rule {
  const name = `(?:${names.map(caseless).join('|')})`;
  return rule(id, {
    description,
    regex: `${name}${ASSIGN}(${value})${END}`,
    keywords: names.map((n) => n.toLowerCase()),
    entropy: 3,
    // The value has an exact alphabet and length: words inside it (`Todo`, `sample`) do not
    // make it a placeholder, only filler and documented examples do.
    validate: (s) => !isFillerInExactFormat(s) && !looksLikeCode(s),
    ...extra,
  });
}

function uriPassword(id: string, description: string, schemes: string, minLength = 3): Rule {
  return rule(id, {
    description,
    regex: `\\b(?:${schemes})://[^\\s:/@'"\\x60]{1,128}:([^\\s@/'"\\x60]{${minLength},256})@[^\\s'"\\x60]+`,
    keywords: schemes
      .replace(/\\/g, '')
      .split('|')
      .map((s) => `${s}://`),
    validate: (s) => !isPlaceholder(s) && !/^(?:password|pass|passwd|pwd|secret|pw|\*+)$/i.test(s),
  });
}

const HEX = '[a-f0-9]';
const B62 = '[A-Za-z0-9]';
const B64URL = '[A-Za-z0-9_\\-]';
const UUID = `${HEX}{8}-${HEX}{4}-${HEX}{4}-${HEX}{4}-${HEX}{12}`;

function cloudProviders(): Rule[] {
  return [
    prefixed('aws-access-key-id', 'AWS access key ID', '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', [
      'akia',
      'asia',
      'abia',
      'acca',
      'a3t',
    ]),
    contextual(
      'aws-secret-access-key',
      'AWS secret access key',
      ['aws_secret_access_key', 'aws_secret_key', 'aws_secret', 'secretaccesskey', 'aws-secret-access-key'],
      '[A-Za-z0-9/+]{40}',
      { entropy: 4 },
    ),
    contextual(
      'aws-session-token',
      'AWS session token',
      ['aws_session_token', 'sessiontoken', 'aws-session-token'],
      '[A-Za-z0-9/+=]{100,1200}',
    ),
    prefixed('aws-bedrock-api-key', 'Amazon Bedrock API key', `ABSK[A-Za-z0-9+/]{109,269}={0,2}`, ['absk']),
    prefixed('aws-mws-key', 'Amazon MWS auth token', `amzn\\.mws\\.${UUID}`, ['amzn.mws.']),
    prefixed('gcp-api-key', 'Google Cloud / Firebase API key', `AIza${B64URL}{35}`, ['aiza']),
    prefixed('gcp-oauth-client-secret', 'Google OAuth client secret', `GOCSPX-${B64URL}{28}`, ['gocspx-']),
    prefixed('gcp-oauth-access-token', 'Google OAuth access token', `ya29\\.${B64URL}{30,}`, ['ya29.']),
    prefixed('gcp-oauth-refresh-token', 'Google OAuth refresh token', `1//0${B64URL}{40,}`, ['1//0']),
    rule('gcp-service-account-key', {
      description: 'Google Cloud service account key file',
      regex: `"private_key_id"\\s*:\\s*"(${HEX}{40})"`,
      keywords: ['private_key_id'],
    }),
    rule('azure-storage-account-key', {
      description: 'Azure storage account key in a connection string',
      regex: `[Aa]ccount[Kk]ey=([A-Za-z0-9+/]{86}==)`,
      keywords: ['accountkey='],
    }),
    rule('azure-shared-access-key', {
      description: 'Azure Service Bus / Event Hubs shared access key',
      regex: `SharedAccessKey=([A-Za-z0-9+/]{43}=)`,
      keywords: ['sharedaccesskey='],
    }),
    rule('azure-sas-token', {
      description: 'Azure shared access signature',
      regex: `[?&]sv=\\d{4}-\\d\\d-\\d\\d&[^\\s"']*?sig=([A-Za-z0-9%+/]{40,120})`,
      keywords: ['sig='],
      validate: (s) => !isPlaceholder(s),
    }),
    prefixed(
      'azure-ad-client-secret',
      'Azure AD (Entra ID) client secret',
      `[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.\\-]{31,34}`,
      ['q~'],
    ),
    prefixed(
      'azure-devops-pat',
      'Azure DevOps personal access token',
      `[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{3}AZDO[A-Za-z0-9]{4}`,
      ['azdo'],
    ),
    contextual(
      'azure-devops-pat-legacy',
      'Azure DevOps personal access token (52-character form)',
      ['azure_devops', 'azdo', 'ado_pat', 'ado_token', 'vsts', 'devops_pat', 'system_accesstoken'],
      '[a-z2-7]{52}',
    ),
    prefixed('digitalocean-pat', 'DigitalOcean personal access token', `dop_v1_${HEX}{64}`, ['dop_v1_']),
    prefixed('digitalocean-oauth-token', 'DigitalOcean OAuth access token', `doo_v1_${HEX}{64}`, ['doo_v1_']),
    prefixed('digitalocean-refresh-token', 'DigitalOcean OAuth refresh token', `dor_v1_${HEX}{64}`, [
      'dor_v1_',
    ]),
    prefixed('alibaba-access-key-id', 'Alibaba Cloud AccessKey ID', `LTAI${B62}{20}`, ['ltai']),
    contextual(
      'alibaba-access-key-secret',
      'Alibaba Cloud AccessKey secret',
      ['alibaba_secret', 'alicloud_secret', 'aliyun_secret', 'accesskeysecret', 'access_key_secret'],
      `${B62}{30}`,
    ),
    contextual(
      'ibm-cloud-api-key',
      'IBM Cloud API key',
      ['ibm_cloud_api_key', 'ibmcloud_api_key', 'ibm_api_key', 'ic_api_key'],
      `${B64URL}{44}`,
    ),
    prefixed('heroku-api-key', 'Heroku platform API key', `HRKU-AA${B64URL}{58}`, ['hrku-']),
    contextual(
      'heroku-api-key-legacy',
      'Heroku API key (UUID form)',
      ['heroku_api_key', 'heroku_key', 'heroku_token', 'heroku_auth_token'],
      UUID,
    ),
    contextual(
      'linode-token',
      'Linode / Akamai personal access token',
      ['linode_token', 'linode_api_token', 'linode_cli_token'],
      `${HEX}{64}`,
    ),
    prefixed('scaleway-access-key', 'Scaleway access key', `SCW[A-Z0-9]{17}`, ['scw']),
    contextual('scaleway-secret-key', 'Scaleway secret key', ['scw_secret_key', 'scaleway_secret'], UUID),
    contextual('vultr-api-key', 'Vultr API key', ['vultr_api_key', 'vultr_key'], '[A-Z0-9]{36}'),
    contextual(
      'hetzner-token',
      'Hetzner Cloud API token',
      ['hcloud_token', 'hetzner_token', 'hetzner_api_token'],
      `${B62}{64}`,
    ),
    prefixed('yandex-api-key', 'Yandex Cloud API key', `AQVN${B64URL}{35,38}`, ['aqvn']),
    prefixed(
      'yandex-access-token',
      'Yandex Cloud IAM token',
      `t1\\.[A-Z0-9a-z_\\-]+={0,2}\\.[A-Z0-9a-z_\\-]{86}={0,2}`,
      ['t1.'],
    ),
    prefixed('openshift-token', 'OpenShift user token', `sha256~${B64URL}{43}`, ['sha256~']),
    rule('kubeconfig-client-key', {
      description: 'Kubernetes client key in a kubeconfig',
      regex: `client-key-data:\\s*["']?([A-Za-z0-9+/]{100,}={0,2})`,
      keywords: ['client-key-data'],
    }),
    prefixed(
      'fly-io-token',
      'Fly.io access token',
      `(?:fo1_${B64URL}{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})`,
      ['fo1_', 'fm1', 'fm2'],
    ),
    prefixed('planetscale-api-token', 'PlanetScale API token', `pscale_tkn_[A-Za-z0-9_.\\-]{32,64}`, [
      'pscale_tkn_',
    ]),
    prefixed('planetscale-password', 'PlanetScale database password', `pscale_pw_[A-Za-z0-9_.\\-]{32,64}`, [
      'pscale_pw_',
    ]),
    prefixed('planetscale-oauth-token', 'PlanetScale OAuth token', `pscale_oauth_[A-Za-z0-9_.\\-]{32,64}`, [
      'pscale_oauth_',
    ]),
    prefixed('supabase-access-token', 'Supabase personal access token', `sbp_${HEX}{40}`, ['sbp_']),
    prefixed('databricks-token', 'Databricks personal access token', `dapi${HEX}{32}(?:-\\d)?`, ['dapi']),
    contextual(
      'netlify-token',
      'Netlify access token',
      ['netlify_auth_token', 'netlify_token', 'netlify_api_token'],
      `${B64URL}{40,46}`,
    ),
    contextual(
      'vercel-token',
      'Vercel access token',
      ['vercel_token', 'vercel_api_token', 'now_token'],
      `${B62}{24}`,
    ),
    contextual('render-api-key', 'Render API key', ['render_api_key'], `rnd_${B62}{32}`),
  ];
}

function sourceHosts(): Rule[] {
  return [
    prefixed('github-pat', 'GitHub personal access token (classic)', `ghp_${B62}{36}`, ['ghp_']),
    prefixed(
      'github-fine-grained-pat',
      'GitHub fine-grained personal access token',
      `github_pat_${B62}{22}_${B62}{59}`,
      ['github_pat_'],
    ),
    prefixed('github-oauth-token', 'GitHub OAuth access token', `gho_${B62}{36}`, ['gho_']),
    prefixed('github-user-to-server-token', 'GitHub App user-to-server token', `ghu_${B62}{36}`, ['ghu_']),
    prefixed(
      'github-app-installation-token',
      'GitHub App installation (server-to-server) token',
      `ghs_${B62}{36}`,
      ['ghs_'],
    ),
    prefixed('github-refresh-token', 'GitHub App refresh token', `ghr_${B62}{36,76}`, ['ghr_']),
    contextual(
      'github-oauth-client-secret',
      'GitHub OAuth app client secret',
      ['github_client_secret', 'gh_client_secret'],
      `${HEX}{40}`,
    ),
    prefixed(
      'gitlab-pat',
      'GitLab personal access token',
      `glpat-${B64URL}{20,}(?:\\.[0-9a-z]{2}\\.[a-z0-9]{9})?`,
      ['glpat-'],
    ),
    prefixed('gitlab-deploy-token', 'GitLab deploy token', `gldt-${B64URL}{20,}`, ['gldt-']),
    prefixed('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', `glptt-${HEX}{40}`, [
      'glptt-',
    ]),
    prefixed('gitlab-runner-token', 'GitLab runner authentication token', `glrt-${B64URL}{20,}`, ['glrt-']),
    prefixed(
      'gitlab-runner-registration-token',
      'GitLab runner registration token',
      `GR1348941${B64URL}{20}`,
      ['gr1348941'],
    ),
    prefixed('gitlab-ci-build-token', 'GitLab CI/CD job token', `glcbt-[0-9a-zA-Z]{1,5}_${B64URL}{20}`, [
      'glcbt-',
    ]),
    prefixed('gitlab-incoming-mail-token', 'GitLab incoming mail token', `glimt-${B64URL}{25}`, ['glimt-']),
    prefixed('gitlab-oauth-app-secret', 'GitLab OAuth application secret', `gloas-${B64URL}{64}`, ['gloas-']),
    prefixed('gitlab-feed-token', 'GitLab feed token', `glft-${B64URL}{20}`, ['glft-']),
    prefixed('gitlab-agent-token', 'GitLab agent for Kubernetes token', `glagent-${B64URL}{50}`, [
      'glagent-',
    ]),
    prefixed('gitlab-scim-token', 'GitLab SCIM OAuth token', `glsoat-${B64URL}{20}`, ['glsoat-']),
    prefixed('gitlab-feature-flag-token', 'GitLab feature flag client token', `glffct-${B64URL}{20}`, [
      'glffct-',
    ]),
    prefixed('bitbucket-app-password', 'Bitbucket app password', `ATBB[A-Za-z0-9_=.\\-]{32}`, ['atbb']),
    prefixed('atlassian-api-token', 'Atlassian / Bitbucket API token', `ATATT3${B64URL}{180,}={0,2}`, [
      'atatt3',
    ]),
    prefixed(
      'bitbucket-access-token',
      'Bitbucket repository / workspace access token',
      `ATCTT3${B64URL}{180,}={0,2}`,
      ['atctt3'],
    ),
    contextual(
      'bitbucket-client-secret',
      'Bitbucket OAuth consumer secret',
      ['bitbucket_client_secret', 'bitbucket_secret', 'bitbucket_oauth_secret'],
      `${B62}{32}`,
    ),
    prefixed('sourcegraph-token', 'Sourcegraph access token', `sgp_(?:${HEX}{16}|local)_${HEX}{40}`, [
      'sgp_',
    ]),
    contextual('gitea-token', 'Gitea / Forgejo access token', ['gitea_token', 'forgejo_token'], `${HEX}{40}`),
  ];
}

function messaging(): Rule[] {
  return [
    prefixed('slack-bot-token', 'Slack bot token', `xoxb-\\d{10,13}-\\d{10,13}-${B62}{24,32}`, ['xoxb-']),
    prefixed(
      'slack-user-token',
      'Slack user token',
      `xox[pe]-\\d{10,13}-\\d{10,13}-\\d{10,13}-${HEX}{28,34}`,
      ['xoxp-', 'xoxe-'],
    ),
    prefixed('slack-app-token', 'Slack app-level token', `xapp-\\d-[A-Z0-9]{9,12}-\\d{10,13}-${HEX}{64}`, [
      'xapp-',
    ]),
    prefixed(
      'slack-config-access-token',
      'Slack configuration access token',
      `xoxe\\.xox[bp]-\\d-${B62}{160,170}`,
      ['xoxe.xox'],
    ),
    prefixed('slack-config-refresh-token', 'Slack configuration refresh token', `xoxe-\\d-${B62}{140,150}`, [
      'xoxe-',
    ]),
    prefixed('slack-legacy-token', 'Slack legacy token', `xox[os]-\\d+-\\d+-\\d+-${HEX}{16,}`, [
      'xoxo-',
      'xoxs-',
    ]),
    prefixed(
      'slack-legacy-workspace-token',
      'Slack legacy workspace token',
      `xox[ar]-(?:\\d-)?${B62}{8,48}`,
      ['xoxa-', 'xoxr-'],
      { entropy: 3 },
    ),
    rule('slack-webhook-url', {
      description: 'Slack incoming webhook URL',
      regex: `(https?://hooks\\.slack\\.com/services/T[A-Z0-9]{8,12}/B[A-Z0-9]{8,12}/${B62}{24})`,
      keywords: ['hooks.slack.com'],
    }),
    rule('slack-workflow-webhook-url', {
      description: 'Slack workflow webhook URL',
      regex: `(https?://hooks\\.slack\\.com/(?:workflows|triggers)/T[A-Z0-9]{8,12}/A[A-Z0-9]{8,12}/\\d{15,22}/${B62}{32})`,
      keywords: ['hooks.slack.com'],
    }),
    prefixed('telegram-bot-token', 'Telegram bot token', `\\d{8,10}:AA${B64URL}{33}`, [':aa']),
    rule('discord-webhook-url', {
      description: 'Discord webhook URL',
      regex: `(https://(?:ptb\\.|canary\\.)?discord(?:app)?\\.com/api/webhooks/\\d{17,20}/${B64URL}{60,68})`,
      keywords: ['discord'],
    }),
    contextual(
      'discord-bot-token',
      'Discord bot token',
      ['discord_token', 'discord_bot_token', 'discord_client_secret'],
      `[MNO][A-Za-z0-9_\\-]{23,27}\\.${B64URL}{6}\\.${B64URL}{27,38}`,
    ),
    rule('teams-webhook-url', {
      description: 'Microsoft Teams incoming webhook URL',
      regex: `(https://[a-z0-9\\-]+\\.webhook\\.office\\.com/webhookb2/[a-f0-9\\-]{36}@[a-f0-9\\-]{36}/IncomingWebhook/${HEX}{32}/[a-f0-9\\-]{36}(?:/[A-Za-z0-9_\\-]+)?)`,
      keywords: ['webhook.office.com'],
    }),
    prefixed('twilio-api-key', 'Twilio API key SID', `SK[0-9a-fA-F]{32}`, ['sk'], { entropy: 3 }),
    contextual(
      'twilio-auth-token',
      'Twilio auth token',
      ['twilio_auth_token', 'twilio_token', 'twilio_secret', 'twilio_api_secret'],
      `${HEX}{32}`,
    ),
    prefixed('sendgrid-api-key', 'SendGrid API key', `SG\\.${B64URL}{22}\\.${B64URL}{43}`, ['sg.']),
    prefixed('mailgun-private-api-key', 'Mailgun private API key', `key-${HEX}{32}`, ['key-']),
    contextual(
      'mailgun-api-key',
      'Mailgun API key',
      ['mailgun_api_key', 'mailgun_key', 'mailgun_signing_key', 'mailgun_secret'],
      `${HEX}{32}-${HEX}{8}-${HEX}{8}`,
    ),
    prefixed('mailchimp-api-key', 'Mailchimp API key', `${HEX}{32}-us\\d{1,2}`, ['-us']),
    prefixed('brevo-api-key', 'Brevo (Sendinblue) API key', `xkeysib-${HEX}{64}-${B62}{16}`, ['xkeysib-']),
    prefixed('brevo-smtp-key', 'Brevo (Sendinblue) SMTP key', `xsmtpsib-${HEX}{64}-${B62}{16}`, [
      'xsmtpsib-',
    ]),
    contextual(
      'postmark-server-token',
      'Postmark server token',
      ['postmark_server_token', 'postmark_api_token', 'postmark_token'],
      UUID,
    ),
    contextual(
      'mailjet-secret-key',
      'Mailjet API secret',
      ['mailjet_secret', 'mj_apikey_private', 'mailjet_api_secret'],
      `${HEX}{32}`,
    ),
    contextual('pusher-secret', 'Pusher app secret', ['pusher_secret', 'pusher_app_secret'], `${HEX}{20}`),
  ];
}

function payments(): Rule[] {
  return [
    prefixed('stripe-secret-key', 'Stripe secret key', `sk_(?:live|test)_${B62}{24,247}`, [
      'sk_live_',
      'sk_test_',
    ]),
    prefixed('stripe-restricted-key', 'Stripe restricted key', `rk_(?:live|test)_${B62}{24,247}`, [
      'rk_live_',
      'rk_test_',
    ]),
    prefixed('stripe-webhook-secret', 'Stripe webhook signing secret', `whsec_${B62}{32,64}`, ['whsec_']),
    prefixed('square-access-token', 'Square access token', `EAAA[A-Za-z0-9_\\-+=]{60}`, ['eaaa']),
    prefixed('square-oauth-secret', 'Square OAuth secret', `sq0csp-${B64URL}{43}`, ['sq0csp-']),
    prefixed('square-legacy-token', 'Square legacy access token', `sq0atp-${B64URL}{22}`, ['sq0atp-']),
    prefixed(
      'braintree-access-token',
      'PayPal Braintree access token',
      `access_token\\$production\\$[a-z0-9]{16}\\$${HEX}{32}`,
      ['access_token$production$'],
    ),
    contextual(
      'paypal-client-secret',
      'PayPal REST client secret',
      ['paypal_client_secret', 'paypal_secret'],
      `E[A-Za-z0-9_\\-]{79}`,
    ),
    prefixed('shopify-access-token', 'Shopify access token', `shpat_[a-fA-F0-9]{32}`, ['shpat_']),
    prefixed('shopify-custom-app-token', 'Shopify custom app access token', `shpca_[a-fA-F0-9]{32}`, [
      'shpca_',
    ]),
    prefixed('shopify-private-app-token', 'Shopify private app access token', `shppa_[a-fA-F0-9]{32}`, [
      'shppa_',
    ]),
    prefixed('shopify-shared-secret', 'Shopify shared secret', `shpss_[a-fA-F0-9]{32}`, ['shpss_']),
    prefixed(
      'plaid-access-token',
      'Plaid access token',
      `access-(?:sandbox|development|production)-${UUID}`,
      ['access-sandbox-', 'access-development-', 'access-production-'],
    ),
    prefixed('flutterwave-secret-key', 'Flutterwave secret key', `FLWSECK(?:_TEST)?-${HEX}{32}-X`, [
      'flwseck',
    ]),
    prefixed('flutterwave-encryption-key', 'Flutterwave encryption key', `FLWSECK_TEST${HEX}{12}`, [
      'flwseck_test',
    ]),
    prefixed('shippo-token', 'Shippo API token', `shippo_(?:live|test)_${HEX}{40}`, ['shippo_']),
    prefixed('easypost-api-key', 'EasyPost API key', `EZ[AT]K${B62}{54}`, ['ezak', 'eztk']),
    prefixed('duffel-token', 'Duffel API token', `duffel_(?:test|live)_[A-Za-z0-9_\\-=]{43}`, ['duffel_']),
    contextual(
      'razorpay-key-secret',
      'Razorpay key secret',
      ['razorpay_key_secret', 'razorpay_secret'],
      `${B62}{24}`,
    ),
    contextual(
      'coinbase-api-secret',
      'Coinbase API secret',
      ['coinbase_api_secret', 'coinbase_secret'],
      `${B62}{32}`,
    ),
  ];
}

function packageRegistries(): Rule[] {
  return [
    prefixed('npm-access-token', 'npm access token', `npm_${B62}{36}`, ['npm_']),
    rule('npmrc-auth-token', {
      description: 'Registry auth token in .npmrc',
      regex: `:_auth(?:Token)?\\s*=\\s*["']?([^\\s"']{16,})`,
      keywords: [':_auth'],
      validate: (s) => !isPlaceholder(s),
    }),
    prefixed('pypi-upload-token', 'PyPI upload token', `pypi-AgEIcHlwaS5vcmc${B64URL}{50,}`, [
      'pypi-ageichlwas5vcmc',
    ]),
    prefixed('pypi-test-upload-token', 'TestPyPI upload token', `pypi-AgENdGVzdC5weXBpLm9yZw${B64URL}{50,}`, [
      'pypi-agendgvzdc5wexbplm9yzw',
    ]),
    prefixed('dockerhub-pat', 'Docker Hub personal access token', `dckr_pat_${B64URL}{27}`, ['dckr_pat_']),
    prefixed('dockerhub-oat', 'Docker Hub organization access token', `dckr_oat_${B64URL}{32}`, [
      'dckr_oat_',
    ]),
    rule('docker-config-auth', {
      description: 'Registry credentials in a Docker config.json',
      regex: `"auth"\\s*:\\s*"([A-Za-z0-9+/]{12,}={0,2})"`,
      keywords: ['"auth"'],
      validate: (s) => {
        const decoded = Buffer.from(s, 'base64').toString('utf8');
        return /^[^:\s]+:\S{3,}$/.test(decoded) && !isPlaceholder(decoded.slice(decoded.indexOf(':') + 1));
      },
    }),
    prefixed('nuget-api-key', 'NuGet API key', `oy2[a-z0-9]{43}`, ['oy2']),
    prefixed('rubygems-api-key', 'RubyGems API key', `rubygems_${HEX}{48}`, ['rubygems_']),
    prefixed('clojars-token', 'Clojars deploy token', `CLOJARS_[a-z0-9]{60}`, ['clojars_']),
    prefixed('jfrog-api-key', 'JFrog Artifactory API key', `AKCp${B62}{69}`, ['akcp']),
    prefixed(
      'jfrog-identity-token',
      'JFrog Artifactory identity / reference token',
      `cmVmdGtuOjAxOj${B62}{40,}`,
      ['cmvmdgtuojaxoj'],
    ),
    contextual(
      'packagist-token',
      'Packagist / Private Packagist token',
      ['packagist_token', 'composer_auth_token'],
      `${B62}{40}`,
    ),
    contextual(
      'crates-io-token',
      'crates.io API token',
      ['cargo_registry_token', 'crates_io_token', 'cargo_token'],
      `cio${B62}{32}`,
    ),
    contextual('hex-pm-api-key', 'Hex.pm API key', ['hex_api_key', 'hexpm_key'], `${HEX}{32}`),
    contextual(
      'maven-repo-password',
      'Maven / Gradle repository password',
      ['ossrh_password', 'sonatype_password', 'maven_password', 'gradle_password', 'mavencentralpassword'],
      `[^\\s"'<>]{8,64}`,
      { entropy: 3.2 },
    ),
  ];
}

function aiAndSaas(): Rule[] {
  return [
    prefixed(
      'openai-api-key',
      'OpenAI API key',
      `sk-(?:proj-|svcacct-|admin-)?${B64URL}{20,}T3BlbkFJ${B64URL}{20,}`,
      ['t3blbkfj'],
    ),
    prefixed('openai-project-key', 'OpenAI project API key', `sk-proj-${B64URL}{100,}`, ['sk-proj-']),
    prefixed('anthropic-api-key', 'Anthropic API key', `sk-ant-api03-${B64URL}{93}AA`, ['sk-ant-api03-']),
    prefixed('anthropic-admin-key', 'Anthropic admin API key', `sk-ant-admin01-${B64URL}{93}AA`, [
      'sk-ant-admin01-',
    ]),
    prefixed('huggingface-token', 'Hugging Face access token', `hf_[A-Za-z]{34}`, ['hf_']),
    prefixed('huggingface-org-token', 'Hugging Face organization API token', `api_org_[A-Za-z]{34}`, [
      'api_org_',
    ]),
    prefixed('groq-api-key', 'Groq API key', `gsk_${B62}{52}`, ['gsk_']),
    prefixed('replicate-api-token', 'Replicate API token', `r8_${B62}{37}`, ['r8_']),
    prefixed('perplexity-api-key', 'Perplexity API key', `pplx-${B62}{48}`, ['pplx-']),
    prefixed('xai-api-key', 'xAI API key', `xai-${B62}{80}`, ['xai-']),
    contextual(
      'cohere-api-key',
      'Cohere API key',
      ['cohere_api_key', 'co_api_key', 'cohere_key'],
      `${B62}{40}`,
    ),
    contextual('mistral-api-key', 'Mistral API key', ['mistral_api_key', 'mistral_key'], `${B62}{32}`),
    prefixed('langsmith-api-key', 'LangSmith API key', `lsv2_(?:pt|sk)_${HEX}{32}_${HEX}{10}`, ['lsv2_']),
    prefixed('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', `v1\\.0-${HEX}{24}-${HEX}{146}`, [
      'v1.0-',
    ]),
    contextual(
      'cloudflare-api-token',
      'Cloudflare API token',
      ['cloudflare_api_token', 'cf_api_token', 'cloudflare_token', 'cf_token'],
      `${B64URL}{40}`,
    ),
    contextual(
      'cloudflare-global-api-key',
      'Cloudflare global API key',
      ['cloudflare_api_key', 'cf_api_key', 'cloudflare_global_api_key', 'cloudflare_key'],
      `${HEX}{37}`,
    ),
    prefixed('new-relic-user-api-key', 'New Relic user API key', `NRAK-[A-Z0-9]{27}`, ['nrak-']),
    prefixed('new-relic-insert-key', 'New Relic insert key', `NRII-${B64URL}{32}`, ['nrii-']),
    prefixed('new-relic-browser-key', 'New Relic browser API key', `NRJS-${HEX}{19}`, ['nrjs-']),
    contextual(
      'datadog-api-key',
      'Datadog API or application key',
      ['datadog_api_key', 'dd_api_key', 'datadog_app_key', 'dd_app_key', 'dd_application_key'],
      `(?:${HEX}{32}|${HEX}{40})`,
    ),
    prefixed('sentry-org-token', 'Sentry organization auth token', `sntrys_eyJ[A-Za-z0-9+/=_\\-]{60,}`, [
      'sntrys_',
    ]),
    prefixed('sentry-user-token', 'Sentry user auth token', `sntryu_${HEX}{64}`, ['sntryu_']),
    prefixed('grafana-cloud-token', 'Grafana Cloud API token', `glc_[A-Za-z0-9+/]{32,400}={0,2}`, ['glc_']),
    prefixed(
      'grafana-service-account-token',
      'Grafana service account token',
      `glsa_${B62}{32}_[A-Fa-f0-9]{8}`,
      ['glsa_'],
    ),
    prefixed('dynatrace-token', 'Dynatrace API token', `dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}`, ['dt0c01.']),
    prefixed('postman-api-key', 'Postman API key', `PMAK-${HEX}{24}-${HEX}{34}`, ['pmak-']),
    prefixed('linear-api-key', 'Linear API key', `lin_api_${B62}{40}`, ['lin_api_']),
    prefixed('notion-integration-token', 'Notion integration token', `ntn_\\d{11}${B62}{35}`, ['ntn_']),
    prefixed('notion-legacy-token', 'Notion integration token (legacy)', `secret_${B62}{43}`, ['secret_']),
    prefixed('airtable-pat', 'Airtable personal access token', `pat${B62}{14}\\.${HEX}{64}`, ['pat']),
    prefixed('figma-pat', 'Figma personal access token', `figd_${B64URL}{40}`, ['figd_']),
    contextual(
      'okta-api-token',
      'Okta API token',
      ['okta_api_token', 'okta_token', 'okta_client_secret'],
      `00${B64URL}{40}`,
    ),
    prefixed('sonarqube-token', 'SonarQube / SonarCloud token', `sq[pau]_${HEX}{40}`, [
      'sqp_',
      'squ_',
      'sqa_',
    ]),
    prefixed('circleci-pat', 'CircleCI personal API token', `CCIPAT_${B62}{22}_${HEX}{40}`, ['ccipat_']),
    prefixed('buildkite-token', 'Buildkite API access token', `bkua_${HEX}{40}`, ['bkua_']),
    prefixed(
      'dropbox-short-lived-token',
      'Dropbox short-lived access token',
      `sl\\.(?:u\\.)?${B64URL}{130,}`,
      ['sl.'],
    ),
    prefixed('mapbox-secret-token', 'Mapbox secret token', `sk\\.eyJ${B64URL}{50,}\\.${B64URL}{20,}`, [
      'sk.eyj',
    ]),
    contextual(
      'algolia-admin-key',
      'Algolia admin API key',
      ['algolia_admin_key', 'algolia_api_key', 'algolia_write_key', 'algolia_admin_api_key'],
      `${HEX}{32}`,
    ),
    prefixed('contentful-pat', 'Contentful personal access token', `CFPAT-${B64URL}{43}`, ['cfpat-']),
    prefixed('prefect-api-key', 'Prefect API key', `pnu_${B62}{36}`, ['pnu_']),
    prefixed('readme-api-key', 'ReadMe API key', `rdme_[a-z0-9]{70}`, ['rdme_']),
    prefixed('frameio-token', 'Frame.io API token', `fio-u-[A-Za-z0-9_\\-=]{64}`, ['fio-u-']),
    prefixed('typeform-pat', 'Typeform personal access token', `tfp_[A-Za-z0-9_\\-.=]{59}`, ['tfp_']),
    prefixed('hubspot-private-app-token', 'HubSpot private app token', `pat-(?:na|eu)1-${UUID}`, [
      'pat-na1-',
      'pat-eu1-',
    ]),
    prefixed(
      'onepassword-service-account-token',
      '1Password service account token',
      `ops_eyJ[A-Za-z0-9+/]{250,}={0,3}`,
      ['ops_eyj'],
    ),
    prefixed(
      'tailscale-key',
      'Tailscale API / auth key',
      `tskey-(?:api|auth|client|webhook|scim)-${B62}{10,}-${B62}{20,}`,
      ['tskey-'],
    ),
    contextual(
      'ngrok-authtoken',
      'ngrok authtoken',
      ['ngrok_authtoken', 'ngrok_auth_token', 'authtoken'],
      `[0-9a-zA-Z]{27}_[0-9a-zA-Z]{21}`,
    ),
    prefixed(
      'harness-pat',
      'Harness personal / service access token',
      `(?:pat|sat)\\.${B64URL}{22}\\.${HEX}{24}\\.${B62}{20}`,
      ['pat.', 'sat.'],
    ),
    prefixed('octopus-deploy-api-key', 'Octopus Deploy API key', `API-[A-Z0-9]{26}`, ['api-']),
    prefixed(
      'defined-networking-key',
      'Defined Networking API key',
      `dnkey-[a-z0-9=_\\-]{26}-[a-z0-9=_\\-]{52}`,
      ['dnkey-'],
    ),
    prefixed('adobe-client-secret', 'Adobe client secret', `p8e-${B62}{32}`, ['p8e-']),
    prefixed('hashicorp-vault-service-token', 'HashiCorp Vault service token', `hvs\\.${B64URL}{24,}`, [
      'hvs.',
    ]),
    prefixed('hashicorp-vault-batch-token', 'HashiCorp Vault batch token', `hvb\\.${B64URL}{24,}`, ['hvb.']),
    prefixed(
      'terraform-cloud-token',
      'Terraform Cloud / Enterprise API token',
      `${B62}{14}\\.atlasv1\\.[A-Za-z0-9_\\-=]{60,70}`,
      ['atlasv1'],
    ),
    prefixed('pulumi-access-token', 'Pulumi access token', `pul-${HEX}{40}`, ['pul-']),
    prefixed('doppler-token', 'Doppler token', `dp\\.(?:pt|st|sa|ct|scim|audit)\\.${B62}{40,44}`, [
      'dp.pt.',
      'dp.st.',
      'dp.sa.',
      'dp.ct.',
      'dp.scim.',
      'dp.audit.',
    ]),
    prefixed('facebook-access-token', 'Facebook / Meta access token', `EAA[BCDGIMOPQRSTUVWXYZ]${B62}{80,}`, [
      'eaa',
    ]),
    // Bearer tokens start with 22 'A's, which the placeholder check would take for filler.
    prefixed(
      'twitter-bearer-token',
      'Twitter / X bearer token',
      `A{22}[A-Za-z0-9%]{80,}`,
      ['aaaaaaaaaaaaaaaaaaaaaa'],
      { validate: (s) => !isPlaceholder(s.slice(22)) },
    ),
    contextual(
      'twitter-api-secret',
      'Twitter / X API secret',
      ['twitter_api_secret', 'twitter_consumer_secret', 'twitter_access_token_secret', 'twitter_secret'],
      `${B62}{45,50}`,
    ),
    contextual(
      'linkedin-client-secret',
      'LinkedIn client secret',
      ['linkedin_client_secret', 'linkedin_secret'],
      `${B62}{16}`,
    ),
    contextual(
      'twitch-client-secret',
      'Twitch client secret',
      ['twitch_client_secret', 'twitch_secret'],
      '[a-z0-9]{30}',
    ),
    contextual(
      'spotify-client-secret',
      'Spotify client secret',
      ['spotify_client_secret', 'spotify_secret'],
      `${HEX}{32}`,
    ),
    contextual(
      'launchdarkly-key',
      'LaunchDarkly SDK / API key',
      ['launchdarkly_sdk_key', 'launchdarkly_api_key', 'ld_sdk_key', 'ld_api_key'],
      `(?:sdk|api)-${UUID}`,
    ),
    contextual('snyk-token', 'Snyk API token', ['snyk_token', 'snyk_api_token'], UUID),
    contextual('codecov-token', 'Codecov upload token', ['codecov_token'], UUID),
    contextual(
      'pagerduty-api-key',
      'PagerDuty API key',
      ['pagerduty_api_key', 'pagerduty_token', 'pd_api_key'],
      `[A-Za-z0-9_+\\-]{20}`,
    ),
    contextual(
      'zendesk-api-token',
      'Zendesk API token',
      ['zendesk_api_token', 'zendesk_token'],
      `${B62}{40}`,
    ),
    contextual(
      'intercom-access-token',
      'Intercom access token',
      ['intercom_access_token', 'intercom_token'],
      `dG9rOj${B62}{30,}={0,2}`,
    ),
    contextual(
      'jira-api-token',
      'Jira / Confluence API token (legacy 24-character form)',
      ['jira_api_token', 'jira_token', 'confluence_api_token', 'confluence_token'],
      `${B62}{24}`,
    ),
    contextual(
      'firebase-cloud-messaging-key',
      'Firebase Cloud Messaging server key',
      ['fcm_server_key', 'firebase_server_key', 'fcm_key'],
      `AAAA${B64URL}{7}:${B64URL}{140}`,
    ),
  ];
}

const PEM_TYPES = '(?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP|SSH2|DH) )?';

function keysAndTokens(): Rule[] {
  return [
    rule('private-key', {
      description: 'Private key (PEM / OpenSSH / PGP)',
      regex: `(-----BEGIN ${PEM_TYPES}PRIVATE KEY(?: BLOCK)?-----[\\s\\S]{64,}?-----END ${PEM_TYPES}PRIVATE KEY(?: BLOCK)?-----)`,
      keywords: ['-----begin'],
      multiline: true,
      validate: (s) => !/EXAMPLE|\.\.\.|<[^>]+>|xxxx/i.test(s),
    }),
    rule('putty-private-key', {
      description: 'PuTTY private key file',
      regex: `(PuTTY-User-Key-File-\\d: [\\w\\-]+[\\s\\S]{0,4000}?Private-Lines: \\d+\\r?\\n[A-Za-z0-9+/=]{20,})`,
      keywords: ['putty-user-key-file-'],
      multiline: true,
    }),
    prefixed(
      'age-secret-key',
      'age encryption secret key',
      `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`,
      ['age-secret-key-1'],
    ),
    rule('jwt', {
      description: 'JSON Web Token',
      regex: `(eyJ${B64URL}{10,}\\.eyJ${B64URL}{10,}\\.${B64URL}{10,})${END}`,
      wordStart: true,
      keywords: ['eyj'],
      validate: (s) => {
        try {
          const header = JSON.parse(
            Buffer.from(s.slice(0, s.indexOf('.')), 'base64url').toString('utf8'),
          ) as unknown;
          return typeof header === 'object' && header !== null && 'alg' in header;
        } catch {
          return false;
        }
      },
    }),
    uriPassword(
      'postgres-uri-password',
      'PostgreSQL connection string with a password',
      'postgres|postgresql|postgis',
    ),
    uriPassword(
      'mysql-uri-password',
      'MySQL / MariaDB connection string with a password',
      'mysql|mariadb|mysql\\+pymysql|mysql2',
    ),
    uriPassword('mongodb-uri-password', 'MongoDB connection string with a password', 'mongodb|mongodb\\+srv'),
    uriPassword('redis-uri-password', 'Redis connection string with a password', 'redis|rediss'),
    uriPassword('amqp-uri-password', 'RabbitMQ / AMQP connection string with a password', 'amqp|amqps'),
    uriPassword('mssql-uri-password', 'SQL Server connection string with a password', 'mssql|sqlserver'),
    uriPassword(
      'url-basic-auth-password',
      'URL with embedded credentials',
      'http|https|ftp|ftps|sftp|smtp|smtps|ldap|ldaps|ssh|git',
      6,
    ),
    rule('jdbc-password', {
      description: 'JDBC URL with a password parameter',
      regex: `jdbc:[a-z0-9]+:[^\\s'"]{0,512}?[?&;][Pp]assword=([^\\s&;'"]{3,})`,
      keywords: ['jdbc:'],
      validate: (s) => !isPlaceholder(s),
    }),
    rule('ado-connection-string-password', {
      description: 'ADO.NET / ODBC connection string with a password',
      regex: `(?:Server|Data Source|Host)=[^;'"]+;[^'"\\n]*?(?:Password|Pwd)=([^;'"\\s]{4,})`,
      keywords: ['password=', 'pwd='],
      flags: 'i',
      validate: (s) => !isPlaceholder(s),
    }),
    rule('htpasswd-hash', {
      description: 'htpasswd entry (password hash)',
      regex: `^[\\w.\\-]+:(\\$(?:apr1|2[aby])\\$[./A-Za-z0-9$]{20,})$`,
      keywords: ['$apr1$', '$2y$', '$2a$', '$2b$'],
      validate: (_s, line) => !/["'=]/.test(line),
    }),
  ];
}

const GENERIC_NAMES =
  '(?:secret|passwd|password|passphrase|pwd|token|api[_.\\-]?key|apikey|access[_.\\-]?key|auth[_.\\-]?(?:key|token)|credentials?|private[_.\\-]?key|signing[_.\\-]?key|encryption[_.\\-]?key|master[_.\\-]?key|client[_.\\-]?secret)';

// A crypt(3)-style password hash is what a server stores instead of the password: not a credential.
const PASSWORD_HASH =
  /^(?:\$(?:2[abxy]?|argon2(?:id|i|d)|[156y]|pbkdf2[\w-]*|scrypt|sha\d*)\$|\{S?SHA\d*\})/i;

/** Characters that make a value look like a secret rather than a word. */
function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
}

function generic(): Rule {
  return rule('generic-secret', {
    description: 'Secret-looking value assigned to a secret-like name',
    regex: `${GENERIC_NAMES}[\\w.\\-]{0,20}?["'\\x60]?\\s{0,5}(?:=|:=|:|=>|\\?=|<-)\\s{0,5}(?:[Bb]earer\\s+|[Bb]asic\\s+)?(["'\\x60]?)([A-Za-z0-9+/=_\\-.~!@#$%^&*?]{10,150})\\1(?![A-Za-z0-9+/=_\\-.~!@#$%^&*?(])`,
    flags: 'i',
    keywords: [
      'secret',
      'passw',
      'pwd',
      'token',
      'api_key',
      'apikey',
      'api-key',
      'api.key',
      'access_key',
      'accesskey',
      'access-key',
      'auth_key',
      'authkey',
      'credential',
      'private_key',
      'privatekey',
      'signing_key',
      'encryption_key',
      'master_key',
      'passphrase',
    ],
    secretGroup: 2,
    generic: true,
    validate: (secret) =>
      !isPlaceholder(secret) &&
      !PASSWORD_HASH.test(secret) &&
      !looksLikeCode(secret) &&
      characterClasses(secret) >= 2 &&
      // Hex has 16 symbols, so its entropy tops out at 4 bits; other values must look random at 3.5.
      shannonEntropy(secret) >= (/^[a-f0-9]+$/i.test(secret) ? 3 : 3.5),
  });
}

/** Files where `NAME=value` is configuration: dotenv, INI, Java properties, YAML, TOML. */
const CONFIG_FILE =
  /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]*\.env|[^/]*\.(?:ini|cfg|conf|cnf|properties|ya?ml|toml))$/i;

// The last part of the key names what the value is: DB_PASS, RABBITMQ_DEFAULT_PASS, smtp.password, dbPassword, APP_KEY.
const CONFIG_KINDS = [
  'passwd',
  'password',
  'pass',
  'pwd',
  'passphrase',
  'secret',
  'token',
  'key',
  'credential',
  'credentials',
  'auth',
];
const CONFIG_NAME =
  `(?:(?:[A-Za-z0-9]+[_.-])*(?:${CONFIG_KINDS.map(caseless).join('|')})` +
  `|[a-z][A-Za-z0-9]*(?:Passwd|Password|Pass|Pwd|Passphrase|Secret|Token|Key|Credentials?))`;

/** References to a secret kept elsewhere, in the forms config files use. */
const SECRET_STORE_REF =
  /^(?:vault:|op:\/\/|arn:aws|aws-sm:|ssm:|secretsmanager:|gcp-sm:|gcpsm:|azurekv:|keyvault:|sm:\/\/|ref\+|ENC\[|!(?:vault|Ref|Sub|GetAtt|ImportValue)\b|@Microsoft\.KeyVault\(|projects\/[^/]+\/secrets\/|file:|env:|secret:)/i;
/** Default and demo passwords (placeholders in practice): `password123`, `admin`, `secret!`. */
const DEFAULT_WORD =
  /^(?:pass(?:word|wd)?|secret|admin(?:istrator)?|root|test(?:ing)?|default|demo|guest|user(?:name)?|letmein|qwerty|none|empty|null|tbd|todo|n\/?a)[\d!@#._-]*$/i;

/** Keys made to ship in web pages and apps: Stripe and Lob publishable keys, PostHog project keys, Mapbox public tokens. */
const PUBLISHABLE_KEY = /^(?:pk_(?:live|test)_|(?:live|test)_pub_|phc_|pk\.eyJ)/;

function configValueIsSecret(name: string, value: string): boolean {
  if (value.length < 8 || /^[{[(]/.test(value) || PUBLISHABLE_KEY.test(value)) return false;
  if (
    isPlaceholder(value) ||
    SECRET_STORE_REF.test(value) ||
    DEFAULT_WORD.test(value) ||
    PASSWORD_HASH.test(value)
  )
    return false;
  // Config values are not code: a dotted value with upper case, lower case and digits (`oV.Xv9p.s2LP`)
  // is a password, not a property path such as `com.example.TokenProvider`.
  const mixed =
    /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value) && shannonEntropy(value) >= 3.3;
  if (looksLikeCode(value) && !(mixed && /^[\w.]+$/.test(value))) return false;
  // A number (a port, a timeout, an id) or a dotted name is not a credential.
  if (/^[\d.:_-]+$/.test(value) || /^[a-z0-9-]+(?:\.[a-z0-9-]+){2,}$/i.test(value)) return false;
  const classes = characterClasses(value);
  const entropy = shannonEntropy(value);
  const kind = name.toLowerCase();
  if (/(?:key|auth)$/.test(kind)) {
    // `*_KEY` names hold object keys, cache keys, label names and ids as often as secrets:
    // only random-looking values count (three character classes, or long hex, or Laravel's `base64:`).
    if (/^base64:[A-Za-z0-9+/]{32,}={0,2}$/.test(value)) return true;
    if (/^[a-f0-9]+$/i.test(value)) return value.length >= 32 && entropy >= 3;
    return value.length >= 16 && classes >= 3 && entropy >= 3.3;
  }
  if (/(?:secret|token|credentials?)$/.test(kind)) return value.length >= 10 && classes >= 2 && entropy >= 3;
  // Passwords: what people and generators write, punctuation included.
  return classes >= 2 && entropy >= 2.8;
}

function configCredential(): Rule {
  const built = rule('generic-config-credential', {
    description: 'Credential assigned in a config file (.env, INI, properties, YAML, TOML)',
    regex:
      // A `#` or `;` right after the `=` is part of the value; after a space it starts a comment,
      // unless one word fills the rest of the line (INI parsers keep it as the value).
      `^\\s*(?:export\\s+|-\\s+)?["']?(?:${CONFIG_NAME})["']?\\s*[:=]` +
      `(?:\\s*"([^"\\n]{8,200})"|\\s*'([^'\\n]{8,200})'|\\s*([^\\s"'#;][^\\s]{7,199})|([#;][^\\s]{7,199})|\\s+([#;][^\\s]{7,199})$)\\s*(?:[#;].*)?$`,
    keywords: ['pass', 'pwd', 'secret', 'token', 'key', 'credential', 'auth'],
    generic: true,
    // The secret is whichever value group matched; the name is read back from the line.
    validate: (secret, line) => {
      const m = /^\s*(?:export\s+|-\s+)?["']?([\w.-]+)/.exec(line);
      return m !== null && configValueIsSecret(m[1]!, secret);
    },
  });
  built.path = CONFIG_FILE;
  return built;
}

/** The whole built-in pack. Built on each call, so no rule object is shared between scans. */
export function builtinRules(): Rule[] {
  return [
    ...cloudProviders(),
    ...sourceHosts(),
    ...messaging(),
    ...payments(),
    ...packageRegistries(),
    ...aiAndSaas(),
    ...moreServices(),
    ...exactPrefixServices(),
    ...keysAndTokens(),
    configCredential(),
    generic(),
  ];
}

const UUID_ANY_CASE = '[a-fA-F0-9]{8}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{4}-[a-fA-F0-9]{12}';

/**
 * Services gitleaks' default config covers that the groups above did not (see
 * GITLEAKS-PARITY.md): written from each provider's token format, contextual where the
 * format has no prefix of its own.
 */
function moreServices(): Rule[] {
  return [
    prefixed(
      'onepassword-secret-key',
      '1Password account secret key',
      `A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})(?:-[A-Z0-9]{5}){3}`,
      ['a3-'],
    ),
    prefixed(
      'aws-bedrock-short-lived-key',
      'Amazon Bedrock short-term API key',
      `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{60,}={0,2}`,
      ['bedrock-api-key-'],
    ),
    contextual(
      'adafruit-io-key',
      'Adafruit IO key',
      ['adafruit_io_key', 'adafruit_key', 'adafruit_api_key', 'aio_key'],
      `(?:aio_)?${B62}{28,32}`,
    ),
    contextual(
      'airtable-api-key-legacy',
      'Airtable API key (legacy)',
      ['airtable_api_key', 'airtable_key', 'airtable_token'],
      `key${B62}{14}`,
    ),
    contextual(
      'asana-client-secret',
      'Asana OAuth client secret',
      ['asana_client_secret', 'asana_secret'],
      `${B62}{32}`,
    ),
    prefixed(
      'authress-access-key',
      'Authress service client access key',
      `(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\\.[A-Za-z0-9]{4,6}\\.acc[_\\-][A-Za-z0-9\\-]{10,32}\\.[A-Za-z0-9+/_=\\-]{30,120}`,
      ['.acc_', '.acc-'],
    ),
    contextual(
      'beamer-api-key',
      'Beamer API key',
      ['beamer_api_key', 'beamer_key', 'beamer_token'],
      `b_[A-Za-z0-9=_\\-]{44}`,
    ),
    contextual(
      'meraki-api-key',
      'Cisco Meraki dashboard API key',
      ['meraki_api_key', 'meraki_dashboard_api_key', 'meraki_key', 'x-cisco-meraki-api-key'],
      `${HEX}{40}`,
    ),
    prefixed('clickhouse-cloud-secret', 'ClickHouse Cloud API key secret', `4b1d${B62}{38}`, ['4b1d']),
    contextual(
      'confluent-api-secret',
      'Confluent Cloud API secret',
      ['confluent_api_secret', 'confluent_cloud_api_secret', 'confluent_secret', 'cloud_api_secret'],
      `[A-Za-z0-9+/]{64}`,
    ),
    contextual(
      'contentful-delivery-token',
      'Contentful delivery / preview API token',
      [
        'contentful_delivery_token',
        'contentful_delivery_api_token',
        'contentful_access_token',
        'contentful_preview_token',
        'contentful_cda_token',
        'contentful_cpa_token',
      ],
      `${B64URL}{43}`,
    ),
    rule('curl-auth-header', {
      description: 'Credential in a curl Authorization header',
      regex: `\\bcurl\\b[^\\n]*?\\s(?:-H|--header)[=\\s]\\s*["']?${caseless('authorization')}:\\s*(?:${caseless('bearer')}|${caseless('basic')}|${caseless('token')}|Api-Token)\\s+([A-Za-z0-9+/=_.~\\-]{12,})(?![A-Za-z0-9+/=_.~\\-])`,
      keywords: ['curl'],
      validate: (s) => !isPlaceholder(s) && !looksLikeCode(s) && shannonEntropy(s) >= 3,
    }),
    rule('curl-auth-user', {
      description: 'Password in a curl --user argument',
      // Backticks end the value: `curl -u user:pass` in Markdown is prose about the syntax.
      regex: `\\bcurl\\b[^\\n]*?\\s(?:-u|--user)[=\\s]\\s*["']?([^\\s:"'$\\x60]{2,64}:[^\\s"'$\\x60]{4,128})(?=["'\\s\\x60]|$)`,
      keywords: ['curl'],
      validate: (s) => {
        const password = s.slice(s.indexOf(':') + 1);
        return !isPlaceholder(password) && !DEFAULT_WORD.test(password) && characterClasses(password) >= 2;
      },
    }),
    contextual(
      'discord-client-secret',
      'Discord OAuth client secret',
      ['discord_client_secret', 'discord_secret', 'discord_oauth_secret'],
      `${B64URL}{32}`,
    ),
    contextual(
      'droneci-token',
      'Drone CI access token',
      ['drone_token', 'droneci_token', 'drone_access_token'],
      `${B62}{32}`,
    ),
    contextual(
      'dropbox-app-secret',
      'Dropbox app secret',
      ['dropbox_app_secret', 'dropbox_client_secret', 'dropbox_secret'],
      '[a-z0-9]{15}',
    ),
    contextual(
      'dropbox-long-lived-token',
      'Dropbox long-lived access token',
      ['dropbox_token', 'dropbox_access_token', 'dropbox_api_token', 'dropbox_auth_token'],
      `${B62}{11}AAAAAAAAAA${B64URL}{43}`,
      {
        // Ten 'A's sit in the middle of every such token: filler is judged on the rest.
        validate: (s) => !isFillerInExactFormat(s.slice(0, 11) + s.slice(21)),
      },
    ),
    contextual(
      'etsy-api-key',
      'Etsy API keystring / shared secret',
      ['etsy_api_key', 'etsy_keystring', 'etsy_key', 'etsy_shared_secret', 'etsy_secret'],
      '[a-z0-9]{24}',
    ),
    contextual(
      'facebook-app-secret',
      'Facebook / Meta app secret',
      ['facebook_app_secret', 'facebook_secret', 'facebook_client_secret', 'fb_app_secret', 'fb_secret'],
      `${HEX}{32}`,
    ),
    contextual(
      'fastly-api-token',
      'Fastly API token',
      ['fastly_api_token', 'fastly_api_key', 'fastly_token', 'fastly_key'],
      `${B64URL}{32}`,
    ),
    contextual(
      'finicity-secret',
      'Finicity app key / partner secret',
      ['finicity_app_key', 'finicity_partner_secret', 'finicity_secret', 'finicity_api_key'],
      `(?:${HEX}{32}|${B62}{20})`,
    ),
    contextual(
      'finnhub-api-key',
      'Finnhub API key',
      ['finnhub_api_key', 'finnhub_token', 'finnhub_key'],
      '[a-z0-9]{20}',
    ),
    contextual(
      'flickr-api-secret',
      'Flickr API key / secret',
      ['flickr_api_key', 'flickr_api_secret', 'flickr_secret', 'flickr_key'],
      `(?:${HEX}{32}|${HEX}{16})`,
    ),
    rule('freemius-secret-key', {
      description: 'Freemius secret key in a PHP config array',
      regex: `["']secret_key["']\\s*=>\\s*["'](sk_[^\\s"']{29})["']`,
      keywords: ['secret_key'],
      validate: (s) => !isPlaceholder(s.slice(3)),
    }),
    contextual(
      'freshbooks-token',
      'FreshBooks access token / client secret',
      ['freshbooks_token', 'freshbooks_access_token', 'freshbooks_api_token', 'freshbooks_client_secret'],
      `${HEX}{64}`,
    ),
    rule('gitlab-session-cookie', {
      description: 'GitLab session cookie',
      regex: `_gitlab_session=(${HEX}{32})${END}`,
      keywords: ['_gitlab_session='],
    }),
    contextual(
      'gitter-token',
      'Gitter access token',
      ['gitter_token', 'gitter_access_token', 'gitter_api_token'],
      `${HEX}{40}`,
    ),
    contextual(
      'gocardless-access-token',
      'GoCardless access token',
      ['gocardless_access_token', 'gocardless_token', 'gocardless_api_key', 'gocardless_api_token'],
      `(?:live|sandbox)_[A-Za-z0-9_=\\-]{40}`,
    ),
    prefixed(
      'grafana-api-key-legacy',
      'Grafana API key (legacy, base64 JSON)',
      `eyJrIjoi${B62}{70,400}={0,3}`,
      ['eyjrijoi'],
    ),
    contextual(
      'hubspot-api-key-legacy',
      'HubSpot API key (legacy hapikey)',
      ['hubspot_api_key', 'hubspot_key', 'hapikey'],
      UUID_ANY_CASE,
    ),
    prefixed('infracost-api-key', 'Infracost API key', `ico-${B62}{32}`, ['ico-']),
    prefixed('intra42-client-secret', '42 intranet OAuth client secret', `s-s4t2(?:ud|af)-${HEX}{64}`, [
      's-s4t2ud-',
      's-s4t2af-',
    ]),
    rule('jwt-base64', {
      description: 'Base64-encoded JSON Web Token',
      // "eyJ" (the start of every JWT) base64-encodes to "ZXlK".
      regex: `(ZXlK[A-Za-z0-9+/]{60,}={0,2})(?![A-Za-z0-9+/=])`,
      keywords: ['zxlk'],
      validate: (s) => {
        const decoded = Buffer.from(s, 'base64').toString('utf8').trim();
        const parts = decoded.split('.');
        if (parts.length !== 3 || !/^eyJ[A-Za-z0-9_-]+$/.test(parts[0]!)) return false;
        try {
          const header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8')) as unknown;
          return typeof header === 'object' && header !== null && 'alg' in header;
        } catch {
          return false;
        }
      },
    }),
    contextual(
      'kraken-api-secret',
      'Kraken API private key',
      ['kraken_api_secret', 'kraken_private_key', 'kraken_secret', 'kraken_api_private_key'],
      `[A-Za-z0-9+/]{80,88}={0,2}`,
    ),
    contextual(
      'kucoin-api-secret',
      'KuCoin API key / secret',
      ['kucoin_api_key', 'kucoin_key', 'kucoin_api_secret', 'kucoin_secret'],
      `(?:${HEX}{24}|${UUID})`,
    ),
    contextual(
      'linear-client-secret',
      'Linear OAuth client secret',
      ['linear_client_secret', 'linear_oauth_secret'],
      `${HEX}{32}`,
    ),
    contextual(
      'lob-api-key',
      'Lob secret API key',
      ['lob_api_key', 'lob_secret_key', 'lob_key', 'lob_secret'],
      `(?:live|test)_${HEX}{35}`,
    ),
    contextual(
      'looker-client-secret',
      'Looker API client secret',
      ['looker_client_secret', 'lookersdk_client_secret', 'looker_secret'],
      `${B62}{24}`,
    ),
    contextual(
      'mattermost-token',
      'Mattermost access token',
      ['mattermost_token', 'mattermost_access_token', 'mattermost_bot_token', 'mmauthtoken'],
      '[a-z0-9]{26}',
    ),
    prefixed('maxmind-license-key', 'MaxMind license key', `${B62}{6}_${B62}{29}_mmk`, ['_mmk']),
    contextual(
      'messagebird-api-key',
      'MessageBird (Bird) access key',
      [
        'messagebird_api_key',
        'messagebird_access_key',
        'messagebird_key',
        'message_bird_key',
        'messagebird_token',
      ],
      `${B62}{25}`,
    ),
    rule('nuget-config-password', {
      description: 'Package source password in a NuGet.config',
      regex: `<add\\s+key=["'](?:ClearText)?Password["']\\s+value=["']([^"'\\s]{8,})["']`,
      flags: 'i',
      keywords: ['password"', "password'"],
      validate: (s) => !isPlaceholder(s) && !/^%[^%]+%$/.test(s),
    }),
    contextual(
      'nytimes-api-key',
      'New York Times API key',
      ['nytimes_api_key', 'nyt_api_key', 'nytimes_key', 'nytimes_secret'],
      `${B62}{32}`,
    ),
    contextual(
      'plaid-secret',
      'Plaid secret',
      [
        'plaid_secret',
        'plaid_secret_key',
        'plaid_client_secret',
        'plaid_sandbox_secret',
        'plaid_development_secret',
        'plaid_production_secret',
      ],
      '[a-z0-9]{30}',
    ),
    contextual(
      'privateai-api-key',
      'Private AI API key',
      ['private_ai_api_key', 'privateai_api_key', 'private_ai_key', 'pai_api_key'],
      `${B62}{32}`,
    ),
    contextual(
      'rapidapi-key',
      'RapidAPI key',
      ['rapidapi_key', 'x-rapidapi-key', 'rapid_api_key', 'rapidapi_token'],
      `${B64URL}{50}`,
    ),
    prefixed('scalingo-api-token', 'Scalingo API token', `tk-us-${B64URL}{48}`, ['tk-us-']),
    contextual(
      'sendbird-api-token',
      'Sendbird API token',
      ['sendbird_api_token', 'sendbird_token', 'sendbird_master_token', 'sendbird_api_key'],
      `${HEX}{40}`,
    ),
    contextual(
      'sentry-auth-token-legacy',
      'Sentry auth token (unprefixed form)',
      ['sentry_auth_token', 'sentry_token', 'sentry_api_token'],
      `${HEX}{64}`,
    ),
    prefixed(
      'settlemint-token',
      'SettleMint application / personal / service access token',
      `sm_(?:aat|pat|sat)_${B62}{16}`,
      ['sm_aat_', 'sm_pat_', 'sm_sat_'],
    ),
    contextual(
      'sidekiq-credentials',
      'Sidekiq Pro / Enterprise gem source credentials',
      ['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'],
      `${HEX}{8}:${HEX}{8}`,
    ),
    prefixed(
      'slack-legacy-bot-token',
      'Slack legacy bot token (two-part form)',
      `xoxb-\\d{8,14}-${B62}{18,26}`,
      ['xoxb-'],
    ),
    contextual(
      'sonarqube-token-legacy',
      'SonarQube token (unprefixed form)',
      ['sonar_token', 'sonar_login', 'sonar.login', 'sonar.token', 'sonarqube_token', 'sonar_auth_token'],
      `${HEX}{40}`,
    ),
    contextual(
      'squarespace-api-key',
      'Squarespace API key',
      ['squarespace_api_key', 'squarespace_key', 'squarespace_token', 'squarespace_access_token'],
      UUID,
    ),
    contextual(
      'sumologic-access-key',
      'Sumo Logic access key',
      ['sumo_access_key', 'sumologic_access_key', 'sumo_key', 'sumologic_key'],
      `${B62}{64}`,
    ),
    contextual(
      'travisci-token',
      'Travis CI API token',
      ['travis_token', 'travis_api_token', 'travis_access_token', 'travis_ci_token'],
      `${B62}{22}`,
    ),
    contextual(
      'twitter-access-token',
      'Twitter / X user access token',
      ['twitter_access_token', 'twitter_oauth_token', 'twitter_token'],
      `\\d{15,25}-${B62}{20,40}`,
    ),
    contextual(
      'twitter-api-key',
      'Twitter / X API (consumer) key',
      ['twitter_api_key', 'twitter_consumer_key', 'twitter_key'],
      `${B62}{25}`,
    ),
    contextual(
      'hashicorp-vault-legacy-token',
      'HashiCorp Vault token (legacy s. form)',
      ['vault_token', 'vault_auth_token', 'vault_root_token'],
      `s\\.${B62}{24}`,
      {
        // `s.` + 24 characters reads like a member access to looksLikeCode: judge the body.
        validate: (s) => !isFillerInExactFormat(s.slice(2)),
      },
    ),
    contextual(
      'yandex-static-secret-key',
      'Yandex Cloud static access key secret',
      ['yandex', 'yc_secret_key', 'yc_static_secret'],
      `YC${B64URL}{38}`,
    ),
  ];
}

/** Providers betterleaks knows and gitleaks does not, limited to those with an exact prefix. */
function exactPrefixServices(): Rule[] {
  return [
    prefixed('aikido-ci-token', 'Aikido CI token', `AIK_CI_${B62}{20,44}`, ['aik_ci_']),
    prefixed('aikido-client-secret', 'Aikido API client secret', `AIK_SECRET_${B62}{64}`, ['aik_secret_']),
    prefixed('apify-api-token', 'Apify API token', `apify_api_${B62}{30,40}`, ['apify_api_']),
    prefixed('asaas-api-key', 'Asaas API key', `\\$aact_(?:prod|hmlg)_${B64URL}{20,100}`, ['$aact_']),
    prefixed('canva-client-secret', 'Canva Connect client secret', `cnvca${B64URL}{51}`, ['cnvca']),
    prefixed('cerebras-api-key', 'Cerebras API key', `csk-[a-z0-9]{48}`, ['csk-']),
    prefixed('cockroachdb-cloud-api-key', 'CockroachDB Cloud API key', `CCDB1_${B62}{22}_${B62}{40}`, [
      'ccdb1_',
    ]),
    prefixed('datastax-astra-token', 'DataStax Astra application token', `AstraCS:${B62}{24}:${HEX}{64}`, [
      'astracs:',
    ]),
    prefixed('deno-deploy-token', 'Deno Deploy access token', `ddp_${B62}{36}`, ['ddp_']),
    prefixed('devcycle-server-sdk-key', 'DevCycle server SDK key', `dvc_server_${B64URL}{20,80}`, [
      'dvc_server_',
    ]),
    prefixed('docker-swarm-join-token', 'Docker Swarm join token', `SWMTKN-1-[a-z0-9]{50}-[a-z0-9]{25}`, [
      'swmtkn-1-',
    ]),
    prefixed('docker-swarm-unlock-key', 'Docker Swarm unlock key', `SWMKEY-1-[A-Za-z0-9+/]{43}`, [
      'swmkey-1-',
    ]),
    prefixed('elastic-cloud-api-key', 'Elastic Cloud API key', `essu_${B64URL}{60,200}={0,2}`, ['essu_']),
    prefixed('ionic-pat', 'Ionic personal access token', `ion_${B62}{42}`, ['ion_']),
    prefixed('lichess-token', 'Lichess personal access token', `lip_[A-Za-z0-9_]{16,60}`, ['lip_']),
    prefixed('mailersend-api-token', 'MailerSend API token', `mlsn\\.${B62}{30,100}`, ['mlsn.']),
    prefixed(
      'mergify-application-key',
      'Mergify application key',
      `mergify_application_key_${B64URL}{40,200}`,
      ['mergify_application_key_'],
    ),
    prefixed('mongodb-atlas-sa-secret', 'MongoDB Atlas service account secret', `mdb_sa_sk_${B64URL}{40}`, [
      'mdb_sa_sk_',
    ]),
    prefixed('neon-api-key', 'Neon API key', `napi_${B62}{64}`, ['napi_']),
    prefixed('nvidia-api-key', 'NVIDIA API key', `nvapi-${B64URL}{60,70}`, ['nvapi-']),
    prefixed('onesignal-api-key', 'OneSignal app / organization API key', `os_v2_(?:app|org)_[a-z2-7]{103}`, [
      'os_v2_app_',
      'os_v2_org_',
    ]),
    prefixed('onfido-live-api-token', 'Onfido live API token', `api_live(?:_us|_ca)?\\.${B64URL}{20,80}`, [
      'api_live',
    ]),
    prefixed('openrouter-api-key', 'OpenRouter API key', `sk-or-v1-${HEX}{64}`, ['sk-or-v1-']),
    prefixed(
      'paddle-live-api-key',
      'Paddle live API key',
      `pdl_live_apikey_[a-z0-9]{26}_${B62}{22}_${B62}{3}`,
      ['pdl_live_apikey_'],
    ),
    prefixed(
      'persona-production-api-key',
      'Persona production API key',
      `persona_production_${B64URL}{20,80}`,
      ['persona_production_'],
    ),
    prefixed('pinecone-api-key', 'Pinecone API key', `pcsk_${B62}{5,6}_${B62}{63}`, ['pcsk_']),
    prefixed('pinterest-access-token', 'Pinterest access token', `pina_${B64URL}{20,200}`, ['pina_']),
    prefixed('polar-access-token', 'Polar access token', `polar_(?:at|oat|pat)_${B64URL}{20,100}`, [
      'polar_at_',
      'polar_oat_',
      'polar_pat_',
    ]),
    prefixed('posthog-personal-api-key', 'PostHog personal API key', `phx_${B64URL}{41,49}`, ['phx_']),
    prefixed('ramp-client-secret', 'Ramp API client secret', `ramp_sec_${B62}{48}`, ['ramp_sec_']),
    prefixed('rootly-api-key', 'Rootly API key', `rootly_${HEX}{64}`, ['rootly_']),
    prefixed(
      'salesforce-access-token',
      'Salesforce session / access token',
      `00D${B62}{12,15}![A-Za-z0-9._]{80,260}`,
      ['00d'],
    ),
    prefixed('samsara-api-token', 'Samsara API token', `samsara_api_${B62}{26,32}`, ['samsara_api_']),
    prefixed(
      'slack-session-token',
      'Slack browser session token',
      `xoxc-\\d{9,15}-\\d{9,15}-\\d{9,15}-${HEX}{64}`,
      ['xoxc-'],
    ),
    rule('slack-session-cookie', {
      description: 'Slack session cookie (d=xoxd-…)',
      regex: `(xoxd-[A-Za-z0-9%/+_\\-]{100,}={0,2})`,
      keywords: ['xoxd-'],
    }),
    prefixed('supabase-secret-key', 'Supabase secret API key', `sb_secret_${B64URL}{31}`, ['sb_secret_']),
    rule('tableau-pat', {
      description: 'Tableau personal access token secret',
      regex: `(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{22}==:${B62}{32})${END}`,
      keywords: ['==:'],
    }),
    prefixed('togetherai-api-key', 'Together AI API key', `tgp_v1_${B64URL}{43}`, ['tgp_v1_']),
    prefixed('unkey-root-key', 'Unkey root key', `unkey_${B62}{20,32}`, ['unkey_']),
    prefixed('upcloud-api-token', 'UpCloud API token', `ucat_${B62}{24,32}`, ['ucat_']),
    prefixed(
      'vercel-prefixed-token',
      'Vercel access / integration / AI Gateway token',
      `vc[kapri]_${B64URL}{56}`,
      ['vck_', 'vca_', 'vcr_', 'vci_', 'vcp_'],
    ),
    prefixed('wakatime-api-key', 'WakaTime API key', `waka_${UUID}`, ['waka_']),
    prefixed('wandb-api-key', 'Weights & Biases API key (v1)', `wandb_v1_[A-Za-z0-9_]{77}`, ['wandb_v1_']),
    prefixed('zuplo-api-key', 'Zuplo consumer API key', `zpka_[a-z0-9]{32}_${HEX}{8}`, ['zpka_']),
  ];
}
