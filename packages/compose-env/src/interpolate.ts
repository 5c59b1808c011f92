/**
 * `${...}` interpolation exactly as Docker Compose v2 does it (compose-go's
 * template package): the same match rules, operator choice, lazy defaults,
 * nested expansion, `$$` escaping, first-error reporting and error texts.
 */

/** Returns the value of a variable, or undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

export interface InterpolateOptions {
  /** Called for each variable that is used but not set (compose warns and uses ''). */
  onUnset?: (name: string) => void;
}

/** A `${` that does not form a valid expression; compose prints the whole template Go-quoted. */
export class InvalidTemplateError extends Error {
  override readonly name = 'InvalidTemplateError';
  readonly template: string;
  constructor(template: string) {
    super(`Invalid template: ${goQuote(template)}`);
    this.template = template;
  }
}

/** `${VAR:?reason}` or `${VAR?reason}` met an empty or unset variable. */
export class MissingRequiredError extends Error {
  override readonly name = 'MissingRequiredError';
  readonly variable: string;
  readonly reason: string;
  constructor(variable: string, reason: string) {
    super(
      reason === ''
        ? `required variable ${variable} is missing a value`
        : `required variable ${variable} is missing a value: ${reason}`,
    );
    this.variable = variable;
    this.reason = reason;
  }
}

export type InterpolationError = InvalidTemplateError | MissingRequiredError;

export function isInterpolationError(error: unknown): error is InterpolationError {
  return error instanceof InvalidTemplateError || error instanceof MissingRequiredError;
}

/**
 * Interpolates `template` with values from `lookup`. Throws the first
 * InvalidTemplateError or MissingRequiredError, as compose does.
 */
export function interpolate(template: string, lookup: Lookup, options: InterpolateOptions = {}): string {
  const { result, error } = substitute(template, lookup, options);
  if (error) throw error;
  return result;
}

/**
 * compose-go's Substitute: every match is replaced (failed ones with ''), and the
 * first error is returned beside the result.
 */
export function substitute(
  template: string,
  lookup: Lookup,
  options: InterpolateOptions = {},
): { result: string; error?: InterpolationError } {
  let error: InterpolationError | undefined;
  let out = '';
  let i = 0;
  while (i < template.length) {
    const dollar = template.indexOf('$', i);
    if (dollar < 0) break;
    out += template.slice(i, dollar);
    const match = matchAt(template, dollar);
    if (match === undefined) {
      out += '$';
      i = dollar + 1;
      continue;
    }
    try {
      out += replace(template.slice(dollar, match.end), lookup, options);
    } catch (e) {
      if (!isInterpolationError(e)) throw e;
      if (e instanceof InvalidTemplateError && e.template === '') {
        // compose fills in the template being substituted when the replacement could not.
        error ??= new InvalidTemplateError(template);
      } else {
        error ??= e;
      }
    }
    i = match.end;
  }
  out += template.slice(i);
  return error ? { result: out, error } : { result: out };
}

type Match =
  | { kind: 'escaped'; end: number }
  | { kind: 'named'; end: number; name: string }
  | { kind: 'braced'; end: number; body: string }
  | { kind: 'invalid'; end: number };

const NAME_START = /[_a-zA-Z]/;
const NAME_CHAR = /[_a-zA-Z0-9]/;

/**
 * What compose's pattern `\$(?i:(\$)|([_a-z][_a-z0-9]*)|{(?:([_a-z][_a-z0-9]*(?::?[-+?](.*))?)}|()))`
 * matches at `start` (a `$`). The `(.*)` is greedy and stops at a newline, so a
 * braced expression with an operator reaches to the last `}` of the line.
 */
function matchAt(s: string, start: number): Match | undefined {
  const next = s[start + 1];
  if (next === '$') return { kind: 'escaped', end: start + 2 };
  if (next !== undefined && NAME_START.test(next)) {
    let end = start + 2;
    while (end < s.length && NAME_CHAR.test(s[end]!)) end++;
    return { kind: 'named', end, name: s.slice(start + 1, end) };
  }
  if (next !== '{') return undefined;
  const nameStart = start + 2;
  if (nameStart < s.length && NAME_START.test(s[nameStart]!)) {
    let nameEnd = nameStart + 1;
    while (nameEnd < s.length && NAME_CHAR.test(s[nameEnd]!)) nameEnd++;
    let op = nameEnd;
    if (s[op] === ':') op++;
    if (op < s.length && '-+?'.includes(s[op]!)) {
      const lineEnd = s.indexOf('\n', op + 1);
      const close = s.lastIndexOf('}', (lineEnd < 0 ? s.length : lineEnd) - 1);
      if (close > op) return { kind: 'braced', end: close + 1, body: s.slice(nameStart, close) };
    }
    if (s[nameEnd] === '}') return { kind: 'braced', end: nameEnd + 1, body: s.slice(nameStart, nameEnd) };
  }
  return { kind: 'invalid', end: start + 2 };
}

/** compose-go's DefaultReplacementFunc for one matched substring. */
function replace(substring: string, lookup: Lookup, options: InterpolateOptions): string {
  const closing = firstBraceClosingIndex(substring);
  let rest = '';
  if (closing > -1) {
    rest = substring.slice(closing + 1);
    substring = substring.slice(0, closing + 1);
  }
  const match = matchAt(substring, 0);
  if (match === undefined || match.kind === 'invalid') throw new InvalidTemplateError('');
  if (match.kind === 'escaped') return '$';
  const name = match.kind === 'named' ? match.name : match.body;
  if (match.kind === 'braced') {
    const applied = applyOperator(match.body, lookup, options);
    if (applied !== undefined) return applied + interpolate(rest, lookup, options);
  }
  const value = lookup(name);
  if (value === undefined) options.onUnset?.(name);
  return value ?? '';
}

/**
 * The `}` that closes the first `{`, counting every `{` on the way (so the
 * braces of a JSON default balance: `${X:-{"a":1}}` ends at the last `}`).
 */
function firstBraceClosingIndex(s: string): number {
  let open = 0;
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '{') open++;
    else if (s[i] === '}') {
      open--;
      if (open === 0) return i;
    }
  }
  return -1;
}

/** Applies `:?`, `?`, `:-`, `-`, `:+`, `+`; undefined when the body is a bare name. */
function applyOperator(body: string, lookup: Lookup, options: InterpolateOptions): string | undefined {
  const nameEnd = /^[_a-zA-Z][_a-zA-Z0-9]*/.exec(body)![0].length;
  const op = body[nameEnd] === ':' ? body.slice(nameEnd, nameEnd + 2) : body.slice(nameEnd, nameEnd + 1);
  if (op === '') return undefined;
  const name = body.slice(0, nameEnd);
  const argument = body.slice(nameEnd + op.length);
  const value = lookup(name);
  const present = op.startsWith(':') ? value !== undefined && value !== '' : value !== undefined;
  switch (op) {
    case ':?':
    case '?':
      if (present) return value!;
      // The message is interpolated too (`${X:?set ${Y}}`), only when it is needed.
      throw new MissingRequiredError(name, interpolate(argument, lookup, options));
    case ':-':
    case '-':
      return present ? value! : interpolate(argument, lookup, options);
    default:
      // ':+' and '+': the alternative is only interpolated when it is used.
      return present ? interpolate(argument, lookup, options) : '';
  }
}

/** Go's `%#v` of a string (strconv.Quote): how compose prints an invalid template. */
function goQuote(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (ch === '"' || ch === '\\') out += `\\${ch}`;
    else if (ch === '\x07') out += '\\a';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\v') out += '\\v';
    else if (ch === ' ' || /[\p{L}\p{M}\p{N}\p{P}\p{S}]/u.test(ch)) out += ch;
    else if (code < 0x80) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else if (code < 0x10000) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += `\\U${code.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}
