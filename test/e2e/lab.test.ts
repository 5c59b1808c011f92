import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { describeWithLab, dockerAsRoot, labExec, sshArgs, sshAsDeploy, type Lab } from '../lab/lab.js';

// Proves the lab itself works as the other e2e tests assume: the deploy host
// over the system OpenSSH client with pinned host keys, the bastion, both
// registries and the test images.
const T = 60_000;

describeWithLab('the lab', (lab: Lab) => {
  let scratch: string;
  beforeAll(() => {
    scratch = mkdtempSync(join(tmpdir(), 'lab-test-'));
  });
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  describe('deploy host', () => {
    it(
      'runs docker-compose for the deploy user over ssh with a pinned host key',
      async () => {
        const run = await sshAsDeploy(lab, 'docker-compose version --short');
        expect(run.stderr).toBe('');
        expect(run.code).toBe(0);
        expect(run.stdout.trim()).toBe(lab.composeVersion);
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
});
