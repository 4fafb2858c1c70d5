import { isMap, isPair, isScalar, parseDocument } from 'yaml';
import type { Level, Span } from '../types.js';
import { resolveText, type Binding, type Scope } from '../workflow/values.js';

export interface SettingsCredentials {
  env: Binding[];
  apiKeyHelper?: Binding;
  /** A parse problem, with where it is. */
  error?: { message: string; span: Span };
}

/**
 * Reads the route-bearing parts of a Claude Code settings JSON (`env`, `apiKeyHelper`). JSON is YAML, so
 * the YAML parser gives positions; `locate` turns offsets in `text` into spans of the file that holds it.
 */
export function readSettings(
  text: string,
  locate: (start: number, end: number) => Span,
  level: Level,
  scope: Scope,
): SettingsCredentials {
  const doc = parseDocument(text, { uniqueKeys: false });
  const error = doc.errors[0];
  if (error)
    return {
      env: [],
      error: {
        message: error.message.split('\n')[0] ?? 'invalid JSON',
        span: locate(error.pos[0], error.pos[1]),
      },
    };
  const root = doc.contents;
  const out: SettingsCredentials = { env: [] };
  if (!isMap(root)) return out;
  const bind = (
    variable: string,
    keyRange: [number, number],
    valueText: string,
    valueRange: [number, number],
  ): Binding => ({
    variable,
    level,
    file: scope.file,
    keySpan: locate(keyRange[0], keyRange[1]),
    value: resolveText(valueText, scope, scope.file, locate(valueRange[0], valueRange[1])),
  });
  for (const item of root.items) {
    if (!isPair(item) || !isScalar(item.key) || !item.key.range) continue;
    const key = String(item.key.value);
    const keyRange: [number, number] = [item.key.range[0], item.key.range[1]];
    if (key === 'apiKeyHelper' && isScalar(item.value) && item.value.range) {
      out.apiKeyHelper = bind('apiKeyHelper', keyRange, String(item.value.value ?? ''), [
        item.value.range[0],
        item.value.range[1],
      ]);
    }
    if (key === 'env' && isMap(item.value)) {
      for (const entry of item.value.items) {
        if (!isPair(entry) || !isScalar(entry.key) || !entry.key.range) continue;
        const value = isScalar(entry.value) ? entry.value : null;
        const range = value?.range ?? entry.key.range;
        out.env.push(
          bind(
            String(entry.key.value),
            [entry.key.range[0], entry.key.range[1]],
            String(value?.value ?? ''),
            [range[0], range[1]],
          ),
        );
      }
    }
  }
  return out;
}
