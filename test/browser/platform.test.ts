/**
 * The browser sides of the platform seams, in Chromium: the synchronous SHA-256 that cache
 * keys use (FIPS 180-2 vectors), the compiler worker (a module Web Worker running asc:
 * typed errors, and a working compile after one), and the no-file-system seam (and
 * `cache: true` on top of it: modules stay in memory, a second factory hits there).
 */
import { describe, expect, it } from 'vitest';
import * as nb from '../../src/index.js';
import { kernelCacheStats } from '../../src/vectorize/kernel-cache.js';
import { OPTIMIZED } from '../../src/vectorize/tier.js';
import { compilerWorker } from '../../src/compiler/toolchain/compiler-worker.browser.js';
import { AscCompileError, ascFlagsFor } from '../../src/compiler/toolchain/asc.js';
import * as files from '../../src/platform/files.browser.js';
import { createHash } from '../../src/platform/hash.browser.js';

describe('platform seams in Chromium', () => {
  it('createHash(sha256) gives the FIPS 180-2 digests, fed whole or in pieces', () => {
    const vectors: [string, string][] = [
      ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ['abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq', '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
    ];
    for (const [text, digest] of vectors) {
      expect(createHash('sha256').update(text).digest('hex')).toBe(digest);
      const h = createHash('sha256');
      for (const ch of text) h.update(ch);
      expect(h.digest('hex')).toBe(digest);
    }
    // one million 'a' (FIPS 180-2 appendix B.3), as bytes in uneven chunks
    const h = createHash('sha256');
    const chunk = new Uint8Array(999).fill(97);
    let left = 1_000_000;
    while (left > 0) { const n = Math.min(left, chunk.length); h.update(chunk.subarray(0, n)); left -= n; }
    expect(h.digest('hex')).toBe('cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0');
  });

  it('the compiler worker compiles AssemblyScript off the page thread; asc errors are AscCompileError, and it keeps working', async () => {
    const good = 'export function triple(x: i32): i32 { return x * 3; }\n';
    const bad = 'export function oops(x: i32): i32 { return y; }\n';
    await expect(compilerWorker.compile({ source: bad, flags: ascFlagsFor(bad) })).rejects.toBeInstanceOf(AscCompileError);
    await expect(compilerWorker.compile({ source: bad, flags: ascFlagsFor(bad) })).rejects.toMatchObject({ code: 'E_TARGET_COMPILE' });
    const { binary } = await compilerWorker.compile({ source: good, flags: ascFlagsFor(good) });
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>), { env: { memory } });
    expect((inst.exports.triple as (x: number) => number)(14)).toBe(42);
  }, 120_000);

  it('the compiler worker ends when idle and a later compile starts a new one; requests in a burst share one', async () => {
    const src = (k: number) => `export function f(x: i32): i32 { return x * ${k}; }\n`;
    const run = async (k: number) => {
      const { binary } = await compilerWorker.compile({ source: src(k), flags: ascFlagsFor(src(k)) });
      const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
      return (new WebAssembly.Instance(new WebAssembly.Module(binary as Uint8Array<ArrayBuffer>), { env: { memory } }).exports.f as (x: number) => number)(7);
    };
    compilerWorker.setIdleMs!(200);
    try {
      expect(await run(2)).toBe(14);
      const before = compilerWorker.spawned!();
      // Three requests in a row, each posted as the previous reply arrives: one worker.
      expect([await run(3), await run(4), await run(5)]).toEqual([21, 28, 35]);
      expect(compilerWorker.spawned!()).toBe(before);
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await run(6)).toBe(42);
      expect(compilerWorker.spawned!()).toBe(before + 1);
    } finally {
      compilerWorker.setIdleMs!(undefined);
    }
  }, 120_000);

  it('there is no file system: file functions throw, the environment is empty', () => {
    expect(() => files.readFileSync()).toThrow(/no file system in a browser/);
    expect(() => files.openSync()).toThrow(/no file system in a browser/);
    expect(files.userId()).toBeUndefined();
    expect(files.env('NUMBATS_CACHE_DIR')).toBeUndefined();
    expect(files.join('a', 'b')).toBe('a/b');
  });

  it('vectorize with cache: true works without a file system: the module stays in memory, a second factory hits it', async () => {
    const kernel = (x: number) => Math.exp(-x) * 2 + 0.5;
    const xs = [0, 0.5, 3];
    const first = nb.vectorize('f8(f8)', { cache: true })(kernel);
    // (a direct module calling the math library at once; asc's module, which the cache keeps, in the background)
    await first.ready;
    await (first as unknown as Record<symbol, Promise<void>>)[OPTIMIZED];
    (first(nb.array(xs)).toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(kernel(xs[i]!), 12));
    const hits = kernelCacheStats().hits;
    const second = nb.vectorize('f8(f8)', { cache: true })(kernel);
    expect(second.tier).toBe('wasm');
    expect(kernelCacheStats().hits).toBe(hits + 1);
    (second(nb.array(xs)).toArray() as number[]).forEach((v, i) => expect(v).toBeCloseTo(kernel(xs[i]!), 12));
  }, 120_000);
});
