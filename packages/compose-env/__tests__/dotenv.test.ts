import { DotenvSyntaxError, MissingRequiredError, parseDotenv, parseEnvFiles } from '../src/index.js';

const parse = (text: string, lookup?: Record<string, string>): Record<string, string> =>
  Object.fromEntries(parseDotenv(text, lookup ? { lookup: (k) => lookup[k] } : {}));
const errorOf = (text: string): Error & { line?: number } => {
  try {
    parseDotenv(text);
  } catch (error) {
    return error as Error & { line?: number };
  }
  throw new Error('did not fail');
};

describe('parseDotenv, as compose reads .env files', () => {
  it('reads KEY=value lines, trimming blank space around the key and value', () => {
    expect(parse('A=1\nB = 2\n C =3  \n')).toEqual({ A: '1', B: '2', C: '3' });
  });

  it('accepts the YAML-style KEY: value form', () => {
    expect(parse('A: 1\nB: x=y')).toEqual({ A: '1', B: 'x=y' });
  });

  it('strips a leading export and the blank space after it', () => {
    expect(parse('export A=1\n\texport\tB=2\nexportC=3\nexport_D=4')).toEqual({
      A: '1',
      B: '2',
      exportC: '3',
      export_D: '4',
    });
  });

  it('skips blank lines, comment lines and indented comments', () => {
    expect(parse('\n# c\n \t# c\r\n\nA=1\n')).toEqual({ A: '1' });
  });

  it('cuts an inline comment only after a space and a #', () => {
    expect(parse('A=x # c\nB=x#y\nC=x\t#y\nD=x #')).toEqual({ A: 'x', B: 'x#y', C: 'x\t#y', D: 'x' });
  });

  it('keeps single-quoted values literal except for an escaped single quote', () => {
    expect(parse("A='$FOO \\n \\\\ x'\nB='it\\'s'")).toEqual({ A: '$FOO \\n \\\\ x', B: "it's" });
  });

  it('expands escapes in double-quoted values', () => {
    expect(parse('A="a\\tb\\nc\\\\d\\"e\\$f\\0123"')).toEqual({ A: 'a\tb\nc\\d"e$fS' });
  });

  it('leaves escapes compose does not know as written', () => {
    expect(parse('A="\\x07 \\u12e4 \\q \\\'"')).toEqual({ A: "\\x07 \\u12e4 \\q \\'" });
  });

  it('does no escape processing in unquoted values', () => {
    expect(parse('A=a\\tb')).toEqual({ A: 'a\\tb' });
  });

  it('lets quoted values span several lines', () => {
    expect(parse('A="one\ntwo"\nB=\'three\nfour\'')).toEqual({ A: 'one\ntwo', B: 'three\nfour' });
  });

  it('keeps # inside quotes and drops a comment after the closing quote', () => {
    expect(parse('A="x # y" # z\nB=\'a#b\'#')).toEqual({ A: 'x # y', B: 'a#b' });
  });

  it('starts a new statement after a closing quote', () => {
    expect(parse('A="x" B=1')).toEqual({ A: 'x', B: '1' });
  });

  it('interpolates unquoted and double-quoted values with keys defined above', () => {
    expect(parse('H=host\nA=$H\nB="${H}:1"\nC=\'$H\'')).toEqual({
      H: 'host',
      A: 'host',
      B: 'host:1',
      C: '$H',
    });
  });

  it('turns $$ into $ in unquoted and double-quoted values but not in single quotes', () => {
    expect(parse('A=a$$b\nB="a$$b"\nC=\'a$$b\'')).toEqual({ A: 'a$b', B: 'a$b', C: 'a$$b' });
  });

  it('cuts the inline comment before interpolating', () => {
    expect(errorOf('A=${B:-x #y}').message).toBe('Invalid template: "${B:-x"');
  });

  it('lets the lookup win over keys defined earlier in the file, while storing the file value', () => {
    expect(parse('H=file\nU=http://$H', { H: 'shell' })).toEqual({ H: 'file', U: 'http://shell' });
  });

  it('takes a bare KEY line from the lookup, and leaves it unset when the lookup has none', () => {
    expect(parse('A\nB\nexport C\n', { A: '1', C: '3' })).toEqual({ A: '1', C: '3' });
  });

  it('keeps the last of duplicate keys', () => {
    expect(parse('A=1\nA=2')).toEqual({ A: '2' });
  });

  it('accepts keys with dots, dashes, brackets, digits and Unicode letters', () => {
    expect(parse('a.b=1\na-b=2\na[0]=3\n456=4\nárvíz=5')).toEqual({
      'a.b': '1',
      'a-b': '2',
      'a[0]': '3',
      '456': '4',
      árvíz: '5',
    });
  });

  it('ignores a UTF-8 byte order mark and CRLF line ends', () => {
    expect(parse('\ufeffA=1\r\nB="2"\r\n')).toEqual({ A: '1', B: '2' });
  });

  it('reads a bare name on the last line without a newline as a bare KEY line', () => {
    expect(parse('A=1\nLAST', { LAST: 'x' })).toEqual({ A: '1', LAST: 'x' });
  });

  it('rejects an unexpected character in a key, naming the line', () => {
    const error = errorOf('A=1\nlol$wut');
    expect(error).toBeInstanceOf(DotenvSyntaxError);
    expect(error.message).toBe('line 2: unexpected character "$" in variable name "lol$wut"');
  });

  it('rejects a key with a space in it', () => {
    expect(errorOf('FOO BAR=1').message).toBe('line 1: key cannot contain a space');
  });

  it('rejects an unterminated quote, counting lines inside earlier multi-line values', () => {
    const error = errorOf('A="x\ny"\nB=\'never closed');
    expect(error.message).toMatch(/^line 3: unterminated quoted value/);
    expect((error as DotenvSyntaxError).reason).toBe('unterminated quoted value');
  });

  it('says on which line an unterminated multi-line quote opened', () => {
    expect((errorOf('A=1\nB="x\ny\n') as DotenvSyntaxError).reason).toBe(
      'unterminated quoted value (the quote opens on line 2)',
    );
  });

  it('fails on a required variable in a value and says which line', () => {
    const error = errorOf('A=1\nB=${MISSING:?set it}');
    expect(error).toBeInstanceOf(MissingRequiredError);
    expect(error.line).toBe(2);
  });

  it('never reads the process environment', () => {
    process.env['RENDER_ENV_TEST_LEAK'] = 'leaked';
    try {
      expect(parse('A=$RENDER_ENV_TEST_LEAK\nRENDER_ENV_TEST_LEAK\n')).toEqual({ A: '' });
    } finally {
      delete process.env['RENDER_ENV_TEST_LEAK'];
    }
  });
});

describe('parseEnvFiles, as compose reads several --env-file', () => {
  const first = 'HOST=localhost\nURL="http://${HOST}"\nPORT=80\n';
  const second = 'HOST=dev.example.com\nURL="http://${HOST}:${PORT}"\n';

  it('lets later files win and interpolates with the file own keys before earlier files', () => {
    expect(Object.fromEntries(parseEnvFiles([first, second]))).toEqual({
      HOST: 'dev.example.com',
      URL: 'http://dev.example.com:80',
      PORT: '80',
    });
  });

  it('lets the current environment win for interpolation', () => {
    const env = parseEnvFiles([first, second], (k) => (k === 'HOST' ? 'shell' : undefined));
    expect(env.get('URL')).toBe('http://shell:80');
    expect(env.get('HOST')).toBe('dev.example.com');
  });
});
