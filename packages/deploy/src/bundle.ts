import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { UserError } from '@deploy-actions/action-kit';
// tar and tinyglobby are loaded when a bundle is collected or packed, not at
// start-up, so a step that rejects its inputs does not pay for them.

/** The compose file names compose itself looks for, in its order of preference. */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
];

export interface Bundle {
  sourceDir: string;
  /** Relative paths, sorted, `/`-separated. */
  files: string[];
  /** sha256 of every file, for the release record. */
  checksums: Record<string, string>;
  totalBytes: number;
  /** The bundle's own compose file, if it carries one. */
  composeFile?: string;
}

function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

/**
 * Lists the files to ship: the `files` globs in sourceDir (everything but .git
 * when none are given). Names with a newline are refused, because the host-side
 * file lists are one path a line.
 */
export async function collectBundle(sourceDir: string, patterns: readonly string[]): Promise<Bundle> {
  if (!existsSync(sourceDir) || !statSync(sourceDir).isDirectory()) {
    throw new UserError('bundle-missing', `source-dir '${sourceDir}' is not a directory.`);
  }
  const files = (
    await (
      await import('tinyglobby')
    ).glob(patterns.length > 0 ? [...patterns] : ['**'], {
      cwd: sourceDir,
      dot: true,
      onlyFiles: true,
      followSymbolicLinks: false,
      ignore: ['.git/**'],
      expandDirectories: true,
    })
  ).sort();
  if (files.length === 0) {
    throw new UserError(
      'bundle-empty',
      `No files in source-dir '${sourceDir}' match files (${patterns.join(', ') || '**'}).`,
    );
  }
  // Globs never match a name with a line break, so such a file would silently stay behind; say so instead.
  const badName = (readdirSync(sourceDir, { recursive: true }) as string[]).find(
    (f) => /[\r\n]/.test(f) && !f.startsWith('.git/'),
  );
  if (badName !== undefined) {
    throw new UserError(
      'bundle-bad-name',
      `source-dir holds a file whose name contains a line break (${JSON.stringify(badName)}); rename or remove it.`,
    );
  }
  const checksums: Record<string, string> = {};
  let totalBytes = 0;
  for (const file of files) {
    const path = join(sourceDir, file);
    checksums[file] = await sha256File(path);
    totalBytes += statSync(path).size;
  }
  const composeFile = COMPOSE_FILE_NAMES.find((name) => files.includes(name));
  return { sourceDir, files, checksums, totalBytes, ...(composeFile ? { composeFile } : {}) };
}

/** The bundle as one gzip'd tar stream, read from disk as it is sent. */
export async function bundleArchive(bundle: Bundle): Promise<Readable> {
  const { create: createTar } = await import('tar');
  return createTar(
    { cwd: bundle.sourceDir, gzip: { level: 1 }, portable: true },
    bundle.files,
  ) as unknown as Readable;
}
