import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  fingerprintOf,
  hostFieldMatches,
  keyTypeOf,
  parseFingerprint,
  parseFingerprintLine,
  parseKnownHosts,
  verifyHostKey,
} from '../src/host-keys.js';

let dir: string;
const keys: Record<string, { line: string; blob: Buffer; keygenFingerprint: string }> = {};

function makeKey(type: 'ed25519' | 'ecdsa' | 'rsa'): void {
  const path = join(dir, `host_${type}`);
  execFileSync('ssh-keygen', [
    '-q',
    '-t',
    type,
    ...(type === 'rsa' ? ['-b', '2048'] : []),
    '-N',
    '',
    '-C',
    '',
    '-f',
    path,
  ]);
  const line = readFileSync(`${path}.pub`, 'utf8').trim();
  const keygenFingerprint = execFileSync('ssh-keygen', ['-lf', `${path}.pub`], { encoding: 'utf8' }).split(
    ' ',
  )[1]!;
  keys[type] = { line, blob: Buffer.from(line.split(' ')[1]!, 'base64'), keygenFingerprint };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'host-keys-'));
  makeKey('ed25519');
  makeKey('ecdsa');
  makeKey('rsa');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const lab = { host: '127.0.0.1', port: 2222 };
const none = { fingerprints: [], insecureIgnore: false };

describe('fingerprints', () => {
  it.each(['ed25519', 'ecdsa', 'rsa'])('computes the same %s fingerprint as ssh-keygen -lf', (type) => {
    expect(fingerprintOf(keys[type]!.blob)).toBe(keys[type]!.keygenFingerprint);
  });

  it('names the key type from the blob', () => {
    expect(keyTypeOf(keys['ed25519']!.blob)).toBe('ssh-ed25519');
  });

  it('reads a fingerprint from a whole ssh-keygen -lf line', () => {
    const fp = keys['rsa']!.keygenFingerprint;
    expect(parseFingerprint(`3072 ${fp} root@host (RSA)`)).toBe(fp);
  });

  it('rejects text that is not a SHA256 fingerprint', () => {
    expect(parseFingerprint('MD5:aa:bb:cc')).toBeUndefined();
  });
});

describe('verifyHostKey', () => {
  it('accepts a key whose fingerprint is one of several allowed', () => {
    const fps = [keys['rsa']!.keygenFingerprint, keys['ed25519']!.keygenFingerprint];
    expect(verifyHostKey(keys['ed25519']!.blob, lab, { ...none, fingerprints: fps }).accepted).toBe(true);
  });

  it('refuses an unknown key and reports the fingerprint it presented', () => {
    const verdict = verifyHostKey(keys['ecdsa']!.blob, lab, {
      ...none,
      fingerprints: [keys['rsa']!.keygenFingerprint],
    });
    expect(verdict.accepted).toBe(false);
    expect(verdict.fingerprint).toBe(keys['ecdsa']!.keygenFingerprint);
  });

  it('accepts a key listed in known_hosts under [host]:port', () => {
    const knownHosts = `[127.0.0.1]:2222 ${keys['ed25519']!.line}\n`;
    expect(verifyHostKey(keys['ed25519']!.blob, lab, { ...none, knownHosts }).accepted).toBe(true);
  });

  it('refuses a known_hosts key listed for the same host on another port', () => {
    const knownHosts = `127.0.0.1 ${keys['ed25519']!.line}\n`;
    expect(verifyHostKey(keys['ed25519']!.blob, lab, { ...none, knownHosts }).accepted).toBe(false);
  });

  it('accepts a hashed known_hosts entry written by ssh-keygen -H', () => {
    const file = join(dir, 'known_hosts');
    writeFileSync(file, `[127.0.0.1]:2222 ${keys['rsa']!.line}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'pipe' });
    const knownHosts = readFileSync(file, 'utf8');
    expect(knownHosts).toMatch(/^\|1\|/);
    expect(verifyHostKey(keys['rsa']!.blob, lab, { ...none, knownHosts }).accepted).toBe(true);
  });

  it('refuses a key marked @revoked even when its fingerprint is allowed', () => {
    const knownHosts = `@revoked * ${keys['rsa']!.line}\n`;
    const policy = { ...none, fingerprints: [keys['rsa']!.keygenFingerprint], knownHosts };
    expect(verifyHostKey(keys['rsa']!.blob, lab, policy).accepted).toBe(false);
  });

  it('accepts a key with insecureIgnore when nothing is expected for the host, saying it was not verified', () => {
    const verdict = verifyHostKey(keys['rsa']!.blob, lab, { ...none, insecureIgnore: true });
    expect(verdict).toMatchObject({ accepted: true, reason: expect.stringMatching(/not verified/) });
  });

  it('never lets insecureIgnore override a fingerprint that differs', () => {
    const policy = { ...none, insecureIgnore: true, fingerprints: [keys['ed25519']!.keygenFingerprint] };
    expect(verifyHostKey(keys['rsa']!.blob, lab, policy)).toMatchObject({
      accepted: false,
      reason: expect.stringMatching(/never overrides/),
    });
  });

  it('never lets insecureIgnore override a known_hosts key for the host that differs', () => {
    const knownHosts = `[127.0.0.1]:2222 ${keys['ed25519']!.line}\n`;
    expect(
      verifyHostKey(keys['rsa']!.blob, lab, { ...none, insecureIgnore: true, knownHosts }).accepted,
    ).toBe(false);
  });

  it('accepts a pinned fingerprint only for the host and port it names', () => {
    const fp = keys['rsa']!.keygenFingerprint;
    const pinned = [{ host: '127.0.0.1', port: 2222, fingerprint: fp }];
    expect(verifyHostKey(keys['rsa']!.blob, lab, { ...none, pinned }).accepted).toBe(true);
    expect(
      verifyHostKey(keys['rsa']!.blob, { host: '127.0.0.2', port: 2222 }, { ...none, pinned }).accepted,
    ).toBe(false);
    expect(
      verifyHostKey(keys['rsa']!.blob, { host: '127.0.0.1', port: 22 }, { ...none, pinned }).accepted,
    ).toBe(false);
    const anyPort = [{ host: '127.0.0.1', fingerprint: fp }];
    expect(
      verifyHostKey(keys['rsa']!.blob, { host: '127.0.0.1', port: 22 }, { ...none, pinned: anyPort })
        .accepted,
    ).toBe(true);
  });
});

describe('host-fingerprint lines', () => {
  const fp = 'SHA256:MsDpWQGyszUErwwz40IZCpAu+hscpFEft8GlOL5n7G4';
  it.each([
    [fp, { fingerprint: fp }],
    [`256 ${fp} root@host (ED25519)`, { fingerprint: fp }],
    [`web1=${fp}`, { host: 'web1', fingerprint: fp }],
    [`web1.example.com:2222 = ${fp}`, { host: 'web1.example.com', port: 2222, fingerprint: fp }],
    [`[2001:db8::1]:22=${fp}`, { host: '2001:db8::1', port: 22, fingerprint: fp }],
  ])('reads %s', (line, expected) => {
    expect(parseFingerprintLine(line)).toEqual(expected);
  });

  it.each([['web1=nope'], ['web1:99999=' + fp], ['a b=' + fp]])('refuses %s', (line) => {
    expect(parseFingerprintLine(line)).toBeUndefined();
  });
});

describe('known_hosts host patterns', () => {
  it('matches wildcards', () => {
    expect(hostFieldMatches('*.example.com', { host: 'web.example.com', port: 22 })).toBe(true);
  });

  it('lets a negated pattern win over a wildcard', () => {
    expect(hostFieldMatches('*.example.com,!db.example.com', { host: 'db.example.com', port: 22 })).toBe(
      false,
    );
  });

  it('skips comments and malformed lines', () => {
    expect(parseKnownHosts(`# comment\n\nnot-a-line\nhost ssh-ed25519 AAAA\n`)).toHaveLength(1);
  });
});
