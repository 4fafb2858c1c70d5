import {
  API_KEY_SOURCES,
  USAGE_PROVIDERS,
  type ApiKeySource,
  type UsageProvider,
  type RunEvidence,
} from '../claude/proof.js';
import { locate, positionAt, type Located } from './locate.js';
import { LogError, type LogMessage, type Position } from './scanner.js';

/**
 * The runs of one log, folded from its messages: `system/init` opens a run (a resumed session starts a
 * new one), `rate_limit_event` is counted, the run's last `result` gives turns, time, tokens and the
 * estimated cost. Every field used is shape-checked, unknown fields are ignored, and what is kept is
 * enums from a closed set and numbers: nothing of the log's text survives this fold.
 */

/** The message types the fold reads; every other message is only checked for structure. */
export const READ_TYPES: ReadonlySet<string> = new Set(['system', 'result', 'rate_limit_event']);

/** Why a run failed, from a fixed catalogue; the log's own words are never repeated. */
export const FAILURES = [
  'no-init',
  'no-result',
  'subscription-window-spent',
  'credential-rejected',
  'subscription-access-disabled',
  'max-turns',
  'max-budget',
  'api-error',
  'error',
] as const;
export type FailureKind = (typeof FAILURES)[number];

export interface Failure {
  kind: FailureKind;
  /** `result.api_error_status` when it is an HTTP status. */
  apiErrorStatus: number | null;
}

export interface ModelUse {
  /** The model id when it reads as a Claude model id (family words and numbers only), else `other`. */
  model: string;
  provider: UsageProvider | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cacheReadInputTokens: number | null;
  cacheCreationInputTokens: number | null;
  costUsdEstimate: number | null;
}

export interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

export interface RunFacts {
  /** 1-based, in the order the log holds the runs. */
  run: number;
  /** Its `system/init`, or its first message when it has none. */
  start: Position;
  evidence: RunEvidence;
  rejectedRateLimitEvents: number;
  /** Where the evidence is written: the value of `apiKeySource`, each provider's first value, the first rate-limit event. */
  places: {
    apiKeySource?: Located;
    providers: Partial<Record<UsageProvider, Located>>;
    rateLimitEvent?: Located;
  };
  claudeCodeVersion: string | null;
  models: ModelUse[];
  turns: number | null;
  durationMs: number | null;
  tokens: Tokens | null;
  costUsdEstimate: number | null;
  failure: Failure | null;
}

/**
 * A Claude model id as the API, Bedrock (`us.anthropic.…-v1:0`) or Vertex (`…@20250929`) names it, with
 * Claude Code's `[1m]`: a family word and numbers, nothing a log could smuggle text through.
 */
const MODEL_ID =
  /^(?:(?:us|eu|apac|global|jp|au|ca|us-gov)\.)?(?:anthropic\.)?claude-(?:\d{1,8}-){0,3}(?:opus|sonnet|haiku|instant)(?:-\d{1,8}){0,4}(?:@\d{8})?(?:-v\d{1,3}(?::\d{1,3})?)?(?:\[1m\])?$/;
const VERSION = /^\d{1,4}\.\d{1,4}\.\d{1,6}$/;
const SUBSCRIPTION_REFUSED = /organi[sz]ation has disabled claude subscription access/i;

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const count = (v: unknown): number | null =>
  Number.isSafeInteger(v) && (v as number) >= 0 ? (v as number) : null;
const amount = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null;
const status = (v: unknown): number | null =>
  Number.isInteger(v) && (v as number) >= 100 && (v as number) <= 599 ? (v as number) : null;

function apiKeySourceOf(v: unknown): ApiKeySource {
  return typeof v === 'string' && (API_KEY_SOURCES as readonly string[]).includes(v)
    ? (v as ApiKeySource)
    : 'other';
}

function providerOf(v: unknown): UsageProvider | null {
  if (typeof v !== 'string') return null;
  return (USAGE_PROVIDERS as readonly string[]).includes(v) ? (v as UsageProvider) : 'other';
}

export function modelName(id: string): string {
  return id.length <= 80 && MODEL_ID.test(id) ? id : 'other';
}

/** The last `result` of a run, shape-checked. */
interface ResultFacts {
  isError: boolean;
  apiErrorStatus: number | null;
  subtype: 'error_max_turns' | 'error_max_budget_usd' | undefined;
  refused: boolean;
  rejectedBefore: number;
  turns: number | null;
  durationMs: number | null;
  costUsdEstimate: number | null;
  models: ModelUse[];
  providerPlaces: Partial<Record<UsageProvider, Located>>;
}

interface Draft {
  start: Position;
  init: boolean;
  apiKeySource: ApiKeySource | null;
  apiKeySourceAt?: Located;
  version: string | null;
  rateLimitEvents: number;
  rejected: number;
  rateLimitAt?: Located;
  result?: ResultFacts;
}

const draft = (start: Position, init: boolean): Draft => ({
  start,
  init,
  apiKeySource: null,
  version: null,
  rateLimitEvents: 0,
  rejected: 0,
});

/** Messages in, runs out; `add` throws a LogError at the position of a message that is not JSON. */
export class RunFold {
  private readonly drafts: Draft[] = [];

  add(message: LogMessage): void {
    const value = message.text === undefined ? undefined : parse(message);
    const type = isObject(value) ? value.type : message.type;
    if (type === 'system' && isObject(value) && value.subtype === 'init') {
      this.init(value, message);
      return;
    }
    const current = this.current(message);
    if (!isObject(value)) return;
    if (type === 'rate_limit_event') {
      current.rateLimitEvents++;
      current.rateLimitAt ??= locate(message.text!, ['type'], message);
      const info = value.rate_limit_info;
      if (isObject(info) && info.status === 'rejected') current.rejected++;
    } else if (type === 'result') {
      current.result = resultFacts(value, message, current.rejected);
    }
  }

  /** The runs, at least one: a log with no message at all is a run that never started. */
  finish(): RunFacts[] {
    if (this.drafts.length === 0) this.drafts.push(draft({ line: 1, column: 1 }, false));
    return this.drafts.map(factsOf);
  }

  private init(value: Json, message: LogMessage): void {
    // Messages before the first init belong to no run that started; a run that did start ends here.
    const last = this.drafts.at(-1);
    const run = last && !last.init && last.result === undefined ? last : undefined;
    const opened = run ?? draft(message, true);
    if (!run) this.drafts.push(opened);
    opened.start = { line: message.line, column: message.column };
    opened.init = true;
    opened.apiKeySource = apiKeySourceOf(value.apiKeySource);
    opened.apiKeySourceAt = locate(message.text!, ['apiKeySource'], message);
    opened.version =
      typeof value.claude_code_version === 'string' && VERSION.test(value.claude_code_version)
        ? value.claude_code_version
        : null;
  }

  private current(message: LogMessage): Draft {
    const last = this.drafts.at(-1);
    if (last) return last;
    const opened = draft({ line: message.line, column: message.column }, false);
    this.drafts.push(opened);
    return opened;
  }
}

function parse(message: LogMessage): unknown {
  try {
    return JSON.parse(message.text!) as unknown;
  } catch (error) {
    // The parser's own message quotes the text; only its position is kept.
    const offset = /position (\d+)/.exec((error as Error).message)?.[1];
    const at = offset === undefined ? message : positionAt(message.text!, Number(offset), message);
    throw new LogError(at, 'a message is not valid JSON');
  }
}

function resultFacts(value: Json, message: LogMessage, rejectedBefore: number): ResultFacts {
  const models: ModelUse[] = [];
  const providerPlaces: Partial<Record<UsageProvider, Located>> = {};
  const usage = value.modelUsage;
  if (isObject(usage)) {
    for (const [id, entry] of Object.entries(usage)) {
      if (!isObject(entry)) continue;
      const provider = providerOf(entry.provider);
      if (provider && !providerPlaces[provider])
        providerPlaces[provider] = locate(message.text!, ['modelUsage', id, 'provider'], message);
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
    apiErrorStatus: status(value.api_error_status),
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

function failureOf(d: Draft): Failure | null {
  const result = d.result;
  const apiErrorStatus = result?.apiErrorStatus ?? null;
  if (!d.init) return { kind: 'no-init', apiErrorStatus };
  if (!result) return { kind: 'no-result', apiErrorStatus: null };
  if (!result.isError) return null;
  const kind: FailureKind = result.refused
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

function tokensOf(models: ModelUse[]): Tokens | null {
  if (models.length === 0) return null;
  const sum = (pick: (m: ModelUse) => number | null): number =>
    models.reduce((n, m) => n + (pick(m) ?? 0), 0);
  return {
    input: sum((m) => m.inputTokens),
    output: sum((m) => m.outputTokens),
    cacheRead: sum((m) => m.cacheReadInputTokens),
    cacheCreation: sum((m) => m.cacheCreationInputTokens),
  };
}

function factsOf(d: Draft, index: number): RunFacts {
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
