// The floor the CLI is measured against: read and parse each listed file with yaml and a LineCounter,
// the least any tool that understands these files has to do.
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';

const [mode, listFile] = process.argv.slice(2);
if (mode !== 'floor') throw new Error('usage: bench-run.mjs floor FILE_LIST');
let documents = 0;
for (const file of readFileSync(listFile, 'utf8').split('\n').filter(Boolean)) {
  const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: new LineCounter() });
  if (doc.contents) documents++;
}
process.stdout.write(String(documents));
