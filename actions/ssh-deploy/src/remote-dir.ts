import { posix } from 'node:path';

/**
 * Directories remote-dir may never be, nor be inside: the system's own trees.
 * A deploy copies files into remote-dir and removes files it wrote there before,
 * so one of these as remote-dir could break the host.
 */
const SYSTEM_TREES = [
  '/bin',
  '/boot',
  '/dev',
  '/etc',
  '/lib',
  '/lib32',
  '/lib64',
  '/libx32',
  '/proc',
  '/run',
  '/sbin',
  '/sys',
  '/usr',
  '/var/lib/docker',
  '/var/lib/containerd',
  '/var/run',
  '/var/lock',
  '/var/log',
  '/var/spool',
  '/var/cache',
  '/var/mail',
  '/var/backups',
];

/**
 * Directories that are shared roots: remote-dir may be below them (`/srv/myapp`,
 * `/home/deploy/app`, `/opt/myapp/prod`, `/var/www/app`) but never the directory itself.
 */
const SHARED_ROOTS = [
  '/',
  '/home',
  '/media',
  '/mnt',
  '/opt',
  '/root',
  '/snap',
  '/srv',
  '/tmp',
  '/usr/local',
  '/var',
  '/var/lib',
  '/var/opt',
  '/var/tmp',
  '/var/www',
  '/lost+found',
];

/** `/usr/local/<name>` holds an application (allowed); these names are the system's own. */
const USR_LOCAL_SYSTEM = new Set([
  'bin',
  'sbin',
  'lib',
  'lib64',
  'libexec',
  'include',
  'share',
  'etc',
  'man',
  'src',
  'games',
]);

/**
 * Normalises remote-dir (`//`, `/./`, `/x/..`, trailing `/`) as the host's
 * filesystem would read it. Returns the normalised directory, or the reason it
 * cannot be used, phrased for the user.
 */
export function checkRemoteDir(value: string): { dir: string } | { problem: string } {
  if (/[\0\r\n]/.test(value)) return { problem: `'${value}' is not a usable path (NUL or line break).` };
  if (!value.startsWith('/'))
    return { problem: `'${value}' must be an absolute directory on the host (e.g. /opt/myapp/prod).` };
  if (value.split('/').includes('..'))
    return {
      problem: `'${value}' must not contain '..'; write the directory it means (e.g. /opt/myapp/prod).`,
    };
  // POSIX lets a path start with exactly two slashes mean something else; no deploy host relies on it.
  let dir = posix.normalize(value.replace(/^\/+/, '/'));
  if (dir.length > 1) dir = dir.replace(/\/+$/, '');
  const said = dir === value ? `'${value}'` : `'${value}' (that is ${dir})`;
  if (SHARED_ROOTS.includes(dir)) {
    return {
      problem: `${said} is ${dir === '/' ? 'the root directory' : 'a shared system directory'}; use a directory of its own below it (e.g. ${dir === '/' ? '/opt/myapp/prod' : `${dir}/myapp`}).`,
    };
  }
  const tree = SYSTEM_TREES.find((t) => dir === t || dir.startsWith(`${t}/`));
  const usrLocal = /^\/usr\/local\/([^/]+)/.exec(dir);
  const inUsrLocalApp = usrLocal !== null && !USR_LOCAL_SYSTEM.has(usrLocal[1]!);
  if (tree && !(tree === '/usr' && inUsrLocalApp)) {
    return {
      problem: `${said} is ${dir === tree ? '' : 'inside '}the system directory ${tree}; deploy into a directory of the stack's own (e.g. /opt/myapp/prod or /srv/myapp).`,
    };
  }
  return { dir };
}
