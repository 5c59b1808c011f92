// secret-scan-gate throughput and accuracy, against gitleaks 8.16 and secretlint on the same
// inputs in the same run: the same tree, the same git history, the same labelled corpus.
//
//   npm run build -- secret-scan-gate && node bench/secret-scan.bench.mjs
//
// The engine runs twice on each input: in one thread, and with the default worker threads
// (the cores, at most 4). SECRET_SCAN_BENCH_BASELINE=<an older dist/secret-scan-gate/index.js>
// adds that bundle's rows, for a before/after on the same inputs in the same run.
//
// gitleaks is the lab's (/usr/local/lib/deploy-lab/bin/gitleaks, or SECRET_SCAN_BENCH_GITLEAKS);
// without it the gitleaks rows are left out and the run says so.
// Env: SECRET_SCAN_BENCH_SECRETLINT_LIMIT_S (stop secretlint after this long, default 40),
// SECRET_SCAN_BENCH_ONLY=history (only the history rows: the tree is still copied, as the
// history's source files, but not timed; no secretlint, no accuracy),
// SECRET_SCAN_BENCH_HISTORY_RUNS (runs of each bundle and of gitleaks on the history, taking turns; default 3),
// SECRET_SCAN_BENCH_KEEP=1 (keep the temp dir: the tree and the history, to time other tools on),
// SECRET_SCAN_BENCH_MB (tree size, default 200), SECRET_SCAN_BENCH_SAMPLE_MB (the part
// secretlint also scans, default 12: it is far slower), SECRET_SCAN_BENCH_COMMITS (default 6000).
// Everything is local: files copied to a temp dir, a git history generated with fast-import.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { performance } from 'node:perf_hooks';
import ts from 'typescript';
import { actionNode } from '../test/harness/runner.mjs';

const root = new URL('..', import.meta.url).pathname;
const lib = join(root, 'packages/secret-scan/lib/index.js');
const bundle = join(root, 'dist/secret-scan-gate/index.js');
const secretlintBin = join(root, 'node_modules/.bin/secretlint');
for (const [what, file] of [
  ['the compiled package (npm run build -- secret-scan-gate)', lib],
  ['the bundle', bundle],
  ['secretlint (npm install -w packages/secret-scan)', secretlintBin],
]) {
  if (!existsSync(file)) {
    console.error(`missing ${what}: ${file}`);
    process.exit(1);
  }
}
const { runSecretScan, SecretScanner, defaultRuleSet, builtinRules } = await import(lib);
// The labelled corpus is test data (test/fixtures), not part of the package: transpiled here.
const corpusTs = readFileSync(join(root, 'test/fixtures/secret-scan/corpus.ts'), 'utf8');
const corpusJs = ts.transpileModule(corpusTs, {
  compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
}).outputText;
const { generateLabelledCorpus, evaluateCorpus, scoreCorpusHits } = await import(
  `data:text/javascript,${encodeURIComponent(corpusJs)}`
);
const gitleaksBin = process.env.SECRET_SCAN_BENCH_GITLEAKS ?? '/usr/local/lib/deploy-lab/bin/gitleaks';
const haveGitleaks = existsSync(gitleaksBin);
if (!haveGitleaks) console.log(`gitleaks not found at ${gitleaksBin}: its rows are left out`);

const MB = 1024 * 1024;
const treeCap = Number(process.env.SECRET_SCAN_BENCH_MB ?? 200) * MB;
const sampleCap = Number(process.env.SECRET_SCAN_BENCH_SAMPLE_MB ?? 25) * MB;
const secretlintLimitMs = Number(process.env.SECRET_SCAN_BENCH_SECRETLINT_LIMIT_S ?? 40) * 1000;
const commits = Number(process.env.SECRET_SCAN_BENCH_COMMITS ?? 6000);
const work = mkdtempSync(join(tmpdir(), 'secret-scan-bench-'));
const quiet = { info() {}, warning() {}, error() {}, debug() {}, group: (_t, fn) => fn(), mask() {} };
const rows = [];
const cores = Math.min(4, availableParallelism());
const baseline = process.env.SECRET_SCAN_BENCH_BASELINE;
const onlyHistory = process.env.SECRET_SCAN_BENCH_ONLY === 'history';
const mbps = (bytes, ms) => (bytes / MB / (ms / 1000)).toFixed(1);

/** Copies regular files from the sources, in directory order, until `cap` bytes. */
function buildTree(dest, sources, cap) {
  let total = 0;
  let files = 0;
  const share = cap / sources.length;
  for (const [name, src] of sources) {
    if (!existsSync(src)) continue;
    let taken = 0;
    const walk = (dir) => {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
        a.name.localeCompare(b.name),
      )) {
        if (taken >= share) return;
        const abs = join(dir, entry.name);
        if (entry.isDirectory()) walk(abs);
        else if (entry.isFile()) {
          const size = lstatSync(abs).size;
          // secretlint skips any path through node_modules; renamed, both tools read the same files.
          const to = join(dest, name, relative(src, abs).replace(/(^|\/)node_modules(?=\/)/g, '$1nm'));
          mkdirSync(dirname(to), { recursive: true });
          copyFileSync(abs, to);
          taken += size;
          files++;
        }
      }
    };
    walk(src);
    total += taken;
  }
  return { total, files };
}

/** Hard-links files of `tree` into `dest` until `cap` bytes, spread over the whole tree. */
function sampleTree(tree, dest, cap, every) {
  let total = 0;
  let i = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      if (total >= cap) return;
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (entry.isFile() && i++ % every === 0) {
        const to = join(dest, relative(tree, abs));
        mkdirSync(dirname(to), { recursive: true });
        linkSync(abs, to);
        total += lstatSync(abs).size;
      }
    }
  };
  walk(tree);
  return total;
}

function timeSecretlint(dir) {
  const rc = join(work, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const started = performance.now();
  // secretlint can spend minutes on one large generated file; past the limit it is stopped and
  // its time is reported as a lower bound.
  const result = spawnSync(
    secretlintBin,
    ['--secretlintrc', rc, '--format', 'compact', '--no-color', '--maskSecrets', '**/*'],
    { cwd: dir, encoding: 'utf8', maxBuffer: 1024 * MB, timeout: secretlintLimitMs, killSignal: 'SIGKILL' },
  );
  const ms = performance.now() - started;
  if (result.error?.code === 'ETIMEDOUT' || result.signal === 'SIGKILL')
    return { ms, findings: '(stopped)', status: null, stopped: true };
  const findings = result.stdout.split('\n').filter((l) => /: line \d+, col \d+, /.test(l)).length;
  return { ms, findings, status: result.status };
}

/** gitleaks 8.16 on a directory (`--no-git`) or a repository's history; findings from its JSON report. */
function timeGitleaks(dir, history) {
  const report = join(mkdtempSync(join(work, 'gitleaks-')), 'report.json');
  const args = [
    'detect',
    '--source',
    dir,
    '--report-format',
    'json',
    '--report-path',
    report,
    '--redact',
    '--exit-code',
    '0',
    '--no-banner',
    '--log-level',
    'error',
  ];
  if (!history) args.push('--no-git');
  const started = performance.now();
  const result = spawnSync(gitleaksBin, args, { cwd: dir, encoding: 'utf8', maxBuffer: 256 * MB });
  const ms = performance.now() - started;
  let findings = [];
  try {
    findings = JSON.parse(readFileSync(report, 'utf8'));
  } catch {
    findings = [];
  }
  return {
    ms,
    findings: findings.length,
    report: findings,
    status: result.status,
    error: result.status === 0 ? undefined : result.stderr.slice(-500),
  };
}

function timeBundle(dir, mode, file = bundle) {
  const out = mkdtempSync(join(work, 'run-'));
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_WORKSPACE: dir,
    RUNNER_TEMP: out,
    GITHUB_OUTPUT: join(out, 'out'),
    GITHUB_STEP_SUMMARY: join(out, 'summary'),
    INPUT_MODE: mode,
    'INPUT_FAIL-ON': 'none',
    'INPUT_SARIF-FILE': join(out, 's.sarif'),
    'INPUT_REPORT-FILE': join(out, 'r.json'),
  };
  writeFileSync(env.GITHUB_OUTPUT, '');
  const started = performance.now();
  const result = spawnSync(actionNode().path, [file], {
    cwd: dir,
    env,
    encoding: 'utf8',
    maxBuffer: 256 * MB,
  });
  const ms = performance.now() - started;
  const findings = Number(
    /findings<<[^\n]+\n(\d+)/.exec(readFileSync(env.GITHUB_OUTPUT, 'utf8'))?.[1] ?? NaN,
  );
  return { ms, findings, status: result.status };
}

// --- 1. a large tree -------------------------------------------------------
const tree = join(work, 'tree');
let t = performance.now();
const built = buildTree(
  tree,
  [
    ['python', '/root/.pyenv/versions/3.11.7/lib/python3.11'],
    ['js-packages', join(root, 'node_modules')],
  ],
  treeCap,
);
console.log(
  `bundles run on node ${actionNode().version} (the runner's), in-process rows on ${process.version}`,
);
console.log(
  `tree: ${built.files} files, ${(built.total / MB).toFixed(0)} MB copied in ${((performance.now() - t) / 1000).toFixed(1)} s`,
);
let full, oursTree, baseTree, leaksTree, oursSample, lint;
let ms;
if (!onlyHistory) {
  t = performance.now();
  full = await runSecretScan({ path: tree, mode: 'tree' }, quiet);
  ms = performance.now() - t;
  t = performance.now();
  const fullOne = await runSecretScan({ path: tree, mode: 'tree', threads: 1 }, quiet);
  const oneMs = performance.now() - t;
  rows.push([
    'tree, engine in-process, 1 thread',
    `${(built.total / MB).toFixed(0)} MB, ${built.files} files`,
    oneMs,
    mbps(built.total, oneMs),
    fullOne.findings.length,
  ]);
  rows.push([
    `tree, engine in-process, ${cores} threads, per tree byte`,
    `${(built.total / MB).toFixed(0)} MB, ${built.files} files`,
    ms,
    mbps(built.total, ms),
    full.findings.length,
  ]);
  rows.push([
    `tree, engine in-process, ${cores} threads, per byte read`,
    `${(full.stats.bytes / MB).toFixed(0)} MB read (${full.skipped.length} binary or over-10-MiB files skipped)`,
    ms,
    mbps(full.stats.bytes, ms),
    full.findings.length,
  ]);

  oursTree = timeBundle(tree, 'tree');
  rows.push([
    'tree, secret-scan-gate bundle (node start included)',
    `${(built.total / MB).toFixed(0)} MB`,
    oursTree.ms,
    mbps(built.total, oursTree.ms),
    oursTree.findings,
  ]);
  baseTree = baseline ? timeBundle(tree, 'tree', baseline) : undefined;
  if (baseTree)
    rows.push([
      'tree, baseline bundle (SECRET_SCAN_BENCH_BASELINE)',
      `${(built.total / MB).toFixed(0)} MB`,
      baseTree.ms,
      mbps(built.total, baseTree.ms),
      baseTree.findings,
    ]);
  leaksTree = haveGitleaks ? timeGitleaks(tree, false) : undefined;
  if (leaksTree)
    rows.push([
      'tree, gitleaks 8.16 detect --no-git',
      `${(built.total / MB).toFixed(0)} MB`,
      leaksTree.ms,
      mbps(built.total, leaksTree.ms),
      leaksTree.findings,
    ]);

  const sample = join(work, 'sample');
  const sampleBytes = sampleTree(
    tree,
    sample,
    sampleCap,
    Math.max(1, Math.round(built.total / sampleCap / 2)),
  );
  oursSample = timeBundle(sample, 'tree');
  lint = timeSecretlint(sample);
  rows.push([
    'sample, secret-scan-gate bundle (node start included)',
    `${(sampleBytes / MB).toFixed(1)} MB`,
    oursSample.ms,
    mbps(sampleBytes, oursSample.ms),
    oursSample.findings,
  ]);
  rows.push([
    `sample, secretlint CLI + preset-recommend${lint.stopped ? ' (stopped at the limit: time is a lower bound)' : ''}`,
    `${(sampleBytes / MB).toFixed(1)} MB`,
    lint.ms,
    `${lint.stopped ? '≤ ' : ''}${mbps(sampleBytes, lint.ms)}`,
    lint.findings,
  ]);
}

// --- 2. a long history -----------------------------------------------------
const repo = join(work, 'history');
mkdirSync(repo);
execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: repo });
// Each commit adds or rewrites one real source file from the copied tree (Python and
// JavaScript), so the history reads like code, not like text made for the benchmark.
const sources = [];
(function collect(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((x, y) =>
    x.name.localeCompare(y.name),
  )) {
    const abs = join(dir, entry.name);
    if (entry.isDirectory()) collect(abs);
    else if (/\.(?:py|js|ts|md|json)$/.test(entry.name) && !entry.name.endsWith('.min.js')) sources.push(abs);
  }
})(tree);
let stream = '';
const chunks = [];
for (let c = 1; c <= commits; c++) {
  const file = sources[(c * 7919) % sources.length];
  const body = `${readFileSync(file, 'utf8').slice(0, 40_000)}\n# revision ${c}\n`;
  const msg = `commit ${c}\n`;
  stream += `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1700000000 + c} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}`;
  stream += `M 644 inline ${relative(tree, file)}\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  if (stream.length > 8 * MB) {
    chunks.push(stream);
    stream = '';
  }
}
chunks.push(stream);
t = performance.now();
execFileSync('git', ['fast-import', '--quiet'], { cwd: repo, input: chunks.join(''), maxBuffer: 64 * MB });
execFileSync('git', ['checkout', '-q', 'main'], { cwd: repo });
console.log(`history: ${commits} commits generated in ${((performance.now() - t) / 1000).toFixed(1)} s`);
t = performance.now();
const logBytes = Number(
  execFileSync('sh', ['-c', 'git log -p -U0 --cc --no-color --format=%H main -- | wc -c'], {
    cwd: repo,
    encoding: 'utf8',
  }).trim(),
);
const gitMs = performance.now() - t;
// The same patches from two gits at once, each on half of the commits: git's own floor
// when it has both cores (the scan reads one git; its own thread is the longer part).
const revs = execFileSync('git', ['rev-list', 'main', '--'], { cwd: repo, encoding: 'utf8' })
  .trim()
  .split('\n');
const half = Math.ceil(revs.length / 2);
writeFileSync(join(work, 'revs-1'), `${revs.slice(0, half).join('\n')}\n`);
writeFileSync(join(work, 'revs-2'), `${revs.slice(half).join('\n')}\n`);
const halfLog = (n) =>
  `git log -p -U0 --cc --no-color --format=%H --no-walk=unsorted --stdin -- < ${join(work, `revs-${n}`)} | wc -c > /dev/null`;
t = performance.now();
execFileSync('sh', ['-c', `${halfLog(1)} & ${halfLog(2)}; wait`], { cwd: repo });
const gitTwoMs = performance.now() - t;
t = performance.now();
const hist = await runSecretScan({ path: repo, mode: 'history' }, quiet);
ms = performance.now() - t;
t = performance.now();
const histOne = await runSecretScan({ path: repo, mode: 'history', threads: 1 }, quiet);
const histOneMs = performance.now() - t;
t = performance.now();
const histMany = await runSecretScan({ path: repo, mode: 'history', threads: cores }, quiet);
const histManyMs = performance.now() - t;
rows.push([
  'history, git log -p alone (the floor)',
  `${(logBytes / MB).toFixed(0)} MB of patches`,
  gitMs,
  mbps(logBytes, gitMs),
  '-',
]);
rows.push([
  'history, two git log -p at once, half the commits each (the floor on 2 cores)',
  `${(logBytes / MB).toFixed(0)} MB of patches`,
  gitTwoMs,
  mbps(logBytes, gitTwoMs),
  '-',
]);
rows.push([
  'history, engine in-process, default threads (git log -p included)',
  `${hist.stats.commits} commits`,
  ms,
  mbps(logBytes, ms),
  hist.findings.length,
]);
rows.push([
  'history, engine in-process, 1 thread, one git log -p',
  `${histOne.stats.commits} commits`,
  histOneMs,
  mbps(logBytes, histOneMs),
  histOne.findings.length,
]);
rows.push([
  `history, engine in-process, ${cores} threads, one git log -p each`,
  `${histMany.stats.commits} commits`,
  histManyMs,
  mbps(logBytes, histManyMs),
  histMany.findings.length,
]);
// The bundles run a few seconds each on a shared machine: three runs each, taking turns
// (ours, baseline, gitleaks, ours, …) so none always meets the same load; the median counts.
const historyRuns = Number(process.env.SECRET_SCAN_BENCH_HISTORY_RUNS ?? 3);
const median = (runs) => [...runs].sort((a, b) => a.ms - b.ms)[runs.length >> 1];
const oursRuns = [];
const baseRuns = [];
// gitleaks takes its turn in the same rounds, so the ratio compares medians under the same load
// (a single gitleaks run moved 2.9–6.6 s between runs on a shared machine).
const leaksRuns = [];
for (let i = 0; i < historyRuns; i++) {
  oursRuns.push(timeBundle(repo, 'history'));
  if (baseline) baseRuns.push(timeBundle(repo, 'history', baseline));
  if (haveGitleaks) leaksRuns.push(timeGitleaks(repo, true));
}
const spread = (runs) =>
  `${commits} commits; ${runs.length} runs: ${runs.map((r) => (r.ms / 1000).toFixed(2)).join(' / ')} s`;
const oursHistory = median(oursRuns);
rows.push([
  'history, secret-scan-gate bundle (node start included), median',
  spread(oursRuns),
  oursHistory.ms,
  mbps(logBytes, oursHistory.ms),
  oursHistory.findings,
]);
const baseHistory = baseline ? median(baseRuns) : undefined;
if (baseHistory)
  rows.push([
    'history, baseline bundle (SECRET_SCAN_BENCH_BASELINE), median',
    spread(baseRuns),
    baseHistory.ms,
    mbps(logBytes, baseHistory.ms),
    baseHistory.findings,
  ]);
const leaksHistory = leaksRuns.length ? median(leaksRuns) : undefined;
if (leaksHistory)
  rows.push([
    'history, gitleaks 8.16 detect (git log -p inside), median',
    spread(leaksRuns),
    leaksHistory.ms,
    mbps(logBytes, leaksHistory.ms),
    leaksHistory.findings,
  ]);
if (onlyHistory) {
  console.log(
    `\n${availableParallelism()} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} at the end of the run`,
  );
  console.log('\n| run | input | time | MB/s | findings |\n| --- | --- | --- | --- | --- |');
  for (const [name, input, time, rate, findings] of rows)
    console.log(`| ${name} | ${input} | ${(time / 1000).toFixed(2)} s | ${rate} | ${findings} |`);
  if (leaksHistory) {
    console.log(
      `\nsecret-scan-gate vs gitleaks 8.16, same history, whole processes: ${(leaksHistory.ms / oursHistory.ms).toFixed(1)}x faster on the ${commits}-commit history.`,
    );
    if (baseHistory)
      console.log(
        `baseline bundle vs gitleaks 8.16 in the same run: ${(leaksHistory.ms / baseHistory.ms).toFixed(1)}x.`,
      );
  }
  if (process.env.SECRET_SCAN_BENCH_KEEP) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
  process.exit(0);
}
const patchDir = join(work, 'patch');
mkdirSync(patchDir);
// Split in 4 MB files: both tools skip (or choke on) single huge files, and a patch is many files anyway.
execFileSync(
  'sh',
  [
    '-c',
    `git log -p -U0 --no-color main -- | head -c ${sampleCap} | split -b 4m -d - ${join(patchDir, 'history.patch.')}`,
  ],
  { cwd: repo },
);
const patchBytes = readdirSync(patchDir).reduce((n, f) => n + lstatSync(join(patchDir, f)).size, 0);
const oursPatch = timeBundle(patchDir, 'tree');
const lintPatch = timeSecretlint(patchDir);
rows.push([
  'patch sample, secret-scan-gate bundle',
  `${(patchBytes / MB).toFixed(1)} MB`,
  oursPatch.ms,
  mbps(patchBytes, oursPatch.ms),
  oursPatch.findings,
]);
rows.push([
  `patch sample, secretlint CLI${lintPatch.stopped ? ' (stopped at the limit: time is a lower bound)' : ''}`,
  `${(patchBytes / MB).toFixed(1)} MB`,
  lintPatch.ms,
  `${lintPatch.stopped ? '≤ ' : ''}${mbps(patchBytes, lintPatch.ms)}`,
  lintPatch.findings,
]);

// --- 3. accuracy -----------------------------------------------------------
const scanner = new SecretScanner(defaultRuleSet(), {}, new Set(builtinRules().map((r) => r.id)));
const corpus = generateLabelledCorpus(20261122);
const score = evaluateCorpus(corpus, scanner);
// The same corpus as files on disk, for the other tools.
const corpusDir = join(work, 'corpus-files');
for (const file of corpus.files) {
  mkdirSync(dirname(join(corpusDir, file.path)), { recursive: true });
  writeFileSync(join(corpusDir, file.path), file.text);
}
const hitsFrom = (entries) => {
  const map = new Map();
  for (const [file, line] of entries) {
    const rel = relative(corpusDir, file.startsWith('/') ? file : join(corpusDir, file));
    if (!map.has(rel)) map.set(rel, new Set());
    map.get(rel).add(line - 1);
  }
  return map;
};
const scores = [['secret-scan-gate', score]];
if (haveGitleaks) {
  const leaks = timeGitleaks(corpusDir, false);
  scores.push([
    'gitleaks 8.16',
    scoreCorpusHits(corpus, hitsFrom(leaks.report.map((f) => [f.File, f.StartLine]))),
  ]);
}
{
  const rc = join(work, 'secretlintrc-corpus.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }));
  const out = spawnSync(
    secretlintBin,
    ['--secretlintrc', rc, '--format', 'compact', '--no-color', '--maskSecrets', '**/*'],
    { cwd: corpusDir, encoding: 'utf8', maxBuffer: 256 * MB, timeout: secretlintLimitMs * 3 },
  );
  const entries = [...out.stdout.matchAll(/^(.+?): line (\d+), col \d+, /gm)].map((m) => [
    m[1],
    Number(m[2]),
  ]);
  scores.push(['secretlint + preset-recommend', scoreCorpusHits(corpus, hitsFrom(entries))]);
}

console.log(
  `\n${availableParallelism()} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} at the end of the run`,
);
console.log('\n| run | input | time | MB/s | findings |\n| --- | --- | --- | --- | --- |');
for (const [name, input, time, rate, findings] of rows)
  console.log(`| ${name} | ${input} | ${(time / 1000).toFixed(2)} s | ${rate} | ${findings} |`);
const ratio = (theirs, ours) => `${theirs.stopped ? '≥ ' : ''}${(theirs.ms / ours.ms).toFixed(1)}x`;
console.log(
  `\nsecret-scan-gate vs secretlint, same files: ${ratio(lint, oursSample)} faster on the tree sample, ${ratio(lintPatch, oursPatch)} on the patch sample (whole process, node start included).`,
);
if (leaksTree && leaksHistory) {
  console.log(
    `secret-scan-gate vs gitleaks 8.16, same inputs, whole processes: ${ratio(leaksTree, oursTree)} faster on the ${(built.total / MB).toFixed(0)} MB tree, ${ratio(leaksHistory, oursHistory)} on the ${commits}-commit history.`,
  );
  if (baseTree && baseHistory)
    console.log(
      `baseline bundle vs gitleaks 8.16 in the same run: ${ratio(leaksTree, baseTree)} on the tree, ${ratio(leaksHistory, baseHistory)} on the history.`,
    );
}
console.log(
  `\nlabelled corpus (seed 20261122, ${score.truePositives + score.falseNegatives} secrets, ${score.trueNegatives + score.falsePositives} decoys), same files for every tool:`,
);
console.log(
  '\n| tool | precision | recall | missed kinds | false-alarm kinds |\n| --- | --- | --- | --- | --- |',
);
for (const [tool, sc] of scores) {
  const top = (o) =>
    Object.entries(o)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 8)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ') || '-';
  console.log(
    `| ${tool} | ${sc.precision.toFixed(3)} | ${sc.recall.toFixed(3)} | ${top(sc.missedKinds)} | ${top(sc.falseAlarmKinds)} |`,
  );
}
const byRule = {};
for (const f of full.findings) byRule[f.ruleId] = (byRule[f.ruleId] ?? 0) + 1;
console.log(
  `findings in the ${(built.total / MB).toFixed(0)} MB tree by rule (third-party code: test-fixture keys are real keys, the rest are false alarms): ${JSON.stringify(byRule)}`,
);
if (process.env.SECRET_SCAN_BENCH_KEEP) console.log(`kept ${work}`);
else rmSync(work, { recursive: true, force: true });
