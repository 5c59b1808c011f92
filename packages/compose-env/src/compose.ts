/**
 * Loads compose files the way `docker compose config` does the parts that
 * matter here: YAML (with `<<` merge keys), `${...}` interpolation of every
 * string value under the rendered env, files merged in order.
 */
import { parseDocument, stringify } from 'yaml';
import { InvalidTemplateError, substitute, type Lookup } from './interpolate.js';
import type { NamedText } from './render.js';
import { validateComposeFile, validateComposeProject, type ComposeProblem } from './validate.js';

export type ComposeModel = Record<string, unknown> & { services?: Record<string, ComposeService> };
export type ComposeService = Record<string, unknown>;

/** A compose file that does not parse or does not interpolate; `file` and `path` say where. */
export class ComposeFileError extends Error {
  override readonly name = 'ComposeFileError';
  readonly file: string;
  readonly code: 'compose-invalid' | 'unresolved-variable' | 'invalid-template';
  /** For `compose-invalid` found by validation: every problem Compose would refuse. */
  readonly problems: readonly ComposeProblem[];
  constructor(
    file: string,
    code: ComposeFileError['code'],
    message: string,
    options?: { cause?: unknown; problems?: readonly ComposeProblem[] },
  ) {
    super(`${file}: ${message}`, options);
    this.file = file;
    this.code = code;
    this.problems = options?.problems ?? [];
  }
}

export interface LoadComposeOptions {
  /** Called for each variable used but not set (compose warns and uses ''). */
  onUnset?: (name: string, file: string, path: string) => void;
  /**
   * Check the files as Compose does (schema, short syntaxes, references, what `up` refuses) and
   * throw a `compose-invalid` ComposeFileError listing every problem. Default true.
   */
  validate?: boolean;
}

export interface ComposeConfig {
  model: ComposeModel;
  /** Variables the files reference that were not set. */
  unset: string[];
}

/** Interpolates and merges the files; throws ComposeFileError like compose fails. */
export function loadComposeConfig(
  files: readonly NamedText[],
  env: Lookup,
  options: LoadComposeOptions = {},
): ComposeConfig {
  const unset = new Set<string>();
  let model: ComposeModel = {};
  const problems: ComposeProblem[] = [];
  const validate = options.validate ?? true;
  for (const file of files) {
    const doc = parseDocument(file.text, { merge: true, prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      const first = doc.errors[0]!;
      const line = first.linePos?.[0]?.line;
      throw new ComposeFileError(
        file.name,
        'compose-invalid',
        `is not valid YAML${line === undefined ? '' : ` (line ${line})`}: ${first.message.split('\n')[0]}`,
      );
    }
    const raw: unknown = doc.toJS({ maxAliasCount: 1000 });
    if (raw === null || raw === undefined) continue;
    if (typeof raw !== 'object' || Array.isArray(raw)) {
      throw new ComposeFileError(
        file.name,
        'compose-invalid',
        'must be a mapping (services:, volumes:, ...)',
      );
    }
    const interpolated = interpolateTree(
      raw,
      [],
      env,
      (name, path) => {
        unset.add(name);
        options.onUnset?.(name, file.name, path);
      },
      file.name,
    ) as ComposeModel;
    if (validate)
      problems.push(...validateComposeFile(file.name, interpolated, raw as Record<string, unknown>));
    model = mergeCompose(model, interpolated);
  }
  // Cross-file checks only make sense on files that are each valid.
  if (validate && problems.length === 0) problems.push(...validateComposeProject(model));
  if (problems.length > 0) {
    const names = files.map((f) => f.name);
    const line = (p: ComposeProblem): string =>
      `  - ${p.file !== undefined && names.length > 1 ? `${p.file}: ` : ''}${p.path === '' ? '(top level)' : p.path}: ${p.message}`;
    throw new ComposeFileError(
      names.join(', '),
      'compose-invalid',
      `docker compose would refuse ${names.length > 1 ? 'these files' : 'this file'} ` +
        `(${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map(line).join('\n')}`,
      { problems },
    );
  }
  return { model, unset: [...unset] };
}

function interpolateTree(
  value: unknown,
  path: string[],
  env: Lookup,
  onUnset: (name: string, path: string) => void,
  file: string,
): unknown {
  if (typeof value === 'string') {
    const where = path.join('.');
    const { result, error } = substitute(value, env, { onUnset: (name) => onUnset(name, where) });
    if (error instanceof InvalidTemplateError) {
      // compose's wording, so the fix (`$$`) is the one people find when they search it.
      throw new ComposeFileError(
        file,
        'invalid-template',
        `invalid interpolation format for ${where}.\nYou may need to escape any $ with another $.\n${value}`,
        { cause: error },
      );
    }
    if (error) {
      throw new ComposeFileError(
        file,
        'unresolved-variable',
        `error while interpolating ${where}: ${error.message}`,
        {
          cause: error,
        },
      );
    }
    return result;
  }
  if (Array.isArray(value))
    return value.map((v, i) => interpolateTree(v, [...path, String(i)], env, onUnset, file));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = interpolateTree(v, [...path, k], env, onUnset, file);
    return out;
  }
  return value;
}

/**
 * Merges a later compose file over an earlier one: mappings merge key by key,
 * lists of plain values (ports, volumes, dns...) are appended without
 * duplicates, anything else is replaced, as compose does for the common cases.
 */
function mergeCompose(base: ComposeModel, override: ComposeModel): ComposeModel {
  return mergeValue(base, override) as ComposeModel;
}

// Compose replaces these lists instead of appending to them.
const REPLACED_LISTS = new Set(['command', 'entrypoint', 'healthcheck.test']);

// Fields compose accepts as a mapping or as a `KEY=VALUE` list, and merges key by key whichever form each file uses.
const MAPPING_OR_LIST = new Set(['environment', 'labels', 'args', 'sysctls', 'annotations']);

/** A `KEY=VALUE` list as the mapping compose reads it: `KEY` alone is null for environment (unset), '' elsewhere. */
function listToMapping(list: unknown[], key: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const item of list) {
    const text = String(item);
    const eq = text.indexOf('=');
    if (eq < 0) out[text] = key === 'environment' || key === 'args' ? null : '';
    else out[text.slice(0, eq)] = text.slice(eq + 1);
  }
  return out;
}

// `depends_on: [db]` is `depends_on: {db: {condition: service_started}}` to compose.
function dependsOnMapping(list: unknown[]): Record<string, unknown> {
  return Object.fromEntries(list.map((s) => [String(s), { condition: 'service_started', required: true }]));
}

function mergeValue(base: unknown, override: unknown, key = ''): unknown {
  if (
    MAPPING_OR_LIST.has(key) &&
    (isMapping(base) || isMapping(override)) &&
    (Array.isArray(base) || Array.isArray(override))
  ) {
    base = Array.isArray(base) ? listToMapping(base, key) : base;
    override = Array.isArray(override) ? listToMapping(override, key) : override;
  }
  if (
    key === 'depends_on' &&
    (isMapping(base) || isMapping(override)) &&
    (Array.isArray(base) || Array.isArray(override))
  ) {
    base = Array.isArray(base) ? dependsOnMapping(base) : base;
    override = Array.isArray(override) ? dependsOnMapping(override) : override;
  }
  if (isMapping(base) && isMapping(override)) {
    const out: Record<string, unknown> = { ...base };
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

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface FormatComposeOptions {
  /**
   * Values to keep out of the text (secrets), each with the variable that holds it:
   * written back as `${NAME}`, so the config still resolves against the env file.
   */
  references?: ReadonlyMap<string, string>;
}

/**
 * The resolved config as YAML (interpolated and merged, not normalised). Literal `$` is written as `$$` (as `docker compose
 * config` does), so the text can be loaded again without being re-interpolated.
 */
export function formatComposeConfig(model: ComposeModel, options: FormatComposeOptions = {}): string {
  const refs = [...(options.references ?? new Map<string, string>())].filter(([v]) => v !== '');
  // Longest first, so a secret that contains another is replaced whole.
  refs.sort((a, b) => b[0].length - a[0].length);
  const escape = (text: string): string => {
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
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return escape(value);
    if (typeof value === 'number' && refs.some(([s]) => s === String(value))) return escape(String(value));
    if (Array.isArray(value)) return value.map(walk);
    if (isMapping(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) out[escape(k)] = walk(v);
      return out;
    }
    return value;
  };
  // YAML 1.1 rules for quoting, so `no`, `on` and `5432:5432` stay strings for every reader.
  return stringify(walk(model), { lineWidth: 0, version: '1.1' });
}

/** The image of each service that has one. */
function serviceImages(model: ComposeModel): { service: string; image: string | undefined }[] {
  return Object.entries(model.services ?? {}).map(([service, def]) => ({
    service,
    image: typeof def?.['image'] === 'string' ? (def['image'] as string) : undefined,
  }));
}

export interface UnpinnedImage {
  service: string;
  image: string | undefined;
  /** Why it is not pinned, for the message. */
  problem: string;
}

const DIGEST = /@sha256:[a-f0-9]{64}$/;

/** Services whose image is not pinned by `@sha256:` digest; `latest` and untagged first (the worst case). */
export function findUnpinnedImages(model: ComposeModel): UnpinnedImage[] {
  const found: UnpinnedImage[] = [];
  for (const { service, image } of serviceImages(model)) {
    if (image === undefined) {
      found.push({
        service,
        image,
        problem: 'has no image (it is built on the host); publish it and pin the digest',
      });
    } else if (!DIGEST.test(image)) {
      const tag = imageTag(image);
      found.push({
        service,
        image,
        problem:
          tag === undefined || tag === 'latest'
            ? `uses '${image}', which means 'latest': the worst case, it changes under you on every pull`
            : `uses the tag '${tag}', which can be moved to another image`,
      });
    }
  }
  const worst = (u: UnpinnedImage): number => (u.problem.includes("'latest'") ? 0 : 1);
  return found.sort((a, b) => worst(a) - worst(b));
}

/** The tag of an image reference, or undefined when it has none. */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon < 0 ? undefined : withoutDigest.slice(colon + 1);
}
