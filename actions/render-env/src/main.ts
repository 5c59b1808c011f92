import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import {
  errorMessage,
  InputError,
  secretRedactor,
  UserError,
  type ActionContext,
  type ActionDefinition,
} from '@deploy-actions/action-kit';
import { renderEnvFile, shownValue, type RenderEnvCheck } from '@deploy-actions/compose-env';
import { readSettings, type RenderEnvSettings } from './settings.js';

const STATE_ENV_FILE = 'env-file';
const STATE_EXISTED = 'env-file-existed';
const STATE_BACKUP = 'env-file-backup';
const STATE_MODE = 'env-file-mode';
const STATE_TEMP = 'env-file-temp';

export const action: ActionDefinition = {
  name: 'render-env',
  untouched: 'Nothing was written.',
  async main(ctx: ActionContext) {
    const workspace = ctx.env['GITHUB_WORKSPACE'] || process.cwd();
    const settings = readSettings(ctx.inputs, workspace);
    const redact = secretRedactor(settings.secretValues);
    try {
      ctx.inputs.finish();
      const file = await renderEnvFile(settings, ctx.log, {
        checked: (check) => writeSummary(ctx, settings, check, workspace, redact),
        beforeWrite: (temp) => {
          if (!settings.keep) recordForPost(ctx, settings.output, temp);
        },
      });
      ctx.setOutput('env-file', file.path);
      ctx.setOutput('keys', file.keys.join('\n'));
      ctx.setOutput('sha256', file.sha256);
      if (file.composeConfig !== undefined) ctx.setOutput('compose-config', file.composeConfig);
    } catch (error) {
      // A secret can reach a message through interpolation (`${X:?${SECRET}}`); none leaves.
      if (!(error instanceof UserError)) throw error;
      const message = redact(error.message);
      // Bad inputs (rethrown as they came) get runAction's standard summary.
      const standard = error instanceof InputError && message === error.message;
      if (ctx.summary.toMarkdown() === '' && !standard)
        ctx.summary.heading('render-env failed').code(message);
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

function writeSummary(
  ctx: ActionContext,
  settings: RenderEnvSettings,
  { rendered, findings, unpinned }: RenderEnvCheck,
  workspace: string,
  redact: (text: string) => string,
): void {
  const { summary } = ctx;
  const where = relative(workspace, settings.output) || basename(settings.output);
  summary.heading('render-env');
  summary.paragraph(`${rendered.values.size} keys rendered to \`${where}\` (${settings.format}, mode 0600).`);
  const rows = [...rendered.values].map(([key, v]) => {
    const shown = shownValue(key, v, settings.secretValues);
    const value = v.secret
      ? '(secret, hidden)'
      : shown === undefined
        ? '(hidden)'
        : shown === ''
          ? '(empty)'
          : shown;
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
    summary.table(
      ['Service', 'Problem'],
      unpinned.map((u) => [u.service, redact(u.problem)]),
    );
  }
  if (settings.policy !== 'none') {
    summary.heading(`Policy (${settings.policy}): ${findings.length} finding(s)`, 3);
    if (findings.length > 0) {
      summary.table(
        ['Service', 'Rule', 'Finding', 'Fix'],
        findings.map((f) => [f.service, f.rule, redact(f.message), redact(f.fix)]),
      );
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
    throw new UserError(
      'output-failed',
      `Input 'output': cannot keep a copy of the existing ${output}: ${errorMessage(error)}`,
    );
  }
}
