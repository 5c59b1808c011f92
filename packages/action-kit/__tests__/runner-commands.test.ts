import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jest } from '@jest/globals';
import { runner } from '@deploy-actions/action-kit';
import { parseFileCommand, parseWorkflowCommands } from '../../../test/harness/run-action.js';

function captureStdout(fn: () => void): string {
  let out = '';
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    out += String(chunk);
    return true;
  });
  try {
    fn();
  } finally {
    spy.mockRestore();
  }
  return out;
}

describe('runner commands', () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    process.exitCode = undefined;
  });

  it('writes a multi-line output that the runner reads back unchanged', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'out-')), 'output');
    writeFileSync(file, '');
    process.env['GITHUB_OUTPUT'] = file;
    runner.setOutput('hosts', '[{"host":"a"}]\nsecond line');
    runner.setOutput('empty', '');
    expect(parseFileCommand(readFileSync(file, 'utf8'))).toEqual({
      hosts: '[{"host":"a"}]\nsecond line',
      empty: '',
    });
  });

  it('escapes annotation text so a newline or percent sign cannot end the command', () => {
    const out = captureStdout(() =>
      runner.annotate('error', '50% done\n::warning::fake', { file: 'a,b:c', startLine: 3 }),
    );
    expect(out.split('\n').filter(Boolean)).toHaveLength(1);
    const parsed = parseWorkflowCommands(out).annotations[0]!;
    expect(parsed.message).toBe('50% done\n::warning::fake');
    expect(parsed.properties).toEqual({ file: 'a,b:c', line: '3' });
  });

  it('marks the step failed with an exit code and an error annotation', () => {
    const out = captureStdout(() => runner.setFailed('it broke'));
    expect(process.exitCode).toBe(1);
    expect(out).toContain('::error::it broke');
  });

  it('reads state saved for the post step from STATE_ variables', () => {
    process.env['STATE_lock'] = '/srv/app/.lock';
    expect(runner.getState('lock')).toBe('/srv/app/.lock');
    expect(runner.getState('missing')).toBe('');
  });
});
