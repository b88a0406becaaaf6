import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { compileKernel, linkKernels } from '../../src/compiler/index.js';
import { cacheFile, cacheKey, cacheMaxBytes, clearMemoryCache, compileCached, sweepCache, TMP_MAX_AGE_MS } from '../../src/vectorize/cache.js';
import { compileBytesSync, compileSync } from '../../src/vectorize/compile-sync.js';
import { vectorize } from '../../src/vectorize/vectorize.js';

process.env.NUMBATS_CACHE_DIR = mkdtempSync(join(tmpdir(), 'numbats-cache-'));

// exp/cos pull AS's Math tables in: the module has static data (a relocated entry).
const src = linkKernels([compileKernel((x: number) => Math.exp(-x * x) * Math.cos(x), 'f8(f8)', { kind: 'scalar', prefix: 'c_' })]);
const base = 1 << 22;

describe('compile cache', () => {

  it('memory, then disk, then a corrupt entry is rebuilt', () => {
    clearMemoryCache();
    const a = compileCached(src, { memoryBase: base, disk: true });
    expect(a.from).toBe('compiled');
    expect(a.staticData).not.toBeNull();
    expect(compileCached(src, { memoryBase: base, disk: true }).from).toBe('memory');
    clearMemoryCache();
    const b = compileCached(src, { memoryBase: base, disk: true });
    expect(b.from).toBe('disk');
    expect(Buffer.from(b.binary).equals(Buffer.from(a.binary))).toBe(true);
    // Corrupt the entry: flip a byte in the body.
    const file = cacheFile(cacheKey(src, 'cpu', null)); // position-independent: no base in the key
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0xff;
    writeFileSync(file, bytes);
    clearMemoryCache();
    expect(compileCached(src, { memoryBase: base, disk: true }).from).toBe('compiled');
    clearMemoryCache();
    expect(compileCached(src, { memoryBase: base, disk: true }).from).toBe('disk');
    // A truncated entry too.
    writeFileSync(file, bytes.subarray(0, 10));
    clearMemoryCache();
    expect(compileCached(src, { memoryBase: base, disk: true }).from).toBe('compiled');
  });

  it('one position-independent entry serves every base: relocated, same static data as a compile there', () => {
    clearMemoryCache();
    const other = base + 3 * 65536 + 64;
    const r = compileCached(src, { memoryBase: other, disk: true });
    expect(r.from).toBe('disk');
    expect(r.staticData!.start).toBe(other);
    const direct = compileSync(src, { memoryBase: other });
    expect(r.staticData).toEqual(direct.staticData);
    // What instantiation writes is the same bytes at the same place.
    const written = (m: WebAssembly.Module) => {
      const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true });
      new WebAssembly.Instance(m, { env: { memory } });
      return Buffer.from(new Uint8Array(memory.buffer, r.staticData!.start, r.staticData!.end - r.staticData!.start));
    };
    expect(written(r.module).equals(written(direct.module))).toBe(true);
    // The memory import asks only for what the static data needs (asc's minimum covered the
    // canonical base, 256 MiB: a fresh process's heap refused it with a LinkError).
    const memory = new WebAssembly.Memory({ initial: Math.ceil(r.staticData!.end / 65536), maximum: 65536, shared: true });
    expect(() => new WebAssembly.Instance(r.module, { env: { memory } })).not.toThrow();
  });

  it('kernels with static data give right results after different allocation histories', () => {
    clearMemoryCache();
    const kernel = (x: number) => Math.exp(-x * x) * Math.cos(x) + Math.pow(2, x);
    const keep = [nb.zeros([1 << 16]), nb.zeros([12345])];
    const f = vectorize('f8(f8)', { cache: true })(kernel);
    keep.push(nb.zeros([1 << 18]));
    const g = vectorize('f8(f8)', { cache: true })(kernel);
    const xs = [0, 0.5, -1.25, 3];
    const want = xs.map(kernel);
    for (const h of [f, g]) {
      const got = h(nb.array(xs)).toArray() as number[];
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 12));
    }
    expect(keep.length).toBe(3);
  });

  it('vectorize with cache: true gives working ufuncs', () => {
    const f = vectorize('f8(f8)', { cache: true })((x: number) => x * 2 + 1);
    expect(f(nb.array([1.5])).toArray()).toEqual([4]);
  });

  it('compile errors of asc come back as AscCompileError, not a hang', () => {
    expect(() => compileSync('export function f(): i32 { return nope; }')).toThrow(/AssemblyScript compile/);
  });

  it('a compile that takes too long is a TargetError, and the next compile still works', () => {
    expect(() => compileBytesSync(src + '\n// timeout', 1 << 23, 1)).toThrow(nb.TargetError);
    expect(compileSync('export function f(): i32 { return 1; }').binary.length).toBeGreaterThan(8);
  });
});

describe('cache directory upkeep', () => {
  const fill = (dir: string, name: string, bytes: number, ageMs: number) => {
    const p = join(dir, name);
    writeFileSync(p, new Uint8Array(bytes));
    const t = new Date(Date.now() - ageMs);
    utimesSync(p, t, t);
    return p;
  };

  it('orphaned temporary files are removed, a writer\'s fresh one is kept', () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbats-sweep-'));
    const old = fill(dir, 'k.123.abc.tmp', 10, TMP_MAX_AGE_MS + 60_000);
    const fresh = fill(dir, 'k.456.def.tmp', 10, 1000);
    const entry = fill(dir, 'k.wasm', 10, TMP_MAX_AGE_MS + 60_000);
    expect(sweepCache(dir, 1 << 20)).toEqual(['k.123.abc.tmp']);
    expect([existsSync(old), existsSync(fresh), existsSync(entry)]).toEqual([false, true, true]);
  });

  it('the cap is $NUMBATS_CACHE_MAX_MB MiB (default 256; an empty or invalid value keeps the default)', () => {
    const saved = process.env.NUMBATS_CACHE_MAX_MB;
    try {
      delete process.env.NUMBATS_CACHE_MAX_MB;
      expect(cacheMaxBytes()).toBe(256 * 2 ** 20);
      process.env.NUMBATS_CACHE_MAX_MB = '3';
      expect(cacheMaxBytes()).toBe(3 * 2 ** 20);
      for (const bad of ['', 'lots', '-1']) {
        process.env.NUMBATS_CACHE_MAX_MB = bad;
        expect(cacheMaxBytes()).toBe(256 * 2 ** 20);
      }
    } finally {
      if (saved === undefined) delete process.env.NUMBATS_CACHE_MAX_MB;
      else process.env.NUMBATS_CACHE_MAX_MB = saved;
    }
  });

  it('over the cap, least recently used entries go first; other files are left alone', () => {
    const dir = mkdtempSync(join(tmpdir(), 'numbats-sweep-'));
    fill(dir, 'a.wasm', 1000, 40_000);
    fill(dir, 'b.wasm', 1000, 10_000);
    fill(dir, 'c.wasm', 1000, 30_000);
    fill(dir, 'd.wasm', 1000, 20_000);
    fill(dir, 'notes.txt', 5000, 99_000);
    mkdirSync(join(dir, 'sub'));
    expect(sweepCache(dir, 2500)).toEqual(['a.wasm', 'c.wasm']);
    expect(sweepCache(dir, 2500)).toEqual([]);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  });

  it('a disk hit makes its entry young (touches mtime)', () => {
    clearMemoryCache();
    compileCached(src, { memoryBase: base, disk: true });
    const file = cacheFile(cacheKey(src, 'cpu', null));
    const t = new Date(Date.now() - 3_600_000);
    utimesSync(file, t, t);
    clearMemoryCache();
    expect(compileCached(src, { memoryBase: base, disk: true }).from).toBe('disk');
    expect(Date.now() - statSync(file).mtimeMs).toBeLessThan(600_000);
  });
});

