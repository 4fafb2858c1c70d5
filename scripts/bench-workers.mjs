// What worker threads would give: the CLI bundle run in N worker threads of one process, each on its
// share of the folders named, against one process on all of them (bench.mjs pairs the two). Each worker
// loads the bundle and sends its report through the parent, as a split scan would; only merging the
// reports is left out, so this is the most threads could gain.
import { Worker } from 'node:worker_threads';

const [cli, count, ...folders] = process.argv.slice(2);
const threads = Number(count);
if (!cli || !(threads > 0) || folders.length === 0)
  throw new Error('usage: bench-workers.mjs CLI_BUNDLE THREADS FOLDER...');
const shares = Array.from({ length: threads }, (_, i) => folders.filter((_, k) => k % threads === i));
let bytes = 0;
await Promise.all(
  shares
    .filter((share) => share.length > 0)
    .map(
      (share) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(cli, {
            argv: ['--format', 'json', '--fail-on', 'never', ...share],
            stdout: true,
          });
          worker.stdout.on('data', (chunk) => (bytes += chunk.length));
          worker.on('error', reject);
          worker.on('exit', resolve);
        }),
    ),
);
process.stdout.write(String(bytes));
