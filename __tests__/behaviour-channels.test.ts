import { describe, expect, it } from '@jest/globals';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { selectAnnotations } from '../src/report/github.js';
import { SARIF_RESULT_LIMIT, sarifLog } from '../src/report/sarif.js';
import { formatSummary } from '../src/report/summary.js';
import { BEHAVIOUR, scanBehaviour } from './behaviour.js';
import { scanAt } from './helpers.js';

describe('the action’s own notes next to the annotations', () => {
  it('keep the notice slots they reserve, and the note counts what is left out', () => {
    const findings = scanBehaviour('many-findings.yml').findings;
    // Two notes of the action's own: seven notices fit beside them and the count.
    const { shown, note } = selectAnnotations(findings, 2);
    expect(shown.filter((f) => f.severity === 'error')).toHaveLength(10);
    expect(shown.filter((f) => f.severity === 'notice').map((f) => f.span.line)).toEqual([
      9, 15, 21, 27, 33, 39, 45,
    ]);
    expect(note).toMatch(
      /^7 finding\(s\) are not annotated because GitHub shows at most 10 per severity and 50 per job;/,
    );
  });

  it('shrink the per-job budget too, when a caller reserves most of it', () => {
    const findings = scanBehaviour('many-findings.yml').findings;
    const { shown, note } = selectAnnotations(findings, 41);
    // 50 per job, 41 reserved, one for the count: eight, all errors.
    expect(shown.map((f) => f.severity)).toEqual(Array<string>(8).fill('error'));
    expect(note).toMatch(/^16 finding\(s\)/);
  });

  it('keep a warning slot when the caller asks, for the warning that says why a check run fell short', () => {
    const findings = scanBehaviour('many-findings.yml').findings;
    // The same places, as warnings: ten fit alone, nine beside the caller's warning.
    const warnings = findings.map((f) => ({ ...f, severity: 'warning' as const }));
    expect(selectAnnotations(warnings).shown).toHaveLength(10);
    const kept = selectAnnotations(warnings, 0, 1);
    expect(kept.shown).toEqual(selectAnnotations(warnings).shown.slice(0, 9));
    expect(kept.note).toMatch(/^15 finding\(s\) are not annotated/);
    // The warning takes a job slot too: 50, 41 notices kept, one for the count, one for the warning.
    const { shown } = selectAnnotations(findings, 41, 1);
    expect(shown.map((f) => f.severity)).toEqual(Array<string>(7).fill('error'));
  });

  it('are not needed when everything fits', () => {
    const findings = scanBehaviour('many-findings.yml').findings.slice(0, 10);
    expect(selectAnnotations(findings)).toEqual({ shown: expect.any(Array) });
    expect(selectAnnotations(findings).shown).toHaveLength(10);
  });
});

describe('code scanning beyond one finding per place', () => {
  it('keeps the most severe 5,000 results and says how many it left out', () => {
    const report = scanBehaviour('many-findings.yml');
    const notice = report.findings.find((f) => f.severity === 'notice')!;
    const error = report.findings.find((f) => f.severity === 'error')!;
    const flood = { ...report, findings: [...Array<typeof notice>(SARIF_RESULT_LIMIT).fill(notice), error] };
    const run = sarifLog(flood, '1.2.3').runs[0]!;
    expect(run.results).toHaveLength(5000);
    expect(run.results![0]!.level).toBe('error');
    expect(run.tool.driver.version).toBe('1.2.3');
    expect(run.invocations![0]!.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: {
          text: '1 of 5001 results are left out: code scanning shows at most 5000, and the least severe went first. The job summary and --format json list them all.',
        },
      },
    ]);
  });

  it('says which local callee it could not follow, at the uses: line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-missing-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(dir, '.github', 'workflows', 'missing.yml'),
      'on: push\njobs:\n  call:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/gone\n',
    );
    const run = sarifLog(scanAt(dir, []), '1').runs[0]!;
    expect(run.invocations![0]!.toolExecutionNotifications).toEqual([
      {
        level: 'note',
        message: {
          text: 'Not followed: local action `./.github/actions/gone` was not found in the repository, so its Claude runs cannot be checked',
        },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: '.github/workflows/missing.yml', uriBaseId: '%SRCROOT%' },
              region: { startLine: 6, startColumn: 15, endLine: 6, endColumn: 15 },
            },
          },
        ],
      },
    ]);
  });

  it('cuts a message that quotes a very long name at 2,000 characters', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-long-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    const job = 'j'.repeat(2100);
    writeFileSync(
      join(dir, '.github', 'workflows', 'long.yml'),
      // An explicit key: YAML allows no implicit key past 1,024 characters.
      `on: push\njobs:\n  ? ${job}\n  : runs-on: ubuntu-latest\n    timeout-minutes: 5\n    env:\n      CLAUDE_CODE_OAUTH_TOKEN: \${{ secrets.T }}\n    steps:\n      - run: claude -p "x"\n`,
    );
    const text = sarifLog(scanAt(dir, []), '1').runs[0]!.results![0]!.message.text!;
    expect(text).toHaveLength(2001);
    expect(text.endsWith(`${'j'.repeat(1990)}…`)).toBe(true);
  });
});

describe('links in the job summary', () => {
  it('percent-encode each path segment, so a name cannot break out of the link', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-link-'));
    mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
    const name = "a (b)'c!*d #e.yml";
    copyFileSync(
      join(BEHAVIOUR, '.github', 'workflows', 'subscription-review.yml'),
      join(dir, '.github', 'workflows', name),
    );
    const summary = formatSummary(scanAt(dir, []), { blob: 'https://github.com/o/r/blob/abc/' });
    expect(summary).toContain(
      '(https://github.com/o/r/blob/abc/.github/workflows/a%20%28b%29%27c%21%2ad%20%23e.yml#L8)',
    );
  });
});
