import { appendFileSync } from 'node:fs';

/** Escapes text for a Markdown table cell or line. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;'))
    .replace(/\r?\n/g, '<br>');
}

/**
 * Builds a job summary as Markdown. Kept free of the runner so packages can
 * produce summaries that tests read as text.
 */
export class SummaryBuilder {
  private readonly parts: string[] = [];

  heading(text: string, level: 1 | 2 | 3 | 4 = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}\n`);
    return this;
  }

  paragraph(text: string): this {
    this.parts.push(`${text}\n`);
    return this;
  }

  /** A table; cells are escaped, so pass plain text (use `raw` cells for Markdown). */
  table(header: readonly string[], rows: readonly (readonly (string | number | { raw: string })[])[]): this {
    const cell = (c: string | number | { raw: string }): string =>
      typeof c === 'object' ? c.raw : escapeMarkdown(String(c));
    const lines = [
      `| ${header.map(escapeMarkdown).join(' | ')} |`,
      `| ${header.map(() => '---').join(' | ')} |`,
      ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`),
    ];
    this.parts.push(`${lines.join('\n')}\n`);
    return this;
  }

  list(items: readonly string[]): this {
    this.parts.push(`${items.map((i) => `- ${i}`).join('\n')}\n`);
    return this;
  }

  code(text: string, language = ''): this {
    const fence = text.includes('```') ? '````' : '```';
    this.parts.push(`${fence}${language}\n${text}\n${fence}\n`);
    return this;
  }

  details(summary: string, body: string): this {
    this.parts.push(`<details><summary>${escapeMarkdown(summary)}</summary>\n\n${body}\n\n</details>\n`);
    return this;
  }

  toMarkdown(): string {
    return this.parts.join('\n');
  }

  /** Appends to $GITHUB_STEP_SUMMARY when the runner provides one. */
  write(env: NodeJS.ProcessEnv = process.env): void {
    const file = env['GITHUB_STEP_SUMMARY'];
    if (file) appendFileSync(file, `${this.toMarkdown()}\n`);
  }
}
