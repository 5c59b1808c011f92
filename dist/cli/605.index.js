export const id = 605;
export const ids = [605];
export const modules = {

/***/ 605:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  gN: () => (/* reexport */ describeNotReady),
  Qy: () => (/* reexport */ displayUrl),
  j_: () => (/* reexport */ parseProbeUrl),
  W6: () => (/* reexport */ parseStatusMatcher),
  bs: () => (/* reexport */ waitUntilReady),
  Pr: () => (/* reexport */ waitUntilReadyVia)
});

// UNUSED EXPORTS: MAX_BODY_BYTES, MAX_REDIRECTS, SNIPPET_CHARS, backoffDelay, describeError, directDial, probeOnce, snippet

;// CONCATENATED MODULE: ./packages/probe/lib/status-matcher.js
const PART = /^(\d{3})(?:\s*-\s*(\d{3}))?$/;
/**
 * Parses status codes and ranges separated by commas: `200`, `200-299,301`.
 * Throws an Error saying what is wrong (and the accepted form) on bad text.
 */
function parseStatusMatcher(text) {
    const parts = text
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '');
    if (parts.length === 0)
        throw new Error('is empty; use codes and ranges such as 200-299,301');
    const ranges = [];
    for (const part of parts) {
        const m = PART.exec(part);
        if (!m)
            throw new Error(`'${part}' is not a status code or range; use codes and ranges such as 200-299,301`);
        const low = Number(m[1]);
        const high = m[2] === undefined ? low : Number(m[2]);
        for (const code of [low, high]) {
            if (code < 100 || code > 599)
                throw new Error(`'${part}': ${code} is not an HTTP status (100-599)`);
        }
        if (high < low)
            throw new Error(`'${part}' is a range whose end is below its start`);
        ranges.push([low, high]);
    }
    return {
        text: ranges.map(([l, h]) => (l === h ? String(l) : `${l}-${h}`)).join(','),
        ranges,
        matches: (status) => ranges.some(([l, h]) => status >= l && status <= h),
    };
}
//# sourceMappingURL=status-matcher.js.map
;// CONCATENATED MODULE: ./packages/probe/lib/probe-url.js
const PROTOCOLS = new Set(['http:', 'https:', 'tcp:']);
/**
 * Parses a probe URL (`http://`, `https://` or `tcp://host:port`). Throws an Error
 * saying what is wrong and the accepted forms.
 */
function parseProbeUrl(text) {
    if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text.trim())) {
        throw new Error(`'${redactUrlText(text.trim())}' has no scheme; write http://, https:// or tcp:// in front`);
    }
    if (/\s/.test(text.trim())) {
        throw new Error(`'${redactUrlText(text.trim())}' contains a space; one URL a line, and comments on lines of their own`);
    }
    let url;
    try {
        url = new URL(text.trim());
    }
    catch {
        throw new Error(`'${redactUrlText(text)}' is not a URL; use http(s)://host[:port]/path or tcp://host:port`);
    }
    if (!PROTOCOLS.has(url.protocol)) {
        throw new Error(`'${displayUrl(url)}' uses ${url.protocol.replace(/:$/, '')}; use http, https or tcp`);
    }
    if (url.hostname === '')
        throw new Error(`'${displayUrl(url)}' has no host`);
    if (url.protocol === 'tcp:' && url.port === '') {
        throw new Error(`'${displayUrl(url)}' has no port; use tcp://host:port`);
    }
    return url;
}
/** The URL as it may be shown: as written, except that a password in it is replaced by `***`. */
function displayUrl(url) {
    let parsed;
    try {
        parsed = typeof url === 'string' ? new URL(url) : url;
    }
    catch {
        return redactUrlText(String(url));
    }
    if (parsed.password === '')
        return typeof url === 'string' ? url.trim() : parsed.href;
    const copy = new URL(parsed.href);
    copy.password = '***';
    return copy.href;
}
/** The host part as net.connect wants it: IPv6 literals without brackets. */
function connectHost(url) {
    return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
function defaultPort(url) {
    if (url.port !== '')
        return Number(url.port);
    return url.protocol === 'https:' ? 443 : 80;
}
function redactUrlText(text) {
    return text.replace(/\/\/([^/@:\s]*):[^/@\s]*@/, '//$1:***@');
}
//# sourceMappingURL=probe-url.js.map
// EXTERNAL MODULE: external "node:http"
var external_node_http_ = __webpack_require__(7067);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
// EXTERNAL MODULE: external "node:tls"
var external_node_tls_ = __webpack_require__(1692);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
;// CONCATENATED MODULE: ./packages/probe/lib/probe-once.js





/** Enough of a body to find a "ready" marker; a huge page is not read to the end. */
const MAX_BODY_BYTES = 256 * 1024;
/** How much of a body the report quotes. */
const SNIPPET_CHARS = 200;
const MAX_REDIRECTS = 5;
const USER_AGENT = 'deploy-actions-wait-ready';
/**
 * A direct TCP connection. `autoSelectFamily` tries every address a name resolves to
 * (happy eyeballs). `localhost` is tried on 127.0.0.1 and then ::1 whatever /etc/hosts
 * says (it is loopback by definition, RFC 6761): many hosts map it to one family only,
 * and a service may listen on the other.
 */
const directDial = async (host, port) => {
    if (!isLocalhost(host))
        return connectTcp(host, port);
    try {
        return await connectTcp('127.0.0.1', port);
    }
    catch (v4) {
        try {
            return await connectTcp('::1', port);
        }
        catch (v6) {
            throw new AggregateError([v4, v6], `could not connect to localhost:${port}`);
        }
    }
};
function isLocalhost(host) {
    const name = host.toLowerCase().replace(/\.$/, '');
    return name === 'localhost' || name.endsWith('.localhost');
}
function connectTcp(host, port) {
    return new Promise((resolve, reject) => {
        const socket = (0,external_node_net_.connect)({ host, port, autoSelectFamily: true });
        const onError = (error) => {
            socket.destroy();
            reject(error);
        };
        socket.once('error', onError);
        socket.once('connect', () => {
            socket.off('error', onError);
            resolve(socket);
        });
    });
}
class ProbeTimeout extends Error {
}
/**
 * Probes once. Never rejects and always settles within `options.timeoutMs`: a server
 * that accepts and then says nothing (or trickles bytes) is cut off by one timer that
 * covers connect, TLS, headers, body and redirects together.
 */
async function probeOnce(spec, options) {
    const started = performance.now();
    const redact = options.redact ?? ((text) => text);
    const elapsed = () => Math.round(performance.now() - started);
    const controller = new AbortController();
    const onOuterAbort = () => controller.abort(new Error('cancelled'));
    options.signal?.addEventListener('abort', onOuterAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new ProbeTimeout(`no complete answer within ${(0,lib/* formatDuration */.a3)(options.timeoutMs)}`)), Math.max(0, options.timeoutMs));
    try {
        const url = parseProbeUrl(spec.url);
        const dial = options.dial ?? directDial;
        const partial = url.protocol === 'tcp:'
            ? await probeTcp(url, dial, controller.signal)
            : await probeHttp(url, spec, dial, controller.signal, redact);
        return { ...partial, ...(partial.error ? { error: redact(partial.error) } : {}), durationMs: elapsed() };
    }
    catch (error) {
        const reason = controller.signal.aborted ? controller.signal.reason : error;
        const timedOut = reason instanceof ProbeTimeout;
        return {
            ok: false,
            error: redact(describeError(reason)),
            ...(timedOut ? { timedOut } : {}),
            durationMs: elapsed(),
        };
    }
    finally {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onOuterAbort);
    }
}
async function probeTcp(url, dial, signal) {
    const stream = await abortable(dial(connectHost(url), defaultPort(url)), signal, (late) => late.destroy());
    stream.destroy();
    return { ok: true };
}
async function probeHttp(url, spec, dial, signal, redact) {
    let current = url;
    let method = spec.method.toUpperCase();
    let headers = withBasicAuth(spec.headers, url);
    for (let hop = 0;; hop++) {
        const response = await httpRequest(current, method, headers, spec, dial, signal);
        const location = typeof response.headers.location === 'string' ? response.headers.location : undefined;
        const redirect = response.status >= 300 && response.status < 400 && response.status !== 304 && location !== undefined;
        if (redirect && spec.followRedirects && hop < MAX_REDIRECTS) {
            const next = new URL(location, current);
            // Credentials go only to the origin they were given for, as curl and browsers do.
            if (next.origin !== current.origin)
                headers = withoutCredentials(headers);
            if ([301, 302, 303].includes(response.status) && method !== 'GET' && method !== 'HEAD')
                method = 'GET';
            current = next;
            continue;
        }
        return judge(response, spec, redirect ? redact(new URL(location, current).href) : undefined, redact);
    }
}
function judge(response, spec, location, redact) {
    const text = response.body.toString('utf8');
    const bodySnippet = snippet(redact(text));
    const base = {
        status: response.status,
        ...(bodySnippet !== '' ? { bodySnippet } : {}),
        ...(location ? { location } : {}),
    };
    if (!spec.expectStatus.matches(response.status)) {
        const where = location ? ` (redirect to ${location}; set follow-redirects to follow it)` : '';
        return {
            ...base,
            ok: false,
            error: `status ${response.status}, expected ${spec.expectStatus.text}${where}`,
        };
    }
    if (spec.expectBody) {
        spec.expectBody.lastIndex = 0;
        if (!spec.expectBody.test(text))
            return { ...base, ok: false, error: `body does not match /${spec.expectBody.source}/` };
    }
    return { ...base, ok: true };
}
function httpRequest(url, method, headers, spec, dial, signal) {
    const host = connectHost(url);
    const port = defaultPort(url);
    const secure = url.protocol === 'https:';
    return new Promise((resolve, reject) => {
        let settled = false;
        const finish = (error, value) => {
            if (settled)
                return;
            settled = true;
            signal.removeEventListener('abort', onAbort);
            req.destroy();
            if (error)
                reject(error);
            else
                resolve(value);
        };
        const onAbort = () => finish(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
        const req = (0,external_node_http_.request)({
            method,
            host,
            port,
            path: `${url.pathname}${url.search}`,
            // The Host header is set here because the request itself never sees the real hostname
            // when the connection is dialled through a tunnel.
            setHost: false,
            headers: { host: url.host, 'user-agent': USER_AGENT, accept: '*/*', ...headers, connection: 'close' },
            createConnection: ((_options, done) => {
                dial(host, port).then((stream) => {
                    if (settled) {
                        stream.destroy();
                        return;
                    }
                    done(null, secure ? startTls(stream, host, spec) : stream);
                }, (error) => done(error));
                return undefined;
            }),
        });
        req.on('error', (error) => finish(error));
        req.on('response', (res) => {
            const chunks = [];
            let size = 0;
            const done = () => finish(undefined, { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
            res.on('data', (chunk) => {
                if (size >= MAX_BODY_BYTES)
                    return;
                chunks.push(chunk.subarray(0, MAX_BODY_BYTES - size));
                size += chunk.length;
                if (size >= MAX_BODY_BYTES)
                    done();
            });
            res.on('end', done);
            res.on('error', (error) => finish(error));
            res.on('aborted', () => finish(new Error('the server closed the connection mid-response')));
        });
        if (signal.aborted)
            onAbort();
        else
            signal.addEventListener('abort', onAbort, { once: true });
        req.end();
    });
}
function startTls(stream, host, spec) {
    return (0,external_node_tls_.connect)({
        socket: stream,
        host,
        // SNI carries names only; an IP literal there is against RFC 6066.
        ...((0,external_node_net_.isIP)(host) === 0 ? { servername: host } : {}),
        ...(spec.caCert ? { ca: spec.caCert } : {}),
        rejectUnauthorized: !spec.insecureTls,
        ALPNProtocols: ['http/1.1'],
    });
}
function withBasicAuth(headers, url) {
    const has = Object.keys(headers).some((k) => k.toLowerCase() === 'authorization');
    if (has || (url.username === '' && url.password === ''))
        return headers;
    const user = decodeURIComponent(url.username);
    const password = decodeURIComponent(url.password);
    return { ...headers, authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` };
}
function withoutCredentials(headers) {
    return Object.fromEntries(Object.entries(headers).filter(([k]) => !/^(authorization|cookie|proxy-authorization)$/i.test(k)));
}
/** Settles with `promise`, or rejects when `signal` aborts first (then `cleanup` gets a late result). */
function abortable(promise, signal, cleanup) {
    return new Promise((resolve, reject) => {
        const onAbort = () => reject(signal.reason);
        if (signal.aborted)
            onAbort();
        signal.addEventListener('abort', onAbort, { once: true });
        promise.then((value) => {
            signal.removeEventListener('abort', onAbort);
            if (signal.aborted)
                cleanup(value);
            else
                resolve(value);
        }, (error) => {
            signal.removeEventListener('abort', onAbort);
            reject(error);
        });
    });
}
/** The start of a body as one line, for reports. */
function snippet(text) {
    const flat = text.replace(/\s+/g, ' ').trim();
    return flat.length > SNIPPET_CHARS ? `${flat.slice(0, SNIPPET_CHARS)}…` : flat;
}
/** A connection error as a person reads it: `connection refused (ECONNREFUSED 127.0.0.1:8080)`. */
function describeError(error) {
    if (error instanceof ProbeTimeout)
        return `timed out: ${error.message}`;
    // Duck-typed: errors from node's core can come from another realm (jest's VM, ncc's shims).
    if (typeof error !== 'object' || error === null || !('message' in error))
        return String(error);
    const e = error;
    if (Array.isArray(e.errors) && e.errors.length > 0)
        return [...new Set(e.errors.map(describeError))].join('; ');
    const where = e.address
        ? ` ${e.address.includes(':') ? `[${e.address}]` : e.address}${e.port ? `:${e.port}` : ''}`
        : '';
    const plain = e.code ? ERROR_WORDS[e.code] : undefined;
    if (plain)
        return `${plain} (${e.code}${where})`;
    const certificate = e.code !== undefined && CERTIFICATE_PROBLEM.test(e.code);
    let message = e.message === '' ? e.name : e.message;
    // Node 24 appends advice about its own command line, which an action's user cannot pass;
    // ca-cert is what they can do.
    if (certificate)
        message = message.replace(NODE_SYSTEM_CA_HINT, '');
    const described = e.code && !message.includes(e.code) ? `${message} (${e.code})` : message;
    return certificate ? `${described}; if the server uses a private CA, pass it with ca-cert` : described;
}
const CERTIFICATE_PROBLEM = /CERT|UNABLE_TO_|SELF_SIGNED|LEAF_SIGNATURE/;
const NODE_SYSTEM_CA_HINT = /; if the root CA is installed locally, try running Node\.js with --use-system-ca/;
const ERROR_WORDS = {
    ECONNREFUSED: 'connection refused',
    ECONNRESET: 'connection reset by the server',
    ENOTFOUND: 'host name not found',
    EAI_AGAIN: 'host name lookup failed (temporary)',
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ETIMEDOUT: 'connection timed out',
    EPIPE: 'connection closed by the server',
};
//# sourceMappingURL=probe-once.js.map
;// CONCATENATED MODULE: ./packages/probe/lib/backoff.js
/**
 * How much each failing round past the grace stretches the wait. Deliberately gentle: a
 * readiness gate's whole point is to notice quickly, and one request every few seconds costs a
 * service nothing. The benchmark showed ×1.5 from the first failure losing to a plain
 * `until curl; do sleep 2; done` loop on outages of a few seconds to a minute.
 */
const BACKOFF_FACTOR = 1.2;
/** Failing rounds probed at the base interval before the wait starts to grow (20s at the default 2s). */
const BACKOFF_GRACE_ROUNDS = 10;
/** Jitter spreads the wait over ±20%, so several gates started together do not probe in lockstep. */
const JITTER = 0.2;
/**
 * The wait before the next round after `failures` consecutive failing rounds:
 * `interval × 1.2^(failures − grace)` (just `interval` within the grace), jittered by ±20%,
 * never above `maxIntervalMs`. `random` returns a number in [0, 1), like Math.random.
 */
function backoffDelay(failures, timing, random = Math.random) {
    const ceiling = Math.max(timing.intervalMs, timing.maxIntervalMs);
    const growth = Math.max(0, failures - (timing.graceRounds ?? BACKOFF_GRACE_ROUNDS));
    const base = Math.min(ceiling, timing.intervalMs * BACKOFF_FACTOR ** growth);
    const jittered = base * (1 - JITTER + 2 * JITTER * random());
    return Math.max(0, Math.min(ceiling, Math.round(jittered)));
}
//# sourceMappingURL=backoff.js.map
;// CONCATENATED MODULE: ./packages/probe/lib/wait.js




const MIN_ROUND_MS = 5;
const realClock = {
    now: () => performance.now(),
    sleep: (ms, signal) => new Promise((resolve) => {
        if (signal?.aborted || ms <= 0) {
            resolve();
            return;
        }
        const done = () => {
            clearTimeout(timer);
            signal?.removeEventListener('abort', done);
            resolve();
        };
        const timer = setTimeout(done, ms);
        signal?.addEventListener('abort', done, { once: true });
    }),
};
/**
 * Probes every URL in rounds until each has passed `successThreshold` times in a row,
 * or the overall timeout (which includes `initialDelayMs`) runs out. A URL that has
 * reached its threshold is not probed again. All pending URLs of a round are probed
 * together; each request is cut off at the request timeout or at the deadline,
 * whichever is nearer, so nothing can hold the gate past `timeoutMs`.
 * Between rounds the wait is `intervalMs`; after `backoffGraceRounds` (10) failing rounds in a
 * row it backs off (×1.2 a round, ±20% jitter, capped at `maxIntervalMs`); a round in which every pending URL passes
 * resets it, so a threshold of passes is collected at the base interval.
 */
async function waitUntilReady(probes, options, log) {
    const clock = options.clock ?? realClock;
    const probe = options.probe ?? probeOnce;
    const maxTimeline = options.maxTimeline ?? 500;
    const threshold = Math.max(1, options.successThreshold);
    const start = clock.now();
    const deadline = start + options.timeoutMs;
    const remaining = () => deadline - clock.now();
    const sinceStart = () => Math.round(clock.now() - start);
    const reports = probes.map((p) => ({
        url: displayUrl(p.url),
        ready: false,
        attempts: 0,
        passes: 0,
        consecutivePasses: 0,
    }));
    const timeline = [];
    let timelineDropped = 0;
    let attempts = 0;
    let rounds = 0;
    let failures = 0;
    const finish = (ready, gaveUp) => ({
        ready,
        attempts,
        rounds,
        elapsedMs: sinceStart(),
        ...(gaveUp ? { gaveUp } : {}),
        probes: reports,
        timeline,
        timelineDropped,
    });
    if (options.initialDelayMs > 0) {
        log.info(`Waiting ${(0,lib/* formatDuration */.a3)(options.initialDelayMs)} before the first probe (initial-delay).`);
        await clock.sleep(Math.min(options.initialDelayMs, remaining()), options.signal);
    }
    for (;;) {
        if (options.signal?.aborted)
            return finish(false, 'aborted');
        // A round started in the last few milliseconds could only time out.
        if (remaining() < MIN_ROUND_MS)
            return finish(false, 'timeout');
        rounds++;
        const pending = probes
            .map((spec, index) => ({ spec, index }))
            .filter(({ index }) => !reports[index].ready);
        const outcomes = await Promise.all(pending.map(async ({ spec, index }) => {
            const atMs = sinceStart();
            const timeoutMs = Math.max(1, Math.round(Math.min(spec.requestTimeoutMs, remaining())));
            const outcome = await probe(spec, {
                timeoutMs,
                ...(options.dial ? { dial: options.dial } : {}),
                ...(options.signal ? { signal: options.signal } : {}),
                ...(options.redact ? { redact: options.redact } : {}),
            });
            return { index, atMs, outcome, cutShort: timeoutMs < spec.requestTimeoutMs };
        }));
        let roundPassed = true;
        for (const { index, atMs, outcome: seen, cutShort } of outcomes) {
            attempts++;
            const report = reports[index];
            report.attempts++;
            // A request the overall deadline cut short says nothing about the service; the evidence
            // of the attempts before it (a refused connection, a 503) is what explains the failure.
            const deadlineCut = !seen.ok && seen.timedOut === true && cutShort && report.attempts > 1;
            const outcome = deadlineCut ? { ...seen, error: 'cut off by the overall timeout' } : seen;
            if (!outcome.ok) {
                roundPassed = false;
                report.consecutivePasses = 0;
            }
            // A cut-short attempt is counted and shown on the timeline, but leaves the evidence as it was.
            if (!deadlineCut)
                recordEvidence(report, outcome, threshold);
            timeline.push({
                round: rounds,
                url: report.url,
                atMs,
                ok: outcome.ok,
                ...(outcome.status !== undefined ? { status: outcome.status } : {}),
                ...(outcome.error !== undefined ? { error: outcome.error } : {}),
                durationMs: outcome.durationMs,
            });
            if (timeline.length > maxTimeline) {
                timeline.shift();
                timelineDropped++;
            }
            log.info(`${(0,lib/* formatDuration */.a3)(atMs).padStart(6)}  ${describeAttempt(report, outcome, threshold)}`);
        }
        if (reports.every((r) => r.ready))
            return finish(true);
        if (options.signal?.aborted)
            return finish(false, 'aborted');
        failures = roundPassed ? 0 : failures + 1;
        const delay = backoffDelay(failures, {
            intervalMs: options.intervalMs,
            maxIntervalMs: options.maxIntervalMs,
            ...(options.backoffGraceRounds !== undefined ? { graceRounds: options.backoffGraceRounds } : {}),
        }, options.random);
        if (remaining() < MIN_ROUND_MS)
            return finish(false, 'timeout');
        await clock.sleep(Math.min(delay, remaining()), options.signal);
    }
}
function recordEvidence(report, outcome, threshold) {
    if (outcome.status !== undefined)
        report.lastStatus = outcome.status;
    else
        delete report.lastStatus;
    if (outcome.bodySnippet !== undefined)
        report.lastBodySnippet = outcome.bodySnippet;
    if (outcome.location !== undefined)
        report.lastLocation = outcome.location;
    if (outcome.ok) {
        report.passes++;
        report.consecutivePasses++;
        if (report.consecutivePasses >= threshold)
            report.ready = true;
    }
    else {
        report.lastError = outcome.error ?? 'failed';
    }
}
function describeAttempt(report, outcome, threshold) {
    const status = outcome.status !== undefined ? `${outcome.status} ` : '';
    const verdict = outcome.ok
        ? `pass${threshold > 1 ? ` ${report.consecutivePasses}/${threshold}` : ''}`
        : `fail: ${outcome.error ?? 'failed'}`;
    return `${report.url}  ${status}${verdict} (${outcome.durationMs}ms)`;
}
/**
 * The failure as one message: per URL the last status, the last error and the start of the body.
 */
function describeNotReady(result, timeoutMs) {
    const why = result.gaveUp === 'aborted' ? 'Cancelled' : `Not ready after ${(0,lib/* formatDuration */.a3)(timeoutMs)}`;
    const lines = result.probes.map((p) => {
        if (p.ready)
            return `  - ${p.url}: ready (${p.passes} pass(es) in ${p.attempts} attempt(s))`;
        const parts = [
            p.lastStatus !== undefined ? `last status ${p.lastStatus}` : 'no HTTP answer',
            p.lastError !== undefined ? `last error: ${p.lastError}` : undefined,
            p.consecutivePasses > 0 ? `${p.consecutivePasses} consecutive pass(es) at the end` : undefined,
            p.lastBodySnippet !== undefined ? `body: "${p.lastBodySnippet}"` : undefined,
        ].filter((s) => s !== undefined);
        return `  - ${p.url}: ${parts.join('; ')} (${p.attempts} attempt(s))`;
    });
    return `${why} (${result.attempts} attempt(s) over ${(0,lib/* formatDuration */.a3)(result.elapsedMs)}):\n${lines.join('\n')}`;
}
//# sourceMappingURL=wait.js.map
// EXTERNAL MODULE: ./packages/ssh/lib/index.js + 5 modules
var ssh_lib = __webpack_require__(2932);
;// CONCATENATED MODULE: ./packages/probe/lib/merge.js

/** A logger that names the host on every line, so interleaved progress stays readable. */
function labelledLogger(log, label) {
    if (label === undefined)
        return log;
    return { ...log, info: (m) => log.info(`[${label}] ${m}`), debug: (m) => log.debug(`[${label}] ${m}`) };
}
/**
 * One result for all hosts: ready when every host saw every URL ready. With several hosts,
 * each URL is named `host url` (in the status output, the summary and the error).
 */
function mergeResults(parts) {
    if (parts.length === 1)
        return parts[0].result;
    const name = (label, url) => label === undefined ? url : `${label} ${url}`;
    const gaveUp = parts.some((p) => p.result.gaveUp === 'aborted')
        ? 'aborted'
        : parts.some((p) => p.result.gaveUp)
            ? 'timeout'
            : undefined;
    return {
        ready: parts.every((p) => p.result.ready),
        attempts: parts.reduce((sum, p) => sum + p.result.attempts, 0),
        rounds: Math.max(...parts.map((p) => p.result.rounds)),
        elapsedMs: Math.max(...parts.map((p) => p.result.elapsedMs)),
        ...(gaveUp ? { gaveUp } : {}),
        probes: parts.flatMap((p) => p.result.probes.map((r) => ({ ...r, url: name(p.label, r.url) }))),
        timeline: parts
            .flatMap((p) => p.result.timeline.map((a) => ({ ...a, url: name(p.label, a.url) })))
            .sort((a, b) => a.atMs - b.atMs),
        timelineDropped: parts.reduce((sum, p) => sum + p.result.timelineDropped, 0),
    };
}
/**
 * Runs `waitUntilReady` from every vantage at once (each gets its own dialer and a logger that
 * names its host) and merges the results: ready when every host saw every URL ready.
 */
async function waitUntilReadyFrom(vantages, probes, options, log) {
    const several = vantages.length > 1;
    const parts = await Promise.all(vantages.map(async (vantage) => ({
        ...(vantage.label !== undefined && several ? { label: vantage.label } : {}),
        result: await waitUntilReady(probes, { ...options, ...(vantage.dial ? { dial: vantage.dial } : {}) }, labelledLogger(log, several ? vantage.label : undefined)),
    })));
    return mergeResults(parts);
}
//# sourceMappingURL=merge.js.map
;// CONCATENATED MODULE: ./packages/probe/lib/vantage.js



/**
 * Opens one SSH connection per host, all at once, within `timeoutMs`. When any fails, the
 * others are closed and the first failure is thrown (an SSH UserError that says why).
 */
async function openVantages(viaSsh, timeoutMs, log) {
    if (!viaSsh)
        return [{ close: async () => undefined }];
    const settings = {
        ...viaSsh.settings,
        connectTimeoutMs: Math.min(viaSsh.settings.connectTimeoutMs, timeoutMs),
    };
    const opened = await Promise.allSettled(viaSsh.targets.map((target) => (0,ssh_lib/* connectSsh */.LZ)(target, settings, log)));
    const failed = opened.find((o) => o.status === 'rejected');
    const connections = opened.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    if (failed) {
        await Promise.all(connections.map((c) => c.close()));
        throw failed.reason;
    }
    return connections.map((connection) => ({
        label: (0,ssh_lib/* describeTarget */.ff)(connection.target),
        dial: (host, port) => connection.forwardOut(host, port),
        close: () => connection.close(),
    }));
}
/**
 * wait-ready's whole job: opens the vantages (the runner, or one SSH connection per host within
 * `options.timeoutMs`), waits from all of them at once in one log group, and closes them. The
 * timeout counts the time spent connecting. When a connection fails, its SSH error is thrown
 * before `connected` is called and nothing is probed.
 */
async function waitUntilReadyVia(viaSsh, probes, options, log, hooks = {}) {
    const started = performance.now();
    const vantages = await openVantages(viaSsh, options.timeoutMs, log);
    try {
        hooks.connected?.(vantages.flatMap((v) => (v.label !== undefined ? [v.label] : [])));
        const count = probes.length;
        const title = `Waiting for ${count} URL${count === 1 ? '' : 's'}${vantages.length > 1 ? ` from ${vantages.length} hosts` : ''} (timeout ${(0,lib/* formatDuration */.a3)(options.timeoutMs)})`;
        const timeoutMs = Math.max(1, options.timeoutMs - (performance.now() - started));
        return await log.group(title, () => waitUntilReadyFrom(vantages, probes, { ...options, timeoutMs }, log));
    }
    finally {
        await Promise.all(vantages.map((v) => v.close()));
    }
}
//# sourceMappingURL=vantage.js.map
;// CONCATENATED MODULE: ./packages/probe/lib/index.js






//# sourceMappingURL=index.js.map

/***/ }),

/***/ 2932:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  LZ: () => (/* reexport */ connectSsh),
  ff: () => (/* reexport */ describeTarget),
  GO: () => (/* reexport */ localConnection),
  ch: () => (/* reexport */ quoteCommand),
  Tn: () => (/* reexport */ quoteShellArg),
  q: () => (/* reexport */ readSshConnectionInputs)
});

// UNUSED EXPORTS: LineSplitter, buildRemoteScript, checkPrivateKey, fingerprintOf, hostFieldMatches, keyTypeOf, parseFingerprint, parseFingerprintLine, parseHostSpec, parseKnownHosts, pinnedFor, verifyHostKey

;// CONCATENATED MODULE: ./packages/ssh/lib/quote.js
// Characters no POSIX shell treats specially; such words are sent bare so logs stay readable.
const SAFE_WORD = /^[A-Za-z0-9_/.,:@%+=-]+$/;
/**
 * Quotes one argument for a POSIX shell (sh, bash, dash, zsh): single quotes
 * disable every expansion, and an embedded quote becomes `'\''`.
 * A NUL byte cannot be passed through any shell, so it is refused.
 */
function quoteShellArg(arg) {
    if (arg.includes('\0'))
        throw new Error('A shell argument cannot contain a NUL byte.');
    if (arg === '')
        return "''";
    if (SAFE_WORD.test(arg) && !arg.startsWith('='))
        return arg;
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
/** Joins an argv into one command line whose words reach the program unchanged. */
function quoteCommand(argv) {
    if (argv.length === 0)
        throw new Error('A command needs at least a program name.');
    return argv.map(quoteShellArg).join(' ');
}
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/**
 * Builds the script sent to the remote shell: change to `cwd`, export `env`,
 * then run the command. argv is quoted word by word; a string is a user's own
 * shell (a hook) and is run as written.
 */
function buildRemoteScript(command, options = {}) {
    const parts = [];
    if (options.cwd !== undefined)
        parts.push(`cd ${quoteShellArg(options.cwd)} || exit 1`);
    for (const [name, value] of Object.entries(options.env ?? {})) {
        if (!ENV_NAME.test(name))
            throw new Error(`'${name}' is not a valid environment variable name.`);
        parts.push(`export ${name}=${quoteShellArg(value)}`);
    }
    parts.push(typeof command === 'string' ? command : quoteCommand(command));
    return parts.join('\n');
}
//# sourceMappingURL=quote.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/ssh/lib/host-keys.js

/** The fingerprint OpenSSH prints for a key blob: `SHA256:` + unpadded base64 of its SHA-256. */
function fingerprintOf(keyBlob) {
    return `SHA256:${(0,external_node_crypto_.createHash)('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}
/** The algorithm name at the head of an SSH public key blob, e.g. `ssh-ed25519`. */
function keyTypeOf(keyBlob) {
    if (keyBlob.length < 4)
        return 'unknown';
    const length = keyBlob.readUInt32BE(0);
    if (length > keyBlob.length - 4 || length > 64)
        return 'unknown';
    return keyBlob.subarray(4, 4 + length).toString('latin1');
}
const FINGERPRINT = /SHA256:([A-Za-z0-9+/]{43})=?/;
/**
 * Reads one expected fingerprint as a user pastes it: bare `SHA256:...`, or the
 * whole `ssh-keygen -lf` line (`256 SHA256:... comment (ED25519)`).
 * Returns the normalised `SHA256:...` or undefined when there is none.
 */
function parseFingerprint(text) {
    const match = FINGERPRINT.exec(text.trim());
    return match ? `SHA256:${match[1]}` : undefined;
}
/**
 * Reads one `host-fingerprint` line: a bare fingerprint (any host), or
 * `host=SHA256:...`, `host:port=SHA256:...`, `[v6]:port=SHA256:...` (that host only).
 * Returns undefined when the line is neither.
 */
function parseFingerprintLine(text) {
    const scoped = /^\s*([^\s=]+)\s*=\s*(\S.*)$/.exec(text);
    if (scoped && !scoped[1].startsWith('SHA256:')) {
        const fingerprint = parseFingerprint(scoped[2]);
        const spec = scoped[1];
        const withPort = /^(.*):(\d+)$/.exec(spec);
        let host = spec;
        let port;
        if (withPort && (withPort[1].startsWith('[') || !withPort[1].includes(':'))) {
            host = withPort[1];
            port = Number(withPort[2]);
            if (port < 1 || port > 65535)
                return undefined;
        }
        if (host.startsWith('[') && host.endsWith(']'))
            host = host.slice(1, -1);
        if (!fingerprint || !/^[A-Za-z0-9_.:-]+$/.test(host))
            return undefined;
        return { fingerprint, host, ...(port !== undefined ? { port } : {}) };
    }
    // A `host=` that did not parse must not fall back to a fingerprint for every host.
    if (text.slice(0, Math.max(0, text.indexOf('SHA256:'))).includes('='))
        return undefined;
    const fingerprint = parseFingerprint(text);
    return fingerprint ? { fingerprint } : undefined;
}
/** Whether a pinned fingerprint applies to this target (host case-insensitive; any port when none is pinned). */
function pinnedFor(pin, target) {
    return (pin.host.toLowerCase() === target.host.toLowerCase() &&
        (pin.port === undefined || pin.port === target.port));
}
/**
 * Parses known_hosts text as OpenSSH writes it. Comments, blank and malformed
 * lines are skipped; `@cert-authority` lines are kept but never match a plain
 * host key, `@revoked` lines reject a key even when another line allows it.
 */
function parseKnownHosts(text) {
    const entries = [];
    for (const rawLine of text.split(/\r?\n/)) {
        const line = rawLine.trim();
        if (line === '' || line.startsWith('#'))
            continue;
        const fields = line.split(/\s+/);
        let marker;
        if (fields[0] === '@revoked' || fields[0] === '@cert-authority')
            marker = fields.shift();
        const [hosts, keyType, keyBase64] = fields;
        if (!hosts || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+=*$/.test(keyBase64))
            continue;
        entries.push({ hosts, keyType, key: Buffer.from(keyBase64, 'base64'), ...(marker ? { marker } : {}) });
    }
    return entries;
}
/** How OpenSSH names a host in known_hosts: plain on port 22, `[host]:port` otherwise. */
function knownHostsName(target) {
    return target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}
function wildcardToRegExp(pattern) {
    const escaped = pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.');
    return new RegExp(`^${escaped}$`, 'i');
}
function hashedMatches(entry, name) {
    const [, kind, salt, hash] = entry.split('|');
    if (kind !== '1' || !salt || !hash)
        return false;
    const digest = (0,external_node_crypto_.createHmac)('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
    return digest === hash;
}
/** Whether a known_hosts host field names this target (patterns, negations and hashed names). */
function hostFieldMatches(hosts, target) {
    const name = knownHostsName(target);
    if (hosts.startsWith('|'))
        return hashedMatches(hosts, name);
    let matched = false;
    for (const pattern of hosts.split(',')) {
        const negated = pattern.startsWith('!');
        const body = negated ? pattern.slice(1) : pattern;
        if (wildcardToRegExp(body).test(name)) {
            if (negated)
                return false;
            matched = true;
        }
    }
    return matched;
}
/** The key types known_hosts lists for a target, so the client can ask the server for one of those. */
function knownKeyTypes(entries, target) {
    return [
        ...new Set(entries.filter((e) => !e.marker && hostFieldMatches(e.hosts, target)).map((e) => e.keyType)),
    ];
}
/**
 * Decides whether the key a server presented is the one expected, by
 * fingerprint or by known_hosts. Pure, so it is unit-tested without a server.
 */
function verifyHostKey(keyBlob, target, policy) {
    const fingerprint = fingerprintOf(keyBlob);
    const keyType = keyTypeOf(keyBlob);
    const entries = policy.knownHosts ? parseKnownHosts(policy.knownHosts) : [];
    const forHost = entries.filter((e) => hostFieldMatches(e.hosts, target));
    if (forHost.some((e) => e.marker === '@revoked' && e.key.equals(keyBlob))) {
        return { accepted: false, fingerprint, keyType, reason: 'the key is marked @revoked in known-hosts' };
    }
    const pinned = (policy.pinned ?? []).filter((p) => pinnedFor(p, target)).map((p) => p.fingerprint);
    if (pinned.includes(fingerprint)) {
        return { accepted: true, fingerprint, keyType, reason: `matches host-fingerprint for ${target.host}` };
    }
    if (policy.fingerprints.includes(fingerprint)) {
        return { accepted: true, fingerprint, keyType, reason: 'matches host-fingerprint' };
    }
    const known = forHost.filter((e) => !e.marker);
    if (known.some((e) => e.key.equals(keyBlob))) {
        return { accepted: true, fingerprint, keyType, reason: 'matches known-hosts' };
    }
    // A key is expected for this host and this one differs: that is what an impersonator
    // looks like, so insecure-ignore-host-key (meant for hosts nothing is known about) never applies.
    const expected = pinned.length + policy.fingerprints.length + known.length > 0;
    if (policy.insecureIgnore && !expected) {
        return { accepted: true, fingerprint, keyType, reason: 'not verified (insecure-ignore-host-key)' };
    }
    const reason = !expected
        ? `no expected key for ${knownHostsName(target)} in host-fingerprint or known-hosts`
        : `the key differs from every expected one${policy.insecureIgnore ? ' (insecure-ignore-host-key never overrides an expected key)' : ''}`;
    return { accepted: false, fingerprint, keyType, reason };
}
//# sourceMappingURL=host-keys.js.map
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
// EXTERNAL MODULE: ./node_modules/ssh2/lib/protocol/keyParser.js
var keyParser = __webpack_require__(1789);
;// CONCATENATED MODULE: ./packages/ssh/lib/inputs.js


// Only ssh2's key parser, not all of ssh2: reading inputs must stay cheap (see connect.ts).
// It is CommonJS, so parseKey is taken off the default export, which every ESM loader provides.


const ssh2Utils = keyParser;
// A DNS name, an IPv4 address, or a bracketed IPv6 address; nothing a shell or ssh option parser could misread.
const HOST_NAME = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/;
/**
 * Reads `host`, `host:port` or `[v6]:port`. Returns an error message instead of
 * a target when the text is not one of those.
 */
function parseHostSpec(text, defaultPort) {
    const trimmed = text.trim();
    const withPort = /^(.*):(\d+)$/.exec(trimmed);
    let host = trimmed;
    let port = defaultPort;
    if (withPort && (withPort[1].startsWith('[') || !withPort[1].includes(':'))) {
        host = withPort[1];
        port = Number(withPort[2]);
        if (port < 1 || port > 65535)
            return `'${trimmed}' has port ${port}; use 1-65535.`;
    }
    if (!HOST_NAME.test(host))
        return `'${trimmed}' is not a host name, IP address, host:port or [IPv6]:port.`;
    return { host: host.startsWith('[') ? host.slice(1, -1) : host, port };
}
/**
 * Checks a private key without using it, so a malformed key or a wrong or
 * missing passphrase is reported as exactly that, before any connection.
 * Returns the problem, phrased for the user, or undefined when the key is usable.
 */
function checkPrivateKey(key, passphrase) {
    let parsed;
    try {
        parsed = ssh2Utils.parseKey(key, passphrase);
    }
    catch (error) {
        return { input: 'key', message: `could not be read as a private key (${(0,lib/* errorMessage */.gJ)(error)}).` };
    }
    if (parsed instanceof Error) {
        const reason = parsed.message;
        if (/no passphrase/i.test(reason)) {
            return {
                input: 'passphrase',
                message: 'is needed: the private key is encrypted. Pass its passphrase.',
            };
        }
        if (/decrypt|passphrase|bad (?:key|auth)|integrity/i.test(reason)) {
            return {
                input: 'passphrase',
                message: 'does not decrypt the private key. Check that it belongs to this key.',
            };
        }
        return {
            input: 'key',
            message: `is not a private key ssh can use (${reason}). Paste the whole key, OpenSSH or PEM format, BEGIN and END lines included.`,
        };
    }
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    if (!first || first.getPrivatePEM() === null || !first.isPrivateKey()) {
        return { input: 'key', message: 'holds a public key; pass the private key.' };
    }
    return undefined;
}
/** known-hosts is either known_hosts lines or the path of such a file. */
function readKnownHosts(inputs, name) {
    const value = inputs.string(name);
    if (value === undefined)
        return undefined;
    const looksLikePath = !/\s/.test(value);
    if (looksLikePath) {
        if (!(0,external_node_fs_.existsSync)(value)) {
            inputs.problem(name, `'${value}' is neither known_hosts lines nor an existing file.`);
            return undefined;
        }
        const text = (0,external_node_fs_.readFileSync)(value, 'utf8');
        if (parseKnownHosts(text).length === 0)
            inputs.problem(name, `${value} holds no known_hosts entries.`);
        return text;
    }
    if (parseKnownHosts(value).length === 0) {
        inputs.problem(name, 'holds no valid known_hosts line (`host key-type base64-key`). Use `ssh-keyscan -p PORT HOST` output.');
    }
    return value;
}
function readFingerprints(inputs, name) {
    const fingerprints = [];
    const pinned = [];
    for (const line of inputs.multiline(name)) {
        const parsed = parseFingerprintLine(line);
        if (!parsed)
            inputs.problem(name, `'${line}' is not a SHA256 fingerprint. Use the SHA256:... form \`ssh-keygen -lf\` prints, alone (any host) or as host=SHA256:... or host:port=SHA256:... (that host only).`);
        else if (parsed.host === undefined)
            fingerprints.push(parsed.fingerprint);
        else
            pinned.push({
                host: parsed.host,
                fingerprint: parsed.fingerprint,
                ...(parsed.port ? { port: parsed.port } : {}),
            });
    }
    return { fingerprints, pinned };
}
/** Every pin names a target, and (unless something else verifies them) every target has a key expected. */
function checkPins(inputs, name, keys, targets, otherwiseVerified) {
    for (const pin of keys.pinned) {
        if (!targets.some((t) => pinnedFor(pin, t)))
            inputs.problem(name, `pins a key for ${pin.host}${pin.port ? `:${pin.port}` : ''}, which is not a host this step connects to (${targets.map((t) => `${t.host}:${t.port}`).join(', ')}).`);
    }
    if (otherwiseVerified || keys.fingerprints.length > 0 || keys.pinned.length === 0)
        return;
    for (const target of targets) {
        if (!keys.pinned.some((p) => pinnedFor(p, target)))
            inputs.problem(name, `has no fingerprint for ${target.host}:${target.port}: add ${target.host}=SHA256:... (or known-hosts), so that host can be verified.`);
    }
}
/**
 * Reads host/port/username/private-key/passphrase/host-fingerprint/known-hosts/
 * insecure-ignore-host-key/proxy-*\/connect-timeout inputs (names as in
 * ssh-deploy/action.yml), recording problems on the reader.
 * With `required: false`, an unset `host` means "no SSH" and returns undefined.
 */
function readSshConnectionInputs(inputs, options) {
    if (!options.required && !inputs.has('host'))
        return undefined;
    const port = inputs.integer('port', { default: 22, min: 1, max: 65535 });
    const targets = [];
    for (const line of inputs.multiline('host', { required: true, commas: true })) {
        const target = parseHostSpec(line, port);
        if (typeof target === 'string')
            inputs.problem('host', target);
        else if (!targets.some((t) => t.host === target.host && t.port === target.port))
            targets.push(target);
    }
    const username = inputs.string('username', { required: true });
    const privateKey = inputs.secret('private-key');
    const passphrase = inputs.secret('passphrase');
    if (privateKey !== undefined) {
        const problem = checkPrivateKey(privateKey, passphrase);
        if (problem)
            inputs.problem(problem.input === 'key' ? 'private-key' : 'passphrase', problem.message);
    }
    else if (!process.env['SSH_AUTH_SOCK']) {
        inputs.problem('private-key', 'is required: there is no SSH agent (SSH_AUTH_SOCK) to take a key from.');
    }
    const hostKeys = readFingerprints(inputs, 'host-fingerprint');
    const knownHosts = readKnownHosts(inputs, 'known-hosts');
    const insecureIgnore = inputs.boolean('insecure-ignore-host-key', { default: false });
    checkPins(inputs, 'host-fingerprint', hostKeys, targets, knownHosts !== undefined || insecureIgnore);
    if (!inputs.has('host-fingerprint') && !inputs.has('known-hosts') && !insecureIgnore) {
        inputs.problem('host-fingerprint', 'or known-hosts is required so the host can be verified. Get it with `ssh-keyscan -p PORT HOST | ssh-keygen -lf -` on a machine you trust (insecure-ignore-host-key: true skips the check, unsafely).');
    }
    const hostKey = {
        fingerprints: hostKeys.fingerprints,
        ...(hostKeys.pinned.length ? { pinned: hostKeys.pinned } : {}),
        insecureIgnore,
        ...(knownHosts !== undefined ? { knownHosts } : {}),
    };
    const connectTimeoutMs = inputs.duration('connect-timeout', { default: '30s', min: 1000 });
    const settings = {
        username,
        hostKey,
        connectTimeoutMs,
        ...(privateKey !== undefined ? { privateKey } : {}),
        ...(passphrase !== undefined ? { passphrase } : {}),
    };
    const proxyHost = inputs.string('proxy-host');
    if (proxyHost !== undefined) {
        const proxyPort = inputs.integer('proxy-port', { default: 22, min: 1, max: 65535 });
        const proxyTarget = parseHostSpec(proxyHost, proxyPort);
        if (typeof proxyTarget === 'string')
            inputs.problem('proxy-host', proxyTarget);
        const proxyKey = inputs.secret('proxy-private-key');
        const proxyPassphrase = inputs.secret('proxy-passphrase');
        if (proxyKey !== undefined) {
            const problem = checkPrivateKey(proxyKey, proxyPassphrase);
            if (problem)
                inputs.problem(problem.input === 'key' ? 'proxy-private-key' : 'proxy-passphrase', problem.message);
        }
        const proxyKeys = readFingerprints(inputs, 'proxy-host-fingerprint');
        if (typeof proxyTarget !== 'string')
            checkPins(inputs, 'proxy-host-fingerprint', proxyKeys, [proxyTarget], knownHosts !== undefined || insecureIgnore);
        if (!inputs.has('proxy-host-fingerprint') && !inputs.has('known-hosts') && !insecureIgnore) {
            inputs.problem('proxy-host-fingerprint', 'or known-hosts is required so the bastion can be verified (the same rules as for the host).');
        }
        if (typeof proxyTarget !== 'string') {
            const key = proxyKey ?? privateKey;
            const keyPassphrase = proxyKey !== undefined ? proxyPassphrase : passphrase;
            settings.proxy = {
                target: proxyTarget,
                username: inputs.string('proxy-username') ?? username,
                hostKey: {
                    fingerprints: proxyKeys.fingerprints,
                    ...(proxyKeys.pinned.length ? { pinned: proxyKeys.pinned } : {}),
                    insecureIgnore,
                    ...(knownHosts !== undefined ? { knownHosts } : {}),
                },
                ...(key !== undefined ? { privateKey: key } : {}),
                ...(keyPassphrase !== undefined ? { passphrase: keyPassphrase } : {}),
            };
        }
    }
    return { targets, settings };
}
//# sourceMappingURL=inputs.js.map
// EXTERNAL MODULE: external "node:string_decoder"
var external_node_string_decoder_ = __webpack_require__(6193);
// EXTERNAL MODULE: external "node:timers/promises"
var promises_ = __webpack_require__(8500);
;// CONCATENATED MODULE: ./packages/ssh/lib/connect.js





/** Network failures worth another attempt; anything else (auth, host key) will not get better by retrying. */
const RETRYABLE_CODES = new Set([
    'ECONNREFUSED',
    'ECONNRESET',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'EPIPE',
]);
const FIRST_RETRY_DELAY_MS = 250;
const MAX_RETRY_DELAY_MS = 4000;
function describeTarget(target) {
    return target.port === 22 ? target.host : `${target.host}:${target.port}`;
}
class HostKeyRejected extends lib/* UserError */.yo {
    constructor(target, verdict, role) {
        super('host-key-mismatch', `The ${role} ${describeTarget(target)} presented the ${verdict.keyType} key ${verdict.fingerprint}, which is not trusted: ${verdict.reason}. ` +
            "Nothing was sent. If the key is genuinely the host's (check on the host with `ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub`), " +
            `add it to ${role === 'host' ? 'host-fingerprint' : 'proxy-host-fingerprint'} or known-hosts.`);
    }
}
function baseConfig(target, username, privateKey, passphrase, policy, role, attempt, log, readyTimeout) {
    const config = {
        host: target.host,
        port: target.port,
        username,
        readyTimeout,
        // Dead peers (a dropped link mid-upload) are noticed within ~30s instead of never.
        keepaliveInterval: 10_000,
        keepaliveCountMax: 3,
        hostVerifier: (key) => {
            const verdict = verifyHostKey(key, target, policy);
            if (!verdict.accepted) {
                attempt.rejected = new HostKeyRejected(target, verdict, role);
                return false;
            }
            if (policy.insecureIgnore && verdict.reason.startsWith('not verified')) {
                log.warning(`NOT verifying the ${role} key of ${describeTarget(target)} (${verdict.keyType} ${verdict.fingerprint}) because insecure-ignore-host-key is set: ` +
                    'anyone on the network path could impersonate this host and receive your bundle and secrets. Pin it with host-fingerprint.');
            }
            else {
                log.debug(`${role} ${describeTarget(target)} key ${verdict.fingerprint} ${verdict.reason}`);
            }
            return true;
        },
    };
    if (privateKey !== undefined)
        config.privateKey = privateKey;
    if (passphrase !== undefined)
        config.passphrase = passphrase;
    if (privateKey === undefined && process.env['SSH_AUTH_SOCK'])
        config.agent = process.env['SSH_AUTH_SOCK'];
    // Ask for a key type known_hosts lists, as OpenSSH does, so a host with several keys presents the pinned one.
    if (policy.knownHosts && policy.fingerprints.length === 0) {
        const types = knownKeyTypes(parseKnownHosts(policy.knownHosts), target);
        if (types.length > 0)
            config.algorithms = {
                serverHostKey: types,
            };
    }
    return config;
}
function isRetryable(error) {
    if (error instanceof lib/* UserError */.yo)
        return false;
    const e = error;
    if (e.code && RETRYABLE_CODES.has(e.code))
        return true;
    if (e.level === 'client-timeout')
        return true;
    return /timed out while waiting for handshake|connection lost before handshake|socket hang up/i.test(e.message ?? '');
}
function classifyFailure(error, target, role, username) {
    if (error instanceof lib/* UserError */.yo)
        return error;
    const e = error;
    const where = `${role} ${describeTarget(target)}`;
    if (e.level === 'client-authentication' || /authentication methods failed/i.test(e.message ?? '')) {
        return new lib/* UserError */.yo('ssh-auth', `The ${where} refused the key for user '${username}'. Check that the public key is in ~${username}/.ssh/authorized_keys there.`);
    }
    return new lib/* UserError */.yo('ssh-connect', `Could not connect to the ${where}: ${e.message ?? String(error)}.`, {
        cause: error,
    });
}
/**
 * node-ssh (and ssh2 under it) is loaded on the first connection, not at start-up:
 * evaluating it costs tens of milliseconds that a step rejecting its inputs, or
 * wait-ready probing without SSH, should not pay. ncc puts it in its own chunk.
 */
function loadNodeSsh() {
    return __webpack_require__.e(/* import() */ 487).then(__webpack_require__.bind(__webpack_require__, 9487));
}
/**
 * node-ssh's connect with TCP_NODELAY from the first packet: the SSH handshake is several
 * round trips of small packets, and so is every exec and chained step afterwards; with
 * Nagle's algorithm on, each small write waited for the host's delayed ACK (~40 ms: an exec of
 * `true` took ~88 ms on the lab, ~4 ms with it off). Used for the host and the bastion alike.
 * node-ssh creates ssh2's client, and ssh2 its socket, synchronously.
 */
function connectNoDelay(ssh, config) {
    const connecting = ssh.connect(config);
    ssh.connection?.setNoDelay(true);
    return connecting;
}
async function openOnce(target, settings, log, remainingMs) {
    const { NodeSSH } = await loadNodeSsh();
    let bastion;
    let sock;
    const proxy = settings.proxy;
    if (proxy) {
        const attempt = { ssh: new NodeSSH() };
        try {
            await connectNoDelay(attempt.ssh, baseConfig(proxy.target, proxy.username, proxy.privateKey, proxy.passphrase, proxy.hostKey, 'bastion', attempt, log, remainingMs));
        }
        catch (error) {
            attempt.ssh.dispose();
            throw (attempt.rejected ??
                (isRetryable(error) ? error : classifyFailure(error, proxy.target, 'bastion', proxy.username)));
        }
        bastion = attempt.ssh;
        try {
            sock = await bastion.forwardOut('127.0.0.1', 0, target.host, target.port);
        }
        catch (error) {
            bastion.dispose();
            // A refused channel usually means the target's sshd is not up yet, as seen from the bastion.
            throw Object.assign(new Error(`the bastion could not reach ${describeTarget(target)}: ${(0,lib/* errorMessage */.gJ)(error)}`), { code: 'ECONNREFUSED' });
        }
    }
    const attempt = { ssh: new NodeSSH() };
    const config = baseConfig(target, settings.username, settings.privateKey, settings.passphrase, settings.hostKey, 'host', attempt, log, remainingMs);
    if (sock)
        config.sock = sock;
    try {
        await connectNoDelay(attempt.ssh, config);
    }
    catch (error) {
        attempt.ssh.dispose();
        bastion?.dispose();
        throw (attempt.rejected ??
            (isRetryable(error) ? error : classifyFailure(error, target, 'host', settings.username)));
    }
    return { ssh: attempt.ssh, ...(bastion ? { bastion } : {}) };
}
/**
 * Opens one SSH connection (through the bastion when `proxy` is set), with the
 * host key verified before anything is sent. Network failures are retried with
 * backoff until `connectTimeoutMs` has passed; auth and host-key failures are not.
 */
async function connectSsh(target, settings, log) {
    const deadline = Date.now() + settings.connectTimeoutMs;
    let delay = FIRST_RETRY_DELAY_MS;
    for (let attempt = 1;; attempt++) {
        const remaining = deadline - Date.now();
        try {
            const opened = await openOnce(target, settings, log, Math.max(remaining, 1000));
            log.debug(`connected to ${describeTarget(target)} as ${settings.username} (attempt ${attempt})`);
            return new RemoteConnection(target, opened.ssh, opened.bastion);
        }
        catch (error) {
            if (!isRetryable(error))
                throw error;
            if (Date.now() + delay >= deadline) {
                throw new lib/* UserError */.yo('ssh-connect', `Could not connect to ${describeTarget(target)}${settings.proxy ? ` through the bastion ${describeTarget(settings.proxy.target)}` : ''} ` +
                    `within connect-timeout (${attempt} attempts): ${(0,lib/* errorMessage */.gJ)(error)}.`, { cause: error });
            }
            log.info(`Connecting to ${describeTarget(target)} failed (${(0,lib/* errorMessage */.gJ)(error)}); retrying in ${delay}ms.`);
            await (0,promises_.setTimeout)(delay);
            delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS);
        }
    }
}
/** Splits a stream of chunks into lines for `onOutput`, keeping the unfinished tail. */
class LineSplitter {
    emit;
    tail = '';
    constructor(emit) {
        this.emit = emit;
    }
    push(chunk) {
        const text = this.tail + chunk;
        const lines = text.split(/\r?\n/);
        this.tail = lines.pop() ?? '';
        for (const line of lines)
            this.emit(line);
    }
    flush() {
        if (this.tail !== '')
            this.emit(this.tail);
        this.tail = '';
    }
}
/** An `onOutput` for one stream: each line with the stream's name. */
function streamLines(onOutput, stream) {
    return onOutput ? (line) => onOutput(line, stream) : undefined;
}
/**
 * One output stream of a command: bytes decoded as UTF-8 across chunk boundaries (a character
 * split between two packets is decoded whole), the whole text, and `onOutput` lines when asked.
 */
class StreamText {
    text = '';
    decoder = new external_node_string_decoder_.StringDecoder('utf8');
    lines;
    constructor(onOutput) {
        this.lines = onOutput ? new LineSplitter(onOutput) : undefined;
    }
    push(chunk) {
        this.add(this.decoder.write(chunk));
    }
    /** The stream ended: the decoder's tail, then the last unfinished line. */
    end() {
        this.add(this.decoder.end());
        this.lines?.flush();
        return this.text;
    }
    add(text) {
        this.text += text;
        this.lines?.push(text);
    }
}
class RemoteConnection {
    target;
    ssh;
    bastion;
    closed = false;
    lostReason;
    /** Held here because node-ssh forgets its client as soon as the connection closes. */
    client;
    constructor(target, ssh, bastion) {
        this.target = target;
        this.ssh = ssh;
        this.bastion = bastion;
        if (!ssh.connection)
            throw new Error('SSH connection is not open');
        const client = ssh.connection;
        this.client = client;
        client.on('close', () => {
            if (!this.closed)
                this.lostReason = 'the connection closed';
        });
        client.on('error', (error) => {
            this.lostReason = error.message;
        });
    }
    exec(command, options = {}) {
        const script = buildRemoteScript(command, options);
        const where = describeTarget(this.target);
        return new Promise((resolve, reject) => {
            if (this.lostReason || this.closed) {
                reject(new lib/* UserError */.yo('ssh-connection-lost', `The connection to ${where} was lost (${this.lostReason ?? 'it was closed'}).`));
                return;
            }
            this.client.exec(script, (error, channel) => {
                if (error) {
                    reject(new lib/* UserError */.yo('ssh-connection-lost', `Could not run a command on ${where}: ${error.message}.`));
                    return;
                }
                let code;
                let signal;
                const out = new StreamText(streamLines(options.onOutput, 'stdout'));
                const err = new StreamText(streamLines(options.onOutput, 'stderr'));
                channel.on('data', (d) => out.push(d));
                channel.stderr.on('data', (d) => err.push(d));
                // A write to a channel the remote side already closed (the command exited while
                // stdin was still streaming) must fail this exec, not crash the process.
                channel.on('error', (channelError) => {
                    reject(new lib/* UserError */.yo('ssh-connection-lost', `${where}: the command's channel failed: ${channelError.message}.`));
                });
                channel.on('exit', (exitCode, exitSignal) => {
                    if (exitCode !== null && exitCode !== undefined)
                        code = exitCode;
                    if (exitSignal)
                        signal = exitSignal;
                });
                const onLost = () => {
                    reject(new lib/* UserError */.yo('ssh-connection-lost', `The connection to ${where} was lost while a command was running (${this.lostReason ?? 'closed'}).`));
                };
                this.client.once('close', onLost);
                channel.on('close', () => {
                    this.client.removeListener('close', onLost);
                    const stdout = out.end();
                    const stderr = err.end();
                    if (code === undefined && signal === undefined) {
                        onLost();
                        return;
                    }
                    resolve({ code: code ?? 128, stdout, stderr });
                });
                const stdin = options.stdin;
                if (stdin === undefined)
                    channel.end();
                else if (typeof stdin === 'string')
                    channel.end(stdin);
                else {
                    const source = stdin;
                    source.on('error', (streamError) => {
                        channel.destroy();
                        reject(streamError);
                    });
                    source.pipe(channel);
                }
            });
        });
    }
    forwardOut(host, port) {
        return new Promise((resolve, reject) => {
            this.client.forwardOut('127.0.0.1', 0, host, port, (error, channel) => {
                if (error)
                    reject(new Error(`${describeTarget(this.target)} could not open ${host}:${port}: ${error.message}`));
                else
                    resolve(channel);
            });
        });
    }
    async close() {
        if (this.closed)
            return;
        this.closed = true;
        this.ssh.dispose();
        this.bastion?.dispose();
    }
}
//# sourceMappingURL=connect.js.map
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./packages/ssh/lib/local.js




/**
 * The same interface as an SSH connection, for `transport: local` (a
 * self-hosted runner on the host itself): commands run through `sh -c` here,
 * and forwardOut is a plain TCP connection. Each command runs in its own
 * process group, and close() ends every group still running (TERM, then KILL),
 * as closing an SSH connection ends the remote session: a timeout or a cancel
 * leaves no copy, compose call or health-cmd behind.
 */
function localConnection() {
    const running = new Set();
    const signalGroup = (pid, signal) => {
        try {
            process.kill(-pid, signal);
        }
        catch {
            // already gone
        }
    };
    // If the action itself ends (cancelled, killed by its own timeout), its groups end with it.
    const onExit = () => {
        for (const pid of running)
            signalGroup(pid, 'SIGKILL');
    };
    process.once('exit', onExit);
    return {
        target: { host: 'localhost', port: 0 },
        exec(command, options = {}) {
            const script = buildRemoteScript(command, options);
            return new Promise((resolve, reject) => {
                const child = (0,external_node_child_process_.spawn)('sh', ['-c', script], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
                if (child.pid !== undefined)
                    running.add(child.pid);
                const out = new StreamText(streamLines(options.onOutput, 'stdout'));
                const err = new StreamText(streamLines(options.onOutput, 'stderr'));
                child.stdout.on('data', (d) => out.push(d));
                child.stderr.on('data', (d) => err.push(d));
                child.on('error', reject);
                child.on('close', (code, signal) => {
                    if (child.pid !== undefined)
                        running.delete(child.pid);
                    resolve({ code: code ?? (signal ? 128 : 1), stdout: out.end(), stderr: err.end() });
                });
                // A command that exits without reading its stdin must not crash the action with EPIPE.
                child.stdin.on('error', () => undefined);
                const stdin = options.stdin;
                if (stdin === undefined)
                    child.stdin.end();
                else if (typeof stdin === 'string')
                    child.stdin.end(stdin);
                else {
                    const source = stdin;
                    source.on('error', (error) => {
                        child.kill();
                        reject(error);
                    });
                    source.pipe(child.stdin);
                }
            });
        },
        forwardOut(host, port) {
            return new Promise((resolve, reject) => {
                const socket = (0,external_node_net_.connect)({ host, port }, () => resolve(socket));
                socket.once('error', reject);
            });
        },
        async close() {
            process.removeListener('exit', onExit);
            if (running.size === 0)
                return;
            const groups = [...running];
            for (const pid of groups)
                signalGroup(pid, 'SIGTERM');
            await new Promise((resolve) => setTimeout(resolve, 2000).unref());
            for (const pid of groups)
                signalGroup(pid, 'SIGKILL');
        },
    };
}
//# sourceMappingURL=local.js.map
;// CONCATENATED MODULE: ./packages/ssh/lib/index.js





//# sourceMappingURL=index.js.map

/***/ })

};
