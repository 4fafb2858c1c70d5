import { isMap, isScalar, isSeq } from 'yaml';
import type { Span } from '../types.js';
import type { KeyedNode, Reader, Value } from './model.js';

/** The `on:` block: the events a workflow runs on, and what a caller or a dispatcher hands it. */

export interface Trigger {
  name: string;
  span: Span;
  /** Values of `types:` when given. */
  types: string[];
}

export interface WorkflowCallInput {
  name: string;
  nameSpan: Span;
  default?: Value;
  /** `type: boolean`: `inputs.<name>` is a Boolean in expressions, not the text `'true'`. */
  boolean?: true;
  /** A `workflow_dispatch` input of `type: choice`: the values a dispatcher picks from. */
  options?: string[];
}

/** What `on:` says: the events, and the inputs and secrets a caller (`workflow_call`) or a dispatcher gives. */
export interface Triggers {
  triggers: Trigger[];
  callInputs: WorkflowCallInput[];
  callSecrets: string[];
  /** `on.workflow_dispatch.inputs`: chosen by whoever dispatches the run. */
  dispatchInputs: WorkflowCallInput[];
}

export function readTriggers(reader: Reader, onEntry: KeyedNode | undefined): Triggers {
  const read: Triggers = { triggers: [], callInputs: [], callSecrets: [], dispatchInputs: [] };
  const node = onEntry?.value ?? null;
  if (isScalar(node)) {
    read.triggers.push({ name: String(node.value), span: reader.nodeSpan(node), types: [] });
  } else if (isSeq(node)) {
    for (const raw of node.items) {
      const item = reader.resolve(raw);
      if (isScalar(item))
        read.triggers.push({ name: String(item.value), span: reader.nodeSpan(item), types: [] });
    }
  } else if (isMap(node)) {
    for (const t of reader.entries(node)) {
      const config = isMap(t.value) ? reader.entries(t.value) : [];
      read.triggers.push({
        name: t.key,
        span: reader.keySpan(t),
        types: scalars(reader, reader.get(config, 'types')),
      });
      if (t.key === 'workflow_call') {
        read.callInputs.push(...declaredInputs(reader, config));
        const secrets = reader.get(config, 'secrets')?.value ?? null;
        if (isMap(secrets)) for (const s of reader.entries(secrets)) read.callSecrets.push(s.key);
      }
      if (t.key === 'workflow_dispatch') read.dispatchInputs.push(...declaredInputs(reader, config));
    }
  }
  return read;
}

/** A list of scalars (`types: [opened]`), or one scalar, as texts. */
function scalars(reader: Reader, entry: KeyedNode | undefined): string[] {
  const node = entry?.value ?? null;
  if (isScalar(node)) return [String(node.value)];
  if (!isSeq(node)) return [];
  const out: string[] = [];
  for (const raw of node.items) {
    const item = reader.resolve(raw);
    if (isScalar(item)) out.push(String(item.value));
  }
  return out;
}

/** The `inputs:` of a `workflow_call` or `workflow_dispatch` trigger: default, Boolean type, choice options. */
function declaredInputs(reader: Reader, config: KeyedNode[]): WorkflowCallInput[] {
  const inputs = reader.get(config, 'inputs')?.value ?? null;
  if (!isMap(inputs)) return [];
  return reader.entries(inputs).map((input) => {
    const fields = isMap(input.value) ? reader.entries(input.value) : [];
    const def = reader.optionalValue(fields, 'default');
    const declared: WorkflowCallInput = { name: input.key, nameSpan: reader.keySpan(input) };
    if (def) declared.default = def;
    const type = reader.optionalValue(fields, 'type')?.text.trim();
    if (type === 'boolean') declared.boolean = true;
    if (type === 'choice') declared.options = scalars(reader, reader.get(fields, 'options'));
    return declared;
  });
}
