/**
 * An error needs a fact: every finding says how sure it is, and only what the files decide can fail a
 * build. The fixtures under fixtures/confidence state each construct on real YAML.
 */
import { describe, expect, it } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { parsePolicy } from '../src/policy/policy.js';
import type { Policy, Report } from '../src/scan.js';
import { commandReach } from '../src/claude/sdk-reach.js';
import { fsRepo } from '../src/load.js';
import { parseShell } from '../src/shell/reader.js';
import { cliAt, FIXTURES, jsonReportAt, scanAt, tempFolder, wholeAnswer } from './helpers.js';

const CONFIDENCE = join(FIXTURES, 'confidence');

function scanConfidence(paths: string[], policy?: Policy): Report {
  return scanAt(CONFIDENCE, paths, policy);
}

/** The whole answer, without messages: each row with its verdict, each finding with its place. */
const answer = (report: Report): { routes: string[]; findings: string[] } => wholeAnswer(report);

const SURE_AND_UNSURE = '.github/workflows/sure-and-unsure.yml';
const WRAPPER = '.github/actions/review/action.yml';

describe('confidence, apart from severity', () => {
  it('is high for a route the file fixes, medium for a look-alike or a wrapper read alone, low for a program nobody read', () => {
    expect(answer(scanConfidence([SURE_AND_UNSURE, WRAPPER]))).toEqual({
      routes: [
        `${SURE_AND_UNSURE}:9:15 official claude-code-action subscription-oauth-token known -> error: subscription-token-in-ci`,
        `${SURE_AND_UNSURE}:16:15 fork lookalike subscription-oauth-token known -> warning: subscription-token-in-ci`,
        `${SURE_AND_UNSURE}:22:14 tests opaque subscription-oauth-token inferred -> warning: subscription-token-in-ci`,
        `${WRAPPER}:10:13 (composite) claude-code-action subscription-oauth-token inferred -> warning: subscription-token-in-ci`,
      ],
      findings: [
        `${WRAPPER}:12:34 warning[subscription-token-in-ci] medium`,
        `${SURE_AND_UNSURE}:4:5 warning[secret-unavailable-on-trigger] high`,
        `${SURE_AND_UNSURE}:11:36 error[subscription-token-in-ci] high`,
        `${SURE_AND_UNSURE}:16:15 warning[lookalike-claude] medium`,
        `${SURE_AND_UNSURE}:18:36 warning[subscription-token-in-ci] medium`,
        `${SURE_AND_UNSURE}:24:36 warning[subscription-token-in-ci] low`,
      ],
    });
  });

  it('says what a finding that is not sure rests on', () => {
    const report = scanConfidence([SURE_AND_UNSURE, WRAPPER]);
    const messages = report.findings
      .filter((f) => f.rule === 'subscription-token-in-ci')
      .map((f) => f.message.replace(/^.*?( \(Confidence .*)?$/s, '$1'));
    expect(messages).toEqual([
      ' (Confidence medium: depends on the caller passing `inputs.token`.)',
      '',
      " (Confidence medium: `grll/claude-code-action@beta` is not Anthropic's, and what it does with the credential is judged from its name.)",
      ' (Confidence low: `npm test` receives CLAUDE_CODE_OAUTH_TOKEN; its inside was not checked.)',
    ]);
  });

  it('caps a policy that rates the rule an error at warning when the finding is not sure', () => {
    const policy = parsePolicy(
      'rules:\n  lookalike-claude: error\n  subscription-token-in-ci: error\n',
      '.github/claude-route-guard.yml',
    );
    expect(answer(scanConfidence([SURE_AND_UNSURE], policy)).findings).toEqual([
      `${SURE_AND_UNSURE}:4:5 warning[secret-unavailable-on-trigger] high`,
      `${SURE_AND_UNSURE}:11:36 error[subscription-token-in-ci] high`,
      `${SURE_AND_UNSURE}:16:15 warning[lookalike-claude] medium`,
      `${SURE_AND_UNSURE}:18:36 warning[subscription-token-in-ci] medium`,
      `${SURE_AND_UNSURE}:24:36 warning[subscription-token-in-ci] low`,
    ]);
  });

  it('is in the JSON of every finding, in SARIF as rank and property, and in text when not high', () => {
    const json = JSON.parse(
      cliAt(CONFIDENCE, [SURE_AND_UNSURE, '--format', 'json', '--fail-on', 'never']).out,
    ) as {
      findings: { rule: string; line: number; severity: string; confidence: string }[];
    };
    expect(json.findings.map((f) => `${f.line} ${f.rule} ${f.severity} ${f.confidence}`)).toEqual([
      '4 secret-unavailable-on-trigger warning high',
      '11 subscription-token-in-ci error high',
      '16 lookalike-claude warning medium',
      '18 subscription-token-in-ci warning medium',
      '24 subscription-token-in-ci warning low',
    ]);
    const sarif = JSON.parse(
      cliAt(CONFIDENCE, [SURE_AND_UNSURE, '--format', 'sarif', '--fail-on', 'never']).out,
    ) as Log;
    expect(
      sarif.runs[0]!.results!.map(
        (r) =>
          `${r.locations![0]!.physicalLocation!.region!.startLine} ${r.level} ${r.rank} ${String(r.properties?.confidence)}`,
      ),
    ).toEqual([
      '11 error 90 high',
      '4 warning 90 high',
      '16 warning 60 medium',
      '18 warning 60 medium',
      '24 warning 30 low',
    ]);
    const compact = cliAt(CONFIDENCE, [SURE_AND_UNSURE, '--compact', '--fail-on', 'never']).out.split('\n');
    expect(compact.map((l) => /^\S+: (\w+\[[a-z-]+\]: (\((\w+) confidence\))?)/.exec(l)?.[1])).toEqual([
      'error[subscription-token-in-ci]: ',
      'warning[secret-unavailable-on-trigger]: ',
      'warning[lookalike-claude]: (medium confidence)',
      'warning[subscription-token-in-ci]: (medium confidence)',
      'warning[subscription-token-in-ci]: (low confidence)',
      undefined,
    ]);
  });

  it('fails the build only on a finding of high confidence', () => {
    const withoutOfficial = cliAt(CONFIDENCE, [WRAPPER, '--compact']);
    expect([withoutOfficial.code, withoutOfficial.out.split('\n')[0]!.slice(0, 95)]).toEqual([
      0,
      '.github/actions/review/action.yml:12:34: warning[subscription-token-in-ci]: (medium confidence)',
    ]);
    expect(cliAt(CONFIDENCE, [SURE_AND_UNSURE, '--compact']).code).toBe(1);
  });
});

const SDK_MANIFEST = join(FIXTURES, 'sdk-manifest');

describe('a manifest is not a run', () => {
  it('gives no row to the checks of a repository that depends on the Agent SDK', () => {
    expect(answer(scanAt(SDK_MANIFEST, ['.github/workflows/ci.yml']))).toEqual({ routes: [], findings: [] });
  });

  it('makes a run of a file that imports the SDK, directly or as a package script, and an inferred one of what was not read after an install by name', () => {
    const report = scanAt(SDK_MANIFEST, ['.github/workflows/review.yml']);
    const file = '.github/workflows/review.yml';
    expect(answer(report)).toEqual({
      routes: [
        `${file}:11:14 node agent-sdk subscription-login known -> error: headless-without-api-route`,
        `${file}:17:14 python agent-sdk api-key known -> warning: secret-unavailable-on-trigger`,
        `${file}:24:14 named agent-sdk subscription-login inferred -> warning: headless-without-api-route`,
      ],
      findings: [
        `${file}:4:5 warning[secret-unavailable-on-trigger] high`,
        `${file}:11:14 error[headless-without-api-route] high`,
        `${file}:17:14 notice[unbounded-spend] high`,
        `${file}:24:14 warning[headless-without-api-route] low`,
      ],
    });
    expect(report.routes[2]!.opaque).toBe(
      'what `python -m agent_review` runs was not read; the job installed the Agent SDK before it',
    );
  });
});

describe('tests and local modules', () => {
  const file = '.github/workflows/tests.yml';

  it('makes no run of a project’s tests a credential is only in reach of, and a run of a script that reaches the SDK through a module of the repository', () => {
    expect(answer(scanAt(SDK_MANIFEST, [file]))).toEqual({
      routes: [
        `${file}:25:14 handed-to-tests opaque subscription-oauth-token inferred -> warning: subscription-token-in-ci`,
        `${file}:34:14 through-modules agent-sdk subscription-oauth-token known -> error: subscription-token-in-ci`,
        `${file}:36:14 through-modules agent-sdk subscription-oauth-token known -> error: subscription-token-in-ci`,
      ],
      findings: [
        `${file}:6:3 warning[broad-credential-scope] high`,
        `${file}:6:28 error[subscription-token-in-ci] high`,
        `${file}:27:36 warning[subscription-token-in-ci] low`,
      ],
    });
  });
});

describe('the Agent SDK through modules of the repository', () => {
  const reach = (files: Record<string, string>, command: string, link?: [string, string]): string => {
    const root = tempFolder(files);
    if (link) symlinkSync(join(root, link[1]), join(root, link[0]));
    return commandReach(parseShell(command)[0]!, fsRepo(root, root));
  };
  const SDK = "import { query } from '@anthropic-ai/claude-agent-sdk';\n";
  const chain = (length: number): Record<string, string> =>
    Object.fromEntries(
      Array.from({ length }, (_, k) => [
        `m${k}.mjs`,
        k === length - 1 ? SDK : `import { run } from './m${k + 1}.mjs';\n`,
      ]),
    );

  it('is followed four modules deep, and no deeper', () => {
    expect([reach(chain(5), 'node m0.mjs'), reach(chain(6), 'node m0.mjs')]).toEqual(['imports', 'none']);
  });

  it('is followed in Python, from the script’s folder, from the root and relative to the package', () => {
    expect([
      reach(
        {
          'tools/run.py': 'from agent.core import go\n',
          'tools/agent/core.py': 'from claude_agent_sdk import query\n',
        },
        'python tools/run.py',
      ),
      reach(
        {
          'tools/run.py': 'import pkg.a\n',
          'pkg/a.py': 'from .b import go\n',
          'pkg/b.py': 'import claude_agent_sdk\n',
        },
        'python tools/run.py',
      ),
      reach({ 'tools/run.py': 'import json, os\n' }, 'python tools/run.py'),
    ]).toEqual(['imports', 'imports', 'none']);
  });

  it('never leaves the repository nor reads through a link', () => {
    expect([
      reach({ 'a/run.mjs': "import '../../agent.mjs';\n" }, 'node a/run.mjs'),
      reach({ 'run.mjs': "import './agent.mjs';\n", 'real.mjs': SDK }, 'node run.mjs', [
        'agent.mjs',
        'real.mjs',
      ]),
      reach({ 'run.mjs': "import './agent.mjs';\n", 'agent.mjs': SDK }, 'node run.mjs'),
    ]).toEqual(['none', 'none', 'imports']);
  });
});

describe('words that are not commands', () => {
  it('reads no run in a case pattern, in --help or --version after any subcommand, or in a look-up of the binary; the arm’s body runs', () => {
    const file = '.github/workflows/words-not-commands.yml';
    expect(answer(scanConfidence([file]))).toEqual({
      routes: [`${file}:40:21 run-in-arm cli api-key known -> ok`],
      findings: [],
    });
  });
});

describe('a key named for another provider in Anthropic’s slot', () => {
  it('is misnamed, at medium confidence, unless that provider’s switch or a base URL at it makes the key fit', () => {
    const file = '.github/workflows/provider-keys.yml';
    expect(answer(scanConfidence([file]))).toEqual({
      routes: [
        `${file}:10:15 foundry-key claude-code-action api-key known -> warning: misnamed-credential-input`,
        `${file}:19:14 azure-settings-only cli api-key known -> warning: misnamed-credential-input`,
        `${file}:28:14 foundry-switched cli foundry known -> warning: shadowed-credential`,
        `${file}:35:14 openrouter-gateway cli api-key known -> notice: third-party-endpoint`,
        `${file}:43:14 openai-key cli api-key known -> warning: misnamed-credential-input`,
      ],
      findings: [
        `${file}:12:30 warning[misnamed-credential-input] medium`,
        `${file}:21:30 warning[misnamed-credential-input] medium`,
        `${file}:30:30 warning[shadowed-credential] high`,
        `${file}:37:31 notice[third-party-endpoint] high`,
        `${file}:45:30 warning[misnamed-credential-input] medium`,
      ],
    });
  });
});

describe('a key named for another provider, or a gateway token, in the API-key slot', () => {
  it('warns for GLM, Kimi and Qwen keys and a gateway token sent to Anthropic; a base URL at their issuer fits them', () => {
    const file = '.github/workflows/provider-names.yml';
    expect(answer(scanConfidence([file]))).toEqual({
      routes: [
        `${file}:10:15 glm-key claude-code-action api-key known -> warning: misnamed-credential-input`,
        `${file}:18:14 kimi-key cli api-key known -> warning: misnamed-credential-input`,
        `${file}:25:14 deepseek-at-its-endpoint cli api-key known -> notice: third-party-endpoint`,
        `${file}:33:14 qwen-key cli api-key known -> warning: misnamed-credential-input`,
        `${file}:40:15 auth-token-as-key claude-code-action api-key known -> warning: misnamed-credential-input`,
        `${file}:47:14 auth-token-to-anthropic cli api-key known -> warning: misnamed-credential-input`,
        `${file}:55:15 auth-token-with-gateway claude-code-action api-key known -> notice: third-party-endpoint`,
      ],
      findings: [
        `${file}:12:30 warning[misnamed-credential-input] medium`,
        `${file}:20:30 warning[misnamed-credential-input] medium`,
        `${file}:27:31 notice[third-party-endpoint] high`,
        `${file}:35:30 warning[misnamed-credential-input] medium`,
        `${file}:42:30 warning[misnamed-credential-input] medium`,
        `${file}:50:30 warning[misnamed-credential-input] medium`,
        `${file}:59:31 notice[third-party-endpoint] high`,
      ],
    });
    const messages = scanConfidence([file])
      .findings.filter((f) => f.rule === 'misnamed-credential-input')
      .map((f) =>
        /passes (\S+) .* its name says it (is an? [^,]+? key|holds a gateway's token)/
          .exec(f.message)
          ?.slice(1),
      );
    expect(messages).toEqual([
      ['secrets.GLM_API_KEY', 'is a Z.ai (Zhipu GLM) key'],
      ['secrets.KIMI_API_KEY', 'is a Moonshot (Kimi) key'],
      ['secrets.DASHSCOPE_API_KEY', 'is an Alibaba Cloud (Qwen) key'],
      ['secrets.ANTHROPIC_AUTH_TOKEN', "holds a gateway's token"],
      ['secrets.ANTHROPIC_AUTH_TOKEN', "holds a gateway's token"],
    ]);
  });
});

describe('a token a cloud login minted, in the OAuth slot, sent to a gateway', () => {
  it("is the gateway's route, never a plan's; an OAuth secret through the same gateway may still be a plan's", () => {
    const file = '.github/workflows/gateway-identity-token.yml';
    const report = scanConfidence([file]);
    expect(answer(report)).toEqual({
      routes: [
        `${file}:22:15 litellm-from-vars claude-code-action unknown unknown -> notice: third-party-endpoint`,
        `${file}:37:14 litellm-literal cli unknown unknown -> notice: third-party-endpoint`,
        `${file}:45:15 oauth-secret-through-gateway claude-code-action subscription-oauth-token known -> error: subscription-token-in-ci`,
      ],
      findings: [
        `${file}:24:31 notice[third-party-endpoint] medium`,
        `${file}:39:31 notice[third-party-endpoint] medium`,
        `${file}:47:31 notice[third-party-endpoint] high`,
        `${file}:49:36 error[subscription-token-in-ci] high`,
      ],
    });
    // Run time decides only whether the login gave a token; without one the hosted run has no login to
    // fall back on and fails. No plan's token is among the outcomes.
    expect(report.routes.map((r) => [r.job, r.outcomes, r.endpoint])).toEqual([
      ['litellm-from-vars', ['gateway-token', 'subscription-login'], 'vars.LITELLM_PROXY_URL'],
      ['litellm-literal', ['gateway-token', 'subscription-login'], 'https://litellm.example.com'],
      ['oauth-secret-through-gateway', ['subscription-oauth-token'], 'https://litellm.example.com'],
    ]);
  });
});

describe('compared is not passed', () => {
  const file = '.github/workflows/compared-not-passed.yml';

  it('reads only what an expression can yield: a secret that is only compared is not the value', () => {
    expect(answer(scanConfidence([file]))).toEqual({
      routes: [
        `${file}:10:15 key-unless-token claude-code-action unknown unknown -> ok`,
        `${file}:17:15 token-when-set claude-code-action api-key known -> warning: misnamed-credential-input`,
        `${file}:24:15 token-on-push claude-code-action unknown unknown -> warning: subscription-token-in-ci`,
      ],
      findings: [
        `${file}:19:30 warning[misnamed-credential-input] medium`,
        `${file}:26:36 warning[subscription-token-in-ci] medium`,
      ],
    });
  });

  it('quotes a condition with every character in every format, and redacts no operator on its line', () => {
    const condition = "`github.event_name == 'push' && secrets.CLAUDE_CODE_OAUTH_TOKEN`";
    const json = JSON.parse(cliAt(CONFIDENCE, [file, '--format', 'json']).out) as {
      routes: { job: string; reason: string | null }[];
      findings: { line: number; message: string }[];
    };
    expect(json.routes.map((r) => `${r.job}: ${r.reason}`)).toEqual([
      "key-unless-token: ANTHROPIC_API_KEY is chosen by the condition in `secrets.CLAUDE_CODE_OAUTH_TOKEN == '' && secrets.ANTHROPIC_API_KEY` at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login",
      'token-when-set: null',
      "token-on-push: CLAUDE_CODE_OAUTH_TOKEN is chosen by the condition in `github.event_name == 'push' && secrets.CLAUDE_CODE_OAUTH_TOKEN` at run time; when it is empty, the run fails: a GitHub-hosted runner has no stored login",
    ]);
    expect(json.findings.map((f) => `${f.line}: ${f.message.split(condition).length - 1}`)).toEqual([
      '19: 0',
      '26: 1',
    ]);
    const sarif = JSON.parse(cliAt(CONFIDENCE, [file, '--format', 'sarif']).out) as Log;
    expect(sarif.runs[0]!.results!.map((r) => r.message.text!.split(condition).length - 1)).toEqual([0, 1]);
    const text = cliAt(CONFIDENCE, [file], { env: { COLUMNS: '160' } }).out.split('\n');
    expect(text.filter((l) => /^ +\d+ \| /.test(l))).toEqual([
      "   19 |           anthropic_api_key: ${{ secrets.CLAUDE_CODE_OAUTH_TOKEN != '' && secrets.CLAUDE_CODE_OAUTH_TOKEN || secrets.ANTHROPIC_API_KEY }}",
      "   26 |           claude_code_oauth_token: ${{ github.event_name == 'push' && secrets.CLAUDE_CODE_OAUTH_TOKEN || '' }}",
    ]);
  });
});

describe('--min-confidence', () => {
  const both = [SURE_AND_UNSURE, WRAPPER];
  const json = (least: string): { routes: string[]; findings: string[] } => {
    const report = jsonReportAt(CONFIDENCE, [...both, '--min-confidence', least]);
    return {
      routes: report.routes.map((r) => `${r.file}:${r.line} ${r.job} -> ${r.verdict}`),
      findings: report.findings.map((f) => `${f.file}:${f.line} ${f.severity}[${f.rule}]`),
    };
  };

  it('leaves out of the JSON the findings less sure than asked, and gives no verdict from them', () => {
    const every = {
      routes: [
        `${SURE_AND_UNSURE}:9 official -> error: subscription-token-in-ci`,
        `${SURE_AND_UNSURE}:16 fork -> warning: subscription-token-in-ci`,
        `${SURE_AND_UNSURE}:22 tests -> warning: subscription-token-in-ci`,
        `${WRAPPER}:10 (composite) -> warning: subscription-token-in-ci`,
      ],
      findings: [
        `${WRAPPER}:12 warning[subscription-token-in-ci]`,
        `${SURE_AND_UNSURE}:4 warning[secret-unavailable-on-trigger]`,
        `${SURE_AND_UNSURE}:11 error[subscription-token-in-ci]`,
        `${SURE_AND_UNSURE}:16 warning[lookalike-claude]`,
        `${SURE_AND_UNSURE}:18 warning[subscription-token-in-ci]`,
        `${SURE_AND_UNSURE}:24 warning[subscription-token-in-ci]`,
      ],
    };
    expect(json('low')).toEqual(every);
    expect(json('medium')).toEqual({
      routes: [
        `${SURE_AND_UNSURE}:9 official -> error: subscription-token-in-ci`,
        `${SURE_AND_UNSURE}:16 fork -> warning: subscription-token-in-ci`,
        `${SURE_AND_UNSURE}:22 tests -> hidden: subscription-token-in-ci (low confidence)`,
        `${WRAPPER}:10 (composite) -> warning: subscription-token-in-ci`,
      ],
      findings: every.findings.filter((f) => !f.startsWith(`${SURE_AND_UNSURE}:24 `)),
    });
    expect(json('high')).toEqual({
      routes: [
        `${SURE_AND_UNSURE}:9 official -> error: subscription-token-in-ci`,
        // The fork's job needs the token on pull_request too, a fact of the file.
        `${SURE_AND_UNSURE}:16 fork -> warning: secret-unavailable-on-trigger`,
        `${SURE_AND_UNSURE}:22 tests -> hidden: subscription-token-in-ci (low confidence)`,
        `${WRAPPER}:10 (composite) -> hidden: subscription-token-in-ci (medium confidence)`,
      ],
      findings: [
        `${SURE_AND_UNSURE}:4 warning[secret-unavailable-on-trigger]`,
        `${SURE_AND_UNSURE}:11 error[subscription-token-in-ci]`,
      ],
    });
  });

  it('leaves them out of SARIF, text and compact text too, and out of the exit status', () => {
    const sarif = JSON.parse(
      cliAt(CONFIDENCE, [...both, '--format', 'sarif', '--min-confidence', 'high']).out,
    ) as Log;
    expect(
      sarif.runs[0]!.results!.map(
        (r) => `${r.locations![0]!.physicalLocation!.region!.startLine} ${r.level} ${r.ruleId}`,
      ),
    ).toEqual(['11 error subscription-token-in-ci', '4 warning secret-unavailable-on-trigger']);
    const text = cliAt(CONFIDENCE, [...both, '--min-confidence', 'high']).out.split('\n');
    expect(text.filter((l) => /^\S+:\d+:\d+: \w+\[/.test(l) || /error\(s\)/.test(l))).toEqual([
      '.github/workflows/sure-and-unsure.yml:11:36: error[subscription-token-in-ci]: Job `official` bills',
      '.github/workflows/sure-and-unsure.yml:4:5: warning[secret-unavailable-on-trigger]: Jobs `official`',
      '1 error(s), 1 warning(s), 0 notice(s); 4 finding(s) hidden below high confidence (3 medium, 1 low)',
    ]);
    const compact = cliAt(CONFIDENCE, [...both, '--compact', '--min-confidence', 'medium']);
    expect(compact.out.split('\n').map((l) => l.replace(/^(\S+: \w+\[[a-z-]+\]).*/, '$1'))).toEqual([
      '.github/workflows/sure-and-unsure.yml:11:36: error[subscription-token-in-ci]',
      '.github/actions/review/action.yml:12:34: warning[subscription-token-in-ci]',
      '.github/workflows/sure-and-unsure.yml:4:5: warning[secret-unavailable-on-trigger]',
      '.github/workflows/sure-and-unsure.yml:16:15: warning[lookalike-claude]',
      '.github/workflows/sure-and-unsure.yml:18:36: warning[subscription-token-in-ci]',
      // What the filter left out, last: a filtered list never reads as the whole one.
      '1 finding(s) hidden below medium confidence (1 low)',
    ]);
    // The wrapper's one finding is medium: it fails `--fail-on warning` unless it is left out.
    expect(cliAt(CONFIDENCE, [WRAPPER, '--fail-on', 'warning']).code).toBe(1);
    expect(cliAt(CONFIDENCE, [WRAPPER, '--fail-on', 'warning', '--min-confidence', 'high'])).toEqual({
      code: 0,
      out: [
        '1 Claude Code run in 1 of 1 file scanned',
        '',
        'WHERE              JOB         ROUTE                                VERDICT',
        '…action.yml:10:13  (composit…  subscription-oauth-token (inferred)  hidden: subscription-token-in-ci',
        '    at: .github/actions/review/action.yml:10:13',
        '    job: (composite)',
        '    run: anthropics/claude-code-action@v1',
        '    credential: CLAUDE_CODE_OAUTH_TOKEN <- inputs.token (action-input, 12:34)',
        '    why: depends on the caller passing `inputs.token`',
        '',
        '0 error(s), 0 warning(s), 0 notice(s); 1 finding(s) hidden below high confidence (1 medium)',
      ].join('\n'),
      err: '',
    });
  });

  it('takes only the confidences there are, and says which', () => {
    expect(cliAt(CONFIDENCE, [WRAPPER, '--min-confidence', 'certain'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: --min-confidence must be one of high, medium, low, not "certain"',
    });
    expect(cliAt(CONFIDENCE, [WRAPPER, '--min-confidence', 'Medium']).err).toBe(
      'claude-route-guard: --min-confidence must be one of high, medium, low, not "Medium" (did you mean "medium"?)',
    );
    expect(cliAt(CONFIDENCE, [WRAPPER, '--min-confidence'])).toEqual({
      code: 2,
      out: '',
      err: 'claude-route-guard: --min-confidence needs a value: one of high, medium, low',
    });
  });
});

describe('guards that keep forks out', () => {
  it('silence secret-unavailable-on-trigger when every alternative requires this repository, the owner or a fixed list', () => {
    const file = '.github/workflows/fork-guards.yml';
    const report = scanConfidence([file]);
    expect(answer(report)).toEqual({
      routes: [
        `${file}:11:15 owner claude-code-action api-key known -> ok`,
        `${file}:19:15 listed claude-code-action api-key known -> ok`,
        `${file}:27:15 named claude-code-action api-key known -> ok`,
        `${file}:35:15 head-repo claude-code-action api-key known -> ok`,
        `${file}:43:15 owner-or-label claude-code-action api-key known -> warning: secret-unavailable-on-trigger`,
        `${file}:51:15 not-owner claude-code-action api-key known -> warning: secret-unavailable-on-trigger`,
        `${file}:59:15 dependabot claude-code-action api-key known -> warning: secret-unavailable-on-trigger`,
      ],
      findings: [`${file}:4:5 warning[secret-unavailable-on-trigger] high`],
    });
    expect(report.findings[0]!.message.split(' need ')[0]).toBe(
      'Jobs `owner-or-label`, `not-owner` and `dependabot`',
    );
  });
});

describe('bounded by every caller', () => {
  const BOUNDED = join(FIXTURES, 'bounded-callers');

  it('is no unbounded-spend for a reusable workflow whose every caller passes a limit; one caller without keeps it', () => {
    expect(answer(scanAt(BOUNDED, []))).toEqual({
      routes: [
        '.github/workflows/nightly.yml:7:11 review reusable-workflow api-key known -> ok',
        '.github/workflows/nightly.yml:13:11 triage reusable-workflow api-key known -> notice: unbounded-spend',
        '.github/workflows/nightly.yml:21:15 local-review composite-action api-key known -> ok',
        '.github/workflows/on-push.yml:5:11 review reusable-workflow api-key known -> ok',
        '.github/workflows/on-push.yml:11:11 triage reusable-workflow api-key known -> notice: unbounded-spend',
        '.github/workflows/on-push.yml:20:15 local-review composite-action api-key known -> ok',
        '.github/workflows/review.yml:16:15 review claude-code-action api-key known -> ok',
        '.github/workflows/triage.yml:16:15 triage claude-code-action api-key known -> notice: unbounded-spend',
        '.github/actions/review/action.yml:10:12 (composite) cli api-key known -> ok',
      ],
      findings: ['.github/workflows/triage.yml:16:15 notice[unbounded-spend] medium'],
    });
  });

  it('keeps the finding on a callee read without its callers', () => {
    expect(answer(scanAt(BOUNDED, ['.github/workflows/review.yml']))).toEqual({
      routes: [
        '.github/workflows/review.yml:16:15 review claude-code-action api-key inferred -> notice: unbounded-spend',
      ],
      findings: ['.github/workflows/review.yml:16:15 notice[unbounded-spend] medium'],
    });
  });
});

describe('a setup composite is not a run', () => {
  it('gives the composite no row; what it writes to $GITHUB_ENV reaches the run after it', () => {
    const setup = '.github/actions/setup-claude/action.yml';
    const file = '.github/workflows/setup-then-run.yml';
    expect(answer(scanConfidence([setup]))).toEqual({ routes: [], findings: [] });
    const report = scanConfidence([file, setup]);
    expect(answer(report)).toEqual({
      routes: [`${file}:13:14 review cli subscription-oauth-token known -> error: subscription-token-in-ci`],
      findings: [`${file}:12:24 error[subscription-token-in-ci] high`],
    });
    expect(report.routes[0]!.credential).toEqual({
      variable: 'CLAUDE_CODE_OAUTH_TOKEN',
      level: 'github-env',
      source: 'secrets.CLAUDE_CODE_OAUTH_TOKEN',
      file,
      line: 12,
      column: 24,
    });
  });
});
