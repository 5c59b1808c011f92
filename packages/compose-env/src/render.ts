/**
 * Renders the runtime env from layers, later wins: template defaults, env files
 * in order, vars, then secrets (only for keys the template declares).
 */
import { parseDotenv } from './dotenv.js';
import { isValidEnvKey } from './format.js';

export type EnvSource = 'template' | 'env-file' | 'vars' | 'secrets';

export interface RenderedValue {
  value: string;
  source: EnvSource;
  /** The env file it came from, for `env-file` values. */
  file?: string;
  /** True for values from `secrets`: never shown anywhere but the rendered file. */
  secret: boolean;
  /** The comment above the key in the template. */
  description?: string;
}

export interface TemplateKey {
  key: string;
  /** `KEY=` in the template: a value must come from a later layer. */
  required: boolean;
  default: string;
  description?: string;
}

export interface NamedText {
  /** Where the text came from (a path), used in messages. */
  name: string;
  text: string;
}

export interface RenderEnvInput {
  template?: NamedText;
  envFiles?: readonly NamedText[];
  vars?: ReadonlyMap<string, string>;
  /** Usually `toJSON(secrets)`: string values by name. */
  secrets?: Readonly<Record<string, unknown>>;
  /** Called for each variable used in an env file value but not set. */
  onUnset?: (name: string, file: string) => void;
  /**
   * The only keys of `secrets` that are used (the workflow's allow-list). Others are ignored and
   * not even named in `ignoredSecrets`. Unset: the keys the template declares (the old rule).
   */
  secretKeys?: ReadonlySet<string>;
  /** Keys no layer may declare or set (the SSH key, registry password, tokens): a LayerRuleError. */
  forbiddenKeys?: ReadonlySet<string>;
  /** Keys whose final value must come from `vars`: no other layer may have the last word. */
  protectedKeys?: ReadonlySet<string>;
}

/** A layer broke a rule of `forbiddenKeys` or `protectedKeys`; the message names keys and layers, never values. */
export class LayerRuleError extends Error {
  override readonly name = 'LayerRuleError';
  readonly code: 'forbidden-key' | 'protected-key';
  readonly input: 'forbidden-keys' | 'protected-keys';
  constructor(code: LayerRuleError['code'], message: string) {
    super(message);
    this.code = code;
    this.input = code === 'forbidden-key' ? 'forbidden-keys' : 'protected-keys';
  }
}

export interface RenderEnvResult {
  values: Map<string, RenderedValue>;
  template: TemplateKey[];
  /** Names in `secrets` the template does not declare (ignored). */
  ignoredSecrets: string[];
  /** Keys set by env files or vars that the template does not declare. */
  undeclared: string[];
  /**
   * Values interpolated with a variable that a later layer changed: compose reads
   * env files in order, so `DATABASE_URL=...${DB_PASSWORD}` in the template sees the
   * template's (empty) DB_PASSWORD, not the secret that comes later.
   */
  staleReads: StaleRead[];
}

export interface StaleRead {
  /** The layer whose value read the variable (the template's or an env file's name). */
  file: string;
  variable: string;
  /** The layer that changed the variable afterwards. */
  changedBy: EnvSource;
}

/** Required keys that ended up empty; every one of them is named. */
export class MissingKeysError extends Error {
  override readonly name = 'MissingKeysError';
  readonly keys: readonly string[];
  constructor(keys: readonly string[], template: readonly TemplateKey[]) {
    const described = keys.map((k) => {
      const d = template.find((t) => t.key === k)?.description;
      return d ? `${k} (${d})` : k;
    });
    super(
      `${keys.length === 1 ? 'A required key has' : `${keys.length} required keys have`} no value: ` +
        `${described.join(', ')}. Set ${keys.length === 1 ? 'it' : 'them'} in env-files, vars or secrets.`,
    );
    this.keys = keys;
  }
}

/** An env file or template that does not parse; `file` names it. */
export class EnvLayerError extends Error {
  override readonly name = 'EnvLayerError';
  readonly file: string;
  readonly line: number | undefined;
  constructor(file: string, line: number | undefined, reason: string) {
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
export function parseTemplate(
  template: NamedText,
  onRead?: (name: string, value: string | undefined) => void,
): TemplateKey[] {
  const values = parseLayer(template, () => undefined, undefined, onRead);
  const descriptions = new Map<string, string>();
  const explicitEmpty = new Set<string>();
  let comment: string[] = [];
  for (const line of template.text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) {
      comment.push(trimmed.replace(/^#+\s?/, ''));
      continue;
    }
    const assignment = /^(?:export\s+)?([^\s=:#]+)\s*[=:]\s*(.*)$/.exec(trimmed);
    if (assignment) {
      const key = assignment[1]!;
      if (comment.length > 0) descriptions.set(key, comment.join(' ').trim());
      if (/^(""|'')(\s+#.*)?$/.test(assignment[2]!)) explicitEmpty.add(key);
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

export function renderEnv(input: RenderEnvInput): RenderEnvResult {
  const values = new Map<string, RenderedValue>();
  const reads: { file: string; variable: string; seen: string | undefined }[] = [];
  const recordRead = (file: string) => (variable: string, seen: string | undefined) =>
    reads.push({ file, variable, seen });
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
  const set = (key: string, value: string, source: EnvSource, file?: string): void => {
    const description = values.get(key)?.description;
    values.set(key, {
      value,
      source,
      secret: source === 'secrets',
      ...(file !== undefined ? { file } : {}),
      ...(description ? { description } : {}),
    });
  };

  const forbidden = input.forbiddenKeys ?? new Set<string>();
  const forbid = (layer: string, keys: Iterable<string>): void => {
    const found = [...keys].filter((k) => forbidden.has(k));
    if (found.length > 0) {
      throw new LayerRuleError(
        'forbidden-key',
        `${layer} declares ${found.join(', ')}, which forbidden-keys says must never reach the env file ` +
          '(credentials of the deploy itself). Remove it from there.',
      );
    }
  };
  if (input.template) forbid(`the template ${input.template.name}`, declared);

  for (const file of input.envFiles ?? []) {
    // Compose semantics for several --env-file: a value sees the file's own
    // earlier keys, then what the earlier layers rendered; never the runner's env.
    const layer = parseLayer(file, (k) => values.get(k)?.value, input.onUnset, recordRead(file.name));
    forbid(`the env file ${file.name}`, layer.keys());
    for (const [k, v] of layer) set(k, v, 'env-file', file.name);
  }
  forbid('vars', (input.vars ?? new Map<string, string>()).keys());
  for (const [k, v] of input.vars ?? []) {
    if (!isValidEnvKey(k)) throw new EnvLayerError('vars', undefined, `'${k}' is not a valid variable name`);
    set(k, v, 'vars');
  }
  const ignoredSecrets: string[] = [];
  const secretKeys = input.secretKeys;
  if (secretKeys) forbid('secret-keys', secretKeys);
  for (const [k, v] of Object.entries(input.secrets ?? {})) {
    const wanted = secretKeys ? secretKeys.has(k) : declared.has(k);
    if (!wanted || (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean')) {
      // With secret-keys, the others are not ours to name: they stay out of every message.
      if (!secretKeys) ignoredSecrets.push(k);
      continue;
    }
    forbid('secrets', [k]);
    set(k, String(v), 'secrets');
  }
  for (const key of input.protectedKeys ?? []) {
    const final = values.get(key);
    if (final?.source === 'vars') continue;
    throw new LayerRuleError(
      'protected-key',
      final === undefined
        ? `${key} is a protected key but vars does not set it: its value must come from vars (e.g. the digest verify-signature proved).`
        : `${key} is a protected key: its value must come from vars, but ${final.source === 'env-file' ? `the env file ${final.file}` : final.source} ` +
            `has the last word${final.source === 'secrets' ? ' (a secret of that name would replace the verified value)' : ' (vars does not set it)'}.`,
    );
  }

  const missing = template.filter((t) => t.required && values.get(t.key)!.value === '').map((t) => t.key);
  if (missing.length > 0) throw new MissingKeysError(missing, template);
  const undeclared = input.template ? [...values.keys()].filter((k) => !declared.has(k)) : [];
  const staleReads: StaleRead[] = [];
  for (const read of reads) {
    const final = values.get(read.variable);
    if (final === undefined || final.value === read.seen) continue;
    if (staleReads.some((s) => s.file === read.file && s.variable === read.variable)) continue;
    staleReads.push({ file: read.file, variable: read.variable, changedBy: final.source });
  }
  return { values, template, ignoredSecrets, undeclared, staleReads };
}

function parseLayer(
  file: NamedText,
  fallback: (key: string) => string | undefined,
  onUnset?: (name: string, file: string) => void,
  onRead?: (name: string, value: string | undefined) => void,
): Map<string, string> {
  let parsed: Map<string, string>;
  try {
    parsed = parseDotenv(file.text, {
      fallback,
      ...(onUnset ? { onUnset: (name: string) => onUnset(name, file.name) } : {}),
      ...(onRead ? { onRead } : {}),
    });
  } catch (error) {
    const e = error as Error & { line?: number; reason?: string };
    // No `cause`: compose's own message repeats the malformed line, which may hold a secret.
    throw new EnvLayerError(file.name, e.line, e.reason ?? e.message);
  }
  // Compose accepts `=value` (an empty name), but no process can receive it: a typo to report.
  if (parsed.has(''))
    throw new EnvLayerError(file.name, undefined, "a line has '=' with no variable name before it");
  return parsed;
}

// Key names that usually hold credentials: their values are never shown, wherever they came from.
const SECRET_LOOKING_KEY =
  /(PASS|PWD|SECRET|TOKEN|PRIVATE|CREDENTIAL|AUTH|API_?KEY|ACCESS_?KEY|_KEY$|^KEY$|SALT|SIGNING|CERT|DSN|COOKIE|SESSION)/i;
const MAX_SHOWN_LENGTH = 64;

/**
 * What the job summary may show of a value: secrets never; other values only
 * when short, on one line, under a name that does not look like a credential,
 * without `user:password@` in them, not random-looking, and not containing a
 * secret's value. Returns undefined when the value must stay hidden.
 */
export function shownValue(
  key: string,
  rendered: RenderedValue,
  secretValues: readonly string[] = [],
): string | undefined {
  const { value } = rendered;
  if (rendered.secret || SECRET_LOOKING_KEY.test(key)) return undefined;
  if (secretValues.some((s) => s !== '' && value.includes(s))) return undefined;
  // Pinned image references are long, but they are what people need to see.
  if (/^[\w.:/-]+@sha256:[a-f0-9]{64}$/.test(value)) return value;
  if (value.length > MAX_SHOWN_LENGTH || /[\r\n]/.test(value)) return undefined;
  if (/:\/\/[^/\s]*:[^/\s]*@/.test(value)) return undefined;
  if (looksRandom(value)) return undefined;
  return value;
}

/** Long runs of mixed letters and digits with no word structure: tokens, keys, hashes. */
function looksRandom(value: string): boolean {
  if (value.length < 20 || /\s/.test(value)) return false;
  const classes = [/[a-z]/, /[A-Z]/, /[0-9]/].filter((r) => r.test(value)).length;
  const longestToken = Math.max(...value.split(/[^A-Za-z0-9+/=_-]/).map((t) => t.length));
  return classes >= 2 && longestToken >= 20 && /[0-9]/.test(value);
}
