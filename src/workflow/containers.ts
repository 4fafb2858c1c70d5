import { isMap, type Node, type YAMLMap } from 'yaml';
import type { Span } from '../types.js';
import type { Entry, Value } from './model.js';

/** A key of a mapping with its value node, as the workflow reader gives it. */
interface Keyed {
  key: string;
  value: Node | null;
}

/** What the workflow reader lends to read a job's containers. */
export interface ContainerReader {
  entries(map: YAMLMap): Keyed[];
  get(entries: Keyed[], key: string): Keyed | undefined;
  mapEntries(node: Node | null): Entry[];
  keySpan(entry: Keyed): Span;
  optionalValue(entries: Keyed[], key: string): Value | undefined;
}

/** A service container of a job: created with its `env:` before the steps, and running its image's command. */
export interface Service {
  name: string;
  nameSpan: Span;
  image?: Value;
  env: Entry[];
}

/** `container.env`: what the job container is created with, reaching every step run in it. */
export function containerEnv(reader: ContainerReader, node: Node | null): Entry[] {
  return isMap(node) ? reader.mapEntries(reader.get(reader.entries(node), 'env')?.value ?? null) : [];
}

/** `services.<name>`: each service container, with its image and `env:`. */
export function services(reader: ContainerReader, node: Node | null): Service[] {
  if (!isMap(node)) return [];
  const out: Service[] = [];
  for (const entry of reader.entries(node)) {
    if (!isMap(entry.value)) continue;
    const service: Service = {
      name: entry.key,
      nameSpan: reader.keySpan(entry),
      env: containerEnv(reader, entry.value),
    };
    const image = reader.optionalValue(reader.entries(entry.value), 'image');
    if (image) service.image = image;
    out.push(service);
  }
  return out;
}
