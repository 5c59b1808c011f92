import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { InputReader } from '@deploy-actions/action-kit';
import {
  isValidEnvKey,
  parseImageReference,
  type NamedText,
  type RenderEnvFileOptions,
} from '@deploy-actions/compose-env';

const FORMATS = ['dotenv', 'json'] as const;
const POLICIES = ['none', 'recommended', 'strict'] as const;

/** Everything render-env was asked to do, validated, with the files already read. */
export interface RenderEnvSettings extends RenderEnvFileOptions {
  keep: boolean;
}

/** Reads and checks every input; problems are collected and reported together by `finish()`. */
export function readSettings(inputs: InputReader, workspace: string): RenderEnvSettings {
  const secretsJson = inputs.json('secrets', { secret: true });
  let secrets: Record<string, unknown> = {};
  if (secretsJson !== undefined) {
    if (secretsJson === null || typeof secretsJson !== 'object' || Array.isArray(secretsJson)) {
      inputs.problem('secrets', 'must be a JSON object of names to values, e.g. ${{ toJSON(secrets) }}.');
    } else {
      secrets = secretsJson as Record<string, unknown>;
    }
  }
  const vars = inputs.mapping('vars');
  for (const key of vars.keys()) {
    inputs.check(
      isValidEnvKey(key),
      'vars',
      `'${key}' is not a valid variable name (letters, digits, _ . - [ ]).`,
    );
  }
  const templatePath = inputs.string('template');
  const template =
    templatePath === undefined ? undefined : readInputFile(inputs, 'template', templatePath, workspace);
  const envFiles = inputs
    .multiline('env-files')
    .map((p) => readInputFile(inputs, 'env-files', p, workspace))
    .filter((f): f is NamedText => f !== undefined);
  const composeFiles = inputs
    .multiline('compose-file')
    .map((p) => readInputFile(inputs, 'compose-file', p, workspace))
    .filter((f): f is NamedText => f !== undefined);
  const format = inputs.enum('format', FORMATS, { default: 'dotenv' });
  const policy = inputs.enum('policy', POLICIES, { default: 'none' });
  const requireDigest = inputs.boolean('require-digest', { default: false });
  const deployOnly = inputs.boolean('deploy-only', { default: false });
  const target = inputs.enum('target', ['compose', 'swarm'] as const, { default: 'compose' });
  const dataRoot = inputs.string('data-root');
  const keep = inputs.boolean('keep', { default: false });
  const output = inputs.string('output') ?? '.env';
  const hasCompose = inputs.has('compose-file');
  inputs.check(
    inputs.has('template') || inputs.has('env-files') || inputs.has('vars'),
    'template',
    'nothing to render: give a template (e.g. .env.example), env-files or vars.',
  );
  inputs.check(
    hasCompose || !requireDigest,
    'require-digest',
    'needs compose-file: the images to check are read from it.',
  );
  inputs.check(
    hasCompose || policy === 'none',
    'policy',
    'needs compose-file: the checks run on its services.',
  );
  inputs.check(
    policy !== 'none' || !deployOnly,
    'deploy-only',
    "only matters with policy 'recommended' or 'strict'.",
  );
  inputs.check(
    policy !== 'none' || target === 'compose',
    'target',
    "only matters with policy 'recommended' or 'strict'.",
  );
  inputs.check(
    policy !== 'none' || dataRoot === undefined,
    'data-root',
    "only matters with policy 'recommended' or 'strict'.",
  );
  inputs.check(
    dataRoot === undefined || dataRoot.startsWith('/'),
    'data-root',
    `'${dataRoot}' is not an absolute path, e.g. /opt/myapp/prod/data.`,
  );
  const verifiedImages = inputs.multiline('verified-images').flatMap((text) => {
    const ref = parseImageReference(text);
    const ok = ref !== undefined && ref.digest !== undefined && /^sha256:[a-f0-9]{64}$/.test(ref.digest);
    inputs.check(
      ok,
      'verified-images',
      `'${text}' is not an image reference pinned by digest (registry/repo@sha256:<64 hex>).`,
    );
    return ok ? [ref] : [];
  });
  const allowImages = inputs.multiline('allow-images').flatMap((text) => {
    const ref = parseImageReference(text);
    inputs.check(
      ref !== undefined && (ref.digest === undefined || /^sha256:[a-f0-9]{64}$/.test(ref.digest)),
      'allow-images',
      `'${text}' is not an image reference (repo@sha256:<64 hex>, repo:tag, or a bare repo for any digest of it).`,
    );
    return ref ? [ref] : [];
  });
  const keyList = (name: string): Set<string> => {
    const keys = inputs.multiline(name);
    for (const key of keys) inputs.check(isValidEnvKey(key), name, `'${key}' is not a valid variable name.`);
    return new Set(keys);
  };
  const secretKeys = inputs.has('secret-keys') ? keyList('secret-keys') : undefined;
  const forbiddenKeys = keyList('forbidden-keys');
  const protectedKeys = keyList('protected-keys');
  const both = (a: Set<string>, b: Set<string> | undefined): string[] => [...a].filter((k) => b?.has(k));
  const forbiddenSecrets = both(forbiddenKeys, secretKeys);
  inputs.check(
    forbiddenSecrets.length === 0,
    'secret-keys',
    `lists ${forbiddenSecrets.join(', ')}, which forbidden-keys forbids.`,
  );
  const protectedSecrets = both(protectedKeys, secretKeys);
  inputs.check(
    protectedSecrets.length === 0,
    'secret-keys',
    `lists ${protectedSecrets.join(', ')}, which protected-keys says must come from vars.`,
  );
  const checkImages =
    verifiedImages.length > 0 ||
    allowImages.length > 0 ||
    inputs.has('verified-images') ||
    inputs.has('allow-images');
  inputs.check(
    hasCompose || !checkImages,
    'verified-images',
    'needs compose-file: the images to check are read from it.',
  );
  const outputPath = resolve(workspace, output);
  inputs.check(
    !existsSync(outputPath) || statSync(outputPath).isFile(),
    'output',
    `'${output}' exists and is not a file.`,
  );
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

function readInputFile(
  inputs: InputReader,
  input: string,
  path: string,
  workspace: string,
): NamedText | undefined {
  try {
    return { name: path, text: readFileSync(resolve(workspace, path), 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    inputs.problem(
      input,
      code === 'ENOENT'
        ? `'${path}' does not exist (paths are relative to the workspace).`
        : `'${path}' cannot be read (${code}).`,
    );
    return undefined;
  }
}

function collectStrings(value: unknown): string[] {
  if (typeof value === 'string') return value === '' ? [] : [value];
  // Short numbers and booleans are not secrets worth hiding ("1", "true" are everywhere).
  if (typeof value === 'number') return String(value).length >= 4 ? [String(value)] : [];
  if (Array.isArray(value)) return value.flatMap(collectStrings);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(collectStrings);
  return [];
}
