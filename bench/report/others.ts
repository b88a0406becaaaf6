/**
 * Other JS array libraries for the report (`npm run bench -- --report`), on the suites' own
 * cases: scijs `ndarray-ops` wherever it has the operation (keyed by case name; inputs are
 * made here with the same shapes and values, outputs allocated per call as the numbats case
 * does), and a 'js-libraries' suite of float32 elementwise cases where gpu.js and
 * @jax-js/jax (both float32-only) join in. A library that does not load is recorded with
 * the reason and skipped.
 */
import { createRequire } from 'node:module';
import ndarray from 'ndarray';
import * as nb from '../../src/index.js';
import type { Case } from '../harness.js';
import { downsampleImage } from '../downsample.bench.js';

const require = createRequire(import.meta.url);
/* eslint-disable @typescript-eslint/no-explicit-any */
type Any = any;

/** Why a library was skipped, by library name. */
export const skipped: Record<string, string> = {};

function load(name: string): Any {
  try {
    return require(name);
  } catch (e) {
    skipped[name] = `require('${name}') failed: ${(e as Error).message.split('\n')[0]}`;
    return undefined;
  }
}

const lin = (n: number, a: number, b: number, T: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array) => {
  const d = new T(n);
  for (let i = 0; i < n; i++) d[i] = a + ((b - a) * i) / (n - 1);
  return d;
};

/** ndarray-ops equivalents, by case name; each factory builds its inputs once. */
function ndarrayOpsCases(): Record<string, () => () => unknown> {
  const ops = load('ndarray-ops');
  if (!ops) return {};
  const N = 1e7;
  const f64 = (n: number) => ndarray(new Float64Array(n));
  const vec = (a: number, b: number) => ndarray(lin(N, a, b));
  return {
    'op=copy,dtype=float64,layout=contiguous,n=1e7': () => { const a = vec(0, 1e7 - 1); return () => ops.assign(f64(N), a); },
    'op=copy,dtype=float64,layout=contiguous,n=1e7 (JS baseline: Float64Array.slice)': () => { const a = vec(0, 1e7 - 1); return () => ops.assign(f64(N), a); },
    'op=astype,from=float64,to=float32,n=1e7': () => { const a = vec(0, 1e7 - 1); return () => ops.assign(ndarray(new Float32Array(N)), a); },
    'op=copy,dtype=float64,layout=strided(::2),n=1e7': () => { const a = vec(0, 1e7 - 1); return () => ops.assign(f64(N / 2), a.step(2)); },
    'op=copy,dtype=float64,layout=transposed(2000x2000)': () => {
      const m = ndarray(lin(4e6, 0, 4e6 - 1), [2000, 2000]);
      return () => ops.assign(ndarray(new Float64Array(4e6), [2000, 2000]), m.transpose(1, 0));
    },
    'ufunc=add,dtype=float64,layout=contiguous,out=given,n=1e7': () => { const [x, y, o] = [vec(0, 1), vec(1, 2), f64(N)]; return () => ops.add(o, x, y); },
    'ufunc=add,dtype=float64,layout=contiguous,out=new,n=1e7': () => { const [x, y] = [vec(0, 1), vec(1, 2)]; return () => ops.add(f64(N), x, y); },
    'ufunc=add,dtype=float64,layout=broadcast((1000,1000)+(1000,))': () => {
      const M = ndarray(lin(1e6, 0, 1), [1000, 1000]);
      const v = ndarray(lin(1000, 0, 1), [1000, 1000], [0, 1]); // stride 0: broadcast by hand
      return () => ops.add(ndarray(new Float64Array(1e6), [1000, 1000]), M, v);
    },
    'ufunc=add,dtype=float64,layout=strided(a[::2]+b[::2]),n=5e6': () => { const [x, y] = [vec(0, 1), vec(1, 2)]; return () => ops.add(f64(N / 2), x.step(2), y.step(2)); },
    'ufunc=add,dtype=float64,layout=transposed(A.T+B,2000x2000)': () => {
      const A = ndarray(lin(4e6, 0, 1), [2000, 2000]);
      const B = ndarray(lin(4e6, 1, 2), [2000, 2000]);
      return () => ops.add(ndarray(new Float64Array(4e6), [2000, 2000]), A.transpose(1, 0), B);
    },
    'ufunc=sin,dtype=float64,n=1e7': () => { const [x, o] = [vec(0, 1), f64(N)]; return () => ops.sin(o, x); },
    'ufunc=exp,dtype=float64,n=1e7': () => { const [x, o] = [vec(0, 1), f64(N)]; return () => ops.exp(o, x); },
    'ufunc=add,dtype=float64,n=16,out=given (ns per call)': () => { const s = ndarray(lin(16, 0, 1)); const o = f64(16); return () => ops.add(o, s, s); },
    'ufunc=add,dtype=float64,n=16,out=new (ns per call)': () => { const s = ndarray(lin(16, 0, 1)); return () => ops.add(f64(16), s, s); },
    'ufunc=add.reduce,dtype=float64,n=1e7': () => { const x = vec(0, 1); return () => ops.sum(x); },
    'vectorize=x*y+1,dtype=float64,out=given,n=1e7': () => {
      const [x, y, o] = [vec(0, 1), vec(1, 2), f64(N)];
      return () => { ops.mul(o, x, y); ops.addseq(o, 1); return o; };
    },
    'vectorize=exp(-x*x)*cos(x),dtype=float64,out=given,n=1e7': () => {
      const [x, o, t] = [vec(0, 1), f64(N), f64(N)];
      return () => { ops.mul(o, x, x); ops.negeq(o); ops.expeq(o); ops.cos(t, x); ops.muleq(o, t); return o; };
    },
    "downsample=direct,form=img.slice('::2','::2').copy(),12000x5000,uint8": () => {
      const img = downsampleView();
      return () => ops.assign(ndarray(new Uint8Array(6000 * 2500), [6000, 2500]), img.step(2, 2));
    },
    'downsample=mean2x2,form=stencil(stride=2),12000x5000,uint8': () => meanOps(ops),
    'downsample=mean2x2,form=vectorize(4 strided views),12000x5000,uint8': () => meanOps(ops),
  };
}

let dsImage: Any;
function downsampleView(): Any {
  if (!dsImage) {
    const a = downsampleImage();
    dsImage = ndarray(Uint8Array.from(a.data as Uint8Array), [12000, 5000]);
    a.dispose();
  }
  return dsImage;
}

/** 2x2 mean with ndarray-ops: the four strided views summed in uint16, +2, >> 2, into uint8. */
function meanOps(ops: Any): () => unknown {
  const img = downsampleView();
  const v = (i: number, j: number) => img.lo(i, j).step(2, 2);
  return () => {
    const s = ndarray(new Uint16Array(6000 * 2500), [6000, 2500]);
    ops.assign(s, v(0, 0));
    ops.addeq(s, v(0, 1));
    ops.addeq(s, v(1, 0));
    ops.addeq(s, v(1, 1));
    ops.addseq(s, 2);
    ops.rrshiftseq(s, 2);
    const out = ndarray(new Uint8Array(6000 * 2500), [6000, 2500]);
    ops.assign(out, s);
    return out;
  };
}

const opsTable = ndarrayOpsCases();

/** Attach `others` (ndarray-ops) to a suite's cases, by name. */
export function withOthers(cases: Case[]): Case[] {
  return cases.map((c) => {
    const make = opsTable[c.name];
    return make ? { ...c, others: { ...c.others, 'ndarray-ops': make() } } : c;
  });
}

/**
 * The 'js-libraries' suite: float32 elementwise cases (gpu.js and jax-js compute in float32),
 * numbats float32 against a plain loop over Float32Arrays, ndarray-ops, gpu.js, jax-js and
 * NumPy float32 (bench/report/js-libraries.py). jax-js calls are asynchronous: they are timed
 * by {@link timeAsync}; all others by the harness's timeIt.
 */
export function jsLibraryCases(): Case[] {
  const N = 1e7;
  const xd = lin(N, 0, 1, Float32Array);
  const yd = lin(N, 1, 2, Float32Array);
  const x = nb.asarray(xd.slice(), { dtype: 'float32' }).copy();
  const y = nb.asarray(yd.slice(), { dtype: 'float32' }).copy();
  const out = nb.empty([N], 'float32');
  const od = new Float32Array(N);
  const ops = load('ndarray-ops');
  const gpujs = load('gpu.js');
  const jaxOthers = (f: (np: Any, X: Any, Y: Any) => Any): Record<string, () => unknown> => (jax ? { 'jax-js': () => jaxRun(f) } : {});
  let gpu: Any;
  let gAdd: Any;
  let gSin: Any;
  if (gpujs) {
    try {
      gpu = new gpujs.GPU();
      gAdd = gpu.createKernel(function (this: Any, a: Any, b: Any) { return a[this.thread.x] + b[this.thread.x]; }).setOutput([N]);
      gSin = gpu.createKernel(function (this: Any, a: Any) { return Math.sin(a[this.thread.x]); }).setOutput([N]);
      gpuMode = gpu.mode;
    } catch (e) {
      skipped['gpu.js'] = `new GPU() / createKernel failed: ${(e as Error).message}`;
      gpu = undefined;
    }
  }
  const xo = ndarray(xd);
  const yo = ndarray(yd);
  const oo = ndarray(od);
  return [
    {
      name: 'lib=add,dtype=float32,out=given,n=1e7', elements: N, numpy: 'add_f32',
      run: () => nb.add(x, y, { out }),
      baseline: () => { for (let i = 0; i < N; i++) od[i] = xd[i]! + yd[i]!; return od[0]; },
      others: <Record<string, () => unknown>>{
        ...(ops ? { 'ndarray-ops': () => ops.add(oo, xo, yo) } : {}),
        ...(gpu ? { 'gpu.js': () => gAdd(xd, yd) } : {}),
        ...jaxOthers((np, X, Y) => np.add(X.ref, Y.ref)),
      },
    },
    {
      name: 'lib=sin,dtype=float32,out=given,n=1e7', elements: N, numpy: 'sin_f32',
      run: () => nb.sin(x, { out }),
      baseline: () => { for (let i = 0; i < N; i++) od[i] = Math.sin(xd[i]!); return od[0]; },
      others: <Record<string, () => unknown>>{
        ...(ops ? { 'ndarray-ops': () => ops.sin(oo, xo) } : {}),
        ...(gpu ? { 'gpu.js': () => gSin(xd) } : {}),
        ...jaxOthers((np, X) => np.sin(X.ref)),
      },
    },
  ];
}

export let gpuMode: string | undefined;
let jax: Any;
let jaxX: Any;
let jaxY: Any;
export let jaxDevice: string | undefined;

/** Load @jax-js/jax (ESM) before the suites run; records why when it cannot. */
export async function loadJax(): Promise<void> {
  try {
    jax = await import('@jax-js/jax' as string);
    try { await jax.init(); } catch { /* WebGPU/WebGL probes need a browser; the wasm backend stays */ }
    jaxDevice = jax.defaultDevice();
    const N = 1e7;
    jaxX = jax.numpy.array(lin(N, 0, 1, Float32Array));
    jaxY = jax.numpy.array(lin(N, 1, 2, Float32Array));
  } catch (e) {
    skipped['@jax-js/jax'] = `import failed: ${(e as Error).message.split('\n')[0]}`;
    jax = undefined;
  }
}

async function jaxRun(f: (np: Any, X: Any, Y: Any) => Any): Promise<unknown> {
  const z = f(jax.numpy, jaxX, jaxY);
  await z.blockUntilReady();
  z.dispose();
  return 0;
}

/** Median ns per call of an async function (warm-up 5 calls, median of 11). */
export async function timeAsync(fn: () => unknown): Promise<number> {
  for (let i = 0; i < 5; i++) await fn();
  const t: number[] = [];
  for (let r = 0; r < 11; r++) {
    const t0 = process.hrtime.bigint();
    await fn();
    t.push(Number(process.hrtime.bigint() - t0));
  }
  t.sort((a, b) => a - b);
  return t[5]!;
}
