// Every rollback branch of the rollout, run against a scripted connection: each
// host command is answered by a rule, and the test checks which commands ran.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { RecordingLogger } from '@deploy-actions/action-kit';
import type { ExecOptions, ExecResult, SshConnection } from '@deploy-actions/ssh';
import { DeployFailure } from '../src/errors.js';
import {
  ACTIVATE_SCRIPT,
  FINISH_SCRIPT,
  LOCK_SCRIPT,
  RECORD_IMAGES_SCRIPT,
  CONTAINER_STATE_SCRIPT,
  HEALTH_LOOK_SCRIPT,
  RETAG_SCRIPT,
  SHIP_RELEASE_SCRIPT,
  UNLOCK_SCRIPT,
} from '../src/host-scripts.js';
import { deployToHosts } from '../src/hosts.js';
import { deployHost } from '../src/rollout.js';
import { PAIR_MARK, PAIR_SCRIPT, parseComposePs } from '../src/session.js';
import { CHAIN_MARK, CHAIN_SCRIPT } from '../src/chain.js';
import type { Bundle } from '../src/bundle.js';
import type { DeploySettings, HostResult } from '../src/types.js';

const SCRIPTS: Record<string, string> = {
  lock: LOCK_SCRIPT,
  unlock: UNLOCK_SCRIPT,
  ship: SHIP_RELEASE_SCRIPT,
  activate: ACTIVATE_SCRIPT,
  finish: FINISH_SCRIPT,
  retag: RETAG_SCRIPT,
  record: RECORD_IMAGES_SCRIPT,
  'container-state': CONTAINER_STATE_SCRIPT,
  'health-look': HEALTH_LOOK_SCRIPT,
};

/** One command as the test sees it: a host script by name with its args, or the argv / shell text. */
interface Call {
  name: string;
  args: string[];
  text: string;
}

type Rule = (call: Call) => Partial<ExecResult> | undefined;

class ScriptedConnection implements SshConnection {
  readonly target = { host: 'h', port: 22, username: 'u' } as SshConnection['target'];
  readonly calls: Call[] = [];
  constructor(private readonly rules: Rule[]) {}

  async exec(command: readonly string[] | string, options: ExecOptions = {}): Promise<ExecResult> {
    if (typeof command !== 'string' && command[2] === CHAIN_SCRIPT)
      return this.chain(command.slice(4), options);
    if (options.stdin && typeof options.stdin !== 'string') {
      const stream = options.stdin as Readable;
      // Drain the archive as a host would, and wait for it, so nothing reads files after the test.
      await new Promise<void>((resolve, reject) => stream.on('end', resolve).on('error', reject).resume());
    }
    if (typeof command !== 'string' && command[2] === PAIR_SCRIPT) {
      // Two steps in one exec, as PAIR_SCRIPT runs them: the second only after the first passed.
      const [, order, script, n, ...rest] = command.slice(4);
      const argv = rest.slice(0, Number(n));
      const parts: Array<readonly string[]> = [argv, ['sh', '-c', script!, 'sh', ...rest.slice(Number(n))]];
      if (order === 'script-first') parts.reverse();
      const first = await this.exec(parts[0]!);
      if (first.code !== 0) return first;
      const second = await this.exec(parts[1]!);
      return {
        code: second.code,
        stdout: `${first.stdout}${first.stdout && !first.stdout.endsWith('\n') ? '\n' : ''}${PAIR_MARK}\n${second.stdout}`,
        stderr: first.stderr + second.stderr,
      };
    }
    let call: Call;
    if (typeof command === 'string') call = { name: 'shell', args: [], text: command };
    else if (command[0] === 'sh' && command[1] === '-c') {
      const name =
        Object.entries(SCRIPTS).find(([, s]) => s === command[2])?.[0] ??
        (command[2]!.startsWith('if command -v timeout') ? 'health-cmd' : 'script');
      call = { name, args: command.slice(4), text: command.join(' ') };
    } else call = { name: 'argv', args: [...command], text: command.join(' ') };
    this.calls.push(call);
    for (const rule of this.rules) {
      const r = rule(call);
      if (r) return { code: 0, stdout: '', stderr: '', ...r };
    }
    return { code: 0, stdout: '', stderr: '' };
  }
  /** Several steps in one exec, as CHAIN_SCRIPT runs them: each after a gate only when stdin says `go`. */
  readonly gates: string[] = [];
  private async chain(words: string[], options: ExecOptions): Promise<ExecResult> {
    // words: the end mark (random per exec), the dir, then the parts.
    const mark = words[0]!;
    if (!/^@@deploy-actions-chain-[0-9a-f]{16}$/.test(mark) || !mark.startsWith(CHAIN_MARK))
      throw new Error(`unexpected chain mark ${mark}`);
    let rest = words.slice(2);
    const lines: string[] = [];
    const waiting: Array<(line: string) => void> = [];
    let ended = false;
    const stdin = options.stdin as Readable;
    let tail = '';
    stdin.on('data', (d: Buffer) => {
      const parts = (tail + d.toString()).split('\n');
      tail = parts.pop() ?? '';
      for (const l of parts) (waiting.shift() ?? ((x: string) => lines.push(x)))(l);
    });
    stdin.on('end', () => {
      ended = true;
      for (const w of waiting.splice(0)) w('');
    });
    const readLine = (): Promise<string> =>
      lines.length
        ? Promise.resolve(lines.shift()!)
        : ended
          ? Promise.resolve('')
          : new Promise((resolve) => waiting.push(resolve));
    while (rest.length) {
      const kind = rest.shift()!;
      const n = Number(rest.shift());
      if (kind === 'gate') {
        const answer = await readLine();
        this.gates.push(answer.replace(/ \d+$/, ''));
        if (answer.startsWith('then ')) {
          // New parts in place of the rest: n values, each its line count and its lines.
          const values: string[] = [];
          for (let v = Number(answer.slice(5)); v > 0; v--) {
            const own: string[] = [];
            for (let l = Number(await readLine()); l > 0; l--) own.push(await readLine());
            values.push(own.join('\n'));
          }
          rest = values;
        } else if (answer !== 'go') return { code: 0, stdout: '', stderr: '' };
        continue;
      }
      const part =
        kind === 'argv' ? rest.splice(0, n) : ['sh', '-c', rest.shift()!, 'sh', ...rest.splice(0, n)];
      // The rest of stdin (the archive) is this part's: drained as a host would.
      if (kind === 'script-stdin') while (!ended) await readLine();
      const r = await this.exec(part);
      for (const l of r.stdout.split('\n').filter(Boolean)) options.onOutput?.(l, 'stdout');
      for (const l of r.stderr.split('\n').filter(Boolean)) options.onOutput?.(l, 'stderr');
      if (r.code !== 0) return { code: r.code, stdout: '', stderr: '' };
      options.onOutput?.(`${mark} end`, 'stdout');
    }
    return { code: 0, stdout: '', stderr: '' };
  }
  /** Probes from the runner (health-url): refused, as by an app that is not listening. */
  dials = 0;
  forwardOut(): Promise<never> {
    this.dials++;
    return Promise.reject(new Error('connection refused'));
  }
  async close(): Promise<void> {}
  ran(pattern: RegExp): Call[] {
    return this.calls.filter((c) => pattern.test(`${c.name} ${c.text}`));
  }
}

const HOST_STATE = [
  'compose_v2=yes',
  'current=r1',
  'current_record=ok',
  'owned=docker-compose.yml',
  'history=r0',
  'history=r1',
  'release=r0',
  'release=r1',
  'intact=r0',
  'intact=r1',
  'exists=yes',
].join('\n');

const lockRule =
  (state = HOST_STATE): Rule =>
  (c) =>
    c.name === 'lock'
      ? { stdout: state }
      : c.name === 'unlock' || (c.name === 'finish' && c.args[4] !== '')
        ? { stdout: 'released' }
        : undefined;
const fail =
  (match: RegExp, result: Partial<ExecResult> = { code: 1, stderr: 'boom' }): Rule =>
  (c) =>
    match.test(`${c.name} ${c.text}`) ? result : undefined;
/** Calls matching pattern after the restore began (its first re-tag): services-first is also started on the way forward. */
function ranAfterRetag(conn: ScriptedConnection, pattern: RegExp): Call[] {
  const from = conn.calls.findIndex((c) => c.name === 'retag');
  return from < 0 ? [] : conn.calls.slice(from).filter((c) => pattern.test(`${c.name} ${c.text}`));
}

const services: Rule = (c) =>
  c.name === 'argv' && c.text.endsWith('config --services')
    ? { stdout: 'db\nmigrator\napp\n' }
    : c.name === 'container-state'
      ? { stdout: 'c0ffee healthy\n' }
      : undefined;

const base: DeploySettings = {
  remoteDir: '/srv/app',
  sourceDir: '.',
  files: [],
  preserve: ['.env', 'data/'],
  keepReleases: 5,
  strategy: 'compose',
  composeFiles: [],
  envFiles: ['.env'],
  projectName: 'app',
  servicesFirst: ['db'],
  migrateService: 'migrator',
  services: [],
  pull: true,
  build: false,
  healthCmd: 'check',
  healthTimeoutMs: 1000,
  lockTimeoutMs: 1000,
  dryRun: false,
  timeoutMs: 60_000,
  origin: { id: 'r2', commit: 'c', actor: 'a', repository: 'o/r', run: '1/1' },
};
const bundle: Bundle = {
  sourceDir: '/nonexistent',
  files: ['docker-compose.yml'],
  checksums: {},
  totalBytes: 1,
};

async function deploy(
  conn: ScriptedConnection,
  settings: Partial<DeploySettings> = {},
  signal?: AbortSignal,
): Promise<HostResult | DeployFailure> {
  const s = { ...base, ...settings };
  try {
    return await deployHost({
      label: 'h',
      conn,
      settings: s,
      ...(s.rollback ? {} : { bundle }),
      log: new RecordingLogger(),
      locks: { taken: () => undefined, released: () => undefined },
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    if (error instanceof DeployFailure) return error;
    throw error;
  }
}

// The archive is packed from real files; the scripted host just drains it.
let sourceDir: string;
beforeAll(() => {
  sourceDir = mkdtempSync(join(tmpdir(), 'session-bundle-'));
  writeFileSync(join(sourceDir, 'docker-compose.yml'), 'services: {}\n');
  bundle.sourceDir = sourceDir;
});
afterAll(() => rmSync(sourceDir, { recursive: true, force: true }));

describe('the rollout against a scripted host', () => {
  it('runs the plan in order on a good deploy, up without the migrator', async () => {
    const conn = new ScriptedConnection([lockRule(), services]);
    const result = (await deploy(conn)) as HostResult;
    expect(result.status).toBe('deployed');
    expect(result.running).toBe('r2');
    const order = conn.calls.map((c) => (c.name === 'argv' ? c.args.slice(6).join(' ') : c.name));
    expect(order).toEqual([
      'lock',
      'ship',
      'config --services',
      'pull -q',
      'up -d db',
      'container-state',
      'run --rm -T migrator',
      'up -d --remove-orphans db app',
      'record',
      // health-cmd sees the env files' exact values (hook-env.ts): one exec reads the files,
      // one writes the shell-quoted exports under the lock, then the command runs.
      'script',
      'script',
      'health-cmd',
      'finish',
    ]);
  });

  it('restores images, files and services-first after a failed migration, never the migrator again, app untouched', async () => {
    const conn = new ScriptedConnection([lockRule(), services, fail(/run --rm -T migrator/)]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('migration-failed');
    expect(error.rolledBack).toBe(false); // the app was never changed
    expect(error.running).toBe('r1');
    expect(conn.ran(/^retag/)[0]!.args).toEqual(['/srv/app/.releases/r1/images']);
    expect(conn.ran(/^activate/)[0]!.args.slice(0, 4)).toEqual(['/srv/app', 'r1', 'r2', 'restore']);
    expect(conn.ran(/^argv .*run --rm/)).toHaveLength(1);
    expect(ranAfterRetag(conn, /^argv .* up -d db$/)).toHaveLength(1); // services-first back on r1's images
    expect(conn.ran(/^argv .* up -d --remove-orphans/)).toHaveLength(0); // the app is not touched
  });

  it('blames services-first, not pull, when its `up -d` fails in the exec pull ran in', async () => {
    let failed = false;
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) =>
        !failed && / up -d db$/.test(c.text) ? ((failed = true), { code: 1, stderr: 'boom' }) : undefined,
    ]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('services-first-failed');
    expect(error.running).toBe('r1');
    expect(conn.ran(/container-state/)).toHaveLength(0);
    expect(conn.ran(/^retag/)).toHaveLength(1);
    expect(conn.ran(/run --rm|up -d --remove-orphans/)).toHaveLength(0);
  });

  it('blames pull, and starts no services-first, when pull fails', async () => {
    const conn = new ScriptedConnection([lockRule(), services, fail(/ pull -q$/)]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('pull-failed');
    expect(
      conn
        .ran(/ up -d db$/)
        .filter((c) => conn.calls.indexOf(c) < conn.calls.findIndex((x) => x.name === 'retag')),
    ).toHaveLength(0);
  });

  it('restores the services-first containers and image tags when services-first fails', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      (c) => (c.name === 'container-state' ? { stdout: 'c0ffee unhealthy\n' } : undefined),
      services,
    ]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('services-first-unhealthy');
    expect(conn.ran(/^retag/)).toHaveLength(1);
    expect(ranAfterRetag(conn, /^argv .* up -d db$/)).toHaveLength(1);
    expect(conn.ran(/up -d --remove-orphans/)).toHaveLength(0);
  });

  it('rolls back a failed health gate without pull, build or migrator, and uses recorded images with build: true', async () => {
    const conn = new ScriptedConnection([lockRule(), services, fail(/^health-cmd/)]);
    const error = (await deploy(conn, { build: true })) as DeployFailure;
    expect(error.code).toBe('health-gate-failed');
    expect(error.rolledBack).toBe(true);
    const afterGate = conn.calls.slice(conn.calls.findIndex((c) => c.name === 'health-cmd'));
    expect(afterGate.map((c) => c.text).join('\n')).not.toMatch(/ (pull|build|run) /);
    expect(afterGate.some((c) => c.name === 'retag')).toBe(true);
    expect(conn.ran(/up -d --remove-orphans --no-build db app$/)).toHaveLength(1);
  });

  it('reports a restore that fails too, and the host as unknown', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      fail(/run --rm -T migrator/),
      fail(/^activate/, { code: 20, stderr: 'the release record /srv/app/.releases/r1 is incomplete' }),
    ]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('migration-failed');
    expect(error.rolledBack).toBe(false);
    expect(error.running).toBe('unknown');
    expect(error.message).toMatch(/Restoring release r1 failed too: .*incomplete/s);
  });

  it('restores the files when the ship fails after its copy began', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      fail(/^ship/, { code: 1, stdout: 'activating\n', stderr: 'cp: no space left' }),
    ]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('upload-failed');
    expect(conn.ran(/^activate/)[0]!.args.slice(0, 4)).toEqual(['/srv/app', 'r1', 'r2', 'restore']);
    expect(conn.ran(/^retag/)).toHaveLength(0);
  });

  it('changes nothing more when the ship fails before its copy began', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      fail(/^ship/, { code: 2, stderr: 'tar: unexpected EOF' }),
    ]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('upload-failed');
    expect(error.running).toBe('r1');
    expect(conn.ran(/^activate/)).toHaveLength(0);
  });

  it('marks the release current before post-deploy, and a post-deploy failure says it is live', async () => {
    const conn = new ScriptedConnection([lockRule(), services, fail(/^shell .*post-hook/s)]);
    const error = (await deploy(conn, { postDeploy: 'post-hook' })) as DeployFailure;
    expect(error.code).toBe('post-deploy-failed');
    expect(error.running).toBe('r2');
    expect(error.message).toMatch(/Release r2 is live and current/);
    const names = conn.calls.map((c) => c.name);
    expect(names.indexOf('finish')).toBeLessThan(names.lastIndexOf('shell'));
    expect(conn.ran(/^finish/)[0]!.args[4]).toBe(''); // the lock is kept for the hook
    expect(conn.ran(/^unlock/)).toHaveLength(1);
    expect(conn.ran(/^activate/)).toHaveLength(0);
  });

  it('fails a rollback whose recorded image is gone before changing any file', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      fail(/^retag/, { code: 21, stdout: 'missing app:v1 sha256:0000\n' }),
    ]);
    const error = (await deploy(conn, { rollback: 'previous' })) as DeployFailure;
    expect(error.code).toBe('rollback-image-missing');
    expect(error.message).toContain('app:v1 sha256:0000');
    expect(conn.ran(/^(activate|record|finish)/)).toHaveLength(0);
  });

  it('rolls back on request with the recorded images and no migrator', async () => {
    const conn = new ScriptedConnection([lockRule(), services]);
    const result = (await deploy(conn, { rollback: 'previous' })) as HostResult;
    expect(result.release).toBe('r0');
    expect(conn.ran(/^argv .*(run --rm|pull)|^record/)).toHaveLength(0);
    expect(conn.ran(/^activate/)[0]!.args.slice(0, 4)).toEqual(['/srv/app', 'r0', 'r1', 'forward']);
  });

  it('refuses before any change when current names a broken record', async () => {
    const conn = new ScriptedConnection([
      lockRule(HOST_STATE.replace('current_record=ok', 'current_record=broken')),
    ]);
    await expect(deploy(conn)).rejects.toMatchObject({ code: 'release-record-missing' });
    expect(conn.calls.map((c) => c.name)).toEqual(['lock', 'unlock']);
  });

  it('stops at the next step when the deploy is aborted, and undoes what changed', async () => {
    const abort = new AbortController();
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => {
        if (/run --rm -T migrator/.test(c.text)) abort.abort();
        return undefined;
      },
    ]);
    const error = (await deploy(conn, {}, abort.signal)) as DeployFailure;
    expect(error.code).toBe('timeout');
    expect(error.running).toBe('r1');
    expect(conn.ran(/up -d --remove-orphans/)).toHaveLength(0); // stopped before the app step
    expect(ranAfterRetag(conn, /^argv .* up -d db$/)).toHaveLength(1); // services-first restored
  });

  it('rolls back when the deploy is stopped during the health gate', async () => {
    const abort = new AbortController();
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => {
        if (c.name === 'health-cmd') {
          abort.abort();
          return { code: 1 };
        }
        return undefined;
      },
    ]);
    const error = (await deploy(conn, { healthTimeoutMs: 60_000 }, abort.signal)) as DeployFailure;
    expect(error.code).toBe('timeout');
    expect(error.rolledBack).toBe(true);
    expect(error.running).toBe('r1');
    expect(error.message).toMatch(/during the health gate.*rolled back to r1/s);
    expect(conn.ran(/^finish/)).toHaveLength(0);
  });

  it('on a cancel during the health gate, records the release as unknown and starts no restore', async () => {
    const abort = new AbortController();
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => {
        if (c.name === 'health-cmd') {
          abort.abort('cancel');
          return { code: 1 };
        }
        return undefined;
      },
    ]);
    const error = (await deploy(conn, { healthTimeoutMs: 60_000 }, abort.signal)) as DeployFailure;
    expect(error.code).toBe('cancelled');
    expect(error.rolledBack).toBe(false);
    expect(error.running).toBe('r2');
    expect(error.message).toMatch(/cancelled during the health gate.*rollback: r1/s);
    const status = conn.calls.find((c) => c.name === 'script' && c.args[1] === 'r2');
    expect(status?.args[2]).toMatch(/^unknown: cancelled during the health gate/);
    expect(conn.calls.filter((c) => c.name === 'retag' || c.name === 'activate')).toHaveLength(0);
    expect(conn.ran(/^finish/)).toHaveLength(0);
    expect(conn.ran(/^unlock/)).toHaveLength(1);
  });

  it('runs the steps from pull to mark-current in one exec, each after a gate the runner opened', async () => {
    const conn = new ScriptedConnection([lockRule(), services]);
    const result = (await deploy(conn)) as HostResult;
    expect(result.status).toBe('deployed');
    // lock | ship (its parts sent with the gate's answer), config; then
    // pull | services-first | migrate | up | record-images | mark-current: five gates, all opened.
    expect(conn.gates).toEqual(['then', 'go', 'go', 'go', 'go', 'go']);
    const order = conn.calls.map((c) => c.name);
    expect(order.slice(0, 3)).toEqual(['lock', 'ship', 'argv']);
    expect(conn.ran(/^ship/)[0]!.args.slice(0, 3)).toEqual(['/srv/app', 'r2', 'r1']);
    expect(conn.ran(/^unlock/)).toHaveLength(0);
  });

  it('on a cancel during the migration, never goes on to change the app (the gate is closed)', async () => {
    const abort = new AbortController();
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => {
        if (/run --rm -T migrator/.test(c.text)) abort.abort('cancel');
        return undefined;
      },
    ]);
    const error = (await deploy(conn, {}, abort.signal)) as DeployFailure;
    expect(error.code).toBe('cancelled');
    expect(error.running).toBe('r1');
    expect(error.message).toMatch(/cancelled before up/);
    expect(conn.gates).toEqual(['then', 'go', 'go', 'stop']);
    expect(conn.ran(/^argv .* up -d --remove-orphans/)).toHaveLength(0);
    expect(conn.ran(/^finish/)).toHaveLength(0);
  });

  it('on a timeout during the migration, closes the gate, then undoes as before the app changed', async () => {
    const abort = new AbortController();
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => {
        if (/run --rm -T migrator/.test(c.text)) abort.abort('timeout');
        return undefined;
      },
    ]);
    const error = (await deploy(conn, {}, abort.signal)) as DeployFailure;
    expect(error.code).toBe('timeout');
    expect(error.rolledBack).toBe(false);
    expect(error.running).toBe('r1');
    expect(conn.gates).toEqual(['then', 'go', 'go', 'stop']);
    expect(conn.ran(/^argv .* up -d --remove-orphans/)).toHaveLength(0);
    // The restore (retag, files, services-first) runs only after the chained exec ended.
    expect(ranAfterRetag(conn, /^argv .* up -d db$/)).toHaveLength(1);
  });

  it('passes the health gate at the first look from the host when it answers 2xx', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => (c.name === 'health-look' ? { stdout: 'status=204\n' } : undefined),
    ]);
    const url = 'http://127.0.0.1:8080/api/ready';
    const result = (await deploy(conn, { healthUrl: url, healthCmd: undefined })) as HostResult;
    expect(result.status).toBe('deployed');
    expect(conn.ran(/^health-look/)[0]!.args).toEqual([url, '1']);
    expect(conn.dials).toBe(0);
  });

  it('leaves the gate to its probe from the runner when the first look is not 2xx, and looks only at plain URLs', async () => {
    const conn = new ScriptedConnection([
      lockRule(),
      services,
      (c) => (c.name === 'health-look' ? { stdout: 'status=302\n' } : undefined),
    ]);
    const error = (await deploy(conn, {
      healthUrl: 'http://127.0.0.1:8080/api/ready',
      healthCmd: undefined,
    })) as DeployFailure;
    expect(error.code).toBe('health-gate-failed');
    expect(conn.dials).toBeGreaterThan(0);
    const secret = new ScriptedConnection([lockRule(), services]);
    await deploy(secret, { healthUrl: 'http://127.0.0.1:8080/ready?token=s3cret', healthCmd: undefined });
    expect(secret.ran(/^health-look/)).toHaveLength(0);
    expect(secret.calls.some((c) => c.text.includes('s3cret'))).toBe(false);
  });

  it('on a cancel between steps before anything changed, changes nothing', async () => {
    const abort = new AbortController();
    abort.abort('cancel');
    const conn = new ScriptedConnection([lockRule(), services]);
    const error = (await deploy(conn, {}, abort.signal)) as DeployFailure;
    expect(error.code).toBe('cancelled');
    expect(error.running).toBe('r1');
    expect(conn.calls.map((c) => c.name)).toEqual(['lock', 'unlock']);
  });

  it('restores only the files when the compose config is invalid', async () => {
    const conn = new ScriptedConnection([lockRule(), fail(/config --services$/)]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('compose-config-invalid');
    expect(error.rolledBack).toBe(false);
    expect(error.running).toBe('r1');
    expect(conn.ran(/^activate/)[0]!.args.slice(0, 4)).toEqual(['/srv/app', 'r1', 'r2', 'restore']);
    expect(conn.ran(/^retag|^argv .* up /)).toHaveLength(0);
  });

  it('on a first deploy, leaves the failed release in place, marked failed, and says there is nothing to restore', async () => {
    const first = 'compose_v2=yes\nexists=yes\n';
    const conn = new ScriptedConnection([lockRule(first), services, fail(/run --rm -T migrator/)]);
    const error = (await deploy(conn)) as DeployFailure;
    expect(error.code).toBe('migration-failed');
    expect(error.message).toMatch(/no previous release to restore/);
    expect(error.rolledBack).toBe(false);
    expect(conn.ran(/^(activate|retag)/)).toHaveLength(0);
    expect(conn.ran(/^script .*r2 failed: /s)).toHaveLength(1);
  });

  it('forces compose v1 when asked, and refuses a flavour the host lacks', async () => {
    const both = HOST_STATE.replace('compose_v2=yes', 'compose_v2=yes\ncompose_v1=yes');
    const conn = new ScriptedConnection([lockRule(both), services]);
    await deploy(conn, { composeVersion: 'v1', envFiles: ['.env'] });
    expect(conn.ran(/^argv docker-compose /).length).toBeGreaterThan(0);
    const v2only = new ScriptedConnection([lockRule(), services]);
    await expect(deploy(v2only, { composeVersion: 'v1' })).rejects.toMatchObject({ code: 'compose-missing' });
  });
});

describe('fleet-rollback', () => {
  it('rolls the hosts already deployed back when a later one fails', async () => {
    const conns = new Map<string, ScriptedConnection>([
      ['a', new ScriptedConnection([lockRule(), services])],
      ['b', new ScriptedConnection([lockRule(), services, fail(/run --rm -T migrator/)])],
    ]);
    const results = await deployToHosts({
      hosts: ['a', 'b'],
      connect: async (h) => conns.get(h)!,
      settings: { ...base, fleetRollback: true },
      bundle,
      parallel: 1,
      failFast: true,
      log: new RecordingLogger(),
      locks: { taken: () => undefined, released: () => undefined },
    });
    expect(results.map((r) => [r.host, r.status, r.running])).toEqual([
      ['a', 'rolled-back', 'r1'],
      ['b', 'failed', 'r1'],
    ]);
    expect(
      conns
        .get('a')!
        .ran(/^activate/)
        .map((c) => c.args[1]),
    ).toEqual(['r1']);
  });
});

describe('stopping while waiting for the host lock', () => {
  const held: Rule = (c) =>
    c.name === 'lock' ? { code: 10, stdout: '{"run":"9/1","token":"t"}', stderr: 'lock-age=1\n' } : undefined;
  const run = (settings: Partial<DeploySettings>, cancel?: AbortSignal) =>
    deployToHosts({
      hosts: ['a'],
      connect: async () => new ScriptedConnection([held]),
      settings: { ...base, ...settings },
      bundle,
      parallel: 1,
      failFast: true,
      log: new RecordingLogger(),
      locks: { taken: () => undefined, released: () => undefined },
      ...(cancel ? { cancel } : {}),
    });

  it('ends at the step timeout as timeout, nothing changed (not unknown)', async () => {
    const [result] = await run({ timeoutMs: 300, lockTimeoutMs: 3_600_000 });
    expect(result).toMatchObject({ status: 'failed', errorCode: 'timeout' });
    expect(result!.running).toBeUndefined();
    expect(result!.error).toMatch(/while waiting for the host lock .* nothing on the host had changed/);
  });

  it('ends on a cancel as cancelled', async () => {
    const cancel = new AbortController();
    setTimeout(() => cancel.abort(), 300);
    const [result] = await run({ lockTimeoutMs: 3_600_000 }, cancel.signal);
    expect(result).toMatchObject({ status: 'cancelled', errorCode: 'cancelled' });
    expect(result!.running).toBeUndefined();
  });
});

describe('parseComposePs', () => {
  it('reads container ids from one JSON object a line (Compose 2.21+) and from an array (older v2)', () => {
    expect(parseComposePs('{"ID":"a1","Service":"db"}\n{"ID":"b2","Service":"app"}\n')).toEqual(['a1', 'b2']);
    expect(parseComposePs('[{"ID":"a1"},{"ID":"b2"}]')).toEqual(['a1', 'b2']);
    expect(parseComposePs('')).toEqual([]);
  });
});
