import { describe, expect, it } from '@jest/globals';
import Ajv from 'ajv';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import '@microsoft/jest-sarif';
import { runCli } from '../src/cli.js';
import { provedRoute, type RunEvidence } from '../src/claude/proof.js';
import { RUN_SCHEMA_URL } from '../src/report/runs.js';
import { modelName } from '../src/runlog/runs.js';
import { LogScanner, type LogMessage } from '../src/runlog/scanner.js';
import { verifyLogFile } from '../src/runlog/verify.js';
import { cliAt, FIXTURES, ROOT } from './helpers.js';
import { CANARY, canaryLog, makeBigLog } from './run-logs.js';

const RUNS = join(FIXTURES, 'runs');
const verify = (args: string[], cwd = RUNS): { code: number; out: string; err: string } =>
  cliAt(cwd, ['verify-run', ...args]);

const schema = JSON.parse(readFileSync(join(ROOT, 'schema', 'run-v1.json'), 'utf8')) as { $id: string };
const validate = new Ajv({ allErrors: true }).compile(schema);
const problems = (json: unknown): string[] =>
  validate(json) ? [] : (validate.errors ?? []).map((e) => `${e.dataPath} ${e.message}`);

interface RunJson {
  file: string;
  run: number;
  line: number;
  route: string;
  evidence: {
    apiKeySource: string | null;
    providers: string[];
    rateLimitEvents: number;
    decidedBy: string;
    possible: string[];
    line: number | null;
    column: number | null;
  };
  failure: { kind: string; apiErrorStatus: number | null } | null;
}

/** The whole JSON answer for some logs, validated against schema/run-v1.json. */
function json(args: string[]): {
  code: number;
  runs: RunJson[];
  findings: { rule: string; file: string; line: number; column: number; message: string }[];
  err: string;
} {
  const { code, out, err } = verify(['--format', 'json', ...args]);
  const parsed = JSON.parse(out) as { runs: RunJson[]; findings: never[] };
  expect(problems(parsed)).toEqual([]);
  return { code, runs: parsed.runs, findings: parsed.findings, err };
}

/** route, what decided it, what it leaves open, and the failure: the proof of each run, whole. */
const proofOf = (r: RunJson): [string, string, string[], string | null] => [
  r.route,
  r.evidence.decidedBy,
  r.evidence.possible,
  r.failure?.kind ?? null,
];

describe('the proved route, every row of the mapping, from fixture logs', () => {
  it.each([
    ['api-key.json', 'api-key', 'api-key-source'],
    ['api-key-helper.jsonl', 'api-key-helper', 'api-key-source'],
    ['console-login.json', 'console-login', 'api-key-source'],
    ['bedrock.json', 'bedrock', 'cloud-provider'],
    ['vertex.jsonl', 'vertex', 'cloud-provider'],
    ['foundry.json', 'foundry', 'cloud-provider'],
    ['anthropic-aws.jsonl', 'bedrock', 'cloud-provider'],
    ['mantle.jsonl', 'bedrock', 'cloud-provider'],
    ['gateway.jsonl', 'gateway-token', 'gateway-provider'],
    ['subscription.jsonl', 'subscription-login', 'rate-limit-events'],
  ])('%s proves %s (%s)', (file, route, decidedBy) => {
    const { code, runs } = json([file]);
    expect(code).toBe(0);
    expect(runs.map(proofOf)).toEqual([[route, decidedBy, [], null]]);
  });

  it('none + firstParty without rate-limit events is unknown alone, and the declared credential picks it', () => {
    const open = ['subscription-oauth-token', 'workload-identity', 'console-login', 'gateway-token'];
    expect(json(['first-party-no-rate-limit.json']).runs.map(proofOf)).toEqual([
      ['unknown', 'none', open, null],
    ]);
    expect(
      json(['first-party-no-rate-limit.json', '--expect', 'workload-identity']).runs.map(proofOf),
    ).toEqual([['workload-identity', 'declared-credentials', [], null]]);
    // A declared key is not among what the log leaves open: the run stays unknown, never a mismatch.
    const key = json(['first-party-no-rate-limit.json', '--expect', 'api-key']);
    expect([key.code, key.runs.map(proofOf), key.findings]).toEqual([
      0,
      [['unknown', 'none', open, null]],
      [],
    ]);
  });

  it('a spent window: rate-limit events prove a subscription though modelUsage is empty, and the 429 is named', () => {
    const { runs } = json(['window-spent.jsonl', '--expect', 'subscription-oauth-token']);
    expect(runs.map(proofOf)).toEqual([
      ['subscription-oauth-token', 'rate-limit-events', [], 'subscription-window-spent'],
    ]);
    expect(runs[0]!.failure).toEqual({ kind: 'subscription-window-spent', apiErrorStatus: 429 });
  });

  it('names a rejected credential and refused subscription access from the fixed catalogue', () => {
    expect(json(['credential-rejected.jsonl']).runs.map(proofOf)).toEqual([
      ['api-key', 'api-key-source', [], 'credential-rejected'],
    ]);
    const refused = json(['subscription-disabled.json']).runs[0]!;
    expect([refused.route, refused.failure]).toEqual([
      'unknown',
      { kind: 'subscription-access-disabled', apiErrorStatus: 403 },
    ]);
  });

  it('a log with no init, or no message at all, is one unknown run that failed before it started', () => {
    expect(json(['no-init.json', 'empty.json']).runs.map((r) => [r.file, ...proofOf(r)])).toEqual([
      ['no-init.json', 'unknown', 'none', [], 'no-init'],
      ['empty.json', 'unknown', 'none', [], 'no-init'],
    ]);
  });

  it('--expect on a log with no init warns that nothing was checked, and a log cut inside its first line too', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-unproved-'));
    // The first line of a real stream-json log, cut by its writer before the line ended.
    const whole = readFileSync(join(RUNS, 'subscription.jsonl'), 'utf8');
    writeFileSync(join(dir, 'cut-first.jsonl'), whole.slice(0, whole.indexOf('\n') - 40));
    const { code, runs, findings, err } = json(
      [join(RUNS, 'no-init.json'), 'cut-first.jsonl', '--expect', 'api-key'].map((f) =>
        f.startsWith('/') || f.startsWith('--') || f === 'api-key' ? f : join(dir, f),
      ),
    );
    expect(runs.map(proofOf)).toEqual([
      ['unknown', 'none', [], 'no-init'],
      ['unknown', 'none', [], 'no-init'],
    ]);
    expect(
      findings.map((f) => [
        f.rule,
        f.file.endsWith('no-init.json') ? 'no-init.json' : 'cut-first.jsonl',
        f.line,
        f.column,
      ]),
    ).toEqual([
      ['unproved-run', 'no-init.json', 2, 3],
      ['unproved-run', 'cut-first.jsonl', 1, 1],
    ]);
    expect(findings[0]!.message).toContain('--expect gives api-key, but run 1 of');
    expect(findings[0]!.message).toContain('its log holds no system/init message');
    // A warning: the exit code stays 0, and the cut line is still said on stderr.
    expect(code).toBe(0);
    expect(err).toContain('cut-first.jsonl:1:1: the last line is cut short');
  });

  it('reports each run of a file that holds two (a resumed session starts a new init)', () => {
    const { code, runs, findings } = json(['two-runs.jsonl', '--expect', 'api-key']);
    expect(runs.map((r) => [r.run, r.line, ...proofOf(r)])).toEqual([
      [1, 1, 'api-key', 'api-key-source', [], null],
      [2, 4, 'subscription-login', 'rate-limit-events', [], null],
    ]);
    expect(code).toBe(1);
    expect(findings.map((f) => [f.rule, f.file, f.line, f.column])).toEqual([
      ['run-route-mismatch', 'two-runs.jsonl', 5, 9],
    ]);
  });
});

describe('the pure proof function', () => {
  const evidence = (e: Partial<RunEvidence>): RunEvidence => ({
    apiKeySource: 'none',
    providers: [],
    rateLimitEvents: 0,
    ...e,
  });

  it('never guesses: an unknown key source, two clouds or no provider leave the route open', () => {
    expect(provedRoute(evidence({ apiKeySource: 'other' }), [])).toEqual({
      route: 'unknown',
      decidedBy: 'none',
      possible: [],
    });
    expect(provedRoute(evidence({ providers: ['bedrock', 'vertex'] }), [])).toEqual({
      route: 'unknown',
      decidedBy: 'cloud-provider',
      possible: ['bedrock', 'vertex'],
    });
    expect(provedRoute(evidence({}), ['api-key']).route).toBe('unknown');
    expect(provedRoute(evidence({ apiKeySource: null, rateLimitEvents: 3 }), [])).toEqual({
      route: 'unknown',
      decidedBy: 'none',
      possible: [],
    });
  });

  it('a key in apiKeySource wins over anything else in the log', () => {
    expect(
      provedRoute(
        evidence({ apiKeySource: 'ANTHROPIC_API_KEY', providers: ['bedrock'], rateLimitEvents: 2 }),
        [],
      ),
    ).toEqual({ route: 'api-key', decidedBy: 'api-key-source', possible: [] });
  });

  it('names the OAuth token for a subscription only when it is in play, and leaves two in play open', () => {
    const sub = evidence({ providers: ['firstParty'], rateLimitEvents: 1 });
    expect(provedRoute(sub, ['api-key']).route).toBe('subscription-login');
    expect(provedRoute(sub, ['api-key', 'subscription-oauth-token']).route).toBe('subscription-oauth-token');
    expect(provedRoute(evidence({ providers: ['firstParty'] }), ['console-login', 'gateway-token'])).toEqual({
      route: 'unknown',
      decidedBy: 'none',
      possible: ['console-login', 'gateway-token'],
    });
  });

  it('keeps model ids made of family words and numbers, and nothing else', () => {
    expect(
      [
        'claude-sonnet-4-6',
        'claude-opus-5[1m]',
        'claude-3-5-haiku-20241022',
        'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
        'claude-sonnet-4-5@20250929',
        'claude-sonnet-4-6-ignore-previous-instructions',
        'gpt-4o',
        'claude-sonnet-4-6 ',
      ].map(modelName),
    ).toEqual([
      'claude-sonnet-4-6',
      'claude-opus-5[1m]',
      'claude-3-5-haiku-20241022',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'claude-sonnet-4-5@20250929',
      'other',
      'other',
      'other',
    ]);
  });
});

describe('verify-run --expect', () => {
  it('fails with run-route-mismatch on the log text that proves another route', () => {
    const { code, findings } = json(['subscription.jsonl', '--expect', 'api-key']);
    expect(code).toBe(1);
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'run-route-mismatch', file: 'subscription.jsonl', line: 2, column: 9 }),
    ]);
    expect(findings[0]!.message).toBe(
      "--expect gives api-key, but run 1 of subscription.jsonl used subscription-login: its log holds 2 rate-limit events, which Claude Code sends only on a claude.ai subscription (apiKeySource none, provider firstParty). So a person's claude.ai plan, from the usage windows they share with their own work paid for it. The declared credential did not reach Claude Code, so it fell back to a subscription: check that the secret is set for this event (fork pull requests and Dependabot get none) and that the step passes it; on a self-hosted runner, sign the stored login out.",
    );
  });

  it('puts the finding on the value of apiKeySource, or of the provider, that decides', () => {
    const at = (file: string): [number, number][] =>
      json([file, '--expect', 'subscription-login']).findings.map((f) => [f.line, f.column]);
    expect(at('api-key.json')).toEqual([[12, 21]]);
    expect(at('bedrock.json')).toEqual([[82, 21]]);
  });

  it('matches a subscription of either kind, and the key itself', () => {
    expect(verify(['subscription.jsonl', '--expect', 'subscription-oauth-token']).code).toBe(0);
    expect(verify(['subscription.jsonl', '--expect', 'subscription-login']).code).toBe(0);
    expect(verify(['api-key.json', '--expect', 'api-key']).code).toBe(0);
  });

  it('refuses an --expect that is no route, and a missing file', () => {
    expect(verify(['api-key.json', '--expect', 'apikey'])).toEqual({
      code: 2,
      out: '',
      err: expect.stringMatching(
        /^claude-route-guard: --expect must be a route: api-key, .* not "apikey" \(did you mean "api-key"\?\)$/,
      ),
    });
    expect(verify(['api-key.json', '--expect', 'unknown']).code).toBe(2);
    expect(verify(['no-such.json'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: no-such.json: no such file',
    });
  });
});

describe('verify-run on logs that are not whole', () => {
  it('an execution file whose array does not close: exit 2, one line with the file and the position', () => {
    expect(verify(['truncated.json'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: truncated.json: 61:13: the execution file ends inside the message that starts at 54:3: it was cut short',
    });
  });

  it('stream-json whose last line is cut short: the line is ignored and said in one line', () => {
    const { code, out, err } = verify(['cut-short.jsonl', '--format', 'json']);
    expect(code).toBe(0);
    expect(err).toBe(
      'claude-route-guard: cut-short.jsonl:4:1: the last line is cut short (its writer stopped mid-message); it is ignored',
    );
    const parsed = JSON.parse(out) as { runs: RunJson[]; cutShort: unknown[] };
    expect(parsed.runs.map(proofOf)).toEqual([['subscription-login', 'rate-limit-events', [], 'no-result']]);
    expect(parsed.cutShort).toEqual([{ file: 'cut-short.jsonl', line: 4, column: 1 }]);
  });

  it('a cut line followed by another, or a line with two messages, is unreadable at its position', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-log-'));
    writeFileSync(join(dir, 'broken.jsonl'), '{"type":"system","subtype":"in\n{"type":"result"}\n');
    writeFileSync(join(dir, 'two.jsonl'), '{"type":"user"} {"type":"user"}\n');
    writeFileSync(join(dir, 'bad.json'), '[\n  {"type":"result", "num_turns": 01}\n]\n');
    writeFileSync(join(dir, 'text.log'), 'Error: not logged in\n');
    expect(cliAt(dir, ['verify-run', 'broken.jsonl']).err).toBe(
      'claude-route-guard: broken.jsonl: 1:1: a stream-json line stops inside a message, and more lines follow',
    );
    expect(cliAt(dir, ['verify-run', 'two.jsonl']).err).toBe(
      'claude-route-guard: two.jsonl: 1:17: a stream-json line holds more than one message',
    );
    expect(cliAt(dir, ['verify-run', 'bad.json']).err).toBe(
      'claude-route-guard: bad.json: 2:35: a message is not valid JSON',
    );
    expect(cliAt(dir, ['verify-run', 'text.log'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: text.log: 1:1: this is neither an execution file (a JSON array) nor stream-json lines',
    });
  });
});

describe('the scanner, however the bytes arrive', () => {
  /** Every message's type and position, and the end, with the log cut into pieces of `size` bytes. */
  function scanIn(bytes: Buffer, size: number): unknown[] {
    const seen: unknown[] = [];
    const scanner = new LogScanner(
      (m: LogMessage) => seen.push([m.type, m.line, m.column, m.text === undefined ? 'skipped' : 'parsed']),
      (type) => type !== 'assistant',
    );
    for (let i = 0; i < bytes.length; i += size) scanner.push(bytes.subarray(i, i + size));
    seen.push(scanner.end(), scanner.work.parsed);
    return seen;
  }

  it('gives the same messages, positions and parses in one piece, byte by byte, or in odd pieces', () => {
    // A byte order mark, multi-byte characters before a message on the same line, escapes, nesting.
    const log = Buffer.from(
      '\ufeff[{"type":"system","subtype":"init","x":"é\\"ü"},{"type":"assistant","m":{"t":"日本\\\\"}}, {"type":"result","y":[1,{"z":"\\u0041"}]}\n]\n',
    );
    const whole = scanIn(log, log.length);
    expect(whole).toEqual([
      ['system', 1, 2, 'parsed'],
      ['assistant', 1, 48, 'skipped'],
      ['result', 1, 87, 'parsed'],
      { format: 'execution-file' },
      2,
    ]);
    expect(scanIn(log, 1)).toEqual(whole);
    expect(scanIn(log, 7)).toEqual(whole);
    const lines = readFileSync(join(RUNS, 'two-runs.jsonl'));
    expect(scanIn(lines, 1)).toEqual(scanIn(lines, lines.length));
  });
});

describe('verify-run reads logs as untrusted input', () => {
  it('refuses a symbolic link, a folder reached through one, a log over --max-log-size, and a non-file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-log-'));
    writeFileSync(join(dir, 'real.json'), readFileSync(join(RUNS, 'api-key.json')));
    symlinkSync(join(dir, 'real.json'), join(dir, 'link.json'));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(dir, join(dir, 'sub', 'up'));
    expect(cliAt(dir, ['verify-run', 'link.json']).err).toBe(
      'claude-route-guard: link.json: it is a symbolic link, not followed',
    );
    expect(cliAt(dir, ['verify-run', 'sub/up/real.json']).err).toBe(
      'claude-route-guard: sub/up/real.json: a folder on its path is a symbolic link (or missing); give the real path',
    );
    expect(cliAt(dir, ['verify-run', 'real.json', '--max-log-size', '1k'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: real.json: it is 3053 bytes, over the log size limit of 1024 bytes (--max-log-size, input max-log-size)',
    });
    expect(cliAt(dir, ['verify-run', 'sub']).err).toBe('claude-route-guard: sub: not a regular file');
    expect(cliAt(dir, ['verify-run', 'real.json']).code).toBe(0);
  });

  it('reads standard input (-) as it arrives, under the same cap', async () => {
    const lines = readFileSync(join(RUNS, 'subscription.jsonl'));
    let out = '';
    let err = '';
    const io = (chunks: Buffer[]) => ({
      cwd: RUNS,
      stdout: (t: string) => (out += t),
      stderr: (t: string) => (err += t),
      stdin: (async function* () {
        yield* chunks;
      })(),
    });
    const halves = [lines.subarray(0, 700), lines.subarray(700)];
    expect(await runCli(['verify-run', '-', '--format', 'json', '--expect', 'api-key'], io(halves))).toBe(1);
    expect((JSON.parse(out) as { runs: RunJson[] }).runs.map((r) => [r.file, r.route])).toEqual([
      ['-', 'subscription-login'],
    ]);
    out = '';
    expect(await runCli(['verify-run', '-', '--max-log-size', '1k'], io(halves))).toBe(2);
    expect(err).toBe(
      'claude-route-guard: -: it is over the log size limit of 1024 bytes (--max-log-size, input max-log-size)',
    );
  });

  it('dispatches only the exact first word: ./verify-run is a folder to scan', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-sub-'));
    mkdirSync(join(dir, 'verify-run'));
    writeFileSync(
      join(dir, 'verify-run', 'ci.yml'),
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n',
    );
    const scanned = cliAt(dir, ['./verify-run', '--format', 'json']);
    expect([scanned.code, (JSON.parse(scanned.out) as { routes: unknown[] }).routes]).toEqual([0, []]);
    expect(cliAt(dir, ['verify-run', '--help']).out).toMatch(
      /^Usage: claude-route-guard verify-run FILE\.\.\./,
    );
    expect(cliAt(dir, ['constructor']).code).toBe(2);
  });
});

describe('verify-run output formats', () => {
  it('JSON names its schema, the file shipped in schema/ (whose enums vocabulary.test.ts holds to the code)', () => {
    const { out } = verify(['api-key.json', '--format', 'json']);
    expect((JSON.parse(out) as { schema: string }).schema).toBe(RUN_SCHEMA_URL);
    expect(schema.$id).toBe(RUN_SCHEMA_URL);
  });

  it('docs/json.md describes every field of the schema', () => {
    const page = readFileSync(join(ROOT, 'docs', 'json.md'), 'utf8');
    const fields = [...JSON.stringify(schema).matchAll(/"required":\[([^\]]*)\]/g)].flatMap(
      (m) => JSON.parse(`[${m[1]}]`) as string[],
    );
    expect([...new Set(fields)].filter((f) => !page.includes(`\`${f}\``))).toEqual([]);
  });

  it('SARIF is valid 2.1.0 and carries the runs beside the results', () => {
    const { code, out } = verify(['two-runs.jsonl', '--format', 'sarif', '--expect', 'api-key']);
    expect(code).toBe(1);
    const log = JSON.parse(out) as {
      runs: {
        results: { ruleId: string; locations: { physicalLocation: { region: object } }[] }[];
        properties: { claudeRuns: { route: string }[] };
      }[];
    };
    (expect(log) as unknown as { toBeValidSarifLog(): void }).toBeValidSarifLog();
    expect(log.runs[0]!.results.map((r) => [r.ruleId, r.locations[0]!.physicalLocation.region])).toEqual([
      ['run-route-mismatch', { startLine: 5, startColumn: 9, endLine: 5, endColumn: 27 }],
    ]);
    expect(log.runs[0]!.properties.claudeRuns.map((r) => r.route)).toEqual(['api-key', 'subscription-login']);
  });

  it('text gives each run and its cost, labelled as an estimate; github gives commands', () => {
    expect(verify(['subscription.jsonl']).out.split('\n')).toEqual([
      '1 run in 1 log',
      '',
      'subscription.jsonl run 1 (line 1): subscription-login',
      '    proved by: apiKeySource none, provider firstParty, 2 rate-limit events',
      '    models: claude-opus-4-6 (firstParty)',
      '    Claude Code 2.1.262, 2 turns, 21.2 s, tokens: 2 in, 120 out, 0 cache read, 20,333 cache write',
      "    cost: $0.5127, covered by the plan's usage limits, not billed per token",
      '    failure: -',
    ]);
    expect(verify(['api-key.json']).out).toContain(
      'cost: $0.2481, estimated at list prices; the bill is in the Console usage page or the cloud account',
    );
    expect(verify(['bedrock.json', '--format', 'github', '--expect', 'bedrock']).out).toBe(
      '::notice title=claude-route-guard%3A run 1::bedrock.json run 1 used bedrock (apiKeySource none, provider bedrock)',
    );
  });
});

describe('a canary in every text field of a log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'crg-canary-'));
  // Every fixture log that is whole: the cut ones are below, cut again with the canary in them.
  const whole = readdirSync(RUNS).filter((f) => !['truncated.json', 'cut-short.jsonl'].includes(f));
  const files = whole.flatMap((f, i) => {
    writeFileSync(join(dir, `text-${i}.json`), canaryLog(f, false));
    writeFileSync(join(dir, `all-${i}.json`), canaryLog(f, true));
    return [`text-${i}.json`, `all-${i}.json`];
  });
  const routes = (cwd: string, logs: string[]): string[] =>
    (JSON.parse(cliAt(cwd, ['verify-run', ...logs, '--format', 'json']).out) as { runs: RunJson[] }).runs.map(
      (r) => r.route,
    );

  it('never appears in text, JSON, SARIF or workflow commands, while the proof still works', () => {
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const run = cliAt(dir, ['verify-run', ...files, '--format', format, '--expect', 'foundry']);
      expect([format, run.code]).toEqual([format, 1]);
      expect(run.out + run.err).not.toMatch(/CANARY/i);
    }
    // With the enums kept, every route is proved as from the clean log; with every key replaced, none is.
    const texts = files.filter((f) => f.startsWith('text-'));
    expect(routes(dir, texts)).toEqual(routes(RUNS, whole));
    expect(new Set(routes(dir, texts))).toEqual(
      new Set([
        'api-key',
        'api-key-helper',
        'console-login',
        'bedrock',
        'vertex',
        'foundry',
        'gateway-token',
        'subscription-login',
        'unknown',
      ]),
    );
    expect(
      new Set(
        routes(
          dir,
          files.filter((f) => f.startsWith('all-')),
        ),
      ),
    ).toEqual(new Set(['unknown']));
  });

  it('never appears in the one line that says a log is cut short', () => {
    const log = canaryLog('subscription.jsonl', false);
    writeFileSync(join(dir, 'cut.json'), log.slice(0, log.lastIndexOf(CANARY) + 3));
    const lines = (JSON.parse(log) as unknown[]).map((m) => JSON.stringify(m));
    writeFileSync(join(dir, 'cut.jsonl'), `${lines.join('\n').slice(0, -20)}`);
    const cut = [cliAt(dir, ['verify-run', 'cut.json']), cliAt(dir, ['verify-run', 'cut.jsonl'])];
    expect(cut.map((r) => [r.code, r.err])).toEqual([
      [
        2,
        'claude-route-guard: cut.json: 112:17: the execution file ends inside the message that starts at 78:3: it was cut short',
      ],
      [
        0,
        'claude-route-guard: cut.jsonl:5:1: the last line is cut short (its writer stopped mid-message); it is ignored',
      ],
    ]);
    expect(cut.map((r) => r.out + r.err).join('\n')).not.toMatch(/CANARY/i);
  });
});

describe('a log of tens of megabytes', () => {
  it('is read once, chunk by chunk, and only the messages the proof reads are parsed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'crg-big-'));
    const path = join(dir, 'big.json');
    const messages = makeBigLog(path, 24 * 1024 * 1024);
    const size = readFileSync(path).length;
    const log = verifyLogFile('big.json', path, 100 * 1024 * 1024, { inPlay: [] });
    if ('reason' in log) throw new Error(log.reason);
    // Every byte is read, every message is checked for structure, and only init, the rate-limit
    // events and the result are parsed: the tool outputs that make the size are never parsed.
    expect(log.work).toEqual({ bytes: size, messages, parsed: 3 });
    expect(log.runs.map((r) => [r.proof.route, r.turns])).toEqual([['subscription-login', messages - 3]]);
    expect(size).toBeGreaterThan(24 * 1024 * 1024);
  });
});

describe('the bundled CLI', () => {
  it('runs verify-run as the bin does, with a log on standard input', () => {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'dist', 'cli', 'index.js'), 'verify-run', '-', '--format', 'json'],
      {
        input: readFileSync(join(RUNS, 'gateway.jsonl')),
        encoding: 'utf8',
      },
    );
    expect((JSON.parse(out) as { runs: RunJson[] }).runs.map((r) => r.route)).toEqual(['gateway-token']);
  });
});
