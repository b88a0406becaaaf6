/**
 * Reuse of asc's parse of AssemblyScript's standard library between compiles (issue 15
 * item 3).
 *
 * `asc.main` builds a new Program for every compile and parses the standard library into
 * it again (~650 KB of AS source: 60-80% of a warm compile's time). The parse of a library
 * file depends on its text only, and nothing after the parse writes to the syntax tree
 * (asc's Program, resolver and compiler keep their state in their own objects, which point
 * into the tree), so the tree of a file parsed once can serve every later Program. This
 * wraps asc's `Parser.prototype.parseFile`: a library file (`~lib/...`, not an entry) whose
 * text is the text parsed before gets that parse's `Source`, with the parser's bookkeeping
 * (done list, backlog of imports, dependees) updated as parsing it would; any other file is
 * parsed as before. The Wasm asc emits is the same byte for byte (test/compiler/
 * asc-parse-reuse.test.ts compares both ways).
 *
 * NOTE: the Node compiler worker runs this function from its source text
 * (compiler-worker.node.ts embeds `reuseLibraryParses.toString()`), so it must not refer
 * to anything outside its own body.
 */

/** The parts of the `assemblyscript` module (its compiler's API) this uses. */
export interface AscInternals {
  readonly Parser: { prototype: object };
  readonly NodeKind: { readonly Import: number; readonly Export: number };
}

/** What {@link reuseLibraryParses} returns: counters, and a switch (tests compare both ways). */
export interface ParseReuse {
  /** Library files taken from an earlier parse, since installed. */
  readonly reused: number;
  /** Library files parsed (and kept), since installed. */
  readonly parsed: number;
  /** Reuse on (the default) or off (every file is parsed, as asc does). */
  enabled: boolean;
}

/**
 * Make asc reuse its parses of standard-library files from now on (in this thread), and
 * return the counters. Idempotent: a second call returns the first call's object.
 *
 * @example
 * ```ts
 * const reuse = reuseLibraryParses(await import('assemblyscript'));
 * await asc.main(argv, io); // parses the library
 * await asc.main(argv, io); // reuses it: reuse.reused > 0
 * ```
 */
export function reuseLibraryParses(as: AscInternals): ParseReuse {
  interface Node { kind: number; internalPath?: string; path?: object | null; members?: unknown[] | null }
  interface Source { internalPath: string; text: string; statements: Node[] }
  interface Parser {
    donelog: Set<string>; seenlog: Set<string>; backlog: string[]; dependees: Map<string, unknown>;
    sources: Source[]; diagnostics: unknown[]; currentSource: Source | null; currentModuleName: string | null;
    onComment: unknown;
    parseFile(text: string | null, path: string, isEntry: boolean): void;
  }
  const proto = as.Parser.prototype as Parser & { numbatsParseReuse?: ParseReuse };
  if (proto.numbatsParseReuse !== undefined) return proto.numbatsParseReuse;
  const { Import, Export } = as.NodeKind;
  const parseFile = proto.parseFile;
  const kept = new Map<string, Source>();
  const state = { reused: 0, parsed: 0, enabled: true };
  proto.parseFile = function parseOrReuse(this: Parser, text: string | null, path: string, isEntry: boolean): void {
    // Entry files (the kernel, asc's runtime entry), files not found and user files are
    // parsed as always; so is everything while a comment handler (a transform) listens.
    if (!state.enabled || isEntry || text === null || !path.startsWith('~lib/') || this.onComment) {
      parseFile.call(this, text, path, isEntry);
      return;
    }
    const source = kept.get(path);
    if (source === undefined || source.text !== text) {
      const diagnostics = this.diagnostics.length;
      const count = this.sources.length;
      parseFile.call(this, text, path, isEntry);
      // Keep only a clean parse of exactly this file.
      if (this.diagnostics.length === diagnostics && this.sources.length === count + 1) {
        kept.set(path, this.sources[count]!);
        state.parsed++;
      }
      return;
    }
    // What Parser.parseFile does, without tokenizing: mark the file done, add its Source,
    // and queue its imports (and `export ... from`) as its import statements would.
    if (this.donelog.has(source.internalPath)) return;
    this.donelog.add(source.internalPath);
    this.seenlog.add(source.internalPath);
    this.sources.push(source);
    this.currentSource = source;
    this.currentModuleName = null;
    for (const statement of source.statements) {
      const from = statement.internalPath;
      if (from === undefined || (statement.kind !== Import && statement.kind !== Export)) continue;
      if (statement.kind === Export && !statement.path) continue;
      if (this.seenlog.has(from)) continue;
      // A Dependee as the parser makes it: who imports the file, and the path node (errors).
      this.dependees.set(from, { source, reportNode: statement.path });
      this.backlog.push(from);
      // `export { a } from` marks the path seen; `import` and `export *` do not.
      if (statement.kind === Export && statement.members) this.seenlog.add(from);
    }
    state.reused++;
  };
  const reuse: ParseReuse = {
    get reused() { return state.reused; },
    get parsed() { return state.parsed; },
    get enabled() { return state.enabled; },
    set enabled(on: boolean) { state.enabled = on; },
  };
  proto.numbatsParseReuse = reuse;
  return reuse;
}
