// What a host holds under remote-dir/.releases, read without changing anything
// (the CLI's `releases` and `lock status`), and the break-glass removal of a lock
// whose owner is known (`lock release`). Layout: see host-scripts.ts.
import type { SshConnection } from '@deploy-actions/ssh';
import { describeOwner, type LockOwner } from './lock.js';
import { releasePaths } from './host-scripts.js';

/** One kept release, as its record says. */
export interface ReleaseInfo {
  id: string;
  /** When it was shipped (release.json `createdAt`). */
  createdAt?: string;
  /** Who shipped it (`GITHUB_ACTOR`, or user@machine from the CLI). */
  actor?: string;
  commit?: string;
  repository?: string;
  run?: string;
  runUrl?: string;
  /** `deployed`, `failed: health gate`, ...; undefined when none was recorded. */
  status?: string;
  /** `ref image-id` of every image its containers ran (empty before its first rollout). */
  images: string[];
  current: boolean;
}

export interface HostReleases {
  current?: string;
  /** Oldest first (release ids sort by time). */
  releases: ReleaseInfo[];
}

/**
 * Lists every release directory (`*` skips .lock and .incoming-*); per release one `release=`
 * line, then its record, status and images. Args: remote-dir.
 */
export const LIST_RELEASES_SCRIPT = `
REL="$1/.releases"
[ -f "$REL/current" ] && printf 'current=%s\\n' "$(head -n 1 "$REL/current")"
[ -d "$REL" ] || exit 0
for d in "$REL"/*/; do
  [ -f "$d/release.json" ] || continue
  printf 'release=%s\\n' "$(basename "$d")"
  printf 'record=%s\\n' "$(head -c 65536 "$d/release.json" | tr -d '\\n')"
  [ -f "$d/status" ] && printf 'status=%s\\n' "$(head -n 1 "$d/status")"
  if [ -f "$d/images" ]; then while IFS= read -r l; do printf 'image=%s\\n' "$l"; done < "$d/images"; fi
done
exit 0
`;

export function parseReleases(stdout: string): HostReleases {
  let current: string | undefined;
  const releases: ReleaseInfo[] = [];
  let last: ReleaseInfo | undefined;
  for (const line of stdout.split('\n')) {
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (key === 'current') current = value.trim() || undefined;
    else if (key === 'release') {
      last = { id: value.trim(), images: [], current: false };
      releases.push(last);
    } else if (!last) continue;
    else if (key === 'status' && value.trim() !== '') last.status = value.trim();
    else if (key === 'image' && value.trim() !== '') last.images.push(value.trim());
    else if (key === 'record') {
      let record: Record<string, unknown> = {};
      try {
        record = JSON.parse(value) as Record<string, unknown>;
      } catch {
        // A damaged record still lists the release; its fields stay unknown.
      }
      for (const field of ['createdAt', 'actor', 'commit', 'repository', 'run', 'runUrl'] as const) {
        const v = record[field];
        if (typeof v === 'string' && v !== '') last[field] = v;
      }
    }
  }
  for (const r of releases) r.current = r.id === current;
  releases.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { ...(current ? { current } : {}), releases };
}

export async function listReleases(conn: SshConnection, remoteDir: string): Promise<HostReleases> {
  const result = await conn.exec(['sh', '-c', LIST_RELEASES_SCRIPT, 'sh', remoteDir]);
  if (result.code !== 0)
    throw new Error(`listing releases failed (exit ${result.code}): ${result.stderr.trim()}`);
  return parseReleases(result.stdout);
}

export interface LockStatus {
  held: boolean;
  lockDir: string;
  /** The owner record; undefined when free, or when the lock has none. */
  owner?: Partial<LockOwner>;
  /** Who holds it, in words (as a waiting deploy reports it). */
  holder?: string;
  /** The holder's time is up (or an owner-less lock is older than a minute). */
  stale: boolean;
}

/** Args: lock dir. Prints `free`, or `held`, `lock-age=<s>` on stderr and the owner record. */
const LOCK_STATUS_SCRIPT = `
L=$1
[ -d "$L" ] || { echo free; exit 0; }
now=$(date +%s); made=$(stat -c %Y "$L" 2>/dev/null || echo "$now")
echo "lock-age=$((now - made))" >&2
echo held
cat "$L/owner.json" 2>/dev/null | tr -d '\\n'
exit 0
`;

export async function readLockStatus(conn: SshConnection, remoteDir: string): Promise<LockStatus> {
  const lockDir = releasePaths(remoteDir).lock;
  const result = await conn.exec(['sh', '-c', LOCK_STATUS_SCRIPT, 'sh', lockDir]);
  const [first, ...rest] = result.stdout.split('\n');
  if (first?.trim() !== 'held') return { held: false, lockDir, stale: false };
  const raw = rest.join('\n').trim() || '{}';
  const described = describeOwner(raw, result.stderr);
  let owner: Partial<LockOwner> | undefined;
  try {
    const parsed = JSON.parse(raw) as Partial<LockOwner>;
    if (parsed.run) owner = parsed;
  } catch {
    owner = undefined;
  }
  return { held: true, lockDir, holder: described.text, stale: described.stale, ...(owner ? { owner } : {}) };
}

/**
 * Removes the lock `status` describes, only if it is still that one: the same owner token,
 * or (for an owner-less lock) still without an owner record. A lock another deploy took in
 * the meantime is left alone. Args: lock dir, token ('' for owner-less).
 */
const FORCE_UNLOCK_SCRIPT = `
L=$1
[ -d "$L" ] || exit 0
if [ -n "$2" ]; then
  [ -f "$L/owner.json" ] && grep -qF -- "\\"token\\":\\"$2\\"" "$L/owner.json" && rm -rf "$L" && echo released
else
  [ ! -f "$L/owner.json" ] && rm -rf "$L" && echo released
fi
exit 0
`;

/** True when the lock described by `status` was removed. */
export async function breakHostLock(conn: SshConnection, status: LockStatus): Promise<boolean> {
  if (!status.held) return false;
  const result = await conn.exec([
    'sh',
    '-c',
    FORCE_UNLOCK_SCRIPT,
    'sh',
    status.lockDir,
    status.owner?.token ?? '',
  ]);
  return result.stdout.includes('released');
}
