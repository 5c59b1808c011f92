import type { Allowlist } from './types.js';

export interface AllowContext {
  secret: string;
  match: string;
  line: string;
  path: string;
  commit?: string;
}

/** gitleaks' semantics: OR needs one criterion to hold, AND needs every criterion the allowlist sets. */
export function isAllowed(list: Allowlist, ctx: AllowContext): boolean {
  const checks: boolean[] = [];
  if (list.commits.length > 0)
    checks.push(ctx.commit !== undefined && list.commits.some((c) => ctx.commit!.startsWith(c)));
  if (list.paths.length > 0) checks.push(list.paths.some((p) => p.test(ctx.path)));
  if (list.regexes.length > 0) {
    const target =
      list.regexTarget === 'match' ? ctx.match : list.regexTarget === 'line' ? ctx.line : ctx.secret;
    checks.push(list.regexes.some((r) => r.test(target)));
  }
  if (list.stopwords.length > 0) {
    const secret = ctx.secret.toLowerCase();
    checks.push(list.stopwords.some((w) => secret.includes(w)));
  }
  if (checks.length === 0) return false;
  return list.condition === 'AND' ? checks.every(Boolean) : checks.some(Boolean);
}

/** True when the allowlist excludes a whole file by its path alone (so the file need not be read). */
export function allowsWholePath(list: Allowlist, path: string): boolean {
  const onlyPaths = list.commits.length === 0 && list.regexes.length === 0 && list.stopwords.length === 0;
  if (list.paths.length === 0) return false;
  if (list.condition === 'AND' && !onlyPaths) return false;
  return list.paths.some((p) => p.test(path));
}

export function emptyAllowlist(): Allowlist {
  return { condition: 'OR', regexes: [], regexTarget: 'secret', paths: [], commits: [], stopwords: [] };
}
