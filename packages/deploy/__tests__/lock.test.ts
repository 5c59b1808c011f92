import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCK_SCRIPT } from '../src/host-scripts.js';
import { RecordingLogger } from '@deploy-actions/action-kit';
import type { ExecResult, SshConnection } from '@deploy-actions/ssh';
import { acquireHostLock, describeOwner } from '../src/lock.js';

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

/** Runs each command on this machine, as the host would (the real LOCK_SCRIPT on real files). */
const localConnection = {
  exec(command: readonly string[]): Promise<ExecResult> {
    return new Promise((resolve) => {
      const child = spawn(command[0]!, command.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
    });
  },
} as unknown as SshConnection;

describe('waiting for the host lock', () => {
  const origin = { id: 'r2', run: '2/1', repository: 'o/r', actor: 'a', commit: 'c' } as Parameters<
    typeof acquireHostLock
  >[3];

  it.each([
    ['cancel', 'cancelled'],
    ['timeout', 'timeout'],
  ])('ends at once on a %s, leaving the other deploy its lock', async (reason, code) => {
    expect(await take(['/usr/bin/dash'], 'other')).toBe(0);
    const abort = new AbortController();
    const log = new RecordingLogger();
    // Abort as soon as the wait starts; lock-timeout is far away, so only the abort can end it.
    log.info = (m: string) => {
      log.lines.push(m);
      if (m.includes('waiting for the host lock')) setTimeout(() => abort.abort(reason), 50);
    };
    const taking = acquireHostLock(
      localConnection,
      'h',
      root,
      origin,
      { timeoutMs: 3_600_000, holdForMs: 60_000, signal: abort.signal },
      log,
    );
    await expect(taking).rejects.toMatchObject({
      code,
      message: expect.stringContaining('while waiting for the host lock'),
    });
    await expect(taking).rejects.toMatchObject({ message: expect.stringContaining('run other') });
    const owner = JSON.parse(readFileSync(join(root, '.releases/.lock/owner.json'), 'utf8')) as {
      token: string;
    };
    expect(owner.token).toBe('other');
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
