import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { homedir } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { collectingGarbage } from './memory.js';
import { loadFiles, parseSize, UsageError, type LoadProblem } from './load.js';
import { formatGithub } from './report/github.js';
import { formatJson } from './report/json.js';
import { formatSarif } from './report/sarif.js';
import { formatRuntimeText } from './report/runtime-text.js';
import { formatText } from './report/text.js';
import { analyseRuntime } from './runtime/analyse.js';
import { probeRunner } from './runtime/probe.js';
import { loadPolicy } from './policy/load.js';
import { didYouMean, PolicyError } from './policy/policy.js';
import { explainRule, listRules } from './rules/docs.js';
import { ALL_RULE_IDS } from './rules/index.js';
import { FAIL_ON_LEVELS, failsOn, scan, type FailOn } from './scan.js';
import { VERSION } from './version.js';

const USAGE = `Usage: claude-route-guard [paths...] [options]

Finds every Claude Code run in GitHub Actions workflows and says who bills it.
Paths are files or folders (default: .github/workflows and .github/actions).

Options:
  --format text|json|sarif|github   output format (default: text)
  --config FILE                     policy file (default: .github/claude-route-guard.yml if present)
  --fail-on error|warning|notice|never
                                    exit 1 when a finding is at least this severe (default: the
                                    policy's fail-on, else error)
  --max-file-size BYTES             files over this size are reported, not read (default 5 MB)
  --runtime                         check this machine instead: which credentials are set (shape
                                    only, never values), stored logins, settings, the route
  --list-rules                      print the rule catalogue
  --explain RULE                    print a rule's docs page
  --help, --version
Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage or I/O error.`;

export interface CliIo {
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;

export function runCli(argv: string[], io: CliIo): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        'fail-on': { type: 'string' },
        'list-rules': { type: 'boolean', default: false },
        runtime: { type: 'boolean', default: false },
        'max-file-size': { type: 'string' },
        explain: { type: 'string' },
        help: { type: 'boolean', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (error) {
    io.stderr(`claude-route-guard: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (values.version) {
    io.stdout(VERSION);
    return 0;
  }
  if (values['list-rules']) {
    io.stdout(listRules());
    return 0;
  }
  if (values.explain !== undefined) {
    const page = explainRule(values.explain);
    if (page === undefined) {
      io.stderr(
        `claude-route-guard: unknown rule "${values.explain}"${didYouMean(values.explain, ALL_RULE_IDS)}; --list-rules lists them`,
      );
      return 2;
    }
    io.stdout(page);
    return 0;
  }
  const format = values.format as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) {
    io.stderr(`claude-route-guard: --format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
    return 2;
  }
  if (values['fail-on'] !== undefined && !FAIL_ON_LEVELS.includes(values['fail-on'] as FailOn)) {
    io.stderr(
      `claude-route-guard: --fail-on must be one of ${FAIL_ON_LEVELS.join(', ')}, not "${values['fail-on']}"`,
    );
    return 2;
  }

  if (values.runtime)
    return runRuntime(
      io,
      format === 'json' ? 'json' : 'text',
      (values['fail-on'] as FailOn | undefined) ?? 'error',
    );

  const problems: LoadProblem[] = [];
  let report;
  let failOn: FailOn;
  try {
    const policy = loadPolicy(io.cwd, values.config);
    failOn = (values['fail-on'] as FailOn | undefined) ?? policy.failOn ?? 'error';
    report = scan(
      collectingGarbage(
        loadFiles(
          positionals,
          { cwd: io.cwd, maxBytes: parseSize(values['max-file-size'], '--max-file-size') },
          problems,
        ),
      ),
      policy,
    );
  } catch (error) {
    if (error instanceof UsageError || error instanceof PolicyError) {
      io.stderr(`claude-route-guard: ${error.message}`);
      return 2;
    }
    throw error;
  }
  for (const p of problems) io.stderr(`claude-route-guard: ${p.file}: ${p.message}`);

  switch (format) {
    case 'json':
      io.stdout(formatJson(report));
      break;
    case 'sarif':
      io.stdout(formatSarif(report, VERSION));
      break;
    case 'github':
      io.stdout(formatGithub(report.findings));
      break;
    default: {
      const cache = new Map<string, string[]>();
      io.stdout(
        formatText(report, (file, line) => {
          if (!cache.has(file)) {
            try {
              cache.set(file, readFileSync(resolve(io.cwd, file), 'utf8').split(/\r?\n/));
            } catch {
              cache.set(file, []);
            }
          }
          return cache.get(file)![line - 1];
        }),
      );
    }
  }
  return failsOn(report.findings, failOn) ? 1 : 0;
}

/** `--runtime`: the probe on this machine. Nothing is masked because no value is ever printed. */
function runRuntime(io: CliIo, format: 'text' | 'json', failOn: FailOn): number {
  const facts = probeRunner({
    env: process.env,
    home: process.env.HOME ?? homedir(),
    workspace: io.cwd,
    platform: process.platform,
    mask: () => undefined,
  });
  const { row, findings } = analyseRuntime({ facts });
  if (format === 'json') io.stdout(JSON.stringify({ version: 1, runner: row, facts, findings }, null, 2));
  else io.stdout(formatRuntimeText(facts, row, findings));
  return failsOn(findings, failOn) ? 1 : 0;
}

function isMain(): boolean {
  const entry = process.argv[1];
  return entry !== undefined && import.meta.url === pathToFileURL(entry).href;
}

if (isMain()) {
  try {
    process.exitCode = runCli(process.argv.slice(2), {
      cwd: process.cwd(),
      stdout: (t) => process.stdout.write(t.endsWith('\n') || t === '' ? t : t + '\n'),
      stderr: (t) => process.stderr.write(t + '\n'),
    });
  } catch (error) {
    process.stderr.write(`claude-route-guard: internal error: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
