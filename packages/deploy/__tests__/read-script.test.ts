import { spawnSync } from 'node:child_process';
import { createHash, createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { envEntries, newRunKey } from '../src/env-keys.js';
import { READ_SCRIPT } from '../src/read-script.js';

// READ_SCRIPT runs here with this machine's dash and coreutils, as on a host.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'read-script-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

function read(args: string[], stdin: string): string {
  const result = spawnSync('sh', ['-c', READ_SCRIPT, 'sh', ...args], {
    input: stdin,
    // No docker here: the script says so and reads the rest.
    env: { ...process.env, PATH: '/usr/bin:/bin' },
  });
  expect(result.status).toBe(0);
  return result.stdout.toString('latin1');
}

const ENV = Buffer.concat([
  Buffer.from('A=hello\n export B = "quoted % \\045 value" \nC=\r\n# comment\nD=x=y\\n'),
  Buffer.from([0xff, 0xfe, 0x0a]),
  Buffer.from('not a line\nIMG=127.0.0.1:5000/lab/app:v2\nBAD_IMG="a b"\nLAST=no newline'),
]);

describe('READ_SCRIPT', () => {
  it('reports each env key with the same HMAC the runner computes, and reads the same keys', () => {
    const dir = join(root, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), ENV);
    const key = newRunKey();
    const out = read([dir, 'read-script-none', '.env\nmissing.env', '', ''], key.stdinLines());
    const host = [...out.matchAll(/^env_key=1 (\S+) ([0-9a-f]{64})$/gm)].map((m) => [m[1], m[2]]);
    const runner = envEntries(ENV.toString('latin1')).map(([k, v]) => [k, key.hmac(v)]);
    expect(host.map(([k]) => k)).toEqual(['A', 'B', 'C', 'D', 'IMG', 'BAD_IMG', 'LAST']);
    expect(host).toEqual(runner);
    expect(out).toContain('env_file=1 present');
    expect(out).toContain('env_file=2 missing');
  });

  it('computes a real HMAC-SHA256 (RFC 2104) of the trimmed value', () => {
    const dir = join(root, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, 'x.env'), 'K= value \n');
    const key = newRunKey();
    const out = read([dir, '', 'x.env', '', ''], key.stdinLines());
    const mac = /^env_key=1 K ([0-9a-f]{64})$/m.exec(out)![1];
    expect(mac).toBe(key.hmac('value'));
    expect(mac).not.toBe(createHash('sha256').update('value').digest('hex'));
    expect(mac).not.toBe(createHmac('sha256', 'other').update('value').digest('hex'));
  });

  it('never prints a value nor a plain sha256 of one', () => {
    const dir = join(root, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), 'SECRET=s3cret-value\n');
    const out = read([dir, '', '.env', 'IMAGE', ''], newRunKey().stdinLines());
    expect(out).not.toContain('s3cret-value');
    expect(out).not.toContain(createHash('sha256').update('s3cret-value').digest('hex'));
    expect(out).not.toContain(createHash('sha256').update('SECRET=s3cret-value\n').digest('hex'));
  });

  it('reports the value of an image variable only when it is an image reference', () => {
    const dir = join(root, 'app');
    mkdirSync(dir);
    writeFileSync(join(dir, '.env'), ENV);
    const out = read([dir, '', '.env', 'IMG\nBAD_IMG\nA', ''], newRunKey().stdinLines());
    expect(out).toContain('image_var=1 IMG 127.0.0.1:5000/lab/app:v2');
    expect(out).toContain('image_var=1 A hello');
    expect(out).not.toContain('image_var=1 BAD_IMG');
  });

  it('compares the release record and the bundle with the host files, returning no checksum', () => {
    const dir = join(root, 'app');
    const rel = join(dir, '.releases', 'r1');
    mkdirSync(join(rel, 'bundle'), { recursive: true });
    const sum = (s: string) => createHash('sha256').update(s).digest('hex');
    writeFileSync(join(dir, 'compose.yaml'), 'edited');
    writeFileSync(join(dir, 'kept.txt'), 'kept');
    writeFileSync(join(dir, 'release.env'), 'A=1\n');
    writeFileSync(join(dir, '.env'), 'H=1\n');
    writeFileSync(join(dir, '.releases', 'current'), 'r1\n');
    writeFileSync(join(rel, 'release.json'), '{}');
    writeFileSync(join(rel, 'files'), 'compose.yaml\nkept.txt\ngone.txt\nrelease.env\n');
    writeFileSync(
      join(rel, 'written.sha256'),
      `${sum('original')}  compose.yaml\n${sum('kept')}  kept.txt\n${sum('x')}  gone.txt\n${sum('A=1\n')}  release.env\n`,
    );
    writeFileSync(join(rel, 'env.sha256'), `${sum('H=0\n')}  .env\n${sum('old')}  release.env\n`);
    writeFileSync(join(rel, 'images'), 'app:v1 sha256:abc\n');
    writeFileSync(join(dir, 'docker-compose.override.yml'), 'services: {}\n');
    writeFileSync(join(rel, 'host.sha256'), `${sum('services: {x}\n')}  docker-compose.override.yml\n`);
    mkdirSync(join(dir, '.releases', '.lock'));
    writeFileSync(join(dir, '.releases', '.lock', 'owner.json'), '{"run":"1/1",\n"token":"t"}\n');
    const out = read(
      [dir, '', '.env\nrelease.env', '', ''],
      `${newRunKey().stdinLines()}${sum('kept')}  kept.txt\n${sum('new')}  compose.yaml\n${sum('n')}  n.txt\n`,
    );
    expect(out).toContain('written=changed compose.yaml');
    expect(out).toContain('host_file=changed docker-compose.override.yml');
    expect(out).toContain('written=same kept.txt');
    expect(out).toContain('written=missing gone.txt');
    expect(out).toContain('env_record=same release.env');
    expect(out).toContain('env_record=changed .env');
    expect(out).toContain('record_image=app:v1 sha256:abc');
    expect(out).toContain('lock=held');
    expect(out).toContain('lock_owner={"run":"1/1","token":"t"}');
    expect(out).toContain('bundle=same kept.txt');
    expect(out).toContain('bundle=changed compose.yaml');
    expect(out).toContain('bundle=new n.txt');
    expect(out).toMatch(/^disk_free_kb=\d+$/m);
    expect(out.match(/[0-9a-f]{64}/g) ?? []).toHaveLength([...out.matchAll(/^env_key=/gm)].length);
    expect(readFileSync(join(dir, 'compose.yaml'), 'utf8')).toBe('edited');
  });
});
