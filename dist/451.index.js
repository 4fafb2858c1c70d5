export const id = 451;
export const ids = [451];
export const modules = {

/***/ 9451:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  readRemoteCallees: () => (/* binding */ readRemoteCallees)
});

// EXTERNAL MODULE: ./src/load.ts
var load = __webpack_require__(259);
// EXTERNAL MODULE: ./src/workflow/model.ts + 4 modules
var model = __webpack_require__(4692);
// EXTERNAL MODULE: ./src/sources/cache.ts
var cache = __webpack_require__(3512);
// EXTERNAL MODULE: ./src/file-text.ts
var file_text = __webpack_require__(9501);
// EXTERNAL MODULE: ./src/api-failure.ts
var api_failure = __webpack_require__(6588);
// EXTERNAL MODULE: ./src/sources/answer.ts
var sources_answer = __webpack_require__(7418);
;// CONCATENATED MODULE: ./src/sources/github.ts



const DEFAULT_BUDGET = 200;
/** Real actions and workflows are a few KB: two hundred of 100 KB each. */
const DEFAULT_BYTE_BUDGET = 20 * 1024 * 1024;
const DEFAULT_DEADLINE_MS = 120_000;
/**
 * The repository contents API: one request per (repository, ref, path), a budget per run, a timeout per
 * request and one retry on a server error. Every failure is a reason in words; nothing here throws, and
 * the token is only ever sent, never put in a message.
 */
class GitHubContents {
    options;
    requests = 0;
    /** Set once, when the budget or the rate limit stops further requests: said once by the caller. */
    stopped;
    answers = new Map();
    /** Bytes of answers read so far, against the byte budget. */
    bytes = 0;
    budget;
    byteBudget;
    deadline;
    constructor(options) {
        this.options = options;
        this.budget = options.budget ?? DEFAULT_BUDGET;
        this.byteBudget = options.byteBudget ?? DEFAULT_BYTE_BUDGET;
    }
    /** Ends a request at its own timeout or at the run's deadline, whichever comes first. */
    signal() {
        this.deadline ??= AbortSignal.timeout(this.options.deadlineMs ?? DEFAULT_DEADLINE_MS);
        return AbortSignal.any([AbortSignal.timeout(this.options.timeoutMs), this.deadline]);
    }
    deadlinePassed() {
        if (!this.deadline?.aborted)
            return undefined;
        const seconds = Math.round((this.options.deadlineMs ?? DEFAULT_DEADLINE_MS) / 100) / 10;
        return (this.stopped = `the ${seconds} s this run gives remote reading are spent`);
    }
    get(owner, repo, ref, path) {
        const key = `${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref}\0${path}`;
        let answer = this.answers.get(key);
        if (!answer)
            this.answers.set(key, (answer = this.fetchFile(owner, repo, ref, path)));
        return answer;
    }
    async fetchFile(owner, repo, ref, path) {
        const url = `${this.options.apiUrl.replace(/\/+$/, '')}/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}` +
            `/contents/${path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`;
        for (let attempt = 0;; attempt++) {
            if (this.stopped)
                return { why: this.stopped };
            if (this.requests >= this.budget) {
                this.stopped = `the budget of ${this.budget} GitHub API requests for this run is spent`;
                return { why: this.stopped };
            }
            this.requests++;
            let response;
            try {
                response = await fetch(url, {
                    headers: this.headers(),
                    signal: this.signal(),
                    redirect: 'error',
                });
            }
            catch (error) {
                const late = this.deadlinePassed();
                if (late)
                    return { why: late };
                return {
                    why: (0,api_failure/* describeRequestFailure */.Tp)(error, { timeoutMs: this.options.timeoutMs, url: this.options.apiUrl }),
                };
            }
            if (response.status >= 500 && attempt === 0) {
                await response.body?.cancel();
                continue;
            }
            return this.read(response, `${owner}/${repo}`);
        }
    }
    headers() {
        const headers = {
            accept: 'application/vnd.github.raw+json',
            'user-agent': 'claude-route-guard',
            'x-github-api-version': '2022-11-28',
        };
        if (this.options.token)
            headers.authorization = `Bearer ${this.options.token}`;
        return headers;
    }
    async read(response, repository) {
        const status = response.status;
        if (status !== 200) {
            await response.body?.cancel();
            if (status === 404)
                return {
                    why: `not found, or not readable with this token: give ${this.options.tokenHint ?? 'the action'} a token that can read ${repository}`,
                    missing: true,
                };
            if ((0,api_failure/* rateLimited */.xd)(status, response.headers)) {
                this.stopped = (0,api_failure/* rateLimitSpent */.k)(status, response.headers);
                return { why: this.stopped };
            }
            if (status === 401)
                return { why: api_failure/* TOKEN_REFUSED */.NO };
            if (status === 403)
                return { why: `the token may not read ${repository} (HTTP 403)` };
            return { why: (0,api_failure/* apiAnswered */.qS)(status) };
        }
        // The base64 form is a third longer than the file it carries.
        const limit = Math.ceil(this.options.maxBytes * 1.4) + 4096;
        const left = this.byteBudget - this.bytes;
        const answer = await (0,sources_answer/* readAnswer */.J)(response, Math.min(limit, left));
        if ('cut' in answer)
            return { why: this.deadlinePassed() ?? 'the answer was cut off' };
        if ('over' in answer) {
            this.bytes += Math.min(limit, left);
            if (left >= limit)
                return { why: `it is over the size limit of ${this.options.maxBytes} bytes` };
            this.stopped = `the budget of ${this.byteBudget} bytes of remote callees for this run is spent`;
            return { why: this.stopped };
        }
        const bytes = answer.bytes;
        this.bytes += bytes.length;
        const body = unwrap(bytes);
        if ('why' in body)
            return body;
        if (body.bytes.length > this.options.maxBytes)
            return { why: `it is over the size limit of ${this.options.maxBytes} bytes` };
        const decoded = (0,file_text/* decode */.D4)(body.bytes);
        if ('problem' in decoded)
            return { why: `it is ${decoded.problem}` };
        return { text: decoded.text };
    }
}
/** The file's bytes from either answer form: raw, or the JSON object with base64 `content`. */
function unwrap(bytes) {
    if (bytes[0] !== 0x7b && bytes[0] !== 0x5b)
        return { bytes };
    let json;
    try {
        json = JSON.parse(bytes.toString('utf8'));
    }
    catch {
        return { bytes };
    }
    if (Array.isArray(json))
        return { why: 'it is a folder, not a file', missing: true };
    if (typeof json !== 'object' || json === null)
        return { bytes };
    const file = json;
    if (file.type !== undefined && file.type !== 'file')
        return { why: `it is a ${String(file.type)}, not a file` };
    if (file.encoding === 'base64' && typeof file.content === 'string')
        return { bytes: Buffer.from(file.content, 'base64') };
    if (file.encoding === 'none')
        return { why: 'it is too large for the contents API to return' };
    return { bytes };
}

// EXTERNAL MODULE: ./src/sources/remote.ts
var remote = __webpack_require__(9054);
;// CONCATENATED MODULE: ./src/remote-callees.ts





/**
 * The I/O edge of remote resolution, imported only when it is on: reads the files to scan once for their
 * remote `uses:`, then asks the GitHub API (through the SHA cache in the CLI) for the callees that matter.
 */
async function readRemoteCallees(paths, options, settings) {
    const maxBytes = options.maxBytes ?? load/* DEFAULT_MAX_BYTES */.fS;
    const api = new GitHubContents({
        apiUrl: settings.apiUrl,
        timeoutMs: settings.timeoutMs,
        maxBytes,
        tokenHint: settings.tokenHint,
        ...(settings.token ? { token: settings.token } : {}),
        ...(settings.budget ? { budget: settings.budget } : {}),
        ...(settings.byteBudget ? { byteBudget: settings.byteBudget } : {}),
        ...(settings.deadlineMs ? { deadlineMs: settings.deadlineMs } : {}),
    });
    const source = settings.cacheDir ? new cache/* ShaCache */.D(settings.cacheDir, api, maxBytes) : api;
    // Each scanned file's own repository, as the loader names it (--repo, else its git origin).
    const selves = new Map();
    const resolved = await (0,remote/* resolveCallees */.o)(parsedFiles(paths, options, selves), source, {
        server: settings.server,
        known: settings.known,
        selfOf: (file) => selves.get(file),
    });
    return {
        lookup: resolved.lookup,
        failures: resolved.failures,
        notes: api.stopped ? [`Some remote callees were not read: ${api.stopped}.`] : [],
        requests: api.requests,
        read: resolved.read,
    };
}
/**
 * The scanned files' models, one at a time, each file's repository name kept in `selves`; problems are
 * reported by the scan itself.
 */
function* parsedFiles(paths, options, selves) {
    for (const input of (0,load/* loadFiles */.aY)(paths, options, [])) {
        selves.set(input.file, input.repo.name);
        if (input.tooLarge === undefined && !input.unreadable)
            yield (0,model/* parseFile */.CJ)(input.file, input.text);
    }
}


/***/ }),

/***/ 3512:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $: () => (/* binding */ defaultCacheDir),
/* harmony export */   D: () => (/* binding */ ShaCache)
/* harmony export */ });
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_3__);




const COMMIT_SHA = /^[0-9a-f]{40}$/i;
/** Where the CLI keeps SHA-pinned callees: the platform's per-user cache folder. */
function defaultCacheDir(env, platform, home = (0,node_os__WEBPACK_IMPORTED_MODULE_2__.homedir)()) {
    if (env.XDG_CACHE_HOME)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(env.XDG_CACHE_HOME, 'claude-route-guard');
    if (platform === 'darwin')
        return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(home, 'Library', 'Caches', 'claude-route-guard');
    if (platform === 'win32' && env.LOCALAPPDATA)
        return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(env.LOCALAPPDATA, 'claude-route-guard');
    return (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(home, '.cache', 'claude-route-guard');
}
/**
 * A file at a commit SHA never changes, so it is kept on disk and read from there next time. Tags and
 * branches move and always go to the source. A cache that cannot be read or written is only slower.
 */
class ShaCache {
    dir;
    source;
    maxBytes;
    hits = 0;
    constructor(dir, source, maxBytes) {
        this.dir = dir;
        this.source = source;
        this.maxBytes = maxBytes;
    }
    async get(owner, repo, ref, path) {
        if (!COMMIT_SHA.test(ref))
            return this.source.get(owner, repo, ref, path);
        const key = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256')
            .update(`${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref.toLowerCase()}\0${path}`)
            .digest('hex');
        const file = (0,node_path__WEBPACK_IMPORTED_MODULE_3__.join)(this.dir, `${key}.yml`);
        const cached = this.read(file);
        if (cached !== undefined) {
            this.hits++;
            return { text: cached };
        }
        const content = await this.source.get(owner, repo, ref, path);
        if ('text' in content)
            this.write(file, content.text);
        return content;
    }
    read(file) {
        try {
            // A link planted in the cache folder is not followed.
            const stat = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.lstatSync)(file);
            if (!stat.isFile() || stat.size > this.maxBytes)
                return undefined;
            return (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.readFileSync)(file, 'utf8');
        }
        catch {
            return undefined;
        }
    }
    write(file, text) {
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.mkdirSync)(this.dir, { recursive: true, mode: 0o700 });
            const partial = `${file}.${process.pid}.part`;
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.writeFileSync)(partial, text, { mode: 0o600 });
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.renameSync)(partial, file);
        }
        catch {
            // No cache this time; the answer itself is good.
        }
    }
}


/***/ }),

/***/ 9054:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   o: () => (/* binding */ resolveCallees)
/* harmony export */ });
/* harmony import */ var _workflow_model_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(4692);
/* harmony import */ var _address_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1654);
/* harmony import */ var _select_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4400);



const MAX_DEPTH = 4;
const PARALLEL = 6;
/**
 * Reads, before the scan, every remote callee the scanned files reach that can matter to a Claude route,
 * then their own callees (remote, or `./` in a remote reusable workflow's repository), breadth first,
 * each address once, so a cycle ends where it meets a callee already read.
 */
async function resolveCallees(docs, source, options) {
    const found = new Map();
    const failures = [];
    const maxDepth = options.maxDepth ?? MAX_DEPTH;
    // Each call with the repository it is made from: a call into that repository is read from the checkout.
    const selfOf = new Map();
    let level = [];
    for (const doc of docs) {
        const self = (options.selfOf?.(doc.file) ?? options.self)?.toLowerCase();
        for (const call of (0,_select_js__WEBPACK_IMPORTED_MODULE_1__/* .calleesOf */ .v)(doc, options.known)) {
            selfOf.set(call, self);
            level.push(call);
        }
    }
    for (let depth = 0; depth < maxDepth && level.length > 0; depth++) {
        const fresh = new Map();
        for (const call of level) {
            const key = (0,_address_js__WEBPACK_IMPORTED_MODULE_2__/* .addressKey */ .IY)(call.kind, call.address);
            if (`${call.address.owner}/${call.address.repo}`.toLowerCase() === selfOf.get(call))
                continue;
            if (!found.has(key) && !fresh.has(key))
                fresh.set(key, call);
        }
        const calls = [...fresh.entries()];
        const next = [];
        for (let i = 0; i < calls.length; i += PARALLEL) {
            const answers = await Promise.all(calls.slice(i, i + PARALLEL).map(([, call]) => readCallee(call, source, options.server)));
            answers.forEach((answer, j) => {
                const [key, call] = calls[i + j];
                found.set(key, answer);
                if ('why' in answer)
                    failures.push({ file: call.file, span: call.span, uses: call.uses, why: answer.why });
                else
                    for (const inner of (0,_select_js__WEBPACK_IMPORTED_MODULE_1__/* .calleesOf */ .v)(answer.parsed, options.known, call.kind === 'workflow' ? call.address : undefined)) {
                        selfOf.set(inner, selfOf.get(call));
                        next.push(inner);
                    }
            });
        }
        level = next;
    }
    return {
        lookup: (kind, address) => found.get((0,_address_js__WEBPACK_IMPORTED_MODULE_2__/* .addressKey */ .IY)(kind, address)),
        failures,
        read: [...found.values()].filter((c) => 'parsed' in c).length,
    };
}
async function readCallee(call, source, server) {
    const { owner, repo, ref, path } = call.address;
    const names = call.kind === 'workflow'
        ? [path]
        : ['action.yml', 'action.yaml'].map((name) => (path ? `${path}/${name}` : name));
    let why = '';
    for (const name of names) {
        const content = await source.get(owner, repo, ref, name);
        if ('why' in content) {
            why = content.why;
            if (content.missing)
                continue;
            return { why };
        }
        const parsed = (0,_workflow_model_js__WEBPACK_IMPORTED_MODULE_0__/* .parseFile */ .CJ)((0,_address_js__WEBPACK_IMPORTED_MODULE_2__/* .blobUrl */ .b0)(server, call.address, name), content.text);
        if (parsed.kind === 'error')
            return { why: `${name} is not valid YAML: ${parsed.message} (line ${parsed.span.line})` };
        if (parsed.kind === 'other')
            return { why: `${name} is ${parsed.reason}` };
        if (parsed.kind !== call.kind)
            return { why: `${name} is not ${call.kind === 'workflow' ? 'a workflow' : 'an action'}` };
        return { parsed, address: call.address };
    }
    return { why };
}


/***/ })

};
