export type {
  SshTarget,
  SshHostKeyPolicy,
  PinnedFingerprint,
  SshProxySettings,
  SshConnectionSettings,
  SshConnection,
  ExecOptions,
  ExecResult,
} from './types.js';
export { quoteShellArg, quoteCommand, buildRemoteScript } from './quote.js';
export {
  fingerprintOf,
  keyTypeOf,
  parseFingerprint,
  parseFingerprintLine,
  pinnedFor,
  parseKnownHosts,
  hostFieldMatches,
  verifyHostKey,
  type KnownHostEntry,
  type HostKeyVerdict,
} from './host-keys.js';
export { readSshConnectionInputs, parseHostSpec, checkPrivateKey } from './inputs.js';
export { connectSsh, describeTarget, LineSplitter } from './connect.js';
export { localConnection } from './local.js';
