// Runs once per jest run, before the workers: the one line that says the corpus tests are skipped.
// __tests__/corpus.ts decides the same thing in each worker, from the same path and variable.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export default function announceMissingCorpus() {
  const corpus =
    process.env.CORPUS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'shared', 'corpus');
  if (!existsSync(corpus) && process.env.REQUIRE_CORPUS !== '1')
    process.stdout.write(`\ncorpus not found at ${corpus}, skipped\n`);
}
