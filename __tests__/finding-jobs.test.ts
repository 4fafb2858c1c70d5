/**
 * A reader ties every finding and row to a job without parsing messages: findings carry the job (and step)
 * they belong to, a callee's row says when its verdict is a caller's, and rows of one place that reach
 * different runs say which run each reaches. fixtures/finding-jobs states each construct on real YAML: a
 * composite run twice (a run and its fallback) by one job on pull_request, a key echoed in that composite
 * and in a job, a trigger finding about two jobs, and a composite nobody calls.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { formatSummary } from '../src/report/summary.js';
import { cliAt, FIXTURES, scanAt } from './helpers.js';
import { schemaProblems } from './report-checks.js';

const DIR = join(FIXTURES, 'finding-jobs');
const REVIEW = '.github/workflows/review.yml';
const TWO = '.github/workflows/two-jobs.yml';
const CLAUDE = '.github/actions/claude/action.yml';
const ALONE = '.github/actions/alone/action.yml';
const BLOB = 'https://github.com/o/r/blob/abc/';

interface JsonFinding {
  rule: string;
  file: string;
  line: number;
  column: number;
  job?: string;
  step?: string | null;
  jobFile?: string;
}

function json(): { schema: string[]; routes: string[]; findings: string[] } {
  const report = JSON.parse(cliAt(DIR, ['--format', 'json', '--fail-on', 'never']).out) as {
    routes: { file: string; line: number; column: number; job: string; verdict: string }[];
    findings: JsonFinding[];
  };
  return {
    schema: schemaProblems(report),
    routes: report.routes.map((r) => `${r.file}:${r.line}:${r.column} ${r.job} -> ${r.verdict}`),
    findings: report.findings.map(
      (f) =>
        `${f.file}:${f.line}:${f.column} ${f.rule} job=${f.job ?? '-'} step=${f.step === undefined ? '-' : String(f.step)}` +
        (f.jobFile ? ` in ${f.jobFile}` : ''),
    ),
  };
}

describe('findings carry the job they belong to', () => {
  it("by their lines, by the one job of the runs they are about, by a composite's caller; none for several or no caller", () => {
    expect(json()).toEqual({
      // job, step and jobFile are an addition within version 1: the schema holds them.
      schema: [],
      routes: [
        `${REVIEW}:10:15 review -> warning: secret-unavailable-on-trigger`,
        `${REVIEW}:10:15 review -> warning: secret-unavailable-on-trigger`,
        `${TWO}:11:14 first -> warning: secret-unavailable-on-trigger`,
        `${TWO}:16:14 second -> warning: secret-unavailable-on-trigger`,
        `${ALONE}:13:9 (composite) -> error: credential-exposed-in-log`,
        // The trigger is the caller's: the composite's rows say whose, and where.
        `${CLAUDE}:18:9 (composite) -> warning: secret-unavailable-on-trigger (via caller ${REVIEW}:3)`,
        `${CLAUDE}:18:45 (composite) -> warning: secret-unavailable-on-trigger (via caller ${REVIEW}:3)`,
      ],
      findings: [
        // Nobody calls it: no job.
        `${ALONE}:12:14 credential-exposed-in-log job=- step=-`,
        // A composite's line belongs to the job that calls it, at its `uses:` step, in the caller's file.
        `${CLAUDE}:12:17 credential-exposed-in-log job=review step=Run Claude in ${REVIEW}`,
        // The trigger lies in no job; the runs it is about are one job's.
        `${REVIEW}:3:3 secret-unavailable-on-trigger job=review step=Run Claude`,
        `${REVIEW}:20:19 credential-exposed-in-log job=notes step=Print key`,
        // About the runs of two jobs, and written outside both: no single job (the message names them).
        `${TWO}:3:3 secret-unavailable-on-trigger job=- step=-`,
        `${TWO}:5:3 broad-credential-scope job=- step=-`,
      ],
    });
  });

  it('in SARIF as properties of each result', () => {
    const log = JSON.parse(cliAt(DIR, ['--format', 'sarif', '--fail-on', 'never']).out) as Log;
    expect(
      log.runs[0]!.results!.map((r) => [
        `${r.ruleId} ${r.locations![0]!.physicalLocation!.artifactLocation!.uri}:${r.locations![0]!.physicalLocation!.region!.startLine}`,
        r.properties,
      ]),
    ).toEqual([
      [`credential-exposed-in-log ${ALONE}:12`, { confidence: 'high' }],
      [
        `credential-exposed-in-log ${CLAUDE}:12`,
        { confidence: 'high', job: 'review', step: 'Run Claude', jobFile: REVIEW },
      ],
      [`credential-exposed-in-log ${REVIEW}:20`, { confidence: 'high', job: 'notes', step: 'Print key' }],
      [
        `secret-unavailable-on-trigger ${REVIEW}:3`,
        { confidence: 'high', job: 'review', step: 'Run Claude' },
      ],
      // The annotations' ranking: the first of each rule before repeats.
      [`broad-credential-scope ${TWO}:5`, { confidence: 'high' }],
      [`secret-unavailable-on-trigger ${TWO}:3`, { confidence: 'high' }],
    ]);
  });
});

describe('rows of one place and job that reach different runs', () => {
  it('name the run each reaches in the text table, so no row reads as a copy of another', () => {
    const text = cliAt(DIR, ['--fail-on', 'never'], { env: { COLUMNS: '100' } }).out.split('\n');
    const table = text.slice(0, text.indexOf('', 2));
    expect(table).toEqual([
      '5 Claude Code runs in 4 of 4 files scanned, shown as 7 rows (one per place and route)',
      '',
      'WHERE                                 JOB       ROUTE               VERDICT',
      '…/review.yml:10:15 → action.yml:18:9  review    api-key             warning: secret-unavailable-on-…',
      '    at: .github/workflows/review.yml:10:15 → action.yml:18:9',
      '    run: ./.github/actions/claude → claude -p',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (step, 12:20)',
      '    via: .github/actions/claude/action.yml:18:9',
      '…review.yml:10:15 → action.yml:18:45  review    api-key             warning: secret-unavailable-on-…',
      '    at: .github/workflows/review.yml:10:15 → action.yml:18:45',
      '    run: ./.github/actions/claude → claude -p',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (step, 12:20)',
      '    via: .github/actions/claude/action.yml:18:45',
      '.github/workflows/two-jobs.yml:11:14  first     api-key             warning: secret-unavailable-on-…',
      '    run: claude -p',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (workflow, 5:22)',
      '.github/workflows/two-jobs.yml:16:14  second    api-key             warning: secret-unavailable-on-…',
      '    run: claude -p',
      '    credential: ANTHROPIC_API_KEY <- secrets.ANTHROPIC_API_KEY (workflow, 5:22)',
      '…ithub/actions/alone/action.yml:13:9  (compos…  api-key (inferred)  error: credential-exposed-in-log',
      '    at: .github/actions/alone/action.yml:13:9',
      '    job: (composite)',
      '    run: claude -p',
      '    credential: ANTHROPIC_API_KEY <- inputs.api-key (step, 10:28)',
      '    why: depends on the caller passing `inputs.api-key`',
      '…thub/actions/claude/action.yml:18:9  (compos…  api-key             warning: secret-unavailable-on-…',
      '    at: .github/actions/claude/action.yml:18:9',
      '    job: (composite)',
      // Cut in the table, the caller's place is said whole: the findings below do not say it.
      `    verdict: warning: secret-unavailable-on-trigger (via caller ${REVIEW}:3)`,
      '    run: claude -p',
      '    credential: ANTHROPIC_API_KEY <- inputs.api-key (step, 16:28)',
      '    called by: .github/workflows/review.yml:10 (review)',
      '…hub/actions/claude/action.yml:18:45  (compos…  api-key             warning: secret-unavailable-on-…',
      '    at: .github/actions/claude/action.yml:18:45',
      '    job: (composite)',
      `    verdict: warning: secret-unavailable-on-trigger (via caller ${REVIEW}:3)`,
      '    run: claude -p',
      '    credential: ANTHROPIC_API_KEY <- inputs.api-key (step, 16:28)',
      '    called by: .github/workflows/review.yml:10 (review)',
    ]);
  });

  it('and in the job summary, with a link to the run each reaches, or where each is written', () => {
    const summary = formatSummary(scanAt(DIR, []), { blob: BLOB });
    const rows = summary.split('\n').filter((l) => l.startsWith('| [<code>'));
    const at = (file: string, line: number, label = file): string =>
      `[<code>${label}</code>](${BLOB}${file}#L${line})`;
    const reviewRow = (column: number): string =>
      `| ${at(REVIEW, 10)} → ${at(CLAUDE, 18, `${CLAUDE}:18:${column}`)} | review | Run Claude | <code>./.github/actions/claude → claude -p</code> | api-key | ANTHROPIC_API_KEY from ${at(REVIEW, 12, 'secrets.ANTHROPIC_API_KEY')} (step, line 12) | warning: secret-unavailable-on-trigger |`;
    const claudeRow = (column: number): string =>
      `| ${at(CLAUDE, 18, `${CLAUDE}:18:${column}`)} | (composite) | Invoke claude | <code>claude -p</code> | api-key | ANTHROPIC_API_KEY from ${at(CLAUDE, 16, 'inputs.api-key')} (step, line 16) | warning: secret-unavailable-on-trigger (via caller ${REVIEW}:3) |`;
    expect(rows).toEqual([
      reviewRow(9),
      reviewRow(45),
      `| ${at(TWO, 11)} | first | step 1 | <code>claude -p</code> | api-key | ANTHROPIC_API_KEY from ${at(TWO, 5, 'secrets.ANTHROPIC_API_KEY')} (workflow, line 5) | warning: secret-unavailable-on-trigger |`,
      `| ${at(TWO, 16)} | second | step 1 | <code>claude -p</code> | api-key | ANTHROPIC_API_KEY from ${at(TWO, 5, 'secrets.ANTHROPIC_API_KEY')} (workflow, line 5) | warning: secret-unavailable-on-trigger |`,
      `| ${at(ALONE, 13)} | (composite) | step 1 | <code>claude -p</code> | api-key (inferred: depends on the caller passing <code>inputs.api-key</code>) | ANTHROPIC_API_KEY from ${at(ALONE, 10, 'inputs.api-key')} (step, line 10) | error: credential-exposed-in-log |`,
      claudeRow(9),
      claudeRow(45),
    ]);
  });
});
