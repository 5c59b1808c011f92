import { performance } from 'node:perf_hooks';
import { RE2JS } from 're2js';
import { allowsWholePath, isAllowed } from './allowlist.js';
import { shannonEntropy } from './entropy.js';
import { KeywordHits, KeywordIndex } from './keyword-index.js';
import { isFillerInExactFormat } from './placeholders.js';
import { fingerprintOf, redact, sha256Hex } from './redact.js';
import type { Finding, Rule, RuleSet } from './types.js';

export interface ScanLimits {
  /** Longer lines are only searched in windows around their keywords, so a minified blob cannot stall a regex. */
  maxLineLength: number;
  /** Time one file may take; the rest of a file over budget is skipped and reported as a finding. */
  fileTimeBudgetMs: number;
  /** `performance.now()` after which nothing more is scanned (the whole scan's budget). */
  deadline: number;
}

const DEFAULT_LIMITS: ScanLimits = { maxLineLength: 4096, fileTimeBudgetMs: 10_000, deadline: Infinity };

/** A piece of text to scan: a whole file, or the added lines of one file in one commit. */
export interface Fragment {
  file: string;
  data: Uint8Array;
  commit?: string;
  /** Real line numbers of each line of `data` (added lines of a diff); 1-based positions otherwise. */
  lineNumbers?: ArrayLike<number>;
  /**
   * `exact`: only rules for exact formats and named providers run, not the broad
   * `name = value` rules (lock files, minified bundles, source maps: generated text
   * where those would only be noise).
   */
  profile?: 'all' | 'exact';
}

export interface FragmentResult {
  findings: Finding[];
  /** Set when the time budget ran out before the end of the fragment. */
  truncated?: string;
  /** The line where scanning stopped, when truncated. */
  truncatedAt?: number;
}

const WINDOW = 512;
/** No regex ever runs on more text than this at once: merged windows are cut into overlapping pieces. */
const MAX_WINDOW = 16 * 1024;
const MAX_KEYWORD = 6;
const MULTILINE_WINDOW = 64 * 1024;
const INLINE_ALLOW = /gitleaks:allow|secret-scan:allow/;

/** Calls back with the offset, whole match and secret of each match in `text`. */
type Matcher = (text: string, onMatch: (index: number, match: string, secret: string) => void) => void;

interface CompiledRule {
  rule: Rule;
  regex?: RegExp;
  match?: Matcher;
  /** Built-in rules also drop obvious placeholders (`…EXAMPLE`, `xxxx`). */
  skipPlaceholders: boolean;
  /** Broad rules that do not run on generated text (see Fragment.profile). */
  broad: boolean;
}

function jsMatcher(regex: RegExp, group: number | undefined): Matcher {
  return (text, onMatch) => {
    regex.lastIndex = 0;
    for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
      if (m[0].length === 0) regex.lastIndex++;
      onMatch(m.index, m[0], secretOf(m, group));
    }
  };
}

/**
 * Rules from a user's config run on RE2JS, a linear-time engine with the RE2
 * semantics gitleaks configs are written for: a pattern such as `(?:a|aa)+b`
 * cannot backtrack for minutes on a short line.
 */
function re2Matcher(source: string, group: number | undefined): Matcher {
  const pattern = RE2JS.compile(source);
  return (text, onMatch) => {
    const m = pattern.matcher(text);
    while (m.find()) {
      let secret = '';
      if (group !== undefined) secret = m.group(group) ?? '';
      else {
        for (let i = 1; i <= m.groupCount() && !secret; i++) secret = m.group(i) ?? '';
        if (!secret) secret = m.group() ?? '';
      }
      onMatch(m.start(), m.group() ?? '', secret);
    }
  };
}

/**
 * Finds secrets in fragments. One pass of a keyword automaton over the bytes
 * picks the few lines worth decoding; only the rules whose keywords occur on a
 * line run their regex on it.
 */
export class SecretScanner {
  private readonly compiled: CompiledRule[];
  private readonly index: KeywordIndex;
  /** Rules to try for each keyword of the automaton. */
  private readonly rulesOfKeyword: number[][];
  /** Rules without keywords run on every fragment. */
  private readonly alwaysRules: number[];
  private readonly pathRules: number[];
  private readonly limits: ScanLimits;
  private readonly stamp: Int32Array;
  /** Rules to run on the current line (reused). */
  private readonly candidates: Int32Array;
  private stampCounter = 0;
  private readonly hits = new KeywordHits();

  constructor(
    private readonly ruleSet: RuleSet,
    limits: Partial<ScanLimits> = {},
    builtinIds: ReadonlySet<string> = new Set(),
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.compiled = ruleSet.rules.map((rule) => {
      const regex = rule.regex ? new RegExp(rule.regex.source, withGlobal(rule.regex.flags)) : undefined;
      const match =
        rule.goSource !== undefined
          ? re2Matcher(rule.goSource, rule.secretGroup)
          : regex
            ? jsMatcher(regex, rule.secretGroup)
            : undefined;
      return {
        rule,
        regex,
        match,
        skipPlaceholders: builtinIds.has(rule.id),
        broad: rule.generic === true && builtinIds.has(rule.id),
      };
    });
    const keywords: string[] = [];
    const keywordId = new Map<string, number>();
    this.rulesOfKeyword = [];
    this.alwaysRules = [];
    this.pathRules = [];
    this.compiled.forEach((c, ruleIndex) => {
      if (!c.regex) {
        if (c.rule.path) this.pathRules.push(ruleIndex);
        return;
      }
      if (c.rule.keywords.length === 0) {
        this.alwaysRules.push(ruleIndex);
        return;
      }
      for (const keyword of c.rule.keywords) {
        // A prefix is as good a prefilter (the regex decides), and short keywords keep the automaton small enough to stay in cache.
        const kw = keyword.slice(0, MAX_KEYWORD);
        let id = keywordId.get(kw);
        if (id === undefined) {
          id = keywords.length;
          keywords.push(kw);
          keywordId.set(kw, id);
          this.rulesOfKeyword.push([]);
        }
        this.rulesOfKeyword[id]!.push(ruleIndex);
      }
    });
    this.index = new KeywordIndex(keywords);
    this.stamp = new Int32Array(this.compiled.length);
    this.candidates = new Int32Array(this.compiled.length);
  }

  get ruleCount(): number {
    return this.compiled.length;
  }

  /** True when a global allowlist excludes this path, so the file need not be read. */
  isPathAllowed(file: string): boolean {
    return this.ruleSet.allowlists.some((a) => allowsWholePath(a, file));
  }

  scan(fragment: Fragment): FragmentResult {
    const started = performance.now();
    const stopAt = Math.min(started + this.limits.fileTimeBudgetMs, this.limits.deadline);
    const budgetText = (): string =>
      stopAt === this.limits.deadline
        ? "the scan's time budget ran out"
        : `the per-file time budget of ${this.limits.fileTimeBudgetMs} ms ran out`;
    const exactOnly = fragment.profile === 'exact';
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const { data } = fragment;
    const emit = (
      c: CompiledRule,
      secret: string,
      match: string,
      line: string,
      lineIndex: number,
      column: number,
    ): void => {
      const finding = this.toFinding(c, fragment, secret, match, line, lineIndex, column);
      if (!finding) return;
      const key = `${finding.ruleId}\0${finding.line}\0${finding.secretHash}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(finding);
    };

    for (const ruleIndex of this.pathRules) {
      const c = this.compiled[ruleIndex]!;
      if (
        c.rule.path!.test(fragment.file) &&
        !this.allowedByRule(c.rule, {
          secret: '',
          match: '',
          line: '',
          path: fragment.file,
          commit: fragment.commit,
        })
      ) {
        emit(c, fragment.file, fragment.file, '', 0, 1);
      }
    }

    const hitList = this.hits;
    hitList.count = 0;
    this.index.scan(data, hitList);
    const hits = hitList.count;
    const { keyword: hitKeyword, end: hitEnd, line: hitLine, lineStart: hitLineStart } = hitList;

    const fileAllowed = new Map<number, boolean>();
    const ruleSkipsFile = (r: number): boolean => {
      let v = fileAllowed.get(r);
      if (v === undefined) {
        const rule = this.compiled[r]!.rule;
        // A rule with both a path and a regex (gitleaks' semantics) only runs on files its path matches.
        v =
          (rule.path !== undefined && !rule.path.test(fragment.file)) ||
          rule.allowlists.some((a) => allowsWholePath(a, fragment.file));
        fileAllowed.set(r, v);
      }
      return v;
    };

    // Hits are in byte order, so each line's hits are contiguous: walk them line by line
    // without building objects per line.
    const stamp = this.stamp;
    const candidates = this.candidates;
    /** Per rule for this fragment: 0 not decided yet, 1 skipped, 2 runs. */
    const skips = new Uint8Array(this.compiled.length);
    let truncated: string | undefined;
    let truncatedAt: number | undefined;
    let processed = 0;
    for (let h = 0; h < hits;) {
      const lineIndex = hitLine[h]!;
      const lineStart = hitLineStart[h]!;
      const firstHit = h;
      let count = 0;
      this.stampCounter++;
      for (; h < hits && hitLine[h] === lineIndex; h++) {
        for (const r of this.rulesOfKeyword[hitKeyword[h]!]!) {
          if (stamp[r] !== this.stampCounter) {
            stamp[r] = this.stampCounter;
            // Rules that do not run on this file (its path, the profile) never make a line worth decoding.
            if (skips[r] === 0) skips[r] = ruleSkipsFile(r) || (exactOnly && this.compiled[r]!.broad) ? 1 : 2;
            if (skips[r] === 2) candidates[count++] = r;
          }
        }
      }
      if (count === 0) continue;
      let lineEnd = indexOfByte(data, 10, lineStart);
      if (lineEnd < 0) lineEnd = data.length;
      const long = lineEnd - lineStart > this.limits.maxLineLength;
      if ((long || (++processed & 15) === 0) && performance.now() > stopAt) {
        truncatedAt = this.lineNumber(fragment, lineIndex);
        truncated = `${budgetText()} at line ${truncatedAt}`;
        break;
      }
      const windows: [number, number][] = long
        ? mergeWindows(hitEnd.subarray(firstHit, h), lineStart, lineEnd)
        : [[lineStart, lineEnd]];
      for (let w = 0; w < windows.length; w++) {
        const [from, to] = windows[w]!;
        if (long && (w & 7) === 7 && performance.now() > stopAt) {
          truncatedAt = this.lineNumber(fragment, lineIndex);
          truncated = `${budgetText()} at line ${truncatedAt}`;
          break;
        }
        let text = decode(data, from, to);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        const columnBase = from - lineStart;
        for (let k = 0; k < count; k++) {
          const r = candidates[k]!;
          const c = this.compiled[r]!;
          if (c.rule.multiline) {
            if (w === 0) this.runMultiline(c, fragment, lineStart, lineIndex, emit);
            continue;
          }
          c.match!(text, (index, match, secret) => {
            if (c.rule.wordStart && index > 0 && isTokenChar(text.charCodeAt(index - 1))) return;
            if (secret === '') return;
            const offset = index + Math.max(0, match.indexOf(secret));
            emit(c, secret, match, text, lineIndex, columnBase + offset + 1);
          });
        }
      }
      if (truncated) break;
    }

    if (this.alwaysRules.length > 0 && !truncated) {
      // Rules without keywords (from a user's config) meet every line, so they get the same
      // guards as the rest: line by line, long lines in overlapping windows, within the budget.
      const rules = this.alwaysRules.filter(
        (r) => !ruleSkipsFile(r) && !(exactOnly && this.compiled[r]!.broad),
      );
      const max = this.limits.maxLineLength;
      let lineStart = 0;
      for (let lineIndex = 0; lineStart <= data.length && rules.length > 0; lineIndex++) {
        let lineEnd = indexOfByte(data, 10, lineStart);
        if (lineEnd < 0) lineEnd = data.length;
        if (((lineIndex & 63) === 63 || lineEnd - lineStart > max) && performance.now() > stopAt) {
          truncatedAt = this.lineNumber(fragment, lineIndex);
          truncated = `${budgetText()} at line ${truncatedAt}`;
          break;
        }
        for (let from = lineStart; from < lineEnd || from === lineStart; from += max - WINDOW) {
          const to = Math.min(lineEnd, from + max);
          let text = decode(data, from, to);
          if (text.endsWith('\r')) text = text.slice(0, -1);
          for (const r of rules) {
            const c = this.compiled[r]!;
            c.match!(text, (index, match, secret) => {
              if (secret === '') return;
              emit(
                c,
                secret,
                match,
                text,
                lineIndex,
                from - lineStart + index + Math.max(0, match.indexOf(secret)) + 1,
              );
            });
          }
          if (to >= lineEnd) break;
          if (performance.now() > stopAt) {
            truncatedAt = this.lineNumber(fragment, lineIndex);
            truncated = `${budgetText()} at line ${truncatedAt}`;
            break;
          }
        }
        if (truncated) break;
        lineStart = lineEnd + 1;
      }
    }

    return { findings: dropGenericDuplicates(findings), truncated, truncatedAt };
  }

  private runMultiline(
    c: CompiledRule,
    fragment: Fragment,
    lineStart: number,
    lineIndex: number,
    emit: (
      c: CompiledRule,
      secret: string,
      match: string,
      line: string,
      lineIndex: number,
      column: number,
    ) => void,
  ): void {
    const { data } = fragment;
    const end = Math.min(data.length, lineStart + MULTILINE_WINDOW);
    const text = Buffer.from(data.buffer, data.byteOffset + lineStart, end - lineStart).toString('utf8');
    let found: { index: number; match: string; secret: string } | undefined;
    c.match!(text, (index, match, secret) => {
      found ??= { index, match, secret };
    });
    if (!found) return;
    const { secret } = found;
    if (secret === '') return;
    const at = found.index + Math.max(0, found.match.indexOf(secret));
    const before = countNewlines(text, at);
    const lineText = text.slice(text.lastIndexOf('\n', at - 1) + 1, at + 200);
    emit(c, secret, found.match, before === 0 ? lineText : lineText, lineIndex + before, 1);
  }

  private lineNumber(fragment: Fragment, lineIndex: number): number {
    return fragment.lineNumbers ? (fragment.lineNumbers[lineIndex] ?? lineIndex + 1) : lineIndex + 1;
  }

  private allowedByRule(rule: Rule, ctx: Parameters<typeof isAllowed>[1]): boolean {
    return (
      rule.allowlists.some((a) => isAllowed(a, ctx)) || this.ruleSet.allowlists.some((a) => isAllowed(a, ctx))
    );
  }

  private toFinding(
    c: CompiledRule,
    fragment: Fragment,
    secret: string,
    match: string,
    line: string,
    lineIndex: number,
    column: number,
  ): Finding | undefined {
    const { rule } = c;
    const entropy = shannonEntropy(secret);
    if (rule.entropy !== undefined && entropy < rule.entropy) return undefined;
    if (INLINE_ALLOW.test(line)) return undefined;
    if (rule.validate && !rule.validate(secret, c.rule.multiline ? match : line)) return undefined;
    // An exact format (a prefix, an alphabet, a length) is not overruled by words such as
    // `Todo` or `sample` inside the random part: only filler (`xxxxxx`, `FAKEFAKEFAKE`) and
    // the documented example values are dropped.
    if (c.skipPlaceholders && !rule.validate && isFillerInExactFormat(secret)) return undefined;
    if (this.allowedByRule(rule, { secret, match, line, path: fragment.file, commit: fragment.commit }))
      return undefined;
    const secretHash = sha256Hex(secret);
    const lineNumber = this.lineNumber(fragment, lineIndex);
    return {
      ruleId: rule.id,
      description: rule.description,
      file: fragment.file,
      line: lineNumber,
      column,
      commit: fragment.commit,
      secret,
      secretHash,
      redacted: redact(secret),
      fingerprint: fingerprintOf(rule.id, fragment.file, secretHash, secret, lineNumber),
      entropy: Math.round(entropy * 100) / 100,
    };
  }
}

function isTokenChar(code: number): boolean {
  return (
    (code >= 48 && code <= 57) ||
    (code >= 65 && code <= 90) ||
    (code >= 97 && code <= 122) ||
    code === 95 ||
    code === 45
  );
}

function decode(data: Uint8Array, from: number, to: number): string {
  return Buffer.isBuffer(data)
    ? data.toString('utf8', from, to)
    : Buffer.from(data.buffer, data.byteOffset + from, to - from).toString('utf8');
}

function withGlobal(flags: string): string {
  return flags.includes('g') ? flags : `${flags}g`;
}

/** gitleaks' rule: the configured group, else the first non-empty group, else the whole match. */
function secretOf(m: RegExpExecArray, group: number | undefined): string {
  if (group !== undefined) return m[group] ?? '';
  for (let i = 1; i < m.length; i++) if (m[i]) return m[i]!;
  return m[0];
}

function indexOfByte(data: Uint8Array, byte: number, from: number): number {
  return data.indexOf(byte, from);
}

function countNewlines(text: string, until: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < until; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Windows of ±WINDOW bytes around each keyword hit on a long line, merged where they overlap. */
function mergeWindows(ends: ArrayLike<number>, lineStart: number, lineEnd: number): [number, number][] {
  const windows: [number, number][] = [];
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i]!;
    const from = Math.max(lineStart, end - WINDOW);
    const to = Math.min(lineEnd, end + WINDOW);
    const last = windows[windows.length - 1];
    if (last && from <= last[1] && to - last[0] <= MAX_WINDOW) last[1] = Math.max(last[1], to);
    else if (last && from <= last[1]) windows.push([Math.max(last[0], last[1] - 2 * WINDOW), to]);
    else windows.push([from, to]);
  }
  return windows;
}

/**
 * A generic finding is dropped when a specific rule found the same secret on the same
 * line, and the broadest generic rule yields to the config-file one.
 */
function dropGenericDuplicates(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const specific = findings.filter((f) => !f.ruleId.startsWith('generic'));
  const config = findings.filter((f) => f.ruleId === 'generic-config-credential');
  const overlaps = (a: Finding, b: Finding): boolean =>
    a.line === b.line && (a.secret.includes(b.secret) || b.secret.includes(a.secret));
  return findings.filter(
    (f) =>
      !f.ruleId.startsWith('generic') ||
      (!specific.some((s) => overlaps(s, f)) &&
        (f.ruleId !== 'generic-secret' || !config.some((c) => overlaps(c, f)))),
  );
}
