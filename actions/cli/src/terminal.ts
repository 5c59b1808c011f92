// Output for a person at a terminal: the Logger the packages log through, turned
// into one progress line per host (redrawn in place on a TTY, plain lines
// otherwise), colour only on a TTY; and tables. No workflow commands
// (`::add-mask::`, `::error::`) are ever written: secrets are redacted here instead.
import { secretRedactor, type Logger } from '@deploy-actions/action-kit';

export interface TerminalOptions {
  /** Where logs and progress go (stderr: stdout is for the result). */
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Redraw the per-host lines in place. */
  live: boolean;
  color: boolean;
  /** Every log line, not only progress. */
  verbose: boolean;
}

const CODES = { red: 31, green: 32, yellow: 33, blue: 34, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function useColour(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColor: boolean): boolean {
  if (noColor || !stream.isTTY) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  return env['TERM'] !== 'dumb';
}

export function paint(enabled: boolean, colour: Colour, text: string): string {
  return enabled ? `\x1b[${CODES[colour]}m${text}\x1b[0m` : text;
}

/** Where a host is in its rollout, read from the lines the deploy package logs. */
export interface HostProgress {
  host: string;
  phase: string;
  detail: string;
  state: 'running' | 'ok' | 'failed';
}

/** `1.2s`, `350ms`, `2m 3s` (formatDuration's forms) in milliseconds. */
function parseShortDuration(text: string): number | undefined {
  let total = 0;
  let matched = false;
  for (const m of text.matchAll(/([\d.]+)\s*(ms|s|m|h)\b/g)) {
    matched = true;
    const n = Number(m[1]);
    total += m[2] === 'ms' ? n : m[2] === 's' ? n * 1000 : m[2] === 'm' ? n * 60_000 : n * 3_600_000;
  }
  return matched ? total : undefined;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

/**
 * The step a host line announces, or undefined for lines that are detail (command output).
 * Exported for tests: the phrases are the deploy package's (rollout.ts, session.ts, lock.ts, hosts.ts).
 */
export function classify(message: string): Omit<HostProgress, 'host'> | undefined {
  let m: RegExpExecArray | null;
  if (/^lock taken/.test(message)) return { phase: 'lock', detail: 'taken', state: 'running' };
  if ((m = /^waiting for the host lock, held by (.*)$/.exec(message)))
    return { phase: 'lock', detail: `waiting: ${m[1]}`, state: 'running' };
  if ((m = /^\$ upload (\d+) file/.exec(message)))
    return { phase: 'upload', detail: `${m[1]} file(s)`, state: 'running' };
  if ((m = /^shipped (\d+) file\(s\), (\d+) bytes, in (.+)$/.exec(message))) {
    const bytes = Number(m[2]);
    const ms = parseShortDuration(m[3]!);
    const rate = ms && ms > 0 ? `, ${formatBytes(Math.round((bytes * 1000) / ms))}/s` : '';
    return {
      phase: 'upload',
      detail: `${m[1]} file(s), ${formatBytes(bytes)} in ${m[3]}${rate}`,
      state: 'running',
    };
  }
  if (/^rolling back to release/.test(message))
    return { phase: 'rollback', detail: message, state: 'running' };
  if (/^dry-run:/.test(message))
    return { phase: 'plan', detail: message.replace(/:$/, ''), state: 'running' };
  if (/^\$ .*\bpull\b/.test(message)) return { phase: 'pull', detail: '', state: 'running' };
  if (/^\$ .*\brun\b.*--rm\b/.test(message)) return { phase: 'migrate', detail: '', state: 'running' };
  if (/^services-first healthy/.test(message)) return { phase: 'up', detail: message, state: 'running' };
  if (/^rolling:/.test(message)) return { phase: 'up', detail: message, state: 'running' };
  if (/^\$ .*\bup\b/.test(message)) return { phase: 'up', detail: '', state: 'running' };
  if ((m = /^health gate(?: passed)?:? ?(.*)$/.exec(message)))
    return { phase: 'health', detail: m[1]!, state: 'running' };
  if ((m = /^restoring release (\S+)/.exec(message)))
    return { phase: 'restore', detail: `release ${m[1]}`, state: 'running' };
  if ((m = /^release (\S+) is live/.exec(message)))
    return { phase: 'live', detail: `release ${m[1]}`, state: 'ok' };
  if ((m = /^(failed|rolled-back): (.*)$/.exec(message)))
    return { phase: m[1]!, detail: m[2]!, state: 'failed' };
  return undefined;
}

export class TerminalLogger implements Logger {
  private secrets: string[] = [];
  private redactor: (text: string) => string = (t) => t;
  private readonly hosts = new Map<string, HostProgress>();
  private drawn = 0;

  constructor(private readonly o: TerminalOptions) {}

  /** Replaces every registered secret by `***`. */
  redact(text: string): string {
    return this.redactor(text);
  }

  get progress(): readonly HostProgress[] {
    return [...this.hosts.values()];
  }

  mask(secret: string): void {
    if (secret === '') return;
    this.secrets.push(secret);
    this.redactor = secretRedactor(this.secrets);
  }

  info(message: string): void {
    const text = this.redact(message);
    const host = /^\[([^\]]+)\] (.*)$/s.exec(text);
    if (host) {
      const step = classify(host[2]!);
      if (step) this.update({ host: host[1]!, ...step });
      if (this.o.verbose) this.print(text);
      return;
    }
    const starting = /^(?:Deploying|Planning) release \S+ to (.+) \(\d+ at a time\)$/.exec(text);
    if (starting) {
      for (const h of starting[1]!.split(', '))
        if (!this.hosts.has(h))
          this.hosts.set(h, { host: h, phase: 'connect', detail: '', state: 'running' });
      if (this.o.live) this.redraw();
    }
    this.print(text);
  }

  notice(message: string): void {
    this.print(paint(this.o.color, 'blue', `notice: ${this.redact(message)}`));
  }

  warning(message: string): void {
    this.print(paint(this.o.color, 'yellow', `warning: ${this.redact(message)}`));
  }

  error(message: string): void {
    this.print(paint(this.o.color, 'red', `error: ${this.redact(message)}`));
  }

  debug(message: string): void {
    const text = this.redact(message);
    const connected = /^connected to (\S+) as/.exec(text);
    if (connected && this.hosts.has(connected[1]!))
      this.update({ host: connected[1]!, phase: 'connect', detail: 'connected', state: 'running' });
    if (this.o.verbose) this.print(paint(this.o.color, 'dim', text));
  }

  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    if (this.o.verbose) this.print(paint(this.o.color, 'bold', this.redact(title)));
    return fn();
  }

  /** Writes a line above the live block (or just a line). */
  print(line: string): void {
    if (this.o.live) this.clear();
    this.o.out.write(`${line}\n`);
    if (this.o.live) this.redraw();
  }

  /** Stops redrawing: the block stays as last drawn. */
  finish(): void {
    this.drawn = 0;
  }

  private update(p: HostProgress): void {
    const before = this.hosts.get(p.host);
    const next = { ...p, detail: p.detail || (before?.phase === p.phase ? before.detail : '') };
    this.hosts.set(p.host, next);
    if (this.o.live) this.redraw();
    else if (!this.o.verbose && (before?.phase !== next.phase || before.detail !== next.detail))
      this.o.out.write(`${this.line(next)}\n`);
  }

  private line(p: HostProgress): string {
    const width = Math.max(...[...this.hosts.keys()].map((h) => h.length));
    const mark = p.state === 'ok' ? '✓' : p.state === 'failed' ? '✗' : '…';
    const colour: Colour = p.state === 'ok' ? 'green' : p.state === 'failed' ? 'red' : 'blue';
    const status = `${mark} ${p.phase.padEnd(8)}`;
    const prefix = `${p.host.padEnd(width)}  `;
    let detail = p.detail;
    // A live line must fit on one terminal row, or redrawing in place would go wrong.
    const room = (this.o.out.columns ?? 0) - prefix.length - status.length - 2;
    if (this.o.live && this.o.out.columns && detail.length > room)
      detail = `${detail.slice(0, Math.max(room - 1, 0))}…`;
    return `${prefix}${paint(this.o.color, colour, status)} ${detail}`.trimEnd();
  }

  private clear(): void {
    if (this.drawn > 0) this.o.out.write(`\x1b[${this.drawn}A\x1b[J`);
    this.drawn = 0;
  }

  private redraw(): void {
    this.clear();
    for (const p of this.hosts.values()) this.o.out.write(`\x1b[2K${this.line(p)}\n`);
    this.drawn = this.hosts.size;
  }
}

/** A plain text table: columns padded to the widest cell. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(headers), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)].join('\n');
}
