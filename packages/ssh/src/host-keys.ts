import { createHash, createHmac } from 'node:crypto';
import type { PinnedFingerprint, SshTarget } from './types.js';

/** The fingerprint OpenSSH prints for a key blob: `SHA256:` + unpadded base64 of its SHA-256. */
export function fingerprintOf(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`;
}

/** The algorithm name at the head of an SSH public key blob, e.g. `ssh-ed25519`. */
export function keyTypeOf(keyBlob: Buffer): string {
  if (keyBlob.length < 4) return 'unknown';
  const length = keyBlob.readUInt32BE(0);
  if (length > keyBlob.length - 4 || length > 64) return 'unknown';
  return keyBlob.subarray(4, 4 + length).toString('latin1');
}

const FINGERPRINT = /SHA256:([A-Za-z0-9+/]{43})=?/;

/**
 * Reads one expected fingerprint as a user pastes it: bare `SHA256:...`, or the
 * whole `ssh-keygen -lf` line (`256 SHA256:... comment (ED25519)`).
 * Returns the normalised `SHA256:...` or undefined when there is none.
 */
export function parseFingerprint(text: string): string | undefined {
  const match = FINGERPRINT.exec(text.trim());
  return match ? `SHA256:${match[1]}` : undefined;
}

/**
 * Reads one `host-fingerprint` line: a bare fingerprint (any host), or
 * `host=SHA256:...`, `host:port=SHA256:...`, `[v6]:port=SHA256:...` (that host only).
 * Returns undefined when the line is neither.
 */
export function parseFingerprintLine(
  text: string,
): { fingerprint: string; host?: string; port?: number } | undefined {
  const scoped = /^\s*([^\s=]+)\s*=\s*(\S.*)$/.exec(text);
  if (scoped && !scoped[1]!.startsWith('SHA256:')) {
    const fingerprint = parseFingerprint(scoped[2]!);
    const spec = scoped[1]!;
    const withPort = /^(.*):(\d+)$/.exec(spec);
    let host = spec;
    let port: number | undefined;
    if (withPort && (withPort[1]!.startsWith('[') || !withPort[1]!.includes(':'))) {
      host = withPort[1]!;
      port = Number(withPort[2]);
      if (port < 1 || port > 65535) return undefined;
    }
    if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
    if (!fingerprint || !/^[A-Za-z0-9_.:-]+$/.test(host)) return undefined;
    return { fingerprint, host, ...(port !== undefined ? { port } : {}) };
  }
  // A `host=` that did not parse must not fall back to a fingerprint for every host.
  if (text.slice(0, Math.max(0, text.indexOf('SHA256:'))).includes('=')) return undefined;
  const fingerprint = parseFingerprint(text);
  return fingerprint ? { fingerprint } : undefined;
}

/** Whether a pinned fingerprint applies to this target (host case-insensitive; any port when none is pinned). */
export function pinnedFor(pin: PinnedFingerprint, target: SshTarget): boolean {
  return (
    pin.host.toLowerCase() === target.host.toLowerCase() &&
    (pin.port === undefined || pin.port === target.port)
  );
}

export interface KnownHostEntry {
  /** Host patterns (`host`, `[host]:port`, wildcards, `!negated`), or a hashed `|1|salt|hash` entry. */
  hosts: string;
  keyType: string;
  key: Buffer;
  marker?: '@revoked' | '@cert-authority';
}

/**
 * Parses known_hosts text as OpenSSH writes it. Comments, blank and malformed
 * lines are skipped; `@cert-authority` lines are kept but never match a plain
 * host key, `@revoked` lines reject a key even when another line allows it.
 */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: KnownHostEntry['marker'];
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority')
      marker = fields.shift() as KnownHostEntry['marker'];
    const [hosts, keyType, keyBase64] = fields;
    if (!hosts || !keyType || !keyBase64 || !/^[A-Za-z0-9+/]+=*$/.test(keyBase64)) continue;
    entries.push({ hosts, keyType, key: Buffer.from(keyBase64, 'base64'), ...(marker ? { marker } : {}) });
  }
  return entries;
}

/** How OpenSSH names a host in known_hosts: plain on port 22, `[host]:port` otherwise. */
function knownHostsName(target: SshTarget): string {
  return target.port === 22 ? target.host : `[${target.host}]:${target.port}`;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

function hashedMatches(entry: string, name: string): boolean {
  const [, kind, salt, hash] = entry.split('|');
  if (kind !== '1' || !salt || !hash) return false;
  const digest = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return digest === hash;
}

/** Whether a known_hosts host field names this target (patterns, negations and hashed names). */
export function hostFieldMatches(hosts: string, target: SshTarget): boolean {
  const name = knownHostsName(target);
  if (hosts.startsWith('|')) return hashedMatches(hosts, name);
  let matched = false;
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    if (wildcardToRegExp(body).test(name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

/** The key types known_hosts lists for a target, so the client can ask the server for one of those. */
export function knownKeyTypes(entries: readonly KnownHostEntry[], target: SshTarget): string[] {
  return [
    ...new Set(entries.filter((e) => !e.marker && hostFieldMatches(e.hosts, target)).map((e) => e.keyType)),
  ];
}

export interface HostKeyVerdict {
  accepted: boolean;
  fingerprint: string;
  keyType: string;
  /** Why the key was accepted or refused, for logs and errors. */
  reason: string;
}

/**
 * Decides whether the key a server presented is the one expected, by
 * fingerprint or by known_hosts. Pure, so it is unit-tested without a server.
 */
export function verifyHostKey(
  keyBlob: Buffer,
  target: SshTarget,
  policy: {
    fingerprints: readonly string[];
    pinned?: readonly PinnedFingerprint[];
    knownHosts?: string;
    insecureIgnore: boolean;
  },
): HostKeyVerdict {
  const fingerprint = fingerprintOf(keyBlob);
  const keyType = keyTypeOf(keyBlob);
  const entries = policy.knownHosts ? parseKnownHosts(policy.knownHosts) : [];
  const forHost = entries.filter((e) => hostFieldMatches(e.hosts, target));
  if (forHost.some((e) => e.marker === '@revoked' && e.key.equals(keyBlob))) {
    return { accepted: false, fingerprint, keyType, reason: 'the key is marked @revoked in known-hosts' };
  }
  const pinned = (policy.pinned ?? []).filter((p) => pinnedFor(p, target)).map((p) => p.fingerprint);
  if (pinned.includes(fingerprint)) {
    return { accepted: true, fingerprint, keyType, reason: `matches host-fingerprint for ${target.host}` };
  }
  if (policy.fingerprints.includes(fingerprint)) {
    return { accepted: true, fingerprint, keyType, reason: 'matches host-fingerprint' };
  }
  const known = forHost.filter((e) => !e.marker);
  if (known.some((e) => e.key.equals(keyBlob))) {
    return { accepted: true, fingerprint, keyType, reason: 'matches known-hosts' };
  }
  // A key is expected for this host and this one differs: that is what an impersonator
  // looks like, so insecure-ignore-host-key (meant for hosts nothing is known about) never applies.
  const expected = pinned.length + policy.fingerprints.length + known.length > 0;
  if (policy.insecureIgnore && !expected) {
    return { accepted: true, fingerprint, keyType, reason: 'not verified (insecure-ignore-host-key)' };
  }
  const reason = !expected
    ? `no expected key for ${knownHostsName(target)} in host-fingerprint or known-hosts`
    : `the key differs from every expected one${policy.insecureIgnore ? ' (insecure-ignore-host-key never overrides an expected key)' : ''}`;
  return { accepted: false, fingerprint, keyType, reason };
}
