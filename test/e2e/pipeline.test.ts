import { jest } from '@jest/globals';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { visibleText, type ActionRun } from '../harness/run-action.js';
import {
  deployJob,
  labReleaseImages,
  makeSigningKey,
  publishRelease,
  stackJob,
  type DeployJob,
} from '../harness/chain.mjs';
import { freeLoopbackPort } from '../fixtures/http-load.js';
import { describeWithLab, dockerAsRoot, freshRemoteDir, removeRemoteDir, type Lab } from '../lab/lab.js';

// deploy.yml's deploy job, step by step, through the bundled actions against the
// lab: release (sha- tags, signed) → staging → production, two remote dirs and
// two compose projects on the lab host, production receiving the digest staging
// verified. The last deploy is not ready in production and is rolled back by the
// workflow's rollback step (ssh-deploy `rollback: previous`).
// The tests run in order: each one starts from the state the previous one left.
// The chain itself (test/harness/chain.mjs) is shared with the demo and bench/pipeline.bench.mjs.

jest.setTimeout(240_000);

const STACK = {
  'docker-compose.yml': `version: "2.4"
services:
  db:
    image: \${DB_IMAGE}
    restart: unless-stopped
  migrator:
    image: \${MIGRATOR_IMAGE}
    profiles: [migrate]
    depends_on:
      db: { condition: service_healthy }
  app:
    image: \${APP_IMAGE}
    restart: unless-stopped
    environment:
      APP_READY: \${APP_READY}
      APP_MESSAGE: \${APP_MESSAGE}
      API_TOKEN: \${API_TOKEN}
    ports: ["127.0.0.1:\${APP_PORT}:8080"]
    depends_on:
      db: { condition: service_healthy }
`,
  '.env.example': `APP_IMAGE=
MIGRATOR_IMAGE=
DB_IMAGE=
APP_PORT=
APP_MESSAGE=
# Per environment; false makes the lab app answer 404 on /api/ready.
APP_READY=true
# A secret: from the environment's secrets only.
API_TOKEN=
`,
};

interface Target {
  environment: 'staging' | 'production';
  remoteDir: string;
  project: string;
  port: number;
}

type Deploy = DeployJob;

async function version(port: number): Promise<string> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}/version`);
    return response.ok ? await response.text() : `HTTP ${response.status}`;
  } catch {
    return 'nothing listening';
  }
}

describeWithLab(
  'the deploy pipeline, release → staging → production, through the bundled actions',
  (lab: Lab) => {
    const secret = `tok-${randomBytes(16).toString('hex')}`;
    const repo = `${lab.registry}/pipeline-${randomBytes(4).toString('hex')}`;
    const key = makeSigningKey();
    const keyDir = mkdtempSync(join(tmpdir(), 'pipeline-key-'));
    const publicKeyPath = join(keyDir, 'cosign.pub');
    const sourceDir = mkdtempSync(join(tmpdir(), 'pipeline-stack-'));
    const runs: ActionRun[] = [];
    const releases: Record<'v1' | 'v2', Record<string, string>> = { v1: {}, v2: {} };
    let staging: Target;
    let production: Target;
    let stagingV1: Deploy;
    let productionV1: Deploy;

    /** What release.yml does, with the lab's images as the build output: sha- tags, pushed and signed. */
    async function release(name: 'v1' | 'v2', app: string): Promise<void> {
      releases[name] = await publishRelease({
        docker: lab.dockerCli,
        repo,
        tag: `sha-${randomBytes(20).toString('hex')}`,
        images: labReleaseImages(lab, app),
        privateKeyPem: key.privateKeyPem,
      });
    }

    async function deploy(
      target: Target,
      images: Record<string, string>,
      options: { healthGate: boolean; appReady?: string },
    ): Promise<Deploy> {
      const workspace = mkdtempSync(join(tmpdir(), `pipeline-${target.environment}-`));
      cpSync(sourceDir, join(workspace, 'stack'), { recursive: true });
      const job = stackJob({
        lab,
        remoteDir: target.remoteDir,
        project: target.project,
        port: target.port,
        ...(options.healthGate ? { healthTimeout: '30s' } : {}),
      });
      const result = await deployJob({
        workspace,
        images,
        publicKey: publicKeyPath,
        vars: {
          APP_PORT: String(target.port),
          APP_MESSAGE: target.environment,
          APP_READY: options.appReady ?? 'true',
        },
        secrets: { API_TOKEN: secret, UNRELATED: 'not-declared' },
        ...job,
        ready: { ...job.ready, timeout: '6s', interval: '500ms' },
      });
      runs.push(...result.runs);
      return result;
    }

    beforeAll(async () => {
      writeFileSync(publicKeyPath, key.publicKeyPem);
      mkdirSync(sourceDir, { recursive: true });
      for (const [name, content] of Object.entries(STACK)) writeFileSync(join(sourceDir, name), content);
      staging = {
        environment: 'staging',
        remoteDir: freshRemoteDir(lab, 'pipeline-staging'),
        project: `pipe-stg-${randomBytes(3).toString('hex')}`,
        port: await freeLoopbackPort(),
      };
      production = {
        environment: 'production',
        remoteDir: freshRemoteDir(lab, 'pipeline-production'),
        project: `pipe-prd-${randomBytes(3).toString('hex')}`,
        port: await freeLoopbackPort(),
      };
      await release('v1', lab.images.app_v1);
      await release('v2', lab.images.app_v2);
    });

    afterAll(async () => {
      for (const target of [staging, production]) {
        if (!target) continue;
        const ids = (
          await dockerAsRoot(['ps', '-aq', '--filter', `label=com.docker.compose.project=${target.project}`])
        ).stdout.trim();
        if (ids) await dockerAsRoot(['rm', '-f', ...ids.split('\n')]);
        const nets = (
          await dockerAsRoot([
            'network',
            'ls',
            '-q',
            '--filter',
            `label=com.docker.compose.project=${target.project}`,
          ])
        ).stdout.trim();
        if (nets) await dockerAsRoot(['network', 'rm', ...nets.split('\n')]);
        removeRemoteDir(lab, target.remoteDir);
      }
    });

    it('deploys release 1 to staging: signatures verified, env rendered, rolled out and ready', async () => {
      stagingV1 = await deploy(staging, releases.v1, { healthGate: true });
      expect(stagingV1.verify.map((r) => r.exitCode)).toEqual([0, 0, 0]);
      expect(stagingV1.pinned).toEqual(releases.v1);
      expect(stagingV1.render?.exitCode).toBe(0);
      expect(stagingV1.rollout?.exitCode).toBe(0);
      expect(stagingV1.ready?.outputs['ready']).toBe('true');
      expect(await version(staging.port)).toBe('v1 staging');
    });

    it('promotes to production exactly the digests staging verified', async () => {
      productionV1 = await deploy(production, stagingV1.pinned, { healthGate: true });
      expect(productionV1.ready?.outputs['ready']).toBe('true');
      expect(productionV1.pinned).toEqual(stagingV1.pinned);
      // What compose runs in production names the same digests, not tags.
      for (const image of Object.values(stagingV1.pinned))
        expect(productionV1.render?.outputs['compose-config']).toContain(image);
      expect(await version(production.port)).toBe('v1 production');
    });

    it('keeps staging and production apart: two remote dirs, two compose projects', async () => {
      const projects = await Promise.all(
        [staging, production].map(
          async (t) =>
            (
              await dockerAsRoot(['ps', '-q', '--filter', `label=com.docker.compose.project=${t.project}`])
            ).stdout
              .trim()
              .split('\n')
              .filter(Boolean).length,
        ),
      );
      expect(projects).toEqual([2, 2]);
      expect(staging.remoteDir).not.toBe(production.remoteDir);
    });

    it('runs both stacks on Compose v2, the flavour ssh-deploy picks when v1 is installed too', async () => {
      // Compose stamps the version that created a container into its labels.
      for (const t of [staging, production]) {
        const ids = (
          await dockerAsRoot(['ps', '-q', '--filter', `label=com.docker.compose.project=${t.project}`])
        ).stdout
          .trim()
          .split('\n')
          .filter(Boolean);
        const versions = await dockerAsRoot([
          'inspect',
          '-f',
          '{{index .Config.Labels "com.docker.compose.version"}}',
          ...ids,
        ]);
        // The label carries the upstream version (2.26.1); `version --short` adds Debian's revision.
        expect(versions.stdout.trim().split('\n')).toEqual(ids.map(() => lab.composeV2Version.split('-')[0]));
      }
      expect(lab.composeV2Version).toMatch(/^2\./);
    });

    it('deploys release 2 to staging while production keeps serving release 1', async () => {
      const stagingV2 = await deploy(staging, releases.v2, { healthGate: true });
      expect(stagingV2.ready?.outputs['ready']).toBe('true');
      expect(stagingV2.rollout?.outputs['previous-release-id']).toBe(
        stagingV1.rollout?.outputs['release-id'],
      );
      expect(await version(staging.port)).toBe('v2 staging');
      expect(await version(production.port)).toBe('v1 production');
    });

    it('rolls production back to release 1 when release 2 is not ready there', async () => {
      const productionV2 = await deploy(production, releases.v2, { healthGate: false, appReady: 'false' });
      expect(productionV2.rollout?.exitCode).toBe(0);
      expect(productionV2.ready?.exitCode).not.toBe(0);
      expect(productionV2.ready?.outputs['ready']).toBe('false');
      expect(productionV2.rollback?.exitCode).toBe(0);
      expect(productionV2.rollback?.outputs['release-id']).toBe(productionV1.rollout?.outputs['release-id']);
      expect(await version(production.port)).toBe('v1 production');
    });

    it('never shows the secret in any step’s logs, summary or outputs', () => {
      expect(runs.length).toBeGreaterThan(10);
      for (const run of runs) expect(visibleText(run)).not.toContain(secret);
    });
  },
);
