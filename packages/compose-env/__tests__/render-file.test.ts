import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordingLogger, UserError } from '@deploy-actions/action-kit';
import { renderEnvFile, type RenderEnvCheck, type RenderEnvFileOptions } from '../src/index.js';

function options(overrides: Partial<RenderEnvFileOptions> = {}): RenderEnvFileOptions {
  return {
    template: { name: '.env.example', text: 'APP_URL=https://example.com\nDB_PASSWORD=\n' },
    envFiles: [],
    vars: new Map(),
    secrets: { DB_PASSWORD: 's3cret-value' },
    secretValues: ['s3cret-value'],
    output: join(mkdtempSync(join(tmpdir(), 'render-file-')), 'out', '.env'),
    format: 'dotenv',
    composeFiles: [],
    requireDigest: false,
    policy: 'none',
    deployOnly: false,
    dataRoot: undefined,
    verifiedImages: [],
    allowImages: [],
    checkImages: false,
    secretKeys: undefined,
    forbiddenKeys: new Set(),
    protectedKeys: new Set(),
    ...overrides,
  };
}

describe('renderEnvFile', () => {
  it('writes the rendered keys to a mode 0600 file and says which keys it wrote', async () => {
    const o = options();
    const file = await renderEnvFile(o, new RecordingLogger());
    expect(file.path).toBe(o.output);
    expect(file.keys).toEqual(['APP_URL', 'DB_PASSWORD']);
    expect(readFileSync(o.output, 'utf8')).toContain('DB_PASSWORD=');
    expect(readFileSync(o.output, 'utf8')).toContain('s3cret-value');
    expect(statSync(o.output).mode & 0o777).toBe(0o600);
    expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(file.composeConfig).toBeUndefined();
  });

  it('reports what it checked, then fails on an unpinned image without writing anything', async () => {
    const compose = { name: 'compose.yml', text: 'services:\n  app:\n    image: registry.test/app:1.0\n' };
    const o = options({ composeFiles: [compose], requireDigest: true });
    const seen: RenderEnvCheck[] = [];
    const temps: string[] = [];
    const error = await renderEnvFile(o, new RecordingLogger(), {
      checked: (check) => seen.push(check),
      beforeWrite: (temp) => temps.push(temp),
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('image-not-pinned');
    expect(seen).toHaveLength(1);
    expect(seen[0]!.unpinned.map((u) => u.service)).toEqual(['app']);
    expect(temps).toEqual([]);
    expect(existsSync(o.output)).toBe(false);
  });

  it('names the template input when a required key has no value', async () => {
    const o = options({ secrets: {}, secretValues: [] });
    await expect(renderEnvFile(o, new RecordingLogger())).rejects.toThrow(
      /^Input 'template' \(\.env\.example\)/,
    );
    expect(existsSync(o.output)).toBe(false);
  });

  it('tells the caller the temp file before writing it, and leaves none behind', async () => {
    const o = options();
    const temps: string[] = [];
    await renderEnvFile(o, new RecordingLogger(), { beforeWrite: (temp) => temps.push(temp) });
    expect(temps).toHaveLength(1);
    expect(temps[0]!.startsWith(join(o.output, '..'))).toBe(true);
    expect(existsSync(temps[0]!)).toBe(false);
  });
});
