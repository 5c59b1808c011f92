export const id = 990;
export const ids = [990];
export const modules = {

/***/ 1990:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  action: () => (/* binding */ action)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/entropy.js
/** Shannon entropy of the characters of `text`, in bits per character. */
function shannonEntropy(text) {
    if (text.length === 0)
        return 0;
    const counts = new Map();
    for (const ch of text)
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
    let entropy = 0;
    const n = text.length;
    for (const count of counts.values()) {
        const p = count / n;
        entropy -= p * Math.log2(p);
    }
    return entropy;
}
//# sourceMappingURL=entropy.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/placeholders.js

/**
 * Values people write where a secret will go later, or that point at one kept
 * elsewhere: these are the look-alikes that make naive scanners noisy.
 */
const REFERENCE = /\$\{|\$\(|\{\{|\}\}|%\(|<[^>]*>|^\$[A-Za-z_]|^%[A-Za-z_]+%$|^@[A-Za-z_]+@$|^process\.env|^os\.(?:environ|getenv)|^env\(|^getenv|^ENV\[|^secrets\./i;
const WORDS = /example|changeme|change_me|change-me|placeholder|your[_-]?(?:api|secret|token|key|pass|own)|redacted|dummy|sample|replace[_-]?me|insert[_-]?here|todo|fixme|notreal|not[_-]a[_-]real|fake|xxxx|\*\*\*/i;
const REPEATED_RUN = /(.)\1{5,}/;
const SEQUENCES = ['0123456789', 'abcdefghijklmnopqrstuvwxyz', '9876543210', 'qwertyuiop', 'asdfghjkl'];
/** True for placeholders and references such as `changeme`, `<token>`, `${API_KEY}`, `${{ secrets.X }}`, `xxxx`, `AKIA…EXAMPLE`. */
function isPlaceholder(value) {
    if (REFERENCE.test(value) || WORDS.test(value) || REPEATED_RUN.test(value))
        return true;
    const lower = value.toLowerCase();
    return SEQUENCES.some((seq) => lower.includes(seq.slice(0, 8)));
}
/** A unit of one to four characters repeated: `xxxxxx`, `abababab`, `FAKEFAKEFAKE`. */
const FILLER = /(.)\1{5,}|(..)\2{3,}|(...)\3{2,}|(....)\4{2,}/;
/**
 * For tokens with an exact format (prefix, alphabet, length): only what cannot be
 * random is a placeholder. A random 36-character body holds `Todo`, `FAKE` or
 * `sample` now and then (a 4-letter word in about 1 in 30,000 tokens), so words do not
 * count; filler runs and the documented example values (`AKIA…EXAMPLE`) do.
 */
function isFillerInExactFormat(value) {
    if (FILLER.test(value) || /EXAMPLE|<[^>]*>|\$\{|\{\{/.test(value))
        return true;
    const lower = value.toLowerCase();
    return SEQUENCES.some((seq) => lower.includes(seq.slice(0, 8)));
}
/**
 * True when a generic "name = value" match holds code rather than a literal
 * secret: an identifier, a dotted path, a call, a type name.
 */
const VOWEL = /[aeiouy]/i;
/**
 * True for identifiers made of words (`tokenOrFileId`, `RSAPrivateKey`,
 * `id_PrivateKeyUsagePeriod`): split at `_` and case changes, every part reads
 * like a word or an acronym. Random letters split into short, vowel-less bits.
 */
function isWordIdentifier(value) {
    // Bundlers and compilers suffix renamed identifiers: `Token$1`, `previousToken2`.
    const name = value.replace(/\$?\d{1,3}$/, '');
    if (!/^[A-Za-z_$]+$/.test(name))
        return false;
    const parts = name.split(/[_$]+|(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])/).filter(Boolean);
    return parts.every((p, i) => (p.length >= 3 && VOWEL.test(p)) ||
        /^[A-Z]{1,5}$/.test(p) ||
        /^(?:id|is|of|to|in|on|by|at|or|no|if)$/i.test(p) ||
        (i === 0 && p.length === 1));
}
// Example values in docs are assembled from these.
const DOC_FRAGMENTS = ['abc', '123', 'xyz', 'foo', 'bar', '456', '789', 'qwe', 'test'];
function looksLikeCode(value) {
    if (/^[!?&*]/.test(value) && value.length > 1)
        return looksLikeCode(value.replace(/^[!?&*]+/, ''));
    if (isWordIdentifier(value))
        return true;
    if (value.length <= 20 && DOC_FRAGMENTS.filter((f) => value.toLowerCase().includes(f)).length >= 2)
        return true;
    if (/^[a-z]+(?:[_-][a-z]+)*$/.test(value))
        return true; // snake_case / kebab word
    if (/^[A-Z]+(?:_[A-Z0-9]+)*$/.test(value))
        return true; // CONSTANT_NAME
    if (/^[a-z]{2,}(?:[A-Z][a-z]{2,})+$/.test(value))
        return true; // camelCase
    if (/^(?:[A-Z][a-z]{2,})+$/.test(value))
        return true; // PascalCase
    if (/^[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+(?:\(.*)?$/.test(value))
        return true; // a.b.c, a?.b or a.b()
    if (/^[A-Za-z_][\w.]*\(/.test(value))
        return true; // call
    if (/^(?:true|false|null|none|nil|undefined|string|number|boolean|bytes|str|int)$/i.test(value))
        return true;
    if (/^(?:https?|file):\/\//i.test(value) && !/:[^/@]+@/.test(value))
        return true; // a URL without credentials
    // A path starts at a root or ends in a file name; base64 with slashes does neither.
    // A single random segment after a `/` (`/Tq3+…`, as some AWS secret keys start) is no path.
    if (/^(?:\.{0,2}\/|~\/)(?:[\w.-]+\/)*[\w.-]*$/.test(value) && !isRandomSegment(value))
        return true;
    if (/^(?:[\w.-]+\/)+[\w-]+\.[a-z0-9]{1,5}$/.test(value))
        return true;
    return false;
}
/** `/Tq3+…`: long, upper and lower case, high entropy, no file extension: random, not a path. */
function isRandomSegment(value) {
    return (value.length >= 30 &&
        /[A-Z]/.test(value) &&
        /[a-z]/.test(value) &&
        !/\.[a-z0-9]{1,5}$/.test(value) &&
        shannonEntropy(value.replace(/\//g, '')) >= 4);
}
//# sourceMappingURL=placeholders.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/rules/builtin.js


/**
 * The built-in rule pack. Each pattern is written from the token's published
 * format (prefix, alphabet, length); where a format has no prefix, the rule
 * needs the provider's name next to the value (a "contextual" rule).
 */
/** `[aA][bB]…`: case-insensitive letters inside an otherwise case-sensitive pattern. */
function caseless(text) {
    return text.replace(/[a-z]/gi, (c) => `[${c.toLowerCase()}${c.toUpperCase()}]`);
}
// What may follow a token: the end of the token's alphabet.
const END = '(?![A-Za-z0-9_\\-])';
// `name = value`, `name: value`, `"name": "value"`, `name => value`, `--name value`.
const ASSIGN = `[\\w.\\-]{0,30}?["'\\x60]?\\s{0,5}(?:=|:=|:|=>|\\?=|,|\\s)\\s{0,5}(?:[Bb]earer\\s+)?["'\\x60]?`;
function rule(id, spec) {
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
function prefixed(id, description, body, keywords, extra = {}) {
    // The "no token character before" check is done by the scanner (wordStart), not a
    // lookbehind: a pattern that starts with its literal prefix lets V8 skip ahead to it.
    return rule(id, { description, regex: `(${body})${END}`, keywords, wordStart: true, ...extra });
}
/** A token without a prefix: only reported when assigned to a name mentioning the provider. */
function contextual(id, description, names, value, extra = {}) {
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
function uriPassword(id, description, schemes, minLength = 3) {
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
function cloudProviders() {
    return [
        prefixed('aws-access-key-id', 'AWS access key ID', '(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}', [
            'akia',
            'asia',
            'abia',
            'acca',
            'a3t',
        ]),
        contextual('aws-secret-access-key', 'AWS secret access key', ['aws_secret_access_key', 'aws_secret_key', 'aws_secret', 'secretaccesskey', 'aws-secret-access-key'], '[A-Za-z0-9/+]{40}', { entropy: 4 }),
        contextual('aws-session-token', 'AWS session token', ['aws_session_token', 'sessiontoken', 'aws-session-token'], '[A-Za-z0-9/+=]{100,1200}'),
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
        prefixed('azure-ad-client-secret', 'Azure AD (Entra ID) client secret', `[A-Za-z0-9_~.]{3}\\dQ~[A-Za-z0-9_~.\\-]{31,34}`, ['q~']),
        prefixed('azure-devops-pat', 'Azure DevOps personal access token', `[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{3}AZDO[A-Za-z0-9]{4}`, ['azdo']),
        contextual('azure-devops-pat-legacy', 'Azure DevOps personal access token (52-character form)', ['azure_devops', 'azdo', 'ado_pat', 'ado_token', 'vsts', 'devops_pat', 'system_accesstoken'], '[a-z2-7]{52}'),
        prefixed('digitalocean-pat', 'DigitalOcean personal access token', `dop_v1_${HEX}{64}`, ['dop_v1_']),
        prefixed('digitalocean-oauth-token', 'DigitalOcean OAuth access token', `doo_v1_${HEX}{64}`, ['doo_v1_']),
        prefixed('digitalocean-refresh-token', 'DigitalOcean OAuth refresh token', `dor_v1_${HEX}{64}`, [
            'dor_v1_',
        ]),
        prefixed('alibaba-access-key-id', 'Alibaba Cloud AccessKey ID', `LTAI${B62}{20}`, ['ltai']),
        contextual('alibaba-access-key-secret', 'Alibaba Cloud AccessKey secret', ['alibaba_secret', 'alicloud_secret', 'aliyun_secret', 'accesskeysecret', 'access_key_secret'], `${B62}{30}`),
        contextual('ibm-cloud-api-key', 'IBM Cloud API key', ['ibm_cloud_api_key', 'ibmcloud_api_key', 'ibm_api_key', 'ic_api_key'], `${B64URL}{44}`),
        prefixed('heroku-api-key', 'Heroku platform API key', `HRKU-AA${B64URL}{58}`, ['hrku-']),
        contextual('heroku-api-key-legacy', 'Heroku API key (UUID form)', ['heroku_api_key', 'heroku_key', 'heroku_token', 'heroku_auth_token'], UUID),
        contextual('linode-token', 'Linode / Akamai personal access token', ['linode_token', 'linode_api_token', 'linode_cli_token'], `${HEX}{64}`),
        prefixed('scaleway-access-key', 'Scaleway access key', `SCW[A-Z0-9]{17}`, ['scw']),
        contextual('scaleway-secret-key', 'Scaleway secret key', ['scw_secret_key', 'scaleway_secret'], UUID),
        contextual('vultr-api-key', 'Vultr API key', ['vultr_api_key', 'vultr_key'], '[A-Z0-9]{36}'),
        contextual('hetzner-token', 'Hetzner Cloud API token', ['hcloud_token', 'hetzner_token', 'hetzner_api_token'], `${B62}{64}`),
        prefixed('yandex-api-key', 'Yandex Cloud API key', `AQVN${B64URL}{35,38}`, ['aqvn']),
        prefixed('yandex-access-token', 'Yandex Cloud IAM token', `t1\\.[A-Z0-9a-z_\\-]+={0,2}\\.[A-Z0-9a-z_\\-]{86}={0,2}`, ['t1.']),
        prefixed('openshift-token', 'OpenShift user token', `sha256~${B64URL}{43}`, ['sha256~']),
        rule('kubeconfig-client-key', {
            description: 'Kubernetes client key in a kubeconfig',
            regex: `client-key-data:\\s*["']?([A-Za-z0-9+/]{100,}={0,2})`,
            keywords: ['client-key-data'],
        }),
        prefixed('fly-io-token', 'Fly.io access token', `(?:fo1_${B64URL}{43}|fm[12][ar]?_[A-Za-z0-9+/]{100,}={0,3})`, ['fo1_', 'fm1', 'fm2']),
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
        contextual('netlify-token', 'Netlify access token', ['netlify_auth_token', 'netlify_token', 'netlify_api_token'], `${B64URL}{40,46}`),
        contextual('vercel-token', 'Vercel access token', ['vercel_token', 'vercel_api_token', 'now_token'], `${B62}{24}`),
        contextual('render-api-key', 'Render API key', ['render_api_key'], `rnd_${B62}{32}`),
    ];
}
function sourceHosts() {
    return [
        prefixed('github-pat', 'GitHub personal access token (classic)', `ghp_${B62}{36}`, ['ghp_']),
        prefixed('github-fine-grained-pat', 'GitHub fine-grained personal access token', `github_pat_${B62}{22}_${B62}{59}`, ['github_pat_']),
        prefixed('github-oauth-token', 'GitHub OAuth access token', `gho_${B62}{36}`, ['gho_']),
        prefixed('github-user-to-server-token', 'GitHub App user-to-server token', `ghu_${B62}{36}`, ['ghu_']),
        prefixed('github-app-installation-token', 'GitHub App installation (server-to-server) token', `ghs_${B62}{36}`, ['ghs_']),
        prefixed('github-refresh-token', 'GitHub App refresh token', `ghr_${B62}{36,76}`, ['ghr_']),
        contextual('github-oauth-client-secret', 'GitHub OAuth app client secret', ['github_client_secret', 'gh_client_secret'], `${HEX}{40}`),
        prefixed('gitlab-pat', 'GitLab personal access token', `glpat-${B64URL}{20,}(?:\\.[0-9a-z]{2}\\.[a-z0-9]{9})?`, ['glpat-']),
        prefixed('gitlab-deploy-token', 'GitLab deploy token', `gldt-${B64URL}{20,}`, ['gldt-']),
        prefixed('gitlab-pipeline-trigger-token', 'GitLab pipeline trigger token', `glptt-${HEX}{40}`, [
            'glptt-',
        ]),
        prefixed('gitlab-runner-token', 'GitLab runner authentication token', `glrt-${B64URL}{20,}`, ['glrt-']),
        prefixed('gitlab-runner-registration-token', 'GitLab runner registration token', `GR1348941${B64URL}{20}`, ['gr1348941']),
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
        prefixed('bitbucket-access-token', 'Bitbucket repository / workspace access token', `ATCTT3${B64URL}{180,}={0,2}`, ['atctt3']),
        contextual('bitbucket-client-secret', 'Bitbucket OAuth consumer secret', ['bitbucket_client_secret', 'bitbucket_secret', 'bitbucket_oauth_secret'], `${B62}{32}`),
        prefixed('sourcegraph-token', 'Sourcegraph access token', `sgp_(?:${HEX}{16}|local)_${HEX}{40}`, [
            'sgp_',
        ]),
        contextual('gitea-token', 'Gitea / Forgejo access token', ['gitea_token', 'forgejo_token'], `${HEX}{40}`),
    ];
}
function messaging() {
    return [
        prefixed('slack-bot-token', 'Slack bot token', `xoxb-\\d{10,13}-\\d{10,13}-${B62}{24,32}`, ['xoxb-']),
        prefixed('slack-user-token', 'Slack user token', `xox[pe]-\\d{10,13}-\\d{10,13}-\\d{10,13}-${HEX}{28,34}`, ['xoxp-', 'xoxe-']),
        prefixed('slack-app-token', 'Slack app-level token', `xapp-\\d-[A-Z0-9]{9,12}-\\d{10,13}-${HEX}{64}`, [
            'xapp-',
        ]),
        prefixed('slack-config-access-token', 'Slack configuration access token', `xoxe\\.xox[bp]-\\d-${B62}{160,170}`, ['xoxe.xox']),
        prefixed('slack-config-refresh-token', 'Slack configuration refresh token', `xoxe-\\d-${B62}{140,150}`, [
            'xoxe-',
        ]),
        prefixed('slack-legacy-token', 'Slack legacy token', `xox[os]-\\d+-\\d+-\\d+-${HEX}{16,}`, [
            'xoxo-',
            'xoxs-',
        ]),
        prefixed('slack-legacy-workspace-token', 'Slack legacy workspace token', `xox[ar]-(?:\\d-)?${B62}{8,48}`, ['xoxa-', 'xoxr-'], { entropy: 3 }),
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
        contextual('discord-bot-token', 'Discord bot token', ['discord_token', 'discord_bot_token', 'discord_client_secret'], `[MNO][A-Za-z0-9_\\-]{23,27}\\.${B64URL}{6}\\.${B64URL}{27,38}`),
        rule('teams-webhook-url', {
            description: 'Microsoft Teams incoming webhook URL',
            regex: `(https://[a-z0-9\\-]+\\.webhook\\.office\\.com/webhookb2/[a-f0-9\\-]{36}@[a-f0-9\\-]{36}/IncomingWebhook/${HEX}{32}/[a-f0-9\\-]{36}(?:/[A-Za-z0-9_\\-]+)?)`,
            keywords: ['webhook.office.com'],
        }),
        prefixed('twilio-api-key', 'Twilio API key SID', `SK[0-9a-fA-F]{32}`, ['sk'], { entropy: 3 }),
        contextual('twilio-auth-token', 'Twilio auth token', ['twilio_auth_token', 'twilio_token', 'twilio_secret', 'twilio_api_secret'], `${HEX}{32}`),
        prefixed('sendgrid-api-key', 'SendGrid API key', `SG\\.${B64URL}{22}\\.${B64URL}{43}`, ['sg.']),
        prefixed('mailgun-private-api-key', 'Mailgun private API key', `key-${HEX}{32}`, ['key-']),
        contextual('mailgun-api-key', 'Mailgun API key', ['mailgun_api_key', 'mailgun_key', 'mailgun_signing_key', 'mailgun_secret'], `${HEX}{32}-${HEX}{8}-${HEX}{8}`),
        prefixed('mailchimp-api-key', 'Mailchimp API key', `${HEX}{32}-us\\d{1,2}`, ['-us']),
        prefixed('brevo-api-key', 'Brevo (Sendinblue) API key', `xkeysib-${HEX}{64}-${B62}{16}`, ['xkeysib-']),
        prefixed('brevo-smtp-key', 'Brevo (Sendinblue) SMTP key', `xsmtpsib-${HEX}{64}-${B62}{16}`, [
            'xsmtpsib-',
        ]),
        contextual('postmark-server-token', 'Postmark server token', ['postmark_server_token', 'postmark_api_token', 'postmark_token'], UUID),
        contextual('mailjet-secret-key', 'Mailjet API secret', ['mailjet_secret', 'mj_apikey_private', 'mailjet_api_secret'], `${HEX}{32}`),
        contextual('pusher-secret', 'Pusher app secret', ['pusher_secret', 'pusher_app_secret'], `${HEX}{20}`),
    ];
}
function payments() {
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
        prefixed('braintree-access-token', 'PayPal Braintree access token', `access_token\\$production\\$[a-z0-9]{16}\\$${HEX}{32}`, ['access_token$production$']),
        contextual('paypal-client-secret', 'PayPal REST client secret', ['paypal_client_secret', 'paypal_secret'], `E[A-Za-z0-9_\\-]{79}`),
        prefixed('shopify-access-token', 'Shopify access token', `shpat_[a-fA-F0-9]{32}`, ['shpat_']),
        prefixed('shopify-custom-app-token', 'Shopify custom app access token', `shpca_[a-fA-F0-9]{32}`, [
            'shpca_',
        ]),
        prefixed('shopify-private-app-token', 'Shopify private app access token', `shppa_[a-fA-F0-9]{32}`, [
            'shppa_',
        ]),
        prefixed('shopify-shared-secret', 'Shopify shared secret', `shpss_[a-fA-F0-9]{32}`, ['shpss_']),
        prefixed('plaid-access-token', 'Plaid access token', `access-(?:sandbox|development|production)-${UUID}`, ['access-sandbox-', 'access-development-', 'access-production-']),
        prefixed('flutterwave-secret-key', 'Flutterwave secret key', `FLWSECK(?:_TEST)?-${HEX}{32}-X`, [
            'flwseck',
        ]),
        prefixed('flutterwave-encryption-key', 'Flutterwave encryption key', `FLWSECK_TEST${HEX}{12}`, [
            'flwseck_test',
        ]),
        prefixed('shippo-token', 'Shippo API token', `shippo_(?:live|test)_${HEX}{40}`, ['shippo_']),
        prefixed('easypost-api-key', 'EasyPost API key', `EZ[AT]K${B62}{54}`, ['ezak', 'eztk']),
        prefixed('duffel-token', 'Duffel API token', `duffel_(?:test|live)_[A-Za-z0-9_\\-=]{43}`, ['duffel_']),
        contextual('razorpay-key-secret', 'Razorpay key secret', ['razorpay_key_secret', 'razorpay_secret'], `${B62}{24}`),
        contextual('coinbase-api-secret', 'Coinbase API secret', ['coinbase_api_secret', 'coinbase_secret'], `${B62}{32}`),
    ];
}
function packageRegistries() {
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
        prefixed('jfrog-identity-token', 'JFrog Artifactory identity / reference token', `cmVmdGtuOjAxOj${B62}{40,}`, ['cmvmdgtuojaxoj']),
        contextual('packagist-token', 'Packagist / Private Packagist token', ['packagist_token', 'composer_auth_token'], `${B62}{40}`),
        contextual('crates-io-token', 'crates.io API token', ['cargo_registry_token', 'crates_io_token', 'cargo_token'], `cio${B62}{32}`),
        contextual('hex-pm-api-key', 'Hex.pm API key', ['hex_api_key', 'hexpm_key'], `${HEX}{32}`),
        contextual('maven-repo-password', 'Maven / Gradle repository password', ['ossrh_password', 'sonatype_password', 'maven_password', 'gradle_password', 'mavencentralpassword'], `[^\\s"'<>]{8,64}`, { entropy: 3.2 }),
    ];
}
function aiAndSaas() {
    return [
        prefixed('openai-api-key', 'OpenAI API key', `sk-(?:proj-|svcacct-|admin-)?${B64URL}{20,}T3BlbkFJ${B64URL}{20,}`, ['t3blbkfj']),
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
        contextual('cohere-api-key', 'Cohere API key', ['cohere_api_key', 'co_api_key', 'cohere_key'], `${B62}{40}`),
        contextual('mistral-api-key', 'Mistral API key', ['mistral_api_key', 'mistral_key'], `${B62}{32}`),
        prefixed('langsmith-api-key', 'LangSmith API key', `lsv2_(?:pt|sk)_${HEX}{32}_${HEX}{10}`, ['lsv2_']),
        prefixed('cloudflare-origin-ca-key', 'Cloudflare Origin CA key', `v1\\.0-${HEX}{24}-${HEX}{146}`, [
            'v1.0-',
        ]),
        contextual('cloudflare-api-token', 'Cloudflare API token', ['cloudflare_api_token', 'cf_api_token', 'cloudflare_token', 'cf_token'], `${B64URL}{40}`),
        contextual('cloudflare-global-api-key', 'Cloudflare global API key', ['cloudflare_api_key', 'cf_api_key', 'cloudflare_global_api_key', 'cloudflare_key'], `${HEX}{37}`),
        prefixed('new-relic-user-api-key', 'New Relic user API key', `NRAK-[A-Z0-9]{27}`, ['nrak-']),
        prefixed('new-relic-insert-key', 'New Relic insert key', `NRII-${B64URL}{32}`, ['nrii-']),
        prefixed('new-relic-browser-key', 'New Relic browser API key', `NRJS-${HEX}{19}`, ['nrjs-']),
        contextual('datadog-api-key', 'Datadog API or application key', ['datadog_api_key', 'dd_api_key', 'datadog_app_key', 'dd_app_key', 'dd_application_key'], `(?:${HEX}{32}|${HEX}{40})`),
        prefixed('sentry-org-token', 'Sentry organization auth token', `sntrys_eyJ[A-Za-z0-9+/=_\\-]{60,}`, [
            'sntrys_',
        ]),
        prefixed('sentry-user-token', 'Sentry user auth token', `sntryu_${HEX}{64}`, ['sntryu_']),
        prefixed('grafana-cloud-token', 'Grafana Cloud API token', `glc_[A-Za-z0-9+/]{32,400}={0,2}`, ['glc_']),
        prefixed('grafana-service-account-token', 'Grafana service account token', `glsa_${B62}{32}_[A-Fa-f0-9]{8}`, ['glsa_']),
        prefixed('dynatrace-token', 'Dynatrace API token', `dt0c01\\.[A-Z0-9]{24}\\.[A-Z0-9]{64}`, ['dt0c01.']),
        prefixed('postman-api-key', 'Postman API key', `PMAK-${HEX}{24}-${HEX}{34}`, ['pmak-']),
        prefixed('linear-api-key', 'Linear API key', `lin_api_${B62}{40}`, ['lin_api_']),
        prefixed('notion-integration-token', 'Notion integration token', `ntn_\\d{11}${B62}{35}`, ['ntn_']),
        prefixed('notion-legacy-token', 'Notion integration token (legacy)', `secret_${B62}{43}`, ['secret_']),
        prefixed('airtable-pat', 'Airtable personal access token', `pat${B62}{14}\\.${HEX}{64}`, ['pat']),
        prefixed('figma-pat', 'Figma personal access token', `figd_${B64URL}{40}`, ['figd_']),
        contextual('okta-api-token', 'Okta API token', ['okta_api_token', 'okta_token', 'okta_client_secret'], `00${B64URL}{40}`),
        prefixed('sonarqube-token', 'SonarQube / SonarCloud token', `sq[pau]_${HEX}{40}`, [
            'sqp_',
            'squ_',
            'sqa_',
        ]),
        prefixed('circleci-pat', 'CircleCI personal API token', `CCIPAT_${B62}{22}_${HEX}{40}`, ['ccipat_']),
        prefixed('buildkite-token', 'Buildkite API access token', `bkua_${HEX}{40}`, ['bkua_']),
        prefixed('dropbox-short-lived-token', 'Dropbox short-lived access token', `sl\\.(?:u\\.)?${B64URL}{130,}`, ['sl.']),
        prefixed('mapbox-secret-token', 'Mapbox secret token', `sk\\.eyJ${B64URL}{50,}\\.${B64URL}{20,}`, [
            'sk.eyj',
        ]),
        contextual('algolia-admin-key', 'Algolia admin API key', ['algolia_admin_key', 'algolia_api_key', 'algolia_write_key', 'algolia_admin_api_key'], `${HEX}{32}`),
        prefixed('contentful-pat', 'Contentful personal access token', `CFPAT-${B64URL}{43}`, ['cfpat-']),
        prefixed('prefect-api-key', 'Prefect API key', `pnu_${B62}{36}`, ['pnu_']),
        prefixed('readme-api-key', 'ReadMe API key', `rdme_[a-z0-9]{70}`, ['rdme_']),
        prefixed('frameio-token', 'Frame.io API token', `fio-u-[A-Za-z0-9_\\-=]{64}`, ['fio-u-']),
        prefixed('typeform-pat', 'Typeform personal access token', `tfp_[A-Za-z0-9_\\-.=]{59}`, ['tfp_']),
        prefixed('hubspot-private-app-token', 'HubSpot private app token', `pat-(?:na|eu)1-${UUID}`, [
            'pat-na1-',
            'pat-eu1-',
        ]),
        prefixed('onepassword-service-account-token', '1Password service account token', `ops_eyJ[A-Za-z0-9+/]{250,}={0,3}`, ['ops_eyj']),
        prefixed('tailscale-key', 'Tailscale API / auth key', `tskey-(?:api|auth|client|webhook|scim)-${B62}{10,}-${B62}{20,}`, ['tskey-']),
        contextual('ngrok-authtoken', 'ngrok authtoken', ['ngrok_authtoken', 'ngrok_auth_token', 'authtoken'], `[0-9a-zA-Z]{27}_[0-9a-zA-Z]{21}`),
        prefixed('harness-pat', 'Harness personal / service access token', `(?:pat|sat)\\.${B64URL}{22}\\.${HEX}{24}\\.${B62}{20}`, ['pat.', 'sat.']),
        prefixed('octopus-deploy-api-key', 'Octopus Deploy API key', `API-[A-Z0-9]{26}`, ['api-']),
        prefixed('defined-networking-key', 'Defined Networking API key', `dnkey-[a-z0-9=_\\-]{26}-[a-z0-9=_\\-]{52}`, ['dnkey-']),
        prefixed('adobe-client-secret', 'Adobe client secret', `p8e-${B62}{32}`, ['p8e-']),
        prefixed('hashicorp-vault-service-token', 'HashiCorp Vault service token', `hvs\\.${B64URL}{24,}`, [
            'hvs.',
        ]),
        prefixed('hashicorp-vault-batch-token', 'HashiCorp Vault batch token', `hvb\\.${B64URL}{24,}`, ['hvb.']),
        prefixed('terraform-cloud-token', 'Terraform Cloud / Enterprise API token', `${B62}{14}\\.atlasv1\\.[A-Za-z0-9_\\-=]{60,70}`, ['atlasv1']),
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
        prefixed('twitter-bearer-token', 'Twitter / X bearer token', `A{22}[A-Za-z0-9%]{80,}`, ['aaaaaaaaaaaaaaaaaaaaaa'], { validate: (s) => !isPlaceholder(s.slice(22)) }),
        contextual('twitter-api-secret', 'Twitter / X API secret', ['twitter_api_secret', 'twitter_consumer_secret', 'twitter_access_token_secret', 'twitter_secret'], `${B62}{45,50}`),
        contextual('linkedin-client-secret', 'LinkedIn client secret', ['linkedin_client_secret', 'linkedin_secret'], `${B62}{16}`),
        contextual('twitch-client-secret', 'Twitch client secret', ['twitch_client_secret', 'twitch_secret'], '[a-z0-9]{30}'),
        contextual('spotify-client-secret', 'Spotify client secret', ['spotify_client_secret', 'spotify_secret'], `${HEX}{32}`),
        contextual('launchdarkly-key', 'LaunchDarkly SDK / API key', ['launchdarkly_sdk_key', 'launchdarkly_api_key', 'ld_sdk_key', 'ld_api_key'], `(?:sdk|api)-${UUID}`),
        contextual('snyk-token', 'Snyk API token', ['snyk_token', 'snyk_api_token'], UUID),
        contextual('codecov-token', 'Codecov upload token', ['codecov_token'], UUID),
        contextual('pagerduty-api-key', 'PagerDuty API key', ['pagerduty_api_key', 'pagerduty_token', 'pd_api_key'], `[A-Za-z0-9_+\\-]{20}`),
        contextual('zendesk-api-token', 'Zendesk API token', ['zendesk_api_token', 'zendesk_token'], `${B62}{40}`),
        contextual('intercom-access-token', 'Intercom access token', ['intercom_access_token', 'intercom_token'], `dG9rOj${B62}{30,}={0,2}`),
        contextual('jira-api-token', 'Jira / Confluence API token (legacy 24-character form)', ['jira_api_token', 'jira_token', 'confluence_api_token', 'confluence_token'], `${B62}{24}`),
        contextual('firebase-cloud-messaging-key', 'Firebase Cloud Messaging server key', ['fcm_server_key', 'firebase_server_key', 'fcm_key'], `AAAA${B64URL}{7}:${B64URL}{140}`),
    ];
}
const PEM_TYPES = '(?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED|PGP|SSH2|DH) )?';
function keysAndTokens() {
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
        prefixed('age-secret-key', 'age encryption secret key', `AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}`, ['age-secret-key-1']),
        rule('jwt', {
            description: 'JSON Web Token',
            regex: `(eyJ${B64URL}{10,}\\.eyJ${B64URL}{10,}\\.${B64URL}{10,})${END}`,
            wordStart: true,
            keywords: ['eyj'],
            validate: (s) => {
                try {
                    const header = JSON.parse(Buffer.from(s.slice(0, s.indexOf('.')), 'base64url').toString('utf8'));
                    return typeof header === 'object' && header !== null && 'alg' in header;
                }
                catch {
                    return false;
                }
            },
        }),
        uriPassword('postgres-uri-password', 'PostgreSQL connection string with a password', 'postgres|postgresql|postgis'),
        uriPassword('mysql-uri-password', 'MySQL / MariaDB connection string with a password', 'mysql|mariadb|mysql\\+pymysql|mysql2'),
        uriPassword('mongodb-uri-password', 'MongoDB connection string with a password', 'mongodb|mongodb\\+srv'),
        uriPassword('redis-uri-password', 'Redis connection string with a password', 'redis|rediss'),
        uriPassword('amqp-uri-password', 'RabbitMQ / AMQP connection string with a password', 'amqp|amqps'),
        uriPassword('mssql-uri-password', 'SQL Server connection string with a password', 'mssql|sqlserver'),
        uriPassword('url-basic-auth-password', 'URL with embedded credentials', 'http|https|ftp|ftps|sftp|smtp|smtps|ldap|ldaps|ssh|git', 6),
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
const GENERIC_NAMES = '(?:secret|passwd|password|passphrase|pwd|token|api[_.\\-]?key|apikey|access[_.\\-]?key|auth[_.\\-]?(?:key|token)|credentials?|private[_.\\-]?key|signing[_.\\-]?key|encryption[_.\\-]?key|master[_.\\-]?key|client[_.\\-]?secret)';
// A crypt(3)-style password hash is what a server stores instead of the password: not a credential.
const PASSWORD_HASH = /^(?:\$(?:2[abxy]?|argon2(?:id|i|d)|[156y]|pbkdf2[\w-]*|scrypt|sha\d*)\$|\{S?SHA\d*\})/i;
/** Characters that make a value look like a secret rather than a word. */
function characterClasses(value) {
    return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^A-Za-z0-9]/].filter((r) => r.test(value)).length;
}
function generic() {
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
        validate: (secret) => !isPlaceholder(secret) &&
            !PASSWORD_HASH.test(secret) &&
            !looksLikeCode(secret) &&
            characterClasses(secret) >= 2 &&
            // Hex has 16 symbols, so its entropy tops out at 4 bits; other values must look random at 3.5.
            shannonEntropy(secret) >= (/^[a-f0-9]+$/i.test(secret) ? 3 : 3.5),
    });
}
/** Files where `NAME=value` is configuration: dotenv, INI, Java properties, YAML, TOML. */
const CONFIG_FILE = /(?:^|\/)(?:\.env(?:\.[^/]*)?|[^/]*\.env|[^/]*\.(?:ini|cfg|conf|cnf|properties|ya?ml|toml))$/i;
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
const CONFIG_NAME = `(?:(?:[A-Za-z0-9]+[_.-])*(?:${CONFIG_KINDS.map(caseless).join('|')})` +
    `|[a-z][A-Za-z0-9]*(?:Passwd|Password|Pass|Pwd|Passphrase|Secret|Token|Key|Credentials?))`;
/** References to a secret kept elsewhere, in the forms config files use. */
const SECRET_STORE_REF = /^(?:vault:|op:\/\/|arn:aws|aws-sm:|ssm:|secretsmanager:|gcp-sm:|gcpsm:|azurekv:|keyvault:|sm:\/\/|ref\+|ENC\[|!(?:vault|Ref|Sub|GetAtt|ImportValue)\b|@Microsoft\.KeyVault\(|projects\/[^/]+\/secrets\/|file:|env:|secret:)/i;
/** Default and demo passwords (placeholders in practice): `password123`, `admin`, `secret!`. */
const DEFAULT_WORD = /^(?:pass(?:word|wd)?|secret|admin(?:istrator)?|root|test(?:ing)?|default|demo|guest|user(?:name)?|letmein|qwerty|none|empty|null|tbd|todo|n\/?a)[\d!@#._-]*$/i;
/** Keys made to ship in web pages and apps: Stripe and Lob publishable keys, PostHog project keys, Mapbox public tokens. */
const PUBLISHABLE_KEY = /^(?:pk_(?:live|test)_|(?:live|test)_pub_|phc_|pk\.eyJ)/;
function configValueIsSecret(name, value) {
    if (value.length < 8 || /^[{[(]/.test(value) || PUBLISHABLE_KEY.test(value))
        return false;
    if (isPlaceholder(value) ||
        SECRET_STORE_REF.test(value) ||
        DEFAULT_WORD.test(value) ||
        PASSWORD_HASH.test(value))
        return false;
    // Config values are not code: a dotted value with upper case, lower case and digits (`oV.Xv9p.s2LP`)
    // is a password, not a property path such as `com.example.TokenProvider`.
    const mixed = /[A-Z]/.test(value) && /[a-z]/.test(value) && /\d/.test(value) && shannonEntropy(value) >= 3.3;
    if (looksLikeCode(value) && !(mixed && /^[\w.]+$/.test(value)))
        return false;
    // A number (a port, a timeout, an id) or a dotted name is not a credential.
    if (/^[\d.:_-]+$/.test(value) || /^[a-z0-9-]+(?:\.[a-z0-9-]+){2,}$/i.test(value))
        return false;
    const classes = characterClasses(value);
    const entropy = shannonEntropy(value);
    const kind = name.toLowerCase();
    if (/(?:key|auth)$/.test(kind)) {
        // `*_KEY` names hold object keys, cache keys, label names and ids as often as secrets:
        // only random-looking values count (three character classes, or long hex, or Laravel's `base64:`).
        if (/^base64:[A-Za-z0-9+/]{32,}={0,2}$/.test(value))
            return true;
        if (/^[a-f0-9]+$/i.test(value))
            return value.length >= 32 && entropy >= 3;
        return value.length >= 16 && classes >= 3 && entropy >= 3.3;
    }
    if (/(?:secret|token|credentials?)$/.test(kind))
        return value.length >= 10 && classes >= 2 && entropy >= 3;
    // Passwords: what people and generators write, punctuation included.
    return classes >= 2 && entropy >= 2.8;
}
function configCredential() {
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
            return m !== null && configValueIsSecret(m[1], secret);
        },
    });
    built.path = CONFIG_FILE;
    return built;
}
/** The whole built-in pack. Built on each call, so no rule object is shared between scans. */
function builtin_builtinRules() {
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
function moreServices() {
    return [
        prefixed('onepassword-secret-key', '1Password account secret key', `A3-[A-Z0-9]{6}-(?:[A-Z0-9]{11}|[A-Z0-9]{6}-[A-Z0-9]{5})(?:-[A-Z0-9]{5}){3}`, ['a3-']),
        prefixed('aws-bedrock-short-lived-key', 'Amazon Bedrock short-term API key', `bedrock-api-key-YmVkcm9jay5hbWF6b25hd3MuY29t[A-Za-z0-9+/]{60,}={0,2}`, ['bedrock-api-key-']),
        contextual('adafruit-io-key', 'Adafruit IO key', ['adafruit_io_key', 'adafruit_key', 'adafruit_api_key', 'aio_key'], `(?:aio_)?${B62}{28,32}`),
        contextual('airtable-api-key-legacy', 'Airtable API key (legacy)', ['airtable_api_key', 'airtable_key', 'airtable_token'], `key${B62}{14}`),
        contextual('asana-client-secret', 'Asana OAuth client secret', ['asana_client_secret', 'asana_secret'], `${B62}{32}`),
        prefixed('authress-access-key', 'Authress service client access key', `(?:sc|ext|scauth|authress)_[A-Za-z0-9]{5,30}\\.[A-Za-z0-9]{4,6}\\.acc[_\\-][A-Za-z0-9\\-]{10,32}\\.[A-Za-z0-9+/_=\\-]{30,120}`, ['.acc_', '.acc-']),
        contextual('beamer-api-key', 'Beamer API key', ['beamer_api_key', 'beamer_key', 'beamer_token'], `b_[A-Za-z0-9=_\\-]{44}`),
        contextual('meraki-api-key', 'Cisco Meraki dashboard API key', ['meraki_api_key', 'meraki_dashboard_api_key', 'meraki_key', 'x-cisco-meraki-api-key'], `${HEX}{40}`),
        prefixed('clickhouse-cloud-secret', 'ClickHouse Cloud API key secret', `4b1d${B62}{38}`, ['4b1d']),
        contextual('confluent-api-secret', 'Confluent Cloud API secret', ['confluent_api_secret', 'confluent_cloud_api_secret', 'confluent_secret', 'cloud_api_secret'], `[A-Za-z0-9+/]{64}`),
        contextual('contentful-delivery-token', 'Contentful delivery / preview API token', [
            'contentful_delivery_token',
            'contentful_delivery_api_token',
            'contentful_access_token',
            'contentful_preview_token',
            'contentful_cda_token',
            'contentful_cpa_token',
        ], `${B64URL}{43}`),
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
        contextual('discord-client-secret', 'Discord OAuth client secret', ['discord_client_secret', 'discord_secret', 'discord_oauth_secret'], `${B64URL}{32}`),
        contextual('droneci-token', 'Drone CI access token', ['drone_token', 'droneci_token', 'drone_access_token'], `${B62}{32}`),
        contextual('dropbox-app-secret', 'Dropbox app secret', ['dropbox_app_secret', 'dropbox_client_secret', 'dropbox_secret'], '[a-z0-9]{15}'),
        contextual('dropbox-long-lived-token', 'Dropbox long-lived access token', ['dropbox_token', 'dropbox_access_token', 'dropbox_api_token', 'dropbox_auth_token'], `${B62}{11}AAAAAAAAAA${B64URL}{43}`, {
            // Ten 'A's sit in the middle of every such token: filler is judged on the rest.
            validate: (s) => !isFillerInExactFormat(s.slice(0, 11) + s.slice(21)),
        }),
        contextual('etsy-api-key', 'Etsy API keystring / shared secret', ['etsy_api_key', 'etsy_keystring', 'etsy_key', 'etsy_shared_secret', 'etsy_secret'], '[a-z0-9]{24}'),
        contextual('facebook-app-secret', 'Facebook / Meta app secret', ['facebook_app_secret', 'facebook_secret', 'facebook_client_secret', 'fb_app_secret', 'fb_secret'], `${HEX}{32}`),
        contextual('fastly-api-token', 'Fastly API token', ['fastly_api_token', 'fastly_api_key', 'fastly_token', 'fastly_key'], `${B64URL}{32}`),
        contextual('finicity-secret', 'Finicity app key / partner secret', ['finicity_app_key', 'finicity_partner_secret', 'finicity_secret', 'finicity_api_key'], `(?:${HEX}{32}|${B62}{20})`),
        contextual('finnhub-api-key', 'Finnhub API key', ['finnhub_api_key', 'finnhub_token', 'finnhub_key'], '[a-z0-9]{20}'),
        contextual('flickr-api-secret', 'Flickr API key / secret', ['flickr_api_key', 'flickr_api_secret', 'flickr_secret', 'flickr_key'], `(?:${HEX}{32}|${HEX}{16})`),
        rule('freemius-secret-key', {
            description: 'Freemius secret key in a PHP config array',
            regex: `["']secret_key["']\\s*=>\\s*["'](sk_[^\\s"']{29})["']`,
            keywords: ['secret_key'],
            validate: (s) => !isPlaceholder(s.slice(3)),
        }),
        contextual('freshbooks-token', 'FreshBooks access token / client secret', ['freshbooks_token', 'freshbooks_access_token', 'freshbooks_api_token', 'freshbooks_client_secret'], `${HEX}{64}`),
        rule('gitlab-session-cookie', {
            description: 'GitLab session cookie',
            regex: `_gitlab_session=(${HEX}{32})${END}`,
            keywords: ['_gitlab_session='],
        }),
        contextual('gitter-token', 'Gitter access token', ['gitter_token', 'gitter_access_token', 'gitter_api_token'], `${HEX}{40}`),
        contextual('gocardless-access-token', 'GoCardless access token', ['gocardless_access_token', 'gocardless_token', 'gocardless_api_key', 'gocardless_api_token'], `(?:live|sandbox)_[A-Za-z0-9_=\\-]{40}`),
        prefixed('grafana-api-key-legacy', 'Grafana API key (legacy, base64 JSON)', `eyJrIjoi${B62}{70,400}={0,3}`, ['eyjrijoi']),
        contextual('hubspot-api-key-legacy', 'HubSpot API key (legacy hapikey)', ['hubspot_api_key', 'hubspot_key', 'hapikey'], UUID_ANY_CASE),
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
                if (parts.length !== 3 || !/^eyJ[A-Za-z0-9_-]+$/.test(parts[0]))
                    return false;
                try {
                    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
                    return typeof header === 'object' && header !== null && 'alg' in header;
                }
                catch {
                    return false;
                }
            },
        }),
        contextual('kraken-api-secret', 'Kraken API private key', ['kraken_api_secret', 'kraken_private_key', 'kraken_secret', 'kraken_api_private_key'], `[A-Za-z0-9+/]{80,88}={0,2}`),
        contextual('kucoin-api-secret', 'KuCoin API key / secret', ['kucoin_api_key', 'kucoin_key', 'kucoin_api_secret', 'kucoin_secret'], `(?:${HEX}{24}|${UUID})`),
        contextual('linear-client-secret', 'Linear OAuth client secret', ['linear_client_secret', 'linear_oauth_secret'], `${HEX}{32}`),
        contextual('lob-api-key', 'Lob secret API key', ['lob_api_key', 'lob_secret_key', 'lob_key', 'lob_secret'], `(?:live|test)_${HEX}{35}`),
        contextual('looker-client-secret', 'Looker API client secret', ['looker_client_secret', 'lookersdk_client_secret', 'looker_secret'], `${B62}{24}`),
        contextual('mattermost-token', 'Mattermost access token', ['mattermost_token', 'mattermost_access_token', 'mattermost_bot_token', 'mmauthtoken'], '[a-z0-9]{26}'),
        prefixed('maxmind-license-key', 'MaxMind license key', `${B62}{6}_${B62}{29}_mmk`, ['_mmk']),
        contextual('messagebird-api-key', 'MessageBird (Bird) access key', [
            'messagebird_api_key',
            'messagebird_access_key',
            'messagebird_key',
            'message_bird_key',
            'messagebird_token',
        ], `${B62}{25}`),
        rule('nuget-config-password', {
            description: 'Package source password in a NuGet.config',
            regex: `<add\\s+key=["'](?:ClearText)?Password["']\\s+value=["']([^"'\\s]{8,})["']`,
            flags: 'i',
            keywords: ['password"', "password'"],
            validate: (s) => !isPlaceholder(s) && !/^%[^%]+%$/.test(s),
        }),
        contextual('nytimes-api-key', 'New York Times API key', ['nytimes_api_key', 'nyt_api_key', 'nytimes_key', 'nytimes_secret'], `${B62}{32}`),
        contextual('plaid-secret', 'Plaid secret', [
            'plaid_secret',
            'plaid_secret_key',
            'plaid_client_secret',
            'plaid_sandbox_secret',
            'plaid_development_secret',
            'plaid_production_secret',
        ], '[a-z0-9]{30}'),
        contextual('privateai-api-key', 'Private AI API key', ['private_ai_api_key', 'privateai_api_key', 'private_ai_key', 'pai_api_key'], `${B62}{32}`),
        contextual('rapidapi-key', 'RapidAPI key', ['rapidapi_key', 'x-rapidapi-key', 'rapid_api_key', 'rapidapi_token'], `${B64URL}{50}`),
        prefixed('scalingo-api-token', 'Scalingo API token', `tk-us-${B64URL}{48}`, ['tk-us-']),
        contextual('sendbird-api-token', 'Sendbird API token', ['sendbird_api_token', 'sendbird_token', 'sendbird_master_token', 'sendbird_api_key'], `${HEX}{40}`),
        contextual('sentry-auth-token-legacy', 'Sentry auth token (unprefixed form)', ['sentry_auth_token', 'sentry_token', 'sentry_api_token'], `${HEX}{64}`),
        prefixed('settlemint-token', 'SettleMint application / personal / service access token', `sm_(?:aat|pat|sat)_${B62}{16}`, ['sm_aat_', 'sm_pat_', 'sm_sat_']),
        contextual('sidekiq-credentials', 'Sidekiq Pro / Enterprise gem source credentials', ['bundle_enterprise__contribsys__com', 'bundle_gems__contribsys__com'], `${HEX}{8}:${HEX}{8}`),
        prefixed('slack-legacy-bot-token', 'Slack legacy bot token (two-part form)', `xoxb-\\d{8,14}-${B62}{18,26}`, ['xoxb-']),
        contextual('sonarqube-token-legacy', 'SonarQube token (unprefixed form)', ['sonar_token', 'sonar_login', 'sonar.login', 'sonar.token', 'sonarqube_token', 'sonar_auth_token'], `${HEX}{40}`),
        contextual('squarespace-api-key', 'Squarespace API key', ['squarespace_api_key', 'squarespace_key', 'squarespace_token', 'squarespace_access_token'], UUID),
        contextual('sumologic-access-key', 'Sumo Logic access key', ['sumo_access_key', 'sumologic_access_key', 'sumo_key', 'sumologic_key'], `${B62}{64}`),
        contextual('travisci-token', 'Travis CI API token', ['travis_token', 'travis_api_token', 'travis_access_token', 'travis_ci_token'], `${B62}{22}`),
        contextual('twitter-access-token', 'Twitter / X user access token', ['twitter_access_token', 'twitter_oauth_token', 'twitter_token'], `\\d{15,25}-${B62}{20,40}`),
        contextual('twitter-api-key', 'Twitter / X API (consumer) key', ['twitter_api_key', 'twitter_consumer_key', 'twitter_key'], `${B62}{25}`),
        contextual('hashicorp-vault-legacy-token', 'HashiCorp Vault token (legacy s. form)', ['vault_token', 'vault_auth_token', 'vault_root_token'], `s\\.${B62}{24}`, {
            // `s.` + 24 characters reads like a member access to looksLikeCode: judge the body.
            validate: (s) => !isFillerInExactFormat(s.slice(2)),
        }),
        contextual('yandex-static-secret-key', 'Yandex Cloud static access key secret', ['yandex', 'yc_secret_key', 'yc_static_secret'], `YC${B64URL}{38}`),
    ];
}
/** Providers betterleaks knows and gitleaks does not, limited to those with an exact prefix. */
function exactPrefixServices() {
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
        prefixed('mergify-application-key', 'Mergify application key', `mergify_application_key_${B64URL}{40,200}`, ['mergify_application_key_']),
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
        prefixed('paddle-live-api-key', 'Paddle live API key', `pdl_live_apikey_[a-z0-9]{26}_${B62}{22}_${B62}{3}`, ['pdl_live_apikey_']),
        prefixed('persona-production-api-key', 'Persona production API key', `persona_production_${B64URL}{20,80}`, ['persona_production_']),
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
        prefixed('salesforce-access-token', 'Salesforce session / access token', `00D${B62}{12,15}![A-Za-z0-9._]{80,260}`, ['00d']),
        prefixed('samsara-api-token', 'Samsara API token', `samsara_api_${B62}{26,32}`, ['samsara_api_']),
        prefixed('slack-session-token', 'Slack browser session token', `xoxc-\\d{9,15}-\\d{9,15}-\\d{9,15}-${HEX}{64}`, ['xoxc-']),
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
        prefixed('vercel-prefixed-token', 'Vercel access / integration / AI Gateway token', `vc[kapri]_${B64URL}{56}`, ['vck_', 'vca_', 'vcr_', 'vci_', 'vcp_']),
        prefixed('wakatime-api-key', 'WakaTime API key', `waka_${UUID}`, ['waka_']),
        prefixed('wandb-api-key', 'Weights & Biases API key (v1)', `wandb_v1_[A-Za-z0-9_]{77}`, ['wandb_v1_']),
        prefixed('zuplo-api-key', 'Zuplo consumer API key', `zpka_[a-z0-9]{32}_${HEX}{8}`, ['zpka_']),
    ];
}
//# sourceMappingURL=builtin.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/redact.js


/**
 * True for secrets long and random enough that a prefix and a hash reveal nothing
 * usable: at least 20 characters of at least 3.5 bits each (70+ bits to guess past
 * any prefix). A short or low-entropy password is not: with its first characters,
 * its length and an unsalted hash it could be brute-forced from a report.
 */
function isStrongSecret(secret) {
    if (secret.length < 20)
        return false;
    const entropy = shannonEntropy(secret);
    return /^[a-f0-9]+$/i.test(secret) ? secret.length >= 32 && entropy >= 3 : entropy >= 3.5;
}
/** At most four leading characters of a strong secret; nothing but the length class of a weak one. */
function redact(secret) {
    if (secret === '')
        return '';
    if (!isStrongSecret(secret))
        return '…(short or low-entropy value, not shown)';
    const shown = Math.min(4, Math.floor(secret.length / 4));
    return `${secret.slice(0, shown)}…(${secret.length} chars)`;
}
function sha256Hex(text) {
    return (0,external_node_crypto_.createHash)('sha256').update(text).digest('hex');
}
/** The key of this run only: report ids of the same secret match within one report and never across runs. */
const RUN_KEY = (0,external_node_crypto_.randomBytes)(32);
/** A keyed hash of the secret (HMAC-SHA-256 with a per-run key), 64 bits: same secret, same id, in this run's report. */
function runSecretId(secret) {
    return (0,external_node_crypto_.createHmac)('sha256', RUN_KEY).update(secret).digest('hex').slice(0, 16);
}
/**
 * A finding's identity across runs. For a strong secret: rule + path + 64 bits of
 * its hash, stable when lines move or commits are rebased. For a weak one the hash
 * would let a report be brute-forced, so its place stands in: rule + path + line
 * (gitleaks' own fingerprint form, which .gitleaksignore understands too).
 */
function fingerprintOf(ruleId, file, secretHash, secret, line) {
    if (secret !== undefined && line !== undefined && !isStrongSecret(secret))
        return `${file}:${ruleId}:${line}`;
    return `${file}:${ruleId}:${secretHash.slice(0, 16)}`;
}
//# sourceMappingURL=redact.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/pkcs12.js


/**
 * Committed PKCS#12 files (`.p12`, `.pfx`): a certificate bundled with its private key.
 * Binary, so no text rule can see them; they are recognised by name and by the start of
 * their DER encoding, so a text file that happens to end in `.p12` is not reported.
 */
const PKCS12_RULE = {
    id: 'pkcs12-file',
    description: 'PKCS#12 file (.p12 / .pfx): a private key bundled with its certificate',
};
function isPkcs12Name(path) {
    return /\.(?:p12|pfx)$/i.test(path);
}
// OID 1.2.840.113549.1.7 (PKCS#7 content types), the authSafe's type: data (1) or signedData (2).
const PKCS7_OID = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07];
/** Index just past a DER/BER length at `i`, or -1 when it is not one. */
function skipLength(data, i) {
    const first = data[i];
    if (first === undefined)
        return -1;
    if (first < 0x80)
        return i + 1;
    if (first === 0x80)
        return i + 1; // BER indefinite length (older tools write PFX this way)
    const n = first & 0x7f;
    return n >= 1 && n <= 4 ? i + 1 + n : -1;
}
/**
 * True when `data` starts as a PFX does (RFC 7292): SEQUENCE { INTEGER 3, SEQUENCE {
 * OBJECT IDENTIFIER pkcs7-data | pkcs7-signedData, … } … }.
 */
function looksLikePkcs12(data) {
    if (data.length < 24 || data[0] !== 0x30)
        return false;
    let i = skipLength(data, 1);
    if (i < 0 || data[i] !== 0x02 || data[i + 1] !== 0x01 || data[i + 2] !== 0x03)
        return false;
    i += 3;
    if (data[i] !== 0x30)
        return false;
    i = skipLength(data, i + 1);
    if (i < 0)
        return false;
    for (let k = 0; k < PKCS7_OID.length; k++)
        if (data[i + k] !== PKCS7_OID[k])
            return false;
    const type = data[i + PKCS7_OID.length];
    return type === 0x01 || type === 0x02;
}
/** The finding for a committed PKCS#12 file, or undefined when the name or the bytes say it is not one. */
function pkcs12Finding(file, data, commit) {
    if (!isPkcs12Name(file) || !looksLikePkcs12(data))
        return undefined;
    // The file is the secret: its hash identifies it (a baseline entry stops matching when it changes).
    const secretHash = (0,external_node_crypto_.createHash)('sha256').update(data).digest('hex');
    return {
        ruleId: PKCS12_RULE.id,
        description: `${PKCS12_RULE.description}. Revoke the certificate, remove the file and keep it in a secret store.`,
        file,
        line: 1,
        column: 1,
        commit,
        secret: '',
        secretHash,
        redacted: '',
        fingerprint: fingerprintOf(PKCS12_RULE.id, file, secretHash),
        entropy: 0,
    };
}
//# sourceMappingURL=pkcs12.js.map
// EXTERNAL MODULE: external "node:perf_hooks"
var external_node_perf_hooks_ = __webpack_require__(643);
// EXTERNAL MODULE: ./node_modules/re2js/build/index.js
var build = __webpack_require__(2856);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/allowlist.js
/** gitleaks' semantics: OR needs one criterion to hold, AND needs every criterion the allowlist sets. */
function isAllowed(list, ctx) {
    const checks = [];
    if (list.commits.length > 0)
        checks.push(ctx.commit !== undefined && list.commits.some((c) => ctx.commit.startsWith(c)));
    if (list.paths.length > 0)
        checks.push(list.paths.some((p) => p.test(ctx.path)));
    if (list.regexes.length > 0) {
        const target = list.regexTarget === 'match' ? ctx.match : list.regexTarget === 'line' ? ctx.line : ctx.secret;
        checks.push(list.regexes.some((r) => r.test(target)));
    }
    if (list.stopwords.length > 0) {
        const secret = ctx.secret.toLowerCase();
        checks.push(list.stopwords.some((w) => secret.includes(w)));
    }
    if (checks.length === 0)
        return false;
    return list.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}
/** True when the allowlist excludes a whole file by its path alone (so the file need not be read). */
function allowsWholePath(list, path) {
    const onlyPaths = list.commits.length === 0 && list.regexes.length === 0 && list.stopwords.length === 0;
    if (list.paths.length === 0)
        return false;
    if (list.condition === 'AND' && !onlyPaths)
        return false;
    return list.paths.some((p) => p.test(path));
}
function emptyAllowlist() {
    return { condition: 'OR', regexes: [], regexTarget: 'secret', paths: [], commits: [], stopwords: [] };
}
//# sourceMappingURL=allowlist.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/keyword-index.js
/**
 * An Aho–Corasick automaton over bytes, built as a dense DFA on a reduced
 * alphabet (only the bytes keywords use get their own column), so one pass over
 * a file costs one table lookup per byte and no string is ever decoded for the
 * lines that hold no keyword. Matching is ASCII case-insensitive, which is
 * enough because every keyword is ASCII.
 */
/**
 * Keyword occurrences, column by column in typed arrays that are reused from
 * one scan to the next: a busy file has tens of thousands of hits, and an
 * object per hit would keep the garbage collector busy.
 */
class KeywordHits {
    /** The keyword's index in the KeywordIndex constructor's list. */
    keyword = new Int32Array(4096);
    /** Byte offset just past the keyword. */
    end = new Int32Array(4096);
    /** 0-based line of the hit. */
    line = new Int32Array(4096);
    /** Byte offset where that line starts. */
    lineStart = new Int32Array(4096);
    count = 0;
    // The last hit kept, for the MIN_GAP rule (see add).
    lastKeyword = -1;
    lastEnd = -MIN_GAP;
    lastLine = -1;
    /**
     * Drops the hits from the `count`-th on, all on one line being read again (see
     * AddedBuffer.pushLine); the MIN_GAP rule then starts afresh on that line.
     */
    truncate(count) {
        this.count = count;
        this.lastLine = -1;
    }
    /** Empties the list for the next fragment. */
    reset() {
        this.count = 0;
        this.lastKeyword = -1;
        this.lastEnd = -MIN_GAP;
        this.lastLine = -1;
    }
    /**
     * Adds the keywords `outputs` ending at `end` (exclusive), on `line`. Hits of the same
     * keyword closer than MIN_GAP bytes on one line add nothing (their windows overlap), so
     * a line made of one repeated keyword does not fill memory.
     */
    add(outputs, end, line, lineStart) {
        for (let k = 0; k < outputs.length; k++) {
            const kw = outputs[k];
            if (kw === this.lastKeyword && line === this.lastLine && end - this.lastEnd < MIN_GAP)
                continue;
            this.lastKeyword = kw;
            this.lastEnd = end;
            this.lastLine = line;
            this.push(kw, end, line, lineStart);
        }
    }
    push(keyword, end, line, lineStart) {
        if (this.count === this.keyword.length)
            this.grow();
        const i = this.count++;
        this.keyword[i] = keyword;
        this.end[i] = end;
        this.line[i] = line;
        this.lineStart[i] = lineStart;
    }
    grow() {
        const twice = (a) => {
            const b = new Int32Array(a.length * 2);
            b.set(a);
            return b;
        };
        this.keyword = twice(this.keyword);
        this.end = twice(this.end);
        this.line = twice(this.line);
        this.lineStart = twice(this.lineStart);
    }
}
const MIN_GAP = 128;
class KeywordIndex {
    classOf = new Uint8Array(256);
    width;
    /** Transitions: target row offsets, negative for states where a keyword ends. */
    scaled;
    /** Keywords ending at each state, indexed by the state's row offset (as the scan loop holds it). */
    outputsAt = [];
    size;
    constructor(keywords) {
        const bytes = keywords.map((k) => Buffer.from(k.toLowerCase(), 'latin1'));
        let next = 1;
        for (const kw of bytes) {
            for (const b of kw) {
                if (this.classOf[b] === 0) {
                    this.classOf[b] = next;
                    // Upper-case letters share the lower-case column.
                    if (b >= 0x61 && b <= 0x7a)
                        this.classOf[b - 0x20] = next;
                    next++;
                }
            }
        }
        this.width = next;
        const goto = [new Map()];
        const outputs = [undefined];
        bytes.forEach((kw, index) => {
            if (kw.length === 0)
                return;
            let state = 0;
            for (const b of kw) {
                const c = this.classOf[b];
                let to = goto[state].get(c);
                if (to === undefined) {
                    to = goto.length;
                    goto.push(new Map());
                    outputs.push(undefined);
                    goto[state].set(c, to);
                }
                state = to;
            }
            (outputs[state] ??= []).push(index);
        });
        const states = goto.length;
        const delta = new Int32Array(states * this.width);
        const fail = new Int32Array(states);
        const queue = [];
        for (let c = 0; c < this.width; c++) {
            const to = goto[0].get(c);
            if (to !== undefined) {
                delta[c] = to;
                queue.push(to);
            }
        }
        for (let qi = 0; qi < queue.length; qi++) {
            const s = queue[qi];
            const f = fail[s];
            const inherited = outputs[f];
            if (inherited)
                outputs[s] = [...(outputs[s] ?? []), ...inherited];
            for (let c = 0; c < this.width; c++) {
                const to = goto[s].get(c);
                if (to !== undefined) {
                    fail[to] = delta[f * this.width + c];
                    delta[s * this.width + c] = to;
                    queue.push(to);
                }
                else {
                    delta[s * this.width + c] = delta[f * this.width + c];
                }
            }
        }
        // Each target is stored as its row offset, negated when a keyword ends there.
        this.scaled = new Int32Array(delta.length);
        for (let k = 0; k < delta.length; k++) {
            const to = delta[k];
            this.scaled[k] = outputs[to] ? -to * this.width : to * this.width;
        }
        outputs.forEach((out, state) => {
            if (out)
                this.outputsAt[state * this.width] = out;
        });
        this.size = states;
    }
    /**
     * The tables, for a reader that runs the automaton line by line as it copies them; only
     * when no keyword holds a newline, so that every line starts from the first state.
     */
    get automaton() {
        if (this.classOf[10] !== 0)
            return undefined;
        return { classOf: this.classOf, delta: this.scaled, outputs: this.outputsAt };
    }
    /** Every keyword occurrence in `data`, in order, with its line, appended to `hits` (reset first). */
    scan(data, hits) {
        const { classOf, outputsAt } = this;
        const delta = this.scaled;
        const n = data.length;
        hits.reset();
        let state = 0;
        // Lines are counted only up to each hit, with the native indexOf, so the
        // per-byte loop does nothing but follow the automaton.
        let line = 0;
        let lineStart = 0;
        // The next newline at or after lineStart, found once per line: counting to it on
        // every hit would cost the line's length per hit (quadratic on a 1 MiB line).
        let nextNl = data.indexOf(10);
        if (nextNl < 0)
            nextNl = n;
        for (let i = 0; i < n; i++) {
            state = delta[state + classOf[data[i]]];
            if (state < 0) {
                state = -state;
                while (nextNl < i) {
                    line++;
                    lineStart = nextNl + 1;
                    nextNl = data.indexOf(10, lineStart);
                    if (nextNl < 0)
                        nextNl = n;
                }
                hits.add(outputsAt[state], i + 1, line, lineStart);
            }
        }
    }
    /** True when any keyword occurs in `text` (for short strings such as a single line). */
    test(text) {
        const hits = new KeywordHits();
        this.scan(Buffer.from(text, 'latin1'), hits);
        return hits.count > 0;
    }
}
//# sourceMappingURL=keyword-index.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/scanner.js







const DEFAULT_LIMITS = { maxLineLength: 4096, fileTimeBudgetMs: 10_000, deadline: Infinity };
const WINDOW = 512;
/** No regex ever runs on more text than this at once: merged windows are cut into overlapping pieces. */
const MAX_WINDOW = 16 * 1024;
const MAX_KEYWORD = 6;
const MULTILINE_WINDOW = 64 * 1024;
const INLINE_ALLOW = /gitleaks:allow|secret-scan:allow/;
function jsMatcher(regex, group) {
    return (text, onMatch) => {
        regex.lastIndex = 0;
        for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
            if (m[0].length === 0)
                regex.lastIndex++;
            onMatch(m.index, m[0], secretOf(m, group));
        }
    };
}
/**
 * Rules from a user's config run on RE2JS, a linear-time engine with the RE2
 * semantics gitleaks configs are written for: a pattern such as `(?:a|aa)+b`
 * cannot backtrack for minutes on a short line.
 */
function re2Matcher(source, group) {
    const pattern = build/* RE2JS */.L3.compile(source);
    return (text, onMatch) => {
        const m = pattern.matcher(text);
        while (m.find()) {
            let secret = '';
            if (group !== undefined)
                secret = m.group(group) ?? '';
            else {
                for (let i = 1; i <= m.groupCount() && !secret; i++)
                    secret = m.group(i) ?? '';
                if (!secret)
                    secret = m.group() ?? '';
            }
            onMatch(m.start(), m.group() ?? '', secret);
        }
    };
}
/**
 * Finds secrets in fragments. One pass of a keyword automaton over the bytes
 * picks the few lines worth decoding; only the rules whose keywords occur on a
 * line run their regex on it.
 */
class scanner_SecretScanner {
    ruleSet;
    compiled;
    index;
    /** Rules to try for each keyword of the automaton. */
    rulesOfKeyword;
    /** Rules without keywords run on every fragment. */
    alwaysRules;
    pathRules;
    limits;
    stamp;
    /** Rules to run on the current line (reused). */
    candidates;
    stampCounter = 0;
    hits = new KeywordHits();
    constructor(ruleSet, limits = {}, builtinIds = new Set()) {
        this.ruleSet = ruleSet;
        this.limits = { ...DEFAULT_LIMITS, ...limits };
        this.compiled = ruleSet.rules.map((rule) => {
            const regex = rule.regex ? new RegExp(rule.regex.source, withGlobal(rule.regex.flags)) : undefined;
            const match = rule.goSource !== undefined
                ? re2Matcher(rule.goSource, rule.secretGroup)
                : regex
                    ? jsMatcher(regex, rule.secretGroup)
                    : undefined;
            return {
                rule,
                regex,
                match,
                skipPlaceholders: builtinIds.has(rule.id),
                broad: rule.generic === true && builtinIds.has(rule.id),
            };
        });
        const keywords = [];
        const keywordId = new Map();
        this.rulesOfKeyword = [];
        this.alwaysRules = [];
        this.pathRules = [];
        this.compiled.forEach((c, ruleIndex) => {
            if (!c.regex) {
                if (c.rule.path)
                    this.pathRules.push(ruleIndex);
                return;
            }
            if (c.rule.keywords.length === 0) {
                this.alwaysRules.push(ruleIndex);
                return;
            }
            for (const keyword of c.rule.keywords) {
                // A prefix is as good a prefilter (the regex decides), and short keywords keep the automaton small enough to stay in cache.
                const kw = keyword.slice(0, MAX_KEYWORD);
                let id = keywordId.get(kw);
                if (id === undefined) {
                    id = keywords.length;
                    keywords.push(kw);
                    keywordId.set(kw, id);
                    this.rulesOfKeyword.push([]);
                }
                this.rulesOfKeyword[id].push(ruleIndex);
            }
        });
        this.index = new KeywordIndex(keywords);
        this.stamp = new Int32Array(this.compiled.length);
        this.candidates = new Int32Array(this.compiled.length);
    }
    /** The keyword automaton (a reader can find the hits as it copies lines: Fragment.hits). */
    get keywordIndex() {
        return this.index;
    }
    get ruleCount() {
        return this.compiled.length;
    }
    /** True when a global allowlist excludes this path, so the file need not be read. */
    isPathAllowed(file) {
        return this.ruleSet.allowlists.some((a) => allowsWholePath(a, file));
    }
    /**
     * The work is split in small methods on purpose: the per-line loop is compiled (and,
     * when a rare path is first taken, recompiled) on its own, not as one large function
     * with every rare path in it.
     */
    scan(fragment) {
        const stopAt = Math.min(external_node_perf_hooks_.performance.now() + this.limits.fileTimeBudgetMs, this.limits.deadline);
        const run = {
            fragment,
            stopAt,
            exactOnly: fragment.profile === 'exact',
            findings: [],
            seen: new Set(),
            skips: new Uint8Array(this.compiled.length),
            truncated: undefined,
            truncatedAt: undefined,
        };
        if (this.pathRules.length > 0)
            this.runPathRules(run);
        let hits = fragment.hits;
        if (!hits) {
            hits = this.hits;
            this.index.scan(fragment.data, hits);
        }
        if (hits.count > 0)
            this.runKeywordRules(run, hits);
        if (this.alwaysRules.length > 0 && run.truncated === undefined)
            this.runAlwaysRules(run);
        return {
            findings: dropGenericDuplicates(run.findings),
            truncated: run.truncated,
            truncatedAt: run.truncatedAt,
        };
    }
    emit(run, c, secret, match, line, lineIndex, column) {
        const finding = this.toFinding(c, run.fragment, secret, match, line, lineIndex, column);
        if (!finding)
            return;
        const key = `${finding.ruleId}\0${finding.line}\0${finding.secretHash}`;
        if (run.seen.has(key))
            return;
        run.seen.add(key);
        run.findings.push(finding);
    }
    /** Records where the budget ran out. */
    truncate(run, lineIndex) {
        const text = run.stopAt === this.limits.deadline
            ? "the scan's time budget ran out"
            : `the per-file time budget of ${this.limits.fileTimeBudgetMs} ms ran out`;
        run.truncatedAt = this.lineNumber(run.fragment, lineIndex);
        run.truncated = `${text} at line ${run.truncatedAt}`;
    }
    /** Whether rule `r` runs on this fragment at all (its path, its allowlists, the profile), decided once per fragment. */
    ruleRuns(run, r) {
        let v = run.skips[r];
        if (v === 0) {
            const c = this.compiled[r];
            const rule = c.rule;
            const file = run.fragment.file;
            // A rule with both a path and a regex (gitleaks' semantics) only runs on files its path matches.
            const skipped = (rule.path !== undefined && !rule.path.test(file)) ||
                rule.allowlists.some((a) => allowsWholePath(a, file)) ||
                (run.exactOnly && c.broad);
            v = skipped ? 1 : 2;
            run.skips[r] = v;
        }
        return v === 2;
    }
    runPathRules(run) {
        const { fragment } = run;
        for (const ruleIndex of this.pathRules) {
            const c = this.compiled[ruleIndex];
            if (c.rule.path.test(fragment.file) &&
                !this.allowedByRule(c.rule, {
                    secret: '',
                    match: '',
                    line: '',
                    path: fragment.file,
                    commit: fragment.commit,
                })) {
                this.emit(run, c, fragment.file, fragment.file, '', 0, 1);
            }
        }
    }
    /**
     * Hits are in byte order, so each line's hits are contiguous: walk them line by line
     * without building objects per line, and run each line's candidate rules on it.
     */
    runKeywordRules(run, found) {
        const { data } = run.fragment;
        const { keyword: hitKeyword, line: hitLine, lineStart: hitLineStart, count: hits } = found;
        const stamp = this.stamp;
        const candidates = this.candidates;
        const maxLineLength = this.limits.maxLineLength;
        let processed = 0;
        for (let h = 0; h < hits;) {
            const lineIndex = hitLine[h];
            const lineStart = hitLineStart[h];
            const firstHit = h;
            let count = 0;
            const mark = ++this.stampCounter;
            for (; h < hits && hitLine[h] === lineIndex; h++) {
                const rules = this.rulesOfKeyword[hitKeyword[h]];
                for (let k = 0; k < rules.length; k++) {
                    const r = rules[k];
                    if (stamp[r] !== mark) {
                        stamp[r] = mark;
                        // Rules that do not run on this file (its path, the profile) never make a line worth decoding.
                        if (this.ruleRuns(run, r))
                            candidates[count++] = r;
                    }
                }
            }
            if (count === 0)
                continue;
            let lineEnd = data.indexOf(10, lineStart);
            if (lineEnd < 0)
                lineEnd = data.length;
            if (lineEnd - lineStart > maxLineLength) {
                if (!this.scanLongLine(run, found, lineIndex, lineStart, lineEnd, firstHit, h, count))
                    return;
                continue;
            }
            if ((++processed & 15) === 0 && external_node_perf_hooks_.performance.now() > run.stopAt) {
                this.truncate(run, lineIndex);
                return;
            }
            this.scanWindow(run, lineIndex, lineStart, lineStart, lineEnd, count, true);
        }
    }
    /**
     * A line longer than maxLineLength: only windows around its keyword hits are searched.
     * False when the budget ran out.
     */
    scanLongLine(run, found, lineIndex, lineStart, lineEnd, firstHit, endHit, count) {
        if (external_node_perf_hooks_.performance.now() > run.stopAt) {
            this.truncate(run, lineIndex);
            return false;
        }
        const windows = mergeWindows(found.end.subarray(firstHit, endHit), lineStart, lineEnd);
        for (let w = 0; w < windows.length; w++) {
            const [from, to] = windows[w];
            if ((w & 7) === 7 && external_node_perf_hooks_.performance.now() > run.stopAt) {
                this.truncate(run, lineIndex);
                return false;
            }
            this.scanWindow(run, lineIndex, lineStart, from, to, count, w === 0);
        }
        return true;
    }
    /** Runs the line's candidate rules (the first `count` of this.candidates) on data[from, to). */
    scanWindow(run, lineIndex, lineStart, from, to, count, first) {
        const { fragment } = run;
        let text = decode(fragment.data, from, to);
        if (text.endsWith('\r'))
            text = text.slice(0, -1);
        const columnBase = from - lineStart;
        const candidates = this.candidates;
        for (let k = 0; k < count; k++) {
            const c = this.compiled[candidates[k]];
            if (c.rule.multiline) {
                if (first)
                    this.runMultiline(c, fragment, lineStart, lineIndex, run);
                continue;
            }
            c.match(text, (index, match, secret) => {
                if (c.rule.wordStart && index > 0 && isTokenChar(text.charCodeAt(index - 1)))
                    return;
                if (secret === '')
                    return;
                const offset = index + Math.max(0, match.indexOf(secret));
                this.emit(run, c, secret, match, text, lineIndex, columnBase + offset + 1);
            });
        }
    }
    /**
     * Rules without keywords (from a user's config) meet every line, so they get the same
     * guards as the rest: line by line, long lines in overlapping windows, within the budget.
     */
    runAlwaysRules(run) {
        const { data } = run.fragment;
        const rules = this.alwaysRules.filter((r) => this.ruleRuns(run, r));
        const max = this.limits.maxLineLength;
        let lineStart = 0;
        for (let lineIndex = 0; lineStart <= data.length && rules.length > 0; lineIndex++) {
            let lineEnd = data.indexOf(10, lineStart);
            if (lineEnd < 0)
                lineEnd = data.length;
            if (((lineIndex & 63) === 63 || lineEnd - lineStart > max) && external_node_perf_hooks_.performance.now() > run.stopAt) {
                this.truncate(run, lineIndex);
                return;
            }
            for (let from = lineStart; from < lineEnd || from === lineStart; from += max - WINDOW) {
                const to = Math.min(lineEnd, from + max);
                let text = decode(data, from, to);
                if (text.endsWith('\r'))
                    text = text.slice(0, -1);
                for (const r of rules) {
                    const c = this.compiled[r];
                    c.match(text, (index, match, secret) => {
                        if (secret === '')
                            return;
                        this.emit(run, c, secret, match, text, lineIndex, from - lineStart + index + Math.max(0, match.indexOf(secret)) + 1);
                    });
                }
                if (to >= lineEnd)
                    break;
                if (external_node_perf_hooks_.performance.now() > run.stopAt) {
                    this.truncate(run, lineIndex);
                    return;
                }
            }
            lineStart = lineEnd + 1;
        }
    }
    runMultiline(c, fragment, lineStart, lineIndex, run) {
        const { data } = fragment;
        const end = Math.min(data.length, lineStart + MULTILINE_WINDOW);
        const text = Buffer.from(data.buffer, data.byteOffset + lineStart, end - lineStart).toString('utf8');
        let found;
        c.match(text, (index, match, secret) => {
            found ??= { index, match, secret };
        });
        if (!found)
            return;
        const { secret } = found;
        if (secret === '')
            return;
        const at = found.index + Math.max(0, found.match.indexOf(secret));
        const before = countNewlines(text, at);
        const lineText = text.slice(text.lastIndexOf('\n', at - 1) + 1, at + 200);
        this.emit(run, c, secret, found.match, lineText, lineIndex + before, 1);
    }
    lineNumber(fragment, lineIndex) {
        return fragment.lineNumbers ? (fragment.lineNumbers[lineIndex] ?? lineIndex + 1) : lineIndex + 1;
    }
    allowedByRule(rule, ctx) {
        return (rule.allowlists.some((a) => isAllowed(a, ctx)) || this.ruleSet.allowlists.some((a) => isAllowed(a, ctx)));
    }
    toFinding(c, fragment, secret, match, line, lineIndex, column) {
        const { rule } = c;
        const entropy = shannonEntropy(secret);
        if (rule.entropy !== undefined && entropy < rule.entropy)
            return undefined;
        if (INLINE_ALLOW.test(line))
            return undefined;
        if (rule.validate && !rule.validate(secret, c.rule.multiline ? match : line))
            return undefined;
        // An exact format (a prefix, an alphabet, a length) is not overruled by words such as
        // `Todo` or `sample` inside the random part: only filler (`xxxxxx`, `FAKEFAKEFAKE`) and
        // the documented example values are dropped.
        if (c.skipPlaceholders && !rule.validate && isFillerInExactFormat(secret))
            return undefined;
        if (this.allowedByRule(rule, { secret, match, line, path: fragment.file, commit: fragment.commit }))
            return undefined;
        const secretHash = sha256Hex(secret);
        const lineNumber = this.lineNumber(fragment, lineIndex);
        return {
            ruleId: rule.id,
            description: rule.description,
            file: fragment.file,
            line: lineNumber,
            column,
            commit: fragment.commit,
            secret,
            secretHash,
            redacted: redact(secret),
            fingerprint: fingerprintOf(rule.id, fragment.file, secretHash, secret, lineNumber),
            entropy: Math.round(entropy * 100) / 100,
        };
    }
}
function isTokenChar(code) {
    return ((code >= 48 && code <= 57) ||
        (code >= 65 && code <= 90) ||
        (code >= 97 && code <= 122) ||
        code === 95 ||
        code === 45);
}
function decode(data, from, to) {
    return Buffer.isBuffer(data)
        ? data.toString('utf8', from, to)
        : Buffer.from(data.buffer, data.byteOffset + from, to - from).toString('utf8');
}
function withGlobal(flags) {
    return flags.includes('g') ? flags : `${flags}g`;
}
/** gitleaks' rule: the configured group, else the first non-empty group, else the whole match. */
function secretOf(m, group) {
    if (group !== undefined)
        return m[group] ?? '';
    for (let i = 1; i < m.length; i++)
        if (m[i])
            return m[i];
    return m[0];
}
function countNewlines(text, until) {
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < until; i = text.indexOf('\n', i + 1))
        n++;
    return n;
}
/** Windows of ±WINDOW bytes around each keyword hit on a long line, merged where they overlap. */
function mergeWindows(ends, lineStart, lineEnd) {
    const windows = [];
    for (let i = 0; i < ends.length; i++) {
        const end = ends[i];
        const from = Math.max(lineStart, end - WINDOW);
        const to = Math.min(lineEnd, end + WINDOW);
        const last = windows[windows.length - 1];
        if (last && from <= last[1] && to - last[0] <= MAX_WINDOW)
            last[1] = Math.max(last[1], to);
        else if (last && from <= last[1])
            windows.push([Math.max(last[0], last[1] - 2 * WINDOW), to]);
        else
            windows.push([from, to]);
    }
    return windows;
}
/**
 * A generic finding is dropped when a specific rule found the same secret on the same
 * line, and the broadest generic rule yields to the config-file one.
 */
function dropGenericDuplicates(findings) {
    if (findings.length < 2)
        return findings;
    const specific = findings.filter((f) => !f.ruleId.startsWith('generic'));
    const config = findings.filter((f) => f.ruleId === 'generic-config-credential');
    const overlaps = (a, b) => a.line === b.line && (a.secret.includes(b.secret) || b.secret.includes(a.secret));
    return findings.filter((f) => !f.ruleId.startsWith('generic') ||
        (!specific.some((s) => overlaps(s, f)) &&
            (f.ruleId !== 'generic-secret' || !config.some((c) => overlaps(c, f)))));
}
//# sourceMappingURL=scanner.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/go-regex.js

/**
 * Translates the RE2 (Go) syntax gitleaks configs are written in to a JavaScript
 * RegExp. Node 20 has no inline flag groups, so a `(?i)` that is not at the very
 * start makes the rest of its group case-insensitive by spelling letters as
 * `[aA]`; possessive and atomic forms have no JavaScript equivalent and are
 * refused with a message naming the rule.
 */
class RegexTranslationError extends Error {
}
const POSIX_CLASSES = {
    alnum: 'a-zA-Z0-9',
    alpha: 'a-zA-Z',
    ascii: '\\x00-\\x7F',
    blank: ' \\t',
    cntrl: '\\x00-\\x1F\\x7F',
    digit: '0-9',
    graph: '!-~',
    lower: 'a-z',
    print: ' -~',
    punct: '!-\\/:-@\\[-`{-~',
    space: ' \\t\\n\\r\\f\\v',
    upper: 'A-Z',
    word: 'A-Za-z0-9_',
    xdigit: '0-9A-Fa-f',
};
function translateGoRegex(source) {
    let flags = '';
    let pattern = source;
    const leading = /^\(\?([imsU]+)\)/.exec(pattern);
    if (leading) {
        if (leading[1].includes('U'))
            throw new RegexTranslationError('the U (ungreedy) flag has no JavaScript equivalent');
        flags = [...new Set(leading[1].replace('U', ''))].join('');
        pattern = pattern.slice(leading[0].length);
    }
    let unicode = false;
    let out = '';
    // Stack of open groups: whether case-insensitivity was switched on inside them.
    const groups = [];
    let caseless = false;
    const caselessAt = [];
    for (let i = 0; i < pattern.length; i++) {
        const ch = pattern[i];
        if (ch === '\\') {
            const next = pattern[i + 1];
            if (next === undefined)
                throw new RegexTranslationError('the pattern ends with a lone backslash');
            if (next === 'z') {
                out += '$(?![\\s\\S])';
                i++;
            }
            else if (next === 'A') {
                out += '(?<![\\s\\S])';
                i++;
            }
            else if (next === 'Q') {
                const end = pattern.indexOf('\\E', i + 2);
                const literal = pattern.slice(i + 2, end < 0 ? undefined : end);
                const escaped = literal.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
                out += caseless ? spellCaseless(escaped) : escaped;
                i = end < 0 ? pattern.length : end + 1;
            }
            else if (next === 'p' || next === 'P') {
                unicode = true;
                const m = /^\\[pP](\{[^}]+\}|[A-Za-z])/.exec(pattern.slice(i));
                if (!m)
                    throw new RegexTranslationError('a \\p escape without a class');
                const cls = m[1].startsWith('{') ? m[1] : `{${m[1]}}`;
                out += `\\${next}${cls}`;
                i += m[0].length - 1;
            }
            else {
                out += `\\${next}`;
                i++;
            }
            continue;
        }
        if (ch === '[') {
            const { text, end } = readClass(pattern, i, caseless);
            out += text;
            i = end;
            continue;
        }
        if (ch === '(') {
            if (pattern.startsWith('(?P<', i)) {
                out += '(?<';
                i += 3;
                groups.push(false);
                caselessAt.push(caseless);
                continue;
            }
            if (pattern.startsWith('(?>', i))
                throw new RegexTranslationError('atomic groups (?>...) are not supported');
            const flagGroup = /^\(\?([imsU-]+)(:|\))/.exec(pattern.slice(i));
            if (flagGroup) {
                const [whole, set, kind] = flagGroup;
                if (/[U]/.test(set) || /-.*i/.test(set))
                    throw new RegexTranslationError(`the flag group (?${set}${kind}) has no JavaScript equivalent`);
                const turnsOnI = set.includes('i') && !flags.includes('i');
                if (/[sm]/.test(set.replace(/-.*/, '')))
                    flags = [...new Set(flags + set.replace(/[^sm]/g, ''))].join('');
                if (kind === ')') {
                    if (turnsOnI)
                        caseless = true;
                }
                else {
                    out += '(?:';
                    groups.push(turnsOnI);
                    caselessAt.push(caseless);
                    if (turnsOnI)
                        caseless = true;
                }
                i += whole.length - 1;
                continue;
            }
            groups.push(false);
            caselessAt.push(caseless);
            out += '(';
            continue;
        }
        if (ch === ')') {
            groups.pop();
            caseless = caselessAt.pop() ?? false;
            out += ')';
            continue;
        }
        if ((ch === '+' || ch === '*' || ch === '?' || ch === '}') && pattern[i + 1] === '+') {
            throw new RegexTranslationError(`possessive quantifiers (${ch}+) are not supported`);
        }
        out += caseless && /[a-zA-Z]/.test(ch) ? `[${ch.toLowerCase()}${ch.toUpperCase()}]` : ch;
    }
    if (unicode)
        flags += 'u';
    try {
        return new RegExp(out, flags);
    }
    catch (error) {
        throw new RegexTranslationError(`it is not a valid regular expression once translated (${(0,lib/* errorMessage */.gJ)(error)})`);
    }
}
function spellCaseless(text) {
    return text.replace(/\\.|[a-zA-Z]/g, (c) => c.length === 1 ? `[${c.toLowerCase()}${c.toUpperCase()}]` : c);
}
/** Copies a character class, expanding POSIX names and adding the other case when case-insensitive. */
function readClass(pattern, start, caseless) {
    let i = start + 1;
    let body = '';
    if (pattern[i] === '^') {
        body += '^';
        i++;
    }
    if (pattern[i] === ']') {
        body += '\\]';
        i++;
    }
    const extra = [];
    for (; i < pattern.length && pattern[i] !== ']'; i++) {
        const ch = pattern[i];
        if (ch === '[' && pattern[i + 1] === ':') {
            const close = pattern.indexOf(':]', i + 2);
            const name = pattern.slice(i + 2, close);
            const expansion = POSIX_CLASSES[name];
            if (close < 0 || expansion === undefined)
                throw new RegexTranslationError(`unknown character class [:${name}:]`);
            body += expansion;
            i = close + 1;
            continue;
        }
        if (ch === '\\') {
            body += pattern.slice(i, i + 2);
            i++;
            continue;
        }
        if (ch === '[') {
            body += '\\[';
            continue;
        }
        if (caseless && /[a-zA-Z]/.test(ch)) {
            if (pattern[i + 1] === '-' && /[a-zA-Z]/.test(pattern[i + 2] ?? '')) {
                const to = pattern[i + 2];
                body += `${ch}-${to}`;
                extra.push(`${swapCase(ch)}-${swapCase(to)}`);
                i += 2;
                continue;
            }
            extra.push(swapCase(ch));
        }
        body += ch;
    }
    if (i >= pattern.length)
        throw new RegexTranslationError('a character class is not closed');
    return { text: `[${body}${extra.join('')}]`, end: i };
}
function swapCase(c) {
    return c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
}
//# sourceMappingURL=go-regex.js.map
// EXTERNAL MODULE: ./node_modules/smol-toml/dist/index.js + 8 modules
var dist = __webpack_require__(3292);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/gitleaks-config.js








/** The built-in pack with no configuration. */
function gitleaks_config_defaultRuleSet() {
    return { rules: builtin_builtinRules(), allowlists: [], source: 'built-in' };
}
/**
 * Reads a gitleaks configuration (v8 format): `[[rules]]`, `[extend]` with
 * `useDefault` / `path` / `disabledRules`, global `[allowlist]` or
 * `[[allowlists]]` (with `targetRules`), per-rule `[rules.allowlist]` or
 * `[[rules.allowlists]]`. Every problem in the file is reported at once.
 */
function gitleaks_config_loadGitleaksConfig(file, seen = new Set(), read = (p) => (0,external_node_fs_.readFileSync)(p, 'utf8')) {
    const path = (0,external_node_path_.resolve)(file);
    if (seen.has(path))
        throw new lib/* UserError */.yo('config-invalid', `${file}: [extend] path makes a cycle.`);
    seen.add(path);
    let text;
    try {
        text = read(path);
    }
    catch (error) {
        throw new lib/* UserError */.yo('config-invalid', `Could not read the config file ${file}: ${(0,lib/* errorMessage */.gJ)(error)}`);
    }
    let doc;
    try {
        doc = (0,dist/* parse */.qg)(text);
    }
    catch (error) {
        throw new lib/* UserError */.yo('config-invalid', `${file} is not valid TOML: ${(0,lib/* errorMessage */.gJ)(error).split('\n')[0]}`);
    }
    const problems = [];
    const extend = (doc['extend'] ?? {});
    let base;
    if (extend['useDefault'] === true)
        base = gitleaks_config_defaultRuleSet();
    if (typeof extend['path'] === 'string')
        base = gitleaks_config_loadGitleaksConfig((0,external_node_path_.resolve)((0,external_node_path_.dirname)(path), extend['path']), seen, read);
    const disabled = new Set(asStrings(extend['disabledRules']));
    const rules = new Map();
    for (const r of base?.rules ?? [])
        if (!disabled.has(r.id))
            rules.set(r.id, r);
    const rawRules = Array.isArray(doc['rules']) ? doc['rules'] : [];
    rawRules.forEach((raw, index) => {
        const rule = readRule(raw, index, problems);
        if (rule)
            rules.set(rule.id, rule);
    });
    const globals = [...(base?.allowlists ?? [])];
    const legacy = doc['allowlist'];
    if (legacy)
        globals.push(readAllowlist(legacy, 'the [allowlist] table', problems));
    const lists = Array.isArray(doc['allowlists']) ? doc['allowlists'] : [];
    lists.forEach((raw, i) => {
        const list = readAllowlist(raw, `[[allowlists]] #${i + 1}`, problems);
        const targets = asStrings(raw['targetRules']);
        if (targets.length === 0) {
            globals.push(list);
            return;
        }
        for (const id of targets) {
            const rule = rules.get(id);
            if (rule)
                rule.allowlists.push(list);
            else
                problems.push(`[[allowlists]] #${i + 1} targets rule '${id}', which does not exist.`);
        }
    });
    if (problems.length > 0) {
        throw new lib/* UserError */.yo('config-invalid', `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    }
    if (rules.size === 0) {
        throw new lib/* UserError */.yo('config-invalid', `${file} defines no rules. Add [extend] useDefault = true to keep the built-in rules.`);
    }
    return { rules: [...rules.values()], allowlists: globals, source: file };
}
function readRule(raw, index, problems) {
    const id = typeof raw['id'] === 'string' ? raw['id'] : '';
    const where = id ? `rule '${id}'` : `rule #${index + 1}`;
    if (!id)
        problems.push(`${where} has no id.`);
    let regex;
    let pathRegex;
    let goSource;
    if (typeof raw['regex'] === 'string') {
        regex = translate(raw['regex'], `${where}: regex`, problems);
        if (regex) {
            try {
                build/* RE2JS */.L3.compile(raw['regex']);
                goSource = raw['regex'];
            }
            catch (error) {
                problems.push(`${where}: regex: not valid RE2 syntax (${(0,lib/* errorMessage */.gJ)(error)}).`);
            }
        }
    }
    if (typeof raw['path'] === 'string')
        pathRegex = translate(raw['path'], `${where}: path`, problems);
    if (!raw['regex'] && !raw['path'])
        problems.push(`${where} has neither a regex nor a path.`);
    const allowlists = [];
    if (raw['allowlist'] && typeof raw['allowlist'] === 'object')
        allowlists.push(readAllowlist(raw['allowlist'], `${where} allowlist`, problems));
    if (Array.isArray(raw['allowlists'])) {
        raw['allowlists'].forEach((a, i) => allowlists.push(readAllowlist(a, `${where} allowlist #${i + 1}`, problems)));
    }
    const secretGroup = typeof raw['secretGroup'] === 'number' && raw['secretGroup'] > 0 ? raw['secretGroup'] : undefined;
    if (!id)
        return undefined;
    return {
        id,
        description: typeof raw['description'] === 'string' ? raw['description'] : id,
        regex,
        goSource,
        path: pathRegex,
        keywords: asStrings(raw['keywords']).map((k) => k.toLowerCase()),
        entropy: typeof raw['entropy'] === 'number' && raw['entropy'] > 0 ? raw['entropy'] : undefined,
        secretGroup,
        allowlists,
        tags: asStrings(raw['tags']),
    };
}
function readAllowlist(raw, where, problems) {
    const list = emptyAllowlist();
    if (typeof raw['description'] === 'string')
        list.description = raw['description'];
    const condition = String(raw['condition'] ?? 'OR').toUpperCase();
    if (condition !== 'OR' && condition !== 'AND')
        problems.push(`${where}: condition '${condition}' is not OR or AND.`);
    else
        list.condition = condition;
    const target = String(raw['regexTarget'] ?? 'secret');
    if (target !== 'secret' && target !== 'match' && target !== 'line')
        problems.push(`${where}: regexTarget '${target}' is not secret, match or line.`);
    else
        list.regexTarget = target;
    list.regexes = asStrings(raw['regexes']).flatMap((r, i) => translate(r, `${where}: regexes[${i}]`, problems) ?? []);
    list.paths = asStrings(raw['paths']).flatMap((r, i) => translate(r, `${where}: paths[${i}]`, problems) ?? []);
    list.commits = asStrings(raw['commits']);
    list.stopwords = asStrings(raw['stopwords']).map((w) => w.toLowerCase());
    return list;
}
function translate(source, where, problems) {
    try {
        return translateGoRegex(source);
    }
    catch (error) {
        if (error instanceof RegexTranslationError) {
            problems.push(`${where}: ${error.message}.`);
            return undefined;
        }
        throw error;
    }
}
function asStrings(value) {
    return Array.isArray(value) ? value.filter((v) => typeof v === 'string') : [];
}
//# sourceMappingURL=gitleaks-config.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/accepted.js



/**
 * Findings a team has accepted: fingerprints from an ignore file
 * (`.gitleaksignore` / `.secretscanignore`) and the findings of a baseline report.
 * Both our fingerprints (`file:rule:hash`) and gitleaks' (`commit:file:rule:line`,
 * `file:rule:line`) are understood.
 */
class AcceptedFindings {
    fingerprints = new Set();
    gitleaksEntries = [];
    baselineCount = 0;
    addIgnoreFile(text) {
        for (const raw of text.split(/\r?\n/)) {
            const line = raw.trim();
            if (line === '' || line.startsWith('#'))
                continue;
            const gitleaks = /^(?:([0-9a-f]{7,40}):)?(.+):([\w.-]+):(\d+)$/.exec(line);
            if (gitleaks) {
                this.gitleaksEntries.push({
                    commit: gitleaks[1],
                    file: gitleaks[2],
                    ruleId: gitleaks[3],
                    line: Number(gitleaks[4]),
                });
            }
            else {
                this.fingerprints.add(line);
            }
        }
    }
    /** A JSON report from a previous run (ours), or a gitleaks JSON report. */
    addBaseline(file) {
        let parsed;
        try {
            parsed = JSON.parse((0,external_node_fs_.readFileSync)(file, 'utf8'));
        }
        catch (error) {
            throw new lib/* UserError */.yo('baseline-invalid', `The baseline ${file} could not be read as JSON: ${(0,lib/* errorMessage */.gJ)(error).split('\n')[0]}. Pass the report-file of an earlier run.`);
        }
        const entries = Array.isArray(parsed)
            ? parsed
            : Array.isArray(parsed?.findings)
                ? parsed.findings
                : [];
        if (!Array.isArray(parsed) && !Array.isArray(parsed?.findings)) {
            throw new lib/* UserError */.yo('baseline-invalid', `The baseline ${file} has no findings list. Pass the report-file of an earlier run (or a gitleaks JSON report).`);
        }
        for (const entry of entries) {
            if (typeof entry['fingerprint'] === 'string' && typeof entry['ruleId'] === 'string') {
                this.fingerprints.add(entry['fingerprint']);
            }
            else if (typeof entry['RuleID'] === 'string' &&
                typeof entry['File'] === 'string' &&
                typeof entry['Secret'] === 'string') {
                this.fingerprints.add(fingerprintOf(entry['RuleID'], entry['File'], sha256Hex(entry['Secret'])));
                if (typeof entry['StartLine'] === 'number') {
                    this.fingerprints.add(fingerprintOf(entry['RuleID'], entry['File'], sha256Hex(entry['Secret']), entry['Secret'], entry['StartLine']));
                }
            }
            else
                continue;
            this.baselineCount++;
        }
    }
    has(finding) {
        if (this.fingerprints.has(finding.fingerprint))
            return true;
        // Reports written before weak secrets lost their hash still name them by it.
        if (finding.secret &&
            this.fingerprints.has(fingerprintOf(finding.ruleId, finding.file, finding.secretHash)))
            return true;
        return this.gitleaksEntries.some((e) => e.ruleId === finding.ruleId &&
            e.file === finding.file &&
            e.line === finding.line &&
            (e.commit === undefined || (finding.commit !== undefined && finding.commit.startsWith(e.commit))));
    }
}
//# sourceMappingURL=accepted.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/hygiene.js

const TEMPLATE_SUFFIXES = /\.(?:example|sample|template|tpl|dist|defaults?|schema|in)$/i;
/** `.env`, `.env.production`, `.env.local`… but not the templates teams commit on purpose. */
function isCommittedEnvName(path) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return /^\.env(?:\.[\w.-]+)?$/i.test(name) && !TEMPLATE_SUFFIXES.test(name);
}
function isDockerfileName(path) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    return (/^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/i.test(name) ||
        /\.(?:Dockerfile|Containerfile)$/i.test(name));
}
function hygieneFinding(ruleId, description, file, line, commit) {
    const secretHash = sha256Hex(`${ruleId}:${file}`);
    return {
        ruleId,
        description,
        file,
        line,
        column: 1,
        commit,
        secret: '',
        secretHash,
        redacted: '',
        fingerprint: fingerprintOf(ruleId, file, secretHash),
        entropy: 0,
    };
}
/** Findings about the scan itself, which no baseline or ignore file can accept. */
const UNACCEPTABLE_RULES = new Set(['not-fully-scanned', 'scan-config-changed']);
/** Part of the input was not scanned (a time budget ran out): the gate cannot call it clean. */
function notFullyScannedFinding(file, line, why, commit) {
    return hygieneFinding('not-fully-scanned', `Not fully scanned: ${why}. A secret there would not have been found; split the file, exclude it in .gitleaks.toml, or raise time-budget.`, file, line, commit);
}
/** A pull request changes a file that decides what the scan ignores (the scan used the base commit's). */
function configChangedFinding(file, commit) {
    return hygieneFinding('scan-config-changed', `This change edits ${file}, which decides what the secret scan ignores. This scan used the base commit's version; review the change before merging, since it applies from then on.`, file, 1, commit);
}
function committedEnvFinding(file, commit) {
    return hygieneFinding('committed-dotenv', 'A .env file is committed: it usually holds the secrets themselves. Commit a .env.example instead and add .env to .gitignore.', file, 1, commit);
}
/**
 * Whether a `.dockerignore` keeps `.env` out of the build context. Patterns
 * follow Docker's rules: later lines win, `!` re-includes, `**` spans folders,
 * a leading `/` or `./` is dropped.
 */
function dockerignoreExcludesEnv(content) {
    let excluded = false;
    for (const raw of content.split(/\r?\n/)) {
        let pattern = raw.trim();
        if (pattern === '' || pattern.startsWith('#'))
            continue;
        const negate = pattern.startsWith('!');
        if (negate)
            pattern = pattern.slice(1).trim();
        pattern = pattern.replace(/^\.?\//, '').replace(/\/+$/, '');
        if (globToRegExp(pattern).test('.env'))
            excluded = !negate;
    }
    return excluded;
}
function globToRegExp(glob) {
    let out = '';
    for (let i = 0; i < glob.length; i++) {
        const ch = glob[i];
        if (ch === '*') {
            if (glob[i + 1] === '*') {
                out += '.*';
                i++;
                if (glob[i + 1] === '/')
                    i++;
            }
            else
                out += '[^/]*';
        }
        else if (ch === '?')
            out += '[^/]';
        else if (ch === '[') {
            const end = glob.indexOf(']', i);
            if (end < 0)
                out += '\\[';
            else {
                out += `[${glob
                    .slice(i + 1, end)
                    .replace(/^!/, '^')
                    .replace(/\\/g, '\\\\')}]`;
                i = end;
            }
        }
        else if (ch === '\\' && i + 1 < glob.length)
            out += `\\${glob[++i]}`;
        else
            out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
    }
    return new RegExp(`^${out}$`);
}
/** The line of the first COPY/ADD that takes the whole context (`.`, `./`, `*`), or 0 when none does. */
function wholeContextCopyLine(dockerfile) {
    const lines = dockerfile.split(/\r?\n/);
    for (let i = 0; i < lines.length; i++) {
        const m = /^\s*(?:COPY|ADD)\s+(.*)$/i.exec(lines[i]);
        if (!m)
            continue;
        const args = m[1].split(/\s+/).filter((a) => !a.startsWith('--'));
        const sources = args.slice(0, -1);
        if (sources.some((s) => /^(?:\.|\.\/|\*|\.\/\*|\[?"?\.\/?"?,?)$/.test(s)))
            return i + 1;
    }
    return 0;
}
/**
 * A Dockerfile that copies its whole context, where no `.dockerignore` (the
 * context's, or BuildKit's `<Dockerfile>.dockerignore`) excludes `.env`: the
 * secrets file on a developer's machine or a deploy host ends up in the image.
 * The context is taken to be the Dockerfile's folder, as `docker build <dir>`
 * and compose's default `build: <dir>` use it.
 */
function dockerContextFinding(dockerfilePath, read, commit) {
    const dockerfile = read(dockerfilePath);
    if (dockerfile === undefined)
        return undefined;
    const line = wholeContextCopyLine(dockerfile);
    if (line === 0)
        return undefined;
    const dir = dockerfilePath.includes('/')
        ? dockerfilePath.slice(0, dockerfilePath.lastIndexOf('/') + 1)
        : '';
    const ignore = read(`${dockerfilePath}.dockerignore`) ?? read(`${dir}.dockerignore`);
    if (ignore !== undefined && dockerignoreExcludesEnv(ignore))
        return undefined;
    const why = ignore === undefined ? `there is no ${dir}.dockerignore` : `${dir}.dockerignore does not exclude .env`;
    return hygieneFinding('docker-context-includes-env', `This Dockerfile copies its whole build context and ${why}, so a local .env would be baked into the image. Add .env (and .env.*) to ${dir}.dockerignore.`, dockerfilePath, line, commit);
}
//# sourceMappingURL=hygiene.js.map
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/git-output.js

/** Runs git (`input` on its stdin, if any) and streams its standard output. */
function gitOutput(cwd, args, input) {
    const child = (0,external_node_child_process_.spawn)('git', args, {
        cwd,
        stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        // git flushes its output after every commit when it is not a file; buffered, it
        // writes a third fewer, fuller blocks (less system time on both sides of the pipe).
        env: { ...process.env, GIT_FLUSH: '0' },
    });
    if (input !== undefined) {
        child.stdin.on('error', () => undefined);
        child.stdin.end(input);
    }
    let stderr = '';
    child.stderr.on('data', (d) => {
        stderr = (stderr + d.toString()).slice(-4000);
    });
    const exited = new Promise((resolve) => {
        let failed;
        child.on('error', (error) => (failed = error));
        child.on('close', (code) => resolve(failed ? { code: -1, stderr: failed.message } : { code: code ?? 1, stderr }));
    });
    return { stdout: child.stdout, exited, stop: () => child.kill() };
}
function readBothEnds(cwd, forwardArgs, reverseArgs, onA, onB) {
    let settle;
    const done = new Promise((resolve) => (settle = resolve));
    const stopOne = (r) => {
        // A git that already ended keeps its exit code: a failure counts.
        if (r.stopped || r.closed)
            return;
        r.stopped = true;
        r.git.stop();
    };
    const closed = (self, other) => {
        // A git that read its whole log has read the other's part too.
        if (!self.stopped && self.code === 0)
            stopOne(other);
        if (!a.closed || !b.closed)
            return;
        const failed = [a, b].find((r) => !r.stopped && r.code !== 0);
        settle(failed ? { code: failed.code, stderr: failed.stderr } : { code: 0, stderr: '' });
    };
    const start = (args, onData) => {
        const reader = { git: gitOutput(cwd, args), closed: false, stopped: false, code: 0, stderr: '' };
        reader.git.stdout.on('data', (chunk) => {
            if (!reader.stopped)
                onData(chunk);
        });
        void reader.git.exited.then(({ code, stderr }) => {
            reader.closed = true;
            reader.code = code;
            reader.stderr = stderr;
            closed(reader, reader === a ? b : a);
        });
        return reader;
    };
    const a = start(forwardArgs, onA);
    const b = start(reverseArgs, onB);
    return {
        stopA: () => stopOne(a),
        stopB: () => stopOne(b),
        stop: () => {
            stopOne(a);
            stopOne(b);
        },
        done,
    };
}
//# sourceMappingURL=git-output.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/key-body.js
/**
 * A line that may be part of a private key's body: 40 to 100 characters once trimmed
 * (the raw line at most 120 bytes), no inner space, only base64 characters, with upper
 * case, lower case and digits all present (not `////…` or `====…` lines).
 */
function isKeyBodyLine(buf, start, end) {
    if (end - start < 40 || end - start > 120)
        return false;
    while (start < end && isSpace(buf[start]))
        start++;
    while (end > start && isSpace(buf[end - 1]))
        end--;
    if (end - start < 40 || end - start > 100)
        return false;
    let lower = false;
    let upper = false;
    let digit = false;
    for (let i = start; i < end; i++) {
        const b = buf[i];
        if (b >= 97 && b <= 122)
            lower = true;
        else if (b >= 65 && b <= 90)
            upper = true;
        else if (b >= 48 && b <= 57)
            digit = true;
        else if (b !== 43 && b !== 47 && b !== 61)
            return false;
    }
    return lower && upper && digit;
}
function isSpace(b) {
    return b === 32 || (b >= 9 && b <= 13);
}
//# sourceMappingURL=key-body.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/git.js





/** Runs git and returns what it printed; never throws (callers decide what a failure means). */
function runGit(cwd, args) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('git', ['-c', 'core.quotePath=false', ...args], { cwd, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
            const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
            resolve({ stdout, stderr, code });
        });
    });
}
/** Runs git and fails with the command, exit code and the last lines of its output. */
async function git(cwd, args, errorCode = 'git-failed') {
    const result = await runGit(cwd, args);
    if (result.code !== 0)
        throw new lib/* UserError */.yo(errorCode, describeGitFailure(args, result));
    return result.stdout;
}
function describeGitFailure(args, result) {
    const tail = result.stderr.trim().split('\n').slice(-5).join('\n');
    return `git ${args.join(' ')} exited with ${result.code}${tail ? `:\n${tail}` : '.'}`;
}
// Flush a file's added lines in pieces, so one huge committed file never sits whole in memory.
const FLUSH_BYTES = 1024 * 1024;
const CARRY_BYTES = 64 * 1024;
// Lines up to this long are copied byte by byte while their end is looked for.
const SHORT_LINE = 128;
/** A blob's bytes (`<commit>:<path>`), or undefined when it does not exist there. */
function readBlob(cwd, spec) {
    return new Promise((resolve) => {
        (0,external_node_child_process_.execFile)('git', ['cat-file', 'blob', spec], { cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024 }, (error, stdout) => {
            resolve(error ? undefined : stdout);
        });
    });
}
/** The `git log -p` arguments (before the revisions) whose output LogParser reads. */
const LOG_ARGS = [
    '-c',
    'core.quotePath=false',
    // Run from the git directory (`cwd` as ensureRangeReadable gives it), git takes the
    // repository as bare: it then reads no working tree's `.gitattributes`, which it would
    // otherwise try to open in every directory of every changed path (a failed open per
    // directory level, tens of thousands on a long history). In a working tree, no effect.
    '-c',
    'core.bare=true',
    'log',
    '-p',
    '-U0',
    '--cc',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--format=%x1ecommit %H',
];
/**
 * Streams `git log -p` and hands over the added lines of each file of each
 * commit as soon as they are complete; the whole log is never held in memory.
 * Merge commits are shown with `--cc`: only the lines a merge introduced itself
 * (in none of its parents: conflict resolutions, "evil merges") count as added,
 * because the parents' own changes are scanned as the commits that made them.
 *
 * The log is parsed as bytes: an added line is copied once, into the buffer the
 * scanner reads, and only header lines are ever decoded to strings.
 * With `commits`, exactly those commits are shown, in that order (`--no-walk`),
 * so a range can be split between several readers.
 *
 * With `readers` above 1, no `commits` and `second`, the range is read from both ends at
 * once (see readBothEnds): one git newest first, its files to `onFile`, one oldest first
 * (`--reverse`), its files to `second`, announced commit by commit (`second.onCommit`).
 * Each commit is read by whichever git reaches it first; each git stops where it meets the
 * other's. In one git's order, the second git's commits come after the first's, reversed
 * (the caller puts them there); `second` in the result holds its counts.
 *
 * With `keywords` (the scanner's index), the keyword automaton runs over each added line
 * as it is copied, and each AddedLines carries its hits: one pass over the bytes, not two.
 */
async function streamAddedLines(cwd, revisionArgs, onFile, onEvent = () => undefined, shouldStop = () => false, commits, readers = 1, second, keywords) {
    const automaton = keywords?.automaton;
    const stdinArgs = [...LOG_ARGS, '--no-walk=unsorted', '--stdin', '--'];
    const stats = {
        commits: 0,
        bytes: 0,
        stopped: false,
    };
    const bothEnds = readers > 1 && !commits && second !== undefined;
    // Which commits a git has begun: the other stops when it reaches one of them.
    const claimed = new Set();
    const claim = (commit, stopSelf) => {
        if (claimed.has(commit)) {
            stopSelf();
            return false;
        }
        claimed.add(commit);
        return true;
    };
    const parser = new LogParser(stats, onFile, onEvent, bothEnds ? (commit) => claim(commit, () => output.stopA()) : undefined, automaton);
    const secondStats = { commits: 0, bytes: 0 };
    const secondParser = bothEnds &&
        new LogParser(secondStats, second.onFile, second.onEvent, (commit) => {
            if (!claim(commit, () => output.stopB()))
                return false;
            second.onCommit(commit);
            return true;
        }, automaton);
    // Chunks are parsed as they are handed over (a 'data' callback): no promise and
    // async-iterator step per chunk (a few thousand chunks for a long history).
    let failure;
    let failed = false;
    const feed = (into, counts, chunk) => {
        if (stats.stopped || failed || into.stopped)
            return;
        if (shouldStop()) {
            stats.stopped = true;
            output.stop();
            return;
        }
        counts.bytes += chunk.length;
        try {
            into.feed(chunk);
        }
        catch (error) {
            failed = true;
            failure = error;
            output.stop();
        }
    };
    const onChunk = (chunk) => feed(parser, stats, chunk);
    let output;
    if (secondParser) {
        output = readBothEnds(cwd, [...LOG_ARGS, ...revisionArgs, '--'], [...LOG_ARGS, '--reverse', ...revisionArgs, '--'], onChunk, (chunk) => feed(secondParser, secondStats, chunk));
    }
    else {
        const one = gitOutput(cwd, commits ? stdinArgs : [...LOG_ARGS, ...revisionArgs, '--'], commits ? (commits.length > 0 ? `${commits.join('\n')}\n` : '') : undefined);
        one.stdout.on('data', onChunk);
        output = { stop: one.stop, done: one.exited };
    }
    const { code, stderr } = await output.done;
    if (failed)
        throw failure;
    if (secondParser)
        stats.second = secondStats;
    if (stats.stopped)
        return stats;
    parser.end();
    if (secondParser)
        secondParser.end();
    if (code !== 0) {
        throw new lib/* UserError */.yo('range-unreadable', describeGitFailure(['log', '-p', ...revisionArgs], { stdout: '', stderr, code }));
    }
    return stats;
}
/**
 * Parses `git log -p` output (the format streamAddedLines asks git for) handed over in
 * `chunks`, cut anywhere: the same files and lines whatever the cuts.
 */
function parseGitLog(chunks, onFile, onEvent = () => undefined, keywords) {
    const stats = { commits: 0, bytes: 0 };
    const parser = new LogParser(stats, onFile, onEvent, undefined, keywords?.automaton);
    for (const chunk of chunks) {
        stats.bytes += chunk.length;
        parser.feed(chunk);
    }
    parser.end();
    return stats;
}
/**
 * The `git log -p` parser: synchronous, fed chunk by chunk, in small methods so the
 * per-line path is compiled on its own (the header and merge paths are rare).
 */
class LogParser {
    stats;
    onFile;
    onEvent;
    onCommit;
    automaton;
    mergePath = '';
    commit = '';
    current;
    added;
    inHunk = false;
    parents = 1;
    nextLine = 0;
    newFile = false;
    /**
     * A line cut by the end of a chunk: only that line is copied, never the chunk, and a
     * line longer than a chunk is joined once, when its end arrives (not once per chunk).
     */
    rest = [];
    /** Set when onCommit turned a commit down: nothing more is read. */
    stopped = false;
    constructor(stats, onFile, onEvent, 
    /** Asked at each commit's header whether to read it; false stops the parser there. */
    onCommit, 
    /** Run over the added lines as they are copied: AddedLines.hits. */
    automaton) {
        this.stats = stats;
        this.onFile = onFile;
        this.onEvent = onEvent;
        this.onCommit = onCommit;
        this.automaton = automaton;
        this.added = new AddedBuffer(automaton);
    }
    feed(chunk) {
        if (this.stopped)
            return;
        let start = 0;
        if (this.rest.length > 0) {
            const nl = chunk.indexOf(10);
            if (nl === -1) {
                this.rest.push(chunk);
                return;
            }
            this.rest.push(chunk.subarray(0, nl));
            const line = Buffer.concat(this.rest);
            this.rest = [];
            this.line(line, 0, line.length);
            if (this.stopped)
                return;
            start = nl + 1;
        }
        const n = chunk.length;
        while (start < n) {
            // The common case first: an added line of an ordinary (one-parent) hunk is copied
            // as its end is looked for, in one pass (no native call per line to find it).
            if (chunk[start] === 43 /* + */ && this.inHunk && this.parents === 1 && this.current) {
                const added = this.added;
                const nl = added.pushLine(chunk, start + 1, this.nextLine);
                if (nl === -1)
                    break;
                this.nextLine++;
                if (added.length > FLUSH_BYTES)
                    this.flush(true);
                start = nl + 1;
                continue;
            }
            const nl = chunk.indexOf(10, start);
            if (nl === -1)
                break;
            this.line(chunk, start, nl);
            if (this.stopped)
                return;
            start = nl + 1;
        }
        if (start < n)
            this.rest.push(chunk.subarray(start));
    }
    /** The end of the log: the last line (without a newline) and the last file. */
    end() {
        if (this.stopped)
            return;
        if (this.rest.length > 0) {
            const line = Buffer.concat(this.rest);
            this.rest = [];
            this.line(line, 0, line.length);
        }
        this.flush();
    }
    line(buf, start, end) {
        // The common case inline: a line of an ordinary (one-parent) hunk.
        if (this.inHunk && this.parents === 1) {
            const first = buf[start];
            if (first === 43 /* + */) {
                if (this.current) {
                    const added = this.added;
                    added.push(buf, start + 1, end, this.nextLine++);
                    if (added.length > FLUSH_BYTES)
                        this.flush(true);
                }
                return;
            }
            if (first === 45 /* - */ || first === 92 /* \ */)
                return;
        }
        this.handle(buf, start, end);
    }
    flush(carry = false) {
        const { current, added } = this;
        if (current && added.count > 0)
            this.onFile({
                commit: current.commit,
                file: current.file,
                newFile: current.newFile,
                data: added.bytes(),
                lineNumbers: added.numbers(),
                keyBodyLines: added.keyBodyLines(),
                longestLine: added.longest,
                hits: this.automaton && added.hitsValid ? added.hits : undefined,
            });
        if (current && carry)
            added.keepOpenKey();
        else
            added.clear();
    }
    startFile() {
        this.flush();
        this.current = undefined;
        this.inHunk = false;
        this.newFile = false;
    }
    /** A line that is not an added or removed line of a one-parent hunk (decoded: headers are few). */
    handle(buf, start, end) {
        const line = buf.toString('utf8', start, end);
        if (line.startsWith('\x1ecommit ')) {
            this.startFile();
            const commit = line.slice(8).trim();
            if (this.onCommit && !this.onCommit(commit)) {
                this.stopped = true;
                return;
            }
            this.commit = commit;
            this.stats.commits++;
            return;
        }
        if (line.startsWith('diff --git ') ||
            line.startsWith('diff --cc ') ||
            line.startsWith('diff --combined ')) {
            this.startFile();
            this.mergePath = line.startsWith('diff --git ')
                ? ''
                : unquotePath(line.slice(line.indexOf(' ', 5) + 1));
            return;
        }
        const { commit } = this;
        if (!this.inHunk) {
            if (line.startsWith('new file mode'))
                this.newFile = true;
            else if (line.startsWith('rename to ') || line.startsWith('copy to ')) {
                this.onEvent({ kind: 'renamed', commit, file: unquotePath(line.slice(line.indexOf(' to ') + 4)) });
            }
            else if (line.startsWith('Binary files ')) {
                const m = / and (.+) differ$/.exec(line);
                const path = m ? unquotePath(m[1]) : this.mergePath;
                if (path && path !== '/dev/null')
                    this.onEvent({ kind: 'binary', commit, file: path.startsWith('b/') && m ? path.slice(2) : path });
            }
            else if (line.startsWith('+++ ')) {
                const path = unquotePath(line.slice(4));
                if (path !== '/dev/null') {
                    this.current = {
                        commit,
                        file: path.startsWith('b/') ? path.slice(2) : path,
                        newFile: this.newFile,
                    };
                    this.added.clear();
                }
            }
            else if (line.startsWith('@@')) {
                this.hunk(line);
                this.inHunk = true;
            }
            return;
        }
        if (line.startsWith('@@')) {
            this.hunk(line);
            return;
        }
        if (!this.current)
            return;
        // A combined diff (a merge): one column per parent.
        const parents = this.parents;
        const prefix = line.slice(0, parents);
        if (prefix.includes('-'))
            return;
        if (prefix === '+'.repeat(parents)) {
            // The prefix is ASCII, so its length in characters is its length in bytes.
            this.added.push(buf, start + parents, end, this.nextLine);
            if (this.added.length > FLUSH_BYTES)
                this.flush(true);
        }
        if (!line.startsWith('\\'))
            this.nextLine++;
    }
    hunk(line) {
        const { parents, nextLine } = parseHunkHeader(line);
        this.parents = parents;
        this.nextLine = nextLine;
    }
}
const KEY_BEGIN = Buffer.from('-----BEGIN ');
const KEY_END = Buffer.from('-----END ');
/**
 * The added lines of the file being read, joined by '\n', and their line numbers:
 * one buffer reused for every file, grown when needed.
 */
class AddedBuffer {
    automaton;
    buf = Buffer.allocUnsafe(64 * 1024);
    nums = new Int32Array(4096);
    keyLines = new Int32Array(256);
    keyCount = 0;
    length = 0;
    count = 0;
    longest = 0;
    /**
     * The keyword hits of the lines, found as they are copied (with `automaton`); not valid
     * after keepOpenKey moved a kept tail to the front (the scanner then finds them itself).
     */
    hits = new KeywordHits();
    hitsValid = true;
    classOf;
    delta;
    outputs;
    constructor(automaton) {
        this.automaton = automaton;
        // Without an automaton, no byte leads anywhere and nothing is found (hits unused).
        this.classOf = automaton?.classOf ?? new Uint8Array(256);
        this.delta = automaton?.delta ?? new Int32Array(1);
        this.outputs = automaton?.outputs ?? [];
    }
    push(src, from, to, lineNumber) {
        const need = this.length + (to - from) + 1;
        if (need > this.buf.length)
            this.grow(need);
        const buf = this.buf;
        let at = this.length;
        if (this.count > 0)
            buf[at++] = 10;
        const lineAt = at;
        // Most lines are short: a loop beats a native copy's call overhead.
        if (to - from < 64)
            for (let i = from; i < to; i++)
                buf[at++] = src[i];
        else
            at += src.copy(buf, at, from, to);
        this.length = at;
        if (this.automaton)
            this.findKeywords(lineAt, at);
        this.finishLine(src, from, to, lineNumber);
    }
    /**
     * Appends the line that starts at `src[from]` and ends at the next newline, found while
     * copying (the keyword automaton runs in the same pass); returns that newline's index.
     * When `src` ends first, nothing is kept and -1 is returned (the caller joins the line
     * with the next chunk and push()es it).
     */
    pushLine(src, from, lineNumber) {
        const n = src.length;
        if (this.length + SHORT_LINE + 1 > this.buf.length)
            this.grow(this.length + SHORT_LINE + 1);
        let buf = this.buf;
        let at = this.length;
        if (this.count > 0)
            buf[at++] = 10;
        const lineAt = at;
        const { classOf, delta, hits } = this;
        const hitsBefore = hits.count;
        let state = 0;
        let i = from;
        const stop = Math.min(n, from + SHORT_LINE);
        while (i < stop) {
            const b = src[i];
            if (b === 10)
                break;
            buf[at++] = b;
            i++;
            state = delta[state + classOf[b]];
            if (state < 0) {
                state = -state;
                hits.add(this.outputs[state], at, this.count, lineAt);
            }
        }
        if (i === n) {
            hits.truncate(hitsBefore);
            return -1;
        }
        if (src[i] !== 10) {
            // A long line: the rest of it is found and copied natively, then searched.
            const nl = src.indexOf(10, i);
            if (nl === -1) {
                hits.truncate(hitsBefore);
                return -1;
            }
            if (at + (nl - i) > buf.length) {
                this.grow(at + (nl - i), at);
                buf = this.buf;
            }
            const restAt = at;
            at += src.copy(buf, at, i, nl);
            i = nl;
            if (this.automaton)
                this.findKeywords(lineAt, at, restAt, state);
        }
        this.length = at;
        this.finishLine(src, from, i, lineNumber);
        return i;
    }
    /** Runs the automaton over the line copied to `buf[lineAt..end)`, from `from` in `state`. */
    findKeywords(lineAt, end, from = lineAt, state = 0) {
        const { classOf, delta, hits, buf } = this;
        const line = this.count;
        for (let i = from; i < end; i++) {
            state = delta[state + classOf[buf[i]]];
            if (state < 0) {
                state = -state;
                hits.add(this.outputs[state], i + 1, line, lineAt);
            }
        }
    }
    /** A larger buffer holding the first `keep` bytes of the current one. */
    grow(need, keep = this.length) {
        const next = Buffer.allocUnsafe(Math.max(need, this.buf.length * 2));
        this.buf.copy(next, 0, 0, keep);
        this.buf = next;
    }
    /** The bookkeeping of a line just copied from `src[from..to)`. */
    finishLine(src, from, to, lineNumber) {
        if (this.count === this.nums.length) {
            const next = new Int32Array(this.nums.length * 2);
            next.set(this.nums);
            this.nums = next;
        }
        if (to - from > this.longest)
            this.longest = to - from;
        // The key-body check rides on the copy: no second pass over the lines later.
        if (to - from >= 40 && to - from <= 120 && isKeyBodyLine(src, from, to)) {
            if (this.keyCount === this.keyLines.length) {
                const next = new Int32Array(this.keyLines.length * 2);
                next.set(this.keyLines);
                this.keyLines = next;
            }
            this.keyLines[this.keyCount++] = this.count;
        }
        this.nums[this.count++] = lineNumber;
    }
    keyBodyLines() {
        return this.keyLines.subarray(0, this.keyCount);
    }
    bytes() {
        return this.buf.subarray(0, this.length);
    }
    numbers() {
        return this.nums.subarray(0, this.count);
    }
    clear() {
        this.length = 0;
        this.count = 0;
        this.keyCount = 0;
        this.longest = 0;
        this.hits.reset();
        this.hitsValid = true;
    }
    /**
     * After a flush: a private key cut by the flush would be half in each piece, so the
     * piece after the cut starts again at the key's BEGIN line (when no END follows it
     * within the last CARRY_BYTES), and the key is whole in one of them.
     */
    keepOpenKey() {
        const from = Math.max(0, this.length - CARRY_BYTES);
        const tail = this.buf.subarray(from, this.length);
        const begin = tail.lastIndexOf(KEY_BEGIN);
        if (begin === -1)
            return this.clear();
        const lineStart = tail.lastIndexOf(10, begin) + 1;
        if (tail.indexOf(KEY_END, lineStart) !== -1)
            return this.clear();
        let lines = 1;
        for (let i = tail.indexOf(10, lineStart); i !== -1; i = tail.indexOf(10, i + 1))
            lines++;
        this.buf.copyWithin(0, from + lineStart, this.length);
        this.length -= from + lineStart;
        const dropped = this.count - lines;
        this.nums.copyWithin(0, dropped, this.count);
        this.count = lines;
        let kept = 0;
        for (let k = 0; k < this.keyCount; k++)
            if (this.keyLines[k] >= dropped)
                this.keyLines[kept++] = this.keyLines[k] - dropped;
        this.keyCount = kept;
        // The kept lines' hits were counted at their old places: the scanner finds them again.
        this.hitsValid = false;
    }
}
function parseHunkHeader(line) {
    const at = /^(@+)/.exec(line)[1].length;
    const plus = /\+(\d+)/.exec(line.slice(at));
    return { parents: at - 1, nextLine: plus ? Number(plus[1]) : 0 };
}
/** Paths with quotes, backslashes or control characters come C-quoted from git even with core.quotePath=false. */
function unquotePath(text) {
    const trimmed = text.replace(/\t$/, '');
    if (!trimmed.startsWith('"'))
        return trimmed;
    const body = trimmed.slice(1, trimmed.lastIndexOf('"'));
    const bytes = [];
    for (let i = 0; i < body.length; i++) {
        const ch = body[i];
        if (ch !== '\\') {
            bytes.push(...Buffer.from(ch, 'utf8'));
            continue;
        }
        const next = body[++i];
        if (/[0-7]/.test(next)) {
            bytes.push(parseInt(body.slice(i, i + 3), 8));
            i += 2;
        }
        else {
            bytes.push({ n: 10, t: 9, r: 13, '"': 34, '\\': 92 }[next] ?? next.charCodeAt(0));
        }
    }
    return Buffer.from(bytes).toString('utf8');
}
//# sourceMappingURL=git.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/range.js



const ZERO_SHA = /^0+$/;
function readEventPayload(eventPath) {
    if (!eventPath)
        return {};
    try {
        return JSON.parse((0,external_node_fs_.readFileSync)(eventPath, 'utf8'));
    }
    catch (error) {
        throw new lib/* UserError */.yo('event-unreadable', `Could not read the event payload at ${eventPath} (GITHUB_EVENT_PATH): ${(0,lib/* errorMessage */.gJ)(error)}`);
    }
}
/** The base and head the event names, if any: for validating `diff` up front. */
function eventRange(request) {
    const event = readEventPayload(request.eventPath);
    if (event.pull_request)
        return { base: event.pull_request.base?.sha, head: event.pull_request.head?.sha };
    if (event.after !== undefined)
        return {
            base: event.before && !ZERO_SHA.test(event.before) ? event.before : undefined,
            head: event.after,
        };
    return {};
}
/**
 * Decides the commits (or the tree) to scan. `auto` follows the event: on a pull
 * request every commit from its base to its head (however many: the payload's
 * commit list is never used, it stops at a few); on a push the pushed range, or
 * for a new branch the commits no other remote branch has.
 */
function resolveTarget(request) {
    const { mode } = request;
    if (mode === 'tree')
        return { kind: 'tree', reason: 'mode: tree' };
    if (mode === 'history') {
        const head = request.head ?? 'HEAD';
        return { kind: 'commits', revisions: [head], head, description: `every commit reachable from ${head}` };
    }
    const event = readEventPayload(request.eventPath);
    const name = request.eventName ?? '';
    if (request.base || (mode === 'diff' && request.head)) {
        const head = request.head ?? 'HEAD';
        if (!request.base)
            throw new lib/* UserError */.yo('invalid-input', "Input 'base': diff mode needs a base commit (or run on a pull_request or push event).");
        return {
            kind: 'commits',
            revisions: [`${request.base}..${head}`],
            base: request.base,
            head,
            description: `${request.base}..${head}`,
        };
    }
    if (event.pull_request && /^pull_request/.test(name || 'pull_request')) {
        const base = event.pull_request.base?.sha;
        const head = request.head ?? event.pull_request.head?.sha;
        if (!base || !head)
            throw new lib/* UserError */.yo('event-unreadable', 'The pull_request payload has no base.sha or head.sha; set the base and head inputs.');
        return {
            kind: 'commits',
            revisions: [`${base}..${head}`],
            base,
            head,
            description: `pull request${event.pull_request.number ? ` #${event.pull_request.number}` : ''} ${range_short(base)}..${range_short(head)}`,
            expectedCommits: event.pull_request.commits,
            pullRequest: true,
        };
    }
    if (event.merge_group?.base_sha && event.merge_group.head_sha) {
        const { base_sha: base, head_sha: head } = event.merge_group;
        return {
            kind: 'commits',
            revisions: [`${base}..${head}`],
            base,
            head,
            description: `merge queue ${range_short(base)}..${range_short(head)}`,
        };
    }
    if (event.after !== undefined && (name === 'push' || name === '')) {
        if (event.deleted || ZERO_SHA.test(event.after))
            return { kind: 'nothing', reason: 'the push deleted a branch: no content to scan' };
        const head = request.head ?? event.after;
        if (event.before && !ZERO_SHA.test(event.before)) {
            return {
                kind: 'commits',
                revisions: [`${event.before}..${head}`],
                base: event.before,
                head,
                description: `push ${range_short(event.before)}..${range_short(head)}`,
            };
        }
        const branch = (event.ref ?? '').replace(/^refs\/heads\//, '');
        const compare = (event.base_ref ?? '').replace(/^refs\/heads\//, '') || event.repository?.default_branch || undefined;
        return {
            kind: 'commits',
            revisions: [head],
            head,
            description: `new branch ${branch || head}`,
            newBranch: branch,
            compareBranch: compare,
        };
    }
    if (mode === 'diff')
        throw new lib/* UserError */.yo('invalid-input', `Input 'base': diff mode needs a base commit; the ${name || 'current'} event names none.`);
    return { kind: 'tree', reason: `the ${name || 'current'} event has no commit range` };
}
/** The remote's default branch (its HEAD), from the remote-tracking ref or by asking the remote. */
async function remoteDefaultBranch(cwd, remote) {
    const local = await runGit(cwd, ['symbolic-ref', '--short', `refs/remotes/${remote}/HEAD`]);
    if (local.code === 0 && local.stdout.trim())
        return local.stdout.trim().slice(remote.length + 1);
    const asked = await runGit(cwd, ['ls-remote', '--symref', remote, 'HEAD']);
    const m = /^ref: refs\/heads\/(\S+)\s+HEAD/m.exec(asked.stdout);
    return m?.[1];
}
function range_short(sha) {
    return /^[0-9a-f]{40}$/.test(sha) ? sha.slice(0, 7) : sha;
}
async function hasCommit(cwd, rev) {
    return (await runGit(cwd, ['cat-file', '-e', `${rev}^{commit}`])).code === 0;
}
/** The shallow file's boundary commits (none when the clone is not shallow). */
function shallowBoundaries(cwd, shallowFile) {
    try {
        return new Set((0,external_node_fs_.readFileSync)(shallowFile.startsWith('/') ? shallowFile : `${cwd}/${shallowFile}`, 'utf8')
            .split('\n')
            .filter(Boolean));
    }
    catch {
        return new Set();
    }
}
/** Commits of the range whose parents a shallow clone cut off: the range cannot be read whole. */
async function cutCommits(cwd, shallowFile, revisions) {
    const boundaries = shallowBoundaries(cwd, shallowFile);
    if (boundaries.size === 0)
        return 0;
    const listed = await runGit(cwd, ['rev-list', ...revisions]);
    if (listed.code !== 0)
        return 1;
    return listed.stdout.split('\n').filter((sha) => boundaries.has(sha)).length;
}
async function fetchQuietly(cwd, args, log) {
    const result = await runGit(cwd, ['fetch', '--no-tags', '--quiet', ...args]);
    if (result.code !== 0)
        log.debug(`git fetch ${args.join(' ')} failed: ${result.stderr.trim()}`);
    return result.code === 0;
}
/**
 * Makes sure every commit of the range is in the clone: fetches base and head
 * when missing, deepens a shallow clone step by step (then unshallows) until no
 * commit of the range has cut-off parents, and fails rather than scan less.
 * Resolves to the repository's git directory (absolute), where `git log -p` can run
 * without a working tree (see streamAddedLines), or to `cwd` where git refuses that.
 */
async function ensureRangeReadable(cwd, target, log) {
    // One git for what the checks need (a git is a few ms to start, and the scan's own
    // `git log -p` waits for these); whether base and head are there is asked meanwhile.
    const [inside, ...present] = await Promise.all([
        runGit(cwd, [
            'rev-parse',
            '--is-inside-work-tree',
            '--is-shallow-repository',
            '--git-path',
            'shallow',
            '--absolute-git-dir',
        ]),
        ...[target.base, target.head].map((rev) => (rev ? hasCommit(cwd, rev) : Promise.resolve(true))),
    ]);
    const [, shallowAtStart, shallowFile = 'shallow', gitDir = ''] = inside.stdout.split('\n');
    if (inside.code !== 0) {
        throw new lib/* UserError */.yo('not-a-repository', `${cwd} is not a git repository, so commits cannot be scanned. Check out the repository first, or use mode: tree.`);
    }
    // Entered as a bare repository, git checks the git directory's own path against
    // safe.directory (a container job's checkout lists the working tree's) and honours
    // safe.bareRepository=explicit: the git directory is used only where git accepts it.
    const bareAccepted = gitDir
        ? runGit(gitDir, ['-c', 'core.bare=true', 'rev-parse', '--git-dir']).then((r) => r.code === 0)
        : Promise.resolve(false);
    let remoteName;
    const remoteOf = async () => (remoteName ??= (await runGit(cwd, ['remote'])).stdout.split('\n')[0]?.trim() || 'origin');
    // A fetch of base or head (--depth) can make the clone shallow: then ask git again.
    let fetched = false;
    const isShallow = async () => fetched
        ? (await git(cwd, ['rev-parse', '--is-shallow-repository'])).trim() === 'true'
        : shallowAtStart === 'true';
    for (const [i, rev] of [target.base, target.head].entries()) {
        if (!rev || present[i])
            continue;
        const remote = await remoteOf();
        fetched = true;
        log.info(`Fetching ${rev}, which the checkout does not have.`);
        await fetchQuietly(cwd, ['--depth=50', remote, rev], log);
        if (!(await hasCommit(cwd, rev))) {
            throw new lib/* UserError */.yo('range-unreadable', `Commit ${rev} is not in the clone and could not be fetched from '${remote}'. Use actions/checkout with fetch-depth: 0, or set base/head to commits that exist.`);
        }
    }
    if (target.newBranch !== undefined) {
        // Which commits are new depends on every other branch: that needs full history.
        const remote = await remoteOf();
        if (await isShallow()) {
            log.info('New branch on a shallow clone: fetching full history to find the commits no other branch has.');
            await fetchQuietly(cwd, ['--unshallow', remote], log);
        }
        await fetchQuietly(cwd, [remote, `+refs/heads/*:refs/remotes/${remote}/*`], log);
        // What the push adds is what the default branch (or the event's base_ref) lacks. Other
        // branches are no reference: their commits may never have been scanned (a failed run,
        // two branches pushed at once), and excluding them would scan nothing.
        const compare = target.compareBranch ?? (await remoteDefaultBranch(cwd, remote));
        if (compare &&
            compare !== target.newBranch &&
            (await hasCommit(cwd, `refs/remotes/${remote}/${compare}`))) {
            target.revisions = [target.head, '--not', `refs/remotes/${remote}/${compare}`];
            target.description = `new branch ${target.newBranch || target.head}: the commits ${compare} does not have`;
        }
        else {
            target.revisions = [target.head];
            target.description = `new branch ${target.newBranch || target.head}: every commit (no default branch to compare with)`;
        }
    }
    else if (target.kind === 'commits' && target.base === undefined && (await isShallow())) {
        log.info('Scanning history on a shallow clone: fetching the full history first.');
        await fetchQuietly(cwd, ['--unshallow', await remoteOf()], log);
    }
    for (let depth = 50; (await cutCommits(cwd, shallowFile, target.revisions)) > 0; depth *= 4) {
        const remote = await remoteOf();
        if (depth > 3200) {
            log.info('Still missing commits after deepening: fetching the full history.');
            await fetchQuietly(cwd, ['--unshallow', remote], log);
            break;
        }
        log.info(`The shallow clone cuts the range short: deepening by ${depth} commits.`);
        await fetchQuietly(cwd, [`--deepen=${depth}`, remote, target.head], log);
    }
    const cut = await cutCommits(cwd, shallowFile, target.revisions);
    if (cut > 0) {
        throw new lib/* UserError */.yo('range-unreadable', `The clone is shallow and ${cut} commit(s) of ${target.description} have missing parents even after fetching more history. Use actions/checkout with fetch-depth: 0.`);
    }
    if (target.expectedCommits !== undefined) {
        const count = Number((await git(cwd, ['rev-list', '--count', ...target.revisions])).trim());
        if (count < target.expectedCommits) {
            throw new lib/* UserError */.yo('range-unreadable', `The pull request has ${target.expectedCommits} commits but only ${count} could be read from ${target.description}. Use actions/checkout with fetch-depth: 0.`);
        }
    }
    return (await bareAccepted) ? gitDir : cwd;
}
//# sourceMappingURL=range.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/report.js


const TOOL_NAME = 'secret-scan-gate';
const TOOL_VERSION = '0.1.0';
const INFO_URI = 'https://github.com/deploy-actions/deploy-actions/blob/main/docs/actions/secret-scan-gate.md';
/** The JSON report: everything about each finding except the secret itself. */
function jsonReport(ctx) {
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
const HYGIENE_RULES = [
    { id: 'committed-dotenv', description: 'A .env file is committed' },
    { id: 'docker-context-includes-env', description: 'A Docker build context lets .env in' },
    { id: 'not-fully-scanned', description: 'Part of the input was not scanned' },
    {
        id: 'scan-config-changed',
        description: 'A change to the files that decide what the secret scan ignores',
    },
];
/** SARIF 2.1.0 for GitHub code scanning: one result per finding, uri relative to the scanned path. */
function sarifReport(ctx) {
    const used = [...new Set(ctx.findings.map((f) => f.ruleId))];
    const known = new Map([...ctx.rules, ...HYGIENE_RULES, PKCS12_RULE].map((r) => [r.id, r]));
    const rules = used.map((id) => {
        const rule = known.get(id);
        const description = rule?.description ?? id;
        const hygiene = HYGIENE_RULES.some((r) => r.id === id);
        return {
            id,
            name: id.replace(/(^|-)(\w)/g, (_m, _d, c) => c.toUpperCase()),
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
function joinUri(prefix, file) {
    if (!prefix || prefix === '.')
        return file;
    if (file === '.')
        return prefix.replace(/\/+$/, '');
    return `${prefix.replace(/\/+$/, '')}/${file}`;
}
function encodeUri(path) {
    return path.split('/').map(encodeURIComponent).join('/');
}
//# sourceMappingURL=report.js.map
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/content.js
const SAMPLE = 8000;
function classifyContent(data) {
    if (data.length >= 2 && data[0] === 0xff && data[1] === 0xfe)
        return { kind: 'text', data: utf16(data.subarray(2), 'le'), encoding: 'UTF-16LE' };
    if (data.length >= 2 && data[0] === 0xfe && data[1] === 0xff)
        return { kind: 'text', data: utf16(data.subarray(2), 'be'), encoding: 'UTF-16BE' };
    if (data.length >= 3 && data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf)
        return { kind: 'text', data: data.subarray(3) };
    const n = Math.min(data.length, SAMPLE);
    let nul = 0;
    let nulEven = 0;
    let nulOdd = 0;
    let control = 0;
    for (let i = 0; i < n; i++) {
        const b = data[i];
        if (b === 0) {
            nul++;
            if (i & 1)
                nulOdd++;
            else
                nulEven++;
        }
        else if (b < 32 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27)
            control++;
    }
    if (nul === 0 && control <= n / 20)
        return { kind: 'text', data };
    // UTF-16 without a BOM: ASCII text leaves every other byte NUL.
    const half = n / 2;
    if (n >= 16 && nulOdd >= half * 0.9 && nulEven <= half * 0.1)
        return { kind: 'text', data: utf16(data, 'le'), encoding: 'UTF-16LE' };
    if (n >= 16 && nulEven >= half * 0.9 && nulOdd <= half * 0.1)
        return { kind: 'text', data: utf16(data, 'be'), encoding: 'UTF-16BE' };
    // Stray NULs in otherwise printable text (a padded header, a bad editor) do not make it binary.
    if (nul + control <= n / 20)
        return { kind: 'text', data };
    return { kind: 'binary', reason: 'binary content' };
}
function utf16(data, order) {
    let bytes = Buffer.from(data.buffer, data.byteOffset, data.length - (data.length & 1));
    if (order === 'be')
        bytes = Buffer.from(bytes).swap16();
    return Buffer.from(bytes.toString('utf16le'), 'utf8');
}
//# sourceMappingURL=content.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/file-filter.js
/**
 * How a file is scanned. Nothing is skipped by its name any more: lock files carry
 * tokens in `resolved` URLs, bundles and source maps carry whatever was bundled,
 * and a `creds.db` may well be text. Generated text is scanned with the rules for
 * exact formats and named providers (`exact`); the broad `name = value` rules would
 * only be noise there.
 */
const LOCK_FILES = new Set([
    'package-lock.json',
    'npm-shrinkwrap.json',
    'yarn.lock',
    'pnpm-lock.yaml',
    'bun.lock',
    'composer.lock',
    'gemfile.lock',
    'cargo.lock',
    'poetry.lock',
    'pipfile.lock',
    'uv.lock',
    'go.sum',
    'packages.lock.json',
    'pubspec.lock',
    'mix.lock',
    'flake.lock',
]);
function profileForName(path) {
    const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
    if (LOCK_FILES.has(name))
        return 'exact';
    if (/\.min\.(?:js|mjs|cjs|css)$/.test(name) || name.endsWith('.map'))
        return 'exact';
    return 'all';
}
/** Only size keeps a file from being read; it is listed as not scanned. */
function skipReasonForSize(size, maxFileBytes) {
    if (size > maxFileBytes)
        return `larger than ${Math.round(maxFileBytes / 1048576)} MiB`;
    return undefined;
}
const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')
    BASE64[c.charCodeAt(0)] = 1;
/** Only lines longer than this (in bytes) count towards looking minified. */
const MINIFIED_LINE = 1000;
/**
 * A bundle puts thousands of characters of code on each line. Long runs of
 * base64 (a data URI, an inlined font) are not code: a hand-written config.js
 * with one data-URI line is not minified.
 */
function looksMinified(path, data) {
    if (!/\.(?:js|mjs|cjs|css)$/i.test(path) || data.length <= 4096)
        return false;
    let longCode = 0;
    let base64 = 0;
    const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    // Lines are found with the native indexOf; only the long ones are decoded and measured.
    for (let lineStart = 0; lineStart < buffer.length;) {
        let lineEnd = buffer.indexOf(10, lineStart);
        if (lineEnd < 0)
            lineEnd = buffer.length;
        if (lineEnd - lineStart > MINIFIED_LINE) {
            // Runs of 200+ base64 characters, counted on the bytes (a regex here cost more than the scan).
            let runs = 0;
            let run = 0;
            for (let i = lineStart; i < lineEnd; i++) {
                if (BASE64[buffer[i]] === 1)
                    run++;
                else {
                    if (run >= 200)
                        runs += run;
                    run = 0;
                }
            }
            if (run >= 200)
                runs += run;
            base64 += runs;
            if (lineEnd - lineStart - runs > MINIFIED_LINE)
                longCode += lineEnd - lineStart - runs;
        }
        lineStart = lineEnd + 1;
    }
    const code = buffer.length - base64;
    return code > 0 && longCode > code / 2;
}
//# sourceMappingURL=file-filter.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/tree.js







/** Reads files into one reused buffer: a tree scan would otherwise allocate (and collect) its whole size. */
class FileReader {
    buffer = Buffer.allocUnsafe(1024 * 1024);
    read(path, size) {
        if (size > this.buffer.length)
            this.buffer = Buffer.allocUnsafe(Math.max(size, this.buffer.length * 2));
        const fd = (0,external_node_fs_.openSync)(path, 'r');
        try {
            let total = 0;
            for (let n = -1; n !== 0 && total < size; total += n)
                n = (0,external_node_fs_.readSync)(fd, this.buffer, total, size - total, total);
            return this.buffer.subarray(0, total);
        }
        finally {
            (0,external_node_fs_.closeSync)(fd);
        }
    }
}
const sharedReader = new FileReader();
/**
 * Scans the task's files in order. Stops before the first file it meets after `deadline`
 * (`performance.now()` of this thread) and says how far it got.
 */
function tree_scanTreeFiles(scanner, task, deadline) {
    const out = { raw: [], skipped: [], files: 0, bytes: 0, done: 0 };
    const excluded = new Set(task.excluded);
    const { files } = task;
    for (let i = 0; i < files.length; i++, out.done = i) {
        if (external_node_perf_hooks_.performance.now() > deadline)
            break;
        const file = files[i];
        const abs = (0,external_node_path_.join)(task.root, file);
        if (scanner.isPathAllowed(file) || (excluded.size > 0 && excluded.has((0,external_node_path_.resolve)(abs))))
            continue;
        let size;
        try {
            const st = (0,external_node_fs_.lstatSync)(abs);
            if (!st.isFile())
                continue;
            size = st.size;
        }
        catch {
            continue;
        }
        if (task.envTracked[i] && isCommittedEnvName(file))
            out.raw.push(committedEnvFinding(file));
        const bySize = skipReasonForSize(size, task.maxFileBytes);
        if (bySize) {
            out.skipped.push({ file, reason: bySize });
            continue;
        }
        if (isPkcs12Name(file)) {
            // A key bundle is a finding by itself; its bytes are not text to scan.
            const finding = pkcs12Finding(file, sharedReader.read(abs, size));
            if (finding) {
                out.raw.push(finding);
                out.files++;
                continue;
            }
        }
        // A large file is judged by its first 8000 bytes before it is read whole, so images
        // and archives cost one small read.
        const head = size > 65536 ? classifyContent(sharedReader.read(abs, 8000)) : undefined;
        const content = head?.kind === 'binary' ? head : classifyContent(sharedReader.read(abs, size));
        if (content.kind === 'binary') {
            out.skipped.push({ file, reason: content.reason });
            continue;
        }
        const data = content.data;
        out.files++;
        out.bytes += data.length;
        const result = scanner.scan({ file, data, profile: profileOf(file, data) });
        out.raw.push(...result.findings);
        if (result.truncated) {
            out.skipped.push({ file, reason: `partly scanned: ${result.truncated}` });
            out.raw.push(notFullyScannedFinding(file, result.truncatedAt ?? 1, result.truncated));
        }
    }
    return out;
}
/**
 * Generated text (lock files, bundles, source maps) gets the exact-format rules only.
 * `longestLine`, when the caller knows it: with no line over MINIFIED_LINE bytes the text
 * cannot look minified, and the pass over its lines is skipped.
 */
function profileOf(file, data, longestLine) {
    const byName = profileForName(file);
    if (byName === 'exact')
        return 'exact';
    if (longestLine !== undefined && longestLine <= MINIFIED_LINE)
        return 'all';
    return looksMinified(file, data) ? 'exact' : 'all';
}
//# sourceMappingURL=tree.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/history.js






function emptyHistoryResult() {
    return {
        raw: [],
        skipped: [],
        binaries: [],
        keyBodies: [],
        touchedDocker: [],
        commits: 0,
        logBytes: 0,
        bytes: 0,
        files: 0,
        stopped: false,
    };
}
/** Scans one fragment of a commit (added lines) into `out`. */
function scanCommitFragment(scanner, out, file, commit, data, lineNumbers, longestLine, hits) {
    out.bytes += data.length;
    const profile = profileOf(file, data, longestLine);
    const result = scanner.scan({ file, data, commit, lineNumbers, profile, hits });
    out.raw.push(...result.findings);
    if (result.truncated) {
        out.skipped.push({
            file: `${commit.slice(0, 7)}:${file}`,
            reason: `partly scanned: ${result.truncated}`,
        });
        out.raw.push(notFullyScannedFinding(file, result.truncatedAt ?? 1, result.truncated, commit));
    }
}
const history_KEY_BEGIN = Buffer.from('-----BEGIN ');
/** Reads the task's commits with `git log -p` and scans every file's added lines. */
async function history_scanCommits(scanner, task, deadline) {
    const out = emptyHistoryResult();
    const touched = new Set();
    // When two gits read the range from both ends, the second one's commits come oldest
    // first: each is scanned as it comes, into a result of its own, and they are put after
    // the first git's, newest first, at the end: the order of one git.
    const laterParts = [];
    const laterTouched = new Set();
    let laterHandlers;
    const first = handlers(scanner, out, touched);
    const stats = await streamAddedLines(task.gitDir ?? task.cwd, task.revisions, first.onFile, first.onEvent, () => external_node_perf_hooks_.performance.now() > deadline, task.commits, task.readers, {
        onCommit: () => {
            const part = emptyHistoryResult();
            laterParts.push(part);
            laterHandlers = handlers(scanner, part, laterTouched);
        },
        onFile: (added) => laterHandlers.onFile(added),
        onEvent: (event) => laterHandlers.onEvent(event),
    }, scanner.keywordIndex);
    out.commits = stats.commits;
    out.logBytes = stats.bytes;
    out.stopped = stats.stopped;
    out.touchedDocker = [...touched];
    if (stats.second) {
        const later = emptyHistoryResult();
        for (let i = laterParts.length - 1; i >= 0; i--)
            mergeHistoryResult(later, laterParts[i]);
        later.commits = stats.second.commits;
        later.logBytes = stats.second.bytes;
        later.touchedDocker = [...laterTouched];
        mergeHistoryResult(out, later);
    }
    return out;
}
/** The callbacks that scan a file's added lines (and note its binary or renamed files) into `out`. */
function handlers(scanner, out, touched) {
    let lastFile = '';
    return {
        onFile: (added) => {
            // A file's added lines come in one piece, or several pieces in a row (see FLUSH_BYTES).
            const key = `${added.commit}:${added.file}`;
            if (key !== lastFile) {
                lastFile = key;
                out.files++;
                if (added.newFile && isCommittedEnvName(added.file))
                    out.raw.push(committedEnvFinding(added.file, added.commit));
            }
            if (isDockerfileName(added.file) || added.file.endsWith('.dockerignore'))
                touched.add(added.file);
            if (scanner.isPathAllowed(added.file))
                return;
            // A `.p12` / `.pfx` is judged from its blob (a PKCS#12 key bundle is a finding of its own).
            if (added.data.indexOf(0) !== -1 || isPkcs12Name(added.file)) {
                const last = out.binaries[out.binaries.length - 1];
                if (last?.commit !== added.commit || last.file !== added.file)
                    out.binaries.push({ kind: 'binary', commit: added.commit, file: added.file });
                return;
            }
            // The reader already picked the lines that look like a key's body, as it copied them.
            if (added.keyBodyLines.length > 0 && added.data.indexOf(history_KEY_BEGIN) === -1) {
                const lines = new Set();
                for (const i of added.keyBodyLines)
                    lines.add(added.lineNumbers[i]);
                addKeyBody(out.keyBodies, added.commit, added.file, lines);
            }
            scanCommitFragment(scanner, out, added.file, added.commit, added.data, added.lineNumbers, added.longestLine, added.hits);
        },
        onEvent: (event) => {
            if (event.kind === 'renamed') {
                if (isCommittedEnvName(event.file))
                    out.raw.push(committedEnvFinding(event.file, event.commit));
            }
            else if (!scanner.isPathAllowed(event.file))
                out.binaries.push(event);
        },
    };
}
/** Appends `part` (the next slice of the same range) to `into`. */
function mergeHistoryResult(into, part) {
    into.raw.push(...part.raw);
    into.skipped.push(...part.skipped);
    into.binaries.push(...part.binaries);
    for (const body of part.keyBodies)
        addKeyBody(into.keyBodies, body.commit, body.file, body.lines);
    for (const file of part.touchedDocker)
        if (!into.touchedDocker.includes(file))
            into.touchedDocker.push(file);
    into.commits += part.commits;
    into.logBytes += part.logBytes;
    into.bytes += part.bytes;
    into.files += part.files;
    into.stopped ||= part.stopped;
}
/**
 * Remembers added lines that look like a key's body (isKeyBodyLine) when the BEGIN line
 * was not among them.
 */
function noteKeyBody(commit, file, data, numbers, out) {
    const buf = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
    if (buf.indexOf(history_KEY_BEGIN) !== -1)
        return;
    let body;
    for (let start = 0, i = 0; start <= buf.length; i++) {
        let end = buf.indexOf(10, start);
        if (end < 0)
            end = buf.length;
        if (isKeyBodyLine(buf, start, end))
            (body ??= new Set()).add(numbers[i]);
        start = end + 1;
    }
    if (body)
        addKeyBody(out, commit, file, body);
}
function addKeyBody(out, commit, file, lines) {
    const known = out.find((c) => c.commit === commit && c.file === file);
    if (known)
        for (const n of lines)
            known.lines.add(n);
    else
        out.push({ commit, file, lines: new Set(lines) });
}
//# sourceMappingURL=history.js.map
// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
// EXTERNAL MODULE: external "node:worker_threads"
var external_node_worker_threads_ = __webpack_require__(5919);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/pool.js











const MARK = 'deploy-actions/secret-scan worker';
/** How long past the deadline a worker may take to stop by itself before it is terminated. */
const GRACE_MS = 500;
let configuredEntry;
/**
 * The script a worker thread runs. A bundle (one file) names itself: its entry point
 * starts the worker when `isScanWorker()` is true. Otherwise the compiled package's
 * scan-worker.js (from the TypeScript sources, as in the unit tests: the one in lib/).
 */
function setScanWorkerEntry(url) {
    configuredEntry = url;
}
function scanWorkerEntry() {
    if (configuredEntry)
        return configuredEntry;
    // Names built at run time, so a bundler does not take them for assets to copy.
    for (const name of ['scan-worker', '../lib/scan-worker']) {
        const url = new URL(`${name}.js`, import.meta.url);
        if (url.protocol === 'file:' && (0,external_node_fs_.existsSync)((0,external_node_url_.fileURLToPath)(url)))
            return url;
    }
    return undefined;
}
/** Threads to use when the caller does not say: the cores, at most 4, and 1 without a worker script. */
function defaultThreads() {
    return scanWorkerEntry() ? Math.min(4, (0,external_node_os_.availableParallelism)()) : 1;
}
function isScanWorker() {
    return !isMainThread && workerData?.mark === MARK;
}
function buildScanner(setup, deadline) {
    let ruleSet = defaultRuleSet();
    if (setup.config) {
        const texts = new Map(setup.config.texts);
        ruleSet = loadGitleaksConfig(setup.config.file, new Set(), (p) => {
            const text = texts.get(p);
            if (text === undefined)
                throw new Error('not read by the main thread');
            return text;
        });
    }
    return new SecretScanner(ruleSet, { ...setup.limits, deadline }, new Set(builtinRules().map((r) => r.id)));
}
function runTask(scanner, task, deadline) {
    return task.kind === 'tree'
        ? Promise.resolve(scanTreeFiles(scanner, task, deadline))
        : scanCommits(scanner, task, deadline);
}
/** The worker side: builds the scanner once, then runs the tasks it is sent, one at a time. */
function startScanWorker() {
    const { setup } = workerData;
    const deadline = setup.deadlineEpoch - performance.timeOrigin;
    const scanner = buildScanner(setup, deadline);
    const port = parentPort;
    port.on('message', (message) => {
        runTask(scanner, message.task, deadline).then((result) => port.postMessage({ id: message.id, result }), (error) => port.postMessage({
            id: message.id,
            error: { code: error instanceof UserError ? error.code : undefined, message: errorMessage(error) },
        }));
    });
}
/**
 * Runs the tasks on `threads` workers, each taking the next task when done with one.
 * Results come back in task order; a task not run or not finished by the deadline
 * (plus a short grace) is `undefined`.
 */
function runTasksInWorkers(entry, tasks, threads, setup, deadline) {
    const results = new Array(tasks.length);
    return new Promise((resolve, reject) => {
        const workers = [];
        let next = 0;
        let running = 0;
        let settled = false;
        let timer;
        const finish = (error) => {
            if (settled)
                return;
            settled = true;
            if (timer)
                clearTimeout(timer);
            for (const w of workers)
                void w.terminate();
            if (error)
                reject(error);
            else
                resolve(results);
        };
        const feed = (worker) => {
            if (next < tasks.length && external_node_perf_hooks_.performance.now() <= deadline) {
                const id = next++;
                running++;
                worker.postMessage({ id, task: tasks[id] });
            }
            else if (running === 0)
                finish();
        };
        if (Number.isFinite(deadline)) {
            timer = setTimeout(() => finish(), Math.max(0, deadline - external_node_perf_hooks_.performance.now()) + GRACE_MS);
        }
        const count = Math.max(1, Math.min(threads, tasks.length));
        // Nothing to start once past the deadline (or with nothing to do).
        if (tasks.length === 0 || external_node_perf_hooks_.performance.now() > deadline) {
            finish();
            return;
        }
        for (let i = 0; i < count && !settled; i++) {
            const worker = new external_node_worker_threads_.Worker(entry, { workerData: { mark: MARK, setup }, stdout: false, stderr: false });
            workers.push(worker);
            worker.on('message', (message) => {
                running--;
                if (message.error) {
                    const { code, message: text } = message.error;
                    finish(code ? new lib/* UserError */.yo(code, text) : new Error(`a scan worker failed: ${text}`));
                    return;
                }
                results[message.id] = message.result;
                feed(worker);
            });
            worker.on('error', (error) => finish(new Error(`a scan worker failed: ${(0,lib/* errorMessage */.gJ)(error)}`)));
            worker.on('exit', (code) => {
                if (!settled)
                    finish(new Error(`a scan worker exited with code ${code} before the scan ended`));
            });
            feed(worker);
        }
    });
}
//# sourceMappingURL=pool.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/scan.js


















const IGNORE_FILES = ['.gitleaksignore', '.secretscanignore'];
/** Below these, worker threads cost more to start than they save. */
const PARALLEL_MIN_FILES = 256;
const PARALLEL_MIN_COMMITS = 64;
/**
 * A history scan is already two processes, `git log -p` and the scanning thread: on two
 * cores, workers (each with its own git) only add start-up and JIT work (bench: 20-60%
 * slower on this 2-core machine). From four cores on they share out git's work too.
 */
const HISTORY_MIN_CORES = 4;
/** Files per task of a tree scan, commits per task of a history scan (the unit a worker takes). */
const TREE_TASK_FILES = 64;
const HISTORY_TASK_MIN = 16;
const HISTORY_TASK_MAX = 400;
const workingTree = {
    exists: (abs) => (0,external_node_fs_.existsSync)(abs),
    read: (abs) => (0,external_node_fs_.readFileSync)(abs, 'utf8'),
};
/** Loads the rules: the given config, else `<path>/.gitleaks.toml`, else the built-in pack. */
function loadRules(path, configFile, reader = workingTree) {
    const file = configFile ?? (reader.exists((0,external_node_path_.join)(path, '.gitleaks.toml')) ? (0,external_node_path_.join)(path, '.gitleaks.toml') : undefined);
    return file
        ? { ruleSet: gitleaks_config_loadGitleaksConfig(file, new Set(), reader.read), configFile: file }
        : { ruleSet: gitleaks_config_defaultRuleSet() };
}
/**
 * The files a commit holds (`abs` is mapped to its path in the repository). Only
 * the files asked for are read, one `git cat-file` each: a config, its ignore
 * files and whatever `[extend] path` names.
 */
async function commitReader(cwd, commit) {
    const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).trim();
    const listing = await git(cwd, ['ls-tree', '-r', '-z', '--name-only', commit]);
    const names = new Set(listing.split('\0').filter(Boolean));
    const rel = (abs) => (0,external_node_path_.relative)(top, (0,external_node_path_.resolve)(abs)).split(external_node_path_.sep).join('/');
    const cache = new Map();
    return {
        exists: (abs) => names.has(rel(abs)),
        read: (abs) => {
            const name = rel(abs);
            if (!names.has(name))
                throw new Error(`not in commit ${commit.slice(0, 7)}`);
            let text = cache.get(name);
            if (text === undefined) {
                text = (0,external_node_child_process_.execFileSync)('git', ['cat-file', 'blob', `${commit}:${name}`], {
                    cwd,
                    encoding: 'utf8',
                    maxBuffer: 64 * 1024 * 1024,
                });
                cache.set(name, text);
            }
            return text;
        },
    };
}
/** Paths (relative to the scan path) of the settings files that differ between two commits. */
async function changedSettingsFiles(cwd, base, head, files) {
    const out = await runGit(cwd, ['diff', '--name-only', '--relative', '-z', base, head, '--', ...files]);
    return out.code === 0 ? out.stdout.split('\0').filter(Boolean) : [];
}
async function runSecretScan(options, log) {
    const started = external_node_perf_hooks_.performance.now();
    const deadline = started + (options.timeBudgetMs ?? Infinity);
    const target = resolveTarget(options);
    const raw = [];
    // In a pull request, the rules and ignore files are the base commit's: the PR's own
    // .gitleaks.toml or .gitleaksignore must not decide what its scan lets through.
    let reader = workingTree;
    let settingsFrom = '';
    let gitDir;
    if (target.kind === 'commits' && target.pullRequest && target.base) {
        gitDir = await ensureRangeReadable(options.path, target, log);
        reader = await commitReader(options.path, target.base);
        settingsFrom = ` from the base commit ${target.base.slice(0, 7)}`;
        const settingsFiles = ['.gitleaks.toml', ...IGNORE_FILES];
        const config = options.configFile ? (0,external_node_path_.relative)(options.path, options.configFile) : '';
        if (config && !config.startsWith('..') && !(0,external_node_path_.isAbsolute)(config))
            settingsFiles.push(config);
        for (const file of await changedSettingsFiles(options.path, target.base, target.head, settingsFiles)) {
            raw.push(configChangedFinding(file, target.head));
        }
    }
    const configFile = options.configFile;
    // An explicit config outside the repository (or not in the base commit) is read as it is.
    const useTree = configFile !== undefined && !reader.exists(configFile);
    // Worker threads build their scanner from the same text the config was read from here.
    const configTexts = new Map();
    const recorded = (from) => ({
        exists: from.exists,
        read: (abs) => {
            const text = from.read(abs);
            configTexts.set(abs, text);
            return text;
        },
    });
    const { ruleSet, configFile: usedConfig } = useTree
        ? loadRules(options.path, configFile, recorded(workingTree))
        : loadRules(options.path, configFile, recorded(reader));
    const accepted = new AcceptedFindings();
    for (const name of IGNORE_FILES) {
        const file = (0,external_node_path_.join)(options.path, name);
        if (reader.exists(file))
            accepted.addIgnoreFile(reader.read(file));
    }
    if (options.baselineFile)
        accepted.addBaseline(options.baselineFile);
    const scanner = new scanner_SecretScanner(ruleSet, { ...options.limits, deadline }, new Set(builtin_builtinRules().map((r) => r.id)));
    const workerEntry = scanWorkerEntry();
    const threads = workerEntry ? Math.max(1, options.threads ?? defaultThreads()) : 1;
    const setup = {
        config: usedConfig ? { file: (0,external_node_path_.resolve)(usedConfig), texts: [...configTexts] } : undefined,
        limits: { ...options.limits },
        deadlineEpoch: external_node_perf_hooks_.performance.timeOrigin + deadline,
    };
    const maxFileBytes = options.maxFileBytes ?? 10 * 1024 * 1024;
    const skipped = [];
    const stats = { files: 0, bytes: 0, commits: 0, durationMs: 0 };
    let description;
    const outOfTime = () => external_node_perf_hooks_.performance.now() > deadline;
    const budget = options.timeBudgetMs ?? 0;
    const budgetText = `the scan's time budget of ${budget < 1000 ? `${budget} ms` : `${Math.round(budget / 1000)} s`} ran out`;
    const truncatedFinding = (file, line, why, commit) => {
        raw.push(notFullyScannedFinding(file, line, why, commit));
    };
    if (target.kind === 'nothing') {
        description = target.reason;
    }
    else if (target.kind === 'tree') {
        description = `the files in ${options.displayPath ?? options.path} (${target.reason})`;
        const { files, tracked } = await listTreeFiles(options.path);
        const excluded = (options.excludeFiles ?? []).map((f) => (0,external_node_path_.resolve)(f));
        const parallel = threads > 1 &&
            files.length > 0 &&
            (options.threads !== undefined || files.length >= PARALLEL_MIN_FILES);
        const per = parallel ? TREE_TASK_FILES : files.length;
        const tasks = [];
        for (let i = 0; i < files.length; i += per) {
            const slice = files.slice(i, i + per);
            tasks.push({
                kind: 'tree',
                root: options.path,
                files: slice,
                envTracked: slice.map((f) => tracked === undefined || tracked.has(f)),
                excluded,
                maxFileBytes,
            });
        }
        const threadsText = parallel ? ` on ${threads} threads` : '';
        await log.group(`Scanning ${files.length} files with ${scanner.ruleCount} rules${threadsText}`, async () => {
            const results = parallel
                ? await runTasksInWorkers(workerEntry, tasks, threads, setup, deadline)
                : tasks.map((task) => tree_scanTreeFiles(scanner, task, deadline));
            // Back in the order of the files, as one thread would have found them.
            let firstLeft;
            let left = 0;
            tasks.forEach((task, t) => {
                const result = results[t];
                if (result) {
                    raw.push(...result.raw);
                    skipped.push(...result.skipped);
                    stats.files += result.files;
                    stats.bytes += result.bytes;
                }
                const done = result?.done ?? 0;
                if (done < task.files.length) {
                    firstLeft ??= task.files[done];
                    left += task.files.length - done;
                }
            });
            if (firstLeft !== undefined) {
                truncatedFinding(firstLeft, 1, `${budgetText} with ${left} file(s) not scanned, from ${firstLeft} on`);
                skipped.push({ file: firstLeft, reason: `not scanned: ${budgetText} (${left} file(s) left)` });
            }
            const read = (p) => {
                try {
                    return (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(options.path, p), 'utf8');
                }
                catch {
                    return undefined;
                }
            };
            for (const file of files) {
                if (!isDockerfileName(file))
                    continue;
                const finding = dockerContextFinding(file, read);
                if (finding)
                    raw.push(finding);
            }
            log.info(`Scanned ${stats.files} files (${formatBytes(stats.bytes)}); skipped ${skipped.length}.`);
        });
    }
    else {
        if (!target.pullRequest)
            gitDir = await ensureRangeReadable(options.path, target, log);
        description = target.description;
        const scanFragment = (file, commit, data, lineNumbers) => {
            const part = emptyHistoryResult();
            scanCommitFragment(scanner, part, file, commit, data, lineNumbers);
            stats.bytes += part.bytes;
            raw.push(...part.raw);
            skipped.push(...part.skipped);
        };
        const touchedDocker = new Set();
        let tasks = [
            {
                kind: 'history',
                cwd: options.path,
                gitDir,
                revisions: target.revisions,
                readers: options.gitReaders ?? Math.min(2, (0,external_node_os_.availableParallelism)()),
            },
        ];
        if (threads > 1 && (options.threads !== undefined || (0,external_node_os_.availableParallelism)() >= HISTORY_MIN_CORES)) {
            // Slices of the range, each read by its own `git log -p` in a worker: git's own
            // diffing is then shared between the cores too.
            const commits = (await git(options.path, ['rev-list', ...target.revisions, '--']))
                .split('\n')
                .filter(Boolean);
            if (commits.length > 0 && (options.threads !== undefined || commits.length >= PARALLEL_MIN_COMMITS)) {
                const per = Math.min(HISTORY_TASK_MAX, Math.max(HISTORY_TASK_MIN, Math.ceil(commits.length / (threads * 8))));
                tasks = [];
                for (let i = 0; i < commits.length; i += per)
                    tasks.push({
                        kind: 'history',
                        cwd: options.path,
                        gitDir,
                        revisions: target.revisions,
                        commits: commits.slice(i, i + per),
                    });
            }
        }
        const parallel = tasks.length > 1 || tasks[0].commits !== undefined;
        const threadsText = parallel ? ` on ${threads} threads` : '';
        await log.group(`Scanning ${target.description} with ${scanner.ruleCount} rules${threadsText}`, async () => {
            const history = emptyHistoryResult();
            const parts = parallel
                ? await runTasksInWorkers(workerEntry, tasks, threads, setup, deadline)
                : [await history_scanCommits(scanner, tasks[0], deadline)];
            // Back in the order of the commits, as one thread would have found them.
            for (const part of parts) {
                if (part)
                    mergeHistoryResult(history, part);
                else
                    history.stopped = true;
            }
            raw.push(...history.raw);
            skipped.push(...history.skipped);
            stats.bytes += history.bytes;
            stats.files += history.files;
            const { binaries, keyBodies } = history;
            for (const file of history.touchedDocker)
                touchedDocker.add(file);
            stats.commits = history.commits;
            if (history.stopped) {
                truncatedFinding('.', 1, `${budgetText} after ${stats.commits} commit(s) of ${target.description}`);
                skipped.push({ file: '(remaining commits)', reason: `not scanned: ${budgetText}` });
            }
            // Files git showed as binary (a NUL byte, or a `-diff` / `binary` attribute): our own
            // reading decides. UTF-16 and text with stray NULs are scanned; only binary is skipped.
            for (const event of binaries) {
                if (outOfTime()) {
                    truncatedFinding(event.file, 1, `${budgetText} before this file was read`, event.commit);
                    break;
                }
                const where = `${event.commit.slice(0, 7)}:${event.file}`;
                const blob = await readBlob(options.path, `${event.commit}:${event.file}`);
                if (!blob)
                    continue;
                const keyBundle = pkcs12Finding(event.file, blob, event.commit);
                if (keyBundle) {
                    raw.push(keyBundle);
                    continue;
                }
                if (blob.length > maxFileBytes) {
                    skipped.push({ file: where, reason: skipReasonForSize(blob.length, maxFileBytes) });
                    continue;
                }
                const content = classifyContent(blob);
                if (content.kind === 'binary') {
                    skipped.push({ file: where, reason: content.reason });
                    continue;
                }
                const parent = await readBlob(options.path, `${event.commit}^:${event.file}`);
                const old = parent ? classifyContent(parent) : undefined;
                const { lines, lineNumbers } = addedLinesOf(old?.kind === 'text' ? old.data : new Uint8Array(0), content.data);
                if (lines.length === 0)
                    continue;
                const data = Buffer.from(lines.join('\n'), 'utf8');
                noteKeyBody(event.commit, event.file, data, lineNumbers, keyBodies);
                scanFragment(event.file, event.commit, data, lineNumbers);
            }
            // A commit that changes only the body of a private key adds no BEGIN line: read the
            // file at that commit and scan the key blocks that hold the added lines.
            for (const candidate of keyBodies.slice(0, 500)) {
                const blob = await readBlob(options.path, `${candidate.commit}:${candidate.file}`);
                if (!blob)
                    continue;
                const content = classifyContent(blob);
                if (content.kind !== 'text')
                    continue;
                for (const block of privateKeyBlocks(Buffer.from(content.data).toString('utf8'))) {
                    if (![...candidate.lines].some((n) => n > block.firstLine && n < block.lastLine))
                        continue;
                    const numbers = Array.from({ length: block.lastLine - block.firstLine + 1 }, (_, k) => block.firstLine + k);
                    scanFragment(candidate.file, candidate.commit, Buffer.from(block.text, 'utf8'), numbers);
                }
            }
            log.info(`Read ${stats.commits} commits (${formatBytes(history.logBytes)} of patches).`);
        });
        if (touchedDocker.size > 0)
            raw.push(...(await dockerFindingsAt(options.path, target.head, touchedDocker)));
    }
    const findings = [];
    let acceptedCount = 0;
    const seen = new Set();
    for (const f of raw) {
        // A key carried over a flush boundary, or a block re-read from the blob, is found twice.
        const key = `${f.commit ?? ''}\0${f.file}\0${f.line}\0${f.ruleId}\0${f.secretHash}`;
        if (seen.has(key))
            continue;
        seen.add(key);
        // A partial scan or a change to the scan's own settings is never accepted by a baseline.
        if (!UNACCEPTABLE_RULES.has(f.ruleId) && accepted.has(f))
            acceptedCount++;
        else
            findings.push(f);
    }
    stats.durationMs = Math.round(external_node_perf_hooks_.performance.now() - started);
    return {
        mode: options.mode,
        target: description,
        findings,
        accepted: acceptedCount,
        skipped,
        stats,
        ruleSet,
        configFile: usedConfig,
        settingsFrom,
    };
}
/** Private key blocks with their first and last line numbers (1-based). */
function privateKeyBlocks(text) {
    const blocks = [];
    const re = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----[\s\S]{0,65536}?-----END [A-Z0-9 ]*PRIVATE KEY[A-Z ]*-----/g;
    for (let m = re.exec(text); m !== null; m = re.exec(text)) {
        const firstLine = countLines(text, m.index) + 1;
        blocks.push({ text: m[0], firstLine, lastLine: firstLine + countLines(m[0], m[0].length) });
    }
    return blocks;
}
function countLines(text, until) {
    let n = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < until; i = text.indexOf('\n', i + 1))
        n++;
    return n;
}
/** Lines of `next` not in `prev` (as a multiset), with their line numbers: the added lines when git gave no text diff. */
function addedLinesOf(prev, next) {
    const count = new Map();
    for (const line of Buffer.from(prev).toString('utf8').split('\n'))
        count.set(line, (count.get(line) ?? 0) + 1);
    const lines = [];
    const lineNumbers = [];
    Buffer.from(next)
        .toString('utf8')
        .split('\n')
        .forEach((line, i) => {
        const left = count.get(line) ?? 0;
        if (left > 0)
            count.set(line, left - 1);
        else {
            lines.push(line.replace(/\0/g, ' '));
            lineNumbers.push(i + 1);
        }
    });
    return { lines, lineNumbers };
}
async function listTreeFiles(root) {
    const inside = await runGit(root, ['rev-parse', '--show-prefix']);
    if (inside.code === 0 && (0,external_node_fs_.existsSync)(root)) {
        const all = await git(root, [
            'ls-files',
            '-z',
            '--cached',
            '--others',
            '--exclude-standard',
            '--full-name',
            '--',
            '.',
        ]);
        const trackedOut = await git(root, ['ls-files', '-z', '--cached', '--', '.']);
        const prefix = inside.stdout.trim();
        const strip = (p) => (prefix && p.startsWith(prefix) ? p.slice(prefix.length) : p);
        const files = [...new Set(all.split('\0').filter(Boolean).map(strip))];
        return { files, tracked: new Set(trackedOut.split('\0').filter(Boolean)) };
    }
    const files = [];
    const walk = (dir) => {
        for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
            if (entry.name === '.git')
                continue;
            const abs = (0,external_node_path_.join)(dir, entry.name);
            if (entry.isDirectory())
                walk(abs);
            else if (entry.isFile())
                files.push((0,external_node_path_.relative)(root, abs).split(external_node_path_.sep).join('/'));
        }
    };
    walk(root);
    return { files };
}
async function dockerFindingsAt(cwd, head, touched) {
    const listing = await git(cwd, ['ls-tree', '-r', '--name-only', '-z', head]);
    const all = listing.split('\0').filter(Boolean);
    const dirs = new Set([...touched].map((p) => p.slice(0, p.lastIndexOf('/') + 1)));
    const cache = new Map();
    const contents = new Map();
    for (const p of all)
        cache.set(p, undefined);
    const read = (p) => contents.get(p);
    const findings = [];
    for (const file of all) {
        if (!isDockerfileName(file) || !dirs.has(file.slice(0, file.lastIndexOf('/') + 1)))
            continue;
        const dir = file.slice(0, file.lastIndexOf('/') + 1);
        for (const p of [file, `${file}.dockerignore`, `${dir}.dockerignore`]) {
            if (!contents.has(p) && cache.has(p))
                contents.set(p, (await runGit(cwd, ['show', `${head}:${p}`])).stdout);
        }
        const finding = dockerContextFinding(file, read, head);
        if (finding)
            findings.push(finding);
    }
    return findings;
}
function formatBytes(bytes) {
    if (bytes < 1024)
        return `${bytes} B`;
    if (bytes < 1024 * 1024)
        return `${(bytes / 1024).toFixed(1)} KiB`;
    return `${(bytes / 1048576).toFixed(1)} MiB`;
}
//# sourceMappingURL=scan.js.map
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
;// CONCATENATED MODULE: ./packages/secret-scan/lib/verify.js





/**
 * TEST ONLY. Sends every check to `<url>/<provider>/…` instead of the provider, so tests
 * can run against local stand-ins. Refused unless it points at 127.0.0.1, ::1 or localhost:
 * a secret is never sent to any other host.
 */
const VERIFY_TEST_BASE_URL_VARIABLE = 'DEPLOY_ACTIONS_TEST_VERIFY_BASE_URL';
const bearer = (secret) => ({ authorization: `Bearer ${secret}` });
const USER_AGENT = { 'user-agent': 'deploy-actions-secret-scan-gate' };
function defaultClassify(status) {
    if (status >= 200 && status < 300)
        return true;
    if (status === 401 || status === 403)
        return false;
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
const PROVIDERS = [
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
            if (status !== 200)
                return status === 401 ? false : 'unknown';
            try {
                const answer = JSON.parse(body);
                if (answer.ok === true)
                    return true;
                return typeof answer.error === 'string' && SLACK_REFUSED.has(answer.error) ? false : 'unknown';
            }
            catch {
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
        request: (secret, base, accountSid) => accountSid === undefined
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
            if (keyId === undefined)
                return undefined;
            const url = new URL(`${base}/`);
            const body = 'Action=GetCallerIdentity&Version=2011-06-15';
            const headers = signV4({
                method: 'POST',
                url,
                headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
                body,
            }, { keyId, secret }, { region: 'us-east-1', service: 'sts' }, now);
            return { method: 'POST', url: url.toString(), headers: { ...headers, ...USER_AGENT }, body };
        },
    },
];
/** The rule ids `verify: true` can check. */
const VERIFIABLE_RULES = new Set(PROVIDERS.flatMap((p) => p.rules));
const providerOf = new Map(PROVIDERS.flatMap((p) => p.rules.map((r) => [r, p])));
/** The request one finding's check would send (exported for the tests of each provider's request shape). */
function verifyRequestFor(ruleId, secret, options = {}) {
    const provider = providerOf.get(ruleId);
    if (!provider)
        return undefined;
    const base = options.testBaseUrl
        ? `${options.testBaseUrl.replace(/\/+$/, '')}/${provider.name}`
        : provider.origin;
    return provider.request(secret, base, options.companion, options.now ?? new Date());
}
/** Reads the test-only base URL and refuses anything but a loopback address. */
function testBaseUrlFrom(env) {
    const value = env[VERIFY_TEST_BASE_URL_VARIABLE];
    if (!value)
        return undefined;
    let url;
    try {
        url = new URL(value);
    }
    catch {
        url = undefined;
    }
    const loopback = url !== undefined &&
        /^https?:$/.test(url.protocol) &&
        ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname);
    if (!loopback || url === undefined || url.username !== '' || url.password !== '')
        throw new lib/* UserError */.yo('verify-base-url-refused', `${VERIFY_TEST_BASE_URL_VARIABLE} is a test-only variable and must point at http://127.0.0.1, http://[::1] or http://localhost; it is set to something else, so no secret was sent anywhere. Unset it.`);
    return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
/**
 * Checks every finding of a supported kind and sets its `verified`. Identical credentials
 * are checked once. Never throws for a provider's answer or a network failure.
 */
async function verifyFindings(findings, options) {
    const controller = new AbortController();
    let budgetExhausted = false;
    const timer = setTimeout(() => {
        budgetExhausted = true;
        controller.abort();
    }, options.budgetMs);
    const reasons = new Set();
    const calls = new Map();
    const queue = [];
    const results = new Map();
    try {
        for (const finding of findings) {
            const provider = providerOf.get(finding.ruleId);
            if (!provider || !finding.secret)
                continue;
            let companion;
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
                reasons.add(`${provider.name}: no ${provider.name === 'aws' ? 'access key ID (AKIA…)' : 'Account SID (AC…)'} next to it`);
                results.set(finding, { verdict: Promise.resolve('unknown') });
                continue;
            }
            const key = `${provider.name}\u0000${finding.secret}\u0000${companion ?? ''}`;
            let verdict = calls.get(key);
            if (!verdict) {
                let settle;
                verdict = new Promise((r) => (settle = r));
                calls.set(key, verdict);
                queue.push(async () => settle(await call(provider, request, controller.signal, reasons)));
            }
            results.set(finding, { verdict, companion });
        }
        const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 4, queue.length)) }, async () => {
            for (let job = queue.shift(); job; job = queue.shift())
                await job();
        });
        await Promise.all(workers);
    }
    finally {
        clearTimeout(timer);
    }
    const summary = {
        checked: 0,
        live: 0,
        refused: 0,
        unknown: 0,
        calls: calls.size,
        unknownReasons: [],
        budgetExhausted,
    };
    const awsKeyIds = new Map();
    for (const [finding, { verdict, companion }] of results) {
        finding.verified = await verdict;
        if (finding.ruleId === 'aws-secret-access-key' && companion)
            awsKeyIds.set(companion, finding.verified);
    }
    // The key ID half of a checked AWS pair shares its verdict.
    for (const finding of findings)
        if (finding.ruleId === 'aws-access-key-id' && awsKeyIds.has(finding.secret))
            finding.verified = awsKeyIds.get(finding.secret);
    for (const finding of findings) {
        if (finding.verified === undefined)
            continue;
        summary.checked++;
        if (finding.verified === true)
            summary.live++;
        else if (finding.verified === false)
            summary.refused++;
        else
            summary.unknown++;
    }
    if (budgetExhausted)
        reasons.add('time budget ran out');
    summary.unknownReasons = [...reasons].sort();
    return summary;
}
async function call(provider, request, signal, reasons) {
    if (signal.aborted)
        return 'unknown';
    try {
        const response = await fetch(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
            // A redirect could carry the credential to another host: never followed.
            redirect: 'manual',
            signal,
        });
        const body = provider.classify && response.status === 200
            ? await readLimited(response)
            : (await response.body?.cancel(), '');
        const verdict = (provider.classify ?? defaultClassify)(response.status, body);
        if (verdict === 'unknown')
            reasons.add(`${provider.name}: HTTP ${response.status}`);
        return verdict;
    }
    catch {
        reasons.add(`${provider.name}: ${signal.aborted ? 'timeout' : 'network error'}`);
        return 'unknown';
    }
}
async function readLimited(response) {
    const text = await response.text();
    return text.slice(0, 64 * 1024);
}
/** The match of `pattern` on the line closest to `line` (1-based). */
function nearest(text, pattern, line) {
    let best;
    text.split('\n').forEach((content, i) => {
        for (const m of content.matchAll(new RegExp(pattern.source, 'g'))) {
            const distance = Math.abs(i + 1 - line);
            if (!best || distance < best.distance)
                best = { value: m[0], distance };
        }
    });
    return best?.value;
}
/** Reads a finding's file (relative to `root`, the scanned path) from the tree, or at its commit with `git show` (no shell). */
function sourceReader(root) {
    return async (finding) => {
        if (!finding.commit)
            return (0,promises_.readFile)((0,external_node_path_.join)(root, finding.file), 'utf8').then((t) => t, () => undefined);
        return new Promise((resolve) => {
            (0,external_node_child_process_.execFile)('git', ['show', `${finding.commit}:./${finding.file}`], { cwd: root, maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' }, (error, stdout) => resolve(error ? undefined : stdout));
        });
    };
}
// ---- AWS Signature Version 4 (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html)
const sha256 = (data) => (0,external_node_crypto_.createHash)('sha256').update(data, 'utf8').digest('hex');
const hmac = (key, data) => (0,external_node_crypto_.createHmac)('sha256', key).update(data, 'utf8').digest();
const rfc3986 = (s) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
/** The headers of a SigV4-signed request: the given ones, `x-amz-date` and `authorization` (`host` is signed, and sent by fetch itself). */
function signV4(request, credentials, scope, now) {
    const amzDate = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}Z$/, 'Z');
    const day = amzDate.slice(0, 8);
    const headers = {};
    for (const [name, value] of Object.entries(request.headers))
        headers[name.toLowerCase()] = value;
    headers['host'] = request.url.host;
    headers['x-amz-date'] = amzDate;
    const names = Object.keys(headers).sort();
    const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
    const query = [...request.url.searchParams]
        .map(([k, v]) => [rfc3986(k), rfc3986(v)])
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
    const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secret}`, day), scope.region), scope.service), 'aws4_request');
    const signature = (0,external_node_crypto_.createHmac)('sha256', key).update(stringToSign, 'utf8').digest('hex');
    const { host: _host, ...sent } = headers;
    return {
        ...sent,
        authorization: `AWS4-HMAC-SHA256 Credential=${credentials.keyId}/${credentialScope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    };
}
//# sourceMappingURL=verify.js.map
;// CONCATENATED MODULE: ./packages/secret-scan/lib/index.js

















//# sourceMappingURL=index.js.map
;// CONCATENATED MODULE: ./actions/secret-scan-gate/lib/settings.js



const MODES = ['auto', 'diff', 'history', 'tree'];
const FAIL_ON = ['any', 'none', 'verified'];
/** Reads and checks every input; problems are collected and reported together by `finish()`. */
function readSettings(inputs, env) {
    const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
    const at = (p) => ((0,external_node_path_.isAbsolute)(p) ? p : (0,external_node_path_.resolve)(workspace, p));
    const path = at(inputs.string('path', { default: '.' }));
    const mode = inputs.enum('mode', MODES, { default: 'auto' });
    const base = inputs.string('base');
    const head = inputs.string('head');
    const config = inputs.string('config');
    const baseline = inputs.string('baseline');
    const failOn = inputs.enum('fail-on', FAIL_ON, { default: 'any' });
    const sarifFile = at(inputs.string('sarif-file', { default: 'secret-scan.sarif' }));
    const reportFile = at(inputs.string('report-file', { default: 'secret-scan-report.json' }));
    const maxAnnotations = inputs.integer('max-annotations', { default: 50, min: 0, max: 1000 });
    const timeBudgetMs = inputs.duration('time-budget', { default: '20m', min: 1 });
    const verify = inputs.boolean('verify', { default: false });
    const verifyTimeoutMs = inputs.duration('verify-timeout', { default: '10s', min: 1 });
    const settings = {
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
    inputs.check(failOn !== 'verified' || verify, 'fail-on', "'verified' fails only on secrets a live check found valid, so it needs verify: true. Set verify: true, or use fail-on: any.");
    inputs.check((0,external_node_fs_.existsSync)(path) && (0,external_node_fs_.statSync)(path).isDirectory(), 'path', `'${inputs.raw('path') || '.'}' is not a directory. Point it at the checked-out repository.`);
    if (settings.config)
        inputs.check((0,external_node_fs_.existsSync)(settings.config), 'config', `${settings.config} does not exist. Give the path of a .gitleaks.toml-style file, or leave it empty.`);
    if (settings.baseline)
        inputs.check((0,external_node_fs_.existsSync)(settings.baseline), 'baseline', `${settings.baseline} does not exist. Pass the report-file of an earlier run.`);
    if (mode === 'diff' && !base) {
        let fromEvent;
        try {
            fromEvent = eventRange(settings).base;
        }
        catch {
            fromEvent = undefined;
        }
        inputs.check(fromEvent !== undefined, 'base', 'diff mode needs a base commit: set base (and head), or run on a pull_request or push event.');
    }
    return settings;
}
//# sourceMappingURL=settings.js.map
;// CONCATENATED MODULE: ./actions/secret-scan-gate/lib/main.js





const SUMMARY_ROWS = 100;
const action = {
    name: 'secret-scan-gate',
    untouched: 'Nothing was scanned.',
    async main({ inputs, log, summary, setOutput, env }) {
        const settings = readSettings(inputs, env);
        inputs.finish();
        // Refused before anything runs: a secret is only ever sent to its provider (or, in tests, to loopback).
        const testBaseUrl = settings.verify ? testBaseUrlFrom(env) : undefined;
        const result = await runSecretScanWithSummary(summary, {
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
        }, log);
        // Found secrets are registered as masks first, so no later line (ours or another step's) can print one.
        for (const f of result.findings)
            if (f.secret.length >= 6)
                log.mask(f.secret);
        let verification;
        if (settings.verify) {
            verification = await verifyFindings(result.findings, {
                budgetMs: settings.verifyTimeoutMs,
                testBaseUrl,
                readSource: sourceReader(settings.path),
            });
            log.info(`Live checks: ${verification.checked} finding(s) of a supported kind, ${verification.live} live, ${verification.refused} refused, ${verification.unknown} unknown` +
                (verification.unknownReasons.length > 0 ? ` (${verification.unknownReasons.join('; ')})` : '') +
                '.');
        }
        const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
        const fromWorkspace = (0,external_node_path_.relative)(workspace, settings.path).split('\\').join('/');
        const context = {
            // SARIF uris are relative to the repository root (the workspace), not to `path`.
            uriPrefix: fromWorkspace.startsWith('..') || (0,external_node_path_.isAbsolute)(fromWorkspace) ? '' : fromWorkspace,
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
        const toRepoPath = (f) => external_node_path_.posix.normalize((0,external_node_path_.join)((0,external_node_path_.relative)(workspace, settings.path), f.file).split('\\').join('/'));
        result.findings.slice(0, settings.maxAnnotations).forEach((f) => {
            const where = f.commit ? ` (commit ${f.commit.slice(0, 7)})` : '';
            log.error(`${f.description}${f.redacted ? `: ${f.redacted}` : ''}${where}${verdictNote(f)}`, {
                title: `secret-scan: ${f.ruleId}`,
                file: toRepoPath(f),
                startLine: Math.max(1, f.line),
            });
        });
        if (result.findings.length > settings.maxAnnotations) {
            log.info(`${result.findings.length - settings.maxAnnotations} more findings are not annotated; see the job summary and ${settings.reportFile}.`);
        }
        writeSummary(summary, result, toRepoPath, settings, verification);
        if (settings.failOn === 'verified') {
            const live = result.findings.filter((f) => f.verified === true);
            const unread = result.findings.filter((f) => f.ruleId === 'not-fully-scanned');
            if (live.length > 0)
                throw new lib/* UserError */.yo('live-secrets-found', `${live.length} finding(s) in ${result.target} are live: their provider accepted them just now. Revoke each one at its provider first, then remove it from the code.`);
            if (unread.length > 0)
                throw new lib/* UserError */.yo('secrets-found', `${unread.length} part(s) of ${result.target} were not fully scanned, so a live secret there could not be checked; see the summary.`);
            return;
        }
        if (result.findings.length > 0 && settings.failOn === 'any') {
            throw new lib/* UserError */.yo('secrets-found', `${result.findings.length} finding(s) in ${result.target}. Revoke each exposed credential, then remove it; accept a false alarm with a "secret-scan:allow" comment on the line, a .gitleaksignore fingerprint, or the baseline input.`);
        }
    },
};
/** A failed scan still leaves a summary saying what could not be scanned and why. */
async function runSecretScanWithSummary(summary, ...args) {
    try {
        return await runSecretScan(...args);
    }
    catch (error) {
        summary
            .heading('Secret scan: not completed')
            .paragraph(`Nothing was reported as clean. ${(0,lib/* errorMessage */.gJ)(error)}`);
        throw error;
    }
}
function writeJson(file, value) {
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(file), { recursive: true });
    (0,external_node_fs_.writeFileSync)(file, `${JSON.stringify(value, null, 2)}\n`);
}
function writeSummary(summary, result, toRepoPath, settings, verification) {
    const { stats } = result;
    const scanned = stats.commits > 0
        ? `${stats.commits} commits, ${formatBytes(stats.bytes)} of added lines`
        : `${stats.files} files, ${formatBytes(stats.bytes)}`;
    summary.heading(result.findings.length === 0
        ? 'Secret scan: no secrets found'
        : `Secret scan: ${result.findings.length} finding(s)`);
    summary.paragraph(`Scanned ${escapeName(result.target)}: ${scanned} in ${(0,lib/* formatDuration */.a3)(stats.durationMs)} with ${result.ruleSet.rules.length} rules (${result.configFile ? `config ${escapeName((0,external_node_path_.relative)(settings.path, result.configFile) || result.configFile)}` : 'built-in pack'}${result.settingsFrom ?? ''}).` +
        (result.accepted > 0
            ? ` ${result.accepted} accepted finding(s) left out (baseline / ignore file).`
            : ''));
    if (verification) {
        summary.paragraph(`Live checks (verify): ${verification.checked} finding(s) of a supported kind — **${verification.live} live**, ${verification.refused} refused by their provider, ${verification.unknown} unknown` +
            (verification.unknownReasons.length > 0
                ? ` (${escapeName(verification.unknownReasons.join('; '))})`
                : '') +
            '.');
    }
    if (result.findings.length > 0) {
        summary.table(['Rule', 'Location', 'Commit', 'Secret (redacted)', ...(verification ? ['Live'] : [])], result.findings
            .slice(0, SUMMARY_ROWS)
            .map((f) => [
            f.ruleId,
            { raw: escapeName(`${toRepoPath(f)}:${f.line}`) },
            f.commit ? f.commit.slice(0, 7) : '',
            f.redacted || '-',
            ...(verification ? [verdictLabel(f)] : []),
        ]));
        const partial = result.findings.filter((f) => f.ruleId === 'not-fully-scanned');
        if (partial.length > 0) {
            summary.paragraph(`**Not fully scanned** (not-fully-scanned): ${partial.map((f) => `${escapeName(toRepoPath(f))}${f.commit ? ` (${f.commit.slice(0, 7)})` : ''}`).join(', ')}. A secret in the unscanned part would not have been found.`);
        }
        if (result.findings.length > SUMMARY_ROWS)
            summary.paragraph(`…and ${result.findings.length - SUMMARY_ROWS} more in the JSON report.`);
    }
    if (result.skipped.length > 0) {
        summary.details(`${result.skipped.length} file(s) not scanned or partly scanned`, result.skipped
            .slice(0, 50)
            .map((s) => `- ${escapeName(s.file)}: ${escapeName(s.reason)}`)
            .join('\n') +
            (result.skipped.length > 50 ? `\n- …and ${result.skipped.length - 50} more in the JSON report` : ''));
    }
}
/** File names are data, not Markdown: every character Markdown could act on is escaped. */
function escapeName(text) {
    return text
        .replace(/[\\`*_{}[\]()#|~]/g, (c) => `\\${c}`)
        .replace(/[<>&]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : '&amp;'))
        .replace(/\r?\n/g, ' ');
}
/** The Live column: what the provider said, or that the kind is not checked. */
function verdictLabel(f) {
    if (f.verified === true)
        return 'live';
    if (f.verified === false)
        return 'refused';
    if (f.verified === 'unknown')
        return 'unknown';
    return 'not checked';
}
function verdictNote(f) {
    if (f.verified === true)
        return ' — verified live by its provider';
    if (f.verified === false)
        return ' — refused by its provider (revoked or invalid)';
    if (f.verified === 'unknown')
        return ' — live check gave no answer';
    return '';
}
//# sourceMappingURL=main.js.map

/***/ })

};
