/**
 * The parallel target registers itself into the layers below it when src/parallel loads
 * (nothing there imports src/parallel): a ufunc target that takes planned loops and
 * built-in rows onto the worker pool, and the kernel-factory target that wraps compiled
 * kernels' entries for the pool. Loading this starts no worker: the pool starts on the
 * first call that goes parallel.
 */
import { registerUfuncTarget } from '../ufunc/targets.js';
import { registerKernelTarget } from '../vectorize/kernel-targets.js';
import { gate } from './config.js';
import { callAsyncParallel } from './capture.js';
import { parallelGufuncRun, parallelKernelExec, tryParallelLoop, tryParallelRow } from './execute.js';
import { parallelStencil } from './stencil.js';

registerUfuncTarget({
  name: 'parallel',
  runLoop: tryParallelLoop,
  runRow: tryParallelRow,
  // Built-in rows only after nb.config({ parallel: true }) (config.ts refreshes the gate).
  get rowMin() {
    return gate.builtinMin;
  },
});

registerKernelTarget({
  name: 'parallel',
  compiler: 'cpu',
  wrapLoop: parallelKernelExec,
  wrapGufunc: parallelGufuncRun,
  wrapStencil: parallelStencil,
  callAsync: callAsyncParallel,
});
