import { Writable } from 'node:stream';
import { classify, table, TerminalLogger, useColour } from '../src/terminal.js';

class Sink extends Writable {
  text = '';
  isTTY?: boolean;
  columns?: number;
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe('TerminalLogger', () => {
  it('redacts masked secrets and never writes workflow commands', () => {
    const out = new Sink();
    const log = new TerminalLogger({ out, live: false, color: false, verbose: true });
    log.mask('s3cr3t-value');
    log.info('[h] using s3cr3t-value now');
    log.warning('s3cr3t-value in a warning');
    expect(out.text).not.toContain('s3cr3t-value');
    expect(out.text).toContain('***');
    expect(out.text).not.toContain('::');
  });

  it('prints one plain line per step of a host when not on a terminal', () => {
    const out = new Sink();
    const log = new TerminalLogger({ out, live: false, color: false, verbose: false });
    log.info('Deploying release R to web1 (1 at a time)');
    log.debug('connected to web1 as deploy (attempt 1)');
    log.info('[web1] lock taken: /opt/app/.releases/.lock');
    log.info('[web1] $ upload 3 file(s) to .releases/R and copy them into /opt/app');
    log.info('[web1]   some output line');
    log.info('[web1] shipped 3 file(s), 2048 bytes, in 500ms');
    log.info('[web1] release R is live');
    expect(out.text.split('\n').filter(Boolean)).toEqual([
      'Deploying release R to web1 (1 at a time)',
      'web1  … connect  connected',
      'web1  … lock     taken',
      'web1  … upload   3 file(s)',
      'web1  … upload   3 file(s), 2.0 KiB in 500ms, 4.0 KiB/s',
      'web1  ✓ live     release R',
    ]);
  });

  it('redraws one line per host in place on a terminal', () => {
    const out = new Sink();
    out.isTTY = true;
    out.columns = 80;
    const log = new TerminalLogger({ out, live: true, color: false, verbose: false });
    log.info('Deploying release R to a, b (2 at a time)');
    log.info('[a] lock taken: x');
    expect(out.text).toContain('\x1b[2A');
    expect(out.text.endsWith('\x1b[2Ka  … lock     taken\n\x1b[2Kb  … connect\n')).toBe(true);
  });
});

describe('classify', () => {
  it('reads the steps of the deploy package', () => {
    expect(classify('$ docker compose -p x pull app')?.phase).toBe('pull');
    expect(classify('$ docker compose -p x run --rm migrator')?.phase).toBe('migrate');
    expect(classify('$ docker compose -p x up -d --remove-orphans')?.phase).toBe('up');
    expect(classify('health gate: waiting for http://127.0.0.1:1/')?.phase).toBe('health');
    expect(classify('failed: web1: health gate')).toEqual({
      phase: 'failed',
      detail: 'web1: health gate',
      state: 'failed',
    });
    expect(classify('  some output')).toBeUndefined();
  });
});

describe('useColour', () => {
  it('colours only a terminal, and never with NO_COLOR or --no-color', () => {
    expect(useColour({ isTTY: true }, {}, false)).toBe(true);
    expect(useColour({ isTTY: false }, {}, false)).toBe(false);
    expect(useColour({ isTTY: true }, { NO_COLOR: '1' }, false)).toBe(false);
    expect(useColour({ isTTY: true }, {}, true)).toBe(false);
  });
});

it('pads table columns to the widest cell', () => {
  expect(table(['a', 'bb'], [['ccc', 'd']])).toBe('a    bb\n---  --\nccc  d');
});
