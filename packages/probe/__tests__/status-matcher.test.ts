import { parseStatusMatcher } from '../src/status-matcher.js';

describe('parseStatusMatcher', () => {
  it('accepts codes inside a range and rejects those outside it', () => {
    const m = parseStatusMatcher('200-299');
    expect([200, 204, 299].map((s) => m.matches(s))).toEqual([true, true, true]);
    expect([199, 300, 503].map((s) => m.matches(s))).toEqual([false, false, false]);
  });

  it('combines single codes and ranges separated by commas', () => {
    const m = parseStatusMatcher(' 200-204 , 301,418 ');
    expect([201, 301, 418].every((s) => m.matches(s))).toBe(true);
    expect([205, 302].some((s) => m.matches(s))).toBe(false);
    expect(m.text).toBe('200-204,301,418');
  });

  it.each([
    ['', /empty/],
    ['ok', /'ok' is not a status code/],
    ['2xx', /'2xx' is not a status code/],
    ['700', /700 is not an HTTP status/],
    ['299-200', /end is below its start/],
  ])('rejects %j with a message saying why', (text, why) => {
    expect(() => parseStatusMatcher(text)).toThrow(why);
  });
});
