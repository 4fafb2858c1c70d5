import { IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import { scriptFacts } from '../claude/commands.js';
import { compoundStarts, programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import { classify } from '../workflow/expression.js';
import type { Entry, Job, Step, Value } from '../workflow/model.js';
import type { ActionMetadata, Workflow } from '../workflow/model.js';
import type { Draft, Rule, RoutedInvocation } from './rule.js';
import { credentialPlace, jobName, stepsOf } from './rule.js';

const PRINTERS = new Set(['echo', 'printf', 'print']);
const DUMPERS = new Set(['printenv', 'env', 'set', 'export', 'declare', 'typeset']);
const READERS = new Set(['cat', 'head', 'tail', 'less', 'more', 'jq', 'bat']);
const TRANSFORMERS = /^(base64|rev|xxd|od|hexdump|tr|sed|awk|cut)$/;
const CREDENTIAL_FILE = /\.claude\/\.credentials\.json|\.claude\.json\b/;
const CLAUDE_SECRET = /anthropic|claude/i;

/** Environment variables of this step that hold a Claude credential, each with the entry that sets it. */
function credentialVariables(
  doc: Workflow | ActionMetadata,
  job: Job | undefined,
  step: Step,
): Map<string, Entry> {
  const names = new Map<string, Entry>();
  // Widest first, so the step's own entry is the one kept for a name set at several levels.
  const entries: Entry[] = [...(doc.kind === 'workflow' ? doc.env : []), ...(job?.env ?? []), ...step.env];
  for (const e of entries) {
    if (IS_CREDENTIAL_VARIABLE.has(e.name) && e.value.text.trim() !== '') {
      names.set(e.name, e);
      continue;
    }
    const c = classify(e.value.text);
    if (
      c.kind === 'choice' &&
      c.operands.some(
        (o) => o.kind === 'ref' && o.ref.context === 'secrets' && CLAUDE_SECRET.test(o.ref.name),
      )
    ) {
      names.set(e.name, e);
    }
  }
  return names;
}

/** Text the command itself prints: command substitutions run their own commands, checked on their own. */
function printedText(text: string): string {
  let out = '';
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '$' && text[i + 1] === '(') {
      depth++;
      i++;
    } else if (depth > 0 && text[i] === '(') depth++;
    else if (depth > 0 && text[i] === ')') depth--;
    else if (depth === 0) out += text[i];
  }
  return out.replace(/`[^`]*`/g, '');
}

function mentions(
  word: Word,
  names: ReadonlyMap<string, Entry>,
): { name: string; partial: boolean } | undefined {
  const text = printedText(word.text);
  for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)(\}|:|#|%|\/)?/g)) {
    if (names.has(m[1]!)) return { name: m[1]!, partial: m[2] !== undefined && m[2] !== '}' };
  }
  for (const m of text.matchAll(/\$\{\{\s*(secrets|env)\.([A-Za-z0-9_]+)\s*\}\}/g)) {
    if (m[1] === 'env' ? names.has(m[2]!) : CLAUDE_SECRET.test(m[2]!))
      return { name: `${m[1]}.${m[2]}`, partial: false };
  }
  return undefined;
}

function toFile(command: Command): boolean {
  return command.redirects.some(
    (r) =>
      ['>', '>>', '>|', '&>', '&>>'].includes(r.op) &&
      r.target !== undefined &&
      r.target.text !== '/dev/stderr' &&
      r.target.text !== '/dev/stdout',
  );
}

/** `>&2` (or `1>&2`, `> /dev/stderr`): the command's own output goes to the log, whatever its group's does. */
function toStderr(command: Command): boolean {
  return command.redirects.some(
    (r) =>
      (r.fd ?? 1) === 1 && ((r.op === '>&' && r.target?.text === '2') || r.target?.text === '/dev/stderr'),
  );
}

/**
 * The runs a leak is about: those billed (or reached) by the very value that is printed, wherever their
 * step is. A leak of a value no run receives is about its own step only.
 */
function runsReachedBy(
  doc: Workflow | ActionMetadata,
  invocations: RoutedInvocation[],
  entries: (Entry | undefined)[],
): RoutedInvocation[] {
  return invocations.filter((inv) =>
    [...inv.bindings.values()].some((b) => {
      const place = credentialPlace(b);
      return entries.some(
        (e) =>
          e !== undefined &&
          place.file === doc.file &&
          place.span.line === e.value.span.line &&
          place.span.column === e.value.span.column,
      );
    }),
  );
}

/** One step's script as the checks read it. */
interface Script {
  commands: Command[];
  /** The Claude credentials in the step's environment, each with the entry that sets it. */
  names: ReadonlyMap<string, Entry>;
  /** Whether the command at this index sends its output to a file rather than the log. */
  printsToFile(index: number): boolean;
}

function readScript(run: Value, names: ReadonlyMap<string, Entry>): Script {
  const { commands } = scriptFacts(run);
  // `{ echo "KEY=$K"; } >> "$GITHUB_ENV"`, `( ... ) > file`, `done > file`: a group, subshell or loop
  // redirected to a file sends its commands' output there, not to the log.
  const toFileByGroup = new Set<number>();
  for (const [end, start] of compoundStarts(commands, run.text))
    if (toFile(commands[end]!)) for (let k = start; k < end; k++) toFileByGroup.add(k);
  return {
    commands,
    names,
    printsToFile: (index) =>
      toFile(commands[index]!) || (toFileByGroup.has(index) && !toStderr(commands[index]!)),
  };
}

/** Reports a leak at a word; `printed` names the variables whose runs it concerns (every one by default). */
type Leak = (word: Word, message: string, printed?: string[]) => void;

/** A command's program, by its name without a path, and its arguments. */
interface Call {
  index: number;
  command: Command;
  program: Word;
  name: string;
  args: Word[];
}

/** `echo`/`printf` of a credential, whole, in part or transformed. True when the command is settled. */
function printLeak(script: Script, call: Call, leak: Leak): boolean {
  const { index, name, args } = call;
  if (!PRINTERS.has(name) || script.printsToFile(index)) return false;
  if (args.some((a) => a.text.startsWith('::add-mask::'))) return true;
  for (const arg of args) {
    const hit = mentions(arg, script.names);
    if (!hit) continue;
    const next = script.commands[index + 1];
    const piped = next?.pipedIn ? next.words[programIndex(next.words)]?.text : undefined;
    if (piped && TRANSFORMERS.test(piped)) {
      leak(
        arg,
        `pipes ${hit.name} through \`${piped}\`, and the transformed value is printed unmasked (GitHub masks only the exact secret). Remove this line.`,
        [hit.name],
      );
    } else if (hit.partial) {
      leak(
        arg,
        `prints part of ${hit.name}; GitHub masks only the exact secret, so a substring reaches the log in clear. Remove this line; print whether it is set (\`[ -n "$${hit.name}" ]\`) instead.`,
        [hit.name],
      );
    } else if (!piped) {
      leak(
        arg,
        `prints ${hit.name} to the log with \`${name}\`. Remove this line; print whether it is set (\`[ -n "$VAR" ]\`) instead.`,
        [hit.name],
      );
    }
    return true;
  }
  return false;
}

/** `printenv`, `env`, `set`, `export -p`... that dump the whole environment (or a credential) to the log. */
function dumpLeak(script: Script, call: Call, leak: Leak): void {
  const { index, command, program, name, args } = call;
  if (!DUMPERS.has(name) || script.printsToFile(index) || command.pipedIn) return;
  const dump =
    (name === 'printenv' && (args.length === 0 || args.some((a) => script.names.has(a.text)))) ||
    (name === 'env' && args.length === 0) ||
    (name === 'set' && args.length === 0) ||
    ((name === 'export' || name === 'declare' || name === 'typeset') &&
      args.length === 1 &&
      /^-[px]$/.test(args[0]!.text));
  const next = script.commands[index + 1];
  const filtered =
    next?.pipedIn &&
    /^(grep|sort|head|tail|less|cat)$/.test(next.words[programIndex(next.words)]?.text ?? '');
  if (dump && (!next?.pipedIn || filtered)) {
    leak(
      program,
      `dumps the environment with \`${[name, ...args.map((a) => a.text)].join(' ')}\` while a Claude credential is in it. Print only the variables you need, never the credential.`,
    );
  }
}

/** `cat ~/.claude/.credentials.json` and the like: a stored login printed to the log. */
function loginFileLeak(script: Script, call: Call, leak: Leak): void {
  if (!READERS.has(call.name) || script.printsToFile(call.index)) return;
  const file = call.args.find((a) => CREDENTIAL_FILE.test(a.text));
  if (file)
    leak(
      file,
      `prints the stored Claude login (${file.text}) to the log; its tokens are not registered secrets, so nothing masks them. Remove this line.`,
      [],
    );
}

/** Every leak of one script, command by command; `set -x` stays on for the commands after it. */
function scriptLeaks(script: Script, leak: Leak): void {
  let trace: Word | undefined;
  script.commands.forEach((command, index) => {
    const at = programIndex(command.words);
    const program = command.words[at];
    if (!program) return;
    const call: Call = {
      index,
      command,
      program,
      name: program.text.split('/').pop()!,
      args: command.words.slice(at + 1),
    };
    const { name, args } = call;
    if (name === 'set' && args.some((a) => /^-[a-wyz]*x/.test(a.text) || a.text === 'xtrace'))
      trace = program;
    if (printLeak(script, call, leak)) return;
    dumpLeak(script, call, leak);
    loginFileLeak(script, call, leak);
    if (trace && args.some((a) => mentions(a, script.names)) && !PRINTERS.has(name)) {
      leak(
        trace,
        `turns on \`set -x\`, so the shell traces later commands that expand a Claude credential into the log. Turn tracing off (\`set +x\`) before commands that use the credential.`,
      );
      trace = undefined;
    }
  });
}

export const credentialExposedInLog: Rule = {
  id: 'credential-exposed-in-log',
  severity: 'error',
  summary: 'A run script prints a credential or part of it; GitHub masks only the exact secret value.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ doc, invocations }) {
    const out: Draft[] = [];
    for (const { job, step, jobId } of stepsOf(doc)) {
      if (!step.run) continue;
      const run: Value = step.run;
      const names = credentialVariables(doc, job, step);
      // Nothing to leak unless a credential is in the environment, a secret is spelled out, or a login file is read.
      const inline = /secrets\.\w*(anthropic|claude)|\.claude(\/\.credentials)?\.json/i.test(run.text);
      if (names.size === 0 && !inline) continue;
      const where = jobName(jobId);
      scriptLeaks(readScript(run, names), (word, message, printed = [...names.keys()]) => {
        const draft: Draft = {
          file: doc.file,
          span: run.spanAt(word.start, word.end),
          message: `${where} ${message}`,
        };
        const runs = runsReachedBy(
          doc,
          invocations,
          printed.map((n) => names.get(n.replace(/^env\./, ''))),
        );
        if (runs.length > 0) draft.concerns = runs;
        out.push(draft);
      });
    }
    return out;
  },
};
