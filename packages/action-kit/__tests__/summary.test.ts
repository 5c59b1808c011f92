import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SummaryBuilder } from '@deploy-actions/action-kit';

describe('SummaryBuilder', () => {
  it('escapes table cells so a pipe or a tag in a value cannot break the table', () => {
    const md = new SummaryBuilder().table(['host', 'result'], [['a|b', '<script>']]).toMarkdown();
    expect(md).toContain('| a\\|b | &lt;script&gt; |');
  });

  it('keeps raw cells as given, for links and code', () => {
    const md = new SummaryBuilder().table(['image'], [[{ raw: '`app@sha256:abc`' }]]).toMarkdown();
    expect(md).toContain('| `app@sha256:abc` |');
  });

  it('writes nothing when the runner gives no summary file', () => {
    const before = readdirSync(process.cwd());
    const summary = new SummaryBuilder().heading('x');
    expect(() => summary.write({})).not.toThrow();
    expect(() => summary.write({ GITHUB_STEP_SUMMARY: '' })).not.toThrow();
    // No file was made in its place (e.g. one named 'undefined' in the working directory)...
    expect(readdirSync(process.cwd())).toEqual(before);
    // ...and the content was not spent: once a file is given, it is written there, once.
    const file = join(mkdtempSync(join(tmpdir(), 'summary-')), 'step-summary.md');
    summary.write({ GITHUB_STEP_SUMMARY: file });
    expect(readFileSync(file, 'utf8')).toBe(`${summary.toMarkdown()}\n`);
  });
});
