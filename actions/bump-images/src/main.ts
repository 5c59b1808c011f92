import type { ActionContext, ActionDefinition } from '@deploy-actions/action-kit';
import { bumpBody, bumpImages, gitHubClient, runUrl } from '@deploy-actions/github';
import { imageEdit } from './edit.js';
import { readSettings } from './settings.js';

export const action: ActionDefinition = {
  name: 'bump-images',
  untouched: 'No branch or pull request was changed.',
  async main({ inputs, log, summary, setOutput, env }: ActionContext) {
    const settings = readSettings(inputs);
    inputs.finish();
    const client = gitHubClient(settings.token);
    const where = `${settings.repository.owner}/${settings.repository.repo}`;
    const source =
      env['GITHUB_REPOSITORY'] && env['GITHUB_SHA']
        ? `${env['GITHUB_REPOSITORY']}@${env['GITHUB_SHA']}`
        : undefined;
    const run = runUrl(env);

    const result = await bumpImages(
      client,
      {
        repository: settings.repository,
        environment: settings.environment,
        file: settings.file,
        edit: imageEdit(
          settings.images,
          `${settings.file} in ${where}${settings.base ? `@${settings.base}` : ''}`,
        ),
        ...(settings.base ? { base: settings.base } : {}),
        branch: settings.branch,
        title: settings.title,
        commitMessage: `${settings.title}\n\nChanged by deploy-actions bump-images: ${[...settings.images.keys()].join(', ')} in ${settings.file}.`,
        body: (changes) =>
          bumpBody({
            environment: settings.environment,
            repositoryFile: settings.file,
            changes,
            ...(settings.signature ? { signature: settings.signature } : {}),
            ...(settings.plan ? { plan: settings.plan } : {}),
            ...(source ? { source } : {}),
            ...(run ? { runUrl: run } : {}),
          }),
      },
      log,
    );

    setOutput('outcome', result.outcome);
    setOutput('branch', settings.branch);
    setOutput('changed', result.changes.map((c) => c.key).join(','));
    setOutput('pull-request-number', result.pullRequest?.number ?? '');
    setOutput('pull-request-url', result.pullRequest?.url ?? '');
    setOutput('commit', result.commit ?? '');

    summary.heading(
      result.pullRequest
        ? `bump-images: ${settings.environment} — pull request #${result.pullRequest.number} ${result.outcome}`
        : `bump-images: ${settings.environment} — already up to date`,
      3,
    );
    if (result.pullRequest)
      summary.paragraph(
        `[${where}#${result.pullRequest.number}](${result.pullRequest.url}) on branch \`${settings.branch}\` into \`${result.base}\`.`,
      );
    summary.table(
      ['key', 'from', 'to'],
      [
        ...result.changes.map((c) => [c.key, c.from ?? '(unset)', c.to]),
        ...result.unchanged.map((key) => [key, 'unchanged', settings.images.get(key)!]),
      ],
    );
  },
};
