import { checkPolicy, parsePorts, type ComposeModel, type PolicyRule } from '../src/index.js';

// A service that passes every rule; each test breaks one thing.
const hardened = {
  image: 'registry/app@sha256:' + 'c'.repeat(64),
  restart: 'unless-stopped',
  healthcheck: { test: ['CMD', 'true'] },
  security_opt: ['no-new-privileges:true'],
  cap_drop: ['ALL'],
  deploy: { resources: { limits: { memory: '512M', cpus: '1.0' } } },
  logging: { driver: 'json-file', options: { 'max-size': '10m' } },
};
const rulesFor = (
  service: Record<string, unknown>,
  options: Parameters<typeof checkPolicy>[1] = {},
  name = 'app',
): PolicyRule[] =>
  checkPolicy({ services: { [name]: { ...hardened, ...service } } } as ComposeModel, options).map(
    (f) => f.rule,
  );

describe('checkPolicy', () => {
  it('finds nothing in a hardened service', () => {
    expect(rulesFor({})).toEqual([]);
  });

  it('flags a database that publishes a port', () => {
    expect(rulesFor({ image: 'postgres:16', ports: ['5432:5432'] })).toEqual(['internal-port-published']);
  });

  it('recognises caches and queues by image name, whatever the registry', () => {
    expect(rulesFor({ image: 'docker.io/bitnami/redis:7', ports: ['6379:6379'] })).toEqual([
      'internal-port-published',
    ]);
    expect(
      rulesFor({ image: 'rabbitmq:3-management', ports: [{ target: 15672, published: 15672 }] }),
    ).toEqual(['internal-port-published']);
  });

  it('lets a database publish on loopback only', () => {
    expect(rulesFor({ image: 'mariadb:11', ports: ['127.0.0.1:3306:3306'] })).toEqual([]);
  });

  it('flags a port on all interfaces when a BIND_IP variable exists', () => {
    const env = new Map([['BIND_IP', '10.0.0.5']]);
    expect(rulesFor({ ports: ['8080:80'] }, { env })).toEqual(['port-on-all-interfaces']);
    expect(rulesFor({ ports: ['10.0.0.5:8080:80'] }, { env })).toEqual([]);
  });

  it('does not flag ports on all interfaces when no BIND_IP-style variable exists', () => {
    expect(rulesFor({ ports: ['8080:80'] })).toEqual([]);
  });

  it('names the bind variable in the fix', () => {
    const [finding] = checkPolicy(
      { services: { web: { ...hardened, ports: ['0.0.0.0:443:443'] } } } as ComposeModel,
      {
        env: new Map([['APP_BIND_IP', '10.0.0.5']]),
      },
    );
    expect(finding!.fix).toBe('Bind it: "${APP_BIND_IP}:443:443".');
  });

  it('flags a long-running service without a restart policy', () => {
    expect(rulesFor({ restart: undefined })).toEqual(['no-restart-policy']);
  });

  it('accepts deploy.restart_policy as a restart policy', () => {
    expect(
      rulesFor({ restart: undefined, deploy: { ...hardened.deploy, restart_policy: { condition: 'any' } } }),
    ).toEqual([]);
  });

  it('flags a long-running service without a healthcheck, or with it disabled', () => {
    expect(rulesFor({ healthcheck: undefined })).toEqual(['no-healthcheck']);
    expect(rulesFor({ healthcheck: { disable: true } })).toEqual(['no-healthcheck']);
  });

  it('does not ask a one-off migrator for a restart policy or a healthcheck', () => {
    expect(rulesFor({ restart: undefined, healthcheck: undefined }, {}, 'migrate')).toEqual([]);
    expect(rulesFor({ restart: 'no', healthcheck: undefined }, {}, 'worker')).toEqual([]);
  });

  it('flags a service without no-new-privileges', () => {
    expect(rulesFor({ security_opt: undefined })).toEqual(['no-new-privileges-missing']);
  });

  it('flags a service that does not drop ALL capabilities', () => {
    expect(rulesFor({ cap_drop: undefined })).toEqual(['cap-drop-missing']);
    expect(rulesFor({ cap_drop: ['NET_RAW'] })).toEqual(['cap-drop-missing']);
  });

  it('flags a service without memory or CPU limits, and accepts mem_limit and cpus', () => {
    expect(rulesFor({ deploy: undefined })).toEqual(['no-resource-limits']);
    expect(rulesFor({ deploy: undefined, mem_limit: '1g', cpus: 2 })).toEqual([]);
  });

  it('says which limit is missing', () => {
    const [finding] = checkPolicy({
      services: { app: { ...hardened, deploy: undefined, mem_limit: '1g' } },
    } as ComposeModel);
    expect(finding!.message).toContain('no CPU limit');
  });

  it('flags json-file logging without max-size, and accepts drivers that rotate', () => {
    expect(rulesFor({ logging: undefined })).toEqual(['no-log-rotation']);
    expect(rulesFor({ logging: { driver: 'local' } })).toEqual([]);
  });

  it('flags build: only in a deploy-only stack', () => {
    expect(rulesFor({ build: '.' })).toEqual([]);
    expect(rulesFor({ build: '.' }, { deployOnly: true })).toEqual(['build-in-deploy-only-stack']);
  });

  it('flags named and anonymous volumes when a DATA_DIR variable asks for host paths', () => {
    const env = new Map([['DATA_DIR', '/opt/shop/prod/data']]);
    const volumes = [
      'pgdata:/var/lib/postgresql/data',
      '/cache',
      '${DATA_DIR}/x:/x',
      '/opt/shop/prod/data/y:/y',
      './conf:/conf:ro',
    ];
    const findings = checkPolicy({ services: { db: { ...hardened, volumes } } } as ComposeModel, { env });
    expect(findings.map((f) => f.message)).toEqual([
      "keeps /var/lib/postgresql/data in the named volume 'pgdata', not in a host path.",
      'keeps /cache in an anonymous volume, not in a host path.',
    ]);
    expect(findings[0]!.fix).toBe(
      'Mount a host path: "${DATA_DIR}/db:/var/lib/postgresql/data" (under /opt/shop/prod/data).',
    );
  });

  it('flags long-syntax volumes of type volume when data-root is given', () => {
    const volumes = [
      { type: 'volume', source: 'data', target: '/data' },
      { type: 'bind', source: '/opt/a', target: '/a' },
    ];
    expect(rulesFor({ volumes }, { dataRoot: '/opt/shop/prod/data' })).toEqual(['data-volume-not-host-path']);
  });

  it('leaves named volumes alone when nobody asked for host paths', () => {
    expect(rulesFor({ volumes: ['pgdata:/var/lib/postgresql/data'] })).toEqual([]);
  });
});

describe('parsePorts', () => {
  it('reads the host IP, published and target ports of the short and long forms', () => {
    expect(
      parsePorts([
        '80',
        '8080:80',
        '127.0.0.1:8080:80/tcp',
        '[::1]:53:53/udp',
        9000,
        { host_ip: '10.0.0.1', published: '1', target: 2 },
      ]),
    ).toEqual([
      { hostIp: '', published: '', target: '80', text: '80' },
      { hostIp: '', published: '8080', target: '80', text: '8080:80' },
      { hostIp: '127.0.0.1', published: '8080', target: '80', text: '127.0.0.1:8080:80/tcp' },
      { hostIp: '::1', published: '53', target: '53', text: '[::1]:53:53/udp' },
      { hostIp: '', published: '', target: '9000', text: '9000' },
      { hostIp: '10.0.0.1', published: '1', target: '2', text: '10.0.0.1:1:2' },
    ]);
  });
});

describe('checkPolicy with target: swarm', () => {
  const swarmReady = {
    deploy: {
      ...hardened.deploy,
      update_config: { order: 'start-first', failure_action: 'rollback' },
    },
  };

  it('finds nothing in a hardened service that updates start-first and rolls back on failure', () => {
    expect(rulesFor(swarmReady, { target: 'swarm' })).toEqual([]);
  });

  it('flags an update that stops the old task first, and one that pauses on failure', () => {
    expect(rulesFor({}, { target: 'swarm' })).toEqual(['swarm-update-order', 'swarm-update-failure-action']);
    expect(
      rulesFor(
        {
          deploy: {
            ...swarmReady.deploy,
            update_config: { order: 'stop-first', failure_action: 'rollback' },
          },
        },
        { target: 'swarm' },
      ),
    ).toEqual(['swarm-update-order']);
  });

  it('keeps no-healthcheck as the one healthcheck rule', () => {
    expect(rulesFor({ ...swarmReady, healthcheck: { disable: true } }, { target: 'swarm' })).toEqual([
      'no-healthcheck',
    ]);
  });

  it('flags a build-only service, also a one-off; the update rules skip one-off services', () => {
    const { image: _image, ...noImage } = hardened;
    const findings = checkPolicy({ services: { migrate: { ...noImage, build: '.' } } } as ComposeModel, {
      target: 'swarm',
    });
    expect(findings.map((f) => f.rule)).toEqual(['swarm-build-without-image']);
    expect(findings[0]!.message).toMatch(/^has build: but no image/);
  });

  it('drops the restart-policy rule (swarm restarts failed tasks) and not a relative bind mount', () => {
    const { restart: _restart, ...noRestart } = hardened;
    const findings = checkPolicy(
      { services: { app: { ...noRestart, ...swarmReady, volumes: ['./conf:/conf'] } } } as ComposeModel,
      { target: 'swarm' },
    );
    expect(findings).toEqual([]);
    expect(rulesFor({ restart: undefined })).toEqual(['no-restart-policy']);
  });
});
