import { interpolate, InvalidTemplateError, MissingRequiredError, substitute } from '../src/index.js';

const env: Record<string, string> = {
  FOO: 'first',
  EMPTY: '',
  JSON: '{"json":2}',
  _: 'u',
  lower: 'low',
  FOO_BAR: 'fb',
};
const lookup = (name: string): string | undefined => (Object.hasOwn(env, name) ? env[name] : undefined);
const run = (template: string): string => interpolate(template, lookup);
const errorOf = (template: string): Error => {
  try {
    run(template);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`${template} did not fail`);
};

describe('interpolate, as compose does', () => {
  it('replaces ${VAR} and $VAR with the value', () => {
    expect(run('a ${FOO} b $FOO c')).toBe('a first b first c');
  });

  it('replaces an unset variable with an empty string and reports it', () => {
    const unset: string[] = [];
    expect(interpolate('[${NOPE}][$NOPE]', lookup, { onUnset: (n) => unset.push(n) })).toBe('[][]');
    expect(unset).toEqual(['NOPE', 'NOPE']);
  });

  it('does not report a variable that is set to an empty string', () => {
    const unset: string[] = [];
    expect(interpolate('[${EMPTY}]', lookup, { onUnset: (n) => unset.push(n) })).toBe('[]');
    expect(unset).toEqual([]);
  });

  it('turns $$ into a literal $ and does not interpolate after it', () => {
    expect(run('$${FOO} $$FOO $$$FOO')).toBe('${FOO} $FOO $first');
  });

  it('leaves a $ that starts no expression as it is', () => {
    expect(run('a $ b $} c $1 $')).toBe('a $ b $} c $1 $');
  });

  it('ends an unbraced name at the first character that cannot be in a name', () => {
    expect(run('$FOO-bar $FOO_BAR.baz $FOO:-x')).toBe('first-bar fb.baz first:-x');
  });

  it('accepts lower-case names and the underscore alone', () => {
    expect(run('${lower} $_')).toBe('low u');
  });

  it('uses the :- default when the variable is unset or empty', () => {
    expect(run('${NOPE:-d}|${EMPTY:-d}|${FOO:-d}')).toBe('d|d|first');
  });

  it('uses the - default only when the variable is unset', () => {
    expect(run('${NOPE-d}|${EMPTY-d}|${FOO-d}')).toBe('d||first');
  });

  it('uses the :+ alternative only when the variable is set and not empty', () => {
    expect(run('${NOPE:+a}|${EMPTY:+a}|${FOO:+a}')).toBe('||a');
  });

  it('uses the + alternative whenever the variable is set, even empty', () => {
    expect(run('${NOPE+a}|${EMPTY+a}|${FOO+a}')).toBe('|a|a');
  });

  it('fails on ${VAR:?msg} when the variable is empty, naming it and the message', () => {
    const error = errorOf('x ${EMPTY:?set EMPTY first}');
    expect(error).toBeInstanceOf(MissingRequiredError);
    expect(error.message).toBe('required variable EMPTY is missing a value: set EMPTY first');
  });

  it('accepts an empty variable for ${VAR?msg} and fails only when it is unset', () => {
    expect(run('[${EMPTY?msg}]')).toBe('[]');
    expect(errorOf('${NOPE?msg}').message).toBe('required variable NOPE is missing a value: msg');
  });

  it('words the required error without a colon when no message is given', () => {
    expect(errorOf('${NOPE:?}').message).toBe('required variable NOPE is missing a value');
  });

  it('interpolates the required message', () => {
    expect(errorOf('${NOPE:?needed by ${FOO}}').message).toBe(
      'required variable NOPE is missing a value: needed by first',
    );
  });

  it('picks the first operator after the name, so later operator characters belong to the argument', () => {
    expect(run('${NOPE-a:?b+c}')).toBe('a:?b+c');
    expect(errorOf('${NOPE?a-b}').message).toBe('required variable NOPE is missing a value: a-b');
  });

  it('expands variables nested in a default', () => {
    expect(run('${NOPE:-${EMPTY:-${FOO}}_x}')).toBe('first_x');
  });

  it('interpolates a default only when it is used', () => {
    const unset: string[] = [];
    expect(interpolate('${FOO:-${NOPE}}', lookup, { onUnset: (n) => unset.push(n) })).toBe('first');
    expect(interpolate('${NOPE:+${NOPE}}', lookup, { onUnset: (n) => unset.push(n) })).toBe('');
    expect(unset).toEqual([]);
  });

  it('fails on a required variable inside a used default', () => {
    expect(errorOf('${NOPE:-${OTHER:?need other}}').message).toBe(
      'required variable OTHER is missing a value: need other',
    );
  });

  it('keeps the braces of a JSON default balanced', () => {
    expect(run('${NOPE:-{"a":1}}|${JSON:-{"a":1}}')).toBe('{"a":1}|{"json":2}');
  });

  it('keeps a stray closing brace after an expression', () => {
    expect(run('${NOPE:-a}}')).toBe('a}');
  });

  it('reports invalid templates with the whole template quoted as Go prints it', () => {
    for (const template of [
      '${',
      '${}',
      '${ }',
      '${ FOO}',
      '${FOO }',
      '${FOO!}',
      '${1}',
      '${FOO/a/b}',
      'x ${FOO:-x',
    ]) {
      const error = errorOf(template);
      expect(error).toBeInstanceOf(InvalidTemplateError);
      expect(error.message).toBe(`Invalid template: ${JSON.stringify(template)}`);
    }
  });

  it('rejects a non-ASCII name in braces', () => {
    expect(errorOf('${FÖO}').message).toBe('Invalid template: "${FÖO}"');
  });

  it('returns the first error and still replaces the rest', () => {
    // One expression a line: an operator's argument reaches to the last } of its line.
    const { result, error } = substitute('${A:?a}\n${FOO}\n${B:?b}', lookup);
    expect(result).toBe('\nfirst\n');
    expect(error?.message).toBe('required variable A is missing a value: a');
  });
});
