import { randomBytes } from 'node:crypto';
import { PassThrough } from 'node:stream';
import type { ExecResult, SshConnection } from '@deploy-actions/ssh';

/**
 * The start of the line that ends a part of a chained exec on stdout. Each exec adds its own
 * random suffix (the script's first argument), so a part whose own output happens to print the
 * prefix (a migrator's log, a hook) can never end itself early.
 */
export const CHAIN_MARK = '@@deploy-actions-chain';

/**
 * Several steps' commands in ONE exec (every exec costs a session on the host, ~0.05-0.1 s),
 * yet each step still starts only when the runner says so: between steps the host waits at
 * a gate, reading one line from the exec's stdin. `go` runs the next step; anything else, or
 * the end of stdin (the runner stopped, was killed, or the connection dropped), ends the exec
 * without running it. So a cancel or a timeout during one step (e.g. the migration) never lets
 * the host go on to the next (e.g. change the app): the runner simply never says `go`.
 *
 * A gate may also be answered `then <n>` followed by n values (each: its number of lines, then
 * those lines), which become the parts that follow instead of the ones given: parts whose
 * arguments the runner knows only after an earlier part (the host's state read with the lock).
 * They are read with the shell's own `read` (one line at a time, never parsed as shell).
 *
 * A part that passed is followed by one line on stdout, `<mark> end`; a part that fails ends
 * the exec with its exit code, a closed gate with 0. Only stdout is marked: the host's sshd
 * (Nagle's algorithm is on for sessions without a pty) would hold a second small write, a mark
 * on stderr, until the runner's delayed ACK (~40 ms plus a round trip), at every step. So a
 * part's stdout is exactly its own; stderr lines are the part's whose end mark had not come
 * when they arrived (a line can land on the next part), which is what logs and errors need. Parts run with stdin from /dev/null (a `compose run` reads
 * its stdin) and never see the gate's, except a `script-stdin` part, which reads the rest of
 * the exec's stdin (the bundle archive): no gate can follow it.
 * Args: the end mark, dir (argv parts run there), then the parts: `argv N <N words>`, `script N <script>
 * <N args>` (run as `sh -c script sh args...`), `script-stdin N <script> <N args>`, `gate 0`.
 */
export const CHAIN_SCRIPT = `
M=$1; D=$2; shift 2
exec 3<&0 </dev/null
run_head() {
  rh_n=$1; shift; rh_c=0
  for rh_a do shift; rh_c=$((rh_c + 1)); if [ "$rh_c" -le "$rh_n" ]; then set -- "$@" "$rh_a"; fi; done
  "$@"
}
# number TEXT: TEXT is a non-negative integer.
number() { case $1 in ''|*[!0-9]*) return 1;; esac; }
nl='
'
while [ $# -gt 0 ]; do
  K=$1; N=$2; shift 2
  if [ "$K" = gate ]; then
    IFS= read -r g <&3 || g=
    case $g in
      go) ;;
      'then '*)
        n=\${g#then }; number "$n" || exit 1; set --
        while [ "$n" -gt 0 ]; do
          IFS= read -r l <&3 && number "$l" || exit 1; v=
          k=0; while [ "$k" -lt "$l" ]; do
            IFS= read -r x <&3 || exit 1
            if [ "$k" -eq 0 ]; then v=$x; else v="$v$nl$x"; fi; k=$((k + 1))
          done
          set -- "$@" "$v"; n=$((n - 1))
        done;;
      *) exit 0;;
    esac
    continue
  fi
  if [ "$K" = argv ]; then (cd "$D" && run_head "$N" "$@") 3<&- || exit $?; shift "$N"
  elif [ "$K" = script-stdin ]; then (S=$1; shift; run_head $((N + 4)) sh -c "$S" sh "$@") <&3 3<&- || exit $?; shift $((N + 1))
  else (S=$1; shift; run_head $((N + 4)) sh -c "$S" sh "$@") 3<&- || exit $?; shift $((N + 1)); fi
  printf '%s end\\n' "$M"
done
`;

export type ChainPart =
  | { kind: 'argv'; argv: readonly string[] }
  | { kind: 'script' | 'script-stdin'; script: string; args: readonly string[] }
  | { kind: 'gate' };

/** The words CHAIN_SCRIPT reads for parts; new PartStates for those that are not gates. */
function partWords(parts: readonly ChainPart[]): { words: string[]; count: number } {
  const words: string[] = [];
  let count = 0;
  for (const p of parts) {
    if (p.kind === 'gate') words.push('gate', '0');
    else {
      count++;
      if (p.kind === 'argv') words.push('argv', String(p.argv.length), ...p.argv);
      else words.push(p.kind, String(p.args.length), p.script, ...p.args);
    }
  }
  return { words, count };
}

interface PartState {
  stdout: string[];
  stderr: string[];
  result?: ExecResult;
  resolve: (r: ExecResult) => void;
  reject: (e: unknown) => void;
  promise: Promise<ExecResult>;
}

/** A part of the chain that never ran: the exec ended (a part before failed, or it was stopped) first. */
export class ChainPartNotRun extends Error {}

/** One running chained exec (CHAIN_SCRIPT); parts are numbered without the gates. */
export class ExecChain {
  private readonly stdin = new PassThrough();
  private readonly parts: PartState[] = [];
  /** The part running (or last to run): the number of end marks seen. */
  private current = 0;
  private settled = false;
  private stdinEnded = false;
  /** The whole exec: resolves when the host's side ended (never rejects). */
  readonly done: Promise<ExecResult | Error>;

  constructor(
    conn: SshConnection,
    dir: string,
    parts: readonly ChainPart[],
    /** Each output line of part `index` as it arrives (marks are not passed on). */
    onLine: (index: number, line: string, stream: 'stdout' | 'stderr') => void,
  ) {
    const { words, count } = partWords(parts);
    for (let i = 0; i < count; i++) this.parts.push(newPart());
    const mark = `${CHAIN_MARK}-${randomBytes(8).toString('hex')}`;
    const endLine = `${mark} end`;
    // A write after the host's side ended must not crash the process.
    this.stdin.on('error', () => undefined);
    this.done = conn
      .exec(['sh', '-c', CHAIN_SCRIPT, 'sh', mark, dir, ...words], {
        stdin: this.stdin,
        onOutput: (line, stream) => {
          const s = stream ?? 'stdout';
          // A part whose output did not end with a newline has the mark on its last line.
          if (s === 'stdout' && line.endsWith(endLine)) {
            if (line.length > endLine.length) this.line(s, line.slice(0, -endLine.length), onLine);
            const p = this.parts[this.current];
            if (p && !p.result) this.finish(p, 0);
            this.current++;
            return;
          }
          this.line(s, line, onLine);
        },
      })
      .then(
        (result) => {
          this.settle(result);
          return result;
        },
        (error: unknown) => {
          this.settle(error instanceof Error ? error : new Error(String(error)));
          return error instanceof Error ? error : new Error(String(error));
        },
      );
  }

  /** Part `index`'s own result, once it ended (rejects with ChainPartNotRun when it never ran). */
  result(index: number): Promise<ExecResult> {
    const p = this.parts[index];
    if (!p) return Promise.reject(new Error(`no chain part ${index}`));
    return p.promise;
  }

  /** Opens the next gate: the host runs the parts up to the gate after it. */
  go(): void {
    if (!this.settled && !this.stdinEnded) this.stdin.write('go\n');
  }

  /**
   * Opens the next gate with new parts in place of the ones after it (their indexes continue
   * from the parts so far); `stdin` (for a script-stdin part) follows and ends the exec's stdin.
   * Returns the new parts' indexes.
   */
  then(parts: readonly ChainPart[], stdin?: NodeJS.ReadableStream): number[] {
    const { words, count } = partWords(parts);
    const first = this.parts.length;
    for (let i = 0; i < count; i++) this.parts.push(newPart());
    if (this.settled || this.stdinEnded) {
      for (const p of this.parts.slice(first)) p.reject(new ChainPartNotRun('did not run'));
    } else {
      const lines = [`then ${words.length}`];
      for (const w of words) {
        const own = w.split('\n');
        lines.push(String(own.length), ...own);
      }
      this.stdin.write(`${lines.join('\n')}\n`);
      if (stdin) {
        this.stdinEnded = true;
        stdin.on('error', (error: unknown) => this.stdin.destroy(error as Error));
        stdin.pipe(this.stdin);
      }
    }
    return Array.from({ length: count }, (_, i) => first + i);
  }

  /** Tells the host to run nothing more and waits until its side ended. */
  async stop(): Promise<void> {
    if (!this.stdinEnded) {
      this.stdinEnded = true;
      if (!this.settled) this.stdin.end('stop\n');
    }
    await this.done;
  }

  private line(
    s: 'stdout' | 'stderr',
    line: string,
    onLine: (index: number, line: string, stream: 'stdout' | 'stderr') => void,
  ): void {
    // A late stderr line of the last part (after its end mark) stays with it.
    const index = Math.min(this.current, this.parts.length - 1);
    const p = this.parts[index];
    if (!p) return;
    p[s].push(line);
    onLine(index, line, s);
  }

  private finish(p: PartState, code: number): void {
    const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');
    p.result = { code, stdout: text(p.stdout), stderr: text(p.stderr) };
    p.resolve(p.result);
  }

  /**
   * The exec ended: with a non-zero exit, the first part without an end mark failed with it;
   * with 0 (a closed gate, or all done) it never ran. The parts after it never ran.
   */
  private settle(outcome: ExecResult | Error): void {
    this.settled = true;
    if (!this.stdinEnded) {
      this.stdinEnded = true;
      this.stdin.end();
    }
    let failed = outcome instanceof Error || outcome.code === 0 ? undefined : outcome.code;
    for (const p of this.parts) {
      if (p.result) continue;
      if (outcome instanceof Error) p.reject(outcome);
      else if (failed !== undefined) {
        this.finish(p, failed);
        failed = undefined;
      } else p.reject(new ChainPartNotRun('did not run'));
    }
  }
}

function newPart(): PartState {
  let resolve!: (r: ExecResult) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<ExecResult>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Parts nobody asks for (the run stopped before them) must not surface as unhandled rejections.
  promise.catch(() => undefined);
  return { stdout: [], stderr: [], resolve, reject, promise };
}
