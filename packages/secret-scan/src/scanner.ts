import { performance } from 'node:perf_hooks';
import { allowsWholePath, isAllowed } from './allowlist.js';
import { shannonEntropy } from './entropy.js';
import { KeywordHits, KeywordIndex } from './keyword-index.js';
import { isPlaceholder } from './placeholders.js';
import { fingerprintOf, redact, sha256Hex } from './redact.js';
import type { Finding, Rule, RuleSet } from './types.js';

export interface ScanLimits {
  /** Longer lines are only searched in windows around their keywords, so a minified blob cannot stall a regex. */
  maxLineLength: number;
  /** Time one file may take; the rest of a file over budget is skipped and reported. */
  fileTimeBudgetMs: number;
}

export const DEFAULT_LIMITS: ScanLimits = { maxLineLength: 4096, fileTimeBudgetMs: 10_000 };

/** A piece of text to scan: a whole file, or the added lines of one file in one commit. */
export interface Fragment {
  file: string;
  data: Uint8Array;
  commit?: string;
  /** Real line numbers of each line of `data` (added lines of a diff); 1-based positions otherwise. */
  lineNumbers?: readonly number[];
}

export interface FragmentResult {
  findings: Finding[];
  /** Set when the time budget ran out before the end of the fragment. */
  truncated?: string;
}

const WINDOW = 512;
const MAX_KEYWORD = 6;
const MULTILINE_WINDOW = 64 * 1024;
const INLINE_ALLOW = /gitleaks:allow|secret-scan:allow/;

interface CompiledRule {
  rule: Rule;
  regex?: RegExp;
  /** Built-in rules also drop obvious placeholders (`…EXAMPLE`, `xxxx`). */
  skipPlaceholders: boolean;
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
    this.compiled = ruleSet.rules.map((rule) => ({
      rule,
      regex: rule.regex ? new RegExp(rule.regex.source, withGlobal(rule.regex.flags)) : undefined,
      skipPlaceholders: builtinIds.has(rule.id),
    }));
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
    const findings: Finding[] = [];
    const seen = new Set<string>();
    const { data } = fragment;
    const emit = (c: CompiledRule, secret: string, match: string, line: string, lineIndex: number, column: number): void => {
      const finding = this.toFinding(c, fragment, secret, match, line, lineIndex, column);
      if (!finding) return;
      const key = `${finding.ruleId}\0${finding.line}\0${finding.secretHash}`;
      if (seen.has(key)) return;
      seen.add(key);
      findings.push(finding);
    };

    for (const ruleIndex of this.pathRules) {
      const c = this.compiled[ruleIndex]!;
      if (c.rule.path!.test(fragment.file) && !this.allowedByRule(c.rule, { secret: '', match: '', line: '', path: fragment.file, commit: fragment.commit })) {
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
        v = this.compiled[r]!.rule.allowlists.some((a) => allowsWholePath(a, fragment.file));
        fileAllowed.set(r, v);
      }
      return v;
    };

    // Hits are in byte order, so each line's hits are contiguous: walk them line by line
    // without building objects per line.
    const stamp = this.stamp;
    const candidates = this.candidates;
    let truncated: string | undefined;
    let processed = 0;
    for (let h = 0; h < hits; ) {
      const lineIndex = hitLine[h]!;
      const lineStart = hitLineStart[h]!;
      const firstHit = h;
      let count = 0;
      this.stampCounter++;
      for (; h < hits && hitLine[h] === lineIndex; h++) {
        for (const r of this.rulesOfKeyword[hitKeyword[h]!]!) {
          if (stamp[r] !== this.stampCounter) {
            stamp[r] = this.stampCounter;
            candidates[count++] = r;
          }
        }
      }
      if ((++processed & 63) === 0 && performance.now() - started > this.limits.fileTimeBudgetMs) {
        truncated = `time budget of ${this.limits.fileTimeBudgetMs} ms ran out at line ${this.lineNumber(fragment, lineIndex)}`;
        break;
      }
      let lineEnd = indexOfByte(data, 10, lineStart);
      if (lineEnd < 0) lineEnd = data.length;
      const windows: [number, number][] =
        lineEnd - lineStart <= this.limits.maxLineLength
          ? [[lineStart, lineEnd]]
          : mergeWindows(hitEnd.subarray(firstHit, h), lineStart, lineEnd);
      for (const [from, to] of windows) {
        let text = decode(data, from, to);
        if (text.endsWith('\r')) text = text.slice(0, -1);
        const columnBase = from - lineStart;
        for (let k = 0; k < count; k++) {
          const r = candidates[k]!;
          const c = this.compiled[r]!;
          if (ruleSkipsFile(r)) continue;
          if (c.rule.multiline) {
            this.runMultiline(c, fragment, lineStart, lineIndex, emit);
            continue;
          }
          const regex = c.regex!;
          regex.lastIndex = 0;
          for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
            if (m[0].length === 0) regex.lastIndex++;
            if (c.rule.wordStart && m.index > 0 && isTokenChar(text.charCodeAt(m.index - 1))) continue;
            const secret = secretOf(m, c.rule.secretGroup);
            if (secret === '') continue;
            const offset = m.index + Math.max(0, m[0].indexOf(secret));
            emit(c, secret, m[0], text, lineIndex, columnBase + offset + 1);
          }
        }
      }
    }

    if (this.alwaysRules.length > 0 && !truncated) {
      // Rules without keywords (from a user's config) meet every line, so they get the same
      // guards as the rest: line by line, long lines in overlapping windows, within the budget.
      const rules = this.alwaysRules.filter((r) => !ruleSkipsFile(r));
      const max = this.limits.maxLineLength;
      let lineStart = 0;
      for (let lineIndex = 0; lineStart <= data.length && rules.length > 0; lineIndex++) {
        if ((lineIndex & 255) === 255 && performance.now() - started > this.limits.fileTimeBudgetMs) {
          truncated = `time budget of ${this.limits.fileTimeBudgetMs} ms ran out at line ${this.lineNumber(fragment, lineIndex)}`;
          break;
        }
        let lineEnd = indexOfByte(data, 10, lineStart);
        if (lineEnd < 0) lineEnd = data.length;
        for (let from = lineStart; from < lineEnd || from === lineStart; from += max - WINDOW) {
          const to = Math.min(lineEnd, from + max);
          let text = decode(data, from, to);
          if (text.endsWith('\r')) text = text.slice(0, -1);
          for (const r of rules) {
            const c = this.compiled[r]!;
            const regex = c.regex!;
            regex.lastIndex = 0;
            for (let m = regex.exec(text); m !== null; m = regex.exec(text)) {
              if (m[0].length === 0) regex.lastIndex++;
              const secret = secretOf(m, c.rule.secretGroup);
              if (secret === '') continue;
              emit(c, secret, m[0], text, lineIndex, from - lineStart + m.index + Math.max(0, m[0].indexOf(secret)) + 1);
            }
          }
          if (to >= lineEnd) break;
        }
        lineStart = lineEnd + 1;
      }
    }

    return { findings: dropGenericDuplicates(findings), truncated };
  }

  private runMultiline(
    c: CompiledRule,
    fragment: Fragment,
    lineStart: number,
    lineIndex: number,
    emit: (c: CompiledRule, secret: string, match: string, line: string, lineIndex: number, column: number) => void,
  ): void {
    const { data } = fragment;
    const end = Math.min(data.length, lineStart + MULTILINE_WINDOW);
    const text = Buffer.from(data.buffer, data.byteOffset + lineStart, end - lineStart).toString('utf8');
    const regex = c.regex!;
    regex.lastIndex = 0;
    const m = regex.exec(text);
    if (!m) return;
    const secret = secretOf(m, c.rule.secretGroup);
    if (secret === '') return;
    const at = m.index + Math.max(0, m[0].indexOf(secret));
    const before = countNewlines(text, at);
    const lineText = text.slice(text.lastIndexOf('\n', at - 1) + 1, at + 200);
    emit(c, secret, m[0], before === 0 ? lineText : lineText, lineIndex + before, 1);
  }

  private lineNumber(fragment: Fragment, lineIndex: number): number {
    return fragment.lineNumbers ? (fragment.lineNumbers[lineIndex] ?? lineIndex + 1) : lineIndex + 1;
  }

  private allowedByRule(rule: Rule, ctx: Parameters<typeof isAllowed>[1]): boolean {
    return rule.allowlists.some((a) => isAllowed(a, ctx)) || this.ruleSet.allowlists.some((a) => isAllowed(a, ctx));
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
    if (c.skipPlaceholders && !rule.validate && isPlaceholder(secret)) return undefined;
    if (this.allowedByRule(rule, { secret, match, line, path: fragment.file, commit: fragment.commit })) return undefined;
    const secretHash = sha256Hex(secret);
    return {
      ruleId: rule.id,
      description: rule.description,
      file: fragment.file,
      line: this.lineNumber(fragment, lineIndex),
      column,
      commit: fragment.commit,
      secret,
      secretHash,
      redacted: redact(secret),
      fingerprint: fingerprintOf(rule.id, fragment.file, secretHash),
      entropy: Math.round(entropy * 100) / 100,
    };
  }
}

function isTokenChar(code: number): boolean {
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

function decode(data: Uint8Array, from: number, to: number): string {
  return Buffer.isBuffer(data) ? data.toString('utf8', from, to) : Buffer.from(data.buffer, data.byteOffset + from, to - from).toString('utf8');
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
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  return windows;
}

/** A generic finding is dropped when a specific rule found the same secret on the same line. */
function dropGenericDuplicates(findings: Finding[]): Finding[] {
  if (findings.length < 2) return findings;
  const specific = findings.filter((f) => !f.ruleId.startsWith('generic'));
  return findings.filter(
    (f) =>
      !f.ruleId.startsWith('generic') ||
      !specific.some((s) => s.line === f.line && (s.secret.includes(f.secret) || f.secret.includes(s.secret))),
  );
}
