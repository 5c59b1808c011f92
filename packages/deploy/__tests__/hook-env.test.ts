import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeEnvFiles, formatShellExports, READ_ENV_FILES_SCRIPT } from '../src/hook-env.js';

const nasty = `a\`touch x\`b $HOME $$ "q" 'q' \\ \\n  sp\nline2 $(id) \u00e9\u4e2d\t end\n`;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hook-env-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('hook environment', () => {
  it.each([
    ['dash', ['/usr/bin/dash']],
    ['busybox sh', ['/usr/bin/busybox', 'sh']],
    ['bash', ['/bin/bash']],
  ])('hands a value through %s byte for byte', (_name, shell) => {
    const file = join(dir, 'exports');
    const { text, skipped } = formatShellExports(
      new Map([
        ['SECRET', nasty],
        ['EMPTY', ''],
        ['dotted.key', 'x'],
      ]),
    );
    expect(skipped).toEqual(['dotted.key']);
    writeFileSync(file, text);
    const out = execFileSync(
      shell[0]!,
      [...shell.slice(1), '-c', `. "$1" && printf '%s|%s' "$SECRET" "$EMPTY"`, 'sh', file],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(out).toBe(`${nasty}|`);
  });

  it.each([
    ['dash', ['/usr/bin/dash']],
    ['busybox sh', ['/usr/bin/busybox', 'sh']],
  ])('reads env files as exact bytes under %s, and says which are missing', (_name, shell) => {
    writeFileSync(join(dir, 'one.env'), `K='${nasty.replace(/'/g, '')}'\n`);
    writeFileSync(join(dir, 'empty.env'), '');
    const stdout = execFileSync(
      shell[0]!,
      [...shell.slice(1), '-c', READ_ENV_FILES_SCRIPT, 'sh', dir, 'one.env', 'missing.env', 'empty.env'],
      { encoding: 'utf8' },
    );
    const files = decodeEnvFiles(stdout, 3);
    expect(files[0]?.toString('utf8')).toBe(`K='${nasty.replace(/'/g, '')}'\n`);
    expect(files[1]).toBeUndefined();
    expect(files[2]?.length).toBe(0);
  });
});
