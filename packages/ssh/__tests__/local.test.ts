import { existsSync, readFileSync } from 'node:fs';
import { localConnection } from '../src/local.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
};

describe('transport: local', () => {
  it('runs a command and reports its exit code', async () => {
    const conn = localConnection();
    expect(await conn.exec(['sh', '-c', 'echo hi; exit 3'])).toMatchObject({ code: 3, stdout: 'hi\n' });
    await conn.close();
  });

  it('returns multi-byte output whole, whatever the pipe chunks (stdout, stderr, onOutput lines)', async () => {
    const conn = localConnection();
    // One ASCII byte, then two-byte characters: pipe chunks (64 KiB and less) split characters.
    const text = `x${'é'.repeat(200_000)}\n`;
    const lines: string[] = [];
    const result = await conn.exec(
      ['sh', '-c', 't=$(mktemp); cat >"$t"; cat "$t"; cat "$t" >&2; rm -f "$t"'],
      {
        stdin: text,
        onOutput: (l) => lines.push(l),
      },
    );
    expect(result).toMatchObject({ code: 0, stdout: text, stderr: text });
    expect(lines).toEqual([text.slice(0, -1), text.slice(0, -1)]);
    await conn.close();
  });

  it('ends the whole process tree of a running command on close', async () => {
    const conn = localConnection();
    let grandchild = 0;
    const running = conn.exec('sleep 300 & echo $!; wait', {
      onOutput: (line) => {
        grandchild = Number(line);
      },
    });
    while (!grandchild) await new Promise((r) => setTimeout(r, 20));
    expect(alive(grandchild)).toBe(true);
    await conn.close();
    const result = await running;
    expect(result.code).not.toBe(0);
    expect(alive(grandchild)).toBe(false);
  });
});
