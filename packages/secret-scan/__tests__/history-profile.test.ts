import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Logger } from '@deploy-actions/action-kit';
import { runSecretScan } from '@deploy-actions/secret-scan';

// A minified bundle gets the exact-format rules only, in commit modes as in the tree: the
// history reader knows each file's longest added line and skips the minified check when no
// line is long enough to count, so both must still decide alike.
const work = mkdtempSync(join(tmpdir(), 'secret-scan-history-profile-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const quiet: Logger = {
  info() {},
  notice() {},
  warning() {},
  error() {},
  debug() {},
  mask() {},
  group: (_title, fn) => fn(),
};

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

describe('history scans and generated text', () => {
  it('treat a minified bundle as in the tree, and a hand-written file with the same line as code', async () => {
    const repo = join(work, 'repo');
    mkdirSync(repo);
    git(repo, 'init', '-q', '-b', 'main');
    const assignment = 'password: "Zq8#vLp2!xR7@tKw"';
    const files: Record<string, string> = {
      // One 6000-byte line of code: minified, so the broad `name = value` rules do not run.
      'public/bundle.js': `!function(){var db={${assignment}};${'x=1;'.repeat(1500)}}();\n`,
      // The same assignment in lines of ordinary length (and over 4096 bytes in all).
      'src/db.js': `export const db = {\n  ${assignment},\n};\n${'// padding line of a hand-written file\n'.repeat(120)}`,
      // Exactly 1000-byte lines: not long enough to count towards minified.
      'src/table.js': `const db = { ${assignment} };\n${`// ${'y'.repeat(997)}\n`.repeat(6)}`,
    };
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(dirname(join(repo, file)), { recursive: true });
      writeFileSync(join(repo, file), text);
    }
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'add');
    const history = await runSecretScan({ path: repo, mode: 'history', threads: 1 }, quiet);
    const tree = await runSecretScan({ path: repo, mode: 'tree', threads: 1 }, quiet);
    const filesOf = (r: typeof history) => [...new Set(r.findings.map((f) => f.file))].sort();
    expect(filesOf(history)).toEqual(['src/db.js', 'src/table.js']);
    expect(filesOf(tree)).toEqual(filesOf(history));
  });
});
