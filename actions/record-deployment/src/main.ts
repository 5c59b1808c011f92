import type { ActionContext, ActionDefinition } from '@deploy-actions/action-kit';
import {
  ROLLBACK_TASK,
  finishDeployment,
  gitHubClient,
  recordRollback,
  runUrl,
  startDeployment,
} from '@deploy-actions/github';
import { readSettings } from './settings.js';

export const action: ActionDefinition = {
  name: 'record-deployment',
  untouched: 'No deployment was recorded.',
  async main({ inputs, log, summary, setOutput, env }: ActionContext) {
    const settings = readSettings(inputs, env);
    inputs.finish();
    const client = gitHubClient(settings.token);
    const logUrl = runUrl(env);
    const where = `${settings.repository.owner}/${settings.repository.repo}`;

    if (settings.step === 'start') {
      const deployment = await startDeployment(
        client,
        {
          repository: settings.repository,
          environment: settings.environment,
          ref: settings.ref,
          task: settings.rollback ? ROLLBACK_TASK : 'deploy',
          transient: settings.transient,
          ...(settings.production === undefined ? {} : { production: settings.production }),
          ...(settings.description ? { description: settings.description } : {}),
          ...(settings.payload ? { payload: settings.payload } : {}),
          ...(logUrl ? { logUrl } : {}),
        },
        log,
      );
      setOutput('deployment-id', deployment.id);
      summary
        .heading(`record-deployment: ${settings.environment} in progress`, 3)
        .table(
          ['deployment', 'environment', 'ref', 'task'],
          [
            [
              `${where} #${deployment.id}`,
              settings.environment,
              settings.ref,
              settings.rollback ? ROLLBACK_TASK : 'deploy',
            ],
          ],
        );
      return;
    }

    const id = settings.deploymentId!;
    setOutput('deployment-id', id);
    const { inactive } = await finishDeployment(
      client,
      {
        repository: settings.repository,
        environment: settings.environment,
        deploymentId: id,
        state: settings.status!,
        ...(settings.description ? { description: settings.description } : {}),
        ...(settings.environmentUrl ? { environmentUrl: settings.environmentUrl } : {}),
        ...(logUrl ? { logUrl } : {}),
      },
      log,
    );
    setOutput('inactive', inactive.join(','));
    const rows: string[][] = [[`${where} #${id}`, settings.status!, settings.description ?? '']];
    if (settings.rollback) {
      const rollback = await recordRollback(
        client,
        {
          repository: settings.repository,
          environment: settings.environment,
          failedDeploymentId: id,
          ...(settings.restoredRelease ? { release: settings.restoredRelease } : {}),
          ...(settings.environmentUrl ? { environmentUrl: settings.environmentUrl } : {}),
          ...(logUrl ? { logUrl } : {}),
        },
        log,
      );
      if (rollback) {
        setOutput('rollback-deployment-id', rollback.id);
        rows.push([
          `${where} #${rollback.id}`,
          'success',
          `${ROLLBACK_TASK}: restores deployment #${rollback.restores}`,
        ]);
      }
    }
    summary
      .heading(
        `record-deployment: ${settings.environment} ${settings.status!}${settings.rollback ? ', rolled back' : ''}`,
        3,
      )
      .table(['deployment', 'status', 'description'], rows);
  },
};
