import fc from 'fast-check';
import { formatDotenv, formatJson, parseDotenv, quoteDotenvValue } from '../src/index.js';

// Values built from the characters that break naive writers, mixed with arbitrary Unicode text.
const tricky = fc.constantFrom(
  '"',
  "'",
  '$',
  '$$',
  '${A}',
  '$A',
  '#',
  ' #',
  '\n',
  '\r',
  '\r\n',
  '\\',
  '\\n',
  '\\"',
  '{',
  '}',
  ' ',
  '\t',
  '=',
  ':',
  '`',
  'export ',
);
const value = fc
  .array(fc.oneof(tricky, fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' })), { maxLength: 12 })
  .map((parts) => parts.join(''));
const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);

describe('formatDotenv', () => {
  it('writes values that compose reads back exactly as they were rendered', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.tuple(key, value), { selector: ([k]) => k, maxLength: 8 }), (entries) => {
        const text = formatDotenv(entries);
        expect([...parseDotenv(text)]).toEqual(entries);
      }),
      { numRuns: 2000 },
    );
  });

  it('leaves plain values unquoted, so docker run --env-file reads them too', () => {
    expect(
      formatDotenv([
        ['IMAGE', 'registry/app@sha256:abc'],
        ['PORT', '8080'],
        ['EMPTY', ''],
      ]),
    ).toBe('IMAGE=registry/app@sha256:abc\nPORT=8080\nEMPTY=\n');
  });

  it('double-quotes a value with a $, doubling the $ so compose does not interpolate it', () => {
    expect(quoteDotenvValue('pa$word')).toBe('"pa$$word"');
  });

  it('writes line breaks as escapes so each key stays on one line', () => {
    expect(quoteDotenvValue('a\nb\r')).toBe('"a\\nb\\r"');
  });

  it('refuses a key compose could not read back', () => {
    expect(() => formatDotenv([['BAD KEY', 'x']])).toThrow("'BAD KEY' is not a valid env variable name");
  });
});

describe('formatJson', () => {
  it('writes an object of the values in order', () => {
    expect(
      JSON.parse(
        formatJson([
          ['B', '1'],
          ['A', 'x"y'],
        ]),
      ),
    ).toEqual({ B: '1', A: 'x"y' });
  });
});
