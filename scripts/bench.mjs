// npm run bench: the CLI bundle over ../shared/corpus (real + bulk) against a floor that only reads and
// parses the same files with yaml; the CLI's cold start on one small file; and the corpus replicated to
// 10,000 files, for time and for peak memory against a 1,000-file run. Medians of several runs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const corpusArg = process.argv.indexOf('--corpus');
const corpusRoot = corpusArg === -1 ? '../shared/corpus' : process.argv[corpusArg + 1];
const corpus = [join(corpusRoot ?? '', 'real'), join(corpusRoot ?? '', 'bulk')];
if (!corpusRoot || !corpus.every((dir) => existsSync(dir))) {
  console.error(
    `bench: no corpus at ${corpusRoot ?? '(none given)'}: it needs DIR/real and DIR/bulk with workflow files; point at one with npm run bench -- --corpus DIR`,
  );
  process.exit(2);
}

function yamlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? yamlFiles(join(dir, e.name)) : /\.ya?ml$/.test(e.name) ? [join(dir, e.name)] : [],
  );
}

function measure(args) {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--expose-gc', 'scripts/bench-run.mjs', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 1 << 26,
  });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const stats = /BENCH (\{.*\})/.exec(run.stderr);
  if (run.status !== 0 || !stats)
    throw new Error(`bench run failed (${run.status}): ${run.stderr.slice(0, 500)}`);
  const { rss, live } = JSON.parse(stats[1]);
  return { ms, rss, live };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
function repeat(args, runs = RUNS) {
  const results = Array.from({ length: runs }, () => measure(args));
  return {
    ms: median(results.map((r) => r.ms)),
    rss: Math.max(...results.map((r) => r.rss)),
    live: Math.max(...results.map((r) => r.live)),
  };
}
const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);

const work = mkdtempSync(join(tmpdir(), 'crg-bench-'));
try {
  const files = corpus.flatMap(yamlFiles);
  const bytes = files.reduce((n, f) => n + statSync(f).size, 0);
  const list = join(work, 'files.txt');
  writeFileSync(list, files.join('\n'));
  const cliArgs = (paths) => ['cli', list, '--format', 'json', '--fail-on', 'never', ...paths];

  const floor = repeat(['floor', list]);
  const cli = repeat(cliArgs(corpus));
  console.log(`corpus: ${files.length} files, ${mb(bytes)} MB (real + bulk)`);
  console.log(
    `floor (read + yaml parse):  ${floor.ms.toFixed(0)} ms  ${(files.length / (floor.ms / 1000)).toFixed(0)} files/s  ${(bytes / 1048576 / (floor.ms / 1000)).toFixed(2)} MB/s  peak RSS ${mb(floor.rss)} MB`,
  );
  console.log(
    `claude-route-guard CLI:     ${cli.ms.toFixed(0)} ms  ${(files.length / (cli.ms / 1000)).toFixed(0)} files/s  ${(bytes / 1048576 / (cli.ms / 1000)).toFixed(2)} MB/s  peak RSS ${mb(cli.rss)} MB`,
  );
  console.log(`ratio to floor: ${(cli.ms / floor.ms).toFixed(2)} (target <= 1.5)`);

  const small = join(work, 'small.yml');
  copyFileSync('examples/.github/workflows/claude-review.yml', small);
  // Cold start is timed on the bundle itself, as a user runs it, next to a bare `node -e 0` for scale.
  const timed = (args) => {
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, args, { stdio: 'ignore' });
    if (run.status !== 0) throw new Error(`cold start run failed: ${args.join(' ')}`);
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const runsCold = Math.max(RUNS, 15);
  const cold = median(
    Array.from({ length: runsCold }, () => timed(['dist/cli/index.js', '--fail-on', 'never', small])),
  );
  const bare = median(Array.from({ length: runsCold }, () => timed(['-e', '0'])));
  console.log(
    `cold start, one small file: ${cold.toFixed(0)} ms median (target <= 150; node -e 0 alone: ${bare.toFixed(0)} ms)`,
  );

  const replicate = (count) => {
    const dir = join(work, `x${count}`);
    for (let i = 0; i < count; i++) {
      const sub = join(dir, String(Math.floor(i / 500)));
      if (i % 500 === 0) mkdirSync(sub, { recursive: true });
      copyFileSync(files[i % files.length], join(sub, `${i}.yml`));
    }
    return dir;
  };
  const thousand = repeat(cliArgs([replicate(1000)]), 3);
  const tenThousand = repeat(cliArgs([replicate(10000)]), 3);
  console.log(
    `1,000 files:  ${thousand.ms.toFixed(0)} ms, peak RSS ${mb(thousand.rss)} MB, live heap after GC ${mb(thousand.live)} MB`,
  );
  console.log(
    `10,000 files: ${tenThousand.ms.toFixed(0)} ms (target < 30000), peak RSS ${mb(tenThousand.rss)} MB, live heap after GC ${mb(tenThousand.live)} MB`,
  );
  console.log(
    `memory, 10,000 vs 1,000 files: live heap ${(tenThousand.live / thousand.live).toFixed(2)}x (what is retained), peak RSS ${(tenThousand.rss / thousand.rss).toFixed(2)}x (V8 collects lazily)`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
