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
