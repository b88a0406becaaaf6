/**
 * asc's standard library without the files kernels never use (asc-library-trim.ts): the
 * Wasm is the same, byte for byte, as with the whole library, for generated modules across
 * the kernel language (asc-sources.ts); the files are really left out; a source that needs
 * one of them compiles all the same (again with the whole library), in this thread and in the
 * Node compiler worker; and a source asc rejects gets the whole library's diagnostics.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { compileAssemblyScript, loadAsc } from '../../src/compiler/toolchain/asc.js';
import { UNUSED_LIBRARY_FILES, type LibraryTrim } from '../../src/compiler/toolchain/asc-library-trim.js';
import { compileSync } from '../../src/vectorize/compile-sync.js';
import { diagnosticsOffAndOn, goldenSources, KERNEL_SOURCES, stencilAndJitSources } from './asc-sources.js';

let trim: LibraryTrim;
let libraryFiles: Record<string, string>;

beforeAll(async () => {
  trim = (await loadAsc()).trim;
  libraryFiles = ((await import('assemblyscript/asc')) as unknown as { libraryFiles: Record<string, string> }).libraryFiles;
});

/** Compile `source` with the whole library (the trim off for this compile). */
async function withWholeLibrary(source: string): Promise<Uint8Array> {
  trim.enabled = false;
  try {
    return (await compileAssemblyScript(source)).binary;
  } finally {
    trim.enabled = true;
  }
}

// `bswap` is declared in polyfills.ts, one of the files left out.
const NEEDS_POLYFILLS = 'export function f(x: i32): i32 { return bswap<i32>(x) + 1; }';

describe('the trimmed standard library', () => {
  it('leaves out exactly the listed top-level files, and puts them back when off', () => {
    const topLevel = () => Object.keys(libraryFiles).filter((k) => !k.includes('/'));
    expect(topLevel().filter((k) => UNUSED_LIBRARY_FILES.includes(k))).toEqual([]);
    trim.enabled = false;
    try {
      // Every listed file exists in this assemblyscript (a rename would make the list stale).
      expect(UNUSED_LIBRARY_FILES.filter((f) => !topLevel().includes(f))).toEqual([]);
    } finally {
      trim.enabled = true;
    }
    expect(topLevel().length).toBeGreaterThan(5); // builtins, math, memory, string, ... stay
  });

  it('gives the same Wasm as the whole library, module by module', async () => {
    const sources = [...KERNEL_SOURCES, ...goldenSources(), ...stencilAndJitSources()];
    expect(sources.length).toBeGreaterThan(15);
    const fallbacks = trim.fallbacks;
    for (const [name, source] of sources) {
      const whole = await withWholeLibrary(source);
      const trimmed = (await compileAssemblyScript(source)).binary;
      expect(Buffer.from(trimmed).equals(Buffer.from(whole)), name).toBe(true);
    }
    // None of them needed a left-out file.
    expect(trim.fallbacks).toBe(fallbacks);
  }, 600_000);

  it('compiles a source that needs a left-out file with the whole library', async () => {
    const fallbacks = trim.fallbacks;
    const { binary, module } = await compileAssemblyScript(NEEDS_POLYFILLS);
    expect(trim.fallbacks).toBe(fallbacks + 1);
    expect(Buffer.from(binary).equals(Buffer.from(await withWholeLibrary(NEEDS_POLYFILLS)))).toBe(true);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
    const f = (await WebAssembly.instantiate(module, { env: { memory } })).exports.f as (x: number) => number;
    expect(f(0x01020304)).toBe(0x04030201 + 1);
    // The library is trimmed again for the next compile.
    expect(Object.keys(libraryFiles)).not.toContain('polyfills');
  }, 120_000);

  it('does the same in the Node compiler worker', async () => {
    const whole = await withWholeLibrary(NEEDS_POLYFILLS);
    expect(Buffer.from(compileSync(NEEDS_POLYFILLS).binary).equals(Buffer.from(whole))).toBe(true);
    const [, rowdot] = KERNEL_SOURCES.find(([name]) => name === 'gufunc rowdot')!;
    expect(Buffer.from(compileSync(rowdot).binary).equals(Buffer.from(await withWholeLibrary(rowdot)))).toBe(true);
  }, 120_000);

  it('reports the whole library\'s diagnostics for a source asc rejects', async () => {
    const bad = 'export function f(x: f64): f64 { return nope(x); }';
    const messages = await diagnosticsOffAndOn(trim, bad);
    expect(messages[0]).toMatch(/nope/);
    expect(messages[1]).toBe(messages[0]);
  }, 120_000);
});
