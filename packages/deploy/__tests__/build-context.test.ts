import { dockerignoreExcludes } from '../src/build-context.js';

describe('.dockerignore and .releases', () => {
  it.each([
    ['.releases'],
    ['.releases/'],
    ['/.releases'],
    ['./.releases'],
    ['.releases/**'],
    ['**/.releases'],
    ['.*'],
    ['*'],
    ['**'],
    ['.rel*'],
  ])('%s excludes it', (line) => {
    expect(dockerignoreExcludes(`# comment\n${line}\n`, '.releases/a-release/env')).toBe(true);
  });

  it.each([
    [''],
    ['.git'],
    ['releases'],
    ['.releases.bak'],
    ['*.md'],
    ['.releases\n!.releases'],
    ['*\n!.releases/'],
  ])('%j does not', (text) => {
    expect(dockerignoreExcludes(text, '.releases/a-release/env')).toBe(false);
  });
});
