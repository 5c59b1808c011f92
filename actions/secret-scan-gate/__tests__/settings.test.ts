import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputReader } from '@deploy-actions/action-kit';
import { readSettings } from '../src/settings.js';

function read(inputs: Record<string, string>, env: Record<string, string> = {}) {
  const workspace = mkdtempSync(join(tmpdir(), 'settings-'));
  const vars: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: workspace, ...env };
  for (const [k, v] of Object.entries(inputs)) vars[`INPUT_${k.toUpperCase()}`] = v;
  const reader = new InputReader({ env: vars });
  const settings = readSettings(reader, vars);
  return { settings, problems: reader.errors.map((p) => p.input), workspace };
}

describe('readSettings', () => {
  it('resolves paths against the workspace and applies the defaults', () => {
    const { settings, problems, workspace } = read({});
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({
      path: workspace,
      mode: 'auto',
      failOn: 'any',
      maxAnnotations: 50,
      sarifFile: join(workspace, 'secret-scan.sarif'),
    });
  });

  it('leaves live checks off by default, with a 10 s budget', () => {
    expect(read({}).settings).toMatchObject({ verify: false, verifyTimeoutMs: 10_000 });
  });

  it('reads verify, verify-timeout and fail-on: verified together', () => {
    const { settings, problems } = read({ verify: 'true', 'verify-timeout': '3s', 'fail-on': 'verified' });
    expect(problems).toEqual([]);
    expect(settings).toMatchObject({ verify: true, verifyTimeoutMs: 3000, failOn: 'verified' });
  });

  it('names fail-on when verified is asked for without verify: true', () => {
    expect(read({ 'fail-on': 'verified' }).problems).toEqual(['fail-on']);
  });

  it('names verify and verify-timeout when they are not a boolean and a duration', () => {
    expect(read({ verify: 'maybe', 'verify-timeout': 'soon' }).problems.sort()).toEqual([
      'verify',
      'verify-timeout',
    ]);
  });

  it('reports every bad input at once', () => {
    const { problems } = read({
      path: 'missing',
      mode: 'everything',
      'fail-on': 'some',
      config: 'none.toml',
      baseline: 'old.json',
      'max-annotations': 'many',
    });
    expect(problems.sort()).toEqual(['baseline', 'config', 'fail-on', 'max-annotations', 'mode', 'path']);
  });

  it('asks for a base in diff mode when the event has none', () => {
    expect(read({ mode: 'diff' }).problems).toEqual(['base']);
  });
});
