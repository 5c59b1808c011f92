export const id = 431;
export const ids = [431];
export const modules = {

/***/ 9932:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ cosignAsset),
/* harmony export */   u: () => (/* binding */ knownCosignSha256)
/* harmony export */ });
/**
 * SHA-256 of cosign's release binaries, per version and asset, shipped in the code so that
 * nothing downloaded vouches for itself (a release's `cosign_checksums.txt` comes from the
 * same place as the binary and is not signed in a way we check).
 *
 * Source: sigstore/cosign-installer's action.yml, which pins the same hashes for its
 * bootstrap cosign (history of https://github.com/sigstore/cosign-installer, one commit per
 * version); v2.4.1 cross-checked against other projects quoting cosign_checksums.txt.
 * To add a version: take both hashes from the release's checksum file *and* a second source.
 */
const KNOWN_COSIGN_SHA256 = {
    'v2.4.0': {
        'cosign-linux-amd64': 'cd7636b3586a3bdac2d9c8f3b421ed119edcb20499107887fd929211110e8418',
        'cosign-linux-arm64': 'e9db44c01057395230d0454144c676e7231bff08249620b0170ea19ff201de94',
    },
    'v2.4.1': {
        'cosign-linux-amd64': '8b24b946dd5809c6bd93de08033bcf6bc0ed7d336b7785787c080f574b89249b',
        'cosign-linux-arm64': '3b2e2e3854d0356c45fe6607047526ccd04742d20bd44afb5be91fa2a6e7cb4a',
    },
    'v2.4.2': {
        'cosign-linux-amd64': 'e7f5bd99a790703333e8f8e8e6c91d5e646f3d7041e4cf935b56587de20cec3f',
        'cosign-linux-arm64': '9ab2a932190161d67b9fcda81777e28086b2152c7d506a0e2f83dbb3fd7e2b1c',
    },
    'v2.4.3': {
        'cosign-linux-amd64': 'caaad125acef1cb81d58dcdc454a1e429d09a750d1e9e2b3ed1aed8964454708',
        'cosign-linux-arm64': 'bd0f9763bca54de88699c3656ade2f39c9a1c7a2916ff35601caf23a79be0629',
    },
    'v2.5.0': {
        'cosign-linux-amd64': '1f6c194dd0891eb345b436bb71ff9f996768355f5e0ce02dde88567029ac2188',
        'cosign-linux-arm64': '080a998f9878f22dafdb9ad54d5b2e2b8e7a38c53527250f9d89a6763a28d545',
    },
    'v2.5.1': {
        'cosign-linux-amd64': 'd86013612a132b67a2b60bc4ae4a09dbb1cd7ddcb7491dfd54ef2cdb7cb9180c',
        'cosign-linux-arm64': '8b0acceb2dcd64eb85a90a302acf585da8734c9cf518088f2b11354012d27091',
    },
    'v2.5.2': {
        'cosign-linux-amd64': 'bcfeae05557a9f313ee4392d2f335d0ff69ebbfd232019e3736fb04999fe1734',
        'cosign-linux-arm64': '2cbcea1873ad76274c3f241ef175d204654e3aac3e73e6ec4504e5227015cb0a',
    },
    'v2.5.3': {
        'cosign-linux-amd64': '783b5d6c74105401c63946c68d9b2a4e1aab3c8abce043e06b8510b02b623ec9',
        'cosign-linux-arm64': 'bffabe4cf183122b7de3111257a863c99e7dc6cf1093bfd7bf961de1795589b8',
    },
    'v2.6.0': {
        'cosign-linux-amd64': 'ea5c65f99425d6cfbb5c4b5de5dac035f14d09131c1a0ea7c7fc32eab39364f9',
        'cosign-linux-arm64': 'e09684650882fd721ed22b716ffc399ee11426cd4d1c9b4fec539cba8bf46b86',
    },
    'v2.6.1': {
        'cosign-linux-amd64': '064954c5d8c7e3b28188eee5b1727b31c411550bc5fefd41aa672d3c761d103a',
        'cosign-linux-arm64': '56a16480bdd56ec789abaa65924402f6b92c0041f06885995853c05567b76f34',
    },
    'v3.0.1': {
        'cosign-linux-amd64': '23c9ff889672f03676b673539de07d5ad4e8efc8247a3ad55c9bc00169aa2305',
        'cosign-linux-arm64': '8f5bb6899118d521d7b12252f06d5808fba4e6cb0a23ff120ed6c14d7c87863a',
    },
    'v3.0.2': {
        'cosign-linux-amd64': '46dbdcb5467a3dfec2526923d0b3365e40c8d9dc00ec23d5aca3437449e8cbfd',
        'cosign-linux-arm64': '17fd784737ca54d7d8a343c82da6c5d6dbdee971e66644d923d1b057fb97d7ed',
    },
    'v3.0.3': {
        'cosign-linux-amd64': '052363a0e23e2e7ed53641351b8b420918e7e08f9c1d8a42a3dd3877a78a2e10',
        'cosign-linux-arm64': '81398231362031e3c7afd6a7508c57049460cd7e02736f1ebe89a452102253e5',
    },
    'v3.0.5': {
        'cosign-linux-amd64': 'db15cc99e6e4837daabab023742aaddc3841ce57f193d11b7c3e06c8003642b2',
        'cosign-linux-arm64': 'd098f3168ae4b3aa70b4ca78947329b953272b487727d1722cb3cb098a1a20ab',
    },
    'v3.0.6': {
        'cosign-linux-amd64': 'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74',
        'cosign-linux-arm64': 'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8',
    },
    'v3.1.1': {
        'cosign-linux-amd64': 'ae1ecd212663f3693ad9edf8b1a183900c9a52d3155ba6e354237f9a0f6463fc',
        'cosign-linux-arm64': '2ec865872e331c32fd12b08dae15332d3f92c0aa029219589684a4903ca85d11',
    },
};
/** The release asset for this runner: `cosign-linux-amd64` and the like. */
function cosignAsset(platform = process.platform, arch = process.arch) {
    return `cosign-${platform === 'darwin' ? 'darwin' : 'linux'}-${arch === 'arm64' ? 'arm64' : 'amd64'}`;
}
/** The shipped hash of `version` (`v2.4.1` or `2.4.1`) for this runner's asset, if known. */
function knownCosignSha256(version, asset = cosignAsset()) {
    return KNOWN_COSIGN_SHA256[`v${version.replace(/^v/, '')}`]?.[asset];
}
//# sourceMappingURL=cosign-hashes.js.map

/***/ }),

/***/ 6431:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  action: () => (/* binding */ action)
});

// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
// EXTERNAL MODULE: ./packages/registry/lib/index.js + 3 modules
var registry_lib = __webpack_require__(3712);
// EXTERNAL MODULE: ./packages/signature/lib/index.js + 13 modules
var signature_lib = __webpack_require__(1714);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./actions/verify-signature/lib/cosign-hashes.js
var cosign_hashes = __webpack_require__(9932);
;// CONCATENATED MODULE: ./actions/verify-signature/lib/settings.js






// cosign-installer's default at the time of writing; override with cosign-version.
const DEFAULT_COSIGN_VERSION = 'v2.4.1';
const DEFAULT_COSIGN_BASE_URL = 'https://github.com/sigstore/cosign/releases/download';
/** Reads and checks every input; all problems are reported together by `inputs.finish()`. */
function readSettings(inputs, workspace) {
    const imageText = inputs.string('image', { required: true });
    let reference = { registry: '', repository: '' };
    if (imageText !== '') {
        try {
            reference = (0,registry_lib/* parseReference */.F2)(imageText);
        }
        catch (error) {
            inputs.problem('image', `${(0,lib/* errorMessage */.gJ)(error)}. Use registry/repository:tag or registry/repository@sha256:<digest>.`);
        }
    }
    const keyText = inputs.string('key');
    const identity = inputs.string('certificate-identity');
    const identityRegexp = inputs.string('certificate-identity-regexp');
    const issuer = inputs.string('certificate-oidc-issuer');
    const keyless = identity !== undefined || identityRegexp !== undefined || issuer !== undefined;
    const sourceRepository = inputs.string('certificate-github-workflow-repository');
    const sourceRef = inputs.string('certificate-github-workflow-ref');
    const sourceSha = inputs.string('certificate-github-workflow-sha');
    if (sourceRepository !== undefined &&
        !/^[\w.-]+\/[\w.-]+$|^https:\/\/[^/\s]+\/[\w.-]+\/[\w.-]+$/.test(sourceRepository)) {
        inputs.problem('certificate-github-workflow-repository', `'${sourceRepository}' is not owner/name (e.g. acme/app, the expression github.repository) or https://<host>/owner/name.`);
    }
    if (sourceRef !== undefined && !/^refs\/(heads|tags|pull)\/\S+$/.test(sourceRef)) {
        inputs.problem('certificate-github-workflow-ref', `'${sourceRef}' is not a full ref such as refs/heads/main or refs/tags/v1.2.0.`);
    }
    if (sourceSha !== undefined && !/^[a-fA-F0-9]{40}$/.test(sourceSha)) {
        inputs.problem('certificate-github-workflow-sha', `'${sourceSha}' is not a commit (40 hex digits), e.g. the expression github.sha.`);
    }
    const sourcePolicy = {
        ...(sourceRepository !== undefined ? { githubWorkflowRepository: sourceRepository } : {}),
        ...(sourceRef !== undefined ? { githubWorkflowRef: sourceRef } : {}),
        ...(sourceSha !== undefined ? { githubWorkflowSha: sourceSha.toLowerCase() } : {}),
    };
    const sourceRequired = Object.keys(sourcePolicy).length > 0;
    let trustedRoot = (0,signature_lib/* publicGoodTrustedRoot */.cB)();
    let trustedRootSource = `sigstore public-good (shipped: ${signature_lib/* PUBLIC_GOOD_TRUSTED_ROOT_SOURCE */.Pw})`;
    const rootPath = inputs.string('trusted-root');
    const trustedRootPath = rootPath === undefined ? undefined : (0,external_node_path_.isAbsolute)(rootPath) ? rootPath : (0,external_node_path_.resolve)(workspace, rootPath);
    if (rootPath !== undefined && trustedRootPath !== undefined) {
        const path = trustedRootPath;
        try {
            trustedRoot = (0,signature_lib/* parseTrustedRoot */.t1)(JSON.parse((0,external_node_fs_.readFileSync)(path, 'utf8')));
            trustedRootSource = rootPath;
        }
        catch (error) {
            const reason = error.code === 'ENOENT' ? 'does not exist' : (0,lib/* errorMessage */.gJ)(error);
            inputs.problem('trusted-root', `'${rootPath}' ${reason}. Pass the path of a sigstore trusted_root.json.`);
        }
    }
    let policy;
    let policyText = '';
    if (keyText !== undefined && sourceRequired) {
        const name = sourceRepository !== undefined
            ? 'certificate-github-workflow-repository'
            : sourceRef !== undefined
                ? 'certificate-github-workflow-ref'
                : 'certificate-github-workflow-sha';
        inputs.problem(name, 'is a claim of a keyless certificate and cannot be checked with key; remove it, or verify keylessly.');
    }
    if (keyText !== undefined && keyless) {
        inputs.problem('key', 'cannot be combined with certificate-identity / certificate-identity-regexp / certificate-oidc-issuer. Use a key or a keyless identity, not both.');
    }
    else if (keyText !== undefined) {
        const pem = keyText.includes('-----BEGIN') ? keyText : readKeyFile(inputs, keyText, workspace);
        if (pem !== undefined) {
            try {
                const key = (0,signature_lib/* loadPublicKey */.fg)(pem);
                policy = { kind: 'key', key };
                policyText = `key ${key.fingerprint} (${key.algorithm})`;
            }
            catch (error) {
                inputs.problem('key', `${(0,lib/* errorMessage */.gJ)(error)}.`);
            }
        }
    }
    else if (keyless) {
        if (identity !== undefined && identityRegexp !== undefined) {
            inputs.problem('certificate-identity-regexp', 'cannot be combined with certificate-identity. Use the exact identity or a pattern, not both.');
        }
        if (identity === undefined && identityRegexp === undefined) {
            inputs.problem('certificate-identity', 'is required for keyless verification (or certificate-identity-regexp), e.g. https://github.com/org/repo/.github/workflows/release.yml@refs/heads/main.');
        }
        if (identityRegexp !== undefined) {
            try {
                new RegExp(identityRegexp);
            }
            catch (error) {
                inputs.problem('certificate-identity-regexp', `is not a valid regular expression (${(0,lib/* errorMessage */.gJ)(error)}).`);
            }
        }
        if (issuer === undefined) {
            inputs.problem('certificate-oidc-issuer', 'is required for keyless verification, e.g. https://token.actions.githubusercontent.com.');
        }
        policy = {
            kind: 'keyless',
            trustedRoot,
            identity: {
                ...(identity !== undefined ? { identity } : {}),
                ...(identityRegexp !== undefined ? { identityRegexp } : {}),
                ...(issuer !== undefined ? { issuer } : {}),
                ...sourcePolicy,
            },
        };
        const claims = [
            sourceRepository !== undefined ? `repository ${sourceRepository}` : undefined,
            sourceRef !== undefined ? `ref ${sourceRef}` : undefined,
            sourceSha !== undefined ? `commit ${sourceSha.toLowerCase()}` : undefined,
        ].filter((c) => c !== undefined);
        policyText = `${identity ?? `identity matching ^(?:${identityRegexp})$`} issued by ${issuer ?? '?'}${claims.length > 0 ? `, run from ${claims.join(', ')}` : ''}`;
    }
    else {
        inputs.problem('key', 'or a keyless identity is required: set key (a PEM public key or its path), or certificate-identity (or certificate-identity-regexp) with certificate-oidc-issuer.');
    }
    const attestations = [];
    for (const name of inputs.multiline('attestations', { commas: true })) {
        const required = (0,signature_lib/* requiredPredicate */.ty)(name);
        if (required)
            attestations.push(required);
        else
            inputs.problem('attestations', `'${name}' is neither a known predicate type (${signature_lib/* PREDICATE_ALIASES */.tq.join(', ')}) nor a URI.`);
    }
    const username = inputs.string('registry-username');
    const password = inputs.secret('registry-password');
    if (username !== undefined && password === undefined)
        inputs.problem('registry-password', 'is required when registry-username is set.');
    if (password !== undefined && username === undefined)
        inputs.problem('registry-username', 'is required when registry-password is set.');
    const allowInsecure = inputs.boolean('allow-insecure-registry', { default: false });
    const tokenRealms = [];
    for (const realm of inputs.multiline('registry-token-realms', { commas: true })) {
        let url;
        try {
            url = new URL(realm);
        }
        catch {
            url = undefined;
        }
        if (!url || (url.protocol !== 'https:' && !(url.protocol === 'http:' && (0,registry_lib/* isLoopbackRegistry */.jW)(url.host)))) {
            inputs.problem('registry-token-realms', `'${realm}' is not an https:// origin (plain http only on loopback), e.g. https://auth.example.com.`);
        }
        else {
            tokenRealms.push(url.origin);
        }
    }
    const requireDockerReference = inputs.boolean('require-docker-reference', { default: false });
    const githubRepository = inputs.string('github-repository');
    const githubToken = inputs.secret('github-token');
    if (githubRepository !== undefined) {
        if (!/^[\w.-]+\/[\w.-]+$/.test(githubRepository))
            inputs.problem('github-repository', `'${githubRepository}' is not owner/repo, e.g. \${{ github.repository }}.`);
        if (githubToken === undefined)
            inputs.problem('github-token', 'is required to read GitHub attestations (the default, ${{ github.token }}, needs `attestations: read`).');
    }
    const engine = inputs.enum('engine', ['native', 'cosign'], { default: 'native' });
    const cosignVersion = inputs.string('cosign-version') ?? DEFAULT_COSIGN_VERSION;
    if (!/^v?\d+\.\d+\.\d+$/.test(cosignVersion))
        inputs.problem('cosign-version', `'${cosignVersion}' is not a release version such as ${DEFAULT_COSIGN_VERSION}.`);
    const cosignBaseUrl = inputs.string('cosign-base-url') ?? DEFAULT_COSIGN_BASE_URL;
    if (!/^https?:\/\/\S+$/.test(cosignBaseUrl)) {
        inputs.problem('cosign-base-url', `'${cosignBaseUrl}' is not an http(s) URL.`);
    }
    else if (cosignBaseUrl.startsWith('http:') && !(0,registry_lib/* isLoopbackRegistry */.jW)(new URL(cosignBaseUrl).host)) {
        // Anyone on the path could swap the binary; only a mirror on this machine may skip TLS.
        inputs.problem('cosign-base-url', `'${cosignBaseUrl}' is plain http beyond loopback; use https:// (plain http only for 127.0.0.0/8 or localhost).`);
    }
    const cosignSha256 = inputs.string('cosign-sha256');
    if (cosignSha256 !== undefined && !/^[a-fA-F0-9]{64}$/.test(cosignSha256))
        inputs.problem('cosign-sha256', 'is not a sha256 (64 hex digits) of the cosign binary.');
    if (engine === 'cosign' &&
        cosignSha256 === undefined &&
        /^v?\d+\.\d+\.\d+$/.test(cosignVersion) &&
        (0,cosign_hashes/* knownCosignSha256 */.u)(cosignVersion) === undefined) {
        inputs.problem('cosign-version', `'${cosignVersion}' has no known sha256 for ${(0,cosign_hashes/* cosignAsset */.W)()} in this release of verify-signature; pin the binary's hash with cosign-sha256 (from a source you trust), or use a listed version.`);
    }
    if (engine === 'cosign' && githubRepository !== undefined) {
        inputs.problem('github-repository', 'is only supported with engine: native (cosign does not read GitHub artifact attestations).');
    }
    inputs.finish();
    return {
        reference,
        policy: policy,
        policyText,
        trustedRoot,
        trustedRootSource,
        attestations,
        ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
        tokenRealms,
        allowInsecure,
        requireDockerReference,
        ...(githubRepository !== undefined && githubToken !== undefined ? { githubRepository, githubToken } : {}),
        engine,
        cosign: {
            version: cosignVersion,
            baseUrl: cosignBaseUrl,
            ...(cosignSha256 !== undefined ? { sha256: cosignSha256 } : {}),
        },
        ...(trustedRootPath !== undefined ? { trustedRootPath } : {}),
    };
}
function readKeyFile(inputs, path, workspace) {
    const full = (0,external_node_path_.isAbsolute)(path) ? path : (0,external_node_path_.resolve)(workspace, path);
    if (!(0,external_node_fs_.existsSync)(full)) {
        inputs.problem('key', `is neither a PEM public key nor an existing file ('${path}' was not found in the workspace).`);
        return undefined;
    }
    return (0,external_node_fs_.readFileSync)(full, 'utf8');
}
//# sourceMappingURL=settings.js.map
;// CONCATENATED MODULE: ./actions/verify-signature/lib/main.js




const action = {
    name: 'verify-signature',
    untouched: 'Nothing was contacted.',
    async main({ inputs, log, summary, setOutput, env }) {
        const settings = readSettings(inputs, env['GITHUB_WORKSPACE'] ?? process.cwd());
        const client = new registry_lib/* RegistryClient */.bP({
            // The credentials are for the image's registry (and its own token server) only.
            ...(settings.credentials
                ? { credentials: settings.credentials, credentialsRegistry: settings.reference.registry }
                : {}),
            tokenRealms: settings.tokenRealms,
            allowInsecure: settings.allowInsecure,
            logger: log,
        });
        if (settings.allowInsecure)
            log.warning('allow-insecure-registry is set: registries beyond loopback are spoken to over plain HTTP.');
        if (settings.engine === 'cosign') {
            await verifyByCosign(settings, client, { log, summary, setOutput });
            return;
        }
        let result;
        try {
            result = await log.group(`Verifying ${settings.reference.registry}/${settings.reference.repository}`, () => (0,signature_lib/* verifyImage */.ZG)({
                reference: settings.reference,
                policy: settings.policy,
                trustedRoot: settings.trustedRoot,
                attestations: settings.attestations,
                client,
                log,
                requireDockerReference: settings.requireDockerReference,
                ...(settings.githubRepository && settings.githubToken
                    ? {
                        extraBundles: async (digest) => {
                            // Loaded on demand: Octokit is most of the bundle and most runs never need it.
                            const { fetchGitHubAttestations } = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(413), __webpack_require__.e(363)]).then(__webpack_require__.bind(__webpack_require__, 6363));
                            return fetchGitHubAttestations(settings.githubToken, settings.githubRepository, digest, log);
                        },
                    }
                    : {}),
            }));
        }
        catch (error) {
            // No digest output on failure: a later `if: always()` step must not deploy an unverified digest.
            if (error instanceof signature_lib/* VerificationFailure */.UD) {
                writeFailureSummary(summary, settings, error);
            }
            else if (error instanceof lib/* UserError */.yo) {
                summary
                    .heading('verify-signature: not verified')
                    .paragraph(error.message)
                    .list([`Policy: ${settings.policyText}`]);
            }
            throw error;
        }
        setOutput('digest', result.digest);
        setOutput('image-ref', result.imageRef);
        setOutput('signer', result.signer);
        setOutput('verified-attestations', result.verifiedAttestations.join('\n'));
        setSourceOutputs(setOutput, result.github);
        log.info(`${result.imageRef} is signed by ${result.signer}`);
        writeSuccessSummary(summary, settings, result);
    },
};
/** `engine: cosign`: the digest is resolved here (so the pin is ours), cosign checks the signatures. */
async function verifyByCosign(settings, client, { log, summary, setOutput }) {
    let digest;
    try {
        digest = (await client.resolve(settings.reference)).digest;
    }
    catch (error) {
        if (error instanceof registry_lib/* RegistryError */.gl)
            throw new signature_lib/* ReasonedError */.O$((0,signature_lib/* registryFailureReason */.iO)(error.code), error.message);
        throw error;
    }
    const imageRef = (0,registry_lib/* pinnedReference */.ct)(settings.reference, digest);
    const { installCosign, verifyWithCosign } = await Promise.all(/* import() */[__webpack_require__.e(119), __webpack_require__.e(185), __webpack_require__.e(442)]).then(__webpack_require__.bind(__webpack_require__, 1442));
    try {
        const cosign = await log.group('Installing cosign', () => installCosign(settings.cosign, log));
        const result = await log.group(`cosign verify ${imageRef}`, () => verifyWithCosign(cosign, {
            reference: settings.reference,
            digest,
            policy: settings.policy,
            attestations: settings.attestations,
            ...(settings.trustedRootPath ? { trustedRootPath: settings.trustedRootPath } : {}),
            ...(settings.credentials ? { credentials: settings.credentials } : {}),
            allowInsecure: settings.allowInsecure,
            requireDockerReference: settings.requireDockerReference,
            cosignVersion: settings.cosign.version,
        }, log));
        setOutput('digest', digest);
        setOutput('image-ref', imageRef);
        setOutput('signer', result.signer);
        setOutput('verified-attestations', result.verifiedAttestations.join('\n'));
        setSourceOutputs(setOutput, result.github);
        summary
            .heading('verify-signature: verified (cosign)')
            .paragraph(`\`${imageRef}\` was verified by cosign ${settings.cosign.version}.`)
            .list([
            `Policy: ${settings.policyText}`,
            `Why it passed: cosign verify accepted a signature over exactly this digest, signed by ${result.signer}`,
            ...(settings.attestations.length > 0
                ? [`Required attestations verified: ${result.verifiedAttestations.join(', ')}`]
                : []),
        ]);
    }
    catch (error) {
        if (error instanceof lib/* UserError */.yo) {
            summary
                .heading('verify-signature: not verified (cosign)')
                .paragraph(`Digest checked: \`${digest}\``)
                .code(error.message);
        }
        throw error;
    }
}
/** `source-repository`, `source-ref`, `source-digest`: what the accepted certificate says. */
function setSourceOutputs(setOutput, github) {
    const repository = (0,signature_lib/* sourceRepositoryName */.vW)(github);
    const ref = github?.ref ?? github?.legacyRef;
    const digest = github?.digest ?? github?.legacyDigest;
    if (repository !== undefined)
        setOutput('source-repository', repository);
    if (ref !== undefined)
        setOutput('source-ref', ref);
    if (digest !== undefined)
        setOutput('source-digest', digest);
}
function sourceLine(github) {
    const repository = (0,signature_lib/* sourceRepositoryName */.vW)(github);
    if (repository === undefined)
        return [];
    const ref = github?.ref ?? github?.legacyRef;
    const digest = github?.digest ?? github?.legacyDigest;
    return [
        `Signed in a run of ${repository}${ref ? ` at ${ref}` : ''}${digest ? ` (commit ${digest})` : ''}${github?.buildConfigUri ? `, workflow ${github.buildConfigUri}` : ''} (the certificate's GitHub extensions)`,
    ];
}
function digestNote(result) {
    if (result.platforms === undefined)
        return 'a single-platform manifest';
    return `a multi-arch index (${result.platforms.length} platforms: ${result.platforms.join(', ') || 'none listed'}); the index digest is what was verified, and it pins every platform manifest it lists`;
}
function evidenceRows(evidence) {
    return evidence.map((e) => [
        e.ok ? '✅' : '❌',
        e.source,
        e.kind === 'attestation' ? `attestation ${e.predicateType ?? ''}` : 'signature',
        e.detail,
    ]);
}
function writeSuccessSummary(summary, settings, result) {
    summary
        .heading('verify-signature: verified')
        .paragraph(`\`${result.imageRef}\` is ${digestNote(result)}.`)
        .list([
        `Policy: ${settings.policyText}`,
        `Trust root: ${settings.policy.kind === 'key' ? 'the given key' : settings.trustedRootSource}`,
        `Why it passed: a signature over exactly this digest verified, signed by ${result.signer}`,
        ...sourceLine(result.github),
        ...(settings.requireDockerReference
            ? [
                `The signature names this repository (${settings.reference.registry}/${settings.reference.repository}), not only the digest`,
            ]
            : []),
        ...(settings.attestations.length > 0
            ? [`Required attestations verified: ${result.verifiedAttestations.join(', ')}`]
            : []),
    ])
        .table(['', 'where', 'what', 'result'], evidenceRows(result.evidence));
}
function writeFailureSummary(summary, settings, failure) {
    summary
        .heading('verify-signature: not verified')
        .paragraph(failure.message)
        .list([
        `Policy: ${settings.policyText}`,
        ...(failure.digest ? [`Digest checked: \`${failure.digest}\``] : []),
    ]);
    if (failure.evidence.length > 0)
        summary
            .paragraph('What was found instead:')
            .table(['', 'where', 'what', 'result'], evidenceRows(failure.evidence));
}
//# sourceMappingURL=main.js.map

/***/ }),

/***/ 3712:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  Z2: () => (/* reexport */ MEDIA_TYPES),
  bP: () => (/* reexport */ RegistryClient),
  gl: () => (/* reexport */ RegistryError),
  aR: () => (/* reexport */ basicAuthorization),
  jW: () => (/* reexport */ isLoopbackRegistry),
  F2: () => (/* reexport */ parseReference),
  ct: () => (/* reexport */ pinnedReference),
  Jt: () => (/* reexport */ repositoryName),
  sc: () => (/* reexport */ sha256)
});

// UNUSED EXPORTS: MANIFEST_ACCEPT, apiHost, isDigest, parseAuthenticate

;// CONCATENATED MODULE: ./packages/registry/lib/reference.js
const DOCKER_HUB = 'docker.io';
const DIGEST = /^sha256:[a-f0-9]{64}$/;
const TAG = /^[\w][\w.-]{0,127}$/;
// Repository path components as the distribution spec defines them.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
class ReferenceError extends Error {
    name = 'ReferenceError';
}
/**
 * Parses `registry/repo:tag`, `repo@sha256:...` and the Docker Hub short forms
 * (`nginx` → `docker.io/library/nginx:latest`), as `docker pull` does.
 * Throws a ReferenceError saying what is wrong.
 */
function parseReference(text) {
    const input = text.trim();
    if (input === '')
        throw new ReferenceError('the image reference is empty');
    if (/\s/.test(input))
        throw new ReferenceError(`'${input}' contains white space`);
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
        throw new ReferenceError(`'${input}' has a URL scheme; write it as registry/repository:tag`);
    }
    let rest = input;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) {
            throw new ReferenceError(`'${digest}' is not a sha256 digest (expected sha256: and 64 lower-case hex digits)`);
        }
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    // A colon after the last slash separates the tag; before it, it is a registry port.
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            throw new ReferenceError(`'${tag}' is not a valid tag`);
    }
    const parts = rest.split('/');
    let registry = DOCKER_HUB;
    const first = parts[0] ?? '';
    // Docker's rule: the first component is a registry if it has a dot or a port, or is localhost.
    if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
        registry = first;
        parts.shift();
    }
    if (registry === 'index.docker.io' || registry === 'registry-1.docker.io')
        registry = DOCKER_HUB;
    if (registry === DOCKER_HUB && parts.length === 1)
        parts.unshift('library');
    if (parts.length === 0 || parts.some((p) => !COMPONENT.test(p))) {
        throw new ReferenceError(`'${rest}' is not a valid repository name (lower-case letters, digits, . _ - and /)`);
    }
    if (!/^[a-zA-Z0-9.-]+(?::\d{1,5})?$|^\[[0-9a-fA-F:]+\](?::\d{1,5})?$/.test(registry)) {
        throw new ReferenceError(`'${registry}' is not a valid registry host`);
    }
    const repository = parts.join('/');
    if (tag === undefined && digest === undefined)
        tag = 'latest';
    return {
        registry,
        repository,
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest } : {}),
    };
}
/** `registry/repository`, the name a pinned reference is built on. */
function repositoryName(ref) {
    return `${ref.registry}/${ref.repository}`;
}
/** `registry/repository@sha256:...`: what a deploy should pull. */
function pinnedReference(ref, digest) {
    return `${repositoryName(ref)}@${digest}`;
}
/** The host the registry API is served from (Docker Hub's API is not on docker.io). */
function apiHost(registry) {
    return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
/** True for registries Docker itself talks plain HTTP to: loopback addresses and localhost. */
function isLoopbackRegistry(registry) {
    const host = registry.startsWith('[')
        ? registry.slice(1, registry.indexOf(']'))
        : registry.replace(/:\d+$/, '');
    if (host === 'localhost' || host === '::1')
        return true;
    return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
function isDigest(text) {
    return DIGEST.test(text);
}
//# sourceMappingURL=reference.js.map
;// CONCATENATED MODULE: ./packages/registry/lib/auth.js
/**
 * Parses `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`
 * (and `Basic realm="..."`). Quoted values may contain commas, so this is a small
 * tokenizer rather than a split on ','.
 */
function parseAuthenticate(header) {
    const challenges = [];
    const re = /\s*([A-Za-z][\w-]*)(?:\s+|$)|\s*([\w-]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^,\s]*)\s*,?/gy;
    let current;
    let match;
    while (re.lastIndex < header.length && (match = re.exec(header)) !== null) {
        if (match[0] === '')
            break;
        if (match[1] !== undefined && match[2] === undefined) {
            current = { scheme: match[1].toLowerCase(), params: {} };
            challenges.push(current);
        }
        else if (match[2] !== undefined && current) {
            let value = match[3] ?? '';
            if (value.startsWith('"'))
                value = value.slice(1, -1).replace(/\\(.)/g, '$1');
            current.params[match[2].toLowerCase()] = value;
        }
    }
    return challenges;
}
function basicAuthorization(credentials) {
    return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}
//# sourceMappingURL=auth.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
;// CONCATENATED MODULE: ./packages/registry/lib/client.js




const MEDIA_TYPES = {
    ociIndex: 'application/vnd.oci.image.index.v1+json',
    ociManifest: 'application/vnd.oci.image.manifest.v1+json',
    dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
    dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
    ociEmpty: 'application/vnd.oci.empty.v1+json',
};
/** What `docker pull` accepts: a multi-arch index/list or a single-platform manifest. */
const MANIFEST_ACCEPT = [
    MEDIA_TYPES.ociIndex,
    MEDIA_TYPES.ociManifest,
    MEDIA_TYPES.dockerList,
    MEDIA_TYPES.dockerManifest,
];
class RegistryError extends Error {
    code;
    status;
    name = 'RegistryError';
    constructor(code, message, status) {
        super(message);
        this.code = code;
        this.status = status;
    }
}
// Registries whose own token service is on another host, known to be theirs.
const KNOWN_TOKEN_REALMS = {
    'docker.io': ['https://auth.docker.io'],
};
const DEFAULT_MAX_MANIFEST = 4 * 1024 * 1024;
const DEFAULT_MAX_BLOB = 32 * 1024 * 1024;
/**
 * A small OCI distribution client: read manifests and blobs by digest (every body
 * is size-capped and digest-checked), list referrers, and push (for signing in
 * tests and benchmarks). Tokens are cached per scope for the client's lifetime.
 */
class RegistryClient {
    options;
    tokens = new Map();
    log;
    maxManifestBytes;
    maxBlobBytes;
    timeoutMs;
    credentialsRegistry;
    /** Registries whose token server got no credentials (another host), with why. */
    withheld = new Map();
    constructor(options = {}) {
        this.options = options;
        this.credentialsRegistry = options.credentialsRegistry;
        this.log = options.logger ?? lib/* silentLogger */.qq;
        this.maxManifestBytes = options.maxManifestBytes ?? DEFAULT_MAX_MANIFEST;
        this.maxBlobBytes = options.maxBlobBytes ?? DEFAULT_MAX_BLOB;
        this.timeoutMs = options.timeoutMs ?? 30_000;
    }
    /** `https://host` or, for loopback or when allowed, `http://host`. */
    baseUrl(registry) {
        const scheme = isLoopbackRegistry(registry) || this.options.allowInsecure ? 'http' : 'https';
        return `${scheme}://${apiHost(registry)}`;
    }
    /** The manifest a tag or digest points to; its digest is computed from the bytes, never trusted. */
    async getManifest(ref, reference, accept = MANIFEST_ACCEPT) {
        const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`;
        const response = await this.request(ref, url, { headers: { Accept: accept.join(', ') } });
        if (response.status === 404) {
            await response.body?.cancel();
            throw new RegistryError('not-found', `${ref.registry}/${ref.repository}:${reference} was not found (HTTP 404)`, 404);
        }
        await this.expectOk(response, `the manifest ${ref.registry}/${ref.repository}@${reference}`);
        const bytes = await readCapped(response, this.maxManifestBytes, `the manifest ${reference}`);
        const digest = sha256(bytes);
        if (isDigest(reference) && digest !== reference) {
            throw new RegistryError('digest-mismatch', `${ref.registry}/${ref.repository}: asked for manifest ${reference} but the bytes served hash to ${digest}`);
        }
        const announced = response.headers.get('docker-content-digest');
        if (!isDigest(reference) && announced && announced !== digest) {
            throw new RegistryError('digest-mismatch', `${ref.registry}/${ref.repository}:${reference}: the registry announced ${announced} but the bytes served hash to ${digest}`);
        }
        let manifest;
        try {
            manifest = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new RegistryError('bad-response', `the manifest ${ref.registry}/${ref.repository}@${reference} is not JSON`);
        }
        const mediaType = manifest.mediaType ?? response.headers.get('content-type')?.split(';')[0] ?? '';
        return { digest, mediaType, bytes, manifest };
    }
    /** Resolves the reference's tag (or checks its digest) and returns the manifest it names. */
    async resolve(ref) {
        return this.getManifest(ref, ref.digest ?? ref.tag ?? 'latest');
    }
    /** A blob, refused when larger than the cap or when its bytes do not hash to its digest. */
    async getBlob(ref, descriptor) {
        if (!isDigest(descriptor.digest))
            throw new RegistryError('bad-response', `'${descriptor.digest}' is not a sha256 digest`);
        if (descriptor.size > this.maxBlobBytes) {
            throw new RegistryError('too-large', `the blob ${descriptor.digest} is ${descriptor.size} bytes; the limit is ${this.maxBlobBytes}`);
        }
        const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/blobs/${descriptor.digest}`;
        const response = await this.request(ref, url, {});
        if (response.status === 404) {
            await response.body?.cancel();
            throw new RegistryError('not-found', `the blob ${descriptor.digest} is not in ${ref.registry}/${ref.repository}`, 404);
        }
        await this.expectOk(response, `the blob ${descriptor.digest}`);
        const bytes = await readCapped(response, Math.min(this.maxBlobBytes, descriptor.size), `the blob ${descriptor.digest}`);
        const digest = sha256(bytes);
        if (digest !== descriptor.digest) {
            throw new RegistryError('digest-mismatch', `the blob ${descriptor.digest} in ${ref.registry}/${ref.repository} hashes to ${digest}: it was altered`);
        }
        return bytes;
    }
    /**
     * Manifests that name `digest` as their subject: the referrers API, or, where the
     * registry has none (404), the `sha256-<hex>` tag index of the OCI fallback scheme.
     */
    async listReferrers(ref, digest, artifactType) {
        const query = artifactType ? `?artifactType=${encodeURIComponent(artifactType)}` : '';
        const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/referrers/${digest}${query}`;
        const response = await this.request(ref, url, { headers: { Accept: MEDIA_TYPES.ociIndex } });
        let index;
        if (response.ok && (response.headers.get('content-type') ?? '').includes(MEDIA_TYPES.ociIndex)) {
            const bytes = await readCapped(response, this.maxManifestBytes, `the referrers of ${digest}`);
            index = parseJson(bytes, `the referrers list of ${digest}`);
            // The API may page its answer (a Link header, rel="next"); follow it on the same registry, a few pages at most.
            let next = nextPage(response.headers.get('link'), url);
            for (let page = 1; next && page < MAX_REFERRER_PAGES; page++) {
                const more = await this.request(ref, next, { headers: { Accept: MEDIA_TYPES.ociIndex } });
                await this.expectOk(more, `the referrers of ${digest} (page ${page + 1})`);
                const moreIndex = parseJson(await readCapped(more, this.maxManifestBytes, `the referrers of ${digest}`), `the referrers list of ${digest}`);
                index = { ...index, manifests: [...(index.manifests ?? []), ...(moreIndex.manifests ?? [])] };
                next = nextPage(more.headers.get('link'), next);
            }
        }
        else {
            // Registries without the API answer 404 (distribution 2.8, GHCR), 400, 405 or even 200
            // with an HTML page; all mean "look for the fallback tag". Refusals and outages do not.
            if (!response.ok && (response.status >= 500 || response.status === 403 || response.status === 429)) {
                await this.expectOk(response, `the referrers of ${digest}`);
            }
            await response.body?.cancel();
            try {
                index = (await this.getManifest(ref, digest.replace(':', '-'), [MEDIA_TYPES.ociIndex])).manifest;
            }
            catch (error) {
                if (error instanceof RegistryError && error.code === 'not-found')
                    return [];
                throw error;
            }
        }
        const found = index?.manifests ?? [];
        return artifactType ? found.filter((d) => d.artifactType === artifactType) : found;
    }
    /** Uploads a blob (monolithic POST then PUT) unless the registry has it. */
    async pushBlob(ref, bytes) {
        const digest = sha256(bytes);
        const base = this.baseUrl(ref.registry);
        const head = await this.request(ref, `${base}/v2/${ref.repository}/blobs/${digest}`, { method: 'HEAD' }, 'push');
        if (head.status !== 200) {
            const start = await this.request(ref, `${base}/v2/${ref.repository}/blobs/uploads/`, { method: 'POST' }, 'push');
            await this.expectOk(start, `starting an upload to ${ref.repository}`);
            await start.body?.cancel();
            const location = new URL(start.headers.get('location') ?? '', base);
            location.searchParams.set('digest', digest);
            const put = await this.request(ref, location.toString(), {
                method: 'PUT',
                body: bytes,
                headers: { 'Content-Type': 'application/octet-stream' },
            }, 'push');
            await this.expectOk(put, `uploading ${digest}`);
            await put.body?.cancel();
        }
        return { mediaType: 'application/octet-stream', digest, size: bytes.length };
    }
    /** Stores a manifest under a tag or its digest; returns its digest. */
    async pushManifest(ref, reference, bytes, mediaType) {
        const url = `${this.baseUrl(ref.registry)}/v2/${ref.repository}/manifests/${reference}`;
        const response = await this.request(ref, url, { method: 'PUT', body: bytes, headers: { 'Content-Type': mediaType } }, 'push');
        await this.expectOk(response, `storing the manifest ${reference}`);
        await response.body?.cancel();
        return sha256(bytes);
    }
    /** The credentials, when they are for this registry. */
    credentialsFor(registry) {
        if (!this.options.credentials)
            return undefined;
        this.credentialsRegistry ??= registry;
        return this.credentialsRegistry === registry ? this.options.credentials : undefined;
    }
    /** A token server may have the credentials when it is on the registry's host, or listed. */
    realmMayHaveCredentials(registry, realm) {
        const hosts = [registry, apiHost(registry)].map((host) => new URL(`http://${host}`).hostname);
        if (hosts.includes(realm.hostname))
            return true;
        const listed = [...(KNOWN_TOKEN_REALMS[registry] ?? []), ...(this.options.tokenRealms ?? [])];
        return listed.some((origin) => {
            try {
                return new URL(origin).origin === realm.origin;
            }
            catch {
                return false;
            }
        });
    }
    async request(ref, url, init, action = 'pull') {
        const credentials = this.credentialsFor(ref.registry);
        const scope = `repository:${ref.repository}:${action === 'push' ? 'pull,push' : 'pull'}`;
        const key = `${ref.registry}|${scope}`;
        const send = (authorization) => {
            const headers = new Headers(init.headers);
            if (authorization)
                headers.set('Authorization', authorization);
            return this.fetch(url, { ...init, headers });
        };
        const cached = this.tokens.get(key);
        let response = await send(cached);
        if (response.status !== 401)
            return response;
        await response.body?.cancel();
        const challenges = parseAuthenticate(response.headers.get('www-authenticate') ?? '');
        const bearer = challenges.find((c) => c.scheme === 'bearer');
        const basic = challenges.find((c) => c.scheme === 'basic');
        let authorization;
        if (bearer?.params['realm']) {
            authorization = `Bearer ${await this.fetchToken(bearer.params, scope, ref.registry)}`;
        }
        else if (basic && credentials) {
            authorization = basicAuthorization(credentials);
        }
        else {
            const why = credentials
                ? ''
                : this.options.credentials
                    ? `; the credentials given are for ${this.credentialsRegistry} and are not sent to another registry`
                    : '; set registry-username and registry-password';
            throw new RegistryError('unauthorized', `${ref.registry} requires authentication for ${ref.repository}${why}`, 401);
        }
        this.tokens.set(key, authorization);
        response = await send(authorization);
        if (response.status === 401 || response.status === 403) {
            await response.body?.cancel();
            const withheld = this.withheld.get(ref.registry);
            const what = withheld ? 'anonymous token' : credentials ? 'given credentials' : 'anonymous token';
            throw new RegistryError(response.status === 401 ? 'unauthorized' : 'denied', `${ref.registry} refused the ${what} for ${ref.repository} (HTTP ${response.status})${withheld ?? ''}`, response.status);
        }
        return response;
    }
    async fetchToken(params, scope, registry) {
        const realm = new URL(params['realm']);
        // Credentials go only where the registry points and only over TLS (or to loopback).
        if (realm.protocol !== 'https:' && !isLoopbackRegistry(realm.host) && !this.options.allowInsecure) {
            throw new RegistryError('bad-response', `${registry} sent a token realm over plain HTTP (${realm.origin}); refusing to send credentials there`);
        }
        if (params['service'])
            realm.searchParams.set('service', params['service']);
        realm.searchParams.set('scope', params['scope'] && !scope.endsWith('pull,push') ? params['scope'] : scope);
        const headers = {};
        let credentials = this.credentialsFor(registry);
        let withheld = '';
        if (credentials && !this.realmMayHaveCredentials(registry, realm)) {
            // A registry could name any host as its realm and collect the credentials there.
            withheld = `; the credentials were not sent to its token service ${realm.origin} because it is not on ${registry}'s host (list it in registry-token-realms if it is ${registry}'s own token service)`;
            this.withheld.set(registry, withheld);
            this.log.warning(`${registry} names a token service on another host (${realm.origin}); asking it for an anonymous token, without the credentials.`);
            credentials = undefined;
        }
        if (credentials)
            headers['Authorization'] = basicAuthorization(credentials);
        const response = await this.fetch(realm.toString(), { headers });
        if (response.status === 401 || response.status === 403) {
            await response.body?.cancel();
            throw new RegistryError('unauthorized', `the token service of ${registry} (${realm.origin}) refused ${credentials ? 'the given credentials' : 'an anonymous token'} (HTTP ${response.status})${withheld}`, response.status);
        }
        await this.expectOk(response, `a token from ${realm.origin}`);
        const body = parseJson(await readCapped(response, 1024 * 1024, 'the token response'), 'the token response');
        const token = body.token ?? body.access_token;
        if (!token)
            throw new RegistryError('bad-response', `the token service of ${registry} answered without a token`);
        this.log.mask(token);
        return token;
    }
    async fetch(url, init) {
        try {
            return await fetch(url, { ...init, redirect: 'follow', signal: AbortSignal.timeout(this.timeoutMs) });
        }
        catch (error) {
            const cause = error.cause;
            const detail = cause?.code ?? cause?.message ?? (0,lib/* errorMessage */.gJ)(error);
            throw new RegistryError('unreachable', `could not reach ${new URL(url).origin} (${detail})`);
        }
    }
    async expectOk(response, what) {
        if (response.ok)
            return;
        const text = (await response.text().catch(() => '')).slice(0, 300).replace(/\s+/g, ' ');
        throw new RegistryError(response.status === 403 ? 'denied' : 'bad-response', `the registry answered HTTP ${response.status} for ${what}${text ? `: ${text}` : ''}`, response.status);
    }
}
const MAX_REFERRER_PAGES = 10;
/** The `rel="next"` target of a Link header, resolved against `current`; only on the same origin. */
function nextPage(link, current) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/i.exec(link ?? '');
    if (!match)
        return undefined;
    const next = new URL(match[1], current);
    return next.origin === new URL(current).origin ? next.toString() : undefined;
}
function sha256(bytes) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
}
function parseJson(bytes, what) {
    try {
        return JSON.parse(bytes.toString('utf8'));
    }
    catch {
        throw new RegistryError('bad-response', `${what} is not JSON`);
    }
}
/** Reads a body, stopping as soon as it grows past `limit` so a hostile server cannot fill memory. */
async function readCapped(response, limit, what) {
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (Number.isFinite(length) && length > limit) {
        await response.body?.cancel();
        throw new RegistryError('too-large', `${what} is ${length} bytes; the limit is ${limit}`);
    }
    const chunks = [];
    let total = 0;
    if (!response.body)
        return Buffer.alloc(0);
    const reader = response.body.getReader();
    for (;;) {
        const { done, value } = await reader.read();
        if (done)
            break;
        total += value.byteLength;
        if (total > limit) {
            await reader.cancel();
            throw new RegistryError('too-large', `${what} is larger than the limit of ${limit} bytes`);
        }
        chunks.push(Buffer.from(value));
    }
    return Buffer.concat(chunks);
}
//# sourceMappingURL=client.js.map
;// CONCATENATED MODULE: ./packages/registry/lib/index.js



//# sourceMappingURL=index.js.map

/***/ }),

/***/ 1714:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  tq: () => (/* reexport */ PREDICATE_ALIASES),
  Pw: () => (/* reexport */ PUBLIC_GOOD_TRUSTED_ROOT_SOURCE),
  O$: () => (/* reexport */ ReasonedError),
  UD: () => (/* reexport */ VerificationFailure),
  uW: () => (/* reexport */ checkDockerReference),
  z7: () => (/* reexport */ cosignAttestationTypes),
  Ss: () => (/* reexport */ cosignPolicyArgs),
  zh: () => (/* reexport */ githubFromCosign),
  fg: () => (/* reexport */ loadPublicKey),
  t1: () => (/* reexport */ parseTrustedRoot),
  cB: () => (/* reexport */ publicGoodTrustedRoot),
  nA: () => (/* reexport */ readsOci11Referrers),
  iO: () => (/* reexport */ registryFailureReason),
  ty: () => (/* reexport */ requiredPredicate),
  gp: () => (/* reexport */ signerFromCosign),
  vW: () => (/* reexport */ sourceRepositoryName),
  ZG: () => (/* reexport */ verifyImage)
});

// UNUSED EXPORTS: ANNOTATIONS, COSIGN_SIGN_PREDICATE, COSIGN_SIG_ARTIFACT_TYPE, DSSE_MEDIA_TYPE, ERROR_CODES, IN_TOTO_PAYLOAD_TYPE, SIMPLE_SIGNING_MEDIA_TYPE, anchoredPattern, describeIdentity, failureFor, githubSource, identityMismatch, identityProblem, legacyTag, parseEnvelope, parseSimpleSigning, parseStatement, preAuthEncoding, predicateMatches, simpleSigningPayload, statementNamesDigest, trustMaterial, verifyBundle, verifyLegacySignature, verifySignature

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/signature/lib/public-key.js

/** Parses a PEM public key; throws an Error naming what is wrong (never quoting the text). */
function loadPublicKey(pem) {
    if (!/-----BEGIN (?:PUBLIC KEY|RSA PUBLIC KEY|EC PUBLIC KEY)-----/.test(pem)) {
        if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(pem)) {
            throw new Error('is a private key; pass the public key (cosign.pub), never the private one');
        }
        throw new Error('is not a PEM public key (expected -----BEGIN PUBLIC KEY-----)');
    }
    let key;
    try {
        key = (0,external_node_crypto_.createPublicKey)({ key: pem, format: 'pem' });
    }
    catch {
        throw new Error('is not a readable PEM public key');
    }
    const details = key.asymmetricKeyDetails ?? {};
    let algorithm;
    if (key.asymmetricKeyType === 'ec') {
        if (details.namedCurve !== 'prime256v1') {
            throw new Error(`is an ECDSA key on curve ${details.namedCurve ?? 'unknown'}; cosign keys use P-256`);
        }
        algorithm = 'ecdsa-p256';
    }
    else if (key.asymmetricKeyType === 'ed25519') {
        algorithm = 'ed25519';
    }
    else if (key.asymmetricKeyType === 'rsa') {
        if ((details.modulusLength ?? 0) < 2048)
            throw new Error('is an RSA key shorter than 2048 bits');
        algorithm = `rsa-${details.modulusLength}`;
    }
    else {
        throw new Error(`is a ${key.asymmetricKeyType ?? 'unknown'} key; use ECDSA P-256, Ed25519 or RSA`);
    }
    const der = key.export({ type: 'spki', format: 'der' });
    return {
        key,
        algorithm,
        fingerprint: `SHA256:${(0,external_node_crypto_.createHash)('sha256').update(der).digest('base64').replace(/=+$/, '')}`,
    };
}
/**
 * Checks a signature the way cosign makes them: ECDSA and RSA (PKCS#1 v1.5) over
 * the SHA-256 of the data, Ed25519 over the data itself.
 */
function verifySignature(publicKey, data, signature) {
    try {
        const hash = publicKey.algorithm === 'ed25519' ? null : 'sha256';
        return (0,external_node_crypto_.verify)(hash, data, publicKey.key, signature);
    }
    catch {
        return false;
    }
}
//# sourceMappingURL=public-key.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/predicate-types.js
/** The short names cosign's `--type` accepts, and the URIs they stand for. */
const ALIASES = {
    slsaprovenance: ['https://slsa.dev/provenance/v0.2', 'https://slsa.dev/provenance/v1'],
    slsaprovenance02: ['https://slsa.dev/provenance/v0.2'],
    slsaprovenance1: ['https://slsa.dev/provenance/v1'],
    spdxjson: ['https://spdx.dev/Document'],
    spdx: ['https://spdx.dev/Document'],
    cyclonedx: ['https://cyclonedx.org/bom'],
    vuln: ['https://cosign.sigstore.dev/attestation/vuln/v1'],
    custom: ['https://cosign.sigstore.dev/attestation/v1'],
};
/** Maps a user's predicate name to the URIs that satisfy it; undefined when it is neither an alias nor a URI. */
function requiredPredicate(name) {
    const alias = ALIASES[name.toLowerCase()];
    if (alias)
        return { name, accepts: alias };
    if (/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(name))
        return { name, accepts: [name] };
    return undefined;
}
const PREDICATE_ALIASES = Object.keys(ALIASES);
/** The SPDX predicate type carries a version suffix in some tools (`https://spdx.dev/Document/v2.3`). */
function predicateMatches(required, actual) {
    return required.accepts.some((uri) => actual === uri || (uri === 'https://spdx.dev/Document' && actual.startsWith(`${uri}/`)));
}
//# sourceMappingURL=predicate-types.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/identity.js
const GITHUB_OIDS = {
    workflowSha: '1.3.6.1.4.1.57264.1.3',
    workflowRepository: '1.3.6.1.4.1.57264.1.5',
    workflowRef: '1.3.6.1.4.1.57264.1.6',
    sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
    sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
    sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
    buildConfigUri: '1.3.6.1.4.1.57264.1.18',
};
// Fulcio's first extensions (.1.1 to .1.6) hold the raw string; later ones (.1.8 on) a DER UTF8String.
const LEGACY_OIDS = new Set([
    GITHUB_OIDS.workflowSha,
    GITHUB_OIDS.workflowRepository,
    GITHUB_OIDS.workflowRef,
]);
/**
 * Reads the GitHub extensions from the OID/value pairs sigstore-js returns for a verified
 * certificate (`Signer.identity.oids`). Undefined when the certificate has none.
 */
function githubSource(oids) {
    const values = new Map();
    for (const { oid, value } of oids ?? []) {
        if (!oid)
            continue;
        const id = oid.id.join('.');
        if (!Object.values(GITHUB_OIDS).includes(id))
            continue;
        const text = LEGACY_OIDS.has(id)
            ? Buffer.from(value).toString('utf8')
            : derUtf8String(Buffer.from(value));
        if (text !== undefined)
            values.set(id, text);
    }
    if (values.size === 0)
        return undefined;
    const pick = (oid) => values.get(oid);
    const source = {};
    const set = (key, value) => {
        if (value !== undefined)
            source[key] = value;
    };
    set('repositoryUri', pick(GITHUB_OIDS.sourceRepositoryUri));
    set('repository', pick(GITHUB_OIDS.workflowRepository));
    set('ref', pick(GITHUB_OIDS.sourceRepositoryRef));
    set('legacyRef', pick(GITHUB_OIDS.workflowRef));
    set('digest', pick(GITHUB_OIDS.sourceRepositoryDigest));
    set('legacyDigest', pick(GITHUB_OIDS.workflowSha));
    set('buildConfigUri', pick(GITHUB_OIDS.buildConfigUri));
    return source;
}
/** A DER UTF8String (tag 0x0c) or, leniently, IA5String/PrintableString; undefined otherwise. */
function derUtf8String(bytes) {
    if (bytes.length < 2 || ![0x0c, 0x16, 0x13].includes(bytes[0]))
        return undefined;
    let length = bytes[1];
    let offset = 2;
    if (length & 0x80) {
        const count = length & 0x7f;
        if (count === 0 || count > 3 || bytes.length < 2 + count)
            return undefined;
        length = 0;
        for (let i = 0; i < count; i++)
            length = (length << 8) | bytes[2 + i];
        offset = 2 + count;
    }
    if (offset + length !== bytes.length)
        return undefined;
    return bytes.subarray(offset).toString('utf8');
}
/** `owner/name` of the source repository, from .1.12 (any host) or legacy .1.5. */
function sourceRepositoryName(source) {
    if (source?.repositoryUri) {
        const match = /^https:\/\/[^/]+\/([^/]+\/[^/]+)$/.exec(source.repositoryUri);
        return match ? match[1] : source.repositoryUri;
    }
    return source?.repository;
}
/** The expected source repository as the URI .1.12 holds: `owner/name` means github.com. */
function expectedRepositoryUri(repository) {
    return /^https:\/\//.test(repository) ? repository.replace(/\/+$/, '') : `https://github.com/${repository}`;
}
/**
 * Anchors the pattern so that `https://github.com/org/` cannot match
 * `https://github.com/org/../evil`: the mistake most cosign users make.
 */
function anchoredPattern(pattern) {
    return new RegExp(`^(?:${pattern})$`);
}
/** Returns why the identity does not satisfy the policy, or undefined when it does. */
function identityProblem(policy, signer) {
    const san = signer.subjectAlternativeName ?? '(no identity)';
    if (policy.identity !== undefined && signer.subjectAlternativeName !== policy.identity) {
        return {
            rejection: 'wrong-identity',
            message: `signed, but by ${san} (issuer ${signer.issuer ?? 'unknown'}), not ${policy.identity}`,
        };
    }
    if (policy.identityRegexp !== undefined &&
        !anchoredPattern(policy.identityRegexp).test(signer.subjectAlternativeName ?? '')) {
        return {
            rejection: 'wrong-identity',
            message: `signed, but by ${san} (issuer ${signer.issuer ?? 'unknown'}), which does not match ^(?:${policy.identityRegexp})$`,
        };
    }
    if (policy.issuer !== undefined && signer.issuer !== policy.issuer) {
        return {
            rejection: 'wrong-issuer',
            message: `signed by ${san}, but its OIDC issuer is ${signer.issuer ?? 'unknown'}, not ${policy.issuer}`,
        };
    }
    return sourceProblem(policy, signer);
}
/**
 * The certificate's GitHub source claims against the policy. Every extension the certificate
 * carries for a required claim must equal it (the current one and its legacy twin), and at
 * least one must be present: a certificate that says nothing about its source proves nothing.
 */
function sourceProblem(policy, signer) {
    const source = signer.github ?? {};
    const by = `signed by ${signer.subjectAlternativeName ?? '(no identity)'}`;
    if (policy.githubWorkflowRepository !== undefined) {
        const wanted = policy.githubWorkflowRepository;
        const wantedUri = expectedRepositoryUri(wanted);
        const wantedName = /^https:\/\//.test(wanted) ? /^https:\/\/[^/]+\/(.+)$/.exec(wantedUri)?.[1] : wanted;
        const checks = [];
        if (source.repositoryUri !== undefined)
            checks.push(source.repositoryUri === wantedUri);
        if (source.repository !== undefined)
            checks.push(source.repository === wantedName);
        if (checks.length === 0) {
            return {
                rejection: 'wrong-source-repository',
                message: `${by}, but its certificate names no source repository (1.3.6.1.4.1.57264.1.12 or .1.5), so it cannot be from ${wanted}`,
            };
        }
        if (checks.includes(false)) {
            return {
                rejection: 'wrong-source-repository',
                message: `${by}, but from the repository ${sourceRepositoryName(source) ?? '?'}${source.buildConfigUri ? ` (workflow ${source.buildConfigUri})` : ''}, not ${wanted}`,
            };
        }
    }
    const claim = (rejection, wanted, what, oids, values) => {
        if (wanted === undefined)
            return undefined;
        const present = values.filter((v) => v !== undefined);
        if (present.length === 0)
            return {
                rejection,
                message: `${by}, but its certificate names no source ${what} (${oids}), so it cannot be for ${wanted}`,
            };
        const other = present.find((v) => v !== wanted);
        if (other !== undefined)
            return { rejection, message: `${by}, but for the source ${what} ${other}, not ${wanted}` };
        return undefined;
    };
    return (claim('wrong-source-ref', policy.githubWorkflowRef, 'ref', '1.3.6.1.4.1.57264.1.14 or .1.6', [
        source.ref,
        source.legacyRef,
    ]) ??
        claim('wrong-source-digest', policy.githubWorkflowSha?.toLowerCase(), 'commit', '1.3.6.1.4.1.57264.1.13 or .1.3', [source.digest?.toLowerCase(), source.legacyDigest?.toLowerCase()]));
}
/** Returns why the identity does not satisfy the policy, or undefined when it does. */
function identityMismatch(policy, signer) {
    return identityProblem(policy, signer)?.message;
}
function describeIdentity(signer) {
    return `${signer.subjectAlternativeName ?? '(no identity)'} (issuer ${signer.issuer ?? 'unknown'})`;
}
//# sourceMappingURL=identity.js.map
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
;// CONCATENATED MODULE: ./packages/signature/lib/failure.js

/** The public `error-code` of each reason. Existing values are public API: never change one. */
const ERROR_CODES = {
    'no-signature': 'no-signature',
    'wrong-signer': 'wrong-signer',
    'wrong-source': 'wrong-source',
    'wrong-docker-reference': 'wrong-docker-reference',
    'invalid-signature': 'invalid-signature',
    'attestation-missing': 'attestation-missing',
    'image-not-found': 'image-not-found',
    'registry-tampered': 'registry-tampered',
    'registry-unauthorized': 'registry-unauthorized',
    'registry-denied': 'registry-denied',
    'registry-too-large': 'registry-too-large',
    'registry-bad-response': 'registry-bad-response',
    'registry-unreachable': 'registry-unreachable',
    'github-unauthorized': 'github-unauthorized',
    'github-unreachable': 'github-unreachable',
    'cosign-install-failed': 'cosign-install-failed',
    'cosign-checksum-mismatch': 'cosign-checksum-mismatch',
    'cosign-failed': 'cosign-failed',
};
/** A UserError carrying a typed reason; its `code` (the `error-code` output) comes from ERROR_CODES. */
class ReasonedError extends lib/* UserError */.yo {
    reason;
    constructor(reason, message) {
        super(ERROR_CODES[reason], message);
        this.reason = reason;
    }
}
/** What a rejected signature says about the image, when no signature passed. */
const REJECTION_FAILURE = {
    malformed: 'invalid-signature',
    'bad-signature': 'invalid-signature',
    'other-image': 'invalid-signature',
    'wrong-kind': 'wrong-signer',
    'wrong-identity': 'wrong-signer',
    'wrong-issuer': 'wrong-signer',
    'wrong-source-repository': 'wrong-source',
    'wrong-source-ref': 'wrong-source',
    'wrong-source-digest': 'wrong-source',
    'wrong-docker-reference': 'wrong-docker-reference',
};
// When several signatures fail differently, report the one that came closest to passing:
// right signer and source but another repository, then the right signer from another source,
// then another signer, then signatures that do not verify at all.
const CLOSENESS = [
    'wrong-docker-reference',
    'wrong-source',
    'wrong-signer',
    'invalid-signature',
];
/** The image-level reason for a set of rejected signatures (none of which passed). */
function failureFor(rejections) {
    const reasons = new Set(rejections.map((r) => REJECTION_FAILURE[r]));
    return CLOSENESS.find((reason) => reasons.has(reason)) ?? 'invalid-signature';
}
/** The `RegistryError` codes of @deploy-actions/registry, as failure reasons. */
function registryFailureReason(code) {
    switch (code) {
        case 'not-found':
            return 'image-not-found';
        case 'digest-mismatch':
            return 'registry-tampered';
        default:
            return `registry-${code}`;
    }
}
//# sourceMappingURL=failure.js.map
// EXTERNAL MODULE: ./node_modules/@sigstore/protobuf-specs/dist/index.js
var dist = __webpack_require__(9654);
// EXTERNAL MODULE: ./node_modules/@sigstore/verify/dist/index.js
var verify_dist = __webpack_require__(4187);
;// CONCATENATED MODULE: ./packages/signature/lib/public-good-trusted-root.js
// The sigstore public-good instance's trusted root (Fulcio CAs, Rekor v1/v2 and CT log keys,
// the timestamp authority), as shipped in the TUF seed of @sigstore/tuf@5.0.1 (seeds.json,
// target trusted_root.json). Shipped so that verification needs no network; pass
// `trusted-root` for a newer one. Regenerate: npm pack @sigstore/tuf@<version>, base64-decode
// targets["trusted_root.json"] of seeds.json["https://tuf-repo-cdn.sigstore.dev"].
const PUBLIC_GOOD_TRUSTED_ROOT_SOURCE = '@sigstore/tuf@5.0.1 seeds.json';
const PUBLIC_GOOD_TRUSTED_ROOT = {
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [
        {
            baseUrl: 'https://rekor.sigstore.dev',
            hashAlgorithm: 'SHA2_256',
            publicKey: {
                rawBytes: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE2G2Y+2tabdTV5BcGiBIx0a9fAFwrkBbmLSGtks4L3qX6yYY0zufBnhC8Ur/iy55GhWP/9A/bY2LhC30M9+RYtw==',
                keyDetails: 'PKIX_ECDSA_P256_SHA_256',
                validFor: {
                    start: '2021-01-12T11:53:27Z',
                },
            },
            logId: {
                keyId: 'wNI9atQGlz+VWfO6LRygH4QUfY/8W4RFwiT5i5WRgB0=',
            },
        },
        {
            baseUrl: 'https://log2025-1.rekor.sigstore.dev',
            hashAlgorithm: 'SHA2_256',
            publicKey: {
                rawBytes: 'MCowBQYDK2VwAyEAt8rlp1knGwjfbcXAYPYAkn0XiLz1x8O4t0YkEhie244=',
                keyDetails: 'PKIX_ED25519',
                validFor: {
                    start: '2025-09-23T00:00:00Z',
                },
            },
            logId: {
                keyId: 'zxGZFVvd0FEmjR8WrFwMdcAJ9vtaY/QXf44Y1wUeP6A=',
            },
        },
    ],
    certificateAuthorities: [
        {
            subject: {
                organization: 'sigstore.dev',
                commonName: 'sigstore',
            },
            uri: 'https://fulcio.sigstore.dev',
            certChain: {
                certificates: [
                    {
                        rawBytes: 'MIIB+DCCAX6gAwIBAgITNVkDZoCiofPDsy7dfm6geLbuhzAKBggqhkjOPQQDAzAqMRUwEwYDVQQKEwxzaWdzdG9yZS5kZXYxETAPBgNVBAMTCHNpZ3N0b3JlMB4XDTIxMDMwNzAzMjAyOVoXDTMxMDIyMzAzMjAyOVowKjEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MREwDwYDVQQDEwhzaWdzdG9yZTB2MBAGByqGSM49AgEGBSuBBAAiA2IABLSyA7Ii5k+pNO8ZEWY0ylemWDowOkNa3kL+GZE5Z5GWehL9/A9bRNA3RbrsZ5i0JcastaRL7Sp5fp/jD5dxqc/UdTVnlvS16an+2Yfswe/QuLolRUCrcOE2+2iA5+tzd6NmMGQwDgYDVR0PAQH/BAQDAgEGMBIGA1UdEwEB/wQIMAYBAf8CAQEwHQYDVR0OBBYEFMjFHQBBmiQpMlEk6w2uSu1KBtPsMB8GA1UdIwQYMBaAFMjFHQBBmiQpMlEk6w2uSu1KBtPsMAoGCCqGSM49BAMDA2gAMGUCMH8liWJfMui6vXXBhjDgY4MwslmN/TJxVe/83WrFomwmNf056y1X48F9c4m3a3ozXAIxAKjRay5/aj/jsKKGIkmQatjI8uupHr/+CxFvaJWmpYqNkLDGRU+9orzh5hI2RrcuaQ==',
                    },
                ],
            },
            validFor: {
                start: '2021-03-07T03:20:29Z',
                end: '2022-12-31T23:59:59.999Z',
            },
        },
        {
            subject: {
                organization: 'sigstore.dev',
                commonName: 'sigstore',
            },
            uri: 'https://fulcio.sigstore.dev',
            certChain: {
                certificates: [
                    {
                        rawBytes: 'MIICGjCCAaGgAwIBAgIUALnViVfnU0brJasmRkHrn/UnfaQwCgYIKoZIzj0EAwMwKjEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MREwDwYDVQQDEwhzaWdzdG9yZTAeFw0yMjA0MTMyMDA2MTVaFw0zMTEwMDUxMzU2NThaMDcxFTATBgNVBAoTDHNpZ3N0b3JlLmRldjEeMBwGA1UEAxMVc2lnc3RvcmUtaW50ZXJtZWRpYXRlMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE8RVS/ysH+NOvuDZyPIZtilgUF9NlarYpAd9HP1vBBH1U5CV77LSS7s0ZiH4nE7Hv7ptS6LvvR/STk798LVgMzLlJ4HeIfF3tHSaexLcYpSASr1kS0N/RgBJz/9jWCiXno3sweTAOBgNVHQ8BAf8EBAMCAQYwEwYDVR0lBAwwCgYIKwYBBQUHAwMwEgYDVR0TAQH/BAgwBgEB/wIBADAdBgNVHQ4EFgQU39Ppz1YkEZb5qNjpKFWixi4YZD8wHwYDVR0jBBgwFoAUWMAeX5FFpWapesyQoZMi0CrFxfowCgYIKoZIzj0EAwMDZwAwZAIwPCsQK4DYiZYDPIaDi5HFKnfxXx6ASSVmERfsynYBiX2X6SJRnZU84/9DZdnFvvxmAjBOt6QpBlc4J/0DxvkTCqpclvziL6BCCPnjdlIB3Pu3BxsPmygUY7Ii2zbdCdliiow=',
                    },
                    {
                        rawBytes: 'MIIB9zCCAXygAwIBAgIUALZNAPFdxHPwjeDloDwyYChAO/4wCgYIKoZIzj0EAwMwKjEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MREwDwYDVQQDEwhzaWdzdG9yZTAeFw0yMTEwMDcxMzU2NTlaFw0zMTEwMDUxMzU2NThaMCoxFTATBgNVBAoTDHNpZ3N0b3JlLmRldjERMA8GA1UEAxMIc2lnc3RvcmUwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAT7XeFT4rb3PQGwS4IajtLk3/OlnpgangaBclYpsYBr5i+4ynB07ceb3LP0OIOZdxexX69c5iVuyJRQ+Hz05yi+UF3uBWAlHpiS5sh0+H2GHE7SXrk1EC5m1Tr19L9gg92jYzBhMA4GA1UdDwEB/wQEAwIBBjAPBgNVHRMBAf8EBTADAQH/MB0GA1UdDgQWBBRYwB5fkUWlZql6zJChkyLQKsXF+jAfBgNVHSMEGDAWgBRYwB5fkUWlZql6zJChkyLQKsXF+jAKBggqhkjOPQQDAwNpADBmAjEAj1nHeXZp+13NWBNa+EDsDP8G1WWg1tCMWP/WHPqpaVo0jhsweNFZgSs0eE7wYI4qAjEA2WB9ot98sIkoF3vZYdd3/VtWB5b9TNMea7Ix/stJ5TfcLLeABLE4BNJOsQ4vnBHJ',
                    },
                ],
            },
            validFor: {
                start: '2022-04-13T20:06:15Z',
            },
        },
    ],
    ctlogs: [
        {
            baseUrl: 'https://ctfe.sigstore.dev/test',
            hashAlgorithm: 'SHA2_256',
            publicKey: {
                rawBytes: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEbfwR+RJudXscgRBRpKX1XFDy3PyudDxz/SfnRi1fT8ekpfBd2O1uoz7jr3Z8nKzxA69EUQ+eFCFI3zeubPWU7w==',
                keyDetails: 'PKIX_ECDSA_P256_SHA_256',
                validFor: {
                    start: '2021-03-14T00:00:00Z',
                    end: '2022-10-31T23:59:59.999Z',
                },
            },
            logId: {
                keyId: 'CGCS8ChS/2hF0dFrJ4ScRWcYrBY9wzjSbea8IgY2b3I=',
            },
        },
        {
            baseUrl: 'https://ctfe.sigstore.dev/2022',
            hashAlgorithm: 'SHA2_256',
            publicKey: {
                rawBytes: 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEiPSlFi0CmFTfEjCUqF9HuCEcYXNKAaYalIJmBZ8yyezPjTqhxrKBpMnaocVtLJBI1eM3uXnQzQGAJdJ4gs9Fyw==',
                keyDetails: 'PKIX_ECDSA_P256_SHA_256',
                validFor: {
                    start: '2022-10-20T00:00:00Z',
                },
            },
            logId: {
                keyId: '3T0wasbHETJjGR4cmWc3AqJKXrjePK3/h4pygC8p7o4=',
            },
        },
    ],
    timestampAuthorities: [
        {
            subject: {
                organization: 'sigstore.dev',
                commonName: 'sigstore-tsa-selfsigned',
            },
            uri: 'https://timestamp.sigstore.dev/api/v1/timestamp',
            certChain: {
                certificates: [
                    {
                        rawBytes: 'MIICEDCCAZagAwIBAgIUOhNULwyQYe68wUMvy4qOiyojiwwwCgYIKoZIzj0EAwMwOTEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MSAwHgYDVQQDExdzaWdzdG9yZS10c2Etc2VsZnNpZ25lZDAeFw0yNTA0MDgwNjU5NDNaFw0zNTA0MDYwNjU5NDNaMC4xFTATBgNVBAoTDHNpZ3N0b3JlLmRldjEVMBMGA1UEAxMMc2lnc3RvcmUtdHNhMHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE4ra2Z8hKNig2T9kFjCAToGG30jky+WQv3BzL+mKvh1SKNR/UwuwsfNCg4sryoYAd8E6isovVA3M4aoNdm9QDi50Z8nTEyvqgfDPtTIwXItfiW/AFf1V7uwkbkAoj0xxco2owaDAOBgNVHQ8BAf8EBAMCB4AwHQYDVR0OBBYEFIn9eUOHz9BlRsMCRscsc1t9tOsDMB8GA1UdIwQYMBaAFJjsAe9/u1H/1JUeb4qImFMHic6/MBYGA1UdJQEB/wQMMAoGCCsGAQUFBwMIMAoGCCqGSM49BAMDA2gAMGUCMDtpsV/6KaO0qyF/UMsX2aSUXKQFdoGTptQGc0ftq1csulHPGG6dsmyMNd3JB+G3EQIxAOajvBcjpJmKb4Nv+2Taoj8Uc5+b6ih6FXCCKraSqupe07zqswMcXJTe1cExvHvvlw==',
                    },
                    {
                        rawBytes: 'MIIB9zCCAXygAwIBAgIUV7f0GLDOoEzIh8LXSW80OJiUp14wCgYIKoZIzj0EAwMwOTEVMBMGA1UEChMMc2lnc3RvcmUuZGV2MSAwHgYDVQQDExdzaWdzdG9yZS10c2Etc2VsZnNpZ25lZDAeFw0yNTA0MDgwNjU5NDNaFw0zNTA0MDYwNjU5NDNaMDkxFTATBgNVBAoTDHNpZ3N0b3JlLmRldjEgMB4GA1UEAxMXc2lnc3RvcmUtdHNhLXNlbGZzaWduZWQwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAQUQNtfRT/ou3YATa6wB/kKTe70cfJwyRIBovMnt8RcJph/COE82uyS6FmppLLL1VBPGcPfpQPYJNXzWwi8icwhKQ6W/Qe2h3oebBb2FHpwNJDqo+TMaC/tdfkv/ElJB72jRTBDMA4GA1UdDwEB/wQEAwIBBjASBgNVHRMBAf8ECDAGAQH/AgEAMB0GA1UdDgQWBBSY7AHvf7tR/9SVHm+KiJhTB4nOvzAKBggqhkjOPQQDAwNpADBmAjEAwGEGrfGZR1cen1R8/DTVMI943LssZmJRtDp/i7SfGHmGRP6gRbuj9vOK3b67Z0QQAjEAuT2H673LQEaHTcyQSZrkp4mX7WwkmF+sVbkYY5mXN+RMH13KUEHHOqASaemYWK/E',
                    },
                ],
            },
            validFor: {
                start: '2025-07-04T00:00:00Z',
            },
        },
    ],
};
//# sourceMappingURL=public-good-trusted-root.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/trust.js



/** Parses a trusted_root.json; throws an Error saying what is wrong. */
function parseTrustedRoot(json) {
    const missing = missingValidityStart(json);
    // A bound left out must not be read as "valid since forever"; sigstore's clients reject it too.
    if (missing)
        throw new Error(`is malformed: ${missing} has no validFor.start`);
    const root = dist.TrustedRoot.fromJSON(json);
    if (root.certificateAuthorities.length === 0 && root.tlogs.length === 0) {
        throw new Error('has neither certificate authorities nor transparency logs; is it a sigstore trusted_root.json?');
    }
    return root;
}
function publicGoodTrustedRoot() {
    return parseTrustedRoot(PUBLIC_GOOD_TRUSTED_ROOT);
}
/**
 * What sigstore-js checks against: the root's CAs and logs and, for key-based
 * bundles, the user's key whatever hint the bundle carries (the key is the policy).
 */
function trustMaterial(root, key) {
    // The verifier is typed against its own copy of protobuf-specs; the JSON shape is the same.
    const material = (0,verify_dist/* toTrustMaterial */.jO)(root, key ? () => ({ publicKey: key.key, validFor: () => true }) : undefined);
    return material;
}
function missingValidityStart(json) {
    const root = (json ?? {});
    for (const field of ['tlogs', 'ctlogs']) {
        for (const log of root[field] ?? []) {
            if (log.publicKey && !log.publicKey.validFor?.start)
                return `the ${field} entry ${log.baseUrl ?? '(no URL)'}`;
        }
    }
    for (const field of ['certificateAuthorities', 'timestampAuthorities']) {
        for (const ca of root[field] ?? []) {
            if (!ca.validFor?.start)
                return `the ${field} entry ${ca.uri ?? '(no URI)'}`;
        }
    }
    return undefined;
}
//# sourceMappingURL=trust.js.map
// EXTERNAL MODULE: ./node_modules/@sigstore/bundle/dist/index.js
var bundle_dist = __webpack_require__(1040);
;// CONCATENATED MODULE: ./packages/signature/lib/dsse.js
const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
/** The DSSE pre-authentication encoding: what the signature is really over. */
function preAuthEncoding(payloadType, payload) {
    const type = Buffer.from(payloadType, 'utf8');
    return Buffer.concat([
        Buffer.from(`DSSEv1 ${type.length} `),
        type,
        Buffer.from(` ${payload.length} `),
        payload,
    ]);
}
function parseEnvelope(bytes) {
    let parsed;
    try {
        parsed = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return 'the attestation is not a JSON DSSE envelope';
    }
    if (typeof parsed?.payloadType !== 'string' ||
        typeof parsed.payload !== 'string' ||
        !Array.isArray(parsed.signatures)) {
        return 'the attestation is not a DSSE envelope (payloadType, payload, signatures)';
    }
    return parsed;
}
function parseStatement(payload) {
    let parsed;
    try {
        parsed = JSON.parse(payload.toString('utf8'));
    }
    catch {
        return 'the attestation payload is not JSON';
    }
    if (typeof parsed?.predicateType !== 'string' || !Array.isArray(parsed.subject)) {
        return 'the attestation payload is not an in-toto statement';
    }
    return parsed;
}
/** True when the statement names the digest (`sha256:<hex>`) among its subjects. */
function statementNamesDigest(statement, digest) {
    const hex = digest.replace(/^sha256:/, '');
    return statement.subject.some((s) => s.digest?.['sha256'] === hex);
}
//# sourceMappingURL=dsse.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/rekor2-dsse.js


const HASHEDREKORD_V2 = { kind: 'hashedrekord', version: '0.0.2' };
/** SHA-256 of the envelope's pre-authentication encoding: what a Rekor v2 entry records. */
function signedDigest(envelope) {
    return (0,external_node_crypto_.createHash)('sha256').update(preAuthEncoding(envelope.payloadType, envelope.payload)).digest();
}
const same = (a, b) => a.length === b.length && (0,external_node_crypto_.timingSafeEqual)(a, b);
function bytes(value) {
    if (typeof value !== 'string')
        return undefined;
    // proto3 JSON bytes: standard or URL-safe base64.
    if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(value))
        return undefined;
    return Buffer.from(value, 'base64');
}
function field(value, ...path) {
    let at = value;
    for (const key of path) {
        if (typeof at !== 'object' || at === null)
            return undefined;
        at = at[key];
    }
    return at;
}
/**
 * Checks a hashedrekord 0.0.2 entry's canonicalized body against a DSSE envelope: the
 * logged digest is SHA-256 of the PAE, the logged signature is the envelope's, the logged
 * verifier is the bundle's certificate (or key). Returns what differs, or undefined.
 */
function hashedRekordDsseProblem(canonicalizedBody, envelope) {
    let body;
    try {
        body = JSON.parse(canonicalizedBody.toString('utf8'));
    }
    catch {
        return 'the transparency log entry body is not JSON';
    }
    if (field(body, 'kind') !== HASHEDREKORD_V2.kind || field(body, 'apiVersion') !== HASHEDREKORD_V2.version) {
        return 'the transparency log entry body is not hashedrekord 0.0.2';
    }
    const spec = field(body, 'spec', 'hashedRekordV002');
    if (spec === undefined)
        return 'the hashedrekord 0.0.2 entry has no hashedRekordV002 spec';
    if (field(spec, 'data', 'algorithm') !== 'SHA2_256') {
        return 'the hashedrekord 0.0.2 entry does not record a SHA-256 digest';
    }
    const digest = bytes(field(spec, 'data', 'digest'));
    if (digest === undefined || !same(digest, signedDigest(envelope))) {
        return 'digest mismatch: the logged digest is not SHA-256 of the envelope (PAE of payloadType and payload)';
    }
    const signature = bytes(field(spec, 'signature', 'content'));
    if (signature === undefined || signature.length === 0 || !same(signature, envelope.signature)) {
        return "signature mismatch: the logged signature is not the envelope's";
    }
    const verifier = field(spec, 'signature', 'verifier');
    const logged = envelope.verifier.kind === 'certificate'
        ? bytes(field(verifier, 'x509Certificate', 'rawBytes'))
        : bytes(field(verifier, 'publicKey', 'rawBytes'));
    if (logged === undefined || !same(logged, envelope.verifier.der)) {
        return envelope.verifier.kind === 'certificate'
            ? "verifier mismatch: the logged certificate is not the bundle's"
            : 'verifier mismatch: the logged public key is not the verifying key';
    }
    return undefined;
}
//# sourceMappingURL=rekor2-dsse.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/bundle-verify.js






/**
 * Verifies a sigstore bundle (JSON) with sigstore-js: signature, certificate chain
 * to the root's CA, SCTs, transparency-log inclusion and timestamps; then the
 * identity policy. `artifact` is the signed bytes for message signatures.
 */
function verifyBundle(json, artifact, policy, root) {
    let bundle;
    try {
        bundle = (0,bundle_dist/* bundleFromJSON */.vw)(json);
    }
    catch (error) {
        return {
            ok: false,
            rejection: 'malformed',
            reason: `the sigstore bundle is malformed (${(0,lib/* errorMessage */.gJ)(error)})`,
        };
    }
    const key = policy.kind === 'key' ? policy.key : undefined;
    let signer;
    try {
        const entity = (0,verify_dist/* toSignedEntity */.DC)(bundle, artifact);
        if (policy.kind === 'key' && entity.key.$case !== 'public-key') {
            return {
                ok: false,
                rejection: 'wrong-kind',
                reason: 'signed keylessly (a certificate), but a key was required',
            };
        }
        if (policy.kind === 'keyless' && entity.key.$case !== 'certificate') {
            return {
                ok: false,
                rejection: 'wrong-kind',
                reason: 'signed with a key, but a keyless identity was required',
            };
        }
        const logged = rekorV2Dsse(bundle, entity, key);
        if (typeof logged === 'string') {
            return {
                ok: false,
                rejection: 'bad-signature',
                reason: `the sigstore bundle does not verify: ${logged}`,
            };
        }
        // A private sigstore deployment may run without a CT log; a root that lists none
        // cannot vouch for SCTs, so none are required then. The public-good root lists CT logs.
        // With a key, the key is the trust: no log entry or timestamp is required, as
        // `cosign verify --key --insecure-ignore-tlog` (and our legacy path) does; cosign signs
        // with `--tlog-upload=false` into bundles that carry neither. Entries present are still checked.
        const options = {
            ...(root.ctlogs.length === 0 ? { ctlogThreshold: 0 } : {}),
            ...(policy.kind === 'key' ? { tlogThreshold: 0, timestampThreshold: 0 } : {}),
        };
        signer = new verify_dist/* Verifier */.BL(trustMaterial(root, key), options).verify(logged ?? entity);
    }
    catch (error) {
        return {
            ok: false,
            rejection: 'bad-signature',
            reason: `the sigstore bundle does not verify: ${(0,lib/* errorMessage */.gJ)(error)}`,
        };
    }
    if (policy.kind === 'key')
        return { ok: true, signer: { fingerprint: policy.key.fingerprint } };
    const identity = {
        ...(signer.identity?.subjectAlternativeName !== undefined
            ? { subjectAlternativeName: signer.identity.subjectAlternativeName }
            : {}),
        ...(signer.identity?.extensions?.issuer !== undefined
            ? { issuer: signer.identity.extensions.issuer }
            : {}),
    };
    // The certificate was verified above, so its GitHub extensions are Fulcio's word.
    const github = githubSource(signer.identity?.oids);
    if (github)
        identity.github = github;
    const problem = identityProblem(policy.identity, identity);
    if (problem)
        return { ok: false, rejection: problem.rejection, reason: problem.message, signer: identity };
    return { ok: true, signer: identity };
}
/**
 * A DSSE envelope logged to Rekor v2 as hashedrekord 0.0.2 (see rekor2-dsse.ts): checks each
 * entry's body against the envelope, its certificate or key, and returns the entity with the
 * digest comparison @sigstore/verify then makes (while it checks inclusion, checkpoint and
 * signature) being against SHA-256(PAE) instead of SHA-256(payload). Undefined for any other
 * bundle; a string says why the entries do not match.
 */
function rekorV2Dsse(bundle, entity, key) {
    if (bundle.content.$case !== 'dsseEnvelope')
        return undefined;
    const entries = bundle.verificationMaterial.tlogEntries;
    const isV2 = (kv) => kv?.kind === HASHEDREKORD_V2.kind && kv.version === HASHEDREKORD_V2.version;
    const v2 = entries.filter((entry) => isV2(entry.kindVersion));
    if (v2.length === 0)
        return undefined;
    if (v2.length !== entries.length) {
        return 'the DSSE envelope is logged both as hashedrekord 0.0.2 and as another kind; only one kind per bundle is supported';
    }
    const envelope = bundle.content.dsseEnvelope;
    const material = bundle.verificationMaterial.content;
    let verifier;
    if (material.$case === 'certificate')
        verifier = { kind: 'certificate', der: material.certificate.rawBytes };
    else if (material.$case === 'x509CertificateChain') {
        const leaf = material.x509CertificateChain.certificates[0];
        if (leaf)
            verifier = { kind: 'certificate', der: leaf.rawBytes };
    }
    else if (key)
        verifier = { kind: 'public-key', der: key.key.export({ type: 'spki', format: 'der' }) };
    if (!verifier)
        return 'the bundle names no certificate or key that its log entry could be checked against';
    const logged = {
        payloadType: envelope.payloadType,
        payload: envelope.payload,
        signature: envelope.signatures[0]?.sig ?? Buffer.alloc(0),
        verifier,
    };
    for (const entry of v2) {
        const problem = hashedRekordDsseProblem(entry.canonicalizedBody, logged);
        if (problem)
            return problem;
    }
    const digest = signedDigest(logged);
    const content = entity.signature;
    return {
        ...entity,
        signature: {
            get signature() {
                return content.signature;
            },
            compareSignature: (signature) => content.compareSignature(signature),
            compareDigest: (candidate) => candidate.length === digest.length && candidate.equals(digest),
            verifySignature: (k) => content.verifySignature(k),
        },
    };
}
//# sourceMappingURL=bundle-verify.js.map
// EXTERNAL MODULE: ./packages/registry/lib/index.js + 3 modules
var registry_lib = __webpack_require__(3712);
;// CONCATENATED MODULE: ./packages/signature/lib/cosign-legacy.js






/** The layer annotations cosign writes on each signature in a `.sig` or `.att` image. */
const ANNOTATIONS = {
    signature: 'dev.cosignproject.cosign/signature',
    certificate: 'dev.sigstore.cosign/certificate',
    chain: 'dev.sigstore.cosign/chain',
    rekorBundle: 'dev.sigstore.cosign/bundle',
};
const DSSE_MEDIA_TYPE = 'application/vnd.dsse.envelope.v1+json';
/** `sha256-<hex>.sig` / `.att`: where cosign's legacy scheme stores what it attached to a digest. */
function legacyTag(digest, suffix) {
    return `${digest.replace(':', '-')}.${suffix}`;
}
/**
 * Checks one legacy signature over `signed` (the payload bytes for `.sig`, the DSSE
 * envelope for `.att`). With a key, the signature alone is checked (as
 * `cosign verify --key --insecure-ignore-tlog` does; a key needs no log). Keyless
 * signatures carry a certificate and a Rekor SET: they are turned into a sigstore
 * bundle so sigstore-js checks chain, SCT, SET and identity as for any bundle.
 */
function verifyLegacySignature(signed, annotations, policy, root) {
    const signatureText = 'payload' in signed ? annotations[ANNOTATIONS.signature] : signed.envelope.signatures[0]?.sig;
    if (!signatureText)
        return { ok: false, rejection: 'malformed', reason: 'the signature annotation is missing' };
    const signature = Buffer.from(signatureText, 'base64');
    const certificate = annotations[ANNOTATIONS.certificate];
    if (policy.kind === 'key') {
        const data = 'payload' in signed
            ? signed.payload
            : preAuthEncoding(signed.envelope.payloadType, Buffer.from(signed.envelope.payload, 'base64'));
        if (verifySignature(policy.key, data, signature))
            return { ok: true, signer: { fingerprint: policy.key.fingerprint } };
        return certificate
            ? {
                ok: false,
                rejection: 'wrong-kind',
                reason: 'signed keylessly (a certificate), not by the given key',
            }
            : {
                ok: false,
                rejection: 'bad-signature',
                reason: 'the signature does not verify with the given key (another key made it, or the signed bytes were altered)',
            };
    }
    if (!certificate)
        return {
            ok: false,
            rejection: 'wrong-kind',
            reason: 'signed with a key, but a keyless identity was required',
        };
    const rekorText = annotations[ANNOTATIONS.rekorBundle];
    if (!rekorText)
        return {
            ok: false,
            rejection: 'bad-signature',
            reason: 'the keyless signature has no Rekor entry (dev.sigstore.cosign/bundle); it cannot be checked',
        };
    let bundleJson;
    try {
        bundleJson = legacyToBundle(signed, signatureText, certificate, JSON.parse(rekorText));
    }
    catch (error) {
        return {
            ok: false,
            rejection: 'malformed',
            reason: `the keyless signature's certificate or Rekor entry is malformed (${(0,lib/* errorMessage */.gJ)(error)})`,
        };
    }
    return verifyBundle(bundleJson, 'payload' in signed ? signed.payload : undefined, policy, root);
}
function legacyToBundle(signed, signature, certificatePem, rekor) {
    const leaf = new external_node_crypto_.X509Certificate(certificatePem);
    const body = JSON.parse(Buffer.from(rekor.Payload.body, 'base64').toString('utf8'));
    const content = 'payload' in signed
        ? {
            messageSignature: {
                messageDigest: {
                    algorithm: 'SHA2_256',
                    digest: Buffer.from((0,registry_lib/* sha256 */.sc)(signed.payload).slice(7), 'hex').toString('base64'),
                },
                signature,
            },
        }
        : {
            dsseEnvelope: {
                payload: signed.envelope.payload,
                payloadType: signed.envelope.payloadType,
                signatures: [{ sig: signature, keyid: '' }],
            },
        };
    return {
        mediaType: 'application/vnd.dev.sigstore.bundle+json;version=0.1',
        verificationMaterial: {
            x509CertificateChain: { certificates: [{ rawBytes: leaf.raw.toString('base64') }] },
            tlogEntries: [
                {
                    logIndex: String(rekor.Payload.logIndex),
                    logId: { keyId: Buffer.from(rekor.Payload.logID, 'hex').toString('base64') },
                    kindVersion: { kind: body.kind, version: body.apiVersion },
                    integratedTime: String(rekor.Payload.integratedTime),
                    inclusionPromise: { signedEntryTimestamp: rekor.SignedEntryTimestamp },
                    canonicalizedBody: rekor.Payload.body,
                },
            ],
            timestampVerificationData: { rfc3161Timestamps: [] },
        },
        ...content,
    };
}
//# sourceMappingURL=cosign-legacy.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/simple-signing.js
const SIMPLE_SIGNING_MEDIA_TYPE = 'application/vnd.dev.cosign.simplesigning.v1+json';
const SIMPLE_SIGNING_TYPE = 'cosign container image signature';
/** Reads a payload; returns an explanation instead when it is not a cosign image signature. */
function parseSimpleSigning(bytes) {
    let parsed;
    try {
        parsed = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return 'the signed payload is not JSON';
    }
    const critical = parsed?.critical;
    if (typeof critical !== 'object' || critical === null)
        return 'the signed payload has no critical section';
    if (critical.type !== SIMPLE_SIGNING_TYPE)
        return `the signed payload is of type '${String(critical.type)}', not a cosign image signature`;
    if (typeof critical.image?.['docker-manifest-digest'] !== 'string')
        return 'the signed payload names no image digest';
    return parsed;
}
/**
 * The payload exactly as cosign writes it (same key order, `optional: null`), so a
 * signer built on it produces what cosign produces; check-interop compares it with
 * real cosign output byte for byte.
 */
function simpleSigningPayload(dockerReference, digest) {
    return Buffer.from(JSON.stringify({
        critical: {
            identity: { 'docker-reference': dockerReference },
            image: { 'docker-manifest-digest': digest },
            type: SIMPLE_SIGNING_TYPE,
        },
        optional: null,
    }));
}
//# sourceMappingURL=simple-signing.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/verify-image.js









/** Verification failed for a reason the user can act on; carries what was found. */
class VerificationFailure extends ReasonedError {
    evidence;
    digest;
    constructor(reason, message, evidence, digest) {
        super(reason, message);
        this.evidence = evidence;
        this.digest = digest;
    }
}
// A registry could attach thousands of signatures to make a check slow; real images carry a few.
const MAX_ATTACHED = 64;
const BUNDLE_ARTIFACT_TYPE_PREFIX = 'application/vnd.dev.sigstore.bundle';
/** What cosign v3's `sign` puts in its bundle's in-toto statement (cosign's types.CosignSignPredicateType). */
const COSIGN_SIGN_PREDICATE = 'https://sigstore.dev/cosign/sign/v1';
/** The config media type of cosign 2.x's `sign --registry-referrers-mode=oci-1-1` manifest. */
const COSIGN_SIG_ARTIFACT_TYPE = 'application/vnd.dev.cosign.artifact.sig.v1+json';
/**
 * Resolves the image to a digest, then proves that digest is signed under the
 * policy and carries every required attestation. Looks in all the places cosign
 * and sigstore tools put them: the legacy `.sig`/`.att` tags and sigstore bundles
 * attached as referrers. Throws a VerificationFailure saying what was found instead.
 */
async function verifyImage(options) {
    const log = options.log ?? lib/* silentLogger */.qq;
    const { reference, client } = options;
    const image = await registryCall(() => client.resolve(reference), `resolving ${(0,registry_lib/* repositoryName */.Jt)(reference)}`);
    const digest = image.digest;
    log.info(`${(0,registry_lib/* repositoryName */.Jt)(reference)}${reference.tag ? `:${reference.tag}` : ''} is ${digest} (${image.mediaType || 'unknown media type'})`);
    const evidence = [];
    evidence.push(...(await legacyEvidence(options, digest, log, 'sig')));
    evidence.push(...(await legacyEvidence(options, digest, log, 'att')));
    evidence.push(...(await referrerEvidence(options, image, log)));
    if (options.extraBundles) {
        for (const { source, bundle } of await options.extraBundles(digest)) {
            evidence.push(judgeBundle(source, bundle, image, options));
        }
    }
    const signatures = evidence.filter((e) => e.kind === 'signature');
    const good = signatures.find((e) => e.ok);
    if (!good) {
        if (signatures.length === 0) {
            throw new VerificationFailure('no-signature', `${(0,registry_lib/* pinnedReference */.ct)(reference, digest)} is not signed: there is no cosign signature (${legacyTag(digest, 'sig')}), and no signature or sigstore bundle attached to it as an OCI 1.1 referrer (referrers API or ${digest.replace(':', '-')} tag).`, evidence, digest);
        }
        const reasons = signatures.map((e) => `${e.source}: ${e.detail}`).join('; ');
        throw new VerificationFailure(failureFor(signatures.map((e) => e.rejection ?? 'bad-signature')), `${(0,registry_lib/* pinnedReference */.ct)(reference, digest)} has ${signatures.length} signature(s), none valid for the policy: ${reasons}`, evidence, digest);
    }
    const verifiedAttestations = [];
    const missing = [];
    for (const required of options.attestations) {
        const match = evidence.find((e) => e.kind === 'attestation' && e.ok && e.predicateType && predicateMatches(required, e.predicateType));
        if (match)
            verifiedAttestations.push(required.name);
        else
            missing.push(required.name);
    }
    if (missing.length > 0) {
        const found = evidence.filter((e) => e.kind === 'attestation');
        const foundText = found.length === 0
            ? 'no attestations at all'
            : found.map((e) => `${e.predicateType ?? 'unknown type'} (${e.ok ? 'valid' : e.detail})`).join('; ');
        throw new VerificationFailure('attestation-missing', `${(0,registry_lib/* pinnedReference */.ct)(reference, digest)} is signed by ${good.signer}, but lacks a valid attestation of type ${missing.join(', ')}; found ${foundText}.`, evidence, digest);
    }
    const platforms = image.manifest.manifests
        ?.map((m) => m.platform)
        .filter((p) => p !== undefined && p.os !== 'unknown')
        .map((p) => [p.os, p.architecture, p.variant].filter(Boolean).join('/'));
    return {
        digest,
        imageRef: (0,registry_lib/* pinnedReference */.ct)(reference, digest),
        mediaType: image.mediaType,
        ...(platforms !== undefined ? { platforms } : {}),
        signer: good.signer ?? good.detail,
        ...(good.github ? { github: good.github } : {}),
        verifiedAttestations,
        evidence,
    };
}
/**
 * What cosign's legacy tag for `digest` holds: `.sig` (simple signing layers) or `.att` (DSSE
 * attestation layers), as evidence.
 */
async function legacyEvidence(options, digest, log, kind) {
    const attached = await legacyAttachment(options, digest, kind);
    if (!attached)
        return [];
    const tag = legacyTag(digest, kind);
    const layers = capped(attached.manifest.layers ?? [], tag, log);
    const evidence = kind === 'sig'
        ? await simpleSigningEvidence(options, digest, layers, 'cosign .sig')
        : await dsseEvidence(options, digest, layers, 'cosign .att');
    log.info(`${tag}: ${evidence.length} ${kind === 'sig' ? 'signature' : 'attestation'}(s)`);
    return evidence;
}
/** Cosign "simple signing" layers (a `.sig` image, or a cosign 2.x OCI 1.1 referrer): one signature each. */
async function simpleSigningEvidence(options, digest, layers, source) {
    const evidence = [];
    for (const layer of layers) {
        if (layer.mediaType !== SIMPLE_SIGNING_MEDIA_TYPE)
            continue;
        const payload = await registryCall(() => options.client.getBlob(options.reference, layer), 'fetching a cosign signature payload');
        const outcome = verifyLegacySignature({ payload }, layer.annotations ?? {}, options.policy, options.trustedRoot);
        evidence.push(withDigestClaim(source, outcome, () => {
            const parsed = parseSimpleSigning(payload);
            if (typeof parsed === 'string')
                return { rejection: 'malformed', message: parsed };
            const claimed = parsed.critical.image['docker-manifest-digest'];
            if (claimed !== digest)
                return {
                    rejection: 'other-image',
                    message: `the signature is for another image (${claimed}), not ${digest}: copied from elsewhere`,
                };
            return options.requireDockerReference
                ? repositoryProblem(options.reference, parsed.critical.identity?.['docker-reference'])
                : undefined;
        }, options));
    }
    return evidence;
}
/** Cosign DSSE attestation layers (an `.att` image, or a cosign OCI 1.1 attestation referrer). */
async function dsseEvidence(options, digest, layers, source) {
    const evidence = [];
    for (const layer of layers) {
        if (layer.mediaType !== DSSE_MEDIA_TYPE)
            continue;
        const bytes = await registryCall(() => options.client.getBlob(options.reference, layer), 'fetching a cosign attestation');
        const envelope = parseEnvelope(bytes);
        if (typeof envelope === 'string') {
            evidence.push({ source, kind: 'attestation', ok: false, detail: envelope, rejection: 'malformed' });
            continue;
        }
        const statement = parseStatement(Buffer.from(envelope.payload, 'base64'));
        const predicateType = typeof statement === 'string' ? layer.annotations?.['predicateType'] : statement.predicateType;
        const outcome = verifyLegacySignature({ envelope }, layer.annotations ?? {}, options.policy, options.trustedRoot);
        evidence.push({
            ...withDigestClaim(source, outcome, () => statementProblem(statement, digest), options),
            kind: 'attestation',
            ...(predicateType !== undefined ? { predicateType } : {}),
        });
    }
    return evidence;
}
async function legacyAttachment(options, digest, suffix) {
    try {
        return await options.client.getManifest(options.reference, legacyTag(digest, suffix), [
            registry_lib/* MEDIA_TYPES */.Z2.ociManifest,
            registry_lib/* MEDIA_TYPES */.Z2.dockerManifest,
        ]);
    }
    catch (error) {
        if (error instanceof registry_lib/* RegistryError */.gl && error.code === 'not-found')
            return undefined;
        throw registryFailure(error, `fetching ${legacyTag(digest, suffix)}`);
    }
}
/**
 * Everything attached to the digest as an OCI 1.1 referrer (a manifest whose `subject` is
 * the image), found through the referrers API or the `sha256-<hex>` fallback tag index:
 * sigstore bundles (cosign v3's `sign` and `attest`, `attest --new-bundle-format`,
 * `actions/attest` with push-to-registry) and cosign 2.x's `--registry-referrers-mode=oci-1-1`
 * signatures (simple-signing layers) and attestations (DSSE layers).
 *
 * Each referrer manifest is read and judged by its own layers, as cosign does: the
 * artifactType in a fallback index is not reliable (go-containerregistry, which cosign
 * uses, writes the config media type there: `application/vnd.oci.empty.v1+json` for
 * every bundle cosign attaches), and anything else (SBOMs, other signers) is skipped.
 */
async function referrerEvidence(options, image, log) {
    const referrers = await registryCall(() => options.client.listReferrers(options.reference, image.digest), 'listing referrers');
    const manifests = referrers.filter((d) => d.mediaType === registry_lib/* MEDIA_TYPES */.Z2.ociManifest || d.mediaType === registry_lib/* MEDIA_TYPES */.Z2.dockerManifest);
    const evidence = [];
    let bundles = 0;
    let cosignReferrers = 0;
    for (const descriptor of capped(manifests, `the referrers of ${image.digest}`, log)) {
        let referrer;
        try {
            referrer = await options.client.getManifest(options.reference, descriptor.digest, [
                registry_lib/* MEDIA_TYPES */.Z2.ociManifest,
                registry_lib/* MEDIA_TYPES */.Z2.dockerManifest,
            ]);
        }
        catch (error) {
            // A fallback tag may list a manifest since deleted; cosign skips it too.
            if (error instanceof registry_lib/* RegistryError */.gl && error.code === 'not-found') {
                log.info(`referrer ${descriptor.digest} is listed but not in the repository; skipped`);
                continue;
            }
            throw registryFailure(error, 'fetching a referrer manifest');
        }
        // A fallback tag is an ordinary, writable tag: it may list manifests about other images.
        if (referrer.manifest.subject?.digest !== image.digest) {
            log.info(`referrer ${descriptor.digest} is about ${referrer.manifest.subject?.digest ?? 'no subject'}, not ${image.digest}; skipped`);
            continue;
        }
        const layers = referrer.manifest.layers ?? [];
        const bundleLayer = layers.find((l) => l.mediaType.startsWith(BUNDLE_ARTIFACT_TYPE_PREFIX));
        if (bundleLayer) {
            bundles++;
            const bytes = await registryCall(() => options.client.getBlob(options.reference, bundleLayer), 'fetching a sigstore bundle');
            let json;
            try {
                json = JSON.parse(bytes.toString('utf8'));
            }
            catch {
                evidence.push({
                    source: 'sigstore bundle',
                    kind: 'signature',
                    ok: false,
                    detail: `the bundle ${bundleLayer.digest} is not JSON`,
                    rejection: 'malformed',
                });
                continue;
            }
            evidence.push(judgeBundle('sigstore bundle', json, image, options));
            continue;
        }
        const cosignLayers = capped(layers, `the referrer ${descriptor.digest}`, log);
        const found = [
            ...(await simpleSigningEvidence(options, image.digest, cosignLayers, 'cosign OCI 1.1 referrer')),
            ...(await dsseEvidence(options, image.digest, cosignLayers, 'cosign OCI 1.1 referrer')),
        ];
        if (found.length > 0)
            cosignReferrers++;
        else
            log.info(`referrer ${descriptor.digest} (${referrer.manifest.artifactType ?? referrer.manifest.config?.mediaType ?? 'no artifact type'}) holds no signature; skipped`);
        evidence.push(...found);
    }
    log.info(`referrers of ${image.digest}: ${referrers.length}, of which ${bundles} sigstore bundle(s) and ${cosignReferrers} cosign signature/attestation manifest(s)`);
    return evidence;
}
/** Verifies a sigstore bundle about the image: a DSSE in-toto statement naming it, or a signature over its manifest. */
function judgeBundle(source, json, image, options) {
    const dsse = json?.dsseEnvelope;
    if (dsse?.payload) {
        const statement = parseStatement(Buffer.from(dsse.payload, 'base64'));
        const predicateType = typeof statement === 'string' ? undefined : statement.predicateType;
        const kind = predicateType === COSIGN_SIGN_PREDICATE ? 'signature' : 'attestation';
        const outcome = verifyBundle(json, undefined, options.policy, options.trustedRoot);
        const claim = () => statementProblem(statement, image.digest) ??
            (kind === 'signature' && options.requireDockerReference && typeof statement !== 'string'
                ? statementRepositoryProblem(options.reference, statement, image.digest)
                : undefined);
        return {
            ...withDigestClaim(source, outcome, claim, options),
            kind,
            ...(predicateType !== undefined ? { predicateType } : {}),
        };
    }
    // A message signature is over the image manifest itself, so the manifest bytes are the artifact.
    const outcome = verifyBundle(json, image.bytes, options.policy, options.trustedRoot);
    return withDigestClaim(source, outcome, () => (options.requireDockerReference ? repositoryProblem(options.reference, undefined) : undefined), options);
}
function statementProblem(statement, digest) {
    if (typeof statement === 'string')
        return { rejection: 'malformed', message: statement };
    if (!statementNamesDigest(statement, digest)) {
        const named = statement.subject
            .map((s) => (s.digest?.['sha256'] ? `sha256:${s.digest['sha256']}` : '?'))
            .join(', ');
        return {
            rejection: 'other-image',
            message: `the attestation is about ${named || 'nothing'}, not ${digest}`,
        };
    }
    return undefined;
}
/**
 * The repository a signed statement names for the digest: the subject's `name`, or its
 * `docker-reference` annotation (what `cosign sign -a docker-reference=<repo>` signs into a
 * cosign v3 statement, whose subject otherwise names only the digest).
 */
function statementRepositoryProblem(reference, statement, digest) {
    const names = [];
    for (const subject of statement.subject) {
        if (subject.digest?.['sha256'] !== digest.slice(7))
            continue;
        if (typeof subject.name === 'string' && subject.name !== '')
            names.push(subject.name);
        const annotated = subject.annotations?.['docker-reference'];
        if (typeof annotated === 'string' && annotated !== '')
            names.push(annotated);
    }
    if (names.length === 0)
        return repositoryProblem(reference, undefined);
    const problems = names.map((name) => repositoryProblem(reference, name));
    return problems.includes(undefined) ? undefined : problems[0];
}
/**
 * The signed repository (`registry/repository`, a tag or digest allowed and ignored) must be
 * the one verified; Docker Hub's spellings (`docker.io`, `index.docker.io`) are one registry.
 */
function repositoryProblem(reference, claimed) {
    const verified = (0,registry_lib/* repositoryName */.Jt)(reference);
    if (claimed === undefined) {
        return {
            rejection: 'wrong-docker-reference',
            message: `the signature names no repository, only the digest, so it does not prove it was made for ${verified}`,
        };
    }
    let signed;
    try {
        signed = (0,registry_lib/* parseReference */.F2)(claimed);
    }
    catch {
        signed = undefined;
    }
    if (signed && signed.registry === reference.registry && signed.repository === reference.repository)
        return undefined;
    return {
        rejection: 'wrong-docker-reference',
        message: `the signature was made for ${claimed}, not ${verified}: a signed image copied into this repository`,
    };
}
function withDigestClaim(source, outcome, claimProblem, options) {
    if (!outcome.ok) {
        return {
            source,
            kind: 'signature',
            ok: false,
            detail: outcome.reason,
            rejection: outcome.rejection,
            ...(outcome.signer ? { signer: describeIdentity(outcome.signer) } : {}),
        };
    }
    const signer = describeSigner(outcome.signer, options.policy);
    const github = 'fingerprint' in outcome.signer ? undefined : outcome.signer.github;
    const problem = claimProblem();
    if (problem)
        return {
            source,
            kind: 'signature',
            ok: false,
            detail: `validly signed by ${signer}, but ${problem.message}`,
            rejection: problem.rejection,
            signer,
        };
    return {
        source,
        kind: 'signature',
        ok: true,
        detail: `signed by ${signer}`,
        signer,
        ...(github ? { github } : {}),
    };
}
function describeSigner(signer, policy) {
    if ('fingerprint' in signer)
        return `key ${signer.fingerprint}${policy.kind === 'key' ? ` (${policy.key.algorithm})` : ''}`;
    return describeIdentity(signer);
}
function capped(items, where, log) {
    if (items.length <= MAX_ATTACHED)
        return items;
    log.warning(`${where} holds ${items.length} entries; only the first ${MAX_ATTACHED} are checked.`);
    return items.slice(0, MAX_ATTACHED);
}
async function registryCall(fn, what) {
    try {
        return await fn();
    }
    catch (error) {
        throw registryFailure(error, what);
    }
}
function registryFailure(error, what) {
    if (error instanceof registry_lib/* RegistryError */.gl)
        return new ReasonedError(registryFailureReason(error.code), `Registry error while ${what}: ${error.message}`);
    return error;
}
//# sourceMappingURL=verify-image.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/cosign-cli.js




/** cosign 2.2.1 added `--experimental-oci11` (OCI 1.1 referrers first, then the `.sig` tag); v3 keeps it. */
function readsOci11Referrers(version) {
    const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(version ?? '');
    if (!m)
        return false;
    const [major, minor, patch] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return major > 2 || (major === 2 && (minor > 2 || (minor === 2 && patch >= 1)));
}
/**
 * The policy flags shared by `cosign verify` and `verify-attestation`. `keyFile` holds the
 * key policy's PEM. The identity pattern is anchored here because cosign does not anchor it.
 */
function cosignPolicyArgs(run, keyFile) {
    const args = [];
    if (run.policy.kind === 'key') {
        // The native engine checks key signatures without a log; keep the two engines equal.
        args.push('--key', keyFile ?? '', '--insecure-ignore-tlog=true');
    }
    else {
        const { identity, identityRegexp, issuer, githubWorkflowRepository, githubWorkflowRef, githubWorkflowSha, } = run.policy.identity;
        if (identity !== undefined)
            args.push('--certificate-identity', identity);
        if (identityRegexp !== undefined)
            args.push('--certificate-identity-regexp', `^(?:${identityRegexp})$`);
        if (issuer !== undefined)
            args.push('--certificate-oidc-issuer', issuer);
        // cosign compares these with the legacy extensions (.1.5, .1.6, .1.3) only.
        if (githubWorkflowRepository !== undefined)
            args.push('--certificate-github-workflow-repository', githubWorkflowRepository);
        if (githubWorkflowRef !== undefined)
            args.push('--certificate-github-workflow-ref', githubWorkflowRef);
        if (githubWorkflowSha !== undefined)
            args.push('--certificate-github-workflow-sha', githubWorkflowSha);
        if (run.trustedRootPath)
            args.push('--trusted-root', run.trustedRootPath);
    }
    if ((0,registry_lib/* isLoopbackRegistry */.jW)(run.reference.registry) || run.allowInsecure)
        args.push('--allow-http-registry');
    return args;
}
/** The `--type` values to try for a required predicate, in order (any one verifying is enough). */
function cosignAttestationTypes(required) {
    // cosign's `slsaprovenance` means v0.2 only; ours accepts v0.2 or v1.
    return required.name === 'slsaprovenance'
        ? ['slsaprovenance', 'slsaprovenance1']
        : [required.accepts.length === 1 ? required.accepts[0] : required.name];
}
/**
 * cosign does not compare the signed docker-reference with the image (and for cosign v3
 * bundles it prints the name it was given, not a signed one), so with require-docker-reference
 * a verified legacy payload must name this repository.
 */
function checkDockerReference(stdout, run) {
    const repository = `${run.reference.registry}/${run.reference.repository}`;
    const named = [];
    for (const line of stdout.split('\n').filter((l) => l.trim() !== '')) {
        let documents;
        try {
            const parsed = JSON.parse(line);
            documents = Array.isArray(parsed) ? parsed : [parsed];
        }
        catch {
            continue;
        }
        for (const document of documents) {
            const payload = parseSimpleSigning(Buffer.from(JSON.stringify(document)));
            let reference;
            if (typeof payload !== 'string') {
                reference = payload.critical.identity?.['docker-reference'];
            }
            else if (document?.critical?.type === COSIGN_SIGN_PREDICATE) {
                // cosign v3: the printed docker-reference is the name it was given; only the signed
                // subject annotation (`cosign sign -a docker-reference=<repo>`) counts.
                reference = document.optional?.['docker-reference'];
            }
            if (typeof reference !== 'string')
                continue;
            if (sameRepository(reference, run.reference))
                return;
            named.push(reference);
        }
    }
    throw new ReasonedError('wrong-docker-reference', `cosign verified a signature over ${run.digest}, but none of the signed payloads names ${repository}${named.length > 0 ? ` (they name ${named.join(', ')})` : ''}: a signature made for another repository, or a cosign v3 signature, which names only the digest unless signed with -a docker-reference=<repository>.`);
}
/** cosign prints the legacy extensions (.1.5, .1.6, .1.3) in each payload's `optional`. */
function githubFromCosign(stdout) {
    try {
        const first = JSON.parse(stdout)[0]?.optional ?? {};
        const text = (key) => typeof first[key] === 'string' && first[key] !== '' ? first[key] : undefined;
        const source = {};
        const repository = text('githubWorkflowRepository');
        const ref = text('githubWorkflowRef');
        const sha = text('githubWorkflowSha');
        if (repository !== undefined)
            source.repository = repository;
        if (ref !== undefined)
            source.legacyRef = ref;
        if (sha !== undefined)
            source.legacyDigest = sha;
        return Object.keys(source).length > 0 ? source : undefined;
    }
    catch {
        return undefined;
    }
}
function sameRepository(text, reference) {
    try {
        const signed = (0,registry_lib/* parseReference */.F2)(text);
        return signed.registry === reference.registry && signed.repository === reference.repository;
    }
    catch {
        return false;
    }
}
function signerFromCosign(stdout, run) {
    if (run.policy.kind === 'key')
        return `key ${run.policy.key.fingerprint} (${run.policy.key.algorithm})`;
    try {
        const first = JSON.parse(stdout)[0];
        if (first?.optional?.Subject)
            return `${first.optional.Subject} (issuer ${first.optional.Issuer ?? 'unknown'})`;
    }
    catch {
        // Older cosign prints one JSON document per line; fall through to the policy.
    }
    return `${run.policy.identity.identity ?? run.policy.identity.identityRegexp ?? '?'} (issuer ${run.policy.identity.issuer ?? '?'})`;
}
//# sourceMappingURL=cosign-cli.js.map
;// CONCATENATED MODULE: ./packages/signature/lib/index.js












//# sourceMappingURL=index.js.map

/***/ })

};
