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

  /** Every keyword occurrence in `data`, in order, with its line, appended to `hits`. */
  scan(data: Uint8Array, hits: KeywordHits): void {
    const { classOf, outputsAt } = this;
    const delta = this.scaled;
    const n = data.length;
    let state = 0;
    // Lines are counted only up to each hit, with the native indexOf, so the
    // per-byte loop does nothing but follow the automaton.
    let line = 0;
    let lineStart = 0;
    // The next newline at or after lineStart, found once per line: counting to it on
    // every hit would cost the line's length per hit (quadratic on a 1 MiB line).
    let nextNl = data.indexOf(10);
    if (nextNl < 0) nextNl = n;
    // Hits of the same keyword closer than MIN_GAP bytes on one line add nothing (their
    // windows overlap), so a line made of one repeated keyword does not fill memory.
    let lastKeyword = -1;
    let lastEnd = -MIN_GAP;
    let lastLine = -1;
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
        const out = outputsAt[state]!;
        for (let k = 0; k < out.length; k++) {
          const kw = out[k]!;
          if (kw === lastKeyword && line === lastLine && i + 1 - lastEnd < MIN_GAP) continue;
          lastKeyword = kw;
          lastEnd = i + 1;
          lastLine = line;
          hits.push(kw, i + 1, line, lineStart);
        }
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
