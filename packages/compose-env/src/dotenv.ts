/**
 * The `.env` parser of Docker Compose v2 (compose-go's dotenv package), rule
 * for rule: `export`, `KEY=value` and `KEY: value`, single quotes (literal,
 * `\'` only), double quotes (escapes, then interpolation), unquoted values
 * (inline comment after ` #`, trailing space trimmed, interpolation), values
 * spanning lines inside quotes, bare `KEY` lines inherited from the lookup,
 * duplicate keys (last wins).
 */
import { isValidEnvKey, quoteDotenvValue } from './format.js';
import { isInterpolationError, substitute, type InterpolationError, type Lookup } from './interpolate.js';

export interface ParseDotenvOptions {
  /**
   * Consulted first when a value is interpolated, and for bare `KEY` lines:
   * compose's shell environment. Defaults to nothing, so nothing leaks in.
   */
  lookup?: Lookup;
  /**
   * Consulted after the keys this file defined so far: values from earlier
   * layers (earlier `--env-file`s).
   */
  fallback?: Lookup;
  /** Called for each variable used in a value but not set. */
  onUnset?: (name: string) => void;
  /** Called for each variable a value reads, with what it read (undefined: unset). */
  onRead?: (name: string, value: string | undefined) => void;
}

/** A malformed line. `message` is compose's text; `reason` leaves the line's content out. */
export class DotenvSyntaxError extends Error {
  override readonly name = 'DotenvSyntaxError';
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string, message: string) {
    super(message);
    this.line = line;
    this.reason = reason;
  }
}

/** An interpolation error inside a value, with the line it was on. */
export type DotenvInterpolationError = InterpolationError & { line?: number };

const BOM = '\ufeff';
const EXPORT_PREFIX = /^export\s+/;
// The double-quote escapes compose understands; anything else (\x, \u) stays as written.
const ESCAPE_SEQUENCE = /\\(?:[abcfnrtv$"\\]|0\d{0,3})/g;

/** Parses `.env` text as `docker compose --env-file` does; keys keep file order. */
export function parseDotenv(text: string, options: ParseDotenvOptions = {}): Map<string, string> {
  return new DotenvParser(options).parse(text.startsWith(BOM) ? text.slice(BOM.length) : text);
}

/**
 * Several env files, as `docker compose --env-file a --env-file b` reads them:
 * later files win, and each file's interpolation sees `currentEnv` (compose's
 * shell environment) first, then the file's own earlier keys, then earlier files.
 */
export function parseEnvFiles(
  texts: readonly string[],
  currentEnv: Lookup = () => undefined,
): Map<string, string> {
  const merged = new Map<string, string>();
  for (const text of texts) {
    const env = parseDotenv(text, { lookup: currentEnv, fallback: (k) => merged.get(k) });
    for (const [k, v] of env) merged.set(k, v);
  }
  return merged;
}

/** Go's unicode.IsSpace, which compose uses to skip blank space between statements. */
function isUnicodeSpace(ch: string): boolean {
  return /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/.test(ch);
}

/** compose's isSpace: blank space within a line (no newline). */
function isLineSpace(ch: string): boolean {
  return (
    ch === '\t' ||
    ch === '\v' ||
    ch === '\f' ||
    ch === '\r' ||
    ch === ' ' ||
    ch === '\u0085' ||
    ch === '\u00a0'
  );
}

function trimLeftLineSpace(s: string): string {
  let i = 0;
  while (i < s.length && isLineSpace(s[i]!)) i++;
  return s.slice(i);
}

function trimRightUnicodeSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isUnicodeSpace(s[end - 1]!)) end--;
  return s.slice(0, end);
}

/** Where one assignment sits in the text (offsets into it): what a minimal edit rewrites. */
interface DotenvStatement {
  key: string;
  /** The value as written, quotes included: [valueStart, valueEnd). Empty for a bare `KEY` line. */
  valueStart: number;
  valueEnd: number;
  /** A bare `KEY` line (inherited from the environment): no `=` and no value. */
  inherited: boolean;
}

class DotenvParser {
  private line = 1;
  private readonly out = new Map<string, string>();

  constructor(
    private readonly options: ParseDotenvOptions,
    private readonly onStatement?: (statement: DotenvStatement) => void,
  ) {}

  parse(src: string): Map<string, string> {
    let cutset = src;
    // Offsets into src: every step below consumes a prefix of the text.
    const at = (rest: string): number => src.length - rest.length;
    for (;;) {
      cutset = this.statementStart(cutset);
      if (cutset === '') break;
      const { key, rest, inherited } = this.keyName(cutset);
      if (key.includes(' ')) {
        throw new DotenvSyntaxError(
          this.line,
          'key cannot contain a space',
          `line ${this.line}: key cannot contain a space`,
        );
      }
      if (inherited) {
        const value = this.options.lookup?.(key);
        if (value !== undefined) this.out.set(key, value);
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
  private statementStart(src: string): string {
    for (;;) {
      let pos = 0;
      while (pos < src.length && isUnicodeSpace(src[pos]!)) {
        if (src[pos] === '\n') this.line++;
        pos++;
      }
      if (pos >= src.length) return '';
      src = src.slice(pos);
      if (src[0] !== '#') return src;
      const newline = src.indexOf('\n');
      if (newline < 0) return '';
      src = src.slice(newline);
    }
  }

  private keyName(src: string): { key: string; rest: string; inherited: boolean } {
    if (EXPORT_PREFIX.test(src)) src = trimLeftLineSpace(src.slice('export'.length));
    let key: string | undefined;
    let offset = 0;
    let inherited = false;
    for (const [i, ch] of indexedChars(src)) {
      if (isLineSpace(ch)) continue;
      if (ch === '=' || ch === ':' || ch === '\n') {
        key = src.slice(0, i);
        offset = i + 1;
        inherited = ch === '\n';
        break;
      }
      if ('_.-[]'.includes(ch) || /[\p{L}\p{N}]/u.test(ch)) continue;
      const firstLine = src.split('\n')[0]!;
      throw new DotenvSyntaxError(
        this.line,
        `unexpected character ${JSON.stringify(ch)} in variable name`,
        `line ${this.line}: unexpected character ${JSON.stringify(ch)} in variable name ${JSON.stringify(firstLine)}`,
      );
    }
    if (key === undefined) {
      // A bare name on the last line, with no newline after it: compose-go would
      // read it as key '' with the name as value; we treat it as the bare `KEY`
      // line it is, the same as when a newline follows (see docs: deviations).
      return { key: trimRightUnicodeSpace(src), rest: '', inherited: true };
    }
    if (inherited && !key.includes(' ')) this.line++;
    return { key: trimRightUnicodeSpace(key), rest: trimLeftLineSpace(src.slice(offset)), inherited };
  }

  /** The value, what follows it, and how many characters of src it was written with (quotes included). */
  private value(src: string): { value: string; rest: string; written: number } {
    const quote = src[0];
    if (quote !== '"' && quote !== "'") {
      const newline = src.indexOf('\n');
      let value = newline < 0 ? src : src.slice(0, newline);
      const rest = newline < 0 ? '' : src.slice(newline + 1);
      const startLine = this.line;
      this.line++;
      const comment = value.indexOf(' #');
      if (comment >= 0) value = value.slice(0, comment);
      const written = trimRightUnicodeSpace(value);
      return { value: this.expand(written, startLine), rest, written: written.length };
    }
    const startLine = this.line;
    let escaped = false;
    let chars = '';
    for (let i = 1; i < src.length; i++) {
      const ch = src[i]!;
      if (ch === '\n') this.line++;
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
    throw new DotenvSyntaxError(
      this.line,
      startLine === this.line
        ? 'unterminated quoted value'
        : `unterminated quoted value (the quote opens on line ${startLine})`,
      `line ${this.line}: unterminated quoted value ${newline < 0 ? src : src.slice(0, newline)}`,
    );
  }

  private expand(value: string, line: number): string {
    const { lookup, fallback, onUnset, onRead } = this.options;
    const { result, error } = substitute(
      value,
      (name) => {
        const found = lookup?.(name) ?? this.out.get(name) ?? fallback?.(name);
        onRead?.(name, found);
        return found;
      },
      onUnset ? { onUnset } : {},
    );
    if (error) {
      (error as DotenvInterpolationError).line = line;
      throw error;
    }
    return result;
  }
}

function* indexedChars(s: string): Generator<[number, string]> {
  let i = 0;
  for (const ch of s) {
    yield [i, ch];
    i += ch.length;
  }
}

/** Standard escapes inside double quotes; `\$` becomes `$$` so interpolation leaves a literal `$`. */
function expandEscapes(text: string): string {
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
        if (!/^[0-7]{3}$/.test(digits) || parseInt(digits, 8) > 0o377) return match;
        return String.fromCharCode(parseInt(digits, 8));
      }
    }
  });
}

export function isDotenvError(error: unknown): error is DotenvSyntaxError | DotenvInterpolationError {
  return error instanceof DotenvSyntaxError || isInterpolationError(error);
}

/** What {@link setDotenvValues} did. */
export interface DotenvEdit {
  /** The new text: the old one with only the assignments of the given keys rewritten. */
  text: string;
  /** Keys whose value changed (file order of the request). */
  changed: string[];
  /** Keys that already held the value. */
  unchanged: string[];
  /** Keys the text did not assign, appended at the end (only with `append`). */
  added: string[];
  /** Keys the text did not assign and that were left out (without `append`). */
  missing: string[];
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
export function setDotenvValues(
  text: string,
  values: ReadonlyMap<string, string>,
  options: { append?: boolean } = {},
): DotenvEdit {
  for (const key of values.keys()) {
    if (!isValidEnvKey(key)) throw new Error(`'${key}' is not a valid env variable name`);
  }
  const bom = text.startsWith(BOM) ? BOM : '';
  const body = text.slice(bom.length);
  const statements: DotenvStatement[] = [];
  // Values are not needed, only where they are: every variable reads as set, so a
  // `${VAR:?}` in an unrelated value cannot fail the edit.
  new DotenvParser({ lookup: () => 'set' }, (s) => statements.push(s)).parse(body);

  const edits: { start: number; end: number; replacement: string }[] = [];
  const changed: string[] = [];
  const unchanged: string[] = [];
  const absent: string[] = [];
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
      if (replacement === written) continue;
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
    if (out !== '' && !out.endsWith('\n')) out += eol;
    for (const key of absent) out += `${key}=${quoteDotenvValue(values.get(key)!)}${eol}`;
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
function requote(written: string, value: string): string {
  // A value that already reads back as the new one keeps its exact spelling.
  if (!written.includes('$') && parseDotenv(`K=${written}`).get('K') === value) return written;
  if (written.startsWith("'") && !/['\r\n]/.test(value)) return `'${value}'`;
  const quoted = quoteDotenvValue(value);
  if (written.startsWith('"') && !quoted.startsWith('"')) return `"${quoted}"`;
  return quoted;
}
