export const id = 581;
export const ids = [581];
export const modules = {

/***/ 581:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  verifyRunAction: () => (/* binding */ verifyRunAction)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: ./src/runner.ts
var src_runner = __webpack_require__(4813);
// EXTERNAL MODULE: ./src/action-settings.ts
var action_settings = __webpack_require__(2179);
// EXTERNAL MODULE: ./src/annotations.ts
var annotations = __webpack_require__(105);
// EXTERNAL MODULE: ./src/load.ts
var load = __webpack_require__(259);
// EXTERNAL MODULE: ./src/policy/fail-on.ts
var fail_on = __webpack_require__(668);
// EXTERNAL MODULE: ./src/report/check-run.ts
var check_run = __webpack_require__(2158);
// EXTERNAL MODULE: ./src/report/escape.ts
var report_escape = __webpack_require__(4031);
// EXTERNAL MODULE: ./src/claude/proof.ts
var proof = __webpack_require__(3064);
// EXTERNAL MODULE: ./src/rules/index.ts + 23 modules
var rules = __webpack_require__(8126);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
;// CONCATENATED MODULE: ./src/runlog/scanner.ts
/**
 * Splits a Claude Code log into messages as bytes arrive, without holding the file: an execution file
 * (one JSON array of messages, as the official action writes it) or stream-json (one message per line,
 * as `claude -p --output-format stream-json --verbose` prints it). Every message is checked for structure
 * (brackets that match, strings that close; a long string is jumped through to its end); only messages
 * whose `type` the proof reads are parsed.
 * The log holds the pull request's text: no error here quotes it, only positions.
 */
/** A log that cannot be read as one: a fixed sentence and the position, never the log's own text. */
class scanner_LogError extends Error {
    at;
    reason;
    constructor(at, reason) {
        super(`${at.line}:${at.column}: ${reason}`);
        this.at = at;
        this.reason = reason;
    }
}
/** Deeper than any message Claude Code writes; a parse of anything deeper is not attempted. */
const MAX_NESTING = 256;
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
const isSpace = (b) => b === 0x20 || b === 0x09 || b === 0x0d || b === NEWLINE;
class LogScanner {
    onMessage;
    wanted;
    work = { bytes: 0, messages: 0, parsed: 0 };
    format;
    between = 'start';
    line = 1;
    /** Bytes of a byte order mark matched at the very start; its length once decided. */
    bom = 0;
    // Columns are counted only when a position is asked for (a message starts, an error), from the start
    // of the line or the last position asked on it: a long string is skipped, not walked byte by byte.
    chunk = Buffer.alloc(0);
    index = 0;
    /** Where the current line starts in this chunk; -1 when it started in an earlier one. */
    lineStart = 0;
    /** The column of this chunk's first byte, when its line started in an earlier chunk. */
    carry = 1;
    countedAt = -1;
    counted = 1;
    /** The next `"`, `\\` and line break at or after the scan, per chunk: a string jumps to the nearest. */
    nextQuote = -1;
    nextBackslash = -1;
    nextNewline = -1;
    // Inside a message:
    inMessage = false;
    stack = [];
    inString = false;
    escaped = false;
    start = { line: 1, column: 1 };
    pieces = [];
    keep = true;
    /** At depth 1: 0 expecting a key, 1 in a key, 2 after a key, 3 in a value string. */
    keyState = 0;
    keyStart = -1;
    keyBytes = [];
    keyEscaped = false;
    typeNext = false;
    type;
    constructor(onMessage, 
    /** Which messages are wanted whole; undefined is a type the scanner could not read plainly. */
    wanted) {
        this.onMessage = onMessage;
        this.wanted = wanted;
    }
    push(chunk) {
        this.work.bytes += chunk.length;
        this.chunk = chunk;
        this.nextQuote = this.nextBackslash = this.nextNewline = -1;
        let i = 0;
        // A byte order mark, which may arrive split, is no column of the first line.
        while (this.bom < BOM.length && i < chunk.length) {
            if (chunk[i] !== BOM[this.bom]) {
                if (this.bom > 0)
                    throw new scanner_LogError({ line: 1, column: 1 }, NEITHER);
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
            const b = chunk[i];
            this.index = i;
            if (this.inMessage) {
                if (this.message(b)) {
                    this.finish(chunk, from, i + 1);
                    from = -1;
                }
            }
            else if (!isSpace(b) || this.format === 'stream-json') {
                if (this.outside(b))
                    from = i;
            }
            if (b === NEWLINE) {
                this.line++;
                this.lineStart = i + 1;
                this.countedAt = -1;
            }
        }
        if (this.inMessage && this.keep && from >= 0)
            this.pieces.push(Buffer.from(chunk.subarray(from)));
        this.carry = this.columnAt(chunk.length);
        this.lineStart = -1;
        this.countedAt = -1;
    }
    stringStop(i) {
        const chunk = this.chunk;
        const next = (cached, byte) => {
            if (cached >= i)
                return cached;
            const found = chunk.indexOf(byte, i);
            return found === -1 ? chunk.length : found;
        };
        this.nextQuote = next(this.nextQuote, QUOTE);
        this.nextBackslash = next(this.nextBackslash, BACKSLASH);
        this.nextNewline = next(this.nextNewline, NEWLINE);
        return Math.min(this.nextQuote, this.nextBackslash, this.nextNewline);
    }
    /** The column of byte `i` of this chunk, in code points, counted on from the last one asked. */
    columnAt(i) {
        let from;
        let column;
        if (this.countedAt >= 0 && this.countedAt <= i)
            [from, column] = [this.countedAt, this.counted];
        else if (this.lineStart >= 0)
            [from, column] = [this.lineStart, 1];
        else
            [from, column] = [0, this.carry];
        for (let k = from; k < i; k++)
            if ((this.chunk[k] & 0xc0) !== 0x80)
                column++;
        this.countedAt = i;
        this.counted = column;
        return column;
    }
    /** Where the byte being scanned is. */
    here() {
        return { line: this.line, column: this.columnAt(this.index) };
    }
    /** The end of the log: a message or array left open is an error, but for a cut-short last line. */
    end() {
        const at = { line: this.line, column: this.carry };
        if (this.between === 'line-broken')
            return { format: this.format, cutShort: this.start };
        if (this.inMessage) {
            if (this.format === 'stream-json')
                return { format: this.format, cutShort: this.start };
            throw new scanner_LogError(at, `the execution file ends inside the message that starts at ${this.start.line}:${this.start.column}: it was cut short`);
        }
        if (this.format === 'execution-file' && this.between !== 'closed')
            throw new scanner_LogError(at, 'the execution file ends before its array closes: it was cut short');
        return { format: this.format };
    }
    /** A byte between messages; true when it starts one. */
    outside(b) {
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
                throw new scanner_LogError(this.here(), NEITHER);
            case 'array-first':
            case 'array-next':
                if (b === OPEN_OBJECT)
                    return this.open(this.here());
                if (b === CLOSE_ARRAY && this.between === 'array-first') {
                    this.between = 'closed';
                    return false;
                }
                throw new scanner_LogError(this.here(), 'an element of the execution file is not a message (a JSON object)');
            case 'array-after':
                if (b === COMMA)
                    this.between = 'array-next';
                else if (b === CLOSE_ARRAY)
                    this.between = 'closed';
                else
                    throw new scanner_LogError(this.here(), 'a `,` or `]` was expected after a message');
                return false;
            case 'closed':
                throw new scanner_LogError(this.here(), 'text follows the closing `]` of the execution file');
            case 'line-start':
                if (b === OPEN_OBJECT)
                    return this.open(this.here());
                if (isSpace(b))
                    return false;
                throw new scanner_LogError(this.here(), 'a stream-json line does not start a message (a JSON object)');
            case 'line-rest':
                if (b === NEWLINE)
                    this.between = 'line-start';
                else if (!isSpace(b))
                    throw new scanner_LogError(this.here(), 'a stream-json line holds more than one message');
                return false;
            case 'line-broken':
                if (isSpace(b))
                    return false;
                throw new scanner_LogError(this.start, 'a stream-json line stops inside a message, and more lines follow');
        }
    }
    open(at) {
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
    message(b) {
        const depth = this.stack.length;
        if (this.inString) {
            if (this.escaped)
                this.escaped = false;
            else if (b === BACKSLASH) {
                this.escaped = true;
                if (depth === 1)
                    this.keyEscaped = true;
            }
            else if (b === QUOTE) {
                this.inString = false;
                if (depth === 1)
                    this.stringEnded();
            }
            else if (b === NEWLINE && this.format === 'stream-json') {
                this.breakLine();
            }
            else if (depth === 1 && this.keyState !== 0 && this.keyBytes.length <= MAX_TYPE_BYTES) {
                this.keyBytes.push(b);
            }
            return false;
        }
        if (b === QUOTE) {
            this.inString = true;
            if (depth === 1)
                this.stringStarted();
            return false;
        }
        if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
            if (depth === 1)
                this.typeNext = false;
            if (depth >= MAX_NESTING)
                throw new scanner_LogError(this.start, `a message is nested more than ${MAX_NESTING} deep`);
            this.stack.push(b === OPEN_OBJECT ? CLOSE_OBJECT : CLOSE_ARRAY);
            return false;
        }
        if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
            if (this.stack.pop() !== b)
                throw new scanner_LogError(this.here(), 'a bracket closes what it did not open');
            return this.stack.length === 0;
        }
        if (b === NEWLINE && this.format === 'stream-json') {
            this.breakLine();
            return false;
        }
        if (depth === 1) {
            if (b === COMMA)
                this.keyState = 0;
            else if (b !== COLON && !isSpace(b))
                this.typeNext = false;
        }
        return false;
    }
    /** A stream-json line ended inside its message: fine only as the log's last line, cut short. */
    breakLine() {
        this.inMessage = false;
        this.pieces = [];
        this.between = 'line-broken';
    }
    stringStarted() {
        this.keyBytes = [];
        this.keyEscaped = false;
        if (this.keyState === 0)
            this.keyState = 1;
        else if (this.keyState === 2)
            this.keyState = 3;
    }
    /** A string at the message's own level ended: a key, or the value of one. `type` is looked at. */
    stringEnded() {
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
                this.type = plain && /^[a-z_]+$/.test(text) ? text : undefined;
                this.keep = this.wanted(this.type);
                if (!this.keep)
                    this.pieces = [];
            }
            this.typeNext = false;
        }
    }
    finish(chunk, from, to) {
        this.inMessage = false;
        this.work.messages++;
        if (this.format === 'execution-file')
            this.between = 'array-after';
        else
            this.between = 'line-rest';
        const message = { type: this.type, ...this.start };
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

;// CONCATENATED MODULE: ./src/runlog/read.ts



/**
 * Reading a Claude Code log from where its run left it (normally RUNNER_TEMP, outside the workspace): a
 * regular file reached without any symbolic link, or standard input; never more than its size cap, and
 * never held whole: chunks go through the scanner as they are read.
 */
/** The default cap on one log: far above a long run's execution file, far below what would hurt the runner. */
const DEFAULT_MAX_LOG_BYTES = 100 * 1024 * 1024;
const CHUNK = 1024 * 1024;
// O_NOFOLLOW refuses a final symbolic link; O_NONBLOCK keeps a FIFO from blocking the open itself.
const OPEN_FLAGS = external_node_fs_.constants.O_RDONLY | (external_node_fs_.constants.O_NOFOLLOW ?? 0) | (external_node_fs_.constants.O_NONBLOCK ?? 0);
/** Whether a folder on the way to `path` is a symbolic link (or cannot be resolved at all). */
function reachedThroughLink(path) {
    const folder = (0,external_node_path_.dirname)(path);
    try {
        return external_node_fs_.realpathSync.native(folder) !== folder;
    }
    catch {
        return true;
    }
}
/** A log file, scanned chunk by chunk; `onMessage` sees each message as it is read. */
function readLogFile(path, maxBytes, scanner) {
    const absolute = (0,external_node_path_.resolve)(path);
    if (reachedThroughLink(absolute))
        return { reason: 'a folder on its path is a symbolic link (or missing); give the real path' };
    let fd;
    try {
        fd = (0,external_node_fs_.openSync)(absolute, OPEN_FLAGS);
    }
    catch (error) {
        const code = error.code ?? 'error';
        if (code === 'ELOOP')
            return { reason: 'it is a symbolic link, not followed' };
        return { reason: code === 'ENOENT' ? 'no such file' : `cannot be read (${code})` };
    }
    try {
        const stat = (0,external_node_fs_.fstatSync)(fd);
        if (!stat.isFile())
            return { reason: 'not a regular file' };
        if (stat.size > maxBytes)
            return tooLarge(stat.size, maxBytes);
        const buffer = Buffer.alloc(Math.min(CHUNK, stat.size + 1));
        let total = 0;
        for (;;) {
            const n = (0,external_node_fs_.readSync)(fd, buffer, 0, buffer.length, null);
            if (n === 0)
                break;
            total += n;
            // A file that grows while it is read cannot run past what fstat promised.
            if (total > stat.size)
                return { reason: 'it changed while it was read' };
            scanner.push(buffer.subarray(0, n));
        }
        return { ...scanner.end(), work: scanner.work };
    }
    catch (error) {
        if (error instanceof scanner_LogError)
            return { at: error.at, reason: error.reason };
        return { reason: `cannot be read (${error.code ?? 'error'})` };
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Standard input (`-`), scanned as it arrives; more than `maxBytes` stops the read. */
async function read_readLogStream(input, maxBytes, scanner) {
    try {
        for await (const piece of input) {
            const chunk = typeof piece === 'string' ? Buffer.from(piece) : piece;
            if (scanner.work.bytes + chunk.length > maxBytes)
                return tooLarge(undefined, maxBytes);
            scanner.push(chunk);
        }
        return { ...scanner.end(), work: scanner.work };
    }
    catch (error) {
        if (error instanceof LogError)
            return { at: error.at, reason: error.reason };
        return { reason: `cannot be read (${error.code ?? 'error'})` };
    }
}
function tooLarge(size, maxBytes) {
    const what = size === undefined ? 'it is' : `it is ${size} bytes,`;
    return {
        reason: `${what} over the log size limit of ${maxBytes} bytes (--max-log-size, input max-log-size)`,
    };
}
function read_isProblem(read) {
    return 'reason' in read;
}

;// CONCATENATED MODULE: ./src/runlog/locate.ts
/** The span of the value at `path` (object keys, outermost first) in `text`, which starts at `origin`. */
function locate(text, path, origin) {
    const walker = new Walker(text);
    const found = walker.find(0, path);
    if (!found)
        return undefined;
    return { start: positionAt(text, found[0], origin), end: positionAt(text, found[1], origin) };
}
/** The line and column of `offset` in `text`, counted in code points from `origin`. */
function positionAt(text, offset, origin) {
    let { line, column } = origin;
    for (let i = 0; i < offset; i++) {
        const code = text.charCodeAt(i);
        if (code === 0x0a) {
            line++;
            column = 1;
        }
        else if (code < 0xdc00 || code > 0xdfff)
            column++;
    }
    return { line, column };
}
class Walker {
    text;
    constructor(text) {
        this.text = text;
    }
    space(i) {
        while (i < this.text.length && /\s/.test(this.text[i]))
            i++;
        return i;
    }
    /** The end of the string that opens at `i`. */
    string(i) {
        for (let j = i + 1; j < this.text.length; j++) {
            const c = this.text[j];
            if (c === '\\')
                j++;
            else if (c === '"')
                return j + 1;
        }
        return this.text.length;
    }
    /** The end of the value that starts at `i`. */
    value(i) {
        const c = this.text[i];
        if (c === '"')
            return this.string(i);
        if (c !== '{' && c !== '[') {
            let j = i;
            while (j < this.text.length && !/[\s,\]}]/.test(this.text[j]))
                j++;
            return j;
        }
        let j = this.space(i + 1);
        while (j < this.text.length && this.text[j] !== '}' && this.text[j] !== ']') {
            if (c === '{')
                j = this.space(this.string(j)) + 1;
            j = this.space(this.value(this.space(j)));
            if (this.text[j] === ',')
                j = this.space(j + 1);
        }
        return j + 1;
    }
    /** [start, end) of the value at `path` inside the value at `i`, or undefined. */
    find(i, path) {
        i = this.space(i);
        if (path.length === 0)
            return [i, this.value(i)];
        if (this.text[i] !== '{')
            return undefined;
        let j = this.space(i + 1);
        while (j < this.text.length && this.text[j] === '"') {
            const keyEnd = this.string(j);
            const key = JSON.parse(this.text.slice(j, keyEnd));
            const valueStart = this.space(this.space(keyEnd) + 1);
            if (key === path[0])
                return this.find(valueStart, path.slice(1));
            j = this.space(this.value(valueStart));
            if (this.text[j] === ',')
                j = this.space(j + 1);
        }
        return undefined;
    }
}

;// CONCATENATED MODULE: ./src/runlog/runs.ts



/**
 * The runs of one log, folded from its messages: `system/init` opens a run (a resumed session starts a
 * new one), `rate_limit_event` is counted, the run's last `result` gives turns, time, tokens and the
 * estimated cost. Every field used is shape-checked, unknown fields are ignored, and what is kept is
 * enums from a closed set and numbers: nothing of the log's text survives this fold.
 */
/** The message types the fold reads; every other message is only checked for structure. */
const READ_TYPES = new Set(['system', 'result', 'rate_limit_event']);
/** Why a run failed, from a fixed catalogue; the log's own words are never repeated. */
const FAILURES = (/* unused pure expression or super */ null && ([
    'no-init',
    'no-result',
    'subscription-window-spent',
    'credential-rejected',
    'subscription-access-disabled',
    'max-turns',
    'max-budget',
    'api-error',
    'error',
]));
/**
 * A Claude model id as the API, Bedrock (`us.anthropic.…-v1:0`) or Vertex (`…@20250929`) names it, with
 * Claude Code's `[1m]`: a family word and numbers, nothing a log could smuggle text through.
 */
const MODEL_ID = /^(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\.)?(?:anthropic\.)?claude-(?:\d{1,8}-){0,3}(?:opus|sonnet|haiku|instant)(?:-\d{1,8}){0,4}(?:@\d{8})?(?:-v\d{1,3}(?::\d{1,3})?)?(?:\[1m\])?$/;
const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,6}$/;
const SUBSCRIPTION_REFUSED = /organi[sz]ation has disabled claude subscription access/i;
const isObject = (v) => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v) => Number.isSafeInteger(v) && v >= 0 ? v : null;
const amount = (v) => typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
const runs_status = (v) => Number.isInteger(v) && v >= 100 && v <= 599 ? v : null;
function apiKeySourceOf(v) {
    return typeof v === 'string' && proof/* API_KEY_SOURCES */.CZ.includes(v)
        ? v
        : 'other';
}
function providerOf(v) {
    if (typeof v !== 'string')
        return null;
    return proof/* USAGE_PROVIDERS */.fd.includes(v) ? v : 'other';
}
function modelName(id) {
    return id.length <= 80 && MODEL_ID.test(id) ? id : 'other';
}
const draft = (start, init) => ({
    start,
    init,
    apiKeySource: null,
    version: null,
    rateLimitEvents: 0,
    rejected: 0,
});
/** Messages in, runs out; `add` throws a LogError at the position of a message that is not JSON. */
class runs_RunFold {
    drafts = [];
    add(message) {
        const value = message.text === undefined ? undefined : parse(message);
        const type = isObject(value) ? value.type : message.type;
        if (type === 'system' && isObject(value) && value.subtype === 'init') {
            this.init(value, message);
            return;
        }
        const current = this.current(message);
        if (!isObject(value))
            return;
        if (type === 'rate_limit_event') {
            current.rateLimitEvents++;
            current.rateLimitAt ??= locate(message.text, ['type'], message);
            const info = value.rate_limit_info;
            if (isObject(info) && info.status === 'rejected')
                current.rejected++;
        }
        else if (type === 'result') {
            current.result = resultFacts(value, message, current.rejected);
        }
    }
    /** The runs, at least one: a log with no message at all is a run that never started. */
    finish() {
        if (this.drafts.length === 0)
            this.drafts.push(draft({ line: 1, column: 1 }, false));
        return this.drafts.map(factsOf);
    }
    init(value, message) {
        // Messages before the first init belong to no run that started; a run that did start ends here.
        const last = this.drafts.at(-1);
        const run = last && !last.init && last.result === undefined ? last : undefined;
        const opened = run ?? draft(message, true);
        if (!run)
            this.drafts.push(opened);
        opened.start = { line: message.line, column: message.column };
        opened.init = true;
        opened.apiKeySource = apiKeySourceOf(value.apiKeySource);
        opened.apiKeySourceAt = locate(message.text, ['apiKeySource'], message);
        opened.version =
            typeof value.claude_code_version === 'string' && VERSION.test(value.claude_code_version)
                ? value.claude_code_version
                : null;
    }
    current(message) {
        const last = this.drafts.at(-1);
        if (last)
            return last;
        const opened = draft({ line: message.line, column: message.column }, false);
        this.drafts.push(opened);
        return opened;
    }
}
function parse(message) {
    try {
        return JSON.parse(message.text);
    }
    catch (error) {
        // The parser's own message quotes the text; only its position is kept.
        const offset = /position (\d+)/.exec(error.message)?.[1];
        const at = offset === undefined ? message : positionAt(message.text, Number(offset), message);
        throw new scanner_LogError(at, 'a message is not valid JSON');
    }
}
function resultFacts(value, message, rejectedBefore) {
    const models = [];
    const providerPlaces = {};
    const usage = value.modelUsage;
    if (isObject(usage)) {
        for (const [id, entry] of Object.entries(usage)) {
            if (!isObject(entry))
                continue;
            const provider = providerOf(entry.provider);
            if (provider && !providerPlaces[provider])
                providerPlaces[provider] = locate(message.text, ['modelUsage', id, 'provider'], message);
            models.push({
                model: modelName(id),
                provider,
                inputTokens: count(entry.inputTokens),
                outputTokens: count(entry.outputTokens),
                cacheReadInputTokens: count(entry.cacheReadInputTokens),
                cacheCreationInputTokens: count(entry.cacheCreationInputTokens),
                costUsdEstimate: amount(entry.costUSD),
            });
        }
    }
    const subtype = value.subtype;
    return {
        isError: value.is_error === true,
        apiErrorStatus: runs_status(value.api_error_status),
        subtype: subtype === 'error_max_turns' || subtype === 'error_max_budget_usd' ? subtype : undefined,
        // Only searched, never kept: the words Claude Code prints when an organisation turns subscriptions off.
        refused: typeof value.result === 'string' && SUBSCRIPTION_REFUSED.test(value.result),
        rejectedBefore,
        turns: count(value.num_turns),
        durationMs: amount(value.duration_ms),
        costUsdEstimate: amount(value.total_cost_usd),
        models,
        providerPlaces,
    };
}
function failureOf(d) {
    const result = d.result;
    const apiErrorStatus = result?.apiErrorStatus ?? null;
    if (!d.init)
        return { kind: 'no-init', apiErrorStatus };
    if (!result)
        return { kind: 'no-result', apiErrorStatus: null };
    if (!result.isError)
        return null;
    const kind = result.refused
        ? 'subscription-access-disabled'
        : apiErrorStatus === 429 && result.rejectedBefore > 0
            ? 'subscription-window-spent'
            : apiErrorStatus === 401
                ? 'credential-rejected'
                : result.subtype === 'error_max_turns'
                    ? 'max-turns'
                    : result.subtype === 'error_max_budget_usd'
                        ? 'max-budget'
                        : apiErrorStatus !== null
                            ? 'api-error'
                            : 'error';
    return { kind, apiErrorStatus };
}
function tokensOf(models) {
    if (models.length === 0)
        return null;
    const sum = (pick) => models.reduce((n, m) => n + (pick(m) ?? 0), 0);
    return {
        input: sum((m) => m.inputTokens),
        output: sum((m) => m.outputTokens),
        cacheRead: sum((m) => m.cacheReadInputTokens),
        cacheCreation: sum((m) => m.cacheCreationInputTokens),
    };
}
function factsOf(d, index) {
    const models = d.result?.models ?? [];
    const providers = [...new Set(models.flatMap((m) => (m.provider ? [m.provider] : [])))];
    return {
        run: index + 1,
        start: d.start,
        evidence: { apiKeySource: d.init ? d.apiKeySource : null, providers, rateLimitEvents: d.rateLimitEvents },
        rejectedRateLimitEvents: d.rejected,
        places: {
            ...(d.apiKeySourceAt ? { apiKeySource: d.apiKeySourceAt } : {}),
            providers: d.result?.providerPlaces ?? {},
            ...(d.rateLimitAt ? { rateLimitEvent: d.rateLimitAt } : {}),
        },
        claudeCodeVersion: d.version,
        models,
        turns: d.result?.turns ?? null,
        durationMs: d.result?.durationMs ?? null,
        tokens: tokensOf(models),
        costUsdEstimate: d.result?.costUsdEstimate ?? null,
        failure: failureOf(d),
    };
}

;// CONCATENATED MODULE: ./src/runlog/verify.ts





const wanted = (type) => type === undefined || READ_TYPES.has(type);
function scanInto(fold) {
    return new LogScanner((m) => fold.add(m), wanted);
}
function verified(file, read, facts, declaration) {
    return {
        file,
        format: read.format,
        runs: facts.map((f) => ({ ...f, proof: (0,proof/* provedRoute */.k9)(f.evidence, declaration.inPlay) })),
        work: read.work,
        ...(read.cutShort ? { cutShort: read.cutShort } : {}),
    };
}
/** A log file: refused when it is a link, not a regular file, or over `maxBytes`. */
function verifyLogFile(file, path, maxBytes, declaration) {
    const fold = new runs_RunFold();
    const read = readLogFile(path, maxBytes, scanInto(fold));
    if (read_isProblem(read))
        return { file, ...read };
    return verified(file, read, fold.finish(), declaration);
}
/** Standard input, read as it arrives. */
async function verifyLogStream(input, maxBytes, declaration) {
    const fold = new RunFold();
    const read = await readLogStream(input, maxBytes, scanInto(fold));
    if (isProblem(read))
        return { file: '-', ...read };
    return verified('-', read, fold.finish(), declaration);
}
function isUnread(log) {
    return 'reason' in log;
}
const CLOUD_PROVIDERS = ['bedrock', 'vertex', 'foundry', 'anthropicAws', 'mantle'];
/** The text in the log that decides a run's route: the field itself, or the run's first message. */
function verify_evidencePlace(run) {
    const { places } = run;
    switch (run.proof.decidedBy) {
        case 'api-key-source':
        case 'declared-credentials':
            return places.apiKeySource;
        case 'cloud-provider':
            return CLOUD_PROVIDERS.map((p) => places.providers[p]).find((p) => p !== undefined);
        case 'gateway-provider':
            return places.providers.gateway;
        case 'rate-limit-events':
            return places.rateLimitEvent;
        case 'none':
            return undefined;
    }
}
function spanOf(run) {
    const at = verify_evidencePlace(run);
    if (at)
        return { line: at.start.line, column: at.start.column, endLine: at.end.line, endColumn: at.end.column };
    return {
        line: run.start.line,
        column: run.start.column,
        endLine: run.start.line,
        endColumn: run.start.column + 1,
    };
}
/** The run rules on every run of a log; a finding sits on the route row when there is one, else on the log. */
function runFindings(log, declaration) {
    return log.runs.flatMap((run) => rules/* RUN_RULES */.g6.flatMap((rule) => rule
        .check({ run, log: log.file, ...(declaration.declared ? { declared: declaration.declared } : {}) })
        .map((d) => ({
        rule: rule.id,
        severity: d.severity ?? rule.severity,
        // Every run rule rests on the log itself (its trait is `fact`).
        confidence: 'high',
        message: d.message,
        file: declaration.place?.file ?? log.file,
        span: declaration.place?.span ?? spanOf(run),
    }))));
}

// EXTERNAL MODULE: ./src/report/sarif.ts
var sarif = __webpack_require__(643);
;// CONCATENATED MODULE: ./src/report/runs.ts





/** Where the JSON Schema of `verify-run --format json` lives; the file is `schema/run-v1.json`. */
const RUN_SCHEMA_URL = 'https://raw.githubusercontent.com/claude-route-guard/claude-route-guard/main/schema/run-v1.json';
/** `total_cost_usd` is Claude Code's own estimate: these say so, and who really bills. */
const COST_NOTES = {
    estimate: 'estimated at list prices; the bill is in the Console usage page or the cloud account',
    plan: "covered by the plan's usage limits, not billed per token",
};
function costNote(run) {
    return proof/* SUBSCRIPTION_ROUTES */.d5.includes(run.proof.route) ? COST_NOTES.plan : COST_NOTES.estimate;
}
/** The provider that served the run: the one that decided its route, else the only one seen. */
function runProvider(run) {
    const { providers } = run.evidence;
    if (run.proof.decidedBy === 'gateway-provider')
        return 'gateway';
    if (run.proof.decidedBy === 'cloud-provider' && run.proof.route !== 'unknown')
        return providers.find((p) => !['firstParty', 'gateway', 'other'].includes(p)) ?? null;
    return providers.length === 1 ? providers[0] : null;
}
/** One run as `runs[]` of the JSON contract. */
function runJson(file, run) {
    const at = evidencePlace(run);
    return {
        file,
        run: run.run,
        line: run.start.line,
        column: run.start.column,
        route: run.proof.route,
        evidence: {
            apiKeySource: run.evidence.apiKeySource,
            providers: run.evidence.providers,
            rateLimitEvents: run.evidence.rateLimitEvents,
            rejectedRateLimitEvents: run.rejectedRateLimitEvents,
            decidedBy: run.proof.decidedBy,
            possible: run.proof.possible,
            line: at?.start.line ?? null,
            column: at?.start.column ?? null,
        },
        models: run.models,
        provider: runProvider(run),
        claudeCodeVersion: run.claudeCodeVersion,
        turns: run.turns,
        durationMs: run.durationMs,
        tokens: run.tokens,
        costUsdEstimate: run.costUsdEstimate,
        costNote: costNote(run),
        failure: run.failure,
    };
}
function formatRunsJson(report) {
    return JSON.stringify({
        schema: RUN_SCHEMA_URL,
        version: 1,
        runs: report.logs.flatMap((log) => log.runs.map((run) => runJson(log.file, run))),
        findings: report.findings.map(jsonFinding),
        cutShort: report.logs.flatMap((log) => log.cutShort ? [{ file: log.file, line: log.cutShort.line, column: log.cutShort.column }] : []),
    }, null, 2);
}
/** What decided the route, in words of enums and numbers. */
function provedBy(run) {
    const e = run.evidence;
    if (e.apiKeySource === null)
        return 'no system/init message: Claude Code did not start';
    const parts = [`apiKeySource ${e.apiKeySource}`];
    if (e.providers.length > 0)
        parts.push(`provider ${e.providers.join(', ')}`);
    if (e.rateLimitEvents > 0)
        parts.push(`${e.rateLimitEvents} rate-limit event${e.rateLimitEvents === 1 ? '' : 's'}`);
    if (run.proof.decidedBy === 'declared-credentials')
        parts.push('the one credential of those in play');
    if (run.proof.possible.length > 0)
        parts.push(`one of ${run.proof.possible.join(', ')}`);
    return parts.join(', ');
}
const number = (n) => n.toLocaleString('en-US');
/** Models, version, turns, duration and tokens of a run, or `-` for each that the log does not give. */
function usageParts(run) {
    const t = run.tokens;
    return {
        models: run.models.length > 0
            ? run.models.map((m) => `${m.model}${m.provider ? ` (${m.provider})` : ''}`).join(', ')
            : '-',
        version: run.claudeCodeVersion ?? '-',
        turns: run.turns === null ? '-' : `${number(run.turns)} turn${run.turns === 1 ? '' : 's'}`,
        duration: run.durationMs === null ? '-' : `${(run.durationMs / 1000).toFixed(1)} s`,
        tokens: t
            ? `${number(t.input)} in, ${number(t.output)} out, ${number(t.cacheRead)} cache read, ${number(t.cacheCreation)} cache write`
            : '-',
        cost: run.costUsdEstimate === null ? '-' : `$${run.costUsdEstimate.toFixed(4)}, ${costNote(run)}`,
    };
}
function failureText(run) {
    const f = run.failure;
    if (!f)
        return '-';
    return f.apiErrorStatus === null ? f.kind : `${f.kind} (API status ${f.apiErrorStatus})`;
}
/** The runs as text for a terminal: one block per run. File names go through the caller's escaping. */
function runsText(report) {
    if (report.logs.length === 0)
        return [];
    const runs = report.logs.reduce((n, log) => n + log.runs.length, 0);
    const out = [
        `${runs} run${runs === 1 ? '' : 's'} in ${report.logs.length} log${report.logs.length === 1 ? '' : 's'}`,
        '',
    ];
    for (const log of report.logs) {
        for (const run of log.runs) {
            const u = usageParts(run);
            out.push(`${log.file} run ${run.run} (line ${run.start.line}): ${run.proof.route}`, `    proved by: ${provedBy(run)}`, `    models: ${u.models}`, `    Claude Code ${u.version}, ${u.turns}, ${u.duration}, tokens: ${u.tokens}`, `    cost: ${u.cost}`, `    failure: ${failureText(run)}`);
        }
    }
    if (report.findings.length > 0)
        out.push('');
    for (const f of report.findings)
        out.push(`${f.file}:${f.span.line}:${f.span.column}: ${f.severity}[${f.rule}]: ${f.message}`);
    return out;
}
/** The job summary's section: one row per run, every cell an enum, a number or the run's own label. */
function runsSummary(report, label) {
    const out = [
        '### What the runs used',
        '',
        '| Run | Route | Proved by | Models | Claude Code | Turns | Duration | Tokens | Cost | Failure |',
        '|---|---|---|---|---|---|---|---|---|---|',
    ];
    for (const log of report.logs) {
        for (const run of log.runs) {
            const u = usageParts(run);
            const cells = [
                label(log, run),
                run.proof.route,
                provedBy(run),
                u.models,
                u.version,
                u.turns,
                u.duration,
                u.tokens,
                u.cost,
                failureText(run),
            ];
            out.push(`| ${cells.map((c) => (0,report_escape/* markdownText */.p7)(c)).join(' | ')} |`);
        }
    }
    out.push('', `Costs are Claude Code's own figures (\`total_cost_usd\`), ${COST_NOTES.estimate}.`, '');
    return out.join('\n');
}
/** SARIF 2.1.0: the findings as results, and the runs in the run's property bag. */
function formatRunsSarif(report, version) {
    const asReport = {
        version: 1,
        routes: [],
        findings: report.findings,
        skipped: [],
        unresolved: [],
        files: report.logs.length,
        notParsed: 0,
    };
    const log = sarifLog(asReport, version);
    log.runs[0].properties = {
        claudeRuns: report.logs.flatMap((l) => l.runs.map((run) => runJson(l.file, run))),
    };
    return JSON.stringify(log, null, 2);
}

// EXTERNAL MODULE: ./src/report/summary.ts
var summary = __webpack_require__(7994);
// EXTERNAL MODULE: ./src/runtime/facts.ts + 1 modules
var runtime_facts = __webpack_require__(9207);
// EXTERNAL MODULE: ./src/runtime/probe.ts + 3 modules
var probe = __webpack_require__(9256);
// EXTERNAL MODULE: ./src/scan.ts + 16 modules
var scan = __webpack_require__(6157);
// EXTERNAL MODULE: ./src/types.ts
var types = __webpack_require__(8522);
;// CONCATENATED MODULE: ./src/runlog/declared.ts
const OUTPUT = /steps\.([A-Za-z_][\w-]*)\.outputs\.execution_file/;
/** The guard step that reads execution files: the running step when GITHUB_ACTION names it, else the first. */
function guardStep(job, action) {
    const guards = job.steps.filter((s) => s.with.some((w) => w.name === 'execution-file'));
    return guards.find((s) => s.id?.text === action) ?? guards[0];
}
/** The step id behind each line of the `execution-file` input, as its expression names it. */
function stepIdsPerFile(guard) {
    const value = guard?.with.find((w) => w.name === 'execution-file')?.value.text ?? '';
    return value
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => OUTPUT.exec(line)?.[1]);
}
/** The route the files declare for a row: its route, or for an undecided row the credential they name first. */
function rowRoute(row) {
    if (row.route !== 'unknown')
        return row.route;
    return row.outcomes[0];
}
/** Every route a row leaves in play: the winner, what it shadows, every outcome. */
function rowKinds(row) {
    return [...row.outcomes, ...row.shadowed.map((s) => s.route), row.route];
}
/** The span of a row's place: its `uses:` value, or the word that runs Claude in a `run:`. */
function rowSpan(row, lines) {
    const rest = (lines[row.line - 1] ?? '').slice(row.column - 1);
    const word = /^(?:"[^"]*"|'[^']*'|[^\s'"]+)/.exec(rest)?.[0] ?? ' ';
    return { line: row.line, column: row.column, endLine: row.line, endColumn: row.column + word.length };
}
function declarations(input) {
    const { workflow, job, expectedRoute } = input;
    const rows = input.rows.filter((r) => r.file === workflow.file && r.job === job.id && r.invocation !== 'runner');
    const lines = workflow.source.text.split('\n');
    const ids = stepIdsPerFile(guardStep(job, input.action));
    const notes = [];
    const rowOfStep = (id) => {
        const step = job.steps.find((s) => id !== undefined && s.id?.text === id);
        return step && rows.find((r) => r.line >= step.span.line && r.line <= step.span.endLine);
    };
    const single = new Set(ids.filter((id) => id !== undefined)).size === 1 ? ids.find((id) => id) : undefined;
    const byFile = Array.from({ length: input.files }, (_, i) => {
        const id = ids.length === input.files ? ids[i] : single;
        let row = rowOfStep(id);
        if (!row && expectedRoute)
            row = rows.find((r) => rowRoute(r) === expectedRoute || r.outcomes.includes(expectedRoute)) ?? rows[0];
        if (!row && rows.length === 1)
            row = rows[0];
        const inPlay = [
            ...new Set([
                ...(row ? rowKinds(row) : []),
                ...(expectedRoute ? [expectedRoute] : []),
                ...input.runnerKinds,
            ]),
        ];
        const place = row
            ? { file: workflow.file, span: rowSpan(row, lines) }
            : { file: workflow.file, span: job.idSpan };
        const step = row?.step ? { step: `${job.id} / ${row.step}` } : {};
        if (expectedRoute)
            return {
                declared: { route: expectedRoute, declaredBy: 'Input expected-route gives' },
                inPlay,
                place,
                ...step,
            };
        const route = row && rowRoute(row);
        if (!row || !route) {
            notes.push(rows.length === 0
                ? `Job \`${job.id}\` of ${workflow.file} has no Claude step, so execution file ${i + 1} is shown without a declared route to compare.`
                : `Job \`${job.id}\` has ${rows.length} Claude steps and execution file ${i + 1} does not say whose it is: pass \`\${{ steps.<id>.outputs.execution_file }}\` or set expected-route.`);
            return { inPlay, place, ...step };
        }
        const declared = {
            route,
            ...(row.credential ? { variable: row.credential.variable } : {}),
            declaredBy: `Job \`${job.id}\` declares`,
        };
        return { declared, inPlay, place, ...step };
    });
    return { byFile, notes };
}

;// CONCATENATED MODULE: ./src/runlog/action.ts

















/**
 * The action with `execution-file` set: a step after the Claude step that proves, from the run's own
 * log, the route it used, and compares it with what the files declare for that step. It reports only
 * the proof (findings, the summary section "What the runs used", outputs): the static findings are the
 * first guard step's to report. Its findings go where the `annotations` input says, a check run of its own
 * named PROOF_CHECK_RUN_NAME beside the scan's.
 */
const CUT = '> The summary was cut at GitHub’s size limit; run `claude-route-guard verify-run --format json` on the log for every run.';
function readInputs() {
    const files = src_runner/* getInput */.V4('execution-file')
        .split('\n')
        .map((f) => f.trim())
        .filter(Boolean);
    const expected = src_runner/* getInput */.V4('expected-route');
    const routes = types/* ROUTE_KINDS */.ok.filter((r) => r !== 'unknown');
    if (expected !== '' && !routes.includes(expected))
        throw new load/* UsageError */.eb(`input expected-route must be one of ${routes.join(', ')}, not "${expected}"`);
    return {
        files,
        maxBytes: (0,load/* parseSize */.DB)(src_runner/* getInput */.V4('max-log-size'), 'input max-log-size') ?? DEFAULT_MAX_LOG_BYTES,
        expectedRoute: expected === '' ? undefined : expected,
    };
}
/**
 * What the files declare for each execution file: the static engine's rows for this job, from the
 * workflow GITHUB_WORKFLOW_REF names and the job GITHUB_JOB names.
 */
function declared(settings, env, inputs, runnerKinds) {
    const expected = inputs.expectedRoute;
    const undeclared = (note) => ({
        byFile: inputs.files.map(() => ({
            inPlay: [...runnerKinds, ...(expected ? [expected] : [])],
            ...(expected ? { declared: { route: expected, declaredBy: 'Input expected-route gives' } } : {}),
        })),
        notes: [note],
    });
    const file = /^[^/]+\/[^/]+\/(.+?)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1];
    const jobId = env.GITHUB_JOB;
    if (!file || !jobId)
        return undeclared('GITHUB_WORKFLOW_REF or GITHUB_JOB is not set: no declared route to compare.');
    const workspace = settings.workspace;
    // The workflow is the pull request's file: read as every scanned file is, never through a link.
    const parsed = (0,load/* fsRepo */.i1)(workspace, workspace, settings.repository).parse(file);
    const job = parsed?.kind === 'workflow' ? parsed.jobs.find((j) => j.id === jobId) : undefined;
    if (parsed?.kind !== 'workflow' || !job)
        return undeclared(`${file} or its job \`${jobId}\` could not be read: no declared route to compare.`);
    const problems = [];
    const options = {
        cwd: workspace,
        root: workspace,
        maxBytes: settings.maxFileSize,
        ...(settings.repository ? { repoName: settings.repository } : {}),
    };
    const report = (0,scan/* scan */.SQ)((0,load/* loadFiles */.aY)([file], options, problems));
    return declarations({
        workflow: parsed,
        job,
        rows: report.routes,
        files: inputs.files.length,
        action: env.GITHUB_ACTION,
        expectedRoute: expected,
        runnerKinds,
    });
}
function setOutputs(report) {
    const runs = report.logs.flatMap((l) => l.runs);
    const counts = (0,scan/* countBySeverity */.Ot)(report.findings);
    src_runner/* setOutput */.uH('errors', counts.error);
    src_runner/* setOutput */.uH('warnings', counts.warning);
    src_runner/* setOutput */.uH('notices', counts.notice);
    src_runner/* setOutput */.uH('route-proved', runs.map((r) => r.proof.route).join(','));
    const cost = runs.reduce((sum, r) => sum + (r.costUsdEstimate ?? 0), 0);
    src_runner/* setOutput */.uH('cost-usd', String(Math.round(cost * 1e6) / 1e6));
    src_runner/* setOutput */.uH('runs-verified', runs.length);
}
function action_summary(report, notes, steps) {
    const out = ['## Claude Code runs, proved from their own logs', ''];
    for (const note of notes)
        out.push(`> ${(0,report_escape/* markdownText */.p7)(note, 2000)}`, '');
    out.push(runsSummary(report, (log, run) => `${steps.get(log) ?? log.file}, run ${run.run}`));
    for (const f of report.findings)
        out.push(`- ${(0,report_escape/* markdownCode */.D9)(`${f.file}:${f.span.line}:${f.span.column}`)} **${f.rule}**: ${(0,report_escape/* markdownText */.p7)(f.message, 2000)}`);
    return out.join('\n');
}
/** The action's run when `execution-file` is set. Every failure is one line, never a stack trace. */
async function verifyRunAction(env = process.env) {
    try {
        const settings = (0,action_settings/* readActionSettings */.O)(env);
        const inputs = readInputs();
        // Mask first: the probe registers every credential value on the runner before anything is printed.
        const facts = (0,probe/* probeRunner */.Zt)({
            env,
            home: env.HOME ?? (0,external_node_os_.homedir)(),
            workspace: settings.workspace,
            platform: process.platform,
            mask: src_runner/* setSecret */.Pq,
        });
        const runner = (0,runtime_facts/* runnerRoute */.q0)(facts);
        const runnerKinds = [
            ...(runner.winner ? [runner.winner.kind] : []),
            ...runner.shadowed.map((c) => c.kind),
        ];
        const { byFile, notes } = declared(settings, env, inputs, runnerKinds);
        const logs = [];
        const steps = new Map();
        const unread = [];
        const findings = inputs.files.flatMap((path, i) => {
            const declaration = byFile[i];
            const log = verifyLogFile(`execution file ${i + 1}`, path, inputs.maxBytes, declaration);
            if (isUnread(log)) {
                unread.push(`${log.file} (${path}): ${log.at ? `${log.at.line}:${log.at.column}: ` : ''}${log.reason}`);
                return [];
            }
            logs.push(log);
            if (declaration.step)
                steps.set(log, declaration.step);
            if (log.cutShort)
                notes.push(`${log.file}: its last line (${log.cutShort.line}) is cut short and ignored.`);
            return runFindings(log, declaration);
        });
        const report = { logs, findings };
        for (const note of notes)
            src_runner/* notice */.lm((0,report_escape/* logText */.kc)(note), { title: 'claude-route-guard: run' });
        const failOn = settings.failOn ?? 'error';
        const notRead = unread.map((u) => `Not read: ${u}`);
        const annotated = await (0,annotations/* annotateOn */.W)(settings, env, {
            name: check_run/* PROOF_CHECK_RUN_NAME */.c0,
            findings,
            conclusion: unread.length > 0 ? 'failure' : (0,check_run/* checkRunConclusion */.b6)(findings, failOn),
            title: (0,check_run/* checkRunTitle */.kC)(findings, logs.reduce((n, l) => n + l.runs.length, 0)),
            summary: () => (0,summary/* capBytes */.YC)(action_summary(report, [...notes, ...notRead], steps), check_run/* CHECK_RUN_SUMMARY_LIMIT */.kY - 1024, CUT),
            reserved: notes.length,
        });
        const said = [annotated.warning, annotated.note].filter((n) => n !== undefined);
        if (annotated.note)
            src_runner/* notice */.lm(annotated.note);
        const text = action_summary(report, [...notes, ...notRead, ...said], steps);
        if (env.GITHUB_STEP_SUMMARY)
            src_runner/* appendSummary */.fe(env.GITHUB_STEP_SUMMARY, text);
        else
            for (const line of text.split('\n'))
                src_runner/* info */.pq((0,report_escape/* logText */.kc)(line));
        setOutputs(report);
        if (unread.length > 0)
            src_runner/* setFailed */.C1((0,report_escape/* logText */.kc)(`claude-route-guard: not read: ${unread.join('; ')}`));
        else if ((0,fail_on/* failsOn */.H)(findings, failOn))
            src_runner/* setFailed */.C1(`claude-route-guard: ${findings.length} run(s) used another route than the workflow declares; fail-on is ${failOn}.`);
    }
    catch (error) {
        const known = error instanceof load/* UsageError */.eb;
        src_runner/* setFailed */.C1((0,report_escape/* logText */.kc)(known ? error.message : `claude-route-guard: ${error.message}`));
    }
}


/***/ })

};
