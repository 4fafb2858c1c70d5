// One measured process: `floor` reads and parses the listed files with yaml and a LineCounter;
// `cli` runs the CLI bundle as a user would. Prints its peak RSS on stderr at exit.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const [mode, listFile, ...rest] = process.argv.slice(2);
process.on('exit', () => {
  // Live heap after a full collection: what the run still holds, as opposed to garbage V8 has not collected.
  globalThis.gc?.();
  const stats = { rss: process.resourceUsage().maxRSS * 1024, live: process.memoryUsage().heapUsed };
  process.stderr.write(`\nBENCH ${JSON.stringify(stats)}\n`);
});

if (mode === 'floor') {
  const { LineCounter, parseDocument } = await import('yaml');
  let nodes = 0;
  for (const file of readFileSync(listFile, 'utf8').split('\n').filter(Boolean)) {
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: new LineCounter() });
    if (doc.contents) nodes++;
  }
  process.stdout.write(String(nodes));
} else {
  const bundle = resolve('dist/cli/index.js');
  process.argv = [process.argv[0], bundle, ...rest];
  await import(pathToFileURL(bundle).href);
}
