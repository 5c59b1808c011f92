// action.yml is the single source of every action's public names and defaults. This test reads
// the code that implements each action (its adapter under actions/<name>/src and the packages it
// depends on) and checks, per action:
//   - every input the code reads (inputs.string('name'), inputs.problem('name', ...), ...) is declared;
//   - every output the code sets (setOutput('name', ...)) is declared, and error-code too;
//   - a default written in code ({ default: ... }) equals the action.yml `default:`;
//   - every error-code value the code can emit is listed in docs/actions/<name>.md.
// It reads source text (no imports), so it also covers ssh-deploy without depending on it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = fileURLToPath(new URL('../..', import.meta.url));
const actions = readdirSync(join(root, 'actions')).filter((name) =>
  existsSync(join(root, name, 'action.yml')),
);

interface ActionYml {
  inputs?: Record<string, { default?: unknown }>;
  outputs?: Record<string, unknown>;
}

function tsFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return tsFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

interface Source {
  file: string;
  text: string;
}

const IMPORT =
  /^(?:import|export)\s+(type\s+)?(?:\*|\{([^}]*)\}|[\w$]+(?:\s*,\s*\{([^}]*)\})?)?\s*(?:as\s+\w+\s*)?from\s+'([^']+)'|^import\s+'([^']+)'/gm;

/** The names in `{ a, type b, c as d }` (as exported: a, b, c). */
const importedNames = (list: string | undefined): string[] =>
  (list ?? '')
    .split(',')
    .map(
      (n) =>
        n
          .trim()
          .replace(/^type\s+/, '')
          .split(/\s+as\s+/)[0]!,
    )
    .filter(Boolean);

/** The file of package `pkg` that defines the export `name` (through its index's re-exports). */
function packageFileExporting(pkg: string, name: string): string | undefined {
  const index = join(root, 'packages', pkg, 'src', 'index.ts');
  if (!existsSync(index)) return undefined;
  const text = readFileSync(index, 'utf8');
  const defines = new RegExp(
    `export\\s+(?:declare\\s+)?(?:async\\s+)?(?:function\\*?|class|const|let|interface|type|enum|abstract class)\\s+${name}\\b`,
  );
  if (defines.test(text)) return index;
  for (const m of text.matchAll(IMPORT)) {
    const target = m[4];
    if (!target?.startsWith('.')) continue;
    const file = join(root, 'packages', pkg, 'src', target.replace(/\.js$/, '.ts'));
    if (m[2] !== undefined ? importedNames(m[2]).includes(name) : defines.test(readFileSync(file, 'utf8')))
      return file;
  }
  return undefined;
}

/**
 * The source files an action's bundle is built from: its adapter (actions/<name>/src), then every
 * file it imports, transitively. A package import pulls in only the files that define the names
 * imported (found through the package's index), so a package's other entry points, which other
 * actions use, are not counted as this action's code.
 */
function sources(action: string): { adapter: Source[]; packages: Source[] } {
  const adapter = tsFiles(join(root, 'actions', action, 'src'));
  const seen = new Set<string>(adapter);
  const queue = [...adapter];
  const add = (file: string | undefined): void => {
    if (file && existsSync(file) && !seen.has(file)) {
      seen.add(file);
      queue.push(file);
    }
  };
  while (queue.length) {
    const file = queue.shift()!;
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[4] ?? m[5]!;
      if (spec.startsWith('.')) add(join(dirname(file), spec.replace(/\.js$/, '.ts')));
      const pkg = /^@deploy-actions\/([^/]+)(?:\/(.+))?$/.exec(spec);
      if (!pkg) continue;
      if (pkg[2]) add(join(root, 'packages', pkg[1]!, 'src', `${pkg[2]}.ts`));
      else for (const name of importedNames(m[2] ?? m[3])) add(packageFileExporting(pkg[1]!, name));
    }
  }
  const read = (file: string): Source => ({ file: relative(root, file), text: readFileSync(file, 'utf8') });
  return {
    adapter: adapter.map(read),
    packages: [...seen]
      .filter((f) => !adapter.includes(f))
      .sort()
      .map(read),
  };
}

const READ =
  /\binputs\.(string|secret|boolean|integer|duration|enum|multiline|mapping|json|raw|has)\(\s*'([a-z0-9-]+)'/g;
const NAMED = /\binputs\.(problem)\(\s*'([a-z0-9-]+)'|\binputs\.check\([^;]*?,\s*'([a-z0-9-]+)',\s*[`'"]/g;
const DEFAULT =
  /\binputs\.(?:string|boolean|integer|duration|enum)\(\s*'([a-z0-9-]+)'\s*,\s*(?:[A-Z_]+\s*,\s*|\[[^\]]*\](?: as const)?\s*,\s*)?\{[^}]*?\bdefault:\s*('[^']*'|-?\d+|true|false)/g;
/** `inputs.string('name') ?? 'value'` or `?? A_CONSTANT` (a `const A_CONSTANT = 'value'` of the same file). */
const FALLBACK =
  /\binputs\.(?:string|integer)\(\s*'([a-z0-9-]+)'\s*\)\s*\?\?\s*('[^']*'|-?\d+|[A-Z][A-Z0-9_]+)/g;
const OUTPUT = /\bsetOutput\(\s*'([a-z0-9-]+)'/g;

/** Inputs the code reads or names in a problem, with where. */
function inputsInCode(files: Source[]): Map<string, string> {
  const found = new Map<string, string>();
  const readers = inputReaders(files);
  for (const { file, text } of files) {
    for (const m of text.matchAll(READ)) found.set(m[2]!, file);
    for (const m of text.matchAll(NAMED)) found.set((m[2] ?? m[3])!, file);
    for (const [reader, position] of readers) {
      const call = new RegExp(`\\b${reader}\\(\\s*(?:[^,()]*,\\s*){${position}}'([a-z0-9-]+)'`, 'g');
      for (const m of text.matchAll(call)) found.set(m[1]!, file);
    }
  }
  return found;
}

/**
 * Helpers that read an input whose name they are given (`keyList('forbidden-keys')`,
 * `readKnownHosts(inputs, 'known-hosts')`): their name and the position of the name parameter,
 * found as a `<param>: string` parameter that the body passes to `inputs.<method>(<param>`.
 */
function inputReaders(files: Source[]): Map<string, number> {
  const readers = new Map<string, number>();
  const definition = /(?:function\s+(\w+)|const\s+(\w+)\s*=\s*(?:async\s*)?)\(([^)]*)\)[^{]*\{/g;
  for (const { text } of files) {
    for (const m of text.matchAll(definition)) {
      const params = m[3]!.split(',').map((p) => /^\s*(\w+)\s*:/.exec(p)?.[1]);
      const body = text.slice(m.index! + m[0].length, m.index! + m[0].length + 600);
      params.forEach((param, position) => {
        if (param && new RegExp(`\\binputs\\.\\w+\\(\\s*${param}\\b`).test(body))
          readers.set((m[1] ?? m[2])!, position);
      });
    }
  }
  return readers;
}

/**
 * The callables that take an error code as their first argument: UserError and ReasonedError, and
 * every class, function or method in the action's code whose first parameter is `code: string`
 * (DeployFailure, RemoteCommandError, a session's exec(code, ...), ...).
 */
function codeTakers(files: Source[]): string[] {
  const names = new Set(['UserError', 'ReasonedError']);
  for (const { text } of files) {
    for (const m of text.matchAll(/class (\w+)\b[^{]*\{[^}]*?constructor\(\s*(?:readonly\s+)?code: string/g))
      names.add(m[1]!);
    for (const m of text.matchAll(/\b(\w+)\(\s*(?:readonly\s+)?code: string/g))
      if (m[1] !== 'constructor') names.add(m[1]!);
  }
  return [...names];
}

const CODE_LITERAL = `'([a-z][a-z0-9]*(?:-[a-z0-9]+)*)'`;

/**
 * Error codes the code can emit: the literal first argument of every code taker, `super('code', ...)`,
 * `code = 'x'` / `code = cond ? 'x' : 'y'` / `errorCode: 'x'`, the signature ERROR_CODES table,
 * typed `code` unions.
 */
function errorCodesInCode(files: Source[]): Set<string> {
  const codes = new Set(['invalid-input', 'internal']);
  // `UserError('x'`, `exec('x'`, `new UserError(result.errorCode ?? 'x'`
  const calls = new RegExp(
    `\\b(?:${codeTakers(files).join('|')})\\(\\s*(?:[^,;()'\\n]*\\?\\?\\s*)?${CODE_LITERAL}`,
    'g',
  );
  // `code = 'x'` (a default parameter), `const code = stopped ? 'x' : 'y'`, `errorCode: 'x'`
  const assigned = new RegExp(
    `\\b(?:code|errorCode|Code)\\s*[=:]\\s*(?:[^;,\\n'?]*\\?\\s*${CODE_LITERAL}\\s*:\\s*)?${CODE_LITERAL}`,
    'g',
  );
  for (const { file, text } of files) {
    for (const m of text.matchAll(calls)) codes.add(m[1]!);
    for (const m of text.matchAll(new RegExp(`\\bsuper\\(\\s*${CODE_LITERAL}\\s*,`, 'g'))) codes.add(m[1]!);
    const table = /ERROR_CODES[^=]*=\s*\{([^}]*)\}/.exec(text);
    if (table) for (const m of table[1]!.matchAll(/:\s*'([a-z0-9-]+)'/g)) codes.add(m[1]!);
    // A RegistryError's code never reaches error-code as it is: signature maps it (registryFailureReason).
    if (file.startsWith('packages/registry/')) continue;
    for (const m of text.matchAll(assigned)) {
      if (m[1]) codes.add(m[1]);
      codes.add(m[2]!);
    }
    for (const m of text.matchAll(/readonly code: ('[a-z0-9-]+'(?:\s*\|\s*'[a-z0-9-]+')*)/g)) {
      for (const c of m[1]!.matchAll(/'([a-z0-9-]+)'/g)) codes.add(c[1]!);
    }
  }
  return codes;
}

/** Known gaps, each a finding to fix, not to hide: `action: [names]`. None at the moment. */
const KNOWN: Record<
  string,
  { inputs?: string[]; outputs?: string[]; defaults?: string[]; codes?: string[] }
> = {};

/** The docs page's section(s) on failures (`## Error codes`, `## Errors`, `## When it fails`, ...). */
function errorSection(doc: string): string {
  return doc
    .split(/^(?=## )/m)
    .filter((section) => /^## .*(error|fail)/i.test(section))
    .join('\n');
}

describe.each(actions)('%s', (action) => {
  const yml = parse(readFileSync(join(root, action, 'action.yml'), 'utf8')) as ActionYml;
  const declaredInputs = yml.inputs ?? {};
  const declaredOutputs = Object.keys(yml.outputs ?? {});
  const { adapter, packages } = sources(action);
  const known = KNOWN[action] ?? {};

  it('declares every input the code reads', () => {
    const read = inputsInCode([...adapter, ...packages]);
    expect(read.size).toBeGreaterThan(0);
    const undeclared = [...read]
      .filter(([name]) => !(name in declaredInputs))
      .map(([name, file]) => `${name} (${file})`);
    expect(undeclared.filter((u) => !known.inputs?.includes(u.split(' ')[0]!))).toEqual([]);
  });

  it('reads every input action.yml declares', () => {
    const read = inputsInCode([...adapter, ...packages]);
    const unread = Object.keys(declaredInputs).filter((name) => !read.has(name));
    expect(unread).toEqual([]);
  });

  it('declares every output the code sets, and error-code', () => {
    const set = new Set([...adapter].flatMap(({ text }) => [...text.matchAll(OUTPUT)].map((m) => m[1]!)));
    expect(set.size).toBeGreaterThan(0);
    const undeclared = [...set, 'error-code'].filter((name) => !declaredOutputs.includes(name));
    expect(undeclared.filter((name) => !known.outputs?.includes(name))).toEqual([]);
  });

  it('sets every output action.yml declares, each named by a literal', () => {
    const calls = adapter.flatMap(({ file, text }) =>
      [...text.matchAll(/\bsetOutput\(\s*([^,)]*)/g)].map((m) => ({ file, name: m[1]!.trim() })),
    );
    // A name computed at run time would escape the check above.
    const notLiteral = calls.filter(({ name }) => !/^'[a-z0-9-]+'$/.test(name));
    expect(notLiteral).toEqual([]);
    const set = new Set(calls.map(({ name }) => name.slice(1, -1)));
    // error-code is set by runAction (packages/action-kit) for every action.
    const neverSet = declaredOutputs.filter((name) => name !== 'error-code' && !set.has(name));
    expect(neverSet.filter((name) => !known.outputs?.includes(name))).toEqual([]);
  });

  it("has the same defaults in code as in action.yml's default:", () => {
    const differing: string[] = [];
    const compared: string[] = [];
    for (const { file, text } of [...adapter, ...packages]) {
      const constant = (name: string): string | undefined =>
        new RegExp(`const ${name} = ('[^']*'|-?\\d+);`).exec(text)?.[1];
      const found = [
        ...[...text.matchAll(DEFAULT)].map((m) => [m[1]!, m[2]!] as const),
        ...[...text.matchAll(FALLBACK)].map(
          (m) => [m[1]!, /^[A-Z]/.test(m[2]!) ? (constant(m[2]!) ?? `unresolved ${m[2]}`) : m[2]!] as const,
        ),
      ];
      for (const [name, literal] of found) {
        // A package's default applies only to the actions that declare the input.
        if (!(name in declaredInputs)) continue;
        const inCode = literal.startsWith("'") ? literal.slice(1, -1) : literal;
        compared.push(name);
        const inYml = declaredInputs[name]!.default;
        if (String(inYml ?? '') !== inCode)
          differing.push(`${name}: code ${inCode} (${file}), action.yml ${String(inYml)}`);
      }
    }
    expect(compared.length).toBeGreaterThan(0);
    expect(differing.filter((d) => !known.defaults?.includes(d.split(':')[0]!))).toEqual([]);
  });

  it('lists every error-code it can emit in its docs page', () => {
    const doc = errorSection(readFileSync(join(root, 'docs', 'actions', `${action}.md`), 'utf8'));
    expect(doc).not.toBe('');
    const codes = errorCodesInCode([...adapter, ...packages]);
    const missing = [...codes].filter((code) => !doc.includes(`\`${code}\``)).sort();
    expect(missing.filter((code) => !known.codes?.includes(code))).toEqual([]);
  });
});

describe('the input scan', () => {
  it.each([['render-env', 'protected-keys', "a local helper: keyList('protected-keys')"]])(
    'sees %s read %s through %s',
    (action, input) => {
      const { adapter, packages } = sources(action);
      const files = [...adapter, ...packages];
      // Not read directly: only the helper scan can find it.
      expect(files.some(({ text }) => new RegExp(`inputs\\.\\w+\\(\\s*'${input}'`).test(text))).toBe(false);
      expect(inputsInCode(files).has(input)).toBe(true);
    },
  );

  it("sees a helper that takes the name after other arguments: readThing(inputs, 'made-up')", () => {
    const text = [
      'function readThing(inputs: InputReader, name: string): string | undefined {',
      '  return inputs.string(name);',
      '}',
      "const value = readThing(inputs, 'made-up');",
    ].join('\n');
    expect([...inputsInCode([{ file: 'example.ts', text }]).keys()]).toEqual(['made-up']);
  });
});

describe('the error-code scan', () => {
  // Codes reach error-code through more than `new UserError('code', ...)`: these prove each way is seen.
  const sshDeploy = sources('ssh-deploy');
  const codes = errorCodesInCode([...sshDeploy.adapter, ...sshDeploy.packages]);
  it.each([
    ['a session helper that takes the code first: exec(code, ...)', 'pull-failed'],
    ['a UserError subclass: new RemoteCommandError(code, ...)', 'upload-failed'],
    ['a default parameter: code = ...', 'health-gate-failed'],
    ['a fallback: new UserError(x ?? code, ...)', 'deploy-failed'],
  ])('sees %s', (_, code) => {
    expect(codes).toContain(code);
  });

  it("reads only the files an action's bundle imports (not render-env's codes for ssh-deploy)", () => {
    const files = sshDeploy.packages.map((s) => s.file);
    expect(files).toContain('packages/compose-env/src/dotenv.ts');
    expect(files).not.toContain('packages/compose-env/src/render-file.ts');
    expect(codes).not.toContain('policy-failed');
  });
});

describe('the known gaps', () => {
  it('name only inputs, outputs and codes that are still missing (remove an entry once it is fixed)', () => {
    for (const [action, gaps] of Object.entries(KNOWN)) {
      const yml = parse(readFileSync(join(root, action, 'action.yml'), 'utf8')) as ActionYml;
      const doc = readFileSync(join(root, 'docs', 'actions', `${action}.md`), 'utf8');
      for (const name of gaps.inputs ?? [])
        expect(`${action} input ${name}: ${name in (yml.inputs ?? {})}`).toBe(
          `${action} input ${name}: false`,
        );
      for (const name of gaps.outputs ?? [])
        expect(`${action} output ${name}: ${name in (yml.outputs ?? {})}`).toBe(
          `${action} output ${name}: false`,
        );
      for (const code of gaps.codes ?? [])
        expect(`${action} code ${code}: ${doc.includes(`\`${code}\``)}`).toBe(
          `${action} code ${code}: false`,
        );
    }
  });
});
