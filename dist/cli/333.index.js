export const id = 333;
export const ids = [333,512];
export const modules = {

/***/ 6588:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   CG: () => (/* binding */ resetsAt),
/* harmony export */   NO: () => (/* binding */ TOKEN_REFUSED),
/* harmony export */   Tp: () => (/* binding */ describeRequestFailure),
/* harmony export */   k: () => (/* binding */ rateLimitSpent),
/* harmony export */   qS: () => (/* binding */ apiAnswered),
/* harmony export */   xd: () => (/* binding */ rateLimited)
/* harmony export */ });
/* unused harmony exports answeredStatus, describeApiError */
/**
 * What happened to one request to the GitHub or the Anthropic API, in one line and the same words wherever
 * it is said: the PR comment, the check run, the base commit's policy, remote callees, the organisation
 * inventory, the key check. A line is made of our words, numbers, the host the user configured and a system
 * error code of capitals: no message, header text or body of the request or the answer is repeated, so
 * neither a token nor what a server says can reach a log, a workflow command, markdown or a mention.
 *
 * It imports nothing, so every edge that talks to an API (sources/, policy/base.ts, runtime/, report/)
 * can use it without an import running back up the pipeline.
 */
/** Words for the system errors a request meets before any answer. */
const NOT_REACHED = {
    ECONNREFUSED: 'the connection was refused',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'the host name was not found',
    EAI_AGAIN: 'the host name could not be looked up',
    ETIMEDOUT: 'the connection timed out',
    EHOSTUNREACH: 'the host is unreachable',
    ENETUNREACH: 'the network is unreachable',
    UND_ERR_SOCKET: 'the connection was closed',
    CERT_HAS_EXPIRED: 'its TLS certificate has expired',
    DEPTH_ZERO_SELF_SIGNED_CERT: 'its TLS certificate is not trusted',
    SELF_SIGNED_CERT_IN_CHAIN: 'its TLS certificate is not trusted',
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its TLS certificate is not trusted',
    ERR_TLS_CERT_ALTNAME_INVALID: 'its TLS certificate is for another host',
};
/** A system error code (ECONNREFUSED); anything else an error carries as `code` is not repeated. */
const SYSTEM_CODE = /^[A-Z][A-Z0-9_]{1,40}$/;
/** Said by every GitHub reader whose token GitHub does not accept. */
const TOKEN_REFUSED = 'the token was refused (HTTP 401)';
/** `the GitHub API answered HTTP 502`: the server answered, with this status. */
function apiAnswered(status, api = 'GitHub') {
    return `the ${api} API answered HTTP ${Math.trunc(status)}`;
}
/** Seconds as a person writes them: 10, 2, 0.3. */
function seconds(ms) {
    return String(Math.round(ms / 100) / 10);
}
function asFailure(error) {
    return (typeof error === 'object' && error !== null ? error : {});
}
/** The error and what it wraps: fetch wraps the system error once, Octokit wraps fetch's error again. */
function causes(error) {
    const chain = [error];
    let at = error.cause;
    while (typeof at === 'object' && at !== null && chain.length < 4) {
        chain.push(at);
        at = at.cause;
    }
    return chain;
}
function timedOut(error) {
    return causes(error).some((c) => c.name === 'TimeoutError' || c.name === 'AbortError');
}
/** The status GitHub answered with (Octokit keeps it on `response`), or undefined when no answer came. */
function answeredStatus(error) {
    const status = asFailure(error).response?.status;
    return typeof status === 'number' ? status : undefined;
}
/** ` at api.github.com`, or nothing for an address that does not parse. */
function atHost(url) {
    if (url === undefined)
        return '';
    try {
        return ` at ${new URL(url).host}`;
    }
    catch {
        return '';
    }
}
/**
 * One clause for a request that failed, as fetch or Octokit threw it: no answer in time, no answer at all,
 * or an error status. A refused connection is never an HTTP status (Octokit reports one as 500 with no
 * response).
 */
function describeRequestFailure(error, request) {
    const api = request.api ?? 'GitHub';
    const e = asFailure(error);
    if (timedOut(e))
        return `the ${api} API did not answer within ${seconds(request.timeoutMs)} s`;
    const status = answeredStatus(e);
    if (status !== undefined)
        return apiAnswered(status, api);
    const code = causes(e)
        .map((c) => c.code)
        .find((c) => typeof c === 'string' && SYSTEM_CODE.test(c));
    const why = code === undefined ? 'no answer' : (NOT_REACHED[code] ?? code);
    return `the ${api} API${atHost(request.url)} could not be reached (${why})`;
}
function header(headers, name) {
    const value = headers instanceof Headers ? headers.get(name) : headers?.[name];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}
/** `; it resets at 08:00 UTC` for a reset time in epoch seconds, or nothing for one that is not. */
function resetsAt(epochSeconds) {
    if (!Number.isFinite(epochSeconds) || epochSeconds <= 0)
        return '';
    return `; it resets at ${new Date(epochSeconds * 1000).toISOString().slice(11, 16)} UTC`;
}
/** When the answer says to try again: the reset of the limit, else the wait GitHub asks for. */
function whenAgain(headers) {
    const reset = resetsAt(Number(header(headers, 'x-ratelimit-reset')));
    if (reset)
        return reset;
    const retry = Number(header(headers, 'retry-after'));
    return Number.isFinite(retry) && retry > 0 ? `; GitHub asks to wait ${retry} s` : '';
}
/** True when GitHub's answer says the rate limit is spent: 429, or 403 with none of it remaining. */
function rateLimited(status, headers) {
    return status === 429 || (status === 403 && header(headers, 'x-ratelimit-remaining') === '0');
}
/** `the GitHub API rate limit is spent (HTTP 403); it resets at 08:00 UTC`. */
function rateLimitSpent(status, headers) {
    return `the GitHub API rate limit is spent (HTTP ${Math.trunc(status)})${whenAgain(headers)}`;
}
/**
 * describeRequestFailure for a channel that writes through Octokit (the PR comment, the check run): a
 * spent rate limit is said as such, and `refused` words a 403 or 404 for the channel, which knows which
 * permission it needs.
 */
function describeApiError(error, request, refused) {
    const status = timedOut(asFailure(error)) ? undefined : answeredStatus(error);
    const headers = asFailure(error).response?.headers;
    if (status !== undefined && rateLimited(status, headers))
        return rateLimitSpent(status, headers);
    if (status === 403 || status === 404)
        return refused(status);
    return describeRequestFailure(error, request);
}


/***/ }),

/***/ 4333:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ORG_USAGE: () => (/* binding */ ORG_USAGE),
  graphqlUrlFor: () => (/* binding */ graphqlUrlFor),
  inventoryOf: () => (/* binding */ inventoryOf),
  runMerge: () => (/* binding */ runMerge),
  runOrg: () => (/* binding */ runOrg),
  storeKey: () => (/* binding */ storeKey)
});

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: external "node:util"
var external_node_util_ = __webpack_require__(7975);
// EXTERNAL MODULE: ./src/claude/actions.ts
var actions = __webpack_require__(9517);
// EXTERNAL MODULE: ./src/files.ts
var src_files = __webpack_require__(9148);
// EXTERNAL MODULE: ./src/load.ts
var load = __webpack_require__(259);
// EXTERNAL MODULE: ./src/report/escape.ts
var report_escape = __webpack_require__(4031);
// EXTERNAL MODULE: ./src/report/json.ts
var json = __webpack_require__(2794);
;// CONCATENATED MODULE: ./src/inventory/result.ts

function resultOf(repository, commit, report) {
    return {
        repository,
        commit,
        routes: report.routes.map(json/* jsonRoute */.a),
        findings: report.findings.map(json/* jsonFinding */.eg),
    };
}
/** A finding as the engine holds it, from its JSON form. */
function findingOf(f) {
    const finding = {
        rule: f.rule,
        severity: f.severity,
        // A shard written before findings carried a confidence has none: its errors were rated as facts.
        confidence: f.confidence ?? 'high',
        file: f.file,
        span: { line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn },
        message: f.message,
    };
    if (f.related)
        finding.related = f.related.map((r) => ({
            file: r.file,
            span: { line: r.line, column: r.column, endLine: r.endLine, endColumn: r.endColumn },
            label: r.label,
        }));
    return finding;
}
/** The scan report a repository's result stands for (for the SARIF writer). */
function reportOf(result) {
    return {
        version: 1,
        // The JSON contract keeps no cloud identity, so a stored result has none to give back.
        routes: result.routes.map((r) => ({ ...r, identity: null })),
        findings: result.findings.map(findingOf),
        skipped: [],
        unresolved: [],
        files: 0,
        notParsed: 0,
    };
}
/** Names in one order everywhere: GitHub's names ignore case, then by code unit so the order is total. */
function compareNames(a, b) {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
}

// EXTERNAL MODULE: ./src/sources/address.ts
var address = __webpack_require__(1654);
// EXTERNAL MODULE: ./src/report/github.ts
var github = __webpack_require__(7611);
;// CONCATENATED MODULE: ./src/report/inventory.ts



const PERSONAL = ['subscription-oauth-token', 'subscription-login'];
/** The roll-up of results read one at a time, so it never holds them all. */
function rollupOf(results, unreadable, leftOut) {
    const routes = new Map();
    const rollup = {
        repositories: unreadable,
        read: 0,
        withRuns: 0,
        runs: 0,
        routes: [],
        personal: { runs: 0, repositories: 0 },
        findings: { error: 0, warning: 0, notice: 0 },
        unreadable,
        leftOut: { ...leftOut },
    };
    for (const result of results) {
        rollup.repositories++;
        rollup.read++;
        if (result.routes.length > 0)
            rollup.withRuns++;
        rollup.runs += result.routes.length;
        for (const f of result.findings)
            rollup.findings[f.severity]++;
        const kinds = new Set(result.routes.map((r) => r.route));
        for (const r of result.routes) {
            const count = routes.get(r.route) ?? { runs: 0, repositories: 0 };
            count.runs++;
            routes.set(r.route, count);
        }
        for (const kind of kinds)
            routes.get(kind).repositories++;
        const personal = result.routes.filter((r) => PERSONAL.includes(r.route)).length;
        rollup.personal.runs += personal;
        if (personal > 0)
            rollup.personal.repositories++;
    }
    rollup.routes = [...routes]
        .map(([route, count]) => ({ route, ...count }))
        .sort((a, b) => b.runs - a.runs || (a.route < b.route ? -1 : 1));
    return rollup;
}
/** What each route bills, as the roll-up's sentence says it. */
const BILLS = {
    'api-key': 'API keys',
    'workload-identity': 'workload identity federation',
    bedrock: 'Amazon Bedrock',
    vertex: 'Google Vertex AI',
    foundry: 'Microsoft Foundry',
    'gateway-token': 'a gateway',
    'api-key-helper': 'an apiKeyHelper script',
    'subscription-oauth-token': "a person's subscription",
    'console-login': 'a stored Console login',
    'subscription-login': "a person's subscription",
    unknown: '',
};
const count = (n) => n.toLocaleString('en-US');
const plural = (n, one, many = `${one}s`) => `${count(n)} ${n === 1 ? one : many}`;
/** The roll-up as sentences: "Claude Code runs in 41 of 1,200 repositories: 52 bill API keys, ...". */
function rollupSentences(rollup) {
    const bills = new Map();
    for (const r of rollup.routes)
        bills.set(BILLS[r.route], (bills.get(BILLS[r.route]) ?? 0) + r.runs);
    const parts = [...bills]
        .filter(([what]) => what !== '')
        .map(([what, runs]) => what === BILLS['subscription-oauth-token']
        ? `${count(runs)} bill ${what} in ${plural(rollup.personal.repositories, 'repository', 'repositories')}`
        : `${count(runs)} bill ${what}`);
    const unknown = bills.get('') ?? 0;
    if (unknown > 0)
        parts.push(`${count(unknown)} ${unknown === 1 ? 'is' : 'are'} unknown`);
    const first = rollup.runs === 0
        ? `No Claude Code runs in ${plural(rollup.read, 'repository', 'repositories')} read.`
        : `Claude Code runs in ${count(rollup.withRuns)} of ${plural(rollup.repositories, 'repository', 'repositories')}: ${parts.join(', ')}.`;
    const lines = [first];
    if (rollup.unreadable > 0)
        lines.push(`${plural(rollup.unreadable, 'repository', 'repositories')} could not be read (listed with the reason).`);
    const { archived, forks } = rollup.leftOut;
    if (archived + forks > 0)
        lines.push(`Left out: ${plural(archived, 'archived repository', 'archived repositories')} and ${plural(forks, 'fork')} (--include-archived, --include-forks take them in).`);
    return lines;
}
/** A repository's routes with counts and secret names, and its worst finding. */
function summary(result) {
    const routes = new Map();
    for (const r of result.routes) {
        const entry = routes.get(r.route) ?? { route: r.route, runs: 0, secrets: [] };
        entry.runs++;
        for (const m of (r.credential?.source ?? '').matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g))
            if (!entry.secrets.includes(m[1]))
                entry.secrets.push(m[1]);
        routes.set(r.route, entry);
    }
    const ranked = (0,github/* rankFindings */.JM)(result.findings.map(findingOf));
    const first = ranked[0];
    const worst = first &&
        result.findings.find((f) => f.file === first.file &&
            f.line === first.span.line &&
            f.rule === first.rule &&
            f.message === first.message);
    return {
        routes: [...routes.values()].sort((a, b) => b.runs - a.runs || (a.route < b.route ? -1 : 1)),
        ...(worst ? { worst } : {}),
    };
}
const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
/** `https://{server}/{owner}/{repo}/blob/{sha}/{path}#L{line}`, every part checked or percent-encoded. */
function placeLink(server, result, file, line) {
    if (!result.commit || !SHA.test(result.commit) || !/^https?:\/\/[^\s/?#]+$/.test(server))
        return undefined;
    if (file === '' || file.startsWith('/') || file.split('/').some((part) => part === '..' || part === '.'))
        return undefined;
    return `${server}/${(0,address/* urlPath */.Lx)(result.repository)}/blob/${result.commit}/${(0,address/* urlPath */.Lx)(file)}#L${Math.max(1, Math.trunc(line))}`;
}

// EXTERNAL MODULE: ./src/report/stream.ts
var stream = __webpack_require__(9820);
// EXTERNAL MODULE: ./src/report/summary.ts
var report_summary = __webpack_require__(7994);
;// CONCATENATED MODULE: ./src/report/inventory-formats.ts




/** Where the JSON Schema of the inventory lives; the file is `schema/inventory-v1.json` in the package. */
const INVENTORY_SCHEMA_URL = 'https://raw.githubusercontent.com/claude-route-guard/claude-route-guard/main/schema/inventory-v1.json';
const INVENTORY_FORMATS = ['text', 'markdown', 'csv', 'json', 'sarif'];
/** Repositories a person needs to see: those with a run or a finding (the others are counted in the roll-up). */
function* shown(doc) {
    for (const name of doc.names) {
        const result = doc.get(name);
        if (result.routes.length > 0 || result.findings.length > 0)
            yield result;
    }
}
function routeList(routes, code) {
    return routes
        .map((r) => `${r.route}: ${r.runs} run${r.runs === 1 ? '' : 's'}${r.secrets.length > 0 ? ` (${r.secrets.map(code).join(', ')})` : ''}`)
        .join('; ');
}
function certainty(r) {
    return r.certainty === 'known' ? r.route : `${r.route} (${r.certainty})`;
}
/** For a terminal: the roll-up, then each repository with a run, then what could not be read. */
function* inventoryText(doc) {
    yield* rollupSentences(doc.rollup);
    for (const result of shown(doc)) {
        const { routes, worst } = summary(result);
        yield '';
        yield (0,report_escape/* terminalText */.eR)(`${result.repository} at ${result.commit?.slice(0, 12) ?? 'no commit'}`);
        if (routes.length > 0)
            yield (0,report_escape/* terminalText */.eR)(`  ${routeList(routes, (s) => s)}`);
        if (worst)
            yield (0,report_escape/* terminalText */.eR)(`  worst: ${worst.severity} ${worst.rule} at ${worst.file}:${worst.line}:${worst.column}: ${worst.message}`);
        for (const r of result.routes) {
            yield (0,report_escape/* terminalText */.eR)(`  ${r.file}:${r.line}:${r.column}  job ${r.job}  ${certainty(r)}  ${r.verdict}`);
            const link = placeLink(doc.server, result, r.file, r.line);
            if (link)
                yield `    ${(0,report_escape/* terminalText */.eR)(link)}`;
        }
    }
    if (doc.unreadable.length > 0) {
        yield '';
        yield 'Could not be read:';
        for (const u of doc.unreadable)
            yield (0,report_escape/* terminalText */.eR)(`  ${u.repository}: ${u.reason}`);
    }
}
function markdownLink(label, url) {
    return url ? `[${(0,report_escape/* markdownCode */.D9)(label)}](${url})` : (0,report_escape/* markdownCode */.D9)(label);
}
/**
 * For a job summary: the roll-up, a table of the repositories with runs, each repository's runs with a
 * link to each place, and what could not be read; within `limit` bytes, with a note for what is cut.
 */
function inventoryMarkdown(doc, limit = report_summary/* SUMMARY_LIMIT */.Jt) {
    const out = [
        `## Claude Code runs of ${(0,report_escape/* markdownText */.p7)(doc.owner)}`,
        '',
        ...rollupSentences(doc.rollup).map((s) => (0,report_escape/* markdownText */.p7)(s, 2000)),
        '',
    ];
    let used = out.join('\n').length;
    let cut = 0;
    const push = (lines) => {
        const size = lines.join('\n').length + 1;
        if (used + size > limit - 1024)
            return false;
        out.push(...lines);
        used += size;
        return true;
    };
    const table = ['| Repository | Runs | Routes (secrets) | Worst finding |', '|---|---|---|---|'];
    const details = [];
    for (const result of shown(doc)) {
        const { routes, worst } = summary(result);
        const worstCell = worst
            ? `${worst.severity}: ${(0,report_escape/* markdownText */.p7)(worst.rule)} at ${markdownLink(`${worst.file}:${worst.line}`, placeLink(doc.server, result, worst.file, worst.line))}`
            : '';
        table.push(`| ${(0,report_escape/* markdownCode */.D9)(result.repository)} | ${result.routes.length} | ${routeList(routes, (s) => (0,report_escape/* markdownCode */.D9)(s))} | ${worstCell} |`);
        details.push([
            `<details><summary>${(0,report_escape/* markdownText */.p7)(result.repository)}: ${result.routes.length} run(s)</summary>`,
            '',
            '| Place | Job | Route | Verdict |',
            '|---|---|---|---|',
            ...result.routes.map((r) => `| ${markdownLink(`${r.file}:${r.line}:${r.column}`, placeLink(doc.server, result, r.file, r.line))} | ${(0,report_escape/* markdownText */.p7)(r.job)} | ${(0,report_escape/* markdownText */.p7)(certainty(r))} | ${(0,report_escape/* markdownText */.p7)(r.verdict)} |`),
            '',
            '</details>',
        ]);
    }
    if (table.length > 2 && !push([...table, '']))
        cut += table.length - 2;
    for (const block of details)
        if (!push(block))
            cut++;
    if (doc.unreadable.length > 0) {
        const rows = doc.unreadable.map((u) => `| ${(0,report_escape/* markdownCode */.D9)(u.repository)} | ${(0,report_escape/* markdownText */.p7)(u.reason)} |`);
        if (!push(['', '### Could not be read', '', '| Repository | Reason |', '|---|---|', ...rows]))
            cut += rows.length;
    }
    if (cut > 0)
        out.push('', `> ${cut} part(s) are not shown here: the summary has a size limit. The JSON and CSV files list them all.`);
    return out.join('\n');
}
const CSV_COLUMNS = [
    'repository',
    'status',
    'commit',
    'file',
    'line',
    'column',
    'job',
    'step',
    'invocation',
    'route',
    'certainty',
    'credential',
    'secrets',
    'verdict',
    'reason',
    'link',
];
/**
 * A cell: quoted, inner quotes doubled, no line break (a runner log would read the next line as a
 * command), and no leading character a spreadsheet reads as a formula.
 */
function csvCell(value) {
    let text = (0,report_escape/* logText */.kc)(String(value ?? ''));
    if (/^[=+\-@\t\r]/.test(text))
        text = `'${text}`;
    return `"${text.replace(/"/g, '""')}"`;
}
/** For a spreadsheet: one row per run, and one per repository that could not be read. */
function* inventoryCsv(doc) {
    yield CSV_COLUMNS.join(',');
    for (const name of doc.names) {
        const result = doc.get(name);
        for (const r of result.routes) {
            const row = {
                repository: result.repository,
                status: 'run',
                commit: result.commit,
                file: r.file,
                line: r.line,
                column: r.column,
                job: r.job,
                step: r.step,
                invocation: r.invocation,
                route: r.route,
                certainty: r.certainty,
                credential: r.credential?.variable ?? '',
                secrets: [...(r.credential?.source ?? '').matchAll(/\bsecrets\.([A-Za-z0-9_]+)/g)]
                    .map((m) => m[1])
                    .join(' '),
                verdict: r.verdict,
                reason: r.reason,
                link: placeLink(doc.server, result, r.file, r.line) ?? '',
            };
            yield CSV_COLUMNS.map((c) => csvCell(row[c])).join(',');
        }
    }
    for (const u of doc.unreadable)
        yield CSV_COLUMNS.map((c) => csvCell(c === 'repository' ? u.repository : c === 'status' ? 'unreadable' : c === 'reason' ? u.reason : '')).join(',');
}
/** The JSON of `schema/inventory-v1.json`, in pieces of about one repository each. */
function inventoryJsonPieces(doc) {
    return (0,stream/* jsonPieces */.Mx)({
        schema: INVENTORY_SCHEMA_URL,
        version: 1,
        owner: doc.owner,
        server: doc.server,
        rollup: doc.rollup,
        repositories: new stream/* Mapped */.uR(doc.names, (name) => doc.get(name)),
        unreadable: doc.unreadable,
    }, 2);
}

// EXTERNAL MODULE: ./src/report/sarif.ts + 1 modules
var sarif = __webpack_require__(7195);
// EXTERNAL MODULE: ./src/sources/cache.ts
var cache = __webpack_require__(3512);
// EXTERNAL MODULE: ./src/sources/answer.ts
var sources_answer = __webpack_require__(7418);
// EXTERNAL MODULE: ./src/api-failure.ts
var api_failure = __webpack_require__(6588);
;// CONCATENATED MODULE: ./src/sources/github-api.ts


/** Nothing more can be asked this run: the budget or the rate limit is spent, or the token is refused. */
class ApiStopped extends Error {
}
/** One request failed (after its retry); `status` when GitHub answered. */
class ApiFailure extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
    }
}
const DEFAULT_IN_FLIGHT = 2;
const DEFAULT_BODY_LIMIT = 64 * 1024 * 1024;
/** The longest wait a secondary limit may ask before the run stops instead. */
const MAX_WAIT_SECONDS = 300;
/** Secondary-limit answers in a row before the run stops: GitHub's own advice is to back off, not insist. */
const MAX_SECONDARY_WAITS = 5;
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** `retry-after` in seconds: a number of seconds, or an HTTP date. */
function retryAfter(headers) {
    const raw = headers.get('retry-after');
    if (raw === null)
        return undefined;
    const seconds = Number(raw);
    if (Number.isFinite(seconds) && seconds >= 0)
        return seconds;
    const date = Date.parse(raw);
    return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
class GitHubApi {
    settings;
    requests = 0;
    /** What the last answer said is left of the rate limit (points for GraphQL, requests for REST). */
    remaining;
    /** Set once, when the run can ask no more; said once by the caller. */
    stopped;
    /** Seconds waited because GitHub asked, in order. */
    waited = [];
    active = 0;
    queue = [];
    secondaryWaits = 0;
    constructor(settings) {
        this.settings = settings;
    }
    /** One GraphQL query; the per-field errors come back beside the data, for the caller to place. */
    async graphql(query) {
        const bytes = await this.send(this.settings.graphqlUrl, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ query }),
        });
        let answer;
        try {
            answer = JSON.parse(bytes.toString('utf8'));
        }
        catch {
            throw new ApiFailure('the GitHub API answered with something that is not JSON');
        }
        const errors = Array.isArray(answer.errors) ? answer.errors : [];
        const data = answer.data && typeof answer.data === 'object' ? answer.data : null;
        const limit = data?.rateLimit;
        if (typeof limit?.remaining === 'number')
            this.remaining = limit.remaining;
        if (errors.some((e) => e.type === 'RATE_LIMITED')) {
            const reset = typeof limit?.resetAt === 'string' ? Date.parse(limit.resetAt) / 1000 : NaN;
            throw this.stop(`the GraphQL rate limit is spent${(0,api_failure/* resetsAt */.CG)(reset)}`);
        }
        return { data, errors };
    }
    /** The raw bytes a REST path answers (a blob), or undefined when it is not there. */
    async restBytes(path) {
        try {
            return await this.send(`${this.settings.apiUrl.replace(/\/+$/, '')}${path}`, {
                method: 'GET',
                headers: { accept: 'application/vnd.github.raw+json' },
            });
        }
        catch (error) {
            if (error instanceof ApiFailure && error.status === 404)
                return undefined;
            throw error;
        }
    }
    stop(reason) {
        this.stopped ??= reason;
        return new ApiStopped(this.stopped);
    }
    async slot() {
        if (this.active < (this.settings.inFlight ?? DEFAULT_IN_FLIGHT)) {
            this.active++;
            return;
        }
        await new Promise((resolve) => this.queue.push(resolve));
    }
    release() {
        const next = this.queue.shift();
        if (next)
            next();
        else
            this.active--;
    }
    async send(url, init) {
        await this.slot();
        try {
            return await this.attempts(url, init);
        }
        finally {
            this.release();
        }
    }
    async attempts(url, init) {
        for (let attempt = 0;; attempt++) {
            if (this.stopped)
                throw new ApiStopped(this.stopped);
            if (this.requests >= this.settings.maxRequests)
                throw this.stop(`the budget of ${this.settings.maxRequests} requests (--max-requests) is spent`);
            this.requests++;
            let response;
            try {
                response = await fetch(url, {
                    ...init,
                    headers: {
                        ...init.headers,
                        authorization: `Bearer ${this.settings.token}`,
                        'user-agent': 'claude-route-guard',
                        'x-github-api-version': '2022-11-28',
                    },
                    signal: AbortSignal.timeout(this.settings.timeoutMs),
                    redirect: 'error',
                });
            }
            catch (error) {
                if (attempt === 0)
                    continue;
                throw new ApiFailure((0,api_failure/* describeRequestFailure */.Tp)(error, { timeoutMs: this.settings.timeoutMs, url }));
            }
            const remaining = Number(response.headers.get('x-ratelimit-remaining') ?? NaN);
            if (Number.isFinite(remaining))
                this.remaining = remaining;
            if (response.status === 200) {
                this.secondaryWaits = 0;
                return this.body(response);
            }
            const text = (await this.body(response, 64 * 1024).catch(() => Buffer.alloc(0))).toString('utf8');
            if (await this.waitedForLimit(response, text))
                continue;
            if (response.status >= 500 && attempt === 0)
                continue;
            if (response.status === 401)
                throw this.stop(api_failure/* TOKEN_REFUSED */.NO);
            throw new ApiFailure((0,api_failure/* apiAnswered */.qS)(response.status), response.status);
        }
    }
    /** A rate-limit answer: waits as GitHub asks and says to try again, or stops the run. */
    async waitedForLimit(response, text) {
        const status = response.status;
        if (status !== 403 && status !== 429)
            return false;
        const asked = retryAfter(response.headers);
        const secondary = asked !== undefined || /secondary rate limit/i.test(text);
        if (!secondary) {
            if (status === 429 || this.remaining === 0)
                throw this.stop((0,api_failure/* rateLimitSpent */.k)(status, response.headers));
            return false;
        }
        // Without a retry-after, GitHub's advice is a minute, then longer each time.
        const seconds = asked ?? 60 * 2 ** this.secondaryWaits;
        if (seconds > MAX_WAIT_SECONDS || this.secondaryWaits >= MAX_SECONDARY_WAITS)
            throw this.stop(`GitHub's secondary rate limit asks to wait ${seconds} s, longer than this run waits`);
        this.secondaryWaits++;
        this.waited.push(seconds);
        await (this.settings.sleep ?? wait)(seconds * 1000);
        return true;
    }
    /** The answer's bytes, at most `limit` of them: a longer answer is a failure, never read whole. */
    async body(response, limit = this.settings.bodyLimit ?? DEFAULT_BODY_LIMIT) {
        const answer = await (0,sources_answer/* readAnswer */.J)(response, limit);
        if ('over' in answer)
            throw new ApiFailure(`the answer was over ${limit} bytes`, 413);
        if ('cut' in answer)
            throw new ApiFailure('the answer was cut off');
        return answer.bytes;
    }
}

;// CONCATENATED MODULE: ./src/sources/graphql-batch.ts

/** A GraphQL string literal: JSON's escapes are GraphQL's, so a name from the API cannot break out of it. */
const literal = (text) => JSON.stringify(text);
/** Asked in every query, so each answer says how much of the rate limit is left. */
const RATE_LIMIT = 'rateLimit { remaining resetAt }';
/** Answers that a smaller query may not get: a timeout or an answer too large to take. */
function splittable(error) {
    return (error instanceof ApiFailure &&
        (error.status === undefined || error.status === 413 || error.status === 502 || error.status === 504));
}
/**
 * GitHub's wordings of a refusal that say which kind of token lacks access, each told in our own words.
 * Only these are recognised: the server's text is never repeated, since an error may quote names a
 * listing or a caller supplied.
 */
const FORBIDDEN_BECAUSE = [
    [/^resource not accessible by integration\.?$/i, 'a GitHub App installation that does not grant it'],
    [/^resource not accessible by personal access token\.?$/i, 'a fine-grained token that does not grant it'],
];
/** What an error GitHub placed under one alias says, in one line of our own words. */
function aliasReason(error) {
    if (error.type === 'NOT_FOUND')
        return 'not found, or not readable with this token';
    if (error.type === 'FORBIDDEN') {
        const message = String(error.message ?? '').trim();
        const because = FORBIDDEN_BECAUSE.find(([wording]) => wording.test(message))?.[1];
        return because ? `the token may not read it (${because})` : 'the token may not read it';
    }
    const type = typeof error.type === 'string' && /^[A-Z_]{1,40}$/.test(error.type) ? ` (${error.type})` : '';
    return `GitHub gave an error for it${type}`;
}
/**
 * Asks for `items` through aliases, up to `size` of weight to a query: an error under one alias fails
 * that item and the rest of the batch stands. A query that times out or answers too much is asked again
 * in halves; once the run can ask no more, every item left fails with the reason.
 */
async function inBatches(api, items, size) {
    const batches = [];
    let weight = 0;
    for (const item of items) {
        const w = item.weight ?? 1;
        if (batches.length === 0 || weight + w > size) {
            batches.push([]);
            weight = 0;
        }
        batches.at(-1).push(item);
        weight += w;
    }
    await Promise.all(batches.map((batch) => ask(api, batch)));
}
async function ask(api, batch) {
    const fields = batch.map((item, i) => item.fields(`a${i}`)).join(' ');
    // String literals (paths, names) are left out: a file named `...File` spreads nothing.
    const fragments = [...fragmentsOf(fields.replace(/"(?:[^"\\]|\\.)*"/g, '""'))].map((name) => FRAGMENTS[name]);
    const query = [`query { ${RATE_LIMIT} ${fields} }`, ...fragments].join(' ');
    let answer;
    try {
        answer = await api.graphql(query);
    }
    catch (error) {
        if (error instanceof ApiStopped) {
            for (const item of batch)
                item.fail(`not read: ${error.message}`);
            return;
        }
        if (batch.length > 1 && splittable(error)) {
            const half = Math.ceil(batch.length / 2);
            await Promise.all([ask(api, batch.slice(0, half)), ask(api, batch.slice(half))]);
            return;
        }
        for (const item of batch)
            item.fail(error.message);
        return;
    }
    const placed = new Set();
    batch.forEach((item, i) => {
        const alias = `a${i}`;
        const errors = answer.errors.filter((e) => e.path?.[0] === alias);
        for (const e of errors)
            placed.add(e);
        item.take(answer.data?.[alias], errors);
    });
    // An error under no alias is about the whole query: nothing in it can be trusted to be complete.
    const whole = answer.errors.find((e) => !placed.has(e));
    if (whole && !answer.data)
        for (const item of batch)
            item.fail(aliasReason(whole));
}
/** The pieces every query may name: a folder with one level below it, an entry, a file with its text. */
const FRAGMENTS = {
    Entry: 'fragment Entry on TreeEntry { name type mode object { ... on Blob { byteSize } } }',
    Level: 'fragment Level on TreeEntry { name type mode object { ... on Blob { byteSize } ... on Tree { entries { ...Entry } } } }',
    Folder: 'fragment Folder on TreeEntry { type mode object { ... on Tree { entries { ...Level } } } }',
    File: 'fragment File on TreeEntry { type mode object { ... on Blob { oid byteSize isBinary isTruncated text } } }',
    Listed: 'fragment Listed on Repository { nameWithOwner isArchived isFork defaultBranchRef { target { oid } } }',
};
/** The fragments a text spreads, and those they spread in turn, each once. */
function fragmentsOf(text, found = new Set()) {
    for (const spread of text.match(/\.\.\.[A-Z]\w*/g) ?? []) {
        const name = spread.slice(3);
        if (found.has(name) || !FRAGMENTS[name])
            continue;
        found.add(name);
        fragmentsOf(FRAGMENTS[name], found);
    }
    return found;
}

;// CONCATENATED MODULE: ./src/sources/graphql-contents.ts

const PER_QUERY = 50;
/**
 * Callee texts through GraphQL, many a query: the reads asked in the same turn of the event loop (every
 * repository's callees at one depth) go out together. Each (repository, ref, path) is asked once a run.
 */
class GraphQLContents {
    api;
    maxBytes;
    answers = new Map();
    waiting = [];
    constructor(api, maxBytes) {
        this.api = api;
        this.maxBytes = maxBytes;
    }
    get(owner, repo, ref, path) {
        const key = `${owner.toLowerCase()}/${repo.toLowerCase()}\0${ref}\0${path}`;
        let answer = this.answers.get(key);
        if (!answer) {
            answer = new Promise((resolve) => {
                if (this.waiting.length === 0)
                    setImmediate(() => void this.flush());
                this.waiting.push({ owner, repo, ref, path, resolve });
            });
            this.answers.set(key, answer);
        }
        return answer;
    }
    async flush() {
        const asked = this.waiting;
        this.waiting = [];
        await inBatches(this.api, asked.map((a) => ({
            fields: (alias) => `${alias}: repository(owner: ${literal(a.owner)}, name: ${literal(a.repo)}) { object(expression: ${literal(`${a.ref}:${a.path}`)}) { ... on Blob { byteSize isBinary isTruncated text } } }`,
            take: (value, errors) => a.resolve(this.content(value, errors, `${a.owner}/${a.repo}`)),
            fail: (reason) => a.resolve({ why: reason }),
        })), PER_QUERY);
    }
    content(value, errors, repository) {
        const missing = `not found, or not readable with this token: give GITHUB_TOKEN a token that can read ${repository}`;
        if (!value)
            return errors[0] && errors[0].type !== 'NOT_FOUND'
                ? { why: aliasReason(errors[0]) }
                : { why: missing, missing: true };
        const blob = value.object;
        if (!blob)
            return { why: missing, missing: true };
        if (typeof blob.byteSize === 'number' && blob.byteSize > this.maxBytes)
            return { why: `it is over the size limit of ${this.maxBytes} bytes` };
        if (blob.isBinary !== false || typeof blob.text !== 'string')
            return { why: 'it is not text' };
        if (blob.isTruncated !== false)
            return { why: 'it is too large for the API to return whole' };
        return { text: blob.text };
    }
}

// EXTERNAL MODULE: ./src/version.ts
var version = __webpack_require__(311);
;// CONCATENATED MODULE: ./src/inventory/listing.ts


/** GitHub's own form of an owner or repository name; anything else from the API is not used as one. */
const NAME_PART = /^[A-Za-z0-9_.-]{1,100}$/;
const REPOSITORY_NAME = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
const COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;
function isOwnerName(name) {
    return NAME_PART.test(name) && name !== '.' && name !== '..';
}
function isRepositoryName(name) {
    return REPOSITORY_NAME.test(name) && name.split('/').every(isOwnerName);
}
const PAGE = 100;
const NAMED_BATCH = 50;
/** A listed repository, or why what the API named cannot be one. */
function listed(raw) {
    const name = typeof raw?.nameWithOwner === 'string' ? raw.nameWithOwner : '';
    if (!isRepositoryName(name))
        return {
            repository: name.slice(0, 200) || '(no name)',
            reason: 'the API named it in a form GitHub does not use',
        };
    const oid = raw?.defaultBranchRef?.target?.oid;
    if (oid !== undefined && oid !== null && !(typeof oid === 'string' && COMMIT.test(oid)))
        return { repository: name, reason: 'the API gave its head commit in a form git does not use' };
    return {
        name,
        archived: raw?.isArchived === true,
        fork: raw?.isFork === true,
        commit: oid ?? null,
    };
}
/** Every repository `owner` (an organisation or a user) owns, a hundred a query. */
async function listOwner(api, owner) {
    const repos = [];
    const unreadable = [];
    let after;
    for (;;) {
        let answer;
        try {
            answer = await api.graphql(`query { rateLimit { remaining resetAt } owner: repositoryOwner(login: ${literal(owner)}) { repositories(first: ${PAGE}${after ? `, after: ${literal(after)}` : ''}, ownerAffiliations: [OWNER], orderBy: {field: NAME, direction: ASC}) { pageInfo { hasNextPage endCursor } nodes { ...Listed } } } } fragment Listed on Repository { nameWithOwner isArchived isFork defaultBranchRef { target { oid } } }`);
        }
        catch (error) {
            if (repos.length === 0 && after === undefined)
                throw new load/* UsageError */.eb(`${owner}'s repositories could not be listed: ${error.message}`);
            return {
                repos,
                unreadable,
                stopped: `the listing stopped after ${repos.length} repositories: ${error.message}`,
            };
        }
        const page = answer.data?.owner?.repositories;
        if (!page) {
            const why = answer.errors[0] ? aliasReason(answer.errors[0]) : 'no organisation or user of that name';
            throw new load/* UsageError */.eb(`${owner}'s repositories could not be listed: ${why}`);
        }
        for (const raw of Array.isArray(page.nodes) ? page.nodes : []) {
            const one = listed(raw);
            if ('name' in one)
                repos.push(one);
            else
                unreadable.push(one);
        }
        if (page.pageInfo?.hasNextPage !== true || typeof page.pageInfo.endCursor !== 'string')
            break;
        after = page.pageInfo.endCursor;
    }
    return { repos, unreadable };
}
/** The repositories named (`owner/name`), fifty a query; one that is not there is unreadable, with the reason. */
async function listNamed(api, names) {
    const repos = [];
    const unreadable = [];
    const items = names.map((name) => {
        const [owner, repo] = name.split('/');
        return {
            fields: (alias) => `${alias}: repository(owner: ${literal(owner)}, name: ${literal(repo)}) { ...Listed }`,
            take: (value, errors) => {
                if (!value) {
                    unreadable.push({
                        repository: name,
                        reason: errors[0] ? aliasReason(errors[0]) : 'not found, or not readable with this token',
                    });
                    return;
                }
                const one = listed(value);
                if ('name' in one)
                    repos.push(one);
                else
                    unreadable.push({ repository: name, reason: one.reason });
            },
            fail: (reason) => unreadable.push({ repository: name, reason }),
        };
    });
    await inBatches(api, items, NAMED_BATCH);
    return { repos, unreadable };
}

;// CONCATENATED MODULE: ./src/inventory/merge.ts





/** The document every format renders, over the results in `store`: one way for a run and for a merge. */
function documentOf(owner, server, store, unreadable, leftOut) {
    const names = store.names();
    const get = (name) => store.get(name);
    const rollup = rollupOf((function* () {
        for (const name of names)
            yield get(name);
    })(), unreadable.length, leftOut);
    return { owner, server, names, get, unreadable, rollup };
}
const INVENTORY_LIMIT = 1024 * 1024 * 1024;
function isResult(value) {
    const r = value;
    return (typeof r?.repository === 'string' &&
        isRepositoryName(r.repository) &&
        (r.commit === null || typeof r.commit === 'string') &&
        Array.isArray(r.routes) &&
        Array.isArray(r.findings));
}
function isUnreadable(value) {
    const u = value;
    return typeof u?.repository === 'string' && typeof u.reason === 'string';
}
/**
 * Shards' inventory JSON as one document: the repositories of all, each once, and the left-out counts
 * summed, so every format comes out as one run over the whole owner would have written it.
 */
function mergeInventories(files, store) {
    let owner;
    let server;
    const seen = new Map();
    const unreadable = [];
    const leftOut = { archived: 0, forks: 0 };
    for (const { file, absolute } of files) {
        const opened = (0,src_files/* readRegularFile */.XF)(absolute, INVENTORY_LIMIT, { followLink: true });
        if (!('bytes' in opened))
            throw new load/* UsageError */.eb(`${file}: ${opened.problem}`);
        let json;
        try {
            json = JSON.parse(opened.bytes.toString('utf8'));
        }
        catch (error) {
            throw new load/* UsageError */.eb(`${file}: not JSON (${error.message})`);
        }
        const archived = json.rollup?.leftOut?.archived;
        const forks = json.rollup?.leftOut?.forks;
        if (json.version !== 1 ||
            typeof json.owner !== 'string' ||
            typeof json.server !== 'string' ||
            !Array.isArray(json.repositories) ||
            !json.repositories.every(isResult) ||
            !Array.isArray(json.unreadable) ||
            !json.unreadable.every(isUnreadable) ||
            typeof archived !== 'number' ||
            typeof forks !== 'number')
            throw new load/* UsageError */.eb(`${file}: not an inventory (claude-route-guard org --format json, version 1)`);
        if (owner !== undefined && (json.owner.toLowerCase() !== owner.toLowerCase() || json.server !== server))
            throw new load/* UsageError */.eb(`${file}: an inventory of ${json.owner} at ${json.server}, not of ${owner} at ${server}`);
        owner ??= json.owner;
        server ??= json.server;
        leftOut.archived += archived;
        leftOut.forks += forks;
        for (const entry of [...json.repositories, ...json.unreadable]) {
            const key = entry.repository.toLowerCase();
            if (seen.has(key))
                throw new load/* UsageError */.eb(`${file}: ${entry.repository} is in ${seen.get(key)} too; merge each shard once`);
            seen.set(key, file);
        }
        for (const result of json.repositories)
            store.put(result);
        unreadable.push(...json.unreadable);
    }
    unreadable.sort((a, b) => compareNames(a.repository, b.repository));
    return documentOf(owner, server, store, unreadable, leftOut);
}

// EXTERNAL MODULE: ./src/default-scan.ts
var default_scan = __webpack_require__(3018);
// EXTERNAL MODULE: ./src/policy/policy.ts
var policy = __webpack_require__(6658);
// EXTERNAL MODULE: ./src/memory.ts + 2 modules
var memory = __webpack_require__(8547);
// EXTERNAL MODULE: ./src/plain-env.ts
var plain_env = __webpack_require__(6225);
// EXTERNAL MODULE: ./src/scan.ts + 16 modules
var scan = __webpack_require__(84);
// EXTERNAL MODULE: ./src/sources/repo.ts
var repo = __webpack_require__(2352);
;// CONCATENATED MODULE: ./src/sources/memory.ts


/**
 * A path from the root as the checkout would resolve it, or undefined when it leaves the repository or
 * names its root: `./a/../b` is `b`, `../x` and `/etc/x` are nothing.
 */
function repositoryPath(relPath) {
    const path = external_node_path_.posix.normalize(relPath).replace(/\/+$/, '');
    if (path === '.' || path === '' || path === '..' || path.startsWith('../') || path.startsWith('/'))
        return undefined;
    return path;
}
/**
 * A repository whose files are held in memory (read through an API). What the engine asks that is not
 * known yet is recorded in `misses` and answered as absent: the caller reads those and scans again, so
 * the files read are exactly those the engine asks for, not a guess of them.
 */
function memoryRepo(lookup, misses, name, remote) {
    return (0,repo/* cachedRepo */.N)((relPath) => {
        const path = repositoryPath(relPath);
        if (path === undefined)
            return undefined;
        const text = lookup(path);
        if (text === undefined)
            misses.add(path);
        return typeof text === 'string' ? { file: path, text } : undefined;
    }, name, remote);
}

// EXTERNAL MODULE: ./src/sources/remote.ts
var sources_remote = __webpack_require__(9054);
// EXTERNAL MODULE: ./src/workflow/model.ts + 4 modules
var model = __webpack_require__(4692);
;// CONCATENATED MODULE: ./src/inventory/files.ts


/**
 * What has been read of one repository at one commit: folders listed whole, file texts (null when the
 * path holds no readable text file), and the scanned files that are not text. What it does not know is
 * what the engine is told is missing until it has been read.
 */
class RepositoryFiles {
    folders = new Map();
    texts = new Map();
    problems = new Map();
    /** A file's text for the engine (as a checkout's reader gives it), null when there is none, undefined when not known yet. */
    lookup(path) {
        if (this.texts.has(path)) {
            const text = this.texts.get(path);
            // The reader of a checkout takes no file over the default limit, whatever limit the scan was given.
            return text !== null && Buffer.byteLength(text) > load/* DEFAULT_MAX_BYTES */.fS ? null : text;
        }
        const parts = path.split('/');
        // The nearest folder on the way that was listed whole decides what is not there.
        for (let depth = parts.length - 1; depth >= 0; depth--) {
            const listing = this.folders.get(parts.slice(0, depth).join('/'));
            if (!listing)
                continue;
            const entry = listing.get(parts[depth]);
            if (!entry)
                return null;
            if (depth === parts.length - 1)
                return entry.kind === 'file' && entry.size <= load/* DEFAULT_MAX_BYTES */.fS ? undefined : null;
            return entry.kind === 'folder' ? undefined : null;
        }
        return undefined;
    }
    /** Forgets the file texts once the repository's result is stored: its group's texts are no longer held. */
    releaseTexts() {
        this.texts.clear();
    }
    /** The entry at a path, when its folder was listed. */
    entry(path) {
        const slash = path.lastIndexOf('/');
        return this.folders.get(slash === -1 ? '' : path.slice(0, slash))?.get(path.slice(slash + 1));
    }
    /** Every entry of the folders listed, as paths from the root. */
    *entries() {
        for (const [folder, listing] of this.folders)
            for (const [name, entry] of listing)
                yield { ...entry, path: folder === '' ? name : `${folder}/${name}` };
    }
    /** The files a default scan of this repository reads, in its order. */
    scanned() {
        return (0,default_scan/* defaultScanFiles */.Eu)(this.entries());
    }
    /** Folders the default scan looks inside that are not listed yet. */
    unlisted() {
        const out = [];
        for (const entry of this.entries())
            if (entry.kind === 'folder' && default_scan/* DEFAULT_SCAN */.qr.enters(entry.path) && !this.folders.has(entry.path))
                out.push(entry.path);
        return out;
    }
}

;// CONCATENATED MODULE: ./src/inventory/read.ts





/** Repositories per query when listing folders; files per query when reading texts. */
const FOLDER_BATCH = 40;
const FILES_PER_QUERY = 100;
/** Rounds of folder listing: each goes two levels deeper. */
const MAX_FOLDER_ROUNDS = 8;
const LINK_MODE = 0o120000;
function kindOf(entry) {
    if (entry.type === 'tree')
        return 'folder';
    if (entry.type !== 'blob')
        return 'other';
    return entry.mode === LINK_MODE ? 'link' : 'file';
}
function fail(target, reason) {
    target.failure ??= reason;
}
/** The commit of a repository answer, or undefined (and the target failed) when it is not there. */
function commitOf(target, value, errors) {
    if (errors.length > 0 &&
        (value === null || value === undefined || errors.some((e) => (e.path?.length ?? 0) > 2))) {
        fail(target, aliasReason(errors[0]));
        return undefined;
    }
    const commit = value?.object;
    if (!commit || typeof commit !== 'object') {
        fail(target, value ? `its commit ${target.commit} could not be read` : 'not found, or not readable with this token');
        return undefined;
    }
    return commit;
}
function repositoryField(target, alias, inner) {
    const [owner, repo] = target.name.split('/');
    return `${alias}: repository(owner: ${literal(owner)}, name: ${literal(repo)}) { object(oid: ${literal(target.commit)}) { ... on Commit { ${inner} } } }`;
}
/** A folder's entries, and those of the folders one level below it, recorded as listed whole. */
function record(files, folder, entries) {
    const listing = new Map();
    files.folders.set(folder, listing);
    if (!Array.isArray(entries))
        return;
    for (const raw of entries) {
        if (typeof raw?.name !== 'string' || raw.name === '' || raw.name.includes('/'))
            continue;
        const kind = kindOf(raw);
        const size = typeof raw.object?.byteSize === 'number' ? raw.object.byteSize : 0;
        listing.set(raw.name, { kind, size });
        const path = folder === '' ? raw.name : `${folder}/${raw.name}`;
        if (kind === 'folder' && Array.isArray(raw.object?.entries))
            record(files, path, raw.object.entries);
    }
}
/**
 * Lists the folders the default scan looks inside, two levels a round, for many repositories a query;
 * the first round also reads the policy file. A folder that is not there is listed as empty.
 */
async function listFolders(api, targets) {
    const wanted = new Map(targets.map((t) => [t, [...default_scan/* DEFAULT_SCAN */.qr.starts]]));
    for (let round = 0; round < MAX_FOLDER_ROUNDS && wanted.size > 0; round++) {
        const items = [...wanted].map(([target, folders]) => ({
            fields: (alias) => repositoryField(target, alias, [
                ...folders.map((folder, i) => folder === ''
                    ? `d${i}: tree { entries { ...Level } }`
                    : `d${i}: file(path: ${literal(folder)}) { ...Folder }`),
                // The root's entries too, so what the engine asks outside them (no `.claude`, no
                // `scripts`) is known not to be there without a read.
                ...(round === 0
                    ? [
                        `root: tree { entries { ...Entry } }`,
                        `policy: file(path: ${literal(policy/* DEFAULT_POLICY_PATH */.lo)}) { ...File }`,
                    ]
                    : []),
            ].join(' ')),
            take: (value, errors) => {
                const commit = commitOf(target, value, errors);
                if (!commit)
                    return;
                folders.forEach((folder, i) => {
                    const answer = commit[`d${i}`];
                    const entries = folder === ''
                        ? answer?.entries
                        : answer?.object?.entries;
                    record(target.files, folder, kindOf((answer ?? {})) === 'folder' || folder === '' ? entries : []);
                });
                if (round === 0) {
                    if (!target.files.folders.has(''))
                        record(target.files, '', commit.root?.entries);
                    takePolicy(target, commit.policy);
                }
            },
            fail: (reason) => fail(target, reason),
        }));
        await inBatches(api, items, FOLDER_BATCH);
        wanted.clear();
        for (const target of targets) {
            if (target.failure)
                continue;
            const more = target.files.unlisted();
            if (more.length > 0)
                wanted.set(target, more);
        }
    }
    for (const [target] of wanted)
        fail(target, `its folders nest more than ${MAX_FOLDER_ROUNDS * 2} levels deep`);
}
/** The policy file, refused where a local scan refuses it. */
function takePolicy(target, entry) {
    if (!entry) {
        target.files.texts.set(policy/* DEFAULT_POLICY_PATH */.lo, null);
        return;
    }
    const kind = kindOf(entry);
    const size = Number(entry.object?.byteSize ?? 0);
    if (kind === 'link')
        target.policyProblem = `${policy/* DEFAULT_POLICY_PATH */.lo}: the policy file must be a regular file, not a link`;
    else if (kind !== 'file')
        target.policyProblem = `${policy/* DEFAULT_POLICY_PATH */.lo}: cannot read the policy file (not a regular file)`;
    else if (size > load/* DEFAULT_MAX_BYTES */.fS)
        target.policyProblem = `${policy/* DEFAULT_POLICY_PATH */.lo}: cannot read the policy file (${size} bytes, over the limit of ${load/* DEFAULT_MAX_BYTES */.fS})`;
    else
        (target.answered ??= []).push({ path: policy/* DEFAULT_POLICY_PATH */.lo, entry, scanned: false });
}
/**
 * Reads files' texts, many repositories a query: `wants` gives each repository's paths, `scanned` those
 * the scan reads (over `maxBytes` they are reported, not read). A text GraphQL cannot give whole (binary,
 * cut) is read as bytes through REST and judged as a checkout's reader judges it.
 */
async function readFiles(api, wants, isScanned, maxBytes) {
    const items = [];
    for (const [target, paths] of wants) {
        for (let i = 0; i < paths.length; i += FILES_PER_QUERY) {
            const part = paths.slice(i, i + FILES_PER_QUERY);
            items.push({
                weight: part.length,
                fields: (alias) => repositoryField(target, alias, part.map((path, j) => `f${j}: file(path: ${literal(path)}) { ...File }`).join(' ')),
                take: (value, errors) => {
                    const commit = commitOf(target, value, errors);
                    if (!commit)
                        return;
                    part.forEach((path, j) => (target.answered ??= []).push({
                        path,
                        entry: commit[`f${j}`],
                        scanned: isScanned(target, path),
                    }));
                },
                fail: (reason) => fail(target, reason),
            });
        }
    }
    await inBatches(api, items, FILES_PER_QUERY);
    await settle(api, [...wants.keys()], maxBytes);
}
/** Takes every pending answer: its text, or its bytes through REST when GraphQL could not give them. */
async function settle(api, targets, maxBytes) {
    await Promise.all(targets.map(async (target) => {
        const answers = target.answered ?? [];
        target.answered = undefined;
        for (const answer of answers) {
            if (target.failure)
                return;
            await take(api, target, answer, maxBytes);
        }
    }));
}
async function take(api, target, { path, entry, scanned }, maxBytes) {
    const files = target.files;
    if (!entry || kindOf(entry) !== 'file') {
        files.texts.set(path, null);
        return;
    }
    const object = entry.object ?? {};
    const size = Number(object.byteSize ?? 0);
    if (scanned && size > maxBytes) {
        files.problems.set(path, { tooLarge: size });
        return;
    }
    if (!scanned && size > load/* DEFAULT_MAX_BYTES */.fS) {
        files.texts.set(path, null);
        return;
    }
    // A text whose UTF-8 is not the blob's size is not the file's bytes (GitHub decoded another encoding).
    if (object.isBinary === false &&
        object.isTruncated === false &&
        typeof object.text === 'string' &&
        Buffer.byteLength(object.text) === size) {
        files.texts.set(path, object.text);
        return;
    }
    const [owner, repo] = target.name.split('/');
    let bytes;
    try {
        bytes =
            typeof object.oid === 'string' && /^[0-9a-f]{40,64}$/.test(object.oid)
                ? await api.restBytes(`/repos/${encodeURIComponent(owner)}/${encodeURIComponent(repo)}/git/blobs/${object.oid}`)
                : undefined;
    }
    catch (error) {
        fail(target, error instanceof ApiStopped
            ? `not read: ${error.message}`
            : `${path} could not be read: ${error.message}`);
        return;
    }
    if (!bytes) {
        fail(target, `${path} could not be read`);
        return;
    }
    const decoded = (0,load/* decode */.D4)(bytes);
    if ('text' in decoded)
        files.texts.set(path, decoded.text);
    else {
        files.texts.set(path, null);
        if (scanned)
            files.problems.set(path, { unreadable: decoded });
    }
}

;// CONCATENATED MODULE: ./src/inventory/shard.ts

function parseShard(text, name = '--shard') {
    const m = /^\s*(\d{1,4})\s*\/\s*(\d{1,4})\s*$/.exec(text);
    const index = Number(m?.[1]);
    const count = Number(m?.[2]);
    if (!m || count < 1 || index < 1 || index > count)
        throw new load/* UsageError */.eb(`${name} must be I/N with 1 <= I <= N (such as 2/3), not "${text}"`);
    return { index, count };
}
/** FNV-1a over the name's UTF-8 bytes: the same number on every machine and in every listing order. */
function hash(text) {
    let h = 0x811c9dc5;
    for (const byte of Buffer.from(text, 'utf8'))
        h = Math.imul(h ^ byte, 0x01000193) >>> 0;
    return h;
}
/** Whether a repository falls in the shard: by its name (GitHub's names ignore case), never its place in a list. */
function inShard(name, shard) {
    return !shard || hash(name.toLowerCase()) % shard.count === shard.index - 1;
}

;// CONCATENATED MODULE: ./src/inventory/run.ts













/** Repositories read and scanned together: their reads share queries, and only their texts are held at once. */
const CHUNK = 50;
/** Files scanned between full collections: each costs a few milliseconds on a heap this size. */
const FILES_PER_COLLECTION = 200;
/** Rounds of reading what the engine asked for and scanning again; each follows one more file deep. */
const MAX_MISS_ROUNDS = 8;
/**
 * The inventory as named passes: list the repositories, take this run's share (shard, archived, forks),
 * keep the stored results whose head has not moved, then read and scan the rest a group at a time.
 */
async function runInventory(settings) {
    const listing = settings.named
        ? await listNamed(settings.api, settings.named)
        : await listOwner(settings.api, settings.owner);
    const notes = [];
    if (listing.stopped)
        notes.push(listing.stopped);
    const { taken, leftOut } = share(listing.repos, settings);
    const unreadable = listing.unreadable.filter((u) => inShard(u.repository, settings.shard));
    const toRead = [];
    for (const repo of taken) {
        const previous = settings.store.previous(repo.name, repo.commit);
        if (previous)
            settings.store.put(previous);
        else
            toRead.push(repo);
    }
    let done = taken.length - toRead.length;
    settings.progress?.(done, taken.length);
    // As for a local scan: V8 sizes its heap by how fast garbage arrives, so a long run collects in full,
    // here more often: a repository's reads and models are garbage as soon as its result is stored.
    const tick = (0,memory/* garbageTicker */.a)(FILES_PER_COLLECTION);
    for (let i = 0; i < toRead.length; i += CHUNK) {
        const chunk = toRead.slice(i, i + CHUNK);
        unreadable.push(...(await readChunk(chunk, settings, tick)));
        done += chunk.length;
        settings.progress?.(done, taken.length);
    }
    if (settings.api.stopped)
        notes.push(`Some repositories were not read: ${settings.api.stopped}.`);
    unreadable.sort((a, b) => compareNames(a.repository, b.repository));
    return {
        unreadable,
        leftOut,
        notes,
        read: toRead.map((r) => r.name),
        reused: taken.length - toRead.length,
    };
}
/** This run's share: its shard, by name; archived repositories and forks left out unless asked, and counted. */
function share(repos, settings) {
    const leftOut = { archived: 0, forks: 0 };
    const taken = [];
    for (const repo of repos) {
        if (!inShard(repo.name, settings.shard))
            continue;
        if (!settings.named && repo.archived && !settings.includeArchived)
            leftOut.archived++;
        else if (!settings.named && repo.fork && !settings.includeForks)
            leftOut.forks++;
        else
            taken.push(repo);
    }
    return { taken, leftOut };
}
/**
 * Lists one group of repositories' folders, then reads and scans them a few at a time, so that at most
 * as many bytes of file text as the largest file a scan takes (`--max-file-size`) are
 * held at once, or one repository that is larger alone: peak
 * memory follows the largest repository, not how many large ones sort together. Returns those that could
 * not be read, with the reason.
 */
async function readChunk(chunk, settings, tick) {
    const targets = [];
    for (const repo of chunk) {
        // A repository with no commits has no files: nothing to read.
        if (repo.commit === null)
            settings.store.put({ repository: repo.name, commit: null, routes: [], findings: [] });
        else
            targets.push({ name: repo.name, commit: repo.commit, files: new RepositoryFiles() });
    }
    await listFolders(settings.api, targets);
    const wanted = new Map();
    for (const target of targets) {
        const paths = [];
        for (const path of target.files.scanned()) {
            if (default_scan/* DEFAULT_SCAN */.qr.skips(path) !== undefined)
                continue;
            const size = target.files.entry(path)?.size ?? 0;
            if (size > settings.maxBytes)
                target.files.problems.set(path, { tooLarge: size });
            else
                paths.push(path);
        }
        wanted.set(target, paths);
    }
    const unreadable = [];
    for (const group of withinBudget(targets, (t) => bytesOf(t, wanted.get(t)), settings.maxBytes))
        unreadable.push(...(await readAndScan(group, wanted, settings, tick)));
    return unreadable;
}
const bytesOf = (target, paths) => paths.reduce((sum, path) => sum + (target.files.entry(path)?.size ?? 0), 0);
/** Consecutive groups whose sizes add up to at most `budget`; an item larger than it is a group alone. */
function* withinBudget(items, size, budget) {
    let group = [];
    let used = 0;
    for (const item of items) {
        const bytes = size(item);
        if (group.length > 0 && used + bytes > budget) {
            yield group;
            group = [];
            used = 0;
        }
        group.push(item);
        used += bytes;
    }
    if (group.length > 0)
        yield group;
}
/** Reads one group's files, follows what they name, scans each and stores its result. */
async function readAndScan(group, wanted, settings, tick) {
    const wants = new Map();
    for (const target of group)
        if (!target.failure)
            wants.set(target, wanted.get(target));
    await readFiles(settings.api, wants, () => true, settings.maxBytes);
    const remote = settings.remote
        ? await remoteCallees(group, settings.remote)
        : new Map();
    const reports = await scanUntilComplete(group, remote, settings.api, settings.maxBytes, tick);
    const unreadable = [];
    for (const target of group) {
        const report = reports.get(target);
        if (target.failure || !report)
            unreadable.push({ repository: target.name, reason: target.failure ?? 'not read' });
        else
            settings.store.put(resultOf(target.name, target.commit, report));
        // The chunk's later groups are read while this one is still listed: only its texts weigh.
        target.files.releaseTexts();
    }
    return unreadable;
}
/**
 * Scans each repository in memory; what the engine asked for and was not read yet (local actions
 * elsewhere, scripts, manifests, settings) is read for all of them at once, and they are scanned again,
 * until nothing new is asked.
 */
async function scanUntilComplete(targets, remote, api, maxBytes, tick) {
    const reports = new Map();
    let open = targets.filter((t) => !t.failure);
    for (let round = 0; open.length > 0; round++) {
        const wants = new Map();
        for (const target of open) {
            const misses = new Set();
            const report = scanTarget(target, misses, remote.get(target));
            tick(target.files.texts.size);
            if (report && misses.size === 0)
                reports.set(target, report);
            else if (report && round === MAX_MISS_ROUNDS)
                target.failure = `its files name further files more than ${MAX_MISS_ROUNDS} reads deep`;
            else if (report)
                wants.set(target, [...misses]);
        }
        if (wants.size === 0)
            break;
        await readFiles(api, wants, () => false, maxBytes);
        open = [...wants.keys()].filter((t) => !t.failure);
    }
    return reports;
}
/** The repository's policy, as a local scan reads it; undefined (and the target failed) when it would refuse it. */
function policyOf(target) {
    if (target.policyProblem) {
        target.failure = target.policyProblem;
        return undefined;
    }
    const text = target.files.texts.get(policy/* DEFAULT_POLICY_PATH */.lo);
    if (typeof text !== 'string')
        return policy/* DEFAULT_POLICY */.zj;
    try {
        return (0,policy/* parsePolicy */.ON)(text, policy/* DEFAULT_POLICY_PATH */.lo);
    }
    catch (error) {
        if (!(error instanceof policy/* PolicyError */.pn))
            throw error;
        target.failure = `its policy file is not valid: ${error.message}`;
        return undefined;
    }
}
/** One scan of a repository's files in memory, as a local default scan of its checkout makes it. */
function scanTarget(target, misses, remote) {
    const policy = policyOf(target);
    if (!policy)
        return undefined;
    const files = target.files;
    const repo = memoryRepo((path) => files.lookup(path), misses, target.name, remote);
    const inputs = [];
    for (const path of files.scanned()) {
        const base = { file: path, path, explicit: false, repo, policy };
        const skipped = default_scan/* DEFAULT_SCAN */.qr.skips(path);
        if (skipped !== undefined) {
            inputs.push({ ...base, text: '', skipped });
            continue;
        }
        const problem = files.problems.get(path);
        const text = files.texts.get(path);
        if (problem)
            inputs.push({ ...base, text: '', ...problem });
        else if (typeof text === 'string')
            inputs.push({ ...base, text });
    }
    return (0,plain_env/* withPlainEnv */.W)(() => (0,scan/* scan */.SQ)(inputs, policy));
}
/** The scanned files' models, for the remote callees they name. */
function* models(target) {
    for (const path of target.files.scanned()) {
        const text = target.files.texts.get(path);
        if (typeof text === 'string' && !target.files.problems.has(path))
            yield (0,model/* parseFile */.CJ)(path, text);
    }
}
/**
 * `--resolve-remote`: each repository's remote callees, read through one source for the whole run, so a
 * callee many repositories share is read once. A repository's own name is read from its files.
 */
async function remoteCallees(targets, remote) {
    const lookups = new Map();
    await Promise.all(targets
        .filter((t) => !t.failure)
        .map(async (target) => {
        const resolved = await (0,sources_remote/* resolveCallees */.o)(models(target), remote.source, {
            server: remote.server,
            known: remote.known,
            self: target.name,
        });
        lookups.set(target, resolved.lookup);
    }));
    return lookups;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./src/inventory/store.ts






const STORED_LIMIT = 512 * 1024 * 1024;
/**
 * Each repository's result on disk, one file each, so memory does not grow with the number of
 * repositories: under `--out DIR` they stay (with the commit and the settings they were read with, so the
 * next run reads again only repositories whose head moved); without it they go to a folder that is
 * removed at the end.
 */
class ResultStore {
    dir;
    key;
    temporary;
    held = [];
    // Rendering reads every result back, twice: their buffers are garbage at once, and collected in full
    // every so often, or V8 lets them pile up outside its heap.
    tick = (0,memory/* garbageTicker */.a)(200);
    constructor(dir, key, temporary) {
        this.dir = dir;
        this.key = key;
        this.temporary = temporary;
    }
    /** The store under `dir` (created when missing), or a temporary one. `key` says what made a result. */
    static open(dir, key) {
        if (dir === undefined)
            return new ResultStore((0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)(), 'crg-inventory-')), key, true);
        (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
        return new ResultStore(dir, key, false);
    }
    static path(name) {
        // Names were checked to be GitHub's own form (no `/` beyond the one, no `..`).
        return `repositories/${name}.json`;
    }
    /** The result stored for `name` when it was read at `commit` with the same settings, else undefined. */
    previous(name, commit) {
        if (this.temporary)
            return undefined;
        const stored = this.read(name);
        return stored && stored.key === this.key && stored.result.commit === commit ? stored.result : undefined;
    }
    put(result) {
        const written = (0,src_files/* writeInside */.Mt)([this.dir], ResultStore.path(result.repository), JSON.stringify({ key: this.key, result }));
        if ('refused' in written)
            throw new Error(`${this.dir}: the result of ${result.repository} could not be stored: ${written.refused}`);
        this.held.push(result.repository);
    }
    get(name) {
        const stored = this.read(name);
        if (!stored)
            throw new Error(`${this.dir}: the stored result of ${name} went missing`);
        return stored.result;
    }
    /** The repositories put in this run, in the report's order. */
    names() {
        return [...new Set(this.held)].sort(compareNames);
    }
    dispose() {
        if (this.temporary)
            (0,external_node_fs_.rmSync)(this.dir, { recursive: true, force: true });
    }
    read(name) {
        this.tick();
        const path = (0,external_node_path_.join)(this.dir, ResultStore.path(name));
        if (!(0,src_files/* noLinkBelow */.lt)(this.dir, path))
            return undefined;
        const opened = (0,src_files/* readRegularFile */.XF)(path, STORED_LIMIT);
        if (!('bytes' in opened))
            return undefined;
        try {
            const stored = JSON.parse(opened.bytes.toString('utf8'));
            if (typeof stored.key !== 'string' || stored.result?.repository !== name)
                return undefined;
            return { key: stored.key, result: stored.result };
        }
        catch {
            return undefined;
        }
    }
}

;// CONCATENATED MODULE: ./src/inventory/cli.ts




















const ORG_USAGE = `Usage: claude-route-guard org OWNER [options]
       claude-route-guard merge FILE... [--format F] [--out DIR]

Reads every repository of an organisation or a user through the GitHub API (token from GITHUB_TOKEN or
GH_TOKEN; GITHUB_API_URL, GITHUB_GRAPHQL_URL and GITHUB_SERVER_URL for GitHub Enterprise Server) and says
which Claude Code runs bill whom: the same files a default scan of each repository reads, scanned by the
same engine. merge combines inventory JSON files (shards) into the report one run would have written.

Options:
  --format text|markdown|csv|json|sarif   (default text; sarif writes one file per repository under --out)
  --out DIR                 keep each repository's result there; the next run reads again only
                            repositories whose default branch moved
  --include-archived        take archived repositories too (left out and counted by default)
  --include-forks           take forks too (left out and counted by default)
  --repos FILE              only the owner/name lines of FILE
  --shard I/N               only share I of N, by repository name (merge the shards' JSON)
  --resolve-remote          read remote actions and reusable workflows too (each once a run)
  --max-requests N          at most N API requests, retries included (default 5000)
  --max-file-size BYTES     files over this size are reported, not read (default 5M)
  --cache-dir DIR           where SHA-pinned remote callees are kept
Exit status: 0 every repository taken was read, 1 some could not be (each is listed with the reason),
2 usage error or the owner could not be listed.`;
const DEFAULT_MAX_REQUESTS = 5000;
const TIMEOUT_MS = 30_000;
const ORG_OPTIONS = {
    format: { type: 'string', default: 'text' },
    out: { type: 'string' },
    'include-archived': { type: 'boolean', default: false },
    'include-forks': { type: 'boolean', default: false },
    repos: { type: 'string' },
    shard: { type: 'string' },
    'resolve-remote': { type: 'boolean', default: false },
    'max-requests': { type: 'string' },
    'max-file-size': { type: 'string' },
    'cache-dir': { type: 'string' },
    help: { type: 'boolean', default: false, short: 'h' },
};
function cli_fail(io, message) {
    io.stderr((0,report_escape/* terminalText */.eR)(`claude-route-guard: ${message}`));
    return 2;
}
function formatOf(raw, out) {
    if (!INVENTORY_FORMATS.includes(raw))
        throw new load/* UsageError */.eb(`--format must be one of ${INVENTORY_FORMATS.join(', ')}, not "${raw}"`);
    if (raw === 'sarif' && out === undefined)
        throw new load/* UsageError */.eb('--format sarif writes one file per repository: name the folder with --out DIR');
    return raw;
}
/** `owner/name` lines (blank lines and `#` comments skipped), each checked. */
function readRepos(cwd, file, owner) {
    const opened = (0,src_files/* readRegularFile */.XF)((0,external_node_path_.resolve)(cwd, file), 16 * 1024 * 1024, { followLink: true });
    if (!('bytes' in opened))
        throw new load/* UsageError */.eb(`--repos ${file}: ${opened.problem}`);
    const names = [];
    opened.bytes
        .toString('utf8')
        .split(/\r?\n/)
        .forEach((raw, i) => {
        const line = raw.replace(/#.*/, '').trim();
        if (line === '')
            return;
        if (!isRepositoryName(line) || line.split('/')[0].toLowerCase() !== owner.toLowerCase())
            throw new load/* UsageError */.eb(`--repos ${file}:${i + 1}: "${line}" is not a repository of ${owner} (owner/name)`);
        if (!names.some((n) => n.toLowerCase() === line.toLowerCase()))
            names.push(line);
    });
    return names;
}
/** `claude-route-guard org OWNER ...` */
async function runOrg(argv, io) {
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({ args: argv, allowPositionals: true, options: ORG_OPTIONS });
    }
    catch (error) {
        return cli_fail(io, `${error.message.replace(/\.$/, '')}; org --help lists the options`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        io.stdout(ORG_USAGE);
        return 0;
    }
    const env = io.env ?? process.env;
    const token = env.GITHUB_TOKEN || env.GH_TOKEN;
    let store;
    try {
        const owner = positionals[0];
        if (positionals.length !== 1 || owner === undefined || !isOwnerName(owner))
            throw new load/* UsageError */.eb('org takes one OWNER: an organisation or a user, such as `org acme`');
        const format = formatOf(values.format, values.out);
        if (!token)
            throw new load/* UsageError */.eb('org reads through the GitHub API: set GITHUB_TOKEN or GH_TOKEN to a token that can read the repositories');
        const maxRequests = values['max-requests'] === undefined ? DEFAULT_MAX_REQUESTS : Number(values['max-requests']);
        if (!Number.isInteger(maxRequests) || maxRequests < 1)
            throw new load/* UsageError */.eb(`--max-requests must be a whole number of requests, not "${values['max-requests']}"`);
        const maxBytes = (0,load/* parseSize */.DB)(values['max-file-size'], '--max-file-size') ?? load/* DEFAULT_MAX_BYTES */.fS;
        const shard = values.shard === undefined ? undefined : parseShard(values.shard);
        const named = values.repos === undefined ? undefined : readRepos(io.cwd, values.repos, owner);
        const out = values.out === undefined ? undefined : (0,external_node_path_.resolve)(io.cwd, values.out);
        store = ResultStore.open(out, storeKey(maxBytes, values['resolve-remote']));
        const { doc, run, api } = await inventoryOf({
            owner,
            env,
            token,
            maxRequests,
            maxBytes,
            store,
            resolveRemote: values['resolve-remote'],
            ...(values['cache-dir'] !== undefined ? { cacheDir: (0,external_node_path_.resolve)(io.cwd, values['cache-dir']) } : {}),
            ...(named ? { named } : {}),
            includeArchived: values['include-archived'],
            includeForks: values['include-forks'],
            ...(shard ? { shard } : {}),
            ...(io.progress ? { progress: io.progress } : {}),
        });
        if (io.progress)
            io.progress('\n');
        emit(io, doc, format, out);
        for (const note of run.notes)
            io.stderr((0,report_escape/* terminalText */.eR)(`claude-route-guard: ${note}`));
        io.stderr((0,report_escape/* terminalText */.eR)(`claude-route-guard: ${doc.rollup.repositories} repositories taken: ${doc.rollup.read - run.reused} read, ${run.reused} unchanged since the last run, ${doc.unreadable.length} could not be read; ${api.requests} GitHub API requests.`));
        return doc.unreadable.length > 0 || run.notes.length > 0 ? 1 : 0;
    }
    catch (error) {
        if (error instanceof load/* UsageError */.eb)
            return cli_fail(io, error.message);
        throw error;
    }
    finally {
        store?.dispose();
    }
}
/** What makes a stored result: a new version, another size limit or remote callees read make it stale. */
function storeKey(maxBytes, resolveRemote) {
    return `${version/* VERSION */.x} max-file-size=${maxBytes} resolve-remote=${resolveRemote}`;
}
/** The inventory of an owner, for the CLI and the action alike: the API from the environment, then the run. */
async function inventoryOf(settings) {
    const { env, maxBytes, store } = settings;
    const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
    const server = (0,address/* serverFor */.xY)(apiUrl, env.GITHUB_SERVER_URL);
    const api = new GitHubApi({
        apiUrl,
        graphqlUrl: graphqlUrlFor(apiUrl, env.GITHUB_GRAPHQL_URL),
        token: settings.token,
        timeoutMs: TIMEOUT_MS,
        maxRequests: settings.maxRequests,
    });
    const contents = settings.resolveRemote ? new GraphQLContents(api, maxBytes) : undefined;
    const cacheDir = settings.cacheDir ?? (env.CI ? undefined : (0,cache.defaultCacheDir)(env, process.platform));
    const source = contents && cacheDir ? new cache/* ShaCache */.D(cacheDir, contents, maxBytes) : contents;
    const progress = settings.progress;
    const run = await runInventory({
        owner: settings.owner,
        api,
        ...(settings.named ? { named: settings.named } : {}),
        includeArchived: settings.includeArchived,
        includeForks: settings.includeForks,
        ...(settings.shard ? { shard: settings.shard } : {}),
        maxBytes,
        ...(source ? { remote: { source, known: actions/* knownWithoutReading */.yI, server } } : {}),
        store,
        ...(progress
            ? {
                progress: (done, total) => progress(`\rclaude-route-guard org: ${done} of ${total} repositories${api.remaining === undefined ? '' : `, ${api.remaining} of the rate limit left`}`),
            }
            : {}),
    });
    return { doc: documentOf(settings.owner, server, store, run.unreadable, run.leftOut), run, api };
}
/** GitHub's GraphQL endpoint beside a REST base: api.github.com/graphql, or a server's /api/graphql. */
function graphqlUrlFor(apiUrl, named) {
    if (named)
        return named;
    const api = apiUrl.replace(/\/+$/, '');
    return /\/api\/v3$/i.test(api) ? api.replace(/\/v3$/i, '/graphql') : `${api}/graphql`;
}
const MERGE_OPTIONS = {
    format: { type: 'string', default: 'text' },
    out: { type: 'string' },
    help: { type: 'boolean', default: false, short: 'h' },
};
/** `claude-route-guard merge FILE...`: shards' JSON into the report one run would have written. */
async function runMerge(argv, io) {
    let parsed;
    try {
        parsed = (0,external_node_util_.parseArgs)({ args: argv, allowPositionals: true, options: MERGE_OPTIONS });
    }
    catch (error) {
        return cli_fail(io, `${error.message.replace(/\.$/, '')}; merge --help lists the options`);
    }
    const { values, positionals } = parsed;
    if (values.help) {
        io.stdout(ORG_USAGE);
        return 0;
    }
    let store;
    try {
        if (positionals.length === 0)
            throw new load/* UsageError */.eb('merge takes the inventory JSON files to combine');
        const format = formatOf(values.format, values.out);
        const out = values.out === undefined ? undefined : (0,external_node_path_.resolve)(io.cwd, values.out);
        store = ResultStore.open(undefined, 'merge');
        const doc = mergeInventories(positionals.map((file) => ({ file, absolute: (0,external_node_path_.resolve)(io.cwd, file) })), store);
        emit(io, doc, format, out);
        return doc.unreadable.length > 0 ? 1 : 0;
    }
    catch (error) {
        if (error instanceof load/* UsageError */.eb)
            return cli_fail(io, error.message);
        throw error;
    }
    finally {
        store?.dispose();
    }
}
function write(io, pieces) {
    if (io.write)
        (0,stream/* writeInBatches */.Hh)(pieces, io.write);
    else
        io.stdout([...pieces].join(''));
}
function* lines(source) {
    for (const line of source)
        yield `${line}\n`;
}
/** The document in one format: on stdout, or for SARIF one file per repository under `out`. */
function emit(io, doc, format, out) {
    switch (format) {
        case 'json':
            write(io, jsonLines(inventoryJsonPieces(doc)));
            return;
        case 'csv':
            write(io, lines(inventoryCsv(doc)));
            return;
        case 'markdown':
            write(io, [`${inventoryMarkdown(doc, Number.MAX_SAFE_INTEGER)}\n`]);
            return;
        case 'sarif': {
            const written = [];
            for (const name of doc.names) {
                const done = (0,src_files/* writeInside */.Mt)([out], `sarif/${name}.sarif`, (0,sarif/* sarifOutput */.bO)(reportOf(doc.get(name)), version/* VERSION */.x).text);
                if ('refused' in done)
                    throw new load/* UsageError */.eb(`--out ${out}: sarif/${name}.sarif was not written: ${done.refused}`);
                written.push(done.written);
            }
            write(io, lines(written.map(report_escape/* terminalText */.eR)));
            return;
        }
        default:
            write(io, lines(inventoryText(doc)));
    }
}
/** JSON that is also safe in a runner log; a piece never splits a string, so each is escaped alone. */
function* jsonLines(pieces) {
    for (const piece of pieces)
        yield (0,report_escape/* jsonText */.s$)(piece);
    yield '\n';
}


/***/ }),

/***/ 7418:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   J: () => (/* binding */ readAnswer)
/* harmony export */ });
async function readAnswer(response, limit) {
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > limit) {
        await response.body?.cancel().catch(() => undefined);
        return { over: true };
    }
    if (!response.body)
        return { bytes: Buffer.alloc(0) };
    const reader = response.body.getReader();
    const chunks = [];
    let size = 0;
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done)
                break;
            size += value.length;
            if (size > limit) {
                await reader.cancel().catch(() => undefined);
                return { over: true };
            }
            chunks.push(Buffer.from(value));
        }
    }
    catch {
        // The connection closed or the request's signal (its timeout, the run's deadline) ended it.
        return { cut: true };
    }
    return { bytes: Buffer.concat(chunks) };
}


/***/ }),

/***/ 3512:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   D: () => (/* binding */ ShaCache),
/* harmony export */   defaultCacheDir: () => (/* binding */ defaultCacheDir)
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
