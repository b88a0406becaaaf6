/**
 * Run time of the direct Wasm modules (src/compiler/emit/wasm, issue 15) against asc -O3's
 * modules of the same kernels, through the product path (`nb.vectorize`, `out=`), in one
 * process and one memory, the two interleaved batch by batch, in CPU time (process.cpuUsage:
 * the machine is shared). Kernels: x*y+1, sqrt(x*x+y*y), (x-y)/(x+y) on float64,
 * Math.min(Math.max(x, 0), 1) on float32, and three with comparisons and `?:` (which asc's
 * module runs scalar and the direct one SIMD): x > 0 ? x : 0.01 * x and
 * Math.abs(x) < 1e-3 ? 0 : y / x on float64, (x > 0.25 && x < 0.75) ? 1 : 0 on float32.
 * Cases: 1e7 and 1e5 contiguous, 1e6 with x a stride-2 view (the scalar loop), 1e6 with y
 * broadcast (a 1-element array: the stride-0 SIMD variant). Prints per case the median (q1-q3) ns/element of each and the ratio of the
 * medians direct / asc. Then the general scalar path (measureScalar below): collatz on int32
 * (a loop), int8 and uint16 wrapping kernels, if/else with early returns, and haversine and
 * exp(-x*x)*cos(x) calling the math library, three kernels calling helpers and two reading
 * constant tables, row calls of each module on one memory.
 *
 *   npx tsx bench/direct-wasm-measure.ts [batches]     (KERNELS=x*y+1,... picks kernels by name; SCALAR=0 skips the second part)
 */
import * as nb from '../src/index.js';
import { setDirectWasm } from '../src/vectorize/tiered-kernels.js';

const BATCHES = Number(process.argv[2] ?? 21);

type Call = (...a: unknown[]) => nb.NDArray;
const KERNELS: { name: string; sig: string; dtype: 'float64' | 'float32'; fn: (x: number, y: number) => number; nin: 1 | 2 }[] = [
  { name: 'x*y+1', sig: 'f8(f8,f8)', dtype: 'float64', fn: (x, y) => x * y + 1, nin: 2 },
  { name: 'sqrt(x*x+y*y)', sig: 'f8(f8,f8)', dtype: 'float64', fn: (x, y) => Math.sqrt(x * x + y * y), nin: 2 },
  { name: '(x-y)/(x+y)', sig: 'f8(f8,f8)', dtype: 'float64', fn: (x, y) => (x - y) / (x + y), nin: 2 },
  { name: 'min(max(x,0),1) f32', sig: 'f4(f4)', dtype: 'float32', fn: (x) => Math.min(Math.max(x, 0), 1), nin: 1 },
  // Comparisons and `?:`: asc's module runs these scalar (simdType), the direct one SIMD.
  { name: 'x>0?x:0.01*x', sig: 'f8(f8)', dtype: 'float64', fn: (x) => (x > 0 ? x : 0.01 * x), nin: 1 },
  { name: '|x|<1e-3?0:y/x', sig: 'f8(f8,f8)', dtype: 'float64', fn: (x, y) => (Math.abs(x) < 1e-3 ? 0 : y / x), nin: 2 },
  { name: '(x>a&&x<b)?1:0 f32', sig: 'f4(f4)', dtype: 'float32', fn: (x) => (x > 0.25 && x < 0.75 ? 1 : 0), nin: 1 },
];

const make = (k: (typeof KERNELS)[number], direct: boolean): Call => {
  setDirectWasm(direct);
  try {
    const f = nb.vectorize(k.sig, { tier: 'wasm', name: direct ? 'direct' : 'asc' })(k.fn) as unknown as Call & { tier: string };
    if (f.tier !== 'wasm') throw new Error('not on Wasm');
    return f;
  } finally {
    setDirectWasm(true);
  }
};

const quartiles = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.round(q * (s.length - 1)))]!;
  return { q1: at(0.25), med: at(0.5), q3: at(0.75) };
};

const pick = process.env['KERNELS']?.split(',');
for (const k of KERNELS.filter((q) => pick === undefined || pick.includes(q.name))) {
  const fs = { asc: make(k, false), direct: make(k, true) };
  const cases: { label: string; n: number; reps: number; args: () => unknown[] }[] = [];
  const add = (label: string, n: number, reps: number, inputs: nb.NDArray[]) => {
    const out = nb.empty([n], k.dtype);
    cases.push({ label, n, reps, args: () => [...inputs.slice(0, k.nin), { out }] });
  };
  for (const [n, reps] of [[1e7, 3], [1e5, 300]] as const) {
    add(`${n === 1e7 ? '1e7' : '1e5'} contiguous`, n, reps, [nb.linspace(-1, 2, n, { dtype: k.dtype }), nb.linspace(3, 0.5, n, { dtype: k.dtype })]);
  }
  const m = 1e6;
  add('1e6 x stride 2', m, 30, [nb.linspace(-1, 2, 2 * m, { dtype: k.dtype }).slice('::2'), nb.linspace(3, 0.5, m, { dtype: k.dtype })]);
  if (k.nin === 2) add('1e6 y broadcast', m, 30, [nb.linspace(-1, 2, m, { dtype: k.dtype }), nb.array([0.75], { dtype: k.dtype })]);
  for (const c of cases) {
    // Results equal, and both warm (V8 tiers a hot Wasm function up to TurboFan).
    const a = fs.asc(...c.args()).toArray() as number[];
    const d = fs.direct(...c.args()).toArray() as number[];
    if (a.some((v, i) => !Object.is(v, d[i]))) throw new Error(`${k.name} ${c.label}: results differ`);
    for (let w = 0; w < 3; w++) for (const f of Object.values(fs)) for (let r = 0; r < c.reps; r++) f(...c.args());
    const t: Record<string, number[]> = { asc: [], direct: [] };
    for (let b = 0; b < BATCHES; b++) {
      for (const [name, f] of b % 2 === 0 ? Object.entries(fs) : Object.entries(fs).reverse()) {
        const args = c.args();
        const u0 = process.cpuUsage();
        for (let r = 0; r < c.reps; r++) f(...args);
        const u = process.cpuUsage(u0);
        t[name]!.push(((u.user + u.system) * 1e3) / (c.reps * c.n));
      }
    }
    const qa = quartiles(t['asc']!);
    const qd = quartiles(t['direct']!);
    const fmt = (q: { q1: number; med: number; q3: number }) => `${q.med.toFixed(3)} (${q.q1.toFixed(3)}-${q.q3.toFixed(3)})`;
    console.log(`${k.name.padEnd(20)} ${c.label.padEnd(17)} asc -O3 ${fmt(qa)}  direct ${fmt(qd)} ns/el  direct/asc ${(qd.med / qa.med).toFixed(3)}`);
  }
}

// ---- the general scalar path (statements, integers, the math library) -------------------
//
// Row calls on a private memory (as test/compiler/harness.ts's rigs): asc -O3's module of
// each kernel and the direct one (its `nbmath` imports from the math library compiled here
// by asc, on its own memory: runtime/math-library.ts has none yet), the same inputs and the
// same output buffer, interleaved batch by batch, CPU time. SCALAR=0 skips this part.

/* eslint-disable @typescript-eslint/no-explicit-any */
/** Helpers of the helper kernels below (options.helpers): the direct module inlines them, asc -O3 too when small. */
const clampH = (v: any, lo: any, hi: any) => { if (v < lo) return lo; if (v > hi) return hi; return v; };
const stepsH = (x: any) => { let n = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : (x / 2) | 0; n++; } return n; };
const hornerH = (x: any) => ((((0.0083 * x + 0.0417) * x + 0.1667) * x + 0.5) * x + 1) * x + 1;
/* eslint-enable @typescript-eslint/no-explicit-any */

const SCALAR_KERNELS: {
  name: string; src: string; sig: string; n: number; reps: number; inputs: (n: number) => number[][];
  helpers?: Record<string, (...a: never[]) => unknown>; constants?: Record<string, Float64Array | Int32Array>;
}[] = [
  {
    name: 'collatz i4', sig: 'i4(i4)', n: 1e5, reps: 3,
    src: '(x) => { let n = 0; while (x > 1) { x = x % 2 ? 3 * x + 1 : (x / 2) | 0; n++; } return n; }',
    inputs: (n) => [Array.from({ length: n }, (_, i) => i + 1)],
  },
  {
    name: 'a*b+a-b i1', sig: 'i1(i1, i1)', n: 1e6, reps: 10, src: '(a, b) => a * b + a - b',
    inputs: (n) => [Array.from({ length: n }, (_, i) => ((i * 37) % 256) - 128), Array.from({ length: n }, (_, i) => ((i * 11) % 256) - 128)],
  },
  {
    name: '(a*b)^(a+b) u2', sig: 'u2(u2, u2)', n: 1e6, reps: 10, src: '(a, b) => (a * b) ^ (a + b)',
    inputs: (n) => [Array.from({ length: n }, (_, i) => (i * 7919) % 65536), Array.from({ length: n }, (_, i) => (i * 104729) % 65536)],
  },
  {
    name: 'if/else early return', sig: 'f8(f8, f8)', n: 1e6, reps: 10,
    src: '(x, y) => { if (x < 0) return -x * y; if (x > y) { return x - y; } else { return y * 0.5 + x; } }',
    inputs: (n) => [Array.from({ length: n }, (_, i) => Math.sin(i) * 3), Array.from({ length: n }, (_, i) => Math.cos(i * 0.7))],
  },
  {
    name: 'haversine', sig: 'f8(f8, f8, f8, f8)', n: 1e6, reps: 3,
    src: `(lat1, lon1, lat2, lon2) => {
      const r = Math.PI / 180;
      const dlat = (lat2 - lat1) * r;
      const dlon = (lon2 - lon1) * r;
      const s1 = Math.sin(dlat / 2);
      const s2 = Math.sin(dlon / 2);
      const a = s1 * s1 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * s2 * s2;
      return 2 * 6371 * Math.asin(Math.sqrt(a));
    }`,
    inputs: (n) => [0, 1, 2, 3].map((k) => Array.from({ length: n }, (_, i) => Math.sin(i * (k + 1) * 0.37) * (k % 2 === 0 ? 89 : 179))),
  },
  {
    name: 'exp(-x*x)*cos(x)', sig: 'f8(f8)', n: 1e6, reps: 5, src: '(x) => Math.exp(-x * x) * Math.cos(x)',
    inputs: (n) => [Array.from({ length: n }, (_, i) => -4 + (8 * i) / n)],
  },
  // Helper calls (issue 15: the helper's body inlined at each call site).
  {
    name: 'clamp helper f8', sig: 'f8(f8, f8)', n: 1e6, reps: 10, helpers: { clampH },
    src: '(x, y) => clampH(x * y, -1, 1) + clampH(y, 0, 0.5)',
    inputs: (n) => [Array.from({ length: n }, (_, i) => Math.sin(i) * 3), Array.from({ length: n }, (_, i) => Math.cos(i * 0.7))],
  },
  {
    name: 'collatz helper i4', sig: 'i4(i4)', n: 1e5, reps: 3, helpers: { stepsH },
    src: '(x) => stepsH(x) - stepsH(x + 1)',
    inputs: (n) => [Array.from({ length: n }, (_, i) => i + 1)],
  },
  {
    name: 'horner helper f8', sig: 'f8(f8)', n: 1e6, reps: 10, helpers: { hornerH },
    src: '(x) => hornerH(x) - hornerH(-x)',
    inputs: (n) => [Array.from({ length: n }, (_, i) => -2 + (4 * i) / n)],
  },
  // Constant tables (the direct module reads them at an address baked in; asc's from its data segment).
  {
    name: 'horner table f8', sig: 'f8(f8)', n: 1e6, reps: 10, constants: { coef: new Float64Array([1, 1, 0.5, 0.1667, 0.0417, 0.0083]) },
    src: '(x) => { let s = 0; for (let i = coef.length - 1; i >= 0; i--) s = s * x + coef[i]; return s; }',
    inputs: (n) => [Array.from({ length: n }, (_, i) => -2 + (4 * i) / n)],
  },
  {
    name: 'lookup table i4', sig: 'i4(i4)', n: 1e6, reps: 10, constants: { lut: Int32Array.from({ length: 256 }, (_, i) => (i * 2654435761) | 0) },
    src: '(x) => lut[x & 255] ^ lut[(x >> 8) & 255]',
    inputs: (n) => [Array.from({ length: n }, (_, i) => (i * 7919) | 0)],
  },
];

async function measureScalar(): Promise<void> {
  const { compileKernel, linkKernels } = await import('../src/compiler/index.js');
  const { compileAssemblyScript } = await import('../src/compiler/toolchain/asc.js');
  const { emitDirectWasm } = await import('../src/compiler/emit/wasm/emit-module.js');
  const { writeTables } = await import('../src/compiler/emit/wasm/tables.js');
  const { mathLibrarySource } = await import('../src/compiler/emit/assemblyscript/math-library.js');
  const { DTYPES } = await import('../src/dtype/dtypes.js');
  const libMemory = new WebAssembly.Memory({ initial: 16, maximum: 65536, shared: true });
  const nbmath = (await WebAssembly.instantiate((await compileAssemblyScript(mathLibrarySource())).module, { env: { memory: libMemory } })).exports;
  for (const k of SCALAR_KERNELS.filter((q) => pick === undefined || pick.includes(q.name))) {
    const kernel = compileKernel(k.src, k.sig, { kind: 'scalar', prefix: 'k_', ...(k.helpers ? { helpers: k.helpers } : {}), ...(k.constants ? { constants: k.constants } : {}) });
    const memory = new WebAssembly.Memory({ initial: 1024, maximum: 65536, shared: true });
    // The direct module's tables at 512 KiB: above asc's module's static data (its data
    // segments, at low addresses) and below the operands (from 1 MiB).
    const tableBase = 512 * 1024;
    writeTables(new Uint8Array(memory.buffer), tableBase, kernel.ir.tables ?? []);
    const asc = (await WebAssembly.instantiate((await compileAssemblyScript(linkKernels([kernel]))).module, { env: { memory } })).exports;
    const direct = new WebAssembly.Instance(new WebAssembly.Module(emitDirectWasm([{ ...kernel, tableBase }])), { env: { memory }, nbmath }).exports;
    // Operands from 1 MiB, 64-byte aligned; the output last.
    let at = 1 << 20;
    const args: number[] = [k.n];
    const ins = k.inputs(k.n);
    const views = kernel.operands.map((t, j) => {
      const d = DTYPES[t];
      const p = at;
      at += Math.ceil((k.n * d.itemSize) / 64) * 64 + 64;
      const v = new d.TypedArray(memory.buffer, p, k.n);
      if (j < kernel.nin) (v as unknown as { set(a: ArrayLike<number | bigint>): void }).set(d.isBigInt ? ins[j]!.map(BigInt) : ins[j]!);
      args.push(p, d.itemSize);
      return v;
    });
    const out = views[kernel.nin]!;
    const rows = { asc: asc[kernel.entries.row] as (...a: number[]) => void, direct: direct[kernel.entries.row] as (...a: number[]) => void };
    rows.asc(...args);
    const a = Array.from(out as ArrayLike<number>);
    rows.direct(...args);
    const d = Array.from(out as ArrayLike<number>);
    if (a.some((v, i) => !Object.is(v, d[i]))) throw new Error(`${k.name}: results differ`);
    for (let w = 0; w < 3; w++) for (const f of Object.values(rows)) for (let r = 0; r < k.reps; r++) f(...args);
    const t: Record<string, number[]> = { asc: [], direct: [] };
    for (let b = 0; b < BATCHES; b++) {
      for (const [name, f] of b % 2 === 0 ? Object.entries(rows) : Object.entries(rows).reverse()) {
        const u0 = process.cpuUsage();
        for (let r = 0; r < k.reps; r++) f(...args);
        const u = process.cpuUsage(u0);
        t[name]!.push(((u.user + u.system) * 1e3) / (k.reps * k.n));
      }
    }
    const qa = quartiles(t['asc']!);
    const qd = quartiles(t['direct']!);
    const fmt = (q: { q1: number; med: number; q3: number }) => `${q.med.toFixed(3)} (${q.q1.toFixed(3)}-${q.q3.toFixed(3)})`;
    console.log(`${k.name.padEnd(20)} ${`${k.n} contiguous`.padEnd(17)} asc -O3 ${fmt(qa)}  direct ${fmt(qd)} ns/el  direct/asc ${(qd.med / qa.med).toFixed(3)}`);
  }
}

if (process.env['SCALAR'] !== '0') await measureScalar();
