export const id = 293;
export const ids = [293];
export const modules = {

/***/ 2293:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   hostCommand: () => (/* binding */ hostCommand)
/* harmony export */ });
/* harmony import */ var _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1198);
/* harmony import */ var _deploy_actions_deploy__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7453);
/* harmony import */ var _deploy_actions_ssh__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(2932);
/* harmony import */ var _ssh_deploy_lib_remote_dir_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(8968);
// `lock status|release` and `releases`: read (or break) what each host holds under
// remote-dir/.releases, through the deploy package, with ssh-deploy's connection inputs.




/** lock status|release and releases: per host, read (or break) what is under remote-dir/.releases. */
async function hostCommand(command, parsed, inputEnv, log, result) {
    const inputs = new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .InputReader */ .i_({ env: inputEnv, mask: (s) => log.mask(s) });
    const transport = inputs.enum('transport', ['ssh', 'local'], { default: 'ssh' });
    const connection = transport === 'ssh' ? (0,_deploy_actions_ssh__WEBPACK_IMPORTED_MODULE_2__/* .readSshConnectionInputs */ .q)(inputs, { required: true }) : undefined;
    const remoteDirInput = inputs.string('remote-dir', { required: true });
    let remoteDir = remoteDirInput;
    if (remoteDirInput !== '') {
        const checked = (0,_ssh_deploy_lib_remote_dir_js__WEBPACK_IMPORTED_MODULE_3__/* .checkRemoteDir */ .a)(remoteDirInput);
        if ('problem' in checked)
            inputs.problem('remote-dir', checked.problem);
        else
            remoteDir = checked.dir;
    }
    inputs.finish();
    const targets = connection ? connection.targets : [undefined];
    const failures = [];
    for (const target of targets) {
        const host = target ? (0,_deploy_actions_ssh__WEBPACK_IMPORTED_MODULE_2__/* .describeTarget */ .ff)(target) : 'localhost';
        const dir = remoteDir.replaceAll('{host}', (target?.host ?? 'localhost').replace(/[^A-Za-z0-9._-]/g, '-'));
        let conn;
        try {
            conn = target ? await (0,_deploy_actions_ssh__WEBPACK_IMPORTED_MODULE_2__/* .connectSsh */ .LZ)(target, connection.settings, log) : (0,_deploy_actions_ssh__WEBPACK_IMPORTED_MODULE_2__/* .localConnection */ .GO)();
            if (command.name === 'releases') {
                (result.releases ??= []).push({ host, remoteDir: dir, ...(await (0,_deploy_actions_deploy__WEBPACK_IMPORTED_MODULE_1__/* .listReleases */ .tH)(conn, dir)) });
            }
            else {
                const status = await (0,_deploy_actions_deploy__WEBPACK_IMPORTED_MODULE_1__/* .readLockStatus */ .mS)(conn, dir);
                const entry = { host, ...status };
                if (parsed.positionals[0] === 'release' && status.held) {
                    if (!status.stale && !parsed.global.force) {
                        throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo('lock-held', `${host}: the host lock ${status.lockDir} is held by ${status.holder}, and that deploy's time is not up. ` +
                            'If you are sure that deploy is no longer running, run `lock release --force`.');
                    }
                    entry.released = await (0,_deploy_actions_deploy__WEBPACK_IMPORTED_MODULE_1__/* .breakHostLock */ .vh)(conn, status);
                    if (!entry.released)
                        throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo('lock-changed', `${host}: the host lock ${status.lockDir} changed while it was being released (another deploy took it?); left alone.`);
                    log.info(`${host}: released the host lock ${status.lockDir} (held by ${status.holder})`);
                }
                (result.locks ??= []).push(entry);
            }
        }
        catch (error) {
            if (!(0,_deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .isUserError */ .iU)(error))
                throw error;
            log.error(error.message);
            failures.push(error);
        }
        finally {
            await conn?.close();
        }
    }
    if (failures.length > 0) {
        const [first, ...others] = failures;
        throw new _deploy_actions_action_kit__WEBPACK_IMPORTED_MODULE_0__/* .UserError */ .yo(first.code, others.length
            ? `${failures.length} of ${targets.length} hosts failed. ${first.message}`
            : first.message);
    }
}
//# sourceMappingURL=host-commands.js.map

/***/ })

};
