export const id = 363;
export const ids = [363];
export const modules = {

/***/ 6363:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   fetchGitHubAttestations: () => (/* binding */ fetchGitHubAttestations)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1079);
/* harmony import */ var _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1714);



/**
 * The sigstore bundles GitHub stores for a digest (`actions/attest-build-provenance`
 * and friends), from `GET /repos/{owner}/{repo}/attestations/{digest}`. GITHUB_API_URL
 * is honoured (GitHub Enterprise Server, and tests). A repository with none yields [].
 */
async function fetchGitHubAttestations(token, repository, digest, log) {
    const [owner, repo] = repository.split('/');
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(token, { request: { retries: 0 } });
    let data;
    try {
        const response = await octokit.request('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
            owner: owner,
            repo: repo,
            subject_digest: digest,
            per_page: 100,
        });
        data = response.data;
    }
    catch (error) {
        const status = error.status;
        if (status === 404) {
            log.info(`GitHub has no attestations for ${digest} in ${repository}`);
            return [];
        }
        if (status === 401 || status === 403) {
            throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_2__/* .ReasonedError */ .O$('github-unauthorized', `GitHub refused to list the attestations of ${repository} (HTTP ${status}). Give the job 'attestations: read' (and 'contents: read' for private repositories), or pass a github-token that can read them.`);
        }
        throw new _deploy_actions_signature__WEBPACK_IMPORTED_MODULE_2__/* .ReasonedError */ .O$('github-unreachable', `Could not list the GitHub attestations of ${repository} for ${digest}: ${(0,_deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_1__/* .errorMessage */ .gJ)(error)}`);
    }
    const found = data.attestations ?? [];
    const bundles = found.filter((a) => a.bundle !== undefined && a.bundle !== null);
    if (bundles.length < found.length) {
        log.warning(`${found.length - bundles.length} GitHub attestation(s) of ${digest} are only available by URL and were not checked.`);
    }
    log.info(`GitHub attestations of ${digest} in ${repository}: ${bundles.length}`);
    return bundles.map((a) => ({ source: 'GitHub attestation', bundle: a.bundle }));
}
//# sourceMappingURL=github-attestations.js.map

/***/ })

};
