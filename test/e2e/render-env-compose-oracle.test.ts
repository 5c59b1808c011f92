/**
 * The real Docker Compose v2 is the oracle for the `compose-config` output: for every example
 * stack (docs/examples/*, test/fixtures/render-env) the bundled action renders the env file and
 * the config, then `docker compose config` reads (a) the original compose file(s) with the
 * rendered env file and (b) our `compose-config` with the same env file. Both must be the same
 * data.
 *
 * Normalisation, and why: `compose-config` is interpolated and merged but written in the
 * short forms the user wrote (`"8080:8080"`), while `docker compose config` prints its canonical
 * long forms (`{target: 8080, published: "8080", protocol: tcp, ...}`), sizes in bytes, absolute
 * paths. Feeding our output back through Compose lets Compose canonicalise both sides itself, so
 * nothing of our own code sits in the comparison; `$$` and the `${SECRET}` references in our
 * output are resolved by Compose with the env file, exactly as on the host.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDotenv } from '@deploy-actions/compose-env';
import { repoRoot, runAction, visibleText } from '../harness/run-action.js';
import { composeConfigJson } from './compose-oracle.js';

// Values with every character a dotenv or compose file treats specially.
const SECRETS = {
  one: `p@ss$word "q" 'x' #h {b} \\n $$ \${NOT}`,
  two: 'tab\there $1 `cmd` ;&|<>',
  three: 'line1\nline2 = ok',
};
const DIGEST = (n: number): string => `sha256:${String(n).repeat(64).slice(0, 64)}`;

interface Stack {
  name: string;
  /** Folder of the stack, relative to the repository. */
  dir: string;
  inputs: Record<string, string>;
  /** Extra files written into the copy (an override file, ...). */
  extra?: Record<string, string>;
}

const stacks: Stack[] = [
  {
    name: 'test/fixtures/render-env/stack',
    dir: 'test/fixtures/render-env/stack',
    inputs: {
      template: '.env.example',
      'env-files': 'env/prod.env',
      'compose-file': 'compose.yml',
      secrets: JSON.stringify({ POSTGRES_PASSWORD: SECRETS.one }),
    },
  },
  {
    name: 'test/fixtures/render-env/stack with an override file',
    dir: 'test/fixtures/render-env/stack',
    inputs: {
      template: '.env.example',
      'env-files': 'env/prod.env',
      'compose-file': 'compose.yml\ncompose.override.yml',
      secrets: JSON.stringify({ POSTGRES_PASSWORD: SECRETS.two }),
    },
    extra: {
      'compose.override.yml': [
        'services:',
        '  app:',
        '    environment:',
        '      - EXTRA=${LOG_LEVEL}-$${HOME}',
        '      - LOG_LEVEL=debug',
        '    labels: [tier=web]',
        '    cap_drop: [ALL]',
        '    ports: ["${BIND_IP}:8080:8080", "9090:9090"]',
        '    command: run --fast',
        '  db:',
        '    volumes:',
        '      - ${DATA_DIR}/backup:/backup',
        '      - ${DATA_DIR}/pg:/var/lib/postgresql/data',
        '    depends_on: [app]',
        '    labels: { backup: daily }',
        '  cache:',
        '    image: redis:7',
        '    depends_on: { db: { condition: service_healthy } }',
        '    environment: [A=1, B]',
        '',
      ].join('\n'),
    },
  },
  {
    name: 'docs/examples/01-deploy-only-repo',
    dir: 'docs/examples/01-deploy-only-repo',
    inputs: {
      template: '.env.example',
      'env-files': 'env/prod.env',
      'compose-file': 'docker-compose.yml',
      vars: [
        `APP_IMAGE=127.0.0.1:5000/acme/app@${DIGEST(1)}`,
        `POSTGRES_IMAGE=docker.io/library/postgres@${DIGEST(2)}`,
        `REDIS_IMAGE=docker.io/library/redis@${DIGEST(3)}`,
      ].join('\n'),
      secrets: JSON.stringify({ DATABASE_PASSWORD: SECRETS.one, SESSION_SECRET: SECRETS.two }),
    },
  },
  {
    name: 'docs/examples/02-app-migrator-promotion',
    dir: 'docs/examples/02-app-migrator-promotion/deploy',
    inputs: {
      template: '.env.example',
      'env-files': 'env/production.env',
      'compose-file': 'docker-compose.yml',
      vars: `APP_IMAGE=ghcr.io/acme/app@${DIGEST(4)}\nMIGRATOR_IMAGE=ghcr.io/acme/migrator@${DIGEST(5)}`,
      secrets: JSON.stringify({ DATABASE_PASSWORD: SECRETS.three, SECRET_KEY: SECRETS.one }),
    },
  },
  {
    name: 'docs/examples/03-bot-api-frontend-postgres',
    dir: 'docs/examples/03-bot-api-frontend-postgres',
    inputs: {
      template: '.env.example',
      'compose-file': 'docker-compose.yml',
      vars: [
        `BOT_IMAGE=ghcr.io/acme/bot@${DIGEST(6)}`,
        `API_IMAGE=ghcr.io/acme/api@${DIGEST(7)}`,
        `FRONTEND_IMAGE=ghcr.io/acme/web@${DIGEST(8)}`,
      ].join('\n'),
      secrets: JSON.stringify({
        POSTGRES_PASSWORD: SECRETS.two,
        JWT_SECRET: SECRETS.three,
        BOT_TOKEN: '123456:ABC-def',
      }),
    },
  },
  {
    name: 'docs/examples/04-self-hosted-per-branch',
    dir: 'docs/examples/04-self-hosted-per-branch',
    inputs: {
      template: '.env.example',
      'compose-file': 'docker-compose.yml',
      vars: 'COMPOSE_PROJECT_NAME=myapp-feature-x\nAPP_ENV=feature-x\nBIND_IP=127.0.0.7\nDATA_DIR=/srv/myapp/feature-x\nGIT_COMMIT=0123abc',
      secrets: JSON.stringify({ DATABASE_PASSWORD: SECRETS.one }),
    },
  },
];

describe('compose-config against the real docker compose config (v2)', () => {
  it.each(stacks)(
    '$name: Compose reads our compose-config exactly as it reads the compose file(s)',
    async (stack) => {
      const ws = mkdtempSync(join(tmpdir(), 'render-env-oracle-ws-'));
      cpSync(join(repoRoot, stack.dir), ws, { recursive: true });
      for (const [file, text] of Object.entries(stack.extra ?? {})) writeFileSync(join(ws, file), text);
      const run = await runAction('render-env', {
        inputs: { ...stack.inputs, output: 'rendered.env' },
        workspace: ws,
        timeoutMs: 30_000,
      });
      expect(run.annotations.filter((a) => a.level === 'error')).toEqual([]);
      expect(run.exitCode).toBe(0);
      const config = run.outputs['compose-config']!;
      // The output holds secrets only as references, never as values.
      for (const secret of Object.values(JSON.parse(stack.inputs['secrets']!) as Record<string, string>)) {
        expect(visibleText(run)).not.toContain(secret);
      }
      writeFileSync(join(ws, 'ours.yml'), config);
      // The rendered file reads back to the secrets given (compose parses it below).
      const rendered = parseDotenv(readFileSync(join(ws, 'rendered.env'), 'utf8'));
      for (const [key, value] of Object.entries(
        JSON.parse(stack.inputs['secrets']!) as Record<string, string>,
      )) {
        expect(rendered.get(key)).toBe(value);
      }

      const options = { cwd: ws, project: 'render-env-oracle', envFile: join(ws, 'rendered.env') };
      const original = await composeConfigJson(stack.inputs['compose-file']!.split('\n'), options);
      const ours = await composeConfigJson(['ours.yml'], options);
      expect(ours).toEqual(original);
      // And the values really are there: a secret reached the config Compose resolved.
      expect(JSON.stringify(original)).toContain(
        JSON.stringify(
          Object.values(JSON.parse(stack.inputs['secrets']!) as Record<string, string>)[0]!.replace(
            /\$/g,
            '$$$$',
          ),
        ).slice(1, -1),
      );
    },
  );
});
