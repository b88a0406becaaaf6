import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { compileKernel, linkKernels } from '../../src/compiler/index.js';
import { cacheFile, cacheKey, clearMemoryCache, compileCached } from '../../src/vectorize/cache.js';
import { compileBytesSync, compileSync } from '../../src/vectorize/compile-sync.js';
import { vectorize } from '../../src/vectorize/vectorize.js';

process.env.NUMBATS_CACHE_DIR = mkdtempSync(join(tmpdir(), 'numbats-cache-'));

describe('compile cache', () => {
  // exp/cos pull AS's Math tables in: the module has static data, so its key has the base.
  const src = linkKernels([compileKernel((x: number) => Math.exp(-x * x) * Math.cos(x), 'f8(f8)', { kind: 'scalar', prefix: 'c_' })]);
  const base = 1 << 22;

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
    const file = cacheFile(cacheKey(src, 'cpu', base));
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

  it('another memoryBase is another entry', () => {
    const r = compileCached(src, { memoryBase: base + 65536, disk: true });
    expect(r.from).toBe('compiled');
    expect(r.staticData!.start).toBe(base + 65536);
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
