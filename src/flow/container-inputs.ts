import { posix } from 'node:path';
import {
  isAlias,
  isMap,
  isNode,
  isScalar,
  isSeq,
  parseDocument,
  visit,
  type Document,
  type Node,
} from 'yaml';
import { basename, programIndex } from '../shell/commands.js';
import type { Command, Word } from '../shell/reader.js';
import type { Span } from '../types.js';
import { SourceFile } from '../workflow/source.js';

/**
 * What a container a command starts receives from the step (`docker run -e`, `--env-file`, a build's
 * `--secret` and `--build-arg`, a compose file's `environment:` and `env_file:`): nothing else of the
 * runner's environment crosses into it.
 */

/** One variable a container receives. */
export interface ContainerInput {
  /** The variable inside the container; for a build secret, the variable of the step its value comes from. */
  name: string;
  /** The word of the script that hands it over. */
  word: Word;
  /** A value given with it (`-e NAME=value`, `NAME: value`); absent: the step's own variable of that name. */
  value?: string;
  /** Where a file of the repository names it (a compose file, an env file): the variable's key is there. */
  at?: { file: string; span: Span };
}

/** A file of the repository found from the script's folder: its path from the root, and how reports name it. */
export interface FoundFile {
  path: string;
  file: string;
  text: string;
}

/** Reads a repository file (bounded, no links: the repository's own reader) from the script's folder or the root. */
export type ReadFile = (path: string, fromRoot?: boolean) => FoundFile | undefined;

const CONTAINER_PROGRAMS = new Set(['docker', 'podman', 'nerdctl']);
const COMPOSE_PROGRAMS = new Set(['docker-compose', 'podman-compose']);
/** Subcommands that start a container, or run a command in one, with what the command line hands it. */
const RUNS = new Set(['run', 'create', 'exec']);
const BUILDS = new Set(['build']);
/** Compose subcommands that create or start its services' containers. */
const COMPOSE_STARTS = new Set(['run', 'up', 'create', 'start', 'restart', 'exec']);
const DEFAULT_COMPOSE_FILES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

/** The operands of a command after its program, without options (a first guess at its subcommands). */
function operands(words: Word[]): Word[] {
  return words.filter((w) => !w.text.startsWith('-'));
}

/** What the container verb of a command is: `run`, `build`, `compose` and its own verb, or none. */
function containerVerb(command: Command): { kind: 'run' | 'build' | 'compose'; at: number } | undefined {
  const words = command.words;
  const at = programIndex(words);
  const name = basename(words[at]?.text ?? '');
  if (COMPOSE_PROGRAMS.has(name)) return { kind: 'compose', at };
  if (!CONTAINER_PROGRAMS.has(name)) return undefined;
  const [first, second] = operands(words.slice(at + 1)).map((w) => w.text);
  // `docker container run`, `docker image build`, `docker buildx build`, `docker builder build`.
  const verb = /^(container|image|buildx|builder)$/.test(first ?? '') ? second : first;
  if (verb === 'compose') return { kind: 'compose', at };
  if (RUNS.has(verb ?? '')) return { kind: 'run', at };
  if (BUILDS.has(verb ?? '')) return { kind: 'build', at };
  return undefined;
}

/** Whether a command starts a container (or runs in one) whose inside the engine does not read. */
export function startsContainer(command: Command): boolean {
  return containerVerb(command) !== undefined;
}

/** The values of an option, spelt `-e X`, `-eX`, `--env X` or `--env=X`: each with the word it is in. */
function optionValues(
  words: Word[],
  short: string | undefined,
  long: string,
): { text: string; word: Word }[] {
  const out: { text: string; word: Word }[] = [];
  for (let k = 0; k < words.length; k++) {
    const w = words[k]!;
    if ((w.text === long || w.text === short) && words[k + 1])
      out.push({ text: words[++k]!.text, word: words[k]! });
    else if (w.text.startsWith(`${long}=`)) out.push({ text: w.text.slice(long.length + 1), word: w });
    else if (short && w.text.startsWith(short) && !w.text.startsWith('--') && w.text.length > short.length)
      out.push({ text: w.text.slice(short.length), word: w });
  }
  return out;
}

/** `NAME` or `NAME=value`, as `-e`, `--build-arg` and env files spell a variable. */
function assignment(text: string): { name: string; value?: string } | undefined {
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:=(.*))?$/s.exec(text);
  if (!m) return undefined;
  return m[2] === undefined ? { name: m[1]! } : { name: m[1]!, value: m[2] };
}

/** Each `NAME=value` (or bare `NAME`) line of an env file, with where its name is. */
function envFileInputs(found: FoundFile, word: Word): ContainerInput[] {
  const source = new SourceFile(found.file, found.text);
  const out: ContainerInput[] = [];
  let offset = 0;
  for (const line of found.text.split('\n')) {
    const start = offset + (line.length - line.trimStart().length);
    offset += line.length + 1;
    const text = line.trim().replace(/^export\s+/, '');
    const parsed = text.startsWith('#') ? undefined : assignment(text);
    if (!parsed) continue;
    const at = { file: found.file, span: source.span(start, start + parsed.name.length) };
    out.push({ ...parsed, word, at });
  }
  return out;
}

/** `--secret id=x,env=NAME`, `type=env,src=NAME`, or `id=NAME` alone (the variable of that name, if set). */
function secretVariable(spec: string): string | undefined {
  const fields = new Map(
    spec.split(',').map((f) => [f.slice(0, f.indexOf('=')).trim(), f.slice(f.indexOf('=') + 1).trim()]),
  );
  if (fields.get('env')) return fields.get('env');
  const source = fields.get('src') ?? fields.get('source');
  if (fields.get('type') === 'env') return source;
  return source === undefined && fields.get('type') === undefined ? fields.get('id') : undefined;
}

/** `docker run|create|exec`: `-e`, `--env`, `--env-file` (a file of the repository, read when there). */
function runInputs(words: Word[], read: ReadFile): ContainerInput[] {
  const out: ContainerInput[] = [];
  for (const { text, word } of optionValues(words, '-e', '--env')) {
    const parsed = assignment(text);
    if (parsed) out.push({ ...parsed, word });
  }
  for (const { text, word } of optionValues(words, undefined, '--env-file')) {
    const found = read(text);
    if (found) out.push(...envFileInputs(found, word));
  }
  return out;
}

/**
 * The first `--env-file` of `docker run|create|exec` that is not a file of the repository (`"$RUNNER_TEMP/x.env"`,
 * `<(printf ...)`): what it hands the container, any variable of the step emptied or passed on, is run time's.
 */
export function unreadEnvFile(command: Command, read: ReadFile): string | undefined {
  const verb = containerVerb(command);
  if (verb?.kind !== 'run') return undefined;
  const words = command.words.slice(verb.at + 1);
  return optionValues(words, undefined, '--env-file').find(({ text }) => !read(text))?.text;
}

/** `docker build`: `--secret` from a variable of the step, and `--build-arg NAME[=value]`. */
function buildInputs(words: Word[]): ContainerInput[] {
  const out: ContainerInput[] = [];
  for (const { text, word } of optionValues(words, undefined, '--secret')) {
    const name = secretVariable(text);
    if (name && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) out.push({ name, word });
  }
  for (const { text, word } of optionValues(words, undefined, '--build-arg')) {
    const parsed = assignment(text);
    if (parsed) out.push({ ...parsed, word });
  }
  return out;
}

/** The commands's inputs when it starts a container; undefined when it starts none. */
export function containerInputs(command: Command, read: ReadFile): ContainerInput[] | undefined {
  const verb = containerVerb(command);
  if (!verb) return undefined;
  const words = command.words.slice(verb.at + 1);
  if (verb.kind === 'run') return runInputs(words, read);
  if (verb.kind === 'build') return buildInputs(words);
  return composeInputs(command.words[verb.at]!, words, read);
}

/** A compose file as read: its document, and its anchors by name (the last of a name wins, as in YAML). */
interface ComposeFile {
  doc: Document;
  anchors: Map<string, Node>;
}

/** Parsed compose files, once per file object the repository hands out. */
const PARSED = new WeakMap<object, ComposeFile>();

function composeFile(found: FoundFile): ComposeFile {
  let parsed = PARSED.get(found);
  if (!parsed) {
    const doc = parseDocument(found.text, { uniqueKeys: false });
    const anchors = new Map<string, Node>();
    visit(doc, (_, node) => {
      if (isNode(node) && node.anchor) anchors.set(node.anchor, node);
    });
    PARSED.set(found, (parsed = { doc, anchors }));
  }
  return parsed;
}

/** A node, through one alias at most (a compose file's `x-env: &env` anchors): never a chain of them. */
function deref(file: ComposeFile, node: unknown): Node | null {
  const target = isAlias(node) ? file.anchors.get(node.source) : node;
  return target && !isAlias(target) ? (target as Node) : null;
}

/** A mapping's entries, with those a `<<: *anchor` merge brings in (one level). */
function mapPairs(doc: ComposeFile, node: Node | null): { key: Node | null; value: Node | null }[] {
  if (!isMap(node)) return [];
  const out: { key: Node | null; value: Node | null }[] = [];
  for (const pair of node.items) {
    const key = deref(doc, pair.key);
    if (isScalar(key) && key.value === '<<') {
      const merged = deref(doc, pair.value);
      const maps = isSeq(merged) ? merged.items.map((m) => deref(doc, m)) : [merged];
      for (const m of maps)
        if (isMap(m))
          out.push(...m.items.map((p) => ({ key: deref(doc, p.key), value: deref(doc, p.value) })));
    } else out.push({ key, value: deref(doc, pair.value) });
  }
  return out;
}

const scalarText = (node: Node | null): string | undefined =>
  isScalar(node) && node.value !== null ? String(node.value) : undefined;

function entry(doc: ComposeFile, map: Node | null, key: string): Node | null {
  return mapPairs(doc, map).find((p) => scalarText(p.key) === key)?.value ?? null;
}

/** Compose's `${NAME}`, `${NAME:-default}`, `$NAME`: the step's variable the value is taken from. */
function interpolated(value: string): string {
  const m = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?:[:]?[-?+][^}]*)?\}$|^\$([A-Za-z_][A-Za-z0-9_]*)$/.exec(value);
  return m ? `$${m[1] ?? m[2]}` : value;
}

/** A service's `environment:` (a list of `NAME[=value]` or a mapping) and `env_file:`, with places. */
function serviceInputs(
  doc: ComposeFile,
  service: Node | null,
  found: FoundFile,
  word: Word,
  read: ReadFile,
): ContainerInput[] {
  const source = new SourceFile(found.file, found.text);
  const place = (node: Node | null, length?: number): { file: string; span: Span } => {
    const [at, end] = node?.range ?? [0, 0];
    // A quoted item's text starts after its quote.
    const start = length !== undefined && /['"]/.test(found.text[at] ?? '') ? at + 1 : at;
    return { file: found.file, span: source.span(start, length === undefined ? end : start + length) };
  };
  const out: ContainerInput[] = [];
  const environment = entry(doc, service, 'environment');
  if (isSeq(environment)) {
    for (const item of environment.items.map((i) => deref(doc, i))) {
      const parsed = assignment(scalarText(item) ?? '');
      if (!parsed) continue;
      const at = place(item, parsed.name.length);
      out.push(
        parsed.value === undefined
          ? { name: parsed.name, word, at }
          : { ...parsed, value: interpolated(parsed.value), word, at },
      );
    }
  }
  for (const pair of mapPairs(doc, isMap(environment) ? environment : null)) {
    const name = scalarText(pair.key);
    if (!name || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) continue;
    const value = scalarText(pair.value);
    const at = place(pair.key);
    out.push(value === undefined ? { name, word, at } : { name, value: interpolated(value), word, at });
  }
  const envFiles = entry(doc, service, 'env_file');
  const paths = isSeq(envFiles) ? envFiles.items.map((i) => deref(doc, i)) : [envFiles];
  for (const item of paths) {
    const path = scalarText(item) ?? scalarText(entry(doc, item, 'path'));
    const envFile = path && read(posix.join(posix.dirname(found.path), path), true);
    if (envFile) out.push(...envFileInputs(envFile, word));
  }
  return out;
}

/**
 * `docker compose [-f file]... run|up|exec|create|start [service...]`: the services it starts (those named,
 * with what they depend on; all when none is named) receive what their compose file gives them.
 */
function composeInputs(program: Word, words: Word[], read: ReadFile): ContainerInput[] {
  const verbAt = words.findIndex((w) => COMPOSE_STARTS.has(w.text));
  if (verbAt < 0) return [];
  const named = optionValues(words.slice(0, verbAt), '-f', '--file').map((f) => f.text);
  const files = (named.length > 0 ? named : DEFAULT_COMPOSE_FILES)
    .map((path) => read(path))
    .filter((f) => f !== undefined);
  const after = new Set(operands(words.slice(verbAt + 1)).map((w) => w.text));
  const out: ContainerInput[] = runInputs(words.slice(verbAt + 1), read).filter((i) => !i.at);
  for (const found of files) {
    const doc = composeFile(found);
    if (doc.doc.errors.length > 0) continue;
    const services = mapPairs(doc, entry(doc, deref(doc, doc.doc.contents), 'services'));
    const chosen = startedServices(doc, services, after);
    for (const s of services)
      if (chosen.has(scalarText(s.key) ?? '')) out.push(...serviceInputs(doc, s.value, found, program, read));
  }
  return out;
}

/** The services a compose command starts: those named among its operands and what they depend on, else all. */
function startedServices(
  doc: ComposeFile,
  services: { key: Node | null; value: Node | null }[],
  operandsGiven: Set<string>,
): Set<string> {
  const byName = new Map(services.map((s) => [scalarText(s.key) ?? '', s.value]));
  const start = [...byName.keys()].filter((n) => operandsGiven.has(n));
  if (start.length === 0) return new Set(byName.keys());
  const chosen = new Set<string>();
  while (start.length > 0) {
    const name = start.pop()!;
    if (chosen.has(name)) continue;
    chosen.add(name);
    const depends = entry(doc, byName.get(name) ?? null, 'depends_on');
    const names = isSeq(depends)
      ? depends.items.map((i) => scalarText(deref(doc, i)))
      : mapPairs(doc, depends).map((p) => scalarText(p.key));
    for (const n of names) if (n && byName.has(n)) start.push(n);
  }
  return chosen;
}
