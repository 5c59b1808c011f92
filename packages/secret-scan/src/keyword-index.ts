/**
 * An Aho–Corasick automaton over bytes, built as a dense DFA on a reduced
 * alphabet (only the bytes keywords use get their own column), so one pass over
 * a file costs one table lookup per byte and no string is ever decoded for the
 * lines that hold no keyword. Matching is ASCII case-insensitive, which is
 * enough because every keyword is ASCII.
 */
/**
 * Keyword occurrences, column by column in typed arrays that are reused from
 * one scan to the next: a busy file has tens of thousands of hits, and an
 * object per hit would keep the garbage collector busy.
 */
export class KeywordHits {
  /** The keyword's index in the KeywordIndex constructor's list. */
  keyword: Int32Array = new Int32Array(4096);
  /** Byte offset just past the keyword. */
  end: Int32Array = new Int32Array(4096);
  /** 0-based line of the hit. */
  line: Int32Array = new Int32Array(4096);
  /** Byte offset where that line starts. */
  lineStart: Int32Array = new Int32Array(4096);
  count = 0;
  // The last hit kept, for the MIN_GAP rule (see add).
  private lastKeyword = -1;
  private lastEnd = -MIN_GAP;
  private lastLine = -1;

  /**
   * Drops the hits from the `count`-th on, all on one line being read again (see
   * AddedBuffer.pushLine); the MIN_GAP rule then starts afresh on that line.
   */
  truncate(count: number): void {
    this.count = count;
    this.lastLine = -1;
  }

  /** Empties the list for the next fragment. */
  reset(): void {
    this.count = 0;
    this.lastKeyword = -1;
    this.lastEnd = -MIN_GAP;
    this.lastLine = -1;
  }

  /**
   * Adds the keywords `outputs` ending at `end` (exclusive), on `line`. Hits of the same
   * keyword closer than MIN_GAP bytes on one line add nothing (their windows overlap), so
   * a line made of one repeated keyword does not fill memory.
   */
  add(outputs: readonly number[], end: number, line: number, lineStart: number): void {
    for (let k = 0; k < outputs.length; k++) {
      const kw = outputs[k]!;
      if (kw === this.lastKeyword && line === this.lastLine && end - this.lastEnd < MIN_GAP) continue;
      this.lastKeyword = kw;
      this.lastEnd = end;
      this.lastLine = line;
      this.push(kw, end, line, lineStart);
    }
  }

  push(keyword: number, end: number, line: number, lineStart: number): void {
    if (this.count === this.keyword.length) this.grow();
    const i = this.count++;
    this.keyword[i] = keyword;
    this.end[i] = end;
    this.line[i] = line;
    this.lineStart[i] = lineStart;
  }

  private grow(): void {
    const twice = (a: Int32Array): Int32Array => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.keyword = twice(this.keyword);
    this.end = twice(this.end);
    this.line = twice(this.line);
    this.lineStart = twice(this.lineStart);
  }
}

const MIN_GAP = 128;

/**
 * The automaton's tables, for a reader that runs it while it copies lines (see AddedBuffer
 * in git.ts): `delta[state + classOf[byte]]` is the next state (a row offset), negative
 * where keywords end, and `outputs[-next]` are those keywords.
 */
export interface KeywordAutomaton {
  classOf: Uint8Array;
  delta: Int32Array;
  outputs: readonly (readonly number[])[];
}

export class KeywordIndex {
  private readonly classOf = new Uint8Array(256);
  private readonly width: number;
  /** Transitions: target row offsets, negative for states where a keyword ends. */
  private readonly scaled: Int32Array;
  /** Keywords ending at each state, indexed by the state's row offset (as the scan loop holds it). */
  private readonly outputsAt: number[][] = [];
  readonly size: number;

  constructor(keywords: readonly string[]) {
    const bytes = keywords.map((k) => Buffer.from(k.toLowerCase(), 'latin1'));
    let next = 1;
    for (const kw of bytes) {
      for (const b of kw) {
        if (this.classOf[b] === 0) {
          this.classOf[b] = next;
          // Upper-case letters share the lower-case column.
          if (b >= 0x61 && b <= 0x7a) this.classOf[b - 0x20] = next;
          next++;
        }
      }
    }
    this.width = next;
    const goto: Map<number, number>[] = [new Map()];
    const outputs: (number[] | undefined)[] = [undefined];
    bytes.forEach((kw, index) => {
      if (kw.length === 0) return;
      let state = 0;
      for (const b of kw) {
        const c = this.classOf[b]!;
        let to = goto[state]!.get(c);
        if (to === undefined) {
          to = goto.length;
          goto.push(new Map());
          outputs.push(undefined);
          goto[state]!.set(c, to);
        }
        state = to;
      }
      (outputs[state] ??= []).push(index);
    });
    const states = goto.length;
    const delta = new Int32Array(states * this.width);
    const fail = new Int32Array(states);
    const queue: number[] = [];
    for (let c = 0; c < this.width; c++) {
      const to = goto[0]!.get(c);
      if (to !== undefined) {
        delta[c] = to;
        queue.push(to);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      const inherited = outputs[f];
      if (inherited) outputs[s] = [...(outputs[s] ?? []), ...inherited];
      for (let c = 0; c < this.width; c++) {
        const to = goto[s]!.get(c);
        if (to !== undefined) {
          fail[to] = delta[f * this.width + c]!;
          delta[s * this.width + c] = to;
          queue.push(to);
        } else {
          delta[s * this.width + c] = delta[f * this.width + c]!;
        }
      }
    }
    // Each target is stored as its row offset, negated when a keyword ends there.
    this.scaled = new Int32Array(delta.length);
    for (let k = 0; k < delta.length; k++) {
      const to = delta[k]!;
      this.scaled[k] = outputs[to] ? -to * this.width : to * this.width;
    }
    outputs.forEach((out, state) => {
      if (out) this.outputsAt[state * this.width] = out;
    });
    this.size = states;
  }

  /**
   * The tables, for a reader that runs the automaton line by line as it copies them; only
   * when no keyword holds a newline, so that every line starts from the first state.
   */
  get automaton(): KeywordAutomaton | undefined {
    if (this.classOf[10] !== 0) return undefined;
    return { classOf: this.classOf, delta: this.scaled, outputs: this.outputsAt };
  }

  /** Every keyword occurrence in `data`, in order, with its line, appended to `hits` (reset first). */
  scan(data: Uint8Array, hits: KeywordHits): void {
    const { classOf, outputsAt } = this;
    const delta = this.scaled;
    const n = data.length;
    hits.reset();
    let state = 0;
    // Lines are counted only up to each hit, with the native indexOf, so the
    // per-byte loop does nothing but follow the automaton.
    let line = 0;
    let lineStart = 0;
    // The next newline at or after lineStart, found once per line: counting to it on
    // every hit would cost the line's length per hit (quadratic on a 1 MiB line).
    let nextNl = data.indexOf(10);
    if (nextNl < 0) nextNl = n;
    for (let i = 0; i < n; i++) {
      state = delta[state + classOf[data[i]!]!]!;
      if (state < 0) {
        state = -state;
        while (nextNl < i) {
          line++;
          lineStart = nextNl + 1;
          nextNl = data.indexOf(10, lineStart);
          if (nextNl < 0) nextNl = n;
        }
        hits.add(outputsAt[state]!, i + 1, line, lineStart);
      }
    }
  }

  /** True when any keyword occurs in `text` (for short strings such as a single line). */
  test(text: string): boolean {
    const hits = new KeywordHits();
    this.scan(Buffer.from(text, 'latin1'), hits);
    return hits.count > 0;
  }
}
