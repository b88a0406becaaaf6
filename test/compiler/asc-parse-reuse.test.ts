/**
 * asc's parses of the AS standard library reused between compiles (asc-parse-reuse.ts):
 * the Wasm is the same, byte for byte, as asc's own full parse, for kernels across the
 * language (dtypes, Math tables, int64, f32, SIMD rows, gufunc cores, a large module at
 * -O0), compiled in an order where each reuses what the ones before parsed; and the reuse
 * is real (library files taken from an earlier parse, none parsed again).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileAssemblyScript, loadAsc } from '../../src/compiler/toolchain/asc.js';
import { reuseLibraryParses, type AscInternals, type ParseReuse } from '../../src/compiler/toolchain/asc-parse-reuse.js';
import { diagnosticsOffAndOn, KERNEL_SOURCES } from './asc-sources.js';

const SOURCES = KERNEL_SOURCES;

let reuse: ParseReuse;

beforeAll(async () => {
  await loadAsc();
  reuse = reuseLibraryParses((await import('assemblyscript')) as unknown as AscInternals);
});

describe('reusing asc parses of the standard library', () => {
  it('gives the same Wasm as a full parse, kernel by kernel', async () => {
    const first = await compileAssemblyScript(SOURCES[0]![1]); // the library is parsed (at the latest) here
    expect(first.exports).toContain('a_loop');
    const reusedBefore = reuse.reused;
    const parsedBefore = reuse.parsed;
    for (const [name, source] of SOURCES) {
      reuse.enabled = false;
      let full: Uint8Array;
      try {
        full = (await compileAssemblyScript(source)).binary;
      } finally {
        reuse.enabled = true;
      }
      const reused = (await compileAssemblyScript(source)).binary;
      expect(Buffer.from(reused).equals(Buffer.from(full)), name).toBe(true);
    }
    // Every compile with reuse on took the library from before (dozens of files each) and
    // parsed no library file again: each file's first parse was kept.
    expect(reuse.reused - reusedBefore).toBeGreaterThan(20 * SOURCES.length);
    expect(reuse.parsed).toBe(parsedBefore);
  }, 300_000);

  it('is installed once: a second call returns the same switch', async () => {
    expect(reuseLibraryParses((await import('assemblyscript')) as unknown as AscInternals)).toBe(reuse);
  });

  it('leaves asc diagnostics of a bad kernel as they were (a library import it lacks)', async () => {
    // Not a generated kernel: a source asc rejects, with and without reuse alike.
    const bad = 'import { nope } from "~lib/math";\nexport function f(x: f64): f64 { return nope(x); }';
    const messages = await diagnosticsOffAndOn(reuse, bad);
    expect(messages[0]).toMatch(/nope/);
    expect(messages[1]).toBe(messages[0]);
  }, 120_000);
});
