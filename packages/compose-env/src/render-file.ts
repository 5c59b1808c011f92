import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorMessage, secretRedactor, UserError, type Logger } from '@deploy-actions/action-kit';
import {
  findUnpinnedImages,
  formatComposeConfig,
  loadComposeConfig,
  ComposeFileError,
  type ComposeConfig,
  type UnpinnedImage,
} from './compose.js';
import { formatDotenv, formatJson } from './format.js';
import { checkImages, type ImageProblem, type ImageReference } from './images.js';
import { checkPolicy, type PolicyFinding } from './policy.js';
import {
  EnvLayerError,
  LayerRuleError,
  MissingKeysError,
  renderEnv,
  type NamedText,
  type RenderEnvResult,
} from './render.js';

// render-env's whole job: render the env from its layers, check the compose file(s) against
// it, then write the file (mode 0600 from its first byte). Errors name the action's inputs.

/** What to render and check, validated (render-env's settings). */
export interface RenderEnvFileOptions {
  template: NamedText | undefined;
  envFiles: NamedText[];
  vars: Map<string, string>;
  secrets: Record<string, unknown>;
  /** Every string in `secrets`, taken or not: kept out of every message. */
  secretValues: string[];
  output: string;
  format: 'dotenv' | 'json';
  composeFiles: NamedText[];
  requireDigest: boolean;
  policy: 'none' | 'recommended' | 'strict';
  deployOnly: boolean;
  dataRoot: string | undefined;
  /** `target`: where the stack runs; `swarm` adds the swarm rules to the policy. */
  target?: 'compose' | 'swarm';
  /** `verified-images`: references pinned by digest; with `allow-images`, turns the image check on. */
  verifiedImages: ImageReference[];
  allowImages: ImageReference[];
  /** Set when either `verified-images` or `allow-images` is given. */
  checkImages: boolean;
  /** `secret-keys`: the only keys of `secrets` used; undefined keeps the template rule. */
  secretKeys: Set<string> | undefined;
  forbiddenKeys: Set<string>;
  protectedKeys: Set<string>;
}

/** What was checked, before the verdict (for the job summary, which is written pass or fail). */
export interface RenderEnvCheck {
  rendered: RenderEnvResult;
  findings: PolicyFinding[];
  unpinned: UnpinnedImage[];
}

export interface RenderEnvFileHooks {
  /** Called once everything is checked, before a failing check throws and before anything is written. */
  checked?(check: RenderEnvCheck): void;
  /** Called with the temp file's path just before its first byte is written (it holds the secrets too). */
  beforeWrite?(temp: string): void;
}

export interface RenderedEnvFile {
  path: string;
  keys: string[];
  /** HMAC-SHA256 of the content under a random key of this run: says nothing about the values. */
  sha256: string;
  rendered: RenderEnvResult;
  /** The interpolated compose model, secrets as `${NAME}` references; set when compose files were given. */
  composeConfig?: string;
}

/**
 * Renders the env file from template, env files, vars and secrets; interpolates and checks the
 * compose file(s) (verified images, digests, policy); writes the file. Throws a UserError naming
 * the input to fix; nothing is written unless every check passed.
 */
export async function renderEnvFile(
  settings: RenderEnvFileOptions,
  log: Logger,
  hooks: RenderEnvFileHooks = {},
): Promise<RenderedEnvFile> {
  const redact = secretRedactor(settings.secretValues);
  const unsetInEnvFiles = new Map<string, Set<string>>();
  const rendered = await log.group('Render the env from its layers', async () => {
    const result = render(settings, (name, file) => addTo(unsetInEnvFiles, name, file));
    describeLayers(log, settings, result);
    return result;
  });
  for (const stale of rendered.staleReads) {
    log.warning(
      redact(
        `${stale.file} uses ${stale.variable} in a value before ${stale.changedBy} set it: compose reads env files ` +
          'in order, so the value was built with the earlier one. Reference the variable in the compose file instead, ' +
          'or set the value in a later layer.',
      ),
    );
  }
  for (const [name, files] of unsetInEnvFiles) {
    log.warning(
      redact(
        `The variable ${name} is not set (used in ${[...files].join(', ')}); it defaults to a blank string.`,
      ),
    );
  }
  const env = new Map([...rendered.values].map(([k, v]) => [k, v.value]));

  let compose: ComposeConfig | undefined;
  let findings: PolicyFinding[] = [];
  let unpinned: UnpinnedImage[] = [];
  if (settings.composeFiles.length > 0) {
    compose = await log.group('Interpolate the compose file(s)', async () =>
      loadCompose(settings, env, log, redact),
    );
    if (settings.requireDigest) unpinned = findUnpinnedImages(compose.model);
    if (settings.checkImages) {
      const problems = checkImages(compose.model, {
        verified: settings.verifiedImages,
        allow: settings.allowImages,
      });
      if (problems.length > 0) throw imagesError(problems, settings, redact);
      log.info(
        `Every image is in verified-images or allowed by allow-images (${Object.keys(compose.model.services ?? {}).length} services).`,
      );
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
    throw new UserError(
      'image-not-pinned',
      `require-digest: ${unpinned.length} image(s) are not pinned by @sha256: digest:\n` +
        unpinned.map((u) => `  - ${u.service} ${u.problem}`).join('\n') +
        "\nPin them (e.g. APP_IMAGE=registry/app@sha256:... from verify-signature's image-ref output).",
    );
  }
  reportFindings(log, settings, findings, redact);

  const content = settings.format === 'json' ? formatJson(env) : formatDotenv(env);
  const temp = join(dirname(settings.output), `.${basename(settings.output)}.${process.pid}.tmp`);
  // Told before the first byte is written, so a cancelled step is cleaned up too.
  hooks.beforeWrite?.(temp);
  writePrivateFile(settings.output, temp, content);
  // Never a plain hash: over a file holding secrets it lets a weak secret be guessed offline.
  // Keyed with a random key of this run, it says nothing about the values.
  const sha256 = createHmac('sha256', randomBytes(32)).update(content).digest('hex');
  log.info(`Wrote ${env.size} keys to ${settings.output} (${settings.format}, mode 0600).`);

  let composeConfig: string | undefined;
  if (compose) {
    // Secrets stay `${NAME}` references: the output is readable in logs, and resolves against the env file.
    const references = new Map<string, string>();
    for (const [key, value] of rendered.values) if (value.secret) references.set(value.value, key);
    for (const value of settings.secretValues) if (!references.has(value)) references.set(value, 'REDACTED');
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

function render(
  settings: RenderEnvFileOptions,
  onUnset: (name: string, file: string) => void,
): RenderEnvResult {
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
  } catch (error) {
    if (error instanceof MissingKeysError) {
      throw new UserError(
        'missing-required-keys',
        `Input 'template' (${settings.template?.name}): ${error.message}`,
      );
    }
    if (error instanceof LayerRuleError)
      throw new UserError(error.code, `Input '${error.input}': ${error.message}`);
    if (error instanceof EnvLayerError) {
      const input =
        error.file === settings.template?.name ? 'template' : error.file === 'vars' ? 'vars' : 'env-files';
      throw new UserError('invalid-env-file', `Input '${input}': ${error.message}`);
    }
    throw error;
  }
}

function imagesError(
  problems: ImageProblem[],
  settings: RenderEnvFileOptions,
  redact: (text: string) => string,
): UserError {
  const inputs = settings.allowImages.length > 0 ? "'verified-images' / 'allow-images'" : "'verified-images'";
  return new UserError(
    'image-not-verified',
    redact(
      `Input ${inputs}: ${problems.length} service(s) would run an image that was not verified:\n` +
        problems.map((p) => `  - service ${p.service} ${p.problem}`).join('\n') +
        '\nDeploy the digest verify-signature proved (its image-ref output), or list the image in allow-images.',
    ),
  );
}

function describeLayers(log: Logger, settings: RenderEnvFileOptions, result: RenderEnvResult): void {
  const count = (predicate: (source: string, file?: string) => boolean): number =>
    [...result.values.values()].filter((v) => predicate(v.source, v.file)).length;
  if (settings.template) {
    const required = result.template.filter((t) => t.required).length;
    log.info(`template ${settings.template.name}: ${result.template.length} keys, ${required} required`);
  }
  for (const file of settings.envFiles)
    log.info(`env-file ${file.name}: ${count((s, f) => s === 'env-file' && f === file.name)} keys win`);
  if (settings.vars.size > 0) log.info(`vars: ${settings.vars.size} keys`);
  const taken = count((s) => s === 'secrets');
  const offered = Object.keys(settings.secrets).length;
  if (settings.secretKeys) {
    // The others are not named, not even counted: secret-keys is the whole story.
    log.info(`secrets: ${taken} taken (the keys secret-keys lists)`);
    const absent = [...settings.secretKeys].filter((k) => !Object.hasOwn(settings.secrets, k));
    if (absent.length > 0) log.notice(`secret-keys lists ${absent.join(', ')}, but secrets has no such key.`);
  } else if (offered > 0) {
    log.info(`secrets: ${taken} of ${offered} taken (the keys the template declares)`);
  }
}

function loadCompose(
  settings: RenderEnvFileOptions,
  env: Map<string, string>,
  log: Logger,
  redact: (text: string) => string,
): ComposeConfig {
  const unset = new Map<string, Set<string>>();
  try {
    const config = loadComposeConfig(settings.composeFiles, (k) => env.get(k), {
      onUnset: (name, file, path) => addTo(unset, name, `${file} ${path}`),
    });
    for (const [name, places] of unset) {
      log.warning(
        redact(
          `The ${name} variable is not set (used in ${[...places].join(', ')}); compose defaults it to a blank string.`,
        ),
      );
    }
    log.info(
      `${settings.composeFiles.map((f) => f.name).join(', ')}: ${Object.keys(config.model.services ?? {}).length} services resolve.`,
    );
    return config;
  } catch (error) {
    if (error instanceof ComposeFileError)
      throw new UserError(error.code, `Input 'compose-file': ${error.message}`);
    throw error;
  }
}

function reportFindings(
  log: Logger,
  settings: RenderEnvFileOptions,
  findings: PolicyFinding[],
  redact: (text: string) => string,
): void {
  if (findings.length === 0) {
    if (settings.policy !== 'none') log.info(`policy ${settings.policy}: no findings.`);
    return;
  }
  const line = (f: PolicyFinding): string => redact(`${f.service}: ${f.message} Fix: ${f.fix}`);
  if (settings.policy === 'recommended') {
    // One annotation per rule: the runner shows at most 10 warnings of a step.
    const rules = [...new Set(findings.map((f) => f.rule))];
    for (const rule of rules) {
      log.warning(
        findings
          .filter((f) => f.rule === rule)
          .map(line)
          .join('\n'),
        { title: `policy ${rule}` },
      );
    }
    return;
  }
  throw new UserError(
    'policy-failed',
    `policy strict: ${findings.length} finding(s):\n${findings.map((f) => `  - [${f.rule}] ${line(f)}`).join('\n')}`,
  );
}

/** Writes the file with mode 0600 from its first byte: a temp file beside it, then a rename. */
function writePrivateFile(path: string, temp: string, content: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(temp)) rmSync(temp);
    writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    throw new UserError('output-failed', `Input 'output': cannot write ${path}: ${errorMessage(error)}`);
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}
