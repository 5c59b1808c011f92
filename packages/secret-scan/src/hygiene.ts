import { fingerprintOf, sha256Hex } from './redact.js';
import type { Finding } from './types.js';

const TEMPLATE_SUFFIXES = /\.(?:example|sample|template|tpl|dist|defaults?|schema|in)$/i;

/** `.env`, `.env.production`, `.env.local`… but not the templates teams commit on purpose. */
export function isCommittedEnvName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^\.env(?:\.[\w.-]+)?$/i.test(name) && !TEMPLATE_SUFFIXES.test(name);
}

export function isDockerfileName(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    /^(?:Dockerfile|Containerfile)(?:\.[\w.-]+)?$/i.test(name) ||
    /\.(?:Dockerfile|Containerfile)$/i.test(name)
  );
}

function hygieneFinding(
  ruleId: string,
  description: string,
  file: string,
  line: number,
  commit?: string,
): Finding {
  const secretHash = sha256Hex(`${ruleId}:${file}`);
  return {
    ruleId,
    description,
    file,
    line,
    column: 1,
    commit,
    secret: '',
    secretHash,
    redacted: '',
    fingerprint: fingerprintOf(ruleId, file, secretHash),
    entropy: 0,
  };
}

/** Findings about the scan itself, which no baseline or ignore file can accept. */
export const UNACCEPTABLE_RULES: ReadonlySet<string> = new Set(['not-fully-scanned', 'scan-config-changed']);

/** Part of the input was not scanned (a time budget ran out): the gate cannot call it clean. */
export function notFullyScannedFinding(file: string, line: number, why: string, commit?: string): Finding {
  return hygieneFinding(
    'not-fully-scanned',
    `Not fully scanned: ${why}. A secret there would not have been found; split the file, exclude it in .gitleaks.toml, or raise time-budget.`,
    file,
    line,
    commit,
  );
}

/** A pull request changes a file that decides what the scan ignores (the scan used the base commit's). */
export function configChangedFinding(file: string, commit?: string): Finding {
  return hygieneFinding(
    'scan-config-changed',
    `This change edits ${file}, which decides what the secret scan ignores. This scan used the base commit's version; review the change before merging, since it applies from then on.`,
    file,
    1,
    commit,
  );
}

export function committedEnvFinding(file: string, commit?: string): Finding {
  return hygieneFinding(
    'committed-dotenv',
    'A .env file is committed: it usually holds the secrets themselves. Commit a .env.example instead and add .env to .gitignore.',
    file,
    1,
    commit,
  );
}

/**
 * Whether a `.dockerignore` keeps `.env` out of the build context. Patterns
 * follow Docker's rules: later lines win, `!` re-includes, `**` spans folders,
 * a leading `/` or `./` is dropped.
 */
export function dockerignoreExcludesEnv(content: string): boolean {
  let excluded = false;
  for (const raw of content.split(/\r?\n/)) {
    let pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    const negate = pattern.startsWith('!');
    if (negate) pattern = pattern.slice(1).trim();
    pattern = pattern.replace(/^\.?\//, '').replace(/\/+$/, '');
    if (globToRegExp(pattern).test('.env')) excluded = !negate;
  }
  return excluded;
}

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') {
      if (glob[i + 1] === '*') {
        out += '.*';
        i++;
        if (glob[i + 1] === '/') i++;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else if (ch === '[') {
      const end = glob.indexOf(']', i);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '\\' && i + 1 < glob.length) out += `\\${glob[++i]}`;
    else out += ch.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The line of the first COPY/ADD that takes the whole context (`.`, `./`, `*`), or 0 when none does. */
function wholeContextCopyLine(dockerfile: string): number {
  const lines = dockerfile.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^\s*(?:COPY|ADD)\s+(.*)$/i.exec(lines[i]!);
    if (!m) continue;
    const args = m[1]!.split(/\s+/).filter((a) => !a.startsWith('--'));
    const sources = args.slice(0, -1);
    if (sources.some((s) => /^(?:\.|\.\/|\*|\.\/\*|\[?"?\.\/?"?,?)$/.test(s))) return i + 1;
  }
  return 0;
}

/**
 * A Dockerfile that copies its whole context, where no `.dockerignore` (the
 * context's, or BuildKit's `<Dockerfile>.dockerignore`) excludes `.env`: the
 * secrets file on a developer's machine or a deploy host ends up in the image.
 * The context is taken to be the Dockerfile's folder, as `docker build <dir>`
 * and compose's default `build: <dir>` use it.
 */
export function dockerContextFinding(
  dockerfilePath: string,
  read: (path: string) => string | undefined,
  commit?: string,
): Finding | undefined {
  const dockerfile = read(dockerfilePath);
  if (dockerfile === undefined) return undefined;
  const line = wholeContextCopyLine(dockerfile);
  if (line === 0) return undefined;
  const dir = dockerfilePath.includes('/')
    ? dockerfilePath.slice(0, dockerfilePath.lastIndexOf('/') + 1)
    : '';
  const ignore = read(`${dockerfilePath}.dockerignore`) ?? read(`${dir}.dockerignore`);
  if (ignore !== undefined && dockerignoreExcludesEnv(ignore)) return undefined;
  const why =
    ignore === undefined ? `there is no ${dir}.dockerignore` : `${dir}.dockerignore does not exclude .env`;
  return hygieneFinding(
    'docker-context-includes-env',
    `This Dockerfile copies its whole build context and ${why}, so a local .env would be baked into the image. Add .env (and .env.*) to ${dir}.dockerignore.`,
    dockerfilePath,
    line,
    commit,
  );
}
