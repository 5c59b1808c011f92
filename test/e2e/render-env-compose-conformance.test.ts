/**
 * Every interpolation and dotenv conformance case (compose-go's own tests, the compose docs and
 * cases derived from its code; a copy in test/fixtures/render-env/conformance) run through the
 * real `docker compose config` (v2) and through compose-env: our result must equal Compose's.
 * Where Compose itself disagrees with the recorded expectation, the case is listed below.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeFileError, loadComposeConfig, parseDotenv, parseEnvFiles } from '@deploy-actions/compose-env';
import { repoRoot } from '../harness/run-action.js';
import { composeError, dockerCompose, pool, unescapeDollars, unsetWarnings } from './compose-oracle.js';

const folder = join(repoRoot, 'test', 'fixtures', 'render-env', 'conformance');

interface InterpCase {
  id: string;
  input: string;
  env: Record<string, string>;
  expected?: string;
  error?: string;
  warnings?: number;
}

interface DotenvCase {
  id: string;
  api: string;
  input?: string;
  inputs?: string[];
  lookup?: Record<string, string>;
  expected?: Record<string, string>;
  error?: string;
  compare?: string;
}

const interpCases = JSON.parse(
  readFileSync(join(folder, 'compose-interp-cases.json'), 'utf8'),
) as InterpCase[];
const dotenvCases = JSON.parse(readFileSync(join(folder, 'dotenv-cases.json'), 'utf8')) as DotenvCase[];

/**
 * Cases where the real Compose 2.26.1 does not do what the conformance data records (taken from a
 * newer compose-go), and why. We follow the data there; the tests below prove both facts.
 */
const COMPOSE_DISAGREES_WITH_DATA: Record<string, string> = {
  'interp-020':
    'Compose 2.26.1 warns "The A variable is not set" for ${A:+${A},}B: its compose-go interpolates the ' +
    'alternative before choosing it. The newer compose-go the data comes from (TestLazyDefaultDoesNotWarn) does ' +
    'not, and neither do we. Only the warning differs; the value (B) is the same.',
  'interp-022':
    'Compose 2.26.1 warns "The B variable is not set" for ${A?${B}} with A set: it interpolates the error ' +
    'message before it is needed (TestLazyRequiredMessageDoesNotWarn in the newer compose-go). We follow the data; ' +
    'the value is the same.',
};

/**
 * Several `--env-file`s: in Compose 2.26.1 a later file's `${VAR}` sees the earlier files' VAR
 * before the file's own earlier VAR (its lookup is consulted first). The newer compose-go the data
 * comes from (TestMultipleFiles) reads the file's own key first, and so do we: docs "Deviations".
 */
const COMPOSE_READS_ENV_FILES_DIFFERENTLY: Record<string, { compose: Record<string, string> }> = {
  'dotenv-094': { compose: { ENV_HOSTNAME: 'dev.my-company.com', ENV_MY_URL: 'http://localhost' } },
};

/** Where we knowingly read differently from Compose (docs/actions/render-env.md, "Deviations"), with what Compose reads. */
const WE_DIFFER_FROM_COMPOSE: Record<string, Record<string, string>> = {
  // A bare name on the last line with no newline: compose-go reads the key "" = LAST; we read the bare key LAST.
  'dotenv-134': { '': 'LAST', A: '1' },
};

/** A compose file whose one service carries each case's input as an environment value. */
function composeWithValues(values: Record<string, string>): string {
  // JSON is YAML: every input reaches compose byte for byte.
  return JSON.stringify({ services: { c: { image: 'x', environment: values } } }, null, 1);
}

function ourValues(
  text: string,
  env: Record<string, string>,
): { values?: Record<string, string>; error?: string; unset: string[] } {
  const unset = new Set<string>();
  try {
    const { model } = loadComposeConfig(
      [{ name: 'compose.yml', text }],
      (k) => (Object.hasOwn(env, k) ? env[k] : undefined),
      {
        onUnset: (name) => unset.add(name),
      },
    );
    return {
      values: model.services!['c']!['environment'] as Record<string, string>,
      unset: [...unset].sort(),
    };
  } catch (error) {
    if (!(error instanceof ComposeFileError)) throw error;
    return { error: error.message.replace(/^compose\.yml: /, ''), unset: [...unset].sort() };
  }
}

async function composeValues(
  text: string,
  env: Record<string, string>,
): Promise<{ values?: Record<string, string>; error?: string; unset: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-oracle-'));
  writeFileSync(join(dir, 'compose.yml'), text);
  const run = await dockerCompose(['-p', 'oracle', '-f', 'compose.yml', 'config', '--format', 'json'], {
    cwd: dir,
    env,
  });
  const unset = unsetWarnings(run.stderr);
  if (run.code !== 0) return { error: composeError(run.stderr), unset };
  const config = unescapeDollars(JSON.parse(run.stdout)) as {
    services: Record<string, { environment?: Record<string, string> }>;
  };
  return { values: config.services['c']!.environment ?? {}, unset };
}

describe('interpolation conformance cases against the real docker compose config', () => {
  // Cases that succeed share one compose call per distinct env; a failing case needs its own
  // (compose stops at the first error). 145 cases → 11 + 34 calls, four at a time.
  // Cases that count warnings run alone too, so each warning is the case's own.
  const ok = interpCases.filter((c) => c.error === undefined);
  const failing = interpCases.filter((c) => c.error !== undefined);
  const groups = new Map<string, InterpCase[]>();
  for (const c of ok) {
    const key = c.warnings === undefined ? JSON.stringify(Object.entries(c.env).sort()) : c.id;
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }

  const results = new Map<
    string,
    { ours: ReturnType<typeof ourValues>; compose: Awaited<ReturnType<typeof composeValues>> }
  >();
  beforeAll(async () => {
    const batches = [...groups.values()].map((cases) => ({
      id: cases.map((c) => c.id).join(','),
      env: cases[0]!.env,
      text: composeWithValues(Object.fromEntries(cases.map((c) => [c.id, c.input]))),
    }));
    for (const c of failing)
      batches.push({ id: c.id, env: c.env, text: composeWithValues({ [c.id]: c.input }) });
    const done = await pool(
      batches.map((b) => async () => ({ b, compose: await composeValues(b.text, b.env) })),
      4,
    );
    for (const { b, compose } of done) results.set(b.id, { ours: ourValues(b.text, b.env), compose });
  });

  it('gives every successful case the value Compose gives, with the same unset-variable warnings', () => {
    for (const cases of groups.values()) {
      const { ours, compose } = results.get(cases.map((c) => c.id).join(','))!;
      expect(compose.error).toBeUndefined();
      expect(ours.error).toBeUndefined();
      expect(ours.values).toEqual(compose.values);
      const id = cases.map((c) => c.id).join(',');
      if (COMPOSE_DISAGREES_WITH_DATA[id] === undefined)
        expect({ id, unset: ours.unset }).toEqual({ id, unset: compose.unset });
    }
  });

  it('fails every failing case with the message Compose prints, word for word', () => {
    for (const c of failing) {
      const { ours, compose } = results.get(c.id)!;
      expect({ id: c.id, error: compose.error }).toEqual({ id: c.id, error: expect.any(String) });
      expect({ id: c.id, error: ours.error }).toEqual({ id: c.id, error: compose.error });
    }
  });

  it('finds Compose agreeing with the recorded conformance data, except where listed', () => {
    const disagreements: string[] = [];
    for (const cases of groups.values()) {
      const { compose } = results.get(cases.map((c) => c.id).join(','))!;
      for (const c of cases) {
        const warnings = c.warnings === undefined || compose.unset.length === c.warnings;
        if (compose.values?.[c.id] !== c.expected || !warnings) disagreements.push(c.id);
      }
    }
    for (const c of failing) {
      const { compose } = results.get(c.id)!;
      if (
        !compose.error?.includes(
          c.error!.split('\n')[0]!.replace(/^Invalid template: .*$/, 'invalid interpolation format'),
        )
      ) {
        disagreements.push(c.id);
      }
    }
    expect(disagreements.sort()).toEqual(Object.keys(COMPOSE_DISAGREES_WITH_DATA).sort());
  });
});

describe('dotenv conformance cases against the real docker compose config (env_file:)', () => {
  // `env_file:` is how compose reads a .env for a service (compose-go's Parse with no outer
  // environment here): its result appears as the service's `environment:`. One call per error
  // case, one for all the others.
  const parseCases = dotenvCases.filter((c) => c.api === 'Parse' && c.input !== undefined);
  const ok = parseCases.filter((c) => c.error === undefined);
  const failing = parseCases.filter((c) => c.error !== undefined);
  let okConfig: { code: number; env: Record<string, Record<string, string | null>>; stderr: string };
  const failed = new Map<string, string>();

  function fileFor(dir: string, c: DotenvCase): string {
    writeFileSync(join(dir, `${c.id}.env`), c.input!);
    return `${c.id}.env`;
  }

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'render-env-oracle-dotenv-'));
    const services = Object.fromEntries(ok.map((c) => [c.id, { image: 'x', env_file: [fileFor(dir, c)] }]));
    writeFileSync(join(dir, 'compose.yml'), JSON.stringify({ services }));
    const run = await dockerCompose(['-p', 'oracle', '-f', 'compose.yml', 'config', '--format', 'json'], {
      cwd: dir,
    });
    const config =
      run.code === 0
        ? (unescapeDollars(JSON.parse(run.stdout)) as {
            services: Record<string, { environment?: Record<string, string | null> }>;
          })
        : undefined;
    okConfig = {
      code: run.code,
      stderr: run.stderr,
      env: Object.fromEntries(
        Object.entries(config?.services ?? {}).map(([id, s]) => [id, s.environment ?? {}]),
      ),
    };
    await pool(
      failing.map((c) => async () => {
        const d = mkdtempSync(join(tmpdir(), 'render-env-oracle-dotenv-'));
        writeFileSync(
          join(d, 'compose.yml'),
          JSON.stringify({ services: { [c.id]: { image: 'x', env_file: [fileFor(d, c)] } } }),
        );
        const r = await dockerCompose(['-p', 'oracle', '-f', 'compose.yml', 'config', '--format', 'json'], {
          cwd: d,
        });
        failed.set(c.id, r.code === 0 ? '' : composeError(r.stderr));
      }),
      4,
    );
  });

  it('reads every env file to the values Compose reads', () => {
    expect({ code: okConfig.code, error: composeError(okConfig.stderr) }).toEqual({ code: 0, error: '' });
    for (const c of ok) {
      const ours = Object.fromEntries(parseDotenv(c.input!));
      // compose lists a bare `KEY` with no value in the environment as null (unset): we leave it out.
      const theirs = Object.fromEntries(
        Object.entries(okConfig.env[c.id] ?? {}).filter(([, v]) => v !== null),
      );
      if (WE_DIFFER_FROM_COMPOSE[c.id]) {
        expect({ id: c.id, env: theirs }).toEqual({ id: c.id, env: WE_DIFFER_FROM_COMPOSE[c.id] });
        expect(ours).not.toEqual(theirs);
      } else {
        expect({ id: c.id, env: ours }).toEqual({ id: c.id, env: theirs });
      }
    }
  });

  it('reads env files with an outer environment as Compose does (env_file: with that process env)', async () => {
    const cases = dotenvCases.filter(
      (c) => (c.api === 'ParseWithLookup' || c.api === 'ReadWithLookup') && c.input !== undefined,
    );
    expect(cases.length).toBeGreaterThan(5);
    const runs = await pool(
      cases.map((c) => async () => {
        const d = mkdtempSync(join(tmpdir(), 'render-env-oracle-dotenv-'));
        writeFileSync(
          join(d, 'compose.yml'),
          JSON.stringify({ services: { s: { image: 'x', env_file: [fileFor(d, c)] } } }),
        );
        const r = await dockerCompose(['-p', 'oracle', '-f', 'compose.yml', 'config', '--format', 'json'], {
          cwd: d,
          env: c.lookup ?? {},
        });
        return { c, r };
      }),
      4,
    );
    for (const { c, r } of runs) {
      expect({ id: c.id, code: r.code }).toEqual({ id: c.id, code: 0 });
      const config = unescapeDollars(JSON.parse(r.stdout)) as {
        services: { s: { environment?: Record<string, string | null> } };
      };
      const theirs = Object.fromEntries(
        Object.entries(config.services.s.environment ?? {}).filter(([, v]) => v !== null),
      );
      const lookup = c.lookup ?? {};
      const ours = Object.fromEntries(
        parseDotenv(c.input!, { lookup: (k) => (Object.hasOwn(lookup, k) ? lookup[k] : undefined) }),
      );
      expect({ id: c.id, env: ours }).toEqual({ id: c.id, env: theirs });
    }
  });

  it('reads several --env-file as Compose does, later files winning, the outer environment first', async () => {
    // Compose shows project variables only through interpolation, so each expected key is read as ${KEY}.
    const cases = dotenvCases.filter(
      (c) =>
        c.api === 'GetEnvFromFile' && Object.keys(c.expected ?? {}).some((k) => /^[A-Za-z_]\w*$/.test(k)),
    );
    expect(cases.length).toBeGreaterThan(2);
    for (const c of cases) {
      const d = mkdtempSync(join(tmpdir(), 'render-env-oracle-dotenv-'));
      const keys = Object.keys(c.expected!).filter((k) => /^[A-Za-z_]\w*$/.test(k));
      const args = ['-p', 'oracle'];
      c.inputs!.forEach((text, i) => {
        writeFileSync(join(d, `${i}.env`), text);
        args.push('--env-file', `${i}.env`);
      });
      const environment = Object.fromEntries(keys.map((k) => [k, `\${${k}-<unset>}`]));
      writeFileSync(join(d, 'compose.yml'), JSON.stringify({ services: { s: { image: 'x', environment } } }));
      const r = await dockerCompose([...args, '-f', 'compose.yml', 'config', '--format', 'json'], {
        cwd: d,
        env: c.lookup ?? {},
      });
      expect({ id: c.id, code: r.code }).toEqual({ id: c.id, code: 0 });
      const theirs = (
        unescapeDollars(JSON.parse(r.stdout)) as { services: { s: { environment: Record<string, string> } } }
      ).services.s.environment;
      const lookup = c.lookup ?? {};
      const merged = parseEnvFiles(c.inputs!, (k) => (Object.hasOwn(lookup, k) ? lookup[k] : undefined));
      // Compose's own interpolation reads the process environment before the env files.
      const ours = Object.fromEntries(
        keys.map((k) => [k, Object.hasOwn(lookup, k) ? lookup[k] : (merged.get(k) ?? '<unset>')]),
      );
      const known = COMPOSE_READS_ENV_FILES_DIFFERENTLY[c.id];
      if (known) {
        // Compose 2.26.1 reads it otherwise; we follow the data (newer compose-go), and say so.
        expect({ id: c.id, env: theirs }).toEqual({ id: c.id, env: known.compose });
        expect({ id: c.id, env: ours }).toEqual({ id: c.id, env: c.expected });
      } else {
        expect({ id: c.id, env: ours }).toEqual({ id: c.id, env: theirs });
      }
    }
  });

  it('refuses every malformed env file Compose refuses, with its message', () => {
    for (const c of failing) {
      let ours = '';
      try {
        parseDotenv(c.input!);
      } catch (error) {
        ours = (error as Error).message;
      }
      expect({ id: c.id, error: ours }).toEqual({ id: c.id, error: failed.get(c.id) });
      expect(ours).not.toBe('');
    }
  });
});
