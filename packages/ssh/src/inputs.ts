import { existsSync, readFileSync } from 'node:fs';
import { errorMessage, type InputReader } from '@deploy-actions/action-kit';
// Only ssh2's key parser, not all of ssh2: reading inputs must stay cheap (see connect.ts).
// It is CommonJS, so parseKey is taken off the default export, which every ESM loader provides.
import keyParser from 'ssh2/lib/protocol/keyParser.js';
import { parseFingerprintLine, parseKnownHosts, pinnedFor } from './host-keys.js';
import type { PinnedFingerprint, SshConnectionSettings, SshHostKeyPolicy, SshTarget } from './types.js';

const ssh2Utils = keyParser;

// A DNS name, an IPv4 address, or a bracketed IPv6 address; nothing a shell or ssh option parser could misread.
const HOST_NAME = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?|\[[0-9A-Fa-f:.]+\])$/;

/**
 * Reads `host`, `host:port` or `[v6]:port`. Returns an error message instead of
 * a target when the text is not one of those.
 */
export function parseHostSpec(text: string, defaultPort: number): SshTarget | string {
  const trimmed = text.trim();
  const withPort = /^(.*):(\d+)$/.exec(trimmed);
  let host = trimmed;
  let port = defaultPort;
  if (withPort && (withPort[1]!.startsWith('[') || !withPort[1]!.includes(':'))) {
    host = withPort[1]!;
    port = Number(withPort[2]);
    if (port < 1 || port > 65535) return `'${trimmed}' has port ${port}; use 1-65535.`;
  }
  if (!HOST_NAME.test(host)) return `'${trimmed}' is not a host name, IP address, host:port or [IPv6]:port.`;
  return { host: host.startsWith('[') ? host.slice(1, -1) : host, port };
}

/**
 * Checks a private key without using it, so a malformed key or a wrong or
 * missing passphrase is reported as exactly that, before any connection.
 * Returns the problem, phrased for the user, or undefined when the key is usable.
 */
export function checkPrivateKey(
  key: string,
  passphrase: string | undefined,
): { input: 'key' | 'passphrase'; message: string } | undefined {
  let parsed: ReturnType<typeof ssh2Utils.parseKey>;
  try {
    parsed = ssh2Utils.parseKey(key, passphrase);
  } catch (error) {
    return { input: 'key', message: `could not be read as a private key (${errorMessage(error)}).` };
  }
  if (parsed instanceof Error) {
    const reason = parsed.message;
    if (/no passphrase/i.test(reason)) {
      return {
        input: 'passphrase',
        message: 'is needed: the private key is encrypted. Pass its passphrase.',
      };
    }
    if (/decrypt|passphrase|bad (?:key|auth)|integrity/i.test(reason)) {
      return {
        input: 'passphrase',
        message: 'does not decrypt the private key. Check that it belongs to this key.',
      };
    }
    return {
      input: 'key',
      message: `is not a private key ssh can use (${reason}). Paste the whole key, OpenSSH or PEM format, BEGIN and END lines included.`,
    };
  }
  const first = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!first || first.getPrivatePEM() === null || !first.isPrivateKey()) {
    return { input: 'key', message: 'holds a public key; pass the private key.' };
  }
  return undefined;
}

/** known-hosts is either known_hosts lines or the path of such a file. */
function readKnownHosts(inputs: InputReader, name: string): string | undefined {
  const value = inputs.string(name);
  if (value === undefined) return undefined;
  const looksLikePath = !/\s/.test(value);
  if (looksLikePath) {
    if (!existsSync(value)) {
      inputs.problem(name, `'${value}' is neither known_hosts lines nor an existing file.`);
      return undefined;
    }
    const text = readFileSync(value, 'utf8');
    if (parseKnownHosts(text).length === 0) inputs.problem(name, `${value} holds no known_hosts entries.`);
    return text;
  }
  if (parseKnownHosts(value).length === 0) {
    inputs.problem(
      name,
      'holds no valid known_hosts line (`host key-type base64-key`). Use `ssh-keyscan -p PORT HOST` output.',
    );
  }
  return value;
}

function readFingerprints(
  inputs: InputReader,
  name: string,
): { fingerprints: string[]; pinned: PinnedFingerprint[] } {
  const fingerprints: string[] = [];
  const pinned: PinnedFingerprint[] = [];
  for (const line of inputs.multiline(name)) {
    const parsed = parseFingerprintLine(line);
    if (!parsed)
      inputs.problem(
        name,
        `'${line}' is not a SHA256 fingerprint. Use the SHA256:... form \`ssh-keygen -lf\` prints, alone (any host) or as host=SHA256:... or host:port=SHA256:... (that host only).`,
      );
    else if (parsed.host === undefined) fingerprints.push(parsed.fingerprint);
    else
      pinned.push({
        host: parsed.host,
        fingerprint: parsed.fingerprint,
        ...(parsed.port ? { port: parsed.port } : {}),
      });
  }
  return { fingerprints, pinned };
}

/** Every pin names a target, and (unless something else verifies them) every target has a key expected. */
function checkPins(
  inputs: InputReader,
  name: string,
  keys: { fingerprints: string[]; pinned: PinnedFingerprint[] },
  targets: readonly SshTarget[],
  otherwiseVerified: boolean,
): void {
  for (const pin of keys.pinned) {
    if (!targets.some((t) => pinnedFor(pin, t)))
      inputs.problem(
        name,
        `pins a key for ${pin.host}${pin.port ? `:${pin.port}` : ''}, which is not a host this step connects to (${targets.map((t) => `${t.host}:${t.port}`).join(', ')}).`,
      );
  }
  if (otherwiseVerified || keys.fingerprints.length > 0 || keys.pinned.length === 0) return;
  for (const target of targets) {
    if (!keys.pinned.some((p) => pinnedFor(p, target)))
      inputs.problem(
        name,
        `has no fingerprint for ${target.host}:${target.port}: add ${target.host}=SHA256:... (or known-hosts), so that host can be verified.`,
      );
  }
}

/**
 * Reads host/port/username/private-key/passphrase/host-fingerprint/known-hosts/
 * insecure-ignore-host-key/proxy-*\/connect-timeout inputs (names as in
 * ssh-deploy/action.yml), recording problems on the reader.
 * With `required: false`, an unset `host` means "no SSH" and returns undefined.
 */
export function readSshConnectionInputs(
  inputs: InputReader,
  options: { required: boolean },
): { targets: SshTarget[]; settings: SshConnectionSettings } | undefined {
  if (!options.required && !inputs.has('host')) return undefined;
  const port = inputs.integer('port', { default: 22, min: 1, max: 65535 });
  const targets: SshTarget[] = [];
  for (const line of inputs.multiline('host', { required: true, commas: true })) {
    const target = parseHostSpec(line, port);
    if (typeof target === 'string') inputs.problem('host', target);
    else if (!targets.some((t) => t.host === target.host && t.port === target.port)) targets.push(target);
  }
  const username = inputs.string('username', { required: true });
  const privateKey = inputs.secret('private-key');
  const passphrase = inputs.secret('passphrase');
  if (privateKey !== undefined) {
    const problem = checkPrivateKey(privateKey, passphrase);
    if (problem) inputs.problem(problem.input === 'key' ? 'private-key' : 'passphrase', problem.message);
  } else if (!process.env['SSH_AUTH_SOCK']) {
    inputs.problem('private-key', 'is required: there is no SSH agent (SSH_AUTH_SOCK) to take a key from.');
  }
  const hostKeys = readFingerprints(inputs, 'host-fingerprint');
  const knownHosts = readKnownHosts(inputs, 'known-hosts');
  const insecureIgnore = inputs.boolean('insecure-ignore-host-key', { default: false });
  checkPins(inputs, 'host-fingerprint', hostKeys, targets, knownHosts !== undefined || insecureIgnore);
  if (!inputs.has('host-fingerprint') && !inputs.has('known-hosts') && !insecureIgnore) {
    inputs.problem(
      'host-fingerprint',
      'or known-hosts is required so the host can be verified. Get it with `ssh-keyscan -p PORT HOST | ssh-keygen -lf -` on a machine you trust (insecure-ignore-host-key: true skips the check, unsafely).',
    );
  }
  const hostKey: SshHostKeyPolicy = {
    fingerprints: hostKeys.fingerprints,
    ...(hostKeys.pinned.length ? { pinned: hostKeys.pinned } : {}),
    insecureIgnore,
    ...(knownHosts !== undefined ? { knownHosts } : {}),
  };
  const connectTimeoutMs = inputs.duration('connect-timeout', { default: '30s', min: 1000 });

  const settings: SshConnectionSettings = {
    username,
    hostKey,
    connectTimeoutMs,
    ...(privateKey !== undefined ? { privateKey } : {}),
    ...(passphrase !== undefined ? { passphrase } : {}),
  };

  const proxyHost = inputs.string('proxy-host');
  if (proxyHost !== undefined) {
    const proxyPort = inputs.integer('proxy-port', { default: 22, min: 1, max: 65535 });
    const proxyTarget = parseHostSpec(proxyHost, proxyPort);
    if (typeof proxyTarget === 'string') inputs.problem('proxy-host', proxyTarget);
    const proxyKey = inputs.secret('proxy-private-key');
    const proxyPassphrase = inputs.secret('proxy-passphrase');
    if (proxyKey !== undefined) {
      const problem = checkPrivateKey(proxyKey, proxyPassphrase);
      if (problem)
        inputs.problem(problem.input === 'key' ? 'proxy-private-key' : 'proxy-passphrase', problem.message);
    }
    const proxyKeys = readFingerprints(inputs, 'proxy-host-fingerprint');
    if (typeof proxyTarget !== 'string')
      checkPins(
        inputs,
        'proxy-host-fingerprint',
        proxyKeys,
        [proxyTarget],
        knownHosts !== undefined || insecureIgnore,
      );
    if (!inputs.has('proxy-host-fingerprint') && !inputs.has('known-hosts') && !insecureIgnore) {
      inputs.problem(
        'proxy-host-fingerprint',
        'or known-hosts is required so the bastion can be verified (the same rules as for the host).',
      );
    }
    if (typeof proxyTarget !== 'string') {
      const key = proxyKey ?? privateKey;
      const keyPassphrase = proxyKey !== undefined ? proxyPassphrase : passphrase;
      settings.proxy = {
        target: proxyTarget,
        username: inputs.string('proxy-username') ?? username,
        hostKey: {
          fingerprints: proxyKeys.fingerprints,
          ...(proxyKeys.pinned.length ? { pinned: proxyKeys.pinned } : {}),
          insecureIgnore,
          ...(knownHosts !== undefined ? { knownHosts } : {}),
        },
        ...(key !== undefined ? { privateKey: key } : {}),
        ...(keyPassphrase !== undefined ? { passphrase: keyPassphrase } : {}),
      };
    }
  }
  return { targets, settings };
}
