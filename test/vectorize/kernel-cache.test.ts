/**
 * The cache keyed by a kernel's inputs (src/vectorize/kernel-cache.ts): a hit runs no front
 * end (counted by kernelCacheStats), any input the front end reads (helpers, constants,
 * options, the build's identity) makes a different entry, and an entry that is corrupt or
 * wrong is compiled again, never a crash. Results are checked against plain JS.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import * as nb from '../../src/index.js';
import { compileKernel, staticDataRange } from '../../src/compiler/index.js';
import { runtime as runtimeOf } from '../../src/runtime/runtime.js';
import { cacheFile, clearMemoryCache, decode, overrideCacheOwner, readDiskBody, writeDiskBody } from '../../src/vectorize/cache.js';
import { BASE_A } from '../../src/vectorize/relocate.js';
import { OPTIMIZED } from '../../src/vectorize/tier.js';
import {
  buildIdentity, buildKernelModule, clearKernelMemoryCache, findKernelModule, inputsDiskKey, inputsKey, kernelCacheStats, overrideBuildIdentity,
  type KernelUnit,
} from '../../src/vectorize/kernel-cache.js';

// Names the kernels below read from options.helpers and options.constants.
declare const h: (x: number) => number;
declare const c: number;
declare const t: Float64Array;

const dir = mkdtempSync(join(tmpdir(), 'numbats-kcache-'));
process.env.NUMBATS_CACHE_DIR = dir;

/** Forget every in-memory entry: the next lookup goes to disk. */
function newProcess(): void {
  clearKernelMemoryCache();
  clearMemoryCache();
}

/** Front-end runs and hits during `make`. */
function counted<T>(make: () => T): { value: T; frontEnd: number; hits: number } {
  const a = kernelCacheStats();
  const value = make();
  const b = kernelCacheStats();
  return { value, frontEnd: b.frontEnd - a.frontEnd, hits: b.hits - a.hits };
}

const xs = [0, 0.5, -1.25, 3];
const expectClose = (got: number[], want: number[]) => got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));

// exp/cos pull AS's Math tables in: the entry has static data (relocated on a hit).
const kernel = (x: number) => Math.exp(-x * x) * Math.cos(x) + 1;
const reference = xs.map(kernel);
const unit = (o: Partial<KernelUnit['options']> = {}): KernelUnit => ({ signature: 'f8(f8)', options: { kind: 'scalar', ...o } });

describe('kernel cache keyed by inputs', () => {
  // Entries are written when a module is in place: with tier 'wasm' that is the factory call,
  // so each step below sees the previous one's entry (the default tier: the last test).
  let tier: nb.TierOption;
  beforeAll(() => {
    tier = nb.config().tier;
    nb.config({ tier: 'wasm' });
  });
  afterAll(() => nb.config({ tier }));
  beforeEach(() => overrideBuildIdentity(undefined));

  it("default tier: a miss starts on the JS tier and is remembered when its Wasm lands; the next factory of the kernel hits and starts on Wasm", async () => {
    nb.config({ tier: 'auto' });
    try {
      newProcess();
      // (a scratch array: a kernel the direct emitter does not take, so the miss starts on JS)
      const k2 = (x: number) => { const t = new Float64Array(1); t[0] = cosOf(x); return Math.exp(-x * x) * t[0] + 2; };
      const cosOf = (x: number) => Math.cos(x);
      const make = () => nb.vectorize('f8(f8)', { cache: true, helpers: { cosOf } })(k2);
      const miss = counted(make);
      expect(miss.frontEnd).toBe(1);
      expect(miss.hits).toBe(0);
      expect(miss.value.tier).toBe('js');
      expectClose(miss.value(nb.array(xs)).toArray() as number[], xs.map(k2));
      await miss.value.ready;
      expect(miss.value.tier).toBe('wasm');
      newProcess(); // the disk entry written when the Wasm landed
      const hit = counted(make);
      expect(hit.frontEnd).toBe(0);
      expect(hit.hits).toBe(1);
      expect(hit.value.tier).toBe('wasm');
      expectClose(hit.value(nb.array(xs)).toArray() as number[], xs.map(k2));
    } finally {
      nb.config({ tier: 'wasm' });
    }
  });

  it("default tier: a direct module that calls the math library is Wasm at once, not remembered; asc's module replaces it in the background and is remembered, so the next factory hits it", async () => {
    nb.config({ tier: 'auto' });
    try {
      newProcess();
      const k3 = (x: number) => Math.exp(-x * x) * Math.cos(x) + 3;
      const miss = counted(() => nb.vectorize('f8(f8)', { cache: true })(k3));
      expect([miss.frontEnd, miss.hits, miss.value.tier]).toEqual([1, 0, 'wasm']);
      const before = miss.value(nb.array(xs)).toArray() as number[];
      expectClose(before, xs.map(k3));
      await (miss.value as unknown as Record<symbol, Promise<void>>)[OPTIMIZED];
      // The same bits from asc's module (the same AS functions, inlined).
      expect(miss.value(nb.array(xs)).toArray()).toEqual(before);
      newProcess();
      const hit = counted(() => nb.vectorize('f8(f8)', { cache: true })(k3));
      expect([hit.frontEnd, hit.hits, hit.value.tier]).toEqual([0, 1, 'wasm']);
      expect(hit.value(nb.array(xs)).toArray()).toEqual(before);
    } finally {
      nb.config({ tier: 'wasm' });
    }
  });

  it('a disk hit runs no front end, gives the same results, and its lazy fields compile on first read', () => {
    newProcess();
    const miss = counted(() => nb.vectorize('f8(f8)', { cache: true })(kernel));
    expect(miss.frontEnd).toBe(1);
    expectClose(miss.value(nb.array(xs)).toArray() as number[], reference);
    newProcess();
    const hit = counted(() => nb.vectorize('f8(f8)', { cache: true })(kernel));
    expect(hit.frontEnd).toBe(0);
    expect(hit.hits).toBe(1);
    expectClose(hit.value(nb.array(xs)).toArray() as number[], reference);
    // The loop facts come from the entry; the sources from the front end, when asked for.
    const k = hit.value.kernels[0]!;
    expect(k.operands).toEqual(['float64', 'float64']);
    const asSource = counted(() => k.asSource);
    expect(asSource.frontEnd).toBe(1);
    expect(asSource.value).toBe(compileKernel(kernel, 'f8(f8)', { kind: 'scalar', prefix: 'v0_', name: 'kernel', fastmath: false, boundscheck: true }).asSource);
    expect(k.jsKernel(0.5)).toBeCloseTo(kernel(0.5), 12);
  });

  it('findKernelModule only looks up; buildKernelModule takes kernels already compiled and remembers them', () => {
    newProcess();
    const f = (x: number) => x * x - 2;
    const units: KernelUnit[] = [{ signature: 'f8(f8)', options: { kind: 'scalar', prefix: 'v0_', name: 'split' } }];
    const miss = counted(() => findKernelModule(f, units, { disk: true, target: 'cpu' }));
    expect(miss.value).toBeNull();
    expect(miss.frontEnd).toBe(0);
    const kernels = units.map((u) => compileKernel(f, u.signature, u.options));
    const built = counted(() => buildKernelModule(f, units, { disk: true, target: 'cpu' }, kernels));
    expect(built.frontEnd).toBe(0); // the kernels given were used
    expect(built.value.kernels).toBe(kernels);
    newProcess();
    const hit = counted(() => findKernelModule(f, units, { disk: true, target: 'cpu' }));
    expect(hit.frontEnd).toBe(0);
    expect(hit.value!.from).toBe('inputs');
    // The row entry on one element, against plain JS.
    const { heap, memory } = runtimeOf();
    const at = heap.alloc(16);
    const view = new Float64Array(memory.buffer, at, 2);
    view[0] = 1.5;
    (hit.value!.exports[hit.value!.kernels[0]!.entries.row] as (...a: number[]) => void)(1, at, 8, at + 8, 8);
    expect(view[1]).toBe(f(1.5));
    heap.free(at);
  });

  it('a hit reserves the heap block its static data needs, once, and none without static data', () => {
    const { heap, memory } = runtimeOf();
    const cases: Array<[string, (x: number) => number, boolean]> = [
      ['no static data', (x) => x * 4 - 3, false],
      ['static data (Math tables)', (x) => Math.exp(-x) * Math.sin(x) + 4, true],
    ];
    for (const [what, f, hasData] of cases) {
      const units: KernelUnit[] = [{ signature: 'f8(f8)', options: { kind: 'scalar', prefix: 'v0_', name: 'blocks' } }];
      newProcess();
      buildKernelModule(f, units, { disk: true, target: 'cpu' });
      newProcess();
      const sizes: number[] = [];
      const alloc = heap.alloc.bind(heap);
      const spy = vi.spyOn(heap, 'alloc').mockImplementation((bytes: number) => (sizes.push(bytes), alloc(bytes)));
      let hit: ReturnType<typeof findKernelModule>;
      try {
        hit = findKernelModule(f, units, { disk: true, target: 'cpu' });
      } finally {
        spy.mockRestore();
      }
      expect(hit!.from, what).toBe('inputs');
      if (!hasData) expect(sizes, what).toEqual([]);
      else {
        // One block: the static data's end above the canonical base, and the base's 64-byte alignment.
        const dk = inputsDiskKey(inputsKey(f, units, 'cpu')!);
        const body = readDiskBody(dk.name, dk.key)!;
        const entry = decode(body.subarray(4 + body.readUInt32LE(0)))!;
        const data = staticDataRange(entry.bytes)!;
        expect(entry.relocs, what).not.toBeNull();
        expect(sizes.length, what).toBe(1);
        expect(sizes[0]!, what).toBeGreaterThanOrEqual(data.end - BASE_A + 48);
      }
      const at = heap.alloc(16);
      const view = new Float64Array(memory.buffer, at, 2);
      view[0] = 0.75;
      (hit!.exports[hit!.kernels[0]!.entries.row] as (...a: number[]) => void)(1, at, 8, at + 8, 8);
      expect(view[1], what).toBeCloseTo(f(0.75), 14);
      heap.free(at);
    }
  });

  it('a gufunc hit keeps its lint warnings and bounds sites', () => {
    newProcess();
    const make = () => nb.guvectorize(['void(f8[:], f8[:])'], '(n)->()', { cache: true })((a: Float64Array, out: Float64Array) => {
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i + 1]!;
      out[0] = s;
    });
    const miss = counted(make);
    newProcess();
    const hit = counted(make);
    expect(hit.frontEnd).toBe(0);
    expect(hit.value.kernels[0]!.bounds).toEqual(miss.value.kernels[0]!.bounds);
    expect(hit.value.kernels[0]!.bounds.length).toBeGreaterThan(0);
    expect(hit.value.kernels[0]!.warnings).toEqual(miss.value.kernels[0]!.warnings);
    // The bounds check still reports the kernel's line: a[i + 1] past the end.
    expect(() => hit.value(nb.array([[1, 2], [3, 4]]))).toThrow(/a\[/);
  });

  it('different helpers or constants are different entries', () => {
    newProcess();
    const k = (x: number) => h(x) * c;
    const run = (helpers: Record<string, (x: number) => number>, constants: Record<string, number>) =>
      counted(() => nb.vectorize('f8(f8)', { cache: true, helpers, constants })(k));
    const one = run({ h: (x) => x + 1 }, { c: 2 });
    expect(one.frontEnd).toBe(1);
    expect(one.value(nb.array(xs)).toArray()).toEqual(xs.map((x) => (x + 1) * 2));
    const helper = run({ h: (x) => x + 2 }, { c: 2 });
    expect(helper.frontEnd).toBe(1);
    expect(helper.value(nb.array(xs)).toArray()).toEqual(xs.map((x) => (x + 2) * 2));
    const constant = run({ h: (x) => x + 1 }, { c: 3 });
    expect(constant.frontEnd).toBe(1);
    expect(constant.value(nb.array(xs)).toArray()).toEqual(xs.map((x) => (x + 1) * 3));
    // A built-in ufunc as the helper, by name; then the first helper again: a hit.
    const builtin = counted(() => nb.vectorize('f8(f8)', { cache: true, helpers: { h: nb.sqrt }, constants: { c: 2 } })(k));
    expect(builtin.frontEnd).toBe(1);
    expectClose(builtin.value(nb.array([0, 0.25, 4])).toArray() as number[], [0, 0.25, 4].map((x) => Math.sqrt(x) * 2));
    newProcess();
    expect(run({ h: (x) => x + 1 }, { c: 2 }).frontEnd).toBe(0);
  });

  it('typed-array constants are keyed by their contents', () => {
    newProcess();
    const k = (i: number) => t[i]!;
    const run = (table: Float64Array) => counted(() => nb.vectorize('f8(i4)', { cache: true, constants: { t: table } })(k));
    const a = run(new Float64Array([1, 2, 3]));
    const b = run(new Float64Array([1, 2, 4]));
    expect([a.frontEnd, b.frontEnd]).toEqual([1, 1]);
    expect(b.value(nb.array([0, 2], 'int32')).toArray()).toEqual([1, 4]);
    expect(run(new Float64Array([1, 2, 3])).frontEnd).toBe(0);
    // The direct module has the tables' address in this process's heap inside: kept in
    // memory only, so a new process (the memory caches cleared) finds no disk entry.
    expect(a.value.tier).toBe('wasm');
    newProcess();
    expect(run(new Float64Array([1, 2, 3])).frontEnd).toBe(1);
  });

  it('every option and input changes the key; inputs without a fingerprint have no key', () => {
    const base = inputsKey(kernel, [unit()], 'cpu');
    // The in-memory key is the inputs' text; the disk key adds the build's identity, and names its file by a hash.
    expect(base).toContain('Math.exp(-x * x) * Math.cos(x) + 1');
    const disk = inputsDiskKey(base!);
    expect(disk.name).toMatch(/^[0-9a-f]{16}$/);
    expect(Buffer.from(disk.key).toString('utf8')).toBe(`${base!}\0${buildIdentity()}`);
    expect(inputsKey(kernel, [unit()], 'cpu')).toBe(base);
    // An omitted option and its default share the entry.
    expect(inputsKey(kernel, [unit({ boundscheck: true, fastmath: false, prefix: '' })], 'cpu')).toBe(base);
    const variants: KernelUnit['options'][] = [
      { kind: 'scalar', fastmath: true }, { kind: 'scalar', boundscheck: false }, { kind: 'scalar', name: 'k2' },
      { kind: 'scalar', prefix: 'v1_' }, { kind: 'scalar', strict: true }, { kind: 'scalar', target: 'gpu' },
      { kind: 'gufunc', core: { nin: 1, dims: [], operands: [[], []] } },
      { kind: 'scalar', helpers: { h: '(x) => x' } }, { kind: 'scalar', constants: { c: 1 } },
      { kind: 'scalar', constants: { c: -0 } }, { kind: 'scalar', constants: { c: 0 } }, { kind: 'scalar', constants: { c: 0n } },
      // Typed arrays by type and bytes (the bytes go in as their hash).
      { kind: 'scalar', constants: { t: new Float64Array([1, 2]) } }, { kind: 'scalar', constants: { t: new Float64Array([1, 3]) } },
      { kind: 'scalar', constants: { t: new Int32Array([1, 2]) } }, { kind: 'scalar', constants: { t: new Int32Array([1, 2, 0, 0]) } },
    ];
    const keys = new Set([base, ...variants.map((o) => inputsKey(kernel, [{ signature: 'f8(f8)', options: o }], 'cpu'))]);
    expect(keys.size).toBe(variants.length + 1);
    expect(inputsKey(kernel, [unit()], 'parallel')).not.toBe(base);
    expect(inputsKey(kernel, [{ signature: 'f4(f4)', options: { kind: 'scalar' } }], 'cpu')).not.toBe(base);
    expect(inputsKey(kernel, [unit(), unit()], 'cpu')).not.toBe(base);
    expect(inputsKey('(x) => x + 2', [unit()], 'cpu')).not.toBe(inputsKey('(x) => x + 1', [unit()], 'cpu'));
    // A native function other than the known ones prints like every other: no key.
    expect(inputsKey(kernel, [unit({ helpers: { h: Math.hypot.bind(null) } })], 'cpu')).toBeNull();
    expect(inputsKey(kernel, [unit({ constants: { c: 'text' as unknown as number } })], 'cpu')).toBeNull();
  });

  it('a new build (version) misses; the old one still hits', () => {
    expect(buildIdentity()).toContain('numbats@');
    expect(buildIdentity()).toContain('asc@');
    const make = () => counted(() => nb.vectorize('f8(f8)', { cache: true, name: 'versioned' })((x: number) => x * 3 - 1));
    overrideBuildIdentity('numbats@1.0.0;asc@0.28.0;test');
    newProcess();
    expect(make().frontEnd).toBe(1);
    overrideBuildIdentity('numbats@1.0.1;asc@0.28.0;test');
    newProcess();
    const other = make();
    expect(other.frontEnd).toBe(1);
    expect(other.value(nb.array(xs)).toArray()).toEqual(xs.map((x) => x * 3 - 1));
    overrideBuildIdentity('numbats@1.0.0;asc@0.28.0;test');
    newProcess();
    expect(make().frontEnd).toBe(0);
  });

  it('a corrupt or wrong entry is compiled again and replaced, never a crash', () => {
    const f = (x: number) => Math.cos(x) * 2;
    const make = () => counted(() => nb.vectorize('f8(f8)', { cache: true, name: 'corrupt' })(f));
    const units: KernelUnit[] = [{ signature: 'f8(f8)', options: { kind: 'scalar', prefix: 'v0_', fastmath: false, name: 'corrupt', boundscheck: true } }];
    const dk = inputsDiskKey(inputsKey(f, units, 'cpu')!);
    const file = cacheFile(dk.name);
    newProcess();
    expect(make().frontEnd).toBe(1);
    expect(readdirSync(dir)).toContain(file.split('/').pop());
    // Another kernel's entry, for the copy below.
    const g = (x: number) => Math.cos(x) * 3;
    nb.vectorize('f8(f8)', { cache: true, name: 'corrupt' })(g);
    const other = inputsDiskKey(inputsKey(g, units, 'cpu')!);
    expect(readdirSync(dir)).toContain(`${other.name}.wasm`);
    const good = readFileSync(file);
    const body = good.subarray(good.length - readDiskBody(dk.name, dk.key)!.length);
    const metaLen = body.readUInt32LE(0);
    const meta = JSON.parse(body.subarray(4, 4 + metaLen).toString()) as Array<Record<string, unknown>>;
    const withMeta = (m: unknown, rest = body.subarray(4 + metaLen)) => {
      const json = Buffer.from(JSON.stringify(m));
      const head = Buffer.alloc(4);
      head.writeUInt32LE(json.length);
      return Buffer.concat([head, json, rest]);
    };
    const write = (b: Buffer) => writeDiskBody(dk.name, b, dk.key);
    const cases: Array<[string, () => void]> = [
      ['a flipped byte (checksum)', () => { const b = Buffer.from(good); b[b.length - 7]! ^= 0xff; writeFileSync(file, b); }],
      ['a truncated file', () => writeFileSync(file, good.subarray(0, 40))],
      ['metadata that is not JSON', () => write(Buffer.concat([Buffer.from([5, 0, 0, 0]), Buffer.from('{{{{{'), body.subarray(4 + metaLen)]))],
      ['metadata of the wrong shape', () => write(withMeta([{ name: 1 }]))],
      ['entry names the module does not export', () => write(withMeta(meta.map((m) => ({ ...m, entries: { row: 'nope', loop: 'nope' } }))))],
      ['bytes that are not Wasm', () => write(withMeta(meta, Buffer.from([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8])))],
      // Intact files that are not this key's: never used, whatever they hold.
      ["another build's entry under this name", () => writeDiskBody(dk.name, body, Buffer.from(`${inputsKey(f, units, 'cpu')!}\0numbats@0.0.1;asc@0.0.1`))],
      ['a flipped byte in the stored key', () => { const b = Buffer.from(good); b[8 + 3]! ^= 0x01; writeFileSync(file, b); }],
      ["another kernel's file copied over it", () => copyFileSync(cacheFile(other.name), file)],
      ['a file of the old layout (SHA-256 of key and body first)', () => writeFileSync(file, Buffer.concat([createHash('sha256').update(dk.name).update('\0').update(body).digest(), body]))],
    ];
    for (const [what, corrupt] of cases) {
      corrupt();
      newProcess();
      const again = make();
      expect(again.frontEnd, what).toBe(1);
      expect(again.value(nb.array(xs)).toArray(), what).toEqual(xs.map(f));
      // Replaced: the next lookup hits.
      newProcess();
      expect(make().frontEnd, what).toBe(0);
    }
  });
});

describe('kernel cache: files of another user', () => {
  let tier: nb.TierOption;
  beforeAll(() => {
    tier = nb.config().tier;
    nb.config({ tier: 'wasm' });
  });
  afterAll(() => {
    overrideCacheOwner(undefined);
    nb.config({ tier });
  });

  it('an intact entry that another user owns is not used (a shared cache directory); its owner\'s is', () => {
    const f = (x: number) => Math.sin(x) * 2 - 1;
    const make = () => counted(() => nb.vectorize('f8(f8)', { cache: true, name: 'owned' })(f));
    newProcess();
    expect(make().frontEnd).toBe(1);
    // Read as if this process ran as the next user id: the file (this user's) is another's.
    overrideCacheOwner((process.getuid?.() ?? 1000) + 1);
    newProcess();
    const theirs = make();
    expect(theirs.frontEnd).toBe(1);
    expect(theirs.value(nb.array(xs)).toArray()).toEqual(xs.map(f));
    overrideCacheOwner(undefined);
    newProcess();
    expect(make().frontEnd).toBe(0);
  });
});
