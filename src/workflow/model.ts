import { isAlias, isMap, isNode, isPair, isScalar, isSeq, parseDocument, Scalar, visit } from 'yaml';
import type { Alias, Document, Node, Pair, YAMLMap } from 'yaml';
import { containerEnv, services, type Service } from './containers.js';
import { meter } from '../meter.js';
import type { Span } from '../types.js';
import { readMatrix, type Matrix } from './matrix.js';
import { readTriggers, type Trigger, type WorkflowCallInput } from './triggers.js';

export type { Trigger, WorkflowCallInput } from './triggers.js';
import { walkDocument } from './yaml-walk.js';
import { SourceFile, valueOffsets } from './source.js';

/** A scalar as written in the file: its text value, where it stands, and how to find offsets inside it. */
export interface Value {
  text: string;
  span: Span;
  /** True for scalars; maps and sequences keep an empty text. */
  scalar: boolean;
  /** Maps an offset in `text` to the span of that character in the file. */
  spanAt(start: number, end: number): Span;
}

export interface Entry {
  name: string;
  nameSpan: Span;
  value: Value;
}

export interface Step {
  index: number;
  span: Span;
  id?: Value;
  name?: Value;
  uses?: Value;
  run?: Value;
  shell?: Value;
  if?: Value;
  /** A step's own `timeout-minutes` (not allowed inside a composite action). */
  timeoutMinutes?: Value;
  /** `working-directory:` of a `run:` step: where its script, and a Claude it starts, begin. */
  workingDirectory?: Value;
  with: Entry[];
  env: Entry[];
}

export interface Job {
  id: string;
  idSpan: Span;
  name?: Value;
  runsOn?: Value;
  /** The labels `runs-on` names, as one scalar or a list of them; unset for a group or a mapping. */
  runsOnLabels?: string[];
  env: Entry[];
  steps: Step[];
  uses?: Value;
  with: Entry[];
  secrets: Entry[];
  secretsInherit?: Span;
  timeoutMinutes?: Value;
  if?: Value;
  /** The jobs `needs:` names: their `outputs` are what `needs.<id>.outputs.*` reads. */
  needs: string[];
  /** `outputs:`: what later jobs read as `needs.<id>.outputs.<name>`. */
  outputs: Entry[];
  matrix?: Span;
  /** The combinations `strategy.matrix` runs, when the files fix them. */
  matrixValues?: Matrix;
  permissions: Entry[];
  /** `container.env`: reaches every step of a container job. */
  containerEnv: Entry[];
  /** `services:`: containers created before the steps, each with its own `env:`. */
  services: Service[];
  /** `defaults.run.shell` of the job. */
  defaultShell?: Value;
  /** `defaults.run.working-directory` of the job. */
  defaultWorkingDirectory?: Value;
}

export interface Workflow {
  kind: 'workflow';
  file: string;
  source: SourceFile;
  name?: Value;
  triggers: Trigger[];
  onSpan?: Span;
  env: Entry[];
  jobs: Job[];
  callInputs: WorkflowCallInput[];
  callSecrets: string[];
  /** `on.workflow_dispatch.inputs`: `${{ inputs.* }}` is what whoever dispatches the run picks. */
  dispatchInputs: WorkflowCallInput[];
  permissions: Entry[];
  /** `defaults.run.shell` of the workflow. */
  defaultShell?: Value;
  /** `defaults.run.working-directory` of the workflow. */
  defaultWorkingDirectory?: Value;
}

export interface ActionInput {
  name: string;
  nameSpan: Span;
  default?: Value;
}

export interface ActionMetadata {
  kind: 'action';
  file: string;
  source: SourceFile;
  name?: Value;
  using?: Value;
  inputs: ActionInput[];
  /** A composite action's `outputs.<name>.value`: what the caller's `steps.<id>.outputs.<name>` reads. */
  outputs: Entry[];
  steps: Step[];
  /** A Docker action's `runs.env`, `runs.image`, and `runs.args` joined as the container's command line. */
  runsEnv: Entry[];
  image?: Value;
  args: Value[];
}

export type Parsed =
  | Workflow
  | ActionMetadata
  | { kind: 'error'; file: string; source: SourceFile; message: string; span: Span }
  | { kind: 'other'; file: string; source: SourceFile; reason: string };

const MAX_ALIAS_HOPS = 8;
/** Jobs and steps one file may expand to (through aliases): far above any real workflow. */
export const MAX_MODEL_NODES = 20000;
/**
 * Characters the model may read through aliases, on top of the file itself: an alias costs its target's
 * whole text each time it is followed, so nested aliases in a few KB cannot stand for megabytes of
 * steps, scripts and env entries. Far above what real workflows repeat (an env block reused by a
 * thousand steps is under a megabyte).
 */
export const MAX_ALIASED_CHARACTERS = 2_000_000;

/** A file whose model would be larger than any real workflow; the message says which bound it passed. */
class TooLarge extends Error {}

/** Reads a YAML file into the workflow model; what it is (workflow or action) is decided by its content. */
export function parseFile(file: string, rawText: string): Parsed {
  return read(file, rawText, undefined) as Parsed;
}

/** A well-formed workflow or action that modelling is proven to find nothing in. */
export interface Inert {
  kind: 'inert';
  file: string;
  source: SourceFile;
}

/** What proves a file inert: a test of its raw text, and one of each double-quoted string's value. */
export interface WorthModelling {
  text: (text: string) => boolean;
  quoted: (value: string) => boolean;
}

/**
 * Like parseFile, but a well-formed workflow or action that `worth` rejects is only checked (YAML
 * errors, duplicate keys, its kind), not modelled: the result is the same report.
 */
export function checkFile(file: string, rawText: string, worth: WorthModelling): Parsed | Inert {
  return read(file, rawText, worth.text(rawText) ? undefined : worth.quoted);
}

/** Without aliases, more than MAX_MODEL_NODES jobs and steps take at least two characters each. */
const CANNOT_BE_TOO_LARGE = MAX_MODEL_NODES * 2;

function read(
  file: string,
  rawText: string,
  quotedWorthModelling: ((value: string) => boolean) | undefined,
): Parsed | Inert {
  // A byte-order mark is invisible to a person reading the file, so columns are counted without it.
  const text = rawText.charCodeAt(0) === 0xfeff ? rawText.slice(1) : rawText;
  const source = new SourceFile(file, text);
  let doc: Document.Parsed;
  try {
    // yaml's own uniqueKeys check is quadratic in the keys of a map; duplicateKey() is linear.
    doc = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    return {
      kind: 'error',
      file,
      source,
      message: `cannot parse YAML: ${String(error)}`,
      span: source.span(0, 0),
    };
  }
  const firstError = doc.errors[0];
  if (firstError) {
    const offset = firstError.pos[0];
    return {
      kind: 'error',
      file,
      source,
      message: `YAML syntax error: ${firstError.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
      span: source.span(offset, Math.max(offset + 1, firstError.pos[1])),
    };
  }
  const { refused, aliases, quoted } = walkDocument(doc);
  if (refused)
    return {
      kind: 'error',
      file,
      source,
      message: refused.message,
      span: source.span(refused.start, refused.end),
    };
  try {
    return model(new Reader(source, doc), doc, { file, source, aliases, quoted, quotedWorthModelling });
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return { kind: 'error', file, source, message: error.message, span: source.span(0, 0) };
  }
}

/** The model of a parsed, well-formed document; TooLarge when aliases make it larger than any real file. */
function model(
  reader: Reader,
  doc: Document,
  read: {
    file: string;
    source: SourceFile;
    aliases: boolean;
    quoted: readonly string[];
    quotedWorthModelling: ((value: string) => boolean) | undefined;
  },
): Parsed | Inert {
  const { file, source, aliases, quoted, quotedWorthModelling } = read;
  const root = reader.resolve(doc.contents);
  if (!isMap(root)) {
    return { kind: 'other', file, source, reason: 'not a YAML mapping' };
  }
  const top = reader.entries(root);
  const has = (key: string): boolean => top.some((p) => p.key === key);
  const kind = has('jobs') || (has('on') && !has('runs')) ? 'workflow' : has('runs') ? 'action' : undefined;
  if (!kind) {
    return {
      kind: 'other',
      file,
      source,
      reason: 'neither a workflow (no `jobs:` or `on:`) nor action metadata (no `runs:`)',
    };
  }
  if (
    quotedWorthModelling &&
    !aliases &&
    source.text.length <= CANNOT_BE_TOO_LARGE &&
    !quoted.some(quotedWorthModelling)
  )
    return { kind: 'inert', file, source };
  return kind === 'workflow' ? reader.workflow(top) : reader.action(top);
}

export interface KeyedNode {
  key: string;
  keyNode: Scalar | null;
  pair: Pair;
  value: Node | null;
}

export class Reader {
  constructor(
    private readonly source: SourceFile,
    private readonly doc: Document,
  ) {}

  private nodes = 0;

  /** Counts jobs and steps read: aliases can repeat a large list many times. */
  spend(count: number): void {
    this.nodes += count;
    if (this.nodes > MAX_MODEL_NODES)
      throw new TooLarge(
        `this file has (or expands to, through YAML aliases) more than ${MAX_MODEL_NODES} jobs and steps, more than any real workflow`,
      );
  }

  private aliased = 0;

  /** Counts the text an alias stands for each time it is followed. */
  private spendAliased(target: Node): void {
    const range = target.range;
    const characters = range ? range[1] - range[0] : 0;
    meter.aliased(characters);
    this.aliased += characters;
    if (this.aliased > MAX_ALIASED_CHARACTERS)
      throw new TooLarge(
        `this file expands, through YAML aliases, to more than ${MAX_ALIASED_CHARACTERS} characters, more than any real workflow repeats`,
      );
  }

  /** Anchored nodes by name, in document order; built once, since yaml walks the whole document per alias. */
  private anchors: Map<string, Node[]> | undefined;

  /** The node an alias names: the last anchor of that name that starts before the alias. */
  private target(alias: Alias): Node | null {
    if (!this.anchors) {
      const anchors = new Map<string, Node[]>();
      visit(this.doc, (_key, node) => {
        if (!isNode(node) || isAlias(node) || !node.anchor) return;
        const named = anchors.get(node.anchor);
        if (named) named.push(node);
        else anchors.set(node.anchor, [node]);
      });
      this.anchors = anchors;
    }
    const at = alias.range?.[0] ?? Infinity;
    let found: Node | null = null;
    for (const node of this.anchors.get(alias.source) ?? []) if ((node.range?.[0] ?? 0) < at) found = node;
    return found;
  }

  /** Follows anchors (`*name`) a bounded number of hops, so alias chains cannot make the walk explode. */
  resolve(node: unknown, hops = 0): Node | null {
    if (isAlias(node)) {
      if (hops >= MAX_ALIAS_HOPS) return null;
      const target = this.target(node);
      if (target) this.spendAliased(target);
      return target ? this.resolve(target, hops + 1) : null;
    }
    return (node as Node | null | undefined) ?? null;
  }

  entries(map: YAMLMap): KeyedNode[] {
    const out: KeyedNode[] = [];
    for (const item of map.items) {
      if (!isPair(item)) continue;
      const keyNode = this.resolve(item.key);
      const key = isScalar(keyNode) ? String(keyNode.value ?? '') : '';
      out.push({
        key,
        keyNode: isScalar(keyNode) ? keyNode : null,
        pair: item,
        value: this.resolve(item.value),
      });
    }
    return out;
  }

  nodeSpan(node: Node | null | undefined, fallback?: Span): Span {
    const range = node?.range;
    if (!range) return fallback ?? this.source.span(0, 0);
    return this.source.span(range[0], range[1]);
  }

  keySpan(entry: KeyedNode): Span {
    return this.nodeSpan(entry.keyNode);
  }

  value(node: Node | null, keyEntry?: KeyedNode): Value {
    const source = this.source;
    if (isScalar(node) && node.range) {
      const text = node.value === null || node.value === undefined ? '' : String(node.value);
      const [start, end] = node.range;
      const block = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED;
      let offsets: Int32Array | undefined;
      return {
        text,
        span: block ? blockSpan(source, start, end) : source.span(start, end),
        scalar: true,
        spanAt(a: number, b: number): Span {
          offsets ??= valueOffsets(source.text, start, end, text, block);
          const from = offsets[Math.max(0, Math.min(a, text.length))]!;
          const to = offsets[Math.max(0, Math.min(b, text.length))]!;
          return source.span(from, Math.max(from + Math.min(1, b - a), to));
        },
      };
    }
    const span = node ? this.nodeSpan(node) : keyEntry ? this.keySpan(keyEntry) : source.span(0, 0);
    return { text: '', span, scalar: node === null || isScalar(node), spanAt: () => span };
  }

  mapEntries(node: Node | null): Entry[] {
    if (!isMap(node)) return [];
    return this.entries(node).map((e) => ({
      name: e.key,
      nameSpan: this.keySpan(e),
      value: this.value(e.value, e),
    }));
  }

  get(entries: KeyedNode[], key: string): KeyedNode | undefined {
    return entries.find((e) => e.key === key);
  }

  optionalValue(entries: KeyedNode[], key: string): Value | undefined {
    const entry = this.get(entries, key);
    return entry ? this.value(entry.value, entry) : undefined;
  }

  steps(node: Node | null): Step[] {
    if (!isSeq(node)) return [];
    this.spend(node.items.length);
    const steps: Step[] = [];
    node.items.forEach((raw, index) => {
      const item = this.resolve(raw);
      if (!isMap(item)) return;
      const e = this.entries(item);
      const step: Step = {
        index,
        span: this.nodeSpan(item),
        with: this.mapEntries(this.get(e, 'with')?.value ?? null),
        env: this.mapEntries(this.get(e, 'env')?.value ?? null),
      };
      for (const key of ['id', 'name', 'uses', 'run', 'shell', 'if'] as const) {
        const v = this.optionalValue(e, key);
        if (v) step[key] = v;
      }
      const timeout = this.optionalValue(e, 'timeout-minutes');
      if (timeout) step.timeoutMinutes = timeout;
      const folder = this.optionalValue(e, 'working-directory');
      if (folder) step.workingDirectory = folder;
      steps.push(step);
    });
    return steps;
  }

  sequence(node: Node | null): Value[] {
    if (!isSeq(node)) return [];
    return node.items.map((raw) => this.value(this.resolve(raw)));
  }

  workflow(top: KeyedNode[]): Workflow {
    const onEntry = this.get(top, 'on');
    const { triggers, callInputs, callSecrets, dispatchInputs } = readTriggers(this, onEntry);
    const jobsNode = this.get(top, 'jobs')?.value ?? null;
    const jobs: Job[] = [];
    if (isMap(jobsNode)) {
      this.spend(jobsNode.items.length);
      for (const j of this.entries(jobsNode)) {
        if (!isMap(j.value)) continue;
        const e = this.entries(j.value);
        const secretsEntry = this.get(e, 'secrets');
        const strategy = this.get(e, 'strategy');
        const matrix = isMap(strategy?.value) ? this.get(this.entries(strategy.value), 'matrix') : undefined;
        const job: Job = {
          id: j.key,
          idSpan: this.keySpan(j),
          env: this.mapEntries(this.get(e, 'env')?.value ?? null),
          steps: this.steps(this.get(e, 'steps')?.value ?? null),
          with: this.mapEntries(this.get(e, 'with')?.value ?? null),
          secrets: this.mapEntries(secretsEntry?.value ?? null),
          permissions: this.mapEntries(this.get(e, 'permissions')?.value ?? null),
          containerEnv: containerEnv(this, this.get(e, 'container')?.value ?? null),
          services: services(this, this.get(e, 'services')?.value ?? null),
          needs: this.needs(this.get(e, 'needs')?.value ?? null),
          outputs: this.mapEntries(this.get(e, 'outputs')?.value ?? null),
        };
        const jobShell = this.runDefault(this.get(e, 'defaults')?.value ?? null, 'shell');
        if (jobShell) job.defaultShell = jobShell;
        const jobFolder = this.runDefault(this.get(e, 'defaults')?.value ?? null, 'working-directory');
        if (jobFolder) job.defaultWorkingDirectory = jobFolder;
        if (secretsEntry && isScalar(secretsEntry.value) && secretsEntry.value.value === 'inherit') {
          job.secretsInherit = this.nodeSpan(secretsEntry.value);
        }
        if (matrix) job.matrix = this.keySpan(matrix);
        if (matrix) job.matrixValues = readMatrix(matrix.value, (n) => this.resolve(n));
        const name = this.optionalValue(e, 'name');
        if (name) job.name = name;
        const runsOn = this.optionalValue(e, 'runs-on');
        if (runsOn) job.runsOn = runsOn;
        const labels = runsOn?.scalar ? [runsOn] : this.sequence(this.get(e, 'runs-on')?.value ?? null);
        if (labels.length > 0 && labels.every((l) => l.scalar)) job.runsOnLabels = labels.map((l) => l.text);
        const uses = this.optionalValue(e, 'uses');
        if (uses) job.uses = uses;
        const timeout = this.optionalValue(e, 'timeout-minutes');
        if (timeout) job.timeoutMinutes = timeout;
        const condition = this.optionalValue(e, 'if');
        if (condition) job.if = condition;
        jobs.push(job);
      }
    }
    const workflow: Workflow = {
      kind: 'workflow',
      file: this.source.file,
      source: this.source,
      triggers,
      env: this.mapEntries(this.get(top, 'env')?.value ?? null),
      jobs,
      callInputs,
      callSecrets,
      dispatchInputs,
      permissions: this.mapEntries(this.get(top, 'permissions')?.value ?? null),
    };
    const name = this.optionalValue(top, 'name');
    if (name) workflow.name = name;
    if (onEntry) workflow.onSpan = this.keySpan(onEntry);
    const shell = this.runDefault(this.get(top, 'defaults')?.value ?? null, 'shell');
    if (shell) workflow.defaultShell = shell;
    const folder = this.runDefault(this.get(top, 'defaults')?.value ?? null, 'working-directory');
    if (folder) workflow.defaultWorkingDirectory = folder;
    return workflow;
  }

  /** `outputs: { name: { value: ... } }`; an output without `value:` (a JavaScript action's) is left out. */
  private actionOutputs(node: Node | null): Entry[] {
    if (!isMap(node)) return [];
    return this.entries(node).flatMap((o) => {
      const value = isMap(o.value) ? this.optionalValue(this.entries(o.value), 'value') : undefined;
      return value ? [{ name: o.key, nameSpan: this.keySpan(o), value }] : [];
    });
  }

  private needs(node: Node | null): string[] {
    return (isScalar(node) ? [this.value(node)] : this.sequence(node)).map((v) => v.text.trim());
  }

  /** `defaults: { run: { shell: x, working-directory: y } }`. */
  private runDefault(node: Node | null, key: 'shell' | 'working-directory'): Value | undefined {
    if (!isMap(node)) return undefined;
    const run = this.get(this.entries(node), 'run')?.value ?? null;
    return isMap(run) ? this.optionalValue(this.entries(run), key) : undefined;
  }

  action(top: KeyedNode[]): ActionMetadata {
    const runs = this.get(top, 'runs')?.value ?? null;
    const runsEntries = isMap(runs) ? this.entries(runs) : [];
    const inputsNode = this.get(top, 'inputs')?.value ?? null;
    const inputs: ActionInput[] = [];
    if (isMap(inputsNode)) {
      for (const i of this.entries(inputsNode)) {
        const def = isMap(i.value) ? this.optionalValue(this.entries(i.value), 'default') : undefined;
        inputs.push(
          def
            ? { name: i.key, nameSpan: this.keySpan(i), default: def }
            : { name: i.key, nameSpan: this.keySpan(i) },
        );
      }
    }
    const action: ActionMetadata = {
      kind: 'action',
      file: this.source.file,
      source: this.source,
      inputs,
      outputs: this.actionOutputs(this.get(top, 'outputs')?.value ?? null),
      steps: this.steps(this.get(runsEntries, 'steps')?.value ?? null),
      runsEnv: this.mapEntries(this.get(runsEntries, 'env')?.value ?? null),
      args: this.sequence(this.get(runsEntries, 'args')?.value ?? null),
    };
    const image = this.optionalValue(runsEntries, 'image');
    if (image) action.image = image;
    const name = this.optionalValue(top, 'name');
    if (name) action.name = name;
    const using = this.optionalValue(runsEntries, 'using');
    if (using) action.using = using;
    return action;
  }
}

/** A block scalar's span starts at its indicator (`|`), where a person sees the value begin. */
function blockSpan(source: SourceFile, start: number, end: number): Span {
  let trimmedEnd = end;
  while (trimmedEnd > start && /\s/.test(source.text[trimmedEnd - 1]!)) trimmedEnd--;
  return source.span(start, trimmedEnd);
}
