import { runAction } from '../harness/run-action.js';

// Every bundled action, run as the runner runs it, rejects bad input before doing
// anything: a non-zero exit and one ::error:: annotation naming each bad input.
const cases: { action: string; inputs: Record<string, string>; names: string[] }[] = [
  {
    action: 'secret-scan-gate',
    inputs: { mode: 'bogus', 'fail-on': 'sometimes' },
    names: ['mode', 'fail-on'],
  },
  { action: 'verify-signature', inputs: {}, names: ['image'] },
  { action: 'render-env', inputs: { format: 'yaml', policy: 'paranoid' }, names: ['format', 'policy'] },
  { action: 'ssh-deploy', inputs: { port: 'ssh' }, names: ['host', 'username', 'remote-dir', 'port'] },
  { action: 'wait-ready', inputs: { url: 'http://127.0.0.1:9/', timeout: 'soon' }, names: ['timeout'] },
];

describe.each(cases)('the bundled $action action', ({ action, inputs, names }) => {
  it('fails with one annotation naming every invalid input', async () => {
    const run = await runAction(action, { inputs, timeoutMs: 30_000 });
    expect(run.exitCode).not.toBe(0);
    const errors = run.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    for (const name of names) expect(errors[0]!.message).toContain(`'${name}'`);
    expect(run.outputs['error-code']).toBe('invalid-input');
  });
});
