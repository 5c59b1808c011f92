import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_SCRIPT } from '../src/host-scripts.js';
import { describeOwner } from '../src/lock.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'lock-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function take(shell: string[], token: string): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      shell[0]!,
      [...shell.slice(1), '-c', LOCK_SCRIPT, 'sh', root, `{"run":"${token}","token":"${token}"}`, token],
      {
        stdio: 'ignore',
      },
    );
    child.on('close', (code) => resolve(code));
  });
}

describe('taking the host lock', () => {
  it.each([
    ['dash', ['/usr/bin/dash']],
    ['busybox sh', ['/usr/bin/busybox', 'sh']],
  ])('lets exactly one of many racing deploys take it, owner record included (%s)', async (_name, shell) => {
    const tokens = Array.from({ length: 12 }, (_, i) => `t${i}`);
    const codes = await Promise.all(tokens.map((t) => take(shell, t)));
    expect(codes.filter((c) => c === 0)).toHaveLength(1);
    expect(codes.filter((c) => c === 10)).toHaveLength(11);
    const winner = tokens[codes.indexOf(0)]!;
    const lock = join(root, '.releases/.lock');
    expect(JSON.parse(readFileSync(join(lock, 'owner.json'), 'utf8'))).toMatchObject({ token: winner });
    // Nothing of the losers is left, inside the lock or next to it.
    expect(readdirSync(lock)).toEqual(['owner.json']);
    expect(readdirSync(join(root, '.releases')).filter((f) => f.startsWith('.lock-new-'))).toEqual([]);
    expect(existsSync(join(root, '.releases'))).toBe(true);
  });
});

describe('describing who holds the lock', () => {
  it('calls a lock without an owner record stale once it is a minute old, with its age', () => {
    expect(describeOwner('{}', 'lock-age=7260\n')).toEqual({
      text: expect.stringContaining('no owner record, taken 121m00s ago'),
      stale: true,
    });
  });

  it('waits for a young lock without an owner record (an older ssh-deploy may be writing it)', () => {
    expect(describeOwner('{}', 'lock-age=2\n').stale).toBe(false);
  });

  it('is stale when the owner record says its time is up', () => {
    const owner = { run: '1/1', startedAt: '2020-01-01T00:00:00Z', expiresAt: '2020-01-01T01:00:00Z' };
    expect(describeOwner(JSON.stringify(owner), 'lock-age=5\n').stale).toBe(true);
  });
});
