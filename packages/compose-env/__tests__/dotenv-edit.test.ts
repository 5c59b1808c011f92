import { DotenvSyntaxError, parseDotenv, setDotenvValues } from '../src/index.js';

const OLD = `ghcr.io/acme/app@sha256:${'a'.repeat(64)}`;
const NEW = `ghcr.io/acme/app@sha256:${'b'.repeat(64)}`;
const set = (text: string, values: Record<string, string>, append = false) =>
  setDotenvValues(text, new Map(Object.entries(values)), { append });

describe('setDotenvValues, a minimal edit of a .env text', () => {
  it('rewrites only the value of the key, leaving comments, blank lines, order and other keys as they were', () => {
    const text = [
      '# Production images. Change by pull request only.',
      '',
      'LOG_LEVEL=warning   # noisy otherwise',
      `APP_IMAGE=${OLD} # the app`,
      '  # indented comment',
      `WORKER_IMAGE=${OLD}`,
      'EMPTY=',
      '',
    ].join('\n');
    const edit = set(text, { APP_IMAGE: NEW });
    expect(edit.text).toBe(text.replace(`APP_IMAGE=${OLD}`, `APP_IMAGE=${NEW}`));
    expect(edit).toMatchObject({ changed: ['APP_IMAGE'], unchanged: [], missing: [], added: [] });
  });

  it('keeps CRLF line endings and a missing final newline', () => {
    const text = `A=1\r\nAPP_IMAGE=${OLD}\r\nB=2`;
    expect(set(text, { APP_IMAGE: NEW, B: '3' }).text).toBe(`A=1\r\nAPP_IMAGE=${NEW}\r\nB=3`);
  });

  it('keeps the export prefix, the colon form and spaces around the separator', () => {
    const text = `export APP_IMAGE=${OLD}\nWORKER_IMAGE: ${OLD}\nDB_IMAGE =  ${OLD}\n`;
    const edit = set(text, { APP_IMAGE: NEW, WORKER_IMAGE: NEW, DB_IMAGE: NEW });
    expect(edit.text).toBe(`export APP_IMAGE=${NEW}\nWORKER_IMAGE: ${NEW}\nDB_IMAGE =  ${NEW}\n`);
  });

  it('keeps double and single quotes, and a comment after a quoted value', () => {
    const text = `APP_IMAGE="${OLD}" # pinned\nWORKER_IMAGE='${OLD}'\n`;
    const edit = set(text, { APP_IMAGE: NEW, WORKER_IMAGE: NEW });
    expect(edit.text).toBe(`APP_IMAGE="${NEW}" # pinned\nWORKER_IMAGE='${NEW}'\n`);
  });

  it('quotes a value that needs it, so compose reads back exactly the value set', () => {
    const text = `GREETING=hello\nQUOTED='plain'\n`;
    const edit = set(text, { GREETING: 'hello $USER # not a comment', QUOTED: "it's" });
    expect(parseDotenv(edit.text)).toEqual(
      new Map([
        ['GREETING', 'hello $USER # not a comment'],
        ['QUOTED', "it's"],
      ]),
    );
  });

  it('rewrites a multi-line quoted value as a whole and nothing after it', () => {
    const text = `CERT="line one\nline two"\nAFTER=1\n`;
    const edit = set(text, { CERT: 'one line' });
    expect(edit.text).toBe(`CERT="one line"\nAFTER=1\n`);
  });

  it('reports a key already holding the value as unchanged and leaves its spelling alone', () => {
    const text = `APP_IMAGE="${OLD}"\n`;
    const edit = set(text, { APP_IMAGE: OLD });
    expect(edit).toEqual({ text, changed: [], unchanged: ['APP_IMAGE'], added: [], missing: [] });
  });

  it('rewrites every assignment of a duplicated key, so no stale value stays behind', () => {
    const text = `APP_IMAGE=${OLD}\nA=1\nAPP_IMAGE=${OLD}\n`;
    expect(set(text, { APP_IMAGE: NEW }).text).toBe(`APP_IMAGE=${NEW}\nA=1\nAPP_IMAGE=${NEW}\n`);
  });

  it('does not touch a key whose name only starts like the one set, nor a commented-out assignment', () => {
    const text = `# APP_IMAGE=${OLD}\nAPP_IMAGE_OLD=${OLD}\nAPP_IMAGE=${OLD}\n`;
    expect(set(text, { APP_IMAGE: NEW }).text).toBe(
      `# APP_IMAGE=${OLD}\nAPP_IMAGE_OLD=${OLD}\nAPP_IMAGE=${NEW}\n`,
    );
  });

  it('reports a key the text does not assign as missing, or appends it with append (CRLF kept)', () => {
    expect(set('A=1\n', { APP_IMAGE: NEW })).toMatchObject({ text: 'A=1\n', missing: ['APP_IMAGE'] });
    expect(set('A=1\r\nB=2', { APP_IMAGE: NEW }, true)).toMatchObject({
      text: `A=1\r\nB=2\r\nAPP_IMAGE=${NEW}\r\n`,
      added: ['APP_IMAGE'],
      missing: [],
    });
  });

  it('gives a bare KEY line (inherited from the environment) a value', () => {
    expect(set('export APP_IMAGE\nB=2\n', { APP_IMAGE: NEW }).text).toBe(`export APP_IMAGE=${NEW}\nB=2\n`);
  });

  it('keeps a byte-order mark', () => {
    expect(set(`\ufeffAPP_IMAGE=${OLD}\n`, { APP_IMAGE: NEW }).text).toBe(`\ufeffAPP_IMAGE=${NEW}\n`);
  });

  it('does not interpolate other values, so an unrelated ${VAR:?} cannot fail the edit', () => {
    const text = `NEEDED=\${SOMETHING:?must be set}\nAPP_IMAGE=${OLD}\n`;
    expect(set(text, { APP_IMAGE: NEW }).text).toBe(`NEEDED=\${SOMETHING:?must be set}\nAPP_IMAGE=${NEW}\n`);
  });

  it('refuses a text compose could not read, and a key name compose could not write', () => {
    expect(() => set(`A="unterminated\n`, { A: '1' })).toThrow(DotenvSyntaxError);
    expect(() => set('A=1\n', { 'BAD KEY': '1' })).toThrow(/not a valid env variable name/);
  });
});
