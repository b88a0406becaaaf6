/**
 * Parallel target benchmarks (issue 5): each case runs a `target: 'parallel'` kernel (or a
 * built-in with `nb.config({ parallel: true })`) against the same work on the cpu target, in
 * the same run. In the table, the "plain JS" column is the cpu target here, so its ratio is
 * the parallel speed-up. Threads: `NUMBATS_THREADS` or os.availableParallelism().
 */
import * as nb from '../src/index.js';
import { wasmReady, type Case } from './harness.js';

const N = 1e7;

export async function parallelCases(): Promise<Case[]> {
  const threads = Number(process.env.NUMBATS_THREADS ?? nb.config().parallel.threads);
  nb.config({ parallel: { threads } });
  console.log(`parallel: ${threads} threads (baseline column = cpu target)`);
  const x = nb.linspace(0, 1, N);
  const out = nb.empty([N]);
  const kernel = (a: number) => Math.exp(-a * a) * Math.cos(a);
  const gaussPar = nb.vectorize('f8(f8)', { target: 'parallel' })(kernel);
  const gaussCpu = nb.vectorize('f8(f8)')(kernel);
  const add2 = (a: number, b: number) => a + b;
  const addPar = nb.vectorize('f8(f8, f8)', { target: 'parallel' })(add2);
  const addCpu = nb.vectorize('f8(f8, f8)')(add2);
  // Time the Wasm tier, not the JS tier that runs while it compiles (tier 'auto').
  const kernels = await wasmReady(gaussPar, gaussCpu, addPar, addCpu);
  const s = nb.linspace(0, 1, 1000);
  const so = nb.empty([1000]);
  const withBuiltins = <T>(on: boolean, f: () => T): T => {
    nb.config({ parallel: { builtins: on } });
    try {
      return f();
    } finally {
      nb.config({ parallel: { builtins: false } });
    }
  };
  return [
    {
      name: 'parallel=exp(-x*x)*cos(x),dtype=float64,out=given,n=1e7', elements: N,
      run: () => gaussPar(x, { out }), kernels,
      baseline: () => gaussCpu(x, { out }),
    },
    {
      name: 'parallel=add(vectorize),dtype=float64,out=given,n=1e3', elements: 1000,
      run: () => addPar(s, s, { out: so }), kernels,
      baseline: () => addCpu(s, s, { out: so }),
    },
    {
      name: 'parallel=add.reduce(builtin),dtype=float64,axis=null,n=1e7', elements: N,
      run: () => withBuiltins(true, () => nb.add.reduce(x, { axis: null })),
      baseline: () => withBuiltins(false, () => nb.add.reduce(x, { axis: null })),
    },
    {
      name: 'parallel=add(builtin),dtype=float64,out=given,n=1e7', elements: N,
      run: () => withBuiltins(true, () => nb.add(x, x, { out })),
      baseline: () => withBuiltins(false, () => nb.add(x, x, { out })),
    },
  ];
}
