/**
 * The compile cache keyed by a kernel's inputs (issue 15 item 4): a hit skips the front end
 * (parse, lower, infer, passes, AS and JS emit) as well as asc, and goes straight to the
 * stored Wasm and the few facts the loops need.
 *
 * cache.ts keys entries by the generated AS source, so a lookup there runs the whole front
 * end first (~10 ms for a first kernel in a fresh process, most of a 5 ms budget several
 * times over). Here the key is what the front end reads: the kernel's source text, each
 * unit's signature and compile options (kind, layout, name, prefix, fastmath, boundscheck,
 * strict, target), its helpers (source text; a compiled function's recorded kernel, helpers
 * and constants, recursively; a built-in ufunc, nb.math or Math function by its name) and
 * its constants (values; a typed array's type and bytes), and asc's flags. A kernel with an
 * input that has no such fingerprint (a native function other than the known ones, a cycle)
 * is looked up the old way only.
 *
 * An entry is the {@link KernelMeta} of every unit (entry names, operand dtypes, bounds and
 * scratch sites, lint warnings: JSON) and the position-independent cache entry of the
 * module (cache.ts: Wasm bytes and relocation sites). In memory always; on disk with
 * `cache: true`, as `<name>.wasm` files in the cache directory beside cache.ts's (same
 * layout, checksum, owner check, atomic writes, LRU sweep), the disk key adding the build's
 * identity: in the Node bundle, its code's SHA-256 and the numbats and asc versions, written
 * in at build time (scripts/build-node.mjs: nothing is read or hashed for it at run time);
 * elsewhere the numbats and asc versions and, where numbats is not installed under a
 * `node_modules` directory (a source checkout, where the code changes without a version
 * bump), the sizes and mtimes of its source files; and the entry format. The file is named
 * by the disk key's {@link hash64Hex} and holds the disk key in full (cache.ts compares it),
 * so a hit computes no cryptographic digest: two keys that share a name only evict each
 * other. A module compiled at a base of its own (not relocatable) gets no entry here.
 *
 * A hit hands out kernels whose loop facts come from the entry and whose other fields (IR,
 * sources, the JS reference) run the front end when first read. An entry that does not
 * decode, does not compile, link or export its entries is ignored and the kernel compiled
 * again (and the entry replaced): never a crash.
 */
import { createHash } from '../platform/hash.node.js';
import { dirname, fileURLToPath, join, readdirSync, sep, statSync } from '../platform/files.node.js';
import * as BUILTIN_UFUNCS from '../builtins/generated/exports.js';
import { math as NB_MATH } from '../math/index.js';
import { ASC_FLAGS, compileKernel, type CompiledKernel, type CompileKernelOptions } from '../compiler/index.js';
import { KERNEL_SOURCE, type KernelSourceRecord } from '../compiler/compile.js';
import type { KernelDiagnostic } from '../compiler/frontend/diagnostics.js';
import type { BoundsSite, ScratchSite } from '../compiler/ir/nodes.js';
import type { DType } from '../dtype/dtypes.js';
import { decode, encode, entryBlockBytes, finish, readDiskBody, versionKey, writeDiskBody, type CacheSource, type Entry } from './cache.js';
import { hash64Hex } from './hash64.js';
import { instantiateAt, instantiateKernels, type KernelModule } from './module.js';

/** Entry format, in the disk key: bumped when the layout of an entry or of {@link KernelMeta} changes. */
const FORMAT = 'kernels1';

/** One compile unit of a module: a signature and its options (the kernel is shared). */
export interface KernelUnit {
  readonly signature: string;
  readonly options: CompileKernelOptions;
}

/** What the loops read of a compiled kernel: stored in an entry, so that a hit needs no front end. */
export interface KernelMeta {
  readonly name: string;
  readonly kind: 'scalar' | 'gufunc';
  readonly operands: readonly DType[];
  readonly nin: number;
  readonly entries: { readonly row: string; readonly loop: string };
  readonly bounds: readonly BoundsSite[];
  readonly scratch: readonly ScratchSite[];
  readonly boundscheck: boolean;
  readonly simd: DType | null;
  readonly warnings: readonly KernelDiagnostic[];
}

interface InputsEntry {
  readonly meta: readonly KernelMeta[];
  readonly entry: Entry;
  /** Its bytes hold addresses in this process's heap (KernelModule.local): never written to disk. */
  readonly local?: true;
}

/** The result of {@link compileKernelModule}. */
export interface KernelModuleBuild {
  readonly kernels: readonly CompiledKernel[];
  readonly exports: Record<string, unknown>;
  readonly module: WebAssembly.Module;
  /** 'inputs': a hit here (no front end ran); otherwise where cache.ts found the module. */
  readonly from: CacheSource;
}

const memory = new Map<string, InputsEntry>();

/** Counters (tests, measurements): front-end runs made here, and hits. */
const stats = { frontEnd: 0, hits: 0 };

/**
 * How many kernels the front end compiled through {@link compileKernelModule} in this
 * process (misses, and the lazy fields of hit kernels when read), and how many modules hit.
 *
 * @example
 * ```ts
 * const { frontEnd, hits } = kernelCacheStats();
 * ```
 */
export function kernelCacheStats(): { readonly frontEnd: number; readonly hits: number } {
  return { ...stats };
}

/** Forget the in-memory entries (tests, measurements). */
export function clearKernelMemoryCache(): void {
  memory.clear();
}

// ---- the key ------------------------------------------------------------------------------

/** Built-in ufuncs, nb.math's and Math's functions, by the object: a helper given as one is keyed by its name. */
let known: Map<unknown, string> | undefined;
function knownName(f: unknown): string | undefined {
  if (known === undefined) {
    known = new Map();
    for (const [key, u] of Object.entries(BUILTIN_UFUNCS)) known.set(u, `ufunc.${key}`);
    for (const [key, g] of Object.entries(NB_MATH)) known.set(g, `math.${key}`);
    for (const key of Object.getOwnPropertyNames(Math)) {
      const g = (Math as unknown as Record<string, unknown>)[key];
      if (typeof g === 'function') known.set(g, `Math.${key}`);
    }
  }
  return known.get(f);
}

/**
 * The in-memory key's text: the inputs printed one after another (each with its length, so
 * that no two inputs print alike), not hashed: a first kernel without `cache: true` then
 * never loads node:crypto (~3 ms of a fresh process, issue 15). A typed array's bytes go in
 * as their SHA-256 (a table may be large, and two tables must never share a key). The disk
 * key adds the build's identity ({@link inputsDiskKey}).
 */
class KeyText {
  private readonly parts: string[] = [];
  update(x: string | Uint8Array): this {
    this.parts.push(typeof x === 'string' ? x : `#${createHash('sha256').update(x).digest('hex')}`);
    return this;
  }
  text(): string {
    return this.parts.join('');
  }
}
/** Thrown inside the key's hashing when an input has no fingerprint. */
class NoFingerprint extends Error {}

const MAX_DEPTH = 32;

function hashText(h: KeyText, tag: string, text: string): void {
  h.update(`${tag}${text.length}:`).update(text);
}

/** A kernel or helper: its source text, its recorded kernel, or a known function's name. */
function hashFunction(h: KeyText, f: unknown, depth: number): void {
  if (depth > MAX_DEPTH) throw new NoFingerprint();
  if (typeof f === 'string') return hashText(h, 's', f);
  if (typeof f !== 'function') throw new NoFingerprint();
  const name = knownName(f);
  if (name !== undefined) return hashText(h, 'k', name);
  const record = (f as { [KERNEL_SOURCE]?: KernelSourceRecord })[KERNEL_SOURCE];
  if (record !== undefined) {
    hashText(h, 'r', record.kind);
    hashFunction(h, record.fn, depth + 1);
    hashHelpers(h, record.helpers, depth + 1);
    hashConstants(h, record.constants);
    return;
  }
  const text = Function.prototype.toString.call(f);
  // Two different native functions print alike: no fingerprint.
  if (/\{\s*\[native code\]\s*\}\s*$/.test(text)) throw new NoFingerprint();
  hashText(h, 'f', text);
}

function hashHelpers(h: KeyText, helpers: Readonly<Record<string, unknown>> | undefined, depth: number): void {
  const names = helpers === undefined ? [] : Object.keys(helpers);
  h.update(`H${names.length}:`);
  for (const n of names) {
    hashText(h, 'n', n);
    hashFunction(h, helpers![n], depth);
  }
}

function hashConstants(h: KeyText, constants: Readonly<Record<string, unknown>> | undefined): void {
  const names = constants === undefined ? [] : Object.keys(constants);
  h.update(`C${names.length}:`);
  for (const n of names) {
    hashText(h, 'n', n);
    const v = constants![n];
    if (typeof v === 'number') h.update(Object.is(v, -0) ? 'd-0;' : `d${v};`);
    else if (typeof v === 'bigint') h.update(`b${v};`);
    else if (typeof v === 'boolean') h.update(`t${v};`);
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) {
      hashText(h, 'a', v.constructor.name);
      h.update(`${v.byteLength}:`).update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else throw new NoFingerprint();
  }
}

type OptionKey = 'helpers' | 'constants' | ((o: CompileKernelOptions) => unknown);

/**
 * Every option of compileKernel, and what of it goes into the key (with its default, so that
 * an omitted option and its default share entries). A Record over the options' names: an
 * option added to CompileKernelOptions does not type-check until it is keyed here.
 */
const OPTION_KEYS: Record<keyof CompileKernelOptions, OptionKey> = {
  kind: (o) => o.kind,
  fastmath: (o) => o.fastmath ?? false,
  target: (o) => o.target ?? 'cpu',
  helpers: 'helpers',
  constants: 'constants',
  core: (o) => o.core && [o.core.nin, o.core.dims.map((d) => (typeof d === 'string' ? d : d.name)), o.core.operands],
  name: (o) => o.name ?? null,
  prefix: (o) => o.prefix ?? '',
  reduceTile: (o) => o.reduceTile ?? false,
  strict: (o) => o.strict ?? false,
  boundscheck: (o) => o.boundscheck ?? true,
};

/**
 * The in-memory key of a module of `units` of kernel `fn` for `target` (a text, see
 * KeyText), or null when an input has no fingerprint (see the file header).
 *
 * @example
 * ```ts
 * const key = inputsKey(fn, [{ signature: 'f8(f8)', options: { kind: 'scalar' } }], 'cpu');
 * ```
 */
export function inputsKey(fn: unknown, units: readonly KernelUnit[], target: string): string | null {
  const h = new KeyText();
  try {
    hashText(h, 'T', target);
    hashText(h, 'A', ASC_FLAGS.join(' '));
    // The kernel itself is compiled from its text alone (helpers resolve by identity too).
    hashText(h, 'K', typeof fn === 'string' ? fn : typeof fn === 'function' ? Function.prototype.toString.call(fn) : String(fn));
    h.update(`U${units.length}:`);
    for (const { signature, options: o } of units) {
      hashText(h, 'S', signature);
      for (const [name, value] of Object.entries(OPTION_KEYS) as [keyof CompileKernelOptions, OptionKey][]) {
        if (value === 'helpers') hashHelpers(h, o.helpers, 0);
        else if (value === 'constants') hashConstants(h, o.constants);
        else hashText(h, name, JSON.stringify(value(o)) ?? 'undefined');
      }
    }
  } catch (e) {
    if (e instanceof NoFingerprint) return null;
    throw e;
  }
  return h.text();
}

let build: string | undefined;
let buildOverride: string | undefined;

/**
 * The Node bundle's identity, written in by scripts/build-node.mjs: the numbats and asc
 * versions and the SHA-256 of the bundle's code. Not defined elsewhere (tsc's dist/src, tsx,
 * vitest, the browser bundle): `typeof` reads 'undefined'.
 */
declare const NUMBATS_BUILD_ID: string | undefined;

/**
 * Test hook: use `id` as the build's identity in disk keys (as a new numbats or asc version
 * would change it); undefined restores the real one.
 */
export function overrideBuildIdentity(id: string | undefined): void {
  buildOverride = id;
}

/**
 * The build's identity in disk keys: in the Node bundle, the one written in at build time;
 * elsewhere versions and, in a source checkout, the sizes and mtimes of numbats' code: its
 * source files (this file's grandparent directory), or in another bundle, where this module
 * is part of one file, that file. Then the entry format.
 */
export function buildIdentity(): string {
  if (buildOverride !== undefined) return buildOverride;
  if (build !== undefined) return build;
  if (typeof NUMBATS_BUILD_ID === 'string') return (build = `${NUMBATS_BUILD_ID};${FORMAT}`);
  const here = fileURLToPath(import.meta.url);
  const bundled = !/kernel-cache\.[jt]s$/.test(here);
  const root = bundled ? here : dirname(dirname(here));
  let id = `${versionKey()};${FORMAT}`;
  if (!root.includes(`${sep}node_modules${sep}`)) {
    const h = createHash('sha256');
    const stamp = (path: string): void => {
      const st = statSync(path);
      h.update(`${path}\0${st.size}\0${st.mtimeMs}\n`);
    };
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.(js|ts|mjs)$/.test(e.name) && !e.name.endsWith('.d.ts')) stamp(path);
      }
    };
    try {
      if (bundled) stamp(root);
      else walk(root);
      id += `;checkout:${h.digest('hex')}`;
    } catch {
      id += ';checkout:unknown';
    }
  }
  return (build = id);
}

/** Where an entry lives on disk: its file's name, and the disk key the file holds. */
export interface DiskEntryKey {
  readonly name: string;
  readonly key: Uint8Array;
}

/**
 * The disk key of in-memory key `key` (with the build's identity, as UTF-8) and its file's
 * name (the key's {@link hash64Hex}).
 *
 * @example
 * ```ts
 * cacheFile(inputsDiskKey(inputsKey(fn, units, 'cpu')!).name); // its file
 * ```
 */
export function inputsDiskKey(key: string): DiskEntryKey {
  const bytes = new TextEncoder().encode(`${key}\0${buildIdentity()}`);
  return { name: hash64Hex(bytes), key: bytes };
}
const diskKey = inputsDiskKey;

// ---- entries ------------------------------------------------------------------------------

function metaOf(k: CompiledKernel): KernelMeta {
  return {
    name: k.name, kind: k.kind, operands: k.operands, nin: k.nin, entries: k.entries, bounds: k.bounds, scratch: k.scratch,
    boundscheck: k.boundscheck, simd: k.simd, warnings: k.warnings,
  };
}

/** Body of a disk entry: u32 length of the metadata JSON, the JSON, then cache.ts's entry body. */
function encodeInputs(e: InputsEntry): Buffer {
  const json = Buffer.from(JSON.stringify(e.meta), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(json.length, 0);
  return Buffer.concat([head, json, encode(e.entry)]);
}

/** Write entry `e` to disk (false when it could not be: no file system, as in a browser, included). */
function writeInputs(dk: DiskEntryKey, e: InputsEntry): boolean {
  try {
    return writeDiskBody(dk.name, encodeInputs(e), dk.key);
  } catch {
    return false;
  }
}

const isStrings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');

/** {@link encodeInputs}'s inverse for a module of `units` units; undefined for anything else. */
function decodeInputs(body: Buffer, units: number): InputsEntry | undefined {
  try {
    if (body.length < 4) return undefined;
    const n = body.readUInt32LE(0);
    if (4 + n > body.length) return undefined;
    const meta = JSON.parse(body.subarray(4, 4 + n).toString('utf8')) as KernelMeta[];
    const ok = Array.isArray(meta) && meta.length === units && meta.every((m) => m !== null && typeof m === 'object'
      && typeof m.name === 'string' && (m.kind === 'scalar' || m.kind === 'gufunc') && isStrings(m.operands) && Number.isInteger(m.nin)
      && typeof m.entries?.row === 'string' && typeof m.entries?.loop === 'string' && Array.isArray(m.bounds) && Array.isArray(m.scratch)
      && typeof m.boundscheck === 'boolean' && Array.isArray(m.warnings));
    if (!ok) return undefined;
    const entry = decode(body.subarray(4 + n));
    return entry && { meta, entry };
  } catch {
    return undefined;
  }
}

/** The fields of a CompiledKernel an entry does not hold: the front end runs when one is first read. */
const LAZY = ['signature', 'ir', 'irText', 'asUnit', 'asSource', 'jsSource', 'jsFunction', 'jsKernel', 'key'] as const;

function lazyKernel(meta: KernelMeta, compile: () => CompiledKernel): CompiledKernel {
  let full: CompiledKernel | undefined;
  const k = { ...meta };
  for (const f of LAZY) {
    Object.defineProperty(k, f, { enumerable: true, get: () => (full ??= compile())[f] });
  }
  return k as unknown as CompiledKernel;
}

function compileUnit(fn: ((...args: never[]) => unknown) | string, u: KernelUnit): CompiledKernel {
  stats.frontEnd++;
  return compileKernel(fn, u.signature, u.options);
}

/** Thrown inside instantiateAt when a hit's entry cannot be used: compile instead. */
class UnusableEntry extends Error {}

function fromEntry(fn: ((...args: never[]) => unknown) | string, units: readonly KernelUnit[], hit: InputsEntry): KernelModuleBuild | null {
  try {
    const m = instantiateAt((base, fresh) => {
      if (fresh) throw new UnusableEntry(); // it did not link
      const r = finish(hit.entry, base, 'a cached kernel module', 'inputs', 0, true);
      if (r === null) throw new UnusableEntry();
      return r;
    }, {}, entryBlockBytes(hit.entry));
    if (!hit.meta.every((k) => typeof m.exports[k.entries.loop] === 'function')) return null;
    stats.hits++;
    const kernels = hit.meta.map((meta, i) => lazyKernel(meta, () => compileUnit(fn, units[i]!)));
    return { kernels, exports: m.exports, module: m.module, from: 'inputs' };
  } catch {
    // Not a module, or one that does not link: compile again.
    return null;
  }
}

/**
 * The module of `units` of kernel `fn` from an entry found by the kernel's inputs (memory;
 * disk with `disk`), instantiated; null on a miss (or an entry that cannot be used: it is
 * forgotten). Runs no front end and no asc: a caller that has a faster tier to offer
 * meanwhile (a JS reference) asks this first.
 *
 * @example
 * ```ts
 * const hit = findKernelModule(fn, units, { disk: true, target: 'cpu' });
 * ```
 */
export function findKernelModule(
  fn: ((...args: never[]) => unknown) | string, units: readonly KernelUnit[], options: { readonly disk: boolean; readonly target: string },
): KernelModuleBuild | null {
  const key = inputsKey(fn, units, options.target);
  if (key === null) return null;
  let hit = memory.get(key);
  let dk: DiskEntryKey | undefined;
  if (hit === undefined && options.disk) {
    dk = diskKey(key);
    const body = readDiskBody(dk.name, dk.key);
    hit = body && decodeInputs(body, units.length);
  }
  if (hit === undefined) return null;
  const r = fromEntry(fn, units, hit);
  if (r === null) {
    memory.delete(key);
    return null;
  }
  memory.set(key, hit);
  if (options.disk && !hit.entry.onDisk && hit.local !== true) {
    // Made without `cache: true` earlier in this process: now on disk too.
    if (writeInputs(dk ?? diskKey(key), hit)) hit.entry.onDisk = true;
  }
  return r;
}

/**
 * Compile `units` of kernel `fn` (or take `kernels`, their compileKernel results, when the
 * caller has them already) into one instantiated module the way instantiateKernels does
 * (through cache.ts), and remember it by the kernel's inputs for {@link findKernelModule}
 * (in memory; on disk with `disk`).
 *
 * @example
 * ```ts
 * const { exports } = buildKernelModule(fn, units, { disk: true, target: 'cpu' }, kernels);
 * ```
 */
export function buildKernelModule(
  fn: ((...args: never[]) => unknown) | string, units: readonly KernelUnit[], options: { readonly disk: boolean; readonly target: string },
  kernels: readonly CompiledKernel[] = units.map((u) => compileUnit(fn, u)),
): KernelModuleBuild {
  const m = instantiateKernels(kernels, { disk: options.disk, target: options.target });
  rememberKernelModule(fn, units, options, kernels, m);
  return { kernels, exports: m.exports, module: m.module, from: m.from };
}

/**
 * Remember module `m`, made from `kernels` (the compileKernel results of `units`), by the
 * kernel's inputs for {@link findKernelModule} (in memory; on disk with `disk`): what
 * {@link buildKernelModule} does after instantiating, and the tiered kernels when their
 * background compile lands (tier.ts).
 *
 * @example
 * ```ts
 * rememberKernelModule(fn, units, { disk: false, target: 'cpu' }, kernels, module);
 * ```
 */
export function rememberKernelModule(
  fn: ((...args: never[]) => unknown) | string, units: readonly KernelUnit[], options: { readonly disk: boolean; readonly target: string },
  kernels: readonly CompiledKernel[], m: KernelModule,
): void {
  const key = m.portable === null ? null : inputsKey(fn, units, options.target);
  if (key === null) return;
  const e: InputsEntry = { meta: kernels.map(metaOf), entry: { ...m.portable!, onDisk: false }, ...(m.local === true ? { local: true as const } : {}) };
  memory.set(key, e);
  if (options.disk && e.local !== true && writeInputs(diskKey(key), e)) e.entry.onDisk = true;
}

/**
 * The front end's compile of each unit (counted in {@link kernelCacheStats}): what a miss
 * runs before its module is made.
 *
 * @example
 * ```ts
 * const kernels = compileUnits(fn, [{ signature: 'f8(f8)', options: { kind: 'scalar', prefix: 'v0_' } }]);
 * ```
 */
export function compileUnits(fn: ((...args: never[]) => unknown) | string, units: readonly KernelUnit[]): CompiledKernel[] {
  return units.map((u) => compileUnit(fn, u));
}

/**
 * Compile `units` of kernel `fn` into one instantiated module: {@link findKernelModule},
 * else {@link buildKernelModule}.
 *
 * @example
 * ```ts
 * const { kernels, exports } = compileKernelModule(fn, [{ signature: 'f8(f8)', options: { kind: 'scalar', prefix: 'v0_' } }], { disk: true, target: 'cpu' });
 * ```
 */
export function compileKernelModule(
  fn: ((...args: never[]) => unknown) | string, units: readonly KernelUnit[], options: { readonly disk: boolean; readonly target: string },
): KernelModuleBuild {
  return findKernelModule(fn, units, options) ?? buildKernelModule(fn, units, options);
}
