/**
 * How a file is scanned. Nothing is skipped by its name any more: lock files carry
 * tokens in `resolved` URLs, bundles and source maps carry whatever was bundled,
 * and a `creds.db` may well be text. Generated text is scanned with the rules for
 * exact formats and named providers (`exact`); the broad `name = value` rules would
 * only be noise there.
 */
const LOCK_FILES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'yarn.lock',
  'pnpm-lock.yaml',
  'bun.lock',
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

export type Profile = 'all' | 'exact';

export function profileForName(path: string): Profile {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  if (LOCK_FILES.has(name)) return 'exact';
  if (/\.min\.(?:js|mjs|cjs|css)$/.test(name) || name.endsWith('.map')) return 'exact';
  return 'all';
}

/** Only size keeps a file from being read; it is listed as not scanned. */
export function skipReasonForSize(size: number, maxFileBytes: number): string | undefined {
  if (size > maxFileBytes) return `larger than ${Math.round(maxFileBytes / 1048576)} MiB`;
  return undefined;
}

const BASE64 = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=')
  BASE64[c.charCodeAt(0)] = 1;

/** Only lines longer than this (in bytes) count towards looking minified. */
export const MINIFIED_LINE = 1000;

/**
 * A bundle puts thousands of characters of code on each line. Long runs of
 * base64 (a data URI, an inlined font) are not code: a hand-written config.js
 * with one data-URI line is not minified.
 */
export function looksMinified(path: string, data: Uint8Array): boolean {
  if (!/\.(?:js|mjs|cjs|css)$/i.test(path) || data.length <= 4096) return false;
  let longCode = 0;
  let base64 = 0;
  const buffer = Buffer.isBuffer(data) ? data : Buffer.from(data.buffer, data.byteOffset, data.length);
  // Lines are found with the native indexOf; only the long ones are decoded and measured.
  for (let lineStart = 0; lineStart < buffer.length;) {
    let lineEnd = buffer.indexOf(10, lineStart);
    if (lineEnd < 0) lineEnd = buffer.length;
    if (lineEnd - lineStart > MINIFIED_LINE) {
      // Runs of 200+ base64 characters, counted on the bytes (a regex here cost more than the scan).
      let runs = 0;
      let run = 0;
      for (let i = lineStart; i < lineEnd; i++) {
        if (BASE64[buffer[i]!] === 1) run++;
        else {
          if (run >= 200) runs += run;
          run = 0;
        }
      }
      if (run >= 200) runs += run;
      base64 += runs;
      if (lineEnd - lineStart - runs > MINIFIED_LINE) longCode += lineEnd - lineStart - runs;
    }
    lineStart = lineEnd + 1;
  }
  const code = buffer.length - base64;
  return code > 0 && longCode > code / 2;
}
