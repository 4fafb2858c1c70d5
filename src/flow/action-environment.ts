import { parseShell, type Word } from '../shell/reader.js';
import { claudeEnvLines } from '../workflow/claude-env.js';
import type { Entry, Value } from '../workflow/model.js';
import {
  doubted,
  resolveText,
  resolveValue,
  type Binding,
  type Resolved,
  type Scope,
} from '../workflow/values.js';
import {
  FLAVOUR_TRAITS,
  officialInputs,
  misnamedInput,
  PASSED_THROUGH,
  type ActionFlavour,
  type InputEffect,
  type OfficialInput,
} from './action-inputs.js';
import { releaseHas, type Release } from './action-versions.js';
import { Environment, type ProcessEnvironment, type Site } from './environment.js';
import type { JobFlow } from './levels.js';
import { applyRunSettings, applySettingsText, applySettingsWord, applyStoredLogin } from './settings.js';

/** An input under a name the action does not have: ignored, so what it carries never reaches Claude. */
export interface IgnoredInput {
  entry: Entry;
  suggestion: string;
  value: Resolved;
}

/** The environment the official action gives Claude, and what it leaves out. */
export interface ActionEnvironment extends ProcessEnvironment {
  ignoredInputs: IgnoredInput[];
  /** The words of `claude_args`, when given: Claude Code's own arguments. */
  claudeArgs?: Word[];
}

/** One step's use of the action: its address, how that address maps inputs, and what `with:` gives. */
export interface ActionStep {
  uses: string;
  flavour: ActionFlavour;
  given: Entry[];
  /** The release of anthropics/claude-code-action the ref runs; undefined for an address without releases of its own. */
  release?: Release;
  /** CLAUDE_CODE_RESTRICTED is on in the step's env: Claude reads no user, project or local settings file. */
  restricted?: boolean;
}

/** What applying the inputs needs at hand: the step's env and scope, the place, and the result so far. */
interface Applying {
  step: ActionStep;
  env: ReadonlyMap<string, Binding>;
  scope: Scope;
  site: Site;
  entries: Map<string, Entry>;
  out: ActionEnvironment;
}

/**
 * What reaches Claude through the official action: the variables it passes through from the step's env,
 * each input as OFFICIAL_INPUTS says the address reads it, then the repository's settings and a stored
 * login, as for every run of the job. `hidden` holds what the action cancels in the step's env.
 */
export function officialActionEnvironment(
  step: ActionStep,
  env: ReadonlyMap<string, Binding>,
  scope: Scope,
  site: Site,
  job: JobFlow,
): ActionEnvironment {
  const out: ActionEnvironment = { bindings: Environment.empty(), hidden: [], notes: [], ignoredInputs: [] };
  const at: Applying = { step, env, scope, site, entries: new Map(step.given.map((e) => [e.name, e])), out };
  const { readsEnvironment } = FLAVOUR_TRAITS[step.flavour];
  if (readsEnvironment) for (const variable of PASSED_THROUGH) set(at, env.get(variable));
  for (const [name, input] of officialInputs()) {
    if (!input.readBy.includes(step.flavour)) continue;
    const has = releaseHas(step.release, input.since, (read) => read.inputs.has(name));
    if (has === false) {
      if (at.entries.has(name))
        out.notes.push(
          `${releaseName(step)} has no \`${name}\` input (it came in ${input.since}), so it is ignored`,
        );
      continue;
    }
    APPLY[input.effect](at, name, input);
    if (has === undefined && at.entries.has(name) && input.becomes)
      doubt(
        at,
        input.becomes,
        `is read from input \`${name}\` only from ${input.since}, and ${unknownWhy(step)}`,
      );
  }
  for (const entry of step.given) {
    const suggestion = misnamedInput(entry.name, step.flavour);
    if (suggestion) out.ignoredInputs.push({ entry, suggestion, value: resolveValue(entry.value, scope) });
  }
  if (step.flavour === 'v1' && out.bindings.get('ANTHROPIC_AUTH_TOKEN')?.value.presence === 'set') {
    out.notes.push(
      'the action passes ANTHROPIC_AUTH_TOKEN through from the job environment, but its validator also requires anthropic_api_key or claude_code_oauth_token (anthropics/claude-code-action#1294)',
    );
  }
  // `--restricted` in claude_args (or CLAUDE_CODE_RESTRICTED): no user, project or local settings file.
  const restricted = step.restricted || out.claudeArgs?.some((w) => w.text === '--restricted') === true;
  if (readsEnvironment) applyRunSettings(out, site, { job, restricted });
  applyStoredLogin(out, job, site);
  return out;
}

function set(at: Applying, b: Binding | undefined): void {
  if (b) at.out.bindings.set(b.variable, b);
}

/** The input `name` as a binding of `variable`, read in the step's scope; undefined when not given. */
function given(at: Applying, name: string, variable: string): Binding | undefined {
  const entry = at.entries.get(name);
  if (!entry) return undefined;
  return {
    variable,
    level: 'action-input',
    value: resolveValue(entry.value, at.scope),
    file: at.site.file,
    keySpan: entry.nameSpan,
  };
}

/** The step's env sets `variable`, but the action puts something else in its place. */
function hide(at: Applying, variable: string, why: string): void {
  const b = at.env.get(variable);
  if (b && b.value.presence !== 'empty') at.out.hidden.push({ binding: b, why });
}

/** The action's address, with the release a commit or moving tag runs: `…@fefa07e… (v1.0.111)`. */
function releaseName(step: ActionStep): string {
  const release = step.release;
  if (!release || release.known === 'no' || step.uses.endsWith(`@${release.shown}`)) return step.uses;
  return `${step.uses} (${release.shown})`;
}

function unknownWhy(step: ActionStep): string {
  return step.release?.known === 'no' ? step.release.why : 'the release is not known';
}

/** What only a release nobody could read decides: a variable it may or may not hand Claude. */
function doubt(at: Applying, variable: string, why: string): void {
  const b = at.out.bindings.get(variable);
  if (b && b.value.presence === 'set') set(at, { ...b, value: doubted(b.value, why) });
}

/** How each effect an input can have reaches Claude's environment: a new effect must say how, here. */
const APPLY: Record<InputEffect, (at: Applying, name: string, input: OfficialInput) => void> = {
  credential: (at, name, input) => credentialInput(at, name, input),
  switch: (at, name, input) => switchInput(at, name, input.becomes!),
  value: (at, name, input) => set(at, given(at, name, input.becomes!)),
  'fork-oauth': (at, name, input) => forkOauthInput(at, name, input.becomes!),
  'env-lines': (at, name) => {
    const entry = at.entries.get(name);
    if (entry) for (const b of claudeEnvBindings(entry.value, at.scope, at.site.file)) set(at, b);
  },
  settings: (at, name) => {
    const entry = at.entries.get(name);
    if (entry && entry.value.text.trim())
      applySettingsText(at.out, entry.value.text, entry.value, at.scope, at.site, 'action-input');
  },
  arguments: argumentsInput,
  // A turn limit bounds spend; it sets nothing in the environment.
  'spend-limit': () => undefined,
};

function credentialInput(at: Applying, name: string, input: OfficialInput): void {
  const variable = input.becomes!;
  const b = given(at, name, variable);
  const fallsBack =
    at.step.flavour === 'v1' &&
    releaseHas(at.step.release, input.fallbackSince, (read) => read.fallbacks.has(name));
  const inputEmpty = !b || b.value.presence === 'empty';
  const inEnv = at.env.get(variable);
  if (fallsBack === true || (fallsBack === undefined && !inputEmpty)) {
    // `inputs.x || env.X` (from fallbackSince): an empty input falls back to the environment's value.
    set(at, inputEmpty ? (inEnv ?? b) : b);
    return;
  }
  if (fallsBack === undefined && inEnv) {
    const why = `reaches Claude only if the action is ${input.fallbackSince} or later, where an empty \`${name}\` falls back to it, and ${unknownWhy(at.step)}`;
    set(at, inEnv.value.presence === 'set' ? { ...inEnv, value: doubted(inEnv.value, why) } : inEnv);
    return;
  }
  set(at, b);
  if (b?.value.presence === 'set') return;
  const why =
    at.step.flavour === 'v1'
      ? `${releaseName(at.step)} writes its empty \`${name}\` input over the environment's ${variable}; only ${input.fallbackSince} and later fall back to it`
      : `${at.step.uses} reads \`${name}\` only, so the environment's ${variable} does not reach Claude`;
  hide(at, variable, why);
}

function switchInput(at: Applying, name: string, variable: string): void {
  const b = given(at, name, variable);
  if (b) {
    // The action turns the switch on only when the input is exactly 'true'.
    const literal = b.value.literal;
    if (b.value.form === 'literal') {
      b.value =
        literal === 'true' ? { ...b.value, literal: '1' } : { ...b.value, presence: 'empty', literal: '' };
    }
    set(at, b);
  }
  if (!b || b.value.presence === 'empty') {
    hide(
      at,
      variable,
      `${at.step.uses} sets ${variable} from its \`${name}\` input, which cancels the environment's value`,
    );
  }
}

function forkOauthInput(at: Applying, name: string, variable: string): void {
  const b = given(at, name, variable);
  if (b && b.value.presence !== 'empty' && !at.out.bindings.get(variable)) {
    set(at, b);
    at.out.notes.push(`input \`${name}\` hands the action a subscription's OAuth token`);
  }
}

/** `claude_args`: its words, and the settings `--settings` names in them. */
function argumentsInput(at: Applying, name: string): void {
  const entry = at.entries.get(name);
  if (!entry) return;
  const words = parseShell(entry.value.text).flatMap((c) => c.words);
  // `${{ inputs.claude_args }}` a caller (or the input's default) fills with text: Claude's arguments are that text.
  const passed = entry.value.text.includes('${{') ? resolveValue(entry.value, at.scope) : undefined;
  at.out.claudeArgs =
    passed?.form === 'literal' ? parseShell(passed.literal ?? '').flatMap((c) => c.words) : words;
  const settingsIndex = words.findIndex((w) => w.text === '--settings');
  const settingsWord = words[settingsIndex + 1];
  if (settingsIndex !== -1 && settingsWord)
    applySettingsWord(at.out, settingsWord, entry.value, at.scope, at.site);
}

/** `claude_env` holds `KEY: value` lines that the action puts into Claude's environment. */
function claudeEnvBindings(value: Value, scope: Scope, file: string): Binding[] {
  return claudeEnvLines(value.text).map(({ line, lineStart, name, nameAt, rest }) => {
    const written = rest.trim();
    const keyStart = lineStart + nameAt;
    const valueStart = lineStart + line.lastIndexOf(written);
    const unquoted = written.replace(/^(["'])(.*)\1$/, '$2');
    return {
      variable: name,
      level: 'action-input',
      file,
      keySpan: value.spanAt(keyStart, keyStart + name.length),
      value: resolveText(unquoted, scope, file, value.spanAt(valueStart, valueStart + written.length)),
    };
  });
}
