import picomatch from 'picomatch';
import { posix } from 'node:path';

/**
 * `preserve` as users write it: `./.env`, `data//`, `data/` (a directory: all
 * below it), `data` (the path itself and all below it), and globs matched as
 * the `files` input matches them (picomatch, dotfiles included, `*` stays in
 * one directory, `**` crosses them). Forms that cannot be honoured are
 * problems, named, never silently ignored.
 */
export interface PreserveRules {
  /** The normalised patterns, for the record and the log. */
  patterns: string[];
  /** Does `preserve` cover this relative, `/`-separated path? */
  matches(path: string): boolean;
}

/** The `preserve` input's default (action.yml). */
export const DEFAULT_PRESERVE = ['.env', 'docker-compose.override.yml', 'data/', 'logs/'];

/** One pattern normalised, or why it cannot be honoured. */
export function normalisePreservePattern(raw: string): { pattern: string } | { problem: string } {
  const value = raw.trim();
  if (value === '') return { problem: 'an empty entry' };
  if (value.startsWith('!'))
    return { problem: `'${raw}': negated patterns are not supported; list what to keep instead` };
  if (value.startsWith('/') || /[\0\r\n]/.test(value))
    return { problem: `'${raw}' must be a path inside remote-dir (relative, no '..')` };
  if (value.includes('\\'))
    return { problem: `'${raw}': backslashes are not supported; write paths with '/'` };
  let pattern = posix.normalize(value);
  if (pattern.split('/').includes('..') || pattern.startsWith('/'))
    return { problem: `'${raw}' must be a path inside remote-dir (relative, no '..')` };
  pattern = pattern.replace(/\/+$/, '');
  if (pattern === '.' || pattern === '' || pattern === '**' || pattern === '*')
    return { problem: `'${raw}' would preserve the whole remote-dir, so nothing could ever be deployed` };
  return { pattern };
}

export function preserveRules(patterns: readonly string[]): PreserveRules {
  const normalised = patterns.map((p) => {
    const n = normalisePreservePattern(p);
    if ('problem' in n) throw new Error(`preserve: ${n.problem}`);
    return n.pattern;
  });
  const matcher =
    normalised.length === 0
      ? () => false
      : picomatch(
          normalised.flatMap((p) => [p, `${p}/**`]),
          { dot: true },
        );
  return { patterns: normalised, matches: (path) => matcher(path) };
}
