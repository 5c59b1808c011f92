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
/* harmony import */ var _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(1198);
/* harmony import */ var _deploy_actions_registry__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(3712);
/* harmony import */ var _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__ = __webpack_require__(1714);
/* harmony import */ var _cosign_hashes_js__WEBPACK_IMPORTED_MODULE_9__ = __webpack_require__(9932);










/** The sha256 the binary must have: the pinned one, else the one shipped for the version. */
function expectedCosignSha256(install) {
    return install.sha256?.toLowerCase() ?? (0,_cosign_hashes_js__WEBPACK_IMPORTED_MODULE_9__/* .knownCosignSha256 */ .u)(install.version);
}
function sha256File(path) {
    return (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256').update((0,node_fs__WEBPACK_IMPORTED_MODULE_2__.readFileSync)(path)).digest('hex');
}
/**
 * Installs cosign the way cosign-installer would, but checked: the binary's sha256 must
 * match the pinned value or the hash shipped in this action for the version (never a
 * checksum file downloaded from the same place). It is kept in the runner's tool cache
 * so later jobs skip the download, and hashed again on every run before it is used: a
 * cached binary that changed is refused, never run.
 */
async function installCosign(install, log) {
    const version = install.version.replace(/^v/, '');
    const name = (0,_cosign_hashes_js__WEBPACK_IMPORTED_MODULE_9__/* .cosignAsset */ .W)();
    const expected = expectedCosignSha256(install);
    if (!expected) {
        throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('cosign-install-failed', `no sha256 is known for ${name} ${install.version}; pin it with cosign-sha256.`);
    }
    const cached = _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__/* .find */ .I6('cosign', version);
    if (cached) {
        const binary = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(cached, 'cosign');
        const actual = (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.existsSync)(binary) ? sha256File(binary) : 'missing';
        if (actual !== expected) {
            throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('cosign-checksum-mismatch', `the cached cosign ${version} (${binary}) has sha256 ${actual}, expected ${expected}: it changed after it was installed and was not run. Remove it from the tool cache, and find out who wrote it.`);
        }
        log.info(`cosign ${version} from the tool cache (${cached}, sha256 ${actual})`);
        return binary;
    }
    const base = `${install.baseUrl.replace(/\/+$/, '')}/v${version}`;
    const file = await download(`${base}/${name}`);
    const actual = sha256File(file);
    if (actual !== expected) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(file, { force: true });
        throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('cosign-checksum-mismatch', `${base}/${name} has sha256 ${actual}, expected ${expected}; it was not run.`);
    }
    (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.chmodSync)(file, 0o755);
    const dir = await _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__/* .cacheFile */ .NJ(file, 'cosign', 'cosign', version);
    (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(file, { force: true });
    // Hash what will run (the cached copy), not only what was downloaded.
    const binary = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'cosign');
    const installed = sha256File(binary);
    if (installed !== expected) {
        throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('cosign-checksum-mismatch', `the cosign copied to the tool cache (${binary}) has sha256 ${installed}, expected ${expected}; it was not run.`);
    }
    log.info(`cosign ${version} installed from ${base} (sha256 ${actual})`);
    return binary;
}
async function download(url) {
    try {
        return await _actions_tool_cache__WEBPACK_IMPORTED_MODULE_5__/* .downloadTool */ .bq(url);
    }
    catch (error) {
        throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('cosign-install-failed', `Could not download ${url}: ${(0,_deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .errorMessage */ .gJ)(error)}`);
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
        let keyFile;
        if (run.policy.kind === 'key') {
            keyFile = (0,node_path__WEBPACK_IMPORTED_MODULE_4__.join)(dir, 'cosign.pub');
            (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.writeFileSync)(keyFile, run.policy.key.key.export({ type: 'spki', format: 'pem' }).toString());
        }
        const policyArgs = (0,_deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .cosignPolicyArgs */ .Ss)(run, keyFile);
        const image = (0,_deploy_actions_registry__WEBPACK_IMPORTED_MODULE_7__/* .pinnedReference */ .ct)(run.reference, run.digest);
        const oci11 = (0,_deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .readsOci11Referrers */ .nA)(run.cosignVersion) ? ['--experimental-oci11'] : [];
        const verified = await runCosign(cosign, ['verify', '--output', 'json', ...oci11, ...policyArgs, image], env, log);
        if (run.requireDockerReference)
            (0,_deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .checkDockerReference */ .uW)(verified, run);
        const signer = (0,_deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .signerFromCosign */ .gp)(verified, run);
        const verifiedAttestations = [];
        for (const required of run.attestations) {
            const types = (0,_deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .cosignAttestationTypes */ .z7)(required);
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
                throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('attestation-missing', `${image} is signed by ${signer}, but cosign found no valid ${required.name} attestation: ${(0,_deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_6__/* .errorMessage */ .gJ)(last)}`);
            }
            verifiedAttestations.push(required.name);
        }
        const github = (0,_deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .githubFromCosign */ .zh)(verified);
        return { signer, ...(github ? { github } : {}), verifiedAttestations };
    }
    finally {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_2__.rmSync)(dir, { recursive: true, force: true });
    }
}
function runCosign(cosign, args, env, log) {
    log.info(`cosign ${args.join(' ')}`);
    return new Promise((resolve, reject) => {
        const child = (0,node_child_process__WEBPACK_IMPORTED_MODULE_0__.spawn)(cosign, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d.toString()));
        child.stderr.on('data', (d) => (stderr += d.toString()));
        child.on('error', (error) => reject(new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('cosign-failed', `could not run ${cosign}: ${error.message}`)));
        child.on('close', (code) => {
            if (code === 0)
                return resolve(stdout);
            const tail = stderr.trim().split('\n').slice(-5).join('\n');
            reject(new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_8__/* .ReasonedError */ .O$('invalid-signature', `cosign ${args[0]} exited with ${code} for ${args.at(-1)}:\n${tail}`));
        });
    });
}
//# sourceMappingURL=cosign-engine.js.map

/***/ })

};
