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
  default?: Value;
  /** `type: boolean`: `inputs.<name>` is a Boolean in expressions, not the text `'true'`. */
  boolean?: true;
}

export function readTriggers(
  reader: Reader,
  onEntry: KeyedNode | undefined,
): {
  triggers: Trigger[];
  callInputs: WorkflowCallInput[];
  callSecrets: string[];
} {
  const triggers: Trigger[] = [];
  const callInputs: WorkflowCallInput[] = [];
  const callSecrets: string[] = [];
  const node = onEntry?.value ?? null;
  if (isScalar(node)) {
    triggers.push({ name: String(node.value), span: reader.nodeSpan(node), types: [] });
  } else if (isSeq(node)) {
    for (const raw of node.items) {
      const item = reader.resolve(raw);
      if (isScalar(item)) triggers.push({ name: String(item.value), span: reader.nodeSpan(item), types: [] });
    }
  } else if (isMap(node)) {
    for (const t of reader.entries(node)) {
      const config = isMap(t.value) ? reader.entries(t.value) : [];
      const typesNode = reader.get(config, 'types')?.value ?? null;
      const types: string[] = [];
      if (isSeq(typesNode)) {
        for (const raw of typesNode.items) {
          const item = reader.resolve(raw);
          if (isScalar(item)) types.push(String(item.value));
        }
      } else if (isScalar(typesNode)) types.push(String(typesNode.value));
      triggers.push({ name: t.key, span: reader.keySpan(t), types });
      if (t.key === 'workflow_call') {
        const inputs = reader.get(config, 'inputs')?.value ?? null;
        if (isMap(inputs)) {
          for (const input of reader.entries(inputs)) {
            const fields = isMap(input.value) ? reader.entries(input.value) : [];
            const def = reader.optionalValue(fields, 'default');
            const declared: WorkflowCallInput = def ? { name: input.key, default: def } : { name: input.key };
            if (reader.optionalValue(fields, 'type')?.text.trim() === 'boolean') declared.boolean = true;
            callInputs.push(declared);
          }
        }
        const secrets = reader.get(config, 'secrets')?.value ?? null;
        if (isMap(secrets)) for (const s of reader.entries(secrets)) callSecrets.push(s.key);
      }
    }
  }
  return { triggers, callInputs, callSecrets };
}
