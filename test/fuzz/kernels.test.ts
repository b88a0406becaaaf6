/**
 * Differential fuzzing of the kernel compiler, fixed seeds (part of `npm test`; the long run
 * with any count and seed is scripts/fuzz-kernels.ts). One fuzzing loop over three kinds of
 * generated kernels:
 *
 * - scalar kernels (run.ts): 300, rejected with a KernelError or compiled, linked 150 per
 *   AssemblyScript module, run through the Wasm `row` export on 30 inputs each, compared
 *   BIT-EXACTLY with the JS emitter run with the Wasm's own libm (libm.ts: integer-typed
 *   intermediates after a transcendental are compared exactly, never within a float
 *   tolerance); the ~30% whose meaning is plain JS's (float64 throughout) also bit-exactly
 *   with their SOURCE run as plain JavaScript (with the Wasm's libm), and with V8's Math
 *   (exact without transcendentals, else within 2 ULP / 1e-6 relative: beyond that a listed
 *   divergence); every 40th compiled kernel also through the public nb.vectorize on
 *   strided and broadcast views (views.ts); every kernel the direct emitter takes also
 *   through its module (the math library imported), bit for bit asc's output;
 * - gufunc kernels (gufunc.ts): 20 guvectorize kernels over float64 core arrays (1-D and
 *   2-D), through the public nb.guvectorize on views and broadcast batches, against this
 *   suite's own loop calling the source as plain JavaScript;
 * - gpu kernels (gpu.ts): 24 float32/int32/uint32 kernels through
 *   nb.vectorize(..., { target: 'gpu' }) on views, against the float32 reference (exact but
 *   for FMA contraction, flushed subnormals and infinities/NaNs, which WGSL leaves
 *   undefined; transcendental tails within lavapipe's ULP bounds, their integer conversion
 *   exactly that of the GPU's own float). Skipped, visibly with the reason, where no WebGPU
 *   adapter opens (test/gpu/harness.ts).
 *
 * Each block prints its counts; divergences (V8's libm vs the Wasm's beyond the tolerance,
 * integer-boundary cases on the GPU) are printed and bounded, failures fail.
 */
import { describe, expect, it } from 'vitest';
import { compileKernel, linkKernels } from '../../src/compiler/compile.js';
import { compileAssemblyScript } from '../../src/compiler/toolchain/asc.js';
import { compareElement, emptyStats, refsFor, runFuzz, same, TRANSCENDENTAL_ULPS } from './run.js';
import { runGufuncFuzz } from './gufunc.js';
import { runGpuFuzz } from './gpu.js';
import { plainJs, samelibmPlain, wasmLibm } from './libm.js';
import type { GeneratedKernel } from './generate.js';
import { gpuReason, hasGpu, onLavapipe } from '../gpu/harness.js';
import { config } from '../../src/index.js';

// The fuzzer checks the Wasm tier against the JS emitter and plain JS: kernels made here wait
// for their Wasm (the default tier would run the JS tier first, test/vectorize/tiers.test.ts).
config({ tier: 'wasm' });

const SEED = 20261126;
const KERNELS = 300;
const GUFUNCS = 20;
const GPU_KERNELS = 24;

describe('kernel compiler differential fuzz', () => {
  it(`seed ${SEED}: ${KERNELS} scalar kernels, Wasm == JS emitter (Wasm's libm) == plain JS, nb.vectorize on views`, async () => {
    const t0 = Date.now();
    const s = await runFuzz(SEED, KERNELS, { batchSize: 150, vectorizeEvery: 40 });
    console.log(
      `fuzz seed ${SEED}: kernels tried ${s.tried}, rejected with KernelError ${s.rejected}, compiled ${s.compiled}, ` +
      `inputs compared ${s.inputsCompared}, same-libm exact ${s.sameLibmCompared}, plain kernels ${s.plainKernels} (plain JS exact ${s.plainJsCompared}, V8 ${s.plainV8Compared}), ` +
      `int-after-transcendental kernels ${s.intAfterTranscendental}, nb.vectorize on views ${s.vectorizeKernels} kernels / ${s.vectorizeCompared} elements ${JSON.stringify(s.views)}, ` +
      `direct modules ${s.directKernels} kernels / ${s.directCompared} elements == asc's, ` +
      `mismatches ${s.mismatches}, approximate ${s.approximate}, divergent ${s.divergent}, ` +
      `${((Date.now() - t0) / 1000).toFixed(1)} s; codes ${JSON.stringify(s.codes)}`,
    );
    for (const f of s.divergences) console.log(`DIVERGENT ${f.signature}: ${f.problem}\n${f.source}`);
    for (const f of s.failures) console.log(`FAIL ${f.signature}: ${f.problem}\n${f.source}`);
    expect(s.tried).toBe(KERNELS);
    expect(s.rejected + s.compiled + s.failures.filter((f) => f.problem.startsWith('compileKernel') || f.problem.startsWith('invalid')).length).toBe(KERNELS);
    expect(s.compiled).toBeGreaterThan(KERNELS / 2);
    expect(s.sameLibmCompared).toBeGreaterThan(s.compiled * 20);
    expect(s.libmUnmapped).toBe(0);
    // The generator makes enough plain-JS kernels, and integer intermediates after transcendentals.
    expect(s.plainKernels).toBeGreaterThan(KERNELS / 5);
    expect(s.plainJsCompared).toBeGreaterThan(s.plainKernels * 20);
    expect(s.intAfterTranscendental).toBeGreaterThan(KERNELS / 20);
    expect(s.vectorizeKernels).toBeGreaterThan(4);
    // The direct emitter (issue 15) takes most of them; its module gives asc's bits.
    expect(s.directKernels).toBeGreaterThan(s.compiled / 2);
    expect(s.directCompared).toBeGreaterThan(s.directKernels * 20);
    expect(Object.keys(s.views).length).toBeGreaterThanOrEqual(4);
    expect(s.failures.map((f) => `${f.signature}: ${f.problem}\n${f.source}`)).toEqual([]);
    expect(s.mismatches).toBe(0);
    // V8's libm vs the Wasm's, amplified by ill-conditioned arithmetic: rare.
    expect(s.divergent).toBeLessThanOrEqual(Math.max(2, s.compiled / 50));
  }, 120_000);

  it(`seed ${SEED}: ${GUFUNCS} gufunc kernels through nb.guvectorize on views == the source as plain JS`, async () => {
    const t0 = Date.now();
    const s = await runGufuncFuzz(SEED, GUFUNCS);
    console.log(
      `gufunc fuzz seed ${SEED}: tried ${s.tried}, rejected ${s.rejected}, compiled ${s.compiled}, calls ${s.calls}, elements compared exactly ${s.elementsCompared}, ` +
      `templates ${JSON.stringify(s.templates)}, views ${JSON.stringify(s.views)}, broadcast batches ${s.batchBroadcasts}, ` +
      `transcendental ${s.transcendental} (int after ${s.intAfterTranscendental}), approximate ${s.approximate}, divergent ${s.divergent}, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const f of s.divergences) console.log(`DIVERGENT ${f.signature}: ${f.problem}\n${f.source}`);
    expect(s.failures.map((f) => `${f.signature}: ${f.problem}\n${f.source}`)).toEqual([]);
    expect(s.tried).toBe(GUFUNCS);
    expect(s.calls).toBe(GUFUNCS);
    expect(s.elementsCompared).toBeGreaterThan(GUFUNCS * 2);
    expect(Object.keys(s.templates).length).toBe(5);
    expect(Object.keys(s.views).length).toBeGreaterThanOrEqual(4);
    expect(s.divergent).toBeLessThanOrEqual(2);
  }, 120_000);

  // An integer after a transcendental where V8's exp and the Wasm's round to opposite sides
  // of an integer: the float tolerance would accept the off-by-one; the fuzzer must not.
  it('an integer converted from exp(x) is compared exactly, not within the float tolerance', async () => {
    const libm = await wasmLibm();
    let x = NaN;
    for (let k = 1_000_001; k < 1_100_000 && Number.isNaN(x); k++) {
      const t = Math.log(k);
      if ((Math.exp(t) | 0) !== (libm.f64.exp(t) | 0)) x = t;
    }
    expect(Number.isNaN(x)).toBe(false);
    const src = '(x) => (Math.exp(x) | 0) + 0.5';
    const k = compileKernel(src, 'float64(float64)', { kind: 'scalar', prefix: 'ix_' });
    const { module } = await compileAssemblyScript(linkKernels([k]));
    const memory = new WebAssembly.Memory({ initial: 32, maximum: 65536, shared: true });
    const inst = await WebAssembly.instantiate(module, { env: { memory } });
    const io = new Float64Array(memory.buffer, 1 << 20, 2);
    io[0] = x;
    (inst.exports[k.entries.row] as (...a: number[]) => void)(1, 1 << 20, 8, (1 << 20) + 8, 8);
    const wasm = io[1]!;
    const v8 = plainJs(src)(x as never) as number;
    // The two libms disagree by one after the conversion, and the old tolerance hid that.
    expect(Math.abs(wasm - v8)).toBe(1);
    expect(same('float64', wasm, v8, TRANSCENDENTAL_ULPS)).toBe(true);
    // The exact references reproduce the Wasm's integer.
    expect(Object.is(samelibmPlain(src, libm)(x as never), wasm)).toBe(true);
    const g: GeneratedKernel = { source: src, signature: 'float64(float64)', params: ['float64'], returns: 'float64', invalid: false, transcendental: true, intAfterTranscendental: true, plain: true };
    const stats = emptyStats();
    const problems: string[] = [];
    const refs = refsFor(g, k, libm, stats, (p) => problems.push(p))!;
    expect(compareElement(g, [x], wasm, refs, stats, (p) => problems.push(p), '')).toBe(true);
    expect(problems).toEqual([]);
    // A Wasm that had converted V8's float instead fails the comparison (as a failure, not a divergence).
    expect(compareElement(g, [x], v8, refs, stats, (p) => problems.push(p), '')).toBe(false);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('(exact)');
  }, 60_000);
});

describe.skipIf(!hasGpu)(`kernel compiler differential fuzz on the gpu target (${onLavapipe ? 'lavapipe' : 'WebGPU adapter'})`, () => {
  it(`seed ${SEED}: ${GPU_KERNELS} gpu kernels through nb.vectorize({ target: 'gpu' }) on views == float32 reference`, async () => {
    const t0 = Date.now();
    const s = await runGpuFuzz(SEED, GPU_KERNELS, { lavapipe: onLavapipe });
    console.log(
      `gpu fuzz seed ${SEED}: tried ${s.tried}, rejected ${s.rejected} ${JSON.stringify(s.codes)}, compiled ${s.compiled} ${JSON.stringify(s.types)}, ` +
      `elements compared ${s.exactCompared} (flushed ${s.flushed}, non-finite ${s.nonFinite}, FMA-contracted ${s.contracted}), views ${JSON.stringify(s.views)}, ` +
      `transcendental tails ${s.tails}: within ULP bound ${s.tailUlpChecked} (max ${JSON.stringify(s.maxUlps)}), out of domain ${s.tailOutOfDomain}, ` +
      `integer conversions exact ${s.tailIntExact}, boundary divergences ${s.divergent}, ${((Date.now() - t0) / 1000).toFixed(1)} s`,
    );
    for (const f of s.divergences) console.log(`DIVERGENT ${f.signature}: ${f.problem}\n${f.source}`);
    expect(s.failures.map((f) => `${f.signature}: ${f.problem}\n${f.source}`)).toEqual([]);
    expect(s.tried).toBe(GPU_KERNELS);
    expect(s.compiled).toBeGreaterThan(GPU_KERNELS / 2);
    expect(s.exactCompared).toBeGreaterThan(s.compiled * 4);
    expect(s.tails).toBeGreaterThan(0);
    expect(s.tailIntExact).toBeGreaterThan(0);
    expect(s.divergent).toBeLessThanOrEqual(2);
  }, 120_000);
});

if (!hasGpu) console.warn(`[fuzz] gpu part SKIPPED: ${gpuReason}`);
