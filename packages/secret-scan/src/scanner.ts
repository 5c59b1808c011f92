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
  /**
   * The keyword hits in `data`, when the reader found them as it copied the lines (with
   * this scanner's `keywordIndex.automaton`); otherwise the scanner finds them itself.
   */
  hits?: KeywordHits;
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

/** The state of one scan() call. */
interface FragmentRun {
  fragment: Fragment;
  /** performance.now() past which the fragment is not scanned further. */
  stopAt: number;
  exactOnly: boolean;
  findings: Finding[];
  /** Findings already emitted (rule, line, secret). */
  seen: Set<string>;
  /** Per rule: 0 not decided yet, 1 does not run on this fragment, 2 runs. */
  skips: Uint8Array;
  truncated: string | undefined;
  truncatedAt: number | undefined;
}

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

  /** The keyword automaton (a reader can find the hits as it copies lines: Fragment.hits). */
  get keywordIndex(): KeywordIndex {
    return this.index;
  }

  get ruleCount(): number {
    return this.compiled.length;
  }

  /** True when a global allowlist excludes this path, so the file need not be read. */
  isPathAllowed(file: string): boolean {
    return this.ruleSet.allowlists.some((a) => allowsWholePath(a, file));
  }

  /**
   * The work is split in small methods on purpose: the per-line loop is compiled (and,
   * when a rare path is first taken, recompiled) on its own, not as one large function
   * with every rare path in it.
   */
  scan(fragment: Fragment): FragmentResult {
    const stopAt = Math.min(performance.now() + this.limits.fileTimeBudgetMs, this.limits.deadline);
    const run: FragmentRun = {
      fragment,
      stopAt,
      exactOnly: fragment.profile === 'exact',
      findings: [],
      seen: new Set(),
      skips: new Uint8Array(this.compiled.length),
      truncated: undefined,
      truncatedAt: undefined,
    };
    if (this.pathRules.length > 0) this.runPathRules(run);
    let hits = fragment.hits;
    if (!hits) {
      hits = this.hits;
      this.index.scan(fragment.data, hits);
    }
    if (hits.count > 0) this.runKeywordRules(run, hits);
    if (this.alwaysRules.length > 0 && run.truncated === undefined) this.runAlwaysRules(run);
    return {
      findings: dropGenericDuplicates(run.findings),
      truncated: run.truncated,
      truncatedAt: run.truncatedAt,
    };
  }

  private emit(
    run: FragmentRun,
    c: CompiledRule,
    secret: string,
    match: string,
    line: string,
    lineIndex: number,
    column: number,
  ): void {
    const finding = this.toFinding(c, run.fragment, secret, match, line, lineIndex, column);
    if (!finding) return;
    const key = `${finding.ruleId}\0${finding.line}\0${finding.secretHash}`;
    if (run.seen.has(key)) return;
    run.seen.add(key);
    run.findings.push(finding);
  }

  /** Records where the budget ran out. */
  private truncate(run: FragmentRun, lineIndex: number): void {
    const text =
      run.stopAt === this.limits.deadline
        ? "the scan's time budget ran out"
        : `the per-file time budget of ${this.limits.fileTimeBudgetMs} ms ran out`;
    run.truncatedAt = this.lineNumber(run.fragment, lineIndex);
    run.truncated = `${text} at line ${run.truncatedAt}`;
  }

  /** Whether rule `r` runs on this fragment at all (its path, its allowlists, the profile), decided once per fragment. */
  private ruleRuns(run: FragmentRun, r: number): boolean {
    let v = run.skips[r]!;
    if (v === 0) {
      const c = this.compiled[r]!;
      const rule = c.rule;
      const file = run.fragment.file;
      // A rule with both a path and a regex (gitleaks' semantics) only runs on files its path matches.
      const skipped =
        (rule.path !== undefined && !rule.path.test(file)) ||
        rule.allowlists.some((a) => allowsWholePath(a, file)) ||
        (run.exactOnly && c.broad);
      v = skipped ? 1 : 2;
      run.skips[r] = v;
    }
    return v === 2;
  }

  private runPathRules(run: FragmentRun): void {
    const { fragment } = run;
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
        this.emit(run, c, fragment.file, fragment.file, '', 0, 1);
      }
    }
  }

  /**
   * Hits are in byte order, so each line's hits are contiguous: walk them line by line
   * without building objects per line, and run each line's candidate rules on it.
   */
  private runKeywordRules(run: FragmentRun, found: KeywordHits): void {
    const { data } = run.fragment;
    const { keyword: hitKeyword, line: hitLine, lineStart: hitLineStart, count: hits } = found;
    const stamp = this.stamp;
    const candidates = this.candidates;
    const maxLineLength = this.limits.maxLineLength;
    let processed = 0;
    for (let h = 0; h < hits;) {
      const lineIndex = hitLine[h]!;
      const lineStart = hitLineStart[h]!;
      const firstHit = h;
      let count = 0;
      const mark = ++this.stampCounter;
      for (; h < hits && hitLine[h] === lineIndex; h++) {
        const rules = this.rulesOfKeyword[hitKeyword[h]!]!;
        for (let k = 0; k < rules.length; k++) {
          const r = rules[k]!;
          if (stamp[r] !== mark) {
            stamp[r] = mark;
            // Rules that do not run on this file (its path, the profile) never make a line worth decoding.
            if (this.ruleRuns(run, r)) candidates[count++] = r;
          }
        }
      }
      if (count === 0) continue;
      let lineEnd = data.indexOf(10, lineStart);
      if (lineEnd < 0) lineEnd = data.length;
      if (lineEnd - lineStart > maxLineLength) {
        if (!this.scanLongLine(run, found, lineIndex, lineStart, lineEnd, firstHit, h, count)) return;
        continue;
      }
      if ((++processed & 15) === 0 && performance.now() > run.stopAt) {
        this.truncate(run, lineIndex);
        return;
      }
      this.scanWindow(run, lineIndex, lineStart, lineStart, lineEnd, count, true);
    }
  }

  /**
   * A line longer than maxLineLength: only windows around its keyword hits are searched.
   * False when the budget ran out.
   */
  private scanLongLine(
    run: FragmentRun,
    found: KeywordHits,
    lineIndex: number,
    lineStart: number,
    lineEnd: number,
    firstHit: number,
    endHit: number,
    count: number,
  ): boolean {
    if (performance.now() > run.stopAt) {
      this.truncate(run, lineIndex);
      return false;
    }
    const windows = mergeWindows(found.end.subarray(firstHit, endHit), lineStart, lineEnd);
    for (let w = 0; w < windows.length; w++) {
      const [from, to] = windows[w]!;
      if ((w & 7) === 7 && performance.now() > run.stopAt) {
        this.truncate(run, lineIndex);
        return false;
      }
      this.scanWindow(run, lineIndex, lineStart, from, to, count, w === 0);
    }
    return true;
  }

  /** Runs the line's candidate rules (the first `count` of this.candidates) on data[from, to). */
  private scanWindow(
    run: FragmentRun,
    lineIndex: number,
    lineStart: number,
    from: number,
    to: number,
    count: number,
    first: boolean,
  ): void {
    const { fragment } = run;
    let text = decode(fragment.data, from, to);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    const columnBase = from - lineStart;
    const candidates = this.candidates;
    for (let k = 0; k < count; k++) {
      const c = this.compiled[candidates[k]!]!;
      if (c.rule.multiline) {
        if (first) this.runMultiline(c, fragment, lineStart, lineIndex, run);
        continue;
      }
      c.match!(text, (index, match, secret) => {
        if (c.rule.wordStart && index > 0 && isTokenChar(text.charCodeAt(index - 1))) return;
        if (secret === '') return;
        const offset = index + Math.max(0, match.indexOf(secret));
        this.emit(run, c, secret, match, text, lineIndex, columnBase + offset + 1);
      });
    }
  }

  /**
   * Rules without keywords (from a user's config) meet every line, so they get the same
   * guards as the rest: line by line, long lines in overlapping windows, within the budget.
   */
  private runAlwaysRules(run: FragmentRun): void {
    const { data } = run.fragment;
    const rules = this.alwaysRules.filter((r) => this.ruleRuns(run, r));
    const max = this.limits.maxLineLength;
    let lineStart = 0;
    for (let lineIndex = 0; lineStart <= data.length && rules.length > 0; lineIndex++) {
      let lineEnd = data.indexOf(10, lineStart);
      if (lineEnd < 0) lineEnd = data.length;
      if (((lineIndex & 63) === 63 || lineEnd - lineStart > max) && performance.now() > run.stopAt) {
        this.truncate(run, lineIndex);
        return;
      }
      for (let from = lineStart; from < lineEnd || from === lineStart; from += max - WINDOW) {
        const to = Math.min(lineEnd, from + max);
        let text = decode(data, from, to);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        for (const r of rules) {
          const c = this.compiled[r]!;
          c.match!(text, (index, match, secret) => {
            if (secret === '') return;
            this.emit(
              run,
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
        if (performance.now() > run.stopAt) {
          this.truncate(run, lineIndex);
          return;
        }
      }
      lineStart = lineEnd + 1;
    }
  }

  private runMultiline(
    c: CompiledRule,
    fragment: Fragment,
    lineStart: number,
    lineIndex: number,
    run: FragmentRun,
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
    this.emit(run, c, secret, found.match, lineText, lineIndex + before, 1);
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
