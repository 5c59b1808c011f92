/** Where an allowlist's regexes are matched: the secret (default), the whole match, or the line. */
export type RegexTarget = 'secret' | 'match' | 'line';

/**
 * Findings an allowlist lets through, with gitleaks' semantics: any one
 * criterion suffices (`OR`, the default) or all the given kinds must hold (`AND`).
 */
export interface Allowlist {
  description?: string;
  condition: 'OR' | 'AND';
  regexes: RegExp[];
  regexTarget: RegexTarget;
  paths: RegExp[];
  commits: string[];
  /** Lower-cased; a secret containing one of them is allowed. */
  stopwords: string[];
}

export interface Rule {
  id: string;
  description: string;
  /** Compiled without the `g` flag; the scanner adds its own copy with `g`. */
  regex?: RegExp;
  /**
   * The rule's pattern as a config wrote it (Go RE2 syntax): rules from a config run
   * on a linear-time RE2 engine, never on a backtracking one.
   */
  goSource?: string;
  /** Lower-cased; a line must contain one of them for the regex to run. Empty: every line. */
  keywords: string[];
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Capture group holding the secret; by default the first non-empty group, else the whole match. */
  secretGroup?: number;
  /** A rule with only a path reports the file itself (gitleaks' path-only rules). */
  path?: RegExp;
  allowlists: Allowlist[];
  /** Extra test on the secret (built-in rules only): false drops the finding. */
  validate?: (secret: string, line: string) => boolean;
  /** Broad rules whose finding yields to a specific rule matching the same secret. */
  generic?: boolean;
  /** The match must not follow a token character (letter, digit, `_`, `-`). */
  wordStart?: boolean;
  /** Patterns that can span lines (PEM blocks): run on a window, not a single line. */
  multiline?: boolean;
  tags?: string[];
}

export interface RuleSet {
  rules: Rule[];
  allowlists: Allowlist[];
  /** Where the rules came from, for the summary (`built-in`, a config path). */
  source: string;
}

/** One secret (or hygiene problem) found. `secret` stays in memory: never write it anywhere. */
export interface Finding {
  ruleId: string;
  description: string;
  /** Relative to the scanned path, with forward slashes. */
  file: string;
  line: number;
  column: number;
  commit?: string;
  secret: string;
  /** sha256 of the secret, hex; lets baselines and fingerprints match without the secret. */
  secretHash: string;
  redacted: string;
  fingerprint: string;
  entropy: number;
  /** Set by verifyFindings (`verify: true`) for supported kinds: the provider's verdict. */
  verified?: boolean | 'unknown';
}

export interface SkippedFile {
  file: string;
  reason: string;
}
