import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleArchive, collectBundle } from '../src/bundle.js';

let src: string;
beforeEach(() => {
  src = mkdtempSync(join(tmpdir(), 'bundle-src-'));
  for (const [path, content] of Object.entries({
    'docker-compose.yml': 'services: {}\n',
    'config/nginx.conf': 'n',
    '.env.example': 'A=',
    '.git/HEAD': 'ref',
    'docs/readme.md': 'd',
  })) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), content);
  }
});
afterEach(() => rmSync(src, { recursive: true, force: true }));

describe('collectBundle', () => {
  it('takes everything but .git when no globs are given, dotfiles included', async () => {
    const bundle = await collectBundle(src, []);
    expect(bundle.files).toEqual([
      '.env.example',
      'config/nginx.conf',
      'docker-compose.yml',
      'docs/readme.md',
    ]);
    expect(bundle.composeFile).toBe('docker-compose.yml');
  });

  it('takes only what the files globs match, directories expanded', async () => {
    const bundle = await collectBundle(src, ['docker-compose.yml', 'config']);
    expect(bundle.files).toEqual(['config/nginx.conf', 'docker-compose.yml']);
  });

  it('refuses globs that match nothing', async () => {
    await expect(collectBundle(src, ['nothing/*'])).rejects.toMatchObject({ code: 'bundle-empty' });
  });

  it('refuses a file name with a line break', async () => {
    writeFileSync(join(src, 'bad\nname'), 'x');
    await expect(collectBundle(src, [])).rejects.toMatchObject({ code: 'bundle-bad-name' });
  });

  it('streams an archive that tar unpacks to the same files', async () => {
    const bundle = await collectBundle(src, []);
    const chunks: Buffer[] = [];
    for await (const chunk of await bundleArchive(bundle)) chunks.push(chunk as Buffer);
    const listing = execFileSync('tar', ['-tzf', '-'], { input: Buffer.concat(chunks), encoding: 'utf8' });
    expect(listing.trim().split('\n').sort()).toEqual(bundle.files);
  });
});
