export const id = 267;
export const ids = [267];
export const modules = {

/***/ 2267:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  action: () => (/* binding */ action)
});

// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
// EXTERNAL MODULE: ./packages/probe/lib/index.js + 7 modules
var probe_lib = __webpack_require__(605);
// EXTERNAL MODULE: ./packages/ssh/lib/index.js + 5 modules
var ssh_lib = __webpack_require__(2932);
;// CONCATENATED MODULE: ./actions/wait-ready/lib/report.js

/** How many attempts the summary's timeline shows (the latest). */
const TIMELINE_ROWS = 100;
/** The `status` output: one `url status` a line; `open`/`closed` for tcp://, `none` when no HTTP answer came. */
function statusLines(result) {
    return result.probes
        .map((p) => {
        if (p.url.startsWith('tcp:'))
            return `${p.url} ${p.consecutivePasses > 0 ? 'open' : 'closed'}`;
        return `${p.url} ${p.lastStatus ?? 'none'}`;
    })
        .join('\n');
}
/** Per URL the verdict and evidence, then the timeline of attempts. */
function writeSummary(summary, result, context) {
    summary.heading(result.ready
        ? `wait-ready: ready in ${(0,lib/* formatDuration */.a3)(result.elapsedMs)}`
        : `wait-ready: ${result.gaveUp === 'aborted' ? 'cancelled' : `not ready after ${(0,lib/* formatDuration */.a3)(context.timeoutMs)}`}`);
    summary.paragraph(`${result.attempts} attempt(s) in ${result.rounds} round(s), probed from ${context.from}.`);
    summary.table(['URL', 'result', 'passes', 'attempts', 'last status', 'last error', 'body (start)'], result.probes.map((p) => [
        p.url,
        p.ready ? 'ready' : 'NOT ready',
        p.passes,
        p.attempts,
        p.lastStatus ?? '-',
        p.lastError ?? '-',
        p.lastBodySnippet ?? '-',
    ]));
    const shown = result.timeline.slice(-TIMELINE_ROWS);
    const hidden = result.timelineDropped + result.timeline.length - shown.length;
    const rows = shown.map((a) => [
        a.round,
        (0,lib/* formatDuration */.a3)(a.atMs),
        a.url,
        a.ok ? 'pass' : 'fail',
        a.status ?? '-',
        a.error ?? '-',
        `${a.durationMs}ms`,
    ]);
    const table = [
        '| round | at | URL | result | status | error | took |',
        '| --- | --- | --- | --- | --- | --- | --- |',
        ...rows.map((r) => `| ${r.map((c) => (0,lib/* escapeMarkdown */.FV)(String(c))).join(' | ')} |`),
    ].join('\n');
    summary.details(`Timeline of attempts${hidden > 0 ? ` (latest ${shown.length}; ${hidden} earlier not shown)` : ''}`, table);
}
//# sourceMappingURL=report.js.map
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
;// CONCATENATED MODULE: ./actions/wait-ready/lib/settings.js





const METHOD = /^[A-Za-z]+$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header values under these names are credentials: masked before anything is logged. */
const SECRET_HEADER = /auth|token|key|secret|cookie|session|password|signature|credential/i;
/**
 * Reads every input into typed settings, recording each problem on the reader; the caller's
 * `inputs.finish()` reports them all at once. Secret-bearing parts (header credentials,
 * passwords in URLs, the SSH key) are masked here, before anything can print them.
 */
function readWaitReadySettings(inputs, log, workspace) {
    const secrets = [];
    const keepSecret = (value) => {
        log.mask(value);
        secrets.push(value);
    };
    const urls = [];
    for (const line of inputs.multiline('url', { required: true })) {
        try {
            const url = (0,probe_lib/* parseProbeUrl */.j_)(line);
            if (url.password !== '') {
                keepSecret(url.password);
                keepSecret(decodeURIComponent(url.password));
            }
            urls.push(line);
        }
        catch (error) {
            inputs.problem('url', `${(0,lib/* errorMessage */.gJ)(error)}.`);
        }
    }
    const method = (inputs.string('method') ?? 'GET').toUpperCase();
    inputs.check(METHOD.test(method), 'method', `'${method}' is not an HTTP method; use e.g. GET, HEAD or POST.`);
    const headers = readHeaders(inputs, keepSecret);
    const expectStatus = readStatusMatcher(inputs);
    const expectBody = readBodyPattern(inputs);
    if (expectBody && method === 'HEAD')
        inputs.problem('expect-body', 'cannot be checked with method HEAD, which gets no body; use GET.');
    const timeoutMs = inputs.duration('timeout', { default: '5m', min: 1 });
    const intervalMs = inputs.duration('interval', { default: '2s', min: 100 });
    const maxIntervalMs = Math.max(intervalMs, inputs.duration('max-interval', { default: '15s', min: 100 }));
    const requestTimeoutMs = inputs.duration('request-timeout', { default: '10s', min: 10 });
    const successThreshold = inputs.integer('success-threshold', { default: 1, min: 1, max: 1000 });
    const initialDelayMs = inputs.duration('initial-delay', { default: '0s' });
    if (initialDelayMs >= timeoutMs && inputs.raw('initial-delay') !== '') {
        inputs.problem('initial-delay', `must be shorter than 'timeout' (${inputs.raw('timeout') || '5m'}), which it counts against.`);
    }
    const caCert = readCaCert(inputs, workspace);
    const insecureTls = inputs.boolean('insecure-tls', { default: false });
    const followRedirects = inputs.boolean('follow-redirects', { default: false });
    const probes = urls.map((url) => ({
        url,
        method,
        headers,
        expectStatus,
        ...(expectBody ? { expectBody } : {}),
        requestTimeoutMs,
        ...(caCert ? { caCert } : {}),
        insecureTls,
        followRedirects,
    }));
    return {
        probes,
        timeoutMs,
        intervalMs,
        maxIntervalMs,
        successThreshold,
        initialDelayMs,
        insecureTls,
        secrets,
    };
}
function readHeaders(inputs, keepSecret) {
    const headers = {};
    const lines = inputs.raw('headers').split(/\r?\n/);
    lines.forEach((line, index) => {
        const text = line.trim();
        if (text === '' || text.startsWith('#'))
            return;
        const colon = text.indexOf(':');
        const name = colon > 0 ? text.slice(0, colon).trim() : '';
        // The line itself is never quoted back: it may hold a credential.
        if (!HEADER_NAME.test(name)) {
            inputs.problem('headers', `line ${index + 1} is not 'Name: value' (e.g. 'Authorization: Bearer ...').`);
            return;
        }
        const value = text.slice(colon + 1).trim();
        if (SECRET_HEADER.test(name) && value !== '') {
            keepSecret(value);
            // "Bearer <token>": the token alone must be hidden too, wherever it turns up.
            const credential = value.split(/\s+/).at(-1);
            if (credential.length >= 6)
                keepSecret(credential);
        }
        headers[name] = value;
    });
    return headers;
}
function readStatusMatcher(inputs) {
    const text = inputs.string('expect-status') ?? '200-299';
    try {
        return (0,probe_lib/* parseStatusMatcher */.W6)(text);
    }
    catch (error) {
        inputs.problem('expect-status', `${(0,lib/* errorMessage */.gJ)(error)}.`);
        return (0,probe_lib/* parseStatusMatcher */.W6)('200-299');
    }
}
/** A plain pattern, or `/pattern/flags` for flags such as `i`. */
function readBodyPattern(inputs) {
    const text = inputs.string('expect-body');
    if (text === undefined)
        return undefined;
    const literal = /^\/(.*)\/([dimsuv]*)$/s.exec(text);
    try {
        return literal ? new RegExp(literal[1], literal[2]) : new RegExp(text);
    }
    catch (error) {
        inputs.problem('expect-body', `is not a valid regular expression (${(0,lib/* errorMessage */.gJ)(error)}).`);
        return undefined;
    }
}
/** Inline PEM, or the path of a PEM file (relative to the workspace). */
function readCaCert(inputs, workspace) {
    const value = inputs.string('ca-cert');
    if (value === undefined)
        return undefined;
    let pem = value;
    if (!value.includes('-----BEGIN')) {
        const path = (0,external_node_path_.isAbsolute)(value) ? value : (0,external_node_path_.resolve)(workspace, value);
        if (!(0,external_node_fs_.existsSync)(path)) {
            inputs.problem('ca-cert', `'${value}' is neither PEM text nor an existing file.`);
            return undefined;
        }
        pem = (0,external_node_fs_.readFileSync)(path, 'utf8');
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
        inputs.problem('ca-cert', 'holds no PEM certificate (-----BEGIN CERTIFICATE-----). Pass the CA certificate, not a key.');
        return undefined;
    }
    try {
        (0,external_node_tls_.createSecureContext)({ ca: pem });
    }
    catch (error) {
        inputs.problem('ca-cert', `could not be loaded as a CA certificate (${(0,lib/* errorMessage */.gJ)(error)}).`);
        return undefined;
    }
    return pem;
}
//# sourceMappingURL=settings.js.map
;// CONCATENATED MODULE: ./actions/wait-ready/lib/via-ssh.js

/**
 * With `via-ssh`, reads the connection inputs exactly as ssh-deploy does (same names, same
 * host-key rules, several hosts allowed). Problems are recorded on the reader.
 */
function readViaSsh(inputs, log) {
    if (!inputs.boolean('via-ssh', { default: false })) {
        if (inputs.has('host')) {
            log.warning("'host' is set but 'via-ssh' is not: probing from the runner. Set via-ssh: true to probe from the host.");
        }
        return undefined;
    }
    const read = (0,ssh_lib/* readSshConnectionInputs */.q)(inputs, { required: true });
    return read && read.targets.length > 0 ? { targets: read.targets, settings: read.settings } : undefined;
}
//# sourceMappingURL=via-ssh.js.map
;// CONCATENATED MODULE: ./actions/wait-ready/lib/main.js






const action = {
    name: 'wait-ready',
    untouched: 'Nothing was probed.',
    async main({ inputs, log, summary, setOutput, env }) {
        const settings = readWaitReadySettings(inputs, log, env['GITHUB_WORKSPACE'] ?? process.cwd());
        const viaSsh = readViaSsh(inputs, log);
        inputs.finish();
        if (settings.insecureTls) {
            log.warning('insecure-tls is set: TLS certificates are NOT verified, so anything on the path can answer for the service. ' +
                'Pass the private CA with ca-cert instead.');
        }
        const started = performance.now();
        const controller = new AbortController();
        // The runner sends SIGINT/SIGTERM when the job is cancelled; stop probing and report what was seen.
        const cancel = () => controller.abort();
        process.once('SIGINT', cancel);
        process.once('SIGTERM', cancel);
        const from = viaSsh
            ? `${viaSsh.targets.map((t) => `${viaSsh.settings.username}@${(0,ssh_lib/* describeTarget */.ff)(t)}`).join(', ')} through SSH`
            : 'the runner';
        let connected = false;
        try {
            const result = await (0,probe_lib/* waitUntilReadyVia */.Pr)(viaSsh, settings.probes, {
                timeoutMs: settings.timeoutMs,
                intervalMs: settings.intervalMs,
                maxIntervalMs: settings.maxIntervalMs,
                successThreshold: settings.successThreshold,
                initialDelayMs: settings.initialDelayMs,
                signal: controller.signal,
                redact: (0,lib/* secretRedactor */.xc)(settings.secrets),
            }, log, {
                connected: (labels) => {
                    connected = true;
                    if (viaSsh)
                        log.info(`Connected to ${labels.join(', ')}; probing from there.`);
                },
            });
            const elapsedMs = Math.round(performance.now() - started);
            setOutput('ready', result.ready);
            setOutput('attempts', result.attempts);
            setOutput('elapsed-ms', elapsedMs);
            setOutput('status', statusLines(result));
            writeSummary(summary, { ...result, elapsedMs }, { timeoutMs: settings.timeoutMs, from });
            if (!result.ready) {
                throw new lib/* UserError */.yo(result.gaveUp === 'aborted' ? 'cancelled' : 'not-ready', (0,probe_lib/* describeNotReady */.gN)({ ...result, elapsedMs }, settings.timeoutMs));
            }
            log.info(`Ready after ${(0,lib/* formatDuration */.a3)(elapsedMs)}: ${settings.probes.map((p) => (0,probe_lib/* displayUrl */.Qy)(p.url)).join(', ')}.`);
        }
        catch (error) {
            if (!connected) {
                // Workflows that continue on error still read the outputs.
                setOutput('ready', false);
                setOutput('attempts', 0);
                setOutput('elapsed-ms', Math.round(performance.now() - started));
                summary
                    .heading('wait-ready: not ready')
                    .paragraph(`Could not open the SSH connection to probe from ${from}; nothing was probed.`);
            }
            throw error;
        }
        finally {
            process.off('SIGINT', cancel);
            process.off('SIGTERM', cancel);
        }
    },
};
//# sourceMappingURL=main.js.map

/***/ })

};
