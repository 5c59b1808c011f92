import {
  escapeMarkdown,
  UserError,
  type ActionContext,
  type SummaryBuilder,
} from '@deploy-actions/action-kit';
import {
  checkHosts,
  planHosts,
  type Bundle,
  type HostDrift,
  type HostPlan,
  type ServicePlan,
} from '@deploy-actions/deploy';
import type { SshConnection } from '@deploy-actions/ssh';
import type { ActionSettings } from './settings.js';

type Connector = { hosts: string[]; connect: (host: string) => Promise<SshConnection> };

const code = (text: string): { raw: string } => ({ raw: text ? `\`${text.replace(/`/g, "'")}\`` : '' });
const shortDigest = (d: string | undefined): string => (d ? d.replace(/^sha256:/, '').slice(0, 12) : '');

function imageCell(image: ServicePlan['old']): { raw: string } {
  if (!image) return { raw: '—' };
  return { raw: `${code(image.image).raw}${image.digest ? ` (${shortDigest(image.digest)})` : ''}` };
}

const list = (items: readonly string[], max = 20): string =>
  items.length === 0
    ? '—'
    : items
        .slice(0, max)
        .map((i) => `\`${i.replace(/`/g, "'")}\``)
        .join(', ') + (items.length > max ? ` and ${items.length - max} more` : '');

function writePlanSummary(
  summary: SummaryBuilder,
  settings: ActionSettings,
  plans: readonly HostPlan[],
): void {
  const d = settings.deploy;
  summary.heading('ssh-deploy plan (nothing changed)');
  summary.paragraph(
    `What deploying release \`${d.origin.id}\` of \`${d.origin.commit.slice(0, 12) || 'local'}\` to \`${d.remoteDir}\` would change, per host.`,
  );
  summary.table(
    ['host', 'current → new', 'services changed', 'restarts', 'env keys (+ − ~)', 'migrations', 'problems'],
    plans.map((p) => [
      p.host,
      p.error ? 'could not plan' : `${p.current ?? 'none'} → ${p.release}`,
      p.services.filter((s) => s.change !== 'unchanged').length,
      p.restarts.join(', ') || '—',
      `+${p.env.added.length} −${p.env.removed.length} ~${p.env.changed.length}`,
      p.migrations.runs ? `run${p.migrations.imageChanged === false ? ' (migrator unchanged)' : ''}` : 'no',
      p.problems.length,
    ]),
  );
  for (const p of plans) {
    summary.heading(`${escapeMarkdown(p.host)}`, 3);
    if (p.error) {
      summary.paragraph(escapeMarkdown(p.error));
      continue;
    }
    summary.paragraph(
      `Strategy \`${p.strategy}\`${p.compose.flavour ? `, compose ${p.compose.flavour}` : ''}; steps: ${p.steps.join(' → ')}.`,
    );
    if (p.services.length)
      summary.table(
        ['service', 'change', 'image now', 'image after', 'restarts'],
        p.services.map((s) => [
          s.service,
          `${s.change}${s.why ? ` (${s.why})` : ''}`,
          imageCell(s.old),
          imageCell(s.new),
          s.restarts ? 'yes' : 'no',
        ]),
      );
    const rows: [string, { raw: string }][] = [
      ['env keys added', { raw: list(p.env.added) }],
      ['env keys removed', { raw: list(p.env.removed) }],
      ['env keys changed', { raw: list(p.env.changed) }],
      ['env keys the plan cannot see', { raw: list(p.env.unknown) }],
      [
        'files shipped',
        {
          raw: `${p.files.shipped} (new: ${list(p.files.added)}; changed: ${list(p.files.changed)}; ${p.files.unchanged} unchanged)`,
        },
      ],
      ['files removed', { raw: list(p.files.removed) }],
      ['kept: changed on the host', { raw: list(p.files.keptChanged) }],
      ['preserved: the host keeps its own', { raw: list(p.files.preservedSkipped) }],
      ['images to pull', { raw: list(p.images.toPull) }],
    ];
    summary.table(['what', 'detail'], rows);
    if (p.problems.length) summary.heading('Problems', 4).list(p.problems.map(escapeMarkdown));
    if (p.notes.length) summary.list(p.notes.map(escapeMarkdown));
    summary.details(
      'The steps the run executes',
      p.stepLines.map((l) => `1. ${escapeMarkdown(l)}`).join('\n'),
    );
  }
}

export async function runPlan(
  { log, summary, setOutput }: ActionContext,
  settings: ActionSettings,
  bundle: Bundle,
  { hosts, connect }: Connector,
): Promise<void> {
  log.info(
    `Planning release ${settings.deploy.origin.id} on ${hosts.join(', ')}: nothing is changed, no lock taken`,
  );
  const plans = await planHosts({
    hosts,
    connect,
    settings: settings.deploy,
    bundle,
    parallel: settings.parallel,
    log,
  });
  writePlanSummary(summary, settings, plans);
  setOutput('plan', JSON.stringify(plans));
  setOutput('release-id', settings.deploy.origin.id);
  setOutput(
    'hosts',
    JSON.stringify(
      plans.map((p) => ({
        host: p.host,
        status: p.error ? 'failed' : 'planned',
        release: p.release,
        ...(p.current ? { previousRelease: p.current, running: p.current } : {}),
        rolledBack: false,
        durationMs: 0,
        ...(p.error ? { error: p.error, errorCode: p.errorCode } : {}),
      })),
    ),
  );
  const failed = plans.find((p) => p.error);
  if (failed)
    throw new UserError(failed.errorCode ?? 'internal', `${failed.host}: could not plan: ${failed.error}`);
}

function writeDriftSummary(
  summary: SummaryBuilder,
  settings: ActionSettings,
  drifts: readonly HostDrift[],
): void {
  const drifted = drifts.filter((x) => !x.clean).length;
  summary.heading(drifted ? `ssh-deploy check: ${drifted} host(s) drifted` : 'ssh-deploy check: no drift');
  summary.paragraph(
    `Each host of \`${settings.deploy.remoteDir}\` against the release it records as current.`,
  );
  summary.table(
    ['host', 'release', 'state', 'differences'],
    drifts.map((x) => [
      x.host,
      x.release ?? 'none',
      x.error ? 'could not check' : x.clean ? 'clean' : 'drifted',
      x.error ? (x.error.split('\n')[0] ?? '') : x.items.length,
    ]),
  );
  for (const x of drifts.filter((y) => y.items.length))
    summary.heading(escapeMarkdown(x.host), 3).table(
      ['kind', 'service / file', 'detail'],
      x.items.map((i) => [i.kind, i.service ?? i.path ?? '', i.detail]),
    );
}

export async function runCheck(
  { log, summary, setOutput }: ActionContext,
  settings: ActionSettings,
  { hosts, connect }: Connector,
): Promise<void> {
  log.info(`Checking ${hosts.join(', ')} against their recorded releases: nothing is changed, no lock taken`);
  const drifts = await checkHosts({
    hosts,
    connect,
    settings: settings.deploy,
    parallel: settings.parallel,
    log,
  });
  writeDriftSummary(summary, settings, drifts);
  setOutput('drift', JSON.stringify(drifts));
  const drifted = drifts.filter((x) => !x.clean && !x.error);
  setOutput('drifted', drifted.length > 0);
  const failed = drifts.find((x) => x.error);
  if (failed)
    throw new UserError(failed.errorCode ?? 'internal', `${failed.host}: could not check: ${failed.error}`);
  if (drifted.length && settings.failOnDrift) {
    throw new UserError(
      'drift',
      `${drifted.length} of ${drifts.length} host(s) no longer match their recorded release: ` +
        drifted.map((x) => `${x.host}: ${x.items.map((i) => i.detail).join('; ')}`).join(' | ') +
        '. Deploy again to put the release back, or set fail-on-drift: false to only report.',
    );
  }
}
