/** Why a file is not scanned: lock files, binaries and minified bundles hold no hand-written secrets but cost the most time. */
const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lockb',
  'composer.lock',
  'gemfile.lock',
  'cargo.lock',
  'poetry.lock',
  'pipfile.lock',
  'uv.lock',
  'go.sum',
  'packages.lock.json',
  'pubspec.lock',
  'mix.lock',
  'flake.lock',
]);

const BINARY_EXTENSIONS = new Set(
  (
    'png jpg jpeg gif bmp ico webp tiff psd svgz pdf zip gz tgz bz2 xz 7z rar zst jar war ear class dex so dylib dll exe ' +
    'bin o a lib obj pyc pyo whl egg woff woff2 ttf otf eot mp3 mp4 m4a mov avi mkv webm wav flac ogg db sqlite ' +
    'sqlite3 parquet avro onnx pt pth ckpt h5 npy npz pkl iso dmg img deb rpm msi apk ipa'
  ).split(' '),
);

export function skipReasonForName(path: string, size: number, maxFileBytes: number): string | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (LOCK_FILES.has(name)) return 'lock file';
  const dot = name.lastIndexOf('.');
  const ext = dot >= 0 ? name.slice(dot + 1) : '';
  if (BINARY_EXTENSIONS.has(ext)) return 'binary';
  if (/\.min\.(?:js|mjs|cjs|css)$/.test(name) || ext === 'map') return 'minified';
  if (size > maxFileBytes) return `larger than ${Math.round(maxFileBytes / 1048576)} MiB`;
  return undefined;
}

export function skipReasonForContent(path: string, data: Uint8Array): string | undefined {
  const head = data.subarray(0, 8000);
  if (head.includes(0)) return 'binary';
  if (/\.(?:js|mjs|cjs|css)$/i.test(path) && data.length > 4096) {
    let newlines = 0;
    for (let i = data.indexOf(10); i !== -1; i = data.indexOf(10, i + 1)) newlines++;
    // Hand-written code averages well under 200 characters a line; bundles put thousands on one.
    if (data.length / (newlines + 1) > 1000) return 'minified';
  }
  return undefined;
}
