/**
 * SHA-256 of cosign's release binaries, per version and asset, shipped in the code so that
 * nothing downloaded vouches for itself (a release's `cosign_checksums.txt` comes from the
 * same place as the binary and is not signed in a way we check).
 *
 * Source: sigstore/cosign-installer's action.yml, which pins the same hashes for its
 * bootstrap cosign (history of https://github.com/sigstore/cosign-installer, one commit per
 * version); v2.4.1 cross-checked against other projects quoting cosign_checksums.txt.
 * To add a version: take both hashes from the release's checksum file *and* a second source.
 */
const KNOWN_COSIGN_SHA256: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'v2.4.0': {
    'cosign-linux-amd64': 'cd7636b3586a3bdac2d9c8f3b421ed119edcb20499107887fd929211110e8418',
    'cosign-linux-arm64': 'e9db44c01057395230d0454144c676e7231bff08249620b0170ea19ff201de94',
  },
  'v2.4.1': {
    'cosign-linux-amd64': '8b24b946dd5809c6bd93de08033bcf6bc0ed7d336b7785787c080f574b89249b',
    'cosign-linux-arm64': '3b2e2e3854d0356c45fe6607047526ccd04742d20bd44afb5be91fa2a6e7cb4a',
  },
  'v2.4.2': {
    'cosign-linux-amd64': 'e7f5bd99a790703333e8f8e8e6c91d5e646f3d7041e4cf935b56587de20cec3f',
    'cosign-linux-arm64': '9ab2a932190161d67b9fcda81777e28086b2152c7d506a0e2f83dbb3fd7e2b1c',
  },
  'v2.4.3': {
    'cosign-linux-amd64': 'caaad125acef1cb81d58dcdc454a1e429d09a750d1e9e2b3ed1aed8964454708',
    'cosign-linux-arm64': 'bd0f9763bca54de88699c3656ade2f39c9a1c7a2916ff35601caf23a79be0629',
  },
  'v2.5.0': {
    'cosign-linux-amd64': '1f6c194dd0891eb345b436bb71ff9f996768355f5e0ce02dde88567029ac2188',
    'cosign-linux-arm64': '080a998f9878f22dafdb9ad54d5b2e2b8e7a38c53527250f9d89a6763a28d545',
  },
  'v2.5.1': {
    'cosign-linux-amd64': 'd86013612a132b67a2b60bc4ae4a09dbb1cd7ddcb7491dfd54ef2cdb7cb9180c',
    'cosign-linux-arm64': '8b0acceb2dcd64eb85a90a302acf585da8734c9cf518088f2b11354012d27091',
  },
  'v2.5.2': {
    'cosign-linux-amd64': 'bcfeae05557a9f313ee4392d2f335d0ff69ebbfd232019e3736fb04999fe1734',
    'cosign-linux-arm64': '2cbcea1873ad76274c3f241ef175d204654e3aac3e73e6ec4504e5227015cb0a',
  },
  'v2.5.3': {
    'cosign-linux-amd64': '783b5d6c74105401c63946c68d9b2a4e1aab3c8abce043e06b8510b02b623ec9',
    'cosign-linux-arm64': 'bffabe4cf183122b7de3111257a863c99e7dc6cf1093bfd7bf961de1795589b8',
  },
  'v2.6.0': {
    'cosign-linux-amd64': 'ea5c65f99425d6cfbb5c4b5de5dac035f14d09131c1a0ea7c7fc32eab39364f9',
    'cosign-linux-arm64': 'e09684650882fd721ed22b716ffc399ee11426cd4d1c9b4fec539cba8bf46b86',
  },
  'v2.6.1': {
    'cosign-linux-amd64': '064954c5d8c7e3b28188eee5b1727b31c411550bc5fefd41aa672d3c761d103a',
    'cosign-linux-arm64': '56a16480bdd56ec789abaa65924402f6b92c0041f06885995853c05567b76f34',
  },
  'v3.0.1': {
    'cosign-linux-amd64': '23c9ff889672f03676b673539de07d5ad4e8efc8247a3ad55c9bc00169aa2305',
    'cosign-linux-arm64': '8f5bb6899118d521d7b12252f06d5808fba4e6cb0a23ff120ed6c14d7c87863a',
  },
  'v3.0.2': {
    'cosign-linux-amd64': '46dbdcb5467a3dfec2526923d0b3365e40c8d9dc00ec23d5aca3437449e8cbfd',
    'cosign-linux-arm64': '17fd784737ca54d7d8a343c82da6c5d6dbdee971e66644d923d1b057fb97d7ed',
  },
  'v3.0.3': {
    'cosign-linux-amd64': '052363a0e23e2e7ed53641351b8b420918e7e08f9c1d8a42a3dd3877a78a2e10',
    'cosign-linux-arm64': '81398231362031e3c7afd6a7508c57049460cd7e02736f1ebe89a452102253e5',
  },
  'v3.0.5': {
    'cosign-linux-amd64': 'db15cc99e6e4837daabab023742aaddc3841ce57f193d11b7c3e06c8003642b2',
    'cosign-linux-arm64': 'd098f3168ae4b3aa70b4ca78947329b953272b487727d1722cb3cb098a1a20ab',
  },
  'v3.0.6': {
    'cosign-linux-amd64': 'c956e5dfcac53d52bcf058360d579472f0c1d2d9b69f55209e256fe7783f4c74',
    'cosign-linux-arm64': 'bedac92e8c3729864e13d4a17048007cfafa79d5deca993a43a90ffe018ef2b8',
  },
  'v3.1.1': {
    'cosign-linux-amd64': 'ae1ecd212663f3693ad9edf8b1a183900c9a52d3155ba6e354237f9a0f6463fc',
    'cosign-linux-arm64': '2ec865872e331c32fd12b08dae15332d3f92c0aa029219589684a4903ca85d11',
  },
};

/** The release asset for this runner: `cosign-linux-amd64` and the like. */
export function cosignAsset(
  platform: NodeJS.Platform = process.platform,
  arch: string = process.arch,
): string {
  return `cosign-${platform === 'darwin' ? 'darwin' : 'linux'}-${arch === 'arm64' ? 'arm64' : 'amd64'}`;
}

/** The shipped hash of `version` (`v2.4.1` or `2.4.1`) for this runner's asset, if known. */
export function knownCosignSha256(version: string, asset: string = cosignAsset()): string | undefined {
  return KNOWN_COSIGN_SHA256[`v${version.replace(/^v/, '')}`]?.[asset];
}
