export const id = 722;
export const ids = [722];
export const modules = {

/***/ 2722:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  action: () => (/* binding */ action),
  connectorFor: () => (/* binding */ connectorFor)
});

// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
// EXTERNAL MODULE: ./packages/deploy/lib/index.js + 27 modules
var deploy_lib = __webpack_require__(7453);
// EXTERNAL MODULE: ./packages/ssh/lib/index.js + 5 modules
var ssh_lib = __webpack_require__(2932);
;// CONCATENATED MODULE: ./actions/ssh-deploy/lib/plan-mode.js


const code = (text) => ({ raw: text ? `\`${text.replace(/`/g, "'")}\`` : '' });
const shortDigest = (d) => (d ? d.replace(/^sha256:/, '').slice(0, 12) : '');
function imageCell(image) {
    if (!image)
        return { raw: '—' };
    return { raw: `${code(image.image).raw}${image.digest ? ` (${shortDigest(image.digest)})` : ''}` };
}
const list = (items, max = 20) => items.length === 0
    ? '—'
    : items
        .slice(0, max)
        .map((i) => `\`${i.replace(/`/g, "'")}\``)
        .join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');
function writePlanSummary(summary, settings, plans) {
    const d = settings.deploy;
    summary.heading('ssh-deploy plan (nothing changed)');
    summary.paragraph(`What deploying release \`${d.origin.id}\` of \`${d.origin.commit.slice(0, 12) || 'local'}\` to \`${d.remoteDir}\` would change, per host.`);
    summary.table(['host', 'current → new', 'services changed', 'restarts', 'env keys (+ − ~)', 'migrations', 'problems'], plans.map((p) => [
        p.host,
        p.error ? 'could not plan' : `${p.current ?? 'none'} → ${p.release}`,
        p.services.filter((s) => s.change !== 'unchanged').length,
        p.restarts.join(', ') || '—',
        `+${p.env.added.length} −${p.env.removed.length} ~${p.env.changed.length}`,
        p.migrations.runs ? `run${p.migrations.imageChanged === false ? ' (migrator unchanged)' : ''}` : 'no',
        p.problems.length,
    ]));
    for (const p of plans) {
        summary.heading(`${(0,lib/* escapeMarkdown */.FV)(p.host)}`, 3);
        if (p.error) {
            summary.paragraph((0,lib/* escapeMarkdown */.FV)(p.error));
            continue;
        }
        summary.paragraph(`Strategy \`${p.strategy}\`${p.compose.flavour ? `, compose ${p.compose.flavour}` : ''}; steps: ${p.steps.join(' → ')}.`);
        if (p.services.length)
            summary.table(['service', 'change', 'image now', 'image after', 'restarts'], p.services.map((s) => [
                s.service,
                `${s.change}${s.why ? ` (${s.why})` : ''}`,
                imageCell(s.old),
                imageCell(s.new),
                s.restarts ? 'yes' : 'no',
            ]));
        const rows = [
            ['env keys added', { raw: list(p.env.added) }],
            ['env keys removed', { raw: list(p.env.removed) }],
            ['env keys changed', { raw: list(p.env.changed) }],
            ['env keys the plan cannot see', { raw: list(p.env.unknown) }],
            [
                'files shipped',
                {
                    raw: `${p.files.shipped} (new: ${list(p.files.added)}; changed: ${list(p.files.changed)}; ${p.files.unchanged} unchanged)`,
                },
            ],
            ['files removed', { raw: list(p.files.removed) }],
            ['kept: changed on the host', { raw: list(p.files.keptChanged) }],
            ['preserved: the host keeps its own', { raw: list(p.files.preservedSkipped) }],
            ['images to pull', { raw: list(p.images.toPull) }],
        ];
        summary.table(['what', 'detail'], rows);
        if (p.problems.length)
            summary.heading('Problems', 4).list(p.problems.map(lib/* escapeMarkdown */.FV));
        if (p.notes.length)
            summary.list(p.notes.map(lib/* escapeMarkdown */.FV));
        summary.details('The steps the run executes', p.stepLines.map((l) => `1. ${(0,lib/* escapeMarkdown */.FV)(l)}`).join('\n'));
    }
}
async function runPlan({ log, summary, setOutput }, settings, bundle, { hosts, connect }) {
    log.info(`Planning release ${settings.deploy.origin.id} on ${hosts.join(', ')}: nothing is changed, no lock taken`);
    const plans = await (0,deploy_lib/* planHosts */.ls)({
        hosts,
        connect,
        settings: settings.deploy,
        bundle,
        parallel: settings.parallel,
        log,
    });
    writePlanSummary(summary, settings, plans);
    setOutput('plan', JSON.stringify(plans));
    setOutput('release-id', settings.deploy.origin.id);
    setOutput('hosts', JSON.stringify(plans.map((p) => ({
        host: p.host,
        status: p.error ? 'failed' : 'planned',
        release: p.release,
        ...(p.current ? { previousRelease: p.current, running: p.current } : {}),
        rolledBack: false,
        durationMs: 0,
        ...(p.error ? { error: p.error, errorCode: p.errorCode } : {}),
    }))));
    const failed = plans.find((p) => p.error);
    if (failed)
        throw new lib/* UserError */.yo(failed.errorCode ?? 'internal', `${failed.host}: could not plan: ${failed.error}`);
}
function writeDriftSummary(summary, settings, drifts) {
    const drifted = drifts.filter((x) => !x.clean).length;
    summary.heading(drifted ? `ssh-deploy check: ${drifted} host(s) drifted` : 'ssh-deploy check: no drift');
    summary.paragraph(`Each host of \`${settings.deploy.remoteDir}\` against the release it records as current.`);
    summary.table(['host', 'release', 'state', 'differences'], drifts.map((x) => [
        x.host,
        x.release ?? 'none',
        x.error ? 'could not check' : x.clean ? 'clean' : 'drifted',
        x.error ? (x.error.split('\n')[0] ?? '') : x.items.length,
    ]));
    for (const x of drifts.filter((y) => y.items.length))
        summary.heading((0,lib/* escapeMarkdown */.FV)(x.host), 3).table(['kind', 'service / file', 'detail'], x.items.map((i) => [i.kind, i.service ?? i.path ?? '', i.detail]));
}
async function runCheck({ log, summary, setOutput }, settings, { hosts, connect }) {
    log.info(`Checking ${hosts.join(', ')} against their recorded releases: nothing is changed, no lock taken`);
    const drifts = await (0,deploy_lib/* checkHosts */.GZ)({
        hosts,
        connect,
        settings: settings.deploy,
        parallel: settings.parallel,
        log,
    });
    writeDriftSummary(summary, settings, drifts);
    setOutput('drift', JSON.stringify(drifts));
    const drifted = drifts.filter((x) => !x.clean && !x.error);
    setOutput('drifted', drifted.length > 0);
    const failed = drifts.find((x) => x.error);
    if (failed)
        throw new lib/* UserError */.yo(failed.errorCode ?? 'internal', `${failed.host}: could not check: ${failed.error}`);
    if (drifted.length && settings.failOnDrift) {
        throw new lib/* UserError */.yo('drift', `${drifted.length} of ${drifts.length} host(s) no longer match their recorded release: ` +
            drifted.map((x) => `${x.host}: ${x.items.map((i) => i.detail).join('; ')}`).join(' | ') +
            '. Deploy again to put the release back, or set fail-on-drift: false to only report.');
    }
}
//# sourceMappingURL=plan-mode.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/probe/lib/index.js + 7 modules
var probe_lib = __webpack_require__(605);
// EXTERNAL MODULE: ./actions/ssh-deploy/lib/remote-dir.js
var remote_dir = __webpack_require__(8968);
;// CONCATENATED MODULE: ./actions/ssh-deploy/lib/settings.js







// Compose's own rule for project names; anything else would be rejected (or rewritten) by compose.
const PROJECT_NAME = /^(?:[a-z0-9]|\{host\})(?:[a-z0-9_-]|\{host\})*$/;
const SERVICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A new release id: sortable by time, then the commit, then a random tail so two runs in one second differ. */
function newReleaseId(now, commit) {
    const stamp = now
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    return `${stamp}-${(commit || 'local').slice(0, 7)}-${(0,external_node_crypto_.randomBytes)(2).toString('hex')}`;
}
function checkNames(inputs, name, values, pattern, what) {
    for (const value of values)
        inputs.check(pattern.test(value), name, `'${value}' is not a valid ${what}.`);
}
function checkHostPaths(inputs, name, values) {
    for (const value of values)
        inputs.check(!/[\0\r\n]/.test(value), name, `'${value}' is not a usable path.`);
}
/** `strategy: swarm` deploys the whole stack file on a manager: inputs of the compose rollout that cannot apply are refused. */
function checkSwarmInputs(inputs, v) {
    inputs.check(v.projectName !== undefined, 'project-name', 'is required with strategy: swarm: it names the stack (swarm names the services <project-name>_<service>).');
    inputs.check(v.servicesFirst.length === 0, 'services-first', 'does not apply with strategy: swarm: a stack deploy updates every service at once; order updates with healthchecks and deploy.update_config instead.');
    inputs.check(v.services.length === 0, 'services', 'does not apply with strategy: swarm: a stack deploy updates the whole stack file (put other services in another stack).');
    inputs.check(!v.build, 'build', 'does not apply with strategy: swarm: swarm builds nothing; every node pulls the image (build and push it first).');
    inputs.check(v.composeVersion !== 'v1', 'compose-version', 'v1 does not apply with strategy: swarm: the stack file is rendered with Compose v2 (`docker compose config`).');
}
/** Reads every input into typed settings; problems are recorded on the reader and thrown by `finish()`. */
function readSettings(inputs, env) {
    const transport = inputs.enum('transport', ['ssh', 'local'], { default: 'ssh' });
    const connection = transport === 'ssh' ? (0,ssh_lib/* readSshConnectionInputs */.q)(inputs, { required: true }) : undefined;
    const remoteDirInput = inputs.string('remote-dir', { required: true });
    // Normalised first (`/.`, `//`, trailing `/`), then checked, also as each host will see it ({host}).
    let remoteDir = remoteDirInput;
    if (remoteDirInput !== '') {
        const checked = (0,remote_dir/* checkRemoteDir */.a)(remoteDirInput);
        if ('problem' in checked)
            inputs.problem('remote-dir', checked.problem);
        else {
            remoteDir = checked.dir;
            if (remoteDir.includes('{host}')) {
                for (const target of connection?.targets ?? []) {
                    const forHost = (0,remote_dir/* checkRemoteDir */.a)(remoteDir.replaceAll('{host}', target.host.replace(/[^A-Za-z0-9._-]/g, '-')));
                    if ('problem' in forHost)
                        inputs.problem('remote-dir', `for host ${target.host}: ${forHost.problem}`);
                }
            }
        }
    }
    const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd();
    const sourceDir = (0,external_node_path_.resolve)(workspace, inputs.string('source-dir', { default: '.' }));
    const rollback = inputs.string('rollback');
    const mode = inputs.enum('mode', ['deploy', 'plan', 'check'], { default: 'deploy' });
    const failOnDrift = inputs.boolean('fail-on-drift', { default: true });
    inputs.check(!(rollback && mode !== 'deploy'), 'mode', `${mode} does not apply to a rollback; leave rollback empty.`);
    if (!rollback && mode !== 'check') {
        inputs.check((0,external_node_fs_.existsSync)(sourceDir) && (0,external_node_fs_.statSync)(sourceDir).isDirectory(), 'source-dir', `'${sourceDir}' is not a directory.`);
    }
    else if (rollback) {
        inputs.check(rollback === 'previous' || RELEASE_ID.test(rollback), 'rollback', `'${rollback}' is neither 'previous' nor a release id.`);
    }
    const files = inputs.multiline('files');
    const preserve = inputs.multiline('preserve', {
        default: ['.env', 'docker-compose.override.yml', 'data/', 'logs/'],
    });
    const preserveProblems = preserve.flatMap((p) => {
        const n = (0,deploy_lib/* normalisePreservePattern */.z$)(p);
        return 'problem' in n ? [n.problem] : [];
    });
    for (const problem of preserveProblems)
        inputs.problem('preserve', `${problem}.`);
    const keepReleases = inputs.integer('keep-releases', { default: 5, min: 2, max: 100 });
    const strategyInput = inputs.enum('strategy', ['compose', 'rolling', 'script', 'swarm'], {
        default: 'compose',
    });
    // `rolling` is the compose rollout with a zero-downtime replacement of some services.
    const strategy = strategyInput === 'rolling' ? 'compose' : strategyInput;
    const rollingServices = inputs.multiline('rolling-services', { commas: true });
    checkNames(inputs, 'rolling-services', rollingServices, SERVICE_NAME, 'service name');
    const rollingDrainMs = inputs.duration('rolling-drain', { default: '1s' });
    if (strategyInput !== 'rolling')
        inputs.check(rollingServices.length === 0, 'rolling-services', 'applies only with strategy: rolling.');
    const composeFiles = inputs.multiline('compose-files');
    checkHostPaths(inputs, 'compose-files', composeFiles);
    const envFiles = inputs.multiline('env-files');
    checkHostPaths(inputs, 'env-files', envFiles);
    const projectName = inputs.string('project-name');
    if (projectName !== undefined) {
        inputs.check(PROJECT_NAME.test(projectName), 'project-name', `'${projectName}' is not a compose project name: use lowercase letters, digits, '-' and '_', starting with a letter or digit.`);
    }
    const servicesFirst = inputs.multiline('services-first', { commas: true });
    checkNames(inputs, 'services-first', servicesFirst, SERVICE_NAME, 'service name');
    const migrateService = inputs.string('migrate-service');
    if (migrateService !== undefined)
        checkNames(inputs, 'migrate-service', [migrateService], SERVICE_NAME, 'service name');
    const services = inputs.multiline('services', { commas: true });
    checkNames(inputs, 'services', services, SERVICE_NAME, 'service name');
    const pull = inputs.boolean('pull', { default: true });
    const build = inputs.boolean('build', { default: false });
    const preDeploy = inputs.string('pre-deploy');
    const postDeploy = inputs.string('post-deploy');
    const script = inputs.string('script');
    if (strategy === 'script')
        inputs.check(script !== undefined, 'script', 'is required with strategy: script.');
    const healthUrl = inputs.string('health-url');
    if (healthUrl !== undefined) {
        try {
            (0,probe_lib/* parseProbeUrl */.j_)(healthUrl.replaceAll('{host}', 'host'));
        }
        catch (error) {
            inputs.problem('health-url', error.message);
        }
    }
    const healthCmd = inputs.string('health-cmd');
    const healthTimeoutMs = inputs.duration('health-timeout', { default: '2m', min: 1000 });
    const lockTimeoutMs = inputs.duration('lock-timeout', { default: '5m' });
    const parallel = inputs.integer('parallel', { default: 1, min: 1, max: 64 });
    const failFast = inputs.boolean('fail-fast', { default: true });
    const dryRun = inputs.boolean('dry-run', { default: false });
    const timeoutMs = inputs.duration('timeout', { default: '30m', min: 1000 });
    const composeVersion = inputs.enum('compose-version', ['auto', 'v2', 'v1'], { default: 'auto' });
    const fleetRollback = inputs.boolean('fleet-rollback', { default: false });
    if (strategy === 'swarm')
        checkSwarmInputs(inputs, { projectName, servicesFirst, services, build, composeVersion });
    const commit = env['GITHUB_SHA'] ?? '';
    const origin = {
        id: newReleaseId(new Date(), commit),
        commit,
        actor: env['GITHUB_ACTOR'] ?? 'unknown',
        repository: env['GITHUB_REPOSITORY'] ?? 'unknown',
        run: `${env['GITHUB_RUN_ID'] ?? 'local'}/${env['GITHUB_RUN_ATTEMPT'] ?? '1'}`,
        ...(env['GITHUB_SERVER_URL'] && env['GITHUB_REPOSITORY'] && env['GITHUB_RUN_ID']
            ? {
                runUrl: `${env['GITHUB_SERVER_URL']}/${env['GITHUB_REPOSITORY']}/actions/runs/${env['GITHUB_RUN_ID']}`,
            }
            : {}),
    };
    const deploy = {
        remoteDir,
        sourceDir,
        files,
        preserve,
        keepReleases,
        strategy,
        composeFiles,
        envFiles,
        servicesFirst,
        services,
        pull,
        build,
        healthTimeoutMs,
        lockTimeoutMs,
        dryRun,
        timeoutMs,
        origin,
        composeVersion,
        fleetRollback,
        ...(strategyInput === 'rolling'
            ? { rolling: { services: rollingServices, drainMs: rollingDrainMs } }
            : {}),
        ...(projectName !== undefined ? { projectName } : {}),
        ...(migrateService !== undefined ? { migrateService } : {}),
        ...(preDeploy !== undefined ? { preDeploy } : {}),
        ...(postDeploy !== undefined ? { postDeploy } : {}),
        ...(script !== undefined ? { script } : {}),
        ...(healthUrl !== undefined ? { healthUrl } : {}),
        ...(healthCmd !== undefined ? { healthCmd } : {}),
        ...(rollback !== undefined ? { rollback } : {}),
    };
    return {
        transport,
        targets: connection?.targets ?? [],
        ...(connection ? { ssh: connection.settings } : {}),
        deploy,
        parallel,
        failFast,
        mode,
        failOnDrift,
    };
}
//# sourceMappingURL=settings.js.map
;// CONCATENATED MODULE: ./actions/ssh-deploy/lib/main.js





const LOCKS_STATE = 'held-locks';
const LOCAL_HOST = 'localhost';
function connectorFor(settings, log) {
    if (settings.transport === 'local')
        return { hosts: [LOCAL_HOST], connect: async () => (0,ssh_lib/* localConnection */.GO)() };
    const byLabel = new Map(settings.targets.map((t) => [(0,ssh_lib/* describeTarget */.ff)(t), t]));
    return {
        hosts: [...byLabel.keys()],
        connect: (host) => (0,ssh_lib/* connectSsh */.LZ)(byLabel.get(host), settings.ssh, log),
    };
}
function writeSummary(summary, settings, results) {
    const d = settings.deploy;
    summary.heading(d.dryRun
        ? 'ssh-deploy (dry run: nothing changed)'
        : d.rollback
            ? `ssh-deploy: rollback to ${d.rollback}`
            : 'ssh-deploy');
    summary.paragraph(`Release \`${d.origin.id}\` of \`${d.origin.commit.slice(0, 12) || 'local'}\` to \`${d.remoteDir}\`${d.projectName ? ` (project \`${d.projectName}\`)` : ''}, ` +
        `${results.length} host(s), ${settings.parallel} at a time.`);
    summary.table(['host', 'status', 'release', 'previous', 'running now', 'duration', 'error'], results.map((r) => [
        r.host,
        r.status,
        r.release ?? '',
        r.previousRelease ?? '',
        r.running ?? '',
        (0,lib/* formatDuration */.a3)(r.durationMs),
        (r.error ?? '').split('\n')[0],
    ]));
    const plan = results.find((r) => r.plan)?.plan;
    if (plan)
        summary.heading('Plan', 3).list(plan);
    const detailed = results.filter((r) => r.error && r.error.includes('\n'));
    for (const r of detailed)
        summary.details(`${r.host}: ${r.errorCode ?? 'error'}`, '```\n' + r.error.replace(/```/g, "'''") + '\n```');
}
async function prepareBundle(d) {
    if (d.rollback)
        return undefined;
    const bundle = await (0,deploy_lib/* collectBundle */.FQ)(d.sourceDir, d.files);
    if (d.strategy !== 'script' && d.composeFiles.length === 0 && !bundle.composeFile) {
        throw new lib/* UserError */.yo('no-compose-file', `source-dir '${d.sourceDir}' has no compose.yaml / docker-compose.yml; ship one or name the host's files with compose-files.`);
    }
    // Before anything connects: no build may see remote-dir/.releases.
    if (d.strategy === 'compose')
        (0,deploy_lib/* checkBuildContexts */.f3)(bundle, d.composeFiles);
    return bundle;
}
async function deploy(ctx, settings, bundle) {
    const { log, summary, setOutput, saveState } = ctx;
    const d = settings.deploy;
    const { hosts, connect } = connectorFor(settings, log);
    const held = new Map();
    const saveLocks = () => saveState(LOCKS_STATE, JSON.stringify([...held.values()]));
    const locks = {
        taken: (lock) => {
            held.set(lock.host, lock);
            saveLocks();
        },
        released: (lock) => {
            held.delete(lock.host);
            saveLocks();
        },
    };
    // A rollback ships nothing: its release is the one it goes back to, not the run's new id.
    const what = d.rollback
        ? `${d.dryRun ? 'Planning a rollback' : 'Rolling back'} to ${d.rollback === 'previous' ? 'the previous release' : `release ${d.rollback}`} on`
        : `${d.dryRun ? 'Planning' : 'Deploying'} release ${d.origin.id} to`;
    log.info(`${what} ${hosts.join(', ')} (${settings.parallel} at a time)`);
    const results = await (0,deploy_lib/* deployToHosts */.ex)({
        hosts,
        connect,
        settings: d,
        ...(bundle ? { bundle } : {}),
        parallel: settings.parallel,
        failFast: settings.failFast,
        log,
        locks,
        cancel: ctx.cancelled,
    });
    writeSummary(summary, settings, results);
    const first = results.find((r) => r.release) ?? results[0];
    if (first.release)
        setOutput('release-id', first.release);
    const previous = results.find((r) => r.previousRelease)?.previousRelease;
    setOutput('previous-release-id', previous ?? '');
    setOutput('rolled-back', results.some((r) => r.rolledBack));
    setOutput('hosts', JSON.stringify(results.map(({ plan: _plan, ...rest }) => rest)));
    // The host that failed comes first (its code is the step's error-code), then hosts fleet-rollback took back.
    const failed = results
        .filter((r) => r.status === 'failed' || r.status === 'rolled-back' || r.status === 'cancelled')
        .sort((a, b) => Number(a.errorCode === 'fleet-rolled-back') - Number(b.errorCode === 'fleet-rolled-back'));
    if (failed.length > 0) {
        const others = failed
            .slice(1)
            .map((r) => `\n- ${r.host}: ${(r.error ?? r.status).split('\n')[0]}`)
            .join('');
        const head = failed.length === 1 ? '' : `${failed.length} of ${results.length} hosts failed. `;
        throw new lib/* UserError */.yo(failed[0].errorCode ?? 'deploy-failed', `${head}${failed[0].error ?? 'failed'}${others ? `\nAlso:${others}` : ''}`);
    }
    if (ctx.cancelled.aborted && results.some((r) => r.status === 'skipped'))
        throw new lib/* UserError */.yo('cancelled', `The run was cancelled; not deployed: ${results
            .filter((r) => r.status === 'skipped')
            .map((r) => r.host)
            .join(', ')}.`);
}
const action = {
    name: 'ssh-deploy',
    // A cancel stops each host where it is and records it (session.ts); the lock is released before exit.
    cancellable: true,
    async main(ctx) {
        let settings;
        let bundle;
        try {
            settings = readSettings(ctx.inputs, ctx.env);
            ctx.inputs.finish();
            // `mode: check` compares the hosts with their records: no bundle.
            if (settings.mode !== 'check')
                bundle = await prepareBundle(settings.deploy);
        }
        catch (error) {
            // Nothing was deployed; the summary still says why, as every step's summary does.
            ctx.summary.heading('ssh-deploy: nothing deployed').paragraph((0,lib/* escapeMarkdown */.FV)((0,lib/* errorMessage */.gJ)(error)));
            throw error;
        }
        if (settings.mode === 'plan')
            return runPlan(ctx, settings, bundle, connectorFor(settings, ctx.log));
        if (settings.mode === 'check')
            return runCheck(ctx, settings, connectorFor(settings, ctx.log));
        await deploy(ctx, settings, bundle);
    },
    /** Releases host locks a cancelled or killed main step left behind (only ours: the token must match). */
    async post({ inputs, log, getState }) {
        const raw = getState(LOCKS_STATE);
        const locks = raw ? JSON.parse(raw) : [];
        if (locks.length === 0)
            return;
        const transport = inputs.enum('transport', ['ssh', 'local'], { default: 'ssh' });
        const connection = transport === 'ssh' ? (0,ssh_lib/* readSshConnectionInputs */.q)(inputs, { required: true }) : undefined;
        inputs.finish();
        for (const lock of locks) {
            let conn;
            try {
                if (connection) {
                    const target = connection.targets.find((t) => (0,ssh_lib/* describeTarget */.ff)(t) === lock.host);
                    if (!target)
                        continue;
                    conn = await (0,ssh_lib/* connectSsh */.LZ)(target, connection.settings, log);
                }
                else {
                    conn = (0,ssh_lib/* localConnection */.GO)();
                }
                const stopped = await (0,deploy_lib/* stopLeftoverWork */.RB)(conn, lock);
                if (stopped)
                    log.info(`${lock.host}: ${stopped} (the migration that run left running)`);
                const released = await (0,deploy_lib/* releaseHostLock */.jE)(conn, lock);
                log.info(released
                    ? `${lock.host}: released the host lock ${lock.lockDir} left by the main step`
                    : `${lock.host}: the host lock is no longer ours; left alone`);
            }
            catch (error) {
                log.warning(`${lock.host}: could not release the host lock ${lock.lockDir}: ${error.message}. Remove it on the host if no deploy is running.`);
            }
            finally {
                await conn?.close();
            }
        }
    },
};
//# sourceMappingURL=main.js.map

/***/ })

};
