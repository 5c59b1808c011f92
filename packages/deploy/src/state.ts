import { UserError } from '@deploy-actions/action-kit';
import type { SshConnection } from '@deploy-actions/ssh';
import type { ComposeFlavour } from './compose.js';
import { INSPECT_SCRIPT, releasePaths } from './host-scripts.js';
import type { DeploySettings } from './types.js';

/** What the host looks like before a deploy. */
export interface HostState {
  /** The flavour this deploy uses (see chooseCompose); undefined when none works. */
  compose?: ComposeFlavour;
  /** Flavours that work for the deploy user on the host. */
  composeAvailable: ComposeFlavour[];
  current?: string;
  /** `ok`, or `broken` when current names a release whose directory, files list or bundle is gone. */
  currentRecord?: 'ok' | 'broken';
  /** Paths in remote-dir the current release wrote (its record), for the removal rule. */
  owned: string[];
  /** The current release was recorded before `written.sha256`: `owned` is its whole file list. */
  ownedLegacy: boolean;
  exists: boolean;
  hasOverride: boolean;
  /** Releases made current, oldest first. */
  history: string[];
  /** Releases kept on the host. */
  releases: string[];
  /** Kept releases whose files list and bundle are there (can be re-activated). */
  intact: string[];
}

export function parseState(stdout: string): HostState {
  const state: HostState = {
    composeAvailable: [],
    owned: [],
    ownedLegacy: false,
    exists: false,
    hasOverride: false,
    history: [],
    releases: [],
    intact: [],
  };
  let legacy: ComposeFlavour | undefined;
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const raw = line.slice(eq + 1);
    const value = raw.trim();
    if (key === 'compose_v2' && value === 'yes') state.composeAvailable.push('v2');
    else if (key === 'compose_v1' && value === 'yes') state.composeAvailable.push('v1');
    else if (key === 'compose' && (value === 'v1' || value === 'v2')) legacy = value;
    else if (key === 'current' && value !== '') state.current = value;
    else if (key === 'current_record' && (value === 'ok' || value === 'broken')) state.currentRecord = value;
    else if (key === 'owned' && raw !== '') state.owned.push(raw);
    else if (key === 'owned_legacy') state.ownedLegacy = true;
    else if (key === 'override') state.hasOverride = true;
    else if (key === 'exists') state.exists = true;
    else if (key === 'history' && value !== '') state.history.push(value);
    else if (key === 'release') state.releases.push(value);
    else if (key === 'intact') state.intact.push(value);
  }
  if (legacy && !state.composeAvailable.includes(legacy)) state.composeAvailable.push(legacy);
  const first = state.composeAvailable.includes('v2') ? 'v2' : state.composeAvailable[0];
  if (first) state.compose = first;
  return state;
}

export async function inspectHost(conn: SshConnection, remoteDir: string): Promise<HostState> {
  const result = await conn.exec(['sh', '-c', INSPECT_SCRIPT, 'sh', remoteDir]);
  return parseState(result.stdout);
}

/** Picks the compose flavour: `compose-version` when forced, else v2 when the host has it. */
export function chooseCompose(settings: DeploySettings, state: HostState, label: string): HostState {
  if (settings.strategy === 'swarm') {
    // The stack file is compose's own interpolation (`config --format json`): Compose v2 only.
    if (state.composeAvailable.includes('v2')) return { ...state, compose: 'v2' };
    throw new UserError(
      'compose-missing',
      `${label}: strategy swarm renders the stack with \`docker compose config\` (Compose v2), which does not work for this user on the manager.`,
    );
  }
  if (settings.strategy !== 'compose') return state;
  const wanted = settings.composeVersion ?? 'auto';
  const available = state.composeAvailable;
  if (wanted === 'auto') {
    if (!state.compose) {
      throw new UserError(
        'compose-missing',
        `${label}: neither \`docker compose\` nor \`docker-compose\` works for this user on the host.`,
      );
    }
    return state;
  }
  if (!available.includes(wanted)) {
    throw new UserError(
      'compose-missing',
      `${label}: compose-version is ${wanted}, but ${wanted === 'v2' ? '`docker compose` (the v2 plugin)' : '`docker-compose` (v1)'} does not work for this user on the host` +
        `${available.length ? ` (found: ${available.join(', ')})` : ''}.`,
    );
  }
  return { ...state, compose: wanted };
}

/**
 * A deploy needs an intact record of the running release: it is what a failure
 * restores. When current names a release whose record is gone, refuse before
 * changing anything (a missing list must never read as "nothing to keep").
 */
export function checkCurrentRecord(settings: DeploySettings, state: HostState, label: string): void {
  if (state.current && state.currentRecord !== 'ok') {
    const rel = releasePaths(settings.remoteDir);
    throw new UserError(
      'release-record-missing',
      `${label}: ${rel.current} names release ${state.current}, but its record (${rel.releases}/${state.current}: files list and bundle) is gone, ` +
        'so a failure could not be undone. Nothing was changed. Restore that directory, or, to deploy without a restore target, ' +
        `remove ${rel.current} (no file will be removed then; the next release is copied over what is there).`,
    );
  }
}

/** The release `rollback` names: `previous` is the one current before the current one. */
export function resolveRollbackTarget(state: HostState, wanted: string, label: string): string {
  if (wanted === 'previous') {
    const previous = [...state.history]
      .reverse()
      .find((id) => id !== state.current && state.releases.includes(id));
    if (!previous) {
      throw new UserError(
        'no-previous-release',
        `${label}: there is no previous release to roll back to (current: ${state.current ?? 'none'}).`,
      );
    }
    if (!state.intact.includes(previous)) throw recordMissing(previous, label);
    return previous;
  }
  if (!state.releases.includes(wanted)) {
    throw new UserError(
      'release-not-found',
      `${label}: release '${wanted}' is not on the host. Kept releases: ${state.releases.join(', ') || 'none'}.`,
    );
  }
  if (!state.intact.includes(wanted)) throw recordMissing(wanted, label);
  return wanted;
}

function recordMissing(id: string, label: string): UserError {
  return new UserError(
    'release-record-missing',
    `${label}: release ${id} is on the host but its files list or bundle is gone, so it cannot be re-activated. Nothing was changed.`,
  );
}
