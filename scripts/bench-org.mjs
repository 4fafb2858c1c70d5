// The fake GitHub of the inventory tests (__tests__/github-org.ts), serving COUNT repositories built from the
// corpus (real and bulk, rebuilt from their manifests, copies named apart), in a process of its own so the
// CLI's memory is measured alone. Prints its URL on stdout, then serves until it is killed.
//   node scripts/bench-org.mjs CORPUS_DIR COUNT
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const [corpus, countArg] = process.argv.slice(2);
const count = Number(countArg);
const source = readFileSync(resolve('__tests__/github-org.ts'), 'utf8');
const { outputText } = ts.transpileModule(source, {
  compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
});
const module = join(mkdtempSync(join(tmpdir(), 'crg-bench-fake-')), 'github-org.mjs');
writeFileSync(module, outputText);
const { FakeGitHubOrg } = await import(pathToFileURL(module).href);

const projects = new Map();
for (const kind of ['real', 'bulk']) {
  const rows = readFileSync(join(corpus, kind, 'MANIFEST.tsv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1);
  for (const row of rows) {
    const [file, repo, path] = row.split('\t');
    const name = `acme/${kind}--${repo.replace('/', '__')}`;
    if (!projects.has(name)) projects.set(name, new Map());
    projects.get(name).set(path, readFileSync(join(corpus, kind, file)));
  }
}
const fake = new FakeGitHubOrg();
fake.rateRemaining = 1e9;
const list = [...projects];
for (let i = 0; i < count; i++) {
  const [name, files] = list[i % list.length];
  const commit = createHash('sha1').update(`${name}:${i}`).digest('hex');
  fake.add({ name: `${name}--${Math.floor(i / list.length) + 1}`, files, commit });
}
process.stdout.write(`${await fake.start()}\n`);
