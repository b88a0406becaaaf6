/**
 * vectorize/guvectorize measurements (medians). Run: `npx tsx bench/vectorize-measure.ts`.
 * Prints numbats timings, then NumPy and Numba (if importable) for the same cases.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nb from '../src/index.js';
import { clearMemoryCache } from '../src/vectorize/cache.js';
import { guvectorize } from '../src/vectorize/guvectorize.js';
import { vectorize } from '../src/vectorize/vectorize.js';
import { wasmReady } from './harness.js';

/** Median after `warm` calls: V8 runs a new Wasm module's code in its baseline tier (Liftoff) for the first tens of calls. */
function median(f: () => void, reps = 11, warm = 40): number {
  const t0 = performance.now();
  f();
  firstCall = performance.now() - t0;
  for (let i = 1; i < warm; i++) f();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const t = performance.now(); f(); ts.push(performance.now() - t); }
  ts.sort((a, b) => a - b);
  return ts[reps >> 1]!;
}

let firstCall = 0;
const N = 1e7;
const x = nb.linspace(-3, 3, N);
const y = nb.linspace(0, 1, N);
const out = nb.empty([N]);
const fma1 = vectorize('f8(f8,f8)')((a: number, b: number) => a * b + 1);
const gauss = vectorize('f8(f8)')((a: number) => Math.exp(-a * a) * Math.cos(a));
// Time the Wasm tier (tier 'auto' runs the JS tier while it compiles): "first call" is the
// first call on Wasm.
await wasmReady(fma1, gauss);
const t1 = median(() => fma1(x, y, { out }));
const f1 = firstCall;
const t2 = median(() => gauss(x, { out }));
const f2 = firstCall;
const t0 = median(() => nb.add(nb.multiply(x, y, { out }), 1, { out }));
console.log(`numbats vectorize x*y+1 1e7 out=: ${t1.toFixed(2)} ms (${(t1 * 1e6 / N).toFixed(2)} ns/el; first call ${f1.toFixed(1)} ms)`);
console.log(`numbats built-ins multiply+add (out=) 1e7: ${t0.toFixed(2)} ms`);
console.log(`numbats vectorize exp(-x*x)*cos(x) 1e7 out=: ${t2.toFixed(2)} ms (${(t2 * 1e6 / N).toFixed(2)} ns/el; first call ${f2.toFixed(1)} ms)`);
const A = nb.linspace(0, 1, 1e5 * 32).reshape([1e5, 32]);
const B = nb.linspace(1, 2, 1e5 * 32).reshape([1e5, 32]);
const o = nb.empty([1e5]);
const rowdot = guvectorize('void(f8[:], f8[:], f8[:])', '(n),(n)->()')((a: any, b: any, r: any) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  r[0] = s;
});
await wasmReady(rowdot);
const t3 = median(() => rowdot(A, B, { out: o }));
console.log(`numbats guvectorize rowdot (1e5,32) out=: ${t3.toFixed(2)} ms (first call ${firstCall.toFixed(1)} ms)`);
const t4 = median(() => nb.vecdot(A, B, { out: o }));
console.log(`numbats built-in vecdot (1e5,32) out=: ${t4.toFixed(2)} ms`);

// Compile times.
process.env.NUMBATS_CACHE_DIR = mkdtempSync(join(tmpdir(), 'nbm-'));
const warm: number[] = [];
for (let i = 0; i < 5; i++) {
  const src = `(a, b) => a * b + ${i + 2}`;
  const t = performance.now();
  await vectorize('f8(f8,f8)', { cache: true })(new Function(`return ${src}`)() as (a: number, b: number) => number).ready;
  warm.push(performance.now() - t);
}
warm.sort((a, b) => a - b);
console.log(`compile per signature to .ready, warm process: median ${warm[2]!.toFixed(0)} ms`);
// Disk hit: the same kernels again with the in-memory cache cleared.
clearMemoryCache();
const hits: number[] = [];
for (let i = 0; i < 5; i++) {
  const src = `(a, b) => a * b + ${i + 2}`;
  const t = performance.now();
  await vectorize('f8(f8,f8)', { cache: true })(new Function(`return ${src}`)() as (a: number, b: number) => number).ready;
  hits.push(performance.now() - t);
}
hits.sort((a, b) => a - b);
console.log(`disk-cache hit (memory cleared): median ${hits[2]!.toFixed(1)} ms`);
const coldScript = "const t=performance.now();const {vectorize}=await import('./src/vectorize/vectorize.ts');const f=vectorize('f8(f8,f8)')((a,b)=>a*b+7);await f.ready;console.log((performance.now()-t).toFixed(0))";
const cold = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', coldScript], { encoding: 'utf8' }).trim();
console.log(`cold first kernel to .ready in a fresh process (import + asc load + compile): ${cold} ms`);

const py = `
import numpy as np, time
def med(f, r=11):
    f(); f(); ts=[]
    for _ in range(r):
        t=time.perf_counter(); f(); ts.append(time.perf_counter()-t)
    ts.sort(); return ts[r//2]*1e3
N=10**7
x=np.linspace(-3,3,N); y=np.linspace(0,1,N)
print(f"numpy x*y+1: {med(lambda: x*y+1):.2f} ms")
print(f"numpy exp(-x*x)*cos(x): {med(lambda: np.exp(-x*x)*np.cos(x)):.2f} ms")
`;
console.log(execFileSync('python3', ['-c', py], { encoding: 'utf8' }).trim());
const numba = `
import numpy as np, time, numba
def med(f, r=11):
    f(); f(); ts=[]
    for _ in range(r):
        t=time.perf_counter(); f(); ts.append(time.perf_counter()-t)
    ts.sort(); return ts[r//2]*1e3
N=10**7
x=np.linspace(-3,3,N); y=np.linspace(0,1,N); out=np.empty(N)
@numba.vectorize(['float64(float64,float64)'])
def f(a,b): return a*b+1
@numba.vectorize(['float64(float64)'])
def g(a): return np.exp(-a*a)*np.cos(a)
@numba.guvectorize(['void(float64[:],float64[:],float64[:])'],'(n),(n)->()')
def rd(a,b,r):
    s=0.0
    for i in range(a.shape[0]): s+=a[i]*b[i]
    r[0]=s
A=np.linspace(0,1,10**5*32).reshape(10**5,32); B=np.linspace(1,2,10**5*32).reshape(10**5,32); o=np.empty(10**5)
print(f"numba x*y+1 out=: {med(lambda: f(x,y,out=out)):.2f} ms")
print(f"numba exp(-x*x)*cos(x) out=: {med(lambda: g(x,out=out)):.2f} ms")
print(f"numba guvectorize rowdot: {med(lambda: rd(A,B,o)):.2f} ms")
`;
try {
  console.log(execFileSync(process.env.NUMBATS_PYTHON ?? 'python3', ['-c', numba], { encoding: 'utf8' }).trim());
} catch (e) {
  console.log('numba: unavailable', String(e).slice(0, 200));
}
