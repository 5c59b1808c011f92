export const id = 89;
export const ids = [89];
export const modules = {

/***/ 4089:
/***/ ((__unused_webpack___webpack_module__, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  aj: () => (/* reexport */ DotenvSyntaxError),
  kR: () => (/* reexport */ MissingRequiredError),
  $Y: () => (/* reexport */ checkSwarmStack),
  X6: () => (/* reexport */ isDotenvError),
  rA: () => (/* reexport */ format_isValidEnvKey),
  qd: () => (/* reexport */ parseDotenv),
  o_: () => (/* reexport */ parseImageReference),
  mJ: () => (/* reexport */ renderEnvFile),
  JJ: () => (/* reexport */ shownValue),
  V2: () => (/* reexport */ substitute)
});

// UNUSED EXPORTS: ComposeFileError, EnvLayerError, InvalidTemplateError, LayerRuleError, MissingKeysError, checkImages, checkPolicy, findUnpinnedImages, formatComposeConfig, formatDotenv, formatJson, imageReferenceProblem, interpolate, isInterpolationError, loadComposeConfig, parseEnvFiles, parsePorts, parseTemplate, quoteDotenvValue, renderEnv, setDotenvValues, validateComposeFile, validateComposeProject

;// CONCATENATED MODULE: ./packages/compose-env/lib/interpolate.js
/**
 * `${...}` interpolation exactly as Docker Compose v2 does it (compose-go's
 * template package): the same match rules, operator choice, lazy defaults,
 * nested expansion, `$$` escaping, first-error reporting and error texts.
 */
/** A `${` that does not form a valid expression; compose prints the whole template Go-quoted. */
class InvalidTemplateError extends Error {
    name = 'InvalidTemplateError';
    template;
    constructor(template) {
        super(`Invalid template: ${goQuote(template)}`);
        this.template = template;
    }
}
/** `${VAR:?reason}` or `${VAR?reason}` met an empty or unset variable. */
class MissingRequiredError extends Error {
    name = 'MissingRequiredError';
    variable;
    reason;
    constructor(variable, reason) {
        super(reason === ''
            ? `required variable ${variable} is missing a value`
            : `required variable ${variable} is missing a value: ${reason}`);
        this.variable = variable;
        this.reason = reason;
    }
}
function isInterpolationError(error) {
    return error instanceof InvalidTemplateError || error instanceof MissingRequiredError;
}
/**
 * Interpolates `template` with values from `lookup`. Throws the first
 * InvalidTemplateError or MissingRequiredError, as compose does.
 */
function interpolate(template, lookup, options = {}) {
    const { result, error } = substitute(template, lookup, options);
    if (error)
        throw error;
    return result;
}
/**
 * compose-go's Substitute: every match is replaced (failed ones with ''), and the
 * first error is returned beside the result.
 */
function substitute(template, lookup, options = {}) {
    let error;
    let out = '';
    let i = 0;
    while (i < template.length) {
        const dollar = template.indexOf('$', i);
        if (dollar < 0)
            break;
        out += template.slice(i, dollar);
        const match = matchAt(template, dollar);
        if (match === undefined) {
            out += '$';
            i = dollar + 1;
            continue;
        }
        try {
            out += replace(template.slice(dollar, match.end), lookup, options);
        }
        catch (e) {
            if (!isInterpolationError(e))
                throw e;
            if (e instanceof InvalidTemplateError && e.template === '') {
                // compose fills in the template being substituted when the replacement could not.
                error ??= new InvalidTemplateError(template);
            }
            else {
                error ??= e;
            }
        }
        i = match.end;
    }
    out += template.slice(i);
    return error ? { result: out, error } : { result: out };
}
const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;
/**
 * What compose's pattern `\$(?i:(\$)|([_a-z][_a-z0-9]*)|{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|()))`
 * matches at `start` (a `$`). The `(.*)` is greedy and stops at a newline, so a
 * braced expression with an operator reaches to the last `}` of the line.
 */
function matchAt(s, start) {
    const next = s[start + 1];
    if (next === '$')
        return { kind: 'escaped', end: start + 2 };
    if (next !== undefined && NAME_START.test(next)) {
        let end = start + 2;
        while (end < s.length && NAME_CHAR.test(s[end]))
            end++;
        return { kind: 'named', end, name: s.slice(start + 1, end) };
    }
    if (next !== '{')
        return undefined;
    const nameStart = start + 2;
    if (nameStart < s.length && NAME_START.test(s[nameStart])) {
        let nameEnd = nameStart + 1;
        while (nameEnd < s.length && NAME_CHAR.test(s[nameEnd]))
            nameEnd++;
        let op = nameEnd;
        if (s[op] === ':')
            op++;
        if (op < s.length && '-+?'.includes(s[op])) {
            const lineEnd = s.indexOf('\n', op + 1);
            const close = s.lastIndexOf('}', (lineEnd < 0 ? s.length : lineEnd) - 1);
            if (close > op)
                return { kind: 'braced', end: close + 1, body: s.slice(nameStart, close) };
        }
        if (s[nameEnd] === '}')
            return { kind: 'braced', end: nameEnd + 1, body: s.slice(nameStart, nameEnd) };
    }
    return { kind: 'invalid', end: start + 2 };
}
/** compose-go's DefaultReplacementFunc for one matched substring. */
function replace(substring, lookup, options) {
    const closing = firstBraceClosingIndex(substring);
    let rest = '';
    if (closing > -1) {
        rest = substring.slice(closing + 1);
        substring = substring.slice(0, closing + 1);
    }
    const match = matchAt(substring, 0);
    if (match === undefined || match.kind === 'invalid')
        throw new InvalidTemplateError('');
    if (match.kind === 'escaped')
        return '$';
    const name = match.kind === 'named' ? match.name : match.body;
    if (match.kind === 'braced') {
        const applied = applyOperator(match.body, lookup, options);
        if (applied !== undefined)
            return applied + interpolate(rest, lookup, options);
    }
    const value = lookup(name);
    if (value === undefined)
        options.onUnset?.(name);
    return value ?? '';
}
/**
 * The `}` that closes the first `{`, counting every `{` on the way (so the
 * braces of a JSON default balance: `${X:-{"a":1}}` ends at the last `}`).
 */
function firstBraceClosingIndex(s) {
    let open = 0;
    for (let i = 0; i < s.length; i++) {
        if (s[i] === '{')
            open++;
        else if (s[i] === '}') {
            open--;
            if (open === 0)
                return i;
        }
    }
    return -1;
}
/** Applies `:?`, `?`, `:-`, `-`, `:+`, `+`; undefined when the body is a bare name. */
function applyOperator(body, lookup, options) {
    const nameEnd = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(body)[0].length;
    const op = body[nameEnd] === ':' ? body.slice(nameEnd, nameEnd + 2) : body.slice(nameEnd, nameEnd + 1);
    if (op === '')
        return undefined;
    const name = body.slice(0, nameEnd);
    const argument = body.slice(nameEnd + op.length);
    const value = lookup(name);
    const present = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
    switch (op) {
        case ':?':
        case '?':
            if (present)
                return value;
            // The message is interpolated too (`${X:?set ${Y}}`), only when it is needed.
            throw new MissingRequiredError(name, interpolate(argument, lookup, options));
        case ':-':
        case '-':
            return present ? value : interpolate(argument, lookup, options);
        default:
            // ':+' and '+': the alternative is only interpolated when it is used.
            return present ? interpolate(argument, lookup, options) : '';
    }
}
/** Go's `%#v` of a string (strconv.Quote): how compose prints an invalid template. */
function goQuote(text) {
    let out = '"';
    for (const ch of text) {
        const code = ch.codePointAt(0);
        if (ch === '"' || ch === '\\')
            out += `\\${ch}`;
        else if (ch === '\x07')
            out += '\\a';
        else if (ch === '\b')
            out += '\\b';
        else if (ch === '\f')
            out += '\\f';
        else if (ch === '\n')
            out += '\\n';
        else if (ch === '\r')
            out += '\\r';
        else if (ch === '\t')
            out += '\\t';
        else if (ch === '\v')
            out += '\\v';
        else if (ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch))
            out += ch;
        else if (code < 0x80)
            out += `\\x${code.toString(16).padStart(2, '0')}`;
        else if (code < 0x10000)
            out += `\\u${code.toString(16).padStart(4, '0')}`;
        else
            out += `\\U${code.toString(16).padStart(8, '0')}`;
    }
    return `${out}"`;
}
//# sourceMappingURL=interpolate.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/dotenv.js
/**
 * The `.env` parser of Docker Compose v2 (compose-go's dotenv package), rule
 * for rule: `export`, `KEY=value` and `KEY: value`, single quotes (literal,
 * `\'` only), double quotes (escapes, then interpolation), unquoted values
 * (inline comment after ` #`, trailing space trimmed, interpolation), values
 * spanning lines inside quotes, bare `KEY` lines inherited from the lookup,
 * duplicate keys (last wins).
 */


/** A malformed line. `message` is compose's text; `reason` leaves the line's content out. */
class DotenvSyntaxError extends Error {
    name = 'DotenvSyntaxError';
    line;
    reason;
    constructor(line, reason, message) {
        super(message);
        this.line = line;
        this.reason = reason;
    }
}
const BOM = '\ufeff';
const EXPORT_PREFIX = /^export\s+/;
// The double-quote escapes compose understands; anything else (\x, \u) stays as written.
const ESCAPE_SEQUENCE = /\\(?:[abcfnrtv$"\\]|0\d{0,3})/g;
/** Parses `.env` text as `docker compose --env-file` does; keys keep file order. */
function parseDotenv(text, options = {}) {
    return new DotenvParser(options).parse(text.startsWith(BOM) ? text.slice(BOM.length) : text);
}
/**
 * Several env files, as `docker compose --env-file a --env-file b` reads them:
 * later files win, and each file's interpolation sees `currentEnv` (compose's
 * shell environment) first, then the file's own earlier keys, then earlier files.
 */
function parseEnvFiles(texts, currentEnv = () => undefined) {
    const merged = new Map();
    for (const text of texts) {
        const env = parseDotenv(text, { lookup: currentEnv, fallback: (k) => merged.get(k) });
        for (const [k, v] of env)
            merged.set(k, v);
    }
    return merged;
}
/** Go's unicode.IsSpace, which compose uses to skip blank space between statements. */
function isUnicodeSpace(ch) {
    return /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(ch);
}
/** compose's isSpace: blank space within a line (no newline). */
function isLineSpace(ch) {
    return (ch === '\t' ||
        ch === '\v' ||
        ch === '\f' ||
        ch === '\r' ||
        ch === ' ' ||
        ch === '\u0085' ||
        ch === '\u00a0');
}
function trimLeftLineSpace(s) {
    let i = 0;
    while (i < s.length && isLineSpace(s[i]))
        i++;
    return s.slice(i);
}
function trimRightUnicodeSpace(s) {
    let end = s.length;
    while (end > 0 && isUnicodeSpace(s[end - 1]))
        end--;
    return s.slice(0, end);
}
class DotenvParser {
    options;
    onStatement;
    line = 1;
    out = new Map();
    constructor(options, onStatement) {
        this.options = options;
        this.onStatement = onStatement;
    }
    parse(src) {
        let cutset = src;
        // Offsets into src: every step below consumes a prefix of the text.
        const at = (rest) => src.length - rest.length;
        for (;;) {
            cutset = this.statementStart(cutset);
            if (cutset === '')
                break;
            const { key, rest, inherited } = this.keyName(cutset);
            if (key.includes(' ')) {
                throw new DotenvSyntaxError(this.line, 'key cannot contain a space', `line ${this.line}: key cannot contain a space`);
            }
            if (inherited) {
                const value = this.options.lookup?.(key);
                if (value !== undefined)
                    this.out.set(key, value);
                if (this.onStatement) {
                    const end = at(cutset) + trimRightUnicodeSpace(cutset.slice(0, cutset.length - rest.length)).length;
                    this.onStatement({ key, valueStart: end, valueEnd: end, inherited: true });
                }
                cutset = rest;
                continue;
            }
            const { value, rest: after, written } = this.value(rest);
            this.out.set(key, value);
            this.onStatement?.({ key, valueStart: at(rest), valueEnd: at(rest) + written, inherited: false });
            cutset = after;
        }
        return this.out;
    }
    /** Skips blank space and comment lines; '' at the end of the text. */
    statementStart(src) {
        for (;;) {
            let pos = 0;
            while (pos < src.length && isUnicodeSpace(src[pos])) {
                if (src[pos] === '\n')
                    this.line++;
                pos++;
            }
            if (pos >= src.length)
                return '';
            src = src.slice(pos);
            if (src[0] !== '#')
                return src;
            const newline = src.indexOf('\n');
            if (newline < 0)
                return '';
            src = src.slice(newline);
        }
    }
    keyName(src) {
        if (EXPORT_PREFIX.test(src))
            src = trimLeftLineSpace(src.slice('export'.length));
        let key;
        let offset = 0;
        let inherited = false;
        for (const [i, ch] of indexedChars(src)) {
            if (isLineSpace(ch))
                continue;
            if (ch === '=' || ch === ':' || ch === '\n') {
                key = src.slice(0, i);
                offset = i + 1;
                inherited = ch === '\n';
                break;
            }
            if ('_.-[]'.includes(ch) || /[\p{L}\p{N}]/u.test(ch))
                continue;
            const firstLine = src.split('\n')[0];
            throw new DotenvSyntaxError(this.line, `unexpected character ${JSON.stringify(ch)} in variable name`, `line ${this.line}: unexpected character ${JSON.stringify(ch)} in variable name ${JSON.stringify(firstLine)}`);
        }
        if (key === undefined) {
            // A bare name on the last line, with no newline after it: compose-go would
            // read it as key '' with the name as value; we treat it as the bare `KEY`
            // line it is, the same as when a newline follows (see docs: deviations).
            return { key: trimRightUnicodeSpace(src), rest: '', inherited: true };
        }
        if (inherited && !key.includes(' '))
            this.line++;
        return { key: trimRightUnicodeSpace(key), rest: trimLeftLineSpace(src.slice(offset)), inherited };
    }
    /** The value, what follows it, and how many characters of src it was written with (quotes included). */
    value(src) {
        const quote = src[0];
        if (quote !== '"' && quote !== "'") {
            const newline = src.indexOf('\n');
            let value = newline < 0 ? src : src.slice(0, newline);
            const rest = newline < 0 ? '' : src.slice(newline + 1);
            const startLine = this.line;
            this.line++;
            const comment = value.indexOf(' #');
            if (comment >= 0)
                value = value.slice(0, comment);
            const written = trimRightUnicodeSpace(value);
            return { value: this.expand(written, startLine), rest, written: written.length };
        }
        const startLine = this.line;
        let escaped = false;
        let chars = '';
        for (let i = 1; i < src.length; i++) {
            const ch = src[i];
            if (ch === '\n')
                this.line++;
            if (ch !== quote) {
                if (!escaped && ch === '\\') {
                    escaped = true;
                    continue;
                }
                if (escaped) {
                    escaped = false;
                    chars += '\\';
                }
                chars += ch;
                continue;
            }
            if (escaped) {
                escaped = false;
                chars += ch;
                continue;
            }
            const value = quote === '"' ? this.expand(expandEscapes(chars), startLine) : chars;
            return { value, rest: src.slice(i + 1), written: i + 1 };
        }
        const newline = src.indexOf('\n');
        throw new DotenvSyntaxError(this.line, startLine === this.line
            ? 'unterminated quoted value'
            : `unterminated quoted value (the quote opens on line ${startLine})`, `line ${this.line}: unterminated quoted value ${newline < 0 ? src : src.slice(0, newline)}`);
    }
    expand(value, line) {
        const { lookup, fallback, onUnset, onRead } = this.options;
        const { result, error } = substitute(value, (name) => {
            const found = lookup?.(name) ?? this.out.get(name) ?? fallback?.(name);
            onRead?.(name, found);
            return found;
        }, onUnset ? { onUnset } : {});
        if (error) {
            error.line = line;
            throw error;
        }
        return result;
    }
}
function* indexedChars(s) {
    let i = 0;
    for (const ch of s) {
        yield [i, ch];
        i += ch.length;
    }
}
/** Standard escapes inside double quotes; `\$` becomes `$$` so interpolation leaves a literal `$`. */
function expandEscapes(text) {
    return text.replace(ESCAPE_SEQUENCE, (match) => {
        switch (match[1]) {
            case '$':
                return '$$';
            case 'a':
                return '\x07';
            case 'b':
                return '\b';
            case 'c':
                // Go's strconv.Unquote rejects `\c`, so compose leaves it as written.
                return match;
            case 'f':
                return '\f';
            case 'n':
                return '\n';
            case 'r':
                return '\r';
            case 't':
                return '\t';
            case 'v':
                return '\v';
            case '"':
                return '"';
            case '\\':
                return '\\';
            default: {
                // `\0NNN` is an XSI octal escape; Go needs exactly three octal digits up to 0377.
                const digits = match.slice(2);
                if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 0o377)
                    return match;
                return String.fromCharCode(parseInt(digits, 8));
            }
        }
    });
}
function isDotenvError(error) {
    return error instanceof DotenvSyntaxError || isInterpolationError(error);
}
/**
 * Sets keys of a `.env` text with the smallest edit: for each key, only the value of
 * its assignments is rewritten (every assignment of the key, so no stale duplicate
 * stays); comments, blank lines, order, `export` prefixes, spacing, line endings
 * (CRLF stays CRLF) and every other key are left byte for byte. A value keeps its
 * quoting style where it can: bare stays bare when the new value needs no quotes,
 * single quotes stay single when the value holds no `'` (compose reads them literally),
 * anything else is written double-quoted by {@link quoteDotenvValue}. A key the text
 * does not assign is appended with `append`, else reported in `missing`.
 * The text must parse (a {@link DotenvSyntaxError} otherwise); nothing is interpolated.
 */
function setDotenvValues(text, values, options = {}) {
    for (const key of values.keys()) {
        if (!isValidEnvKey(key))
            throw new Error(`'${key}' is not a valid env variable name`);
    }
    const bom = text.startsWith(BOM) ? BOM : '';
    const body = text.slice(bom.length);
    const statements = [];
    // Values are not needed, only where they are: every variable reads as set, so a
    // `${VAR:?}` in an unrelated value cannot fail the edit.
    new DotenvParser({ lookup: () => 'set' }, (s) => statements.push(s)).parse(body);
    const edits = [];
    const changed = [];
    const unchanged = [];
    const absent = [];
    for (const [key, value] of values) {
        const found = statements.filter((s) => s.key === key);
        if (found.length === 0) {
            absent.push(key);
            continue;
        }
        let differs = false;
        for (const s of found) {
            const written = body.slice(s.valueStart, s.valueEnd);
            const replacement = s.inherited ? `=${quoteDotenvValue(value)}` : requote(written, value);
            if (replacement === written)
                continue;
            differs = true;
            edits.push({ start: s.valueStart, end: s.valueEnd, replacement });
        }
        (differs ? changed : unchanged).push(key);
    }
    let out = body;
    for (const edit of edits.sort((a, b) => b.start - a.start)) {
        out = out.slice(0, edit.start) + edit.replacement + out.slice(edit.end);
    }
    if (options.append && absent.length > 0) {
        const eol = /\r\n/.test(body) ? '\r\n' : '\n';
        if (out !== '' && !out.endsWith('\n'))
            out += eol;
        for (const key of absent)
            out += `${key}=${quoteDotenvValue(values.get(key))}${eol}`;
    }
    return {
        text: bom + out,
        changed,
        unchanged,
        added: options.append ? absent : [],
        missing: options.append ? [] : absent,
    };
}
/** The new value written in the style of the old one, when that style can hold it. */
function requote(written, value) {
    // A value that already reads back as the new one keeps its exact spelling.
    if (!written.includes('$') && parseDotenv(`K=${written}`).get('K') === value)
        return written;
    if (written.startsWith("'") && !/['\r\n]/.test(value))
        return `'${value}'`;
    const quoted = quoteDotenvValue(value);
    if (written.startsWith('"') && !quoted.startsWith('"'))
        return `"${quoted}"`;
    return quoted;
}
//# sourceMappingURL=dotenv.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/format.js
/** Writing env values so that compose reads back exactly what was rendered. */
// Values made only of these characters mean the same quoted or not, to compose and
// to `docker run --env-file` (which does not strip quotes), so they are left bare.
const BARE_VALUE = /^[A-Za-z0-9_./:@+,=%^~-]*$/;
/**
 * Quotes a value for a compose `.env` file. Double quotes are the only form that
 * can hold every value: `\` and `"` are escaped, `$` is doubled (compose would
 * interpolate it otherwise), and line breaks are written as `\n` / `\r`.
 */
function format_quoteDotenvValue(value) {
    if (BARE_VALUE.test(value))
        return value;
    const body = value.replace(/[\\"$\n\r]/g, (c) => {
        switch (c) {
            case '\\':
                return '\\\\';
            case '"':
                return '\\"';
            case '$':
                return '$$';
            case '\n':
                return '\\n';
            default:
                return '\\r';
        }
    });
    return `"${body}"`;
}
/** Key names compose's parser accepts and our writer emits verbatim. */
function format_isValidEnvKey(key) {
    return /^[\p{L}\p{N}_.\-[\]]+$/u.test(key);
}
/** A `.env` file: one `KEY=value` a line, in the given order. */
function formatDotenv(entries) {
    let out = '';
    for (const [key, value] of entries) {
        if (!format_isValidEnvKey(key))
            throw new Error(`'${key}' is not a valid env variable name`);
        out += `${key}=${format_quoteDotenvValue(value)}\n`;
    }
    return out;
}
/** A JSON object of the values, for workflows that read it with `fromJSON`. */
function formatJson(entries) {
    return `${JSON.stringify(Object.fromEntries(entries), null, 2)}\n`;
}
//# sourceMappingURL=format.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/render.js
/**
 * Renders the runtime env from layers, later wins: template defaults, env files
 * in order, vars, then secrets (only for keys the template declares).
 */


/** A layer broke a rule of `forbiddenKeys` or `protectedKeys`; the message names keys and layers, never values. */
class LayerRuleError extends Error {
    name = 'LayerRuleError';
    code;
    input;
    constructor(code, message) {
        super(message);
        this.code = code;
        this.input = code === 'forbidden-key' ? 'forbidden-keys' : 'protected-keys';
    }
}
/** Required keys that ended up empty; every one of them is named. */
class MissingKeysError extends Error {
    name = 'MissingKeysError';
    keys;
    constructor(keys, template) {
        const described = keys.map((k) => {
            const d = template.find((t) => t.key === k)?.description;
            return d ? `${k} (${d})` : k;
        });
        super(`${keys.length === 1 ? 'A required key has' : `${keys.length} required keys have`} no value: ` +
            `${described.join(', ')}. Set ${keys.length === 1 ? 'it' : 'them'} in env-files, vars or secrets.`);
        this.keys = keys;
    }
}
/** An env file or template that does not parse; `file` names it. */
class EnvLayerError extends Error {
    name = 'EnvLayerError';
    file;
    line;
    constructor(file, line, reason) {
        super(`${file}${line === undefined ? '' : ` line ${line}`}: ${reason}`);
        this.file = file;
        this.line = line;
    }
}
/**
 * Reads the template's keys: `KEY=` is required, `KEY=value` a default, and
 * `KEY=""` an optional empty value; the comment block right above a key is its
 * description.
 */
function parseTemplate(template, onRead) {
    const values = parseLayer(template, () => undefined, undefined, onRead);
    const descriptions = new Map();
    const explicitEmpty = new Set();
    let comment = [];
    for (const line of template.text.split(/\r?\n/)) {
        const trimmed = line.trim();
        if (trimmed.startsWith('#')) {
            comment.push(trimmed.replace(/^#+\s?/, ''));
            continue;
        }
        const assignment = /^(?:export\s+)?([^\s=:#]+)\s*[=:]\s*(.*)$/.exec(trimmed);
        if (assignment) {
            const key = assignment[1];
            if (comment.length > 0)
                descriptions.set(key, comment.join(' ').trim());
            if (/^(""|'')(\s+#.*)?$/.test(assignment[2]))
                explicitEmpty.add(key);
        }
        comment = [];
    }
    return [...values].map(([key, value]) => {
        const description = descriptions.get(key);
        return {
            key,
            required: value === '' && !explicitEmpty.has(key),
            default: value,
            ...(description ? { description } : {}),
        };
    });
}
function renderEnv(input) {
    const values = new Map();
    const reads = [];
    const recordRead = (file) => (variable, seen) => reads.push({ file, variable, seen });
    const template = input.template ? parseTemplate(input.template, recordRead(input.template.name)) : [];
    const declared = new Set(template.map((t) => t.key));
    for (const t of template) {
        values.set(t.key, {
            value: t.default,
            source: 'template',
            secret: false,
            ...(t.description ? { description: t.description } : {}),
        });
    }
    const set = (key, value, source, file) => {
        const description = values.get(key)?.description;
        values.set(key, {
            value,
            source,
            secret: source === 'secrets',
            ...(file !== undefined ? { file } : {}),
            ...(description ? { description } : {}),
        });
    };
    const forbidden = input.forbiddenKeys ?? new Set();
    const forbid = (layer, keys) => {
        const found = [...keys].filter((k) => forbidden.has(k));
        if (found.length > 0) {
            throw new LayerRuleError('forbidden-key', `${layer} declares ${found.join(', ')}, which forbidden-keys says must never reach the env file ` +
                '(credentials of the deploy itself). Remove it from there.');
        }
    };
    if (input.template)
        forbid(`the template ${input.template.name}`, declared);
    for (const file of input.envFiles ?? []) {
        // Compose semantics for several --env-file: a value sees the file's own
        // earlier keys, then what the earlier layers rendered; never the runner's env.
        const layer = parseLayer(file, (k) => values.get(k)?.value, input.onUnset, recordRead(file.name));
        forbid(`the env file ${file.name}`, layer.keys());
        for (const [k, v] of layer)
            set(k, v, 'env-file', file.name);
    }
    forbid('vars', (input.vars ?? new Map()).keys());
    for (const [k, v] of input.vars ?? []) {
        if (!format_isValidEnvKey(k))
            throw new EnvLayerError('vars', undefined, `'${k}' is not a valid variable name`);
        set(k, v, 'vars');
    }
    const ignoredSecrets = [];
    const secretKeys = input.secretKeys;
    if (secretKeys)
        forbid('secret-keys', secretKeys);
    for (const [k, v] of Object.entries(input.secrets ?? {})) {
        const wanted = secretKeys ? secretKeys.has(k) : declared.has(k);
        if (!wanted || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
            // With secret-keys, the others are not ours to name: they stay out of every message.
            if (!secretKeys)
                ignoredSecrets.push(k);
            continue;
        }
        forbid('secrets', [k]);
        set(k, String(v), 'secrets');
    }
    for (const key of input.protectedKeys ?? []) {
        const final = values.get(key);
        if (final?.source === 'vars')
            continue;
        throw new LayerRuleError('protected-key', final === undefined
            ? `${key} is a protected key but vars does not set it: its value must come from vars (e.g. the digest verify-signature proved).`
            : `${key} is a protected key: its value must come from vars, but ${final.source === 'env-file' ? `the env file ${final.file}` : final.source} ` +
                `has the last word${final.source === 'secrets' ? ' (a secret of that name would replace the verified value)' : ' (vars does not set it)'}.`);
    }
    const missing = template.filter((t) => t.required && values.get(t.key).value === '').map((t) => t.key);
    if (missing.length > 0)
        throw new MissingKeysError(missing, template);
    const undeclared = input.template ? [...values.keys()].filter((k) => !declared.has(k)) : [];
    const staleReads = [];
    for (const read of reads) {
        const final = values.get(read.variable);
        if (final === undefined || final.value === read.seen)
            continue;
        if (staleReads.some((s) => s.file === read.file && s.variable === read.variable))
            continue;
        staleReads.push({ file: read.file, variable: read.variable, changedBy: final.source });
    }
    return { values, template, ignoredSecrets, undeclared, staleReads };
}
function parseLayer(file, fallback, onUnset, onRead) {
    let parsed;
    try {
        parsed = parseDotenv(file.text, {
            fallback,
            ...(onUnset ? { onUnset: (name) => onUnset(name, file.name) } : {}),
            ...(onRead ? { onRead } : {}),
        });
    }
    catch (error) {
        const e = error;
        // No `cause`: compose's own message repeats the malformed line, which may hold a secret.
        throw new EnvLayerError(file.name, e.line, e.reason ?? e.message);
    }
    // Compose accepts `=value` (an empty name), but no process can receive it: a typo to report.
    if (parsed.has(''))
        throw new EnvLayerError(file.name, undefined, "a line has '=' with no variable name before it");
    return parsed;
}
// Key names that usually hold credentials: their values are never shown, wherever they came from.
const SECRET_LOOKING_KEY = /(PASS|PWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|AUTH|API_?KEY|ACCESS_?KEY|_KEY$|^KEY$|SALT|SIGNING|CERT|DSN|COOKIE|SESSION)/i;
const MAX_SHOWN_LENGTH = 64;
/**
 * What the job summary may show of a value: secrets never; other values only
 * when short, on one line, under a name that does not look like a credential,
 * without `user:password@` in them, not random-looking, and not containing a
 * secret's value. Returns undefined when the value must stay hidden.
 */
function shownValue(key, rendered, secretValues = []) {
    const { value } = rendered;
    if (rendered.secret || SECRET_LOOKING_KEY.test(key))
        return undefined;
    if (secretValues.some((s) => s !== '' && value.includes(s)))
        return undefined;
    // Pinned image references are long, but they are what people need to see.
    if (/^[\w.:/-]+@sha256:[a-f0-9]{64}$/.test(value))
        return value;
    if (value.length > MAX_SHOWN_LENGTH || /[\r\n]/.test(value))
        return undefined;
    if (/:\/\/[^/\s]*:[^/\s]*@/.test(value))
        return undefined;
    if (looksRandom(value))
        return undefined;
    return value;
}
/** Long runs of mixed letters and digits with no word structure: tokens, keys, hashes. */
function looksRandom(value) {
    if (value.length < 20 || /\s/.test(value))
        return false;
    const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
    const longestToken = Math.max(...value.split(/[^A-Za-z0-9+/=_-]/).map((t) => t.length));
    return classes >= 2 && longestToken >= 20 && /[0-9]/.test(value);
}
//# sourceMappingURL=render.js.map
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
// EXTERNAL MODULE: external "node:net"
var external_node_net_ = __webpack_require__(7030);
;// CONCATENATED MODULE: ./packages/compose-env/lib/compose-schema.js
/**
 * The Compose specification's JSON schema exactly as Docker Compose 2.26.1 embeds and applies it
 * (compose-spec/compose-go v2, schema/compose-spec.json; Apache License 2.0, (c) The Compose
 * Specification Authors). Extracted from the docker-compose 2.26.1 binary; `description` and
 * `title` texts removed to keep the bundle small. Do not edit: replace it with a newer schema.
 */
const composeSpecSchema = {
    $schema: 'https://json-schema.org/draft-07/schema',
    $id: 'compose_spec.json',
    type: 'object',
    properties: {
        version: {
            type: 'string',
        },
        name: {
            type: 'string',
        },
        include: {
            type: 'array',
            items: {
                $ref: '#/definitions/include',
            },
        },
        services: {
            type: 'object',
            patternProperties: {
                '^[a-zA-Z0-9._-]+$': {
                    $ref: '#/definitions/service',
                },
            },
            additionalProperties: false,
        },
        networks: {
            type: 'object',
            patternProperties: {
                '^[a-zA-Z0-9._-]+$': {
                    $ref: '#/definitions/network',
                },
            },
        },
        volumes: {
            type: 'object',
            patternProperties: {
                '^[a-zA-Z0-9._-]+$': {
                    $ref: '#/definitions/volume',
                },
            },
            additionalProperties: false,
        },
        secrets: {
            type: 'object',
            patternProperties: {
                '^[a-zA-Z0-9._-]+$': {
                    $ref: '#/definitions/secret',
                },
            },
            additionalProperties: false,
        },
        configs: {
            type: 'object',
            patternProperties: {
                '^[a-zA-Z0-9._-]+$': {
                    $ref: '#/definitions/config',
                },
            },
            additionalProperties: false,
        },
    },
    patternProperties: {
        '^x-': {},
    },
    additionalProperties: false,
    definitions: {
        service: {
            type: 'object',
            properties: {
                develop: {
                    $ref: '#/definitions/development',
                },
                deploy: {
                    $ref: '#/definitions/deployment',
                },
                annotations: {
                    $ref: '#/definitions/list_or_dict',
                },
                attach: {
                    type: ['boolean', 'string'],
                },
                build: {
                    oneOf: [
                        {
                            type: 'string',
                        },
                        {
                            type: 'object',
                            properties: {
                                context: {
                                    type: 'string',
                                },
                                dockerfile: {
                                    type: 'string',
                                },
                                dockerfile_inline: {
                                    type: 'string',
                                },
                                entitlements: {
                                    type: 'array',
                                    items: {
                                        type: 'string',
                                    },
                                },
                                args: {
                                    $ref: '#/definitions/list_or_dict',
                                },
                                ssh: {
                                    $ref: '#/definitions/list_or_dict',
                                },
                                labels: {
                                    $ref: '#/definitions/list_or_dict',
                                },
                                cache_from: {
                                    type: 'array',
                                    items: {
                                        type: 'string',
                                    },
                                },
                                cache_to: {
                                    type: 'array',
                                    items: {
                                        type: 'string',
                                    },
                                },
                                no_cache: {
                                    type: ['boolean', 'string'],
                                },
                                additional_contexts: {
                                    $ref: '#/definitions/list_or_dict',
                                },
                                network: {
                                    type: 'string',
                                },
                                pull: {
                                    type: ['boolean', 'string'],
                                },
                                target: {
                                    type: 'string',
                                },
                                shm_size: {
                                    type: ['integer', 'string'],
                                },
                                extra_hosts: {
                                    $ref: '#/definitions/extra_hosts',
                                },
                                isolation: {
                                    type: 'string',
                                },
                                privileged: {
                                    type: ['boolean', 'string'],
                                },
                                secrets: {
                                    $ref: '#/definitions/service_config_or_secret',
                                },
                                tags: {
                                    type: 'array',
                                    items: {
                                        type: 'string',
                                    },
                                },
                                ulimits: {
                                    $ref: '#/definitions/ulimits',
                                },
                                platforms: {
                                    type: 'array',
                                    items: {
                                        type: 'string',
                                    },
                                },
                            },
                            additionalProperties: false,
                            patternProperties: {
                                '^x-': {},
                            },
                        },
                    ],
                },
                blkio_config: {
                    type: 'object',
                    properties: {
                        device_read_bps: {
                            type: 'array',
                            items: {
                                $ref: '#/definitions/blkio_limit',
                            },
                        },
                        device_read_iops: {
                            type: 'array',
                            items: {
                                $ref: '#/definitions/blkio_limit',
                            },
                        },
                        device_write_bps: {
                            type: 'array',
                            items: {
                                $ref: '#/definitions/blkio_limit',
                            },
                        },
                        device_write_iops: {
                            type: 'array',
                            items: {
                                $ref: '#/definitions/blkio_limit',
                            },
                        },
                        weight: {
                            type: ['integer', 'string'],
                        },
                        weight_device: {
                            type: 'array',
                            items: {
                                $ref: '#/definitions/blkio_weight',
                            },
                        },
                    },
                    additionalProperties: false,
                },
                cap_add: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                cap_drop: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                cgroup: {
                    type: 'string',
                    enum: ['host', 'private'],
                },
                cgroup_parent: {
                    type: 'string',
                },
                command: {
                    $ref: '#/definitions/command',
                },
                configs: {
                    $ref: '#/definitions/service_config_or_secret',
                },
                container_name: {
                    type: 'string',
                },
                cpu_count: {
                    oneOf: [
                        {
                            type: 'string',
                        },
                        {
                            type: 'integer',
                            minimum: 0,
                        },
                    ],
                },
                cpu_percent: {
                    oneOf: [
                        {
                            type: 'string',
                        },
                        {
                            type: 'integer',
                            minimum: 0,
                            maximum: 100,
                        },
                    ],
                },
                cpu_shares: {
                    type: ['number', 'string'],
                },
                cpu_quota: {
                    type: ['number', 'string'],
                },
                cpu_period: {
                    type: ['number', 'string'],
                },
                cpu_rt_period: {
                    type: ['number', 'string'],
                },
                cpu_rt_runtime: {
                    type: ['number', 'string'],
                },
                cpus: {
                    type: ['number', 'string'],
                },
                cpuset: {
                    type: 'string',
                },
                credential_spec: {
                    type: 'object',
                    properties: {
                        config: {
                            type: 'string',
                        },
                        file: {
                            type: 'string',
                        },
                        registry: {
                            type: 'string',
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                depends_on: {
                    oneOf: [
                        {
                            $ref: '#/definitions/list_of_strings',
                        },
                        {
                            type: 'object',
                            additionalProperties: false,
                            patternProperties: {
                                '^[a-zA-Z0-9._-]+$': {
                                    type: 'object',
                                    additionalProperties: false,
                                    patternProperties: {
                                        '^x-': {},
                                    },
                                    properties: {
                                        restart: {
                                            type: ['boolean', 'string'],
                                        },
                                        required: {
                                            type: 'boolean',
                                            default: true,
                                        },
                                        condition: {
                                            type: 'string',
                                            enum: ['service_started', 'service_healthy', 'service_completed_successfully'],
                                        },
                                    },
                                    required: ['condition'],
                                },
                            },
                        },
                    ],
                },
                device_cgroup_rules: {
                    $ref: '#/definitions/list_of_strings',
                },
                devices: {
                    type: 'array',
                    items: {
                        oneOf: [
                            {
                                type: 'string',
                            },
                            {
                                type: 'object',
                                required: ['source'],
                                properties: {
                                    source: {
                                        type: 'string',
                                    },
                                    target: {
                                        type: 'string',
                                    },
                                    permissions: {
                                        type: 'string',
                                    },
                                },
                                additionalProperties: false,
                                patternProperties: {
                                    '^x-': {},
                                },
                            },
                        ],
                    },
                },
                dns: {
                    $ref: '#/definitions/string_or_list',
                },
                dns_opt: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                dns_search: {
                    $ref: '#/definitions/string_or_list',
                },
                domainname: {
                    type: 'string',
                },
                entrypoint: {
                    $ref: '#/definitions/command',
                },
                env_file: {
                    $ref: '#/definitions/env_file',
                },
                label_file: {
                    $ref: '#/definitions/label_file',
                },
                environment: {
                    $ref: '#/definitions/list_or_dict',
                },
                expose: {
                    type: 'array',
                    items: {
                        type: ['string', 'number'],
                    },
                    uniqueItems: true,
                },
                extends: {
                    oneOf: [
                        {
                            type: 'string',
                        },
                        {
                            type: 'object',
                            properties: {
                                service: {
                                    type: 'string',
                                },
                                file: {
                                    type: 'string',
                                },
                            },
                            required: ['service'],
                            additionalProperties: false,
                        },
                    ],
                },
                external_links: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                extra_hosts: {
                    $ref: '#/definitions/extra_hosts',
                },
                gpus: {
                    $ref: '#/definitions/gpus',
                },
                group_add: {
                    type: 'array',
                    items: {
                        type: ['string', 'number'],
                    },
                    uniqueItems: true,
                },
                healthcheck: {
                    $ref: '#/definitions/healthcheck',
                },
                hostname: {
                    type: 'string',
                },
                image: {
                    type: 'string',
                },
                init: {
                    type: ['boolean', 'string'],
                },
                ipc: {
                    type: 'string',
                },
                isolation: {
                    type: 'string',
                },
                labels: {
                    $ref: '#/definitions/list_or_dict',
                },
                links: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                logging: {
                    type: 'object',
                    properties: {
                        driver: {
                            type: 'string',
                        },
                        options: {
                            type: 'object',
                            patternProperties: {
                                '^.+$': {
                                    type: ['string', 'number', 'null'],
                                },
                            },
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                mac_address: {
                    type: 'string',
                },
                mem_limit: {
                    type: ['number', 'string'],
                },
                mem_reservation: {
                    type: ['string', 'integer'],
                },
                mem_swappiness: {
                    type: ['integer', 'string'],
                },
                memswap_limit: {
                    type: ['number', 'string'],
                },
                network_mode: {
                    type: 'string',
                },
                networks: {
                    oneOf: [
                        {
                            $ref: '#/definitions/list_of_strings',
                        },
                        {
                            type: 'object',
                            patternProperties: {
                                '^[a-zA-Z0-9._-]+$': {
                                    oneOf: [
                                        {
                                            type: 'object',
                                            properties: {
                                                aliases: {
                                                    $ref: '#/definitions/list_of_strings',
                                                },
                                                ipv4_address: {
                                                    type: 'string',
                                                },
                                                ipv6_address: {
                                                    type: 'string',
                                                },
                                                link_local_ips: {
                                                    $ref: '#/definitions/list_of_strings',
                                                },
                                                mac_address: {
                                                    type: 'string',
                                                },
                                                driver_opts: {
                                                    type: 'object',
                                                    patternProperties: {
                                                        '^.+$': {
                                                            type: ['string', 'number'],
                                                        },
                                                    },
                                                },
                                                priority: {
                                                    type: 'number',
                                                },
                                                gw_priority: {
                                                    type: 'number',
                                                },
                                            },
                                            additionalProperties: false,
                                            patternProperties: {
                                                '^x-': {},
                                            },
                                        },
                                        {
                                            type: 'null',
                                        },
                                    ],
                                },
                            },
                            additionalProperties: false,
                        },
                    ],
                },
                oom_kill_disable: {
                    type: ['boolean', 'string'],
                },
                oom_score_adj: {
                    oneOf: [
                        {
                            type: 'string',
                        },
                        {
                            type: 'integer',
                            minimum: -1000,
                            maximum: 1000,
                        },
                    ],
                },
                pid: {
                    type: ['string', 'null'],
                },
                pids_limit: {
                    type: ['number', 'string'],
                },
                platform: {
                    type: 'string',
                },
                ports: {
                    type: 'array',
                    items: {
                        oneOf: [
                            {
                                type: 'number',
                            },
                            {
                                type: 'string',
                            },
                            {
                                type: 'object',
                                properties: {
                                    name: {
                                        type: 'string',
                                    },
                                    mode: {
                                        type: 'string',
                                    },
                                    host_ip: {
                                        type: 'string',
                                    },
                                    target: {
                                        type: ['integer', 'string'],
                                    },
                                    published: {
                                        type: ['string', 'integer'],
                                    },
                                    protocol: {
                                        type: 'string',
                                    },
                                    app_protocol: {
                                        type: 'string',
                                    },
                                },
                                additionalProperties: false,
                                patternProperties: {
                                    '^x-': {},
                                },
                            },
                        ],
                    },
                    uniqueItems: true,
                },
                post_start: {
                    type: 'array',
                    items: {
                        $ref: '#/definitions/service_hook',
                    },
                },
                pre_stop: {
                    type: 'array',
                    items: {
                        $ref: '#/definitions/service_hook',
                    },
                },
                privileged: {
                    type: ['boolean', 'string'],
                },
                profiles: {
                    $ref: '#/definitions/list_of_strings',
                },
                pull_policy: {
                    type: 'string',
                    enum: ['always', 'never', 'if_not_present', 'build', 'missing'],
                },
                read_only: {
                    type: ['boolean', 'string'],
                },
                restart: {
                    type: 'string',
                },
                runtime: {
                    type: 'string',
                },
                scale: {
                    type: ['integer', 'string'],
                },
                security_opt: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                shm_size: {
                    type: ['number', 'string'],
                },
                secrets: {
                    $ref: '#/definitions/service_config_or_secret',
                },
                sysctls: {
                    $ref: '#/definitions/list_or_dict',
                },
                stdin_open: {
                    type: ['boolean', 'string'],
                },
                stop_grace_period: {
                    type: 'string',
                },
                stop_signal: {
                    type: 'string',
                },
                storage_opt: {
                    type: 'object',
                },
                tmpfs: {
                    $ref: '#/definitions/string_or_list',
                },
                tty: {
                    type: ['boolean', 'string'],
                },
                ulimits: {
                    $ref: '#/definitions/ulimits',
                },
                user: {
                    type: 'string',
                },
                uts: {
                    type: 'string',
                },
                userns_mode: {
                    type: 'string',
                },
                volumes: {
                    type: 'array',
                    items: {
                        oneOf: [
                            {
                                type: 'string',
                            },
                            {
                                type: 'object',
                                required: ['type'],
                                properties: {
                                    type: {
                                        type: 'string',
                                    },
                                    source: {
                                        type: 'string',
                                    },
                                    target: {
                                        type: 'string',
                                    },
                                    read_only: {
                                        type: ['boolean', 'string'],
                                    },
                                    consistency: {
                                        type: 'string',
                                    },
                                    bind: {
                                        type: 'object',
                                        properties: {
                                            propagation: {
                                                type: 'string',
                                            },
                                            create_host_path: {
                                                type: ['boolean', 'string'],
                                            },
                                            recursive: {
                                                type: 'string',
                                                enum: ['enabled', 'disabled', 'writable', 'readonly'],
                                            },
                                            selinux: {
                                                type: 'string',
                                                enum: ['z', 'Z'],
                                            },
                                        },
                                        additionalProperties: false,
                                        patternProperties: {
                                            '^x-': {},
                                        },
                                    },
                                    volume: {
                                        type: 'object',
                                        properties: {
                                            nocopy: {
                                                type: ['boolean', 'string'],
                                            },
                                            subpath: {
                                                type: 'string',
                                            },
                                        },
                                        additionalProperties: false,
                                        patternProperties: {
                                            '^x-': {},
                                        },
                                    },
                                    tmpfs: {
                                        type: 'object',
                                        properties: {
                                            size: {
                                                oneOf: [
                                                    {
                                                        type: 'integer',
                                                        minimum: 0,
                                                    },
                                                    {
                                                        type: 'string',
                                                    },
                                                ],
                                            },
                                            mode: {
                                                type: ['number', 'string'],
                                            },
                                        },
                                        additionalProperties: false,
                                        patternProperties: {
                                            '^x-': {},
                                        },
                                    },
                                },
                                additionalProperties: false,
                                patternProperties: {
                                    '^x-': {},
                                },
                            },
                        ],
                    },
                    uniqueItems: true,
                },
                volumes_from: {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
                working_dir: {
                    type: 'string',
                },
            },
            patternProperties: {
                '^x-': {},
            },
            additionalProperties: false,
        },
        healthcheck: {
            type: 'object',
            properties: {
                disable: {
                    type: ['boolean', 'string'],
                },
                interval: {
                    type: 'string',
                },
                retries: {
                    type: ['number', 'string'],
                },
                test: {
                    oneOf: [
                        {
                            type: 'string',
                        },
                        {
                            type: 'array',
                            items: {
                                type: 'string',
                            },
                        },
                    ],
                },
                timeout: {
                    type: 'string',
                },
                start_period: {
                    type: 'string',
                },
                start_interval: {
                    type: 'string',
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        development: {
            type: ['object', 'null'],
            properties: {
                watch: {
                    type: 'array',
                    items: {
                        type: 'object',
                        required: ['path', 'action'],
                        properties: {
                            ignore: {
                                type: 'array',
                                items: {
                                    type: 'string',
                                },
                            },
                            path: {
                                type: 'string',
                            },
                            action: {
                                type: 'string',
                                enum: ['rebuild', 'sync', 'restart', 'sync+restart', 'sync+exec'],
                            },
                            target: {
                                type: 'string',
                            },
                            exec: {
                                $ref: '#/definitions/service_hook',
                            },
                        },
                        additionalProperties: false,
                        patternProperties: {
                            '^x-': {},
                        },
                    },
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        deployment: {
            type: ['object', 'null'],
            properties: {
                mode: {
                    type: 'string',
                },
                endpoint_mode: {
                    type: 'string',
                },
                replicas: {
                    type: ['integer', 'string'],
                },
                labels: {
                    $ref: '#/definitions/list_or_dict',
                },
                rollback_config: {
                    type: 'object',
                    properties: {
                        parallelism: {
                            type: ['integer', 'string'],
                        },
                        delay: {
                            type: 'string',
                        },
                        failure_action: {
                            type: 'string',
                        },
                        monitor: {
                            type: 'string',
                        },
                        max_failure_ratio: {
                            type: ['number', 'string'],
                        },
                        order: {
                            type: 'string',
                            enum: ['start-first', 'stop-first'],
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                update_config: {
                    type: 'object',
                    properties: {
                        parallelism: {
                            type: ['integer', 'string'],
                        },
                        delay: {
                            type: 'string',
                        },
                        failure_action: {
                            type: 'string',
                        },
                        monitor: {
                            type: 'string',
                        },
                        max_failure_ratio: {
                            type: ['number', 'string'],
                        },
                        order: {
                            type: 'string',
                            enum: ['start-first', 'stop-first'],
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                resources: {
                    type: 'object',
                    properties: {
                        limits: {
                            type: 'object',
                            properties: {
                                cpus: {
                                    type: ['number', 'string'],
                                },
                                memory: {
                                    type: 'string',
                                },
                                pids: {
                                    type: ['integer', 'string'],
                                },
                            },
                            additionalProperties: false,
                            patternProperties: {
                                '^x-': {},
                            },
                        },
                        reservations: {
                            type: 'object',
                            properties: {
                                cpus: {
                                    type: ['number', 'string'],
                                },
                                memory: {
                                    type: 'string',
                                },
                                generic_resources: {
                                    $ref: '#/definitions/generic_resources',
                                },
                                devices: {
                                    $ref: '#/definitions/devices',
                                },
                            },
                            additionalProperties: false,
                            patternProperties: {
                                '^x-': {},
                            },
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                restart_policy: {
                    type: 'object',
                    properties: {
                        condition: {
                            type: 'string',
                        },
                        delay: {
                            type: 'string',
                        },
                        max_attempts: {
                            type: ['integer', 'string'],
                        },
                        window: {
                            type: 'string',
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                placement: {
                    type: 'object',
                    properties: {
                        constraints: {
                            type: 'array',
                            items: {
                                type: 'string',
                            },
                        },
                        preferences: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: {
                                    spread: {
                                        type: 'string',
                                    },
                                },
                                additionalProperties: false,
                                patternProperties: {
                                    '^x-': {},
                                },
                            },
                        },
                        max_replicas_per_node: {
                            type: ['integer', 'string'],
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        generic_resources: {
            type: 'array',
            items: {
                type: 'object',
                properties: {
                    discrete_resource_spec: {
                        type: 'object',
                        properties: {
                            kind: {
                                type: 'string',
                            },
                            value: {
                                type: ['number', 'string'],
                            },
                        },
                        additionalProperties: false,
                        patternProperties: {
                            '^x-': {},
                        },
                    },
                },
                additionalProperties: false,
                patternProperties: {
                    '^x-': {},
                },
            },
        },
        devices: {
            type: 'array',
            items: {
                type: 'object',
                properties: {
                    capabilities: {
                        $ref: '#/definitions/list_of_strings',
                    },
                    count: {
                        type: ['string', 'integer'],
                    },
                    device_ids: {
                        $ref: '#/definitions/list_of_strings',
                    },
                    driver: {
                        type: 'string',
                    },
                    options: {
                        $ref: '#/definitions/list_or_dict',
                    },
                },
                additionalProperties: false,
                patternProperties: {
                    '^x-': {},
                },
                required: ['capabilities'],
            },
        },
        gpus: {
            oneOf: [
                {
                    type: 'string',
                    enum: ['all'],
                },
                {
                    type: 'array',
                    items: {
                        type: 'object',
                        properties: {
                            capabilities: {
                                $ref: '#/definitions/list_of_strings',
                            },
                            count: {
                                type: ['string', 'integer'],
                            },
                            device_ids: {
                                $ref: '#/definitions/list_of_strings',
                            },
                            driver: {
                                type: 'string',
                            },
                            options: {
                                $ref: '#/definitions/list_or_dict',
                            },
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
            ],
        },
        include: {
            oneOf: [
                {
                    type: 'string',
                },
                {
                    type: 'object',
                    properties: {
                        path: {
                            $ref: '#/definitions/string_or_list',
                        },
                        env_file: {
                            $ref: '#/definitions/string_or_list',
                        },
                        project_directory: {
                            type: 'string',
                        },
                    },
                    additionalProperties: false,
                },
            ],
        },
        network: {
            type: ['object', 'null'],
            properties: {
                name: {
                    type: 'string',
                },
                driver: {
                    type: 'string',
                },
                driver_opts: {
                    type: 'object',
                    patternProperties: {
                        '^.+$': {
                            type: ['string', 'number'],
                        },
                    },
                },
                ipam: {
                    type: 'object',
                    properties: {
                        driver: {
                            type: 'string',
                        },
                        config: {
                            type: 'array',
                            items: {
                                type: 'object',
                                properties: {
                                    subnet: {
                                        type: 'string',
                                    },
                                    ip_range: {
                                        type: 'string',
                                    },
                                    gateway: {
                                        type: 'string',
                                    },
                                    aux_addresses: {
                                        type: 'object',
                                        additionalProperties: false,
                                        patternProperties: {
                                            '^.+$': {
                                                type: 'string',
                                            },
                                        },
                                    },
                                },
                                additionalProperties: false,
                                patternProperties: {
                                    '^x-': {},
                                },
                            },
                        },
                        options: {
                            type: 'object',
                            additionalProperties: false,
                            patternProperties: {
                                '^.+$': {
                                    type: 'string',
                                },
                            },
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                external: {
                    type: ['boolean', 'string', 'object'],
                    properties: {
                        name: {
                            deprecated: true,
                            type: 'string',
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                internal: {
                    type: ['boolean', 'string'],
                },
                enable_ipv4: {
                    type: ['boolean', 'string'],
                },
                enable_ipv6: {
                    type: ['boolean', 'string'],
                },
                attachable: {
                    type: ['boolean', 'string'],
                },
                labels: {
                    $ref: '#/definitions/list_or_dict',
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        volume: {
            type: ['object', 'null'],
            properties: {
                name: {
                    type: 'string',
                },
                driver: {
                    type: 'string',
                },
                driver_opts: {
                    type: 'object',
                    patternProperties: {
                        '^.+$': {
                            type: ['string', 'number'],
                        },
                    },
                },
                external: {
                    type: ['boolean', 'string', 'object'],
                    properties: {
                        name: {
                            deprecated: true,
                            type: 'string',
                        },
                    },
                    additionalProperties: false,
                    patternProperties: {
                        '^x-': {},
                    },
                },
                labels: {
                    $ref: '#/definitions/list_or_dict',
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        secret: {
            type: 'object',
            properties: {
                name: {
                    type: 'string',
                },
                environment: {
                    type: 'string',
                },
                file: {
                    type: 'string',
                },
                external: {
                    type: ['boolean', 'string', 'object'],
                    properties: {
                        name: {
                            type: 'string',
                        },
                    },
                },
                labels: {
                    $ref: '#/definitions/list_or_dict',
                },
                driver: {
                    type: 'string',
                },
                driver_opts: {
                    type: 'object',
                    patternProperties: {
                        '^.+$': {
                            type: ['string', 'number'],
                        },
                    },
                },
                template_driver: {
                    type: 'string',
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        config: {
            type: 'object',
            properties: {
                name: {
                    type: 'string',
                },
                content: {
                    type: 'string',
                },
                environment: {
                    type: 'string',
                },
                file: {
                    type: 'string',
                },
                external: {
                    type: ['boolean', 'string', 'object'],
                    properties: {
                        name: {
                            deprecated: true,
                            type: 'string',
                        },
                    },
                },
                labels: {
                    $ref: '#/definitions/list_or_dict',
                },
                template_driver: {
                    type: 'string',
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        command: {
            oneOf: [
                {
                    type: 'null',
                },
                {
                    type: 'string',
                },
                {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                },
            ],
        },
        service_hook: {
            type: 'object',
            properties: {
                command: {
                    $ref: '#/definitions/command',
                },
                user: {
                    type: 'string',
                },
                privileged: {
                    type: ['boolean', 'string'],
                },
                working_dir: {
                    type: 'string',
                },
                environment: {
                    $ref: '#/definitions/list_or_dict',
                },
            },
            additionalProperties: false,
            patternProperties: {
                '^x-': {},
            },
        },
        env_file: {
            oneOf: [
                {
                    type: 'string',
                },
                {
                    type: 'array',
                    items: {
                        oneOf: [
                            {
                                type: 'string',
                            },
                            {
                                type: 'object',
                                additionalProperties: false,
                                properties: {
                                    path: {
                                        type: 'string',
                                    },
                                    format: {
                                        type: 'string',
                                    },
                                    required: {
                                        type: ['boolean', 'string'],
                                        default: true,
                                    },
                                },
                                required: ['path'],
                            },
                        ],
                    },
                },
            ],
        },
        label_file: {
            oneOf: [
                {
                    type: 'string',
                },
                {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                },
            ],
        },
        string_or_list: {
            oneOf: [
                {
                    type: 'string',
                },
                {
                    $ref: '#/definitions/list_of_strings',
                },
            ],
        },
        list_of_strings: {
            type: 'array',
            items: {
                type: 'string',
            },
            uniqueItems: true,
        },
        list_or_dict: {
            oneOf: [
                {
                    type: 'object',
                    patternProperties: {
                        '.+': {
                            type: ['string', 'number', 'boolean', 'null'],
                        },
                    },
                    additionalProperties: false,
                },
                {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
            ],
        },
        extra_hosts: {
            oneOf: [
                {
                    type: 'object',
                    patternProperties: {
                        '.+': {
                            oneOf: [
                                {
                                    type: 'string',
                                },
                                {
                                    type: 'array',
                                    items: {
                                        type: 'string',
                                    },
                                    uniqueItems: false,
                                },
                            ],
                        },
                    },
                    additionalProperties: false,
                },
                {
                    type: 'array',
                    items: {
                        type: 'string',
                    },
                    uniqueItems: true,
                },
            ],
        },
        blkio_limit: {
            type: 'object',
            properties: {
                path: {
                    type: 'string',
                },
                rate: {
                    type: ['integer', 'string'],
                },
            },
            additionalProperties: false,
        },
        blkio_weight: {
            type: 'object',
            properties: {
                path: {
                    type: 'string',
                },
                weight: {
                    type: ['integer', 'string'],
                },
            },
            additionalProperties: false,
        },
        service_config_or_secret: {
            type: 'array',
            items: {
                oneOf: [
                    {
                        type: 'string',
                    },
                    {
                        type: 'object',
                        properties: {
                            source: {
                                type: 'string',
                            },
                            target: {
                                type: 'string',
                            },
                            uid: {
                                type: 'string',
                            },
                            gid: {
                                type: 'string',
                            },
                            mode: {
                                type: ['number', 'string'],
                            },
                        },
                        additionalProperties: false,
                        patternProperties: {
                            '^x-': {},
                        },
                    },
                ],
            },
        },
        ulimits: {
            type: 'object',
            patternProperties: {
                '^[a-z]+$': {
                    oneOf: [
                        {
                            type: ['integer', 'string'],
                        },
                        {
                            type: 'object',
                            properties: {
                                hard: {
                                    type: ['integer', 'string'],
                                },
                                soft: {
                                    type: ['integer', 'string'],
                                },
                            },
                            required: ['soft', 'hard'],
                            additionalProperties: false,
                            patternProperties: {
                                '^x-': {},
                            },
                        },
                    ],
                },
            },
        },
    },
};
//# sourceMappingURL=compose-schema.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/validate.js
/**
 * What Docker Compose refuses, found before anything is deployed: the Compose specification's
 * schema (as Compose 2.26.1 applies it), the type casts compose-go makes while interpolating,
 * the short syntaxes it parses (volumes, ports, sizes, durations, extra_hosts), references to
 * services, volumes, networks, secrets and configs that do not exist, and what the engine
 * refuses at `up` (image references, restart policies, relative mount targets and tmpfs paths,
 * unknown capabilities, malformed security_opt, a memory limit under 6 MB).
 * Messages follow Compose's wording and name the file, the service and the key.
 */


const definitions = composeSpecSchema['definitions'];
function resolveRef(schema) {
    let s = schema;
    while (typeof s['$ref'] === 'string') {
        const name = s['$ref'].replace('#/definitions/', '');
        s = definitions[name];
    }
    return s;
}
function typeOf(value) {
    if (value === null || value === undefined)
        return 'null';
    if (Array.isArray(value))
        return 'array';
    if (typeof value === 'number')
        return Number.isInteger(value) ? 'integer' : 'number';
    return typeof value === 'object' ? 'object' : typeof value;
}
function typeMatches(value, type) {
    const actual = typeOf(value);
    return actual === type || (type === 'number' && actual === 'integer');
}
const TYPE_WORDS = {
    string: 'a string',
    number: 'a number',
    integer: 'an integer',
    boolean: 'a boolean',
    null: 'null',
    object: 'a mapping',
    array: 'a list',
};
function words(types) {
    const w = [...new Set(types)].map((t) => TYPE_WORDS[t] ?? t);
    return w.length === 1 ? w[0] : `${w.slice(0, -1).join(', ')} or ${w[w.length - 1]}`;
}
/** The types a schema accepts at its top (for the oneOf message). */
function acceptedTypes(schema) {
    const s = resolveRef(schema);
    if (Array.isArray(s['oneOf']))
        return s['oneOf'].flatMap(acceptedTypes);
    if (typeof s['type'] === 'string')
        return [s['type']];
    if (Array.isArray(s['type']))
        return s['type'];
    return [];
}
function validateSchema(value, schema, path, out) {
    const s = resolveRef(schema);
    const at = path.join('.') || '(root)';
    const type = s['type'];
    if (type !== undefined) {
        const types = Array.isArray(type) ? type : [type];
        if (!types.some((t) => typeMatches(value, t))) {
            out.push([at, `must be ${words(types)}`]);
            return;
        }
    }
    if (Array.isArray(s['enum']) && !s['enum'].includes(value)) {
        out.push([
            at,
            `must be one of the following: ${s['enum'].map((v) => JSON.stringify(v)).join(', ')}`,
        ]);
        return;
    }
    if (typeof value === 'number') {
        if (typeof s['minimum'] === 'number' && value < s['minimum'])
            out.push([at, `must be greater than or equal to ${s['minimum']}`]);
        if (typeof s['maximum'] === 'number' && value > s['maximum'])
            out.push([at, `must be less than or equal to ${s['maximum']}`]);
    }
    if (Array.isArray(s['oneOf'])) {
        const branches = s['oneOf'];
        const results = branches.map((b) => {
            const errors = [];
            validateSchema(value, b, path, errors);
            return errors;
        });
        if (!results.some((r) => r.length === 0)) {
            // Report the branch of the value's own type, as Compose does; else the types accepted.
            const sameType = branches.findIndex((b) => acceptedTypes(b).some((t) => typeMatches(value, t)));
            if (sameType >= 0)
                out.push(...results[sameType]);
            else
                out.push([at, `must be ${words(branches.flatMap(acceptedTypes))}`]);
        }
        return;
    }
    if (typeOf(value) === 'object') {
        const object = value;
        for (const key of s['required'] ?? []) {
            if (!(key in object))
                out.push([at, `${key} is required`]);
        }
        const properties = s['properties'] ?? {};
        const patterns = Object.entries(s['patternProperties'] ?? {}).map(([p, sub]) => [new RegExp(p, 'u'), sub]);
        for (const [key, child] of Object.entries(object)) {
            if (Object.hasOwn(properties, key)) {
                validateSchema(child, properties[key], [...path, key], out);
                continue;
            }
            const matching = patterns.filter(([re]) => re.test(key));
            if (matching.length > 0) {
                for (const [, sub] of matching)
                    validateSchema(child, sub, [...path, key], out);
                continue;
            }
            const additional = s['additionalProperties'];
            if (additional === false)
                out.push([at, `additional property ${key} is not allowed`]);
            else if (additional !== undefined && additional !== true)
                validateSchema(child, additional, [...path, key], out);
        }
    }
    if (Array.isArray(value) && s['items'] !== undefined && !Array.isArray(s['items'])) {
        value.forEach((item, i) => validateSchema(item, s['items'], [...path, String(i)], out));
    }
}
const SERVICE_CASTS = [
    ['cpu_count', 'int'],
    ['cpu_percent', 'float'],
    ['cpu_period', 'int'],
    ['cpu_quota', 'int'],
    ['cpu_rt_period', 'int'],
    ['cpu_rt_runtime', 'int'],
    ['cpus', 'float'],
    ['cpu_shares', 'int'],
    ['init', 'bool'],
    ['deploy.replicas', 'int'],
    ['deploy.update_config.parallelism', 'int'],
    ['deploy.update_config.max_failure_ratio', 'float'],
    ['deploy.rollback_config.parallelism', 'int'],
    ['deploy.rollback_config.max_failure_ratio', 'float'],
    ['deploy.restart_policy.max_attempts', 'int'],
    ['deploy.placement.max_replicas_per_node', 'int'],
    ['healthcheck.retries', 'int'],
    ['healthcheck.disable', 'bool'],
    ['oom_kill_disable', 'bool'],
    ['oom_score_adj', 'int'],
    ['pids_limit', 'int'],
    ['ports.*.target', 'int'],
    ['privileged', 'bool'],
    ['read_only', 'bool'],
    ['scale', 'int'],
    ['secrets.*.mode', 'int'],
    ['configs.*.mode', 'int'],
    ['shm_size', 'bytes'],
    ['stdin_open', 'bool'],
    ['stop_grace_period', 'duration'],
    ['tty', 'bool'],
    ['volumes.*.read_only', 'bool'],
    ['volumes.*.volume.nocopy', 'bool'],
    ['volumes.*.tmpfs.size', 'bytes'],
];
// Decoded into sizes and durations when the model is loaded ("decoding failed ...").
const SERVICE_DECODES = [
    ['mem_limit', 'bytes'],
    ['mem_reservation', 'bytes'],
    ['memswap_limit', 'bytes'],
    ['healthcheck.interval', 'duration'],
    ['healthcheck.timeout', 'duration'],
    ['healthcheck.start_period', 'duration'],
    ['healthcheck.start_interval', 'duration'],
];
const TOP_CASTS = ['networks', 'volumes', 'secrets', 'configs'].flatMap((kind) => ['external', ...(kind === 'networks' ? ['internal', 'attachable', 'enable_ipv6'] : [])].map((k) => `${kind}.*.${k}`));
/** Values at a dotted path with `*` for any key or index. */
function at(value, path, prefix = []) {
    if (path.length === 0)
        return [[prefix, value]];
    if (value === null || typeof value !== 'object')
        return [];
    const [head, ...rest] = path;
    const entries = Array.isArray(value)
        ? value.map((v, i) => [String(i), v])
        : Object.entries(value);
    return entries.filter(([k]) => head === '*' || k === head).flatMap(([k, v]) => at(v, rest, [...prefix, k]));
}
const GO_BOOL = new Map([
    ['y', true],
    ['yes', true],
    ['true', true],
    ['on', true],
    ['n', false],
    ['no', false],
    ['false', false],
    ['off', false],
]);
/** compose-go's size parser (units.RAMInBytes): `512m`, `1g`, `1.5GB`, bytes. */
function isSize(text) {
    return /^(\d+(\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.test(text);
}
/** Go's time.ParseDuration. */
function isDuration(text) {
    if (text === '0')
        return true;
    return /^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h))+$/.test(text);
}
function castProblem(value, cast) {
    if (typeof value !== 'string')
        return undefined;
    switch (cast) {
        case 'bool':
            return GO_BOOL.has(value.toLowerCase()) ? undefined : `invalid boolean: ${value}`;
        case 'int':
            return /^[-+]?\d+$/.test(value)
                ? undefined
                : `strconv.Atoi: parsing ${JSON.stringify(value)}: invalid syntax`;
        case 'float':
            return /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/.test(value)
                ? undefined
                : `strconv.ParseFloat: parsing ${JSON.stringify(value)}: invalid syntax`;
        case 'bytes':
            return isSize(value) ? undefined : `invalid size: '${value}'`;
        case 'duration':
            return isDuration(value) ? undefined : `time: invalid duration ${JSON.stringify(value)}`;
    }
}
/** docker's reference grammar (distribution/reference), which `up` applies when it pulls or creates. */
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*';
const DOMAIN_PART = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_PART}(?:\\.${DOMAIN_PART})*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?`;
const REFERENCE = new RegExp(`^((?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*)(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?$`);
/** Why docker would refuse an image reference, or undefined when it is valid. */
function imageReferenceProblem(image) {
    const match = REFERENCE.exec(image);
    if (match)
        return match[1].length > 255 ? 'repository name must not be more than 255 characters' : undefined;
    if (REFERENCE.test(image.toLowerCase()))
        return 'invalid reference format: repository name must be lowercase';
    return 'invalid reference format';
}
/** compose-go's short volume syntax parser (format.ParseVolume): the error, or source/target. */
function parseVolumeSpec(spec) {
    if (spec.length === 0)
        return { error: 'invalid empty volume spec' };
    if (spec.length <= 2)
        return { source: '', target: spec, options: '' };
    let source = '';
    let target = '';
    let options = '';
    let buffer = '';
    const chars = [...spec, '\0'];
    for (let i = 0; i < chars.length; i++) {
        const ch = chars[i];
        // A Windows drive (`C:`) is part of the path.
        if (ch === ':' && buffer.length === 1 && /[a-zA-Z]/.test(buffer)) {
            buffer += ch;
            continue;
        }
        if (ch !== ':' && ch !== '\0') {
            buffer += ch;
            continue;
        }
        if (buffer.length === 0)
            return { error: `invalid spec: ${spec}: empty section between colons` };
        if (source === '' && ch === '\0' && target === '')
            target = buffer;
        else if (source === '')
            source = buffer;
        else if (target === '')
            target = buffer;
        else if (ch === ':')
            return { error: `invalid spec: ${spec}: too many colons` };
        else
            options = buffer;
        buffer = '';
    }
    return { source, target, options };
}
/** docker/go-connections' nat.ParsePortSpec, with its messages. */
function portSpecProblem(raw) {
    const parts = raw.split(':');
    const n = parts.length;
    let containerPort = parts[n - 1];
    const hostPort = n >= 2 ? parts[n - 2] : '';
    const ip = n === 3 ? parts[0] : n > 3 ? parts.slice(0, n - 2).join(':') : '';
    const slash = containerPort.split('/');
    let proto = 'tcp';
    if (containerPort === '' || slash[0] === '') {
        containerPort = '';
        proto = '';
    }
    else if (slash.length > 1 && slash[1] !== '') {
        proto = slash[1];
        containerPort = slash[0];
    }
    else {
        containerPort = slash[0];
    }
    if (ip !== '') {
        const bracketed = /^\[(.*)\]$/.exec(ip);
        if (bracketed) {
            if ((0,external_node_net_.isIP)(bracketed[1]) !== 6)
                return `Invalid ip address: ${ip}`;
        }
        else if (ip.includes(':')) {
            return `Invalid ip address ${ip}: address ${ip}:: too many colons in address`;
        }
        else if ((0,external_node_net_.isIP)(ip) === 0) {
            return `Invalid ip address: ${ip}`;
        }
    }
    if (containerPort === '')
        return `No port specified: ${raw}<empty>`;
    const container = portRange(containerPort);
    if (!container)
        return `Invalid containerPort: ${containerPort}`;
    if (hostPort !== '') {
        const host = portRange(hostPort);
        if (!host)
            return `Invalid hostPort: ${hostPort}`;
        if (host[1] - host[0] !== container[1] - container[0] && container[1] !== container[0]) {
            return `Invalid ranges specified for container and host Ports: ${containerPort} and ${hostPort}`;
        }
    }
    if (!['tcp', 'udp', 'sctp'].includes(proto.toLowerCase()))
        return `Invalid proto: ${proto}`;
    return undefined;
}
function portRange(text) {
    const parts = text.split('-');
    const parse = (p) => p !== undefined && /^\d+$/.test(p) && Number(p) <= 65535 ? Number(p) : undefined;
    const start = parse(parts[0]);
    const end = parts.length === 1 ? start : parse(parts[1]);
    if (start === undefined || end === undefined || end < start)
        return undefined;
    return [start, end];
}
const RESTART = /^(no|always|unless-stopped|on-failure(:\d+)?)$/;
/** The Linux capabilities the engine knows (`CAP_` optional, any case), and ALL. */
const CAPABILITIES = new Set(('CHOWN DAC_OVERRIDE DAC_READ_SEARCH FOWNER FSETID KILL SETGID SETUID SETPCAP LINUX_IMMUTABLE NET_BIND_SERVICE ' +
    'NET_BROADCAST NET_ADMIN NET_RAW IPC_LOCK IPC_OWNER SYS_MODULE SYS_RAWIO SYS_CHROOT SYS_PTRACE SYS_PACCT SYS_ADMIN ' +
    'SYS_BOOT SYS_NICE SYS_RESOURCE SYS_TIME SYS_TTY_CONFIG MKNOD LEASE AUDIT_WRITE AUDIT_CONTROL SETFCAP MAC_OVERRIDE ' +
    'MAC_ADMIN SYSLOG WAKE_ALARM BLOCK_SUSPEND AUDIT_READ PERFMON BPF CHECKPOINT_RESTORE ALL').split(' '));
/** compose-go's units.RAMInBytes, for the engine's 6 MB minimum memory limit. */
function sizeInBytes(text) {
    if (typeof text === 'number')
        return text;
    const match = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(text);
    if (!match)
        return undefined;
    const unit = 'bkmgtp'.indexOf((match[2] ?? 'b').toLowerCase());
    return Math.floor(parseFloat(match[1]) * 1024 ** unit);
}
const MIN_MEMORY = 6 * 1024 * 1024;
/**
 * Checks one interpolated compose file as Compose does before merging it: the schema, the
 * type casts and the short syntaxes. `raw` is the file before interpolation, to show what was
 * written when a variable made the value invalid.
 */
function validateComposeFile(file, model, raw) {
    const problems = [];
    const add = (path, message) => {
        const service = path[0] === 'services' ? path[1] : undefined;
        const written = raw === undefined ? undefined : at(raw, path)[0]?.[1];
        const resolved = at(model, path)[0]?.[1];
        const hint = typeof written === 'string' && written.includes('$') && written !== resolved
            ? ` (written ${JSON.stringify(written)}: is a variable in it empty or unset?)`
            : '';
        problems.push({
            file,
            path: path.join('.'),
            ...(service !== undefined ? { service } : {}),
            message: message + hint,
        });
    };
    const schemaErrors = [];
    validateSchema(model, composeSpecSchema, [], schemaErrors);
    for (const [path, message] of schemaErrors)
        add(path === '(root)' ? [] : path.split('.'), message);
    if (schemaErrors.length > 0)
        return problems;
    const services = (model['services'] ?? {});
    for (const [name, service] of Object.entries(services)) {
        if (service === null || typeof service !== 'object')
            continue;
        const base = ['services', name];
        for (const [path, cast] of SERVICE_CASTS) {
            for (const [p, v] of at(service, path.split('.'), base)) {
                const problem = castProblem(v, cast);
                if (problem)
                    add(p, `failed to cast to expected type: ${problem}`);
            }
        }
        for (const [path, cast] of SERVICE_DECODES) {
            for (const [p, v] of at(service, path.split('.'), base)) {
                const problem = castProblem(v, cast);
                if (problem)
                    add(p, problem);
            }
        }
        if (typeof service['image'] === 'string' && service['image'] !== '') {
            const problem = imageReferenceProblem(service['image']);
            if (problem)
                add([...base, 'image'], `${JSON.stringify(service['image'])}: ${problem}`);
        }
        if (typeof service['restart'] === 'string' && !RESTART.test(service['restart'])) {
            add([...base, 'restart'], `invalid restart policy ${JSON.stringify(service['restart'])}: use no, always, on-failure[:max-retries] or unless-stopped`);
        }
        for (const key of ['cap_add', 'cap_drop']) {
            (Array.isArray(service[key]) ? service[key] : []).forEach((cap, i) => {
                if (typeof cap === 'string' && !CAPABILITIES.has(cap.toUpperCase().replace(/^CAP_/, ''))) {
                    add([...base, key, String(i)], `unknown capability: "CAP_${cap.toUpperCase().replace(/^CAP_/, '')}"`);
                }
            });
        }
        (Array.isArray(service['security_opt']) ? service['security_opt'] : []).forEach((opt, i) => {
            if (typeof opt === 'string' && opt !== 'no-new-privileges' && !/[=:]/.test(opt)) {
                add([...base, 'security_opt', String(i)], `Invalid security-opt: ${JSON.stringify(opt)}`);
            }
        });
        for (const key of ['mem_limit', 'memswap_limit']) {
            const bytes = service[key] === undefined ? undefined : sizeInBytes(service[key]);
            if (key === 'mem_limit' && bytes !== undefined && bytes > 0 && bytes < MIN_MEMORY) {
                add([...base, key], `Minimum memory limit allowed is 6MB (the engine refuses ${JSON.stringify(service[key])})`);
            }
        }
        (Array.isArray(service['tmpfs'])
            ? service['tmpfs']
            : typeof service['tmpfs'] === 'string'
                ? [service['tmpfs']]
                : []).forEach((t, i) => {
            const path = typeof t === 'string' ? t.split(':')[0] : '';
            if (typeof t === 'string' && !path.startsWith('/')) {
                add([...base, 'tmpfs', ...(Array.isArray(service['tmpfs']) ? [String(i)] : [])], `invalid mount path: '${path}' mount path must be absolute`);
            }
        });
        (Array.isArray(service['ports']) ? service['ports'] : []).forEach((port, i) => {
            if (typeof port !== 'string')
                return;
            const problem = portSpecProblem(port);
            if (problem)
                add([...base, 'ports', String(i)], problem);
        });
        (Array.isArray(service['volumes']) ? service['volumes'] : []).forEach((volume, i) => {
            const path = [...base, 'volumes', String(i)];
            let target;
            if (typeof volume === 'string') {
                const parsed = parseVolumeSpec(volume);
                if ('error' in parsed)
                    return add(path, parsed.error);
                target = parsed.target;
            }
            else if (volume !== null && typeof volume === 'object') {
                target = volume['target'];
                if (target === undefined || target === '')
                    return add(path, 'is missing a mount target');
            }
            if (typeof target === 'string' && !target.startsWith('/') && !/^[a-zA-Z]:[\\/]/.test(target)) {
                add(path, `the mount path ${JSON.stringify(target)} in the container must be absolute`);
            }
        });
        (Array.isArray(service['extra_hosts']) ? service['extra_hosts'] : []).forEach((host, i) => {
            if (typeof host === 'string' && !/[=:]/.test(host))
                add([...base, 'extra_hosts', String(i)], `invalid additional host, missing IP: ${host}`);
        });
    }
    for (const path of TOP_CASTS) {
        for (const [p, v] of at(model, path.split('.'))) {
            const problem = castProblem(v, 'bool');
            if (problem)
                add(p, `failed to cast to expected type: ${problem}`);
        }
    }
    return problems;
}
/** Checks the merged project as Compose does: every service runs something, every reference exists. */
function validateComposeProject(model) {
    const problems = [];
    const services = (model['services'] ?? {});
    const declared = (kind) => new Set(Object.keys((model[kind] ?? {})));
    const volumes = declared('volumes');
    const networks = new Set([...declared('networks'), 'default']);
    const secrets = declared('secrets');
    const configs = declared('configs');
    const add = (service, key, message) => {
        problems.push({ path: `services.${service}.${key}`, service, message });
    };
    // `include:` brings in services, volumes and networks this loader does not read; `extends:`
    // brings in keys from another service. Only what cannot come from there is checked.
    const included = model['include'] !== undefined;
    for (const [name, service] of Object.entries(services)) {
        if (service === null || typeof service !== 'object')
            continue;
        if (included)
            continue;
        const image = service['image'];
        const extended = service['extends'] !== undefined;
        if (!extended &&
            (image === undefined || image === '' || image === null) &&
            service['build'] === undefined) {
            add(name, 'image', `service "${name}" has neither an image nor a build context specified (is the image variable empty?)`);
        }
        const dependsOn = service['depends_on'];
        // Compose 2.26.1 refuses an undefined dependency even with `required: false`.
        const deps = Array.isArray(dependsOn) ? dependsOn.map(String) : Object.keys((dependsOn ?? {}));
        for (const dep of deps) {
            if (!(dep in services))
                add(name, 'depends_on', `service "${name}" depends on undefined service "${dep}"`);
        }
        const mode = service['network_mode'];
        if (typeof mode === 'string' && mode.startsWith('service:') && !(mode.slice(8) in services)) {
            add(name, 'network_mode', `service "${name}" depends on undefined service "${mode.slice(8)}"`);
        }
        const serviceNetworks = Array.isArray(service['networks'])
            ? service['networks'].map(String)
            : Object.keys((service['networks'] ?? {}));
        for (const n of serviceNetworks)
            if (!networks.has(n))
                add(name, 'networks', `service "${name}" refers to undefined network ${n}`);
        for (const [kind, known] of [
            ['secrets', secrets],
            ['configs', configs],
        ]) {
            const list = Array.isArray(service[kind]) ? service[kind] : [];
            for (const item of list) {
                const ref = typeof item === 'string' ? item : String(item?.['source'] ?? '');
                if (!known.has(ref))
                    add(name, kind, `service "${name}" refers to undefined ${kind.slice(0, -1)} ${ref}`);
            }
        }
        (Array.isArray(service['volumes']) ? service['volumes'] : []).forEach((volume, i) => {
            let source;
            let type;
            if (typeof volume === 'string') {
                const parsed = parseVolumeSpec(volume);
                if ('error' in parsed || parsed.source === '')
                    return;
                source = parsed.source;
                type = /^[./~]|^[a-zA-Z]:[\\/]/.test(source) ? 'bind' : 'volume';
            }
            else if (volume !== null && typeof volume === 'object') {
                const v = volume;
                source = typeof v['source'] === 'string' ? v['source'] : undefined;
                type = typeof v['type'] === 'string' ? v['type'] : undefined;
            }
            if (type === 'volume' && source !== undefined && source !== '' && !volumes.has(source)) {
                add(name, `volumes.${i}`, `service "${name}" refers to undefined volume ${source}`);
            }
        });
    }
    return problems;
}
//# sourceMappingURL=validate.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/compose.js
/**
 * Loads compose files the way `docker compose config` does the parts that
 * matter here: YAML (with `<<` merge keys), `${...}` interpolation of every
 * string value under the rendered env, files merged in order.
 */



/** A compose file that does not parse or does not interpolate; `file` and `path` say where. */
class ComposeFileError extends Error {
    name = 'ComposeFileError';
    file;
    code;
    /** For `compose-invalid` found by validation: every problem Compose would refuse. */
    problems;
    constructor(file, code, message, options) {
        super(`${file}: ${message}`, options);
        this.file = file;
        this.code = code;
        this.problems = options?.problems ?? [];
    }
}
/** Interpolates and merges the files; throws ComposeFileError like compose fails. */
function loadComposeConfig(files, env, options = {}) {
    const unset = new Set();
    let model = {};
    const problems = [];
    const validate = options.validate ?? true;
    for (const file of files) {
        const doc = (0,dist/* parseDocument */.Tp)(file.text, { merge: true, prettyErrors: true, uniqueKeys: true });
        if (doc.errors.length > 0) {
            const first = doc.errors[0];
            const line = first.linePos?.[0]?.line;
            throw new ComposeFileError(file.name, 'compose-invalid', `is not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${first.message.split('\n')[0]}`);
        }
        const raw = doc.toJS({ maxAliasCount: 1000 });
        if (raw === null || raw === undefined)
            continue;
        if (typeof raw !== 'object' || Array.isArray(raw)) {
            throw new ComposeFileError(file.name, 'compose-invalid', 'must be a mapping (services:, volumes:, ...)');
        }
        const interpolated = interpolateTree(raw, [], env, (name, path) => {
            unset.add(name);
            options.onUnset?.(name, file.name, path);
        }, file.name);
        if (validate)
            problems.push(...validateComposeFile(file.name, interpolated, raw));
        model = mergeCompose(model, interpolated);
    }
    // Cross-file checks only make sense on files that are each valid.
    if (validate && problems.length === 0)
        problems.push(...validateComposeProject(model));
    if (problems.length > 0) {
        const names = files.map((f) => f.name);
        const line = (p) => `  - ${p.file !== undefined && names.length > 1 ? `${p.file}: ` : ''}${p.path === '' ? '(top level)' : p.path}: ${p.message}`;
        throw new ComposeFileError(names.join(', '), 'compose-invalid', `docker compose would refuse ${names.length > 1 ? 'these files' : 'this file'} ` +
            `(${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(line).join('\n')}`, { problems });
    }
    return { model, unset: [...unset] };
}
function interpolateTree(value, path, env, onUnset, file) {
    if (typeof value === 'string') {
        const where = path.join('.');
        const { result, error } = substitute(value, env, { onUnset: (name) => onUnset(name, where) });
        if (error instanceof InvalidTemplateError) {
            // compose's wording, so the fix (`$$`) is the one people find when they search it.
            throw new ComposeFileError(file, 'invalid-template', `invalid interpolation format for ${where}.\nYou may need to escape any $ with another $.\n${value}`, { cause: error });
        }
        if (error) {
            throw new ComposeFileError(file, 'unresolved-variable', `error while interpolating ${where}: ${error.message}`, {
                cause: error,
            });
        }
        return result;
    }
    if (Array.isArray(value))
        return value.map((v, i) => interpolateTree(v, [...path, String(i)], env, onUnset, file));
    if (value !== null && typeof value === 'object') {
        const out = {};
        for (const [k, v] of Object.entries(value))
            out[k] = interpolateTree(v, [...path, k], env, onUnset, file);
        return out;
    }
    return value;
}
/**
 * Merges a later compose file over an earlier one: mappings merge key by key,
 * lists of plain values (ports, volumes, dns...) are appended without
 * duplicates, anything else is replaced, as compose does for the common cases.
 */
function mergeCompose(base, override) {
    return mergeValue(base, override);
}
// Compose replaces these lists instead of appending to them.
const REPLACED_LISTS = new Set(['command', 'entrypoint', 'healthcheck.test']);
// Fields compose accepts as a mapping or as a `KEY=VALUE` list, and merges key by key whichever form each file uses.
const MAPPING_OR_LIST = new Set(['environment', 'labels', 'args', 'sysctls', 'annotations']);
/** A `KEY=VALUE` list as the mapping compose reads it: `KEY` alone is null for environment (unset), '' elsewhere. */
function listToMapping(list, key) {
    const out = {};
    for (const item of list) {
        const text = String(item);
        const eq = text.indexOf('=');
        if (eq < 0)
            out[text] = key === 'environment' || key === 'args' ? null : '';
        else
            out[text.slice(0, eq)] = text.slice(eq + 1);
    }
    return out;
}
// `depends_on: [db]` is `depends_on: {db: {condition: service_started}}` to compose.
function dependsOnMapping(list) {
    return Object.fromEntries(list.map((s) => [String(s), { condition: 'service_started', required: true }]));
}
function mergeValue(base, override, key = '') {
    if (MAPPING_OR_LIST.has(key) &&
        (isMapping(base) || isMapping(override)) &&
        (Array.isArray(base) || Array.isArray(override))) {
        base = Array.isArray(base) ? listToMapping(base, key) : base;
        override = Array.isArray(override) ? listToMapping(override, key) : override;
    }
    if (key === 'depends_on' &&
        (isMapping(base) || isMapping(override)) &&
        (Array.isArray(base) || Array.isArray(override))) {
        base = Array.isArray(base) ? dependsOnMapping(base) : base;
        override = Array.isArray(override) ? dependsOnMapping(override) : override;
    }
    if (isMapping(base) && isMapping(override)) {
        const out = { ...base };
        for (const [k, v] of Object.entries(override)) {
            out[k] = k in base ? mergeValue(base[k], v, key === 'healthcheck' ? `healthcheck.${k}` : k) : v;
        }
        return out;
    }
    if (Array.isArray(base) && Array.isArray(override) && !REPLACED_LISTS.has(key)) {
        const seen = new Set(base.map((v) => JSON.stringify(v)));
        return [...base, ...override.filter((v) => !seen.has(JSON.stringify(v)))];
    }
    return override;
}
function isMapping(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
}
/**
 * The resolved config as YAML (interpolated and merged, not normalised). Literal `$` is written as `$$` (as `docker compose
 * config` does), so the text can be loaded again without being re-interpolated.
 */
function formatComposeConfig(model, options = {}) {
    const refs = [...(options.references ?? new Map())].filter(([v]) => v !== '');
    // Longest first, so a secret that contains another is replaced whole.
    refs.sort((a, b) => b[0].length - a[0].length);
    const escape = (text) => {
        let out = '';
        let i = 0;
        outer: while (i < text.length) {
            for (const [secret, name] of refs) {
                if (text.startsWith(secret, i)) {
                    out += `\${${name}}`;
                    i += secret.length;
                    continue outer;
                }
            }
            out += text[i] === '$' ? '$$' : text[i];
            i++;
        }
        return out;
    };
    const walk = (value) => {
        if (typeof value === 'string')
            return escape(value);
        if (typeof value === 'number' && refs.some(([s]) => s === String(value)))
            return escape(String(value));
        if (Array.isArray(value))
            return value.map(walk);
        if (isMapping(value)) {
            const out = {};
            for (const [k, v] of Object.entries(value))
                out[escape(k)] = walk(v);
            return out;
        }
        return value;
    };
    // YAML 1.1 rules for quoting, so `no`, `on` and `5432:5432` stay strings for every reader.
    return (0,dist/* stringify */.As)(walk(model), { lineWidth: 0, version: '1.1' });
}
/** The image of each service that has one. */
function serviceImages(model) {
    return Object.entries(model.services ?? {}).map(([service, def]) => ({
        service,
        image: typeof def?.['image'] === 'string' ? def['image'] : undefined,
    }));
}
const DIGEST = /@sha256:[a-f0-9]{64}$/;
/** Services whose image is not pinned by `@sha256:` digest; `latest` and untagged first (the worst case). */
function findUnpinnedImages(model) {
    const found = [];
    for (const { service, image } of serviceImages(model)) {
        if (image === undefined) {
            found.push({
                service,
                image,
                problem: 'has no image (it is built on the host); publish it and pin the digest',
            });
        }
        else if (!DIGEST.test(image)) {
            const tag = imageTag(image);
            found.push({
                service,
                image,
                problem: tag === undefined || tag === 'latest'
                    ? `uses '${image}', which means 'latest': the worst case, it changes under you on every pull`
                    : `uses the tag '${tag}', which can be moved to another image`,
            });
        }
    }
    const worst = (u) => (u.problem.includes("'latest'") ? 0 : 1);
    return found.sort((a, b) => worst(a) - worst(b));
}
/** The tag of an image reference, or undefined when it has none. */
function imageTag(image) {
    const withoutDigest = image.split('@')[0];
    const lastSlash = withoutDigest.lastIndexOf('/');
    const colon = withoutDigest.indexOf(':', lastSlash + 1);
    return colon < 0 ? undefined : withoutDigest.slice(colon + 1);
}
//# sourceMappingURL=compose.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/swarm-check.js
// What a compose config needs to be deployed as a Docker Swarm stack without dropped requests.
// One rule set for both users: ssh-deploy's `strategy: swarm` (packages/deploy/src/swarm.ts
// refuses the errors before anything changes and logs the warnings) and render-env's policy
// with `target: swarm` (the warnings and errors become policy findings).
function isHealthchecked(svc) {
    const hc = svc.healthcheck;
    if (!hc || hc.disable)
        return false;
    const test = hc.test;
    if (Array.isArray(test))
        return test.length > 0 && test[0] !== 'NONE';
    return typeof test === 'string' && test !== '';
}
function bindSources(svc) {
    const out = [];
    for (const v of svc.volumes ?? []) {
        if (typeof v === 'string') {
            const source = v.split(':')[0] ?? '';
            if (v.includes(':') && (source.startsWith('.') || source.startsWith('~')))
                out.push(source);
            continue;
        }
        if (v.type === 'bind' && v.source !== undefined)
            out.push(v.source);
    }
    return out;
}
/**
 * What would go wrong deploying this (interpolated) compose config as a swarm stack, before
 * anything changes. Errors: a `build:` without `image:` (swarm builds nothing; every node pulls),
 * a relative bind mount (a stack deploy does not resolve it against the project dir as compose does).
 * Warnings: no healthcheck in the compose file (a start-first update cannot tell when a new task
 * is ready unless the image has one), `update_config.order` not `start-first` (swarm stops the old
 * task first: requests drop), `failure_action` not `rollback` (a failed update pauses, half-done).
 */
function checkSwarmStack(config) {
    const result = { errors: [], warnings: [] };
    for (const [name, raw] of Object.entries(config.services ?? {})) {
        const svc = raw ?? {};
        if (svc.build !== undefined && !svc.image) {
            result.errors.push({
                service: name,
                kind: 'build-without-image',
                message: `service '${name}' has build: but no image: a stack deploy builds nothing and every node must pull the image (build and push it, then name it in image:)`,
            });
        }
        for (const source of bindSources(svc)) {
            if (!source.startsWith('/')) {
                result.errors.push({
                    service: name,
                    kind: 'relative-bind-mount',
                    message: `service '${name}' bind-mounts the relative path '${source}': a stack deploy does not resolve it against the project dir as compose does (render the config with docker compose config, use an absolute path, a volume, or a swarm config/secret)`,
                });
            }
        }
        if (svc.deploy?.mode === 'replicated-job' || svc.deploy?.mode === 'global-job')
            continue;
        if (!isHealthchecked(svc)) {
            result.warnings.push({
                service: name,
                kind: 'no-healthcheck',
                message: `service '${name}' has no healthcheck in the compose file: swarm counts a new task ready as soon as it starts, unless its image has one`,
            });
        }
        const update = svc.deploy?.update_config ?? {};
        if (update.order !== 'start-first') {
            result.warnings.push({
                service: name,
                kind: 'update-order',
                message: `service '${name}' does not set deploy.update_config.order: start-first: swarm stops an old task before its replacement runs (requests can fail during the update)`,
            });
        }
        if (update.failure_action !== 'rollback') {
            result.warnings.push({
                service: name,
                kind: 'update-failure-action',
                message: `service '${name}' does not set deploy.update_config.failure_action: rollback: a failed update ${update.failure_action === 'continue' ? 'continues' : 'pauses half-done'} instead of going back to the previous version`,
            });
        }
    }
    return result;
}
//# sourceMappingURL=swarm-check.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/policy.js

/** checkSwarmStack's kinds as policy rules, with the fix; the others are covered elsewhere (see below). */
const SWARM_RULES = {
    'build-without-image': {
        rule: 'swarm-build-without-image',
        fix: 'Build and push the image in CI, then name it in `image:` (every node pulls it).',
    },
    'update-order': {
        rule: 'swarm-update-order',
        fix: 'Add `deploy: {update_config: {order: start-first}}` (and a healthcheck), so a new task runs and is healthy before the old one stops.',
    },
    'update-failure-action': {
        rule: 'swarm-update-failure-action',
        fix: 'Add `deploy: {update_config: {failure_action: rollback}}` (and `rollback_config: {order: start-first}`).',
    },
    // 'no-healthcheck' is the rule of the same name above; 'relative-bind-mount' is not a finding
    // here: `docker compose config` (ssh-deploy renders the stack file with it) makes the path absolute.
};
// Databases, caches, queues and search engines: reached over the compose network, never published.
const INTERNAL_IMAGE = /^(postgres|postgis|timescaledb|mysql|mariadb|percona|redis|valkey|keydb|dragonfly|rabbitmq|mongo|memcached|elasticsearch|opensearch|kafka|zookeeper|nats|etcd|influxdb|clickhouse|cassandra|couchdb|minio)/;
// One-off services (`run --rm`) are not expected to stay up, restart or answer health checks.
const ONE_OFF_NAME = /(^|[-_])(migrate|migrator|migrations?|seed|seeder|init|setup|bootstrap|job|task|oneoff|one-off)([-_]|$)/i;
const BIND_VARIABLE = /(^|_)BIND_(IP|ADDR|ADDRESS|HOST)$/;
const DATA_VARIABLE = /(^|_)DATA_(DIR|ROOT|PATH)$/;
const ROTATED_DRIVERS = new Set([
    'local',
    'journald',
    'syslog',
    'gelf',
    'fluentd',
    'awslogs',
    'splunk',
    'gcplogs',
    'etwlogs',
    'logentries',
    'loki',
    'none',
]);
/** The name part of an image reference: `docker.io/bitnami/postgresql:16` → `postgresql`. */
function imageName(image) {
    const path = image.split('@')[0];
    const last = path.slice(path.lastIndexOf('/') + 1);
    return last.split(':')[0].toLowerCase();
}
function isInternalService(service) {
    const image = service['image'];
    return typeof image === 'string' && INTERNAL_IMAGE.test(imageName(image));
}
function isOneOffService(name, service) {
    if (service['restart'] === 'no' || service['restart'] === false)
        return true;
    const image = typeof service['image'] === 'string' ? imageName(service['image']) : '';
    return ONE_OFF_NAME.test(name) || ONE_OFF_NAME.test(image);
}
/** Reads the short (`[ip:][published:]target[/proto]`) and long port syntaxes. */
function parsePorts(ports) {
    if (!Array.isArray(ports))
        return [];
    return ports.flatMap((p) => {
        if (typeof p === 'number')
            return [{ hostIp: '', published: '', target: String(p), text: String(p) }];
        if (typeof p === 'string')
            return [parseShortPort(p)];
        if (p !== null && typeof p === 'object') {
            const long = p;
            const hostIp = typeof long['host_ip'] === 'string' ? long['host_ip'] : '';
            const published = long['published'] === undefined ? '' : String(long['published']);
            const target = String(long['target'] ?? '');
            return [{ hostIp, published, target, text: `${hostIp ? `${hostIp}:` : ''}${published}:${target}` }];
        }
        return [];
    });
}
function parseShortPort(text) {
    const spec = text.split('/')[0];
    let hostIp = '';
    let rest = spec;
    const bracketed = /^\[([^\]]*)\]:(.*)$/.exec(spec);
    if (bracketed) {
        hostIp = bracketed[1];
        rest = bracketed[2];
    }
    else {
        const parts = spec.split(':');
        if (parts.length >= 3) {
            hostIp = parts.slice(0, -2).join(':');
            rest = parts.slice(-2).join(':');
        }
    }
    const [published, target] = rest.includes(':') ? rest.split(':') : ['', rest];
    return { hostIp, published: published, target: target, text };
}
function isAllInterfaces(ip) {
    return ip === '' || ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}
function isLoopback(ip) {
    return /^127\./.test(ip) || ip === '::1' || ip === 'localhost';
}
/** All findings, ordered by service then rule. */
function checkPolicy(model, options = {}) {
    const env = options.env ?? new Map();
    const bindVariable = [...env.keys()].find((k) => BIND_VARIABLE.test(k));
    const dataVariable = [...env.keys()].find((k) => DATA_VARIABLE.test(k));
    const dataRoot = options.dataRoot ?? (dataVariable ? env.get(dataVariable) : undefined);
    const dataHint = options.dataRoot ?? (dataVariable ? `\${${dataVariable}}` : undefined);
    const findings = [];
    for (const [name, service] of Object.entries(model.services ?? {})) {
        const svc = (service ?? {});
        const add = (rule, message, fix) => {
            findings.push({ service: name, rule, message, fix });
        };
        const oneOff = isOneOffService(name, svc);
        const ports = parsePorts(svc['ports']);
        if (isInternalService(svc)) {
            const exposed = ports.filter((p) => !isLoopback(p.hostIp));
            if (exposed.length > 0) {
                add('internal-port-published', `${imageName(String(svc['image']))} publishes ${exposed.map((p) => p.text).join(', ')} on the host.`, 'Remove `ports:`; the app reaches it by service name over the compose network. For a tunnel, bind to 127.0.0.1.');
            }
        }
        if (bindVariable) {
            const open = ports.filter((p) => isAllInterfaces(p.hostIp) && !(isInternalService(svc) && !isLoopback(p.hostIp)));
            if (open.length > 0) {
                add('port-on-all-interfaces', `${open.map((p) => p.text).join(', ')} listens on all interfaces although ${bindVariable} is set.`, `Bind it: "\${${bindVariable}}:${open[0].published || open[0].target}:${open[0].target}".`);
            }
        }
        if (options.target !== 'swarm' &&
            !oneOff &&
            svc['restart'] === undefined &&
            !hasPath(svc, ['deploy', 'restart_policy'])) {
            add('no-restart-policy', 'has no restart policy: it stays down after a crash or a reboot.', 'Add `restart: unless-stopped`.');
        }
        if (!oneOff && !hasHealthcheck(svc)) {
            add('no-healthcheck', 'has no healthcheck here (one in the image cannot be seen from the compose file), so nothing waits for it to be ready.', 'Add `healthcheck:` with a test, interval and retries, and `depends_on: {condition: service_healthy}` where others need it.');
        }
        const securityOpt = Array.isArray(svc['security_opt']) ? svc['security_opt'].map(String) : [];
        if (!securityOpt.some((o) => /^no-new-privileges(?:[:=]true)?$/.test(o))) {
            add('no-new-privileges-missing', 'can gain privileges through setuid binaries.', 'Add `security_opt: ["no-new-privileges:true"]`.');
        }
        const capDrop = Array.isArray(svc['cap_drop']) ? svc['cap_drop'].map((c) => String(c).toUpperCase()) : [];
        if (!capDrop.includes('ALL')) {
            add('cap-drop-missing', capDrop.length === 0 ? 'keeps the default Linux capabilities.' : `drops only ${capDrop.join(', ')}.`, 'Add `cap_drop: [ALL]` and `cap_add:` back only what it needs (e.g. NET_BIND_SERVICE).');
        }
        const memory = svc['mem_limit'] !== undefined || hasPath(svc, ['deploy', 'resources', 'limits', 'memory']);
        const cpus = svc['cpus'] !== undefined || hasPath(svc, ['deploy', 'resources', 'limits', 'cpus']);
        if (!memory || !cpus) {
            const missing = [!memory && 'memory', !cpus && 'CPU'].filter(Boolean).join(' and ');
            add('no-resource-limits', `has no ${missing} limit: one runaway container can starve the host.`, 'Add `deploy: {resources: {limits: {memory: 512M, cpus: "1.0"}}}` (or `mem_limit:` / `cpus:`).');
        }
        const logging = (svc['logging'] ?? {});
        const driver = typeof logging['driver'] === 'string' ? logging['driver'] : 'json-file';
        const logOptions = (logging['options'] ?? {});
        if (!ROTATED_DRIVERS.has(driver) && logOptions['max-size'] === undefined) {
            add('no-log-rotation', `logs with ${driver} without max-size: the log grows until the disk is full.`, 'Add `logging: {driver: json-file, options: {max-size: 10m, max-file: "3"}}` (or use the `local` driver).');
        }
        if (options.deployOnly && svc['build'] !== undefined) {
            add('build-in-deploy-only-stack', 'has `build:` in a stack that deploys published images only.', 'Remove `build:` and reference the published image by digest.');
        }
        if (dataHint !== undefined) {
            for (const volume of dataVolumes(svc['volumes'])) {
                add('data-volume-not-host-path', `keeps ${volume.target} in ${volume.source ? `the named volume '${volume.source}'` : 'an anonymous volume'}, not in a host path.`, `Mount a host path: "${dataHint}/${name}:${volume.target}"${dataRoot ? ` (under ${dataRoot})` : ''}.`);
            }
        }
        if (options.target === 'swarm') {
            // checkSwarmStack is what ssh-deploy's strategy: swarm checks before it deploys: one rule set.
            const check = checkSwarmStack({ services: { [name]: svc } });
            for (const problem of [...check.errors, ...check.warnings]) {
                const mapped = SWARM_RULES[problem.kind];
                if (!mapped || (oneOff && problem.kind !== 'build-without-image'))
                    continue;
                add(mapped.rule, `${problem.message.replace(/^service '[^']*' /, '')}.`, mapped.fix);
            }
        }
    }
    return findings;
}
function hasPath(value, path) {
    let current = value;
    for (const key of path) {
        if (current === null || typeof current !== 'object')
            return false;
        current = current[key];
    }
    return current !== undefined && current !== null;
}
function hasHealthcheck(service) {
    const hc = service['healthcheck'];
    if (hc === null || typeof hc !== 'object')
        return false;
    const h = hc;
    if (h['disable'] === true)
        return false;
    const test = h['test'];
    return !(Array.isArray(test) && test[0] === 'NONE');
}
/** Named and anonymous volumes of a service (bind mounts and tmpfs are not data volumes here). */
function dataVolumes(volumes) {
    if (!Array.isArray(volumes))
        return [];
    return volumes.flatMap((v) => {
        if (typeof v === 'string') {
            const parts = v.split(':');
            if (parts.length === 1)
                return [{ source: undefined, target: parts[0] }];
            const source = parts[0];
            if (/^([/.~]|\$)/.test(source))
                return [];
            return [{ source, target: parts[1] }];
        }
        if (v !== null && typeof v === 'object') {
            const long = v;
            if (long['type'] !== 'volume')
                return [];
            const source = typeof long['source'] === 'string' && long['source'] !== '' ? long['source'] : undefined;
            return [{ source, target: String(long['target'] ?? '') }];
        }
        return [];
    });
}
//# sourceMappingURL=policy.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/images.js

/** Parses an image reference; undefined when docker would refuse it. */
function parseImageReference(text) {
    if (imageReferenceProblem(text) !== undefined)
        return undefined;
    let rest = text;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
    }
    let tag;
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
    }
    const slash = rest.indexOf('/');
    const first = slash < 0 ? '' : rest.slice(0, slash);
    let domain = 'docker.io';
    let path = rest;
    if (slash >= 0 &&
        (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('['))) {
        domain = first === 'index.docker.io' ? 'docker.io' : first;
        path = rest.slice(slash + 1);
    }
    if (domain === 'docker.io' && !path.includes('/'))
        path = `library/${path}`;
    return {
        text,
        name: `${domain}/${path}`,
        ...(tag !== undefined ? { tag } : {}),
        ...(digest !== undefined ? { digest: digest.toLowerCase() } : {}),
    };
}
function allowedBy(image, entry) {
    if (image.name !== entry.name)
        return false;
    if (entry.digest !== undefined)
        return image.digest === entry.digest;
    if (entry.tag !== undefined)
        return image.digest === undefined && image.tag === entry.tag;
    return image.digest !== undefined;
}
/** Services whose image is neither verified nor allowed; every service is checked, profiles included. */
function checkImages(model, rules) {
    const problems = [];
    for (const [service, def] of Object.entries(model.services ?? {})) {
        const image = typeof def?.['image'] === 'string' ? def['image'] : undefined;
        if (image === undefined || image === '') {
            problems.push({
                service,
                image,
                problem: 'has no image: it is built on the host, so what runs was never verified',
            });
            continue;
        }
        const ref = parseImageReference(image);
        if (ref === undefined) {
            problems.push({ service, image, problem: `uses '${image}', which is not a valid image reference` });
            continue;
        }
        if (ref.digest !== undefined &&
            rules.verified.some((v) => v.name === ref.name && v.digest === ref.digest))
            continue;
        if (rules.allow.some((a) => allowedBy(ref, a)))
            continue;
        const sameRepo = rules.verified.some((v) => v.name === ref.name);
        problems.push({
            service,
            image,
            problem: `uses '${image}', which is not in verified-images` +
                (sameRepo ? ' (that repository was verified at another digest)' : '') +
                ' and not allowed by allow-images',
        });
    }
    return problems;
}
//# sourceMappingURL=images.js.map
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/action-kit/lib/index.js + 9 modules
var lib = __webpack_require__(1198);
;// CONCATENATED MODULE: ./packages/compose-env/lib/render-file.js









/**
 * Renders the env file from template, env files, vars and secrets; interpolates and checks the
 * compose file(s) (verified images, digests, policy); writes the file. Throws a UserError naming
 * the input to fix; nothing is written unless every check passed.
 */
async function renderEnvFile(settings, log, hooks = {}) {
    const redact = (0,lib/* secretRedactor */.xc)(settings.secretValues);
    const unsetInEnvFiles = new Map();
    const rendered = await log.group('Render the env from its layers', async () => {
        const result = render(settings, (name, file) => addTo(unsetInEnvFiles, name, file));
        describeLayers(log, settings, result);
        return result;
    });
    for (const stale of rendered.staleReads) {
        log.warning(redact(`${stale.file} uses ${stale.variable} in a value before ${stale.changedBy} set it: compose reads env files ` +
            'in order, so the value was built with the earlier one. Reference the variable in the compose file instead, ' +
            'or set the value in a later layer.'));
    }
    for (const [name, files] of unsetInEnvFiles) {
        log.warning(redact(`The variable ${name} is not set (used in ${[...files].join(', ')}); it defaults to a blank string.`));
    }
    const env = new Map([...rendered.values].map(([k, v]) => [k, v.value]));
    let compose;
    let findings = [];
    let unpinned = [];
    if (settings.composeFiles.length > 0) {
        compose = await log.group('Interpolate the compose file(s)', async () => loadCompose(settings, env, log, redact));
        if (settings.requireDigest)
            unpinned = findUnpinnedImages(compose.model);
        if (settings.checkImages) {
            const problems = checkImages(compose.model, {
                verified: settings.verifiedImages,
                allow: settings.allowImages,
            });
            if (problems.length > 0)
                throw imagesError(problems, settings, redact);
            log.info(`Every image is in verified-images or allowed by allow-images (${Object.keys(compose.model.services ?? {}).length} services).`);
        }
        if (settings.policy !== 'none') {
            findings = checkPolicy(compose.model, {
                env,
                deployOnly: settings.deployOnly,
                ...(settings.target ? { target: settings.target } : {}),
                ...(settings.dataRoot ? { dataRoot: settings.dataRoot } : {}),
            });
        }
    }
    hooks.checked?.({ rendered, findings, unpinned });
    if (unpinned.length > 0) {
        throw new lib/* UserError */.yo('image-not-pinned', `require-digest: ${unpinned.length} image(s) are not pinned by @sha256: digest:\n` +
            unpinned.map((u) => `  - ${u.service} ${u.problem}`).join('\n') +
            "\nPin them (e.g. APP_IMAGE=registry/app@sha256:... from verify-signature's image-ref output).");
    }
    reportFindings(log, settings, findings, redact);
    const content = settings.format === 'json' ? formatJson(env) : formatDotenv(env);
    const temp = (0,external_node_path_.join)((0,external_node_path_.dirname)(settings.output), `.${(0,external_node_path_.basename)(settings.output)}.${process.pid}.tmp`);
    // Told before the first byte is written, so a cancelled step is cleaned up too.
    hooks.beforeWrite?.(temp);
    writePrivateFile(settings.output, temp, content);
    // Never a plain hash: over a file holding secrets it lets a weak secret be guessed offline.
    // Keyed with a random key of this run, it says nothing about the values.
    const sha256 = (0,external_node_crypto_.createHmac)('sha256', (0,external_node_crypto_.randomBytes)(32)).update(content).digest('hex');
    log.info(`Wrote ${env.size} keys to ${settings.output} (${settings.format}, mode 0600).`);
    let composeConfig;
    if (compose) {
        // Secrets stay `${NAME}` references: the output is readable in logs, and resolves against the env file.
        const references = new Map();
        for (const [key, value] of rendered.values)
            if (value.secret)
                references.set(value.value, key);
        for (const value of settings.secretValues)
            if (!references.has(value))
                references.set(value, 'REDACTED');
        composeConfig = formatComposeConfig(compose.model, { references });
    }
    return {
        path: settings.output,
        keys: [...env.keys()],
        sha256,
        rendered,
        ...(composeConfig !== undefined ? { composeConfig } : {}),
    };
}
function render(settings, onUnset) {
    try {
        return renderEnv({
            ...(settings.template ? { template: settings.template } : {}),
            envFiles: settings.envFiles,
            vars: settings.vars,
            secrets: settings.secrets,
            onUnset,
            ...(settings.secretKeys ? { secretKeys: settings.secretKeys } : {}),
            forbiddenKeys: settings.forbiddenKeys,
            protectedKeys: settings.protectedKeys,
        });
    }
    catch (error) {
        if (error instanceof MissingKeysError) {
            throw new lib/* UserError */.yo('missing-required-keys', `Input 'template' (${settings.template?.name}): ${error.message}`);
        }
        if (error instanceof LayerRuleError)
            throw new lib/* UserError */.yo(error.code, `Input '${error.input}': ${error.message}`);
        if (error instanceof EnvLayerError) {
            const input = error.file === settings.template?.name ? 'template' : error.file === 'vars' ? 'vars' : 'env-files';
            throw new lib/* UserError */.yo('invalid-env-file', `Input '${input}': ${error.message}`);
        }
        throw error;
    }
}
function imagesError(problems, settings, redact) {
    const inputs = settings.allowImages.length > 0 ? "'verified-images' / 'allow-images'" : "'verified-images'";
    return new lib/* UserError */.yo('image-not-verified', redact(`Input ${inputs}: ${problems.length} service(s) would run an image that was not verified:\n` +
        problems.map((p) => `  - service ${p.service} ${p.problem}`).join('\n') +
        '\nDeploy the digest verify-signature proved (its image-ref output), or list the image in allow-images.'));
}
function describeLayers(log, settings, result) {
    const count = (predicate) => [...result.values.values()].filter((v) => predicate(v.source, v.file)).length;
    if (settings.template) {
        const required = result.template.filter((t) => t.required).length;
        log.info(`template ${settings.template.name}: ${result.template.length} keys, ${required} required`);
    }
    for (const file of settings.envFiles)
        log.info(`env-file ${file.name}: ${count((s, f) => s === 'env-file' && f === file.name)} keys win`);
    if (settings.vars.size > 0)
        log.info(`vars: ${settings.vars.size} keys`);
    const taken = count((s) => s === 'secrets');
    const offered = Object.keys(settings.secrets).length;
    if (settings.secretKeys) {
        // The others are not named, not even counted: secret-keys is the whole story.
        log.info(`secrets: ${taken} taken (the keys secret-keys lists)`);
        const absent = [...settings.secretKeys].filter((k) => !Object.hasOwn(settings.secrets, k));
        if (absent.length > 0)
            log.notice(`secret-keys lists ${absent.join(', ')}, but secrets has no such key.`);
    }
    else if (offered > 0) {
        log.info(`secrets: ${taken} of ${offered} taken (the keys the template declares)`);
    }
}
function loadCompose(settings, env, log, redact) {
    const unset = new Map();
    try {
        const config = loadComposeConfig(settings.composeFiles, (k) => env.get(k), {
            onUnset: (name, file, path) => addTo(unset, name, `${file} ${path}`),
        });
        for (const [name, places] of unset) {
            log.warning(redact(`The ${name} variable is not set (used in ${[...places].join(', ')}); compose defaults it to a blank string.`));
        }
        log.info(`${settings.composeFiles.map((f) => f.name).join(', ')}: ${Object.keys(config.model.services ?? {}).length} services resolve.`);
        return config;
    }
    catch (error) {
        if (error instanceof ComposeFileError)
            throw new lib/* UserError */.yo(error.code, `Input 'compose-file': ${error.message}`);
        throw error;
    }
}
function reportFindings(log, settings, findings, redact) {
    if (findings.length === 0) {
        if (settings.policy !== 'none')
            log.info(`policy ${settings.policy}: no findings.`);
        return;
    }
    const line = (f) => redact(`${f.service}: ${f.message} Fix: ${f.fix}`);
    if (settings.policy === 'recommended') {
        // One annotation per rule: the runner shows at most 10 warnings of a step.
        const rules = [...new Set(findings.map((f) => f.rule))];
        for (const rule of rules) {
            log.warning(findings
                .filter((f) => f.rule === rule)
                .map(line)
                .join('\n'), { title: `policy ${rule}` });
        }
        return;
    }
    throw new lib/* UserError */.yo('policy-failed', `policy strict: ${findings.length} finding(s):\n${findings.map((f) => `  - [${f.rule}] ${line(f)}`).join('\n')}`);
}
/** Writes the file with mode 0600 from its first byte: a temp file beside it, then a rename. */
function writePrivateFile(path, temp, content) {
    try {
        (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(path), { recursive: true });
        if ((0,external_node_fs_.existsSync)(temp))
            (0,external_node_fs_.rmSync)(temp);
        (0,external_node_fs_.writeFileSync)(temp, content, { mode: 0o600, flag: 'wx' });
        (0,external_node_fs_.renameSync)(temp, path);
    }
    catch (error) {
        throw new lib/* UserError */.yo('output-failed', `Input 'output': cannot write ${path}: ${(0,lib/* errorMessage */.gJ)(error)}`);
    }
}
function addTo(map, key, value) {
    const set = map.get(key) ?? new Set();
    set.add(value);
    map.set(key, set);
}
//# sourceMappingURL=render-file.js.map
;// CONCATENATED MODULE: ./packages/compose-env/lib/index.js










//# sourceMappingURL=index.js.map

/***/ })

};
