/**
 * setMemoryImportMinimum (src/vectorize/relocate.ts), which every cache hit runs: the
 * rewritten module is valid Wasm whose memory import needs exactly the pages asked for (the
 * engine is the reference: it links with a memory of that many pages and refuses one page
 * less), its code is untouched, and a module whose minimum is already right comes back as
 * it is (no copy).
 */
import { describe, expect, it } from 'vitest';
import { setMemoryImportMinimum } from '../../src/vectorize/relocate.js';

const uleb = (v: number): number[] => {
  const out: number[] = [];
  do {
    let b = v & 0x7f;
    v >>>= 7;
    if (v !== 0) b |= 0x80;
    out.push(b);
  } while (v !== 0);
  return out;
};
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const name = (s: string): number[] => [s.length, ...[...s].map((c) => c.charCodeAt(0))];

/** A module as asc makes them: `env.memory` imported shared (minimum `pages`, maximum 65536); `f()` loads the i32 at 64. */
function module(pages: number): Uint8Array {
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0,
    ...section(1, [1, 0x60, 0, 1, 0x7f]),
    ...section(2, [1, ...name('env'), ...name('memory'), 2, 3, ...uleb(pages), ...uleb(65536)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('f'), 0, 0]),
    ...section(10, [1, ...section(0, [0, 0x41, 0xc0, 0x00, 0x28, 2, 0, 0x0b]).slice(1)]),
  ]);
}

const memory = (pages: number) => new WebAssembly.Memory({ initial: pages, maximum: 65536, shared: true });

describe('setMemoryImportMinimum', () => {
  // 4096 pages: what asc writes for a module compiled at relocate.ts's canonical base.
  const original = module(4096);

  it.each([0, 1, 2, 127, 128, 300])('sets the minimum to %i pages: the engine links with that many and not one fewer', (pages) => {
    const out = setMemoryImportMinimum(original, pages);
    const m = new WebAssembly.Module(out as Uint8Array<ArrayBuffer>);
    const mem = memory(Math.max(pages, 1));
    new Int32Array(mem.buffer)[16] = 7 * pages + 1;
    const instance = new WebAssembly.Instance(m, { env: { memory: mem } });
    expect((instance.exports['f'] as () => number)()).toBe(7 * pages + 1);
    if (pages > 0) expect(() => new WebAssembly.Instance(m, { env: { memory: memory(pages - 1) } })).toThrow(WebAssembly.LinkError);
    // Only the import section changed: the code section ends the module, byte for byte.
    const code = original.subarray(original.length - 12);
    expect(Buffer.from(out.subarray(out.length - 12)).equals(Buffer.from(code))).toBe(true);
  });

  it('grows the minimum\'s LEB past the original length (20000 pages: 3 bytes) and stays valid', () => {
    const out = setMemoryImportMinimum(original, 20_000);
    expect(out.length).toBe(original.length + 1);
    expect(WebAssembly.validate(out as Uint8Array<ArrayBuffer>)).toBe(true);
    expect(setMemoryImportMinimum(out, 20_000)).toBe(out);
  });

  it('returns the module itself when its minimum is already the one asked for', () => {
    expect(setMemoryImportMinimum(original, 4096)).toBe(original);
    const zero = setMemoryImportMinimum(original, 0);
    expect(setMemoryImportMinimum(zero, 0)).toBe(zero);
  });
});
