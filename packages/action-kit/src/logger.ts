import * as runner from './runner-commands.js';

/**
 * What actions log through. Packages take a Logger so they can be tested with
 * a recording one; the runner's is `runnerLogger`.
 */
export interface Logger {
  info(message: string): void;
  /** A notice annotation: worth a person's attention, not a problem. */
  notice(message: string, where?: AnnotationPlace): void;
  warning(message: string, where?: AnnotationPlace): void;
  error(message: string, where?: AnnotationPlace): void;
  debug(message: string): void;
  /** Runs `fn` inside a collapsible group. */
  group<T>(title: string, fn: () => Promise<T>): Promise<T>;
  /** Registers a secret so the runner hides it everywhere, each line of it too. */
  mask(secret: string): void;
}

export interface AnnotationPlace {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
}

export function maskSecret(secret: string): void {
  if (secret === '') return;
  runner.setSecret(secret);
  // The runner matches masks line by line, so a multi-line secret (a PEM key)
  // must also be registered one line at a time.
  if (/[\r\n]/.test(secret)) {
    for (const line of secret.split(/\r?\n/)) if (line.trim().length >= 4) runner.setSecret(line.trim());
  }
}

export const runnerLogger: Logger = {
  info: (m) => runner.info(m),
  notice: (m, where) => runner.annotate('notice', m, where),
  warning: (m, where) => runner.annotate('warning', m, where),
  error: (m, where) => runner.annotate('error', m, where),
  debug: (m) => runner.debug(m),
  group: (title, fn) => runner.group(title, fn),
  mask: maskSecret,
};

/** A logger that remembers what was said, for unit tests. */
export class RecordingLogger implements Logger {
  readonly lines: string[] = [];
  readonly masked: string[] = [];
  info(m: string): void {
    this.lines.push(m);
  }
  notice(m: string): void {
    this.lines.push(`notice: ${m}`);
  }
  warning(m: string): void {
    this.lines.push(`warning: ${m}`);
  }
  error(m: string): void {
    this.lines.push(`error: ${m}`);
  }
  debug(m: string): void {
    this.lines.push(`debug: ${m}`);
  }
  async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
    this.lines.push(`group: ${title}`);
    return fn();
  }
  mask(secret: string): void {
    this.masked.push(secret);
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

/** A logger that says nothing (for callers that do not care). */
export const silentLogger: Logger = {
  info: () => undefined,
  notice: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  debug: () => undefined,
  group: (_t, fn) => fn(),
  mask: () => undefined,
};
