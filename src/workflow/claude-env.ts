import { meter } from '../meter.js';

/** A `NAME: value` line of the official action's `claude_env` input, with where its parts start. */
export interface ClaudeEnvLine {
  line: string;
  /** Offset of the line in the input's text. */
  lineStart: number;
  name: string;
  /** Offset of the name in the line. */
  nameAt: number;
  /** Everything after the colon, untrimmed. */
  rest: string;
}

const BLANK = /\s/;
const NAME_START = /[A-Za-z_]/;
const NAME_PART = /[A-Za-z0-9_]/;
const LINE_TERMINATOR = /[\r\u2028\u2029]/;

/**
 * The lines of `text` that read `NAME: value` (blanks allowed around the name), read by hand in one pass
 * over each line: a pattern such as `^\s*(\w+)\s*:\s*(.*?)\s*$` backtracks quadratically on a long run of
 * blanks, and the PR author writes these lines. Matches what `^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:(.*)$`
 * matches, so a value holding a carriage return (which `.` does not match) is no such line.
 */
export function claudeEnvLines(text: string): ClaudeEnvLine[] {
  const out: ClaudeEnvLine[] = [];
  let lineStart = 0;
  for (const line of text.split('\n')) {
    const found = nameValue(line);
    if (found) out.push({ line, lineStart, ...found });
    lineStart += line.length + 1;
  }
  return out;
}

function nameValue(line: string): Omit<ClaudeEnvLine, 'line' | 'lineStart'> | undefined {
  const blanksFrom = (from: number): number => {
    let at = from;
    while (at < line.length && BLANK.test(line[at]!)) at++;
    return at;
  };
  const nameAt = blanksFrom(0);
  let at = nameAt;
  if (NAME_START.test(line[at] ?? '')) while (at < line.length && NAME_PART.test(line[at]!)) at++;
  const name = line.slice(nameAt, at);
  if (name !== '') at = blanksFrom(at);
  if (name === '' || line[at] !== ':') {
    meter.envLineRead(Math.min(at + 1, line.length));
    return undefined;
  }
  const rest = line.slice(at + 1);
  // The check for a line terminator reads the rest once more.
  meter.envLineRead(line.length);
  return LINE_TERMINATOR.test(rest) ? undefined : { name, nameAt, rest };
}
