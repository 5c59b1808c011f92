/**
 * The `.env` parser of Docker Compose v2 (compose-go's dotenv package), rule
 * for rule: `export`, `KEY=value` and `KEY: value`, single quotes (literal,
 * `\'` only), double quotes (escapes, then interpolation), unquoted values
 * (inline comment after ` #`, trailing space trimmed, interpolation), values
 * spanning lines inside quotes, bare `KEY` lines inherited from the lookup,
 * duplicate keys (last wins).
 */
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
export function parseEnvFiles(texts: readonly string[], currentEnv: Lookup = () => undefined): Map<string, string> {
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
  return ch === '\t' || ch === '\v' || ch === '\f' || ch === '\r' || ch === ' ' || ch === '\u0085' || ch === '\u00a0';
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

class DotenvParser {
  private line = 1;
  private readonly out = new Map<string, string>();

  constructor(private readonly options: ParseDotenvOptions) {}

  parse(src: string): Map<string, string> {
    let cutset = src;
    for (;;) {
      cutset = this.statementStart(cutset);
      if (cutset === '') break;
      const { key, rest, inherited } = this.keyName(cutset);
      if (key.includes(' ')) {
        throw new DotenvSyntaxError(this.line, 'key cannot contain a space', `line ${this.line}: key cannot contain a space`);
      }
      if (inherited) {
        const value = this.options.lookup?.(key);
        if (value !== undefined) this.out.set(key, value);
        cutset = rest;
        continue;
      }
      const { value, rest: after } = this.value(rest);
      this.out.set(key, value);
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

  private value(src: string): { value: string; rest: string } {
    const quote = src[0];
    if (quote !== '"' && quote !== "'") {
      const newline = src.indexOf('\n');
      let value = newline < 0 ? src : src.slice(0, newline);
      const rest = newline < 0 ? '' : src.slice(newline + 1);
      const startLine = this.line;
      this.line++;
      const comment = value.indexOf(' #');
      if (comment >= 0) value = value.slice(0, comment);
      return { value: this.expand(trimRightUnicodeSpace(value), startLine), rest };
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
      return { value, rest: src.slice(i + 1) };
    }
    const newline = src.indexOf('\n');
    throw new DotenvSyntaxError(
      this.line,
      startLine === this.line ? 'unterminated quoted value' : `unterminated quoted value (the quote opens on line ${startLine})`,
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
