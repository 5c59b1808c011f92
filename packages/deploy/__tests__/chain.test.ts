// CHAIN_SCRIPT run by a real sh (transport: local): gates, parts' own output and exit,
// arguments sent at a gate read as data, and the stdin a script-stdin part reads.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { localConnection } from '@deploy-actions/ssh';
import { CHAIN_MARK, ChainPartNotRun, ExecChain } from '../src/chain.js';

const echoArgs = `printf '<%s>\\n' "$@"`;

describe('ExecChain against a real sh', () => {
  const conn = localConnection();
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'chain-'))));
  afterAll(async () => {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a part after a gate only on go, each with its own stdout, stderr and exit', async () => {
    const lines: Array<[number, string]> = [];
    const chain = new ExecChain(
      conn,
      dir,
      [
        { kind: 'argv', argv: ['sh', '-c', 'pwd; printf no-newline'] },
        { kind: 'gate' },
        { kind: 'script', script: 'echo two; echo warn >&2; exit 4', args: [] },
        { kind: 'gate' },
        { kind: 'script', script: 'echo never', args: [] },
      ],
      (i, l) => lines.push([i, l]),
    );
    expect(await chain.result(0)).toEqual({ code: 0, stdout: `${dir}\nno-newline\n`, stderr: '' });
    chain.go();
    expect(await chain.result(1)).toEqual({ code: 4, stdout: 'two\n', stderr: 'warn\n' });
    await expect(chain.result(2)).rejects.toBeInstanceOf(ChainPartNotRun);
    expect(lines).toContainEqual([1, 'two']);
  });

  it("does not end a part early when the part's own output prints the mark's prefix", async () => {
    const chain = new ExecChain(
      conn,
      dir,
      [
        // A migrator or hook that prints what looks like an end mark, then fails.
        { kind: 'script', script: `echo "$1 end"; echo after; exit 3`, args: [CHAIN_MARK] },
        { kind: 'gate' },
        { kind: 'script', script: 'echo never', args: [] },
      ],
      () => undefined,
    );
    expect(await chain.result(0)).toEqual({ code: 3, stdout: `${CHAIN_MARK} end\nafter\n`, stderr: '' });
    await expect(chain.result(1)).rejects.toBeInstanceOf(ChainPartNotRun);
  });

  it('ends at a closed gate without running what follows', async () => {
    const marker = join(dir, 'ran');
    const chain = new ExecChain(
      conn,
      dir,
      [
        { kind: 'script', script: 'true', args: [] },
        { kind: 'gate' },
        { kind: 'script', script: 'touch "$1"', args: [marker] },
      ],
      () => undefined,
    );
    await chain.result(0);
    await chain.stop();
    await expect(chain.result(1)).rejects.toBeInstanceOf(ChainPartNotRun);
    expect(() => readFileSync(marker)).toThrow();
  });

  it('takes the parts after a gate from the runner, their values as data, and gives a script-stdin part the rest of stdin', async () => {
    const hostile = [
      'two\nlines',
      'trailing newline\n',
      '',
      '  spaces  ',
      'back\\slash \\n',
      '$(touch pwned) `touch pwned` ; rm -rf /',
      'quote \' and "',
    ];
    const chain = new ExecChain(
      conn,
      dir,
      [{ kind: 'script', script: 'echo locked', args: [] }, { kind: 'gate' }],
      () => undefined,
    );
    expect((await chain.result(0)).stdout).toBe('locked\n');
    const [a, b, c] = chain.then(
      [
        { kind: 'script', script: echoArgs, args: hostile },
        { kind: 'script-stdin', script: 'cat; echo "$1"', args: ['after'] },
        { kind: 'argv', argv: ['sh', '-c', 'echo "$0"', 'last word'] },
      ],
      Readable.from([Buffer.from('the archive\nbytes')]),
    );
    expect((await chain.result(a!)).stdout).toBe(hostile.map((h) => `<${h}>\n`).join(''));
    expect((await chain.result(b!)).stdout).toBe('the archive\nbytesafter\n');
    expect((await chain.result(c!)).stdout).toBe('last word\n');
    expect(() => readFileSync(join(dir, 'pwned'))).toThrow();
  });
});
