import { execFileSync } from 'node:child_process';
import { buildRemoteScript, quoteCommand, quoteShellArg } from '../src/quote.js';

// What a real POSIX shell makes of a command line: each argument on its own NUL-terminated record.
function wordsAfterShell(commandLine: string): string[] {
  const out = execFileSync('sh', ['-c', `printf '%s\\0' ${commandLine}`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const hostile = [
  "it's",
  '$(touch /tmp/pwned)',
  '`id`',
  'a b\tc\nd',
  '; rm -rf / #',
  '"double" and \\backslash',
  '${HOME}',
  '*',
  '-n',
  '~root',
  "'",
  "''",
  '!event',
  '',
  'ünïcödé',
];

describe('quoteShellArg', () => {
  it.each(hostile)('passes %j through sh unchanged', (arg) => {
    expect(wordsAfterShell(quoteShellArg(arg))).toEqual([arg]);
  });

  it('leaves plain words readable', () => {
    expect(quoteShellArg('/srv/app-1/releases/20240101.abc')).toBe('/srv/app-1/releases/20240101.abc');
  });

  it('refuses a NUL byte, which no shell can carry', () => {
    expect(() => quoteShellArg('a\0b')).toThrow(/NUL/);
  });
});

describe('quoteCommand', () => {
  it('keeps every argument of a hostile argv a single word', () => {
    expect(wordsAfterShell(quoteCommand(hostile))).toEqual(hostile);
  });
});

describe('buildRemoteScript', () => {
  it('runs in cwd with env exported, both quoted', () => {
    const script = buildRemoteScript(['sh', '-c', 'pwd; printf %s "$X"'], {
      cwd: '/',
      env: { X: "a'b $(id)" },
    });
    expect(execFileSync('sh', ['-c', script], { encoding: 'utf8' })).toBe("/\na'b $(id)");
  });

  it('refuses an environment name that would be shell syntax', () => {
    expect(() => buildRemoteScript(['true'], { env: { 'A;id': 'x' } })).toThrow(
      /not a valid environment variable name/,
    );
  });

  it('stops before the command when cwd does not exist', () => {
    const script = buildRemoteScript(['echo', 'ran'], { cwd: '/no/such/dir' });
    expect(() => execFileSync('sh', ['-c', script], { encoding: 'utf8', stdio: 'pipe' })).toThrow();
  });
});
