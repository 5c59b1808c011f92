import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ACTIVATE_SCRIPT,
  FINISH_SCRIPT,
  LOCK_SCRIPT,
  SHIP_RELEASE_SCRIPT,
  UNLOCK_SCRIPT,
} from '../src/host-scripts.js';

// The host-side scripts run here with the same sh and tar a Linux host has.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'host-scripts-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const PRESERVE = '.env\ndocker-compose.override.yml\ndata/\nlogs/';

/** PATH of the "host": unset = this machine's dash and GNU tools; else a busybox-only PATH. */
let hostPath: string | undefined;

function sh(
  script: string,
  args: string[],
  input?: Buffer | string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('sh', ['-c', script, 'sh', ...args], {
    input: input ?? '',
    encoding: 'buffer',
    ...(hostPath ? { env: { ...process.env, PATH: hostPath } } : {}),
  });
  return { status: result.status, stdout: result.stdout.toString(), stderr: result.stderr.toString() };
}

function write(base: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(base, path, '..'), { recursive: true });
    writeFileSync(join(base, path), content);
  }
}

function tarOf(files: Record<string, string>): Buffer {
  const src = mkdtempSync(join(tmpdir(), 'bundle-'));
  write(src, files);
  const archive = execFileSync('tar', ['-czf', '-', '-C', src, '.']);
  rmSync(src, { recursive: true, force: true });
  return archive;
}

/** Which bundle paths the default preserve list covers (the runner computes this with preserveRules). */
const preservedOf = (files: Record<string, string>): string =>
  Object.keys(files)
    .filter((f) => ['.env', 'docker-compose.override.yml'].includes(f) || /^(data|logs)\//.test(f))
    .join('\n');

function ship(
  id: string,
  previous: string,
  files: Record<string, string>,
  archive = tarOf(files),
  keep = '',
) {
  return sh(SHIP_RELEASE_SCRIPT, [root, id, previous, '{"id":"x"}', '', preservedOf(files), keep], archive);
}

const read = (path: string): string => readFileSync(join(root, path), 'utf8');

describe('shipping a release', () => {
  it('copies the bundle into remote-dir and records the release', () => {
    expect(ship('r1', '', { 'docker-compose.yml': 'v1', 'conf/app.conf': 'a' }).status).toBe(0);
    expect(read('docker-compose.yml')).toBe('v1');
    expect(read('conf/app.conf')).toBe('a');
    expect(read('.releases/r1/files').trim().split('\n')).toEqual(['conf/app.conf', 'docker-compose.yml']);
    expect(read('.releases/r1/release.json')).toBe('{"id":"x"}\n');
  });

  it('keeps preserved files the host has and writes those it lacks', () => {
    write(root, { '.env': 'host env', 'data/db': 'host data' });
    ship('r1', '', { '.env': 'bundle env', 'data/db': 'bundle data', 'logs/a.log': 'bundle log' });
    expect(read('.env')).toBe('host env');
    expect(read('data/db')).toBe('host data');
    expect(read('logs/a.log')).toBe('bundle log');
  });

  it('removes files the previous release shipped and this one does not, but never preserved ones', () => {
    ship('r1', '', { 'old.conf': 'x', 'keep.conf': 'k', 'logs/from-bundle.log': 'l' });
    ship('r2', 'r1', { 'keep.conf': 'k2' }, undefined, 'logs/from-bundle.log');
    expect(existsSync(join(root, 'old.conf'))).toBe(false);
    expect(read('keep.conf')).toBe('k2');
    expect(read('logs/from-bundle.log')).toBe('l');
  });

  it('takes file names with spaces and shell syntax literally', () => {
    const name = "we ird $(touch pwned) 'q'.txt";
    expect(ship('r1', '', { [name]: 'ok' }).status).toBe(0);
    expect(read(name)).toBe('ok');
    expect(existsSync(join(root, 'pwned'))).toBe(false);
  });

  it('leaves remote-dir untouched when the archive arrives cut off', () => {
    ship('r1', '', { 'app.conf': 'v1' });
    const full = tarOf({ 'app.conf': 'v2', 'big.bin': 'x'.repeat(200_000) + Math.random() });
    const result = ship('r2', 'r1', {}, full.subarray(0, Math.floor(full.length / 2)));
    expect(result.status).not.toBe(0);
    expect(read('app.conf')).toBe('v1');
    expect(existsSync(join(root, '.releases/r2'))).toBe(false);
  });
});

describe('rolling back files', () => {
  it('re-activates an older release over a newer one', () => {
    ship('r1', '', { 'app.conf': 'v1' });
    ship('r2', 'r1', { 'app.conf': 'v2', 'new.conf': 'n' });
    expect(sh(ACTIVATE_SCRIPT, [root, 'r1', 'r2', 'restore', '', PRESERVE]).status).toBe(0);
    expect(read('app.conf')).toBe('v1');
    expect(existsSync(join(root, 'new.conf'))).toBe(false);
  });
});

// The same rules on a busybox host (ash, busybox sha256sum/grep/tar/find/sed), as on Alpine.
const busybox = spawnSync('busybox', ['--help']).status === 0;
describe.each(busybox ? ['dash', 'busybox'] : ['dash'])(
  'only what a release wrote is removed (%s)',
  (shell) => {
    let bin: string | undefined;
    beforeAll(() => {
      if (shell !== 'busybox') return;
      bin = mkdtempSync(join(tmpdir(), 'busybox-bin-'));
      execFileSync('busybox', ['--install', '-s', bin]);
      hostPath = bin;
    });
    afterAll(() => {
      hostPath = undefined;
      if (bin) rmSync(bin, { recursive: true, force: true });
    });

    it("never removes the host's own file that a release skipped as preserved", () => {
      write(root, { '.env': 'host secret', 'data/app.db': 'host db' });
      ship('r1', '', { '.env': 'dev', 'data/app.db': 'dev db', 'a.conf': 'a' });
      expect(read('.releases/r1/skipped').trim().split('\n')).toEqual(['.env', 'data/app.db']);
      // r2 ships neither, and its own preserve list no longer covers them (nothing to keep).
      expect(ship('r2', 'r1', { 'b.conf': 'b' }).status).toBe(0);
      expect(read('.env')).toBe('host secret');
      expect(read('data/app.db')).toBe('host db');
      expect(existsSync(join(root, 'a.conf'))).toBe(false);
    });

    it('keeps a file the host changed after a release wrote it', () => {
      ship('r1', '', { 'a.conf': 'as shipped' });
      writeFileSync(join(root, 'a.conf'), 'edited on the host');
      const out = ship('r2', 'r1', { 'b.conf': 'b' });
      expect(read('a.conf')).toBe('edited on the host');
      expect(out.stdout).toContain('kept a.conf: changed on the host');
    });

    it('undoing a failed release removes the preserved files it introduced, unchanged ones only', () => {
      ship('r1', '', { 'app.conf': 'v1' });
      ship('r2', 'r1', { 'app.conf': 'v2', 'logs/new.log': 'from r2', 'logs/edited.log': 'from r2' });
      writeFileSync(join(root, 'logs/edited.log'), 'the app wrote here');
      expect(sh(ACTIVATE_SCRIPT, [root, 'r1', 'r2', 'restore', '', PRESERVE]).status).toBe(0);
      expect(read('app.conf')).toBe('v1');
      expect(existsSync(join(root, 'logs/new.log'))).toBe(false);
      expect(read('logs/edited.log')).toBe('the app wrote here');
    });

    it('refuses to activate a release whose files list is gone, changing nothing', () => {
      ship('r1', '', { 'app.conf': 'v1' });
      ship('r2', 'r1', { 'app.conf': 'v2' });
      rmSync(join(root, '.releases/r1/files'));
      const result = sh(ACTIVATE_SCRIPT, [root, 'r1', 'r2', 'restore', '', PRESERVE]);
      expect(result.status).toBe(20);
      expect(result.stderr).toContain('incomplete');
      expect(read('app.conf')).toBe('v2');
    });

    it('refuses to restore over a failed release whose record is gone, changing nothing', () => {
      ship('r1', '', { 'app.conf': 'v1' });
      ship('r2', 'r1', { 'app.conf': 'v2' });
      rmSync(join(root, '.releases/r2'), { recursive: true });
      expect(sh(ACTIVATE_SCRIPT, [root, 'r1', 'r2', 'restore', '', PRESERVE]).status).toBe(20);
      expect(read('app.conf')).toBe('v2');
    });

    it('reads a release recorded before written.sha256 by its checksums, and says so', () => {
      ship('r1', '', { 'a.conf': 'a' });
      rmSync(join(root, '.releases/r1/written.sha256'));
      writeFileSync(join(root, '.releases/current'), 'r1\n');
      const state = sh(LOCK_SCRIPT, [root, '{}']).stdout;
      expect(state).toContain('owned_legacy=yes');
      expect(state).toContain('owned=a.conf');
      ship('r2', 'r1', { 'b.conf': 'b' });
      expect(existsSync(join(root, 'a.conf'))).toBe(false);
    });
  },
);

describe('the host lock', () => {
  it('lets exactly one of two deploys take it', () => {
    const first = sh(LOCK_SCRIPT, [root, '{"run":"1/1","token":"aaa"}']);
    const second = sh(LOCK_SCRIPT, [root, '{"run":"2/1","token":"bbb"}']);
    expect([first.status, second.status]).toEqual([0, 10]);
    expect(JSON.parse(second.stdout)).toMatchObject({ run: '1/1' });
  });

  it('reports the host state together with taking the lock', () => {
    ship('r1', '', { 'a.conf': '1' });
    writeFileSync(join(root, '.releases/current'), 'r1\n');
    expect(sh(LOCK_SCRIPT, [root, '{}']).stdout).toContain('current=r1');
  });

  it('is released only by its owner', () => {
    sh(LOCK_SCRIPT, [root, '{"token":"mine"}']);
    const lock = join(root, '.releases/.lock');
    sh(UNLOCK_SCRIPT, [lock, 'someone-else']);
    expect(existsSync(lock)).toBe(true);
    sh(UNLOCK_SCRIPT, [lock, 'mine']);
    expect(existsSync(lock)).toBe(false);
  });
});

describe('finishing a deploy', () => {
  it('keeps keep-releases releases plus the previous one, and releases the lock', () => {
    for (const id of ['r1', 'r2', 'r3', 'r4']) {
      ship(id, '', { 'a.conf': id });
      sh(LOCK_SCRIPT, [root, `{"token":"t${id}"}`]);
      const done = sh(FINISH_SCRIPT, [root, id, '2', 'active', join(root, '.releases/.lock'), `t${id}`]);
      expect(done.stdout).toContain('released');
    }
    expect(read('.releases/current').trim()).toBe('r4');
    expect(['r1', 'r2', 'r3', 'r4'].filter((id) => existsSync(join(root, '.releases', id)))).toEqual([
      'r3',
      'r4',
    ]);
    expect(read('.releases/history').trim().split('\n')).toEqual(['r1', 'r2', 'r3', 'r4']);
  });
});
