import { errorMessage, isUserError, type Logger } from '@deploy-actions/action-kit';
import { readEachHost, type ReadEachHostOptions } from './read-each-host.js';
import { lastLines } from './remote-error.js';
import { chooseCompose } from './state.js';
import { composeFor } from './steps.js';
import type { ContainerInfo, HostReading } from './reading.js';

/** One way a host no longer matches its recorded release. */
export interface DriftItem {
  kind:
    | 'image'
    | 'missing'
    | 'stopped'
    | 'extra'
    | 'restarting'
    | 'unhealthy'
    | 'file'
    | 'env-file'
    | 'lock'
    | 'record';
  service?: string;
  path?: string;
  detail: string;
}

export interface HostDrift {
  host: string;
  /** The release the host records as current (none: nothing to compare with). */
  release?: string;
  clean: boolean;
  items: DriftItem[];
  /** The check could not run (connection, host): why. */
  error?: string;
  errorCode?: string;
}

const short = (id: string): string => id.replace(/^sha256:/, '').slice(0, 12);

/** Containers of long-running services (not `run --rm` one-offs). */
export function serviceContainers(reading: HostReading): ContainerInfo[] {
  return reading.containers.filter((c) => !c.oneoff && c.service !== '');
}

/**
 * Compares a host with its recorded release. `expected`: the services the release's
 * compose config runs (without the migrator); without it, missing and extra services
 * are not judged (a plan reads no compose config).
 */
export function computeDrift(host: string, reading: HostReading, expected?: readonly string[]): HostDrift {
  const items: DriftItem[] = [];
  const current = reading.state.current;
  if (reading.lock) {
    items.push({
      kind: 'lock',
      detail: `the host lock is held by ${reading.lock.text}${reading.lock.stale ? ' (stale: its holder’s time is up)' : ''}`,
    });
  }
  if (!current) {
    // Nothing to compare with is not "clean": never deployed here, or the wrong remote-dir.
    items.push({
      kind: 'record',
      detail:
        'no release is recorded as current here (.releases/current): never deployed, or another remote-dir',
    });
    return { host, clean: false, items };
  }
  if (reading.state.currentRecord !== 'ok')
    items.push({ kind: 'record', detail: `release ${current}'s record (files list and bundle) is gone` });
  if (reading.dockerError) items.push({ kind: 'record', detail: `docker: ${reading.dockerError}` });
  const containers = serviceContainers(reading);
  // Images: every running container's image must be one the release recorded.
  const recorded = reading.recordImages;
  if (recorded.length > 0) {
    for (const c of containers) {
      if (c.status !== 'running') continue;
      if (recorded.some((r) => r.id === c.imageId)) continue;
      const sameRef = recorded.find((r) => r.ref === c.ref);
      items.push({
        kind: 'image',
        service: c.service,
        detail: sameRef
          ? `${c.service} runs ${c.ref} as image ${short(c.imageId)}, but the release recorded ${short(sameRef.id)} for it (the tag was moved and the container recreated)`
          : `${c.service} runs ${c.ref} (${short(c.imageId)}), an image the release did not record`,
      });
    }
  }
  const byService = new Map<string, ContainerInfo[]>();
  for (const c of containers) byService.set(c.service, [...(byService.get(c.service) ?? []), c]);
  for (const [service, list] of byService) {
    for (const c of list) {
      if (c.status === 'restarting')
        items.push({
          kind: 'restarting',
          service,
          detail: `${c.name} is restarting (${c.restarts} restarts)`,
        });
      else if (c.status !== 'running' && (!expected || expected.includes(service)))
        items.push({ kind: 'stopped', service, detail: `${c.name} is ${c.status}` });
      else if (c.health === 'unhealthy')
        items.push({ kind: 'unhealthy', service, detail: `${c.name} is unhealthy` });
    }
  }
  if (expected) {
    for (const service of expected) {
      const list = byService.get(service) ?? [];
      if (list.length === 0) items.push({ kind: 'missing', service, detail: `${service} has no container` });
    }
    for (const service of byService.keys())
      if (!expected.includes(service))
        items.push({
          kind: 'extra',
          service,
          detail: `${service} runs but is not in the release's compose config`,
        });
  }
  const envPaths = new Set(reading.envRecord.map((e) => e.path));
  for (const w of reading.written) {
    if (w.state === 'same' || envPaths.has(w.path)) continue;
    items.push({
      kind: 'file',
      path: w.path,
      detail: `${w.path}, written by release ${current}, is ${w.state === 'missing' ? 'gone' : 'changed on the host'}`,
    });
  }
  for (const h of reading.hostFiles) {
    if (h.state === 'same') continue;
    items.push({
      kind: 'file',
      path: h.path,
      detail: `the host's ${h.path} is ${h.state === 'missing' ? 'gone' : 'changed'} since release ${current} shipped`,
    });
  }
  for (const e of reading.envRecord) {
    if (e.state === 'same') continue;
    items.push({
      kind: 'env-file',
      path: e.path,
      detail:
        e.state === 'unrecorded'
          ? `env file ${e.path} was not on the host when release ${current} shipped`
          : `env file ${e.path} is ${e.state === 'missing' ? 'gone' : 'changed on the host'} since release ${current} shipped`,
    });
  }
  return { host, release: current, clean: items.length === 0, items };
}

export interface CheckAllOptions extends ReadEachHostOptions {
  log: Logger;
}

/**
 * `mode: check`: every host against its recorded release. Two execs per host: the
 * read (READ_SCRIPT, as a plan's) and `config --services` with the deploy's compose
 * files, for the services that should run. Nothing is changed; no lock is taken.
 */
export async function checkHosts(o: CheckAllOptions): Promise<HostDrift[]> {
  return readEachHost(
    o,
    { imageVars: [], imageRefs: [], bundleSums: [] },
    async ({ host, settings, conn, reading }) => {
      let expected: string[] | undefined;
      const extra: DriftItem[] = [];
      if (reading.state.current && settings.strategy === 'compose') {
        const state = chooseCompose(settings, reading.state, host);
        const argv = composeFor(settings, state, reading.state.current).argv('config', '--services');
        const result = await conn.exec(argv, { cwd: settings.remoteDir });
        if (result.code === 0)
          expected = result.stdout
            .split('\n')
            .map((l) => l.trim())
            .filter((l) => l !== '' && l !== settings.migrateService);
        else
          extra.push({
            kind: 'file',
            detail: `the compose config on the host does not load (exit ${result.code}): ${lastLines(result.stderr || result.stdout, 2).replace(/\n/g, ' ')}`,
          });
      }
      const drift = computeDrift(host, reading, expected);
      drift.items.push(...extra);
      drift.clean = drift.items.length === 0;
      o.log.info(
        `[${host}] ${drift.release ? `release ${drift.release}: ` : ''}${drift.clean ? 'no drift' : `${drift.items.length} difference(s)`}`,
      );
      for (const item of drift.items) o.log.info(`[${host}]   ${item.kind}: ${item.detail}`);
      return drift;
    },
    (host, _settings, error): HostDrift => ({
      host,
      clean: false,
      items: [],
      error: errorMessage(error),
      errorCode: isUserError(error) ? error.code : 'internal',
    }),
  );
}
