export const id = 442;
export const ids = [442];
export const modules = {

/***/ 1442:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   installCosign: () => (/* binding */ installCosign),
/* harmony export */   verifyWithCosign: () => (/* binding */ verifyWithCosign)
/* harmony export */ });
/* harmony import */ var node_child_process__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1421);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(3024);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8161);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(6760);
/* harmony import */ var _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(8185);
/* harmony import */ var _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1079);
/* harmony import */ var _deploy_actions_registry__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3712);








function asset() {
    const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
    return `cosign-${process.platform === 'darwin' ? 'darwin' : 'linux'}-${arch}`;
}
/**
 * Installs cosign the way cosign-installer would, but checked: the binary's sha256 must
 * match the pinned value or the release's checksum file, and it is kept in the runner's
 * tool cache so later jobs on the same runner skip the download.
 */
async function installCosign(install, log) {
    const version = install.version.replace(/^v/, '');
    const cached = _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__/* .find */ .I6('cosign', version);
    if (cached) {
        log.info(`cosign ${version} from the tool cache (${cached})`);
        return (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(cached, 'cosign');
    }
    const base = `${install.baseUrl.replace(/\/+$/, '')}/v${version}`;
    const name = asset();
    let expected = install.sha256?.toLowerCase();
    if (!expected) {
        const sums = await download(`${base}/cosign_checksums.txt`);
        expected = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(sums, 'utf8')
            .split('\n')
            .map((line) => line.trim().split(/\s+/))
            .find((parts) => parts[1] === name)?.[0]
            ?.toLowerCase();
        if (!expected)
            throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo('cosign-install-failed', `${base}/cosign_checksums.txt does not list ${name}; pin it with cosign-sha256.`);
    }
    const file = await download(`${base}/${name}`);
    const actual = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update((0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(file)).digest('hex');
    if (actual !== expected) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(file, { force: true });
        throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo('cosign-checksum-mismatch', `${base}/${name} has sha256 ${actual}, expected ${expected}; it was not run.`);
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.chmodSync)(file, 0o755);
    const dir = await _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__/* .cacheFile */ .NJ(file, 'cosign', 'cosign', version);
    log.info(`cosign ${version} installed from ${base} (sha256 ${actual})`);
    return (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'cosign');
}
async function download(url) {
    try {
        return await _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__/* .downloadTool */ .bq(url);
    }
    catch (error) {
        throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo('cosign-install-failed', `Could not download ${url}: ${error.message}`);
    }
}
/**
 * Runs `cosign verify` (and `verify-attestation` per required type) on the pinned
 * digest with the same policy the native engine applies: the identity pattern is
 * anchored here because cosign does not anchor it.
 */
async function verifyWithCosign(cosign, run, log) {
    // 0700 dir: the docker config holds registry credentials and is removed in all cases.
    const dir = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.mkdtempSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(process.env['RUNNER_TEMP'] ?? (0,node_os__WEBPACK_IMPORTED_MODULE_3__.tmpdir)(), 'cosign-'));
    try {
        const env = { ...process.env, DOCKER_CONFIG: dir };
        if (run.credentials) {
            const auth = (0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_7__/* .basicAuthorization */ .aR)(run.credentials).slice('Basic '.length);
            (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.writeFileSync)((0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'config.json'), JSON.stringify({ auths: { [run.reference.registry]: { auth } } }), { mode: 0o600 });
        }
        const policyArgs = [];
        if (run.policy.kind === 'key') {
            const keyFile = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'cosign.pub');
            (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.writeFileSync)(keyFile, run.policy.key.key.export({ type: 'spki', format: 'pem' }).toString());
            // The native engine checks key signatures without a log; keep the two engines equal.
            policyArgs.push('--key', keyFile, '--insecure-ignore-tlog=true');
        }
        else {
            const { identity, identityRegexp, issuer } = run.policy.identity;
            if (identity !== undefined)
                policyArgs.push('--certificate-identity', identity);
            if (identityRegexp !== undefined)
                policyArgs.push('--certificate-identity-regexp', `^(?:${identityRegexp})$`);
            if (issuer !== undefined)
                policyArgs.push('--certificate-oidc-issuer', issuer);
            if (run.trustedRootPath)
                policyArgs.push('--trusted-root', run.trustedRootPath);
        }
        if ((0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_7__/* .isLoopbackRegistry */ .jW)(run.reference.registry) || run.allowInsecure)
            policyArgs.push('--allow-http-registry');
        const image = (0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_7__/* .pinnedReference */ .ct)(run.reference, run.digest);
        const verified = await runCosign(cosign, ['verify', '--output', 'json', ...policyArgs, image], env, log);
        const signer = signerFrom(verified, run);
        const verifiedAttestations = [];
        for (const required of run.attestations) {
            // cosign's `slsaprovenance` means v0.2 only; ours accepts v0.2 or v1.
            const types = required.name === 'slsaprovenance' ? ['slsaprovenance', 'slsaprovenance1'] : [required.accepts.length === 1 ? required.accepts[0] : required.name];
            let last;
            for (const type of types) {
                try {
                    await runCosign(cosign, ['verify-attestation', '--output', 'json', '--type', type, ...policyArgs, image], env, log);
                    last = undefined;
                    break;
                }
                catch (error) {
                    last = error;
                }
            }
            if (last) {
                throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo('attestation-missing', `${image} is signed by ${signer}, but cosign found no valid ${required.name} attestation: ${last.message}`);
            }
            verifiedAttestations.push(required.name);
        }
        return { signer, verifiedAttestations };
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(dir, { recursive: true, force: true });
    }
}
function signerFrom(stdout, run) {
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
function runCosign(cosign, args, env, log) {
    log.info(`cosign ${args.join(' ')}`);
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(cosign, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.on('error', (error) => reject(new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo('cosign-failed', `could not run ${cosign}: ${error.message}`)));
        child.on('close', (code) => {
            if (code === 0)
                return resolve(stdout);
            const tail = stderr.trim().split('\n').slice(-5).join('\n');
            reject(new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .UserError */ .yo('invalid-signature', `cosign ${args[0]} exited with ${code} for ${args.at(-1)}:\n${tail}`));
        });
    });
}
//# sourceMappingURL=cosign-engine.js.map

/***/ })

};
