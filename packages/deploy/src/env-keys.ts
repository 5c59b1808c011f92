import { createHmac, randomBytes } from 'node:crypto';

/**
 * Env keys compared without their values: both sides compute an HMAC-SHA256 of
 * each value with a key made for one run, so only "same" or "different" can be
 * told, and nothing that leaves the host (or is printed) is a value or a plain
 * hash of one. The host does it in sh (READ_SCRIPT); the runner does it here for
 * the bundle's env files, splitting lines by exactly the same rule.
 */

/** `KEY=value` lines as READ_SCRIPT reads them (pass the file decoded as latin1, so bytes stay bytes): the text after `=`, trimmed of blanks; no unquoting, no interpolation. */
export function envEntries(text: string): [string, string][] {
  const entries: [string, string][] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (const raw of lines) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    let l = line.replace(/^[ \t]+/, '');
    if (l === '' || l.startsWith('#')) continue;
    if (l.startsWith('export ')) l = l.slice('export '.length).replace(/^[ \t]+/, '');
    const eq = l.indexOf('=');
    if (eq < 0) continue;
    const key = l.slice(0, eq).replace(/[ \t]+$/, '');
    if (!/^[A-Za-z0-9_.-]+$/.test(key)) continue;
    entries.push([
      key,
      l
        .slice(eq + 1)
        .replace(/^[ \t]+/, '')
        .replace(/[ \t]+$/, ''),
    ]);
  }
  return entries;
}

/** A key for one run, and what the host needs of it: K^ipad and K^opad as printf octal escapes (sent over stdin). */
export interface RunKey {
  hmac(value: string): string;
  /** Two lines for READ_SCRIPT's stdin. */
  stdinLines(): string;
}

export function newRunKey(): RunKey {
  const key = randomBytes(32);
  const block = Buffer.alloc(64);
  key.copy(block);
  const escaped = (pad: number): string =>
    [...block].map((b) => `\\${(b ^ pad).toString(8).padStart(3, '0')}`).join('');
  return {
    hmac: (value) => createHmac('sha256', key).update(value, 'latin1').digest('hex'),
    stdinLines: () => `${escaped(0x36)}\n${escaped(0x5c)}\n`,
  };
}

/** Per key: added, removed, changed or unchanged, between two key → HMAC maps (later files already merged). */
export interface EnvChanges {
  added: string[];
  removed: string[];
  changed: string[];
  unchanged: number;
}

export function compareEnv(
  before: ReadonlyMap<string, string>,
  after: ReadonlyMap<string, string>,
): EnvChanges {
  const out: EnvChanges = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const [key, mac] of after) {
    const old = before.get(key);
    if (old === undefined) out.added.push(key);
    else if (old !== mac) out.changed.push(key);
    else out.unchanged++;
  }
  for (const key of before.keys()) if (!after.has(key)) out.removed.push(key);
  for (const list of [out.added, out.removed, out.changed]) list.sort();
  return out;
}
