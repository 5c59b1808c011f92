import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { RE2JS } from 're2js';
import { parse as parseToml } from 'smol-toml';
import { errorMessage, UserError } from '@deploy-actions/action-kit';
import { emptyAllowlist } from './allowlist.js';
import { RegexTranslationError, translateGoRegex } from './go-regex.js';
import { builtinRules } from './rules/builtin.js';
import type { Allowlist, Rule, RuleSet } from './types.js';

type Table = Record<string, unknown>;

/** The built-in pack with no configuration. */
export function defaultRuleSet(): RuleSet {
  return { rules: builtinRules(), allowlists: [], source: 'built-in' };
}

/**
 * Reads a gitleaks configuration (v8 format): `[[rules]]`, `[extend]` with
 * `useDefault` / `path` / `disabledRules`, global `[allowlist]` or
 * `[[allowlists]]` (with `targetRules`), per-rule `[rules.allowlist]` or
 * `[[rules.allowlists]]`. Every problem in the file is reported at once.
 */
export function loadGitleaksConfig(
  file: string,
  seen: Set<string> = new Set(),
  read: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): RuleSet {
  const path = resolve(file);
  if (seen.has(path)) throw new UserError('config-invalid', `${file}: [extend] path makes a cycle.`);
  seen.add(path);
  let text: string;
  try {
    text = read(path);
  } catch (error) {
    throw new UserError('config-invalid', `Could not read the config file ${file}: ${errorMessage(error)}`);
  }
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (error) {
    throw new UserError('config-invalid', `${file} is not valid TOML: ${errorMessage(error).split('\n')[0]}`);
  }
  const problems: string[] = [];
  const extend = (doc['extend'] ?? {}) as Table;
  let base: RuleSet | undefined;
  if (extend['useDefault'] === true) base = defaultRuleSet();
  if (typeof extend['path'] === 'string')
    base = loadGitleaksConfig(resolve(dirname(path), extend['path']), seen, read);
  const disabled = new Set(asStrings(extend['disabledRules']));

  const rules = new Map<string, Rule>();
  for (const r of base?.rules ?? []) if (!disabled.has(r.id)) rules.set(r.id, r);
  const rawRules = Array.isArray(doc['rules']) ? (doc['rules'] as Table[]) : [];
  rawRules.forEach((raw, index) => {
    const rule = readRule(raw, index, problems);
    if (rule) rules.set(rule.id, rule);
  });

  const globals: Allowlist[] = [...(base?.allowlists ?? [])];
  const legacy = doc['allowlist'] as Table | undefined;
  if (legacy) globals.push(readAllowlist(legacy, 'the [allowlist] table', problems));
  const lists = Array.isArray(doc['allowlists']) ? (doc['allowlists'] as Table[]) : [];
  lists.forEach((raw, i) => {
    const list = readAllowlist(raw, `[[allowlists]] #${i + 1}`, problems);
    const targets = asStrings(raw['targetRules']);
    if (targets.length === 0) {
      globals.push(list);
      return;
    }
    for (const id of targets) {
      const rule = rules.get(id);
      if (rule) rule.allowlists.push(list);
      else problems.push(`[[allowlists]] #${i + 1} targets rule '${id}', which does not exist.`);
    }
  });

  if (problems.length > 0) {
    throw new UserError(
      'config-invalid',
      `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  if (rules.size === 0) {
    throw new UserError(
      'config-invalid',
      `${file} defines no rules. Add [extend] useDefault = true to keep the built-in rules.`,
    );
  }
  return { rules: [...rules.values()], allowlists: globals, source: file };
}

function readRule(raw: Table, index: number, problems: string[]): Rule | undefined {
  const id = typeof raw['id'] === 'string' ? raw['id'] : '';
  const where = id ? `rule '${id}'` : `rule #${index + 1}`;
  if (!id) problems.push(`${where} has no id.`);
  let regex: RegExp | undefined;
  let pathRegex: RegExp | undefined;
  let goSource: string | undefined;
  if (typeof raw['regex'] === 'string') {
    regex = translate(raw['regex'], `${where}: regex`, problems);
    if (regex) {
      try {
        RE2JS.compile(raw['regex']);
        goSource = raw['regex'];
      } catch (error) {
        problems.push(`${where}: regex: not valid RE2 syntax (${errorMessage(error)}).`);
      }
    }
  }
  if (typeof raw['path'] === 'string') pathRegex = translate(raw['path'], `${where}: path`, problems);
  if (!raw['regex'] && !raw['path']) problems.push(`${where} has neither a regex nor a path.`);
  const allowlists: Allowlist[] = [];
  if (raw['allowlist'] && typeof raw['allowlist'] === 'object')
    allowlists.push(readAllowlist(raw['allowlist'] as Table, `${where} allowlist`, problems));
  if (Array.isArray(raw['allowlists'])) {
    (raw['allowlists'] as Table[]).forEach((a, i) =>
      allowlists.push(readAllowlist(a, `${where} allowlist #${i + 1}`, problems)),
    );
  }
  const secretGroup =
    typeof raw['secretGroup'] === 'number' && raw['secretGroup'] > 0 ? raw['secretGroup'] : undefined;
  if (!id) return undefined;
  return {
    id,
    description: typeof raw['description'] === 'string' ? raw['description'] : id,
    regex,
    goSource,
    path: pathRegex,
    keywords: asStrings(raw['keywords']).map((k) => k.toLowerCase()),
    entropy: typeof raw['entropy'] === 'number' && raw['entropy'] > 0 ? raw['entropy'] : undefined,
    secretGroup,
    allowlists,
    tags: asStrings(raw['tags']),
  };
}

function readAllowlist(raw: Table, where: string, problems: string[]): Allowlist {
  const list = emptyAllowlist();
  if (typeof raw['description'] === 'string') list.description = raw['description'];
  const condition = String(raw['condition'] ?? 'OR').toUpperCase();
  if (condition !== 'OR' && condition !== 'AND')
    problems.push(`${where}: condition '${condition}' is not OR or AND.`);
  else list.condition = condition;
  const target = String(raw['regexTarget'] ?? 'secret');
  if (target !== 'secret' && target !== 'match' && target !== 'line')
    problems.push(`${where}: regexTarget '${target}' is not secret, match or line.`);
  else list.regexTarget = target;
  list.regexes = asStrings(raw['regexes']).flatMap(
    (r, i) => translate(r, `${where}: regexes[${i}]`, problems) ?? [],
  );
  list.paths = asStrings(raw['paths']).flatMap(
    (r, i) => translate(r, `${where}: paths[${i}]`, problems) ?? [],
  );
  list.commits = asStrings(raw['commits']);
  list.stopwords = asStrings(raw['stopwords']).map((w) => w.toLowerCase());
  return list;
}

function translate(source: string, where: string, problems: string[]): RegExp | undefined {
  try {
    return translateGoRegex(source);
  } catch (error) {
    if (error instanceof RegexTranslationError) {
      problems.push(`${where}: ${error.message}.`);
      return undefined;
    }
    throw error;
  }
}

function asStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
