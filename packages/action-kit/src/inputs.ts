import { parseDuration } from './duration.js';
import { InputError, type InputProblem, errorMessage } from './errors.js';
import { parseMapping } from './mapping.js';

export interface InputOptions<T> {
  required?: boolean;
  default?: T;
}

export interface InputReaderOptions {
  /** Where INPUT_* variables are read from; the process environment by default. */
  env?: NodeJS.ProcessEnv;
  /** Called with every secret value before anything else can log it. */
  mask?: (secret: string) => void;
}

/**
 * Reads action inputs the way the runner passes them (`INPUT_<NAME>`, upper-cased,
 * spaces as underscores, hyphens kept) into typed values. Every problem is
 * collected; `finish()` throws one InputError naming all of them, before the
 * action has done anything.
 */
export class InputReader {
  private readonly env: NodeJS.ProcessEnv;
  private readonly maskSecret: (secret: string) => void;
  private readonly problems: InputProblem[] = [];

  constructor(options: InputReaderOptions = {}) {
    this.env = options.env ?? process.env;
    this.maskSecret = options.mask ?? (() => undefined);
  }

  /** The raw, trimmed text of an input; '' when unset. */
  raw(name: string): string {
    const value = this.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    return value.trim();
  }

  has(name: string): boolean {
    return this.raw(name) !== '';
  }

  /** Records a problem with an input; reported by `finish()` together with all others. */
  problem(input: string, message: string): void {
    this.problems.push({ input, message });
  }

  /** Records a problem unless `condition` holds. */
  check(condition: boolean, input: string, message: string): void {
    if (!condition) this.problem(input, message);
  }

  string(name: string, options: InputOptions<string> & { required: true }): string;
  string(name: string, options?: InputOptions<string>): string | undefined;
  string(name: string, options: InputOptions<string> = {}): string | undefined {
    const value = this.raw(name);
    if (value !== '') return value;
    if (options.required) {
      this.problem(name, 'is required but was not set.');
      return '';
    }
    return options.default;
  }

  /** Like string(), but masked before anything else happens. Leading/trailing spaces are kept. */
  secret(name: string, options: { required?: boolean } = {}): string | undefined {
    const value = this.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '';
    if (value.trim() === '') {
      if (options.required) this.problem(name, 'is required but was not set.');
      return undefined;
    }
    this.maskSecret(value);
    return value;
  }

  boolean(name: string, options: { default: boolean }): boolean {
    const value = this.raw(name);
    if (value === '') return options.default;
    if (/^(true|yes|on|1)$/i.test(value)) return true;
    if (/^(false|no|off|0)$/i.test(value)) return false;
    this.problem(name, `'${value}' is not a boolean. Use true or false.`);
    return options.default;
  }

  integer(
    name: string,
    options: InputOptions<number> & { min?: number; max?: number } & { default: number },
  ): number;
  integer(name: string, options?: InputOptions<number> & { min?: number; max?: number }): number | undefined;
  integer(
    name: string,
    options: InputOptions<number> & { min?: number; max?: number } = {},
  ): number | undefined {
    const value = this.raw(name);
    if (value === '') {
      if (options.required) this.problem(name, 'is required but was not set.');
      return options.default;
    }
    if (!/^-?\d+$/.test(value)) {
      this.problem(name, `'${value}' is not a whole number.`);
      return options.default;
    }
    const n = Number(value);
    if (options.min !== undefined && n < options.min) {
      this.problem(name, `${n} is too small; use ${options.min} or more.`);
    } else if (options.max !== undefined && n > options.max) {
      this.problem(name, `${n} is too large; use ${options.max} or less.`);
    }
    return n;
  }

  /** Milliseconds. Accepts `500ms`, `30s`, `5m`, `1h`, or a bare number of seconds. */
  duration(name: string, options: { default: string; min?: number }): number;
  duration(name: string, options?: { default?: string; min?: number }): number | undefined;
  duration(name: string, options: { default?: string; min?: number } = {}): number | undefined {
    const value = this.raw(name) || options.default;
    if (value === undefined) return undefined;
    const ms = parseDuration(value);
    if (ms === undefined) {
      this.problem(
        name,
        `'${value}' is not a duration. Use e.g. 500ms, 30s, 5m, 1h, or a number of seconds.`,
      );
      return options.default === undefined ? undefined : parseDuration(options.default);
    }
    if (options.min !== undefined && ms < options.min) {
      this.problem(name, `'${value}' is too short; use at least ${options.min}ms.`);
    }
    return ms;
  }

  enum<T extends string>(name: string, allowed: readonly T[], options: { default: T }): T;
  enum<T extends string>(
    name: string,
    allowed: readonly T[],
    options?: { required?: boolean },
  ): T | undefined;
  enum<T extends string>(
    name: string,
    allowed: readonly T[],
    options: { default?: T; required?: boolean } = {},
  ): T | undefined {
    const value = this.raw(name);
    if (value === '') {
      if (options.required) this.problem(name, `is required; use one of ${allowed.join(', ')}.`);
      return options.default;
    }
    const match = allowed.find((a) => a.toLowerCase() === value.toLowerCase());
    if (match === undefined) {
      this.problem(name, `'${value}' is not one of ${allowed.join(', ')}.`);
      return options.default;
    }
    return match;
  }

  /** One item a line (commas also separate when `commas` is set); blank lines and `#` comments dropped. */
  multiline(
    name: string,
    options: { required?: boolean; commas?: boolean; default?: string[] } = {},
  ): string[] {
    const value = this.raw(name);
    if (value === '') {
      if (options.required) this.problem(name, 'is required but was not set (one item a line).');
      return options.default ?? [];
    }
    return value
      .split(options.commas ? /[\r\n,]+/ : /\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
  }

  /** `KEY=VALUE` lines, or a YAML/JSON mapping. */
  mapping(name: string, options: { secret?: boolean } = {}): Map<string, string> {
    const value = options.secret ? (this.secret(name) ?? '') : this.raw(name);
    try {
      const map = parseMapping(value);
      if (options.secret) for (const v of map.values()) if (v !== '') this.maskSecret(v);
      return map;
    } catch (error) {
      this.problem(name, `${errorMessage(error)}. Use KEY=VALUE lines, or a YAML/JSON mapping.`);
      return new Map();
    }
  }

  /** A JSON value; every string leaf is masked when `secret` is set. */
  json(name: string, options: { secret?: boolean } = {}): unknown {
    const value = options.secret ? this.secret(name) : this.raw(name);
    if (value === undefined || value.trim() === '') return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      // The parser's message can quote the text, and the text may be secret.
      this.problem(name, 'is not valid JSON. Pass e.g. ${{ toJSON(secrets) }}.');
      return undefined;
    }
    if (options.secret) maskJsonLeaves(parsed, this.maskSecret);
    return parsed;
  }

  /** The problems so far (for tests and for composing readers). */
  get errors(): readonly InputProblem[] {
    return this.problems;
  }

  /** Throws one InputError listing every problem, if there are any. */
  finish(): void {
    if (this.problems.length > 0) throw new InputError(this.problems);
  }
}

function maskJsonLeaves(value: unknown, mask: (s: string) => void): void {
  if (typeof value === 'string') {
    if (value !== '') mask(value);
  } else if (typeof value === 'number' && String(value).length >= 4) {
    // Short numbers and booleans are not masked: masking "1" would garble every log line.
    mask(String(value));
  } else if (Array.isArray(value)) {
    for (const item of value) maskJsonLeaves(item, mask);
  } else if (value !== null && typeof value === 'object') {
    for (const item of Object.values(value)) maskJsonLeaves(item, mask);
  }
}
