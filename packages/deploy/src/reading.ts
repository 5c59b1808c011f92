import type { SshConnection } from '@deploy-actions/ssh';
import type { RunKey } from './env-keys.js';
import { describeOwner, type LockOwner } from './lock.js';
import { READ_SCRIPT } from './read-script.js';
import { parseState, type HostState } from './state.js';

/** One container of the compose project, as `docker inspect` told. */
export interface ContainerInfo {
  service: string;
  /** The reference it was created from (`Config.Image`). */
  ref: string;
  /** The image id it runs. */
  imageId: string;
  status: string;
  /** Healthcheck status, '' when it has none. */
  health: string;
  restarts: number;
  oneoff: boolean;
  name: string;
}

export interface ImageInfo {
  id: string;
  tags: string[];
  digests: string[];
  size: number;
}

export type FileState = 'same' | 'changed' | 'missing';

/** What READ_SCRIPT read on one host. */
export interface HostReading {
  state: HostState;
  lock?: { ageSeconds: number; owner?: Omit<Partial<LockOwner>, 'token'>; text: string; stale: boolean };
  diskFreeBytes?: number;
  recordStatus?: string;
  /** `ref id` the current release ran with. */
  recordImages: { ref: string; id: string }[];
  /** What the current release wrote, against the host now. */
  written: { path: string; state: FileState }[];
  /** Host-owned files the release recorded (its compose override), against the host now. */
  hostFiles: { path: string; state: FileState }[];
  /** Env files against the release's record. */
  envRecord: { path: string; state: FileState | 'unrecorded' }[];
  containers: ContainerInfo[];
  images: ImageInfo[];
  dockerError?: string;
  /** Bundle files against the host's copies. */
  bundle: { path: string; state: 'new' | 'same' | 'changed' }[];
  /** Per env file (in order): present or not, and key → HMAC (later lines win). */
  envFiles: { present: boolean; keys: Map<string, string> }[];
  /** Per env file: values of the image variables asked for. */
  imageVars: Map<string, string>[];
}

export function parseReading(stdout: string, envFileCount: number, now = Date.now()): HostReading {
  const r: HostReading = {
    state: parseState(stdout),
    recordImages: [],
    written: [],
    hostFiles: [],
    envRecord: [],
    containers: [],
    images: [],
    bundle: [],
    envFiles: Array.from({ length: envFileCount }, () => ({
      present: false,
      keys: new Map<string, string>(),
    })),
    imageVars: Array.from({ length: envFileCount }, () => new Map<string, string>()),
  };
  let lockAge: number | undefined;
  let owner: string | undefined;
  let held = false;
  const pair = (v: string): [string, string] => {
    const sp = v.indexOf(' ');
    return sp < 0 ? [v, ''] : [v.slice(0, sp), v.slice(sp + 1)];
  };
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    switch (key) {
      case 'lock':
        held = true;
        break;
      case 'lock_age':
        lockAge = Number(value);
        break;
      case 'lock_owner':
        owner = value;
        break;
      case 'disk_free_kb':
        if (/^\d+$/.test(value)) r.diskFreeBytes = Number(value) * 1024;
        break;
      case 'record_status':
        r.recordStatus = value;
        break;
      case 'record_image': {
        const [ref, id] = pair(value);
        if (ref) r.recordImages.push({ ref, id });
        break;
      }
      case 'written': {
        const [state, path] = pair(value);
        r.written.push({ path, state: state as FileState });
        break;
      }
      case 'host_file': {
        const [state, path] = pair(value);
        r.hostFiles.push({ path, state: state as FileState });
        break;
      }
      case 'env_record': {
        const [state, path] = pair(value);
        r.envRecord.push({ path, state: state as FileState | 'unrecorded' });
        break;
      }
      case 'container': {
        const [
          service = '',
          ref = '',
          imageId = '',
          status = '',
          health = '',
          restarts = '0',
          oneoff = '',
          name = '',
        ] = value.split('|');
        r.containers.push({
          service,
          ref,
          imageId,
          status,
          health,
          restarts: Number(restarts) || 0,
          oneoff: oneoff === 'True',
          name: name.replace(/^\//, ''),
        });
        break;
      }
      case 'image': {
        const [id = '', tags = '', digests = '', size = '0'] = value.split('|');
        if (!r.images.some((i) => i.id === id))
          r.images.push({
            id,
            tags: tags.split(',').filter(Boolean),
            digests: digests.split(',').filter(Boolean),
            size: Number(size) || 0,
          });
        break;
      }
      case 'docker_error':
        r.dockerError = value;
        break;
      case 'bundle': {
        const [state, path] = pair(value);
        r.bundle.push({ path, state: state as 'new' | 'same' | 'changed' });
        break;
      }
      case 'env_file': {
        const [n, state] = pair(value);
        const f = r.envFiles[Number(n) - 1];
        if (f) f.present = state === 'present';
        break;
      }
      case 'env_key': {
        const [n, rest] = pair(value);
        const [k, mac] = pair(rest);
        r.envFiles[Number(n) - 1]?.keys.set(k, mac);
        break;
      }
      case 'image_var': {
        const [n, rest] = pair(value);
        const [k, v] = pair(rest);
        r.imageVars[Number(n) - 1]?.set(k, v);
        break;
      }
    }
  }
  if (held) {
    let parsed: Partial<LockOwner> = {};
    try {
      parsed = owner ? (JSON.parse(owner) as Partial<LockOwner>) : {};
    } catch {
      // a half-written owner file: describeOwner says what little is known
    }
    const { token: _token, ...rest } = parsed;
    const described = describeOwner(
      owner && parsed.run ? JSON.stringify(rest) : '{}',
      lockAge !== undefined ? `lock-age=${lockAge}` : '',
      now,
    );
    r.lock = { ageSeconds: lockAge ?? 0, owner: rest, text: described.text, stale: described.stale };
  }
  return r;
}

export interface ReadRequest {
  remoteDir: string;
  projectName?: string;
  envFiles: readonly string[];
  /** Variables an `image:` of the new compose files names. */
  imageVars: readonly string[];
  /** The new images, looked up on the host. */
  imageRefs: readonly string[];
  /** `sha256  path` of the bundle files; none for a drift check. */
  bundleSums: readonly string[];
  key?: RunKey;
}

/** One exec: READ_SCRIPT with the key and the bundle's checksums on stdin. */
export async function readHost(conn: SshConnection, req: ReadRequest): Promise<HostReading> {
  const stdin = `${req.key ? req.key.stdinLines() : '\n\n'}${req.bundleSums.map((l) => `${l}\n`).join('')}`;
  const result = await conn.exec(
    [
      'sh',
      '-c',
      READ_SCRIPT,
      'sh',
      req.remoteDir,
      req.projectName ?? '',
      req.envFiles.join('\n'),
      req.imageVars.join('\n'),
      req.imageRefs.join('\n'),
    ],
    { stdin },
  );
  if (result.code !== 0)
    throw new Error(
      `reading the host failed (exit ${result.code}): ${result.stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
  return parseReading(result.stdout, req.envFiles.length);
}
