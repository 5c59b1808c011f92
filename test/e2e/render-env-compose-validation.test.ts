/**
 * render-env refuses what Docker Compose refuses, before anything is deployed: each compose file
 * here goes through the real `docker compose config` (v2) and through compose-env's
 * loadComposeConfig with the same variables. Where Compose's `config` accepts a file that `up`
 * refuses (the engine checks image references, restart policies and mount paths), the case says
 * so and we refuse it too; valid variants are accepted by both.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ComposeFileError, loadComposeConfig } from '@deploy-actions/compose-env';
import { describeWithLab, labExec } from '../lab/lab.js';
import { composeError, dockerCompose, pool } from './compose-oracle.js';

interface Case {
  name: string;
  services?: string;
  text?: string;
  env?: Record<string, string>;
  /** `refuse`: compose config refuses; `up`: config accepts, up refuses; `accept`: both accept. */
  compose: 'refuse' | 'up' | 'accept';
  /** Part of our message. */
  ours?: string;
}

const svc = (body: string): string => `services:\n  app:\n    image: nginx:1.27\n${body}`;

const cases: Case[] = [
  {
    name: 'a volume left empty by an unset variable',
    text: svc('    volumes: ["${DATA}:/media/"]\n'),
    compose: 'refuse',
    ours: 'services.app.volumes.0: invalid spec: :/media/: empty section between colons (written "${DATA}:/media/"',
  },
  {
    name: 'a volume with an empty target',
    text: svc('    volumes: ["/srv/a:"]\n'),
    compose: 'refuse',
    ours: 'empty section between colons',
  },
  {
    name: 'a volume with too many colons',
    text: svc('    volumes: ["/a:/b:ro:x"]\n'),
    compose: 'refuse',
    ours: 'too many colons',
  },
  {
    name: 'a volume set by a variable',
    text: svc('    volumes: ["${DATA}:/media/"]\n'),
    env: { DATA: '/srv/media' },
    compose: 'accept',
  },
  {
    name: 'a long-syntax volume without a target',
    text: svc('    volumes: [{type: bind, source: /a}]\n'),
    compose: 'refuse',
    ours: 'is missing a mount target',
  },
  {
    name: 'a relative mount path in the container',
    text: svc('    volumes: ["/srv/a:data"]\n'),
    compose: 'up',
    ours: 'must be absolute',
  },
  {
    name: 'an undefined named volume',
    text: svc('    volumes: ["pgdata:/var/lib/postgresql/data"]\n'),
    compose: 'refuse',
    ours: 'refers to undefined volume pgdata',
  },
  {
    name: 'a declared named volume',
    text: `${svc('    volumes: ["pgdata:/d", "./rel:/r", "~/h:/h", "/anon"]\n')}volumes:\n  pgdata: {}\n`,
    compose: 'accept',
  },
  {
    name: 'an image left empty by an unset variable',
    text: 'services:\n  app:\n    image: ${APP_IMAGE}\n',
    compose: 'refuse',
    ours: 'has neither an image nor a build context',
  },
  {
    name: 'an empty image',
    text: 'services:\n  app:\n    image: ""\n',
    compose: 'refuse',
    ours: 'has neither an image nor a build context',
  },
  { name: 'a build without an image', text: 'services:\n  app:\n    build: .\n', compose: 'accept' },
  {
    name: 'an upper-case image reference',
    text: 'services:\n  app:\n    image: Acme/App:1\n',
    compose: 'up',
    ours: 'repository name must be lowercase',
  },
  {
    name: 'an image with an empty tag',
    text: 'services:\n  app:\n    image: "acme/app:${TAG}"\n',
    compose: 'up',
    ours: 'invalid reference format',
  },
  {
    name: 'an image pinned by digest on a registry with a port',
    text: `services:\n  app:\n    image: 127.0.0.1:5000/acme/app@sha256:${'a'.repeat(64)}\n`,
    compose: 'accept',
  },
  {
    name: 'a port that is not a number',
    text: svc('    ports: ["abc"]\n'),
    compose: 'refuse',
    ours: 'Invalid containerPort: abc',
  },
  {
    name: 'a host port out of range',
    text: svc('    ports: ["99999:80"]\n'),
    compose: 'refuse',
    ours: 'Invalid hostPort: 99999',
  },
  {
    name: 'a port with too many colons',
    text: svc('    ports: ["80:80:80:80"]\n'),
    compose: 'refuse',
    ours: 'Invalid ip address 80:80',
  },
  {
    name: 'a port bound to a host name',
    text: svc('    ports: ["a:80:80"]\n'),
    compose: 'refuse',
    ours: 'Invalid ip address: a',
  },
  {
    name: 'a reversed port range',
    text: svc('    ports: ["8080-8070:80"]\n'),
    compose: 'refuse',
    ours: 'Invalid hostPort: 8080-8070',
  },
  {
    name: 'an unknown protocol',
    text: svc('    ports: ["80/xyz"]\n'),
    compose: 'refuse',
    ours: 'Invalid proto: xyz',
  },
  {
    name: 'ports Compose accepts',
    text: svc(
      '    ports: ["${IP}:8080:8080", "127.0.0.1::80", "[::1]:81:81", "9000-9001:9000-9001", "53:53/udp", 8081]\n',
    ),
    compose: 'accept',
  },
  {
    name: 'an unknown top-level key',
    text: `foo: 1\n${svc('')}`,
    compose: 'refuse',
    ours: '(top level): additional property foo is not allowed',
  },
  {
    name: 'an unknown service key',
    text: 'services:\n  app:\n    imagee: x\n',
    compose: 'refuse',
    ours: 'services.app: additional property imagee is not allowed',
  },
  {
    name: 'extension keys',
    text: `x-common: &c {restart: always}\nservices:\n  app:\n    image: nginx:1\n    x-note: hi\n    <<: *c\n`,
    compose: 'accept',
  },
  {
    name: 'a number where a string belongs',
    text: svc('    restart: 5\n'),
    compose: 'refuse',
    ours: 'services.app.restart: must be a string',
  },
  {
    name: 'ports that are not a list',
    text: svc('    ports: 80\n'),
    compose: 'refuse',
    ours: 'services.app.ports: must be a list',
  },
  {
    name: 'environment that is a number',
    text: svc('    environment: 5\n'),
    compose: 'refuse',
    ours: 'services.app.environment: must be',
  },
  {
    name: 'services that are a list',
    text: 'services: []\n',
    compose: 'refuse',
    ours: 'services: must be a mapping',
  },
  {
    name: 'a service name with a space',
    text: 'services:\n  "a b":\n    image: x\n',
    compose: 'refuse',
    ours: 'additional property a b is not allowed',
  },
  {
    name: 'a depends_on condition Compose does not know',
    text: `${svc('    depends_on: {db: {condition: sometimes}}\n')}  db:\n    image: postgres:16\n`,
    compose: 'refuse',
    ours: 'must be one of the following',
  },
  {
    name: 'an unknown restart policy',
    text: svc('    restart: sometimes\n'),
    compose: 'up',
    ours: 'invalid restart policy "sometimes"',
  },
  {
    name: 'cpus that are not a number',
    text: svc('    cpus: abc\n'),
    compose: 'refuse',
    ours: 'services.app.cpus: failed to cast to expected type',
  },
  {
    name: 'a boolean left empty by a variable',
    text: svc('    read_only: "${RO}"\n'),
    compose: 'refuse',
    ours: 'services.app.read_only: failed to cast to expected type: invalid boolean',
  },
  {
    name: 'booleans Compose accepts',
    text: svc('    read_only: "${RO}"\n    tty: yes\n    init: "on"\n'),
    env: { RO: 'TRUE' },
    compose: 'accept',
  },
  {
    name: 'a memory limit that is not a size',
    text: svc('    mem_limit: abc\n'),
    compose: 'refuse',
    ours: "invalid size: 'abc'",
  },
  {
    name: 'a memory limit left empty by a variable',
    text: svc('    mem_limit: "${MEM}"\n'),
    compose: 'refuse',
    ours: "invalid size: ''",
  },
  {
    name: 'sizes Compose accepts',
    text: svc('    mem_limit: 512m\n    shm_size: 1.5GB\n    memswap_limit: 1g\n'),
    compose: 'accept',
  },
  {
    name: 'a healthcheck interval with an unknown unit',
    text: svc('    healthcheck: {test: [CMD, x], interval: 5x}\n'),
    compose: 'refuse',
    ours: 'time: invalid duration "5x"',
  },
  {
    name: 'a healthcheck interval that is a number',
    text: svc('    healthcheck: {test: [CMD, x], interval: 5}\n'),
    compose: 'refuse',
    ours: 'services.app.healthcheck.interval: must be a string',
  },
  {
    name: 'durations Compose accepts',
    text: svc(
      '    healthcheck: {test: [CMD, x], interval: 1m30s, timeout: 500ms}\n    stop_grace_period: 1h\n',
    ),
    compose: 'accept',
  },
  {
    name: 'an extra host without an IP',
    text: svc('    extra_hosts: ["nohost"]\n'),
    compose: 'refuse',
    ours: 'missing IP: nohost',
  },
  {
    name: 'a dependency on an undefined service',
    text: svc('    depends_on: [nope]\n'),
    compose: 'refuse',
    ours: 'depends on undefined service "nope"',
  },
  // Compose 2.26.1 refuses it even with `required: false` (newer versions accept it); we follow 2.26.1.
  {
    name: 'an optional dependency on an undefined service',
    text: svc('    depends_on: {nope: {condition: service_started, required: false}}\n'),
    compose: 'refuse',
    ours: 'depends on undefined service "nope"',
  },
  {
    name: 'network_mode of an undefined service',
    text: svc('    network_mode: "service:db"\n'),
    compose: 'refuse',
    ours: 'depends on undefined service "db"',
  },
  {
    name: 'an undefined network',
    text: svc('    networks: [back]\n'),
    compose: 'refuse',
    ours: 'refers to undefined network back',
  },
  {
    name: 'an unknown capability',
    text: svc('    cap_add: [NOPE]\n'),
    compose: 'up',
    ours: 'unknown capability: "CAP_NOPE"',
  },
  {
    name: 'capabilities in any spelling',
    text: svc('    cap_drop: [ALL, net_raw, CAP_CHOWN]\n    cap_add: [Chown]\n'),
    compose: 'accept',
  },
  {
    name: 'a malformed security_opt',
    text: svc('    security_opt: [bogus]\n'),
    compose: 'up',
    ours: 'Invalid security-opt: "bogus"',
  },
  {
    name: 'security_opt forms Docker accepts',
    text: svc(
      '    security_opt: [no-new-privileges, "no-new-privileges:true", "label=disable", "apparmor:unconfined"]\n',
    ),
    compose: 'accept',
  },
  {
    name: 'a memory limit under 6 MB',
    text: svc('    mem_limit: 1k\n'),
    compose: 'up',
    ours: 'Minimum memory limit allowed is 6MB',
  },
  {
    name: 'a relative tmpfs path',
    text: svc('    tmpfs: [relative]\n'),
    compose: 'up',
    ours: "invalid mount path: 'relative' mount path must be absolute",
  },
  {
    name: 'a service that extends another',
    text: `${svc('')}  worker:\n    extends: app\n    command: work\n`,
    compose: 'accept',
  },
  {
    name: 'an undefined secret',
    text: svc('    secrets: [s]\n'),
    compose: 'refuse',
    ours: 'refers to undefined secret s',
  },
];

async function composeRefuses(c: Case): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'render-env-validate-'));
  writeFileSync(join(dir, 'compose.yml'), c.text!);
  const run = await dockerCompose(['-p', 'render-env-validate', '-f', 'compose.yml', 'config', '--quiet'], {
    cwd: dir,
    env: c.env ?? {},
  });
  return run.code === 0 ? '' : composeError(run.stderr) || `exit ${run.code}`;
}

function ourRefusal(c: Case): string {
  try {
    loadComposeConfig([{ name: 'compose.yml', text: c.text! }], (k) => c.env?.[k]);
    return '';
  } catch (error) {
    if (!(error instanceof ComposeFileError)) throw error;
    return error.message;
  }
}

describe('render-env refuses what docker compose refuses', () => {
  const verdicts = new Map<string, string>();
  beforeAll(async () => {
    const results = await pool(
      cases.map((c) => async () => [c.name, await composeRefuses(c)] as const),
      4,
    );
    for (const [name, verdict] of results) verdicts.set(name, verdict);
  });

  it.each(cases)('$name: compose $compose', (c) => {
    const compose = verdicts.get(c.name)!;
    const ours = ourRefusal(c);
    if (c.compose === 'refuse') expect(compose).not.toBe('');
    else expect(compose).toBe('');
    if (c.compose === 'accept') {
      expect(ours).toBe('');
    } else {
      expect(ours).toContain('docker compose would refuse this file');
      expect(ours).toContain(c.ours!);
    }
  });

  it('lists every problem at once, naming the file when there are several', () => {
    let message = '';
    try {
      loadComposeConfig(
        [
          {
            name: 'a.yml',
            text: 'services:\n  app:\n    image: ${APP_IMAGE}\n    volumes: ["${DATA}:/media/"]\n',
          },
          { name: 'b.yml', text: 'services:\n  app:\n    ports: ["abc"]\n' },
        ],
        () => undefined,
      );
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(
      'a.yml, b.yml: docker compose would refuse these files (2 problems):\n' +
        '  - a.yml: services.app.volumes.0: invalid spec: :/media/: empty section between colons (written "${DATA}:/media/": is a variable in it empty or unset?)\n' +
        '  - b.yml: services.app.ports.0: Invalid containerPort: abc',
    );
  });
});

describeWithLab('what docker compose config accepts but up refuses, on the lab engine', (lab) => {
  // `create` is the part of `up` that asks the engine; the image is the lab's own, never pulled.
  const image = lab.images.db;
  const upCases = [
    {
      name: 'an unknown restart policy',
      body: `    image: ${image}\n    restart: sometimes\n`,
      engine: "invalid restart policy 'sometimes'",
      ours: 'invalid restart policy',
    },
    {
      name: 'a relative mount path in the container',
      body: `    image: ${image}\n    volumes: ["/tmp:data"]\n`,
      engine: 'must be absolute',
      ours: 'must be absolute',
    },
    {
      name: 'an unknown capability',
      body: `    image: ${image}\n    cap_add: [NOPE]\n`,
      engine: 'unknown capability: "CAP_NOPE"',
      ours: 'unknown capability',
    },
    {
      name: 'a malformed security_opt',
      body: `    image: ${image}\n    security_opt: [bogus]\n`,
      engine: 'Invalid security-opt: "bogus"',
      ours: 'Invalid security-opt',
    },
    {
      name: 'a memory limit under 6 MB',
      body: `    image: ${image}\n    mem_limit: 1k\n`,
      engine: 'Minimum memory limit allowed is 6MB',
      ours: 'Minimum memory limit allowed is 6MB',
    },
    {
      name: 'a relative tmpfs path',
      body: `    image: ${image}\n    tmpfs: [relative]\n`,
      engine: 'must be absolute',
      ours: 'must be absolute',
    },
    {
      name: 'an upper-case image reference',
      body: `    image: ${image.replace('/lab/', '/Lab/')}\n`,
      engine: 'repository name must be lowercase',
      ours: 'repository name must be lowercase',
    },
  ];

  it.each(upCases)(
    '$name: compose config accepts it, the engine refuses it at up, and so do we',
    async (c) => {
      const dir = mkdtempSync(join(tmpdir(), 'render-env-up-'));
      const text = `services:\n  a:\n    pull_policy: never\n${c.body}`;
      writeFileSync(join(dir, 'compose.yml'), text);
      const project = `render-env-up-${process.pid}-${upCases.indexOf(c)}`;
      const env = { DOCKER_HOST: lab.dockerHost };
      const config = await labExec(
        ['docker', 'compose', '-p', project, '-f', 'compose.yml', 'config', '--quiet'],
        { cwd: dir, env },
      );
      expect(config.code).toBe(0);
      try {
        const create = await labExec(['docker', 'compose', '-p', project, '-f', 'compose.yml', 'create'], {
          cwd: dir,
          env,
          timeoutMs: 60_000,
        });
        expect(create.code).not.toBe(0);
        expect(create.stderr).toContain(c.engine);
      } finally {
        await labExec(['docker', 'compose', '-p', project, '-f', 'compose.yml', 'down', '--remove-orphans'], {
          cwd: dir,
          env,
          timeoutMs: 60_000,
        });
      }
      expect(ourRefusal({ name: c.name, text, compose: 'up' })).toContain(c.ours);
    },
  );
});
