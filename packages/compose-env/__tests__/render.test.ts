import {
  EnvLayerError,
  LayerRuleError,
  MissingKeysError,
  parseTemplate,
  renderEnv,
  shownValue,
  type RenderedValue,
} from '../src/index.js';

const template = {
  name: '.env.example',
  text: [
    '# Public URL of the app',
    'APP_URL=https://example.com',
    '# Database password',
    'DB_PASSWORD=',
    'API_TOKEN=',
    'OPTIONAL=""',
    'LOG_LEVEL=info',
    '',
  ].join('\n'),
};
const complete = { secrets: { DB_PASSWORD: 'pw', API_TOKEN: 'tok' } };
const valueOf = (result: ReturnType<typeof renderEnv>, key: string): string | undefined =>
  result.values.get(key)?.value;

describe('parseTemplate', () => {
  it('reads KEY= as required, KEY=value as a default and KEY="" as optional empty', () => {
    const keys = parseTemplate(template);
    expect(keys.filter((k) => k.required).map((k) => k.key)).toEqual(['DB_PASSWORD', 'API_TOKEN']);
    expect(keys.find((k) => k.key === 'LOG_LEVEL')!.default).toBe('info');
    expect(keys.find((k) => k.key === 'OPTIONAL')!.required).toBe(false);
  });

  it('takes the comment right above a key as its description', () => {
    expect(parseTemplate(template).find((k) => k.key === 'DB_PASSWORD')!.description).toBe(
      'Database password',
    );
  });
});

describe('renderEnv', () => {
  it('layers template, env files, vars and secrets, later wins, and records the source', () => {
    const result = renderEnv({
      template,
      envFiles: [{ name: 'env/prod.env', text: 'LOG_LEVEL=warn\nAPP_URL=https://prod.example.com\n' }],
      vars: new Map([['LOG_LEVEL', 'error']]),
      ...complete,
    });
    expect(valueOf(result, 'APP_URL')).toBe('https://prod.example.com');
    expect(result.values.get('APP_URL')!.file).toBe('env/prod.env');
    expect(result.values.get('LOG_LEVEL')).toMatchObject({ value: 'error', source: 'vars' });
    expect(result.values.get('DB_PASSWORD')).toMatchObject({ value: 'pw', source: 'secrets', secret: true });
  });

  it('takes only the secrets the template declares and names the others', () => {
    const result = renderEnv({
      template,
      secrets: { ...complete.secrets, GITHUB_TOKEN: 'ghs_x', OTHER: 'y' },
    });
    expect(result.values.has('GITHUB_TOKEN')).toBe(false);
    expect(result.ignoredSecrets).toEqual(['GITHUB_TOKEN', 'OTHER']);
  });

  it('names every missing required key at once', () => {
    expect(() => renderEnv({ template })).toThrow(MissingKeysError);
    try {
      renderEnv({ template });
    } catch (error) {
      expect((error as MissingKeysError).keys).toEqual(['DB_PASSWORD', 'API_TOKEN']);
      expect((error as Error).message).toContain('DB_PASSWORD (Database password), API_TOKEN');
    }
  });

  it('does not take an empty value as satisfying a required key', () => {
    expect(() =>
      renderEnv({ template, vars: new Map([['DB_PASSWORD', '']]), secrets: { API_TOKEN: 't' } }),
    ).toThrow(/DB_PASSWORD/);
  });

  it('interpolates an env file with its own keys, then the layers before it', () => {
    const result = renderEnv({
      template,
      envFiles: [
        { name: 'a.env', text: 'HOST=a\nPORT=1\n' },
        { name: 'b.env', text: 'HOST=b\nURL=http://${HOST}:${PORT}/${LOG_LEVEL}\n' },
      ],
      ...complete,
    });
    expect(valueOf(result, 'URL')).toBe('http://b:1/info');
  });

  it('never interpolates vars or secrets', () => {
    const result = renderEnv({
      template,
      vars: new Map([['X', '${APP_URL}']]),
      secrets: { DB_PASSWORD: '$p${w}', API_TOKEN: 't' },
    });
    expect(valueOf(result, 'X')).toBe('${APP_URL}');
    expect(valueOf(result, 'DB_PASSWORD')).toBe('$p${w}');
  });

  it('warns about a value built with a variable that a later layer changed', () => {
    const withUrl = {
      name: '.env.example',
      text: 'DB_PASSWORD=\nDATABASE_URL=postgres://app:${DB_PASSWORD}@db/app\n',
    };
    const result = renderEnv({ template: withUrl, secrets: { DB_PASSWORD: 'pw' } });
    expect(valueOf(result, 'DATABASE_URL')).toBe('postgres://app:@db/app');
    expect(result.staleReads).toEqual([
      { file: '.env.example', variable: 'DB_PASSWORD', changedBy: 'secrets' },
    ]);
  });

  it('lists keys that env files or vars set but the template does not declare', () => {
    const result = renderEnv({ template, envFiles: [{ name: 'x.env', text: 'EXTRA=1\n' }], ...complete });
    expect(result.undeclared).toEqual(['EXTRA']);
  });

  it('names the env file and the line of a syntax error', () => {
    const bad = { name: 'env/prod.env', text: 'A=1\nB="open\n' };
    expect(() => renderEnv({ envFiles: [bad] })).toThrow(EnvLayerError);
    expect(() => renderEnv({ envFiles: [bad] })).toThrow(
      'env/prod.env line 3: unterminated quoted value (the quote opens on line 2)',
    );
  });

  it('rejects a line with no variable name before the =', () => {
    expect(() => renderEnv({ envFiles: [{ name: 'x.env', text: 'A=1\n="orphan"\n' }] })).toThrow(
      "x.env: a line has '=' with no variable name before it",
    );
  });

  it('does not repeat the malformed line in the error, as it may hold a secret', () => {
    const bad = { name: 'env/prod.env', text: 'PASSWORD="hunter2\n' };
    expect(() => renderEnv({ envFiles: [bad] })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
    );
  });
});

describe('shownValue', () => {
  const plain = (value: string): RenderedValue => ({ value, source: 'vars', secret: false });

  it('shows a short, plain value', () => {
    expect(shownValue('LOG_LEVEL', plain('info'))).toBe('info');
  });

  it('never shows a secret', () => {
    expect(shownValue('LOG_LEVEL', { value: 'info', source: 'secrets', secret: true })).toBeUndefined();
  });

  it('hides values under a name that looks like a credential', () => {
    expect(shownValue('SMTP_PASSWORD', plain('short'))).toBeUndefined();
  });

  it('hides URLs with a password in them', () => {
    expect(shownValue('DATABASE_URL', plain('postgres://app:pw@db/app'))).toBeUndefined();
  });

  it('hides random-looking tokens and values that contain a secret', () => {
    expect(shownValue('X', plain('a8Fk29dkQp0zLm3nB7vX'))).toBeUndefined();
    expect(shownValue('Y', plain('prefix-pw-suffix'), ['pw'])).toBeUndefined();
  });

  it('shows image references, even long ones pinned by digest', () => {
    const image = `registry.example.com/app@sha256:${'a'.repeat(64)}`;
    expect(shownValue('APP_IMAGE', plain(image))).toBe(image);
    expect(shownValue('APP_IMAGE', plain('registry/app:v1'))).toBe('registry/app:v1');
  });
});

describe('renderEnv layer rules', () => {
  it('takes only the secrets secret-keys lists and names none of the others', () => {
    const result = renderEnv({
      template,
      secrets: { ...complete.secrets, SSH_KEY: 'k' },
      secretKeys: new Set(['DB_PASSWORD', 'API_TOKEN']),
    });
    expect(result.values.has('SSH_KEY')).toBe(false);
    expect(result.ignoredSecrets).toEqual([]);
  });

  it('refuses a forbidden key in the template, an env file, vars or the secrets it takes', () => {
    const forbiddenKeys = new Set(['API_TOKEN']);
    expect(() => renderEnv({ template, ...complete, forbiddenKeys })).toThrow(LayerRuleError);
    const noToken = { name: 't', text: 'DB_PASSWORD=\n' };
    expect(() =>
      renderEnv({ template: noToken, envFiles: [{ name: 'e', text: 'API_TOKEN=1\n' }], forbiddenKeys }),
    ).toThrow(/the env file e declares API_TOKEN/);
    expect(() => renderEnv({ vars: new Map([['API_TOKEN', '1']]), forbiddenKeys })).toThrow(
      /vars declares API_TOKEN/,
    );
    expect(() =>
      renderEnv({ secrets: { API_TOKEN: 't' }, secretKeys: new Set(['API_TOKEN']), forbiddenKeys }),
    ).toThrow(/secret-keys declares API_TOKEN/);
  });

  it('requires a protected key to have its final value from vars', () => {
    const protectedKeys = new Set(['APP_URL']);
    expect(() => renderEnv({ template, ...complete, protectedKeys })).toThrow(
      /APP_URL is a protected key: its value must come from vars, but template/,
    );
    const ok = renderEnv({ template, ...complete, vars: new Map([['APP_URL', 'https://x']]), protectedKeys });
    expect(valueOf(ok, 'APP_URL')).toBe('https://x');
    const withSecret = {
      template: { name: 't', text: 'APP_URL=\n' },
      vars: new Map([['APP_URL', 'https://x']]),
      secrets: { APP_URL: 'evil' },
      protectedKeys,
    };
    expect(() => renderEnv(withSecret)).toThrow(/but secrets has the last word/);
  });
});
