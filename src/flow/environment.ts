import type { Span } from '../types.js';
import type { Binding } from '../workflow/values.js';

/**
 * Flow: for each step and process, the environment a run would get (the variables bound, what removed them
 * on the way, what only run time decides), from every level and boundary. Flow reads the model and the
 * repository's files; it knows nothing of which processes are Claude runs.
 */

/**
 * The variables one process receives, by name. Copy-on-write: an environment made from another (`fork`)
 * shares its storage until either of them changes, so the many commands of a script that change nothing
 * cost no copy. Insertion order is a plain Map's: a changed name keeps its place, a removed one loses it.
 */
export class Environment implements ReadonlyMap<string, Binding> {
  private map: Map<string, Binding>;
  /** Whether `map` may be read by another environment too, so it must be copied before a change. */
  private shared: boolean;

  private constructor(map: Map<string, Binding>, shared: boolean) {
    this.map = map;
    this.shared = shared;
  }

  static empty(): Environment {
    return new Environment(new Map(), false);
  }

  /** An environment that starts with these bindings, in their order. */
  static of(bindings: Iterable<readonly [string, Binding]>): Environment {
    return new Environment(new Map(bindings), false);
  }

  /** A new environment with the same bindings; neither sees what the other changes later. */
  fork(): Environment {
    this.shared = true;
    return new Environment(this.map, true);
  }

  private own(): Map<string, Binding> {
    if (this.shared) {
      this.map = new Map(this.map);
      this.shared = false;
    }
    return this.map;
  }

  set(name: string, binding: Binding): this {
    this.own().set(name, binding);
    return this;
  }

  delete(name: string): boolean {
    return this.map.has(name) && this.own().delete(name);
  }

  clear(): void {
    this.map = new Map();
    this.shared = false;
  }

  get size(): number {
    return this.map.size;
  }

  get(name: string): Binding | undefined {
    return this.map.get(name);
  }

  has(name: string): boolean {
    return this.map.has(name);
  }

  keys(): MapIterator<string> {
    return this.map.keys();
  }

  values(): MapIterator<Binding> {
    return this.map.values();
  }

  entries(): MapIterator<[string, Binding]> {
    return this.map.entries();
  }

  forEach(fn: (binding: Binding, name: string, env: ReadonlyMap<string, Binding>) => void): void {
    this.map.forEach((binding, name) => fn(binding, name, this));
  }

  [Symbol.iterator](): MapIterator<[string, Binding]> {
    return this.map.entries();
  }
}

/** A variable set in the workflow that is removed before the process starts, and why. */
export interface Hidden {
  binding: Binding;
  why: string;
}

/** What flow gives one process: the variables it receives, those removed on the way, and what to say. */
export interface ProcessEnvironment {
  bindings: Environment;
  hidden: Hidden[];
  notes: string[];
  /** Something only run time decides (a file the job writes, a sourced script): the route is unknown. */
  undecided?: string;
}

export function processEnvironment(bindings: Environment): ProcessEnvironment {
  return { bindings, hidden: [], notes: [] };
}

/** Something a file asks for that the scan could not read or follow, with where it is asked. */
export interface AnalysisProblem {
  file: string;
  span: Span;
  message: string;
  /** The file needed more work than its budget: a finding on that file, not only a note. */
  overBudget?: boolean;
  /** A reusable workflow of another repository, not read: the CLI counts these to say how to read them. */
  remoteUnread?: true;
}

/** The repository's files as flow reads them: settings, sourced files, manifests. */
export interface RepositoryFiles {
  /** A file by its path from the repository root; `file` is how reports name it. */
  read(relPath: string): { file: string; text: string } | undefined;
  /**
   * Whether something is at a path that `read` would not give (a symbolic link on the way, a special or
   * oversized file): Claude Code may read what the scan refuses. Absent: the reader cannot tell.
   */
  refused?(relPath: string): boolean;
}

/** Where flow reads: the file at hand, the repository around it, and where what it cannot read is said. */
export interface Site {
  file: string;
  repo: RepositoryFiles;
  problems: AnalysisProblem[];
}
