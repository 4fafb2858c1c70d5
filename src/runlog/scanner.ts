/**
 * Splits a Claude Code log into messages as bytes arrive, without holding the file: an execution file
 * (one JSON array of messages, as the official action writes it) or stream-json (one message per line,
 * as `claude -p --output-format stream-json --verbose` prints it). Every message is checked for structure
 * (brackets that match, strings that close; a long string is jumped through to its end); only messages
 * whose `type` the proof reads are parsed.
 * The log holds the pull request's text: no error here quotes it, only positions.
 */

export interface Position {
  line: number;
  /** 1-based, in characters (code points) of the line. */
  column: number;
}

export interface LogMessage extends Position {
  /** The message's `type` when it is a short string written without escapes, else undefined. */
  type: string | undefined;
  /** The message's text, only for a message the reader asked for. */
  text?: string;
}

export type LogFormat = 'execution-file' | 'stream-json';

/** What reading a log cost: every byte is read, every message checked, few messages parsed. */
export interface LogWork {
  bytes: number;
  messages: number;
  parsed: number;
}

/** A log that cannot be read as one: a fixed sentence and the position, never the log's own text. */
export class LogError extends Error {
  constructor(
    readonly at: Position,
    readonly reason: string,
  ) {
    super(`${at.line}:${at.column}: ${reason}`);
  }
}

/** Deeper than any message Claude Code writes; a parse of anything deeper is not attempted. */
export const MAX_NESTING = 256;
/** A `type` longer than this is no type the proof reads. */
const MAX_TYPE_BYTES = 32;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NEWLINE = 0x0a;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const BOM = [0xef, 0xbb, 0xbf];
const NEITHER = 'this is neither an execution file (a JSON array) nor stream-json lines';

const isSpace = (b: number): boolean => b === 0x20 || b === 0x09 || b === 0x0d || b === NEWLINE;

/** Where the scanner is between messages. */
type Between =
  | 'start'
  | 'array-first' // after `[`: a message or `]`
  | 'array-next' // after `,`: a message
  | 'array-after' // after a message: `,` or `]`
  | 'closed' // after the closing `]`
  | 'line-start'
  | 'line-rest' // after a message: the line's end
  | 'line-broken'; // a line stopped inside a message: only the end of the log may follow

export interface ScanEnd {
  format: LogFormat | undefined;
  /** stream-json whose last line stops inside a message: that line is ignored. */
  cutShort?: Position;
}

export class LogScanner {
  readonly work: LogWork = { bytes: 0, messages: 0, parsed: 0 };
  private format: LogFormat | undefined;
  private between: Between = 'start';
  private line = 1;
  /** Bytes of a byte order mark matched at the very start; its length once decided. */
  private bom = 0;
  // Columns are counted only when a position is asked for (a message starts, an error), from the start
  // of the line or the last position asked on it: a long string is skipped, not walked byte by byte.
  private chunk: Buffer = Buffer.alloc(0);
  private index = 0;
  /** Where the current line starts in this chunk; -1 when it started in an earlier one. */
  private lineStart = 0;
  /** The column of this chunk's first byte, when its line started in an earlier chunk. */
  private carry = 1;
  private countedAt = -1;
  private counted = 1;
  /** The next `"`, `\\` and line break at or after the scan, per chunk: a string jumps to the nearest. */
  private nextQuote = -1;
  private nextBackslash = -1;
  private nextNewline = -1;
  // Inside a message:
  private inMessage = false;
  private stack: number[] = [];
  private inString = false;
  private escaped = false;
  private start: Position = { line: 1, column: 1 };
  private pieces: Buffer[] = [];
  private keep = true;
  /** At depth 1: 0 expecting a key, 1 in a key, 2 after a key, 3 in a value string. */
  private keyState = 0;
  private keyStart = -1;
  private keyBytes: number[] = [];
  private keyEscaped = false;
  private typeNext = false;
  private type: string | undefined;

  constructor(
    private readonly onMessage: (message: LogMessage) => void,
    /** Which messages are wanted whole; undefined is a type the scanner could not read plainly. */
    private readonly wanted: (type: string | undefined) => boolean,
  ) {}

  push(chunk: Buffer): void {
    this.work.bytes += chunk.length;
    this.chunk = chunk;
    this.nextQuote = this.nextBackslash = this.nextNewline = -1;
    let i = 0;
    // A byte order mark, which may arrive split, is no column of the first line.
    while (this.bom < BOM.length && i < chunk.length) {
      if (chunk[i] !== BOM[this.bom]) {
        if (this.bom > 0) throw new LogError({ line: 1, column: 1 }, NEITHER);
        this.bom = BOM.length;
        break;
      }
      this.bom++;
      i++;
      this.lineStart = i;
    }
    let from = this.inMessage ? i : -1;
    for (; i < chunk.length; i++) {
      if (this.inString && !this.escaped && this.stack.length > 1) {
        // Inside a nested string only `"`, `\` and a line break matter: jump to the nearest.
        const stop = this.stringStop(i);
        if (stop > i) {
          i = stop - 1;
          continue;
        }
      }
      const b = chunk[i]!;
      this.index = i;
      if (this.inMessage) {
        if (this.message(b)) {
          this.finish(chunk, from, i + 1);
          from = -1;
        }
      } else if (!isSpace(b) || this.format === 'stream-json') {
        if (this.outside(b)) from = i;
      }
      if (b === NEWLINE) {
        this.line++;
        this.lineStart = i + 1;
        this.countedAt = -1;
      }
    }
    if (this.inMessage && this.keep && from >= 0) this.pieces.push(Buffer.from(chunk.subarray(from)));
    this.carry = this.columnAt(chunk.length);
    this.lineStart = -1;
    this.countedAt = -1;
  }

  private stringStop(i: number): number {
    const chunk = this.chunk;
    const next = (cached: number, byte: number): number => {
      if (cached >= i) return cached;
      const found = chunk.indexOf(byte, i);
      return found === -1 ? chunk.length : found;
    };
    this.nextQuote = next(this.nextQuote, QUOTE);
    this.nextBackslash = next(this.nextBackslash, BACKSLASH);
    this.nextNewline = next(this.nextNewline, NEWLINE);
    return Math.min(this.nextQuote, this.nextBackslash, this.nextNewline);
  }

  /** The column of byte `i` of this chunk, in code points, counted on from the last one asked. */
  private columnAt(i: number): number {
    let from: number;
    let column: number;
    if (this.countedAt >= 0 && this.countedAt <= i) [from, column] = [this.countedAt, this.counted];
    else if (this.lineStart >= 0) [from, column] = [this.lineStart, 1];
    else [from, column] = [0, this.carry];
    for (let k = from; k < i; k++) if ((this.chunk[k]! & 0xc0) !== 0x80) column++;
    this.countedAt = i;
    this.counted = column;
    return column;
  }

  /** Where the byte being scanned is. */
  private here(): Position {
    return { line: this.line, column: this.columnAt(this.index) };
  }

  /** The end of the log: a message or array left open is an error, but for a cut-short last line. */
  end(): ScanEnd {
    const at = { line: this.line, column: this.carry };
    if (this.between === 'line-broken') return { format: this.format, cutShort: this.start };
    if (this.inMessage) {
      if (this.format === 'stream-json') return { format: this.format, cutShort: this.start };
      throw new LogError(
        at,
        `the execution file ends inside the message that starts at ${this.start.line}:${this.start.column}: it was cut short`,
      );
    }
    if (this.format === 'execution-file' && this.between !== 'closed')
      throw new LogError(at, 'the execution file ends before its array closes: it was cut short');
    return { format: this.format };
  }

  /** A byte between messages; true when it starts one. */
  private outside(b: number): boolean {
    switch (this.between) {
      case 'start':
        if (b === OPEN_ARRAY) {
          this.format = 'execution-file';
          this.between = 'array-first';
          return false;
        }
        if (b === OPEN_OBJECT) {
          this.format = 'stream-json';
          return this.open(this.here());
        }
        throw new LogError(this.here(), NEITHER);
      case 'array-first':
      case 'array-next':
        if (b === OPEN_OBJECT) return this.open(this.here());
        if (b === CLOSE_ARRAY && this.between === 'array-first') {
          this.between = 'closed';
          return false;
        }
        throw new LogError(this.here(), 'an element of the execution file is not a message (a JSON object)');
      case 'array-after':
        if (b === COMMA) this.between = 'array-next';
        else if (b === CLOSE_ARRAY) this.between = 'closed';
        else throw new LogError(this.here(), 'a `,` or `]` was expected after a message');
        return false;
      case 'closed':
        throw new LogError(this.here(), 'text follows the closing `]` of the execution file');
      case 'line-start':
        if (b === OPEN_OBJECT) return this.open(this.here());
        if (isSpace(b)) return false;
        throw new LogError(this.here(), 'a stream-json line does not start a message (a JSON object)');
      case 'line-rest':
        if (b === NEWLINE) this.between = 'line-start';
        else if (!isSpace(b))
          throw new LogError(this.here(), 'a stream-json line holds more than one message');
        return false;
      case 'line-broken':
        if (isSpace(b)) return false;
        throw new LogError(this.start, 'a stream-json line stops inside a message, and more lines follow');
    }
  }

  private open(at: Position): boolean {
    this.inMessage = true;
    this.start = at;
    this.stack = [];
    this.inString = false;
    this.escaped = false;
    this.pieces = [];
    this.keep = true;
    this.keyState = 0;
    this.typeNext = false;
    this.type = undefined;
    // The `{` itself is read as the first byte of the message.
    this.stack.push(CLOSE_OBJECT);
    return true;
  }

  /** A byte inside a message; true when it closes the message. */
  private message(b: number): boolean {
    const depth = this.stack.length;
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (b === BACKSLASH) {
        this.escaped = true;
        if (depth === 1) this.keyEscaped = true;
      } else if (b === QUOTE) {
        this.inString = false;
        if (depth === 1) this.stringEnded();
      } else if (b === NEWLINE && this.format === 'stream-json') {
        this.breakLine();
      } else if (depth === 1 && this.keyState !== 0 && this.keyBytes.length <= MAX_TYPE_BYTES) {
        this.keyBytes.push(b);
      }
      return false;
    }
    if (b === QUOTE) {
      this.inString = true;
      if (depth === 1) this.stringStarted();
      return false;
    }
    if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      if (depth === 1) this.typeNext = false;
      if (depth >= MAX_NESTING)
        throw new LogError(this.start, `a message is nested more than ${MAX_NESTING} deep`);
      this.stack.push(b === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY);
      return false;
    }
    if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      if (this.stack.pop() !== b) throw new LogError(this.here(), 'a bracket closes what it did not open');
      return this.stack.length === 0;
    }
    if (b === NEWLINE && this.format === 'stream-json') {
      this.breakLine();
      return false;
    }
    if (depth === 1) {
      if (b === COMMA) this.keyState = 0;
      else if (b !== COLON && !isSpace(b)) this.typeNext = false;
    }
    return false;
  }

  /** A stream-json line ended inside its message: fine only as the log's last line, cut short. */
  private breakLine(): void {
    this.inMessage = false;
    this.pieces = [];
    this.between = 'line-broken';
  }

  private stringStarted(): void {
    this.keyBytes = [];
    this.keyEscaped = false;
    if (this.keyState === 0) this.keyState = 1;
    else if (this.keyState === 2) this.keyState = 3;
  }

  /** A string at the message's own level ended: a key, or the value of one. `type` is looked at. */
  private stringEnded(): void {
    const plain = !this.keyEscaped && this.keyBytes.length <= MAX_TYPE_BYTES;
    const text = plain ? String.fromCharCode(...this.keyBytes) : undefined;
    if (this.keyState === 1) {
      this.keyState = 2;
      // A key written with escapes could be `type` in disguise: its type stays unread, so it is parsed.
      this.typeNext = text === 'type';
      return;
    }
    if (this.keyState === 3) {
      this.keyState = 2;
      if (this.typeNext && this.type === undefined) {
        this.type = plain && /^[a-z_]+$/.test(text!) ? text : undefined;
        this.keep = this.wanted(this.type);
        if (!this.keep) this.pieces = [];
      }
      this.typeNext = false;
    }
  }

  private finish(chunk: Buffer, from: number, to: number): void {
    this.inMessage = false;
    this.work.messages++;
    if (this.format === 'execution-file') this.between = 'array-after';
    else this.between = 'line-rest';
    const message: LogMessage = { type: this.type, ...this.start };
    // A message whose type was never read plainly is parsed too: the proof decides what it is.
    if (this.keep && (this.type !== undefined || this.wanted(undefined))) {
      const tail = chunk.subarray(Math.max(from, 0), to);
      const bytes = this.pieces.length > 0 ? Buffer.concat([...this.pieces, tail]) : tail;
      message.text = bytes.toString('utf8');
      this.work.parsed++;
    }
    this.pieces = [];
    this.onMessage(message);
  }
}
