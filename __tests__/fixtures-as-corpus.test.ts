/**
 * What the corpus tests check on real workflows, checked on every fixture, so that a clone with nothing
 * beside it (GitHub's CI) runs each check too: places inside their files, findings on the text that causes
 * them, no ok beside an error, the raw-text pre-check changing nothing, the JSON schema, and a row for every
 * file that runs the official action or `claude -p`.
 */
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatJson } from '../src/report/json.js';
import { fixtureUnits } from '../scripts/fixture-tables.mjs';
import { ROOT, scanAt } from './helpers.js';
import {
  blankOrUnnamed,
  bothWays,
  misplaced,
  okBesideError,
  schemaProblems,
  unparsedDropped,
} from './report-checks.js';

const UNITS = fixtureUnits(ROOT);
const scanned = UNITS.map((u) => ({ project: u.name, cwd: u.cwd, report: scanAt(u.cwd, u.paths) }));

describe('every fixture, checked as the corpus is', () => {
  it('puts every finding and route on a line of its file', () => {
    expect(misplaced(scanned)).toEqual([]);
  });

  it('puts every finding on the text that causes it, and a credential finding on a line naming the credential', () => {
    // A file that is neither a workflow nor an action has no text that makes it so: its parse-error sits
    // at 1:1, zero wide (listed for the engine to place on the first line).
    const wholeFile = (w: string): boolean => /:1:1 parse-error: blank$/.test(w);
    const { wrong } = blankOrUnnamed(scanned);
    expect(wrong.filter((w) => !wholeFile(w))).toEqual([]);
    expect(wrong.filter(wholeFile)).toEqual([
      'behaviour/.github/actions/values-not-an-action/action.yml/.github/actions/values-not-an-action/action.yml:1:1 parse-error: blank',
      // A compose file the containers fixture's docker steps read: scanned alone, it is no workflow.
      'containers/deploy/docker-compose.yml/deploy/docker-compose.yml:1:1 parse-error: blank',
      'not-a-workflow.yml/not-a-workflow.yml:1:1 parse-error: blank',
    ]);
  });

  it('never says ok beside an error on the row’s own credential', () => {
    expect(okBesideError(scanned).wrong).toEqual([]);
  });

  it('gives the same report, byte for byte, with and without the raw-text pre-check', () => {
    for (const u of UNITS) {
      // Issue 32's one change: files that cannot involve Claude are not parsed, so their YAML errors go
      // unreported and are counted instead.
      const { checked, modelled, notParsed } = bothWays(u.cwd, u.paths);
      expect([u.name, JSON.stringify(checked, null, 1)]).toEqual([
        u.name,
        JSON.stringify(unparsedDropped(modelled, notParsed), null, 1),
      ]);
    }
  });

  it('writes JSON that follows schema/report-v1.json', () => {
    for (const { project, report } of scanned)
      expect([project, schemaProblems(JSON.parse(formatJson(report)))]).toEqual([project, []]);
  });

  it('gives a row to every file that runs the official action or claude -p', () => {
    const runsClaude = (text: string): boolean =>
      /^\s*-?\s*uses:\s*anthropics\/claude-code-(base-)?action[@/]/im.test(text) ||
      /^\s+(\S+\s+)?claude\s+(-p|--print)\b/m.test(text);
    const missing = UNITS.flatMap((u, k) =>
      u.covers
        .filter((file) => runsClaude(readFileSync(join(ROOT, '__tests__', 'fixtures', file), 'utf8')))
        .filter(
          (file) =>
            !scanned[k]!.report.routes.some(
              (r) => file.endsWith(r.file) || file.endsWith(r.via?.file ?? '\0'),
            ),
        ),
    );
    // Its `claude -p` is the text of a heredoc that cat prints.
    expect(missing).toEqual(['mention-only/.github/workflows/other-sdks.yml']);
  });
});
