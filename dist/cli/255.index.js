export const id = 255;
export const ids = [255];
export const modules = {

/***/ 8255:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  action: () => (/* binding */ action)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
// EXTERNAL MODULE: ./packages/compose-env/lib/index.js + 11 modules
var compose_env_lib = __webpack_require__(4089);
;// CONCATENATED MODULE: ./actions/render-env/lib/settings.js



const FORMATS = ['dotenv', 'json'];
const POLICIES = ['none', 'recommended', 'strict'];
/** Reads and checks every input; problems are collected and reported together by `finish()`. */
function readSettings(inputs, workspace) {
    const secretsJson = inputs.json('secrets', { secret: true });
    let secrets = {};
    if (secretsJson !== undefined) {
        if (secretsJson === null || typeof secretsJson !== 'object' || Array.isArray(secretsJson)) {
            inputs.problem('secrets', 'must be a JSON object of names to values, e.g. ${{ toJSON(secrets) }}.');
        }
        else {
            secrets = secretsJson;
        }
    }
    const vars = inputs.mapping('vars');
    for (const key of vars.keys()) {
        inputs.check((0,compose_env_lib/* isValidEnvKey */.rA)(key), 'vars', `'${key}' is not a valid variable name (letters, digits, _ . - [ ]).`);
    }
    const templatePath = inputs.string('template');
    const template = templatePath === undefined ? undefined : readInputFile(inputs, 'template', templatePath, workspace);
    const envFiles = inputs
        .multiline('env-files')
        .map((p) => readInputFile(inputs, 'env-files', p, workspace))
        .filter((f) => f !== undefined);
    const composeFiles = inputs
        .multiline('compose-file')
        .map((p) => readInputFile(inputs, 'compose-file', p, workspace))
        .filter((f) => f !== undefined);
    const format = inputs.enum('format', FORMATS, { default: 'dotenv' });
    const policy = inputs.enum('policy', POLICIES, { default: 'none' });
    const requireDigest = inputs.boolean('require-digest', { default: false });
    const deployOnly = inputs.boolean('deploy-only', { default: false });
    const target = inputs.enum('target', ['compose', 'swarm'], { default: 'compose' });
    const dataRoot = inputs.string('data-root');
    const keep = inputs.boolean('keep', { default: false });
    const output = inputs.string('output') ?? '.env';
    const hasCompose = inputs.has('compose-file');
    inputs.check(inputs.has('template') || inputs.has('env-files') || inputs.has('vars'), 'template', 'nothing to render: give a template (e.g. .env.example), env-files or vars.');
    inputs.check(hasCompose || !requireDigest, 'require-digest', 'needs compose-file: the images to check are read from it.');
    inputs.check(hasCompose || policy === 'none', 'policy', 'needs compose-file: the checks run on its services.');
    inputs.check(policy !== 'none' || !deployOnly, 'deploy-only', "only matters with policy 'recommended' or 'strict'.");
    inputs.check(policy !== 'none' || target === 'compose', 'target', "only matters with policy 'recommended' or 'strict'.");
    inputs.check(policy !== 'none' || dataRoot === undefined, 'data-root', "only matters with policy 'recommended' or 'strict'.");
    inputs.check(dataRoot === undefined || dataRoot.startsWith('/'), 'data-root', `'${dataRoot}' is not an absolute path, e.g. /opt/myapp/prod/data.`);
    const verifiedImages = inputs.multiline('verified-images').flatMap((text) => {
        const ref = (0,compose_env_lib/* parseImageReference */.o_)(text);
        const ok = ref !== undefined && ref.digest !== undefined && /^sha256:[a-f0-9]{64}$/.test(ref.digest);
        inputs.check(ok, 'verified-images', `'${text}' is not an image reference pinned by digest (registry/repo@sha256:<64 hex>).`);
        return ok ? [ref] : [];
    });
    const allowImages = inputs.multiline('allow-images').flatMap((text) => {
        const ref = (0,compose_env_lib/* parseImageReference */.o_)(text);
        inputs.check(ref !== undefined && (ref.digest === undefined || /^sha256:[a-f0-9]{64}$/.test(ref.digest)), 'allow-images', `'${text}' is not an image reference (repo@sha256:<64 hex>, repo:tag, or a bare repo for any digest of it).`);
        return ref ? [ref] : [];
    });
    const keyList = (name) => {
        const keys = inputs.multiline(name);
        for (const key of keys)
            inputs.check((0,compose_env_lib/* isValidEnvKey */.rA)(key), name, `'${key}' is not a valid variable name.`);
        return new Set(keys);
    };
    const secretKeys = inputs.has('secret-keys') ? keyList('secret-keys') : undefined;
    const forbiddenKeys = keyList('forbidden-keys');
    const protectedKeys = keyList('protected-keys');
    const both = (a, b) => [...a].filter((k) => b?.has(k));
    const forbiddenSecrets = both(forbiddenKeys, secretKeys);
    inputs.check(forbiddenSecrets.length === 0, 'secret-keys', `lists ${forbiddenSecrets.join(', ')}, which forbidden-keys forbids.`);
    const protectedSecrets = both(protectedKeys, secretKeys);
    inputs.check(protectedSecrets.length === 0, 'secret-keys', `lists ${protectedSecrets.join(', ')}, which protected-keys says must come from vars.`);
    const checkImages = verifiedImages.length > 0 ||
        allowImages.length > 0 ||
        inputs.has('verified-images') ||
        inputs.has('allow-images');
    inputs.check(hasCompose || !checkImages, 'verified-images', 'needs compose-file: the images to check are read from it.');
    const outputPath = (0,external_node_path_.resolve)(workspace, output);
    inputs.check(!(0,external_node_fs_.existsSync)(outputPath) || (0,external_node_fs_.statSync)(outputPath).isFile(), 'output', `'${output}' exists and is not a file.`);
    return {
        template,
        envFiles,
        vars,
        secrets,
        secretValues: collectStrings(secrets),
        output: outputPath,
        format,
        composeFiles,
        requireDigest,
        policy,
        deployOnly,
        dataRoot,
        target,
        keep,
        verifiedImages,
        allowImages,
        checkImages,
        secretKeys,
        forbiddenKeys,
        protectedKeys,
    };
}
function readInputFile(inputs, input, path, workspace) {
    try {
        return { name: path, text: (0,external_node_fs_.readFileSync)((0,external_node_path_.resolve)(workspace, path), 'utf8') };
    }
    catch (error) {
        const code = error.code;
        inputs.problem(input, code === 'ENOENT'
            ? `'${path}' does not exist (paths are relative to the workspace).`
            : `'${path}' cannot be read (${code}).`);
        return undefined;
    }
}
function collectStrings(value) {
    if (typeof value === 'string')
        return value === '' ? [] : [value];
    // Short numbers and booleans are not secrets worth hiding ("1", "true" are everywhere).
    if (typeof value === 'number')
        return String(value).length >= 4 ? [String(value)] : [];
    if (Array.isArray(value))
        return value.flatMap(collectStrings);
    if (value !== null && typeof value === 'object')
        return Object.values(value).flatMap(collectStrings);
    return [];
}
//# sourceMappingURL=settings.js.map
;// CONCATENATED MODULE: ./actions/render-env/lib/main.js






const STATE_ENV_FILE = 'env-file';
const STATE_EXISTED = 'env-file-existed';
const STATE_BACKUP = 'env-file-backup';
const STATE_MODE = 'env-file-mode';
const STATE_TEMP = 'env-file-temp';
const action = {
    name: 'render-env',
    untouched: 'Nothing was written.',
    async main(ctx) {
        const workspace = ctx.env['GITHUB_WORKSPACE'] || process.cwd();
        const settings = readSettings(ctx.inputs, workspace);
        const redact = (0,lib/* secretRedactor */.xc)(settings.secretValues);
        try {
            ctx.inputs.finish();
            const file = await (0,compose_env_lib/* renderEnvFile */.mJ)(settings, ctx.log, {
                checked: (check) => writeSummary(ctx, settings, check, workspace, redact),
                beforeWrite: (temp) => {
                    if (!settings.keep)
                        recordForPost(ctx, settings.output, temp);
                },
            });
            ctx.setOutput('env-file', file.path);
            ctx.setOutput('keys', file.keys.join('\n'));
            ctx.setOutput('sha256', file.sha256);
            if (file.composeConfig !== undefined)
                ctx.setOutput('compose-config', file.composeConfig);
        }
        catch (error) {
            // A secret can reach a message through interpolation (`${X:?${SECRET}}`); none leaves.
            if (!(error instanceof lib/* UserError */.yo))
                throw error;
            const message = redact(error.message);
            // Bad inputs (rethrown as they came) get runAction's standard summary.
            const standard = error instanceof lib/* InputError */.dz && message === error.message;
            if (ctx.summary.toMarkdown() === '' && !standard)
                ctx.summary.heading('render-env failed').code(message);
            // Rethrown as it came when nothing was redacted, so an InputError keeps its list of problems.
            throw message === error.message ? error : new lib/* UserError */.yo(error.code, message);
        }
    },
    async post({ getState, log }) {
        const file = getState(STATE_ENV_FILE);
        if (file === '')
            return;
        // A step cancelled while writing leaves its temp file: it holds the secrets too.
        const temp = getState(STATE_TEMP);
        if (temp !== '')
            (0,external_node_fs_.rmSync)(temp, { force: true });
        if (getState(STATE_EXISTED) !== 'true') {
            (0,external_node_fs_.rmSync)(file, { force: true });
            log.info(`Removed the rendered env file ${file} (set keep: true to keep it).`);
            return;
        }
        // The file was there before the step: never delete it, put back what it held.
        const backup = getState(STATE_BACKUP);
        if (backup === '' || !(0,external_node_fs_.existsSync)(backup)) {
            log.warning(`${file} existed before the step and its saved copy is gone: left as the step wrote it.`);
            return;
        }
        (0,external_node_fs_.copyFileSync)(backup, file);
        (0,external_node_fs_.chmodSync)(file, parseInt(getState(STATE_MODE) || '600', 8));
        (0,external_node_fs_.rmSync)((0,external_node_path_.dirname)(backup), { recursive: true, force: true });
        log.info(`Put back the file that was at ${file} before the step (the rendered env is gone from it).`);
    },
};
function writeSummary(ctx, settings, { rendered, findings, unpinned }, workspace, redact) {
    const { summary } = ctx;
    const where = (0,external_node_path_.relative)(workspace, settings.output) || (0,external_node_path_.basename)(settings.output);
    summary.heading('render-env');
    summary.paragraph(`${rendered.values.size} keys rendered to \`${where}\` (${settings.format}, mode 0600).`);
    const rows = [...rendered.values].map(([key, v]) => {
        const shown = (0,compose_env_lib/* shownValue */.JJ)(key, v, settings.secretValues);
        const value = v.secret
            ? '(secret, hidden)'
            : shown === undefined
                ? '(hidden)'
                : shown === ''
                    ? '(empty)'
                    : shown;
        const source = v.source === 'env-file' ? `env-file ${v.file}` : v.source;
        return [key, value, source, v.description ?? ''].map((c) => redact(c));
    });
    if (rows.length > 0)
        summary.table(['Key', 'Value', 'Source', 'Description'], rows);
    if (rendered.ignoredSecrets.length > 0) {
        const text = `Ignored ${rendered.ignoredSecrets.length} secret(s) the template does not declare: ${rendered.ignoredSecrets.join(', ')}.`;
        summary.paragraph(redact(text));
        ctx.log.notice(redact(text));
    }
    if (rendered.undeclared.length > 0) {
        const text = `Keys not declared in the template: ${rendered.undeclared.join(', ')}. Document them in ${settings.template?.name}.`;
        summary.paragraph(redact(text));
        ctx.log.notice(redact(text));
    }
    if (unpinned.length > 0) {
        summary.heading('Images not pinned by digest', 3);
        summary.table(['Service', 'Problem'], unpinned.map((u) => [u.service, redact(u.problem)]));
    }
    if (settings.policy !== 'none') {
        summary.heading(`Policy (${settings.policy}): ${findings.length} finding(s)`, 3);
        if (findings.length > 0) {
            summary.table(['Service', 'Rule', 'Finding', 'Fix'], findings.map((f) => [f.service, f.rule, redact(f.message), redact(f.fix)]));
        }
    }
}
/**
 * Tells the post step what to clean up: the file, the temp file beside it, and whether the
 * file existed before (then a private copy is kept in RUNNER_TEMP to put back).
 */
function recordForPost(ctx, output, temp) {
    ctx.saveState(STATE_ENV_FILE, output);
    ctx.saveState(STATE_TEMP, temp);
    const existed = (0,external_node_fs_.existsSync)(output);
    ctx.saveState(STATE_EXISTED, String(existed));
    if (!existed)
        return;
    try {
        const dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(ctx.env['RUNNER_TEMP'] || (0,external_node_os_.tmpdir)(), 'render-env-'));
        const backup = (0,external_node_path_.join)(dir, 'previous');
        (0,external_node_fs_.copyFileSync)(output, backup);
        (0,external_node_fs_.chmodSync)(backup, 0o600);
        ctx.saveState(STATE_MODE, ((0,external_node_fs_.statSync)(output).mode & 0o7777).toString(8));
        ctx.saveState(STATE_BACKUP, backup);
    }
    catch (error) {
        throw new lib/* UserError */.yo('output-failed', `Input 'output': cannot keep a copy of the existing ${output}: ${(0,lib/* errorMessage */.gJ)(error)}`);
    }
}
//# sourceMappingURL=main.js.map

/***/ })

};
