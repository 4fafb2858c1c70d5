import { cannotInvolveClaude, mayInvolveClaude, quotedMayInvolveClaude } from '../claude/precheck.js';
import type { SourceInput } from '../load.js';
import { mayCallRemoteCallee } from '../sources/select.js';
import type { Span } from '../types.js';
import {
  checkFile,
  parseFile,
  type ActionMetadata,
  type Inert,
  type Parsed,
  type Workflow,
  type WorthModelling,
} from '../workflow/model.js';
import { unclosedExpressions } from '../workflow/unclosed.js';

/** What cannot be read, and where: a parse-error before policy. */
export interface ParseError {
  file: string;
  span: Span;
  message: string;
}

export interface ParseOutcome {
  /** The workflow or action metadata, when the file is one and may involve Claude. */
  doc?: Workflow | ActionMetadata;
  /** Each a parse-error, in the order they were met. */
  errors: ParseError[];
  /** Why a file met on a walk is not checked: what it is instead of a workflow. */
  skipped?: string;
  /** Set when the raw text proves the file cannot involve Claude, so it was not parsed at all. */
  notParsed?: true;
}

const FIRST_COLUMN = { line: 1, column: 1, endLine: 1, endColumn: 1 };

/**
 * Whether modelling a file could find anything: the raw-text test, and a double-quoted string's value.
 * The raw-text test of the file itself is asked twice (whether to parse, then whether to model): once run.
 */
function worthModelling(input: SourceInput): WorthModelling {
  const remote = input.repo.remote !== undefined;
  const test = (text: string): boolean =>
    mayInvolveClaude(text, input.repo.name) || (remote && mayCallRemoteCallee(text));
  let whole: boolean | undefined;
  return {
    text: (text) => (text === input.text ? (whole ??= test(text)) : test(text)),
    quoted: (value) =>
      quotedMayInvolveClaude(value, input.repo.name) || (remote && mayCallRemoteCallee(value)),
  };
}

/** The model of a file, or why there is none: the raw-text pre-check is skipped with `modelEveryFile`. */
function model(input: SourceInput, worth: WorthModelling | undefined): Parsed | Inert {
  const check = (): Parsed | Inert =>
    worth ? checkFile(input.file, input.text, worth) : parseFile(input.file, input.text);
  // A model is the same whether the file is scanned or called, so a callee scanned too is parsed once.
  return input.repo.model ? input.repo.model(input.file, input.text, check) : check();
}

/**
 * Parse: one file's text to its model. A file over the size limit, not UTF-8, not YAML, or named on the
 * command line and not a workflow is a parse-error and has no model; one met on a walk that is not a
 * workflow is skipped; one the raw-text pre-check proves inert has neither, and one whose raw text alone
 * proves it cannot involve Claude is not even parsed (`notParsed`: a YAML error in it goes unreported). A
 * model can carry errors too: a `${{` never closed, which GitHub rejects the whole file for.
 */
export function parse(input: SourceInput, modelEveryFile = false): ParseOutcome {
  const { file } = input;
  if (input.skipped !== undefined) return { errors: [], skipped: input.skipped };
  if (input.tooLarge !== undefined) {
    const message = `This file is ${input.tooLarge} bytes, over the size limit, so it was not read. Raise max-file-size if it really is a workflow.`;
    return { errors: [{ file, span: FIRST_COLUMN, message }] };
  }
  if (input.unreadable) {
    const { line, column, problem } = input.unreadable;
    const span = { line, column, endLine: line, endColumn: column + 1 };
    return { errors: [{ file, span, message: `This file is ${problem}.` }] };
  }
  const worth = modelEveryFile ? undefined : worthModelling(input);
  if (worth && cannotInvolveClaude(input.text, worth.text)) return { errors: [], notParsed: true };
  const parsed = model(input, worth);
  if (parsed.kind === 'inert') return { errors: [] };
  if (parsed.kind === 'error') {
    const message = `${parsed.message}. Fix the YAML; GitHub will reject this file too.`;
    return { errors: [{ file, span: parsed.span, message }] };
  }
  if (parsed.kind === 'other') {
    if (!input.explicit) return { errors: [], skipped: parsed.reason };
    const message = `This file is ${parsed.reason}, so there is nothing to check. Name a workflow (.github/workflows/*.yml) or an action.yml.`;
    return { errors: [{ file, span: parsed.source.span(0, 0), message }] };
  }
  const errors = unclosedExpressions(parsed.source).map((span) => ({
    file,
    span,
    message:
      'This `${{` expression is never closed (no `}}`), so GitHub will reject the workflow and run none of it. Close it: `${{ secrets.NAME }}`.',
  }));
  return { doc: parsed, errors };
}
