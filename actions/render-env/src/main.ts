import { createHmac, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { secretRedactor, UserError, type ActionContext, type ActionDefinition } from '@deploy-actions/action-kit';
import {
  checkImages,
  checkPolicy,
  ComposeFileError,
  EnvLayerError,
  LayerRuleError,
  findUnpinnedImages,
  formatComposeConfig,
  formatDotenv,
  formatJson,
  loadComposeConfig,
  MissingKeysError,
  renderEnv,
  shownValue,
  type ComposeConfig,
  type ImageProblem,
  type PolicyFinding,
  type RenderEnvResult,
  type UnpinnedImage,
} from '@deploy-actions/compose-env';
import { readSettings, type RenderEnvSettings } from './settings.js';

const STATE_ENV_FILE = 'env-file';
const STATE_EXISTED = 'env-file-existed';
const STATE_BACKUP = 'env-file-backup';
const STATE_MODE = 'env-file-mode';
const STATE_TEMP = 'env-file-temp';

export const action: ActionDefinition = {
  name: 'render-env',
  async main(ctx: ActionContext) {
    const workspace = ctx.env['GITHUB_WORKSPACE'] || process.cwd();
    const settings = readSettings(ctx.inputs, workspace);
    const redact = secretRedactor(settings.secretValues);
    try {
      ctx.inputs.finish();
      await renderAndCheck(ctx, settings, workspace, redact);
    } catch (error) {
      // A secret can reach a message through interpolation (`${X:?${SECRET}}`); none leaves.
      if (!(error instanceof UserError)) throw error;
      const message = redact(error.message);
      if (ctx.summary.toMarkdown() === '') ctx.summary.heading('render-env failed').code(message);
      // Rethrown as it came when nothing was redacted, so an InputError keeps its list of problems.
      throw message === error.message ? error : new UserError(error.code, message);
    }
  },
  async post({ getState, log }: ActionContext) {
    const file = getState(STATE_ENV_FILE);
    if (file === '') return;
    // A step cancelled while writing leaves its temp file: it holds the secrets too.
    const temp = getState(STATE_TEMP);
    if (temp !== '') rmSync(temp, { force: true });
    if (getState(STATE_EXISTED) !== 'true') {
      rmSync(file, { force: true });
      log.info(`Removed the rendered env file ${file} (set keep: true to keep it).`);
      return;
    }
    // The file was there before the step: never delete it, put back what it held.
    const backup = getState(STATE_BACKUP);
    if (backup === '' || !existsSync(backup)) {
      log.warning(`${file} existed before the step and its saved copy is gone: left as the step wrote it.`);
      return;
    }
    copyFileSync(backup, file);
    chmodSync(file, parseInt(getState(STATE_MODE) || '600', 8));
    rmSync(dirname(backup), { recursive: true, force: true });
    log.info(`Put back the file that was at ${file} before the step (the rendered env is gone from it).`);
  },
};

async function renderAndCheck(
  ctx: ActionContext,
  settings: RenderEnvSettings,
  workspace: string,
  redact: (text: string) => string,
): Promise<void> {
  const { log } = ctx;
  const unsetInEnvFiles = new Map<string, Set<string>>();
  const rendered = await log.group('Render the env from its layers', async () => {
    const result = render(settings, (name, file) => addTo(unsetInEnvFiles, name, file));
    describeLayers(ctx, settings, result);
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
    log.warning(redact(`The variable ${name} is not set (used in ${[...files].join(', ')}); it defaults to a blank string.`));
  }
  const env = new Map([...rendered.values].map(([k, v]) => [k, v.value]));

  let compose: ComposeConfig | undefined;
  let findings: PolicyFinding[] = [];
  let unpinned: UnpinnedImage[] = [];
  if (settings.composeFiles.length > 0) {
    compose = await log.group('Interpolate the compose file(s)', async () => loadCompose(settings, env, ctx, redact));
    if (settings.requireDigest) unpinned = findUnpinnedImages(compose.model);
    if (settings.checkImages) {
      const problems = checkImages(compose.model, { verified: settings.verifiedImages, allow: settings.allowImages });
      if (problems.length > 0) throw imagesError(problems, settings, redact);
      log.info(`Every image is in verified-images or allowed by allow-images (${Object.keys(compose.model.services ?? {}).length} services).`);
    }
    if (settings.policy !== 'none') {
      findings = checkPolicy(compose.model, {
        env,
        deployOnly: settings.deployOnly,
        ...(settings.dataRoot ? { dataRoot: settings.dataRoot } : {}),
      });
    }
  }

  writeSummary(ctx, settings, rendered, findings, unpinned, workspace, redact);
  if (unpinned.length > 0) {
    throw new UserError(
      'image-not-pinned',
      `require-digest: ${unpinned.length} image(s) are not pinned by @sha256: digest:\n` +
        unpinned.map((u) => `  - ${u.service} ${u.problem}`).join('\n') +
        '\nPin them (e.g. APP_IMAGE=registry/app@sha256:... from verify-signature\'s image-ref output).',
    );
  }
  reportFindings(ctx, settings, findings, redact);

  const content = settings.format === 'json' ? formatJson(env) : formatDotenv(env);
  const temp = join(dirname(settings.output), `.${basename(settings.output)}.${process.pid}.tmp`);
  // Recorded before the first byte is written, so a cancelled step is cleaned up too.
  if (!settings.keep) recordForPost(ctx, settings.output, temp);
  writePrivateFile(settings.output, temp, content);
  // Never a plain hash: over a file holding secrets it lets a weak secret be guessed offline.
  // Keyed with a random key of this run, it says nothing about the values.
  const sha256 = createHmac('sha256', randomBytes(32)).update(content).digest('hex');
  log.info(`Wrote ${env.size} keys to ${settings.output} (${settings.format}, mode 0600).`);

  ctx.setOutput('env-file', settings.output);
  ctx.setOutput('keys', [...env.keys()].join('\n'));
  ctx.setOutput('sha256', sha256);
  if (compose) {
    // Secrets stay `${NAME}` references: the output is readable in logs, and resolves against the env file.
    const references = new Map<string, string>();
    for (const [key, value] of rendered.values) if (value.secret) references.set(value.value, key);
    for (const value of settings.secretValues) if (!references.has(value)) references.set(value, 'REDACTED');
    ctx.setOutput('compose-config', formatComposeConfig(compose.model, { references }));
  }
}

function render(settings: RenderEnvSettings, onUnset: (name: string, file: string) => void): RenderEnvResult {
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
      throw new UserError('missing-required-keys', `Input 'template' (${settings.template?.name}): ${error.message}`);
    }
    if (error instanceof LayerRuleError) throw new UserError(error.code, `Input '${error.input}': ${error.message}`);
    if (error instanceof EnvLayerError) {
      const input = error.file === settings.template?.name ? 'template' : error.file === 'vars' ? 'vars' : 'env-files';
      throw new UserError('invalid-env-file', `Input '${input}': ${error.message}`);
    }
    throw error;
  }
}

function imagesError(problems: ImageProblem[], settings: RenderEnvSettings, redact: (text: string) => string): UserError {
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

function describeLayers(ctx: ActionContext, settings: RenderEnvSettings, result: RenderEnvResult): void {
  const { log } = ctx;
  const count = (predicate: (source: string, file?: string) => boolean): number =>
    [...result.values.values()].filter((v) => predicate(v.source, v.file)).length;
  if (settings.template) {
    const required = result.template.filter((t) => t.required).length;
    log.info(`template ${settings.template.name}: ${result.template.length} keys, ${required} required`);
  }
  for (const file of settings.envFiles) log.info(`env-file ${file.name}: ${count((s, f) => s === 'env-file' && f === file.name)} keys win`);
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
  settings: RenderEnvSettings,
  env: Map<string, string>,
  ctx: ActionContext,
  redact: (text: string) => string,
): ComposeConfig {
  const unset = new Map<string, Set<string>>();
  try {
    const config = loadComposeConfig(settings.composeFiles, (k) => env.get(k), {
      onUnset: (name, file, path) => addTo(unset, name, `${file} ${path}`),
    });
    for (const [name, places] of unset) {
      ctx.log.warning(redact(`The ${name} variable is not set (used in ${[...places].join(', ')}); compose defaults it to a blank string.`));
    }
    ctx.log.info(`${settings.composeFiles.map((f) => f.name).join(', ')}: ${Object.keys(config.model.services ?? {}).length} services resolve.`);
    return config;
  } catch (error) {
    if (error instanceof ComposeFileError) throw new UserError(error.code, `Input 'compose-file': ${error.message}`);
    throw error;
  }
}

function reportFindings(
  ctx: ActionContext,
  settings: RenderEnvSettings,
  findings: PolicyFinding[],
  redact: (text: string) => string,
): void {
  if (findings.length === 0) {
    if (settings.policy !== 'none') ctx.log.info(`policy ${settings.policy}: no findings.`);
    return;
  }
  const line = (f: PolicyFinding): string => redact(`${f.service}: ${f.message} Fix: ${f.fix}`);
  if (settings.policy === 'recommended') {
    // One annotation per rule: the runner shows at most 10 warnings of a step.
    const rules = [...new Set(findings.map((f) => f.rule))];
    for (const rule of rules) {
      ctx.log.warning(findings.filter((f) => f.rule === rule).map(line).join('\n'), { title: `policy ${rule}` });
    }
    return;
  }
  throw new UserError(
    'policy-failed',
    `policy strict: ${findings.length} finding(s):\n${findings.map((f) => `  - [${f.rule}] ${line(f)}`).join('\n')}`,
  );
}

function writeSummary(
  ctx: ActionContext,
  settings: RenderEnvSettings,
  rendered: RenderEnvResult,
  findings: PolicyFinding[],
  unpinned: UnpinnedImage[],
  workspace: string,
  redact: (text: string) => string,
): void {
  const { summary } = ctx;
  const where = relative(workspace, settings.output) || basename(settings.output);
  summary.heading('render-env');
  summary.paragraph(`${rendered.values.size} keys rendered to \`${where}\` (${settings.format}, mode 0600).`);
  const rows = [...rendered.values].map(([key, v]) => {
    const shown = shownValue(key, v, settings.secretValues);
    const value = v.secret ? '(secret, hidden)' : shown === undefined ? '(hidden)' : shown === '' ? '(empty)' : shown;
    const source = v.source === 'env-file' ? `env-file ${v.file}` : v.source;
    return [key, value, source, v.description ?? ''].map((c) => redact(c));
  });
  if (rows.length > 0) summary.table(['Key', 'Value', 'Source', 'Description'], rows);
  if (rendered.ignoredSecrets.length > 0) {
    const text = `Ignored ${rendered.ignoredSecrets.length} secret(s) the template does not declare: ${rendered.ignoredSecrets.join(', ')}.`;
    summary.paragraph(redact(text));
    ctx.log.notice(redact(text));
  }
  if (rendered.undeclared.length > 0) {
    const text = `Keys not declared in the template: ${rendered.undeclared.join(', ')}. Document them in ${settings.template?.name}.`;
    summary.paragraph(redact(text));
    ctx.log.notice(redact(text));
  }
  if (unpinned.length > 0) {
    summary.heading('Images not pinned by digest', 3);
    summary.table(['Service', 'Problem'], unpinned.map((u) => [u.service, redact(u.problem)]));
  }
  if (settings.policy !== 'none') {
    summary.heading(`Policy (${settings.policy}): ${findings.length} finding(s)`, 3);
    if (findings.length > 0) {
      summary.table(['Service', 'Rule', 'Finding', 'Fix'], findings.map((f) => [f.service, f.rule, redact(f.message), redact(f.fix)]));
    }
  }
}

/**
 * Tells the post step what to clean up: the file, the temp file beside it, and whether the
 * file existed before (then a private copy is kept in RUNNER_TEMP to put back).
 */
function recordForPost(ctx: ActionContext, output: string, temp: string): void {
  ctx.saveState(STATE_ENV_FILE, output);
  ctx.saveState(STATE_TEMP, temp);
  const existed = existsSync(output);
  ctx.saveState(STATE_EXISTED, String(existed));
  if (!existed) return;
  try {
    const dir = mkdtempSync(join(ctx.env['RUNNER_TEMP'] || tmpdir(), 'render-env-'));
    const backup = join(dir, 'previous');
    copyFileSync(output, backup);
    chmodSync(backup, 0o600);
    ctx.saveState(STATE_MODE, (statSync(output).mode & 0o7777).toString(8));
    ctx.saveState(STATE_BACKUP, backup);
  } catch (error) {
    throw new UserError('output-failed', `Input 'output': cannot keep a copy of the existing ${output}: ${(error as Error).message}`);
  }
}

/** Writes the file with mode 0600 from its first byte: a temp file beside it, then a rename. */
function writePrivateFile(path: string, temp: string, content: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(temp)) rmSync(temp);
    writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
    renameSync(temp, path);
  } catch (error) {
    throw new UserError('output-failed', `Input 'output': cannot write ${path}: ${(error as Error).message}`);
  }
}

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key) ?? new Set<string>();
  set.add(value);
  map.set(key, set);
}

