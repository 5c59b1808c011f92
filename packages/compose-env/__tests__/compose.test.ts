import { parse } from 'yaml';
import {
  ComposeFileError,
  findUnpinnedImages,
  formatComposeConfig,
  loadComposeConfig,
  parseEnvFiles,
} from '../src/index.js';

const env = new Map([
  ['APP_IMAGE', 'registry/app@sha256:' + 'a'.repeat(64)],
  ['BIND_IP', '10.0.0.5'],
  ['DB_PASSWORD', 's3cret'],
]);
const lookup = (k: string): string | undefined => env.get(k);
const file = (text: string, name = 'compose.yml') => ({ name, text });
const errorOf = (text: string): ComposeFileError => {
  try {
    loadComposeConfig([file(text)], lookup);
  } catch (error) {
    return error as ComposeFileError;
  }
  throw new Error('did not fail');
};

describe('loadComposeConfig', () => {
  it('interpolates every string value with the rendered env', () => {
    const { model } = loadComposeConfig(
      [file('services:\n  app:\n    image: ${APP_IMAGE}\n    ports: ["${BIND_IP}:80:80"]\n')],
      lookup,
    );
    expect(model.services!['app']).toEqual({ image: env.get('APP_IMAGE'), ports: ['10.0.0.5:80:80'] });
  });

  it('reports variables that are not set, with where they are used', () => {
    const places: string[] = [];
    const { unset } = loadComposeConfig(
      [file('services:\n  app:\n    image: app\n    command: run ${TAG}\n')],
      lookup,
      {
        onUnset: (name, f, path) => places.push(`${name} ${f} ${path}`),
      },
    );
    expect(unset).toEqual(['TAG']);
    expect(places).toEqual(['TAG compose.yml services.app.command']);
  });

  it('fails on an unresolved required variable, naming the file and the path', () => {
    const error = errorOf('services:\n  app:\n    image: ${NOPE:?set NOPE}\n');
    expect(error.code).toBe('unresolved-variable');
    expect(error.message).toBe(
      'compose.yml: error while interpolating services.app.image: required variable NOPE is missing a value: set NOPE',
    );
  });

  it('fails on an invalid template with the hint compose gives', () => {
    const error = errorOf('services:\n  app:\n    command: echo ${\n');
    expect(error.code).toBe('invalid-template');
    expect(error.message).toContain(
      'invalid interpolation format for services.app.command.\nYou may need to escape any $ with another $.',
    );
  });

  it('fails on YAML that does not parse, with the line', () => {
    const error = errorOf('services:\n  app:\n    image: [unclosed\n');
    expect(error.code).toBe('compose-invalid');
    expect(error.message).toMatch(/^compose\.yml: is not valid YAML \(line \d+\)/);
  });

  it('applies YAML merge keys', () => {
    const text = 'x-base: &base\n  restart: always\nservices:\n  app:\n    <<: *base\n    image: app\n';
    expect(loadComposeConfig([file(text)], lookup).model.services!['app']).toEqual({
      restart: 'always',
      image: 'app',
    });
  });

  it('merges later files over earlier ones, appending ports and replacing command', () => {
    const base = file('services:\n  app:\n    image: a\n    command: [run]\n    ports: ["80:80"]\n', 'a.yml');
    const override = file(
      'services:\n  app:\n    image: b\n    command: [serve]\n    ports: ["443:443"]\n',
      'b.yml',
    );
    expect(loadComposeConfig([base, override], lookup).model.services!['app']).toEqual({
      image: 'b',
      command: ['serve'],
      ports: ['80:80', '443:443'],
    });
  });

  it('merges an environment list over a mapping key by key, as compose does (a bare KEY is null)', () => {
    const base = file(
      'services:\n  app:\n    image: a\n    environment: {A: "1", C: "3"}\n    depends_on: {b: {condition: service_healthy}}\n  b: {image: b}\n  c: {image: c}\n',
      'a.yml',
    );
    const override = file('services:\n  app:\n    environment: [A=2, D]\n    depends_on: [c]\n', 'b.yml');
    expect(loadComposeConfig([base, override], lookup).model.services!['app']).toEqual({
      image: 'a',
      environment: { A: '2', C: '3', D: null },
      depends_on: {
        b: { condition: 'service_healthy' },
        c: { condition: 'service_started', required: true },
      },
    });
  });
});

describe('formatComposeConfig', () => {
  it('writes literal $ as $$ so the config can be loaded again', () => {
    const { model } = loadComposeConfig(
      [file('services:\n  app:\n    image: a\n    command: echo $$HOME\n')],
      lookup,
    );
    expect(formatComposeConfig(model)).toContain('command: echo $$HOME');
  });

  it('writes secret values back as ${NAME} references', () => {
    const { model } = loadComposeConfig(
      [file('services:\n  db:\n    image: postgres\n    environment:\n      PW: pre-${DB_PASSWORD}\n')],
      lookup,
    );
    const text = formatComposeConfig(model, { references: new Map([['s3cret', 'DB_PASSWORD']]) });
    expect(text).not.toContain('s3cret');
    expect(text).toContain('PW: pre-${DB_PASSWORD}');
  });

  it('resolves to the same config when loaded again with the env file', () => {
    const source =
      'services:\n  db:\n    image: db\n    environment:\n      PW: ${DB_PASSWORD}\n      LIT: a$$b\n';
    const { model } = loadComposeConfig([file(source)], lookup);
    const text = formatComposeConfig(model, { references: new Map([['s3cret', 'DB_PASSWORD']]) });
    const again = loadComposeConfig([file(text)], (k) =>
      parseEnvFiles(['DB_PASSWORD=s3cret\n']).get(k),
    ).model;
    expect(again).toEqual(model);
  });

  it('quotes strings that YAML 1.1 readers would take for booleans or numbers', () => {
    const text = formatComposeConfig({ services: { m: { restart: 'no', ports: ['5432:5432'] } } });
    expect(parse(text, { version: '1.1' })).toEqual({
      services: { m: { restart: 'no', ports: ['5432:5432'] } },
    });
  });
});

describe('findUnpinnedImages', () => {
  const model = (images: Record<string, string | undefined>) => ({
    services: Object.fromEntries(
      Object.entries(images).map(([s, image]) => [s, image === undefined ? { build: '.' } : { image }]),
    ),
  });

  it('accepts images pinned by sha256 digest', () => {
    expect(findUnpinnedImages(model({ app: `r/app:v1@sha256:${'b'.repeat(64)}` }))).toEqual([]);
  });

  it('names latest and untagged images as the worst case, first', () => {
    const found = findUnpinnedImages(model({ a: 'r/app:v1', b: 'r/app:latest', c: 'redis' }));
    expect(found.map((f) => f.service)).toEqual(['b', 'c', 'a']);
    expect(found[0]!.problem).toContain("'latest': the worst case");
    expect(found[2]!.problem).toContain("tag 'v1'");
  });

  it('names a service that has no image because it is built', () => {
    expect(findUnpinnedImages(model({ app: undefined }))[0]!.problem).toContain('has no image');
  });

  it('does not mistake a registry port for a tag', () => {
    expect(findUnpinnedImages(model({ a: '127.0.0.1:5000/lab/app' }))[0]!.problem).toContain("'latest'");
  });
});
