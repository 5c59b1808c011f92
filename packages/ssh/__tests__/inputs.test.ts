import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader } from '@deploy-actions/action-kit';
import { checkPrivateKey, parseHostSpec, readSshConnectionInputs } from '../src/inputs.js';

let dir: string;
let plainKey: string;
let encryptedKey: string;
let publicKey: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssh-inputs-'));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'plain')]);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'sesame', '-f', join(dir, 'encrypted')]);
  plainKey = readFileSync(join(dir, 'plain'), 'utf8');
  encryptedKey = readFileSync(join(dir, 'encrypted'), 'utf8');
  publicKey = readFileSync(join(dir, 'plain.pub'), 'utf8');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FP = 'SHA256:' + 'A'.repeat(43);

function reader(inputs: Record<string, string>): InputReader {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new InputReader({ env });
}

describe('parseHostSpec', () => {
  it('reads host:port', () => {
    expect(parseHostSpec('127.0.0.2:2222', 22)).toEqual({ host: '127.0.0.2', port: 2222 });
  });

  it('reads a bracketed IPv6 address with a port', () => {
    expect(parseHostSpec('[::1]:2200', 22)).toEqual({ host: '::1', port: 2200 });
  });

  it('refuses a host that carries shell syntax', () => {
    expect(parseHostSpec('host;id', 22)).toMatch(/not a host name/);
  });

  it('refuses a host that ssh would read as an option', () => {
    expect(parseHostSpec('-oProxyCommand=id', 22)).toMatch(/not a host name/);
  });
});

describe('checkPrivateKey', () => {
  it('accepts an unencrypted OpenSSH key', () => {
    expect(checkPrivateKey(plainKey, undefined)).toBeUndefined();
  });

  it('asks for the passphrase of an encrypted key', () => {
    expect(checkPrivateKey(encryptedKey, undefined)).toMatchObject({
      input: 'passphrase',
      message: expect.stringMatching(/encrypted/),
    });
  });

  it('reports a wrong passphrase as a passphrase problem', () => {
    expect(checkPrivateKey(encryptedKey, 'wrong')).toMatchObject({ input: 'passphrase' });
  });

  it('accepts an encrypted key with its passphrase', () => {
    expect(checkPrivateKey(encryptedKey, 'sesame')).toBeUndefined();
  });

  it('reports a truncated key as a key format problem', () => {
    expect(checkPrivateKey(plainKey.slice(0, 120), undefined)).toMatchObject({
      input: 'key',
      message: expect.stringMatching(/BEGIN and END/),
    });
  });

  it('reports a public key passed as the private key', () => {
    expect(checkPrivateKey(publicKey, undefined)).toMatchObject({
      input: 'key',
      message: expect.stringMatching(/public key/),
    });
  });
});

describe('readSshConnectionInputs', () => {
  it('returns nothing when ssh is optional and no host is set', () => {
    const inputs = reader({});
    expect(readSshConnectionInputs(inputs, { required: false })).toBeUndefined();
    expect(inputs.errors).toEqual([]);
  });

  it('reads several hosts with their own ports', () => {
    const inputs = reader({
      host: '127.0.0.2\n127.0.0.3:2200',
      port: '2222',
      username: 'deploy',
      'private-key': plainKey,
      'host-fingerprint': FP,
    });
    expect(readSshConnectionInputs(inputs, { required: true })?.targets).toEqual([
      { host: '127.0.0.2', port: 2222 },
      { host: '127.0.0.3', port: 2200 },
    ]);
    expect(inputs.errors).toEqual([]);
  });

  it('requires a way to verify the host key', () => {
    const inputs = reader({ host: 'h', username: 'u', 'private-key': plainKey });
    readSshConnectionInputs(inputs, { required: true });
    expect(inputs.errors.map((e) => e.input)).toEqual(['host-fingerprint']);
  });

  it('requires a way to verify the bastion key too', () => {
    const inputs = reader({
      host: 'h',
      username: 'u',
      'private-key': plainKey,
      'host-fingerprint': FP,
      'proxy-host': 'jump:2223',
    });
    readSshConnectionInputs(inputs, { required: true });
    expect(inputs.errors.map((e) => e.input)).toEqual(['proxy-host-fingerprint']);
  });

  it('gives the bastion the main user and key unless told otherwise', () => {
    const inputs = reader({
      host: 'h',
      username: 'u',
      'private-key': plainKey,
      'host-fingerprint': FP,
      'proxy-host': 'jump:2223',
      'proxy-host-fingerprint': FP,
    });
    const proxy = readSshConnectionInputs(inputs, { required: true })?.settings.proxy;
    expect(proxy).toMatchObject({
      target: { host: 'jump', port: 2223 },
      username: 'u',
      privateKey: plainKey,
    });
  });

  it('names every bad input at once', () => {
    const inputs = reader({
      host: 'a b',
      port: 'x',
      'host-fingerprint': 'nope',
      'private-key': 'garbage',
      'connect-timeout': 'soon',
    });
    readSshConnectionInputs(inputs, { required: true });
    expect(inputs.errors.map((e) => e.input).sort()).toEqual(
      ['connect-timeout', 'host', 'host-fingerprint', 'port', 'private-key', 'username'].sort(),
    );
  });

  it('reads known-hosts from a file path', () => {
    const file = join(dir, 'known');
    execFileSync('sh', [
      '-c',
      `printf '[h]:22 %s\\n' "$(cut -d' ' -f1,2 ${join(dir, 'plain.pub')})" > ${file}`,
    ]);
    const inputs = reader({ host: 'h', username: 'u', 'private-key': plainKey, 'known-hosts': file });
    expect(readSshConnectionInputs(inputs, { required: true })?.settings.hostKey.knownHosts).toContain(
      'ssh-ed25519',
    );
    expect(inputs.errors).toEqual([]);
  });
});
