// ssh-deploy with strategy: rolling, through the bundled action, against the lab: the app
// behind the lab's Caddy proxy is replaced without a failed request under ~50 requests/s,
// a release that never gets healthy leaves the old containers serving (again without a
// failed request), a slow request in flight on the old container when it is drained still
// completes, and a service that cannot run twice is refused before anything changes.
import { jest } from '@jest/globals';
import { request } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionRun } from '../harness/run-action.js';
import { describeWithLab, dockerAsRoot, type Lab } from '../lab/lab.js';
import { CADDYFILE, freeLoopbackPort, startLoad } from '../fixtures/http-load.js';
import {
  cleanUp,
  containerId,
  prepareRemoteDir,
  readRemote,
  uniqueProject,
} from '../fixtures/ssh-deploy/helpers.js';
import { labConnection } from '../harness/chain.mjs';

jest.setTimeout(240_000);

const COMPOSE = (appPorts: string, appVolumes = ''): string => `services:
  proxy:
    image: \${PROXY_IMAGE}
    ports:
      - "127.0.0.1:\${PROXY_PORT}:80"
    volumes:
      - ./Caddyfile:/etc/caddy/Caddyfile:ro
  app:
    image: \${APP_IMAGE}
${appPorts}${appVolumes}    environment:
      APP_READY: \${APP_READY:-true}
      APP_LISTEN_DELAY: \${APP_LISTEN_DELAY:-0}
    healthcheck:
      test: ["CMD", "wget", "-q", "-O", "/dev/null", "http://127.0.0.1:8080/api/ready"]
      interval: 1s
      timeout: 2s
      retries: 2
    stop_grace_period: 5s
`;

const APP_SCRIPT = new URL('../lab/images/app/app.sh', import.meta.url);

interface SlowAnswer {
  ok: boolean;
  /** The body, or why it failed. */
  text: string;
}

/**
 * GET path on 127.0.0.1:port every `everyMs` until stop(); each request waits up to 20 s for its
 * answer (a bound, not a measurement). stop() waits for those still in flight.
 */
function startSlowRequests(port: number, path: string, everyMs: number): { stop(): Promise<SlowAnswer[]> } {
  const answers: Array<Promise<SlowAnswer>> = [];
  const one = (): Promise<SlowAnswer> =>
    new Promise((resolve) => {
      const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d));
        res.on('end', () =>
          resolve(
            res.statusCode === 200
              ? { ok: true, text: body }
              : { ok: false, text: `${res.statusCode}: ${body}` },
          ),
        );
        res.on('error', (e) => resolve({ ok: false, text: e.message }));
      });
      req.setTimeout(20_000, () => req.destroy(new Error('no answer within 20 s')));
      req.on('error', (e) => resolve({ ok: false, text: e.message }));
      req.end();
    });
  const timer = setInterval(() => answers.push(one()), everyMs);
  return {
    stop: async () => {
      clearInterval(timer);
      return Promise.all(answers);
    },
  };
}

describeWithLab('ssh-deploy strategy: rolling', (lab: Lab) => {
  const connection = labConnection(lab);
  const projects: string[] = [];
  const dirs: string[] = [];
  afterAll(() => cleanUp(lab, projects, dirs));

  /** A source-dir: the proxy + app stack, and release.env picking the app image and readiness. */
  const bundle = (
    app: string,
    options: { ready?: boolean; appPorts?: string; appScript?: boolean; listenDelay?: number } = {},
  ): string => {
    const dir = mkdtempSync(join(tmpdir(), 'ssh-deploy-rolling-'));
    // appScript: the checkout's lab app script (slow endpoint, graceful SIGTERM) mounted over the
    // image's, so the test does not depend on when the lab's images were last built.
    const volumes = options.appScript ? '    volumes:\n      - ./app.sh:/app/app.sh:ro\n' : '';
    writeFileSync(join(dir, 'docker-compose.yml'), COMPOSE(options.appPorts ?? '', volumes));
    if (options.appScript) writeFileSync(join(dir, 'app.sh'), readFileSync(APP_SCRIPT), { mode: 0o755 });
    writeFileSync(join(dir, 'Caddyfile'), CADDYFILE);
    writeFileSync(
      join(dir, 'release.env'),
      `APP_IMAGE=${app}\nAPP_READY=${options.ready === false ? 'false' : 'true'}\n` +
        `APP_LISTEN_DELAY=${options.listenDelay ?? 0}\n`,
    );
    return dir;
  };

  const deploy = (
    dir: string,
    project: string,
    source: string,
    inputs: Record<string, string> = {},
  ): Promise<ActionRun> =>
    runAction('ssh-deploy', {
      inputs: {
        ...connection,
        'remote-dir': dir,
        'source-dir': source,
        'project-name': project,
        'env-files': '.env\nrelease.env',
        strategy: 'rolling',
        'health-timeout': '30s',
        ...inputs,
      },
      timeoutMs: 200_000,
    });

  /**
   * A failed request's story, printed when a test is about to fail: the proxy's error log
   * (which upstream it dialed, and how that failed) and the roll's own steps.
   */
  const showProxyErrors = async (project: string, run: ActionRun): Promise<void> => {
    for (const id of (await containerId(project, 'proxy')).split('\n').filter(Boolean)) {
      const logs = await dockerAsRoot(['logs', '--timestamps', id]);
      const errors = `${logs.stdout}${logs.stderr}`.split('\n').filter((l) => /"level":"error"/.test(l));
      console.log(`proxy ${id} errors:\n${errors.slice(-20).join('\n')}`);
    }
    // An app container whose listen queue overflowed dropped SYNs: the proxy's dials time out.
    for (const id of await appContainers(project)) {
      const netstat = await dockerAsRoot(['exec', id, 'cat', '/proc/net/netstat']);
      const [keys, values] = netstat.stdout
        .split('\n')
        .filter((l) => l.startsWith('TcpExt:'))
        .map((l) => l.split(' '));
      const counters = (keys ?? []).map((k, i) => `${k}=${values?.[i]}`).filter((c) => /^Listen/.test(c));
      console.log(`app ${id.slice(0, 12)}: ${counters.join(' ') || netstat.stderr.trim()}`);
    }
    console.log(
      `the deploy's log:\n${run.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::'))
        .slice(-30)
        .join('\n')}`,
    );
  };
  const appContainers = async (project: string): Promise<string[]> =>
    (await containerId(project, 'app')).split('\n').filter(Boolean).sort();

  /**
   * A new proxy + app stack (its own project, port and remote dir, cleaned up after the file)
   * with `app` v1 deployed by the action.
   */
  const stackWithV1 = async (
    name: string,
    options: { appScript?: boolean } = {},
  ): Promise<{ project: string; port: number; dir: string; first: ActionRun }> => {
    const project = uniqueProject(name);
    const port = await freeLoopbackPort();
    const dir = prepareRemoteDir(lab, { '.env': `PROXY_IMAGE=${lab.images.caddy}\nPROXY_PORT=${port}\n` });
    projects.push(project);
    dirs.push(dir);
    const first = await deploy(dir, project, bundle(lab.images.app_v1, options));
    return { project, port, dir, first };
  };

  describe('behind the proxy', () => {
    let project: string;
    let dir: string;
    let port: number;
    let first: ActionRun;

    beforeAll(async () => {
      ({ project, port, dir, first } = await stackWithV1('roll'));
    });

    it('plans the roll in dry-run: the check before any container changes, then the roll', async () => {
      const run = await deploy(dir, project, bundle(lab.images.app_v2), { 'dry-run': 'true' });
      expect(run.exitCode).toBe(0);
      expect(JSON.parse(run.outputs['hosts']!)[0].status).toBe('planned');
      const check = run.summary.indexOf('check-rolling');
      expect(check).toBeGreaterThan(-1);
      expect(check).toBeLessThan(run.summary.indexOf(' pull'));
      expect(run.summary).toMatch(/up: roll the checked services together/);
    });

    it('replaces the app under ~50 requests/s without a failed request', async () => {
      expect(first.exitCode).toBe(0);
      const before = await appContainers(project);
      expect(before).toHaveLength(1);
      const load = startLoad(port, 50);
      const second = await deploy(dir, project, bundle(lab.images.app_v2), {
        'health-url': `http://127.0.0.1:${port}/api/ready`,
      });
      const report = await load.stop();
      expect(second.exitCode).toBe(0);
      expect(report.sent).toBeGreaterThan(50);
      expect(report.failures).toEqual([]);
      expect(report.bodies['v2'] ?? 0).toBeGreaterThan(0);
      const after = await appContainers(project);
      expect(after).toHaveLength(1);
      expect(after).not.toEqual(before);
      expect(readRemote(dir, '.releases/current').trim()).toBe(second.outputs['release-id']);
      expect(second.stdout).toContain('rolling: app ×1');
    });

    it('leaves the old containers serving when the new release never gets healthy', async () => {
      const current = readRemote(dir, '.releases/current').trim();
      const before = await appContainers(project);
      const load = startLoad(port, 50);
      const bad = await deploy(dir, project, bundle(lab.images.app_v1, { ready: false }), {
        'health-timeout': '8s',
      });
      const report = await load.stop();
      expect(bad.exitCode).not.toBe(0);
      expect(bad.outputs['error-code']).toBe('rolling-unhealthy');
      expect(report.failures).toEqual([]);
      // (Until it is removed, a proxy following Docker's DNS may also send requests to the new,
      // not-yet-healthy container: docs/zero-downtime.md. What counts: none failed.)
      expect(report.bodies['v2'] ?? 0).toBeGreaterThan(0);
      expect(await appContainers(project)).toEqual(before);
      expect(readRemote(dir, '.releases/current').trim()).toBe(current);
      const host = JSON.parse(bad.outputs['hosts']!)[0];
      expect(host.running).toBe(current);
    });
  });

  it('rolls a release that fails the health gate back by rolling too, without a failed request', async () => {
    // Docker's healthcheck passes (the roll completes), ssh-deploy's own gate does not: the
    // previous release must come back the way the new one went in, never by a recreate.
    const { project, port, dir, first } = await stackWithV1('speed-rollback');
    expect(first.exitCode).toBe(0);
    const before = await appContainers(project);
    const load = startLoad(port, 50);
    const bad = await deploy(dir, project, bundle(lab.images.app_v2), {
      'health-cmd': 'false',
      'health-timeout': '3s',
    });
    const report = await load.stop();
    expect(bad.outputs['error-code']).toBe('health-gate-failed');
    expect(bad.outputs['rolled-back']).toBe('true');
    expect(report.failures).toEqual([]);
    expect(report.bodies['v2'] ?? 0).toBeGreaterThan(0);
    const after = await appContainers(project);
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);
    expect(bad.stdout).toMatch(/restoring release .*: rolling app/);
    expect(readRemote(dir, '.releases/current').trim()).toBe(first.outputs['release-id']);
    const res = await fetch(`http://127.0.0.1:${port}/version`);
    expect((await res.text()).trim()).toBe('v1');
  });

  it('lets a slow request in flight on the old container finish when the roll drains it', async () => {
    // The lab app answers /cgi-bin/slow after 2 s, and says "(stopping)" when SIGTERM came
    // while the request was in flight; on SIGTERM it closes its listener and finishes those
    // requests before it exits (stop_grace_period 5 s). Slow requests are sent all through
    // the roll, so some are on the old container when it is drained and stopped.
    const { project, port, dir, first } = await stackWithV1('roll-slow', { appScript: true });
    expect(first.exitCode).toBe(0);
    const before = await appContainers(project);
    // This test failed now and then on loaded machines (CI twice; here 5 of 11 runs beside two
    // busy loops) while the proxy had passive health (`fail_duration 3s`): a dial to the new
    // container while it started marked it down, the old one's refusal after SIGTERM marked
    // that one down too, every request waited, then all dialed the new container at once and
    // overflowed its listen queue. docs/zero-downtime.md, "No passive health checks".
    const load = startLoad(port, 50);
    const slow = startSlowRequests(port, '/cgi-bin/slow', 200);
    const second = await deploy(dir, project, bundle(lab.images.app_v2, { appScript: true }));
    const answers = await slow.stop();
    const report = await load.stop();
    if (answers.some((a) => !a.ok) || report.failures.length > 0) await showProxyErrors(project, second);
    expect(second.exitCode).toBe(0);
    expect(await appContainers(project)).not.toEqual(before);
    expect(answers.filter((a) => !a.ok)).toEqual([]);
    expect(report.failures).toEqual([]);
    // Requests the old container was still answering when it got SIGTERM: they completed.
    expect(answers.filter((a) => a.text === 'v1 (stopping)').length).toBeGreaterThan(0);
    expect(answers.some((a) => a.text === 'v2')).toBe(true);
  });

  it('keeps every request answered when the new container refuses connections while it starts', async () => {
    // The new container is in Docker's DNS name from its start, and the proxy dials it; until
    // the app listens (2 s here, as an app loading before it binds) those dials are refused and
    // retried on another container. docs/zero-downtime.md calls this harmless; this measures it.
    const { project, port, dir, first } = await stackWithV1('roll-listen', { appScript: true });
    expect(first.exitCode).toBe(0);
    const load = startLoad(port, 50);
    const second = await deploy(dir, project, bundle(lab.images.app_v2, { appScript: true, listenDelay: 2 }));
    const report = await load.stop();
    if (report.failures.length > 0) await showProxyErrors(project, second);
    expect(second.exitCode).toBe(0);
    expect(report.failures).toEqual([]);
    expect(report.bodies['v2'] ?? 0).toBeGreaterThan(0);
    expect(report.bodies['v1'] ?? 0).toBeGreaterThan(0);
  });

  it('refuses a service published on a host port before any container changes', async () => {
    const project = uniqueProject('roll-port');
    const port = await freeLoopbackPort();
    const appPort = await freeLoopbackPort();
    const dir = prepareRemoteDir(lab, { '.env': `PROXY_IMAGE=${lab.images.caddy}\nPROXY_PORT=${port}\n` });
    projects.push(project);
    dirs.push(dir);
    const first = await deploy(dir, project, bundle(lab.images.app_v1), { strategy: 'compose' });
    expect(first.exitCode).toBe(0);
    const before = await appContainers(project);
    const run = await deploy(
      dir,
      project,
      bundle(lab.images.app_v2, { appPorts: `    ports:\n      - "127.0.0.1:${appPort}:8080"\n` }),
      { 'rolling-services': 'app' },
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.outputs['error-code']).toBe('not-rollable');
    expect(run.stderr + run.stdout).toMatch(/app/);
    expect(await appContainers(project)).toEqual(before);
    expect(readRemote(dir, '.releases/current').trim()).toBe(first.outputs['release-id']);
  });
});
