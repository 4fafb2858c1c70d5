/**
 * Bounded work per scan, not only per file (issue 26 item 8): composite actions that call each other
 * several times each cost work in proportion to the files, not to the paths through them, and a scan of
 * many files that each reach a fan-out stops at the scan's budget with a finding and `unknown` rows where
 * it stopped. The work is counted (src/meter.ts), never timed: `npm run bench` is where timing lives.
 */
import { describe, expect, it } from '@jest/globals';
import { MAX_DEPTH, MAX_EXPANSIONS, SCAN_SHARE_PER_FILE } from '../src/claude/invocations.js';
import { takeWork, type Work } from '../src/meter.js';
import type { FindingJson } from '../src/report/json.js';
import type { Report as EngineReport } from '../src/scan.js';
import { cli, workspace } from './hostile-pr.js';

type Report = Omit<EngineReport, 'findings'> & { findings: FindingJson[] };

function measured(files: Record<string, string>, named: string[] = []): { report: Report; work: Work } {
  const ws = workspace({}, files);
  takeWork();
  const run = cli(ws, ['--format', 'json', '--fail-on', 'never', ...named]);
  return { report: JSON.parse(run.stdout) as Report, work: takeWork() };
}

const rowOf = (r: Report['routes'][number]) => ({
  at: `${r.file}:${r.line}:${r.column}`,
  route: r.route,
  outcomes: r.outcomes,
  verdict: r.verdict,
  reason: r.reason,
  via: r.via ? `${r.via.file}:${r.via.line}:${r.via.column}` : null,
});
const findingsOf = (report: Report) =>
  report.findings.map((f) => `${f.severity} ${f.rule} (${f.confidence}) ${f.file}:${f.line}:${f.column}`);

/** A workflow whose job calls action a0; each action a<i> calls a<i+1> `fan` times; the last runs Claude. */
function fanOut(levels: number, fan: number): Record<string, string> {
  const files: Record<string, string> = {
    '.github/workflows/review.yml':
      'on: push\njobs:\n  review:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    env:\n' +
      '      ANTHROPIC_API_KEY: ${{ secrets.ANTHROPIC_API_KEY }}\n    steps:\n      - uses: ./.github/actions/a0\n',
  };
  for (let i = 0; i < levels; i++)
    files[`.github/actions/a${i}/action.yml`] =
      `name: a${i}\nruns:\n  using: composite\n  steps:\n` +
      (i < levels - 1
        ? `    - uses: ./.github/actions/a${i + 1}\n`.repeat(fan)
        : '    - run: claude -p "review" --max-turns 5\n      shell: bash\n');
  return files;
}

describe('calls that fan out cost work by files, not by paths', () => {
  it('ten levels of actions that each call the next three times: one walk per level, one row per run', () => {
    const { report, work } = measured(fanOut(MAX_DEPTH, 3), ['.github/workflows/review.yml']);
    // 3^9 paths lead to the run. The first call of each level walks it and finds Claude, which changes
    // the job's state (later steps know Claude ran), so the second call walks it once more under that
    // state; the third takes the second's answer: 2 walks a level, 1 for a0.
    expect(work.expansions).toBe(2 * MAX_DEPTH - 1);
    // One row: the run, by the first path (a0:5, a1:5, ...); the other paths say nothing new.
    expect(report.routes.map(rowOf)).toEqual([
      {
        at: '.github/workflows/review.yml:9:15',
        route: 'api-key',
        outcomes: ['api-key'],
        verdict: 'ok',
        reason: null,
        via: '.github/actions/a9/action.yml:5:12',
      },
    ]);
    expect(report.routes[0]!.hops.map((h) => `${h.file}:${h.line}`)).toEqual([
      '.github/workflows/review.yml:9',
      ...Array.from({ length: MAX_DEPTH - 1 }, (_, i) => `.github/actions/a${i}/action.yml:5`),
      '.github/actions/a9/action.yml:5',
    ]);
    expect(findingsOf(report)).toEqual([]);
    expect(report.unresolved).toEqual([]);
  });

  it('twenty-five levels of three calls each, every file scanned: linear work, and unknown rows where the depth stops', () => {
    const levels = 25;
    const { report, work } = measured(fanOut(levels, 3));
    // Each of the 26 files walks its own chain down to the depth limit, twice a level at most.
    expect(work.expansions).toBeLessThanOrEqual(26 * 2 * MAX_DEPTH);
    expect(work.runs).toBeLessThanOrEqual(26 * 3 * 2 * MAX_DEPTH);
    const action = (i: number): string => `.github/actions/a${i}/action.yml`;
    const calls = [5, 6, 7];
    const past = (i: number): string =>
      `\`./.github/actions/a${i}\` is nested more than ${MAX_DEPTH} calls deep (reusable workflows, composite actions and scripts), past what the scan follows, so its Claude runs were not checked`;
    const short = (r: Report['routes'][number]): string =>
      `${r.file}:${r.line}:${r.column} ${r.route} [${r.outcomes.join(',')}] ${r.verdict} via ${r.via?.file}:${r.via?.line}`;
    const unknownRows = (at: string, i: number, outcome: string): string[] =>
      calls.map((v) => `${at} unknown [${outcome}] ok via ${action(i)}:${v}`);
    expect(report.routes.map(short).sort()).toEqual(
      [
        // The workflow: its one call reaches three calls of a10 past the depth limit, each a row.
        ...unknownRows('.github/workflows/review.yml:9:15', 9, 'api-key'),
        // Each action read alone, a0 to a13: each of its three calls reaches three calls past the limit.
        ...Array.from({ length: 14 }, (_, i) =>
          calls.flatMap((line) => unknownRows(`${action(i)}:${line}:13`, i + MAX_DEPTH, 'unknown')),
        ).flat(),
        // a14 to a23 reach the run: read alone, nothing hands them a key.
        // The two rows whose own findings their callers settled (below) name the caller whose finding decides them.
        ...Array.from({ length: 10 }, (_, i) =>
          calls.map((line) => {
            const via = i === 9 && line === 5 ? ` (via caller ${action(14)}:5)` : '';
            return `${action(i + 14)}:${line}:13 subscription-login [subscription-login] error: headless-without-api-route${via} via ${action(24)}:5`;
          }),
        ).flat(),
        `${action(24)}:5:12 subscription-login [subscription-login] error: headless-without-api-route (via caller ${action(14)}:5) via undefined:undefined`,
      ].sort(),
    );
    expect(report.routes.filter((r) => r.route === 'unknown').map((r) => r.reason)).toEqual(
      report.routes
        .filter((r) => r.route === 'unknown')
        .map((r) => {
          const callee = Number(/a(\d+)\/action\.yml$/.exec(r.via!.file)![1]) + 1;
          return r.file.endsWith('review.yml')
            ? `${past(callee)}; without that, the route would be api-key`
            : past(callee);
        }),
    );
    // Read alone, a14 to a23 reach the run without a key. A finding on a call-only callee read alone gives
    // way when its callers in the scan settle every run it is tied to (passes/callers.ts): here a24's own
    // run and a23's first call; those two rows take their verdict from their callers' findings. (That the
    // first calls of a14 to a22 keep theirs is how run names are shared after one row per run: left as is.)
    const settled = [`${action(23)}:5:13`, `${action(24)}:5:12`];
    expect(findingsOf(report).sort()).toEqual(
      [
        ...Array.from({ length: 10 }, (_, i) =>
          calls.map((line) => `error headless-without-api-route (high) ${action(i + 14)}:${line}:13`),
        ).flat(),
        `error headless-without-api-route (high) ${action(24)}:5:12`,
      ]
        .filter((f) => !settled.some((place) => f.endsWith(place)))
        .sort(),
    );
    // Where the depth stopped, once per place: each call of a9 to a23 of the next action.
    expect(report.unresolved.map((u) => `${u.file}:${u.line} ${u.message}`).sort()).toEqual(
      [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23]
        .flatMap((i) => calls.map((line) => `${action(i)}:${line} ${past(i + 1)}`))
        .sort(),
    );
  });
});

describe("a scan of many files stops at the scan's budget", () => {
  /** `files` workflows, each calling action `setup` `calls` times, each call with a value of its own. */
  function manyCallers(files: number, calls: number): Record<string, string> {
    const out: Record<string, string> = {
      '.github/actions/setup/action.yml':
        'name: setup\ninputs:\n  tag: {}\nruns:\n  using: composite\n  steps:\n    - run: echo "${{ inputs.tag }}"\n      shell: bash\n',
    };
    for (let f = 0; f < files; f++)
      out[`.github/workflows/w${String(f).padStart(2, '0')}.yml`] =
        'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n    steps:\n' +
        Array.from(
          { length: calls },
          (_, i) => `      - uses: ./.github/actions/setup\n        with:\n          tag: v${f}-${i}\n`,
        ).join('');
    return out;
  }

  it("files within their own budget that together pass the scan's: a finding and unknown rows from there on", () => {
    const files = 12;
    const calls = 100;
    const { report, work } = measured(manyCallers(files, calls));
    // The scan may follow 200 calls, and 20 more for each file parsed: the twelve workflows (the action,
    // which the raw text shows cannot involve Claude, is not parsed and adds nothing).
    expect(work.expansions).toBe(MAX_EXPANSIONS + files * SCAN_SHARE_PER_FILE.expansions);
    // w00 follows its 100 calls with 220, w01 its 100 with 140, w02 60 of its 100; from then on each file
    // follows the 20 calls its share pays for, and every call after is an unknown row.
    const followed = [100, 100, 60, ...Array.from({ length: files - 3 }, () => 20)];
    const file = (f: number): string => `.github/workflows/w${String(f).padStart(2, '0')}.yml`;
    const line = (call: number): number => 7 + 3 * call;
    const why =
      "`./.github/actions/setup` was not followed: the scan's budget of calls was spent (see the finding on this file), so its Claude runs were not checked";
    expect(
      report.routes.map(
        (r) => `${r.file}:${r.line}:${r.column} ${r.route} [${r.outcomes}] ${r.verdict} ${r.reason}`,
      ),
    ).toEqual(
      followed.flatMap((n, f) =>
        Array.from(
          { length: calls - n },
          (_, i) =>
            `${file(f)}:${line(n + i)}:15 unknown [unknown] ${i === 0 ? 'error: parse-error' : 'ok'} ${why}`,
        ),
      ),
    );
    expect(findingsOf(report)).toEqual(
      followed.flatMap((n, f) => (n < calls ? [`error parse-error (high) ${file(f)}:${line(n)}:15`] : [])),
    );
    expect(new Set(report.findings.map((f) => f.message))).toEqual(
      new Set([
        `The scan has followed as many calls to reusable workflows, local actions and scripts as its files allow (${MAX_EXPANSIONS}, and ${SCAN_SHARE_PER_FILE.expansions} more for each file), so it stopped following them here; runs further down are not checked.`,
      ]),
    );
    expect(report.unresolved).toEqual([]);
  });
});
