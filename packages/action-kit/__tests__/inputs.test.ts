import { InputError, InputReader } from '@deploy-actions/action-kit';

function reader(inputs: Record<string, string>, masked: string[] = []): InputReader {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new InputReader({ env, mask: (s) => masked.push(s) });
}

describe('InputReader', () => {
  it('reads an input whose name has hyphens, as the runner passes it', () => {
    expect(reader({ 'remote-dir': ' /opt/app ' }).string('remote-dir')).toBe('/opt/app');
  });

  it('reports every invalid input at once, naming each', () => {
    const r = reader({ mode: 'bogus', timeout: 'soon' });
    r.string('host', { required: true });
    r.enum('mode', ['auto', 'tree'] as const, { default: 'auto' });
    r.duration('timeout', { default: '5m' });
    expect(() => r.finish()).toThrow(InputError);
    try {
      r.finish();
    } catch (error) {
      const message = (error as InputError).message;
      expect(message).toContain("'host'");
      expect(message).toContain("'mode': 'bogus' is not one of auto, tree");
      expect(message).toContain("'timeout'");
      expect((error as InputError).problems).toHaveLength(3);
    }
  });

  it('does not throw from finish() when every input is valid', () => {
    const r = reader({ port: '2222' });
    expect(r.integer('port', { default: 22, min: 1, max: 65535 })).toBe(2222);
    expect(() => r.finish()).not.toThrow();
  });

  it('rejects a port outside its range', () => {
    const r = reader({ port: '70000' });
    r.integer('port', { default: 22, min: 1, max: 65535 });
    expect(r.errors[0]?.message).toMatch(/too large/);
  });

  it('accepts the usual spellings of booleans and rejects others', () => {
    expect(reader({ a: 'TRUE' }).boolean('a', { default: false })).toBe(true);
    expect(reader({ a: 'no' }).boolean('a', { default: true })).toBe(false);
    const r = reader({ a: 'maybe' });
    r.boolean('a', { default: false });
    expect(r.errors).toHaveLength(1);
  });

  it('splits multiline inputs, dropping blanks and comments', () => {
    expect(reader({ host: 'a\n\n# note\n b:2222 \n' }).multiline('host')).toEqual(['a', 'b:2222']);
  });

  it('masks a secret input before returning it', () => {
    const masked: string[] = [];
    expect(reader({ key: 's3cr3t-value' }, masked).secret('key')).toBe('s3cr3t-value');
    expect(masked).toEqual(['s3cr3t-value']);
  });

  it('masks every string in a secret JSON object and never quotes invalid JSON', () => {
    const masked: string[] = [];
    const r = reader({ secrets: '{"DB_PASSWORD":"hunter22","TOKEN":"abc123xyz"}' }, masked);
    expect(r.json('secrets', { secret: true })).toEqual({ DB_PASSWORD: 'hunter22', TOKEN: 'abc123xyz' });
    expect(masked).toEqual(expect.arrayContaining(['hunter22', 'abc123xyz']));
    const bad = reader({ secrets: '{"A": "topsecret' });
    bad.json('secrets', { secret: true });
    expect(bad.errors[0]?.message).not.toContain('topsecret');
  });

  it('reads a mapping from KEY=VALUE lines or from YAML', () => {
    expect([...reader({ vars: 'A=1\nB=x=y' }).mapping('vars')]).toEqual([
      ['A', '1'],
      ['B', 'x=y'],
    ]);
    expect([...reader({ vars: 'A: 1\nB: two' }).mapping('vars')]).toEqual([
      ['A', '1'],
      ['B', 'two'],
    ]);
  });

  it('keeps trailing spaces of a KEY=VALUE value', () => {
    const env = { INPUT_VARS: 'A=padded  \nB=x' };
    expect(new InputReader({ env }).mapping('vars').get('A')).toBe('padded  ');
  });

  it('reports a mapping line that is not KEY=VALUE with its line number', () => {
    const r = reader({ vars: 'A=1\noops' });
    r.mapping('vars');
    expect(r.errors[0]?.message).toContain('line 2');
  });
});
