/**
 * The pool worker's code, kept as a string and written once to a file in the OS temp
 * directory (piscina loads tasks from a file; a string works the same from src/ under
 * vitest/tsx and from dist/, with nothing to copy at build time).
 *
 * What a worker holds, received ONCE:
 *   - `workerData`: the shared heap `WebAssembly.Memory` and the compiled built-in
 *     `WebAssembly.Module` (instantiated once per worker on that memory);
 *   - kernel modules (vectorize/guvectorize): a task names its module by id; the module
 *     object rides along in the task message (structured clone of a compiled Module shares
 *     V8's compiled code, no copy and no recompile) and the worker instantiates it the first
 *     time it sees the id, then reuses the instance.
 * A task joins one parallel call: it claims blocks from the call's control words
 * (`Atomics.add` on NEXT) until none are left, runs each block's plan, and counts it in
 * DONE (notifying the caller when the last block finishes). A trap is caught: it is
 * recorded in the control words (ERR + the message) so the caller raises a TargetError (a
 * failed bounds check: its site, index and size, which the caller raises as the kernel's
 * IndexError; a failed scratch allocation likewise), other threads stop claiming, and the worker drops its instances (fresh ones
 * next time).
 */

/** Control words of a call (Int32 indexes into its SharedArrayBuffer). */
export const CTRL = { NEXT: 0, DONE: 1, ERR: 2, MSG_LEN: 3, MSG: 4 } as const;
/** Bytes of a call's control buffer (16 bytes of words + up to 240 bytes of message). */
export const CTRL_BYTES = 256;

/** CommonJS source of the worker task (piscina's default export). */
export const WORKER_SOURCE = String.raw`'use strict';
const { workerData } = require('node:worker_threads');
const memory = workerData.memory;
let builtin;
const kernels = new Map();
// A module's host functions (nb.jit's prange call) are only called on the calling thread:
// a worker runs the module's block entries, which call none of them.
function envOf(m) {
  const env = { memory };
  for (const i of WebAssembly.Module.imports(m)) {
    if (i.module === 'env' && i.kind === 'function') env[i.name] = () => { throw new Error('numbats: ' + i.name + ' called in a pool worker'); };
  }
  return env;
}
function exportsOf(t) {
  if (t.kind === 0) {
    builtin ??= new WebAssembly.Instance(workerData.builtinModule, { env: { memory } }).exports;
    return builtin;
  }
  let e = kernels.get(t.moduleId);
  if (e === undefined) {
    e = new WebAssembly.Instance(t.module, { env: envOf(t.module) }).exports;
    kernels.set(t.moduleId, e);
  }
  return e;
}
function runner(t) {
  const e = exportsOf(t);
  if (t.kind === 0) { const f = e.ufunc; const id = t.id; return (p) => f(id, p); }
  const f = e[t.fn];
  if (t.kind === 2) { const core = t.core; return (p) => f(p, core); }
  return (p) => f(p);
}
const enc = new TextEncoder();
// A failed bounds check recorded its site + 1, index and size in the instance's globals
// before it trapped (src/compiler/bounds.ts): reported as 'numbats-bounds:site:index:size'.
// A failed scratch allocation likewise: 'numbats-scratch:site:length:bytesLeft'.
function trapText(err, e) {
  const site = e.__nb_bsite;
  if (err instanceof WebAssembly.RuntimeError && site && site.value !== 0) {
    return 'numbats-bounds:' + (site.value - 1) + ':' + e.__nb_bindex.value + ':' + e.__nb_bsize.value;
  }
  const ss = e.__nb_ssite;
  if (err instanceof WebAssembly.RuntimeError && ss && ss.value !== 0) {
    const len = e.__nb_slen.value;
    return 'numbats-scratch:' + (ss.value - 1) + ':' + len + ':' + (len < 0n ? -1 : e.__nb_sleft.value);
  }
  return String(err && err.message || err);
}
module.exports = function join(t) {
  const ctrl = new Int32Array(t.ctrl);
  const run = runner(t);
  const e = exportsOf(t);
  // A kernel with scratch arrays: this task's own arena (a heap block the caller lent).
  if (t.arenaBase !== undefined && typeof e.__nb_arena === 'function') e.__nb_arena(t.arenaBase, t.arenaBytes);
  let did = 0;
  for (;;) {
    if (Atomics.load(ctrl, 2) !== 0) break;
    const b = Atomics.add(ctrl, 0, 1);
    if (b >= t.nblocks) break;
    try {
      run(t.plans + b * t.planStride);
    } catch (err) {
      if (Atomics.compareExchange(ctrl, 2, 0, 1) === 0) {
        const bytes = enc.encode(trapText(err, e)).subarray(0, 240);
        new Uint8Array(t.ctrl, 16, 240).set(bytes);
        Atomics.store(ctrl, 3, bytes.length);
      }
      builtin = undefined;
      kernels.clear();
    }
    did++;
    Atomics.add(ctrl, 1, 1);
    Atomics.notify(ctrl, 1);
  }
  return did;
};
`;
