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
    expect(() => new SummaryBuilder().heading('x').write({})).not.toThrow();
  });
});
