import { ANTHROPIC_KEY_SHAPE, IS_CREDENTIAL_VARIABLE } from '../claude/precedence.js';
import { claudeAction } from '../claude/actions.js';
import { CREDENTIAL_INPUTS } from '../flow/action-inputs.js';
import { resolveValue } from '../workflow/values.js';
import { LEVEL_PLACES, type Span } from '../types.js';
import { claudeEnvLines } from '../workflow/claude-env.js';
import type { Entry } from '../workflow/model.js';
import { commentStart } from '../workflow/source.js';
import type { Draft, Rule } from './rule.js';
import { stepsOf } from './rule.js';

/** Dummy values that test suites put in credential variables: not secrets, not findings. */
const PLACEHOLDER =
  /test|dummy|fake|placeholder|example|mock|sample|x{3,}|changeme|your[-_ ]|redacted|<|\.\.\./i;

function couldBeReal(text: string): boolean {
  return text.length >= 16 && !PLACEHOLDER.test(text);
}

/** `NAME: value` lines of a `claude_env` input whose value is a credential in plain text. */
function claudeEnvLiterals(entry: Entry, add: (span: Span, message: string) => void): void {
  for (const { line, lineStart, name, nameAt, rest } of claudeEnvLines(entry.value.text)) {
    const written = rest.trim().replace(/^(["'])(.*)\1$/, '$2');
    if (IS_CREDENTIAL_VARIABLE.has(name) && !written.includes('${{') && couldBeReal(written)) {
      const start = lineStart + line.indexOf(written, nameAt + name.length);
      add(
        entry.value.spanAt(start, start + written.length),
        `${name} in claude_env is plain text in the workflow, so it is readable by everyone with access to the repository and is not masked in logs. ` +
          'Store it as a repository secret and use `${{ secrets.NAME }}`.',
      );
    }
  }
}

/** `NAME=value` in a script: an inline assignment, an `export`, a line written to $GITHUB_ENV. */
const SHELL_ASSIGNMENT = /\b([A-Z_][A-Z0-9_]*)=("[^"\n]*"|'[^'\n]*'|[^\s;|&"'`]+)/g;

function scriptLiterals(run: Entry['value'], add: (span: Span, message: string) => void): void {
  for (const m of run.text.matchAll(SHELL_ASSIGNMENT)) {
    if (!IS_CREDENTIAL_VARIABLE.has(m[1]!)) continue;
    // In printf or `echo -e` text a `\n` ends the line, and the value with it: `printf 'KEY=\nNEXT'` sets none.
    const unquoted = m[2]!.replace(/^(["'])(.*)\1$/, '$2');
    const written = unquoted.split(/\\[nrt]/)[0]!;
    if (written.includes('$') || !couldBeReal(written)) continue;
    const start = m.index + m[1]!.length + 1 + (m[2]!.length - unquoted.length) / 2;
    add(
      run.spanAt(start, start + written.length),
      `${m[1]} is set to plain text in this script, so it is readable by everyone with access to the repository and is not masked in logs. ` +
        'Store it as a repository secret and pass it in with `env:` and `${{ secrets.NAME }}`.',
    );
  }
}

export const hardcodedCredential: Rule = {
  id: 'hardcoded-credential',
  severity: 'error',
  summary: 'A literal key or token in YAML, or a credential fed from vars or plain text instead of secrets.',
  silencedByAllow: false,
  annotation: 'route',
  reach: 'own-lines',
  confidence: 'fact',
  check({ doc, invocations }) {
    const out: Draft[] = [];
    const seen = new Set<string>();
    const add = (span: Span, message: string, file = doc.file): void => {
      const key = `${file}\0${span.line}`;
      if (seen.has(key)) return;
      seen.add(key);
      out.push({ file, span, message });
    };
    const check = (entry: Entry, what: string): void => {
      const value = resolveValue(entry.value, { file: doc.file, env: new Map() });
      if (value.form === 'literal' && couldBeReal((value.literal ?? '').trim())) {
        add(
          entry.value.span,
          `${what} is plain text in the workflow, so it is readable by everyone with access to the repository and is not masked in logs. ` +
            'Store it as a repository secret and use `${{ secrets.NAME }}`.',
        );
      } else if (value.form === 'vars') {
        add(
          entry.value.span,
          `${what} comes from vars.${value.vars[0]}, a configuration variable that is not secret: it is printed in logs and not masked. ` +
            `Move it to a secret and use \`\${{ secrets.${value.vars[0]} }}\`.`,
        );
      }
    };
    const envs: Entry[][] = doc.kind === 'workflow' ? [doc.env, ...doc.jobs.map((j) => j.env)] : [];
    for (const { step } of stepsOf(doc)) {
      envs.push(step.env);
      if (step.run) scriptLiterals(step.run, add);
      const uses = step.uses?.text.trim();
      if (uses && claudeAction(uses)) {
        for (const entry of step.with) {
          if (CREDENTIAL_INPUTS.has(entry.name)) check(entry, `The \`${entry.name}\` input of ${uses}`);
          if (entry.name === 'claude_env') claudeEnvLiterals(entry, add);
        }
      }
    }
    if (doc.kind === 'workflow') for (const job of doc.jobs) envs.push(job.secrets);
    for (const entries of envs)
      for (const entry of entries) if (IS_CREDENTIAL_VARIABLE.has(entry.name)) check(entry, entry.name);
    // Every other channel that hands Claude a credential: an inline `VAR=... claude`, `export`, a
    // $GITHUB_ENV write, claude_env, --settings JSON, the repository's .claude/settings*.json.
    for (const inv of invocations)
      for (const binding of [...inv.bindings.values(), ...inv.hidden.map((h) => h.binding)]) {
        const { value } = binding;
        if (!IS_CREDENTIAL_VARIABLE.has(binding.variable) || value.form !== 'literal') continue;
        if (!couldBeReal((value.literal ?? '').trim())) continue;
        add(
          value.span,
          `${binding.variable} is plain text here (in ${LEVEL_PLACES[binding.level]}), so it is readable by everyone with access to the repository and is not masked in logs. ` +
            'Store it as a repository secret and pass `${{ secrets.NAME }}` instead.',
          value.file,
        );
      }
    // Key shapes anywhere else in the file (a run: script, a with: input of another action).
    const source = doc.source;
    if (!source.text.includes('sk-ant-')) return out;
    for (let line = 1; line <= source.lineCount; line++) {
      const text = source.lineText(line);
      const cut = commentStart(text);
      for (const m of text.matchAll(ANTHROPIC_KEY_SHAPE)) {
        if (cut !== -1 && m.index >= cut) continue;
        const span = { line, column: m.index + 1, endLine: line, endColumn: m.index + 1 + m[0].length };
        add(
          span,
          'An Anthropic key or token is written into this file in plain text, where everyone who can read the repository can use it and GitHub cannot mask it. ' +
            'Revoke it now, store a new one as a repository secret, and reference it as `${{ secrets.ANTHROPIC_API_KEY }}`.',
        );
      }
    }
    return out;
  },
};
