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

export const credentialExposedInLog: Rule = {
  id: 'credential-exposed-in-log',
  severity: 'error',
  summary: 'A run script prints a credential or part of it; GitHub masks only the exact secret value.',
  check({ doc, invocations }) {
    const out: Draft[] = [];
    /**
     * The runs a leak is about: those billed (or reached) by the very value that is printed, wherever
     * their step is. A leak of a value no run receives is about its own step only.
     */
    const reached = (entries: (Entry | undefined)[]): RoutedInvocation[] =>
      invocations.filter((inv) =>
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
    for (const { job, step, jobId } of stepsOf(doc)) {
      if (!step.run) continue;
      const run: Value = step.run;
      const names = credentialVariables(doc, job, step);
      // Nothing to leak unless a credential is in the environment, a secret is spelled out, or a login file is read.
      const inline = /secrets\.\w*(anthropic|claude)|\.claude(\/\.credentials)?\.json/i.test(run.text);
      if (names.size === 0 && !inline) continue;
      const { commands } = scriptFacts(run);
      // `{ echo "KEY=$K"; } >> "$GITHUB_ENV"`, `( ... ) > file`, `done > file`: a group, subshell or loop
      // redirected to a file sends its commands' output there, not to the log.
      const groups = compoundStarts(commands, run.text);
      const toFileByGroup = new Set<number>();
      for (const [end, start] of groups)
        if (toFile(commands[end]!)) for (let k = start; k < end; k++) toFileByGroup.add(k);
      const printsToFile = (index: number): boolean =>
        toFile(commands[index]!) || (toFileByGroup.has(index) && !toStderr(commands[index]!));
      const where = jobName(jobId);
      const add = (w: Word, message: string, printed: string[] = [...names.keys()]): void => {
        const draft: Draft = {
          file: doc.file,
          span: run.spanAt(w.start, w.end),
          message: `${where} ${message}`,
        };
        const runs = reached(printed.map((n) => names.get(n.replace(/^env\./, ''))));
        if (runs.length > 0) draft.concerns = runs;
        out.push(draft);
      };
      let trace: Word | undefined;
      commands.forEach((command, index) => {
        const words = command.words;
        const at = programIndex(words);
        const program = words[at];
        if (!program) return;
        const args = words.slice(at + 1);
        const name = program.text.split('/').pop()!;
        if (name === 'set' && args.some((a) => /^-[a-wyz]*x/.test(a.text) || a.text === 'xtrace'))
          trace = program;
        if (PRINTERS.has(name) && !printsToFile(index)) {
          if (args.some((a) => a.text.startsWith('::add-mask::'))) return;
          for (const arg of args) {
            const hit = mentions(arg, names);
            if (!hit) continue;
            const next = commands[index + 1];
            const piped = next?.pipedIn ? next.words[programIndex(next.words)]?.text : undefined;
            if (piped && TRANSFORMERS.test(piped)) {
              add(
                arg,
                `pipes ${hit.name} through \`${piped}\`, and the transformed value is printed unmasked (GitHub masks only the exact secret). Remove this line.`,
                [hit.name],
              );
            } else if (hit.partial) {
              add(
                arg,
                `prints part of ${hit.name}; GitHub masks only the exact secret, so a substring reaches the log in clear. Remove this line; print whether it is set (\`[ -n "$${hit.name}" ]\`) instead.`,
                [hit.name],
              );
            } else if (!piped) {
              add(
                arg,
                `prints ${hit.name} to the log with \`${name}\`. Remove this line; print whether it is set (\`[ -n "$VAR" ]\`) instead.`,
                [hit.name],
              );
            }
            return;
          }
        }
        if (DUMPERS.has(name) && !printsToFile(index) && !command.pipedIn) {
          const dump =
            (name === 'printenv' && (args.length === 0 || args.some((a) => names.has(a.text)))) ||
            (name === 'env' && args.length === 0) ||
            (name === 'set' && args.length === 0) ||
            ((name === 'export' || name === 'declare' || name === 'typeset') &&
              args.length === 1 &&
              /^-[px]$/.test(args[0]!.text));
          const next = commands[index + 1];
          const filtered =
            next?.pipedIn &&
            /^(grep|sort|head|tail|less|cat)$/.test(next.words[programIndex(next.words)]?.text ?? '');
          if (dump && (!next?.pipedIn || filtered)) {
            add(
              program,
              `dumps the environment with \`${[name, ...args.map((a) => a.text)].join(' ')}\` while a Claude credential is in it. Print only the variables you need, never the credential.`,
            );
          }
        }
        if (READERS.has(name) && !printsToFile(index)) {
          const file = args.find((a) => CREDENTIAL_FILE.test(a.text));
          if (file)
            add(
              file,
              `prints the stored Claude login (${file.text}) to the log; its tokens are not registered secrets, so nothing masks them. Remove this line.`,
              [],
            );
        }
        if (trace && args.some((a) => mentions(a, names)) && !PRINTERS.has(name)) {
          add(
            trace,
            `turns on \`set -x\`, so the shell traces later commands that expand a Claude credential into the log. Turn tracing off (\`set +x\`) before commands that use the credential.`,
          );
          trace = undefined;
        }
      });
    }
    return out;
  },
};
